//! Social-post exports, one post at a time: JSON Lines of X/Twitter API v2
//! tweets (or API v2 response pages, `{"data": [...]}`), or of Telegram desktop
//! export messages; and Telegram's own `result.json` (one object whose
//! `messages` array is read element by element, so a 200 MB export needs the
//! memory of one message).

use crate::Lang;
use crate::document::{Document, ReadError, ReadOptions, SetAside, day_of, hashtags};
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::io::BufRead;

/// Lines longer than this are set aside unread: no post is this long.
const MAX_LINE: usize = 16 << 20;

type Sink<'a> = dyn FnMut(Result<Document, SetAside>) + 'a;

pub(crate) fn read_posts(
    file: &str,
    mut reader: impl BufRead,
    options: &ReadOptions,
    sink: &mut Sink<'_>,
) -> Result<(), ReadError> {
    let io = |source| ReadError::Io {
        file: file.to_string(),
        source,
    };
    // A Telegram result.json is one (pretty-printed) object: its first line is not one.
    let head = reader.fill_buf().map_err(io)?;
    let first_line_end = head.iter().position(|b| *b == b'\n').unwrap_or(head.len());
    let first_line = String::from_utf8_lossy(&head[..first_line_end])
        .trim()
        .trim_start_matches('\u{feff}')
        .to_string();
    if first_line == "{"
        || (first_line.starts_with('{')
            && serde_json::from_str::<Value>(&first_line).is_err()
            && first_line_end < head.len())
    {
        return read_telegram_export(file, reader, options, sink);
    }
    let mut line_number = 0u64;
    let mut line: Vec<u8> = Vec::new();
    loop {
        line.clear();
        let mut too_long = false;
        // Read one line without ever holding more than MAX_LINE bytes of it.
        loop {
            let buffer = reader.fill_buf().map_err(io)?;
            if buffer.is_empty() {
                break;
            }
            let (chunk, done) = match buffer.iter().position(|b| *b == b'\n') {
                Some(at) => (&buffer[..at], Some(at + 1)),
                None => (buffer, None),
            };
            if !too_long {
                if line.len() + chunk.len() > MAX_LINE {
                    too_long = true;
                    line.clear();
                } else {
                    line.extend_from_slice(chunk);
                }
            }
            let used = done.unwrap_or(buffer.len());
            reader.consume(used);
            if done.is_some() {
                break;
            }
        }
        if line.is_empty() && !too_long {
            // End of the file, or a blank line.
            let at_end = reader.fill_buf().map_err(io)?.is_empty();
            line_number += 1;
            if at_end {
                break;
            }
            continue;
        }
        line_number += 1;
        let aside = |reason: String| SetAside {
            file: file.to_string(),
            line: line_number,
            reason,
        };
        if too_long {
            sink(Err(aside(format!(
                "a line of more than {} MiB: not a post",
                MAX_LINE >> 20
            ))));
            continue;
        }
        let text = match std::str::from_utf8(&line) {
            Ok(text) => text.trim_start_matches('\u{feff}'),
            Err(e) => {
                sink(Err(aside(format!(
                    "not UTF-8 at byte {} of the line",
                    e.valid_up_to()
                ))));
                continue;
            }
        };
        if text.trim().is_empty() {
            continue;
        }
        let value: Value = match serde_json::from_str(text) {
            Ok(value) => value,
            Err(e) => {
                sink(Err(aside(format!("not a JSON object: {e}"))));
                continue;
            }
        };
        // An API v2 page holds its tweets under `data`.
        let posts: Vec<Value> = match value.get("data") {
            Some(Value::Array(items)) => items.clone(),
            Some(item @ Value::Object(_)) => vec![item.clone()],
            _ => vec![value],
        };
        for post in posts {
            match post_document(file, line_number, &post, None, options) {
                Ok(Some(document)) => sink(Ok(document)),
                Ok(None) => {}
                Err(reason) => sink(Err(aside(reason))),
            }
        }
    }
    Ok(())
}

/// Telegram's text: a string, or an array of strings and `{type, text}` pieces.
fn telegram_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts
            .iter()
            .map(|p| match p {
                Value::String(s) => s.clone(),
                other => other
                    .get("text")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            })
            .collect(),
        _ => String::new(),
    }
}

/// One post as a document; `None` for what is not a post with text (a service
/// message, a photo without caption).
fn post_document(
    file: &str,
    line: u64,
    post: &Value,
    chat: Option<&str>,
    options: &ReadOptions,
) -> Result<Option<Document>, String> {
    let Some(object) = post.as_object() else {
        return Err("expected a post (a JSON object)".into());
    };
    let id = match object.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err("a post without its `id`".into()),
    };
    let telegram = object.contains_key("date")
        && (object.contains_key("type") || object.contains_key("date_unixtime"));
    let (text, published, url, document_id) = if telegram {
        if object
            .get("type")
            .and_then(Value::as_str)
            .is_some_and(|t| t != "message")
        {
            return Ok(None);
        }
        let text = telegram_text(object.get("text").unwrap_or(&Value::Null));
        let published = object.get("date").and_then(Value::as_str).and_then(day_of);
        let channel = chat
            .or_else(|| object.get("from").and_then(Value::as_str))
            .unwrap_or("telegram");
        (text, published, None, format!("telegram:{channel}/{id}"))
    } else {
        let Some(text) = object.get("text").and_then(Value::as_str) else {
            return Err(format!("post `{id}` has no `text`"));
        };
        let published = object
            .get("created_at")
            .and_then(Value::as_str)
            .and_then(day_of);
        (
            text.to_string(),
            published,
            Some(format!("https://x.com/i/web/status/{id}")),
            format!("x:{id}"),
        )
    };
    if text.trim().is_empty() {
        return Ok(None);
    }
    let lang = object
        .get("lang")
        .and_then(Value::as_str)
        .and_then(Lang::parse)
        .or(options.lang)
        .unwrap_or_else(|| Lang::of_text(&text));
    Ok(Some(Document {
        id: document_id,
        url,
        title: None,
        published: published.or(options.published),
        lang,
        hashtags: hashtags(&text),
        text,
        file: file.to_string(),
        line,
    }))
}

/// Streams the `messages` of a Telegram `result.json`.
fn read_telegram_export(
    file: &str,
    reader: impl BufRead,
    options: &ReadOptions,
    sink: &mut Sink<'_>,
) -> Result<(), ReadError> {
    struct Export<'s, 'a> {
        file: &'s str,
        options: &'s ReadOptions,
        sink: &'s mut Sink<'a>,
        chat: Option<String>,
        index: u64,
    }
    struct Messages<'e, 's, 'a>(&'e mut Export<'s, 'a>);
    impl<'de> Visitor<'de> for &mut Export<'_, '_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a Telegram export: an object with `messages`")
        }
        fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
            while let Some(key) = map.next_key::<String>()? {
                match key.as_str() {
                    "name" => self.chat = map.next_value::<Option<String>>()?,
                    "messages" => map.next_value_seed(Messages(self))?,
                    _ => {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
            }
            Ok(())
        }
    }
    impl<'de> DeserializeSeed<'de> for Messages<'_, '_, '_> {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }
    impl<'de> Visitor<'de> for Messages<'_, '_, '_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an array of messages")
        }
        fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
            while let Some(message) = seq.next_element::<Value>()? {
                let export = &mut *self.0;
                export.index += 1;
                match post_document(
                    export.file,
                    export.index,
                    &message,
                    export.chat.as_deref(),
                    export.options,
                ) {
                    Ok(Some(document)) => (export.sink)(Ok(document)),
                    Ok(None) => {}
                    Err(reason) => (export.sink)(Err(SetAside {
                        file: export.file.to_string(),
                        line: export.index,
                        reason: format!("message {}: {reason}", export.index),
                    })),
                }
            }
            Ok(())
        }
    }
    impl<'de> DeserializeSeed<'de> for &mut Export<'_, '_> {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_map(self)
        }
    }
    let mut export = Export {
        file,
        options,
        sink,
        chat: None,
        index: 0,
    };
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    (&mut export)
        .deserialize(&mut deserializer)
        .map_err(|e| ReadError::Line {
            file: file.to_string(),
            line: e.line() as u64,
            message: format!("not a Telegram export: {e}"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posts(input: &str) -> (Vec<Document>, Vec<SetAside>) {
        let mut documents = Vec::new();
        let mut aside = Vec::new();
        read_posts(
            "posts.jsonl",
            input.as_bytes(),
            &ReadOptions::default(),
            &mut |item| match item {
                Ok(d) => documents.push(d),
                Err(a) => aside.push(a),
            },
        )
        .expect("read");
        (documents, aside)
    }

    #[test]
    fn tweets_pages_and_telegram_messages() {
        let input = concat!(
            r##"{"id":"778","text":"Airstrike hits a convoy near Urum al-Kubra #Aleppo","created_at":"2016-09-19T20:15:00.000Z","lang":"en"}"##,
            "\n",
            r#"{"data":[{"id":"779","text":"second","created_at":"2016-09-20T01:00:00.000Z"}]}"#,
            "\n",
            "\n",
            r##"{"id":5,"type":"message","date":"2016-09-19T22:00:00","from":"Aleppo Media","text":["Shelling on ",{"type":"hashtag","text":"#Aleppo"}]}"##,
            "\n",
            r#"{"id":6,"type":"service","date":"2016-09-19T22:00:00","action":"pin_message"}"#,
            "\n",
            "not json\n",
        );
        let (documents, aside) = posts(input);
        assert_eq!(documents.len(), 3);
        assert_eq!(documents[0].id, "x:778");
        assert_eq!(documents[0].hashtags, ["Aleppo"]);
        assert_eq!(
            documents[0].published.map(|d| d.to_string()).as_deref(),
            Some("2016-09-19")
        );
        assert_eq!(documents[2].id, "telegram:Aleppo Media/5");
        assert_eq!(documents[2].text, "Shelling on #Aleppo");
        assert_eq!(aside.len(), 1);
        assert_eq!(aside[0].line, 6);
    }

    #[test]
    fn a_telegram_result_json_streams_its_messages() {
        let export = "{\n \"name\": \"Aleppo 24\",\n \"type\": \"public_channel\",\n \"messages\": [\n  {\"id\": 1, \"type\": \"message\", \"date\": \"2016-09-19T22:00:00\", \"text\": \"Barrel bombs on Daraya\"},\n  {\"id\": 2, \"type\": \"message\", \"date\": \"2016-09-20T08:00:00\", \"text\": \"\"}\n ]\n}\n";
        let (documents, aside) = posts(export);
        assert_eq!(documents.len(), 1, "{aside:?}");
        assert_eq!(documents[0].id, "telegram:Aleppo 24/1");
    }
}
