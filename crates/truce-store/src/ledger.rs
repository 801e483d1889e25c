//! The ledger's entries and checkpoints as the store keeps them.
//!
//! The store keeps the bytes: each entry's canonical record (RFC 8785 JSON), its
//! leaf hash, and each signed checkpoint as its note text. Building the Merkle
//! tree, proving and signing belong to `truce-audit`; what a record says belongs to
//! the callers. Entries are only ever appended: an entry's index is its position
//! in the log, for good.

/// One entry of the ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerEntry {
    /// Its position in the log, from 0.
    pub index: u64,
    /// What it records (`agreement-version`, `import-run`, `check-run`, …).
    pub kind: String,
    /// The canonical JSON of the record: the leaf's data.
    pub record: Vec<u8>,
    /// The RFC 9162 leaf hash of `record`.
    pub leaf_hash: [u8; 32],
    /// When it was appended (RFC 3339, given by the caller).
    pub recorded: String,
}

/// An entitlement's payload file, as `age` ciphertext.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payload {
    pub id: i64,
    pub entitlement: String,
    pub name: String,
    pub plain_sha256: String,
    pub cipher_sha256: String,
    pub ciphertext: Vec<u8>,
}

/// A signed checkpoint as kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCheckpoint {
    pub id: i64,
    /// The tree size it commits to.
    pub size: u64,
    /// The signed note (checkpoint body and signature lines).
    pub note: String,
    pub recorded: String,
}

pub(crate) fn to_hash(bytes: Vec<u8>) -> Option<[u8; 32]> {
    bytes.try_into().ok()
}
