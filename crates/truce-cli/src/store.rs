//! `truce import` and `truce quarantine`: evidence files into the store, and
//! the rows it set aside back out so they can be fixed and imported again.

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use truce_ingest::{Format, ImportOptions, RowProblem};
use truce_store::{Counts, FileMeta, QuarantinedRow, RunInfo, Store};

/// The current time as RFC 3339: the store reads no clock, the CLI does.
pub fn now() -> String {
    jiff::Timestamp::now().to_string()
}

/// Rows per transaction when none is given.
pub const DEFAULT_BATCH: usize = 10_000;

/// Reads the file through, counting bytes for the progress bar and hashing them.
struct Tee<R> {
    inner: R,
    hasher: Sha256,
    bar: ProgressBar,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
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
pub fn import(files: &[PathBuf], db: &Path, format: Option<Format>, batch: usize) -> Result<u8> {
    let mut store = Store::open(db)?;
    let mut any_quarantined = false;
    for path in files {
        let run = import_file(&mut store, path, format, batch.max(1))?;
        eprint!("{}", summary(&run));
        any_quarantined |= run.counts.quarantined > 0;
    }
    Ok(if any_quarantined { 1 } else { 0 })
}

fn import_file(
    store: &mut Store,
    path: &Path,
    format: Option<Format>,
    batch: usize,
) -> Result<RunInfo> {
    let name = path.display().to_string();
    let handle = std::fs::File::open(path)
        .with_context(|| format!("cannot open the events file `{name}`"))?;
    let size = handle.metadata().map(|m| m.len()).unwrap_or(0);
    let reading = bar(
        size,
        "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
    );
    reading.set_message(format!("reading {name}"));
    let mut tee = Tee {
        inner: handle,
        hasher: Sha256::new(),
        bar: reading.clone(),
    };
    let imported = truce_ingest::import_reader(
        &name,
        std::io::BufReader::with_capacity(1 << 20, &mut tee),
        format,
        &ImportOptions { keep_raw: true },
    )
    .with_context(|| format!("cannot import `{name}`"))?;
    // The reader may stop before the end (a JSON Lines file ends at EOF, a
    // CSV reader too, but be sure): hash the rest so the sha256 is the file's.
    std::io::copy(&mut tee, &mut std::io::sink())
        .with_context(|| format!("cannot read `{name}`"))?;
    reading.finish_and_clear();
    let meta = FileMeta {
        name: name.clone(),
        sha256: format!("{:x}", tee.hasher.finalize()),
        size,
        format: imported.format.name().to_string(),
    };
    let raw_texts = if imported.quarantined.is_empty() {
        BTreeMap::new()
    } else {
        row_texts(path, imported.format, &imported.quarantined)
    };
    let mut run = store.begin_import(&meta, &now())?;
    let skip = run.rows_done() as usize;
    if run.resumed() {
        eprintln!(
            "{name}: resuming import run {} after {skip} committed row(s)",
            run.id()
        );
    }
    let reports = &imported.reports;
    let problems = &imported.quarantined;
    let total = reports.len() + problems.len();
    let storing = bar(
        total as u64,
        "{msg} [{bar:30}] {pos}/{len} rows {per_sec} eta {eta}",
    );
    storing.set_message(format!("storing {name}"));
    storing.set_position(skip.min(total) as u64);
    let raw_text = |p: &RowProblem| raw_texts.get(&p.line).cloned();
    let mut at = skip.min(total);
    while at < total {
        let end = (at + batch).min(total);
        let r = &reports[at.min(reports.len())..end.min(reports.len())];
        let q = &problems[at.saturating_sub(reports.len())..end.saturating_sub(reports.len())];
        let _: Counts = run.add_with_raw(r, q, &raw_text)?;
        storing.inc((end - at) as u64);
        at = end;
    }
    storing.finish_and_clear();
    Ok(run.finish(&now())?)
}

/// The text of each quarantined row, by its first line: the physical line
/// for JSON Lines, the whole record (which may span lines) for CSV.
fn row_texts(path: &Path, format: Format, problems: &[RowProblem]) -> BTreeMap<u64, String> {
    let wanted: BTreeSet<u64> = problems.iter().map(|p| p.line).collect();
    let mut texts = BTreeMap::new();
    let Ok(bytes) = std::fs::read(path) else {
        return texts;
    };
    if bytes.starts_with(b"PK\x03\x04") {
        // A zip archive: its rows are not lines of the file as it lies on disk.
        return texts;
    }
    // CSV formats take the whole record (a quoted field may hold line breaks);
    // line-per-row formats (JSON Lines, tab-separated exports) the physical line.
    let csv_like = matches!(format.name(), "ucdp-ged" | "acled" | "hxl");
    match csv_like {
        false => {
            for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
                let number = i as u64 + 1;
                if wanted.contains(&number) {
                    let text = String::from_utf8_lossy(line);
                    texts.insert(number, text.trim_end_matches('\r').to_string());
                }
            }
        }
        true => {
            let mut reader = csv::ReaderBuilder::new()
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
    for reason in &run.reasons {
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
            writer.write_record([
                row.run.to_string().as_str(),
                &row.file,
                &row.line.to_string(),
                row.field.as_deref().unwrap_or(""),
                row.value.as_deref().unwrap_or(""),
                &row.reason,
                row.raw.as_deref().unwrap_or(""),
            ])?;
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
