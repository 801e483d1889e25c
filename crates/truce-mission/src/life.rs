//! The agreement's life as the ledger records it: versions recorded, brackets
//! resolved, entitlements released, suspended and handed over. These are dated
//! lines for the chronology, beside the engine's own (clauses in force, step
//! windows, steps met), which come from the agreement and the evidence.
//!
//! Each line is dated by the day its record was made, in the agreement's local
//! time (`utc_offset_minutes`), and only records the reader may see are told.

use crate::MissionError;
use crate::disclosure::{Audience, Readable, readable};
use crate::record::RecordKind;
use serde_json::Value;
use truce_engine::timeline::Entry;
use truce_model::agreement::Agreement;
use truce_model::time::Day;
use truce_store::Storage;

/// The ledger record types that are part of the agreement's life.
pub const LIFE_RECORD_TYPES: [RecordKind; 5] = [
    RecordKind::AgreementVersion,
    RecordKind::BracketResolution,
    RecordKind::EntitlementRelease,
    RecordKind::EntitlementSuspension,
    RecordKind::EntitlementHandover,
];

/// The local day of an RFC 3339 time, in the agreement's time.
pub fn local_day(at: &str, utc_offset_minutes: i32) -> Option<Day> {
    let timestamp: jiff::Timestamp = at.parse().ok()?;
    let offset = jiff::tz::Offset::from_seconds(utc_offset_minutes.checked_mul(60)?).ok()?;
    let date = offset.to_datetime(timestamp).date();
    Day::from_ymd(
        i32::from(date.year()),
        u32::try_from(date.month()).ok()?,
        u32::try_from(date.day()).ok()?,
    )
}

fn text_of(value: &Value) -> &str {
    value.as_str().unwrap_or("?")
}

/// Who a record says acted, in words: a name, or `{role, name}` from the server.
fn by_whom(by: &Value) -> Option<String> {
    match by {
        Value::String(name) if !name.is_empty() => Some(name.clone()),
        Value::Object(object) => {
            let text = |key: &str| object.get(key).and_then(Value::as_str);
            match (text("name"), text("role"), text("pseudonym")) {
                (Some(name), _, _) => Some(name.to_string()),
                // A pseudonymous user: the role, and the pseudonym the mission can match.
                (None, Some(role), Some(pseudonym)) => Some(format!("{role} {pseudonym}")),
                (None, role, pseudonym) => role.or(pseudonym).map(str::to_string),
            }
        }
        _ => None,
    }
}

/// The chronology's line for one record of the agreement's life, or `None` when the
/// record is of another agreement (a store may hold several).
fn line_of(kind: RecordKind, record: &Value, agreement: &Agreement) -> Option<(String, String)> {
    let of_this_agreement = record
        .get("agreement")
        .and_then(Value::as_str)
        .is_none_or(|id| id == agreement.id);
    if !of_this_agreement {
        return None;
    }
    let by = by_whom(&record["by"]).map_or_else(String::new, |who| format!(" by {who}"));
    let text = match kind {
        RecordKind::AgreementVersion => {
            let sha = text_of(&record["canonical_sha256"]);
            // The file's name only: the folder it was read from is the server's business.
            let name = text_of(&record["name"]);
            let name = std::path::Path::new(name)
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or(name);
            format!(
                "agreement version {} recorded (`{name}`)",
                sha.get(..12).unwrap_or(sha),
            )
        }
        RecordKind::BracketResolution => {
            let signed: Vec<&str> = record["signed_by"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or(&[])
                .iter()
                .filter_map(Value::as_str)
                .collect();
            format!(
                "bracket `{}` resolved: {}, signed by {}",
                text_of(&record["bracket"]),
                text_of(&record["alternative"]),
                if signed.is_empty() {
                    "no one".to_string()
                } else {
                    signed.join(" and ")
                }
            )
        }
        RecordKind::EntitlementRelease => {
            let entitlement = text_of(&record["entitlement"]);
            if !agreement.entitlements.iter().any(|e| e.id == entitlement) {
                return None;
            }
            format!(
                "entitlement `{entitlement}` released to {}{by}: {}",
                text_of(&record["to"]),
                text_of(&record["reason"])
            )
        }
        RecordKind::EntitlementSuspension => {
            let entitlement = text_of(&record["entitlement"]);
            if !agreement.entitlements.iter().any(|e| e.id == entitlement) {
                return None;
            }
            format!(
                "entitlement `{entitlement}` suspended{by}: {}",
                text_of(&record["reason"])
            )
        }
        RecordKind::EntitlementHandover => {
            let entitlement = text_of(&record["entitlement"]);
            if !agreement.entitlements.iter().any(|e| e.id == entitlement) {
                return None;
            }
            let files = record["files"].as_array().map_or(0, Vec::len);
            format!(
                "entitlement `{entitlement}`: {files} payload file(s) handed over to {}{by}",
                text_of(&record["to"])
            )
        }
        _ => return None,
    };
    Some((kind.to_string(), text))
}

/// The agreement's life from `store`'s ledger, as `audience` may read it, in ledger
/// order. A record whose time cannot be read is dated by when the store appended it.
pub fn life_entries(
    store: &mut dyn Storage,
    agreement: &Agreement,
    audience: &Audience,
) -> Result<Vec<Entry>, MissionError> {
    let kinds: Vec<&str> = LIFE_RECORD_TYPES.iter().map(|k| k.as_str()).collect();
    let entries = store.ledger_entries_of(&kinds, 0, u64::MAX)?;
    let mut out = Vec::new();
    for entry in entries {
        let Readable::Record(record) = readable(&entry.kind, &entry.record, agreement, audience)
        else {
            continue;
        };
        let Some(kind) = RecordKind::parse(&entry.kind) else {
            continue;
        };
        let Some((what, text)) = line_of(kind, &record, agreement) else {
            continue;
        };
        let day = record
            .get("at")
            .and_then(Value::as_str)
            .and_then(|at| local_day(at, agreement.utc_offset_minutes))
            .or_else(|| local_day(&entry.recorded, agreement.utc_offset_minutes));
        if let Some(day) = day {
            out.push(Entry { day, what, text });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_dated_by_the_agreements_local_day() {
        let utc = local_day("2016-09-12T22:30:00Z", 0).expect("a day");
        assert_eq!(Some(utc), Day::from_ymd(2016, 9, 12));
        // Damascus in 2016: UTC+3, so 22:30 UTC is the next local day.
        let damascus = local_day("2016-09-12T22:30:00Z", 180).expect("a day");
        assert_eq!(Some(damascus), Day::from_ymd(2016, 9, 13));
        let west = local_day("2016-09-12T01:00:00+00:00", -300).expect("a day");
        assert_eq!(Some(west), Day::from_ymd(2016, 9, 11));
        assert_eq!(local_day("yesterday", 0), None);
        assert_eq!(local_day("2016-09-12T22:30:00Z", i32::MAX), None);
    }
}
