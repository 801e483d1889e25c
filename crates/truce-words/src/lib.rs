//! The words truce writes for people, in each language it speaks.
//!
//! The engine says what it found as [`Message`]s: a catalogue key and the values
//! the sentence places. This crate renders them from the Fluent catalogues under
//! `locales/` (one folder a language, embedded in the binary): English for the
//! stable JSON, the CLI and the reports, the reader's language in the dashboard.
//! A translator edits a `.ftl` file; the tests hold every catalogue to the same
//! keys and the same values as the English one.
//!
//! Rendering never fails: a key a catalogue lacks falls back to English, and one
//! English lacks too is shown as the key with its values, so a gap reads as a gap.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use std::collections::HashMap;
use std::sync::LazyLock;
use truce_model::message::{Arg, Joiner, Message};
use truce_model::time::{Day, MINUTES_PER_DAY, Minute};

/// A language truce speaks.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    English,
    Arabic,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::English, Language::Arabic];

    /// The BCP 47 tag (`en`, `ar`).
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Arabic => "ar",
        }
    }

    /// The language a tag names (`ar`, `ar-SY`, `en-GB`…); `None` for one truce
    /// does not speak.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Language::ALL.into_iter().find(|l| l.tag() == primary)
    }

    /// The first language of an `Accept-Language` header that truce speaks, in the
    /// header's order of preference; English when it names none.
    pub fn from_accept_language(header: &str) -> Language {
        let mut offered: Vec<(f32, usize, Language)> = header
            .split(',')
            .enumerate()
            .filter_map(|(position, item)| {
                let mut parts = item.split(';');
                let language = Language::from_tag(parts.next()?)?;
                let weight = parts
                    .filter_map(|p| p.trim().strip_prefix("q="))
                    .find_map(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                (weight > 0.0).then_some((weight, position, language))
            })
            .collect();
        offered.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        offered.first().map_or(Language::English, |o| o.2)
    }
}

/// The catalogue files of each language, in the order they are added to its bundle.
const CATALOGUES: [(Language, &[&str]); 2] = [
    (
        Language::English,
        &[
            include_str!("../locales/en/common.ftl"),
            include_str!("../locales/en/errors.ftl"),
            include_str!("../locales/en/reasons.ftl"),
            include_str!("../locales/en/server.ftl"),
            include_str!("../locales/en/steps.ftl"),
        ],
    ),
    (
        Language::Arabic,
        &[
            include_str!("../locales/ar/common.ftl"),
            include_str!("../locales/ar/errors.ftl"),
            include_str!("../locales/ar/reasons.ftl"),
            include_str!("../locales/ar/server.ftl"),
            include_str!("../locales/ar/steps.ftl"),
        ],
    ),
];

/// The catalogue files of a language, as embedded (for the tests and the docs).
pub fn catalogue_files(language: Language) -> &'static [&'static str] {
    CATALOGUES
        .iter()
        .find(|(l, _)| *l == language)
        .map_or(&[], |(_, files)| files)
}

struct Catalogue {
    language: Language,
    bundle: FluentBundle<FluentResource>,
}

static BUNDLES: LazyLock<Vec<Catalogue>> = LazyLock::new(|| {
    CATALOGUES
        .iter()
        .map(|(language, files)| {
            let tag = language.tag().parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![tag]);
            // The values come isolated already where they need it (`write_value`).
            bundle.set_use_isolating(false);
            for file in *files {
                // A file that does not parse keeps what did; the tests fail on it.
                let resource = FluentResource::try_new(file.to_string()).unwrap_or_else(|(r, _)| r);
                let _ = bundle.add_resource(resource);
            }
            Catalogue {
                language: *language,
                bundle,
            }
        })
        .collect()
});

fn bundle(language: Language) -> Option<&'static FluentBundle<FluentResource>> {
    BUNDLES
        .iter()
        .find(|c| c.language == language)
        .map(|c| &c.bundle)
}

/// A message in English: the words of the stable JSON, the CLI and the reports.
pub fn english(message: &Message) -> String {
    render(message, Language::English)
}

/// A message in `language`; the empty message is the empty string.
pub fn render(message: &Message, language: Language) -> String {
    let mut out = String::new();
    render_into(message, language, &mut out);
    out
}

/// Appends a message in `language` to `out`: a million reasons are written
/// into one buffer, not each into a string of its own.
pub fn render_into(message: &Message, language: Language, out: &mut String) {
    if message.is_empty() {
        return;
    }
    let start = out.len();
    if write(message, language, out).is_some() {
        return;
    }
    out.truncate(start);
    if language != Language::English && write(message, Language::English, out).is_some() {
        return;
    }
    out.truncate(start);
    // Neither catalogue has the key: show it, so the gap is seen, not hidden.
    out.push('[');
    out.push_str(message.key);
    out.push_str(": ");
    for (n, (name, arg)) in message.args.iter().enumerate() {
        if n > 0 {
            out.push_str(", ");
        }
        out.push_str(name);
        out.push('=');
        write_value(arg, Language::English, out);
    }
    out.push(']');
}

/// Writes the message from `language`'s catalogue; `None` when the key is not
/// there or a value it places is missing.
fn write(message: &Message, language: Language, out: &mut String) -> Option<()> {
    match templates(language).get(message.key)? {
        Some(template) => {
            for piece in template {
                match piece {
                    Piece::Text(text) => out.push_str(text),
                    Piece::Value(name) => {
                        let (_, arg) = message.args.iter().find(|(n, _)| n == name)?;
                        write_value(arg, language, out);
                    }
                }
            }
            Some(())
        }
        None => {
            out.push_str(&format(message, language)?);
            Some(())
        }
    }
}

/// A piece of a simple pattern: its text, or the value it places.
enum Piece {
    Text(&'static str),
    Value(&'static str),
}

/// Each language's patterns that are text and values only (most of them),
/// compiled once to pieces written straight into the output; `None` for a
/// pattern that needs Fluent itself (a selector: plural forms).
static TEMPLATES: LazyLock<Vec<(Language, Templates)>> = LazyLock::new(|| {
    CATALOGUES
        .iter()
        .map(|(language, files)| (*language, compile(files)))
        .collect()
});

/// A language's compiled patterns by key.
type Templates = HashMap<&'static str, Option<Vec<Piece>>>;

fn templates(language: Language) -> &'static Templates {
    static EMPTY: LazyLock<Templates> = LazyLock::new(HashMap::new);
    TEMPLATES
        .iter()
        .find(|(l, _)| *l == language)
        .map_or(&EMPTY, |(_, t)| t)
}

fn compile(files: &[&'static str]) -> Templates {
    let mut terms = HashMap::new();
    let mut messages = Vec::new();
    for file in files {
        // A file that does not parse keeps what did; the tests fail on it.
        let resource = fluent_syntax::parser::parse(*file).unwrap_or_else(|(r, _)| r);
        for entry in resource.body {
            match entry {
                ast::Entry::Message(m) => {
                    if let Some(value) = m.value {
                        messages.push((m.id.name, value));
                    }
                }
                ast::Entry::Term(t) => {
                    terms.insert(t.id.name, t.value);
                }
                _ => {}
            }
        }
    }
    messages
        .into_iter()
        .map(|(key, pattern)| {
            let mut pieces = Vec::new();
            let simple = pieces_of(&pattern, &terms, &mut pieces, 0);
            (key, simple.then_some(pieces))
        })
        .collect()
}

/// The pieces of a pattern; false when it is not text, values, string literals
/// and terms only.
fn pieces_of(
    pattern: &ast::Pattern<&'static str>,
    terms: &HashMap<&'static str, ast::Pattern<&'static str>>,
    pieces: &mut Vec<Piece>,
    depth: usize,
) -> bool {
    for element in &pattern.elements {
        match element {
            ast::PatternElement::TextElement { value } => pieces.push(Piece::Text(value)),
            ast::PatternElement::Placeable { expression } => match expression {
                ast::Expression::Inline(ast::InlineExpression::VariableReference { id }) => {
                    pieces.push(Piece::Value(id.name))
                }
                ast::Expression::Inline(ast::InlineExpression::StringLiteral { value })
                    if !value.contains('\\') =>
                {
                    pieces.push(Piece::Text(value))
                }
                ast::Expression::Inline(ast::InlineExpression::TermReference {
                    id,
                    attribute: None,
                    arguments: None,
                }) if depth < 4 => match terms.get(id.name) {
                    Some(term) if pieces_of(term, terms, pieces, depth + 1) => {}
                    _ => return false,
                },
                _ => return false,
            },
        }
    }
    true
}

/// The message by Fluent itself; `None` when the key is not there or a value it
/// places is missing.
fn format(message: &Message, language: Language) -> Option<String> {
    let bundle = bundle(language)?;
    let pattern = bundle.get_message(message.key)?.value()?;
    let mut args = FluentArgs::with_capacity(message.args.len());
    for (name, arg) in &message.args {
        let mut text = String::new();
        write_value(arg, language, &mut text);
        args.set(*name, FluentValue::from(text));
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
    errors.is_empty().then(|| text.into_owned())
}

/// The words a catalogue wrote in `text`, a sentence rendered outside English:
/// the text without the values it places, which [`render`] sets between
/// isolation marks (ids, names, numbers, dates). What checks a translation
/// reads: no English word may be left in it.
pub fn own_words(text: &str) -> String {
    let mut depth = 0usize;
    let mut words = String::new();
    for c in text.chars() {
        match c {
            '\u{2068}' => depth += 1,
            '\u{2069}' => depth = depth.saturating_sub(1),
            _ if depth == 0 => words.push(c),
            _ => {}
        }
    }
    words
}

/// One value as `language` writes it. A value that is not a sentence of the
/// catalogue (an id, a name, a number, a date) is set between Unicode isolation
/// marks outside English, as Fluent does: a Latin id or a number keeps its place
/// inside Arabic. A sentence placed in another is in the same language, so it
/// is written inline.
fn write_value(arg: &Arg, language: Language, out: &mut String) {
    let isolate = language != Language::English
        && !matches!(arg, Arg::Message(_) | Arg::Shared(_) | Arg::List(..));
    if isolate {
        out.push('\u{2068}');
    }
    match arg {
        Arg::Verbatim(text) => out.push_str(text),
        Arg::Number(number) => out.push_str(&digits(number, language)),
        Arg::Day(day) => out.push_str(&day_text(*day, language)),
        Arg::Minute(minute) => out.push_str(&minute_text(*minute, language)),
        Arg::Message(message) => render_into(message, language, out),
        Arg::Shared(message) => render_into(message, language, out),
        Arg::List(items, joiner) => {
            let key = match joiner {
                Joiner::Or => "join-or",
                Joiner::Comma => "join-comma",
                Joiner::Semicolon => "join-semicolon",
                Joiner::Space => "join-space",
            };
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    render_into(&Message::new(key), language, out);
                }
                write_value(item, language, out);
            }
        }
    }
    if isolate {
        out.push('\u{2069}');
    }
}

/// A number with the language's digits (Arabic: ٠–٩ and the decimal sign ٫, as
/// the dashboard writes numbers for `ar`).
fn digits(number: &str, language: Language) -> std::borrow::Cow<'_, str> {
    match language {
        Language::English => std::borrow::Cow::Borrowed(number),
        Language::Arabic => number
            .chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(0x0660 + (c as u32 - '0' as u32)).unwrap_or(c),
                '.' => '\u{066B}',
                other => other,
            })
            .collect::<String>()
            .into(),
    }
}

const ARABIC_MONTHS: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];

/// A day as the language writes it: ISO in English (the stable JSON's form),
/// "١٢ سبتمبر ٢٠١٦" in Arabic (the dashboard's `ar-EG` dates).
fn day_text(day: Day, language: Language) -> String {
    match language {
        Language::English => day.to_string(),
        Language::Arabic => {
            let (year, month, date) = day.ymd();
            let month = ARABIC_MONTHS
                .get((month as usize).wrapping_sub(1))
                .copied()
                .unwrap_or("?");
            format!(
                "{} {month} {}",
                digits(&date.to_string(), language),
                digits(&year.to_string(), language)
            )
        }
    }
}

/// A day with its time of day when it has one, as `Minute`'s `Display` writes it
/// in English.
fn minute_text(minute: Minute, language: Language) -> String {
    match language {
        Language::English => minute.to_string(),
        Language::Arabic => {
            let rest = minute.0.rem_euclid(MINUTES_PER_DAY);
            let day = day_text(minute.day(), language);
            if rest == 0 {
                day
            } else {
                let time = format!("{:02}:{:02}", rest / 60, rest % 60);
                format!("{day} {}", digits(&time, language))
            }
        }
    }
}

#[cfg(test)]
mod tests;
