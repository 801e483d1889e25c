//! Words and sentences with their byte offsets in the document's text.
//!
//! Matching works on normalised words (lower case, no diacritics, Arabic letter
//! variants folded, Arabic-Indic digits as ASCII) while every word keeps the
//! bytes it came from, so whatever is found can be pointed at in the source.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// One word (or number) of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Bytes `start..end` of the text it was read from.
    pub start: usize,
    pub end: usize,
    /// The normalised form matching is done on.
    pub norm: String,
    /// Its first letter is upper case (a name, in English).
    pub capitalized: bool,
}

impl Token {
    /// The number the token writes, when it is one (`1,100`, `١٢`).
    pub fn number(&self) -> Option<u64> {
        let digits: String = self.norm.chars().filter(|c| *c != ',').collect();
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok()
    }
}

fn is_arabic_mark(ch: char) -> bool {
    matches!(ch, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' | '\u{06D6}'..='\u{06ED}')
}

/// The normalised form of one character (none for a mark that is dropped).
fn fold_char(ch: char, out: &mut String) {
    if is_arabic_mark(ch) {
        return;
    }
    let ch = match ch {
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ى' => 'ي',
        'ة' => 'ه',
        'ؤ' => 'و',
        'ئ' => 'ي',
        '٠'..='٩' => char::from(b'0' + (ch as u32 - '٠' as u32) as u8),
        '۰'..='۹' => char::from(b'0' + (ch as u32 - '۰' as u32) as u8),
        _ => ch,
    };
    for decomposed in ch.nfkd() {
        if is_combining_mark(decomposed) {
            continue;
        }
        for lower in decomposed.to_lowercase() {
            out.push(lower);
        }
    }
}

/// Normalises a phrase the way tokens are: words separated by single spaces.
pub fn normalize_phrase(phrase: &str) -> Vec<String> {
    tokens(phrase).into_iter().map(|t| t.norm).collect()
}

fn is_word_char(ch: char) -> bool {
    ch.is_alphanumeric() || is_arabic_mark(ch)
}

/// The words of `text`. A word is a run of letters and digits; an apostrophe
/// inside a word is kept in the bytes but not in the normalised form ("Dar'a"),
/// and a number keeps its thousands separators (`1,100`).
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, ch) = chars[i];
        if !is_word_char(ch) {
            i += 1;
            continue;
        }
        let mut norm = String::new();
        let mut j = i;
        while j < chars.len() {
            let (_, c) = chars[j];
            if is_word_char(c) {
                fold_char(c, &mut norm);
                j += 1;
            } else if matches!(c, '\'' | '’' | 'ʿ' | 'ʾ' | '`')
                && j + 1 < chars.len()
                && chars[j + 1].1.is_alphabetic()
                && j > i
                && chars[j - 1].1.is_alphabetic()
                // The possessive "'s" ends the word: "Kiev's sniper" is Kiev's.
                && !(matches!(chars[j + 1].1, 's' | 'S')
                    && chars.get(j + 2).is_none_or(|(_, n)| !n.is_alphanumeric()))
            {
                j += 1;
            } else if c == ','
                && norm.chars().all(|d| d.is_ascii_digit())
                && chars
                    .get(j + 1..j + 4)
                    .is_some_and(|next| next.iter().all(|(_, d)| d.is_ascii_digit()))
                && chars.get(j + 4).is_none_or(|(_, d)| !d.is_ascii_digit())
            {
                norm.push(',');
                j += 1;
            } else {
                break;
            }
        }
        let end = chars.get(j).map_or(text.len(), |(at, _)| *at);
        if !norm.is_empty() {
            out.push(Token {
                start,
                end,
                norm,
                capitalized: ch.is_uppercase(),
            });
        }
        i = j.max(i + 1);
    }
    out
}

/// A sentence: bytes `start..end` of the text.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
}

/// Words after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "col", "lt", "maj", "capt", "sgt", "st", "no", "vs", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "est",
];

/// The sentences of `text`: ended by `.`, `!`, `?`, `؟`, `;` or a line break. A
/// full stop after a single letter ("U.S.") or a known abbreviation does not end one.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut iter = text.char_indices().peekable();
    while let Some((at, ch)) = iter.next() {
        let end_here = match ch {
            '\n' | '!' | '?' | '؟' | ';' | '؛' => true,
            '.' => {
                let next_is_space = iter
                    .peek()
                    .is_none_or(|(_, c)| c.is_whitespace() || *c == '"' || *c == '”');
                let word_before: String = text[start..at]
                    .rsplit(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap_or("")
                    .to_lowercase();
                let single_letter = word_before.chars().count() == 1
                    && word_before.chars().all(char::is_alphabetic);
                next_is_space && !single_letter && !ABBREVIATIONS.contains(&word_before.as_str())
            }
            _ => false,
        };
        if end_here {
            let end = at + ch.len_utf8();
            push_trimmed(text, start, end, &mut out);
            start = end;
        }
    }
    if start < bytes.len() {
        push_trimmed(text, start, bytes.len(), &mut out);
    }
    out
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Sentence>) {
    let piece = &text[start..end];
    let leading = piece.len() - piece.trim_start().len();
    let trailing = piece.len() - piece.trim_end().len();
    if leading + trailing < piece.len() {
        out.push(Sentence {
            start: start + leading,
            end: end - trailing,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_their_bytes_and_fold_case_marks_and_digits() {
        let text = "Ḥalab: 1,100 strikes on حَلَب; ١٢ killed";
        let words = tokens(text);
        let norms: Vec<&str> = words.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(
            norms,
            ["halab", "1,100", "strikes", "on", "حلب", "12", "killed"]
        );
        assert_eq!(&text[words[4].start..words[4].end], "حَلَب");
        assert_eq!(words[1].number(), Some(1100));
        assert_eq!(words[5].number(), Some(12));
    }

    #[test]
    fn sentences_end_at_stops_but_not_after_initials() {
        let text = "The U.S. acknowledges a strike. Hours later, clashes began; 3 died\nNew line";
        let found: Vec<&str> = sentences(text)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect();
        assert_eq!(
            found,
            [
                "The U.S. acknowledges a strike.",
                "Hours later, clashes began;",
                "3 died",
                "New line"
            ]
        );
    }
}
