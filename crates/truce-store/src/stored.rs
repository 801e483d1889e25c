//! A report as stored: everything but where it was read (file, line) and the
//! raw row, which have their own columns. The content hash is taken over this
//! JSON, so the same event read from another file, at another line, is the
//! same content.
//!
//! Both directions destructure or build [`Report`] and [`Provenance`] with every
//! field named, so a field added to the model does not compile here until it is
//! stored too: nothing is lost silently.

use serde::{Deserialize, Serialize};
use truce_model::report::{Casualties, Location, Provenance, Report, Side, TextEvidence};
use truce_model::time::DateSpan;

#[derive(Serialize)]
struct ProvenanceRef<'a> {
    source: &'a str,
    source_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    revision: &'a Option<String>,
}

#[derive(Serialize)]
struct ReportRef<'a> {
    provenance: ProvenanceRef<'a>,
    date: &'a DateSpan,
    location: &'a Location,
    kind: &'a str,
    kind_label: &'a str,
    sides: &'a [Side],
    #[serde(skip_serializing_if = "Option::is_none")]
    casualties: &'a Option<Casualties>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_count: &'a Option<u32>,
    // Skipped when empty, so a report without links or media hashes keeps the
    // content hash it had before these fields existed: re-importing a file stores
    // nothing twice across versions.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    urls: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    media: &'a [String],
    // Only reports read from text have it: every other report's JSON is unchanged.
    #[serde(skip_serializing_if = "Option::is_none")]
    text: &'a Option<TextEvidence>,
    // Only aggregate rows have it, for the same reason.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    aggregate: bool,
}

#[derive(Deserialize)]
struct StoredProvenance {
    source: String,
    source_id: String,
    #[serde(default)]
    revision: Option<String>,
}

#[derive(Deserialize)]
struct StoredReport {
    provenance: StoredProvenance,
    date: DateSpan,
    location: Location,
    kind: String,
    kind_label: String,
    sides: Vec<Side>,
    #[serde(default)]
    casualties: Option<Casualties>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    source_count: Option<u32>,
    #[serde(default)]
    urls: Vec<String>,
    #[serde(default)]
    media: Vec<String>,
    #[serde(default)]
    text: Option<TextEvidence>,
    #[serde(default)]
    aggregate: bool,
}

/// Appends the stored JSON of `report` to `out`.
pub(crate) fn write_json(report: &Report, out: &mut Vec<u8>) -> serde_json::Result<()> {
    let Report {
        provenance,
        date,
        location,
        kind,
        kind_label,
        sides,
        casualties,
        summary,
        source_count,
        urls,
        media,
        text,
        aggregate,
    } = report;
    let Provenance {
        source,
        source_id,
        file: _,
        line: _,
        revision,
        raw: _,
    } = provenance;
    serde_json::to_writer(
        out,
        &ReportRef {
            provenance: ProvenanceRef {
                source,
                source_id,
                revision,
            },
            date,
            location,
            kind,
            kind_label,
            sides,
            casualties,
            summary,
            source_count,
            urls,
            media,
            text,
            aggregate: *aggregate,
        },
    )
}

/// Rebuilds a report from its stored JSON and its columns.
pub(crate) fn read_json(
    json: &str,
    file: String,
    line: u64,
    raw: Vec<(String, String)>,
) -> serde_json::Result<Report> {
    let stored: StoredReport = serde_json::from_str(json)?;
    Ok(Report {
        provenance: Provenance {
            source: stored.provenance.source,
            source_id: stored.provenance.source_id,
            file,
            line,
            revision: stored.provenance.revision,
            raw,
        },
        date: stored.date,
        location: stored.location,
        kind: stored.kind,
        kind_label: stored.kind_label,
        sides: stored.sides,
        casualties: stored.casualties,
        summary: stored.summary,
        source_count: stored.source_count,
        urls: stored.urls,
        media: stored.media,
        text: stored.text,
        aggregate: stored.aggregate,
    })
}
