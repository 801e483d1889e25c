//! The ledger, its checkpoints and the entitlements' payloads in the PostgreSQL store.

use super::{LEDGER_LOCK, PgStore, append_in, pg_error, without_password};
use crate::ledger::to_hash;
use crate::{
    LedgerEntry, LedgerRecord, LedgerStore, Payload, StoreError, StoredCheckpoint, sha256_hex,
};
use postgres::Row;

/// A `checkpoints` row (`id, size, note, recorded`) as a checkpoint.
fn checkpoint_from(row: &Row) -> StoredCheckpoint {
    StoredCheckpoint {
        id: row.get(0),
        size: row.get::<_, i64>(1) as u64,
        note: row.get(2),
        recorded: row.get(3),
    }
}

impl LedgerStore for PgStore {
    fn append_ledger(
        &mut self,
        kind: &str,
        record: &[u8],
        leaf_hash: &[u8; 32],
        at: &str,
    ) -> Result<u64, StoreError> {
        let database = without_password(&self.url);
        let err = pg_error(&database, "append to the ledger");
        let mut tx = self.locked_transaction(LEDGER_LOCK, err)?;
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
        self.one_row(
            "read the latest checkpoint",
            "SELECT id, size, note, recorded FROM checkpoints ORDER BY id DESC LIMIT 1",
            &[],
            checkpoint_from,
        )
    }
    fn payloads(&mut self, entitlement: &str) -> Result<Vec<Payload>, StoreError> {
        self.all_rows(
            "read the payloads",
            "SELECT id, entitlement, name, plain_sha256, cipher_sha256, ciphertext FROM payloads \
             WHERE entitlement = $1 ORDER BY id",
            &[&entitlement],
            |row| Payload {
                id: row.get(0),
                entitlement: row.get(1),
                name: row.get(2),
                plain_sha256: row.get(3),
                cipher_sha256: row.get(4),
                ciphertext: row.get(5),
            },
        )
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
    fn checkpoints(&mut self) -> Result<Vec<StoredCheckpoint>, StoreError> {
        self.all_rows(
            "read the checkpoints",
            "SELECT id, size, note, recorded FROM checkpoints ORDER BY id",
            &[],
            checkpoint_from,
        )
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
}
