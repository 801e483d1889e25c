//! Fuzzes what a verifier computes from a bundle's numbers: inclusion and
//! consistency proofs from any sizes, indexes and hashes never panic (never an
//! overflow or an out-of-range index), and canonical JSON (RFC 8785) read from
//! any bytes writes back to the very same bytes.

#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_audit::{
    Hash, canonical_json, parse_canonical_json, root_from_inclusion_proof, verify_consistency,
    verify_inclusion,
};

fn number(data: &[u8], at: usize) -> u64 {
    let mut bytes = [0u8; 8];
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = data.get(at + i).copied().unwrap_or(0);
    }
    u64::from_le_bytes(bytes)
}

fuzz_target!(|data: &[u8]| {
    if let Ok(value) = parse_canonical_json(data) {
        let written = canonical_json(&value).expect("a value read writes");
        assert_eq!(written, data, "canonical JSON writes back byte for byte");
    }
    let (index, old, new) = (number(data, 0), number(data, 8), number(data, 16));
    let hashes: Vec<Hash> = data
        .get(24..)
        .unwrap_or(&[])
        .chunks_exact(32)
        .map(|c| Hash(c.try_into().expect("32 bytes")))
        .collect();
    let leaf = hashes.first().copied().unwrap_or(Hash([0; 32]));
    let root = hashes.last().copied().unwrap_or(Hash([1; 32]));
    let proof = hashes.get(1..).unwrap_or(&[]);
    // Small sizes reach the arithmetic's edges; the raw numbers reach overflow.
    for (i, size) in [(index, old), (index % 17, old % 19), (index % 5, new % 7)] {
        let _ = root_from_inclusion_proof(&leaf, i, size, proof);
        let _ = verify_inclusion(&leaf, i, size, proof, &root);
    }
    for (a, b) in [(old, new), (old % 19, new % 23), (new % 11, old % 13)] {
        let _ = verify_consistency(a, b, &leaf, &root, proof);
    }
});
