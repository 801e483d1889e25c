//! The ledger over HTTP: the latest signed checkpoint and the proofs that let a
//! party check, from hashes alone, that a record is in the log and that the log
//! only grew (`docs/trust.md`); and the entitlements each party may see.

use crate::auth::{Caller, Role, View};
use crate::error::{ApiError, ApiResult, ErrorBody, ErrorCode, verbatim};
use crate::language::Reader;
use crate::state::{AppState, now};
use crate::terms::StandingWire;
use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use truce_audit::{Hash, Tree};
use truce_mission::record::By;
use truce_model::message::{Arg, Message};
use utoipa::{IntoParams, ToSchema};

/// The latest checkpoint the mission signed.
#[derive(Serialize, ToSchema)]
pub struct CheckpointWire {
    /// The tree size it commits to.
    pub size: u64,
    /// The signed note (C2SP tlog-checkpoint), as `truce ledger check-proof` reads it.
    pub note: String,
    pub recorded: String,
    /// Entries in the log now (may be more than `size`).
    pub log_size: u64,
}

/// The ledger at a glance: how many entries it holds, and its latest signed
/// checkpoint, `null` before the first is signed (a fresh store): a page asks this
/// without meeting a `404`.
#[derive(Serialize, ToSchema)]
pub struct LedgerWire {
    /// Entries in the log now.
    pub log_size: u64,
    /// The latest signed checkpoint; `null` when none is signed yet.
    pub checkpoint: Option<CheckpointWire>,
}

/// The ledger's size and its latest signed checkpoint, if any.
#[utoipa::path(get, path = "/api/v1/ledger", tag = "ledger",
    security((), ("bearer" = [])),
    responses((status = 200, body = LedgerWire), (status = 401, body = ErrorBody)))]
pub async fn ledger(
    State(state): State<Arc<AppState>>,
    _caller: Caller,
) -> ApiResult<Json<LedgerWire>> {
    let (latest, log_size) = latest_checkpoint(&state).await?;
    Ok(Json(LedgerWire {
        log_size,
        checkpoint: latest.map(|latest| CheckpointWire {
            size: latest.size,
            note: latest.note,
            recorded: latest.recorded,
            log_size,
        }),
    }))
}

/// The store's latest signed checkpoint, if any, and the ledger's size now.
async fn latest_checkpoint(
    state: &Arc<AppState>,
) -> ApiResult<(Option<truce_store::StoredCheckpoint>, u64)> {
    tokio::task::spawn_blocking({
        let state = state.clone();
        move || -> ApiResult<_> {
            let mut store = state.store()?;
            Ok((store.latest_checkpoint()?, store.ledger_len()?))
        }
    })
    .await?
}

/// The latest signed checkpoint; `404 not-found` before the first is signed
/// (`GET /api/v1/ledger` answers `200` either way).
#[utoipa::path(get, path = "/api/v1/ledger/checkpoint", tag = "ledger",
    security((), ("bearer" = [])),
    responses((status = 200, body = CheckpointWire), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn checkpoint(
    State(state): State<Arc<AppState>>,
    _caller: Caller,
) -> ApiResult<Json<CheckpointWire>> {
    let (latest, log_size) = latest_checkpoint(&state).await?;
    let latest = latest.ok_or_else(|| {
        ApiError::not_found(
            Message::new("api-no-checkpoint").with("command", Arg::code("truce ledger checkpoint")),
        )
    })?;
    Ok(Json(CheckpointWire {
        size: latest.size,
        note: latest.note,
        recorded: latest.recorded,
        log_size,
    }))
}

/// Sign a checkpoint of the ledger now (mission admins), with the mission's key the
/// server's settings name (`mission_key`); `409 no-mission-key` when they name none
/// (then `truce ledger checkpoint --key` signs one).
#[utoipa::path(post, path = "/api/v1/ledger/checkpoint", tag = "ledger",
    security(("bearer" = [])),
    responses((status = 200, body = CheckpointWire), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn sign_checkpoint(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> ApiResult<Json<CheckpointWire>> {
    caller.require(&[Role::MissionAdmin])?;
    let Some(key) = state.settings.mission_key.clone() else {
        return Err(ApiError::of(
            ErrorCode::NoMissionKey,
            Message::new("api-no-mission-key")
                .with("setting", Arg::code("mission_key"))
                .with("command", Arg::code("truce ledger checkpoint --key")),
        ));
    };
    let (latest, log_size) = tokio::task::spawn_blocking({
        let state = state.clone();
        move || -> ApiResult<_> {
            // Never echo the file's content: it is a secret.
            let signer = std::fs::read_to_string(&key)
                .ok()
                .and_then(|text| truce_audit::SignerKey::parse(text.trim()).ok())
                .ok_or_else(|| {
                    ApiError::internal(format!(
                        "the mission key `{}` cannot be read as a key written by `truce keys generate`",
                        key.display()
                    ))
                })?;
            let agreement = state.mission().agreement.clone();
            let mut store = state.store()?;
            truce_mission::checkpoint::sign_checkpoint(store.as_mut(), &agreement, &signer, &now())
                .map_err(|error| match error {
                    truce_mission::MissionError::NotAMissionKey { name } => ApiError::of(
                        ErrorCode::NoMissionKey,
                        Message::new("api-not-a-mission-key")
                            .with("name", Arg::code(name))
                            .with("list", Arg::code("[ledger] mission_keys")),
                    ),
                    other => ApiError::internal(other),
                })?;
            Ok((store.latest_checkpoint()?, store.ledger_len()?))
        }
    })
    .await??;
    let latest = latest
        .ok_or_else(|| ApiError::internal("the checkpoint just signed is not in the store"))?;
    Ok(Json(CheckpointWire {
        size: latest.size,
        note: latest.note,
        recorded: latest.recorded,
        log_size,
    }))
}

/// The leaf and tree sizes of an inclusion proof.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InclusionQuery {
    /// The entry's position (from 0).
    pub index: u64,
    /// The tree size (a checkpoint's); by default the whole log.
    pub size: Option<u64>,
}

/// An RFC 9162 inclusion proof.
#[derive(Serialize, ToSchema)]
pub struct InclusionProof {
    pub index: u64,
    pub size: u64,
    /// The entry's leaf hash (hex).
    pub leaf_hash: String,
    /// The root of the tree of `size` entries (hex).
    pub root: String,
    /// The audit path, leaf to root (hex).
    pub path: Vec<String>,
}

fn tree(state: &AppState) -> ApiResult<Tree> {
    let leaves = state.store()?.ledger_leaf_hashes()?;
    Ok(Tree::from_leaf_hashes(leaves.into_iter().map(Hash)))
}

fn hexes(hashes: &[Hash]) -> Vec<String> {
    hashes.iter().map(Hash::to_hex).collect()
}

/// Proof that entry `index` is in the tree of `size` entries.
#[utoipa::path(get, path = "/api/v1/ledger/proof/inclusion", tag = "ledger",
    security((), ("bearer" = [])),
    params(InclusionQuery),
    responses((status = 200, body = InclusionProof), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn inclusion(
    State(state): State<Arc<AppState>>,
    _caller: Caller,
    Query(query): Query<InclusionQuery>,
) -> ApiResult<Json<InclusionProof>> {
    let tree = tokio::task::spawn_blocking({
        let state = state.clone();
        move || tree(&state)
    })
    .await??;
    let size = query.size.unwrap_or(tree.size());
    let out_of_range = || {
        ApiError::bad_request(
            Message::new("api-inclusion-out-of-range")
                .with("index", Arg::code("index"))
                .with("size", Arg::code("size"))
                .with("log", Arg::number(tree.size()))
                .with("found_index", Arg::number(query.index))
                .with("found_size", Arg::number(size)),
        )
    };
    let path = tree
        .inclusion_proof(query.index, size)
        .map_err(|_| out_of_range())?;
    let leaf = tree.leaf_hash_at(query.index).ok_or_else(out_of_range)?;
    let root = tree.root_at(size).map_err(|_| out_of_range())?;
    Ok(Json(InclusionProof {
        index: query.index,
        size,
        leaf_hash: leaf.to_hex(),
        root: root.to_hex(),
        path: hexes(&path),
    }))
}

/// The two tree sizes of a consistency proof.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConsistencyQuery {
    /// The older size.
    pub from: u64,
    /// The newer size; by default the whole log.
    pub to: Option<u64>,
}

/// An RFC 9162 consistency proof.
#[derive(Serialize, ToSchema)]
pub struct ConsistencyProof {
    pub from: u64,
    pub to: u64,
    pub old_root: String,
    pub new_root: String,
    pub path: Vec<String>,
}

/// Proof that the tree of `to` entries extends the tree of `from` entries.
#[utoipa::path(get, path = "/api/v1/ledger/proof/consistency", tag = "ledger",
    security((), ("bearer" = [])),
    params(ConsistencyQuery),
    responses((status = 200, body = ConsistencyProof), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn consistency(
    State(state): State<Arc<AppState>>,
    _caller: Caller,
    Query(query): Query<ConsistencyQuery>,
) -> ApiResult<Json<ConsistencyProof>> {
    let tree = tokio::task::spawn_blocking({
        let state = state.clone();
        move || tree(&state)
    })
    .await??;
    let to = query.to.unwrap_or(tree.size());
    let out_of_range = || {
        ApiError::bad_request(
            Message::new("api-consistency-out-of-range")
                .with("from", Arg::code("from"))
                .with("to", Arg::code("to"))
                .with("log", Arg::number(tree.size()))
                .with("found_from", Arg::number(query.from))
                .with("found_to", Arg::number(to)),
        )
    };
    if query.from == 0 {
        return Err(out_of_range());
    }
    let path = tree
        .consistency_proof(query.from, to)
        .map_err(|_| out_of_range())?;
    Ok(Json(ConsistencyProof {
        from: query.from,
        to,
        old_root: tree
            .root_at(query.from)
            .map_err(|_| out_of_range())?
            .to_hex(),
        new_root: tree.root_at(to).map_err(|_| out_of_range())?.to_hex(),
        path: hexes(&path),
    }))
}

/// Which entries of the ledger to list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntriesQuery {
    /// The first position to list (from 0); by default the first. A page's `next`.
    pub from: Option<u64>,
    /// At most this many entries (1 to 1,000; default 100).
    pub limit: Option<u64>,
    /// Only entries of these record types, comma-separated
    /// (`agreement-version,bracket-resolution`).
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kinds: Option<String>,
}

/// One entry of the ledger as the caller may read it: the record, or only its
/// leaf hash and type with the reason it is withheld from the caller.
#[derive(Serialize, ToSchema)]
pub struct LedgerEntryWire {
    pub index: u64,
    /// The record's type (`agreement-version`, `check-run`, …).
    #[serde(rename = "type")]
    pub kind: String,
    /// The RFC 9162 leaf hash (hex): what proofs and checkpoints are made of.
    pub leaf_hash: String,
    /// When it was appended (RFC 3339); not given for a withheld entry.
    pub recorded: Option<String>,
    /// The record (its canonical JSON), when the caller may read it.
    #[schema(value_type = Option<Object>)]
    pub record: Option<serde_json::Value>,
    /// Why the record is withheld from the caller, when it is.
    pub withheld: Option<String>,
}

/// A page of ledger entries.
#[derive(Serialize, ToSchema)]
pub struct LedgerEntriesPage {
    pub entries: Vec<LedgerEntryWire>,
    /// The `from` of the next page, when there may be one.
    pub next: Option<u64>,
    /// Entries in the log now.
    pub log_size: u64,
}

/// The ledger's entries in order, each as the caller may read it (`docs/trust.md`):
/// the mission's staff read every record; a party's liaison and the public read the
/// agreement's versions and resolutions, and are given the others they may not read
/// (monitors' reports, the mission's accounts, another party's entitlements; for the
/// public also the work on the evidence) as their leaf hash only.
#[utoipa::path(get, path = "/api/v1/ledger/entries", tag = "ledger",
    security((), ("bearer" = [])),
    params(EntriesQuery),
    responses((status = 200, body = LedgerEntriesPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn entries(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Query(query): Query<EntriesQuery>,
    Reader(language): Reader,
) -> ApiResult<Json<LedgerEntriesPage>> {
    let limit = query.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::bad_request(
            Message::new("api-entries-limit")
                .with("parameter", Arg::code("limit"))
                .with("limit", Arg::number(limit)),
        ));
    }
    let from = query.from.unwrap_or(0);
    let kinds: Vec<String> = query
        .kinds
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_string)
        .collect();
    let audience = audience(&caller.view());
    let mission = state.mission();
    let (entries, log_size) = tokio::task::spawn_blocking({
        let state = state.clone();
        let audience = audience.clone();
        move || -> ApiResult<_> {
            let mut store = state.store()?;
            let log_size = store.ledger_len()?;
            // Asking for a type one may not even be told of (the accounts')
            // finds nothing: its count is not an answer either.
            let kinds: Vec<String> = if audience == truce_mission::disclosure::Audience::Staff {
                kinds
            } else {
                let asked = !kinds.is_empty();
                let told: Vec<String> = kinds
                    .into_iter()
                    .filter(|k| truce_mission::disclosure::shown_kind(k, &audience) == k)
                    .collect();
                if asked && told.is_empty() {
                    return Ok((Vec::new(), log_size));
                }
                told
            };
            let entries = if kinds.is_empty() {
                store.ledger_entries(from, from.saturating_add(limit))?
            } else {
                let kinds: Vec<&str> = kinds.iter().map(String::as_str).collect();
                store.ledger_entries_of(&kinds, from, limit)?
            };
            Ok((entries, log_size))
        }
    })
    .await??;
    let full = entries.len() as u64 == limit;
    let next = entries.last().map(|e| e.index + 1).filter(|_| full);
    let entries = entries
        .into_iter()
        .map(|entry| {
            use truce_mission::disclosure::{Readable, readable};
            let leaf_hash = Hash(entry.leaf_hash).to_hex();
            match readable(&entry.kind, &entry.record, &mission.agreement, &audience) {
                Readable::Record(record) => LedgerEntryWire {
                    index: entry.index,
                    kind: entry.kind,
                    leaf_hash,
                    recorded: Some(entry.recorded),
                    record: Some(record),
                    withheld: None,
                },
                Readable::Withheld(why) => LedgerEntryWire {
                    index: entry.index,
                    kind: truce_mission::disclosure::shown_kind(&entry.kind, &audience).to_string(),
                    leaf_hash,
                    recorded: None,
                    record: None,
                    withheld: Some(truce_words::render(&withheld_message(why), language)),
                },
            }
        })
        .collect();
    Ok(Json(LedgerEntriesPage {
        entries,
        next,
        log_size,
    }))
}

/// Why an entry is withheld from its reader, as a sentence of the catalogue
/// whose English is the disclosure policy's own (`disclosed-record-…`); a
/// reason this server has no sentence for is given as written.
fn withheld_message(why: &str) -> Message {
    let key = match why {
        "the mission's accounts are for its staff" => "disclosed-record-accounts",
        "a monitor's report: withheld to protect the monitor" => "disclosed-record-monitor",
        "an entitlement of another party" => "disclosed-record-other-party",
        "the disclosure policy withholds it from the public" => "disclosed-record-not-public",
        "a record type this truce does not know is for the staff only" => {
            "disclosed-record-unknown"
        }
        _ => return Message::new("disclosed-record-as-written").with("why", verbatim(why)),
    };
    Message::new(key)
}

/// Writes a bundle's files into a zip archive in memory.
struct ZipSink {
    writer: zip::ZipWriter<std::io::Cursor<Vec<u8>>>,
}

impl truce_mission::bundle::BundleSink for ZipSink {
    fn file(&mut self, path: &str, bytes: &[u8]) -> Result<(), truce_mission::MissionError> {
        use std::io::Write;
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        self.writer
            .start_file(format!("bundle/{path}"), options)
            .and_then(|()| self.writer.write_all(bytes).map_err(Into::into))
            .map_err(|e| {
                truce_mission::MissionError::Bundle(format!(
                    "cannot write {path} into the zip: {e}"
                ))
            })
    }
}

/// Whom a ledger view is for, from the caller's view.
pub(crate) fn audience(view: &View) -> truce_mission::disclosure::Audience {
    use truce_mission::disclosure::Audience;
    match view {
        View::Staff => Audience::Staff,
        View::Party(party) => Audience::Party(party.clone()),
        View::Public => Audience::Public,
    }
}

/// The ledger as a bundle anyone given it can verify with truce alone (`truce
/// ledger verify`; `docs/trust.md`): a zip of the `bundle/` folder `truce ledger
/// export` writes, made for the caller. The staff's holds everything and replays
/// (`truce ledger replay`). A party's liaison's and the public's give the entries
/// they may not read by their leaf hash only, and leave out the files the
/// disclosure policy withholds from them (the public: the agreement's text and
/// the evidence); every signed checkpoint still checks from the hashes.
#[utoipa::path(get, path = "/api/v1/ledger/bundle", tag = "ledger",
    security((), ("bearer" = [])),
    responses((status = 200, description = "the bundle, zipped", content_type = "application/zip"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn bundle(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let audience = audience(&caller.view());
    let mission = state.mission();
    let zipped = tokio::task::spawn_blocking({
        let state = state.clone();
        move || -> ApiResult<Vec<u8>> {
            let mut sink = ZipSink {
                writer: zip::ZipWriter::new(std::io::Cursor::new(Vec::new())),
            };
            let mut store = state.store()?;
            let result = truce_mission::bundle::export_bundle(
                store.as_mut(),
                &mission.agreement,
                &mission.path,
                &now(),
                &audience,
                &mut sink,
            );
            drop(store);
            match result {
                Ok(_) => {}
                Err(truce_mission::MissionError::Bundle(message))
                    if message.contains("empty ledger") =>
                {
                    return Err(ApiError::not_found(
                        Message::new("api-bundle-empty").with("detail", message),
                    ));
                }
                Err(e) => return Err(ApiError::internal(e)),
            }
            let cursor = sink.writer.finish().map_err(ApiError::internal)?;
            Ok(cursor.into_inner())
        }
    })
    .await??;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "application/zip"),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"bundle.zip\"",
            ),
        ],
        zipped,
    )
        .into_response())
}

/// What a party receives when a step is verified, whether it may be released, and
/// where it stands in the ledger.
#[derive(Serialize, ToSchema)]
pub struct EntitlementWire {
    pub id: String,
    /// The receiving party.
    pub to: String,
    pub from: Option<String>,
    pub what: String,
    pub step: String,
    /// True when the check says its step is verified.
    pub releasable: bool,
    pub reason: String,
    pub standing: StandingWire,
    /// When it was released or suspended.
    pub since: Option<String>,
    /// Payload files kept for it (encrypted to the receiving party).
    pub payload_files: usize,
}

/// The entitlement `id` and whether the caller may see it: staff see all, a
/// party's liaison its own party's.
fn visible<'a>(
    state: &AppState,
    result: &'a truce_engine::CheckResult,
    view: &View,
    id: &str,
) -> ApiResult<&'a truce_engine::EntitlementStatus> {
    let agreement = &state.mission().agreement;
    result
        .entitlements
        .iter()
        .find(|e| e.id == id)
        .filter(|e| match view {
            View::Staff => true,
            View::Party(party) => agreement.answers_for(party, &e.to),
            View::Public => false,
        })
        .ok_or_else(|| {
            ApiError::not_found(Message::new("api-no-entitlement").with("id", Arg::code(id)))
        })
}

/// Entitlements: the mission's staff see all, a party's liaison only its party's.
#[utoipa::path(get, path = "/api/v1/entitlements", tag = "entitlements",
    security(("bearer" = [])),
    responses((status = 200, body = [EntitlementWire]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn entitlements(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Reader(language): Reader,
) -> ApiResult<Json<Vec<EntitlementWire>>> {
    caller.require(&[Role::MissionAdmin, Role::Analyst, Role::PartyLiaison])?;
    let view = caller.view();
    let snapshots = state.snapshots();
    let snapshot = match view {
        View::Staff => snapshots.staff.clone(),
        _ => snapshots.public.clone(),
    };
    let shown: Vec<truce_engine::EntitlementStatus> = snapshot
        .result
        .entitlements
        .iter()
        .filter(|e| match &view {
            View::Staff => true,
            View::Party(party) => state.mission().agreement.answers_for(party, &e.to),
            View::Public => false,
        })
        .cloned()
        .collect();
    let wires = tokio::task::spawn_blocking({
        let state = state.clone();
        move || -> ApiResult<Vec<EntitlementWire>> {
            let mut store = state.store()?;
            shown
                .into_iter()
                .map(|e| {
                    let standing = truce_mission::standing(store.as_mut(), &e.id)
                        .map_err(ApiError::internal)?;
                    let (standing, since) = match standing {
                        truce_mission::Standing::NeverReleased => (StandingWire::NotReleased, None),
                        truce_mission::Standing::Released { at, .. } => {
                            (StandingWire::Released, Some(at))
                        }
                        truce_mission::Standing::Suspended { at, .. } => {
                            (StandingWire::Suspended, Some(at))
                        }
                    };
                    Ok(EntitlementWire {
                        payload_files: store.payloads(&e.id)?.len(),
                        id: e.id,
                        to: e.to,
                        from: e.from,
                        what: e.what,
                        step: e.step,
                        releasable: e.releasable,
                        reason: truce_words::render(&e.reason, language),
                        standing,
                        since,
                    })
                })
                .collect()
        }
    })
    .await??;
    Ok(Json(wires))
}

/// Runs `act` (a release or a suspension) on the store, off the async threads, with
/// the staff's check as what it rests on; the mission's refusals become the API's.
async fn on_the_staffs_check(
    state: &Arc<AppState>,
    snapshot: Arc<crate::state::Snapshot>,
    status: &truce_engine::EntitlementStatus,
    act: impl FnOnce(
        &mut dyn truce_store::Storage,
        truce_mission::entitlement::ReleaseBasis<'_>,
    ) -> Result<u64, truce_mission::MissionError>
    + Send
    + 'static,
) -> ApiResult<u64> {
    let agreement_id = state.mission().agreement.id.clone();
    let state = state.clone();
    let status = status.clone();
    tokio::task::spawn_blocking(move || -> ApiResult<u64> {
        let mut store = state.store()?;
        let basis = truce_mission::entitlement::ReleaseBasis {
            agreement: &agreement_id,
            status: &status,
            result: &snapshot.result,
            reports: &snapshot.reports,
        };
        act(store.as_mut(), basis).map_err(|error| match error {
            truce_mission::MissionError::AlreadyReleased { entitlement } => ApiError::of(
                ErrorCode::Conflict,
                Message::new("api-already-released").with("entitlement", Arg::code(entitlement)),
            ),
            truce_mission::MissionError::NotReleasedNow { entitlement } => ApiError::of(
                ErrorCode::Conflict,
                Message::new("api-nothing-to-suspend").with("entitlement", Arg::code(entitlement)),
            ),
            truce_mission::MissionError::NotReleasable {
                entitlement,
                reason,
            } => ApiError::of(
                ErrorCode::NotReleasable,
                Message::new("api-refused-release")
                    .with("entitlement", Arg::code(entitlement))
                    .with("reason", reason),
            ),
            other => ApiError::internal(other),
        })
    })
    .await?
}

/// A release recorded.
#[derive(Serialize, ToSchema)]
pub struct Released {
    pub entitlement: String,
    pub to: String,
    /// The ledger entry that records it.
    pub ledger_index: u64,
    /// Why the step counts as verified.
    pub reason: String,
}

/// Release an entitlement (mission admins): refused unless the check of the
/// evidence says its step is verified (`409 not-releasable`, with the reason).
/// The release is recorded in the ledger with who made it and the check it rests
/// on (its day, findings and evidence by hash). Payload files are added with
/// `truce entitlement release --payload`.
#[utoipa::path(post, path = "/api/v1/entitlements/{id}/release", tag = "entitlements",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "the entitlement's id")),
    responses((status = 200, body = Released), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn release(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> ApiResult<Json<Released>> {
    let admin = caller.require(&[Role::MissionAdmin])?.clone();
    let snapshot = state.snapshots().staff.clone();
    let status = visible(&state, &snapshot.result, &View::Staff, &id)?.clone();
    if !status.releasable {
        return Err(ApiError::of(
            ErrorCode::NotReleasable,
            Message::new("api-may-not-be-released")
                .with("entitlement", Arg::code(&id))
                .with("reason", status.reason.clone()),
        ));
    }
    let by = By::Actor(state.ledger_actor(&admin));
    let index = on_the_staffs_check(&state, snapshot, &status, move |store, basis| {
        truce_mission::entitlement::release(store, basis, by, &[], &now())
    })
    .await?;
    Ok(Json(Released {
        entitlement: status.id,
        to: status.to,
        ledger_index: index,
        reason: truce_words::english(&status.reason),
    }))
}

/// Why an entitlement is suspended.
#[derive(Deserialize, ToSchema)]
pub struct SuspendIn {
    /// The reason, recorded in the ledger (1 to 2,000 characters).
    pub reason: String,
}

/// A suspension recorded.
#[derive(Serialize, ToSchema)]
pub struct Suspended {
    pub entitlement: String,
    /// The ledger entry that records it.
    pub ledger_index: u64,
    /// Whether its step still held on the check it was made on.
    pub step_still_holds: bool,
}

/// Suspend a released entitlement (mission admins), for a reason: its payload is
/// no longer handed over. Recorded in the ledger with who made it, why, and the
/// check it was made on (`409 conflict` when it is not released now).
#[utoipa::path(post, path = "/api/v1/entitlements/{id}/suspend", tag = "entitlements",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "the entitlement's id")),
    request_body = SuspendIn,
    responses((status = 200, body = Suspended), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn suspend(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    axum::extract::Path(id): axum::extract::Path<String>,
    Json(body): Json<SuspendIn>,
) -> ApiResult<Json<Suspended>> {
    let admin = caller.require(&[Role::MissionAdmin])?.clone();
    let reason = body.reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(ApiError::bad_request(
            Message::new("api-reason-length").with("field", Arg::code("reason")),
        ));
    }
    let snapshot = state.snapshots().staff.clone();
    let status = visible(&state, &snapshot.result, &View::Staff, &id)?.clone();
    let by = By::Actor(state.ledger_actor(&admin));
    let index = on_the_staffs_check(&state, snapshot, &status, move |store, basis| {
        truce_mission::entitlement::suspend(store, basis, by, &reason, &now())
    })
    .await?;
    Ok(Json(Suspended {
        entitlement: status.id,
        ledger_index: index,
        step_still_holds: status.releasable,
    }))
}

/// One payload file of an entitlement, as kept.
#[derive(Serialize, ToSchema)]
pub struct PayloadWire {
    /// Its number, for downloading it.
    pub id: i64,
    pub name: String,
    /// Of the file before encryption (as the ledger recorded it).
    pub plain_sha256: String,
    pub cipher_sha256: String,
}

/// An entitlement's payload files (the receiving party's liaison and the staff).
#[utoipa::path(get, path = "/api/v1/entitlements/{id}/payloads", tag = "entitlements",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "the entitlement's id")),
    responses((status = 200, body = [PayloadWire]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn payloads(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> ApiResult<Json<Vec<PayloadWire>>> {
    caller.require(&[Role::MissionAdmin, Role::Analyst, Role::PartyLiaison])?;
    let snapshot = state.snapshots().staff.clone();
    visible(&state, &snapshot.result, &caller.view(), &id)?;
    let list = tokio::task::spawn_blocking({
        let state = state.clone();
        move || -> ApiResult<_> { Ok(state.store()?.payloads(&id)?) }
    })
    .await??;
    Ok(Json(
        list.into_iter()
            .map(|p| PayloadWire {
                id: p.id,
                name: p.name,
                plain_sha256: p.plain_sha256,
                cipher_sha256: p.cipher_sha256,
            })
            .collect(),
    ))
}

/// Download a payload file while the entitlement is released: the `age` file,
/// encrypted to the receiving party (`truce entitlement open` decrypts it). The
/// hand-over is recorded in the ledger.
#[utoipa::path(get, path = "/api/v1/entitlements/{id}/payloads/{payload}", tag = "entitlements",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "the entitlement's id"),
        ("payload" = i64, Path, description = "the payload file's number")),
    responses((status = 200, description = "the age file", content_type = "application/octet-stream"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn payload(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    axum::extract::Path((id, payload)): axum::extract::Path<(String, i64)>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let principal = caller
        .require(&[Role::MissionAdmin, Role::Analyst, Role::PartyLiaison])?
        .clone();
    let snapshot = state.snapshots().staff.clone();
    let to = visible(&state, &snapshot.result, &caller.view(), &id)?
        .to
        .clone();
    let actor = state.ledger_actor(&principal);
    let file = tokio::task::spawn_blocking({
        let state = state.clone();
        move || -> ApiResult<truce_store::Payload> {
            let mut store = state.store()?;
            let file = truce_mission::entitlement::payloads_to_hand_over(
                store.as_mut(),
                &id,
                Some(payload),
            )
            .map_err(|error| match error {
                truce_mission::MissionError::NotHandedOver { entitlement, why } => ApiError::of(
                    ErrorCode::NotReleasable,
                    Message::new("api-not-handed-over")
                        .with("entitlement", Arg::code(entitlement))
                        .with("why", why),
                ),
                truce_mission::MissionError::NoPayload { entitlement, file } => {
                    ApiError::not_found(match file {
                        None => Message::new("api-no-payload")
                            .with("entitlement", Arg::code(entitlement)),
                        Some(file) => Message::new("api-no-payload-file")
                            .with("entitlement", Arg::code(entitlement))
                            .with("file", verbatim(file)),
                    })
                }
                other => ApiError::internal(other),
            })?
            .remove(0);
            truce_mission::entitlement::record_hand_over(
                store.as_mut(),
                &id,
                &to,
                Some(By::Actor(actor)),
                std::slice::from_ref(&file),
                &now(),
            )
            .map_err(ApiError::internal)?;
            Ok(file)
        }
    })
    .await??;
    let disposition = format!(
        "attachment; filename=\"{}.age\"",
        file.name.replace(['"', '\\', '\r', '\n'], "_")
    );
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/octet-stream".to_string(),
            ),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        file.ciphertext,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use truce_mission::disclosure::{Audience, Readable, readable};
    use truce_mission::record::RecordKind;

    /// Every reason the disclosure policy gives for withholding an entry has its
    /// sentence, in English as the policy words it and in Arabic with no English.
    #[test]
    fn every_reason_an_entry_is_withheld_is_a_sentence_of_the_catalogue() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mission =
            crate::load_agreement(&root.join("examples/syria-2016/agreement.toml"), false)
                .expect("the agreement");
        // An entitlement of the opposition, read by Russia's liaison and the public.
        let record =
            serde_json::json!({"entitlement": "syrian-air-force-grounded", "to": "opposition"});
        let bytes = serde_json::to_vec(&record).expect("bytes");
        let kinds = RecordKind::ALL
            .iter()
            .map(|k| k.as_str())
            .chain(["no-such-type"]);
        let mut reasons = std::collections::BTreeSet::new();
        for kind in kinds {
            for audience in [Audience::Public, Audience::Party("russia".into())] {
                if let Readable::Withheld(why) =
                    readable(kind, &bytes, &mission.agreement, &audience)
                {
                    reasons.insert(why);
                }
            }
        }
        assert_eq!(reasons.len(), 5, "{reasons:?}");
        for why in reasons {
            let message = withheld_message(why);
            assert_ne!(message.key, "disclosed-record-as-written", "{why}");
            assert_eq!(truce_words::english(&message), why);
            let arabic = truce_words::render(&message, truce_words::Language::Arabic);
            assert!(!arabic.chars().any(|c| c.is_ascii_alphabetic()), "{arabic}");
        }
    }
}
