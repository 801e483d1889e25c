//! What a mission does and records, shared by the `truce` command and the server:
//! each task written once, over any store (`dyn Storage`).
//!
//! Every change to what the mission knows is appended to the store's ledger as a
//! record: a JSON object with a `type`, written in canonical form (RFC 8785), its
//! RFC 9162 leaf hash kept beside it (`docs/trust.md`). This crate builds the
//! records both edges write — agreement versions and the key rotations they
//! carry, import runs — and appends them, so the command line and the API record
//! the same facts the same way. It also imports evidence files ([`import`]),
//! writes bundles ([`bundle`]) and reads, verifies and replays them ([`verify`],
//! [`replay`]). It reads files and the store; its functions read no clock: the
//! time of a record is given ([`now`] is the edges' clock, kept here once).

pub mod bundle;
pub mod checkpoint;
pub mod decisions;
pub mod disclosure;
pub mod entitlement;
pub mod import;
pub mod life;
pub mod record;
pub mod replay;
pub mod verify;
pub mod withdraw;

use record::{
    AgreementVersion, By, CheckReference, FileHash, ImportRun, KeyChange, KeyRotation, PartyKeys,
    Record, RecordKind,
};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::Path;
use truce_audit::{canonical_json, leaf_hash};
use truce_model::agreement::Agreement;
use truce_store::{LedgerRecord, RunInfo, Storage, StoreError};

/// What can go wrong while recording.
#[derive(Debug, thiserror::Error)]
pub enum MissionError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A record could not be written canonically (a number beyond 2^53, say).
    #[error("cannot write the ledger record canonically: {0}")]
    Canonical(String),
    /// A bundle cannot be written as the ledger says it should be.
    #[error("{0}")]
    Bundle(String),
    /// An evidence file cannot be imported as a whole (empty, not text, an
    /// unknown layout); nothing of it is stored.
    #[error("cannot import `{name}`")]
    Import {
        name: String,
        #[source]
        source: truce_ingest::IngestError,
    },
    /// A report cannot be encoded for the store.
    #[error("cannot encode a report for the store")]
    Encode(#[source] serde_json::Error),
    /// A thread of an import stopped without saying why.
    #[error("the thread {what} `{name}` stopped")]
    Stopped { what: &'static str, name: String },
    /// The entitlement is released already (and not suspended since).
    #[error("entitlement `{entitlement}` is already released")]
    AlreadyReleased { entitlement: String },
    /// Only a released entitlement can be suspended.
    #[error("entitlement `{entitlement}` is not released: there is nothing to suspend")]
    NotReleasedNow { entitlement: String },
    /// The check does not verify the entitlement's step.
    #[error("entitlement `{entitlement}` may not be released: {reason}")]
    NotReleasable { entitlement: String, reason: String },
    /// An entitlement's payload is handed over only while it is released.
    #[error("entitlement `{entitlement}` {why}: its payload is not handed over")]
    NotHandedOver { entitlement: String, why: String },
    /// No payload file to hand over (none kept, or not the one asked for).
    #[error("entitlement `{entitlement}` has no payload{}", file.map(|n| format!(" file {n}")).unwrap_or_default())]
    NoPayload {
        entitlement: String,
        file: Option<i64>,
    },
    /// The key is not one the agreement lists as the mission's.
    #[error(
        "the key `{name}` is not one of the mission's keys the agreement lists in `[ledger] mission_keys`; nothing was signed"
    )]
    NotAMissionKey { name: String },
    /// A checkpoint could not be signed.
    #[error("cannot sign the checkpoint: {0}")]
    Sign(String),
    /// No current report to withdraw under that name.
    #[error("the store holds no current report `{report}`; nothing was recorded")]
    NoSuchReport { report: String },
    /// A folder given as evidence holds no Parquet or Arrow file.
    #[error(
        "the folder `{name}` holds no Parquet or Arrow IPC file (.parquet, .arrow, .arrows, \
         .feather, .ipc); expected the files of one table, or name the files themselves"
    )]
    EmptyFolder { name: String },
    /// A file the agreement names cannot be read.
    #[error("cannot read `{name}`")]
    ReadFile {
        name: String,
        #[source]
        source: std::io::Error,
    },
}

/// The time now, RFC 3339: the one clock of the command line and the server,
/// which pass it to the store and to this crate's functions (neither reads one).
pub fn now() -> String {
    jiff::Timestamp::now().to_string()
}

/// The sha256 of `bytes` as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// A record as the ledger keeps it: its type, canonical bytes and leaf hash.
pub fn ledger_record(record: &Record) -> Result<LedgerRecord, MissionError> {
    let kind = record.kind().as_str().to_string();
    let value = record
        .to_value()
        .map_err(|e| MissionError::Canonical(e.to_string()))?;
    let bytes = canonical_json(&value).map_err(|e| MissionError::Canonical(e.to_string()))?;
    let hash = leaf_hash(&bytes);
    Ok(LedgerRecord {
        kind,
        leaf_hash: *hash.as_bytes(),
        record: bytes,
    })
}

/// Appends `record` to the store's ledger at `at`; returns its index.
pub fn append(store: &mut dyn Storage, record: &Record, at: &str) -> Result<u64, MissionError> {
    let entry = ledger_record(record)?;
    Ok(store.append_ledger(&entry.kind, &entry.record, &entry.leaf_hash, at)?)
}

/// The files an agreement reads, each with its sha256, as the agreement names them.
pub fn referenced_files(
    agreement: &Agreement,
    agreement_path: &Path,
) -> Result<Vec<FileHash>, MissionError> {
    let base = agreement_path.parent().unwrap_or(Path::new(""));
    agreement
        .referenced_files
        .iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|name| {
            let bytes =
                std::fs::read(base.join(name)).map_err(|source| MissionError::ReadFile {
                    name: name.clone(),
                    source,
                })?;
            Ok(FileHash {
                path: recorded_file_name(name),
                sha256: sha256_hex(&bytes),
            })
        })
        .collect()
}

/// How the ledger names a file the agreement reads: as the agreement writes it
/// when it lies in the agreement's folder (`data/boundaries.geojson`), else by
/// its file name alone, so no record (and the public reads them) carries a
/// folder of the machine it was checked on.
pub fn recorded_file_name(path: &str) -> String {
    use std::path::Component;
    let inside = Path::new(path)
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if inside {
        return path.to_string();
    }
    Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("file")
        .to_string()
}

/// The record of a new agreement version. Its `name` is the agreement file's
/// name without its folder.
pub fn agreement_version_record(
    agreement: &Agreement,
    agreement_path: &Path,
    name: &str,
    raw_text: &str,
    canonical_sha256: &str,
    at: &str,
) -> Result<AgreementVersion, MissionError> {
    Ok(AgreementVersion {
        at: at.to_string(),
        agreement: agreement.id.clone(),
        name: Path::new(name)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(name)
            .to_string(),
        file_sha256: sha256_hex(raw_text.as_bytes()),
        canonical_sha256: canonical_sha256.to_string(),
        files: referenced_files(agreement, agreement_path)?,
        mission_keys: agreement.ledger.mission_keys.clone(),
        party_keys: agreement
            .parties
            .iter()
            .map(|p| PartyKeys {
                party: p.id.clone(),
                keys: p.keys.clone(),
            })
            .collect(),
        by: None,
    })
}

/// The keys of the last agreement-version record of agreement `id`, by holder
/// (`mission` or `party:<id>`).
fn last_keys(store: &mut dyn Storage, id: &str) -> Result<Option<Vec<HolderKeys>>, MissionError> {
    let mut last = None;
    let len = store.ledger_len()?;
    for entry in store.ledger_entries(0, len)? {
        if !RecordKind::AgreementVersion.is(&entry.kind) {
            continue;
        }
        let Ok(Record::AgreementVersion(version)) = Record::parse(&entry.record) else {
            continue;
        };
        if version.agreement == id {
            last = Some(keys_of(&version));
        }
    }
    Ok(last)
}

/// A key holder (`mission` or `party:<id>`) and its public keys.
type HolderKeys = (String, BTreeSet<String>);

fn keys_of(version: &AgreementVersion) -> Vec<HolderKeys> {
    let set = |keys: &[String]| keys.iter().cloned().collect::<BTreeSet<String>>();
    let mut holders = vec![("mission".to_string(), set(&version.mission_keys))];
    for party in &version.party_keys {
        holders.push((format!("party:{}", party.party), set(&party.keys)));
    }
    holders
}

/// Appends the record of a new agreement version and, when its keys differ from
/// the previous version's, a `key-rotation` record naming what changed.
///
/// A party's or the mission's keys live in the agreement file; a new version that
/// adds or drops a key is a key rotation. It is appended as its own record right
/// after the version's, so a liaison reading the log sees "usa: key X added, key Y
/// removed" without comparing versions by hand.
#[allow(clippy::too_many_arguments)]
pub fn record_agreement_version(
    store: &mut dyn Storage,
    agreement: &Agreement,
    agreement_path: &Path,
    name: &str,
    source: &str,
    canonical_sha256: &str,
    by: Option<By>,
    at: &str,
) -> Result<(), MissionError> {
    let before = last_keys(store, &agreement.id)?;
    let mut version = agreement_version_record(
        agreement,
        agreement_path,
        name,
        source,
        canonical_sha256,
        at,
    )?;
    // Who put it in force, when the server knows (an upload); the command line's
    // records name no one, as before.
    version.by = by;
    let after = keys_of(&version);
    append(store, &Record::AgreementVersion(version), at)?;
    let Some(before) = before else {
        return Ok(());
    };
    let mut changes = Vec::new();
    let holders: BTreeSet<&String> = before.iter().chain(&after).map(|(h, _)| h).collect();
    for holder in holders {
        let empty = BTreeSet::new();
        let old = before
            .iter()
            .find(|(h, _)| h == holder)
            .map_or(&empty, |(_, k)| k);
        let new = after
            .iter()
            .find(|(h, _)| h == holder)
            .map_or(&empty, |(_, k)| k);
        if old != new {
            changes.push(KeyChange {
                holder: holder.clone(),
                added: new.difference(old).cloned().collect(),
                removed: old.difference(new).cloned().collect(),
            });
        }
    }
    if !changes.is_empty() {
        let rotation = KeyRotation {
            at: at.to_string(),
            agreement: agreement.id.clone(),
            agreement_sha256: canonical_sha256.to_string(),
            changes,
        };
        append(store, &Record::KeyRotation(rotation), at)?;
    }
    Ok(())
}

/// The record of a finished import run: the file by hash, every count, and the
/// reasons rows were set aside.
pub fn import_run_record(run: &RunInfo) -> ImportRun {
    ImportRun {
        at: run.finished.clone(),
        run: run.id,
        file: run.file.name.clone(),
        file_sha256: run.file.sha256.clone(),
        size: run.file.size,
        format: run.file.format.clone(),
        started: run.started.clone(),
        counts: run.counts,
        reasons: run
            .reasons
            .iter()
            .map(|r| record::ReasonCount {
                outcome: r.outcome.as_str().to_string(),
                field: r.field.clone(),
                reason: r.reason.clone(),
                count: r.count,
            })
            .collect(),
        by: None,
    }
}

/// Appends an `import-run` record for every finished import run of a file that
/// the ledger does not hold yet (a run killed before its record, or resumed
/// and finished later, is recorded by the next import). Returns how many.
pub fn record_finished_imports(storage: &mut dyn Storage, at: &str) -> Result<usize, MissionError> {
    let len = storage.ledger_len()?;
    let recorded: BTreeSet<i64> = storage
        .ledger_entries(0, len)?
        .iter()
        .filter(|e| RecordKind::ImportRun.is(&e.kind))
        .filter_map(|e| match Record::parse(&e.record) {
            Ok(Record::ImportRun(run)) => Some(run.run),
            _ => None,
        })
        .collect();
    let mut appended = 0;
    for run in storage.file_runs()? {
        if run.finished.is_none() || recorded.contains(&run.id) {
            continue;
        }
        append(storage, &Record::ImportRun(import_run_record(&run)), at)?;
        appended += 1;
    }
    Ok(appended)
}

/// Where an entitlement stands in the ledger: released (and not suspended since) or not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Standing {
    NeverReleased,
    Released { at: String, by: String },
    Suspended { at: String, reason: String },
}

/// Reads the ledger for entitlement `entitlement`'s releases and suspensions.
pub fn standing(store: &mut dyn Storage, entitlement: &str) -> Result<Standing, MissionError> {
    let mut state = Standing::NeverReleased;
    let len = store.ledger_len()?;
    for entry in store.ledger_entries(0, len)? {
        if !RecordKind::EntitlementRelease.is(&entry.kind)
            && !RecordKind::EntitlementSuspension.is(&entry.kind)
        {
            continue;
        }
        match Record::parse(&entry.record) {
            Ok(Record::EntitlementRelease(release)) if release.entitlement == entitlement => {
                state = Standing::Released {
                    at: release.at,
                    by: release.by.shown(),
                }
            }
            Ok(Record::EntitlementSuspension(suspension))
                if suspension.entitlement == entitlement =>
            {
                state = Standing::Suspended {
                    at: suspension.at,
                    reason: suspension.reason,
                }
            }
            _ => {}
        }
    }
    Ok(state)
}

/// The evidence a check read, as JSON Lines (one report per line, in the order
/// read): what the check-run record's `evidence_sha256` is the hash of.
pub fn evidence_jsonl(reports: &[truce_model::report::Report]) -> Vec<u8> {
    let mut out = Vec::new();
    for report in reports {
        // Reports are plain data: serializing them cannot fail.
        if serde_json::to_writer(&mut out, report).is_ok() {
            out.push(b'\n');
        }
    }
    out
}

/// The sha256 of a check's findings: its whole JSON document (`truce-check/2`)
/// but the import diagnostics, in canonical JSON. Replaying the check from the
/// recorded inputs must give it again.
pub fn findings_sha256(result: &truce_engine::CheckResult) -> Result<String, MissionError> {
    let document = truce_report::json::CheckJson::from(result);
    let mut value =
        serde_json::to_value(&document).map_err(|e| MissionError::Canonical(e.to_string()))?;
    if let Some(object) = value.as_object_mut() {
        object.remove("diagnostics");
    }
    let bytes = canonical_json(&value).map_err(|e| MissionError::Canonical(e.to_string()))?;
    Ok(sha256_hex(&bytes))
}

/// What a release or suspension rests on: the check's day, findings and evidence, by hash.
pub fn check_reference(
    result: &truce_engine::CheckResult,
    reports: &[truce_model::report::Report],
) -> Result<CheckReference, MissionError> {
    Ok(CheckReference {
        as_of: result.as_of.to_string(),
        findings_sha256: findings_sha256(result)?,
        evidence_sha256: sha256_hex(&evidence_jsonl(reports)),
    })
}
