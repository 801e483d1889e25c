//! The API's closed vocabularies: each word a field may take, as its own type,
//! so the OpenAPI document lists them (and the dashboard's generated types
//! know them). Each is converted from the model's or the engine's enum by an
//! exhaustive `match`: a variant added there is a compile error here, not a
//! new word slipping onto the wire unannounced.

use serde::Serialize;
use utoipa::ToSchema;

/// A step's or a condition's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum StepStatusWire {
    Met,
    NotMet,
    Pending,
    InsufficientEvidence,
    Locked,
}

impl From<truce_engine::Status> for StepStatusWire {
    fn from(status: truce_engine::Status) -> Self {
        use truce_engine::Status;
        match status {
            Status::Met => StepStatusWire::Met,
            Status::NotMet => StepStatusWire::NotMet,
            Status::Pending => StepStatusWire::Pending,
            Status::InsufficientEvidence => StepStatusWire::InsufficientEvidence,
            Status::Locked => StepStatusWire::Locked,
        }
    }
}

/// How sure a link, an attribution or a breach is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CertaintyWire {
    /// The evidence shows it.
    Certain,
    /// The evidence is compatible with it but does not prove it.
    Possible,
}

impl From<truce_model::finding::Certainty> for CertaintyWire {
    fn from(certainty: truce_model::finding::Certainty) -> Self {
        use truce_model::finding::Certainty;
        match certainty {
            Certainty::Certain => CertaintyWire::Certain,
            Certainty::Possible => CertaintyWire::Possible,
        }
    }
}

/// What a finding says of the incident against the clause.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum VerdictWire {
    /// The incident breaks the clause.
    Violation,
    /// The clause forbids acts like it, but an exception allows it.
    Allowed,
}

impl From<truce_model::finding::Verdict> for VerdictWire {
    fn from(verdict: truce_model::finding::Verdict) -> Self {
        use truce_model::finding::Verdict;
        match verdict {
            Verdict::Violation => VerdictWire::Violation,
            Verdict::Allowed => VerdictWire::Allowed,
        }
    }
}

/// Which link of a reason chain a reason explains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LinkWire {
    Actor,
    Initiator,
    Target,
    Place,
    Site,
    Kind,
    Date,
    Exception,
    Attribution,
    Evidence,
}

impl From<truce_model::finding::Link> for LinkWire {
    fn from(link: truce_model::finding::Link) -> Self {
        use truce_model::finding::Link;
        match link {
            Link::Actor => LinkWire::Actor,
            Link::Initiator => LinkWire::Initiator,
            Link::Target => LinkWire::Target,
            Link::Place => LinkWire::Place,
            Link::Site => LinkWire::Site,
            Link::Kind => LinkWire::Kind,
            Link::Date => LinkWire::Date,
            Link::Exception => LinkWire::Exception,
            Link::Attribution => LinkWire::Attribution,
            Link::Evidence => LinkWire::Evidence,
        }
    }
}

/// How an incident's reports agree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum GradeWire {
    /// One report from one source.
    SingleSource,
    /// Reports from several independent sources agree.
    Corroborated,
    /// Reports disagree on who, what or where.
    Contested,
}

impl GradeWire {
    /// The word on the wire (and in the `grade` filter).
    pub fn as_str(self) -> &'static str {
        match self {
            GradeWire::SingleSource => "single-source",
            GradeWire::Corroborated => "corroborated",
            GradeWire::Contested => "contested",
        }
    }
}

impl From<truce_model::report::Grade> for GradeWire {
    fn from(grade: truce_model::report::Grade) -> Self {
        use truce_model::report::Grade;
        match grade {
            Grade::SingleSource => GradeWire::SingleSource,
            Grade::Corroborated => GradeWire::Corroborated,
            Grade::Contested => GradeWire::Contested,
        }
    }
}

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
        use truce_engine::Status;
        for status in [
            Status::Met,
            Status::NotMet,
            Status::Pending,
            Status::InsufficientEvidence,
            Status::Locked,
        ] {
            same(status, StepStatusWire::from(status));
        }
        use truce_model::report::{Grade, LocationPrecision as L};
        for grade in [Grade::SingleSource, Grade::Corroborated, Grade::Contested] {
            same(grade, GradeWire::from(grade));
            assert_eq!(
                serde_json::to_value(GradeWire::from(grade)).expect("grade"),
                GradeWire::from(grade).as_str()
            );
        }
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
        use truce_model::finding::{Certainty, Link, Verdict};
        for c in [Certainty::Certain, Certainty::Possible] {
            same(c, CertaintyWire::from(c));
        }
        for v in [Verdict::Violation, Verdict::Allowed] {
            same(v, VerdictWire::from(v));
        }
        for l in [
            Link::Actor,
            Link::Initiator,
            Link::Target,
            Link::Place,
            Link::Site,
            Link::Kind,
            Link::Date,
            Link::Exception,
            Link::Attribution,
            Link::Evidence,
        ] {
            same(l, LinkWire::from(l));
        }
    }
}
