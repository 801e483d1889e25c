//! SHA-256 hashes with the domain separation of RFC 9162 §2.1.1, and a per-thread
//! count of the hashes made, so that benchmarks and tests can hold the code to the
//! RFC's cost model without a profiler.

use std::cell::Cell;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha2::{Digest, Sha256};
use thiserror::Error;

/// The size of a SHA-256 hash in bytes, and so of every Merkle tree hash.
pub const HASH_SIZE: usize = 32;

/// The prefix byte of a leaf hash (RFC 9162 §2.1.1): it keeps a leaf from ever
/// hashing like an interior node, which would allow second-preimage attacks.
pub const LEAF_HASH_PREFIX: u8 = 0x00;

/// The prefix byte of an interior node hash (RFC 9162 §2.1.1).
pub const NODE_HASH_PREFIX: u8 = 0x01;

/// A SHA-256 hash: a leaf hash, an interior node hash or a tree root.
///
/// It prints as 64 lowercase hexadecimal digits, the form used by the RFC test
/// vectors and by people comparing hashes by eye.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Hash(pub [u8; HASH_SIZE]);

/// A text or a byte string that is not a SHA-256 hash.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HashParseError {
    /// The bytes are not 32 long.
    #[error("a SHA-256 hash is 32 bytes long; found {found} bytes")]
    WrongLength {
        /// How many bytes there were.
        found: usize,
    },
    /// The text is not 64 hexadecimal digits.
    #[error("a SHA-256 hash is written as 64 hexadecimal digits; found `{text}`")]
    NotHex {
        /// The text that was given (cut to 80 characters).
        text: String,
    },
    /// The text is not standard padded base64 of 32 bytes.
    #[error("a SHA-256 hash in base64 is 44 characters of standard padded base64; found `{text}`")]
    NotBase64 {
        /// The text that was given (cut to 80 characters).
        text: String,
    },
}

impl Hash {
    /// Takes a hash from a byte slice that must be exactly 32 bytes long: proofs
    /// read from files arrive as slices, and a short one must be an error, not a panic.
    pub fn from_slice(bytes: &[u8]) -> Result<Hash, HashParseError> {
        let array: [u8; HASH_SIZE] = bytes
            .try_into()
            .map_err(|_| HashParseError::WrongLength { found: bytes.len() })?;
        Ok(Hash(array))
    }

    /// Reads 64 hexadecimal digits (either case).
    pub fn from_hex(text: &str) -> Result<Hash, HashParseError> {
        let not_hex = || HashParseError::NotHex {
            text: text.chars().take(80).collect(),
        };
        let bytes = text.as_bytes();
        if bytes.len() != 2 * HASH_SIZE {
            return Err(not_hex());
        }
        let mut out = [0u8; HASH_SIZE];
        for (slot, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
            let high = hex_digit(pair[0]).ok_or_else(not_hex)?;
            let low = hex_digit(pair[1]).ok_or_else(not_hex)?;
            *slot = (high << 4) | low;
        }
        Ok(Hash(out))
    }

    /// Reads the standard padded base64 of 32 bytes, the form of a checkpoint's root
    /// line. Non-canonical encodings (stray bits in the last character) are refused,
    /// so one hash has exactly one text.
    pub fn from_base64(text: &str) -> Result<Hash, HashParseError> {
        let not_base64 = || HashParseError::NotBase64 {
            text: text.chars().take(80).collect(),
        };
        let bytes = BASE64.decode(text).map_err(|_| not_base64())?;
        Hash::from_slice(&bytes).map_err(|_| not_base64())
    }

    /// The 64 lowercase hexadecimal digits of the hash.
    pub fn to_hex(&self) -> String {
        self.to_string()
    }

    /// The standard padded base64 of the hash (44 characters).
    pub fn to_base64(&self) -> String {
        BASE64.encode(self.0)
    }

    /// The 32 bytes of the hash.
    pub fn as_bytes(&self) -> &[u8; HASH_SIZE] {
        &self.0
    }
}

fn hex_digit(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({self})")
    }
}

impl From<[u8; HASH_SIZE]> for Hash {
    fn from(bytes: [u8; HASH_SIZE]) -> Hash {
        Hash(bytes)
    }
}

/// How many SHA-256 computations this thread has made through this crate, and how
/// many 64-byte compression-function blocks they took.
///
/// RFC 9162's cost model counts hashes (an inclusion proof of a tree of n leaves
/// needs about ⌈log2 n⌉); compressions tell the real work (a node hash is 65 bytes
/// and takes two blocks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HashCounts {
    /// SHA-256 computations (leaf hashes, node hashes, key ids, the empty root).
    pub calls: u64,
    /// 64-byte blocks fed to the SHA-256 compression function.
    pub compressions: u64,
}

impl HashCounts {
    /// The counts made between `earlier` and `self`.
    pub fn since(self, earlier: HashCounts) -> HashCounts {
        HashCounts {
            calls: self.calls.saturating_sub(earlier.calls),
            compressions: self.compressions.saturating_sub(earlier.compressions),
        }
    }
}

thread_local! {
    // Per thread rather than global: counting must not make threads contend for one
    // cache line, and a benchmark wants the work of the thread it measures.
    static COUNTS: Cell<HashCounts> = const { Cell::new(HashCounts { calls: 0, compressions: 0 }) };
}

/// The hashes this thread has made through this crate so far (see [`HashCounts`]).
pub fn hash_counts_on_this_thread() -> HashCounts {
    COUNTS.with(Cell::get)
}

/// Records one SHA-256 computation over `message_len` bytes: the message, one 0x80
/// byte and an 8-byte length, rounded up to 64-byte blocks.
fn count(message_len: usize) {
    let blocks = (message_len as u64 + 9).div_ceil(64);
    COUNTS.with(|counts| {
        let mut current = counts.get();
        current.calls += 1;
        current.compressions += blocks;
        counts.set(current);
    });
}

/// SHA-256 of `parts` concatenated, counted.
pub(crate) fn sha256(parts: &[&[u8]]) -> Hash {
    let mut hasher = Sha256::new();
    let mut length = 0;
    for part in parts {
        hasher.update(part);
        length += part.len();
    }
    count(length);
    Hash(hasher.finalize().into())
}

/// The root of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1),
/// `e3b0c442…b855`.
pub fn empty_tree_root() -> Hash {
    sha256(&[])
}

/// The hash of one leaf: SHA-256(0x00 || data) (RFC 9162 §2.1.1).
pub fn leaf_hash(data: &[u8]) -> Hash {
    sha256(&[&[LEAF_HASH_PREFIX], data])
}

/// The hash of an interior node: SHA-256(0x01 || left || right) (RFC 9162 §2.1.1).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    sha256(&[&[NODE_HASH_PREFIX], &left.0, &right.0])
}
