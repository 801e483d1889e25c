//! A mission's own report forms: CSV or JSON Lines files whose columns a small
//! mapping file describes (which column is the date and in which format, which
//! names the actor, how the form's incident types map to truce's kinds, …).
//!
//! Missions record what their patrols and liaison officers see on forms of
//! their own making; no reader can know those columns in advance. So the
//! mission writes them down once, in a TOML mapping file, and truce checks it
//! the way it checks an agreement: [`load_mapping`] returns every problem at
//! once, each located in the mapping file (line, column, byte span), with a
//! stable code and a "did you mean" where a name is close to a known one. Only
//! a mapping without errors can be used, and the data file is then read like
//! any other evidence: through the same [`crate::Sink`], with every bad row
//! quarantined with its file, line, column, value and what was expected, and
//! `rows_read = reports + quarantined + skipped` (nothing is skipped here:
//! every row of a mission's form is evidence).
//!
//! The mapping file's fields and the date format directives are documented in
//! `docs/sources.md` ("Mission report forms").

mod date;
mod load;
mod read;

pub use load::{LoadedMapping, load_mapping};
pub(crate) use read::import;

use date::DateFormat;
use truce_model::report::LocationPrecision;

/// The layout of the data files a mapping reads.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum MappedInput {
    /// Delimited text with a header row naming the columns (RFC 4180 quoting).
    Csv {
        /// The byte between cells: `,` unless the mapping sets `delimiter`.
        delimiter: u8,
    },
    /// One JSON object per line; columns are keys, or dotted paths into
    /// nested objects (`location.lat`).
    JsonLines,
}

impl MappedInput {
    /// `csv` or `jsonl`, as written in the mapping file.
    pub fn name(self) -> &'static str {
        match self {
            MappedInput::Csv { .. } => "csv",
            MappedInput::JsonLines => "jsonl",
        }
    }
}

/// A column the mapping names, with the mapping key that names it and the
/// line of the mapping file it is on (for the error when a data file lacks it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct MappedColumn {
    /// The column (CSV) or dotted key path (JSON Lines) as written, trimmed.
    pub(crate) name: String,
    /// The mapping key that names it first (`date.column`, `place.latitude`).
    pub(crate) key: String,
    /// Its 1-based line in the mapping file.
    pub(crate) line: usize,
}

/// Where a report's location precision comes from.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum PrecisionRule {
    /// The same for every row (`precision = "exact"`).
    Fixed(LocationPrecision),
    /// A column whose values the mapping translates (`precision_column` and
    /// `precision_map`); keys are compared trimmed and without case.
    Column {
        column: usize,
        /// `(form value in lower case, precision)`, in the mapping's order.
        map: Vec<(String, LocationPrecision)>,
        /// The form values as written in the mapping, for messages.
        values: Vec<String>,
    },
}

/// Whether the form says who acted and who was targeted.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Attribution {
    /// The `actor` column names who acted, `target` whom it was aimed at.
    Stated,
    /// The form names the parties involved without saying who attacked whom.
    Unstated,
}

/// A validated mapping: how one mission's report form becomes truce reports.
///
/// Made only by [`load_mapping`], which refuses a mapping with errors. Column
/// references are indexes into `columns`, so that each data file's header is
/// searched once per column, not once per use.
#[derive(Clone, Debug, PartialEq)]
pub struct Mapping {
    pub(crate) file: String,
    pub(crate) source: String,
    pub(crate) input: MappedInput,
    pub(crate) columns: Vec<MappedColumn>,
    pub(crate) id: Option<usize>,
    pub(crate) revision: Option<usize>,
    pub(crate) date_column: usize,
    pub(crate) date_end_column: Option<usize>,
    pub(crate) date_format: DateFormat,
    pub(crate) latitude: Option<usize>,
    pub(crate) longitude: Option<usize>,
    pub(crate) place_name: Option<usize>,
    pub(crate) admin1: Option<usize>,
    pub(crate) admin2: Option<usize>,
    pub(crate) country: Option<usize>,
    pub(crate) precision: PrecisionRule,
    pub(crate) actor: Option<usize>,
    pub(crate) target: Option<usize>,
    pub(crate) name_separator: String,
    pub(crate) attribution: Attribution,
    /// Values meaning "not known" (lower case): a side named so is left out.
    pub(crate) unknown_names: Vec<String>,
    pub(crate) kind_column: usize,
    /// `(form value in lower case, kind)`, in the mapping's order.
    pub(crate) kind_map: Vec<(String, String)>,
    /// The form values as written in the mapping, for messages.
    pub(crate) kind_values: Vec<String>,
    pub(crate) kind_default: Option<String>,
    pub(crate) killed: Option<usize>,
    pub(crate) killed_low: Option<usize>,
    pub(crate) killed_high: Option<usize>,
    pub(crate) killed_civilians: Option<usize>,
    pub(crate) summary: Option<usize>,
    /// Links to the articles or posts behind the report.
    pub(crate) urls: Option<usize>,
    /// sha256 hashes of the photos and videos behind the report.
    pub(crate) media: Option<usize>,
}

impl Mapping {
    /// The mapping file's name, as given to [`load_mapping`].
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The source name every report read with this mapping carries
    /// ([`truce_model::report::Provenance::source`]).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the data files are CSV (and with which delimiter) or JSON Lines.
    pub fn input(&self) -> MappedInput {
        self.input
    }

    /// Every column (or JSON key path) the mapping names, once each, in the
    /// order the mapping file names them.
    pub fn columns(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|c| c.name.as_str())
    }
}
