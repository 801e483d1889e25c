//! Migration 5 on a PostgreSQL store as truce before it wrote one (version 4:
//! each report's JSON in a column of its own).

use super::{PG_MIGRATIONS, PgStore};
use crate::migration::Migration;
use crate::{EvidenceStore, stored};
use postgres::{Client, NoTls};
use sha2::{Digest, Sha256};
use std::path::Path;
use truce_ingest::{ImportOptions, import_reader};

/// A new, empty database on the test server, or `None` when the tests were given
/// no server (a failure under `TRUCE_REQUIRE_POSTGRES=1`).
fn new_database(name: &str) -> Option<String> {
    let Some(url) = std::env::var("TRUCE_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        assert!(
            std::env::var("TRUCE_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "TRUCE_REQUIRE_POSTGRES=1 but TRUCE_TEST_POSTGRES_URL is not set"
        );
        return None;
    };
    let database = format!("truce_store_{name}_{}", std::process::id());
    let mut client = Client::connect(&url, NoTls).expect("PostgreSQL");
    for statement in [
        format!("DROP DATABASE IF EXISTS {database}"),
        format!("CREATE DATABASE {database}"),
    ] {
        client.batch_execute(&statement).expect("a new database");
    }
    let (server, _) = url.rsplit_once('/').expect("a database in the URL");
    Some(format!("{server}/{database}"))
}

#[test]
fn a_version_4_store_is_migrated_to_compressed_bodies_and_reads_back_the_same() {
    let Some(url) = new_database("v4") else {
        return;
    };
    let csv = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/store-v11-ged_a.csv");
    let bytes = std::fs::read(csv).expect("test data");
    let imported = import_reader(
        "ged_a.csv",
        bytes.as_slice(),
        None,
        &ImportOptions { keep_raw: false },
    )
    .expect("imports");
    assert_eq!(imported.reports.len(), 120);

    // The store as version 4 wrote it: its four migrations, one run, its reports' JSON.
    let mut client = Client::connect(&url, NoTls).expect("the new database");
    for migration in &PG_MIGRATIONS[..4] {
        let Migration::Sql(sql) = migration else {
            panic!("the first four migrations are SQL");
        };
        client.batch_execute(sql).expect("an old migration");
    }
    client
        .batch_execute(
            "CREATE TABLE truce_schema (version INTEGER NOT NULL); \
             INSERT INTO truce_schema VALUES (4); \
             INSERT INTO import_runs (file, file_sha256, file_size, format, started, finished) \
             VALUES ('ged_a.csv', 'x', 1, 'ucdp-ged', '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z')",
        )
        .expect("a run");
    for report in &imported.reports {
        let mut json = Vec::new();
        stored::write_json(report, &mut json).expect("JSON");
        let hash: [u8; 32] = Sha256::digest(&json).into();
        let p = &report.provenance;
        client
            .execute(
                "INSERT INTO reports (source, source_id, ident, revision, content_hash, file, \
                 line, report, first_run) VALUES ($1, $2, $2, 1, $3, $4, $5, $6, 1)",
                &[
                    &p.source,
                    &p.source_id,
                    &&hash[..],
                    &p.file,
                    &(p.line as i64),
                    &String::from_utf8(json).expect("UTF-8"),
                ],
            )
            .expect("an old row");
    }

    let mut store = PgStore::connect(&url).expect("connects and migrates");
    let (reports, _) = store.reports_known_before(None).expect("reads back");
    assert_eq!(reports, imported.reports);
    let (version, dictionaries): (i32, i64) = {
        let row = client
            .query_one(
                "SELECT (SELECT version FROM truce_schema), \
                 (SELECT count(dictionary) FROM import_runs)",
                &[],
            )
            .expect("the schema");
        (row.get(0), row.get(1))
    };
    assert_eq!(version as usize, PG_MIGRATIONS.len());
    assert_eq!(dictionaries, 1, "120 rows train the run's dictionary");
    let old_columns: i64 = client
        .query_one(
            "SELECT count(*) FROM information_schema.columns \
             WHERE table_name = 'reports' AND column_name IN ('report', 'raw')",
            &[],
        )
        .expect("the columns")
        .get(0);
    assert_eq!(old_columns, 0, "the report and raw columns are gone");
    let unique_indexes: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'reports' \
             AND indexdef LIKE 'CREATE UNIQUE INDEX%'",
            &[],
        )
        .expect("the indexes")
        .get(0);
    assert_eq!(
        unique_indexes, 2,
        "the primary key and (source, ident, revision) stay; (source, ident, content_hash) goes"
    );
}
