//! truce JSON Lines: one serialised [`Report`] per non-blank line.
//!
//! The format truce writes its normalised reports in, so they can be read back
//! (or produced by other tools) without a source-specific reader. Each report
//! keeps its own provenance. A line that is not a report, or whose dates or
//! point are impossible, is quarantined with serde's message and its line.

use crate::ImportOptions;
use crate::error::{IngestError, RowProblem};
use std::io::{BufRead, BufReader, Read};
use truce_model::report::Report;

/// Reads a whole JSON Lines file.
pub(crate) fn import<R: Read>(
    file: &str,
    input: R,
    options: &ImportOptions,
    sink: &mut dyn crate::Sink,
) -> Result<u64, IngestError> {
    for_each_line(file, input, |line, text| {
        let text = match text {
            Ok(text) => text,
            Err(reason) => return sink.quarantine(RowProblem::row(file, line, reason)),
        };
        match read_report(file, line, text) {
            Ok(mut report) => {
                if !options.keep_raw {
                    report.provenance.raw = Vec::new();
                }
                sink.report(report);
            }
            Err(problem) => sink.quarantine(problem),
        }
    })
}

/// Calls `row` with each non-blank line of a JSON Lines file (its 1-based line
/// number and its trimmed text; a byte-order mark on the first line is dropped),
/// or with the reason a line too long to read was set aside
/// ([`crate::line_cap`]); returns how many rows there were. A line that is not
/// UTF-8 stops the file, named.
pub(crate) fn for_each_line<R: Read>(
    file: &str,
    input: R,
    mut row: impl FnMut(u64, Result<&str, String>),
) -> Result<u64, IngestError> {
    let mut reader = BufReader::with_capacity(1 << 16, input);
    let mut rows_read: u64 = 0;
    let mut buffer = Vec::new();
    let mut line: u64 = 0;
    loop {
        buffer.clear();
        let n = reader
            .read_until(b'\n', &mut buffer)
            .map_err(|source| IngestError::Read {
                file: file.to_string(),
                source,
            })?;
        if n == 0 {
            break;
        }
        line += 1;
        let bytes = if line == 1 {
            crate::detect::strip_bom(&buffer)
        } else {
            &buffer[..]
        };
        let text = std::str::from_utf8(bytes).map_err(|_| IngestError::NotUtf8 {
            file: file.to_string(),
            line,
        })?;
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        rows_read += 1;
        match crate::line_cap::cut_reason(text) {
            Some(reason) => row(line, Err(reason)),
            None => row(line, Ok(text)),
        }
    }
    Ok(rows_read)
}

fn read_report(file: &str, line: u64, text: &str) -> Result<Report, RowProblem> {
    let report: Report = serde_json::from_str(text).map_err(|e| {
        RowProblem::row(
            file,
            line,
            format!("expected a truce report as one JSON object: {e}"),
        )
    })?;
    if report.date.last < report.date.first {
        return Err(RowProblem::field(
            file,
            line,
            "date.last",
            &report.date.last.to_string(),
            format!(
                "expected a day on or after date.first ({})",
                report.date.first
            ),
        ));
    }
    if let Some(point) = report.location.point
        && !point.is_valid()
    {
        return Err(RowProblem::field(
            file,
            line,
            "location.point",
            &format!("{} {}", point.lon, point.lat),
            "expected a longitude between -180 and 180 and a latitude between -90 and 90",
        ));
    }
    if report.provenance.source_id.trim().is_empty() {
        return Err(RowProblem::field(
            file,
            line,
            "provenance.source_id",
            "",
            "expected the report's id in its source",
        ));
    }
    Ok(report)
}
