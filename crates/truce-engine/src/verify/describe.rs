//! Conditions and their numbers in words, for step results and reports.

use truce_model::agreement::{Agreement, Bound, Condition, CountingFilter, Param, ViolationFilter};
use truce_model::message::{Arg, Joiner, Message};

/// Ids as a comma-separated list, each as code.
fn codes<'a>(ids: impl Iterator<Item = &'a str>) -> Arg {
    Arg::codes(ids, Joiner::Comma)
}

pub(crate) fn fmt_num(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// A number of the agreement: as written, or the bracket's value in use and the
/// bracket it comes from.
pub(crate) fn param_text(agreement: &Agreement, param: Param, choice: &[usize]) -> Arg {
    let value = Arg::number(fmt_num(agreement.param(param, choice)));
    match param {
        Param::Fixed(_) => value,
        Param::Bracket(b) => Message::new("condition-bracket-param")
            .with("value", value)
            .with("bracket", &agreement.brackets[b].id)
            .into(),
    }
}

fn filter_text(agreement: &Agreement, filter: &ViolationFilter) -> Message {
    let mut parts: Vec<Arg> = Vec::new();
    let mut part = |key: &'static str, list: Arg| {
        parts.push(Message::new(key).with("ids", list).into());
    };
    if !filter.parties.is_empty() {
        part(
            "condition-filter-by",
            codes(
                filter
                    .parties
                    .iter()
                    .map(|p| agreement.parties[*p].id.as_str()),
            ),
        );
    }
    if !filter.zones.is_empty() {
        part(
            "condition-filter-in",
            codes(filter.zones.iter().map(|z| agreement.zones[*z].id.as_str())),
        );
    }
    if !filter.kinds.is_empty() {
        part(
            "condition-filter-of-kind",
            codes(filter.kinds.iter().map(|k| agreement.taxonomy.id(*k))),
        );
    }
    if !filter.clauses.is_empty() {
        part(
            "condition-filter-under",
            codes(
                filter
                    .clauses
                    .iter()
                    .map(|c| agreement.clauses[*c].id.as_str()),
            ),
        );
    }
    if parts.is_empty() {
        Message::default()
    } else {
        Message::new("condition-filter").with("parts", Arg::list(parts, Joiner::Space))
    }
}

/// The unit a `max-violations-per-period` condition counts in, in words.
pub(crate) fn period_name(period_days: i32) -> Message {
    match period_days {
        1 => Message::new("period-unit-day"),
        7 => Message::new("period-unit-week"),
        n => Message::new("period-unit-days").with("days", Arg::number(n)),
    }
}

fn bound_text(agreement: &Agreement, by: &[Bound]) -> Message {
    if by.is_empty() {
        return Message::default();
    }
    let names = by
        .iter()
        .map(|b| match b {
            Bound::AnyParty => Message::new("condition-any-party").into(),
            Bound::Party(p) => Arg::code(&agreement.parties[*p].id),
            Bound::Actor(a) => Arg::code(&agreement.actors[*a].id),
        })
        .collect();
    Message::new("condition-bound-by").with("names", Arg::list(names, Joiner::Comma))
}

/// A condition's own counting filter, when it has one, in words.
fn counting_text(counting: Option<&CountingFilter>) -> Message {
    let Some(c) = counting else {
        return Message::default();
    };
    let mut parts: Vec<Arg> = vec![
        Message::new("condition-counting-span")
            .with("days", Arg::number(c.longest_span_days))
            .into(),
        Message::new("condition-counting-location")
            .with("precision", c.coarsest_location.key())
            .into(),
    ];
    if c.aggregates {
        parts.push(Message::new("condition-counting-aggregates").into());
    }
    if !c.sources.is_empty() {
        parts.push(
            Message::new("condition-counting-sources")
                .with("sources", c.sources.join(", "))
                .into(),
        );
    }
    Message::new("condition-counting").with("parts", Arg::list(parts, Joiner::Comma))
}

/// A condition in words, with the numbers in use (a bracket's chosen value).
pub(crate) fn describe_condition(
    agreement: &Agreement,
    condition: &Condition,
    choice: &[usize],
) -> Message {
    let param = |p: &Param| param_text(agreement, *p, choice);
    match condition {
        Condition::MaxViolationsPerDay {
            max,
            days,
            period_days,
            filter,
        } => Message::new(if *period_days == 1 {
            "condition-max-violations-daily"
        } else {
            "condition-max-violations-per-period"
        })
        .with("max", param(max))
        .with("filter", filter_text(agreement, filter))
        .with("unit", period_name(*period_days))
        .with("periods", param(days))
        .with("counting", counting_text(filter.counting.as_ref())),
        Condition::MaxDeaths {
            max,
            periods,
            period_days,
            filter,
        } => {
            let unit = period_name(*period_days);
            let people = Message::new(if agreement.param(*max, choice) == 1.0 {
                "condition-person"
            } else {
                "condition-people"
            });
            let run = Message::new(if agreement.param(*periods, choice) == 1.0 {
                "condition-run-one"
            } else {
                "condition-run-many"
            })
            .with("periods", param(periods))
            .with("unit", unit.clone());
            Message::new("condition-max-deaths")
                .with("max", param(max))
                .with("people", people)
                .with("filter", filter_text(agreement, filter))
                .with("unit", unit)
                .with("run", run)
                .with("counting", counting_text(filter.counting.as_ref()))
        }
        Condition::NoViolationAtSites { sites, filter } => {
            let which: Arg = if sites.kinds.is_empty() && sites.sites.is_empty() {
                Message::new("condition-any-protected-site").into()
            } else {
                let mut names: Vec<Arg> = sites
                    .kinds
                    .iter()
                    .map(|k| Message::new("condition-site-kind").with("kind", k).into())
                    .collect();
                names.extend(
                    sites
                        .sites
                        .iter()
                        .map(|s| Arg::code(&agreement.sites[*s].id)),
                );
                Arg::list(names, Joiner::Comma)
            };
            Message::new("condition-no-violation-at-sites")
                .with("filter", filter_text(agreement, filter))
                .with("sites", which)
                .with("counting", counting_text(filter.counting.as_ref()))
        }
        Condition::MinEvents {
            min,
            kinds,
            zones,
            by,
            counting,
        } => Message::new("condition-min-events")
            .with("min", param(min))
            .with(
                "kinds",
                codes(kinds.iter().map(|k| agreement.taxonomy.id(*k))),
            )
            .with("by", bound_text(agreement, by))
            .with(
                "zones",
                if zones.is_empty() {
                    Message::default()
                } else {
                    Message::new("condition-in-zones").with(
                        "zones",
                        codes(zones.iter().map(|z| agreement.zones[*z].id.as_str())),
                    )
                },
            )
            .with("counting", counting_text(counting.as_ref())),
        Condition::FallingTrend {
            percent,
            weeks,
            baseline,
            filter,
        } => {
            let message = match baseline {
                None => Message::new("condition-falling-trend"),
                Some(baseline) => Message::new("condition-falling-trend-baseline")
                    .with("first", baseline.first)
                    .with("last", baseline.last),
            };
            message
                .with("filter", filter_text(agreement, filter))
                .with("percent", param(percent))
                .with("weeks", param(weeks))
                .with("counting", counting_text(filter.counting.as_ref()))
        }
    }
}
