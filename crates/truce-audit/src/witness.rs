//! The witness's decision, without IO: given the checkpoint this witness last
//! cosigned and a new signed checkpoint with a consistency proof, cosign the new one
//! only if the log's signature verifies and the new tree extends the old one.
//!
//! A witness that keeps this rule makes a rewritten history visible: a log that
//! shows one party a tree and another party a different tree of the same size (or a
//! shorter one) cannot get both cosigned by the same witness.

use thiserror::Error;

use crate::checkpoint::{Checkpoint, CheckpointError, OpenedCheckpoint, open_checkpoint};
use crate::hash::Hash;
use crate::note::{Note, NoteError, SignerKey, VerifierKey};
use crate::proof::{ProofError, verify_consistency};

/// Why a witness refuses to cosign a checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WitnessRefusal {
    /// The checkpoint's log signature does not verify, or the note is malformed.
    #[error("the new checkpoint is not validly signed by the log: {0}")]
    LogSignature(#[source] CheckpointError),
    /// The checkpoint is of another log.
    #[error("the new checkpoint is for the log `{found}`, but this witness follows `{expected}`")]
    OriginChanged {
        /// The origin this witness cosigned before.
        expected: String,
        /// The origin of the new checkpoint.
        found: String,
    },
    /// The log is smaller than when last cosigned.
    #[error(
        "the log shrank from {old_size} to {new_size} entries: a log only grows, so entries were removed"
    )]
    Shrank {
        /// The size last cosigned.
        old_size: u64,
        /// The new, smaller size.
        new_size: u64,
    },
    /// Same size, another root.
    #[error(
        "two different trees of size {size}: history was rewritten (cosigned root {cosigned_root}, new root {new_root})"
    )]
    HistoryRewritten {
        /// The size of both.
        size: u64,
        /// The root this witness cosigned.
        cosigned_root: Hash,
        /// The root of the new checkpoint.
        new_root: Hash,
    },
    /// The consistency proof does not show the new tree extends the old one.
    #[error(
        "the log at size {new_size} is not shown to extend the log this witness cosigned at size {old_size}, so history may have been rewritten: {source}"
    )]
    Inconsistent {
        /// The size last cosigned.
        old_size: u64,
        /// The new size.
        new_size: u64,
        /// What failed in the proof.
        #[source]
        source: ProofError,
    },
    /// The cosignature could not be made (a timestamp out of range).
    #[error("the cosignature could not be made: {0}")]
    Signing(#[source] NoteError),
}

/// A checkpoint the witness agreed to cosign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cosigned {
    /// The checkpoint, now the last one this witness cosigned: the state to keep.
    pub checkpoint: Checkpoint,
    /// The note with this witness's cosignature appended to its signature lines.
    pub note: Note,
}

/// Decides whether a witness may cosign `new_note`, and returns the checked
/// checkpoint if so.
///
/// In order: the log's signature must verify with `log_key` (nothing else is
/// believed before that); the origin must be the one cosigned before; the size must
/// not have shrunk; at the same size the root must be the same (and the proof empty);
/// at a larger size `consistency_proof` must prove that the new tree extends the one
/// cosigned. With no earlier checkpoint (`last_cosigned` is `None`), the first
/// checkpoint is trusted as it is: a witness has to start somewhere.
pub fn check_for_cosigning(
    last_cosigned: Option<&Checkpoint>,
    new_note: &[u8],
    log_key: &VerifierKey,
    consistency_proof: &[Hash],
) -> Result<OpenedCheckpoint, WitnessRefusal> {
    let opened = open_checkpoint(new_note, log_key, &[]).map_err(WitnessRefusal::LogSignature)?;
    let Some(last) = last_cosigned else {
        return Ok(opened);
    };
    let new = &opened.checkpoint;
    if new.origin != last.origin {
        return Err(WitnessRefusal::OriginChanged {
            expected: last.origin.clone(),
            found: new.origin.clone(),
        });
    }
    if new.size < last.size {
        return Err(WitnessRefusal::Shrank {
            old_size: last.size,
            new_size: new.size,
        });
    }
    if new.size == last.size && new.root != last.root {
        return Err(WitnessRefusal::HistoryRewritten {
            size: new.size,
            cosigned_root: last.root,
            new_root: new.root,
        });
    }
    verify_consistency(
        last.size,
        new.size,
        &last.root,
        &new.root,
        consistency_proof,
    )
    .map_err(|source| WitnessRefusal::Inconsistent {
        old_size: last.size,
        new_size: new.size,
        source,
    })?;
    Ok(opened)
}

/// Checks `new_note` as [`check_for_cosigning`] does and, if it passes, appends this
/// witness's `cosignature/v1` made at `timestamp` (POSIX seconds; the caller reads the
/// clock). `witness_key` may be given as a plain or a cosigner key: it signs as a
/// cosigner (type 0x04) either way.
pub fn cosign(
    last_cosigned: Option<&Checkpoint>,
    new_note: &[u8],
    log_key: &VerifierKey,
    consistency_proof: &[Hash],
    witness_key: &SignerKey,
    timestamp: u64,
) -> Result<Cosigned, WitnessRefusal> {
    let opened = check_for_cosigning(last_cosigned, new_note, log_key, consistency_proof)?;
    let mut note = opened.note;
    let cosigner = witness_key.to_cosigner();
    // A witness cosigns once: an earlier cosignature of its own on this note is
    // replaced by the new one rather than repeated.
    note.signatures.retain(|signature| {
        !(signature.key_name == cosigner.name() && signature.key_id == cosigner.key_id())
    });
    note.renumber_signature_lines();
    note.add_signature(&cosigner, timestamp)
        .map_err(WitnessRefusal::Signing)?;
    Ok(Cosigned {
        checkpoint: opened.checkpoint,
        note,
    })
}
