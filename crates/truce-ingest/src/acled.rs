//! ACLED rows → reports.
//!
//! Reads every ACLED CSV layout by column name: the API output (numeric
//! `inter1`/`inter2` codes, `DD/MM/YYYY 00:00:00` dates), the data export tool
//! (text actor-type labels, `16 May 2025` dates) and reduced layouts such as the
//! benchmark's 16 columns (no `time_precision`: dates are to the day). An
//! event's kind comes from `event_type` and `sub_event_type` at the depth ACLED
//! states it, never deeper. See `docs/sources.md` for the whole mapping.

use crate::Format;
use crate::error::RowProblem;
use crate::parse;
use crate::table::{Header, NotReport, Row, RowReader};
use truce_model::report::{
    ActorCategory, Casualties, Location, LocationPrecision, LonLat, Provenance, Report, Role, Side,
};
use truce_model::time::{DatePrecision, DateSpan};

/// The ACLED reader.
pub(crate) struct AcledReader;

/// Column indexes of an ACLED header (`Option` for the columns a file may lack).
pub(crate) struct AcledColumns {
    event_id_cnty: usize,
    event_date: usize,
    time_precision: Option<usize>,
    event_type: usize,
    sub_event_type: Option<usize>,
    actor1: usize,
    assoc_actor_1: Option<usize>,
    inter1: Option<usize>,
    actor2: Option<usize>,
    assoc_actor_2: Option<usize>,
    inter2: Option<usize>,
    country: Option<usize>,
    admin1: Option<usize>,
    admin2: Option<usize>,
    location: Option<usize>,
    latitude: usize,
    longitude: usize,
    geo_precision: usize,
    source: Option<usize>,
    notes: Option<usize>,
    fatalities: Option<usize>,
    timestamp: Option<usize>,
}

/// `(sub-event type, kind)` pairs of one event type.
type SubKinds = &'static [(&'static str, &'static str)];

/// ACLED's event types, the kind each maps to, and its sub-event types' kinds.
/// A sub-event type not listed here gets its event type's kind.
pub(crate) const EVENT_TYPES: &[(&str, &str, SubKinds)] = &[
    (
        "Battles",
        "armed-clash",
        &[
            ("Armed clash", "armed-clash"),
            ("Government regains territory", "territory-taken"),
            ("Non-state actor overtakes territory", "territory-taken"),
        ],
    ),
    (
        "Explosions/Remote violence",
        "remote-violence",
        &[
            ("Air/drone strike", "air-strike"),
            ("Shelling/artillery/missile attack", "shelling"),
            ("Remote explosive/landmine/IED", "explosive-device"),
            ("Suicide bomb", "suicide-bombing"),
            ("Grenade", "grenade"),
            ("Chemical weapon", "chemical-weapon"),
        ],
    ),
    (
        "Violence against civilians",
        "violence-against-civilians",
        &[
            ("Attack", "attack-on-civilians"),
            ("Abduction/forced disappearance", "abduction"),
            ("Sexual violence", "sexual-violence"),
        ],
    ),
    ("Protests", "protest", &[]),
    ("Riots", "riot", &[]),
    (
        "Strategic developments",
        "strategic-development",
        &[
            ("Arrests", "arrest"),
            ("Looting/property destruction", "looting"),
            ("Headquarters or base established", "base-established"),
            ("Non-violent transfer of territory", "territory-transfer"),
            ("Agreement", "agreement"),
            ("Disrupted weapons use", "disrupted-weapons-use"),
            ("Change to group/activity", "group-change"),
            ("Other", "strategic-development"),
        ],
    ),
];

const VIOLENCE_AGAINST_CIVILIANS: &str = "Violence against civilians";

/// The kind for an event type and sub-event type, or `None` for an unknown event type.
pub(crate) fn kind(event_type: &str, sub_event_type: &str) -> Option<&'static str> {
    let (_, kind, subs) = EVENT_TYPES
        .iter()
        .find(|(name, _, _)| name.eq_ignore_ascii_case(event_type))?;
    Some(
        subs.iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(sub_event_type))
            .map_or(*kind, |(_, sub_kind)| *sub_kind),
    )
}

fn unknown_event_type() -> String {
    let known: Vec<String> = EVENT_TYPES
        .iter()
        .map(|(name, _, _)| format!("`{name}`"))
        .collect();
    format!("expected an ACLED event type: {}", known.join(", "))
}

const INTER_EXPECTED: &str = "expected an ACLED actor type: a code 0–8 or a label (State forces, Rebel group, \
                              Political militia, Identity militia, Rioters, Protesters, Civilians, External/Other forces)";

/// An ACLED actor type (`inter1`/`inter2`), numeric code or text label:
/// `Ok(None)` for "no actor" (`0` or empty), `Err(())` when unknown.
pub(crate) fn actor_category(text: &str) -> Result<Option<ActorCategory>, ()> {
    let category = match text {
        "" | "0" => return Ok(None),
        "1" => ActorCategory::StateForces,
        "2" => ActorCategory::Rebels,
        "3" | "4" => ActorCategory::Militia,
        "5" => ActorCategory::Rioters,
        "6" => ActorCategory::Protesters,
        "7" => ActorCategory::Civilians,
        "8" => ActorCategory::External,
        _ => match text.to_ascii_lowercase().as_str() {
            "state forces" => ActorCategory::StateForces,
            "rebel group" | "rebel groups" | "rebels" => ActorCategory::Rebels,
            "political militia" | "political militias" | "identity militia"
            | "identity militias" => ActorCategory::Militia,
            "rioters" => ActorCategory::Rioters,
            "protesters" => ActorCategory::Protesters,
            "civilians" => ActorCategory::Civilians,
            "external/other forces" | "external/other" | "other forces" | "external forces" => {
                ActorCategory::External
            }
            _ => return Err(()),
        },
    };
    Ok(Some(category))
}

/// For files without an `inter` column: ACLED's generic actor names
/// (`Civilians (Syria)`, `Protesters (Syria)`, `Rioters (Syria)`) state the type.
fn category_from_name(name: &str) -> Option<ActorCategory> {
    let generic = |prefix: &str| {
        name == prefix
            || name
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with(" ("))
    };
    if generic("Civilians") {
        Some(ActorCategory::Civilians)
    } else if generic("Protesters") {
        Some(ActorCategory::Protesters)
    } else if generic("Rioters") {
        Some(ActorCategory::Rioters)
    } else {
        None
    }
}

/// Columns whose presence together marks an ACLED header.
pub(crate) const ACLED_MARKERS: [&str; 2] = ["event_id_cnty", "actor1"];

impl RowReader for AcledReader {
    type Columns = AcledColumns;

    fn format(&self) -> Format {
        Format::Acled
    }

    fn columns(&self, h: &Header) -> Result<AcledColumns, &'static str> {
        Ok(AcledColumns {
            event_id_cnty: h.require("event_id_cnty")?,
            event_date: h.require("event_date")?,
            time_precision: h.find("time_precision"),
            event_type: h.require("event_type")?,
            sub_event_type: h.find("sub_event_type"),
            actor1: h.require("actor1")?,
            assoc_actor_1: h.find("assoc_actor_1"),
            inter1: h.find("inter1"),
            actor2: h.find("actor2"),
            assoc_actor_2: h.find("assoc_actor_2"),
            inter2: h.find("inter2"),
            country: h.find("country"),
            admin1: h.find("admin1"),
            admin2: h.find("admin2"),
            location: h.find("location"),
            latitude: h.require("latitude")?,
            longitude: h.require("longitude")?,
            geo_precision: h.require("geo_precision")?,
            source: h.find("source"),
            notes: h.find("notes"),
            fatalities: h.find("fatalities"),
            timestamp: h.find("timestamp"),
        })
    }

    fn report(&self, c: &AcledColumns, row: &Row<'_>) -> Result<Report, NotReport> {
        let id = row.get(c.event_id_cnty);
        if id.is_empty() {
            return Err(row
                .problem(c.event_id_cnty, "expected the event's ACLED id")
                .into());
        }
        let event_type = row.get(c.event_type);
        let sub_event_type = row.opt(c.sub_event_type);
        let kind = kind(event_type, sub_event_type)
            .ok_or_else(|| row.problem(c.event_type, unknown_event_type()))?;
        let kind_label = if sub_event_type.is_empty() {
            event_type.to_string()
        } else {
            format!("{event_type} / {sub_event_type}")
        };

        let date = self.date(c, row)?;
        let location = self.location(c, row)?;
        let sides = self.sides(c, row, event_type)?;
        let casualties = match c.fatalities {
            Some(col) if !row.get(col).is_empty() => {
                let n = parse::count(row.get(col)).ok_or_else(|| {
                    row.problem(
                        col,
                        "expected the number of fatalities (a whole number ≥ 0)",
                    )
                })?;
                Some(Casualties {
                    low: n,
                    best: n,
                    high: n,
                    civilians: None,
                })
            }
            _ => None,
        };
        let source_count = c.source.and_then(|col| {
            let n = row
                .get(col)
                .split(';')
                .filter(|s| !s.trim().is_empty())
                .count();
            (n > 0).then(|| u32::try_from(n).unwrap_or(u32::MAX))
        });

        Ok(Report {
            provenance: Provenance {
                source: "acled".to_string(),
                source_id: id.to_string(),
                file: row.file.to_string(),
                line: row.line,
                revision: parse::non_blank(row.opt(c.timestamp)),
                raw: Vec::new(),
            },
            date,
            location,
            kind: kind.to_string(),
            kind_label,
            sides,
            casualties,
            summary: parse::non_blank(row.opt(c.notes)),
            source_count,
            urls: Vec::new(),
            media: Vec::new(),
            text: None,
            aggregate: false,
        })
    }
}

impl AcledReader {
    fn date(&self, c: &AcledColumns, row: &Row<'_>) -> Result<DateSpan, RowProblem> {
        let day = parse::acled_date(row.get(c.event_date)).ok_or_else(|| {
            row.problem(c.event_date, "expected a date that exists (YYYY-MM-DD, D Month YYYY, DD-Month-YYYY or DD/MM/YYYY)")
        })?;
        let code = match c.time_precision {
            Some(col) => row.get(col),
            None => "1",
        };
        match code {
            "1" => Ok(DateSpan::day(day)),
            "2" => Ok(DateSpan { first: day.plus(-3), last: day.plus(3), precision: DatePrecision::Week }),
            "3" => Ok(DateSpan { first: day.month_start(), last: day.month_end(), precision: DatePrecision::Month }),
            _ => Err(row.problem(
                c.time_precision.unwrap_or(c.event_date),
                "expected an ACLED time precision code 1 (day), 2 (within a week) or 3 (within a month)",
            )),
        }
    }

    fn location(&self, c: &AcledColumns, row: &Row<'_>) -> Result<Location, RowProblem> {
        let precision = match row.get(c.geo_precision) {
            "1" => LocationPrecision::Exact,
            "2" => LocationPrecision::Near,
            "3" => LocationPrecision::Province,
            _ => {
                return Err(row.problem(
                    c.geo_precision,
                    "expected an ACLED geo precision code 1 (exact place), 2 (near a place) or 3 (province)",
                ));
            }
        };
        let lat = parse::degrees(row.get(c.latitude), 90.0).ok_or_else(|| {
            row.problem(
                c.latitude,
                "expected a latitude in decimal degrees between -90 and 90",
            )
        })?;
        let lon = parse::degrees(row.get(c.longitude), 180.0).ok_or_else(|| {
            row.problem(
                c.longitude,
                "expected a longitude in decimal degrees between -180 and 180",
            )
        })?;
        Ok(Location {
            point: Some(LonLat { lon, lat }),
            precision,
            place: parse::non_blank(row.opt(c.location)),
            admin1: parse::non_blank(row.opt(c.admin1)),
            admin2: parse::non_blank(row.opt(c.admin2)),
            country: parse::non_blank(row.opt(c.country)),
        })
    }

    fn side(
        &self,
        row: &Row<'_>,
        field: &str,
        actor: &str,
        assoc: &str,
        inter: Option<usize>,
    ) -> Result<Option<Side>, RowProblem> {
        let mut names = Vec::with_capacity(1);
        parse::names(actor, ";", &mut names);
        parse::names(assoc, ";", &mut names);
        if names.is_empty() {
            return Ok(None);
        }
        let category = match inter {
            Some(col) => {
                actor_category(row.get(col)).map_err(|()| row.problem(col, INTER_EXPECTED))?
            }
            None => category_from_name(actor),
        };
        Ok(Some(Side {
            field: field.to_string(),
            names,
            role: Role::Unknown,
            category,
        }))
    }

    fn sides(
        &self,
        c: &AcledColumns,
        row: &Row<'_>,
        event_type: &str,
    ) -> Result<Vec<Side>, RowProblem> {
        let actor1 = row.get(c.actor1);
        if actor1.is_empty() {
            return Err(row.problem(c.actor1, "expected the name of actor 1"));
        }
        let mut sides = Vec::with_capacity(2);
        if let Some(side) = self.side(row, "actor1", actor1, row.opt(c.assoc_actor_1), c.inter1)? {
            sides.push(side);
        }
        let actor2 = row.opt(c.actor2);
        if !actor2.is_empty()
            && let Some(side) =
                self.side(row, "actor2", actor2, row.opt(c.assoc_actor_2), c.inter2)?
        {
            sides.push(side);
        }
        // ACLED's order does not say who attacked whom, except that in violence
        // against civilians the civilians (actor 2) are the target.
        if event_type.eq_ignore_ascii_case(VIOLENCE_AGAINST_CIVILIANS)
            && sides.len() == 2
            && sides[1].category == Some(ActorCategory::Civilians)
        {
            sides[0].role = Role::Initiator;
            sides[1].role = Role::Target;
        }
        Ok(sides)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_at_the_depth_acled_states() {
        assert_eq!(
            kind("Explosions/Remote violence", "Air/drone strike"),
            Some("air-strike")
        );
        assert_eq!(
            kind("Explosions/Remote violence", "Something new"),
            Some("remote-violence")
        );
        assert_eq!(
            kind("Explosions/Remote violence", ""),
            Some("remote-violence")
        );
        assert_eq!(
            kind("Battles", "Non-state actor overtakes territory"),
            Some("territory-taken")
        );
        assert_eq!(kind("Protests", "Peaceful protest"), Some("protest"));
        assert_eq!(kind("Riots", "Mob violence"), Some("riot"));
        assert_eq!(
            kind("Strategic developments", "Other"),
            Some("strategic-development")
        );
        assert_eq!(
            kind("violence against civilians", "attack"),
            Some("attack-on-civilians")
        );
        assert_eq!(kind("Earthquakes", "Big"), None);
    }

    #[test]
    fn every_kind_is_built_in() {
        let built_in: Vec<&str> = truce_model::kind::BUILT_IN_KINDS
            .iter()
            .map(|(id, _, _)| *id)
            .collect();
        for (_, kind, subs) in EVENT_TYPES {
            assert!(built_in.contains(kind), "{kind}");
            for (_, sub) in *subs {
                assert!(built_in.contains(sub), "{sub}");
            }
        }
    }

    #[test]
    fn actor_types_by_code_or_label() {
        assert_eq!(actor_category("1"), Ok(Some(ActorCategory::StateForces)));
        assert_eq!(actor_category("4"), Ok(Some(ActorCategory::Militia)));
        assert_eq!(actor_category("7"), Ok(Some(ActorCategory::Civilians)));
        assert_eq!(actor_category("0"), Ok(None));
        assert_eq!(actor_category(""), Ok(None));
        assert_eq!(
            actor_category("State forces"),
            Ok(Some(ActorCategory::StateForces))
        );
        assert_eq!(
            actor_category("Identity militia"),
            Ok(Some(ActorCategory::Militia))
        );
        assert_eq!(
            actor_category("External/Other forces"),
            Ok(Some(ActorCategory::External))
        );
        assert_eq!(actor_category("9"), Err(()));
        assert_eq!(actor_category("Aliens"), Err(()));
        assert_eq!(
            category_from_name("Civilians (Syria)"),
            Some(ActorCategory::Civilians)
        );
        assert_eq!(
            category_from_name("Civilians"),
            Some(ActorCategory::Civilians)
        );
        assert_eq!(category_from_name("Civilians' Militia"), None);
        assert_eq!(
            category_from_name("Protesters (Syria)"),
            Some(ActorCategory::Protesters)
        );
    }
}
