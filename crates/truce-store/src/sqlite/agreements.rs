//! The agreement's versions as the store keeps them: every text checked or put
//! in force, once per name and text, found again by name or by the hash of its
//! canonical text.

use super::Store;
use crate::{AgreementStore, AgreementVersion, StoreError, canonical_agreement};
use rusqlite::params;

impl AgreementStore for Store {
    /// Records a version of an agreement (its text made canonical: CRLF → LF).
    /// The same name and text again is not stored twice.
    fn record_agreement(
        &mut self,
        name: &str,
        text: &str,
        at: &str,
    ) -> Result<AgreementVersion, StoreError> {
        let action = "record the agreement";
        let (canonical, sha256) = canonical_agreement(text);
        let inserted = self.execute(action, "INSERT OR IGNORE INTO agreements (name, sha256, text, recorded) VALUES (?1, ?2, ?3, ?4)",
                params![name, sha256, canonical, at])?;
        let id = self
            .conn
            .query_row(
                "SELECT id FROM agreements WHERE name = ?1 AND sha256 = ?2",
                params![name, sha256],
                |row| row.get(0),
            )
            .map_err(|e| self.sql(action, e))?;
        Ok(AgreementVersion {
            id,
            sha256,
            new: inserted > 0,
        })
    }

    /// Every recorded version of the agreement `name`, oldest first: (sha256, text, recorded).
    fn agreement_versions(
        &mut self,
        name: &str,
    ) -> Result<Vec<(String, String, String)>, StoreError> {
        self.all_rows(
            "read the agreements",
            "SELECT sha256, text, recorded FROM agreements WHERE name = ?1 ORDER BY id",
            params![name],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
    }

    /// The text of the agreement version whose canonical text has this sha256
    /// (under whatever name it was recorded).
    fn agreement_text(&mut self, sha256: &str) -> Result<Option<String>, StoreError> {
        self.one_row(
            "read an agreement version",
            "SELECT text FROM agreements WHERE sha256 = ?1 ORDER BY id LIMIT 1",
            params![sha256],
            |row| row.get(0),
        )
    }
}
