//! The CSV machinery the GED and ACLED readers share: one pass over the file
//! with a reused record, columns found by name once, and every row either
//! mapped to a report or quarantined with its physical line.

use crate::error::{IngestError, RowProblem};
use crate::{Format, ImportOptions, Imported};
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

/// A file's header: the column names as written (trimmed) and lower-cased for lookup.
pub(crate) struct Header {
    names: Vec<String>,
    lower: Vec<String>,
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
        Header { names, lower }
    }

    /// The index of the first column called `name` (lower case), if any.
    pub(crate) fn find(&self, name: &str) -> Option<usize> {
        self.lower.iter().position(|n| n == name)
    }

    /// The index of a column the format cannot do without.
    pub(crate) fn require(&self, name: &'static str) -> Result<usize, &'static str> {
        self.find(name).ok_or(name)
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

    /// The value of an optional column, `""` when the file lacks it.
    pub(crate) fn opt(&self, column: Option<usize>) -> &'a str {
        column.map_or("", |c| self.get(c))
    }

    /// A problem with this row's value in `column`.
    pub(crate) fn problem(&self, column: usize, reason: impl Into<String>) -> RowProblem {
        let field = self.header.names.get(column).map_or("", String::as_str);
        RowProblem::field(self.file, self.line, field, self.get(column), reason)
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

/// What a source's reader provides to [`import_csv`].
pub(crate) trait RowReader {
    /// The column indexes the reader needs, found once per file.
    type Columns;
    /// The format this reader reads.
    fn format(&self) -> Format;
    /// Finds the columns by name; `Err` names a required column the header lacks.
    fn columns(&self, header: &Header) -> Result<Self::Columns, &'static str>;
    /// Maps one row (raw pairs not filled in) or says why it cannot.
    fn report(&self, columns: &Self::Columns, row: &Row<'_>) -> Result<Report, RowProblem>;
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

/// Reads a whole CSV file with `source`'s mapping.
pub(crate) fn import_csv<R: Read, S: RowReader>(
    file: &str,
    input: R,
    source: &S,
    options: &ImportOptions,
) -> Result<Imported, IngestError> {
    let counter = LineCounter {
        inner: input,
        offset: 0,
        marks: VecDeque::new(),
        breaks: 0,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(counter);
    let mut record = csv::StringRecord::new();
    if !next(file, &mut reader, &mut record)? {
        return Err(IngestError::Empty {
            file: file.to_string(),
        });
    }
    let header = Header::new(&record);
    let columns = source
        .columns(&header)
        .map_err(|column| IngestError::MissingColumn {
            file: file.to_string(),
            format: source.format(),
            column: column.to_string(),
        })?;

    let mut imported = Imported {
        format: source.format(),
        reports: Vec::new(),
        quarantined: Vec::new(),
        rows_read: 0,
    };
    while next(file, &mut reader, &mut record)? {
        imported.rows_read += 1;
        let start = record.position().map_or(0, |p| p.byte());
        let line = reader.get_mut().line_at(start);
        if record.len() != header.len() {
            imported.quarantined.push(RowProblem::row(
                file,
                line,
                format!(
                    "expected {} fields as in the header, found {}",
                    header.len(),
                    record.len()
                ),
            ));
            continue;
        }
        let row = Row {
            file,
            line,
            record: &record,
            header: &header,
        };
        match source.report(&columns, &row) {
            Ok(mut report) => {
                if options.keep_raw {
                    report.provenance.raw = row.raw();
                }
                imported.reports.push(report);
            }
            Err(problem) => imported.quarantined.push(problem),
        }
    }
    Ok(imported)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(line, first field)` of every record after the header.
    fn lines(text: &str) -> Vec<(u64, String)> {
        let counter = LineCounter {
            inner: text.as_bytes(),
            offset: 0,
            marks: VecDeque::new(),
            breaks: 0,
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(counter);
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
        let counter = LineCounter {
            inner: Trickle(text.as_bytes()),
            offset: 0,
            marks: VecDeque::new(),
            breaks: 0,
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(counter);
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
