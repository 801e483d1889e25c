//! # truce-audit: a transparency log of opaque canonical records
//!
//! This crate keeps an append-only log that anyone can check with hashes and public
//! keys alone. It knows nothing of ceasefires: a record is a JSON value, written in
//! one canonical form so that the same record always hashes the same, and the log
//! proves three things about records:
//!
//! - **inclusion**: this record is entry *i* of the log whose root is *R*;
//! - **consistency**: the log of root *R′* at size *n* still holds, unchanged and in
//!   place, every entry of the log of root *R* at size *m* ≤ *n*;
//! - **who vouches**: the log's operator signed "size *n*, root *R*" (a checkpoint),
//!   and witnesses cosigned it after checking it extends what they saw before.
//!
//! Everything here is pure: no file, no clock, no random source. Callers pass times
//! and seeds in.
//!
//! ## Records: RFC 8785 canonical JSON
//!
//! [`canonical_json`] writes a value as the JSON Canonicalization Scheme says: object
//! members sorted by UTF-16 code units, no whitespace, minimal string escapes, numbers
//! as ECMAScript prints a double (`1.0` is `1`, `1e21` is `1e+21`). Integers beyond
//! ±(2^53 − 1) are refused rather than rounded. The leaf hash of a record is
//! SHA-256(0x00 || canonical bytes) ([`record_leaf_hash`]).
//!
//! ```
//! use serde_json::json;
//! let record = json!({"kind": "check-run", "findings": "5dc9da79", "at": 1474300800});
//! let bytes = truce_audit::canonical_json(&record).unwrap();
//! assert_eq!(bytes, br#"{"at":1474300800,"findings":"5dc9da79","kind":"check-run"}"#.as_slice());
//! ```
//!
//! ## The tree: RFC 9162 §2.1
//!
//! The root of the empty tree is SHA-256 of nothing; a leaf hashes as
//! SHA-256(0x00 || data); an interior node as SHA-256(0x01 || left || right); a tree of
//! n > 1 leaves splits at the largest power of two below n. [`Tree`] caches every
//! complete subtree, so appending costs amortised one hash, and the root of any earlier
//! size, an inclusion proof or a consistency proof costs O(log n) hashes.
//! [`verify_inclusion`] and [`verify_consistency`] need only hashes: a party checking
//! the log never holds the tree.
//!
//! ```
//! use truce_audit::{Tree, leaf_hash, verify_inclusion, verify_consistency};
//! let mut tree = Tree::new();
//! for record in [&b"first"[..], b"second", b"third", b"fourth", b"fifth"] {
//!     tree.append_record(record);
//! }
//! let root_3 = tree.root_at(3).unwrap();
//! let root_5 = tree.root();
//! let proof = tree.inclusion_proof(1, 5).unwrap();
//! verify_inclusion(&leaf_hash(b"second"), 1, 5, &proof, &root_5).unwrap();
//! let proof = tree.consistency_proof(3, 5).unwrap();
//! verify_consistency(3, 5, &root_3, &root_5, &proof).unwrap();
//! // A root of size 3 that is not the real one is caught, and the error says where.
//! let error = verify_consistency(3, 5, &root_5, &root_5, &proof).unwrap_err();
//! assert!(error.to_string().starts_with("the consistency proof from size 3 to 5 does not lead to the root of size 3"));
//! ```
//!
//! ## Checkpoints: C2SP `tlog-checkpoint` in a C2SP `signed-note`
//!
//! A checkpoint is a text of three lines or more: the log's origin, the tree size in
//! decimal, the base64 root hash, then optional extension lines. It is signed as a
//! note: the text, a blank line, and one line per signature,
//! `— <key name> <base64(4-byte key id || Ed25519 signature)>`. Keys use the text forms
//! of Go's `golang.org/x/mod/sumdb/note`: a verifier key is
//! `<name>+<8 hex digit key id>+<base64(0x01 || public key)>` and a signer key
//! `PRIVATE+KEY+<name>+<key id>+<base64(0x01 || seed)>`, where the key id is the first
//! four bytes of SHA-256(name || 0x0A || 0x01 || public key). Existing transparency
//! tooling reads these notes as they are.
//!
//! The checkpoint of the five records above, signed with the Ed25519 seed of 32 bytes
//! of 7 (the note and key below were computed independently, with Python's
//! `hashlib` and `cryptography`):
//!
//! ```
//! use truce_audit::{Checkpoint, KeyType, SignerKey, Tree, VerifierKey, open_checkpoint};
//! let note = "truce.example/syria-2016
//! 5
//! wjlF+taxnses7K+LWPnpeyljD8CVtHimEIFU9ojX9FM=
//!
//! — truce.example/syria-2016 ehQzY8VStRdFpyVbshTXw5tgu1UysV499mhbBSHv8FmijK1wVXVtVrmS6Q4jRSGPousR6IZECCRLcNeYWJwdwhUfWQI=
//! ";
//! let log_key = VerifierKey::parse("truce.example/syria-2016+7a143363+AepKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs").unwrap();
//! let opened = open_checkpoint(note.as_bytes(), &log_key, &[]).unwrap();
//! assert_eq!(opened.checkpoint.size, 5);
//!
//! let mut tree = Tree::new();
//! for record in [&b"first"[..], b"second", b"third", b"fourth", b"fifth"] {
//!     tree.append_record(record);
//! }
//! assert_eq!(opened.checkpoint.root, tree.root());
//! let signer = SignerKey::from_seed("truce.example/syria-2016", KeyType::Ed25519, &[7; 32]).unwrap();
//! assert_eq!(signer.verifier_key(), log_key);
//! // Ed25519 signatures are deterministic: signing again gives the same bytes.
//! let signed = Checkpoint::new("truce.example/syria-2016", 5, tree.root()).sign(&signer).unwrap();
//! assert_eq!(signed.to_string(), note);
//! ```
//!
//! ## Witness cosignatures: C2SP `tlog-cosignature`
//!
//! A witness appends its own signature line, of type 0x04 (key id from
//! SHA-256(name || 0x0A || 0x04 || public key)), whose bytes are
//! key id || 8-byte big-endian POSIX time || Ed25519 signature over
//! `cosignature/v1\ntime <time>\n` followed by the checkpoint text. It cosigns only
//! after [`check_for_cosigning`]: the log's signature verifies, the log did not shrink,
//! a same-size checkpoint has the same root, and a consistency proof shows the new tree
//! extends the one it cosigned last.
//!
//! ```
//! use truce_audit::{Checkpoint, KeyType, SignerKey, Tree, cosign, open_checkpoint};
//! let log_key = SignerKey::from_seed("truce.example/log", KeyType::Ed25519, &[7; 32]).unwrap();
//! let witness_key = SignerKey::from_seed("party.example/w", KeyType::CosignatureV1, &[9; 32]).unwrap();
//! let mut tree = Tree::new();
//! tree.append_record(b"agreement version 1");
//! let first = Checkpoint::new("truce.example/log", tree.size(), tree.root());
//! let first_note = first.sign(&log_key).unwrap().to_bytes();
//! let cosigned = cosign(None, &first_note, &log_key.verifier_key(), &[], &witness_key, 1_474_300_800).unwrap();
//!
//! tree.append_record(b"check run 1");
//! let second = Checkpoint::new("truce.example/log", tree.size(), tree.root());
//! let second_note = second.sign(&log_key).unwrap().to_bytes();
//! let proof = tree.consistency_proof(1, 2).unwrap();
//! let cosigned = cosign(Some(&cosigned.checkpoint), &second_note, &log_key.verifier_key(), &proof, &witness_key, 1_474_387_200).unwrap();
//!
//! let opened = open_checkpoint(&cosigned.note.to_bytes(), &log_key.verifier_key(), &[witness_key.verifier_key()]).unwrap();
//! assert_eq!(opened.checkpoint.size, 2);
//! assert_eq!(opened.cosignatures[0].timestamp, Some(1_474_387_200));
//!
//! // A log that rewrites entry 1 cannot get the same witness to cosign size 2 again.
//! let mut forged = Tree::new();
//! forged.append_record(b"agreement version 1");
//! forged.append_record(b"a different check run");
//! let forged_note = Checkpoint::new("truce.example/log", 2, forged.root()).sign(&log_key).unwrap().to_bytes();
//! let refusal = cosign(Some(&opened.checkpoint), &forged_note, &log_key.verifier_key(), &[], &witness_key, 1_474_473_600).unwrap_err();
//! assert!(refusal.to_string().starts_with("two different trees of size 2: history was rewritten"));
//! ```
//!
//! ## Costs
//!
//! [`hash_counts_on_this_thread`] counts the SHA-256 computations (and compression
//! blocks) this crate made on the calling thread, so benchmarks can compare with RFC
//! 9162's model: an inclusion proof of a tree of n leaves has at most ⌈log2 n⌉ hashes
//! and verifying it costs one node hash per proof hash; a consistency proof has at
//! most ⌈log2 n⌉ + 1 hashes and verifying it costs at most two per proof hash.

mod canonical;
mod checkpoint;
mod hash;
mod note;
mod proof;
mod tree;
mod witness;

pub use canonical::{
    CanonicalJsonError, MAX_SAFE_INTEGER, canonical_json, parse_canonical_json, record_leaf_hash,
};
pub use checkpoint::{Checkpoint, CheckpointError, OpenedCheckpoint, open_checkpoint};
pub use hash::{
    HASH_SIZE, Hash, HashCounts, HashParseError, LEAF_HASH_PREFIX, NODE_HASH_PREFIX,
    empty_tree_root, hash_counts_on_this_thread, leaf_hash, node_hash,
};
pub use note::{
    COSIGNATURE_V1_HEADER, KeyError, KeyType, MAX_COSIGNATURE_TIMESTAMP, MAX_NOTE_BYTES,
    MAX_NOTE_SIGNATURES, Note, NoteError, NoteSignature, OpenedNote, SIGNATURE_LINE_PREFIX,
    SignerKey, VerifiedSignature, VerifierKey, cosignature_v1_message, is_valid_key_name, key_id,
    open_note,
};
pub use proof::{
    ProofError, consistency_proof_length, inclusion_proof_length, root_from_inclusion_proof,
    verify_consistency, verify_inclusion,
};
pub use tree::{Tree, TreeError};
pub use witness::{Cosigned, WitnessRefusal, check_for_cosigning, cosign};
