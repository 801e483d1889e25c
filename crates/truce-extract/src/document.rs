//! What reading a file gives, whatever its format: documents (an article or a
//! post), the reader's options and errors, the posts set aside, and the two
//! helpers every format's reader uses (a document's day, its hashtags). A leaf:
//! the readers (`read_feed.rs`, `read_html.rs`, `read_posts.rs`) and the
//! dispatcher (`read.rs`) all stand on it.

use crate::Lang;
use truce_model::time::Day;

/// One article or post.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// How reports name it: the article's address, or `file#post-id`.
    pub id: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published: Option<Day>,
    pub lang: Lang,
    /// The text read from (an article's title and paragraphs, one per line).
    pub text: String,
    /// Hashtags of a post, without `#`, as written.
    pub hashtags: Vec<String>,
    /// The file it was read from and the line it starts on (1 for a whole file).
    pub file: String,
    pub line: u64,
}

/// The formats `read` knows.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum TextFormat {
    Plain,
    Html,
    Feed,
    Posts,
}

impl TextFormat {
    pub fn name(self) -> &'static str {
        match self {
            TextFormat::Plain => "text",
            TextFormat::Html => "html",
            TextFormat::Feed => "feed",
            TextFormat::Posts => "posts",
        }
    }

    pub fn parse(name: &str) -> Option<TextFormat> {
        match name {
            "text" | "plain" | "txt" => Some(TextFormat::Plain),
            "html" | "htm" => Some(TextFormat::Html),
            "feed" | "rss" | "atom" => Some(TextFormat::Feed),
            "posts" | "jsonl" | "twitter" | "telegram" => Some(TextFormat::Posts),
            _ => None,
        }
    }
}

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read `{file}`")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("`{file}` is not text: {found} (expected UTF-8 text, HTML, a feed or JSON Lines)")]
    NotText { file: String, found: String },
    #[error("`{file}` line {line}: {message}")]
    Line {
        file: String,
        line: u64,
        message: String,
    },
}

/// How to read: what the command line says about the documents.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// The publication day of documents that do not give one.
    pub published: Option<Day>,
    /// The language of documents that do not give one; else guessed from the script.
    pub lang: Option<Lang>,
    /// The format, when not detected from the name and the first bytes.
    pub format: Option<TextFormat>,
}

/// A post set aside: its line and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetAside {
    pub file: String,
    pub line: u64,
    pub reason: String,
}

/// The hashtags of a text, without `#`.
pub fn hashtags(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('#') {
        let after = &rest[at + 1..];
        let tag: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let before_ok = rest[..at]
            .chars()
            .last()
            .is_none_or(|c| !c.is_alphanumeric());
        if !tag.is_empty() && before_ok && !tag.chars().all(|c| c.is_ascii_digit()) {
            out.push(tag.clone());
        }
        rest = &after[tag.len()..];
    }
    out
}

/// A day from the start of an RFC 3339 time, an RFC 2822 time, or a date.
pub fn day_of(text: &str) -> Option<Day> {
    let text = text.trim();
    if let Some(day) = text.get(..10).and_then(Day::parse_iso) {
        return Some(day);
    }
    if let Ok(zoned) = jiff::fmt::rfc2822::parse(text) {
        let date = zoned.date();
        return Day::from_ymd(
            i32::from(date.year()),
            u32::try_from(date.month()).ok()?,
            u32::try_from(date.day()).ok()?,
        );
    }
    // Twitter API v1's "Mon Sep 19 20:15:00 +0000 2016".
    let parts: Vec<&str> = text.split_whitespace().collect();
    if parts.len() == 6
        && let (Some(month), Ok(day), Ok(year)) = (
            [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ]
            .iter()
            .position(|m| *m == parts[1]),
            parts[2].parse::<u32>(),
            parts[5].parse::<i32>(),
        )
    {
        return Day::from_ymd(year, month as u32 + 1, day);
    }
    None
}
