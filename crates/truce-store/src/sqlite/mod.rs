//! The embedded store: one SQLite file, no server. Each part of [`crate::Storage`]
//! is implemented directly, in the file of its topic.

mod agreements;
mod check_runs;
mod evidence;
mod import;
mod ledger;
mod people;
pub(crate) mod schema;

pub use import::ImportRun;

use crate::{Storage, StoreError};
use rusqlite::{Connection, OptionalExtension};
use schema::SCHEMA_VERSION;
use std::path::Path;

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

/// The error of `action` failing in the store `file`, as a closure to pass to
/// `map_err` at every step of a transaction (while the connection is borrowed).
pub(super) fn sql_error<'f>(
    file: &'f str,
    action: &'static str,
) -> impl Fn(rusqlite::Error) -> StoreError + Copy + 'f {
    move |source| StoreError::Sql {
        file: file.to_string(),
        action,
        source,
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
            // Compressing the reports frees about two thirds of a store's pages: give
            // them back, once, so the file shrinks as the store did.
            if found > 0 && (found..target).contains(&(schema::BODIES_VERSION - 1)) {
                // In WAL mode the smaller file is written at the checkpoint.
                conn.execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")
                    .map_err(|source| StoreError::Migrate {
                        file: file.clone(),
                        version: schema::BODIES_VERSION,
                        source,
                    })?;
            }
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
    /// Runs the statement `sql` for `params`; returns how many rows it changed.
    /// A failure is the error of `action`.
    fn execute(
        &self,
        action: &'static str,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Result<usize, StoreError> {
        self.conn
            .execute(sql, params)
            .map_err(|e| self.sql(action, e))
    }
    /// A write transaction that takes the write lock as it begins (`BEGIN
    /// IMMEDIATE`), so what it reads before writing (the ledger's next index, a
    /// key already used) cannot change before it writes.
    fn immediate(&mut self) -> rusqlite::Result<rusqlite::Transaction<'_>> {
        self.conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
    }
    /// Every row `sql` gives for `params`, each made into a value by `map`; any
    /// failure (preparing, running or reading a row) is the error of `action`.
    fn all_rows<T>(
        &self,
        action: &'static str,
        sql: &str,
        params: impl rusqlite::Params,
        map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, StoreError> {
        let mut statement = self.conn.prepare(sql).map_err(|e| self.sql(action, e))?;
        self.rows_of(action, &mut statement, params, map)
    }
    /// [`Store::all_rows`] of a statement already prepared (a cached one, run
    /// for many values).
    fn rows_of<T>(
        &self,
        action: &'static str,
        statement: &mut rusqlite::Statement<'_>,
        params: impl rusqlite::Params,
        map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, StoreError> {
        statement
            .query_map(params, map)
            .map_err(|e| self.sql(action, e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(action, e))
    }
    /// The first row `sql` gives for `params`, made into a value by `map`;
    /// `None` when there is none. A failure is the error of `action`.
    fn one_row<T>(
        &self,
        action: &'static str,
        sql: &str,
        params: impl rusqlite::Params,
        map: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Option<T>, StoreError> {
        self.conn
            .query_row(sql, params, map)
            .optional()
            .map_err(|e| self.sql(action, e))
    }
    /// SQLite's `PRAGMA integrity_check`: `["ok"]` for a sound file.
    pub fn integrity_check(&self) -> Result<Vec<String>, StoreError> {
        self.all_rows("check the integrity", "PRAGMA integrity_check", [], |row| {
            row.get::<_, String>(0)
        })
    }
}

impl Storage for Store {
    fn describe(&self) -> String {
        self.file().to_string()
    }

    fn reopen(&self) -> Result<Box<dyn Storage>, StoreError> {
        Ok(Box::new(Store::open(&self.path)?))
    }
}

/// Bytes in the WAL before the writer copies them into the store file
/// (`wal_autocheckpoint` counts pages: 16,384 pages of 4 KiB).
const WAL_AUTOCHECKPOINT_BYTES: i64 = 64 << 20;

/// The page size of a new store.
const PAGE_SIZE: i64 = 65536;
