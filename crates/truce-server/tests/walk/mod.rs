//! The disclosure walk: every GET route of the OpenAPI document, asked by every
//! role, and the bundle each role downloads, searched as strings for every
//! value the policy of `docs/api.md` ("Per role and per field") withholds from
//! that role — a witness's words, an unpublished report, a staff member's name,
//! protected sites' names, sources, points finer than a district — and, for
//! every role, secrets no answer may hold (password and token hashes, token
//! secrets).

use super::*;

/// What the policy withholds from one reader.
struct Withheld {
    /// The reader reads the agreement (its text names the protected sites and
    /// their places, which the parties negotiated): liaisons and the staff.
    reads_agreement: bool,
    /// The words of the published monitor's report (free text).
    published_words: bool,
    /// The words of a report no analyst has published.
    unpublished_words: bool,
    /// The name of the analyst who published it (staff identity).
    staff_name: bool,
    /// Protected sites' names, outside the agreement's own text and files.
    site_names: bool,
    /// Sources: ids, labels and field names.
    sources: bool,
    /// Points are district cells, never the exact point.
    exact_points: bool,
}

fn policy(caller: &str) -> Withheld {
    match caller {
        "analyst" | "admin" => Withheld {
            reads_agreement: true,
            published_words: false,
            unpublished_words: false,
            staff_name: false,
            site_names: false,
            sources: false,
            exact_points: false,
        },
        // The accused party's liaison and the other party's: sources on
        // incidents naming their party, nothing of the rest.
        "liaison" | "other-liaison" => Withheld {
            reads_agreement: true,
            published_words: true,
            unpublished_words: true,
            staff_name: true,
            site_names: true,
            sources: false,
            exact_points: true,
        },
        // The public, observers, and a monitor who filed none of the reports.
        _ => Withheld {
            reads_agreement: false,
            published_words: true,
            unpublished_words: true,
            staff_name: true,
            site_names: true,
            sources: true,
            exact_points: true,
        },
    }
}

/// The concrete URIs a GET route is asked as by `caller`: list routes with
/// a page of 1000; an incident's detail for the first 25 incidents of the
/// caller's own list; the ids of the example's entitlement and first run.
async fn uris(f: &Fixture, path: &str, caller: &str) -> Vec<String> {
    match path {
        "/api/v1/incidents/{id}" => {
            let list = f.get("/api/v1/incidents?limit=25", caller).await;
            if list.status != StatusCode::OK {
                return vec!["/api/v1/incidents/none".into()];
            }
            list.json()["items"]
                .as_array()
                .expect("items")
                .iter()
                .filter_map(|item| item["id"].as_str())
                .map(|id| format!("/api/v1/incidents/{id}"))
                .collect()
        }
        "/api/v1/imports/{run}/quarantine" => vec!["/api/v1/imports/1/quarantine".into()],
        "/api/v1/entitlements/{id}/payloads" => {
            vec!["/api/v1/entitlements/us-intelligence-to-russia/payloads".into()]
        }
        "/api/v1/entitlements/{id}/payloads/{payload}" => {
            vec!["/api/v1/entitlements/us-intelligence-to-russia/payloads/1".into()]
        }
        "/api/v1/ledger/proof/inclusion" => {
            vec!["/api/v1/ledger/proof/inclusion?index=0&size=2".into()]
        }
        "/api/v1/ledger/proof/consistency" => {
            vec!["/api/v1/ledger/proof/consistency?from=1&to=2".into()]
        }
        "/api/v1/findings" | "/api/v1/incidents" | "/api/v1/ledger/entries" | "/api/v1/reports" => {
            vec![format!("{path}?limit=1000")]
        }
        // The bundle is read apart, file by file.
        "/api/v1/ledger/bundle" => Vec::new(),
        _ => vec![path.to_string()],
    }
}

/// The hashes of the agreement's own text and files, as its ledger records name
/// them: a party's liaison reads the agreement, which names the protected sites.
pub(crate) fn agreement_shas(log: &str) -> BTreeSet<String> {
    log.lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|record| record["type"] == "agreement-version")
        .flat_map(|record| {
            let mut shas = vec![
                record["canonical_sha256"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            ];
            for file in record["files"].as_array().cloned().unwrap_or_default() {
                shas.push(file["sha256"].as_str().unwrap_or("").to_string());
            }
            shas
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_and_bundle_gives_each_role_only_what_the_policy_allows() {
    let mut f = fixture("walk", Backend::Sqlite);
    let published = "the nurse at the clinic gate saw the jet turn twice";
    let unpublished = "the baker counted four craters behind the mill";
    let staff = "Nadia Haddad";
    let (publisher, filer) = blocking(|| {
        let mut store = truce_store::open_storage(&f.database).expect("store");
        (
            user_with_token(store.as_mut(), staff, "analyst", None),
            user_with_token(store.as_mut(), "field monitor 7", "monitor", None),
        )
    });
    f.tokens.insert("publisher", publisher);
    f.tokens.insert("filer", filer);
    let mut submissions = Vec::new();
    for (words, key) in [(published, "walk-1"), (unpublished, "walk-2")] {
        let made = f
            .call(
                Method::POST,
                "/api/v1/reports",
                "filer",
                Some(monitor_report(words)),
                Some(key),
            )
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
        submissions.push(made.json()["submission"].as_i64().expect("submission"));
    }
    let publish = f
        .call(
            Method::POST,
            &format!("/api/v1/reports/{}/publish", submissions[0]),
            "publisher",
            None,
            None,
        )
        .await;
    assert!(publish.status.is_success(), "{}", publish.text);
    let refreshed = f
        .call(Method::POST, "/api/v1/check", "analyst", None, None)
        .await;
    assert_eq!(refreshed.status, StatusCode::OK);

    let site_names = site_names(&f);
    assert!(!site_names.is_empty());
    // Secrets no answer may hold, for anyone: every token's secret part and
    // any argon2 hash.
    let mut secrets: Vec<String> = f
        .tokens
        .values()
        // `truce_<lookup>_<secret>`, the secret itself may hold `_`.
        .filter_map(|token| token.splitn(3, '_').nth(2).map(str::to_string))
        .collect();
    secrets.push("$argon2".into());

    let document = f.get("/openapi.json", "anonymous").await.json();
    let gets: Vec<String> = document["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .filter(|(_, item)| item.get("get").is_some())
        .map(|(path, _)| path.clone())
        .collect();
    assert!(gets.len() >= 25, "{gets:?}");

    // What each role was shown, so the test can fail: the staff see it all.
    let mut seen_by: BTreeMap<&str, String> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut searched = 0usize;
    for caller in [
        "anonymous",
        "observer",
        "monitor",
        "liaison",
        "other-liaison",
        "analyst",
        "admin",
    ] {
        let rule = policy(caller);
        let mut answers: Vec<(String, String, bool)> = Vec::new();
        for path in &gets {
            for uri in uris(&f, path, caller).await {
                let answer = f.get(&uri, caller).await;
                // The agreement's own content: its text, versions, zones and sites.
                let is_agreement = uri.starts_with("/api/v1/agreement")
                    || uri == "/api/v1/map/sites"
                    || uri == "/api/v1/map/zones";
                answers.push((uri, answer.text, is_agreement));
            }
        }
        let bundle = bundle_for(&f, caller).await;
        let own_files = bundle
            .get("bundle/log.jsonl")
            .map(|log| agreement_shas(&String::from_utf8_lossy(log)))
            .unwrap_or_default();
        for (name, bytes) in bundle {
            let sha = name.rsplit('/').next().unwrap_or("").to_string();
            answers.push((
                format!("bundle {name}"),
                String::from_utf8_lossy(&bytes).into_owned(),
                own_files.contains(&sha),
            ));
        }
        let all = seen_by.entry(caller).or_default();
        for (what, text, agreement) in &answers {
            // What the reader reads as the agreement; the base map's countries
            // and the zones are geography, not anyone's whereabouts; the API's
            // own description names the sources it reads.
            let agreement_text = *agreement && rule.reads_agreement;
            let geography = what == "/api/v1/map/base" || what == "/api/v1/map/zones";
            let documentation = what == "/openapi.json";
            searched += text.len();
            all.push_str(text);
            let mut withheld: Vec<&str> = Vec::new();
            if rule.published_words {
                withheld.push(published);
            }
            if rule.unpublished_words {
                withheld.push(unpublished);
            }
            if rule.staff_name {
                withheld.push(staff);
            }
            if rule.sources && !documentation {
                withheld.extend([
                    "ucdp-ged",
                    "monitor:",
                    "UCDP",
                    "type_of_violence",
                    "side_a",
                    "side_b",
                ]);
            }
            if rule.site_names && !agreement_text {
                withheld.extend(site_names.iter().map(String::as_str));
            }
            withheld.extend(secrets.iter().map(String::as_str));
            for value in withheld {
                if text.contains(value) {
                    problems.push(format!("{caller}: {what} shows `{value}`"));
                }
            }
            if rule.exact_points
                && !agreement_text
                && !geography
                && let Ok(json) = serde_json::from_str::<Value>(text)
            {
                let mut found = Vec::new();
                points(&json, "", &mut found);
                for (at, value) in found {
                    if !on_district_grid(value) {
                        problems.push(format!(
                            "{caller}: {what}{at} = {value} is finer than a district cell"
                        ));
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    // The staff are shown what the others are not (so the search can find it);
    // a staff member's name only in the user list, which only the admin reads.
    for value in [published, unpublished, "ucdp-ged"] {
        assert!(
            seen_by["analyst"].contains(value),
            "the analyst is shown `{value}`"
        );
    }
    assert!(
        !seen_by["analyst"].contains(staff),
        "a pseudonym in the ledger"
    );
    assert!(
        seen_by["admin"].contains(staff),
        "the admin reads the user list"
    );
    assert!(
        site_names
            .iter()
            .any(|name| seen_by["analyst"].contains(name.as_str())),
        "the analyst is shown a site's name"
    );
    assert!(searched > 10_000_000, "only {searched} bytes searched");
}
