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
use truce_model::time::{Day, Minute};

/// The high-water marks of the store's append-only evidence at one moment.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Watermark {
    /// The highest `reports` row (revision) stored.
    pub last_report: i64,
    /// The highest deletion recorded.
    pub last_deletion: i64,
}

/// The instant day `day` ends in the local time `utc_offset_minutes` (the
/// agreement's `timezone`), in UTC as the store compares recorded times:
/// `YYYY-MM-DDTHH:MM:SS`. Evidence recorded before it was known on that day.
pub fn known_before(day: Day, utc_offset_minutes: i32) -> String {
    let minute = day.next().first_minute().0 - i64::from(utc_offset_minutes);
    let (year, month, date) = Minute(minute).day().ymd();
    let within = minute.rem_euclid(24 * 60);
    format!(
        "{year:04}-{month:02}-{date:02}T{:02}:{:02}:00",
        within / 60,
        within % 60
    )
}

/// The reports as known before an instant, for SQLite and PostgreSQL alike;
/// `marks` are the placeholders of the highest report row, the highest deletion
/// and the instant. Per identity (among rows up to the watermark): the latest
/// revision recorded before the instant, or the first one when none was. A
/// revision is recorded when its import run started; times are compared to the
/// second (the stored texts are RFC 3339 in UTC, with or without a fraction).
pub(crate) fn known_reports_sql(marks: &[&str; 3]) -> String {
    let [report, deletion, before] = marks;
    format!(
        "SELECT r.id, r.file, r.line, r.report, r.source, r.ident FROM reports r \
         JOIN import_runs run ON run.id = r.first_run \
         WHERE r.id <= {report} \
           AND ((substr(run.started, 1, 19) < {before} AND NOT EXISTS ( \
                   SELECT 1 FROM reports later JOIN import_runs l ON l.id = later.first_run \
                   WHERE later.source = r.source AND later.ident = r.ident \
                     AND later.id > r.id AND later.id <= {report} \
                     AND substr(l.started, 1, 19) < {before})) \
             OR NOT EXISTS ( \
                   SELECT 1 FROM reports other JOIN import_runs o ON o.id = other.first_run \
                   WHERE other.source = r.source AND other.ident = r.ident \
                     AND other.id <= {report} \
                     AND (other.id < r.id OR substr(o.started, 1, 19) < {before}))) \
           AND NOT EXISTS (SELECT 1 FROM deletions d WHERE d.id = r.deleted_by \
               AND d.id <= {deletion} AND substr(d.recorded, 1, 19) < {before}) \
         ORDER BY r.id"
    )
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
    /// With `as_of`: the instant that day ended ([`known_before`]); revisions and
    /// deletions recorded later were not read.
    pub known_before: Option<&'a str>,
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
    pub known_before: Option<String>,
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

    /// The reports a check as of a day reads ([`Store::reports_at`] with
    /// `known_before`; every current report without it) and the watermark they
    /// were read at, in one read transaction.
    pub fn reports_known_before(
        &self,
        known_before: Option<&str>,
    ) -> Result<(Vec<Report>, Watermark), StoreError> {
        let Some(before) = known_before else {
            return self.reports_with_watermark(&crate::ReportFilter::default());
        };
        let read = self
            .conn
            .unchecked_transaction()
            .map_err(|e| self.sql("begin reading the reports", e))?;
        let watermark = self.watermark()?;
        let reports = self.reports_at(watermark, Some(before))?;
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
                 last_deletion, kept_apart, files, reports, result_sha256, result, exit_code, \
                 known_before) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
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
                    run.known_before,
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
                 CASE WHEN ?2 THEN c.result ELSE '' END, c.exit_code, c.agreement_id, c.known_before \
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
                    known_before: row.get(15)?,
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
        self.changes_between_known(from, None, to, None)
    }

    /// [`Store::changes_between`] for check runs as of a day: each state is the
    /// evidence as known before its instant ([`Store::reports_at`]).
    pub fn changes_between_known(
        &self,
        from: Watermark,
        from_known_before: Option<&str>,
        to: Watermark,
        to_known_before: Option<&str>,
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
        // revision marked deleted by a deletion recorded in between. A state as
        // known before an instant may hold an older revision of any identity with
        // several, or one deleted: all those are looked at then.
        let cut = from_known_before.is_some() || to_known_before.is_some();
        let mut statement = self
            .conn
            .prepare(
                "SELECT source, ident, MIN(id) FROM reports \
                 WHERE (id > ?1 AND id <= ?2) OR (deleted_by > ?3 AND deleted_by <= ?4) \
                    OR (?5 AND id <= ?2 AND (revision > 1 OR deleted_by IS NOT NULL)) \
                 GROUP BY source, ident ORDER BY MIN(id)",
            )
            .map_err(|e| self.sql(action, e))?;
        let touched = statement
            .query_map(
                params![
                    low.last_report,
                    high.last_report,
                    low.last_deletion,
                    high.last_deletion,
                    cut
                ],
                |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)),
            )
            .map_err(|e| self.sql(action, e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(action, e))?;
        let mut changes = Vec::new();
        for (source, ident) in touched {
            let before = self.state_at(&source, &ident, from, from_known_before)?;
            let after = self.state_at(&source, &ident, to, to_known_before)?;
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
    /// id and the report), as known before `known_before` when given; `None`
    /// when not stored yet or deleted by then.
    fn state_at(
        &self,
        source: &str,
        ident: &str,
        at: Watermark,
        known_before: Option<&str>,
    ) -> Result<Option<(i64, Report)>, StoreError> {
        let action = "read a report as it stood in a check run";
        let row = match known_before {
            None => self
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
                .map_err(|e| self.sql(action, e))?
                .filter(|row| row.4.is_none_or(|d| d > at.last_deletion)),
            Some(before) => {
                let known = known_reports_sql(&["?1", "?2", "?3"]);
                self.conn
                    .query_row(
                        &format!(
                            "SELECT id, file, line, report, NULL FROM ({known}) k \
                             WHERE k.source = ?4 AND k.ident = ?5"
                        ),
                        params![at.last_report, at.last_deletion, before, source, ident],
                        |row| {
                            Ok((
                                row.get::<_, i64>(0)?,
                                row.get::<_, String>(1)?,
                                row.get::<_, i64>(2)?,
                                row.get::<_, String>(3)?,
                                None::<i64>,
                            ))
                        },
                    )
                    .optional()
                    .map_err(|e| self.sql(action, e))?
            }
        };
        let Some((id, file, line, json, _)) = row else {
            return Ok(None);
        };
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
