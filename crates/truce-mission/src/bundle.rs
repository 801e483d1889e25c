//! A ledger bundle (`truce-bundle/1`, `docs/trust.md`): the log, its signed
//! checkpoints, the keys, and every file a record names, under its sha256 — what
//! anyone needs to verify and replay the mission's record with truce alone. It is
//! written through a [`BundleSink`], so the command line writes a folder and the
//! server a zip file from the same code.

use crate::disclosure::{Audience, BundleFile, Readable, readable, withheld_file};
use crate::record::RecordKind;
use crate::{MissionError, evidence_jsonl, sha256_hex};
use serde_json::{Value, json};
use std::path::Path;
use truce_model::agreement::Agreement;
use truce_store::{MONITOR_SOURCE, Storage};

/// The format of a bundle, written in its `bundle.json`.
pub const BUNDLE_FORMAT: &str = "truce-bundle/1";

/// Where a bundle's files go: `path` is relative to the bundle's root, with `/`.
pub trait BundleSink {
    fn file(&mut self, path: &str, bytes: &[u8]) -> Result<(), MissionError>;
}

/// What a bundle holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleSummary {
    pub entries: usize,
    pub checkpoints: usize,
    /// Files under `files/`.
    pub files: usize,
    /// Entries after the last checkpoint: `truce ledger verify` does not verify a
    /// bundle until a checkpoint covers them.
    pub unsigned: usize,
    /// Entries given as their leaf hash only, and files named but left out, because
    /// the bundle's audience may not read them (`disclosure`).
    pub withheld_entries: usize,
    pub withheld_files: usize,
}

/// The line of `log.jsonl` that stands for an entry its reader may not see: its
/// leaf hash (so the tree still checks), its type and why. A record always has a
/// top-level `type`; this line never does, so the two cannot be confused.
pub fn withheld_line(kind: &str, leaf_hash: &[u8; 32], why: &str) -> Vec<u8> {
    let hex: String = leaf_hash.iter().map(|b| format!("{b:02x}")).collect();
    // Keys in sorted order and no spaces: the line is canonical JSON like the others.
    serde_json::to_vec(&json!({"withheld": {"leaf_hash": hex, "type": kind, "why": why}}))
        .unwrap_or_default()
}

/// The ledger's origin line: `[ledger] origin`, or `truce/<agreement id>`.
pub fn origin(agreement: &Agreement) -> String {
    agreement
        .ledger
        .origin
        .clone()
        .unwrap_or_else(|| format!("truce/{}", agreement.id))
}

const README: &str = "This folder is a truce ledger bundle (truce-bundle/1).

  log.jsonl        every record of the ledger, one canonical JSON object per line
  checkpoints/     the mission's signed checkpoints (C2SP signed notes), oldest first
  keys.txt         the public keys of the mission and the parties, from the agreement
  files/           every file a record names, under its sha256: agreement texts, the
                   files they read, the evidence each check read

A bundle made for a party or for the public leaves out what its reader may not
see: such an entry of log.jsonl is a line {\"withheld\": {...}} giving the entry's
leaf hash, type and why, and bundle.json lists the files left out. The signed
checkpoints still check from the hashes; replay needs the files.

To check it, with nothing but truce:

  truce ledger verify THIS-FOLDER --key 'MISSION-PUBLIC-KEY'
  truce ledger replay THIS-FOLDER

docs/trust.md explains each step and what it proves.
";

fn bundle_error(message: String) -> MissionError {
    MissionError::Bundle(message)
}

/// Writes the bundle of `store`'s ledger for `audience`. `agreement_path` locates
/// the files the agreement versions read; `exported_at` is written in `bundle.json`.
///
/// One pass over the ledger writes the log, the files each record names (or says
/// why they are withheld from `audience`), the keys, the checkpoints and the
/// manifest; what each part writes depends on what the pass found before it, so
/// the pass stays whole (some 200 lines).
pub fn export_bundle(
    store: &mut dyn Storage,
    agreement: &Agreement,
    agreement_path: &Path,
    exported_at: &str,
    audience: &Audience,
    sink: &mut dyn BundleSink,
) -> Result<BundleSummary, MissionError> {
    let len = store.ledger_len()?;
    let entries = store.ledger_entries(0, len)?;
    if entries.is_empty() {
        return Err(bundle_error(format!(
            "the store `{}` has an empty ledger: nothing to export",
            store.describe()
        )));
    }
    let mut log = Vec::new();
    // The entries the audience may read, parsed; `None` for those withheld.
    let mut records: Vec<Option<Value>> = Vec::with_capacity(entries.len());
    for entry in &entries {
        match readable(&entry.kind, &entry.record, agreement, audience) {
            Readable::Record(value) => {
                log.extend_from_slice(&entry.record);
                records.push(Some(value));
            }
            Readable::Withheld(why) => {
                let kind = crate::disclosure::shown_kind(&entry.kind, audience);
                log.extend_from_slice(&withheld_line(kind, &entry.leaf_hash, why));
                records.push(None);
            }
        }
        log.push(b'\n');
    }
    sink.file("log.jsonl", &log)?;
    let unpublished = if *audience == Audience::Staff {
        Default::default()
    } else {
        store.unpublished_monitor_reports()?
    };
    let mut withheld_files: Vec<Value> = Vec::new();
    let mut withhold = |sha: &str, why: &str| {
        if !withheld_files.iter().any(|f| f["sha256"] == sha) {
            withheld_files.push(json!({"sha256": sha, "why": why}));
        }
    };
    let checkpoints = store.checkpoints()?;
    for (n, checkpoint) in checkpoints.iter().enumerate() {
        sink.file(
            &format!("checkpoints/{:06}.note", n + 1),
            checkpoint.note.as_bytes(),
        )?;
    }
    let base = agreement_path.parent().unwrap_or(Path::new(""));
    let mut named: usize = 0;
    for (entry, record) in entries.iter().zip(&records) {
        let Some(record) = record else { continue };
        match RecordKind::of(record) {
            Some(RecordKind::AgreementVersion) => {
                if let Some(why) = withheld_file(BundleFile::Agreement, audience) {
                    withhold(record["canonical_sha256"].as_str().unwrap_or(""), why);
                    for file in record["files"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
                        withhold(file["sha256"].as_str().unwrap_or(""), why);
                    }
                    continue;
                }
                // Found by its hash: the record names the file without its folder.
                let sha = record["canonical_sha256"].as_str().unwrap_or("");
                let text = store.agreement_text(sha)?.ok_or_else(|| {
                    bundle_error(format!(
                        "the store has no text of agreement version {sha} (ledger entry {})",
                        entry.index
                    ))
                })?;
                sink.file(&format!("files/{sha}"), text.as_bytes())?;
                named += 1;
                let originals = original_paths(&text, base);
                for file in record["files"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
                    let path = file["path"].as_str().unwrap_or("");
                    let sha = file["sha256"].as_str().unwrap_or("");
                    let original = originals.get(path).map_or(path, String::as_str);
                    let bytes = std::fs::read(base.join(original)).map_err(|source| {
                        MissionError::ReadFile {
                            name: format!("{path} (named by ledger entry {})", entry.index),
                            source,
                        }
                    })?;
                    if sha256_hex(&bytes) != sha {
                        return Err(bundle_error(format!(
                            "`{path}` has changed since ledger entry {} recorded it (sha256 {sha}); export from the files as they were",
                            entry.index
                        )));
                    }
                    sink.file(&format!("files/{sha}"), &bytes)?;
                    named += 1;
                }
            }
            Some(RecordKind::CheckRun) => {
                let id = record["check_run"].as_i64().unwrap_or(0);
                let sha = record["evidence_sha256"].as_str().unwrap_or("").to_string();
                // Evidence withheld whatever it holds (the public's case) is decided
                // before it is rebuilt from the store and the files.
                let bare = BundleFile::Evidence {
                    holds_unpublished: false,
                    holds_monitors: false,
                };
                if let Some(why) = withheld_file(bare, audience) {
                    withhold(&sha, why);
                    continue;
                }
                let (mut reports, files) = store.check_run_inputs(id)?.ok_or_else(|| {
                    bundle_error(format!(
                        "the store has no check run {id} (ledger entry {})",
                        entry.index
                    ))
                })?;
                for (name, file_sha) in &files {
                    let bytes = std::fs::read(name).map_err(|source| MissionError::ReadFile {
                        name: format!("{name} (the events file of check run {id})"),
                        source,
                    })?;
                    if &sha256_hex(&bytes) != file_sha {
                        return Err(bundle_error(format!(
                            "the events file `{name}` of check run {id} has changed since; export needs it as it was"
                        )));
                    }
                    let imported = truce_ingest::import_reader(
                        name,
                        &bytes[..],
                        None,
                        &truce_ingest::ImportOptions { keep_raw: false },
                    )
                    .map_err(|e| bundle_error(format!("cannot read `{name}` again: {e}")))?;
                    reports.extend(imported.reports);
                }
                let holds_unpublished = reports.iter().any(|r| {
                    r.provenance.source == MONITOR_SOURCE
                        && unpublished.contains(&r.provenance.source_id)
                });
                let holds_monitors = reports
                    .iter()
                    .any(|r| r.provenance.source == MONITOR_SOURCE);
                if let Some(why) = withheld_file(
                    BundleFile::Evidence {
                        holds_unpublished,
                        holds_monitors,
                    },
                    audience,
                ) {
                    withhold(&sha, why);
                    continue;
                }
                let jsonl = evidence_jsonl(&reports);
                if sha256_hex(&jsonl) != sha {
                    return Err(bundle_error(format!(
                        "the evidence of check run {id} cannot be rebuilt as it was read (sha256 {sha}); the store or its files changed"
                    )));
                }
                sink.file(&format!("files/{sha}"), &jsonl)?;
                named += 1;
            }
            _ => {}
        }
    }
    let mut keys = String::new();
    for key in &agreement.ledger.mission_keys {
        keys.push_str(&format!("mission {key}\n"));
    }
    for party in &agreement.parties {
        for key in &party.keys {
            keys.push_str(&format!("party {} {key}\n", party.id));
        }
    }
    sink.file("keys.txt", keys.as_bytes())?;
    let withheld_entries = records.iter().filter(|r| r.is_none()).count();
    let withheld_file_count = withheld_files.len();
    let mut manifest = json!({
        "format": BUNDLE_FORMAT,
        "origin": origin(agreement),
        "entries": entries.len(),
        "checkpoints": checkpoints.len(),
        "exported": exported_at,
    });
    if *audience != Audience::Staff {
        manifest["for"] = json!(audience.describe());
        manifest["withheld_entries"] = json!(withheld_entries);
        manifest["withheld_files"] = Value::Array(withheld_files);
    }
    let manifest = serde_json::to_string_pretty(&manifest)
        .map_err(|e| bundle_error(format!("cannot write bundle.json: {e}")))?;
    sink.file("bundle.json", format!("{manifest}\n").as_bytes())?;
    sink.file("README.txt", README.as_bytes())?;
    let signed = checkpoints
        .last()
        .and_then(|c| c.note.lines().nth(1))
        .and_then(|size| size.parse::<usize>().ok())
        .unwrap_or(0);
    Ok(BundleSummary {
        entries: entries.len(),
        checkpoints: checkpoints.len(),
        files: named,
        unsigned: entries.len().saturating_sub(signed),
        withheld_entries,
        withheld_files: withheld_file_count,
    })
}

/// The paths an agreement text names its files by, keyed by how the ledger
/// records them ([`crate::recorded_file_name`]): a file outside the agreement's
/// folder is recorded by its name alone, and read from where the text says.
fn original_paths(text: &str, base: &Path) -> std::collections::BTreeMap<String, String> {
    struct Beside<'a>(&'a Path);
    impl truce_model::agreement::Files for Beside<'_> {
        fn read(&self, path: &str) -> Result<Vec<u8>, String> {
            std::fs::read(self.0.join(path)).map_err(|e| e.to_string())
        }
    }
    truce_model::agreement::load("agreement.toml", text, &Beside(base))
        .agreement
        .map(|agreement| {
            agreement
                .referenced_files
                .iter()
                .map(|path| (crate::recorded_file_name(path), path.clone()))
                .collect()
        })
        .unwrap_or_default()
}
