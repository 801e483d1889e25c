//! Exports of a check's incidents and findings for other tools: GeoJSON (one Point
//! feature per incident, with readable attributes, for QGIS and web maps) and CSV
//! (one row per finding, or per incident).

use std::collections::HashMap;
use truce_engine::CheckResult;
use truce_model::finding::{Certainty, Verdict};

pub(crate) fn enum_text<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

/// Per incident with a violation: its violations as `clause:party:certainty`
/// and its strongest certainty. One pass over the findings, so an export of a
/// large check is not quadratic.
pub(crate) fn violations_by_incident(
    result: &CheckResult,
) -> HashMap<&str, (Vec<String>, Option<Certainty>)> {
    let mut by_incident: HashMap<&str, (Vec<String>, Option<Certainty>)> = HashMap::new();
    for f in result
        .findings
        .iter()
        .filter(|f| f.verdict == Verdict::Violation)
    {
        let entry = by_incident.entry(&*f.incident).or_default();
        entry.0.push(format!(
            "{}:{}:{}",
            f.clause,
            f.party.as_deref().unwrap_or("-"),
            f.certainty.as_str()
        ));
        entry.1 = Some(
            entry
                .1
                .map_or(f.certainty, |s: Certainty| s.min(f.certainty)),
        );
    }
    by_incident
}

/// Incidents with findings as a GeoJSON FeatureCollection (RFC 7946, WGS 84 lon/lat).
/// Incidents without a point are left out of the features and counted in `foreign_members`.
pub fn incidents_geojson(result: &CheckResult) -> String {
    let by_incident = violations_by_incident(result);
    let mut features = Vec::new();
    let mut unlocated = 0;
    for incident in &result.incidents {
        let Some(point) = incident.point else {
            unlocated += 1;
            continue;
        };
        let (violations, strongest) = by_incident
            .get(incident.id.as_str())
            .cloned()
            .unwrap_or_default();
        let mut properties = serde_json::Map::new();
        let mut put = |k: &str, v: serde_json::Value| {
            properties.insert(k.to_string(), v);
        };
        put("id", incident.id.clone().into());
        put("date_first", incident.date.first.to_string().into());
        put("date_last", incident.date.last.to_string().into());
        put("date_precision", enum_text(&incident.date.precision).into());
        put("place", incident.place.clone().into());
        put(
            "location_precision",
            enum_text(&incident.location_precision).into(),
        );
        put("kind", incident.kind.clone().into());
        put("grade", enum_text(&incident.grade).into());
        put("reports", incident.reports.join("; ").into());
        put(
            "violation",
            strongest.map_or("none", Certainty::as_str).into(),
        );
        put("violations", violations.join("; ").into());
        if let Some(c) = incident.casualties {
            put("deaths_low", c.low.into());
            put("deaths_best", c.best.into());
            put("deaths_high", c.high.into());
        }
        features.push(geojson::Feature {
            bbox: None,
            geometry: Some(geojson::Geometry::new(geojson::GeometryValue::new_point([
                point.lon, point.lat,
            ]))),
            id: None,
            properties: Some(properties),
            foreign_members: None,
        });
    }
    let mut members = serde_json::Map::new();
    members.insert("agreement".into(), result.agreement.id.clone().into());
    members.insert("as_of".into(), result.as_of.to_string().into());
    members.insert("unlocated_incidents".into(), unlocated.into());
    let collection = geojson::FeatureCollection {
        bbox: None,
        features,
        foreign_members: Some(members),
    };
    geojson::GeoJson::FeatureCollection(collection).to_string() + "\n"
}

/// A cell as a spreadsheet may open it without running it (OWASP's CSV injection
/// advice: see [`truce_model::spreadsheet`]).
pub fn safe(cell: String) -> String {
    match truce_model::spreadsheet::safe_cell(&cell) {
        std::borrow::Cow::Borrowed(_) => cell,
        std::borrow::Cow::Owned(quoted) => quoted,
    }
}

/// A finding's reason chain on one line, each link led by its certainty, as the
/// CSV and GeoParquet exports carry it.
pub(crate) fn reasons_line(finding: &truce_model::finding::Finding) -> String {
    let links: Vec<String> = finding
        .reasons
        .iter()
        .map(|r| {
            format!(
                "[{}] {}",
                r.certainty.as_str(),
                truce_words::english(&r.message)
            )
        })
        .collect();
    links.join(" | ")
}

/// One row per finding.
pub fn findings_csv(result: &CheckResult) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "finding",
        "incident",
        "clause",
        "party",
        "actor",
        "verdict",
        "certainty",
        "confidence",
        "date_first",
        "date_last",
        "reasons",
    ]);
    for f in &result.findings {
        let _ = w.write_record(
            [
                f.id.clone(),
                f.incident.to_string(),
                f.clause.to_string(),
                f.party.as_deref().unwrap_or("").to_string(),
                f.actor.to_string(),
                enum_text(&f.verdict),
                f.certainty.as_str().to_string(),
                format!("{:.3}", f.confidence),
                f.date.first.to_string(),
                f.date.last.to_string(),
                reasons_line(f),
            ]
            .map(safe),
        );
    }
    w.into_inner()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

/// One row per incident with findings.
pub fn incidents_csv(result: &CheckResult) -> String {
    let by_incident = violations_by_incident(result);
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "incident",
        "date_first",
        "date_last",
        "date_precision",
        "place",
        "longitude",
        "latitude",
        "location_precision",
        "kind",
        "grade",
        "reports",
        "deaths_low",
        "deaths_best",
        "deaths_high",
        "violation",
        "violations",
    ]);
    for i in &result.incidents {
        let (violations, strongest) = by_incident.get(i.id.as_str()).cloned().unwrap_or_default();
        let c = i.casualties;
        let _ = w.write_record(
            [
                i.id.clone(),
                i.date.first.to_string(),
                i.date.last.to_string(),
                enum_text(&i.date.precision),
                i.place.clone(),
                i.point.map_or_else(String::new, |p| p.lon.to_string()),
                i.point.map_or_else(String::new, |p| p.lat.to_string()),
                enum_text(&i.location_precision),
                i.kind.clone(),
                enum_text(&i.grade),
                i.reports.join("; "),
                c.map_or_else(String::new, |c| c.low.to_string()),
                c.map_or_else(String::new, |c| c.best.to_string()),
                c.map_or_else(String::new, |c| c.high.to_string()),
                strongest.map_or("none", Certainty::as_str).to_string(),
                violations.join("; "),
            ]
            .map(safe),
        );
    }
    w.into_inner()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}
