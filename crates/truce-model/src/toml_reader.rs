//! A typed walk over a spanned TOML tree that records every problem it meets.
//!
//! serde stops at the first type error; the author of an agreement or of a
//! mapping file (truce-ingest's `mapped/`) wants all of them at once, each
//! underlined. So both loaders parse with `toml`'s recoverable parser into
//! spanned values and read fields through this [`Reader`], which pushes a
//! [`Diagnostic`] and carries on instead of failing.

use crate::diagnostic::{Code, Diagnostic, line_column};
use crate::names::closest;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A TOML value with the byte range it came from.
pub type Value<'i> = Spanned<DeValue<'i>>;

/// A value with the byte range it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub span: Range<usize>,
}

/// A table being read: its entries, its span (to blame when a required field
/// is missing) and its name for messages.
#[derive(Copy, Clone)]
pub struct Table<'v, 'i> {
    pub entries: &'v DeTable<'i>,
    pub span: (usize, usize),
    /// What the table is, for messages: "actor `nusra`", "clause #3", "`[date]`".
    pub what: &'v str,
    /// The dotted prefix of its keys in messages (`date.`; empty at the top and
    /// wherever the table's name already says where the key is).
    pub prefix: &'v str,
}

impl<'v, 'i> Table<'v, 'i> {
    /// A table whose keys are named bare in messages.
    pub fn new(entries: &'v DeTable<'i>, span: Range<usize>, what: &'v str) -> Self {
        Table {
            entries,
            span: (span.start, span.end),
            what,
            prefix: "",
        }
    }

    /// The whole file as a table.
    pub fn root(root: &'v Spanned<DeTable<'i>>, what: &'v str) -> Self {
        Table::new(root.get_ref(), root.span(), what)
    }

    pub fn get(&self, key: &str) -> Option<&'v Value<'i>> {
        self.entries.get(key)
    }

    pub fn span(&self) -> Range<usize> {
        self.span.0..self.span.1
    }

    /// The key as the author reads it in messages: `date.format`.
    pub fn path(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }
}

/// The words for a TOML value's type, in "found …" messages.
pub fn type_name(value: &DeValue<'_>) -> &'static str {
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

/// `` `a`, `b`, `c` ``.
pub fn quoted_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Records the problems of one file, located by byte span.
pub struct Reader<'s> {
    file: &'s str,
    source: &'s str,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'s> Reader<'s> {
    pub fn new(file: &'s str, source: &'s str) -> Self {
        Reader {
            file,
            source,
            diagnostics: Vec::new(),
        }
    }

    /// The text of the file being read.
    pub fn source(&self) -> &'s str {
        self.source
    }

    /// Parses the whole file, recording each syntax error. The parser recovers,
    /// so what it could read is still walked and its problems reported too.
    pub fn parse(&mut self) -> Spanned<DeTable<'s>> {
        let (root, errors) = DeTable::parse_recoverable(self.source);
        for error in errors {
            let span = error.span().unwrap_or(0..0);
            let message = error.message().trim().to_string();
            self.error(Code::TomlSyntax, span, format!("invalid TOML: {message}"))
                .expected("valid TOML 1.0");
        }
        root
    }

    /// Checks the file's top-level `format = N`, which every truce TOML file starts
    /// with so that a file written for a newer truce is refused, not misread.
    /// `what` names the kind of file in the messages ("agreement", "mapping").
    pub fn format_version(&mut self, root: Table<'_, '_>, version: i64, what: &str) {
        let expected = format!("`format = {version}`");
        let Some(value) = root.get("format") else {
            self.error(
                Code::UnsupportedFormat,
                0..0,
                format!("missing `format` at the top of the {what}"),
            )
            .expected(expected);
            return;
        };
        let found = match value.get_ref() {
            DeValue::Integer(i) if i.as_str() == version.to_string() => return,
            DeValue::Integer(i) => i.as_str().to_string(),
            other => type_name(other).to_string(),
        };
        self.error(
            Code::UnsupportedFormat,
            value.span(),
            format!("unsupported {what} format"),
        )
        .found(found)
        .expected(expected)
        .hint(format!(
            "this truce reads {what} format {version}; a newer file needs a newer truce"
        ));
    }

    /// The 1-based line of a byte offset of the file.
    pub fn line_of(&self, offset: usize) -> usize {
        line_column(self.source, offset).0
    }

    /// Records a problem located at `span`; returns it to add found/expected/hint.
    pub fn push(&mut self, mut diagnostic: Diagnostic, span: Range<usize>) -> &mut Diagnostic {
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

    pub fn error(
        &mut self,
        code: Code,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.push(Diagnostic::error(code, message), span)
    }

    pub fn warning(
        &mut self,
        code: Code,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.push(Diagnostic::warning(code, message), span)
    }

    pub fn wrong_type(&mut self, path: &str, value: &Value<'_>, expected: &str) {
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
    pub fn check_keys(&mut self, table: Table<'_, '_>, allowed: &[&str]) {
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

    /// A value read as a table named `what`, or `None` with a diagnostic.
    pub fn as_table<'v, 'i>(
        &mut self,
        value: &'v Value<'i>,
        path: &str,
        what: &'v str,
    ) -> Option<Table<'v, 'i>> {
        match value.get_ref() {
            DeValue::Table(entries) => Some(Table::new(entries, value.span(), what)),
            _ => {
                self.wrong_type(path, value, "a table");
                None
            }
        }
    }

    /// A sub-table (`[date]`) whose keys are named with `prefix` in messages, or
    /// `None` (with a diagnostic when it is not a table).
    pub fn table<'v, 'i>(
        &mut self,
        parent: Table<'v, 'i>,
        key: &str,
        what: &'v str,
        prefix: &'v str,
    ) -> Option<Table<'v, 'i>> {
        let value = parent.get(key)?;
        let table = self.as_table(value, &parent.path(key), what)?;
        Some(Table { prefix, ..table })
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
        let path = parent.path(key);
        match value.get_ref() {
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    if matches!(item.get_ref(), DeValue::Table(_)) {
                        out.push((item, i));
                    } else {
                        self.wrong_type(&path, item, "a table");
                    }
                }
                out
            }
            DeValue::Table(_) => vec![(value, 0)],
            _ => {
                self.wrong_type(&path, value, "an array of tables");
                Vec::new()
            }
        }
    }

    /// A missing required field, blamed on the start of its table only, to keep
    /// the underline readable.
    pub fn missing(&mut self, table: Table<'_, '_>, key: &str) {
        let start = table.span.0;
        let end = (start + 1).min(table.span.1.max(start + 1));
        self.error(
            Code::MissingField,
            start..end,
            format!("missing field `{key}` in {}", table.what),
        )
        .expected(format!("a `{key}` field"));
    }

    /// A required field, or `None` with a diagnostic when it is missing.
    pub fn required<'v, 'i>(&mut self, table: Table<'v, 'i>, key: &str) -> Option<&'v Value<'i>> {
        let value = table.get(key);
        if value.is_none() {
            self.missing(table, key);
        }
        value
    }

    /// A string, or `None` with a diagnostic.
    pub fn string(&mut self, path: &str, value: &Value<'_>) -> Option<Located<String>> {
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

    pub fn opt_string(&mut self, table: Table<'_, '_>, key: &str) -> Option<Located<String>> {
        let value = table.get(key)?;
        self.string(&table.path(key), value)
    }

    pub fn req_string(&mut self, table: Table<'_, '_>, key: &str) -> Option<Located<String>> {
        let value = self.required(table, key)?;
        self.string(&table.path(key), value)
    }

    /// A string or an array of strings (a single string is taken as a list of
    /// one); a value of another type is reported as not being `expected`.
    pub fn string_list(
        &mut self,
        table: Table<'_, '_>,
        key: &str,
        expected: &str,
    ) -> Vec<Located<String>> {
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
                self.wrong_type(&path, value, expected);
                Vec::new()
            }
        }
    }

    /// A number (integer or float).
    pub fn number(&mut self, path: &str, value: &Value<'_>) -> Option<Located<f64>> {
        let number = match value.get_ref() {
            DeValue::Integer(i) => i
                .as_str()
                .replace('_', "")
                .parse::<i64>()
                .ok()
                .map(|n| n as f64),
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            _ => {
                self.wrong_type(path, value, "a number");
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
                    format!("`{path}` is not a finite number"),
                )
                .expected("a finite decimal number");
                None
            }
        }
    }

    pub fn opt_number(&mut self, table: Table<'_, '_>, key: &str) -> Option<Located<f64>> {
        let value = table.get(key)?;
        self.number(&table.path(key), value)
    }

    /// A whole number of at least `min`, or a located error.
    pub fn opt_whole(&mut self, table: Table<'_, '_>, key: &str, min: i64) -> Option<Located<i64>> {
        let n = self.opt_number(table, key)?;
        if n.value.fract() != 0.0 || n.value < min as f64 || n.value > i32::MAX as f64 {
            self.error(
                Code::InvalidValue,
                n.span,
                format!(
                    "`{}` must be a whole number, {min} or more",
                    table.path(key)
                ),
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
                self.wrong_type(&table.path(key), value, "true or false");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_are_close_and_other_words_are_not() {
        let allowed = ["column", "format", "end_column"];
        assert_eq!(closest("colum", &allowed), Some("column"));
        assert_eq!(closest("fromat", &allowed), Some("format"));
        assert_eq!(closest("precision", &allowed), None);
        assert_eq!(crate::names::edit_distance("", "abc"), 3);
        assert_eq!(crate::names::edit_distance("حلب", "حلت"), 1);
    }
}
