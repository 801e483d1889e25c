//! The ledger, its checkpoints and the entitlements' payloads in the SQLite store.

use super::Store;
use crate::ledger::to_hash;
use crate::{LedgerEntry, LedgerRecord, LedgerStore, Payload, StoreError, StoredCheckpoint};
use rusqlite::params;

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

/// Ends the write `tx` with the ledger entry that records it, `entry` as the
/// caller made it: the two commit together, and an entry the caller could not
/// make leaves nothing written. A failure is the error of `action` in the store `file`.
pub(crate) fn commit_recorded(
    tx: rusqlite::Transaction<'_>,
    entry: Result<LedgerRecord, String>,
    file: &str,
    action: &'static str,
    at: &str,
) -> Result<(), StoreError> {
    let err = super::sql_error(file, action);
    let entry = entry.map_err(|message| StoreError::Record {
        file: file.to_string(),
        message,
    })?;
    append_in(&tx, &entry.kind, &entry.record, &entry.leaf_hash, at).map_err(err)?;
    tx.commit().map_err(err)
}

/// A `checkpoints` row (`id, size, note, recorded`) as a checkpoint.
fn checkpoint_from(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredCheckpoint> {
    Ok(StoredCheckpoint {
        id: row.get(0)?,
        size: row.get::<_, i64>(1)? as u64,
        note: row.get(2)?,
        recorded: row.get(3)?,
    })
}

impl Store {
    fn select_entries(
        &self,
        filter: &str,
        values: impl rusqlite::Params,
    ) -> Result<Vec<LedgerEntry>, StoreError> {
        let action = "read the ledger";
        let rows = self.all_rows(
            action,
            &format!("SELECT idx, kind, record, leaf_hash, recorded FROM ledger WHERE {filter}"),
            values,
            |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Vec<u8>>(2)?,
                    row.get::<_, Vec<u8>>(3)?,
                    row.get::<_, String>(4)?,
                ))
            },
        )?;
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
}

impl LedgerStore for Store {
    /// Appends one entry; returns its index. The caller hashes the record so the
    /// store stays ignorant of the tree's construction.
    fn append_ledger(
        &mut self,
        kind: &str,
        record: &[u8],
        leaf_hash: &[u8; 32],
        at: &str,
    ) -> Result<u64, StoreError> {
        let action = "append to the ledger";
        let file = self.file.clone();
        let err = super::sql_error(&file, action);
        // Immediate: the index is read and used in one write transaction, so two
        // writers cannot take the same position.
        let tx = self.immediate().map_err(err)?;
        let index = append_in(&tx, kind, record, leaf_hash, at).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(index)
    }
    /// How many entries the ledger has.
    fn ledger_len(&mut self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT COUNT(*) FROM ledger", [], |row| {
                row.get::<_, i64>(0)
            })
            .map(|n| n as u64)
            .map_err(|e| self.sql("count the ledger's entries", e))
    }
    /// The entries `from..to` (indexes), in order.
    fn ledger_entries(&mut self, from: u64, to: u64) -> Result<Vec<LedgerEntry>, StoreError> {
        self.select_entries(
            "idx >= ?1 AND idx < ?2 ORDER BY idx",
            params![from as i64, to as i64],
        )
    }
    /// At most `limit` entries of the types `kinds`, from position `from` on, in
    /// order (an index on `(kind, idx)` finds them without reading the others).
    fn ledger_entries_of(
        &mut self,
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
    /// Every leaf hash, in order: what the tree is built from.
    fn ledger_leaf_hashes(&mut self) -> Result<Vec<[u8; 32]>, StoreError> {
        let action = "read the ledger's leaf hashes";
        let hashes = self.all_rows(
            action,
            "SELECT leaf_hash FROM ledger ORDER BY idx",
            [],
            |row| row.get::<_, Vec<u8>>(0),
        )?;
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
    /// The latest checkpoint, if any.
    fn latest_checkpoint(&mut self) -> Result<Option<StoredCheckpoint>, StoreError> {
        self.one_row(
            "read the latest checkpoint",
            "SELECT id, size, note, recorded FROM checkpoints ORDER BY id DESC LIMIT 1",
            [],
            checkpoint_from,
        )
    }
    /// The payload files of an entitlement, in the order kept.
    fn payloads(&mut self, entitlement: &str) -> Result<Vec<Payload>, StoreError> {
        self.all_rows(
            "read the payloads",
            "SELECT id, entitlement, name, plain_sha256, cipher_sha256, ciphertext FROM payloads \
             WHERE entitlement = ?1 ORDER BY id",
            params![entitlement],
            |row| {
                Ok(Payload {
                    id: row.get(0)?,
                    entitlement: row.get(1)?,
                    name: row.get(2)?,
                    plain_sha256: row.get(3)?,
                    cipher_sha256: row.get(4)?,
                    ciphertext: row.get(5)?,
                })
            },
        )
    }
    /// Keeps an entitlement's payload file, already encrypted.
    fn store_payload(
        &mut self,
        entitlement: &str,
        name: &str,
        plain_sha256: &str,
        ciphertext: &[u8],
        at: &str,
    ) -> Result<i64, StoreError> {
        self.execute("keep the payload", "INSERT INTO payloads (entitlement, name, plain_sha256, cipher_sha256, ciphertext, recorded) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    entitlement,
                    name,
                    plain_sha256,
                    crate::sha256_hex(ciphertext),
                    ciphertext,
                    at
                ])?;
        Ok(self.conn.last_insert_rowid())
    }
    /// Every checkpoint, oldest first.
    fn checkpoints(&mut self) -> Result<Vec<StoredCheckpoint>, StoreError> {
        self.all_rows(
            "read the checkpoints",
            "SELECT id, size, note, recorded FROM checkpoints ORDER BY id",
            [],
            checkpoint_from,
        )
    }
    /// Keeps a signed checkpoint.
    fn record_checkpoint(&mut self, size: u64, note: &str, at: &str) -> Result<i64, StoreError> {
        self.execute(
            "keep the checkpoint",
            "INSERT INTO checkpoints (size, note, recorded) VALUES (?1, ?2, ?3)",
            params![size as i64, note, at],
        )?;
        Ok(self.conn.last_insert_rowid())
    }
}
