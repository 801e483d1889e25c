//! Signing a checkpoint of the ledger: the mission's key commits to the log's size
//! and root (a C2SP signed note). `truce ledger checkpoint --key` and the server (when
//! its settings name the mission's key file) both sign through [`sign_checkpoint`].

use crate::MissionError;
use crate::bundle::origin;
use truce_audit::{Checkpoint, Hash, SignerKey, Tree};
use truce_model::agreement::Agreement;
use truce_store::Storage;

/// A checkpoint signed and kept in the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signed {
    /// Its number in the store.
    pub id: i64,
    /// The log's size it commits to.
    pub size: u64,
    /// The tree's root, hex.
    pub root: String,
    /// The signer's name.
    pub signer: String,
}

/// The tree of the store's ledger.
pub fn store_tree(store: &mut dyn Storage) -> Result<Tree, MissionError> {
    Ok(Tree::from_leaf_hashes(
        store.ledger_leaf_hashes()?.into_iter().map(Hash),
    ))
}

/// Signs the ledger's current size and root with `signer` and keeps the note in the
/// store. Refused when the key is not one of the mission's keys the agreement lists
/// (`[ledger] mission_keys`): nothing is signed then.
pub fn sign_checkpoint(
    store: &mut dyn Storage,
    agreement: &Agreement,
    signer: &SignerKey,
    at: &str,
) -> Result<Signed, MissionError> {
    let public = signer.verifier_key().to_string();
    if !agreement.ledger.mission_keys.contains(&public) {
        return Err(MissionError::NotAMissionKey {
            name: signer.name().to_string(),
        });
    }
    let tree = store_tree(store)?;
    let checkpoint = Checkpoint::new(origin(agreement), tree.size(), tree.root());
    let note = checkpoint
        .sign(signer)
        .map_err(|e| MissionError::Sign(e.to_string()))?;
    let text = String::from_utf8_lossy(&note.to_bytes()).into_owned();
    let id = store.record_checkpoint(tree.size(), &text, at)?;
    Ok(Signed {
        id,
        size: tree.size(),
        root: tree.root().to_hex(),
        signer: signer.name().to_string(),
    })
}
