//! The append-only Merkle tree of RFC 9162 §2.1, kept in memory with a cache of every
//! complete subtree, so that appending costs amortised O(1) hashes and the root of any
//! earlier size, an inclusion proof or a consistency proof costs O(log n) hashes.

use thiserror::Error;

use crate::hash::{Hash, empty_tree_root, leaf_hash, node_hash};

/// A request the tree cannot answer: a size it has not reached or a leaf it does not
/// hold. Proof generation never panics; it says what was asked and what exists.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TreeError {
    /// A tree size larger than the tree.
    #[error("the tree has {tree_size} leaves; size {requested} was asked for")]
    SizeBeyondTree {
        /// The size that was asked for.
        requested: u64,
        /// How many leaves the tree has.
        tree_size: u64,
    },
    /// A leaf index at or past the size it is to be proved in.
    #[error("leaf {index} is not in a tree of size {size} (leaves are numbered from 0)")]
    LeafIndexOutOfRange {
        /// The leaf index that was asked for.
        index: u64,
        /// The tree size the proof was asked against.
        size: u64,
    },
    /// A consistency proof asked from a larger size to a smaller one.
    #[error(
        "a consistency proof goes from a smaller size to a larger one; {old_size} is larger than {new_size}"
    )]
    OldSizeLargerThanNewSize {
        /// The size the proof was asked from.
        old_size: u64,
        /// The size the proof was asked to.
        new_size: u64,
    },
}

/// An append-only Merkle tree over leaf hashes (RFC 9162 §2.1).
///
/// `levels[l][i]` is the hash of the complete subtree of 2^l leaves starting at leaf
/// i·2^l. Level 0 holds the leaf hashes. A node enters its level the moment its
/// right child does, so every complete, aligned subtree of any prefix of the log is
/// already hashed: the roots of earlier sizes and the proofs only combine cached
/// nodes along one path. The cache holds fewer than 2n hashes (64 MB per million
/// leaves).
#[derive(Clone, Debug, Default)]
pub struct Tree {
    levels: Vec<Vec<Hash>>,
}

/// The largest power of two strictly smaller than `n` (n ≥ 2): RFC 9162's split point.
fn split_point(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1 << (63 - (n - 1).leading_zeros())
}

impl Tree {
    /// An empty tree.
    pub fn new() -> Tree {
        Tree {
            levels: vec![Vec::new()],
        }
    }

    /// A tree of the given leaf hashes, in order.
    pub fn from_leaf_hashes(leaves: impl IntoIterator<Item = Hash>) -> Tree {
        let mut tree = Tree::new();
        for leaf in leaves {
            tree.append_leaf_hash(leaf);
        }
        tree
    }

    /// How many leaves the tree has.
    pub fn size(&self) -> u64 {
        self.levels.first().map_or(0, |leaves| leaves.len() as u64)
    }

    /// Whether the tree has no leaf.
    pub fn is_empty(&self) -> bool {
        self.size() == 0
    }

    /// Appends a record: its leaf hash SHA-256(0x00 || record) becomes the next leaf.
    /// Returns the leaf's index.
    pub fn append_record(&mut self, record: &[u8]) -> u64 {
        self.append_leaf_hash(leaf_hash(record))
    }

    /// Appends an already computed leaf hash and returns its index. Costs one node
    /// hash per subtree the leaf completes: amortised one hash per leaf.
    pub fn append_leaf_hash(&mut self, leaf: Hash) -> u64 {
        if self.levels.is_empty() {
            self.levels.push(Vec::new());
        }
        let index = self.size();
        self.levels[0].push(leaf);
        let mut level = 0;
        while self.levels[level].len().is_multiple_of(2) {
            let nodes = &self.levels[level];
            let parent = node_hash(&nodes[nodes.len() - 2], &nodes[nodes.len() - 1]);
            if self.levels.len() == level + 1 {
                self.levels.push(Vec::new());
            }
            self.levels[level + 1].push(parent);
            level += 1;
        }
        index
    }

    /// The leaf hash at `index`, if the tree has it.
    pub fn leaf_hash_at(&self, index: u64) -> Option<Hash> {
        let index = usize::try_from(index).ok()?;
        self.levels.first()?.get(index).copied()
    }

    /// The root of the whole tree (the empty-tree root when there is no leaf).
    pub fn root(&self) -> Hash {
        self.range_hash(0, self.size())
    }

    /// The root the tree had when it had `size` leaves (`MTH(D[0:size])`). Costs one
    /// node hash per set bit of `size`, less one.
    pub fn root_at(&self, size: u64) -> Result<Hash, TreeError> {
        self.check_size(size)?;
        Ok(self.range_hash(0, size))
    }

    /// The inclusion proof of leaf `index` in the tree of `size` leaves
    /// (`PATH(index, D[0:size])`, RFC 9162 §2.1.3.1), from the leaf's sibling up.
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, TreeError> {
        self.check_size(size)?;
        if index >= size {
            return Err(TreeError::LeafIndexOutOfRange { index, size });
        }
        // Walk down from the root. Siblings met on the way down are the proof in
        // reverse. A sibling to the left is always a complete subtree (cached); a
        // sibling to the right may not be, but once the walk turns left it stays in
        // a complete subtree, so at most one sibling costs more than a lookup.
        let mut proof = Vec::new();
        let (mut start, mut end) = (0, size);
        while end - start > 1 {
            let k = split_point(end - start);
            if index < start + k {
                proof.push(self.range_hash(start + k, end));
                end = start + k;
            } else {
                proof.push(self.range_hash(start, start + k));
                start += k;
            }
        }
        proof.reverse();
        Ok(proof)
    }

    /// The consistency proof from the tree of `old_size` leaves to the tree of
    /// `new_size` leaves (`PROOF(old_size, D[0:new_size])`, RFC 9162 §2.1.4.1). The proof
    /// is empty when the sizes are equal or the old tree is empty: there is nothing
    /// to prove.
    pub fn consistency_proof(&self, old_size: u64, new_size: u64) -> Result<Vec<Hash>, TreeError> {
        self.check_size(new_size)?;
        if old_size > new_size {
            return Err(TreeError::OldSizeLargerThanNewSize { old_size, new_size });
        }
        if old_size == 0 || old_size == new_size {
            return Ok(Vec::new());
        }
        // SUBPROOF(m, D[start:end], b) unrolled; `whole_old_subtree` is b: whether the
        // current range's left part is still exactly the old tree's root, which the
        // verifier already holds and so is left out.
        let mut proof = Vec::new();
        let (mut start, mut end) = (0, new_size);
        let mut whole_old_subtree = true;
        loop {
            let n = end - start;
            let m = old_size - start;
            if m == n {
                if !whole_old_subtree {
                    proof.push(self.range_hash(start, end));
                }
                break;
            }
            let k = split_point(n);
            if m <= k {
                proof.push(self.range_hash(start + k, end));
                end = start + k;
            } else {
                proof.push(self.range_hash(start, start + k));
                start += k;
                whole_old_subtree = false;
            }
        }
        proof.reverse();
        Ok(proof)
    }

    fn check_size(&self, size: u64) -> Result<(), TreeError> {
        if size > self.size() {
            return Err(TreeError::SizeBeyondTree {
                requested: size,
                tree_size: self.size(),
            });
        }
        Ok(())
    }

    /// MTH(D[start:end]) for a range the RFC recursion can produce: `start` is a
    /// multiple of the largest power of two not above `end - start`, and `end` is
    /// within the tree. The range splits into complete subtrees by the binary digits
    /// of its length, largest on the left; they are cached, and folding them from the
    /// right gives the RFC's shape with one node hash per joint.
    fn range_hash(&self, start: u64, end: u64) -> Hash {
        let length = end - start;
        if length == 0 {
            return empty_tree_root();
        }
        let mut folded: Option<Hash> = None;
        let mut piece_end = end;
        for level in 0..64 {
            if length & (1 << level) == 0 {
                continue;
            }
            let piece_start = piece_end - (1 << level);
            let piece = self.levels[level][(piece_start >> level) as usize];
            folded = Some(match folded {
                None => piece,
                Some(right) => node_hash(&piece, &right),
            });
            piece_end = piece_start;
        }
        folded.unwrap_or_else(empty_tree_root)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// MTH by the RFC's recursive definition, to check the cached shortcut against.
    fn reference_root(leaves: &[Hash]) -> Hash {
        match leaves.len() {
            0 => empty_tree_root(),
            1 => leaves[0],
            n => {
                let k = split_point(n as u64) as usize;
                node_hash(&reference_root(&leaves[..k]), &reference_root(&leaves[k..]))
            }
        }
    }

    #[test]
    fn split_point_is_the_largest_power_of_two_below() {
        assert_eq!(split_point(2), 1);
        assert_eq!(split_point(3), 2);
        assert_eq!(split_point(4), 2);
        assert_eq!(split_point(5), 4);
        assert_eq!(split_point(8), 4);
        assert_eq!(split_point(9), 8);
        assert_eq!(split_point(u64::MAX), 1 << 63);
    }

    #[test]
    fn every_prefix_root_matches_the_recursive_definition() {
        let leaves: Vec<Hash> = (0u32..70).map(|i| leaf_hash(&i.to_be_bytes())).collect();
        let tree = Tree::from_leaf_hashes(leaves.iter().copied());
        for size in 0..=leaves.len() {
            assert_eq!(
                tree.root_at(size as u64),
                Ok(reference_root(&leaves[..size])),
                "size {size}"
            );
        }
    }

    #[test]
    fn cache_holds_fewer_than_two_hashes_per_leaf() {
        let tree = Tree::from_leaf_hashes((0u32..1000).map(|i| leaf_hash(&i.to_be_bytes())));
        let cached: usize = tree.levels.iter().map(Vec::len).sum();
        assert!(cached < 2000, "{cached}");
    }
}
