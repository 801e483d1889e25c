//! The agreement's life as the ledger records it: versions recorded, brackets
//! resolved, entitlements released, suspended and handed over. These are dated
//! lines for the chronology, beside the engine's own (clauses in force, step
//! windows, steps met), which come from the agreement and the evidence.
//!
//! Each line is dated by the day its record was made, in the agreement's local
//! time (`utc_offset_minutes`), and only records the reader may see are told.

use crate::MissionError;
use crate::disclosure::{Audience, Readable, readable};
use crate::record::{By, Record, RecordKind};
use serde::Deserialize;
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

/// Who a record says acted, in words: a name, or a pseudonymous user's role and
/// the pseudonym the mission can match.
fn by_whom(by: Option<&By>) -> Option<String> {
    match by? {
        By::Name(name) if !name.is_empty() => Some(name.clone()),
        By::Name(_) => None,
        By::Actor(actor) => Some(match (&actor.name, &actor.pseudonym) {
            (Some(name), _) => name.clone(),
            (None, Some(pseudonym)) => format!("{} {pseudonym}", actor.role),
            (None, None) => actor.role.clone(),
        }),
    }
}

/// The chronology's line for one record of the agreement's life, or `None` when the
/// record is of another agreement (a store may hold several) or not of its life.
fn line_of(record: &Record, agreement: &Agreement) -> Option<String> {
    let known_entitlement = |id: &str| agreement.entitlements.iter().any(|e| e.id == id);
    let by = |by: Option<&By>| by_whom(by).map_or_else(String::new, |who| format!(" by {who}"));
    let text = match record {
        Record::AgreementVersion(version) if version.agreement == agreement.id => {
            let sha = version.canonical_sha256.as_str();
            // The file's name only: the folder it was read from is the server's business.
            let name = std::path::Path::new(&version.name)
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or(&version.name);
            format!(
                "agreement version {} recorded (`{name}`)",
                sha.get(..12).unwrap_or(sha),
            )
        }
        Record::BracketResolution(resolution) if resolution.agreement == agreement.id => format!(
            "bracket `{}` resolved: {}, signed by {}",
            resolution.bracket,
            resolution.alternative,
            if resolution.signed_by.is_empty() {
                "no one".to_string()
            } else {
                resolution.signed_by.join(" and ")
            }
        ),
        Record::EntitlementRelease(release)
            if release.agreement == agreement.id && known_entitlement(&release.entitlement) =>
        {
            format!(
                "entitlement `{}` released to {}{}: {}",
                release.entitlement,
                release.to,
                by(Some(&release.by)),
                release.reason
            )
        }
        Record::EntitlementSuspension(suspension)
            if suspension.agreement == agreement.id
                && known_entitlement(&suspension.entitlement) =>
        {
            format!(
                "entitlement `{}` suspended{}: {}",
                suspension.entitlement,
                by(Some(&suspension.by)),
                suspension.reason
            )
        }
        // A hand-over names no agreement: its entitlement tells whose it is.
        Record::EntitlementHandover(hand_over) if known_entitlement(&hand_over.entitlement) => {
            format!(
                "entitlement `{}`: {} payload file(s) handed over to {}{}",
                hand_over.entitlement,
                hand_over.files.len(),
                hand_over.to,
                by(hand_over.by.as_ref())
            )
        }
        _ => return None,
    };
    Some(text)
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
        // A record that does not read as its type (written by another program) is
        // not part of the chronology; `truce ledger verify` names it.
        let Ok(record) = Record::deserialize(&record) else {
            continue;
        };
        let Some(text) = line_of(&record, agreement) else {
            continue;
        };
        let day = local_day(record.at(), agreement.utc_offset_minutes)
            .or_else(|| local_day(&entry.recorded, agreement.utc_offset_minutes));
        let what = record.kind().to_string();
        if let Some(day) = day {
            // Recorded text, as the ledger keeps it.
            let text = truce_model::message::Message::new("chronology-ledger").with("text", text);
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
