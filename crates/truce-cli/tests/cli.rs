//! The `truce` binary end to end: real processes, real files, real exit codes,
//! on the two real examples (Syria 2016, Minsk II 2015) and on broken inputs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use truce_store::prelude::*;

mod backends;
mod ledger;
mod serve;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `truce` in `dir`.
fn truce_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_truce"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the truce binary runs")
}

/// Runs `truce` in the workspace, where the examples' paths start.
fn truce(args: &[&str]) -> Output {
    truce_in(&root(), args)
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts that `output` exited 0, showing what it said on stderr when not.
#[track_caller]
fn assert_exit_0(output: &Output) {
    assert_eq!(code(output), 0, "{}", stderr(output));
}

/// Asserts that `output` exited with `expected` and said `phrase` on stderr.
#[track_caller]
fn assert_exit_with_error(output: &Output, expected: i32, phrase: &str) {
    assert_eq!(code(output), expected, "{}", stderr(output));
    assert!(stderr(output).contains(phrase), "{}", stderr(output));
}

/// `truce COMMAND <Syria agreement> --events <Syria events> ARGS…`: most tests
/// run a command on the Syria example and its real events.
fn on_syria_events(command: &str, args: &[&str]) -> Output {
    truce(&[&[command, SYRIA, "--events", SYRIA_EVENTS][..], args].concat())
}

/// `truce import FILE --db DB`, which must exit 0.
#[track_caller]
fn import_ok(file: &str, db: &str) -> Output {
    let output = truce(&["import", file, "--db", db]);
    assert_exit_0(&output);
    output
}

/// Every entry of the ledger in the store `db` (a file or a URL), oldest first.
fn ledger_entries(db: &str) -> Vec<truce_store::LedgerEntry> {
    let mut store = truce_store::open_storage(db).expect("store");
    let len = store.ledger_len().expect("len");
    store.ledger_entries(0, len).expect("entries")
}

/// The kinds of the ledger's entries in the store `db`, oldest first.
fn ledger_kinds(db: &str) -> Vec<String> {
    ledger_entries(db).into_iter().map(|e| e.kind).collect()
}

/// `truce` with the words of `line`, split at spaces: the test's paths have none.
fn truce_words(line: &str) -> Output {
    truce(&line.split_whitespace().collect::<Vec<_>>())
}

/// `truce` with the words of `line`, then `more` as they are (a reason with spaces).
fn truce_words_then(line: &str, more: &[&str]) -> Output {
    truce(&[line.split_whitespace().collect(), more.to_vec()].concat())
}

/// Asserts that `text` holds `phrase`, showing the whole text when not.
#[track_caller]
fn assert_contains(text: &str, phrase: &str) {
    assert!(text.contains(phrase), "no {phrase:?} in:\n{text}");
}

const SYRIA: &str = "examples/syria-2016/agreement.toml";
const SYRIA_EVENTS: &str = "examples/syria-2016/data/ged191_syria_2016.csv";
const UKRAINE: &str = "examples/ukraine-minsk-2015/agreement.toml";
const UKRAINE_EVENTS: &str = "examples/ukraine-minsk-2015/data/ged_ukraine_2015.csv";
const BROKEN: &str = "crates/truce-cli/tests/fixtures/broken.toml";

fn syria_json(as_of: &str) -> serde_json::Value {
    let output = on_syria_events("check", &["--as-of", as_of, "--format", "json"]);
    assert_eq!(code(&output), 1, "stderr: {}", stderr(&output));
    serde_json::from_slice(&output.stdout).expect("valid JSON on stdout")
}

fn step<'a>(json: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    json["steps"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["id"] == id))
        .unwrap_or_else(|| panic!("no step {id}"))
}

// ---------------------------------------------------------------- lint

#[test]
fn lint_accepts_every_real_example() {
    for agreement in [
        SYRIA,
        UKRAINE,
        "examples/ukraine-minsk-2014/agreement.toml",
        "examples/ukraine-2020/agreement.toml",
    ] {
        let output = truce(&["lint", agreement]);
        assert_eq!(code(&output), 0, "{agreement}: {}", stderr(&output));
        assert!(stderr(&output).contains(": ok"), "{}", stderr(&output));
    }
}

#[test]
fn lint_underlines_every_problem_and_exits_2() {
    let output = truce(&["lint", "--color", "never", BROKEN]);
    assert_eq!(code(&output), 2);
    assert!(
        stdout(&output).is_empty(),
        "diagnostics go to stderr, data to stdout"
    );
    insta::assert_snapshot!("lint_broken", stderr(&output));
}

#[test]
fn lint_json_gives_the_same_diagnostics_as_data() {
    let output = truce(&["lint", "--format", "json", BROKEN]);
    assert_eq!(code(&output), 2);
    let diagnostics: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let list = diagnostics.as_array().expect("an array");
    assert_eq!(list.len(), 11);
    let first = &list[0];
    assert_eq!(
        (
            first["code"].as_str(),
            first["line"].as_u64(),
            first["column"].as_u64()
        ),
        (Some("unknown-reference"), Some(13), Some(9))
    );
    assert_eq!(first["file"], BROKEN);
    assert_eq!(first["hint"], "did you mean `gov`?");
    let codes: Vec<&str> = list.iter().filter_map(|d| d["code"].as_str()).collect();
    for expected in [
        "unknown-field",
        "overlapping-periods",
        "invalid-polygon",
        "file-not-found",
        "dates-out-of-order",
        "bad-bracket",
        "bad-dependency",
        "invalid-value",
    ] {
        assert!(
            codes.contains(&expected),
            "{expected} missing from {codes:?}"
        );
    }
}

#[test]
fn a_missing_agreement_is_a_clear_error() {
    let output = truce(&["lint", "nowhere.toml"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).starts_with("error: cannot read the agreement `nowhere.toml`"),
        "{}",
        stderr(&output)
    );
}

// ---------------------------------------------------------------- check on real data

#[test]
fn the_september_2016_arrangement_fails_from_its_first_day_on_both_bounds() {
    let json = syria_json("2016-12-31");
    assert_eq!(json["schema"], "truce-check/2");
    assert_eq!(json["evidence"]["reports"], 6170);
    let calm = step(&json, "seven-days-calm");
    assert_eq!(calm["status"], "not-met");
    assert_eq!(
        (calm["window_first"].as_str(), calm["window_last"].as_str()),
        (Some("2016-09-13"), Some("2016-09-19"))
    );
    // On certain evidence alone: government–opposition fighting in Aleppo Governorate
    // is a certain violation (one of the two fired), on 13 September already; only the
    // 14th was calm; the 19th was the worst day, with the attack on the UN aid convoy.
    let lower = &calm["conditions"][0]["on_certain"];
    assert_eq!(lower["status"], "not-met");
    assert!(
        lower["detail"]
            .as_str()
            .is_some_and(|d| d.contains("longest run 1 day(s) from 2016-09-14")
                && d.contains("worst day from 2016-09-19 with 4 violation(s)")),
        "{lower}"
    );
    assert!(
        lower["incidents"]
            .as_array()
            .is_some_and(|i| i.iter().any(|x| x == "ucdp-ged:301214")),
        "{lower}"
    );
    assert_eq!(
        step(&json, "joint-implementation-center")["status"],
        "locked"
    );
    assert!(
        json["entitlements"]
            .as_array()
            .is_some_and(|e| !e.is_empty() && e.iter().all(|x| x["releasable"] == false))
    );
    // The convoy attack is a certain violation of the clause on civilians, by the government side.
    let convoy = json["findings"]
        .as_array()
        .and_then(|f| {
            f.iter().find(|x| {
                x["incident"] == "ucdp-ged:301214"
                    && x["verdict"] == "violation"
                    && x["certainty"] == "certain"
            })
        })
        .expect("a certain violation for the convoy attack");
    assert_eq!(convoy["party"], "government-side");
}

#[test]
fn as_of_before_the_window_leaves_the_step_pending_and_a_broken_run_fails_at_once() {
    let json = syria_json("2016-09-12");
    assert_eq!(step(&json, "seven-days-calm")["status"], "pending");
    // As of the 15th: certain violations in Aleppo on the 13th and the 15th leave
    // four days, too few for seven calm ones: not met already, and for good.
    let json = syria_json("2016-09-15");
    let calm = step(&json, "seven-days-calm");
    assert_eq!(calm["status"], "not-met");
    assert_eq!(syria_json("2016-12-31")["steps"][0]["status"], "not-met");
}

#[test]
fn check_output_is_deterministic() {
    let run = || {
        stdout(&on_syria_events(
            "check",
            &["--as-of", "2016-12-31", "--format", "json"],
        ))
    };
    assert_eq!(run(), run());
}

#[test]
fn the_text_and_markdown_reports_show_steps_brackets_and_reasons() {
    let text = on_syria_events("check", &["--as-of", "2016-12-31"]);
    assert_eq!(code(&text), 1);
    let text = stdout(&text);
    for heading in [
        "STEPS",
        "VIOLATIONS BY PARTY",
        "VIOLATIONS BY CLAUSE",
        "BRACKETS",
        "ENTITLEMENTS",
        "MOST SERIOUS INCIDENTS",
    ] {
        assert!(text.contains(heading), "{heading} missing");
    }
    assert!(
        text.contains("with [7] (working)") && text.contains("with [10]"),
        "bracket alternatives side by side"
    );
    let markdown = stdout(&on_syria_events(
        "check",
        &["--as-of", "2016-12-31", "--format", "markdown"],
    ));
    assert!(markdown.starts_with("# ") && markdown.contains("| step | status |"));
}

#[test]
fn explain_prints_the_whole_reason_chain() {
    let output = truce_words(&format!(
        "explain {SYRIA} ucdp-ged:301214 --events {SYRIA_EVENTS} --as-of 2016-12-31"
    ));
    assert_exit_0(&output);
    let text = stdout(&output);
    assert!(text.contains("finding ucdp-ged:301214/"));
    for link in ["actor:", "initiator:", "target:", "kind:", "date:"] {
        assert!(text.contains(link), "{link} missing in {text}");
    }
    let unknown = truce(&["explain", SYRIA, "ucdp-ged:0", "--events", SYRIA_EVENTS]);
    assert_exit_with_error(&unknown, 2, "no finding, incident or report `ucdp-ged:0`");
    // A report's close neighbours, and why each was kept apart (one curated source: ids are events).
    assert_contains(&text, "corroboration of report ucdp-ged:301214");
}

#[test]
fn minsk_ii_is_checked_with_the_same_code() {
    let output = truce_words(&format!(
        "check {UKRAINE} --events {UKRAINE_EVENTS} --as-of 2015-12-31 --format json"
    ));
    assert!(matches!(code(&output), 0 | 1), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json["schema"], "truce-check/2");
    assert!(json["evidence"]["reports"].as_u64().is_some_and(|n| n > 0));
    assert!(
        !stdout(&output).contains("Syria"),
        "nothing about Syria in the Ukraine check"
    );
}

// ---------------------------------------------------------------- bad evidence

#[test]
fn a_missing_events_file_is_a_clear_error() {
    let output = truce(&["check", SYRIA, "--events", "nowhere.csv"]);
    assert_exit_with_error(
        &output,
        2,
        "error: cannot open the events file `nowhere.csv`",
    );
}

#[test]
fn an_unknown_header_names_what_it_found() {
    let dir = std::env::temp_dir().join(format!("truce-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("unknown.csv");
    std::fs::write(&file, "when,who,what\n2016-09-12,someone,something\n").expect("write");
    let output = truce_words(&format!(
        "check {SYRIA} --events {}",
        file.to_str().expect("utf-8 path")
    ));
    assert_eq!(code(&output), 2);
    let err = stderr(&output);
    assert_contains(&err, "cannot import");
    assert_contains(&err, "`when`");
}

#[test]
fn bad_rows_are_set_aside_and_reported_the_rest_is_checked() {
    let dir = std::env::temp_dir().join(format!("truce-cli-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let source = std::fs::read_to_string(root().join(SYRIA_EVENTS)).expect("example data");
    let mut lines: Vec<String> = source.lines().take(200).map(String::from).collect();
    // Line 3 gets an impossible date.
    // (date_start and date_end are the last dates of a GED row.)
    let at = lines[2].rfind(",2016-01-0").expect("a January date");
    let start = lines[2][..at].rfind(",2016-01-0").expect("two dates");
    lines[2] = format!(
        "{}{}",
        &lines[2][..start],
        lines[2][start..].replace(",2016-01-0", ",2016-13-0")
    );
    let file = dir.join("ged_with_a_bad_row.csv");
    std::fs::write(&file, lines.join("\n") + "\n").expect("write");
    let output = truce_words(&format!(
        "check {SYRIA} --events {} --format json",
        file.to_str().expect("utf-8 path")
    ));
    assert!(matches!(code(&output), 0 | 1), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json["evidence"]["reports"], 198);
    let diagnostics = json["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(
        (
            diagnostics[0]["code"].as_str(),
            diagnostics[0]["line"].as_u64()
        ),
        (Some("quarantined-row"), Some(3))
    );
}

// ---------------------------------------------------------------- the store (truce import, quarantine, check --db)

/// A fresh folder for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("truce-cli-store-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A fresh folder for one test and a store in it that holds the Syria example's
/// real events (the first import run).
fn store_with_syria_events(name: &str) -> (PathBuf, PathBuf) {
    let dir = temp_dir(name);
    let db = dir.join("store.sqlite");
    import_ok(SYRIA_EVENTS, path_str(&db));
    (dir, db)
}

/// A new PostgreSQL database holding the Syria example's real events, when the
/// tests were given a server.
fn postgres_with_syria_events(name: &str) -> Option<String> {
    let url = backends::postgres_database(name)?;
    import_ok(SYRIA_EVENTS, &url);
    Some(url)
}

/// The folder `signed_example` made: the keys are there, the agreement one below.
fn example_dir(agreement: &Path) -> PathBuf {
    let copy = agreement.parent().expect("the copy of the example");
    copy.parent().expect("dir").to_path_buf()
}

/// `dir/name` as a string (a file a command is told to read or write).
fn file_in(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

/// Writes `contents` to `dir/name` and gives its path.
fn write_in(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let file = dir.join(name);
    std::fs::write(&file, contents).expect("write");
    file
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// The CSV records of `text` (the header first): a quoted field may hold line breaks.
fn csv_records(text: &str) -> Vec<String> {
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

fn syria_records() -> Vec<String> {
    csv_records(&std::fs::read_to_string(root().join(SYRIA_EVENTS)).expect("example data"))
}

#[test]
fn importing_the_same_real_file_twice_stores_nothing_twice() {
    let dir = temp_dir("twice");
    let db = dir.join("store.sqlite");
    let first = import_ok(SYRIA_EVENTS, path_str(&db));
    assert!(stdout(&first).is_empty(), "the summary goes to stderr");
    assert_contains(
        &stderr(&first),
        "6170 row(s) read: 6170 stored, 0 duplicate(s), 0 revised, 0 quarantined (import run 1)",
    );
    let second = import_ok(SYRIA_EVENTS, path_str(&db));
    assert_contains(
        &stderr(&second),
        "6170 row(s) read: 0 stored, 6170 duplicate(s), 0 revised, 0 quarantined (import run 2)",
    );

    // A later, overlapping export in which one row changed: one revision.
    let records = syria_records();
    let mut later: Vec<String> = records[3001..].to_vec();
    later.push(records[3000].replacen(",Syria,652,", ",Syria (later export),652,", 1));
    assert_ne!(later.last(), Some(&records[3000]), "the row changed");
    let extra = records[1].replacen("214797,", "999214797,", 1);
    later.push(extra);
    let file = dir.join("later.csv");
    std::fs::write(&file, format!("{}\n{}\n", records[0], later.join("\n"))).expect("write");
    let third = import_ok(path_str(&file), path_str(&db));
    let n = later.len();
    assert!(
        stderr(&third).contains(&format!(
            "{n} row(s) read: 1 stored, {} duplicate(s), 1 revised, 0 quarantined (import run 3)",
            n - 2
        )),
        "{}",
        stderr(&third)
    );
    let store = truce_store::Store::open(&db).expect("the store opens");
    let totals = store.totals().expect("totals");
    assert_eq!((totals.current_reports, totals.revisions), (6171, 6172));
    for run in store.runs().expect("runs") {
        assert!(run.counts.add_up(), "{run:?}");
        assert!(run.finished.is_some());
    }
}

#[test]
fn check_on_the_store_gives_the_same_result_as_check_on_the_files() {
    let (_, db) = store_with_syria_events("check");
    let args = ["--as-of", "2016-12-31", "--format", "json"];
    let from_store = truce(&[&["check", SYRIA, "--db", path_str(&db)][..], &args].concat());
    let from_files = truce(&[&["check", SYRIA, "--events", SYRIA_EVENTS][..], &args].concat());
    assert_eq!(code(&from_store), 1, "{}", stderr(&from_store));
    assert_eq!(code(&from_files), 1);
    assert!(
        stdout(&from_store) == stdout(&from_files),
        "check --db and check --events differ"
    );
    // A check reads: it wrote nothing, neither an agreement version nor a
    // ledger entry (the import's is the only one).
    let written = || {
        let mut store = truce_store::Store::open(&db).expect("the store opens");
        let agreements = store.totals().expect("totals").agreements;
        (agreements, store.ledger_len().expect("ledger"))
    };
    assert_eq!(
        written(),
        (0, 1),
        "check without --record wrote to the store"
    );
    // Recorded, the agreement checked against the store is kept, once per
    // version, and each check is a check run in the ledger.
    for _ in 0..2 {
        let recorded = truce(
            &[
                &["check", SYRIA, "--record", "--db", path_str(&db)][..],
                &args,
            ]
            .concat(),
        );
        assert_eq!(code(&recorded), 1, "{}", stderr(&recorded));
        assert_eq!(stdout(&recorded), stdout(&from_files), "the same check");
    }
    assert_eq!(written(), (1, 4), "one version and two check runs recorded");
    // --record needs a store.
    let nowhere = on_syria_events("check", &["--record"]);
    assert_eq!(code(&nowhere), 2, "{}", stderr(&nowhere));
}

#[test]
fn quarantined_rows_can_be_listed_and_exported_to_fix() {
    let dir = temp_dir("quarantine");
    let db = dir.join("store.sqlite");
    let mut records: Vec<String> = syria_records().into_iter().take(51).collect();
    // Record 5 gets a month 13 in `date_start` (the ninth column from the end).
    let mut fields: Vec<String> = records[5].rsplitn(10, ',').map(String::from).collect();
    fields[8] = "2016-13-01".to_string();
    fields.reverse();
    records[5] = fields.join(",");
    records[9] = "1,2,3".to_string();
    let file = dir.join("with-bad-rows.csv");
    std::fs::write(&file, records.join("\n") + "\n").expect("write");
    let import = truce(&["import", path_str(&file), "--db", path_str(&db)]);
    assert_eq!(
        code(&import),
        1,
        "some rows were quarantined: {}",
        stderr(&import)
    );
    let err = stderr(&import);
    assert_contains(
        &err,
        "50 row(s) read: 48 stored, 0 duplicate(s), 0 revised, 2 quarantined",
    );
    assert!(err.contains("quarantined 1 × field `date_start`"), "{err}");

    let list = truce(&["quarantine", "list", "--db", path_str(&db)]);
    assert_exit_0(&list);
    let text = stdout(&list);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert_contains(&text, "run 1: ");
    assert_contains(&text, "field `date_start`: found `2016-13-01`");
    let none = truce(&["quarantine", "list", "--db", path_str(&db), "--run", "7"]);
    assert_exit_with_error(&none, 2, "has no import run 7");

    let csv = truce(&["quarantine", "export", "--db", path_str(&db)]);
    assert_exit_0(&csv);
    let csv = stdout(&csv);
    assert!(
        csv.starts_with("run,file,line,field,value,reason,raw\n"),
        "{csv}"
    );
    assert!(csv.contains("1,2,3"), "the raw row is exported: {csv}");
    let jsonl = truce_words(&format!(
        "quarantine export --db {} --format jsonl",
        path_str(&db)
    ));
    let rows: Vec<serde_json::Value> = stdout(&jsonl)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(rows.len(), 2);
    let bad_date = rows
        .iter()
        .find(|r| r["field"] == "date_start")
        .expect("the bad date");
    assert!(
        bad_date["raw"]
            .as_str()
            .is_some_and(|r| r.contains("2016-13-01"))
    );
}

#[test]
fn an_import_killed_with_sigkill_loses_nothing_committed_and_resumes() {
    let dir = temp_dir("kill");
    let db = dir.join("store.sqlite");
    // ~200k GED rows: the real rows again and again, each time with new ids.
    let records = syria_records();
    let mut big = String::with_capacity(140 << 20);
    big.push_str(&records[0]);
    big.push('\n');
    let mut rows = 0u64;
    for copy in 0..33u64 {
        for record in &records[1..] {
            let (id, rest) = record.split_once(',').expect("an id first");
            let id: u64 = id.parse().expect("a numeric id");
            big.push_str(&format!("{},{rest}\n", id + copy * 100_000_000));
            rows += 1;
        }
    }
    let file = dir.join("big.csv");
    std::fs::write(&file, &big).expect("write");
    drop(big);

    let batch = 5000u64;
    let mut child = Command::new(env!("CARGO_BIN_EXE_truce"))
        .args([
            "import",
            path_str(&file),
            "--db",
            path_str(&db),
            "--batch-size",
            "5000",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("truce import starts");
    // Kill it as soon as the store shows committed rows.
    let start = std::time::Instant::now();
    let mut killed = false;
    while start.elapsed() < std::time::Duration::from_secs(300) {
        if db.exists()
            && let Ok(store) = truce_store::Store::open(&db)
            && store.totals().is_ok_and(|t| t.current_reports > 0)
        {
            child.kill().expect("SIGKILL");
            killed = true;
            break;
        }
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let status = child.wait().expect("wait");
    assert!(
        killed && !status.success(),
        "the import was killed mid-way: {status:?}"
    );

    let store = truce_store::Store::open(&db).expect("the store opens after SIGKILL");
    assert_eq!(
        store.integrity_check().expect("check"),
        vec!["ok".to_string()]
    );
    let committed = store.totals().expect("totals").current_reports;
    let runs = store.runs().expect("runs");
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].finished, None, "the run was left open");
    assert_eq!(runs[0].rows_done, committed, "the run knows how far it got");
    assert_eq!(committed % batch, 0, "only whole batches are committed");
    assert!(committed > 0 && committed < rows, "{committed} of {rows}");
    drop(store);

    let rerun = import_ok(path_str(&file), path_str(&db));
    let err = stderr(&rerun);
    assert_contains(
        &err,
        &format!("resuming import run 1 after {committed} committed row(s)"),
    );
    assert_contains(
        &err,
        &format!(
            "{rows} row(s) read: {rows} stored, 0 duplicate(s), 0 revised, 0 quarantined (import run 1)"
        ),
    );
    let store = truce_store::Store::open(&db).expect("the store opens");
    assert_eq!(store.totals().expect("totals").current_reports, rows);
    assert_eq!(store.totals().expect("totals").revisions, rows);
    let run = store.run(1).expect("run 1");
    assert!(run.finished.is_some() && run.counts.add_up());
    assert_eq!(
        store.integrity_check().expect("check"),
        vec!["ok".to_string()]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn rows_out_of_scope_are_skipped_and_counted() {
    let dir = temp_dir("gdelt");
    let db = dir.join("store.sqlite");
    let gdelt = "crates/truce-ingest/tests/data/gdelt2_events_20170701234500_sample.tsv";
    let output = import_ok(gdelt, path_str(&db));
    let err = stderr(&output);
    assert!(
        err.contains("100 row(s) read: 10 stored, 0 duplicate(s), 0 revised, 0 quarantined")
            && err.contains("and 90 row(s) skipped as out of scope"),
        "{err}"
    );
    assert!(
        err.lines().count() <= 6,
        "skip reasons are summarised: {err}"
    );
    let store = truce_store::Store::open(&db).expect("the store opens");
    let run = store.run(1).expect("run 1");
    assert_eq!((run.counts.read, run.counts.skipped), (100, 90));
    assert!(run.counts.add_up());
    assert_eq!(run.file.format, "gdelt");
}

// ---------------------------------------------------------------- timeline and exports

#[test]
fn the_timeline_shows_the_seventh_day_and_draws_a_chart() {
    let dir = std::env::temp_dir().join(format!("truce-cli-timeline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let chart = dir.join("syria.svg");
    let output = on_syria_events(
        "timeline",
        &[
            "--as-of",
            "2016-12-31",
            "--chart",
            chart.to_str().expect("utf-8"),
        ],
    );
    assert_exit_0(&output);
    let text = stdout(&output);
    assert_contains(&text, "2016-09-19  incident         ucdp-ged:301214");
    assert_contains(&text, "step `seven-days-calm` window ends: not met");
    let svg = std::fs::read_to_string(&chart).expect("the chart is written");
    assert!(svg.starts_with("<svg") && svg.contains("step seven-days-calm (not met)"));
    let csv = stdout(&on_syria_events("timeline", &["--format", "csv"]));
    assert!(csv.starts_with("week,party,incidents_certain,"));
    // The same weeks per zone: Aleppo governorate, the zone of the seventh day.
    let by_zone = stdout(&on_syria_events(
        "timeline",
        &["--as-of", "2016-12-31", "--format", "csv", "--by", "zone"],
    ));
    assert!(
        by_zone.starts_with("week,zone,incidents_certain,"),
        "{by_zone}"
    );
    let aleppo_week = by_zone
        .lines()
        .find(|l| l.starts_with("2016-09-19,aleppo-governorate,"))
        .expect("the week of the 19th in Aleppo governorate");
    let fields: Vec<&str> = aleppo_week.split(',').collect();
    let (certain, possible): (u64, u64) = (
        fields[2].parse().expect("a count"),
        fields[3].parse().expect("a count"),
    );
    assert!(certain >= 1 && possible >= certain, "{aleppo_week}");
}

#[test]
fn incidents_and_findings_export_and_reports_round_trip_through_hxl() {
    let geojson = truce_words(&format!(
        "export {SYRIA} incidents-geojson --events {SYRIA_EVENTS}"
    ));
    assert_exit_0(&geojson);
    let parsed: serde_json::Value =
        serde_json::from_slice(&geojson.stdout).expect("GeoJSON is JSON");
    assert_eq!(parsed["type"], "FeatureCollection");
    let convoy = parsed["features"]
        .as_array()
        .and_then(|f| {
            f.iter()
                .find(|x| x["properties"]["id"] == "ucdp-ged:301214")
        })
        .expect("the convoy");
    assert_eq!(convoy["properties"]["violation"], "certain");
    assert_eq!(
        convoy["geometry"]["coordinates"],
        serde_json::json!([36.94775, 36.1481])
    );
    let findings = stdout(&truce_words(&format!(
        "export {SYRIA} findings-csv --events {SYRIA_EVENTS}"
    )));
    assert!(findings.starts_with("finding,incident,clause,party,actor,verdict,certainty,"));
    // Reports out as HXL, and back in: the same check.
    let hxl = truce(&["export", SYRIA, "reports-hxl", "--events", SYRIA_EVENTS]);
    assert_exit_0(&hxl);
    let dir = std::env::temp_dir().join(format!("truce-cli-hxl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("syria.hxl.csv");
    std::fs::write(&file, &hxl.stdout).expect("write");
    let again = truce_words(&format!(
        "check {SYRIA} --events {} --as-of 2016-12-31 --format json",
        file.to_str().expect("utf-8")
    ));
    let original = syria_json("2016-12-31");
    let reread: serde_json::Value = serde_json::from_slice(&again.stdout).expect("JSON");
    assert_eq!(reread["evidence"]["reports"], 6170, "{}", stderr(&again));
    assert_eq!(reread["steps"], original["steps"]);
    assert_eq!(
        reread["violations_by_party"],
        original["violations_by_party"]
    );
}

#[test]
fn displacement_figures_stand_beside_the_incidents_in_the_timeline() {
    // IDMC's figures (CC BY-IGO), as HDX publishes them with HXL hashtags.
    let figures = "crates/truce-ingest/tests/data/idmc_idps_displacement_data_hxl.csv";
    let output = on_syria_events(
        "timeline",
        &["--figures", figures, "--country", "SYR", "--format", "json"],
    );
    assert_exit_0(&output);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let figures = json["figures"].as_array().expect("figures");
    let stock = figures
        .iter()
        .find(|f| f["what"] == "Conflict Stock Displacement")
        .expect("stock figure");
    assert_eq!(
        (stock["year"].as_i64(), stock["value"].as_u64()),
        (Some(2016), Some(6_326_000))
    );
    assert!(
        figures
            .iter()
            .all(|f| f["year"] == 2016 && f["country"] == "Syrian Arab Republic")
    );
}

#[test]
fn an_analyst_splits_a_merged_incident_and_can_withdraw_the_decision() {
    let (dir, db) = store_with_syria_events("split");
    // A monitor's report of the attack on the UN aid convoy (GED 301214, real values),
    // written as truce JSON Lines under another source: corroboration merges the two.
    let store = truce_store::Store::open(&db).expect("the store opens");
    let mut convoy = store
        .reports(&truce_store::ReportFilter::default())
        .expect("reports")
        .into_iter()
        .find(|r| r.provenance.source_id == "301214")
        .expect("GED 301214 is stored");
    drop(store);
    convoy.provenance.source = "monitors".into();
    convoy.provenance.source_id = "M-17".into();
    let monitors = dir.join("monitors.jsonl");
    std::fs::write(
        &monitors,
        format!("{}\n", serde_json::to_string(&convoy).expect("json")),
    )
    .expect("write");
    import_ok(path_str(&monitors), path_str(&db));

    let incidents = || {
        let output = truce_words(&format!(
            "check {SYRIA} --db {} --as-of 2016-12-31 --format json",
            path_str(&db)
        ));
        assert_eq!(code(&output), 1, "{}", stderr(&output));
        let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("json");
        (
            json["evidence"]["reports"].as_u64().expect("reports"),
            json["evidence"]["incidents"].as_u64().expect("incidents"),
        )
    };
    let (reports, merged) = incidents();
    assert_eq!(reports, 6171);
    assert_eq!(merged, 6170, "the monitor's report joins GED 301214");

    // Unknown reports and malformed ids are refused, and nothing is recorded.
    let unknown = truce_words(&format!(
        "incidents split --db {} ucdp-ged:301214 monitors:M-99 --by analyst-3",
        path_str(&db)
    ));
    assert_exit_with_error(&unknown, 2, "no current report `monitors:M-99`");
    let malformed = truce_words(&format!(
        "incidents split --db {} 301214 monitors:M-17 --by a",
        path_str(&db)
    ));
    assert_exit_with_error(&malformed, 2, "expected SOURCE:ID");

    let split = truce_words_then(
        &format!(
            "incidents split --db {} ucdp-ged:301214 monitors:M-17 --by analyst-3",
            path_str(&db)
        ),
        &[
            "--reason",
            "the monitor saw a second strike on the warehouse",
        ],
    );
    assert_exit_0(&split);
    assert!(
        stdout(&split).starts_with(
            "decision 1: monitors:M-17 and ucdp-ged:301214 are kept apart (by analyst-3"
        )
    );
    assert_eq!(incidents(), (6171, 6171));
    let listed = truce(&["incidents", "decisions", "--db", path_str(&db)]);
    assert_contains(&stdout(&listed), "the monitor saw a second strike");
    let explained = truce(&["explain", SYRIA, "monitors:M-17", "--db", path_str(&db)]);
    assert_exit_0(&explained);
    let text = stdout(&explained);
    assert!(text.contains("kept apart from ucdp-ged:301214"), "{text}");
    assert_contains(&text, "an analyst decided they are different incidents");

    let withdrawn = truce_words(&format!(
        "incidents withdraw --db {} 1 --by analyst-1",
        path_str(&db)
    ));
    assert_exit_0(&withdrawn);
    assert_eq!(incidents(), (6171, 6170));
    assert_eq!(
        stdout(&truce(&["incidents", "decisions", "--db", path_str(&db)])),
        ""
    );
    let twice = truce_words(&format!(
        "incidents withdraw --db {} 1 --by analyst-1",
        path_str(&db)
    ));
    assert_eq!(code(&twice), 2);
}

#[test]
fn geoparquet_exports_are_written_to_a_file_and_refused_on_stdout() {
    let dir = temp_dir("geoparquet");
    let refused = truce_words(&format!(
        "export {SYRIA} incidents-geoparquet --events {SYRIA_EVENTS}"
    ));
    assert_exit_with_error(&refused, 2, "give `--output FILE.parquet`");
    assert!(stdout(&refused).is_empty());
    let file = dir.join("incidents.parquet");
    let written = truce_words(&format!(
        "export {SYRIA} incidents-geoparquet --events {SYRIA_EVENTS} --as-of 2016-12-31 \
         --output {}",
        path_str(&file)
    ));
    assert_exit_0(&written);
    let bytes = std::fs::read(&file).expect("written");
    // A Parquet file starts and ends with its magic; the GeoParquet metadata is in the footer.
    assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
    let footer = String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(200_000)..]);
    assert!(
        footer.contains("\"primary_column\":\"geometry\""),
        "no geo metadata"
    );
    assert!(footer.contains("truce:agreement"));
}

#[test]
fn a_missions_own_report_form_is_read_through_its_mapping() {
    let mapping = "examples/mission-form/mapping.toml";
    let lint = truce(&["lint", "--mapping", mapping]);
    assert_exit_0(&lint);
    assert!(stderr(&lint).contains("reads csv as source `cmm-patrol`"));

    // A mapping with mistakes: every one located, nothing read.
    let dir = temp_dir("mapping");
    let bad = dir.join("bad-mapping.toml");
    std::fs::write(
        &bad,
        "format = 1\nsource = \"cmm\"\ninput = \"csv\"\nid = \"report_no\"\n\n[date]\ncolum = \"date_observed\"\n\n[kind]\ncolumn = \"incident_type\"\nmap = { \"Shelling\" = \"shellin\" }\n",
    )
    .expect("write");
    let lint = truce(&["lint", "--mapping", path_str(&bad), "--format", "json"]);
    assert_eq!(code(&lint), 2);
    let diagnostics: serde_json::Value = serde_json::from_str(&stdout(&lint)).expect("json");
    let codes: Vec<(&str, u64)> = diagnostics
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().expect("code"),
                d["line"].as_u64().expect("line"),
            )
        })
        .collect();
    assert!(codes.contains(&("unknown-field", 7)), "{codes:?}");
    assert!(codes.contains(&("invalid-value", 11)), "{codes:?}");
    let import = truce_words(&format!(
        "import --db {} --mapping {} examples/mission-form/reports.csv",
        path_str(&dir.join("never.sqlite")),
        path_str(&bad)
    ));
    assert_exit_with_error(&import, 2, "error(s); nothing was read");

    // The form with three bad rows into a store: six stored, three quarantined with
    // their text (in the form's own `;`-separated layout), counts adding up.
    let db = dir.join("store.sqlite");
    let form = "crates/truce-ingest/tests/data/mission_form_patrols.csv";
    let import = truce(&["import", "--db", path_str(&db), "--mapping", mapping, form]);
    assert_eq!(code(&import), 1, "{}", stderr(&import));
    assert_contains(
        &stderr(&import),
        "9 row(s) read: 6 stored, 0 duplicate(s), 0 revised, 3 quarantined (import run 1)",
    );
    let again = truce(&["import", "--db", path_str(&db), "--mapping", mapping, form]);
    assert_contains(&stderr(&again), "0 stored, 6 duplicate(s)");
    let exported = truce(&["quarantine", "export", "--db", path_str(&db)]);
    let exported = stdout(&exported);
    assert_contains(&exported, "CMM-0919-08;19/09/2016;;حلب;الأتارب;الأتارب;");

    // Checked against the Syria agreement from the store and from the JSON Lines
    // export through its own mapping: the same six reports.
    let from_store = truce_words(&format!(
        "check {SYRIA} --db {} --as-of 2016-09-30 --format json",
        path_str(&db)
    ));
    let from_jsonl = truce_words(&format!(
        "check {SYRIA} --events examples/mission-form/reports.jsonl \
         --mapping examples/mission-form/mapping-jsonl.toml --as-of 2016-09-30 --format json"
    ));
    let json =
        |o: &Output| -> serde_json::Value { serde_json::from_str(&stdout(o)).expect("json") };
    let (a, b) = (json(&from_store), json(&from_jsonl));
    assert_eq!(a["evidence"]["reports"], 6);
    assert_eq!(b["evidence"]["reports"], 6);
    assert_eq!(a["violations_by_party"], b["violations_by_party"]);
    assert_eq!(a["evidence"]["by_source"][0]["name"], "cmm-patrol");
}

#[test]
fn gdelt_rows_coded_from_one_article_are_one_piece_of_evidence() {
    // Three real GDELT rows (2017-07-01) coded from one article on a meeting about
    // Mali, placed one in Mali and two in Chad: one article, so one incident.
    let gdelt = "crates/truce-ingest/tests/data/gdelt2_events_20170701234500_sample.tsv";
    let output = truce(&["explain", SYRIA, "gdelt:669666380", "--events", gdelt]);
    let text = stdout(&output);
    assert!(
        text.contains("merged with gdelt:669666381")
            && text.contains("merged with gdelt:669666382"),
        "{text}\n{}",
        stderr(&output)
    );
    assert!(
        text.contains(
            "✓ the same evidence: the same article \
             (http://thenationonlineng.net/french-president-african-leaders-meet-al-qaida-boko-haram/)"
        ),
        "{text}"
    );
}

// ---------------------------------------------------------------- brackets and entitlements (issue 5)

/// `dir/syria`, holding a copy of the Syria example's `data` folder (an edited
/// agreement written there reads the same files as the example's).
fn copy_of_syria_data(dir: &Path) -> PathBuf {
    let copy = dir.join("syria");
    copy_folder(&root().join("examples/syria-2016/data"), &copy.join("data"));
    copy
}

/// Copies a folder and everything in it.
fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder");
    for entry in std::fs::read_dir(from).expect("read a folder") {
        let entry = entry.expect("a folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

/// A copy of the Syria example with keys for the mission, the United States and
/// Russia, an age recipient for Russia, `max-per-day` resolved by both, and an
/// entitlement on the seven days that certain evidence alone releases.
fn signed_example(name: &str) -> (PathBuf, PathBuf) {
    let dir = temp_dir(name);
    let example = root().join("examples/syria-2016");
    let copy = copy_of_syria_data(&dir);
    let key = |args: &[&str]| {
        let output = truce(args);
        assert_exit_0(&output);
        stdout(&output).trim().to_string()
    };
    let at = |file: &str| file_in(&dir, file);
    let mission = key(&[
        "keys",
        "generate",
        "--name",
        "task-force",
        "-o",
        &at("mission.key"),
    ]);
    let usa = key(&["keys", "generate", "--party", "usa", "-o", &at("usa.key")]);
    let russia = key(&[
        "keys",
        "generate",
        "--party",
        "russia",
        "-o",
        &at("russia.key"),
    ]);
    let russia_age = key(&["keys", "generate", "--age", "-o", &at("russia.agekey")]);
    let _other_age = key(&["keys", "generate", "--age", "-o", &at("other.agekey")]);
    let text = std::fs::read_to_string(example.join("agreement.toml")).expect("agreement");
    let text = text
        .replacen(
            "id = \"usa\"\n",
            &format!("id = \"usa\"\nkeys = [\"{usa}\"]\n"),
            1,
        )
        .replacen(
            "id = \"russia\"\n",
            &format!("id = \"russia\"\nkeys = [\"{russia}\"]\nrecipients = [\"{russia_age}\"]\n"),
            1,
        )
        .replacen(
            "alternatives = [0, 2]\n",
            "alternatives = [0, 2]\nresolved_by = [\"usa\", \"russia\"]\n",
            1,
        )
        + &format!(
            "\n[[entitlement]]\nid = \"aid-corridor\"\nto = \"russia\"\nfrom = \"usa\"\n\
             step = \"seven-days-calm\"\nwhat = \"A test entitlement on the seven days.\"\n\
             possible_violations_block = false\n\n[ledger]\norigin = \"task-force.example/syria-2016\"\n\
             mission_keys = [\"{mission}\"]\n"
        );
    let agreement = copy.join("agreement.toml");
    std::fs::write(&agreement, text).expect("write");
    let db = dir.join("store.sqlite");
    import_ok(SYRIA_EVENTS, path_str(&db));
    (agreement, db)
}

#[test]
fn a_bracket_resolution_needs_every_named_signature_and_makes_a_new_version() {
    let (agreement, db) = signed_example("bracket");
    bracket_flow(&agreement, path_str(&db));
    // The same on PostgreSQL, from an example of its own (resolving rewrites the file).
    if let Some(url) = postgres_with_syria_events("bracket") {
        let (agreement, _) = signed_example("bracket-postgres");
        bracket_flow(&agreement, &url);
    }
}

/// Two parties sign a bracket's resolution, on the store `db`.
fn bracket_flow(agreement: &Path, db: &str) {
    let dir = agreement.parent().and_then(Path::parent).expect("dir");
    let key = |k: &str| dir.join(k).display().to_string();
    let resolve = |choice: &str, k: &str| {
        truce_words(&format!(
            "bracket resolve {} {choice} --key {} --db {db}",
            path_str(agreement),
            &key(k)
        ))
    };
    let before = std::fs::read_to_string(agreement).expect("agreement");
    // One of two required signatures: no effect, the file untouched.
    let usa = resolve("max-per-day=2", "usa.key");
    assert_exit_0(&usa);
    assert_contains(
        &stdout(&usa),
        "not in effect yet: waiting for the signature of russia",
    );
    assert_eq!(
        std::fs::read_to_string(agreement).expect("agreement"),
        before
    );
    // The mission is not a party; a bracket without `resolved_by` cannot be signed; a value
    // that is not an alternative is refused.
    for (choice, k, expected) in [
        (
            "max-per-day=2",
            "mission.key",
            "is not listed for any party",
        ),
        ("calm-days=10", "usa.key", "names no one who must sign"),
        (
            "max-per-day=3",
            "russia.key",
            "is not an alternative of bracket `max-per-day` (0, 2)",
        ),
    ] {
        let refused = resolve(choice, k);
        assert_eq!(code(&refused), 2);
        assert!(stderr(&refused).contains(expected), "{}", stderr(&refused));
    }
    // The second signature: in effect, a new version written, the old one kept in the store.
    let russia = resolve("max-per-day=2", "russia.key");
    assert_exit_0(&russia);
    assert_contains(
        &stdout(&russia),
        "in effect: `max-per-day` = 2, signed by usa and russia",
    );
    let after = std::fs::read_to_string(agreement).expect("agreement");
    assert_contains(&after, "id = \"max-per-day\"\nresolved = 2\n");
    let mut store = truce_store::open_storage(db).expect("store");
    let versions = store.agreement_versions(path_str(agreement));
    assert_eq!(versions.expect("versions").len(), 2);
    drop(store);
    let kinds = ledger_kinds(db);
    assert_eq!(
        kinds.iter().filter(|k| *k == "bracket-signature").count(),
        2,
        "{kinds:?}"
    );
    assert_eq!(kinds.last().map(String::as_str), Some("bracket-resolution"));
    // The check shows the resolved value and still what the other would have meant.
    let check = truce_words(&format!(
        "check {} --db {db} --as-of 2016-12-31",
        path_str(agreement)
    ));
    let text = stdout(&check);
    assert_contains(&text, "(resolved: 2)");
    assert_contains(&text, "with [0]:");
}

#[test]
fn an_entitlement_is_released_only_on_its_verified_step_and_its_payload_only_to_its_party() {
    let (agreement, db) = signed_example("entitlement");
    let dir = example_dir(&agreement);
    // "Reduced violence" read as at most 4 a day: the seven days are then met on
    // certain evidence on 19 September 2016 (13–19 September have 1, 0, 2, 1, 1, 3
    // and 4 certain violations in Aleppo Governorate), not counting possible ones.
    let text = std::fs::read_to_string(&agreement).expect("agreement");
    let text = text.replacen(
        "alternatives = [0, 2]\nresolved_by = [\"usa\", \"russia\"]\n",
        "alternatives = [0, 2, 4]\nresolved_by = [\"usa\", \"russia\"]\nresolved = 4\n",
        1,
    );
    std::fs::write(&agreement, text).expect("write");
    std::fs::write(
        dir.join("targets.txt"),
        "grid references of excluded groups' positions\n",
    )
    .expect("write");
    entitlement_flow(&agreement, &dir, path_str(&db), "sqlite");
    // The same on PostgreSQL, with the same evidence imported there.
    if let Some(url) = postgres_with_syria_events("entitlement") {
        entitlement_flow(&agreement, &dir, &url, "postgres");
    }
}

/// Release, hand-over, opening, suspension and the bundle of one entitlement,
/// on the store `d`; files go under `dir` with the store's name in front.
fn entitlement_flow(agreement: &Path, dir: &Path, d: &str, label: &str) {
    let at = |f: &str| file_in(dir, &format!("{label}-{f}"));
    let key = |f: &str| file_in(dir, f);
    let entitlement = |words: &str| truce_words(&format!("entitlement {words}"));
    let a = path_str(agreement);
    // Before the seven days are met (as of 15 Sep): refused, nothing recorded.
    let early = entitlement(&format!(
        "release {a} aid-corridor --db {d} --as-of 2016-09-15 --by usa-liaison --payload {}",
        key("targets.txt")
    ));
    assert_eq!(code(&early), 1, "{}", stderr(&early));
    assert!(
        stdout(&early).starts_with("refused: entitlement `aid-corridor` may not be released"),
        "{}",
        stdout(&early)
    );
    // The JIC step stays locked: its entitlement is refused whatever the day.
    let locked = entitlement(&format!(
        "release {a} us-intelligence-to-russia --db {d} --as-of 2016-12-31 --by usa-liaison"
    ));
    assert_eq!(code(&locked), 1);
    assert!(stdout(&locked).contains("is locked"), "{}", stdout(&locked));
    let handover_early = entitlement(&format!(
        "handover {a} aid-corridor --db {d} -o {}",
        at("early")
    ));
    assert_exit_with_error(&handover_early, 2, "is not released");
    // After: released, the payload kept encrypted to Russia, handed over, readable by
    // Russia's identity only.
    let released = entitlement(&format!(
        "release {a} aid-corridor --db {d} --as-of 2016-12-31 --by usa-liaison --payload {}",
        key("targets.txt")
    ));
    assert_exit_0(&released);
    assert_contains(
        &stdout(&released),
        "released `aid-corridor` to russia: step `seven-days-calm` met on 2016-09-19",
    );
    let again = entitlement(&format!(
        "release {a} aid-corridor --db {d} --as-of 2016-12-31 --by usa-liaison"
    ));
    assert_exit_with_error(&again, 2, "already released");
    let handed = entitlement(&format!(
        "handover {a} aid-corridor --db {d} -o {}",
        at("handed")
    ));
    assert_exit_0(&handed);
    let sealed = std::path::PathBuf::from(at("handed")).join("targets.txt.age");
    let ciphertext = std::fs::read(&sealed).expect("handed over");
    assert!(!String::from_utf8_lossy(&ciphertext).contains("grid references"));
    let wrong = entitlement(&format!(
        "open {} --identity {} -o {}",
        path_str(&sealed),
        key("other.agekey"),
        at("wrong.txt")
    ));
    assert_exit_with_error(&wrong, 2, "encrypted to another party");
    assert!(!Path::new(&at("wrong.txt")).exists());
    let opened = entitlement(&format!(
        "open {} --identity {} -o {}",
        path_str(&sealed),
        key("russia.agekey"),
        at("opened.txt")
    ));
    assert_exit_0(&opened);
    assert_eq!(
        std::fs::read_to_string(at("opened.txt")).expect("opened"),
        "grid references of excluded groups' positions\n"
    );
    // Suspended: no more hand-overs; the status says so.
    let suspended = truce_words_then(
        &format!("entitlement suspend {a} aid-corridor --db {d} --as-of 2016-12-31 --by mission"),
        &["--reason", "violations resumed"],
    );
    assert_exit_0(&suspended);
    let after = entitlement(&format!(
        "handover {a} aid-corridor --db {d} -o {}",
        at("after")
    ));
    assert_exit_with_error(&after, 2, "is suspended (violations resumed)");
    let status = entitlement(&format!("status {a} --db {d} --as-of 2016-12-31"));
    assert_contains(&stdout(&status), "suspended on");
    // Every step is in the ledger, and the bundle verifies.
    let kinds = ledger_kinds(d);
    for kind in [
        "entitlement-release",
        "entitlement-handover",
        "entitlement-suspension",
    ] {
        assert_eq!(
            kinds.iter().filter(|k| *k == kind).count(),
            1,
            "{kind} in {kinds:?}"
        );
    }
    let checkpoint = truce_words(&format!(
        "ledger checkpoint {a} --db {d} --key {}",
        &key("mission.key")
    ));
    assert_exit_0(&checkpoint);
    let export = truce(&["ledger", "export", a, "--db", d, "-o", &at("bundle")]);
    assert_exit_0(&export);
    let verify = truce(&["ledger", "verify", &at("bundle")]);
    assert_eq!(code(&verify), 0, "{}", stdout(&verify));
}

#[test]
fn a_new_key_in_a_new_agreement_version_is_recorded_as_a_key_rotation() {
    let (agreement, db) = signed_example("rotation");
    let dir = example_dir(&agreement);
    let check = || {
        truce_words(&format!(
            "check {} --record --db {} --as-of 2016-12-31",
            path_str(&agreement),
            path_str(&db)
        ))
    };
    assert_eq!(code(&check()), 1);
    let new_key = truce_words(&format!(
        "keys generate --party usa --name usa-2 -o {}",
        path_str(&dir.join("usa-2.key"))
    ));
    let new_key = stdout(&new_key).trim().to_string();
    let text = std::fs::read_to_string(&agreement).expect("agreement");
    let start =
        text.find("id = \"usa\"\nkeys = [\"").expect("usa keys") + "id = \"usa\"\nkeys = [".len();
    let end = start + text[start..].find(']').expect("end");
    let rotated = format!("{}\"{new_key}\"{}", &text[..start], &text[end..]);
    std::fs::write(&agreement, rotated).expect("write");
    assert_eq!(code(&check()), 1);
    let rotation = ledger_entries(path_str(&db))
        .into_iter()
        .find(|e| e.kind == "key-rotation")
        .expect("a key-rotation record");
    let record: serde_json::Value = serde_json::from_slice(&rotation.record).expect("json");
    assert_eq!(record["changes"][0]["holder"], "party:usa");
    assert_eq!(record["changes"][0]["added"][0], new_key.as_str());
    assert_eq!(
        record["changes"][0]["removed"].as_array().map(Vec::len),
        Some(1)
    );
}

#[test]
fn a_partys_cosignature_is_filed_by_the_mission_and_travels_in_later_bundles() {
    let (agreement, db) = signed_example("cosigned");
    let dir = example_dir(&agreement);
    cosigned_flow(&agreement, path_str(&db), &dir, "sqlite");
    if let Some(url) = postgres_with_syria_events("cosigned") {
        cosigned_flow(&agreement, &url, &dir, "postgres");
    }
}

/// Checkpoint, export, a party's witness, and the mission filing the party's
/// cosignature in store `d` (the keys are in `dir`; what the flow writes is
/// named after `label`).
fn cosigned_flow(agreement: &Path, d: &str, dir: &Path, label: &str) {
    let at = |f: &str| file_in(dir, &format!("{label}-{f}"));
    let key = |f: &str| file_in(dir, f);
    let a = path_str(agreement);
    let ok = |args: &[&str]| {
        let output = truce(args);
        assert_eq!(
            code(&output),
            0,
            "{label} {args:?}: {}{}",
            stdout(&output),
            stderr(&output)
        );
        stdout(&output)
    };
    let _ = truce(&["check", a, "--record", "--db", d, "--as-of", "2016-12-31"]);
    ok(&[
        "ledger",
        "checkpoint",
        a,
        "--db",
        d,
        "--key",
        &key("mission.key"),
    ]);
    ok(&["ledger", "export", a, "--db", d, "-o", &at("first")]);
    ok(&[
        "ledger",
        "witness",
        &at("first"),
        "--key",
        &key("usa.key"),
        "--state",
        &at("usa.state"),
        "-o",
        &at("cosigned.note"),
    ]);
    // The mission's plain checkpoint is not a cosignature; the party's note is.
    let plain = truce_words(&format!(
        "ledger add-cosigned {a} --db {d} {}",
        &at("first/checkpoints/000001.note")
    ));
    assert_exit_with_error(&plain, 2, "carries no cosignature by a party's key");
    let filed = ok(&["ledger", "add-cosigned", a, "--db", d, &at("cosigned.note")]);
    assert!(filed.contains("co-signed by usa (usa)"), "{filed}");
    ok(&["ledger", "export", a, "--db", d, "-o", &at("second")]);
    let verified = ok(&["ledger", "verify", &at("second")]);
    assert!(verified.contains("cosigned by usa (usa)"), "{verified}");
}

#[test]
fn deletions_and_analysts_decisions_are_recorded_in_the_ledger() {
    let (_, db) = store_with_syria_events("ledger-decisions");
    let d = path_str(&db);
    for args in [
        &[
            "delete",
            "--db",
            d,
            "ucdp-ged:218211",
            "--note",
            "withdrawn in GED 20.1",
        ][..],
        &[
            "incidents",
            "split",
            "--db",
            d,
            "ucdp-ged:301214",
            "ucdp-ged:318815",
            "--by",
            "analyst-3",
            "--reason",
            "two strikes",
        ][..],
        &["incidents", "withdraw", "--db", d, "1", "--by", "analyst-1"][..],
    ] {
        let output = truce(args);
        assert_eq!(code(&output), 0, "{args:?}: {}", stderr(&output));
    }
    let records: Vec<serde_json::Value> = ledger_entries(d)
        .iter()
        .map(|e| serde_json::from_slice(&e.record).expect("json"))
        .collect();
    let kinds: Vec<&str> = records
        .iter()
        .map(|r| r["type"].as_str().expect("type"))
        .collect();
    assert_eq!(
        kinds,
        ["import-run", "deletion", "kept-apart", "decision-withdrawn"]
    );
    assert_eq!(records[1]["report"][1], "218211");
    assert_eq!(records[1]["note"], "withdrawn in GED 20.1");
    assert_eq!(records[2]["by"], "analyst-3");
    assert_eq!(records[3]["decision"], 1);
    let listed = truce(&["deletions", "--db", d]);
    assert_exit_0(&listed);
    let listed = stdout(&listed);
    assert!(
        listed.starts_with("deletion 1: ucdp-ged:218211 on "),
        "{listed}"
    );
    assert!(
        listed.ends_with("(1 revision(s) kept, no longer checked): withdrawn in GED 20.1\n"),
        "{listed}"
    );
}

#[test]
fn an_analyst_joins_two_reports_into_one_incident_and_can_withdraw_it() {
    let (_, db) = store_with_syria_events("join");
    let d = path_str(&db);
    let incidents = || {
        let output = truce_words(&format!(
            "check {SYRIA} --db {d} --as-of 2016-12-31 --format json"
        ));
        let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("json");
        json["evidence"]["incidents"].as_u64().expect("incidents")
    };
    assert_eq!(
        incidents(),
        6170,
        "one curated source: no two GED events are merged"
    );
    // GED codes the convoy attack of 19 Sep 2016 (301214); an analyst knows 318815,
    // coded elsewhere, is the same event.
    let join = truce_words_then(
        &format!("incidents join --db {d} ucdp-ged:301214 ucdp-ged:318815 --by analyst-2"),
        &["--reason", "one strike coded twice"],
    );
    assert_exit_0(&join);
    assert_contains(&stdout(&join), "are one incident (by analyst-2");
    assert_eq!(incidents(), 6169);
    let explain = truce_words(&format!(
        "explain {SYRIA} ucdp-ged:318815 --db {d} --as-of 2016-12-31"
    ));
    assert_contains(
        &stdout(&explain),
        "merged with ucdp-ged:301214\n    ✓ an analyst decided they are one incident",
    );
    // The opposite decision on the same pair is refused while this one is in force.
    let split = truce_words(&format!(
        "incidents split --db {d} ucdp-ged:318815 ucdp-ged:301214 --by analyst-3"
    ));
    assert_eq!(code(&split), 2);
    assert_contains(
        &stderr(&split),
        "on `ucdp-ged:318815` and `ucdp-ged:301214` makes them one incident; withdraw it first",
    );
    let decisions = truce(&["incidents", "decisions", "--db", d]);
    assert!(
        stdout(&decisions)
            .contains("ucdp-ged:301214 one incident with ucdp-ged:318815 by analyst-2"),
        "{}",
        stdout(&decisions)
    );
    let withdraw = truce(&["incidents", "withdraw", "--db", d, "1", "--by", "analyst-1"]);
    assert_exit_0(&withdraw);
    assert_eq!(incidents(), 6170);
    let kinds = ledger_kinds(d);
    assert!(
        kinds.contains(&"kept-together".to_string())
            && kinds.contains(&"decision-withdrawn".to_string()),
        "{kinds:?}"
    );
}

/// `truce extract` on an HTML article and a post export: reports with the words
/// behind each field on stdout; stored once in a store, however often extracted;
/// a post that cannot be read set aside with its line (exit 1); a binary file
/// refused (exit 2).
#[test]
fn extract_reads_articles_and_posts_into_reports_and_the_store() {
    let dir = temp_dir("extract");
    // The text is Wikipedia's summary of 19 September 2016 (CC BY-SA 3.0), in a page.
    let article = write_in(
        &dir,
        "convoy.html",
        "<html><head><title>Aid convoy struck</title><meta property=\"article:published_time\" content=\"2016-09-19T22:00:00Z\"></head>\
         <body><nav>Home | World | Middle East and North Africa news</nav><article><p>Hours after the Syrian military declares the end of the ceasefire, \
         an airstrike hits a convoy of United Nations OCHA aid trucks near the town of Urum al-Kubra, in the Aleppo Governorate, with the Syrian \
         Observatory for Human Rights reporting that at least 12 people have been killed.</p></article></body></html>",
    );
    let posts = write_in(
        &dir,
        "posts.jsonl",
        "{\"id\":\"1\",\"text\":\"Barrel bombs on Daraya this morning, 4 killed #Daraya\",\"created_at\":\"2016-08-01T09:00:00Z\"}\n\
         {\"id\":\"2\",\"text\":\"thinking of everyone tonight\",\"created_at\":\"2016-08-01T21:00:00Z\"}\n\
         {not json\n",
    );
    let output = truce(&["extract", path_str(&article), path_str(&posts)]);
    assert_eq!(
        code(&output),
        1,
        "a post was set aside: {}",
        stderr(&output)
    );
    assert_contains(&stderr(&output), "line 3: set aside: not a JSON object");
    let reports: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a report per line"))
        .collect();
    assert_eq!(reports.len(), 2, "{reports:?}");
    let convoy = &reports[0];
    assert_eq!(convoy["provenance"]["source"], "text");
    assert_eq!(convoy["kind"], "air-strike");
    assert_eq!(convoy["location"]["precision"], "province");
    assert_eq!(convoy["casualties"]["best"], 12);
    assert_eq!(convoy["date"]["last"], "2016-09-19");
    let barrels = &reports[1];
    assert_eq!(barrels["kind"], "air-strike");
    assert_eq!(barrels["date"]["first"], "2016-08-01", "this morning");
    assert_eq!(
        barrels["location"]["place"], "Dārayyā",
        "GeoNames' name for Daraya"
    );
    assert_eq!(barrels["urls"][0], "https://x.com/i/web/status/1");
    // `truce explain` shows the words behind each field, and that the incident rests on text only.
    let jsonl = dir.join("reports.jsonl");
    std::fs::write(&jsonl, stdout(&output)).expect("write the reports");
    let id = format!(
        "text:{}",
        convoy["provenance"]["source_id"].as_str().expect("an id")
    );
    let explained = truce(&["explain", SYRIA, &id, "--events", path_str(&jsonl)]);
    assert_exit_0(&explained);
    let words = stdout(&explained);
    assert!(words.contains("the words behind each field:"), "{words}");
    assert!(words.contains("kind      \"airstrike\""), "{words}");
    assert_contains(&words, "[at least 12 people have been killed]");
    let checked = truce_words(&format!(
        "check {SYRIA} --events {} --format json",
        path_str(&jsonl)
    ));
    let json: serde_json::Value = serde_json::from_slice(&checked.stdout).expect("check JSON");
    let incidents = json["incidents"].as_array().expect("incidents");
    assert!(!incidents.is_empty());
    assert!(
        incidents.iter().all(|i| i["text_only"] == true),
        "every incident here rests on text only"
    );
    // Stored as import runs; extracted again, nothing is stored twice.
    let db = dir.join("store.db");
    let first = truce(&["extract", path_str(&article), "--db", path_str(&db)]);
    assert_exit_0(&first);
    assert_contains(&stderr(&first), "1 new, 0 duplicate(s)");
    let again = truce(&["extract", path_str(&article), "--db", path_str(&db)]);
    assert_contains(&stderr(&again), "0 new, 1 duplicate(s)");
    // A binary file is refused, naming what was found.
    let binary = dir.join("photo.jpg");
    std::fs::write(&binary, b"\xff\xd8\xff\xe0\x00\x10JFIF").expect("write");
    let refused = truce(&["extract", path_str(&binary)]);
    assert_exit_with_error(&refused, 2, "is not text: a NUL byte at offset 4");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `truce eval extraction` scores the shipped labelled set: every field and whole
/// events, on the split asked for.
#[test]
fn eval_extraction_prints_precision_and_recall_per_field() {
    let output = truce(&["eval", "extraction", "--split", "dev"]);
    assert_exit_0(&output);
    let text = stdout(&output);
    assert!(
        text.starts_with("extraction, dev split: 265 text(s), 358 expected event(s)"),
        "{text}"
    );
    for field in [
        "kind ",
        "date ",
        "place ",
        "responsible ",
        "killed ",
        "whole events ",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(field)),
            "no `{field}` row:\n{text}"
        );
    }
    let whole = text
        .lines()
        .find(|l| l.starts_with("whole events"))
        .expect("whole events");
    let precision: f64 = whole
        .split_whitespace()
        .nth(2)
        .and_then(|p| p.parse().ok())
        .expect("a precision");
    assert!((0.0..=1.0).contains(&precision), "{whole}");
}

/// Four posts, two on one day with one hashtag written two ways, one without a day.
const TRENDING_POSTS: &str = "\
{\"id\":\"1\",\"text\":\"#AleppoIsBurning barrel bombs on Aleppo again #Aleppo\",\"created_at\":\"2016-09-23T08:00:00Z\"}
{\"id\":\"2\",\"text\":\"#aleppoisburning airstrikes hit Aleppo hospitals\",\"created_at\":\"2016-09-23T09:00:00Z\"}
{\"id\":\"3\",\"text\":\"Clashes in Daraa #Daraa #AleppoIsBurning\",\"created_at\":\"2016-09-24T09:00:00Z\"}
{\"id\":\"4\",\"text\":\"no date here #Idlib\"}
";

/// `truce timeline --posts`: hashtags and the kinds of event read from posts, per
/// day, beside the curated events (a post counts once per hashtag, without case).
#[test]
fn the_timeline_shows_what_posts_talked_of_each_day() {
    let dir = temp_dir("trends");
    let posts = write_in(&dir, "posts.jsonl", TRENDING_POSTS);
    let output = on_syria_events("timeline", &["--posts", path_str(&posts)]);
    assert_exit_0(&output);
    let text = stdout(&output);
    assert!(text.contains("IN POSTS AND NEWS"), "{text}");
    let line = |day: &str, key: &str| {
        text.lines()
            .find(|l| l.contains(day) && l.contains(&format!(" {key} ")))
            .map(|l| l.split_whitespace().rev().nth(1).unwrap_or("").to_string())
    };
    assert_eq!(
        line("2016-09-23", "#AleppoIsBurning").as_deref(),
        Some("2"),
        "{text}"
    );
    assert_eq!(
        line("2016-09-23", "air-strike").as_deref(),
        Some("2"),
        "{text}"
    );
    assert_eq!(
        line("2016-09-24", "armed-clash").as_deref(),
        Some("1"),
        "{text}"
    );
    assert_contains(&stderr(&output), "1 post(s) without a publication day");
    let json = on_syria_events(
        "timeline",
        &["--posts", path_str(&posts), "--format", "json"],
    );
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let trends = value["trends"].as_array().expect("trends");
    assert!(trends.iter().any(|t| t["what"] == "hashtag"
        && t["key"] == "#Daraa"
        && t["day"] == "2016-09-24"
        && t["posts"] == 1));
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------- verdicts a mission would give (issue 14)

#[test]
fn explain_takes_the_id_after_the_events_as_the_readme_writes_it() {
    let output = on_syria_events("explain", &["ucdp-ged:301214"]);
    assert_exit_0(&output);
    let text = stdout(&output);
    assert_contains(
        &text,
        "finding ucdp-ged:301214/coh-civilians/syrian-government",
    );
    // A clash: the clause was certainly broken; who broke it is one of two parties.
    let clash = on_syria_events("explain", &["ucdp-ged:227959"]);
    assert_exit_0(&clash);
    let text = stdout(&clash);
    assert!(text.contains("verdict:     certain violation"), "{text}");
    assert_contains(
        &text,
        "responsible: one of government-side, opposition — the source does not say who acted",
    );
    // No id at all: a clear error, exit 2.
    let none = on_syria_events("explain", &[]);
    assert_exit_with_error(&none, 2, "which finding, incident or report?");
}

#[test]
fn the_report_separates_whether_from_who_and_sets_aggregates_apart() {
    let output = on_syria_events("check", &["--as-of", "2016-12-31"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let text = stdout(&output);
    assert_contains(
        &text,
        "certain (the agreement was certainly broken, whoever did it)",
    );
    assert_contains(&text, "aggregate reports (the source sums up many events)");
    assert_contains(
        &text,
        "met (says nothing) — no report in this window can be counted with certainty",
    );
    // The year's summary row (8,179 deaths) is not ranked among single events.
    let serious = text
        .split("MOST SERIOUS INCIDENTS")
        .nth(1)
        .expect("a most serious section");
    assert!(!serious.contains("ucdp-ged:233200"), "{serious}");
    // As of a day, nothing later is seen, and the report says how much was left out.
    let early = on_syria_events("check", &["--as-of", "2016-09-30"]);
    let text = stdout(&early);
    assert_contains(
        &text,
        "later report(s) not seen: the check sees only what existed on 2016-09-30",
    );
    assert!(!text.contains("2016-10-"), "{text}");
}

#[test]
fn lint_names_each_target_once() {
    let dir = temp_dir("lint-targets");
    let text = std::fs::read_to_string(root().join(SYRIA))
        .expect("agreement")
        .replacen("against = [\"civilians\"]", "against = [\"civilianz\"]", 1);
    let copy = copy_of_syria_data(&dir);
    let agreement = copy.join("agreement.toml");
    std::fs::write(&agreement, text).expect("write");
    let output = truce(&["lint", "--format", "json", path_str(&agreement)]);
    assert_eq!(code(&output), 2);
    let diagnostics: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let expected = diagnostics[0]["expected"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    // An actor called `civilians` and the target `civilians` are one choice, named once.
    let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let mut unique = names.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(names.len(), unique.len(), "{expected}");
    assert_eq!(diagnostics[0]["hint"], "did you mean `civilians`?");
}

/// The cells of a CSV text, row by row (the header first).
fn csv_cells(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| {
            r.expect("a CSV record")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// No cell a spreadsheet would run: none starts with `=`, `+`, `-`, `@`, a tab
/// or a carriage return, unless it is a number.
#[track_caller]
fn no_formula(what: &str, text: &str) -> usize {
    let rows = csv_cells(text);
    assert!(rows.len() > 1, "{what}: no rows");
    for row in &rows {
        for cell in row {
            let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
            assert!(
                !risky || cell.parse::<f64>().is_ok(),
                "{what}: the cell `{cell}` would run in a spreadsheet"
            );
        }
    }
    rows.len()
}

#[test]
fn no_csv_truce_writes_holds_a_formula_a_spreadsheet_would_run() {
    let dir = temp_dir("formulas");
    // Real rows whose place the source wrote as a formula (OWASP's example), and
    // one whose date is a formula (it is quarantined, value and all).
    const PLACE: &str = "=cmd|' /C calc'!A0";
    let text = std::fs::read_to_string(root().join(SYRIA_EVENTS)).expect("example data");
    let rows = csv_cells(&text);
    let column = |name: &str| rows[0].iter().position(|c| c == name).expect(name);
    let (place, date) = (column("where_coordinates"), column("date_start"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&rows[0]).expect("header");
    for row in rows.iter().skip(1).take(3000) {
        let mut row = row.clone();
        row[place] = PLACE.to_string();
        writer.write_record(&row).expect("row");
    }
    let mut bad = rows[1].clone();
    bad[date] = "=1+1".to_string();
    bad[0] = "99000001".to_string();
    writer.write_record(&bad).expect("row");
    let written = writer.into_inner().expect("CSV");
    let events = dir.join("formulas.csv");
    std::fs::write(&events, written).expect("write");
    let events = path_str(&events);

    let export = |what: &str| {
        let output = truce(&["export", SYRIA, what, "--events", events]);
        assert!(code(&output) <= 1, "{what}: {}", stderr(&output));
        stdout(&output)
    };
    let incidents = export("incidents-csv");
    assert!(no_formula("incidents-csv", &incidents) > 100);
    let cells = csv_cells(&incidents);
    let place_column = cells[0].iter().position(|c| c == "place").expect("place");
    assert!(
        cells[1..]
            .iter()
            .any(|row| row[place_column] == format!("'{PLACE}")),
        "the place is written as text"
    );
    no_formula("findings-csv", &export("findings-csv"));
    let hxl = export("reports-hxl");
    no_formula("reports-hxl", &hxl);
    // The HXL export reads back as it was made: the quote comes off again.
    let hxl_file = dir.join("reports.hxl.csv");
    std::fs::write(&hxl_file, &hxl).expect("write");
    let again = truce_words(&format!(
        "export {SYRIA} incidents-csv --events {}",
        path_str(&hxl_file)
    ));
    let places = |rows: &[Vec<String>]| -> Vec<String> {
        rows[1..]
            .iter()
            .map(|row| row[place_column].clone())
            .collect()
    };
    let (before, after) = (places(&cells), places(&csv_cells(&stdout(&again))));
    assert_eq!(before.len(), after.len());
    if let Some((b, a)) = before.iter().zip(&after).find(|(b, a)| b != a) {
        panic!("the HXL export reads back `{a}` for `{b}`");
    }
    for by in ["party", "zone"] {
        let weekly = truce_words(&format!(
            "timeline {SYRIA} --events {events} --format csv --by {by}"
        ));
        no_formula(&format!("timeline --by {by}"), &stdout(&weekly));
    }

    let db = dir.join("store.sqlite");
    let import = truce(&["import", events, "--db", path_str(&db)]);
    assert_eq!(code(&import), 1, "{}", stderr(&import));
    let quarantine = stdout(&truce(&["quarantine", "export", "--db", path_str(&db)]));
    no_formula("quarantine export", &quarantine);
    assert!(quarantine.contains(",'=1+1,"), "{quarantine}");
}

/// A file that fails as a whole — empty in any format, not UTF-8 — exits 2 and
/// leaves no open import run behind to be "resumed".
#[test]
fn a_file_that_fails_whole_exits_2_and_leaves_no_open_run() {
    let dir = temp_dir("whole-failure");
    let db = dir.join("store.sqlite");
    let empty_jsonl = dir.join("empty.jsonl");
    std::fs::write(&empty_jsonl, "\n  \n").expect("write");
    let empty_csv = dir.join("empty.csv");
    std::fs::write(&empty_csv, "").expect("write");
    let utf16 = dir.join("utf16.csv");
    std::fs::write(&utf16, b"\xff\xfei\x00d\x00").expect("write");
    for (file, format) in [
        (&empty_jsonl, Some("truce-jsonl")),
        (&empty_jsonl, None),
        (&empty_csv, None),
        (&utf16, None),
    ] {
        let mut args = vec!["import", path_str(file), "--db", path_str(&db)];
        if let Some(format) = format {
            args.extend(["--format", format]);
        }
        let output = truce(&args);
        assert_eq!(code(&output), 2, "{args:?}: {}", stderr(&output));
    }
    let runs = truce(&["runs", "--db", path_str(&db)]);
    let imports = import_ok(SYRIA_EVENTS, path_str(&db));
    // The next import is run 1: no failed run was kept, open or closed.
    assert!(
        stderr(&imports).contains("(import run 1)"),
        "{}{}",
        stderr(&imports),
        stdout(&runs)
    );
}
