//! Calendar days, minutes and date spans, with no clock and no time-zone database.
//!
//! Evidence is dated to the day at best (often to a week or a month), while an
//! agreement's terms start at an hour ("from sundown on 12 September"). Both are
//! expressed in the agreement's local time: a [`Day`] counts days since
//! 1970-01-01 and a [`Minute`] counts minutes since 1970-01-01 00:00 local time.
//! The civil-date conversions are the standard proleptic Gregorian algorithms.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A calendar day, as the number of days since 1970-01-01 (may be negative).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i32);

/// A minute in the agreement's local time, counted from 1970-01-01 00:00.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Minute(pub i64);

pub const MINUTES_PER_DAY: i64 = 24 * 60;

impl Day {
    /// The day for a civil date, or `None` when the date does not exist.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        if !(-100_000..=100_000).contains(&year) {
            return None;
        }
        Some(Day(days_from_civil(year, month, day)))
    }

    /// Year, month and day of month.
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }

    /// Parses `YYYY-MM-DD` (the ISO 8601 calendar date), nothing else.
    pub fn parse_iso(text: &str) -> Option<Day> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let year = parse_digits(&bytes[0..4])?;
        let month = parse_digits(&bytes[5..7])?;
        let day = parse_digits(&bytes[8..10])?;
        Day::from_ymd(year as i32, month, day)
    }

    pub fn first_minute(self) -> Minute {
        Minute(self.0 as i64 * MINUTES_PER_DAY)
    }

    pub fn next(self) -> Day {
        Day(self.0.saturating_add(1))
    }

    pub fn plus(self, days: i32) -> Day {
        Day(self.0.saturating_add(days))
    }

    /// Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday).
    pub fn weekday(self) -> u32 {
        (self.0 + 3).rem_euclid(7) as u32
    }

    /// First day of this day's month.
    pub fn month_start(self) -> Day {
        let (y, m, _) = self.ymd();
        Day(days_from_civil(y, m, 1))
    }

    /// Last day of this day's month.
    pub fn month_end(self) -> Day {
        let (y, m, _) = self.ymd();
        Day(days_from_civil(y, m, days_in_month(y, m)))
    }
}

impl Minute {
    /// The day this minute falls on.
    pub fn day(self) -> Day {
        Day(self.0.div_euclid(MINUTES_PER_DAY) as i32)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl fmt::Display for Minute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let day = self.day();
        let rest = self.0.rem_euclid(MINUTES_PER_DAY);
        if rest == 0 {
            write!(f, "{day}")
        } else {
            write!(f, "{day} {:02}:{:02}", rest / 60, rest % 60)
        }
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Day::parse_iso(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("expected a date YYYY-MM-DD, found `{text}`"))
        })
    }
}

impl Serialize for Minute {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let day = self.day();
        let rest = self.0.rem_euclid(MINUTES_PER_DAY);
        serializer.collect_str(&format_args!("{day}T{:02}:{:02}", rest / 60, rest % 60))
    }
}

impl schemars::JsonSchema for Day {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Day".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^-?[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "A calendar day, YYYY-MM-DD, in the agreement's local time."
        })
    }
}

fn parse_digits(bytes: &[u8]) -> Option<u32> {
    let mut value: u32 = 0;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u32::from(b - b'0');
    }
    Some(value)
}

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Hinnant's algorithm).
fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i32) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// How precisely a report knows when its event happened.
#[derive(
    Copy,
    Clone,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum DatePrecision {
    /// The exact day is known.
    Day,
    /// Known to within a few days (UCDP GED `date_prec` 2: 2–6 days).
    Days,
    /// Known to the week.
    Week,
    /// Known to the month.
    Month,
    /// Known to the year, or less.
    Year,
}

impl DatePrecision {
    pub fn label(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Days => "a few days",
            DatePrecision::Week => "week",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
        }
    }
}

/// The days an event may have happened on: from `first` to `last`, both included.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DateSpan {
    pub first: Day,
    pub last: Day,
    pub precision: DatePrecision,
}

impl DateSpan {
    pub fn day(day: Day) -> DateSpan {
        DateSpan {
            first: day,
            last: day,
            precision: DatePrecision::Day,
        }
    }

    /// True when the span is a single known day.
    pub fn is_single_day(&self) -> bool {
        self.first == self.last
    }

    pub fn days(&self) -> i64 {
        i64::from(self.last.0) - i64::from(self.first.0) + 1
    }

    /// The span as minutes: `[first 00:00, last+1 00:00)`.
    pub fn minutes(&self) -> (Minute, Minute) {
        (self.first.first_minute(), self.last.next().first_minute())
    }
}

impl fmt::Display for DateSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "{}", self.first)
        } else {
            write!(
                f,
                "{} .. {} ({})",
                self.first,
                self.last,
                self.precision.label()
            )
        }
    }
}

/// A half-open window of minutes `[start, end)`; `end = None` means open-ended.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Window {
    pub start: Option<Minute>,
    pub end: Option<Minute>,
}

/// How a date span lies relative to a window.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Overlap {
    /// Every minute of the span is inside the window.
    Inside,
    /// Some of the span is inside and some outside: the event may or may not fall in.
    Partial {
        /// Share of the span's days that are inside the window, for the confidence.
        share: f64,
    },
    Outside,
}

impl Window {
    pub const ALWAYS: Window = Window {
        start: None,
        end: None,
    };

    pub fn overlap(&self, span: &DateSpan) -> Overlap {
        let (span_start, span_end) = span.minutes();
        let start = self.start.map_or(i64::MIN, |m| m.0);
        let end = self.end.map_or(i64::MAX, |m| m.0);
        let lo = span_start.0.max(start);
        let hi = span_end.0.min(end);
        if lo >= hi {
            Overlap::Outside
        } else if lo == span_start.0 && hi == span_end.0 {
            Overlap::Inside
        } else {
            let share = (hi - lo) as f64 / (span_end.0 - span_start.0) as f64;
            Overlap::Partial { share }
        }
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.start, self.end) {
            (None, None) => write!(f, "at any time"),
            (Some(s), None) => write!(f, "from {s}"),
            (None, Some(e)) => write!(f, "before {e}"),
            (Some(s), Some(e)) => write!(f, "from {s} to before {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip_over_centuries() {
        for days in -800_000..800_000 {
            if days % 997 != 0 {
                continue;
            }
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn known_dates() {
        assert_eq!(Day::parse_iso("1970-01-01"), Some(Day(0)));
        assert_eq!(
            Day::parse_iso("2016-02-27").map(|d| d.to_string()),
            Some("2016-02-27".into())
        );
        assert_eq!(Day::parse_iso("2016-02-30"), None);
        assert_eq!(Day::parse_iso("2016-2-3"), None);
        assert_eq!(Day::parse_iso("2016-09-12").map(|d| d.weekday()), Some(0));
        assert_eq!(
            Day::parse_iso("2016-02-10").map(|d| d.month_end().to_string()),
            Some("2016-02-29".into())
        );
    }

    #[test]
    fn window_overlap_is_honest_about_partial_days() {
        let sundown = Minute(
            Day::parse_iso("2016-09-12").map(|d| d.0).unwrap_or(0) as i64 * MINUTES_PER_DAY
                + 19 * 60,
        );
        let window = Window {
            start: Some(sundown),
            end: None,
        };
        let same_day = DateSpan::day(sundown.day());
        assert!(matches!(window.overlap(&same_day), Overlap::Partial { .. }));
        assert_eq!(
            window.overlap(&DateSpan::day(sundown.day().next())),
            Overlap::Inside
        );
        assert_eq!(
            window.overlap(&DateSpan::day(Day(sundown.day().0 - 1))),
            Overlap::Outside
        );
    }
}
