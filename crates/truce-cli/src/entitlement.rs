//! `truce entitlement`: what a party earns, released only on a verified step.
//!
//! Whether an entitlement may be released is the check's answer on the current
//! evidence (the step met; on both bounds unless the agreement says possible
//! violations do not block). A release, a suspension and each hand-over of the
//! payload are appended to the ledger, with the check run they rest on. The payload
//! (the intelligence package) is kept only as `age` ciphertext for the receiving
//! party's recipients, and handed over only while released.

use crate::{Checked, EvidenceArgs, store::now};
use age::secrecy::ExposeSecret;
use anyhow::{Context, Result, bail};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use truce_mission::record::By;
use truce_store::Storage;

use truce_mission::Standing;

fn standing(store: &mut dyn Storage, entitlement: &str) -> Result<Standing> {
    Ok(truce_mission::standing(store, entitlement)?)
}

fn status_of<'a>(
    checked: &'a Checked,
    entitlement: &str,
) -> Result<&'a truce_engine::EntitlementStatus> {
    checked
        .result
        .entitlements
        .iter()
        .find(|e| e.id == entitlement)
        .with_context(|| {
            let known: Vec<&str> = checked
                .result
                .entitlements
                .iter()
                .map(|e| e.id.as_str())
                .collect();
            format!(
                "the agreement has no entitlement `{entitlement}` (it has {})",
                known.join(", ")
            )
        })
}

/// `truce entitlement status`: per entitlement, its step, who receives it, whether
/// it may be released on the evidence as of the day, and where it stands.
pub fn status(checked: &Checked, db: &Path) -> Result<String> {
    let mut store = crate::store::open(db)?;
    let mut out = format!("entitlements as of {}\n", checked.result.as_of);
    for e in &checked.result.entitlements {
        let standing = standing(store.as_mut(), &e.id)?;
        let payloads = store.payloads(&e.id)?.len();
        let _ = std::fmt::Write::write_fmt(
            &mut out,
            format_args!(
                "  {} → {} (step `{}`): {}\n    {}\n    {}{}\n",
                e.id,
                e.to,
                e.step,
                if e.releasable {
                    "may be released"
                } else {
                    "withheld"
                },
                truce_words::english(&e.reason),
                match &standing {
                    Standing::NeverReleased => "not released".to_string(),
                    Standing::Released { at, by } => format!("released on {at} by {by}"),
                    Standing::Suspended { at, reason } => format!("suspended on {at}: {reason}"),
                },
                if payloads > 0 {
                    format!("; {payloads} payload file(s), encrypted to {}", e.to)
                } else {
                    String::new()
                }
            ),
        );
        if matches!(standing, Standing::Released { .. }) && !e.releasable {
            out.push_str(
                "    ! released, but its step no longer holds on this evidence: `truce entitlement suspend` records a suspension\n",
            );
        }
    }
    Ok(out)
}

/// `truce entitlement release`: refused unless the check says the step is verified;
/// the payload files are encrypted to the receiving party and kept; all recorded.
pub fn release(
    checked: &Checked,
    db: &Path,
    entitlement: &str,
    by: &str,
    payload: &[PathBuf],
) -> Result<(String, u8)> {
    let status = status_of(checked, entitlement)?;
    let mut store = crate::store::open(db)?;
    match truce_mission::entitlement::may_release(store.as_mut(), status) {
        Ok(()) => {}
        Err(truce_mission::MissionError::AlreadyReleased { .. }) => {
            bail!("entitlement `{entitlement}` is already released; nothing was recorded")
        }
        Err(truce_mission::MissionError::NotReleasable { reason, .. }) => {
            return Ok((
                format!(
                    "refused: entitlement `{entitlement}` may not be released: {reason}\nnothing was released or recorded\n"
                ),
                1,
            ));
        }
        Err(other) => return Err(other.into()),
    }
    let to = status.to.clone();
    let party = checked
        .agreement
        .parties
        .iter()
        .find(|p| p.id == to)
        .with_context(|| format!("no party `{to}`"))?;
    if !payload.is_empty() && party.recipients.is_empty() {
        bail!(
            "party `{to}` has no `recipients` in the agreement: its payload cannot be encrypted to it; nothing was released"
        );
    }
    let recipients: Vec<age::x25519::Recipient> = party
        .recipients
        .iter()
        .map(|r| {
            r.parse::<age::x25519::Recipient>()
                .map_err(|e| anyhow::anyhow!("`{r}` (party `{to}`) is not an age recipient: {e}"))
        })
        .collect::<Result<_>>()?;
    // Encrypt everything first: a file that cannot be read leaves nothing half-recorded.
    let mut sealed = Vec::new();
    for file in payload {
        let plain = std::fs::read(file)
            .with_context(|| format!("cannot read the payload file `{}`", file.display()))?;
        let encryptor =
            age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
                .map_err(|e| anyhow::anyhow!("cannot encrypt to `{to}`: {e}"))?;
        let mut ciphertext = Vec::new();
        let mut writer = encryptor.wrap_output(&mut ciphertext)?;
        writer.write_all(&plain)?;
        writer.finish()?;
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "payload".into());
        sealed.push(truce_mission::entitlement::SealedPayload {
            name,
            plain_sha256: truce_mission::sha256_hex(&plain),
            ciphertext,
        });
    }
    let basis = basis(checked, status);
    let index = truce_mission::entitlement::release(
        store.as_mut(),
        basis,
        By::Name(by.to_string()),
        &sealed,
        &now(),
    )?;
    Ok((
        format!(
            "released `{entitlement}` to {to}: {} (ledger entry {index}){}\n",
            truce_words::english(&status.reason),
            if sealed.is_empty() {
                String::new()
            } else {
                format!("; {} payload file(s) kept encrypted to {to}", sealed.len())
            }
        ),
        0,
    ))
}

/// `truce entitlement suspend`: a released entitlement is suspended (violations
/// resumed); recorded with the check it rests on.
pub fn suspend(
    checked: &Checked,
    db: &Path,
    entitlement: &str,
    by: &str,
    reason: &str,
) -> Result<String> {
    let status = status_of(checked, entitlement)?;
    let mut store = crate::store::open(db)?;
    let basis = basis(checked, status);
    let index = truce_mission::entitlement::suspend(
        store.as_mut(),
        basis,
        By::Name(by.to_string()),
        reason,
        &now(),
    )?;
    Ok(format!(
        "suspended `{entitlement}` (ledger entry {index}); its payload is no longer handed over{}\n",
        if status.releasable {
            " (note: its step still holds on this evidence)"
        } else {
            ""
        }
    ))
}

/// `truce entitlement handover`: writes the payload files, still encrypted to the
/// receiving party, while the entitlement is released; each hand-over recorded.
pub fn handover(db: &Path, entitlement: &str, to: &str, out: &Path) -> Result<String> {
    let mut store = crate::store::open(db)?;
    let payloads =
        truce_mission::entitlement::payloads_to_hand_over(store.as_mut(), entitlement, None)?;
    std::fs::create_dir_all(out).with_context(|| format!("cannot create `{}`", out.display()))?;
    for p in &payloads {
        let file = out.join(format!("{}.age", p.name));
        std::fs::write(&file, &p.ciphertext)
            .with_context(|| format!("cannot write `{}`", file.display()))?;
    }
    let index = truce_mission::entitlement::record_hand_over(
        store.as_mut(),
        entitlement,
        to,
        None,
        &payloads,
        &now(),
    )?;
    Ok(format!(
        "handed over {} payload file(s) of `{entitlement}` to {}, encrypted to {to} (ledger entry {index})\n",
        payloads.len(),
        out.display()
    ))
}

/// `truce entitlement open FILE.age --identity KEY`: the receiving party decrypts a payload.
pub fn open(file: &Path, identity: &Path, out: &Path) -> Result<String> {
    let secret = std::fs::read_to_string(identity)
        .with_context(|| format!("cannot read the identity `{}`", identity.display()))?;
    let identity_key = secret
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-"))
        .and_then(|l| l.trim().parse::<age::x25519::Identity>().ok())
        .with_context(|| {
            format!(
                "`{}` holds no age identity (AGE-SECRET-KEY-1…)",
                identity.display()
            )
        })?;
    let ciphertext =
        std::fs::read(file).with_context(|| format!("cannot read `{}`", file.display()))?;
    let decryptor = age::Decryptor::new(&ciphertext[..])
        .map_err(|e| anyhow::anyhow!("`{}` is not an age file: {e}", file.display()))?;
    let mut reader = decryptor
        .decrypt(std::iter::once(&identity_key as &dyn age::Identity))
        .map_err(|e| {
            anyhow::anyhow!(
                "cannot open `{}` with this identity: {e} (it is encrypted to another party)",
                file.display()
            )
        })?;
    let mut plain = Vec::new();
    reader.read_to_end(&mut plain)?;
    std::fs::write(out, &plain).with_context(|| format!("cannot write `{}`", out.display()))?;
    Ok(format!(
        "opened {} into {} (sha256 {})\n",
        file.display(),
        out.display(),
        truce_mission::sha256_hex(&plain)
    ))
}

/// `truce keys generate --age`: an age X25519 identity for a party's payloads.
pub fn generate_age_identity(out: &Path) -> Result<String> {
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public().to_string();
    let mut file = crate::ledger::create_secret_file(out, "identity file")?;
    writeln!(file, "# public key: {recipient}")?;
    writeln!(file, "{}", identity.to_string().expose_secret())?;
    Ok(format!("{recipient}\n"))
}

/// Unused evidence flags are fine: the entitlement commands check like `truce check`.
pub fn evidence_needs_db(evidence: &EvidenceArgs) -> Result<&Path> {
    evidence
        .db
        .as_deref()
        .context("entitlements are kept in a store: give --db PATH")
}

/// What a release or a suspension rests on: the check just made, and where the
/// entitlement stands in it.
fn basis<'a>(
    checked: &'a Checked,
    status: &'a truce_engine::EntitlementStatus,
) -> truce_mission::entitlement::ReleaseBasis<'a> {
    truce_mission::entitlement::ReleaseBasis {
        agreement: &checked.agreement.id,
        status,
        result: &checked.result,
        reports: &checked.reports,
    }
}
