//! The analysts' decisions and recorded deletions on PostgreSQL, with the same
//! rules as the SQLite store: a pair of reports is one decision whatever its
//! order, recording it again while in force returns the one in force, a
//! withdrawn decision stays on record; a deletion marks every stored revision
//! of the report and keeps them.

use crate::pg::{PgStore, without_password};
use crate::{Deletion, KeptApartDecision, RecordedDeletion, StoreError};

impl PgStore {
    pub(crate) fn pg_has_report(
        &mut self,
        source: &str,
        source_id: &str,
    ) -> Result<bool, StoreError> {
        let database = without_password(self.url());
        self.client()?
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM current_reports WHERE source = $1 AND source_id = $2)",
                &[&source, &source_id],
            )
            .map(|row| row.get(0))
            .map_err(|source| StoreError::Postgres {
                database,
                action: "look up a report",
                source,
            })
    }

    pub(crate) fn pg_record_deletion(
        &mut self,
        source: &str,
        source_id: &str,
        run: Option<i64>,
        at: &str,
        note: Option<&str>,
    ) -> Result<Deletion, StoreError> {
        let database = without_password(self.url());
        let err = |source| StoreError::Postgres {
            database: database.clone(),
            action: "record a deletion",
            source,
        };
        let mut tx = self.client()?.transaction().map_err(err)?;
        let id: i64 = tx
            .query_one(
                "INSERT INTO deletions (source, source_id, run, recorded, note) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
                &[&source, &source_id, &run, &at, &note],
            )
            .map_err(err)?
            .get(0);
        let marked = tx
            .execute(
                "UPDATE reports SET deleted_by = $1 WHERE source = $2 AND source_id = $3 \
                 AND deleted_by IS NULL",
                &[&id, &source, &source_id],
            )
            .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(Deletion {
            id,
            revisions_marked: marked,
        })
    }

    pub(crate) fn pg_deletions(&mut self) -> Result<Vec<RecordedDeletion>, StoreError> {
        let database = without_password(self.url());
        let rows = self
            .client()?
            .query(
                "SELECT d.id, d.source, d.source_id, d.recorded, d.note, d.run, \
                 (SELECT COUNT(*) FROM reports r WHERE r.deleted_by = d.id) \
                 FROM deletions d ORDER BY d.id",
                &[],
            )
            .map_err(|source| StoreError::Postgres {
                database,
                action: "read the deletions",
                source,
            })?;
        Ok(rows
            .iter()
            .map(|row| RecordedDeletion {
                id: row.get(0),
                source: row.get(1),
                source_id: row.get(2),
                recorded: row.get(3),
                note: row.get(4),
                run: row.get(5),
                revisions_marked: row.get::<_, i64>(6) as u64,
            })
            .collect())
    }

    /// Records decision `decision` (`apart` or `together`) on a pair of reports.
    pub(crate) fn pg_record_decision(
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
        let database = without_password(self.url());
        let err = |source| StoreError::Postgres {
            database: database.clone(),
            action: "record an analyst's decision",
            source,
        };
        let mut tx = self.client()?.transaction().map_err(err)?;
        let existing = tx
            .query_opt(
                "SELECT id FROM kept_apart WHERE first_source = $1 AND first_id = $2 \
                 AND second_source = $3 AND second_id = $4 AND withdrawn IS NULL AND decision = $5",
                &[&first.0, &first.1, &second.0, &second.1, &decision],
            )
            .map_err(err)?;
        let id: i64 = match existing {
            Some(row) => row.get(0),
            None => tx
                .query_one(
                    "INSERT INTO kept_apart (first_source, first_id, second_source, second_id, \
                     decided_by, decided, reason, decision) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    &[
                        &first.0,
                        &first.1,
                        &second.0,
                        &second.1,
                        &decided_by,
                        &at,
                        &reason,
                        &decision,
                    ],
                )
                .map_err(err)?
                .get(0),
        };
        tx.commit().map_err(err)?;
        let in_force = self.decisions(decision)?;
        in_force
            .into_iter()
            .find(|k| k.id == id)
            .ok_or_else(|| StoreError::Record {
                file: without_password(self.url()),
                message: format!("decision {id} was recorded but cannot be read back"),
            })
    }

    pub(crate) fn pg_withdraw_decision(
        &mut self,
        id: i64,
        by: &str,
        at: &str,
    ) -> Result<bool, StoreError> {
        let url = self.url().to_string();
        let changed = self
            .client()?
            .execute(
                "UPDATE kept_apart SET withdrawn = $2, withdrawn_by = $3 WHERE id = $1 \
                 AND withdrawn IS NULL",
                &[&id, &at, &by],
            )
            .map_err(|source| StoreError::Postgres {
                database: without_password(&url),
                action: "withdraw an analyst's decision",
                source,
            })?;
        Ok(changed > 0)
    }
}
