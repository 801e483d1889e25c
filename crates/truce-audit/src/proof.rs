//! Verification of inclusion and consistency proofs (RFC 9162 §2.1.3.2 and §2.1.4.2).
//!
//! These are free functions over hashes: a party checking the log has a checkpoint
//! and a proof, never the tree. Each checks the proof's length before hashing, so a
//! proof that is too short or too long is named as such instead of failing somewhere
//! inside the loop, and no input can make them panic.

use thiserror::Error;

use crate::hash::{Hash, empty_tree_root, node_hash};

/// Why a proof does not verify, with the sizes and hashes involved.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProofError {
    /// The leaf index is not below the tree size (this includes every index of the
    /// empty tree).
    #[error("leaf {index} is not in a tree of size {tree_size} (leaves are numbered from 0)")]
    LeafIndexOutOfRange {
        /// The leaf index the proof claims.
        index: u64,
        /// The tree size the proof claims.
        tree_size: u64,
    },
    /// The inclusion proof has the wrong number of hashes for its index and size.
    #[error(
        "the inclusion proof of leaf {index} in a tree of size {tree_size} has {found} hashes; it must have {expected}"
    )]
    InclusionProofLength {
        /// The leaf index.
        index: u64,
        /// The tree size.
        tree_size: u64,
        /// How many hashes the proof has.
        found: usize,
        /// How many hashes a proof for this index and size has.
        expected: usize,
    },
    /// The inclusion proof, applied to the leaf, gives another root.
    #[error(
        "the inclusion proof of leaf {index} does not lead to the root of size {tree_size}: expected {expected}, computed {computed}"
    )]
    InclusionRootMismatch {
        /// The leaf index.
        index: u64,
        /// The tree size.
        tree_size: u64,
        /// The root the proof was checked against.
        expected: Hash,
        /// The root the proof leads to.
        computed: Hash,
    },
    /// The new size is smaller than the old one: a log only grows.
    #[error("the log shrank from size {old_size} to {new_size}")]
    LogShrank {
        /// The earlier size.
        old_size: u64,
        /// The later, smaller size.
        new_size: u64,
    },
    /// Two different roots for the same size.
    #[error(
        "two different trees of size {size}: history was rewritten (one root is {first}, the other {second})"
    )]
    SameSizeDifferentRoots {
        /// The size both roots claim.
        size: u64,
        /// The earlier root.
        first: Hash,
        /// The later root.
        second: Hash,
    },
    /// A root given for the empty tree that is not SHA-256 of the empty string.
    #[error("the root of the empty tree is {expected} (SHA-256 of nothing); found {found}")]
    NotTheEmptyRoot {
        /// SHA-256 of the empty string.
        expected: Hash,
        /// The root that was given.
        found: Hash,
    },
    /// The consistency proof has the wrong number of hashes for its sizes.
    #[error(
        "the consistency proof from size {old_size} to {new_size} has {found} hashes; it must have {expected}"
    )]
    ConsistencyProofLength {
        /// The earlier size.
        old_size: u64,
        /// The later size.
        new_size: u64,
        /// How many hashes the proof has.
        found: usize,
        /// How many hashes a proof between these sizes has.
        expected: usize,
    },
    /// The consistency proof does not rebuild the old root.
    #[error(
        "the consistency proof from size {old_size} to {new_size} does not lead to the root of size {old_size}: expected {expected}, computed {computed}"
    )]
    ConsistencyOldRootMismatch {
        /// The earlier size.
        old_size: u64,
        /// The later size.
        new_size: u64,
        /// The old root the proof was checked against.
        expected: Hash,
        /// The old root the proof leads to.
        computed: Hash,
    },
    /// The consistency proof does not rebuild the new root.
    #[error(
        "the consistency proof from size {old_size} to {new_size} does not lead to the root of size {new_size}: expected {expected}, computed {computed}"
    )]
    ConsistencyNewRootMismatch {
        /// The earlier size.
        old_size: u64,
        /// The later size.
        new_size: u64,
        /// The new root the proof was checked against.
        expected: Hash,
        /// The new root the proof leads to.
        computed: Hash,
    },
}

/// Shifts `first` and `second` right together while `first` is even and not zero:
/// climbing past levels where the path node is a left child with no right sibling
/// in the smaller tree.
fn climb_while_even(first: &mut u64, second: &mut u64) {
    while *first & 1 == 0 && *first != 0 {
        *first >>= 1;
        *second >>= 1;
    }
}

/// How many hashes the RFC's verification loop consumes before `last` (the index of
/// the tree's last leaf, shifted as the loop goes) reaches zero, starting at node
/// `first`. This is the exact length of a valid path.
fn path_length(mut first: u64, mut last: u64) -> usize {
    let mut length = 0;
    while last > 0 {
        // The verification loop climbs only where the path node is the last one of
        // its level and a left child (even): no sibling to hash at those levels.
        if first & 1 == 0 && first == last {
            climb_while_even(&mut first, &mut last);
        }
        first >>= 1;
        last >>= 1;
        length += 1;
    }
    length
}

/// The number of hashes in the inclusion proof of leaf `index` in a tree of `tree_size`
/// leaves, or `None` when the leaf is not in the tree. It is at most ⌈log2 tree_size⌉.
pub fn inclusion_proof_length(index: u64, tree_size: u64) -> Option<usize> {
    (index < tree_size).then(|| path_length(index, tree_size - 1))
}

/// The number of hashes in the consistency proof from `old_size` to `new_size`, or
/// `None` when `old_size > new_size`. It is at most ⌈log2 new_size⌉ + 1.
pub fn consistency_proof_length(old_size: u64, new_size: u64) -> Option<usize> {
    if old_size > new_size {
        return None;
    }
    if old_size == 0 || old_size == new_size {
        return Some(0);
    }
    let (mut first, mut last) = (old_size - 1, new_size - 1);
    while first & 1 == 1 {
        first >>= 1;
        last >>= 1;
    }
    // When the old tree is a complete subtree its root is the proof's starting point
    // and the verifier has it already; otherwise the proof starts with that node.
    let seed = usize::from(!old_size.is_power_of_two());
    Some(seed + path_length(first, last))
}

/// The root that an inclusion proof leads to from `leaf` at `index` in a tree of
/// `tree_size` leaves (RFC 9162 §2.1.3.2 without the final comparison).
pub fn root_from_inclusion_proof(
    leaf: &Hash,
    index: u64,
    tree_size: u64,
    proof: &[Hash],
) -> Result<Hash, ProofError> {
    let expected = inclusion_proof_length(index, tree_size)
        .ok_or(ProofError::LeafIndexOutOfRange { index, tree_size })?;
    if proof.len() != expected {
        return Err(ProofError::InclusionProofLength {
            index,
            tree_size,
            found: proof.len(),
            expected,
        });
    }
    let (mut first, mut last) = (index, tree_size - 1);
    let mut root = *leaf;
    for sibling in proof {
        if first & 1 == 1 || first == last {
            root = node_hash(sibling, &root);
            if first & 1 == 0 {
                climb_while_even(&mut first, &mut last);
            }
        } else {
            root = node_hash(&root, sibling);
        }
        first >>= 1;
        last >>= 1;
    }
    Ok(root)
}

/// Checks that `leaf` is leaf number `index` (from 0) of the tree of `tree_size`
/// leaves whose root is `root` (RFC 9162 §2.1.3.2). Costs one node hash per proof
/// hash.
pub fn verify_inclusion(
    leaf: &Hash,
    index: u64,
    tree_size: u64,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), ProofError> {
    let computed = root_from_inclusion_proof(leaf, index, tree_size, proof)?;
    if computed != *root {
        return Err(ProofError::InclusionRootMismatch {
            index,
            tree_size,
            expected: *root,
            computed,
        });
    }
    Ok(())
}

/// Checks that the tree of `new_size` leaves with root `new_root` extends the tree of
/// `old_size` leaves with root `old_root` (RFC 9162 §2.1.4.2): every old leaf is still
/// there, in its place, unchanged. Costs at most two node hashes per proof hash.
///
/// Beyond the RFC's algorithm (which assumes 0 < old_size < new_size): a smaller new
/// size is a shrunk log; equal sizes need an empty proof and equal roots; an empty old
/// tree needs an empty proof and the empty-tree root.
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), ProofError> {
    let expected = consistency_proof_length(old_size, new_size)
        .ok_or(ProofError::LogShrank { old_size, new_size })?;
    if proof.len() != expected {
        return Err(ProofError::ConsistencyProofLength {
            old_size,
            new_size,
            found: proof.len(),
            expected,
        });
    }
    if old_size == new_size {
        if old_root != new_root {
            return Err(ProofError::SameSizeDifferentRoots {
                size: old_size,
                first: *old_root,
                second: *new_root,
            });
        }
        return Ok(());
    }
    if old_size == 0 {
        let empty = empty_tree_root();
        if *old_root != empty {
            return Err(ProofError::NotTheEmptyRoot {
                expected: empty,
                found: *old_root,
            });
        }
        return Ok(());
    }

    let (seed, rest) = if old_size.is_power_of_two() {
        (*old_root, proof)
    } else {
        match proof.split_first() {
            Some((first, rest)) => (*first, rest),
            // The length check above makes this unreachable; answer it all the same.
            None => {
                return Err(ProofError::ConsistencyProofLength {
                    old_size,
                    new_size,
                    found: 0,
                    expected,
                });
            }
        }
    };
    let (mut first, mut last) = (old_size - 1, new_size - 1);
    while first & 1 == 1 {
        first >>= 1;
        last >>= 1;
    }
    let (mut old_computed, mut new_computed) = (seed, seed);
    for node in rest {
        if first & 1 == 1 || first == last {
            old_computed = node_hash(node, &old_computed);
            new_computed = node_hash(node, &new_computed);
            if first & 1 == 0 {
                climb_while_even(&mut first, &mut last);
            }
        } else {
            new_computed = node_hash(&new_computed, node);
        }
        first >>= 1;
        last >>= 1;
    }
    if old_computed != *old_root {
        return Err(ProofError::ConsistencyOldRootMismatch {
            old_size,
            new_size,
            expected: *old_root,
            computed: old_computed,
        });
    }
    if new_computed != *new_root {
        return Err(ProofError::ConsistencyNewRootMismatch {
            old_size,
            new_size,
            expected: *new_root,
            computed: new_computed,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proof_lengths_of_the_rfc_example_tree() {
        // The 7-leaf tree drawn in RFC 9162 §2.1.5: leaf 0 needs b, h, l (3 hashes);
        // leaf 6 needs i, k (2 hashes).
        assert_eq!(inclusion_proof_length(0, 7), Some(3));
        assert_eq!(inclusion_proof_length(6, 7), Some(2));
        assert_eq!(inclusion_proof_length(7, 7), None);
        assert_eq!(inclusion_proof_length(0, 0), None);
        assert_eq!(inclusion_proof_length(0, 1), Some(0));
        // RFC 9162 §2.1.5: PROOF(3, D[7]) = [c, d, g, l]; PROOF(4, D[7]) = [l];
        // PROOF(6, D[7]) = [i, j, k].
        assert_eq!(consistency_proof_length(3, 7), Some(4));
        assert_eq!(consistency_proof_length(4, 7), Some(1));
        assert_eq!(consistency_proof_length(6, 7), Some(3));
        assert_eq!(consistency_proof_length(8, 7), None);
    }

    #[test]
    fn extreme_sizes_do_not_overflow() {
        assert!(inclusion_proof_length(u64::MAX - 1, u64::MAX).is_some_and(|n| n <= 64));
        assert!(consistency_proof_length(u64::MAX - 1, u64::MAX).is_some());
        assert!(consistency_proof_length(1, u64::MAX).is_some());
    }
}
