//! Small, strict parsers for the values sources write: counts, coordinates,
//! dates in the spellings GED and ACLED use, and lists of names.

use truce_model::time::Day;

/// A non-negative whole number: digits, optionally followed by a decimal point
/// and zeros (`12`, `12.0`: R and pandas write counts that way). `None` otherwise.
pub(crate) fn count(text: &str) -> Option<u32> {
    let text = text.trim();
    let whole = match text.split_once('.') {
        Some((whole, fraction)) if fraction.bytes().all(|b| b == b'0') => whole,
        Some(_) => return None,
        None => text,
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    whole.parse().ok()
}

/// A latitude (`max` 90) or longitude (`max` 180) in decimal degrees; `None`
/// when it is not a finite number within `-max..=max`.
pub(crate) fn degrees(text: &str, max: f64) -> Option<f64> {
    let text = text.trim();
    // Rust also reads "inf", "NaN" and "1e3"; only plain decimals are coordinates.
    if text.is_empty()
        || !text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.'))
    {
        return None;
    }
    let value: f64 = text.parse().ok()?;
    (value.is_finite() && (-max..=max).contains(&value)).then_some(value)
}

/// An ISO calendar date `YYYY-MM-DD`, optionally followed by a time
/// (` HH:MM:SS`, `THH:MM:SS`, with or without seconds, fraction or zone).
/// The time is ignored: sources date events to the day.
pub(crate) fn iso_date(text: &str) -> Option<Day> {
    let text = text.trim();
    let (date, rest) = if text.len() > 10 && text.is_char_boundary(10) {
        text.split_at(10)
    } else {
        (text, "")
    };
    let day = Day::parse_iso(date)?;
    if rest.is_empty() {
        return Some(day);
    }
    let time = rest.strip_prefix([' ', 'T'])?;
    let time_like = !time.is_empty()
        && time.as_bytes()[0].is_ascii_digit()
        && time
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b':' | b'.' | b'Z' | b'+' | b'-'));
    time_like.then_some(day)
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A month by its English name or its three-letter abbreviation, any case.
pub(crate) fn month(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    let lower = lower.strip_suffix('.').unwrap_or(&lower);
    MONTHS
        .iter()
        .position(|m| {
            *m == lower
                || (lower.len() == 3 && m.starts_with(lower))
                || (lower == "sept" && *m == "september")
        })
        .map(|i| i as u32 + 1)
}

fn number(text: &str, max_digits: usize) -> Option<u32> {
    if text.is_empty() || text.len() > max_digits || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn year(text: &str) -> Option<i32> {
    if text.len() != 4 {
        return None;
    }
    number(text, 4).map(|y| y as i32)
}

/// An ACLED `event_date` in any spelling ACLED has used: ISO `2016-09-12`
/// (with an optional time), `12 September 2016`, `12-September-2016` (or
/// `12-Sep-2016`), and `12/09/2016` (day first) with an optional ` 00:00:00`.
pub(crate) fn acled_date(text: &str) -> Option<Day> {
    let text = text.trim();
    let bytes = text.as_bytes();
    if bytes.len() >= 10 && bytes[4] == b'-' {
        return iso_date(text);
    }
    if text.contains('/') {
        let date = match text.split_once(' ') {
            Some((date, time)) => {
                let time = time.trim();
                let ok = !time.is_empty() && time.bytes().all(|b| b.is_ascii_digit() || b == b':');
                if !ok {
                    return None;
                }
                date
            }
            None => text,
        };
        let mut parts = date.split('/');
        let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        return Day::from_ymd(year(y)?, number(m, 2)?, number(d, 2)?);
    }
    let separator = if text.contains('-') { '-' } else { ' ' };
    let mut parts = text.split(separator).filter(|p| !p.is_empty());
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    Day::from_ymd(year(y)?, month(m)?, number(d, 2)?)
}

/// Splits a list of names on `separator`, trimming each and skipping empty ones.
pub(crate) fn names(text: &str, separator: &str, into: &mut Vec<String>) {
    for name in text.split(separator) {
        let name = name.trim();
        if !name.is_empty() {
            into.push(name.to_string());
        }
    }
}

/// `Some(text)` trimmed, or `None` when blank.
pub(crate) fn non_blank(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// The links or hashes in one cell: separated by blanks, commas, semicolons or `|`
/// (a cell may list several articles; a JSON list arrives joined).
pub(crate) fn evidence_list(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '|'))
        .filter(|part| !part.is_empty())
        .map(str::to_string)
        .collect()
}

/// The sha256 hashes in one cell (64 hex digits each, written in lower case);
/// `Err` with the first that is not one.
pub(crate) fn media_hashes(text: &str) -> Result<Vec<String>, String> {
    evidence_list(text)
        .into_iter()
        .map(|hash| {
            if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(hash.to_ascii_lowercase())
            } else {
                Err(hash)
            }
        })
        .collect()
}

/// What a media hash should have been, naming what was found.
pub(crate) fn media_expected(found: &str) -> String {
    let shown: String = found.chars().take(80).collect();
    format!(
        "expected sha256 hashes of the media (64 hexadecimal digits each); `{shown}` is not one"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Option<String> {
        acled_date(text).map(|d| d.to_string())
    }

    #[test]
    fn counts() {
        assert_eq!(count("12"), Some(12));
        assert_eq!(count(" 12.00 "), Some(12));
        assert_eq!(count("0"), Some(0));
        assert_eq!(count("-1"), None);
        assert_eq!(count("1.5"), None);
        assert_eq!(count(""), None);
        assert_eq!(count("."), None);
        assert_eq!(count("99999999999"), None);
    }

    #[test]
    fn coordinates() {
        assert_eq!(degrees("36.2", 90.0), Some(36.2));
        assert_eq!(degrees("-90", 90.0), Some(-90.0));
        assert_eq!(degrees("123", 90.0), None);
        assert_eq!(degrees("123", 180.0), Some(123.0));
        assert_eq!(degrees("NaN", 90.0), None);
        assert_eq!(degrees("inf", 90.0), None);
        assert_eq!(degrees("1e1", 90.0), None);
        assert_eq!(degrees("", 90.0), None);
        assert_eq!(degrees("3..4", 90.0), None);
    }

    #[test]
    fn iso_dates_with_or_without_time() {
        let s = |t: &str| iso_date(t).map(|d| d.to_string());
        assert_eq!(s("2016-09-12"), Some("2016-09-12".into()));
        assert_eq!(s("2016-09-12 00:00:00"), Some("2016-09-12".into()));
        assert_eq!(s("2016-09-12T00:00:00.000Z"), Some("2016-09-12".into()));
        assert_eq!(s("2016-09-12 noon"), None);
        assert_eq!(s("2016-09-12x"), None);
        assert_eq!(s("2016-02-30"), None);
        assert_eq!(s("2016-9-12"), None);
        assert_eq!(s("2016-09-1é"), None);
        assert_eq!(s("2016-09-12é"), None);
    }

    #[test]
    fn acled_date_spellings() {
        for text in [
            "2016-09-12",
            "12 September 2016",
            "12 september 2016",
            "12 Sep 2016",
            "12 Sept 2016",
            "12-September-2016",
            "12-Sep-2016",
            "12/09/2016",
            "12/09/2016 00:00:00",
            " 12/9/2016 ",
        ] {
            assert_eq!(day(text), Some("2016-09-12".into()), "{text}");
        }
        assert_eq!(day("16 May 2025"), Some("2025-05-16".into()));
        for bad in [
            "31/02/2016",
            "12/13/2016",
            "12 Septembre 2016",
            "September 12, 2016",
            "12/09/16",
            "",
            "12",
            "12/09/2016 noon",
            "1 2 3 4",
        ] {
            assert_eq!(day(bad), None, "{bad}");
        }
    }

    #[test]
    fn name_lists() {
        let mut out = Vec::new();
        names("Ahrar al-Sham, HTS, Southern Front", ", ", &mut out);
        names(
            " ; Civilians (Ukraine);Journalists (Ukraine) ",
            ";",
            &mut out,
        );
        assert_eq!(
            out,
            [
                "Ahrar al-Sham",
                "HTS",
                "Southern Front",
                "Civilians (Ukraine)",
                "Journalists (Ukraine)"
            ]
        );
    }
}
