//! Integration tests of truce-ingest on real UCDP GED rows, invented ACLED-layout rows, real
//! GDELT 2.0 rows and real HXL files (all in `tests/data/`, see its README), faults written to
//! real files (truncated, Windows-1256, UTF-16, BOM, duplicates, wrong format), a mission's own
//! report form read through a mapping file (module `mapped`), plus property tests that no input
//! panics.

mod columnar;
mod mapped;

use proptest::prelude::*;
use std::collections::BTreeMap;
use truce_ingest::{
    Format, ImportOptions, Imported, IngestError, RowProblem, detect_format, import_reader,
    read_hxl_figures, write_hxl,
};
use truce_model::report::{ActorCategory, Casualties, LocationPrecision, Report, Role, Side};
use truce_model::time::{DatePrecision, Day};

const SYRIA: &str = "ged191_syria_subset.csv";
const UKRAINE: &str = "ged_ukraine_subset.csv";
const ACLED_API: &str = "acled_api_layout.csv";
const ACLED_EXPORT: &str = "acled_export_layout.csv";
const ACLED_BENCH: &str = "acled_bench_layout.csv";
const GDELT: &str = "gdelt2_events_20170701234500_sample.tsv";
const HXL_GED: &str = "ucdp_conflict_data_BGD_hxl.csv";
const HXL_IDMC: &str = "idmc_idps_displacement_data_hxl.csv";

fn data(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

fn import(name: &str) -> Imported {
    let imported = import_reader(name, &data(name)[..], None, &ImportOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_counts_add_up(&imported);
    imported
}

fn assert_counts_add_up(imported: &Imported) {
    assert_eq!(
        imported.rows_read,
        (imported.reports.len() + imported.quarantined.len() + imported.skipped.len()) as u64
    );
}

fn report<'a>(imported: &'a Imported, id: &str) -> &'a Report {
    imported
        .reports
        .iter()
        .find(|r| r.provenance.source_id == id)
        .unwrap_or_else(|| panic!("no report {id}"))
}

fn raw<'a>(report: &'a Report, column: &str) -> &'a str {
    report
        .provenance
        .raw
        .iter()
        .find(|(c, _)| c == column)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no raw column {column}"))
}

fn day(text: &str) -> Day {
    Day::parse_iso(text).unwrap_or_else(|| panic!("bad test date {text}"))
}

fn side(field: &str, names: &[&str], role: Role, category: Option<ActorCategory>) -> Side {
    Side {
        field: field.to_string(),
        names: names.iter().map(|n| n.to_string()).collect(),
        role,
        category,
    }
}

fn count_by<K: Ord>(reports: &[Report], key: impl Fn(&Report) -> K) -> BTreeMap<K, usize> {
    let mut counts = BTreeMap::new();
    for r in reports {
        *counts.entry(key(r)).or_insert(0) += 1;
    }
    counts
}

/// The row of `rows` (quarantined or skipped) on `line`.
fn row_on_line(rows: &[RowProblem], line: u64) -> &RowProblem {
    let found = rows.iter().find(|p| p.line == line);
    found.unwrap_or_else(|| panic!("no row on line {line} among {rows:?}"))
}

fn problem(imported: &Imported, line: u64) -> &RowProblem {
    row_on_line(&imported.quarantined, line)
}

/// `text` imported as the file `name`, its format detected.
fn import_text(name: &str, text: &str) -> Imported {
    import_reader(name, text.as_bytes(), None, &ImportOptions::default()).expect("imports")
}

/// The data file `name` read as `format`, whatever its header looks like.
fn import_data_as(name: &str, format: Format) -> Result<Imported, IngestError> {
    import_reader(
        name,
        &data(name)[..],
        Some(format),
        &ImportOptions::default(),
    )
}

/// The data file `name`, which must be read as `format`: `rows` rows of it.
#[track_caller]
fn import_read_as(name: &str, format: Format, rows: u64) -> Imported {
    let imported = import(name);
    assert_eq!(imported.format, format);
    assert_eq!(imported.rows_read, rows);
    imported
}

/// `r` is dated from `first` to `last` with `precision`.
#[track_caller]
fn assert_dated(r: &Report, first: &str, last: &str, precision: DatePrecision) {
    let found = (r.date.first, r.date.last, r.date.precision);
    assert_eq!(found, (day(first), day(last), precision));
}

/// The low, best and high estimates of deaths of report `id`.
fn deaths(imported: &Imported, id: &str) -> Option<(u32, u32, u32)> {
    report(imported, id)
        .casualties
        .map(|c| (c.low, c.best, c.high))
}

#[track_caller]
fn assert_nothing_quarantined(imported: &Imported) {
    assert!(
        imported.quarantined.is_empty(),
        "{:?}",
        imported.quarantined
    );
}

/// `r` is at `point` with `precision`, in the place, first and second admin areas
/// and country `names`.
#[track_caller]
fn assert_located(r: &Report, point: (f64, f64), precision: LocationPrecision, names: [&str; 4]) {
    let at = r.location.point.expect("located");
    assert_eq!((at.lat, at.lon), point);
    assert_eq!(r.location.precision, precision);
    let l = &r.location;
    let found = [&l.place, &l.admin1, &l.admin2, &l.country].map(|n| n.as_deref());
    assert_eq!(found, names.map(Some));
}

// ------------------------------------------------------------------ UCDP GED

#[test]
fn syria_ged191_subset_imports_every_row_with_its_precision() {
    let imported = import_read_as(SYRIA, Format::UcdpGed, 300);
    assert_nothing_quarantined(&imported);

    let kinds = count_by(&imported.reports, |r| r.kind.clone());
    assert_eq!(kinds.get("armed-conflict"), Some(&278));
    assert_eq!(kinds.get("violence-against-civilians"), Some(&22));
    let dates = count_by(&imported.reports, |r| r.date.precision);
    use DatePrecision as D;
    let expected = [
        (D::Day, 251),
        (D::Days, 23),
        (D::Week, 9),
        (D::Month, 8),
        (D::Year, 9),
    ];
    assert_eq!(dates, expected.into_iter().collect());
    let places = count_by(&imported.reports, |r| r.location.precision);
    let expected = [
        (LocationPrecision::Exact, 132),
        (LocationPrecision::Near, 103),
        (LocationPrecision::District, 14),
        (LocationPrecision::Province, 16),
        (LocationPrecision::Linear, 18),
        (LocationPrecision::Country, 17),
    ];
    assert_eq!(places, expected.into_iter().collect());
    let september = imported
        .reports
        .iter()
        .filter(|r| r.date.first >= day("2016-09-12") && r.date.first <= day("2016-09-20"))
        .count();
    assert_eq!(september, 133);
    let deaths: u64 = imported
        .reports
        .iter()
        .map(|r| u64::from(r.casualties.map_or(0, |c| c.best)))
        .sum();
    assert_eq!(deaths, 18_601);
}

/// Every report agrees with its own raw row, code by code.
#[test]
fn ged_reports_agree_with_their_raw_rows() {
    for name in [SYRIA, UKRAINE] {
        let imported = import(name);
        for r in &imported.reports {
            assert_eq!(r.provenance.source, "ucdp-ged");
            assert_eq!(r.provenance.source_id, raw(r, "id"));
            assert_eq!(r.provenance.file, name);
            let where_prec = [
                "exact", "near", "district", "province", "linear", "country", "unknown",
            ];
            assert_eq!(
                r.location.precision.key(),
                where_prec[raw(r, "where_prec").parse::<usize>().unwrap_or(0) - 1]
            );
            let date_prec = ["day", "a few days", "week", "month", "year"];
            assert_eq!(
                r.date.precision.label(),
                date_prec[raw(r, "date_prec").parse::<usize>().unwrap_or(0) - 1]
            );
            assert_eq!(r.date.first.to_string(), raw(r, "date_start"));
            assert_eq!(r.date.last.to_string(), raw(r, "date_end"));
            let point = r
                .location
                .point
                .expect("every GED row here has coordinates");
            assert_eq!(
                point.lat.to_string(),
                raw(r, "latitude").trim_end_matches(".0")
            );
            assert_eq!(
                point.lon.to_string(),
                raw(r, "longitude").trim_end_matches(".0")
            );
            let c = r.casualties.expect("every GED row has a best estimate");
            assert_eq!(c.best.to_string(), raw(r, "best"));
            assert!(c.low <= c.best && c.best <= c.high, "{}", r.id());
            assert_eq!(
                c.civilians.map(|n| n.to_string()).as_deref(),
                Some(raw(r, "deaths_civilians"))
            );
            assert_eq!(r.summary.as_deref(), Some(raw(r, "source_headline").trim()));
            assert_eq!(
                r.source_count.map(|n| n.to_string()).as_deref(),
                Some(raw(r, "number_of_sources"))
            );
            let names: Vec<&str> = raw(r, "side_a").split(", ").collect();
            assert_eq!(r.sides[0].names, names);
            assert_eq!(r.sides[0].field, "side_a");
            assert_eq!(r.sides[1].field, "side_b");
            let type_3 = raw(r, "type_of_violence") == "3";
            assert_eq!(
                r.sides[0].role,
                if type_3 {
                    Role::Initiator
                } else {
                    Role::Unknown
                }
            );
            assert_eq!(
                r.sides[1].role,
                if type_3 { Role::Target } else { Role::Unknown }
            );
            if type_3 {
                assert_eq!(r.sides[1].category, Some(ActorCategory::Civilians));
            }
            if raw(r, "type_of_violence") == "1" {
                assert_eq!(r.sides[0].category, Some(ActorCategory::StateForces));
                let state_b = !raw(r, "gwnob").is_empty();
                assert_eq!(
                    r.sides[1].category == Some(ActorCategory::StateForces),
                    state_b,
                    "{}",
                    r.id()
                );
            }
            let columns: Vec<&str> = r.provenance.raw.iter().map(|(c, _)| c.as_str()).collect();
            assert_eq!(columns.len(), if name == SYRIA { 41 } else { 49 });
            assert_eq!(columns[0], "id");
        }
    }
}

/// 19 Sep 2016: the attack on the UN/SARC aid convoy at Urum al-Kubra.
#[test]
fn syria_un_convoy_attack_field_by_field() {
    let imported = import(SYRIA);
    let r = report(&imported, "301214");
    assert_eq!(r.id(), "ucdp-ged:301214");
    assert_eq!(r.provenance.line, 258);
    assert_eq!(r.provenance.revision, None, "GED 19.1 has no relid");
    assert_eq!(r.kind, "violence-against-civilians");
    assert_eq!(r.kind_label, "UCDP type_of_violence 3 (one-sided violence)");
    assert_dated(r, "2016-09-19", "2016-09-19", DatePrecision::Day);
    assert_located(
        r,
        (36.1481, 36.94775),
        LocationPrecision::Exact,
        [
            "Urum al Kubra town",
            "Aleppo Governorate",
            "Atarib district",
            "Syria",
        ],
    );
    assert_eq!(
        r.sides,
        vec![
            side(
                "side_a",
                &["Government of Syria"],
                Role::Initiator,
                Some(ActorCategory::StateForces)
            ),
            side(
                "side_b",
                &["Civilians"],
                Role::Target,
                Some(ActorCategory::Civilians)
            ),
        ]
    );
    assert_eq!(
        r.casualties,
        Some(Casualties {
            low: 21,
            best: 21,
            high: 21,
            civilians: Some(21)
        })
    );
    assert_eq!(
        r.summary.as_deref(),
        Some("Syria: Investigate Attack on UN Aid Convoy")
    );
    assert_eq!(r.source_count, Some(1));
}

/// 12 Sep 2016, first day of the US–Russia arrangement: strikes on Maarrat Misrin.
#[test]
fn syria_state_based_event_field_by_field() {
    let imported = import(SYRIA);
    let r = report(&imported, "227697");
    assert_eq!(r.provenance.line, 157);
    assert_eq!(r.kind, "armed-conflict");
    assert_eq!(
        r.kind_label,
        "UCDP type_of_violence 1 (state-based conflict)"
    );
    assert_eq!(r.date.first, day("2016-09-12"));
    assert!(r.date.is_single_day());
    assert_eq!(r.location.place.as_deref(), Some("Maarrat Misrin town"));
    assert_eq!(r.location.admin1.as_deref(), Some("Idlib Governorate"));
    assert_eq!(
        r.sides,
        vec![
            side(
                "side_a",
                &["Government of Syria"],
                Role::Unknown,
                Some(ActorCategory::StateForces)
            ),
            side("side_b", &["Syrian insurgents"], Role::Unknown, None),
        ]
    );
    assert_eq!(
        r.casualties,
        Some(Casualties {
            low: 15,
            best: 15,
            high: 15,
            civilians: Some(15)
        })
    );
    assert_eq!(r.source_count, Some(2));
    assert_eq!(
        r.summary.as_deref(),
        Some(
            "13 killed by aerial bombardment on Maara Masrin;31 killed in the first day of Eid around Syria"
        )
    );
    // A non-state event the same day: neither side is a state.
    let r = report(&imported, "227700");
    assert_eq!(r.kind_label, "UCDP type_of_violence 2 (non-state conflict)");
    assert_eq!(r.sides[0].names, ["IS"]);
    assert_eq!(r.sides[1].names, ["SDF"]);
    assert_eq!((r.sides[0].category, r.sides[1].category), (None, None));
    assert_eq!(r.location.precision, LocationPrecision::Near);
}

#[test]
fn syria_imprecise_dates_and_places_keep_their_span() {
    let imported = import(SYRIA);
    // A whole year, the whole country: a yearly death toll.
    let r = report(&imported, "233200");
    assert_dated(r, "2016-01-01", "2016-12-31", DatePrecision::Year);
    assert_eq!(r.date.days(), 366);
    assert_eq!(r.location.precision, LocationPrecision::Country);
    assert_eq!(
        (r.location.admin1.as_deref(), r.location.admin2.as_deref()),
        (None, None)
    );
    assert_eq!(r.casualties.map(|c| c.best), Some(8179));
    // Two to six days.
    let r = report(&imported, "227922");
    assert_dated(r, "2016-09-12", "2016-09-16", DatePrecision::Days);
    // A district, over a quarter of a year (date_prec 5).
    let r = report(&imported, "219264");
    assert_eq!(r.location.precision, LocationPrecision::District);
    assert_dated(r, "2016-01-01", "2016-04-01", DatePrecision::Year);
    // A month (date_prec 4) and along a line (where_prec 5).
    assert_eq!(
        report(&imported, "223796").date.precision,
        DatePrecision::Month
    );
    assert_eq!(
        report(&imported, "319408").location.precision,
        LocationPrecision::Linear
    );
    assert_eq!(
        report(&imported, "227715").location.precision,
        LocationPrecision::Province
    );
    assert_eq!(report(&imported, "227715").location.admin2, None);
}

#[test]
fn ged_coalitions_are_split_and_multi_line_rows_keep_their_first_line() {
    let imported = import(SYRIA);
    let r = report(&imported, "217846");
    assert_eq!(r.sides[0].names, ["Ahrar al-Sham", "Jabhat Fateh al-Sham"]);
    assert_eq!(r.provenance.line, 63, "the row spans lines 63-64");
    assert_eq!(report(&imported, "216731").provenance.line, 65);
    assert_eq!(report(&imported, "223719").provenance.line, 148);
    assert_eq!(report(&imported, "233232").provenance.line, 290);
    let coalitions = imported
        .reports
        .iter()
        .filter(|r| r.sides.iter().any(|s| s.names.len() > 1))
        .count();
    assert_eq!(coalitions, 19);
    let big = imported
        .reports
        .iter()
        .map(|r| r.sides[0].names.len())
        .max();
    assert_eq!(big, Some(6));
}

#[test]
fn ged_unordered_fatality_triples_become_a_range_around_best() {
    let syria = import(SYRIA);
    // low 177, best 142, high 177 in the file.
    assert_eq!(deaths(&syria, "219459"), Some((142, 142, 177)));
    // low 1, best 2, high 1.
    assert_eq!(deaths(&syria, "313676"), Some((1, 2, 2)));
    let ukraine = import(UKRAINE);
    // The newer layout orders the columns best, high, low: best 7, high 6, low 7.
    assert_eq!(deaths(&ukraine, "155425"), Some((6, 7, 7)));
    // An ordered triple stays as it is: low 0, best 0, high 12.
    assert_eq!(deaths(&ukraine, "154734"), Some((0, 0, 12)));
}

#[test]
fn ukraine_newer_ged_layout_field_by_field() {
    let imported = import_read_as(UKRAINE, Format::UcdpGed, 50);
    assert_nothing_quarantined(&imported);
    assert!(imported.reports.iter().all(|r| r.kind == "armed-conflict"));

    let r = report(&imported, "147997");
    assert_eq!(r.provenance.line, 2);
    assert_eq!(r.provenance.revision.as_deref(), Some("UKR-2014-1-14085-0"));
    assert_eq!(r.date.first, day("2014-01-22"));
    assert_eq!(r.location.place.as_deref(), Some("Kiev city"));
    assert_eq!(
        r.location.admin1.as_deref(),
        Some("Kiev Special Republican city")
    );
    assert_eq!(r.location.admin2, None);
    assert_eq!(r.location.country.as_deref(), Some("Ukraine"));
    let point = r.location.point.expect("located");
    assert_eq!((point.lat, point.lon), (50.45, 30.52333));
    assert_eq!(
        r.sides,
        vec![
            side(
                "side_a",
                &["Government of Ukraine"],
                Role::Unknown,
                Some(ActorCategory::StateForces)
            ),
            side("side_b", &["Maidan"], Role::Unknown, None),
        ]
    );
    assert_eq!(
        r.casualties,
        Some(Casualties {
            low: 5,
            best: 5,
            high: 5,
            civilians: Some(0)
        })
    );
    assert_eq!(r.source_count, Some(5));
    assert!(r.summary.as_deref().is_some_and(|s| {
        s.starts_with("Police disperse Kiev protest, activists say one shot dead;")
    }));

    // Minsk II took effect on 15 Feb 2015: a clash near Debaltseve that day.
    let r = report(&imported, "424251");
    assert_eq!(
        r.provenance.revision.as_deref(),
        Some("UKR-2015-1-14210-451")
    );
    assert_eq!(r.date.first, day("2015-02-15"));
    assert_eq!(r.location.precision, LocationPrecision::Near);
    assert_eq!(r.sides[1].names, ["United Armed Forces of Novorossiya"]);
    assert_eq!(r.casualties.map(|c| c.best), Some(5));

    // where_prec 7 ("unknown") still carries the source's point.
    let r = report(&imported, "204785");
    assert_eq!(r.location.precision, LocationPrecision::Unknown);
    assert!(r.location.point.is_some());
    // A week (date_prec 3).
    let r = report(&imported, "211716");
    assert_dated(r, "2015-08-15", "2015-08-21", DatePrecision::Week);
    // Lines after multi-line rows.
    assert_eq!(report(&imported, "154408").provenance.line, 5);
    assert_eq!(report(&imported, "154414").provenance.line, 7);
    assert_eq!(report(&imported, "155104").provenance.line, 15);
    assert_eq!(report(&imported, "155425").provenance.line, 20);
    let places = count_by(&imported.reports, |r| r.location.precision);
    assert_eq!(places.get(&LocationPrecision::Unknown), Some(&1));
    assert_eq!(places.get(&LocationPrecision::Country), Some(&2));
}

#[test]
fn ged_bad_rows_are_quarantined_and_the_rest_imported() {
    let text = String::from_utf8(data(SYRIA)).expect("utf-8");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Line 2 is the first data row (single-line): break copies of it in different ways.
    let good = lines[1].clone();
    let fields: Vec<&str> = good.split(',').collect();
    assert_eq!(fields[0], "214814");
    let with = |i: usize, value: &str| {
        let mut f = fields.clone();
        f[i] = value;
        f.join(",")
    };
    // Quoted cells after type_of_violence hold five commas: count the later columns from the end.
    let header: Vec<&str> = lines[0].split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).expect("column");
    let from_end = |name: &str| fields.len() - (header.len() - at(name));
    assert_eq!(fields.len() - header.len(), 5);
    // A copy with the column `name` (counted from the end) set to `value`, and the
    // start of the reason it is quarantined for.
    let at_end = |name: &'static str, value: &str, reason: &'static str| {
        (with(from_end(name), value), name, reason)
    };
    let bad = [
        (with(0, ""), "id", "expected the event's UCDP id"),
        (
            with(3, "4"),
            "type_of_violence",
            "expected 1 (state-based conflict)",
        ),
        at_end("where_prec", "8", "expected a UCDP location precision code"),
        at_end("latitude", "123", "expected a latitude"),
        at_end("date_prec", "0", "expected a UCDP date precision code"),
        at_end("date_start", "2016-02-30", "expected a date that exists"),
        at_end(
            "date_end",
            "2015-12-31",
            "expected a date on or after date_start (2016-01-01)",
        ),
        at_end("best", "many", "expected the best estimate of deaths"),
    ];
    for (row, _, _) in &bad {
        lines.push(row.clone());
    }
    lines.push("1,2,3".to_string());
    let input = lines.join("\n");
    let imported = import_text("broken.csv", &input);
    assert_counts_add_up(&imported);
    assert_eq!(imported.reports.len(), 300);
    assert_eq!(imported.quarantined.len(), bad.len() + 1);
    // Physical lines: the file has multi-line rows, so count newlines.
    let physical = text.lines().count() as u64;
    for (i, (_, field, reason)) in bad.iter().enumerate() {
        let p = &imported.quarantined[i];
        assert_eq!(p.line, physical + 1 + i as u64, "{p}");
        assert_eq!(p.field.as_deref(), Some(*field), "{p}");
        assert!(p.reason.starts_with(reason), "{p}");
        assert_eq!(p.file, "broken.csv");
    }
    let last = &imported.quarantined[bad.len()];
    assert_eq!(last.field, None);
    assert_eq!(last.reason, "expected 41 fields as in the header, found 3");
    assert_eq!(
        imported.quarantined[3].to_string(),
        format!(
            "broken.csv:{}: field `latitude`: found `123`, expected a latitude in decimal degrees between -90 and 90",
            physical + 4
        )
    );
}

// --------------------------------------------------------------------- ACLED

#[test]
fn acled_api_layout_with_numeric_codes() {
    let imported = import_read_as(ACLED_API, Format::Acled, 13);
    assert_eq!(imported.reports.len(), 7);
    let quarantined: Vec<(u64, Option<&str>, Option<&str>)> = imported
        .quarantined
        .iter()
        .map(|p| (p.line, p.field.as_deref(), p.value.as_deref()))
        .collect();
    assert_eq!(
        quarantined,
        vec![
            (5, Some("event_date"), Some("31/02/2015 00:00:00")),
            (6, Some("latitude"), Some("123")),
            (7, Some("event_type"), Some("Earthquakes")),
            (8, Some("event_id_cnty"), Some("")),
            (14, Some("inter1"), Some("9")),
            (15, Some("geo_precision"), Some("4")),
        ]
    );
    assert_eq!(
        problem(&imported, 7).reason,
        "expected an ACLED event type: `Battles`, `Explosions/Remote violence`, `Violence against civilians`, \
         `Protests`, `Riots`, `Strategic developments`"
    );
    assert_eq!(
        problem(&imported, 5).to_string(),
        "acled_api_layout.csv:5: field `event_date`: found `31/02/2015 00:00:00`, expected a date that exists \
         (YYYY-MM-DD, D Month YYYY, DD-Month-YYYY or DD/MM/YYYY)"
    );
    assert_eq!(
        problem(&imported, 8).to_string(),
        "acled_api_layout.csv:8: field `event_id_cnty`: found an empty value, expected the event's ACLED id"
    );

    let r = report(&imported, "TST1");
    assert_eq!(r.id(), "acled:TST1");
    assert_eq!(r.provenance.line, 2);
    assert_eq!(r.provenance.revision.as_deref(), Some("1700000001"));
    assert_eq!(raw(r, "id"), "9000001");
    assert_eq!(r.provenance.raw.len(), 33);
    assert_eq!(r.kind, "armed-clash");
    assert_eq!(r.kind_label, "Battles / Armed clash");
    assert_dated(r, "2015-02-15", "2015-02-15", DatePrecision::Day);
    assert_located(
        r,
        (48.3333, 38.4),
        LocationPrecision::Exact,
        ["Alpha", "North Oblast", "River Raion", "Testland"],
    );
    assert_eq!(
        r.sides,
        vec![
            side(
                "actor1",
                &["Invented Rebel Force"],
                Role::Unknown,
                Some(ActorCategory::Rebels)
            ),
            side(
                "actor2",
                &["Military Forces of Testland (2014-)"],
                Role::Unknown,
                Some(ActorCategory::StateForces)
            ),
        ]
    );
    assert_eq!(
        r.casualties,
        Some(Casualties {
            low: 3,
            best: 3,
            high: 3,
            civilians: None
        })
    );
    assert_eq!(r.source_count, Some(2));
    assert!(
        r.summary
            .as_deref()
            .is_some_and(|s| s.starts_with("Invented: on 15 February 2015"))
    );

    // time_precision 2: within a week either side; no actor 2 (inter2 0).
    let r = report(&imported, "TST2");
    assert_eq!(r.kind, "shelling");
    assert_dated(r, "2015-02-13", "2015-02-19", DatePrecision::Week);
    assert_eq!(
        r.sides,
        vec![side(
            "actor1",
            &["Military Forces of Testland (2014-)"],
            Role::Unknown,
            Some(ActorCategory::StateForces)
        )]
    );
    assert_eq!(r.location.precision, LocationPrecision::Near);
    assert_eq!(r.casualties.map(|c| c.best), Some(0));

    // Violence against civilians with civilians as actor 2: who did what to whom is known.
    let r = report(&imported, "TST3");
    assert_eq!(r.kind, "attack-on-civilians");
    assert_dated(r, "2015-02-01", "2015-02-28", DatePrecision::Month);
    assert_eq!(
        r.sides,
        vec![
            side(
                "actor1",
                &[
                    "Unidentified Armed Group (Testland)",
                    "Invented Militia",
                    "Another Invented Group"
                ],
                Role::Initiator,
                Some(ActorCategory::Militia)
            ),
            side(
                "actor2",
                &["Civilians (Testland)", "Journalists (Testland)"],
                Role::Target,
                Some(ActorCategory::Civilians)
            ),
        ]
    );

    let r = report(&imported, "TST8");
    assert_eq!(r.provenance.line, 9);
    assert_eq!(r.kind, "protest");
    assert_eq!(r.kind_label, "Protests / Peaceful protest");
    assert_eq!(r.sides[0].category, Some(ActorCategory::Protesters));
    assert_eq!(
        r.sides[0].names,
        ["Protesters (Testland)", "Invented Party"]
    );
    assert!(r.summary.as_deref().is_some_and(|s| s.contains('\n')));
    let r = report(&imported, "TST9");
    assert_eq!(r.provenance.line, 11, "after the two-line row");
    assert_eq!(r.kind, "agreement");
    assert_eq!(r.location.precision, LocationPrecision::Province);
    assert_eq!(r.sides[0].category, Some(ActorCategory::External));
    // An unknown sub-event type: the event type's kind, no deeper.
    let r = report(&imported, "TST10");
    assert_eq!(r.kind, "remote-violence");
    assert_eq!(r.kind_label, "Explosions/Remote violence / Drone swarm");
    assert_eq!(report(&imported, "TST11").kind, "territory-taken");
}

#[test]
fn acled_export_layout_with_text_labels() {
    let imported = import_read_as(ACLED_EXPORT, Format::Acled, 10);
    assert_eq!(imported.reports.len(), 5);
    let quarantined: Vec<(u64, Option<&str>)> = imported
        .quarantined
        .iter()
        .map(|p| (p.line, p.field.as_deref()))
        .collect();
    assert_eq!(
        quarantined,
        vec![
            (6, Some("event_date")),
            (7, Some("latitude")),
            (8, Some("event_type")),
            (9, Some("event_id_cnty")),
            (10, Some("inter1"))
        ]
    );
    assert!(
        problem(&imported, 10)
            .reason
            .starts_with("expected an ACLED actor type")
    );
    assert_eq!(problem(&imported, 6).value.as_deref(), Some("32 May 2025"));

    // An air strike on civilians is not "violence against civilians" in ACLED's
    // coding, and its actor order does not prove who attacked whom.
    let r = report(&imported, "TST101");
    assert_eq!(r.kind, "air-strike");
    assert_eq!(r.date.first, day("2025-05-16"));
    assert_eq!(r.provenance.revision.as_deref(), Some("1747400000"));
    assert_eq!(
        r.sides,
        vec![
            side(
                "actor1",
                &["Military Forces of Testland (2020-) Air Force"],
                Role::Unknown,
                Some(ActorCategory::StateForces)
            ),
            side(
                "actor2",
                &["Civilians (Testland)"],
                Role::Unknown,
                Some(ActorCategory::Civilians)
            ),
        ]
    );
    assert_eq!(r.casualties.map(|c| c.best), Some(4));

    let r = report(&imported, "TST102");
    assert_eq!(r.kind, "abduction");
    assert_eq!(r.date.first, day("2025-05-17"));
    assert_eq!(r.sides[0].role, Role::Initiator);
    assert_eq!(r.sides[0].category, Some(ActorCategory::Rebels));
    assert_eq!(r.sides[1].role, Role::Target);
    assert_eq!(r.source_count, Some(2));

    let r = report(&imported, "TST103");
    assert_eq!(r.kind, "riot");
    assert_eq!(r.date.first, day("2025-05-17"), "17-May-2025");
    assert_eq!(
        r.sides,
        vec![side(
            "actor1",
            &["Rioters (Testland)"],
            Role::Unknown,
            Some(ActorCategory::Rioters)
        )]
    );

    let r = report(&imported, "TST104");
    assert_eq!(r.kind, "looting");
    assert_dated(r, "2025-05-15", "2025-05-21", DatePrecision::Week);
    assert_eq!(r.sides[0].category, Some(ActorCategory::Militia));
    assert_eq!(r.casualties, None, "fatalities left empty");
    assert_eq!(
        r.summary.as_deref(),
        Some("Invented: shops looted in Hotel, \"some time that week\".")
    );

    let r = report(&imported, "TST110");
    assert_eq!(r.kind, "territory-taken");
    assert_dated(r, "2025-05-01", "2025-05-31", DatePrecision::Month);
    assert_eq!(r.location.precision, LocationPrecision::Province);
    assert_eq!(
        r.sides[0].names,
        ["Invented Rebel Force", "Invented Allies"]
    );
}

#[test]
fn acled_bench_layout_without_precision_or_actor_types() {
    let imported = import(ACLED_BENCH);
    assert_eq!(imported.format, Format::Acled);
    assert_eq!((imported.rows_read, imported.reports.len()), (3, 3));
    let r = report(&imported, "TST201");
    assert_eq!(r.kind, "attack-on-civilians");
    assert_eq!(r.date, truce_model::time::DateSpan::day(day("2016-02-27")));
    assert_eq!(r.provenance.revision, None);
    assert_eq!(r.location.country, None);
    // Without inter columns, ACLED's generic actor names still say "civilians".
    assert_eq!(
        r.sides,
        vec![
            side(
                "actor1",
                &["Invented Armed Group (Testland)"],
                Role::Initiator,
                None
            ),
            side(
                "actor2",
                &["Civilians (Testland)"],
                Role::Target,
                Some(ActorCategory::Civilians)
            ),
        ]
    );
    let r = report(&imported, "TST202");
    assert_eq!(r.kind, "protest");
    assert_eq!(r.sides[0].category, Some(ActorCategory::Protesters));
    assert_eq!(r.sides[1].category, None);
    let r = report(&imported, "TST203");
    assert_eq!(r.kind, "suicide-bombing");
    assert_eq!(r.sides.len(), 1);
    assert_eq!(r.location.precision, LocationPrecision::Province);
    assert_eq!(r.source_count, Some(2));
}

#[test]
fn acled_date_spellings_and_precisions_agree() {
    let header = "event_id_cnty,event_date,time_precision,event_type,actor1,latitude,longitude,geo_precision\n";
    let rows = [
        "A,2016-09-12,1",
        "B,12 September 2016,1",
        "C,12-September-2016,1",
        "D,12/09/2016,1",
        "E,12/09/2016 00:00:00,1",
        "F,12-Sep-2016,1",
        "G,2016-09-12T00:00:00,1",
    ];
    let mut text = header.to_string();
    for row in rows {
        text.push_str(&format!("{row},Battles,X,35,36,1\n"));
    }
    let imported = import_text("dates.csv", &text);
    assert_nothing_quarantined(&imported);
    assert!(
        imported
            .reports
            .iter()
            .all(|r| r.date == truce_model::time::DateSpan::day(day("2016-09-12")))
    );
    assert!(
        imported
            .reports
            .iter()
            .all(|r| r.kind == "armed-clash" && r.kind_label == "Battles")
    );
}

// ------------------------------------------------------ detection and errors

#[test]
fn formats_are_detected_from_the_header() {
    assert_eq!(detect_format(&data(SYRIA)), Some(Format::UcdpGed));
    assert_eq!(detect_format(&data(UKRAINE)), Some(Format::UcdpGed));
    assert_eq!(
        detect_format(&data(UKRAINE)[..200]),
        None,
        "the header is cut before `where_prec`"
    );
    assert_eq!(detect_format(&data(ACLED_API)), Some(Format::Acled));
    assert_eq!(detect_format(&data(ACLED_EXPORT)), Some(Format::Acled));
    assert_eq!(detect_format(&data(ACLED_BENCH)), Some(Format::Acled));
    assert_eq!(
        detect_format(b"\n{\"provenance\": {}}"),
        Some(Format::TruceJsonl)
    );
    assert_eq!(detect_format(b"GLOBALEVENTID\tSQLDATE\tActor1Code\n"), None);
    for format in Format::ALL {
        assert_eq!(format.to_string().parse(), Ok(format));
    }
    assert_eq!(Format::UcdpGed.to_string(), "ucdp-ged");
    assert_eq!(Format::Acled.to_string(), "acled");
    assert_eq!(Format::TruceJsonl.to_string(), "truce-jsonl");
    assert_eq!(Format::Gdelt.to_string(), "gdelt");
    assert_eq!(Format::Hxl.to_string(), "hxl");
    assert_eq!(Format::Mapped.to_string(), "mapped");
    let err = "gdelt1".parse::<Format>().expect_err("unknown");
    assert_eq!(
        err.to_string(),
        "unknown format `gdelt1`: expected `ucdp-ged`, `acled`, `truce-jsonl`, `gdelt`, `hxl` or \
         `mapped`"
    );
}

#[test]
fn unknown_header_names_the_file_and_the_columns_found() {
    let err = import_reader(
        "events.tsv",
        &b"date,place,what\n2016-09-12,Aleppo,shelling\n"[..],
        None,
        &ImportOptions::default(),
    )
    .expect_err("unknown header");
    match &err {
        IngestError::UnknownHeader { file, found } => {
            assert_eq!(file, "events.tsv");
            assert_eq!(found, &["date", "place", "what"]);
        }
        other => panic!("{other:?}"),
    }
    let message = err.to_string();
    assert!(
        message.starts_with(
            "`events.tsv`: unknown header, found columns `date`, `place`, `what`; expected"
        ),
        "{message}"
    );
    assert!(
        message.contains("`event_id_cnty`") && message.contains("`where_prec`"),
        "{message}"
    );
}

#[test]
fn missing_required_column_is_named() {
    let text = "event_id_cnty,event_date,event_type,actor1,longitude,geo_precision\nX,2016-09-12,Battles,A,36,1\n";
    let err = import_reader("a.csv", text.as_bytes(), None, &ImportOptions::default())
        .expect_err("missing latitude");
    assert!(
        matches!(&err, IngestError::MissingColumn { column, format: Format::Acled, .. } if column == "latitude")
    );
    assert_eq!(
        err.to_string(),
        "`a.csv`: the acled header has no column `latitude`, which is required"
    );
    // A format named on the command line that does not fit the file.
    let err = import_data_as(ACLED_API, Format::UcdpGed).expect_err("not GED");
    assert!(
        matches!(&err, IngestError::MissingColumn { column, .. } if column == "type_of_violence"),
        "{err}"
    );
}

#[test]
fn file_level_errors() {
    let options = ImportOptions::default();
    assert!(matches!(
        import_reader("e.csv", &b""[..], None, &options),
        Err(IngestError::Empty { .. })
    ));
    assert!(matches!(
        import_reader("e.csv", &b" \n\n"[..], None, &options),
        Err(IngestError::Empty { .. })
    ));
    assert!(matches!(
        import_reader("e.csv", &b""[..], Some(Format::Acled), &options),
        Err(IngestError::Empty { .. })
    ));
    // Latin-1 bytes on line 3.
    let mut bytes = data(ACLED_BENCH);
    let at = bytes.iter().position(|b| *b == b'K').expect("Kilo");
    bytes[at] = 0xC4;
    let err = import_reader("latin1.csv", &bytes[..], None, &options).expect_err("not utf-8");
    assert!(matches!(err, IngestError::NotUtf8 { line: 3, .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "`latin1.csv` is not UTF-8 (looks like a single-byte encoding such as Windows-1256 or \
         Latin-1; first bad bytes on line 3); expected UTF-8 text: re-encode it as UTF-8"
    );

    struct Failing;
    impl std::io::Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk on fire"))
        }
    }
    let err = import_reader("gone.csv", Failing, None, &options).expect_err("unreadable");
    assert_eq!(err.to_string(), "cannot read `gone.csv`: disk on fire");
}

#[test]
fn keep_raw_false_keeps_no_raw_row() {
    let options = ImportOptions { keep_raw: false };
    assert!(ImportOptions::default().keep_raw);
    for name in [SYRIA, ACLED_API] {
        let imported = import_reader(name, &data(name)[..], None, &options).expect("imports");
        assert!(imported.reports.iter().all(|r| r.provenance.raw.is_empty()));
        assert_eq!(imported.reports.len(), import(name).reports.len());
    }
}

#[test]
fn bom_and_crlf_are_accepted() {
    let text = String::from_utf8(data(ACLED_EXPORT)).expect("utf-8");
    let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    let imported = import_reader("crlf.csv", crlf.as_bytes(), None, &ImportOptions::default())
        .expect("imports");
    let plain = import(ACLED_EXPORT);
    assert_eq!(imported.reports.len(), plain.reports.len());
    assert_eq!(
        imported
            .quarantined
            .iter()
            .map(|p| p.line)
            .collect::<Vec<_>>(),
        plain.quarantined.iter().map(|p| p.line).collect::<Vec<_>>()
    );
    assert_eq!(imported.reports[0].provenance.raw[0].0, "event_id_cnty");
}

// ------------------------------------------------------------- JSON Lines

#[test]
fn jsonl_round_trips_and_quarantines_bad_lines() {
    let ged = import(SYRIA);
    let acled = import(ACLED_EXPORT);
    let mut text = String::new();
    for r in ged
        .reports
        .iter()
        .take(3)
        .chain(acled.reports.iter().take(2))
    {
        text.push_str(&serde_json::to_string(r).expect("serialises"));
        text.push('\n');
    }
    text.push('\n'); // blank line 6: skipped
    text.push_str("{\"provenance\": 1}\n"); // line 7
    text.push_str("not json\n"); // line 8
    let mut reversed = ged.reports[0].clone();
    reversed.date.last = day("2015-01-01");
    text.push_str(&serde_json::to_string(&reversed).expect("serialises")); // line 9, no final newline

    let imported = import_text("reports.jsonl", &text);
    assert_eq!(imported.format, Format::TruceJsonl);
    assert_counts_add_up(&imported);
    assert_eq!(imported.rows_read, 8);
    assert_eq!(imported.reports.len(), 5);
    assert_eq!(imported.reports[..3], ged.reports[..3]);
    assert_eq!(imported.reports[3..], acled.reports[..2]);
    let lines: Vec<u64> = imported.quarantined.iter().map(|p| p.line).collect();
    assert_eq!(lines, [7, 8, 9]);
    assert!(
        imported.quarantined[0]
            .reason
            .starts_with("expected a truce report as one JSON object: invalid type"),
        "{}",
        imported.quarantined[0]
    );
    assert!(
        imported.quarantined[1]
            .reason
            .starts_with("expected a truce report as one JSON object: ")
    );
    assert_eq!(imported.quarantined[2].field.as_deref(), Some("date.last"));

    let lean = import_reader(
        "reports.jsonl",
        text.as_bytes(),
        Some(Format::TruceJsonl),
        &ImportOptions { keep_raw: false },
    )
    .expect("imports");
    assert!(lean.reports.iter().all(|r| r.provenance.raw.is_empty()));
}

// --------------------------------------------------------------- snapshots

#[test]
fn normalised_reports_snapshot() {
    let syria = import(SYRIA);
    let ukraine = import(UKRAINE);
    let api = import(ACLED_API);
    let export = import(ACLED_EXPORT);
    let lean = |r: &Report| {
        let mut r = r.clone();
        r.provenance.raw.clear();
        r
    };
    let reports = vec![
        lean(report(&syria, "301214")),
        lean(report(&syria, "233200")),
        lean(report(&ukraine, "147997")),
        lean(report(&api, "TST3")),
        report(&export, "TST104").clone(),
    ];
    insta::assert_json_snapshot!("normalised_reports", reports);
}

// --------------------------------------------------------------------- GDELT

fn skipped(imported: &Imported, line: u64) -> &RowProblem {
    row_on_line(&imported.skipped, line)
}

#[test]
fn gdelt_sample_keeps_material_conflict_and_skips_the_rest() {
    let imported = import_read_as(GDELT, Format::Gdelt, 100);
    assert_eq!(imported.reports.len(), 10);
    assert_nothing_quarantined(&imported);
    assert_eq!(imported.skipped.len(), 90);
    assert_eq!(
        count_by(&imported.reports, |r| r.kind.clone()),
        BTreeMap::from([
            ("armed-clash".to_string(), 3),
            ("armed-conflict".to_string(), 7)
        ])
    );
    // The two Syria rows of the sample are a statement (014) and diplomatic
    // cooperation (051): read, and skipped out of scope with their root.
    let syria = skipped(&imported, 14);
    assert_eq!(syria.field.as_deref(), Some("EventRootCode"));
    assert_eq!(syria.value.as_deref(), Some("05"));
    assert_eq!(
        syria.to_string(),
        format!(
            "{GDELT}:14: field `EventRootCode`: found `05`, out of scope: CAMEO root 05 (engage in \
             diplomatic cooperation) is not a material-conflict event; truce reads roots 18 \
             (assault), 19 (fight) and 20 (unconventional mass violence)"
        )
    );
    assert!(
        skipped(&imported, 89)
            .reason
            .contains("CAMEO root 01 (make public statement)")
    );
    for r in &imported.reports {
        assert_eq!(r.provenance.source, "gdelt");
        assert_eq!(r.provenance.revision.as_deref(), Some("20170701234500"));
        assert!(r.sides.iter().all(|s| s.role == Role::Unknown));
        assert_eq!(r.casualties, None);
        assert_eq!(r.date.precision, DatePrecision::Day);
        assert_eq!(
            raw(r, "SOURCEURL"),
            r.summary
                .as_deref()
                .and_then(|s| s.split("first seen in ").nth(1))
                .unwrap_or("")
        );
    }
}

#[test]
fn gdelt_mali_row_field_by_field() {
    let imported = import(GDELT);
    let r = report(&imported, "669666380");
    assert_eq!(r.provenance.file, GDELT);
    assert_eq!(r.provenance.line, 31);
    assert_eq!(r.provenance.raw.len(), 61);
    assert_eq!(raw(r, "EventCode"), "190");
    assert_eq!(raw(r, "ActionGeo_FeatureID"), "-1070022");
    assert_eq!(
        (r.date.first, r.date.last),
        (day("2017-06-01"), day("2017-06-01"))
    );
    assert_eq!(r.kind, "armed-conflict");
    assert_eq!(
        r.kind_label,
        "CAMEO 190 (Use conventional military force, not specified below)"
    );
    assert_eq!(
        r.sides,
        vec![
            side("Actor1Name", &["MALI"], Role::Unknown, None),
            side("Actor2Name", &["CHAD"], Role::Unknown, None),
        ]
    );
    let point = r.location.point.expect("a point");
    assert_eq!((point.lat, point.lon), (18.4411, 1.40778));
    assert_eq!(r.location.precision, LocationPrecision::Near);
    assert_eq!(r.location.place.as_deref(), Some("Kidal, Kidal, Mali"));
    assert_eq!(r.location.admin1.as_deref(), Some("ML10"));
    assert_eq!(r.location.admin2, None);
    assert_eq!(r.location.country.as_deref(), Some("Mali"));
    assert_eq!(r.source_count, Some(1));
    assert_eq!(
        r.summary.as_deref(),
        Some(
            "GDELT CAMEO 190 (Use conventional military force, not specified below), \
             machine-coded from news; first seen in \
             http://thenationonlineng.net/french-president-african-leaders-meet-al-qaida-boko-haram/"
        )
    );
    // SOURCEURL is the evidence's address: reports sharing it are the same evidence.
    assert_eq!(
        r.urls,
        ["http://thenationonlineng.net/french-president-african-leaders-meet-al-qaida-boko-haram/"]
    );
    assert!(r.media.is_empty());

    // Country-level place: GDELT repeats the country code as ADM1, which is no province.
    let colombia = report(&imported, "669670716");
    assert_eq!(colombia.kind, "armed-clash");
    assert_eq!(
        colombia.kind_label,
        "CAMEO 193 (Fight with small arms and light weapons)"
    );
    assert_eq!(colombia.location.precision, LocationPrecision::Country);
    assert_eq!(colombia.location.admin1, None);
    assert_eq!(colombia.location.country.as_deref(), Some("Colombia"));
    assert_eq!(colombia.date.first, day("2017-06-30"));
    // Actor types: CVL → civilians.
    let russia = report(&imported, "669670721");
    assert_eq!(russia.provenance.line, 71);
    assert_eq!(
        russia.sides,
        vec![
            side("Actor1Name", &["RUSSIAN"], Role::Unknown, None),
            side(
                "Actor2Name",
                &["NEIGHBORHOOD"],
                Role::Unknown,
                Some(ActorCategory::Civilians)
            ),
        ]
    );
    assert_eq!(russia.location.admin1.as_deref(), Some("RS20"));
    // No Actor1 at all: one side only.
    let pope = report(&imported, "669670736");
    assert_eq!(pope.sides.len(), 1);
    assert_eq!(pope.sides[0].field, "Actor2Name");
}

/// The sample's Mali row with its CAMEO codes replaced.
fn gdelt_row_with_code(code: &str) -> String {
    let text = String::from_utf8(data(GDELT)).expect("utf-8");
    let line = text
        .lines()
        .find(|l| l.starts_with("669666380"))
        .expect("row");
    let mut fields: Vec<&str> = line.split('\t').collect();
    fields[26] = code;
    fields[27] = &code[..3.min(code.len())];
    fields[28] = &code[..2];
    fields.join("\t")
}

#[test]
fn gdelt_cameo_codes_map_to_kinds() {
    for (code, kind) in [
        ("180", "political-violence"),
        ("181", "abduction"),
        ("1821", "sexual-violence"),
        ("1823", "violence-against-civilians"),
        ("183", "remote-violence"),
        ("1831", "suicide-bombing"),
        ("1832", "explosive-device"),
        ("186", "violence-against-civilians"),
        ("192", "territory-taken"),
        ("194", "shelling"),
        ("195", "air-strike"),
        ("1951", "air-strike"),
        ("1952", "air-strike"),
        ("196", "armed-conflict"),
        ("202", "attack-on-civilians"),
        ("2041", "remote-violence"),
        ("1999", "armed-conflict"),
    ] {
        let row = gdelt_row_with_code(code);
        let imported = import_reader("g.tsv", row.as_bytes(), None, &ImportOptions::default())
            .unwrap_or_else(|e| panic!("{code}: {e}"));
        assert_eq!(
            imported.reports.len(),
            1,
            "{code}: {:?}",
            imported.quarantined
        );
        assert_eq!(imported.reports[0].kind, kind, "{code}");
    }
    let unknown = import_reader(
        "g.tsv",
        gdelt_row_with_code("1999").as_bytes(),
        None,
        &ImportOptions::default(),
    )
    .expect("imports");
    assert_eq!(
        unknown.reports[0].kind_label,
        "CAMEO 1999 (under 19: Fight)"
    );
}

fn zipped(name: &str, bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file(name, options).expect("zip entry");
    zip.write_all(bytes).expect("zip write");
    zip.finish().expect("zip finish");
    out.into_inner()
}

#[test]
fn gdelt_zip_is_read_as_its_one_file() {
    let bytes = zipped("20170701234500.export.CSV", &data(GDELT));
    let path = temp_file("20170701234500.export.CSV.zip", &bytes);
    let file = std::fs::File::open(&path).expect("open");
    let imported = import_reader("g.zip", file, None, &ImportOptions::default()).expect("imports");
    assert_counts_add_up(&imported);
    assert_eq!(imported.format, Format::Gdelt);
    assert_eq!((imported.reports.len(), imported.skipped.len()), (10, 90));
    let r = report(&imported, "669666380");
    assert_eq!(r.provenance.file, "g.zip/20170701234500.export.CSV");
    assert_eq!(r.provenance.line, 31);
    assert_eq!(r.kind, "armed-conflict");
    // An archive with two files, and one that is cut, are errors that say so.
    let mut two = std::io::Cursor::new(Vec::new());
    {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(&mut two);
        for name in ["a.CSV", "b.CSV"] {
            zip.start_file(name, zip::write::SimpleFileOptions::default())
                .expect("entry");
            zip.write_all(b"x").expect("write");
        }
        zip.finish().expect("finish");
    }
    let err = import_reader(
        "two.zip",
        &two.into_inner()[..],
        None,
        &ImportOptions::default(),
    )
    .expect_err("two files");
    assert_eq!(
        err.to_string(),
        "`two.zip` is a zip archive that cannot be imported: expected exactly one file in it, \
         found 2 (`a.CSV`, `b.CSV`)"
    );
    let err = import_reader(
        "cut.zip",
        &bytes[..bytes.len() / 2],
        None,
        &ImportOptions::default(),
    )
    .expect_err("cut archive");
    assert!(matches!(err, IngestError::Zip { .. }), "{err}");
}

#[test]
fn gdelt_short_row_and_truncated_file_are_quarantined() {
    let text = String::from_utf8(data(GDELT)).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    // Line 31 (the Mali row) loses its last 20 fields; the file is cut in the middle of its last row.
    let short: Vec<&str> = lines[30].split('\t').take(41).collect();
    let short = short.join("\t");
    let mut body = String::new();
    for (i, line) in lines.iter().enumerate() {
        body.push_str(if i == 30 { &short } else { line });
        body.push('\n');
    }
    let cut = body.len() - 300;
    let path = temp_file("gdelt_cut.tsv", &body.as_bytes()[..cut]);
    let imported = import_reader(
        "gdelt_cut.tsv",
        std::fs::File::open(&path).expect("open"),
        Some(Format::Gdelt),
        &ImportOptions::default(),
    )
    .expect("imports");
    assert_counts_add_up(&imported);
    assert_eq!(imported.rows_read, 100);
    assert_eq!(imported.quarantined.len(), 2);
    assert_eq!(
        problem(&imported, 31).to_string(),
        "gdelt_cut.tsv:31: expected 61 tab-separated fields (a GDELT 2.0 event row), found 41"
    );
    assert!(
        problem(&imported, 100)
            .reason
            .starts_with("expected 61 tab-separated fields")
    );
    assert_eq!(imported.reports.len(), 9);

    // A first row whose date does not exist is that row's problem, not the file's.
    let bad_date = gdelt_row_with_code("190").replacen("\t20170601\t", "\t20170631\t", 1);
    let imported = import_text("d.tsv", &bad_date);
    assert_eq!(
        imported.quarantined[0].to_string(),
        "d.tsv:1: field `SQLDATE`: found `20170631`, expected a date that exists as YYYYMMDD"
    );
}

#[test]
fn gdelt_wrong_files_are_named() {
    let options = ImportOptions::default();
    // A GED file read as GDELT: the error names the columns found.
    let err = import_reader("ged.csv", &data(SYRIA)[..], Some(Format::Gdelt), &options)
        .expect_err("not gdelt");
    let message = err.to_string();
    assert!(
        message.starts_with(
            "`ged.csv`: not a GDELT 2.0 event export: the first line has 1 tab-separated \
             field(s), found `id`, `year`, `active_year`, `type_of_violence`"
        ),
        "{message}"
    );
    assert!(
        message.ends_with(
            "expected 61 tab-separated fields and no header, the first a \
         GLOBALEVENTID (an integer) and the second a SQLDATE (YYYYMMDD)"
        ),
        "{message}"
    );
    // GDELT 1.0 (57 columns: no ADM2 codes, no DATEADDED): rejected by name, with or without --format.
    let text = String::from_utf8(data(GDELT)).expect("utf-8");
    let v1: Vec<String> = text
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let keep: Vec<&str> = f
                .iter()
                .enumerate()
                .filter(|(i, _)| ![39, 47, 55, 59].contains(i))
                .map(|(_, v)| *v)
                .collect();
            keep.join("\t")
        })
        .collect();
    let v1 = v1.join("\n");
    for format in [None, Some(Format::Gdelt)] {
        let err = import_reader("v1.CSV", v1.as_bytes(), format, &options).expect_err("gdelt 1");
        assert_eq!(
            err.to_string(),
            "`v1.CSV` looks like a GDELT 1.0 event file (57 tab-separated fields); expected a \
             GDELT 2.0 event export (61 fields, with `DATEADDED` and `SOURCEURL`)"
        );
    }
}

// ----------------------------------------------------------------------- HXL

#[test]
fn hxl_ged_bangladesh_is_read_with_ged_mapping() {
    let imported = import_read_as(HXL_GED, Format::Hxl, 601);
    assert_eq!(
        imported.reports.len(),
        601,
        "{:?}",
        imported.quarantined.first()
    );
    let r = report(&imported, "73855");
    assert_eq!(r.provenance.source, "ucdp-ged");
    assert_eq!(r.provenance.line, 4);
    assert_eq!(
        raw(r, "source_article"),
        "Reuters (1989-10-01): \"SEPARATIST REBELS KILL SIX PEOPLE IN SOUTHERN BANGLADESH"
    );
    assert_eq!(
        (r.date.first, r.date.last),
        (day("1989-09-30"), day("1989-09-30"))
    );
    assert_eq!(r.date.precision, DatePrecision::Day);
    assert_eq!(r.kind, "violence-against-civilians");
    assert_eq!(
        r.sides,
        vec![
            side("side_a", &["JSS/SB"], Role::Initiator, None),
            side(
                "side_b",
                &["Civilians"],
                Role::Target,
                Some(ActorCategory::Civilians)
            ),
        ]
    );
    assert_located(
        r,
        (22.643168, 92.191859),
        LocationPrecision::Near,
        [
            "Rangamati town",
            "Chittagong Division",
            "Rangamati District",
            "Bangladesh",
        ],
    );
    assert_eq!(
        r.casualties,
        Some(Casualties {
            low: 6,
            best: 6,
            high: 6,
            civilians: Some(6)
        })
    );
    assert_eq!(r.source_count, None, "GED's -1: not known");
    // The same file read as GED: the hashtag row is recognised and not a row.
    let as_ged = import_data_as(HXL_GED, Format::UcdpGed).expect("imports");
    assert_eq!(as_ged.rows_read, 601);
    assert_eq!(as_ged.reports, imported.reports);
}

#[test]
fn hxl_idmc_figures_are_skipped_as_events_and_read_as_figures() {
    let imported = import(HXL_IDMC);
    assert_eq!(imported.format, Format::Hxl);
    assert_eq!((imported.rows_read, imported.reports.len()), (1712, 0));
    assert_eq!(imported.skipped.len(), 1712);
    assert_eq!(
        imported.skipped[0].to_string(),
        format!(
            "{HXL_IDMC}:3: out of scope: a row of figures (people affected by country and year), \
             not an event; read such files with `read_hxl_figures`"
        )
    );
    let figures = read_hxl_figures(HXL_IDMC, &data(HXL_IDMC)[..]).expect("figures");
    assert_eq!(figures.rows_read, 1712);
    assert!(figures.quarantined.is_empty(), "{:?}", figures.quarantined);
    let syria: Vec<_> = figures
        .figures
        .iter()
        .filter(|f| f.country_code.as_deref() == Some("SYR") && f.year == 2016)
        .collect();
    assert_eq!(syria.len(), 2);
    assert_eq!(syria[0].country.as_deref(), Some("Syrian Arab Republic"));
    assert_eq!(syria[0].kind, "#affected+idps+ind+stock+conflict");
    assert_eq!(syria[0].column, "Conflict Stock Displacement");
    assert_eq!(syria[0].value, 6_326_000);
    assert_eq!(syria[1].kind, "#affected+idps+ind+newdisp+conflict");
    assert_eq!(syria[1].value, 2_148_000);
    let yemen_disaster = figures
        .figures
        .iter()
        .find(|f| {
            f.country_code.as_deref() == Some("YEM")
                && f.year == 2018
                && f.kind.contains("disaster")
        })
        .expect("yemen 2018");
    assert_eq!(yemen_disaster.value, 18_000);
}

#[test]
fn hxl_export_round_trips_every_field_of_real_ged_rows() {
    for name in [SYRIA, UKRAINE] {
        let original = import(name);
        let mut out = Vec::new();
        write_hxl(&original.reports, &mut out).expect("writes");
        assert_eq!(detect_format(&out), Some(Format::Hxl));
        let text = String::from_utf8(out.clone()).expect("utf-8");
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some(
                "source,source_id,revision,file,line,date_start,date_end,date_precision,kind,\
                 kind_label,latitude,longitude,location_precision,place,admin1,admin2,country,\
                 side_first_names,side_first_field,side_first_role,side_first_category,\
                 side_second_names,side_second_field,side_second_role,side_second_category,\
                 killed_low,killed_best,killed_high,killed_civilians,summary,source_count,urls,media,\
                 aggregate"
            )
        );
        assert_eq!(
            lines.next(),
            Some(
                "#meta+dataset,#event+id,#meta+revision,#meta+file,#meta+line,#date+start,\
                 #date+end,#date+precision,#event+type,#event+type+label,#geo+lat,#geo+lon,\
                 #geo+precision,#loc+name,#adm1+name,#adm2+name,#country+name,\
                 #group+name+first,#group+first+field,#group+first+role,#group+first+type,\
                 #group+name+second,#group+second+field,#group+second+role,#group+second+type,\
                 #affected+killed+min,#affected+killed,#affected+killed+max,\
                 #affected+killed+civilians,#description,#meta+sources,#meta+url,#meta+media,\
                 #meta+aggregate"
            )
        );
        let back = import_reader("export.csv", &out[..], None, &ImportOptions::default())
            .expect("imports");
        assert_counts_add_up(&back);
        assert!(
            back.quarantined.is_empty(),
            "{:?}",
            back.quarantined.first()
        );
        assert_eq!(back.reports.len(), original.reports.len());
        for (a, b) in original.reports.iter().zip(&back.reports) {
            assert_eq!(b.provenance.source, a.provenance.source);
            assert_eq!(b.provenance.source_id, a.provenance.source_id);
            assert_eq!(b.provenance.file, a.provenance.file);
            assert_eq!(b.provenance.line, a.provenance.line);
            assert_eq!(b.provenance.revision, a.provenance.revision);
            assert_eq!(b.date, a.date);
            assert_eq!(b.kind, a.kind);
            assert_eq!(b.kind_label, a.kind_label);
            assert_eq!(b.sides, a.sides);
            assert_eq!(b.location, a.location);
            assert_eq!(b.casualties, a.casualties);
            assert_eq!(b.summary, a.summary);
            assert_eq!(b.source_count, a.source_count);
            assert_eq!(b.id(), a.id());
        }
    }
    // GDELT reports too (one side, no casualties, no admin2).
    let gdelt = import(GDELT);
    let mut out = Vec::new();
    write_hxl(&gdelt.reports, &mut out).expect("writes");
    let back = import_reader(
        "g.csv",
        &out[..],
        Some(Format::Hxl),
        &ImportOptions::default(),
    )
    .expect("imports");
    for (a, b) in gdelt.reports.iter().zip(&back.reports) {
        let mut b = b.clone();
        b.provenance.raw = a.provenance.raw.clone();
        assert_eq!(&b, a);
    }
}

#[test]
fn hxl_columns_are_found_by_tag_and_attribute_set_in_any_order() {
    let text = "Killed (high),When,Who,Where,Lat,Lon,Killed,Killed (low),Id,What\n\
                #affected +max+killed,#date,#org+name,#loc+name,#geo+lat,#geo+lon,#affected+killed,#affected+killed+min,#event+id,#event+type\n\
                5,2016-09-12,Some group,Aleppo,36.2,37.1,3,2,e1,Battles\n\
                ,2016-09-13,,,,,,,e2,\n\
                ,2016-09-31,,,,,,,e3,air-strike\n";
    let imported =
        import_reader("h.csv", text.as_bytes(), None, &ImportOptions::default()).expect("imports");
    assert_eq!(imported.format, Format::Hxl);
    assert_counts_add_up(&imported);
    let r = report(&imported, "e1");
    assert_eq!(r.provenance.source, "hxl");
    assert_eq!(r.provenance.line, 3);
    assert_eq!(
        r.casualties,
        Some(Casualties {
            low: 2,
            best: 3,
            high: 5,
            civilians: None
        })
    );
    assert_eq!(r.kind, "armed-clash");
    assert_eq!(r.kind_label, "Battles");
    assert_eq!(
        r.sides,
        vec![side(
            "#group+name+first",
            &["Some group"],
            Role::Unknown,
            None
        )]
    );
    assert_eq!(r.location.precision, LocationPrecision::Unknown);
    assert_eq!(r.location.place.as_deref(), Some("Aleppo"));
    assert_eq!(raw(r, "Killed (high)"), "5");
    let bare = report(&imported, "e2");
    assert_eq!(bare.kind, "event");
    assert_eq!(bare.kind_label, "HXL: no event type given");
    assert_eq!(bare.location.point, None);
    assert_eq!(
        problem(&imported, 5).to_string(),
        "h.csv:5: field `When`: found `2016-09-31`, expected a date that exists (YYYY-MM-DD, optionally with a time)"
    );
    // A hashtag row alone, without a header row above it.
    let tags_only = text.split_once('\n').expect("two lines").1;
    let imported = import_text("t.csv", tags_only);
    assert_eq!(imported.format, Format::Hxl);
    assert_eq!(report(&imported, "e1").provenance.line, 2);
    assert_eq!(raw(report(&imported, "e1"), "#affected +max+killed"), "5");
    // A CSV file without hashtags, read as HXL.
    let err = import_reader(
        "x.csv",
        &data(ACLED_BENCH)[..],
        Some(Format::Hxl),
        &ImportOptions::default(),
    )
    .expect_err("no hashtags");
    assert_eq!(
        err.to_string(),
        "`x.csv`: no HXL hashtag row on line 1 or 2; expected a row of hashtags such as \
         `#event+id`, `#date+start`, `#geo+lat` under the header or instead of it"
    );
}

// -------------------------------------------------------------------- faults

/// Writes `bytes` to a fresh file in the temporary folder and returns its path.
fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("truce-ingest-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write temp file");
    path
}

fn import_file(name: &str, bytes: &[u8], format: Option<Format>) -> Result<Imported, IngestError> {
    let path = temp_file(name, bytes);
    import_reader(
        name,
        std::fs::File::open(&path).expect("open"),
        format,
        &ImportOptions::default(),
    )
}

#[test]
fn truncated_ged_file_quarantines_its_cut_row() {
    let bytes = data(SYRIA);
    let full = import(SYRIA);
    // Cut in the middle of the last row.
    let last_start = bytes[..bytes.len() - 2]
        .iter()
        .rposition(|b| *b == b'\n')
        .expect("rows")
        + 1;
    let cut = last_start + 40;
    let imported = import_file("cut.csv", &bytes[..cut], None).expect("imports");
    assert_counts_add_up(&imported);
    assert_eq!(imported.rows_read, full.rows_read);
    assert_eq!(imported.reports.len(), full.reports.len() - 1);
    let p = imported.quarantined.last().expect("the cut row");
    assert!(
        p.reason
            .starts_with("expected 41 fields as in the header, found"),
        "{p}"
    );
}

#[test]
fn arabic_single_byte_and_utf16_files_are_named() {
    // "حلب" (Aleppo) in Windows-1256 is C НЗ: bytes 0xCD 0xE1 0xC8.
    let mut cp1256 =
        b"event_id_cnty,event_date,event_type,actor1,latitude,longitude,geo_precision,location\n"
            .to_vec();
    cp1256.extend_from_slice(b"SYR1,2016-09-12,Battles,X,36.2,37.1,1,\xCD\xE1\xC8\n");
    let err = import_file("aleppo-1256.csv", &cp1256, None).expect_err("not utf-8");
    assert!(matches!(err, IngestError::NotUtf8 { line: 2, .. }), "{err}");
    assert!(
        err.to_string().starts_with(
            "`aleppo-1256.csv` is not UTF-8 (looks like a single-byte encoding such as Windows-1256"
        ),
        "{err}"
    );
    // The header itself in Windows-1256.
    let err = import_file(
        "header-1256.csv",
        b"\xC7\xE1\xCA\xC7\xD1\xED\xCE,x\n1,2\n",
        None,
    )
    .expect_err("not utf-8");
    assert!(matches!(err, IngestError::NotUtf8 { line: 1, .. }), "{err}");

    let text = String::from_utf8(data(ACLED_BENCH)).expect("utf-8");
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let with_bom = |bom: &[u8], body: &[u8]| [bom, body].concat();
    for (name, bytes, found) in [
        (
            "le-bom.csv",
            with_bom(b"\xFF\xFE", &le),
            "UTF-16 little-endian (it starts with the byte-order mark FF FE)",
        ),
        (
            "be-bom.csv",
            with_bom(b"\xFE\xFF", &be),
            "UTF-16 big-endian (it starts with the byte-order mark FE FF)",
        ),
        (
            "le.csv",
            le.clone(),
            "UTF-16 little-endian without a byte-order mark (every other byte is NUL)",
        ),
        (
            "be.csv",
            be.clone(),
            "UTF-16 big-endian without a byte-order mark (every other byte is NUL)",
        ),
    ] {
        for format in [
            None,
            Some(Format::Acled),
            Some(Format::Gdelt),
            Some(Format::Hxl),
            Some(Format::TruceJsonl),
        ] {
            let err = import_file(name, &bytes, format).expect_err("utf-16");
            assert_eq!(
                err.to_string(),
                format!(
                    "`{name}` is not UTF-8: it looks like {found}; expected UTF-8 text: re-encode it as UTF-8"
                )
            );
        }
    }
}

#[test]
fn utf8_bom_files_import() {
    for (name, format) in [
        (ACLED_BENCH, Format::Acled),
        (GDELT, Format::Gdelt),
        (HXL_GED, Format::Hxl),
    ] {
        let plain = import(name);
        let bytes = [b"\xEF\xBB\xBF".as_slice(), &data(name)].concat();
        let imported =
            import_file("bom.txt", &bytes, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(imported.format, format);
        assert_eq!(imported.reports.len(), plain.reports.len(), "{name}");
        assert_eq!(imported.skipped.len(), plain.skipped.len(), "{name}");
        assert_eq!(
            imported.reports[0].provenance.source_id,
            plain.reports[0].provenance.source_id
        );
    }
}

#[test]
fn duplicated_rows_are_each_a_report() {
    let text = String::from_utf8(data(ACLED_BENCH)).expect("utf-8");
    let mut lines: Vec<&str> = text.lines().collect();
    lines.push(lines[1]);
    let imported = import_file("dup.csv", lines.join("\n").as_bytes(), None).expect("imports");
    assert_counts_add_up(&imported);
    let id = &imported.reports[0].provenance.source_id;
    let same: Vec<_> = imported
        .reports
        .iter()
        .filter(|r| &r.provenance.source_id == id)
        .collect();
    assert_eq!(same.len(), 2);
    assert_eq!(same[0].provenance.line, 2);
    assert_eq!(same[1].provenance.line, lines.len() as u64);
    // GDELT rows repeated: both kept too (the store counts duplicates).
    let gdelt = String::from_utf8(data(GDELT)).expect("utf-8");
    let row = gdelt.lines().nth(30).expect("line 31");
    let imported =
        import_file("dup.tsv", format!("{row}\n{row}\n").as_bytes(), None).expect("imports");
    assert_eq!(imported.reports.len(), 2);
    assert_eq!(
        imported.reports[0].provenance.source_id,
        imported.reports[1].provenance.source_id
    );
}

// ---------------------------------------------------------------- proptest

const GED_HEADER: &str = "id,relid,type_of_violence,side_a,side_b,gwnob,where_prec,where_coordinates,adm_1,adm_2,\
                          latitude,longitude,country,date_prec,date_start,date_end,deaths_civilians,best,high,low,\
                          number_of_sources,source_headline";
const ACLED_HEADER: &str = "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,assoc_actor_1,\
                            inter1,actor2,assoc_actor_2,inter2,country,admin1,admin2,location,latitude,longitude,\
                            geo_precision,source,notes,fatalities,timestamp";

/// A header and an HXL hashtag row (truce's own tags and HDX's), attributes in any order.
const HXL_HEADER: &str = "id,source,start,end,prec,kind,lat,lon,geo_prec,place,a,a_role,b,killed,low,high,year\n\
                          #event+id,#meta+dataset,#date+start,#date+end,#date+precision,#event+type,#geo+lat,\
                          #geo+lon,#geo+precision,#loc+name,#group+first+name,#group+role+first,#group+name+second,\
                          #affected+killed,#affected+min+killed,#affected+killed+max,#date+year";

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "-1", "12.0", "1e3", "NaN", "inf",
            "2016-09-12", "2016-02-30", "2016-09-12 00:00:00", "12/09/2016 00:00:00", "16 May 2025",
            "12-Sep-2016", "31/02/2015", "48.3333", "-200", "123", "Battles", "Armed clash",
            "Violence against civilians", "Attack", "Protests", "Explosions/Remote violence",
            "Civilians (Syria)", "Civilians", "State forces", "Government of Syria", "IS, SDF", "a; b; ",
            "\"quoted, with comma\"", "\"multi\nline\"", "\"", "\u{feff}", "é", "Ω, Ж",
            "20170701", "20170231", "190", "19", "1951", "05", "18", "183", "initiator", "state-forces",
            "day", "week", "near", "air-strike", "#geo+lat", "669666380",
        ])
        .prop_map(str::to_string),
        1 => "[^\"]{0,12}",
        1 => any::<String>().prop_map(|s| s.chars().take(8).collect()),
    ]
}

fn csv_like(header: &'static str) -> impl Strategy<Value = String> {
    let width = header.split(',').count();
    let row = prop_oneof![
        4 => prop::collection::vec(cell(), width..=width),
        1 => prop::collection::vec(cell(), 0..width + 3),
    ];
    prop::collection::vec(row, 0..8).prop_map(move |rows| {
        let mut text = header.to_string();
        for row in rows {
            text.push('\n');
            text.push_str(&row.join(","));
        }
        text
    })
}

fn check(bytes: &[u8], format: Option<Format>) -> Result<(), TestCaseError> {
    let options = ImportOptions {
        keep_raw: format.is_some(),
    };
    if let Ok(imported) = import_reader("fuzz.csv", bytes, format, &options) {
        prop_assert_eq!(
            imported.rows_read,
            (imported.reports.len() + imported.quarantined.len() + imported.skipped.len()) as u64
        );
        // Physical lines: `\n`, `\r\n` and a lone `\r` each end one.
        let lone_cr = bytes
            .windows(2)
            .filter(|w| w[0] == b'\r' && w[1] != b'\n')
            .count()
            + usize::from(bytes.last() == Some(&b'\r'));
        let lines = (bytes.iter().filter(|b| **b == b'\n').count() + lone_cr) as u64 + 1;
        for p in &imported.quarantined {
            prop_assert!(
                p.line >= 1 && p.line <= lines,
                "line {} of {}",
                p.line,
                lines
            );
            prop_assert!(!p.reason.is_empty());
        }
        for r in &imported.reports {
            // An HXL export carries its reports' own file and line.
            if r.provenance.file == "fuzz.csv" {
                prop_assert!(r.provenance.line >= 1 && r.provenance.line <= lines);
            }
            check_report_holds_together(r)?;
        }
    }
    Ok(())
}

/// What every report read from any input holds: its dates in order, its point a
/// real place, its casualty estimates in order.
fn check_report_holds_together(r: &Report) -> Result<(), TestCaseError> {
    prop_assert!(r.date.first <= r.date.last);
    prop_assert!(r.location.point.is_none_or(|p| p.is_valid()));
    if let Some(c) = r.casualties {
        prop_assert!(c.low <= c.best && c.best <= c.high);
    }
    Ok(())
}

/// The no-panic properties' runs: 256 cases, no regression file written.
fn no_panic_config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(no_panic_config())]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        for format in [None, Some(Format::UcdpGed), Some(Format::Acled), Some(Format::TruceJsonl),
                       Some(Format::Gdelt), Some(Format::Hxl)] {
            check(&bytes, format)?;
        }
    }

    #[test]
    fn damaged_zip_archives_never_panic(
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        cut in any::<prop::sample::Index>(),
        tail in prop::collection::vec(any::<u8>(), 0..200),
    ) {
        let text = String::from_utf8(data(GDELT)).expect("utf-8");
        let rows: String = text.lines().take(20).flat_map(|l| [l, "\n"]).collect();
        let mut bytes = zipped("x.export.CSV", rows.as_bytes());
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        bytes.truncate(cut.index(bytes.len() + 1).max(4));
        for format in [None, Some(Format::Gdelt)] {
            check(&bytes, format)?;
        }
        let mut garbage = b"PK\x03\x04".to_vec();
        garbage.extend(&tail);
        check(&garbage, None)?;
    }

    #[test]
    fn gdelt_like_rows_never_panic(
        rows in prop::collection::vec((0usize..100, prop::collection::vec((0usize..61, cell()), 0..6), 0usize..70), 0..6),
        bom in any::<bool>(),
    ) {
        let real: Vec<String> = String::from_utf8(data(GDELT)).expect("utf-8").lines().map(str::to_string).collect();
        let mut text = if bom { "\u{feff}".to_string() } else { String::new() };
        for (pick, edits, width) in rows {
            let mut fields: Vec<String> = real[pick].split('\t').map(str::to_string).collect();
            for (at, value) in edits {
                fields[at] = value.replace(['\t', '\n', '\r'], " ");
            }
            fields.truncate(width.max(2));
            text.push_str(&fields.join("\t"));
            text.push('\n');
        }
        check(text.as_bytes(), None)?;
        check(text.as_bytes(), Some(Format::Gdelt))?;
    }

    #[test]
    fn hxl_like_rows_never_panic(text in csv_like(HXL_HEADER), tags_only in any::<bool>()) {
        let text = if tags_only {
            text.split_once('\n').map_or(String::new(), |(_, rest)| rest.to_string())
        } else {
            text
        };
        check(text.as_bytes(), None)?;
        check(text.as_bytes(), Some(Format::Hxl))?;
        // Whatever was read is written back and read again the same.
        if let Ok(imported) = import_reader("h.csv", text.as_bytes(), Some(Format::Hxl), &ImportOptions { keep_raw: false }) {
            let mut out = Vec::new();
            write_hxl(&imported.reports, &mut out).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let back = import_reader("back.csv", &out[..], None, &ImportOptions { keep_raw: false })
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(back.quarantined.is_empty(), "{:?}", back.quarantined);
            prop_assert_eq!(back.reports, imported.reports);
        }
    }

    #[test]
    fn csv_like_ged_rows_never_panic(text in csv_like(GED_HEADER)) {
        check(text.as_bytes(), None)?;
        check(text.as_bytes(), Some(Format::Acled))?;
        check(text.as_bytes(), Some(Format::TruceJsonl))?;
    }

    #[test]
    fn csv_like_acled_rows_never_panic(text in csv_like(ACLED_HEADER)) {
        check(text.as_bytes(), None)?;
        check(text.as_bytes(), Some(Format::UcdpGed))?;
    }

    #[test]
    fn jsonl_like_lines_never_panic(
        cut in 0usize..2000,
        insert in any::<String>(),
        blank in any::<bool>(),
    ) {
        let line = serde_json::to_string(&import(ACLED_BENCH).reports[0]).expect("serialises");
        let mut cut = cut.min(line.len());
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        let text = format!("{}{}{}\n{}{line}", &line[..cut], insert, &line[cut..], if blank { "\n\n" } else { "" });
        check(text.as_bytes(), None)?;
        check(text.as_bytes(), Some(Format::TruceJsonl))?;
    }

    /// Any real date in any of ACLED's spellings reads as that day.
    #[test]
    fn acled_dates_in_every_spelling(year in 1990i32..2030, month in 1u32..=12, d in 1u32..=31, spelling in 0usize..5) {
        let Some(expected) = Day::from_ymd(year, month, d) else { return Ok(()) };
        const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December"];
        let name = MONTHS[month as usize - 1];
        let text = match spelling {
            0 => format!("{year:04}-{month:02}-{d:02}"),
            1 => format!("{d} {name} {year}"),
            2 => format!("{d:02}-{name}-{year}"),
            3 => format!("{d:02}/{month:02}/{year} 00:00:00"),
            _ => format!("{d:02}/{month:02}/{year}"),
        };
        let csv = format!("event_id_cnty,event_date,event_type,actor1,latitude,longitude,geo_precision\nX,{text},Riots,R,1,2,2\n");
        let imported = import_reader("d.csv", csv.as_bytes(), None, &ImportOptions::default()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(imported.reports.len(), 1, "{}: {:?}", text, imported.quarantined);
        prop_assert_eq!(imported.reports[0].date.first, expected);
    }
}

#[test]
fn streaming_hands_every_row_to_the_sink_as_import_reader_collects_them() {
    struct Count {
        reports: Vec<String>,
        quarantined: usize,
        skipped: usize,
    }
    impl truce_ingest::Sink for Count {
        fn report(&mut self, report: truce_model::report::Report) {
            self.reports.push(report.id());
        }
        fn quarantine(&mut self, _: truce_ingest::RowProblem) {
            self.quarantined += 1;
        }
        fn skip(&mut self, _: truce_ingest::RowProblem) {
            self.skipped += 1;
        }
        fn warn(&mut self, _: truce_ingest::RowProblem) {}
    }
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/ged191_syria_subset.csv"
    );
    let bytes = std::fs::read(path).expect("test data");
    let collected = truce_ingest::import_reader(
        "ged.csv",
        &bytes[..],
        None,
        &truce_ingest::ImportOptions::default(),
    )
    .expect("imports");
    let mut sink = Count {
        reports: Vec::new(),
        quarantined: 0,
        skipped: 0,
    };
    let streamed = truce_ingest::import_streaming(
        "ged.csv",
        &bytes[..],
        None,
        &truce_ingest::ImportOptions::default(),
        &mut sink,
    )
    .expect("imports");
    assert_eq!(streamed.format, collected.format);
    assert_eq!(streamed.rows_read, collected.rows_read);
    assert_eq!(
        sink.reports,
        collected.reports.iter().map(|r| r.id()).collect::<Vec<_>>()
    );
    assert_eq!(
        (sink.quarantined, sink.skipped),
        (collected.quarantined.len(), collected.skipped.len())
    );
}

#[test]
fn links_and_media_hashes_round_trip_through_hxl_and_a_bad_hash_is_quarantined() {
    let mut reports = import(SYRIA).reports;
    reports.truncate(3);
    let photo = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    reports[0].urls = vec![
        "https://www.example.org/news/aleppo-1".to_string(),
        "https://www.example.org/news/aleppo-2".to_string(),
    ];
    reports[0].media = vec![photo.to_string()];
    reports[1].media = vec![photo.to_uppercase().to_lowercase()];
    let mut out = Vec::new();
    write_hxl(&reports, &mut out).expect("writes");
    let back =
        import_reader("links.csv", &out[..], None, &ImportOptions::default()).expect("imports");
    assert_eq!(back.reports.len(), 3);
    for (a, b) in reports.iter().zip(&back.reports) {
        assert_eq!((&b.urls, &b.media), (&a.urls, &a.media));
    }
    // A media hash that is not a sha256 sets the row aside, naming it.
    let text = String::from_utf8(out).expect("utf-8");
    let broken = text.replacen(photo, "not-a-hash", 1);
    let back = import_text("links.csv", &broken);
    assert_eq!(back.reports.len(), 2);
    assert_eq!(back.quarantined.len(), 1);
    let problem = back.quarantined[0].to_string();
    assert!(
        problem.contains("field `media`") && problem.contains("`not-a-hash` is not one"),
        "{problem}"
    );
}

/// A line longer than the cap (a broken export, or an attack through an upload)
/// is quarantined unread with its length, in every format, and the rows around
/// it are read as usual with their own line numbers: memory does not grow with
/// the line (2.5 GB were seen for one 200 MB line before the cap).
#[test]
fn a_line_longer_than_the_cap_is_quarantined_unread_and_the_rest_is_read() {
    let long = "x".repeat(truce_ingest::MAX_LINE_BYTES + 5);
    let ged = String::from_utf8(data("ged191_syria_subset.csv")).expect("UTF-8");
    let mut lines: Vec<&str> = ged.lines().collect();
    // Right under the header: a record of its own (a quoted field may span lines).
    let rows = import("ged191_syria_subset.csv").reports.len();
    lines.insert(1, &long);
    let with_long = lines.join("\n") + "\n";
    let jsonl = {
        let first = import("ged191_syria_subset.csv");
        let mut text: Vec<String> = first
            .reports
            .iter()
            .take(3)
            .map(|r| serde_json::to_string(r).expect("JSON"))
            .collect();
        text.insert(1, long.clone());
        text.join("\n") + "\n"
    };
    for (name, text, format, reports, line) in [
        ("long.csv", with_long, None, rows, 2),
        ("long.jsonl", jsonl, Some(Format::TruceJsonl), 3, 2),
    ] {
        let imported = import_reader(name, text.as_bytes(), format, &ImportOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_counts_add_up(&imported);
        assert_eq!(imported.reports.len(), reports, "{name}");
        assert_eq!(imported.quarantined.len(), 1, "{name}");
        let problem = &imported.quarantined[0];
        assert_eq!(problem.line, line, "{name}: the line numbers hold");
        assert!(
            problem
                .reason
                .contains(&format!("the line is {} bytes long", long.len())),
            "{name}: {}",
            problem.reason
        );
        // The rows after it keep their own lines.
        let last = imported.reports.last().expect("a report");
        assert!(last.provenance.line > line, "{name}");
    }
}

/// GED's low ≤ best ≤ high does not always hold in the published file (15 rows
/// of the 2016 Syria extract). Each such row is kept, its range spanning all
/// three numbers, with one warning naming its line and the numbers as given;
/// no other row gets one. The rows are found here with the `csv` crate alone.
#[test]
fn ged_rows_with_estimates_out_of_order_are_kept_with_a_warning_each() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/syria-2016/data/ged191_syria_2016.csv"
    );
    let bytes = std::fs::read(path).expect("the Syria 2016 GED extract");
    let mut reader = csv::Reader::from_reader(&bytes[..]);
    let header = reader.headers().expect("header").clone();
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (low, best, high) = (column("low"), column("best"), column("high"));
    let mut expected = BTreeMap::new();
    for record in reader.records() {
        let record = record.expect("a CSV record");
        let number = |i: usize| record.get(i).and_then(|v| v.parse::<u32>().ok());
        let Some(b) = number(best) else { continue };
        let (l, h) = (number(low).unwrap_or(b), number(high).unwrap_or(b));
        if !(l <= b && b <= h) {
            let line = record.position().expect("position").line();
            let (least, most) = (l.min(b).min(h), l.max(b).max(h));
            expected.insert(line, (format!("low {l}, best {b}, high {h}"), least, most));
        }
    }
    assert_eq!(expected.len(), 15, "the extract as committed");

    let imported =
        import_reader("ged.csv", &bytes[..], None, &ImportOptions::default()).expect("imports");
    assert_nothing_quarantined(&imported);
    let warned: BTreeMap<u64, String> = imported
        .warnings
        .iter()
        .map(|w| (w.line, w.value.clone().unwrap_or_default()))
        .collect();
    assert_eq!(warned.len(), imported.warnings.len(), "one warning per row");
    assert_eq!(
        warned.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for warning in &imported.warnings {
        assert_eq!(warning.field.as_deref(), Some("low/best/high"));
        assert!(
            warning.reason.contains("out of order"),
            "{}",
            warning.reason
        );
        let (value, range_low, range_high) = &expected[&warning.line];
        assert_eq!(warning.value.as_ref(), Some(value));
        let report = imported
            .reports
            .iter()
            .find(|r| r.provenance.line == warning.line)
            .expect("the row is kept as a report");
        let casualties = report.casualties.expect("deaths");
        assert_eq!((casualties.low, casualties.high), (*range_low, *range_high));
    }
}
