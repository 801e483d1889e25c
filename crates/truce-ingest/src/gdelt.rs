//! GDELT 2.0 event export rows → reports.
//!
//! A GDELT 2.0 event file (`YYYYMMDDHHMMSS.export.CSV`, alone or zipped) is
//! tab-separated, has no header and 61 columns (GDELT 2.0 Event Codebook); the
//! columns are named here once ([`COLUMNS`]) and then found by name like every
//! other source's. GDELT is machine-coded from news in CAMEO: only the
//! material-conflict events truce weighs (CAMEO roots 18 assault, 19 fight, 20
//! unconventional mass violence) become reports; every other row is read and
//! *skipped out of scope* (see [`crate::Imported::skipped`]). See
//! `docs/sources.md` for the whole mapping.

use crate::error::{IngestError, RowProblem};
use crate::parse;
use crate::table::{self, Dialect, Header, NotReport, Row, RowReader};
use crate::{Format, ImportOptions};
use std::io::Read;
use truce_model::report::{
    ActorCategory, Location, LocationPrecision, LonLat, Provenance, Report, Role, Side,
};
use truce_model::time::{DateSpan, Day};

/// The 61 columns of a GDELT 2.0 event export, in file order.
pub(crate) const COLUMNS: [&str; 61] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// The CAMEO root codes (two digits) and their names.
const ROOTS: [&str; 20] = [
    "make public statement",
    "appeal",
    "express intent to cooperate",
    "consult",
    "engage in diplomatic cooperation",
    "engage in material cooperation",
    "provide aid",
    "yield",
    "investigate",
    "demand",
    "disapprove",
    "reject",
    "threaten",
    "protest",
    "exhibit force posture",
    "reduce relations",
    "coerce",
    "assault",
    "fight",
    "use unconventional mass violence",
];

/// CAMEO codes of the material-conflict roots 18, 19 and 20, their CAMEO name
/// and the truce kind each maps to. Documented line by line in `docs/sources.md`.
pub(crate) const CAMEO_KINDS: &[(&str, &str, &str)] = &[
    ("18", "Assault", "political-violence"),
    (
        "180",
        "Use unconventional violence, not specified below",
        "political-violence",
    ),
    ("181", "Abduct, hijack, or take hostage", "abduction"),
    (
        "182",
        "Physically assault, not specified below",
        "violence-against-civilians",
    ),
    ("1821", "Sexually assault", "sexual-violence"),
    ("1822", "Torture", "violence-against-civilians"),
    (
        "1823",
        "Kill by physical assault",
        "violence-against-civilians",
    ),
    (
        "183",
        "Conduct suicide, car, or other non-military bombing, not specified below",
        "remote-violence",
    ),
    ("1831", "Carry out suicide bombing", "suicide-bombing"),
    ("1832", "Carry out vehicular bombing", "explosive-device"),
    ("1833", "Carry out roadside bombing", "explosive-device"),
    ("1834", "Carry out location bombing", "explosive-device"),
    ("184", "Use as human shield", "violence-against-civilians"),
    (
        "185",
        "Attempt to assassinate",
        "violence-against-civilians",
    ),
    ("186", "Assassinate", "violence-against-civilians"),
    ("19", "Fight", "armed-conflict"),
    (
        "190",
        "Use conventional military force, not specified below",
        "armed-conflict",
    ),
    (
        "191",
        "Impose blockade, restrict movement",
        "armed-conflict",
    ),
    ("192", "Occupy territory", "territory-taken"),
    (
        "193",
        "Fight with small arms and light weapons",
        "armed-clash",
    ),
    ("194", "Fight with artillery and tanks", "shelling"),
    (
        "195",
        "Employ aerial weapons, not specified below",
        "air-strike",
    ),
    (
        "1951",
        "Employ precision-guided aerial munitions",
        "air-strike",
    ),
    (
        "1952",
        "Employ remotely piloted aerial munitions",
        "air-strike",
    ),
    ("196", "Violate ceasefire", "armed-conflict"),
    (
        "20",
        "Use unconventional mass violence",
        "violence-against-civilians",
    ),
    (
        "200",
        "Use unconventional mass violence, not specified below",
        "violence-against-civilians",
    ),
    (
        "201",
        "Engage in mass expulsion",
        "violence-against-civilians",
    ),
    ("202", "Engage in mass killings", "attack-on-civilians"),
    (
        "203",
        "Engage in ethnic cleansing",
        "violence-against-civilians",
    ),
    (
        "204",
        "Use weapons of mass destruction, not specified below",
        "remote-violence",
    ),
    (
        "2041",
        "Use chemical, biological, or radiological weapons",
        "remote-violence",
    ),
    ("2042", "Detonate nuclear weapons", "remote-violence"),
];

fn cameo(code: &str) -> Option<(&'static str, &'static str, &'static str)> {
    CAMEO_KINDS.iter().find(|(c, _, _)| *c == code).copied()
}

/// The GDELT reader.
pub(crate) struct GdeltReader;

/// Column indexes (all present: the layout is fixed).
pub(crate) struct GdeltColumns {
    id: usize,
    sqldate: usize,
    actor1_code: usize,
    actor1_name: usize,
    actor1_type: usize,
    actor2_code: usize,
    actor2_name: usize,
    actor2_type: usize,
    event_code: usize,
    event_base_code: usize,
    event_root_code: usize,
    num_sources: usize,
    geo_type: usize,
    geo_full_name: usize,
    geo_country: usize,
    geo_adm1: usize,
    geo_lat: usize,
    geo_long: usize,
    dateadded: usize,
    sourceurl: usize,
}

/// The actor category a CAMEO type code (`ActorNType1Code`) states, if any.
fn category(code: &str) -> Option<ActorCategory> {
    match code {
        "MIL" | "COP" | "SPY" => Some(ActorCategory::StateForces),
        "REB" | "INS" | "SEP" => Some(ActorCategory::Rebels),
        "UAF" => Some(ActorCategory::Militia),
        "CVL" | "REF" => Some(ActorCategory::Civilians),
        _ => None,
    }
}

fn location_precision(code: &str) -> Option<Option<LocationPrecision>> {
    match code {
        // 0 (or empty): GDELT could not place the action at all.
        "0" | "" => Some(None),
        "1" => Some(Some(LocationPrecision::Country)),
        "2" | "5" => Some(Some(LocationPrecision::Province)),
        "3" | "4" => Some(Some(LocationPrecision::Near)),
        _ => None,
    }
}

/// A GDELT `YYYYMMDD` date.
fn sqldate(text: &str) -> Option<Day> {
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = text[0..4].parse().ok()?;
    let m: u32 = text[4..6].parse().ok()?;
    let d: u32 = text[6..8].parse().ok()?;
    Day::from_ymd(y, m, d)
}

impl RowReader for GdeltReader {
    type Columns = GdeltColumns;

    fn format(&self) -> Format {
        Format::Gdelt
    }

    fn columns(&self, h: &Header) -> Result<GdeltColumns, &'static str> {
        Ok(GdeltColumns {
            id: h.require("globaleventid")?,
            sqldate: h.require("sqldate")?,
            actor1_code: h.require("actor1code")?,
            actor1_name: h.require("actor1name")?,
            actor1_type: h.require("actor1type1code")?,
            actor2_code: h.require("actor2code")?,
            actor2_name: h.require("actor2name")?,
            actor2_type: h.require("actor2type1code")?,
            event_code: h.require("eventcode")?,
            event_base_code: h.require("eventbasecode")?,
            event_root_code: h.require("eventrootcode")?,
            num_sources: h.require("numsources")?,
            geo_type: h.require("actiongeo_type")?,
            geo_full_name: h.require("actiongeo_fullname")?,
            geo_country: h.require("actiongeo_countrycode")?,
            geo_adm1: h.require("actiongeo_adm1code")?,
            geo_lat: h.require("actiongeo_lat")?,
            geo_long: h.require("actiongeo_long")?,
            dateadded: h.require("dateadded")?,
            sourceurl: h.require("sourceurl")?,
        })
    }

    fn width_reason(&self, expected: usize, found: usize) -> String {
        format!("expected {expected} tab-separated fields (a GDELT 2.0 event row), found {found}")
    }

    fn report(&self, c: &GdeltColumns, row: &Row<'_>) -> Result<Report, NotReport> {
        let id = row.get(c.id);
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(row
                .problem(c.id, "expected the event's GLOBALEVENTID (an integer)")
                .into());
        }
        let root = row.get(c.event_root_code);
        let root_index = match root.parse::<usize>() {
            Ok(n) if root.len() == 2 && (1..=20).contains(&n) => n,
            _ => {
                return Err(row
                    .problem(c.event_root_code, "expected a CAMEO root code 01 to 20")
                    .into());
            }
        };
        if root_index < 18 {
            let name = ROOTS.get(root_index - 1).copied().unwrap_or("");
            return Err(NotReport::Skip(row.problem(
                c.event_root_code,
                format!(
                    "out of scope: CAMEO root {root} ({name}) is not a material-conflict event; \
                     truce reads roots 18 (assault), 19 (fight) and 20 (unconventional mass violence)"
                ),
            )));
        }
        let code = row.get(c.event_code);
        if !code.starts_with(root) {
            return Err(row
                .problem(
                    c.event_code,
                    format!("expected a CAMEO event code under the root code {root}"),
                )
                .into());
        }
        // The most specific code truce knows: the event code, else its base
        // code, else the root (a code CAMEO added later is never guessed deeper).
        let (known, name, kind) = cameo(code)
            .or_else(|| {
                cameo(row.get(c.event_base_code))
                    .filter(|_| code.starts_with(row.get(c.event_base_code)))
            })
            .or_else(|| cameo(root))
            .ok_or_else(|| row.problem(c.event_code, "expected a CAMEO event code"))?;
        let kind_label = if known == code {
            format!("CAMEO {code} ({name})")
        } else {
            format!("CAMEO {code} (under {known}: {name})")
        };

        let day = sqldate(row.get(c.sqldate))
            .ok_or_else(|| row.problem(c.sqldate, "expected a date that exists as YYYYMMDD"))?;
        let location = self.location(c, row)?;
        let sides = [
            (c.actor1_name, c.actor1_code, c.actor1_type, "Actor1Name"),
            (c.actor2_name, c.actor2_code, c.actor2_type, "Actor2Name"),
        ]
        .into_iter()
        .filter_map(|(name, code, kind, field)| {
            let text = match row.get(name) {
                "" => row.get(code),
                name => name,
            };
            (!text.is_empty()).then(|| Side {
                field: field.to_string(),
                names: vec![text.to_string()],
                role: Role::Unknown,
                category: category(row.get(kind)),
            })
        })
        .collect();
        let source_count = match row.get(c.num_sources) {
            "" => None,
            text => Some(parse::count(text).ok_or_else(|| {
                row.problem(
                    c.num_sources,
                    "expected the number of sources (a whole number ≥ 0)",
                )
            })?),
        };
        let url = row.get(c.sourceurl);
        let summary = if url.is_empty() {
            format!("GDELT {kind_label}, machine-coded from news")
        } else {
            format!("GDELT {kind_label}, machine-coded from news; first seen in {url}")
        };

        Ok(Report {
            provenance: Provenance {
                source: "gdelt".to_string(),
                source_id: id.to_string(),
                file: row.file.to_string(),
                line: row.line,
                revision: parse::non_blank(row.get(c.dateadded)),
                raw: Vec::new(),
            },
            date: DateSpan::day(day),
            location,
            kind: kind.to_string(),
            kind_label,
            sides,
            casualties: None,
            summary: Some(summary),
            source_count,
            urls: parse::non_blank(url).into_iter().collect(),
            media: Vec::new(),
            text: None,
            aggregate: false,
        })
    }
}

impl GdeltReader {
    fn location(&self, c: &GdeltColumns, row: &Row<'_>) -> Result<Location, RowProblem> {
        let precision = location_precision(row.get(c.geo_type)).ok_or_else(|| {
            row.problem(
                c.geo_type,
                "expected a GDELT geographic type 0 (none), 1 (country), 2 (US state), \
                 3 (US city), 4 (world city) or 5 (world state)",
            )
        })?;
        let Some(precision) = precision else {
            return Ok(Location::unknown());
        };
        let lat = parse::degrees(row.get(c.geo_lat), 90.0).ok_or_else(|| {
            row.problem(
                c.geo_lat,
                "expected a latitude in decimal degrees between -90 and 90",
            )
        })?;
        let lon = parse::degrees(row.get(c.geo_long), 180.0).ok_or_else(|| {
            row.problem(
                c.geo_long,
                "expected a longitude in decimal degrees between -180 and 180",
            )
        })?;
        let full_name = row.get(c.geo_full_name);
        let country_code = row.get(c.geo_country);
        let adm1 = row.get(c.geo_adm1);
        Ok(Location {
            point: Some(LonLat { lon, lat }),
            precision,
            place: parse::non_blank(full_name),
            // For a country-level place GDELT repeats the country code as ADM1.
            admin1: (adm1 != country_code)
                .then(|| parse::non_blank(adm1))
                .flatten(),
            admin2: None,
            country: full_name.rsplit(',').next().and_then(parse::non_blank),
        })
    }
}

/// Checks the first line of a file read as GDELT, then reads every row.
pub(crate) fn import<R: Read>(
    file: &str,
    input: R,
    options: &ImportOptions,
    sink: &mut dyn crate::Sink,
) -> Result<u64, IngestError> {
    let dialect = Dialect {
        delimiter: b'\t',
        quoting: false,
        fixed: Some(&COLUMNS),
        hashtags: false,
    };
    let opened = table::open(file, input, dialect)?;
    if let Some(first) = opened.pending_row() {
        check_first_row(file, first)?;
    }
    table::run(file, opened, &GdeltReader, options, sink)
}

/// Whether `fields` start like a GDELT event row: an integer id and eight
/// digits for the date (a date that does not exist is the row's problem, not
/// the file's: the row is quarantined).
pub(crate) fn looks_like_row<'a>(mut fields: impl Iterator<Item = &'a str>) -> bool {
    let id = fields
        .next()
        .unwrap_or("")
        .trim_start_matches('\u{feff}')
        .trim();
    let date = fields.next().unwrap_or("").trim();
    !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_digit())
        && date.len() == 8
        && date.bytes().all(|b| b.is_ascii_digit())
}

fn check_first_row(file: &str, first: &csv::StringRecord) -> Result<(), IngestError> {
    let count = first.len();
    let gdelt_like = looks_like_row(first.iter());
    if gdelt_like && (count == 57 || count == 58) {
        return Err(IngestError::Gdelt1 {
            file: file.to_string(),
            count,
        });
    }
    if gdelt_like {
        return Ok(());
    }
    // Name what was found: a comma-separated header shows up as one field.
    let cells: Vec<&str> = match (count, first.get(0)) {
        (1, Some(only)) if only.contains(',') => only.split(',').collect(),
        _ => first.iter().collect(),
    };
    let found = cells
        .into_iter()
        .take(50)
        .map(|c| {
            let c = c.trim_start_matches('\u{feff}').trim().trim_matches('"');
            if c.chars().count() > 60 {
                let mut s: String = c.chars().take(60).collect();
                s.push('…');
                s
            } else {
                c.to_string()
            }
        })
        .collect();
    Err(IngestError::NotGdelt {
        file: file.to_string(),
        count,
        found,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cameo_kind_is_a_built_in_kind() {
        for (code, _, kind) in CAMEO_KINDS {
            assert!(
                truce_model::kind::BUILT_IN_KINDS
                    .iter()
                    .any(|(id, _, _)| id == kind),
                "{code} → {kind}"
            );
        }
    }

    #[test]
    fn dates() {
        assert_eq!(
            sqldate("20170701").map(|d| d.to_string()),
            Some("2017-07-01".into())
        );
        assert_eq!(sqldate("20170231"), None);
        assert_eq!(sqldate("2017071"), None);
        assert_eq!(sqldate("2017-7-1"), None);
    }
}
