//! RSS 2.0 and Atom feeds: each item or entry is a document (its title and its
//! description or content, HTML stripped), dated by `pubDate`, `published` or
//! `updated`, addressed by its link.

use crate::Lang;
use crate::document::{Document, ReadError, ReadOptions, day_of, hashtags};
use crate::read_html::strip_tags;
use quick_xml::Reader;
use quick_xml::events::Event;

#[derive(Default)]
struct Item {
    title: String,
    link: Option<String>,
    body: String,
    content: String,
    published: Option<String>,
    updated: Option<String>,
    id: Option<String>,
    line: u64,
}

pub(crate) fn read_feed(
    file: &str,
    xml: &str,
    options: &ReadOptions,
) -> Result<Vec<Document>, ReadError> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut item: Option<Item> = None;
    // The element whose text is being read, inside an item.
    let mut field: Option<String> = None;
    // Where each line ends, found once: an item's line is then a binary search.
    let line_ends: Vec<usize> = xml
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let line_at = |offset: u64| line_ends.partition_point(|&end| end < offset as usize) as u64 + 1;
    loop {
        let position = reader.buffer_position();
        let event = reader.read_event().map_err(|e| ReadError::Line {
            file: file.to_string(),
            line: line_at(reader.error_position()),
            message: format!("not a well-formed feed: {e}"),
        })?;
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).to_ascii_lowercase();
                match name.as_str() {
                    "item" | "entry" => {
                        item = Some(Item {
                            line: line_at(position),
                            ..Item::default()
                        })
                    }
                    "link" => {
                        if let Some(it) = item.as_mut() {
                            let href = e
                                .try_get_attribute("href")
                                .ok()
                                .flatten()
                                .and_then(|a| a.unescape_value().ok().map(|v| v.to_string()));
                            let rel = e
                                .try_get_attribute("rel")
                                .ok()
                                .flatten()
                                .and_then(|a| a.unescape_value().ok().map(|v| v.to_string()));
                            if let Some(href) = href {
                                if rel.as_deref().is_none_or(|r| r == "alternate")
                                    && it.link.is_none()
                                {
                                    it.link = Some(href);
                                }
                            } else {
                                field = Some(name);
                            }
                        }
                    }
                    _ if item.is_some() => field = Some(name),
                    _ => {}
                }
            }
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).to_ascii_lowercase();
                if (name == "item" || name == "entry")
                    && let Some(it) = item.take()
                {
                    out.push(document(file, it, options));
                }
                field = None;
            }
            Event::Text(t) => {
                if let (Some(it), Some(f)) = (item.as_mut(), field.as_deref()) {
                    let text = t.decode().map(|c| c.to_string()).unwrap_or_default();
                    push_field(it, f, &text);
                }
            }
            Event::CData(t) => {
                if let (Some(it), Some(f)) = (item.as_mut(), field.as_deref()) {
                    let text = t.decode().map(|c| c.to_string()).unwrap_or_default();
                    push_field(it, f, &text);
                }
            }
            Event::GeneralRef(r) => {
                if let (Some(it), Some(f)) = (item.as_mut(), field.as_deref()) {
                    let text = if r.is_char_ref() {
                        r.resolve_char_ref()
                            .ok()
                            .flatten()
                            .map(String::from)
                            .unwrap_or_default()
                    } else {
                        let name = r.decode().map(|c| c.to_string()).unwrap_or_default();
                        quick_xml::escape::resolve_xml_entity(&name)
                            .map(str::to_string)
                            .unwrap_or_else(|| format!("&{name};"))
                    };
                    push_field(it, f, &text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn push_field(item: &mut Item, field: &str, text: &str) {
    match field {
        "title" => item.title.push_str(text),
        "link" => item
            .link
            .get_or_insert_with(String::new)
            .push_str(text.trim()),
        "description" | "summary" => item.body.push_str(text),
        "encoded" | "content" => item.content.push_str(text),
        "pubdate" | "published" | "date" => item
            .published
            .get_or_insert_with(String::new)
            .push_str(text),
        "updated" => item.updated.get_or_insert_with(String::new).push_str(text),
        "guid" | "id" => item
            .id
            .get_or_insert_with(String::new)
            .push_str(text.trim()),
        _ => {}
    }
}

fn document(file: &str, item: Item, options: &ReadOptions) -> Document {
    let title = strip_tags(&item.title);
    let body = strip_tags(if item.content.trim().is_empty() {
        &item.body
    } else {
        &item.content
    });
    let mut text = String::new();
    // A description that repeats the title starts the text itself.
    if !title.is_empty() && !body.starts_with(&title) {
        text.push_str(&title);
        text.push('\n');
    }
    text.push_str(&body);
    let published = item
        .published
        .as_deref()
        .and_then(day_of)
        .or_else(|| item.updated.as_deref().and_then(day_of))
        .or(options.published);
    let id = item
        .link
        .clone()
        .or(item.id)
        .unwrap_or_else(|| format!("{file}:{}", item.line));
    Document {
        id,
        url: item.link,
        title: Some(title).filter(|t| !t.is_empty()),
        published,
        lang: options.lang.unwrap_or_else(|| Lang::of_text(&text)),
        hashtags: hashtags(&text),
        text,
        file: file.to_string(),
        line: item.line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_items_and_atom_entries() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Airstrikes hit Aleppo</title><link>https://wire.example/1</link>
<pubDate>Thu, 28 Apr 2016 09:00:00 +0000</pubDate>
<description><![CDATA[<p>A wave of airstrikes on Aleppo kill at least 61 people.</p>]]></description></item>
<item><title>Talks &amp; appeals</title><link>https://wire.example/2</link><pubDate>Thu, 28 Apr 2016 10:00:00 +0000</pubDate><description>An envoy appeals.</description></item>
</channel></rss>"#;
        let docs = read_feed("wire.rss", rss, &ReadOptions::default()).expect("a feed");
        assert_eq!(docs.len(), 2);
        assert_eq!(
            docs[0].text,
            "Airstrikes hit Aleppo\nA wave of airstrikes on Aleppo kill at least 61 people."
        );
        assert_eq!(
            docs[0].published.map(|d| d.to_string()).as_deref(),
            Some("2016-04-28")
        );
        assert_eq!(docs[1].title.as_deref(), Some("Talks & appeals"));
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Convoy struck</title>
<link rel="alternate" href="https://wire.example/3"/><published>2016-09-19T21:00:00Z</published>
<summary type="html">&lt;b&gt;An airstrike&lt;/b&gt; hits a convoy.</summary></entry></feed>"#;
        let docs = read_feed("wire.atom", atom, &ReadOptions::default()).expect("a feed");
        assert_eq!(docs[0].url.as_deref(), Some("https://wire.example/3"));
        assert_eq!(docs[0].text, "Convoy struck\nAn airstrike hits a convoy.");
    }

    #[test]
    fn a_broken_feed_names_its_line() {
        let error = read_feed(
            "bad.rss",
            "<rss>\n<item><title>x</titl></item>",
            &ReadOptions::default(),
        )
        .unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("`bad.rss` line 2: not a well-formed feed"),
            "{error}"
        );
    }
}
