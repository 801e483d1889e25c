//! Conditions and their numbers in words, for step results and reports.

use truce_model::agreement::{Agreement, Bound, Condition, CountingFilter, Param, ViolationFilter};

pub(crate) fn fmt_num(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

pub(crate) fn param_text(agreement: &Agreement, param: Param, choice: &[usize]) -> String {
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

/// The unit a `max-violations-per-period` condition counts in, in words.
pub(crate) fn period_name(period_days: i32) -> String {
    match period_days {
        1 => "day".into(),
        7 => "week".into(),
        n => format!("{n}-day period"),
    }
}

fn list<T>(items: &[T], name: impl Fn(&T) -> String) -> String {
    items.iter().map(name).collect::<Vec<_>>().join(", ")
}

fn bound_text(agreement: &Agreement, by: &[Bound]) -> String {
    if by.is_empty() {
        return String::new();
    }
    let names = list(by, |b| match b {
        Bound::AnyParty => "any party".to_string(),
        Bound::Party(p) => format!("`{}`", agreement.parties[*p].id),
        Bound::Actor(a) => format!("`{}`", agreement.actors[*a].id),
    });
    format!(" by {names}")
}

/// A condition's own counting filter, when it has one, in words.
fn counting_text(counting: Option<&CountingFilter>) -> String {
    let Some(c) = counting else {
        return String::new();
    };
    let mut parts = vec![
        format!("reports dated to at most {} day(s)", c.longest_span_days),
        format!("located to the {} or better", c.coarsest_location.key()),
    ];
    if c.aggregates {
        parts.push("aggregates included".into());
    }
    if !c.sources.is_empty() {
        parts.push(format!("from {}", c.sources.join(", ")));
    }
    format!(" (counting {})", parts.join(", "))
}

pub(crate) fn describe_condition(
    agreement: &Agreement,
    condition: &Condition,
    choice: &[usize],
) -> String {
    match condition {
        Condition::MaxViolationsPerDay {
            max,
            days,
            period_days,
            filter,
        } => {
            let unit = period_name(*period_days);
            let (each, run) = if *period_days == 1 {
                ("a day".to_string(), "consecutive days".to_string())
            } else {
                (format!("a {unit}"), format!("consecutive {unit}s"))
            };
            format!(
                "at most {} violation(s){} {each} for {} {run}{}",
                param_text(agreement, *max, choice),
                filter_text(agreement, filter),
                param_text(agreement, *days, choice),
                counting_text(filter.counting.as_ref())
            )
        }
        Condition::MaxDeaths {
            max,
            periods,
            period_days,
            filter,
        } => {
            let unit = period_name(*period_days);
            let people = if agreement.param(*max, choice) == 1.0 {
                "person"
            } else {
                "people"
            };
            let run = if agreement.param(*periods, choice) == 1.0 {
                format!("for {} {unit}", param_text(agreement, *periods, choice))
            } else {
                format!(
                    "{} {unit}s in a row",
                    param_text(agreement, *periods, choice)
                )
            };
            format!(
                "at most {} {people} killed in violations{} a {unit}, {run}{}",
                param_text(agreement, *max, choice),
                filter_text(agreement, filter),
                counting_text(filter.counting.as_ref())
            )
        }
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
            format!(
                "no violation{} at {which}{}",
                filter_text(agreement, filter),
                counting_text(filter.counting.as_ref())
            )
        }
        Condition::MinEvents {
            min,
            kinds,
            zones,
            by,
            counting,
        } => format!(
            "at least {} event(s) of kind {}{}{}{}",
            param_text(agreement, *min, choice),
            list(kinds, |k| format!("`{}`", agreement.taxonomy.id(*k))),
            bound_text(agreement, by),
            if zones.is_empty() {
                String::new()
            } else {
                format!(
                    " in {}",
                    list(zones, |z| format!("`{}`", agreement.zones[*z].id))
                )
            },
            counting_text(counting.as_ref())
        ),
        Condition::FallingTrend {
            percent,
            weeks,
            baseline: None,
            filter,
        } => format!(
            "violations{} down by at least {}% week over week, {} time(s) in a row{}",
            filter_text(agreement, filter),
            param_text(agreement, *percent, choice),
            param_text(agreement, *weeks, choice),
            counting_text(filter.counting.as_ref())
        ),
        Condition::FallingTrend {
            percent,
            weeks,
            baseline: Some(baseline),
            filter,
        } => format!(
            "violations{} at least {}% below the weekly average of {} to {} (before the terms), {} week(s) in a row{}",
            filter_text(agreement, filter),
            param_text(agreement, *percent, choice),
            baseline.first,
            baseline.last,
            param_text(agreement, *weeks, choice),
            counting_text(filter.counting.as_ref())
        ),
    }
}
