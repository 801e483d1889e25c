//! Located problems: what was found, where, and what was expected.
//!
//! Analysis never stops at the first problem. Loaders and validators return
//! their result together with every [`Diagnostic`] they found; the edges render
//! them (underlined source for people, JSON for programs).

use serde::Serialize;
use std::fmt;
use std::ops::Range;

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// The family a problem belongs to: stable codes, documented in `docs/agreement-format.md`.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// The file is not valid TOML.
    TomlSyntax,
    /// A value has the wrong type (a string where a number was expected…).
    WrongType,
    /// A required field is absent.
    MissingField,
    /// A field the format does not know (often a typo).
    UnknownField,
    /// `format` is missing or names a version this truce does not read.
    UnsupportedFormat,
    /// Two items of the same list share an id.
    DuplicateId,
    /// A reference to an actor, party, zone, site, kind, clause, step or bracket that is not defined.
    UnknownReference,
    /// An id or value that does not follow the expected shape.
    InvalidValue,
    /// A file the agreement names cannot be read.
    FileNotFound,
    /// A referenced file is unreadable as the format it should be in.
    BadReferencedFile,
    /// The selected GeoJSON feature or administrative unit is not in the file.
    FeatureNotFound,
    /// A polygon ring that is not closed, too short, or self-intersecting.
    InvalidPolygon,
    /// A step depends on itself, on a later step, or on an unknown step.
    BadDependency,
    /// A bracket with fewer than two alternatives, or duplicated alternatives.
    BadBracket,
    /// Two periods of the same actor's designation or party overlap.
    OverlappingPeriods,
    /// A start after its end.
    DatesOutOfOrder,
    /// Two actors answer to the same name at the same time.
    AmbiguousAlias,
    /// An evidence row that could not be read was set aside (quarantined).
    QuarantinedRow,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::TomlSyntax => "toml-syntax",
            Code::WrongType => "wrong-type",
            Code::MissingField => "missing-field",
            Code::UnknownField => "unknown-field",
            Code::UnsupportedFormat => "unsupported-format",
            Code::DuplicateId => "duplicate-id",
            Code::UnknownReference => "unknown-reference",
            Code::InvalidValue => "invalid-value",
            Code::FileNotFound => "file-not-found",
            Code::BadReferencedFile => "bad-referenced-file",
            Code::FeatureNotFound => "feature-not-found",
            Code::InvalidPolygon => "invalid-polygon",
            Code::BadDependency => "bad-dependency",
            Code::BadBracket => "bad-bracket",
            Code::OverlappingPeriods => "overlapping-periods",
            Code::DatesOutOfOrder => "dates-out-of-order",
            Code::AmbiguousAlias => "ambiguous-alias",
            Code::QuarantinedRow => "quarantined-row",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem, located in a file.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    /// One lowercase sentence, no trailing period: what is wrong.
    pub message: String,
    /// The file the problem is in, as the user named it.
    pub file: String,
    /// 1-based line and column of the start of the span, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Byte range in `file`, when the problem is in the agreement file itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Range<usize>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: String::new(),
            line: None,
            column: None,
            span: None,
            found: None,
            expected: None,
            hint: None,
        }
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn with_found(mut self, found: impl Into<String>) -> Self {
        self.found = Some(found.into());
        self
    }

    pub fn with_expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn found(&mut self, found: impl Into<String>) -> &mut Self {
        self.found = Some(found.into());
        self
    }

    pub fn expected(&mut self, expected: impl Into<String>) -> &mut Self {
        self.expected = Some(expected.into());
        self
    }

    pub fn hint(&mut self, hint: impl Into<String>) -> &mut Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn at_line(mut self, file: impl Into<String>, line: usize) -> Self {
        self.file = file.into();
        self.line = Some(line);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}[{}]: {}", self.code, self.message)?;
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, " ({}:{line}:{column})", self.file)?,
            (Some(line), None) => write!(f, " ({}:{line})", self.file)?,
            _ if !self.file.is_empty() => write!(f, " ({})", self.file)?,
            _ => {}
        }
        if let Some(found) = &self.found {
            write!(f, "; found {found}")?;
        }
        if let Some(expected) = &self.expected {
            write!(f, "; expected {expected}")?;
        }
        Ok(())
    }
}

/// 1-based line and column (in characters) of a byte offset in `source`.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let mut line = 1;
    let mut line_start = 0;
    for (i, b) in source.as_bytes()[..offset].iter().enumerate() {
        if *b == b'\n' {
            line += 1;
            line_start = i + 1;
        }
    }
    let column = source
        .get(line_start..offset)
        .map_or(1, |s| s.chars().count() + 1);
    (line, column)
}
