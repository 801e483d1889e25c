//! Scoring the extractor against the labelled set (`eval/labelled.jsonl`,
//! `eval/README.md`): precision, recall and F1 per field and for whole events.
//!
//! A predicted report is paired with the expected event of its text it agrees
//! with most (each expected event used once). A field is right when it is
//! within the precision both sides state:
//! - kind: the expected kind, or one of its ancestors (less deep, still true);
//! - date: the predicted span holds every expected day;
//! - place: the expected point lies within the predicted place — 10 km of an
//!   exact place, 25 km of a "near" one, in the same governorate for a
//!   governorate, in the same country for a country; no place on both sides is right;
//! - responsible: the same actor said to have acted, or no one on both sides;
//! - killed: the same best estimate, or no count on both sides.
//!
//! A whole event is right when kind, date, place and responsible all are.
//! Strict figures (the exact kind, and a place of the same level) are given too.

use crate::gazetteer::{Gazetteer, PlaceLevel, distance_km};
use crate::lexicon::ACTORS;
use crate::read::Document;
use crate::{Extractor, Lang};
use serde::Deserialize;
use truce_model::kind::Taxonomy;
use truce_model::report::{LocationPrecision, Report, Role};
use truce_model::time::Day;

/// The fields scored, in the order they are shown.
const FIELDS: [&str; 7] = [
    "kind",
    "kind (exact depth)",
    "date",
    "place",
    "place (same level)",
    "responsible",
    "killed",
];

/// The labelled set that ships with truce.
pub const LABELLED_SET: &str = include_str!("../eval/labelled.jsonl");

#[derive(Deserialize)]
struct Text {
    id: String,
    split: String,
    source: String,
    published: String,
    lang: String,
    text: String,
    events: Vec<Expected>,
}

#[derive(Deserialize)]
struct Expected {
    kind: String,
    date: Span,
    place: Option<ExpectedPlace>,
    responsible: Option<String>,
    killed: Option<Killed>,
}

#[derive(Deserialize)]
struct Span {
    first: String,
    last: String,
}

#[derive(Deserialize)]
struct ExpectedPlace {
    name: String,
    level: String,
    lat: f64,
    lon: f64,
    admin1: Option<String>,
}

#[derive(Deserialize)]
struct Killed {
    best: u32,
}

/// Counts for one field: predictions that state it, expected events that do, and right ones.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldScore {
    pub predicted: u64,
    pub expected: u64,
    pub right: u64,
}

impl FieldScore {
    pub fn precision(&self) -> f64 {
        ratio(self.right, self.predicted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.right, self.expected)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// One prediction that was not right, for the error discussion.
#[derive(Clone, Debug)]
pub struct Miss {
    pub text_id: String,
    pub text: String,
    pub what: String,
}

/// The scores of one part of the set.
#[derive(Clone, Debug, Default)]
pub struct Evaluation {
    pub texts: u64,
    pub fields: Vec<(&'static str, FieldScore)>,
    pub events: FieldScore,
    /// Whole events among the reports of at least each confidence in
    /// `CONFIDENCE_LEVELS`: (level, right, predicted).
    pub by_confidence: Vec<(u8, u64, u64)>,
    pub misses: Vec<Miss>,
}

fn field<'a>(
    fields: &'a mut Vec<(&'static str, FieldScore)>,
    name: &'static str,
) -> &'a mut FieldScore {
    if let Some(at) = fields.iter().position(|(n, _)| *n == name) {
        return &mut fields[at].1;
    }
    fields.push((name, FieldScore::default()));
    let last = fields.len() - 1;
    &mut fields[last].1
}

/// The confidences at which whole-event precision is also given: a monitor who
/// reads only the surer reports sees these.
pub const CONFIDENCE_LEVELS: &[u8] = &[80, 90, 100];

/// Which actor of truce's general dictionary a report says acted.
fn responsible(report: &Report) -> Option<&'static str> {
    let side = report.sides.iter().find(|s| s.role == Role::Initiator)?;
    let name = side.names.first()?;
    ACTORS
        .iter()
        .find(|(_, canonical, _)| canonical == name)
        .map(|(id, _, _)| *id)
}

struct Judged {
    kind: bool,
    kind_exact: bool,
    date: bool,
    place: bool,
    place_level: bool,
    responsible: bool,
    killed: bool,
}

fn judge(
    report: &Report,
    expected: &Expected,
    taxonomy: &Taxonomy,
    gazetteer: &Gazetteer,
    country: &str,
) -> Judged {
    let kind_exact = report.kind == expected.kind;
    let kind = kind_exact
        || match (taxonomy.find(&report.kind), taxonomy.find(&expected.kind)) {
            (Some(predicted), Some(wanted)) => taxonomy.is_within(wanted, predicted),
            _ => false,
        };
    let date = match (
        Day::parse_iso(&expected.date.first),
        Day::parse_iso(&expected.date.last),
    ) {
        (Some(first), Some(last)) => report.date.first <= first && last <= report.date.last,
        _ => false,
    };
    let (place, place_level) = match &expected.place {
        None => {
            let none = report.location.point.is_none()
                && report.location.precision == LocationPrecision::Unknown;
            (none, none)
        }
        Some(wanted) => {
            let here = report
                .location
                .point
                .map(|p| distance_km((p.lat, p.lon), (wanted.lat, wanted.lon)));
            let level = match report.location.precision {
                LocationPrecision::Exact | LocationPrecision::Near => "point",
                LocationPrecision::Province | LocationPrecision::District => "admin1",
                LocationPrecision::Country => "country",
                _ => "none",
            };
            let right = match report.location.precision {
                LocationPrecision::Exact => here.is_some_and(|d| d <= 10.0),
                LocationPrecision::Near | LocationPrecision::Linear => {
                    here.is_some_and(|d| d <= 25.0)
                }
                LocationPrecision::District => here.is_some_and(|d| d <= 40.0),
                LocationPrecision::Province => {
                    let predicted = report.location.admin1.as_deref().unwrap_or("");
                    let same_unit = wanted.admin1.as_deref().is_some_and(|name| {
                        gazetteer
                            .lookup_name(name)
                            .iter()
                            .chain(gazetteer.lookup_name(&wanted.name).iter())
                            .any(|&p| {
                                let place = gazetteer.place(p);
                                place.level == PlaceLevel::Admin1 && place.name == predicted
                            })
                    });
                    same_unit || here.is_some_and(|d| d <= 60.0)
                }
                LocationPrecision::Country => report.location.country.as_deref() == Some(country),
                LocationPrecision::Unknown => false,
            };
            (right, right && level == wanted.level)
        }
    };
    let responsible_right = responsible(report) == expected.responsible.as_deref();
    let killed = report.casualties.map(|c| c.best) == expected.killed.as_ref().map(|k| k.best);
    Judged {
        kind,
        kind_exact,
        date,
        place,
        place_level,
        responsible: responsible_right,
        killed,
    }
}

/// Scores `extractor` on the texts of `set` (JSON Lines) whose split is `split`
/// (`dev`, `test`, or `all`). `misses` keeps up to that many wrong predictions.
pub fn evaluate(
    set: &str,
    extractor: &Extractor,
    split: &str,
    misses: usize,
) -> Result<Evaluation, String> {
    let taxonomy = Taxonomy::built_in();
    let gazetteer = extractor.gazetteer();
    let mut out = Evaluation::default();
    for name in FIELDS {
        field(&mut out.fields, name);
    }
    out.by_confidence = CONFIDENCE_LEVELS.iter().map(|&c| (c, 0, 0)).collect();
    for (n, line) in set.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let text: Text = serde_json::from_str(line)
            .map_err(|e| format!("line {}: not a labelled text: {e}", n + 1))?;
        if split != "all" && text.split != split {
            continue;
        }
        out.texts += 1;
        let country = if text.source.contains("ukraine") {
            "UA"
        } else if text.source.contains("wikipedia") && text.text.contains("Yemen") {
            "YE"
        } else if text.source.contains("wikipedia") && text.text.contains("Ukraine") {
            "UA"
        } else {
            "SY"
        };
        let document = Document {
            id: text.id.clone(),
            url: None,
            title: None,
            published: Day::parse_iso(&text.published),
            lang: Lang::parse(&text.lang).unwrap_or(Lang::En),
            text: text.text.clone(),
            hashtags: Vec::new(),
            file: "labelled.jsonl".into(),
            line: n as u64 + 1,
        };
        let predicted = extractor.extract(&document).reports;
        // Expected counts per field.
        for expected in &text.events {
            out.events.expected += 1;
            for name in FIELDS {
                let states = match name {
                    "place" | "place (same level)" => expected.place.is_some(),
                    "responsible" => expected.responsible.is_some(),
                    "killed" => expected.killed.is_some(),
                    _ => true,
                };
                if states {
                    field(&mut out.fields, name).expected += 1;
                }
            }
        }
        // Pair each prediction with the expected event it agrees with most.
        let mut used = vec![false; text.events.len()];
        for report in &predicted {
            out.events.predicted += 1;
            let confidence = report.text.as_ref().map_or(100, |t| t.confidence);
            for (level, _, predicted) in &mut out.by_confidence {
                if confidence >= *level {
                    *predicted += 1;
                }
            }
            let best = text
                .events
                .iter()
                .enumerate()
                .filter(|(i, _)| !used[*i])
                .map(|(i, e)| {
                    let j = judge(report, e, &taxonomy, gazetteer, country);
                    let agreement = [j.kind, j.date, j.place, j.responsible, j.killed]
                        .iter()
                        .filter(|b| **b)
                        .count()
                        * 2
                        + usize::from(j.kind_exact);
                    (i, j, agreement)
                })
                .max_by_key(|(i, _, agreement)| (*agreement, std::cmp::Reverse(*i)));
            let states = |name: &str| match name {
                "place" | "place (same level)" => {
                    report.location.point.is_some()
                        || report.location.precision != LocationPrecision::Unknown
                }
                "responsible" => responsible(report).is_some(),
                "killed" => report.casualties.is_some(),
                _ => true,
            };
            for name in FIELDS {
                if states(name) {
                    field(&mut out.fields, name).predicted += 1;
                }
            }
            let Some((index, judged, _)) = best else {
                if out.misses.len() < misses {
                    out.misses.push(Miss {
                        text_id: text.id.clone(),
                        text: text.text.clone(),
                        what: format!("a {} event the labels do not have", report.kind),
                    });
                }
                continue;
            };
            used[index] = true;
            let expected = &text.events[index];
            let rights = [
                ("kind", judged.kind),
                ("kind (exact depth)", judged.kind_exact),
                ("date", judged.date),
                ("place", judged.place && expected.place.is_some()),
                (
                    "place (same level)",
                    judged.place_level && expected.place.is_some(),
                ),
                (
                    "responsible",
                    judged.responsible && expected.responsible.is_some(),
                ),
                ("killed", judged.killed && expected.killed.is_some()),
            ];
            for (name, right) in rights {
                if right {
                    field(&mut out.fields, name).right += 1;
                }
            }
            let whole = judged.kind && judged.date && judged.place && judged.responsible;
            if whole {
                out.events.right += 1;
                for (level, right, _) in &mut out.by_confidence {
                    if confidence >= *level {
                        *right += 1;
                    }
                }
            } else if out.misses.len() < misses {
                let mut wrong = Vec::new();
                if !judged.kind {
                    wrong.push(format!("kind {} (expected {})", report.kind, expected.kind));
                }
                if !judged.date {
                    wrong.push(format!(
                        "date {}..{} (expected {}..{})",
                        report.date.first,
                        report.date.last,
                        expected.date.first,
                        expected.date.last
                    ));
                }
                if !judged.place {
                    wrong.push(format!(
                        "place {:?} {:?} (expected {:?})",
                        report.location.place,
                        report.location.precision,
                        expected
                            .place
                            .as_ref()
                            .map(|p| format!("{} {}", p.name, p.level))
                    ));
                }
                if !judged.responsible {
                    wrong.push(format!(
                        "responsible {:?} (expected {:?})",
                        responsible(report),
                        expected.responsible
                    ));
                }
                out.misses.push(Miss {
                    text_id: text.id.clone(),
                    text: text.text.clone(),
                    what: wrong.join("; "),
                });
            }
        }
    }
    Ok(out)
}
