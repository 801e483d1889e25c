//! truce's embedded store: one SQLite file, no server, that loses nothing.
//!
//! It keeps every import run (which file, its sha256, how far it got, what
//! became of each row), every revision of every report, every quarantined
//! row, every recorded deletion and every version of an agreement. Only this
//! crate knows SQL; the rest of truce sees [`Report`]s and plain structs.
//!
//! ## Identity, duplicates and revisions
//! A report's identity is its source and the source's id (`ucdp-ged` + GED
//! `id`); for a report without an id it is its content hash. Its *content* is
//! the normalised report without the file, line and raw row it was read from
//! (see `docs/store.md`), hashed with sha256. For each row of an import:
//! - an identity never seen is **stored** (revision 1);
//! - content already stored under that identity (in any revision) is a **duplicate**;
//! - new content under a known identity is **revised**: a new revision, the
//!   previous current one kept and marked `superseded_by` it;
//! - a row the importer could not read is **quarantined**;
//! - a row the importer read and set aside as out of scope (a GDELT event that
//!   is not material conflict) is **skipped** ([`ImportRun::add_skipped`]).
//!
//! So for every run, `read = stored + duplicates + revised + quarantined + skipped`.
//!
//! ## Crash safety
//! Rows are added in batches ([`ImportRun::add`]), each one transaction that
//! also advances the run's counts and `rows_done` (WAL journal,
//! `synchronous = NORMAL`). A process killed mid-import leaves the store at the
//! end of its last committed batch; [`Store::begin_import`] on the same file
//! (same sha256 and format) resumes that run, and the caller skips the first
//! [`ImportRun::rows_done`] rows.

mod agreements;
mod checks;
mod import;
mod ledger;
mod people;
#[cfg(feature = "postgres")]
pub mod pg;
#[cfg(feature = "postgres")]
mod pg_decisions;
#[cfg(feature = "postgres")]
mod pg_import;
mod schema;
mod storage;
mod stored;

pub use checks::{CheckRun, NewCheckRun, RecordedDeletion, ReportChange, Watermark, known_before};
pub use import::{BatchProblems, EncodedBatch, ImportRun, ImportWriter, ReportEncoder};
pub use ledger::{LedgerEntry, Payload, StoredCheckpoint};
pub use people::{
    ApiToken, LedgerRecord, MONITOR_SOURCE, MonitorSubmission, Principal, Session,
    SubmissionFilter, Submitted, new_monitor_report_id,
};
pub use schema::SCHEMA_VERSION;
pub use storage::{CheckRunInputs, MONITOR_RUN_FORMAT, Storage};

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use std::path::Path;
use truce_model::report::Report;

/// What can go wrong with the store. Every message names the store's file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file could not be opened or set up as a store.
    #[error("cannot open the store `{file}`")]
    Open {
        file: String,
        #[source]
        source: rusqlite::Error,
    },
    /// The store was written by a newer truce.
    #[error(
        "the store `{file}` has schema version {found}, newer than this truce knows ({known}); use a newer truce"
    )]
    TooNew {
        file: String,
        found: u32,
        known: u32,
    },
    /// A migration step failed; the store stays at the version before it.
    #[error("cannot migrate the store `{file}` to schema version {version}")]
    Migrate {
        file: String,
        version: u32,
        #[source]
        source: rusqlite::Error,
    },
    /// A read or a write failed.
    #[error("cannot {action} in the store `{file}`")]
    Sql {
        file: String,
        action: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    /// A stored report's JSON cannot be read back.
    #[error("the store `{file}`: report row {row} cannot be read back")]
    Corrupt {
        file: String,
        row: i64,
        #[source]
        source: serde_json::Error,
    },
    /// A PostgreSQL store failed (the database is named without its password).
    #[cfg(feature = "postgres")]
    #[error("cannot {action} in the PostgreSQL store `{database}`")]
    Postgres {
        database: String,
        action: &'static str,
        #[source]
        source: postgres::Error,
    },
    /// The ledger record of a write could not be made; nothing was written.
    #[error("the store `{file}`: cannot record the write in the ledger: {message}")]
    Record { file: String, message: String },
    /// No import run with this number.
    #[error("the store `{file}` has no import run {run}")]
    NoRun { file: String, run: i64 },
}

/// The file an import reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileMeta {
    /// The file name as given.
    pub name: String,
    /// The sha256 of its bytes, lowercase hex ([`sha256_hex`]).
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
    /// The format it is read as (`ucdp-ged`, `acled`, `truce-jsonl`).
    pub format: String,
}

/// What became of the rows of a run (or of one batch).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Rows read: `stored + duplicates + revised + quarantined + skipped`.
    pub read: u64,
    /// New identities stored.
    pub stored: u64,
    /// Rows whose content was already stored under their identity.
    pub duplicates: u64,
    /// Rows that gave a known identity a new revision.
    pub revised: u64,
    /// Rows that could not be read.
    pub quarantined: u64,
    /// Rows read and set aside as out of scope.
    pub skipped: u64,
}

impl Counts {
    /// True when `read = stored + duplicates + revised + quarantined + skipped`.
    pub fn add_up(&self) -> bool {
        self.read == self.stored + self.duplicates + self.revised + self.quarantined + self.skipped
    }

    pub(crate) fn plus(&mut self, other: Counts) {
        self.read += other.read;
        self.stored += other.stored;
        self.duplicates += other.duplicates;
        self.revised += other.revised;
        self.quarantined += other.quarantined;
        self.skipped += other.skipped;
    }
}

/// What a run did with a row it has a reason about.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RowOutcome {
    /// Not read: set aside to be fixed and imported again.
    Quarantined,
    /// Read, and set aside as out of scope (a GDELT verbal event).
    Skipped,
    /// Read and kept as a report, with something the analyst should know
    /// (a GED death estimate whose low, best and high are out of order).
    Warned,
}

impl RowOutcome {
    /// The word the store keeps and the ledger and API show.
    pub fn as_str(self) -> &'static str {
        match self {
            RowOutcome::Quarantined => "quarantined",
            RowOutcome::Skipped => "skipped",
            RowOutcome::Warned => "warned",
        }
    }

    /// The outcome a stored word names (an unknown word reads as quarantined,
    /// the outcome that asks the most of the reader).
    pub fn from_stored(word: &str) -> RowOutcome {
        match word {
            "skipped" => RowOutcome::Skipped,
            "warned" => RowOutcome::Warned,
            _ => RowOutcome::Quarantined,
        }
    }
}

/// One reason of a run about its rows, and how many rows it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReasonCount {
    /// What became of the rows.
    pub outcome: RowOutcome,
    /// The field at fault, `None` when the row as a whole is.
    pub field: Option<String>,
    pub reason: String,
    pub count: u64,
}

/// An import run as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunInfo {
    pub id: i64,
    pub file: FileMeta,
    pub started: String,
    /// `None` while the run is open (in progress, or killed before it finished).
    pub finished: Option<String>,
    /// Rows committed so far, in the order the caller gave them.
    pub rows_done: u64,
    pub counts: Counts,
    /// Quarantined, then skipped, then warned rows per field and reason, most frequent first.
    pub reasons: Vec<ReasonCount>,
}

/// A quarantined row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuarantinedRow {
    pub id: i64,
    /// The run that first set it aside.
    pub run: i64,
    pub file: String,
    pub line: u64,
    pub field: Option<String>,
    pub value: Option<String>,
    pub reason: String,
    /// The row's text as it was in the file, when the caller could recover it.
    pub raw: Option<String>,
}

/// Which reports [`Store::reports`] returns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportFilter {
    /// Only this source (`ucdp-ged`, `acled`, …).
    pub source: Option<String>,
    /// Fill in each report's raw row (`Provenance::raw`).
    pub with_raw: bool,
}

/// A recorded deletion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deletion {
    pub id: i64,
    /// How many stored revisions it marked deleted.
    pub revisions_marked: u64,
}

/// Which way an analyst decided about two reports.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum DecisionKind {
    /// Two incidents, though they look like one.
    Apart,
    /// One incident, though they look like two.
    Together,
}

impl DecisionKind {
    /// The word the store keeps.
    pub fn as_stored(self) -> &'static str {
        match self {
            DecisionKind::Apart => "apart",
            DecisionKind::Together => "together",
        }
    }
}

/// An analyst's decision that two reports are of different incidents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptApartDecision {
    pub id: i64,
    /// (source, the source's id) of each report.
    pub first: (String, String),
    pub second: (String, String),
    pub decided_by: String,
    pub decided: String,
    pub reason: Option<String>,
}

/// A recorded agreement version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgreementVersion {
    pub id: i64,
    pub sha256: String,
    /// False when this exact text was already recorded under this name.
    pub new: bool,
}

/// What the store holds, in numbers.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Current revisions, not deleted: what a check reads.
    pub current_reports: u64,
    /// Every revision of every report.
    pub revisions: u64,
    pub runs: u64,
    pub quarantined: u64,
    pub deletions: u64,
    pub agreements: u64,
}

/// The sha256 of `bytes` as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

/// An open store.
pub struct Store {
    conn: Connection,
    file: String,
    path: std::path::PathBuf,
    /// Pages in the WAL before the writer copies them into the store file.
    autocheckpoint: i64,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("file", &self.file).finish()
    }
}

impl Store {
    /// Opens the store at `path`, creating it when it does not exist, and
    /// migrates it to [`SCHEMA_VERSION`].
    pub fn open(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        Store::open_at_version(path, SCHEMA_VERSION)
    }

    /// Opens and migrates up to `version` only. For making test stores of an
    /// older schema; use [`Store::open`].
    #[doc(hidden)]
    pub fn open_at_version(path: impl AsRef<Path>, version: u32) -> Result<Store, StoreError> {
        let path = path.as_ref();
        let file = path.display().to_string();
        let open_err = |source| StoreError::Open {
            file: file.clone(),
            source,
        };
        let mut conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(open_err)?;
        // WAL: readers never block the importer, and a killed writer leaves
        // only whole transactions behind. NORMAL: no fsync per commit (a power
        // cut may lose the last batches, never consistency).
        // A new store gets pages of 64 KiB (an existing one keeps its own): a
        // report is about a kilobyte of JSON and raw row, so large pages waste
        // less room, and an import writes fewer, aligned pages (see docs/store.md).
        conn.pragma_update(None, "page_size", PAGE_SIZE)
            .map_err(open_err)?;
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(()))
            .map_err(open_err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err)?;
        // A larger page cache and fewer, larger checkpoints: an import rewrites
        // the same index pages many times between two checkpoints.
        conn.pragma_update(None, "cache_size", -65536)
            .map_err(open_err)?;
        let page_size: i64 = conn
            .query_row("PRAGMA page_size", [], |row| row.get(0))
            .map_err(open_err)?;
        let autocheckpoint = WAL_AUTOCHECKPOINT_BYTES / page_size.max(512);
        conn.pragma_update(None, "wal_autocheckpoint", autocheckpoint)
            .map_err(open_err)?;
        // After a checkpoint the WAL file is cut back to this size: without it the
        // file keeps the largest size it ever reached (241 MB was seen under a
        // server's sustained writes), though its pages are reused.
        conn.pragma_update(None, "journal_size_limit", WAL_AUTOCHECKPOINT_BYTES)
            .map_err(open_err)?;
        let found = schema::version(&conn).map_err(open_err)?;
        let target = version.min(SCHEMA_VERSION);
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                file,
                found,
                known: SCHEMA_VERSION,
            });
        }
        if found < target {
            schema::migrate(&mut conn, found, target).map_err(|(version, source)| {
                StoreError::Migrate {
                    file: file.clone(),
                    version,
                    source,
                }
            })?;
        }
        Ok(Store {
            conn,
            file,
            path: path.to_path_buf(),
            autocheckpoint,
        })
    }

    /// The store's file, as given to [`Store::open`].
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The schema version the store is at.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        schema::version(&self.conn).map_err(|e| self.sql("read the schema version", e))
    }

    fn sql(&self, action: &'static str, source: rusqlite::Error) -> StoreError {
        StoreError::Sql {
            file: self.file.clone(),
            action,
            source,
        }
    }

    /// SQLite's `PRAGMA integrity_check`: `["ok"]` for a sound file.
    pub fn integrity_check(&self) -> Result<Vec<String>, StoreError> {
        let action = "check the integrity";
        let mut stmt = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(|e| self.sql(action, e))?;
        let rows = stmt
            .query_map([], |row| row.get::<_, String>(0))
            .map_err(|e| self.sql(action, e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(action, e))
    }

    /// The columns of the raw rows run `id` stored as values only.
    fn raw_columns(&self, id: i64) -> rusqlite::Result<Option<Vec<String>>> {
        let json: Option<String> = self.conn.query_row(
            "SELECT raw_columns FROM import_runs WHERE id = ?1",
            params![id],
            |row| row.get(0),
        )?;
        Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
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
        let mut runs = stmt
            .query_map(params![id], |row| {
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
            })
            .map_err(|e| self.sql(action, e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(action, e))?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT outcome, field, reason, count FROM run_reasons WHERE run = ?1 \
                 ORDER BY outcome, count DESC, field, reason",
            )
            .map_err(|e| self.sql(action, e))?;
        for run in &mut runs {
            run.reasons = stmt
                .query_map(params![run.id], |row| {
                    let field: String = row.get(1)?;
                    Ok(ReasonCount {
                        outcome: RowOutcome::from_stored(&row.get::<_, String>(0)?),
                        field: (!field.is_empty()).then_some(field),
                        reason: row.get(2)?,
                        count: row.get::<_, i64>(3)? as u64,
                    })
                })
                .map_err(|e| self.sql(action, e))?
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| self.sql(action, e))?;
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
                "SELECT id, file, line, report, CASE WHEN ?2 THEN raw END, first_run \
                 FROM current_reports WHERE ?1 IS NULL OR source = ?1 ORDER BY id",
            )
            .map_err(|e| self.sql(action, e))?;
        let mut rows = stmt
            .query(params![filter.source, filter.with_raw])
            .map_err(|e| self.sql(action, e))?;
        let mut reports = Vec::new();
        let mut columns = RawColumns::default();
        while let Some(row) = rows.next().map_err(|e| self.sql(action, e))? {
            type Row = (i64, String, i64, String, Option<String>, i64);
            let read = || -> rusqlite::Result<Row> {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                ))
            };
            let (id, file, line, json, raw, run) = read().map_err(|e| self.sql(action, e))?;
            let corrupt = |source| StoreError::Corrupt {
                file: self.file.clone(),
                row: id,
                source,
            };
            let raw = match raw {
                Some(raw) => columns.expand(self, run, &raw).map_err(|e| match e {
                    RawError::Sql(e) => self.sql(action, e),
                    RawError::Json(e) => corrupt(e),
                })?,
                None => Vec::new(),
            };
            reports.push(stored::read_json(&json, file, line as u64, raw).map_err(corrupt)?);
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
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, file, line, report, raw, superseded_by IS NULL AND deleted_by IS NULL, \
                 first_run FROM reports WHERE source = ?1 AND source_id = ?2 ORDER BY revision",
            )
            .map_err(|e| self.sql(action, e))?;
        let rows = stmt
            .query_map(params![source, source_id], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, Option<String>>(4)?,
                    row.get::<_, bool>(5)?,
                    row.get::<_, i64>(6)?,
                ))
            })
            .map_err(|e| self.sql(action, e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(action, e))?;
        let mut columns = RawColumns::default();
        rows.into_iter()
            .map(|(id, file, line, json, raw, current, run)| {
                let corrupt = |source| StoreError::Corrupt {
                    file: self.file.clone(),
                    row: id,
                    source,
                };
                let raw = match raw {
                    Some(raw) => columns.expand(self, run, &raw).map_err(|e| match e {
                        RawError::Sql(e) => self.sql(action, e),
                        RawError::Json(e) => corrupt(e),
                    })?,
                    None => Vec::new(),
                };
                Ok((
                    stored::read_json(&json, file, line as u64, raw).map_err(corrupt)?,
                    current,
                ))
            })
            .collect()
    }

    /// Quarantined rows, of one run (the run that first set them aside) or of all, in file order.
    pub fn quarantine(&self, run: Option<i64>) -> Result<Vec<QuarantinedRow>, StoreError> {
        let action = "read the quarantined rows";
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, run, file, line, field, value, reason, raw FROM quarantine \
                 WHERE ?1 IS NULL OR run = ?1 ORDER BY run, file, line, id",
            )
            .map_err(|e| self.sql(action, e))?;
        stmt.query_map(params![run], |row| {
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
        })
        .map_err(|e| self.sql(action, e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| self.sql(action, e))
    }

    /// Records that `source:source_id` was withdrawn by its source (at `at`,
    /// seen in `run` when an import found it), and marks its stored revisions
    /// deleted: [`Store::reports`] no longer returns it, the revisions stay.
    pub fn record_deletion(
        &mut self,
        source: &str,
        source_id: &str,
        run: Option<i64>,
        at: &str,
        note: Option<&str>,
    ) -> Result<Deletion, StoreError> {
        let action = "record a deletion";
        let file = self.file.clone();
        let err = |source| StoreError::Sql {
            file: file.clone(),
            action,
            source,
        };
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

    /// Records that the two reports (each `(source, source id)`) are of different
    /// incidents, whatever corroboration finds; checks against the store apply it.
    /// Recording the same pair again (either order) while in force returns the
    /// decision already in force.
    pub fn record_kept_apart(
        &mut self,
        first: (&str, &str),
        second: (&str, &str),
        decided_by: &str,
        at: &str,
        reason: Option<&str>,
    ) -> Result<KeptApartDecision, StoreError> {
        self.record_decision("apart", first, second, decided_by, at, reason)
    }

    /// Records that the two reports are of one incident, whatever corroboration
    /// finds (the opposite of [`Store::record_kept_apart`]); the same pair again
    /// while in force returns the decision already in force.
    pub fn record_kept_together(
        &mut self,
        first: (&str, &str),
        second: (&str, &str),
        decided_by: &str,
        at: &str,
        reason: Option<&str>,
    ) -> Result<KeptApartDecision, StoreError> {
        self.record_decision("together", first, second, decided_by, at, reason)
    }

    fn record_decision(
        &mut self,
        decision: &'static str,
        first: (&str, &str),
        second: (&str, &str),
        decided_by: &str,
        at: &str,
        reason: Option<&str>,
    ) -> Result<KeptApartDecision, StoreError> {
        // One order for the pair, so (a, b) and (b, a) are the same decision.
        let (first, second) = if first <= second {
            (first, second)
        } else {
            (second, first)
        };
        let action = "record a decision to keep reports apart";
        let file = self.file.clone();
        let err = |source| StoreError::Sql {
            file: file.clone(),
            action,
            source,
        };
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

    /// Whether the store holds a current report `source`/`source_id`.
    pub fn has_report(&self, source: &str, source_id: &str) -> Result<bool, StoreError> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM current_reports WHERE source = ?1 AND source_id = ?2)",
                params![source, source_id],
                |row| row.get(0),
            )
            .map_err(|e| self.sql("look up a report", e))
    }

    /// Withdraws decision `id` (it stays on record, marked withdrawn by whom and when).
    /// Returns false when no decision `id` is in force.
    pub fn withdraw_kept_apart(&mut self, id: i64, by: &str, at: &str) -> Result<bool, StoreError> {
        let changed = self
            .conn
            .execute(
                "UPDATE kept_apart SET withdrawn = ?2, withdrawn_by = ?3 WHERE id = ?1 AND withdrawn IS NULL",
                params![id, at, by],
            )
            .map_err(|e| self.sql("withdraw a decision to keep reports apart", e))?;
        Ok(changed > 0)
    }

    /// The decisions to keep reports apart that are in force, oldest first.
    pub fn kept_apart(&self) -> Result<Vec<KeptApartDecision>, StoreError> {
        self.decisions("apart")
    }

    /// The decisions to keep reports together (one incident) that are in force, oldest first.
    pub fn kept_together(&self) -> Result<Vec<KeptApartDecision>, StoreError> {
        self.decisions("together")
    }

    fn decisions(&self, decision: &str) -> Result<Vec<KeptApartDecision>, StoreError> {
        let err = |e| self.sql("read the analysts' decisions", e);
        let mut statement = self
            .conn
            .prepare(
                "SELECT id, first_source, first_id, second_source, second_id, decided_by, decided, reason \
                 FROM kept_apart WHERE withdrawn IS NULL AND decision = ?1 ORDER BY id",
            )
            .map_err(err)?;
        let rows = statement
            .query_map(params![decision], |row| {
                Ok(KeptApartDecision {
                    id: row.get(0)?,
                    first: (row.get(1)?, row.get(2)?),
                    second: (row.get(3)?, row.get(4)?),
                    decided_by: row.get(5)?,
                    decided: row.get(6)?,
                    reason: row.get(7)?,
                })
            })
            .map_err(err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(err)
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

/// The raw columns of each run, read once.
#[derive(Default)]
struct RawColumns(std::collections::HashMap<i64, Option<Vec<String>>>);

impl RawColumns {
    fn expand(
        &mut self,
        store: &Store,
        run: i64,
        raw: &str,
    ) -> Result<Vec<(String, String)>, RawError> {
        match serde_json::from_str(raw).map_err(RawError::Json)? {
            StoredRaw::Pairs(pairs) => Ok(pairs),
            StoredRaw::Values(values) => {
                let columns = match self.0.entry(run) {
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

/// Bytes in the WAL before the writer copies them into the store file
/// (`wal_autocheckpoint` counts pages: 16,384 pages of 4 KiB).
const WAL_AUTOCHECKPOINT_BYTES: i64 = 64 << 20;

/// The page size of a new store.
const PAGE_SIZE: i64 = 65536;

/// Opens the store `database` names: a PostgreSQL URL (`postgres://…`) or a SQLite file.
pub fn open_storage(database: &str) -> Result<Box<dyn Storage>, StoreError> {
    if is_postgres(database) {
        #[cfg(feature = "postgres")]
        return Ok(Box::new(crate::pg::PgStore::connect(database)?));
        #[cfg(not(feature = "postgres"))]
        return Err(StoreError::Record {
            file: database.to_string(),
            message: "this truce was built without PostgreSQL (the `postgres` feature)".into(),
        });
    }
    Ok(Box::new(Store::open(database)?))
}

/// True when `database` names a PostgreSQL database rather than a SQLite file.
pub fn is_postgres(database: &str) -> bool {
    database.starts_with("postgres://") || database.starts_with("postgresql://")
}
