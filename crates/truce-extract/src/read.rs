//! Files into documents: plain text, HTML articles (boilerplate stripped),
//! RSS and Atom feeds, and social-post exports (X/Twitter API v2 and Telegram
//! desktop, as JSON Lines; Telegram's `result.json` too). Everything streams: a
//! post export is read one post at a time, however large. A file that is not
//! text (binary, UTF-16, not UTF-8) is refused with what was found and where;
//! a post that cannot be read is set aside with its line, and reading goes on.

use crate::Lang;
pub use crate::document::{
    Document, ReadError, ReadOptions, SetAside, TextFormat, day_of, hashtags,
};
use std::io::{BufRead, Read};

/// What reading a file gave besides its documents.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadSummary {
    pub format: Option<&'static str>,
    pub documents: u64,
    pub set_aside: Vec<SetAside>,
}

/// Refuses bytes that are not text, naming what they look like.
fn check_text(file: &str, head: &[u8]) -> Result<(), ReadError> {
    let not_text = |found: &str| ReadError::NotText {
        file: file.to_string(),
        found: found.to_string(),
    };
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Err(not_text(
            "a UTF-16 byte-order mark (convert the file to UTF-8)",
        ));
    }
    if let Some(at) = head.iter().position(|b| *b == 0) {
        return Err(not_text(&format!(
            "a NUL byte at offset {at}: a binary file"
        )));
    }
    Ok(())
}

/// Decodes a whole file's bytes as UTF-8 (a byte-order mark is dropped).
fn utf8(file: &str, bytes: Vec<u8>) -> Result<String, ReadError> {
    let bytes = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes[3..].to_vec()
    } else {
        bytes
    };
    String::from_utf8(bytes).map_err(|e| ReadError::NotText {
        file: file.to_string(),
        found: format!(
            "bytes that are not UTF-8 at offset {} (a single-byte encoding such as Windows-1256?)",
            e.utf8_error().valid_up_to()
        ),
    })
}

/// The format of a file from its name and first bytes.
pub fn detect(name: &str, head: &[u8]) -> TextFormat {
    let lower = name.to_ascii_lowercase();
    let start = String::from_utf8_lossy(&head[..head.len().min(2048)])
        .trim_start_matches('\u{feff}')
        .trim_start()
        .to_ascii_lowercase();
    if lower.ends_with(".jsonl")
        || lower.ends_with(".ndjson")
        || lower.ends_with(".json")
        || start.starts_with('{')
    {
        TextFormat::Posts
    } else if lower.ends_with(".rss")
        || lower.ends_with(".atom")
        || ((start.starts_with("<?xml") || start.starts_with("<rss") || start.starts_with("<feed"))
            && (start.contains("<rss") || start.contains("<feed")))
    {
        TextFormat::Feed
    } else if lower.ends_with(".html")
        || lower.ends_with(".htm")
        || start.starts_with("<!doctype html")
        || start.starts_with("<html")
    {
        TextFormat::Html
    } else {
        TextFormat::Plain
    }
}

/// Reads `reader` (named `file`), giving each document to `sink` as it is read.
pub fn read(
    file: &str,
    reader: impl Read,
    options: &ReadOptions,
    sink: &mut dyn FnMut(Document),
) -> Result<ReadSummary, ReadError> {
    let io = |source| ReadError::Io {
        file: file.to_string(),
        source,
    };
    let mut buffered = std::io::BufReader::with_capacity(1 << 16, reader);
    let head = buffered.fill_buf().map_err(io)?.to_vec();
    check_text(file, &head)?;
    let format = options.format.unwrap_or_else(|| detect(file, &head));
    let mut summary = ReadSummary {
        format: Some(format.name()),
        ..ReadSummary::default()
    };
    let mut count = |document: Document, summary: &mut ReadSummary| {
        summary.documents += 1;
        sink(document);
    };
    match format {
        TextFormat::Posts => {
            crate::read_posts::read_posts(file, buffered, options, &mut |item| match item {
                Ok(document) => count(document, &mut summary),
                Err(aside) => summary.set_aside.push(aside),
            })?;
        }
        _ => {
            let mut bytes = Vec::new();
            buffered.read_to_end(&mut bytes).map_err(io)?;
            check_text(file, &bytes[..bytes.len().min(1 << 20)])?;
            let text = utf8(file, bytes)?;
            let documents = match format {
                TextFormat::Html => vec![crate::read_html::read_html(file, &text, options)],
                TextFormat::Feed => crate::read_feed::read_feed(file, &text, options)?,
                _ => vec![plain(file, &text, options)],
            };
            for document in documents {
                count(document, &mut summary);
            }
        }
    }
    Ok(summary)
}

/// A plain text file: one document.
fn plain(file: &str, text: &str, options: &ReadOptions) -> Document {
    Document {
        id: file.to_string(),
        url: None,
        title: None,
        published: options.published,
        lang: options.lang.unwrap_or_else(|| Lang::of_text(text)),
        text: text.to_string(),
        hashtags: hashtags(text),
        file: file.to_string(),
        line: 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashtags_are_read_as_written() {
        assert_eq!(
            hashtags("#AleppoIsBurning now: #حلب_تحترق, not a#tag nor #123"),
            ["AleppoIsBurning", "حلب_تحترق"]
        );
    }

    #[test]
    fn days_from_the_usual_time_formats() {
        assert_eq!(
            day_of("2016-09-19T20:15:00Z")
                .map(|d| d.to_string())
                .as_deref(),
            Some("2016-09-19")
        );
        assert_eq!(
            day_of("Mon, 19 Sep 2016 20:15:00 +0000")
                .map(|d| d.to_string())
                .as_deref(),
            Some("2016-09-19")
        );
        assert_eq!(
            day_of("Mon Sep 19 20:15:00 +0000 2016")
                .map(|d| d.to_string())
                .as_deref(),
            Some("2016-09-19")
        );
        assert_eq!(day_of("soon"), None);
    }

    #[test]
    fn binary_and_utf16_files_are_refused() {
        let mut none = |_: Document| {};
        let binary = read(
            "x.bin",
            &b"\x7fELF\x00\x01"[..],
            &ReadOptions::default(),
            &mut none,
        );
        assert!(
            binary
                .unwrap_err()
                .to_string()
                .contains("NUL byte at offset 4")
        );
        let utf16 = read(
            "x.txt",
            &b"\xff\xfeh\x00i\x00"[..],
            &ReadOptions::default(),
            &mut none,
        );
        assert!(utf16.unwrap_err().to_string().contains("UTF-16"));
        let cp1256 = read(
            "x.txt",
            &b"\xe3\xde\xca\xe1 12"[..],
            &ReadOptions::default(),
            &mut none,
        );
        assert!(
            cp1256
                .unwrap_err()
                .to_string()
                .contains("not UTF-8 at offset 0")
        );
    }
}
