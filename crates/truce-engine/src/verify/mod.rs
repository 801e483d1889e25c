//! Steps tested over time, on a lower bound (certain evidence only) and an upper
//! bound (certain and possible evidence), for one choice of bracket alternatives.
//!
//! Days are whole days of the agreement's local time. A window that starts in
//! the middle of a day (sundown) starts counting on the next full day. Days after
//! `as_of`, or after the last day the evidence covers, are not observed: a
//! condition that could still be met on them is pending, not failed.
//!
//! One counting rule serves the steps and the timeline (`docs/check-output.md`,
//! "How days are counted"): on the lower bound an incident counts on its one day
//! when it is dated to a single day; on the upper bound it counts on every day of
//! its span. Reports the counting filter sets aside (aggregates, long spans,
//! country-wide places) count on no day at all.

mod calm;
mod conditions;
mod describe;
mod steps;

pub use calm::{ZoneLists, longest_calm_runs};
pub use steps::verify_steps;

use crate::facts::Facts;
use crate::hold::{kind_hold, zone_hold};
pub(crate) use crate::keys::within;
pub use crate::keys::{FindingKey, NO_PARTY, party_mask};
use truce_model::agreement::{Agreement, Bound, CountingFilter, ViolationFilter};
use truce_model::finding::Certainty;
use truce_model::kind::KindIndex;
use truce_model::report::Report;
use truce_model::time::Day;

/// The days a step is tested over.
pub(crate) struct Window {
    pub first: Day,
    /// Last day of the window, included; `None` for an open window.
    pub last: Option<Day>,
}

/// Most incident ids listed behind one number.
pub const MAX_LISTED_INCIDENTS: usize = 50;

/// One violation finding reduced to small integers, for counting.
#[derive(Copy, Clone, Debug)]
struct Violation {
    incident: u32,
    clause: u16,
    certain: bool,
    breach_certain: bool,
    responsible: u32,
    set_aside: bool,
    first: i32,
    last: i32,
}

/// The first day each clause binds, for clauses that start when a step is met
/// (`from_step`): `i32::MIN` for a clause with no such start, `i32::MAX` for one
/// whose step is not met.
pub(crate) type ClauseStarts = Vec<i32>;

/// Everything verification reads, borrowed from the check, plus an index of the
/// violations built once so that each condition only visits the ones it may count.
pub struct Evidence<'a> {
    pub agreement: &'a Agreement,
    pub reports: &'a [Report],
    pub facts: &'a [Facts],
    /// The findings reduced to small integers, grouped by incident.
    pub keys: &'a [FindingKey],
    /// For each report, the report that represents its incident (itself when alone).
    pub representative: &'a [usize],
    pub as_of: Day,
    pub last_evidence_day: Option<Day>,
    violations: Vec<Violation>,
    /// Counted incidents per (condition, bound, clauses in force, clause starts):
    /// bracket alternatives that only change a number reuse them.
    memo: std::cell::RefCell<std::collections::HashMap<MemoKey, std::rc::Rc<Vec<Hit>>>>,
    /// Positions in `violations` per party (the last list: no party); each in incident order.
    by_party: Vec<Vec<u32>>,
}

type MemoKey = (usize, u8, Vec<bool>, ClauseStarts);

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(crate) enum Bound2 {
    Lower,
    Upper,
}

/// One incident's contribution to a count over days.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Hit {
    incident: usize,
    first: Day,
    last: Day,
}

impl<'a> Evidence<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        agreement: &'a Agreement,
        reports: &'a [Report],
        facts: &'a [Facts],
        keys: &'a [FindingKey],
        representative: &'a [usize],
        as_of: Day,
        last_evidence_day: Option<Day>,
    ) -> Self {
        let mut violations = Vec::new();
        let mut by_party: Vec<Vec<u32>> = vec![Vec::new(); agreement.parties.len() + 1];
        for key in keys.iter().filter(|k| k.violation) {
            let slot = if key.party == NO_PARTY {
                agreement.parties.len()
            } else {
                key.party as usize
            };
            by_party[slot].push(violations.len() as u32);
            violations.push(Violation {
                incident: key.incident,
                clause: key.clause,
                certain: key.certain,
                breach_certain: key.breach_certain,
                responsible: key.responsible,
                set_aside: key.set_aside,
                first: key.first,
                last: key.last,
            });
        }
        Evidence {
            agreement,
            reports,
            facts,
            keys,
            representative,
            as_of,
            last_evidence_day,
            violations,
            memo: std::cell::RefCell::new(std::collections::HashMap::new()),
            by_party,
        }
    }

    pub(crate) fn horizon(&self) -> Day {
        match self.last_evidence_day {
            Some(d) => d.min(self.as_of),
            None => Day(i32::MIN / 2),
        }
    }

    /// [`Evidence::count_violations`], remembered per condition, bound, clauses in
    /// force and clause starts.
    pub(crate) fn violations(
        &self,
        condition: &truce_model::agreement::Condition,
        filter: &ViolationFilter,
        choice: &[usize],
        starts: &ClauseStarts,
        bound: Bound2,
        extra: &dyn Fn(usize) -> Option<Certainty>,
    ) -> std::rc::Rc<Vec<Hit>> {
        let in_force: Vec<bool> = (0..self.agreement.clauses.len())
            .map(|c| self.agreement.clause_in_force(c, choice))
            .collect();
        let key = (
            condition as *const _ as usize,
            bound as u8,
            in_force,
            starts.clone(),
        );
        if let Some(hits) = self.memo.borrow().get(&key) {
            return hits.clone();
        }
        let hits = std::rc::Rc::new(self.count_violations(filter, choice, starts, bound, extra));
        self.memo.borrow_mut().insert(key, hits.clone());
        hits
    }

    /// Whether a condition with this counting filter (`None`: the agreement's) takes
    /// the incident.
    fn counted(&self, counting: Option<&CountingFilter>, incident: usize, set_aside: bool) -> bool {
        match counting {
            None => !set_aside,
            Some(filter) => self
                .reports
                .get(incident)
                .is_some_and(|r| filter.set_aside(r).is_none()),
        }
    }

    /// Incidents that count as violations under `filter`, for one bound. With no
    /// party named, an incident counts for certain when the clause was certainly
    /// broken, whoever did it; with parties named, only when it was certainly one of
    /// them.
    fn count_violations(
        &self,
        filter: &ViolationFilter,
        choice: &[usize],
        starts: &ClauseStarts,
        bound: Bound2,
        extra: &dyn Fn(usize) -> Option<Certainty>,
    ) -> Vec<Hit> {
        let agreement = self.agreement;
        let positions: Vec<u32> = if filter.parties.is_empty() {
            (0..self.violations.len() as u32).collect()
        } else {
            let mut merged: Vec<u32> = filter
                .parties
                .iter()
                .filter_map(|&p| self.by_party.get(p))
                .flatten()
                .copied()
                .collect();
            merged.sort_unstable();
            merged
        };
        let wanted = party_mask(&filter.parties);
        let mut hits: Vec<Hit> = Vec::new();
        let mut current: Option<(usize, Certainty, i32, i32)> = None;
        let flush = |current: Option<(usize, Certainty, i32, i32)>, hits: &mut Vec<Hit>| {
            let Some((incident, certainty, first, last)) = current else {
                return;
            };
            let counts = match bound {
                Bound2::Lower => certainty == Certainty::Certain && first == last,
                Bound2::Upper => true,
            };
            if counts {
                hits.push(Hit {
                    incident,
                    first: Day(first),
                    last: Day(last),
                });
            }
        };
        for position in positions {
            let v = self.violations[position as usize];
            let incident = v.incident as usize;
            let clause = v.clause as usize;
            if !agreement.clause_in_force(clause, choice)
                || (!filter.clauses.is_empty() && !filter.clauses.contains(&clause))
                || v.first < starts.get(clause).copied().unwrap_or(i32::MIN)
                || !self.counted(filter.counting.as_ref(), incident, v.set_aside)
            {
                continue;
            }
            let facts = &self.facts[incident];
            let attributed = if filter.parties.is_empty() {
                v.certain || v.breach_certain
            } else {
                v.certain || (v.breach_certain && within(v.responsible, wanted))
            };
            let mut certainty = if attributed {
                Certainty::Certain
            } else {
                Certainty::Possible
            };
            let (zone, _) = zone_hold(facts, &filter.zones);
            match zone.certainty() {
                None => continue,
                Some(c) => certainty = certainty.and(c),
            }
            let (kind, _) = kind_hold(agreement, facts.kind, &filter.kinds);
            match kind.certainty() {
                None => continue,
                Some(c) => certainty = certainty.and(c),
            }
            match extra(incident) {
                None => continue,
                Some(c) => certainty = certainty.and(c),
            }
            match current {
                Some((i, best, f, l)) if i == incident => {
                    current = Some((i, best.min(certainty), f, l))
                }
                _ => {
                    flush(current, &mut hits);
                    current = Some((incident, certainty, v.first, v.last));
                }
            }
        }
        flush(current, &mut hits);
        hits
    }

    /// Events of some kinds, in some zones, with a side answering to the bound
    /// parties or actors (anyone when `by` is empty): the positive events of a
    /// `min-events` condition, and the hostilities a trend's baseline counts.
    pub(crate) fn events(
        &self,
        kinds: &[KindIndex],
        zones: &[usize],
        by: &[Bound],
        counting: Option<&CountingFilter>,
        bound: Bound2,
    ) -> Vec<Hit> {
        let agreement = self.agreement;
        let mut hits = Vec::new();
        for (incident, report) in self.reports.iter().enumerate() {
            // An event reported several times counts once, through its incident's representative.
            if self
                .representative
                .get(incident)
                .is_some_and(|&r| r != incident)
            {
                continue;
            }
            let facts = &self.facts[incident];
            if !self.counted(counting, incident, facts.set_aside.is_some()) {
                continue;
            }
            let (kind, _) = kind_hold(agreement, facts.kind, kinds);
            let (zone, _) = zone_hold(facts, zones);
            let (Some(k), Some(z)) = (kind.certainty(), zone.certainty()) else {
                continue;
            };
            let actor_ok = by.is_empty()
                || facts.sides.iter().any(|side| {
                    side.matched.iter().any(|(_, m)| {
                        by.iter().any(|b| match b {
                            Bound::AnyParty => agreement.actors[m.actor]
                                .party_on(report.date.first)
                                .is_some(),
                            Bound::Party(p) => {
                                agreement.actors[m.actor].party_on(report.date.first) == Some(*p)
                            }
                            Bound::Actor(a) => *a == m.actor,
                        })
                    })
                });
            if !actor_ok {
                continue;
            }
            let certain =
                k == Certainty::Certain && z == Certainty::Certain && report.date.is_single_day();
            if bound == Bound2::Upper || certain {
                hits.push(Hit {
                    incident,
                    first: report.date.first,
                    last: report.date.last,
                });
            }
        }
        hits
    }
}

/// Counts over `[first, last]` in periods of `period_days` days (the last one may be
/// cut short): each incident once per period it touches, on the lower bound on its
/// one day, on the upper bound on every day of its span.
pub(crate) fn period_counts(
    hits: &[Hit],
    first: Day,
    last: Day,
    period_days: i32,
) -> Vec<(u32, Vec<usize>)> {
    let period_days = period_days.max(1);
    let days = (last.0 - first.0 + 1).max(0);
    let periods = ((days + period_days - 1) / period_days) as usize;
    let mut counts: Vec<(u32, Vec<usize>)> = (0..periods).map(|_| (0, Vec::new())).collect();
    for hit in hits {
        let from = hit.first.0.max(first.0);
        let to = hit.last.0.min(last.0);
        if from > to {
            continue;
        }
        for period in (from - first.0) / period_days..=(to - first.0) / period_days {
            let slot = &mut counts[period as usize];
            slot.0 += 1;
            if slot.1.len() < MAX_LISTED_INCIDENTS {
                slot.1.push(hit.incident);
            }
        }
    }
    counts
}
