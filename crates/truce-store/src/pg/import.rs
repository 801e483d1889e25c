//! Import runs into the PostgreSQL store. A run is one transaction, holding
//! the lock every ledger write takes: a killed import leaves nothing of its
//! file, and a rerun imports it again (there is no half-done run to resume).

use crate::import::{BatchProblems, EncodedBatch, ImportWriter, ReportEncoder};
use crate::pg::{LEDGER_LOCK, PgStore, pg_error, run_reasons, without_password};
use crate::{Counts, FileMeta, RowOutcome, RunInfo, StoreError, hex};
use postgres::{Statement, Transaction};
use truce_ingest::RowProblem;

/// An import run in progress on PostgreSQL.
pub(crate) struct PgImport<'a> {
    tx: Transaction<'a>,
    database: String,
    id: i64,
    file: FileMeta,
    started: String,
    counts: Counts,
    same_content: Statement,
    latest: Statement,
    insert: Statement,
    supersede: Statement,
}

impl PgStore {
    /// Starts an import run of `file` at time `at`, in a transaction of its own.
    pub(crate) fn begin_pg_import(
        &mut self,
        file: &FileMeta,
        at: &str,
    ) -> Result<PgImport<'_>, StoreError> {
        let database = without_password(self.url());
        let err = pg_error(&database, "import");
        // One import at a time decides stored / duplicate / revised.
        let mut tx = self.locked_transaction(LEDGER_LOCK, err)?;
        let id: i64 = tx
            .query_one(
                "INSERT INTO import_runs (file, file_sha256, file_size, format, started) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
                &[
                    &file.name,
                    &file.sha256,
                    &(file.size as i64),
                    &file.format,
                    &at,
                ],
            )
            .map_err(err)?
            .get(0);
        let same_content = tx
            .prepare("SELECT 1 FROM reports WHERE source = $1 AND ident = $2 AND content_hash = $3")
            .map_err(err)?;
        let latest = tx
            .prepare(
                "SELECT id, revision FROM reports WHERE source = $1 AND ident = $2 \
                 ORDER BY revision DESC LIMIT 1",
            )
            .map_err(err)?;
        let insert = tx
            .prepare(
                "INSERT INTO reports (source, source_id, ident, revision, source_revision, \
                 content_hash, file, line, report, raw, first_run) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10) RETURNING id",
            )
            .map_err(err)?;
        let supersede = tx
            .prepare("UPDATE reports SET superseded_by = $1 WHERE id = $2")
            .map_err(err)?;
        Ok(PgImport {
            tx,
            database,
            id,
            file: file.clone(),
            started: at.to_string(),
            counts: Counts::default(),
            same_content,
            latest,
            insert,
            supersede,
        })
    }
}

impl PgImport<'_> {
    fn err(&self, action: &'static str) -> impl Fn(postgres::Error) -> StoreError + '_ {
        pg_error(&self.database, action)
    }

    /// Records one row set aside or warned about, by its outcome.
    fn reason(&mut self, outcome: RowOutcome, problem: &RowProblem) -> Result<(), StoreError> {
        let field = problem.field.clone().unwrap_or_default();
        self.tx
            .execute(
                "INSERT INTO run_reasons (run, outcome, field, reason, count) \
                 VALUES ($1, $2, $3, $4, 1) \
                 ON CONFLICT (run, outcome, field, reason) DO UPDATE SET count = run_reasons.count + 1",
                &[&self.id, &outcome.as_str(), &field, &problem.reason],
            )
            .map_err(self.err("import"))?;
        Ok(())
    }
}

impl ImportWriter for PgImport<'_> {
    fn id(&self) -> i64 {
        self.id
    }

    fn resumed(&self) -> bool {
        false
    }

    fn rows_done(&self) -> u64 {
        0
    }

    fn encoder(&self) -> ReportEncoder {
        ReportEncoder::new(None)
    }

    fn add_encoded(
        &mut self,
        reports: &EncodedBatch,
        rows: BatchProblems<'_>,
        raw_text: &dyn Fn(&RowProblem) -> Option<String>,
    ) -> Result<Counts, StoreError> {
        let mut batch = Counts::default();
        for row in reports.encoded_rows() {
            batch.read += 1;
            let ident = if row.source_id.trim().is_empty() {
                format!("sha256:{}", hex(row.hash))
            } else {
                row.source_id.to_string()
            };
            let hash = &row.hash[..];
            let known = self
                .tx
                .query(&self.same_content, &[&row.source, &ident, &hash])
                .map_err(self.err("import"))?;
            if !known.is_empty() {
                batch.duplicates += 1;
                continue;
            }
            let previous: Option<(i64, i64)> = self
                .tx
                .query_opt(&self.latest, &[&row.source, &ident])
                .map_err(self.err("import"))?
                .map(|r| (r.get(0), r.get(1)));
            let new: i64 = self
                .tx
                .query_one(
                    &self.insert,
                    &[
                        &row.source,
                        &row.source_id,
                        &ident,
                        &previous.map_or(1, |(_, r)| r + 1),
                        &row.revision,
                        &hash,
                        &row.file,
                        &(row.line as i64),
                        &row.json,
                        &self.id,
                    ],
                )
                .map_err(self.err("import"))?
                .get(0);
            match previous {
                Some((old, _)) => {
                    self.tx
                        .execute(&self.supersede, &[&new, &old])
                        .map_err(self.err("import"))?;
                    batch.revised += 1;
                }
                None => batch.stored += 1,
            }
        }
        for problem in rows.quarantined {
            batch.read += 1;
            batch.quarantined += 1;
            let field = problem.field.clone().unwrap_or_default();
            self.tx
                .execute(
                    "INSERT INTO quarantine (run, file, file_sha256, line, field, value, reason, raw) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
                    &[
                        &self.id,
                        &problem.file,
                        &self.file.sha256,
                        &(problem.line as i64),
                        &field,
                        &problem.value,
                        &problem.reason,
                        &raw_text(problem),
                    ],
                )
                .map_err(self.err("import"))?;
            self.reason(RowOutcome::Quarantined, problem)?;
        }
        for problem in rows.skipped {
            batch.read += 1;
            batch.skipped += 1;
            self.reason(RowOutcome::Skipped, problem)?;
        }
        for problem in rows.warned {
            self.reason(RowOutcome::Warned, problem)?;
        }
        self.counts.plus(batch);
        Ok(batch)
    }

    fn set_quarantine_texts(
        &mut self,
        texts: &std::collections::BTreeMap<u64, String>,
    ) -> Result<(), StoreError> {
        let update = self
            .tx
            .prepare("UPDATE quarantine SET raw = $3 WHERE run = $1 AND line = $2 AND raw IS NULL")
            .map_err(self.err("record the text of quarantined rows"))?;
        for (line, text) in texts {
            self.tx
                .execute(&update, &[&self.id, &(*line as i64), text])
                .map_err(self.err("record the text of quarantined rows"))?;
        }
        Ok(())
    }

    fn set_format(&mut self, format: &str) -> Result<(), StoreError> {
        self.tx
            .execute(
                "UPDATE import_runs SET format = $2 WHERE id = $1",
                &[&self.id, &format],
            )
            .map_err(self.err("record the format"))?;
        self.file.format = format.to_string();
        Ok(())
    }

    fn abandon(self: Box<Self>) -> Result<bool, StoreError> {
        let database = self.database.clone();
        self.tx
            .rollback()
            .map_err(pg_error(&database, "give up the import run"))?;
        Ok(true)
    }

    fn finish(mut self: Box<Self>, at: &str) -> Result<RunInfo, StoreError> {
        let counts = self.counts;
        let n = |v: u64| v as i64;
        self.tx
            .execute(
                "UPDATE import_runs SET finished = $2, rows_done = $3, read = $3, stored = $4, \
                 duplicates = $5, revised = $6, quarantined = $7, skipped = $8 WHERE id = $1",
                &[
                    &self.id,
                    &at,
                    &n(counts.read),
                    &n(counts.stored),
                    &n(counts.duplicates),
                    &n(counts.revised),
                    &n(counts.quarantined),
                    &n(counts.skipped),
                ],
            )
            .map_err(self.err("import"))?;
        let reasons = run_reasons(&mut self.tx, self.id).map_err(self.err("import"))?;
        let PgImport {
            tx,
            database,
            id,
            file,
            started,
            ..
        } = *self;
        tx.commit().map_err(pg_error(&database, "import"))?;
        Ok(RunInfo {
            id,
            file,
            started,
            finished: Some(at.to_string()),
            rows_done: counts.read,
            counts,
            reasons,
        })
    }
}
