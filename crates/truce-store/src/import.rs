//! What an import into either store is made of: reports encoded apart from the
//! connection ([`ReportEncoder`]), so one batch can be encoded while the previous
//! one is written, the rows of a batch that are not reports ([`BatchProblems`]),
//! and the face of a run in progress ([`ImportWriter`]).

use crate::{Counts, RunInfo, StoreError, stored};
use sha2::{Digest, Sha256};
use truce_ingest::RowProblem;
use truce_model::report::Report;

/// Serialises values as a JSON array without collecting them.
pub(crate) struct RawValues<I>(I);

impl<'a, I: Iterator<Item = &'a str> + Clone> serde::Serialize for RawValues<I> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.clone())
    }
}

/// Encodes reports the way an import run stores them: each report's stored
/// JSON ([`stored`]), its content hash (the sha256 of that JSON) and its raw row
/// (values only under the run's columns, or `[column, value]` pairs). It needs
/// no connection, so a caller can encode one batch on another thread while the
/// previous one is written ([`ImportRun::encoder`], [`ImportRun::add_encoded`]).
#[derive(Clone, Debug)]
pub struct ReportEncoder {
    /// The run's raw columns: given by the run, or those of the first raw row encoded.
    pub(crate) raw_columns: Option<Vec<String>>,
}

/// A batch of reports encoded by a [`ReportEncoder`], to be written with
/// [`ImportRun::add_encoded`].
#[derive(Debug, Default)]
pub struct EncodedBatch {
    pub(crate) rows: Vec<EncodedReport>,
    /// Every string of every row, back to back (`rows` hold ranges of it).
    pub(crate) text: String,
    /// The raw columns the rows' values-only raw rows are under, when there are such rows.
    pub(crate) raw_columns: Option<Vec<String>>,
}

/// One encoded report, borrowed from its batch.
pub(crate) struct EncodedRow<'a> {
    pub source: &'a str,
    pub source_id: &'a str,
    pub revision: Option<&'a str>,
    pub file: &'a str,
    pub line: u64,
    pub hash: &'a [u8; 32],
    pub json: &'a str,
}

impl EncodedBatch {
    /// The batch's reports, in order.
    pub(crate) fn encoded_rows(&self) -> impl Iterator<Item = EncodedRow<'_>> {
        let at = |span: &Span| self.text.get(span.clone()).unwrap_or_default();
        self.rows.iter().map(move |row| EncodedRow {
            source: at(&row.source),
            source_id: at(&row.source_id),
            revision: row.revision.as_ref().map(at),
            file: at(&row.file),
            line: row.line,
            hash: &row.hash,
            json: at(&row.json),
        })
    }

    /// The number of reports in the batch.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when the batch holds no report.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

pub(crate) type Span = std::ops::Range<usize>;

/// One encoded report: ranges of its batch's text.
#[derive(Debug)]
pub(crate) struct EncodedReport {
    pub(crate) source: Span,
    pub(crate) source_id: Span,
    pub(crate) revision: Option<Span>,
    pub(crate) file: Span,
    pub(crate) line: u64,
    pub(crate) hash: [u8; 32],
    pub(crate) json: Span,
    pub(crate) raw: Option<Span>,
}

impl ReportEncoder {
    /// An encoder for a run whose raw rows are under `raw_columns` (`None`:
    /// the columns of the first raw row encoded).
    pub(crate) fn new(raw_columns: Option<Vec<String>>) -> ReportEncoder {
        ReportEncoder { raw_columns }
    }

    /// Encodes `reports`, in order.
    pub fn encode(&mut self, reports: &[Report]) -> Result<EncodedBatch, serde_json::Error> {
        let mut batch = EncodedBatch {
            rows: Vec::with_capacity(reports.len()),
            text: String::with_capacity(reports.len() * 1024),
            raw_columns: None,
        };
        let mut buffer = Vec::with_capacity(1024);
        let mut values_only = false;
        for report in reports {
            let p = &report.provenance;
            let mut push = |s: &str| {
                let start = batch.text.len();
                batch.text.push_str(s);
                start..batch.text.len()
            };
            let source = push(&p.source);
            let source_id = push(&p.source_id);
            let revision = p.revision.as_deref().map(&mut push);
            let file = push(&p.file);
            buffer.clear();
            stored::write_json(report, &mut buffer)?;
            let hash: [u8; 32] = Sha256::digest(&buffer).into();
            // serde_json writes UTF-8.
            let json = push(std::str::from_utf8(&buffer).unwrap_or_default());
            let raw = if p.raw.is_empty() {
                None
            } else {
                let columns = self.raw_columns.get_or_insert_with(|| {
                    // The run's columns: those of its first raw row.
                    p.raw.iter().map(|(c, _)| c.clone()).collect()
                });
                let same_columns = columns.len() == p.raw.len()
                    && columns.iter().zip(&p.raw).all(|(a, (b, _))| a == b);
                buffer.clear();
                if same_columns {
                    values_only = true;
                    let values = p.raw.iter().map(|(_, v)| v.as_str());
                    serde_json::to_writer(&mut buffer, &RawValues(values))?;
                } else {
                    serde_json::to_writer(&mut buffer, &p.raw)?;
                }
                Some(push(std::str::from_utf8(&buffer).unwrap_or_default()))
            };
            batch.rows.push(EncodedReport {
                source,
                source_id,
                revision,
                file,
                line: p.line,
                hash,
                json,
                raw,
            });
        }
        if values_only {
            batch.raw_columns = self.raw_columns.clone();
        }
        Ok(batch)
    }
}

/// The rows of one batch that are not stored as reports, and the warnings
/// about rows that are, each in the order of the file.
#[derive(Copy, Clone, Debug, Default)]
pub struct BatchProblems<'a> {
    /// Rows that could not be read.
    pub quarantined: &'a [RowProblem],
    /// Rows read and set aside as out of scope.
    pub skipped: &'a [RowProblem],
    /// Rows kept as reports, with something the analyst should know.
    pub warned: &'a [RowProblem],
}

impl BatchProblems<'_> {
    /// The rows these count in the run (warnings are about rows counted as reports).
    pub fn rows(&self) -> usize {
        self.quarantined.len() + self.skipped.len()
    }
}

/// An import run on any store: the SQLite file ([`ImportRun`]) or PostgreSQL.
/// Batches are consecutive rows of the file, added in the file's order; a
/// run that is dropped without [`ImportWriter::finish`] keeps what the store
/// committed (SQLite: every batch, to be resumed; PostgreSQL: nothing, the
/// run being one transaction).
pub trait ImportWriter: Send {
    /// The run's number.
    fn id(&self) -> i64;
    /// True when this continues a run a killed import left open.
    fn resumed(&self) -> bool;
    /// Rows already committed by this run, to be skipped by the caller.
    fn rows_done(&self) -> u64;
    /// An encoder for this run's reports (batches encoded in the order they are added).
    fn encoder(&self) -> ReportEncoder;
    /// Adds one batch: the reports, encoded by [`ImportWriter::encoder`], the
    /// rows set aside (with their text when `raw_text` knows it) and the warnings.
    fn add_encoded(
        &mut self,
        reports: &EncodedBatch,
        rows: BatchProblems<'_>,
        raw_text: &dyn Fn(&RowProblem) -> Option<String>,
    ) -> Result<Counts, StoreError>;
    /// Fills in the text of quarantined rows by line, where it is still empty.
    fn set_quarantine_texts(
        &mut self,
        texts: &std::collections::BTreeMap<u64, String>,
    ) -> Result<(), StoreError>;
    /// Records the format the file turned out to be.
    fn set_format(&mut self, format: &str) -> Result<(), StoreError>;
    /// Gives up a run that stored nothing; returns whether it was removed.
    fn abandon(self: Box<Self>) -> Result<bool, StoreError>;
    /// Closes the run at time `at` and returns it as recorded.
    fn finish(self: Box<Self>, at: &str) -> Result<RunInfo, StoreError>;
}
