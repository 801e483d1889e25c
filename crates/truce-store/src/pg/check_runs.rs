//! Check runs in the PostgreSQL store. The SQL and the comparison of two states
//! are shared with SQLite (`crate::checks`); this file reads PostgreSQL's rows.
//!
//! A watermark fixes what a run read only if report and deletion rows become
//! visible in the order of their numbers. Every write that adds them (an import,
//! a monitor's submission, a deletion) holds [`super::LEDGER_LOCK`] until it
//! commits, so no row with a lower number can appear after a higher one.

use super::PgStore;
use super::without_password;
use crate::checks::{
    StoreStates, WATERMARK_SQL, changes_between, check_runs_sql, decode_run_lists,
    deletion_note_sql, encode_run_lists, known_reports_sql, known_revision_sql,
    latest_revision_sql, record_check_run_sql, reports_at_sql, touched_sql,
};
use crate::{
    CheckRun, CheckRunStore, NewCheckRun, ReportChange, StoreError, Watermark, body, stored,
};
use postgres::{GenericClient, IsolationLevel, Row};
use truce_model::report::Report;

impl PgStore {
    /// The store's high-water marks as `client` sees them.
    pub(super) fn watermark_in(
        &self,
        client: &mut impl GenericClient,
    ) -> Result<Watermark, StoreError> {
        let row = client
            .query_one(WATERMARK_SQL, &[])
            .map_err(self.err("read the store's high-water marks"))?;
        Ok(Watermark {
            last_report: row.get(0),
            last_deletion: row.get(1),
        })
    }

    /// Reports from rows whose first five columns are (id, file, line, body,
    /// first run), with the dictionaries their runs compressed them with.
    pub(super) fn reports_of(
        &self,
        dictionaries: &Dictionaries,
        rows: &[Row],
    ) -> Result<Vec<Report>, StoreError> {
        let mut bodies = body::Unpacker::default();
        rows.iter()
            .map(|row| Ok(self.report_of(dictionaries, &mut bodies, row)?.1))
            .collect()
    }

    pub(super) fn report_of(
        &self,
        dictionaries: &Dictionaries,
        bodies: &mut body::Unpacker,
        row: &Row,
    ) -> Result<(i64, Report), StoreError> {
        let id: i64 = row.get(0);
        let line: i64 = row.get(2);
        let run: i64 = row.get(4);
        let (json, _raw) = bodies
            .unpack(row.get(3), run, |run| {
                Ok::<_, std::convert::Infallible>(dictionaries.get(&run).cloned())
            })
            .unwrap_or_else(|never| match never {})
            .map_err(|source| StoreError::CorruptBody {
                file: without_password(&self.url),
                row: id,
                source,
            })?;
        let report = stored::read_json(&json, row.get(1), line as u64, Vec::new())
            .map_err(|e| self.corrupt(id, e))?;
        Ok((id, report))
    }

    /// Runs `read` in one read-only snapshot, so what it reads stands at one instant.
    pub(super) fn in_snapshot<T>(
        &mut self,
        read: impl FnOnce(&PgStore, &mut postgres::Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut client = self.client.take().ok_or_else(|| self.closed())?;
        let result = (|| {
            let mut tx = client
                .build_transaction()
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()
                .map_err(self.err("begin a read"))?;
            let value = read(self, &mut tx)?;
            tx.commit().map_err(self.err("finish a read"))?;
            Ok(value)
        })();
        self.client = Some(client);
        result
    }
}

impl StoreStates for PgStore {
    fn touched(
        &mut self,
        low: Watermark,
        high: Watermark,
        cut: bool,
    ) -> Result<Vec<(String, String)>, StoreError> {
        self.all_rows(
            "compare two states of the store",
            &touched_sql(["$1", "$2", "$3", "$4", "$5::BOOLEAN"]),
            &[
                &low.last_report,
                &high.last_report,
                &low.last_deletion,
                &high.last_deletion,
                &cut,
            ],
            |row| (row.get(0), row.get(1)),
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
                .client()?
                .query_opt(
                    &latest_revision_sql(["$1", "$2", "$3"]),
                    &[&source, &ident, &at.last_report],
                )
                .map_err(self.err(action))?
                .filter(|row| {
                    row.get::<_, Option<i64>>(4)
                        .is_none_or(|d| d > at.last_deletion)
                }),
            Some(before) => self
                .client()?
                .query_opt(
                    &known_revision_sql(["$1", "$2", "$3", "$4", "$5"]),
                    &[&at.last_report, &at.last_deletion, &before, &source, &ident],
                )
                .map_err(self.err(action))?,
        };
        let Some(row) = row else { return Ok(None) };
        let dictionaries = dictionaries_of(self.client()?, std::slice::from_ref(&row))
            .map_err(self.err(action))?;
        self.report_of(&dictionaries, &mut body::Unpacker::default(), &row)
            .map(Some)
    }

    fn deletion_note(
        &mut self,
        source: &str,
        source_id: &str,
        at: Watermark,
    ) -> Result<Option<String>, StoreError> {
        let note = self.one_row(
            "read a deletion",
            &deletion_note_sql(["$1", "$2", "$3"]),
            &[&source, &source_id, &at.last_deletion],
            |row| row.get::<_, Option<String>>(0),
        )?;
        Ok(note.flatten())
    }
}

impl CheckRunStore for PgStore {
    fn reports_at(
        &mut self,
        at: Watermark,
        known_before: Option<&str>,
    ) -> Result<Vec<Report>, StoreError> {
        let rows = match known_before {
            None => self.client()?.query(
                &reports_at_sql(["$1", "$2"]),
                &[&at.last_report, &at.last_deletion],
            ),
            Some(before) => self.client()?.query(
                &known_reports_sql(&["$1", "$2", "$3"]),
                &[&at.last_report, &at.last_deletion, &before],
            ),
        }
        .map_err(self.err("read the reports as they stood at a check run"))?;
        let dictionaries = dictionaries_of(self.client()?, &rows)
            .map_err(self.err("read the reports as they stood at a check run"))?;
        self.reports_of(&dictionaries, &rows)
    }

    fn record_check_run(&mut self, run: &NewCheckRun<'_>) -> Result<i64, StoreError> {
        let (kept_apart, files) = encode_run_lists(run);
        let marks = [
            "$1", "$2", "$3", "$4", "$5", "$6", "$7", "$8", "$9", "$10", "$11", "$12", "$13",
        ];
        let row = self
            .client()?
            .query_one(
                &format!("{} RETURNING id", record_check_run_sql(marks)),
                &[
                    &run.started,
                    &run.agreement,
                    &run.agreement_id,
                    &run.as_of,
                    &run.watermark.last_report,
                    &run.watermark.last_deletion,
                    &kept_apart,
                    &files,
                    &(run.reports as i64),
                    &crate::sha256_hex(run.result.as_bytes()),
                    &run.result,
                    &run.exit_code,
                    &run.known_before,
                ],
            )
            .map_err(self.err("record the check run"))?;
        Ok(row.get(0))
    }

    fn read_check_runs(
        &mut self,
        id: Option<i64>,
        with_result: bool,
    ) -> Result<Vec<CheckRun>, StoreError> {
        self.all_rows(
            "read the check runs",
            &check_runs_sql(["$1::BIGINT", "$2::BOOLEAN"]),
            &[&id, &with_result],
            |row| {
                let (kept_apart, files) = decode_run_lists(row.get(8), row.get(9));
                CheckRun {
                    id: row.get(0),
                    started: row.get(1),
                    agreement_name: row.get(2),
                    agreement_sha256: row.get(3),
                    agreement_version: row.get(4),
                    agreement_id: row.get(14),
                    as_of: row.get(5),
                    watermark: Watermark {
                        last_report: row.get(6),
                        last_deletion: row.get(7),
                    },
                    known_before: row.get(15),
                    kept_apart,
                    files,
                    reports: row.get::<_, i64>(10) as u64,
                    result_sha256: row.get(11),
                    result: row.get(12),
                    exit_code: row.get(13),
                }
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

/// The dictionaries of import runs, by run.
pub(super) type Dictionaries = std::collections::HashMap<i64, Vec<u8>>;

/// The dictionaries of the runs whose bodies among `rows` (body and first run in
/// their fourth and fifth columns) were compressed with one: one query.
pub(super) fn dictionaries_of(
    client: &mut impl GenericClient,
    rows: &[Row],
) -> Result<Dictionaries, postgres::Error> {
    let mut runs: Vec<i64> = rows
        .iter()
        .filter(|row| body::needs_dictionary(row.get(3)))
        .map(|row| row.get(4))
        .collect();
    runs.sort_unstable();
    runs.dedup();
    if runs.is_empty() {
        return Ok(Dictionaries::new());
    }
    Ok(client
        .query(
            "SELECT id, dictionary FROM import_runs WHERE id = ANY($1) AND dictionary IS NOT NULL",
            &[&runs],
        )?
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect())
}
