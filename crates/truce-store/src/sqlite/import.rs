//! Import runs into the SQLite store: begun or resumed by [`Store::begin_import`],
//! fed in batches of consecutive rows (each one transaction), finished or
//! abandoned.

use super::Store;
use crate::body::Dictionary;
use crate::import::Span;
use crate::{
    BatchProblems, Counts, EncodedBatch, FileMeta, ImportWriter, ReportEncoder, RunInfo,
    StoreError, hex,
};
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;
use truce_ingest::RowProblem;
use truce_model::report::Report;

impl Store {
    /// Starts an import of `file` at time `at` (the store reads no clock), or
    /// resumes the open run of the same file (same sha256 and format) that a
    /// killed import left behind: see [`ImportRun::rows_done`].
    pub fn begin_import(&mut self, file: &FileMeta, at: &str) -> Result<ImportRun<'_>, StoreError> {
        let action = "start an import run";
        let open: Option<i64> = self.one_row(
            action,
            "SELECT id FROM import_runs WHERE file_sha256 = ?1 AND format = ?2 \
             AND finished IS NULL ORDER BY id DESC LIMIT 1",
            params![file.sha256, file.format],
            |row| row.get(0),
        )?;
        let (id, resumed) = match open {
            Some(id) => (id, true),
            None => {
                self.execute(
                    action,
                    "INSERT INTO import_runs (file, file_sha256, file_size, format, started) \
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![file.name, file.sha256, file.size as i64, file.format, at],
                )?;
                (self.conn.last_insert_rowid(), false)
            }
        };
        let info = self.run(id)?;
        let raw_columns = self.raw_columns(id).map_err(|e| self.sql(action, e))?;
        let dictionary = self
            .dictionary(id)
            .map_err(|e| self.sql(action, e))?
            .map(std::sync::Arc::new);
        // A store without any report: an identity this run has not stored yet is
        // new, with no need to look it up (see `Fresh`).
        let empty: bool = self
            .conn
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM reports)", [], |row| {
                row.get(0)
            })
            .map_err(|e| self.sql(action, e))?;
        // The WAL is checkpointed from a second connection on its own thread
        // while this one writes; the writer checkpoints itself again when the run ends.
        let checkpointer = Checkpointer::start(&self.path);
        if checkpointer.is_some() {
            self.conn
                .pragma_update(None, "wal_autocheckpoint", 0)
                .map_err(|e| self.sql(action, e))?;
        }
        Ok(ImportRun {
            checkpointer,
            raw_columns,
            dictionary,
            store: self,
            id,
            sha256: file.sha256.clone(),
            resumed,
            rows_done: info.rows_done,
            counts: info.counts,
            fresh: empty.then(|| Fresh {
                seen: std::collections::HashSet::new(),
                last_id: 0,
            }),
        })
    }
}

/// An import in progress. Add rows with [`ImportRun::add`], in the same order
/// on every attempt, then [`ImportRun::finish`].
pub struct ImportRun<'s> {
    store: &'s mut Store,
    id: i64,
    sha256: String,
    resumed: bool,
    rows_done: u64,
    counts: Counts,
    /// The columns of raw rows stored as values only (set by the first raw row).
    raw_columns: Option<Vec<String>>,
    /// The dictionary the run's bodies are compressed with (set by the first batch
    /// that trains one).
    dictionary: Option<Dictionary>,
    /// Set while every report of the store was stored by this run.
    fresh: Option<Fresh>,
    /// Checkpoints the WAL while the run writes (`None`: the writer does, as usual).
    checkpointer: Option<Checkpointer>,
}

impl Drop for ImportRun<'_> {
    fn drop(&mut self) {
        if let Some(checkpointer) = self.checkpointer.take() {
            drop(checkpointer);
            let _ = self.store.conn.pragma_update(
                None,
                "wal_autocheckpoint",
                self.store.autocheckpoint,
            );
        }
    }
}

/// A second connection that copies committed pages from the WAL into the store
/// file (a passive checkpoint) on its own thread, each time the import run
/// commits a batch: the writer does not wait for the copy and its `fsync`, and
/// neither blocks the other (WAL). Stopped and joined when dropped.
struct Checkpointer {
    wake: Option<std::sync::mpsc::SyncSender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Checkpointer {
    fn start(path: &Path) -> Option<Checkpointer> {
        let conn = Connection::open(path).ok()?;
        conn.busy_timeout(std::time::Duration::from_secs(30)).ok()?;
        conn.pragma_update(None, "synchronous", "NORMAL").ok()?;
        let (wake, woken) = std::sync::mpsc::sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name("truce-checkpoint".to_string())
            .spawn(move || {
                while woken.recv().is_ok() {
                    // A failed checkpoint leaves the pages in the WAL: the next one,
                    // or the writer's own when the run ends, copies them.
                    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            })
            .ok()?;
        Some(Checkpointer {
            wake: Some(wake),
            thread: Some(thread),
        })
    }

    /// Asks for a checkpoint (one already asked for and not begun is enough).
    fn poke(&self) {
        if let Some(wake) = &self.wake {
            let _ = wake.try_send(());
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.wake = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// What a run that began on a store without reports knows without asking it:
/// the identities it stored. An identity whose key is not in `seen` is new,
/// so it is inserted without the two look-ups a row otherwise costs (a key
/// that is there, even by a collision, is looked up as usual). Given up for
/// good as soon as the store holds a report this run did not write (another
/// process imported between two batches): `last_id` is the highest report row
/// this run knows of.
struct Fresh {
    seen: std::collections::HashSet<u64>,
    last_id: i64,
}

/// The key of an identity in [`Fresh::seen`].
fn identity_key(source: &str, ident: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    // SipHash with fixed keys: the same key in every process.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    source.hash(&mut hasher);
    ident.hash(&mut hasher);
    hasher.finish()
}

impl ImportRun<'_> {
    /// The run's number.
    pub fn id(&self) -> i64 {
        self.id
    }

    /// True when this continues a run a killed import left open.
    pub fn resumed(&self) -> bool {
        self.resumed
    }

    /// Rows already committed by this run: a resumed import skips this many
    /// rows of the same file, in the order they were given (each batch being
    /// consecutive rows of the file).
    pub fn rows_done(&self) -> u64 {
        self.rows_done
    }

    /// The run's counts so far (committed).
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// Adds one batch, in one transaction: the reports (stored, duplicates or
    /// revised) and the quarantined rows. Returns the batch's counts.
    pub fn add(
        &mut self,
        reports: &[Report],
        problems: &[RowProblem],
    ) -> Result<Counts, StoreError> {
        self.add_with_raw(reports, problems, &|_| None)
    }

    /// Like [`ImportRun::add`], with the text of each quarantined row when the
    /// caller can recover it.
    pub fn add_with_raw(
        &mut self,
        reports: &[Report],
        problems: &[RowProblem],
        raw_text: &dyn Fn(&RowProblem) -> Option<String>,
    ) -> Result<Counts, StoreError> {
        self.add_batch(reports, problems, &[], raw_text)
    }

    /// An encoder for this run's reports, to encode batches on another thread
    /// ([`ImportRun::add_encoded`]). Batches must be encoded in the order they are added.
    pub fn encoder(&self) -> ReportEncoder {
        ReportEncoder::new(self.raw_columns.clone(), self.dictionary.clone())
    }

    /// Adds one batch of consecutive rows of the file in one transaction: the
    /// reports, the quarantined rows (with their text when `raw_text` knows
    /// it) and the rows skipped as out of scope. Returns the batch's counts.
    pub fn add_batch(
        &mut self,
        reports: &[Report],
        problems: &[RowProblem],
        skipped: &[RowProblem],
        raw_text: &dyn Fn(&RowProblem) -> Option<String>,
    ) -> Result<Counts, StoreError> {
        let encoded = self
            .encoder()
            .encode(reports)
            .map_err(|source| StoreError::Sql {
                file: self.store.file.clone(),
                action: "write an import batch",
                source: rusqlite::Error::ToSqlConversionFailure(Box::new(source)),
            })?;
        let rows = BatchProblems {
            quarantined: problems,
            skipped,
            warned: &[],
        };
        self.add_encoded(&encoded, rows, raw_text)
    }

    /// [`ImportRun::add_batch`] with the reports already encoded by this run's
    /// [`ImportRun::encoder`].
    ///
    /// One transaction from start to commit (some 200 lines): the batch's reports,
    /// their revisions, its set-aside rows and warnings and the run's counters
    /// commit together, so an import killed mid-way resumes exactly at the last
    /// committed batch; its pieces share the transaction and its cached
    /// statements, which splitting would thread through every piece.
    pub fn add_encoded(
        &mut self,
        reports: &EncodedBatch,
        rows: BatchProblems<'_>,
        raw_text: &dyn Fn(&RowProblem) -> Option<String>,
    ) -> Result<Counts, StoreError> {
        let file = self.store.file.clone();
        let err = super::sql_error(&file, "write an import batch");
        let mut batch = Counts::default();
        let tx = self.store.immediate().map_err(err)?;
        {
            if let Some(columns) = &reports.raw_columns {
                match &self.raw_columns {
                    None => {
                        let json = serde_json::to_string(columns).map_err(|e| {
                            err(rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
                        })?;
                        tx.execute(
                            "UPDATE import_runs SET raw_columns = ?2 WHERE id = ?1",
                            params![self.id, json],
                        )
                        .map_err(err)?;
                    }
                    Some(known) if known == columns => {}
                    Some(_) => {
                        return Err(err(rusqlite::Error::ToSqlConversionFailure(
                            "the batch was encoded under other raw columns than the run's".into(),
                        )));
                    }
                }
            }
            if let Some(dictionary) = &reports.dictionary {
                match &self.dictionary {
                    None => {
                        tx.execute(
                            "UPDATE import_runs SET dictionary = ?2 WHERE id = ?1",
                            params![self.id, dictionary.as_slice()],
                        )
                        .map_err(err)?;
                    }
                    Some(known) if known == dictionary => {}
                    Some(_) => {
                        return Err(err(rusqlite::Error::ToSqlConversionFailure(
                            "the batch was compressed with another dictionary than the run's"
                                .into(),
                        )));
                    }
                }
            }
            if let Some(fresh) = &self.fresh {
                let last: i64 = tx
                    .query_row("SELECT COALESCE(MAX(id), 0) FROM reports", [], |row| {
                        row.get(0)
                    })
                    .map_err(err)?;
                if last != fresh.last_id {
                    self.fresh = None;
                }
            }
            // Both answered through the (source, ident, revision) index: an identity
            // has few revisions, so its hashes are read from its rows.
            let mut same_content = tx
                .prepare_cached(
                    "SELECT 1 FROM reports WHERE source = ?1 AND ident = ?2 AND content_hash = ?3",
                )
                .map_err(err)?;
            let mut latest = tx
                .prepare_cached(
                    "SELECT id, revision FROM reports WHERE source = ?1 AND ident = ?2 \
                     ORDER BY revision DESC LIMIT 1",
                )
                .map_err(err)?;
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO reports (source, source_id, ident, revision, source_revision, \
                     content_hash, file, line, body, first_run) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )
                .map_err(err)?;
            let mut supersede = tx
                .prepare_cached("UPDATE reports SET superseded_by = ?1 WHERE id = ?2")
                .map_err(err)?;
            let text = reports.text.as_str();
            let at = |span: &Span| text.get(span.clone()).unwrap_or_default();
            let mut by_hash = String::new();
            for row in &reports.rows {
                batch.read += 1;
                let source = at(&row.source);
                let source_id = at(&row.source_id);
                let ident: &str = if source_id.trim().is_empty() {
                    by_hash.clear();
                    by_hash.push_str("sha256:");
                    by_hash.push_str(&hex(&row.hash));
                    &by_hash
                } else {
                    source_id
                };
                let key = identity_key(source, ident);
                let new_identity = self.fresh.as_ref().is_some_and(|f| !f.seen.contains(&key));
                // (row id, revision) of the latest revision stored under this identity.
                let mut previous: Option<(i64, i64)> = None;
                if !new_identity {
                    if same_content
                        .exists(params![source, ident, &row.hash[..]])
                        .map_err(err)?
                    {
                        batch.duplicates += 1;
                        continue;
                    }
                    previous = latest
                        .query_row(params![source, ident], |r| Ok((r.get(0)?, r.get(1)?)))
                        .optional()
                        .map_err(err)?;
                }
                insert
                    .execute(params![
                        source,
                        source_id,
                        ident,
                        previous.map_or(1, |(_, r)| r + 1),
                        row.revision.as_ref().map(at),
                        &row.hash[..],
                        at(&row.file),
                        row.line as i64,
                        reports.bodies.get(row.body.clone()).unwrap_or_default(),
                        self.id,
                    ])
                    .map_err(err)?;
                let new = tx.last_insert_rowid();
                if let Some(fresh) = &mut self.fresh {
                    fresh.seen.insert(key);
                    fresh.last_id = new;
                }
                match previous {
                    Some((old, _)) => {
                        supersede.execute(params![new, old]).map_err(err)?;
                        batch.revised += 1;
                    }
                    None => batch.stored += 1,
                }
            }
            let mut quarantine = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO quarantine (run, file, file_sha256, line, field, value, reason, raw) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(err)?;
            // One count per (outcome, field, reason), for quarantined and skipped rows alike.
            let mut reason = tx
                .prepare_cached(
                    "INSERT INTO run_reasons (run, outcome, field, reason, count) \
                     VALUES (?1, ?2, ?3, ?4, 1) \
                     ON CONFLICT (run, outcome, field, reason) DO UPDATE SET count = count + 1",
                )
                .map_err(err)?;
            for problem in rows.quarantined {
                batch.read += 1;
                batch.quarantined += 1;
                let field = problem.field.as_deref().unwrap_or("");
                quarantine
                    .execute(params![
                        self.id,
                        problem.file,
                        self.sha256,
                        problem.line as i64,
                        field,
                        problem.value,
                        problem.reason,
                        raw_text(problem),
                    ])
                    .map_err(err)?;
                reason
                    .execute(params![self.id, "quarantined", field, problem.reason])
                    .map_err(err)?;
            }
            for problem in rows.skipped {
                batch.read += 1;
                batch.skipped += 1;
                let field = problem.field.as_deref().unwrap_or("");
                reason
                    .execute(params![self.id, "skipped", field, problem.reason])
                    .map_err(err)?;
            }
            // A warning is about a row counted above as a report: counted by reason only.
            for problem in rows.warned {
                let field = problem.field.as_deref().unwrap_or("");
                reason
                    .execute(params![self.id, "warned", field, problem.reason])
                    .map_err(err)?;
            }
            tx.execute(
                "UPDATE import_runs SET rows_done = rows_done + ?2, read = read + ?3, \
                 stored = stored + ?4, duplicates = duplicates + ?5, revised = revised + ?6, \
                 quarantined = quarantined + ?7, skipped = skipped + ?8 WHERE id = ?1",
                params![
                    self.id,
                    batch.read as i64,
                    batch.read as i64,
                    batch.stored as i64,
                    batch.duplicates as i64,
                    batch.revised as i64,
                    batch.quarantined as i64,
                    batch.skipped as i64,
                ],
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)?;
        if let Some(checkpointer) = &self.checkpointer {
            checkpointer.poke();
        }
        if self.raw_columns.is_none() {
            self.raw_columns.clone_from(&reports.raw_columns);
        }
        if self.dictionary.is_none() {
            self.dictionary.clone_from(&reports.dictionary);
        }
        self.rows_done += batch.read;
        self.counts.plus(batch);
        Ok(batch)
    }

    /// Counts one batch of rows the importer read and set aside as out of
    /// scope (`Imported::skipped`), with their reasons, in one transaction.
    /// They are not stored one by one: they are not evidence, nor to be fixed.
    pub fn add_skipped(&mut self, skipped: &[RowProblem]) -> Result<Counts, StoreError> {
        self.add_batch(&[], &[], skipped, &|_| None)
    }

    /// Fills in the text of quarantined rows of this run, by line, where it is
    /// still empty (the text is often found only after the file was read).
    pub fn set_quarantine_texts(
        &mut self,
        texts: &std::collections::BTreeMap<u64, String>,
    ) -> Result<(), StoreError> {
        let file = self.store.file.clone();
        let err = super::sql_error(&file, "record the text of quarantined rows");
        let tx = self.store.conn.transaction().map_err(err)?;
        {
            let mut update = tx
                .prepare_cached(
                    "UPDATE quarantine SET raw = ?3 WHERE run = ?1 AND line = ?2 AND raw IS NULL",
                )
                .map_err(err)?;
            for (line, text) in texts {
                update
                    .execute(params![self.id, *line as i64, text])
                    .map_err(err)?;
            }
        }
        tx.commit().map_err(err)
    }

    /// Records the format the file turned out to be (when it was detected while reading).
    pub fn set_format(&mut self, format: &str) -> Result<(), StoreError> {
        self.store.execute(
            "record the format",
            "UPDATE import_runs SET format = ?2 WHERE id = ?1",
            params![self.id, format],
        )?;
        Ok(())
    }

    /// Gives up a run that failed before it stored anything (an empty file, a
    /// file that is not text): the run is removed, so no open run is left
    /// waiting to be resumed. A run that stored rows stays open, to be resumed.
    /// Returns whether it was removed.
    pub fn abandon(self) -> Result<bool, StoreError> {
        let removed = self.store.execute(
            "give up the import run",
            "DELETE FROM import_runs WHERE id = ?1 AND finished IS NULL AND rows_done = 0 \
             AND NOT EXISTS (SELECT 1 FROM reports WHERE first_run = ?1) \
             AND NOT EXISTS (SELECT 1 FROM quarantine WHERE run = ?1) \
             AND NOT EXISTS (SELECT 1 FROM run_reasons WHERE run = ?1) \
             AND NOT EXISTS (SELECT 1 FROM deletions WHERE run = ?1)",
            params![self.id],
        )?;
        Ok(removed > 0)
    }

    /// Closes the run at time `at` and returns it as recorded.
    pub fn finish(self, at: &str) -> Result<RunInfo, StoreError> {
        self.store.execute(
            "finish the import run",
            "UPDATE import_runs SET finished = ?2 WHERE id = ?1",
            params![self.id, at],
        )?;
        self.store.run(self.id)
    }
}

impl ImportWriter for ImportRun<'_> {
    fn id(&self) -> i64 {
        ImportRun::id(self)
    }
    fn resumed(&self) -> bool {
        ImportRun::resumed(self)
    }
    fn rows_done(&self) -> u64 {
        ImportRun::rows_done(self)
    }
    fn encoder(&self) -> ReportEncoder {
        ImportRun::encoder(self)
    }
    fn add_encoded(
        &mut self,
        reports: &EncodedBatch,
        rows: BatchProblems<'_>,
        raw_text: &dyn Fn(&RowProblem) -> Option<String>,
    ) -> Result<Counts, StoreError> {
        ImportRun::add_encoded(self, reports, rows, raw_text)
    }
    fn set_quarantine_texts(
        &mut self,
        texts: &std::collections::BTreeMap<u64, String>,
    ) -> Result<(), StoreError> {
        ImportRun::set_quarantine_texts(self, texts)
    }
    fn set_format(&mut self, format: &str) -> Result<(), StoreError> {
        ImportRun::set_format(self, format)
    }
    fn abandon(self: Box<Self>) -> Result<bool, StoreError> {
        ImportRun::abandon(*self)
    }
    fn finish(self: Box<Self>, at: &str) -> Result<RunInfo, StoreError> {
        ImportRun::finish(*self, at)
    }
}
