//! The agreement loader: one test per family of problem, every problem at once,
//! exact lines and columns, and property tests that no input panics it.

use proptest::prelude::*;
use std::collections::HashMap;
use truce_model::agreement::{Files, Loaded, load};
use truce_model::diagnostic::{Code, Diagnostic};

/// Files held in memory, by the path written in the agreement.
#[derive(Default)]
struct MemoryFiles(HashMap<String, Vec<u8>>);

impl MemoryFiles {
    fn with(mut self, path: &str, content: &str) -> Self {
        self.0.insert(path.to_string(), content.as_bytes().to_vec());
        self
    }
}

impl Files for MemoryFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        self.0
            .get(path)
            .cloned()
            .ok_or_else(|| "no such file".to_string())
    }
}

const HEAD: &str = "format = 1\nid = \"t\"\ntitle = \"Test\"\n";

fn lint(body: &str) -> Loaded {
    lint_with(body, MemoryFiles::default())
}

fn lint_with(body: &str, files: MemoryFiles) -> Loaded {
    load("agreement.toml", &format!("{HEAD}{body}"), &files)
}

/// (code, line, column) of each diagnostic, lines counted in the whole file (HEAD is 3 lines).
fn located(loaded: &Loaded) -> Vec<(Code, Option<usize>, Option<usize>)> {
    loaded
        .diagnostics
        .iter()
        .map(|d| (d.code, d.line, d.column))
        .collect()
}

fn only(loaded: &Loaded, code: Code) -> &Diagnostic {
    let matching: Vec<&Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .collect();
    assert_eq!(
        matching.len(),
        1,
        "expected one {code} in {:#?}",
        loaded.diagnostics
    );
    matching[0]
}

/// The diagnostics' codes are `expected`, in order.
fn assert_codes(loaded: &Loaded, expected: &[Code]) {
    let codes: Vec<Code> = loaded.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, expected, "{:#?}", loaded.diagnostics);
}

/// The messages of the diagnostics, in order.
fn messages(loaded: &Loaded) -> Vec<&str> {
    loaded
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect()
}

/// The messages of the diagnostics with `code`, in order.
fn messages_of(loaded: &Loaded, code: Code) -> Vec<&str> {
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| d.message.as_str())
        .collect()
}

/// The diagnostic whose message is `message`.
fn the_one_saying<'a>(loaded: &'a Loaded, message: &str) -> &'a Diagnostic {
    let found = loaded.diagnostics.iter().find(|d| d.message == message);
    found.unwrap_or_else(|| panic!("no {message:?} in {:#?}", loaded.diagnostics))
}

/// Whether a diagnostic's `found`, `expected` or `hint` is there and holds `words`.
fn holds(part: &Option<String>, words: &str) -> bool {
    part.as_deref().is_some_and(|p| p.contains(words))
}

/// An agreement whose only table is a `site_list` read from `sites.csv`, holding `csv`.
fn lint_sites(site_list_keys: &str, csv: &str) -> Loaded {
    let files = MemoryFiles::default().with("sites.csv", csv);
    lint_with(
        &format!("[[site_list]]\nfile = \"sites.csv\"\n{site_list_keys}"),
        files,
    )
}

const PARTIES: &str = "[[party]]\nid = \"gov\"\n[[party]]\nid = \"opp\"\n";

#[test]
fn a_valid_minimal_agreement_loads() {
    let loaded = lint(&format!(
        "{PARTIES}[[actor]]\nid = \"army\"\nparty = \"gov\"\n"
    ));
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let agreement = loaded.agreement.expect("valid");
    assert_eq!(
        agreement.actors[0].party_on(truce_model::time::Day(0)),
        Some(0)
    );
}

#[test]
fn toml_syntax_errors_are_located() {
    let loaded = lint("[[party]\nid = \"gov\"\n");
    let d = &loaded.diagnostics[0];
    assert_eq!(d.code, Code::TomlSyntax);
    assert_eq!(d.line, Some(4));
    assert!(loaded.agreement.is_none());
}

#[test]
fn wrong_types_name_what_was_found_and_expected() {
    let loaded = lint("[[party]]\nid = 7\n");
    let d = only(&loaded, Code::WrongType);
    assert_eq!((d.line, d.column), (Some(5), Some(6)));
    assert_eq!(
        (d.found.as_deref(), d.expected.as_deref()),
        (Some("an integer"), Some("a string"))
    );
}

#[test]
fn missing_fields_are_reported() {
    let loaded = lint("[[clause]]\nid = \"c\"\n");
    assert_eq!(
        messages_of(&loaded, Code::MissingField),
        vec![
            "missing field `text` in clause #1",
            "missing field `kinds` in clause #1",
            "missing field `by` in clause #1"
        ]
    );
}

#[test]
fn unknown_fields_suggest_the_near_miss() {
    let loaded = lint(&format!(
        "{PARTIES}[[actor]]\nid = \"a\"\nparty = \"gov\"\ndesignaton = \"covered\"\n"
    ));
    let d = only(&loaded, Code::UnknownField);
    assert_eq!(d.line, Some(11));
    assert_eq!(d.hint.as_deref(), Some("did you mean `designation`?"));
}

#[test]
fn the_format_version_is_required_and_checked() {
    let loaded = load(
        "a.toml",
        "id = \"t\"\ntitle = \"T\"\n",
        &MemoryFiles::default(),
    );
    only(&loaded, Code::UnsupportedFormat);
    let loaded = load(
        "a.toml",
        "format = 2\nid = \"t\"\ntitle = \"T\"\n",
        &MemoryFiles::default(),
    );
    let d = only(&loaded, Code::UnsupportedFormat);
    assert_eq!((d.line, d.found.as_deref()), (Some(1), Some("2")));
}

#[test]
fn duplicate_ids_are_reported_where_they_repeat() {
    let loaded = lint("[[party]]\nid = \"gov\"\n[[party]]\nid = \"gov\"\n");
    let d = only(&loaded, Code::DuplicateId);
    assert_eq!(d.line, Some(7));
}

#[test]
fn unknown_references_of_every_kind_are_reported_at_once() {
    let body = format!(
        "{PARTIES}[[actor]]\nid = \"army\"\nparty = \"govt\"\n\
         [[clause]]\nid = \"c\"\ntext = \"t\"\nkinds = [\"airstrike\"]\nby = [\"gov\", \"rebelz\"]\nzones = [\"aleppo\"]\nat_sites = [\"hospitals\"]\n\
         [[step]]\nid = \"s\"\nfrom = 2016-01-01\nrequires = [\"nothing\"]\n[[step.condition]]\ntype = \"max-violations-per-day\"\nmax = 0\ndays = \"[calm]\"\nclauses = [\"cc\"]\n"
    );
    let loaded = lint(&body);
    let messages = messages(&loaded);
    for expected in [
        "unknown party `govt`",
        "unknown kind `airstrike`",
        "unknown party or actor `rebelz`",
        "unknown zone `aleppo`",
        "`at_sites` names protected sites, but none are defined",
        "step `s` depends on unknown step `nothing`",
        "unknown bracket `calm`",
        "unknown clause `cc`",
    ] {
        assert!(
            messages.contains(&expected),
            "missing {expected:?} in {messages:#?}"
        );
    }
    let party = the_one_saying(&loaded, "unknown party `govt`");
    assert_eq!(party.hint.as_deref(), Some("did you mean `gov`?"));
    assert_eq!((party.line, party.column), (Some(10), Some(9)));
    let kind = the_one_saying(&loaded, "unknown kind `airstrike`");
    assert_eq!(kind.hint.as_deref(), Some("did you mean `air-strike`?"));
}

#[test]
fn invalid_values_are_explained() {
    let loaded = lint("timezone = \"Damascus\"\n");
    let d = only(&loaded, Code::InvalidValue);
    assert!(holds(&d.expected, "+03:00"));
    let loaded = lint("[[party]]\nid = \"has space\"\n");
    only(&loaded, Code::InvalidValue);
}

#[test]
fn missing_zone_files_and_missing_features_are_reported() {
    let loaded = lint("[[zone]]\nid = \"z\"\nfile = \"zones/missing.geojson\"\n");
    let d = only(&loaded, Code::FileNotFound);
    assert_eq!((d.line, d.column), (Some(6), Some(8)));

    let fc = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Aleppo"},"geometry":{"type":"Polygon","coordinates":[[[37,36],[38,36],[38,37],[37,37],[37,36]]]}}]}"#;
    let files = MemoryFiles::default()
        .with("z.geojson", fc)
        .with("bad.geojson", "{ not json");
    let loaded = lint_with(
        "[[zone]]\nid = \"z\"\nfile = \"z.geojson\"\nfeature = { property = \"name\", value = \"Idlib\" }\n\
         [[zone]]\nid = \"ok\"\nfile = \"z.geojson\"\nfeature = { property = \"name\", value = \"Aleppo\" }\n\
         [[zone]]\nid = \"b\"\nfile = \"bad.geojson\"\n\
         [[boundaries]]\nid = \"adm\"\nfile = \"z.geojson\"\n[[zone]]\nid = \"a\"\nadmin = \"Halab\"\n",
        files,
    );
    let not_found: Vec<&Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::FeatureNotFound)
        .collect();
    assert_eq!(not_found.len(), 2, "{:#?}", loaded.diagnostics);
    assert!(holds(&not_found[0].expected, "Aleppo"));
    only(&loaded, Code::BadReferencedFile);
}

#[test]
fn administrative_units_are_found_by_name_or_code() {
    let fc = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Ḥalab","name_en":"Aleppo","iso_3166_2":"SY-HL"},"geometry":{"type":"Polygon","coordinates":[[[37,36],[38,36],[38,37],[37,37],[37,36]]]}}]}"#;
    let files = MemoryFiles::default().with("adm.geojson", fc);
    let loaded = lint_with(
        "[[boundaries]]\nid = \"adm\"\nfile = \"adm.geojson\"\n[[zone]]\nid = \"a\"\nadmin = \"aleppo\"\n[[zone]]\nid = \"b\"\nadmin = \"SY-HL\"\n[[zone]]\nid = \"c\"\nadmin = \"Halab\"\n",
        files,
    );
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    assert_eq!(loaded.agreement.expect("valid").zones.len(), 3);
}

#[test]
fn invalid_polygons_are_reported() {
    // Not closed.
    let loaded = lint(
        "[[zone]]\nid = \"open\"\npolygon = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]\n",
    );
    let d = only(&loaded, Code::InvalidPolygon);
    assert!(d.message.contains("not closed"), "{d}");
    // A bow tie crosses itself.
    let loaded = lint(
        "[[zone]]\nid = \"bowtie\"\npolygon = [[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]\n",
    );
    let d = only(&loaded, Code::InvalidPolygon);
    assert!(holds(&d.found, "self-intersection"), "{d}");
    // Latitude first by mistake.
    let loaded = lint(
        "[[zone]]\nid = \"swapped\"\npolygon = [[36.0, 137.0], [36.1, 137.0], [36.1, 137.1], [36.0, 137.0]]\n",
    );
    let d = only(&loaded, Code::InvalidPolygon);
    assert!(holds(&d.hint, "longitude first"), "{d}");
}

#[test]
fn steps_may_depend_only_on_earlier_steps() {
    let condition =
        "[[step.condition]]\ntype = \"min-events\"\nmin = 1\nkinds = [\"convoy-delivered\"]\n";
    let loaded = lint(&format!(
        "[[step]]\nid = \"a\"\nfrom = 2016-01-01\nrequires = [\"b\"]\n{condition}[[step]]\nid = \"b\"\nfrom = 2016-01-01\nrequires = [\"b\"]\n{condition}"
    ));
    assert_eq!(
        messages_of(&loaded, Code::BadDependency),
        vec![
            "step `a` depends on `b`, which comes later in the file",
            "step `b` depends on itself"
        ]
    );
}

#[test]
fn brackets_need_two_distinct_alternatives() {
    let loaded = lint(
        "[[bracket]]\nid = \"one\"\nalternatives = [7]\n[[bracket]]\nid = \"dup\"\nalternatives = [7, 7]\n",
    );
    let codes: Vec<(Code, Option<usize>)> = loaded
        .diagnostics
        .iter()
        .map(|d| (d.code, d.line))
        .collect();
    assert_eq!(
        codes,
        vec![(Code::BadBracket, Some(6)), (Code::BadBracket, Some(9))]
    );
}

#[test]
fn overlapping_designations_are_reported() {
    let loaded = lint(
        "[[actor]]\nid = \"nusra\"\ndesignation = [{ value = \"covered\", until = 2016-07-28 }, { value = \"excluded\", from = 2016-07-28 }]\n",
    );
    let d = only(&loaded, Code::OverlappingPeriods);
    assert!(
        d.message.contains("until 2016-07-28 and from 2016-07-28"),
        "{d}"
    );
}

#[test]
fn dates_in_the_wrong_order_are_reported() {
    let loaded = lint(&format!(
        "{PARTIES}[[actor]]\nid = \"a\"\naliases = [{{ name = \"x\", from = 2016-05-01, until = 2016-04-01 }}]\n\
         [[clause]]\nid = \"c\"\ntext = \"t\"\nkinds = [\"event\"]\nby = [\"gov\"]\nfrom = 2016-05-01\nuntil = 2016-04-01\n"
    ));
    let lines: Vec<Option<usize>> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::DatesOutOfOrder)
        .map(|d| d.line)
        .collect();
    assert_eq!(lines, vec![Some(10), Some(17)]);
}

#[test]
fn two_actors_answering_to_one_name_at_once_are_ambiguous() {
    let loaded = lint(
        "[[actor]]\nid = \"a\"\naliases = [\"Jaysh al-Fatah\"]\n[[actor]]\nid = \"b\"\naliases = [{ name = \"Jaish al Fatah\", from = 2016-01-01 }]\n\
         [[actor]]\nid = \"c\"\naliases = [{ name = \"Army of Conquest\", until = 2015-12-31 }]\n[[actor]]\nid = \"d\"\naliases = [{ name = \"Army of Conquest\", from = 2016-01-01 }]\n",
    );
    let d = only(&loaded, Code::AmbiguousAlias);
    assert!(d.message.contains("`a` and `b`"), "{d}");
}

#[test]
fn every_problem_is_reported_in_one_pass() {
    let loaded = lint(
        "colour = 1\n[[party]]\nid = 3\n[[actor]]\nid = \"x\"\nparty = \"nobody\"\n[[zone]]\nid = \"z\"\n[[bracket]]\nid = \"b\"\nalternatives = [1]\n",
    );
    assert_codes(
        &loaded,
        &[
            Code::UnknownField,
            Code::WrongType,
            Code::UnknownReference,
            Code::InvalidValue,
            Code::BadBracket,
        ],
    );
}

#[test]
fn protected_sites_load_from_csv_with_their_precision() {
    let csv = "site_id,name,facility_type,latitude,longitude,coord_precision\nH1,Al-Quds,hospital,36.20124,37.16117,settlement\nH2,Bad,hospital,x,37.0,settlement\n";
    let loaded = lint_sites(
        "protection_radius_km = 1\ncolumns = { id = \"site_id\", kind = \"facility_type\", precision = \"coord_precision\" }\n",
        csv,
    );
    let d = only(&loaded, Code::InvalidValue);
    assert_eq!((d.file.as_str(), d.line), ("sites.csv", Some(3)));
    assert!(loaded.agreement.is_none(), "a bad site row is an error");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic_the_loader(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = load("fuzz.toml", &text, &MemoryFiles::default());
    }

    #[test]
    fn random_agreement_shaped_toml_never_panics(
        tables in proptest::collection::vec(
            (prop::sample::select(vec!["party", "actor", "zone", "site", "clause", "bracket", "step", "entitlement", "kind", "boundaries", "site_list", "step.condition", "clause.exception"]),
             proptest::collection::vec(
                 (prop::sample::select(vec!["id", "name", "party", "designation", "aliases", "polygon", "point", "kinds", "by", "against", "zones", "from", "until", "alternatives", "clauses", "requires", "after", "days", "type", "max", "min", "text", "to", "step", "what", "file", "admin", "resolved", "at_sites"]),
                  prop::sample::select(vec!["\"a\"", "\"b\"", "1", "-3", "0.5", "2016-09-12", "2016-09-12T19:00:00+03:00", "[]", "[\"a\", \"b\"]", "[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]", "true", "{ name = \"x\", from = 2016-01-01 }", "\"[a]\"", "[7, 10]", "\"max-violations-per-day\"", "[{ value = \"covered\" }]"])),
                 0..6)),
            0..10)
    ) {
        let mut source = String::from(HEAD);
        for (table, fields) in tables {
            source.push_str(&format!("[[{table}]]\n"));
            for (key, value) in fields {
                source.push_str(&format!("{key} = {value}\n"));
            }
        }
        let loaded = load("fuzz.toml", &source, &MemoryFiles::default());
        // Every diagnostic in the agreement file points inside it.
        for d in &loaded.diagnostics {
            if let Some(span) = &d.span {
                prop_assert!(span.start <= source.len());
            }
        }
    }
}

#[test]
fn empty_lists_and_reserved_words_are_errors() {
    let loaded = lint(&format!(
        "{PARTIES}[[actor]]\nid = \"covered\"\n[[clause]]\nid = \"c\"\ntext = \"t\"\nkinds = [\"event\"]\nby = []\nagainst = []\n"
    ));
    let messages = messages(&loaded);
    assert!(
        messages.contains(&"`covered` is a reserved word and cannot be an actor id"),
        "{messages:#?}"
    );
    assert!(messages.contains(&"`by` is an empty list"), "{messages:#?}");
    assert!(
        messages.contains(&"`against` is an empty list"),
        "{messages:#?}"
    );
}

#[test]
fn a_mapped_site_column_must_exist_and_a_missing_precision_is_flagged() {
    let csv = "site_id,latitude,longitude,kind\nH1,36.2,37.1,hospital\n";
    let misspelt = "columns = { id = \"site_id\", precision = \"coord_precison\" }\n";
    let loaded = lint_sites(misspelt, csv);
    let d = only(&loaded, Code::BadReferencedFile);
    assert!(d.message.contains("`coord_precison`"), "{d}");
    let loaded = lint_sites("columns = { id = \"site_id\" }\n", csv);
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    let warning = only(&loaded, Code::MissingField);
    assert_eq!(warning.severity, truce_model::diagnostic::Severity::Warning);
}

#[test]
fn the_default_designation_follows_the_party_period_by_period() {
    let loaded = lint(&format!(
        "{PARTIES}[[actor]]\nid = \"zenki\"\nparty = [{{ value = \"opp\", until = 2017-01-27 }}, {{ value = \"none\", from = 2017-01-28 }}]\n"
    ));
    let agreement = loaded.agreement.expect("valid");
    let actor = &agreement.actors[0];
    let day = |s: &str| truce_model::time::Day::parse_iso(s).expect("date");
    use truce_model::agreement::Designation;
    assert_eq!(
        actor.designation_on(day("2016-06-01")),
        Some(Designation::Covered)
    );
    assert_eq!(
        actor.designation_on(day("2017-06-01")),
        Some(Designation::Outside)
    );
}

#[test]
fn a_number_cannot_take_its_value_from_a_bracket_around_clauses() {
    let loaded = lint(&format!(
        "{PARTIES}[[clause]]\nid = \"c\"\ntext = \"t\"\nkinds = [\"event\"]\nby = [\"gov\"]\n[[bracket]]\nid = \"opt\"\nclauses = [\"c\"]\n\
         [[bracket]]\nid = \"neg\"\nalternatives = [-1, 2]\n\
         [[step]]\nid = \"s\"\nfrom = 2016-01-01\n[[step.condition]]\ntype = \"max-violations-per-day\"\nmax = 0\ndays = \"[opt]\"\n"
    ));
    assert_eq!(
        messages_of(&loaded, Code::BadBracket),
        vec![
            "bracket `neg` has a negative alternative",
            "bracket `opt` is around clauses, not a number"
        ]
    );
}

#[test]
fn a_zone_of_several_adjacent_features_is_merged_into_one() {
    // Two unit squares side by side: the shared border must not be an edge of the zone.
    let fc = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"country":"X","name":"West"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
      {"type":"Feature","properties":{"country":"X","name":"East"},"geometry":{"type":"Polygon","coordinates":[[[1,0],[2,0],[2,1],[1,1],[1,0]]]}}]}"#;
    let files = MemoryFiles::default().with("x.geojson", fc);
    let loaded = lint_with(
        "[[zone]]\nid = \"x\"\nfile = \"x.geojson\"\nfeature = { property = \"country\", value = \"X\" }\n",
        files,
    );
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let zone = &loaded.agreement.expect("valid").zones[0];
    assert_eq!(zone.geometry.0.len(), 1, "one polygon after the merge");
    use geo::Area;
    assert!((zone.geometry.unsigned_area() - 2.0).abs() < 1e-9);
}

#[test]
fn corroboration_thresholds_are_read_and_checked() {
    let loaded = lint(
        "[evidence.corroboration]\nmax_days = 0\nmax_km = 5\ncoarsest = \"exact\"\nmerge_within_source = true\n",
    );
    let agreement = loaded.agreement.expect("valid");
    let c = &agreement.evidence.corroboration;
    assert_eq!(
        (c.max_days, c.max_km, c.coarsest, c.merge_within_source),
        (0, 5.0, truce_model::report::LocationPrecision::Exact, true)
    );
    let loaded = lint("[evidence.corroboration]\nmax_days = 1.5\ncoarsest = \"town\"\n");
    assert_codes(&loaded, &[Code::InvalidValue, Code::InvalidValue]);
}

#[test]
fn keys_recipients_signers_and_the_ledger_are_read_and_checked() {
    // A real Ed25519 verifier key in signed-note form (the example key of Go's
    // golang.org/x/mod/sumdb/note documentation) and a well-formed age recipient.
    let key = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    // A key whose base64 holds `+` (as about half of them do).
    let plus = "task-force+dcf228db+AaMRl+NtHFIIC9GhL6H8UTfwrKJrjfjdqM++14BofSqG";
    let recipient = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
    let loaded = lint(&format!(
        "[ledger]\norigin = \"mission.example/t\"\nmission_keys = [\"{key}\", \"{plus}\"]\n\
         [[party]]\nid = \"gov\"\nkeys = [\"{key}\"]\nrecipients = [\"{recipient}\"]\n\
         [[party]]\nid = \"opp\"\n\
         [[clause]]\nid = \"c\"\ntext = \"t\"\nby = [\"gov\"]\nkinds = [\"political-violence\"]\n\
         [[bracket]]\nid = \"days\"\nalternatives = [7, 10]\nresolved_by = [\"gov\", \"opp\"]\n\
         [[step]]\nid = \"s\"\nfrom = 2016-09-12\n\
         [[step.condition]]\ntype = \"max-violations-per-day\"\nmax = 0\ndays = \"[days]\"\n\
         [[entitlement]]\nid = \"e\"\nto = \"opp\"\nstep = \"s\"\nwhat = \"w\"\n\
         [[entitlement]]\nid = \"f\"\nto = \"gov\"\nstep = \"s\"\nwhat = \"w\"\npossible_violations_block = false\n"
    ));
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    let agreement = loaded.agreement.expect("valid");
    assert_eq!(agreement.parties[0].keys, [key]);
    assert_eq!(agreement.parties[0].recipients, [recipient]);
    assert!(agreement.parties[1].keys.is_empty());
    assert_eq!(
        agreement.ledger.origin.as_deref(),
        Some("mission.example/t")
    );
    assert_eq!(agreement.ledger.mission_keys, [key, plus]);
    assert_eq!(agreement.brackets[0].signers, [0, 1]);
    assert!(agreement.entitlements[0].possible_violations_block);
    assert!(!agreement.entitlements[1].possible_violations_block);

    // Malformed keys and recipients, an unknown signer and a two-line origin: each located.
    let loaded = lint(&format!(
        "[ledger]\norigin = \" two words \"\n\
         [[party]]\nid = \"gov\"\nkeys = [\"not a key\", \"{key}\", \"{key}\"]\nrecipients = [\"age1short\"]\n\
         [[bracket]]\nid = \"days\"\nalternatives = [7, 10]\nresolved_by = [\"gov\", \"nobody\"]\n"
    ));
    let found = located(&loaded);
    // (code, line, column)
    for expected in [
        (Code::InvalidValue, 5, 10),
        (Code::InvalidValue, 8, 9),
        (Code::DuplicateId, 8, 92),
        (Code::InvalidValue, 9, 15),
        (Code::UnknownReference, 13, 23),
    ] {
        let (code, line, column) = expected;
        assert!(
            found.contains(&(code, Some(line), Some(column))),
            "{expected:?} in {found:?}"
        );
    }
}

// ---------------------------------------------------------------- the terms of issue 14

#[test]
fn a_party_may_guarantee_others_but_not_itself() {
    let loaded = lint(&format!(
        "{PARTIES}[[party]]\nid = \"russia\"\nguarantees = [\"gov\"]\n\
         [[party]]\nid = \"turkey\"\nguarantees = [\"turkey\", \"nobody\"]\n"
    ));
    assert_codes(&loaded, &[Code::InvalidValue, Code::UnknownReference]);
    assert!(
        loaded.diagnostics[0]
            .message
            .contains("cannot guarantee itself")
    );
    let ok = lint(&format!(
        "{PARTIES}[[party]]\nid = \"russia\"\nguarantees = [\"gov\", \"later\"]\n[[party]]\nid = \"later\"\n"
    ));
    assert!(!ok.has_errors(), "{:#?}", ok.diagnostics);
    let agreement = ok.agreement.expect("loads");
    assert_eq!(agreement.parties[2].guarantees, [0, 3]);
}

const STEP_AND_CLAUSE: &str = "[[party]]\nid = \"gov\"\n\
    [[clause]]\nid = \"no-fly\"\ntext = \"t\"\nkinds = [\"air-strike\"]\nby = [\"gov\"]\nfrom_step = \"jic\"\n\
    [[step]]\nid = \"calm\"\nname = \"c\"\nfrom = 2016-09-13\ndays = 7\n\
    [[step.condition]]\ntype = \"max-violations-per-day\"\nmax = 0\ndays = 7\n";

#[test]
fn a_clause_may_start_when_a_step_is_met() {
    let loaded = lint(&format!(
        "{STEP_AND_CLAUSE}[[step]]\nid = \"jic\"\nname = \"j\"\nafter = \"calm\"\n\
         [[step.condition]]\ntype = \"min-events\"\nmin = 1\nkinds = [\"agreement\"]\n\
         [[step]]\nid = \"later\"\nname = \"l\"\nafter = \"jic\"\n\
         [[step.condition]]\ntype = \"max-violations-per-day\"\nmax = 0\ndays = 3\nclauses = [\"no-fly\"]\n"
    ));
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    let agreement = loaded.agreement.expect("loads");
    assert_eq!(agreement.clauses[0].from_step, Some(1));
}

#[test]
fn a_step_cannot_count_a_clause_that_starts_after_it() {
    // `calm` comes before `jic` and names the clause that only starts when `jic` is met.
    let body = STEP_AND_CLAUSE.replace(
        "max = 0\ndays = 7\n",
        "max = 0\ndays = 7\nclauses = [\"no-fly\"]\n",
    );
    let loaded = lint(&format!(
        "{body}[[step]]\nid = \"jic\"\nname = \"j\"\nafter = \"calm\"\n\
         [[step.condition]]\ntype = \"min-events\"\nmin = 1\nkinds = [\"agreement\"]\n"
    ));
    let d = only(&loaded, Code::BadDependency);
    assert!(
        d.message.contains("step `calm` counts clause `no-fly`"),
        "{}",
        d.message
    );
    let unknown = lint(&STEP_AND_CLAUSE.replace("from_step = \"jic\"", "from_step = \"jc\""));
    assert_eq!(only(&unknown, Code::UnknownReference).hint.as_deref(), None);
}

#[test]
fn counting_filters_periods_and_baselines_are_read_and_checked() {
    let loaded = lint(
        "[evidence]\nlongest_span_days = 3\ncoarsest_location = \"district\"\naggregates = true\nsources = [\"ucdp-ged\"]\n\
         [[step]]\nid = \"weeks\"\nname = \"w\"\nfrom = 2016-09-13\n\
         [[step.condition]]\ntype = \"max-violations-per-period\"\nmax = 10\nperiod_days = 7\nperiods = 4\ncoarsest_location = \"exact\"\n\
         [[step.condition]]\ntype = \"falling-trend\"\npercent = 50\nweeks = 2\nbaseline = { from = 2016-08-01, until = 2016-08-28 }\n",
    );
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    let agreement = loaded.agreement.expect("loads");
    let counting = &agreement.evidence.counting;
    assert_eq!(
        (
            counting.longest_span_days,
            counting.coarsest_location.key(),
            counting.aggregates
        ),
        (3, "district", true)
    );
    match &agreement.steps[0].conditions[0] {
        truce_model::agreement::Condition::MaxViolationsPerDay {
            period_days,
            filter,
            ..
        } => {
            assert_eq!(*period_days, 7);
            let own = filter.counting.as_ref().expect("own filter");
            // The condition's own key, over the agreement's others.
            assert_eq!(
                (own.coarsest_location.key(), own.longest_span_days),
                ("exact", 3)
            );
        }
        other => panic!("{other:?}"),
    }
    let bad = lint(
        "[evidence]\ncoarsest_location = \"village\"\n\
         [[step]]\nid = \"weeks\"\nname = \"w\"\nfrom = 2016-09-13\n\
         [[step.condition]]\ntype = \"max-violations-per-period\"\nmax = 10\nperiods = 4\n\
         [[step.condition]]\ntype = \"falling-trend\"\npercent = 150\nbaseline = { from = 2016-08-10, until = 2016-08-01 }\n\
         [[step.condition]]\ntype = \"falling-trend\"\npercent = 50\nbaseline = { from = 2016-08-01, until = 2016-08-03 }\n",
    );
    assert_codes(
        &bad,
        &[
            Code::InvalidValue,
            Code::MissingField,
            Code::InvalidValue,
            Code::DatesOutOfOrder,
            Code::InvalidValue,
        ],
    );
}

#[test]
fn administrative_units_know_the_names_sources_give_them() {
    let geojson = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"name":"Dayr Az Zawr","name_en":"Deir ez-Zor","iso_3166_2":"SY-DY","fips":"SY05","name_ar":"محافظة دير الزور","name_alt":"Deir Al Zour|Der Azzor"},
       "geometry":{"type":"Polygon","coordinates":[[[40,35],[41,35],[41,36],[40,36],[40,35]]]}}]}"#;
    let loaded = lint_with(
        "[[boundaries]]\nid = \"ne\"\nfile = \"a.geojson\"\n[[zone]]\nid = \"dez\"\nadmin = \"SY-DY\"\n",
        MemoryFiles::default().with("a.geojson", geojson),
    );
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    let agreement = loaded.agreement.expect("loads");
    let unit = agreement.zones[0]
        .admin
        .as_ref()
        .expect("an administrative unit");
    for name in [
        "Deir ez Zor Governorate",
        "DAYR AZ ZAWR",
        "Deir Al Zour governorate",
        "دير الزور",
        "SY05",
        "sy-dy",
    ] {
        assert!(unit.named_by(name), "{name}");
    }
    for name in ["Raqqa Governorate", "Governorate", ""] {
        assert!(!unit.named_by(name), "{name}");
    }
}

/// A step with one `max-deaths` condition whose keys are `keys` (one per line).
fn max_deaths_step(keys: &str) -> String {
    format!(
        "[[party]]\nid = \"gov\"\n[[zone]]\nid = \"box\"\npolygon = [[0, 0], [1, 0], [1, 1], [0, 0]]\n\
         [[bracket]]\nid = \"toll\"\nalternatives = [5, 10]\n\
         [[step]]\nid = \"deaths\"\nname = \"d\"\nfrom = 2016-09-13\n\
         [[step.condition]]\ntype = \"max-deaths\"\n{keys}"
    )
}

#[test]
fn max_deaths_is_read_with_the_keys_of_max_violations() {
    use truce_model::agreement::{Condition, Param};
    let by_week = lint(&max_deaths_step(
        "max = \"[toll]\"\nperiod_days = 7\nperiods = 4\nparties = [\"gov\"]\nzones = [\"box\"]\ncoarsest_location = \"district\"\n",
    ));
    assert!(!by_week.has_errors(), "{:#?}", by_week.diagnostics);
    let agreement = by_week.agreement.expect("loads");
    match &agreement.steps[0].conditions[0] {
        Condition::MaxDeaths {
            max,
            periods,
            period_days,
            filter,
        } => {
            assert_eq!(
                (*max, *periods, *period_days),
                (Param::Bracket(0), Param::Fixed(4.0), 7)
            );
            assert_eq!(
                (filter.parties.as_slice(), filter.zones.as_slice()),
                (&[0][..], &[0][..])
            );
            assert!(filter.counting.is_some());
        }
        other => panic!("{other:?}"),
    }
    let by_day = lint(&max_deaths_step("max = 0\ndays = 3\n"));
    assert!(!by_day.has_errors(), "{:#?}", by_day.diagnostics);
    assert!(matches!(
        by_day.agreement.expect("loads").steps[0].conditions[0],
        Condition::MaxDeaths {
            periods: Param::Fixed(3.0),
            period_days: 1,
            ..
        }
    ));
}

#[test]
fn max_deaths_diagnostics_name_the_key_and_what_was_expected() {
    // An unknown key, with the near miss: `period_day` for `period_days`.
    let loaded = lint(&max_deaths_step("max = 5\nperiod_day = 7\nperiods = 4\n"));
    let d = only(&loaded, Code::UnknownField);
    assert_eq!(d.hint.as_deref(), Some("did you mean `period_days`?"));
    assert!(
        holds(&d.expected, "`zones`") && holds(&d.expected, "`sources`"),
        "the filter and counting keys are allowed: {d}"
    );
    // `period_days` is then missing.
    assert_eq!(
        only(&loaded, Code::MissingField).message,
        "missing field `period_days` in condition #1 of step `deaths`"
    );
    // Wrong types: a word for `max`, a string for `period_days`.
    let loaded = lint(&max_deaths_step(
        "max = \"five\"\nperiod_days = \"7\"\nperiods = 4\n",
    ));
    assert_codes(&loaded, &[Code::InvalidValue, Code::WrongType]);
    assert_eq!(
        loaded.diagnostics[0].message,
        "`max` is neither a number nor a bracket reference"
    );
    assert_eq!(
        (
            loaded.diagnostics[1].found.as_deref(),
            loaded.diagnostics[1].expected.as_deref()
        ),
        (Some("a string"), Some("a number"))
    );
    let loaded = lint(&max_deaths_step("max = true\ndays = 3\n"));
    assert_eq!(
        only(&loaded, Code::WrongType).found.as_deref(),
        Some("a boolean")
    );
    // A negative number of deaths, located on its value.
    let loaded = lint(&max_deaths_step("max = -1\ndays = 3\n"));
    let d = only(&loaded, Code::InvalidValue);
    assert_eq!(d.message, "`max` cannot be negative");
    assert_eq!((d.line, d.column), (Some(18), Some(7)));
    assert!(loaded.agreement.is_none());
    // No run of periods, two runs, and `period_days` beside `days`.
    for (keys, code, message) in [
        (
            "max = 5\n",
            Code::MissingField,
            "missing field `days` or `periods` in condition #1 of step `deaths`",
        ),
        (
            "max = 5\ndays = 7\nperiods = 1\n",
            Code::InvalidValue,
            "condition #1 of step `deaths` has both `days` and `periods`",
        ),
        (
            "max = 5\ndays = 7\nperiod_days = 7\n",
            Code::InvalidValue,
            "`period_days` goes with `periods`, not with `days`",
        ),
        (
            "max = 5\nperiods = 2\nperiod_days = 0\n",
            Code::InvalidValue,
            "`period_days` must be a whole number, 1 or more",
        ),
    ] {
        let loaded = lint(&max_deaths_step(keys));
        assert_eq!(only(&loaded, code).message, message, "{keys}");
        assert_eq!(
            loaded.diagnostics.len(),
            1,
            "{keys}: {:#?}",
            loaded.diagnostics
        );
    }
    // The unknown type names it among the others.
    let loaded = lint(&max_deaths_step("max = 5\ndays = 3\n").replace("max-deaths", "max-death"));
    let d = only(&loaded, Code::InvalidValue);
    assert!(holds(&d.expected, "`max-deaths`"), "{d}");
}
