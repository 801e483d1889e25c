//! Replaying a bundle: every check run its log records is made again from the
//! agreement and evidence files the bundle holds, and its findings compared
//! byte for byte with what was recorded (`docs/trust.md`).

use crate::record::{AgreementVersion, CheckRun, Record, RecordKind};
use crate::verify::{Bundle, BundleError, Findings, manifest_for, read_bundle};
use crate::{findings_sha256, sha256_hex};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Files of a bundle by the paths an agreement version names them by.
struct BundleFiles {
    by_path: BTreeMap<String, PathBuf>,
}

impl truce_model::agreement::Files for BundleFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        // A file outside the agreement's folder is recorded by its name alone.
        let full = self
            .by_path
            .get(path)
            .or_else(|| self.by_path.get(&crate::recorded_file_name(path)))
            .ok_or_else(|| format!("the bundle has no file `{path}` for this agreement version"))?;
        std::fs::read(full).map_err(|e| format!("{e} ({})", full.display()))
    }
}

/// `truce ledger replay BUNDLE`: re-runs every recorded check from the recorded
/// inputs and compares the findings' hash byte for byte. Returns the report and
/// the exit code (0 every check reproduced, 1 not).
pub fn replay(root: &Path) -> Result<(String, u8), BundleError> {
    let mut findings = Findings::default();
    let bundle = read_bundle(root, &[], &mut findings)?;
    let mut versions: BTreeMap<String, AgreementVersion> = BTreeMap::new();
    let mut out = String::new();
    let mut failed = 0;
    let mut replayed = 0;
    // Check runs this bundle's reader may not replay: the run or its files withheld.
    let mut not_replayed = 0;
    for (index, (record, _)) in bundle.records.iter().enumerate() {
        match RecordKind::of(record) {
            Some(RecordKind::AgreementVersion) => {
                if let Ok(Record::AgreementVersion(version)) = typed(record) {
                    versions.insert(version.canonical_sha256.clone(), version);
                }
            }
            Some(RecordKind::CheckRun) if record.get("withheld").is_some() => {
                not_replayed += 1;
                out.push_str(&format!(
                    "  – entry {index}: a check run withheld from this bundle ({}): not replayed\n",
                    record["withheld"].as_str().unwrap_or("")
                ));
            }
            Some(RecordKind::CheckRun)
                if ["agreement_sha256", "evidence_sha256"].iter().any(|field| {
                    record[*field]
                        .as_str()
                        .is_some_and(|sha| bundle.withheld_files.contains_key(sha))
                }) =>
            {
                not_replayed += 1;
                let why = ["agreement_sha256", "evidence_sha256"]
                    .iter()
                    .find_map(|field| bundle.withheld_files.get(record[*field].as_str()?))
                    .cloned()
                    .unwrap_or_default();
                out.push_str(&format!(
                    "  – entry {index}, check run {}: its files are withheld from this bundle ({why}): not replayed\n",
                    record["check_run"]
                ));
            }
            Some(RecordKind::CheckRun) => {
                replayed += 1;
                let run = match typed(record) {
                    Ok(Record::CheckRun(run)) => Ok(run),
                    Ok(_) => Err("the record is not a check run".to_string()),
                    Err(e) => Err(format!("the record does not read as a check run: {e}")),
                };
                match run.and_then(|run| Ok((replay_one(&bundle, &versions, &run)?, run))) {
                    Ok((computed, run)) if computed == run.findings_sha256 => {
                        out.push_str(&format!(
                            "  entry {index}, check run {}: same findings (sha256 {computed})\n",
                            record["check_run"]
                        ));
                    }
                    Ok((computed, run)) => {
                        failed += 1;
                        out.push_str(&format!(
                            "  ✗ entry {index}, check run {}: the findings differ: recorded \"{}\", replayed {computed}\n",
                            run.check_run, run.findings_sha256
                        ));
                    }
                    Err(e) => {
                        failed += 1;
                        out.push_str(&format!(
                            "  ✗ entry {index}, check run {}: cannot replay: {e}\n",
                            record["check_run"]
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    let head = format!("replayed {replayed} check run(s) from {}\n", root.display());
    if failed == 0 && not_replayed == 0 {
        Ok((
            format!("{head}{out}replayed: every check gives the recorded findings\n"),
            0,
        ))
    } else if failed == 0 {
        Ok((
            format!(
                "{head}{out}NOT reproduced: {not_replayed} check run(s) could not be replayed, because this bundle was made for {} and withholds what they read; the mission's full bundle replays them\n",
                manifest_for(root).unwrap_or_else(|| "a restricted reader".into())
            ),
            1,
        ))
    } else {
        Ok((
            format!("{head}{out}NOT reproduced: {failed} check run(s)\n"),
            1,
        ))
    }
}

/// A record of the bundle's log as its type; an error when it does not read as one.
fn typed(record: &Value) -> Result<Record, serde_json::Error> {
    Record::deserialize(record)
}

/// The analysts' decisions a check-run record lists (none in records of older checks).
fn decided_pairs(
    pairs: &[[crate::record::ReportRef; 2]],
) -> Vec<truce_engine::corroborate::KeptApart> {
    pairs
        .iter()
        .map(|[first, second]| truce_engine::corroborate::KeptApart {
            first: first.clone(),
            second: second.clone(),
        })
        .collect()
}

/// Replays one check run: the sha256 of its findings, or why it cannot be replayed.
fn replay_one(
    bundle: &Bundle,
    versions: &BTreeMap<String, AgreementVersion>,
    record: &CheckRun,
) -> Result<String, String> {
    let agreement_sha = record.agreement_sha256.as_str();
    let version = versions
        .get(agreement_sha)
        .ok_or_else(|| format!("no earlier agreement-version entry for {agreement_sha}"))?;
    let files = bundle.root.join("files");
    let text = std::fs::read_to_string(files.join(agreement_sha))
        .map_err(|e| format!("files/{agreement_sha} (the agreement) is missing: {e}"))?;
    if sha256_hex(text.as_bytes()) != agreement_sha {
        return Err(format!(
            "files/{agreement_sha}: the agreement's text was edited"
        ));
    }
    let mut by_path = BTreeMap::new();
    for file in &version.files {
        by_path.insert(file.path.clone(), files.join(&file.sha256));
    }
    let name = version.name.as_str();
    let loaded = truce_model::agreement::load(name, &text, &BundleFiles { by_path });
    let agreement = loaded
        .agreement
        .ok_or_else(|| format!("the agreement {agreement_sha} does not load"))?;
    let evidence_sha = record.evidence_sha256.as_str();
    let evidence = std::fs::read(files.join(evidence_sha))
        .map_err(|e| format!("files/{evidence_sha} (the evidence) is missing: {e}"))?;
    if sha256_hex(&evidence) != evidence_sha {
        return Err(format!("files/{evidence_sha}: the evidence was edited"));
    }
    let imported = truce_ingest::import_reader(
        "evidence.jsonl",
        &evidence[..],
        Some(truce_ingest::Format::TruceJsonl),
        &truce_ingest::ImportOptions { keep_raw: false },
    )
    .map_err(|e| e.to_string())?;
    if !imported.quarantined.is_empty() {
        return Err(format!(
            "the recorded evidence has {} unreadable line(s)",
            imported.quarantined.len()
        ));
    }
    let kept_apart = decided_pairs(&record.kept_apart);
    let kept_together = decided_pairs(&record.kept_together);
    let as_of = record
        .as_of
        .as_deref()
        .and_then(truce_model::time::Day::parse_iso);
    let result = truce_engine::check(&truce_engine::CheckInput {
        agreement: &agreement,
        reports: &imported.reports,
        as_of,
        kept_apart: &kept_apart,
        kept_together: &kept_together,
    });
    findings_sha256(&result).map_err(|e| e.to_string())
}
