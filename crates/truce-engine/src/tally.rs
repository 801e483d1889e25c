//! Violations counted as incidents, per party, per clause, in all and per
//! guarantor, on both bounds; and the reports counts over days leave out.
//!
//! Per party, an incident counts as certain only when that party is certainly
//! responsible; per clause and in all, when the clause was certainly broken,
//! whoever did it ("Government of Syria v Syrian insurgents" under a clause both
//! sides are bound by). Reports the counting filter sets aside are counted on
//! their own line, never here.

use crate::facts::Facts;
use crate::keys::{FindingKey, NO_PARTY};
use crate::result::{GuarantorTally, SetAsideCount, Tally};
use truce_model::agreement::{Agreement, SetAside};
use truce_model::report::Report;

/// Which findings a tally takes: those of clauses in force under `choice`, from the
/// day each clause binds (`starts`, see `verify::ClauseStarts`), of incidents not set aside.
pub(crate) struct Scope<'a> {
    pub agreement: &'a Agreement,
    pub keys: &'a [FindingKey],
    pub choice: &'a [usize],
    pub starts: &'a [i32],
}

impl Scope<'_> {
    fn takes(&self, k: &FindingKey) -> bool {
        !k.set_aside
            && self
                .agreement
                .clause_in_force(k.clause as usize, self.choice)
            && k.first
                >= self
                    .starts
                    .get(k.clause as usize)
                    .copied()
                    .unwrap_or(i32::MIN)
    }
}

/// Counts incidents per key (`key` picks which: a party, a clause, or one for all),
/// each incident once per key at its strongest finding. `breach` says whether a
/// certain breach by an uncertain party counts as certain (per clause, in all) or
/// not (per party).
pub(crate) fn tally(
    scope: &Scope<'_>,
    key: impl Fn(&FindingKey) -> Option<usize>,
    breach: bool,
    names: Vec<String>,
) -> Vec<Tally> {
    let mut rows: Vec<(u64, u64, u64)> = vec![(0, 0, 0); names.len()];
    // Per incident: for each key, (strongest violation: 0 none, 1 possible, 2 certain; allowed?).
    let mut seen: Vec<(u8, bool)> = vec![(0, false); names.len()];
    let mut touched: Vec<usize> = Vec::new();
    let mut flush = |seen: &mut Vec<(u8, bool)>, touched: &mut Vec<usize>| {
        for slot in touched.drain(..) {
            let row = &mut rows[slot];
            match seen[slot] {
                (2, _) => {
                    row.0 += 1;
                    row.1 += 1;
                }
                (1, _) => row.1 += 1,
                (_, true) => row.2 += 1,
                _ => {}
            }
            seen[slot] = (0, false);
        }
    };
    // Keys come grouped by incident.
    let mut current = None;
    for k in scope.keys {
        if current != Some(k.incident) {
            flush(&mut seen, &mut touched);
            current = Some(k.incident);
        }
        if !scope.takes(k) {
            continue;
        }
        let Some(slot) = key(k).filter(|s| *s < names.len()) else {
            continue;
        };
        if seen[slot] == (0, false) {
            touched.push(slot);
        }
        if k.violation {
            let certain = k.certain || (breach && k.breach_certain);
            seen[slot].0 = seen[slot].0.max(if certain { 2 } else { 1 });
        } else {
            seen[slot].1 = true;
        }
    }
    flush(&mut seen, &mut touched);
    names
        .into_iter()
        .zip(rows)
        .map(|(id, (certain, certain_or_possible, allowed))| Tally {
            id,
            certain,
            certain_or_possible,
            allowed,
        })
        .collect()
}

pub(crate) fn party_of(k: &FindingKey) -> Option<usize> {
    (k.party != NO_PARTY).then_some(k.party as usize)
}

/// For each guarantor: incidents certainly by one of the parties it answers for (a
/// certain breach whose every candidate is one of them), or possibly.
pub(crate) fn guarantors(scope: &Scope<'_>) -> Vec<GuarantorTally> {
    let agreement = scope.agreement;
    agreement
        .parties
        .iter()
        .filter(|g| !g.guarantees.is_empty())
        .map(|g| {
            let wanted = crate::keys::party_mask(&g.guarantees);
            let answers_for =
                |k: &FindingKey| party_of(k).is_some_and(|p| g.guarantees.contains(&p));
            let mut certain = 0;
            let mut possible = 0;
            let mut i = 0;
            let keys = scope.keys;
            while i < keys.len() {
                let incident = keys[i].incident;
                let mut strongest = 0u8;
                while i < keys.len() && keys[i].incident == incident {
                    let k = &keys[i];
                    i += 1;
                    if !k.violation || !scope.takes(k) || !answers_for(k) {
                        continue;
                    }
                    let sure = k.certain
                        || (k.breach_certain && crate::keys::within(k.responsible, wanted));
                    strongest = strongest.max(if sure { 2 } else { 1 });
                }
                if strongest == 2 {
                    certain += 1;
                }
                if strongest >= 1 {
                    possible += 1;
                }
            }
            GuarantorTally {
                guarantor: g.id.clone(),
                guarantees: g
                    .guarantees
                    .iter()
                    .map(|&p| agreement.parties[p].id.clone())
                    .collect(),
                certain,
                certain_or_possible: possible,
            }
        })
        .collect()
}

/// The reports counts over days leave out, by reason, with their deaths: one pass.
pub(crate) fn set_aside(
    reports: &[Report],
    facts: &[Facts],
    keys: &[FindingKey],
) -> Vec<SetAsideCount> {
    let mut counts: Vec<SetAsideCount> = SetAside::ALL
        .iter()
        .map(|&reason| SetAsideCount {
            reason,
            label: reason.label().to_string(),
            reports: 0,
            with_violations: 0,
            deaths: [0; 3],
        })
        .collect();
    let slot = |reason: SetAside| SetAside::ALL.iter().position(|r| *r == reason).unwrap_or(0);
    for (report, fact) in reports.iter().zip(facts) {
        let Some(reason) = fact.set_aside else {
            continue;
        };
        let count = &mut counts[slot(reason)];
        count.reports += 1;
        if let Some(c) = report.casualties {
            count.deaths[0] += u64::from(c.low);
            count.deaths[1] += u64::from(c.best);
            count.deaths[2] += u64::from(c.high);
        }
    }
    // Keys come grouped by incident; each set-aside incident with a violation once.
    let mut last = None;
    for k in keys.iter().filter(|k| k.violation && k.set_aside) {
        if last == Some(k.incident) {
            continue;
        }
        last = Some(k.incident);
        if let Some(reason) = facts.get(k.incident as usize).and_then(|f| f.set_aside) {
            counts[slot(reason)].with_violations += 1;
        }
    }
    counts.retain(|c| c.reports > 0);
    counts
}
