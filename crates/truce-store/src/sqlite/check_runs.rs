//! Check runs in the SQLite store. The SQL and the comparison of two states
//! are shared with PostgreSQL (`crate::checks`); this file reads SQLite's rows.

use super::Store;
use super::evidence::{RunParts, stored_row};
use crate::checks::{
    StoreStates, WATERMARK_SQL, changes_between, check_runs_sql, decode_run_lists,
    deletion_note_sql, encode_run_lists, known_reports_sql, known_revision_sql,
    latest_revision_sql, record_check_run_sql, reports_at_sql, touched_sql,
};
use crate::{CheckRun, CheckRunStore, NewCheckRun, ReportChange, StoreError, Watermark};
use rusqlite::params;
use truce_model::report::Report;

impl Store {
    /// The store's high-water marks now.
    pub fn watermark(&self) -> Result<Watermark, StoreError> {
        self.conn
            .query_row(WATERMARK_SQL, [], |row| {
                Ok(Watermark {
                    last_report: row.get(0)?,
                    last_deletion: row.get(1)?,
                })
            })
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

    /// [`CheckRunStore::changes_between_known`] with both states whole.
    pub fn changes_between(
        &mut self,
        from: Watermark,
        to: Watermark,
    ) -> Result<Vec<ReportChange>, StoreError> {
        self.changes_between_known(from, None, to, None)
    }

    /// [`CheckRunStore::reports_at`], inside whatever read transaction is open.
    pub(super) fn read_reports_at(
        &self,
        at: Watermark,
        known_before: Option<&str>,
    ) -> Result<Vec<Report>, StoreError> {
        let action = "read the reports as they stood at a check run";
        let rows = match known_before {
            None => self.all_rows(
                action,
                &reports_at_sql(["?1", "?2"]),
                params![at.last_report, at.last_deletion],
                stored_row,
            )?,
            Some(before) => self.all_rows(
                action,
                &known_reports_sql(&["?1", "?2", "?3"]),
                params![at.last_report, at.last_deletion, before],
                stored_row,
            )?,
        };
        let mut runs = RunParts::default();
        rows.into_iter()
            .map(|row| self.stored_report(action, &mut runs, row, false))
            .collect()
    }
}

impl StoreStates for Store {
    fn touched(
        &mut self,
        low: Watermark,
        high: Watermark,
        cut: bool,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let marks = params![
            low.last_report,
            high.last_report,
            low.last_deletion,
            high.last_deletion,
            cut
        ];
        self.all_rows(
            "compare two states of the store",
            &touched_sql(["?1", "?2", "?3", "?4", "?5"]),
            marks,
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
    }

    fn state_at(
        &mut self,
        source: &str,
        ident: &str,
        at: Watermark,
        known_before: Option<&str>,
    ) -> Result<Option<(i64, Report)>, StoreError> {
        let action = "read a report as it stood in a check run";
        let row = match known_before {
            None => self
                .one_row(
                    action,
                    &latest_revision_sql(["?1", "?2", "?3"]),
                    params![source, ident, at.last_report],
                    |row| Ok((stored_row(row)?, row.get::<_, Option<i64>>(5)?)),
                )?
                .filter(|(_, deleted_by)| deleted_by.is_none_or(|d| d > at.last_deletion))
                .map(|(row, _)| row),
            Some(before) => self.one_row(
                action,
                &known_revision_sql(["?1", "?2", "?3", "?4", "?5"]),
                params![at.last_report, at.last_deletion, before, source, ident],
                stored_row,
            )?,
        };
        let mut runs = RunParts::default();
        row.map(|row| {
            let id = row.0;
            Ok((id, self.stored_report(action, &mut runs, row, false)?))
        })
        .transpose()
    }

    fn deletion_note(
        &mut self,
        source: &str,
        source_id: &str,
        at: Watermark,
    ) -> Result<Option<String>, StoreError> {
        self.one_row(
            "read a deletion",
            &deletion_note_sql(["?1", "?2", "?3"]),
            params![source, source_id, at.last_deletion],
            |row| row.get::<_, Option<String>>(0),
        )
        .map(Option::flatten)
    }
}

impl CheckRunStore for Store {
    fn reports_at(
        &mut self,
        at: Watermark,
        known_before: Option<&str>,
    ) -> Result<Vec<Report>, StoreError> {
        self.read_reports_at(at, known_before)
    }

    fn record_check_run(&mut self, run: &NewCheckRun<'_>) -> Result<i64, StoreError> {
        let (kept_apart, files) = encode_run_lists(run);
        let marks = [
            "?1", "?2", "?3", "?4", "?5", "?6", "?7", "?8", "?9", "?10", "?11", "?12", "?13",
        ];
        self.execute(
            "record the check run",
            &record_check_run_sql(marks),
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
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    fn read_check_runs(
        &mut self,
        id: Option<i64>,
        with_result: bool,
    ) -> Result<Vec<CheckRun>, StoreError> {
        self.all_rows(
            "read the check runs",
            &check_runs_sql(["?1", "?2"]),
            params![id, with_result],
            |row| {
                let (kept_apart, files) =
                    decode_run_lists(&row.get::<_, String>(8)?, &row.get::<_, String>(9)?);
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
                    kept_apart,
                    files,
                    reports: row.get::<_, i64>(10)? as u64,
                    result_sha256: row.get(11)?,
                    result: row.get(12)?,
                    exit_code: row.get(13)?,
                })
            },
        )
    }

    fn changes_between_known(
        &mut self,
        from: Watermark,
        from_known_before: Option<&str>,
        to: Watermark,
        to_known_before: Option<&str>,
    ) -> Result<Vec<ReportChange>, StoreError> {
        changes_between(self, (from, from_known_before), (to, to_known_before))
    }
}
