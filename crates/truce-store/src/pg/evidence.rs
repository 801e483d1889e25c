//! The evidence in the PostgreSQL store: import runs, reports, quarantined rows,
//! deletions and the analysts' decisions, with the same rules as the SQLite
//! store: a pair of reports is one decision whatever its order, recording it
//! again while in force returns the one in force, a withdrawn decision stays on
//! record; a deletion marks every stored revision of the report and keeps them.

use super::{LEDGER_LOCK, PgStore, pg_error, run_reasons, without_password};
use crate::{
    Counts, DecisionKind, Deletion, EvidenceStore, FileMeta, ImportWriter, KeptApartDecision,
    QuarantinedRow, RecordedDeletion, RunInfo, StoreError, Watermark,
};
use postgres::Row;
use truce_model::report::Report;

fn decision_from(row: &Row) -> KeptApartDecision {
    KeptApartDecision {
        id: row.get(0),
        first: (row.get(1), row.get(2)),
        second: (row.get(3), row.get(4)),
        decided_by: row.get(5),
        decided: row.get(6),
        reason: row.get(7),
    }
}

impl PgStore {
    pub(crate) fn decisions(
        &mut self,
        decision: &str,
    ) -> Result<Vec<KeptApartDecision>, StoreError> {
        self.all_rows(
            "read the analysts' decisions",
            "SELECT id, first_source, first_id, second_source, second_id, decided_by, decided, reason \
             FROM kept_apart WHERE withdrawn IS NULL AND decision = $1 ORDER BY id",
            &[&decision],
            decision_from,
        )
    }
}

impl EvidenceStore for PgStore {
    fn reports_known_before(
        &mut self,
        known_before: Option<&str>,
    ) -> Result<(Vec<Report>, Watermark), StoreError> {
        self.in_snapshot(|store, tx| {
            let watermark = store.watermark_in(tx)?;
            let rows = match known_before {
                None => tx.query(
                    "SELECT id, file, line, body, first_run FROM current_reports ORDER BY id",
                    &[],
                ),
                Some(before) => tx.query(
                    &crate::checks::known_reports_sql(&["$1", "$2", "$3"]),
                    &[&watermark.last_report, &watermark.last_deletion, &before],
                ),
            }
            .map_err(store.err("read the reports"))?;
            let dictionaries = super::check_runs::dictionaries_of(tx, &rows)
                .map_err(store.err("read the reports"))?;
            Ok((store.reports_of(&dictionaries, &rows)?, watermark))
        })
    }

    fn begin_import(
        &mut self,
        file: &FileMeta,
        at: &str,
    ) -> Result<Box<dyn ImportWriter + '_>, StoreError> {
        Ok(Box::new(self.begin_pg_import(file, at)?))
    }
    fn file_runs(&mut self) -> Result<Vec<RunInfo>, StoreError> {
        let action = "read the import runs";
        let n = |row: &Row, i: usize| row.get::<_, i64>(i) as u64;
        let mut runs = self.all_rows(
            action,
            "SELECT id, file, file_sha256, file_size, format, started, finished, rows_done, \
             read, stored, duplicates, revised, quarantined, skipped FROM import_runs \
             WHERE format <> $1 ORDER BY id",
            &[&crate::storage::MONITOR_RUN_FORMAT],
            |row| RunInfo {
                id: row.get(0),
                file: FileMeta {
                    name: row.get(1),
                    sha256: row.get(2),
                    size: n(row, 3),
                    format: row.get(4),
                },
                started: row.get(5),
                finished: row.get(6),
                rows_done: n(row, 7),
                counts: Counts {
                    read: n(row, 8),
                    stored: n(row, 9),
                    duplicates: n(row, 10),
                    revised: n(row, 11),
                    quarantined: n(row, 12),
                    skipped: n(row, 13),
                },
                reasons: Vec::new(),
            },
        )?;
        let database = without_password(&self.url);
        let client = self.client()?;
        for run in &mut runs {
            run.reasons = run_reasons(client, run.id).map_err(pg_error(&database, action))?;
        }
        Ok(runs)
    }
    fn quarantined(&mut self, run: i64) -> Result<Vec<QuarantinedRow>, StoreError> {
        self.all_rows(
            "read the quarantined rows",
            "SELECT id, run, file, line, field, value, reason, raw FROM quarantine \
             WHERE run = $1 ORDER BY file, line, id",
            &[&run],
            |row| {
                let field: String = row.get(4);
                QuarantinedRow {
                    id: row.get(0),
                    run: row.get(1),
                    file: row.get(2),
                    line: row.get::<_, i64>(3) as u64,
                    field: (!field.is_empty()).then_some(field),
                    value: row.get(5),
                    reason: row.get(6),
                    raw: row.get(7),
                }
            },
        )
    }
    fn kept_apart(&mut self) -> Result<Vec<KeptApartDecision>, StoreError> {
        self.decisions("apart")
    }
    fn kept_together(&mut self) -> Result<Vec<KeptApartDecision>, StoreError> {
        self.decisions("together")
    }
    fn has_report(&mut self, source: &str, source_id: &str) -> Result<bool, StoreError> {
        self.client()?
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM current_reports WHERE source = $1 AND source_id = $2)",
                &[&source, &source_id],
            )
            .map(|row| row.get(0))
            .map_err(self.err("look up a report"))
    }
    fn record_deletion(
        &mut self,
        source: &str,
        source_id: &str,
        run: Option<i64>,
        at: &str,
        note: Option<&str>,
    ) -> Result<Deletion, StoreError> {
        let database = without_password(self.url());
        let err = pg_error(&database, "record a deletion");
        // The lock every write of evidence takes: deletions become visible in
        // the order of their numbers, so a check run's watermark holds.
        let mut tx = self.locked_transaction(LEDGER_LOCK, err)?;
        let id: i64 = tx
            .query_one(
                "INSERT INTO deletions (source, source_id, run, recorded, note) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
                &[&source, &source_id, &run, &at, &note],
            )
            .map_err(err)?
            .get(0);
        let marked = tx
            .execute(
                "UPDATE reports SET deleted_by = $1 WHERE source = $2 AND source_id = $3 \
                 AND deleted_by IS NULL",
                &[&id, &source, &source_id],
            )
            .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(Deletion {
            id,
            revisions_marked: marked,
        })
    }
    fn deletions(&mut self) -> Result<Vec<RecordedDeletion>, StoreError> {
        self.all_rows(
            "read the deletions",
            "SELECT d.id, d.source, d.source_id, d.recorded, d.note, d.run, \
             (SELECT COUNT(*) FROM reports r WHERE r.deleted_by = d.id) \
             FROM deletions d ORDER BY d.id",
            &[],
            |row| RecordedDeletion {
                id: row.get(0),
                source: row.get(1),
                source_id: row.get(2),
                recorded: row.get(3),
                note: row.get(4),
                run: row.get(5),
                revisions_marked: row.get::<_, i64>(6) as u64,
            },
        )
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
        let database = without_password(self.url());
        let err = pg_error(&database, "record an analyst's decision");
        let mut tx = self.client()?.transaction().map_err(err)?;
        let existing = tx
            .query_opt(
                "SELECT id FROM kept_apart WHERE first_source = $1 AND first_id = $2 \
                 AND second_source = $3 AND second_id = $4 AND withdrawn IS NULL AND decision = $5",
                &[&first.0, &first.1, &second.0, &second.1, &decision],
            )
            .map_err(err)?;
        let id: i64 = match existing {
            Some(row) => row.get(0),
            None => tx
                .query_one(
                    "INSERT INTO kept_apart (first_source, first_id, second_source, second_id, \
                     decided_by, decided, reason, decision) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    &[
                        &first.0,
                        &first.1,
                        &second.0,
                        &second.1,
                        &decided_by,
                        &at,
                        &reason,
                        &decision,
                    ],
                )
                .map_err(err)?
                .get(0),
        };
        tx.commit().map_err(err)?;
        let in_force = self.decisions(decision)?;
        in_force
            .into_iter()
            .find(|k| k.id == id)
            .ok_or_else(|| StoreError::Record {
                file: without_password(self.url()),
                message: format!("decision {id} was recorded but cannot be read back"),
            })
    }
    fn withdraw_decision(&mut self, id: i64, by: &str, at: &str) -> Result<bool, StoreError> {
        let changed = self.execute(
            "withdraw an analyst's decision",
            "UPDATE kept_apart SET withdrawn = $2, withdrawn_by = $3 WHERE id = $1 \
             AND withdrawn IS NULL",
            &[&id, &at, &by],
        )?;
        Ok(changed > 0)
    }
}
