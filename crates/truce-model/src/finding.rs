//! Findings: what an incident means under a clause, who is responsible, and why.

use crate::time::DateSpan;
use serde::Serialize;
use std::sync::Arc;

/// How sure a link of a reason chain, or a whole finding, is.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Certainty {
    /// The evidence shows it.
    Certain,
    /// The evidence is compatible with it but does not prove it.
    Possible,
}

impl Certainty {
    /// The weaker of two certainties: a chain is only as sure as its weakest link.
    pub fn and(self, other: Certainty) -> Certainty {
        self.max(other)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Certainty::Certain => "certain",
            Certainty::Possible => "possible",
        }
    }
}

/// What a finding says about its incident and clause.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The incident breaks the clause.
    Violation,
    /// The clause forbids acts like this one, but an exception allows it
    /// (e.g. a strike on a group the agreement excludes).
    Allowed,
}

/// Which link of the chain a reason explains.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Link {
    /// Actor name in the source → alias → actor → party.
    Actor,
    /// Which side acted: does the source say who attacked whom?
    Initiator,
    /// Whom the act was against.
    Target,
    /// Point → zone, with the distance.
    Place,
    /// Point → protected site, with the distance.
    Site,
    /// Event kind → clause kind.
    Kind,
    /// Date → the clause's effective window.
    Date,
    /// An exception of the clause, checked.
    Exception,
    /// Whether the clause was broken whoever acted, and which parties may be responsible.
    Attribution,
    /// Which reports of the incident the finding rests on.
    Evidence,
}

/// One link of a reason chain.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Reason {
    pub link: Link,
    pub certainty: Certainty,
    /// A sentence a mediator can read, as a catalogue key and its values:
    /// `truce-words` renders it in the reader's language. Shared: the links
    /// common to an incident's findings under a clause are said once.
    pub message: Arc<crate::message::Message>,
}

fn is_empty(list: &Arc<[Arc<str>]>) -> bool {
    list.is_empty()
}

/// One incident judged against one clause, for one responsible actor.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Finding {
    /// `incident/clause/actor`: stable across runs on the same inputs.
    pub id: String,
    // Ids are shared, not copied: a large check holds hundreds of thousands of findings.
    pub incident: Arc<str>,
    pub clause: Arc<str>,
    /// The responsible party's id, when the actor answers to one on the date.
    pub party: Option<Arc<str>>,
    /// The responsible actor's id.
    pub actor: Arc<str>,
    pub verdict: Verdict,
    /// How sure it is that this actor's party is responsible: certain only when the
    /// source says who acted (or the finding is the only way the act can be read).
    pub certainty: Certainty,
    /// Whether the clause was broken at this incident, whoever did it: certain when
    /// every side that may have acted is bound by the clause and would have broken
    /// it ("Government of Syria v Syrian insurgents": one of the two fired). It is
    /// never less sure than `certainty`.
    pub breach: Certainty,
    /// The parties one of which is responsible for the breach, sorted: one party when
    /// the attribution is certain, several when the source does not say who acted
    /// ("government-side or opposition"). Empty for an `allowed` finding. Shared by
    /// the findings of one incident and clause.
    pub responsible: Arc<[Arc<str>]>,
    /// The parties that guarantee the responsible party's compliance (`guarantees`).
    #[serde(skip_serializing_if = "is_empty")]
    pub guarantors: Arc<[Arc<str>]>,
    /// A rough weight in (0, 1] for ordering possible findings; not a probability.
    pub confidence: f64,
    pub date: DateSpan,
    pub reasons: Vec<Reason>,
}
