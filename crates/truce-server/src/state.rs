//! What the server holds between requests: the store, the agreement, the
//! latest check of the evidence (a snapshot per view) and remembered tokens.
//!
//! Checks are not made per request: a snapshot is made at start and again
//! after every write that changes the evidence (in the background, coalescing
//! bursts of writes), and requests read the latest one. The public's snapshot is
//! made without the monitors' reports not yet published, so nothing a party or
//! the public sees can rest on them; when every report is published both are one.

use crate::error::{ApiError, ApiResult};
use crate::identity::Principal;
use crate::settings::Settings;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use truce_engine::{CheckInput, CheckResult};
use truce_mission::record::Actor;
use truce_model::agreement::Agreement;
use truce_model::report::Report;
use truce_model::time::Day;
use truce_store::Storage;

/// The agreement the mission verifies, as loaded at start.
pub struct MissionAgreement {
    pub agreement: Agreement,
    /// The file as named in settings.
    pub name: String,
    pub path: PathBuf,
    /// Its text.
    pub source: String,
    /// The sha256 of its canonical text (the store's agreement version).
    pub sha256: String,
}

/// One check of the evidence, with look-ups for the routes.
pub struct Snapshot {
    /// Increases with every snapshot made.
    pub generation: u64,
    pub result: CheckResult,
    pub reports: Vec<Report>,
    /// Report id (`source:source_id`) → index in `reports`.
    pub report_index: HashMap<String, usize>,
    /// Incident id → index in `result.incidents`.
    pub incident_index: HashMap<String, usize>,
    /// Indices of `result.findings`, ordered by finding id (the order pages follow).
    pub findings_by_id: Vec<usize>,
    /// Indices of `result.incidents`, ordered by incident id.
    pub incidents_by_id: Vec<usize>,
    /// Incident id → indices of its findings.
    pub findings_of_incident: HashMap<String, Vec<usize>>,
}

impl Snapshot {
    fn new(generation: u64, result: CheckResult, reports: Vec<Report>) -> Snapshot {
        let report_index = reports
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id(), i))
            .collect();
        let incident_index = result
            .incidents
            .iter()
            .enumerate()
            .map(|(i, incident)| (incident.id.clone(), i))
            .collect();
        let mut findings_by_id: Vec<usize> = (0..result.findings.len()).collect();
        findings_by_id.sort_by(|&a, &b| result.findings[a].id.cmp(&result.findings[b].id));
        let mut incidents_by_id: Vec<usize> = (0..result.incidents.len()).collect();
        incidents_by_id.sort_by(|&a, &b| result.incidents[a].id.cmp(&result.incidents[b].id));
        let mut findings_of_incident: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, finding) in result.findings.iter().enumerate() {
            findings_of_incident
                .entry(finding.incident.to_string())
                .or_default()
                .push(i);
        }
        Snapshot {
            generation,
            result,
            reports,
            report_index,
            incident_index,
            findings_by_id,
            incidents_by_id,
            findings_of_incident,
        }
    }
}

/// The snapshot the mission's staff read, and the one everyone else reads.
pub struct Snapshots {
    pub staff: Arc<Snapshot>,
    pub public: Arc<Snapshot>,
}

/// Counters for `/metrics`.
#[derive(Default)]
pub struct Metrics {
    pub requests: Mutex<HashMap<(String, u16), u64>>,
    pub reports_stored: AtomicU64,
    pub reports_repeated: AtomicU64,
    pub snapshots_made: AtomicU64,
    pub last_snapshot_seconds: Mutex<f64>,
}

/// Everything the routes share.
pub struct AppState {
    pub settings: Settings,
    store: Mutex<Box<dyn Storage>>,
    /// The store as named in settings: a SQLite file or a PostgreSQL URL.
    database: String,
    /// The agreement, replaced when a mission admin uploads a new version.
    mission: RwLock<Arc<MissionAgreement>>,
    as_of: Option<Day>,
    snapshots: RwLock<Arc<Snapshots>>,
    generation: AtomicU64,
    /// Tokens whose secret checked out, by sha256, with the stored hash it was
    /// checked against. Revocation, a disabled user and a changed role are read
    /// from the store on every request, so they hold at once on every server
    /// sharing the store.
    verified_tokens: Mutex<HashMap<[u8; 32], String>>,
    /// The key monitors' pseudonyms in the ledger are made with.
    pseudonym_key: Vec<u8>,
    /// The key public incident ids are made with.
    pub public_id_key: crate::public_id::PublicIdKey,
    /// What a liaison sees of its own party's incidents (`settings.liaison`).
    pub liaison_view: crate::settings::Disclosure,
    pub metrics: Metrics,
    dirty: AtomicBool,
    pub snapshot_wanted: tokio::sync::Notify,
    /// What any one client may ask, and how fast a secret may be tried.
    pub limits: crate::limits::Limits,
    /// The Content-Security-Policy every answer carries (`protect.rs`).
    pub content_security_policy: String,
    /// The OpenAPI document, set when the routes are built.
    pub openapi_json: std::sync::OnceLock<String>,
}

/// A token or session that checked out: who it is, and for a session the
/// token its unsafe requests must echo.
#[derive(Clone, Debug)]
pub struct Remembered {
    pub principal: Principal,
    pub csrf: Option<String>,
}

pub use truce_mission::now;

impl AppState {
    /// Opens the store, records the agreement's version if new, and makes the first snapshot.
    pub fn open(
        settings: Settings,
        mission: MissionAgreement,
    ) -> Result<Arc<AppState>, crate::ServerError> {
        let database = settings.database.clone();
        let mut store = truce_store::open_storage(&database)?;
        let version = store.record_agreement(&mission.name, &mission.source, &now())?;
        if version.new {
            truce_mission::record_agreement_version(
                store.as_mut(),
                &mission.agreement,
                &mission.path,
                &mission.name,
                &mission.source,
                &version.sha256,
                None,
                &now(),
            )?;
        }
        let pseudonym_key = pseudonym_key(store.as_mut())?;
        let public_id_key =
            crate::public_id::PublicIdKey(store_secret(store.as_mut(), "public-ids")?);
        let as_of = match &settings.as_of {
            Some(text) => Some(Day::parse_iso(text).ok_or_else(|| {
                crate::ServerError::Settings(format!(
                    "as_of is `{text}`: expected a date (YYYY-MM-DD)"
                ))
            })?),
            None => None,
        };
        let mission = Arc::new(mission);
        let snapshots = compute(store.as_mut(), &mission.agreement, as_of, 1)?;
        let settings_limits = (
            settings.rate_limit_per_minute,
            settings.login_attempts_per_minute,
        );
        let liaison_view = settings.liaison.shown();
        let content_security_policy =
            crate::csp::content_security_policy(settings.tile_url.as_deref());
        let state = AppState {
            content_security_policy,
            settings,
            store: Mutex::new(store),
            database,
            mission: RwLock::new(mission),
            as_of,
            snapshots: RwLock::new(Arc::new(snapshots)),
            generation: AtomicU64::new(1),
            verified_tokens: Mutex::new(HashMap::new()),
            pseudonym_key,
            public_id_key,
            liaison_view: liaison_view.clone(),
            metrics: Metrics::default(),
            dirty: AtomicBool::new(false),
            snapshot_wanted: tokio::sync::Notify::new(),
            limits: crate::limits::Limits::new(settings_limits.0, settings_limits.1),
            openapi_json: std::sync::OnceLock::new(),
        };
        state.metrics.snapshots_made.fetch_add(1, Ordering::Relaxed);
        Ok(Arc::new(state))
    }

    /// The agreement the mission verifies now.
    pub fn mission(&self) -> Arc<MissionAgreement> {
        match self.mission.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Verifies `mission` from now on (a new version was uploaded).
    pub fn set_mission(&self, mission: MissionAgreement) {
        let mut slot = match self.mission.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        *slot = Arc::new(mission);
    }

    /// The store, for one request's work (call from a blocking task).
    pub fn store(&self) -> ApiResult<MutexGuard<'_, Box<dyn Storage>>> {
        self.store
            .lock()
            .map_err(|_| ApiError::internal("the store's lock was poisoned by a failed request"))
    }

    pub fn snapshots(&self) -> Arc<Snapshots> {
        match self.snapshots.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Marks the snapshots out of date and wakes the task that remakes them.
    pub fn evidence_changed(&self) {
        self.dirty.store(true, Ordering::SeqCst);
        self.snapshot_wanted.notify_one();
    }

    /// Remakes the snapshots now, from a connection of its own (the writers go on);
    /// returns the new generation.
    pub fn refresh(&self) -> ApiResult<u64> {
        self.dirty.store(false, Ordering::SeqCst);
        let started = std::time::Instant::now();
        let mut store = truce_store::open_storage(&self.database)?;
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let snapshots = compute(
            store.as_mut(),
            &self.mission().agreement,
            self.as_of,
            generation,
        )?;
        let mut slot = match self.snapshots.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        // A slower, older refresh never replaces a newer one.
        if slot.staff.generation < generation {
            *slot = Arc::new(snapshots);
        }
        self.metrics.snapshots_made.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut seconds) = self.metrics.last_snapshot_seconds.lock() {
            *seconds = started.elapsed().as_secs_f64();
        }
        Ok(generation)
    }

    pub fn is_dirty(&self) -> bool {
        self.dirty.load(Ordering::SeqCst)
    }

    /// The stored hash a token's secret was already checked against (the
    /// argon2 work is done once per token, not per request); `None` when not
    /// checked yet. Whether the token still holds is read from the store on
    /// every request.
    pub fn verified_token(&self, digest: &[u8; 32]) -> Option<String> {
        self.verified_tokens.lock().ok()?.get(digest).cloned()
    }

    pub fn remember_verified_token(&self, digest: [u8; 32], hash: String) {
        if let Ok(mut tokens) = self.verified_tokens.lock() {
            // Bounded: a flood of distinct valid tokens cannot grow it forever.
            if tokens.len() >= 10_000 {
                tokens.clear();
            }
            tokens.insert(digest, hash);
        }
    }

    /// Forgets every checked token (after a revocation or a disabled user).
    /// Not needed for safety (every request reads the store), kept so a
    /// revoked token's entry does not linger.
    pub fn forget_tokens(&self) {
        if let Ok(mut tokens) = self.verified_tokens.lock() {
            tokens.clear();
        }
    }

    /// How the ledger names who made a write: by role and a keyed pseudonym
    /// (a keyed hash of the user number) that the mission can match to its
    /// users and no one else can, since a monitor's or an analyst's safety may
    /// depend on their name not reaching the parties who read the ledger. Staff
    /// are named only when the mission turns `[liaison] staff_names` on.
    pub fn ledger_actor(&self, principal: &Principal) -> Actor {
        ledger_actor(
            &self.pseudonym_key,
            principal,
            self.settings.liaison.staff_names,
        )
    }

    /// How an account record (`user-added`, `token-issued`) names the user it
    /// is about: by name, as the command line does; those records are for the
    /// staff only (`truce_mission::disclosure`).
    pub fn account_actor(&self, principal: &Principal) -> Actor {
        ledger_actor(&self.pseudonym_key, principal, true)
    }
}

/// The key monitors' pseudonyms are made with, made once per store and kept in it.
pub fn pseudonym_key(store: &mut dyn Storage) -> Result<Vec<u8>, truce_store::StoreError> {
    store_secret(store, "pseudonyms")
}

/// A 32-byte secret of the store named `name`, made once (at random) and kept
/// in the store: every server on one store uses the same.
fn store_secret(store: &mut dyn Storage, name: &str) -> Result<Vec<u8>, truce_store::StoreError> {
    store.server_secret(name, &mut || {
        let mut key = vec![0u8; 32];
        // Without randomness the key is still unique to this store's file and the
        // time, which only weakens pseudonyms against someone who knows both.
        if getrandom::fill(&mut key).is_err() {
            key = sha2_of(&format!("{}{}", store_file_hint(), now()));
        }
        key
    })
}

fn store_file_hint() -> String {
    std::process::id().to_string()
}

/// How the ledger names who made a write (see [`AppState::ledger_actor`]).
pub fn ledger_actor(pseudonym_key: &[u8], principal: &Principal, staff_names: bool) -> Actor {
    let pseudonym = |kind: &str| -> String {
        let mut data = pseudonym_key.to_vec();
        data.extend_from_slice(format!("\0{kind}\0{}", principal.id).as_bytes());
        let digest = sha2_of_bytes(&data);
        digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
    };
    let (name, pseudonym) = match principal.role {
        crate::identity::Role::Monitor => (None, Some(pseudonym("monitor"))),
        _ if staff_names => (Some(principal.name.clone()), None),
        _ => (None, Some(pseudonym("staff"))),
    };
    Actor {
        role: principal.role.as_str().to_string(),
        name,
        pseudonym,
    }
}

fn sha2_of_bytes(bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).to_vec()
}

fn sha2_of(text: &str) -> Vec<u8> {
    sha2_of_bytes(text.as_bytes())
}

/// Checks the store's evidence: the staff's snapshot from every current report,
/// the public's from all but the unpublished monitors' reports.
fn compute(
    store: &mut dyn Storage,
    agreement: &Agreement,
    as_of: Option<Day>,
    generation: u64,
) -> Result<Snapshots, truce_store::StoreError> {
    // As of a day, the evidence is what the store knew when that day ended:
    // revisions and withdrawals recorded later are not seen either.
    let known_before =
        as_of.map(|day| truce_store::known_before(day, agreement.utc_offset_minutes));
    let (reports, _watermark) = store.reports_known_before(known_before.as_deref())?;
    let truce_mission::decisions::Decisions {
        kept_apart,
        kept_together,
        ..
    } = truce_mission::decisions::decisions(store)?;
    let unpublished = store.unpublished_monitor_reports()?;
    let check = |reports: &[Report]| {
        truce_engine::check(&CheckInput {
            agreement,
            reports,
            as_of,
            kept_apart: &kept_apart,
            kept_together: &kept_together,
        })
    };
    let staff_result = check(&reports);
    if unpublished.is_empty() {
        let staff = Arc::new(Snapshot::new(generation, staff_result, reports));
        return Ok(Snapshots {
            public: staff.clone(),
            staff,
        });
    }
    let public_reports: Vec<Report> = reports
        .iter()
        .filter(|r| {
            !(r.provenance.source == truce_store::MONITOR_SOURCE
                && unpublished.contains(&r.provenance.source_id))
        })
        .cloned()
        .collect();
    let public_result = check(&public_reports);
    Ok(Snapshots {
        staff: Arc::new(Snapshot::new(generation, staff_result, reports)),
        public: Arc::new(Snapshot::new(generation, public_result, public_reports)),
    })
}
