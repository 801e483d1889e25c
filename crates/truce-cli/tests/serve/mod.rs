//! `truce serve` as a real process: monitors submitting over real sockets, the
//! server killed with SIGKILL in the middle, restarted on the same store.

use super::{SYRIA, SYRIA_EVENTS, code, path_str, root, stderr, temp_dir, truce};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A started server and the address it listens on.
struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(db: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_truce"))
        .args([
            "serve",
            "--db",
            db,
            "--agreement",
            SYRIA,
            "--listen",
            "127.0.0.1:0",
        ])
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("TRUCE_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("truce serve starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let address = loop {
        let line = lines
            .next()
            .expect("the server says where it listens")
            .expect("stderr line");
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest.split_whitespace().next().expect("address").to_string();
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, address }
}

/// One HTTP/1.1 request on its own connection: the status and body, or an error
/// when the connection fails (the server was killed).
fn http(
    address: &str,
    method: &str,
    path: &str,
    token: &str,
    key: Option<&str>,
    body: &str,
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(address)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let key = key
        .map(|k| format!("idempotency-key: {k}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nhost: {address}\r\nauthorization: Bearer {token}\r\n{key}content-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status in {response:?}")))?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

fn report(n: usize) -> String {
    format!(
        r#"{{"date":"2016-09-20","lat":36.2021,"lon":37.1343,"location_precision":"exact","kind":"air-strike","actors":[{{"name":"Russian Air Force","role":"initiator"}}],"text":"report {n}"}}"#
    )
}

/// Reports acknowledged before a SIGKILL are all there after the restart, and
/// each is stored once: sending any of them again stores nothing. On SQLite.
#[test]
fn a_server_killed_with_sigkill_keeps_every_acknowledged_report() {
    let dir = temp_dir("serve-kill");
    let db_path = dir.join("mission.db");
    killed_server_keeps_every_acknowledged_report(path_str(&db_path));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The same on PostgreSQL, when the tests were given a server (`scripts/test.sh`
/// starts one; `TRUCE_REQUIRE_POSTGRES=1` makes its absence a failure).
#[test]
fn a_server_on_postgres_killed_with_sigkill_keeps_every_acknowledged_report() {
    if let Some(url) = crate::backends::postgres_database("kill") {
        killed_server_keeps_every_acknowledged_report(&url);
    }
}

fn killed_server_keeps_every_acknowledged_report(db: &str) {
    let output = truce(&["import", SYRIA_EVENTS, "--db", db]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    for (name, role) in [("monitor", "monitor"), ("admin", "mission-admin")] {
        let output = truce(&[
            "users",
            "add",
            name,
            "--role",
            role,
            "--agreement",
            SYRIA,
            "--db",
            db,
        ]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
    }
    let token = |user: &str| {
        let output = truce(&["tokens", "create", "--user", user, "--db", db]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    };
    let monitor = token("monitor");
    let admin = token("admin");

    let mut server = start(db);
    // Acknowledged submissions: key → the report's id in the answer.
    let acknowledged: Arc<Mutex<BTreeMap<String, String>>> = Arc::default();
    let mut workers = Vec::new();
    for worker in 0..8 {
        let (address, token, acknowledged) = (
            server.address.clone(),
            monitor.clone(),
            acknowledged.clone(),
        );
        workers.push(std::thread::spawn(move || {
            for n in 0.. {
                let key = format!("w{worker}-n{n}");
                match http(
                    &address,
                    "POST",
                    "/api/v1/reports",
                    &token,
                    Some(&key),
                    &report(n),
                ) {
                    Ok((201 | 200, body)) => {
                        let answer: serde_json::Value =
                            serde_json::from_str(&body).expect("JSON answer");
                        let id = answer["id"].as_str().expect("id").to_string();
                        acknowledged.lock().expect("lock").insert(key, id);
                    }
                    Ok((status, body)) => panic!("{status}: {body}"),
                    // The server is gone.
                    Err(_) => return,
                }
            }
        }));
    }
    while acknowledged.lock().expect("lock").len() < 200 {
        std::thread::sleep(Duration::from_millis(20));
    }
    server.child.kill().expect("SIGKILL");
    let status = server.child.wait().expect("wait");
    assert!(!status.success(), "killed: {status:?}");
    for worker in workers {
        worker.join().expect("worker");
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(acknowledged.len() >= 200);

    let server = start(db);
    let mut stored = BTreeMap::new();
    let mut cursor = String::new();
    loop {
        let (status, body) = http(
            &server.address,
            "GET",
            &format!("/api/v1/reports?limit=1000{cursor}"),
            &admin,
            None,
            "",
        )
        .expect("list");
        assert_eq!(status, 200, "{body}");
        let page: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        for item in page["items"].as_array().expect("items") {
            let id = item["id"].as_str().expect("id").to_string();
            *stored.entry(id).or_insert(0) += 1;
        }
        match page["next_cursor"].as_i64() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => break,
        }
    }
    let missing: Vec<&String> = acknowledged
        .values()
        .filter(|id| !stored.contains_key(*id))
        .collect();
    assert!(missing.is_empty(), "acknowledged but lost: {missing:?}");
    assert!(stored.values().all(|&n| n == 1), "a report stored twice");
    // Sending an acknowledged report again stores nothing.
    for (key, id) in acknowledged.iter().take(20) {
        let n: usize = key
            .split("-n")
            .nth(1)
            .and_then(|n| n.parse().ok())
            .expect("n");
        let (status, body) = http(
            &server.address,
            "POST",
            "/api/v1/reports",
            &monitor,
            Some(key),
            &report(n),
        )
        .expect("resubmit");
        assert_eq!(status, 200, "{body}");
        assert!(
            body.contains(id.as_str()) && body.contains("repeated"),
            "{body}"
        );
    }
}

/// `truce tokens revoke` on the command line, with two `truce serve` processes
/// running on the same store: the token is refused by both on the very next
/// request, writes included.
#[test]
fn a_token_revoked_on_the_command_line_stops_at_once_on_every_running_server() {
    let dir = temp_dir("serve-revoke");
    let db = dir.join("store.sqlite");
    let db = path_str(&db);
    let output = truce(&["import", SYRIA_EVENTS, "--db", db]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let output = truce(&[
        "users",
        "add",
        "monitor",
        "--role",
        "monitor",
        "--agreement",
        SYRIA,
        "--db",
        db,
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let output = truce(&["tokens", "create", "--user", "monitor", "--db", db]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let token = String::from_utf8_lossy(&output.stdout).trim().to_string();
    let servers = [start(db), start(db)];
    // Report `n` filed to `server` with the idempotency key `key`.
    let file = |server: &Server, key: &str, n: usize| {
        let (address, body) = (&server.address, report(n));
        http(address, "POST", "/api/v1/reports", &token, Some(key), &body).expect("answer")
    };
    for (n, server) in servers.iter().enumerate() {
        let (status, body) = file(server, &format!("before-{n}"), n);
        assert_eq!(status, 201, "{body}");
    }
    let listed = truce(&["tokens", "list", "--db", db]);
    assert!(
        String::from_utf8_lossy(&listed.stdout).contains("1"),
        "{}",
        stderr(&listed)
    );
    let revoked = truce(&["tokens", "revoke", "1", "--db", db]);
    assert_eq!(code(&revoked), 0, "{}", stderr(&revoked));
    for (n, server) in servers.iter().enumerate() {
        let (status, body) = file(server, &format!("after-{n}"), n + 10);
        assert_eq!(status, 401, "server {n} after the revocation: {body}");
        assert!(body.contains("revoked"), "{body}");
    }
}
