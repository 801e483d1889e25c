//! Readers for the evidence truce weighs: event files from UCDP GED and ACLED
//! (CSV), GDELT 2.0 event exports (tab-separated, alone or zipped), HXL-tagged
//! CSV, truce's own JSON Lines, and a mission's own report forms (CSV or JSON
//! Lines) read through a mapping file, normalised into [`Report`]s; and a
//! writer of reports as HXL-tagged CSV ([`write_hxl`]).
//!
//! Every reader finds its columns by name, never by position, so the several
//! layouts each source has published (GED 19.1 and the newer 49-column GED;
//! ACLED's API output, its export tool and the benchmark's 16-column files) all
//! read the same way; GDELT's headerless rows get the codebook's 61 names, and
//! HXL columns are found by hashtag and attribute set. A row that cannot be
//! read honestly (a date that does not exist, a latitude of 123, an unknown
//! precision code, a missing id…) is never dropped silently and never guessed
//! at: it is *quarantined* as a [`RowProblem`] naming the file, the row's first
//! physical line, the field, the value and what was expected, and the rest of
//! the file is still imported. A row read correctly but outside what truce
//! weighs (a GDELT statement or visit; a row of displacement figures) is
//! *skipped* ([`Imported::skipped`]), with its reason. Only problems with the
//! file as a whole (it cannot be read, it is not UTF-8, its header is unknown or
//! lacks a required column) are an [`IngestError`].
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
//! assert!(imported.skipped.is_empty());
//! # Ok::<(), truce_ingest::IngestError>(())
//! ```
//!
//! A mission's own report forms have columns no reader can know in advance:
//! a small TOML mapping file names them (which column is the date and in which
//! format, which is the actor, how the form's incident types map to kinds).
//! [`load_mapping`] checks it the way an agreement file is checked, returning
//! every problem at once as located [`Diagnostic`](truce_model::diagnostic::Diagnostic)s;
//! [`import_mapped`] and [`import_mapped_streaming`] then read data files with it,
//! quarantining bad rows like every other reader.
//!
//! ```
//! use truce_ingest::{ImportOptions, import_mapped, load_mapping};
//!
//! let mapping = "format = 1\n\
//!     source = \"unsmis-patrol\"\n\
//!     input = \"csv\"\n\
//!     delimiter = \";\"\n\
//!     id = \"report_no\"\n\
//!     [date]\ncolumn = \"date_observed\"\nformat = \"%d/%m/%Y\"\n\
//!     [place]\nname = \"village\"\nprecision = \"near\"\n\
//!     [actors]\nactor = \"perpetrator\"\n\
//!     [kind]\ncolumn = \"incident_type\"\nmap = { \"Shelling\" = \"shelling\" }\n";
//! let loaded = load_mapping("mapping.toml", mapping);
//! assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
//! let Some(mapping) = loaded.mapping else { unreachable!() };
//!
//! let form = "report_no;date_observed;village;perpetrator;incident_type\n\
//!             P-1;21/03/2024;Kafr Nabl;Unit 7;Shelling\n\
//!             P-2;31/02/2024;Kafr Nabl;Unit 7;Shelling\n";
//! let imported = import_mapped("reports.csv", form.as_bytes(), &mapping, &ImportOptions::default())?;
//! assert_eq!(imported.reports[0].kind, "shelling");
//! assert_eq!(imported.reports[0].id(), "unsmis-patrol:P-1");
//! assert_eq!(imported.quarantined[0].to_string(),
//!     "reports.csv:3: field `date_observed`: found `31/02/2024`, expected a date that exists, \
//!      written `%d/%m/%Y` (e.g. `21/03/2024`)");
//! # Ok::<(), truce_ingest::IngestError>(())
//! ```
//!
//! The mapping from each source's columns and codes to truce's fields, kinds and
//! precisions, and every field of a mapping file, are documented line by line in
//! `docs/sources.md`.

#![warn(missing_docs)]

mod acled;
mod chunked;
mod columnar;
mod detect;
mod encoding;
mod error;
mod format;
mod gdelt;
mod ged;
mod hashtag;
mod hxl;
mod jsonl;
mod line_cap;
pub use line_cap::MAX_LINE_BYTES;

/// `input` with every line longer than [`MAX_LINE_BYTES`] replaced by a short
/// marker line, as the importers read it: for a caller that reads a file's rows
/// again (to keep a quarantined row's text) without holding a giant line.
pub fn capped_lines<R: std::io::Read>(input: R) -> impl std::io::Read {
    line_cap::LineCap::new(input)
}
mod mapped;
mod parse;
mod table;

pub use columnar::{Container, row_texts as columnar_row_texts};
pub use detect::detect_format;
pub use error::{IngestError, MissingMappedColumn, RowProblem, UnknownFormat};
pub use format::Format;
pub use hxl::{Figure, Figures, read_hxl_figures, write_hxl};
pub use mapped::{LoadedMapping, MappedInput, Mapping, load_mapping};

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

/// The result of importing one file: the reports read, the rows quarantined
/// and the rows skipped as out of scope.
///
/// `rows_read == reports.len() + quarantined.len() + skipped.len()` always
/// holds: each data row (each non-blank line of a JSON Lines file) is a report,
/// a problem, or a row read and set aside as out of scope. Rows that repeat
/// another (the same source id, even the same bytes) are each a report: telling
/// duplicates apart is the store's job, so they are all returned.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// The format the file was read as (given, or detected from its header).
    pub format: Format,
    /// The reports, in file order.
    pub reports: Vec<Report>,
    /// The rows that could not be read, in file order, with where and why.
    pub quarantined: Vec<RowProblem>,
    /// The rows read and set aside because they are out of what truce weighs
    /// (a GDELT event that is not material conflict; a row of figures in an HXL
    /// file), in file order, each with its line and the reason. Empty for GED,
    /// ACLED and JSON Lines.
    pub skipped: Vec<RowProblem>,
    /// What the analyst should know about rows kept as reports, in file order,
    /// each with its line, field and reason.
    pub warnings: Vec<RowProblem>,
    /// How many data rows the file has (the header not counted, blank lines skipped).
    pub rows_read: u64,
}

/// How many bytes are looked at to detect the format when none is given.
const DETECT_LIMIT: usize = 1 << 20;

/// The magic bytes a zip archive starts with.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Reads one file of reports.
///
/// `file_name` is only used to name the file in provenance and problems. When
/// `format` is `None` it is detected from the header with [`detect_format`].
/// A zip archive (recognised by its first bytes) holding exactly one file is
/// read as that file, named `archive.zip/inner.export.CSV` (GDELT publishes
/// its exports so). Bad rows are quarantined in [`Imported::quarantined`]; rows
/// out of scope are in [`Imported::skipped`]; an error is returned only when
/// the file as a whole cannot be read (see [`IngestError`]): among others when
/// it is not UTF-8 (UTF-16 is recognised by its byte-order mark or its NUL
/// bytes and named). Never panics, whatever the bytes.
pub fn import_reader<R: Read>(
    file_name: &str,
    reader: R,
    format: Option<Format>,
    options: &ImportOptions,
) -> Result<Imported, IngestError> {
    let mut imported = Imported {
        format: Format::TruceJsonl,
        reports: Vec::new(),
        quarantined: Vec::new(),
        skipped: Vec::new(),
        warnings: Vec::new(),
        rows_read: 0,
    };
    let streamed = import_any(file_name, reader, format, options, true, &mut imported)?;
    imported.format = streamed.format;
    imported.rows_read = streamed.rows_read;
    Ok(imported)
}

/// Where the rows of a file go, one by one, as they are read: a report, a
/// quarantined row, or a row skipped as out of scope. [`Imported`] keeps them
/// all; a store can write them in batches instead, so that a million rows
/// never need to be held in memory at once.
pub trait Sink {
    /// A row read as a report.
    fn report(&mut self, report: Report);
    /// A row that could not be read, with where and why.
    fn quarantine(&mut self, problem: RowProblem);
    /// A row read correctly but outside what truce judges (a GDELT verbal event…).
    fn skip(&mut self, problem: RowProblem);
    /// Something the analyst should know about the row just given to
    /// [`Sink::report`] (kept as read: a GED death estimate whose low, best and
    /// high are out of order). Always called right after that row's report.
    fn warn(&mut self, warning: RowProblem);
}

impl Sink for Imported {
    fn report(&mut self, report: Report) {
        self.reports.push(report);
    }
    fn quarantine(&mut self, problem: RowProblem) {
        self.quarantined.push(problem);
    }
    fn skip(&mut self, problem: RowProblem) {
        self.skipped.push(problem);
    }
    fn warn(&mut self, warning: RowProblem) {
        self.warnings.push(warning);
    }
}

/// What [`import_streaming`] read: the format and the number of data rows
/// (`rows_read` = reports + quarantined + skipped handed to the sink).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Streamed {
    /// The format the file was read as.
    pub format: Format,
    /// Data rows read.
    pub rows_read: u64,
}

/// [`import_reader`], handing each row to `sink` as it is read instead of collecting them.
pub fn import_streaming<R: Read>(
    file_name: &str,
    reader: R,
    format: Option<Format>,
    options: &ImportOptions,
    sink: &mut dyn Sink,
) -> Result<Streamed, IngestError> {
    import_any(file_name, reader, format, options, true, sink)
}

/// Reads one file of a mission's own report form with its mapping (see
/// [`load_mapping`]): a CSV file with a header row, or JSON Lines, as the
/// mapping's `input` says.
///
/// Like [`import_reader`]: bad rows (a date that does not follow the mapping's
/// format, a latitude out of range, an incident type the mapping does not map,
/// casualties that are not a whole number, a line that is not a JSON object)
/// are quarantined with the file, line, column, value and what was expected;
/// nothing is skipped; `rows_read = reports + quarantined`. The file as a whole
/// fails ([`IngestError`]) when it cannot be read, is not UTF-8, is empty (CSV),
/// or its header lacks a column the mapping names
/// ([`IngestError::MappedColumnMissing`], naming the column, the mapping file
/// and its line). Every report's `provenance.source` is the mapping's `source`.
/// Never panics, whatever the bytes. [`Imported::format`] is [`Format::Mapped`].
pub fn import_mapped<R: Read>(
    file_name: &str,
    reader: R,
    mapping: &Mapping,
    options: &ImportOptions,
) -> Result<Imported, IngestError> {
    let mut imported = Imported {
        format: Format::Mapped,
        reports: Vec::new(),
        quarantined: Vec::new(),
        skipped: Vec::new(),
        warnings: Vec::new(),
        rows_read: 0,
    };
    let streamed = import_mapped_streaming(file_name, reader, mapping, options, &mut imported)?;
    imported.rows_read = streamed.rows_read;
    Ok(imported)
}

/// [`import_mapped`], handing each row to `sink` as it is read instead of collecting them.
pub fn import_mapped_streaming<R: Read>(
    file_name: &str,
    reader: R,
    mapping: &Mapping,
    options: &ImportOptions,
    sink: &mut dyn Sink,
) -> Result<Streamed, IngestError> {
    let rows_read = mapped::import(
        file_name,
        line_cap::LineCap::new(reader),
        mapping,
        options,
        sink,
    )?;
    Ok(Streamed {
        format: Format::Mapped,
        rows_read,
    })
}

fn import_any<R: Read>(
    file_name: &str,
    mut reader: R,
    format: Option<Format>,
    options: &ImportOptions,
    zip_allowed: bool,
    sink: &mut dyn Sink,
) -> Result<Streamed, IngestError> {
    let prefix = read_prefix(file_name, &mut reader)?;
    if prefix.starts_with(ZIP_MAGIC) {
        if !zip_allowed {
            return Err(IngestError::Zip {
                file: file_name.to_string(),
                reason: "it holds another zip archive; expected one data file".to_string(),
            });
        }
        return import_zip(file_name, prefix, reader, format, options, sink);
    }
    if let Some(container) = columnar::Container::of(&prefix) {
        // Parquet keeps its schema at the end of the file, and Arrow's readers
        // want the whole file at hand: it is read whole (compressed, it is
        // a fraction of the CSV it replaces).
        let mut bytes = prefix;
        reader
            .read_to_end(&mut bytes)
            .map_err(|source| IngestError::Read {
                file: file_name.to_string(),
                source,
            })?;
        let (format, rows_read) =
            columnar::import(file_name, container, bytes.into(), format, options, sink)?;
        return Ok(Streamed { format, rows_read });
    }
    encoding::check(file_name, &prefix)?;
    let format = match format {
        Some(format) => format,
        None => match detect_format(&prefix) {
            Some(format) => format,
            None => return Err(detect::unknown_header(file_name, &prefix)),
        },
    };
    let skip = if prefix.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    // Lines longer than the cap become markers the readers quarantine: memory
    // stays flat whatever the file's shape.
    let mut input = line_cap::LineCap::new(Cursor::new(prefix).chain(reader));
    if skip > 0 {
        let mut bom = [0u8; 3];
        input
            .read_exact(&mut bom)
            .map_err(|source| IngestError::Read {
                file: file_name.to_string(),
                source,
            })?;
    }
    let rows_read = match format {
        Format::UcdpGed => chunked::import_csv(file_name, input, &ged::GedReader, options, sink)?,
        Format::Acled => chunked::import_csv(file_name, input, &acled::AcledReader, options, sink)?,
        Format::TruceJsonl | Format::Gdelt => {
            let rows = match format {
                Format::TruceJsonl => jsonl::import(file_name, input, options, sink)?,
                _ => gdelt::import(file_name, input, options, sink)?,
            };
            // A line format has no header to be missing: a file with no line at
            // all is the same failure as an empty CSV file, not an import of nothing.
            if rows == 0 {
                return Err(IngestError::Empty {
                    file: file_name.to_string(),
                });
            }
            rows
        }
        Format::Hxl => hxl::import(file_name, input, options, sink)?,
        // Only `import_mapped` has the mapping such a file needs.
        Format::Mapped => {
            return Err(IngestError::MappingRequired {
                file: file_name.to_string(),
            });
        }
    };
    Ok(Streamed { format, rows_read })
}

/// Reads the first bytes of a file: up to the end of its second non-blank-led
/// line (bounded), enough to detect the format and the encoding.
fn read_prefix<R: Read>(file_name: &str, reader: &mut R) -> Result<Vec<u8>, IngestError> {
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
        if n == 0 || prefix.len() >= DETECT_LIMIT || has_two_lines(&prefix) {
            return Ok(prefix);
        }
    }
}

/// The bytes of a file, checked for its encoding, for readers that need no detection.
pub(crate) fn prepare<R: Read>(file_name: &str, mut reader: R) -> Result<impl Read, IngestError> {
    let prefix = read_prefix(file_name, &mut reader)?;
    encoding::check(file_name, &prefix)?;
    Ok(Cursor::new(prefix).chain(reader))
}

/// Reads the one file of a zip archive.
fn import_zip<R: Read>(
    file_name: &str,
    mut data: Vec<u8>,
    mut rest: R,
    format: Option<Format>,
    options: &ImportOptions,
    sink: &mut dyn Sink,
) -> Result<Streamed, IngestError> {
    rest.read_to_end(&mut data)
        .map_err(|source| IngestError::Read {
            file: file_name.to_string(),
            source,
        })?;
    let zip_error = |reason: String| IngestError::Zip {
        file: file_name.to_string(),
        reason,
    };
    let mut archive =
        zip::ZipArchive::new(Cursor::new(data)).map_err(|e| zip_error(e.to_string()))?;
    let files: Vec<(usize, String)> = (0..archive.len())
        .filter_map(|i| {
            let entry = archive.by_index_raw(i).ok()?;
            (!entry.is_dir()).then(|| (i, entry.name().to_string()))
        })
        .collect();
    let [(index, inner)] = files.as_slice() else {
        let names: Vec<String> = files.iter().map(|(_, n)| format!("`{n}`")).collect();
        return Err(zip_error(format!(
            "expected exactly one file in it, found {} ({})",
            files.len(),
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        )));
    };
    let entry = archive
        .by_index(*index)
        .map_err(|e| zip_error(format!("cannot read `{inner}`: {e}")))?;
    let name = format!("{file_name}/{inner}");
    import_any(&name, entry, format, options, false, sink)
}

/// True when `bytes` hold two newlines after some non-blank content.
fn has_two_lines(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    bytes[start..].iter().filter(|b| **b == b'\n').count() >= 2
}
