//! Reading a bundle and verifying it: every hash, signature and proof, and
//! every file a record names, reporting every problem rather than the first.
//! A bundle is a folder as `truce ledger export` writes it, or the zip the
//! server gives (`docs/trust.md`). Used by `truce ledger verify|replay|prove`
//! and fuzzed (`fuzz/README.md`): no input makes it panic.

use crate::bundle::BUNDLE_FORMAT;
use crate::record::{Record, RecordKind};
use crate::sha256_hex;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use truce_audit::{
    Checkpoint, Hash, Tree, VerifierKey, leaf_hash, open_checkpoint, parse_canonical_json,
    verify_consistency,
};

/// What stops a bundle from being read at all (what is wrong inside one that
/// can be read is a problem of its [`Verification`]).
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("cannot open the bundle `{path}`")]
    Open {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("`{path}` is neither a bundle's folder nor a bundle zip")]
    NotZip {
        path: String,
        #[source]
        source: zip::result::ZipError,
    },
    #[error("cannot unpack the bundle zip `{path}`")]
    Unpack {
        path: String,
        #[source]
        source: zip::result::ZipError,
    },
    #[error("`{root}` is not a bundle: no log.jsonl")]
    NoLog {
        root: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read `{path}`")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A key given by the user (`--key`) is not a key.
    #[error("the key `{key}`: {message}")]
    Key { key: String, message: String },
    /// The log's tree cannot give a proof it should (a bug, reported, not hidden).
    #[error("the log's tree: {0}")]
    Tree(String),
}

/// A verifier key as `truce keys generate` prints it.
pub fn parse_verifier(text: &str) -> Result<VerifierKey, String> {
    VerifierKey::parse(text).map_err(|e| format!("`{text}` is not a public key: {e}"))
}

/// A bundle to read: a folder as `truce ledger export` writes it, or the zip the
/// server gives, unpacked into a folder of its own for as long as this lives.
pub struct OpenedBundle {
    root: PathBuf,
    /// The zip it came from and the folder it was unpacked into (removed on drop).
    unpacked: Option<(PathBuf, PathBuf)>,
}

impl OpenedBundle {
    /// Opens a bundle's folder, or unpacks a bundle zip into a folder of its own.
    pub fn open(path: &Path) -> Result<OpenedBundle, BundleError> {
        if !path.is_file() {
            return Ok(OpenedBundle {
                root: path.to_path_buf(),
                unpacked: None,
            });
        }
        let shown = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|source| BundleError::Open {
            path: shown.clone(),
            source,
        })?;
        let mut archive =
            zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|source| {
                BundleError::NotZip {
                    path: shown.clone(),
                    source,
                }
            })?;
        let folder = std::env::temp_dir().join(format!(
            "truce-bundle-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        // Names that would leave the folder (`../`, absolute) are refused by `extract`.
        if let Err(source) = archive.extract(&folder) {
            let _ = std::fs::remove_dir_all(&folder);
            return Err(BundleError::Unpack {
                path: shown,
                source,
            });
        }
        // The server's zip holds one folder, `bundle/`.
        let inner = folder.join("bundle");
        let root = if inner.join("log.jsonl").exists() {
            inner
        } else {
            folder.clone()
        };
        Ok(OpenedBundle {
            root,
            unpacked: Some((path.to_path_buf(), folder)),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `text` naming the zip where it names the folder it was unpacked into.
    pub fn shown(&self, text: String) -> String {
        match &self.unpacked {
            Some((zip, _)) => {
                text.replace(&self.root.display().to_string(), &zip.display().to_string())
            }
            None => text,
        }
    }
}

impl Drop for OpenedBundle {
    fn drop(&mut self) {
        if let Some((_, folder)) = &self.unpacked {
            let _ = std::fs::remove_dir_all(folder);
        }
    }
}

/// A bundle read from its folder.
pub struct Bundle {
    pub root: PathBuf,
    pub records: Vec<(Value, Vec<u8>)>,
    pub tree: Tree,
    pub checkpoints: Vec<(PathBuf, Vec<u8>)>,
    pub mission_keys: Vec<VerifierKey>,
    pub party_keys: Vec<(String, VerifierKey)>,
    /// The keys keys.txt lists, each with its line (from 1) and its party (none for
    /// the mission's), to check against the keys the log's agreement versions name.
    pub listed_keys: Vec<(usize, Option<String>, VerifierKey)>,
    /// Entries given as their leaf hash only (a bundle made for a party or the
    /// public): their records read `{"type": …, "withheld": why}`.
    pub withheld_entries: usize,
    /// Files bundle.json says were left out for the bundle's reader: sha256 → why.
    pub withheld_files: BTreeMap<String, String>,
}

/// A line of log.jsonl standing for an entry withheld from the bundle's reader
/// (`crate::bundle::withheld_line`): its leaf hash and the record's stand-in.
fn withheld_entry(line: &[u8]) -> Option<Result<(Hash, Value), String>> {
    if !line.starts_with(b"{\"withheld\":") {
        return None;
    }
    let value: Value = match serde_json::from_slice(line) {
        Ok(value) => value,
        Err(e) => return Some(Err(format!("a withheld entry that is not JSON ({e})"))),
    };
    let withheld = &value["withheld"];
    let hash = withheld["leaf_hash"]
        .as_str()
        .filter(|hex| is_sha256_hex(hex))
        .and_then(|hex| Hash::from_hex(hex).ok());
    let Some(hash) = hash else {
        return Some(Err(
            "a withheld entry without its leaf hash (64 lowercase hex digits)".into(),
        ));
    };
    Some(Ok((
        hash,
        json!({
            "type": withheld["type"].as_str().unwrap_or("?"),
            "withheld": withheld["why"].as_str().unwrap_or(""),
        }),
    )))
}

/// What a verification found: every problem, not only the first.
#[derive(Default)]
pub struct Findings {
    pub problems: Vec<String>,
    pub notes: Vec<String>,
}

/// How much of each record a command reads.
#[derive(Copy, Clone, PartialEq, Eq)]
pub enum Reading {
    /// Parsed and checked canonical: what `verify` and `replay` look into.
    Records,
    /// Only hashed into the tree: enough to prove an entry or co-sign a checkpoint,
    /// whose checks rest on the signed root alone.
    HashesOnly,
}

/// Reads a bundle's folder, its records parsed (what `verify` and `replay` need).
pub fn read_bundle(
    root: &Path,
    pinned: &[String],
    findings: &mut Findings,
) -> Result<Bundle, BundleError> {
    read_bundle_as(root, pinned, findings, Reading::Records)
}

/// Reads a bundle's folder: its log (into a tree), checkpoints, keys and
/// manifest. Every problem found goes to `findings`; only a folder that is no
/// bundle at all, an unreadable file or a wrong `pinned` key is an error.
///
/// The log is read line by line into the tree as it streams (a bundle may hold
/// millions of records), each line's problem named with its line number; that
/// loop and the reading of the small files around it make some 180 lines.
pub fn read_bundle_as(
    root: &Path,
    pinned: &[String],
    findings: &mut Findings,
    reading: Reading,
) -> Result<Bundle, BundleError> {
    let log_path = root.join("log.jsonl");
    let log = std::fs::read(&log_path).map_err(|source| BundleError::NoLog {
        root: root.display().to_string(),
        source,
    })?;
    let mut records = Vec::new();
    let mut tree = Tree::new();
    if !log.is_empty() && !log.ends_with(b"\n") {
        findings.problems.push(
            "log.jsonl: the last line is cut short (no line end): the log was truncated".into(),
        );
    }
    let mut lines: Vec<&[u8]> = log.split(|b| *b == b'\n').collect();
    if lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    // Hashing and parsing each record are independent: spread them over the cores,
    // then build the tree in order.
    use rayon::prelude::*;
    let parsed: Vec<(Hash, Result<Value, String>)> = lines
        .par_iter()
        .map(|line| {
            match withheld_entry(line) {
                Some(Ok((hash, stand_in))) => return (hash, Ok(stand_in)),
                // The line's own hash: the signed root will not match, and the
                // problem is named below.
                Some(Err(e)) => return (leaf_hash(line), Err(e)),
                None => {}
            }
            let value = match reading {
                Reading::Records => parse_canonical_json(line)
                    .map(slim)
                    .map_err(|e| e.to_string()),
                Reading::HashesOnly => Ok(Value::Null),
            };
            (leaf_hash(line), value)
        })
        .collect();
    let mut withheld_entries = 0;
    for (n, (line, (hash, value))) in lines.iter().zip(parsed).enumerate() {
        tree.append_leaf_hash(hash);
        match value {
            Ok(value) => {
                if value.get("withheld").is_some() {
                    withheld_entries += 1;
                }
                records.push((value, line.to_vec()))
            }
            Err(e) => {
                findings.problems.push(format!(
                    "log.jsonl line {}: not a canonical record ({e})",
                    n + 1
                ));
                records.push((Value::Null, line.to_vec()));
            }
        }
    }
    let mut checkpoints: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    if let Ok(dir) = std::fs::read_dir(root.join("checkpoints")) {
        let mut paths: Vec<PathBuf> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let bytes = std::fs::read(&path).map_err(|source| BundleError::Read {
                path: path.display().to_string(),
                source,
            })?;
            checkpoints.push((path, bytes));
        }
    }
    // keys.txt is not signed: it is read strictly (one space between fields, every
    // line ended) so that no change to it goes unseen, and verify checks each key
    // against the agreement versions the signed log records.
    let keys_text = match std::fs::read(root.join("keys.txt")) {
        Ok(bytes) => String::from_utf8(bytes).unwrap_or_else(|e| {
            findings.problems.push(format!(
                "keys.txt: not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ));
            String::new()
        }),
        Err(_) => {
            findings
                .problems
                .push("keys.txt: missing; a bundle lists the mission's and the parties' public keys there".into());
            String::new()
        }
    };
    if !keys_text.is_empty() && !keys_text.ends_with('\n') {
        findings
            .problems
            .push("keys.txt: the last line is cut short (no line end)".into());
    }
    let mut mission_keys = Vec::new();
    let mut party_keys = Vec::new();
    let mut listed_keys = Vec::new();
    for (n, line) in keys_text.split_terminator('\n').enumerate() {
        let parts: Vec<&str> = line.split(' ').collect();
        let parsed = match parts.as_slice() {
            ["mission", key] => parse_verifier(key).map(|k| {
                listed_keys.push((n + 1, None, k.clone()));
                mission_keys.push(k);
            }),
            ["party", party, key] if !party.is_empty() => parse_verifier(key).map(|k| {
                listed_keys.push((n + 1, Some(party.to_string()), k.clone()));
                party_keys.push((party.to_string(), k));
            }),
            _ => {
                Err("expected `mission KEY` or `party ID KEY`, with one space between".to_string())
            }
        };
        if let Err(e) = parsed {
            findings
                .problems
                .push(format!("keys.txt line {}: {e}", n + 1));
        }
    }
    if !pinned.is_empty() {
        let pinned: Vec<VerifierKey> = pinned
            .iter()
            .map(|k| {
                parse_verifier(k).map_err(|message| BundleError::Key {
                    key: k.clone(),
                    message,
                })
            })
            .collect::<Result<_, _>>()?;
        for key in &mission_keys {
            if !pinned.iter().any(|p| p.to_string() == key.to_string()) {
                findings.problems.push(format!(
                    "keys.txt names the mission key `{}`, which is not the key you gave (--key): the bundle's keys were swapped",
                    key
                ));
            }
        }
        mission_keys = pinned;
    } else {
        findings.notes.push(
            "the mission's key was taken from the bundle's keys.txt; give --key with the key you know from the mission to pin it".into(),
        );
    }
    // bundle.json is not signed: a file it says was withheld is only excused from
    // being present, never from its hash, and check_manifest compares its counts.
    let mut withheld_files = BTreeMap::new();
    if let Ok(bytes) = std::fs::read(root.join("bundle.json"))
        && let Ok(manifest) = serde_json::from_slice::<Value>(&bytes)
    {
        for file in manifest["withheld_files"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[])
        {
            if let Some(sha) = file["sha256"].as_str() {
                withheld_files.insert(
                    sha.to_string(),
                    file["why"].as_str().unwrap_or("").to_string(),
                );
            }
        }
    }
    Ok(Bundle {
        root: root.to_path_buf(),
        records,
        tree,
        checkpoints,
        mission_keys,
        party_keys,
        listed_keys,
        withheld_entries,
        withheld_files,
    })
}

/// A record reduced to what verification and replay read: records that name no
/// file and no agreement version keep only their type. The bundle's log can hold
/// millions of records; keeping each whole would take gigabytes.
fn slim(record: Value) -> Value {
    let Some(name) = record.get("type").and_then(Value::as_str) else {
        return record;
    };
    match RecordKind::parse(name) {
        Some(
            RecordKind::AgreementVersion
            | RecordKind::CheckRun
            | RecordKind::BracketSignature
            | RecordKind::BracketResolution
            | RecordKind::KeyRotation,
        )
        // An unknown type is kept whole: `check_records` names it.
        | None => record,
        Some(kind) => json!({ "type": kind.as_str() }),
    }
}

/// The files a record names, as (what, sha256).
fn named_files(record: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if record.get("withheld").is_some() {
        // The bundle's reader cannot see what a withheld record names.
        return out;
    }
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    match RecordKind::of(record) {
        Some(RecordKind::AgreementVersion) => {
            out.push((
                "the agreement's text".into(),
                s(&record["canonical_sha256"]),
            ));
            for f in record["files"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
                out.push((format!("`{}`", s(&f["path"])), s(&f["sha256"])));
            }
        }
        Some(RecordKind::CheckRun) => {
            out.push(("the evidence it read".into(), s(&record["evidence_sha256"])));
        }
        _ => {}
    }
    out
}

fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// What the records say about each other: every record has a known type, names its
/// files by sha256, and a check run (or a bracket signature or resolution) names an
/// agreement version an earlier entry recorded.
fn check_records(bundle: &Bundle, findings: &mut Findings) {
    let mut versions: BTreeSet<&str> = BTreeSet::new();
    for (index, (record, bytes)) in bundle.records.iter().enumerate() {
        let at = format!("log.jsonl line {} (entry {index})", index + 1);
        if record.is_null() && bytes.as_slice() != b"null" {
            // Already reported: the line is not a canonical record.
            continue;
        }
        if record.get("withheld").is_some() {
            // Only its hash is in the bundle: the tree and the checkpoints check it.
            continue;
        }
        let Some(name) = record.get("type").and_then(Value::as_str) else {
            findings
                .problems
                .push(format!("{at}: the record has no `type`"));
            continue;
        };
        // A record of a type truce does not append is refused.
        let Some(kind) = RecordKind::parse(name) else {
            findings.problems.push(format!(
                "{at}: unknown record type `{name}`; expected one of {}",
                RecordKind::ALL
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            continue;
        };
        let mut hashes = |fields: &[&str]| {
            for field in fields {
                let value = record[*field].as_str().unwrap_or("");
                if !is_sha256_hex(value) {
                    findings.problems.push(format!(
                        "{at}: `{field}` is not a sha256 (64 lowercase hexadecimal digits): found {}",
                        record[*field]
                    ));
                }
            }
        };
        match kind {
            RecordKind::AgreementVersion => {
                hashes(&["canonical_sha256"]);
                for (n, file) in record["files"]
                    .as_array()
                    .map(Vec::as_slice)
                    .unwrap_or(&[])
                    .iter()
                    .enumerate()
                {
                    if !is_sha256_hex(file["sha256"].as_str().unwrap_or("")) {
                        findings.problems.push(format!(
                            "{at}: file {} (`{}`) is not named by a sha256",
                            n + 1,
                            file["path"].as_str().unwrap_or("?")
                        ));
                    }
                }
                if let Some(sha) = record["canonical_sha256"].as_str() {
                    versions.insert(sha);
                }
            }
            RecordKind::CheckRun => {
                hashes(&["agreement_sha256", "evidence_sha256", "findings_sha256"]);
                let sha = record["agreement_sha256"].as_str().unwrap_or("");
                if !versions.contains(sha) {
                    findings.problems.push(format!(
                        "{at}: check run {} names the agreement version {sha}, but no earlier agreement-version entry records it",
                        record["check_run"]
                    ));
                }
            }
            RecordKind::BracketSignature | RecordKind::BracketResolution => {
                let fields: &[&str] = if kind == RecordKind::BracketSignature {
                    &["agreement_sha256"]
                } else {
                    &["from_sha256", "to_sha256"]
                };
                for field in fields {
                    let sha = record[*field].as_str().unwrap_or("");
                    if !versions.contains(sha) {
                        findings.problems.push(format!(
                            "{at}: the {kind} names the agreement version {sha} (`{field}`), but no earlier agreement-version entry records it"
                        ));
                    }
                }
            }
            _ => {}
        }
    }
}

/// Every key keys.txt lists is one the log's agreement versions name, in the same
/// role: a key added to keys.txt, or moved to another party, is seen.
fn check_keys(bundle: &Bundle, findings: &mut Findings) {
    let normal = |text: &str| {
        VerifierKey::parse(text)
            .map(|k| k.to_string())
            .unwrap_or_else(|_| text.to_string())
    };
    let mut mission: BTreeSet<String> = BTreeSet::new();
    let mut parties: BTreeSet<(String, String)> = BTreeSet::new();
    let mut any_version = false;
    for (record, _) in &bundle.records {
        if RecordKind::of(record) != Some(RecordKind::AgreementVersion) {
            continue;
        }
        any_version = true;
        // A version that does not read as one names no keys; `check_records`
        // reports what is wrong with it.
        let Ok(Record::AgreementVersion(version)) = Record::deserialize(record) else {
            continue;
        };
        for key in &version.mission_keys {
            mission.insert(normal(key));
        }
        for party in &version.party_keys {
            for key in &party.keys {
                parties.insert((party.party.clone(), normal(key)));
            }
        }
    }
    if !any_version {
        findings.notes.push(
            "the log records no agreement version yet: nothing in it names the keys of keys.txt"
                .into(),
        );
        return;
    }
    for (line, party, key) in &bundle.listed_keys {
        let shown = key.to_string();
        match party {
            None if !mission.contains(&shown) => findings.problems.push(format!(
                "keys.txt line {line}: the mission key `{shown}` is not one the log's agreement versions name (`[ledger] mission_keys`): the bundle's keys were changed"
            )),
            Some(party) if !parties.contains(&(party.clone(), shown.clone())) => {
                findings.problems.push(format!(
                    "keys.txt line {line}: the key `{shown}` of party `{party}` is not one the log's agreement versions give that party: the bundle's keys were changed"
                ))
            }
            _ => {}
        }
    }
}

/// bundle.json is not signed, but it must agree with what the bundle holds.
fn check_manifest(bundle: &Bundle, findings: &mut Findings) {
    let path = bundle.root.join("bundle.json");
    let Ok(text) = std::fs::read(&path) else {
        findings.problems.push("bundle.json: missing".into());
        return;
    };
    let manifest: Value = match serde_json::from_slice(&text) {
        Ok(value) => value,
        Err(e) => {
            findings
                .problems
                .push(format!("bundle.json: not JSON ({e})"));
            return;
        }
    };
    if manifest["format"] != BUNDLE_FORMAT {
        findings.problems.push(format!(
            "bundle.json: the format is {}; expected \"{BUNDLE_FORMAT}\"",
            manifest["format"]
        ));
    }
    if manifest["entries"].as_u64() != Some(bundle.tree.size()) {
        findings.problems.push(format!(
            "bundle.json: says the log has {} entries, but log.jsonl holds {}",
            manifest["entries"],
            bundle.tree.size()
        ));
    }
    let said = manifest["withheld_entries"].as_u64().unwrap_or(0);
    if said != bundle.withheld_entries as u64 {
        findings.problems.push(format!(
            "bundle.json: says {said} entries are withheld, but log.jsonl gives {} as hashes only",
            bundle.withheld_entries
        ));
    }
    if manifest["checkpoints"].as_u64() != Some(bundle.checkpoints.len() as u64) {
        findings.problems.push(format!(
            "bundle.json: says the bundle has {} checkpoint(s), but checkpoints/ holds {}",
            manifest["checkpoints"],
            bundle.checkpoints.len()
        ));
    }
}

/// Whom bundle.json says the bundle was made for, when it was made for a party or the public.
/// Every checkpoint: signed by the mission, over a prefix of this very log, and
/// each one consistent with the one before (the log only grew). Returns the
/// largest size a checkpoint that holds signs.
fn check_checkpoints(bundle: &Bundle, findings: &mut Findings) -> Result<u64, BundleError> {
    let witnesses: Vec<VerifierKey> = bundle
        .party_keys
        .iter()
        .map(|(_, k)| k.to_cosigner())
        .collect();
    let mut previous: Option<Checkpoint> = None;
    let mut signed_size = 0;
    // The largest size whose signed root log.jsonl gives.
    let mut matched_size = 0;
    for (path, bytes) in &bundle.checkpoints {
        let shown = path
            .strip_prefix(&bundle.root)
            .unwrap_or(path)
            .display()
            .to_string();
        let opened = bundle
            .mission_keys
            .iter()
            .map(|key| open_checkpoint(bytes, key, &witnesses))
            .find_map(Result::ok);
        let Some(opened) = opened else {
            let reason = bundle
                .mission_keys
                .first()
                .map(|key| match open_checkpoint(bytes, key, &witnesses) {
                    Err(e) => e.to_string(),
                    Ok(_) => String::new(),
                })
                .unwrap_or_default();
            findings.problems.push(format!(
                "{shown}: not a checkpoint signed by the mission's key ({reason})"
            ));
            continue;
        };
        for signature in &opened.unverified {
            findings.problems.push(format!(
                "{shown} line {}: a signature by `{}` (key {:08x}) that no key of keys.txt can check: it was changed, or added by someone the bundle does not name",
                signature.line, signature.key_name, signature.key_id
            ));
        }
        let checkpoint = opened.checkpoint;
        if checkpoint.size > bundle.tree.size() {
            findings.problems.push(format!(
                "{shown}: signs a log of {} entries, but log.jsonl holds {}: entries were removed",
                checkpoint.size,
                bundle.tree.size()
            ));
            continue;
        }
        match bundle.tree.root_at(checkpoint.size) {
            Ok(root) if root == checkpoint.root => {}
            Ok(root) => {
                // Where: after the entries an earlier checkpoint still vouches for.
                let place = if matched_size > 0 {
                    format!(
                        "; the first {matched_size} entries still match an earlier checkpoint, so the change is at log.jsonl line {} or after",
                        matched_size + 1
                    )
                } else {
                    String::new()
                };
                findings.problems.push(format!(
                    "{shown}: the signed root of the first {} entries is {}, but log.jsonl gives {}: an entry was changed, removed, added or moved{place}",
                    checkpoint.size,
                    checkpoint.root.to_hex(),
                    root.to_hex()
                ));
                continue;
            }
            Err(e) => {
                findings.problems.push(format!("{shown}: {e}"));
                continue;
            }
        }
        if let Some(before) = &previous {
            if checkpoint.origin != before.origin {
                findings.problems.push(format!(
                    "{shown}: names the log `{}`, the one before `{}`",
                    checkpoint.origin, before.origin
                ));
            }
            if checkpoint.size < before.size {
                findings.problems.push(format!(
                    "{shown}: the log shrank from {} to {} entries",
                    before.size, checkpoint.size
                ));
            } else {
                let proof = bundle
                    .tree
                    .consistency_proof(before.size, checkpoint.size)
                    .map_err(|e| BundleError::Tree(e.to_string()))?;
                if let Err(e) = verify_consistency(
                    before.size,
                    checkpoint.size,
                    &before.root,
                    &checkpoint.root,
                    &proof,
                ) {
                    findings.problems.push(format!("{shown}: {e}"));
                }
            }
        }
        let cosigned: Vec<String> = opened
            .cosignatures
            .iter()
            .map(|c| {
                let party = bundle
                    .party_keys
                    .iter()
                    .find(|(_, k)| k.to_cosigner().key_id() == c.key_id)
                    .map_or("?", |(p, _)| p.as_str());
                format!("{} ({party})", c.key_name)
            })
            .collect();
        findings.notes.push(format!(
            "{shown}: {} entries, root {}, signed by {}{}",
            checkpoint.size,
            checkpoint.root.to_hex(),
            opened.log_signature.key_name,
            if cosigned.is_empty() {
                String::new()
            } else {
                format!(", cosigned by {}", cosigned.join(", "))
            }
        ));
        signed_size = signed_size.max(checkpoint.size);
        matched_size = matched_size.max(checkpoint.size);
        previous = Some(checkpoint);
    }
    Ok(signed_size)
}

/// Whom a bundle was made for, as its manifest says.
pub(crate) fn manifest_for(root: &Path) -> Option<String> {
    let bytes = std::fs::read(root.join("bundle.json")).ok()?;
    let manifest: Value = serde_json::from_slice(&bytes).ok()?;
    manifest["for"].as_str().map(str::to_string)
}

/// `truce ledger verify BUNDLE`: every hash, signature and proof; exit 0 when all hold.
pub fn verify(root: &Path, pinned: &[String]) -> Result<(String, u8), BundleError> {
    let mut findings = Findings::default();
    let bundle = read_bundle(root, pinned, &mut findings)?;
    if bundle.mission_keys.is_empty() {
        findings
            .problems
            .push("no mission key: keys.txt lists none and none was given with --key".into());
    }
    check_manifest(&bundle, &mut findings);
    check_records(&bundle, &mut findings);
    check_keys(&bundle, &mut findings);
    if bundle.withheld_entries > 0 || !bundle.withheld_files.is_empty() {
        findings.notes.push(format!(
            "made for {}: {} entries given by their hash only and {} file(s) left out; the signed tree covers the entries, but what they say is not checked here (the mission's full bundle has it)",
            manifest_for(&bundle.root).unwrap_or_else(|| "a restricted reader".into()),
            bundle.withheld_entries,
            bundle.withheld_files.len()
        ));
    }
    // Every file a record names is in the bundle, with that hash.
    for (index, (record, _)) in bundle.records.iter().enumerate() {
        for (what, sha) in named_files(record) {
            let path = bundle.root.join("files").join(&sha);
            match std::fs::read(&path) {
                Ok(bytes) if sha256_hex(&bytes) == sha => {}
                Ok(_) => findings.problems.push(format!(
                    "files/{sha}: its content is not what entry {index} recorded for {what} (sha256 differs): the file was edited"
                )),
                Err(_) if bundle.withheld_files.contains_key(&sha) => {}
                Err(_) => findings.problems.push(format!(
                    "files/{sha}: missing; entry {index} names it as {what}"
                )),
            }
        }
    }
    let signed_size = check_checkpoints(&bundle, &mut findings)?;
    if bundle.checkpoints.is_empty() {
        findings
            .problems
            .push("no checkpoint: nothing in the bundle is signed".into());
    } else if signed_size < bundle.tree.size() {
        // Nothing vouches for entries after the last checkpoint: anyone could have
        // added them.
        let unsigned = bundle.tree.size() - signed_size;
        let (first, last) = (signed_size + 1, bundle.tree.size());
        findings.problems.push(if signed_size == 0 {
            format!(
                "log.jsonl: no checkpoint holds, so no signature vouches for any of its {unsigned} entries"
            )
        } else if unsigned == 1 {
            format!(
                "log.jsonl line {first}: 1 entry comes after the last checkpoint that holds, so no signature vouches for it (ask the mission for a new checkpoint and bundle)"
            )
        } else {
            format!(
                "log.jsonl lines {first} to {last}: {unsigned} entries come after the last checkpoint that holds, so no signature vouches for them (ask the mission for a new checkpoint and bundle)"
            )
        });
    }
    let mut out = format!(
        "bundle {}: {} entries, {} checkpoint(s)\n",
        root.display(),
        bundle.tree.size(),
        bundle.checkpoints.len()
    );
    for note in &findings.notes {
        out.push_str(&format!("  {note}\n"));
    }
    if findings.problems.is_empty() {
        out.push_str("verified: every hash, signature and proof holds; the log only grew\n");
        Ok((out, 0))
    } else {
        for problem in &findings.problems {
            out.push_str(&format!("  ✗ {problem}\n"));
        }
        out.push_str(&format!(
            "NOT verified: {} problem(s)\n",
            findings.problems.len()
        ));
        Ok((out, 1))
    }
}
