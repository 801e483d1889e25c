//! The same `truce` commands on both stores: the SQLite file and PostgreSQL
//! (when the tests were given a server; `scripts/test.sh` starts one and
//! `TRUCE_REQUIRE_POSTGRES=1` makes its absence a failure).

use super::{SYRIA_EVENTS, code, path_str, stderr, temp_dir, truce};

/// A new, empty PostgreSQL database named after `name`, when the tests were
/// given a server; `None` (and the test runs on SQLite alone) otherwise, which
/// `TRUCE_REQUIRE_POSTGRES=1` makes a failure.
pub(crate) fn postgres_database(name: &str) -> Option<String> {
    let Some(url) = std::env::var("TRUCE_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        assert!(
            std::env::var("TRUCE_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "TRUCE_REQUIRE_POSTGRES=1 but TRUCE_TEST_POSTGRES_URL is not set"
        );
        eprintln!(
            "PostgreSQL skipped: TRUCE_TEST_POSTGRES_URL is not set (scripts/test.sh sets it)"
        );
        return None;
    };
    let database = format!("truce_cli_{name}_{}", std::process::id());
    let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("PostgreSQL");
    client
        .batch_execute(&format!("DROP DATABASE IF EXISTS {database}"))
        .expect("drop");
    client
        .batch_execute(&format!("CREATE DATABASE {database}"))
        .expect("create");
    let (server, _) = url.rsplit_once('/').expect("a database in the URL");
    Some(format!("{server}/{database}"))
}

/// The stores a test runs on: a new SQLite file, and a new PostgreSQL database
/// when there is a server.
pub(crate) fn stores(name: &str) -> Vec<(&'static str, String)> {
    let dir = temp_dir(&format!("backends-{name}"));
    let mut stores = vec![("sqlite", path_str(&dir.join("mission.db")).to_string())];
    if let Some(url) = postgres_database(name) {
        stores.push(("postgres", url));
    }
    stores
}

/// The ledger's records of one type, read from the store.
fn ledger_records(db: &str, kind: &str) -> Vec<serde_json::Value> {
    let mut store = truce_store::open_storage(db).expect("store");
    let len = store.ledger_len().expect("ledger");
    store
        .ledger_entries(0, len)
        .expect("entries")
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| serde_json::from_slice(&e.record).expect("record"))
        .collect()
}

/// `truce import` of the real Syria 2016 GED file gives the same run on both
/// stores: every row stored, the 15 rows whose low, best and high estimates of
/// deaths are out of order kept with a warning each (counted here with the
/// `csv` crate), the run recorded in the ledger; a second import stores nothing.
#[test]
fn import_gives_the_same_run_on_both_stores() {
    let mut reader = csv::Reader::from_path(super::root().join(SYRIA_EVENTS)).expect("GED");
    let header = reader.headers().expect("header").clone();
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (low, best, high) = (column("low"), column("best"), column("high"));
    let (mut rows, mut out_of_order) = (0u64, 0u64);
    for record in reader.records() {
        let record = record.expect("record");
        rows += 1;
        let n = |i: usize| record.get(i).and_then(|v| v.parse::<u32>().ok());
        if let Some(b) = n(best) {
            let (l, h) = (n(low).unwrap_or(b), n(high).unwrap_or(b));
            out_of_order += u64::from(!(l <= b && b <= h));
        }
    }

    for (backend, db) in stores("import") {
        let first = truce(&["import", SYRIA_EVENTS, "--db", &db]);
        assert_eq!(code(&first), 0, "{backend}: {}", stderr(&first));
        let said = stderr(&first);
        assert!(
            said.contains(&format!(
                "{rows} row(s) read: {rows} stored, 0 duplicate(s)"
            )),
            "{backend}: {said}"
        );
        assert!(
            said.contains(&format!(
                "kept with a warning {out_of_order} × field `low/best/high`"
            )),
            "{backend}: {said}"
        );
        assert!(said.contains("warning: line "), "{backend}: {said}");

        let second = truce(&["import", SYRIA_EVENTS, "--db", &db]);
        assert_eq!(code(&second), 0, "{backend}: {}", stderr(&second));
        assert!(
            stderr(&second).contains(&format!(
                "{rows} row(s) read: 0 stored, {rows} duplicate(s)"
            )),
            "{backend}: {}",
            stderr(&second)
        );

        let runs = ledger_records(&db, "import-run");
        assert_eq!(runs.len(), 2, "{backend}: one record per run: {runs:?}");
        let warned: Vec<&serde_json::Value> = runs[0]["reasons"]
            .as_array()
            .expect("reasons")
            .iter()
            .filter(|r| r["outcome"] == "warned")
            .collect();
        assert_eq!(warned.len(), 1, "{backend}: {runs:?}");
        assert_eq!(warned[0]["count"], out_of_order, "{backend}");
    }
}
