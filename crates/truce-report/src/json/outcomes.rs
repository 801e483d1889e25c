//! The check's steps, tallies, brackets and entitlements as `truce-check/2`
//! writes them, each converted from the engine's by a plain copy of its fields.

use super::evidence::Sentence;
use serde::Serialize;
use truce_engine as engine;
use truce_model::time::Day;

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(as = StepStatus)]
pub enum Status {
    Met,
    NotMet,
    Pending,
    InsufficientEvidence,
    Locked,
}

impl From<engine::Status> for Status {
    fn from(status: engine::Status) -> Self {
        match status {
            engine::Status::Met => Status::Met,
            engine::Status::NotMet => Status::NotMet,
            engine::Status::Pending => Status::Pending,
            engine::Status::InsufficientEvidence => Status::InsufficientEvidence,
            engine::Status::Locked => Status::Locked,
        }
    }
}

/// A step's or condition's outcome on one bound of the evidence.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Outcome<'a> {
    pub status: Status,
    pub met_on: Option<Day>,
    #[schemars(with = "String")]
    pub explanation: Sentence<'a>,
    /// Met on the certain bound only because no report in the window could be counted
    /// with certainty while some could possibly: the certain bound says nothing here.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rests_on_nothing: bool,
}

impl<'a> From<&'a engine::Outcome> for Outcome<'a> {
    fn from(outcome: &'a engine::Outcome) -> Self {
        Outcome {
            status: outcome.status.into(),
            met_on: outcome.met_on,
            explanation: Sentence(&outcome.explanation),
            rests_on_nothing: outcome.rests_on_nothing,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ConditionOutcome<'a> {
    pub status: Status,
    pub met_on: Option<Day>,
    #[schemars(with = "String")]
    pub detail: Sentence<'a>,
    /// The number the condition counted (violations or events in the observed window).
    pub count: u64,
    /// Incidents behind the outcome (the breaking days' violations, or the counted events), at most 50.
    pub incidents: &'a [String],
    pub incidents_total: usize,
    /// On the certain bound: nothing could be counted with certainty while the
    /// possible bound counted something, so this outcome says nothing.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rests_on_nothing: bool,
}

impl<'a> From<&'a engine::ConditionOutcome> for ConditionOutcome<'a> {
    fn from(outcome: &'a engine::ConditionOutcome) -> Self {
        ConditionOutcome {
            status: outcome.status.into(),
            met_on: outcome.met_on,
            detail: Sentence(&outcome.detail),
            count: outcome.count,
            incidents: &outcome.incidents,
            incidents_total: outcome.incidents_total,
            rests_on_nothing: outcome.rests_on_nothing,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ConditionResult<'a> {
    #[schemars(with = "String")]
    pub description: Sentence<'a>,
    pub on_certain: ConditionOutcome<'a>,
    pub with_possible: ConditionOutcome<'a>,
}

impl<'a> From<&'a engine::ConditionResult> for ConditionResult<'a> {
    fn from(condition: &'a engine::ConditionResult) -> Self {
        ConditionResult {
            description: Sentence(&condition.description),
            on_certain: (&condition.on_certain).into(),
            with_possible: (&condition.with_possible).into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct StepResult<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub status: Status,
    pub met_on: Option<Day>,
    #[schemars(with = "String")]
    pub summary: Sentence<'a>,
    pub window_first: Option<Day>,
    pub window_last: Option<Day>,
    pub requires: &'a [String],
    /// The outcome counting certain evidence only (lower bound of violations).
    pub on_certain: Outcome<'a>,
    /// The outcome counting possible evidence too (upper bound of violations).
    pub with_possible: Outcome<'a>,
    pub conditions: Vec<ConditionResult<'a>>,
}

impl<'a> From<&'a engine::StepResult> for StepResult<'a> {
    fn from(step: &'a engine::StepResult) -> Self {
        StepResult {
            id: &step.id,
            name: &step.name,
            status: step.status.into(),
            met_on: step.met_on,
            summary: Sentence(&step.summary),
            window_first: step.window_first,
            window_last: step.window_last,
            requires: &step.requires,
            on_certain: (&step.on_certain).into(),
            with_possible: (&step.with_possible).into(),
            conditions: step.conditions.iter().map(Into::into).collect(),
        }
    }
}

/// Violations counted as incidents: certain only, and certain plus possible. Per
/// party, "certain" means certainly by that party; per clause and in all, that the
/// clause was certainly broken, whoever did it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Tally<'a> {
    pub id: &'a str,
    pub certain: u64,
    pub certain_or_possible: u64,
    /// Acts a clause forbids that an exception allows (strikes on excluded groups…).
    pub allowed: u64,
}

impl<'a> From<&'a engine::Tally> for Tally<'a> {
    fn from(tally: &'a engine::Tally) -> Self {
        Tally {
            id: &tally.id,
            certain: tally.certain,
            certain_or_possible: tally.certain_or_possible,
            allowed: tally.allowed,
        }
    }
}

/// A guarantor's account: violations by the parties whose compliance it guarantees.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct GuarantorTally<'a> {
    pub guarantor: &'a str,
    pub guarantees: &'a [String],
    /// Incidents certainly by one of the guaranteed parties, or possibly.
    pub certain: u64,
    pub certain_or_possible: u64,
}

impl<'a> From<&'a engine::GuarantorTally> for GuarantorTally<'a> {
    fn from(tally: &'a engine::GuarantorTally) -> Self {
        GuarantorTally {
            guarantor: &tally.guarantor,
            guarantees: &tally.guarantees,
            certain: tally.certain,
            certain_or_possible: tally.certain_or_possible,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct StepBrief<'a> {
    pub id: &'a str,
    pub status: Status,
    pub met_on: Option<Day>,
    #[schemars(with = "String")]
    pub summary: Sentence<'a>,
}

impl<'a> From<&'a engine::StepBrief> for StepBrief<'a> {
    fn from(step: &'a engine::StepBrief) -> Self {
        StepBrief {
            id: &step.id,
            status: step.status.into(),
            met_on: step.met_on,
            summary: Sentence(&step.summary),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct AlternativeResult<'a> {
    /// The alternative as written (`7`, `included`).
    pub value: &'a str,
    /// True for the alternative the main report uses (resolved, or the first).
    pub working: bool,
    pub steps: Vec<StepBrief<'a>>,
    /// Violations under this alternative (differs only for brackets around clauses).
    pub violations: Tally<'a>,
}

impl<'a> From<&'a engine::AlternativeResult> for AlternativeResult<'a> {
    fn from(alternative: &'a engine::AlternativeResult) -> Self {
        AlternativeResult {
            value: &alternative.value,
            working: alternative.working,
            steps: alternative.steps.iter().map(Into::into).collect(),
            violations: (&alternative.violations).into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct BracketResult<'a> {
    pub id: &'a str,
    pub text: &'a str,
    pub resolved: Option<&'a str>,
    pub alternatives: Vec<AlternativeResult<'a>>,
}

impl<'a> From<&'a engine::BracketResult> for BracketResult<'a> {
    fn from(bracket: &'a engine::BracketResult) -> Self {
        BracketResult {
            id: &bracket.id,
            text: &bracket.text,
            resolved: bracket.resolved.as_deref(),
            alternatives: bracket.alternatives.iter().map(Into::into).collect(),
        }
    }
}

/// One combination of alternatives across all brackets.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Combination<'a> {
    pub choice: Vec<(&'a str, &'a str)>,
    pub steps: Vec<StepBrief<'a>>,
}

impl<'a> From<&'a engine::Combination> for Combination<'a> {
    fn from(combination: &'a engine::Combination) -> Self {
        Combination {
            choice: combination
                .choice
                .iter()
                .map(|(bracket, value)| (bracket.as_str(), value.as_str()))
                .collect(),
            steps: combination.steps.iter().map(Into::into).collect(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct EntitlementStatus<'a> {
    pub id: &'a str,
    pub to: &'a str,
    pub from: Option<&'a str>,
    pub what: &'a str,
    pub step: &'a str,
    /// True when the step it depends on is met: the entitlement may be released.
    pub releasable: bool,
    #[schemars(with = "String")]
    pub reason: Sentence<'a>,
}

impl<'a> From<&'a engine::EntitlementStatus> for EntitlementStatus<'a> {
    fn from(entitlement: &'a engine::EntitlementStatus) -> Self {
        EntitlementStatus {
            id: &entitlement.id,
            to: &entitlement.to,
            from: entitlement.from.as_deref(),
            what: &entitlement.what,
            step: &entitlement.step,
            releasable: entitlement.releasable,
            reason: Sentence(&entitlement.reason),
        }
    }
}
