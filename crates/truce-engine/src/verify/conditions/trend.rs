//! `falling_trend`: violations falling week over week, or every week below a
//! baseline's weekly average.

use super::*;

/// Weekly counts over the whole weeks observed in the window.
pub(super) fn weekly(scope: &Scope<'_, '_>, hits: &[Hit]) -> Vec<u64> {
    let counts = period_counts(hits, scope.window.first, scope.observed_last, 7);
    let whole = ((scope.observed_last.0 - scope.window.first.0 + 1) / 7).max(0) as usize;
    counts.iter().take(whole).map(|c| u64::from(c.0)).collect()
}

/// A trend not yet met: an open window can still see it; a closed one whose whole weeks
/// left cannot complete the streak (`streak` weeks so far, `seen` weeks observed) is over.
pub(super) fn trend_status(
    scope: &Scope<'_, '_>,
    streak: usize,
    seen: usize,
    needed: usize,
) -> Status {
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

pub(super) fn trend_outcome(
    status: Status,
    met_on: Option<Day>,
    detail: Message,
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

pub(super) fn week_over_week(
    scope: &Scope<'_, '_>,
    hits: &[Hit],
    percent: f64,
    needed: usize,
) -> ConditionOutcome {
    if scope.observed_last < scope.window.first {
        return ConditionOutcome::pending(
            Message::new("condition-window-starts").with("first", scope.window.first),
        );
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
                Message::new("condition-trend-met")
                    .with("percent", Arg::number(fmt_num(percent)))
                    .with("needed", Arg::number(needed))
                    .with("counts", Arg::number(trail.join(", "))),
                total,
            );
        }
    }
    let text = if trail.is_empty() {
        Message::new("condition-trend-too-few-weeks")
    } else {
        Message::new("condition-trend-counts").with("counts", Arg::number(trail.join(", ")))
    };
    let status = trend_status(scope, streak, weekly.len(), needed);
    trend_outcome(
        status,
        None,
        Message::new("condition-trend-unmet")
            .with("needed", Arg::number(needed))
            .with("percent", Arg::number(fmt_num(percent)))
            .with("counts", text),
        total,
    )
}

/// Every one of `needed` whole weeks in a row at least `percent` % below the
/// baseline's weekly average of hostilities (counted on the same bound, with the
/// same kinds, zones and parties, before the terms bound anyone).
pub(super) fn below_baseline(
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
    let base_text = Message::new("condition-baseline")
        .with("first", baseline.first)
        .with("last", baseline.last)
        .with("events", Arg::number(in_baseline))
        .with("average", Arg::number(format!("{average:.1}")))
        .with("limit", Arg::number(format!("{limit:.1}")));
    if scope.observed_last < scope.window.first {
        return ConditionOutcome::pending(
            Message::new("condition-baseline-not-started")
                .with("first", scope.window.first)
                .with("baseline", base_text),
        );
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
                Message::new("condition-baseline-met")
                    .with("needed", Arg::number(needed))
                    .with("limit", Arg::number(format!("{limit:.1}")))
                    .with("baseline", base_text)
                    .with("counts", Arg::number(list_counts(&weekly[..=k]))),
                total,
            );
        }
    }
    let status = trend_status(scope, streak, weekly.len(), needed);
    trend_outcome(
        status,
        None,
        Message::new("condition-baseline-unmet")
            .with("needed", Arg::number(needed))
            .with("limit", Arg::number(format!("{limit:.1}")))
            .with("baseline", base_text)
            .with(
                "counts",
                if weekly.is_empty() {
                    Message::new("condition-no-whole-week").into()
                } else {
                    Arg::number(list_counts(&weekly))
                },
            ),
        total,
    )
}

pub(super) fn list_counts(weekly: &[u64]) -> String {
    weekly
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
