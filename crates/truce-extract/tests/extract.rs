//! truce-extract on real sentences: Wikipedia's current-events summaries of 2016
//! and UCDP GED headlines (tests/fixtures/README.md), every field and every
//! hedge family, in English and Arabic; and the readers on bad input.

use truce_extract::read::{Document, ReadOptions, read};
use truce_extract::{Extractor, Gazetteer, Lang};
use truce_model::report::{LocationPrecision, Report, Role};
use truce_model::time::Day;

/// One extractor for all the tests: building the gazetteer takes a moment.
fn extractor() -> &'static Extractor {
    static EXTRACTOR: std::sync::OnceLock<Extractor> = std::sync::OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new(Gazetteer::builtin(), None))
}

fn document(text: &str, published: &str) -> Document {
    Document {
        id: "test".into(),
        url: None,
        title: None,
        published: Day::parse_iso(published),
        lang: Lang::of_text(text),
        text: text.into(),
        hashtags: Vec::new(),
        file: "test.txt".into(),
        line: 1,
    }
}

fn reports(text: &str, published: &str) -> Vec<Report> {
    extractor().extract(&document(text, published)).reports
}

/// The words of a report's field, as the spans point at them.
fn words<'a>(report: &Report, text: &'a str, field: &str) -> Vec<&'a str> {
    report
        .text
        .as_ref()
        .expect("text evidence")
        .spans
        .iter()
        .filter(|s| s.field == field)
        .map(|s| &text[s.start as usize..s.end as usize])
        .collect()
}

fn wikipedia(date: &str, starts: &str) -> String {
    let file = include_str!("fixtures/wikipedia_current_events_2016.tsv");
    file.lines()
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .find(|f| f[0] == date && f[2].starts_with(starts))
        .map(|f| f[2].to_string())
        .expect("the summary")
}

#[test]
fn a_market_airstrike_in_yemen() {
    let text = wikipedia("2016-02-27", "At least 30 people");
    let found = reports(&text, "2016-02-27");
    assert_eq!(found.len(), 1);
    let r = &found[0];
    assert_eq!(r.kind, "air-strike");
    assert_eq!(words(r, &text, "kind"), ["airstrike"]);
    let killed = r.casualties.expect("killed");
    assert_eq!((killed.low, killed.best, killed.high), (30, 30, 30));
    assert_eq!(words(r, &text, "killed"), ["At least 30 people are killed"]);
    assert_eq!(r.location.place.as_deref(), Some("Sanaa"));
    assert_eq!(words(r, &text, "place"), ["Sana'a"]);
    assert_eq!(r.location.country.as_deref(), Some("YE"));
    // No date in the words: the day of publication or the day before.
    assert_eq!(
        (r.date.first.to_string(), r.date.last.to_string()),
        ("2016-02-26".into(), "2016-02-27".into())
    );
    assert_eq!(r.text.as_ref().map(|t| t.confidence), Some(100));
}

#[test]
fn aleppo_airstrikes_of_28_april() {
    let text = wikipedia("2016-04-28", "A wave of airstrikes");
    let r = &reports(&text, "2016-04-28")[0];
    assert_eq!(r.kind, "air-strike");
    assert_eq!(r.location.place.as_deref(), Some("Aleppo"));
    // A city of two million: near the point, not at it.
    assert_eq!(r.location.precision, LocationPrecision::Near);
    assert_eq!(r.casualties.map(|c| c.low), Some(61));
}

#[test]
fn the_deir_ez_zor_strike_is_hedged_and_attributed_through_its_pronoun() {
    let text = wikipedia("2016-09-17", "The United States acknowledges");
    let r = &reports(&text, "2016-09-17")[0];
    assert_eq!(r.kind, "air-strike");
    assert_eq!(words(r, &text, "hedge"), ["may have"]);
    assert_eq!(r.text.as_ref().map(|t| t.confidence), Some(70));
    let acted: Vec<&str> = r
        .sides
        .iter()
        .filter(|s| s.role == Role::Initiator)
        .map(|s| s.names[0].as_str())
        .collect();
    assert_eq!(acted, ["Government of United States of America"]);
    assert!(
        r.sides
            .iter()
            .any(|s| s.role == Role::Target && s.names[0] == "Government of Syria")
    );
    assert_eq!(r.casualties.map(|c| c.low), Some(61), "more than 60");
    assert_eq!(r.location.place.as_deref(), Some("Deir ez-Zor"));
}

#[test]
fn the_aid_convoy_is_placed_in_its_governorate() {
    let text = wikipedia("2016-09-19", "Hours after");
    let r = &reports(&text, "2016-09-19")[0];
    assert_eq!(
        r.kind, "air-strike",
        "the ceasefire named beside it is context"
    );
    // Urum al-Kubra is not in the built-in gazetteer; "the Aleppo Governorate" is.
    assert_eq!(r.location.precision, LocationPrecision::Province);
    assert_eq!(r.location.place.as_deref(), Some("Aleppo"));
    assert_eq!(r.casualties.map(|c| c.best), Some(12));
    assert!(
        r.sides.iter().all(|s| s.role != Role::Initiator),
        "no one is said to have struck"
    );
}

#[test]
fn statements_and_appeals_give_no_report() {
    let text = wikipedia("2016-04-28", "United Nations envoy");
    assert!(reports(&text, "2016-04-28").is_empty());
}

#[test]
fn ged_headlines() {
    // UCDP GED source_headline values (CC BY 4.0).
    let text = "3 killed by U.S.-led airstrike in eastern Syria";
    let r = &reports(text, "2019-02-13")[0];
    assert_eq!(r.kind, "air-strike");
    assert_eq!(r.casualties.map(|c| c.best), Some(3));
    assert_eq!(r.location.precision, LocationPrecision::Country);
    assert!(
        r.sides
            .iter()
            .any(|s| s.role == Role::Initiator
                && s.names[0] == "Government of United States of America"),
        "{:?}",
        r.sides
    );

    let text = "13 barrel bombs on Darayya and intensive airstrikes cause casualties in the Eastern Ghouta";
    let r = &reports(text, "2016-02-01")[0];
    assert_eq!(
        r.kind, "air-strike",
        "barrel bombs and airstrikes are both from the air"
    );
    assert!(r.casualties.is_none(), "casualties mixes in the wounded");

    let text = "Clashes continue between SDF and ISIS in Al-Raqqah city";
    let r = &reports(text, "2017-09-19")[0];
    assert_eq!(r.kind, "armed-clash");
    assert!(
        r.sides.iter().all(|s| s.role == Role::Unknown),
        "between two sides, neither acted"
    );
    assert_eq!(r.location.country.as_deref(), Some("SY"));

    // "claimed the lives of" counts the dead; it is no hedge.
    let text =
        "About 44 hours after a bombing that claimed the lives of about 70 persons in Idlib city";
    let r = &reports(text, "2017-01-10")[0];
    assert_eq!(r.text.as_ref().map(|t| t.confidence), Some(100));
    assert!(words(r, text, "hedge").is_empty());
}

#[test]
fn hedges_denials_and_negations() {
    // A real headline (UCDP GED): the attribution is denied by the one named.
    let text = "Turkish military denies it hit Syrian hospital";
    let r = &reports(text, "2018-03-28")[0];
    assert_eq!(r.kind, "attack-on-health-care");
    assert!(
        r.sides.iter().all(|s| s.role != Role::Initiator),
        "{:?}",
        r.sides
    );
    assert!(
        r.text
            .as_ref()
            .is_some_and(|t| t.confidence < 100 && t.hedges.iter().any(|h| h == "denies"))
    );
    // Reported speech (Wikipedia, 27 February 2016).
    let text = "Russian Air Force attacks on opposition positions near Aleppo were reported to have been intensified before the truce took effect.";
    let r = &reports(text, "2016-02-27")[0];
    assert!(
        words(r, text, "hedge").contains(&"were reported"),
        "{:?}",
        words(r, text, "hedge")
    );
    // Could not be verified, reportedly, no casualties, and an event said not to have happened.
    let text =
        "Shelling hit Idlib, reportedly killing 5 people, a claim that could not be verified.";
    let r = &reports(text, "2016-05-01")[0];
    assert!(
        r.text.as_ref().is_some_and(|t| t.confidence <= 30),
        "{:?}",
        r.text
    );
    let text = "An airstrike hit Saraqib, causing no casualties.";
    let found = reports(text, "2016-05-01");
    let counted: Vec<u32> = found
        .iter()
        .filter_map(|r| r.casualties.map(|c| c.best))
        .collect();
    assert!(counted.contains(&0), "{found:?}");
    let text = "There were no clashes in Daraa on Friday.";
    let out = extractor().extract(&document(text, "2016-05-01"));
    assert!(out.reports.is_empty());
    assert!(
        out.skipped
            .iter()
            .any(|s| s.reason.contains("said not to have happened")),
        "{:?}",
        out.skipped
    );
}

#[test]
fn arabic_and_english_names_of_a_place_are_one_place() {
    let english = reports(
        "An airstrike hit Aleppo yesterday, killing 7 people.",
        "2016-09-21",
    );
    let arabic = reports("غارة جوية على حلب أمس أدت إلى مقتل ٧ أشخاص", "2016-09-21");
    let (e, a) = (&english[0], &arabic[0]);
    assert_eq!(e.kind, a.kind);
    assert_eq!(e.location.place, a.location.place);
    assert_eq!(e.location.point, a.location.point);
    assert_eq!(e.date, a.date);
    assert_eq!(a.date.first.to_string(), "2016-09-20");
    assert_eq!(a.casualties.map(|c| c.best), Some(7));
    assert_eq!(a.text.as_ref().map(|t| t.lang.as_str()), Some("ar"));
}

#[test]
fn an_ambiguous_place_is_reported_with_its_candidates() {
    let gazetteer = Gazetteer::builtin();
    // Find a name the built-in gazetteer gives to places far apart.
    let (name, count) = [
        "Tall Abyad",
        "Al Bab",
        "Ayn al Arab",
        "Kafr Nubl",
        "Tall Rifat",
        "Mayadin",
        "Jisr ash Shughur",
        "Al Qusayr",
        "Qurayyat",
        "Nawa",
    ]
    .iter()
    .map(|n| (*n, gazetteer.lookup_name(n).len()))
    .find(|(_, c)| *c > 1)
    .unwrap_or(("", 0));
    if count == 0 {
        // No ambiguous name among these: make one from two GeoNames rows.
        let mut g = Gazetteer::builtin();
        g.add_geonames("geonameid\tname\tlatitude\tlongitude\tcountrycode\tadmin1code\tpopulation\ttimezone\talternatenames\n1\tKhirbat Testa\t36.0\t37.0\tSY\t09\t600\tAsia/Damascus\t\n2\tKhirbat Testa\t33.0\t36.0\tSY\t13\t600\tAsia/Damascus\t\n").expect("rows");
        let e = Extractor::new(g, None);
        let out = e.extract(&document(
            "Shelling on Khirbat Testa killed 2 people.",
            "2016-05-01",
        ));
        let r = &out.reports[0];
        assert_eq!(r.location.point, None, "not guessed");
        let notes = &r.text.as_ref().expect("text").notes;
        assert!(
            notes.iter().any(|n| n.contains("ambiguous: 2 places")
                && n.contains("36.0000")
                && n.contains("33.0000")),
            "{notes:?}"
        );
        return;
    }
    let text = format!("Shelling on {name} killed 2 people.");
    let r = &reports(&text, "2016-05-01")[0];
    assert!(
        r.text
            .as_ref()
            .is_some_and(|t| t.notes.iter().any(|n| n.contains("ambiguous")))
            || r.location.point.is_some()
    );
}

#[test]
fn readers_refuse_what_is_not_text_and_stream_large_exports() {
    let mut none = |_: Document| {};
    let error = read(
        "photo.jpg",
        &b"\xff\xd8\xff\xe0\x00\x10JFIF"[..],
        &ReadOptions::default(),
        &mut none,
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("`photo.jpg` is not text"),
        "{error}"
    );
    // 50,000 posts stream through one at a time.
    let mut export = String::new();
    for n in 0..50_000 {
        export.push_str(&format!("{{\"id\":\"{n}\",\"text\":\"Shelling on Daraa #Daraa {n}\",\"created_at\":\"2016-05-01T10:00:00Z\"}}\n"));
    }
    let mut count = 0;
    let e = extractor();
    let mut with_reports = 0;
    let summary = read(
        "posts.jsonl",
        export.as_bytes(),
        &ReadOptions::default(),
        &mut |d| {
            count += 1;
            if !e.extract(&d).reports.is_empty() {
                with_reports += 1;
            }
        },
    )
    .expect("read");
    assert_eq!((count, summary.documents), (50_000, 50_000));
    assert_eq!(with_reports, 50_000);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// No input makes a reader or the extractor panic.
    #[test]
    fn no_input_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400), text in "\\PC{0,300}", format in 0usize..4) {
        use truce_extract::read::TextFormat;
        let formats = [TextFormat::Plain, TextFormat::Html, TextFormat::Feed, TextFormat::Posts];
        let options = ReadOptions { format: Some(formats[format]), published: Day::parse_iso("2016-09-19"), ..ReadOptions::default() };
        let e = extractor();
        for input in [bytes.clone(), text.clone().into_bytes()] {
            let _ = read("fuzz", &input[..], &options, &mut |d| { let _ = e.extract(&d); });
        }
        let _ = e.extract(&document(&text, "2016-09-19"));
    }
}

#[test]
fn a_headline_with_two_acts_gives_two_reports() {
    // UCDP GED source_headline (CC BY 4.0): the air strike and the clashes that
    // go on are two events; the clashes are carried to the place of the first.
    let text = "Coalition warplanes bomb Manbij countryside and clashes continue";
    let found = reports(text, "2016-04-07");
    let kinds: Vec<&str> = found.iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(kinds, ["air-strike", "armed-clash"], "{found:#?}");
    assert!(found[0].sides.iter().any(
        |s| s.role == Role::Initiator && s.names[0] == "Government of United States of America"
    ));
    assert!(
        found[1].sides.iter().all(|s| s.role != Role::Initiator),
        "the coalition acted in the first clause, not in the clashes"
    );
    assert_eq!(found[1].location.place, found[0].location.place);

    // "air and missile strikes" is one means, not two acts.
    let text = "Casualties and injuries in more than 45 air and missile strikes targeting Darayya";
    assert_eq!(reports(text, "2016-02-01").len(), 1);

    // A clause naming a place the gazetteer does not know is not put at another's.
    let text = "Clashes in areas in Al-Quneitra countryside and shelling hits areas in the Eastern Ghouta along with clashes at its outskirts";
    let found = reports(text, "2016-08-01");
    assert!(
        found.iter().all(|r| r.kind != "shelling"),
        "the shelling in the Eastern Ghouta is not in Quneitra: {found:#?}"
    );
}

#[test]
fn rebels_are_named_by_the_war_they_fight_in() {
    // UCDP GED source_headlines (CC BY 4.0): the headline, its date, and the side
    // its rebels must be found on.
    for (text, date, role, rebels) in [
        (
            "Two civilians said killed as rebels continue to breach ceasefire in east Ukraine",
            "2015-03-01",
            Role::Initiator,
            "DPR",
        ),
        (
            "Blast at Syria-Turkey border kills 20 rebels: monitor",
            "2016-10-06",
            Role::Target,
            "Syrian insurgents",
        ),
    ] {
        let r = &reports(text, date)[0];
        assert!(
            r.sides
                .iter()
                .any(|s| s.role == role && s.names[0] == rebels),
            "{text}: {:?}",
            r.sides
        );
    }
}

#[test]
fn names_that_are_no_place_here() {
    // UCDP GED source_headlines (CC BY 4.0): the headline, its date, and a place
    // none of its reports may be put at.
    for (text, date, not_here) in [
        // "Syria regime": the country qualifies the actor, the raids are not placed by it.
        (
            "Syria regime kills dozens in raids, agrees aid convoys",
            "2016-02-01",
            "Syria",
        ),
        // "Al-Sham Corps" is a group, not Damascus (al-Sham).
        (
            "Hayyaat Tahrir Al-Sham carries out a violent attack on sites of Al-Sham Corps and the Division 13 in Maarrat Al-Nu’man",
            "2017-03-10",
            "Damascus",
        ),
        // "Tal al-Sawwan" is not a place called "Tal".
        (
            "Violent continuous clashes in the vicinity of Tal al-Sawwan and Tal Kurdi in the Eastern Ghouta",
            "2016-11-01",
            "At Tall",
        ),
    ] {
        let found = reports(text, date);
        assert!(
            found
                .iter()
                .all(|r| r.location.place.as_deref() != Some(not_here)),
            "{not_here}: {found:#?}"
        );
    }
    // "Aleppo southern countryside" is the governorate.
    let text = "5 killed in Idlib and continued clashes in Aleppo southern countryside";
    let found = reports(text, "2016-03-01");
    let clashes = found
        .iter()
        .find(|r| r.kind == "armed-clash")
        .expect("the clashes");
    assert_eq!(clashes.location.precision, LocationPrecision::Province);
    assert_eq!(clashes.location.place.as_deref(), Some("Aleppo"));
}
