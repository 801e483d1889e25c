//! The reason chains in the caller's language.

use super::*;

fn reason_texts(detail: &Value) -> Vec<String> {
    detail["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .flat_map(|f| f["reasons"].as_array().expect("reasons").iter())
        .map(|r| r["text"].as_str().expect("text").to_string())
        .collect()
}

/// An analyst who reads Arabic gets every link of an incident's reason chain in
/// Arabic, the same links in the same order as in English; the public gets the
/// sentences that stand in for withheld ones in Arabic too; without the header,
/// or with a language truce does not speak, the answer is English as before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reason_chains_are_written_in_the_callers_language() {
    let f = fixture("language", Backend::Sqlite);
    let page = f.get("/api/v1/findings?limit=200", "analyst").await.json();
    // The incident whose finding has the longest chain.
    let incident = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .max_by_key(|finding| finding["reasons"].as_array().map_or(0, Vec::len))
        .map(|finding| finding["incident"].as_str().expect("id").to_string())
        .expect("a finding");
    let uri = format!("/api/v1/incidents/{incident}");
    let ask = |caller: &'static str, language: Option<&'static str>| {
        let bearer = f.tokens.get(caller).map(|t| format!("Bearer {t}"));
        let uri = uri.clone();
        let f = &f;
        async move {
            let mut headers: Vec<(&str, &str)> = Vec::new();
            if let Some(bearer) = bearer.as_deref() {
                headers.push(("authorization", bearer));
            }
            if let Some(language) = language {
                headers.push(("accept-language", language));
            }
            let (answer, _) = f.raw(Method::GET, &uri, &headers, None).await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
            answer.json()
        }
    };

    let english = reason_texts(&ask("analyst", None).await);
    let arabic = reason_texts(&ask("analyst", Some("ar-SY,ar;q=0.9,en;q=0.5")).await);
    assert!(english.len() >= 4, "{english:?}");
    assert_eq!(arabic.len(), english.len());
    for (ar, en) in arabic.iter().zip(&english) {
        assert_ne!(ar, en);
        let words = truce_words::own_words(ar);
        assert!(
            !words.chars().any(|c| c.is_ascii_alphabetic()),
            "English left in Arabic: {words} (from {en})"
        );
        assert!(
            words
                .chars()
                .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
            "{ar}"
        );
    }
    // English is the stable text, with no marks; a language truce does not speak is English.
    assert!(english.iter().all(|t| !t.contains('\u{2068}')));
    assert_eq!(reason_texts(&ask("analyst", Some("fr-FR")).await), english);

    // The public's chain says in truce's own words what the disclosure policy
    // keeps from it (the sources' names and fields), in Arabic too.
    let public_page = |language: Option<&'static str>| {
        let f = &f;
        async move {
            let headers: Vec<(&str, &str)> = language
                .map(|l| ("accept-language", l))
                .into_iter()
                .collect();
            let (answer, _) = f
                .raw(Method::GET, "/api/v1/findings?limit=50", &headers, None)
                .await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
            let page = answer.json();
            page["items"]
                .as_array()
                .expect("items")
                .iter()
                .flat_map(|f| f["reasons"].as_array().expect("reasons").clone())
                .map(|r| r["text"].as_str().expect("text").to_string())
                .collect::<Vec<_>>()
        }
    };
    let public_english = public_page(None).await;
    let public_arabic = public_page(Some("ar")).await;
    assert!(public_english.len() >= 10, "{public_english:?}");
    assert_eq!(public_arabic.len(), public_english.len());
    assert!(
        public_english.iter().any(|t| t.starts_with("the reports ")),
        "the public reads truce's own words for the sources': {public_english:?}"
    );
    for (ar, en) in public_arabic.iter().zip(&public_english) {
        assert_ne!(ar, en);
        assert!(
            !truce_words::own_words(ar)
                .chars()
                .any(|c| c.is_ascii_alphabetic()),
            "{ar} (from {en})"
        );
    }
}
