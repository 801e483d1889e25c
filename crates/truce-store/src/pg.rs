//! The store on PostgreSQL, for a team's server (`truce serve --db postgres://…`).
//!
//! The same tables and rules as the SQLite file (identity, duplicates and
//! revisions, the ledger's gap-free order), with PostgreSQL's types. Several
//! servers may share one database: every write that appends to the ledger takes
//! one transaction-scoped advisory lock first, so two writers never take the
//! same position, and a monitor's submission and its ledger entry commit together.
//! Migrations are embedded, numbered on their own (PostgreSQL started at the
//! schema SQLite had reached at its version 8), and applied under a lock.

use crate::import::ImportWriter;
use crate::storage::Storage;
use crate::{
    AgreementVersion, ApiToken, Counts, DecisionKind, Deletion, FileMeta, KeptApartDecision,
    LedgerEntry, LedgerRecord, MONITOR_SOURCE, MonitorSubmission, Payload, Principal,
    QuarantinedRow, ReasonCount, RecordedDeletion, RowOutcome, RunInfo, Session, StoreError,
    StoredCheckpoint, SubmissionFilter, Submitted, new_monitor_report_id, sha256_hex, stored,
};
use postgres::{Client, GenericClient, NoTls, Row, Transaction};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use truce_model::report::Report;

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

/// Every PostgreSQL migration, in order.
const PG_MIGRATIONS: &[&str] = &[PG_V1, PG_V2, PG_V3];

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
        let database = without_password(&self.url);
        self.client.as_mut().ok_or(StoreError::Record {
            file: database,
            message: "the connection is closed".into(),
        })
    }

    fn err(&self, action: &'static str) -> impl Fn(postgres::Error) -> StoreError + '_ {
        move |source| StoreError::Postgres {
            database: without_password(&self.url),
            action,
            source,
        }
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let url = self.url.clone();
        let err = |source| StoreError::Postgres {
            database: without_password(&url),
            action: "migrate",
            source,
        };
        let mut tx = self.client()?.transaction().map_err(err)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .map_err(err)?;
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
                file: without_password(&url),
                found: found as u32,
                known: known as u32,
            });
        }
        for version in found + 1..=known {
            tx.batch_execute(PG_MIGRATIONS[version as usize - 1])
                .map_err(err)?;
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

fn principal_from(row: &Row) -> Principal {
    Principal {
        id: row.get(0),
        name: row.get(1),
        role: row.get(2),
        party: row.get(3),
        password_hash: row.get(4),
        created: row.get(5),
        disabled: row.get(6),
    }
}

fn token_from(row: &Row) -> ApiToken {
    ApiToken {
        id: row.get(0),
        principal: row.get(1),
        lookup: row.get(2),
        hash: row.get(3),
        label: row.get(4),
        created: row.get(5),
        revoked: row.get(6),
    }
}

fn submission_from(row: &Row) -> MonitorSubmission {
    MonitorSubmission {
        id: row.get(0),
        principal: row.get(1),
        source_id: row.get(2),
        report_row: row.get(3),
        submitted: row.get(4),
        published: row.get(5),
    }
}

const PRINCIPAL_COLUMNS: &str = "id, name, role, party, password_hash, created, disabled";
const TOKEN_COLUMNS: &str = "id, principal, lookup, hash, label, created, revoked";
const SUBMISSION_COLUMNS: &str =
    "m.id, m.principal, r.source_id, m.report, m.submitted, m.published";

/// Appends a ledger entry inside `tx`, which holds [`LEDGER_LOCK`].
fn append_in(
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

fn to_hash(bytes: Vec<u8>) -> Option<[u8; 32]> {
    bytes.try_into().ok()
}

fn json_of(report: &Report) -> Result<(String, [u8; 32]), serde_json::Error> {
    let mut json = Vec::with_capacity(1024);
    stored::write_json(report, &mut json)?;
    let hash: [u8; 32] = Sha256::digest(&json).into();
    Ok((String::from_utf8(json).unwrap_or_default(), hash))
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
        StoreError::Record {
            file: without_password(&self.url),
            message,
        }
    }

    pub(crate) fn decisions(
        &mut self,
        decision: &str,
    ) -> Result<Vec<KeptApartDecision>, StoreError> {
        let rows = self
            .client()?
            .query(
                "SELECT id, first_source, first_id, second_source, second_id, decided_by, decided, reason \
                 FROM kept_apart WHERE withdrawn IS NULL AND decision = $1 ORDER BY id",
                &[&decision],
            )
            .map_err(self.err("read the analysts' decisions"))?;
        Ok(rows.iter().map(decision_from).collect())
    }
}

impl Storage for PgStore {
    fn describe(&self) -> String {
        without_password(&self.url)
    }

    fn reopen(&self) -> Result<Box<dyn Storage>, StoreError> {
        Ok(Box::new(PgStore::connect(&self.url)?))
    }

    fn record_agreement(
        &mut self,
        name: &str,
        text: &str,
        at: &str,
    ) -> Result<AgreementVersion, StoreError> {
        let canonical = text.replace("\r\n", "\n");
        let sha256 = sha256_hex(canonical.as_bytes());
        let inserted = self
            .client()?
            .query_opt(
                "INSERT INTO agreements (name, sha256, text, recorded) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (name, sha256) DO NOTHING RETURNING id",
                &[&name, &sha256, &canonical, &at],
            )
            .map_err(self.err("record the agreement"))?;
        let (id, new) = match inserted {
            Some(row) => (row.get(0), true),
            None => (
                self.client()?
                    .query_one(
                        "SELECT id FROM agreements WHERE name = $1 AND sha256 = $2",
                        &[&name, &sha256],
                    )
                    .map_err(self.err("record the agreement"))?
                    .get(0),
                false,
            ),
        };
        Ok(AgreementVersion { id, sha256, new })
    }

    fn agreement_versions(
        &mut self,
        name: &str,
    ) -> Result<Vec<(String, String, String)>, StoreError> {
        let rows = self
            .client()?
            .query(
                "SELECT sha256, text, recorded FROM agreements WHERE name = $1 ORDER BY id",
                &[&name],
            )
            .map_err(self.err("read the agreements"))?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect())
    }

    fn agreement_text(&mut self, sha256: &str) -> Result<Option<String>, StoreError> {
        let rows = self
            .client()?
            .query(
                "SELECT text FROM agreements WHERE sha256 = $1 ORDER BY id LIMIT 1",
                &[&sha256],
            )
            .map_err(self.err("read an agreement version"))?;
        Ok(rows.first().map(|r| r.get(0)))
    }

    fn begin_import(
        &mut self,
        file: &FileMeta,
        at: &str,
    ) -> Result<Box<dyn ImportWriter + '_>, StoreError> {
        Ok(Box::new(self.begin_pg_import(file, at)?))
    }

    fn file_runs(&mut self) -> Result<Vec<RunInfo>, StoreError> {
        let rows = self
            .client()?
            .query(
                "SELECT id, file, file_sha256, file_size, format, started, finished, rows_done, \
                 read, stored, duplicates, revised, quarantined, skipped FROM import_runs \
                 WHERE format <> $1 ORDER BY id",
                &[&crate::storage::MONITOR_RUN_FORMAT],
            )
            .map_err(self.err("read the import runs"))?;
        let n = |row: &Row, i: usize| row.get::<_, i64>(i) as u64;
        let mut runs: Vec<RunInfo> = rows
            .iter()
            .map(|row| RunInfo {
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
            })
            .collect();
        let database = without_password(&self.url);
        let client = self.client()?;
        for run in &mut runs {
            run.reasons = run_reasons(client, run.id).map_err(|source| StoreError::Postgres {
                database: database.clone(),
                action: "read the import runs",
                source,
            })?;
        }
        Ok(runs)
    }

    fn quarantined(&mut self, run: i64) -> Result<Vec<QuarantinedRow>, StoreError> {
        Ok(self
            .client()?
            .query(
                "SELECT id, run, file, line, field, value, reason, raw FROM quarantine \
                 WHERE run = $1 ORDER BY file, line, id",
                &[&run],
            )
            .map_err(self.err("read the quarantined rows"))?
            .iter()
            .map(|row| {
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
            })
            .collect())
    }

    fn reports_known_before(
        &mut self,
        known_before: Option<&str>,
    ) -> Result<Vec<Report>, StoreError> {
        let client = self.client()?;
        let rows = match known_before {
            None => client.query(
                "SELECT id, file, line, report FROM current_reports ORDER BY id",
                &[],
            ),
            Some(before) => client.query(
                &crate::checks::known_reports_sql(&["$1", "$2", "$3"]),
                &[&i64::MAX, &i64::MAX, &before],
            ),
        }
        .map_err(self.err("read the reports"))?;
        let mut reports = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: i64 = row.get(0);
            let line: i64 = row.get(2);
            let json: &str = row.get(3);
            reports.push(
                stored::read_json(json, row.get(1), line as u64, Vec::new())
                    .map_err(|e| self.corrupt(id, e))?,
            );
        }
        Ok(reports)
    }

    fn has_report(&mut self, source: &str, source_id: &str) -> Result<bool, StoreError> {
        self.pg_has_report(source, source_id)
    }

    fn record_deletion(
        &mut self,
        source: &str,
        source_id: &str,
        run: Option<i64>,
        at: &str,
        note: Option<&str>,
    ) -> Result<Deletion, StoreError> {
        self.pg_record_deletion(source, source_id, run, at, note)
    }

    fn deletions(&mut self) -> Result<Vec<RecordedDeletion>, StoreError> {
        self.pg_deletions()
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
        self.pg_record_decision(kind.as_stored(), first, second, decided_by, at, reason)
    }

    fn withdraw_decision(&mut self, id: i64, by: &str, at: &str) -> Result<bool, StoreError> {
        self.pg_withdraw_decision(id, by, at)
    }

    fn kept_apart(&mut self) -> Result<Vec<KeptApartDecision>, StoreError> {
        self.decisions("apart")
    }

    fn kept_together(&mut self) -> Result<Vec<KeptApartDecision>, StoreError> {
        self.decisions("together")
    }

    fn add_principal(
        &mut self,
        name: &str,
        role: &str,
        party: Option<&str>,
        password_hash: Option<&str>,
        at: &str,
    ) -> Result<Option<i64>, StoreError> {
        Ok(self
            .client()?
            .query_opt(
                "INSERT INTO principals (name, role, party, password_hash, created) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING RETURNING id",
                &[&name, &role, &party, &password_hash, &at],
            )
            .map_err(self.err("add a user"))?
            .map(|row| row.get(0)))
    }

    fn principal(&mut self, id: i64) -> Result<Option<Principal>, StoreError> {
        Ok(self
            .client()?
            .query_opt(
                &format!("SELECT {PRINCIPAL_COLUMNS} FROM principals WHERE id = $1"),
                &[&id],
            )
            .map_err(self.err("read a user"))?
            .as_ref()
            .map(principal_from))
    }

    fn principal_by_name(&mut self, name: &str) -> Result<Option<Principal>, StoreError> {
        Ok(self
            .client()?
            .query_opt(
                &format!("SELECT {PRINCIPAL_COLUMNS} FROM principals WHERE name = $1"),
                &[&name],
            )
            .map_err(self.err("read a user"))?
            .as_ref()
            .map(principal_from))
    }

    fn principals(&mut self) -> Result<Vec<Principal>, StoreError> {
        Ok(self
            .client()?
            .query(
                &format!("SELECT {PRINCIPAL_COLUMNS} FROM principals ORDER BY id"),
                &[],
            )
            .map_err(self.err("read the users"))?
            .iter()
            .map(principal_from)
            .collect())
    }

    fn add_token(
        &mut self,
        principal: i64,
        lookup: &str,
        hash: &str,
        label: Option<&str>,
        at: &str,
    ) -> Result<i64, StoreError> {
        Ok(self
            .client()?
            .query_one(
                "INSERT INTO api_tokens (principal, lookup, hash, label, created) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
                &[&principal, &lookup, &hash, &label, &at],
            )
            .map_err(self.err("add a token"))?
            .get(0))
    }

    fn token_by_lookup(&mut self, lookup: &str) -> Result<Option<ApiToken>, StoreError> {
        Ok(self
            .client()?
            .query_opt(
                &format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE lookup = $1"),
                &[&lookup],
            )
            .map_err(self.err("read a token"))?
            .as_ref()
            .map(token_from))
    }

    fn tokens(&mut self) -> Result<Vec<ApiToken>, StoreError> {
        Ok(self
            .client()?
            .query(
                &format!("SELECT {TOKEN_COLUMNS} FROM api_tokens ORDER BY id"),
                &[],
            )
            .map_err(self.err("read the tokens"))?
            .iter()
            .map(token_from)
            .collect())
    }

    fn revoke_token(&mut self, id: i64, at: &str) -> Result<bool, StoreError> {
        Ok(self
            .client()?
            .execute(
                "UPDATE api_tokens SET revoked = $1 WHERE id = $2 AND revoked IS NULL",
                &[&at, &id],
            )
            .map_err(self.err("revoke a token"))?
            > 0)
    }

    fn add_session(&mut self, session: &Session) -> Result<(), StoreError> {
        self.client()?
            .execute(
                "INSERT INTO sessions (id_sha256, principal, csrf, created, expires) \
                 VALUES ($1, $2, $3, $4, $5)",
                &[
                    &session.id_sha256,
                    &session.principal,
                    &session.csrf,
                    &session.created,
                    &session.expires,
                ],
            )
            .map_err(self.err("start a session"))?;
        Ok(())
    }

    fn session(&mut self, id_sha256: &str) -> Result<Option<Session>, StoreError> {
        Ok(self
            .client()?
            .query_opt(
                "SELECT id_sha256, principal, csrf, created, expires, ended FROM sessions \
                 WHERE id_sha256 = $1",
                &[&id_sha256],
            )
            .map_err(self.err("read a session"))?
            .map(|row| Session {
                id_sha256: row.get(0),
                principal: row.get(1),
                csrf: row.get(2),
                created: row.get(3),
                expires: row.get(4),
                ended: row.get(5),
            }))
    }

    fn end_session(&mut self, id_sha256: &str, at: &str) -> Result<bool, StoreError> {
        Ok(self
            .client()?
            .execute(
                "UPDATE sessions SET ended = $1 WHERE id_sha256 = $2 AND ended IS NULL",
                &[&at, &id_sha256],
            )
            .map_err(self.err("end a session"))?
            > 0)
    }

    fn submit_monitor_report(
        &mut self,
        principal: i64,
        idempotency_key: &str,
        request_sha256: &str,
        report: &Report,
        at: &str,
        ledger: &mut dyn FnMut(&MonitorSubmission, &str) -> Result<LedgerRecord, String>,
    ) -> Result<Submitted, StoreError> {
        let source_id = new_monitor_report_id()?;
        let mut report = report.clone();
        report.provenance.source = MONITOR_SOURCE.to_string();
        report.provenance.source_id = source_id.clone();
        report.provenance.revision = None;
        report.provenance.raw.clear();
        let (json, hash) = json_of(&report).map_err(|e| self.corrupt(0, e))?;
        let url = self.url.clone();
        let err = |source| StoreError::Postgres {
            database: without_password(&url),
            action: "store a monitor's report",
            source,
        };
        let mut tx = self.client()?.transaction().map_err(err)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LEDGER_LOCK])
            .map_err(err)?;
        let before = tx
            .query_opt(
                &format!(
                    "SELECT {SUBMISSION_COLUMNS}, m.request_sha256 FROM monitor_reports m \
                     JOIN reports r ON r.id = m.report \
                     WHERE m.principal = $1 AND m.idempotency_key = $2"
                ),
                &[&principal, &idempotency_key],
            )
            .map_err(err)?;
        if let Some(row) = before {
            let submission = submission_from(&row);
            let sha: String = row.get(6);
            return Ok(if sha == request_sha256 {
                Submitted::Repeated(submission)
            } else {
                Submitted::KeyReused(submission)
            });
        }
        let run: i64 = tx
            .query_one(
                "INSERT INTO import_runs (file, file_sha256, file_size, format, started, finished, \
                 rows_done, read, stored) VALUES ($1, $2, $3, $5, $4, $4, 1, 1, 1) RETURNING id",
                &[
                    &format!("api/monitor-reports/{source_id}"),
                    &request_sha256,
                    &(json.len() as i64),
                    &at,
                    &crate::storage::MONITOR_RUN_FORMAT,
                ],
            )
            .map_err(err)?
            .get(0);
        let report_row: i64 = tx
            .query_one(
                "INSERT INTO reports (source, source_id, ident, revision, source_revision, \
                 content_hash, file, line, report, raw, first_run) \
                 VALUES ($1, $2, $2, 1, NULL, $3, $4, 1, $5, NULL, $6) RETURNING id",
                &[
                    &MONITOR_SOURCE,
                    &source_id,
                    &&hash[..],
                    &report.provenance.file,
                    &json,
                    &run,
                ],
            )
            .map_err(err)?
            .get(0);
        let id: i64 = tx
            .query_one(
                "INSERT INTO monitor_reports (principal, idempotency_key, request_sha256, report, submitted) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
                &[&principal, &idempotency_key, &request_sha256, &report_row, &at],
            )
            .map_err(err)?
            .get(0);
        let submission = MonitorSubmission {
            id,
            principal,
            source_id,
            report_row,
            submitted: at.to_string(),
            published: None,
        };
        let entry = ledger(&submission, &sha256_hex(&hash)).map_err(|m| StoreError::Record {
            file: without_password(&url),
            message: m,
        })?;
        append_in(&mut tx, &entry, at).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(Submitted::Stored(submission))
    }

    fn monitor_reports(
        &mut self,
        filter: &SubmissionFilter,
    ) -> Result<Vec<(MonitorSubmission, Report)>, StoreError> {
        let limit = filter.limit.map_or(i64::MAX, i64::from);
        let rows = self
            .client()?
            .query(
                &format!(
                    "SELECT {SUBMISSION_COLUMNS}, r.file, r.line, r.report FROM monitor_reports m \
                     JOIN reports r ON r.id = m.report \
                     WHERE ($1::BIGINT IS NULL OR m.principal = $1) \
                       AND ($2::BOOLEAN IS NULL OR (m.published IS NOT NULL) = $2) \
                       AND m.id > $3 \
                     ORDER BY m.id LIMIT $4"
                ),
                &[
                    &filter.principal,
                    &filter.published,
                    &filter.after.unwrap_or(0),
                    &limit,
                ],
            )
            .map_err(self.err("read the monitors' reports"))?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let submission = submission_from(row);
            let line: i64 = row.get(7);
            let json: &str = row.get(8);
            let report = stored::read_json(json, row.get(6), line as u64, Vec::new())
                .map_err(|e| self.corrupt(submission.report_row, e))?;
            out.push((submission, report));
        }
        Ok(out)
    }

    fn publish_monitor_report(
        &mut self,
        id: i64,
        by: i64,
        at: &str,
        ledger: &mut dyn FnMut(&str) -> Result<LedgerRecord, String>,
    ) -> Result<bool, StoreError> {
        let url = self.url.clone();
        let err = |source| StoreError::Postgres {
            database: without_password(&url),
            action: "publish a monitor's report",
            source,
        };
        let mut tx = self.client()?.transaction().map_err(err)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LEDGER_LOCK])
            .map_err(err)?;
        let source_id: Option<String> = tx
            .query_opt(
                "SELECT r.source_id FROM monitor_reports m JOIN reports r ON r.id = m.report \
                 WHERE m.id = $1 AND m.published IS NULL",
                &[&id],
            )
            .map_err(err)?
            .map(|row| row.get(0));
        let Some(source_id) = source_id else {
            return Ok(false);
        };
        tx.execute(
            "UPDATE monitor_reports SET published = $1, published_by = $2 WHERE id = $3",
            &[&at, &by, &id],
        )
        .map_err(err)?;
        let entry = ledger(&source_id).map_err(|m| self_record_error(&url, m))?;
        append_in(&mut tx, &entry, at).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(true)
    }

    fn unpublished_monitor_reports(&mut self) -> Result<BTreeSet<String>, StoreError> {
        Ok(self
            .client()?
            .query(
                "SELECT r.source_id FROM monitor_reports m JOIN reports r ON r.id = m.report \
                 WHERE m.published IS NULL",
                &[],
            )
            .map_err(self.err("read the unpublished reports"))?
            .iter()
            .map(|row| row.get(0))
            .collect())
    }

    fn server_secret(
        &mut self,
        name: &str,
        make: &mut dyn FnMut() -> Vec<u8>,
    ) -> Result<Vec<u8>, StoreError> {
        let found = self
            .client()?
            .query_opt("SELECT value FROM server_secrets WHERE name = $1", &[&name])
            .map_err(self.err("read the server's secret"))?;
        if let Some(row) = found {
            return Ok(row.get(0));
        }
        let value = make();
        self.client()?
            .execute(
                "INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[&name, &value],
            )
            .map_err(self.err("keep the server's secret"))?;
        // Another server may have kept its own first.
        Ok(self
            .client()?
            .query_one("SELECT value FROM server_secrets WHERE name = $1", &[&name])
            .map_err(self.err("read the server's secret"))?
            .get(0))
    }

    fn append_ledger(
        &mut self,
        kind: &str,
        record: &[u8],
        leaf_hash: &[u8; 32],
        at: &str,
    ) -> Result<u64, StoreError> {
        let url = self.url.clone();
        let err = |source| StoreError::Postgres {
            database: without_password(&url),
            action: "append to the ledger",
            source,
        };
        let mut tx = self.client()?.transaction().map_err(err)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LEDGER_LOCK])
            .map_err(err)?;
        let entry = LedgerRecord {
            kind: kind.to_string(),
            record: record.to_vec(),
            leaf_hash: *leaf_hash,
        };
        let index = append_in(&mut tx, &entry, at).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(index)
    }

    fn ledger_len(&mut self) -> Result<u64, StoreError> {
        let n: i64 = self
            .client()?
            .query_one("SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger", &[])
            .map_err(self.err("count the ledger's entries"))?
            .get(0);
        Ok(n as u64)
    }

    fn ledger_entries(&mut self, from: u64, to: u64) -> Result<Vec<LedgerEntry>, StoreError> {
        let rows = self
            .client()?
            .query(
                "SELECT idx, kind, record, leaf_hash, recorded FROM ledger \
                 WHERE idx >= $1 AND idx < $2 ORDER BY idx",
                &[&(from as i64), &(to as i64)],
            )
            .map_err(self.err("read the ledger"))?;
        self.entries_from_rows(&rows)
    }

    fn ledger_entries_of(
        &mut self,
        kinds: &[&str],
        from: u64,
        limit: u64,
    ) -> Result<Vec<LedgerEntry>, StoreError> {
        let kinds: Vec<String> = kinds.iter().map(|k| k.to_string()).collect();
        let rows = self
            .client()?
            .query(
                "SELECT idx, kind, record, leaf_hash, recorded FROM ledger \
                 WHERE idx >= $1 AND kind = ANY($2) ORDER BY idx LIMIT $3",
                &[
                    &(from.min(i64::MAX as u64) as i64),
                    &kinds,
                    &(limit.min(i64::MAX as u64) as i64),
                ],
            )
            .map_err(self.err("read the ledger"))?;
        self.entries_from_rows(&rows)
    }

    fn ledger_leaf_hashes(&mut self) -> Result<Vec<[u8; 32]>, StoreError> {
        let rows = self
            .client()?
            .query("SELECT idx, leaf_hash FROM ledger ORDER BY idx", &[])
            .map_err(self.err("read the ledger's leaf hashes"))?;
        rows.iter()
            .map(|row| {
                let index: i64 = row.get(0);
                to_hash(row.get(1)).ok_or_else(|| {
                    self.record_error(format!(
                        "ledger entry {index} has a leaf hash of the wrong size"
                    ))
                })
            })
            .collect()
    }

    fn latest_checkpoint(&mut self) -> Result<Option<StoredCheckpoint>, StoreError> {
        Ok(self
            .client()?
            .query_opt(
                "SELECT id, size, note, recorded FROM checkpoints ORDER BY id DESC LIMIT 1",
                &[],
            )
            .map_err(self.err("read the latest checkpoint"))?
            .map(|row| StoredCheckpoint {
                id: row.get(0),
                size: row.get::<_, i64>(1) as u64,
                note: row.get(2),
                recorded: row.get(3),
            }))
    }

    fn payloads(&mut self, entitlement: &str) -> Result<Vec<Payload>, StoreError> {
        Ok(self
            .client()?
            .query(
                "SELECT id, entitlement, name, plain_sha256, cipher_sha256, ciphertext FROM payloads \
                 WHERE entitlement = $1 ORDER BY id",
                &[&entitlement],
            )
            .map_err(self.err("read the payloads"))?
            .iter()
            .map(|row| Payload {
                id: row.get(0),
                entitlement: row.get(1),
                name: row.get(2),
                plain_sha256: row.get(3),
                cipher_sha256: row.get(4),
                ciphertext: row.get(5),
            })
            .collect())
    }

    fn store_payload(
        &mut self,
        entitlement: &str,
        name: &str,
        plain_sha256: &str,
        ciphertext: &[u8],
        at: &str,
    ) -> Result<i64, StoreError> {
        let cipher_sha256 = sha256_hex(ciphertext);
        Ok(self
            .client()?
            .query_one(
                "INSERT INTO payloads (entitlement, name, plain_sha256, cipher_sha256, ciphertext, recorded) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                &[&entitlement, &name, &plain_sha256, &cipher_sha256, &ciphertext, &at],
            )
            .map_err(self.err("keep the payload"))?
            .get(0))
    }

    fn record_checkpoint(&mut self, size: u64, note: &str, at: &str) -> Result<i64, StoreError> {
        Ok(self
            .client()?
            .query_one(
                "INSERT INTO checkpoints (size, note, recorded) VALUES ($1, $2, $3) RETURNING id",
                &[&(size as i64), &note, &at],
            )
            .map_err(self.err("keep the checkpoint"))?
            .get(0))
    }

    fn checkpoints(&mut self) -> Result<Vec<StoredCheckpoint>, StoreError> {
        Ok(self
            .client()?
            .query(
                "SELECT id, size, note, recorded FROM checkpoints ORDER BY id",
                &[],
            )
            .map_err(self.err("read the checkpoints"))?
            .iter()
            .map(|row| StoredCheckpoint {
                id: row.get(0),
                size: row.get::<_, i64>(1) as u64,
                note: row.get(2),
                recorded: row.get(3),
            })
            .collect())
    }

    /// Check runs are recorded by `truce check --db` on a SQLite store; a
    /// PostgreSQL store holds none, so its ledger names none.
    fn check_run_inputs(
        &mut self,
        _id: i64,
    ) -> Result<Option<(Vec<Report>, Vec<(String, String)>)>, StoreError> {
        Ok(None)
    }
}

fn self_record_error(url: &str, message: String) -> StoreError {
    StoreError::Record {
        file: without_password(url),
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
