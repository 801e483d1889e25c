//! The store on PostgreSQL, for a team's server (`truce serve --db postgres://…`).
//!
//! The same tables and rules as the SQLite file (identity, duplicates and
//! revisions, the ledger's gap-free order), with PostgreSQL's types. Several
//! servers may share one database: every write that appends to the ledger takes
//! one transaction-scoped advisory lock first, so two writers never take the
//! same position, and a monitor's submission and its ledger entry commit together.
//! Migrations are embedded, numbered on their own (PostgreSQL started at the
//! schema SQLite had reached at its version 8), and applied under a lock.

mod agreements;
mod check_runs;
mod evidence;
mod import;
mod ledger;
mod people;

use crate::ledger::to_hash;
use crate::migration::Migration;
use crate::storage::Storage;
use crate::{LedgerEntry, LedgerRecord, ReasonCount, RowOutcome, StoreError};
use postgres::types::ToSql;
use postgres::{Client, GenericClient, NoTls, Row, Transaction};

/// The advisory lock every ledger write takes (an arbitrary number of truce's own).
pub(crate) const LEDGER_LOCK: i64 = 0x7472_7563_6501;
/// The advisory lock migrations take.
const MIGRATION_LOCK: i64 = 0x7472_7563_6502;

/// PostgreSQL migration 1: the schema of SQLite's version 8, in PostgreSQL's types.
const PG_V1: &str = r#"
CREATE TABLE import_runs (
    id BIGSERIAL PRIMARY KEY, file TEXT NOT NULL, file_sha256 TEXT NOT NULL, file_size BIGINT NOT NULL,
    format TEXT NOT NULL, raw_columns TEXT, started TEXT NOT NULL, finished TEXT,
    rows_done BIGINT NOT NULL DEFAULT 0, read BIGINT NOT NULL DEFAULT 0, stored BIGINT NOT NULL DEFAULT 0,
    duplicates BIGINT NOT NULL DEFAULT 0, revised BIGINT NOT NULL DEFAULT 0,
    quarantined BIGINT NOT NULL DEFAULT 0, skipped BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE run_reasons (
    run BIGINT NOT NULL REFERENCES import_runs (id), outcome TEXT NOT NULL, field TEXT NOT NULL,
    reason TEXT NOT NULL, count BIGINT NOT NULL, PRIMARY KEY (run, outcome, field, reason)
);
CREATE TABLE deletions (
    id BIGSERIAL PRIMARY KEY, source TEXT NOT NULL, source_id TEXT NOT NULL,
    run BIGINT REFERENCES import_runs (id), recorded TEXT NOT NULL, note TEXT
);
CREATE TABLE reports (
    id BIGSERIAL PRIMARY KEY, source TEXT NOT NULL, source_id TEXT NOT NULL, ident TEXT NOT NULL,
    revision BIGINT NOT NULL, source_revision TEXT, content_hash BYTEA NOT NULL, file TEXT NOT NULL,
    line BIGINT NOT NULL, report TEXT NOT NULL, raw TEXT,
    first_run BIGINT NOT NULL REFERENCES import_runs (id),
    superseded_by BIGINT REFERENCES reports (id), deleted_by BIGINT REFERENCES deletions (id),
    UNIQUE (source, ident, revision), UNIQUE (source, ident, content_hash)
);
CREATE VIEW current_reports AS
    SELECT * FROM reports WHERE superseded_by IS NULL AND deleted_by IS NULL;
CREATE TABLE quarantine (
    id BIGSERIAL PRIMARY KEY, run BIGINT NOT NULL REFERENCES import_runs (id), file TEXT NOT NULL,
    file_sha256 TEXT NOT NULL, line BIGINT NOT NULL, field TEXT NOT NULL, value TEXT,
    reason TEXT NOT NULL, raw TEXT, UNIQUE (file_sha256, line, field, reason)
);
CREATE INDEX quarantine_run ON quarantine (run);
CREATE TABLE agreements (
    id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, text TEXT NOT NULL,
    recorded TEXT NOT NULL, UNIQUE (name, sha256)
);
CREATE TABLE kept_apart (
    id BIGSERIAL PRIMARY KEY, first_source TEXT NOT NULL, first_id TEXT NOT NULL,
    second_source TEXT NOT NULL, second_id TEXT NOT NULL, decided_by TEXT NOT NULL,
    decided TEXT NOT NULL, reason TEXT, withdrawn TEXT, withdrawn_by TEXT,
    decision TEXT NOT NULL DEFAULT 'apart'
);
CREATE TABLE ledger (
    idx BIGINT PRIMARY KEY, kind TEXT NOT NULL, record BYTEA NOT NULL, leaf_hash BYTEA NOT NULL,
    recorded TEXT NOT NULL
);
CREATE TABLE checkpoints (
    id BIGSERIAL PRIMARY KEY, size BIGINT NOT NULL, note TEXT NOT NULL, recorded TEXT NOT NULL
);
CREATE TABLE payloads (
    id BIGSERIAL PRIMARY KEY, entitlement TEXT NOT NULL, name TEXT NOT NULL,
    plain_sha256 TEXT NOT NULL, cipher_sha256 TEXT NOT NULL, ciphertext BYTEA NOT NULL,
    recorded TEXT NOT NULL
);
CREATE TABLE principals (
    id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL, party TEXT,
    password_hash TEXT, created TEXT NOT NULL, disabled TEXT
);
CREATE TABLE api_tokens (
    id BIGSERIAL PRIMARY KEY, principal BIGINT NOT NULL REFERENCES principals (id),
    lookup TEXT NOT NULL UNIQUE, hash TEXT NOT NULL, label TEXT, created TEXT NOT NULL, revoked TEXT
);
CREATE TABLE monitor_reports (
    id BIGSERIAL PRIMARY KEY, principal BIGINT NOT NULL REFERENCES principals (id),
    idempotency_key TEXT NOT NULL, request_sha256 TEXT NOT NULL,
    report BIGINT NOT NULL REFERENCES reports (id), submitted TEXT NOT NULL, published TEXT,
    published_by BIGINT REFERENCES principals (id), UNIQUE (principal, idempotency_key)
);
CREATE INDEX monitor_reports_report ON monitor_reports (report);
CREATE TABLE server_secrets (name TEXT PRIMARY KEY, value BYTEA NOT NULL);
"#;

/// PostgreSQL migration 2 (SQLite's 9): people's sessions.
const PG_V2: &str = r#"
CREATE TABLE sessions (
    id_sha256 TEXT PRIMARY KEY, principal BIGINT NOT NULL REFERENCES principals (id),
    csrf TEXT NOT NULL, created TEXT NOT NULL, expires TEXT NOT NULL, ended TEXT
);
"#;

/// PostgreSQL migration 3 (SQLite's 10): the ledger's entries by type.
const PG_V3: &str = r#"
CREATE INDEX ledger_kind ON ledger (kind, idx);
"#;

/// PostgreSQL migration 4 (SQLite's 4 and 11): check runs, so that `truce check
/// --record`, `runs` and `diff` work on a team's store as on a file.
const PG_V4: &str = r#"
CREATE TABLE check_runs (
    id BIGSERIAL PRIMARY KEY, started TEXT NOT NULL,
    agreement BIGINT NOT NULL REFERENCES agreements (id), agreement_id TEXT NOT NULL,
    as_of TEXT, last_report BIGINT NOT NULL, last_deletion BIGINT NOT NULL,
    kept_apart TEXT NOT NULL, files TEXT NOT NULL, reports BIGINT NOT NULL,
    result_sha256 TEXT NOT NULL, result TEXT NOT NULL, exit_code INTEGER NOT NULL,
    known_before TEXT
);
CREATE INDEX check_runs_agreement ON check_runs (agreement_id, id);
"#;

/// PostgreSQL migration 5, in SQL around [`pack_bodies`]: a report's JSON and raw
/// row are kept as one compressed body ([`crate::body`]), each run's dictionary on the
/// run; the unique `(source, ident, content_hash)` index goes, as on SQLite
/// (migration 12): it held every row's hash and identity a second time.
const PG_V5_BEFORE: &str = r#"
ALTER TABLE import_runs ADD COLUMN dictionary BYTEA;
ALTER TABLE reports ADD COLUMN body BYTEA;
"#;
const PG_V5_AFTER: &str = r#"
DROP VIEW current_reports;
ALTER TABLE reports DROP COLUMN report;
ALTER TABLE reports DROP COLUMN raw;
ALTER TABLE reports ALTER COLUMN body SET NOT NULL;
ALTER TABLE reports DROP CONSTRAINT IF EXISTS reports_source_ident_content_hash_key;
CREATE VIEW current_reports AS
    SELECT * FROM reports WHERE superseded_by IS NULL AND deleted_by IS NULL;
"#;

/// A rewrite of stored rows within a migration.
type Rewrite = fn(&mut Transaction<'_>) -> Result<(), RewriteError>;

/// Every PostgreSQL migration, in order.
const PG_MIGRATIONS: &[Migration<Rewrite>] = &[
    Migration::Sql(PG_V1),
    Migration::Sql(PG_V2),
    Migration::Sql(PG_V3),
    Migration::Sql(PG_V4),
    Migration::Rewrite {
        before: PG_V5_BEFORE,
        rewrite: pack_bodies,
        after: PG_V5_AFTER,
    },
];

/// Why migration 5's rewrite failed.
enum RewriteError {
    Pg(postgres::Error),
    Compress(std::io::Error),
}

impl From<postgres::Error> for RewriteError {
    fn from(error: postgres::Error) -> RewriteError {
        RewriteError::Pg(error)
    }
}

/// Migration 5's rewrite: every stored report into its body ([`crate::body`]).
fn pack_bodies(tx: &mut Transaction<'_>) -> Result<(), RewriteError> {
    let runs: Vec<i64> = tx
        .query("SELECT DISTINCT first_run FROM reports ORDER BY 1", &[])?
        .iter()
        .map(|row| row.get(0))
        .collect();
    crate::body::rewrite_runs(&mut PgRewrite(tx), &runs)
}

struct PgRewrite<'t, 'c>(&'t mut Transaction<'c>);

impl crate::body::Rewrite for PgRewrite<'_, '_> {
    type Error = RewriteError;

    fn rows(
        &mut self,
        run: i64,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String, Option<String>)>, RewriteError> {
        Ok(self
            .0
            .query(
                "SELECT id, report, raw FROM reports WHERE first_run = $1 AND id > $2 \
                 ORDER BY id LIMIT $3",
                &[&run, &after, &limit],
            )?
            .iter()
            .map(|row| (row.get(0), row.get(1), row.get(2)))
            .collect())
    }

    fn set_dictionary(&mut self, run: i64, dictionary: &[u8]) -> Result<(), RewriteError> {
        self.0.execute(
            "UPDATE import_runs SET dictionary = $2 WHERE id = $1",
            &[&run, &dictionary],
        )?;
        Ok(())
    }

    fn set_body(&mut self, row: i64, body: &[u8]) -> Result<(), RewriteError> {
        self.0
            .execute("UPDATE reports SET body = $2 WHERE id = $1", &[&row, &body])?;
        Ok(())
    }

    fn failed(error: std::io::Error) -> RewriteError {
        RewriteError::Compress(error)
    }
}

/// A store in a PostgreSQL database.
pub struct PgStore {
    /// Always `Some` but while being dropped.
    client: Option<Client>,
    url: String,
}

impl Drop for PgStore {
    /// The client says goodbye to the server on a runtime of its own, which
    /// cannot run on a thread driving another runtime (a server's request, a
    /// test's body): it is dropped on a thread of its own.
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            let _ = std::thread::Builder::new()
                .name("truce-pg-close".into())
                .spawn(move || drop(client));
        }
    }
}

/// The URL without its password, for messages.
pub(crate) fn without_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:…{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl PgStore {
    /// Connects and migrates the database to the newest schema.
    pub fn connect(url: &str) -> Result<PgStore, StoreError> {
        let shown = without_password(url);
        let client = Client::connect(url, NoTls).map_err(|source| StoreError::Postgres {
            database: shown.clone(),
            action: "connect",
            source,
        })?;
        let mut store = PgStore {
            client: Some(client),
            url: url.to_string(),
        };
        store.migrate()?;
        Ok(store)
    }

    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    pub(crate) fn client(&mut self) -> Result<&mut Client, StoreError> {
        let closed = self.closed();
        self.client.as_mut().ok_or(closed)
    }

    fn closed(&self) -> StoreError {
        StoreError::Record {
            file: without_password(&self.url),
            message: "the connection is closed".into(),
        }
    }

    fn err(&self, action: &'static str) -> impl Fn(postgres::Error) -> StoreError + '_ {
        move |source| StoreError::Postgres {
            database: without_password(&self.url),
            action,
            source,
        }
    }

    /// Runs the statement `sql` for `params`; returns how many rows it changed.
    /// A failure is the error of `action`.
    fn execute(
        &mut self,
        action: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64, StoreError> {
        self.client()?
            .execute(sql, params)
            .map_err(self.err(action))
    }

    /// Every row `sql` gives for `params`, each made into a value by `map`; a
    /// failure is the error of `action`.
    fn all_rows<T>(
        &mut self,
        action: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        map: impl FnMut(&Row) -> T,
    ) -> Result<Vec<T>, StoreError> {
        let rows = self
            .client()?
            .query(sql, params)
            .map_err(self.err(action))?;
        Ok(rows.iter().map(map).collect())
    }

    /// The row `sql` gives for `params` (more than one is an error), made into
    /// a value by `map`; `None` when there is none. A failure is the error of `action`.
    fn one_row<T>(
        &mut self,
        action: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        map: impl FnOnce(&Row) -> T,
    ) -> Result<Option<T>, StoreError> {
        let row = self
            .client()?
            .query_opt(sql, params)
            .map_err(self.err(action))?;
        Ok(row.as_ref().map(map))
    }

    /// Begins a transaction that holds the advisory lock `lock` until it ends
    /// ([`LEDGER_LOCK`] for every write of evidence or the ledger), each failure
    /// made an error by `err`.
    fn locked_transaction(
        &mut self,
        lock: i64,
        err: impl Fn(postgres::Error) -> StoreError,
    ) -> Result<Transaction<'_>, StoreError> {
        let mut tx = self.client()?.transaction().map_err(&err)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&lock])
            .map_err(err)?;
        Ok(tx)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let database = without_password(&self.url);
        let err = pg_error(&database, "migrate");
        let mut tx = self.locked_transaction(MIGRATION_LOCK, err)?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS truce_schema (version INTEGER NOT NULL)")
            .map_err(err)?;
        let found: Option<i32> = tx
            .query_opt("SELECT version FROM truce_schema", &[])
            .map_err(err)?
            .map(|row| row.get(0));
        let found = found.unwrap_or(0);
        let known = PG_MIGRATIONS.len() as i32;
        if found > known {
            return Err(StoreError::TooNew {
                file: database,
                found: found as u32,
                known: known as u32,
            });
        }
        for version in found + 1..=known {
            PG_MIGRATIONS[version as usize - 1]
                .apply(
                    &mut tx,
                    |tx, sql| tx.batch_execute(sql).map_err(RewriteError::Pg),
                    |rewrite, tx| rewrite(tx),
                )
                .map_err(|e| match e {
                    RewriteError::Pg(e) => err(e),
                    RewriteError::Compress(source) => StoreError::CorruptBody {
                        file: database.clone(),
                        row: 0,
                        source: crate::BodyError::Compress(source),
                    },
                })?;
        }
        if found == 0 {
            tx.execute("INSERT INTO truce_schema (version) VALUES ($1)", &[&known])
                .map_err(err)?;
        } else if found < known {
            tx.execute("UPDATE truce_schema SET version = $1", &[&known])
                .map_err(err)?;
        }
        tx.commit().map_err(err)
    }
}

/// The error of `action` failing in the PostgreSQL store `database` (named
/// without its password), as a closure to pass to `map_err` at every step of a
/// transaction (while the client is borrowed).
pub(super) fn pg_error<'d>(
    database: &'d str,
    action: &'static str,
) -> impl Fn(postgres::Error) -> StoreError + Copy + 'd {
    move |source| StoreError::Postgres {
        database: database.to_string(),
        action,
        source,
    }
}

/// Appends a ledger entry inside `tx`, which holds [`LEDGER_LOCK`].
pub(super) fn append_in(
    tx: &mut Transaction<'_>,
    entry: &LedgerRecord,
    at: &str,
) -> Result<u64, postgres::Error> {
    let index: i64 = tx
        .query_one("SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger", &[])?
        .get(0);
    tx.execute(
        "INSERT INTO ledger (idx, kind, record, leaf_hash, recorded) VALUES ($1, $2, $3, $4, $5)",
        &[
            &index,
            &entry.kind,
            &entry.record,
            &&entry.leaf_hash[..],
            &at,
        ],
    )?;
    Ok(index as u64)
}

impl PgStore {
    fn corrupt(&self, row: i64, source: serde_json::Error) -> StoreError {
        StoreError::Corrupt {
            file: without_password(&self.url),
            row,
            source,
        }
    }

    fn record_error(&self, message: String) -> StoreError {
        record_error_in(&without_password(&self.url), message)
    }
}

impl Storage for PgStore {
    fn describe(&self) -> String {
        without_password(&self.url)
    }

    fn reopen(&self) -> Result<Box<dyn Storage>, StoreError> {
        Ok(Box::new(PgStore::connect(&self.url)?))
    }
}

/// The ledger record of a write in the store `database` (named without its
/// password) could not be made: `message` says why.
pub(super) fn record_error_in(database: &str, message: String) -> StoreError {
    StoreError::Record {
        file: database.to_string(),
        message,
    }
}

impl PgStore {
    /// Ledger rows (`idx, kind, record, leaf_hash, recorded`) as entries.
    fn entries_from_rows(&self, rows: &[Row]) -> Result<Vec<LedgerEntry>, StoreError> {
        rows.iter()
            .map(|row| {
                let index: i64 = row.get(0);
                let leaf_hash = to_hash(row.get(3)).ok_or_else(|| {
                    self.record_error(format!(
                        "ledger entry {index} has a leaf hash of the wrong size"
                    ))
                })?;
                Ok(LedgerEntry {
                    index: index as u64,
                    kind: row.get(1),
                    record: row.get(2),
                    leaf_hash,
                    recorded: row.get(4),
                })
            })
            .collect()
    }
}

/// A run's reasons, in the order the SQLite store gives them.
pub(crate) fn run_reasons(
    client: &mut impl GenericClient,
    run: i64,
) -> Result<Vec<ReasonCount>, postgres::Error> {
    Ok(client
        .query(
            "SELECT outcome, field, reason, count FROM run_reasons WHERE run = $1 \
             ORDER BY outcome, count DESC, field, reason",
            &[&run],
        )?
        .iter()
        .map(|r| {
            let field: String = r.get(1);
            ReasonCount {
                outcome: RowOutcome::from_stored(r.get(0)),
                field: (!field.is_empty()).then_some(field),
                reason: r.get(2),
                count: r.get::<_, i64>(3) as u64,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            without_password("postgres://truce:s3cret@db.example:5432/mission"),
            "postgres://truce:…@db.example:5432/mission"
        );
        assert_eq!(
            without_password("postgres://truce@127.0.0.1:54329/truce_test"),
            "postgres://truce@127.0.0.1:54329/truce_test"
        );
    }
}

#[cfg(test)]
#[path = "migration_tests.rs"]
mod migration_tests;
