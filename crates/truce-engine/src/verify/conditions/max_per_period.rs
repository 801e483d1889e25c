//! `max_violations_per_day`: at most a number of violations in each of a
//! number of consecutive periods (days, or weeks with `period_days = 7`).

use super::*;

/// At most `max` violations in each of `needed` consecutive periods of
/// `period_days` days. A period still under way counts once it is over the limit
/// (more evidence can only add to it), and towards the run only once it is whole.
pub(super) fn max_per_period(
    scope: &Scope<'_, '_>,
    hits: &[Hit],
    max: f64,
    needed: f64,
    period_days: i32,
) -> ConditionOutcome {
    let periods = match Periods::of(scope, needed, period_days) {
        Ok(periods) => periods,
        Err(pending) => return pending,
    };
    let (window, needed, unit) = (periods.window, periods.needed, &periods.unit);
    let counts = period_counts(
        hits,
        window.first,
        periods.observed_last,
        periods.period_days,
    );
    let whole = periods.whole();
    let mut run = 0i64;
    let mut best = (0i64, window.first);
    let mut worst: Option<(Day, u32)> = None;
    let mut breaking: Vec<usize> = Vec::new();
    for (i, (count, incidents)) in counts.iter().enumerate() {
        if f64::from(*count) > max {
            run = 0;
            if worst.is_none_or(|(_, c)| *count > c) {
                worst = Some((periods.start(i), *count));
            }
            breaking.extend(incidents.iter().copied());
            continue;
        }
        if i >= whole {
            continue; // under way and within the limit so far
        }
        run += 1;
        if run > best.0 {
            best = (run, periods.start(i + 1 - run as usize));
        }
        if run >= needed {
            let met_on = Day(periods.start(i + 1).0 - 1);
            let counted: Vec<usize> = counts
                .iter()
                .take(i + 1)
                .flat_map(|c| c.1.iter().copied())
                .collect();
            let (incidents, incidents_total) = scope.ids(&counted);
            return ConditionOutcome {
                status: Status::Met,
                met_on: Some(met_on),
                detail: Message::new("condition-violations-met")
                    .with("needed", Arg::number(needed))
                    .with("unit", unit.clone())
                    .with("max", Arg::number(fmt_num(max)))
                    .with("from", periods.start(i + 1 - needed as usize))
                    .with("to", met_on),
                count: counts.iter().take(i + 1).map(|c| u64::from(c.0)).sum(),
                incidents,
                incidents_total,
                rests_on_nothing: false,
            };
        }
    }
    let under_way_broken = counts.len() > whole && f64::from(counts[whole].0) > max;
    let remaining = periods.remaining(under_way_broken);
    let (incidents, incidents_total) = scope.ids(&breaking);
    let worst_text = worst.map_or_else(Message::default, |(d, c)| {
        Message::new("condition-violations-worst")
            .with("unit", unit.clone())
            .with("from", d)
            .with("count", Arg::number(c))
    });
    let best_text = longest_run_text(best, unit);
    let count = counts.iter().map(|c| u64::from(c.0)).sum();
    let (status, detail) = if !scope.window_over && run.saturating_add(remaining) >= needed {
        (
            Status::Pending,
            Message::new("condition-run-pending")
                .with("nothing", Message::default())
                .with("unknown", Message::default())
                .with("best", best_text)
                .with("needed", Arg::number(needed))
                .with("observed", periods.observed_last)
                .with("worst", worst_text),
        )
    } else {
        (
            Status::NotMet,
            Message::new("condition-violations-never")
                .with("needed", Arg::number(needed))
                .with("unit", unit.clone())
                .with("max", Arg::number(fmt_num(max)))
                .with("best", best_text)
                .with("worst", worst_text),
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
