//! The analysts' decisions a check applies: pairs of reports kept apart (two
//! incidents, though they look like one) and kept together (one incident,
//! though they look like two), read from any store the same way for the
//! command line and the server.

use truce_engine::corroborate::KeptApart;
use truce_store::{KeptApartDecision, Storage, StoreError};

/// The decisions in force, as the engine reads them, and their ids (for the
/// record of a check run: ids are unique across both kinds).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decisions {
    pub kept_apart: Vec<KeptApart>,
    pub kept_together: Vec<KeptApart>,
    pub ids: Vec<i64>,
}

/// The decisions in force in `storage` (withdrawn ones left out).
pub fn decisions(storage: &mut dyn Storage) -> Result<Decisions, StoreError> {
    let apart = storage.kept_apart()?;
    let together = storage.kept_together()?;
    Ok(Decisions {
        kept_apart: pairs(&apart),
        kept_together: pairs(&together),
        ids: apart.iter().chain(&together).map(|k| k.id).collect(),
    })
}

fn pairs(decisions: &[KeptApartDecision]) -> Vec<KeptApart> {
    decisions
        .iter()
        .map(|k| KeptApart {
            first: k.first.clone(),
            second: k.second.clone(),
        })
        .collect()
}
