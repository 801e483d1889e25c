//! Fuzzes `truce ledger verify` and `truce ledger replay` on a bundle's folder:
//! whatever its files hold, nothing panics and both give a report.
//!
//! The input is cut at NUL bytes into the bundle's files, in this order:
//! `log.jsonl`, `keys.txt`, `bundle.json`, `checkpoints/000001.note`,
//! `checkpoints/000002.note`; every later part goes into `files/`, named by its
//! own sha256 as an export names it, so records that name it find it. The seed
//! (`fuzz/README.md`) is a real bundle of the Syria example, so a mutation is one
//! edit of a bundle that verifies and replays.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};
use std::path::PathBuf;

const NAMED: [&str; 5] = [
    "log.jsonl",
    "keys.txt",
    "bundle.json",
    "checkpoints/000001.note",
    "checkpoints/000002.note",
];

fn folder() -> PathBuf {
    std::env::temp_dir().join(format!("truce-fuzz-bundle-{}", std::process::id()))
}

fuzz_target!(|data: &[u8]| {
    let root = folder();
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("checkpoints")).expect("a scratch folder");
    std::fs::create_dir_all(root.join("files")).expect("a scratch folder");
    let mut parts = data.split(|b| *b == 0);
    for name in NAMED {
        match parts.next() {
            Some(part) => std::fs::write(root.join(name), part).expect("write"),
            None => break,
        }
    }
    for part in parts {
        let name = format!("{:x}", Sha256::digest(part));
        std::fs::write(root.join("files").join(name), part).expect("write");
    }
    if let Ok((report, code)) = truce_mission::verify::verify(&root, &[]) {
        assert!(code <= 1 && !report.is_empty());
    }
    if let Ok((report, code)) = truce_mission::replay::replay(&root) {
        assert!(code <= 1 && !report.is_empty());
    }
});
