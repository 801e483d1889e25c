//! The fields of each type of record. A field a writer may leave out is an
//! `Option` skipped when `None`; one it always writes, even empty, is an
//! `Option` without the skip (written as `null`). Times are RFC 3339 texts, as
//! the store keeps them.

use serde::{Deserialize, Serialize};

/// Who made a write, as the ledger names them: a role, and a name or a
/// pseudonym (`truce_server::state::ledger_actor`; monitors only ever by pseudonym).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pseudonym: Option<String>,
}

impl Actor {
    /// Someone at the command line, by the name the system gives them.
    pub fn command_line(user: &str) -> Actor {
        Actor {
            role: "command-line".into(),
            name: Some(user.into()),
            pseudonym: None,
        }
    }
}

/// Who made a write: an actor (the server, the command line's accounts), or
/// the name given on the command line (`--by`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum By {
    Actor(Actor),
    Name(String),
}

impl By {
    /// The name shown for whoever it was: a name, a pseudonym, or the role alone.
    pub fn shown(&self) -> String {
        match self {
            By::Name(name) => name.clone(),
            By::Actor(actor) => actor
                .name
                .clone()
                .or_else(|| actor.pseudonym.clone())
                .unwrap_or_else(|| actor.role.clone()),
        }
    }
}

/// A file by its path as the agreement writes it and its sha256.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileHash {
    pub path: String,
    pub sha256: String,
}

/// A party's public keys, as one agreement version lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyKeys {
    pub party: String,
    pub keys: Vec<String>,
}

/// `agreement-version`: a version of the agreement came into force.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgreementVersion {
    pub at: String,
    /// The agreement's own `id`.
    pub agreement: String,
    /// The file's name without its folder.
    pub name: String,
    pub file_sha256: String,
    pub canonical_sha256: String,
    /// The files the agreement reads.
    pub files: Vec<FileHash>,
    pub mission_keys: Vec<String>,
    pub party_keys: Vec<PartyKeys>,
    /// Who put it in force, when the server knows (an upload).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<By>,
}

/// One key holder's change in a `key-rotation`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyChange {
    /// `mission` or `party:<id>`.
    pub holder: String,
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

/// `key-rotation`: a new version lists other keys than the one before.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeyRotation {
    pub at: String,
    pub agreement: String,
    pub agreement_sha256: String,
    pub changes: Vec<KeyChange>,
}

/// `bracket-signature`: a party signed the resolution of a bracket.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BracketSignature {
    pub at: String,
    pub agreement: String,
    pub agreement_sha256: String,
    pub bracket: String,
    pub alternative: String,
    pub party: String,
    /// The public key it signed with.
    pub key: String,
    /// The text signed.
    pub statement: String,
    /// The signed note.
    pub note: String,
}

/// One party's signed note in a `bracket-resolution`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub party: String,
    pub note: String,
}

/// `bracket-resolution`: every party named signed; the bracket's text is settled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BracketResolution {
    pub at: String,
    pub agreement: String,
    pub from_sha256: String,
    pub to_sha256: String,
    pub bracket: String,
    pub alternative: String,
    pub signed_by: Vec<String>,
    pub signatures: Vec<Signature>,
}

/// Why rows of an import run were set aside or warned about, and how many.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonCount {
    /// `quarantined`, `skipped` or `warned`.
    pub outcome: String,
    pub field: Option<String>,
    pub reason: String,
    pub count: u64,
}

/// `import-run`: an evidence file was imported.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportRun {
    /// When the run finished.
    pub at: Option<String>,
    pub run: i64,
    pub file: String,
    pub file_sha256: String,
    pub size: u64,
    pub format: String,
    pub started: String,
    /// What became of its rows: six numbers (`read`, `stored`, …) flattened
    /// beside the other fields, the keys ledgers have always held (records are hashed).
    #[serde(flatten)]
    pub counts: truce_store::Counts,
    pub reasons: Vec<ReasonCount>,
    /// Who uploaded it, when the server knows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<By>,
}

/// A report by (source, source id).
pub type ReportRef = (String, String);

/// One step's outcome in a `check-run`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepOutcome {
    pub step: String,
    pub status: String,
    pub met_on: Option<String>,
    pub on_certain: String,
    pub with_possible: String,
}

/// One entitlement's outcome in a `check-run`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntitlementOutcome {
    pub entitlement: String,
    pub releasable: bool,
}

/// `check-run`: a check was made and recorded, its findings and evidence by hash.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckRun {
    pub at: String,
    /// The check run's number in the store.
    pub check_run: i64,
    pub agreement: String,
    pub agreement_sha256: String,
    /// The `--as-of` day as given; `None` for the last day of the evidence.
    pub as_of: Option<String>,
    pub evidence_sha256: String,
    pub reports: u64,
    /// Events files read beside the store: (name, sha256).
    pub files: Vec<(String, String)>,
    /// The analysts' decisions in force: pairs of reports (absent from the
    /// records of checks made before truce recorded them: none).
    #[serde(default)]
    pub kept_apart: Vec<[ReportRef; 2]>,
    #[serde(default)]
    pub kept_together: Vec<[ReportRef; 2]>,
    pub findings_sha256: String,
    pub exit_code: u8,
    pub steps: Vec<StepOutcome>,
    pub entitlements: Vec<EntitlementOutcome>,
}

/// `deletion`: a source withdrew a report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Deletion {
    pub at: String,
    /// The deletion's number in the store.
    pub deletion: i64,
    pub report: ReportRef,
    pub note: Option<String>,
    pub revisions_marked: u64,
}

/// `kept-apart` or `kept-together`: an analyst decided two reports are of two
/// incidents, or of one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub at: String,
    /// The decision's number in the store.
    pub decision: i64,
    pub first: ReportRef,
    pub second: ReportRef,
    pub by: String,
    pub reason: Option<String>,
}

/// `decision-withdrawn`: an analyst's decision was withdrawn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecisionWithdrawn {
    pub at: String,
    pub decision: i64,
    pub by: String,
}

/// `monitor-report`: a monitor filed a report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonitorReport {
    pub at: String,
    /// `monitor:<id>`.
    pub report: String,
    pub report_sha256: String,
    pub by: Actor,
}

/// `report-published`: an analyst published a monitor's report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportPublished {
    pub at: String,
    pub report: String,
    pub by: Actor,
}

/// `report-rejected`: an analyst rejected a monitor's report from the review
/// queue; it was withdrawn from the evidence (deletion `deletion`), never published.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportRejected {
    pub at: String,
    /// `monitor:<id>`.
    pub report: String,
    pub by: Actor,
    pub reason: String,
    /// The deletion's number in the store.
    pub deletion: i64,
    pub revisions_marked: u64,
}

/// The check an entitlement's release or suspension rests on, by hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckReference {
    pub as_of: String,
    pub findings_sha256: String,
    pub evidence_sha256: String,
}

/// A payload file released, by hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleasedFile {
    pub name: String,
    pub plain_sha256: String,
    pub cipher_sha256: String,
}

/// `entitlement-release`: an entitlement was released on a verified step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntitlementRelease {
    pub at: String,
    pub agreement: String,
    pub entitlement: String,
    pub to: String,
    pub step: String,
    pub reason: String,
    pub by: By,
    pub check: CheckReference,
    pub payload: Vec<ReleasedFile>,
}

/// `entitlement-suspension`: a released entitlement was suspended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntitlementSuspension {
    pub at: String,
    pub agreement: String,
    pub entitlement: String,
    pub by: By,
    pub reason: String,
    /// Whether the step still held on the evidence when it was suspended.
    pub step_still_holds: bool,
    pub step_reason: String,
    pub check: CheckReference,
}

/// A payload file handed over, by the hash of its ciphertext.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandedFile {
    pub name: String,
    pub cipher_sha256: String,
}

/// `entitlement-handover`: an entitlement's payload was handed over.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntitlementHandover {
    pub at: String,
    pub entitlement: String,
    pub to: String,
    pub files: Vec<HandedFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<By>,
}

/// `user-added`: a user account was made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserAdded {
    pub at: String,
    pub user: Actor,
    pub party: Option<String>,
    pub by: Actor,
}

/// `user-disabled`: a user account was disabled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserDisabled {
    pub at: String,
    pub user: Actor,
    pub by: Actor,
}

/// `token-issued`: an API token was issued.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenIssued {
    pub at: String,
    pub token: i64,
    pub user: Actor,
    pub by: Actor,
}

/// `token-revoked`: an API token was revoked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenRevoked {
    pub at: String,
    pub token: i64,
    pub by: Actor,
}
