//! The server, tested through its router with real requests, on a store holding
//! the 6,170 real UCDP GED events of Syria 2016 and the Syria example agreement.
//! Every test runs twice: on a SQLite file, and on a real PostgreSQL database
//! (a fresh one per test, on the server `TRUCE_TEST_POSTGRES_URL` names, which
//! `scripts/test.sh` starts with `scripts/postgres.sh`).

mod checkpoint;
mod language;
mod review;
use checkpoint::an_admin_signs_a_checkpoint_with_the_missions_key;
use review::an_analyst_rejects_a_monitors_report_for_a_reason_on_the_ledger;
mod walk;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;
use truce_server::auth::Role;
use truce_server::settings::Settings;
use truce_server::{AppState, app, load_agreement};

const AT: &str = "2026-11-25T00:00:00Z";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The callers every route is tried with.
const CALLERS: [&str; 8] = [
    "anonymous",
    "observer",
    "monitor",
    "analyst",
    "admin",
    "liaison",
    "other-liaison",
    "revoked",
];

/// Where a test's store lives.
enum Backend {
    Sqlite,
    /// A PostgreSQL server's URL (its `truce_test` database); each test makes its own database there.
    Postgres(String),
}

impl Backend {
    /// PostgreSQL when the tests were given a server. `TRUCE_REQUIRE_POSTGRES=1`
    /// (set by CI) makes a missing server a failure rather than a skip.
    fn postgres() -> Option<Backend> {
        match std::env::var("TRUCE_TEST_POSTGRES_URL") {
            Ok(url) if !url.is_empty() => Some(Backend::Postgres(url)),
            _ => {
                assert!(
                    std::env::var("TRUCE_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                    "TRUCE_REQUIRE_POSTGRES=1 but TRUCE_TEST_POSTGRES_URL is not set"
                );
                eprintln!("skipped: TRUCE_TEST_POSTGRES_URL is not set (scripts/test.sh sets it)");
                None
            }
        }
    }
}

/// A fresh PostgreSQL database for one test on the server of `url`; its URL.
fn fresh_postgres_database(url: &str, name: &str) -> String {
    let database = format!("truce_{}_{}", name.replace('-', "_"), std::process::id());
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("PostgreSQL server");
    // Two statements: neither may run inside a transaction block.
    client
        .batch_execute(&format!("DROP DATABASE IF EXISTS {database}"))
        .expect("drop an old test database");
    client
        .batch_execute(&format!("CREATE DATABASE {database}"))
        .expect("create the test database");
    match url.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{database}"),
        None => panic!("TRUCE_TEST_POSTGRES_URL has no database: {url}"),
    }
}

/// Runs a test body on SQLite and on PostgreSQL, as two tests.
macro_rules! on_both_backends {
    ($($body:ident),* $(,)?) => {
        $(
            mod $body {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$body(super::Backend::Sqlite).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(backend) = super::Backend::postgres() {
                        super::$body(backend).await;
                    }
                }
            }
        )*
    };
}

on_both_backends!(
    the_bundle_holds_the_ledger_as_each_reader_may_read_it,
    the_ledger_lists_each_entry_as_the_caller_may_read_it,
    an_entitlement_is_released_only_on_its_verified_step,
    uploads_are_checked_imported_and_recorded,
    a_person_logs_in_and_every_change_needs_the_csrf_token,
    every_route_answers_every_role_as_the_matrix_says,
    the_public_never_reads_a_withheld_field,
    a_liaison_sees_its_own_party_as_liaison_policy_allows_and_nothing_of_another,
    concurrent_monitors_store_every_report_exactly_once,
    a_bad_report_names_its_field,
    as_of_a_day_the_store_is_read_as_it_stood_when_the_day_ended,
    a_revoked_token_stops_at_once_on_every_server_of_the_store,
    an_analyst_rejects_a_monitors_report_for_a_reason_on_the_ledger,
    an_admin_signs_a_checkpoint_with_the_missions_key,
);

struct Fixture {
    _dir: TempDir,
    /// The store: a SQLite file's path or a PostgreSQL URL.
    database: String,
    state: Arc<AppState>,
    app: Router,
    tokens: BTreeMap<&'static str, String>,
}

/// A folder removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn temp_dir(name: &str) -> TempDir {
    let dir = std::env::temp_dir().join(format!(
        "truce-server-{name}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    TempDir(dir)
}

/// Store work from a test's async body: the PostgreSQL client runs its own
/// runtime, which may not start on a thread driving the test's.
fn blocking<T>(work: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(work)
}

/// A new user of the store with a token of their own: the token.
fn user_with_token(
    store: &mut dyn truce_store::Storage,
    name: &str,
    role: &str,
    party: Option<&str>,
) -> String {
    let id = store
        .add_principal(name, role, party, None, AT)
        .expect("add")
        .expect("new");
    let stored = store.principal(id).expect("read").expect("user");
    truce_server::admin::issue_token(
        store,
        &stored,
        None,
        test_actor("test"),
        test_actor(&format!("user {id}")),
    )
    .expect("token")
    .token
}

fn fixture(name: &str, backend: Backend) -> Fixture {
    blocking(|| fixture_now(name, backend))
}

fn fixture_now(name: &str, backend: Backend) -> Fixture {
    let dir = temp_dir(name);
    let database = match backend {
        Backend::Sqlite => dir.0.join("mission.db").display().to_string(),
        Backend::Postgres(url) => fresh_postgres_database(&url, name),
    };
    let mut store = truce_store::open_storage(&database).expect("store");
    let ged = repo().join("examples/syria-2016/data/ged191_syria_2016.csv");
    let bytes = std::fs::read(&ged).expect("GED file");
    let imported = truce_ingest::import_reader(
        "ged191_syria_2016.csv",
        bytes.as_slice(),
        None,
        &truce_ingest::ImportOptions { keep_raw: false },
    )
    .expect("import");
    let meta = truce_store::FileMeta {
        name: "ged191_syria_2016.csv".into(),
        sha256: truce_store::sha256_hex(&bytes),
        size: bytes.len() as u64,
        format: "ucdp-ged".into(),
    };
    let run = store
        .import_all(&meta, &imported.reports, &imported.quarantined, &[], AT)
        .expect("import run");
    assert_eq!(run.counts.stored, 6170);

    let users: [(&'static str, Role, Option<&str>); 7] = [
        ("observer", Role::Observer, None),
        ("monitor", Role::Monitor, None),
        ("analyst", Role::Analyst, None),
        ("admin", Role::MissionAdmin, None),
        ("liaison", Role::PartyLiaison, Some("russia")),
        ("other-liaison", Role::PartyLiaison, Some("opposition")),
        ("revoked", Role::Analyst, None),
    ];
    let mut tokens = BTreeMap::new();
    for (name, role, party) in users {
        let id = store
            .add_principal(name, role.as_str(), party, None, AT)
            .expect("add user")
            .expect("new user");
        let stored = store.principal(id).expect("read").expect("user");
        let issued = truce_server::admin::issue_token(
            store.as_mut(),
            &stored,
            None,
            test_actor("test"),
            test_actor(role.as_str()),
        )
        .expect("token");
        if name == "revoked" {
            store.revoke_token(issued.id, AT).expect("revoke");
        }
        tokens.insert(name, issued.token);
    }
    drop(store);

    // The agreement and the files it reads, copied: an upload rewrites the agreement file.
    let example = dir.0.join("syria-2016");
    copy_folder(&repo().join("examples/syria-2016"), &example);
    let mission = load_agreement(&example.join("agreement.toml"), false).expect("agreement");
    let settings = Settings {
        database: database.clone(),
        ..Settings::default()
    };
    let state = AppState::open(settings, mission).expect("state");
    let app = app(state.clone());
    Fixture {
        _dir: dir,
        database,
        state,
        app,
        tokens,
    }
}

struct Answer {
    status: StatusCode,
    text: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

impl Fixture {
    async fn call(
        &self,
        method: Method,
        uri: &str,
        caller: &str,
        body: Option<Value>,
        key: Option<&str>,
    ) -> Answer {
        let bearer = self
            .tokens
            .get(caller)
            .map(|token| format!("Bearer {token}"));
        let mut headers: Vec<(&str, &str)> = Vec::new();
        if let Some(bearer) = bearer.as_deref() {
            headers.push(("authorization", bearer));
        }
        if let Some(key) = key {
            headers.push(("idempotency-key", key));
        }
        self.raw(method, uri, &headers, body).await.0
    }

    /// A request whose body is a file's bytes, with the given headers.
    async fn raw_bytes(
        &self,
        method: Method,
        uri: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> (Answer, Vec<String>) {
        self.send(
            method,
            uri,
            headers,
            Some(("application/octet-stream", body)),
        )
        .await
    }

    /// A request with the given headers and no token, its body JSON when given.
    async fn raw(
        &self,
        method: Method,
        uri: &str,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> (Answer, Vec<String>) {
        let body = body.map(|b| ("application/json", b.to_string().into_bytes()));
        self.send(method, uri, headers, body).await
    }

    /// One request: its status, body and the cookies it sets.
    async fn send(
        &self,
        method: Method,
        uri: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, Vec<u8>)>,
    ) -> (Answer, Vec<String>) {
        let mut request = Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = match body {
            Some((content_type, bytes)) => request
                .header("content-type", content_type)
                .body(Body::from(bytes)),
            None => request.body(Body::empty()),
        }
        .expect("request");
        let response = self.app.clone().oneshot(request).await.expect("response");
        let status = response.status();
        let cookies = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        (
            Answer {
                status,
                text: String::from_utf8_lossy(&bytes).into_owned(),
            },
            cookies,
        )
    }

    async fn get(&self, uri: &str, caller: &str) -> Answer {
        self.call(Method::GET, uri, caller, None, None).await
    }
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The Syria agreement's text, as in force.
fn agreement_text() -> Vec<u8> {
    std::fs::read(repo().join("examples/syria-2016/agreement.toml")).expect("agreement")
}

/// The GED file's header and its first `rows` rows.
fn ged_sample(rows: usize) -> Vec<u8> {
    let text =
        std::fs::read_to_string(repo().join("examples/syria-2016/data/ged191_syria_2016.csv"))
            .expect("GED file");
    let mut out = String::new();
    for line in text.lines().take(rows + 1) {
        out.push_str(line);
        out.push('\n');
    }
    out.into_bytes()
}

fn monitor_report(text: &str) -> Value {
    json!({
        "date": "2016-09-20",
        "lat": 36.2021,
        "lon": 37.1343,
        "location_precision": "exact",
        "place": "Urum al-Kubra",
        "kind": "air-strike",
        "actors": [{"name": "Russian Air Force", "role": "initiator"}],
        "casualties": {"low": 10, "best": 12, "high": 20},
        "text": text,
        "attachments": ["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"]
    })
}

/// What each caller gets from each route, in the order of [`CALLERS`].
fn expected_matrix() -> BTreeMap<(&'static str, &'static str), [u16; 8]> {
    const PUBLIC: [u16; 8] = [200, 200, 200, 200, 200, 200, 200, 401];
    const ADMIN_ONLY: [u16; 8] = [401, 403, 403, 403, 200, 403, 403, 401];
    const STAFF: [u16; 8] = [401, 403, 403, 200, 200, 403, 403, 401];
    BTreeMap::from([
        (("GET", "/healthz"), [200; 8]),
        (("GET", "/openapi.json"), [200; 8]),
        (("GET", "/metrics"), ADMIN_ONLY),
        (
            ("GET", "/api/v1/me"),
            [401, 200, 200, 200, 200, 200, 200, 401],
        ),
        // A wrong password, whoever asks; logging out needs a session cookie.
        (("POST", "/api/v1/login"), [401; 8]),
        (("POST", "/api/v1/logout"), [401; 8]),
        (("GET", "/api/v1/agreement"), PUBLIC),
        (("POST", "/api/v1/agreement"), ADMIN_ONLY),
        (
            ("POST", "/api/v1/evidence"),
            [401, 403, 403, 201, 201, 403, 403, 401],
        ),
        (("GET", "/api/v1/imports"), STAFF),
        (("GET", "/api/v1/imports/{run}/quarantine"), STAFF),
        (
            ("GET", "/api/v1/agreement/versions"),
            [401, 403, 403, 200, 200, 200, 200, 401],
        ),
        (("GET", "/api/v1/brackets"), PUBLIC),
        (("GET", "/api/v1/steps"), PUBLIC),
        (("GET", "/api/v1/findings"), PUBLIC),
        (("GET", "/api/v1/incidents"), PUBLIC),
        (("GET", "/api/v1/incidents/{id}"), PUBLIC),
        (("GET", "/api/v1/map/incidents"), PUBLIC),
        (("GET", "/api/v1/map/zones"), PUBLIC),
        (("GET", "/api/v1/map/sites"), PUBLIC),
        (("GET", "/api/v1/map/base"), PUBLIC),
        (("GET", "/api/v1/timeline"), PUBLIC),
        (
            ("POST", "/api/v1/reports"),
            [401, 403, 201, 201, 201, 403, 403, 401],
        ),
        (
            ("GET", "/api/v1/reports"),
            [401, 403, 200, 200, 200, 403, 403, 401],
        ),
        (("POST", "/api/v1/reports/{submission}/publish"), STAFF),
        (("POST", "/api/v1/reports/{submission}/reject"), STAFF),
        (("POST", "/api/v1/check"), STAFF),
        // The ledger at a glance: everyone reads it, a checkpoint signed or not.
        (("GET", "/api/v1/ledger"), PUBLIC),
        // No checkpoint is signed in this store: found by no one, refused to a revoked token.
        (
            ("GET", "/api/v1/ledger/checkpoint"),
            [404, 404, 404, 404, 404, 404, 404, 401],
        ),
        // The fixture's settings name no mission key: only an admin gets that far.
        (
            ("POST", "/api/v1/ledger/checkpoint"),
            [401, 403, 403, 403, 409, 403, 403, 401],
        ),
        (("GET", "/api/v1/ledger/proof/inclusion"), PUBLIC),
        // Everyone gets a bundle, made for them (the public's withholds what the
        // disclosure policy withholds).
        (("GET", "/api/v1/ledger/bundle"), PUBLIC),
        (("GET", "/api/v1/ledger/entries"), PUBLIC),
        (("GET", "/api/v1/ledger/proof/consistency"), PUBLIC),
        (
            ("GET", "/api/v1/entitlements"),
            [401, 403, 403, 200, 200, 200, 200, 401],
        ),
        // The example's entitlements wait on a step that was never met.
        (
            ("POST", "/api/v1/entitlements/{id}/release"),
            [401, 403, 403, 403, 409, 403, 403, 401],
        ),
        // Never released, so nothing to suspend: only an admin gets that far.
        (
            ("POST", "/api/v1/entitlements/{id}/suspend"),
            [401, 403, 403, 403, 409, 403, 403, 401],
        ),
        (
            ("GET", "/api/v1/entitlements/{id}/payloads"),
            [401, 403, 403, 200, 200, 200, 404, 401],
        ),
        (
            ("GET", "/api/v1/entitlements/{id}/payloads/{payload}"),
            [401, 403, 403, 409, 409, 409, 404, 401],
        ),
        (("GET", "/api/v1/users"), ADMIN_ONLY),
        (
            ("POST", "/api/v1/users"),
            [401, 403, 403, 403, 201, 403, 403, 401],
        ),
        (("GET", "/api/v1/tokens"), ADMIN_ONLY),
        (
            ("POST", "/api/v1/tokens"),
            [401, 403, 403, 403, 201, 403, 403, 401],
        ),
        (
            ("DELETE", "/api/v1/tokens/{id}"),
            [401, 403, 403, 403, 204, 403, 403, 401],
        ),
    ])
}

/// Every route of the OpenAPI document, tried by every caller: the expected
/// status each time, and a route without a line in the matrix fails the test.
async fn every_route_answers_every_role_as_the_matrix_says(backend: Backend) {
    let f = fixture("matrix", backend);
    let document = f.get("/openapi.json", "anonymous").await.json();
    let mut routes = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("item").keys() {
            routes.insert((method.to_uppercase(), path.clone()));
        }
    }
    let matrix = expected_matrix();
    let listed: BTreeSet<(String, String)> = matrix
        .keys()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(
        routes, listed,
        "the OpenAPI document's routes and the matrix must list the same routes"
    );

    let mut failures = Vec::new();
    let mut counter = 0u32;
    for ((method, path), expected) in &matrix {
        for (caller, want) in CALLERS.iter().zip(expected) {
            counter += 1;
            let (uri, body, key) = match (*method, *path) {
                ("GET", "/api/v1/incidents/{id}") => {
                    let list = f.get("/api/v1/incidents?limit=1", caller).await;
                    let id = if list.status == StatusCode::OK {
                        list.json()["items"][0]["id"]
                            .as_str()
                            .unwrap_or("none")
                            .to_string()
                    } else {
                        "none".to_string()
                    };
                    (format!("/api/v1/incidents/{id}"), None, None)
                }
                ("POST", "/api/v1/entitlements/{id}/suspend") => (
                    "/api/v1/entitlements/us-intelligence-to-russia/suspend".to_string(),
                    Some(json!({"reason": "the matrix suspends it"})),
                    None,
                ),
                ("POST", "/api/v1/entitlements/{id}/release") => (
                    "/api/v1/entitlements/us-intelligence-to-russia/release".to_string(),
                    None,
                    None,
                ),
                ("GET", "/api/v1/entitlements/{id}/payloads") => (
                    "/api/v1/entitlements/us-intelligence-to-russia/payloads".to_string(),
                    None,
                    None,
                ),
                ("GET", "/api/v1/entitlements/{id}/payloads/{payload}") => (
                    "/api/v1/entitlements/us-intelligence-to-russia/payloads/1".to_string(),
                    None,
                    None,
                ),
                ("GET", "/api/v1/imports/{run}/quarantine") => {
                    ("/api/v1/imports/1/quarantine".to_string(), None, None)
                }
                ("GET", "/api/v1/ledger/proof/inclusion") => (
                    "/api/v1/ledger/proof/inclusion?index=0".to_string(),
                    None,
                    None,
                ),
                ("GET", "/api/v1/ledger/proof/consistency") => (
                    "/api/v1/ledger/proof/consistency?from=1".to_string(),
                    None,
                    None,
                ),
                ("POST", "/api/v1/reports") => (
                    path.to_string(),
                    Some(monitor_report("matrix")),
                    Some(format!("matrix-{counter}")),
                ),
                (
                    "POST",
                    "/api/v1/reports/{submission}/publish" | "/api/v1/reports/{submission}/reject",
                ) => {
                    // A new submission each time, so each allowed caller has one to
                    // publish or reject (a rejection says why).
                    let action = path.rsplit('/').next().unwrap_or_default();
                    let made = f
                        .call(
                            Method::POST,
                            "/api/v1/reports",
                            "monitor",
                            Some(monitor_report(&format!("to {action}"))),
                            Some(&format!("{action}-{counter}")),
                        )
                        .await;
                    let n = made.json()["submission"].as_i64().expect("submission");
                    let body =
                        (action == "reject").then(|| json!({"reason": "the matrix rejects it"}));
                    (format!("/api/v1/reports/{n}/{action}"), body, None)
                }
                ("POST", "/api/v1/login") => (
                    path.to_string(),
                    // A name per try: a fourth wrong password for one name would
                    // be refused as backing off (429), not checked (401).
                    Some(
                        json!({"name": format!("admin-{counter}"), "password": "not the password"}),
                    ),
                    None,
                ),
                ("POST", "/api/v1/users") => (
                    path.to_string(),
                    Some(json!({"name": format!("user-{counter}"), "role": "analyst"})),
                    None,
                ),
                ("POST", "/api/v1/tokens") => (
                    path.to_string(),
                    Some(json!({"user": "monitor", "label": "matrix"})),
                    None,
                ),
                ("DELETE", "/api/v1/tokens/{id}") => {
                    let made = f
                        .call(
                            Method::POST,
                            "/api/v1/tokens",
                            "admin",
                            Some(json!({"user": "observer"})),
                            None,
                        )
                        .await;
                    let n = made.json()["id"].as_i64().expect("token id");
                    (format!("/api/v1/tokens/{n}"), None, None)
                }
                _ => (path.to_string(), None, None),
            };
            let method = Method::from_bytes(method.as_bytes()).expect("method");
            let answer = match *path {
                // These two read their body as a file, not as JSON.
                "/api/v1/agreement" | "/api/v1/evidence" if method == Method::POST => {
                    let (uri, file) = if *path == "/api/v1/agreement" {
                        (path.to_string(), agreement_text())
                    } else {
                        (
                            format!("/api/v1/evidence?name=matrix-{counter}.csv"),
                            ged_sample(5),
                        )
                    };
                    let bearer = f.tokens.get(caller).map(|t| format!("Bearer {t}"));
                    let headers: Vec<(&str, &str)> = bearer
                        .as_deref()
                        .map(|b| vec![("authorization", b)])
                        .unwrap_or_default();
                    f.raw_bytes(Method::POST, &uri, &headers, file).await.0
                }
                _ => {
                    f.call(method.clone(), &uri, caller, body, key.as_deref())
                        .await
                }
            };
            if answer.status.as_u16() != *want {
                failures.push(format!(
                    "{method} {uri} as {caller}: {} (expected {want}): {}",
                    answer.status,
                    answer.text.chars().take(200).collect::<String>()
                ));
            }
            // Every error has the API's shape and a documented code.
            if !answer.status.is_success() {
                let body = answer.json();
                let code = body["code"].as_str().unwrap_or_default();
                assert!(
                    truce_server::error::ERROR_CODES
                        .iter()
                        .any(|(c, s, _)| *c == code && *s == answer.status.as_u16()),
                    "{method} {uri} as {caller}: undocumented error {code} {}",
                    answer.status
                );
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The names of the agreement's protected sites.
fn site_names(f: &Fixture) -> Vec<String> {
    f.state
        .mission()
        .agreement
        .sites
        .iter()
        .map(|s| s.name.clone())
        .collect()
}

/// True when a shown coordinate is the centre of a district cell: the cells
/// of the disclosure policy are 0.25° wide.
fn on_district_grid(value: f64) -> bool {
    let offset = (value - 0.125) / 0.25;
    (offset - offset.round()).abs() < 1e-6
}

/// Every number under a `point` or a GeoJSON geometry, with where it was.
fn points(value: &Value, path: &str, out: &mut Vec<(String, f64)>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let here = format!("{path}.{key}");
                if key == "point" || key == "geometry" {
                    numbers(v, &here, out);
                } else {
                    points(v, &here, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                points(v, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

fn numbers(value: &Value, path: &str, out: &mut Vec<(String, f64)>) {
    match value {
        Value::Number(n) => out.push((path.to_string(), n.as_f64().unwrap_or(f64::NAN))),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| numbers(v, &format!("{path}[{i}]"), out)),
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| numbers(v, &format!("{path}.{k}"), out)),
        _ => {}
    }
}

/// Everything an observer (and a caller without a token) can read, page by
/// page: no name of a protected site, no source, no free text, no unpublished
/// monitor's report, and no coordinate finer than the district cells of the policy.
async fn the_public_never_reads_a_withheld_field(backend: Backend) {
    let f = fixture("disclosure", backend);
    // An unpublished monitor's report, with words of its own to look for.
    let secret = "seen by monitor near the clinic gate";
    let made = f
        .call(
            Method::POST,
            "/api/v1/reports",
            "monitor",
            Some(monitor_report(secret)),
            Some("disclosure-1"),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    let refreshed = f
        .call(Method::POST, "/api/v1/check", "analyst", None, None)
        .await;
    assert_eq!(refreshed.status, StatusCode::OK);
    // The staff see the monitor's report behind an incident; the public must not.
    let staff = f
        .get("/api/v1/incidents?limit=1000", "analyst")
        .await
        .json();
    let staff_text = staff.to_string();

    let mut answers = Vec::new();
    for caller in ["anonymous", "observer", "monitor"] {
        for uri in [
            "/api/v1/agreement",
            "/api/v1/brackets",
            "/api/v1/steps",
            "/api/v1/timeline",
            "/api/v1/map/incidents",
            "/api/v1/map/sites",
        ] {
            answers.push((uri.to_string(), f.get(uri, caller).await));
        }
        for list in ["/api/v1/findings", "/api/v1/incidents"] {
            let mut cursor: Option<String> = None;
            loop {
                let uri = match &cursor {
                    Some(c) => format!("{list}?limit=1000&cursor={c}"),
                    None => format!("{list}?limit=1000"),
                };
                let page = f.get(&uri, caller).await;
                assert_eq!(page.status, StatusCode::OK, "{uri}: {}", page.text);
                let json = page.json();
                if list.ends_with("incidents") {
                    for item in json["items"].as_array().expect("items").iter().take(50) {
                        let id = item["id"].as_str().expect("id");
                        let detail = f.get(&format!("/api/v1/incidents/{id}"), caller).await;
                        assert_eq!(detail.status, StatusCode::OK, "{id}");
                        answers.push((format!("/api/v1/incidents/{id}"), detail));
                    }
                }
                cursor = json["next_cursor"].as_str().map(str::to_string);
                answers.push((uri, page));
                if cursor.is_none() {
                    break;
                }
            }
        }
    }
    let site_names = site_names(&f);
    assert!(!site_names.is_empty());
    let mut checked_points = 0;
    for (uri, answer) in &answers {
        assert_eq!(answer.status, StatusCode::OK, "{uri}");
        let text = &answer.text;
        for name in &site_names {
            assert!(
                !text.contains(name.as_str()),
                "{uri} names the site `{name}`"
            );
        }
        // The source is named by its id prefix, by its label of a kind and by
        // its field names in reason sentences: none reaches the public.
        for withheld in [
            "ucdp-ged",
            "monitor:",
            secret,
            "Urum al-Kubra",
            "UCDP",
            "type_of_violence",
            "side_a",
            "side_b",
        ] {
            assert!(!text.contains(withheld), "{uri} shows `{withheld}`");
        }
        let json = answer.json();
        let mut found = Vec::new();
        points(&json, "", &mut found);
        for (at, value) in found {
            checked_points += 1;
            assert!(
                on_district_grid(value),
                "{uri}{at} = {value} is finer than the district cells"
            );
        }
        if uri.starts_with("/api/v1/agreement") {
            assert!(json["text"].is_null(), "the agreement's text is withheld");
        }
    }
    assert!(
        checked_points > 1000,
        "only {checked_points} points checked"
    );
    // The bundle each of them downloads holds none of it either.
    for caller in ["anonymous", "observer", "monitor"] {
        for (name, bytes) in bundle_for(&f, caller).await {
            let text = String::from_utf8_lossy(&bytes);
            for withheld in ["ucdp-ged", "UCDP", "side_a", secret, "Urum al-Kubra"] {
                assert!(
                    !text.contains(withheld),
                    "{caller}'s bundle {name} shows `{withheld}`"
                );
            }
            for site in &site_names {
                assert!(
                    !text.contains(site.as_str()),
                    "{caller}'s bundle {name} names `{site}`"
                );
            }
        }
    }
    // The staff's view did show what the public's withholds (the test can fail).
    assert!(staff_text.contains("ucdp-ged:"));
    let detail_ids: Vec<String> = staff["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["id"].as_str().map(str::to_string))
        .collect();
    assert!(!detail_ids.is_empty());
    // The attack that once recovered every source row from a public id: hash
    // each candidate id without a key. No public answer holds such a hash.
    use sha2::Digest;
    let unkeyed = |id: &str| -> String {
        let digest = sha2::Sha256::digest(id.as_bytes());
        let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
        format!("incident-{hex}")
    };
    // Every public id seen, gathered once (the answers are tens of megabytes).
    let public_ids: std::collections::HashSet<&str> = answers
        .iter()
        .flat_map(|(_, a)| {
            a.text
                .match_indices("incident-")
                .filter_map(|(at, _)| a.text.get(at..at + "incident-".len() + 16))
        })
        .collect();
    assert!(
        public_ids.len() > 100,
        "only {} public ids seen",
        public_ids.len()
    );
    let reversed = detail_ids
        .iter()
        .filter(|id| public_ids.contains(unkeyed(id).as_str()))
        .count();
    assert_eq!(
        reversed, 0,
        "public ids are the unkeyed hashes of the sources' ids"
    );
}

/// A party's liaison sees its own entitlements and nothing of another party's,
/// the findings against its party as `[liaison]` allows (with the sources'
/// ids), and other findings as the public does.
async fn a_liaison_sees_its_own_party_as_liaison_policy_allows_and_nothing_of_another(
    backend: Backend,
) {
    let f = fixture("liaison", backend);
    let own = f.get("/api/v1/entitlements", "liaison").await.json();
    let own: Vec<&Value> = own.as_array().expect("list").iter().collect();
    assert!(!own.is_empty());
    assert!(own.iter().all(|e| e["to"] == "russia"), "{own:?}");
    let other = f.get("/api/v1/entitlements", "other-liaison").await.json();
    assert!(
        other
            .as_array()
            .expect("list")
            .iter()
            .all(|e| e["to"] == "opposition")
    );
    let all = f.get("/api/v1/entitlements", "analyst").await.json();
    assert!(all.as_array().expect("list").len() > own.len());

    // Findings: the government side's liaison reads its own findings with the
    // sources' ids; the opposition's liaison reads the same findings opaque.
    let token = blocking(|| {
        let mut store = truce_store::open_storage(&f.database).expect("store");
        user_with_token(
            store.as_mut(),
            "gov-liaison",
            "party-liaison",
            Some("government-side"),
        )
    });
    let mut f = f;
    f.tokens.insert("gov", token);
    let gov = f
        .get("/api/v1/findings?party=government-side&limit=20", "gov")
        .await
        .json();
    let items = gov["items"].as_array().expect("items");
    assert!(!items.is_empty());
    assert!(items.iter().all(|i| {
        i["incident"]
            .as_str()
            .unwrap_or("")
            .starts_with("ucdp-ged:")
    }));
    let seen_by_other = f
        .get(
            "/api/v1/findings?party=government-side&limit=20",
            "other-liaison",
        )
        .await
        .json();
    let items = seen_by_other["items"].as_array().expect("items");
    assert!(!items.is_empty());
    // Opaque unless the incident also holds a finding against the opposition
    // (a clash both sides are said to have fought), which its liaison reads in full.
    let mut opaque = 0;
    for item in items {
        let incident = item["incident"].as_str().expect("incident");
        if incident.starts_with("incident-") {
            opaque += 1;
            continue;
        }
        let detail = f
            .get(&format!("/api/v1/incidents/{incident}"), "analyst")
            .await
            .json();
        assert!(
            detail["findings"]
                .as_array()
                .expect("findings")
                .iter()
                .any(|f| f["party"] == "opposition"),
            "{incident} is shown in full to the opposition's liaison without a finding against it"
        );
    }
    assert!(
        opaque > 0,
        "no finding was shown opaque to another party's liaison"
    );
}

/// 50 monitors filing at once, each report sent twice (a retry after a lost
/// answer): every report stored exactly once, each with its ledger entry.
async fn concurrent_monitors_store_every_report_exactly_once(backend: Backend) {
    const MONITORS: usize = 50;
    const REPORTS: usize = 400;
    let mut f = fixture("concurrent", backend);
    // Fifty monitors, each with a token of their own.
    let tokens: Vec<(String, String)> = blocking(|| {
        let mut store = truce_store::open_storage(&f.database).expect("store");
        (0..MONITORS)
            .map(|m| {
                let name = format!("field-monitor-{m}");
                let token = user_with_token(store.as_mut(), &name, "monitor", None);
                (name, token)
            })
            .collect()
    });
    for (name, token) in &tokens {
        f.tokens
            .insert(Box::leak(name.clone().into_boxed_str()), token.clone());
    }
    let f = Arc::new(f);
    let ledger_before = blocking(|| {
        truce_store::open_storage(&f.database)
            .expect("store")
            .ledger_len()
            .expect("len")
    });
    let mut tasks = Vec::new();
    for (monitor, (name, _)) in tokens.iter().enumerate() {
        let f = f.clone();
        let name = name.clone();
        tasks.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for n in 0..REPORTS {
                let key = format!("r{n}");
                let body = monitor_report(&format!("report {n} of monitor {monitor}"));
                // Every tenth report is sent again, as after an answer lost on the way.
                let sends = if n % 10 == 0 { 2 } else { 1 };
                for _ in 0..sends {
                    let answer = f
                        .call(
                            Method::POST,
                            "/api/v1/reports",
                            &name,
                            Some(body.clone()),
                            Some(&key),
                        )
                        .await;
                    statuses.push(answer.status.as_u16());
                }
            }
            statuses
        }));
    }
    let mut created = 0;
    let mut repeated = 0;
    for task in tasks {
        for status in task.await.expect("task") {
            match status {
                201 => created += 1,
                200 => repeated += 1,
                other => panic!("unexpected status {other}"),
            }
        }
    }
    let total = MONITORS * REPORTS;
    assert_eq!((created, repeated), (total, total / 10));
    let mut store = blocking(|| truce_store::open_storage(&f.database).expect("store"));
    let stored = blocking(|| {
        store
            .monitor_reports(&truce_store::SubmissionFilter::default())
            .expect("list")
    });
    assert_eq!(stored.len(), total);
    let ids: BTreeSet<&str> = stored.iter().map(|(s, _)| s.source_id.as_str()).collect();
    assert_eq!(ids.len(), total);
    assert_eq!(
        blocking(|| store.ledger_len().expect("len")) - ledger_before,
        total as u64
    );
    // The same key with another report is refused, and stores nothing.
    let reused = f
        .call(
            Method::POST,
            "/api/v1/reports",
            "field-monitor-0",
            Some(monitor_report("something else")),
            Some("r0"),
        )
        .await;
    assert_eq!(reused.status, StatusCode::CONFLICT);
    assert_eq!(reused.json()["code"], "idempotency-key-reused");
}

/// Bad reports are refused with the field named; nothing is stored.
async fn a_bad_report_names_its_field(backend: Backend) {
    let f = fixture("bad-report", backend);
    let cases = [
        (
            json!({"date": "2016-02-30", "kind": "air-strike", "location_precision": "unknown"}),
            "`date`",
        ),
        (
            json!({"date": "2016-02-03", "kind": "air-strik", "location_precision": "unknown"}),
            "did you mean `air-strike`",
        ),
        (
            json!({"date": "2016-02-03", "kind": "air-strike", "location_precision": "exact", "lat": 95.0, "lon": 1.0}),
            "lat/lon",
        ),
        (
            json!({"date": "2016-02-03", "kind": "air-strike", "location_precision": "unknown", "casualties": {"low": 5, "best": 2, "high": 9}}),
            "`casualties`",
        ),
        (
            json!({"date": "2016-02-03", "kind": "air-strike", "location_precision": "unknown", "attachments": ["abc"]}),
            "attachments[0]",
        ),
        (
            json!({"date": "2016-02-03", "kind": "air-strike", "location_precision": "somewhere"}),
            "location_precision",
        ),
        (
            json!({"date": "2016-02-03", "kind": "air-strike", "location_precision": "unknown", "colour": "red"}),
            "colour",
        ),
    ];
    for (i, (body, named)) in cases.into_iter().enumerate() {
        let answer = f
            .call(
                Method::POST,
                "/api/v1/reports",
                "monitor",
                Some(body),
                Some(&format!("bad-{i}")),
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            answer.text
        );
        assert!(answer.text.contains(named), "{named}: {}", answer.text);
    }
    let missing_key = f
        .call(
            Method::POST,
            "/api/v1/reports",
            "monitor",
            Some(monitor_report("x")),
            None,
        )
        .await;
    assert_eq!(missing_key.status, StatusCode::BAD_REQUEST);
    assert!(missing_key.text.contains("idempotency-key"));
    let stored = blocking(|| {
        truce_store::open_storage(&f.database)
            .expect("store")
            .monitor_reports(&truce_store::SubmissionFilter::default())
            .expect("list")
    });
    assert!(stored.is_empty());
}

/// A person logs in with a password: the cookie is HttpOnly and SameSite=Strict,
/// reads need nothing more, every change needs the session's CSRF token, and
/// logging out ends the session at once.
async fn a_person_logs_in_and_every_change_needs_the_csrf_token(backend: Backend) {
    let f = fixture("login", backend);
    let password = "correct horse battery staple";
    blocking(|| {
        let hash = truce_server::auth::hash_secret(password).expect("hash");
        truce_store::open_storage(&f.database)
            .expect("store")
            .add_principal("field-monitor", "monitor", None, Some(&hash), AT)
            .expect("add")
            .expect("new");
    });
    for (name, wrong) in [
        ("field-monitor", "wrong password"),
        ("nobody", password),
        ("admin", password),
    ] {
        let (answer, cookies) = f
            .raw(
                Method::POST,
                "/api/v1/login",
                &[],
                Some(json!({"name": name, "password": wrong})),
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::UNAUTHORIZED,
            "{name}: {}",
            answer.text
        );
        assert_eq!(answer.json()["code"], "invalid-login");
        assert!(cookies.is_empty());
    }
    let (answer, cookies) = f
        .raw(
            Method::POST,
            "/api/v1/login",
            &[],
            Some(json!({"name": "field-monitor", "password": password})),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    let csrf = answer.json()["csrf_token"]
        .as_str()
        .expect("csrf")
        .to_string();
    let set = cookies.first().expect("a cookie");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    let session = set.split(';').next().expect("pair").to_string();

    let cookie = [("cookie", session.as_str())];
    let (me, _) = f.raw(Method::GET, "/api/v1/me", &cookie, None).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["name"], "field-monitor");

    let report = monitor_report("filed from a browser");
    let (refused, _) = f
        .raw(
            Method::POST,
            "/api/v1/reports",
            &[cookie[0], ("idempotency-key", "browser-1")],
            Some(report.clone()),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
    assert_eq!(refused.json()["code"], "csrf");
    let (forged, _) = f
        .raw(
            Method::POST,
            "/api/v1/reports",
            &[
                cookie[0],
                ("idempotency-key", "browser-1"),
                ("x-csrf-token", "forged"),
            ],
            Some(report.clone()),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let (stored, _) = f
        .raw(
            Method::POST,
            "/api/v1/reports",
            &[
                cookie[0],
                ("idempotency-key", "browser-1"),
                ("x-csrf-token", &csrf),
            ],
            Some(report),
        )
        .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.text);

    let (no_token, _) = f.raw(Method::POST, "/api/v1/logout", &cookie, None).await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    let (out, cleared) = f
        .raw(
            Method::POST,
            "/api/v1/logout",
            &[cookie[0], ("x-csrf-token", &csrf)],
            None,
        )
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT, "{}", out.text);
    assert!(cleared.first().is_some_and(|c| c.contains("Max-Age=0")));
    let (after, _) = f.raw(Method::GET, "/api/v1/me", &cookie, None).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED, "{}", after.text);
}

/// An agreement with an error is refused with every problem located and changes
/// nothing; a clean new version is put in force and recorded. An evidence file is
/// imported with its bad row quarantined (line, field, reason), counts that add
/// up, and nothing stored twice on a second upload.
async fn uploads_are_checked_imported_and_recorded(backend: Backend) {
    let f = fixture("uploads", backend);
    let admin = format!("Bearer {}", f.tokens["admin"]);
    let auth = [("authorization", admin.as_str())];
    let text = String::from_utf8(agreement_text()).expect("UTF-8");

    // An error: a clause naming a party the agreement does not have.
    let broken = text.replacen("id = \"russia\"", "id = \"russia\"\nnonsense = [", 1);
    let (refused, _) = f
        .raw_bytes(
            Method::POST,
            "/api/v1/agreement",
            &auth,
            broken.into_bytes(),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text
    );
    let body = refused.json();
    assert_eq!(body["code"], "invalid-agreement");
    let diagnostics = body["diagnostics"].as_array().expect("diagnostics");
    assert!(!diagnostics.is_empty());
    assert!(
        diagnostics.iter().all(|d| d["line"].as_u64().is_some()),
        "{diagnostics:?}"
    );
    let versions = f.get("/api/v1/agreement/versions", "admin").await.json();
    assert_eq!(
        versions.as_array().map(Vec::len),
        Some(1),
        "nothing changed"
    );

    let renamed = text.replacen("id = \"syria-2016\"", "id = \"another\"", 1);
    let (other, _) = f
        .raw_bytes(
            Method::POST,
            "/api/v1/agreement",
            &auth,
            renamed.into_bytes(),
        )
        .await;
    assert_eq!(other.status, StatusCode::BAD_REQUEST, "{}", other.text);

    let newer = format!("{text}\n# settled in the session of 25 November\n");
    let (accepted, _) = f
        .raw_bytes(
            Method::POST,
            "/api/v1/agreement",
            &auth,
            newer.clone().into_bytes(),
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.text);
    assert_eq!(accepted.json()["new_version"], true);
    let versions = f.get("/api/v1/agreement/versions", "admin").await.json();
    assert_eq!(versions.as_array().map(Vec::len), Some(2));
    let in_force = f.get("/api/v1/agreement", "admin").await.json();
    assert_eq!(in_force["text"].as_str(), Some(newer.as_str()));
    assert_eq!(
        std::fs::read_to_string(&f.state.mission().path).expect("file"),
        newer,
        "the agreement file holds the new version"
    );
    let recorded: Vec<Value> = blocking(|| {
        let mut store = truce_store::open_storage(&f.database).expect("store");
        let len = store.ledger_len().expect("len");
        store
            .ledger_entries(0, len)
            .expect("entries")
            .iter()
            .filter(|e| e.kind == "agreement-version")
            .map(|e| serde_json::from_slice(&e.record).expect("record"))
            .collect()
    });
    assert_eq!(recorded.len(), 2, "the version at start and the upload");
    assert_eq!(recorded[1]["by"]["role"], "mission-admin");

    // Evidence in ACLED's layout (written for this test), one row with a latitude that is not one.
    let acled = "event_id_cnty,event_date,year,event_type,sub_event_type,actor1,actor2,admin1,admin2,location,latitude,longitude,geo_precision,source,fatalities,notes\n\
        SYR900001,2016-09-20,2016,Explosions/Remote violence,Air/drone strike,Military Forces of Russia (2000-),Civilians (Syria),Aleppo,Jebel Saman,Urum al-Kubra,36.1469,36.9469,1,Local Source,12,aid convoy struck\n\
        SYR900002,2016-09-21,2016,Battles,Armed clash,Military Forces of Syria (2000-),Opposition Rebels (Syria),Aleppo,Jebel Saman,Aleppo,north,37.16,1,Local Source,3,clashes\n\
        SYR900003,2016-09-22,2016,Explosions/Remote violence,Shelling/artillery/missile attack,Military Forces of Syria (2000-),,Idleb,Idleb,Saraqab,35.8623,36.8046,2,Local Source,0,shelling\n";
    let first = f
        .raw_bytes(
            Method::POST,
            "/api/v1/evidence?name=patrol-week-38.csv",
            &auth,
            acled.as_bytes().to_vec(),
        )
        .await
        .0;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let first = first.json();
    let run = &first["run"];
    assert_eq!(run["format"], "acled");
    assert_eq!(
        (
            run["read"].as_u64(),
            run["stored"].as_u64(),
            run["quarantined"].as_u64()
        ),
        (Some(3), Some(2), Some(1))
    );
    let quarantine = &first["quarantine"][0];
    assert_eq!(quarantine["line"], 3);
    assert_eq!(quarantine["field"], "latitude");
    assert_eq!(quarantine["value"], "north");
    let second = f
        .raw_bytes(
            Method::POST,
            "/api/v1/evidence?name=patrol-week-38.csv",
            &auth,
            acled.as_bytes().to_vec(),
        )
        .await
        .0
        .json();
    assert_eq!(
        second["run"]["duplicates"], 2,
        "nothing stored twice: {second}"
    );
    assert_eq!(second["run"]["stored"], 0);
    let runs = f.get("/api/v1/imports", "analyst").await.json();
    let runs = runs.as_array().expect("runs");
    assert_eq!(runs.len(), 3, "the GED file and the two uploads");
    for r in runs {
        let sum: u64 = ["stored", "duplicates", "revised", "quarantined", "skipped"]
            .iter()
            .map(|k| r[k].as_u64().unwrap_or(0))
            .sum();
        assert_eq!(r["read"].as_u64(), Some(sum), "counts add up: {r}");
    }
    let id = first["run"]["run"].as_i64().expect("run");
    let rows = f
        .get(&format!("/api/v1/imports/{id}/quarantine"), "analyst")
        .await
        .json();
    assert_eq!(rows[0]["reason"], quarantine["reason"]);
    let unreadable = f
        .raw_bytes(
            Method::POST,
            "/api/v1/evidence?name=x.csv",
            &auth,
            vec![0xff, 0xfe, 0x00, 0x41, 0x00],
        )
        .await
        .0;
    assert_eq!(
        unreadable.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unreadable.text
    );
    assert_eq!(unreadable.json()["code"], "invalid-evidence");

    // Real GED rows whose low, best and high estimates of deaths are out of
    // order: kept (here as duplicates of the rows already stored), each with a
    // warning naming its line and the numbers as given; the row in order gets none.
    let ged =
        std::fs::read_to_string(repo().join("examples/syria-2016/data/ged191_syria_2016.csv"))
            .expect("GED file");
    let row = |id: &str| {
        ged.lines()
            .find(|line| line.starts_with(&format!("{id},")))
            .unwrap_or_else(|| panic!("GED row {id}"))
            .to_string()
    };
    let header = ged.lines().next().expect("header");
    let upload = [
        header.to_string(),
        row("219459"),
        row("313676"),
        row("313666"),
        row("214797"),
    ]
    .join("\n");
    let warned = f
        .raw_bytes(
            Method::POST,
            "/api/v1/evidence?name=ged-out-of-order.csv",
            &auth,
            upload.into_bytes(),
        )
        .await
        .0;
    assert_eq!(warned.status, StatusCode::CREATED, "{}", warned.text);
    let warned = warned.json();
    assert_eq!(warned["run"]["read"], 4, "{warned}");
    assert_eq!(warned["run"]["duplicates"], 4, "{warned}");
    let warnings: Vec<(u64, String)> = warned["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|w| {
            assert_eq!(w["field"], "low/best/high");
            (
                w["line"].as_u64().expect("line"),
                w["value"].as_str().expect("value").to_string(),
            )
        })
        .collect();
    assert_eq!(
        warnings,
        vec![
            (2, "low 177, best 142, high 177".to_string()),
            (3, "low 1, best 2, high 1".to_string()),
            (4, "low 1, best 0, high 2".to_string()),
        ]
    );
    let reasons = warned["run"]["reasons"].as_array().expect("reasons");
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert_eq!(reasons[0]["outcome"], "warned");
    assert_eq!(reasons[0]["count"], 3);
}

/// An entitlement is released only when its step is verified, once, recorded in
/// the ledger with who released it; its receiving party's liaison sees it
/// released, another party's liaison does not see it at all.
async fn an_entitlement_is_released_only_on_its_verified_step(backend: Backend) {
    let f = fixture("release", backend);
    let refused = f
        .call(
            Method::POST,
            "/api/v1/entitlements/us-intelligence-to-russia/release",
            "admin",
            None,
            None,
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    let refused = refused.json();
    assert_eq!(refused["code"], "not-releasable");
    assert!(
        refused["message"]
            .as_str()
            .unwrap_or("")
            .contains("seven-days-calm"),
        "{refused}"
    );

    // "Reduced violence" settled as at most 4 a day: the seven days are met on
    // certain evidence on 19 September 2016 (1, 0, 2, 1, 1, 3 and 4 certain violations
    // in Aleppo Governorate); an entitlement rests on them alone.
    let text = String::from_utf8(agreement_text())
        .expect("UTF-8")
        .replacen(
            "alternatives = [0, 2]\n",
            "alternatives = [0, 2, 4]\nresolved = 4\n",
            1,
        )
        + "\n[[entitlement]]\nid = \"aid-corridor\"\nto = \"russia\"\nfrom = \"usa\"\n\
           step = \"seven-days-calm\"\nwhat = \"A test entitlement on the seven days.\"\n\
           possible_violations_block = false\n";
    let admin = format!("Bearer {}", f.tokens["admin"]);
    let (uploaded, _) = f
        .raw_bytes(
            Method::POST,
            "/api/v1/agreement",
            &[("authorization", admin.as_str())],
            text.into_bytes(),
        )
        .await;
    assert_eq!(uploaded.status, StatusCode::OK, "{}", uploaded.text);

    let ledger_before = blocking(|| {
        truce_store::open_storage(&f.database)
            .expect("store")
            .ledger_len()
            .expect("len")
    });
    let released = f
        .call(
            Method::POST,
            "/api/v1/entitlements/aid-corridor/release",
            "admin",
            None,
            None,
        )
        .await;
    assert_eq!(released.status, StatusCode::OK, "{}", released.text);
    let index = released.json()["ledger_index"].as_u64().expect("index");
    assert_eq!(index, ledger_before);
    let record: Value = blocking(|| {
        let mut store = truce_store::open_storage(&f.database).expect("store");
        let entry = store
            .ledger_entries(index, index + 1)
            .expect("entry")
            .remove(0);
        serde_json::from_slice(&entry.record).expect("record")
    });
    assert_eq!(record["type"], "entitlement-release");
    // The admin is given by role and pseudonym, not by name (`[liaison] staff_names`).
    assert_eq!(record["by"]["role"], "mission-admin");
    assert!(record["by"]["pseudonym"].is_string() && record["by"]["name"].is_null());

    // The agreement's life, from the ledger, in the timeline's chronology: every
    // reader sees the versions; only the receiving party (and the staff) see the release.
    let life = |answer: Answer| -> Vec<(String, String)> {
        answer.json()["chronology"]
            .as_array()
            .expect("chronology")
            .iter()
            .map(|e| {
                (
                    e["what"].as_str().unwrap_or("").to_string(),
                    e["text"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    for caller in [
        "anonymous",
        "observer",
        "analyst",
        "liaison",
        "other-liaison",
    ] {
        let chronology = life(f.get("/api/v1/timeline", caller).await);
        let versions = chronology
            .iter()
            .filter(|(what, _)| what == "agreement-version")
            .count();
        assert_eq!(versions, 2, "{caller}: the version at start and the upload");
        let released = chronology.iter().any(|(what, text)| {
            what == "entitlement-release"
                && text.contains("`aid-corridor` released to russia by mission-admin ")
        });
        assert_eq!(
            released,
            matches!(caller, "analyst" | "liaison"),
            "{caller} and the release in the chronology"
        );
    }
    let listed = f
        .get(
            &format!("/api/v1/ledger/entries?from={index}&limit=1"),
            "other-liaison",
        )
        .await
        .json();
    assert_eq!(listed["entries"][0]["type"], "entitlement-release");
    assert_eq!(listed["entries"][0]["record"], Value::Null);
    assert_eq!(
        listed["entries"][0]["withheld"],
        "an entitlement of another party"
    );
    let own = f
        .get(
            &format!("/api/v1/ledger/entries?from={index}&limit=1"),
            "liaison",
        )
        .await
        .json();
    assert_eq!(own["entries"][0]["record"], record);
    assert_eq!(
        own["entries"][0]["leaf_hash"],
        listed["entries"][0]["leaf_hash"]
    );
    assert!(
        record["check"]["findings_sha256"]
            .as_str()
            .is_some_and(|h| h.len() == 64)
    );
    let again = f
        .call(
            Method::POST,
            "/api/v1/entitlements/aid-corridor/release",
            "admin",
            None,
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.json()["code"], "conflict");

    let seen = f.get("/api/v1/entitlements", "liaison").await.json();
    let aid = seen
        .as_array()
        .expect("list")
        .iter()
        .find(|e| e["id"] == "aid-corridor")
        .expect("russia's liaison sees its entitlement");
    assert_eq!(aid["standing"], "released");
    let other = f.get("/api/v1/entitlements", "other-liaison").await.json();
    assert!(
        other
            .as_array()
            .expect("list")
            .iter()
            .all(|e| e["id"] != "aid-corridor")
    );
    let hidden = f
        .get(
            "/api/v1/entitlements/aid-corridor/payloads",
            "other-liaison",
        )
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let files = f
        .get("/api/v1/entitlements/aid-corridor/payloads", "liaison")
        .await;
    assert_eq!(files.status, StatusCode::OK);

    // Suspended by an admin, for a reason: the standing says so, the ledger records
    // why, and a second suspension is refused.
    let suspend = |caller: &'static str, reason: &'static str| {
        f.call(
            Method::POST,
            "/api/v1/entitlements/aid-corridor/suspend",
            caller,
            Some(json!({ "reason": reason })),
            None,
        )
    };
    assert_eq!(
        suspend("analyst", "not theirs to do").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(suspend("admin", " ").await.status, StatusCode::BAD_REQUEST);
    let suspended = suspend("admin", "the corridor was shelled on the 3rd").await;
    assert_eq!(suspended.status, StatusCode::OK, "{}", suspended.text);
    let index = suspended.json()["ledger_index"].as_u64().expect("index");
    let record: Value = blocking(|| {
        let mut store = truce_store::open_storage(&f.database).expect("store");
        let entry = store
            .ledger_entries(index, index + 1)
            .expect("entry")
            .remove(0);
        serde_json::from_slice(&entry.record).expect("record")
    });
    assert_eq!(record["type"], "entitlement-suspension");
    assert_eq!(record["reason"], "the corridor was shelled on the 3rd");
    assert_eq!(record["step_still_holds"], true);
    let seen = f.get("/api/v1/entitlements", "liaison").await.json();
    let aid = seen
        .as_array()
        .expect("list")
        .iter()
        .find(|e| e["id"] == "aid-corridor")
        .cloned()
        .expect("russia's liaison sees its entitlement");
    assert_eq!(aid["standing"], "suspended");
    let twice = suspend("admin", "again").await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.text);
}

/// A bundle as the server makes it for `caller`: its files by name.
async fn bundle_for(f: &Fixture, caller: &str) -> BTreeMap<String, Vec<u8>> {
    let mut request = Request::builder().uri("/api/v1/ledger/bundle");
    if let Some(token) = f.tokens.get(caller) {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let request = request.body(Body::empty()).expect("request");
    let response = f.app.clone().oneshot(request).await.expect("response");
    assert_eq!(response.status(), StatusCode::OK, "{caller}'s bundle");
    assert_eq!(response.headers()["content-type"], "application/zip");
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip");
    let mut files = BTreeMap::new();
    for n in 0..archive.len() {
        use std::io::Read;
        let mut file = archive.by_index(n).expect("a file");
        let mut out = Vec::new();
        file.read_to_end(&mut out).expect("read");
        files.insert(file.name().to_string(), out);
    }
    files
}

/// Every reader's bundle holds every entry of the ledger, in order: a record it may
/// read byte for byte (its leaf hash is the stored one), one it may not as the stored
/// leaf hash alone; and the files it may have, byte for byte. The staff's holds
/// everything; a liaison's withholds the monitors' reports and the mission's
/// accounts; the public's also the work on the evidence, the agreement's text and
/// the files it reads.
async fn the_bundle_holds_the_ledger_as_each_reader_may_read_it(backend: Backend) {
    let f = fixture("bundle", backend);
    let made = f
        .call(
            Method::POST,
            "/api/v1/reports",
            "monitor",
            Some(monitor_report("bundled")),
            Some("b-1"),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED);
    let (leaves, kinds, versions) = blocking(|| {
        let mut store = truce_store::open_storage(&f.database).expect("store");
        let len = store.ledger_len().expect("len");
        (
            store.ledger_leaf_hashes().expect("leaves"),
            store
                .ledger_entries(0, len)
                .expect("entries")
                .into_iter()
                .map(|e| e.kind)
                .collect::<Vec<_>>(),
            store
                .agreement_versions(&f.state.mission().name)
                .expect("versions"),
        )
    });
    assert!(kinds.iter().any(|k| k == "monitor-report"));
    assert!(kinds.iter().any(|k| k == "token-issued"));
    for caller in ["analyst", "liaison", "anonymous"] {
        let files = bundle_for(&f, caller).await;
        let log = &files["bundle/log.jsonl"];
        let manifest: Value =
            serde_json::from_slice(&files["bundle/bundle.json"]).expect("manifest");
        assert_eq!(manifest["format"], "truce-bundle/1");
        assert_eq!(manifest["entries"], leaves.len());
        let lines: Vec<&[u8]> = log
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(lines.len(), leaves.len(), "{caller}: every entry");
        let mut withheld = Vec::new();
        for ((line, leaf), kind) in lines.iter().zip(&leaves).zip(&kinds) {
            let value: Value = serde_json::from_slice(line).expect("JSON");
            if let Some(marker) = value.get("withheld") {
                let hex: String = leaf.iter().map(|b| format!("{b:02x}")).collect();
                assert_eq!(
                    marker["leaf_hash"],
                    hex.as_str(),
                    "{caller}: the stored leaf"
                );
                // The accounts' records are not even named to the parties and
                // the public: their number would tell how many users there are.
                let account = [
                    "user-added",
                    "user-disabled",
                    "token-issued",
                    "token-revoked",
                ]
                .contains(&kind.as_str());
                let shown = if account { "withheld" } else { kind.as_str() };
                assert_eq!(marker["type"], shown, "{caller}");
                withheld.push(kind.as_str());
            } else {
                assert_eq!(
                    truce_audit::leaf_hash(line).as_bytes(),
                    leaf,
                    "{caller}: a record as logged"
                );
            }
        }
        assert_eq!(
            manifest["withheld_entries"].as_u64().unwrap_or(0),
            withheld.len() as u64
        );
        let text = String::from_utf8_lossy(log);
        assert!(
            !text.contains("\"name\":\"monitor\""),
            "a monitor's name in the ledger"
        );
        match caller {
            "analyst" => {
                assert!(withheld.is_empty(), "the staff read every record");
                assert!(text.contains("\"monitor-report\"") && text.contains("pseudonym"));
                assert!(manifest.get("for").is_none());
            }
            _ => {
                assert!(
                    withheld.contains(&"monitor-report"),
                    "{caller}: {withheld:?}"
                );
                assert!(withheld.contains(&"token-issued"), "{caller}: {withheld:?}");
                assert!(
                    !text.contains("\"role\":\"monitor\""),
                    "{caller}: a monitor's pseudonym"
                );
            }
        }
        if caller == "anonymous" {
            assert_eq!(manifest["for"], "the public");
            assert!(!withheld.contains(&"agreement-version"), "{withheld:?}");
            // What the public reads is the agreement's versions and resolutions.
            let read = kinds.len() - withheld.len();
            let open = kinds
                .iter()
                .filter(|k| {
                    matches!(
                        k.as_str(),
                        "agreement-version"
                            | "key-rotation"
                            | "bracket-signature"
                            | "bracket-resolution"
                    )
                })
                .count();
            assert_eq!(read, open, "{withheld:?}");
            assert!(
                !files.keys().any(|name| name.starts_with("bundle/files/")),
                "the public's bundle holds no file"
            );
            let left_out: Vec<&str> = manifest["withheld_files"]
                .as_array()
                .expect("withheld files")
                .iter()
                .filter_map(|f| f["sha256"].as_str())
                .collect();
            for (sha, _, _) in &versions {
                assert!(
                    left_out.contains(&sha.as_str()),
                    "the text of {sha} is withheld"
                );
            }
        } else {
            for (sha, agreement_text, _) in &versions {
                assert_eq!(
                    files[&format!("bundle/files/{sha}")],
                    agreement_text.as_bytes(),
                    "{caller}: the agreement version's text"
                );
            }
        }
    }
}

/// The ledger's entries page by page, filtered by type, each as the caller may read
/// it; the pages together are the whole log.
async fn the_ledger_lists_each_entry_as_the_caller_may_read_it(backend: Backend) {
    let f = fixture("entries", backend);
    let made = f
        .call(
            Method::POST,
            "/api/v1/reports",
            "monitor",
            Some(monitor_report("listed")),
            Some("e-1"),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED);
    for caller in ["admin", "liaison", "anonymous"] {
        let mut seen = Vec::new();
        let mut from = 0;
        loop {
            let page = f
                .get(
                    &format!("/api/v1/ledger/entries?limit=2&from={from}"),
                    caller,
                )
                .await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.text);
            let page = page.json();
            for entry in page["entries"].as_array().expect("entries") {
                seen.push(entry.clone());
            }
            match page["next"].as_u64() {
                Some(next) => from = next,
                None => break,
            }
        }
        let log_size = blocking(|| {
            truce_store::open_storage(&f.database)
                .expect("store")
                .ledger_len()
                .expect("len")
        });
        let indices: Vec<u64> = seen.iter().filter_map(|e| e["index"].as_u64()).collect();
        assert_eq!(
            indices,
            (0..log_size).collect::<Vec<_>>(),
            "{caller}: the whole log"
        );
        let report = seen
            .iter()
            .find(|e| e["type"] == "monitor-report")
            .expect("the monitor's report");
        if caller == "admin" {
            assert!(report["record"]["by"]["pseudonym"].is_string(), "{report}");
        } else {
            assert_eq!(report["record"], Value::Null, "{caller}: {report}");
            assert_eq!(report["recorded"], Value::Null);
            assert_eq!(
                report["withheld"],
                "a monitor's report: withheld to protect the monitor"
            );
            assert_eq!(report["leaf_hash"].as_str().map(str::len), Some(64));
        }
    }
    let versions = f
        .get(
            "/api/v1/ledger/entries?type=agreement-version,bracket-resolution",
            "anonymous",
        )
        .await
        .json();
    let versions = versions["entries"].as_array().expect("entries");
    assert!(!versions.is_empty());
    assert!(
        versions
            .iter()
            .all(|e| e["type"] == "agreement-version" && e["record"].is_object())
    );
    let refused = f.get("/api/v1/ledger/entries?limit=0", "anonymous").await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
}

/// docs/api-errors.md lists exactly the codes the server can answer with.
#[test]
fn the_error_table_is_documented() {
    use truce_server::error::ErrorCode;
    let doc =
        std::fs::read_to_string(repo().join("docs/api-errors.md")).expect("docs/api-errors.md");
    // Every code has its row in docs/api-errors.md, with its status and meaning.
    for code in ErrorCode::ALL {
        let row = format!(
            "| `{}` | {} | {} |",
            code.as_str(),
            code.status_code(),
            code.meaning()
        );
        assert!(
            doc.lines().any(|line| line == row),
            "docs/api-errors.md lacks the row `{row}`"
        );
    }
    let rows = doc.lines().filter(|l| l.starts_with("| `")).count();
    assert_eq!(rows, ErrorCode::ALL.len(), "rows in docs/api-errors.md");
    // Every code is given somewhere in the server's source (a code none gives
    // is a row that documents nothing): its uses outside the enum's own
    // definition and outside the tests.
    let source_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut source = String::new();
    for entry in std::fs::read_dir(&source_dir).expect("src") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("source");
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        let text = match (
            text.find("pub enum ErrorCode"),
            text.find("impl ApiError {"),
        ) {
            (Some(enum_start), Some(enum_end)) => {
                format!("{}{}", &text[..enum_start], &text[enum_end..])
            }
            _ => text.to_string(),
        };
        source.push_str(&text);
    }
    let unused: Vec<String> = ErrorCode::ALL
        .into_iter()
        .filter(|code| !source.contains(&format!("ErrorCode::{code:?}")))
        .map(|code| code.as_str().to_string())
        .collect();
    assert!(unused.is_empty(), "codes no call site gives: {unused:?}");
}

/// The evidence a check as of a day reads, on both stores: a revision recorded
/// after the day is not seen, history imported later is.
async fn as_of_a_day_the_store_is_read_as_it_stood_when_the_day_ended(backend: Backend) {
    blocking(|| {
        let dir = temp_dir("known-before");
        let database = match backend {
            Backend::Sqlite => dir.0.join("mission.db").display().to_string(),
            Backend::Postgres(url) => fresh_postgres_database(&url, "known_before"),
        };
        let mut store = truce_store::open_storage(&database).expect("store");
        let text =
            std::fs::read_to_string(repo().join("examples/syria-2016/data/ged191_syria_2016.csv"))
                .expect("GED file");
        let mut lines = text.lines();
        let header = lines.next().expect("a header");
        // Plain rows: none of the first rows holds a line break.
        let rows: Vec<&str> = lines.take(3).collect();
        let mut store_rows = |name: &str, rows: &[String], at: &str| {
            let text = format!("{header}\n{}\n", rows.join("\n"));
            let imported = truce_ingest::import_reader(
                name,
                text.as_bytes(),
                None,
                &truce_ingest::ImportOptions { keep_raw: false },
            )
            .expect("import");
            let meta = truce_store::FileMeta {
                name: name.into(),
                sha256: truce_store::sha256_hex(text.as_bytes()),
                size: text.len() as u64,
                format: "ucdp-ged".into(),
            };
            store
                .import_all(&meta, &imported.reports, &imported.quarantined, &[], at)
                .expect("import run")
        };
        let renamed = |row: &str, place: &str| {
            let changed = row.replacen(",Syria,652,", &format!(",{place},652,"), 1);
            assert_ne!(changed, row);
            changed
        };
        let first = store_rows(
            "first.csv",
            &[rows[0].to_string(), rows[1].to_string()],
            "2016-10-01T00:00:00Z",
        );
        assert_eq!(first.counts.stored, 2);
        let later = store_rows(
            "later.csv",
            &[renamed(rows[0], "Syria (revised)"), rows[2].to_string()],
            "2016-11-01T00:00:00.25Z",
        );
        assert_eq!((later.counts.revised, later.counts.stored), (1, 1));

        let mut places = |known_before: Option<&str>| -> Vec<String> {
            let mut places: Vec<String> = store
                .reports_known_before(known_before)
                .expect("reports")
                .0
                .iter()
                .map(|r| {
                    format!(
                        "{} {}",
                        r.provenance.source_id,
                        r.location.country.as_deref().unwrap_or("")
                    )
                })
                .collect();
            places.sort();
            places
        };
        let id = |row: &str| row.split(',').next().expect("an id").to_string();
        let day = |d| truce_model::time::Day::from_ymd(2016, 10, d).expect("a day");
        let mut expected = vec![
            format!("{} Syria", id(rows[0])),
            format!("{} Syria", id(rows[1])),
            format!("{} Syria", id(rows[2])),
        ];
        expected.sort();
        assert_eq!(
            places(Some(&truce_store::known_before(day(15), 180))),
            expected
        );
        let mut now = vec![
            format!("{} Syria (revised)", id(rows[0])),
            format!("{} Syria", id(rows[1])),
            format!("{} Syria", id(rows[2])),
        ];
        now.sort();
        assert_eq!(places(None), now);
        // The revision was recorded a quarter of a second into 1 November (UTC):
        // the last day of October in UTC ends before it, in UTC-1 after it.
        let october_31 = day(31);
        assert_eq!(
            places(Some(&truce_store::known_before(october_31, 0))),
            expected
        );
        assert_eq!(
            places(Some(&truce_store::known_before(october_31, -60))),
            now
        );
    });
}

/// The same ids, or a failure that names a few of the differences.
#[track_caller]
fn same_ids(got: &[String], expected: &[String], what: &str) {
    if got == expected {
        return;
    }
    let extra: Vec<&String> = got
        .iter()
        .filter(|g| !expected.contains(g))
        .take(5)
        .collect();
    let missing: Vec<&String> = expected
        .iter()
        .filter(|e| !got.contains(e))
        .take(5)
        .collect();
    panic!(
        "{what}: {} given, {} expected; given but not expected: {extra:?}; expected but not given: {missing:?}",
        got.len(),
        expected.len()
    );
}

/// Every page of a list route, as the analyst reads it.
async fn all_items(f: &Fixture, uri: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let sep = if uri.contains('?') { '&' } else { '?' };
        let page_uri = match &cursor {
            Some(c) => format!("{uri}{sep}limit=1000&cursor={c}"),
            None => format!("{uri}{sep}limit=1000"),
        };
        let page = f.get(&page_uri, "analyst").await;
        assert_eq!(page.status, StatusCode::OK, "{page_uri}: {}", page.text);
        let json = page.json();
        items.extend(json["items"].as_array().expect("items").iter().cloned());
        cursor = json["next_cursor"].as_str().map(str::to_string);
        if cursor.is_none() {
            return items;
        }
    }
}

/// Each filter of the findings and incidents routes gives what a count of the
/// whole unfiltered list gives, made here from the list's own fields (and the
/// kind tree from the model's table of kinds); an unknown value is a 400 that
/// lists the valid ones.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_filter_gives_what_a_count_of_the_whole_list_gives() {
    let f = fixture("filters", Backend::Sqlite);
    let findings = all_items(&f, "/api/v1/findings").await;
    let incidents = all_items(&f, "/api/v1/incidents").await;
    assert!(findings.len() > 1000 && incidents.len() > 1000);
    let by_id: BTreeMap<&str, &Value> = incidents
        .iter()
        .map(|i| (i["id"].as_str().expect("id"), i))
        .collect();
    let mut findings_of: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for finding in &findings {
        findings_of
            .entry(finding["incident"].as_str().expect("incident"))
            .or_default()
            .push(finding);
    }
    // A kind and everything under it, from the model's table (parents first).
    let under = |wanted: &str| -> Vec<String> {
        let mut kinds = vec![wanted.to_string()];
        for (id, parent, _) in truce_model::kind::BUILT_IN_KINDS {
            if kinds.iter().any(|k| k == parent) {
                kinds.push(id.to_string());
            }
        }
        kinds
    };
    let ids = |items: &[Value]| -> Vec<String> {
        let mut ids: Vec<String> = items
            .iter()
            .map(|i| i["id"].as_str().expect("id").to_string())
            .collect();
        ids.sort();
        ids
    };
    let agreement = f.state.mission().agreement.clone();
    let mut cases: Vec<(String, String)> = Vec::new();
    for zone in &agreement.zones {
        cases.push(("zone".into(), zone.id.clone()));
    }
    for clause in &agreement.clauses {
        cases.push(("clause".into(), clause.id.clone()));
    }
    for party in &agreement.parties {
        cases.push(("party".into(), party.id.clone()));
    }
    for kind in ["political-violence", "armed-conflict", "event"] {
        cases.push(("kind".into(), kind.into()));
    }
    for grade in ["single-source", "corroborated", "contested"] {
        cases.push(("grade".into(), grade.into()));
    }
    for certainty in ["certain", "possible"] {
        cases.push(("certainty".into(), certainty.into()));
    }
    let incident_passes = |incident: &Value, name: &str, value: &str| -> bool {
        match name {
            "zone" => incident["zones"]
                .as_array()
                .expect("zones")
                .iter()
                .any(|z| z == value),
            "kind" => under(value).iter().any(|k| incident["kind"] == k.as_str()),
            "grade" => incident["grade"] == value,
            _ => true,
        }
    };
    let finding_passes = |finding: &Value, name: &str, value: &str| -> bool {
        match name {
            "clause" => finding["clause"] == value,
            "party" => finding["party"] == value,
            "certainty" => finding["breach"] == value,
            _ => {
                let incident = by_id[finding["incident"].as_str().expect("incident")];
                incident_passes(incident, name, value)
            }
        }
    };
    let mut nonempty = 0;
    for (name, value) in &cases {
        let expected: Vec<Value> = findings
            .iter()
            .filter(|x| finding_passes(x, name, value))
            .cloned()
            .collect();
        let got = all_items(&f, &format!("/api/v1/findings?{name}={value}")).await;
        same_ids(
            &ids(&got),
            &ids(&expected),
            &format!("findings?{name}={value}"),
        );
        let expected_incidents: Vec<Value> = incidents
            .iter()
            .filter(|i| match name.as_str() {
                "zone" | "kind" | "grade" => incident_passes(i, name, value),
                _ => findings_of
                    .get(i["id"].as_str().expect("id"))
                    .is_some_and(|fs| fs.iter().any(|x| finding_passes(x, name, value))),
            })
            .cloned()
            .collect();
        let got = all_items(&f, &format!("/api/v1/incidents?{name}={value}")).await;
        same_ids(
            &ids(&got),
            &ids(&expected_incidents),
            &format!("incidents?{name}={value}"),
        );
        if !expected.is_empty() && expected.len() < findings.len() {
            nonempty += 1;
        }
    }
    assert!(nonempty >= 8, "only {nonempty} filters narrowed the list");
    // Armed conflict is political violence: the tree, not the id's spelling.
    let political = all_items(&f, "/api/v1/incidents?kind=political-violence").await;
    assert!(political.iter().any(|i| i["kind"] == "armed-conflict"));

    for (route, name, value, listed) in [
        ("findings", "zone", "nope", agreement.zones[0].id.clone()),
        (
            "incidents",
            "zone",
            "aleppo-citi",
            agreement.zones[0].id.clone(),
        ),
        (
            "findings",
            "kind",
            "nonexistent-kind",
            "armed-conflict".to_string(),
        ),
        (
            "incidents",
            "clause",
            "no-such-clause",
            agreement.clauses[0].id.clone(),
        ),
        (
            "findings",
            "party",
            "nobody",
            agreement.parties[0].id.clone(),
        ),
        ("map/incidents", "grade", "sure", "corroborated".to_string()),
    ] {
        let answer = f
            .get(&format!("/api/v1/{route}?{name}={value}"), "analyst")
            .await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{route}?{name}={value}"
        );
        assert!(
            answer.text.contains(&format!("`{name}` is `{value}`"))
                && answer.text.contains(listed.as_str()),
            "{route}?{name}={value}: {}",
            answer.text
        );
    }
}

/// Every answer carries the protective headers; what an authenticated caller
/// reads is never cached; answers are compressed for a client that accepts it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_carry_protective_headers_and_are_compressed() {
    let f = fixture("headers", Backend::Sqlite);
    let send = |uri: &str, headers: Vec<(&'static str, String)>| {
        let mut request = Request::builder().uri(uri);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        f.app
            .clone()
            .oneshot(request.body(Body::empty()).expect("request"))
    };
    let bearer = format!("Bearer {}", f.tokens["analyst"]);
    for (uri, signed_in) in [
        ("/", false),
        ("/api/v1/steps", false),
        ("/api/v1/steps", true),
        ("/api/v1/nope", true),
    ] {
        let headers = if signed_in {
            vec![("authorization", bearer.clone())]
        } else {
            Vec::new()
        };
        let response = send(uri, headers).await.expect("response");
        let h = response.headers();
        let get = |name: &str| {
            h.get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        let policy = get("content-security-policy");
        assert!(
            policy.contains("script-src 'self';")
                && policy.contains("frame-ancestors 'none'")
                && !policy.contains("script-src 'self' 'unsafe-inline'"),
            "{uri}: {policy}"
        );
        assert_eq!(get("x-content-type-options"), "nosniff", "{uri}");
        assert_eq!(get("x-frame-options"), "DENY", "{uri}");
        assert_eq!(get("referrer-policy"), "no-referrer", "{uri}");
        assert_eq!(get("cache-control") == "no-store", signed_in, "{uri}");
    }

    // The public map's incidents, as a field link would fetch them.
    let plain = send("/api/v1/map/incidents", Vec::new())
        .await
        .expect("response");
    let plain = plain.into_body().collect().await.expect("body").to_bytes();
    let zipped = send(
        "/api/v1/map/incidents",
        vec![("accept-encoding", "gzip".to_string())],
    )
    .await
    .expect("response");
    assert_eq!(
        zipped
            .headers()
            .get("content-encoding")
            .and_then(|v| v.to_str().ok()),
        Some("gzip")
    );
    let zipped = zipped.into_body().collect().await.expect("body").to_bytes();
    assert!(
        zipped.len() * 5 < plain.len(),
        "{} bytes gzipped of {}",
        zipped.len(),
        plain.len()
    );
    let mut unzipped = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(&zipped[..]),
        &mut unzipped,
    )
    .expect("gzip");
    assert_eq!(unzipped, plain.to_vec());
}

/// One GET on `app` with `token`: its status and body.
async fn get_on(app: &Router, uri: &str, token: &str) -> (StatusCode, String) {
    let request = Request::builder()
        .uri(uri)
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

/// Two servers on one store (one SQLite file, or one PostgreSQL database): a
/// token revoked through the API of one, or in the store as `truce tokens
/// revoke` does, is refused on the very next request by both.
async fn a_revoked_token_stops_at_once_on_every_server_of_the_store(backend: Backend) {
    let f = fixture("revoke-everywhere", backend);
    let second = blocking(|| {
        let mission =
            load_agreement(&f._dir.0.join("syria-2016/agreement.toml"), false).expect("agreement");
        let settings = Settings {
            database: f.database.clone(),
            ..Settings::default()
        };
        app(AppState::open(settings, mission).expect("second server"))
    });
    let servers = [&f.app, &second];
    // Both servers have checked both tokens (and would remember them).
    for server in servers {
        for who in ["analyst", "observer"] {
            let (status, text) = get_on(server, "/api/v1/steps", &f.tokens[who]).await;
            assert_eq!(status, StatusCode::OK, "{who}: {text}");
        }
    }
    let token_id = |name: &str| {
        blocking(|| {
            let mut store = truce_store::open_storage(&f.database).expect("store");
            let principal = store.principal_by_name(name).expect("read").expect("user");
            store
                .tokens()
                .expect("tokens")
                .into_iter()
                .find(|t| t.principal == principal.id)
                .expect("a token")
                .id
        })
    };
    // Through the API of the first server.
    let analyst = token_id("analyst");
    let revoked = f
        .call(
            Method::DELETE,
            &format!("/api/v1/tokens/{analyst}"),
            "admin",
            None,
            None,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT, "{}", revoked.text);
    for server in servers {
        let (status, text) = get_on(server, "/api/v1/steps", &f.tokens["analyst"]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{text}");
        assert!(text.contains("revoked"), "{text}");
    }
    // In the store, as the command line does, with neither server told.
    let observer = token_id("observer");
    blocking(|| {
        let mut store = truce_store::open_storage(&f.database).expect("store");
        assert!(store.revoke_token(observer, AT).expect("revoke"));
    });
    for server in servers {
        let (status, text) = get_on(server, "/api/v1/steps", &f.tokens["observer"]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{text}");
    }
    // A token in force still works on both.
    for server in servers {
        let (status, _) = get_on(server, "/api/v1/steps", &f.tokens["monitor"]).await;
        assert_eq!(status, StatusCode::OK);
    }
}

/// No ledger record the public reads names a folder of the server, and an
/// uploaded agreement may only read files in its own folder.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_reads_no_server_path_and_agreements_stay_in_their_folder() {
    let f = fixture("paths", Backend::Sqlite);
    let folder = f._dir.0.display().to_string();
    let entries = f
        .get("/api/v1/ledger/entries?limit=1000", "anonymous")
        .await;
    assert_eq!(entries.status, StatusCode::OK, "{}", entries.text);
    assert!(
        entries.text.contains("agreement-version"),
        "{}",
        entries.text
    );
    assert!(
        !entries.text.contains(&folder) && !entries.text.contains("/tmp"),
        "the public ledger names a server folder: {}",
        entries.text
    );
    let version = entries.json()["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["type"] == "agreement-version")
        .cloned()
        .expect("an agreement version");
    assert_eq!(version["record"]["name"], "agreement.toml", "{version}");

    // An agreement that reads a file outside its folder is refused, naming the setting.
    let admin = format!("Bearer {}", f.tokens["admin"]);
    let text = String::from_utf8(agreement_text()).expect("UTF-8");
    for outside in ["/etc/hostname", "../../mission.db", "data/../../x.csv"] {
        let changed = text.replace("data/syria_hospitals_attacked_2016.csv", outside);
        assert_ne!(changed, text);
        let (answer, _) = f
            .raw_bytes(
                Method::POST,
                "/api/v1/agreement",
                &[("authorization", &admin)],
                changed.into_bytes(),
            )
            .await;
        assert!(
            answer.status.is_client_error(),
            "{outside}: {}",
            answer.text
        );
        assert!(
            answer.text.contains("outside the agreement's folder")
                && answer.text.contains("agreement_files_anywhere"),
            "{outside}: {}",
            answer.text
        );
    }
}

/// One request from `address`, as the server sees it behind a real socket.
async fn from_address(
    app: &Router,
    address: [u8; 4],
    method: Method,
    uri: &str,
    headers: &[(&str, String)],
    body: Option<Value>,
) -> (StatusCode, Option<String>, String) {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, value.as_str());
    }
    let mut request = match body {
        Some(body) => request
            .header("content-type", "application/json")
            .body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    }
    .expect("request");
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            address, 40000,
        ))));
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let retry = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, retry, String::from_utf8_lossy(&bytes).into_owned())
}

/// The abuse once seen: thirty wrong logins, each with a fresh `Bearer junk`
/// header, all reached the password check and the right password then logged
/// in. Now an account backs off after three wrong passwords (whatever header
/// comes with them), an address and a name have an allowance of logins, and a
/// token's secret guessed wrong is refused before any argon2 work.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_and_token_guessing_are_answered_429() {
    let f = fixture("abuse", Backend::Sqlite);
    let password = "correct horse battery staple";
    blocking(|| {
        let hash = truce_server::auth::hash_secret(password).expect("hash");
        let mut store = truce_store::open_storage(&f.database).expect("store");
        for name in ["field-monitor", "second-monitor"] {
            store
                .add_principal(name, "monitor", None, Some(&hash), AT)
                .expect("add")
                .expect("new");
        }
    });
    // One login from `address`: its status and whether it says when to retry.
    let login = |address: [u8; 4], name: String, password: String, junk: Option<String>| {
        let headers: Vec<(&str, String)> = junk
            .map(|j| vec![("authorization", format!("Bearer {j}"))])
            .unwrap_or_default();
        let app = f.app.clone();
        async move {
            let (status, retry, text) = from_address(
                &app,
                address,
                Method::POST,
                "/api/v1/login",
                &headers,
                Some(json!({"name": name, "password": password})),
            )
            .await;
            if status == StatusCode::TOO_MANY_REQUESTS {
                assert!(retry.is_some(), "{text}");
            }
            status.as_u16()
        }
    };
    let mut statuses = Vec::new();
    for n in 0..30u8 {
        let guess = format!("guess {n}");
        let junk = Some(format!("junk-{n}"));
        statuses.push(login([10, 0, 0, 1 + n], "field-monitor".into(), guess, junk).await);
    }
    assert_eq!(&statuses[..3], &[401, 401, 401], "{statuses:?}");
    assert!(statuses[3..].iter().all(|s| *s == 429), "{statuses:?}");
    // The right password does not get through while the account backs off;
    // another account is not held up by it.
    let right = password.to_string();
    let held = login([10, 0, 1, 1], "field-monitor".into(), right.clone(), None).await;
    assert_eq!(held, 429);
    let other = login([10, 0, 1, 2], "second-monitor".into(), right, None).await;
    assert_eq!(other, 200);

    // One address trying many names gets ten a minute.
    let mut from_one = Vec::new();
    for n in 0..12 {
        from_one.push(login([10, 9, 9, 9], format!("someone-{n}"), "x".into(), None).await);
    }
    assert_eq!(
        from_one.iter().filter(|s| **s == 401).count(),
        10,
        "{from_one:?}"
    );
    assert_eq!(&from_one[10..], &[429, 429], "{from_one:?}");

    // A known token with guessed secrets: three argon2 checks, then 429.
    let real = &f.tokens["analyst"];
    let (prefix, _) = real.rsplit_once('_').expect("truce_<lookup>_<secret>");
    let mut guesses = Vec::new();
    for n in 0..10 {
        let header = vec![("authorization", format!("Bearer {prefix}_guess{n:040}"))];
        let (status, _, _) = from_address(
            &f.app,
            [10, 7, 7, 7],
            Method::GET,
            "/api/v1/steps",
            &header,
            None,
        )
        .await;
        guesses.push(status.as_u16());
    }
    assert_eq!(&guesses[..3], &[401, 401, 401], "{guesses:?}");
    assert!(guesses[3..].iter().all(|s| *s == 429), "{guesses:?}");
}

/// Minor holes of issue 15: a `text/plain` body is not read as a report, and
/// the public ledger does not tell how many users and tokens the mission has.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_text_is_not_a_report_and_accounts_are_not_counted_in_public() {
    let f = fixture("minor", Backend::Sqlite);
    let monitor = format!("Bearer {}", f.tokens["monitor"]);
    let (answer, _) = f
        .send(
            Method::POST,
            "/api/v1/reports",
            &[("authorization", &monitor), ("idempotency-key", "plain-1")],
            Some((
                "text/plain",
                monitor_report("sent as text").to_string().into_bytes(),
            )),
        )
        .await;
    assert_eq!(
        answer.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{}",
        answer.text
    );

    let staff = f.get("/api/v1/ledger/entries?limit=1000", "admin").await;
    assert!(staff.text.contains("token-issued"), "the staff are told");
    for caller in ["anonymous", "observer", "liaison"] {
        let entries = f.get("/api/v1/ledger/entries?limit=1000", caller).await;
        assert_eq!(entries.status, StatusCode::OK);
        for kind in ["user-added", "token-issued", "token-revoked"] {
            assert!(!entries.text.contains(kind), "{caller} is told of `{kind}`");
            let asked = f
                .get(&format!("/api/v1/ledger/entries?type={kind}"), caller)
                .await
                .json();
            assert_eq!(
                asked["entries"].as_array().map(Vec::len),
                Some(0),
                "{caller} counts `{kind}`"
            );
        }
    }
}

/// Witness safety: the liaison of the party a monitor's report accuses reads,
/// by default, neither the monitor's words nor the exact point nor a protected
/// site's name, and no route, ledger entry or bundle names the analyst who
/// published the report (`[liaison]` in docs/api.md).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_accused_partys_liaison_reads_no_witness_words_point_site_or_staff_name() {
    let f = fixture("witness", Backend::Sqlite);
    let words = "the nurse at the clinic gate saw the jet turn twice";
    let staff = "Nadia Haddad";
    let analyst_token = blocking(|| {
        let mut store = truce_store::open_storage(&f.database).expect("store");
        user_with_token(store.as_mut(), staff, "analyst", None)
    });
    let made = f
        .call(
            Method::POST,
            "/api/v1/reports",
            "monitor",
            Some(monitor_report(words)),
            Some("witness-1"),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    let n = made.json()["submission"].as_i64().expect("submission");
    let (status, text) = {
        let request = Request::builder()
            .method(Method::POST)
            .uri(format!("/api/v1/reports/{n}/publish"))
            .header("authorization", format!("Bearer {analyst_token}"))
            .body(Body::empty())
            .expect("request");
        let response = f.app.clone().oneshot(request).await.expect("response");
        let status = response.status();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    };
    assert!(status.is_success(), "{text}");
    let refreshed = f
        .call(Method::POST, "/api/v1/check", "analyst", None, None)
        .await;
    assert_eq!(refreshed.status, StatusCode::OK);
    // The staff do see the monitor's words, the point and the publisher (the test can fail).
    let staff_view = f.get("/api/v1/incidents?limit=1000", "analyst").await;
    let monitor_incident = staff_view.json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| {
            i["id"]
                .as_str()
                .is_some_and(|id| id.starts_with("monitor:"))
        })
        .cloned()
        .expect("the monitor's incident, for the staff");
    let staff_detail = f
        .get(
            &format!(
                "/api/v1/incidents/{}",
                monitor_incident["id"].as_str().expect("id")
            ),
            "analyst",
        )
        .await;
    assert!(staff_detail.text.contains(words), "{}", staff_detail.text);

    let site_names = site_names(&f);
    let mut answers: Vec<(String, String)> = Vec::new();
    let list = f
        .get("/api/v1/incidents?limit=1000&party=russia", "liaison")
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    let items = list.json()["items"].as_array().expect("items").clone();
    assert!(!items.is_empty(), "incidents against the liaison's party");
    for item in items.iter().take(40) {
        let id = item["id"].as_str().expect("id");
        let detail = f.get(&format!("/api/v1/incidents/{id}"), "liaison").await;
        answers.push((format!("incidents/{id}"), detail.text));
    }
    answers.push(("incidents".into(), list.text.clone()));
    for uri in [
        "/api/v1/findings?limit=1000&party=russia",
        "/api/v1/map/incidents",
        "/api/v1/ledger/entries?limit=1000",
        "/api/v1/reports?limit=1000",
    ] {
        let answer = f.get(uri, "liaison").await;
        answers.push((uri.to_string(), answer.text));
    }
    // The bundle's log and evidence; the agreement's own files name the sites
    // the parties agreed to protect, which they know.
    let bundle = bundle_for(&f, "liaison").await;
    let agreement_files = bundle
        .get("bundle/log.jsonl")
        .map(|log| walk::agreement_shas(&String::from_utf8_lossy(log)))
        .unwrap_or_default();
    assert!(!agreement_files.is_empty());
    for (name, bytes) in bundle {
        let sha = name.rsplit('/').next().unwrap_or("");
        if agreement_files.contains(sha) {
            continue;
        }
        answers.push((
            format!("bundle {name}"),
            String::from_utf8_lossy(&bytes).into_owned(),
        ));
    }
    let mut points_seen = 0;
    for (what, text) in &answers {
        assert!(!text.contains(words), "{what} shows the monitor's words");
        assert!(!text.contains(staff), "{what} names the analyst");
        for name in &site_names {
            assert!(
                !text.contains(name.as_str()),
                "{what} names the site `{name}`"
            );
        }
        if let Ok(json) = serde_json::from_str::<Value>(text) {
            let mut found = Vec::new();
            points(&json, "", &mut found);
            for (at, value) in found {
                points_seen += 1;
                assert!(
                    on_district_grid(value),
                    "{what}{at} = {value} is finer than the district cells"
                );
            }
        }
    }
    assert!(points_seen > 10, "only {points_seen} points checked");
}

/// Who the ledger names in a test's account records.
fn test_actor(role: &str) -> truce_mission::record::Actor {
    truce_mission::record::Actor {
        role: role.to_string(),
        name: None,
        pseudonym: None,
    }
}

/// The dashboard's types are generated from `docs/openapi.json`
/// (`web/src/api.ts`, `npm run types`): the committed document must be the one
/// the server serves, or the dashboard would be typed against an API that is gone.
#[test]
fn the_committed_openapi_document_is_the_one_the_server_serves() {
    let generated = truce_server::openapi_document() + "\n";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).expect("write the OpenAPI document");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/openapi.json is out of date: run `UPDATE_SCHEMA=1 cargo test -p truce-server --test server` and commit it (then `npm run types` in web/)"
    );
}
