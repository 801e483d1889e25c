//! Verdicts on real UCDP GED rows (`examples/syria-2016`, 6,170 events of 2016),
//! each held against what a monitoring mission counting the same rows by hand
//! would conclude. The oracles read the CSV themselves, with the `csv` crate and
//! the agreement's terms written out here, never through truce's importer or
//! engine.

use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
mod common;

use common::{English, day, input, run, step};
use truce_engine::{CheckResult, Status, check};
use truce_model::agreement::{Agreement, Files, SetAside, load};
use truce_model::finding::Certainty;
use truce_model::report::Report;
use truce_model::time::Day;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/syria-2016")
}

const EVENTS: &str = "data/ged191_syria_2016.csv";

struct Folder(PathBuf);

impl Files for Folder {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        std::fs::read(self.0.join(path)).map_err(|e| e.to_string())
    }
}

fn agreement_from(source: &str) -> Agreement {
    let loaded = load("agreement.toml", source, &Folder(example()));
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    loaded.agreement.expect("no errors")
}

fn syria() -> &'static Agreement {
    static AGREEMENT: OnceLock<Agreement> = OnceLock::new();
    AGREEMENT.get_or_init(|| {
        agreement_from(&std::fs::read_to_string(example().join("agreement.toml")).expect("read"))
    })
}

fn reports() -> &'static [Report] {
    static REPORTS: OnceLock<Vec<Report>> = OnceLock::new();
    REPORTS.get_or_init(|| {
        let file = std::fs::File::open(example().join(EVENTS)).expect("events");
        let imported = truce_ingest::import_reader(
            EVENTS,
            file,
            None,
            &truce_ingest::ImportOptions { keep_raw: false },
        )
        .expect("reads");
        assert!(imported.quarantined.is_empty());
        imported.reports
    })
}

/// The CSV as a mission reads it: one map per row.
fn rows() -> &'static [BTreeMap<String, String>] {
    static ROWS: OnceLock<Vec<BTreeMap<String, String>>> = OnceLock::new();
    ROWS.get_or_init(|| {
        let mut reader = csv::Reader::from_path(example().join(EVENTS)).expect("csv");
        let headers = reader.headers().expect("header").clone();
        reader
            .records()
            .map(|r| {
                let r = r.expect("row");
                headers
                    .iter()
                    .zip(r.iter())
                    .map(|(h, v)| (h.to_string(), v.to_string()))
                    .collect()
            })
            .collect()
    })
}

/// The GED names of actors that answer to a party in `examples/syria-2016` (the
/// government side, Russia, the United States and the opposition that accepted),
/// written out from the agreement's actor list.
const BOUND: &[&str] = &[
    "Government of Syria",
    "NDF (Syria)",
    "Hezbollah",
    "Government of Iran",
    "Government of Russia (Soviet Union)",
    "Government of United States of America",
    "Syrian insurgents",
    "FSA",
    "Southern Front",
    "Jaysh al-Islam",
    "Ahrar al-Sham",
    "Fatah Halab",
    "Rahman Corps",
    "Levant Front",
    "Sham Legion",
    "Nour al-Din al-Zenki",
    "Jaysh Asoud al-Sharqiya",
    "Martyr Lieutenant Ahmed Abdou Brigades",
    "Hawar Kilis Operations Room",
    "Mare' Operations Room",
    "NSA",
    "New Syrian Army",
    "13th Division",
    "Islamic Front",
    "Mujahideen Army",
    "SRF",
    "Syrian Revolutionaries Front",
    "Sons of Yarmouk Movement",
    "Syrian National Coalition",
];

fn all_bound(side: &str) -> bool {
    !side.is_empty() && side.split(", ").all(|name| BOUND.contains(&name))
}

/// The mission's count: fighting between bound parties, or a bound party killing
/// civilians, dated to one day, in Aleppo Governorate by the source's own `adm_1`,
/// not an aggregate: a certain violation of the cessation on that day.
fn hand_count_aleppo(first: &str, last: &str) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for row in rows() {
        let start = &row["date_start"][..10];
        let fighting = matches!(row["type_of_violence"].as_str(), "1" | "2")
            && all_bound(&row["side_a"])
            && all_bound(&row["side_b"]);
        let on_civilians = row["type_of_violence"] == "3" && all_bound(&row["side_a"]);
        if (fighting || on_civilians)
            && row["adm_1"] == "Aleppo Governorate"
            && row["event_clarity"] == "1"
            && start == &row["date_end"][..10]
            && start >= first
            && start <= last
        {
            *counts.entry(start.to_string()).or_insert(0) += 1;
        }
    }
    counts
}

/// Seen 1: GED state-based events between two bound parties are certain violations
/// (whoever fired), so the certain daily count in Aleppo Governorate is the mission's.
#[test]
fn the_certain_daily_count_in_aleppo_is_the_missions_count() {
    let result = run(syria(), reports(), "2016-12-31");
    let timeline = truce_engine::timeline::timeline(syria(), &result, &[]);
    let truce: BTreeMap<String, u64> = timeline
        .daily_all
        .iter()
        .filter(|d| d.zone == "aleppo-governorate" && d.certain > 0)
        .filter(|d| d.day >= day("2016-09-13") && d.day <= day("2016-10-31"))
        .map(|d| (d.day.to_string(), d.certain))
        .collect();
    let hand = hand_count_aleppo("2016-09-13", "2016-10-31");
    assert!(hand.values().sum::<u64>() > 100, "{hand:?}");
    assert_eq!(truce, hand);
    // The step tests the same days: 13 September has a certain violation, so the
    // seven calm days fail on both bounds, under both readings of "reduced violence".
    let calm = step(&result, "seven-days-calm");
    assert_eq!(
        (calm.on_certain.status, calm.with_possible.status),
        (Status::NotMet, Status::NotMet)
    );
    for alternative in &result.brackets[1].alternatives {
        assert_eq!(
            alternative.steps[0].status,
            Status::NotMet,
            "{}",
            alternative.value
        );
    }
}

/// Seen 1, per finding: "Government of Syria v Syrian insurgents" is a certain
/// breach whose author is one of two parties.
#[test]
fn a_government_insurgent_clash_is_certain_and_its_author_one_of_two() {
    let result = run(syria(), reports(), "2016-12-31");
    let id = rows()
        .iter()
        .find(|r| {
            r["side_a"] == "Government of Syria"
                && r["side_b"] == "Syrian insurgents"
                && r["adm_1"] == "Aleppo Governorate"
                && r["date_start"].starts_with("2016-09-19")
        })
        .map(|r| format!("ucdp-ged:{}", r["id"]))
        .expect("a clash on 19 September");
    let findings: Vec<_> = result
        .findings
        .iter()
        .filter(|f| *f.incident == *id && &*f.clause == "coh-cease-attacks")
        .collect();
    assert_eq!(findings.len(), 2, "{id}");
    for f in findings {
        assert_eq!(
            (f.breach, f.certainty),
            (Certainty::Certain, Certainty::Possible)
        );
        let parties: Vec<&str> = f.responsible.iter().map(|p| &**p).collect();
        assert_eq!(parties, ["government-side", "opposition"]);
    }
}

/// Two names on one side that are aliases of one actor (GED 218133 names
/// several groups the Syria agreement files under "other opposition groups")
/// give that actor one finding: finding ids are unique, so a page of findings
/// that ends between two of them cannot lose one.
#[test]
fn an_actor_named_twice_in_one_row_has_one_finding() {
    let result = run(syria(), reports(), "2016-12-31");
    let mut ids: Vec<&str> = result.findings.iter().map(|f| &*f.id).collect();
    let all = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all, "finding ids repeat");
    let of_row: Vec<&str> = result
        .findings
        .iter()
        .filter(|f| &*f.incident == "ucdp-ged:218133" && &*f.clause == "coh-cease-attacks")
        .map(|f| &*f.actor)
        .collect();
    assert_eq!(
        of_row
            .iter()
            .filter(|a| **a == "other-opposition-groups")
            .count(),
        1,
        "{of_row:?}"
    );
}

/// Seen 2: a row that sums up the year (GED 233200, "about 60 thousand were
/// killed in 2016", 8,179 deaths) is set aside and counted on its own line, never
/// on a day.
#[test]
fn aggregate_rows_are_set_aside_and_counted_on_their_own_line() {
    let result = run(syria(), reports(), "2016-12-31");
    let year = result
        .incidents
        .iter()
        .find(|i| i.id == "ucdp-ged:233200")
        .expect("233200 has findings");
    assert_eq!(year.set_aside, Some(SetAside::Aggregate));
    let hand_aggregates = rows().iter().filter(|r| r["event_clarity"] == "2").count() as u64;
    let line = result
        .evidence
        .set_aside
        .iter()
        .find(|s| s.reason == SetAside::Aggregate)
        .expect("aggregate line");
    assert_eq!(line.reports, hand_aggregates);
    assert!(line.deaths[1] >= 8179);
    // Not on any day: the timeline's possible series never counts it.
    let timeline = truce_engine::timeline::timeline(syria(), &result, &[]);
    let busiest = timeline
        .daily_all
        .iter()
        .filter(|d| d.zone.is_empty())
        .map(|d| d.certain_or_possible)
        .max()
        .unwrap_or(0);
    let busiest_by_hand = {
        let mut per_day: BTreeMap<&str, u64> = BTreeMap::new();
        for r in rows() {
            *per_day.entry(&r["date_start"][..10]).or_default() += 1;
        }
        per_day.values().copied().max().unwrap_or(0)
    };
    // Spread over every day, the year's rows alone would add 20 or more to each day.
    assert!(busiest <= busiest_by_hand, "{busiest} > {busiest_by_hand}");
}

/// Seen 3: a row placed to the governorate (`where_prec = 4`) whose source names
/// Aleppo Governorate is certainly in the Aleppo zone and certainly not in Hama.
#[test]
fn the_sources_own_governorate_places_a_coarse_row() {
    let result = run(syria(), reports(), "2016-12-31");
    let coarse: Vec<String> = rows()
        .iter()
        .filter(|r| r["where_prec"] == "4" && r["adm_1"] == "Aleppo Governorate")
        .map(|r| format!("ucdp-ged:{}", r["id"]))
        .collect();
    assert!(coarse.len() > 20);
    let mut seen = 0;
    for incident in result.incidents.iter().filter(|i| coarse.contains(&i.id)) {
        seen += 1;
        assert!(
            incident.zones.contains(&"aleppo-governorate".to_string()),
            "{}",
            incident.id
        );
        for neighbour in ["hama-governorate", "idlib-governorate", "raqqa-governorate"] {
            assert!(
                !incident.possible_zones.iter().any(|z| z == neighbour)
                    && !incident.zones.iter().any(|z| z == neighbour),
                "{} in {neighbour}",
                incident.id
            );
        }
    }
    assert!(seen > 20, "{seen}");
}

/// Seen 4: a check as of a day sees nothing dated after it.
#[test]
fn as_of_hides_every_later_report() {
    let result = run(syria(), reports(), "2016-09-30");
    assert!(
        result
            .incidents
            .iter()
            .all(|i| i.date.first <= day("2016-09-30"))
    );
    assert!(
        result
            .findings
            .iter()
            .all(|f| f.date.first <= day("2016-09-30"))
    );
    let later = rows()
        .iter()
        .filter(|r| &r["date_start"][..10] > "2016-09-30")
        .count() as u64;
    assert_eq!(result.evidence.after_as_of, later);
    assert_eq!(result.evidence.reports + later, rows().len() as u64);
}

/// Rows of September and October 2016: enough for the properties, quick to check.
fn autumn() -> Vec<Report> {
    reports()
        .iter()
        .filter(|r| r.date.first >= day("2016-09-01") && r.date.first <= day("2016-10-31"))
        .cloned()
        .collect()
}

fn without_cut_count(result: &CheckResult) -> serde_json::Value {
    let mut value = serde_json::to_value(result).expect("serializes");
    value["evidence"]["after_as_of"] = serde_json::Value::Null;
    value
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Seen 4, as a property: for any day, a check as of that day on the whole file
    /// is the check as of that day on the file cut there.
    #[test]
    fn as_of_is_the_same_as_a_cut_file(offset in 0i32..61) {
        let as_of = Day(day("2016-09-01").0 + offset);
        let all = autumn();
        let cut: Vec<Report> = all.iter().filter(|r| r.date.first <= as_of).cloned().collect();
        let check_as_of = |reports: &[Report]| check(&input(syria(), reports, as_of));
        prop_assert_eq!(without_cut_count(&check_as_of(&all)), without_cut_count(&check_as_of(&cut)));
    }
}

/// Seen 5: evidence added day by day never turns a final status (met, not met)
/// into another, on either bound, for any bracket alternative.
#[test]
fn final_statuses_never_flip_as_evidence_comes_day_by_day() {
    let all = autumn();
    // Steps with open windows and every condition type, on the real rows.
    let source = format!(
        "{}\n{}",
        std::fs::read_to_string(example().join("agreement.toml")).expect("read"),
        r#"
[[step]]
id = "open-calm"
name = "Three calm days in Aleppo, whenever"
from = 2016-09-13
  [[step.condition]]
  type = "max-violations-per-day"
  max = "[max-per-day]"
  days = 3
  zones = ["aleppo-governorate"]

[[step]]
id = "weekly-cap"
name = "Two weeks under 20 violations a week in Idlib"
from = 2016-09-13
days = 35
  [[step.condition]]
  type = "max-violations-per-period"
  max = 20
  period_days = 7
  periods = 2
  zones = ["idlib-governorate"]

[[step]]
id = "deaths-cap"
name = "Two weeks in a row with at most 150 killed a week in Aleppo"
from = 2016-09-13
days = 42
  [[step.condition]]
  type = "max-deaths"
  max = 150
  period_days = 7
  periods = 2
  zones = ["aleppo-governorate"]

[[step]]
id = "falling"
name = "Violations fall in Hama"
from = 2016-09-13
  [[step.condition]]
  type = "falling-trend"
  percent = 30
  weeks = 1
  zones = ["hama-governorate"]
"#
    );
    let agreement = agreement_from(&source);
    let mut final_status: BTreeMap<(String, &str), (Status, Option<Day>)> = BTreeMap::new();
    let mut seen_final = BTreeSet::new();
    for offset in 0..61 {
        let as_of = Day(day("2016-09-01").0 + offset);
        let result = check(&input(&agreement, &all, as_of));
        let mut outcomes: Vec<(String, &str, Status, Option<Day>)> = Vec::new();
        for step in &result.steps {
            for (bound, outcome) in [
                ("certain", &step.on_certain),
                ("possible", &step.with_possible),
            ] {
                outcomes.push((step.id.clone(), bound, outcome.status, outcome.met_on));
            }
        }
        for bracket in &result.brackets {
            for alternative in &bracket.alternatives {
                for s in &alternative.steps {
                    let key = format!("{}={} {}", bracket.id, alternative.value, s.id);
                    outcomes.push((key, "both", s.status, s.met_on));
                }
            }
        }
        for (key, bound, status, met_on) in outcomes {
            let slot = (key.clone(), bound);
            if let Some(before) = final_status.get(&slot) {
                assert_eq!(
                    *before,
                    (status, met_on),
                    "{key} ({bound}) changed as of {as_of}"
                );
            } else if matches!(status, Status::Met | Status::NotMet) {
                final_status.insert(slot, (status, met_on));
                seen_final.insert(key);
            }
        }
    }
    // The property is not empty: statuses did become final along the way.
    assert!(seen_final.len() >= 4, "{seen_final:?}");
}

/// The number after `words` in a condition's detail: "at least 55 people killed" → 55.
fn killed_after(detail: &str, words: &str) -> u64 {
    let at = detail
        .find(words)
        .unwrap_or_else(|| panic!("no `{words}` in: {detail}"));
    detail[at + words.len()..]
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number after `{words}` in: {detail}"))
}

/// A `max-deaths` condition counts per week the people killed in violations in Aleppo
/// Governorate: on the lower bound the low estimates of the certain violations dated to a
/// day, on the upper the high estimates of every violation that may count (possible
/// strikes at the protected hospitals too). The expected numbers were computed first by
/// `fixtures/weekly_deaths_aleppo.py`, which reads the GED and hospital CSVs with Python's
/// csv module and the agreement's terms written out by hand (sides bound, partly bound or
/// not; GED's own `adm_1`; event_clarity, where_prec and date span; haversine distance to
/// a hospital within the row's radius + 6 km), not through truce.
#[test]
fn max_deaths_on_real_rows_is_the_missions_weekly_count() {
    // week, lower, upper: the output of weekly_deaths_aleppo.py.
    const SCRIPT: [(&str, u64, u64); 7] = [
        ("2016-09-13", 55, 75),
        ("2016-09-20", 243, 248),
        ("2016-09-27", 145, 184),
        ("2016-10-04", 34, 75),
        ("2016-10-11", 239, 343),
        ("2016-10-18", 47, 91),
        ("2016-10-25", 112, 148),
    ];
    // One step a week, whose cap of 0 makes each bound name the week's count.
    let mut source = std::fs::read_to_string(example().join("agreement.toml")).expect("read");
    for (week, ..) in SCRIPT {
        source.push_str(&format!(
            "\n[[step]]\nid = \"deaths-{week}\"\nname = \"No one killed in the week from {week}\"\nfrom = {week}\ndays = 7\n\
             [[step.condition]]\ntype = \"max-deaths\"\nmax = 0\nperiod_days = 7\nperiods = 1\nzones = [\"aleppo-governorate\"]\n"
        ));
    }
    let agreement = agreement_from(&source);
    let result = run(&agreement, reports(), "2016-12-31");
    for (week, lower, upper) in SCRIPT {
        let step = step(&result, &format!("deaths-{week}"));
        let condition = &step.conditions[0];
        assert_eq!(
            condition.description.en(),
            "at most 0 people killed in violations in `aleppo-governorate` a week, for 1 week"
        );
        let certain = killed_after(&condition.on_certain.detail.en(), "at least ");
        let possible = killed_after(&condition.with_possible.detail.en(), "up to ");
        assert_eq!(
            (certain, possible),
            (lower, upper),
            "{week}: {} / {}",
            condition.on_certain.detail.en(),
            condition.with_possible.detail.en()
        );
        // Every week killed someone for certain: not met on both bounds.
        assert_eq!(step.status, Status::NotMet, "{week}: {}", step.summary.en());
    }
}

/// Seen 6: the hospitals condition counted nothing for certain while 22 strikes may
/// have hit one: its certain "met" says nothing, and says so.
#[test]
fn a_certain_bound_that_rests_on_nothing_says_so() {
    let result = run(syria(), reports(), "2016-12-31");
    let calm = step(&result, "seven-days-calm");
    let hospitals = &calm.conditions[1];
    assert_eq!(hospitals.on_certain.status, Status::Met);
    assert!(hospitals.on_certain.rests_on_nothing);
    assert!(hospitals.with_possible.count > 0);
    assert!(
        hospitals
            .on_certain
            .detail
            .en()
            .starts_with("no report in this window can be counted with certainty"),
        "{}",
        hospitals.on_certain.detail.en()
    );
}

/// Seen 7: a report dated over several days counts on every day of its span in
/// the timeline's possible series, as in the steps, and on none in the certain one.
#[test]
fn the_timeline_counts_days_as_the_steps_do() {
    let result = run(syria(), reports(), "2016-12-31");
    let timeline = truce_engine::timeline::timeline(syria(), &result, &[]);
    // GED 227922: Al Ramousah, 12–16 September 2016, government v insurgents.
    let row = rows().iter().find(|r| r["id"] == "227922").expect("row");
    assert_eq!(
        (&row["date_start"][..10], &row["date_end"][..10]),
        ("2016-09-12", "2016-09-16")
    );
    let on = |d: &str| {
        timeline
            .daily_all
            .iter()
            .find(|x| x.zone == "aleppo-governorate" && x.day == day(d))
            .map_or((0, 0), |x| (x.certain, x.certain_or_possible))
    };
    let hand = hand_count_aleppo("2016-09-13", "2016-09-16");
    for d in ["2016-09-13", "2016-09-14", "2016-09-15", "2016-09-16"] {
        let (certain, possible) = on(d);
        assert_eq!(certain, hand.get(d).copied().unwrap_or(0), "{d}");
        assert!(
            possible > certain,
            "{d}: the span counts on the possible bound"
        );
    }
}

/// An agreement written from a text the code was not written for: the Minsk Protocol's
/// ceasefire of 5 September 2014 (`examples/ukraine-minsk-2014`), on the GED rows of 2014.
/// Its certain violations per day in the two oblasts are the mission's count: a clash
/// between the government and a formation, dated to one day, in Donetsk or Luhansk oblast
/// by GED's own `adm_1`, not an aggregate.
#[test]
fn the_minsk_protocol_example_counts_days_as_a_mission_would() {
    let folder = example().join("../ukraine-minsk-2014");
    let events = "data/ged_ukraine_2014.csv";
    let source = std::fs::read_to_string(folder.join("agreement.toml")).expect("read");
    let loaded = load("agreement.toml", &source, &Folder(folder.clone()));
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    let agreement = loaded.agreement.expect("loads");
    let file = std::fs::File::open(folder.join(events)).expect("events");
    let reports = truce_ingest::import_reader(events, file, None, &Default::default())
        .expect("reads")
        .reports;
    let result = run(&agreement, &reports, "2014-12-31");
    let timeline = truce_engine::timeline::timeline(&agreement, &result, &[]);
    let truce: BTreeMap<String, u64> = timeline
        .daily_all
        .iter()
        .filter(|d| d.zone.is_empty() && d.certain > 0)
        .filter(|d| d.day >= day("2014-09-06") && d.day <= day("2014-10-31"))
        .map(|d| (d.day.to_string(), d.certain))
        .collect();
    let formations = ["DPR", "LPR", "United Armed Forces of Novorossiya"];
    let mut hand: BTreeMap<String, u64> = BTreeMap::new();
    let mut reader = csv::Reader::from_path(folder.join(events)).expect("csv");
    let headers = reader.headers().expect("header").clone();
    let column = |name: &str| headers.iter().position(|h| h == name).expect("column");
    let (a, b, adm, clarity, start, end) = (
        column("side_a"),
        column("side_b"),
        column("adm_1"),
        column("event_clarity"),
        column("date_start"),
        column("date_end"),
    );
    for row in reader.records() {
        let row = row.expect("row");
        let first = &row[start][..10];
        if row[a] == *"Government of Ukraine"
            && formations.contains(&&row[b])
            && ["Donetsk oblast", "Luhansk oblast"].contains(&&row[adm])
            && &row[clarity] == "1"
            && first == &row[end][..10]
            && ("2014-09-06".."2014-11-01").contains(&first)
        {
            *hand.entry(first.to_string()).or_default() += 1;
        }
    }
    assert!(hand.values().sum::<u64>() > 100, "{hand:?}");
    assert_eq!(truce, hand);
    for step in &result.steps {
        assert_eq!(
            (step.on_certain.status, step.with_possible.status),
            (Status::NotMet, Status::NotMet),
            "{}",
            step.id
        );
    }
}

/// Reasons built only for some reports change nothing else: a check without any
/// gives the same verdicts, counts and steps as the full check, and the findings of
/// the chosen reports (pooled incidents included) carry exactly the full check's
/// reasons, every other finding none.
#[test]
fn reasons_for_some_reports_are_the_full_checks_and_change_no_verdict() {
    use truce_engine::{Explain, check_explaining, findings_explaining};
    // A mission's own account of twenty of the events, so that some incidents pool
    // the reports of two sources.
    let mut evidence: Vec<Report> = reports().to_vec();
    for report in reports().iter().step_by(97).take(20) {
        let mut ours = report.clone();
        ours.provenance.source = "mission".to_string();
        evidence.push(ours);
    }
    let input = input(syria(), &evidence, day("2016-12-31"));
    let full = check(&input);
    let mut bare = check_explaining(&input, Explain::Nothing);
    assert!(bare.findings.iter().all(|f| f.reasons.is_empty()));
    // The incidents of several reports, and some of one, are the ones explained.
    let pooled: Vec<&truce_engine::IncidentSummary> = full
        .incidents
        .iter()
        .filter(|i| i.reports.len() > 1)
        .take(5)
        .collect();
    let single: Vec<&truce_engine::IncidentSummary> = full
        .incidents
        .iter()
        .filter(|i| i.reports.len() == 1)
        .take(5)
        .collect();
    assert!(pooled.len() == 5 && single.len() == 5);
    let chosen: std::collections::HashSet<String> = pooled
        .iter()
        .chain(&single)
        .flat_map(|i| i.reports.iter().cloned())
        .collect();
    let incidents: BTreeSet<&str> = pooled
        .iter()
        .chain(&single)
        .map(|i| i.id.as_str())
        .collect();
    let explained: BTreeMap<String, Vec<truce_model::finding::Reason>> =
        findings_explaining(&input, Explain::Reports(&chosen))
            .into_iter()
            .map(|f| (f.id, f.reasons))
            .collect();
    let mut compared = 0;
    for all in &full.findings {
        let some = explained.get(&all.id).expect("the same finding");
        if incidents.contains(&*all.incident) {
            assert!(!all.reasons.is_empty(), "{}", all.id);
            assert_eq!(some, &all.reasons, "{}", all.id);
            compared += 1;
        } else {
            assert!(some.is_empty(), "{}", all.id);
        }
    }
    assert!(compared >= 10, "{compared}");
    // Without reasons, the rest of the result is the full check's.
    for finding in &mut bare.findings {
        finding.reasons = full
            .findings
            .iter()
            .find(|f| f.id == finding.id)
            .map(|f| f.reasons.clone())
            .unwrap_or_default();
    }
    assert_eq!(
        serde_json::to_string(&bare).expect("json"),
        serde_json::to_string(&full).expect("json")
    );
}
