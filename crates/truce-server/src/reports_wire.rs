//! The shape of a monitor's report on the wire, and its checks: every field is
//! validated and a problem names the field and what was expected.

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::terms::SubmissionOutcomeWire;
use crate::wire::ReportWire;
use serde::{Deserialize, Serialize};
use truce_model::kind::Taxonomy;
use truce_model::message::{Arg, Joiner, Message};
use truce_model::report::{
    Casualties, Location, LocationPrecision, LonLat, Provenance, Report, Role, Side,
};
use truce_model::time::{DatePrecision, DateSpan, Day};
use utoipa::ToSchema;

/// A side named by the monitor.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActorIn {
    /// The name as the monitor heard or saw it (the agreement's aliases resolve it).
    pub name: String,
    /// `initiator` (carried out the act), `target` (was hit) or `unknown`.
    #[serde(default = "unknown_role")]
    pub role: String,
}

fn unknown_role() -> String {
    "unknown".to_string()
}

/// Deaths as a range.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CasualtiesIn {
    pub low: u32,
    pub best: u32,
    pub high: u32,
    pub civilians: Option<u32>,
}

/// A report from the field.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MonitorReportIn {
    /// The day it happened (YYYY-MM-DD), or the first possible day.
    pub date: String,
    /// The last possible day, when the day is not known exactly.
    pub date_last: Option<String>,
    /// The place's name.
    pub place: Option<String>,
    /// WGS 84 latitude in degrees.
    pub lat: Option<f64>,
    /// WGS 84 longitude in degrees.
    pub lon: Option<f64>,
    /// `exact`, `near`, `district`, `province`, `linear`, `country` or `unknown`.
    pub location_precision: String,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    pub country: Option<String>,
    /// A kind of truce's hierarchy (`air-strike`, `shelling`, `attack-on-health-care`, …).
    pub kind: String,
    /// The monitor's own words for it.
    pub kind_label: Option<String>,
    #[serde(default)]
    pub actors: Vec<ActorIn>,
    pub casualties: Option<CasualtiesIn>,
    /// What the monitor saw, in their words.
    pub text: Option<String>,
    /// sha256 (lowercase hex) of each photo or video, hashed on the device.
    #[serde(default)]
    pub attachments: Vec<String>,
    /// Addresses of articles or posts the report rests on.
    #[serde(default)]
    pub urls: Vec<String>,
}

/// `the field `{field}`: expected …`, with what was expected (an `api-expected-…` sentence).
fn invalid(field: &str, expected: Message) -> ApiError {
    ApiError::of(
        ErrorCode::InvalidReport,
        Message::new("api-report-field")
            .with("field", Arg::code(field))
            .with("expected", expected),
    )
}

fn day(field: &str, text: &str) -> ApiResult<Day> {
    Day::parse_iso(text.trim()).ok_or_else(|| {
        invalid(
            field,
            Message::new("api-expected-date")
                .with("form", "YYYY-MM-DD")
                .with("found", Arg::code(text)),
        )
    })
}

impl MonitorReportIn {
    /// The report to store (its source and id are set by the store), or the first problem.
    pub fn to_report(&self, taxonomy: &Taxonomy) -> ApiResult<Report> {
        let date = self.date_span()?;
        let location = self.location()?;
        self.check_kind(taxonomy)?;
        let sides = self.sides()?;
        let casualties = self.casualties()?;
        self.check_links()?;
        Ok(Report {
            provenance: Provenance {
                source: truce_store::MONITOR_SOURCE.to_string(),
                source_id: String::new(),
                file: "api/reports".to_string(),
                line: 1,
                revision: None,
                raw: Vec::new(),
            },
            date,
            location,
            kind: self.kind.clone(),
            kind_label: non_blank(&self.kind_label).unwrap_or_else(|| self.kind.clone()),
            sides,
            casualties,
            summary: non_blank(&self.text),
            source_count: Some(1),
            urls: self.urls.clone(),
            media: self.attachments.clone(),
            text: None,
            aggregate: false,
        })
    }

    /// The days it happened on, as precise as the span the monitor gave.
    fn date_span(&self) -> ApiResult<DateSpan> {
        let first = day("date", &self.date)?;
        let last = match &self.date_last {
            Some(text) => day("date_last", text)?,
            None => first,
        };
        if last < first {
            return Err(invalid(
                "date_last",
                Message::new("api-expected-after-date").with("date", Arg::code("date")),
            ));
        }
        let span = DateSpan {
            first,
            last,
            precision: DatePrecision::Day,
        };
        // `days()` counts both ends: one for a single day.
        let precision = match span.days() {
            ..=1 => DatePrecision::Day,
            2..=7 => DatePrecision::Days,
            8..=31 => DatePrecision::Month,
            _ => DatePrecision::Year,
        };
        Ok(DateSpan {
            first,
            last,
            precision,
        })
    }

    /// Where it happened: a valid point, or a place name, or an unknown place said so.
    fn location(&self) -> ApiResult<Location> {
        let point = match (self.lat, self.lon) {
            (Some(lat), Some(lon)) => {
                let point = LonLat { lon, lat };
                if !point.is_valid() {
                    return Err(invalid(
                        "lat/lon",
                        Message::new("api-expected-lat-lon-range"),
                    ));
                }
                Some(point)
            }
            (None, None) => None,
            _ => {
                return Err(invalid(
                    "lat/lon",
                    Message::new("api-expected-lat-lon-both"),
                ));
            }
        };
        let location_precision = LocationPrecision::ALL
            .into_iter()
            .find(|p| p.key() == self.location_precision)
            .ok_or_else(|| {
                let words = [
                    "exact", "near", "district", "province", "linear", "country", "unknown",
                ];
                invalid(
                    "location_precision",
                    Message::new("api-expected-one-of").with(
                        "values",
                        Arg::list(words.into_iter().map(Arg::from).collect(), Joiner::Comma),
                    ),
                )
            })?;
        if point.is_none()
            && location_precision != LocationPrecision::Unknown
            && self.place.is_none()
        {
            return Err(invalid(
                "lat/lon",
                Message::new("api-expected-point-or-place")
                    .with("field", Arg::code("location_precision"))
                    .with("unknown", Arg::code("unknown")),
            ));
        }
        Ok(Location {
            point,
            precision: location_precision,
            place: non_blank(&self.place),
            admin1: non_blank(&self.admin1),
            admin2: non_blank(&self.admin2),
            country: non_blank(&self.country),
        })
    }

    /// The kind is one of the agreement's taxonomy (with the closest one suggested).
    fn check_kind(&self, taxonomy: &Taxonomy) -> ApiResult<()> {
        if taxonomy.find(&self.kind).is_none() {
            let known: Vec<&str> = taxonomy.iter().map(|(_, k)| k.id.as_str()).collect();
            let expected = match truce_model::names::closest(&self.kind, &known) {
                Some(closest) => {
                    Message::new("api-expected-kind-hint").with("closest", Arg::code(closest))
                }
                None => Message::new("api-expected-kind"),
            };
            return Err(invalid("kind", expected));
        }
        Ok(())
    }

    /// Each actor named, with its role.
    fn sides(&self) -> ApiResult<Vec<Side>> {
        let mut sides = Vec::with_capacity(self.actors.len());
        for (i, actor) in self.actors.iter().enumerate() {
            let field = format!("actors[{i}]");
            if actor.name.trim().is_empty() {
                return Err(invalid(
                    &format!("{field}.name"),
                    Message::new("api-expected-name"),
                ));
            }
            let role = match actor.role.as_str() {
                "initiator" => Role::Initiator,
                "target" => Role::Target,
                "unknown" => Role::Unknown,
                _ => {
                    return Err(invalid(
                        &format!("{field}.role"),
                        Message::new("api-expected-role")
                            .with("initiator", "initiator")
                            .with("target", "target")
                            .with("unknown", "unknown"),
                    ));
                }
            };
            sides.push(Side {
                field,
                names: vec![actor.name.trim().to_string()],
                role,
                category: None,
            });
        }
        Ok(sides)
    }

    /// The dead, when given: low ≤ best ≤ high, civilians at most `high`.
    fn casualties(&self) -> ApiResult<Option<Casualties>> {
        Ok(match &self.casualties {
            Some(c) => {
                if !(c.low <= c.best && c.best <= c.high) {
                    return Err(invalid(
                        "casualties",
                        Message::new("api-expected-casualties")
                            .with("low", "low")
                            .with("best", "best")
                            .with("high", "high"),
                    ));
                }
                if c.civilians.is_some_and(|n| n > c.high) {
                    return Err(invalid(
                        "casualties.civilians",
                        Message::new("api-expected-at-most").with("high", Arg::code("high")),
                    ));
                }
                Some(Casualties {
                    low: c.low,
                    best: c.best,
                    high: c.high,
                    civilians: c.civilians,
                })
            }
            None => None,
        })
    }

    /// Attachments by sha256, links by http(s) address.
    fn check_links(&self) -> ApiResult<()> {
        for (i, hash) in self.attachments.iter().enumerate() {
            if hash.len() != 64 || !hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
                return Err(invalid(
                    &format!("attachments[{i}]"),
                    Message::new("api-expected-sha256").with("hash", "sha256"),
                ));
            }
        }
        for (i, url) in self.urls.iter().enumerate() {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(invalid(
                    &format!("urls[{i}]"),
                    Message::new("api-expected-url")
                        .with("http", "http")
                        .with("https", "https"),
                ));
            }
        }
        Ok(())
    }
}

/// A text given, trimmed; `None` when absent or blank.
fn non_blank(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// What became of a submission.
#[derive(Serialize, ToSchema)]
pub struct Submission {
    /// The report's id in the evidence (`monitor:…`), which reveals nothing of who filed it.
    pub id: String,
    /// The submission's number (for publishing it).
    pub submission: i64,
    pub outcome: SubmissionOutcomeWire,
    pub published: bool,
}

/// A submitted report, as its monitor and the mission's staff see it.
#[derive(Serialize, ToSchema)]
pub struct SubmissionWire {
    pub submission: i64,
    pub id: String,
    pub submitted: String,
    pub published: Option<String>,
    /// When it was taken out of the evidence (an analyst rejected it), if it was.
    pub withdrawn: Option<String>,
    /// Why, as recorded (`rejected: …`).
    pub withdrawn_note: Option<String>,
    pub report: ReportWire,
}

/// Why an analyst rejects a monitor's report.
#[derive(Deserialize, ToSchema)]
pub struct RejectIn {
    /// The reason, recorded in the ledger (1 to 2,000 characters).
    pub reason: String,
}

/// A page of submissions.
#[derive(Serialize, ToSchema)]
pub struct SubmissionPage {
    pub items: Vec<SubmissionWire>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<i64>,
}
