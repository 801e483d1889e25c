//! Renderers: they present results, they decide nothing.
//!
//! * [`text`] — the terminal report of `truce check` (plain text, optional bold);
//! * [`markdown`] — the same report as Markdown, for minutes and mail;
//! * [`json`] — the stable JSON document (`truce-check/2`);
//! * [`explain`] — the whole reason chain of one finding;
//! * [`diagnostics`] — located problems, underlined in their source, or as JSON;
//! * [`diff`] — what changed between two recorded check runs, and why.

pub mod diagnostics;
pub mod diff;
pub mod explain;
pub mod export;
pub mod geoparquet;
pub mod json;
pub mod markdown;
pub mod text;
pub mod timeline;

use truce_engine::{CheckResult, IncidentSummary, Status};
use truce_model::finding::{Certainty, Finding, Verdict};
use truce_model::report::Grade;

/// How many incidents the "most serious" section lists.
pub const SERIOUS_INCIDENTS: usize = 10;

/// Incidents ordered by seriousness: a certain violation first, then the likeliest, then deaths, then date.
pub fn most_serious(result: &CheckResult) -> Vec<(&IncidentSummary, Vec<&Finding>)> {
    let mut by_incident: std::collections::HashMap<&str, Vec<&Finding>> =
        std::collections::HashMap::new();
    for finding in &result.findings {
        if finding.verdict == Verdict::Violation {
            by_incident
                .entry(&*finding.incident)
                .or_default()
                .push(finding);
        }
    }
    let mut list: Vec<(&IncidentSummary, Vec<&Finding>)> = result
        .incidents
        .iter()
        // Reports the counting filter sets aside (a year's toll in one row) are
        // counted on their own line, not ranked against single events.
        .filter(|i| i.set_aside.is_none())
        .filter_map(|i| by_incident.get(i.id.as_str()).map(|f| (i, f.clone())))
        .collect();
    // Certain violations first; among possible ones the likelier first (a finding at 1% should
    // not top the list for its death toll); then by deaths, date and id.
    let confidence = |f: &[&Finding]| {
        f.iter()
            .map(|x| (x.confidence * 1000.0) as i64)
            .max()
            .unwrap_or(0)
    };
    list.sort_by(|(a, fa), (b, fb)| {
        let certain_a = fa.iter().any(|f| f.breach == Certainty::Certain);
        let certain_b = fb.iter().any(|f| f.breach == Certainty::Certain);
        let deaths_a = a.casualties.map_or(0, |c| c.best);
        let deaths_b = b.casualties.map_or(0, |c| c.best);
        // Among certain breaches the deaths decide (who acted may be unknown for all);
        // among possible ones the likelier first.
        let weight = |certain: bool, deaths: u32, f: &[&Finding]| {
            if certain {
                (i64::from(deaths), confidence(f))
            } else {
                (confidence(f), i64::from(deaths))
            }
        };
        certain_b
            .cmp(&certain_a)
            .then(weight(certain_b, deaths_b, fb).cmp(&weight(certain_a, deaths_a, fa)))
            .then(a.date.first.cmp(&b.date.first))
            .then(a.id.cmp(&b.id))
    });
    list.truncate(SERIOUS_INCIDENTS);
    list
}

/// The check a text or Markdown report shows: made without reasons, then with
/// the reasons of the incidents it shows ([`most_serious`]) and of no other.
/// The verdicts, counts and steps are those of [`truce_engine::check`], and so is
/// each shown finding's reason chain; the sentences of the hundreds of thousands
/// of findings a large check holds, which it would not show, are never built.
pub fn check_shown(input: &truce_engine::CheckInput<'_>) -> CheckResult {
    check_explaining_incidents(input, |result| {
        most_serious(result)
            .iter()
            .map(|(incident, _)| incident.id.clone())
            .collect()
    })
}

/// The check that `truce explain ID` shows: reasons for the incident of `id` (a
/// finding's, an incident's or a report's id) and no other.
pub fn check_explaining_id(input: &truce_engine::CheckInput<'_>, id: &str) -> CheckResult {
    check_explaining_incidents(input, |result| {
        let of_finding = result
            .findings
            .iter()
            .filter(|f| f.id == id)
            .map(|f| f.incident.to_string());
        let of_incident = result
            .incidents
            .iter()
            .filter(|i| i.id == id || i.reports.iter().any(|r| r == id))
            .map(|i| i.id.clone());
        of_finding.chain(of_incident).collect()
    })
}

/// A check without reasons, then with the reason chains of the incidents `choose`
/// picks from it (by id): the verdicts do not depend on the reasons, so choosing
/// after the check is sound.
fn check_explaining_incidents(
    input: &truce_engine::CheckInput<'_>,
    choose: impl FnOnce(&CheckResult) -> Vec<String>,
) -> CheckResult {
    let mut result = truce_engine::check_explaining(input, truce_engine::Explain::Nothing);
    let chosen: std::collections::HashSet<String> = choose(&result).into_iter().collect();
    let reports: std::collections::HashSet<String> = result
        .incidents
        .iter()
        .filter(|incident| chosen.contains(&incident.id))
        .flat_map(|incident| incident.reports.iter().cloned())
        .collect();
    if reports.is_empty() {
        return result;
    }
    let mut reasons: std::collections::HashMap<String, Vec<truce_model::finding::Reason>> =
        truce_engine::findings_explaining(input, truce_engine::Explain::Reports(&reports))
            .into_iter()
            .filter(|finding| !finding.reasons.is_empty())
            .map(|finding| (finding.id, finding.reasons))
            .collect();
    for finding in &mut result.findings {
        if let Some(chain) = reasons.remove(&finding.id) {
            finding.reasons = chain;
        }
    }
    result
}

/// How an incident's reports agree, in the words of the check's JSON (`grade`).
pub fn grade_word(grade: Grade) -> &'static str {
    match grade {
        Grade::SingleSource => "single-source",
        Grade::Corroborated => "corroborated",
        Grade::Contested => "contested",
    }
}

/// One violation finding in a line: whether the clause was broken, and by whom.
pub fn finding_line(finding: &Finding) -> String {
    let party = finding.party.as_deref().unwrap_or("no party");
    let guarantors = if finding.guarantors.is_empty() {
        String::new()
    } else {
        format!(", guaranteed by {}", finding.guarantors.join(", "))
    };
    match (finding.breach, finding.certainty) {
        (_, Certainty::Certain) => format!(
            "certain violation of {} by {} ({party}{guarantors})",
            finding.clause, finding.actor
        ),
        (Certainty::Certain, Certainty::Possible) => format!(
            "certain violation of {}; responsible: {} — the source does not say who acted (possibly {}, {party}{guarantors})",
            finding.clause,
            finding.responsible.join(" or "),
            finding.actor
        ),
        (Certainty::Possible, _) => format!(
            "possible violation of {} by {} ({party}{guarantors})",
            finding.clause, finding.actor
        ),
    }
}

pub(crate) fn status_mark(status: Status) -> &'static str {
    match status {
        Status::Met => "[met]",
        Status::NotMet => "[not met]",
        Status::Pending => "[pending]",
        Status::InsufficientEvidence => "[insufficient evidence]",
        Status::Locked => "[locked]",
    }
}

pub(crate) fn deaths(c: &truce_model::report::Casualties) -> String {
    if c.low == c.high {
        format!("{} killed", c.best)
    } else {
        format!("{} killed ({}–{})", c.best, c.low, c.high)
    }
}

/// The clause text for a clause id, for quoting.
pub(crate) fn clause_text<'a>(result: &'a CheckResult, id: &str) -> &'a str {
    result
        .agreement
        .clauses
        .iter()
        .find(|c| c.id == id)
        .map_or("", |c| c.text.as_str())
}

/// What the exit code of `truce check` should be: 0 all clear, 1 violations or steps not met.
pub fn check_exit_code(result: &CheckResult) -> i32 {
    if result.all_clear() { 0 } else { 1 }
}
