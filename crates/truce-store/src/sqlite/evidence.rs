//! The evidence in the SQLite store: import runs, reports and their revisions,
//! quarantined rows, deletions and the analysts' decisions.

use super::Store;
use crate::{
    Counts, DecisionKind, Deletion, EvidenceStore, FileMeta, ImportWriter, KeptApartDecision,
    MONITOR_RUN_FORMAT, QuarantinedRow, ReasonCount, RecordedDeletion, ReportFilter, RowOutcome,
    RunInfo, StoreError, Totals, Watermark, body, stored,
};
use rusqlite::{OptionalExtension, params};
use truce_model::report::Report;

impl Store {
    /// The columns of the raw rows run `id` stored as values only.
    pub(super) fn raw_columns(&self, id: i64) -> rusqlite::Result<Option<Vec<String>>> {
        let json: Option<String> = self.conn.query_row(
            "SELECT raw_columns FROM import_runs WHERE id = ?1",
            params![id],
            |row| row.get(0),
        )?;
        Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
    }
    /// The dictionary run `id` compressed its reports' bodies with, if any.
    pub(super) fn dictionary(&self, id: i64) -> rusqlite::Result<Option<Vec<u8>>> {
        self.conn
            .query_row(
                "SELECT dictionary FROM import_runs WHERE id = ?1",
                params![id],
                |row| row.get(0),
            )
            .optional()
            .map(Option::flatten)
    }
    /// One import run.
    pub fn run(&self, id: i64) -> Result<RunInfo, StoreError> {
        self.runs_where(Some(id))?
            .pop()
            .ok_or_else(|| StoreError::NoRun {
                file: self.file.clone(),
                run: id,
            })
    }
    /// Every import run, oldest first.
    pub fn runs(&self) -> Result<Vec<RunInfo>, StoreError> {
        self.runs_where(None)
    }
    fn runs_where(&self, id: Option<i64>) -> Result<Vec<RunInfo>, StoreError> {
        let action = "read the import runs";
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, file, file_sha256, file_size, format, started, finished, rows_done, \
                 read, stored, duplicates, revised, quarantined, skipped FROM import_runs \
                 WHERE ?1 IS NULL OR id = ?1 ORDER BY id",
            )
            .map_err(|e| self.sql(action, e))?;
        let mut runs = self.rows_of(action, &mut stmt, params![id], |row| {
            Ok(RunInfo {
                id: row.get(0)?,
                file: FileMeta {
                    name: row.get(1)?,
                    sha256: row.get(2)?,
                    size: row.get::<_, i64>(3)? as u64,
                    format: row.get(4)?,
                },
                started: row.get(5)?,
                finished: row.get(6)?,
                rows_done: row.get::<_, i64>(7)? as u64,
                counts: Counts {
                    read: row.get::<_, i64>(8)? as u64,
                    stored: row.get::<_, i64>(9)? as u64,
                    duplicates: row.get::<_, i64>(10)? as u64,
                    revised: row.get::<_, i64>(11)? as u64,
                    quarantined: row.get::<_, i64>(12)? as u64,
                    skipped: row.get::<_, i64>(13)? as u64,
                },
                reasons: Vec::new(),
            })
        })?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT outcome, field, reason, count FROM run_reasons WHERE run = ?1 \
                 ORDER BY outcome, count DESC, field, reason",
            )
            .map_err(|e| self.sql(action, e))?;
        for run in &mut runs {
            run.reasons = self.rows_of(action, &mut stmt, params![run.id], |row| {
                let field: String = row.get(1)?;
                Ok(ReasonCount {
                    outcome: RowOutcome::from_stored(&row.get::<_, String>(0)?),
                    field: (!field.is_empty()).then_some(field),
                    reason: row.get(2)?,
                    count: row.get::<_, i64>(3)? as u64,
                })
            })?;
        }
        Ok(runs)
    }
    /// The reports a check reads: the current revision of every identity, not
    /// deleted, in the order they were first stored.
    pub fn reports(&self, filter: &ReportFilter) -> Result<Vec<Report>, StoreError> {
        let action = "read the reports";
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, file, line, body, first_run \
                 FROM current_reports WHERE ?1 IS NULL OR source = ?1 ORDER BY id",
            )
            .map_err(|e| self.sql(action, e))?;
        let mut rows = stmt
            .query(params![filter.source])
            .map_err(|e| self.sql(action, e))?;
        let mut reports = Vec::new();
        let mut runs = RunParts::default();
        while let Some(row) = rows.next().map_err(|e| self.sql(action, e))? {
            let row = stored_row(row).map_err(|e| self.sql(action, e))?;
            reports.push(self.stored_report(action, &mut runs, row, filter.with_raw)?);
        }
        Ok(reports)
    }
    /// Every stored revision of one identity, oldest first, with whether each is current.
    pub fn revisions(
        &self,
        source: &str,
        source_id: &str,
    ) -> Result<Vec<(Report, bool)>, StoreError> {
        let action = "read the revisions of a report";
        let rows = self.all_rows(
            action,
            "SELECT id, file, line, body, superseded_by IS NULL AND deleted_by IS NULL, \
             first_run FROM reports WHERE source = ?1 AND source_id = ?2 ORDER BY revision",
            params![source, source_id],
            |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, Vec<u8>>(3)?,
                    row.get::<_, bool>(4)?,
                    row.get::<_, i64>(5)?,
                ))
            },
        )?;
        let mut runs = RunParts::default();
        rows.into_iter()
            .map(|(id, file, line, body, current, run)| {
                let row = (id, file, line, body, run);
                Ok((self.stored_report(action, &mut runs, row, true)?, current))
            })
            .collect()
    }
    /// A report read back from its row's body ([`crate::body`]), with its raw row
    /// expanded under its run's columns when `with_raw`; a failure to read the
    /// run's parts is the error of `action`.
    pub(super) fn stored_report(
        &self,
        action: &'static str,
        runs: &mut RunParts,
        (id, file, line, body, run): StoredRow,
        with_raw: bool,
    ) -> Result<Report, StoreError> {
        let corrupt = |source| StoreError::Corrupt {
            file: self.file.clone(),
            row: id,
            source,
        };
        let (json, raw) = runs
            .bodies
            .unpack(&body, run, |run| self.dictionary(run))
            .map_err(|e| self.sql(action, e))?
            .map_err(|source| StoreError::CorruptBody {
                file: self.file.clone(),
                row: id,
                source,
            })?;
        let raw = match raw.filter(|_| with_raw) {
            Some(raw) => runs.expand(self, run, &raw).map_err(|e| match e {
                RawError::Sql(e) => self.sql(action, e),
                RawError::Json(e) => corrupt(e),
            })?,
            None => Vec::new(),
        };
        stored::read_json(&json, file, line as u64, raw).map_err(corrupt)
    }
    /// Quarantined rows, of one run (the run that first set them aside) or of all, in file order.
    pub fn quarantine(&self, run: Option<i64>) -> Result<Vec<QuarantinedRow>, StoreError> {
        self.all_rows(
            "read the quarantined rows",
            "SELECT id, run, file, line, field, value, reason, raw FROM quarantine \
             WHERE ?1 IS NULL OR run = ?1 ORDER BY run, file, line, id",
            params![run],
            |row| {
                let field: String = row.get(4)?;
                Ok(QuarantinedRow {
                    id: row.get(0)?,
                    run: row.get(1)?,
                    file: row.get(2)?,
                    line: row.get::<_, i64>(3)? as u64,
                    field: (!field.is_empty()).then_some(field),
                    value: row.get(5)?,
                    reason: row.get(6)?,
                    raw: row.get(7)?,
                })
            },
        )
    }
    fn decisions(&self, decision: &str) -> Result<Vec<KeptApartDecision>, StoreError> {
        self.all_rows(
            "read the analysts' decisions",
            "SELECT id, first_source, first_id, second_source, second_id, decided_by, decided, reason \
             FROM kept_apart WHERE withdrawn IS NULL AND decision = ?1 ORDER BY id",
            params![decision],
            |row| {
                Ok(KeptApartDecision {
                    id: row.get(0)?,
                    first: (row.get(1)?, row.get(2)?),
                    second: (row.get(3)?, row.get(4)?),
                    decided_by: row.get(5)?,
                    decided: row.get(6)?,
                    reason: row.get(7)?,
                })
            },
        )
    }
    /// What the store holds, in numbers.
    pub fn totals(&self) -> Result<Totals, StoreError> {
        let action = "count what the store holds";
        let count = |sql: &str| -> Result<u64, StoreError> {
            self.conn
                .query_row(sql, [], |row| row.get::<_, i64>(0))
                .map(|n| n as u64)
                .map_err(|e| self.sql(action, e))
        };
        Ok(Totals {
            current_reports: count(
                "SELECT count(*) FROM reports WHERE superseded_by IS NULL AND deleted_by IS NULL",
            )?,
            revisions: count("SELECT count(*) FROM reports")?,
            runs: count("SELECT count(*) FROM import_runs")?,
            quarantined: count("SELECT count(*) FROM quarantine")?,
            deletions: count("SELECT count(*) FROM deletions")?,
            agreements: count("SELECT count(*) FROM agreements")?,
        })
    }
}

impl EvidenceStore for Store {
    fn begin_import(
        &mut self,
        file: &FileMeta,
        at: &str,
    ) -> Result<Box<dyn ImportWriter + '_>, StoreError> {
        // The SQLite run itself, with its resumable batches, is `Store::begin_import`.
        Ok(Box::new(Store::begin_import(self, file, at)?))
    }

    fn file_runs(&mut self) -> Result<Vec<RunInfo>, StoreError> {
        Ok(self
            .runs()?
            .into_iter()
            .filter(|r| r.file.format != MONITOR_RUN_FORMAT)
            .collect())
    }

    fn quarantined(&mut self, run: i64) -> Result<Vec<QuarantinedRow>, StoreError> {
        self.quarantine(Some(run))
    }

    /// Whether the store holds a current report `source`/`source_id`.
    fn has_report(&mut self, source: &str, source_id: &str) -> Result<bool, StoreError> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM current_reports WHERE source = ?1 AND source_id = ?2)",
                params![source, source_id],
                |row| row.get(0),
            )
            .map_err(|e| self.sql("look up a report", e))
    }
    /// Records that `source:source_id` was withdrawn by its source (at `at`,
    /// seen in `run` when an import found it), and marks its stored revisions
    /// deleted: [`Store::reports`] no longer returns it, the revisions stay.
    fn record_deletion(
        &mut self,
        source: &str,
        source_id: &str,
        run: Option<i64>,
        at: &str,
        note: Option<&str>,
    ) -> Result<Deletion, StoreError> {
        let action = "record a deletion";
        let file = self.file.clone();
        let err = super::sql_error(&file, action);
        let tx = self.conn.transaction().map_err(err)?;
        tx.execute(
            "INSERT INTO deletions (source, source_id, run, recorded, note) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![source, source_id, run, at, note],
        )
        .map_err(err)?;
        let id = tx.last_insert_rowid();
        let marked = tx
            .execute(
                "UPDATE reports SET deleted_by = ?1 WHERE source = ?2 AND source_id = ?3 AND deleted_by IS NULL",
                params![id, source, source_id],
            )
            .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(Deletion {
            id,
            revisions_marked: marked as u64,
        })
    }
    fn record_decision(
        &mut self,
        kind: DecisionKind,
        first: (&str, &str),
        second: (&str, &str),
        decided_by: &str,
        at: &str,
        reason: Option<&str>,
    ) -> Result<KeptApartDecision, StoreError> {
        let decision = kind.as_stored();
        let (first, second) = crate::decision_pair(first, second);
        let action = "record a decision to keep reports apart";
        let file = self.file.clone();
        let err = super::sql_error(&file, action);
        let tx = self.conn.transaction().map_err(err)?;
        let existing: Option<i64> = tx
            .query_row(
                "SELECT id FROM kept_apart WHERE first_source = ?1 AND first_id = ?2 \
                 AND second_source = ?3 AND second_id = ?4 AND withdrawn IS NULL AND decision = ?5",
                params![first.0, first.1, second.0, second.1, decision],
                |row| row.get(0),
            )
            .optional()
            .map_err(err)?;
        let id = match existing {
            Some(id) => id,
            None => {
                tx.execute(
                    "INSERT INTO kept_apart (first_source, first_id, second_source, second_id, decided_by, decided, reason, decision) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![first.0, first.1, second.0, second.1, decided_by, at, reason, decision],
                )
                .map_err(err)?;
                tx.last_insert_rowid()
            }
        };
        tx.commit().map_err(err)?;
        self.decisions(decision)?
            .into_iter()
            .find(|k| k.id == id)
            .ok_or_else(|| StoreError::Sql {
                file: self.file.clone(),
                action,
                source: rusqlite::Error::QueryReturnedNoRows,
            })
    }
    /// Withdraws decision `id` (it stays on record, marked withdrawn by whom and when).
    /// Returns false when no decision `id` is in force.
    fn withdraw_decision(&mut self, id: i64, by: &str, at: &str) -> Result<bool, StoreError> {
        let changed = self.execute("withdraw a decision to keep reports apart", "UPDATE kept_apart SET withdrawn = ?2, withdrawn_by = ?3 WHERE id = ?1 AND withdrawn IS NULL",
                params![id, at, by])?;
        Ok(changed > 0)
    }
    /// The decisions to keep reports apart that are in force, oldest first.
    fn kept_apart(&mut self) -> Result<Vec<KeptApartDecision>, StoreError> {
        self.decisions("apart")
    }
    /// The decisions to keep reports together (one incident) that are in force, oldest first.
    fn kept_together(&mut self) -> Result<Vec<KeptApartDecision>, StoreError> {
        self.decisions("together")
    }
    /// Every recorded deletion, oldest first: what a source withdrew, when, with its
    /// note, and how many stored revisions it marked deleted.
    fn deletions(&mut self) -> Result<Vec<RecordedDeletion>, StoreError> {
        self.all_rows(
            "read the deletions",
            "SELECT d.id, d.source, d.source_id, d.recorded, d.note, d.run, \
             (SELECT COUNT(*) FROM reports r WHERE r.deleted_by = d.id) \
             FROM deletions d ORDER BY d.id",
            [],
            |row| {
                Ok(RecordedDeletion {
                    id: row.get(0)?,
                    source: row.get(1)?,
                    source_id: row.get(2)?,
                    recorded: row.get(3)?,
                    note: row.get(4)?,
                    run: row.get(5)?,
                    revisions_marked: row.get::<_, i64>(6)? as u64,
                })
            },
        )
    }
    /// The reports a check as of a day reads ([`Store::reports_at`] with
    /// `known_before`; every current report without it) and the watermark they
    /// were read at, in one read transaction.
    fn reports_known_before(
        &mut self,
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
        let reports = self.read_reports_at(watermark, Some(before))?;
        read.finish()
            .map_err(|e| self.sql("finish reading the reports", e))?;
        Ok((reports, watermark))
    }
}

/// A report's row as [`Store::stored_report`] reads it: (row id, file, line,
/// body, the run that stored it).
pub(super) type StoredRow = (i64, String, i64, Vec<u8>, i64);

/// A report's row from a query whose first five columns are (id, file, line,
/// body, first_run).
pub(super) fn stored_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredRow> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
    ))
}

/// A stored raw row: values under the run's columns, or whole pairs.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum StoredRaw {
    Values(Vec<String>),
    Pairs(Vec<(String, String)>),
}

enum RawError {
    Sql(rusqlite::Error),
    Json(serde_json::Error),
}

/// What reading a run's reports needs of the run, read once a run: the columns
/// of its raw rows and its bodies' dictionary.
#[derive(Default)]
pub(super) struct RunParts {
    columns: std::collections::HashMap<i64, Option<Vec<String>>>,
    bodies: body::Unpacker,
}

impl RunParts {
    fn expand(
        &mut self,
        store: &Store,
        run: i64,
        raw: &str,
    ) -> Result<Vec<(String, String)>, RawError> {
        match serde_json::from_str(raw).map_err(RawError::Json)? {
            StoredRaw::Pairs(pairs) => Ok(pairs),
            StoredRaw::Values(values) => {
                let columns = match self.columns.entry(run) {
                    std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(store.raw_columns(run).map_err(RawError::Sql)?)
                    }
                };
                let columns = columns.as_ref();
                match columns {
                    Some(columns) if columns.len() == values.len() => {
                        Ok(columns.iter().cloned().zip(values).collect())
                    }
                    _ => Err(RawError::Json(serde::de::Error::custom(format!(
                        "the raw row has {} values but import run {run} has no columns for them",
                        values.len()
                    )))),
                }
            }
        }
    }
}
