//! `truce import` and `truce quarantine`: evidence files into the store, and
//! the rows it set aside back out so they can be fixed and imported again.

use crate::args::DecisionArgs;
use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use truce_ingest::{Format, Mapping, RowProblem};
use truce_mission::record::{Decision as DecisionRecord, DecisionWithdrawn, Record};
use truce_store::{QuarantinedRow, RowOutcome, RunInfo};

pub use truce_mission::now;

pub use truce_mission::import::DEFAULT_BATCH;

/// A progress bar on a terminal's stderr, nothing elsewhere.
fn bar(len: u64, template: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Draws an import's progress: bytes read, rows stored and their rate.
struct Bar {
    bar: ProgressBar,
    name: String,
    started: std::time::Instant,
}

impl truce_mission::import::ImportProgress for Bar {
    fn resuming(&self, run: i64, rows_done: u64) {
        eprintln!(
            "{}: resuming import run {run} after {rows_done} committed row(s)",
            self.name
        );
    }
    fn read(&self, bytes: u64) {
        self.bar.inc(bytes);
    }
    fn stored(&self, rows: u64) {
        let rate = rows as f64 / self.started.elapsed().as_secs_f64().max(1e-3);
        self.bar.set_message(format!(
            "{}: {rows} rows stored, {rate:.0} rows/s",
            self.name
        ));
    }
}

/// `truce import FILE… --db PATH|URL`: each file imported as one run into the
/// SQLite file or the PostgreSQL database, and every finished run recorded in
/// the ledger. Exit 0 when every row was stored or deduplicated, 1 when some
/// were quarantined.
pub fn import(
    files: &[PathBuf],
    db: &Path,
    format: Option<Format>,
    mapping: Option<&Mapping>,
    batch: usize,
) -> Result<u8> {
    let database = db.to_string_lossy();
    let mut storage = truce_store::open_storage(&database)?;
    let mut any_quarantined = false;
    let mut failed = None;
    for path in &truce_mission::import::evidence_files(files)? {
        let name = path.display().to_string();
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let progress = Bar {
            bar: bar(
                size,
                "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            ),
            name: name.clone(),
            started: std::time::Instant::now(),
        };
        progress.bar.set_message(name.clone());
        let file = truce_mission::import::EvidenceFile {
            path,
            name: &name,
            format,
            mapping,
        };
        let imported =
            truce_mission::import::import_file(storage.as_mut(), &file, batch, &now, &progress);
        progress.bar.finish_and_clear();
        match imported {
            Ok(imported) => {
                eprint!("{}", summary(&imported.run, &imported.warnings));
                any_quarantined |= imported.run.counts.quarantined > 0;
            }
            Err(error) => {
                failed = Some(error);
                break;
            }
        }
    }
    // Every finished import run goes into the ledger, even when a later file failed.
    truce_mission::record_finished_imports(storage.as_mut(), &now())?;
    if let Some(error) = failed {
        return Err(error.into());
    }
    Ok(if any_quarantined { 1 } else { 0 })
}

/// The warnings an import shows row by row (the run's reasons count them all).
const WARNINGS_SHOWN: usize = 5;

/// The summary of a run, for stderr.
fn summary(run: &RunInfo, warnings: &[RowProblem]) -> String {
    let c = &run.counts;
    let mut text = format!(
        "{}: {} row(s) read: {} stored, {} duplicate(s), {} revised, {} quarantined (import run {})\n",
        run.file.name, c.read, c.stored, c.duplicates, c.revised, c.quarantined, run.id
    );
    if c.skipped > 0 {
        text.push_str(&format!(
            "  and {} row(s) skipped as out of scope\n",
            c.skipped
        ));
    }
    // Every quarantine reason (those rows are to be fixed) and every warning
    // (those rows were kept: the analyst should know); the three most frequent
    // reasons for skipping (those rows are out of scope by design).
    let of = |outcome: RowOutcome| run.reasons.iter().filter(move |r| r.outcome == outcome);
    let skipped_reasons = of(RowOutcome::Skipped).count();
    let shown = of(RowOutcome::Quarantined)
        .chain(of(RowOutcome::Skipped).take(3))
        .chain(of(RowOutcome::Warned));
    for reason in shown {
        let outcome = match reason.outcome {
            RowOutcome::Quarantined => "quarantined",
            RowOutcome::Skipped => "skipped",
            RowOutcome::Warned => "kept with a warning",
        };
        match &reason.field {
            Some(field) => text.push_str(&format!(
                "  {outcome} {} × field `{field}`: {}\n",
                reason.count, reason.reason
            )),
            None => text.push_str(&format!(
                "  {outcome} {} × {}\n",
                reason.count, reason.reason
            )),
        }
    }
    if skipped_reasons > 3 {
        text.push_str(&format!(
            "  skipped for {} other reason(s)\n",
            skipped_reasons - 3
        ));
    }
    for warning in warnings.iter().take(WARNINGS_SHOWN) {
        text.push_str(&format!(
            "  warning: line {}: {}\n",
            warning.line,
            warning.value.as_deref().unwrap_or(&warning.reason)
        ));
    }
    let warned: u64 = of(RowOutcome::Warned).map(|r| r.count).sum();
    if warned > WARNINGS_SHOWN as u64 {
        text.push_str(&format!(
            "  and {} more warning(s)\n",
            warned - WARNINGS_SHOWN as u64
        ));
    }
    if c.quarantined > 0 {
        text.push_str("hint: `truce quarantine export --db …` writes the rows set aside, to fix and import again\n");
    }
    text
}

fn as_problem(row: &QuarantinedRow) -> RowProblem {
    RowProblem {
        file: row.file.clone(),
        line: row.line,
        field: row.field.clone(),
        value: row.value.clone(),
        reason: row.reason.clone(),
    }
}

/// The rows set aside by import run `run`, or by every run of a file, in the
/// order of the runs and of each file; from either store.
fn quarantined_rows(db: &Path, run: Option<i64>) -> Result<Vec<QuarantinedRow>> {
    let mut storage = open(db)?;
    let runs = storage.file_runs()?;
    let wanted: Vec<i64> = match run {
        Some(run) if runs.iter().any(|r| r.id == run) => vec![run],
        Some(run) => {
            return Err(truce_store::StoreError::NoRun {
                file: storage.describe(),
                run,
            }
            .into());
        }
        None => runs.iter().map(|r| r.id).collect(),
    };
    let mut rows = Vec::new();
    for run in wanted {
        rows.extend(storage.quarantined(run)?);
    }
    Ok(rows)
}

/// The store `--db` names: a SQLite file (created when missing) or a PostgreSQL URL.
pub fn open(db: &Path) -> Result<Box<dyn truce_store::Storage>> {
    Ok(truce_store::open_storage(&db.to_string_lossy())?)
}

/// The store `--db` names, which must exist already: a command that only reads
/// must not leave an empty SQLite file behind a mistyped name.
pub fn open_existing(db: &Path) -> Result<Box<dyn truce_store::Storage>> {
    if !truce_store::is_postgres(&db.to_string_lossy()) && !db.exists() {
        anyhow::bail!("the store `{}` does not exist", db.display());
    }
    open(db)
}

/// `truce quarantine list`: one line per row set aside, on stdout.
pub fn quarantine_list(db: &Path, run: Option<i64>) -> Result<String> {
    let mut text = String::new();
    for row in quarantined_rows(db, run)? {
        text.push_str(&format!("run {}: {}\n", row.run, as_problem(&row)));
    }
    Ok(text)
}

/// Splits `source:id` (the form `truce explain` and the reports show) at its first colon.
fn report_ref(text: &str) -> Result<(String, String)> {
    match text.split_once(':') {
        Some((source, id)) if !source.is_empty() && !id.is_empty() => {
            Ok((source.to_string(), id.to_string()))
        }
        _ => {
            anyhow::bail!("`{text}` is not a report id: expected SOURCE:ID, e.g. `ucdp-ged:216505`")
        }
    }
}

/// Which way an analyst decides about two reports.
#[derive(Copy, Clone, PartialEq, Eq)]
pub(crate) enum Decision {
    Apart,
    Together,
}
pub(crate) use Decision::{Apart, Together};

/// Records an analyst's decision on two stored reports, after checking both are
/// there and no opposite decision on the pair is in force, and appends it to the ledger.
pub(crate) fn analyst_decision(decision: Decision, args: &DecisionArgs) -> Result<String> {
    let DecisionArgs {
        db,
        first,
        second,
        by,
        reason,
    } = args;
    let (first, second, reason) = (first.as_str(), second.as_str(), reason.as_deref());
    let (a, b) = (report_ref(first)?, report_ref(second)?);
    if a == b {
        anyhow::bail!(
            "`{first}` is named twice: a decision is about two different reports; nothing was recorded"
        );
    }
    let mut store = open(db)?;
    for (text, (source, id)) in [(first, &a), (second, &b)] {
        if !store.has_report(source, id)? {
            anyhow::bail!(
                "the store `{}` holds no current report `{text}`; nothing was recorded",
                db.display()
            );
        }
    }
    // Two analysts may disagree; the store does not hold both answers at once.
    let pair = |k: &truce_store::KeptApartDecision| {
        (k.first == a && k.second == b) || (k.first == b && k.second == a)
    };
    let (opposite, opposite_says) = match decision {
        Apart => (store.kept_together()?, "makes them one incident"),
        Together => (store.kept_apart()?, "keeps them apart"),
    };
    if let Some(other) = opposite.iter().find(|k| pair(k)) {
        anyhow::bail!(
            "decision {} (by {}) on `{first}` and `{second}` {opposite_says}; withdraw it first (`truce incidents withdraw {} --by …`); nothing was recorded",
            other.id,
            other.decided_by,
            other.id
        );
    }
    let at = now();
    let (stored, says) = match decision {
        Apart => (truce_store::DecisionKind::Apart, "are kept apart"),
        Together => (truce_store::DecisionKind::Together, "are one incident"),
    };
    let recorded = store.record_decision(stored, (&a.0, &a.1), (&b.0, &b.1), by, &at, reason)?;
    let decided = DecisionRecord {
        at: recorded.decided.clone(),
        decision: recorded.id,
        first: recorded.first.clone(),
        second: recorded.second.clone(),
        by: recorded.decided_by.clone(),
        reason: recorded.reason.clone(),
    };
    let record = match decision {
        Apart => Record::KeptApart(decided),
        Together => Record::KeptTogether(decided),
    };
    truce_mission::append(store.as_mut(), &record, &at)?;
    Ok(format!(
        "decision {}: {}:{} and {}:{} {says} (by {} on {})\n",
        recorded.id,
        recorded.first.0,
        recorded.first.1,
        recorded.second.0,
        recorded.second.1,
        recorded.decided_by,
        recorded.decided
    ))
}

/// `truce delete`: records that a source withdrew a report; checks stop reading it,
/// the store keeps it.
pub fn delete(db: &Path, report: &str, note: Option<&str>) -> Result<String> {
    let (source, id) = report_ref(report)?;
    let mut store = open(db)?;
    let why = truce_mission::withdraw::Withdrawal::BySource {
        note: note.map(str::to_string),
    };
    let withdrawn =
        match truce_mission::withdraw::withdraw_report(store.as_mut(), &source, &id, why, &now()) {
            Err(truce_mission::MissionError::NoSuchReport { .. }) => anyhow::bail!(
                "the store `{}` holds no current report `{report}`; nothing was recorded",
                db.display()
            ),
            other => other?,
        };
    Ok(format!(
        "deletion {}: {report} marked deleted ({} revision(s) kept in the store, no longer checked)\n",
        withdrawn.deletion, withdrawn.revisions_marked
    ))
}

/// `truce deletions`: every recorded deletion, one per line.
pub fn deletions(db: &Path) -> Result<String> {
    if !truce_store::is_postgres(&db.to_string_lossy()) && !db.exists() {
        anyhow::bail!("the store `{}` does not exist", db.display());
    }
    let mut store = open(db)?;
    let mut text = String::new();
    for d in store.deletions()? {
        text.push_str(&format!(
            "deletion {}: {}:{} on {}{} ({} revision(s) kept, no longer checked){}\n",
            d.id,
            d.source,
            d.source_id,
            d.recorded,
            d.run
                .map(|r| format!(", found by import run {r}"))
                .unwrap_or_default(),
            d.revisions_marked,
            d.note.map(|n| format!(": {n}")).unwrap_or_default()
        ));
    }
    if text.is_empty() {
        text.push_str("no deletions recorded\n");
    }
    Ok(text)
}

/// `truce incidents decisions`: the decisions in force, one per line.
pub fn incidents_decisions(db: &Path) -> Result<String> {
    let mut store = open(db)?;
    let mut decisions: Vec<(truce_store::KeptApartDecision, &str)> = store
        .kept_apart()?
        .into_iter()
        .map(|d| (d, "kept apart from"))
        .chain(
            store
                .kept_together()?
                .into_iter()
                .map(|d| (d, "one incident with")),
        )
        .collect();
    decisions.sort_by_key(|(d, _)| d.id);
    let mut text = String::new();
    for (d, what) in decisions {
        text.push_str(&format!(
            "decision {}: {}:{} {what} {}:{} by {} on {}{}\n",
            d.id,
            d.first.0,
            d.first.1,
            d.second.0,
            d.second.1,
            d.decided_by,
            d.decided,
            d.reason.map(|r| format!(": {r}")).unwrap_or_default()
        ));
    }
    Ok(text)
}

/// `truce incidents withdraw`: withdraws a decision (it stays on record).
pub fn incidents_withdraw(db: &Path, id: i64, by: &str) -> Result<String> {
    let mut store = open(db)?;
    let at = now();
    if !store.withdraw_decision(id, by, &at)? {
        anyhow::bail!("the store `{}` has no decision {id} in force", db.display());
    }
    truce_mission::append(
        store.as_mut(),
        &Record::DecisionWithdrawn(DecisionWithdrawn {
            at: at.clone(),
            decision: id,
            by: by.to_string(),
        }),
        &at,
    )?;
    Ok(format!("decision {id} withdrawn by {by}\n"))
}

/// `truce quarantine export`: every row set aside as CSV or JSON Lines, on stdout.
pub fn quarantine_export(db: &Path, run: Option<i64>, jsonl: bool) -> Result<Vec<u8>> {
    let rows = quarantined_rows(db, run)?;
    let mut out = Vec::new();
    if jsonl {
        for row in &rows {
            let value = serde_json::json!({
                "run": row.run,
                "file": row.file,
                "line": row.line,
                "field": row.field,
                "value": row.value,
                "reason": row.reason,
                "raw": row.raw,
            });
            serde_json::to_writer(&mut out, &value)?;
            out.push(b'\n');
        }
    } else {
        let mut writer = csv::Writer::from_writer(&mut out);
        writer.write_record(["run", "file", "line", "field", "value", "reason", "raw"])?;
        for row in &rows {
            // Values come from the rows set aside, as the source wrote them: a
            // spreadsheet must not run one (OWASP's CSV injection advice).
            writer.write_record(
                [
                    row.run.to_string().as_str(),
                    &row.file,
                    &row.line.to_string(),
                    row.field.as_deref().unwrap_or(""),
                    row.value.as_deref().unwrap_or(""),
                    &row.reason,
                    row.raw.as_deref().unwrap_or(""),
                ]
                .map(|cell| truce_model::spreadsheet::safe_cell(cell).into_owned()),
            )?;
        }
        writer.flush()?;
    }
    Ok(out)
}

/// Writes bytes to stdout; a closed pipe is not a failure.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    crate::to_stdout(|out| out.write_all(bytes))
}
