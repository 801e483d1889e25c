//! The result of a check: a plain value. Its JSON document (`truce-check/2`,
//! `docs/check-output.md`) is written by `truce_report::json`, from types of its
//! own converted from these, so a change here does not change the document
//! unless the conversion says so; `Serialize` here serves the engine's tests
//! and snapshots.

use serde::Serialize;
use truce_model::diagnostic::Diagnostic;
use truce_model::finding::Finding;
use truce_model::message::Message;
use truce_model::report::Casualties;
use truce_model::time::{DateSpan, Day};

pub const SCHEMA: &str = "truce-check/2";

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Met,
    NotMet,
    Pending,
    InsufficientEvidence,
    Locked,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::NotMet => "not met",
            Status::Pending => "pending",
            Status::InsufficientEvidence => "insufficient evidence",
            Status::Locked => "locked",
        }
    }

    /// The status in words, in the reader's language.
    pub fn message(self) -> Message {
        Message::new(match self {
            Status::Met => "status-met",
            Status::NotMet => "status-not-met",
            Status::Pending => "status-pending",
            Status::InsufficientEvidence => "status-insufficient-evidence",
            Status::Locked => "status-locked",
        })
    }
}

/// A step's or condition's outcome on one bound of the evidence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    pub status: Status,
    pub met_on: Option<Day>,
    pub explanation: Message,
    /// Met on the certain bound only because no report in the window could be counted
    /// with certainty while some could possibly: the certain bound says nothing here.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rests_on_nothing: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConditionOutcome {
    pub status: Status,
    pub met_on: Option<Day>,
    pub detail: Message,
    /// The number the condition counted (violations or events in the observed window).
    pub count: u64,
    /// Incidents behind the outcome (the breaking days' violations, or the counted events), at most 50.
    pub incidents: Vec<String>,
    pub incidents_total: usize,
    /// On the certain bound: nothing could be counted with certainty while the
    /// possible bound counted something, so this outcome says nothing.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rests_on_nothing: bool,
}

impl ConditionOutcome {
    pub fn pending(detail: Message) -> Self {
        ConditionOutcome {
            status: Status::Pending,
            met_on: None,
            detail,
            count: 0,
            incidents: Vec::new(),
            incidents_total: 0,
            rests_on_nothing: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConditionResult {
    pub description: Message,
    pub on_certain: ConditionOutcome,
    pub with_possible: ConditionOutcome,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StepResult {
    pub id: String,
    pub name: String,
    pub status: Status,
    pub met_on: Option<Day>,
    pub summary: Message,
    pub window_first: Option<Day>,
    pub window_last: Option<Day>,
    pub requires: Vec<String>,
    /// The outcome counting certain evidence only (lower bound of violations).
    pub on_certain: Outcome,
    /// The outcome counting possible evidence too (upper bound of violations).
    pub with_possible: Outcome,
    pub conditions: Vec<ConditionResult>,
}

/// Violations counted as incidents: certain only, and certain plus possible. Per
/// party, "certain" means certainly by that party; per clause and in all, that the
/// clause was certainly broken, whoever did it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub id: String,
    pub certain: u64,
    pub certain_or_possible: u64,
    /// Acts a clause forbids that an exception allows (strikes on excluded groups…).
    pub allowed: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IncidentSummary {
    pub id: String,
    pub reports: Vec<String>,
    pub date: DateSpan,
    pub place: String,
    /// The representative report's point and how precisely it is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub point: Option<truce_model::report::LonLat>,
    pub location_precision: truce_model::report::LocationPrecision,
    pub kind: String,
    pub kind_label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub casualties: Option<Casualties>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub grade: truce_model::report::Grade,
    /// How many independent sources its reports come from (outlets repeating one
    /// article, photo or wire story count once; see `docs/corroboration.md`).
    pub independent_sources: u32,
    /// The agreement's zones the incident is certainly in (its representative report's place).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
    /// The zones it may be in, its place being too imprecise to tell.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub possible_zones: Vec<String>,
    /// Every report behind it was read from news text or posts (`truce extract`):
    /// no dataset or monitor has it yet, and its findings say so.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub text_only: bool,
    /// Why counts over days leave it out (an aggregate of many events, a long
    /// span, a country-wide place), under the agreement's `[evidence]` filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_aside: Option<truce_model::agreement::SetAside>,
}

/// Reports the agreement's counting filter leaves out of counts over days, for one
/// reason: kept and shown, counted here on their own line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SetAsideCount {
    pub reason: truce_model::agreement::SetAside,
    /// The reason in words.
    pub label: String,
    pub reports: u64,
    /// Of them, reports with a violation finding (certain or possible).
    pub with_violations: u64,
    /// Their deaths: low, best, high.
    pub deaths: [u64; 3],
}

/// A guarantor's account: violations by the parties whose compliance it guarantees.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GuarantorTally {
    pub guarantor: String,
    pub guarantees: Vec<String>,
    /// Incidents certainly by one of the guaranteed parties, or possibly.
    pub certain: u64,
    pub certain_or_possible: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NameCount {
    pub name: String,
    pub reports: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AmbiguousName {
    pub name: String,
    pub actors: Vec<String>,
    pub reports: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EvidenceSummary {
    pub reports: u64,
    pub incidents: u64,
    pub first_day: Option<Day>,
    pub last_day: Option<Day>,
    pub by_source: Vec<NameCount>,
    /// Actor names in the evidence that match no actor of the agreement, most frequent first.
    pub unmatched_names: Vec<NameCount>,
    pub ambiguous_names: Vec<AmbiguousName>,
    /// Report kinds that are not in the taxonomy.
    pub unknown_kinds: Vec<NameCount>,
    /// Analysts' decisions to keep two reports apart that named reports not in the
    /// evidence (`source:id / source:id`), so had no effect.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kept_apart_unknown: Vec<String>,
    /// The same for decisions to keep two reports together (one incident).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kept_together_unknown: Vec<String>,
    /// Reports left out of counts over days, by reason (`[evidence]` filter).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set_aside: Vec<SetAsideCount>,
    /// Reports dated after `as_of`, which the check did not see at all.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub after_as_of: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StepBrief {
    pub id: String,
    pub status: Status,
    pub met_on: Option<Day>,
    pub summary: Message,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AlternativeResult {
    /// The alternative as written (`7`, `included`).
    pub value: String,
    /// True for the alternative the main report uses (resolved, or the first).
    pub working: bool,
    pub steps: Vec<StepBrief>,
    /// Violations under this alternative (differs only for brackets around clauses).
    pub violations: Tally,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BracketResult {
    pub id: String,
    pub text: String,
    pub resolved: Option<String>,
    pub alternatives: Vec<AlternativeResult>,
}

/// One combination of alternatives across all brackets.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Combination {
    pub choice: Vec<(String, String)>,
    pub steps: Vec<StepBrief>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EntitlementStatus {
    pub id: String,
    pub to: String,
    pub from: Option<String>,
    pub what: String,
    pub step: String,
    /// True when the step it depends on is met: the entitlement may be released.
    pub releasable: bool,
    pub reason: Message,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClauseInfo {
    pub id: String,
    pub text: String,
    pub bracket: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgreementInfo {
    pub id: String,
    pub title: String,
    pub clauses: Vec<ClauseInfo>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckResult {
    pub schema: &'static str,
    pub agreement: AgreementInfo,
    pub as_of: Day,
    pub evidence: EvidenceSummary,
    /// All violations: certain when the clause was certainly broken, whoever did it.
    pub violations: Tally,
    pub violations_by_party: Vec<Tally>,
    /// For each party that guarantees others' compliance (`guarantees`).
    pub violations_by_guarantor: Vec<GuarantorTally>,
    pub violations_by_clause: Vec<Tally>,
    pub steps: Vec<StepResult>,
    pub brackets: Vec<BracketResult>,
    /// Every combination of bracket alternatives, when there are at most 32.
    pub combinations: Vec<Combination>,
    pub entitlements: Vec<EntitlementStatus>,
    /// Incidents with at least one finding, in date order.
    pub incidents: Vec<IncidentSummary>,
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckResult {
    /// True when every step is met and there is no violation, certain or possible.
    pub fn all_clear(&self) -> bool {
        self.steps.iter().all(|s| s.status == Status::Met)
            && self
                .violations_by_party
                .iter()
                .all(|t| t.certain_or_possible == 0)
            && self
                .violations_by_clause
                .iter()
                .all(|t| t.certain_or_possible == 0)
    }
}
