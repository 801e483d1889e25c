//! The ledger, its checkpoints and the entitlements' payloads in the PostgreSQL store.

use super::{LEDGER_LOCK, PgStore, append_in, without_password};
use crate::ledger::to_hash;
use crate::{
    LedgerEntry, LedgerRecord, LedgerStore, Payload, StoreError, StoredCheckpoint, sha256_hex,
};

impl LedgerStore for PgStore {
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
