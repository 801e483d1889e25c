//! The renderers on the engine's hand-worked fixture: text, Markdown, JSON and the
//! explanation of one finding, as `insta` snapshots (review changes with `cargo insta review`).

use truce_engine::{CheckInput, CheckResult, check};
use truce_model::agreement::{Files, load};
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
    }
}

fn scenario() -> CheckResult {
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../truce-engine/tests/fixtures/base.toml"
    ))
    .expect("fixture");
    let loaded = load("base.toml", &source, &NoFiles);
    let agreement = loaded.agreement.expect("the fixture loads");
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
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../truce-engine/tests/fixtures/base.toml"
    ))
    .expect("fixture");
    let agreement = load("base.toml", &source, &NoFiles)
        .agreement
        .expect("loads");
    let t = truce_engine::timeline::timeline(&agreement, &scenario());
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
