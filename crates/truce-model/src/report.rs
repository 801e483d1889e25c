//! Reports (one source's account of an event) and incidents (what happened,
//! from one or more reports), with provenance and honest precision.

use crate::time::DateSpan;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a report came from: enough to find the raw row again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The dataset or channel, e.g. `ucdp-ged`, `acled`, `truce` (a truce JSON Lines file).
    pub source: String,
    /// The source's own id of the event (GED `id`, ACLED `event_id_cnty`).
    pub source_id: String,
    /// The file it was read from, as given on the command line.
    pub file: String,
    /// The line of the file the row starts on (1-based, the header is line 1).
    pub line: u64,
    /// The source's revision marker when it has one (GED `relid`, ACLED `timestamp`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// The raw row as `(column, value)` pairs, in the file's column order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub raw: Vec<(String, String)>,
}

/// How precisely a report knows where its event happened.
#[derive(
    Copy,
    Clone,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum LocationPrecision {
    /// The exact place (a village or a neighbourhood).
    Exact,
    /// Near a named place (GED: within about 25 km; ACLED: near a town).
    Near,
    /// Only the district (second-order administrative unit) is known.
    District,
    /// Only the province or governorate (first-order administrative unit) is known.
    Province,
    /// Along a road, a river or a front line between places.
    Linear,
    /// Only the country is known.
    Country,
    /// Not located at all.
    Unknown,
}

impl LocationPrecision {
    pub fn label(self) -> &'static str {
        match self {
            LocationPrecision::Exact => "exact place",
            LocationPrecision::Near => "near a place",
            LocationPrecision::District => "district only",
            LocationPrecision::Province => "province only",
            LocationPrecision::Linear => "along a line between places",
            LocationPrecision::Country => "country only",
            LocationPrecision::Unknown => "unknown",
        }
    }

    pub const ALL: [LocationPrecision; 7] = [
        LocationPrecision::Exact,
        LocationPrecision::Near,
        LocationPrecision::District,
        LocationPrecision::Province,
        LocationPrecision::Linear,
        LocationPrecision::Country,
        LocationPrecision::Unknown,
    ];

    pub fn key(self) -> &'static str {
        match self {
            LocationPrecision::Exact => "exact",
            LocationPrecision::Near => "near",
            LocationPrecision::District => "district",
            LocationPrecision::Province => "province",
            LocationPrecision::Linear => "linear",
            LocationPrecision::Country => "country",
            LocationPrecision::Unknown => "unknown",
        }
    }
}

/// A point in WGS 84 degrees.
#[derive(Copy, Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LonLat {
    pub lon: f64,
    pub lat: f64,
}

impl LonLat {
    pub fn is_valid(&self) -> bool {
        self.lon.is_finite()
            && self.lat.is_finite()
            && (-180.0..=180.0).contains(&self.lon)
            && (-90.0..=90.0).contains(&self.lat)
    }
}

impl fmt::Display for LonLat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.4}°N {:.4}°E", self.lat, self.lon)
    }
}

/// Where a report places its event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// The source's point; for an imprecise location this is a representative
    /// point (often the centroid of the district or province), not the event's place.
    pub point: Option<LonLat>,
    pub precision: LocationPrecision,
    /// The place name as the source gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin2: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

impl Location {
    /// Not located at all: no point, no name.
    pub fn unknown() -> Location {
        Location {
            point: None,
            precision: LocationPrecision::Unknown,
            place: None,
            admin1: None,
            admin2: None,
            country: None,
        }
    }
}

/// What sort of actor a side is, as far as the source says.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActorCategory {
    StateForces,
    Rebels,
    Militia,
    Rioters,
    Protesters,
    Civilians,
    External,
}

/// Which role the source gives a side.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The source says this side carried out the act.
    Initiator,
    /// The source says this side was its target.
    Target,
    /// The source names the side without saying who attacked whom
    /// (ACLED's `actor1`/`actor2`, GED's `side_a`/`side_b` in armed conflict).
    Unknown,
}

/// One side of an event: the names the source gives (a coalition may list several).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Side {
    /// Which column the names came from (`side_a`, `actor1`, …), for the reason chain.
    pub field: String,
    pub names: Vec<String>,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<ActorCategory>,
}

/// Deaths as a range: never one number pretending to be exact.
#[derive(
    Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Casualties {
    pub low: u32,
    pub best: u32,
    pub high: u32,
    /// Civilian deaths (best estimate) where the source separates them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub civilians: Option<u32>,
}

impl Casualties {
    /// The range a source's best, low and high estimates give, the low and high
    /// taken as the best where the source leaves them out. Sources' triples are
    /// not always ordered (GED: low 177, best 142, high 177): the range then spans
    /// all three numbers, and best stays as given.
    pub fn from_estimates(
        best: u32,
        low: Option<u32>,
        high: Option<u32>,
        civilians: Option<u32>,
    ) -> Casualties {
        let (low, high) = (low.unwrap_or(best), high.unwrap_or(best));
        Casualties {
            low: low.min(best).min(high),
            best,
            high: high.max(best).max(low),
            civilians,
        }
    }
}

/// One source's account of one event, normalised.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub provenance: Provenance,
    pub date: DateSpan,
    pub location: Location,
    /// An id of the kind hierarchy (`air-strike`, `armed-conflict`, …).
    pub kind: String,
    /// The source's own words for the kind (`Explosions/Remote violence / Air/drone strike`).
    pub kind_label: String,
    pub sides: Vec<Side>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub casualties: Option<Casualties>,
    /// A one-line description (GED headline, ACLED notes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// How many independent sources the report itself rests on, when it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_count: Option<u32>,
    /// The addresses of the articles or posts the report rests on (GDELT's `SOURCEURL`,
    /// a form's link column). Reports sharing one are the same evidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
    /// The sha256 (lowercase hex) of the photos and videos behind the report, hashed
    /// where they were taken. Reports sharing one are the same evidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<String>,
    /// For a report read from a news text or a post (`truce extract`): the words
    /// behind each field, how sure the reading is, and what made it less sure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<TextEvidence>,
    /// The source says the row sums up many events over a long period or a large area
    /// (UCDP GED `event_clarity = 2`: "about 60 thousand were killed in 2016"): it is
    /// kept and shown, but never counted as one event on a day (`[evidence]` filters).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub aggregate: bool,
}

/// The provenance of a report read from text: which document, which sentence, and
/// the words behind every field as byte ranges of the document's text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextEvidence {
    /// How the document names itself: an article's address, a post's `channel/id`.
    pub document: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The day the document was published (ISO), the day relative dates count from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// `en` or `ar`.
    pub lang: String,
    /// The sentence the report was read from, and where it starts in the document's text.
    pub excerpt: String,
    pub excerpt_start: u64,
    /// The words behind each field.
    pub spans: Vec<TextSpan>,
    /// How sure the reading is, in percent: 100 for a plain statement, lowered by
    /// each hedge ("reportedly", "could not be verified").
    pub confidence: u8,
    /// The hedging words found, as they are written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hedges: Vec<String>,
    /// What the reading could not decide (an ambiguous place, with its candidates).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The words behind one field of a report read from text: bytes `start..end` of
/// the document's text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSpan {
    /// `kind`, `date`, `place`, `actor`, `target`, `killed`, `hedge`, `negation`.
    pub field: String,
    pub start: u64,
    pub end: u64,
}

impl Report {
    /// The stable id of the report: `source:source_id`.
    pub fn id(&self) -> String {
        format!("{}:{}", self.provenance.source, self.provenance.source_id)
    }
}

/// How well an incident is corroborated.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Grade {
    /// One report from one source.
    SingleSource,
    /// Reports from several independent sources agree.
    Corroborated,
    /// Reports disagree on who, what or where.
    Contested,
}

/// What happened, as established from one or more reports of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Incident {
    /// Stable id: the id of its first report.
    pub id: String,
    /// Indices into the report list the incident was built from.
    pub reports: Vec<usize>,
    pub grade: Grade,
}
