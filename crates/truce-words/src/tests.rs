use super::*;
use fluent_syntax::ast;
use std::collections::{BTreeMap, BTreeSet};

/// Every message and term of a language, with the variables each places.
fn entries(language: Language) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for file in catalogue_files(language) {
        let resource = fluent_syntax::parser::parse(*file).unwrap_or_else(|(_, errors)| {
            panic!(
                "a {} catalogue file does not parse: {errors:?}",
                language.tag()
            )
        });
        for entry in resource.body {
            let (name, pattern) = match entry {
                ast::Entry::Message(m) => (m.id.name.to_string(), m.value),
                ast::Entry::Term(t) => (format!("-{}", t.id.name), Some(t.value)),
                _ => continue,
            };
            let mut variables = BTreeSet::new();
            if let Some(pattern) = pattern {
                for element in pattern.elements {
                    if let ast::PatternElement::Placeable {
                        expression:
                            ast::Expression::Inline(ast::InlineExpression::VariableReference { id }),
                    } = element
                    {
                        variables.insert(id.name.to_string());
                    }
                }
            }
            assert!(
                out.insert(name.clone(), variables).is_none(),
                "`{name}` is written twice in the {} catalogue",
                language.tag()
            );
        }
    }
    out
}

#[test]
fn every_language_has_the_english_keys_and_places_the_same_values() {
    let english = entries(Language::English);
    assert!(english.len() > 100, "{} English entries", english.len());
    for language in Language::ALL {
        let other = entries(language);
        let missing: Vec<&String> = english.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<&String> = other.keys().filter(|k| !english.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{} lacks {missing:?}", language.tag());
        assert!(
            extra.is_empty(),
            "{} has keys English lacks: {extra:?}",
            language.tag()
        );
        for (key, variables) in &english {
            assert_eq!(
                &other[key],
                variables,
                "`{key}` places other values in {}",
                language.tag()
            );
        }
    }
}

/// The keys the code says, read from its source: every string literal that
/// starts like a catalogue key, in the crates that build messages.
fn keys_in_source() -> BTreeSet<String> {
    let prefixes = [
        "reason-",
        "disclosed-",
        "date-",
        "window-",
        "period-",
        "location-precision-",
        "designation-",
        "join-",
        "status-",
        "step-",
        "condition-",
        "period-unit-",
        "chronology-",
        "entitlement-",
        "api-",
    ];
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut keys = BTreeSet::new();
    let mut folders = vec![
        root.join("truce-engine/src"),
        root.join("truce-model/src"),
        root.join("truce-server/src"),
        root.join("truce-words/src/lib.rs"),
    ];
    while let Some(path) = folders.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).expect("a source folder") {
                folders.push(entry.expect("an entry").path());
            }
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a source file");
        for piece in text.split('"').skip(1).step_by(2) {
            // The chronology's kinds of entry (`what`) are codes of the output, not keys.
            let code = ["step-ends", "step-met", "step-window"].contains(&piece);
            let looks_like_a_key = !code
                && prefixes.iter().any(|p| piece.starts_with(p))
                && piece.chars().all(|c| c.is_ascii_lowercase() || c == '-');
            if looks_like_a_key {
                keys.insert(piece.to_string());
            }
        }
    }
    keys
}

#[test]
fn every_key_the_code_says_is_in_the_catalogue() {
    let english = entries(Language::English);
    let said = keys_in_source();
    assert!(said.len() > 80, "{} keys found in the source", said.len());
    let missing: Vec<&String> = said.iter().filter(|k| !english.contains_key(*k)).collect();
    assert!(
        missing.is_empty(),
        "said but not in the catalogue: {missing:?}"
    );
}

#[test]
fn english_renders_as_the_stable_format_writes_it() {
    let message = Message::new("reason-attribution-certain")
        .with(
            "responsible",
            Arg::list(
                vec![
                    Message::new("reason-code").with("id", "gov").into(),
                    Message::new("reason-code").with("id", "opp").into(),
                ],
                Joiner::Or,
            ),
        )
        .with("guarantors", Message::new("reason-no-guarantors"));
    assert_eq!(
        english(&message),
        "certain violation; responsible: `gov` or `opp`"
    );
    let kind = Message::new("reason-kind-plain")
        .with(
            "source",
            Message::new("reason-kind-source-label").with("label", "UCDP 1"),
        )
        .with("kind", "attack")
        .with(
            "unknown",
            Message::new("reason-kind-unknown").with("kind", "x"),
        );
    // The spaces Fluent would trim are kept.
    assert_eq!(
        english(&kind),
        "UCDP 1 → `attack` (kind `x` is not in the taxonomy; read as any event)"
    );
}

#[test]
fn arabic_has_its_digits_dates_and_words() {
    let day = Day::from_ymd(2016, 9, 12).expect("a day");
    let message = Message::new("reason-evidence-pooled")
        .with("times", Arg::number(3))
        .with("reports", "ged:1, ged:2, ged:3")
        .with("sources", "ged");
    let text = render(&message, Language::Arabic);
    assert!(text.contains('٣'), "{text}");
    assert!(text.contains("ged:1"), "ids stay as written: {text}");
    assert!(!text.contains("reported"), "{text}");
    let span = Message::new("date-span-one").with("first", day);
    assert!(render(&span, Language::Arabic).contains("١٢ سبتمبر ٢٠١٦"));
    assert_eq!(english(&span), "2016-09-12");
    assert_eq!(digits("2.5", Language::Arabic), "٢٫٥");
}

#[test]
fn a_missing_key_falls_back_to_english_then_shows_itself() {
    let unknown = Message::new("reason-no-such-key").with("n", Arg::number(1));
    assert_eq!(
        render(&unknown, Language::Arabic),
        "[reason-no-such-key: n=1]"
    );
    assert_eq!(render(&Message::default(), Language::Arabic), "");
}

#[test]
fn the_accept_language_header_picks_a_language_truce_speaks() {
    for (header, expected) in [
        ("ar-SY,ar;q=0.9", Language::Arabic),
        ("fr-FR, ar;q=0.5, en;q=0.8", Language::English),
        ("fr, ar;q=0.2", Language::Arabic),
        ("ar;q=0, en", Language::English),
        ("", Language::English),
        ("*", Language::English),
    ] {
        assert_eq!(Language::from_accept_language(header), expected, "{header}");
    }
}

#[test]
fn in_arabic_the_values_are_isolated_and_the_words_are_not() {
    let side = Message::new("reason-initiator-named").with(
        "side",
        Message::new("reason-side")
            .with("field", "side_a")
            .with("names", "Government of Syria"),
    );
    let text = render(&side, Language::Arabic);
    assert_eq!(
        text,
        "يذكر المصدر أن \u{2068}side_a\u{2069} «\u{2068}Government of Syria\u{2069}» قام بالفعل"
    );
    // What is left once the values are taken out is the catalogue's Arabic.
    let words = own_words(&text);
    assert!(!words.chars().any(|c| c.is_ascii_alphabetic()), "{words}");
    assert_eq!(
        english(&side),
        "the source says side_a \"Government of Syria\" carried out the act"
    );
}

#[test]
fn the_arabic_catalogue_writes_no_latin_word_of_its_own() {
    for file in catalogue_files(Language::Arabic) {
        let resource = fluent_syntax::parser::parse(*file).expect("parses");
        for entry in resource.body {
            let (name, pattern) = match entry {
                ast::Entry::Message(m) => (m.id.name, m.value),
                ast::Entry::Term(t) => (t.id.name, Some(t.value)),
                _ => continue,
            };
            for element in pattern.into_iter().flat_map(|p| p.elements) {
                if let ast::PatternElement::TextElement { value } = element {
                    assert!(
                        !value.chars().any(|c| c.is_ascii_alphabetic()),
                        "`{name}` writes Latin letters in Arabic: {value}"
                    );
                }
            }
        }
    }
}
