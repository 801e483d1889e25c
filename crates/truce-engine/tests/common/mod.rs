//! What the engine's test files share: dates, running a check, reading a step and
//! the English of a sentence.

// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use truce_engine::corroborate::KeptApart;
use truce_engine::{CheckInput, CheckResult, StepResult, check};
use truce_model::agreement::Agreement;
use truce_model::report::Report;
use truce_model::time::Day;

pub fn day(text: &str) -> Day {
    Day::parse_iso(text).expect("valid date in test")
}

/// What the check reads, as of the end of `as_of`, with no analyst's decisions.
pub fn input<'a>(agreement: &'a Agreement, reports: &'a [Report], as_of: Day) -> CheckInput<'a> {
    CheckInput {
        agreement,
        reports,
        as_of: Some(as_of),
        kept_apart: &[],
        kept_together: &[],
    }
}

pub fn run(agreement: &Agreement, reports: &[Report], as_of: &str) -> CheckResult {
    check(&input(agreement, reports, day(as_of)))
}

/// The check with an analyst's decisions to keep pairs of reports apart or together.
pub fn run_with_decisions(
    agreement: &Agreement,
    reports: &[Report],
    as_of: &str,
    kept_apart: &[KeptApart],
    kept_together: &[KeptApart],
) -> CheckResult {
    check(&CheckInput {
        kept_apart,
        kept_together,
        ..input(agreement, reports, day(as_of))
    })
}

pub fn step<'a>(result: &'a CheckResult, id: &str) -> &'a StepResult {
    result
        .steps
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no step `{id}`"))
}

/// A sentence of the result in English, as the check's text and JSON write it.
pub trait English {
    fn en(&self) -> String;
}

impl English for truce_model::message::Message {
    fn en(&self) -> String {
        truce_words::english(self)
    }
}
