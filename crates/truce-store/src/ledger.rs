//! The ledger's entries and checkpoints as the store keeps them.
//!
//! The store keeps the bytes: each entry's canonical record (RFC 8785 JSON), its
//! leaf hash, and each signed checkpoint as its note text. Building the Merkle
//! tree, proving and signing belong to `truce-tlog`; what a record says belongs to
//! the callers. Entries are only ever appended: an entry's index is its position
//! in the log, for good.

use crate::{Store, StoreError, Watermark, stored};
use rusqlite::{OptionalExtension, params};
use truce_model::report::Report;

/// One entry of the ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerEntry {
    /// Its position in the log, from 0.
    pub index: u64,
    /// What it records (`agreement-version`, `import-run`, `check-run`, …).
    pub kind: String,
    /// The canonical JSON of the record: the leaf's data.
    pub record: Vec<u8>,
    /// The RFC 9162 leaf hash of `record`.
    pub leaf_hash: [u8; 32],
    /// When it was appended (RFC 3339, given by the caller).
    pub recorded: String,
}

/// An entitlement's payload file, as `age` ciphertext.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payload {
    pub id: i64,
    pub entitlement: String,
    pub name: String,
    pub plain_sha256: String,
    pub cipher_sha256: String,
    pub ciphertext: Vec<u8>,
}

/// A signed checkpoint as kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCheckpoint {
    pub id: i64,
    /// The tree size it commits to.
    pub size: u64,
    /// The signed note (checkpoint body and signature lines).
    pub note: String,
    pub recorded: String,
}

/// One stored report row: id, file, line and the report's JSON.
fn read_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, String, i64, String)> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
}

fn to_hash(bytes: Vec<u8>) -> Option<[u8; 32]> {
    bytes.try_into().ok()
}

/// Appends one entry inside the caller's write transaction; returns its index.
/// Positions run from 0 without a gap, so the next one is the highest plus one
/// (a look-up in the primary key, not a count of the whole log).
pub(crate) fn append_in(
    tx: &rusqlite::Transaction<'_>,
    kind: &str,
    record: &[u8],
    leaf_hash: &[u8; 32],
    at: &str,
) -> rusqlite::Result<u64> {
    let index: i64 = tx.query_row("SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger", [], |row| {
        row.get(0)
    })?;
    tx.execute(
        "INSERT INTO ledger (idx, kind, record, leaf_hash, recorded) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![index, kind, record, &leaf_hash[..], at],
    )?;
    Ok(index as u64)
}

impl Store {
    /// Appends one entry; returns its index. The caller hashes the record so the
    /// store stays ignorant of the tree's construction.
    pub fn append_ledger(
        &mut self,
        kind: &str,
        record: &[u8],
        leaf_hash: &[u8; 32],
        at: &str,
    ) -> Result<u64, StoreError> {
        let action = "append to the ledger";
        let file = self.file.clone();
        let err = |source| StoreError::Sql {
            file: file.clone(),
            action,
            source,
        };
        // Immediate: the index is read and used in one write transaction, so two
        // writers cannot take the same position.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(err)?;
        let index = append_in(&tx, kind, record, leaf_hash, at).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(index)
    }

    /// How many entries the ledger has.
    pub fn ledger_len(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT COUNT(*) FROM ledger", [], |row| {
                row.get::<_, i64>(0)
            })
            .map(|n| n as u64)
            .map_err(|e| self.sql("count the ledger's entries", e))
    }

    /// The entries `from..to` (indexes), in order.
    pub fn ledger_entries(&self, from: u64, to: u64) -> Result<Vec<LedgerEntry>, StoreError> {
        self.select_entries(
            "idx >= ?1 AND idx < ?2 ORDER BY idx",
            params![from as i64, to as i64],
        )
    }

    /// At most `limit` entries of the types `kinds`, from position `from` on, in
    /// order (an index on `(kind, idx)` finds them without reading the others).
    pub fn ledger_entries_of(
        &self,
        kinds: &[&str],
        from: u64,
        limit: u64,
    ) -> Result<Vec<LedgerEntry>, StoreError> {
        if kinds.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (0..kinds.len()).map(|n| format!("?{}", n + 3)).collect();
        let filter = format!(
            "idx >= ?1 AND kind IN ({}) ORDER BY idx LIMIT ?2",
            placeholders.join(", ")
        );
        let mut values: Vec<rusqlite::types::Value> = vec![
            (from.min(i64::MAX as u64) as i64).into(),
            (limit.min(i64::MAX as u64) as i64).into(),
        ];
        values.extend(
            kinds
                .iter()
                .map(|k| rusqlite::types::Value::from(k.to_string())),
        );
        self.select_entries(&filter, rusqlite::params_from_iter(values))
    }

    fn select_entries(
        &self,
        filter: &str,
        values: impl rusqlite::Params,
    ) -> Result<Vec<LedgerEntry>, StoreError> {
        let action = "read the ledger";
        let mut statement = self
            .conn
            .prepare(&format!(
                "SELECT idx, kind, record, leaf_hash, recorded FROM ledger WHERE {filter}"
            ))
            .map_err(|e| self.sql(action, e))?;
        let rows = statement
            .query_map(values, |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Vec<u8>>(2)?,
                    row.get::<_, Vec<u8>>(3)?,
                    row.get::<_, String>(4)?,
                ))
            })
            .map_err(|e| self.sql(action, e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(action, e))?;
        rows.into_iter()
            .map(|(index, kind, record, hash, recorded)| {
                let leaf_hash = to_hash(hash).ok_or_else(|| StoreError::Sql {
                    file: self.file.clone(),
                    action,
                    source: rusqlite::Error::InvalidColumnType(
                        3,
                        "leaf_hash".into(),
                        rusqlite::types::Type::Blob,
                    ),
                })?;
                Ok(LedgerEntry {
                    index: index as u64,
                    kind,
                    record,
                    leaf_hash,
                    recorded,
                })
            })
            .collect()
    }

    /// Every leaf hash, in order: what the tree is built from.
    pub fn ledger_leaf_hashes(&self) -> Result<Vec<[u8; 32]>, StoreError> {
        let action = "read the ledger's leaf hashes";
        let mut statement = self
            .conn
            .prepare("SELECT leaf_hash FROM ledger ORDER BY idx")
            .map_err(|e| self.sql(action, e))?;
        let hashes = statement
            .query_map([], |row| row.get::<_, Vec<u8>>(0))
            .map_err(|e| self.sql(action, e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(action, e))?;
        hashes
            .into_iter()
            .map(|h| {
                to_hash(h).ok_or_else(|| StoreError::Sql {
                    file: self.file.clone(),
                    action,
                    source: rusqlite::Error::InvalidColumnType(
                        0,
                        "leaf_hash".into(),
                        rusqlite::types::Type::Blob,
                    ),
                })
            })
            .collect()
    }

    /// Keeps a signed checkpoint.
    pub fn record_checkpoint(
        &mut self,
        size: u64,
        note: &str,
        at: &str,
    ) -> Result<i64, StoreError> {
        self.conn
            .execute(
                "INSERT INTO checkpoints (size, note, recorded) VALUES (?1, ?2, ?3)",
                params![size as i64, note, at],
            )
            .map_err(|e| self.sql("keep the checkpoint", e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Every checkpoint, oldest first.
    pub fn checkpoints(&self) -> Result<Vec<StoredCheckpoint>, StoreError> {
        let action = "read the checkpoints";
        let mut statement = self
            .conn
            .prepare("SELECT id, size, note, recorded FROM checkpoints ORDER BY id")
            .map_err(|e| self.sql(action, e))?;
        statement
            .query_map([], |row| {
                Ok(StoredCheckpoint {
                    id: row.get(0)?,
                    size: row.get::<_, i64>(1)? as u64,
                    note: row.get(2)?,
                    recorded: row.get(3)?,
                })
            })
            .map_err(|e| self.sql(action, e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(action, e))
    }

    /// The latest checkpoint, if any.
    pub fn latest_checkpoint(&self) -> Result<Option<StoredCheckpoint>, StoreError> {
        self.conn
            .query_row(
                "SELECT id, size, note, recorded FROM checkpoints ORDER BY id DESC LIMIT 1",
                [],
                |row| {
                    Ok(StoredCheckpoint {
                        id: row.get(0)?,
                        size: row.get::<_, i64>(1)? as u64,
                        note: row.get(2)?,
                        recorded: row.get(3)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.sql("read the latest checkpoint", e))
    }

    /// The reports a check reads, as they stood at `at`: for every identity the
    /// revision current then, unless deleted by then, in the order
    /// [`Store::reports`] gives them. The store only appends, so this is exactly
    /// what a check run with that watermark read from the store.
    ///
    /// With `known_before` (a [`crate::known_before`] instant), the evidence is
    /// the one a check as of that day read: per identity the latest revision
    /// recorded before the instant, or its first revision when every one was
    /// recorded later (history imported afterwards stays visible); deletions
    /// recorded later are ignored.
    pub fn reports_at(
        &self,
        at: Watermark,
        known_before: Option<&str>,
    ) -> Result<Vec<Report>, StoreError> {
        let action = "read the reports as they stood at a check run";
        let rows = match known_before {
            None => {
                let mut statement = self
                    .conn
                    .prepare(
                        "SELECT r.id, r.file, r.line, r.report FROM reports r \
                         WHERE r.id <= ?1 \
                           AND NOT EXISTS (SELECT 1 FROM reports later WHERE later.source = r.source \
                               AND later.ident = r.ident AND later.id > r.id AND later.id <= ?1) \
                           AND (r.deleted_by IS NULL OR r.deleted_by > ?2) \
                         ORDER BY r.id",
                    )
                    .map_err(|e| self.sql(action, e))?;
                statement
                    .query_map(params![at.last_report, at.last_deletion], read_row)
                    .map_err(|e| self.sql(action, e))?
                    .collect::<Result<Vec<_>, _>>()
            }
            Some(before) => {
                let sql = crate::checks::known_reports_sql(&["?1", "?2", "?3"]);
                let mut statement = self.conn.prepare(&sql).map_err(|e| self.sql(action, e))?;
                statement
                    .query_map(params![at.last_report, at.last_deletion, before], read_row)
                    .map_err(|e| self.sql(action, e))?
                    .collect::<Result<Vec<_>, _>>()
            }
        }
        .map_err(|e| self.sql(action, e))?;
        rows.into_iter()
            .map(|(id, file, line, json)| {
                stored::read_json(&json, file, line as u64, Vec::new()).map_err(|source| {
                    StoreError::Corrupt {
                        file: self.file.clone(),
                        row: id,
                        source,
                    }
                })
            })
            .collect()
    }

    /// Keeps an entitlement's payload file, already encrypted.
    pub fn store_payload(
        &mut self,
        entitlement: &str,
        name: &str,
        plain_sha256: &str,
        ciphertext: &[u8],
        at: &str,
    ) -> Result<i64, StoreError> {
        self.conn
            .execute(
                "INSERT INTO payloads (entitlement, name, plain_sha256, cipher_sha256, ciphertext, recorded) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    entitlement,
                    name,
                    plain_sha256,
                    crate::sha256_hex(ciphertext),
                    ciphertext,
                    at
                ],
            )
            .map_err(|e| self.sql("keep the payload", e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The payload files of an entitlement, in the order kept.
    pub fn payloads(&self, entitlement: &str) -> Result<Vec<Payload>, StoreError> {
        let action = "read the payloads";
        let mut statement = self
            .conn
            .prepare(
                "SELECT id, entitlement, name, plain_sha256, cipher_sha256, ciphertext FROM payloads \
                 WHERE entitlement = ?1 ORDER BY id",
            )
            .map_err(|e| self.sql(action, e))?;
        statement
            .query_map(params![entitlement], |row| {
                Ok(Payload {
                    id: row.get(0)?,
                    entitlement: row.get(1)?,
                    name: row.get(2)?,
                    plain_sha256: row.get(3)?,
                    cipher_sha256: row.get(4)?,
                    ciphertext: row.get(5)?,
                })
            })
            .map_err(|e| self.sql(action, e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(action, e))
    }
}
