//! The types of the ledger's records, named here once: the `type` of every
//! record (`docs/trust.md`).

use serde_json::Value;

/// The type of a ledger record.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordKind {
    /// A version of the agreement came into force (its canonical text and files by hash).
    AgreementVersion,
    /// A version listed other keys than the one before.
    KeyRotation,
    /// A party signed the resolution of a bracket.
    BracketSignature,
    /// Every party named signed: the bracket's text is settled.
    BracketResolution,
    /// An evidence file was imported.
    ImportRun,
    /// A check was made and recorded (its findings and evidence by hash).
    CheckRun,
    /// A report was withdrawn from the evidence.
    Deletion,
    /// An analyst decided two reports are of two incidents.
    KeptApart,
    /// An analyst decided two reports are of one incident.
    KeptTogether,
    /// An analyst's decision was withdrawn.
    DecisionWithdrawn,
    /// A monitor filed a report.
    MonitorReport,
    /// An analyst published a monitor's report.
    ReportPublished,
    /// An analyst rejected a monitor's report.
    ReportRejected,
    /// An entitlement was released on a verified step.
    EntitlementRelease,
    /// A released entitlement was suspended.
    EntitlementSuspension,
    /// An entitlement's payload was handed over.
    EntitlementHandover,
    /// A user account was made.
    UserAdded,
    /// A user account was disabled.
    UserDisabled,
    /// An API token was issued.
    TokenIssued,
    /// An API token was revoked.
    TokenRevoked,
}

impl RecordKind {
    /// Every type, in the order `docs/trust.md` lists them.
    pub const ALL: [RecordKind; 20] = [
        RecordKind::AgreementVersion,
        RecordKind::KeyRotation,
        RecordKind::BracketSignature,
        RecordKind::BracketResolution,
        RecordKind::ImportRun,
        RecordKind::CheckRun,
        RecordKind::Deletion,
        RecordKind::KeptApart,
        RecordKind::KeptTogether,
        RecordKind::DecisionWithdrawn,
        RecordKind::MonitorReport,
        RecordKind::ReportPublished,
        RecordKind::ReportRejected,
        RecordKind::EntitlementRelease,
        RecordKind::EntitlementSuspension,
        RecordKind::EntitlementHandover,
        RecordKind::UserAdded,
        RecordKind::UserDisabled,
        RecordKind::TokenIssued,
        RecordKind::TokenRevoked,
    ];

    /// The name a record carries as its `type`.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::AgreementVersion => "agreement-version",
            RecordKind::KeyRotation => "key-rotation",
            RecordKind::BracketSignature => "bracket-signature",
            RecordKind::BracketResolution => "bracket-resolution",
            RecordKind::ImportRun => "import-run",
            RecordKind::CheckRun => "check-run",
            RecordKind::Deletion => "deletion",
            RecordKind::KeptApart => "kept-apart",
            RecordKind::KeptTogether => "kept-together",
            RecordKind::DecisionWithdrawn => "decision-withdrawn",
            RecordKind::MonitorReport => "monitor-report",
            RecordKind::ReportPublished => "report-published",
            RecordKind::ReportRejected => "report-rejected",
            RecordKind::EntitlementRelease => "entitlement-release",
            RecordKind::EntitlementSuspension => "entitlement-suspension",
            RecordKind::EntitlementHandover => "entitlement-handover",
            RecordKind::UserAdded => "user-added",
            RecordKind::UserDisabled => "user-disabled",
            RecordKind::TokenIssued => "token-issued",
            RecordKind::TokenRevoked => "token-revoked",
        }
    }

    /// The type a name stands for; `None` for a name truce does not write.
    pub fn parse(name: &str) -> Option<RecordKind> {
        RecordKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }

    /// The type of a record, from its `type`.
    pub fn of(record: &Value) -> Option<RecordKind> {
        record
            .get("type")
            .and_then(Value::as_str)
            .and_then(RecordKind::parse)
    }

    /// True when `name` is this type's name.
    pub fn is(self, name: &str) -> bool {
        self.as_str() == name
    }
}

impl std::fmt::Display for RecordKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
