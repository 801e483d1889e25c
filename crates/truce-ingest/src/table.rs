//! The delimited-file machinery the GED, ACLED, GDELT and HXL readers share:
//! one pass over the file with a reused record, columns found by name (or
//! hashtag) once, an HXL hashtag row under the header recognised, and every
//! row either mapped to a report, quarantined or skipped, with its physical line.

use crate::error::{IngestError, RowProblem};
use crate::hashtag::Tag;
use crate::{Format, ImportOptions};
use std::collections::VecDeque;
use std::io::Read;
use truce_model::report::Report;

/// Counts physical lines under the CSV parser, which does not count them right
/// for `\r\n` or `\r` line ends and reports a record's start before any blank
/// lines that precede it.
///
/// The reader notes the offset of every `\r` and `\n` it passes on; the parser
/// reads ahead by at most its buffer, so only those few offsets are kept.
struct LineCounter<R> {
    inner: R,
    /// Offset of the next byte to be read.
    offset: u64,
    /// Offsets of the `\r` and `\n` bytes read but not yet passed by a record start.
    marks: VecDeque<(u64, u8)>,
    /// Line breaks passed so far.
    breaks: u64,
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// True when one of the eight bytes of `word` is `byte`.
fn has_byte(word: u64, byte: u8) -> bool {
    let v = word ^ (ONES * u64::from(byte));
    v.wrapping_sub(ONES) & !v & HIGHS != 0
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let bytes = &buf[..n];
        let mut chunks = bytes.chunks_exact(8);
        let mut base = self.offset;
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let word = u64::from_le_bytes(word);
            if has_byte(word, b'\n') || has_byte(word, b'\r') {
                self.note(base, chunk);
            }
            base += 8;
        }
        self.note(base, chunks.remainder());
        self.offset += n as u64;
        Ok(n)
    }
}

impl<R> LineCounter<R> {
    /// A counter at the start of `inner`.
    fn new(inner: R) -> Self {
        LineCounter {
            inner,
            offset: 0,
            marks: VecDeque::new(),
            breaks: 0,
        }
    }

    fn note(&mut self, base: u64, bytes: &[u8]) {
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || b == b'\r' {
                self.marks.push_back((base + i as u64, b));
            }
        }
    }

    /// Whether the front mark is a line break: a `\n`, or a `\r` not followed by `\n`.
    fn front_breaks(&self) -> bool {
        match (self.marks.front(), self.marks.get(1)) {
            (Some(&(_, b'\n')), _) => true,
            (Some(&(at, _)), Some(&(next, b'\n'))) => next != at + 1,
            _ => true,
        }
    }

    /// The 1-based line of a record the parser says starts at byte `start`
    /// (possibly on the line ends before it). Starts must come in order.
    fn line_at(&mut self, start: u64) -> u64 {
        let mut cursor = start;
        while let Some(&(at, _)) = self.marks.front() {
            if at > cursor {
                break;
            }
            if self.front_breaks() {
                self.breaks += 1;
            }
            self.marks.pop_front();
            if at == cursor {
                cursor += 1;
            }
        }
        self.breaks + 1
    }
}

/// A file's header: the column names as written (trimmed) and lower-cased for
/// lookup, and the HXL hashtags of the columns when the file has a hashtag row.
pub(crate) struct Header {
    names: Vec<String>,
    lower: Vec<String>,
    /// One entry per column (`None` for a column without a hashtag), when the
    /// file has an HXL hashtag row (under the header or instead of it).
    pub(crate) tags: Option<Vec<Option<Tag>>>,
    /// The hashtag row's cells as written (trimmed), when there is one.
    tag_texts: Vec<String>,
}

impl Header {
    fn new(record: &csv::StringRecord) -> Header {
        let names: Vec<String> = record
            .iter()
            .enumerate()
            .map(|(i, n)| {
                if i == 0 {
                    n.trim_start_matches('\u{feff}')
                } else {
                    n
                }
                .trim()
                .to_string()
            })
            .collect();
        let lower = names.iter().map(|n| n.to_ascii_lowercase()).collect();
        Header {
            names,
            lower,
            tags: None,
            tag_texts: Vec::new(),
        }
    }

    /// A header of the column names a table's schema gives (Parquet, Arrow).
    pub(crate) fn named(names: &[String]) -> Header {
        Header {
            names: names.iter().map(|n| n.trim().to_string()).collect(),
            lower: names
                .iter()
                .map(|n| n.trim().to_ascii_lowercase())
                .collect(),
            tags: None,
            tag_texts: Vec::new(),
        }
    }

    /// A header of fixed column names, for files without a header row (GDELT).
    pub(crate) fn fixed(names: &[&str]) -> Header {
        Header {
            names: names.iter().map(|n| n.to_string()).collect(),
            lower: names.iter().map(|n| n.to_ascii_lowercase()).collect(),
            tags: None,
            tag_texts: Vec::new(),
        }
    }

    /// The index of the first column called `name` (lower case), if any.
    pub(crate) fn find(&self, name: &str) -> Option<usize> {
        self.lower.iter().position(|n| n == name)
    }

    /// The index of a column the format cannot do without.
    pub(crate) fn require(&self, name: &'static str) -> Result<usize, &'static str> {
        self.find(name).ok_or(name)
    }

    /// The lower-cased column names.
    pub(crate) fn lower(&self) -> &[String] {
        &self.lower
    }

    fn len(&self) -> usize {
        self.names.len()
    }
}

/// One data row, with what is needed to quarantine it.
pub(crate) struct Row<'a> {
    pub(crate) file: &'a str,
    pub(crate) line: u64,
    record: &'a csv::StringRecord,
    header: &'a Header,
}

impl<'a> Row<'a> {
    /// The value of a column (trimmed). Rows have as many fields as the header.
    pub(crate) fn get(&self, column: usize) -> &'a str {
        self.record.get(column).unwrap_or("").trim()
    }

    /// The value of a column of a file truce may have written: the quote its
    /// CSV writers put before a cell a spreadsheet would run is taken off
    /// ([`truce_model::spreadsheet::unsafe_cell`]).
    pub(crate) fn get_written(&self, column: usize) -> &'a str {
        truce_model::spreadsheet::unsafe_cell(self.get(column))
    }

    /// [`Row::get_written`] of an optional column, `""` when the file lacks it.
    pub(crate) fn opt_written(&self, column: Option<usize>) -> &'a str {
        column.map_or("", |c| self.get_written(c))
    }

    /// The value of an optional column, `""` when the file lacks it.
    pub(crate) fn opt(&self, column: Option<usize>) -> &'a str {
        column.map_or("", |c| self.get(c))
    }

    /// A problem with this row's value in `column`.
    pub(crate) fn problem(&self, column: usize, reason: impl Into<String>) -> RowProblem {
        let field = self.header.names.get(column).map_or("", String::as_str);
        RowProblem::field(self.file, self.line, field, self.get(column), reason)
    }

    /// A problem with the row as a whole.
    pub(crate) fn row_problem(&self, reason: impl Into<String>) -> RowProblem {
        RowProblem::row(self.file, self.line, reason)
    }

    /// Every cell of the row as written, in file order.
    pub(crate) fn cells(&self) -> impl Iterator<Item = &'a str> {
        self.record.iter()
    }

    /// The row as `(column, value)` pairs, values as written.
    pub(crate) fn raw(&self) -> Vec<(String, String)> {
        self.header
            .names
            .iter()
            .zip(self.record.iter())
            .map(|(n, v)| (n.clone(), v.to_string()))
            .collect()
    }
}

/// Why a row gave no report: it could not be read (quarantined), or it is read
/// but lies outside what truce weighs (skipped, e.g. a GDELT statement).
pub(crate) enum NotReport {
    /// The row cannot be read honestly.
    Quarantine(RowProblem),
    /// The row is read and out of scope.
    Skip(RowProblem),
}

impl From<RowProblem> for NotReport {
    fn from(problem: RowProblem) -> NotReport {
        NotReport::Quarantine(problem)
    }
}

/// How a file's cells are separated and whether it has a header row.
#[derive(Copy, Clone)]
pub(crate) struct Dialect {
    pub(crate) delimiter: u8,
    pub(crate) quoting: bool,
    /// Fixed column names for a file without a header row (GDELT).
    pub(crate) fixed: Option<&'static [&'static str]>,
    /// Whether an HXL hashtag row is looked for on the first or second line.
    pub(crate) hashtags: bool,
}

impl Dialect {
    /// Comma-separated, quoted, with a header row (and perhaps a hashtag row).
    pub(crate) const CSV: Dialect = Dialect {
        delimiter: b',',
        quoting: true,
        fixed: None,
        hashtags: true,
    };
}

/// What a source's reader provides to [`crate::chunked::import_csv`].
pub(crate) trait RowReader: Sync {
    /// The column indexes the reader needs, found once per file.
    type Columns: Sync;
    /// The format this reader reads.
    fn format(&self) -> Format;
    /// Finds the columns by name; `Err` names a required column the header lacks.
    fn columns(&self, header: &Header) -> Result<Self::Columns, &'static str>;
    /// The columns of `file`'s header, or the error naming the required column it lacks.
    fn columns_of(&self, file: &str, header: &Header) -> Result<Self::Columns, IngestError> {
        self.columns(header)
            .map_err(|column| IngestError::MissingColumn {
                file: file.to_string(),
                format: self.format(),
                column: column.to_string(),
            })
    }
    /// Maps one row (raw pairs not filled in) or says why it cannot.
    fn report(&self, columns: &Self::Columns, row: &Row<'_>) -> Result<Report, NotReport>;
    /// What the analyst should know about a row mapped to a report (read as
    /// it is, but not as the source's rules say it should be). Most formats
    /// have no such rule.
    fn warning(&self, _columns: &Self::Columns, _row: &Row<'_>) -> Option<RowProblem> {
        None
    }
    /// The reason given for a row with another number of fields than the header.
    fn width_reason(&self, expected: usize, found: usize) -> String {
        format!("expected {expected} fields as in the header, found {found}")
    }
}

/// The file-level error for a CSV reading error.
fn csv_error<R>(file: &str, error: csv::Error, lines: &mut LineCounter<R>) -> IngestError {
    if let csv::ErrorKind::Utf8 { pos, .. } = error.kind() {
        let line = lines.line_at(pos.as_ref().map_or(0, |p| p.byte()));
        return IngestError::NotUtf8 {
            file: file.to_string(),
            line,
        };
    }
    let message = error.to_string();
    let source = match error.into_kind() {
        csv::ErrorKind::Io(source) => source,
        _ => std::io::Error::new(std::io::ErrorKind::InvalidData, message),
    };
    IngestError::Read {
        file: file.to_string(),
        source,
    }
}

/// Reads the next record into `record`; `Ok(false)` at the end.
fn next<R: Read>(
    file: &str,
    reader: &mut csv::Reader<LineCounter<R>>,
    record: &mut csv::StringRecord,
) -> Result<bool, IngestError> {
    match reader.read_record(record) {
        Ok(more) => Ok(more),
        Err(error) => Err(csv_error(file, error, reader.get_mut())),
    }
}

/// A file opened for reading: its header found, and perhaps the first data row
/// already read (when the line after the header was looked at for hashtags).
impl<R: Read> Opened<R> {
    /// The byte where reading stopped: after the header (and a hashtag row,
    /// or the first data row when one was read to tell).
    pub(crate) fn read_up_to(&self) -> u64 {
        self.reader.position().byte()
    }
}

pub(crate) struct Opened<R> {
    reader: csv::Reader<LineCounter<R>>,
    record: csv::StringRecord,
    /// `record` holds a data row not yet mapped.
    pending: bool,
    pub(crate) header: Header,
}

impl<R> Opened<R> {
    /// The first data row, when it was read while opening the file.
    pub(crate) fn pending_row(&self) -> Option<&csv::StringRecord> {
        self.pending.then_some(&self.record)
    }

    /// The column names (for a file with only a hashtag row: the hashtags).
    pub(crate) fn header_names(&self) -> &[String] {
        &self.header.names
    }

    /// The hashtag of column `i` as written, when the file has a hashtag row.
    pub(crate) fn hashtag_text(&self, i: usize) -> Option<String> {
        self.header.tag_texts.get(i).cloned()
    }
}

fn tag_texts(record: &csv::StringRecord) -> Vec<String> {
    record.iter().map(|c| c.trim().to_string()).collect()
}

/// Calls `f` with every data row of an opened file, or with the problem of a
/// row that has another number of fields than the header.
pub(crate) fn each_row<R: Read>(
    file: &str,
    opened: Opened<R>,
    mut f: impl FnMut(Result<&Row<'_>, RowProblem>),
) -> Result<(), IngestError> {
    let Opened {
        mut reader,
        mut record,
        mut pending,
        header,
    } = opened;
    loop {
        if !std::mem::take(&mut pending) && !next(file, &mut reader, &mut record)? {
            return Ok(());
        }
        let start = record.position().map_or(0, |p| p.byte());
        let line = reader.get_mut().line_at(start);
        if let Some(reason) = record.get(0).and_then(crate::line_cap::cut_reason) {
            f(Err(RowProblem::row(file, line, reason)));
            continue;
        }
        if record.len() != header.len() {
            f(Err(RowProblem::row(
                file,
                line,
                format!(
                    "expected {} fields as in the header, found {}",
                    header.len(),
                    record.len()
                ),
            )));
            continue;
        }
        f(Ok(&Row {
            file,
            line,
            record: &record,
            header: &header,
        }));
    }
}

/// The CSV parser every reader of a dialect uses.
pub(crate) fn csv_builder(dialect: Dialect) -> csv::ReaderBuilder {
    let mut builder = csv::ReaderBuilder::new();
    builder
        .has_headers(false)
        .flexible(true)
        .delimiter(dialect.delimiter)
        .quoting(dialect.quoting)
        .buffer_capacity(1 << 16);
    builder
}

/// Opens a delimited file: reads the header (or takes the fixed names) and,
/// when the dialect allows it, the HXL hashtag row on the first or second line.
pub(crate) fn open<R: Read>(
    file: &str,
    input: R,
    dialect: Dialect,
) -> Result<Opened<R>, IngestError> {
    let mut reader = csv_builder(dialect).from_reader(LineCounter::new(input));
    let mut record = csv::StringRecord::new();
    if !next(file, &mut reader, &mut record)? {
        return Err(IngestError::Empty {
            file: file.to_string(),
        });
    }
    if let Some(names) = dialect.fixed {
        return Ok(Opened {
            reader,
            record,
            pending: true,
            header: Header::fixed(names),
        });
    }
    let mut header = Header::new(&record);
    let mut pending = false;
    if dialect.hashtags {
        if let Some(tags) = crate::hashtag::hashtag_row(&record) {
            // A hashtag row instead of a header: the hashtags name the columns.
            header.tags = Some(tags);
            header.tag_texts = tag_texts(&record);
        } else if next(file, &mut reader, &mut record)? {
            match crate::hashtag::hashtag_row(&record) {
                Some(tags) => {
                    header.tags = Some(tags);
                    header.tag_texts = tag_texts(&record);
                }
                None => pending = true,
            }
        }
    }
    Ok(Opened {
        reader,
        record,
        pending,
        header,
    })
}

/// Rows read before they are mapped together, in parallel.
const BATCH: usize = 4096;

/// One row's outcome, in file order.
// Reports are the common case: boxing them would cost an allocation per row.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Mapped {
    /// A report, and what the analyst should know about its row.
    Report(Report, Option<RowProblem>),
    Quarantine(RowProblem),
    Skip(RowProblem),
}

impl Mapped {
    /// Hands the row to `sink`: its report and then its warning, or its problem.
    pub(crate) fn send(self, sink: &mut dyn crate::Sink) {
        match self {
            Mapped::Report(report, warning) => {
                sink.report(report);
                if let Some(warning) = warning {
                    sink.warn(warning);
                }
            }
            Mapped::Quarantine(problem) => sink.quarantine(problem),
            Mapped::Skip(problem) => sink.skip(problem),
        }
    }
}

/// Maps one data row (at `line`) with `source`'s mapping.
pub(crate) fn map_row<S: RowReader>(
    file: &str,
    line: u64,
    record: &csv::StringRecord,
    header: &Header,
    source: &S,
    columns: &S::Columns,
    options: &ImportOptions,
) -> Mapped {
    if let Some(reason) = record.get(0).and_then(crate::line_cap::cut_reason) {
        return Mapped::Quarantine(RowProblem::row(file, line, reason));
    }
    if record.len() != header.len() {
        return Mapped::Quarantine(RowProblem::row(
            file,
            line,
            source.width_reason(header.len(), record.len()),
        ));
    }
    let row = Row {
        file,
        line,
        record,
        header,
    };
    match source.report(columns, &row) {
        Ok(mut report) => {
            let warning = source.warning(columns, &row);
            if options.keep_raw {
                report.provenance.raw = row.raw();
            }
            Mapped::Report(report, warning)
        }
        Err(NotReport::Quarantine(problem)) => Mapped::Quarantine(problem),
        Err(NotReport::Skip(problem)) => Mapped::Skip(problem),
    }
}

/// Maps every data row of an opened file with `source`'s mapping.
/// Returns the number of data rows read; every row goes to `sink`, in file order.
///
/// Reading is sequential (the CSV parser and the line count); mapping rows to
/// reports — dates, kinds, precision, names — is independent per row, so it is done
/// for a batch of rows at a time on every core.
pub(crate) fn run<R: Read, S: RowReader>(
    file: &str,
    opened: Opened<R>,
    source: &S,
    options: &ImportOptions,
    sink: &mut dyn crate::Sink,
) -> Result<u64, IngestError> {
    use rayon::prelude::*;
    let Opened {
        mut reader,
        record,
        pending,
        header,
    } = opened;
    let columns = source.columns_of(file, &header)?;

    // Record buffers are reused from batch to batch: no allocation per row for reading.
    let mut batch: Vec<(u64, csv::StringRecord)> = Vec::with_capacity(BATCH);
    let mut spare: Vec<csv::StringRecord> = Vec::new();
    let mut waiting = if pending { Some(record) } else { None };
    let mut rows_read: u64 = 0;
    let map = |line: u64, record: &csv::StringRecord| -> Mapped {
        map_row(file, line, record, &header, source, &columns, options)
    };
    loop {
        let mut finished = false;
        while batch.len() < BATCH {
            let record = match waiting.take() {
                Some(record) => record,
                None => {
                    let mut buffer = spare.pop().unwrap_or_default();
                    if !next(file, &mut reader, &mut buffer)? {
                        spare.push(buffer);
                        finished = true;
                        break;
                    }
                    buffer
                }
            };
            rows_read += 1;
            // Lines are counted in reading order, before the rows are mapped out of order.
            let start = record.position().map_or(0, |p| p.byte());
            let line = reader.get_mut().line_at(start);
            batch.push((line, record));
        }
        let mapped: Vec<Mapped> = if batch.len() > 64 {
            batch
                .par_iter()
                .map(|(line, record)| map(*line, record))
                .collect()
        } else {
            batch
                .iter()
                .map(|(line, record)| map(*line, record))
                .collect()
        };
        for outcome in mapped {
            outcome.send(sink);
        }
        spare.extend(batch.drain(..).map(|(_, record)| record));
        if finished {
            break;
        }
    }
    Ok(rows_read)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A CSV reader over `inner` that counts its lines, header and all.
    fn counting_reader<R: Read>(inner: R) -> csv::Reader<LineCounter<R>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(LineCounter::new(inner))
    }

    /// `(line, first field)` of every record after the header.
    fn lines(text: &str) -> Vec<(u64, String)> {
        let mut reader = counting_reader(text.as_bytes());
        let mut record = csv::StringRecord::new();
        let mut out = Vec::new();
        let mut first = true;
        while reader.read_record(&mut record).unwrap_or(false) {
            let start = record.position().map_or(0, |p| p.byte());
            let line = reader.get_mut().line_at(start);
            if !std::mem::take(&mut first) {
                out.push((line, record.get(0).unwrap_or("").to_string()));
            }
        }
        out
    }

    fn expect(pairs: &[(u64, &str)]) -> Vec<(u64, String)> {
        pairs.iter().map(|(l, s)| (*l, s.to_string())).collect()
    }

    #[test]
    fn physical_lines_for_every_line_end() {
        assert_eq!(lines("h\na\nb\n"), expect(&[(2, "a"), (3, "b")]));
        assert_eq!(lines("h\r\na\r\nb\r\n"), expect(&[(2, "a"), (3, "b")]));
        assert_eq!(lines("h\ra\rb"), expect(&[(2, "a"), (3, "b")]));
        assert_eq!(lines("h\n\n\na\n\r\n\nb"), expect(&[(4, "a"), (7, "b")]));
        assert_eq!(lines("h\r\n\r\n\r\na\r\nb"), expect(&[(4, "a"), (5, "b")]));
        assert_eq!(lines("h\n\"x\ny\"\nb\n"), expect(&[(2, "x\ny"), (4, "b")]));
        assert_eq!(
            lines("h\r\n\"x\r\ny\"\r\nb\r\n"),
            expect(&[(2, "x\r\ny"), (4, "b")])
        );
        assert_eq!(lines("h\n\"x\ry\"\nb"), expect(&[(2, "x\ry"), (4, "b")]));
    }

    #[test]
    fn line_ends_across_read_boundaries() {
        // A reader that hands out one byte at a time splits every `\r\n`.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                match (self.0.split_first(), buf.first_mut()) {
                    (Some((b, rest)), Some(slot)) => {
                        *slot = *b;
                        self.0 = rest;
                        Ok(1)
                    }
                    _ => Ok(0),
                }
            }
        }
        let text = "h\r\n\r\na,b\r\n\"x\r\ny\",z\r\nlast";
        let mut reader = counting_reader(Trickle(text.as_bytes()));
        let mut record = csv::StringRecord::new();
        let mut got = Vec::new();
        while reader.read_record(&mut record).unwrap_or(false) {
            let start = record.position().map_or(0, |p| p.byte());
            got.push(reader.get_mut().line_at(start));
        }
        assert_eq!(got, [1, 3, 4, 6]);
    }

    #[test]
    fn has_byte_finds_each_position() {
        for i in 0..8 {
            let mut word = [b'a'; 8];
            word[i] = b'\n';
            assert!(has_byte(u64::from_le_bytes(word), b'\n'));
            assert!(!has_byte(u64::from_le_bytes(word), b'\r'));
        }
        assert!(!has_byte(
            u64::from_le_bytes(*b"\x8a\x8d\x0b\x0c\x09\xff\x00\x01"),
            b'\n'
        ));
    }
}
