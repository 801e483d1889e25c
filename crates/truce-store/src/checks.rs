//! Check runs: what a `truce check --db` read and what it found, kept so that
//! two runs can be compared after the evidence has moved on.
//!
//! Reports and deletions are only ever appended (a revision is a new row, a
//! deletion a new record), so the evidence a run read is fixed by two numbers:
//! the highest report row and the highest deletion it could see (its
//! [`Watermark`]). What changed between two runs is then what lies between
//! their watermarks ([`Store::changes_between`]), however long ago they ran.

use crate::{Store, StoreError, stored};
use rusqlite::{OptionalExtension, params};
use truce_model::report::Report;

/// The high-water marks of the store's append-only evidence at one moment.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Watermark {
    /// The highest `reports` row (revision) stored.
    pub last_report: i64,
    /// The highest deletion recorded.
    pub last_deletion: i64,
}

/// A check run to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCheckRun<'a> {
    /// When it ran (RFC 3339).
    pub started: &'a str,
    /// The agreement version it checked ([`crate::AgreementVersion::id`]).
    pub agreement: i64,
    /// The agreement's own `id` (from the file), which stays the same across versions and paths.
    pub agreement_id: &'a str,
    /// The `--as-of` day as given (`YYYY-MM-DD`), `None` for the last day of the evidence.
    pub as_of: Option<&'a str>,
    /// The evidence it read from the store ([`Store::reports_with_watermark`]).
    pub watermark: Watermark,
    /// The decisions to keep reports apart in force ([`crate::KeptApartDecision::id`]).
    pub kept_apart: &'a [i64],
    /// Events files read beside the store: (name, sha256).
    pub files: &'a [(String, String)],
    /// Reports read in all (store and files).
    pub reports: u64,
    /// The check output (truce-check JSON).
    pub result: &'a str,
    /// The exit code the check gave (0 all clear, 1 violations or unmet steps).
    pub exit_code: i32,
}

/// A recorded check run. `result` is empty in listings ([`Store::check_runs`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckRun {
    pub id: i64,
    pub started: String,
    /// The agreement's name (the file as given) and the sha256 of its canonical text.
    pub agreement_name: String,
    pub agreement_sha256: String,
    pub agreement_version: i64,
    /// The agreement's own `id`.
    pub agreement_id: String,
    pub as_of: Option<String>,
    pub watermark: Watermark,
    pub kept_apart: Vec<i64>,
    pub files: Vec<(String, String)>,
    pub reports: u64,
    pub result_sha256: String,
    pub result: String,
    pub exit_code: i32,
}

/// How one report's identity stands in two states of the store.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportChange {
    pub source: String,
    pub source_id: String,
    /// The revision current in the earlier state; `None` when it was not stored
    /// yet or was deleted.
    pub before: Option<Report>,
    /// The revision current in the later state; `None` when deleted.
    pub after: Option<Report>,
    /// When the report is deleted in the later state: the deletion's note, if any.
    pub deletion_note: Option<String>,
}

impl Store {
    /// The store's high-water marks now.
    pub fn watermark(&self) -> Result<Watermark, StoreError> {
        self.conn
            .query_row(
                "SELECT (SELECT COALESCE(MAX(id), 0) FROM reports), \
                        (SELECT COALESCE(MAX(id), 0) FROM deletions)",
                [],
                |row| {
                    Ok(Watermark {
                        last_report: row.get(0)?,
                        last_deletion: row.get(1)?,
                    })
                },
            )
            .map_err(|e| self.sql("read the store's high-water marks", e))
    }

    /// [`Store::reports`] and the watermark they were read at, in one read
    /// transaction, so an import running beside it cannot slip rows in between.
    pub fn reports_with_watermark(
        &self,
        filter: &crate::ReportFilter,
    ) -> Result<(Vec<Report>, Watermark), StoreError> {
        let read = self
            .conn
            .unchecked_transaction()
            .map_err(|e| self.sql("begin reading the reports", e))?;
        let watermark = self.watermark()?;
        let reports = self.reports(filter)?;
        read.finish()
            .map_err(|e| self.sql("finish reading the reports", e))?;
        Ok((reports, watermark))
    }

    /// Records a check run; returns its number.
    pub fn record_check_run(&mut self, run: &NewCheckRun<'_>) -> Result<i64, StoreError> {
        let action = "record the check run";
        let kept_apart = serde_json::to_string(run.kept_apart).unwrap_or_else(|_| "[]".into());
        let files = serde_json::to_string(run.files).unwrap_or_else(|_| "[]".into());
        self.conn
            .execute(
                "INSERT INTO check_runs (started, agreement, agreement_id, as_of, last_report, \
                 last_deletion, kept_apart, files, reports, result_sha256, result, exit_code) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    run.started,
                    run.agreement,
                    run.agreement_id,
                    run.as_of,
                    run.watermark.last_report,
                    run.watermark.last_deletion,
                    kept_apart,
                    files,
                    run.reports as i64,
                    crate::sha256_hex(run.result.as_bytes()),
                    run.result,
                    run.exit_code,
                ],
            )
            .map_err(|e| self.sql(action, e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Every check run, oldest first, without their results.
    pub fn check_runs(&self) -> Result<Vec<CheckRun>, StoreError> {
        self.read_check_runs(None, false)
    }

    /// Check run `id` with its result; `None` when there is none.
    pub fn check_run(&self, id: i64) -> Result<Option<CheckRun>, StoreError> {
        Ok(self.read_check_runs(Some(id), true)?.into_iter().next())
    }

    fn read_check_runs(
        &self,
        id: Option<i64>,
        with_result: bool,
    ) -> Result<Vec<CheckRun>, StoreError> {
        let action = "read the check runs";
        let mut statement = self
            .conn
            .prepare(
                "SELECT c.id, c.started, a.name, a.sha256, c.agreement, c.as_of, c.last_report, \
                 c.last_deletion, c.kept_apart, c.files, c.reports, c.result_sha256, \
                 CASE WHEN ?2 THEN c.result ELSE '' END, c.exit_code, c.agreement_id \
                 FROM check_runs c JOIN agreements a ON a.id = c.agreement \
                 WHERE ?1 IS NULL OR c.id = ?1 ORDER BY c.id",
            )
            .map_err(|e| self.sql(action, e))?;
        let rows = statement
            .query_map(params![id, with_result], |row| {
                let kept_apart: String = row.get(8)?;
                let files: String = row.get(9)?;
                Ok(CheckRun {
                    id: row.get(0)?,
                    started: row.get(1)?,
                    agreement_name: row.get(2)?,
                    agreement_sha256: row.get(3)?,
                    agreement_version: row.get(4)?,
                    agreement_id: row.get(14)?,
                    as_of: row.get(5)?,
                    watermark: Watermark {
                        last_report: row.get(6)?,
                        last_deletion: row.get(7)?,
                    },
                    // Written by `record_check_run` from the same types: a list
                    // that does not read back is shown empty rather than failing
                    // the whole listing.
                    kept_apart: serde_json::from_str(&kept_apart).unwrap_or_default(),
                    files: serde_json::from_str(&files).unwrap_or_default(),
                    reports: row.get::<_, i64>(10)? as u64,
                    result_sha256: row.get(11)?,
                    result: row.get(12)?,
                    exit_code: row.get(13)?,
                })
            })
            .map_err(|e| self.sql(action, e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(action, e))
    }

    /// Every report identity whose current revision differs between the store
    /// at `from` and at `to` (added, revised or deleted), in the order of the
    /// rows that changed it. `before` is the state at `from`, `after` at `to`;
    /// `from` may be the later of the two (then the changes read backwards).
    pub fn changes_between(
        &self,
        from: Watermark,
        to: Watermark,
    ) -> Result<Vec<ReportChange>, StoreError> {
        let action = "compare two states of the store";
        let low = Watermark {
            last_report: from.last_report.min(to.last_report),
            last_deletion: from.last_deletion.min(to.last_deletion),
        };
        let high = Watermark {
            last_report: from.last_report.max(to.last_report),
            last_deletion: from.last_deletion.max(to.last_deletion),
        };
        // The identities touched between the two states: a revision stored, or a
        // revision marked deleted by a deletion recorded in between.
        let mut statement = self
            .conn
            .prepare(
                "SELECT source, ident, MIN(id) FROM reports \
                 WHERE (id > ?1 AND id <= ?2) OR (deleted_by > ?3 AND deleted_by <= ?4) \
                 GROUP BY source, ident ORDER BY MIN(id)",
            )
            .map_err(|e| self.sql(action, e))?;
        let touched = statement
            .query_map(
                params![
                    low.last_report,
                    high.last_report,
                    low.last_deletion,
                    high.last_deletion
                ],
                |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)),
            )
            .map_err(|e| self.sql(action, e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(action, e))?;
        let mut changes = Vec::new();
        for (source, ident) in touched {
            let before = self.state_at(&source, &ident, from)?;
            let after = self.state_at(&source, &ident, to)?;
            if before.as_ref().map(|b| b.0) == after.as_ref().map(|a| a.0) {
                continue;
            }
            let source_id = after
                .as_ref()
                .or(before.as_ref())
                .map(|s| s.1.provenance.source_id.clone())
                .unwrap_or_else(|| ident.clone());
            let deletion_note = if after.is_none() {
                self.deletion_note(&source, &source_id, to)?
            } else {
                None
            };
            changes.push(ReportChange {
                source,
                source_id,
                before: before.map(|s| s.1),
                after: after.map(|s| s.1),
                deletion_note,
            });
        }
        Ok(changes)
    }

    /// The revision of identity (`source`, `ident`) current at `at` (its row
    /// id and the report), `None` when not stored yet or deleted by then.
    fn state_at(
        &self,
        source: &str,
        ident: &str,
        at: Watermark,
    ) -> Result<Option<(i64, Report)>, StoreError> {
        let action = "read a report as it stood in a check run";
        let row = self
            .conn
            .query_row(
                "SELECT id, file, line, report, deleted_by FROM reports \
                 WHERE source = ?1 AND ident = ?2 AND id <= ?3 ORDER BY id DESC LIMIT 1",
                params![source, ident, at.last_report],
                |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, i64>(2)?,
                        row.get::<_, String>(3)?,
                        row.get::<_, Option<i64>>(4)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.sql(action, e))?;
        let Some((id, file, line, json, deleted_by)) = row else {
            return Ok(None);
        };
        if deleted_by.is_some_and(|d| d <= at.last_deletion) {
            return Ok(None);
        }
        let report = stored::read_json(&json, file, line as u64, Vec::new()).map_err(|source| {
            StoreError::Corrupt {
                file: self.file.clone(),
                row: id,
                source,
            }
        })?;
        Ok(Some((id, report)))
    }

    /// The note of the latest deletion of `source:source_id` recorded by `at`.
    fn deletion_note(
        &self,
        source: &str,
        source_id: &str,
        at: Watermark,
    ) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row(
                "SELECT note FROM deletions WHERE source = ?1 AND source_id = ?2 AND id <= ?3 \
                 ORDER BY id DESC LIMIT 1",
                params![source, source_id, at.last_deletion],
                |row| row.get::<_, Option<String>>(0),
            )
            .optional()
            .map(Option::flatten)
            .map_err(|e| self.sql("read a deletion", e))
    }

    /// Every recorded deletion, oldest first: what a source withdrew, when, with its
    /// note, and how many stored revisions it marked deleted.
    pub fn deletions(&self) -> Result<Vec<RecordedDeletion>, StoreError> {
        let action = "read the deletions";
        let mut statement = self
            .conn
            .prepare(
                "SELECT d.id, d.source, d.source_id, d.recorded, d.note, d.run, \
                 (SELECT COUNT(*) FROM reports r WHERE r.deleted_by = d.id) \
                 FROM deletions d ORDER BY d.id",
            )
            .map_err(|e| self.sql(action, e))?;
        statement
            .query_map([], |row| {
                Ok(RecordedDeletion {
                    id: row.get(0)?,
                    source: row.get(1)?,
                    source_id: row.get(2)?,
                    recorded: row.get(3)?,
                    note: row.get(4)?,
                    run: row.get(5)?,
                    revisions_marked: row.get::<_, i64>(6)? as u64,
                })
            })
            .map_err(|e| self.sql(action, e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(action, e))
    }
}

/// A deletion as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedDeletion {
    pub id: i64,
    pub source: String,
    pub source_id: String,
    /// When it was recorded (RFC 3339).
    pub recorded: String,
    /// The source's note, when given.
    pub note: Option<String>,
    /// The import run that found it, when an import did (else the command line).
    pub run: Option<i64>,
    /// How many stored revisions it marked deleted.
    pub revisions_marked: u64,
}
