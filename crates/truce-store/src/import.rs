//! What an import into either store is made of: reports encoded apart from the
//! connection ([`ReportEncoder`]), so one batch can be encoded while the previous
//! one is written, the rows of a batch that are not reports ([`BatchProblems`]),
//! and the face of a run in progress ([`ImportWriter`]).

use crate::body::{self, Dictionary, Packer};
use crate::{Counts, RunInfo, StoreError, stored};
use rayon::prelude::*;
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
    /// The run's dictionary for its bodies ([`crate::body`]), once decided.
    pub(crate) dictionary: Option<Dictionary>,
    /// Whether the run's dictionary is decided: the first batch with rows trains
    /// one when it has rows enough (a body says whether it used it, so bodies
    /// stored before a run had one read back all the same).
    pub(crate) dictionary_decided: bool,
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
    /// Every row's body, back to back (`rows` hold ranges of it).
    pub(crate) bodies: Vec<u8>,
    /// The run's dictionary the bodies were compressed with, if any.
    pub(crate) dictionary: Option<Dictionary>,
}

/// One encoded report, borrowed from its batch.
pub(crate) struct EncodedRow<'a> {
    pub source: &'a str,
    pub source_id: &'a str,
    pub revision: Option<&'a str>,
    pub file: &'a str,
    pub line: u64,
    pub hash: &'a [u8; 32],
    /// Its stored JSON and raw row, compressed ([`crate::body`]).
    pub body: &'a [u8],
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
            body: self.bodies.get(row.body.clone()).unwrap_or_default(),
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

/// How many rows one compressor takes in turn while a batch is compressed in pieces:
/// enough that loading the run's dictionary into it is a small part of its work.
const COMPRESSED_TOGETHER: usize = 1_000;

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
    /// Its range of the batch's bodies.
    pub(crate) body: Span,
}

impl ReportEncoder {
    /// An encoder for a run whose raw rows are under `raw_columns` (`None`:
    /// the columns of the first raw row encoded) and whose bodies are compressed
    /// with `dictionary` (`None`: the first batch with rows trains one).
    pub(crate) fn new(
        raw_columns: Option<Vec<String>>,
        dictionary: Option<Dictionary>,
    ) -> ReportEncoder {
        ReportEncoder {
            dictionary_decided: dictionary.is_some(),
            raw_columns,
            dictionary,
        }
    }

    /// Compresses the batch's bodies, deciding the run's dictionary on its first batch.
    fn pack(&mut self, batch: &mut EncodedBatch) -> std::io::Result<()> {
        let parts = |row: &EncodedReport| {
            let json = batch.text.get(row.json.clone()).unwrap_or_default();
            let raw = row
                .raw
                .as_ref()
                .map(|r| batch.text.get(r.clone()).unwrap_or_default());
            (json.as_bytes(), raw.map(str::as_bytes))
        };
        if !self.dictionary_decided && !batch.rows.is_empty() {
            self.dictionary = body::train_on(batch.rows.iter().map(parts));
            self.dictionary_decided = true;
        }
        // Compression is most of an import's added work, so the batch's rows are
        // compressed in pieces on the pool's threads, then laid end to end in order.
        let dictionary = self.dictionary.as_deref().map(Vec::as_slice);
        let pieces: Vec<(Vec<u8>, Vec<Span>)> = batch
            .rows
            .par_chunks(COMPRESSED_TOGETHER)
            .map(|rows| -> std::io::Result<(Vec<u8>, Vec<Span>)> {
                let mut packer = Packer::new(dictionary)?;
                let mut bodies = Vec::with_capacity(rows.len() * 256);
                let mut spans = Vec::with_capacity(rows.len());
                for row in rows {
                    let (json, raw) = parts(row);
                    let start = bodies.len();
                    packer.pack(json, raw, &mut bodies)?;
                    spans.push(start..bodies.len());
                }
                Ok((bodies, spans))
            })
            .collect::<std::io::Result<_>>()?;
        let mut bodies = Vec::with_capacity(pieces.iter().map(|(b, _)| b.len()).sum());
        let mut spans = Vec::with_capacity(batch.rows.len());
        for (piece, piece_spans) in pieces {
            let offset = bodies.len();
            bodies.extend_from_slice(&piece);
            spans.extend(
                piece_spans
                    .into_iter()
                    .map(|s| s.start + offset..s.end + offset),
            );
        }
        for (row, span) in batch.rows.iter_mut().zip(spans) {
            row.body = span;
        }
        batch.bodies = bodies;
        batch.dictionary = self.dictionary.clone();
        Ok(())
    }

    /// Encodes `reports`, in order.
    pub fn encode(&mut self, reports: &[Report]) -> Result<EncodedBatch, serde_json::Error> {
        let mut batch = EncodedBatch {
            rows: Vec::with_capacity(reports.len()),
            text: String::with_capacity(reports.len() * 1024),
            raw_columns: None,
            bodies: Vec::new(),
            dictionary: None,
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
                body: 0..0,
            });
        }
        if values_only {
            batch.raw_columns = self.raw_columns.clone();
        }
        self.pack(&mut batch).map_err(serde_json::Error::io)?;
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
