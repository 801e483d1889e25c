//! The store on real SQLite files in a temporary folder, fed with the real
//! UCDP GED rows of the Syria example: nothing stored twice, revisions kept,
//! counts that add up, resumed runs, recorded deletions, and a store of the
//! first schema opened and migrated by this code.

use std::path::{Path, PathBuf};
use truce_ingest::{ImportOptions, Imported, import_reader};
use truce_store::prelude::*;
use truce_store::{Counts, FileMeta, ReportFilter, SCHEMA_VERSION, Store, StoreError, sha256_hex};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const SYRIA_EVENTS: &str = "examples/syria-2016/data/ged191_syria_2016.csv";
const AT: &str = "2026-01-01T00:00:00Z";

/// A fresh folder for one test.
fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("truce-store-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A fresh store in a fresh folder for one test.
fn new_store(name: &str) -> Store {
    Store::open(temp(name).join("s.sqlite")).expect("opens")
}

fn import_text(name: &str, text: &str) -> (FileMeta, Imported) {
    let imported = import_reader(
        name,
        text.as_bytes(),
        None,
        &ImportOptions { keep_raw: true },
    )
    .expect("imports");
    let meta = FileMeta {
        name: name.to_string(),
        sha256: sha256_hex(text.as_bytes()),
        size: text.len() as u64,
        format: imported.format.name().to_string(),
    };
    (meta, imported)
}

fn syria_text() -> String {
    std::fs::read_to_string(root().join(SYRIA_EVENTS)).expect("example data")
}

/// The CSV records of `text` (the header first): a quoted field may hold line breaks.
fn records(text: &str) -> Vec<String> {
    let mut records = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        if !current.is_empty() {
            current.push('\n');
        }
        current.push_str(line);
        if current.matches('"').count().is_multiple_of(2) {
            records.push(std::mem::take(&mut current));
        }
    }
    records
}

/// Row `n` of the Syria file with its country renamed `place`, alone under the
/// header: a later export that revises that row.
fn with_country_renamed(rows: &[String], n: usize, place: &str) -> String {
    let changed = rows[n].replacen(",Syria,652,", &format!(",{place},652,"), 1);
    assert_ne!(changed, rows[n]);
    format!("{}\n{changed}\n", rows[0])
}

/// Stores a whole file in batches of `batch` rows: reports, then problems.
fn store_file(
    store: &mut Store,
    meta: &FileMeta,
    imported: &Imported,
    batch: usize,
) -> truce_store::RunInfo {
    store_file_at(store, meta, imported, batch, AT)
}

/// [`store_file`], recorded at `at`.
fn store_file_at(
    store: &mut Store,
    meta: &FileMeta,
    imported: &Imported,
    batch: usize,
    at: &str,
) -> truce_store::RunInfo {
    let mut run = store.begin_import(meta, at).expect("run");
    let (r, q) = (&imported.reports, &imported.quarantined);
    let total = r.len() + q.len();
    let mut at = run.rows_done() as usize;
    while at < total {
        let end = (at + batch).min(total);
        run.add(
            &r[at.min(r.len())..end.min(r.len())],
            &q[at.saturating_sub(r.len())..end.saturating_sub(r.len())],
        )
        .expect("batch");
        at = end;
    }
    run.finish(AT).expect("finish")
}

#[test]
fn a_check_as_of_a_day_reads_what_the_store_knew_when_that_day_ended() {
    // 10 October 2016 in Damascus (UTC+3) ends at 21:00 UTC.
    let day = truce_model::time::Day::from_ymd(2016, 10, 10).expect("a day");
    let cut = truce_store::known_before(day, 180);
    assert_eq!(cut, "2016-10-10T21:00:00");
    assert_eq!(
        truce_store::known_before(day, -300),
        "2016-10-11T05:00:00",
        "a zone west of UTC ends the day later"
    );

    let mut store = new_store("known-before");
    let text = syria_text();
    let rows = records(&text);
    let first = format!("{}\n{}\n", rows[0], rows[1..=6].join("\n"));
    let (meta, imported) = import_text("first.csv", &first);
    store_file_at(&mut store, &meta, &imported, 100, "2016-10-01T08:00:00Z");
    let id = |n: usize| imported.reports[n - 1].provenance.source_id.clone();
    // Row n with its country renamed, recorded at `at`.
    let revise = |store: &mut Store, n: usize, place: &str, at: &str| {
        let name = format!("{place}.csv");
        let (meta, imported) = import_text(&name, &with_country_renamed(&rows, n, place));
        let run = store_file_at(store, &meta, &imported, 10, at);
        assert_eq!(
            run.counts.revised + run.counts.stored,
            1,
            "{place}: {:?}",
            run.counts
        );
    };
    // Row 1: revised within the day (a fraction of a second before it ends).
    revise(&mut store, 1, "Syria (in time)", "2016-10-10T20:59:59.5Z");
    // Row 2: revised the moment the day ended.
    revise(&mut store, 2, "Syria (too late)", "2016-10-10T21:00:00Z");
    // Row 3: withdrawn before; row 4: withdrawn after.
    let withdraw = |store: &mut Store, n: usize, at: &str| {
        store
            .record_deletion("ucdp-ged", &id(n), None, at, Some("withdrawn"))
            .expect("deletion");
    };
    withdraw(&mut store, 3, "2016-10-05T00:00:00Z");
    withdraw(&mut store, 4, "2016-11-01T00:00:00Z");
    // Row 5: revised before the day ended and again after.
    revise(&mut store, 5, "Syria (October fix)", "2016-10-02T00:00:00Z");
    revise(
        &mut store,
        5,
        "Syria (December fix)",
        "2016-12-01T00:00:00Z",
    );
    // Row 7: history first imported months later, then revised: its first
    // revision stands for what happened (backfilled history stays visible).
    revise(&mut store, 7, "Syria (backfilled)", "2017-03-01T00:00:00Z");
    revise(
        &mut store,
        7,
        "Syria (backfilled then fixed)",
        "2017-04-01T00:00:00Z",
    );

    let seen = |reports: &[truce_model::report::Report]| -> Vec<(String, String)> {
        reports
            .iter()
            .map(|r| {
                (
                    r.provenance.source_id.clone(),
                    r.location.country.clone().unwrap_or_default(),
                )
            })
            .collect()
    };
    let row7 = rows[7].split(',').next().expect("an id").to_string();
    let (known, watermark) = store.reports_known_before(Some(&cut)).expect("reads");
    let mut known = seen(&known);
    known.sort();
    let mut expected = vec![
        (id(1), "Syria (in time)".to_string()),
        (id(2), "Syria".to_string()),
        (id(4), "Syria".to_string()),
        (id(5), "Syria (October fix)".to_string()),
        (id(6), "Syria".to_string()),
        (row7.clone(), "Syria (backfilled)".to_string()),
    ];
    expected.sort();
    assert_eq!(known, expected);

    // Now: every latest revision, the withdrawn rows gone.
    let (now, same) = store.reports_known_before(None).expect("reads");
    assert_eq!(same, watermark);
    let mut now = seen(&now);
    now.sort();
    let mut expected = vec![
        (id(1), "Syria (in time)".to_string()),
        (id(2), "Syria (too late)".to_string()),
        (id(5), "Syria (December fix)".to_string()),
        (id(6), "Syria".to_string()),
        (row7.clone(), "Syria (backfilled then fixed)".to_string()),
    ];
    expected.sort();
    assert_eq!(now, expected);

    // A run as of the day keeps the instant and reads the same evidence back.
    let agreement = store
        .record_agreement("agreement.toml", "id = \"a\"\n", AT)
        .expect("agreement");
    store
        .record_check_run(&truce_store::NewCheckRun {
            started: AT,
            agreement: agreement.id,
            agreement_id: "a",
            as_of: Some("2016-10-10"),
            watermark,
            known_before: Some(&cut),
            kept_apart: &[],
            files: &[],
            reports: 6,
            result: "{}",
            exit_code: 0,
        })
        .expect("recorded");
    let run = store.check_run(1).expect("read").expect("run 1");
    assert_eq!(run.known_before.as_deref(), Some(cut.as_str()));
    let mut again = seen(
        &store
            .reports_at(run.watermark, run.known_before.as_deref())
            .expect("reads"),
    );
    again.sort();
    assert_eq!(again, known);

    // Between the day and now: what changed after the day ended, and only that.
    let changes = store
        .changes_between_known(watermark, Some(&cut), watermark, None)
        .expect("changes");
    let mut changed: Vec<(String, bool, bool)> = changes
        .iter()
        .map(|c| (c.source_id.clone(), c.before.is_some(), c.after.is_some()))
        .collect();
    changed.sort();
    let mut expected = vec![
        (id(2), true, true),
        (id(4), true, false),
        (id(5), true, true),
        (row7, true, true),
    ];
    expected.sort();
    assert_eq!(changed, expected);
}

#[test]
fn reimporting_the_same_real_file_stores_nothing_twice() {
    let mut store = new_store("reimport");
    let text = syria_text();
    let (meta, imported) = import_text(SYRIA_EVENTS, &text);
    let first = store_file(&mut store, &meta, &imported, 1000);
    assert_eq!(
        first.counts,
        Counts {
            read: 6170,
            stored: 6170,
            duplicates: 0,
            revised: 0,
            quarantined: 0,
            skipped: 0
        }
    );
    let second = store_file(&mut store, &meta, &imported, 1000);
    assert_ne!(first.id, second.id, "a finished run is not resumed");
    assert_eq!(
        second.counts,
        Counts {
            read: 6170,
            stored: 0,
            duplicates: 6170,
            revised: 0,
            quarantined: 0,
            skipped: 0
        }
    );
    assert!(first.counts.add_up() && second.counts.add_up());
    let totals = store.totals().expect("totals");
    assert_eq!(
        (totals.current_reports, totals.revisions, totals.runs),
        (6170, 6170, 2)
    );
    // What comes back is what went in, raw rows included, in file order.
    let back = store
        .reports(&ReportFilter {
            source: None,
            with_raw: true,
        })
        .expect("reports");
    assert_eq!(back, imported.reports);
    let lean = store.reports(&ReportFilter::default()).expect("reports");
    assert!(lean.iter().all(|r| r.provenance.raw.is_empty()));
    assert_eq!(
        store.integrity_check().expect("check"),
        vec!["ok".to_string()]
    );
}

#[test]
fn an_overlapping_later_export_with_one_changed_row_gives_one_revision() {
    let mut store = new_store("overlap");
    let text = syria_text();
    let lines = records(&text);
    // The first export: rows 1..=3000; the later one: rows 2001..=5000, with
    // row 2500's deaths changed from what the first export said.
    let early = format!("{}\n{}\n", lines[0], lines[1..=3000].join("\n"));
    let mut later_rows: Vec<String> = lines[2001..=5000].to_vec();
    let changed = &mut later_rows[2500 - 2001];
    let id = changed.split(',').next().expect("an id").to_string();
    // `low,best,high` are the last three columns.
    let cut = changed.rfind(',').expect("columns");
    let cut = changed[..cut].rfind(',').expect("columns");
    let cut = changed[..cut].rfind(',').expect("columns");
    *changed = format!("{},97,98,99", &changed[..cut]);
    let later = format!("{}\n{}\n", lines[0], later_rows.join("\n"));

    let (meta, imported) = import_text("early.csv", &early);
    let a = store_file(&mut store, &meta, &imported, 700);
    assert_eq!(
        a.counts,
        Counts {
            read: 3000,
            stored: 3000,
            ..Counts::default()
        }
    );
    let (meta, imported) = import_text("later.csv", &later);
    let b = store_file(&mut store, &meta, &imported, 700);
    assert_eq!(
        b.counts,
        Counts {
            read: 3000,
            stored: 2000,
            duplicates: 999,
            revised: 1,
            quarantined: 0,
            skipped: 0
        }
    );
    assert!(b.counts.add_up());
    let totals = store.totals().expect("totals");
    assert_eq!((totals.current_reports, totals.revisions), (5000, 5001));
    // Both revisions are kept; the later one is current, and is what a check reads.
    let revisions = store.revisions("ucdp-ged", &id).expect("revisions");
    assert_eq!(revisions.len(), 2);
    assert!(!revisions[0].1 && revisions[1].1);
    assert_eq!(revisions[1].0.casualties.map(|c| c.best), Some(98));
    assert_eq!(revisions[0].0.provenance.file, "early.csv");
    assert_eq!(revisions[1].0.provenance.file, "later.csv");
    let current = store.reports(&ReportFilter::default()).expect("reports");
    let it = current
        .iter()
        .find(|r| r.provenance.source_id == id)
        .expect("current");
    assert_eq!(it.casualties.map(|c| c.best), Some(98));
    // The early export again: its old content is a duplicate of revision 1, not a third revision.
    let (meta, imported) = import_text("early.csv", &early);
    let c = store_file(&mut store, &meta, &imported, 5000);
    assert_eq!(
        c.counts,
        Counts {
            read: 3000,
            duplicates: 3000,
            ..Counts::default()
        }
    );
    assert_eq!(store.totals().expect("totals").revisions, 5001);
}

#[test]
fn quarantined_rows_are_counted_per_reason_and_kept_once() {
    let mut store = new_store("quarantine");
    let text = syria_text();
    let mut lines: Vec<String> = records(&text).into_iter().take(101).collect();
    // Three rows get a month 13 in `date_start` (the ninth column from the end).
    for i in [3usize, 10, 50] {
        let mut fields: Vec<String> = lines[i].rsplitn(10, ',').map(String::from).collect();
        fields[8] = "2016-13-01".to_string();
        fields.reverse();
        lines[i] = fields.join(",");
    }
    lines[20] = "1,2,3".to_string();
    let file = lines.join("\n") + "\n";
    let (meta, imported) = import_text("bad.csv", &file);
    let q = imported.quarantined.len() as u64;
    assert_eq!(q, 4, "{:?}", imported.quarantined);
    let run = store_file(&mut store, &meta, &imported, 30);
    assert_eq!(run.counts.quarantined, q);
    assert_eq!(run.counts.read, 100);
    assert!(run.counts.add_up());
    assert_eq!(run.reasons.iter().map(|r| r.count).sum::<u64>(), q);
    let rows = store.quarantine(Some(run.id)).expect("quarantine");
    assert_eq!(rows.len() as u64, q);
    assert!(rows.iter().any(|r| r.field.is_none()));
    // Again: counted again in the new run, stored once.
    let again = store_file(&mut store, &meta, &imported, 30);
    assert_eq!(again.counts.quarantined, q);
    assert_eq!(store.quarantine(None).expect("all").len() as u64, q);
    assert!(
        store
            .quarantine(Some(again.id))
            .expect("none new")
            .is_empty()
    );
}

#[test]
fn a_run_left_open_is_resumed_and_completes_with_exact_totals() {
    let dir = temp("resume");
    let path = dir.join("s.sqlite");
    let text = syria_text();
    let (meta, imported) = import_text(SYRIA_EVENTS, &text);
    {
        let mut store = Store::open(&path).expect("opens");
        let mut run = store.begin_import(&meta, AT).expect("run");
        run.add(&imported.reports[..2000], &[]).expect("batch 1");
        run.add(&imported.reports[2000..4000], &[])
            .expect("batch 2");
        // Dropped without finishing: as if the process had died here.
    }
    let mut store = Store::open(&path).expect("opens again");
    let open = store.runs().expect("runs");
    assert_eq!(open.len(), 1);
    assert_eq!(
        (open[0].finished.as_deref(), open[0].rows_done),
        (None, 4000)
    );
    let run = store.begin_import(&meta, AT).expect("run");
    assert!(run.resumed());
    assert_eq!(run.rows_done(), 4000);
    drop(run);
    let done = store_file(&mut store, &meta, &imported, 1500);
    assert_eq!(done.id, open[0].id);
    assert_eq!(
        done.counts,
        Counts {
            read: 6170,
            stored: 6170,
            ..Counts::default()
        }
    );
    assert_eq!(done.finished.as_deref(), Some(AT));
    assert_eq!(store.totals().expect("totals").current_reports, 6170);
}

#[test]
fn a_deletion_is_recorded_and_hides_the_report_without_losing_it() {
    let mut store = new_store("delete");
    let (meta, imported) = import_text(SYRIA_EVENTS, &syria_text());
    store_file(&mut store, &meta, &imported, 10_000);
    let id = imported.reports[0].provenance.source_id.clone();
    let deletion = store
        .record_deletion("ucdp-ged", &id, None, AT, Some("withdrawn in GED 20.1"))
        .expect("deletion");
    assert_eq!(deletion.revisions_marked, 1);
    let totals = store.totals().expect("totals");
    assert_eq!(
        (totals.current_reports, totals.revisions, totals.deletions),
        (6169, 6170, 1)
    );
    assert_eq!(store.revisions("ucdp-ged", &id).expect("kept").len(), 1);
}

#[test]
fn every_agreement_version_is_kept_once() {
    let mut store = new_store("agreements");
    let a = store
        .record_agreement("a.toml", "format = 1\r\n", AT)
        .expect("v1");
    let same = store
        .record_agreement("a.toml", "format = 1\n", AT)
        .expect("same");
    let b = store
        .record_agreement("a.toml", "format = 1\n# v2\n", AT)
        .expect("v2");
    assert!(a.new && !same.new && b.new);
    assert_eq!(a.id, same.id);
    let versions = store.agreement_versions("a.toml").expect("versions");
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].1, "format = 1\n");
}

const V1_STORE: &str = "crates/truce-store/tests/data/store-v1.sqlite";

/// Writes `tests/data/store-v1.sqlite`: schema migration 1 only, the first 5
/// rows of the Syria example, one revision, one quarantined row. Run once with
/// `cargo test -p truce-store -- --ignored make_v1_store` when the file is lost;
/// never rewrite it for a newer schema (that is what it tests).
#[test]
#[ignore]
fn make_v1_store() {
    let path = root().join(V1_STORE);
    let _ = std::fs::remove_file(&path);
    let text = syria_text();
    let lines: Vec<&str> = text.lines().collect();
    let mut store = Store::open_at_version(&path, 1).expect("v1");
    let first = format!("{}\n{}\n2,2,2\n", lines[0], lines[1..=5].join("\n"));
    let (meta, imported) = import_text("v1-a.csv", &first);
    store_file(&mut store, &meta, &imported, 2);
    let changed = lines[5].replacen(",Syria,652,", ",Syria (revised),652,", 1);
    let second = format!("{}\n{}\n{changed}\n", lines[0], lines[4]);
    let (meta, imported) = import_text("v1-b.csv", &second);
    store_file(&mut store, &meta, &imported, 2);
    assert_eq!(store.schema_version().expect("version"), 1);
    drop(store);
}

#[test]
fn a_store_of_schema_version_1_opens_migrates_and_reads_back() {
    let dir = temp("v1");
    let path = dir.join("old.sqlite");
    std::fs::copy(root().join(V1_STORE), &path).expect("the committed v1 store");
    {
        let conn_version = Store::open_at_version(&path, 1).expect("opens as v1");
        assert_eq!(conn_version.schema_version().expect("version"), 1);
    }
    let store = Store::open(&path).expect("opens and migrates");
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
    const { assert!(SCHEMA_VERSION >= 2) };
    assert_eq!(
        store.integrity_check().expect("check"),
        vec!["ok".to_string()]
    );
    let reports = store
        .reports(&ReportFilter {
            source: None,
            with_raw: true,
        })
        .expect("reports");
    assert_eq!(reports.len(), 5);
    assert!(
        reports
            .iter()
            .all(|r| r.provenance.source == "ucdp-ged" && !r.provenance.raw.is_empty())
    );
    let text = syria_text();
    let lines: Vec<&str> = text.lines().collect();
    let (_, original) = import_text(
        "v1-a.csv",
        &format!("{}\n{}\n", lines[0], lines[1..=5].join("\n")),
    );
    // Four as first read; the fifth is its revision from the second file.
    assert_eq!(reports[..4], original.reports[..4]);
    assert_eq!(reports[4].provenance.file, "v1-b.csv");
    assert_eq!(
        reports[4].location.country.as_deref(),
        Some("Syria (revised)")
    );
    let runs = store.runs().expect("runs");
    assert_eq!(runs.len(), 2);
    assert_eq!(
        runs[0].counts,
        Counts {
            read: 6,
            stored: 5,
            duplicates: 0,
            revised: 0,
            quarantined: 1,
            skipped: 0
        }
    );
    assert_eq!(
        runs[1].counts,
        Counts {
            read: 2,
            stored: 0,
            duplicates: 1,
            revised: 1,
            quarantined: 0,
            skipped: 0
        }
    );
    assert_eq!(store.quarantine(None).expect("quarantine").len(), 1);
    assert_eq!(store.totals().expect("totals").revisions, 6);
}

#[test]
fn a_store_from_a_newer_truce_is_refused_by_name() {
    let dir = temp("newer");
    let path = dir.join("new.sqlite");
    drop(Store::open(&path).expect("opens"));
    // As if a newer truce had migrated it further.
    assert!(set_user_version(&path, SCHEMA_VERSION + 1));
    match Store::open(&path) {
        Err(e @ StoreError::TooNew { .. }) => {
            let message = e.to_string();
            assert!(
                message.contains("new.sqlite") && message.contains("newer"),
                "{message}"
            );
        }
        other => panic!("expected TooNew, got {other:?}"),
    }
}

/// Sets `PRAGMA user_version` by writing the header field (bytes 60..64, big
/// endian), so this test needs no SQL of its own.
fn set_user_version(path: &Path, version: u32) -> bool {
    let mut bytes = std::fs::read(path).expect("store bytes");
    if bytes.len() < 100 {
        return false;
    }
    bytes[60..64].copy_from_slice(&version.to_be_bytes());
    std::fs::write(path, bytes).is_ok()
}

#[test]
fn rows_skipped_as_out_of_scope_are_counted_with_their_reasons() {
    let mut store = new_store("skipped");
    let (meta, imported) = import_text(SYRIA_EVENTS, &syria_text());
    let out_of_scope = |line| truce_ingest::RowProblem {
        file: "gdelt.csv".to_string(),
        line,
        field: Some("EventRootCode".to_string()),
        value: Some("01".to_string()),
        reason: "not material conflict".to_string(),
    };
    let mut run = store.begin_import(&meta, AT).expect("run");
    run.add(&imported.reports[..10], &[]).expect("batch");
    run.add_skipped(&[out_of_scope(3), out_of_scope(4)])
        .expect("skipped");
    let info = run.finish(AT).expect("finish");
    assert_eq!(
        info.counts,
        Counts {
            read: 12,
            stored: 10,
            skipped: 2,
            ..Counts::default()
        }
    );
    assert!(info.counts.add_up());
    assert_eq!(info.rows_done, 12);
    assert_eq!(info.reasons.len(), 1);
    assert!(
        info.reasons[0].outcome == truce_store::RowOutcome::Skipped && info.reasons[0].count == 2
    );
    assert!(store.quarantine(None).expect("none").is_empty());
}

#[test]
fn raw_rows_with_other_columns_than_the_run_are_kept_whole() {
    let mut store = new_store("raw-columns");
    let (meta, imported) = import_text(SYRIA_EVENTS, &syria_text());
    let mut reports = imported.reports[..3].to_vec();
    reports[1].provenance.raw.truncate(5);
    reports[2].provenance.raw[0].0 = "event_id".to_string();
    let mut run = store.begin_import(&meta, AT).expect("run");
    run.add(&reports, &[]).expect("batch");
    run.finish(AT).expect("finish");
    let back = store
        .reports(&ReportFilter {
            source: None,
            with_raw: true,
        })
        .expect("reports");
    assert_eq!(back, reports);
}

#[test]
fn check_runs_fix_the_evidence_they_read_and_the_changes_between_them_are_exact() {
    let mut store = new_store("check-runs");
    let text = syria_text();
    let rows = records(&text);
    let (meta, imported) = import_text(SYRIA_EVENTS, &text);
    store_file(&mut store, &meta, &imported, 10_000);
    let agreement = store
        .record_agreement("agreement.toml", "id = \"a\"\n", AT)
        .expect("agreement");
    let (read, first) = store
        .reports_with_watermark(&ReportFilter::default())
        .expect("reports");
    assert_eq!(read.len(), 6170);
    assert_eq!((first.last_report, first.last_deletion), (6170, 0));
    let record = |store: &mut Store, at: truce_store::Watermark, result: &str| {
        store
            .record_check_run(&truce_store::NewCheckRun {
                started: AT,
                agreement: agreement.id,
                agreement_id: "a",
                as_of: Some("2016-12-31"),
                watermark: at,
                known_before: None,
                kept_apart: &[3],
                files: &[("beside.csv".to_string(), "ab".repeat(32))],
                reports: 6170,
                result,
                exit_code: 1,
            })
            .expect("recorded")
    };
    let one = record(&mut store, first, "{\"schema\":\"truce-check/1\"}");
    assert_eq!(one, 1);

    // Between the runs: row 2 revised twice (two later exports), row 3 deleted,
    // one new row. The state at each run is what it was then.
    let second_id = imported.reports[1].provenance.source_id.clone();
    let third_id = imported.reports[2].provenance.source_id.clone();
    for (n, place) in ["Syria (first fix)", "Syria (second fix)"]
        .iter()
        .enumerate()
    {
        let name = format!("later-{n}.csv");
        let (meta, imported) = import_text(&name, &with_country_renamed(&rows, 2, place));
        assert_eq!(
            store_file(&mut store, &meta, &imported, 10).counts.revised,
            1
        );
    }
    store
        .record_deletion("ucdp-ged", &third_id, None, AT, Some("withdrawn"))
        .expect("deletion");
    let extra = rows[4].replacen(
        &format!("{},", imported.reports[3].provenance.source_id),
        "99000001,",
        1,
    );
    let (meta, new) = import_text("extra.csv", &format!("{}\n{extra}\n", rows[0]));
    assert_eq!(store_file(&mut store, &meta, &new, 10).counts.stored, 1);
    let second = store.watermark().expect("watermark");
    assert_eq!((second.last_report, second.last_deletion), (6173, 1));
    record(&mut store, second, "{}");

    let changes = store.changes_between(first, second).expect("changes");
    let summary: Vec<(String, bool, bool, Option<String>)> = changes
        .iter()
        .map(|c| {
            (
                c.source_id.clone(),
                c.before.is_some(),
                c.after.is_some(),
                c.deletion_note.clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (third_id.clone(), true, false, Some("withdrawn".to_string())),
            (second_id.clone(), true, true, None),
            ("99000001".to_string(), false, true, None),
        ]
    );
    // Two revisions between the runs: before is the one the first run read, after the last.
    let revised = &changes[1];
    let country = |r: &Option<truce_model::report::Report>| {
        r.as_ref().and_then(|r| r.location.country.clone())
    };
    assert_eq!(country(&revised.before).as_deref(), Some("Syria"));
    assert_eq!(
        country(&revised.after).as_deref(),
        Some("Syria (second fix)")
    );
    // Backwards, the same changes with before and after swapped.
    let backwards = store.changes_between(second, first).expect("changes");
    assert_eq!(backwards.len(), 3);
    assert!(backwards[0].after.is_some());
    assert_eq!(backwards[0].deletion_note, None);
    assert_eq!(country(&backwards[1].after).as_deref(), Some("Syria"));
    assert!(
        store
            .changes_between(second, second)
            .expect("none")
            .is_empty()
    );

    let runs = store.check_runs().expect("runs");
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].watermark, first);
    assert_eq!(runs[0].kept_apart, [3]);
    assert_eq!(runs[0].files[0].0, "beside.csv");
    assert_eq!(runs[0].agreement_id, "a");
    assert!(runs[0].result.is_empty(), "listings leave the results out");
    let run = store.check_run(1).expect("read").expect("run 1");
    assert_eq!(run.result, "{\"schema\":\"truce-check/1\"}");
    assert_eq!(run.result_sha256, sha256_hex(run.result.as_bytes()));
    assert!(store.check_run(3).expect("read").is_none());
}

/// The WAL does not keep the size of the largest burst it took: 241 MB were
/// seen under a server's sustained writes (small transactions, no import run
/// to checkpoint at its end) while its checks held old snapshots. Here a
/// reader holds a snapshot while more than 64 MiB of ledger records are
/// appended; once it lets go, the next writes checkpoint and cut the file back.
#[test]
fn the_wal_is_cut_back_after_a_burst() {
    let dir = temp("wal");
    let path = dir.join("s.sqlite");
    let mut store = Store::open(&path).expect("opens");
    let reader = rusqlite::Connection::open(&path).expect("a second connection");
    reader
        .execute_batch("BEGIN; SELECT COUNT(*) FROM ledger;")
        .expect("a read transaction");
    let wal = dir.join("s.sqlite-wal");
    let record = vec![b'x'; 1 << 20];
    for n in 0..72u8 {
        store
            .append_ledger("burst", &record, &[n; 32], AT)
            .expect("append");
    }
    let largest = std::fs::metadata(&wal).map_or(0, |m| m.len());
    assert!(
        largest > 64 << 20,
        "the burst was {largest} bytes: not enough to test"
    );
    reader.execute_batch("COMMIT").expect("the reader lets go");
    drop(reader);
    for n in 0..3u8 {
        store
            .append_ledger("after", b"{}", &[n; 32], AT)
            .expect("append");
    }
    let after = std::fs::metadata(&wal).map_or(0, |m| m.len());
    assert!(
        after <= 64 << 20,
        "the WAL is {after} bytes after a burst of {largest}"
    );
}
