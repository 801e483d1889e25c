//! The server's people in the PostgreSQL store.

use super::{LEDGER_LOCK, PgStore, append_in, pg_error, record_error_in, without_password};
use crate::people::{
    PRINCIPAL_COLUMNS, SUBMISSION_COLUMNS, TOKEN_COLUMNS, monitor_report_to_store,
};
use crate::{
    ApiToken, LedgerRecord, MONITOR_SOURCE, MonitorSubmission, PeopleStore, Principal, Session,
    StoreError, SubmissionFilter, Submitted, new_monitor_report_id, sha256_hex, stored,
};
use postgres::Row;
use std::collections::BTreeSet;
use truce_model::report::Report;

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

impl PeopleStore for PgStore {
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
        self.one_row(
            "read a user",
            &format!("SELECT {PRINCIPAL_COLUMNS} FROM principals WHERE id = $1"),
            &[&id],
            principal_from,
        )
    }
    fn principal_by_name(&mut self, name: &str) -> Result<Option<Principal>, StoreError> {
        self.one_row(
            "read a user",
            &format!("SELECT {PRINCIPAL_COLUMNS} FROM principals WHERE name = $1"),
            &[&name],
            principal_from,
        )
    }
    fn principals(&mut self) -> Result<Vec<Principal>, StoreError> {
        self.all_rows(
            "read the users",
            &format!("SELECT {PRINCIPAL_COLUMNS} FROM principals ORDER BY id"),
            &[],
            principal_from,
        )
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
        self.one_row(
            "read a token",
            &format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE lookup = $1"),
            &[&lookup],
            token_from,
        )
    }
    fn tokens(&mut self) -> Result<Vec<ApiToken>, StoreError> {
        self.all_rows(
            "read the tokens",
            &format!("SELECT {TOKEN_COLUMNS} FROM api_tokens ORDER BY id"),
            &[],
            token_from,
        )
    }
    fn revoke_token(&mut self, id: i64, at: &str) -> Result<bool, StoreError> {
        Ok(self.execute(
            "revoke a token",
            "UPDATE api_tokens SET revoked = $1 WHERE id = $2 AND revoked IS NULL",
            &[&at, &id],
        )? > 0)
    }
    fn disable_principal(&mut self, id: i64, at: &str) -> Result<bool, StoreError> {
        let database = without_password(&self.url);
        let err = pg_error(&database, "disable a user");
        let mut tx = self.client()?.transaction().map_err(err)?;
        let changed = tx
            .execute(
                "UPDATE principals SET disabled = $1 WHERE id = $2 AND disabled IS NULL",
                &[&at, &id],
            )
            .map_err(err)?;
        tx.execute(
            "UPDATE api_tokens SET revoked = $1 WHERE principal = $2 AND revoked IS NULL",
            &[&at, &id],
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(changed > 0)
    }
    fn add_session(&mut self, session: &Session) -> Result<(), StoreError> {
        self.execute(
            "start a session",
            "INSERT INTO sessions (id_sha256, principal, csrf, created, expires) \
             VALUES ($1, $2, $3, $4, $5)",
            &[
                &session.id_sha256,
                &session.principal,
                &session.csrf,
                &session.created,
                &session.expires,
            ],
        )?;
        Ok(())
    }
    fn session(&mut self, id_sha256: &str) -> Result<Option<Session>, StoreError> {
        self.one_row(
            "read a session",
            "SELECT id_sha256, principal, csrf, created, expires, ended FROM sessions \
             WHERE id_sha256 = $1",
            &[&id_sha256],
            |row| Session {
                id_sha256: row.get(0),
                principal: row.get(1),
                csrf: row.get(2),
                created: row.get(3),
                expires: row.get(4),
                ended: row.get(5),
            },
        )
    }
    fn end_session(&mut self, id_sha256: &str, at: &str) -> Result<bool, StoreError> {
        Ok(self.execute(
            "end a session",
            "UPDATE sessions SET ended = $1 WHERE id_sha256 = $2 AND ended IS NULL",
            &[&at, &id_sha256],
        )? > 0)
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
        let (report, json, hash) =
            monitor_report_to_store(report, &source_id).map_err(|e| self.corrupt(0, e))?;
        let database = without_password(&self.url);
        let err = pg_error(&database, "store a monitor's report");
        let mut tx = self.locked_transaction(LEDGER_LOCK, err)?;
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
            let sha: String = row.get(6);
            return Ok(Submitted::again(
                submission_from(&row),
                &sha,
                request_sha256,
            ));
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
        let body = crate::body::alone(json.as_bytes()).map_err(|e| StoreError::Corrupt {
            file: database.clone(),
            row: 0,
            source: serde_json::Error::io(e),
        })?;
        let report_row: i64 = tx
            .query_one(
                "INSERT INTO reports (source, source_id, ident, revision, source_revision, \
                 content_hash, file, line, body, first_run) \
                 VALUES ($1, $2, $2, 1, NULL, $3, $4, 1, $5, $6) RETURNING id",
                &[
                    &MONITOR_SOURCE,
                    &source_id,
                    &&hash[..],
                    &report.provenance.file,
                    &body,
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
        let entry =
            ledger(&submission, &sha256_hex(&hash)).map_err(|m| record_error_in(&database, m))?;
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
                    "SELECT {SUBMISSION_COLUMNS}, r.file, r.line, r.body FROM monitor_reports m \
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
        let mut bodies = crate::body::Unpacker::default();
        for row in &rows {
            let submission = submission_from(row);
            let line: i64 = row.get(7);
            // A monitor's report is stored alone: its body needs no dictionary.
            let (json, _) = bodies
                .unpack(row.get(8), 0, |_| Ok::<_, std::convert::Infallible>(None))
                .unwrap_or_else(|never| match never {})
                .map_err(|source| StoreError::CorruptBody {
                    file: without_password(&self.url),
                    row: submission.report_row,
                    source,
                })?;
            let report = stored::read_json(&json, row.get(6), line as u64, Vec::new())
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
        let database = without_password(&self.url);
        let err = pg_error(&database, "publish a monitor's report");
        let mut tx = self.locked_transaction(LEDGER_LOCK, err)?;
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
        let entry = ledger(&source_id).map_err(|m| record_error_in(&database, m))?;
        append_in(&mut tx, &entry, at).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(true)
    }
    fn unpublished_monitor_reports(&mut self) -> Result<BTreeSet<String>, StoreError> {
        let ids = self.all_rows(
            "read the unpublished reports",
            "SELECT r.source_id FROM monitor_reports m JOIN reports r ON r.id = m.report \
             WHERE m.published IS NULL",
            &[],
            |row| row.get(0),
        )?;
        Ok(ids.into_iter().collect())
    }
    fn server_secret(
        &mut self,
        name: &str,
        make: &mut dyn FnMut() -> Vec<u8>,
    ) -> Result<Vec<u8>, StoreError> {
        let found = self.one_row(
            "read the server's secret",
            "SELECT value FROM server_secrets WHERE name = $1",
            &[&name],
            |row| row.get(0),
        )?;
        if let Some(value) = found {
            return Ok(value);
        }
        let value = make();
        self.execute(
            "keep the server's secret",
            "INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&name, &value],
        )?;
        // Another server may have kept its own first.
        Ok(self
            .client()?
            .query_one("SELECT value FROM server_secrets WHERE name = $1", &[&name])
            .map_err(self.err("read the server's secret"))?
            .get(0))
    }
}
