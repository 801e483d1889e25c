//! `no_violation_at_sites`: no violation at a protected site during the window.

use super::*;

pub(super) fn no_violation_at_sites(
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
            detail: Message::new("condition-sites-broken")
                .with("count", Arg::number(in_window.len()))
                .with("first", first_hit.first.max(window.first)),
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
            detail: Message::new("condition-sites-met"),
            count: 0,
            incidents: Vec::new(),
            incidents_total: 0,
            rests_on_nothing: false,
        }
    } else {
        ConditionOutcome::pending(
            Message::new("condition-sites-pending").with("observed", scope.observed_last),
        )
    }
}
