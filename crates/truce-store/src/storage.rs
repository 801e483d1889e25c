//! What the mission's server needs of a store, as one interface with two
//! backends: the embedded SQLite file ([`crate::Store`]) and PostgreSQL for a team
//! ([`crate::pg::PgStore`]). Both keep the same tables under the same rules
//! (identity, revisions, the ledger's order), and the server's test suite runs
//! on both.

use crate::{
    AgreementVersion, ApiToken, BatchProblems, CheckRun, DecisionKind, Deletion, EncodedBatch,
    FileMeta, ImportWriter, KeptApartDecision, LedgerEntry, LedgerRecord, MonitorSubmission,
    NewCheckRun, Payload, Principal, QuarantinedRow, RecordedDeletion, ReportChange, RunInfo,
    Session, StoreError, StoredCheckpoint, SubmissionFilter, Submitted, Watermark,
};
use std::collections::BTreeSet;
use truce_ingest::RowProblem;
use truce_model::report::Report;

/// What a check run read: the reports as they stood, and the files it read
/// beside the store (name, sha256).
pub type CheckRunInputs = (Vec<Report>, Vec<(String, String)>);

/// The format of the one-report import runs that monitors' submissions are read by.
pub const MONITOR_RUN_FORMAT: &str = "monitor-report";

/// A store truce runs on: every part of it, and how to name and reopen it. Each
/// part is a trait of its own, implemented directly by both backends (the SQLite
/// file in `sqlite/`, PostgreSQL in `pg/`); `use truce_store::prelude::*` brings
/// them all into scope. Every method is one transaction or one read.
pub trait Storage:
    AgreementStore + EvidenceStore + PeopleStore + LedgerStore + CheckRunStore + Send
{
    /// The store, for messages: a file name, or a PostgreSQL database without its password.
    fn describe(&self) -> String;
    /// A second connection to the same store (to read while this one writes).
    fn reopen(&self) -> Result<Box<dyn Storage>, StoreError>;
}

/// The agreement versions a store keeps: every text a check or the server read, by its sha256.
pub trait AgreementStore {
    fn record_agreement(
        &mut self,
        name: &str,
        text: &str,
        at: &str,
    ) -> Result<AgreementVersion, StoreError>;
    /// Every recorded version of agreement `name`, oldest first: (sha256, text, recorded).
    fn agreement_versions(
        &mut self,
        name: &str,
    ) -> Result<Vec<(String, String, String)>, StoreError>;
    /// The text of the agreement version whose canonical text has this sha256.
    fn agreement_text(&mut self, sha256: &str) -> Result<Option<String>, StoreError>;
}

/// The evidence: import runs, reports and their revisions, quarantined rows, deletions, and the analysts' decisions on which reports are one incident.
pub trait EvidenceStore {
    /// Starts an import run of `file` at time `at`, or (SQLite) resumes the open
    /// run of the same file a killed import left behind: the caller skips the
    /// first [`ImportWriter::rows_done`] rows and adds the rest in batches.
    fn begin_import(
        &mut self,
        file: &FileMeta,
        at: &str,
    ) -> Result<Box<dyn ImportWriter + '_>, StoreError>;
    /// Imports one whole file's reports, quarantined rows and rows skipped as out
    /// of scope as one run (stored, duplicates and revisions as `docs/store.md`
    /// says) and finishes it. A rerun of a killed import of the same file resumes
    /// after what it committed: rows go in as reports, then quarantined rows,
    /// then skipped ones.
    fn import_all(
        &mut self,
        file: &FileMeta,
        reports: &[Report],
        quarantined: &[RowProblem],
        skipped: &[RowProblem],
        at: &str,
    ) -> Result<RunInfo, StoreError> {
        let mut run = self.begin_import(file, at)?;
        let done = run.rows_done() as usize;
        let skip_reports = done.min(reports.len());
        let skip_quarantined = (done - skip_reports).min(quarantined.len());
        let skip_skipped = (done - skip_reports - skip_quarantined).min(skipped.len());
        let mut encoder = run.encoder();
        let encode_error = |source: serde_json::Error| StoreError::Corrupt {
            file: file.name.clone(),
            row: 0,
            source,
        };
        for batch in reports[skip_reports..].chunks(10_000) {
            let encoded = encoder.encode(batch).map_err(encode_error)?;
            run.add_encoded(&encoded, BatchProblems::default(), &|_| None)?;
        }
        let rows = BatchProblems {
            quarantined: &quarantined[skip_quarantined..],
            skipped: &skipped[skip_skipped..],
            warned: &[],
        };
        if rows.rows() > 0 {
            run.add_encoded(&EncodedBatch::default(), rows, &|_| None)?;
        }
        run.finish(at)
    }
    /// The import runs of files, oldest first (not the one-report runs of monitors' submissions).
    fn file_runs(&mut self) -> Result<Vec<RunInfo>, StoreError>;
    /// The rows run `run` set aside, in file order.
    fn quarantined(&mut self, run: i64) -> Result<Vec<QuarantinedRow>, StoreError>;
    /// The reports a check reads: the current revision of every identity, not
    /// deleted, in the order they were first stored; with `known_before`
    /// ([`crate::known_before`]), as known then. With them, the watermark they
    /// were read at, in one read transaction, so an import running beside it
    /// cannot slip rows in between.
    fn reports_known_before(
        &mut self,
        known_before: Option<&str>,
    ) -> Result<(Vec<Report>, Watermark), StoreError>;
    /// Whether the store holds a current report `source`/`source_id`.
    fn has_report(&mut self, source: &str, source_id: &str) -> Result<bool, StoreError>;
    /// Records that a source withdrew a report: every stored revision is
    /// marked deleted (and kept); checks stop reading it.
    fn record_deletion(
        &mut self,
        source: &str,
        source_id: &str,
        run: Option<i64>,
        at: &str,
        note: Option<&str>,
    ) -> Result<Deletion, StoreError>;
    /// Every recorded deletion, oldest first.
    fn deletions(&mut self) -> Result<Vec<RecordedDeletion>, StoreError>;
    /// Records an analyst's decision on two reports (either order is the same
    /// pair); while one is in force, recording it again returns it.
    fn record_decision(
        &mut self,
        kind: DecisionKind,
        first: (&str, &str),
        second: (&str, &str),
        decided_by: &str,
        at: &str,
        reason: Option<&str>,
    ) -> Result<KeptApartDecision, StoreError>;
    /// Withdraws decision `id` (it stays on record); false when none is in force.
    fn withdraw_decision(&mut self, id: i64, by: &str, at: &str) -> Result<bool, StoreError>;
    fn kept_apart(&mut self) -> Result<Vec<KeptApartDecision>, StoreError>;
    fn kept_together(&mut self) -> Result<Vec<KeptApartDecision>, StoreError>;
}

/// The server's people: principals, API tokens, sessions, monitors' reports and the server's own secrets.
pub trait PeopleStore {
    fn add_principal(
        &mut self,
        name: &str,
        role: &str,
        party: Option<&str>,
        password_hash: Option<&str>,
        at: &str,
    ) -> Result<Option<i64>, StoreError>;
    fn principal(&mut self, id: i64) -> Result<Option<Principal>, StoreError>;
    fn principal_by_name(&mut self, name: &str) -> Result<Option<Principal>, StoreError>;
    fn principals(&mut self) -> Result<Vec<Principal>, StoreError>;
    fn add_token(
        &mut self,
        principal: i64,
        lookup: &str,
        hash: &str,
        label: Option<&str>,
        at: &str,
    ) -> Result<i64, StoreError>;
    fn token_by_lookup(&mut self, lookup: &str) -> Result<Option<ApiToken>, StoreError>;
    fn tokens(&mut self) -> Result<Vec<ApiToken>, StoreError>;
    fn revoke_token(&mut self, id: i64, at: &str) -> Result<bool, StoreError>;
    /// Disables a principal and revokes its tokens in one transaction; false when
    /// it was not active (unknown, or disabled already). Its sessions end with
    /// it: a session is honoured only for an active principal.
    fn disable_principal(&mut self, id: i64, at: &str) -> Result<bool, StoreError>;
    fn add_session(&mut self, session: &Session) -> Result<(), StoreError>;
    fn session(&mut self, id_sha256: &str) -> Result<Option<Session>, StoreError>;
    fn end_session(&mut self, id_sha256: &str, at: &str) -> Result<bool, StoreError>;
    fn submit_monitor_report(
        &mut self,
        principal: i64,
        idempotency_key: &str,
        request_sha256: &str,
        report: &Report,
        at: &str,
        ledger: &mut dyn FnMut(&MonitorSubmission, &str) -> Result<LedgerRecord, String>,
    ) -> Result<Submitted, StoreError>;
    fn monitor_reports(
        &mut self,
        filter: &SubmissionFilter,
    ) -> Result<Vec<(MonitorSubmission, Report)>, StoreError>;
    fn publish_monitor_report(
        &mut self,
        id: i64,
        by: i64,
        at: &str,
        ledger: &mut dyn FnMut(&str) -> Result<LedgerRecord, String>,
    ) -> Result<bool, StoreError>;
    fn unpublished_monitor_reports(&mut self) -> Result<BTreeSet<String>, StoreError>;
    fn server_secret(
        &mut self,
        name: &str,
        make: &mut dyn FnMut() -> Vec<u8>,
    ) -> Result<Vec<u8>, StoreError>;
}

/// The ledger: its entries in their fixed order, its signed checkpoints, and the entitlements' encrypted payloads.
pub trait LedgerStore {
    fn append_ledger(
        &mut self,
        kind: &str,
        record: &[u8],
        leaf_hash: &[u8; 32],
        at: &str,
    ) -> Result<u64, StoreError>;
    fn ledger_len(&mut self) -> Result<u64, StoreError>;
    fn ledger_entries(&mut self, from: u64, to: u64) -> Result<Vec<LedgerEntry>, StoreError>;
    /// At most `limit` entries of the types `kinds`, from position `from` on, in order.
    fn ledger_entries_of(
        &mut self,
        kinds: &[&str],
        from: u64,
        limit: u64,
    ) -> Result<Vec<LedgerEntry>, StoreError>;
    fn ledger_leaf_hashes(&mut self) -> Result<Vec<[u8; 32]>, StoreError>;
    fn latest_checkpoint(&mut self) -> Result<Option<StoredCheckpoint>, StoreError>;
    /// An entitlement's payload files (`age` ciphertext only), oldest first.
    fn payloads(&mut self, entitlement: &str) -> Result<Vec<Payload>, StoreError>;
    /// Keeps an entitlement's payload file, already encrypted; returns its number.
    fn store_payload(
        &mut self,
        entitlement: &str,
        name: &str,
        plain_sha256: &str,
        ciphertext: &[u8],
        at: &str,
    ) -> Result<i64, StoreError>;
    /// Every signed checkpoint, oldest first.
    fn checkpoints(&mut self) -> Result<Vec<StoredCheckpoint>, StoreError>;
    /// Keeps a signed checkpoint (a signed note) of the ledger at `size` entries;
    /// returns its number.
    fn record_checkpoint(&mut self, size: u64, note: &str, at: &str) -> Result<i64, StoreError>;
}

/// Recorded check runs (`truce check --record`): what each read and found, so
/// that two can be compared (`truce diff`) and a bundle can carry what a run read.
/// Reports and deletions are only ever appended, so a run's evidence is fixed by
/// its [`Watermark`].
pub trait CheckRunStore {
    /// Records a check run; returns its number.
    fn record_check_run(&mut self, run: &NewCheckRun<'_>) -> Result<i64, StoreError>;
    /// The recorded check runs, oldest first: every one, or only run `id`;
    /// with their results when `with_result`, else with `result` empty.
    fn read_check_runs(
        &mut self,
        id: Option<i64>,
        with_result: bool,
    ) -> Result<Vec<CheckRun>, StoreError>;
    /// Every check run, oldest first, without their results.
    fn check_runs(&mut self) -> Result<Vec<CheckRun>, StoreError> {
        self.read_check_runs(None, false)
    }
    /// Check run `id` with its result; `None` when there is none.
    fn check_run(&mut self, id: i64) -> Result<Option<CheckRun>, StoreError> {
        Ok(self.read_check_runs(Some(id), true)?.into_iter().next())
    }
    /// Every report identity whose current revision differs between the store
    /// at `from` and at `to` (added, revised or deleted), in the order of the
    /// rows that changed it; each state as known before its instant when one is
    /// given ([`crate::known_before`]). `before` is the state at `from`, `after`
    /// at `to`; `from` may be the later of the two (then the changes read backwards).
    fn changes_between_known(
        &mut self,
        from: Watermark,
        from_known_before: Option<&str>,
        to: Watermark,
        to_known_before: Option<&str>,
    ) -> Result<Vec<ReportChange>, StoreError>;
    /// The reports as they stood at watermark `at`: what a check run with that
    /// watermark read from the store. With `known_before` (a
    /// [`crate::known_before`] instant), the evidence a check as of that day
    /// read: per identity the latest revision recorded before the instant, or
    /// its first revision when every one was recorded later (history imported
    /// afterwards stays visible); deletions recorded later are ignored.
    fn reports_at(
        &mut self,
        at: Watermark,
        known_before: Option<&str>,
    ) -> Result<Vec<Report>, StoreError>;
    /// What check run `id` read from the store (its reports as they stood) and the
    /// files it read beside it (name, sha256); `None` when there is no such run.
    fn check_run_inputs(&mut self, id: i64) -> Result<Option<CheckRunInputs>, StoreError> {
        let Some(run) = self.check_run(id)? else {
            return Ok(None);
        };
        let reports = self.reports_at(run.watermark, run.known_before.as_deref())?;
        Ok(Some((reports, run.files)))
    }
}
