//! The engine on small fixtures whose answers are worked out by hand.
//!
//! `fixtures/base.toml` has a 0.4° box whose centre (37.2, 36.2) is about 22 km
//! from every edge, an exactly-located clinic and a hospital known only by its
//! town, a clause against attacks (with the exception for excluded groups that
//! does not hold at hospitals), a bracketed air-strike clause, a "calm" step
//! whose length is bracketed (3 or 5 days) and a dependent "jic" step.

mod common;

use common::{English, day, run, run_with_decisions, step};
use truce_engine::{CheckResult, Status};
use truce_model::agreement::{Agreement, Files, load};
use truce_model::finding::{Certainty, Finding, Verdict};
use truce_model::report::{
    ActorCategory, Location, LocationPrecision, LonLat, Provenance, Report, Role, Side,
};
use truce_model::time::{DatePrecision, DateSpan, Day};

struct NoFiles;

impl Files for NoFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        Err(format!("no file `{path}` in this test"))
    }
}

fn agreement_from(source: &str) -> Agreement {
    let loaded = load("fixture.toml", source, &NoFiles);
    assert!(
        !loaded.has_errors(),
        "fixture has errors: {:#?}",
        loaded.diagnostics
    );
    loaded.agreement.expect("no errors, so an agreement")
}

fn base() -> Agreement {
    agreement_from(include_str!("fixtures/base.toml"))
}

/// A report builder: id, date, kind, sides as (field, names, role, category).
struct R {
    report: Report,
}

impl R {
    fn new(id: &str, date: &str, kind: &str) -> R {
        R {
            report: Report {
                provenance: Provenance {
                    source: "test".into(),
                    source_id: id.into(),
                    file: "test".into(),
                    line: 0,
                    revision: None,
                    raw: vec![],
                },
                date: DateSpan::day(day(date)),
                location: Location {
                    point: Some(LonLat {
                        lon: 37.2,
                        lat: 36.2,
                    }),
                    precision: LocationPrecision::Exact,
                    place: None,
                    admin1: None,
                    admin2: None,
                    country: None,
                },
                kind: kind.into(),
                kind_label: String::new(),
                sides: vec![],
                casualties: None,
                summary: None,
                source_count: None,
                urls: Vec::new(),
                media: Vec::new(),
                text: None,
                aggregate: false,
            },
        }
    }
    fn side(mut self, field: &str, name: &str, role: Role) -> R {
        let category = if name.starts_with("Civilians") {
            Some(ActorCategory::Civilians)
        } else {
            None
        };
        self.report.sides.push(Side {
            field: field.into(),
            names: vec![name.into()],
            role,
            category,
        });
        self
    }
    fn coalition(mut self, field: &str, names: &[&str]) -> R {
        self.report.sides.push(Side {
            field: field.into(),
            names: names.iter().map(|n| n.to_string()).collect(),
            role: Role::Unknown,
            category: None,
        });
        self
    }
    fn at(mut self, lon: f64, lat: f64, precision: LocationPrecision) -> R {
        self.report.location.point = Some(LonLat { lon, lat });
        self.report.location.precision = precision;
        self
    }
    fn nowhere(mut self) -> R {
        self.report.location.point = None;
        self.report.location.precision = LocationPrecision::Country;
        self
    }
    fn span(mut self, first: &str, last: &str, precision: DatePrecision) -> R {
        self.report.date = DateSpan {
            first: day(first),
            last: day(last),
            precision,
        };
        self
    }
    /// The army (`Government of Syria`) attacks civilians, named in the source's
    /// fields `army_field` and `civilians_field`.
    fn army_on_civilians(self, army_field: &str, civilians_field: &str) -> R {
        self.side(army_field, "Government of Syria", Role::Initiator)
            .side(civilians_field, "Civilians", Role::Target)
    }
    /// The dataset the report comes from (`test` unless said).
    fn source(mut self, source: &str) -> R {
        self.report.provenance.source = source.into();
        self
    }
    fn casualties(mut self, low: u32, best: u32, high: u32) -> R {
        self.report.casualties = Some(truce_model::report::Casualties {
            low,
            best,
            high,
            civilians: None,
        });
        self
    }
    fn done(self) -> Report {
        self.report
    }
}

/// A report made by one of the helpers below, as the dataset `source` gave it.
fn from_source(source: &str, mut report: Report) -> Report {
    report.provenance.source = source.into();
    report
}

/// Government attacks the other side, the source not saying who attacked whom.
fn clash(id: &str, date: &str) -> Report {
    R::new(id, date, "armed-conflict")
        .side("side_a", "Government of Syria", Role::Unknown)
        .side("side_b", "Syrian insurgents", Role::Unknown)
        .done()
}

/// Rebels fight a group the agreement does not know: had the group fired, no clause
/// bound it, so the violation itself is only possible.
fn clash_with_stranger(id: &str, date: &str) -> Report {
    R::new(id, date, "armed-conflict")
        .side("side_a", "Syrian insurgents", Role::Unknown)
        .side("side_b", "Unnamed armed group", Role::Unknown)
        .done()
}

/// The army strikes civilians from the air: the act and its author are certain.
fn strike_on_civilians(id: &str, date: &str) -> Report {
    R::new(id, date, "air-strike")
        .army_on_civilians("actor1", "actor2")
        .done()
}

/// One attack by the army on civilians as two datasets code it: `ucdp-ged:ged-1` at
/// the box's centre, where the other reports of these tests stand, and
/// `acled:acled-1` near a point about 100 m from it, close enough to be merged.
fn in_ged_and_acled(date: &str, kind: &str, army_field: &str, civilians_field: &str) -> (R, R) {
    let ged = R::new("ged-1", date, kind)
        .army_on_civilians(army_field, civilians_field)
        .source("ucdp-ged");
    let acled = R::new("acled-1", date, kind)
        .at(37.201, 36.2005, LocationPrecision::Near)
        .army_on_civilians(army_field, civilians_field)
        .source("acled");
    (ged, acled)
}

/// An event far from the box that involves no actor of the agreement: it only extends the evidence.
fn elsewhere(id: &str, date: &str) -> Report {
    R::new(id, date, "armed-conflict")
        .at(40.0, 35.0, LocationPrecision::Exact)
        .side("side_a", "IS", Role::Unknown)
        .side("side_b", "SDF", Role::Unknown)
        .done()
}

fn findings_of<'a>(result: &'a CheckResult, incident: &str) -> Vec<&'a Finding> {
    result
        .findings
        .iter()
        .filter(|f| &*f.incident == incident)
        .collect()
}

fn one<'a>(result: &'a CheckResult, id: &str) -> &'a Finding {
    result
        .findings
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| {
            panic!(
                "no finding {id}; have {:?}",
                result.findings.iter().map(|f| &f.id).collect::<Vec<_>>()
            )
        })
}

fn assert_certainty(result: &CheckResult, finding: &str, expected: Certainty) {
    assert_eq!(one(result, finding).certainty, expected, "{finding}");
}

/// The finding `id`, once its verdict and certainty are the ones expected.
fn judged<'a>(
    result: &'a CheckResult,
    id: &str,
    verdict: Verdict,
    certainty: Certainty,
) -> &'a Finding {
    let finding = one(result, id);
    assert_eq!(
        (finding.verdict, finding.certainty),
        (verdict, certainty),
        "{id}"
    );
    finding
}

/// Whether one of the finding's reasons says `words`.
fn says(finding: &Finding, words: &str) -> bool {
    finding.reasons.iter().any(|r| text(r).contains(words))
}

/// A step met on `date` overall.
fn assert_met_on(step: &truce_engine::StepResult, date: &str) {
    assert_eq!(
        (step.status, step.met_on),
        (Status::Met, Some(day(date))),
        "{}",
        step.summary.en()
    );
}

/// The row `id` of a table of violations (per party or per clause).
fn tally<'a>(tallies: &'a [truce_engine::Tally], id: &str) -> &'a truce_engine::Tally {
    tallies
        .iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("no row `{id}`"))
}

// ---------------------------------------------------------------- attribution

#[test]
fn unknown_initiator_makes_both_sides_possible_violators() {
    let agreement = base();
    let result = run(&agreement, &[clash("c1", "2016-09-14")], "2016-09-30");
    let army = one(&result, "test:c1/no-attacks/army");
    let rebels = one(&result, "test:c1/no-attacks/rebels");
    assert_eq!(
        (army.verdict, army.certainty, army.party.as_deref()),
        (Verdict::Violation, Certainty::Possible, Some("gov"))
    );
    assert_eq!(
        (rebels.verdict, rebels.certainty, rebels.party.as_deref()),
        (Verdict::Violation, Certainty::Possible, Some("opp"))
    );
    assert_eq!(army.confidence, 0.5);
    // The air-strike clause: the kind is only known as armed conflict (possible), and the author is possible: 0.5 × 0.5.
    let air = one(&result, "test:c1/no-air-strikes/army");
    assert_eq!((air.certainty, air.confidence), (Certainty::Possible, 0.25));
    // Only the government is bound by the air clause.
    assert!(
        result
            .findings
            .iter()
            .all(|f| f.id != "test:c1/no-air-strikes/rebels")
    );
}

#[test]
fn two_bound_parties_fighting_is_a_certain_violation_by_one_of_them() {
    let agreement = base();
    let result = run(&agreement, &[clash("c1", "2016-09-14")], "2016-09-30");
    for id in ["test:c1/no-attacks/army", "test:c1/no-attacks/rebels"] {
        let finding = one(&result, id);
        // Whether: certain; who: one of the two, not known which.
        assert_eq!(
            (finding.breach, finding.certainty),
            (Certainty::Certain, Certainty::Possible),
            "{id}"
        );
        let responsible: Vec<&str> = finding.responsible.iter().map(|p| &**p).collect();
        assert_eq!(responsible, ["gov", "opp"], "{id}");
        assert!(
            finding
                .reasons
                .iter()
                .any(|r| r.link == truce_model::finding::Link::Attribution
                    && r.certainty == Certainty::Certain
                    && text(r).contains("responsible: `gov` or `opp`")),
            "{:?}",
            finding.reasons
        );
    }
    // The air-strike clause binds the government only, and the kind is possible: no certain breach.
    assert_eq!(
        one(&result, "test:c1/no-air-strikes/army").breach,
        Certainty::Possible
    );
    // Per clause (and in all) the incident is a certain violation; per party only possible.
    let clause = tally(&result.violations_by_clause, "no-attacks");
    assert_eq!((clause.certain, clause.certain_or_possible), (1, 1));
    assert_eq!(
        (
            result.violations.certain,
            result.violations.certain_or_possible
        ),
        (1, 1)
    );
    for party in &result.violations_by_party {
        assert_eq!(
            (party.certain, party.certain_or_possible),
            (0, 1),
            "{}",
            party.id
        );
    }
}

#[test]
fn a_rebel_fight_with_an_unknown_group_is_only_a_possible_violation() {
    let agreement = base();
    let fight = clash_with_stranger("c1", "2016-09-14");
    let result = run(&agreement, &[fight], "2016-09-30");
    let rebels = one(&result, "test:c1/no-attacks/rebels");
    assert_eq!(
        (rebels.breach, rebels.certainty),
        (Certainty::Possible, Certainty::Possible)
    );
    assert_eq!(result.violations.certain, 0);
}

/// Counts with no party named count whether the clause was broken; counts by party
/// count it certainly only when every candidate is one of the parties named.
#[test]
fn party_filters_count_a_breach_certainly_only_when_it_is_theirs() {
    let condition = |parties: &str| {
        format!(
            r#"{}
[[step]]
id = "calm-{}"
name = "x"
from = 2016-09-13
days = 3

[[step.condition]]
type = "max-violations-per-day"
max = 0
days = 1
{parties}
"#,
            include_str!("fixtures/base.toml"),
            parties.len()
        )
    };
    let reports = [
        clash("c13", "2016-09-13"),
        clash("c14", "2016-09-14"),
        clash("c15", "2016-09-15"),
    ];
    let by_lower = |parties: &str| {
        let agreement = agreement_from(&condition(parties));
        let result = run(&agreement, &reports, "2016-09-30");
        let step = result.steps.last().expect("step").clone();
        (step.on_certain.status, step.with_possible.status)
    };
    // No party: three certain violations, one a day: never a calm day on either bound.
    assert_eq!(by_lower(""), (Status::NotMet, Status::NotMet));
    // The government alone: on certain evidence it never certainly acted.
    assert_eq!(
        by_lower(r#"parties = ["gov"]"#),
        (Status::Met, Status::NotMet)
    );
    // Both parties: every candidate is one of them, so certain.
    assert_eq!(
        by_lower(r#"parties = ["gov", "opp"]"#),
        (Status::NotMet, Status::NotMet)
    );
}

#[test]
fn a_known_initiator_or_a_civilian_target_makes_attribution_certain() {
    let agreement = base();
    let one_sided = R::new("o1", "2016-09-14", "violence-against-civilians")
        .side("side_a", "Government of Syria", Role::Unknown)
        .side("side_b", "Civilians", Role::Unknown)
        .done();
    let result = run(
        &agreement,
        &[strike_on_civilians("s1", "2016-09-14"), one_sided],
        "2016-09-30",
    );
    let strike = one(&result, "test:s1/no-attacks/army");
    assert_eq!(
        (strike.certainty, strike.confidence),
        (Certainty::Certain, 1.0)
    );
    assert_certainty(&result, "test:s1/no-air-strikes/army", Certainty::Certain);
    // Civilians do not attack: the other side acted.
    assert_certainty(&result, "test:o1/no-attacks/army", Certainty::Certain);
    assert!(
        findings_of(&result, "test:o1")
            .iter()
            .all(|f| &*f.actor != "civilians")
    );
}

#[test]
fn the_party_of_an_actor_is_the_one_it_answered_to_on_the_day() {
    let agreement = base();
    let defector_attacks_civilians = |id: &str, date: &str| {
        R::new(id, date, "armed-clash")
            .side("a", "Defector Brigade", Role::Initiator)
            .side("b", "Civilians", Role::Target)
            .done()
    };
    let before = defector_attacks_civilians("d1", "2016-09-14");
    let after = defector_attacks_civilians("d2", "2016-09-16");
    let result = run(&agreement, &[before, after], "2016-09-30");
    assert_eq!(
        one(&result, "test:d1/no-attacks/defector").party.as_deref(),
        Some("opp")
    );
    assert_eq!(
        one(&result, "test:d2/no-attacks/defector").party.as_deref(),
        Some("gov")
    );
}

// ---------------------------------------------------------------- exceptions

#[test]
fn strikes_on_excluded_groups_are_allowed_except_at_protected_sites() {
    let agreement = base();
    let strike = |id: &str, lon: f64, lat: f64| {
        R::new(id, "2016-09-20", "air-strike")
            .at(lon, lat, LocationPrecision::Exact)
            .side("actor1", "Government of Syria", Role::Initiator)
            .side("actor2", "Jabhat Fateh al-Sham", Role::Target)
            .done()
    };
    let reports = [
        strike("open", 37.2, 36.2),
        strike("clinic", 37.1, 36.1),
        strike("town", 37.3, 36.3),
    ];
    let result = run(&agreement, &reports, "2016-09-30");
    // Away from any site: allowed, certainly.
    let open = "test:open/no-attacks/army";
    judged(&result, open, Verdict::Allowed, Certainty::Certain);
    // At the exactly-located clinic: 0 km + 2 km (exact place) + 0.1 km (clinic) ≤ 3 km radius: the exception does not hold.
    let clinic = "test:clinic/no-attacks/army";
    let clinic = judged(&result, clinic, Verdict::Violation, Certainty::Certain);
    assert!(
        clinic
            .reasons
            .iter()
            .any(|r| text(r).contains("does not hold here") && text(r).contains("clinic"))
    );
    // At the town-level hospital: 0 + 2 + 5 km > 1 km radius, but 0 − 7 ≤ 1: only possibly at the hospital.
    let town = "test:town/no-attacks/army";
    let town = judged(&result, town, Verdict::Violation, Certainty::Possible);
    assert!(
        town.reasons
            .iter()
            .any(|r| text(r).contains("may be at protected site")
                && text(r).contains("town-hospital"))
    );
}

#[test]
fn a_coalition_mixing_covered_and_excluded_groups_is_a_possible_violation() {
    let agreement = base();
    let report = R::new("mix", "2016-09-20", "air-strike")
        .side("side_a", "Government of Syria", Role::Initiator)
        .coalition("side_b", &["FSA", "Jabhat Fateh al-Sham"])
        .done();
    let result = run(&agreement, &[report], "2016-09-30");
    let mix = "test:mix/no-attacks/army";
    let finding = judged(&result, mix, Verdict::Violation, Certainty::Possible);
    assert!(says(finding, "only some of the other side"));
}

// ---------------------------------------------------------------- precision

#[test]
fn location_precision_is_honest() {
    let agreement = base();
    let at = |id: &str, lon: f64, lat: f64, precision: LocationPrecision| {
        R::new(id, "2016-09-14", "air-strike")
            .at(lon, lat, precision)
            .army_on_civilians("a", "b")
            .done()
    };
    let reports = [
        at("exact-centre", 37.2, 36.2, LocationPrecision::Exact),
        // A governorate centroid in the middle of the box: 22 km from the edge, but the event may be 150 km away.
        at("province", 37.2, 36.2, LocationPrecision::Province),
        // 0.01° east of the box (about 0.9 km), known to ±2 km: possibly inside.
        at("just-outside", 37.41, 36.2, LocationPrecision::Exact),
        // 0.06° east (about 5.4 km): not in the box.
        at("outside", 37.46, 36.2, LocationPrecision::Exact),
        R::new("country", "2016-09-14", "air-strike")
            .nowhere()
            .army_on_civilians("a", "b")
            .done(),
    ];
    let result = run(&agreement, &reports, "2016-09-30");
    let certainty = |id: &str| one(&result, &format!("test:{id}/no-attacks/army")).certainty;
    assert_eq!(certainty("exact-centre"), Certainty::Certain);
    assert_eq!(certainty("province"), Certainty::Possible);
    assert_eq!(certainty("just-outside"), Certainty::Possible);
    assert_eq!(certainty("country"), Certainty::Possible);
    assert!(findings_of(&result, "test:outside").is_empty());
}

#[test]
fn kind_and_date_precision_are_honest() {
    let agreement = base();
    let general = R::new("general", "2016-09-14", "political-violence")
        .army_on_civilians("a", "b")
        .done();
    let month = R::new("month", "2016-09-01", "air-strike")
        .span("2016-09-01", "2016-09-30", DatePrecision::Month)
        .army_on_civilians("a", "b")
        .done();
    let before = strike_on_civilians("before", "2016-09-10");
    let result = run(&agreement, &[general, month, before], "2016-09-30");
    // "political violence" may or may not be an air strike.
    let general_air = "test:general/no-air-strikes/army";
    assert_certainty(&result, general_air, Certainty::Possible);
    assert_certainty(&result, "test:general/no-attacks/army", Certainty::Certain);
    // A month-precise date straddles the window's start (12 September, 19:00).
    let month_finding = one(&result, "test:month/no-attacks/army");
    assert_eq!(month_finding.certainty, Certainty::Possible);
    assert!(says(month_finding, "only partly within"));
    // Before the window: no finding at all.
    assert!(findings_of(&result, "test:before").is_empty());
}

#[test]
fn an_event_on_the_day_the_window_opens_at_sundown_is_only_possible() {
    let agreement = base();
    let eve = strike_on_civilians("eve", "2016-09-12");
    let result = run(&agreement, &[eve], "2016-09-30");
    assert_certainty(&result, "test:eve/no-attacks/army", Certainty::Possible);
}

#[test]
fn names_match_whatever_the_spelling_and_aliases_hold_for_their_period() {
    let agreement = base();
    let resolver = {
        let mut r = truce_engine::ActorResolver::new(&agreement);
        r.warm(["JABHAT AL NUSRAH", "Jabhat Fateh al‑Sham"]);
        r
    };
    let september = DateSpan::day(day("2016-09-20"));
    let june = DateSpan::day(day("2016-06-01"));
    match resolver.resolve("JABHAT AL NUSRAH", &september) {
        truce_engine::Resolution::Matched(m) => assert_eq!(agreement.actors[m.actor].id, "nusra"),
        other => panic!("expected a match, got {other:?}"),
    }
    match resolver.resolve("Jabhat Fateh al‑Sham", &june) {
        truce_engine::Resolution::Matched(m) => {
            assert_eq!(agreement.actors[m.actor].id, "nusra");
            assert_eq!(
                m.period,
                truce_model::agreement::PeriodMatch::None,
                "the rename is dated 2016-07-28"
            );
        }
        other => panic!("expected a match, got {other:?}"),
    }
    assert_eq!(
        resolver.resolve("IS", &september),
        truce_engine::Resolution::Unmatched
    );
}

// ---------------------------------------------------------------- steps

fn scenario_a() -> Vec<Report> {
    vec![
        strike_on_civilians("s14", "2016-09-14"),
        clash_with_stranger("c16", "2016-09-16"),
        // The army strikes an excluded group at the clinic on 22 September: a certain violation at a protected site.
        R::new("h22", "2016-09-22", "air-strike")
            .at(37.1, 36.1, LocationPrecision::Exact)
            .side("actor1", "Government of Syria", Role::Initiator)
            .side("actor2", "Jabhat Fateh al-Sham", Role::Target)
            .done(),
        elsewhere("end", "2016-09-30"),
    ]
}

#[test]
fn steps_are_tested_on_both_bounds_and_dependencies_lock() {
    let agreement = base();
    let result = run(&agreement, &scenario_a(), "2016-09-30");
    // Window: the first full day after sundown on 12 September, for 10 days: 13..22 September.
    let calm = step(&result, "calm");
    assert_eq!(
        (calm.window_first, calm.window_last),
        (Some(day("2016-09-13")), Some(day("2016-09-22")))
    );
    // Certain evidence: a violation on the 14th only → 15, 16, 17 calm → met on the 17th.
    assert_eq!(
        (calm.on_certain.status, calm.on_certain.met_on),
        (Status::Met, Some(day("2016-09-17")))
    );
    // With possible: the 14th and the 16th → 17, 18, 19 → met on the 19th.
    assert_eq!(
        (calm.with_possible.status, calm.with_possible.met_on),
        (Status::Met, Some(day("2016-09-19")))
    );
    assert_met_on(calm, "2016-09-19");
    // The joint centre starts the day after calm was met and fails on the strike at the clinic.
    let jic = step(&result, "jic");
    assert_eq!(jic.window_first, Some(day("2016-09-20")));
    assert_eq!(jic.status, Status::NotMet);
    assert_eq!(jic.on_certain.status, Status::NotMet);
    assert!(
        jic.conditions[0]
            .on_certain
            .incidents
            .contains(&"test:h22".to_string())
    );
    assert!(!result.entitlements[0].releasable);
}

#[test]
fn as_of_leaves_later_days_unobserved() {
    let agreement = base();
    let result = run(&agreement, &scenario_a(), "2016-09-15");
    let calm = step(&result, "calm");
    assert_eq!(calm.status, Status::Pending);
    assert_eq!(step(&result, "jic").status, Status::Locked);
}

#[test]
fn met_on_certain_evidence_but_not_with_possible_is_insufficient_evidence() {
    let agreement = base();
    let mut reports: Vec<Report> = (13..=22)
        .map(|d| clash_with_stranger(&format!("c{d}"), &format!("2016-09-{d}")))
        .collect();
    reports.push(elsewhere("end", "2016-09-30"));
    let result = run(&agreement, &reports, "2016-09-30");
    let calm = step(&result, "calm");
    assert_eq!(calm.on_certain.met_on, Some(day("2016-09-15")));
    assert_eq!(calm.with_possible.status, Status::NotMet);
    assert_eq!(calm.status, Status::InsufficientEvidence);
    // Nothing in the window could be counted for certain: the certain bound met the
    // step only because it says nothing here, and the summary says so.
    assert!(calm.on_certain.rests_on_nothing);
    assert!(calm.conditions[0].on_certain.rests_on_nothing);
    assert!(
        calm.summary.en().contains(
            "met on the certain evidence only because no report in this window can be counted with certainty: the certain bound says nothing here"
        ),
        "{}",
        calm.summary.en()
    );
    // The upper bound is named for what it counts, not only for possible violations:
    // for `max-deaths` it also counts the violations no report gives a toll for.
    assert!(
        calm.summary
            .en()
            .starts_with("not met on the upper bound, which counts what is only possible too: "),
        "{}",
        calm.summary.en()
    );
}

#[test]
fn evidence_that_ends_before_the_window_is_insufficient() {
    let agreement = base();
    let early = strike_on_civilians("early", "2016-09-01");
    let result = run(&agreement, &[early], "2016-12-31");
    assert_eq!(step(&result, "calm").status, Status::InsufficientEvidence);
}

// ---------------------------------------------------------------- brackets

#[test]
fn every_bracket_alternative_is_evaluated() {
    let agreement = base();
    let result = run(&agreement, &scenario_a(), "2016-09-30");
    let calm_days = result
        .brackets
        .iter()
        .find(|b| b.id == "calm-days")
        .expect("bracket");
    let summaries: Vec<(&str, bool, Status, Option<Day>)> = calm_days
        .alternatives
        .iter()
        .map(|a| {
            let s = a.steps.iter().find(|s| s.id == "calm").expect("calm");
            (a.value.as_str(), a.working, s.status, s.met_on)
        })
        .collect();
    // With 5 days: certain evidence 15..19 → the 19th; with possible 17..21 → the 21st.
    assert_eq!(
        summaries,
        vec![
            ("3", true, Status::Met, Some(day("2016-09-19"))),
            ("5", false, Status::Met, Some(day("2016-09-21")))
        ]
    );
    // Two brackets of two alternatives: four combinations.
    assert_eq!(result.combinations.len(), 4);
}

#[test]
fn a_bracketed_clause_counts_only_when_included() {
    let agreement = base();
    // An air strike on an excluded group: allowed under no-attacks, a violation of the (bracketed) air clause.
    let reports = vec![
        R::new("air15", "2016-09-15", "air-strike")
            .side("a", "Government of Syria", Role::Initiator)
            .side("b", "Jabhat Fateh al-Sham", Role::Target)
            .done(),
        elsewhere("end", "2016-09-30"),
    ];
    let result = run(&agreement, &reports, "2016-09-30");
    let air = result
        .brackets
        .iter()
        .find(|b| b.id == "air-clause")
        .expect("bracket");
    let included = &air.alternatives[0];
    let left_out = &air.alternatives[1];
    assert_eq!(
        (included.value.as_str(), included.violations.certain),
        ("included", 1)
    );
    assert_eq!(
        (left_out.value.as_str(), left_out.violations.certain),
        ("left out", 0)
    );
    let met = |a: &truce_engine::AlternativeResult| {
        a.steps
            .iter()
            .find(|s| s.id == "calm")
            .and_then(|s| s.met_on)
    };
    assert_eq!(met(included), Some(day("2016-09-18")));
    assert_eq!(met(left_out), Some(day("2016-09-15")));
}

// ---------------------------------------------------------------- other conditions

const CONDITIONS: &str = r#"
format = 1
id = "conditions"
title = "Other condition kinds"
[[party]]
id = "gov"
[[actor]]
id = "army"
name = "Government of Syria"
party = "gov"
[[actor]]
id = "un"
name = "United Nations"
[[clause]]
id = "no-attacks"
text = "No attacks."
kinds = ["political-violence"]
by = ["gov"]
[[step]]
id = "convoys"
name = "Three convoys delivered"
from = 2016-09-01
until = 2016-09-30
[[step.condition]]
type = "min-events"
min = 3
kinds = ["convoy-delivered"]
[[step]]
id = "trend"
name = "Violence falls by half twice"
from = 2016-09-01
days = 21
[[step.condition]]
type = "falling-trend"
percent = 50
weeks = 2
"#;

fn convoy(id: &str, date: &str) -> Report {
    R::new(id, date, "convoy-delivered")
        .side("a", "United Nations", Role::Initiator)
        .done()
}

#[test]
fn min_events_is_met_on_the_day_the_count_is_reached() {
    let agreement = agreement_from(CONDITIONS);
    let reports = vec![
        convoy("v1", "2016-09-03"),
        convoy("v2", "2016-09-10"),
        convoy("v3", "2016-09-12"),
        convoy("v4", "2016-09-30"),
    ];
    let result = run(&agreement, &reports, "2016-09-30");
    assert_met_on(step(&result, "convoys"), "2016-09-12");
    let two_only = run(&agreement, &reports[..2], "2016-10-31");
    // The evidence ends on the 10th: the rest of September was not observed.
    assert_eq!(
        step(&two_only, "convoys").status,
        Status::InsufficientEvidence
    );
}

#[test]
fn falling_trend_needs_consecutive_weekly_falls() {
    let agreement = agreement_from(CONDITIONS);
    let attack = |id: String, date: String| {
        R::new(&id, &date, "armed-clash")
            .army_on_civilians("a", "b")
            .done()
    };
    let weeks = |counts: [u32; 3]| {
        let mut reports = vec![elsewhere("end", "2016-09-30")];
        for (week, count) in counts.iter().enumerate() {
            for n in 0..*count {
                let d = 1 + week as u32 * 7 + (n % 7);
                reports.push(attack(format!("w{week}n{n}"), format!("2016-09-{d:02}")));
            }
        }
        reports
    };
    // Weeks from 1 September: 8, 4, 2 violations → falls of 50% twice → met on 21 September.
    let result = run(&agreement, &weeks([8, 4, 2]), "2016-09-30");
    assert_met_on(step(&result, "trend"), "2016-09-21");
    // 8 then 6 is not a 50% fall; 6 then 2 is, but only once in a row.
    let result = run(&agreement, &weeks([8, 6, 2]), "2016-09-30");
    let trend = step(&result, "trend");
    assert_eq!(trend.status, Status::NotMet, "{}", trend.summary.en());
    assert!(
        trend.summary.en().contains("weekly counts 8→6, 6→2"),
        "{}",
        trend.summary.en()
    );
}

// ---------------------------------------------------------------- max-deaths

const DEATHS: &str = r#"
format = 1
id = "deaths"
title = "A cap on deaths"
[[party]]
id = "gov"
[[actor]]
id = "army"
name = "Government of Syria"
party = "gov"
[[clause]]
id = "no-attacks"
text = "No attacks."
kinds = ["political-violence"]
by = ["gov"]
[[step]]
id = "deaths"
name = "At most 5 killed a week, two weeks in a row"
from = 2016-09-01
days = 28
[[step.condition]]
type = "max-deaths"
max = 5
period_days = 7
periods = 2
"#;

/// The army attacks civilians: a certain violation, with `deaths` (low, high) or unknown.
fn certain_killing(id: &str, date: &str, deaths: Option<(u32, u32)>) -> Report {
    let killing = R::new(id, date, "armed-clash").army_on_civilians("a", "b");
    match deaths {
        Some((low, high)) => killing.casualties(low, low, high).done(),
        None => killing.done(),
    }
}

/// The army and a group the agreement does not know fight, the source not saying who
/// fired: only a possible violation (had the group fired, no clause bound it).
fn possible_killing(id: &str, date: &str, low: u32, high: u32) -> Report {
    R::new(id, date, "armed-clash")
        .side("a", "Government of Syria", Role::Unknown)
        .side("b", "Unnamed armed group", Role::Unknown)
        .casualties(low, low, high)
        .done()
}

/// The check as of every day of September 2016: a final status (met, not met), on
/// either bound or overall, never changes once given. The step as of the 30th.
fn deaths_day_by_day(reports: &[Report]) -> truce_engine::StepResult {
    let agreement = agreement_from(DEATHS);
    let mut reports = reports.to_vec();
    reports.push(elsewhere("end", "2016-09-30"));
    let mut final_status: [Option<(Status, Option<Day>)>; 3] = [None; 3];
    let mut last = None;
    for d in 1..=30 {
        let as_of = format!("2016-09-{d:02}");
        let result = run(&agreement, &reports, &as_of);
        let deaths = step(&result, "deaths").clone();
        let now = [
            (deaths.on_certain.status, deaths.on_certain.met_on),
            (deaths.with_possible.status, deaths.with_possible.met_on),
            (deaths.status, deaths.met_on),
        ];
        for (slot, now) in final_status.iter_mut().zip(now) {
            match slot {
                Some(before) => assert_eq!(*before, now, "changed as of {as_of}"),
                None if matches!(now.0, Status::Met | Status::NotMet) => *slot = Some(now),
                None => {}
            }
        }
        last = Some(deaths);
    }
    last.expect("thirty days checked")
}

#[test]
fn max_deaths_is_met_when_the_upper_count_holds_every_week() {
    // Week 1 (1–7 Sep): 2–3 killed for certain, 1–2 possibly: at least 2, up to 5.
    // Week 2 (8–14 Sep): 3–4 killed for certain. Both weeks hold on both bounds.
    let deaths = deaths_day_by_day(&[
        certain_killing("c1", "2016-09-03", Some((2, 3))),
        possible_killing("p1", "2016-09-05", 1, 2),
        certain_killing("c2", "2016-09-10", Some((3, 4))),
    ]);
    assert_met_on(&deaths, "2016-09-14");
    let condition = &deaths.conditions[0];
    assert_eq!(
        condition.description.en(),
        "at most 5 people killed in violations a week, 2 weeks in a row"
    );
    assert_eq!(
        condition.on_certain.detail.en(),
        "2 consecutive weeks with at most 5 people killed in violations a week, from 2016-09-01 to 2016-09-14 (at least 3 people killed in the worst of them)"
    );
    assert!(
        condition
            .with_possible
            .detail
            .en()
            .ends_with("(up to 5 people killed in the worst of them)"),
        "{}",
        condition.with_possible.detail.en()
    );
    // `count` stays the violations counted, as for the other violation conditions.
    assert_eq!(
        (condition.on_certain.count, condition.with_possible.count),
        (2, 3)
    );
}

#[test]
fn max_deaths_is_not_met_once_the_lower_count_breaks_every_run() {
    // At least 6 killed in weeks 1 and 3: no two weeks in a row hold, from 15 Sep on.
    let reports = [
        certain_killing("c1", "2016-09-02", Some((6, 8))),
        certain_killing("c3", "2016-09-16", Some((4, 4))),
        certain_killing("c4", "2016-09-17", Some((2, 3))),
    ];
    let deaths = deaths_day_by_day(&reports);
    assert_eq!(deaths.status, Status::NotMet, "{}", deaths.summary.en());
    assert!(
        deaths.on_certain.explanation.en().ends_with(
            "never 2 consecutive weeks with at most 5 people killed in violations a week: longest run 1 week(s) from 2016-09-08; worst week from 2016-09-01 with at least 6 people killed"
        ),
        "{}",
        deaths.on_certain.explanation.en()
    );
    // Final on the day the third week reaches 6 killed (17 Sep): the rest of the
    // window is one week, too short for a run of two.
    let agreement = agreement_from(DEATHS);
    let on_the_17th = run(&agreement, &reports, "2016-09-17");
    assert_eq!(step(&on_the_17th, "deaths").status, Status::NotMet);
    let on_the_16th = run(&agreement, &reports, "2016-09-16");
    assert_eq!(step(&on_the_16th, "deaths").status, Status::Pending);
}

#[test]
fn an_unknown_death_count_leaves_the_step_undetermined() {
    // Weeks 2 and 4 each have a certain violation whose deaths no report gives: the
    // lower count holds weeks 1 and 2, the upper count rests on nothing in 2 and 4.
    let deaths = deaths_day_by_day(&[
        certain_killing("c1", "2016-09-03", Some((1, 1))),
        certain_killing("u2", "2016-09-09", None),
        certain_killing("u4", "2016-09-23", None),
    ]);
    assert_eq!(
        (deaths.on_certain.status, deaths.on_certain.met_on),
        (Status::Met, Some(day("2016-09-14")))
    );
    assert_eq!(deaths.with_possible.status, Status::NotMet);
    assert_eq!(
        deaths.status,
        Status::InsufficientEvidence,
        "{}",
        deaths.summary.en()
    );
    let condition = &deaths.conditions[0];
    assert!(
        condition
            .on_certain
            .detail
            .en()
            .ends_with("; 1 violation(s) with no death count add nothing to this count"),
        "{}",
        condition.on_certain.detail.en()
    );
    assert!(
        condition.with_possible.detail.en().starts_with(
            "2 violation(s) with no death count in 2 week(s), the first from 2016-09-08: the upper count rests on nothing there, and those weeks cannot count towards a run; never 2 consecutive weeks"
        ),
        "{}",
        condition.with_possible.detail.en()
    );
    assert_eq!(condition.with_possible.incidents, ["test:u2", "test:u4"]);
    // The summary says so too.
    assert!(
        deaths
            .summary
            .en()
            .contains("the upper count rests on nothing"),
        "{}",
        deaths.summary.en()
    );
    // Were the deaths known (none), the step would be met.
    let known = deaths_day_by_day(&[
        certain_killing("c1", "2016-09-03", Some((1, 1))),
        certain_killing("u2", "2016-09-09", Some((0, 0))),
        certain_killing("u4", "2016-09-23", Some((0, 0))),
    ]);
    assert_eq!(known.status, Status::Met, "{}", known.summary.en());
}

#[test]
fn max_deaths_counts_an_incident_reported_twice_once_with_its_merged_range() {
    // Two sources on one strike: 2–3 and 4–6 killed. The incident's range is 4–6
    // (the highest low, the highest high), counted once: not 6–9.
    let (ged, acled) = in_ged_and_acled("2016-09-03", "armed-clash", "a", "b");
    let (ged, acled) = (
        ged.casualties(2, 2, 3).done(),
        acled.casualties(4, 5, 6).done(),
    );
    let agreement = agreement_from(&DEATHS.replace("max = 5", "max = 4"));
    let result = run(
        &agreement,
        &[ged, acled, elsewhere("end", "2016-09-30")],
        "2016-09-30",
    );
    assert_eq!(result.evidence.incidents, 2);
    let condition = &step(&result, "deaths").conditions[0];
    // At least 4: holds at 4 on the lower bound; up to 6: breaks week 1 on the upper.
    assert_eq!(condition.on_certain.status, Status::Met);
    assert!(
        condition
            .on_certain
            .detail
            .en()
            .ends_with("(at least 4 people killed in the worst of them)"),
        "{}",
        condition.on_certain.detail.en()
    );
    assert_eq!(
        (
            condition.with_possible.status,
            condition.with_possible.met_on
        ),
        (Status::Met, Some(day("2016-09-21")))
    );
}

// ---------------------------------------------------------------- determinism and reports

#[test]
fn the_same_inputs_give_byte_identical_json() {
    let agreement = base();
    let first =
        serde_json::to_string(&run(&agreement, &scenario_a(), "2016-09-30")).expect("serializes");
    let second =
        serde_json::to_string(&run(&agreement, &scenario_a(), "2016-09-30")).expect("serializes");
    assert_eq!(first, second);
}

#[test]
fn scenario_report_snapshot() {
    let agreement = base();
    let result = run(&agreement, &scenario_a(), "2016-09-30");
    insta::assert_json_snapshot!("scenario_a_steps", steps_as_written(&result.steps));
    insta::assert_json_snapshot!("scenario_a_findings", findings_as_written(&result.findings));
}

/// The steps with their sentences in English, as the check's JSON writes them.
fn steps_as_written(steps: &[truce_engine::result::StepResult]) -> serde_json::Value {
    steps
        .iter()
        .map(|step| {
            let mut value = serde_json::to_value(step).expect("serializes");
            value["summary"] = step.summary.en().into();
            value["on_certain"]["explanation"] = step.on_certain.explanation.en().into();
            value["with_possible"]["explanation"] = step.with_possible.explanation.en().into();
            for (n, condition) in step.conditions.iter().enumerate() {
                let c = &mut value["conditions"][n];
                c["description"] = condition.description.en().into();
                c["on_certain"]["detail"] = condition.on_certain.detail.en().into();
                c["with_possible"]["detail"] = condition.with_possible.detail.en().into();
            }
            value
        })
        .collect()
}

/// The findings with each reason's sentence in English, as the check's JSON
/// writes them.
fn findings_as_written(findings: &[truce_model::finding::Finding]) -> serde_json::Value {
    findings
        .iter()
        .map(|f| {
            let mut value = serde_json::to_value(f).expect("serializes");
            value["reasons"] = f
                .reasons
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "link": r.link,
                        "certainty": r.certainty,
                        "text": text(r),
                    })
                })
                .collect();
            value
        })
        .collect()
}

#[test]
fn longest_calm_runs_count_every_party_and_zone_in_one_pass() {
    let agreement = base();
    let reports = scenario_a();
    let adjudication = truce_engine::adjudicate(&agreement, &reports, false);
    let runs = adjudication.longest_calm_runs(day("2016-09-01"), day("2016-09-30"), 0);
    let gov = runs
        .iter()
        .find(|r| agreement.parties[r.party].id == "gov")
        .expect("gov × box");
    // Certain violations by the government in the box on the 14th and the 22nd: 1..13 is the longest calm.
    assert_eq!((gov.days, gov.first_day), (13, day("2016-09-01")));
    let opp = runs
        .iter()
        .find(|r| agreement.parties[r.party].id == "opp")
        .expect("opp × box");
    assert_eq!((opp.days, opp.first_day), (30, day("2016-09-01")));
}

#[test]
fn first_side_acted_is_an_explicit_assumption() {
    let source = include_str!("fixtures/base.toml").replace(
        "timezone = \"+03:00\"",
        "timezone = \"+03:00\"\n[evidence]\nfirst_side_acted = true",
    );
    let agreement = agreement_from(&source);
    let result = run(&agreement, &[clash("c1", "2016-09-14")], "2016-09-30");
    let army = one(&result, "test:c1/no-attacks/army");
    assert_eq!(army.certainty, Certainty::Certain);
    assert!(
        army.reasons
            .iter()
            .any(|r| text(r).contains("first_side_acted"))
    );
    assert!(
        result.findings.iter().all(|f| &*f.actor != "rebels"),
        "the second side is read as the target"
    );
}

#[test]
fn findings_without_reasons_have_the_same_verdicts() {
    let agreement = base();
    let reports = scenario_a();
    let explained =
        truce_engine::adjudicate(&agreement, &reports, true).result(Some(day("2016-09-30")));
    let bare =
        truce_engine::adjudicate(&agreement, &reports, false).result(Some(day("2016-09-30")));
    let verdicts = |r: &CheckResult| {
        r.findings
            .iter()
            .map(|f| (f.id.clone(), f.verdict, f.certainty, f.confidence))
            .collect::<Vec<_>>()
    };
    assert_eq!(verdicts(&explained), verdicts(&bare));
    assert!(bare.findings.iter().all(|f| f.reasons.is_empty()));
    assert_eq!(explained.steps, bare.steps);
}

// ---------------------------------------------------------------- corroboration

const CORROBORATION: &str = r#"
format = 1
id = "corroboration"
title = "Names for corroboration"
[[party]]
id = "gov"
[[actor]]
id = "syrian-government"
name = "Government of Syria"
aliases = ["Military Forces of Syria"]
party = "gov"
[[actor]]
id = "insurgents"
name = "Syrian insurgents"
aliases = ["Opposition Rebels (Syria)"]
[[actor]]
id = "islamic-state"
name = "IS"
aliases = ["IS: Islamic State"]
designation = "excluded"
[[actor]]
id = "civilians"
name = "Civilians"
aliases = ["Civilians (Syria)"]
civilian = true
"#;

fn corroborate(reports: &[Report]) -> truce_engine::corroborate::Clusters {
    let agreement = agreement_from(CORROBORATION);
    let resolver = truce_engine::ActorResolver::new(&agreement);
    let key = |name: &str, span: &DateSpan| match resolver.resolve(name, span) {
        truce_engine::Resolution::Matched(m) => Some(agreement.actors[m.actor].id.clone()),
        _ => None,
    };
    truce_engine::corroborate::incidents(reports, &agreement.taxonomy, &Default::default(), &key)
}

#[test]
fn one_strike_reported_by_two_sources_is_one_incident() {
    // UCDP GED 301214 as GED codes it (real values), and the same attack on the UN aid
    // convoy written as an ACLED-layout row would read (our own row, not ACLED's data).
    let mut ged = R::new("301214", "2016-09-19", "violence-against-civilians")
        .at(36.94775, 36.1481, LocationPrecision::Exact)
        .side("side_a", "Government of Syria", Role::Initiator)
        .side("side_b", "Civilians", Role::Target)
        .done();
    ged.provenance.source = "ucdp-ged".into();
    let mut acled = R::new("SYR-CONVOY", "2016-09-19", "air-strike")
        .at(36.9456, 36.1497, LocationPrecision::Exact)
        .side(
            "actor1",
            "Military Forces of Syria (2000-)",
            Role::Initiator,
        )
        .side("actor2", "Civilians (Syria)", Role::Target)
        .done();
    acled.provenance.source = "acled".into();
    let clusters = corroborate(&[ged, acled]);
    assert_eq!(clusters.links, vec![(0, 1)]);
    assert_eq!((clusters.count, clusters.label.clone()), (1, vec![0, 0]));
}

#[test]
fn close_but_distinct_incidents_stay_apart() {
    let clash = |id: &str, lon: f64, lat: f64, a: &str, b: &str, precision: LocationPrecision| {
        R::new(id, "2016-09-19", "armed-conflict")
            .at(lon, lat, precision)
            .side("side_a", a, Role::Unknown)
            .side("side_b", b, Role::Unknown)
            .done()
    };
    let mut reports = [
        // GED 228433: Government of Syria and Syrian insurgents in Aleppo, 19 September 2016.
        clash(
            "228433",
            37.161173,
            36.201241,
            "Government of Syria",
            "Syrian insurgents",
            LocationPrecision::Exact,
        ),
        // 0.04° north (about 4.4 km): another clash nearby, the same day.
        clash(
            "north",
            37.161173,
            36.241241,
            "Government of Syria",
            "Syrian insurgents",
            LocationPrecision::Exact,
        ),
        // The same place and day, but other parties fighting: not the same incident.
        clash(
            "other",
            37.161173,
            36.201241,
            "IS",
            "SDF",
            LocationPrecision::Exact,
        ),
        // The same place, but known only to the governorate: too coarse to merge.
        clash(
            "coarse",
            37.161173,
            36.201241,
            "Government of Syria",
            "Syrian insurgents",
            LocationPrecision::Province,
        ),
        // The same place, parties and day, from another source (set below): the same incident twice.
        clash(
            "again",
            37.1612,
            36.2013,
            "Military Forces of Syria",
            "Opposition Rebels (Syria)",
            LocationPrecision::Exact,
        ),
    ];
    reports[4].provenance.source = "acled".into();
    let clusters = corroborate(&reports);
    assert_eq!(clusters.links, vec![(0, 4)]);
    assert_eq!(clusters.label, vec![0, 1, 2, 3, 0]);
    assert_eq!(clusters.count, 4);
    // Within one curated source, two ids are two events (the coders kept them apart).
    reports[4].provenance.source = "test".into();
    assert!(corroborate(&reports).links.is_empty());
}

fn kept(a: (&str, &str), b: (&str, &str)) -> truce_engine::corroborate::KeptApart {
    truce_engine::corroborate::KeptApart {
        first: (a.0.to_string(), a.1.to_string()),
        second: (b.0.to_string(), b.1.to_string()),
    }
}

#[test]
fn an_analysts_decision_keeps_two_reports_apart_even_through_a_third() {
    let strike = |id: &str, source: &str, lon: f64| {
        let mut r = R::new(id, "2016-09-19", "air-strike")
            .at(lon, 36.2, LocationPrecision::Exact)
            .side("actor1", "Government of Syria", Role::Initiator)
            .done();
        r.provenance.source = source.into();
        r
    };
    // Three sources, all within a few hundred metres: one incident by the rule.
    let reports = [
        strike("a", "ucdp-ged", 37.160),
        strike("b", "acled", 37.161),
        strike("c", "monitors", 37.162),
    ];
    let clusters = corroborate(&reports);
    assert_eq!((clusters.count, clusters.links.len()), (1, 3));
    // The analyst keeps a and c apart: the link b–c would join them through b, so it goes too.
    let decisions = [
        kept(("ucdp-ged", "a"), ("monitors", "c")),
        kept(("ucdp-ged", "a"), ("nowhere", "zzz")),
    ];
    let (split, unknown) =
        truce_engine::corroborate::keep_apart(&reports, clusters.clone(), &decisions);
    assert_eq!(split.links, vec![(0, 1)]);
    assert_eq!((split.count, split.label), (2, vec![0, 0, 2]));
    // A decision naming a report not in the evidence is returned, not ignored.
    assert_eq!(unknown, vec![decisions[1].clone()]);
    // Order of the decision's two reports does not matter.
    let (again, _) = truce_engine::corroborate::keep_apart(
        &reports,
        clusters.clone(),
        &[kept(("monitors", "c"), ("ucdp-ged", "a"))],
    );
    assert_eq!(again.label, vec![0, 0, 2]);
}

proptest::proptest! {
    /// Whatever the links and the decisions: no two reports kept apart share an incident,
    /// only links of the rule are kept, labels name each incident's first report, and with
    /// no decision (or only decisions on unknown reports) nothing changes.
    #[test]
    fn keeping_apart_never_joins_a_kept_pair(
        n in 2usize..14,
        raw_links in proptest::collection::vec((0usize..14, 0usize..14), 0..40),
        raw_decisions in proptest::collection::vec((0usize..14, 0usize..14), 0..6),
    ) {
        let reports: Vec<Report> = (0..n)
            .map(|i| R::new(&format!("r{i}"), "2016-09-19", "air-strike").done())
            .collect();
        let mut links: Vec<(u32, u32)> = raw_links
            .iter()
            .map(|&(a, b)| (a % n, b % n))
            .filter(|(a, b)| a != b)
            .map(|(a, b)| (a.min(b) as u32, a.max(b) as u32))
            .collect();
        links.sort_unstable();
        links.dedup();
        // The components of the links, labelled by their first report (relaxation: n is small).
        let mut label: Vec<u32> = (0..n as u32).collect();
        loop {
            let mut changed = false;
            for &(a, b) in &links {
                let low = label[a as usize].min(label[b as usize]);
                for end in [a, b] {
                    if label[end as usize] != low {
                        label[end as usize] = low;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        let count = (0..n).filter(|&i| label[i] as usize == i).count();
        let clusters = truce_engine::corroborate::Clusters {
            links: links.clone(),
            label,
            count,
        };
        let source = reports[0].provenance.source.clone();
        let decisions: Vec<_> = raw_decisions
            .iter()
            .map(|&(a, b)| {
                kept(
                    (&source, &format!("r{}", a % n)),
                    (&source, &format!("r{}", b % n)),
                )
            })
            .collect();
        let (split, _) = truce_engine::corroborate::keep_apart(&reports, clusters.clone(), &decisions);
        for &(a, b) in &raw_decisions {
            let (a, b) = (a % n, b % n);
            if a != b {
                proptest::prop_assert_ne!(split.label[a], split.label[b]);
            }
        }
        proptest::prop_assert!(split.links.iter().all(|l| links.binary_search(l).is_ok()));
        for i in 0..n {
            let l = split.label[i] as usize;
            proptest::prop_assert!(l <= i && split.label[l] as usize == l);
        }
        let roots = (0..n).filter(|&i| split.label[i] as usize == i).count();
        proptest::prop_assert_eq!(roots, split.count);
        let (untouched, unknown) = truce_engine::corroborate::keep_apart(
            &reports,
            clusters,
            &[kept((&source, "nobody"), (&source, "r0"))],
        );
        proptest::prop_assert_eq!(unknown.len(), 1);
        proptest::prop_assert_eq!(untouched.links, links);
    }
}

#[test]
fn a_check_with_a_decision_to_keep_apart_counts_two_violations() {
    let agreement = base();
    let (first, second) = in_ged_and_acled("2016-09-14", "air-strike", "actor1", "actor2");
    let reports = [first.done(), second.done(), elsewhere("end", "2016-09-30")];
    let decisions = [
        kept(("acled", "acled-1"), ("ucdp-ged", "ged-1")),
        kept(("acled", "gone"), ("ucdp-ged", "ged-1")),
    ];
    let result = run_with_decisions(&agreement, &reports, "2016-09-30", &decisions, &[]);
    assert_eq!(result.evidence.incidents, 3);
    let no_attacks = result
        .findings
        .iter()
        .filter(|f| f.clause.as_ref() == "no-attacks")
        .count();
    assert_eq!(no_attacks, 2);
    assert_eq!(
        result.evidence.kept_apart_unknown,
        vec!["acled:gone / ucdp-ged:ged-1".to_string()]
    );
    // One source only (nothing can merge): decisions on unknown reports are still named.
    let single = run_with_decisions(&agreement, &reports[..1], "2016-09-30", &decisions, &[]);
    assert_eq!(
        single.evidence.kept_apart_unknown,
        vec![
            "acled:acled-1 / ucdp-ged:ged-1".to_string(),
            "acled:gone / ucdp-ged:ged-1".to_string()
        ]
    );
}

#[test]
fn findings_are_made_on_incidents_one_strike_reported_twice_is_one_violation() {
    let agreement = base();
    let (first, second) = in_ged_and_acled("2016-09-14", "air-strike", "actor1", "actor2");
    let first = first.casualties(10, 12, 15).done();
    let second = second.casualties(14, 14, 14).done();
    let result = run(
        &agreement,
        &[first, second, elsewhere("end", "2016-09-30")],
        "2016-09-30",
    );
    assert_eq!(result.evidence.reports, 3);
    assert_eq!(result.evidence.incidents, 2);
    // The exactly located GED report represents the incident; both reports stand behind it.
    let incident = result
        .incidents
        .iter()
        .find(|i| i.id == "ucdp-ged:ged-1")
        .expect("the merged incident");
    assert_eq!(
        incident.reports,
        vec!["ucdp-ged:ged-1".to_string(), "acled:acled-1".to_string()]
    );
    assert_eq!(incident.grade, truce_model::report::Grade::Corroborated);
    // Casualties: the highest low (14), the highest high (15), the median best within them.
    let c = incident.casualties.expect("casualties");
    assert_eq!((c.low, c.best, c.high), (14, 14, 15));
    // One violation per clause and actor, not two.
    let no_attacks: Vec<&Finding> = result
        .findings
        .iter()
        .filter(|f| f.clause.as_ref() == "no-attacks")
        .collect();
    assert_eq!(no_attacks.len(), 1);
    assert_eq!(no_attacks[0].id, "ucdp-ged:ged-1/no-attacks/army");
    assert!(
        no_attacks[0]
            .reasons
            .iter()
            .any(|r| text(r).starts_with("one incident reported 2 times"))
    );
    let gov = tally(&result.violations_by_party, "gov");
    assert_eq!((gov.certain, gov.certain_or_possible), (1, 1));
}

#[test]
fn the_timeline_interleaves_the_agreement_and_the_incidents() {
    let agreement = base();
    let result = run(&agreement, &scenario_a(), "2016-09-30");
    let t = truce_engine::timeline::timeline(&agreement, &result, &[]);
    let whats: Vec<(String, &str)> = t
        .chronology
        .iter()
        .map(|e| (e.day.to_string(), e.what.as_str()))
        .collect();
    // The clauses come into force at sundown on the 12th; calm's window opens on the 13th and is met on the 19th.
    assert!(whats.contains(&("2016-09-12".into(), "clause-in-force")));
    assert!(whats.contains(&("2016-09-13".into(), "step-window")));
    assert!(whats.contains(&("2016-09-19".into(), "step-met")));
    assert!(
        whats.contains(&("2016-09-14".into(), "incident")),
        "{whats:?}"
    );
    // Days: the government's certain violations on the 14th and the 22nd; the
    // opposition's possible one on the 16th (the rebels and a group no clause binds).
    let by = |party: &str| -> Vec<(String, u64, u64)> {
        t.daily
            .iter()
            .filter(|d| d.party == party)
            .map(|d| (d.day.to_string(), d.certain, d.certain_or_possible))
            .collect()
    };
    assert_eq!(
        by("gov"),
        vec![("2016-09-14".into(), 1, 1), ("2016-09-22".into(), 1, 1)]
    );
    assert_eq!(by("opp"), vec![("2016-09-16".into(), 0, 1)]);
    // A week's incidents with a violation: (its Monday, certain, certain or possible).
    let incidents = |week: Day, totals: &truce_engine::timeline::WeekTotals| {
        (
            week.to_string(),
            totals.incidents_certain,
            totals.incidents_certain_or_possible,
        )
    };
    // Weeks start on Monday 12 and 19 September.
    let weeks: Vec<(String, u64, u64)> = t
        .weekly
        .iter()
        .filter(|w| w.party == "gov")
        .map(|w| incidents(w.week, &w.totals))
        .collect();
    assert_eq!(
        weeks,
        vec![("2016-09-12".into(), 1, 1), ("2016-09-19".into(), 1, 1)]
    );
    // The same weeks in the zone: all three incidents are certainly inside `box`
    // (the 16th's clash with a possible violation only), the one far away is not.
    assert_eq!(t.zones, ["box"]);
    let in_box: Vec<(String, u64, u64)> = t
        .weekly_by_zone
        .iter()
        .map(|w| incidents(w.week, &w.totals))
        .collect();
    assert_eq!(
        in_box,
        vec![("2016-09-12".into(), 1, 2), ("2016-09-19".into(), 1, 1)]
    );
    let s14 = result
        .incidents
        .iter()
        .find(|i| i.id == "test:s14")
        .expect("s14");
    assert_eq!(s14.zones, ["box"]);
    assert!(s14.possible_zones.is_empty());
}

#[test]
fn every_merge_and_every_non_merge_of_a_close_pair_is_explained() {
    let agreement = agreement_from(CORROBORATION);
    let resolver = truce_engine::ActorResolver::new(&agreement);
    let key = |name: &str, span: &DateSpan| match resolver.resolve(name, span) {
        truce_engine::Resolution::Matched(m) => Some(agreement.actors[m.actor].id.clone()),
        _ => None,
    };
    let clash =
        |id: &str, source: &str, lat: f64, a: &str, b: &str, precision: LocationPrecision| {
            let mut r = R::new(id, "2016-09-19", "armed-conflict")
                .at(37.161173, lat, precision)
                .side("side_a", a, Role::Unknown)
                .side("side_b", b, Role::Unknown)
                .done();
            r.provenance.source = source.into();
            r
        };
    let reports = [
        clash(
            "a",
            "ucdp-ged",
            36.201241,
            "Government of Syria",
            "Syrian insurgents",
            LocationPrecision::Exact,
        ),
        clash(
            "b",
            "acled",
            36.2013,
            "Military Forces of Syria",
            "Opposition Rebels (Syria)",
            LocationPrecision::Exact,
        ),
        clash(
            "c",
            "acled",
            36.221241,
            "Government of Syria",
            "Syrian insurgents",
            LocationPrecision::Exact,
        ),
        clash(
            "d",
            "acled",
            36.201241,
            "IS",
            "SDF",
            LocationPrecision::Exact,
        ),
    ];
    let explained = truce_engine::corroborate::explain_neighbours(
        &reports,
        &agreement.taxonomy,
        &Default::default(),
        &key,
        0,
    );
    let outcome: Vec<(usize, bool, Vec<bool>)> = explained
        .iter()
        .map(|e| (e.other, e.linked, e.tests.iter().map(|t| t.0).collect()))
        .collect();
    assert_eq!(
        outcome,
        vec![
            (1, true, vec![true; 7]),
            // 0.02° north, about 2.2 km: too far.
            (2, false, vec![true, false, true, true, true, true, true]),
            // Other parties: the actors contradict.
            (3, false, vec![true, true, true, true, true, false, true]),
        ]
    );
    assert!(
        explained[1].tests[1].1.starts_with("2.2"),
        "{:?}",
        explained[1].tests[1]
    );
}

#[test]
fn reports_sharing_an_article_or_a_photo_are_the_same_evidence_whatever_else_differs() {
    let agreement = base();
    // One article coded twice by a news feed, a day and 80 km apart (as GDELT does).
    let mut coded = strike_on_civilians("feed-1", "2016-09-14");
    coded.provenance.source = "news-feed".into();
    coded.urls = vec!["https://www.example-news.org/syria/strike-on-market/?utm_source=x".into()];
    let mut coded_again = R::new("feed-2", "2016-09-15", "shelling")
        .at(37.9, 36.6, LocationPrecision::Exact)
        .done();
    coded_again.provenance.source = "news-feed".into();
    coded_again.urls = vec!["http://example-news.org/syria/strike-on-market".into()];
    // A monitor's report and a hospital's, in different places, with the same photo.
    let photo = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    let mut monitor = strike_on_civilians("m-1", "2016-09-16");
    monitor.provenance.source = "monitors".into();
    monitor.media = vec![photo.into()];
    let mut hospital = R::new("h-1", "2016-09-18", "air-strike")
        .at(36.5, 35.9, LocationPrecision::Exact)
        .done();
    hospital.provenance.source = "hospital".into();
    hospital.media = vec![photo.to_ascii_uppercase()];
    let result = run(
        &agreement,
        &[
            coded,
            coded_again,
            monitor,
            hospital,
            elsewhere("end", "2016-09-30"),
        ],
        "2016-09-30",
    );
    assert_eq!(result.evidence.reports, 5);
    assert_eq!(result.evidence.incidents, 3);
    let incident = |id: &str| {
        result
            .incidents
            .iter()
            .find(|i| i.reports.iter().any(|r| r == id))
            .unwrap_or_else(|| panic!("an incident with {id}"))
    };
    let article = incident("news-feed:feed-1");
    assert_eq!(
        article.reports,
        [
            "news-feed:feed-1".to_string(),
            "news-feed:feed-2".to_string()
        ]
    );
    // One article is one source, however often it is coded.
    assert_eq!(article.independent_sources, 1);
    assert_eq!(article.grade, truce_model::report::Grade::SingleSource);
    let photo_incident = incident("monitors:m-1");
    assert_eq!(
        photo_incident.reports,
        ["monitors:m-1".to_string(), "hospital:h-1".to_string()]
    );
    // The same photo sent by two channels is one piece of evidence, not two.
    assert_eq!(photo_incident.independent_sources, 1);
    assert_eq!(
        photo_incident.grade,
        truce_model::report::Grade::SingleSource
    );
}

#[test]
fn outlets_repeating_one_wire_story_are_not_independent() {
    let agreement = base();
    let wire = "Government aircraft struck a market in the town, killing at least twelve people, \
                the agency said";
    let story = |id: &str, source: &str, url: &str, summary: &str| {
        let mut r = strike_on_civilians(id, "2016-09-14");
        r.provenance.source = source.into();
        r.urls = vec![url.into()];
        r.summary = Some(summary.into());
        r
    };
    // Two outlets carry the wire story word for word (but for case and punctuation),
    // a third writes its own; the three are merged by place and time.
    let reports = vec![
        story("a", "news-feed", "https://outlet-one.example/a", wire),
        story(
            "b",
            "press",
            "https://outlet-two.example/b",
            &wire.to_uppercase().replace(',', ";"),
        ),
        story(
            "c",
            "radio",
            "https://outlet-three.example/c",
            "Our correspondent saw the market burning after the raid this morning",
        ),
        elsewhere("end", "2016-09-30"),
    ];
    // The independent sources and the grade of the incident the stories make.
    let sources_and_grade = |reports: &[Report]| {
        let result = run(&agreement, reports, "2016-09-30");
        let stories = reports.len() - 1;
        let incident = result
            .incidents
            .iter()
            .find(|i| i.reports.len() == stories)
            .expect("the stories are one incident");
        (incident.independent_sources, incident.grade)
    };
    assert_eq!(
        sources_and_grade(&reports),
        (2, truce_model::report::Grade::Corroborated)
    );
    // Without the third outlet, the wire story alone is one source.
    let without_the_third = [reports[0].clone(), reports[1].clone(), reports[3].clone()];
    assert_eq!(
        sources_and_grade(&without_the_third),
        (1, truce_model::report::Grade::SingleSource)
    );
}

#[test]
fn article_addresses_are_compared_without_scheme_tracking_and_trailing_slash() {
    use truce_engine::corroborate::{url_key, url_outlet};
    let key = url_key("https://WWW.Reuters.com/article/syria-aleppo/?utm_medium=rss&id=7#top");
    assert_eq!(key, "reuters.com/article/syria-aleppo?id=7");
    assert_eq!(url_key("http://reuters.com/article/syria-aleppo?id=7"), key);
    assert_ne!(url_key("https://reuters.com/article/syria-idlib"), key);
    assert_eq!(
        url_outlet("https://www.bbc.co.uk/news/world-1"),
        "bbc.co.uk"
    );
    assert_eq!(url_key("  "), "");
}

#[test]
fn whether_possible_violations_block_a_release_is_the_agreements_choice() {
    // Calm is met on certain evidence on the 15th, not if the possible violations count.
    let source = format!(
        "{}\n[[entitlement]]\nid = \"aid\"\nto = \"opp\"\nstep = \"calm\"\nwhat = \"Access\"\n\
         [[entitlement]]\nid = \"aid-on-certain\"\nto = \"opp\"\nstep = \"calm\"\nwhat = \"Access\"\n\
         possible_violations_block = false\n",
        include_str!("fixtures/base.toml")
    );
    let agreement = agreement_from(&source);
    let mut reports: Vec<Report> = (13..=22)
        .map(|d| clash_with_stranger(&format!("c{d}"), &format!("2016-09-{d}")))
        .collect();
    reports.push(elsewhere("end", "2016-09-30"));
    let result = run(&agreement, &reports, "2016-09-30");
    let status = |id: &str| {
        result
            .entitlements
            .iter()
            .find(|e| e.id == id)
            .unwrap_or_else(|| panic!("entitlement {id}"))
    };
    let blocked = status("aid");
    assert!(!blocked.releasable);
    assert!(
        blocked.reason.en().starts_with(
            "withheld: step `calm` is met on certain evidence but not counting possible violations, which block this release"
        ),
        "{}",
        blocked.reason.en()
    );
    let released = status("aid-on-certain");
    assert!(released.releasable);
    assert_eq!(
        released.reason.en(),
        "step `calm` met on 2016-09-15 on certain evidence (possible violations do not block this release)"
    );
}

#[test]
fn an_analyst_joins_two_reports_the_rule_keeps_apart_and_keeping_apart_wins_a_conflict() {
    let agreement = base();
    // The same strike in two datasets, placed 40 km and three days apart (a source's
    // coding error the analyst knows of): the rule cannot merge them.
    let first = from_source("ucdp-ged", strike_on_civilians("ged-1", "2016-09-14"));
    let second = R::new("acled-1", "2016-09-17", "air-strike")
        .at(37.3, 35.85, LocationPrecision::Exact)
        .army_on_civilians("actor1", "actor2")
        .source("acled")
        .done();
    let reports = [first, second, elsewhere("end", "2016-09-30")];
    let run_with = |apart: &[truce_engine::corroborate::KeptApart],
                    together: &[truce_engine::corroborate::KeptApart]| {
        run_with_decisions(&agreement, &reports, "2016-09-30", apart, together)
    };
    assert_eq!(run_with(&[], &[]).evidence.incidents, 3);
    let join = [
        kept(("acled", "acled-1"), ("ucdp-ged", "ged-1")),
        kept(("acled", "gone"), ("ucdp-ged", "ged-1")),
    ];
    let joined = run_with(&[], &join);
    assert_eq!(joined.evidence.incidents, 2);
    let incident = joined
        .incidents
        .iter()
        .find(|i| i.reports.len() == 2)
        .expect("the joined incident");
    assert_eq!(incident.grade, truce_model::report::Grade::Corroborated);
    assert_eq!(
        joined.evidence.kept_together_unknown,
        ["acled:gone / ucdp-ged:ged-1"]
    );
    // A decision to keep the same two apart wins over a chain of joins through a
    // third report.
    let third = from_source("monitors", strike_on_civilians("m-1", "2016-09-15"));
    let three = [
        reports[0].clone(),
        reports[1].clone(),
        third,
        reports[2].clone(),
    ];
    let chain = [
        kept(("monitors", "m-1"), ("ucdp-ged", "ged-1")),
        kept(("acled", "acled-1"), ("monitors", "m-1")),
    ];
    let apart = [kept(("acled", "acled-1"), ("ucdp-ged", "ged-1"))];
    let result = run_with_decisions(&agreement, &three, "2016-09-30", &apart, &chain);
    let with = |id: &str| {
        result
            .incidents
            .iter()
            .position(|i| i.reports.iter().any(|r| r == id))
    };
    assert_ne!(with("ucdp-ged:ged-1"), with("acled:acled-1"));
}

// ---------------------------------------------------------------- the terms of issue 14

fn with(extra: &str) -> Agreement {
    agreement_from(&format!("{}\n{extra}", include_str!("fixtures/base.toml")))
}

/// At most one violation a week, two weeks in a row, over three weeks from the 13th:
/// week 1 (13–19) has two, week 2 (20–26) one, week 3 (27 Sep – 3 Oct) none: met on 3 October.
#[test]
fn a_maximum_per_week_is_tested_week_by_week() {
    let agreement = with(
        "[[step]]\nid = \"weekly\"\nname = \"w\"\nfrom = 2016-09-13\ndays = 21\n\
         [[step.condition]]\ntype = \"max-violations-per-period\"\nmax = 1\nperiod_days = 7\nperiods = 2\n",
    );
    let reports = [
        strike_on_civilians("a", "2016-09-14"),
        strike_on_civilians("b", "2016-09-15"),
        strike_on_civilians("c", "2016-09-21"),
        elsewhere("end", "2016-10-10"),
    ];
    let result = run(&agreement, &reports, "2016-10-10");
    let weekly = step(&result, "weekly");
    assert_met_on(weekly, "2016-10-03");
    assert!(
        weekly.conditions[0]
            .description
            .en()
            .starts_with("at most 1 violation(s) a week for 2 consecutive weeks"),
        "{}",
        weekly.conditions[0].description.en()
    );
    // As of the 24th, week 2 is under way with one violation: pending, not yet met.
    let early = run(&agreement, &reports, "2016-09-24");
    assert_eq!(step(&early, "weekly").status, Status::Pending);
    // A second violation in week 2 breaks it before the week is over; week 3 alone
    // cannot make two weeks in a row: not met as of the 22nd already.
    let mut more = reports.to_vec();
    more.push(strike_on_civilians("d", "2016-09-22"));
    let broken = run(&agreement, &more, "2016-09-22");
    assert_eq!(step(&broken, "weekly").status, Status::NotMet);
}

/// The baseline: eight clashes in the box in August (four weeks) are 2 a week; at
/// least 50 % below is at most 1 a week. Week 1 of the window has two strikes,
/// week 2 one: met on the 26th.
#[test]
fn a_trend_is_measured_against_a_baseline_before_the_agreement() {
    let agreement = with(
        "[[step]]\nid = \"below\"\nname = \"b\"\nfrom = 2016-09-13\n\
         [[step.condition]]\ntype = \"falling-trend\"\npercent = 50\nweeks = 1\nzones = [\"box\"]\n\
         baseline = { from = 2016-08-01, until = 2016-08-28 }\n",
    );
    let mut reports: Vec<Report> = (0..8)
        .map(|i| clash(&format!("aug{i}"), &format!("2016-08-{:02}", 2 + 3 * i)))
        .collect();
    reports.push(strike_on_civilians("a", "2016-09-14"));
    reports.push(strike_on_civilians("b", "2016-09-15"));
    reports.push(strike_on_civilians("c", "2016-09-21"));
    reports.push(elsewhere("end", "2016-09-30"));
    let result = run(&agreement, &reports, "2016-09-30");
    let below = step(&result, "below");
    assert_met_on(below, "2016-09-26");
    let detail = &below.conditions[0].on_certain.detail.en();
    assert!(
        detail.contains("8 event(s), 2.0 a week; limit 1.0 a week"),
        "{detail}"
    );
    // No August event is a violation: the clause starts on 12 September.
    assert!(result.findings.iter().all(|f| !f.incident.contains("aug")));
}

#[test]
fn a_guarantor_answers_for_the_party_it_guarantees() {
    let agreement = with("[[party]]\nid = \"russia\"\nguarantees = [\"gov\"]\n");
    let result = run(
        &agreement,
        &[
            strike_on_civilians("s", "2016-09-14"),
            clash("c", "2016-09-15"),
        ],
        "2016-09-30",
    );
    let strike = one(&result, "test:s/no-attacks/army");
    let names: Vec<&str> = strike.guarantors.iter().map(|g| &**g).collect();
    assert_eq!(names, ["russia"]);
    assert!(
        one(&result, "test:c/no-attacks/rebels")
            .guarantors
            .is_empty()
    );
    let russia = &result.violations_by_guarantor[0];
    assert_eq!(russia.guarantor, "russia");
    assert_eq!(russia.guarantees, ["gov"]);
    // The strike is certainly the government's; the clash possibly.
    assert_eq!((russia.certain, russia.certain_or_possible), (1, 2));
}

/// A clause that starts when `calm` is met (the 19th in scenario A) binds from the
/// 20th: the air strike of the 14th is no finding of it, the one of the 22nd is.
#[test]
fn a_clause_starts_the_day_after_its_step_is_met() {
    let agreement = with(
        "[[clause]]\nid = \"after-calm\"\ntext = \"No air strikes once calm holds.\"\n\
         kinds = [\"air-strike\"]\nby = [\"gov\"]\nfrom_step = \"calm\"\n",
    );
    let result = run(&agreement, &scenario_a(), "2016-09-30");
    let ids: Vec<&str> = result
        .findings
        .iter()
        .filter(|f| &*f.clause == "after-calm")
        .map(|f| &*f.incident)
        .collect();
    assert_eq!(ids, ["test:h22"]);
    // Before the step is met the clause does not bind at all.
    let early = run(&agreement, &scenario_a(), "2016-09-18");
    assert!(early.findings.iter().all(|f| &*f.clause != "after-calm"));
    let tally = early
        .violations_by_clause
        .iter()
        .find(|t| t.id == "after-calm")
        .expect("row");
    assert_eq!(tally.certain_or_possible, 0);
}

/// A reason's sentence in English, as the check's JSON writes it.
fn text(reason: &truce_model::finding::Reason) -> String {
    truce_words::english(&reason.message)
}
