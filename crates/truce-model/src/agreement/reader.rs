//! A typed walk over a spanned TOML tree that records every problem it meets.
//!
//! serde stops at the first type error; an agreement author wants all of them
//! at once, each underlined. So the loader parses with `toml`'s recoverable
//! parser into spanned values and reads fields through these helpers, which
//! push a [`Diagnostic`] and carry on instead of failing.

use crate::diagnostic::{Code, Diagnostic, line_column};
use crate::names::closest;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub(crate) type Value<'i> = Spanned<DeValue<'i>>;

/// A value with the byte range it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub span: Range<usize>,
}

pub(crate) struct Reader<'s> {
    pub file: &'s str,
    pub source: &'s str,
    pub diagnostics: Vec<Diagnostic>,
}

/// A table being read, with the span to blame when a required field is missing.
#[derive(Copy, Clone)]
pub(crate) struct Table<'v, 'i> {
    pub table: &'v DeTable<'i>,
    pub span: (usize, usize),
    /// What the table is, for messages: "actor `nusra`", "clause #3".
    pub what: &'v str,
}

impl<'v, 'i> Table<'v, 'i> {
    pub fn get(&self, key: &str) -> Option<&'v Value<'i>> {
        self.table.get(key)
    }

    pub fn span(&self) -> Range<usize> {
        self.span.0..self.span.1
    }
}

pub(crate) fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

impl<'s> Reader<'s> {
    pub fn new(file: &'s str, source: &'s str) -> Self {
        Reader {
            file,
            source,
            diagnostics: Vec::new(),
        }
    }

    /// Records a problem located at `span` in the agreement file.
    pub fn push(&mut self, mut diagnostic: Diagnostic, span: Range<usize>) {
        let (line, column) = line_column(self.source, span.start);
        diagnostic.file = self.file.to_string();
        diagnostic.line = Some(line);
        diagnostic.column = Some(column);
        diagnostic.span = Some(span);
        self.diagnostics.push(diagnostic);
    }

    pub fn error(
        &mut self,
        code: Code,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.push(Diagnostic::error(code, message), span);
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    pub fn wrong_type(&mut self, key: &str, value: &Value<'_>, expected: &str) {
        let found = type_name(value.get_ref());
        self.error(
            Code::WrongType,
            value.span(),
            format!("`{key}` has the wrong type"),
        )
        .found(found)
        .expected(expected);
    }

    /// Reports keys that are not in `allowed`, with a suggestion for near misses.
    pub fn check_keys(&mut self, table: Table<'_, '_>, allowed: &[&str]) {
        for (key, _) in table.table.iter() {
            let name: &str = key.get_ref();
            if allowed.contains(&name) {
                continue;
            }
            let suggestion = closest(name, allowed);
            let message = format!("unknown field `{name}` in {}", table.what);
            let d = self
                .error(Code::UnknownField, key.span(), message)
                .found(format!("`{name}`"))
                .expected(format!(
                    "one of {}",
                    allowed
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            if let Some(s) = suggestion {
                d.hint = Some(format!("did you mean `{s}`?"));
            }
        }
    }

    pub fn as_table<'v, 'i>(
        &mut self,
        value: &'v Value<'i>,
        key: &str,
        what: &'v str,
    ) -> Option<Table<'v, 'i>> {
        match value.get_ref() {
            DeValue::Table(table) => Some(Table {
                table,
                span: (value.span().start, value.span().end),
                what,
            }),
            _ => {
                self.wrong_type(key, value, "a table");
                None
            }
        }
    }

    /// An array of tables (`[[actor]]`), or nothing when the key is absent.
    pub fn array_of_tables<'v, 'i>(
        &mut self,
        parent: Table<'v, 'i>,
        key: &str,
    ) -> Vec<(&'v Value<'i>, usize)> {
        let Some(value) = parent.get(key) else {
            return Vec::new();
        };
        match value.get_ref() {
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    if matches!(item.get_ref(), DeValue::Table(_)) {
                        out.push((item, i));
                    } else {
                        self.wrong_type(key, item, "a table");
                    }
                }
                out
            }
            DeValue::Table(_) => vec![(value, 0)],
            _ => {
                self.wrong_type(key, value, "an array of tables");
                Vec::new()
            }
        }
    }

    pub fn required<'v, 'i>(&mut self, table: Table<'v, 'i>, key: &str) -> Option<&'v Value<'i>> {
        let value = table.get(key);
        if value.is_none() {
            let span = table.span();
            // Point at the start of the table only, to keep the underline readable.
            let span = span.start..(span.start + 1).min(span.end.max(span.start + 1));
            self.error(
                Code::MissingField,
                span,
                format!("missing field `{key}` in {}", table.what),
            )
            .expected(format!("a `{key}` field"));
        }
        value
    }

    pub fn string(&mut self, key: &str, value: &Value<'_>) -> Option<Located<String>> {
        match value.get_ref() {
            DeValue::String(s) => Some(Located {
                value: s.to_string(),
                span: value.span(),
            }),
            _ => {
                self.wrong_type(key, value, "a string");
                None
            }
        }
    }

    pub fn opt_string(&mut self, table: Table<'_, '_>, key: &str) -> Option<Located<String>> {
        table.get(key).and_then(|v| self.string(key, v))
    }

    pub fn req_string(&mut self, table: Table<'_, '_>, key: &str) -> Option<Located<String>> {
        self.required(table, key).and_then(|v| self.string(key, v))
    }

    /// A number (integer or float).
    pub fn number(&mut self, key: &str, value: &Value<'_>) -> Option<Located<f64>> {
        let number = match value.get_ref() {
            DeValue::Integer(i) => i
                .as_str()
                .replace('_', "")
                .parse::<i64>()
                .ok()
                .map(|n| n as f64),
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            _ => {
                self.wrong_type(key, value, "a number");
                return None;
            }
        };
        match number {
            Some(n) if n.is_finite() => Some(Located {
                value: n,
                span: value.span(),
            }),
            _ => {
                self.error(
                    Code::InvalidValue,
                    value.span(),
                    format!("`{key}` is not a finite number"),
                )
                .expected("a finite decimal number");
                None
            }
        }
    }

    pub fn opt_number(&mut self, table: Table<'_, '_>, key: &str) -> Option<Located<f64>> {
        table.get(key).and_then(|v| self.number(key, v))
    }

    /// A whole number of at least `min`, or a located error.
    pub fn opt_whole(&mut self, table: Table<'_, '_>, key: &str, min: i64) -> Option<Located<i64>> {
        let n = self.opt_number(table, key)?;
        if n.value.fract() != 0.0 || n.value < min as f64 || n.value > i32::MAX as f64 {
            self.error(
                Code::InvalidValue,
                n.span,
                format!("`{key}` must be a whole number, {min} or more"),
            )
            .found(n.value.to_string())
            .expected(format!("{min}, {}, {}, …", min + 1, min + 2));
            return None;
        }
        Some(Located {
            value: n.value as i64,
            span: n.span,
        })
    }

    pub fn opt_bool(&mut self, table: Table<'_, '_>, key: &str) -> Option<Located<bool>> {
        let value = table.get(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(Located {
                value: *b,
                span: value.span(),
            }),
            _ => {
                self.wrong_type(key, value, "true or false");
                None
            }
        }
    }

    /// A string or an array of strings.
    pub fn string_list(&mut self, table: Table<'_, '_>, key: &str) -> Vec<Located<String>> {
        let Some(value) = table.get(key) else {
            return Vec::new();
        };
        match value.get_ref() {
            DeValue::String(s) => vec![Located {
                value: s.to_string(),
                span: value.span(),
            }],
            DeValue::Array(items) if items.is_empty() && key != "requires" => {
                // An empty list would silently mean "nothing" (or "everything"): make the author say which.
                self.error(
                    Code::InvalidValue,
                    value.span(),
                    format!("`{key}` is an empty list"),
                )
                .expected(format!(
                    "at least one value; leave `{key}` out to take its default"
                ));
                Vec::new()
            }
            DeValue::Array(items) => items
                .iter()
                .filter_map(|item| self.string(key, item))
                .collect(),
            _ => {
                self.wrong_type(key, value, "a string or an array of strings");
                Vec::new()
            }
        }
    }
}
