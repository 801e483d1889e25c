//! `truce explain`: the whole reason chain of one finding, or every finding of an incident.

use crate::{clause_text, deaths};
use std::fmt::Write;
use truce_engine::CheckResult;
use truce_model::finding::{Certainty, Verdict};

/// Explains the finding with this id, or all findings of the incident with this id.
/// `None` when nothing has that id.
pub fn render(result: &CheckResult, id: &str) -> Option<String> {
    let findings: Vec<_> = result
        .findings
        .iter()
        .filter(|f| f.id == id || &*f.incident == id)
        .collect();
    if findings.is_empty() {
        return None;
    }
    let mut out = String::new();
    for finding in findings {
        let verdict = match finding.verdict {
            Verdict::Violation => "violation",
            Verdict::Allowed => "allowed (an exception applies)",
        };
        let _ = writeln!(out, "finding {}", finding.id);
        let _ = writeln!(
            out,
            "  verdict:     {} {verdict}, confidence {:.3}",
            finding.certainty.as_str(),
            finding.confidence
        );
        let _ = writeln!(
            out,
            "  clause:      {} — \"{}\"",
            finding.clause,
            clause_text(result, &finding.clause)
        );
        let _ = writeln!(
            out,
            "  responsible: actor {} ({})",
            finding.actor,
            finding
                .party
                .as_deref()
                .map_or("no party".to_string(), |p| format!("party {p}"))
        );
        if let Some(incident) = result.incidents.iter().find(|i| *i.id == *finding.incident) {
            let casualties = incident
                .casualties
                .as_ref()
                .map_or_else(String::new, |c| format!(", {}", deaths(c)));
            let _ = writeln!(
                out,
                "  incident:    {} on {}, {}, {} ({}){casualties}",
                incident.id, incident.date, incident.place, incident.kind, incident.kind_label
            );
            if let Some(summary) = &incident.summary {
                let _ = writeln!(out, "  source says: \"{summary}\"");
            }
            let grade = serde_json::to_value(incident.grade)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  reports:     {} ({grade}, {} independent source(s))",
                incident.reports.join(", "),
                incident.independent_sources
            );
        }
        let _ = writeln!(out, "  reasons (✓ certain, ? possible):");
        for (n, reason) in finding.reasons.iter().enumerate() {
            let mark = if reason.certainty == Certainty::Certain {
                "✓"
            } else {
                "?"
            };
            let link = serde_json::to_value(reason.link)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default();
            let _ = writeln!(out, "    {}. {mark} {link}: {}", n + 1, reason.text);
        }
        let _ = writeln!(out);
    }
    Some(out)
}
