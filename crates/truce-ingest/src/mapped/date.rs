//! The date formats a mapping file may declare: `iso`, or a pattern of
//! strftime-like directives (`%d/%m/%Y`, `%d %B %Y %H:%M`, `%m/%Y`).
//!
//! Only the directives a report form needs are read, each strictly: a pattern
//! says exactly how the form writes its dates, so a value that does not follow
//! it is quarantined rather than guessed at (is `03/04/2024` the 3rd of April
//! or the 4th of March? only the mapping knows). A pattern without a day gives
//! the whole month, one without a month the whole year: the form's own
//! precision, kept honest.

use crate::parse;
use truce_model::time::Day;

/// One piece of a date pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Piece {
    /// A character that must be there as written.
    Literal(char),
    /// A blank in the pattern: one or more blanks in the value.
    Blank,
    /// `%Y`: a four-digit year.
    Year,
    /// `%m`: a month number, 1 or 2 digits.
    Month,
    /// `%b` or `%B`: an English month name or its three-letter abbreviation.
    MonthName,
    /// `%d`: a day of the month, 1 or 2 digits.
    Day,
    /// `%H`: an hour 0–23 (checked, then ignored: reports are dated to the day).
    Hour,
    /// `%M`: a minute 0–59 (checked, then ignored).
    Minute,
    /// `%S`: a second 0–60 (checked, then ignored).
    Second,
}

/// How a mapped column writes its dates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DateFormat {
    /// `YYYY-MM-DD`, optionally followed by a time (ignored).
    Iso,
    /// A pattern of directives and literal characters, as written in the mapping.
    Pattern { text: String, pieces: Vec<Piece> },
}

/// The days a date value covers: one day, or a whole month or year when the
/// pattern has no day (or no month).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Days {
    pub(crate) first: Day,
    pub(crate) last: Day,
}

/// The directives a pattern may use, for messages.
pub(crate) const DIRECTIVES: &str = "`%Y` (year, 4 digits), `%m` (month, 1–2 digits), `%b` or `%B` \
     (English month name or abbreviation), `%d` (day, 1–2 digits), `%H`, `%M`, `%S` (hour, minute, \
     second: checked, then ignored) and `%%` (a percent sign)";

impl DateFormat {
    /// Reads a format as written in a mapping file: `iso` or a pattern.
    /// `Err` says what is wrong with it, as a phrase that follows "the date format".
    pub(crate) fn parse(text: &str) -> Result<DateFormat, String> {
        if text.trim().eq_ignore_ascii_case("iso") {
            return Ok(DateFormat::Iso);
        }
        let mut pieces = Vec::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            let piece = match c {
                '%' => match chars.next() {
                    Some('Y') => Piece::Year,
                    Some('m') => Piece::Month,
                    Some('b' | 'B') => Piece::MonthName,
                    Some('d') => Piece::Day,
                    Some('H') => Piece::Hour,
                    Some('M') => Piece::Minute,
                    Some('S') => Piece::Second,
                    Some('%') => Piece::Literal('%'),
                    Some('y') => {
                        return Err("has `%y`, a two-digit year, which truce does not read (is \
                                    `16` 1916 or 2016?); the year must have 4 digits (`%Y`)"
                            .to_string());
                    }
                    Some(other) => return Err(format!("has the unknown directive `%{other}`")),
                    None => return Err("ends with a lone `%`".to_string()),
                },
                c if c.is_whitespace() => {
                    // Several blanks in a row are one: the value may have any number.
                    if pieces.last() == Some(&Piece::Blank) {
                        continue;
                    }
                    Piece::Blank
                }
                c => Piece::Literal(c),
            };
            pieces.push(piece);
        }
        // Trailing and leading blanks are trimmed from values: drop them from the pattern too.
        while pieces.last() == Some(&Piece::Blank) {
            pieces.pop();
        }
        while pieces.first() == Some(&Piece::Blank) {
            pieces.remove(0);
        }
        let count = |wanted: &[Piece]| pieces.iter().filter(|p| wanted.contains(p)).count();
        if count(&[Piece::Year]) != 1 {
            return Err("needs exactly one `%Y` (the year, 4 digits)".to_string());
        }
        if count(&[Piece::Month, Piece::MonthName]) > 1 {
            return Err("has more than one month (`%m`, `%b`, `%B`)".to_string());
        }
        for (piece, name) in [
            (Piece::Day, "%d"),
            (Piece::Hour, "%H"),
            (Piece::Minute, "%M"),
            (Piece::Second, "%S"),
        ] {
            if count(&[piece]) > 1 {
                return Err(format!("has `{name}` more than once"));
            }
        }
        if count(&[Piece::Day]) == 1 && count(&[Piece::Month, Piece::MonthName]) == 0 {
            return Err("has a day (`%d`) but no month (`%m`, `%b` or `%B`)".to_string());
        }
        Ok(DateFormat::Pattern {
            text: text.to_string(),
            pieces,
        })
    }

    /// How the format is described in messages: `YYYY-MM-DD` or `` `%d/%m/%Y`
    /// (e.g. `21/03/2024`) ``.
    pub(crate) fn describe(&self) -> String {
        match self {
            DateFormat::Iso => "YYYY-MM-DD (optionally with a time)".to_string(),
            DateFormat::Pattern { text, pieces } => {
                format!("`{text}` (e.g. `{}`)", example(pieces))
            }
        }
    }

    /// The days a value covers, or `None` when it does not follow the format or
    /// names a date that does not exist.
    pub(crate) fn read(&self, value: &str) -> Option<Days> {
        let value = value.trim();
        match self {
            DateFormat::Iso => parse::iso_date(value).map(|day| Days {
                first: day,
                last: day,
            }),
            DateFormat::Pattern { pieces, .. } => read_pattern(pieces, value),
        }
    }
}

/// Reads up to `max` ASCII digits at the start of `text`: the number and the rest.
fn digits(text: &str, min: usize, max: usize) -> Option<(u32, &str)> {
    let length = text
        .bytes()
        .take(max)
        .take_while(u8::is_ascii_digit)
        .count();
    if length < min {
        return None;
    }
    let (number, rest) = text.split_at(length);
    Some((number.parse().ok()?, rest))
}

fn read_pattern(pieces: &[Piece], value: &str) -> Option<Days> {
    let mut rest = value;
    let (mut year, mut month, mut day) = (None, None, None);
    for piece in pieces {
        match *piece {
            Piece::Literal(c) => rest = rest.strip_prefix(c)?,
            Piece::Blank => {
                let trimmed = rest.trim_start();
                if trimmed.len() == rest.len() {
                    return None;
                }
                rest = trimmed;
            }
            Piece::Year => {
                let (number, after) = digits(rest, 4, 4)?;
                year = Some(i32::try_from(number).ok()?);
                rest = after;
            }
            Piece::Month => {
                let (number, after) = digits(rest, 1, 2)?;
                month = Some(number);
                rest = after;
            }
            Piece::MonthName => {
                let length = rest
                    .char_indices()
                    .find(|(_, c)| !(c.is_ascii_alphabetic() || *c == '.'))
                    .map_or(rest.len(), |(i, _)| i);
                let (name, after) = rest.split_at(length);
                month = Some(parse::month(name)?);
                rest = after;
            }
            Piece::Day => {
                let (number, after) = digits(rest, 1, 2)?;
                day = Some(number);
                rest = after;
            }
            Piece::Hour | Piece::Minute | Piece::Second => {
                let limit = match piece {
                    Piece::Hour => 23,
                    Piece::Minute => 59,
                    _ => 60,
                };
                let (number, after) = digits(rest, 1, 2)?;
                if number > limit {
                    return None;
                }
                rest = after;
            }
        }
    }
    if !rest.is_empty() {
        return None;
    }
    let year = year?;
    match (month, day) {
        (Some(month), Some(day)) => {
            let day = Day::from_ymd(year, month, day)?;
            Some(Days {
                first: day,
                last: day,
            })
        }
        (Some(month), None) => {
            let first = Day::from_ymd(year, month, 1)?;
            Some(Days {
                first,
                last: first.month_end(),
            })
        }
        _ => Some(Days {
            first: Day::from_ymd(year, 1, 1)?,
            last: Day::from_ymd(year, 12, 31)?,
        }),
    }
}

/// 21 March 2024, 14:05:09, written with a pattern: an example for messages.
fn example(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Literal(c) => out.push(*c),
            Piece::Blank => out.push(' '),
            Piece::Year => out.push_str("2024"),
            Piece::Month => out.push_str("03"),
            Piece::MonthName => out.push_str("March"),
            Piece::Day => out.push_str("21"),
            Piece::Hour => out.push_str("14"),
            Piece::Minute => out.push_str("05"),
            Piece::Second => out.push_str("09"),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(format: &str, value: &str) -> Option<(String, String)> {
        let format = DateFormat::parse(format).expect("a valid format");
        format
            .read(value)
            .map(|d| (d.first.to_string(), d.last.to_string()))
    }

    fn one(day: &str) -> Option<(String, String)> {
        Some((day.to_string(), day.to_string()))
    }

    #[test]
    fn day_first_numbers_and_month_names() {
        assert_eq!(read("%d/%m/%Y", "21/03/2024"), one("2024-03-21"));
        assert_eq!(read("%d/%m/%Y", " 1/3/2024 "), one("2024-03-01"));
        assert_eq!(read("%d/%m/%Y", "31/02/2024"), None);
        assert_eq!(read("%d/%m/%Y", "03/21/2024"), None);
        assert_eq!(read("%d/%m/%Y", "21/03/24"), None);
        assert_eq!(read("%d/%m/%Y", "21/03/2024 10:00"), None);
        assert_eq!(read("%d/%m/%Y", "21-03-2024"), None);
        assert_eq!(read("%d/%m/%Y", ""), None);
        assert_eq!(read("%d %B %Y", "21 March 2024"), one("2024-03-21"));
        assert_eq!(read("%d %b %Y", "21  mar 2024"), one("2024-03-21"));
        assert_eq!(read("%d %b %Y", "21 Mars 2024"), None);
        assert_eq!(
            read("%Y-%m-%d %H:%M", "2024-03-21 14:05"),
            one("2024-03-21")
        );
        assert_eq!(read("%Y-%m-%d %H:%M", "2024-03-21 24:05"), None);
        // Numbers with nothing between them are read two digits at a time (zero-padded).
        assert_eq!(read("%Y%m%d", "20240321"), one("2024-03-21"));
        assert_eq!(read("%Y%m%d", "2024321"), None);
        assert_eq!(read("iso", "2024-03-21T10:00:00Z"), one("2024-03-21"));
        assert_eq!(
            read("100%% %Y", "100% 2024").map(|d| d.1),
            Some("2024-12-31".into())
        );
    }

    #[test]
    fn a_pattern_without_a_day_covers_the_month_or_year() {
        assert_eq!(
            read("%m/%Y", "02/2024"),
            Some(("2024-02-01".into(), "2024-02-29".into()))
        );
        assert_eq!(
            read("%Y", "2023"),
            Some(("2023-01-01".into(), "2023-12-31".into()))
        );
    }

    #[test]
    fn bad_patterns_say_why() {
        for (pattern, why) in [
            ("%d/%m", "exactly one `%Y`"),
            ("%d/%m/%Y/%Y", "exactly one `%Y`"),
            ("%d/%q/%Y", "unknown directive `%q`"),
            ("%d/%m/%Y%", "lone `%`"),
            ("%d/%Y", "no month"),
            ("%m/%b/%Y", "more than one month"),
            ("%d/%m/%Y %d", "`%d` more than once"),
        ] {
            let error = DateFormat::parse(pattern).expect_err(pattern);
            assert!(error.contains(why), "{pattern}: {error}");
        }
        assert_eq!(
            DateFormat::parse("%d/%m/%Y").map(|f| f.describe()),
            Ok("`%d/%m/%Y` (e.g. `21/03/2024`)".to_string())
        );
    }
}
