//! `max_deaths`: at most a number of people killed in violations in each of a
//! number of consecutive periods (days, or weeks with `period_days = 7`).
//!
//! The lower count of a period adds the low estimates of deaths of the violations
//! that certainly count; the upper count the high estimates of every violation that
//! may count. A violation whose deaths are unknown adds nothing to the lower count
//! and leaves the upper count resting on nothing: that period cannot hold on the
//! upper bound, so the step is never met on it.

use super::*;

/// The deaths of one period on one bound, and what they rest on.
#[derive(Default)]
struct PeriodDeaths {
    /// Low estimates on the lower bound, high estimates on the upper.
    deaths: u64,
    /// Violations counted in the period.
    violations: u32,
    /// Of them, violations whose deaths are unknown.
    unknown: u32,
    /// The first of its incidents (at most [`MAX_LISTED_INCIDENTS`]).
    incidents: Vec<usize>,
}

/// How many people each hit's incident killed, on the bound (its low estimate on the
/// lower, its high on the upper), merged across the reports of the incident as the
/// incident's casualties are; `None` when no report of it gives a death count.
fn incident_deaths(scope: &Scope<'_, '_>, hits: &[Hit]) -> Vec<Option<u64>> {
    let evidence = scope.evidence;
    let slot: std::collections::HashMap<usize, usize> = hits
        .iter()
        .enumerate()
        .map(|(k, hit)| (hit.incident, k))
        .collect();
    let mut members: Vec<Vec<usize>> = hits.iter().map(|hit| vec![hit.incident]).collect();
    if !hits.is_empty() {
        for (report, &representative) in evidence.representative.iter().enumerate() {
            if report != representative
                && let Some(&k) = slot.get(&representative)
            {
                members[k].push(report);
            }
        }
    }
    members
        .iter()
        .map(|list| {
            crate::merged_casualties(
                list.iter()
                    .filter_map(|&r| evidence.reports.get(r).and_then(|r| r.casualties)),
            )
            .map(|c| match scope.bound {
                Bound2::Lower => u64::from(c.low),
                Bound2::Upper => u64::from(c.high),
            })
        })
        .collect()
}

/// Deaths over `[first, last]` in periods of `period_days` days (the last one may be
/// cut short), each incident in every period it touches: the walk of
/// [`period_counts`], with deaths.
fn period_deaths(
    scope: &Scope<'_, '_>,
    hits: &[Hit],
    last: Day,
    period_days: i32,
) -> Vec<PeriodDeaths> {
    let first = scope.window.first;
    let days = (last.0 - first.0 + 1).max(0);
    let count = ((days + period_days - 1) / period_days) as usize;
    let mut periods: Vec<PeriodDeaths> = (0..count).map(|_| PeriodDeaths::default()).collect();
    for (hit, deaths) in hits.iter().zip(incident_deaths(scope, hits)) {
        let from = hit.first.0.max(first.0);
        let to = hit.last.0.min(last.0);
        if from > to {
            continue;
        }
        for period in (from - first.0) / period_days..=(to - first.0) / period_days {
            let slot = &mut periods[period as usize];
            slot.violations += 1;
            match deaths {
                Some(n) => slot.deaths += n,
                None => slot.unknown += 1,
            }
            if slot.incidents.len() < MAX_LISTED_INCIDENTS {
                slot.incidents.push(hit.incident);
            }
        }
    }
    periods
}

/// "person" or "people", for a number of people killed.
fn people(n: f64) -> Message {
    Message::new(if n == 1.0 {
        "condition-person"
    } else {
        "condition-people"
    })
}

/// What the walk over the periods found when no run was long enough.
struct Walk {
    /// The current run of whole periods that hold, and the longest (length, first day).
    run: i64,
    best: (i64, Day),
    /// The period over the limit with the most deaths: its first day and count.
    worst: Option<(Day, u64)>,
    /// On the upper bound, periods whose count rests on nothing: the first's day, how many.
    unknown: Option<(Day, usize)>,
    breaking: Vec<usize>,
}

/// The lower count is a floor, the upper a ceiling: "at least 3 people killed",
/// "up to 7 people killed".
fn killed(bound: Bound2, n: u64) -> Message {
    let n = n as f64;
    Message::new(match bound {
        Bound2::Lower => "condition-killed-at-least",
        Bound2::Upper => "condition-killed-up-to",
    })
    .with("count", Arg::number(fmt_num(n)))
    .with("people", people(n))
}

/// At most `max` people killed in violations in each of `needed` consecutive periods
/// of `period_days` days. A period still under way breaks the run once its count is
/// over the limit (more evidence can only add to it), or on the upper bound once a
/// violation in it has no death count; it counts towards the run only once whole.
pub(super) fn max_deaths(
    scope: &Scope<'_, '_>,
    hits: &[Hit],
    max: f64,
    needed: f64,
    period_days: i32,
) -> ConditionOutcome {
    let span = match Periods::of(scope, needed, period_days) {
        Ok(span) => span,
        Err(pending) => return pending,
    };
    let (needed, unit) = (span.needed, &span.unit);
    let periods = period_deaths(scope, hits, span.observed_last, span.period_days);
    let whole = span.whole();
    let mut walk = Walk {
        run: 0,
        best: (0, span.window.first),
        worst: None,
        unknown: None,
        breaking: Vec::new(),
    };
    for (i, period) in periods.iter().enumerate() {
        if broken(scope.bound, period, max) {
            walk.run = 0;
            if period.deaths as f64 > max && walk.worst.is_none_or(|(_, d)| period.deaths > d) {
                walk.worst = Some((span.start(i), period.deaths));
            }
            if scope.bound == Bound2::Upper && period.unknown > 0 {
                let (first, n) = walk.unknown.unwrap_or((span.start(i), 0));
                walk.unknown = Some((first, n + 1));
            }
            walk.breaking.extend(period.incidents.iter().copied());
            continue;
        }
        if i >= whole {
            continue; // under way and within the limit so far
        }
        walk.run += 1;
        if walk.run > walk.best.0 {
            walk.best = (walk.run, span.start(i + 1 - walk.run as usize));
        }
        if walk.run >= needed {
            let met_on = Day(span.start(i + 1).0 - 1);
            let most = periods[i + 1 - needed as usize..=i]
                .iter()
                .map(|p| p.deaths)
                .max()
                .unwrap_or(0);
            let counted: Vec<usize> = periods
                .iter()
                .take(i + 1)
                .flat_map(|p| p.incidents.iter().copied())
                .collect();
            let (incidents, incidents_total) = scope.ids(&counted);
            let unknown: u32 = match scope.bound {
                Bound2::Lower => periods.iter().take(i + 1).map(|p| p.unknown).sum(),
                Bound2::Upper => 0, // the periods of the run have none
            };
            return ConditionOutcome {
                status: Status::Met,
                met_on: Some(met_on),
                detail: Message::new("condition-deaths-met")
                    .with("needed", Arg::number(needed))
                    .with("unit", unit.clone())
                    .with("max", Arg::number(fmt_num(max)))
                    .with("people", people(max))
                    .with("from", span.start(i + 1 - needed as usize))
                    .with("to", met_on)
                    .with("worst", killed(scope.bound, most))
                    .with("unknown", add_nothing(unknown)),
                count: periods
                    .iter()
                    .take(i + 1)
                    .map(|p| u64::from(p.violations))
                    .sum(),
                incidents,
                incidents_total,
                rests_on_nothing: false,
            };
        }
    }
    unmet(scope, &span, &periods, walk, max)
}

/// On the lower bound, what violations with no death count gave: nothing.
fn add_nothing(unknown: u32) -> Message {
    if unknown == 0 {
        Message::default()
    } else {
        Message::new("condition-deaths-unknown-add-nothing").with("count", Arg::number(unknown))
    }
}

/// A period does not hold when its count is over the limit, or when its upper count
/// rests on nothing.
fn broken(bound: Bound2, period: &PeriodDeaths, max: f64) -> bool {
    period.deaths as f64 > max || (bound == Bound2::Upper && period.unknown > 0)
}

/// No run long enough so far: `pending` while the periods left in the window can
/// still make one, else `not met`, with the longest run, the worst period and what
/// the counts rest on.
fn unmet(
    scope: &Scope<'_, '_>,
    span: &Periods<'_>,
    periods: &[PeriodDeaths],
    walk: Walk,
    max: f64,
) -> ConditionOutcome {
    let (needed, unit) = (span.needed, &span.unit);
    let whole = span.whole();
    let under_way_broken = periods.len() > whole && broken(scope.bound, &periods[whole], max);
    let remaining = span.remaining(under_way_broken);
    let unknown_total: u32 = periods.iter().map(|p| p.unknown).sum();
    let nothing_text = match walk.unknown {
        Some((first, n)) => Message::new("condition-deaths-rest-on-nothing")
            .with("count", Arg::number(unknown_total))
            .with("periods", Arg::number(n))
            .with("unit", unit.clone())
            .with("first", first),
        None => Message::default(),
    };
    let unknown_text = match scope.bound {
        Bound2::Lower => add_nothing(unknown_total),
        Bound2::Upper => Message::default(),
    };
    let worst_text = walk.worst.map_or_else(Message::default, |(d, n)| {
        Message::new("condition-deaths-worst")
            .with("unit", unit.clone())
            .with("from", d)
            .with("killed", killed(scope.bound, n))
    });
    let best_text = longest_run_text(walk.best, unit);
    let (status, detail) = if !scope.window_over && walk.run.saturating_add(remaining) >= needed {
        (
            Status::Pending,
            Message::new("condition-run-pending")
                .with("nothing", nothing_text)
                .with("best", best_text)
                .with("needed", Arg::number(needed))
                .with("observed", span.observed_last)
                .with("worst", worst_text)
                .with("unknown", unknown_text),
        )
    } else {
        (
            Status::NotMet,
            Message::new("condition-deaths-never")
                .with("nothing", nothing_text)
                .with("needed", Arg::number(needed))
                .with("unit", unit.clone())
                .with("max", Arg::number(fmt_num(max)))
                .with("people", people(max))
                .with("best", best_text)
                .with("worst", worst_text)
                .with("unknown", unknown_text),
        )
    };
    let (incidents, incidents_total) = scope.ids(&walk.breaking);
    ConditionOutcome {
        status,
        met_on: None,
        detail,
        count: periods.iter().map(|p| u64::from(p.violations)).sum(),
        incidents,
        incidents_total,
        rests_on_nothing: false,
    }
}
