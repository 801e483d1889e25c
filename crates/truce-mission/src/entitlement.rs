//! Releasing an entitlement: only when the check says its step is verified,
//! once, with its payload kept as ciphertext for the receiving party, and
//! recorded in the ledger with the check it rests on. The command line and the
//! server both release through [`release`].

use crate::record::{
    By, EntitlementHandover, EntitlementRelease, EntitlementSuspension, HandedFile, Record,
    ReleasedFile,
};
use crate::{MissionError, Standing, append, check_reference, standing};
use truce_engine::{CheckResult, EntitlementStatus};
use truce_model::report::Report;
use truce_store::Storage;

/// A payload file, already encrypted to the receiving party's recipients.
#[derive(Clone, Debug)]
pub struct SealedPayload {
    /// The file's name, as the party will see it.
    pub name: String,
    /// The sha256 of the file before encryption.
    pub plain_sha256: String,
    /// The `age` file.
    pub ciphertext: Vec<u8>,
}

/// What a release rests on: the entitlement's status in a check, and that
/// check's result and evidence (recorded by hash).
#[derive(Clone, Copy)]
pub struct ReleaseBasis<'a> {
    pub agreement: &'a str,
    pub status: &'a EntitlementStatus,
    pub result: &'a CheckResult,
    pub reports: &'a [Report],
}

/// Refuses a release that may not be made: the entitlement already released
/// (and not suspended since), or its step not verified by the check.
pub fn may_release(
    storage: &mut dyn Storage,
    status: &EntitlementStatus,
) -> Result<(), MissionError> {
    if matches!(standing(storage, &status.id)?, Standing::Released { .. }) {
        return Err(MissionError::AlreadyReleased {
            entitlement: status.id.clone(),
        });
    }
    if !status.releasable {
        return Err(MissionError::NotReleasable {
            entitlement: status.id.clone(),
            reason: truce_words::english(&status.reason),
        });
    }
    Ok(())
}

/// Releases the entitlement: refused as [`may_release`] says; otherwise keeps
/// the payload files and appends the `entitlement-release` record, made `by`
/// (a name, or the server's actor) at `at`. Returns the record's ledger index.
pub fn release(
    storage: &mut dyn Storage,
    basis: ReleaseBasis<'_>,
    by: By,
    payload: &[SealedPayload],
    at: &str,
) -> Result<u64, MissionError> {
    may_release(storage, basis.status)?;
    let check = check_reference(basis.result, basis.reports)?;
    let mut files = Vec::with_capacity(payload.len());
    for file in payload {
        storage.store_payload(
            &basis.status.id,
            &file.name,
            &file.plain_sha256,
            &file.ciphertext,
            at,
        )?;
        files.push(ReleasedFile {
            name: file.name.clone(),
            plain_sha256: file.plain_sha256.clone(),
            cipher_sha256: crate::sha256_hex(&file.ciphertext),
        });
    }
    let status = basis.status;
    let release = EntitlementRelease {
        at: at.to_string(),
        agreement: basis.agreement.to_string(),
        entitlement: status.id.clone(),
        to: status.to.clone(),
        step: status.step.clone(),
        reason: truce_words::english(&status.reason),
        by,
        check,
        payload: files,
    };
    append(storage, &Record::EntitlementRelease(release), at)
}

/// Suspends a released entitlement, for `reason`: its payload is no longer handed
/// over. Records the `entitlement-suspension` with the check it was made on, and
/// whether the step still held on that check (a suspension may be for reasons the
/// evidence does not show). Refused when the entitlement is not released now.
/// Returns the record's ledger index.
pub fn suspend(
    storage: &mut dyn Storage,
    basis: ReleaseBasis<'_>,
    by: By,
    reason: &str,
    at: &str,
) -> Result<u64, MissionError> {
    let status = basis.status;
    if !matches!(standing(storage, &status.id)?, Standing::Released { .. }) {
        return Err(MissionError::NotReleasedNow {
            entitlement: status.id.clone(),
        });
    }
    let suspension = EntitlementSuspension {
        at: at.to_string(),
        agreement: basis.agreement.to_string(),
        entitlement: status.id.clone(),
        by,
        reason: reason.to_string(),
        step_still_holds: status.releasable,
        step_reason: truce_words::english(&status.reason),
        check: check_reference(basis.result, basis.reports)?,
    };
    append(storage, &Record::EntitlementSuspension(suspension), at)
}

/// The payload files to hand over, still encrypted to the receiving party:
/// refused unless the entitlement is released (and not suspended since); all
/// of them, or the one numbered `only`. Record the hand-over with
/// [`record_hand_over`] once they are delivered.
pub fn payloads_to_hand_over(
    storage: &mut dyn Storage,
    entitlement: &str,
    only: Option<i64>,
) -> Result<Vec<truce_store::Payload>, MissionError> {
    let why = match standing(storage, entitlement)? {
        Standing::Released { .. } => None,
        Standing::NeverReleased => Some("is not released".to_string()),
        Standing::Suspended { reason, .. } => Some(format!("is suspended ({reason})")),
    };
    if let Some(why) = why {
        return Err(MissionError::NotHandedOver {
            entitlement: entitlement.to_string(),
            why,
        });
    }
    let payloads: Vec<truce_store::Payload> = storage
        .payloads(entitlement)?
        .into_iter()
        .filter(|p| only.is_none_or(|id| p.id == id))
        .collect();
    if payloads.is_empty() {
        return Err(MissionError::NoPayload {
            entitlement: entitlement.to_string(),
            file: only,
        });
    }
    Ok(payloads)
}

/// Appends the `entitlement-handover` record of `payloads` handed to `to`
/// (made `by` the caller, when known); returns its ledger index.
pub fn record_hand_over(
    storage: &mut dyn Storage,
    entitlement: &str,
    to: &str,
    by: Option<By>,
    payloads: &[truce_store::Payload],
    at: &str,
) -> Result<u64, MissionError> {
    let hand_over = EntitlementHandover {
        at: at.to_string(),
        entitlement: entitlement.to_string(),
        to: to.to_string(),
        files: payloads
            .iter()
            .map(|p| HandedFile {
                name: p.name.clone(),
                cipher_sha256: p.cipher_sha256.clone(),
            })
            .collect(),
        by,
    };
    append(storage, &Record::EntitlementHandover(hand_over), at)
}
