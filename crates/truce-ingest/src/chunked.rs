//! Reading a large CSV file on every core: the file is read in rounds of a few
//! megabytes, each round cut into pieces at line ends, and every piece parsed
//! and mapped to reports on its own thread, while this thread hands the rows
//! of the round before to the sink and reads the bytes of the round after.
//!
//! A line end may lie inside a quoted field, so a piece other than the first
//! only *assumes* it starts a record. The assumption is checked, never trusted:
//! the parser of the piece before it reads on past its end, and the piece is
//! kept only when that parser's next record starts where the piece's first one
//! does (both parsers are then in the same state, so they read the same
//! records). A piece that fails the check is read again, in the next round,
//! from the true start of its first record. The rows, their lines, their order
//! and every problem are therefore exactly those of reading the file in one
//! pass ([`crate::table::run`]), whatever the bytes; only the time differs.

use crate::error::IngestError;
use crate::table::{self, Dialect, Header, Mapped, RowReader};
use crate::{ImportOptions, Sink};
use std::io::Read;
use std::ops::Range;

/// How much is read per round and per piece.
#[derive(Copy, Clone)]
pub(crate) struct Sizes {
    /// Bytes parsed in one round.
    pub(crate) round: usize,
    /// Bytes of one piece: pieces are what the cores share.
    pub(crate) piece: usize,
}

/// The sizes files are read with.
pub(crate) const SIZES: Sizes = Sizes {
    round: 8 << 20,
    piece: 1 << 20,
};

/// The outcome of one piece.
struct Piece {
    /// The rows whose record starts in the piece, in file order, each with its
    /// line counted from the piece's first byte (fixed when the piece is kept).
    rows: Vec<Mapped>,
    /// Where the first record not taken starts: the true start of the next
    /// piece's first record, or where this piece must be read again.
    next: usize,
    /// Line breaks from the piece's start to `next`.
    breaks: u64,
    /// A record (the one at `next`) is not UTF-8: the line breaks before it in the piece.
    not_utf8: Option<u64>,
    /// The record at `next` may go on past the bytes read so far: it is read
    /// again in the next round, with more bytes.
    short: bool,
}

/// Line breaks in `bytes[range]`: each `\n`, and each `\r` not followed by `\n`
/// (looking one byte past the range).
fn breaks(bytes: &[u8], range: Range<usize>) -> u64 {
    let Some(part) = bytes.get(range.clone()) else {
        return 0;
    };
    part.iter().filter(|&&b| b == b'\n').count() as u64 + lone_cr(bytes, range)
}

/// The `\r` in `bytes[range]` that end a line alone (not followed by `\n`).
fn lone_cr(bytes: &[u8], range: Range<usize>) -> u64 {
    let Some(part) = bytes.get(range.clone()) else {
        return 0;
    };
    if !part.contains(&b'\r') {
        return 0;
    }
    part.iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\r' && bytes.get(range.start + i + 1) != Some(&b'\n'))
        .count() as u64
}

/// The first byte at or after `at` that is not a line end (where the parser
/// starts a record, blank lines skipped), or `bytes.len()`.
fn content_start(bytes: &[u8], at: usize) -> usize {
    bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|&b| b != b'\n' && b != b'\r'))
        .map_or(bytes.len(), |i| at + i)
}

/// The file-wide reading context of the pieces.
struct Context<'a, S: RowReader> {
    file: &'a str,
    header: &'a Header,
    source: &'a S,
    columns: &'a S::Columns,
    options: &'a ImportOptions,
}

impl<S: RowReader> Context<'_, S> {
    /// Parses and maps the records of `bytes[start..]` that start before `stop`:
    /// the piece `start..stop`, read on past `stop` to finish its last record.
    /// `eof`: `bytes` end where the file ends.
    fn piece(&self, bytes: &[u8], start: usize, stop: usize, eof: bool) -> Piece {
        let mut out = Piece {
            rows: Vec::with_capacity((stop - start) / 256 + 1),
            next: start,
            breaks: 0,
            not_utf8: None,
            short: false,
        };
        let slice = bytes.get(start..).unwrap_or_default();
        let mut reader = crate::table::csv_builder(crate::table::Dialect::CSV).from_reader(slice);
        let mut record = csv::StringRecord::new();
        // Lines are counted by the parser (`\n`) unless the piece holds a `\r`,
        // which may end a line alone: then byte by byte.
        let has_cr = bytes
            .get(start..stop)
            .is_some_and(|part| part.contains(&b'\r'));
        let mut counted = start;
        let mut lines_before = 0u64;
        loop {
            let position = reader.position();
            let at = start + position.byte() as usize;
            out.next = at;
            out.breaks = if has_cr {
                lines_before + breaks(bytes, counted..at)
            } else {
                // A record read on past the piece may hold a `\r` of its own.
                position.line() - 1 + lone_cr(bytes, stop.min(at)..at)
            };
            let first = content_start(bytes, at);
            if first >= stop || first >= bytes.len() {
                return out;
            }
            if has_cr {
                lines_before += breaks(bytes, counted..first);
                counted = first;
            } else {
                lines_before = position.line() - 1 + breaks(bytes, at..first);
            }
            let read = reader.read_record(&mut record);
            let end = start + reader.position().byte() as usize;
            if end >= bytes.len() && !eof {
                // The record may go on in bytes not read yet.
                out.short = true;
                return out;
            }
            match read {
                Ok(true) => {}
                Ok(false) => return out,
                Err(_) => {
                    // Reading bytes in memory fails only on bytes that are not UTF-8.
                    out.not_utf8 = Some(lines_before);
                    return out;
                }
            }
            out.rows.push(crate::table::map_row(
                self.file,
                lines_before + 1,
                &record,
                self.header,
                self.source,
                self.columns,
                self.options,
            ));
        }
    }
}

/// Hands rows to the sink, in order, their lines moved on by `base` line breaks.
fn deliver(rows: Vec<(u64, Vec<Mapped>)>, sink: &mut dyn Sink) {
    for (base, rows) in rows {
        for outcome in rows {
            match outcome {
                Mapped::Report(mut report, warning) => {
                    report.provenance.line += base;
                    sink.report(report);
                    if let Some(mut warning) = warning {
                        warning.line += base;
                        sink.warn(warning);
                    }
                }
                Mapped::Quarantine(mut problem) => {
                    problem.line += base;
                    sink.quarantine(problem);
                }
                Mapped::Skip(mut problem) => {
                    problem.line += base;
                    sink.skip(problem);
                }
            }
        }
    }
}

/// Reads every data row of a file on every core. `bytes` are its first bytes
/// (from its first byte on), the data rows starting at `data_start`; `input`
/// gives the rest (`eof`: there is none). Returns the number of data rows.
#[allow(clippy::too_many_arguments)]
pub(crate) fn run<R: Read, S: RowReader>(
    file: &str,
    mut input: R,
    mut bytes: Vec<u8>,
    data_start: usize,
    mut eof: bool,
    header: &Header,
    source: &S,
    columns: &S::Columns,
    options: &ImportOptions,
    sink: &mut dyn Sink,
    sizes: Sizes,
) -> Result<u64, IngestError> {
    let context = Context {
        file,
        header,
        source,
        columns,
        options,
    };
    // Line breaks before `bytes[0]`.
    let mut lines = breaks(&bytes, 0..data_start);
    bytes.drain(..data_start.min(bytes.len()));
    let mut rows_read = 0u64;
    // Rows of the round before, not handed to the sink yet.
    let mut pending: Vec<(u64, Vec<Mapped>)> = Vec::new();
    let mut next_bytes: Vec<u8> = Vec::new();
    let mut progressed = true;
    loop {
        let cuts = cuts(&bytes, eof, sizes.piece);
        // Read on: a round's worth, or, when the last round could not finish a
        // record, as much again as is held (a huge record costs linear time).
        let want = if progressed {
            sizes.round.saturating_sub(bytes.len()).max(sizes.piece)
        } else {
            bytes.len().max(sizes.round)
        };
        next_bytes.clear();
        let mut pieces: Vec<Piece> = Vec::new();
        let mut read: std::io::Result<bool> = Ok(true);
        rayon::in_place_scope(|scope| {
            let (bytes, cuts, pieces, context) = (&bytes, &cuts, &mut pieces, &context);
            scope.spawn(move |_| {
                use rayon::prelude::*;
                *pieces = cuts
                    .par_windows(2)
                    .map(|w| context.piece(bytes, w[0], w[1], eof))
                    .collect();
            });
            deliver(std::mem::take(&mut pending), sink);
            if !eof {
                read = fill(&mut input, &mut next_bytes, want);
            }
        });
        let next_eof = read.map_err(|source| IngestError::Read {
            file: file.to_string(),
            source,
        })?;

        // Keep the pieces that start where the one before them stopped.
        // `lines`: line breaks before `true_next`.
        let mut true_next = 0usize;
        progressed = false;
        for (i, piece) in pieces.into_iter().enumerate() {
            let cut = cuts[i];
            if i > 0 && content_start(&bytes, true_next) != content_start(&bytes, cut) {
                break;
            }
            // Line breaks before the cut (the two differ by blank-line bytes only).
            let base = if true_next <= cut {
                lines + breaks(&bytes, true_next..cut)
            } else {
                lines.saturating_sub(breaks(&bytes, cut..true_next))
            };
            rows_read += piece.rows.len() as u64;
            progressed |= piece.next > cut;
            pending.push((base, piece.rows));
            if let Some(before) = piece.not_utf8 {
                deliver(std::mem::take(&mut pending), sink);
                return Err(IngestError::NotUtf8 {
                    file: file.to_string(),
                    line: base + before + 1,
                });
            }
            true_next = piece.next;
            lines = base + piece.breaks;
            if piece.short {
                break;
            }
        }

        if eof && content_start(&bytes, true_next) >= bytes.len() {
            deliver(pending, sink);
            return Ok(rows_read);
        }
        bytes.drain(..true_next);
        bytes.extend_from_slice(&next_bytes);
        eof = next_eof;
    }
}

/// Where a round's pieces start, and where the last one stops: at line ends, about
/// `piece` bytes apart. The last cut is the end of the bytes at the end of the
/// file, else just after the last line end (or the end of the bytes when there is
/// none: the record is then found short and read again with more bytes).
fn cuts(bytes: &[u8], eof: bool, piece: usize) -> Vec<usize> {
    let end = if eof {
        bytes.len()
    } else {
        bytes
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(bytes.len(), |i| i + 1)
    };
    let mut cuts = vec![0];
    let mut at = piece;
    while at < end {
        match bytes[at..end].iter().position(|&b| b == b'\n') {
            Some(i) if at + i + 1 < end => {
                cuts.push(at + i + 1);
                at += i + 1 + piece;
            }
            _ => break,
        }
    }
    cuts.push(end);
    cuts
}

/// Appends up to `want` bytes of `input` to `into`; `Ok(true)` at the end of the file.
pub(crate) fn fill<R: Read>(
    input: &mut R,
    into: &mut Vec<u8>,
    want: usize,
) -> std::io::Result<bool> {
    let start = into.len();
    into.resize(start + want, 0);
    let mut filled = start;
    while filled < into.len() {
        match input.read(&mut into[filled..]) {
            Ok(0) => {
                into.truncate(filled);
                return Ok(true);
            }
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                into.truncate(filled);
                return Err(e);
            }
        }
    }
    Ok(false)
}

/// Bytes read before the header is looked for; at most [`HEADER_LIMIT`] when it
/// takes more to find where the data rows begin.
const FIRST_READ: usize = 1 << 20;
const HEADER_LIMIT: usize = 16 << 20;

/// Reads a whole CSV file with `source`'s mapping, on every core.
///
/// The header (and a hashtag row) is read from the first bytes; the data rows
/// from where it ends. When the header cannot be told within [`HEADER_LIMIT`]
/// bytes, the file is read in one pass ([`crate::table::run`]) instead: the outcome is the same.
pub(crate) fn import_csv<R: Read, S: RowReader>(
    file: &str,
    input: R,
    source: &S,
    options: &ImportOptions,
    sink: &mut dyn crate::Sink,
) -> Result<u64, IngestError> {
    import_csv_in(file, input, source, options, sink, SIZES)
}

/// [`import_csv`] reading rounds and pieces of the given sizes.
pub(crate) fn import_csv_in<R: Read, S: RowReader>(
    file: &str,
    mut input: R,
    source: &S,
    options: &ImportOptions,
    sink: &mut dyn crate::Sink,
    sizes: Sizes,
) -> Result<u64, IngestError> {
    let read_error = |source| IngestError::Read {
        file: file.to_string(),
        source,
    };
    let mut bytes = Vec::new();
    let first_read = FIRST_READ.min(sizes.round);
    let mut eof = fill(&mut input, &mut bytes, first_read).map_err(read_error)?;
    loop {
        // The header's records are known when they end before the bytes read
        // (or the file ends there).
        match table::open(file, &bytes[..], Dialect::CSV) {
            Ok(opened) => {
                let end = opened.read_up_to() as usize;
                if eof || end < bytes.len() {
                    let data_start = match opened.pending_row() {
                        Some(record) => record.position().map_or(end, |p| p.byte() as usize),
                        None => end,
                    };
                    let header = opened.header;
                    let columns = source.columns_of(file, &header)?;
                    return run(
                        file, input, bytes, data_start, eof, &header, source, &columns, options,
                        sink, sizes,
                    );
                }
            }
            Err(error) if eof => return Err(error),
            Err(_) => {}
        }
        if bytes.len() >= HEADER_LIMIT {
            let opened = table::open(file, std::io::Cursor::new(bytes).chain(input), Dialect::CSV)?;
            return table::run(file, opened, source, options, sink);
        }
        let more = bytes.len().max(first_read);
        eof = fill(&mut input, &mut bytes, more).map_err(read_error)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_and_record_starts() {
        let text = b"a\r\nb\rc\n\r\n";
        assert_eq!(breaks(text, 0..text.len()), 4);
        assert_eq!(breaks(text, 0..2), 0);
        assert_eq!(breaks(text, 0..3), 1);
        assert_eq!(content_start(text, 1), 3);
        assert_eq!(content_start(text, 7), text.len());
    }

    /// What reading `bytes` gives: the rows and problems, or the error.
    fn outcome(bytes: &[u8], sizes: Option<Sizes>) -> String {
        let mut imported = crate::Imported {
            format: crate::Format::Acled,
            reports: Vec::new(),
            quarantined: Vec::new(),
            skipped: Vec::new(),
            warnings: Vec::new(),
            rows_read: 0,
        };
        let options = ImportOptions { keep_raw: true };
        let source = &crate::acled::AcledReader;
        let read = match sizes {
            Some(sizes) => import_csv_in("f.csv", bytes, source, &options, &mut imported, sizes),
            None => {
                crate::table::open("f.csv", bytes, crate::table::Dialect::CSV).and_then(|opened| {
                    crate::table::run("f.csv", opened, source, &options, &mut imported)
                })
            }
        };
        // After an error the rows handed over before it differ: one pass hands
        // them over in batches, the pieces every row before the bad one.
        match read {
            Ok(rows) => format!("{rows} {imported:?}"),
            Err(error) => error.to_string(),
        }
    }

    /// Random bytes rich in what makes CSV hard: quotes, line ends of every
    /// kind, blank lines, delimiters, bytes that are not UTF-8, valid rows.
    fn random_file(seed: u64) -> Vec<u8> {
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut out =
            b"event_id_cnty,event_date,event_type,actor1,latitude,longitude,geo_precision\n"
                .to_vec();
        let pieces: [&[u8]; 16] = [
            b"SYR1,2016-09-12,Battles,Rebels,36.2,37.1,1\n",
            b"SYR2,2016-09-12,Battles,\"Re\nbels\",36.2,37.1,2\n",
            b"\"",
            b"\"\"",
            b",",
            b"\n",
            b"\r\n",
            b"\r",
            b"x",
            b" ",
            b"\xC3\xA9",
            b"\xFF",
            b"SYR3,2016-02-30,Battles,A,1,2,1\r\n",
            b"\n\n\n",
            b"\"a,\nb\"\"c\",",
            b"123",
        ];
        let len = (next() % 400) as usize;
        for _ in 0..len {
            let mut piece = pieces[(next() % 16) as usize];
            if piece == b"\xFF" && next() % 64 != 0 {
                piece = b"y";
            }
            out.extend_from_slice(piece);
        }
        out
    }

    #[test]
    fn pieces_read_exactly_what_one_pass_reads() {
        for seed in 0..1500u64 {
            let bytes = random_file(seed);
            let expected = outcome(&bytes, None);
            for (round, piece) in [(64, 16), (200, 7), (33, 33), (1 << 20, 40)] {
                let got = outcome(&bytes, Some(Sizes { round, piece }));
                assert_eq!(
                    got,
                    expected,
                    "seed {seed}, sizes {round}/{piece}: {:?}",
                    String::from_utf8_lossy(&bytes)
                );
            }
        }
    }

    #[test]
    fn cuts_fall_after_line_ends() {
        let mut text = Vec::new();
        while text.len() < 3 * SIZES.piece {
            text.extend_from_slice(b"0123456789,abc\n");
        }
        text.extend_from_slice(b"tail");
        let cuts = cuts(&text, false, SIZES.piece);
        assert_eq!(cuts[0], 0);
        assert_eq!(*cuts.last().unwrap_or(&0), text.len() - 4);
        for c in &cuts[1..] {
            assert_eq!(text[c - 1], b'\n');
        }
        assert!(cuts.windows(2).all(|w| w[0] < w[1]));
    }
}
