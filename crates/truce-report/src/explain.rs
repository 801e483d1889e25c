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
            finding.breach.as_str(),
            finding.confidence
        );
        let _ = writeln!(
            out,
            "  clause:      {} — \"{}\"",
            finding.clause,
            clause_text(result, &finding.clause)
        );
        let party = finding
            .party
            .as_deref()
            .map_or("no party".to_string(), |p| format!("party {p}"));
        let responsible = match (finding.verdict, finding.certainty) {
            (Verdict::Allowed, _) => format!("actor {} ({party})", finding.actor),
            (_, Certainty::Certain) => format!("actor {} ({party}), certainly", finding.actor),
            (_, Certainty::Possible) if finding.responsible.len() > 1 => format!(
                "one of {} — the source does not say who acted; this finding reads actor {} ({party})",
                finding.responsible.join(", "),
                finding.actor
            ),
            (_, Certainty::Possible) => format!("possibly actor {} ({party})", finding.actor),
        };
        let _ = writeln!(out, "  responsible: {responsible}");
        if !finding.guarantors.is_empty() {
            let _ = writeln!(out, "  guarantors:  {}", finding.guarantors.join(", "));
        }
        if let Some(incident) = result.incidents.iter().find(|i| *i.id == *finding.incident) {
            let casualties = incident
                .casualties
                .as_ref()
                .map_or_else(String::new, |c| format!(", {}", deaths(c)));
            let place = if incident.place.trim().is_empty() {
                "place not named"
            } else {
                incident.place.as_str()
            };
            let _ = writeln!(
                out,
                "  incident:    {} on {}, {place}, {} ({}){casualties}",
                incident.id, incident.date, incident.kind, incident.kind_label
            );
            if let Some(reason) = incident.set_aside {
                let _ = writeln!(
                    out,
                    "  counted:     on no day or zone: {} (the agreement's [evidence] filter)",
                    reason.label()
                );
            }
            if let Some(summary) = &incident.summary {
                let _ = writeln!(out, "  source says: \"{summary}\"");
            }
            let grade = crate::grade_word(incident.grade);
            let _ = writeln!(
                out,
                "  reports:     {} ({grade}, {} independent source(s))",
                incident.reports.join(", "),
                incident.independent_sources
            );
            if incident.text_only {
                let _ = writeln!(
                    out,
                    "  evidence:    read from text only (news or posts): no dataset or monitor has it yet"
                );
            }
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
            let _ = writeln!(
                out,
                "    {}. {mark} {link}: {}",
                n + 1,
                truce_words::english(&reason.message)
            );
        }
        let _ = writeln!(out);
    }
    Some(out)
}

/// The words behind each field of a report read from text: the sentence with
/// every span marked (`[words]`, and on a terminal in reverse video too), then
/// each field with its words and bytes. Colour never carries the meaning alone.
pub fn render_text_evidence(report: &truce_model::report::Report, color: bool) -> Option<String> {
    let evidence = report.text.as_ref()?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "report {} read from text: {}{}, {}, confidence {}%",
        report.id(),
        evidence.document,
        evidence
            .published
            .as_deref()
            .map_or_else(String::new, |p| format!(" (published {p})")),
        evidence.lang,
        evidence.confidence
    );
    if let Some(title) = &evidence.title {
        let _ = writeln!(out, "  title: \"{title}\"");
    }
    // The sentence with the spans marked; spans are bytes of the document, the
    // excerpt starts at `excerpt_start`. Overlapping spans are marked once.
    let base = evidence.excerpt_start;
    let sentence = evidence.excerpt.as_str();
    let mut marked = String::new();
    let mut at = 0usize;
    let mut spans: Vec<&truce_model::report::TextSpan> = evidence.spans.iter().collect();
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    for span in &spans {
        let (Some(start), Some(end)) = (span.start.checked_sub(base), span.end.checked_sub(base))
        else {
            continue;
        };
        let (start, end) = (start as usize, end as usize);
        if start < at
            || end > sentence.len()
            || !sentence.is_char_boundary(start)
            || !sentence.is_char_boundary(end)
        {
            continue;
        }
        marked.push_str(&sentence[at..start]);
        if color {
            let _ = write!(marked, "\x1b[7m[{}]\x1b[0m", &sentence[start..end]);
        } else {
            let _ = write!(marked, "[{}]", &sentence[start..end]);
        }
        at = end;
    }
    marked.push_str(&sentence[at.min(sentence.len())..]);
    let _ = writeln!(out, "  sentence: {marked}");
    let _ = writeln!(out, "  the words behind each field:");
    for span in &spans {
        let words = span
            .start
            .checked_sub(base)
            .zip(span.end.checked_sub(base))
            .and_then(|(a, b)| sentence.get(a as usize..b as usize))
            .unwrap_or("?");
        let _ = writeln!(
            out,
            "    {:<9} \"{words}\" (bytes {}..{})",
            span.field, span.start, span.end
        );
    }
    let _ = writeln!(
        out,
        "  read as: {} on {}, {}{}",
        report.kind,
        if report.date.is_single_day() {
            report.date.first.to_string()
        } else {
            format!("{} to {}", report.date.first, report.date.last)
        },
        report.location.place.as_deref().unwrap_or("no place"),
        report
            .casualties
            .map_or_else(String::new, |c| format!(", {}", deaths(&c)))
    );
    for hedge in &evidence.hedges {
        let _ = writeln!(out, "  hedge: \"{hedge}\" lowers the confidence");
    }
    for note in &evidence.notes {
        let _ = writeln!(out, "  note: {note}");
    }
    Some(out)
}
