//! Fuzzes the trust side's signed notes, checkpoints and cosignatures: whatever
//! the bytes, nothing panics; a note that parses writes back to the same bytes;
//! a checkpoint opens only with the log's real signature; a witness cosigns
//! only what checks.
//!
//! The input is used three ways: as a note on its own; as a checkpoint body
//! signed by the log's key (so the signature checks and the parsing behind it
//! is reached); and, after the first NUL, as a consistency proof (32-byte
//! hashes) for a witness that cosigned an earlier checkpoint.

#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_audit::{
    Checkpoint, Hash, KeyType, Note, SignerKey, VerifierKey, check_for_cosigning, open_checkpoint,
    open_note,
};

fn key(name: &str, seed: u8) -> SignerKey {
    SignerKey::from_seed(name, KeyType::Ed25519, &[seed; 32]).expect("a valid key name")
}

fuzz_target!(|data: &[u8]| {
    let log = key("fuzz.example/log", 7);
    let witness = key("fuzz.example/witness", 9);
    let known: Vec<VerifierKey> = vec![log.verifier_key(), witness.to_cosigner().verifier_key()];

    // 1. Any bytes as a note: parse, write back, open.
    if let Ok(note) = Note::parse(data) {
        assert_eq!(note.to_bytes(), data, "a note writes back as it was read");
    }
    let _ = open_note(data, &known);
    let _ = open_checkpoint(data, &log.verifier_key(), &known[1..]);

    // 2. The bytes as a checkpoint's text, signed by the log: the body's parsing.
    let (text, rest) = match data.iter().position(|b| *b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let text = String::from_utf8_lossy(text);
    if let Ok(checkpoint) = Checkpoint::parse_text(&text) {
        if let Ok(written) = checkpoint.to_text() {
            assert_eq!(Checkpoint::parse_text(&written).ok().as_ref(), Some(&checkpoint));
        }
        if let Ok(signed) = checkpoint.sign(&log) {
            let bytes = signed.to_bytes();
            let opened = open_checkpoint(&bytes, &log.verifier_key(), &[])
                .expect("a checkpoint the log signed opens");
            assert_eq!(opened.checkpoint, checkpoint);
            // Signed by another key, it does not open as the log's.
            if let Ok(forged) = checkpoint.sign(&witness) {
                assert!(open_checkpoint(&forged.to_bytes(), &log.verifier_key(), &[]).is_err());
            }
            // 3. A witness that cosigned an earlier, smaller tree, with the
            // rest of the input as the consistency proof.
            let proof: Vec<Hash> = rest
                .chunks_exact(32)
                .map(|c| Hash(c.try_into().expect("32 bytes")))
                .collect();
            let earlier = Checkpoint::new(
                checkpoint.origin.clone(),
                checkpoint.size / 2,
                Hash([3; 32]),
            );
            let _ = check_for_cosigning(Some(&earlier), &bytes, &log.verifier_key(), &proof);
            let _ = check_for_cosigning(Some(&checkpoint), &bytes, &log.verifier_key(), &proof);
        }
    }
});
