//! A mission's own report forms read through a mapping file: the invented
//! patrol form of `examples/mission-form/` (semicolon-separated CSV with
//! day-first dates and Arabic place names, and the same reports as JSON Lines
//! with a nested location), its bad rows, mapping files with many errors at
//! once, and random input.

use proptest::prelude::*;
use truce_ingest::{
    Format, ImportOptions, Imported, IngestError, Mapping, RowProblem, Sink, import_mapped,
    import_mapped_streaming, import_reader, load_mapping,
};
use truce_model::diagnostic::{Code, Severity};
use truce_model::report::{Casualties, LocationPrecision, Report, Role};
use truce_model::time::{DatePrecision, Day};

fn example(name: &str) -> String {
    let path = format!(
        "{}/../../examples/mission-form/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// Loads a mapping that must have no error (warnings are returned).
fn mapping(name: &str, text: &str) -> Mapping {
    let loaded = load_mapping(name, text);
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:#?}");
    loaded
        .mapping
        .unwrap_or_else(|| panic!("{name}: no mapping"))
}

fn csv_mapping() -> Mapping {
    mapping("mapping.toml", &example("mapping.toml"))
}

fn jsonl_mapping() -> Mapping {
    mapping("mapping-jsonl.toml", &example("mapping-jsonl.toml"))
}

fn read(name: &str, bytes: &[u8], mapping: &Mapping) -> Imported {
    let imported = import_mapped(name, bytes, mapping, &ImportOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(
        imported.rows_read,
        (imported.reports.len() + imported.quarantined.len() + imported.skipped.len()) as u64
    );
    assert!(
        imported.skipped.is_empty(),
        "a form's rows are never skipped"
    );
    assert_eq!(imported.format, Format::Mapped);
    imported
}

fn day(text: &str) -> Day {
    Day::parse_iso(text).unwrap_or_else(|| panic!("bad day {text}"))
}

fn messages(problems: &[RowProblem]) -> Vec<String> {
    problems.iter().map(ToString::to_string).collect()
}

#[test]
fn the_example_form_and_its_json_export_read_without_a_problem() {
    let csv = read(
        "reports.csv",
        example("reports.csv").as_bytes(),
        &csv_mapping(),
    );
    let jsonl = read(
        "reports.jsonl",
        example("reports.jsonl").as_bytes(),
        &jsonl_mapping(),
    );
    assert!(csv.quarantined.is_empty(), "{:#?}", csv.quarantined);
    assert!(jsonl.quarantined.is_empty(), "{:#?}", jsonl.quarantined);
    assert_eq!((csv.rows_read, jsonl.rows_read), (6, 6));
    // The example's mappings are clean: not even a warning.
    for name in ["mapping.toml", "mapping-jsonl.toml"] {
        let loaded = load_mapping(name, &example(name));
        assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    }
}

#[test]
fn mission_form_csv_field_by_field() {
    let imported = read(
        "patrols.csv",
        &fixture("mission_form_patrols.csv"),
        &csv_mapping(),
    );
    assert_eq!(imported.rows_read, 9);
    assert_eq!(imported.reports.len(), 6);

    let clash = super::report(&imported, "CMM-0912-01");
    assert_eq!(clash.id(), "cmm-patrol:CMM-0912-01");
    assert_eq!(clash.provenance.file, "patrols.csv");
    assert_eq!(clash.provenance.line, 2);
    assert_eq!(
        clash.provenance.revision.as_deref(),
        Some("13/09/2016 08:10")
    );
    assert_eq!(clash.date.first, day("2016-09-12"));
    assert_eq!(clash.date.last, day("2016-09-12"));
    assert_eq!(clash.date.precision, DatePrecision::Day);
    assert_eq!(clash.kind, "armed-clash");
    assert_eq!(clash.kind_label, "Small arms fire");
    let point = clash.location.point.expect("a point");
    assert_eq!((point.lat, point.lon), (36.2507, 37.1401));
    assert_eq!(clash.location.precision, LocationPrecision::Exact);
    assert_eq!(clash.location.place.as_deref(), Some("الكاستيلو"));
    assert_eq!(clash.location.admin1.as_deref(), Some("حلب"));
    assert_eq!(clash.location.admin2.as_deref(), Some("جبل سمعان"));
    assert_eq!(clash.location.country, None);
    assert_eq!(clash.sides.len(), 2);
    assert_eq!(
        clash.sides[0].names,
        ["Syrian government forces", "National Defence Forces"]
    );
    assert_eq!(clash.sides[0].field, "perpetrator");
    assert_eq!(clash.sides[0].role, Role::Initiator);
    assert_eq!(clash.sides[0].category, None);
    assert_eq!(clash.sides[1].names, ["Syrian armed opposition"]);
    assert_eq!(clash.sides[1].field, "target");
    assert_eq!(clash.sides[1].role, Role::Target);
    assert_eq!(
        clash.casualties,
        Some(Casualties {
            low: 0,
            best: 0,
            high: 0,
            civilians: None
        })
    );
    assert_eq!(
        clash.summary.as_deref(),
        Some("Exchange of fire heard north of the Castello road for about 20 minutes")
    );
    // Every column of the row is kept, the unmapped ones too.
    assert_eq!(clash.provenance.raw.len(), 17);
    assert!(
        clash
            .provenance
            .raw
            .contains(&("patrol".to_string(), "Patrol 3".to_string()))
    );

    // "Unknown" is what the patrol did not know, not an actor: no side.
    let shelling = super::report(&imported, "CMM-0913-02");
    assert_eq!(shelling.kind, "shelling");
    assert!(shelling.sides.is_empty());
    assert_eq!(shelling.location.precision, LocationPrecision::Near);
    assert_eq!(shelling.location.place.as_deref(), Some("كفرنبل"));
    assert_eq!(
        shelling.casualties,
        Some(Casualties {
            low: 1,
            best: 1,
            high: 1,
            civilians: Some(1)
        })
    );
    assert_eq!(shelling.provenance.revision, None);

    let obstruction = super::report(&imported, "CMM-0914-03");
    assert_eq!(obstruction.kind, "access-obstructed");
    assert_eq!(obstruction.location.precision, LocationPrecision::District);
    assert_eq!(obstruction.casualties, None);

    let convoy = super::report(&imported, "CMM-0916-05");
    assert_eq!(convoy.kind, "convoy-delivered");
    assert!(convoy.sides.is_empty());

    // An Arabic "not known" leaves the perpetrator out and keeps the target; a
    // quoted narrative over two lines keeps the row's first line.
    let civilians = super::report(&imported, "CMM-0917-06");
    assert_eq!(civilians.provenance.line, 9);
    assert_eq!(civilians.sides.len(), 1);
    assert_eq!(civilians.sides[0].names, ["Civilians"]);
    assert_eq!(civilians.sides[0].role, Role::Target);
    assert_eq!(
        civilians.summary.as_deref(),
        Some("Two farmers shot\nin their field east of the town")
    );

    assert_eq!(
        messages(&imported.quarantined),
        [
            "patrols.csv:5: field `date_observed`: found `31/09/2016`, expected a date that \
             exists, written `%d/%m/%Y` (e.g. `21/03/2024`)",
            "patrols.csv:8: field `incident_type`: found `Sniper fire`, expected a value the \
             mapping `mapping.toml` maps to a kind: `Shelling`, `Air strike`, `Small arms fire`, \
             `Attack on civilians`, `Checkpoint obstruction`, `Convoy passed` (add it to `[kind] \
             map`, or set `[kind] default`)",
            "patrols.csv:11: field `lat`: found `136.2903`, expected a latitude in decimal \
             degrees between -90 and 90",
        ]
    );
}

#[test]
fn mission_form_json_lines_give_the_same_reports_as_the_csv() {
    let csv = read(
        "patrols.csv",
        &fixture("mission_form_patrols.csv"),
        &csv_mapping(),
    );
    let jsonl = read(
        "patrols.jsonl",
        &fixture("mission_form_patrols.jsonl"),
        &jsonl_mapping(),
    );
    // The same nine reports, and two lines that are no report at all.
    assert_eq!(jsonl.rows_read, 11);
    assert_eq!(jsonl.reports.len(), csv.reports.len());
    for (from_csv, from_jsonl) in csv.reports.iter().zip(&jsonl.reports) {
        let id = &from_csv.provenance.source_id;
        assert_eq!(from_jsonl.provenance.source_id, *id);
        assert_eq!(from_jsonl.provenance.source, "cmm-patrol");
        assert_eq!(from_jsonl.provenance.file, "patrols.jsonl");
        assert_eq!(
            from_jsonl.provenance.revision, from_csv.provenance.revision,
            "{id}"
        );
        assert_eq!(from_jsonl.date, from_csv.date, "{id}");
        assert_eq!(from_jsonl.location, from_csv.location, "{id}");
        assert_eq!(from_jsonl.kind, from_csv.kind, "{id}");
        assert_eq!(from_jsonl.kind_label, from_csv.kind_label, "{id}");
        assert_eq!(from_jsonl.casualties, from_csv.casualties, "{id}");
        assert_eq!(from_jsonl.summary, from_csv.summary, "{id}");
        assert_eq!(from_jsonl.sides.len(), from_csv.sides.len(), "{id}");
        for (a, b) in from_jsonl.sides.iter().zip(&from_csv.sides) {
            assert_eq!((&a.names, a.role), (&b.names, b.role), "{id}");
        }
    }
    // Nested objects are kept flat in the raw row.
    let first = &jsonl.reports[0];
    assert!(
        first
            .provenance
            .raw
            .contains(&("location.village".to_string(), "الكاستيلو".to_string()))
    );
    assert_eq!(
        messages(&jsonl.quarantined),
        [
            "patrols.jsonl:4: field `date_observed`: found `31/09/2016`, expected a date that \
             exists, written `%d/%m/%Y` (e.g. `21/03/2024`)",
            "patrols.jsonl:7: field `incident_type`: found `Sniper fire`, expected a value the \
             mapping `mapping-jsonl.toml` maps to a kind: `Shelling`, `Air strike`, `Small arms \
             fire`, `Attack on civilians`, `Checkpoint obstruction`, `Convoy passed` (add it to \
             `[kind] map`, or set `[kind] default`)",
            "patrols.jsonl:9: field `location.lat`: found `136.2903`, expected a latitude in \
             decimal degrees between -90 and 90",
            "patrols.jsonl:10: found an array, expected one JSON object per line",
            "patrols.jsonl:11: expected one JSON object per line: EOF while parsing an object at \
             line 1 column 112",
        ]
    );
}

#[test]
fn mapping_file_errors_are_all_located_at_once() {
    let text = r#"format = 1
source = "cmm patrol"
input = "jsonl"
delimiter = ";"
ids = "report_no"

[date]
column = "date_observed"
format = "%d/%m/%y"

[place]
latitude = "location.lat"
precision = "gps"

[actors]
actor = 7
attribution = "stated"

[kind]
column = "incident_type"
map = { "Shelling" = "shellng", "shelling" = "shelling", "Convoy" = "convoy-delivered" }
default = "checkpoint-closure"

[casualties]
low = "killed_low"

[txt]
notes = "narrative"
"#;
    let loaded = load_mapping("bad-mapping.toml", text);
    assert!(loaded.mapping.is_none());
    let rendered: Vec<String> = loaded
        .diagnostics
        .iter()
        .map(|d| {
            let mut line = d.to_string();
            if let Some(hint) = &d.hint {
                line.push_str(&format!("\n    hint: {hint}"));
            }
            line
        })
        .collect();
    insta::assert_snapshot!(rendered.join("\n"));
    // Every diagnostic points inside the file, at what it names.
    for d in &loaded.diagnostics {
        let span = d.span.clone().expect("a span");
        assert!(span.end <= text.len(), "{d}");
        assert!(d.line.is_some() && d.column.is_some(), "{d}");
    }
    let codes: Vec<Code> = loaded.diagnostics.iter().map(|d| d.code).collect();
    for code in [
        Code::UnknownField,
        Code::WrongType,
        Code::MissingField,
        Code::InvalidValue,
        Code::DuplicateId,
    ] {
        assert!(codes.contains(&code), "no {code}");
    }
    assert!(
        loaded
            .diagnostics
            .iter()
            .all(|d| d.severity == Severity::Error)
    );
}

#[test]
fn mapping_file_that_is_not_toml_or_of_another_format() {
    let loaded = load_mapping("m.toml", "format = 2\nsource = \"x\"\n[date\n");
    assert!(loaded.mapping.is_none());
    let codes: Vec<Code> = loaded.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&Code::TomlSyntax), "{codes:?}");
    assert!(codes.contains(&Code::UnsupportedFormat), "{codes:?}");
    let empty = load_mapping("m.toml", "");
    assert!(empty.mapping.is_none());
    assert!(
        empty
            .diagnostics
            .iter()
            .any(|d| d.message == "missing `format` at the top of the mapping")
    );
}

#[test]
fn a_column_the_header_lacks_is_named_with_the_mapping_line() {
    let form = "report_no;date;village;lat;lon;location_source;incident_type;perpetrator;target;\
                fatalities;civilian_fatalities;narrative;last_edited\n";
    let err = import_mapped(
        "patrols.csv",
        form.as_bytes(),
        &csv_mapping(),
        &ImportOptions::default(),
    )
    .expect_err("a missing column");
    let IngestError::MappedColumnMissing(missing) = &err else {
        panic!("{err}")
    };
    assert_eq!(missing.column, "date_observed");
    assert_eq!(missing.key, "date.column");
    assert_eq!(missing.mapping, "mapping.toml");
    assert_eq!(missing.mapping_line, 12);
    assert!(
        err.to_string().starts_with(
            "`patrols.csv`: the header has no column `date_observed`, which the mapping \
             `mapping.toml` names for `date.column` (line 12); found columns `report_no`, `date`,"
        ),
        "{err}"
    );
    // A typo in the header is pointed at, and every other missing column named.
    let typo = "Report_No;date_observd;village;lat;lon;location_source;incident_type;\
                perpetrator;target;fatalities;narrative;last_edited\n";
    let err = import_mapped(
        "p.csv",
        typo.as_bytes(),
        &csv_mapping(),
        &ImportOptions::default(),
    )
    .expect_err("a missing column");
    assert!(
        err.to_string().ends_with(
            "did you mean `date_observd`?; also missing: `governorate`, `district`, \
             `civilian_fatalities`"
        ),
        "{err}"
    );
    // A JSON object without a key is one row's problem, not the file's.
    let imported = read(
        "p.jsonl",
        br#"{"report_no": "A", "incident_type": "Shelling"}"#,
        &jsonl_mapping(),
    );
    assert_eq!(
        messages(&imported.quarantined),
        [
            "p.jsonl:1: field `date_observed`: the object has no key `date_observed`; expected a \
             date that exists, written `%d/%m/%Y` (e.g. `21/03/2024`)"
        ]
    );
}

#[test]
fn a_location_the_mapping_cannot_grade_is_quarantined() {
    let form = "report_no;date_observed;village;lat;lon;location_source;incident_type;\
                perpetrator;target;fatalities;civilian_fatalities;narrative;last_edited;\
                governorate;district\n\
                A;14/09/2016;حلب;36.2;37.1;Satellite;Shelling;;;;;;;;\n\
                B;14/09/2016;حلب;36.2;;gps;Shelling;;;;;;;;\n\
                C;14/09/2016;حلب;;;village;shelling;;;;;;;;\n";
    let imported = read("p.csv", form.as_bytes(), &csv_mapping());
    assert_eq!(
        messages(&imported.quarantined),
        [
            "p.csv:2: field `location_source`: found `Satellite`, expected a location precision \
             the mapping `mapping.toml` knows: `GPS` (exact), `village` (near), `district` \
             (district)",
            "p.csv:3: field `lon`: found an empty value, expected a longitude in decimal degrees \
             between -180 and 180",
        ]
    );
    // No point, but a place name known to be near: a report (types compared without case).
    let c = &imported.reports[0];
    assert_eq!(c.location.point, None);
    assert_eq!(c.location.precision, LocationPrecision::Near);
    assert_eq!(c.kind, "shelling");
}

#[test]
fn the_mapped_format_needs_its_mapping() {
    assert_eq!("mapped".parse::<Format>(), Ok(Format::Mapped));
    let err = import_reader(
        "x.csv",
        &b"a,b\n1,2\n"[..],
        Some(Format::Mapped),
        &ImportOptions::default(),
    )
    .expect_err("no mapping");
    assert!(matches!(err, IngestError::MappingRequired { .. }), "{err}");
    // Detection never guesses a mission's form.
    assert_eq!(
        truce_ingest::detect_format(example("reports.csv").as_bytes()),
        None
    );
}

/// A small mapping with every optional rule: no id (a content hash), a date
/// range by month, a fixed precision, unstated attribution, a default kind and
/// a casualty range.
const SMALL_MAPPING: &str = r#"
format = 1
source = "liaison-log"
input = "csv"
[date]
column = "from"
end_column = "to"
format = "%b %Y"
[place]
name = "place"
country = "country"
precision = "province"
[actors]
actor = "party_a"
target = "party_b"
attribution = "unstated"
separator = "/"
[kind]
column = "what"
map = { "clash" = "armed-clash", "ARREST" = "arrest" }
default = "event"
[casualties]
killed = "dead"
low = "dead_min"
high = "dead_max"
"#;

#[test]
fn content_ids_month_ranges_default_kinds_and_casualty_ranges() {
    let mapping = mapping("small.toml", SMALL_MAPPING);
    let form = "from,to,place,country,party_a,party_b,what,dead,dead_min,dead_max\n\
                Mar 2024,,Dara'a,Syria,Group A / Group B,Group C,Clash,5,3,9\n\
                Mar 2024,,Dara'a,Syria,Group A / Group B,Group C,Clash,5,3,9\n\
                February 2024,April 2024,,,Group D,,arrest,,,\n\
                Mar 2024,Jan 2024,,,,,,,,\n\
                May 2024,,,,,,Ceasefire talks,,2,\n\
                Jun 2024,,,,,,,,,\n";
    let imported = read("log.csv", form.as_bytes(), &mapping);
    assert_eq!(imported.reports.len(), 4, "{:#?}", imported.quarantined);
    let [first, second, range] = [
        &imported.reports[0],
        &imported.reports[1],
        &imported.reports[2],
    ];
    let unknown = &imported.quarantined[0];
    // Without an id column the id is a hash of the row: the same row, the same id.
    assert!(first.provenance.source_id.starts_with("sha256-"));
    assert_eq!(first.provenance.source_id, second.provenance.source_id);
    assert_eq!(
        (first.date.first, first.date.last, first.date.precision),
        (day("2024-03-01"), day("2024-03-31"), DatePrecision::Month)
    );
    assert_eq!(first.location.precision, LocationPrecision::Province);
    assert_eq!(first.location.point, None);
    assert_eq!(first.location.country.as_deref(), Some("Syria"));
    assert_eq!(first.kind, "armed-clash");
    assert_eq!(first.sides[0].names, ["Group A", "Group B"]);
    assert_eq!(first.sides[0].role, Role::Unknown);
    assert_eq!(first.sides[1].role, Role::Unknown);
    assert_eq!(
        first.casualties,
        Some(Casualties {
            low: 3,
            best: 5,
            high: 9,
            civilians: None
        })
    );
    assert_eq!(
        (range.date.first, range.date.last, range.date.precision),
        (day("2024-02-01"), day("2024-04-30"), DatePrecision::Year)
    );
    assert_eq!(range.kind, "arrest");
    assert_eq!(
        unknown.to_string(),
        "log.csv:5: field `to`: found `Jan 2024`, expected a date on or after the start (2024-03-01)"
    );
    assert_eq!(
        messages(&imported.quarantined[1..]),
        [
            "log.csv:6: field `dead`: found an empty value, expected the number killed (best \
             estimate) when a low or high estimate or a civilian count is given",
        ]
    );
    // An unmapped or empty kind takes the default, and says so in the label.
    let mapping_text = SMALL_MAPPING.replace(
        "[casualties]\nkilled = \"dead\"\nlow = \"dead_min\"\nhigh = \"dead_max\"\n",
        "",
    );
    let without_casualties = self::mapping("small.toml", &mapping_text);
    let imported = read("log.csv", form.as_bytes(), &without_casualties);
    let talks = imported
        .reports
        .iter()
        .find(|r| r.provenance.line == 6)
        .expect("line 6");
    assert_eq!(
        (talks.kind.as_str(), talks.kind_label.as_str()),
        ("event", "Ceasefire talks")
    );
    let empty = imported
        .reports
        .iter()
        .find(|r| r.provenance.line == 7)
        .expect("line 7");
    assert_eq!(empty.kind_label, "liaison-log: no `what` given");
}

#[test]
fn mapped_streaming_hands_every_row_to_the_sink() {
    struct Count(Vec<String>, usize, usize);
    impl Sink for Count {
        fn report(&mut self, report: Report) {
            self.0.push(report.id());
        }
        fn quarantine(&mut self, _: RowProblem) {
            self.1 += 1;
        }
        fn skip(&mut self, _: RowProblem) {
            self.2 += 1;
        }
        fn warn(&mut self, _: RowProblem) {}
    }
    let bytes = fixture("mission_form_patrols.csv");
    let mapping = csv_mapping();
    let mut sink = Count(Vec::new(), 0, 0);
    let streamed = import_mapped_streaming(
        "patrols.csv",
        &bytes[..],
        &mapping,
        &ImportOptions { keep_raw: false },
        &mut sink,
    )
    .expect("imports");
    assert_eq!(streamed.format, Format::Mapped);
    assert_eq!(streamed.rows_read, 9);
    assert_eq!((sink.0.len(), sink.1, sink.2), (6, 3, 0));
    assert_eq!(sink.0[0], "cmm-patrol:CMM-0912-01");
}

#[test]
fn encodings_and_byte_order_marks_as_for_every_reader() {
    let mapping = csv_mapping();
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend(fixture("mission_form_patrols.csv"));
    let imported = read("bom.csv", &with_bom, &mapping);
    assert_eq!(imported.reports.len(), 6);
    let mut windows_1256 = b"report_no;date_observed\nA;".to_vec();
    windows_1256.extend(b"\xc7\xe1\xd3\n");
    let err = import_mapped(
        "w.csv",
        &windows_1256[..],
        &mapping,
        &ImportOptions::default(),
    )
    .expect_err("not UTF-8");
    assert!(matches!(err, IngestError::NotUtf8 { line: 2, .. }), "{err}");
    let err =
        import_mapped("e.csv", &b""[..], &mapping, &ImportOptions::default()).expect_err("empty");
    assert!(matches!(err, IngestError::Empty { .. }), "{err}");
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend(fixture("mission_form_patrols.jsonl"));
    let imported = read("bom.jsonl", &with_bom, &jsonl_mapping());
    assert_eq!(imported.reports.len(), 6);
}

// ---------------------------------------------------------------- proptest

/// Cells a patrol form might hold, and some it should not.
fn form_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "", "CMM-1", "12/09/2016", "31/09/2016", "1/1/2016", "12/09/16", "2016-09-12",
            "36.2", "-91", "136.29", "NaN", "1e3", "GPS", "village", "district", "gps", "Shelling",
            "shelling", "Sniper fire", "Unknown", "غير معروف", "حلب", "a, b,", "0", "3", "-1",
            "2.5", "\"quoted; with semicolon\"", "\"multi\nline\"", "\"", "\u{feff}",
        ])
        .prop_map(str::to_string),
        1 => "[^\";\n]{0,10}",
    ]
}

const FORM_HEADER: &str = "report_no;date_observed;time_observed;governorate;district;village;lat;\
                           lon;location_source;incident_type;perpetrator;target;fatalities;\
                           civilian_fatalities;narrative;patrol;last_edited";

fn check_mapped(bytes: &[u8], mapping: &Mapping) -> Result<(), TestCaseError> {
    if let Ok(imported) = import_mapped("fuzz.in", bytes, mapping, &ImportOptions::default()) {
        prop_assert_eq!(
            imported.rows_read,
            (imported.reports.len() + imported.quarantined.len()) as u64
        );
        prop_assert!(imported.skipped.is_empty());
        for p in &imported.quarantined {
            prop_assert!(p.line >= 1);
            prop_assert!(!p.reason.is_empty());
        }
        for r in &imported.reports {
            super::check_report_holds_together(r)?;
            prop_assert!(!r.provenance.source_id.is_empty());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(super::no_panic_config())]

    #[test]
    fn random_bytes_never_panic_the_mapped_reader(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        check_mapped(&bytes, &csv_mapping())?;
        check_mapped(&bytes, &jsonl_mapping())?;
        check_mapped(&bytes, &self::mapping("small.toml", SMALL_MAPPING))?;
    }

    #[test]
    fn form_like_rows_never_panic_the_mapped_reader(
        rows in prop::collection::vec(prop::collection::vec(form_cell(), 0..20), 0..8)
    ) {
        let mut text = FORM_HEADER.to_string();
        for row in rows {
            text.push('\n');
            text.push_str(&row.join(";"));
        }
        check_mapped(text.as_bytes(), &csv_mapping())?;
    }

    #[test]
    fn json_like_lines_never_panic_the_mapped_reader(
        lines in prop::collection::vec(
            (form_cell(), form_cell(), form_cell(), form_cell(), any::<bool>()),
            0..6,
        )
    ) {
        let mut text = String::new();
        for (id, date, kind, lat, nested) in lines {
            let object = if nested {
                serde_json::json!({"report_no": id, "date_observed": date, "incident_type": kind,
                                   "location": {"lat": lat, "lon": 36.5, "source": "GPS"},
                                   "perpetrator": [lat, {"x": 1}]})
            } else {
                serde_json::json!({"report_no": id, "date_observed": date, "incident_type": kind,
                                   "location": lat, "fatalities": -1})
            };
            text.push_str(&object.to_string());
            text.push('\n');
        }
        check_mapped(text.as_bytes(), &jsonl_mapping())?;
    }

    #[test]
    fn arbitrary_mapping_files_never_panic_the_loader(text in "[a-z_=\"\\[\\]{}.,% 0-9\n]{0,300}") {
        let loaded = load_mapping("fuzz.toml", &text);
        prop_assert_eq!(loaded.mapping.is_some(), !loaded.diagnostics.iter().any(|d| d.is_error()));
        for d in &loaded.diagnostics {
            prop_assert!(d.span.as_ref().is_some_and(|s| s.end <= text.len()));
        }
    }
}
