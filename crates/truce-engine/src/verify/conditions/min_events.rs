//! `min_events`: at least a number of events of the given (positive) kinds, in
//! the given zones, by the given parties.

use super::*;

pub(super) fn min_events(
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
        return outcome(
            Status::Met,
            Some(window.first),
            Message::new("condition-no-event-needed"),
        );
    }
    let index = needed.ceil() as usize - 1;
    if let Some(hit) = hits.get(index) {
        return outcome(
            Status::Met,
            Some(hit.first),
            Message::new("condition-events-met")
                .with("count", Arg::number(hits.len()))
                .with("by", hit.first)
                .with("needed", Arg::number(fmt_num(needed))),
        );
    }
    outcome(
        scope.open_or_failed(),
        None,
        Message::new("condition-events-pending")
            .with("count", Arg::number(hits.len()))
            .with("needed", Arg::number(fmt_num(needed)))
            .with("observed", scope.observed_last),
    )
}
