//! Taking a report out of the evidence: a source withdrew it (`truce delete`), or
//! an analyst rejected a monitor's report from the review queue (the server).
//! Either way every stored revision is marked deleted and kept, checks stop
//! reading it, and the ledger records who, when and why.

use crate::MissionError;
use crate::record::{Actor, Deletion, Record, ReportRejected};
use truce_store::Storage;

/// Why a report leaves the evidence.
#[derive(Clone, Debug, PartialEq)]
pub enum Withdrawal {
    /// Its source withdrew it; `note` says what the source said.
    BySource { note: Option<String> },
    /// An analyst rejected a monitor's report, for `reason`.
    Rejected { by: Actor, reason: String },
}

/// What a withdrawal did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Withdrawn {
    /// The deletion's number in the store.
    pub deletion: i64,
    /// How many stored revisions were marked (and kept).
    pub revisions_marked: u64,
    /// The ledger entry that records it.
    pub ledger_index: u64,
}

/// Withdraws report `source`:`source_id` from the evidence and records why in the
/// ledger: `deletion` for a source's withdrawal, `report-rejected` for an analyst's.
pub fn withdraw_report(
    store: &mut dyn Storage,
    source: &str,
    source_id: &str,
    why: Withdrawal,
    at: &str,
) -> Result<Withdrawn, MissionError> {
    if !store.has_report(source, source_id)? {
        return Err(MissionError::NoSuchReport {
            report: format!("{source}:{source_id}"),
        });
    }
    let note = match &why {
        Withdrawal::BySource { note } => note.clone(),
        Withdrawal::Rejected { reason, .. } => Some(format!("rejected: {reason}")),
    };
    let deletion = store.record_deletion(source, source_id, None, at, note.as_deref())?;
    let record = match why {
        Withdrawal::BySource { note } => Record::Deletion(Deletion {
            at: at.to_string(),
            deletion: deletion.id,
            report: (source.to_string(), source_id.to_string()),
            note,
            revisions_marked: deletion.revisions_marked,
        }),
        Withdrawal::Rejected { by, reason } => Record::ReportRejected(ReportRejected {
            at: at.to_string(),
            report: format!("{source}:{source_id}"),
            by,
            reason,
            deletion: deletion.id,
            revisions_marked: deletion.revisions_marked,
        }),
    };
    let ledger_index = crate::append(store, &record, at)?;
    Ok(Withdrawn {
        deletion: deletion.id,
        revisions_marked: deletion.revisions_marked,
        ledger_index,
    })
}
