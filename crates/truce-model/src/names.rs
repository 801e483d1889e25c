//! Matching names as they appear in evidence against an agreement's aliases.
//!
//! The same group is written "Jabhat al-Nusra", "Jabhat an-Nusra", "JABHAT AL NUSRAH",
//! "Jabhat al‑Nuṣra" or "جبهة النصرة". Two keys are computed for every name:
//!
//! * the **exact key** ignores case, diacritics, punctuation, the Arabic article's
//!   spellings (al-, el-, an-, ash-, …), ACLED's trailing year ranges ("(2000-)")
//!   and, for Arabic script, hamza/alef/ta-marbuta variants;
//! * the **transliteration key** further folds the letters that romanisations of
//!   Arabic and Cyrillic disagree on (e/a, o/u, q/k, final -h, doubled letters…).
//!
//! The exact key decides first; the transliteration key is used only for names
//! long enough that folding cannot make unrelated short acronyms collide ("IS"
//! and "US" must never match), and an ambiguous fold is reported, never guessed.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Shortest exact key (in characters) for which the transliteration key is used.
pub const MIN_FOLD_LENGTH: usize = 6;

/// The Arabic article in its romanisations ("al-", "ash-", "ad-" …), as words.
pub const ARTICLES: &[&str] = &[
    "al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "adh", "ath", "ul", "ud", "us", "ut",
];

/// The exact matching key of a name (see the module documentation).
pub fn exact_key(name: &str) -> String {
    let without_years = strip_year_ranges(name);
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    for ch in without_years.nfkd() {
        if is_combining_mark(ch) || is_arabic_mark(ch) {
            continue;
        }
        let ch = fold_arabic_letter(ch);
        if ch.is_alphanumeric() {
            for lower in ch.to_lowercase() {
                current.push(lower);
            }
        } else if matches!(ch, '\'' | '’' | '‘' | 'ʿ' | 'ʾ' | '`' | '´' | 'ʼ' | 'ʻ') {
            // Apostrophes mark ayn and hamza in romanised Arabic ("Ma'arrat"): drop them inside words.
        } else if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    let mut out = String::new();
    let count = words.len();
    for (i, word) in words.iter().enumerate() {
        // "al" standing alone before another word is the article in any of its spellings.
        let word = if count > 1 && i + 1 < count && ARTICLES.contains(&word.as_str()) {
            "al"
        } else {
            word.as_str()
        };
        let word = without_arabic_article(word);
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A word without the Arabic article `ال` joined to it, when at least two
/// letters remain (so a short word that only begins like it is kept whole).
pub fn without_arabic_article(word: &str) -> &str {
    word.strip_prefix("ال")
        .filter(|rest| rest.chars().count() >= 2)
        .unwrap_or(word)
}

/// The transliteration-insensitive key of an exact key.
pub fn fold_key(exact: &str) -> String {
    let mut out = String::with_capacity(exact.len());
    for word in exact.split(' ') {
        if word == "al" || word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&fold_word(word));
    }
    out
}

fn fold_word(word: &str) -> String {
    let mut s = String::with_capacity(word.len());
    let chars: Vec<char> = word.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let (mapped, consumed) = match (c, next) {
            ('k', Some('h')) => ('h', 2),
            ('g', Some('h')) => ('g', 2),
            ('d', Some('h')) => ('d', 2),
            ('t', Some('h')) => ('t', 2),
            ('s', Some('h')) => ('s', 2),
            ('c', Some('h')) => ('s', 2),
            ('z', Some('h')) => ('z', 2),
            ('p', Some('h')) => ('f', 2),
            ('o', Some('u')) => ('u', 2),
            ('e', Some('e')) => ('i', 2),
            ('o', Some('o')) => ('u', 2),
            ('d', Some('j')) => ('j', 2),
            ('e', _) | ('a', _) => ('a', 1),
            ('o', _) | ('u', _) | ('w', _) => ('u', 1),
            ('i', _) | ('y', _) => ('i', 1),
            ('q', _) | ('c', _) => ('k', 1),
            _ => (c, 1),
        };
        i += consumed;
        // Doubled letters (gemination) are written or not depending on the romanisation.
        if !s.ends_with(mapped) {
            s.push(mapped);
        }
    }
    // A final -h (ta marbuta) is written or not: "Nusra" / "Nusrah".
    if s.len() > 2 && s.ends_with('h') {
        s.pop();
    }
    s
}

fn strip_year_ranges(name: &str) -> String {
    // ACLED suffixes state forces with their period, e.g. "Military Forces of Syria (2000-)".
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(open) = rest.find('(') {
        let (before, after) = rest.split_at(open);
        out.push_str(before);
        match after.find(')') {
            Some(close) if is_year_range(&after[1..close]) => rest = &after[close + 1..],
            _ => {
                out.push('(');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_year_range(inner: &str) -> bool {
    let inner = inner.trim();
    let mut parts = inner.splitn(2, '-');
    let first = parts.next().unwrap_or("");
    let second = parts.next();
    let is_year = |s: &str| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit());
    is_year(first) && second.is_some_and(|s| s.is_empty() || is_year(s.trim()))
}

fn is_arabic_mark(ch: char) -> bool {
    // Harakat, tanwin, shadda, sukun, superscript alef, and tatweel.
    matches!(ch, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')
}

fn fold_arabic_letter(ch: char) -> char {
    match ch {
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ة' => 'ه',
        'ى' => 'ي',
        'ؤ' => 'و',
        'ئ' => 'ي',
        _ => ch,
    }
}

/// The allowed name closest to `name`, if it is close enough to be a typo (at most
/// 2 edits, or a quarter of the candidate's characters): the "did you mean" of every
/// located diagnostic, in agreements and in report-form mappings alike.
pub fn closest<'a>(name: &str, allowed: &[&'a str]) -> Option<&'a str> {
    allowed
        .iter()
        .map(|candidate| (edit_distance(name, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.chars().count() / 4))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance, in characters (not bytes: Arabic names count per letter).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            current[j] = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_share_an_exact_key() {
        assert_eq!(exact_key("Jabhat al-Nusra"), exact_key("JABHAT AL NUSRA"));
        assert_eq!(exact_key("Jabhat an-Nusra"), exact_key("Jabhat al-Nusra"));
        assert_eq!(exact_key("Jabhat al‑Nuṣra"), exact_key("jabhat al nusra"));
        assert_eq!(
            exact_key("Military Forces of Syria (2000-)"),
            exact_key("military forces of syria")
        );
        assert_eq!(exact_key("Ma'arrat al-Nu'man"), "maarrat al numan");
        assert_eq!(exact_key("حَلَب"), exact_key("حلب"));
        assert_eq!(exact_key("الرقة"), exact_key("رقه"));
    }

    #[test]
    fn transliterations_share_a_fold_key() {
        let a = fold_key(&exact_key("Jabhat al-Nusra"));
        assert_eq!(a, fold_key(&exact_key("Jebhat an-Nusrah")));
        assert_eq!(
            fold_key(&exact_key("Hayat Tahrir al-Sham")),
            fold_key(&exact_key("Hay'at Tahrir ash-Sham"))
        );
        assert_ne!(fold_key(&exact_key("IS")), fold_key(&exact_key("SDF")));
    }
}
