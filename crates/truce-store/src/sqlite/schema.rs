//! The schema, as numbered migrations compiled into the binary.
//!
//! Migration `n` takes a store from schema version `n - 1` to `n`; the version
//! a store is at lives in SQLite's `PRAGMA user_version` (0 for a new file).
//! [`migrate`] applies the missing steps in order, each in its own transaction
//! together with the new version number, so a store is always at exactly one
//! version. A later issue adds a table by appending a step here: steps that
//! shipped are never edited.

use crate::migration::Migration;
use rusqlite::{Connection, OptionalExtension};

/// Migration 1: the first release's schema.
const V1: &str = r#"
CREATE TABLE import_runs (
    id           INTEGER PRIMARY KEY,
    file         TEXT    NOT NULL,             -- the file name as given
    file_sha256  TEXT    NOT NULL,             -- hex
    file_size    INTEGER NOT NULL,             -- bytes
    format       TEXT    NOT NULL,             -- ucdp-ged, acled, truce-jsonl
    raw_columns  TEXT,                         -- JSON [column, …] of the raw rows stored as values only
    started      TEXT    NOT NULL,             -- given by the caller (RFC 3339)
    finished     TEXT,                         -- NULL while the run is open
    rows_done    INTEGER NOT NULL DEFAULT 0,   -- rows committed so far, in the order given
    read         INTEGER NOT NULL DEFAULT 0,
    stored       INTEGER NOT NULL DEFAULT 0,
    duplicates   INTEGER NOT NULL DEFAULT 0,
    revised      INTEGER NOT NULL DEFAULT 0,
    quarantined  INTEGER NOT NULL DEFAULT 0,
    skipped      INTEGER NOT NULL DEFAULT 0    -- rows read and set aside as out of scope
);
CREATE INDEX import_runs_open ON import_runs (file_sha256) WHERE finished IS NULL;

CREATE TABLE run_reasons (
    run      INTEGER NOT NULL REFERENCES import_runs (id),
    outcome  TEXT    NOT NULL,                 -- 'quarantined' or 'skipped'
    field    TEXT    NOT NULL,                 -- '' when the row as a whole is at fault
    reason   TEXT    NOT NULL,
    count    INTEGER NOT NULL,
    PRIMARY KEY (run, outcome, field, reason)
) WITHOUT ROWID;

CREATE TABLE deletions (
    id         INTEGER PRIMARY KEY,
    source     TEXT    NOT NULL,
    source_id  TEXT    NOT NULL,
    run        INTEGER REFERENCES import_runs (id),
    recorded   TEXT    NOT NULL,
    note       TEXT
);

CREATE TABLE reports (
    id              INTEGER PRIMARY KEY,
    source          TEXT    NOT NULL,
    source_id       TEXT    NOT NULL,
    ident           TEXT    NOT NULL,          -- source_id, or 'sha256:<content hash>' when there is none
    revision        INTEGER NOT NULL,          -- 1, 2, … per (source, ident)
    source_revision TEXT,                      -- the source's own marker (GED relid, ACLED timestamp)
    content_hash    BLOB    NOT NULL,          -- sha256 of `report`
    file            TEXT    NOT NULL,          -- where this revision was read
    line            INTEGER NOT NULL,
    report          TEXT    NOT NULL,          -- the normalised report as JSON, without file, line and raw
    raw             TEXT,                      -- the raw row: JSON [value, …] under first_run's raw_columns, or [[column, value], …]
    first_run       INTEGER NOT NULL REFERENCES import_runs (id),
    superseded_by   INTEGER REFERENCES reports (id),
    deleted_by      INTEGER REFERENCES deletions (id),
    UNIQUE (source, ident, revision),
    UNIQUE (source, ident, content_hash)
);

CREATE TABLE quarantine (
    id           INTEGER PRIMARY KEY,
    run          INTEGER NOT NULL REFERENCES import_runs (id),
    file         TEXT    NOT NULL,
    file_sha256  TEXT    NOT NULL,
    line         INTEGER NOT NULL,
    field        TEXT    NOT NULL,             -- '' when the row as a whole is at fault
    value        TEXT,
    reason       TEXT    NOT NULL,
    raw          TEXT,                         -- the row's text, when it could be recovered
    UNIQUE (file_sha256, line, field, reason)
);

CREATE TABLE agreements (
    id        INTEGER PRIMARY KEY,
    name      TEXT    NOT NULL,
    sha256    TEXT    NOT NULL,
    text      TEXT    NOT NULL,                -- canonical: UTF-8, LF line ends
    recorded  TEXT    NOT NULL,
    UNIQUE (name, sha256)
);
"#;

/// Migration 2: the reports a check reads (current, not deleted) as a view,
/// and an index to list a run's quarantined rows without a scan.
const V2: &str = r#"
CREATE VIEW current_reports AS
    SELECT * FROM reports WHERE superseded_by IS NULL AND deleted_by IS NULL;
CREATE INDEX quarantine_run ON quarantine (run);
"#;

/// Migration 3: analysts' decisions that two reports are of different incidents,
/// with who decided, when and why. A decision is withdrawn, not deleted, so the
/// record of what was decided stays.
const V3: &str = r#"
CREATE TABLE kept_apart (
    id            INTEGER PRIMARY KEY,
    first_source  TEXT NOT NULL,
    first_id      TEXT NOT NULL,
    second_source TEXT NOT NULL,
    second_id     TEXT NOT NULL,
    decided_by    TEXT NOT NULL,
    decided       TEXT NOT NULL,               -- RFC 3339
    reason        TEXT,
    withdrawn     TEXT,                        -- RFC 3339, NULL while in force
    withdrawn_by  TEXT
);
CREATE INDEX kept_apart_in_force ON kept_apart (first_source, first_id, second_source, second_id)
    WHERE withdrawn IS NULL;
"#;

/// Migration 4: check runs. A run records what it read — the agreement version,
/// the store's evidence as of its high-water marks (reports and deletions are
/// only ever appended, so two marks fix the evidence exactly), the decisions in
/// force and the files read beside the store — and what it found, so two runs
/// can be compared (`truce diff`) long after the evidence has moved on.
const V4: &str = r#"
CREATE TABLE check_runs (
    id              INTEGER PRIMARY KEY,
    started         TEXT    NOT NULL,          -- RFC 3339, given by the caller
    agreement       INTEGER NOT NULL REFERENCES agreements (id),
    agreement_id    TEXT    NOT NULL,          -- the agreement's own `id`, whatever file it was read from
    as_of           TEXT,                      -- YYYY-MM-DD as given; NULL: the last day of the evidence
    last_report     INTEGER NOT NULL,          -- highest reports.id the run could read
    last_deletion   INTEGER NOT NULL,          -- highest deletions.id the run could read
    kept_apart      TEXT    NOT NULL,          -- JSON [decision id, …] in force
    files           TEXT    NOT NULL,          -- JSON [[file, sha256], …] read beside the store
    reports         INTEGER NOT NULL,          -- reports read in all
    result_sha256   TEXT    NOT NULL,          -- of `result`
    result          TEXT    NOT NULL,          -- the check output, truce-check/1 JSON
    exit_code       INTEGER NOT NULL
);
CREATE INDEX check_runs_agreement ON check_runs (agreement_id, id);
"#;

/// Migration 5: the ledger. Each entry is a canonical record (RFC 8785 JSON) and its
/// RFC 9162 leaf hash, at a fixed position; checkpoints are signed notes over a
/// tree size. Nothing here is ever updated or deleted.
const V5: &str = r#"
CREATE TABLE ledger (
    idx        INTEGER PRIMARY KEY,            -- position in the log, from 0
    kind       TEXT    NOT NULL,               -- agreement-version, import-run, check-run, …
    record     BLOB    NOT NULL,               -- canonical JSON
    leaf_hash  BLOB    NOT NULL,               -- SHA-256(0x00 || record)
    recorded   TEXT    NOT NULL                -- RFC 3339
);
CREATE TABLE checkpoints (
    id         INTEGER PRIMARY KEY,
    size       INTEGER NOT NULL,               -- tree size signed
    note       TEXT    NOT NULL,               -- the signed note
    recorded   TEXT    NOT NULL
);
"#;

/// Migration 6: entitlement payloads (the intelligence package), kept only as `age`
/// ciphertext encrypted to the receiving party: the store never holds them readable.
const V6: &str = r#"
CREATE TABLE payloads (
    id             INTEGER PRIMARY KEY,
    entitlement    TEXT    NOT NULL,
    name           TEXT    NOT NULL,           -- the file's name as given
    plain_sha256   TEXT    NOT NULL,           -- of the plaintext, recorded in the ledger
    cipher_sha256  TEXT    NOT NULL,
    ciphertext     BLOB    NOT NULL,           -- the age file
    recorded       TEXT    NOT NULL
);
CREATE INDEX payloads_entitlement ON payloads (entitlement);
"#;

/// Migration 7: analysts' decisions go both ways: `apart` (two reports are of different
/// incidents; every decision made before this migration) or `together` (of one).
const V7: &str = r#"
ALTER TABLE kept_apart ADD COLUMN decision TEXT NOT NULL DEFAULT 'apart';
"#;

/// Migration 8: the mission's server. The people and programs that use it
/// (`principals`, each with one role, a party's liaison bound to one party), their
/// API tokens (only an argon2 hash of the secret is kept) and the reports monitors
/// submit through it. A monitor's report is an ordinary report (source `monitor`)
/// read by one import run of its own; who filed it lives only here, never in the
/// report, so it cannot leak through anything that shows reports. The idempotency
/// key makes a resubmission (a lost answer, a retry) store nothing twice.
const V8: &str = r#"
CREATE TABLE principals (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL UNIQUE,
    role           TEXT    NOT NULL,           -- mission-admin, analyst, monitor, party-liaison, observer
    party          TEXT,                       -- the party a liaison is bound to
    password_hash  TEXT,                       -- argon2 (PHC string), for people who log in
    created        TEXT    NOT NULL,           -- RFC 3339
    disabled       TEXT                        -- RFC 3339, NULL while active
);
CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    principal  INTEGER NOT NULL REFERENCES principals (id),
    lookup     TEXT    NOT NULL UNIQUE,        -- the token's public part, to find its row
    hash       TEXT    NOT NULL,               -- argon2 (PHC string) of the secret part
    label      TEXT,
    created    TEXT    NOT NULL,
    revoked    TEXT
);
CREATE TABLE monitor_reports (
    id               INTEGER PRIMARY KEY,
    principal        INTEGER NOT NULL REFERENCES principals (id),
    idempotency_key  TEXT    NOT NULL,
    request_sha256   TEXT    NOT NULL,         -- of the submission: a key reused for another report is refused
    report           INTEGER NOT NULL REFERENCES reports (id),
    submitted        TEXT    NOT NULL,
    published        TEXT,                     -- RFC 3339, NULL while unpublished
    published_by     INTEGER REFERENCES principals (id),
    UNIQUE (principal, idempotency_key)
);
CREATE INDEX monitor_reports_report ON monitor_reports (report);
CREATE TABLE server_secrets (
    name   TEXT PRIMARY KEY,                   -- e.g. `pseudonyms`: the key monitors' ledger pseudonyms are made with
    value  BLOB NOT NULL
);
"#;

/// Migration 9: people's sessions on the server (a login sets a cookie). Only the
/// sha256 of the session's id is kept, so a copy of the store logs no one in.
const V9: &str = r#"
CREATE TABLE sessions (
    id_sha256  TEXT    PRIMARY KEY,            -- of the cookie's value
    principal  INTEGER NOT NULL REFERENCES principals (id),
    csrf       TEXT    NOT NULL,               -- the token unsafe requests must echo in `x-csrf-token`
    created    TEXT    NOT NULL,
    expires    TEXT    NOT NULL,               -- RFC 3339
    ended      TEXT                            -- logged out
);
"#;

/// Migration 10: the ledger's entries by type, for the chronology of the agreement's
/// life (versions, resolutions, releases) without reading every monitor's report.
const V10: &str = r#"
CREATE INDEX ledger_kind ON ledger (kind, idx);
"#;

/// Migration 11: a check run as of a day records the instant that day ended, so
/// the evidence it read (revisions and deletions recorded before it) can be
/// rebuilt. NULL: every revision up to the watermark.
const V11: &str = r#"
ALTER TABLE check_runs ADD COLUMN known_before TEXT;
"#;

/// Migration 12, in SQL around [`pack_bodies`]: a report's JSON and raw row are
/// kept as one compressed body ([`crate::body`]), each run's dictionary on the run.
const V12_BEFORE: &str = r#"
ALTER TABLE import_runs ADD COLUMN dictionary BLOB;   -- zstd dictionary of the run's report bodies
ALTER TABLE reports ADD COLUMN body BLOB;             -- the report's JSON and raw row, compressed
"#;
/// The table is rebuilt without the report and raw columns and without the unique
/// `(source, ident, content_hash)` index: that index held every row's hash, source
/// and identity a second time (60 of the ~350 bytes a row cost); a duplicate is
/// found among an identity's few revisions through `(source, ident, revision)`.
const V12_AFTER: &str = r#"
DROP VIEW current_reports;
CREATE TABLE reports_v12 (
    id              INTEGER PRIMARY KEY,
    source          TEXT    NOT NULL,
    source_id       TEXT    NOT NULL,
    ident           TEXT    NOT NULL,          -- source_id, or 'sha256:<content hash>' when there is none
    revision        INTEGER NOT NULL,          -- 1, 2, … per (source, ident)
    source_revision TEXT,                      -- the source's own marker (GED relid, ACLED timestamp)
    content_hash    BLOB    NOT NULL,          -- sha256 of the report's JSON
    file            TEXT    NOT NULL,          -- where this revision was read
    line            INTEGER NOT NULL,
    body            BLOB    NOT NULL,          -- the report's JSON and raw row, compressed (crate::body)
    first_run       INTEGER NOT NULL REFERENCES import_runs (id),
    superseded_by   INTEGER REFERENCES reports (id),
    deleted_by      INTEGER REFERENCES deletions (id),
    UNIQUE (source, ident, revision)
);
INSERT INTO reports_v12
    SELECT id, source, source_id, ident, revision, source_revision, content_hash, file, line,
           body, first_run, superseded_by, deleted_by
    FROM reports;
DROP TABLE reports;
ALTER TABLE reports_v12 RENAME TO reports;
CREATE VIEW current_reports AS
    SELECT * FROM reports WHERE superseded_by IS NULL AND deleted_by IS NULL;
"#;

/// The version whose migration compresses reports into bodies.
pub(crate) const BODIES_VERSION: u32 = 12;

/// A rewrite of stored rows within a migration.
type Rewrite = fn(&rusqlite::Transaction<'_>) -> rusqlite::Result<()>;

/// Every migration, in order: `MIGRATIONS[i]` takes version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[Migration<Rewrite>] = &[
    Migration::Sql(V1),
    Migration::Sql(V2),
    Migration::Sql(V3),
    Migration::Sql(V4),
    Migration::Sql(V5),
    Migration::Sql(V6),
    Migration::Sql(V7),
    Migration::Sql(V8),
    Migration::Sql(V9),
    Migration::Sql(V10),
    Migration::Sql(V11),
    Migration::Rewrite {
        before: V12_BEFORE,
        rewrite: pack_bodies,
        after: V12_AFTER,
    },
];

/// The schema version this code writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Reads `PRAGMA user_version`.
pub(crate) fn version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}

/// Applies migrations `from + 1 ..= to`, each in its own transaction.
/// Returns the version reached, or the failing version with its error.
pub(crate) fn migrate(
    conn: &mut Connection,
    from: u32,
    to: u32,
) -> Result<u32, (u32, rusqlite::Error)> {
    // Rebuilding a table that others refer to needs foreign keys off for the
    // step (SQLite's own procedure for altering a table); they are checked after.
    let rebuilds = (from + 1..=to).contains(&BODIES_VERSION);
    if rebuilds {
        conn.pragma_update(None, "foreign_keys", "OFF")
            .map_err(|e| (BODIES_VERSION, e))?;
    }
    for version in from + 1..=to {
        let step = MIGRATIONS[version as usize - 1];
        let apply = |conn: &mut Connection| -> rusqlite::Result<()> {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            // Another process may have migrated while we waited for the lock.
            if self::version(&tx)? >= version {
                return tx.commit();
            }
            step.apply(
                &mut &tx,
                |tx, sql| tx.execute_batch(sql),
                |rewrite, tx| rewrite(tx),
            )?;
            if rebuilds {
                let broken: Option<String> = tx
                    .query_row("PRAGMA foreign_key_check", [], |row| row.get(0))
                    .optional()?;
                if let Some(table) = broken {
                    return Err(rusqlite::Error::ToSqlConversionFailure(
                        format!("a row of `{table}` refers to a row that is missing").into(),
                    ));
                }
            }
            tx.pragma_update(None, "user_version", version)?;
            tx.commit()
        };
        apply(conn).map_err(|e| (version, e))?;
    }
    if rebuilds {
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(|e| (BODIES_VERSION, e))?;
    }
    Ok(to)
}

/// Migration 12's rewrite: every stored report into its body ([`crate::body`]).
fn pack_bodies(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    let runs: Vec<i64> = {
        let mut stmt = tx.prepare("SELECT DISTINCT first_run FROM reports ORDER BY 1")?;
        stmt.query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    crate::body::rewrite_runs(&mut SqliteRewrite(tx), &runs)
}

struct SqliteRewrite<'t, 'c>(&'t rusqlite::Transaction<'c>);

impl crate::body::Rewrite for SqliteRewrite<'_, '_> {
    type Error = rusqlite::Error;

    fn rows(
        &mut self,
        run: i64,
        after: i64,
        limit: i64,
    ) -> rusqlite::Result<Vec<(i64, String, Option<String>)>> {
        self.0
            .prepare_cached(
                "SELECT id, report, raw FROM reports WHERE first_run = ?1 AND id > ?2 \
                 ORDER BY id LIMIT ?3",
            )?
            .query_map(rusqlite::params![run, after, limit], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })?
            .collect()
    }

    fn set_dictionary(&mut self, run: i64, dictionary: &[u8]) -> rusqlite::Result<()> {
        self.0
            .prepare_cached("UPDATE import_runs SET dictionary = ?2 WHERE id = ?1")?
            .execute(rusqlite::params![run, dictionary])
            .map(drop)
    }

    fn set_body(&mut self, row: i64, body: &[u8]) -> rusqlite::Result<()> {
        self.0
            .prepare_cached("UPDATE reports SET body = ?2 WHERE id = ?1")?
            .execute(rusqlite::params![row, body])
            .map(drop)
    }

    fn failed(error: std::io::Error) -> rusqlite::Error {
        rusqlite::Error::ToSqlConversionFailure(Box::new(error))
    }
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
