//! Telling a file's format from its first bytes, and the error for a file
//! whose format cannot be told. Each format's marks (a GED header's columns,
//! GDELT's row shape, HXL's hashtag row) live with the format's reader.

use crate::acled::ACLED_MARKERS;
use crate::error::IngestError;
use crate::format::Format;
use crate::ged::GED_MARKERS;

/// Detects the format from the first bytes of a file (at least its first
/// line; two lines to see an HXL hashtag row under a header).
///
/// In this order: JSON Lines when the first non-blank byte is `{`; GDELT when
/// the first line has 57 or more tab-separated fields, the first an integer and
/// the second a `YYYYMMDD` date (57 or 58 fields is GDELT 1.0, which the GDELT
/// reader then rejects by name); HXL when the first or second line is a row of
/// HXL hashtags; UCDP GED when the header has the columns `id`, `side_a` and
/// `where_prec`; ACLED when it has `event_id_cnty` and `actor1`. Column names
/// are compared without case and surrounding blanks; a UTF-8 byte-order mark
/// is ignored. `None` otherwise.
pub fn detect_format(first_bytes: &[u8]) -> Option<Format> {
    let bytes = strip_bom(first_bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    if bytes[start] == b'{' {
        return Some(Format::TruceJsonl);
    }
    let line = bytes[start..].split(|b| *b == b'\n').next().unwrap_or(&[]);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.iter().filter(|b| **b == b'\t').count() >= 56 {
        let text = String::from_utf8_lossy(line);
        if crate::gdelt::looks_like_row(text.split('\t')) {
            return Some(Format::Gdelt);
        }
    }
    let (columns, second) = first_records(bytes);
    if columns.iter().any(|c| c.starts_with('#'))
        && crate::hashtag::hashtag_row(&csv::StringRecord::from(columns.clone())).is_some()
        || second.is_some_and(|r| crate::hashtag::hashtag_row(&r).is_some())
    {
        return Some(Format::Hxl);
    }
    let has = |name: &str| columns.iter().any(|c| c == name);
    if GED_MARKERS.iter().all(|m| has(m)) {
        Some(Format::UcdpGed)
    } else if ACLED_MARKERS.iter().all(|m| has(m)) {
        Some(Format::Acled)
    } else {
        None
    }
}

pub(crate) fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// The lower-cased, trimmed column names of the first non-blank line, read as
/// CSV, and the second record when there is one.
fn first_records(bytes: &[u8]) -> (Vec<String>, Option<csv::StringRecord>) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let columns = match reader.read_byte_record(&mut record) {
        Ok(true) => record
            .iter()
            .map(|f| String::from_utf8_lossy(f).trim().to_ascii_lowercase())
            .collect(),
        _ => return (Vec::new(), None),
    };
    let second = match reader.read_byte_record(&mut record) {
        Ok(true) => Some(csv::StringRecord::from(
            record
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect::<Vec<_>>(),
        )),
        _ => None,
    };
    (columns, second)
}

/// The error for a file whose format could not be detected.
pub(crate) fn unknown_header(file: &str, first_bytes: &[u8]) -> IngestError {
    let bytes = strip_bom(first_bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return IngestError::Empty {
            file: file.to_string(),
        };
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let found = match reader.read_byte_record(&mut record) {
        Ok(true) => record
            .iter()
            .take(50)
            .map(|f| shorten(String::from_utf8_lossy(f).trim()))
            .collect(),
        _ => Vec::new(),
    };
    IngestError::UnknownHeader {
        file: file.to_string(),
        found,
    }
}

fn shorten(text: &str) -> String {
    if text.chars().count() > 60 {
        let mut short: String = text.chars().take(60).collect();
        short.push('…');
        short
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_from_the_header_line() {
        assert_eq!(
            detect_format(b"id,relid,year,side_a,side_b,where_prec\n1,2"),
            Some(Format::UcdpGed)
        );
        assert_eq!(
            detect_format(b"\xEF\xBB\xBF\"ID\", Side_A ,where_prec"),
            Some(Format::UcdpGed)
        );
        assert_eq!(
            detect_format(b"event_id_cnty,event_date,actor1\r\n"),
            Some(Format::Acled)
        );
        assert_eq!(
            detect_format(b"\n\n  {\"provenance\":"),
            Some(Format::TruceJsonl)
        );
        assert_eq!(detect_format(b"a,b,c\n"), None);
        assert_eq!(detect_format(b""), None);
        assert_eq!(detect_format(b"id,side_a"), None);
    }
}
