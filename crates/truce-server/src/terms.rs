//! The API's closed vocabularies: each word a field may take, as its own type,
//! so the OpenAPI document lists them (and the dashboard's generated types
//! know them). Each is converted from the model's or the engine's enum by an
//! exhaustive `match`: a variant added there is a compile error here, not a
//! new word slipping onto the wire unannounced. The words a check's findings
//! and steps are told in are the check document's own (`truce_report::json`),
//! so the API and `truce check --format json` say them alike.

use serde::Serialize;
use utoipa::ToSchema;

pub use truce_report::json::{
    Certainty as CertaintyWire, Grade as GradeWire, Link as LinkWire, Status as StepStatusWire,
    Verdict as VerdictWire,
};

/// How precisely a place is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LocationPrecisionWire {
    Exact,
    Near,
    District,
    Province,
    Linear,
    Country,
    Unknown,
}

impl From<truce_model::report::LocationPrecision> for LocationPrecisionWire {
    fn from(precision: truce_model::report::LocationPrecision) -> Self {
        use truce_model::report::LocationPrecision as P;
        match precision {
            P::Exact => LocationPrecisionWire::Exact,
            P::Near => LocationPrecisionWire::Near,
            P::District => LocationPrecisionWire::District,
            P::Province => LocationPrecisionWire::Province,
            P::Linear => LocationPrecisionWire::Linear,
            P::Country => LocationPrecisionWire::Country,
            P::Unknown => LocationPrecisionWire::Unknown,
        }
    }
}

/// How precisely a date is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DatePrecisionWire {
    Day,
    Days,
    Week,
    Month,
    Year,
}

impl From<truce_model::time::DatePrecision> for DatePrecisionWire {
    fn from(precision: truce_model::time::DatePrecision) -> Self {
        use truce_model::time::DatePrecision as P;
        match precision {
            P::Day => DatePrecisionWire::Day,
            P::Days => DatePrecisionWire::Days,
            P::Week => DatePrecisionWire::Week,
            P::Month => DatePrecisionWire::Month,
            P::Year => DatePrecisionWire::Year,
        }
    }
}

/// Where an entitlement stands in the ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum StandingWire {
    NotReleased,
    /// Released, and not suspended since.
    Released,
    Suspended,
}

/// An incident's strongest finding, for the map's colours: whether the agreement
/// was broken there (certainly or possibly), whoever did it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum StrongestFindingWire {
    None,
    /// An act the clause forbids but an exception permits.
    Allowed,
    ViolationPossible,
    ViolationCertain,
}

/// What became of a monitor's report as submitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SubmissionOutcomeWire {
    /// Stored as new evidence.
    Stored,
    /// The same key and report again: nothing stored.
    Repeated,
    Published,
    /// Rejected by an analyst: withdrawn from the evidence, never published.
    Rejected,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words on the wire are the model's own serde names: converting must
    /// not rename anything a client or a stored snapshot already reads.
    #[test]
    fn each_word_on_the_wire_is_the_models_own() {
        fn same<M: Serialize, W: Serialize>(model: M, wire: W) {
            assert_eq!(
                serde_json::to_value(&model).expect("model"),
                serde_json::to_value(&wire).expect("wire")
            );
        }
        use truce_model::report::LocationPrecision as L;
        for p in [
            L::Exact,
            L::Near,
            L::District,
            L::Province,
            L::Linear,
            L::Country,
            L::Unknown,
        ] {
            same(p, LocationPrecisionWire::from(p));
        }
        use truce_model::time::DatePrecision as D;
        for p in [D::Day, D::Days, D::Week, D::Month, D::Year] {
            same(p, DatePrecisionWire::from(p));
        }
    }
}
