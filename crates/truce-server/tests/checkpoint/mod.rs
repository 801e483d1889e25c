//! Signing a checkpoint from the server, with the mission's key its settings name.

use super::*;

/// A mission admin signs a checkpoint of the ledger through the API when the
/// server's settings name the mission's key; without a key (or with one the
/// agreement does not list) the answer is `409 no-mission-key` and nothing is
/// signed; other roles are refused.
pub async fn an_admin_signs_a_checkpoint_with_the_missions_key(backend: Backend) {
    let mut f = fixture("checkpoint", backend);
    // Before the first checkpoint: the ledger says so in a 200, as does no 404.
    let fresh = f.get("/api/v1/ledger", "anonymous").await;
    assert_eq!(fresh.status, StatusCode::OK, "{}", fresh.text);
    let fresh = fresh.json();
    assert!(fresh["checkpoint"].is_null(), "{fresh}");
    assert!(fresh["log_size"].as_u64().is_some_and(|n| n > 0), "{fresh}");
    let none = f.get("/api/v1/ledger/checkpoint", "anonymous").await;
    assert_eq!(none.status, StatusCode::NOT_FOUND, "{}", none.text);
    let refused = f
        .call(
            Method::POST,
            "/api/v1/ledger/checkpoint",
            "admin",
            None,
            None,
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text);
    assert_eq!(refused.json()["code"], "no-mission-key");

    // The mission's key, listed by the agreement, named in the server's settings.
    let signer =
        truce_audit::SignerKey::from_seed("test-mission", truce_audit::KeyType::Ed25519, &[9; 32])
            .expect("key");
    let key_file = f._dir.0.join("mission.key");
    std::fs::write(&key_file, signer.to_private_text()).expect("key file");
    let agreement_file = f._dir.0.join("syria-2016/agreement.toml");
    let mut text = std::fs::read_to_string(&agreement_file).expect("agreement");
    text.push_str(&format!(
        "\n[ledger]\nmission_keys = [\"{}\"]\n",
        signer.verifier_key()
    ));
    std::fs::write(&agreement_file, text).expect("agreement");
    let mission = load_agreement(&agreement_file, false).expect("agreement");
    let settings = Settings {
        database: f.database.clone(),
        mission_key: Some(key_file),
        ..Settings::default()
    };
    let state = blocking(move || AppState::open(settings, mission).expect("state"));
    f.app = app(state.clone());
    f.state = state;

    let analyst = f
        .call(
            Method::POST,
            "/api/v1/ledger/checkpoint",
            "analyst",
            None,
            None,
        )
        .await;
    assert_eq!(analyst.status, StatusCode::FORBIDDEN, "{}", analyst.text);
    let signed = f
        .call(
            Method::POST,
            "/api/v1/ledger/checkpoint",
            "admin",
            None,
            None,
        )
        .await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.text);
    let signed = signed.json();
    let size = signed["size"].as_u64().expect("size");
    assert!(size > 0);
    assert_eq!(signed["log_size"].as_u64(), Some(size));
    let note = signed["note"].as_str().expect("note");
    assert!(note.contains("— test-mission "), "{note}");
    // The note verifies with the mission's public key, over the log's root.
    let verifier = signer.verifier_key();
    let opened =
        truce_audit::open_checkpoint(note.as_bytes(), &verifier, &[]).expect("a valid signature");
    assert_eq!(opened.checkpoint.size, size);
    let latest = f.get("/api/v1/ledger/checkpoint", "anonymous").await;
    assert_eq!(latest.json()["note"], note);
    let ledger = f.get("/api/v1/ledger", "anonymous").await.json();
    assert_eq!(ledger["checkpoint"]["note"], note);
    assert_eq!(ledger["checkpoint"]["size"].as_u64(), Some(size));
    assert!(
        ledger["log_size"].as_u64().is_some_and(|n| n >= size),
        "{ledger}"
    );
}
