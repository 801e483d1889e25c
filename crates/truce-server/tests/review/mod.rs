//! The review queue: an analyst publishes or rejects what monitors file.

use super::*;

/// An analyst rejects a monitor's report, for a reason: it leaves the evidence (the
/// staff's findings no longer rest on it), cannot be published afterwards, the queue
/// shows it rejected with the reason, and the ledger records who and why
/// (`report-rejected`), withheld from the public.
pub async fn an_analyst_rejects_a_monitors_report_for_a_reason_on_the_ledger(backend: Backend) {
    let f = fixture("reject", backend);
    let words = "a column of smoke seen from the ridge, unconfirmed";
    let made = f
        .call(
            Method::POST,
            "/api/v1/reports",
            "monitor",
            Some(monitor_report(words)),
            Some("reject-1"),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    let n = made.json()["submission"].as_i64().expect("submission");
    let id = made.json()["id"].as_str().expect("id").to_string();
    let refreshed = f
        .call(Method::POST, "/api/v1/check", "analyst", None, None)
        .await;
    assert_eq!(refreshed.status, StatusCode::OK);
    let before = f.get("/api/v1/incidents?limit=1000", "analyst").await;
    assert!(
        before.text.contains(&id),
        "the staff see the report's incident before"
    );

    // A reason is required.
    let bare = f
        .call(
            Method::POST,
            &format!("/api/v1/reports/{n}/reject"),
            "analyst",
            Some(json!({"reason": "  "})),
            None,
        )
        .await;
    assert_eq!(bare.status, StatusCode::BAD_REQUEST, "{}", bare.text);
    assert!(bare.text.contains("reason"), "{}", bare.text);

    let reason = "the monitor was not on the ridge that day";
    let rejected = f
        .call(
            Method::POST,
            &format!("/api/v1/reports/{n}/reject"),
            "analyst",
            Some(json!({ "reason": reason })),
            None,
        )
        .await;
    assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.text);
    assert_eq!(rejected.json()["outcome"], "rejected");

    // Neither published nor rejected twice.
    for action in ["publish", "reject"] {
        let again = f
            .call(
                Method::POST,
                &format!("/api/v1/reports/{n}/{action}"),
                "analyst",
                Some(json!({ "reason": reason })),
                None,
            )
            .await;
        assert_eq!(
            again.status,
            StatusCode::NOT_FOUND,
            "{action}: {}",
            again.text
        );
    }

    // Once checked again, the staff's findings no longer rest on it.
    let refreshed = f
        .call(Method::POST, "/api/v1/check", "analyst", None, None)
        .await;
    assert_eq!(refreshed.status, StatusCode::OK);
    let after = f.get("/api/v1/incidents?limit=1000", "analyst").await;
    assert!(
        !after.text.contains(&id),
        "the rejected report is still evidence"
    );

    // The queue says it was rejected, and why.
    let queue = f
        .get("/api/v1/reports?published=false&limit=1000", "analyst")
        .await;
    let item = queue.json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["submission"].as_i64() == Some(n))
        .cloned()
        .expect("the rejected submission is listed");
    assert!(item["withdrawn"].is_string(), "{item}");
    assert_eq!(item["withdrawn_note"], format!("rejected: {reason}"));

    // The ledger: the staff read who rejected it and why; the public reads the type only.
    let staff_entries = f.get("/api/v1/ledger/entries?limit=1000", "admin").await;
    let record = staff_entries.json()["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["type"] == "report-rejected")
        .cloned()
        .expect("a report-rejected entry");
    assert_eq!(record["record"]["reason"], reason);
    assert_eq!(record["record"]["report"], id.as_str());
    assert_eq!(record["record"]["by"]["role"], "analyst");
    let public_entries = f
        .get("/api/v1/ledger/entries?limit=1000", "anonymous")
        .await;
    assert!(
        !public_entries.text.contains(reason) && public_entries.text.contains("report-rejected"),
        "{}",
        public_entries.text
    );
}
