//! The agreement's life as the ledger records it: versions recorded, brackets
//! resolved, entitlements released, suspended and handed over. These are dated
//! lines for the chronology, beside the engine's own (clauses in force, step
//! windows, steps met), which come from the agreement and the evidence.
//!
//! Each line is dated by the day its record was made, in the agreement's local
//! time (`utc_offset_minutes`), and only records the reader may see are told.
//! Each is a sentence of the catalogue (`chronology-…` in `truce-words`'
//! `steps.ftl`): the CLI writes it in English, the server in the reader's language.

use crate::MissionError;
use crate::disclosure::{Audience, Readable, readable};
use crate::record::{By, Record, RecordKind};
use serde::Deserialize;
use truce_engine::timeline::Entry;
use truce_model::agreement::Agreement;
use truce_model::message::{Arg, Message};
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

/// Who a record says acted, as the sentence places it (` by …`, or nothing): a
/// name, or a pseudonymous user's role and the pseudonym the mission can match.
fn by_whom(by: Option<&By>) -> Message {
    let who = match by {
        Some(By::Name(name)) if !name.is_empty() => Arg::verbatim(name),
        Some(By::Actor(actor)) => match (&actor.name, &actor.pseudonym) {
            (Some(name), _) => Arg::verbatim(name),
            (None, Some(pseudonym)) => Message::new("chronology-by-pseudonym")
                .with("role", Arg::verbatim(&actor.role))
                .with("pseudonym", Arg::verbatim(pseudonym))
                .into(),
            (None, None) => Arg::verbatim(&actor.role),
        },
        _ => return Message::new("chronology-by-no-one"),
    };
    Message::new("chronology-by").with("who", who)
}

/// Names joined by the language's "and" (`a and b and c`), or "no one".
fn all_of(names: &[String]) -> Arg {
    let mut names = names.iter();
    let Some(first) = names.next() else {
        return Message::new("chronology-no-one").into();
    };
    names.fold(Arg::verbatim(first), |left, right| {
        Message::new("chronology-and")
            .with("left", left)
            .with("right", Arg::verbatim(right))
            .into()
    })
}

/// The chronology's sentence for one record of the agreement's life, or `None`
/// when the record is of another agreement (a store may hold several) or not of
/// its life.
pub fn line_of(record: &Record, agreement: &Agreement) -> Option<Message> {
    let known_entitlement = |id: &str| agreement.entitlements.iter().any(|e| e.id == id);
    let line = match record {
        Record::AgreementVersion(version) if version.agreement == agreement.id => {
            let sha = version.canonical_sha256.as_str();
            // The file's name only: the folder it was read from is the server's business.
            let name = std::path::Path::new(&version.name)
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or(&version.name);
            Message::new("chronology-agreement-version")
                .with("sha256", Arg::verbatim(sha.get(..12).unwrap_or(sha)))
                .with("name", Arg::verbatim(name))
        }
        Record::BracketResolution(resolution) if resolution.agreement == agreement.id => {
            Message::new("chronology-bracket-resolution")
                .with("bracket", Arg::verbatim(&resolution.bracket))
                .with("alternative", Arg::verbatim(&resolution.alternative))
                .with("signers", all_of(&resolution.signed_by))
        }
        Record::EntitlementRelease(release)
            if release.agreement == agreement.id && known_entitlement(&release.entitlement) =>
        {
            Message::new("chronology-entitlement-release")
                .with("entitlement", Arg::verbatim(&release.entitlement))
                .with("to", Arg::verbatim(&release.to))
                .with("by", by_whom(Some(&release.by)))
                .with("reason", Arg::verbatim(&release.reason))
        }
        Record::EntitlementSuspension(suspension)
            if suspension.agreement == agreement.id
                && known_entitlement(&suspension.entitlement) =>
        {
            Message::new("chronology-entitlement-suspension")
                .with("entitlement", Arg::verbatim(&suspension.entitlement))
                .with("by", by_whom(Some(&suspension.by)))
                .with("reason", Arg::verbatim(&suspension.reason))
        }
        // A hand-over names no agreement: its entitlement tells whose it is.
        Record::EntitlementHandover(hand_over) if known_entitlement(&hand_over.entitlement) => {
            Message::new("chronology-entitlement-handover")
                .with("entitlement", Arg::verbatim(&hand_over.entitlement))
                .with("files", Arg::number(hand_over.files.len()))
                .with("to", Arg::verbatim(&hand_over.to))
                .with("by", by_whom(hand_over.by.as_ref()))
        }
        _ => return None,
    };
    Some(line)
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
        if let Some(day) = day {
            out.push(Entry {
                day,
                what: record.kind().to_string(),
                text,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::RecordKind;
    use serde_json::json;
    use truce_words::Language;

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

    /// One record of each type of the agreement's life, some by name, some by
    /// pseudonym, one by no one, and a resolution signed by two parties and by none.
    /// (Types that look like catalogue keys are named through `RecordKind`.)
    fn records(agreement: &str) -> Vec<Record> {
        let check = json!({"as_of": "2016-09-20", "findings_sha256": "f", "evidence_sha256": "e"});
        let values = [
            json!({"type": "agreement-version", "at": "2016-09-12T10:00:00Z", "agreement": agreement,
                "name": "/srv/mission/agreement.toml", "file_sha256": "a".repeat(64),
                "canonical_sha256": "0123456789abcdef".repeat(4), "files": [], "mission_keys": [], "party_keys": []}),
            json!({"type": "bracket-resolution", "at": "2016-09-13T23:30:00Z", "agreement": agreement,
                "from_sha256": "1", "to_sha256": "2", "bracket": "jic-start", "alternative": "seven-days",
                "signed_by": ["russia", "usa"], "signatures": []}),
            json!({"type": "bracket-resolution", "at": "2016-09-14T00:00:00Z", "agreement": agreement,
                "from_sha256": "1", "to_sha256": "2", "bracket": "jic-start", "alternative": "ten-days",
                "signed_by": [], "signatures": []}),
            json!({"type": RecordKind::EntitlementRelease.as_str(), "at": "2016-09-20T08:00:00Z", "agreement": agreement,
                "entitlement": "us-intelligence-to-russia", "to": "russia", "step": "joint-implementation-center",
                "reason": "the JIC is set up", "by": {"role": "mission-admin", "pseudonym": "p-3f2a"},
                "check": check, "payload": []}),
            json!({"type": RecordKind::EntitlementSuspension.as_str(), "at": "2016-09-21T08:00:00Z", "agreement": agreement,
                "entitlement": "us-intelligence-to-russia", "by": "Chief of mission", "reason": "strikes resumed",
                "step_still_holds": false, "step_reason": "not met", "check": check}),
            json!({"type": RecordKind::EntitlementHandover.as_str(), "at": "2016-09-22T08:00:00Z",
                "entitlement": "us-intelligence-to-russia", "to": "russia",
                "files": [{"name": "a.bin", "cipher_sha256": "c"}, {"name": "b.bin", "cipher_sha256": "d"}]}),
            json!({"type": RecordKind::EntitlementHandover.as_str(), "at": "2016-09-23T08:00:00Z",
                "entitlement": "us-intelligence-to-russia", "to": "russia", "files": [],
                "by": {"role": "analyst", "name": "Amal"}}),
        ];
        values
            .into_iter()
            .map(|v| serde_json::from_value(v).expect("a record"))
            .collect()
    }

    /// Every type of record reads as the chronology has always written it in English
    /// (the same words as before the lines came from the catalogue), on the local
    /// day of its time; in Arabic no English word is left once the values placed are
    /// taken out.
    #[test]
    fn the_agreements_life_reads_in_english_and_in_arabic_too() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let folder = root.join("examples/syria-2016");
        let text = std::fs::read_to_string(folder.join("agreement.toml")).expect("the example");
        struct Beside(std::path::PathBuf);
        impl truce_model::agreement::Files for Beside {
            fn read(&self, path: &str) -> Result<Vec<u8>, String> {
                std::fs::read(self.0.join(path)).map_err(|e| e.to_string())
            }
        }
        let agreement = truce_model::agreement::load("agreement.toml", &text, &Beside(folder))
            .agreement
            .expect("the agreement");
        let dir = tempfile::tempdir().expect("a folder");
        let database = dir.path().join("mission.db").display().to_string();
        let mut store = truce_store::open_storage(&database).expect("a store");
        for record in records(&agreement.id) {
            crate::append(store.as_mut(), &record, record.at()).expect("appended");
        }
        let entries = life_entries(store.as_mut(), &agreement, &Audience::Staff).expect("read");
        let english: Vec<String> = entries
            .iter()
            .map(|e| truce_words::english(&e.text))
            .collect();
        assert_eq!(
            english,
            [
                "agreement version 0123456789ab recorded (`agreement.toml`)",
                "bracket `jic-start` resolved: seven-days, signed by russia and usa",
                "bracket `jic-start` resolved: ten-days, signed by no one",
                "entitlement `us-intelligence-to-russia` released to russia by mission-admin p-3f2a: the JIC is set up",
                "entitlement `us-intelligence-to-russia` suspended by Chief of mission: strikes resumed",
                "entitlement `us-intelligence-to-russia`: 2 payload file(s) handed over to russia",
                "entitlement `us-intelligence-to-russia`: 0 payload file(s) handed over to russia by Amal",
            ]
        );
        // Damascus is UTC+3 in the example: 23:30 UTC on the 13th is the 14th there.
        assert_eq!(Some(entries[1].day), Day::from_ymd(2016, 9, 14));
        for entry in &entries {
            let arabic = truce_words::render(&entry.text, Language::Arabic);
            let own = truce_words::own_words(&arabic);
            assert!(
                !own.chars().any(|c| c.is_ascii_alphabetic()),
                "English left in `{arabic}`"
            );
            assert!(
                own.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
                "{arabic}"
            );
        }
    }
}
