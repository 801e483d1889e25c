//! Agreement versions into the ledger, with the key rotations they carry
//! (`truce_mission::record_agreement_version`), at the current time.

use anyhow::Result;
use std::path::Path;
use truce_model::agreement::Agreement;
use truce_store::Storage;

/// Appends the record of a new agreement version and, when its keys changed, a
/// `key-rotation` record naming what changed.
pub fn record(
    store: &mut dyn Storage,
    agreement: &Agreement,
    agreement_path: &Path,
    name: &str,
    source: &str,
    canonical_sha256: &str,
) -> Result<()> {
    truce_mission::record_agreement_version(
        store,
        agreement,
        agreement_path,
        name,
        source,
        canonical_sha256,
        None,
        &crate::store::now(),
    )?;
    Ok(())
}
