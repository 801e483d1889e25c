//! Public incident ids: opaque, stable for one store, and not computable from
//! a source's id without the store's secret key (issue 15: an unkeyed hash let
//! anyone find the source row behind a public id by hashing candidates).

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The secret public incident ids are made with: kept in the store (one per
/// mission), never in an answer, a ledger record or a bundle, so no one can
/// go from a source row to its public id or back by hashing candidates.
pub struct PublicIdKey(pub Vec<u8>);

impl std::fmt::Debug for PublicIdKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PublicIdKey(…)")
    }
}

/// An incident's id as the public sees it: opaque, stable for one store, not
/// naming the source, and not computable without the store's key
/// (HMAC-SHA256 of the incident's own id).
pub fn public_incident_id(key: &PublicIdKey, id: &str) -> String {
    // HMAC accepts a key of any length: this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key.0)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(id.as_bytes());
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("incident-{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_ids_do_not_name_the_source_and_need_the_key() {
        let key = PublicIdKey(b"one mission's key".to_vec());
        let id = public_incident_id(&key, "ucdp-ged:233200");
        assert!(id.starts_with("incident-") && !id.contains("ucdp"));
        assert_eq!(id, public_incident_id(&key, "ucdp-ged:233200"));
        // Another mission's key gives another id; the unkeyed hash is not it.
        let other = PublicIdKey(b"another mission's key".to_vec());
        assert_ne!(id, public_incident_id(&other, "ucdp-ged:233200"));
        let unkeyed: String = <Sha256 as sha2::Digest>::digest(b"ucdp-ged:233200")
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_ne!(id, format!("incident-{unkeyed}"));
    }
}
