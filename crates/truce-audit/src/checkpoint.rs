//! Checkpoints (C2SP `tlog-checkpoint`): the signed statement "the log named
//! `origin` has `size` leaves and this root", as the text of a signed note.
//!
//! ```text
//! <origin>
//! <tree size in decimal, no leading zero>
//! <base64 of the 32-byte root hash>
//! [extension lines, each non-empty]
//! ```

use thiserror::Error;

use crate::hash::{Hash, HashParseError};
use crate::note::{
    KeyType, Note, NoteError, NoteSignature, SignerKey, VerifiedSignature, VerifierKey, open_note,
};

/// A log's tree head at one size, as a checkpoint states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's identity, e.g. `truce.example/ceasefire-2016`. The log's key name
    /// should be the same.
    pub origin: String,
    /// How many leaves the tree has.
    pub size: u64,
    /// The tree's root hash (RFC 9162 MTH).
    pub root: Hash,
    /// Extension lines, opaque and optional (the spec advises against them: monitors
    /// cannot audit them).
    pub extensions: Vec<String>,
}

/// Why a checkpoint cannot be written, read or trusted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CheckpointError {
    /// The origin is empty or holds a newline or a control character.
    #[error(
        "a checkpoint origin is one non-empty line with no control character; found `{origin}`"
    )]
    InvalidOrigin {
        /// The origin (cut to 120 characters).
        origin: String,
    },
    /// An extension line is empty or holds a newline or a control character.
    #[error("checkpoint extension line {number} is empty or holds a control character")]
    InvalidExtension {
        /// Which extension line (from 1).
        number: usize,
    },
    /// The text does not have the three lines every checkpoint has.
    #[error(
        "a checkpoint has at least three lines (origin, tree size, root hash); this text has {found}"
    )]
    TooFewLines {
        /// How many lines there were.
        found: usize,
    },
    /// The text does not end with a newline.
    #[error("the checkpoint text does not end with a newline")]
    MissingFinalNewline,
    /// The tree size line is not a decimal number without leading zeros.
    #[error(
        "line 2 of the checkpoint should be the tree size in decimal with no leading zero; found `{text}`"
    )]
    InvalidSize {
        /// The line (cut to 40 characters).
        text: String,
    },
    /// The root hash line is not the base64 of 32 bytes.
    #[error("line 3 of the checkpoint should be the root hash: {source}")]
    InvalidRoot {
        /// What is wrong with it.
        #[source]
        source: HashParseError,
    },
    /// The note around the checkpoint is malformed or a signature fails.
    #[error(transparent)]
    Note(#[from] NoteError),
    /// The note verifies, but not with the log's key.
    #[error("the checkpoint is not signed by the log key `{name}` ({key_id:08x})")]
    NotSignedByLog {
        /// The log key's name.
        name: String,
        /// The log key's id.
        key_id: u32,
    },
    /// The log key is a cosigner key: logs sign with plain Ed25519 keys (type 0x01).
    #[error(
        "the log key `{name}` is a {key_type} key; a log signs checkpoints with an Ed25519 (type 0x01) key"
    )]
    LogKeyType {
        /// The key's name.
        name: String,
        /// Its type.
        key_type: KeyType,
    },
}

fn is_valid_line(line: &str) -> bool {
    !line.is_empty() && !line.chars().any(|c| c < ' ')
}

impl Checkpoint {
    /// A checkpoint with no extension line.
    pub fn new(origin: impl Into<String>, size: u64, root: Hash) -> Checkpoint {
        Checkpoint {
            origin: origin.into(),
            size,
            root,
            extensions: Vec::new(),
        }
    }

    /// The checkpoint's text: origin, size, base64 root and extension lines, each
    /// ending in a newline.
    pub fn to_text(&self) -> Result<String, CheckpointError> {
        if !is_valid_line(&self.origin) {
            return Err(CheckpointError::InvalidOrigin {
                origin: self.origin.chars().take(120).collect(),
            });
        }
        let mut text = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            self.root.to_base64()
        );
        for (position, extension) in self.extensions.iter().enumerate() {
            if !is_valid_line(extension) {
                return Err(CheckpointError::InvalidExtension {
                    number: position + 1,
                });
            }
            text.push_str(extension);
            text.push('\n');
        }
        Ok(text)
    }

    /// Reads a checkpoint text strictly: the size has no sign, no leading zero and fits
    /// 64 bits; the root is canonical base64 of exactly 32 bytes; extension lines are
    /// not empty.
    pub fn parse_text(text: &str) -> Result<Checkpoint, CheckpointError> {
        let body = text
            .strip_suffix('\n')
            .ok_or(CheckpointError::MissingFinalNewline)?;
        let lines: Vec<&str> = body.split('\n').collect();
        if lines.len() < 3 {
            return Err(CheckpointError::TooFewLines { found: lines.len() });
        }
        let origin = lines[0];
        if !is_valid_line(origin) {
            return Err(CheckpointError::InvalidOrigin {
                origin: origin.chars().take(120).collect(),
            });
        }
        let size_text = lines[1];
        let invalid_size = || CheckpointError::InvalidSize {
            text: size_text.chars().take(40).collect(),
        };
        if size_text.is_empty()
            || !size_text.bytes().all(|b| b.is_ascii_digit())
            || (size_text.len() > 1 && size_text.starts_with('0'))
        {
            return Err(invalid_size());
        }
        let size: u64 = size_text.parse().map_err(|_| invalid_size())?;
        let root = Hash::from_base64(lines[2])
            .map_err(|source| CheckpointError::InvalidRoot { source })?;
        let mut extensions = Vec::new();
        for (position, extension) in lines[3..].iter().enumerate() {
            if !is_valid_line(extension) {
                return Err(CheckpointError::InvalidExtension {
                    number: position + 1,
                });
            }
            extensions.push((*extension).to_owned());
        }
        Ok(Checkpoint {
            origin: origin.to_owned(),
            size,
            root,
            extensions,
        })
    }

    /// The checkpoint as a note signed by the log's key (type 0x01).
    pub fn sign(&self, log_key: &SignerKey) -> Result<Note, CheckpointError> {
        if log_key.key_type() != KeyType::Ed25519 {
            return Err(CheckpointError::LogKeyType {
                name: log_key.name().to_owned(),
                key_type: log_key.key_type(),
            });
        }
        Ok(Note::sign(&self.to_text()?, &[log_key], 0)?)
    }
}

/// A checkpoint whose log signature verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedCheckpoint {
    /// The checkpoint.
    pub checkpoint: Checkpoint,
    /// The note it came in, with every signature line as read.
    pub note: Note,
    /// The log's verified signature.
    pub log_signature: VerifiedSignature,
    /// The verified signatures of the known witnesses (cosignatures with their times).
    pub cosignatures: Vec<VerifiedSignature>,
    /// Signatures by keys that were not given, kept unverified.
    pub unverified: Vec<NoteSignature>,
}

/// Reads a signed checkpoint and checks it: the log's signature must verify with
/// `log_key`; each signature by one of `witnesses` must verify too; signatures by
/// other keys are kept unverified.
pub fn open_checkpoint(
    bytes: &[u8],
    log_key: &VerifierKey,
    witnesses: &[VerifierKey],
) -> Result<OpenedCheckpoint, CheckpointError> {
    if log_key.key_type() != KeyType::Ed25519 {
        return Err(CheckpointError::LogKeyType {
            name: log_key.name().to_owned(),
            key_type: log_key.key_type(),
        });
    }
    let mut known = Vec::with_capacity(witnesses.len() + 1);
    known.push(log_key.clone());
    known.extend(witnesses.iter().cloned());
    let opened = open_note(bytes, &known)?;
    let (log_signatures, cosignatures): (Vec<_>, Vec<_>) =
        opened.verified.into_iter().partition(|signature| {
            signature.key_name == log_key.name() && signature.key_id == log_key.key_id()
        });
    let log_signature =
        log_signatures
            .into_iter()
            .next()
            .ok_or_else(|| CheckpointError::NotSignedByLog {
                name: log_key.name().to_owned(),
                key_id: log_key.key_id(),
            })?;
    let checkpoint = Checkpoint::parse_text(&opened.note.text)?;
    Ok(OpenedCheckpoint {
        checkpoint,
        note: opened.note,
        log_signature,
        cosignatures,
        unverified: opened.unverified,
    })
}
