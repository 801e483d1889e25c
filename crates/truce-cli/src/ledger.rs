//! The agreement's ledger from the command line: keys, the records each command
//! appends, signed checkpoints, and the bundle anyone can verify and replay
//! (`docs/trust.md`).
//!
//! A record is a JSON object with a `type`; its canonical form (RFC 8785) is the
//! leaf's data. Records name what they vouch for by sha256 — the agreement's
//! canonical text and the files it reads, the evidence a check read, the findings
//! it made — so a bundle holding those bytes can be checked byte for byte.

use crate::store::now;
use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use truce_audit::{
    Checkpoint, Hash, SignerKey, Tree, VerifierKey, leaf_hash, open_checkpoint,
    parse_canonical_json, verify_consistency, verify_inclusion,
};
use truce_model::agreement::Agreement;
use truce_store::Store;

pub use truce_mission::bundle::BUNDLE_FORMAT;

pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Appends `record` (an object with a `type`) to the store's ledger; returns its index.
pub fn append(store: &mut Store, record: Value) -> Result<u64> {
    Ok(truce_mission::append(store, &record, &now())?)
}

pub use truce_mission::evidence_jsonl;

/// The sha256 of a check's findings (`truce_mission::findings_sha256`).
pub fn findings_sha256(result: &truce_engine::CheckResult) -> Result<String> {
    Ok(truce_mission::findings_sha256(result)?)
}

// ------------------------------------------------------------------- keys

/// `truce keys generate`: a new Ed25519 key pair. The private key goes to a file
/// only its owner may read (0600); the public key is printed, to be listed in the
/// agreement (`[[party]] keys`, `[ledger] mission_keys`).
pub fn keys_generate(name: &str, out: &Path) -> Result<String> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| anyhow::anyhow!("no random source: {e}"))?;
    let signer = SignerKey::from_seed(name, truce_audit::KeyType::Ed25519, &seed)
        .map_err(|e| anyhow::anyhow!("cannot make a key named `{name}`: {e}"))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(out).with_context(|| {
        format!(
            "cannot create the private key file `{}` (it must not exist yet)",
            out.display()
        )
    })?;
    file.write_all(signer.to_private_text().as_bytes())
        .and_then(|()| file.write_all(b"\n"))
        .with_context(|| format!("cannot write `{}`", out.display()))?;
    Ok(format!("{}\n", signer.verifier_key().to_string()))
}

/// Reads a private key file written by `truce keys generate`.
pub fn read_signer(path: &Path) -> Result<SignerKey> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the private key `{}`", path.display()))?;
    SignerKey::parse(text.trim()).map_err(|e| {
        // Never echo the file's content: it is a secret.
        anyhow::anyhow!(
            "`{}` is not a private key written by `truce keys generate`: {e}",
            path.display()
        )
    })
}

fn parse_verifier(text: &str) -> Result<VerifierKey> {
    VerifierKey::parse(text).map_err(|e| anyhow::anyhow!("`{text}` is not a public key: {e}"))
}

// ------------------------------------------------------------ checkpoints

use truce_mission::bundle::origin;

/// The tree of the store's ledger.
fn store_tree(store: &Store) -> Result<Tree> {
    Ok(Tree::from_leaf_hashes(
        store.ledger_leaf_hashes()?.into_iter().map(Hash),
    ))
}

/// `truce ledger checkpoint`: the mission signs the ledger's current size and root.
pub fn checkpoint(agreement: &Agreement, db: &Path, key: &Path) -> Result<String> {
    let signer = read_signer(key)?;
    let public = signer.verifier_key().to_string();
    if !agreement.ledger.mission_keys.contains(&public) {
        bail!(
            "the key `{}` is not one of the mission's keys the agreement lists in `[ledger] mission_keys`; nothing was signed",
            signer.name()
        );
    }
    let mut store = Store::open(db)?;
    let tree = store_tree(&store)?;
    let checkpoint = Checkpoint::new(origin(agreement), tree.size(), tree.root());
    let note = checkpoint
        .sign(&signer)
        .map_err(|e| anyhow::anyhow!("cannot sign the checkpoint: {e}"))?;
    let text = String::from_utf8_lossy(&note.to_bytes()).into_owned();
    let id = store.record_checkpoint(tree.size(), &text, &now())?;
    Ok(format!(
        "checkpoint {id}: {} entries, root {}, signed by {}\n",
        tree.size(),
        tree.root().to_hex(),
        signer.name()
    ))
}

/// `truce ledger add-cosigned`: the mission files a checkpoint a party co-signed
/// (`truce ledger witness`), so later bundles carry the party's cosignature. The note
/// must be the mission's own signed checkpoint of the current log at that size,
/// co-signed by a key the agreement lists for a party.
pub fn add_cosigned(agreement: &Agreement, db: &Path, note_path: &Path) -> Result<String> {
    let bytes = std::fs::read(note_path)
        .with_context(|| format!("cannot read `{}`", note_path.display()))?;
    let witnesses: Vec<(String, VerifierKey)> = agreement
        .parties
        .iter()
        .flat_map(|p| {
            p.keys
                .iter()
                .filter_map(|k| VerifierKey::parse(k).ok())
                .map(|k| (p.id.clone(), k.to_cosigner()))
                .collect::<Vec<_>>()
        })
        .collect();
    let cosigners: Vec<VerifierKey> = witnesses.iter().map(|(_, k)| k.clone()).collect();
    let opened = agreement
        .ledger
        .mission_keys
        .iter()
        .filter_map(|k| VerifierKey::parse(k).ok())
        .find_map(|key| open_checkpoint(&bytes, &key, &cosigners).ok())
        .with_context(|| {
            format!(
                "`{}` is not a checkpoint signed by the mission's key, co-signed by keys the agreement lists; nothing was filed",
                note_path.display()
            )
        })?;
    if opened.cosignatures.is_empty() {
        bail!(
            "`{}` carries no cosignature by a party's key; nothing was filed",
            note_path.display()
        );
    }
    let mut store = Store::open(db)?;
    let tree = store_tree(&store)?;
    let checkpoint = &opened.checkpoint;
    if checkpoint.origin != origin(agreement)
        || checkpoint.size > tree.size()
        || tree.root_at(checkpoint.size).ok() != Some(checkpoint.root)
    {
        bail!(
            "the co-signed checkpoint ({} entries, root {}) is not of this store's ledger; nothing was filed",
            checkpoint.size,
            checkpoint.root.to_hex()
        );
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let id = store.record_checkpoint(checkpoint.size, &text, &now())?;
    let parties: Vec<String> = opened
        .cosignatures
        .iter()
        .map(|c| {
            let party = witnesses
                .iter()
                .find(|(_, k)| k.key_id() == c.key_id && k.name() == c.key_name)
                .map_or("?", |(p, _)| p.as_str());
            format!("{} ({party})", c.key_name)
        })
        .collect();
    Ok(format!(
        "checkpoint {id}: {} entries co-signed by {}; later bundles carry it\n",
        checkpoint.size,
        parties.join(", ")
    ))
}

// ----------------------------------------------------------------- export

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create `{}`", parent.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("cannot write `{}`", path.display()))
}

/// Writes a bundle's files into a folder.
struct FolderSink<'a> {
    root: &'a Path,
}

impl truce_mission::bundle::BundleSink for FolderSink<'_> {
    fn file(&mut self, path: &str, bytes: &[u8]) -> Result<(), truce_mission::MissionError> {
        write_file(&self.root.join(path), bytes)
            .map_err(|e| truce_mission::MissionError::Bundle(format!("{e:#}")))
    }
}

/// `truce ledger export`: a folder holding the log, its checkpoints, the keys and
/// every file a record names (`truce_mission::bundle`).
pub fn export(
    agreement: &Agreement,
    agreement_path: &Path,
    db: &Path,
    out: &Path,
    audience: &truce_mission::disclosure::Audience,
) -> Result<String> {
    if out.exists()
        && std::fs::read_dir(out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        bail!(
            "`{}` exists and is not empty: export into a new folder",
            out.display()
        );
    }
    let mut store = Store::open(db)?;
    let summary = truce_mission::bundle::export_bundle(
        &mut store,
        agreement,
        agreement_path,
        &now(),
        audience,
        &mut FolderSink { root: out },
    )?;
    if summary.unsigned > 0 {
        eprintln!(
            "warning: the last {} {} not covered by a checkpoint, so `truce ledger verify` will not verify this bundle\n  help: run `truce ledger checkpoint` and export again",
            summary.unsigned,
            if summary.unsigned == 1 {
                "entry is"
            } else {
                "entries are"
            }
        );
    }
    let withheld = if summary.withheld_entries + summary.withheld_files > 0 {
        format!(
            "; for {}: {} entries by their hash only, {} file(s) left out",
            audience.describe(),
            summary.withheld_entries,
            summary.withheld_files
        )
    } else {
        String::new()
    };
    Ok(format!(
        "bundle written to {}: {} entries, {} checkpoint(s), {} file(s){withheld}\n",
        out.display(),
        summary.entries,
        summary.checkpoints,
        summary.files
    ))
}

// ----------------------------------------------------------------- verify

/// A bundle to read: a folder as `truce ledger export` writes it, or the zip the
/// server gives, unpacked into a folder of its own for as long as this lives.
pub struct OpenedBundle {
    root: PathBuf,
    /// The zip it came from and the folder it was unpacked into (removed on drop).
    unpacked: Option<(PathBuf, PathBuf)>,
}

impl OpenedBundle {
    pub fn open(path: &Path) -> Result<OpenedBundle> {
        if !path.is_file() {
            return Ok(OpenedBundle {
                root: path.to_path_buf(),
                unpacked: None,
            });
        }
        let file = std::fs::File::open(path)
            .with_context(|| format!("cannot open the bundle `{}`", path.display()))?;
        let mut archive =
            zip::ZipArchive::new(std::io::BufReader::new(file)).with_context(|| {
                format!(
                    "`{}` is neither a bundle's folder nor a bundle zip",
                    path.display()
                )
            })?;
        let folder = std::env::temp_dir().join(format!(
            "truce-bundle-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        // Names that would leave the folder (`../`, absolute) are refused by `extract`.
        archive
            .extract(&folder)
            .with_context(|| format!("cannot unpack the bundle zip `{}`", path.display()))?;
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
struct Bundle {
    root: PathBuf,
    records: Vec<(Value, Vec<u8>)>,
    tree: Tree,
    checkpoints: Vec<(PathBuf, Vec<u8>)>,
    mission_keys: Vec<VerifierKey>,
    party_keys: Vec<(String, VerifierKey)>,
    /// The keys keys.txt lists, each with its line (from 1) and its party (none for
    /// the mission's), to check against the keys the log's agreement versions name.
    listed_keys: Vec<(usize, Option<String>, VerifierKey)>,
    /// Entries given as their leaf hash only (a bundle made for a party or the
    /// public): their records read `{"type": …, "withheld": why}`.
    withheld_entries: usize,
    /// Files bundle.json says were left out for the bundle's reader: sha256 → why.
    withheld_files: BTreeMap<String, String>,
}

/// A line of log.jsonl standing for an entry withheld from the bundle's reader
/// (`truce_mission::bundle::withheld_line`): its leaf hash and the record's stand-in.
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
struct Findings {
    problems: Vec<String>,
    notes: Vec<String>,
}

/// How much of each record a command reads.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Reading {
    /// Parsed and checked canonical: what `verify` and `replay` look into.
    Records,
    /// Only hashed into the tree: enough to prove an entry or co-sign a checkpoint,
    /// whose checks rest on the signed root alone.
    HashesOnly,
}

fn read_bundle(root: &Path, pinned: &[String], findings: &mut Findings) -> Result<Bundle> {
    read_bundle_as(root, pinned, findings, Reading::Records)
}

fn read_bundle_as(
    root: &Path,
    pinned: &[String],
    findings: &mut Findings,
    reading: Reading,
) -> Result<Bundle> {
    let log_path = root.join("log.jsonl");
    let log = std::fs::read(&log_path)
        .with_context(|| format!("`{}` is not a bundle: no log.jsonl", root.display()))?;
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
            let bytes = std::fs::read(&path)
                .with_context(|| format!("cannot read `{}`", path.display()))?;
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
            _ => Err(anyhow::anyhow!(
                "expected `mission KEY` or `party ID KEY`, with one space between"
            )),
        };
        if let Err(e) = parsed {
            findings
                .problems
                .push(format!("keys.txt line {}: {e:#}", n + 1));
        }
    }
    if !pinned.is_empty() {
        let pinned: Vec<VerifierKey> = pinned
            .iter()
            .map(|k| parse_verifier(k))
            .collect::<Result<_>>()?;
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
    match record.get("type").and_then(Value::as_str) {
        Some(
            "agreement-version" | "check-run" | "bracket-signature" | "bracket-resolution"
            | "key-rotation",
        )
        | None => record,
        Some(kind) => json!({ "type": kind }),
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
    match record.get("type").and_then(Value::as_str) {
        Some("agreement-version") => {
            out.push((
                "the agreement's text".into(),
                s(&record["canonical_sha256"]),
            ));
            for f in record["files"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
                out.push((format!("`{}`", s(&f["path"])), s(&f["sha256"])));
            }
        }
        Some("check-run") => {
            out.push(("the evidence it read".into(), s(&record["evidence_sha256"])));
        }
        _ => {}
    }
    out
}

/// The record types truce appends. A record of another type is refused by `verify`:
/// a command that appends a new type must add it here.
const RECORD_TYPES: &[&str] = &[
    "agreement-version",
    "import-run",
    "check-run",
    "bracket-signature",
    "bracket-resolution",
    "entitlement-release",
    "entitlement-suspension",
    "entitlement-handover",
    "key-rotation",
    "deletion",
    "kept-apart",
    "kept-together",
    "decision-withdrawn",
    // Written by the server (`docs/api.md`).
    "monitor-report",
    "report-published",
    "user-added",
    "user-disabled",
    "token-issued",
    "token-revoked",
];

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
        let Some(kind) = record.get("type").and_then(Value::as_str) else {
            findings
                .problems
                .push(format!("{at}: the record has no `type`"));
            continue;
        };
        if !RECORD_TYPES.contains(&kind) {
            findings.problems.push(format!(
                "{at}: unknown record type `{kind}`; expected one of {}",
                RECORD_TYPES
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            continue;
        }
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
            "agreement-version" => {
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
            "check-run" => {
                hashes(&["agreement_sha256", "evidence_sha256", "findings_sha256"]);
                let sha = record["agreement_sha256"].as_str().unwrap_or("");
                if !versions.contains(sha) {
                    findings.problems.push(format!(
                        "{at}: check run {} names the agreement version {sha}, but no earlier agreement-version entry records it",
                        record["check_run"]
                    ));
                }
            }
            "bracket-signature" | "bracket-resolution" => {
                let fields: &[&str] = if kind == "bracket-signature" {
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
        if record.get("type").and_then(Value::as_str) != Some("agreement-version") {
            continue;
        }
        any_version = true;
        for key in record["mission_keys"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[])
        {
            mission.insert(normal(key.as_str().unwrap_or("")));
        }
        for party in record["party_keys"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[])
        {
            let id = party["party"].as_str().unwrap_or("").to_string();
            for key in party["keys"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
                parties.insert((id.clone(), normal(key.as_str().unwrap_or(""))));
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
fn manifest_for(root: &Path) -> Option<String> {
    let bytes = std::fs::read(root.join("bundle.json")).ok()?;
    let manifest: Value = serde_json::from_slice(&bytes).ok()?;
    manifest["for"].as_str().map(str::to_string)
}

/// `truce ledger verify BUNDLE`: every hash, signature and proof; exit 0 when all hold.
pub fn verify(root: &Path, pinned: &[String]) -> Result<(String, u8)> {
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
    // Every checkpoint: signed by the mission, over a prefix of this very log, and
    // each one consistent with the one before (the log only grew).
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
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
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

// ----------------------------------------------------------------- replay

/// Files of a bundle by the paths an agreement version names them by.
struct BundleFiles {
    by_path: BTreeMap<String, PathBuf>,
}

impl truce_model::agreement::Files for BundleFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        // A file outside the agreement's folder is recorded by its name alone.
        let full = self
            .by_path
            .get(path)
            .or_else(|| self.by_path.get(&truce_mission::recorded_file_name(path)))
            .ok_or_else(|| format!("the bundle has no file `{path}` for this agreement version"))?;
        std::fs::read(full).map_err(|e| format!("{e} ({})", full.display()))
    }
}

/// `truce ledger replay BUNDLE`: re-runs every recorded check from the recorded
/// inputs and compares the findings' hash byte for byte.
pub fn replay(root: &Path) -> Result<(String, u8)> {
    let mut findings = Findings::default();
    let bundle = read_bundle(root, &[], &mut findings)?;
    let mut versions: BTreeMap<String, &Value> = BTreeMap::new();
    let mut out = String::new();
    let mut failed = 0;
    let mut replayed = 0;
    // Check runs this bundle's reader may not replay: the run or its files withheld.
    let mut not_replayed = 0;
    for (index, (record, _)) in bundle.records.iter().enumerate() {
        match record.get("type").and_then(Value::as_str) {
            Some("agreement-version") => {
                if let Some(sha) = record["canonical_sha256"].as_str() {
                    versions.insert(sha.to_string(), record);
                }
            }
            Some("check-run") if record.get("withheld").is_some() => {
                not_replayed += 1;
                out.push_str(&format!(
                    "  – entry {index}: a check run withheld from this bundle ({}): not replayed\n",
                    record["withheld"].as_str().unwrap_or("")
                ));
            }
            Some("check-run")
                if ["agreement_sha256", "evidence_sha256"].iter().any(|field| {
                    record[*field]
                        .as_str()
                        .is_some_and(|sha| bundle.withheld_files.contains_key(sha))
                }) =>
            {
                not_replayed += 1;
                let why = ["agreement_sha256", "evidence_sha256"]
                    .iter()
                    .find_map(|field| bundle.withheld_files.get(record[*field].as_str()?))
                    .cloned()
                    .unwrap_or_default();
                out.push_str(&format!(
                    "  – entry {index}, check run {}: its files are withheld from this bundle ({why}): not replayed\n",
                    record["check_run"]
                ));
            }
            Some("check-run") => {
                replayed += 1;
                match replay_one(&bundle, &versions, record) {
                    Ok(computed)
                        if Some(computed.as_str()) == record["findings_sha256"].as_str() =>
                    {
                        out.push_str(&format!(
                            "  entry {index}, check run {}: same findings (sha256 {computed})\n",
                            record["check_run"]
                        ));
                    }
                    Ok(computed) => {
                        failed += 1;
                        out.push_str(&format!(
                            "  ✗ entry {index}, check run {}: the findings differ: recorded {}, replayed {computed}\n",
                            record["check_run"], record["findings_sha256"]
                        ));
                    }
                    Err(e) => {
                        failed += 1;
                        out.push_str(&format!(
                            "  ✗ entry {index}, check run {}: cannot replay: {e:#}\n",
                            record["check_run"]
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    let head = format!("replayed {replayed} check run(s) from {}\n", root.display());
    if failed == 0 && not_replayed == 0 {
        Ok((
            format!("{head}{out}replayed: every check gives the recorded findings\n"),
            0,
        ))
    } else if failed == 0 {
        Ok((
            format!(
                "{head}{out}NOT reproduced: {not_replayed} check run(s) could not be replayed, because this bundle was made for {} and withholds what they read; the mission's full bundle replays them\n",
                manifest_for(root).unwrap_or_else(|| "a restricted reader".into())
            ),
            1,
        ))
    } else {
        Ok((
            format!("{head}{out}NOT reproduced: {failed} check run(s)\n"),
            1,
        ))
    }
}

/// The analysts' decisions a check-run record lists: `[[source, id], [source, id]]`
/// pairs (absent in records of older checks: none).
fn decided_pairs(list: &Value) -> Vec<truce_engine::corroborate::KeptApart> {
    let part = |v: &Value| {
        (
            v[0].as_str().unwrap_or("").to_string(),
            v[1].as_str().unwrap_or("").to_string(),
        )
    };
    list.as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .map(|pair| truce_engine::corroborate::KeptApart {
            first: part(&pair[0]),
            second: part(&pair[1]),
        })
        .collect()
}

fn replay_one(
    bundle: &Bundle,
    versions: &BTreeMap<String, &Value>,
    record: &Value,
) -> Result<String> {
    let agreement_sha = record["agreement_sha256"].as_str().unwrap_or("");
    let version = versions
        .get(agreement_sha)
        .with_context(|| format!("no earlier agreement-version entry for {agreement_sha}"))?;
    let files = bundle.root.join("files");
    let text = std::fs::read_to_string(files.join(agreement_sha))
        .with_context(|| format!("files/{agreement_sha} (the agreement) is missing"))?;
    if sha256_hex(text.as_bytes()) != agreement_sha {
        bail!("files/{agreement_sha}: the agreement's text was edited");
    }
    let mut by_path = BTreeMap::new();
    for f in version["files"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
    {
        let sha = f["sha256"].as_str().unwrap_or("");
        by_path.insert(
            f["path"].as_str().unwrap_or("").to_string(),
            files.join(sha),
        );
    }
    let name = version["name"].as_str().unwrap_or("agreement.toml");
    let loaded = truce_model::agreement::load(name, &text, &BundleFiles { by_path });
    let agreement = loaded
        .agreement
        .with_context(|| format!("the agreement {agreement_sha} does not load"))?;
    let evidence_sha = record["evidence_sha256"].as_str().unwrap_or("");
    let evidence = std::fs::read(files.join(evidence_sha))
        .with_context(|| format!("files/{evidence_sha} (the evidence) is missing"))?;
    if sha256_hex(&evidence) != evidence_sha {
        bail!("files/{evidence_sha}: the evidence was edited");
    }
    let imported = truce_ingest::import_reader(
        "evidence.jsonl",
        &evidence[..],
        Some(truce_ingest::Format::TruceJsonl),
        &truce_ingest::ImportOptions { keep_raw: false },
    )?;
    if !imported.quarantined.is_empty() {
        bail!(
            "the recorded evidence has {} unreadable line(s)",
            imported.quarantined.len()
        );
    }
    let kept_apart = decided_pairs(&record["kept_apart"]);
    let kept_together = decided_pairs(&record["kept_together"]);
    let as_of = record["as_of"]
        .as_str()
        .and_then(truce_model::time::Day::parse_iso);
    let result = truce_engine::check(&truce_engine::CheckInput {
        agreement: &agreement,
        reports: &imported.reports,
        as_of,
        kept_apart: &kept_apart,
        kept_together: &kept_together,
    });
    findings_sha256(&result)
}

// ------------------------------------------------------------------ prove

/// `truce ledger prove BUNDLE INDEX`: entry INDEX's inclusion proof against the
/// latest checkpoint, as JSON a third party checks with `truce ledger check-proof`.
pub fn prove(root: &Path, index: u64) -> Result<String> {
    let mut findings = Findings::default();
    let bundle = read_bundle_as(root, &[], &mut findings, Reading::HashesOnly)?;
    let (_, note) = bundle
        .checkpoints
        .last()
        .context("the bundle has no checkpoint to prove against")?;
    let checkpoint_text = String::from_utf8_lossy(note).into_owned();
    let body = checkpoint_text
        .split("\n\n")
        .next()
        .unwrap_or("")
        .to_string()
        + "\n";
    let checkpoint = Checkpoint::parse_text(&body)
        .map_err(|e| anyhow::anyhow!("the latest checkpoint cannot be read: {e}"))?;
    if index >= checkpoint.size {
        bail!(
            "entry {index} is not covered by the latest checkpoint ({} entries)",
            checkpoint.size
        );
    }
    let (_, record) = bundle.records.get(index as usize).with_context(|| {
        format!(
            "log.jsonl holds {} entries, fewer than the latest checkpoint signs ({}): run `truce ledger verify`",
            bundle.records.len(),
            checkpoint.size
        )
    })?;
    let proof = bundle
        .tree
        .inclusion_proof(index, checkpoint.size)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let document = json!({
        "index": index,
        "record": String::from_utf8_lossy(record),
        "leaf_hash": leaf_hash(record).to_hex(),
        "tree_size": checkpoint.size,
        "proof": proof.iter().map(Hash::to_hex).collect::<Vec<_>>(),
        "checkpoint": checkpoint_text,
    });
    Ok(format!("{}\n", serde_json::to_string_pretty(&document)?))
}

/// `truce ledger check-proof PROOF.json --key KEY`: the record is entry `index` of
/// the log the mission signed; needs nothing but the proof and the key.
pub fn check_proof(path: &Path, key: &str) -> Result<(String, u8)> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    let document: Value = serde_json::from_str(&text).with_context(|| {
        format!(
            "`{}` is not a proof written by `truce ledger prove`",
            path.display()
        )
    })?;
    let key = parse_verifier(key)?;
    let note = document["checkpoint"].as_str().unwrap_or("");
    let opened = match open_checkpoint(note.as_bytes(), &key, &[]) {
        Ok(opened) => opened,
        Err(e) => {
            return Ok((
                format!("✗ the checkpoint is not signed by `{}`: {e}\n", key.name()),
                1,
            ));
        }
    };
    let record = document["record"].as_str().unwrap_or("");
    let index = document["index"].as_u64().unwrap_or(u64::MAX);
    let proof: Vec<Hash> = document["proof"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .map(|h| Hash::from_hex(h.as_str().unwrap_or("")))
        .collect::<Result<_, _>>()
        .map_err(|e| anyhow::anyhow!("a proof hash is not hexadecimal: {e}"))?;
    let checkpoint = opened.checkpoint;
    match verify_inclusion(
        &leaf_hash(record.as_bytes()),
        index,
        checkpoint.size,
        &proof,
        &checkpoint.root,
    ) {
        Ok(()) => Ok((
            format!(
                "✓ the record is entry {index} of the log `{}` of {} entries signed by {}\n",
                checkpoint.origin, checkpoint.size, opened.log_signature.key_name
            ),
            0,
        )),
        Err(e) => Ok((format!("✗ {e}\n"), 1)),
    }
}

// ---------------------------------------------------------------- witness

/// `truce ledger witness BUNDLE --key PARTY.key --state FILE`: a party co-signs the
/// bundle's latest checkpoint after checking it extends the last one it co-signed
/// (kept in the state file), and refuses a rewritten history, saying why.
/// A refusal is an answer, not a failure: exit 1 with the reason, nothing written.
pub fn witness(root: &Path, key: &Path, state: &Path, out: &Path) -> Result<(String, u8)> {
    let signer = read_signer(key)?;
    let mut findings = Findings::default();
    let bundle = read_bundle_as(root, &[], &mut findings, Reading::HashesOnly)?;
    let (_, note) = bundle
        .checkpoints
        .last()
        .context("the bundle has no checkpoint to co-sign")?;
    let log_key = bundle
        .mission_keys
        .first()
        .context("the bundle names no mission key")?;
    let last: Option<Checkpoint> = match std::fs::read_to_string(state) {
        Ok(text) => Some(Checkpoint::parse_text(&text).map_err(|e| {
            anyhow::anyhow!(
                "the state file `{}` is not a checkpoint: {e}",
                state.display()
            )
        })?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", state.display())),
    };
    let body = String::from_utf8_lossy(note)
        .split("\n\n")
        .next()
        .unwrap_or("")
        .to_string()
        + "\n";
    let new = Checkpoint::parse_text(&body)
        .map_err(|e| anyhow::anyhow!("the bundle's latest checkpoint cannot be read: {e}"))?;
    // The proof that the new checkpoint extends the old one comes from the bundle's
    // log; the witness checks it against the roots it signed, not against the log.
    let proof = match &last {
        Some(old)
            if old.size <= new.size
                && old.size <= bundle.tree.size()
                && new.size <= bundle.tree.size() =>
        {
            bundle
                .tree
                .consistency_proof(old.size, new.size)
                .unwrap_or_default()
        }
        _ => Vec::new(),
    };
    if new.size > bundle.tree.size() || bundle.tree.root_at(new.size).ok() != Some(new.root) {
        bail!(
            "refused: the bundle's log does not match its latest checkpoint; run `truce ledger verify` first"
        );
    }
    let timestamp = jiff::Timestamp::now().as_second().max(0) as u64;
    let cosigned = match truce_audit::cosign(
        last.as_ref(),
        note,
        log_key,
        &proof,
        &signer,
        timestamp,
    ) {
        Ok(cosigned) => cosigned,
        Err(refusal) => {
            return Ok((
                format!(
                    "refused to co-sign: {refusal}\nnothing was signed; the state file is unchanged\n"
                ),
                1,
            ));
        }
    };
    write_file(out, &cosigned.note.to_bytes())?;
    let text = cosigned
        .checkpoint
        .to_text()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    write_file(state, text.as_bytes())?;
    Ok((
        format!(
            "co-signed the checkpoint of {} entries (root {}) as {}; written to {}\n",
            cosigned.checkpoint.size,
            cosigned.checkpoint.root.to_hex(),
            signer.name(),
            out.display()
        ),
        0,
    ))
}
