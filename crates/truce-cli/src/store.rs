//! `truce import` and `truce quarantine`: evidence files into the store, and
//! the rows it set aside back out so they can be fixed and imported again.

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use truce_ingest::{Format, ImportOptions, MappedInput, Mapping, RowProblem, Sink};
use truce_model::report::Report;
use truce_store::{FileMeta, QuarantinedRow, RunInfo, Store};

/// The current time as RFC 3339: the store reads no clock, the CLI does.
pub fn now() -> String {
    jiff::Timestamp::now().to_string()
}

/// Rows per transaction when none is given.
pub const DEFAULT_BATCH: usize = 10_000;

/// Reads the file through, counting bytes for the progress bar.
struct Tee<R> {
    inner: R,
    bar: ProgressBar,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}

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

/// `truce import FILE… --db PATH`: exit 0 when every row was stored or
/// deduplicated, 1 when some were quarantined.
pub fn import(
    files: &[PathBuf],
    db: &Path,
    format: Option<Format>,
    mapping: Option<&Mapping>,
    batch: usize,
) -> Result<u8> {
    if let Some(url) = db.to_str().filter(|d| truce_store::is_postgres(d)) {
        return import_postgres(files, url, format, mapping);
    }
    let mut store = Store::open(db)?;
    let mut any_quarantined = false;
    for path in files {
        let run = import_file(&mut store, path, format, mapping, batch.max(1))?;
        eprint!("{}", summary(&run));
        any_quarantined |= run.counts.quarantined > 0;
    }
    Ok(if any_quarantined { 1 } else { 0 })
}

/// `truce import --db postgres://…`: each file read whole, imported as one run in
/// one transaction (a killed import leaves nothing of its file, and a rerun
/// imports it again), and recorded in the ledger.
fn import_postgres(
    files: &[PathBuf],
    url: &str,
    format: Option<Format>,
    mapping: Option<&Mapping>,
) -> Result<u8> {
    let mut store = truce_store::open_storage(url)?;
    let mut any_quarantined = false;
    for path in files {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).with_context(|| format!("cannot read `{name}`"))?;
        let options = ImportOptions { keep_raw: false };
        let imported = match mapping {
            Some(mapping) => {
                truce_ingest::import_mapped(&name, bytes.as_slice(), mapping, &options)
            }
            None => truce_ingest::import_reader(&name, bytes.as_slice(), format, &options),
        }
        .with_context(|| format!("cannot import `{name}`"))?;
        let meta = FileMeta {
            name: name.clone(),
            sha256: format!("{:x}", Sha256::digest(&bytes)),
            size: bytes.len() as u64,
            format: imported.format.name().to_string(),
        };
        let run = store.import_all(
            &meta,
            &imported.reports,
            &imported.quarantined,
            &imported.skipped,
            &now(),
        )?;
        truce_mission::append(
            store.as_mut(),
            &truce_mission::import_run_record(&run),
            &now(),
        )?;
        eprint!("{}", summary(&run));
        any_quarantined |= run.counts.quarantined > 0;
    }
    Ok(if any_quarantined { 1 } else { 0 })
}

/// One batch of consecutive rows of the file, as the importer handed them over.
#[derive(Default)]
struct Batch {
    reports: Vec<Report>,
    problems: Vec<RowProblem>,
    skipped: Vec<RowProblem>,
}

impl Batch {
    fn len(&self) -> usize {
        self.reports.len() + self.problems.len() + self.skipped.len()
    }
}

/// Receives the importer's rows, drops the first `skip` (committed by the run
/// being resumed) and sends the rest in batches to the thread that stores them.
struct Batcher {
    skip: u64,
    seen: u64,
    size: usize,
    batch: Batch,
    send: std::sync::mpsc::SyncSender<Batch>,
    /// The storing thread stopped (an error): nothing more is sent.
    closed: bool,
    /// Lines of quarantined rows, to find their text afterwards.
    problem_lines: BTreeSet<u64>,
}

impl Batcher {
    /// True when the row is to be kept (it is past what was committed).
    fn keep(&mut self) -> bool {
        self.seen += 1;
        self.seen > self.skip && !self.closed
    }

    fn flush_if_full(&mut self) {
        if self.batch.len() >= self.size {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.batch.len() > 0 && !self.closed {
            let batch = std::mem::take(&mut self.batch);
            self.closed = self.send.send(batch).is_err();
        }
    }
}

impl Sink for Batcher {
    fn report(&mut self, report: Report) {
        if self.keep() {
            self.batch.reports.push(report);
            self.flush_if_full();
        }
    }
    fn quarantine(&mut self, problem: RowProblem) {
        if self.keep() {
            self.problem_lines.insert(problem.line);
            self.batch.problems.push(problem);
            self.flush_if_full();
        }
    }
    fn skip(&mut self, problem: RowProblem) {
        if self.keep() {
            self.batch.skipped.push(problem);
            self.flush_if_full();
        }
    }
}

/// The sha256 of a file, read once before the import (a resumed run is found by it).
pub(crate) fn file_sha256(path: &Path, name: &str) -> Result<String> {
    let mut file = std::fs::File::open(path)
        .with_context(|| format!("cannot open the events file `{name}`"))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot read `{name}`")),
        };
        hasher.update(&buffer[..n]);
    }
    Ok(format!("{:x}", hasher.finalize()))
}

/// The format a file will be read as, when it can be told from its first bytes.
fn format_name(path: &Path, format: Option<Format>) -> String {
    if let Some(format) = format {
        return format.name().to_string();
    }
    let mut prefix = vec![0u8; 1 << 16];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut prefix))
        .unwrap_or(0);
    truce_ingest::detect_format(&prefix[..n])
        .map_or_else(|| "auto".to_string(), |f| f.name().to_string())
}

fn import_file(
    store: &mut Store,
    path: &Path,
    format: Option<Format>,
    mapping: Option<&Mapping>,
    batch: usize,
) -> Result<RunInfo> {
    let name = path.display().to_string();
    let handle = std::fs::File::open(path)
        .with_context(|| format!("cannot open the events file `{name}`"))?;
    let size = handle.metadata().map(|m| m.len()).unwrap_or(0);
    let meta = FileMeta {
        name: name.clone(),
        sha256: file_sha256(path, &name)?,
        size,
        format: match mapping {
            // The mapping's source names the form: a resumed run must be of the same one.
            Some(mapping) => format!("mapped:{}", mapping.source()),
            None => format_name(path, format),
        },
    };
    let mut run = store.begin_import(&meta, &now())?;
    let skip = run.rows_done();
    if run.resumed() {
        eprintln!(
            "{name}: resuming import run {} after {skip} committed row(s)",
            run.id()
        );
    }
    let progress = bar(
        size,
        "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
    );
    progress.set_message(name.clone());
    let mut tee = Tee {
        inner: handle,
        bar: progress.clone(),
    };
    let (send, receive) = std::sync::mpsc::sync_channel::<Batch>(2);
    let mut batcher = Batcher {
        skip,
        seen: 0,
        size: batch,
        batch: Batch::default(),
        send,
        closed: false,
        problem_lines: BTreeSet::new(),
    };
    // Reading, encoding and storing overlap: this thread parses, a second one
    // encodes each batch (the reports' JSON, content hashes and raw rows) and
    // frees its reports, a third stores it in its own transaction, in order.
    let mut encoder = run.encoder();
    let (encoded_send, encoded_receive) =
        std::sync::mpsc::sync_channel::<(truce_store::EncodedBatch, Batch)>(2);
    let (streamed, stored) = std::thread::scope(|scope| {
        let run = &mut run;
        let progress = progress.clone();
        let shown = name.clone();
        let encoding = scope.spawn(move || -> Result<()> {
            for mut batch in receive {
                let encoded = encoder.encode(&batch.reports)?;
                batch.reports = Vec::new();
                if encoded_send.send((encoded, batch)).is_err() {
                    // The storing thread stopped: its error is the one to report.
                    break;
                }
            }
            Ok(())
        });
        let storing = scope.spawn(move || -> Result<()> {
            let started = std::time::Instant::now();
            let mut rows = 0u64;
            for (encoded, batch) in encoded_receive {
                run.add_encoded(&encoded, &batch.problems, &batch.skipped, &|_| None)?;
                rows += (encoded.len() + batch.len()) as u64;
                let rate = rows as f64 / started.elapsed().as_secs_f64().max(1e-3);
                progress.set_message(format!("{shown}: {rows} rows stored, {rate:.0} rows/s"));
            }
            Ok(())
        });
        let input = std::io::BufReader::with_capacity(1 << 20, &mut tee);
        let options = ImportOptions { keep_raw: true };
        let streamed = match mapping {
            Some(mapping) => {
                truce_ingest::import_mapped_streaming(&name, input, mapping, &options, &mut batcher)
            }
            None => truce_ingest::import_streaming(&name, input, format, &options, &mut batcher),
        };
        batcher.flush();
        // Closing the channel ends the storing thread's loop.
        drop(std::mem::replace(
            &mut batcher.send,
            std::sync::mpsc::sync_channel(0).0,
        ));
        let encoded = encoding
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the thread encoding `{name}` stopped")));
        let stored = storing
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the thread storing `{name}` stopped")));
        (streamed, stored.and(encoded))
    });
    progress.finish_and_clear();
    stored?;
    let streamed = match streamed {
        Ok(streamed) => streamed,
        Err(error) => {
            // A file that fails as a whole (empty, not text) leaves no open run
            // behind; one that stored rows before failing stays open to resume.
            if !run.resumed() && run.rows_done() == 0 {
                run.abandon()?;
            }
            return Err(error).with_context(|| format!("cannot import `{name}`"));
        }
    };
    if mapping.is_none() && streamed.format.name() != meta.format {
        run.set_format(streamed.format.name())?;
    }
    if !batcher.problem_lines.is_empty() {
        // CSV formats take the whole record (a quoted field may hold line breaks);
        // line-per-row formats (JSON Lines, tab-separated exports) the physical line.
        let delimiter = match mapping.map(Mapping::input) {
            Some(MappedInput::Csv { delimiter }) => Some(delimiter),
            Some(MappedInput::JsonLines) => None,
            None => matches!(
                streamed.format,
                Format::UcdpGed | Format::Acled | Format::Hxl
            )
            .then_some(b','),
        };
        let texts = row_texts(path, delimiter, &batcher.problem_lines);
        run.set_quarantine_texts(&texts)?;
    }
    Ok(run.finish(&now())?)
}

/// The text of each quarantined row, by its first line: the physical line
/// for JSON Lines, the whole record (which may span lines) for CSV.
/// `delimiter` is the CSV delimiter, `None` for a line-per-row format.
fn row_texts(path: &Path, delimiter: Option<u8>, wanted: &BTreeSet<u64>) -> BTreeMap<u64, String> {
    let mut texts = BTreeMap::new();
    // Read as the importer read it: a line too long to hold is its short marker.
    let mut bytes = Vec::new();
    let read = std::fs::File::open(path).and_then(|file| {
        std::io::Read::read_to_end(&mut truce_ingest::capped_lines(file), &mut bytes)
    });
    if read.is_err() {
        return texts;
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // A zip archive: its rows are not lines of the file as it lies on disk.
        return texts;
    }
    match delimiter {
        None => {
            for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
                let number = i as u64 + 1;
                if wanted.contains(&number) {
                    let text = String::from_utf8_lossy(line);
                    texts.insert(number, text.trim_end_matches('\r').to_string());
                }
            }
        }
        Some(delimiter) => {
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .has_headers(false)
                .flexible(true)
                .from_reader(&bytes[..]);
            let mut record = csv::ByteRecord::new();
            loop {
                let start = reader.position().clone();
                match reader.read_byte_record(&mut record) {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(_) => continue,
                }
                let line = record.position().map_or(start.line(), |p| p.line());
                if wanted.contains(&line) {
                    let from = record.position().map_or(start.byte(), |p| p.byte()) as usize;
                    let to = (reader.position().byte() as usize).min(bytes.len());
                    let text = String::from_utf8_lossy(&bytes[from.min(to)..to]);
                    texts.insert(line, text.trim_end_matches(['\r', '\n']).to_string());
                }
            }
        }
    }
    texts
}

/// The summary of a run, for stderr.
fn summary(run: &RunInfo) -> String {
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
    // Every quarantine reason (those rows are to be fixed); the three most
    // frequent reasons for skipping (those rows are out of scope by design).
    let skipped_reasons = run.reasons.iter().filter(|r| r.skipped).count();
    let shown = run
        .reasons
        .iter()
        .filter(|r| !r.skipped)
        .chain(run.reasons.iter().filter(|r| r.skipped).take(3));
    for reason in shown {
        let outcome = if reason.skipped {
            "skipped"
        } else {
            "quarantined"
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

/// `truce quarantine list`: one line per row set aside, on stdout.
pub fn quarantine_list(db: &Path, run: Option<i64>) -> Result<String> {
    let store = Store::open(db)?;
    if let Some(run) = run {
        store.run(run)?;
    }
    let mut text = String::new();
    for row in store.quarantine(run)? {
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

/// `truce incidents split`: records that two stored reports are of different incidents.
pub fn incidents_split(
    db: &Path,
    first: &str,
    second: &str,
    by: &str,
    reason: Option<&str>,
) -> Result<String> {
    analyst_decision(db, Apart, first, second, by, reason)
}

/// `truce incidents join`: records that two stored reports are of one incident.
pub fn incidents_join(
    db: &Path,
    first: &str,
    second: &str,
    by: &str,
    reason: Option<&str>,
) -> Result<String> {
    analyst_decision(db, Together, first, second, by, reason)
}

/// Which way an analyst decides about two reports.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Decision {
    Apart,
    Together,
}
use Decision::{Apart, Together};

/// Records an analyst's decision on two stored reports, after checking both are
/// there and no opposite decision on the pair is in force, and appends it to the ledger.
fn analyst_decision(
    db: &Path,
    decision: Decision,
    first: &str,
    second: &str,
    by: &str,
    reason: Option<&str>,
) -> Result<String> {
    let (a, b) = (report_ref(first)?, report_ref(second)?);
    if a == b {
        anyhow::bail!(
            "`{first}` is named twice: a decision is about two different reports; nothing was recorded"
        );
    }
    let mut store = Store::open(db)?;
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
    let (recorded, kind, says) = match decision {
        Apart => (
            store.record_kept_apart((&a.0, &a.1), (&b.0, &b.1), by, &at, reason)?,
            "kept-apart",
            "are kept apart",
        ),
        Together => (
            store.record_kept_together((&a.0, &a.1), (&b.0, &b.1), by, &at, reason)?,
            "kept-together",
            "are one incident",
        ),
    };
    crate::ledger::append(
        &mut store,
        serde_json::json!({
            "type": kind,
            "at": recorded.decided,
            "decision": recorded.id,
            "first": [recorded.first.0, recorded.first.1],
            "second": [recorded.second.0, recorded.second.1],
            "by": recorded.decided_by,
            "reason": recorded.reason,
        }),
    )?;
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
    let mut store = Store::open(db)?;
    if !store.has_report(&source, &id)? {
        anyhow::bail!(
            "the store `{}` holds no current report `{report}`; nothing was recorded",
            db.display()
        );
    }
    let at = now();
    let deletion = store.record_deletion(&source, &id, None, &at, note)?;
    crate::ledger::append(
        &mut store,
        serde_json::json!({
            "type": "deletion",
            "at": at,
            "deletion": deletion.id,
            "report": [source, id],
            "note": note,
            "revisions_marked": deletion.revisions_marked,
        }),
    )?;
    Ok(format!(
        "deletion {}: {report} marked deleted ({} revision(s) kept in the store, no longer checked)\n",
        deletion.id, deletion.revisions_marked
    ))
}

/// `truce deletions`: every recorded deletion, one per line.
pub fn deletions(db: &Path) -> Result<String> {
    if !db.exists() {
        anyhow::bail!("the store `{}` does not exist", db.display());
    }
    let store = Store::open(db)?;
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
    let store = Store::open(db)?;
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
    let mut store = Store::open(db)?;
    let at = now();
    if !store.withdraw_kept_apart(id, by, &at)? {
        anyhow::bail!("the store `{}` has no decision {id} in force", db.display());
    }
    crate::ledger::append(
        &mut store,
        serde_json::json!({
            "type": "decision-withdrawn",
            "at": at,
            "decision": id,
            "by": by,
        }),
    )?;
    Ok(format!("decision {id} withdrawn by {by}\n"))
}

/// `truce quarantine export`: every row set aside as CSV or JSON Lines, on stdout.
pub fn quarantine_export(db: &Path, run: Option<i64>, jsonl: bool) -> Result<Vec<u8>> {
    let store = Store::open(db)?;
    if let Some(run) = run {
        store.run(run)?;
    }
    let rows = store.quarantine(run)?;
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
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(e).context("cannot write to standard output"),
    }
}
