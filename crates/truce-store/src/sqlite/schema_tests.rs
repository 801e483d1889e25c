//! Migration 12 on a store written by truce before it (schema version 11).

use super::super::Store;
use super::SCHEMA_VERSION;
use crate::{FileMeta, ReportFilter, sha256_hex};
use std::path::{Path, PathBuf};
use truce_ingest::{ImportOptions, import_reader};

const AT: &str = "2026-12-07T00:00:00Z";

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("truce-store-unit-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Imports `path` into `store` under the name `name`, as `truce import` did.
fn import(store: &mut Store, name: &str, path: &Path) {
    let bytes = std::fs::read(path).expect("test data");
    let imported = import_reader(
        name,
        bytes.as_slice(),
        None,
        &ImportOptions { keep_raw: true },
    )
    .expect("imports");
    let meta = FileMeta {
        name: name.to_string(),
        sha256: sha256_hex(&bytes),
        size: bytes.len() as u64,
        format: imported.format.name().to_string(),
    };
    let mut run = store.begin_import(&meta, AT).expect("a run");
    run.add(&imported.reports, &imported.quarantined)
        .expect("stored");
    run.finish(AT).expect("finished");
}

/// `tests/data/store-v11.sqlite` was written by `truce import` at schema version
/// 11 (report JSON and raw row in columns of their own) from the first 120 rows of
/// the Syria example (`store-v11-ged_a.csv`), then 20 of them again with one
/// changed (`store-v11-ged_b.csv`): 120 reports, one with a revision.
#[test]
fn a_version_11_store_is_migrated_to_compressed_bodies_and_reads_back_the_same() {
    let dir = temp("v11");
    let path = dir.join("old.sqlite");
    std::fs::copy(data("store-v11.sqlite"), &path).expect("the committed v11 store");
    assert_eq!(
        Store::open_at_version(&path, 11)
            .expect("opens as v11")
            .schema_version()
            .expect("version"),
        11
    );
    let migrated = Store::open(&path).expect("opens and migrates");
    assert_eq!(migrated.schema_version().expect("version"), SCHEMA_VERSION);
    assert_eq!(migrated.integrity_check().expect("check"), vec!["ok"]);

    let mut fresh = Store::open(dir.join("fresh.sqlite")).expect("a new store");
    import(&mut fresh, "ged_a.csv", &data("store-v11-ged_a.csv"));
    import(&mut fresh, "ged_b.csv", &data("store-v11-ged_b.csv"));

    let every = ReportFilter {
        source: None,
        with_raw: true,
    };
    let old_reports = migrated.reports(&every).expect("reports");
    assert_eq!(old_reports.len(), 120);
    assert!(old_reports.iter().all(|r| !r.provenance.raw.is_empty()));
    assert_eq!(old_reports, fresh.reports(&every).expect("reports"));
    let revised: Vec<_> = old_reports
        .iter()
        .filter(|r| r.provenance.file == "ged_b.csv")
        .collect();
    assert_eq!(
        revised.len(),
        1,
        "the one changed row is the current revision"
    );
    let id = &revised[0].provenance.source_id;
    let revisions = migrated.revisions("ucdp-ged", id).expect("revisions");
    assert_eq!(revisions.len(), 2);
    assert_eq!(
        revisions,
        fresh.revisions("ucdp-ged", id).expect("revisions")
    );
    let counts = |store: &Store| -> Vec<_> {
        store
            .runs()
            .expect("runs")
            .into_iter()
            .map(|r| r.counts)
            .collect()
    };
    assert_eq!(counts(&migrated), counts(&fresh));

    // The first run trained a dictionary (120 rows); the second, of 20 rows, did
    // not; every body is far smaller than the JSON and raw row it holds.
    let (dictionaries, bodies): (i64, f64) = migrated
        .conn
        .query_row(
            "SELECT (SELECT count(dictionary) FROM import_runs), avg(length(body)) FROM reports",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("sizes");
    assert_eq!(dictionaries, 1);
    let indexes: i64 = migrated
        .conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'reports'",
            [],
            |row| row.get(0),
        )
        .expect("the indexes");
    assert_eq!(indexes, 1, "only (source, ident, revision) is left");
    std::fs::copy(data("store-v11.sqlite"), dir.join("plain.sqlite")).expect("copy");
    let plain: f64 = rusqlite::Connection::open(dir.join("plain.sqlite"))
        .expect("the old store, unmigrated")
        .query_row(
            "SELECT avg(length(report) + length(coalesce(raw, ''))) FROM reports",
            [],
            |row| row.get(0),
        )
        .expect("sizes");
    assert!(
        bodies * 3.0 < plain,
        "bodies of {bodies:.0} bytes on average against {plain:.0}"
    );
    // The pages the old columns held are given back: the file shrank by more than a
    // third, though most of so small a store is its empty tables and indexes.
    let size = |path: &Path| std::fs::metadata(path).expect("a file").len();
    assert!(
        size(&path) * 3 < size(&data("store-v11.sqlite")) * 2,
        "{} bytes after against {} before",
        size(&path),
        size(&data("store-v11.sqlite"))
    );
}
