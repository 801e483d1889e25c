//! The killed, as a range, from the words that count them: "at least 12 people
//! were killed", "killing more than 60 troops", "between 10 and 15 dead",
//! "dozens killed", "مقتل ١٢ شخصا", and "no casualties" (0, said so).
//!
//! Rules (`docs/extraction.md`): "at least N" and "N" are N (the lowest number,
//! as conflict datasets code it); "more than N" is N + 1; "about N" is N;
//! "between A and B" is A to B with the middle as best; "dozens" is 24,
//! "scores" 40, "hundreds" 200. A count of "killed and wounded" or of
//! "casualties" mixes the wounded in, and is not taken.

use crate::Lang;
use crate::lexicon::{NO_CASUALTIES_AR, NO_CASUALTIES_EN, NUMBER_WORDS_AR, NUMBER_WORDS_EN};
use crate::text::{Token, normalize_phrase};
use truce_model::report::Casualties;

/// A count of the killed and the bytes of its words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundKilled {
    pub killed: Casualties,
    pub start: usize,
    pub end: usize,
    /// The token of the word saying "killed".
    pub token: usize,
}

const KILL_EN: &[&str] = &[
    "killed",
    "killing",
    "kill",
    "kills",
    "dead",
    "died",
    "die",
    "deaths",
    "death",
    "lives",
    "massacred",
    "perished",
];
const KILL_AR: &[&str] = &[
    "مقتل",
    "قتل",
    "قتلى",
    "قتيل",
    "قتيلا",
    "استشهاد",
    "شهداء",
    "شهيد",
    "مصرع",
    "حتفه",
    "حتفهم",
    "قضوا",
];
const WOUNDED_EN: &[&str] = &[
    "wounded",
    "injured",
    "injuring",
    "wounding",
    "casualties",
    "injuries",
];
const WOUNDED_AR: &[&str] = &["جرحى", "جريح", "اصابه", "اصابات", "جرح"];

/// A number at `i` (digits or words): its value and how many tokens it takes.
fn number_at(tokens: &[Token], i: usize, lang: Lang) -> Option<(u64, usize)> {
    let token = tokens.get(i)?;
    if let Some(n) = token.number() {
        return Some((n, 1));
    }
    let words = match lang {
        Lang::En => NUMBER_WORDS_EN,
        Lang::Ar => NUMBER_WORDS_AR,
    };
    for (phrase, value) in words {
        let parts: Vec<&str> = phrase.split(' ').collect();
        if parts
            .iter()
            .enumerate()
            .all(|(k, p)| tokens.get(i + k).is_some_and(|t| t.norm == *p))
        {
            // "twenty five": a tens word and a unit.
            if parts.len() == 1
                && *value >= 20
                && *value < 100
                && let Some((unit, 1)) = tokens.get(i + 1).and_then(|t| {
                    NUMBER_WORDS_EN
                        .iter()
                        .find(|(w, v)| *w == t.norm && *v < 10)
                        .map(|(_, v)| (*v, 1))
                })
            {
                return Some((value + unit, 2));
            }
            return Some((*value, parts.len()));
        }
    }
    None
}

/// The range a count means, with what stands before it; returns the range and
/// the first token of its words.
fn quantified(tokens: &[Token], i: usize, lang: Lang) -> Option<(Casualties, usize, usize)> {
    let (n, width) = number_at(tokens, i, lang)?;
    let n32 = u32::try_from(n).ok()?;
    let before = |k: usize| {
        i.checked_sub(k)
            .and_then(|j| tokens.get(j))
            .map(|t| t.norm.as_str())
    };
    let exact = |low: u32, best: u32, high: u32| Casualties {
        low,
        best,
        high,
        civilians: None,
    };
    // between A and B / A to B
    if (before(1) == Some("between") || before(1) == Some("بين"))
        && let Some((m, w2)) = tokens
            .get(i + width)
            .filter(|t| t.norm == "and" || t.norm == "و")
            .and(number_at(tokens, i + width + 1, lang))
        && let Ok(m32) = u32::try_from(m)
        && m32 >= n32
    {
        return Some((
            exact(n32, n32 + (m32 - n32) / 2, m32),
            i - 1,
            i + width + w2,
        ));
    }
    if let Some((m, w2)) = tokens
        .get(i + width)
        .filter(|t| t.norm == "to")
        .and(number_at(tokens, i + width + 1, lang))
        && let Ok(m32) = u32::try_from(m)
        && m32 > n32
    {
        return Some((exact(n32, n32 + (m32 - n32) / 2, m32), i, i + width + w2));
    }
    let quantifier = match (before(2), before(1)) {
        (Some("at"), Some("least")) => Some((2, exact(n32, n32, n32))),
        (Some("more"), Some("than")) => Some((2, exact(n32 + 1, n32 + 1, n32 + 1))),
        (_, Some("over")) => Some((1, exact(n32 + 1, n32 + 1, n32 + 1))),
        (
            _,
            Some("about" | "around" | "nearly" | "almost" | "approximately" | "some" | "roughly"),
        ) => Some((1, exact(n32, n32, n32))),
        (_, Some("اكثر")) | (Some("اكثر"), Some("من")) => Some((
            if before(1) == Some("من") { 2 } else { 1 },
            exact(n32 + 1, n32 + 1, n32 + 1),
        )),
        (_, Some("نحو" | "حوالي")) => Some((1, exact(n32, n32, n32))),
        _ => None,
    };
    match quantifier {
        Some((back, range)) => Some((range, i - back, i + width - 1)),
        None => Some((exact(n32, n32, n32), i, i + width - 1)),
    }
}

/// The counts of the killed in one sentence's tokens, each tied to its "killed" word.
pub fn find_killed(sentence: &str, tokens: &[Token], lang: Lang) -> Vec<FoundKilled> {
    let (kill, wounded) = match lang {
        Lang::En => (KILL_EN, WOUNDED_EN),
        Lang::Ar => (KILL_AR, WOUNDED_AR),
    };
    let mut out = Vec::new();
    // "No casualties": 0, said so.
    let none = match lang {
        Lang::En => NO_CASUALTIES_EN,
        Lang::Ar => NO_CASUALTIES_AR,
    };
    for phrase in none {
        let words = normalize_phrase(phrase);
        for i in 0..tokens.len() {
            if words
                .iter()
                .enumerate()
                .all(|(k, w)| tokens.get(i + k).is_some_and(|t| &t.norm == w))
            {
                out.push(FoundKilled {
                    killed: Casualties::default(),
                    start: tokens[i].start,
                    end: tokens[i + words.len() - 1].end,
                    token: i,
                });
            }
        }
    }
    let _ = sentence;
    for (k, token) in tokens.iter().enumerate() {
        let norm = token.norm.as_str();
        let is_kill = kill.contains(&norm)
            || (lang == Lang::Ar
                && ["و", "ب", "ل"]
                    .iter()
                    .any(|p| norm.strip_prefix(p).is_some_and(|r| kill.contains(&r))));
        if !is_kill {
            continue;
        }
        // "killed and wounded", "dead or injured": the count mixes in the wounded.
        let mixed = tokens
            .get(k + 1)
            .is_some_and(|t| t.norm == "and" || t.norm == "or" || t.norm == "و")
            && tokens
                .get(k + 2)
                .is_some_and(|t| wounded.contains(&t.norm.as_str()));
        if mixed {
            continue;
        }
        // Number before the kill word, within 7 words, with no wounded word or other number between.
        let mut found = None;
        for back in 1..=7 {
            let Some(i) = k.checked_sub(back) else { break };
            if wounded.contains(&tokens[i].norm.as_str()) {
                break;
            }
            if number_at(tokens, i, lang).is_some() {
                // The start of a multi-word number or a range ends at the nearest number.
                let first = (i.saturating_sub(3)..=i)
                    .find(|&j| quantified(tokens, j, lang).is_some_and(|(_, _, last)| last >= i))
                    .unwrap_or(i);
                if let Some((range, from, last)) = quantified(tokens, first, lang) {
                    let after_number = tokens.get(last + 1).map(|t| t.norm.as_str());
                    if !after_number.is_some_and(|w| wounded.contains(&w)) {
                        found = Some((range, from, k));
                    }
                }
                break;
            }
        }
        // Number after the kill word ("killing more than 60", "kill 8 citizens", "death toll rose to 30").
        if found.is_none() {
            for ahead in 1..=5 {
                let i = k + ahead;
                let Some(t) = tokens.get(i) else { break };
                if wounded.contains(&t.norm.as_str()) {
                    break;
                }
                if number_at(tokens, i, lang).is_some() {
                    let first = (i.saturating_sub(3).max(k + 1)..=i)
                        .find(|&j| {
                            quantified(tokens, j, lang).is_some_and(|(_, _, last)| last >= i)
                        })
                        .unwrap_or(i);
                    if let Some((range, from, last)) = quantified(tokens, first, lang) {
                        let after_number = tokens.get(last + 1).map(|t| t.norm.as_str());
                        if !after_number.is_some_and(|w| wounded.contains(&w)) {
                            found = Some((range, k.min(from), last.max(k)));
                        }
                    }
                    break;
                }
            }
        }
        if let Some((range, from, to)) = found {
            let (from, to) = (from.min(k), to.max(k));
            out.push(FoundKilled {
                killed: range,
                start: tokens[from].start,
                end: tokens[to].end,
                token: k,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens;

    fn killed(text: &str) -> Vec<(u32, u32, u32, String)> {
        let words = tokens(text);
        find_killed(text, &words, Lang::of_text(text))
            .into_iter()
            .map(|f| {
                (
                    f.killed.low,
                    f.killed.best,
                    f.killed.high,
                    text[f.start..f.end].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn counts_of_the_killed() {
        assert_eq!(
            killed("At least 30 people are killed in an airstrike")[0],
            (30, 30, 30, "At least 30 people are killed".into())
        );
        assert_eq!(killed("killing more than 60 Syrian troops")[0].0, 61);
        assert_eq!(
            killed("between 10 and 15 were killed")[0],
            (10, 12, 15, "between 10 and 15 were killed".into())
        );
        assert_eq!(killed("3 killed by U.S.-led airstrike")[0].0, 3);
        assert_eq!(killed("twenty five people died")[0].0, 25);
        assert_eq!(killed("dozens killed in the shelling")[0].0, 24);
        assert_eq!(killed("مقتل ١٢ شخصا")[0].0, 12);
        assert_eq!(killed("the strike caused no casualties")[0].0, 0);
    }

    #[test]
    fn counts_mixing_the_wounded_are_not_taken() {
        assert!(killed("more than 30 killed and wounded in the city").is_empty());
        assert!(killed("At least 20 casualties at the northern countryside").is_empty());
        assert!(killed("12 wounded, 3 killed").iter().all(|k| k.0 == 3));
    }
}
