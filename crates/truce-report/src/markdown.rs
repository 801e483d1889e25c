//! The check report as Markdown.

use crate::{clause_text, deaths, most_serious};
use std::fmt::Write;
use truce_engine::{CheckResult, Tally};
use truce_words::english;

fn escape(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn tally(out: &mut String, rows: &[Tally], label: &str) {
    let _ = writeln!(
        out,
        "| {label} | certain | certain + possible | allowed |\n|---|---:|---:|---:|"
    );
    for row in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            escape(&row.id),
            row.certain,
            row.certain_or_possible,
            row.allowed
        );
    }
}

/// Renders the whole report as Markdown, section by section.
pub fn render(result: &CheckResult) -> String {
    let mut out = String::new();
    write_header(&mut out, result);
    write_steps(&mut out, result);
    write_violations(&mut out, result);
    write_brackets(&mut out, result);
    write_entitlements(&mut out, result);
    write_most_serious(&mut out, result);
    write_unmatched_names(&mut out, result);
    out
}

/// The title, the day and the evidence read.
fn write_header(out: &mut String, result: &CheckResult) {
    let ev = &result.evidence;
    let _ = writeln!(
        out,
        "# {} (`{}`)\n",
        escape(&result.agreement.title),
        result.agreement.id
    );
    let _ = writeln!(
        out,
        "As of **{}**; evidence: {} reports{}. Counts are given on certain evidence only and counting possible violations too.\n",
        result.as_of,
        ev.reports,
        match (ev.first_day, ev.last_day) {
            (Some(a), Some(b)) => format!(" dated {a} to {b}"),
            _ => String::new(),
        }
    );
}

/// The steps table: status, window and the outcome on both bounds.
fn write_steps(out: &mut String, result: &CheckResult) {
    let _ = writeln!(
        out,
        "## Steps\n\n| step | status | window | on certain evidence | counting possible |\n|---|---|---|---|---|"
    );
    for s in &result.steps {
        let window = match (s.window_first, s.window_last) {
            (Some(a), Some(b)) => format!("{a} – {b}"),
            (Some(a), None) => format!("from {a}"),
            _ => "—".into(),
        };
        let _ = writeln!(
            out,
            "| `{}` {} | **{}** | {window} | {} | {} |",
            s.id,
            escape(&s.name),
            s.status.label(),
            escape(&english(&s.on_certain.explanation)),
            escape(&english(&s.with_possible.explanation))
        );
    }
}

/// Violations: in all, by party, by guarantor, by clause, and what the evidence filter set aside.
fn write_violations(out: &mut String, result: &CheckResult) {
    let ev = &result.evidence;
    let _ = writeln!(
        out,
        "\n## Violations (incidents)\n\n{} certain (the agreement was certainly broken, whoever did it), {} counting possible ones.",
        result.violations.certain, result.violations.certain_or_possible
    );
    let _ = writeln!(
        out,
        "\n## Violations by party (incidents; certain = certainly by that party)\n"
    );
    tally(out, &result.violations_by_party, "party");
    for g in &result.violations_by_guarantor {
        let _ = writeln!(
            out,
            "\nGuarantor `{}` answers for {}: {} certain, {} counting possible.",
            g.guarantor,
            g.guarantees.join(", "),
            g.certain,
            g.certain_or_possible
        );
    }
    let _ = writeln!(
        out,
        "\n## Violations by clause (incidents; certain = the clause was certainly broken)\n"
    );
    tally(out, &result.violations_by_clause, "clause");
    if !ev.set_aside.is_empty() {
        let _ = writeln!(out, "\n## Set aside from counts over days\n");
        for s in &ev.set_aside {
            let _ = writeln!(
                out,
                "- {} {}: {} with a violation, {} deaths ({}–{}); not counted on any day, in any zone or tally",
                s.reports,
                escape(&s.label),
                s.with_violations,
                s.deaths[1],
                s.deaths[0],
                s.deaths[2]
            );
        }
    }
}

/// Each bracket's alternatives.
fn write_brackets(out: &mut String, result: &CheckResult) {
    if !result.brackets.is_empty() {
        let _ = writeln!(out, "\n## Brackets\n");
        for b in &result.brackets {
            let _ = writeln!(
                out,
                "### `{}` — {}\n\n| alternative | steps | violations (certain / with possible) |\n|---|---|---|",
                b.id,
                escape(&b.text)
            );
            for a in &b.alternatives {
                let steps = a
                    .steps
                    .iter()
                    .map(|s| format!("`{}`: {}", s.id, escape(&english(&s.summary))))
                    .collect::<Vec<_>>()
                    .join("<br>");
                let working = if a.working { " (working)" } else { "" };
                let _ = writeln!(
                    out,
                    "| [{}]{working} | {steps} | {} / {} |",
                    a.value, a.violations.certain, a.violations.certain_or_possible
                );
            }
            let _ = writeln!(out);
        }
    }
}

/// The entitlements table.
fn write_entitlements(out: &mut String, result: &CheckResult) {
    if !result.entitlements.is_empty() {
        let _ = writeln!(
            out,
            "\n## Entitlements\n\n| entitlement | to | state | why |\n|---|---|---|---|"
        );
        for e in &result.entitlements {
            let _ = writeln!(
                out,
                "| `{}` {} | {} | {} | {} |",
                e.id,
                escape(&e.what),
                e.to,
                if e.releasable {
                    "releasable"
                } else {
                    "withheld"
                },
                escape(&english(&e.reason))
            );
        }
    }
}

/// The most serious incidents, with their findings' reasons.
fn write_most_serious(out: &mut String, result: &CheckResult) {
    let serious = most_serious(result);
    if !serious.is_empty() {
        let _ = writeln!(out, "\n## Most serious incidents\n");
        for (incident, findings) in serious {
            let casualties = incident
                .casualties
                .as_ref()
                .map_or_else(String::new, |c| format!(", {}", deaths(c)));
            let _ = writeln!(
                out,
                "- **{}**, {}, {}, `{}`{casualties}",
                incident.id,
                incident.date,
                escape(&incident.place),
                incident.kind
            );
            for f in findings.iter().take(3) {
                let _ = writeln!(
                    out,
                    "  - {}: “{}”",
                    escape(&crate::finding_line(f)),
                    escape(clause_text(result, &f.clause))
                );
                for r in &f.reasons {
                    let _ = writeln!(
                        out,
                        "    - {}: {}",
                        r.certainty.as_str(),
                        escape(&truce_words::english(&r.message))
                    );
                }
            }
        }
    }
}

/// Actor names that match no actor of the agreement.
fn write_unmatched_names(out: &mut String, result: &CheckResult) {
    let ev = &result.evidence;
    if !ev.unmatched_names.is_empty() {
        let _ = writeln!(out, "\n## Names not in the agreement\n");
        for n in &ev.unmatched_names {
            let _ = writeln!(out, "- “{}”: {} reports", escape(&n.name), n.reports);
        }
    }
}
