//! Micro-benchmark of the transparency log, measured against RFC 9162's cost model.
//!
//! `cargo run --release -p truce-audit --example tlog_bench [RECORDS] [QUERIES]`
//! (defaults: 1,000,000 records, 10,000 queries). Prints one JSON object per line and
//! measurement on stdout: the time per operation, and the SHA-256 calls and
//! compression blocks this thread made per operation next to what the RFC's model
//! predicts (an inclusion proof of a tree of n leaves has at most ⌈log2 n⌉ hashes and
//! verifying it costs one node hash per proof hash; a consistency proof has at most
//! ⌈log2 n⌉ + 1 hashes and verifying it at most two node hashes per proof hash;
//! building a tree of n leaves costs n leaf hashes and n − 1 node hashes).

use std::hint::black_box;
use std::time::Instant;

use serde_json::json;
use truce_audit::{
    Checkpoint, HashCounts, KeyType, SignerKey, Tree, canonical_json, hash_counts_on_this_thread,
    leaf_hash, open_checkpoint, verify_consistency, verify_inclusion,
};

/// SplitMix64: a fixed-seed generator, so that every run asks the same queries.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }
}

fn ceil_log2(n: u64) -> u64 {
    if n <= 1 {
        0
    } else {
        u64::from(64 - (n - 1).leading_zeros())
    }
}

/// Prints one measurement as a JSON line.
fn report(
    measurement: &str,
    n: u64,
    operations: u64,
    seconds: f64,
    counts: HashCounts,
    extra: serde_json::Value,
) {
    let operations_f = operations.max(1) as f64;
    let mut line = json!({
        "measurement": measurement,
        "tree_size": n,
        "operations": operations,
        "total_ms": round(seconds * 1e3, 3),
        "us_per_op": round(seconds * 1e6 / operations_f, 3),
        "sha256_calls_per_op": round(counts.calls as f64 / operations_f, 3),
        "sha256_compressions_per_op": round(counts.compressions as f64 / operations_f, 3),
    });
    if let (Some(line), Some(extra)) = (line.as_object_mut(), extra.as_object()) {
        line.extend(extra.clone());
    }
    println!("{line}");
}

/// The time a piece of work took and the hashes this thread made doing it.
struct Measured {
    seconds: f64,
    counts: HashCounts,
}

/// Runs `work` once, measured.
fn measure<T>(work: impl FnOnce() -> T) -> (T, Measured) {
    let before = hash_counts_on_this_thread();
    let start = Instant::now();
    let out = work();
    let seconds = start.elapsed().as_secs_f64();
    let counts = hash_counts_on_this_thread().since(before);
    (out, Measured { seconds, counts })
}

/// The mean number of hashes in `proofs`, `queries` of them.
fn mean_length<T>(proofs: &[Vec<T>], queries: u64) -> f64 {
    proofs.iter().map(Vec::len).sum::<usize>() as f64 / queries.max(1) as f64
}

/// Prints the three measurements of a kind of proof (`inclusion_proof`):
/// generating, verifying, and both together; each side with its model's `extra`.
fn report_proofs(
    proof: &str,
    n: u64,
    queries: u64,
    (generate, generate_extra): (Measured, serde_json::Value),
    (verify, verify_extra): (Measured, serde_json::Value),
    mean_proof: f64,
) {
    report(
        &format!("{proof}_generate"),
        n,
        queries,
        generate.seconds,
        generate.counts,
        generate_extra,
    );
    report(
        &format!("{proof}_verify"),
        n,
        queries,
        verify.seconds,
        verify.counts,
        verify_extra,
    );
    report(
        &format!("{proof}_generate_and_verify"),
        n,
        queries,
        generate.seconds + verify.seconds,
        HashCounts {
            calls: generate.counts.calls + verify.counts.calls,
            compressions: generate.counts.compressions + verify.counts.compressions,
        },
        json!({"proof_hashes_per_op": round(mean_proof, 3)}),
    );
}

fn round(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

fn main() {
    let mut arguments = std::env::args().skip(1);
    let records: u64 = arguments
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let queries: u64 = arguments
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let log2 = ceil_log2(records);

    // 1. Appending records: canonical JSON of a small object, leaf hash, append.
    let mut log: Vec<Vec<u8>> = Vec::with_capacity(records as usize);
    let mut tree = Tree::new();
    let before = hash_counts_on_this_thread();
    let start = Instant::now();
    for sequence in 0..records {
        let record = json!({
            "kind": "check-run",
            "sequence": sequence,
            "agreement": "syria-2016",
            "findings": sequence.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 11,
        });
        let bytes = canonical_json(&record).expect("small records are canonical");
        tree.append_record(&bytes);
        log.push(bytes);
    }
    let seconds = start.elapsed().as_secs_f64();
    report(
        "append_record",
        records,
        records,
        seconds,
        hash_counts_on_this_thread().since(before),
        json!({
            "includes": "canonical JSON of the record, its leaf hash, the append",
            "rfc9162_model_hashes_per_op": 2.0 - 1.0 / records.max(1) as f64,
            "mean_record_bytes": round(log.iter().map(Vec::len).sum::<usize>() as f64 / records.max(1) as f64, 1),
        }),
    );

    // Appending precomputed leaf hashes only: the tree's own cost.
    let leaves: Vec<_> = (0..records).filter_map(|i| tree.leaf_hash_at(i)).collect();
    let before = hash_counts_on_this_thread();
    let start = Instant::now();
    let rebuilt = Tree::from_leaf_hashes(leaves.iter().copied());
    let seconds = start.elapsed().as_secs_f64();
    report(
        "append_leaf_hash",
        records,
        records,
        seconds,
        hash_counts_on_this_thread().since(before),
        json!({"rfc9162_model_hashes_per_op": 1.0 - 1.0 / records.max(1) as f64}),
    );
    black_box(rebuilt);
    drop(leaves);

    // 2. Roots: of the whole tree, and of random earlier sizes.
    let rounds = 1_000;
    let before = hash_counts_on_this_thread();
    let start = Instant::now();
    let mut root = tree.root();
    for _ in 1..rounds {
        root = black_box(tree.root());
    }
    let seconds = start.elapsed().as_secs_f64();
    report(
        "root_full_size",
        records,
        rounds,
        seconds,
        hash_counts_on_this_thread().since(before),
        json!({"rfc9162_model_hashes_per_op": records.count_ones().saturating_sub(1),
               "model": "one node hash per set bit of the size, less one"}),
    );
    let mut random = SplitMix64(0x7472_7563_6521);
    let sizes: Vec<u64> = (0..queries).map(|_| 1 + random.below(records)).collect();
    let model: u64 = sizes
        .iter()
        .map(|size| u64::from(size.count_ones()) - 1)
        .sum();
    let before = hash_counts_on_this_thread();
    let start = Instant::now();
    for size in &sizes {
        black_box(tree.root_at(*size).expect("size is in the tree"));
    }
    let seconds = start.elapsed().as_secs_f64();
    report(
        "root_at_random_size",
        records,
        queries,
        seconds,
        hash_counts_on_this_thread().since(before),
        json!({"rfc9162_model_hashes_per_op": round(model as f64 / queries.max(1) as f64, 3),
               "model": "one node hash per set bit of the size, less one"}),
    );

    // 3. Inclusion proofs of random leaves in the full tree: generate, verify.
    let indices: Vec<u64> = (0..queries).map(|_| random.below(records)).collect();
    let (proofs, generate) = measure(|| {
        indices
            .iter()
            .map(|index| {
                tree.inclusion_proof(*index, records)
                    .expect("leaf is in the tree")
            })
            .collect::<Vec<_>>()
    });
    let leaf_hashes: Vec<_> = indices
        .iter()
        .map(|index| tree.leaf_hash_at(*index).expect("leaf is in the tree"))
        .collect();
    let ((), verify) = measure(|| {
        for ((index, proof), leaf) in indices.iter().zip(&proofs).zip(&leaf_hashes) {
            verify_inclusion(leaf, *index, records, proof, &root).expect("proof verifies");
        }
    });
    let mean_proof = mean_length(&proofs, queries);
    report_proofs(
        "inclusion_proof",
        records,
        queries,
        (
            generate,
            json!({"proof_hashes_per_op": round(mean_proof, 3), "rfc9162_model_proof_hashes_max": log2,
               "model": "cached subtrees: a node hash only to join the incomplete right edge"}),
        ),
        (
            verify,
            json!({"proof_hashes_per_op": round(mean_proof, 3), "rfc9162_model_hashes_per_op_max": log2,
               "model": "one node hash per proof hash"}),
        ),
        mean_proof,
    );

    // 4. Consistency proofs from random earlier sizes to the full tree.
    let old_sizes: Vec<u64> = (0..queries).map(|_| 1 + random.below(records)).collect();
    let old_roots: Vec<_> = old_sizes
        .iter()
        .map(|size| tree.root_at(*size).expect("size is in the tree"))
        .collect();
    let (proofs, generate) = measure(|| {
        old_sizes
            .iter()
            .map(|size| {
                tree.consistency_proof(*size, records)
                    .expect("sizes are in the tree")
            })
            .collect::<Vec<_>>()
    });
    let ((), verify) = measure(|| {
        for ((size, proof), old_root) in old_sizes.iter().zip(&proofs).zip(&old_roots) {
            verify_consistency(*size, records, old_root, &root, proof).expect("proof verifies");
        }
    });
    let mean_proof = mean_length(&proofs, queries);
    report_proofs(
        "consistency_proof",
        records,
        queries,
        (
            generate,
            json!({"proof_hashes_per_op": round(mean_proof, 3), "rfc9162_model_proof_hashes_max": log2 + 1}),
        ),
        (
            verify,
            json!({"proof_hashes_per_op": round(mean_proof, 3), "rfc9162_model_hashes_per_op_max": 2 * (log2 + 1),
               "model": "at most two node hashes per proof hash"}),
        ),
        mean_proof,
    );

    // 5. Signed checkpoint: sign, and open (parse + verify the log's signature).
    let log_key = SignerKey::from_seed("truce.example/bench", KeyType::Ed25519, &[42; 32])
        .expect("name is valid");
    let checkpoint = Checkpoint::new("truce.example/bench", records, root);
    let start = Instant::now();
    let signed_rounds = 1_000;
    let mut note = Vec::new();
    for _ in 0..signed_rounds {
        note = checkpoint
            .sign(&log_key)
            .expect("checkpoint signs")
            .to_bytes();
    }
    let seconds = start.elapsed().as_secs_f64();
    report(
        "checkpoint_sign",
        records,
        signed_rounds,
        seconds,
        HashCounts::default(),
        json!({}),
    );
    let verifier = log_key.verifier_key();
    let start = Instant::now();
    for _ in 0..signed_rounds {
        black_box(open_checkpoint(&note, &verifier, &[]).expect("checkpoint opens"));
    }
    let seconds = start.elapsed().as_secs_f64();
    report(
        "checkpoint_open",
        records,
        signed_rounds,
        seconds,
        HashCounts::default(),
        json!({}),
    );

    // 6. Verifying the whole log from scratch, as a party with only the bundle would:
    // open the checkpoint, rehash every record, rebuild the tree, compare the roots.
    let before = hash_counts_on_this_thread();
    let start = Instant::now();
    let opened = open_checkpoint(&note, &verifier, &[]).expect("checkpoint opens");
    let mut fresh = Tree::new();
    for record in &log {
        fresh.append_leaf_hash(leaf_hash(record));
    }
    let verified = fresh.size() == opened.checkpoint.size && fresh.root() == opened.checkpoint.root;
    let seconds = start.elapsed().as_secs_f64();
    assert!(verified, "the rebuilt log must match its checkpoint");
    report(
        "verify_log_from_scratch",
        records,
        1,
        seconds,
        hash_counts_on_this_thread().since(before),
        json!({"rfc9162_model_hashes_per_op": 2 * records - 1,
               "model": "n leaf hashes and n − 1 node hashes",
               "us_per_record": round(seconds * 1e6 / records.max(1) as f64, 3),
               "log_bytes": log.iter().map(Vec::len).sum::<usize>()}),
    );
}
