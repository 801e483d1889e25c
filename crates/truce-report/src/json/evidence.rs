//! The check's incidents, findings and evidence as `truce-check/2` writes them.
//! The model's value types (days and spans, points, casualties, diagnostics)
//! are written as the model spells them everywhere truce writes them.

use serde::Serialize;
use truce_engine as engine;
use truce_model::agreement::SetAside;
use truce_model::finding as model;
use truce_model::report::{Casualties, LocationPrecision, LonLat};
use truce_model::time::{DateSpan, Day};

/// How sure a link of a reason chain, or a whole finding, is.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Certainty {
    /// The evidence shows it.
    Certain,
    /// The evidence is compatible with it but does not prove it.
    Possible,
}

impl From<model::Certainty> for Certainty {
    fn from(certainty: model::Certainty) -> Self {
        match certainty {
            model::Certainty::Certain => Certainty::Certain,
            model::Certainty::Possible => Certainty::Possible,
        }
    }
}

/// What a finding says about its incident and clause.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The incident breaks the clause.
    Violation,
    /// The clause forbids acts like this one, but an exception allows it
    /// (e.g. a strike on a group the agreement excludes).
    Allowed,
}

impl From<model::Verdict> for Verdict {
    fn from(verdict: model::Verdict) -> Self {
        match verdict {
            model::Verdict::Violation => Verdict::Violation,
            model::Verdict::Allowed => Verdict::Allowed,
        }
    }
}

/// Which link of the chain a reason explains.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema, utoipa::ToSchema)]
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

impl From<model::Link> for Link {
    fn from(link: model::Link) -> Self {
        match link {
            model::Link::Actor => Link::Actor,
            model::Link::Initiator => Link::Initiator,
            model::Link::Target => Link::Target,
            model::Link::Place => Link::Place,
            model::Link::Site => Link::Site,
            model::Link::Kind => Link::Kind,
            model::Link::Date => Link::Date,
            model::Link::Exception => Link::Exception,
            model::Link::Attribution => Link::Attribution,
            model::Link::Evidence => Link::Evidence,
        }
    }
}

/// One link of a reason chain.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Reason<'a> {
    pub link: Link,
    pub certainty: Certainty,
    /// A sentence a mediator can read, in English (the stable format's language).
    #[schemars(with = "String")]
    pub text: Sentence<'a>,
}

/// A sentence written in English as it is serialized: a check's answer holds
/// millions of them, and none needs to stay in memory once written.
#[derive(Clone, Debug, PartialEq)]
pub struct Sentence<'a>(pub &'a truce_model::message::Message);

impl std::fmt::Display for Sentence<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&truce_words::english(self.0))
    }
}

impl Serialize for Sentence<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&truce_words::english(self.0))
    }
}

impl<'a> From<&'a model::Reason> for Reason<'a> {
    fn from(reason: &'a model::Reason) -> Self {
        Reason {
            link: reason.link.into(),
            certainty: reason.certainty.into(),
            text: Sentence(&reason.message),
        }
    }
}

/// One incident judged against one clause, for one responsible actor.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Finding<'a> {
    /// `incident/clause/actor`: stable across runs on the same inputs.
    pub id: &'a str,
    pub incident: &'a str,
    pub clause: &'a str,
    /// The responsible party's id, when the actor answers to one on the date.
    pub party: Option<&'a str>,
    /// The responsible actor's id.
    pub actor: &'a str,
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
    pub responsible: Vec<&'a str>,
    /// The parties that guarantee the responsible party's compliance (`guarantees`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub guarantors: Vec<&'a str>,
    /// A rough weight in (0, 1] for ordering possible findings; not a probability.
    pub confidence: f64,
    pub date: DateSpan,
    pub reasons: Vec<Reason<'a>>,
}

impl<'a> From<&'a model::Finding> for Finding<'a> {
    fn from(finding: &'a model::Finding) -> Self {
        Finding {
            id: &finding.id,
            incident: &finding.incident,
            clause: &finding.clause,
            party: finding.party.as_deref(),
            actor: &finding.actor,
            verdict: finding.verdict.into(),
            certainty: finding.certainty.into(),
            breach: finding.breach.into(),
            responsible: finding.responsible.iter().map(|p| &**p).collect(),
            guarantors: finding.guarantors.iter().map(|p| &**p).collect(),
            confidence: finding.confidence,
            date: finding.date,
            reasons: finding.reasons.iter().map(Into::into).collect(),
        }
    }
}

/// How well an incident is corroborated.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Grade {
    /// One report from one source.
    SingleSource,
    /// Reports from several independent sources agree.
    Corroborated,
    /// Reports disagree on who, what or where.
    Contested,
}

impl From<truce_model::report::Grade> for Grade {
    fn from(grade: truce_model::report::Grade) -> Self {
        use truce_model::report::Grade as G;
        match grade {
            G::SingleSource => Grade::SingleSource,
            G::Corroborated => Grade::Corroborated,
            G::Contested => Grade::Contested,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct IncidentSummary<'a> {
    pub id: &'a str,
    pub reports: &'a [String],
    pub date: DateSpan,
    pub place: &'a str,
    /// The representative report's point and how precisely it is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub point: Option<LonLat>,
    pub location_precision: LocationPrecision,
    pub kind: &'a str,
    pub kind_label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub casualties: Option<Casualties>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<&'a str>,
    pub grade: Grade,
    /// How many independent sources its reports come from (outlets repeating one
    /// article, photo or wire story count once; see `docs/corroboration.md`).
    pub independent_sources: u32,
    /// The agreement's zones the incident is certainly in (its representative report's place).
    #[serde(default, skip_serializing_if = "<[String]>::is_empty")]
    pub zones: &'a [String],
    /// The zones it may be in, its place being too imprecise to tell.
    #[serde(default, skip_serializing_if = "<[String]>::is_empty")]
    pub possible_zones: &'a [String],
    /// Every report behind it was read from news text or posts (`truce extract`):
    /// no dataset or monitor has it yet, and its findings say so.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub text_only: bool,
    /// Why counts over days leave it out (an aggregate of many events, a long
    /// span, a country-wide place), under the agreement's `[evidence]` filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_aside: Option<SetAside>,
}

impl<'a> From<&'a engine::IncidentSummary> for IncidentSummary<'a> {
    fn from(incident: &'a engine::IncidentSummary) -> Self {
        IncidentSummary {
            id: &incident.id,
            reports: &incident.reports,
            date: incident.date,
            place: &incident.place,
            point: incident.point,
            location_precision: incident.location_precision,
            kind: &incident.kind,
            kind_label: &incident.kind_label,
            casualties: incident.casualties,
            summary: incident.summary.as_deref(),
            grade: incident.grade.into(),
            independent_sources: incident.independent_sources,
            zones: &incident.zones,
            possible_zones: &incident.possible_zones,
            text_only: incident.text_only,
            set_aside: incident.set_aside,
        }
    }
}

/// Reports the agreement's counting filter leaves out of counts over days, for one
/// reason: kept and shown, counted here on their own line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SetAsideCount<'a> {
    pub reason: SetAside,
    /// The reason in words.
    pub label: &'a str,
    pub reports: u64,
    /// Of them, reports with a violation finding (certain or possible).
    pub with_violations: u64,
    /// Their deaths: low, best, high.
    pub deaths: [u64; 3],
}

impl<'a> From<&'a engine::SetAsideCount> for SetAsideCount<'a> {
    fn from(count: &'a engine::SetAsideCount) -> Self {
        SetAsideCount {
            reason: count.reason,
            label: &count.label,
            reports: count.reports,
            with_violations: count.with_violations,
            deaths: count.deaths,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct NameCount<'a> {
    pub name: &'a str,
    pub reports: u64,
}

impl<'a> From<&'a engine::NameCount> for NameCount<'a> {
    fn from(count: &'a engine::NameCount) -> Self {
        NameCount {
            name: &count.name,
            reports: count.reports,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct AmbiguousName<'a> {
    pub name: &'a str,
    pub actors: &'a [String],
    pub reports: u64,
}

impl<'a> From<&'a engine::AmbiguousName> for AmbiguousName<'a> {
    fn from(name: &'a engine::AmbiguousName) -> Self {
        AmbiguousName {
            name: &name.name,
            actors: &name.actors,
            reports: name.reports,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct EvidenceSummary<'a> {
    pub reports: u64,
    pub incidents: u64,
    pub first_day: Option<Day>,
    pub last_day: Option<Day>,
    pub by_source: Vec<NameCount<'a>>,
    /// Actor names in the evidence that match no actor of the agreement, most frequent first.
    pub unmatched_names: Vec<NameCount<'a>>,
    pub ambiguous_names: Vec<AmbiguousName<'a>>,
    /// Report kinds that are not in the taxonomy.
    pub unknown_kinds: Vec<NameCount<'a>>,
    /// Analysts' decisions to keep two reports apart that named reports not in the
    /// evidence (`source:id / source:id`), so had no effect.
    #[serde(default, skip_serializing_if = "<[String]>::is_empty")]
    pub kept_apart_unknown: &'a [String],
    /// The same for decisions to keep two reports together (one incident).
    #[serde(default, skip_serializing_if = "<[String]>::is_empty")]
    pub kept_together_unknown: &'a [String],
    /// Reports left out of counts over days, by reason (`[evidence]` filter).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set_aside: Vec<SetAsideCount<'a>>,
    /// Reports dated after `as_of`, which the check did not see at all.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub after_as_of: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl<'a> From<&'a engine::EvidenceSummary> for EvidenceSummary<'a> {
    fn from(evidence: &'a engine::EvidenceSummary) -> Self {
        EvidenceSummary {
            reports: evidence.reports,
            incidents: evidence.incidents,
            first_day: evidence.first_day,
            last_day: evidence.last_day,
            by_source: evidence.by_source.iter().map(Into::into).collect(),
            unmatched_names: evidence.unmatched_names.iter().map(Into::into).collect(),
            ambiguous_names: evidence.ambiguous_names.iter().map(Into::into).collect(),
            unknown_kinds: evidence.unknown_kinds.iter().map(Into::into).collect(),
            kept_apart_unknown: &evidence.kept_apart_unknown,
            kept_together_unknown: &evidence.kept_together_unknown,
            set_aside: evidence.set_aside.iter().map(Into::into).collect(),
            after_as_of: evidence.after_as_of,
        }
    }
}
