//! Cells of the CSV files truce writes, made safe to open in a spreadsheet.
//!
//! A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
//! read by Excel, LibreOffice and Google Sheets as a formula, so a place name
//! taken from a source row (`=cmd|' /C calc'!A0`) would run when an analyst
//! opens the export. Following OWASP's advice on CSV injection, such a cell is
//! written with a single quote in front, which spreadsheets show as text and do
//! not display. Numbers truce formats itself (`-36.2`) are left alone: a number
//! is not a formula. Quoting the cell (commas, quotes, line breaks) is the CSV
//! writer's job, not this module's.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell` as it is safe to write: unchanged, or with a `'` in front when a
/// spreadsheet would take it for a formula.
pub fn safe_cell(cell: &str) -> Cow<'_, str> {
    // A cell that already starts with a quote gets one more, so reading back
    // (which takes one off) gives it whole.
    if is_formula(cell) || cell.starts_with('\'') {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

fn is_formula(cell: &str) -> bool {
    cell.starts_with(FORMULA_STARTS) && !is_plain_number(cell)
}

/// A cell read back from a file truce wrote: the quote [`safe_cell`] added is
/// taken off again, so an export imports as the values it was made from. A
/// cell with a quote before anything else (`'Aleppo`) is left as it is.
pub fn unsafe_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if is_formula(rest) || rest.starts_with('\'') => rest,
        _ => cell,
    }
}

/// `-12`, `+3.5`, `-1e-3`: a number, which no spreadsheet runs.
fn is_plain_number(cell: &str) -> bool {
    let digits = cell.trim_start_matches(['+', '-']);
    cell.len() - digits.len() <= 1
        && digits.starts_with(|c: char| c.is_ascii_digit())
        && cell.parse::<f64>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_made_text_and_numbers_are_left() {
        for (given, written) in [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-inf", "'-inf"),
            ("-NaN", "'-NaN"),
            ("--1", "'--1"),
            ("-36.125", "-36.125"),
            ("+3", "+3"),
            ("-1e-3", "-1e-3"),
            ("Aleppo", "Aleppo"),
            ("", ""),
            ("'=quoted", "''=quoted"),
            ("'plain", "''plain"),
        ] {
            assert_eq!(safe_cell(given), written, "{given:?}");
            assert_eq!(
                unsafe_cell(&safe_cell(given)),
                given,
                "{given:?} reads back"
            );
        }
    }
}
