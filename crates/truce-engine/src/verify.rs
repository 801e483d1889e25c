//! Steps tested over time, on a lower bound (certain evidence only) and an upper
//! bound (certain and possible evidence), for one choice of bracket alternatives.
//!
//! Days are whole days of the agreement's local time. A window that starts in
//! the middle of a day (sundown) starts counting on the next full day. Days after
//! `as_of`, or after the last day the evidence covers, are not observed: a
//! condition that could still be met on them is pending, not failed.

use crate::adjudicate::{kind_hold, site_hold, zone_hold};
use crate::facts::Facts;
use crate::result::{ConditionOutcome, ConditionResult, Outcome, Status, StepResult};
use std::collections::BTreeSet;
use truce_model::agreement::{
    Agreement, Bound, Condition, Param, StepEnd, StepStart, ViolationFilter,
};
use truce_model::finding::Certainty;
use truce_model::report::Report;
use truce_model::time::{Day, Minute};

/// Most incident ids listed behind one number.
pub const MAX_LISTED_INCIDENTS: usize = 50;

/// A finding reduced to small integers, made beside it during adjudication.
#[derive(Copy, Clone, Debug)]
pub struct FindingKey {
    /// Index of the incident (its report).
    pub incident: u32,
    /// The incident's date span, as day numbers (kept here so counting never touches the reports).
    pub first: i32,
    pub last: i32,
    pub clause: u16,
    /// Index of the responsible party, or [`NO_PARTY`].
    pub party: u16,
    pub violation: bool,
    pub certain: bool,
}

/// One violation finding reduced to small integers, for counting.
#[derive(Copy, Clone, Debug)]
struct Violation {
    incident: u32,
    clause: u16,
    certain: bool,
    first: i32,
    last: i32,
}

pub const NO_PARTY: u16 = u16::MAX;

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
    /// Counted incidents per (condition, bound, clauses in force): bracket
    /// alternatives that only change a number reuse them.
    memo: std::cell::RefCell<
        std::collections::HashMap<(usize, u8, Vec<bool>), std::rc::Rc<Vec<Hit>>>,
    >,
    /// Positions in `violations` per party (the last list: no party); each in incident order.
    by_party: Vec<Vec<u32>>,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
enum Bound2 {
    Lower,
    Upper,
}

/// One incident's contribution to a daily count.
#[derive(Copy, Clone, Debug)]
struct Hit {
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
        {
            for key in keys.iter().filter(|k| k.violation) {
                let incident = key.incident as usize;
                let slot = if key.party == NO_PARTY {
                    agreement.parties.len()
                } else {
                    key.party as usize
                };
                by_party[slot].push(violations.len() as u32);
                violations.push(Violation {
                    incident: incident as u32,
                    clause: key.clause,
                    certain: key.certain,
                    first: key.first,
                    last: key.last,
                });
            }
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

    fn horizon(&self) -> Day {
        match self.last_evidence_day {
            Some(d) => d.min(self.as_of),
            None => Day(i32::MIN / 2),
        }
    }

    /// [`Evidence::count_violations`], remembered per condition, bound and clauses in force.
    fn violations(
        &self,
        condition: &Condition,
        filter: &ViolationFilter,
        choice: &[usize],
        bound: Bound2,
        extra: &dyn Fn(usize) -> Option<Certainty>,
    ) -> std::rc::Rc<Vec<Hit>> {
        let in_force: Vec<bool> = (0..self.agreement.clauses.len())
            .map(|c| self.agreement.clause_in_force(c, choice))
            .collect();
        let key = (
            condition as *const Condition as usize,
            bound as u8,
            in_force,
        );
        if let Some(hits) = self.memo.borrow().get(&key) {
            return hits.clone();
        }
        let hits = std::rc::Rc::new(self.count_violations(filter, choice, bound, extra));
        self.memo.borrow_mut().insert(key, hits.clone());
        hits
    }

    /// Incidents that count as violations under `filter`, for one bound.
    fn count_violations(
        &self,
        filter: &ViolationFilter,
        choice: &[usize],
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
            if !agreement.clause_in_force(v.clause as usize, choice) {
                continue;
            }
            if !filter.clauses.is_empty() && !filter.clauses.contains(&(v.clause as usize)) {
                continue;
            }
            let facts = &self.facts[incident];
            let mut certainty = if v.certain {
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

    /// Positive events for a min-events condition.
    fn events(
        &self,
        kinds: &[truce_model::kind::KindIndex],
        zones: &[usize],
        by: &[Bound],
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

/// Daily counts over `[first, last]`: lower-bound hits count on their single day,
/// upper-bound hits on every day of their span.
fn daily_counts(hits: &[Hit], first: Day, last: Day) -> Vec<(u32, Vec<usize>)> {
    let days = (last.0 - first.0 + 1).max(0) as usize;
    let mut counts: Vec<(u32, Vec<usize>)> = (0..days).map(|_| (0, Vec::new())).collect();
    for hit in hits {
        let from = hit.first.0.max(first.0);
        let to = hit.last.0.min(last.0);
        for d in from..=to {
            let slot = &mut counts[(d - first.0) as usize];
            slot.0 += 1;
            if slot.1.len() < MAX_LISTED_INCIDENTS {
                slot.1.push(hit.incident);
            }
        }
    }
    counts
}

struct Window {
    first: Day,
    /// Last day of the window, included; `None` for an open window.
    last: Option<Day>,
}

fn first_full_day(minute: Minute) -> Day {
    if minute.0.rem_euclid(truce_model::time::MINUTES_PER_DAY) == 0 {
        minute.day()
    } else {
        minute.day().next()
    }
}

/// Verifies every step for one choice of bracket alternatives.
pub fn verify_steps(evidence: &Evidence<'_>, choice: &[usize]) -> Vec<StepResult> {
    let agreement = evidence.agreement;
    let mut results: Vec<StepResult> = Vec::with_capacity(agreement.steps.len());
    for step in &agreement.steps {
        let requires: Vec<String> = step
            .requires
            .iter()
            .map(|&r| agreement.steps[r].id.clone())
            .collect();
        let mut bounds = Vec::with_capacity(2);
        for bound in [Bound2::Lower, Bound2::Upper] {
            let pick = |o: &StepResult| {
                if bound == Bound2::Lower {
                    o.on_certain.clone()
                } else {
                    o.with_possible.clone()
                }
            };
            // Locked until every dependency is met on this bound.
            let unmet: Vec<&StepResult> = step
                .requires
                .iter()
                .map(|&r| &results[r])
                .filter(|r| pick(r).status != Status::Met)
                .collect();
            if !unmet.is_empty() {
                let names: Vec<String> = unmet
                    .iter()
                    .map(|r| format!("`{}` ({})", r.id, pick(r).status.label()))
                    .collect();
                bounds.push((
                    Outcome {
                        status: Status::Locked,
                        met_on: None,
                        explanation: format!("locked: waits for {}", names.join(", ")),
                    },
                    Vec::new(),
                    None,
                ));
                continue;
            }
            let first = match step.start {
                StepStart::At { minute } => first_full_day(minute),
                StepStart::AfterStep { step: dep } => match pick(&results[dep]).met_on {
                    Some(d) => d.next(),
                    None => {
                        bounds.push((
                            Outcome {
                                status: Status::Locked,
                                met_on: None,
                                explanation: "locked: its start depends on a step not met".into(),
                            },
                            Vec::new(),
                            None,
                        ));
                        continue;
                    }
                },
            };
            let last = match step.end {
                StepEnd::At { minute } => Some(Day(minute.day().0 - 1).max(Day(first.0 - 1))),
                StepEnd::Days { days } => {
                    let n = agreement.param(days, choice);
                    if !n.is_finite() || n < 1.0 {
                        None
                    } else {
                        Some(first.plus(n as i32 - 1))
                    }
                }
                StepEnd::Open => None,
            };
            let window = Window { first, last };
            let conditions: Vec<ConditionOutcome> = step
                .conditions
                .iter()
                .map(|c| verify_condition(evidence, c, choice, &window, bound))
                .collect();
            let outcome = combine(&conditions, evidence, &window);
            bounds.push((outcome, conditions, Some(window)));
        }
        let (upper_outcome, upper_conditions, upper_window) =
            bounds.pop().unwrap_or_else(empty_bound);
        let (lower_outcome, lower_conditions, lower_window) =
            bounds.pop().unwrap_or_else(empty_bound);
        let window = upper_window.or(lower_window);
        let status = overall(&lower_outcome, &upper_outcome);
        let summary = summary_line(&status, &lower_outcome, &upper_outcome);
        let conditions = lower_conditions
            .into_iter()
            .zip(upper_conditions)
            .zip(&step.conditions)
            .map(|((on_certain, with_possible), c)| ConditionResult {
                description: describe_condition(agreement, c, choice),
                on_certain,
                with_possible,
            })
            .collect();
        results.push(StepResult {
            id: step.id.clone(),
            name: step.name.clone(),
            status,
            met_on: if status == Status::Met {
                upper_outcome.met_on
            } else {
                None
            },
            summary,
            window_first: window.as_ref().map(|w| w.first),
            window_last: window.as_ref().and_then(|w| w.last),
            requires,
            on_certain: lower_outcome,
            with_possible: upper_outcome,
            conditions,
        });
    }
    results
}

fn empty_bound() -> (Outcome, Vec<ConditionOutcome>, Option<Window>) {
    (
        Outcome {
            status: Status::Pending,
            met_on: None,
            explanation: String::new(),
        },
        Vec::new(),
        None,
    )
}

fn overall(lower: &Outcome, upper: &Outcome) -> Status {
    use Status::*;
    match (lower.status, upper.status) {
        (Locked, _) | (_, Locked) => Locked,
        (Met, Met) => Met,
        (NotMet, NotMet) => NotMet,
        (InsufficientEvidence, _) | (_, InsufficientEvidence) => InsufficientEvidence,
        (Pending, _) | (_, Pending) => Pending,
        _ => InsufficientEvidence,
    }
}

fn summary_line(status: &Status, lower: &Outcome, upper: &Outcome) -> String {
    match status {
        Status::Met => format!(
            "met on {}",
            upper.met_on.map_or_else(|| "?".into(), |d| d.to_string())
        ),
        Status::NotMet => lower.explanation.clone(),
        Status::Locked if lower.status == Status::Locked => lower.explanation.clone(),
        Status::Locked => upper.explanation.clone(),
        Status::Pending => format!(
            "pending: {}",
            if upper.status == Status::Pending {
                &upper.explanation
            } else {
                &lower.explanation
            }
        ),
        Status::InsufficientEvidence => match (lower.status, upper.status) {
            (Status::Met, Status::NotMet) => format!(
                "met on the certain evidence ({}); not met if the possible violations are counted: {}",
                lower.met_on.map_or_else(|| "?".into(), |d| d.to_string()),
                upper.explanation
            ),
            (Status::NotMet, Status::Met) => format!(
                "not met on the certain evidence ({}); met only if possible events are counted",
                lower.explanation
            ),
            _ => {
                if lower.status == Status::InsufficientEvidence {
                    lower.explanation.clone()
                } else {
                    upper.explanation.clone()
                }
            }
        },
    }
}

fn combine(conditions: &[ConditionOutcome], evidence: &Evidence<'_>, window: &Window) -> Outcome {
    if conditions.is_empty() {
        return Outcome {
            status: Status::Pending,
            met_on: None,
            explanation: "no condition to test".into(),
        };
    }
    if let Some(failed) = conditions.iter().find(|c| c.status == Status::NotMet) {
        return Outcome {
            status: Status::NotMet,
            met_on: None,
            explanation: format!("not met: {}", failed.detail),
        };
    }
    if conditions.iter().all(|c| c.status == Status::Met) {
        let met_on = conditions.iter().filter_map(|c| c.met_on).max();
        return Outcome {
            status: Status::Met,
            met_on,
            explanation: format!(
                "met on {}",
                met_on.map_or_else(|| "?".into(), |d| d.to_string())
            ),
        };
    }
    let waiting: Vec<&str> = conditions
        .iter()
        .filter(|c| c.status != Status::Met)
        .map(|c| c.detail.as_str())
        .collect();
    let beyond_evidence = evidence
        .last_evidence_day
        .is_none_or(|d| d < evidence.as_of)
        && window.last.is_none_or(|l| l > evidence.horizon());
    if beyond_evidence && window.last.is_some_and(|l| l <= evidence.as_of) {
        let until = evidence.last_evidence_day.map_or_else(
            || "no evidence at all".to_string(),
            |d| format!("the evidence ends on {d}"),
        );
        return Outcome {
            status: Status::InsufficientEvidence,
            met_on: None,
            explanation: format!("insufficient evidence: {until}; {}", waiting.join("; ")),
        };
    }
    Outcome {
        status: Status::Pending,
        met_on: None,
        explanation: waiting.join("; "),
    }
}

fn verify_condition(
    evidence: &Evidence<'_>,
    condition: &Condition,
    choice: &[usize],
    window: &Window,
    bound: Bound2,
) -> ConditionOutcome {
    let agreement = evidence.agreement;
    let horizon = evidence.horizon();
    let observed_last = match window.last {
        Some(l) => l.min(horizon),
        None => horizon,
    };
    let window_over = window.last.is_some_and(|l| l <= horizon);
    let ids = |list: &[usize]| -> (Vec<String>, usize) {
        let mut set: BTreeSet<usize> = BTreeSet::new();
        set.extend(list.iter().copied());
        let total = set.len();
        (
            set.into_iter()
                .take(MAX_LISTED_INCIDENTS)
                .map(|i| evidence.reports[i].id())
                .collect(),
            total,
        )
    };
    match condition {
        Condition::MaxViolationsPerDay { max, days, filter } => {
            let max = agreement.param(*max, choice);
            let needed = agreement.param(*days, choice).max(1.0) as i64;
            let hits = evidence.violations(condition, filter, choice, bound, &|_| {
                Some(Certainty::Certain)
            });
            if observed_last < window.first {
                return ConditionOutcome::pending(format!(
                    "the window starts on {}; nothing observed yet",
                    window.first
                ));
            }
            let counts = daily_counts(&hits, window.first, observed_last);
            let mut run = 0i64;
            let mut best = (0i64, window.first);
            let mut worst: Option<(Day, u32)> = None;
            let mut breaking: Vec<usize> = Vec::new();
            for (i, (count, incidents)) in counts.iter().enumerate() {
                let day = window.first.plus(i as i32);
                if f64::from(*count) <= max {
                    run += 1;
                    if run > best.0 {
                        best = (run, Day(day.0 - run as i32 + 1));
                    }
                    if run >= needed {
                        let counted: Vec<usize> = counts
                            .iter()
                            .take(i + 1)
                            .flat_map(|c| c.1.iter().copied())
                            .collect();
                        let (incidents, incidents_total) = ids(&counted);
                        return ConditionOutcome {
                            status: Status::Met,
                            met_on: Some(day),
                            detail: format!(
                                "{needed} consecutive days with at most {} violation(s) a day, from {} to {day}",
                                fmt_num(max),
                                Day(day.0 - needed as i32 + 1)
                            ),
                            count: counts.iter().take(i + 1).map(|c| u64::from(c.0)).sum(),
                            incidents,
                            incidents_total,
                        };
                    }
                } else {
                    run = 0;
                    if worst.is_none_or(|(_, c)| *count > c) {
                        worst = Some((day, *count));
                    }
                    breaking.extend(incidents.iter().copied());
                }
            }
            let remaining = window
                .last
                .map_or(i64::MAX, |l| i64::from(l.0 - observed_last.0));
            let (incidents, incidents_total) = ids(&breaking);
            let worst_text = worst.map_or_else(String::new, |(d, c)| {
                format!("; worst day {d} with {c} violation(s)")
            });
            let best_text = if best.0 > 0 {
                format!("longest run {} day(s) from {}", best.0, best.1)
            } else {
                "no day within the limit".into()
            };
            let count = counts.iter().map(|c| u64::from(c.0)).sum();
            if !window_over && run + remaining >= needed {
                ConditionOutcome {
                    status: Status::Pending,
                    met_on: None,
                    detail: format!(
                        "{best_text} of the {needed} needed (observed to {observed_last}){worst_text}"
                    ),
                    count,
                    incidents,
                    incidents_total,
                }
            } else {
                ConditionOutcome {
                    status: Status::NotMet,
                    met_on: None,
                    detail: format!(
                        "never {needed} consecutive days with at most {} violation(s) a day: {best_text}{worst_text}",
                        fmt_num(max)
                    ),
                    count,
                    incidents,
                    incidents_total,
                }
            }
        }
        Condition::NoViolationAtSites { sites, filter } => {
            let facts = evidence.facts;
            let hits = evidence.violations(condition, filter, choice, bound, &|incident| {
                let (hold, _) = site_hold(agreement, &facts[incident], sites);
                hold.certainty()
            });
            let in_window: Vec<&Hit> = hits
                .iter()
                .filter(|h| h.last >= window.first && h.first <= observed_last)
                .collect();
            if let Some(first_hit) = in_window.iter().min_by_key(|h| h.first) {
                let list: Vec<usize> = in_window.iter().map(|h| h.incident).collect();
                let (incidents, incidents_total) = ids(&list);
                return ConditionOutcome {
                    status: Status::NotMet,
                    met_on: None,
                    detail: format!(
                        "{} violation(s) at protected sites, the first on {}",
                        in_window.len(),
                        first_hit.first.max(window.first)
                    ),
                    count: in_window.len() as u64,
                    incidents,
                    incidents_total,
                };
            }
            if window_over {
                ConditionOutcome {
                    status: Status::Met,
                    met_on: window.last,
                    detail: "no violation at a protected site in the window".into(),
                    count: 0,
                    incidents: Vec::new(),
                    incidents_total: 0,
                }
            } else {
                ConditionOutcome::pending(format!(
                    "no violation at a protected site so far (observed to {observed_last})"
                ))
            }
        }
        Condition::MinEvents {
            min,
            kinds,
            zones,
            by,
        } => {
            let needed = agreement.param(*min, choice);
            let mut hits = evidence.events(kinds, zones, by, bound);
            hits.retain(|h| h.first >= window.first && h.first <= observed_last);
            hits.sort_by_key(|h| (h.first, h.incident));
            let list: Vec<usize> = hits.iter().map(|h| h.incident).collect();
            let (incidents, incidents_total) = ids(&list);
            if needed <= 0.0 {
                return ConditionOutcome {
                    status: Status::Met,
                    met_on: Some(window.first),
                    detail: "no event needed".into(),
                    count: 0,
                    incidents,
                    incidents_total,
                };
            }
            let index = needed.ceil() as usize - 1;
            if let Some(hit) = hits.get(index) {
                return ConditionOutcome {
                    status: Status::Met,
                    met_on: Some(hit.first),
                    detail: format!(
                        "{} event(s) by {}; {} needed",
                        hits.len(),
                        hit.first,
                        fmt_num(needed)
                    ),
                    count: hits.len() as u64,
                    incidents,
                    incidents_total,
                };
            }
            let status = if window_over {
                Status::NotMet
            } else {
                Status::Pending
            };
            ConditionOutcome {
                status,
                met_on: None,
                detail: format!(
                    "{} event(s) of the {} needed (observed to {observed_last})",
                    hits.len(),
                    fmt_num(needed)
                ),
                count: hits.len() as u64,
                incidents,
                incidents_total,
            }
        }
        Condition::FallingTrend {
            percent,
            weeks,
            filter,
        } => {
            let percent = agreement.param(*percent, choice);
            let needed = agreement.param(*weeks, choice).max(1.0) as usize;
            let hits = evidence.violations(condition, filter, choice, bound, &|_| {
                Some(Certainty::Certain)
            });
            if observed_last < window.first {
                return ConditionOutcome::pending(format!("the window starts on {}", window.first));
            }
            let counts = daily_counts(&hits, window.first, observed_last);
            let weekly: Vec<u64> = counts
                .chunks_exact(7)
                .map(|w| w.iter().map(|c| u64::from(c.0)).sum())
                .collect();
            let mut streak = 0;
            let mut trail = Vec::new();
            for k in 1..weekly.len() {
                let (before, now) = (weekly[k - 1] as f64, weekly[k] as f64);
                let falls = if before == 0.0 {
                    now == 0.0
                } else {
                    now <= before * (1.0 - percent / 100.0)
                };
                trail.push(format!("{}→{}", weekly[k - 1], weekly[k]));
                streak = if falls { streak + 1 } else { 0 };
                if streak >= needed {
                    let met_on = window.first.plus((7 * (k + 1) - 1) as i32);
                    return ConditionOutcome {
                        status: Status::Met,
                        met_on: Some(met_on),
                        detail: format!(
                            "violations fell by at least {}% week over week {needed} time(s) in a row (weekly counts {})",
                            fmt_num(percent),
                            trail.join(", ")
                        ),
                        count: weekly.iter().sum(),
                        incidents: Vec::new(),
                        incidents_total: 0,
                    };
                }
            }
            let status = if window_over {
                Status::NotMet
            } else {
                Status::Pending
            };
            let text = if trail.is_empty() {
                "fewer than two full weeks observed".to_string()
            } else {
                format!("weekly counts {}", trail.join(", "))
            };
            ConditionOutcome {
                status,
                met_on: None,
                detail: format!(
                    "no {needed} week(s) in a row with violations down by {}%: {text}",
                    fmt_num(percent)
                ),
                count: weekly.iter().sum(),
                incidents: Vec::new(),
                incidents_total: 0,
            }
        }
    }
}

pub(crate) fn fmt_num(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

fn param_text(agreement: &Agreement, param: Param, choice: &[usize]) -> String {
    let value = fmt_num(agreement.param(param, choice));
    match param {
        Param::Fixed(_) => value,
        Param::Bracket(b) => format!("[{value}] (bracket `{}`)", agreement.brackets[b].id),
    }
}

fn filter_text(agreement: &Agreement, filter: &ViolationFilter) -> String {
    let mut parts = Vec::new();
    if !filter.parties.is_empty() {
        parts.push(format!(
            "by {}",
            filter
                .parties
                .iter()
                .map(|p| format!("`{}`", agreement.parties[*p].id))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !filter.zones.is_empty() {
        parts.push(format!(
            "in {}",
            filter
                .zones
                .iter()
                .map(|z| format!("`{}`", agreement.zones[*z].id))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !filter.kinds.is_empty() {
        parts.push(format!(
            "of kind {}",
            filter
                .kinds
                .iter()
                .map(|k| format!("`{}`", agreement.taxonomy.id(*k)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !filter.clauses.is_empty() {
        parts.push(format!(
            "under {}",
            filter
                .clauses
                .iter()
                .map(|c| format!("`{}`", agreement.clauses[*c].id))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" {}", parts.join(" "))
    }
}

pub(crate) fn describe_condition(
    agreement: &Agreement,
    condition: &Condition,
    choice: &[usize],
) -> String {
    match condition {
        Condition::MaxViolationsPerDay { max, days, filter } => format!(
            "at most {} violation(s){} a day for {} consecutive days",
            param_text(agreement, *max, choice),
            filter_text(agreement, filter),
            param_text(agreement, *days, choice)
        ),
        Condition::NoViolationAtSites { sites, filter } => {
            let which = if sites.kinds.is_empty() && sites.sites.is_empty() {
                "any protected site".to_string()
            } else {
                let mut names: Vec<String> = sites.kinds.iter().map(|k| format!("{k}s")).collect();
                names.extend(
                    sites
                        .sites
                        .iter()
                        .map(|s| format!("`{}`", agreement.sites[*s].id)),
                );
                names.join(", ")
            };
            format!("no violation{} at {which}", filter_text(agreement, filter))
        }
        Condition::MinEvents {
            min, kinds, zones, ..
        } => format!(
            "at least {} event(s) of kind {}{}",
            param_text(agreement, *min, choice),
            kinds
                .iter()
                .map(|k| format!("`{}`", agreement.taxonomy.id(*k)))
                .collect::<Vec<_>>()
                .join(", "),
            if zones.is_empty() {
                String::new()
            } else {
                format!(
                    " in {}",
                    zones
                        .iter()
                        .map(|z| format!("`{}`", agreement.zones[*z].id))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        ),
        Condition::FallingTrend {
            percent,
            weeks,
            filter,
        } => format!(
            "violations{} down by at least {}% week over week, {} time(s) in a row",
            filter_text(agreement, filter),
            param_text(agreement, *percent, choice),
            param_text(agreement, *weeks, choice)
        ),
    }
}

/// Per incident, a list of zones (indices), stored flat: incident `i`'s are
/// `zones[starts[i]..starts[i + 1]]`.
pub struct ZoneLists {
    pub zones: Vec<u32>,
    pub starts: Vec<u32>,
}

impl ZoneLists {
    pub fn of(&self, incident: usize) -> &[u32] {
        match (self.starts.get(incident), self.starts.get(incident + 1)) {
            (Some(&a), Some(&b)) => &self.zones[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// For every party × zone, the longest run of days in `first ..= last` with at most
/// `max_per_day` certain, single-day violations by the party certainly in the zone:
/// the lower bound of a `max-violations-per-day` condition, for all pairs in one pass.
pub fn longest_calm_runs(
    agreement: &Agreement,
    certain_zones: &ZoneLists,
    keys: &[FindingKey],
    choice: &[usize],
    first: Day,
    last: Day,
    max_per_day: u32,
) -> Vec<crate::CalmRun> {
    use rayon::prelude::*;
    let zones = agreement.zones.len();
    let buckets = agreement.parties.len() * zones;
    let in_force: Vec<bool> = (0..agreement.clauses.len())
        .map(|c| agreement.clause_in_force(c, choice))
        .collect();
    // Split the keys among the threads at incident boundaries, so an incident is
    // counted once per (party, zone) whatever the number of its findings there.
    let threads = rayon::current_num_threads().max(1);
    let mut bounds = vec![0usize];
    for t in 1..threads {
        let mut at = keys.len() * t / threads;
        while at > 0 && at < keys.len() && keys[at].incident == keys[at - 1].incident {
            at += 1;
        }
        if at > *bounds.last().unwrap_or(&0) {
            bounds.push(at.min(keys.len()));
        }
    }
    bounds.push(keys.len());
    let entries: Vec<(u32, i32)> = bounds
        .par_windows(2)
        .map(|w| {
            let mut out: Vec<(u32, i32)> = Vec::new();
            let mut group: Vec<u32> = Vec::new();
            let mut i = w[0];
            while i < w[1] {
                let incident = keys[i].incident;
                let day = keys[i].first;
                group.clear();
                while i < w[1] && keys[i].incident == incident {
                    let k = &keys[i];
                    i += 1;
                    if !k.violation
                        || !k.certain
                        || k.party == NO_PARTY
                        || !in_force[k.clause as usize]
                    {
                        continue;
                    }
                    if k.first != k.last || k.first < first.0 || k.first > last.0 {
                        continue;
                    }
                    for &zone in certain_zones.of(incident as usize) {
                        group.push((k.party as usize * zones + zone as usize) as u32);
                    }
                }
                group.sort_unstable();
                group.dedup();
                out.extend(group.iter().map(|&b| (b, day)));
            }
            out
        })
        .reduce(Vec::new, |mut a, mut b| {
            a.append(&mut b);
            a
        });
    // Scatter the days into one list per (party, zone), in incident order; evidence
    // usually comes in date order, so most lists need no sorting.
    let mut offsets = vec![0usize; buckets + 1];
    for &(b, _) in &entries {
        offsets[b as usize + 1] += 1;
    }
    for b in 0..buckets {
        offsets[b + 1] += offsets[b];
    }
    let mut cursor = offsets.clone();
    let mut days = vec![0i32; entries.len()];
    for &(b, day) in &entries {
        days[cursor[b as usize]] = day;
        cursor[b as usize] += 1;
    }
    let mut runs = Vec::with_capacity(buckets);
    for bucket in 0..buckets {
        let list = &mut days[offsets[bucket]..offsets[bucket + 1]];
        if !list.is_sorted() {
            list.sort_unstable();
        }
        // Days over the limit split the range into calm runs.
        let mut best = (0u32, first);
        let mut run_start = first.0;
        let mut i = 0;
        while i < list.len() {
            let day = list[i];
            let mut count = 0u32;
            while i < list.len() && list[i] == day {
                count += 1;
                i += 1;
            }
            if count > max_per_day {
                let length = (day - run_start) as u32;
                if length > best.0 {
                    best = (length, Day(run_start));
                }
                run_start = day + 1;
            }
        }
        let length = (last.0 - run_start + 1).max(0) as u32;
        if length > best.0 {
            best = (length, Day(run_start));
        }
        runs.push(crate::CalmRun {
            party: bucket / zones,
            zone: bucket % zones,
            days: best.0,
            first_day: best.1,
        });
    }
    runs
}
