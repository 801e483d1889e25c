//! Dates in text, absolute ("19 September 2016", "2016-09-19") or relative to the
//! day the document was published ("yesterday", "on Friday", "overnight", "last
//! week"), each with the precision the words give.

use crate::Lang;
use crate::text::Token;
use truce_model::time::{DatePrecision, DateSpan, Day};

/// A date found in a text: its span of days and the bytes of its words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundDate {
    pub span: DateSpan,
    pub start: usize,
    pub end: usize,
    /// The index of its first token.
    pub token: usize,
}

const MONTHS_EN: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];
/// Levantine (used in Syria) and Egyptian month names, as normalised.
const MONTHS_AR: &[(&str, u32)] = &[
    ("كانون الثاني", 1),
    ("شباط", 2),
    ("اذار", 3),
    ("نيسان", 4),
    ("ايار", 5),
    ("حزيران", 6),
    ("تموز", 7),
    ("اب", 8),
    ("ايلول", 9),
    ("تشرين الاول", 10),
    ("تشرين الثاني", 11),
    ("كانون الاول", 12),
    ("يناير", 1),
    ("فبراير", 2),
    ("مارس", 3),
    ("ابريل", 4),
    ("مايو", 5),
    ("يونيو", 6),
    ("يوليو", 7),
    ("اغسطس", 8),
    ("سبتمبر", 9),
    ("اكتوبر", 10),
    ("نوفمبر", 11),
    ("ديسمبر", 12),
];
pub(crate) const WEEKDAYS_EN: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];
const WEEKDAYS_AR: &[&str] = &[
    "الاثنين",
    "الثلاثاء",
    "الاربعاء",
    "الخميس",
    "الجمعه",
    "السبت",
    "الاحد",
];

fn span(first: Day, last: Day, precision: DatePrecision) -> DateSpan {
    DateSpan {
        first,
        last,
        precision,
    }
}

/// The day-of-month a token writes: `19`, `19th`, `1st`.
fn day_of_month(token: &Token) -> Option<u32> {
    let digits: String = token
        .norm
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let rest = &token.norm[digits.len()..];
    if digits.is_empty() || digits.len() > 2 || !matches!(rest, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year_of(token: &Token) -> Option<i32> {
    if token.norm.len() == 4 {
        token
            .norm
            .parse()
            .ok()
            .filter(|y| (1900..=2100).contains(y))
    } else {
        None
    }
}

/// Matches a (possibly two-word) month name at `i`; returns the month and how many tokens.
fn month_at(tokens: &[Token], i: usize, months: &[(&str, u32)]) -> Option<(u32, usize)> {
    for (name, month) in months {
        let words: Vec<&str> = name.split(' ').collect();
        if tokens.len() >= i + words.len()
            && words
                .iter()
                .enumerate()
                .all(|(k, w)| tokens[i + k].norm == *w)
        {
            return Some((*month, words.len()));
        }
    }
    None
}

/// A day of a month whose year is not written: in the year of publication,
/// unless that is more than a month after it (then the year before: "on 30
/// December" in a January article). A few weeks ahead is what is announced
/// ("due to come into effect on 27 February").
fn infer_year(month: u32, day: u32, published: Option<Day>) -> Option<Day> {
    let published = published?;
    let (year, _, _) = published.ymd();
    let candidate = Day::from_ymd(year, month, day)?;
    if candidate > published.plus(31) {
        Day::from_ymd(year - 1, month, day)
    } else {
        Some(candidate)
    }
}

/// Every date `tokens` (of one sentence) write, in order.
pub fn find_dates(
    text: &str,
    tokens: &[Token],
    published: Option<Day>,
    lang: Lang,
) -> Vec<FoundDate> {
    let mut found = Vec::new();
    let months = match lang {
        Lang::En => MONTHS_EN,
        Lang::Ar => MONTHS_AR,
    };
    let mut i = 0;
    while i < tokens.len() {
        // The first way of writing a date that the words at `i` fit: the span and
        // the date's last token.
        let matched = numeric_date(text, tokens, i)
            .or_else(|| day_then_month(tokens, i, months, published))
            .or_else(|| month_then_day_or_year(tokens, i, months, published))
            .or_else(|| published.and_then(|p| relative_date(tokens, i, lang, p)));
        match matched {
            Some((span, last)) => {
                found.push(FoundDate {
                    span,
                    start: tokens[i].start,
                    end: tokens[last].end,
                    token: i,
                });
                i = last + 1;
            }
            None => i += 1,
        }
    }
    if let Some(p) = published {
        since_dates(tokens, months, p, &mut found);
    }
    found
}

/// 2016-09-19 or 19/09/2016, written with - or / (or .) between the numbers.
fn numeric_date(text: &str, tokens: &[Token], i: usize) -> Option<(DateSpan, usize)> {
    let (a, b, c) = (tokens.get(i)?, tokens.get(i + 1)?, tokens.get(i + 2)?);
    let between = |x: &Token, y: &Token| text.get(x.end..y.start).unwrap_or("");
    let joined = between(a, b) == between(b, c) && matches!(between(a, b), "-" | "/" | ".");
    if !joined {
        return None;
    }
    let day = match (a.number(), b.number(), c.number()) {
        (Some(y), Some(m), Some(d)) if a.norm.len() == 4 => {
            Day::from_ymd(y as i32, m as u32, d as u32)
        }
        (Some(d), Some(m), Some(y)) if c.norm.len() == 4 => {
            Day::from_ymd(y as i32, m as u32, d as u32)
        }
        _ => None,
    }?;
    Some((DateSpan::day(day), i + 2))
}

/// 19 September 2016, 19th of September, 19 September (its year inferred).
fn day_then_month(
    tokens: &[Token],
    i: usize,
    months: &[(&str, u32)],
    published: Option<Day>,
) -> Option<(DateSpan, usize)> {
    let day = day_of_month(tokens.get(i)?)?;
    let of = usize::from(tokens.get(i + 1).is_some_and(|t| t.norm == "of"));
    let (month, width) = month_at(tokens, i + 1 + of, months)?;
    let after = i + 1 + of + width;
    let (date, last) = match tokens.get(after).and_then(year_of) {
        Some(year) => (Day::from_ymd(year, month, day), after),
        None => (infer_year(month, day, published), after - 1),
    };
    Some((DateSpan::day(date?), last))
}

/// September 19(th)(,) 2016, September 19 (its year inferred), September 2016.
/// "may" is a month only before a day or a year.
fn month_then_day_or_year(
    tokens: &[Token],
    i: usize,
    months: &[(&str, u32)],
    published: Option<Day>,
) -> Option<(DateSpan, usize)> {
    let (month, width) = month_at(tokens, i, months)?;
    if let Some(day) = tokens.get(i + width).and_then(day_of_month) {
        let (date, last) = match tokens.get(i + width + 1).and_then(year_of) {
            Some(year) => (Day::from_ymd(year, month, day), i + width + 1),
            None => (infer_year(month, day, published), i + width),
        };
        return Some((DateSpan::day(date?), last));
    }
    let year = tokens.get(i + width).and_then(year_of)?;
    let first = Day::from_ymd(year, month, 1)?;
    Some((
        span(first, first.month_end(), DatePrecision::Month),
        i + width,
    ))
}

/// A date said relative to publication (`p`): "yesterday", "last week", "in 4
/// months", "3 weeks of clashes", or a weekday (the latest such day not after
/// publication).
fn relative_date(tokens: &[Token], i: usize, lang: Lang, p: Day) -> Option<(DateSpan, usize)> {
    let at = |k: usize| tokens.get(k).map(|t| t.norm.as_str());
    let word = at(i).unwrap_or("");
    let next = at(i + 1).unwrap_or("");
    let relative: Option<(DateSpan, usize)> = match (lang, word, next) {
        (Lang::En, "today" | "tonight", _) => Some((DateSpan::day(p), 1)),
        (Lang::En, "this", "morning" | "afternoon" | "evening") => Some((DateSpan::day(p), 2)),
        (Lang::En, "yesterday", _) => Some((DateSpan::day(p.plus(-1)), 1)),
        (Lang::En, "last", "night") => Some((DateSpan::day(p.plus(-1)), 2)),
        (Lang::En, "overnight", _) => Some((span(p.plus(-1), p, DatePrecision::Days), 1)),
        (Lang::En, "last", "week") => {
            let monday = p.plus(-(p.weekday() as i32) - 7);
            Some((span(monday, monday.plus(6), DatePrecision::Week), 2))
        }
        (Lang::En, "this", "week") | (Lang::En, "earlier", "this") => {
            let monday = p.plus(-(p.weekday() as i32));
            let width = if word == "earlier" && at(i + 2) == Some("week") {
                3
            } else {
                2
            };
            Some((span(monday, p, DatePrecision::Week), width))
        }
        (Lang::En, "last", "month") => {
            let first = p.month_start().plus(-1).month_start();
            Some((span(first, first.month_end(), DatePrecision::Month), 2))
        }
        (Lang::Ar, "امس", _) => Some((DateSpan::day(p.plus(-1)), 1)),
        (Lang::Ar, "اليوم", _) => Some((DateSpan::day(p), 1)),
        (Lang::Ar, "الليله", "الماضيه") => Some((DateSpan::day(p.plus(-1)), 2)),
        (Lang::Ar, "الاسبوع", "الماضي") => {
            let monday = p.plus(-(p.weekday() as i32) - 7);
            Some((span(monday, monday.plus(6), DatePrecision::Week), 2))
        }
        _ => None,
    };
    if let Some((date, width)) = relative.or_else(|| stretch_of_time(tokens, i, word, next, p)) {
        return Some((date, i + width - 1));
    }
    let weekdays = match lang {
        Lang::En => WEEKDAYS_EN,
        Lang::Ar => WEEKDAYS_AR,
    };
    let weekday = weekdays.iter().position(|w| {
        *w == word || (lang == Lang::Ar && word.strip_prefix("يوم").is_some_and(|r| r == *w))
    })?;
    let back = (p.weekday() as i32 - weekday as i32).rem_euclid(7);
    Some((DateSpan::day(p.plus(-back)), i))
}

/// "in 4 months", "within 53 days", "during about 20 days", "3 weeks of clashes":
/// the stretch of time up to publication, and how many words say it.
fn stretch_of_time(
    tokens: &[Token],
    i: usize,
    word: &str,
    next: &str,
    p: Day,
) -> Option<(DateSpan, usize)> {
    let (skip, number_at) = match (word, next) {
        (
            "in" | "within" | "during" | "over" | "for" | "past" | "last",
            "about" | "nearly" | "around",
        ) => (2, i + 2),
        ("in" | "within" | "during" | "over" | "for" | "past" | "last", _) => (1, i + 1),
        _ => (0, i),
    };
    let n = tokens.get(number_at)?.number()?;
    let unit = tokens.get(number_at + 1)?.norm.as_str();
    let days = match unit {
        "day" | "days" => n,
        "week" | "weeks" => n * 7,
        "month" | "months" => n * 31,
        _ => return None,
    };
    // A bare "3 weeks" is a stretch of time only before "of" ("3 weeks of clashes").
    if skip == 0 && tokens.get(number_at + 2).is_none_or(|t| t.norm != "of") {
        return None;
    }
    let days = i32::try_from(days)
        .ok()
        .filter(|d| (1..=3660).contains(d))?;
    Some((span(p.plus(-days), p, DatePrecision::Days), skip + 2))
}

/// "since 23 September 2014", "since February": from then to publication (`p`).
fn since_dates(tokens: &[Token], months: &[(&str, u32)], p: Day, found: &mut Vec<FoundDate>) {
    for date in found.iter_mut() {
        if date.token > 0 && tokens[date.token - 1].norm == "since" && date.span.first <= p {
            date.span = span(date.span.first, p, DatePrecision::Days);
            date.start = tokens[date.token - 1].start;
        }
    }
    for i in 1..tokens.len() {
        if tokens[i - 1].norm != "since" || found.iter().any(|d| d.token == i) {
            continue;
        }
        if let Some((month, width)) = month_at(tokens, i, months)
            && let Some(first) = infer_year(month, 1, Some(p)).filter(|d| *d <= p)
        {
            found.push(FoundDate {
                span: span(first, p, DatePrecision::Days),
                start: tokens[i - 1].start,
                end: tokens[i + width - 1].end,
                token: i - 1,
            });
        }
    }
}

/// When a text says no date: the day it was published or the day before (news
/// reports what happened that day or the night before).
pub fn default_span(published: Day) -> DateSpan {
    span(published.plus(-1), published, DatePrecision::Days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens;

    fn dates(text: &str, published: &str) -> Vec<(String, String, String)> {
        let words = tokens(text);
        find_dates(text, &words, Day::parse_iso(published), Lang::of_text(text))
            .into_iter()
            .map(|d| {
                (
                    d.span.first.to_string(),
                    d.span.last.to_string(),
                    text[d.start..d.end].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn absolute_dates() {
        assert_eq!(
            dates("the truce of 27 February 2016 held", "2016-03-01")[0].0,
            "2016-02-27"
        );
        assert_eq!(
            dates("March 17th 2017: a strike", "2017-03-18")[0],
            (
                "2017-03-17".into(),
                "2017-03-17".into(),
                "March 17th 2017".into()
            )
        );
        assert_eq!(
            dates("on 19/09/2016 the convoy", "2016-09-20")[0].0,
            "2016-09-19"
        );
        assert_eq!(
            dates("on 2016-09-19 the convoy", "2016-09-20")[0].2,
            "2016-09-19"
        );
        // No year: the latest such day not after publication.
        assert_eq!(
            dates("on 30 December they fought", "2017-01-02")[0].0,
            "2016-12-30"
        );
        assert_eq!(dates("in September 2016", "2016-10-01")[0].1, "2016-09-30");
    }

    #[test]
    fn relative_dates_count_from_publication() {
        // 2016-09-21 was a Wednesday.
        assert_eq!(
            dates("60 were killed yesterday", "2016-09-21")[0].0,
            "2016-09-20"
        );
        assert_eq!(dates("clashes on Friday", "2016-09-21")[0].0, "2016-09-16");
        assert_eq!(
            dates("clashes on Wednesday", "2016-09-21")[0].0,
            "2016-09-21"
        );
        let overnight = &dates("shelling overnight", "2016-09-21")[0];
        assert_eq!(
            (overnight.0.as_str(), overnight.1.as_str()),
            ("2016-09-20", "2016-09-21")
        );
        let week = &dates("strikes last week", "2016-09-21")[0];
        assert_eq!(
            (week.0.as_str(), week.1.as_str()),
            ("2016-09-12", "2016-09-18")
        );
        assert_eq!(dates("قتل أمس", "2016-09-21")[0].0, "2016-09-20");
        assert_eq!(dates("يوم الجمعة", "2016-09-21")[0].0, "2016-09-16");
        assert!(dates("they may return", "2016-09-21").is_empty());
    }
}
