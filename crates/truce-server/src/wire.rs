//! The JSON shapes of the API, converted by hand from the engine's values, and
//! the disclosure policy applied while converting.
//!
//! Every answer that shows an incident, a finding or a report is built here
//! through a [`Disclose`]: `Full` for the mission's staff (and a party's
//! liaison on the findings against its party), `Public` otherwise. Under
//! `Public` the policy decides: points snapped to a district- or province-sized
//! cell (or dropped), place names coarsened to the district or province, the
//! names of protected sites, the sources and free text withheld, and incident
//! ids made opaque (a source's own id names the source, and so the exact row:
//! the public id is a keyed hash whose key never leaves the store). Nothing
//! relies on the page to hide a field: a withheld field is not in the answer.

use crate::settings::{Coordinates, Disclosure};
use crate::state::Snapshot;
use crate::terms::{
    CertaintyWire, DatePrecisionWire, GradeWire, LinkWire, LocationPrecisionWire,
    StrongestFindingWire, VerdictWire,
};
use serde::Serialize;
use truce_engine::result::IncidentSummary;
use truce_model::finding::{Certainty, Finding, Link, Reason};
use truce_model::message::Message;
use truce_model::report::{LocationPrecision, LonLat, Report};
use truce_model::time::DateSpan;
use truce_words::Language;
use utoipa::ToSchema;

pub use crate::public_id::{PublicIdKey, public_incident_id};

/// How much of an item a caller may see.
#[derive(Clone, Copy, Debug)]
pub enum Disclose<'a> {
    Full,
    /// Under the public policy; incident ids are made with the store's key.
    Public(&'a Disclosure, &'a PublicIdKey),
}

impl Disclose<'_> {
    pub fn incident_id(&self, id: &str) -> String {
        match self {
            Disclose::Full => id.to_string(),
            Disclose::Public(policy, _) if policy.sources => id.to_string(),
            Disclose::Public(_, key) => public_incident_id(key, id),
        }
    }

    /// A point as it may be shown.
    pub fn point(&self, point: Option<LonLat>) -> Option<Point> {
        let point = point?;
        let cell = match self {
            Disclose::Full => None,
            Disclose::Public(policy, _) => policy.coordinates.cell_degrees(),
        };
        match cell {
            None => Some(Point {
                lon: point.lon,
                lat: point.lat,
            }),
            Some(size) if size.is_finite() => Some(Point {
                lon: snap(point.lon, size),
                lat: snap(point.lat, size),
            }),
            Some(_) => None,
        }
    }

    fn precision(&self, precision: LocationPrecision) -> LocationPrecision {
        let floor = match self {
            Disclose::Full => return precision,
            Disclose::Public(policy, _) => match policy.coordinates {
                Coordinates::Exact => return precision,
                Coordinates::District => LocationPrecision::District,
                Coordinates::Province => LocationPrecision::Province,
                Coordinates::Withheld => LocationPrecision::Unknown,
            },
        };
        precision.max(floor)
    }
}

/// The centre of the cell of `size` degrees that `value` falls in.
fn snap(value: f64, size: f64) -> f64 {
    let centre = (value / size).floor() * size + size / 2.0;
    // Whole thousandths: the answer shows no digit the cell does not justify.
    (centre * 1000.0).round() / 1000.0
}

/// A point in WGS 84 degrees.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
pub struct Point {
    pub lon: f64,
    pub lat: f64,
}

/// The days an event may have happened on.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Dates {
    /// First possible day (YYYY-MM-DD).
    pub first: String,
    /// Last possible day (YYYY-MM-DD).
    pub last: String,
    pub precision: DatePrecisionWire,
}

impl From<&DateSpan> for Dates {
    fn from(span: &DateSpan) -> Dates {
        Dates {
            first: span.first.to_string(),
            last: span.last.to_string(),
            precision: span.precision.into(),
        }
    }
}

/// One link of a reason chain.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReasonWire {
    pub link: LinkWire,
    pub certainty: CertaintyWire,
    pub text: String,
}

/// One incident judged against one clause, for one responsible actor.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct FindingWire {
    pub id: String,
    pub incident: String,
    pub clause: String,
    /// The responsible party, when the actor answers to one.
    pub party: Option<String>,
    pub actor: String,
    pub verdict: VerdictWire,
    /// How sure it is that this actor's party is responsible.
    pub certainty: CertaintyWire,
    /// Whether the clause was broken at all, whoever did it (two bound parties
    /// fought: certain, though who fired may be unknown).
    pub breach: CertaintyWire,
    /// The parties one of which is responsible; one when the attribution is certain.
    pub responsible: Vec<String>,
    /// The parties that guarantee the responsible party's compliance.
    pub guarantors: Vec<String>,
    pub confidence: f64,
    pub date: Dates,
    pub reasons: Vec<ReasonWire>,
}

/// Casualties as a range.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CasualtiesWire {
    pub low: u32,
    pub best: u32,
    pub high: u32,
    pub civilians: Option<u32>,
}

/// A report behind an incident.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReportWire {
    /// `source:source_id`.
    pub id: String,
    pub source: String,
    pub date: Dates,
    pub place: Option<String>,
    pub point: Option<Point>,
    pub location_precision: LocationPrecisionWire,
    pub kind: String,
    pub kind_label: String,
    pub casualties: Option<CasualtiesWire>,
    pub summary: Option<String>,
    pub urls: Vec<String>,
    pub media: Vec<String>,
}

impl ReportWire {
    /// A report in full (staff, or a monitor's own).
    pub fn full(report: &Report) -> ReportWire {
        ReportWire {
            id: report.id(),
            source: report.provenance.source.clone(),
            date: Dates::from(&report.date),
            place: report.location.place.clone(),
            point: report.location.point.map(|p| Point {
                lon: p.lon,
                lat: p.lat,
            }),
            location_precision: report.location.precision.into(),
            kind: report.kind.clone(),
            kind_label: report.kind_label.clone(),
            casualties: report.casualties.map(casualties),
            summary: report.summary.clone(),
            urls: report.urls.clone(),
            media: report.media.clone(),
        }
    }
}

fn casualties(c: truce_model::report::Casualties) -> CasualtiesWire {
    CasualtiesWire {
        low: c.low,
        best: c.best,
        high: c.high,
        civilians: c.civilians,
    }
}

/// What happened, as established from one or more reports.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct IncidentWire {
    pub id: String,
    pub date: Dates,
    pub place: Option<String>,
    pub point: Option<Point>,
    pub location_precision: LocationPrecisionWire,
    pub kind: String,
    pub kind_label: String,
    pub casualties: Option<CasualtiesWire>,
    pub summary: Option<String>,
    pub grade: GradeWire,
    pub independent_sources: u32,
    /// Every report behind it was read from news text or posts: no dataset or
    /// monitor has it yet.
    pub text_only: bool,
    pub zones: Vec<String>,
    pub possible_zones: Vec<String>,
    /// How many reports it rests on.
    pub report_count: usize,
    /// Its strongest finding, for the map's colours.
    pub finding: StrongestFindingWire,
}

/// An incident with its findings and, where the caller may see them, its reports.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct IncidentDetail {
    pub incident: IncidentWire,
    pub findings: Vec<FindingWire>,
    /// Empty when the sources are withheld from the caller.
    pub reports: Vec<ReportWire>,
}

/// The names the public must not read: the agreement's protected sites.
pub struct Withheld<'a> {
    pub site_names: &'a [String],
}

impl Withheld<'_> {
    /// The text with every protected site's name said as "a protected site".
    fn scrub(&self, text: &str, language: Language) -> String {
        let mut out = text.to_string();
        for name in self.site_names {
            if !name.is_empty() && out.contains(name.as_str()) {
                let instead =
                    truce_words::render(&Message::new("disclosed-a-protected-site"), language);
                out = out.replace(name.as_str(), &instead);
            }
        }
        out
    }
}

/// The place name the public may read: the representative report's district or
/// province (as the policy's coarseness), never a village or a facility.
fn public_place(
    snapshot: &Snapshot,
    incident: &IncidentSummary,
    policy: &Disclosure,
) -> Option<String> {
    if policy.facility_names && policy.coordinates == Coordinates::Exact {
        return Some(incident.place.clone());
    }
    let report = incident
        .reports
        .first()
        .and_then(|id| snapshot.report_index.get(id))
        .and_then(|&i| snapshot.reports.get(i))?;
    let location = &report.location;
    let coarse = match policy.coordinates {
        Coordinates::Exact | Coordinates::District => {
            location.admin2.clone().or_else(|| location.admin1.clone())
        }
        Coordinates::Province => location.admin1.clone(),
        Coordinates::Withheld => None,
    };
    coarse.or_else(|| location.country.clone())
}

pub fn incident_wire(
    snapshot: &Snapshot,
    incident: &IncidentSummary,
    disclose: Disclose<'_>,
) -> IncidentWire {
    let (place, summary) = match disclose {
        Disclose::Full => (Some(incident.place.clone()), incident.summary.clone()),
        Disclose::Public(policy, _) => (
            public_place(snapshot, incident, policy),
            incident.summary.clone().filter(|_| policy.summaries),
        ),
    };
    IncidentWire {
        id: disclose.incident_id(&incident.id),
        date: Dates::from(&incident.date),
        place,
        point: disclose.point(incident.point),
        location_precision: disclose.precision(incident.location_precision).into(),
        kind: incident.kind.clone(),
        kind_label: match disclose {
            // The source's own label names it (`UCDP type_of_violence 3 …`).
            Disclose::Public(policy, _) if !policy.sources => incident.kind.replace('-', " "),
            _ => incident.kind_label.clone(),
        },
        casualties: incident.casualties.map(casualties),
        summary,
        grade: incident.grade.into(),
        independent_sources: incident.independent_sources,
        text_only: incident.text_only,
        zones: incident.zones.clone(),
        possible_zones: incident.possible_zones.clone(),
        report_count: incident.reports.len(),
        finding: strongest_finding(snapshot, &incident.id),
    }
}

/// The strongest of an incident's findings: a certain violation, a possible one,
/// an allowed act, or none.
fn strongest_finding(snapshot: &Snapshot, incident: &str) -> StrongestFindingWire {
    use truce_model::finding::{Certainty, Verdict};
    let findings = snapshot
        .findings_of_incident
        .get(incident)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let mut strongest = StrongestFindingWire::None;
    for &i in findings {
        let f = &snapshot.result.findings[i];
        // The map's colour says whether the agreement was broken, not who broke it.
        let this = match (f.verdict, f.breach) {
            (Verdict::Violation, Certainty::Certain) => {
                return StrongestFindingWire::ViolationCertain;
            }
            (Verdict::Violation, Certainty::Possible) => StrongestFindingWire::ViolationPossible,
            (Verdict::Allowed, _) => StrongestFindingWire::Allowed,
        };
        strongest = strongest.max(this);
    }
    strongest
}

/// A reason link said without the source's vocabulary: from the finding's own
/// actor, party and certainty.
fn public_reason(finding: &Finding, link: Link, certainty: Certainty) -> Message {
    let sure = certainty == Certainty::Certain;
    let pick = |certain: &'static str, possible: &'static str| {
        Message::new(if sure { certain } else { possible })
    };
    match link {
        Link::Actor => {
            let party = finding.party.as_deref().map_or_else(
                || Message::new("disclosed-actor-no-party"),
                |p| Message::new("disclosed-actor-party").with("party", p),
            );
            Message::new("disclosed-actor")
                .with("actor", &finding.actor)
                .with("party", party)
                .with(
                    "doubt",
                    pick("disclosed-actor-sure", "disclosed-actor-doubt"),
                )
        }
        Link::Initiator => pick(
            "disclosed-initiator-certain",
            "disclosed-initiator-possible",
        ),
        Link::Target => pick("disclosed-target-certain", "disclosed-target-possible"),
        Link::Kind => pick("disclosed-kind-certain", "disclosed-kind-possible"),
        _ => Message::new("disclosed-withheld"),
    }
}

/// What of a reason a caller under `disclose` is told, as a sentence.
fn disclosed_reason(
    finding: &Finding,
    reason: &Reason,
    disclose: Disclose<'_>,
    withheld: &Withheld<'_>,
    language: Language,
) -> String {
    let Disclose::Public(policy, _) = disclose else {
        return truce_words::render(&reason.message, language);
    };
    let message = match reason.link {
        // These name the exact point, the distance to a named facility or the
        // sources: said again without them.
        Link::Place if policy.coordinates != Coordinates::Exact => {
            Message::new("disclosed-place-withheld")
        }
        Link::Site if !policy.facility_names || policy.coordinates != Coordinates::Exact => {
            Message::new("disclosed-site-withheld")
        }
        Link::Evidence if !policy.sources => Message::new("disclosed-evidence-withheld"),
        // These quote the source's fields and names (`side_a names "…"`, `UCDP
        // type_of_violence 3`): said again in truce's own words.
        Link::Actor | Link::Initiator | Link::Target | Link::Kind if !policy.sources => {
            public_reason(finding, reason.link, reason.certainty)
        }
        _ if !policy.facility_names => {
            return withheld.scrub(&truce_words::render(&reason.message, language), language);
        }
        _ => return truce_words::render(&reason.message, language),
    };
    truce_words::render(&message, language)
}

pub fn finding_wire(
    finding: &Finding,
    disclose: Disclose<'_>,
    withheld: &Withheld<'_>,
    language: Language,
) -> FindingWire {
    let incident = disclose.incident_id(&finding.incident);
    let reasons = finding
        .reasons
        .iter()
        .map(|reason| ReasonWire {
            link: reason.link.into(),
            certainty: reason.certainty.into(),
            text: disclosed_reason(finding, reason, disclose, withheld, language),
        })
        .collect();
    FindingWire {
        id: format!("{incident}/{}/{}", finding.clause, finding.actor),
        incident,
        clause: finding.clause.to_string(),
        party: finding.party.as_deref().map(str::to_string),
        actor: finding.actor.to_string(),
        verdict: finding.verdict.into(),
        certainty: finding.certainty.into(),
        breach: finding.breach.into(),
        responsible: finding.responsible.iter().map(|p| p.to_string()).collect(),
        guarantors: finding.guarantors.iter().map(|p| p.to_string()).collect(),
        confidence: finding.confidence,
        date: Dates::from(&finding.date),
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapping_keeps_a_point_in_its_cell() {
        for value in [-179.99, -0.1, 0.0, 0.124, 36.2021, 89.99] {
            let snapped = snap(value, 0.25);
            assert!(
                (snapped - value).abs() <= 0.125 + 1e-9,
                "{value} → {snapped}"
            );
            assert_eq!(snapped, snap(snapped, 0.25), "stable");
        }
        assert_eq!(snap(36.2021, 0.25), 36.125);
        assert_eq!(snap(36.2021, 1.0), 36.5);
    }
}
