//! One condition of a step, on one bound, over the step's window.
//!
//! A status, once final, stays final as evidence is added day by day: `met` is
//! given on the day the condition is first satisfied, `not met` only once it can
//! no longer be satisfied within the window (or the window is over); an open window
//! can only be `pending` or `met`.

mod at_sites;
mod max_deaths;
mod max_per_period;
mod min_events;
mod trend;

use at_sites::no_violation_at_sites;
use max_deaths::max_deaths;
use max_per_period::max_per_period;
use min_events::min_events;
use trend::{below_baseline, week_over_week};

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
use truce_model::message::{Arg, Message};
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

/// What a condition over consecutive periods starts from (`max-per-period`,
/// `max-deaths`): its window, the last day observed, how many periods in a row
/// are needed, their length and its name; pending while nothing is observed.
struct Periods<'w> {
    window: &'w Window,
    observed_last: Day,
    needed: i64,
    period_days: i32,
    unit: Message,
}

impl<'w> Periods<'w> {
    fn of(
        scope: &Scope<'w, '_>,
        needed: f64,
        period_days: i32,
    ) -> Result<Periods<'w>, ConditionOutcome> {
        let window = scope.window;
        let observed_last = scope.observed_last;
        if observed_last < window.first {
            return Err(ConditionOutcome::pending(
                Message::new("condition-window-not-started").with("first", window.first),
            ));
        }
        let period_days = period_days.max(1);
        Ok(Periods {
            window,
            observed_last,
            needed: needed.max(1.0) as i64,
            period_days,
            unit: period_name(period_days),
        })
    }

    /// How many whole periods lie between the window's first day and the last day
    /// observed; a period after them is still under way.
    fn whole(&self) -> usize {
        ((self.observed_last.0 - self.window.first.0 + 1) / self.period_days) as usize
    }

    /// The first day of period `i`.
    fn start(&self, i: usize) -> Day {
        self.window.first.plus(i as i32 * self.period_days)
    }

    /// Whole periods still to come in the window: the one under way counts unless
    /// it is already broken. Unbounded for a window with no end.
    fn remaining(&self, under_way_broken: bool) -> i64 {
        self.window.last.map_or(i64::MAX, |last| {
            i64::from((last.0 - self.window.first.0 + 1) / self.period_days)
                - self.whole() as i64
                - i64::from(under_way_broken)
        })
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
        Condition::MaxDeaths {
            max,
            periods,
            period_days,
            filter,
        } => {
            let hits = evidence.violations(condition, filter, choice, starts, bound, &|_| {
                Some(Certainty::Certain)
            });
            max_deaths(
                &scope,
                &hits,
                scope.param(*max),
                scope.param(*periods),
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

/// The longest run of periods within the limit, in words.
fn longest_run_text(best: (i64, Day), unit: &Message) -> Message {
    if best.0 > 0 {
        Message::new("condition-longest-run")
            .with("periods", Arg::number(best.0))
            .with("unit", unit.clone())
            .with("from", best.1)
    } else {
        Message::new("condition-no-whole-period").with("unit", unit.clone())
    }
}
