//! The ledger's records, typed. A record is a JSON object whose `type` is one
//! of [`RecordKind`]'s names (`docs/trust.md`); [`Record`] has one variant per
//! type, with its fields, and is the one place a record's JSON is made
//! ([`Record::to_value`]) and read back ([`Record::parse`]). Writers build a
//! variant; the compiler then asks every `match` on it (who may read it, what
//! verification and replay look into, what the agreement's life shows) to say
//! what it does with a new one.

mod fields;
mod kind;

pub use fields::*;
pub use kind::RecordKind;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One ledger record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Record {
    AgreementVersion(AgreementVersion),
    KeyRotation(KeyRotation),
    BracketSignature(BracketSignature),
    BracketResolution(BracketResolution),
    ImportRun(ImportRun),
    CheckRun(CheckRun),
    Deletion(Deletion),
    KeptApart(Decision),
    KeptTogether(Decision),
    DecisionWithdrawn(DecisionWithdrawn),
    MonitorReport(MonitorReport),
    ReportPublished(ReportPublished),
    ReportRejected(ReportRejected),
    EntitlementRelease(EntitlementRelease),
    EntitlementSuspension(EntitlementSuspension),
    EntitlementHandover(EntitlementHandover),
    UserAdded(UserAdded),
    UserDisabled(UserDisabled),
    TokenIssued(TokenIssued),
    TokenRevoked(TokenRevoked),
}

impl Record {
    /// The record's type.
    pub fn kind(&self) -> RecordKind {
        match self {
            Record::AgreementVersion(_) => RecordKind::AgreementVersion,
            Record::KeyRotation(_) => RecordKind::KeyRotation,
            Record::BracketSignature(_) => RecordKind::BracketSignature,
            Record::BracketResolution(_) => RecordKind::BracketResolution,
            Record::ImportRun(_) => RecordKind::ImportRun,
            Record::CheckRun(_) => RecordKind::CheckRun,
            Record::Deletion(_) => RecordKind::Deletion,
            Record::KeptApart(_) => RecordKind::KeptApart,
            Record::KeptTogether(_) => RecordKind::KeptTogether,
            Record::DecisionWithdrawn(_) => RecordKind::DecisionWithdrawn,
            Record::MonitorReport(_) => RecordKind::MonitorReport,
            Record::ReportPublished(_) => RecordKind::ReportPublished,
            Record::ReportRejected(_) => RecordKind::ReportRejected,
            Record::EntitlementRelease(_) => RecordKind::EntitlementRelease,
            Record::EntitlementSuspension(_) => RecordKind::EntitlementSuspension,
            Record::EntitlementHandover(_) => RecordKind::EntitlementHandover,
            Record::UserAdded(_) => RecordKind::UserAdded,
            Record::UserDisabled(_) => RecordKind::UserDisabled,
            Record::TokenIssued(_) => RecordKind::TokenIssued,
            Record::TokenRevoked(_) => RecordKind::TokenRevoked,
        }
    }

    /// When the record was made, RFC 3339 (empty for an import run still open
    /// when it was recorded, which no version of truce writes).
    pub fn at(&self) -> &str {
        match self {
            Record::AgreementVersion(r) => &r.at,
            Record::KeyRotation(r) => &r.at,
            Record::BracketSignature(r) => &r.at,
            Record::BracketResolution(r) => &r.at,
            Record::ImportRun(r) => r.at.as_deref().unwrap_or(""),
            Record::CheckRun(r) => &r.at,
            Record::Deletion(r) => &r.at,
            Record::KeptApart(r) | Record::KeptTogether(r) => &r.at,
            Record::DecisionWithdrawn(r) => &r.at,
            Record::MonitorReport(r) => &r.at,
            Record::ReportPublished(r) => &r.at,
            Record::ReportRejected(r) => &r.at,
            Record::EntitlementRelease(r) => &r.at,
            Record::EntitlementSuspension(r) => &r.at,
            Record::EntitlementHandover(r) => &r.at,
            Record::UserAdded(r) => &r.at,
            Record::UserDisabled(r) => &r.at,
            Record::TokenIssued(r) => &r.at,
            Record::TokenRevoked(r) => &r.at,
        }
    }

    /// The record as the JSON object the ledger keeps (before it is made canonical).
    pub fn to_value(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }

    /// A record read back from the ledger's bytes; an error names what does not
    /// fit its type (a record written by another program, or damaged).
    pub fn parse(bytes: &[u8]) -> Result<Record, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_reads_back_as_its_type_and_no_two_are_the_same() {
        let mut names = std::collections::BTreeSet::new();
        for kind in RecordKind::ALL {
            assert_eq!(RecordKind::parse(kind.as_str()), Some(kind));
            assert!(names.insert(kind.as_str()), "{kind} twice");
        }
        assert_eq!(RecordKind::parse("record"), None);
    }

    #[test]
    fn a_record_carries_its_kinds_name_as_its_type_and_reads_back_the_same() {
        let record = Record::DecisionWithdrawn(DecisionWithdrawn {
            at: "2016-09-12T00:00:00Z".into(),
            decision: 3,
            by: "analyst-1".into(),
        });
        let value = record.to_value().expect("json");
        assert_eq!(value["type"], record.kind().as_str());
        let bytes = serde_json::to_vec(&value).expect("bytes");
        assert_eq!(Record::parse(&bytes).expect("parse"), record);
    }
}
