//! Agreement versions into the ledger, with the key rotations they carry.
//!
//! A party's or the mission's keys live in the agreement file; a new version that
//! adds or drops a key is a key rotation. It is appended as its own record right
//! after the version's, so a liaison reading the log sees "usa: key X added, key Y
//! removed" without comparing versions by hand.

use crate::ledger;
use anyhow::Result;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::Path;
use truce_model::agreement::Agreement;
use truce_store::Store;

/// The keys of the last agreement-version record of agreement `id`, by holder
/// (`mission` or `party:<id>`).
fn last_keys(store: &Store, id: &str) -> Result<Option<Vec<(String, BTreeSet<String>)>>> {
    let mut last = None;
    for entry in store.ledger_entries(0, store.ledger_len()?)? {
        if entry.kind != "agreement-version" {
            continue;
        }
        let Ok(record) = serde_json::from_slice::<Value>(&entry.record) else {
            continue;
        };
        if record["agreement"].as_str() == Some(id) {
            last = Some(keys_of(&record));
        }
    }
    Ok(last)
}

fn keys_of(record: &Value) -> Vec<(String, BTreeSet<String>)> {
    let set = |v: &Value| -> BTreeSet<String> {
        v.as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    };
    let mut holders = vec![("mission".to_string(), set(&record["mission_keys"]))];
    for party in record["party_keys"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
    {
        holders.push((
            format!("party:{}", party["party"].as_str().unwrap_or("")),
            set(&party["keys"]),
        ));
    }
    holders
}

/// Appends the record of a new agreement version and, when its keys differ from
/// the previous version's, a `key-rotation` record naming what changed.
pub fn record(
    store: &mut Store,
    agreement: &Agreement,
    agreement_path: &Path,
    name: &str,
    source: &str,
    canonical_sha256: &str,
) -> Result<()> {
    let before = last_keys(store, &agreement.id)?;
    let record = ledger::agreement_version_record(
        agreement,
        agreement_path,
        name,
        source,
        canonical_sha256,
    )?;
    let after = keys_of(&record);
    ledger::append(store, record)?;
    let Some(before) = before else {
        return Ok(());
    };
    let mut changes = Vec::new();
    let holders: BTreeSet<&String> = before.iter().chain(&after).map(|(h, _)| h).collect();
    for holder in holders {
        let empty = BTreeSet::new();
        let old = before
            .iter()
            .find(|(h, _)| h == holder)
            .map_or(&empty, |(_, k)| k);
        let new = after
            .iter()
            .find(|(h, _)| h == holder)
            .map_or(&empty, |(_, k)| k);
        if old != new {
            changes.push(json!({
                "holder": holder,
                "added": new.difference(old).collect::<Vec<_>>(),
                "removed": old.difference(new).collect::<Vec<_>>(),
            }));
        }
    }
    if !changes.is_empty() {
        ledger::append(
            store,
            json!({
                "type": "key-rotation",
                "at": crate::store::now(),
                "agreement": agreement.id,
                "agreement_sha256": canonical_sha256,
                "changes": changes,
            }),
        )?;
    }
    Ok(())
}
