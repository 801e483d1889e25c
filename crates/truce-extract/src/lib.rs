//! Reports from news text and social posts, each field with the words behind it.
//!
//! The first word of a strike on a hospital comes in an article or a post, days
//! before a curated dataset has it. This crate reads such text into truce's
//! reports: the kind of event as deep as the words allow, the date (absolute or
//! relative to publication) with its precision, the place through a gazetteer
//! (ambiguity reported, never guessed), the actors and who acted, the killed as a
//! range, and the hedges and negations that lower the confidence or remove a
//! claim. Every field keeps the byte range of its words in the document's text
//! (`Report::text`), so a reader can check each one against the source.
//!
//! Two layers: `read` turns files (plain text, HTML articles, RSS/Atom feeds,
//! social-post exports) into [`Document`]s, streaming; `extract` turns one
//! document into reports. `extract` does no IO and reads no clock: the
//! publication day comes with the document.

pub mod casualties;
pub mod dates;
mod document;
pub mod eval;
pub mod gazetteer;
pub mod lexicon;
pub mod read;
mod read_feed;
mod read_html;
mod read_posts;
mod roles;
pub mod text;

mod extract;

pub use extract::{Extracted, Extractor, Skipped};
pub use gazetteer::{Gazetteer, Place, PlaceLevel};
pub use read::{Document, ReadError};

/// The language of a document: the lexicons it is read with.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Ar,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ar => "ar",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code.to_ascii_lowercase().as_str() {
            "en" | "eng" | "english" => Some(Lang::En),
            "ar" | "ara" | "arabic" => Some(Lang::Ar),
            _ => None,
        }
    }

    /// A guess from the script, for documents that do not say: Arabic when most
    /// letters are Arabic.
    pub fn of_text(text: &str) -> Lang {
        let (mut arabic, mut other) = (0usize, 0usize);
        for ch in text.chars().filter(|c| c.is_alphabetic()) {
            if ('\u{0600}'..='\u{06FF}').contains(&ch) || ('\u{0750}'..='\u{077F}').contains(&ch) {
                arabic += 1;
            } else {
                other += 1;
            }
        }
        if arabic > other { Lang::Ar } else { Lang::En }
    }
}
