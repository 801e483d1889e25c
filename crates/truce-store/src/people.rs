//! The mission server's people and programs (principals, API tokens) and the
//! reports monitors submit through it (migration 8).
//!
//! The store keeps what it is given: password and token hashes arrive already
//! hashed (the server hashes with argon2), so no secret ever reaches SQL.
//! Who submitted a monitor's report is kept in `monitor_reports` only; the report
//! itself carries an opaque id, so nothing that shows reports can show a monitor.

use crate::{StoreError, stored};
use sha2::{Digest, Sha256};
use truce_model::report::Report;

/// The columns of `principals` a [`Principal`] is read from, in its fields' order.
pub(crate) const PRINCIPAL_COLUMNS: &str =
    "id, name, role, party, password_hash, created, disabled";
/// The columns of `api_tokens` an [`ApiToken`] is read from, in its fields' order.
pub(crate) const TOKEN_COLUMNS: &str = "id, principal, lookup, hash, label, created, revoked";
/// The columns a [`MonitorSubmission`] is read from, in its fields' order, of
/// `monitor_reports m JOIN reports r ON r.id = m.report`.
pub(crate) const SUBMISSION_COLUMNS: &str =
    "m.id, m.principal, r.source_id, m.report, m.submitted, m.published";

/// Someone or something that uses the server, with one role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub id: i64,
    pub name: String,
    /// `mission-admin`, `analyst`, `monitor`, `party-liaison` or `observer`.
    pub role: String,
    /// The party a liaison is bound to.
    pub party: Option<String>,
    /// argon2 (PHC string), for people who log in.
    pub password_hash: Option<String>,
    pub created: String,
    pub disabled: Option<String>,
}

/// An API token's row: its public part and the hash of its secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiToken {
    pub id: i64,
    pub principal: i64,
    pub lookup: String,
    pub hash: String,
    pub label: Option<String>,
    pub created: String,
    pub revoked: Option<String>,
}

/// A person's session on the server, as kept (the cookie's value is not).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// The sha256 (hex) of the cookie's value.
    pub id_sha256: String,
    pub principal: i64,
    /// The token unsafe requests made with the cookie must send in `x-csrf-token`.
    pub csrf: String,
    pub created: String,
    /// RFC 3339.
    pub expires: String,
    pub ended: Option<String>,
}

/// A report a monitor submitted, as the store holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonitorSubmission {
    /// The submission's number (`monitor_reports.id`).
    pub id: i64,
    /// Who submitted it.
    pub principal: i64,
    /// The report's opaque id under source `monitor`.
    pub source_id: String,
    /// The stored report's row.
    pub report_row: i64,
    pub submitted: String,
    pub published: Option<String>,
}

/// What became of a submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Submitted {
    /// Stored now.
    Stored(MonitorSubmission),
    /// The same key with the same report was stored before: nothing was stored again.
    Repeated(MonitorSubmission),
    /// The same key was used before for another report: nothing was stored.
    KeyReused(MonitorSubmission),
}

impl Submitted {
    /// What a submission under a key used before gets: the `first` submission
    /// under it, whose request had the sha256 `first_sha256`, as
    /// [`Submitted::Repeated`] when this request (`request_sha256`) is the same.
    pub(crate) fn again(
        first: MonitorSubmission,
        first_sha256: &str,
        request_sha256: &str,
    ) -> Submitted {
        if first_sha256 == request_sha256 {
            Submitted::Repeated(first)
        } else {
            Submitted::KeyReused(first)
        }
    }
}

/// Which submissions to list.
#[derive(Clone, Debug, Default)]
pub struct SubmissionFilter {
    /// Only those of this principal.
    pub principal: Option<i64>,
    /// Only published (`Some(true)`) or unpublished (`Some(false)`) ones.
    pub published: Option<bool>,
    /// Only those with a number above this (a page's cursor).
    pub after: Option<i64>,
    /// At most this many.
    pub limit: Option<u32>,
}

/// A ledger entry made by the caller, appended by the store inside its own write.
#[derive(Clone, Debug)]
pub struct LedgerRecord {
    pub kind: String,
    /// The canonical record (RFC 8785 JSON).
    pub record: Vec<u8>,
    /// Its RFC 9162 leaf hash.
    pub leaf_hash: [u8; 32],
}

/// The source a monitor's report is stored under.
pub const MONITOR_SOURCE: &str = "monitor";

/// A new opaque id for a monitor's report: random, so it reveals nothing of
/// who filed it or under which key (a retry finds its report through the
/// stored key, not through the id).
pub fn new_monitor_report_id() -> Result<String, StoreError> {
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Record {
        file: "the system's random source".into(),
        message: format!("cannot make a report id: {e}"),
    })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// A monitor's report as either store keeps it: under source `monitor` with the
/// opaque id `source_id`, no revision and no raw row; with its stored JSON and
/// that JSON's sha256.
pub(crate) fn monitor_report_to_store(
    report: &Report,
    source_id: &str,
) -> Result<(Report, String, [u8; 32]), serde_json::Error> {
    let mut report = report.clone();
    report.provenance.source = MONITOR_SOURCE.to_string();
    report.provenance.source_id = source_id.to_string();
    report.provenance.revision = None;
    report.provenance.raw.clear();
    let mut json = Vec::with_capacity(1024);
    stored::write_json(&report, &mut json)?;
    let hash: [u8; 32] = Sha256::digest(&json).into();
    Ok((report, String::from_utf8(json).unwrap_or_default(), hash))
}
