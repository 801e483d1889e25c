//! The file formats truce reads, by name (telling them apart from a file's
//! first bytes is `detect.rs`).

use crate::error::UnknownFormat;
use std::fmt;
use std::str::FromStr;

/// A file format truce can import.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// UCDP Georeferenced Event Dataset CSV (GED 19.1's 41 columns or the newer 49).
    UcdpGed,
    /// ACLED CSV (API output, export tool, or any layout with ACLED's column names).
    Acled,
    /// truce JSON Lines: one serialised [`truce_model::report::Report`] per line.
    TruceJsonl,
    /// GDELT 2.0 event export: 61 tab-separated columns, no header (the daily or
    /// 15-minute `.export.CSV`, alone or in its `.zip`).
    Gdelt,
    /// HXL-tagged CSV: a row of HXL hashtags under the header or instead of it.
    Hxl,
    /// A mission's own report form (CSV or JSON Lines) read through a mapping
    /// file ([`crate::load_mapping`], [`crate::import_mapped`]). Never detected:
    /// only the mapping says what the columns mean.
    Mapped,
}

impl Format {
    /// Every format, in the order they are tried and listed.
    pub const ALL: [Format; 6] = [
        Format::UcdpGed,
        Format::Acled,
        Format::TruceJsonl,
        Format::Gdelt,
        Format::Hxl,
        Format::Mapped,
    ];

    /// How a row of this format lies in the file: `Some(delimiter)` for a
    /// quoted CSV, whose record may span lines (a quoted field may hold line
    /// breaks); `None` when every row is one physical line (JSON Lines, GDELT's
    /// unquoted tab-separated export). A mapped form says it in its mapping.
    pub fn csv_delimiter(self) -> Option<u8> {
        match self {
            Format::UcdpGed | Format::Acled | Format::Hxl => Some(b','),
            Format::TruceJsonl | Format::Gdelt | Format::Mapped => None,
        }
    }

    /// The name used on the command line and in messages (`ucdp-ged`, `acled`,
    /// `truce-jsonl`, `gdelt`, `hxl`, `mapped`).
    pub fn name(self) -> &'static str {
        match self {
            Format::UcdpGed => "ucdp-ged",
            Format::Acled => "acled",
            Format::TruceJsonl => "truce-jsonl",
            Format::Gdelt => "gdelt",
            Format::Hxl => "hxl",
            Format::Mapped => "mapped",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = UnknownFormat;

    /// Accepts the [`Format::name`]s, case-insensitively, and the short forms
    /// `ged`, `ucdp` and `jsonl`.
    fn from_str(text: &str) -> Result<Format, UnknownFormat> {
        match text.trim().to_ascii_lowercase().as_str() {
            "ucdp-ged" | "ucdp" | "ged" => Ok(Format::UcdpGed),
            "acled" => Ok(Format::Acled),
            "truce-jsonl" | "jsonl" => Ok(Format::TruceJsonl),
            "gdelt" => Ok(Format::Gdelt),
            "hxl" => Ok(Format::Hxl),
            "mapped" => Ok(Format::Mapped),
            _ => Err(UnknownFormat(text.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for format in Format::ALL {
            assert_eq!(format.to_string().parse::<Format>(), Ok(format));
        }
        assert_eq!("GED".parse::<Format>(), Ok(Format::UcdpGed));
        assert_eq!("GDELT".parse::<Format>(), Ok(Format::Gdelt));
        assert!("gdelt1".parse::<Format>().is_err());
    }
}
