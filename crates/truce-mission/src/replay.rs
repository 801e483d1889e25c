//! Replaying a bundle: every check run its log records is made again from the
//! agreement and evidence files the bundle holds, and its findings compared
//! byte for byte with what was recorded (`docs/trust.md`).

use crate::record::RecordKind;
use crate::verify::{Bundle, BundleError, Findings, manifest_for, read_bundle};
use crate::{findings_sha256, sha256_hex};
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
    let mut versions: BTreeMap<String, &Value> = BTreeMap::new();
    let mut out = String::new();
    let mut failed = 0;
    let mut replayed = 0;
    // Check runs this bundle's reader may not replay: the run or its files withheld.
    let mut not_replayed = 0;
    for (index, (record, _)) in bundle.records.iter().enumerate() {
        match RecordKind::of(record) {
            Some(RecordKind::AgreementVersion) => {
                if let Some(sha) = record["canonical_sha256"].as_str() {
                    versions.insert(sha.to_string(), record);
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
                match replay_one(&bundle, &versions, record) {
                    Ok(computed)
                        if Some(computed.as_str()) == record["findings_sha256"].as_str() =>
                    {
                        out.push_str(&format!(
                            "  entry {index}, check run {}: same findings (sha256 {computed})\n",
                            record["check_run"]
                        ));
                    }
                    Ok(computed) => {
                        failed += 1;
                        out.push_str(&format!(
                            "  ✗ entry {index}, check run {}: the findings differ: recorded {}, replayed {computed}\n",
                            record["check_run"], record["findings_sha256"]
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

/// The analysts' decisions a check-run record lists: `[[source, id], [source, id]]`
/// pairs (absent in records of older checks: none).
fn decided_pairs(list: &Value) -> Vec<truce_engine::corroborate::KeptApart> {
    let part = |v: &Value| {
        (
            v[0].as_str().unwrap_or("").to_string(),
            v[1].as_str().unwrap_or("").to_string(),
        )
    };
    list.as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .map(|pair| truce_engine::corroborate::KeptApart {
            first: part(&pair[0]),
            second: part(&pair[1]),
        })
        .collect()
}

/// Replays one check run: the sha256 of its findings, or why it cannot be replayed.
fn replay_one(
    bundle: &Bundle,
    versions: &BTreeMap<String, &Value>,
    record: &Value,
) -> Result<String, String> {
    let agreement_sha = record["agreement_sha256"].as_str().unwrap_or("");
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
    for f in version["files"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
    {
        let sha = f["sha256"].as_str().unwrap_or("");
        by_path.insert(
            f["path"].as_str().unwrap_or("").to_string(),
            files.join(sha),
        );
    }
    let name = version["name"].as_str().unwrap_or("agreement.toml");
    let loaded = truce_model::agreement::load(name, &text, &BundleFiles { by_path });
    let agreement = loaded
        .agreement
        .ok_or_else(|| format!("the agreement {agreement_sha} does not load"))?;
    let evidence_sha = record["evidence_sha256"].as_str().unwrap_or("");
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
    let kept_apart = decided_pairs(&record["kept_apart"]);
    let kept_together = decided_pairs(&record["kept_together"]);
    let as_of = record["as_of"]
        .as_str()
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
