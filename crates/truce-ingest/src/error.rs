//! What can go wrong: a file that cannot be read at all ([`IngestError`]), or
//! one row of it that cannot be read honestly ([`RowProblem`], quarantined).

use std::fmt;

/// A problem with the file as a whole: nothing of it is imported.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file could not be read.
    #[error("cannot read `{file}`: {source}")]
    Read {
        /// The file, as given.
        file: String,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The file is not UTF-8 text (all supported formats are UTF-8). Bytes that
    /// are not UTF-8 after a UTF-8 start most often come from a single-byte
    /// encoding (Windows-1256, Latin-1, …); UTF-16 is recognised earlier
    /// ([`IngestError::Encoding`]).
    #[error(
        "`{file}` is not UTF-8 (looks like a single-byte encoding such as Windows-1256 or \
         Latin-1; first bad bytes on line {line}); expected UTF-8 text: re-encode it as UTF-8"
    )]
    NotUtf8 {
        /// The file, as given.
        file: String,
        /// The 1-based line holding the first bytes that are not UTF-8.
        line: u64,
    },
    /// The file is in an encoding recognised from its first bytes that is not
    /// UTF-8 (UTF-16 by its byte-order mark or its NUL bytes).
    #[error(
        "`{file}` is not UTF-8: it looks like {found}; expected UTF-8 text: re-encode it as UTF-8"
    )]
    Encoding {
        /// The file, as given.
        file: String,
        /// The encoding it looks like (`UTF-16 little-endian with a byte-order mark`, …).
        found: String,
    },
    /// A zip archive that cannot be read, or that does not hold exactly one file.
    #[error("`{file}` is a zip archive that cannot be imported: {reason}")]
    Zip {
        /// The file, as given.
        file: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A file read as GDELT whose first line is not a GDELT 2.0 event row.
    #[error(
        "`{file}`: not a GDELT 2.0 event export: the first line has {count} tab-separated \
         field(s), found {found}; expected 61 tab-separated fields and no header, the first a \
         GLOBALEVENTID (an integer) and the second a SQLDATE (YYYYMMDD)",
        found = list(.found)
    )]
    NotGdelt {
        /// The file, as given.
        file: String,
        /// How many fields the first line has.
        count: usize,
        /// The first fields of the first line (at most 50).
        found: Vec<String>,
    },
    /// A GDELT 1.0 event file (57 or 58 columns), which truce does not read.
    #[error(
        "`{file}` looks like a GDELT 1.0 event file ({count} tab-separated fields); \
         expected a GDELT 2.0 event export (61 fields, with `DATEADDED` and `SOURCEURL`)"
    )]
    Gdelt1 {
        /// The file, as given.
        file: String,
        /// How many fields the first line has.
        count: usize,
    },
    /// A file read as HXL has no hashtag row.
    #[error(
        "`{file}`: no HXL hashtag row on line 1 or 2; expected a row of hashtags such as \
         `#event+id`, `#date+start`, `#geo+lat` under the header or instead of it"
    )]
    NoHashtags {
        /// The file, as given.
        file: String,
    },
    /// The file has no header (it is empty or blank).
    #[error(
        "`{file}` is empty: expected a header line (UCDP GED, ACLED or HXL CSV), GDELT rows or JSON Lines"
    )]
    Empty {
        /// The file, as given.
        file: String,
    },
    /// The header is not one of a known format, so the format cannot be detected.
    #[error(
        "`{file}`: unknown header, found columns {found}; expected a UCDP GED header \
         (with `id`, `side_a`, `where_prec`, …), an ACLED header (with `event_id_cnty`, \
         `actor1`, …), a GDELT 2.0 event row (61 tab-separated fields), an HXL hashtag row \
         (`#date`, `#geo+lat`, …) or JSON Lines (one report object per line); or name the format",
        found = list(.found)
    )]
    UnknownHeader {
        /// The file, as given.
        file: String,
        /// The column names found on the first line (at most the first 50).
        found: Vec<String>,
    },
    /// A Parquet or Arrow IPC file that cannot be read: damaged, cut short, or
    /// compressed with a codec truce does not read.
    #[error("`{file}` ({container}) cannot be read: {reason}")]
    Columnar {
        /// The file, as given.
        file: String,
        /// `Parquet` or `Arrow IPC`.
        container: &'static str,
        /// What the reader said.
        reason: String,
    },
    /// A column of a Parquet or Arrow IPC file whose type truce cannot read as
    /// the text, number or date a cell holds (a list, a struct, a map…).
    #[error(
        "`{file}`: column `{column}` is of type {found}; expected text, a number, a boolean, \
         a date, a timestamp or binary (one value per row)"
    )]
    ColumnType {
        /// The file, as given.
        file: String,
        /// The column's name.
        column: String,
        /// Its Arrow type, as Arrow names it.
        found: String,
    },
    /// A Parquet or Arrow IPC file whose columns are not those of a layout
    /// truce reads by name.
    #[error(
        "`{file}`: unknown columns {found}; expected a UCDP GED layout (with `id`, `side_a`, \
         `where_prec`, …), an ACLED layout (with `event_id_cnty`, `actor1`, …) or GDELT 2.0's \
         codebook names (`GLOBALEVENTID`, `SQLDATE`, …); or name the format",
        found = list(.found)
    )]
    UnknownColumns {
        /// The file, as given.
        file: String,
        /// The column names (at most the first 50).
        found: Vec<String>,
    },
    /// A Parquet or Arrow IPC file asked to be read as a format that has no
    /// columnar layout (JSON Lines, HXL, a mapped form).
    #[error(
        "`{file}` ({container}): a table cannot be read as {format}; expected `ucdp-ged`, \
         `acled` or `gdelt` columns"
    )]
    NotColumnar {
        /// The file, as given.
        file: String,
        /// `Parquet` or `Arrow IPC`.
        container: &'static str,
        /// The format asked for.
        format: crate::Format,
    },
    /// The header lacks a column the format needs.
    #[error("`{file}`: the {format} header has no column `{column}`, which is required")]
    MissingColumn {
        /// The file, as given.
        file: String,
        /// The format the file is read as.
        format: crate::Format,
        /// The missing column's name.
        column: String,
    },
    /// A file was to be read as a mission's own report form (`mapped`) without
    /// its mapping file: only the mapping says what its columns mean.
    #[error(
        "`{file}`: the `mapped` format needs the mapping file that describes the form's columns; \
         expected a mapping (see \"Mission report forms\" in docs/sources.md)"
    )]
    MappingRequired {
        /// The file, as given.
        file: String,
    },
    /// The header of a file read with a mapping lacks a column the mapping names.
    #[error("{0}")]
    MappedColumnMissing(Box<MissingMappedColumn>),
}

pub(crate) fn list(names: &[String]) -> String {
    if names.is_empty() {
        return "none".to_string();
    }
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What [`IngestError::MappedColumnMissing`] says: the data file, the first
/// column its header lacks, where the mapping names it, and the other missing ones.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{file}`: the header has no column `{column}`, which the mapping `{mapping}` names for \
     `{key}` (line {mapping_line}); found columns {found}{hint}{also}",
    found = list(.found),
    hint = .near.as_ref().map(|n| format!("; did you mean `{n}`?")).unwrap_or_default(),
    also = if .also_missing.is_empty() {
        String::new()
    } else {
        format!("; also missing: {}", list(.also_missing))
    }
)]
pub struct MissingMappedColumn {
    /// The data file, as given.
    pub file: String,
    /// The mapping file, as given to `load_mapping`.
    pub mapping: String,
    /// The line of the mapping file that names the column.
    pub mapping_line: usize,
    /// The mapping key that names it (`date.column`).
    pub key: String,
    /// The column's name as the mapping writes it.
    pub column: String,
    /// The column names found in the header (at most the first 50).
    pub found: Vec<String>,
    /// A column of the header whose name is close to the missing one (a typo).
    pub near: Option<String>,
    /// The other columns the mapping names that the header lacks, in mapping order.
    pub also_missing: Vec<String>,
}

/// A format name that [`crate::Format`]'s `FromStr` does not know.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown format `{0}`: expected `ucdp-ged`, `acled`, `truce-jsonl`, `gdelt`, `hxl` or `mapped`"
)]
pub struct UnknownFormat(pub String);

/// One row that could not be read, quarantined with where and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    /// The file, as given.
    pub file: String,
    /// The 1-based physical line the row starts on (the header is line 1).
    pub line: u64,
    /// The column (or JSON field) at fault, when one is.
    pub field: Option<String>,
    /// The value found, when there was one (`Some("")` for an empty cell).
    pub value: Option<String>,
    /// What was expected, starting with "expected" where that reads well
    /// (`expected a date that exists (YYYY-MM-DD, …)`).
    pub reason: String,
}

impl RowProblem {
    /// A problem with one field's value.
    pub(crate) fn field(
        file: &str,
        line: u64,
        field: &str,
        value: &str,
        reason: impl Into<String>,
    ) -> RowProblem {
        RowProblem {
            file: file.to_string(),
            line,
            field: Some(field.to_string()),
            value: Some(value.to_string()),
            reason: reason.into(),
        }
    }

    /// A problem with the row as a whole.
    pub(crate) fn row(file: &str, line: u64, reason: impl Into<String>) -> RowProblem {
        RowProblem {
            file: file.to_string(),
            line,
            field: None,
            value: None,
            reason: reason.into(),
        }
    }
}

/// Values longer than this are shortened in messages (the struct keeps them whole).
const SHOWN_VALUE_CHARS: usize = 80;

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.file, self.line)?;
        if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        match self.value.as_deref() {
            Some("") => write!(f, "found an empty value, ")?,
            Some(value) if value.chars().count() > SHOWN_VALUE_CHARS => {
                let shown: String = value.chars().take(SHOWN_VALUE_CHARS).collect();
                write!(f, "found `{shown}…`, ")?;
            }
            Some(value) => write!(f, "found `{value}`, ")?,
            None => {}
        }
        write!(f, "{}", self.reason)
    }
}

impl std::error::Error for RowProblem {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_field_value_and_expectation() {
        let p = RowProblem::field(
            "a.csv",
            7,
            "latitude",
            "123",
            "expected a latitude between -90 and 90",
        );
        assert_eq!(
            p.to_string(),
            "a.csv:7: field `latitude`: found `123`, expected a latitude between -90 and 90"
        );
        let p = RowProblem::field("a.csv", 7, "id", "", "expected the event's id");
        assert_eq!(
            p.to_string(),
            "a.csv:7: field `id`: found an empty value, expected the event's id"
        );
        let p = RowProblem::row("a.csv", 9, "expected 41 fields as in the header, found 3");
        assert_eq!(
            p.to_string(),
            "a.csv:9: expected 41 fields as in the header, found 3"
        );
        let long = "x".repeat(200);
        let p = RowProblem::field("a.csv", 2, "notes", &long, "expected less");
        assert!(p.to_string().contains("…`, expected less"));
    }
}
