//! The server's people in the SQLite store.

use super::Store;
use super::evidence::{RunParts, StoredRow};
use super::ledger::commit_recorded;
use crate::people::{
    PRINCIPAL_COLUMNS, SUBMISSION_COLUMNS, TOKEN_COLUMNS, monitor_report_to_store,
};
use crate::{
    ApiToken, LedgerRecord, MONITOR_SOURCE, MonitorSubmission, PeopleStore, Principal, Session,
    StoreError, SubmissionFilter, Submitted, new_monitor_report_id,
};
use rusqlite::{OptionalExtension, params};
use truce_model::report::Report;

fn principal_from(row: &rusqlite::Row<'_>) -> rusqlite::Result<Principal> {
    Ok(Principal {
        id: row.get(0)?,
        name: row.get(1)?,
        role: row.get(2)?,
        party: row.get(3)?,
        password_hash: row.get(4)?,
        created: row.get(5)?,
        disabled: row.get(6)?,
    })
}

fn token_from(row: &rusqlite::Row<'_>) -> rusqlite::Result<ApiToken> {
    Ok(ApiToken {
        id: row.get(0)?,
        principal: row.get(1)?,
        lookup: row.get(2)?,
        hash: row.get(3)?,
        label: row.get(4)?,
        created: row.get(5)?,
        revoked: row.get(6)?,
    })
}

fn submission_from(row: &rusqlite::Row<'_>) -> rusqlite::Result<MonitorSubmission> {
    Ok(MonitorSubmission {
        id: row.get(0)?,
        principal: row.get(1)?,
        source_id: row.get(2)?,
        report_row: row.get(3)?,
        submitted: row.get(4)?,
        published: row.get(5)?,
    })
}

impl Store {
    /// Sets a principal's password hash; false when there is no such principal.
    pub fn set_password_hash(&mut self, id: i64, hash: &str) -> Result<bool, StoreError> {
        let changed = self.execute(
            "set a password",
            "UPDATE principals SET password_hash = ?1 WHERE id = ?2",
            params![hash, id],
        )?;
        Ok(changed > 0)
    }
}

impl PeopleStore for Store {
    fn disable_principal(&mut self, id: i64, at: &str) -> Result<bool, StoreError> {
        let file = self.file.clone();
        let err = super::sql_error(&file, "disable a user");
        let tx = self.conn.transaction().map_err(err)?;
        let changed = tx
            .execute(
                "UPDATE principals SET disabled = ?1 WHERE id = ?2 AND disabled IS NULL",
                params![at, id],
            )
            .and_then(|changed| {
                tx.execute(
                    "UPDATE api_tokens SET revoked = ?1 WHERE principal = ?2 AND revoked IS NULL",
                    params![at, id],
                )?;
                tx.commit()?;
                Ok(changed)
            })
            .map_err(err)?;
        Ok(changed > 0)
    }
    /// Adds a principal; `None` when the name is taken.
    fn add_principal(
        &mut self,
        name: &str,
        role: &str,
        party: Option<&str>,
        password_hash: Option<&str>,
        at: &str,
    ) -> Result<Option<i64>, StoreError> {
        let action = "add a user";
        let inserted = self.execute(
            action,
            "INSERT OR IGNORE INTO principals (name, role, party, password_hash, created) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![name, role, party, password_hash, at],
        )?;
        Ok((inserted > 0).then(|| self.conn.last_insert_rowid()))
    }
    /// The principal with this number.
    fn principal(&mut self, id: i64) -> Result<Option<Principal>, StoreError> {
        self.one_row(
            "read a user",
            &format!("SELECT {PRINCIPAL_COLUMNS} FROM principals WHERE id = ?1"),
            params![id],
            principal_from,
        )
    }
    /// The principal with this name.
    fn principal_by_name(&mut self, name: &str) -> Result<Option<Principal>, StoreError> {
        self.one_row(
            "read a user",
            &format!("SELECT {PRINCIPAL_COLUMNS} FROM principals WHERE name = ?1"),
            params![name],
            principal_from,
        )
    }
    /// Every principal, in the order they were added.
    fn principals(&mut self) -> Result<Vec<Principal>, StoreError> {
        self.all_rows(
            "read the users",
            &format!("SELECT {PRINCIPAL_COLUMNS} FROM principals ORDER BY id"),
            [],
            principal_from,
        )
    }
    /// Adds an API token (its public part and the hash of its secret).
    fn add_token(
        &mut self,
        principal: i64,
        lookup: &str,
        hash: &str,
        label: Option<&str>,
        at: &str,
    ) -> Result<i64, StoreError> {
        self.execute(
            "add a token",
            "INSERT INTO api_tokens (principal, lookup, hash, label, created) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![principal, lookup, hash, label, at],
        )?;
        Ok(self.conn.last_insert_rowid())
    }
    /// The token whose public part is `lookup`, revoked or not.
    fn token_by_lookup(&mut self, lookup: &str) -> Result<Option<ApiToken>, StoreError> {
        self.one_row(
            "read a token",
            &format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE lookup = ?1"),
            params![lookup],
            token_from,
        )
    }
    /// Every token (revoked ones too), in the order they were made.
    fn tokens(&mut self) -> Result<Vec<ApiToken>, StoreError> {
        self.all_rows(
            "read the tokens",
            &format!("SELECT {TOKEN_COLUMNS} FROM api_tokens ORDER BY id"),
            [],
            token_from,
        )
    }
    /// Revokes a token; false when there is no such token or it was revoked already.
    fn revoke_token(&mut self, id: i64, at: &str) -> Result<bool, StoreError> {
        let changed = self.execute(
            "revoke a token",
            "UPDATE api_tokens SET revoked = ?1 WHERE id = ?2 AND revoked IS NULL",
            params![at, id],
        )?;
        Ok(changed > 0)
    }
    /// Keeps a new session.
    fn add_session(&mut self, session: &Session) -> Result<(), StoreError> {
        self.execute(
            "start a session",
            "INSERT INTO sessions (id_sha256, principal, csrf, created, expires) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                session.id_sha256,
                session.principal,
                session.csrf,
                session.created,
                session.expires
            ],
        )?;
        Ok(())
    }
    /// The session whose cookie hashes to `id_sha256`, ended or not.
    fn session(&mut self, id_sha256: &str) -> Result<Option<Session>, StoreError> {
        self.one_row(
            "read a session",
            "SELECT id_sha256, principal, csrf, created, expires, ended FROM sessions \
             WHERE id_sha256 = ?1",
            params![id_sha256],
            |row| {
                Ok(Session {
                    id_sha256: row.get(0)?,
                    principal: row.get(1)?,
                    csrf: row.get(2)?,
                    created: row.get(3)?,
                    expires: row.get(4)?,
                    ended: row.get(5)?,
                })
            },
        )
    }
    /// Ends a session (logs out); false when it had ended already or never was.
    fn end_session(&mut self, id_sha256: &str, at: &str) -> Result<bool, StoreError> {
        let changed = self.execute(
            "end a session",
            "UPDATE sessions SET ended = ?1 WHERE id_sha256 = ?2 AND ended IS NULL",
            params![at, id_sha256],
        )?;
        Ok(changed > 0)
    }
    /// Stores a monitor's report under an idempotency key, in one transaction: an
    /// import run of its own (read 1, stored 1), the report under source `monitor`
    /// with an opaque id ([`new_monitor_report_id`]), and who submitted it. The same
    /// key again stores nothing: the first submission is returned, as
    /// [`Submitted::Repeated`] when the request is the same, else
    /// [`Submitted::KeyReused`]. The report's source and id are set here.
    ///
    /// `ledger` makes the ledger entry that records the submission (kind, canonical
    /// record, leaf hash) from what was stored and the sha256 of the stored report;
    /// it is appended in the same transaction, so a report is never stored unrecorded.
    fn submit_monitor_report(
        &mut self,
        principal: i64,
        idempotency_key: &str,
        request_sha256: &str,
        report: &Report,
        at: &str,
        ledger: &mut dyn FnMut(&MonitorSubmission, &str) -> Result<LedgerRecord, String>,
    ) -> Result<Submitted, StoreError> {
        let action = "store a monitor's report";
        let file = self.file.clone();
        let err = super::sql_error(&file, action);
        let source_id = new_monitor_report_id()?;
        let (report, json, hash) =
            monitor_report_to_store(report, &source_id).map_err(|source| StoreError::Corrupt {
                file: file.clone(),
                row: 0,
                source,
            })?;

        let tx = self.immediate().map_err(err)?;
        let before = tx
            .query_row(
                &format!(
                    "SELECT {SUBMISSION_COLUMNS}, m.request_sha256 FROM monitor_reports m \
                     JOIN reports r ON r.id = m.report \
                     WHERE m.principal = ?1 AND m.idempotency_key = ?2"
                ),
                params![principal, idempotency_key],
                |row| Ok((submission_from(row)?, row.get::<_, String>(6)?)),
            )
            .optional()
            .map_err(err)?;
        if let Some((submission, sha)) = before {
            return Ok(Submitted::again(submission, &sha, request_sha256));
        }
        let run_file = format!("api/monitor-reports/{source_id}");
        tx.execute(
            "INSERT INTO import_runs (file, file_sha256, file_size, format, started, finished, \
             rows_done, read, stored) VALUES (?1, ?2, ?3, 'monitor-report', ?4, ?4, 1, 1, 1)",
            params![run_file, request_sha256, json.len() as i64, at],
        )
        .map_err(err)?;
        let run = tx.last_insert_rowid();
        let body = crate::body::alone(json.as_bytes())
            .map_err(|e| err(rusqlite::Error::ToSqlConversionFailure(Box::new(e))))?;
        tx.execute(
            "INSERT INTO reports (source, source_id, ident, revision, source_revision, \
             content_hash, file, line, body, first_run) \
             VALUES (?1, ?2, ?2, 1, NULL, ?3, ?4, 1, ?5, ?6)",
            params![
                MONITOR_SOURCE,
                source_id,
                &hash[..],
                report.provenance.file,
                body,
                run
            ],
        )
        .map_err(err)?;
        let report_row = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO monitor_reports (principal, idempotency_key, request_sha256, report, submitted) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![principal, idempotency_key, request_sha256, report_row, at],
        )
        .map_err(err)?;
        let submission = MonitorSubmission {
            id: tx.last_insert_rowid(),
            principal,
            source_id,
            report_row,
            submitted: at.to_string(),
            published: None,
        };
        let entry = ledger(&submission, &crate::sha256_hex(&hash));
        commit_recorded(tx, entry, &file, action, at)?;
        Ok(Submitted::Stored(submission))
    }
    /// Submissions, oldest first, with their reports as stored.
    fn monitor_reports(
        &mut self,
        filter: &SubmissionFilter,
    ) -> Result<Vec<(MonitorSubmission, Report)>, StoreError> {
        let action = "read the monitors' reports";
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {SUBMISSION_COLUMNS}, r.file, r.line, r.body, r.first_run FROM monitor_reports m \
                 JOIN reports r ON r.id = m.report \
                 WHERE (?1 IS NULL OR m.principal = ?1) \
                 AND (?2 IS NULL OR (m.published IS NOT NULL) = ?2) \
                 AND m.id > ?3 \
                 ORDER BY m.id LIMIT ?4"
            ))
            .map_err(|e| self.sql(action, e))?;
        let limit = filter.limit.map_or(-1, i64::from);
        let mut rows = stmt
            .query(params![
                filter.principal,
                filter.published,
                filter.after.unwrap_or(0),
                limit
            ])
            .map_err(|e| self.sql(action, e))?;
        let mut out = Vec::new();
        let mut runs = RunParts::default();
        while let Some(row) = rows.next().map_err(|e| self.sql(action, e))? {
            let read = || -> rusqlite::Result<(MonitorSubmission, StoredRow)> {
                let submission = submission_from(row)?;
                let stored = (
                    submission.report_row,
                    row.get(6)?,
                    row.get(7)?,
                    row.get(8)?,
                    row.get(9)?,
                );
                Ok((submission, stored))
            };
            let (submission, stored) = read().map_err(|e| self.sql(action, e))?;
            let report = self.stored_report(action, &mut runs, stored, false)?;
            out.push((submission, report));
        }
        Ok(out)
    }
    /// Publishes a submission; false when there is none or it is published already.
    /// `ledger` makes the entry recording it, appended in the same transaction.
    fn publish_monitor_report(
        &mut self,
        id: i64,
        by: i64,
        at: &str,
        ledger: &mut dyn FnMut(&str) -> Result<LedgerRecord, String>,
    ) -> Result<bool, StoreError> {
        let action = "publish a monitor's report";
        let file = self.file.clone();
        let err = super::sql_error(&file, action);
        let tx = self.immediate().map_err(err)?;
        let source_id: Option<String> = tx
            .query_row(
                "SELECT r.source_id FROM monitor_reports m JOIN reports r ON r.id = m.report \
                 WHERE m.id = ?1 AND m.published IS NULL",
                params![id],
                |row| row.get(0),
            )
            .optional()
            .map_err(err)?;
        let Some(source_id) = source_id else {
            return Ok(false);
        };
        tx.execute(
            "UPDATE monitor_reports SET published = ?1, published_by = ?2 WHERE id = ?3",
            params![at, by, id],
        )
        .map_err(err)?;
        commit_recorded(tx, ledger(&source_id), &file, action, at)?;
        Ok(true)
    }
    /// The ids (under source `monitor`) of the reports not published yet: what
    /// the server withholds from everyone but the mission's own staff.
    fn unpublished_monitor_reports(
        &mut self,
    ) -> Result<std::collections::BTreeSet<String>, StoreError> {
        let ids = self.all_rows(
            "read the unpublished reports",
            "SELECT r.source_id FROM monitor_reports m JOIN reports r ON r.id = m.report \
             WHERE m.published IS NULL",
            [],
            |row| row.get(0),
        )?;
        Ok(ids.into_iter().collect())
    }
    /// The server's secret named `name`, made by `make` and kept the first time it is
    /// asked for, so it stays the same across restarts.
    fn server_secret(
        &mut self,
        name: &str,
        make: &mut dyn FnMut() -> Vec<u8>,
    ) -> Result<Vec<u8>, StoreError> {
        let action = "read the server's secret";
        let found: Option<Vec<u8>> = self.one_row(
            action,
            "SELECT value FROM server_secrets WHERE name = ?1",
            params![name],
            |row| row.get(0),
        )?;
        if let Some(value) = found {
            return Ok(value);
        }
        let value = make();
        self.execute(
            action,
            "INSERT OR IGNORE INTO server_secrets (name, value) VALUES (?1, ?2)",
            params![name, value],
        )?;
        // Another process may have kept its own first.
        self.conn
            .query_row(
                "SELECT value FROM server_secrets WHERE name = ?1",
                params![name],
                |row| row.get(0),
            )
            .map_err(|e| self.sql(action, e))
    }
}
