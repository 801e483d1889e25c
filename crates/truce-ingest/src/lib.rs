//! Readers for the evidence truce weighs: event files from UCDP GED and ACLED
//! (CSV) and truce's own JSON Lines, normalised into [`Report`]s.
//!
//! Every reader finds its columns by name, never by position, so the several
//! layouts each source has published (GED 19.1 and the newer 49-column GED;
//! ACLED's API output, its export tool and the benchmark's 16-column files) all
//! read the same way. A row that cannot be read honestly (a date that does not
//! exist, a latitude of 123, an unknown precision code, a missing id…) is never
//! dropped silently and never guessed at: it is *quarantined* as a
//! [`RowProblem`] naming the file, the row's first physical line, the field, the
//! value and what was expected, and the rest of the file is still imported.
//! Only problems with the file as a whole (it cannot be read, it is not UTF-8,
//! its header is unknown or lacks a required column) are an [`IngestError`].
//!
//! ```
//! use truce_ingest::{Format, ImportOptions, import_reader};
//!
//! let csv = "event_id_cnty,event_date,event_type,sub_event_type,actor1,latitude,longitude,geo_precision\n\
//!            SYR1,2016-09-12,Battles,Armed clash,Opposition Rebels (Syria),36.2,37.1,1\n\
//!            SYR2,2016-09-31,Battles,Armed clash,Opposition Rebels (Syria),36.2,37.1,1\n";
//! let imported = import_reader("events.csv", csv.as_bytes(), None, &ImportOptions::default())?;
//! assert_eq!(imported.format, Format::Acled);
//! assert_eq!(imported.reports.len(), 1);
//! assert_eq!(imported.reports[0].kind, "armed-clash");
//! assert_eq!(imported.quarantined[0].to_string(),
//!     "events.csv:3: field `event_date`: found `2016-09-31`, expected a date that exists \
//!      (YYYY-MM-DD, D Month YYYY, DD-Month-YYYY or DD/MM/YYYY)");
//! assert_eq!(imported.rows_read, 2);
//! # Ok::<(), truce_ingest::IngestError>(())
//! ```
//!
//! The mapping from each source's columns and codes to truce's fields, kinds and
//! precisions is documented line by line in `docs/sources.md`.

#![warn(missing_docs)]

mod acled;
mod error;
mod format;
mod ged;
mod jsonl;
mod parse;
mod table;

pub use error::{IngestError, RowProblem, UnknownFormat};
pub use format::{Format, detect_format};

use std::io::{Cursor, Read};
use truce_model::report::Report;

/// Choices for an import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportOptions {
    /// Keep each row's `(column, value)` pairs in [`truce_model::report::Provenance::raw`]
    /// (for a JSON Lines file: keep the `raw` the reports carry). Turn it off for
    /// large files when the normalised fields are enough: it saves most of the memory.
    pub keep_raw: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions { keep_raw: true }
    }
}

/// The result of importing one file: the reports read and the rows quarantined.
///
/// `rows_read == reports.len() + quarantined.len()` always holds: each data row
/// (each non-blank line of a JSON Lines file) is either a report or a problem.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// The format the file was read as (given, or detected from its header).
    pub format: Format,
    /// The reports, in file order.
    pub reports: Vec<Report>,
    /// The rows that could not be read, in file order, with where and why.
    pub quarantined: Vec<RowProblem>,
    /// How many data rows the file has (the header not counted, blank lines skipped).
    pub rows_read: u64,
}

/// How many bytes are looked at to detect the format when none is given.
const DETECT_LIMIT: usize = 1 << 20;

/// Reads one file of reports.
///
/// `file_name` is only used to name the file in provenance and problems. When
/// `format` is `None` it is detected from the header with [`detect_format`].
/// Bad rows are quarantined in [`Imported::quarantined`]; an error is returned
/// only when the file as a whole cannot be read (see [`IngestError`]). Never
/// panics, whatever the bytes.
pub fn import_reader<R: Read>(
    file_name: &str,
    mut reader: R,
    format: Option<Format>,
    options: &ImportOptions,
) -> Result<Imported, IngestError> {
    // Read up to the end of the first non-blank line (bounded), to detect the
    // format, then put those bytes back in front of the rest.
    let mut prefix = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(source) => {
                return Err(IngestError::Read {
                    file: file_name.to_string(),
                    source,
                });
            }
        };
        prefix.extend_from_slice(&chunk[..n]);
        if n == 0 || prefix.len() >= DETECT_LIMIT || has_complete_first_line(&prefix) {
            break;
        }
    }
    let format = match format {
        Some(format) => format,
        None => match detect_format(&prefix) {
            Some(format) => format,
            None => return Err(format::unknown_header(file_name, &prefix)),
        },
    };
    let input = Cursor::new(prefix).chain(reader);
    match format {
        Format::UcdpGed => table::import_csv(file_name, input, &ged::GedReader, options),
        Format::Acled => table::import_csv(file_name, input, &acled::AcledReader, options),
        Format::TruceJsonl => jsonl::import(file_name, input, options),
    }
}

/// True when `bytes` hold a newline after some non-blank content.
fn has_complete_first_line(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    bytes[start..].contains(&b'\n')
}
