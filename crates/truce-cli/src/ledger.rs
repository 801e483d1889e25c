//! The agreement's ledger from the command line: keys, the records each command
//! appends, signed checkpoints, and the bundle anyone can verify and replay
//! (`docs/trust.md`).
//!
//! A record is a JSON object with a `type`; its canonical form (RFC 8785) is the
//! leaf's data. Records name what they vouch for by sha256 — the agreement's
//! canonical text and the files it reads, the evidence a check read, the findings
//! it made — so a bundle holding those bytes can be checked byte for byte.

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use std::io::Write;
use std::path::Path;
use truce_audit::{
    Checkpoint, Hash, SignerKey, VerifierKey, leaf_hash, open_checkpoint, verify_inclusion,
};
use truce_mission::now;
use truce_model::agreement::Agreement;

// ------------------------------------------------------------------- keys

/// Creates `out` for a secret (`what`: "private key file"), readable by its
/// owner only (0600), refusing to overwrite a file already there.
pub(crate) fn create_secret_file(out: &Path, what: &str) -> Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(out).with_context(|| {
        format!(
            "cannot create the {what} `{}` (it must not exist yet)",
            out.display()
        )
    })
}

/// `truce keys generate`: a new Ed25519 key pair. The private key goes to a file
/// only its owner may read (0600); the public key is printed, to be listed in the
/// agreement (`[[party]] keys`, `[ledger] mission_keys`).
pub fn keys_generate(name: &str, out: &Path) -> Result<String> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| anyhow::anyhow!("no random source: {e}"))?;
    let signer = SignerKey::from_seed(name, truce_audit::KeyType::Ed25519, &seed)
        .map_err(|e| anyhow::anyhow!("cannot make a key named `{name}`: {e}"))?;
    let mut file = create_secret_file(out, "private key file")?;
    file.write_all(signer.to_private_text().as_bytes())
        .and_then(|()| file.write_all(b"\n"))
        .with_context(|| format!("cannot write `{}`", out.display()))?;
    Ok(format!("{}\n", signer.verifier_key()))
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
    truce_mission::verify::parse_verifier(text).map_err(anyhow::Error::msg)
}

// ------------------------------------------------------------ checkpoints

use truce_mission::bundle::origin;

use truce_mission::checkpoint::store_tree;

/// `truce ledger checkpoint`: the mission signs the ledger's current size and root.
pub fn checkpoint(agreement: &Agreement, db: &Path, key: &Path) -> Result<String> {
    let signer = read_signer(key)?;
    let mut store = crate::store::open(db)?;
    let signed =
        truce_mission::checkpoint::sign_checkpoint(store.as_mut(), agreement, &signer, &now())?;
    Ok(format!(
        "checkpoint {}: {} entries, root {}, signed by {}\n",
        signed.id, signed.size, signed.root, signed.signer
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
    let mut store = crate::store::open(db)?;
    let tree = store_tree(store.as_mut())?;
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
    let mut store = crate::store::open(db)?;
    let summary = truce_mission::bundle::export_bundle(
        store.as_mut(),
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

// ------------------------------------------------------ verify and replay

pub use truce_mission::replay::replay;
use truce_mission::verify::{Findings, Reading, read_bundle_as};
pub use truce_mission::verify::{OpenedBundle, verify};

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
