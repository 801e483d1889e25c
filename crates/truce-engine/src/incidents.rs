//! From judged reports to judged incidents: reports that corroboration puts in one
//! incident pool their findings, so one strike reported five times is one violation
//! with five reports behind it.
//!
//! Each incident is represented by its most precisely located and dated report,
//! whose facts the step filters read. For each (clause, actor) the incident keeps
//! the strongest finding among its reports: a violation before an allowed act,
//! certain before possible, then the higher confidence.

use crate::corroborate::Clusters;
use crate::verify::{FindingKey, NO_PARTY};
use std::sync::Arc;
use truce_model::finding::{Certainty, Finding, Link, Reason, Verdict};
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

    /// How well an incident is corroborated (see `docs/corroboration.md`).
    pub fn grade(&self, reports: &[Report], findings: &[Finding], representative: usize) -> Grade {
        let members = &self.members[representative];
        let mut sources: Vec<&str> = members
            .iter()
            .map(|&i| reports[i].provenance.source.as_str())
            .collect();
        sources.sort_unstable();
        sources.dedup();
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
        } else if sources.len() > 1 {
            Grade::Corroborated
        } else {
            Grade::SingleSource
        }
    }
}

fn strength(f: &Finding) -> (bool, bool, i64) {
    (
        f.verdict == Verdict::Violation,
        f.certainty == Certainty::Certain,
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
    key_of: &dyn Fn(&Finding) -> FindingKey,
    explain: bool,
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
        for finding in &mut best {
            finding.id = format!("{incident_id}/{}/{}", finding.clause, finding.actor);
            if explain {
                finding.reasons.push(Reason {
                    link: Link::Evidence,
                    certainty: Certainty::Certain,
                    text: format!(
                        "one incident reported {} times ({}; sources: {}); this finding rests on the strongest of them",
                        ids.len(),
                        ids.join(", "),
                        sources.join(", ")
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
            let mut key = key_of(finding);
            key.incident = i as u32;
            keys.push(key);
        }
        out.extend(list);
        new_starts.push(out.len());
    }
    let _ = NO_PARTY;
    (out, keys, new_starts)
}
