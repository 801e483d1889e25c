//! The renderers on the engine's hand-worked fixture: text, Markdown, JSON and the
//! explanation of one finding, as `insta` snapshots (review changes with `cargo insta review`).

use truce_engine::{CheckInput, CheckResult, check};
use truce_model::agreement::{Agreement, Files, load};
use truce_model::report::{Location, LocationPrecision, LonLat, Provenance, Report, Role, Side};
use truce_model::time::{DateSpan, Day};

struct NoFiles;

impl Files for NoFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        Err(format!("no file `{path}` in this test"))
    }
}

fn report(
    id: &str,
    date: &str,
    kind: &str,
    lon: f64,
    lat: f64,
    sides: &[(&str, &str, Role)],
    deaths: Option<u32>,
) -> Report {
    Report {
        provenance: Provenance {
            source: "test".into(),
            source_id: id.into(),
            file: "test.jsonl".into(),
            line: 1,
            revision: None,
            raw: vec![],
        },
        date: DateSpan::day(Day::parse_iso(date).expect("date")),
        location: Location {
            point: Some(LonLat { lon, lat }),
            precision: LocationPrecision::Exact,
            place: Some(format!("place {id}")),
            admin1: Some("Box governorate".into()),
            admin2: None,
            country: None,
        },
        kind: kind.into(),
        kind_label: format!("test kind {kind}"),
        sides: sides
            .iter()
            .map(|(field, name, role)| Side {
                field: (*field).into(),
                names: vec![(*name).into()],
                role: *role,
                category: None,
            })
            .collect(),
        casualties: deaths.map(|d| truce_model::report::Casualties {
            low: d,
            best: d,
            high: d + 2,
            civilians: None,
        }),
        summary: Some(format!("summary of {id}")),
        source_count: Some(1),
        urls: Vec::new(),
        media: Vec::new(),
        text: None,
        aggregate: false,
    }
}

/// The engine's hand-worked agreement (`truce-engine/tests/fixtures/base.toml`).
fn base() -> Agreement {
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../truce-engine/tests/fixtures/base.toml"
    ))
    .expect("fixture");
    let loaded = load("base.toml", &source, &NoFiles);
    loaded.agreement.expect("the fixture loads")
}

fn scenario() -> CheckResult {
    let agreement = base();
    let reports = vec![
        report(
            "s14",
            "2016-09-14",
            "air-strike",
            37.2,
            36.2,
            &[
                ("actor1", "Government of Syria", Role::Initiator),
                ("actor2", "Civilians", Role::Target),
            ],
            Some(4),
        ),
        report(
            "c16",
            "2016-09-16",
            "armed-conflict",
            37.2,
            36.2,
            &[
                ("side_a", "Government of Syria", Role::Unknown),
                ("side_b", "Syrian insurgents", Role::Unknown),
            ],
            Some(2),
        ),
        report(
            "h22",
            "2016-09-22",
            "air-strike",
            37.1,
            36.1,
            &[
                ("actor1", "Government of Syria", Role::Initiator),
                ("actor2", "Jabhat Fateh al-Sham", Role::Target),
            ],
            None,
        ),
        report(
            "x30",
            "2016-09-30",
            "armed-conflict",
            40.0,
            35.0,
            &[
                ("side_a", "IS", Role::Unknown),
                ("side_b", "SDF", Role::Unknown),
            ],
            None,
        ),
    ];
    check(&CheckInput {
        agreement: &agreement,
        reports: &reports,
        as_of: Some(Day::parse_iso("2016-09-30").expect("date")),
        kept_apart: &[],
        kept_together: &[],
    })
}

#[test]
fn text_report() {
    insta::assert_snapshot!(truce_report::text::render(
        &scenario(),
        &truce_report::text::TextOptions::default()
    ));
}

#[test]
fn markdown_report() {
    insta::assert_snapshot!(truce_report::markdown::render(&scenario()));
}

#[test]
fn json_report() {
    insta::assert_snapshot!(truce_report::json::render(&scenario()));
}

/// The check's JSON Schema is made from the document's own types
/// (`truce_report::json`): the committed copy must be the one they make.
#[test]
fn the_committed_json_schema_is_the_one_the_code_generates() {
    let generated = serde_json::to_string_pretty(&truce_report::json::check_output_schema())
        .expect("serializes")
        + "\n";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/check-output.schema.json");
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).expect("write schema");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/check-output.schema.json is out of date: run `UPDATE_SCHEMA=1 cargo test -p truce-report` and commit it"
    );
}

/// Every top-level field of the document is a property of the schema, and vice
/// versa; and the document is the engine's result field for field, so the wire
/// types leave nothing out and add nothing.
#[test]
fn a_check_document_has_the_schemas_fields_and_the_results() {
    let result = scenario();
    let document: serde_json::Value =
        serde_json::from_str(&truce_report::json::render(&result)).expect("json");
    let schema =
        serde_json::to_value(truce_report::json::check_output_schema()).expect("serializes");
    let mut in_document: Vec<&String> = document.as_object().expect("object").keys().collect();
    let mut in_schema: Vec<&String> = schema["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .collect();
    in_document.sort();
    in_schema.sort();
    assert_eq!(in_document, in_schema);
    assert_eq!(document["schema"], "truce-check/2");
    // The engine keeps each reason as a catalogue key and its values; the
    // document writes it in English. Everything else is the result as it is.
    let mut expected = serde_json::to_value(&result).expect("the result");
    for (finding, value) in result.findings.iter().zip(
        expected["findings"]
            .as_array_mut()
            .expect("findings")
            .iter_mut(),
    ) {
        for (reason, value) in finding
            .reasons
            .iter()
            .zip(value["reasons"].as_array_mut().expect("reasons"))
        {
            let object = value.as_object_mut().expect("a reason");
            object.remove("message");
            object.insert("text".into(), truce_words::english(&reason.message).into());
        }
    }
    assert!(result.findings.iter().any(|f| !f.reasons.is_empty()));
    // So are the steps' sentences (summaries, explanations, conditions): where the
    // result holds a message, the document holds a string, checked against the
    // English rendering by the CLI's byte-for-byte tests.
    let sentences = take_sentences(&document, &mut expected);
    assert!(sentences > 10, "{sentences} sentences");
    assert_eq!(document, expected);
}

/// Puts the document's string wherever the result has a serialized message;
/// returns how many.
fn take_sentences(document: &serde_json::Value, expected: &mut serde_json::Value) -> usize {
    use serde_json::Value;
    match expected {
        Value::Object(map)
            if map.len() == 2 && map.contains_key("key") && map.contains_key("args") =>
        {
            assert!(
                document.is_string(),
                "a sentence is written as a string: {document}"
            );
            *expected = document.clone();
            1
        }
        Value::Object(map) => map
            .iter_mut()
            .map(|(k, v)| take_sentences(&document[k.as_str()], v))
            .sum(),
        Value::Array(items) => items
            .iter_mut()
            .enumerate()
            .map(|(i, v)| take_sentences(&document[i], v))
            .sum(),
        _ => 0,
    }
}

#[test]
fn explanation_of_one_finding() {
    let result = scenario();
    insta::assert_snapshot!(
        truce_report::explain::render(&result, "test:h22/no-attacks/army")
            .expect("the finding exists")
    );
    assert!(truce_report::explain::render(&result, "test:nothing").is_none());
}

#[test]
fn exit_code_reflects_violations_and_steps() {
    assert_eq!(truce_report::check_exit_code(&scenario()), 1);
}

#[test]
fn timeline_as_text_csv_and_chart() {
    let agreement = base();
    let t = truce_engine::timeline::timeline(&agreement, &scenario(), &[]);
    insta::assert_snapshot!("timeline_text", truce_report::timeline::render_text(&t));
    insta::assert_snapshot!("timeline_csv", truce_report::timeline::render_csv(&t));
    let svg = truce_report::timeline::render_svg(&t).expect("a chart");
    assert!(
        svg.starts_with("<svg")
            && svg.contains("violations per day by party")
            && svg.contains("step calm (met)"),
        "{}",
        &svg[..200.min(svg.len())]
    );
}

#[test]
fn incidents_export_as_geojson_that_reads_back() {
    let result = scenario();
    let text = truce_report::export::incidents_geojson(&result);
    let parsed: geojson::GeoJson = text.parse().expect("valid GeoJSON");
    let geojson::GeoJson::FeatureCollection(fc) = parsed else {
        panic!("a feature collection")
    };
    assert_eq!(fc.features.len(), result.incidents.len());
    let s14 = fc
        .features
        .iter()
        .find(|f| {
            f.properties
                .as_ref()
                .and_then(|p| p.get("id"))
                .and_then(|v| v.as_str())
                == Some("test:s14")
        })
        .expect("incident s14");
    let props = s14.properties.as_ref().expect("properties");
    assert_eq!(props["violation"], "certain");
    assert_eq!(props["deaths_best"], 4);
    assert_eq!(props["grade"], "single-source");
    match &s14.geometry.as_ref().expect("geometry").value {
        geojson::GeometryValue::Point { coordinates } => {
            assert_eq!(coordinates.as_slice(), &[37.2, 36.2])
        }
        other => panic!("not a point: {other:?}"),
    }
}

#[test]
fn findings_and_incidents_export_as_csv() {
    let result = scenario();
    let findings = truce_report::export::findings_csv(&result);
    let mut reader = csv::Reader::from_reader(findings.as_bytes());
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .expect("valid CSV");
    assert_eq!(rows.len(), result.findings.len());
    assert_eq!(&rows[0][0], result.findings[0].id.as_str());
    let incidents = truce_report::export::incidents_csv(&result);
    assert_eq!(incidents.lines().count(), result.incidents.len() + 1);
}

/// Reads a Parquet file back with the `parquet` crate: its key-value metadata and
/// each row as (column, field) pairs.
/// A Parquet file read back: its key-value metadata, and each row as (column, field) pairs.
type ParquetRead = (
    std::collections::HashMap<String, String>,
    Vec<Vec<(String, parquet::record::Field)>>,
);

fn read_parquet(bytes: &[u8], name: &str) -> ParquetRead {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let path = std::env::temp_dir().join(format!("truce-report-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).expect("write");
    let reader =
        SerializedFileReader::new(std::fs::File::open(&path).expect("open")).expect("Parquet");
    let metadata = reader
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .map(|kv| {
            kv.iter()
                .map(|k| (k.key.clone(), k.value.clone().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    let rows = reader
        .get_row_iter(None)
        .expect("rows")
        .map(|row| {
            row.expect("row")
                .get_column_iter()
                .map(|(name, field)| (name.clone(), field.clone()))
                .collect()
        })
        .collect();
    let _ = std::fs::remove_file(&path);
    (metadata, rows)
}

#[test]
fn incidents_and_findings_export_as_geoparquet_that_reads_back() {
    use parquet::record::Field;
    let result = scenario();
    let mut bytes = Vec::new();
    truce_report::geoparquet::incidents_geoparquet(&result, &mut bytes).expect("written");
    let (metadata, rows) = read_parquet(&bytes, "incidents.parquet");
    let geo: serde_json::Value = serde_json::from_str(&metadata["geo"]).expect("geo metadata");
    assert_eq!(geo["version"], "1.1.0");
    assert_eq!(geo["primary_column"], "geometry");
    assert_eq!(geo["columns"]["geometry"]["encoding"], "WKB");
    assert_eq!(metadata["truce:agreement"], result.agreement.id);
    assert_eq!(rows.len(), result.incidents.len());
    let field = |row: &[(String, Field)], name: &str| {
        row.iter()
            .find(|(n, _)| n == name)
            .map(|(_, f)| f.clone())
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let s14 = rows
        .iter()
        .find(|r| field(r, "incident") == Field::Str("test:s14".into()))
        .expect("incident s14");
    assert_eq!(field(s14, "violation"), Field::Str("certain".into()));
    assert_eq!(field(s14, "deaths_best"), Field::Long(4));
    let day = result
        .incidents
        .iter()
        .find(|i| i.id == "test:s14")
        .expect("s14")
        .date
        .first;
    assert_eq!(field(s14, "date_first"), Field::Date(day.0));
    // The point as WKB: little-endian, type 1 (Point), then longitude and latitude.
    let Field::Bytes(wkb) = field(s14, "geometry") else {
        panic!("a WKB geometry")
    };
    let wkb = wkb.data();
    assert_eq!(wkb.len(), 21);
    assert_eq!(&wkb[..5], &[1, 1, 0, 0, 0]);
    let coordinate = |at: usize| f64::from_le_bytes(wkb[at..at + 8].try_into().expect("8 bytes"));
    assert_eq!((coordinate(5), coordinate(13)), (37.2, 36.2));
    let bbox = geo["columns"]["geometry"]["bbox"].as_array().expect("bbox");
    assert!(bbox[0].as_f64() <= Some(37.2) && bbox[2].as_f64() >= Some(37.2));

    let mut bytes = Vec::new();
    truce_report::geoparquet::findings_geoparquet(&result, &mut bytes).expect("written");
    let (_, rows) = read_parquet(&bytes, "findings.parquet");
    assert_eq!(rows.len(), result.findings.len());
    for (row, finding) in rows.iter().zip(&result.findings) {
        assert_eq!(field(row, "finding"), Field::Str(finding.id.clone()));
        assert_eq!(
            field(row, "certainty"),
            Field::Str(finding.certainty.as_str().into())
        );
    }
}
