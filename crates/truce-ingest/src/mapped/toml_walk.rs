//! A typed walk over a spanned TOML tree that records every problem it meets.
//!
//! The same approach as the agreement loader in `truce-model` (whose helpers
//! are private to that crate): serde would stop at the first type error, and
//! the author of a mapping file wants every problem at once, each located, so
//! the file is parsed with `toml`'s recoverable parser into spanned values and
//! read through these helpers, which push a [`Diagnostic`] and carry on.

use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};
use truce_model::agreement::Located;
use truce_model::diagnostic::{Code, Diagnostic, line_column};

pub(crate) type Value<'i> = Spanned<DeValue<'i>>;

/// A table being read: its entries, its span (to blame when a required field
/// is missing) and its name for messages (`[date]`, `the mapping`).
#[derive(Copy, Clone)]
pub(crate) struct Table<'v, 'i> {
    pub(crate) entries: &'v DeTable<'i>,
    pub(crate) span: (usize, usize),
    pub(crate) what: &'static str,
    /// The dotted prefix of its keys in messages (`date.`; empty at the top).
    pub(crate) prefix: &'static str,
}

impl<'v, 'i> Table<'v, 'i> {
    pub(crate) fn get(&self, key: &str) -> Option<&'v Value<'i>> {
        self.entries.get(key)
    }

    /// The key as the author reads it in messages: `date.format`.
    pub(crate) fn path(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }
}

/// The words for a TOML value's type, in "found …" messages.
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

/// Records the problems of one file, located by byte span.
pub(crate) struct Walker<'s> {
    file: &'s str,
    source: &'s str,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl<'s> Walker<'s> {
    pub(crate) fn new(file: &'s str, source: &'s str) -> Self {
        Walker {
            file,
            source,
            diagnostics: Vec::new(),
        }
    }

    /// The 1-based line of a byte offset of the file.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        line_column(self.source, offset).0
    }

    /// Records a problem located at `span`; returns it to add found/expected/hint.
    pub(crate) fn push(
        &mut self,
        mut diagnostic: Diagnostic,
        span: Range<usize>,
    ) -> &mut Diagnostic {
        let span = span.start.min(self.source.len())..span.end.min(self.source.len());
        let (line, column) = line_column(self.source, span.start);
        diagnostic.file = self.file.to_string();
        diagnostic.line = Some(line);
        diagnostic.column = Some(column);
        diagnostic.span = Some(span);
        self.diagnostics.push(diagnostic);
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    pub(crate) fn error(
        &mut self,
        code: Code,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.push(Diagnostic::error(code, message), span)
    }

    pub(crate) fn warning(
        &mut self,
        code: Code,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.push(Diagnostic::warning(code, message), span)
    }

    pub(crate) fn wrong_type(&mut self, path: &str, value: &Value<'_>, expected: &str) {
        let found = type_name(value.get_ref());
        self.error(
            Code::WrongType,
            value.span(),
            format!("`{path}` has the wrong type"),
        )
        .found(found)
        .expected(expected);
    }

    /// Reports keys that are not in `allowed`, with a suggestion for near misses.
    pub(crate) fn check_keys(&mut self, table: Table<'_, '_>, allowed: &[&str]) {
        for (key, _) in table.entries.iter() {
            let name: &str = key.get_ref();
            if allowed.contains(&name) {
                continue;
            }
            let hint = closest(name, allowed).map(|s| format!("did you mean `{s}`?"));
            let d = self
                .error(
                    Code::UnknownField,
                    key.span(),
                    format!("unknown field `{name}` in {}", table.what),
                )
                .found(format!("`{name}`"))
                .expected(format!("one of {}", quoted_list(allowed)));
            d.hint = hint;
        }
    }

    /// A sub-table (`[date]`), or `None` (with a diagnostic when it is not a table).
    pub(crate) fn table<'v, 'i>(
        &mut self,
        parent: Table<'v, 'i>,
        key: &str,
        what: &'static str,
        prefix: &'static str,
    ) -> Option<Table<'v, 'i>> {
        let value = parent.get(key)?;
        match value.get_ref() {
            DeValue::Table(entries) => Some(Table {
                entries,
                span: (value.span().start, value.span().end),
                what,
                prefix,
            }),
            _ => {
                self.wrong_type(&parent.path(key), value, "a table");
                None
            }
        }
    }

    /// A missing required field, blamed on the start of its table.
    pub(crate) fn missing(&mut self, table: Table<'_, '_>, key: &str) {
        let start = table.span.0;
        let end = (start + 1).min(table.span.1.max(start + 1));
        self.error(
            Code::MissingField,
            start..end,
            format!("missing field `{key}` in {}", table.what),
        )
        .expected(format!("a `{key}` field"));
    }

    /// A string, or `None` with a diagnostic.
    pub(crate) fn string(&mut self, path: &str, value: &Value<'_>) -> Option<Located<String>> {
        match value.get_ref() {
            DeValue::String(s) => Some(Located {
                value: s.to_string(),
                span: value.span(),
            }),
            _ => {
                self.wrong_type(path, value, "a string");
                None
            }
        }
    }

    pub(crate) fn opt_string(
        &mut self,
        table: Table<'_, '_>,
        key: &str,
    ) -> Option<Located<String>> {
        let value = table.get(key)?;
        self.string(&table.path(key), value)
    }

    pub(crate) fn req_string(
        &mut self,
        table: Table<'_, '_>,
        key: &str,
    ) -> Option<Located<String>> {
        match table.get(key) {
            Some(value) => self.string(&table.path(key), value),
            None => {
                self.missing(table, key);
                None
            }
        }
    }

    /// An array of strings (a single string is taken as a list of one).
    pub(crate) fn string_list(&mut self, table: Table<'_, '_>, key: &str) -> Vec<Located<String>> {
        let Some(value) = table.get(key) else {
            return Vec::new();
        };
        let path = table.path(key);
        match value.get_ref() {
            DeValue::String(_) => self.string(&path, value).into_iter().collect(),
            DeValue::Array(items) => items
                .iter()
                .filter_map(|item| self.string(&path, item))
                .collect(),
            _ => {
                self.wrong_type(&path, value, "an array of strings");
                Vec::new()
            }
        }
    }
}

/// `` `a`, `b`, `c` ``.
pub(crate) fn quoted_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) use truce_model::names::closest;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_are_close_and_other_words_are_not() {
        let allowed = ["column", "format", "end_column"];
        assert_eq!(closest("colum", &allowed), Some("column"));
        assert_eq!(closest("fromat", &allowed), Some("format"));
        assert_eq!(closest("precision", &allowed), None);
        assert_eq!(truce_model::names::edit_distance("", "abc"), 3);
        assert_eq!(truce_model::names::edit_distance("حلب", "حلت"), 1);
    }
}
