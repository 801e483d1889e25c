//! Each step on both bounds: its window, its conditions, their outcomes combined
//! into one status, and the line that says it.

use super::conditions::verify_condition;
use super::describe::describe_condition;
use super::{Bound2, ClauseStarts, Evidence, Window};
use crate::result::{ConditionOutcome, ConditionResult, Outcome, Status, StepResult};
use truce_model::agreement::{Agreement, Step, StepEnd, StepStart};
use truce_model::message::{Arg, Joiner, Message};
use truce_model::time::{Day, Minute};

fn first_full_day(minute: Minute) -> Day {
    if minute.0.rem_euclid(truce_model::time::MINUTES_PER_DAY) == 0 {
        minute.day()
    } else {
        minute.day().next()
    }
}

/// The first day each clause binds on one bound, from the steps verified so far
/// (see [`ClauseStarts`]). A clause that starts with a later step is not yet
/// binding for this one.
fn clause_starts(agreement: &Agreement, met_on: &[Option<Day>]) -> ClauseStarts {
    agreement
        .clauses
        .iter()
        .map(|clause| match clause.from_step {
            None => i32::MIN,
            Some(step) => met_on
                .get(step)
                .copied()
                .flatten()
                .map_or(i32::MAX, |d| d.0 + 1),
        })
        .collect()
}

/// Verifies every step for one choice of bracket alternatives.
pub fn verify_steps(evidence: &Evidence<'_>, choice: &[usize]) -> Vec<StepResult> {
    let agreement = evidence.agreement;
    let mut results: Vec<StepResult> = Vec::with_capacity(agreement.steps.len());
    for step in &agreement.steps {
        let mut bounds = Vec::with_capacity(2);
        for bound in [Bound2::Lower, Bound2::Upper] {
            let met_on: Vec<Option<Day>> = results.iter().map(|r| pick(r, bound).met_on).collect();
            let starts = clause_starts(agreement, &met_on);
            bounds.push(verify_bound(
                evidence, step, &results, choice, &starts, bound,
            ));
        }
        let (upper_outcome, upper_conditions, upper_window) =
            bounds.pop().unwrap_or_else(empty_bound);
        let (mut lower_outcome, mut lower_conditions, lower_window) =
            bounds.pop().unwrap_or_else(empty_bound);
        mark_rests_on_nothing(
            step,
            &mut lower_outcome,
            &mut lower_conditions,
            &upper_conditions,
        );
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
            requires: step
                .requires
                .iter()
                .map(|&r| agreement.steps[r].id.clone())
                .collect(),
            on_certain: lower_outcome,
            with_possible: upper_outcome,
            conditions,
        });
    }
    results
}

fn pick(result: &StepResult, bound: Bound2) -> &Outcome {
    match bound {
        Bound2::Lower => &result.on_certain,
        Bound2::Upper => &result.with_possible,
    }
}

fn locked(explanation: Message) -> (Outcome, Vec<ConditionOutcome>, Option<Window>) {
    (
        Outcome {
            status: Status::Locked,
            met_on: None,
            explanation,
            rests_on_nothing: false,
        },
        Vec::new(),
        None,
    )
}

/// One step on one bound: locked until its dependencies are met on that bound, else
/// its window and conditions.
fn verify_bound(
    evidence: &Evidence<'_>,
    step: &Step,
    results: &[StepResult],
    choice: &[usize],
    starts: &ClauseStarts,
    bound: Bound2,
) -> (Outcome, Vec<ConditionOutcome>, Option<Window>) {
    let agreement = evidence.agreement;
    let unmet: Vec<&StepResult> = step
        .requires
        .iter()
        .map(|&r| &results[r])
        .filter(|r| pick(r, bound).status != Status::Met)
        .collect();
    if !unmet.is_empty() {
        let names = unmet
            .iter()
            .map(|r| {
                Message::new("step-waits-for-one")
                    .with("step", &r.id)
                    .with("status", pick(r, bound).status.message())
                    .into()
            })
            .collect();
        return locked(
            Message::new("step-locked-waits").with("steps", Arg::list(names, Joiner::Comma)),
        );
    }
    let first = match step.start {
        StepStart::At { minute } => first_full_day(minute),
        StepStart::AfterStep { step: dep } => match pick(&results[dep], bound).met_on {
            Some(d) => d.next(),
            None => return locked(Message::new("step-locked-start")),
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
        .map(|c| verify_condition(evidence, c, choice, starts, &window, bound))
        .collect();
    let outcome = combine(&conditions, evidence, &window);
    (outcome, conditions, Some(window))
}

/// A condition that counts violations and is met on the certain bound while it
/// counted nothing there, though the possible bound found some, says nothing: the
/// certain bound met it only because no report could be attributed or placed for
/// certain. Marked, so that text, JSON and the dashboard say so.
fn mark_rests_on_nothing(
    step: &Step,
    lower: &mut Outcome,
    lower_conditions: &mut [ConditionOutcome],
    upper_conditions: &[ConditionOutcome],
) {
    let mut any = false;
    for ((condition, certain), possible) in step
        .conditions
        .iter()
        .zip(lower_conditions.iter_mut())
        .zip(upper_conditions)
    {
        if condition.filter().is_none()
            || certain.count > 0
            || possible.count == 0
            || !matches!(certain.status, Status::Met | Status::Pending)
        {
            continue;
        }
        certain.rests_on_nothing = true;
        certain.detail = Message::new("step-condition-rests-on-nothing")
            .with("possible", Arg::number(possible.count))
            .with("detail", std::mem::take(&mut certain.detail));
        any = true;
    }
    if any && lower.status == Status::Met {
        lower.rests_on_nothing = true;
        lower.explanation = Message::new("step-rests-on-nothing")
            .with("explanation", std::mem::take(&mut lower.explanation));
    }
}

fn empty_bound() -> (Outcome, Vec<ConditionOutcome>, Option<Window>) {
    (
        Outcome {
            status: Status::Pending,
            met_on: None,
            explanation: Message::default(),
            rests_on_nothing: false,
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

fn day_text(day: Option<Day>) -> Arg {
    day.map_or_else(|| Arg::verbatim("?"), Arg::Day)
}

fn summary_line(status: &Status, lower: &Outcome, upper: &Outcome) -> Message {
    match status {
        Status::Met => Message::new("step-met-on").with("day", day_text(upper.met_on)),
        Status::NotMet => lower.explanation.clone(),
        Status::Locked if lower.status == Status::Locked => lower.explanation.clone(),
        Status::Locked => upper.explanation.clone(),
        Status::Pending => Message::new("step-pending").with(
            "explanation",
            if upper.status == Status::Pending {
                upper.explanation.clone()
            } else {
                lower.explanation.clone()
            },
        ),
        Status::InsufficientEvidence => match (lower.status, upper.status) {
            (Status::Met, Status::NotMet) if lower.rests_on_nothing => {
                Message::new("step-upper-unmet-lower-rests-on-nothing")
                    .with("upper", upper.explanation.clone())
            }
            (Status::Met, Status::NotMet) => Message::new("step-lower-met-upper-unmet")
                .with("day", day_text(lower.met_on))
                .with("upper", upper.explanation.clone()),
            (Status::NotMet, Status::Met) => {
                Message::new("step-lower-unmet-upper-met").with("lower", lower.explanation.clone())
            }
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
    let outcome = |status, met_on, explanation| Outcome {
        status,
        met_on,
        explanation,
        rests_on_nothing: false,
    };
    if conditions.is_empty() {
        return outcome(Status::Pending, None, Message::new("step-no-condition"));
    }
    if let Some(failed) = conditions.iter().find(|c| c.status == Status::NotMet) {
        return outcome(
            Status::NotMet,
            None,
            Message::new("step-not-met").with("detail", failed.detail.clone()),
        );
    }
    if conditions.iter().all(|c| c.status == Status::Met) {
        let met_on = conditions.iter().filter_map(|c| c.met_on).max();
        return outcome(
            Status::Met,
            met_on,
            Message::new("step-met-on").with("day", day_text(met_on)),
        );
    }
    let waiting = Arg::list(
        conditions
            .iter()
            .filter(|c| c.status != Status::Met)
            .map(|c| c.detail.clone().into())
            .collect(),
        Joiner::Semicolon,
    );
    let beyond_evidence = evidence
        .last_evidence_day
        .is_none_or(|d| d < evidence.as_of)
        && window.last.is_none_or(|l| l > evidence.horizon());
    if beyond_evidence && window.last.is_some_and(|l| l <= evidence.as_of) {
        let until = evidence.last_evidence_day.map_or_else(
            || Message::new("step-no-evidence"),
            |d| Message::new("step-evidence-ends").with("day", d),
        );
        return outcome(
            Status::InsufficientEvidence,
            None,
            Message::new("step-insufficient-evidence")
                .with("until", until)
                .with("waiting", waiting),
        );
    }
    outcome(
        Status::Pending,
        None,
        Message::new("step-waiting").with("waiting", waiting),
    )
}
