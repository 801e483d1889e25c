//! Importing an evidence file into any store, the one way the `truce import`
//! command and the server's upload both do it.
//!
//! The file is read once as a stream: this thread parses rows, a second one
//! encodes each batch (the reports' JSON and content hashes) and a third writes
//! it, so memory holds a few batches, whatever the file's size. On SQLite each
//! batch is one transaction and a killed import resumes where it stopped; on
//! PostgreSQL the run is one transaction (see [`truce_store::ImportWriter`]).
//! Afterwards the file is read again only to recover the text of the rows
//! that were quarantined, so an analyst sees each one as it was written.

use crate::MissionError;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;
use truce_ingest::{Format, ImportOptions, MappedInput, Mapping, RowProblem, Sink};
use truce_model::report::Report;
use truce_store::{BatchProblems, EncodedBatch, FileMeta, ImportWriter, RunInfo, Storage};

/// Rows per batch (per transaction on SQLite) when none is given.
pub const DEFAULT_BATCH: usize = 10_000;

/// The warnings an import keeps row by row (the run counts them all by reason).
pub const WARNINGS_KEPT: usize = 1_000;

/// An evidence file to import.
#[derive(Clone, Copy, Debug)]
pub struct EvidenceFile<'a> {
    /// Where the file is on this machine.
    pub path: &'a Path,
    /// The name the run records (the path as the user gave it, or an upload's name).
    pub name: &'a str,
    /// The format, when the user gave it (otherwise found from the file's first bytes).
    pub format: Option<Format>,
    /// A mapping for the mission's own forms, instead of a known format.
    pub mapping: Option<&'a Mapping>,
}

/// What an import tells its caller while it runs (the command line draws a
/// progress bar; the server says nothing). Called from the importing threads.
pub trait ImportProgress: Sync {
    /// The run continues one a killed import left open, after `rows_done` rows.
    fn resuming(&self, _run: i64, _rows_done: u64) {}
    /// `bytes` more of the file were read.
    fn read(&self, _bytes: u64) {}
    /// `rows` rows of the file are now stored, in all.
    fn stored(&self, _rows: u64) {}
}

/// An import that tells nothing while it runs.
pub struct Quietly;

impl ImportProgress for Quietly {}

/// A finished import.
#[derive(Clone, Debug)]
pub struct FileImported {
    /// The run as the store recorded it (counts and reasons).
    pub run: RunInfo,
    /// The first [`WARNINGS_KEPT`] warnings about rows kept as reports, each
    /// with its line (`run.reasons` counts every one).
    pub warnings: Vec<RowProblem>,
}

/// Imports `file` into `storage` as one run, in batches of `batch` rows,
/// and finishes the run. `clock` gives the run's start and end times.
///
/// A file that fails as a whole (empty, not text, an unknown layout) leaves no
/// run behind; one that failed after storing rows on SQLite stays open and the
/// next import of the same file resumes it.
pub fn import_file(
    storage: &mut dyn Storage,
    file: &EvidenceFile<'_>,
    batch: usize,
    clock: &dyn Fn() -> String,
    progress: &dyn ImportProgress,
) -> Result<FileImported, MissionError> {
    let name = file.name;
    let handle = std::fs::File::open(file.path).map_err(|source| MissionError::ReadFile {
        name: name.to_string(),
        source,
    })?;
    let meta = FileMeta {
        name: name.to_string(),
        sha256: file_sha256(file.path, name)?,
        size: handle.metadata().map(|m| m.len()).unwrap_or(0),
        format: match file.mapping {
            // The mapping's source names the form: a resumed run must be of the same one.
            Some(mapping) => format!("mapped:{}", mapping.source()),
            None => format_name(file.path, file.format),
        },
    };
    let mut run = storage.begin_import(&meta, &clock())?;
    let skip = run.rows_done();
    if run.resumed() {
        progress.resuming(run.id(), skip);
    }
    let mut batcher = Batcher {
        skip,
        seen: 0,
        size: batch.max(1),
        batch: Batch::default(),
        send: None,
        problem_lines: BTreeSet::new(),
        warnings: Vec::new(),
    };
    let input = Counted {
        inner: handle,
        progress,
    };
    let (streamed, stored) = stream_into(run.as_mut(), file, input, &mut batcher, progress);
    stored?;
    let streamed = match streamed {
        Ok(streamed) => streamed,
        Err(source) => {
            if !run.resumed() && run.rows_done() == 0 {
                run.abandon()?;
            }
            return Err(MissionError::Import {
                name: name.to_string(),
                source,
            });
        }
    };
    if file.mapping.is_none() && streamed.format.name() != meta.format {
        run.set_format(streamed.format.name())?;
    }
    if !batcher.problem_lines.is_empty() {
        // CSV formats take the whole record (a quoted field may hold line breaks);
        // line-per-row formats (JSON Lines, tab-separated exports) the physical line.
        let delimiter = match file.mapping.map(Mapping::input) {
            Some(MappedInput::Csv { delimiter }) => Some(delimiter),
            Some(MappedInput::JsonLines) => None,
            None => streamed.format.csv_delimiter(),
        };
        let texts = row_texts(file.path, delimiter, &batcher.problem_lines);
        run.set_quarantine_texts(&texts)?;
    }
    Ok(FileImported {
        run: run.finish(&clock())?,
        warnings: batcher.warnings,
    })
}

/// Reads the file into the run: parses here, encodes and stores on two more
/// threads. Returns what the reading and what the storing came to.
fn stream_into(
    run: &mut (dyn ImportWriter + '_),
    file: &EvidenceFile<'_>,
    input: Counted<'_, std::fs::File>,
    batcher: &mut Batcher,
    progress: &dyn ImportProgress,
) -> (
    Result<truce_ingest::Streamed, truce_ingest::IngestError>,
    Result<(), MissionError>,
) {
    let (send, receive) = std::sync::mpsc::sync_channel::<Batch>(2);
    batcher.send = Some(send);
    let mut encoder = run.encoder();
    let (encoded_send, encoded_receive) = std::sync::mpsc::sync_channel::<(EncodedBatch, Batch)>(2);
    std::thread::scope(|scope| {
        let encoding = scope.spawn(move || -> Result<(), MissionError> {
            for mut batch in receive {
                let encoded = encoder
                    .encode(&batch.reports)
                    .map_err(MissionError::Encode)?;
                batch.reports = Vec::new();
                if encoded_send.send((encoded, batch)).is_err() {
                    // The storing thread stopped: its error is the one to report.
                    break;
                }
            }
            Ok(())
        });
        let storing = scope.spawn(move || -> Result<(), MissionError> {
            let mut rows = 0u64;
            for (encoded, batch) in encoded_receive {
                let problems = BatchProblems {
                    quarantined: &batch.problems,
                    skipped: &batch.skipped,
                    warned: &batch.warnings,
                };
                run.add_encoded(&encoded, problems, &|_| None)?;
                rows += (encoded.len() + batch.len()) as u64;
                progress.stored(rows);
            }
            Ok(())
        });
        let input = std::io::BufReader::with_capacity(1 << 20, input);
        let options = ImportOptions { keep_raw: true };
        let streamed = match file.mapping {
            Some(mapping) => {
                truce_ingest::import_mapped_streaming(file.name, input, mapping, &options, batcher)
            }
            None => {
                truce_ingest::import_streaming(file.name, input, file.format, &options, batcher)
            }
        };
        batcher.flush();
        // Closing the channel ends the encoding thread's loop, then the storing one's.
        batcher.send = None;
        let thread_stopped = |what: &'static str| {
            Err(MissionError::Stopped {
                what,
                name: file.name.to_string(),
            })
        };
        let encoded = encoding
            .join()
            .unwrap_or_else(|_| thread_stopped("encoding"));
        let stored = storing.join().unwrap_or_else(|_| thread_stopped("storing"));
        (streamed, stored.and(encoded))
    })
}

/// Reads the file through, telling the progress how many bytes.
struct Counted<'p, R> {
    inner: R,
    progress: &'p dyn ImportProgress,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.read(n as u64);
        Ok(n)
    }
}

/// One batch of consecutive rows of the file, as the importer handed them over.
#[derive(Default)]
struct Batch {
    reports: Vec<Report>,
    problems: Vec<RowProblem>,
    skipped: Vec<RowProblem>,
    /// Warnings about rows among `reports` (not rows of their own).
    warnings: Vec<RowProblem>,
}

impl Batch {
    /// The rows of the file in the batch.
    fn len(&self) -> usize {
        self.reports.len() + self.problems.len() + self.skipped.len()
    }
}

/// Receives the importer's rows, drops the first `skip` (committed by the run
/// being resumed) and sends the rest in batches to the threads that store them.
struct Batcher {
    skip: u64,
    seen: u64,
    size: usize,
    batch: Batch,
    /// `None` once the storing side stopped (an error) or the file is read.
    send: Option<std::sync::mpsc::SyncSender<Batch>>,
    /// Lines of quarantined rows, to find their text afterwards.
    problem_lines: BTreeSet<u64>,
    /// The first warnings, for the caller to show.
    warnings: Vec<RowProblem>,
}

impl Batcher {
    /// Counts a row; true when it is to be kept (it is past what was committed).
    fn keep(&mut self) -> bool {
        self.seen += 1;
        self.last_kept()
    }

    /// True when the row counted last was kept.
    fn last_kept(&self) -> bool {
        self.seen > self.skip && self.send.is_some()
    }

    /// Sends the batch when full, before the next row goes in (a full batch
    /// is sent only then, so the warnings about its last row go with it).
    fn flush_if_full(&mut self) {
        if self.batch.len() >= self.size {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.batch.len() == 0 && self.batch.warnings.is_empty() {
            return;
        }
        if let Some(send) = &self.send {
            let batch = std::mem::take(&mut self.batch);
            if send.send(batch).is_err() {
                self.send = None;
            }
        }
    }
}

impl Sink for Batcher {
    fn report(&mut self, report: Report) {
        if self.keep() {
            self.flush_if_full();
            self.batch.reports.push(report);
        }
    }
    fn quarantine(&mut self, problem: RowProblem) {
        if self.keep() {
            self.flush_if_full();
            self.problem_lines.insert(problem.line);
            self.batch.problems.push(problem);
        }
    }
    fn skip(&mut self, problem: RowProblem) {
        if self.keep() {
            self.flush_if_full();
            self.batch.skipped.push(problem);
        }
    }
    fn warn(&mut self, warning: RowProblem) {
        if self.last_kept() {
            if self.warnings.len() < WARNINGS_KEPT {
                self.warnings.push(warning.clone());
            }
            self.batch.warnings.push(warning);
        }
    }
}

/// The sha256 of a file, read once before the import (a resumed run is found by it).
pub fn file_sha256(path: &Path, name: &str) -> Result<String, MissionError> {
    let read_error = |source| MissionError::ReadFile {
        name: name.to_string(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(read_error)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_error(e)),
        };
        hasher.update(&buffer[..n]);
    }
    Ok(format!("{:x}", hasher.finalize()))
}

/// The files of a table written as a folder of Parquet or Arrow IPC parts
/// (as DuckDB, polars, Spark or a Hive-partitioned dataset write one).
const TABLE_PART_ENDINGS: [&str; 5] = ["parquet", "arrow", "arrows", "feather", "ipc"];

/// The evidence files `paths` name: each file as given, and each folder as the
/// Parquet and Arrow IPC files within it, at any depth, in the order of their
/// paths. Names starting with `.` or `_` (`_SUCCESS`, `_metadata`, hidden
/// files) and files with other endings are not parts of the table.
pub fn evidence_files(
    paths: &[std::path::PathBuf],
) -> Result<Vec<std::path::PathBuf>, MissionError> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let mut parts = Vec::new();
        table_parts(path, &mut parts)?;
        if parts.is_empty() {
            return Err(MissionError::EmptyFolder {
                name: path.display().to_string(),
            });
        }
        parts.sort();
        files.extend(parts);
    }
    Ok(files)
}

fn table_parts(folder: &Path, parts: &mut Vec<std::path::PathBuf>) -> Result<(), MissionError> {
    let read_error = |source| MissionError::ReadFile {
        name: folder.display().to_string(),
        source,
    };
    for entry in std::fs::read_dir(folder).map_err(read_error)? {
        let path = entry.map_err(read_error)?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        if name.starts_with('.') || name.starts_with('_') {
            continue;
        }
        if path.is_dir() {
            table_parts(&path, parts)?;
        } else if path.extension().is_some_and(|e| {
            TABLE_PART_ENDINGS
                .iter()
                .any(|ending| e.eq_ignore_ascii_case(ending))
        }) {
            parts.push(path);
        }
    }
    Ok(())
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

/// The text of each quarantined row, by its first line: the physical line
/// for JSON Lines, the whole record (which may span lines) for CSV.
/// `delimiter` is the CSV delimiter, `None` for a line-per-row format.
fn row_texts(path: &Path, delimiter: Option<u8>, wanted: &BTreeSet<u64>) -> BTreeMap<u64, String> {
    let mut texts = BTreeMap::new();
    let mut magic = [0u8; 8];
    let first = std::fs::File::open(path).and_then(|mut file| file.read(&mut magic));
    if let Ok(n) = first
        && let Some(container) = truce_ingest::Container::of(&magic[..n])
    {
        // A table of columns: its rows are numbered, their cells written as CSV.
        return std::fs::read(path).map_or(texts, |raw| {
            truce_ingest::columnar_row_texts(container, raw.into(), wanted)
        });
    }
    // Read as the importer read it: a line too long to hold is its short marker.
    let mut bytes = Vec::new();
    let read = std::fs::File::open(path)
        .and_then(|file| truce_ingest::capped_lines(file).read_to_end(&mut bytes));
    if read.is_err() || bytes.starts_with(b"PK\x03\x04") {
        // Unreadable now, or a zip archive (its rows are not lines of the file on disk).
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
