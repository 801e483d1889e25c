//! The terminal report of `truce check`.

use crate::{clause_text, deaths, most_serious, status_mark};
use std::fmt::Write;
use truce_engine::{CheckResult, Status, Tally};
use truce_model::finding::Certainty;
use truce_words::english;

/// Presentation options.
#[derive(Clone, Debug, Default)]
pub struct TextOptions {
    /// Use bold for headings (only on a terminal, and never with `NO_COLOR`).
    pub bold: bool,
}

fn heading(out: &mut String, options: &TextOptions, text: &str) {
    if options.bold {
        let _ = writeln!(out, "\n\x1b[1m{text}\x1b[0m");
    } else {
        let _ = writeln!(out, "\n{text}");
    }
}

fn tally_table(out: &mut String, rows: &[Tally], label: &str) {
    let width = rows
        .iter()
        .map(|r| r.id.len())
        .max()
        .unwrap_or(0)
        .max(label.len());
    let _ = writeln!(
        out,
        "  {label:<width$}  {:>8}  {:>17}  {:>8}",
        "certain", "certain+possible", "allowed"
    );
    for row in rows {
        let _ = writeln!(
            out,
            "  {:<width$}  {:>8}  {:>17}  {:>8}",
            row.id, row.certain, row.certain_or_possible, row.allowed
        );
    }
}

/// Renders the whole report, section by section.
pub fn render(result: &CheckResult, options: &TextOptions) -> String {
    let mut out = String::new();
    write_header(&mut out, result);
    write_steps(&mut out, result, options);
    write_violations(&mut out, result, options);
    write_brackets(&mut out, result, options);
    write_entitlements(&mut out, result, options);
    write_most_serious(&mut out, result, options);
    write_evidence_notes(&mut out, result, options);
    out
}

/// The title, the day and the evidence read.
fn write_header(out: &mut String, result: &CheckResult) {
    let _ = writeln!(
        out,
        "truce check: {} [{}]",
        result.agreement.title, result.agreement.id
    );
    let ev = &result.evidence;
    let sources = ev
        .by_source
        .iter()
        .map(|s| format!("{} {}", s.name, s.reports))
        .collect::<Vec<_>>()
        .join(", ");
    let span = match (ev.first_day, ev.last_day) {
        (Some(a), Some(b)) => format!(", {a} .. {b}"),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "as of {} · evidence: {} reports ({sources}){span}",
        result.as_of, ev.reports
    );
    if ev.after_as_of > 0 {
        let _ = writeln!(
            out,
            "{} later report(s) not seen: the check sees only what existed on {}",
            ev.after_as_of, result.as_of
        );
    }
    let _ = writeln!(
        out,
        "counts are given twice: on certain evidence only, and counting possible violations too"
    );
}

/// Each step: its status, window, summary and conditions on both bounds.
fn write_steps(out: &mut String, result: &CheckResult, options: &TextOptions) {
    heading(out, options, "STEPS");
    if result.steps.is_empty() {
        let _ = writeln!(out, "  (the agreement defines no steps)");
    }
    for step in &result.steps {
        let window = match (step.window_first, step.window_last) {
            (Some(a), Some(b)) => format!("window {a} .. {b}"),
            (Some(a), None) => format!("window from {a}"),
            _ => "window not open".into(),
        };
        let _ = writeln!(
            out,
            "  {:<24} {} — {}",
            status_mark(step.status),
            step.id,
            step.name
        );
        let _ = writeln!(out, "  {:<24} {window}", "");
        if !step.requires.is_empty() {
            let _ = writeln!(out, "  {:<24} after: {}", "", step.requires.join(", "));
        }
        let _ = writeln!(out, "  {:<24} {}", "", english(&step.summary));
        if step.status != Status::Locked {
            for condition in &step.conditions {
                let _ = writeln!(out, "  {:<24} · {}", "", english(&condition.description));
                let certain_status = if condition.on_certain.rests_on_nothing {
                    format!("{} (says nothing)", condition.on_certain.status.label())
                } else {
                    condition.on_certain.status.label().to_string()
                };
                let _ = writeln!(
                    out,
                    "  {:<24}     on certain evidence: {certain_status} — {}",
                    "",
                    english(&condition.on_certain.detail)
                );
                let _ = writeln!(
                    out,
                    "  {:<24}     counting possible:   {} — {}",
                    "",
                    condition.with_possible.status.label(),
                    english(&condition.with_possible.detail)
                );
            }
        }
    }
}

/// Violations: in all, by party, by guarantor, by clause, and what the evidence filter set aside.
fn write_violations(out: &mut String, result: &CheckResult, options: &TextOptions) {
    let ev = &result.evidence;
    heading(out, options, "VIOLATIONS (incidents)");
    let _ = writeln!(
        out,
        "  {} certain (the agreement was certainly broken, whoever did it), {} counting possible ones",
        result.violations.certain, result.violations.certain_or_possible
    );
    heading(
        out,
        options,
        "VIOLATIONS BY PARTY (incidents; certain = certainly by that party)",
    );
    tally_table(out, &result.violations_by_party, "party");
    if !result.violations_by_guarantor.is_empty() {
        heading(
            out,
            options,
            "GUARANTORS (violations by the parties each answers for)",
        );
        for g in &result.violations_by_guarantor {
            let _ = writeln!(
                out,
                "  {} for {}: {} certain, {} counting possible",
                g.guarantor,
                g.guarantees.join(", "),
                g.certain,
                g.certain_or_possible
            );
        }
    }
    heading(
        out,
        options,
        "VIOLATIONS BY CLAUSE (incidents; certain = the clause was certainly broken)",
    );
    tally_table(out, &result.violations_by_clause, "clause");
    if !ev.set_aside.is_empty() {
        heading(
            out,
            options,
            "SET ASIDE FROM COUNTS OVER DAYS (the agreement's [evidence] filter)",
        );
        for s in &ev.set_aside {
            let _ = writeln!(
                out,
                "  {} {}: {} with a violation, {} deaths ({}–{}); not counted on any day, in any zone or tally",
                s.reports, s.label, s.with_violations, s.deaths[1], s.deaths[0], s.deaths[2]
            );
        }
    }
}

/// Each bracket's alternatives and every combination of them.
fn write_brackets(out: &mut String, result: &CheckResult, options: &TextOptions) {
    if !result.brackets.is_empty() {
        heading(
            out,
            options,
            "BRACKETS (each alternative, others at their working value)",
        );
        for bracket in &result.brackets {
            let resolved = bracket
                .resolved
                .as_ref()
                .map_or_else(|| "unresolved".to_string(), |r| format!("resolved: {r}"));
            let _ = writeln!(out, "  {} — {} ({resolved})", bracket.id, bracket.text);
            for alternative in &bracket.alternatives {
                let working = if alternative.working {
                    " (working)"
                } else {
                    ""
                };
                let steps = alternative
                    .steps
                    .iter()
                    .map(|s| format!("{}: {}", s.id, english(&s.summary)))
                    .collect::<Vec<_>>()
                    .join("; ");
                let _ = writeln!(
                    out,
                    "    with [{}]{working}: violations {} certain / {} with possible; {steps}",
                    alternative.value,
                    alternative.violations.certain,
                    alternative.violations.certain_or_possible
                );
            }
        }
        if !result.combinations.is_empty() {
            let _ = writeln!(out, "  all combinations:");
            for combination in &result.combinations {
                let choice = combination
                    .choice
                    .iter()
                    .map(|(b, v)| format!("{b}=[{v}]"))
                    .collect::<Vec<_>>()
                    .join(" ");
                let steps = combination
                    .steps
                    .iter()
                    .map(|s| format!("{} {}", s.id, s.status.label()))
                    .collect::<Vec<_>>()
                    .join(", ");
                let _ = writeln!(out, "    {choice}: {steps}");
            }
        }
    }
}

/// Each entitlement: releasable or withheld, and why.
fn write_entitlements(out: &mut String, result: &CheckResult, options: &TextOptions) {
    if !result.entitlements.is_empty() {
        heading(out, options, "ENTITLEMENTS");
        for e in &result.entitlements {
            let state = if e.releasable {
                "releasable"
            } else {
                "withheld"
            };
            let _ = writeln!(out, "  {} → {}: {state} — {}", e.id, e.to, e.what);
            let _ = writeln!(out, "    {}", english(&e.reason));
        }
    }
}

/// The most serious incidents, with their findings' reason chains.
fn write_most_serious(out: &mut String, result: &CheckResult, options: &TextOptions) {
    let serious = most_serious(result);
    if !serious.is_empty() {
        heading(
            out,
            options,
            "MOST SERIOUS INCIDENTS (certain first, then the likeliest, then by deaths)",
        );
        for (incident, findings) in serious {
            let casualties = incident
                .casualties
                .as_ref()
                .map_or_else(String::new, |c| format!(" · {}", deaths(c)));
            let _ = writeln!(
                out,
                "  {} · {} · {} · {}{casualties}",
                incident.id, incident.date, incident.place, incident.kind
            );
            if let Some(summary) = &incident.summary {
                let _ = writeln!(out, "    \"{}\"", summary);
            }
            if incident.text_only {
                let _ = writeln!(
                    out,
                    "    read from text only (news or posts): no dataset or monitor has it yet"
                );
            }
            if incident.reports.len() > 1 {
                let grade = crate::grade_word(incident.grade);
                let _ = writeln!(
                    out,
                    "    {} reports ({grade}, {} independent source(s)): {}",
                    incident.reports.len(),
                    incident.independent_sources,
                    incident.reports.join(", ")
                );
            }
            for finding in findings.iter().take(3) {
                let _ = writeln!(
                    out,
                    "    {}, confidence {:.2}: \"{}\"",
                    crate::finding_line(finding),
                    finding.confidence,
                    clause_text(result, &finding.clause)
                );
                for reason in &finding.reasons {
                    let mark = if reason.certainty == Certainty::Certain {
                        "✓"
                    } else {
                        "?"
                    };
                    let _ = writeln!(
                        out,
                        "      {mark} {}",
                        truce_words::english(&reason.message)
                    );
                }
                let _ = writeln!(out, "      (truce explain … {})", finding.id);
            }
        }
    }
}

/// Names, kinds and diagnostics the check could not place.
fn write_evidence_notes(out: &mut String, result: &CheckResult, options: &TextOptions) {
    let ev = &result.evidence;
    let notes_needed = !ev.unmatched_names.is_empty()
        || !ev.ambiguous_names.is_empty()
        || !ev.unknown_kinds.is_empty()
        || !result.diagnostics.is_empty();
    if notes_needed {
        heading(out, options, "EVIDENCE NOTES");
        if !ev.unmatched_names.is_empty() {
            let names = ev
                .unmatched_names
                .iter()
                .take(12)
                .map(|n| format!("\"{}\" ({})", n.name, n.reports))
                .collect::<Vec<_>>()
                .join(", ");
            let _ = writeln!(
                out,
                "  actor names that match no actor of the agreement (reports): {names}"
            );
        }
        for a in &ev.ambiguous_names {
            let _ = writeln!(
                out,
                "  ambiguous name \"{}\" ({} reports): could be {}",
                a.name,
                a.reports,
                a.actors.join(" or ")
            );
        }
        for k in &ev.unknown_kinds {
            let _ = writeln!(
                out,
                "  kind `{}` is not in the taxonomy ({} reports): read as any event",
                k.name, k.reports
            );
        }
        for d in result.diagnostics.iter().take(20) {
            let _ = writeln!(out, "  {d}");
        }
        if result.diagnostics.len() > 20 {
            let _ = writeln!(
                out,
                "  … and {} more (see --format json)",
                result.diagnostics.len() - 20
            );
        }
    }
}
