//! An HTML article into its text: the title and the paragraphs of the story,
//! without the page's menus, headers, footers, scripts and forms.
//!
//! Boilerplate is stripped the way readability tools do, simply: what is inside
//! `script`, `style`, `nav`, `header`, `footer`, `aside`, `form` and their kin
//! is dropped; when the page marks its story (`article`, `main`) only that is
//! kept; and of the rest, blocks of fewer than 40 letters that are not headings
//! are dropped (links, bylines, share buttons).

use crate::Lang;
use crate::document::{Document, ReadOptions, day_of, hashtags};
use html5gum::{DefaultEmitter, Token, Tokenizer};

const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg", "button",
    "select", "iframe", "template", "figure", "menu",
];
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "main",
    "td",
    "th",
    "br",
    "tr",
    "figcaption",
    "dd",
    "dt",
    "pre",
];

struct Block {
    text: String,
    in_story: bool,
    heading: bool,
}

fn attribute(tag: &html5gum::StartTag, name: &str) -> Option<String> {
    tag.attributes
        .iter()
        .find(|(k, _)| k.as_slice().eq_ignore_ascii_case(name.as_bytes()))
        .map(|(_, v)| String::from_utf8_lossy(v).trim().to_string())
}

pub(crate) fn read_html(file: &str, html: &str, options: &ReadOptions) -> Document {
    let mut emitter = DefaultEmitter::default();
    // Script and style content is raw text, not tags.
    emitter.naively_switch_states(true);
    let tokenizer = Tokenizer::new_with_emitter(html, emitter);
    let mut skip_depth: usize = 0;
    let mut story_depth: usize = 0;
    let mut saw_story = false;
    let mut in_title = false;
    let mut heading = false;
    let mut title = String::new();
    let mut blocks: Vec<Block> = Vec::new();
    let mut current = String::new();
    let mut url = None;
    let mut published = None;
    let mut meta_title = None;
    let flush = |current: &mut String, in_story: bool, heading: bool, blocks: &mut Vec<Block>| {
        let text = current.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            blocks.push(Block {
                text,
                in_story,
                heading,
            });
        }
        current.clear();
    };
    for token in tokenizer.flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                match name.as_str() {
                    "title" => in_title = true,
                    "meta" => {
                        let key = attribute(&tag, "property")
                            .or_else(|| attribute(&tag, "name"))
                            .unwrap_or_default();
                        let content = attribute(&tag, "content");
                        match key.as_str() {
                            "og:url" => url = url.or(content),
                            "og:title" => meta_title = meta_title.or(content),
                            "article:published_time"
                            | "date"
                            | "pubdate"
                            | "dc.date"
                            | "og:published_time" => {
                                published =
                                    published.or_else(|| content.as_deref().and_then(day_of))
                            }
                            _ => {}
                        }
                    }
                    "link"
                        if attribute(&tag, "rel")
                            .is_some_and(|r| r.eq_ignore_ascii_case("canonical")) =>
                    {
                        url = url.or_else(|| attribute(&tag, "href"));
                    }
                    "time" => {
                        published = published
                            .or_else(|| attribute(&tag, "datetime").as_deref().and_then(day_of));
                    }
                    _ => {}
                }
                if tag.self_closing {
                    if name == "br" {
                        flush(&mut current, story_depth > 0, heading, &mut blocks);
                    }
                    continue;
                }
                if SKIPPED.contains(&name.as_str()) {
                    skip_depth += 1;
                } else if name == "article" || name == "main" {
                    story_depth += 1;
                    saw_story = true;
                }
                if BLOCKS.contains(&name.as_str()) {
                    flush(&mut current, story_depth > 0, heading, &mut blocks);
                    heading = matches!(name.as_str(), "h1" | "h2" | "h3");
                }
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                if name == "title" {
                    in_title = false;
                }
                if BLOCKS.contains(&name.as_str()) {
                    flush(&mut current, story_depth > 0, heading, &mut blocks);
                    heading = false;
                }
                if SKIPPED.contains(&name.as_str()) {
                    skip_depth = skip_depth.saturating_sub(1);
                } else if name == "article" || name == "main" {
                    story_depth = story_depth.saturating_sub(1);
                }
            }
            Token::String(text) => {
                let text = String::from_utf8_lossy(&text);
                if in_title {
                    title.push_str(&text);
                } else if skip_depth == 0 {
                    current.push_str(&text);
                }
            }
            _ => {}
        }
    }
    flush(&mut current, story_depth > 0, heading, &mut blocks);
    let title = meta_title.or_else(|| {
        Some(title.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|t| !t.is_empty())
    });
    let kept: Vec<&Block> = blocks
        .iter()
        .filter(|b| !saw_story || b.in_story)
        .filter(|b| b.heading || b.text.chars().filter(|c| c.is_alphabetic()).count() >= 40)
        .collect();
    let mut text = String::new();
    if let Some(title) = &title
        && !kept.first().is_some_and(|b| b.heading && &b.text == title)
    {
        text.push_str(title);
        text.push('\n');
    }
    for block in kept {
        text.push_str(&block.text);
        text.push('\n');
    }
    Document {
        id: url.clone().unwrap_or_else(|| file.to_string()),
        url,
        title,
        published: published.or(options.published),
        lang: options.lang.unwrap_or_else(|| Lang::of_text(&text)),
        hashtags: hashtags(&text),
        text,
        file: file.to_string(),
        line: 1,
    }
}

/// The text of an HTML fragment (a feed item's description): its words, blocks
/// on lines of their own, nothing of scripts or styles.
pub(crate) fn strip_tags(html: &str) -> String {
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let mut out = String::new();
    let mut skip = 0usize;
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                if matches!(name.as_str(), "script" | "style") && !tag.self_closing {
                    skip += 1;
                }
                if BLOCKS.contains(&name.as_str()) && !out.ends_with('\n') && !out.is_empty() {
                    out.push('\n');
                }
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                if matches!(name.as_str(), "script" | "style") {
                    skip = skip.saturating_sub(1);
                }
            }
            Token::String(text) if skip == 0 => out.push_str(&String::from_utf8_lossy(&text)),
            _ => {}
        }
    }
    out.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_story_is_kept_and_the_page_around_it_dropped() {
        let html = r#"<!doctype html><html><head><title>Convoy struck near Aleppo</title>
            <link rel="canonical" href="https://news.example/convoy">
            <meta property="article:published_time" content="2016-09-20T06:00:00Z">
            <script>var x = "</p><p>not text";</script><style>p { color: red }</style></head>
            <body><nav><a href="/">Home</a> <a href="/world">World news and more sections here</a></nav>
            <article><h1>Convoy struck near Aleppo</h1>
            <p>An airstrike hit a convoy of aid trucks near the town of Urum al-Kubra on Monday, killing at least 12 people.</p>
            <p>Share</p></article>
            <footer><p>Copyright 2016, all rights reserved by a news organisation somewhere.</p></footer></body></html>"#;
        let document = read_html("convoy.html", html, &ReadOptions::default());
        assert_eq!(document.url.as_deref(), Some("https://news.example/convoy"));
        assert_eq!(
            document.published.map(|d| d.to_string()).as_deref(),
            Some("2016-09-20")
        );
        assert_eq!(
            document.text,
            "Convoy struck near Aleppo\nAn airstrike hit a convoy of aid trucks near the town of Urum al-Kubra on Monday, killing at least 12 people.\n"
        );
    }
}
