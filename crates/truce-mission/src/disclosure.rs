//! Who may read which ledger record and which bundle file.
//!
//! The ledger is meant to be checked by everyone ("not on trust"), but not every
//! record may be read by everyone: a monitor's report record carries the keyed
//! pseudonym whose pattern of filing could locate a monitor, an entitlement record
//! is the business of the party that receives it, and the agreement's text and the
//! evidence are withheld from the public by the disclosure policy. A record a reader
//! may not see is given as its leaf hash alone: the Merkle tree, and so every
//! signed checkpoint and proof, still checks from hashes, and the reader knows
//! exactly which entries it could not read and why (`docs/trust.md`).
//!
//! The rules are by record type, and closed: a type not named here is for the
//! mission's staff only, so a new record type is withheld until someone decides.

use crate::record::RecordKind;
use serde_json::Value;
use truce_model::agreement::Agreement;

/// Who a ledger view or a bundle is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Audience {
    /// The mission's staff: everything.
    Staff,
    /// One party's liaison officers (the party's id).
    Party(String),
    /// Everyone else, under the public disclosure policy.
    Public,
}

impl Audience {
    /// How a bundle or a message names the audience: `staff`, `party russia`, `public`.
    pub fn describe(&self) -> String {
        match self {
            Audience::Staff => "the mission's staff".into(),
            Audience::Party(party) => format!("party `{party}`"),
            Audience::Public => "the public".into(),
        }
    }
}

/// Why a record or a file is withheld from an audience: a sentence a reader sees.
pub type Withheld = &'static str;

const ACCOUNTS: Withheld = "the mission's accounts are for its staff";
const MONITOR: Withheld = "a monitor's report: withheld to protect the monitor";
const OTHER_PARTY: Withheld = "an entitlement of another party";
const NOT_PUBLIC: Withheld = "the disclosure policy withholds it from the public";
const UNKNOWN: Withheld = "a record type this truce does not know is for the staff only";

/// The party an entitlement record concerns: the agreement's receiving party of
/// the entitlement it names, or the record's own `to`.
fn entitlement_party<'a>(record: &'a Value, agreement: &'a Agreement) -> Option<&'a str> {
    let id = record.get("entitlement").and_then(Value::as_str);
    id.and_then(|id| agreement.entitlements.iter().find(|e| e.id == id))
        .and_then(|e| agreement.parties.get(e.to))
        .map(|p| p.id.as_str())
        .or_else(|| record.get("to").and_then(Value::as_str))
}

/// Whether `audience` may read the record of type `kind`; `None` when it may.
pub fn withheld_record(
    kind: &str,
    record: &Value,
    agreement: &Agreement,
    audience: &Audience,
) -> Option<Withheld> {
    if *audience == Audience::Staff {
        return None;
    }
    // A type truce does not write is withheld from all but the staff.
    let Some(kind) = RecordKind::parse(kind) else {
        return Some(UNKNOWN);
    };
    match kind {
        // What the parties agreed and signed: everyone may read it.
        RecordKind::AgreementVersion
        | RecordKind::KeyRotation
        | RecordKind::BracketSignature
        | RecordKind::BracketResolution => None,
        // The work on the evidence: file names and report ids name sources, which
        // the public policy withholds.
        RecordKind::ImportRun
        | RecordKind::CheckRun
        | RecordKind::Deletion
        | RecordKind::KeptApart
        | RecordKind::KeptTogether
        | RecordKind::DecisionWithdrawn
        | RecordKind::ReportPublished
        | RecordKind::ReportRejected => match audience {
            Audience::Public => Some(NOT_PUBLIC),
            _ => None,
        },
        RecordKind::EntitlementRelease
        | RecordKind::EntitlementSuspension
        | RecordKind::EntitlementHandover => match audience {
            Audience::Party(party)
                if entitlement_party(record, agreement)
                    .is_some_and(|to| agreement.answers_for(party, to)) =>
            {
                None
            }
            Audience::Party(_) => Some(OTHER_PARTY),
            _ => Some(NOT_PUBLIC),
        },
        RecordKind::MonitorReport => Some(MONITOR),
        RecordKind::UserAdded
        | RecordKind::UserDisabled
        | RecordKind::TokenIssued
        | RecordKind::TokenRevoked => Some(ACCOUNTS),
    }
}

/// The record types of the mission's accounts: their number would tell how
/// many users and tokens the mission has.
fn is_account(kind: RecordKind) -> bool {
    matches!(
        kind,
        RecordKind::UserAdded
            | RecordKind::UserDisabled
            | RecordKind::TokenIssued
            | RecordKind::TokenRevoked
    )
}

/// The type an audience is told for an entry it may not read: its own type,
/// except the accounts' records, which are `withheld` to all but the staff (the
/// leaf hash alone keeps the tree checkable).
pub fn shown_kind<'a>(kind: &'a str, audience: &Audience) -> &'a str {
    if *audience != Audience::Staff && RecordKind::parse(kind).is_some_and(is_account) {
        "withheld"
    } else {
        kind
    }
}

/// What a file of a bundle is, for deciding who may have it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BundleFile {
    /// An agreement version's text, or a file it reads (zones, sites).
    Agreement,
    /// The evidence a check read; `holds_unpublished` when it holds a monitor's
    /// report not yet published, `holds_monitors` when it holds any monitor's
    /// report (a witness's words and exact point).
    Evidence {
        holds_unpublished: bool,
        holds_monitors: bool,
    },
}

/// Whether `audience` may have the file; `None` when it may.
pub fn withheld_file(file: BundleFile, audience: &Audience) -> Option<Withheld> {
    match (audience, file) {
        (Audience::Staff, _) => None,
        (Audience::Public, _) => Some(NOT_PUBLIC),
        (Audience::Party(_), BundleFile::Agreement) => None,
        (
            Audience::Party(_),
            BundleFile::Evidence {
                holds_unpublished,
                holds_monitors,
            },
        ) => {
            if holds_unpublished {
                Some("the evidence holds monitors' reports not yet published")
            } else if holds_monitors {
                // Their words and exact points are withheld from the parties
                // (`[liaison]` in docs/api.md); the findings' hash still checks.
                Some(
                    "the evidence holds monitors' reports, whose words and places are withheld from the parties",
                )
            } else {
                None
            }
        }
    }
}

/// One ledger entry as an audience may read it: the record, or why it is withheld.
#[derive(Clone, Debug, PartialEq)]
pub enum Readable {
    Record(Value),
    Withheld(Withheld),
}

/// Reads entry `record` (its canonical bytes) of type `kind` for `audience`.
pub fn readable(kind: &str, record: &[u8], agreement: &Agreement, audience: &Audience) -> Readable {
    match serde_json::from_slice::<Value>(record) {
        Ok(value) => match withheld_record(kind, &value, agreement, audience) {
            None => Readable::Record(value),
            Some(why) => Readable::Withheld(why),
        },
        // The ledger holds canonical JSON only; bytes that are not would be a
        // corrupt store, which only the staff should look into.
        Err(_) if *audience == Audience::Staff => Readable::Record(Value::Null),
        Err(_) => Readable::Withheld(UNKNOWN),
    }
}
