//! Tests of truce-audit: known answers from public test vectors, properties over random
//! trees and proofs, signed notes and checkpoints (with a note signed by Go's
//! implementation and a check by an independent Python implementation when one is
//! installed), and the witness's refusals.

use std::io::Write as _;
use std::process::{Command, Stdio};

use proptest::prelude::*;
use serde_json::json;
use truce_audit::*;

fn hash(hex: &str) -> Hash {
    Hash::from_hex(hex).expect("test vectors are valid hex")
}

fn bytes_of_hex(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("test vectors are valid hex"))
        .collect()
}

/// MTH by RFC 9162's recursive definition, independent of `Tree`'s cache.
fn reference_root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_tree_root(),
        1 => leaves[0],
        n => {
            // The largest power of two smaller than n.
            let k = n.next_power_of_two() / 2;
            node_hash(&reference_root(&leaves[..k]), &reference_root(&leaves[k..]))
        }
    }
}

// ---------------------------------------------------------------------------------
// Known answers.
//
// Source: transparency-dev/merkle (Go), proof/verify_test.go at commit
// 02194e9afb6c1d95b5381350007963aa70fff472 — the leaves, the roots of every size 1..8,
// and the inclusion and consistency proofs below are copied from its `leaves`,
// `roots`, `inclusionProofs` and `consistencyProofs` tables (the same data as
// google/certificate-transparency's merkle_tree_test.cc). In that file a proof's leaf
// is numbered from 1; here leaves are numbered from 0.
// ---------------------------------------------------------------------------------

const REFERENCE_LEAVES: [&str; 8] = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
];

/// The roots of the reference tree at sizes 1 to 8.
const REFERENCE_ROOTS: [&str; 8] = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

/// (leaf index from 0, tree size, proof).
const REFERENCE_INCLUSION_PROOFS: [(u64, u64, &[&str]); 5] = [
    (0, 1, &[]),
    (
        0,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        &[
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        3,
        &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
    ),
    (
        1,
        5,
        &[
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
];

/// (old size, new size, proof).
const REFERENCE_CONSISTENCY_PROOFS: [(u64, u64, &[&str]); 5] = [
    (1, 1, &[]),
    (
        1,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        &[
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        &[
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        &[
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
];

fn reference_tree() -> Tree {
    let mut tree = Tree::new();
    for leaf in REFERENCE_LEAVES {
        tree.append_record(&bytes_of_hex(leaf));
    }
    tree
}

fn hashes(hex: &[&str]) -> Vec<Hash> {
    hex.iter().map(|h| hash(h)).collect()
}

#[test]
fn known_answers_for_the_hashes() {
    // Source: transparency-dev/merkle, rfc6962/rfc6962_test.go (TestRFC6962Hasher),
    // commit 78493b07ef9b552e3379abf9e23d4da26fbe797c.
    assert_eq!(
        empty_tree_root(),
        hash("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    );
    assert_eq!(
        leaf_hash(b""),
        hash("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
    );
    assert_eq!(
        leaf_hash(b"L123456"),
        hash("395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56")
    );
    assert_eq!(Tree::new().root(), empty_tree_root());
}

#[test]
fn known_answers_for_the_roots_of_every_size() {
    let tree = reference_tree();
    assert_eq!(tree.size(), 8);
    assert_eq!(tree.root_at(0), Ok(empty_tree_root()));
    for (size, root) in (1..=8).zip(REFERENCE_ROOTS) {
        assert_eq!(tree.root_at(size), Ok(hash(root)), "root of size {size}");
        // Growing a tree leaf by leaf gives the same root as the cache does.
        let prefix = Tree::from_leaf_hashes((0..size).filter_map(|i| tree.leaf_hash_at(i)));
        assert_eq!(
            prefix.root(),
            hash(root),
            "root of a fresh tree of size {size}"
        );
    }
    assert_eq!(
        tree.root(),
        hash("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")
    );
}

#[test]
fn known_answers_for_inclusion_proofs() {
    let tree = reference_tree();
    for (index, size, proof) in REFERENCE_INCLUSION_PROOFS {
        let published = hashes(proof);
        assert_eq!(
            tree.inclusion_proof(index, size),
            Ok(published.clone()),
            "leaf {index} in size {size}"
        );
        let leaf = leaf_hash(&bytes_of_hex(REFERENCE_LEAVES[index as usize]));
        let root = hash(REFERENCE_ROOTS[size as usize - 1]);
        verify_inclusion(&leaf, index, size, &published, &root).expect("published proofs verify");
        for (description, probe) in corrupted_inclusion_probes(leaf, index, size, &published, root)
        {
            assert!(
                verify_inclusion(
                    &probe.leaf,
                    probe.index,
                    probe.size,
                    &probe.proof,
                    &probe.root
                )
                .is_err(),
                "leaf {index} in size {size}: {description} was accepted"
            );
        }
    }
}

#[test]
fn known_answers_for_consistency_proofs() {
    let tree = reference_tree();
    for (old_size, new_size, proof) in REFERENCE_CONSISTENCY_PROOFS {
        let published = hashes(proof);
        assert_eq!(
            tree.consistency_proof(old_size, new_size),
            Ok(published.clone()),
            "{old_size} to {new_size}"
        );
        let old_root = hash(REFERENCE_ROOTS[old_size as usize - 1]);
        let new_root = hash(REFERENCE_ROOTS[new_size as usize - 1]);
        verify_consistency(old_size, new_size, &old_root, &new_root, &published)
            .expect("published proofs verify");
        if published.is_empty() {
            continue;
        }
        for (description, probe) in
            corrupted_consistency_probes(old_size, new_size, old_root, new_root, &published)
        {
            assert!(
                verify_consistency(
                    probe.old_size,
                    probe.new_size,
                    &probe.old_root,
                    &probe.new_root,
                    &probe.proof
                )
                .is_err(),
                "{old_size} to {new_size}: {description} was accepted"
            );
        }
    }
}

struct InclusionProbe {
    leaf: Hash,
    index: u64,
    size: u64,
    proof: Vec<Hash>,
    root: Hash,
}

/// The corruptions of transparency-dev/merkle's `corruptInclusionProof`, made with
/// typed hashes (a "garbage" element is a hash of zeros).
fn corrupted_inclusion_probes(
    leaf: Hash,
    index: u64,
    size: u64,
    proof: &[Hash],
    root: Hash,
) -> Vec<(String, InclusionProbe)> {
    let probe = |index: u64, size: u64, leaf: Hash, proof: Vec<Hash>, root: Hash| InclusionProbe {
        leaf,
        index,
        size,
        proof,
        root,
    };
    let some_hash = hash("abacaba000000000000000000000000000000000000000000060061e00123456");
    let mut probes = vec![
        (
            "index - 1".to_owned(),
            probe(index.wrapping_sub(1), size, leaf, proof.to_vec(), root),
        ),
        (
            "index + 1".to_owned(),
            probe(index + 1, size, leaf, proof.to_vec(), root),
        ),
        (
            "index ^ 2".to_owned(),
            probe(index ^ 2, size, leaf, proof.to_vec(), root),
        ),
        (
            "size * 2".to_owned(),
            probe(index, size * 2, leaf, proof.to_vec(), root),
        ),
        (
            "size / 2".to_owned(),
            probe(index, size / 2, leaf, proof.to_vec(), root),
        ),
        (
            "wrong leaf".to_owned(),
            probe(index, size, leaf_hash(b"WrongLeaf"), proof.to_vec(), root),
        ),
        (
            "empty root".to_owned(),
            probe(index, size, leaf, proof.to_vec(), empty_tree_root()),
        ),
        (
            "random root".to_owned(),
            probe(index, size, leaf, proof.to_vec(), some_hash),
        ),
        (
            "trailing garbage".to_owned(),
            probe(
                index,
                size,
                leaf,
                [proof, &[Hash::default()]].concat(),
                root,
            ),
        ),
        (
            "trailing root".to_owned(),
            probe(index, size, leaf, [proof, &[root]].concat(), root),
        ),
        (
            "preceding garbage".to_owned(),
            probe(
                index,
                size,
                leaf,
                [&[Hash::default()], proof].concat(),
                root,
            ),
        ),
        (
            "preceding root".to_owned(),
            probe(index, size, leaf, [&[root], proof].concat(), root),
        ),
    ];
    for position in 0..proof.len() {
        let mut wrong = proof.to_vec();
        wrong[position].0[0] ^= 8;
        probes.push((
            format!("proof[{position}] bit 3 flipped"),
            probe(index, size, leaf, wrong, root),
        ));
    }
    if let Some((_, shorter)) = proof.split_last() {
        probes.push((
            "removed component".to_owned(),
            probe(index, size, leaf, shorter.to_vec(), root),
        ));
    }
    if proof.len() > 1 {
        let inserted = [&proof[..1], &[some_hash], &proof[1..]].concat();
        probes.push((
            "inserted component".to_owned(),
            probe(index, size, leaf, inserted, root),
        ));
    }
    probes
}

struct ConsistencyProbe {
    old_size: u64,
    new_size: u64,
    old_root: Hash,
    new_root: Hash,
    proof: Vec<Hash>,
}

/// The corruptions of transparency-dev/merkle's `corruptConsistencyProof`.
fn corrupted_consistency_probes(
    old_size: u64,
    new_size: u64,
    old_root: Hash,
    new_root: Hash,
    proof: &[Hash],
) -> Vec<(String, ConsistencyProbe)> {
    let probe = |old_size: u64, new_size: u64, old_root: Hash, new_root: Hash, proof: Vec<Hash>| {
        ConsistencyProbe {
            old_size,
            new_size,
            old_root,
            new_root,
            proof,
        }
    };
    let wrong_root = leaf_hash(b"WrongRoot");
    let mut probes = vec![
        (
            "old size - 1",
            probe(old_size - 1, new_size, old_root, new_root, proof.to_vec()),
        ),
        (
            "old size + 1",
            probe(old_size + 1, new_size, old_root, new_root, proof.to_vec()),
        ),
        (
            "old size ^ 2",
            probe(old_size ^ 2, new_size, old_root, new_root, proof.to_vec()),
        ),
        (
            "new size * 2",
            probe(old_size, new_size * 2, old_root, new_root, proof.to_vec()),
        ),
        (
            "new size / 2",
            probe(old_size, new_size / 2, old_root, new_root, proof.to_vec()),
        ),
        (
            "wrong old root",
            probe(old_size, new_size, wrong_root, new_root, proof.to_vec()),
        ),
        (
            "wrong new root",
            probe(old_size, new_size, old_root, wrong_root, proof.to_vec()),
        ),
        (
            "swapped roots",
            probe(old_size, new_size, new_root, old_root, proof.to_vec()),
        ),
        (
            "empty proof",
            probe(old_size, new_size, old_root, new_root, Vec::new()),
        ),
        (
            "trailing garbage",
            probe(
                old_size,
                new_size,
                old_root,
                new_root,
                [proof, &[Hash::default()]].concat(),
            ),
        ),
        (
            "trailing old root",
            probe(
                old_size,
                new_size,
                old_root,
                new_root,
                [proof, &[old_root]].concat(),
            ),
        ),
        (
            "trailing new root",
            probe(
                old_size,
                new_size,
                old_root,
                new_root,
                [proof, &[new_root]].concat(),
            ),
        ),
        (
            "preceding garbage",
            probe(
                old_size,
                new_size,
                old_root,
                new_root,
                [&[Hash::default()], proof].concat(),
            ),
        ),
        (
            "preceding old root",
            probe(
                old_size,
                new_size,
                old_root,
                new_root,
                [&[old_root], proof].concat(),
            ),
        ),
        (
            "preceding new root",
            probe(
                old_size,
                new_size,
                old_root,
                new_root,
                [&[new_root], proof].concat(),
            ),
        ),
        (
            "preceding proof[0]",
            probe(
                old_size,
                new_size,
                old_root,
                new_root,
                [&proof[..1], proof].concat(),
            ),
        ),
    ]
    .into_iter()
    .map(|(description, probe)| (description.to_owned(), probe))
    .collect::<Vec<_>>();
    if let Some((_, shorter)) = proof.split_last() {
        probes.push((
            "truncated proof".to_owned(),
            probe(old_size, new_size, old_root, new_root, shorter.to_vec()),
        ));
    }
    for position in 0..proof.len() {
        let mut wrong = proof.to_vec();
        wrong[position].0[0] ^= 16;
        probes.push((
            format!("proof[{position}] bit 4 flipped"),
            probe(old_size, new_size, old_root, new_root, wrong),
        ));
    }
    probes
}

#[test]
fn trivial_consistency_cases_follow_the_reference_implementation() {
    // The table of transparency-dev/merkle's TestVerifyConsistency, with one stricter
    // answer: the root of an empty tree must be SHA-256 of nothing.
    let root1 = leaf_hash(b"don't care 1");
    let root2 = leaf_hash(b"don't care 2");
    let empty = empty_tree_root();
    assert!(verify_consistency(0, 0, &root1, &root2, &[]).is_err());
    assert!(verify_consistency(1, 1, &root1, &root2, &[]).is_err());
    assert!(verify_consistency(0, 0, &root1, &root1, &[]).is_ok());
    assert!(verify_consistency(1, 1, &root2, &root2, &[]).is_ok());
    assert!(verify_consistency(0, 1, &empty, &root2, &[]).is_ok());
    assert_eq!(
        verify_consistency(0, 1, &root1, &root2, &[]),
        Err(ProofError::NotTheEmptyRoot {
            expected: empty,
            found: root1
        })
    );
    assert!(verify_consistency(1, 0, &root1, &root2, &[]).is_err());
    assert!(verify_consistency(2, 1, &root1, &root2, &[]).is_err());
    assert!(verify_consistency(1, 2, &root1, &root2, &[]).is_err());
    assert!(verify_consistency(0, 0, &empty, &root2, &[]).is_err());
    assert!(verify_consistency(1, 1, &empty, &root2, &[]).is_err());
    assert!(verify_consistency(0, 0, &empty, &empty, &[empty]).is_err());
    assert!(verify_consistency(0, 1, &empty, &empty, &[empty]).is_err());
    assert!(verify_consistency(1, 1, &empty, &empty, &[empty]).is_err());
}

#[test]
fn errors_say_what_failed_and_where() {
    let tree = reference_tree();
    let proof = tree.consistency_proof(5, 8).expect("sizes are in the tree");
    let wrong_new = tree.root_at(7).expect("size is in the tree");
    let error = verify_consistency(
        5,
        8,
        &tree.root_at(5).expect("size is in the tree"),
        &wrong_new,
        &proof,
    )
    .expect_err("a wrong new root is caught");
    assert!(
        error.to_string().starts_with(&format!(
            "the consistency proof from size 5 to 8 does not lead to the root of size 8: expected {wrong_new}, computed "
        )),
        "{error}"
    );
    assert_eq!(
        verify_consistency(9, 5, &wrong_new, &wrong_new, &[]).map_err(|e| e.to_string()),
        Err("the log shrank from size 9 to 5".to_owned())
    );
    assert_eq!(
        verify_inclusion(&wrong_new, 3, 8, &[], &wrong_new).map_err(|e| e.to_string()),
        Err(
            "the inclusion proof of leaf 3 in a tree of size 8 has 0 hashes; it must have 3"
                .to_owned()
        )
    );
    assert_eq!(
        verify_inclusion(&wrong_new, 0, 0, &[], &wrong_new).map_err(|e| e.to_string()),
        Err("leaf 0 is not in a tree of size 0 (leaves are numbered from 0)".to_owned())
    );
    assert_eq!(
        tree.inclusion_proof(8, 8).map_err(|e| e.to_string()),
        Err("leaf 8 is not in a tree of size 8 (leaves are numbered from 0)".to_owned())
    );
    assert_eq!(
        tree.root_at(9).map_err(|e| e.to_string()),
        Err("the tree has 8 leaves; size 9 was asked for".to_owned())
    );
    assert!(tree.consistency_proof(6, 5).is_err());
    assert!(tree.consistency_proof(5, 9).is_err());
    assert_eq!(tree.consistency_proof(0, 8), Ok(Vec::new()));
    assert!(Tree::new().inclusion_proof(0, 0).is_err());
    assert!(Hash::from_slice(&[0; 31]).is_err());
    assert!(Hash::from_hex("zz").is_err());
}

#[test]
fn an_inclusion_proof_binds_the_size_only_through_the_root() {
    // RFC 9162's verification derives the path's shape from the size, and two sizes
    // can share a shape: leaf 0's proof in the tree of size 3 (leaf 1, leaf 2) also
    // passes as a proof "in a tree of size 4" against the root of size 3. This is why
    // a checkpoint signs the size and the root together, and why callers must take
    // both from one checkpoint.
    let tree = reference_tree();
    let proof = tree.inclusion_proof(0, 3).expect("leaf is in the tree");
    let root_3 = tree.root_at(3).expect("size is in the tree");
    let leaf = tree.leaf_hash_at(0).expect("leaf is in the tree");
    assert!(verify_inclusion(&leaf, 0, 4, &proof, &root_3).is_ok());
    // Against the real root of size 4 the same proof fails.
    let root_4 = tree.root_at(4).expect("size is in the tree");
    assert!(verify_inclusion(&leaf, 0, 4, &proof, &root_4).is_err());
}

#[test]
fn hash_counts_follow_the_rfc_cost_model() {
    let tree = Tree::from_leaf_hashes((0u32..1000).map(|i| leaf_hash(&i.to_be_bytes())));
    let proof = tree
        .inclusion_proof(500, 1000)
        .expect("leaf is in the tree");
    assert!(proof.len() <= 10, "⌈log2 1000⌉ = 10, got {}", proof.len());
    let before = hash_counts_on_this_thread();
    let root = tree.root();
    let root_cost = hash_counts_on_this_thread().since(before);
    // 1000 = 0b1111101000: six complete subtrees, five joins.
    assert_eq!(root_cost.calls, 5);
    assert_eq!(
        root_cost.compressions, 10,
        "a node hash is 65 bytes: two blocks"
    );
    let leaf = tree.leaf_hash_at(500).expect("leaf is in the tree");
    let before = hash_counts_on_this_thread();
    verify_inclusion(&leaf, 500, 1000, &proof, &root).expect("proof verifies");
    assert_eq!(
        hash_counts_on_this_thread().since(before).calls,
        proof.len() as u64
    );

    let mut growing = Tree::new();
    let before = hash_counts_on_this_thread();
    for i in 0u32..1024 {
        growing.append_leaf_hash(Hash([i as u8; 32]));
    }
    // One node hash per complete subtree: 512 + 256 + … + 1 = 1023.
    assert_eq!(hash_counts_on_this_thread().since(before).calls, 1023);
}

// ---------------------------------------------------------------------------------
// Properties over random trees.
// ---------------------------------------------------------------------------------

fn random_tree(size: u64) -> (Tree, Vec<Hash>) {
    let leaves: Vec<Hash> = (0..size).map(|i| leaf_hash(&i.to_le_bytes())).collect();
    (Tree::from_leaf_hashes(leaves.iter().copied()), leaves)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn every_inclusion_proof_verifies_and_every_change_is_caught(
        size in 1u64..700,
        index_seed in any::<u64>(),
        other_seed in any::<u64>(),
        flip in any::<(usize, u8)>(),
    ) {
        let (tree, leaves) = random_tree(size);
        let index = index_seed % size;
        let root = tree.root();
        prop_assert_eq!(root, reference_root(&leaves));
        let proof = tree.inclusion_proof(index, size).expect("leaf is in the tree");
        prop_assert_eq!(Some(proof.len()), inclusion_proof_length(index, size));
        prop_assert!(proof.len() as u64 <= u64::from(64 - (size - 1).leading_zeros()));
        let leaf = leaves[index as usize];
        prop_assert!(verify_inclusion(&leaf, index, size, &proof, &root).is_ok());

        let (byte, bit) = (flip.0 % 32, flip.1 % 8);
        // One bit flipped in one proof hash.
        if !proof.is_empty() {
            let mut wrong = proof.clone();
            let position = flip.0 % proof.len();
            wrong[position].0[byte] ^= 1 << bit;
            prop_assert!(verify_inclusion(&leaf, index, size, &wrong, &root).is_err());
        }
        // One bit flipped in the root, or in the leaf.
        let mut wrong_root = root;
        wrong_root.0[byte] ^= 1 << bit;
        prop_assert!(verify_inclusion(&leaf, index, size, &proof, &wrong_root).is_err());
        let mut wrong_leaf = leaf;
        wrong_leaf.0[byte] ^= 1 << bit;
        prop_assert!(verify_inclusion(&wrong_leaf, index, size, &proof, &root).is_err());
        // Another index in the same tree.
        let other = other_seed % size;
        if other != index {
            prop_assert!(verify_inclusion(&leaf, other, size, &proof, &root).is_err());
        }
        // Another size, checked against that size's real root.
        let other_size = 1 + other_seed % size;
        if other_size != size && index < other_size {
            let other_root = tree.root_at(other_size).expect("size is in the tree");
            prop_assert!(verify_inclusion(&leaf, index, other_size, &proof, &other_root).is_err());
        }
        // Every prefix root agrees with the recursive definition.
        let prefix = 1 + other_seed % size;
        prop_assert_eq!(tree.root_at(prefix), Ok(reference_root(&leaves[..prefix as usize])));
    }

    #[test]
    fn every_consistency_proof_verifies_and_every_change_is_caught(
        new_size in 1u64..700,
        old_seed in any::<u64>(),
        other_seed in any::<u64>(),
        flip in any::<(usize, u8)>(),
    ) {
        let (tree, _) = random_tree(new_size);
        let old_size = old_seed % (new_size + 1);
        let old_root = tree.root_at(old_size).expect("size is in the tree");
        let new_root = tree.root();
        let proof = tree.consistency_proof(old_size, new_size).expect("sizes are in the tree");
        prop_assert_eq!(Some(proof.len()), consistency_proof_length(old_size, new_size));
        prop_assert!(proof.len() as u64 <= u64::from(64 - (new_size - 1).leading_zeros()) + 1);
        prop_assert!(verify_consistency(old_size, new_size, &old_root, &new_root, &proof).is_ok());

        let (byte, bit) = (flip.0 % 32, flip.1 % 8);
        if !proof.is_empty() {
            let mut wrong = proof.clone();
            let position = flip.0 % proof.len();
            wrong[position].0[byte] ^= 1 << bit;
            prop_assert!(verify_consistency(old_size, new_size, &old_root, &new_root, &wrong).is_err());
        }
        // Every tree extends the empty tree, whatever its root: only a non-empty old
        // tree constrains the new root.
        if old_size > 0 {
            let mut wrong_new = new_root;
            wrong_new.0[byte] ^= 1 << bit;
            prop_assert!(verify_consistency(old_size, new_size, &old_root, &wrong_new, &proof).is_err());
        }
        let mut wrong_old = old_root;
        wrong_old.0[byte] ^= 1 << bit;
        prop_assert!(verify_consistency(old_size, new_size, &wrong_old, &new_root, &proof).is_err());
        // Other sizes, each checked against its real root. (An empty proof, from the
        // empty tree or between equal sizes, proves nothing that another size could
        // misuse.)
        let other_old = other_seed % (new_size + 1);
        if other_old != old_size && !proof.is_empty() {
            let other_root = tree.root_at(other_old).expect("size is in the tree");
            prop_assert!(verify_consistency(other_old, new_size, &other_root, &new_root, &proof).is_err());
        }
        let other_new = old_size.max(1) + other_seed % (new_size - old_size.max(1) + 1);
        if other_new != new_size && old_size > 0 {
            let other_root = tree.root_at(other_new).expect("size is in the tree");
            prop_assert!(verify_consistency(old_size, other_new, &old_root, &other_root, &proof).is_err());
        }
    }

    #[test]
    fn verification_never_panics_on_arbitrary_input(
        index in any::<u64>(),
        size in any::<u64>(),
        old_size in any::<u64>(),
        proof in prop::collection::vec(any::<[u8; 32]>(), 0..70),
        leaf in any::<[u8; 32]>(),
        root in any::<[u8; 32]>(),
    ) {
        let proof: Vec<Hash> = proof.into_iter().map(Hash).collect();
        let _ = verify_inclusion(&Hash(leaf), index, size, &proof, &Hash(root));
        let _ = verify_consistency(old_size, size, &Hash(leaf), &Hash(root), &proof);
        let (tree, _) = random_tree(size % 40);
        let _ = tree.inclusion_proof(index % 50, size % 50);
        let _ = tree.consistency_proof(old_size % 50, size % 50);
        let _ = tree.root_at(size % 50);
    }
}

// ---------------------------------------------------------------------------------
// Canonical JSON (RFC 8785).
// ---------------------------------------------------------------------------------

fn canonical_text(input: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(input).expect("test inputs are JSON");
    String::from_utf8(canonical_json(&value).expect("test inputs have a canonical form"))
        .expect("canonical JSON is UTF-8")
}

#[test]
fn canonical_json_of_the_rfc_examples() {
    // RFC 8785 §3.2.2 (and cyberphone/json-canonicalization testdata/input/values.json,
    // the RFC author's reference data).
    let input = r#"{
  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}"#;
    assert_eq!(
        canonical_text(input),
        r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
    );
    // RFC 8785 §3.2.3: members sorted by UTF-16 code units, not by UTF-8 bytes (the
    // emoji U+1F600 is a surrogate pair, D83D DE00, and sorts before U+FB33).
    let input = r#"{
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One",
  "\ud83d\ude00": "Emoji: Grinning Face",
  "\u0080": "Control",
  "\u00f6": "Latin Small Letter O With Diaeresis"
}"#;
    assert_eq!(
        canonical_text(input),
        "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\",\"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\",\"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}"
    );
    // cyberphone/json-canonicalization testdata/input/weird.json and output/weird.json.
    let input = r#"{
  "\u20ac": "Euro Sign",
  "1": "One",
  "\u0080": "Control\u007f",
  "\ud83d\ude02": "Smiley",
  "\u00f6": "Latin Small Letter O With Diaeresis",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "</script>": "Browser Challenge"
}"#;
    assert_eq!(
        canonical_text(input),
        "{\"1\":\"One\",\"</script>\":\"Browser Challenge\",\"\u{80}\":\"Control\u{7f}\",\"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\",\"😂\":\"Smiley\",\"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}"
    );
}

#[test]
fn canonical_json_numbers_of_rfc_8785_appendix_b() {
    // RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical text (checked
    // against several public transcriptions of the table).
    let samples: [(u64, &str); 24] = [
        (0x0000000000000000, "0"),
        (0x8000000000000000, "0"),
        (0x0000000000000001, "5e-324"),
        (0x8000000000000001, "-5e-324"),
        (0x7fefffffffffffff, "1.7976931348623157e+308"),
        (0xffefffffffffffff, "-1.7976931348623157e+308"),
        (0x4340000000000000, "9007199254740992"),
        (0xc340000000000000, "-9007199254740992"),
        (0x4430000000000000, "295147905179352830000"),
        (0x44b52d02c7e14af5, "9.999999999999997e+22"),
        (0x44b52d02c7e14af6, "1e+23"),
        (0x44b52d02c7e14af7, "1.0000000000000001e+23"),
        (0x444b1ae4d6e2ef4e, "999999999999999700000"),
        (0x444b1ae4d6e2ef4f, "999999999999999900000"),
        (0x444b1ae4d6e2ef50, "1e+21"),
        (0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"),
        (0x3eb0c6f7a0b5ed8d, "0.000001"),
        (0x41b3de4355555553, "333333333.3333332"),
        (0x41b3de4355555554, "333333333.33333325"),
        (0x41b3de4355555555, "333333333.3333333"),
        (0x41b3de4355555556, "333333333.3333334"),
        (0x41b3de4355555557, "333333333.33333343"),
        (0xbecbf647612f3696, "-0.0000033333333333333333"),
        (0x43143ff3c1cb0959, "1424953923781206.2"),
    ];
    for (bits, expected) in samples {
        let value = json!(f64::from_bits(bits));
        let text = String::from_utf8(canonical_json(&value).expect("finite numbers are canonical"))
            .expect("canonical JSON is UTF-8");
        assert_eq!(text, expected, "bits {bits:016x}");
    }
}

#[test]
fn canonical_json_refuses_integers_a_double_cannot_hold() {
    assert_eq!(canonical_text("9007199254740991"), "9007199254740991");
    assert_eq!(canonical_text("-9007199254740991"), "-9007199254740991");
    let value = json!({"runs": [{"id": 9007199254740993u64}]});
    let error = canonical_json(&value).expect_err("2^53 + 1 is refused");
    assert_eq!(
        error,
        CanonicalJsonError::UnsafeInteger {
            number: "9007199254740993".to_owned(),
            canonical: "9007199254740992".to_owned(),
            pointer: "/runs/0/id".to_owned()
        }
    );
    // An integer written as its double prints (canonical output read back) stays.
    // 2^60 is a double, but ECMAScript writes it 1152921504606847000: refused too.
    assert!(canonical_json(&json!(1u64 << 60)).is_err());
    assert_eq!(
        canonical_text("-7216077106086215000"),
        "-7216077106086215000"
    );
    assert!(
        canonical_json(&json!({"a/b~": i64::MIN}))
            .is_err_and(|e| e.to_string().contains("`/a~1b~0`"))
    );
}

#[test]
fn records_read_back_must_be_canonical() {
    let record = json!({"kind": "import-run", "files": ["a.csv"], "rows": 12});
    let bytes = canonical_json(&record).expect("record is canonical");
    assert_eq!(parse_canonical_json(&bytes), Ok(record.clone()));
    assert_eq!(record_leaf_hash(&record), Ok(leaf_hash(&bytes)));
    assert!(matches!(
        parse_canonical_json(br#"{"rows":12, "kind":"import-run"}"#),
        Err(CanonicalJsonError::NotCanonical { .. })
    ));
    assert!(matches!(
        parse_canonical_json(br#"{"a":1,"a":2}"#),
        Err(CanonicalJsonError::NotCanonical { .. })
    ));
    assert!(matches!(
        parse_canonical_json(b"{\"a\":1.0}"),
        Err(CanonicalJsonError::NotCanonical { offset: 6 })
    ));
    assert!(matches!(
        parse_canonical_json(b"{"),
        Err(CanonicalJsonError::NotJson { .. })
    ));
}

proptest! {
    #[test]
    fn canonical_json_is_stable_and_ignores_member_order(
        members in prop::collection::btree_map("[a-zé😀\\\\\"]{0,6}", (any::<i32>(), any::<f64>(), any::<bool>()), 0..8),
    ) {
        let forward: serde_json::Map<String, serde_json::Value> = members
            .iter()
            .map(|(key, (int, float, flag))| {
                let float = if float.is_finite() { json!(float) } else { json!(null) };
                (key.clone(), json!([int, float, flag]))
            })
            .collect();
        let value = serde_json::Value::Object(forward);
        let bytes = canonical_json(&value).expect("value is canonical");
        // Canonical bytes read back and written again are the same bytes.
        let reread = parse_canonical_json(&bytes).expect("canonical bytes read back");
        prop_assert_eq!(canonical_json(&reread).expect("value is canonical"), bytes.clone());
        // Pretty-printing changes nothing once canonicalised.
        let pretty = serde_json::to_vec_pretty(&value).expect("value serialises");
        let from_pretty: serde_json::Value = serde_json::from_slice(&pretty).expect("pretty JSON reads back");
        prop_assert_eq!(canonical_json(&from_pretty).expect("value is canonical"), bytes);
    }
}

// ---------------------------------------------------------------------------------
// Signed notes: known answers from Go's golang.org/x/mod/sumdb/note.
//
// Source: golang/mod, sumdb/note/note.go (package documentation) and
// sumdb/note/note_test.go (TestSign, TestOpen, TestNewVerifier), commit
// 02c991387e35f9e4c0a9b7ce137717055f8d716d.
// ---------------------------------------------------------------------------------

const PETER_VERIFIER_KEY: &str =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const PETER_SIGNER_KEY: &str =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const ENOCH_VERIFIER_KEY: &str = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const GO_TEXT: &str = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIGNATURE_LINE: &str = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const ENOCH_SIGNATURE_LINE: &str = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

#[test]
fn go_sumdb_note_keys_are_read_and_written_back() {
    let verifier = VerifierKey::parse(PETER_VERIFIER_KEY).expect("Go's example key reads");
    assert_eq!(verifier.name(), "PeterNeumann");
    assert_eq!(verifier.key_id(), 0xc74f20a3);
    assert_eq!(verifier.key_type(), KeyType::Ed25519);
    assert_eq!(verifier.to_string(), PETER_VERIFIER_KEY);
    let signer = SignerKey::parse(PETER_SIGNER_KEY).expect("Go's example signer key reads");
    assert_eq!(signer.verifier_key(), verifier);
    assert_eq!(signer.to_private_text(), PETER_SIGNER_KEY);
    assert!(
        !format!("{signer:?}").contains("AYEKFALVFG"),
        "Debug must hide the seed"
    );
    assert_eq!(
        VerifierKey::parse(ENOCH_VERIFIER_KEY).map(|key| key.key_id()),
        Ok(0xaf0cfe78)
    );
}

#[test]
fn go_sumdb_note_key_manglings_are_refused() {
    // As Go's TestNewVerifier and TestNewSigner: every proper substring and every
    // one-byte increment of a key text is refused.
    for key in [PETER_VERIFIER_KEY, PETER_SIGNER_KEY] {
        let parse = |text: &str| {
            if key.starts_with("PRIVATE") {
                SignerKey::parse(text).map(|_| ())
            } else {
                VerifierKey::parse(text).map(|_| ())
            }
        };
        let bytes = key.as_bytes();
        for start in 0..=bytes.len() {
            for end in start + 1..=bytes.len() {
                if start == 0 && end == bytes.len() {
                    continue;
                }
                if let Ok(text) = std::str::from_utf8(&bytes[start..end]) {
                    assert!(parse(text).is_err(), "substring `{text}` was accepted");
                }
            }
        }
        for position in 0..bytes.len() {
            let mut mangled = bytes.to_vec();
            mangled[position] = mangled[position].wrapping_add(1);
            if let Ok(text) = std::str::from_utf8(&mangled) {
                assert!(parse(text).is_err(), "mangled `{text}` was accepted");
            }
        }
    }
    // Go's two crafted keys with adjusted ids: a wrong length and an unknown type.
    let wrong_length = VerifierKey::parse(
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
    );
    assert!(wrong_length.is_err(), "{wrong_length:?}");
    assert!(matches!(
        VerifierKey::parse("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
        Err(KeyError::UnknownKeyType {
            type_byte: 0x65,
            ..
        })
    ));
}

#[test]
fn go_sumdb_note_is_signed_byte_for_byte_and_opens() {
    let signer = SignerKey::parse(PETER_SIGNER_KEY).expect("Go's example signer key reads");
    let note = Note::sign(GO_TEXT, &[&signer], 0).expect("text is valid");
    // Ed25519 is deterministic: the same key and text give Go's exact bytes.
    assert_eq!(
        note.to_string(),
        format!("{GO_TEXT}\n{PETER_SIGNATURE_LINE}")
    );

    let peter = VerifierKey::parse(PETER_VERIFIER_KEY).expect("key reads");
    let enoch = VerifierKey::parse(ENOCH_VERIFIER_KEY).expect("key reads");
    let both = format!("{GO_TEXT}\n{PETER_SIGNATURE_LINE}{ENOCH_SIGNATURE_LINE}");
    // One known key: Peter verified, Enoch kept unverified.
    let opened = open_note(both.as_bytes(), std::slice::from_ref(&peter)).expect("note opens");
    assert_eq!(opened.note.text, GO_TEXT);
    assert_eq!(opened.verified.len(), 1);
    assert_eq!(opened.verified[0].key_name, "PeterNeumann");
    assert_eq!(opened.verified[0].line, 4);
    assert_eq!(opened.unverified.len(), 1);
    assert_eq!(opened.unverified[0].key_id, 0xaf0cfe78);
    // Both known: both verified (Enoch's signature was made by Go's GenerateKey key).
    let opened = open_note(both.as_bytes(), &[peter.clone(), enoch.clone()]).expect("note opens");
    assert_eq!(opened.verified.len(), 2);
    assert!(opened.unverified.is_empty());
    // None known: refused, naming who signed.
    let error = open_note(both.as_bytes(), &[]).expect_err("no known key");
    assert!(
        error.to_string().contains("`PeterNeumann` c74f20a3"),
        "{error}"
    );
    // The same key twice is ambiguous.
    assert!(matches!(
        open_note(both.as_bytes(), &[enoch.clone(), peter.clone(), enoch]),
        Err(NoteError::AmbiguousKey { .. })
    ));
    // Too many signatures.
    let many = format!("{GO_TEXT}\n{}", PETER_SIGNATURE_LINE.repeat(101));
    assert!(matches!(
        open_note(many.as_bytes(), std::slice::from_ref(&peter)),
        Err(NoteError::TooManySignatures { .. })
    ));
    // A corrupted signature by a known key rejects the whole note.
    let corrupted = format!(
        "{GO_TEXT}\n{}ABCD{}",
        &PETER_SIGNATURE_LINE[..60],
        &PETER_SIGNATURE_LINE[60..]
    );
    assert!(matches!(
        open_note(corrupted.as_bytes(), std::slice::from_ref(&peter)),
        Err(NoteError::InvalidSignature { line: 4, .. })
    ));
}

#[test]
fn malformed_notes_are_refused() {
    let peter = VerifierKey::parse(PETER_VERIFIER_KEY).expect("key reads");
    // Go's TestOpen `badMsgs`.
    let bad = [
        GO_TEXT.to_owned(),
        format!("{GO_TEXT}\n"),
        format!(
            "{GO_TEXT}\n{}",
            &PETER_SIGNATURE_LINE[..PETER_SIGNATURE_LINE.len() - 1]
        ),
        format!("\u{1}{GO_TEXT}\n{PETER_SIGNATURE_LINE}"),
        format!(
            "{GO_TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
        ),
        format!("{GO_TEXT}\n{PETER_SIGNATURE_LINE}Unexpected line.\n"),
    ];
    for note in &bad {
        assert!(
            open_note(note.as_bytes(), std::slice::from_ref(&peter)).is_err(),
            "accepted:\n{note}"
        );
    }
    let mut not_utf8 = vec![0xff];
    not_utf8.extend_from_slice(format!("{GO_TEXT}\n{PETER_SIGNATURE_LINE}").as_bytes());
    assert!(matches!(
        Note::parse(&not_utf8),
        Err(NoteError::NotUtf8 { offset: 0 })
    ));
    assert!(matches!(
        Note::parse(format!("a\rb\n\n{PETER_SIGNATURE_LINE}").as_bytes()),
        Err(NoteError::ControlCharacter {
            line: 1,
            code: 0x0d
        })
    ));
    let huge = format!("{}\n\n{PETER_SIGNATURE_LINE}", "x".repeat(MAX_NOTE_BYTES));
    assert!(matches!(
        Note::parse(huge.as_bytes()),
        Err(NoteError::TooLarge { .. })
    ));
    // Non-canonical base64 (a stray bit in the last character) is refused.
    let stray_bit = PETER_SIGNATURE_LINE.replace("nAM=", "nAN=");
    assert!(Note::parse(format!("{GO_TEXT}\n{stray_bit}").as_bytes()).is_err());
    // A text that does not end with a newline cannot be signed.
    let signer = SignerKey::parse(PETER_SIGNER_KEY).expect("key reads");
    assert_eq!(
        Note::sign("abc", &[&signer], 0),
        Err(NoteError::InvalidText)
    );
}

// ---------------------------------------------------------------------------------
// Checkpoints and cosignatures.
// ---------------------------------------------------------------------------------

const LOG_ORIGIN: &str = "truce.example/syria-2016";

fn log_key() -> SignerKey {
    SignerKey::from_seed(LOG_ORIGIN, KeyType::Ed25519, &[1; 32]).expect("name is valid")
}

fn witness_key(name: &str, seed: u8) -> SignerKey {
    SignerKey::from_seed(name, KeyType::CosignatureV1, &[seed; 32]).expect("name is valid")
}

fn log_of(records: &[serde_json::Value]) -> Tree {
    let mut tree = Tree::new();
    for record in records {
        tree.append_leaf_hash(record_leaf_hash(record).expect("records are canonical"));
    }
    tree
}

/// The checkpoint of `tree` in the log `origin`, signed with `key`: the note's bytes.
fn signed_checkpoint(origin: &str, tree: &Tree, key: &SignerKey) -> Vec<u8> {
    Checkpoint::new(origin, tree.size(), tree.root())
        .sign(key)
        .expect("checkpoint signs")
        .to_bytes()
}

/// `note`, signed with the log's key, cosigned at `time` by a witness that has
/// cosigned nothing of this log before.
fn first_cosigned(note: &[u8], witness: &SignerKey, time: u64) -> Cosigned {
    cosign(None, note, &log_key().verifier_key(), &[], witness, time).expect("witness cosigns")
}

fn records(count: u64) -> Vec<serde_json::Value> {
    (0..count)
        .map(|i| json!({"kind": "check-run", "run": i, "findings": leaf_hash(&i.to_be_bytes()).to_hex()}))
        .collect()
}

#[test]
fn checkpoint_text_follows_tlog_checkpoint() {
    // The example of C2SP tlog-checkpoint.
    let text =
        "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    let checkpoint = Checkpoint::parse_text(text).expect("the spec's example reads");
    assert_eq!(checkpoint.origin, "example.com/behind-the-sofa");
    assert_eq!(checkpoint.size, 20852163);
    assert_eq!(checkpoint.to_text().as_deref(), Ok(text));
    let with_extension = format!("{text}extension line\n");
    let checkpoint = Checkpoint::parse_text(&with_extension).expect("extension lines are allowed");
    assert_eq!(checkpoint.extensions, vec!["extension line".to_owned()]);
    assert_eq!(checkpoint.to_text(), Ok(with_extension));
    let root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
    for bad in [
        format!("example.com/log\n020852163\n{root}\n"),
        format!("example.com/log\n+5\n{root}\n"),
        format!("example.com/log\n18446744073709551616\n{root}\n"),
        format!("example.com/log\n5\n{root}"),
        format!("example.com/log\n5\n{root}\n\n"),
        "example.com/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n".to_owned(),
        "example.com/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n".to_owned(),
        "example.com/log\n5\n".to_owned(),
        format!("\n5\n{root}\n"),
    ] {
        assert!(Checkpoint::parse_text(&bad).is_err(), "accepted {bad:?}");
    }
    assert_eq!(
        Checkpoint::parse_text(&format!("log\n007\n{root}\n")).map_err(|e| e.to_string()),
        Err("line 2 of the checkpoint should be the tree size in decimal with no leading zero; found `007`".to_owned())
    );
    assert!(
        Checkpoint::parse_text(&format!("log\n0\n{}\n", empty_tree_root().to_base64())).is_ok()
    );
}

#[test]
fn signed_checkpoint_round_trip_with_cosignatures() {
    let tree = log_of(&records(9));
    let checkpoint = Checkpoint::new(LOG_ORIGIN, tree.size(), tree.root());
    let note = checkpoint.sign(&log_key()).expect("checkpoint signs");
    let bytes = note.to_bytes();
    let text = String::from_utf8(bytes.clone()).expect("notes are UTF-8");
    assert!(text.starts_with(&format!(
        "{LOG_ORIGIN}\n9\n{}\n\n— {LOG_ORIGIN} ",
        tree.root().to_base64()
    )));
    let opened = open_checkpoint(&bytes, &log_key().verifier_key(), &[]).expect("checkpoint opens");
    assert_eq!(opened.checkpoint, checkpoint);
    assert!(opened.cosignatures.is_empty());

    // Two witnesses cosign; a third party that knows one witness sees one
    // cosignature verified and the other kept unverified.
    let first = witness_key("party-a.example/witness", 2);
    let second = witness_key("party-b.example/witness", 3);
    let cosigned = first_cosigned(&bytes, &first, 1_474_300_800);
    let cosigned = first_cosigned(&cosigned.note.to_bytes(), &second, 1_474_300_900);
    let opened = open_checkpoint(
        &cosigned.note.to_bytes(),
        &log_key().verifier_key(),
        &[first.verifier_key()],
    )
    .expect("cosigned checkpoint opens");
    assert_eq!(opened.cosignatures.len(), 1);
    assert_eq!(opened.cosignatures[0].key_type, KeyType::CosignatureV1);
    assert_eq!(opened.cosignatures[0].timestamp, Some(1_474_300_800));
    assert_eq!(opened.unverified.len(), 1);
    assert_eq!(opened.unverified[0].key_name, "party-b.example/witness");
    // The signature line of a cosignature: key id || 8-byte time || 64-byte signature.
    assert_eq!(opened.unverified[0].signature.len(), 72);
    assert_eq!(
        opened.unverified[0].signature[..8],
        1_474_300_900u64.to_be_bytes()
    );

    // The key id of a witness key is SHA-256(name || 0x0A || 0x04 || public key)[..4],
    // and its text form carries type 0x04.
    let witness = first.verifier_key();
    assert_eq!(
        witness.key_id(),
        key_id(
            witness.name(),
            KeyType::CosignatureV1,
            &witness.public_key_bytes()
        )
    );
    assert_ne!(witness.key_id(), witness.to_note_signer().key_id());
    assert_eq!(
        VerifierKey::parse(&witness.to_string()),
        Ok(witness.clone())
    );
    assert!(
        witness.to_string().contains("+B"),
        "type 0x04 keys start with `B` in base64"
    );
    // A witness key given as a plain key still verifies its cosignatures once converted.
    let plain = witness.to_note_signer();
    assert!(
        open_checkpoint(
            &cosigned.note.to_bytes(),
            &log_key().verifier_key(),
            &[plain.to_cosigner()]
        )
        .is_ok()
    );

    // The log key must sign; witness signatures alone are not enough.
    let other_log =
        SignerKey::from_seed(LOG_ORIGIN, KeyType::Ed25519, &[4; 32]).expect("name is valid");
    assert!(matches!(
        open_checkpoint(
            &cosigned.note.to_bytes(),
            &other_log.verifier_key(),
            &[first.verifier_key()]
        ),
        Err(CheckpointError::NotSignedByLog { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn any_changed_byte_of_a_cosigned_checkpoint_is_detected(position in any::<usize>(), change in 1u8..=255) {
        let tree = log_of(&records(5));
        let witness = witness_key("party-a.example/witness", 2);
        let note = signed_checkpoint(LOG_ORIGIN, &tree, &log_key());
        let cosigned = first_cosigned(&note, &witness, 1_700_000_000);
        let bytes = cosigned.note.to_bytes();
        let opened = open_checkpoint(&bytes, &log_key().verifier_key(), &[witness.verifier_key()])
            .expect("the untouched note opens");
        prop_assert_eq!(opened.cosignatures.len(), 1);

        let mut tampered = bytes.clone();
        let position = position % tampered.len();
        tampered[position] ^= change;
        // Either the note is refused, or (a changed witness line that no longer names
        // the known witness) the cosignature is no longer counted as verified.
        match open_checkpoint(&tampered, &log_key().verifier_key(), &[witness.verifier_key()]) {
            Err(_) => {}
            Ok(opened) => prop_assert!(
                opened.cosignatures.is_empty() && opened.checkpoint == cosigned.checkpoint,
                "byte {} changed and the note still verifies with its cosignature", position
            ),
        }
    }
}

#[test]
fn a_changed_byte_in_the_body_or_the_log_signature_is_detected() {
    let tree = log_of(&records(5));
    let bytes = signed_checkpoint(LOG_ORIGIN, &tree, &log_key());
    for position in 0..bytes.len() {
        for change in [0x01, 0x20, 0x80] {
            let mut tampered = bytes.clone();
            tampered[position] ^= change;
            assert!(
                open_checkpoint(&tampered, &log_key().verifier_key(), &[]).is_err(),
                "byte {position} xor {change:#04x} went unnoticed"
            );
        }
    }
}

// ---------------------------------------------------------------------------------
// The witness.
// ---------------------------------------------------------------------------------

#[test]
fn witness_cosigns_a_growing_log_and_refuses_rewritten_history() {
    let log = log_key();
    let log_verifier = log.verifier_key();
    let witness = witness_key("party-a.example/witness", 2);
    let all = records(9);

    let small = log_of(&all[..5]);
    let note_5 = signed_checkpoint(LOG_ORIGIN, &small, &log);
    let cosigned_5 = first_cosigned(&note_5, &witness, 100);
    // The witness asked to cosign `note` after the checkpoint `last`, which it cosigned.
    let cosign_after = |last: &Checkpoint, note: &[u8], proof: &[Hash], time: u64| {
        cosign(Some(last), note, &log_verifier, proof, &witness, time)
    };
    assert_eq!(cosigned_5.checkpoint.size, 5);

    let big = log_of(&all);
    let note_9 = signed_checkpoint(LOG_ORIGIN, &big, &log);
    let proof = big.consistency_proof(5, 9).expect("sizes are in the tree");
    let cosigned_9 = cosign_after(&cosigned_5.checkpoint, &note_9, &proof, 200)
        .expect("a log that grew is cosigned");
    assert_eq!(cosigned_9.checkpoint.size, 9);
    // The same checkpoint again (same size, same root, empty proof) is cosigned again,
    // replacing the witness's earlier cosignature rather than adding a second.
    let again = cosign_after(
        &cosigned_9.checkpoint,
        &cosigned_9.note.to_bytes(),
        &[],
        300,
    )
    .expect("the same head is cosigned again");
    assert_eq!(again.note.signatures.len(), 2);

    // The log shrank.
    let refusal = cosign_after(&cosigned_9.checkpoint, &note_5, &[], 400)
        .expect_err("a shrunk log is refused");
    assert_eq!(
        refusal.to_string(),
        "the log shrank from 9 to 5 entries: a log only grows, so entries were removed"
    );

    // History rewritten at the same size: record 3 changed.
    let mut rewritten_records = all.clone();
    rewritten_records[3] = json!({"kind": "check-run", "run": 3, "findings": "none"});
    let rewritten = log_of(&rewritten_records);
    let rewritten_9 = signed_checkpoint(LOG_ORIGIN, &rewritten, &log);
    let refusal = cosign_after(&cosigned_9.checkpoint, &rewritten_9, &[], 500)
        .expect_err("a rewritten tree of the same size is refused");
    assert!(
        refusal
            .to_string()
            .starts_with("two different trees of size 9: history was rewritten"),
        "{refusal}"
    );

    // History rewritten and then grown: the consistency proof from the rewritten tree
    // cannot lead to the cosigned root of size 5.
    let mut grown_records = rewritten_records.clone();
    grown_records.push(json!({"kind": "check-run", "run": 9}));
    let grown = log_of(&grown_records);
    let grown_10 = signed_checkpoint(LOG_ORIGIN, &grown, &log);
    let proof = grown
        .consistency_proof(5, 10)
        .expect("sizes are in the tree");
    let refusal = cosign_after(&cosigned_5.checkpoint, &grown_10, &proof, 600)
        .expect_err("a rewritten history is refused");
    assert!(matches!(
        refusal,
        WitnessRefusal::Inconsistent {
            old_size: 5,
            new_size: 10,
            ..
        }
    ));
    assert!(
        refusal
            .to_string()
            .contains("does not lead to the root of size"),
        "{refusal}"
    );
    // The honest proof for the honest log still passes from size 5.
    let honest_proof = big.consistency_proof(5, 9).expect("sizes are in the tree");
    assert!(
        check_for_cosigning(
            Some(&cosigned_5.checkpoint),
            &note_9,
            &log_verifier,
            &honest_proof
        )
        .is_ok()
    );
    // A proof of the wrong length is refused with its lengths named.
    let refusal = check_for_cosigning(Some(&cosigned_5.checkpoint), &note_9, &log_verifier, &[])
        .expect_err("an empty proof proves nothing");
    assert!(
        refusal.to_string().contains("has 0 hashes; it must have"),
        "{refusal}"
    );

    // The log's signature is checked first: a checkpoint signed by another key is
    // refused even when it is consistent.
    let impostor =
        SignerKey::from_seed(LOG_ORIGIN, KeyType::Ed25519, &[5; 32]).expect("name is valid");
    let forged = signed_checkpoint(LOG_ORIGIN, &big, &impostor);
    let refusal = cosign_after(&cosigned_5.checkpoint, &forged, &honest_proof, 700)
        .expect_err("an unsigned checkpoint is refused");
    assert!(
        matches!(refusal, WitnessRefusal::LogSignature(_)),
        "{refusal}"
    );

    // Another log's checkpoint.
    let other_origin = signed_checkpoint("truce.example/other", &big, &log);
    assert!(matches!(
        cosign_after(&cosigned_5.checkpoint, &other_origin, &honest_proof, 800),
        Err(WitnessRefusal::OriginChanged { .. })
    ));
}

// ---------------------------------------------------------------------------------
// An independent implementation: Python's `cryptography` package.
// ---------------------------------------------------------------------------------

/// Verifies, in Python written from the C2SP specs, the signature lines of a note:
/// the key id from SHA-256(name || 0x0A || type || key), the log's Ed25519 signature
/// over the text, and a cosignature over `cosignature/v1\ntime <t>\n` || text.
const PYTHON_VERIFIER: &str = r#"
import base64, hashlib, struct, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

note = sys.stdin.buffer.read()
keys = [line.split("+", 2) for line in sys.argv[1:]]
split = note.rindex(b"\n\n")
text, block = note[: split + 1], note[split + 2 :]
checked = 0
for line in block.decode("utf-8").splitlines():
    assert line.startswith("\u2014 "), line
    name, encoded = line[2:].split(" ", 1)
    raw = base64.b64decode(encoded, validate=True)
    for key_name, key_id, material in keys:
        material = base64.b64decode(material)
        key_type, public = material[0], material[1:]
        if key_name != name or raw[:4] != bytes.fromhex(key_id):
            continue
        digest = hashlib.sha256(name.encode() + b"\n" + bytes([key_type]) + public).digest()
        assert digest[:4] == raw[:4], "key id"
        key = Ed25519PublicKey.from_public_bytes(public)
        if key_type == 1:
            key.verify(raw[4:], text)
        elif key_type == 4:
            (timestamp,) = struct.unpack(">Q", raw[4:12])
            message = b"cosignature/v1\ntime %d\n" % timestamp + text
            key.verify(raw[12:], message)
        else:
            raise SystemExit("unknown key type")
        checked += 1
print(checked)
"#;

fn python_with_cryptography() -> Option<String> {
    for python in ["python3", "/tmp/peers-env/venv/bin/python3"] {
        let works = Command::new(python)
            .args(["-c", "import cryptography"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if works {
            return Some(python.to_owned());
        }
    }
    None
}

fn python_verifies(python: &str, note: &[u8], keys: &[String]) -> Result<String, String> {
    let mut child = Command::new(python)
        .arg("-c")
        .arg(PYTHON_VERIFIER)
        .args(keys)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| error.to_string())?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(note)
        .map_err(|error| error.to_string())?;
    let output = child
        .wait_with_output()
        .map_err(|error| error.to_string())?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

#[test]
fn python_cryptography_verifies_checkpoint_signatures_and_cosignatures() {
    let Some(python) = python_with_cryptography() else {
        println!(
            "skipped: no python3 with the `cryptography` package; checkpoint signatures not cross-checked"
        );
        return;
    };
    let tree = log_of(&records(7));
    let witness = witness_key("party-a.example/witness", 2);
    let note = signed_checkpoint(LOG_ORIGIN, &tree, &log_key());
    let cosigned = first_cosigned(&note, &witness, 1_474_300_800);
    let keys = [
        log_key().verifier_key().to_string(),
        witness.verifier_key().to_string(),
    ];
    assert_eq!(
        python_verifies(&python, &cosigned.note.to_bytes(), &keys),
        Ok("2".to_owned())
    );
    // Go's own example note, too.
    let go_note = format!("{GO_TEXT}\n{PETER_SIGNATURE_LINE}");
    assert_eq!(
        python_verifies(
            &python,
            go_note.as_bytes(),
            &[PETER_VERIFIER_KEY.to_owned()]
        ),
        Ok("1".to_owned())
    );
    // And Python catches a tampered body, as we do.
    let mut tampered = cosigned.note.to_bytes();
    tampered[LOG_ORIGIN.len() + 1] = b'8';
    assert!(python_verifies(&python, &tampered, &keys).is_err());
}
