//! Sentences truce writes for people — the links of a reason chain — kept as a
//! catalogue key and its arguments rather than as finished English.
//!
//! The core decides *what* is said; the edges decide in which language, by
//! rendering a [`Message`] from the catalogue in `truce-words` (English for the
//! stable JSON and the CLI, the reader's language in the dashboard). So the core
//! stays free of any one language, and a translator edits a catalogue file, not
//! the engine.

use crate::agreement::{Designation, Period};
use crate::report::LocationPrecision;
use crate::time::{DatePrecision, DateSpan, Day, Minute, Window};
use serde::Serialize;
use std::sync::Arc;

/// A sentence: the catalogue key that says it, and the values it names.
#[derive(Clone, Debug, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Message {
    /// The catalogue key (`reason-…`); empty for a sentence not written (a check
    /// that does not explain its findings builds none).
    pub key: &'static str,
    /// The named values the sentence places, in the order written. A boxed
    /// slice, exactly as long as it is: a check keeps millions of these.
    pub args: Box<[(&'static str, Arg)]>,
}

/// One value a sentence places.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Arg {
    /// Shown as written in every language: an id, a name from a source or the
    /// agreement, a field's name. Shared, not copied, where the id already is.
    Verbatim(#[schemars(with = "String")] Arc<str>),
    /// A number already written with ASCII digits and a `.` (as English shows
    /// it); a language with its own digits shows them.
    Number(#[schemars(with = "String")] Arc<str>),
    /// A calendar day.
    Day(Day),
    /// A day, and a time of day when it has one.
    Minute(#[schemars(with = "String")] Minute),
    /// Another sentence, rendered in the same language.
    Message(Message),
    /// A sentence said in several places (the links an incident's findings
    /// share): one copy, counted.
    Shared(#[schemars(with = "Message")] Arc<Message>),
    /// Values joined by the language's word for `joiner`.
    List(Box<[Arg]>, Joiner),
}

/// How the items of a list are joined.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Joiner {
    /// "a or b": one of them.
    Or,
    /// "a, b": all of them.
    Comma,
    /// "a; b": separate statements.
    Semicolon,
    /// "a b": phrases that follow each other.
    Space,
}

impl Message {
    /// A sentence with no values.
    pub fn new(key: &'static str) -> Message {
        Message {
            key,
            args: Box::default(),
        }
    }

    /// Adds a named value.
    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Message {
        // Exactly as many as it places: a check keeps millions of these, and most
        // place one or two values (a doubling vector would hold four).
        let mut args = std::mem::take(&mut self.args).into_vec();
        args.reserve_exact(1);
        args.push((name, value.into()));
        self.args = args.into_boxed_slice();
        self
    }

    /// Whether this is the empty sentence of a check that does not explain.
    pub fn is_empty(&self) -> bool {
        self.key.is_empty()
    }
}

impl Arg {
    /// A value shown as written.
    pub fn verbatim(text: &str) -> Arg {
        Arg::Verbatim(Arc::from(text))
    }

    /// A number shown with the language's digits.
    pub fn number(value: impl std::fmt::Display) -> Arg {
        Arg::Number(Arc::from(value.to_string()))
    }

    /// Values joined by the language's word for `joiner`.
    pub fn list(items: Vec<Arg>, joiner: Joiner) -> Arg {
        Arg::List(items.into_boxed_slice(), joiner)
    }

    /// An id of the agreement, shown as code (`` `gov` ``) in every language.
    pub fn code(id: impl Into<Arg>) -> Arg {
        Message::new("reason-code").with("id", id).into()
    }

    /// Ids shown as code, joined by the language's word for `joiner`.
    pub fn codes<T: Into<Arg>>(ids: impl IntoIterator<Item = T>, joiner: Joiner) -> Arg {
        Arg::list(ids.into_iter().map(Arg::code).collect(), joiner)
    }
}

impl From<Message> for Arg {
    fn from(message: Message) -> Arg {
        Arg::Message(message)
    }
}

impl From<Day> for Arg {
    fn from(day: Day) -> Arg {
        Arg::Day(day)
    }
}

impl From<Arc<Message>> for Arg {
    fn from(message: Arc<Message>) -> Arg {
        Arg::Shared(message)
    }
}

impl From<&str> for Arg {
    fn from(text: &str) -> Arg {
        Arg::Verbatim(Arc::from(text))
    }
}

impl From<String> for Arg {
    fn from(text: String) -> Arg {
        Arg::Verbatim(Arc::from(text))
    }
}

impl From<&String> for Arg {
    fn from(text: &String) -> Arg {
        Arg::Verbatim(Arc::from(text.as_str()))
    }
}

impl From<&Arc<str>> for Arg {
    fn from(text: &Arc<str>) -> Arg {
        Arg::Verbatim(text.clone())
    }
}

impl From<Minute> for Arg {
    fn from(minute: Minute) -> Arg {
        Arg::Minute(minute)
    }
}

// The model's own values in words: each a sentence of the catalogue, so a date
// span or a window reads in the reader's language wherever it is placed.

impl DatePrecision {
    pub fn message(self) -> Message {
        Message::new(match self {
            DatePrecision::Day => "date-precision-day",
            DatePrecision::Days => "date-precision-days",
            DatePrecision::Week => "date-precision-week",
            DatePrecision::Month => "date-precision-month",
            DatePrecision::Year => "date-precision-year",
        })
    }
}

impl DateSpan {
    /// The span as its `Display` writes it in English: one day, or both ends and how precise.
    pub fn message(&self) -> Message {
        if self.first == self.last {
            Message::new("date-span-one").with("first", self.first)
        } else {
            Message::new("date-span-range")
                .with("first", self.first)
                .with("last", self.last)
                .with("precision", self.precision.message())
        }
    }
}

impl Window {
    pub fn message(&self) -> Message {
        match (self.start, self.end) {
            (None, None) => Message::new("window-always"),
            (Some(s), None) => Message::new("window-from").with("start", s),
            (None, Some(e)) => Message::new("window-before").with("end", e),
            (Some(s), Some(e)) => Message::new("window-between")
                .with("start", s)
                .with("end", e),
        }
    }
}

impl Period {
    pub fn message(&self) -> Message {
        match (self.from, self.until) {
            (None, None) => Message::new("period-always"),
            (Some(a), None) => Message::new("period-from").with("from", a),
            (None, Some(b)) => Message::new("period-until").with("until", b),
            (Some(a), Some(b)) => Message::new("period-between")
                .with("from", a)
                .with("until", b),
        }
    }
}

impl LocationPrecision {
    pub fn message(self) -> Message {
        Message::new(match self {
            LocationPrecision::Exact => "location-precision-exact",
            LocationPrecision::Near => "location-precision-near",
            LocationPrecision::District => "location-precision-district",
            LocationPrecision::Province => "location-precision-province",
            LocationPrecision::Linear => "location-precision-linear",
            LocationPrecision::Country => "location-precision-country",
            LocationPrecision::Unknown => "location-precision-unknown",
        })
    }
}

impl Designation {
    pub fn message(self) -> Message {
        Message::new(match self {
            Designation::Covered => "designation-covered",
            Designation::Excluded => "designation-excluded",
            Designation::Outside => "designation-outside",
        })
    }
}
