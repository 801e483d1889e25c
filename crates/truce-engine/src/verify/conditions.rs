//! One condition of a step, on one bound, over the step's window.
//!
//! A status, once final, stays final as evidence is added day by day: `met` is
//! given on the day the condition is first satisfied, `not met` only once it can
//! no longer be satisfied within the window (or the window is over); an open window
//! can only be `pending` or `met`.

use super::describe::{fmt_num, period_name};
use super::{Bound2, ClauseStarts, Evidence, Hit, MAX_LISTED_INCIDENTS, Window, period_counts};
use crate::hold::site_hold;
use crate::result::{ConditionOutcome, Status};
use std::collections::BTreeSet;
use truce_model::agreement::{
    Baseline, Bound, Condition, CountingFilter, SiteSelector, ViolationFilter,
};
use truce_model::finding::Certainty;
use truce_model::kind::KindIndex;
use truce_model::time::Day;

/// What every condition reads: the evidence, the choice of alternatives, the clause
/// starts and the window on one bound.
struct Scope<'e, 'a> {
    evidence: &'e Evidence<'a>,
    choice: &'e [usize],
    starts: &'e ClauseStarts,
    window: &'e Window,
    bound: Bound2,
    /// The last day observed: the window's end, the evidence's or `as_of`.
    observed_last: Day,
    window_over: bool,
}

impl Scope<'_, '_> {
    /// The first incident ids of a list (at most [`MAX_LISTED_INCIDENTS`]) and how many.
    fn ids(&self, list: &[usize]) -> (Vec<String>, usize) {
        let set: BTreeSet<usize> = list.iter().copied().collect();
        let total = set.len();
        (
            set.into_iter()
                .take(MAX_LISTED_INCIDENTS)
                .map(|i| self.evidence.reports[i].id())
                .collect(),
            total,
        )
    }

    fn param(&self, param: truce_model::agreement::Param) -> f64 {
        self.evidence.agreement.param(param, self.choice)
    }

    /// `pending` until the window ends, then `not met`.
    fn open_or_failed(&self) -> Status {
        if self.window_over {
            Status::NotMet
        } else {
            Status::Pending
        }
    }
}

pub(crate) fn verify_condition(
    evidence: &Evidence<'_>,
    condition: &Condition,
    choice: &[usize],
    starts: &ClauseStarts,
    window: &Window,
    bound: Bound2,
) -> ConditionOutcome {
    let horizon = evidence.horizon();
    let scope = Scope {
        evidence,
        choice,
        starts,
        window,
        bound,
        observed_last: window.last.map_or(horizon, |l| l.min(horizon)),
        window_over: window.last.is_some_and(|l| l <= horizon),
    };
    match condition {
        Condition::MaxViolationsPerDay {
            max,
            days,
            period_days,
            filter,
        } => {
            let hits = evidence.violations(condition, filter, choice, starts, bound, &|_| {
                Some(Certainty::Certain)
            });
            max_per_period(
                &scope,
                &hits,
                scope.param(*max),
                scope.param(*days),
                *period_days,
            )
        }
        Condition::NoViolationAtSites { sites, filter } => {
            no_violation_at_sites(&scope, condition, sites, filter)
        }
        Condition::MinEvents {
            min,
            kinds,
            zones,
            by,
            counting,
        } => min_events(
            &scope,
            scope.param(*min),
            kinds,
            zones,
            by,
            counting.as_ref(),
        ),
        Condition::FallingTrend {
            percent,
            weeks,
            baseline,
            filter,
        } => {
            let hits = evidence.violations(condition, filter, choice, starts, bound, &|_| {
                Some(Certainty::Certain)
            });
            let percent = scope.param(*percent);
            let weeks = scope.param(*weeks).max(1.0) as usize;
            match baseline {
                None => week_over_week(&scope, &hits, percent, weeks),
                Some(baseline) => below_baseline(&scope, &hits, filter, baseline, percent, weeks),
            }
        }
    }
}

/// At most `max` violations in each of `needed` consecutive periods of
/// `period_days` days. A period still under way counts once it is over the limit
/// (more evidence can only add to it), and towards the run only once it is whole.
fn max_per_period(
    scope: &Scope<'_, '_>,
    hits: &[Hit],
    max: f64,
    needed: f64,
    period_days: i32,
) -> ConditionOutcome {
    let window = scope.window;
    let observed_last = scope.observed_last;
    let needed = needed.max(1.0) as i64;
    let period_days = period_days.max(1);
    let unit = period_name(period_days);
    if observed_last < window.first {
        return ConditionOutcome::pending(format!(
            "the window starts on {}; nothing observed yet",
            window.first
        ));
    }
    let counts = period_counts(hits, window.first, observed_last, period_days);
    let whole = ((observed_last.0 - window.first.0 + 1) / period_days) as usize;
    let period_start = |i: usize| window.first.plus(i as i32 * period_days);
    let mut run = 0i64;
    let mut best = (0i64, window.first);
    let mut worst: Option<(Day, u32)> = None;
    let mut breaking: Vec<usize> = Vec::new();
    for (i, (count, incidents)) in counts.iter().enumerate() {
        if f64::from(*count) > max {
            run = 0;
            if worst.is_none_or(|(_, c)| *count > c) {
                worst = Some((period_start(i), *count));
            }
            breaking.extend(incidents.iter().copied());
            continue;
        }
        if i >= whole {
            continue; // under way and within the limit so far
        }
        run += 1;
        if run > best.0 {
            best = (run, period_start(i + 1 - run as usize));
        }
        if run >= needed {
            let met_on = Day(period_start(i + 1).0 - 1);
            let counted: Vec<usize> = counts
                .iter()
                .take(i + 1)
                .flat_map(|c| c.1.iter().copied())
                .collect();
            let (incidents, incidents_total) = scope.ids(&counted);
            return ConditionOutcome {
                status: Status::Met,
                met_on: Some(met_on),
                detail: format!(
                    "{needed} consecutive {unit}s with at most {} violation(s) a {unit}, from {} to {met_on}",
                    fmt_num(max),
                    period_start(i + 1 - needed as usize)
                ),
                count: counts.iter().take(i + 1).map(|c| u64::from(c.0)).sum(),
                incidents,
                incidents_total,
                rests_on_nothing: false,
            };
        }
    }
    // Whole periods still to come in the window: the one under way counts unless it
    // is already over the limit.
    let under_way_broken = counts.len() > whole && f64::from(counts[whole].0) > max;
    let remaining = window.last.map_or(i64::MAX, |l| {
        i64::from((l.0 - window.first.0 + 1) / period_days)
            - whole as i64
            - i64::from(under_way_broken)
    });
    let (incidents, incidents_total) = scope.ids(&breaking);
    let worst_text = worst.map_or_else(String::new, |(d, c)| {
        format!("; worst {unit} from {d} with {c} violation(s)")
    });
    let best_text = if best.0 > 0 {
        format!("longest run {} {unit}(s) from {}", best.0, best.1)
    } else {
        format!("no whole {unit} within the limit")
    };
    let count = counts.iter().map(|c| u64::from(c.0)).sum();
    let (status, detail) = if !scope.window_over && run.saturating_add(remaining) >= needed {
        (
            Status::Pending,
            format!("{best_text} of the {needed} needed (observed to {observed_last}){worst_text}"),
        )
    } else {
        (
            Status::NotMet,
            format!(
                "never {needed} consecutive {unit}s with at most {} violation(s) a {unit}: {best_text}{worst_text}",
                fmt_num(max)
            ),
        )
    };
    ConditionOutcome {
        status,
        met_on: None,
        detail,
        count,
        incidents,
        incidents_total,
        rests_on_nothing: false,
    }
}

fn no_violation_at_sites(
    scope: &Scope<'_, '_>,
    condition: &Condition,
    sites: &SiteSelector,
    filter: &ViolationFilter,
) -> ConditionOutcome {
    let evidence = scope.evidence;
    let agreement = evidence.agreement;
    let facts = evidence.facts;
    let hits = evidence.violations(
        condition,
        filter,
        scope.choice,
        scope.starts,
        scope.bound,
        &|incident| site_hold(agreement, &facts[incident], sites).0.certainty(),
    );
    let window = scope.window;
    let in_window: Vec<&Hit> = hits
        .iter()
        .filter(|h| h.last >= window.first && h.first <= scope.observed_last)
        .collect();
    if let Some(first_hit) = in_window.iter().min_by_key(|h| h.first) {
        let list: Vec<usize> = in_window.iter().map(|h| h.incident).collect();
        let (incidents, incidents_total) = scope.ids(&list);
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
            rests_on_nothing: false,
        };
    }
    if scope.window_over {
        ConditionOutcome {
            status: Status::Met,
            met_on: window.last,
            detail: "no violation at a protected site in the window".into(),
            count: 0,
            incidents: Vec::new(),
            incidents_total: 0,
            rests_on_nothing: false,
        }
    } else {
        ConditionOutcome::pending(format!(
            "no violation at a protected site so far (observed to {})",
            scope.observed_last
        ))
    }
}

fn min_events(
    scope: &Scope<'_, '_>,
    needed: f64,
    kinds: &[KindIndex],
    zones: &[usize],
    by: &[Bound],
    counting: Option<&CountingFilter>,
) -> ConditionOutcome {
    let window = scope.window;
    let mut hits = scope
        .evidence
        .events(kinds, zones, by, counting, scope.bound);
    hits.retain(|h| h.first >= window.first && h.first <= scope.observed_last);
    hits.sort_by_key(|h| (h.first, h.incident));
    let list: Vec<usize> = hits.iter().map(|h| h.incident).collect();
    let (incidents, incidents_total) = scope.ids(&list);
    let outcome = |status, met_on, detail| ConditionOutcome {
        status,
        met_on,
        detail,
        count: hits.len() as u64,
        incidents: incidents.clone(),
        incidents_total,
        rests_on_nothing: false,
    };
    if needed <= 0.0 {
        return outcome(Status::Met, Some(window.first), "no event needed".into());
    }
    let index = needed.ceil() as usize - 1;
    if let Some(hit) = hits.get(index) {
        return outcome(
            Status::Met,
            Some(hit.first),
            format!(
                "{} event(s) by {}; {} needed",
                hits.len(),
                hit.first,
                fmt_num(needed)
            ),
        );
    }
    outcome(
        scope.open_or_failed(),
        None,
        format!(
            "{} event(s) of the {} needed (observed to {})",
            hits.len(),
            fmt_num(needed),
            scope.observed_last
        ),
    )
}

/// Weekly counts over the whole weeks observed in the window.
fn weekly(scope: &Scope<'_, '_>, hits: &[Hit]) -> Vec<u64> {
    let counts = period_counts(hits, scope.window.first, scope.observed_last, 7);
    let whole = ((scope.observed_last.0 - scope.window.first.0 + 1) / 7).max(0) as usize;
    counts.iter().take(whole).map(|c| u64::from(c.0)).collect()
}

/// A trend not yet met: an open window can still see it; a closed one whose whole weeks
/// left cannot complete the streak (`streak` weeks so far, `seen` weeks observed) is over.
fn trend_status(scope: &Scope<'_, '_>, streak: usize, seen: usize, needed: usize) -> Status {
    match scope.window.last {
        None => Status::Pending,
        Some(last) => {
            let weeks_in_window = ((last.0 - scope.window.first.0 + 1) / 7) as usize;
            let remaining = weeks_in_window.saturating_sub(seen);
            if !scope.window_over && streak.saturating_add(remaining) >= needed {
                Status::Pending
            } else {
                Status::NotMet
            }
        }
    }
}

fn trend_outcome(
    status: Status,
    met_on: Option<Day>,
    detail: String,
    count: u64,
) -> ConditionOutcome {
    ConditionOutcome {
        status,
        met_on,
        detail,
        count,
        incidents: Vec::new(),
        incidents_total: 0,
        rests_on_nothing: false,
    }
}

fn week_over_week(
    scope: &Scope<'_, '_>,
    hits: &[Hit],
    percent: f64,
    needed: usize,
) -> ConditionOutcome {
    if scope.observed_last < scope.window.first {
        return ConditionOutcome::pending(format!("the window starts on {}", scope.window.first));
    }
    let weekly = weekly(scope, hits);
    let total = weekly.iter().sum();
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
            let met_on = scope.window.first.plus((7 * (k + 1) - 1) as i32);
            return trend_outcome(
                Status::Met,
                Some(met_on),
                format!(
                    "violations fell by at least {}% week over week {needed} time(s) in a row (weekly counts {})",
                    fmt_num(percent),
                    trail.join(", ")
                ),
                total,
            );
        }
    }
    let text = if trail.is_empty() {
        "fewer than two whole weeks observed".to_string()
    } else {
        format!("weekly counts {}", trail.join(", "))
    };
    let status = trend_status(scope, streak, weekly.len(), needed);
    trend_outcome(
        status,
        None,
        format!(
            "no {needed} week(s) in a row with violations down by {}%: {text}",
            fmt_num(percent)
        ),
        total,
    )
}

/// Every one of `needed` whole weeks in a row at least `percent` % below the
/// baseline's weekly average of hostilities (counted on the same bound, with the
/// same kinds, zones and parties, before the terms bound anyone).
fn below_baseline(
    scope: &Scope<'_, '_>,
    hits: &[Hit],
    filter: &ViolationFilter,
    baseline: &Baseline,
    percent: f64,
    needed: usize,
) -> ConditionOutcome {
    let evidence = scope.evidence;
    let agreement = evidence.agreement;
    let kinds: Vec<KindIndex> = if filter.kinds.is_empty() {
        let clauses: Vec<usize> = if filter.clauses.is_empty() {
            (0..agreement.clauses.len())
                .filter(|&c| agreement.clause_in_force(c, scope.choice))
                .collect()
        } else {
            filter.clauses.clone()
        };
        let mut kinds: Vec<KindIndex> = clauses
            .iter()
            .flat_map(|&c| agreement.clauses[c].kinds.iter().copied())
            .collect();
        kinds.sort_by_key(|k| k.0);
        kinds.dedup();
        kinds
    } else {
        filter.kinds.clone()
    };
    let by: Vec<Bound> = if filter.parties.is_empty() {
        vec![Bound::AnyParty]
    } else {
        filter.parties.iter().map(|&p| Bound::Party(p)).collect()
    };
    let before: Vec<Hit> = evidence.events(
        &kinds,
        &filter.zones,
        &by,
        filter.counting.as_ref(),
        scope.bound,
    );
    let days = baseline.last.0 - baseline.first.0 + 1;
    let in_baseline: u64 = before
        .iter()
        .filter(|h| h.last >= baseline.first && h.first <= baseline.last)
        .count() as u64;
    let average = in_baseline as f64 * 7.0 / f64::from(days);
    let limit = average * (1.0 - percent / 100.0);
    let base_text = format!(
        "baseline {} to {}: {in_baseline} event(s), {:.1} a week; limit {:.1} a week",
        baseline.first, baseline.last, average, limit
    );
    if scope.observed_last < scope.window.first {
        return ConditionOutcome::pending(format!(
            "the window starts on {}; {base_text}",
            scope.window.first
        ));
    }
    let weekly = weekly(scope, hits);
    let total = weekly.iter().sum();
    let mut streak = 0;
    for (k, &count) in weekly.iter().enumerate() {
        streak = if count as f64 <= limit { streak + 1 } else { 0 };
        if streak >= needed {
            let met_on = scope.window.first.plus((7 * (k + 1) - 1) as i32);
            return trend_outcome(
                Status::Met,
                Some(met_on),
                format!(
                    "{needed} week(s) in a row at or below {:.1} violation(s) ({base_text}); weekly counts {}",
                    limit,
                    list_counts(&weekly[..=k])
                ),
                total,
            );
        }
    }
    let status = trend_status(scope, streak, weekly.len(), needed);
    trend_outcome(
        status,
        None,
        format!(
            "no {needed} week(s) in a row at or below {:.1} violation(s) ({base_text}); weekly counts {}",
            limit,
            if weekly.is_empty() {
                "none whole yet".to_string()
            } else {
                list_counts(&weekly)
            }
        ),
        total,
    )
}

fn list_counts(weekly: &[u64]) -> String {
    weekly
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
