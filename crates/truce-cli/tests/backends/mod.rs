//! The same `truce` commands on both stores: the SQLite file and PostgreSQL
//! (when the tests were given a server; `scripts/test.sh` starts one and
//! `TRUCE_REQUIRE_POSTGRES=1` makes its absence a failure).

use super::{
    SYRIA, SYRIA_EVENTS, code, path_str, stderr, stdout, syria_records, temp_dir, truce,
    truce_words_then,
};
use std::process::Output;

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

/// The command exited 0 on `backend`; what it said on stderr is shown when not.
#[track_caller]
fn assert_ok_on(backend: &str, output: &Output) {
    assert_eq!(code(output), 0, "{backend}: {}", stderr(output));
}

/// `text`, what a command said on `backend`, holds `phrase`.
#[track_caller]
fn assert_said_on(backend: &str, text: &str, phrase: &str) {
    assert!(
        text.contains(phrase),
        "{backend}: no {phrase:?} in:\n{text}"
    );
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
        assert_ok_on(backend, &first);
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
        assert_ok_on(backend, &second);
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

/// A file that repeats a report and revises it twice, beside another report
/// repeated, is stored alike on both stores (PostgreSQL decides a whole batch at
/// once, SQLite a row at a time): the same counts, and a check of the store reads
/// the last revision.
#[test]
fn repeats_and_revisions_within_one_file_are_stored_alike_on_both_stores() {
    let records = syria_records();
    let row = records
        .iter()
        .find(|r| r.starts_with("318815,"))
        .expect("GED 318815");
    let other = &records[1];
    let deaths = |best: u32| {
        row.strip_suffix(",6,6,6")
            .map(|start| format!("{start},6,{best},{best}"))
            .expect("GED 318815 ends with its deaths: low, best and high 6")
    };
    let (second, third) = (deaths(13), deaths(20));
    let lines = [row, other, &second, row, &third, other, &second];
    let mut said = Vec::new();
    for (backend, db) in stores("within") {
        let dir = temp_dir(&format!("within-{backend}"));
        let file = dir.join("repeats.csv");
        let text: Vec<&str> = std::iter::once(records[0].as_str())
            .chain(lines.iter().map(|l| l.as_str()))
            .collect();
        std::fs::write(&file, text.join("\n") + "\n").expect("write");
        let import = truce(&["import", path_str(&file), "--db", &db]);
        assert_ok_on(backend, &import);
        assert_said_on(
            backend,
            &stderr(&import),
            "7 row(s) read: 2 stored, 3 duplicate(s), 2 revised",
        );
        let check = truce(&["check", SYRIA, "--db", &db, "--format", "json"]);
        let document: serde_json::Value =
            serde_json::from_str(&stdout(&check)).expect("the check's JSON");
        let incident = document["incidents"]
            .as_array()
            .expect("incidents")
            .iter()
            .find(|i| i["id"] == "ucdp-ged:318815")
            .expect("the revised event is an incident");
        assert_eq!(incident["casualties"]["best"], 20, "{backend}: {incident}");
        said.push(stdout(&truce(&["check", SYRIA, "--db", &db])));
    }
    assert!(
        said.windows(2).all(|w| w[0] == w[1]),
        "both stores check alike"
    );
}

/// The commands that read a store for a check — `check`, `timeline`, `explain`
/// and `export` with `--db` — say the same on both stores, and the same as on
/// the file itself; `check --record` records the check on either store.
#[test]
fn reading_commands_say_the_same_on_both_stores() {
    let as_of = ["--as-of", "2016-12-31"];
    let on_files = |args: &[&str]| {
        let output = truce(&[args, &["--events", SYRIA_EVENTS], &as_of[..]].concat());
        (code(&output), stdout(&output))
    };
    let commands: [&[&str]; 4] = [
        &["check", SYRIA, "--format", "json"],
        &["timeline", SYRIA, "--format", "csv"],
        &["export", SYRIA, "incidents-csv"],
        &["explain", SYRIA, "ucdp-ged:216668"],
    ];
    let expected: Vec<(i32, String)> = commands.iter().map(|c| on_files(c)).collect();
    for (command, (want_code, want)) in commands.iter().zip(&expected) {
        assert!(!want.is_empty(), "{command:?} printed nothing");
        assert!(*want_code <= 1, "{command:?} failed on the file");
    }
    for (backend, db) in stores("reading") {
        let import = truce(&["import", SYRIA_EVENTS, "--db", &db]);
        assert_ok_on(backend, &import);
        for (command, (want_code, want)) in commands.iter().zip(&expected) {
            let output = truce(&[command, &["--db", db.as_str()][..], &as_of[..]].concat());
            assert_eq!(
                code(&output),
                *want_code,
                "{backend} {command:?}: {}",
                stderr(&output)
            );
            assert!(
                stdout(&output) == *want,
                "{backend}: {command:?} on the store differs from the file"
            );
        }
        let before = ledger_records(&db, "check-run").len();
        let recorded = truce(&["check", SYRIA, "--db", &db, "--record"]);
        assert_eq!(code(&recorded), 1, "{backend}: {}", stderr(&recorded));
        assert_eq!(ledger_records(&db, "check-run").len(), before + 1);
    }
}

/// `truce quarantine list` and `export` give the same rows on both stores: a
/// real GED file of three rows, one with a latitude that is not one; a run
/// the store does not have is an error naming it.
#[test]
fn quarantine_list_and_export_say_the_same_on_both_stores() {
    use super::stdout;
    let mut reader = csv::Reader::from_path(super::root().join(SYRIA_EVENTS)).expect("GED");
    let header = reader.headers().expect("header").clone();
    let latitude = header
        .iter()
        .position(|h| h == "latitude")
        .expect("latitude");
    let dir = temp_dir("backends-quarantine-file");
    let file = dir.join("three-rows.csv");
    let mut writer = csv::Writer::from_path(&file).expect("a file");
    writer.write_record(&header).expect("header");
    for (n, record) in reader.records().take(3).enumerate() {
        let mut cells: Vec<String> = record.expect("record").iter().map(str::to_string).collect();
        if n == 1 {
            cells[latitude] = "north".into();
        }
        writer.write_record(&cells).expect("row");
    }
    writer.flush().expect("written");
    let file = path_str(&file).to_string();

    let mut said: Vec<(String, String, String)> = Vec::new();
    for (backend, db) in stores("quarantine") {
        let import = truce(&["import", &file, "--db", &db]);
        assert_eq!(
            code(&import),
            1,
            "{backend}: one row quarantined: {}",
            stderr(&import)
        );
        let list = truce(&["quarantine", "list", "--db", &db]);
        assert_ok_on(backend, &list);
        assert_said_on(backend, &stdout(&list), "latitude");
        let export = truce(&[
            "quarantine",
            "export",
            "--db",
            &db,
            "--format",
            "jsonl",
            "--run",
            "1",
        ]);
        assert_ok_on(backend, &export);
        let rows: Vec<serde_json::Value> = stdout(&export)
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON"))
            .collect();
        assert_eq!(rows.len(), 1, "{backend}");
        assert_eq!(rows[0]["line"], 3, "{backend}");
        assert_eq!(rows[0]["value"], "north", "{backend}");
        let missing = truce(&["quarantine", "list", "--db", &db, "--run", "99"]);
        assert_eq!(code(&missing), 2, "{backend}");
        assert_said_on(backend, &stderr(&missing), "no import run 99");
        said.push((backend.to_string(), stdout(&list), stdout(&export)));
    }
    for pair in said.windows(2) {
        assert_eq!(
            pair[0].1, pair[1].1,
            "{} and {} list differently",
            pair[0].0, pair[1].0
        );
    }
}

/// The mission's ledger work from the command line on both stores: the
/// checkpoint signed over the ledger (`ledger checkpoint`), the bundle
/// exported from it (`ledger export`), and the bundle verified by anyone
/// (`ledger verify`): the same number of entries on both, and verified.
#[test]
fn the_ledger_is_signed_exported_and_verifies_on_both_stores() {
    use super::stdout;
    let dir = temp_dir("ledger-example");
    let example = dir.join("ex");
    super::copy_folder(&super::root().join("examples/syria-2016"), &example);
    let key = dir.join("mission.key");
    let generated = truce(&[
        "keys",
        "generate",
        "--name",
        "task-force",
        "-o",
        path_str(&key),
    ]);
    assert_eq!(code(&generated), 0, "{}", stderr(&generated));
    let public = stdout(&generated).trim().to_string();
    let agreement = example.join("agreement.toml");
    let text = std::fs::read_to_string(&agreement).expect("agreement");
    std::fs::write(
        &agreement,
        format!("{text}\n[ledger]\norigin = \"task-force.example/syria-2016\"\nmission_keys = [\"{public}\"]\n"),
    )
    .expect("write");
    let agreement = path_str(&agreement).to_string();
    let events = path_str(&example.join("data/ged191_syria_2016.csv")).to_string();

    let mut entries = Vec::new();
    for (backend, db) in stores("ledger") {
        let import = truce(&["import", &events, "--db", &db]);
        assert_ok_on(backend, &import);
        let signed = truce(&[
            "ledger",
            "checkpoint",
            &agreement,
            "--db",
            &db,
            "--key",
            path_str(&key),
        ]);
        assert_ok_on(backend, &signed);
        let bundle = dir.join(format!("bundle-{backend}"));
        let exported = truce(&[
            "ledger",
            "export",
            &agreement,
            "--db",
            &db,
            "-o",
            path_str(&bundle),
        ]);
        assert_ok_on(backend, &exported);
        let verified = truce(&["ledger", "verify", path_str(&bundle), "--key", &public]);
        assert_eq!(code(&verified), 0, "{backend}: {}", stdout(&verified));
        assert_said_on(backend, &stdout(&verified), "verified: every hash");
        let log = std::fs::read_to_string(bundle.join("log.jsonl")).expect("log");
        entries.push((backend, log.lines().count()));
    }
    assert!(
        entries.iter().all(|(_, n)| *n == entries[0].1),
        "{entries:?}"
    );
}

/// An analyst's work on the evidence from the command line on both stores:
/// two reports joined into one incident, a decision listed and withdrawn, a
/// report deleted and the deletions listed; each change is in the ledger, the
/// lists read the same on both, and a check then counts the same incidents on
/// both — one fewer after the join, one fewer report after the deletion.
#[test]
fn analysts_decisions_and_deletions_work_the_same_on_both_stores() {
    let incidents = |db: &str| -> u64 {
        let output = truce(&[
            "check",
            SYRIA,
            "--db",
            db,
            "--as-of",
            "2016-12-31",
            "--format",
            "json",
        ]);
        assert_eq!(code(&output), 1, "{}", stderr(&output));
        let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
        json["evidence"]["incidents"].as_u64().expect("incidents")
    };
    let mut said = Vec::new();
    for (backend, db) in stores("decisions") {
        let import = truce(&["import", SYRIA_EVENTS, "--db", &db]);
        assert_ok_on(backend, &import);
        let before = incidents(&db);
        let join = [
            "incidents",
            "join",
            "--db",
            &db,
            "ucdp-ged:301214",
            "ucdp-ged:318815",
            "--by",
            "analyst A",
            "--reason",
            "one strike, two reports",
        ];
        let joined = truce(&join);
        assert_ok_on(backend, &joined);
        assert_eq!(
            incidents(&db),
            before - 1,
            "{backend}: joined into one incident"
        );
        let decisions = truce(&["incidents", "decisions", "--db", &db]);
        assert_said_on(backend, &stdout(&decisions), "one incident with");
        let withdraw = || {
            truce(&[
                "incidents",
                "withdraw",
                "--db",
                &db,
                "1",
                "--by",
                "analyst B",
            ])
        };
        let withdrawn = withdraw();
        assert_ok_on(backend, &withdrawn);
        assert_eq!(incidents(&db), before, "{backend}: the join withdrawn");
        let again = withdraw();
        assert_eq!(code(&again), 2, "{backend}: nothing left to withdraw");
        let deleted = truce(&[
            "delete",
            "--db",
            &db,
            "ucdp-ged:301214",
            "--note",
            "withdrawn by the source",
        ]);
        assert_ok_on(backend, &deleted);
        let listed = truce(&["deletions", "--db", &db]);
        assert_said_on(backend, &stdout(&listed), "ucdp-ged:301214");
        let kinds: Vec<String> = ["kept-together", "decision-withdrawn", "deletion"]
            .iter()
            .map(|kind| format!("{kind}: {}", ledger_records(&db, kind).len()))
            .collect();
        assert_eq!(
            kinds,
            ["kept-together: 1", "decision-withdrawn: 1", "deletion: 1"],
            "{backend}"
        );
        // The decision as listed, without the time it was made.
        let listed_decision = stdout(&decisions)
            .split(" on ")
            .next()
            .unwrap_or_default()
            .to_string();
        said.push((backend, listed_decision, incidents(&db)));
    }
    for pair in said.windows(2) {
        assert_eq!(pair[0].1, pair[1].1, "the decisions read the same");
        assert_eq!(
            pair[0].2, pair[1].2,
            "the same incidents after the deletion"
        );
    }
}

/// `check --record`, `runs` and `diff` say the same on both stores: a revision
/// and a withdrawal between two runs are named as the cause of each change, and
/// a run as of a day reads the store as it stood then.
#[test]
fn diff_of_two_check_runs_names_the_revision_and_the_deletion_behind_each_change() {
    for (backend, db) in stores("diff") {
        eprintln!("{backend}");
        diff_of_two_check_runs_on(&db);
    }
}

fn diff_of_two_check_runs_on(db: &str) {
    let dir = temp_dir("diff");
    let import = truce(&["import", SYRIA_EVENTS, "--db", db]);
    assert_eq!(code(&import), 0, "{}", stderr(&import));
    // Without `--as-of`, a check reads the store as it is now; with it, as it
    // stood when that day ended.
    let check = |as_of: Option<&str>| {
        let mut args = vec!["check", SYRIA, "--record", "--db", db];
        args.extend(as_of.iter().flat_map(|day| ["--as-of", day]));
        let output = truce(&args);
        assert_eq!(code(&output), 1, "{}", stderr(&output));
        stderr(&output)
    };
    let first = check(None);
    assert!(first.contains("recorded as check run 1 in"), "{first}");
    let again = check(None);
    assert!(
        again.contains("recorded as check run 2")
            && again.contains("nothing it reads changed since check run 1"),
        "{again}"
    );

    // GED revises event 318815 (the real row, with another perpetrator and more
    // deaths) and withdraws event 218211.
    let records = syria_records();
    let row = records
        .iter()
        .find(|r| r.starts_with("318815,"))
        .expect("GED 318815");
    let revised = row
        .replacen(",Government of Syria,", ",IS,", 1)
        .strip_suffix(",6,6,6")
        .map(|start| format!("{start},6,13,13"))
        .expect("GED 318815 ends with its deaths: low, best and high 6");
    assert_ne!(&revised, row);
    let file = dir.join("revised.csv");
    std::fs::write(&file, format!("{}\n{revised}\n", records[0])).expect("write");
    let import = truce(&["import", path_str(&file), "--db", db]);
    assert!(stderr(&import).contains("1 revised"), "{}", stderr(&import));
    let delete = truce(&[
        "delete",
        "--db",
        db,
        "ucdp-ged:218211",
        "--note",
        "removed in the next GED release",
    ]);
    assert_eq!(code(&delete), 0, "{}", stderr(&delete));
    let third = check(None);
    assert!(
        third.contains("since check run 2: 2 report(s) changed in the store, 2 finding(s)"),
        "{third}"
    );

    let runs = truce(&["runs", "--db", db]);
    assert_eq!(code(&runs), 0);
    assert_eq!(stdout(&runs).lines().count(), 3, "{}", stdout(&runs));
    assert!(stdout(&runs).contains("check run 3: ") && stdout(&runs).contains("6169 reports"));

    let text = truce(&["diff", "2", "3", "--db", db]);
    assert_eq!(code(&text), 1, "outcomes differ: {}", stderr(&text));
    let text = stdout(&text);
    for expected in [
        "evidence: 6170 → 6169 reports; 0 added, 1 revised, 1 withdrawn in the store",
        "ucdp-ged:318815 was revised: casualties.best `6` → `13`",
        "sides `initiator: Government of Syria (state-forces); target: Civilians (civilians)` → `initiator: IS; target: Civilians (civilians)`",
        "gone    ucdp-ged:218211/coh-civilians/syrian-insurgents: violation, certain, party opposition → none",
        "because ucdp-ged:218211 was withdrawn by its source (removed in the next GED release)",
        "gone    ucdp-ged:318815/coh-civilians/syrian-government",
        "party government-side: 6 / ",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }

    let json = truce(&["diff", "2", "3", "--db", db, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("json");
    assert_eq!(json["schema"], "truce-diff/1");
    assert_eq!(json["evidence"].as_array().map(Vec::len), Some(2));
    let gone: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        gone,
        [
            "ucdp-ged:218211/coh-civilians/syrian-insurgents",
            "ucdp-ged:318815/coh-civilians/syrian-government"
        ]
    );

    // Another as-of day changes the step, and the diff says so.
    let fourth = check(Some("2016-09-15"));
    assert!(fourth.contains("recorded as check run 4"), "{fourth}");
    let steps = truce(&["diff", "3", "4", "--db", db]);
    let steps = stdout(&steps);
    assert!(steps.contains("as of: 2016-12-31 → 2016-09-15"), "{steps}");
    assert!(
        steps.contains("seven-days-calm \"")
            && steps.contains("not met")
            && steps.contains("→ pending"),
        "{steps}"
    );

    // The same run twice: the same outcome, exit 0. An unknown run is named.
    let same = truce(&["diff", "3", "3", "--db", db]);
    assert_eq!(code(&same), 0);
    assert!(stdout(&same).contains("Same outcome"));
    let unknown = truce(&["diff", "3", "9", "--db", db]);
    assert_eq!(code(&unknown), 2);
    assert!(
        stderr(&unknown).contains("has no check run 9 (it has 1, 2, 3, 4)"),
        "{}",
        stderr(&unknown)
    );

    // As of the last day of 2016, the store is read as it stood when that day
    // ended: the revision and the withdrawal, recorded years later, are not
    // seen, so the outcome is the first run's.
    let fifth = check(Some("2016-12-31"));
    assert!(fifth.contains("recorded as check run 5"), "{fifth}");
    let same = truce(&["diff", "1", "5", "--db", db]);
    assert_eq!(code(&same), 0, "{}", stdout(&same));
    assert!(stdout(&same).contains("Same outcome"), "{}", stdout(&same));
    let runs = stdout(&truce(&["runs", "--db", db]));
    assert!(
        runs.contains("check run 5: ") && runs.contains("6170 reports"),
        "{runs}"
    );
    // The diff between that day and now names the changes recorded since.
    let since = stdout(&truce(&["diff", "5", "3", "--db", db]));
    assert!(
        since.contains("6170 → 6169 reports; 0 added, 1 revised, 1 withdrawn in the store"),
        "{since}"
    );
    // The ledger rebuilds each run's evidence the same way: a bundle replays.
    let bundle = dir.join("bundle");
    let export = truce(&[
        "ledger",
        "export",
        SYRIA,
        "--db",
        db,
        "-o",
        path_str(&bundle),
    ]);
    assert_eq!(code(&export), 0, "{}", stderr(&export));
    let replay = truce(&["ledger", "replay", path_str(&bundle)]);
    assert_eq!(code(&replay), 0, "{}{}", stdout(&replay), stderr(&replay));
}

/// The commands of the mission's accounts (`users`, `tokens`, a user disabled), reading text into
/// the store (`extract --db`) and keeping two reports apart (`incidents split`)
/// do the same on both stores, and the ledger records each.
#[test]
fn accounts_text_and_a_split_work_on_both_stores() {
    let dir = temp_dir("accounts-text");
    let article = dir.join("convoy.txt");
    // Wikipedia's summary of 19 September 2016 (CC BY-SA 3.0).
    std::fs::write(
        &article,
        "Hours after the Syrian military declares the end of the ceasefire, an airstrike hits a convoy of \
         United Nations OCHA aid trucks near the town of Urum al-Kubra, in the Aleppo Governorate, with the \
         Syrian Observatory for Human Rights reporting that at least 12 people have been killed.\n",
    )
    .expect("write the article");
    for (backend, db) in stores("accounts") {
        let added = truce(&[
            "users",
            "add",
            "analyst-1",
            "--role",
            "analyst",
            "--agreement",
            SYRIA,
            "--db",
            &db,
        ]);
        assert_ok_on(backend, &added);
        let listed = truce(&["users", "list", "--db", &db]);
        assert_said_on(backend, &stdout(&listed), "analyst-1");
        let made = truce(&["tokens", "create", "--user", "analyst-1", "--db", &db]);
        assert_ok_on(backend, &made);
        assert!(
            !stdout(&made).trim().is_empty(),
            "{backend}: the token is shown"
        );
        let revoked = truce(&["tokens", "revoke", "1", "--db", &db]);
        assert_ok_on(backend, &revoked);
        let tokens = truce(&["tokens", "list", "--db", &db]);
        assert_said_on(backend, &stdout(&tokens), "revoked");
        let again = truce(&["tokens", "revoke", "1", "--db", &db]);
        assert_eq!(code(&again), 2, "{backend}: a token is revoked once");
        // Disabling the user revokes the tokens it still has, and no new one is made.
        let second = truce(&["tokens", "create", "--user", "analyst-1", "--db", &db]);
        assert_ok_on(backend, &second);
        let disabled = truce(&["users", "disable", "analyst-1", "--db", &db]);
        assert_ok_on(backend, &disabled);
        let tokens = truce(&["tokens", "list", "--db", &db]);
        assert_eq!(
            stdout(&tokens).matches("revoked").count(),
            2,
            "{backend}: {}",
            stdout(&tokens)
        );
        let listed = truce(&["users", "list", "--db", &db]);
        assert_said_on(backend, &stdout(&listed), "disabled");
        let refused = truce(&["tokens", "create", "--user", "analyst-1", "--db", &db]);
        assert_eq!(
            code(&refused),
            2,
            "{backend}: a disabled user gets no token"
        );
        let again = truce(&["users", "disable", "analyst-1", "--db", &db]);
        assert_eq!(code(&again), 2, "{backend}: disabled once");
        for (kind, count) in [
            ("user-added", 1),
            ("token-issued", 2),
            ("token-revoked", 1),
            ("user-disabled", 1),
        ] {
            assert_eq!(
                ledger_records(&db, kind).len(),
                count,
                "{backend}: {kind} records"
            );
        }
        let record = &ledger_records(&db, "user-disabled")[0];
        assert_eq!(record["user"]["name"], "analyst-1", "{backend}");
        assert_eq!(record["by"]["role"], "command-line", "{backend}");

        let extract = |expected: &str| {
            let output = truce(&[
                "extract",
                path_str(&article),
                "--published",
                "2016-09-19",
                "--db",
                &db,
            ]);
            assert_ok_on(backend, &output);
            assert_said_on(backend, &stderr(&output), expected);
        };
        extract("1 new, 0 duplicate(s)");
        extract("0 new, 1 duplicate(s)");
        assert_eq!(ledger_records(&db, "import-run").len(), 2, "{backend}");

        let import = truce(&["import", SYRIA_EVENTS, "--db", &db]);
        assert_ok_on(backend, &import);
        let split = truce_words_then(
            &format!("incidents split --db {db} ucdp-ged:301214 ucdp-ged:318815"),
            &["--by", "analyst A"],
        );
        assert_ok_on(backend, &split);
        let kept_apart = ledger_records(&db, "kept-apart");
        assert_eq!(kept_apart.len(), 1, "{backend}");
        assert_eq!(kept_apart[0]["by"], "analyst A", "{backend}");
    }
}

/// The README's Syria events written as Parquet by pandas: `truce check` on the
/// file prints the same report as on the CSV, and `truce import` of a folder
/// holding it (as a partitioned table, beside a `_SUCCESS` marker and a note
/// that is not a part) stores the same reports on both stores as the CSV does.
#[test]
fn a_parquet_file_and_a_folder_of_them_read_as_the_csv_on_both_stores() {
    const PARQUET: &str = "examples/syria-2016/data/ged191_syria_2016.parquet";
    let as_of = ["--as-of", "2016-12-31"];
    for format in ["text", "json"] {
        let from_csv = truce(
            &[
                &["check", SYRIA, "--events", SYRIA_EVENTS, "--format", format],
                &as_of[..],
            ]
            .concat(),
        );
        let from_parquet = truce(
            &[
                &["check", SYRIA, "--events", PARQUET, "--format", format],
                &as_of[..],
            ]
            .concat(),
        );
        assert_eq!(
            code(&from_parquet),
            code(&from_csv),
            "{}",
            stderr(&from_parquet)
        );
        assert!(stdout(&from_csv).len() > 10_000, "{format}");
        assert!(
            stdout(&from_parquet) == stdout(&from_csv),
            "{format}: the reports differ"
        );
    }

    let dir = temp_dir("backends-parquet-folder");
    let part = dir.join("events/year=2016");
    std::fs::create_dir_all(&part).expect("folder");
    std::fs::copy(super::root().join(PARQUET), part.join("part-0.parquet")).expect("copy");
    std::fs::write(dir.join("events/_SUCCESS"), "").expect("marker");
    std::fs::write(dir.join("events/notes.txt"), "not a part of the table").expect("note");
    let folder = path_str(&dir.join("events")).to_string();
    for (backend, db) in stores("parquet") {
        let import = truce(&["import", &folder, "--db", &db]);
        assert_ok_on(backend, &import);
        assert_said_on(backend, &stderr(&import), "6170 row(s) read: 6170 stored");
        let again = truce(&["import", SYRIA_EVENTS, "--db", &db]);
        assert!(
            stderr(&again).contains("6170 row(s) read: 0 stored, 6170 duplicate(s)"),
            "{backend}: the CSV's rows are the Parquet's: {}",
            stderr(&again)
        );
    }
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).expect("folder");
    let refused = truce(&["check", SYRIA, "--events", path_str(&empty)]);
    assert_eq!(code(&refused), 2);
    assert!(
        stderr(&refused).contains("holds no Parquet or Arrow IPC file"),
        "{}",
        stderr(&refused)
    );
}
