//! The agreement versions in the PostgreSQL store.

use super::PgStore;
use crate::{AgreementStore, AgreementVersion, StoreError, canonical_agreement};

impl AgreementStore for PgStore {
    fn record_agreement(
        &mut self,
        name: &str,
        text: &str,
        at: &str,
    ) -> Result<AgreementVersion, StoreError> {
        let (canonical, sha256) = canonical_agreement(text);
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
        self.all_rows(
            "read the agreements",
            "SELECT sha256, text, recorded FROM agreements WHERE name = $1 ORDER BY id",
            &[&name],
            |r| (r.get(0), r.get(1), r.get(2)),
        )
    }
    fn agreement_text(&mut self, sha256: &str) -> Result<Option<String>, StoreError> {
        let texts = self.all_rows(
            "read an agreement version",
            "SELECT text FROM agreements WHERE sha256 = $1 ORDER BY id LIMIT 1",
            &[&sha256],
            |r| r.get(0),
        )?;
        Ok(texts.into_iter().next())
    }
}
