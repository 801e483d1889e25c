//! From judged reports to judged incidents: reports that corroboration puts in one
//! incident pool their findings, so one strike reported five times is one violation
//! with five reports behind it.
//!
//! Each incident is represented by its most precisely located and dated report,
//! whose facts the step filters read. For each (clause, actor) the incident keeps
//! the strongest finding among its reports: a violation before an allowed act,
//! certain before possible, then the higher confidence.

use crate::corroborate::Clusters;
use crate::keys::{FindingKey, NO_PARTY};
use std::sync::Arc;
use truce_model::finding::{Certainty, Finding, Link, Reason, Verdict};
use truce_model::message::{Arg, Message};
use truce_model::report::{Grade, Report};

/// Which reports make each incident.
pub struct IncidentMap {
    /// For each report, the report that represents its incident.
    pub representative: Vec<usize>,
    /// For each representative report, every report of its incident (ascending); empty for the others.
    pub members: Vec<Vec<usize>>,
    pub count: usize,
}

impl IncidentMap {
    /// One incident per report.
    pub fn singletons(n: usize) -> IncidentMap {
        IncidentMap {
            representative: (0..n).collect(),
            members: (0..n).map(|i| vec![i]).collect(),
            count: n,
        }
    }

    pub fn from_clusters(reports: &[Report], clusters: &Clusters) -> IncidentMap {
        let n = reports.len();
        let mut groups: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, &root) in clusters.label.iter().enumerate().take(n) {
            groups[root as usize].push(i);
        }
        let mut representative = (0..n).collect::<Vec<usize>>();
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut count = 0;
        for group in groups.into_iter().filter(|g| !g.is_empty()) {
            count += 1;
            let best = group
                .iter()
                .copied()
                .min_by_key(|&i| (reports[i].location.precision, reports[i].date.days(), i))
                .unwrap_or(group[0]);
            for &i in &group {
                representative[i] = best;
            }
            members[best] = group;
        }
        IncidentMap {
            representative,
            members,
            count,
        }
    }

    /// How many independent sources an incident's reports come from (see
    /// `docs/corroboration.md`). A report's origin is the outlet of its first article
    /// when it names one (`reuters.com`), else its source (`ucdp-ged`); reports that
    /// share an article, a photo or video, or the same words (a summary of at least
    /// [`WIRE_TEXT_CHARS`] letters and digits, compared without case, blanks and
    /// punctuation: one wire story repeated by two outlets) count as one origin.
    pub fn independent_sources(&self, reports: &[Report], representative: usize) -> usize {
        let members = &self.members[representative];
        let origins: Vec<String> = members.iter().map(|&i| origin(&reports[i])).collect();
        let mut names: Vec<&str> = origins.iter().map(String::as_str).collect();
        names.sort_unstable();
        names.dedup();
        if names.len() <= 1 {
            return names.len();
        }
        let index_of = |origin: &str| names.binary_search(&origin).unwrap_or(0);
        let mut parent: Vec<usize> = (0..names.len()).collect();
        fn root(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        // Each piece of shared evidence joins the origins that carry it.
        let mut first_origin: std::collections::HashMap<String, usize> =
            std::collections::HashMap::new();
        for (&m, origin) in members.iter().zip(&origins) {
            let report = &reports[m];
            let here = index_of(origin);
            let shared = report
                .urls
                .iter()
                .map(|u| format!("url {}", crate::corroborate::url_key(u)))
                .chain(
                    report
                        .media
                        .iter()
                        .map(|h| format!("media {}", h.to_ascii_lowercase())),
                )
                .chain(wire_text(report).map(|t| format!("text {t}")));
            for key in shared {
                let there = *first_origin.entry(key).or_insert(here);
                let (a, b) = (root(&mut parent, here), root(&mut parent, there));
                if a != b {
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
        (0..names.len())
            .filter(|&i| root(&mut parent, i) == i)
            .count()
    }

    /// How well an incident is corroborated (see `docs/corroboration.md`).
    pub fn grade(&self, reports: &[Report], findings: &[Finding], representative: usize) -> Grade {
        let members = &self.members[representative];
        let independent = self.independent_sources(reports, representative);
        // Contested: reports that each say for certain who acted name different parties.
        let mut parties: Vec<&str> = findings
            .iter()
            .filter(|f| f.verdict == Verdict::Violation && f.certainty == Certainty::Certain)
            .filter_map(|f| f.party.as_deref())
            .collect();
        parties.sort_unstable();
        parties.dedup();
        if parties.len() > 1 && members.len() > 1 {
            Grade::Contested
        } else if independent > 1 {
            Grade::Corroborated
        } else {
            Grade::SingleSource
        }
    }
}

/// Fewest letters and digits a summary must have to be taken for a wire story when
/// two reports repeat it word for word: short texts ("Armed clash") repeat by chance.
pub const WIRE_TEXT_CHARS: usize = 40;

/// Where a report's words come from: the outlet of its first article, else its source.
fn origin(report: &Report) -> String {
    match report.urls.first() {
        Some(url) => {
            let outlet = crate::corroborate::url_outlet(url);
            if outlet.is_empty() {
                report.provenance.source.clone()
            } else {
                outlet
            }
        }
        None => report.provenance.source.clone(),
    }
}

/// A report's summary reduced to its lower-case letters and digits, when long
/// enough to identify a wire story.
fn wire_text(report: &Report) -> Option<String> {
    let text: String = report
        .summary
        .as_deref()?
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    (text.chars().count() >= WIRE_TEXT_CHARS).then_some(text)
}

fn strength(f: &Finding) -> (bool, bool, bool, i64) {
    (
        f.verdict == Verdict::Violation,
        f.certainty == Certainty::Certain,
        f.breach == Certainty::Certain,
        (f.confidence * 1000.0) as i64,
    )
}

/// Pools the findings of each incident's reports under its representative.
/// `findings[starts[i]..starts[i + 1]]` are report `i`'s; the result has the same shape,
/// with the findings of non-representative reports moved to their representative.
pub fn pool(
    reports: &[Report],
    map: &IncidentMap,
    findings: Vec<Finding>,
    starts: &[usize],
    key_of: &dyn Fn(&Finding, usize) -> FindingKey,
    explain: &dyn Fn(&Report) -> bool,
) -> (Vec<Finding>, Vec<FindingKey>, Vec<usize>) {
    let mut per_report: Vec<Vec<Finding>> = Vec::with_capacity(reports.len());
    let mut rest = findings.into_iter();
    for i in 0..reports.len() {
        let count = starts
            .get(i + 1)
            .copied()
            .unwrap_or(0)
            .saturating_sub(starts.get(i).copied().unwrap_or(0));
        per_report.push(rest.by_ref().take(count).collect());
    }
    let mut pooled: Vec<Vec<Finding>> = vec![Vec::new(); reports.len()];
    for (rep, members) in map.members.iter().enumerate() {
        if members.len() <= 1 {
            if let Some(&only) = members.first() {
                pooled[rep] = std::mem::take(&mut per_report[only]);
            }
            continue;
        }
        let incident_id: Arc<str> = Arc::from(reports[rep].id());
        let mut best: Vec<Finding> = Vec::new();
        for &m in members {
            for mut finding in std::mem::take(&mut per_report[m]) {
                match best
                    .iter_mut()
                    .find(|b| b.clause == finding.clause && b.actor == finding.actor)
                {
                    Some(existing) if strength(existing) >= strength(&finding) => {}
                    Some(existing) => {
                        finding.incident = incident_id.clone();
                        *existing = finding;
                    }
                    None => {
                        finding.incident = incident_id.clone();
                        best.push(finding);
                    }
                }
            }
        }
        let ids: Vec<String> = members.iter().map(|&m| reports[m].id()).collect();
        let mut sources: Vec<&str> = members
            .iter()
            .map(|&m| reports[m].provenance.source.as_str())
            .collect();
        sources.sort_unstable();
        sources.dedup();
        let explain = members.iter().any(|&m| explain(&reports[m]));
        for finding in &mut best {
            finding.id = format!("{incident_id}/{}/{}", finding.clause, finding.actor);
            if explain {
                finding.reasons.push(Reason {
                    link: Link::Evidence,
                    certainty: Certainty::Certain,
                    message: Arc::new(
                        Message::new("reason-evidence-pooled")
                            .with("times", Arg::number(ids.len()))
                            .with("reports", ids.join(", "))
                            .with("sources", sources.join(", ")),
                    ),
                });
            }
        }
        pooled[rep] = best;
    }
    let mut out = Vec::new();
    let mut keys = Vec::new();
    let mut new_starts = Vec::with_capacity(reports.len() + 1);
    new_starts.push(0);
    for (i, list) in pooled.into_iter().enumerate() {
        for finding in &list {
            let mut key = key_of(finding, i);
            key.incident = i as u32;
            keys.push(key);
        }
        out.extend(list);
        new_starts.push(out.len());
    }
    let _ = NO_PARTY;
    (out, keys, new_starts)
}
