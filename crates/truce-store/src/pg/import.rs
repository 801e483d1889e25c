//! Import runs into the PostgreSQL store. A run is one transaction, holding
//! the lock every ledger write takes: a killed import leaves nothing of its
//! file, and a rerun imports it again (there is no half-done run to resume).
//!
//! Each batch of reports costs three round trips, not three a report: one query
//! reads what the store holds of the batch's identities, the batch is decided in
//! memory in the file's order (duplicate, new, or next revision), and the new
//! rows go in with one binary `COPY`, their ids drawn from the sequence first so
//! that one `UPDATE` marks what each revises.

use crate::body::Dictionary;
use crate::import::{BatchProblems, EncodedBatch, EncodedRow, ImportWriter, ReportEncoder};
use crate::pg::{LEDGER_LOCK, PgStore, pg_error, run_reasons, without_password};
use crate::{Counts, FileMeta, RowOutcome, RunInfo, StoreError, hex};
use postgres::Transaction;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::Type;
use std::collections::{HashMap, HashSet};
use truce_ingest::RowProblem;

/// The identity a report is stored under: its source's id, or its content's hash
/// when the source gives none.
fn ident_of(row: &EncodedRow<'_>) -> String {
    if row.source_id.trim().is_empty() {
        format!("sha256:{}", hex(row.hash))
    } else {
        row.source_id.to_string()
    }
}

/// A revision of an identity: already stored (its row id), or planned in this
/// batch (its place among the planned rows).
#[derive(Clone, Copy)]
enum Held {
    Stored(i64),
    Planned(usize),
}

/// What is known of one identity while a batch is decided.
#[derive(Default)]
struct Known {
    /// The latest revision and its number.
    latest: Option<(Held, i64)>,
    /// The content hash of every revision.
    hashes: HashSet<[u8; 32]>,
}

/// A row of the batch to store: its place in the batch, its revision number and
/// the revision it supersedes.
struct Planned {
    index: usize,
    revision: i64,
    supersedes: Option<Held>,
}

/// An import run in progress on PostgreSQL.
pub(crate) struct PgImport<'a> {
    tx: Transaction<'a>,
    database: String,
    id: i64,
    file: FileMeta,
    started: String,
    counts: Counts,
    /// The columns of raw rows stored as values only (set by the first raw row).
    raw_columns: Option<Vec<String>>,
    /// The dictionary the run's bodies are compressed with (set by the first batch
    /// that trains one).
    dictionary: Option<Dictionary>,
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
        // The run is one transaction, so the table's statistics never see the rows it
        // adds: without this the planner reads a growing table whole for every
        // batch's look-up, where the (source, ident) index answers each key.
        tx.batch_execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off")
            .map_err(err)?;
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
        Ok(PgImport {
            tx,
            database,
            id,
            file: file.clone(),
            started: at.to_string(),
            counts: Counts::default(),
            raw_columns: None,
            dictionary: None,
        })
    }
}

impl PgImport<'_> {
    fn err(&self, action: &'static str) -> impl Fn(postgres::Error) -> StoreError + '_ {
        pg_error(&self.database, action)
    }

    /// What the store holds of the batch's identities: each one's latest revision
    /// (its row id and number) and the content hash of every revision. One query.
    fn known_revisions(
        &mut self,
        encoded: &[EncodedRow<'_>],
        idents: &[String],
    ) -> Result<HashMap<(String, String), Known>, StoreError> {
        let mut keys: Vec<(&str, &str)> = encoded
            .iter()
            .zip(idents)
            .map(|(row, ident)| (row.source, ident.as_str()))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let sources: Vec<&str> = keys.iter().map(|k| k.0).collect();
        let identities: Vec<&str> = keys.iter().map(|k| k.1).collect();
        let rows = self
            .tx
            .query(
                "SELECT r.source, r.ident, r.id, r.revision, r.content_hash FROM reports r \
                 JOIN unnest($1::TEXT[], $2::TEXT[]) AS k (source, ident) \
                 ON r.source = k.source AND r.ident = k.ident",
                &[&sources, &identities],
            )
            .map_err(self.err("import"))?;
        let mut known: HashMap<(String, String), Known> = HashMap::new();
        for row in rows {
            let entry = known.entry((row.get(0), row.get(1))).or_default();
            let (id, revision): (i64, i64) = (row.get(2), row.get(3));
            if entry.latest.is_none_or(|(_, r)| revision > r) {
                entry.latest = Some((Held::Stored(id), revision));
            }
            let hash: Vec<u8> = row.get(4);
            if let Ok(hash) = <[u8; 32]>::try_from(hash.as_slice()) {
                entry.hashes.insert(hash);
            }
        }
        Ok(known)
    }

    /// Stores the planned rows with one `COPY` (binary, typed: nothing to escape)
    /// and marks what each revises with one `UPDATE`. Their ids are taken from the
    /// table's sequence first, in order, so a revision within the batch can name
    /// the row it supersedes.
    fn copy_planned(
        &mut self,
        encoded: &[EncodedRow<'_>],
        idents: &[String],
        planned: &[Planned],
    ) -> Result<(), StoreError> {
        if planned.is_empty() {
            return Ok(());
        }
        // The writer borrows the transaction: what the errors and rows need is taken first.
        let database = self.database.clone();
        let err = pg_error(&database, "import");
        let run = self.id;
        let mut ids: Vec<i64> = self
            .tx
            .query(
                "SELECT nextval(pg_get_serial_sequence('reports', 'id')) \
                 FROM generate_series(1, $1::BIGINT)",
                &[&(planned.len() as i64)],
            )
            .map_err(err)?
            .iter()
            .map(|row| row.get(0))
            .collect();
        ids.sort_unstable();
        let sink = self
            .tx
            .copy_in(
                "COPY reports (id, source, source_id, ident, revision, source_revision, \
                 content_hash, file, line, body, first_run) FROM STDIN (FORMAT binary)",
            )
            .map_err(err)?;
        let types = [
            Type::INT8,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::INT8,
            Type::TEXT,
            Type::BYTEA,
            Type::TEXT,
            Type::INT8,
            Type::BYTEA,
            Type::INT8,
        ];
        let mut writer = BinaryCopyInWriter::new(sink, &types);
        let mut superseded: (Vec<i64>, Vec<i64>) = (Vec::new(), Vec::new());
        for (plan, id) in planned.iter().zip(&ids) {
            let row = &encoded[plan.index];
            let hash: &[u8] = row.hash;
            writer
                .write(&[
                    id,
                    &row.source,
                    &row.source_id,
                    &idents[plan.index],
                    &plan.revision,
                    &row.revision,
                    &hash,
                    &row.file,
                    &(row.line as i64),
                    &row.body,
                    &run,
                ])
                .map_err(err)?;
            if let Some(old) = plan.supersedes {
                superseded.0.push(*id);
                superseded.1.push(match old {
                    Held::Stored(old) => old,
                    Held::Planned(p) => ids[p],
                });
            }
        }
        writer.finish().map_err(err)?;
        if !superseded.0.is_empty() {
            self.tx
                .execute(
                    "UPDATE reports SET superseded_by = u.new \
                     FROM unnest($1::BIGINT[], $2::BIGINT[]) AS u (new, old) WHERE reports.id = u.old",
                    &[&superseded.0, &superseded.1],
                )
                .map_err(err)?;
        }
        Ok(())
    }

    /// Records on the run, at the first batch that brings them, the columns its raw
    /// rows are stored under and the dictionary its bodies are compressed with.
    fn record_run_parts(&mut self, batch: &EncodedBatch) -> Result<(), StoreError> {
        if self.raw_columns.is_none()
            && let Some(columns) = &batch.raw_columns
        {
            let json = serde_json::to_string(columns).map_err(|e| StoreError::Corrupt {
                file: self.database.clone(),
                row: 0,
                source: e,
            })?;
            self.tx
                .execute(
                    "UPDATE import_runs SET raw_columns = $2 WHERE id = $1",
                    &[&self.id, &json],
                )
                .map_err(self.err("import"))?;
            self.raw_columns = Some(columns.clone());
        }
        if self.dictionary.is_none()
            && let Some(dictionary) = &batch.dictionary
        {
            self.tx
                .execute(
                    "UPDATE import_runs SET dictionary = $2 WHERE id = $1",
                    &[&self.id, &dictionary.as_slice()],
                )
                .map_err(self.err("import"))?;
            self.dictionary = Some(dictionary.clone());
        }
        Ok(())
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
        ReportEncoder::new(self.raw_columns.clone(), self.dictionary.clone())
    }

    fn add_encoded(
        &mut self,
        reports: &EncodedBatch,
        rows: BatchProblems<'_>,
        raw_text: &dyn Fn(&RowProblem) -> Option<String>,
    ) -> Result<Counts, StoreError> {
        self.record_run_parts(reports)?;
        let mut batch = Counts::default();
        let encoded: Vec<EncodedRow<'_>> = reports.encoded_rows().collect();
        batch.read += encoded.len() as u64;
        let idents: Vec<String> = encoded.iter().map(ident_of).collect();
        let mut known = self.known_revisions(&encoded, &idents)?;
        // Decided in the file's order, as one row at a time would: a row the store
        // (or an earlier row of the batch) holds with the same content is a
        // duplicate; another content of a known identity is its next revision.
        let mut planned: Vec<Planned> = Vec::new();
        for (index, row) in encoded.iter().enumerate() {
            let entry = known
                .entry((row.source.to_string(), idents[index].clone()))
                .or_default();
            if entry.hashes.contains(row.hash) {
                batch.duplicates += 1;
                continue;
            }
            entry.hashes.insert(*row.hash);
            let revision = entry.latest.map_or(1, |(_, r)| r + 1);
            planned.push(Planned {
                index,
                revision,
                supersedes: entry.latest.map(|(held, _)| held),
            });
            entry.latest = Some((Held::Planned(planned.len() - 1), revision));
            match planned.last().and_then(|p| p.supersedes) {
                Some(_) => batch.revised += 1,
                None => batch.stored += 1,
            }
        }
        self.copy_planned(&encoded, &idents, &planned)?;
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
