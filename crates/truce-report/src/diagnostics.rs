//! Located problems for people (the source line, underlined) and for programs (JSON).

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource,
    Severity as MietteSeverity,
};
use std::fmt::Write;
use truce_model::diagnostic::{Diagnostic, Severity};

/// Renders diagnostics with the source underlined. `source` is the text of the
/// agreement file named `file`; diagnostics in other files are shown by line.
pub fn render(diagnostics: &[Diagnostic], file: &str, source: &str, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_context_lines(1);
    let mut out = String::new();
    for d in diagnostics {
        let mut label = String::new();
        if let Some(found) = &d.found {
            let _ = write!(label, "found {found}");
        }
        if let Some(expected) = &d.expected {
            if !label.is_empty() {
                label.push_str("; ");
            }
            let _ = write!(label, "expected {expected}");
        }
        let mut diagnostic = MietteDiagnostic::new(d.message.clone())
            .with_code(format!("truce::{}", d.code))
            .with_severity(match d.severity {
                Severity::Error => MietteSeverity::Error,
                Severity::Warning => MietteSeverity::Warning,
            });
        if let Some(hint) = &d.hint {
            diagnostic = diagnostic.with_help(hint.clone());
        }
        match (&d.span, d.file == file) {
            (Some(span), true) => {
                let length = span
                    .end
                    .saturating_sub(span.start)
                    .max(1)
                    .min(source.len().saturating_sub(span.start).max(1));
                diagnostic = diagnostic.with_label(LabeledSpan::new(
                    Some(label),
                    span.start.min(source.len()),
                    length,
                ));
                let report = miette::Report::new(diagnostic)
                    .with_source_code(NamedSource::new(file, source.to_string()));
                if handler.render_report(&mut out, report.as_ref()).is_err() {
                    let _ = writeln!(out, "{d}");
                }
            }
            _ => {
                // Not in the agreement file (a CSV or GeoJSON it references): name the file and line.
                let place = match d.line {
                    Some(line) => format!("{}:{line}", d.file),
                    None => d.file.clone(),
                };
                let severity = if d.is_error() { "error" } else { "warning" };
                let _ = writeln!(out, "{severity}[{}]: {}\n  --> {place}", d.code, d.message);
                if !label.is_empty() {
                    let _ = writeln!(out, "  = {label}");
                }
                if let Some(hint) = &d.hint {
                    let _ = writeln!(out, "  help: {hint}");
                }
            }
        }
        out.push('\n');
    }
    out
}

/// The same diagnostics as a JSON array (stable field names, see `docs/agreement-format.md`).
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    match serde_json::to_string_pretty(diagnostics) {
        Ok(mut text) => {
            text.push('\n');
            text
        }
        Err(e) => format!("{{\"error\": \"cannot serialize diagnostics: {e}\"}}\n"),
    }
}
