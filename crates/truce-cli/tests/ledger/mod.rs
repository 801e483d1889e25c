//! The ledger's tamper tests (issue 5, "How it is judged"): one real bundle is made
//! from the Syria example with the real `truce` binary (keys, imports, two check runs,
//! two checkpoints, a witness cosignature); each test copies it, changes one real file
//! the way someone tampering would, and shows `truce ledger verify` or `replay` says
//! what changed and where, with exit code 1.

#![allow(
    clippy::unwrap_used,
    reason = "the tampering cases read the bundle they damage: a failed unwrap is a failed test, with its line"
)]

use super::{assert_contains, code, copy_folder, path_str, root, truce_in};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// What truce said, stdout then stderr.
fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Runs `truce` in `dir` and insists it exits with `expected`.
fn run_ok(dir: &Path, args: &[&str], expected: i32) -> String {
    let output = truce_in(dir, args);
    assert_eq!(
        code(&output),
        expected,
        "truce {}: {}",
        args.join(" "),
        said(&output)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// `run_ok` with the words of `line`, split at spaces (the fixture's paths have none).
fn run_words(dir: &Path, line: &str, expected: i32) -> String {
    run_ok(dir, &line.split_whitespace().collect::<Vec<_>>(), expected)
}

/// A check of `agreement` recorded in `db` as of `as_of` (it finds violations: exit 1),
/// then a checkpoint signed with `key`.
fn record_check_and_checkpoint(dir: &Path, agreement: &str, db: &str, as_of: &str, key: &str) {
    let a = agreement;
    run_words(
        dir,
        &format!("check {a} --record --db {db} --as-of {as_of}"),
        1,
    );
    run_words(
        dir,
        &format!("ledger checkpoint {a} --db {db} --key {key}"),
        0,
    );
}

// ------------------------------------------------------------------ fixture

/// The bundle every test starts from, and what made it.
struct Fixture {
    /// The folder holding everything below.
    dir: PathBuf,
    /// The exported bundle, its latest checkpoint cosigned by `usa`.
    bundle: PathBuf,
    /// The mission's public key, as the agreement lists it.
    mission_public: String,
    /// The mission's private key file.
    mission_key: PathBuf,
    /// A key of the same name `task-force` that is not the mission's.
    impostor_key: PathBuf,
    impostor_public: String,
    /// The party `usa`'s private key file and the state its witness keeps.
    usa_key: PathBuf,
    usa_state: PathBuf,
}

impl Fixture {
    fn at(dir: PathBuf) -> Fixture {
        let public = |name: &str| {
            std::fs::read_to_string(dir.join(name))
                .expect("public key")
                .trim()
                .to_string()
        };
        Fixture {
            bundle: dir.join("bundle"),
            mission_public: public("mission.pub"),
            mission_key: dir.join("mission.key"),
            impostor_key: dir.join("impostor.key"),
            impostor_public: public("impostor.pub"),
            usa_key: dir.join("usa.key"),
            usa_state: dir.join("usa.state"),
            dir,
        }
    }

    /// The copy of the Syria agreement that lists the keys.
    fn agreement(&self) -> PathBuf {
        self.dir.join("ex/agreement.toml")
    }
}

/// Builds the fixture in `dir`: what a mission and a party would do by hand.
fn build_fixture(dir: &Path) {
    let example = root().join("examples/syria-2016");
    copy_folder(&example, &dir.join("ex"));
    let mut keys = Vec::new();
    for (args, public) in [
        (
            &["--name", "task-force", "-o", "mission.key"][..],
            "mission.pub",
        ),
        (
            &["--name", "task-force", "-o", "impostor.key"][..],
            "impostor.pub",
        ),
        (&["--party", "usa", "-o", "usa.key"][..], "usa.pub"),
        (&["--party", "russia", "-o", "russia.key"][..], "russia.pub"),
    ] {
        let mut all = vec!["keys", "generate"];
        all.extend_from_slice(args);
        let key = run_ok(dir, &all, 0).trim().to_string();
        std::fs::write(dir.join(public), format!("{key}\n")).expect("write the public key");
        keys.push(key);
    }
    let agreement = dir.join("ex/agreement.toml");
    let text = std::fs::read_to_string(&agreement).expect("the example agreement");
    let with_key = |text: String, party: &str, key: &str| {
        let line = format!("id = \"{party}\"\n");
        assert!(text.contains(&line), "the example has a party `{party}`");
        text.replacen(&line, &format!("{line}keys = [\"{key}\"]\n"), 1)
    };
    let text = with_key(text, "usa", &keys[2]);
    let text = with_key(text, "russia", &keys[3]);
    let text = format!(
        "{text}\n[ledger]\norigin = \"task-force.example/syria-2016\"\nmission_keys = [\"{}\"]\n",
        keys[0]
    );
    std::fs::write(&agreement, text).expect("write the agreement");
    let a = "ex/agreement.toml";
    run_words(dir, "import ex/data/ged191_syria_2016.csv --db s.db", 0);
    record_check_and_checkpoint(dir, a, "s.db", "2016-12-31", "mission.key");
    // The second check is made as of another day: two check runs with different
    // findings, and no other record between them (a deletion would be one).
    record_check_and_checkpoint(dir, a, "s.db", "2016-10-31", "mission.key");
    run_words(dir, &format!("ledger export {a} --db s.db -o bundle"), 0);
    run_words(
        dir,
        "ledger witness bundle --key usa.key --state usa.state -o cosigned.note",
        0,
    );
    // The party hands its cosignature back; the bundle carries it.
    std::fs::copy(
        dir.join("cosigned.note"),
        dir.join("bundle/checkpoints/000002.note"),
    )
    .expect("the cosigned checkpoint");
    // The same ledger for the public and for one party's liaisons.
    for (reader, out) in [
        ("public", "bundle-public"),
        ("party:russia", "bundle-russia"),
    ] {
        let said = run_words(
            dir,
            &format!("ledger export {a} --db s.db -o {out} --for {reader}"),
            0,
        );
        assert!(said.contains("bundle written to"), "{said}");
    }
    // The store is large and no test needs it again.
    for name in ["s.db", "s.db-wal", "s.db-shm"] {
        let _ = std::fs::remove_file(dir.join(name));
    }
}

/// The fixture, made once for all the tests of this binary: once per process
/// (OnceLock), and shared between the processes nextest starts for each test through
/// a folder named after the two binaries, built by the first one under a lock file.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for exe in [
            PathBuf::from(env!("CARGO_BIN_EXE_truce")),
            std::env::current_exe().expect("the test binary"),
        ] {
            let meta = std::fs::metadata(&exe).expect("binary metadata");
            (exe, meta.len(), meta.modified().ok()).hash(&mut hasher);
        }
        let tmp = std::env::temp_dir();
        let name = format!("truce-ledger-fixture-{:016x}", hasher.finish());
        let ready = tmp.join(&name);
        let lock = tmp.join(format!("{name}.lock"));
        let started = Instant::now();
        loop {
            if ready.join("ready").exists() {
                return Fixture::at(ready);
            }
            let locked = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&lock);
            match locked {
                Ok(mut file) => {
                    use std::io::Write;
                    let _ = write!(file, "{}", std::process::id());
                    let building = tmp.join(format!("{name}.building-{}", std::process::id()));
                    let _ = std::fs::remove_dir_all(&building);
                    std::fs::create_dir_all(&building).expect("fixture folder");
                    build_fixture(&building);
                    std::fs::write(building.join("ready"), "").expect("ready mark");
                    let _ = std::fs::remove_dir_all(&ready);
                    std::fs::rename(&building, &ready).expect("publish the fixture");
                    let _ = std::fs::remove_file(&lock);
                    remove_old_fixtures(&tmp, &name);
                    return Fixture::at(ready);
                }
                Err(_) => {
                    // Another process builds it; a lock whose process is gone is stale.
                    let holder = std::fs::read_to_string(&lock).unwrap_or_default();
                    if !holder.is_empty()
                        && Path::new("/proc/self").exists()
                        && !Path::new("/proc").join(holder.trim()).exists()
                    {
                        let _ = std::fs::remove_file(&lock);
                        continue;
                    }
                    assert!(
                        started.elapsed() < Duration::from_secs(900),
                        "waited 15 minutes for the ledger fixture ({})",
                        lock.display()
                    );
                    std::thread::sleep(Duration::from_millis(200));
                }
            }
        }
    })
}

/// Fixtures of earlier builds of the binaries, a day old or more, are removed.
fn remove_old_fixtures(tmp: &Path, current: &str) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > Duration::from_secs(24 * 3600));
        if name.starts_with("truce-ledger-fixture-") && !name.starts_with(current) && old {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// A fresh copy of one of the fixture's bundles made for a reader (`bundle-public`,
/// `bundle-russia`).
impl Scratch {
    fn bundle_for(&self, name: &str) -> PathBuf {
        let bundle = self.0.join(name);
        copy_folder(&fixture().dir.join(name), &bundle);
        bundle
    }
}

/// A folder of one test, removed when the test ends.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("truce-ledger-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        Scratch(dir)
    }

    /// A fresh copy of the fixture's bundle.
    fn bundle(&self) -> PathBuf {
        let bundle = self.0.join("bundle");
        copy_folder(&fixture().bundle, &bundle);
        bundle
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A scratch folder named after `name` and a fresh copy of the fixture's bundle in
/// it; keep the folder while the bundle is used (it is removed when dropped).
fn fresh_bundle(name: &str) -> (Scratch, PathBuf) {
    let scratch = Scratch::new(name);
    let bundle = scratch.bundle();
    (scratch, bundle)
}

/// Rewrites the log of `bundle` after `change` has changed its lines.
fn rewrite_log(bundle: &Path, change: impl FnOnce(&mut Vec<String>)) {
    let mut lines = log_lines(bundle);
    change(&mut lines);
    write_log(bundle, &lines);
}

/// The command exited 0; what it said is shown when not.
#[track_caller]
fn assert_succeeded(output: &Output) {
    assert_eq!(code(output), 0, "{}", said(output));
}

fn verify(bundle: &Path, key: Option<&str>) -> Output {
    let mut args = vec!["ledger", "verify", path_str(bundle)];
    if let Some(key) = key {
        args.extend(["--key", key]);
    }
    truce_in(&root(), &args)
}

fn replay(bundle: &Path) -> Output {
    truce_in(&root(), &["ledger", "replay", path_str(bundle)])
}

/// The check failed (exit 1) and said each of `phrases`.
#[track_caller]
fn assert_refused(output: &Output, phrases: &[&str]) {
    let text = said(output);
    assert_eq!(code(output), 1, "expected exit 1:\n{text}");
    for phrase in phrases {
        assert!(text.contains(phrase), "`{phrase}` not said:\n{text}");
    }
}

/// The bundle is refused by verify, with the real mission key pinned and without.
#[track_caller]
fn assert_not_verified(bundle: &Path, phrases: &[&str]) {
    let pinned = verify(bundle, Some(&fixture().mission_public));
    assert_refused(&pinned, phrases);
    assert!(said(&pinned).contains("NOT verified"), "{}", said(&pinned));
    let unpinned = verify(bundle, None);
    assert_refused(&unpinned, phrases);
}

fn log_lines(bundle: &Path) -> Vec<String> {
    std::fs::read_to_string(bundle.join("log.jsonl"))
        .expect("log.jsonl")
        .lines()
        .map(str::to_string)
        .collect()
}

fn write_log(bundle: &Path, lines: &[String]) {
    let mut text = lines.join("\n");
    text.push('\n');
    std::fs::write(bundle.join("log.jsonl"), text).expect("write log.jsonl");
}

fn record(bundle: &Path, index: usize) -> serde_json::Value {
    serde_json::from_str(&log_lines(bundle)[index]).expect("a JSON record")
}

/// Signs every checkpoint of `bundle` again over its log as it now is, with `key`:
/// what the mission (or whoever holds `key`) would do to make a changed log look signed.
fn resign(bundle: &Path, key: &Path) {
    let signer =
        truce_audit::SignerKey::parse(std::fs::read_to_string(key).expect("a private key").trim())
            .expect("a signer key");
    let mut tree = truce_audit::Tree::new();
    for line in log_lines(bundle) {
        tree.append_record(line.as_bytes());
    }
    for path in checkpoint_paths(bundle) {
        let text = std::fs::read_to_string(&path).expect("a checkpoint");
        let mut lines = text.lines();
        let origin = lines.next().expect("origin").to_string();
        let size: u64 = lines.next().expect("size").parse().expect("a size");
        let checkpoint =
            truce_audit::Checkpoint::new(origin, size, tree.root_at(size).expect("a root"));
        let note = checkpoint.sign(&signer).expect("signed");
        std::fs::write(&path, note.to_bytes()).expect("write the checkpoint");
    }
}

fn checkpoint_paths(bundle: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(bundle.join("checkpoints"))
        .expect("checkpoints/")
        .map(|e| e.expect("an entry").path())
        .collect();
    paths.sort();
    paths
}

/// The sha256 of the evidence check run `n` (entry 2 or 3) read, as its record says.
fn evidence_sha(bundle: &Path, entry: usize) -> String {
    record(bundle, entry)["evidence_sha256"]
        .as_str()
        .expect("a check-run record")
        .to_string()
}

/// The agreement version's record (entry 1).
fn agreement_record(bundle: &Path) -> serde_json::Value {
    let lines = log_lines(bundle);
    let line = lines
        .iter()
        .find(|l| l.contains(r#""type":"agreement-version""#))
        .expect("an agreement-version record");
    serde_json::from_str(line).expect("JSON")
}

/// Changes the byte at `offset` of `path` (xor `mask`, which is not 0).
fn flip(path: &Path, offset: usize, mask: u8) {
    let mut bytes = std::fs::read(path).expect("read the file to tamper with");
    bytes[offset] ^= mask;
    std::fs::write(path, bytes).expect("write the tampered file");
}

// ------------------------------------------------------------ untouched

#[test]
fn an_untouched_bundle_verifies_and_replays() {
    let (_scratch, bundle) = fresh_bundle("untouched");
    let f = fixture();
    let output = verify(&bundle, Some(&f.mission_public));
    assert_succeeded(&output);
    let text = said(&output);
    for phrase in [
        "4 entries, 2 checkpoint(s)",
        "checkpoints/000001.note: 3 entries",
        "checkpoints/000002.note: 4 entries",
        "signed by task-force, cosigned by usa (usa)",
        "verified: every hash, signature and proof holds; the log only grew",
    ] {
        assert!(text.contains(phrase), "`{phrase}` not said:\n{text}");
    }
    // Without --key it still verifies, and says where the key came from.
    let output = verify(&bundle, None);
    assert_succeeded(&output);
    assert!(said(&output).contains("the mission's key was taken from the bundle's keys.txt"));
    let output = replay(&bundle);
    assert_succeeded(&output);
    let text = said(&output);
    assert!(text.contains("replayed 2 check run(s)"), "{text}");
    assert!(
        text.contains("entry 2, check run 1: same findings"),
        "{text}"
    );
    assert!(
        text.contains("entry 3, check run 2: same findings"),
        "{text}"
    );
    assert!(
        text.contains("replayed: every check gives the recorded findings"),
        "{text}"
    );
    // What the bundle holds: the layout docs/trust.md describes.
    for name in [
        "README.txt",
        "bundle.json",
        "log.jsonl",
        "keys.txt",
        "checkpoints/000001.note",
        "checkpoints/000002.note",
    ] {
        assert!(bundle.join(name).is_file(), "{name} missing");
    }
    let sha = agreement_record(&bundle)["canonical_sha256"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(bundle.join("files").join(sha).is_file());
    assert!(
        bundle
            .join("files")
            .join(evidence_sha(&bundle, 2))
            .is_file()
    );
}

// -------------------------------------------------------------- the log

#[test]
fn a_changed_byte_of_the_log_is_seen_and_placed() {
    let (_scratch, bundle) = fresh_bundle("log-byte");
    // Change one hex digit of the last check run's findings hash: the line is still
    // canonical JSON, only the signed root tells.
    rewrite_log(&bundle, |lines| {
        let at = lines[3].find("\"findings_sha256\":\"").unwrap() + 20;
        let mut bytes = lines[3].clone().into_bytes();
        bytes[at] = if bytes[at] == b'0' { b'1' } else { b'0' };
        lines[3] = String::from_utf8(bytes).unwrap();
    });
    assert_not_verified(
        &bundle,
        &[
            "checkpoints/000002.note: the signed root of the first 4 entries is",
            "an entry was changed, removed, added or moved",
            "the first 3 entries still match an earlier checkpoint, so the change is at log.jsonl line 4 or after",
        ],
    );
    // A byte that breaks the JSON is named by its line.
    let (_scratch, bundle) = fresh_bundle("log-byte-json");
    let log = bundle.join("log.jsonl");
    let first_line_end = std::fs::read(&log)
        .unwrap()
        .iter()
        .position(|b| *b == b'\n')
        .unwrap();
    flip(&log, first_line_end + 1, b'{' ^ b'[');
    assert_not_verified(
        &bundle,
        &[
            "log.jsonl line 2: not a canonical record",
            "checkpoints/000001.note: the signed root of the first 3 entries",
        ],
    );
}

#[test]
fn a_dropped_record_is_seen() {
    let (_scratch, bundle) = fresh_bundle("drop");
    rewrite_log(&bundle, |lines| {
        lines.remove(1);
    });
    assert_not_verified(
        &bundle,
        &[
            "checkpoints/000001.note: the signed root of the first 3 entries",
            "checkpoints/000002.note: signs a log of 4 entries, but log.jsonl holds 3: entries were removed",
            "bundle.json: says the log has 4 entries, but log.jsonl holds 3",
        ],
    );
    // The check runs now name an agreement version no earlier entry records.
    assert_refused(
        &verify(&bundle, None),
        &["log.jsonl line 2 (entry 1): check run 1 names the agreement version"],
    );
    assert_refused(&replay(&bundle), &["no earlier agreement-version entry"]);
}

#[test]
fn reordered_records_are_seen() {
    // The two check runs swapped; then a check run moved before the agreement version
    // it checked, which is seen for what it is.
    let cases = [
        (
            "reorder",
            (2, 3),
            [
                "checkpoints/000001.note: the signed root of the first 3 entries",
                "checkpoints/000002.note: the signed root of the first 4 entries",
            ],
        ),
        (
            "reorder-version",
            (1, 2),
            [
                "log.jsonl line 2 (entry 1): check run 1 names the agreement version",
                "but no earlier agreement-version entry records it",
            ],
        ),
    ];
    for (name, (a, b), phrases) in cases {
        let (_scratch, bundle) = fresh_bundle(name);
        rewrite_log(&bundle, |lines| lines.swap(a, b));
        let changed = "an entry was changed, removed, added or moved";
        assert_not_verified(&bundle, &[&phrases[..], &[changed]].concat());
    }
}

#[test]
fn an_inserted_record_is_seen() {
    let (_scratch, bundle) = fresh_bundle("insert");
    // A plausible record: check run 1 again, between the two runs.
    rewrite_log(&bundle, |lines| {
        let copy = lines[2].replace("\"check_run\":1", "\"check_run\":7");
        lines.insert(3, copy);
    });
    assert_not_verified(
        &bundle,
        &[
            "checkpoints/000002.note: the signed root of the first 4 entries",
            "the change is at log.jsonl line 4 or after",
            "bundle.json: says the log has 4 entries, but log.jsonl holds 5",
            "log.jsonl lines 4 to 5: 2 entries come after the last checkpoint that holds",
        ],
    );
    // Appended after the last checkpoint, a record has no signature to break, and
    // that is what verify says.
    let (_scratch, bundle) = fresh_bundle("append");
    rewrite_log(&bundle, |lines| {
        lines.push(lines[3].replace("\"check_run\":2", "\"check_run\":3"))
    });
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(bundle.join("bundle.json")).unwrap()).unwrap();
    manifest["entries"] = 5.into();
    std::fs::write(bundle.join("bundle.json"), manifest.to_string()).unwrap();
    assert_not_verified(
        &bundle,
        &[
            "log.jsonl line 5: 1 entry comes after the last checkpoint that holds, so no signature vouches for it",
        ],
    );
}

#[test]
fn a_truncated_log_is_seen() {
    let (_scratch, bundle) = fresh_bundle("truncate");
    let log = bundle.join("log.jsonl");
    let bytes = std::fs::read(&log).unwrap();
    std::fs::write(&log, &bytes[..bytes.len() - 200]).unwrap();
    assert_not_verified(
        &bundle,
        &[
            "log.jsonl: the last line is cut short (no line end): the log was truncated",
            "log.jsonl line 4: not a canonical record",
            "checkpoints/000002.note: the signed root of the first 4 entries",
        ],
    );
    // Cut at a line end: whole entries are missing.
    let (_scratch, bundle) = fresh_bundle("truncate-lines");
    let lines = log_lines(&bundle);
    write_log(&bundle, &lines[..2]);
    assert_not_verified(
        &bundle,
        &[
            "checkpoints/000001.note: signs a log of 3 entries, but log.jsonl holds 2: entries were removed",
            "checkpoints/000002.note: signs a log of 4 entries, but log.jsonl holds 2: entries were removed",
        ],
    );
}

// ------------------------------------------------------- checkpoints, keys

#[test]
fn a_checkpoint_signed_with_another_key_is_refused() {
    let (_scratch, bundle) = fresh_bundle("impostor-checkpoint");
    let f = fixture();
    // Same key name `task-force`, another key: signed over the very same log.
    let text = std::fs::read_to_string(bundle.join("checkpoints/000002.note")).unwrap();
    let body = text.split("\n\n").next().unwrap().to_string() + "\n";
    let checkpoint = truce_audit::Checkpoint::parse_text(&body).unwrap();
    let impostor =
        truce_audit::SignerKey::parse(std::fs::read_to_string(&f.impostor_key).unwrap().trim())
            .unwrap();
    let note = checkpoint.sign(&impostor).unwrap();
    std::fs::write(bundle.join("checkpoints/000002.note"), note.to_bytes()).unwrap();
    assert_not_verified(
        &bundle,
        &[
            "checkpoints/000002.note: not a checkpoint signed by the mission's key",
            "the note has no signature by a known key",
            "log.jsonl line 4: 1 entry comes after the last checkpoint that holds",
        ],
    );
    // Replaced by a copy of the first checkpoint: the last entry is signed by none.
    let (_scratch, bundle) = fresh_bundle("older-checkpoint");
    std::fs::copy(
        bundle.join("checkpoints/000001.note"),
        bundle.join("checkpoints/000002.note"),
    )
    .unwrap();
    assert_not_verified(
        &bundle,
        &["log.jsonl line 4: 1 entry comes after the last checkpoint that holds"],
    );
}

#[test]
fn a_swapped_mission_key_is_refused_with_and_without_pinning() {
    let f = fixture();
    let swap = |bundle: &Path| {
        let keys = std::fs::read_to_string(bundle.join("keys.txt")).unwrap();
        assert!(keys.contains(&f.mission_public));
        std::fs::write(
            bundle.join("keys.txt"),
            keys.replace(&f.mission_public, &f.impostor_public),
        )
        .unwrap();
    };
    // The key alone: the checkpoints no longer verify.
    let (_scratch, bundle) = fresh_bundle("swap-key");
    swap(&bundle);
    assert_refused(
        &verify(&bundle, None),
        &[
            "keys.txt line 1: the mission key",
            "is not one the log's agreement versions name (`[ledger] mission_keys`): the bundle's keys were changed",
            "checkpoints/000001.note: not a checkpoint signed by the mission's key",
            "log.jsonl: no checkpoint holds, so no signature vouches for any of its 4 entries",
        ],
    );
    assert_refused(
        &verify(&bundle, Some(&f.mission_public)),
        &["which is not the key you gave (--key): the bundle's keys were swapped"],
    );
    // The key and checkpoints signed again with it: the log still names the real key.
    let (_scratch, bundle) = fresh_bundle("swap-key-resign");
    swap(&bundle);
    resign(&bundle, &f.impostor_key);
    assert_refused(
        &verify(&bundle, None),
        &["is not one the log's agreement versions name (`[ledger] mission_keys`)"],
    );
    assert_refused(
        &verify(&bundle, Some(&f.mission_public)),
        &[
            "the bundle's keys were swapped",
            "checkpoints/000002.note: not a checkpoint signed by the mission's key",
        ],
    );
}

#[test]
fn a_wholly_forged_bundle_is_caught_by_the_pinned_key() {
    // Whoever rewrites the log itself (the agreement version naming their key),
    // keys.txt and every checkpoint makes a bundle consistent in itself: only the
    // mission key the liaison got from the mission directly tells (docs/trust.md).
    let f = fixture();
    let (_scratch, bundle) = fresh_bundle("forged");
    let lines: Vec<String> = log_lines(&bundle)
        .into_iter()
        .map(|l| l.replace(&f.mission_public, &f.impostor_public))
        .collect();
    write_log(&bundle, &lines);
    let keys = std::fs::read_to_string(bundle.join("keys.txt")).unwrap();
    std::fs::write(
        bundle.join("keys.txt"),
        keys.replace(&f.mission_public, &f.impostor_public),
    )
    .unwrap();
    resign(&bundle, &f.impostor_key);
    let unpinned = verify(&bundle, None);
    assert_succeeded(&unpinned);
    assert!(said(&unpinned).contains("give --key with the key you know from the mission"));
    assert_refused(
        &verify(&bundle, Some(&f.mission_public)),
        &[
            "the bundle's keys were swapped",
            "checkpoints/000001.note: not a checkpoint signed by the mission's key",
        ],
    );
}

#[test]
fn a_forged_signature_is_refused() {
    let (_scratch, bundle) = fresh_bundle("forge");
    let path = bundle.join("checkpoints/000001.note");
    let text = std::fs::read_to_string(&path).unwrap();
    // A character in the middle of the mission's signature (not the last one, whose
    // low bits base64 fixes).
    let at = text.find("— task-force ").unwrap() + "— task-force ".len() + 30;
    let byte = text.as_bytes()[at];
    let mut bytes = text.into_bytes();
    bytes[at] = if byte == b'A' { b'B' } else { b'A' };
    std::fs::write(&path, bytes).unwrap();
    assert_not_verified(
        &bundle,
        &[
            "checkpoints/000001.note: not a checkpoint signed by the mission's key",
            "the signature on line 5 by `task-force`",
            "does not verify: the note was changed after it was signed, or the signature is forged",
        ],
    );
}

#[test]
fn a_forged_or_renamed_cosignature_is_refused() {
    let (_scratch, bundle) = fresh_bundle("cosignature");
    let path = bundle.join("checkpoints/000002.note");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\n— usa "), "{text}");
    // A character of the cosignature itself, past its key id and time.
    let at = text.find("— usa ").unwrap() + "— usa ".len() + 30;
    let mut bytes = text.clone().into_bytes();
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    std::fs::write(&path, bytes).unwrap();
    assert_not_verified(
        &bundle,
        &[
            "the signature on line 6 by `usa`",
            "or the signature is forged",
        ],
    );
    // The cosigner's name changed: a signature nobody in the bundle can check.
    std::fs::write(&path, text.replace("\n— usa ", "\n— usb ")).unwrap();
    assert_not_verified(
        &bundle,
        &[
            "checkpoints/000002.note line 6: a signature by `usb`",
            "that no key of keys.txt can check",
        ],
    );
}

#[test]
fn changed_party_keys_are_refused() {
    let f = fixture();
    let (_scratch, bundle) = fresh_bundle("party-keys");
    let keys = std::fs::read_to_string(bundle.join("keys.txt")).unwrap();
    // The usa key given to another party.
    std::fs::write(
        bundle.join("keys.txt"),
        keys.replace("party usa ", "party opposition "),
    )
    .unwrap();
    assert_not_verified(
        &bundle,
        &["of party `opposition` is not one the log's agreement versions give that party"],
    );
    // The usa key left out: its cosignature can no longer be checked.
    let without: String = keys
        .lines()
        .filter(|l| !l.starts_with("party usa "))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(bundle.join("keys.txt"), without).unwrap();
    assert_not_verified(
        &bundle,
        &["checkpoints/000002.note line 6: a signature by `usa`"],
    );
    // A tab for a space reads the same to a person: keys.txt is read strictly.
    std::fs::write(bundle.join("keys.txt"), keys.replacen(' ', "\t", 1)).unwrap();
    assert_refused(
        &verify(&bundle, Some(&f.mission_public)),
        &["keys.txt line 1: expected `mission KEY` or `party ID KEY`"],
    );
}

// ---------------------------------------------------------------- files

#[test]
fn an_edited_evidence_file_is_refused() {
    let (_scratch, bundle) = fresh_bundle("evidence");
    let sha = evidence_sha(&bundle, 3);
    let path = bundle.join("files").join(&sha);
    let text = std::fs::read_to_string(&path).unwrap();
    // One more person killed in the first report.
    let edited = text.replacen("\"best\":", "\"best\":1", 1);
    assert_ne!(edited, text, "the evidence holds casualty figures");
    std::fs::write(&path, edited).unwrap();
    assert_not_verified(
        &bundle,
        &[&format!(
            "files/{sha}: its content is not what entry 3 recorded for the evidence it read (sha256 differs): the file was edited"
        )],
    );
    assert_refused(
        &replay(&bundle),
        &[
            "✗ entry 3, check run 2: cannot replay",
            &format!("files/{sha}: the evidence was edited"),
            // Both checks read the same evidence (the second is as of another day).
            "✗ entry 2, check run 1: cannot replay",
            "NOT reproduced: 2 check run(s)",
        ],
    );
    // Removed: named as missing.
    std::fs::remove_file(&path).unwrap();
    assert_not_verified(
        &bundle,
        &[&format!(
            "files/{sha}: missing; entry 3 names it as the evidence it read"
        )],
    );
}

#[test]
fn an_edited_agreement_text_is_refused() {
    let (_scratch, bundle) = fresh_bundle("agreement");
    let version = agreement_record(&bundle);
    let sha = version["canonical_sha256"].as_str().unwrap();
    let path = bundle.join("files").join(sha);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("2016-09-12", "2016-09-13", 1)).unwrap();
    assert_not_verified(
        &bundle,
        &[&format!(
            "files/{sha}: its content is not what entry 1 recorded for the agreement's text (sha256 differs): the file was edited"
        )],
    );
    assert_refused(
        &replay(&bundle),
        &[&format!("files/{sha}: the agreement's text was edited")],
    );
    // A file the agreement reads (its zones) is named by its path.
    let (_scratch, bundle) = fresh_bundle("agreement-zones");
    let zones = version["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with(".geojson"))
        .expect("the agreement reads a GeoJSON file");
    let sha = zones["sha256"].as_str().unwrap();
    flip(&bundle.join("files").join(sha), 100, 0x01);
    assert_not_verified(
        &bundle,
        &[&format!(
            "files/{sha}: its content is not what entry 1 recorded for `{}`",
            zones["path"].as_str().unwrap()
        )],
    );
}

// -------------------------------------------- what the mission itself signs

#[test]
fn findings_the_mission_signed_but_did_not_make_fail_replay() {
    // The mission (holding its key) records findings its check did not give: every
    // signature holds, and only replay shows it.
    let f = fixture();
    let (_scratch, bundle) = fresh_bundle("lying-mission");
    let mut lines = log_lines(&bundle);
    let recorded = record(&bundle, 3)["findings_sha256"]
        .as_str()
        .unwrap()
        .to_string();
    let forged = "0".repeat(64);
    lines[3] = lines[3].replace(&recorded, &forged);
    write_log(&bundle, &lines);
    resign(&bundle, &f.mission_key);
    let output = verify(&bundle, Some(&f.mission_public));
    assert_succeeded(&output);
    assert_refused(
        &replay(&bundle),
        &[
            &format!(
                "✗ entry 3, check run 2: the findings differ: recorded \"{forged}\", replayed {recorded}"
            ),
            "NOT reproduced: 1 check run(s)",
        ],
    );
}

#[test]
fn records_that_do_not_hold_together_are_refused_even_when_signed() {
    let f = fixture();
    let (_scratch, bundle) = fresh_bundle("records");
    let mut lines = log_lines(&bundle);
    lines[0] = lines[0].replace("\"type\":\"import-run\"", "\"type\":\"import-rum\"");
    let version = agreement_record(&bundle)["canonical_sha256"]
        .as_str()
        .unwrap()
        .to_string();
    lines[3] = lines[3].replace(
        &format!("\"agreement_sha256\":\"{version}\""),
        &format!("\"agreement_sha256\":\"{}\"", "a".repeat(64)),
    );
    write_log(&bundle, &lines);
    resign(&bundle, &f.mission_key);
    assert_not_verified(
        &bundle,
        &[
            "log.jsonl line 1 (entry 0): unknown record type `import-rum`",
            &format!(
                "log.jsonl line 4 (entry 3): check run 2 names the agreement version {}, but no earlier agreement-version entry records it",
                "a".repeat(64)
            ),
        ],
    );
}

// ------------------------------------------------------ random corruption

/// SplitMix64: a small, well-known generator, so a failing case is replayed from its seed.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Property: one byte changed anywhere in a file of the bundle (the log, a checkpoint,
/// keys.txt, any file under files/) is always caught by verify or replay. The cases
/// are drawn from a seed printed on failure; `TRUCE_TAMPER_SEED` replays one run.
#[test]
fn every_random_single_byte_corruption_is_detected() {
    let cases: usize = std::env::var("TRUCE_TAMPER_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64);
    let seed: u64 = std::env::var("TRUCE_TAMPER_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    let mut random = SplitMix(seed);
    let (_scratch, bundle) = fresh_bundle("random");
    let mut targets = vec![bundle.join("log.jsonl"), bundle.join("keys.txt")];
    targets.extend(checkpoint_paths(&bundle));
    let mut files: Vec<PathBuf> = std::fs::read_dir(bundle.join("files"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    targets.extend(files);
    let key = fixture().mission_public.clone();
    for case in 0..cases {
        let path = &targets[random.below(targets.len())];
        let original = std::fs::read(path).unwrap();
        let offset = random.below(original.len());
        let mask = 1 + random.below(255) as u8;
        let mut bytes = original.clone();
        bytes[offset] ^= mask;
        std::fs::write(path, &bytes).unwrap();
        let what = format!(
            "case {case} of seed {seed}: byte {offset} of {} xor 0x{mask:02x}",
            path.strip_prefix(&bundle).unwrap().display()
        );
        let checked = verify(&bundle, Some(&key));
        match code(&checked) {
            1 => {}
            0 => {
                let replayed = replay(&bundle);
                assert_eq!(
                    code(&replayed),
                    1,
                    "NOT detected, {what}:\n{}\n{}",
                    said(&checked),
                    said(&replayed)
                );
            }
            other => panic!("verify exited {other}, {what}:\n{}", said(&checked)),
        }
        std::fs::write(path, &original).unwrap();
    }
    // And the bundle, restored, verifies again.
    let output = verify(&bundle, Some(&key));
    assert_succeeded(&output);
}

// ------------------------------------------------------------- proofs

#[test]
fn check_proof_accepts_the_real_proof_and_refuses_a_tampered_one() {
    let f = fixture();
    let (scratch, bundle) = fresh_bundle("proof");
    let proof = run_ok(&root(), &["ledger", "prove", path_str(&bundle), "2"], 0);
    let document: serde_json::Value = serde_json::from_str(&proof).expect("a JSON proof");
    assert_eq!(document["index"], 2);
    assert_eq!(document["tree_size"], 4);
    let check = |document: &serde_json::Value, name: &str| {
        let path = scratch.0.join(name);
        std::fs::write(&path, document.to_string()).unwrap();
        truce_in(
            &root(),
            &[
                "ledger",
                "check-proof",
                path_str(&path),
                "--key",
                &f.mission_public,
            ],
        )
    };
    let output = check(&document, "real.json");
    assert_succeeded(&output);
    assert!(
        said(&output).contains(
            "✓ the record is entry 2 of the log `task-force.example/syria-2016` of 4 entries signed by task-force"
        ),
        "{}",
        said(&output)
    );
    let mut moved = document.clone();
    moved["index"] = 1.into();
    assert_refused(&check(&moved, "index.json"), &["✗"]);
    // The proof with the text of one of its fields changed.
    let with_field_edited = |field: &str, from: &str, to: &str| {
        let mut edited = document.clone();
        edited[field] = document[field]
            .as_str()
            .unwrap()
            .replacen(from, to, 1)
            .into();
        edited
    };
    let edited = with_field_edited("record", "\"check_run\":1", "\"check_run\":9");
    assert_ne!(edited["record"], document["record"]);
    assert_refused(&check(&edited, "record.json"), &["✗"]);
    let mut hashed = document.clone();
    let first = hashed["proof"][0].as_str().unwrap().to_string();
    let changed = match first.strip_prefix('0') {
        Some(rest) => format!("1{rest}"),
        None => format!("0{}", &first[1..]),
    };
    hashed["proof"][0] = changed.into();
    assert_refused(&check(&hashed, "hash.json"), &["✗"]);
    let resized = with_field_edited("checkpoint", "\n4\n", "\n5\n");
    assert_refused(
        &check(&resized, "checkpoint.json"),
        &["✗ the checkpoint is not signed by `task-force`"],
    );
    // And the impostor's key does not vouch for the real proof.
    let path = scratch.0.join("real.json");
    let output = truce_in(
        &root(),
        &[
            "ledger",
            "check-proof",
            path_str(&path),
            "--key",
            &f.impostor_public,
        ],
    );
    assert_refused(&output, &["✗ the checkpoint is not signed by `task-force`"]);
}

// ------------------------------------------------------------- witness

#[test]
fn the_witness_refuses_a_rewritten_history() {
    let f = fixture();
    let scratch = Scratch::new("witness");
    let dir = &scratch.0;
    let state = dir.join("usa.state");
    std::fs::copy(&f.usa_state, &state).unwrap();
    let usa_key = path_str(&f.usa_key);
    let witness = |bundle: &Path, out: &str| {
        truce_in(
            dir,
            &[
                "ledger",
                "witness",
                path_str(bundle),
                "--key",
                usa_key,
                "--state",
                path_str(&state),
                "-o",
                out,
            ],
        )
    };
    // The same bundle again: the same checkpoint, co-signed again.
    let output = witness(&f.bundle, "again.note");
    assert_succeeded(&output);
    assert!(said(&output).contains("co-signed the checkpoint of 4 entries"));
    // A second store, same agreement and keys, whose history differs from entry 2 on
    // (check run 1 was made as of another day) and has the same size, 4 entries.
    let agreement = path_str(&f.agreement()).to_string();
    let mission_key = path_str(&f.mission_key).to_string();
    let events = path_str(&f.dir.join("ex/data/ged191_syria_2016.csv")).to_string();
    let a = agreement.as_str();
    run_words(dir, &format!("import {events} --db other.db"), 0);
    for as_of in ["2016-10-31", "2016-11-30"] {
        record_check_and_checkpoint(dir, a, "other.db", as_of, &mission_key);
    }
    run_words(dir, &format!("ledger export {a} --db other.db -o other"), 0);
    let before = std::fs::read(&state).unwrap();
    let output = witness(&dir.join("other"), "other.note");
    assert_refused(
        &output,
        &["refused to co-sign: two different trees of size 4: history was rewritten"],
    );
    assert!(!dir.join("other.note").exists());
    assert_eq!(std::fs::read(&state).unwrap(), before, "the state is kept");
    // The other history grown larger: still not an extension of what usa co-signed.
    record_check_and_checkpoint(dir, a, "other.db", "2016-12-31", &mission_key);
    run_words(
        dir,
        &format!("ledger export {a} --db other.db -o other5"),
        0,
    );
    let output = witness(&dir.join("other5"), "other5.note");
    assert_refused(
        &output,
        &[
            "refused to co-sign: the log at size 5 is not shown to extend the log this witness cosigned at size 4, so history may have been rewritten",
            "does not",
        ],
    );
    // The other bundle verifies in itself: only a witness that kept its state sees the
    // split view.
    let output = verify(&dir.join("other5"), Some(&f.mission_public));
    assert_succeeded(&output);
}

// ---------------------------------------------------------------- keys

#[test]
fn a_key_file_is_private_and_never_overwritten() {
    let scratch = Scratch::new("keys");
    let dir = &scratch.0;
    let output = truce_in(
        dir,
        &["keys", "generate", "--party", "usa", "-o", "usa.key"],
    );
    assert_succeeded(&output);
    let public = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(public.starts_with("usa+"), "{public}");
    assert!(
        !said(&output).contains("PRIVATE"),
        "the secret is never printed"
    );
    let written = std::fs::read_to_string(dir.join("usa.key")).unwrap();
    assert!(written.starts_with("PRIVATE+KEY+usa+"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("usa.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
    }
    let output = truce_in(
        dir,
        &["keys", "generate", "--party", "usa", "-o", "usa.key"],
    );
    assert_eq!(code(&output), 2, "{}", said(&output));
    assert_contains(
        &said(&output),
        "cannot create the private key file `usa.key` (it must not exist yet)",
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("usa.key")).unwrap(),
        written,
        "the existing key is untouched"
    );
}

// ------------------------------------------------------------ for a reader

/// The lines of a bundle's log that stand for withheld entries.
fn withheld_lines(bundle: &Path) -> Vec<(usize, serde_json::Value)> {
    log_lines(bundle)
        .iter()
        .enumerate()
        .filter_map(|(n, line)| {
            let value: serde_json::Value = serde_json::from_str(line).expect("JSON");
            value.get("withheld").cloned().map(|w| (n, w))
        })
        .collect()
}

#[test]
fn a_bundle_for_the_public_verifies_from_hashes_but_cannot_replay() {
    let scratch = Scratch::new("public");
    let bundle = scratch.bundle_for("bundle-public");
    let f = fixture();
    let full = log_lines(&f.bundle);
    let lines = log_lines(&bundle);
    assert_eq!(
        lines.len(),
        full.len(),
        "every entry is in the public's bundle"
    );
    let withheld = withheld_lines(&bundle);
    // The check runs and the import run name the evidence's files: withheld; the
    // agreement's version is not.
    let types: Vec<&str> = withheld
        .iter()
        .map(|(_, w)| w["type"].as_str().unwrap_or(""))
        .collect();
    assert!(types.contains(&"check-run"), "{types:?}");
    assert!(!types.contains(&"agreement-version"), "{types:?}");
    for (n, marker) in &withheld {
        let leaf = truce_audit::leaf_hash(full[*n].as_bytes()).to_hex();
        assert_eq!(marker["leaf_hash"], leaf.as_str(), "entry {n}'s leaf hash");
    }
    assert!(
        !bundle.join("files").exists(),
        "the public's bundle holds no file"
    );
    let output = verify(&bundle, Some(&f.mission_public));
    assert_succeeded(&output);
    let text = said(&output);
    assert!(
        text.contains(&format!(
            "made for the public: {} entries given by their hash only",
            withheld.len()
        )),
        "{text}"
    );
    assert!(
        text.contains("verified: every hash, signature and proof holds"),
        "{text}"
    );
    let output = replay(&bundle);
    assert_refused(
        &output,
        &[
            "a check run withheld from this bundle (the disclosure policy withholds it from the public): not replayed",
            "could not be replayed, because this bundle was made for the public",
        ],
    );
}

#[test]
fn a_bundle_for_a_party_verifies_and_replays() {
    let scratch = Scratch::new("party");
    let bundle = scratch.bundle_for("bundle-russia");
    let f = fixture();
    let output = verify(&bundle, Some(&f.mission_public));
    assert_succeeded(&output);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(bundle.join("bundle.json")).expect("bundle.json"))
            .expect("JSON");
    assert_eq!(manifest["for"], "party `russia`");
    let output = replay(&bundle);
    assert_succeeded(&output);
    assert_contains(&said(&output), "replayed 2 check run(s)");
}

#[test]
fn a_withheld_entry_cannot_hide_a_change() {
    let scratch = Scratch::new("withheld-changed");
    let bundle = scratch.bundle_for("bundle-public");
    let (n, marker) = withheld_lines(&bundle).remove(0);
    let mut lines = log_lines(&bundle);
    // Another leaf hash for the withheld entry: the signed roots no longer match.
    let mut other = marker.clone();
    other["leaf_hash"] = serde_json::Value::from("0".repeat(64));
    lines[n] = serde_json::json!({ "withheld": other }).to_string();
    write_log(&bundle, &lines);
    assert_not_verified(&bundle, &["an entry was changed, removed, added or moved"]);
    // A withheld line without a leaf hash is named.
    let mut broken = marker;
    broken["leaf_hash"] = serde_json::Value::from("not a hash");
    lines[n] = serde_json::json!({ "withheld": broken }).to_string();
    write_log(&bundle, &lines);
    assert_not_verified(
        &bundle,
        &[&format!(
            "log.jsonl line {}: not a canonical record (a withheld entry without its leaf hash",
            n + 1
        )],
    );
}

#[test]
fn a_bundle_json_that_miscounts_the_withheld_entries_is_refused() {
    let scratch = Scratch::new("withheld-count");
    let bundle = scratch.bundle_for("bundle-public");
    let path = bundle.join("bundle.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("bundle.json")).expect("JSON");
    manifest["withheld_entries"] = serde_json::Value::from(0);
    std::fs::write(&path, manifest.to_string()).expect("write bundle.json");
    assert_not_verified(
        &bundle,
        &["bundle.json: says 0 entries are withheld, but log.jsonl gives"],
    );
}

/// Zips `folder` as the server does: every file under `bundle/`.
fn zip_folder(folder: &Path, zip_path: &Path) {
    use std::io::Write;
    let file = std::fs::File::create(zip_path).expect("create the zip");
    let mut writer = zip::ZipWriter::new(file);
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read a folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative = path.strip_prefix(folder).expect("inside the folder");
            let name = format!("bundle/{}", relative.display());
            writer
                .start_file(name, zip::write::SimpleFileOptions::default())
                .expect("a zip entry");
            writer
                .write_all(&std::fs::read(&path).expect("read a file"))
                .expect("write a zip entry");
        }
    }
    writer.finish().expect("finish the zip");
}

#[test]
fn a_bundle_zip_from_the_server_verifies_and_replays_as_its_folder() {
    let scratch = Scratch::new("zip");
    let folder = scratch.bundle_for("bundle-russia");
    let zip_path = scratch.0.join("bundle.zip");
    zip_folder(&folder, &zip_path);
    let f = fixture();
    let output = verify(&zip_path, Some(&f.mission_public));
    assert_succeeded(&output);
    let text = said(&output);
    assert!(
        text.contains(&format!("bundle {}:", zip_path.display())),
        "{text}"
    );
    let output = replay(&zip_path);
    assert_succeeded(&output);
    // A file that is no zip and no folder is named as such.
    let not_a_bundle = scratch.0.join("notes.txt");
    std::fs::write(&not_a_bundle, "hello").expect("write");
    let output = verify(&not_a_bundle, None);
    assert_eq!(code(&output), 2, "{}", said(&output));
    assert_contains(
        &said(&output),
        "is neither a bundle's folder nor a bundle zip",
    );
}
