//! Check runs in the store: `truce check --db` records each one; `truce runs`
//! lists them; `truce diff` shows what changed between two, and why.

use crate::{Checked, EvidenceArgs, StoreRead, store};
use anyhow::{Context, Result, bail};
use std::path::Path;
use truce_mission::record::{
    CheckRun as CheckRunRecord, EntitlementOutcome, Record, ReportRef, StepOutcome,
};
use truce_report::diff::{self, Diff, RunRef};
use truce_store::{CheckRun, NewCheckRun, Storage};

/// Records the check a release or a suspension rests on, when it was read from
/// the store (`db`), with the exit code the check itself would give.
pub fn record_run_behind(db: &Path, evidence: &EvidenceArgs, checked: &Checked) -> Result<()> {
    if let Some(read) = &checked.store {
        let code = truce_report::check_exit_code(&checked.result) as u8;
        record_check_run(db, evidence, read, checked, code)?;
    }
    Ok(())
}

/// Records the check just made and tells the user (on stderr) what changed since
/// the last recorded check of the same agreement.
pub fn record_check_run(
    db: &Path,
    evidence: &EvidenceArgs,
    read: &StoreRead,
    checked: &Checked,
    exit_code: u8,
) -> Result<()> {
    let mut files = Vec::new();
    for file in &truce_mission::import::evidence_files(&evidence.events)? {
        let name = file.display().to_string();
        files.push((
            name.clone(),
            truce_mission::import::file_sha256(file, &name)?,
        ));
    }
    let as_of = evidence.as_of.map(|d| d.to_string());
    let result = truce_report::json::render(&checked.result);
    let mut store = store::open(db)?;
    // The last check of the same agreement (by its own id: the file may have
    // moved or been given by another path, and may be a new version).
    let agreement_id = checked.agreement.id.as_str();
    let previous = store
        .check_runs()?
        .into_iter()
        .rev()
        .find(|run| run.agreement_id == agreement_id);
    let id = store.record_check_run(&NewCheckRun {
        started: &store::now(),
        agreement: read.agreement_version,
        agreement_id,
        as_of: as_of.as_deref(),
        watermark: read.watermark,
        known_before: read.known_before.as_deref(),
        kept_apart: &read.kept_apart,
        files: &files,
        reports: checked.reports.len() as u64,
        result: &result,
        exit_code: i32::from(exit_code),
    })?;
    // The ledger keeps what the check read and what it found, by hash, and each
    // step's outcome and each entitlement's status.
    let pairs = |decisions: &[truce_engine::corroborate::KeptApart]| -> Vec<[ReportRef; 2]> {
        decisions
            .iter()
            .map(|k| [k.first.clone(), k.second.clone()])
            .collect()
    };
    let result = &checked.result;
    let at = store::now();
    let record = CheckRunRecord {
        at: at.clone(),
        check_run: id,
        agreement: checked.agreement.id.clone(),
        agreement_sha256: read.agreement_sha256.clone(),
        as_of,
        evidence_sha256: truce_mission::sha256_hex(&truce_mission::evidence_jsonl(
            &checked.reports,
        )),
        reports: checked.reports.len() as u64,
        files,
        kept_apart: pairs(&checked.kept_apart),
        kept_together: pairs(&checked.kept_together),
        findings_sha256: truce_mission::findings_sha256(result)?,
        exit_code,
        steps: result
            .steps
            .iter()
            .map(|s| StepOutcome {
                step: s.id.clone(),
                status: s.status.label().to_string(),
                met_on: s.met_on.map(|d| d.to_string()),
                on_certain: s.on_certain.status.label().to_string(),
                with_possible: s.with_possible.status.label().to_string(),
            })
            .collect(),
        entitlements: result
            .entitlements
            .iter()
            .map(|e| EntitlementOutcome {
                entitlement: e.id.clone(),
                releasable: e.releasable,
            })
            .collect(),
    };
    let index = truce_mission::append(store.as_mut(), &Record::CheckRun(record), &at)?;
    eprintln!("ledger entry {index}: check run {id}");
    let Some(previous) = previous else {
        eprintln!("recorded as check run {id} in {}", store.describe());
        return Ok(());
    };
    let compared = compare(store.as_mut(), previous.id, id)?;
    // The store as the user named it, but a PostgreSQL URL without its password.
    let db_shown = store.describe();
    if compared.evidence.is_empty()
        && !compared.agreement_changed
        && compared.as_of.0 == compared.as_of.1
        && compared.files_changed.is_empty()
        && compared.kept_apart_added.is_empty()
        && compared.kept_apart_withdrawn.is_empty()
    {
        eprintln!(
            "recorded as check run {id} in {db_shown}; nothing it reads changed since check run {}",
            previous.id
        );
    } else {
        eprintln!(
            "recorded as check run {id} in {db_shown}; since check run {}: {} report(s) changed in the store, \
             {} finding(s) and {} step outcome(s) differ (truce diff {} {id} --db {db_shown})",
            previous.id,
            compared.evidence.len(),
            compared.findings.len(),
            compared.steps.len(),
            previous.id
        );
    }
    Ok(())
}

fn run_ref(run: &CheckRun) -> RunRef {
    RunRef {
        id: run.id,
        started: run.started.clone(),
        agreement: run.agreement_name.clone(),
        agreement_sha256: run.agreement_sha256.clone(),
        as_of_given: run.as_of.clone(),
        reports: run.reports,
        kept_apart: run.kept_apart.clone(),
        files: run.files.clone(),
    }
}

fn load(store: &mut dyn Storage, id: i64) -> Result<(CheckRun, serde_json::Value)> {
    let Some(run) = store.check_run(id)? else {
        let known: Vec<String> = store
            .check_runs()?
            .iter()
            .map(|r| r.id.to_string())
            .collect();
        bail!(
            "the store `{}` has no check run {id} (it has {})",
            store.describe(),
            if known.is_empty() {
                "none: `truce check --db` records them".to_string()
            } else {
                known.join(", ")
            }
        );
    };
    let result = serde_json::from_str(&run.result).with_context(|| {
        format!(
            "the store `{}`: the result of check run {id} cannot be read back",
            store.describe()
        )
    })?;
    Ok((run, result))
}

/// Compares two recorded runs.
fn compare(store: &mut dyn Storage, from: i64, to: i64) -> Result<Diff> {
    let (a, a_result) = load(store, from)?;
    let (b, b_result) = load(store, to)?;
    let evidence = store
        .changes_between_known(
            a.watermark,
            a.known_before.as_deref(),
            b.watermark,
            b.known_before.as_deref(),
        )?
        .iter()
        .filter_map(|c| {
            diff::evidence_change(
                c.before.as_ref(),
                c.after.as_ref(),
                c.deletion_note.as_deref(),
            )
        })
        .collect();
    Ok(diff::diff(
        run_ref(&a),
        &a_result,
        run_ref(&b),
        &b_result,
        evidence,
    ))
}

/// `truce diff RUN-A RUN-B --db PATH`: exit 0 when the outcomes are the same, 1 when they differ.
pub fn diff_runs(db: &Path, from: i64, to: i64, json: bool) -> Result<u8> {
    let mut store = store::open_existing(db)?;
    let compared = compare(store.as_mut(), from, to)?;
    let text = if json {
        diff::render_json(&compared)
    } else {
        diff::render_text(&compared)
    };
    store::write_stdout(text.as_bytes())?;
    Ok(if compared.same_outcome() { 0 } else { 1 })
}

/// `truce runs --db PATH`: the recorded check runs, one per line.
pub fn list(db: &Path) -> Result<String> {
    let mut store = store::open_existing(db)?;
    let mut text = String::new();
    for run in store.check_runs()? {
        text.push_str(&format!(
            "check run {}: {} agreement {} from {} (version {}), as of {}, {} reports{}, exit {}\n",
            run.id,
            run.started,
            run.agreement_id,
            run.agreement_name,
            run.agreement_sha256
                .get(..12)
                .unwrap_or(&run.agreement_sha256),
            run.as_of
                .as_deref()
                .unwrap_or("the last day of the evidence"),
            run.reports,
            if run.files.is_empty() {
                String::new()
            } else {
                format!(" ({} file(s) beside the store)", run.files.len())
            },
            run.exit_code
        ));
    }
    if text.is_empty() {
        text.push_str("no check runs recorded: `truce check AGREEMENT --db PATH` records one\n");
    }
    Ok(text)
}
