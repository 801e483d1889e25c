//! UCDP Georeferenced Event Dataset (GED) rows → reports.
//!
//! Reads GED 19.1's 41 columns and the newer 49-column layout alike (columns by
//! name: the two order the fatality triple differently). GED codes what it
//! knows with explicit precision codes, which map one to one onto truce's.
//! See `docs/sources.md` for the whole mapping.

use crate::Format;
use crate::error::RowProblem;
use crate::parse;
use crate::table::{Header, NotReport, Row, RowReader};
use truce_model::report::{
    ActorCategory, Casualties, Location, LocationPrecision, LonLat, Provenance, Report, Role, Side,
};
use truce_model::time::{DatePrecision, DateSpan};

/// The GED reader.
pub(crate) struct GedReader;

/// Column indexes of a GED header (`Option` for the columns a file may lack).
pub(crate) struct GedColumns {
    id: usize,
    relid: Option<usize>,
    type_of_violence: usize,
    side_a: usize,
    side_b: usize,
    gwnoa: Option<usize>,
    gwnob: Option<usize>,
    where_prec: usize,
    where_coordinates: Option<usize>,
    adm_1: Option<usize>,
    adm_2: Option<usize>,
    country: Option<usize>,
    latitude: usize,
    longitude: usize,
    date_prec: usize,
    date_start: usize,
    date_end: usize,
    low: Option<usize>,
    best: Option<usize>,
    high: Option<usize>,
    deaths_civilians: Option<usize>,
    source_headline: Option<usize>,
    number_of_sources: Option<usize>,
    event_clarity: Option<usize>,
}

const DATE_EXPECTED: &str = "expected a date that exists (YYYY-MM-DD, optionally with a time)";

fn kind(code: &str) -> Option<(&'static str, &'static str)> {
    match code {
        "1" => Some((
            "armed-conflict",
            "UCDP type_of_violence 1 (state-based conflict)",
        )),
        "2" => Some((
            "armed-conflict",
            "UCDP type_of_violence 2 (non-state conflict)",
        )),
        "3" => Some((
            "violence-against-civilians",
            "UCDP type_of_violence 3 (one-sided violence)",
        )),
        _ => None,
    }
}

fn date_precision(code: &str) -> Option<DatePrecision> {
    match code {
        "1" => Some(DatePrecision::Day),
        "2" => Some(DatePrecision::Days),
        "3" => Some(DatePrecision::Week),
        "4" => Some(DatePrecision::Month),
        "5" => Some(DatePrecision::Year),
        _ => None,
    }
}

fn location_precision(code: &str) -> Option<LocationPrecision> {
    match code {
        "1" => Some(LocationPrecision::Exact),
        "2" => Some(LocationPrecision::Near),
        "3" => Some(LocationPrecision::District),
        "4" => Some(LocationPrecision::Province),
        "5" => Some(LocationPrecision::Linear),
        "6" => Some(LocationPrecision::Country),
        "7" => Some(LocationPrecision::Unknown),
        _ => None,
    }
}

/// One count column: `None` when the column is absent or the cell empty.
fn count(row: &Row<'_>, column: Option<usize>, what: &str) -> Result<Option<u32>, RowProblem> {
    let Some(column) = column else {
        return Ok(None);
    };
    let text = row.get(column);
    if text.is_empty() {
        return Ok(None);
    }
    parse::count(text)
        .map(Some)
        .ok_or_else(|| row.problem(column, format!("expected {what} (a whole number ≥ 0)")))
}

/// Columns whose presence together marks a UCDP GED header.
pub(crate) const GED_MARKERS: [&str; 3] = ["id", "side_a", "where_prec"];

impl RowReader for GedReader {
    type Columns = GedColumns;

    fn format(&self) -> Format {
        Format::UcdpGed
    }

    fn columns(&self, h: &Header) -> Result<GedColumns, &'static str> {
        Ok(GedColumns {
            id: h.require("id")?,
            relid: h.find("relid"),
            type_of_violence: h.require("type_of_violence")?,
            side_a: h.require("side_a")?,
            side_b: h.require("side_b")?,
            gwnoa: h.find("gwnoa"),
            gwnob: h.find("gwnob"),
            where_prec: h.require("where_prec")?,
            where_coordinates: h.find("where_coordinates"),
            adm_1: h.find("adm_1"),
            adm_2: h.find("adm_2"),
            country: h.find("country"),
            latitude: h.require("latitude")?,
            longitude: h.require("longitude")?,
            date_prec: h.require("date_prec")?,
            date_start: h.require("date_start")?,
            date_end: h.require("date_end")?,
            low: h.find("low"),
            best: h.find("best"),
            high: h.find("high"),
            deaths_civilians: h.find("deaths_civilians"),
            source_headline: h.find("source_headline"),
            number_of_sources: h.find("number_of_sources"),
            event_clarity: h.find("event_clarity"),
        })
    }

    fn report(&self, c: &GedColumns, row: &Row<'_>) -> Result<Report, NotReport> {
        let id = row.get(c.id);
        if id.is_empty() {
            return Err(row.problem(c.id, "expected the event's UCDP id").into());
        }
        let type_code = row.get(c.type_of_violence);
        let (kind, kind_label) = kind(type_code).ok_or_else(|| {
            row.problem(
                c.type_of_violence,
                "expected 1 (state-based conflict), 2 (non-state conflict) or 3 (one-sided violence)",
            )
        })?;

        let first = parse::iso_date(row.get(c.date_start))
            .ok_or_else(|| row.problem(c.date_start, DATE_EXPECTED))?;
        let last = parse::iso_date(row.get(c.date_end))
            .ok_or_else(|| row.problem(c.date_end, DATE_EXPECTED))?;
        if last < first {
            return Err(row
                .problem(
                    c.date_end,
                    format!("expected a date on or after date_start ({first})"),
                )
                .into());
        }
        let precision = date_precision(row.get(c.date_prec)).ok_or_else(|| {
            row.problem(c.date_prec, "expected a UCDP date precision code 1 (day), 2 (2–6 days), 3 (week), 4 (month) or 5 (year)")
        })?;
        let date = DateSpan {
            first,
            last,
            precision,
        };

        let location = self.location(c, row)?;
        let sides = self.sides(c, row, type_code)?;
        let casualties = self.casualties(c, row)?;
        // UCDP: 1 = an event told of on its own; 2 = a summary of many ("aggregated
        // information"), which no daily count may take for one event.
        let aggregate = match c.event_clarity {
            None => false,
            Some(column) => match row.get(column) {
                "" | "1" => false,
                "2" => true,
                _ => {
                    return Err(row
                        .problem(
                            column,
                            "expected a UCDP event clarity code 1 (a single event) or 2 (an aggregate of several)",
                        )
                        .into());
                }
            },
        };
        // GED has written -1 for "not known" in some releases: no count then.
        let source_count = match c.number_of_sources.map(|col| row.get(col)) {
            Some(text) if text.starts_with('-') && parse::count(&text[1..]).is_some() => None,
            _ => count(row, c.number_of_sources, "the number of sources")?,
        };

        Ok(Report {
            provenance: Provenance {
                source: "ucdp-ged".to_string(),
                source_id: id.to_string(),
                file: row.file.to_string(),
                line: row.line,
                revision: parse::non_blank(row.opt(c.relid)),
                raw: Vec::new(),
            },
            date,
            location,
            kind: kind.to_string(),
            kind_label: kind_label.to_string(),
            sides,
            casualties,
            summary: parse::non_blank(row.opt(c.source_headline)),
            source_count,
            urls: Vec::new(),
            media: Vec::new(),
            text: None,
            aggregate,
        })
    }

    /// GED's low, best and high estimates of deaths out of order (`low ≤ best ≤
    /// high` by UCDP's codebook): the row is kept, the range spanning all
    /// three, and the analyst told which numbers were given.
    fn warning(&self, c: &GedColumns, row: &Row<'_>) -> Option<RowProblem> {
        let read = |column| count(row, column, "").ok().flatten();
        let best = read(c.best)?;
        let (low, high) = (read(c.low).unwrap_or(best), read(c.high).unwrap_or(best));
        if low <= best && best <= high {
            return None;
        }
        let column = c.best?;
        let mut warning = row.problem(
            column,
            "the low, best and high estimates of deaths are out of order (expected low ≤ best ≤ high): \
             kept with best as given and the range spanning all three",
        );
        warning.field = Some("low/best/high".to_string());
        warning.value = Some(format!("low {low}, best {best}, high {high}"));
        Some(warning)
    }
}

impl GedReader {
    fn location(&self, c: &GedColumns, row: &Row<'_>) -> Result<Location, RowProblem> {
        let precision = location_precision(row.get(c.where_prec)).ok_or_else(|| {
            row.problem(
                c.where_prec,
                "expected a UCDP location precision code 1 (exact), 2 (within 25 km), 3 (district), \
                 4 (province), 5 (linear), 6 (country) or 7 (unknown)",
            )
        })?;
        let (lat_text, lon_text) = (row.get(c.latitude), row.get(c.longitude));
        let point = if lat_text.is_empty()
            && lon_text.is_empty()
            && precision == LocationPrecision::Unknown
        {
            None
        } else {
            let lat = parse::degrees(lat_text, 90.0).ok_or_else(|| {
                row.problem(
                    c.latitude,
                    "expected a latitude in decimal degrees between -90 and 90",
                )
            })?;
            let lon = parse::degrees(lon_text, 180.0).ok_or_else(|| {
                row.problem(
                    c.longitude,
                    "expected a longitude in decimal degrees between -180 and 180",
                )
            })?;
            Some(LonLat { lon, lat })
        };
        Ok(Location {
            point,
            precision,
            place: parse::non_blank(row.opt(c.where_coordinates)),
            admin1: parse::non_blank(row.opt(c.adm_1)),
            admin2: parse::non_blank(row.opt(c.adm_2)),
            country: parse::non_blank(row.opt(c.country)),
        })
    }

    fn sides(
        &self,
        c: &GedColumns,
        row: &Row<'_>,
        type_code: &str,
    ) -> Result<Vec<Side>, RowProblem> {
        let mut a_names = Vec::with_capacity(1);
        parse::names(row.get(c.side_a), ", ", &mut a_names);
        if a_names.is_empty() {
            return Err(row.problem(c.side_a, "expected the name of side A"));
        }
        let mut b_names = Vec::with_capacity(1);
        parse::names(row.get(c.side_b), ", ", &mut b_names);

        let is_state = |gwno: Option<usize>, names: &[String]| {
            !row.opt(gwno).is_empty() || names.iter().all(|n| n.starts_with("Government of "))
        };
        let (a_role, b_role, a_category, b_category) = match type_code {
            // State-based: side A is a government by UCDP's definition; side B is a
            // government when it has a Gleditsch–Ward number (or is named "Government
            // of …"), else an opposition organisation GED does not classify further.
            "1" => {
                let b = is_state(c.gwnob, &b_names).then_some(ActorCategory::StateForces);
                (
                    Role::Unknown,
                    Role::Unknown,
                    Some(ActorCategory::StateForces),
                    b,
                )
            }
            // One-sided: side A (a government or an organised group) kills civilians.
            "3" => {
                let a = is_state(c.gwnoa, &a_names).then_some(ActorCategory::StateForces);
                (
                    Role::Initiator,
                    Role::Target,
                    a,
                    Some(ActorCategory::Civilians),
                )
            }
            // Non-state: two organised groups, neither of them a state.
            _ => (Role::Unknown, Role::Unknown, None, None),
        };
        let mut sides = Vec::with_capacity(2);
        sides.push(Side {
            field: "side_a".to_string(),
            names: a_names,
            role: a_role,
            category: a_category,
        });
        if !b_names.is_empty() {
            sides.push(Side {
                field: "side_b".to_string(),
                names: b_names,
                role: b_role,
                category: b_category,
            });
        }
        Ok(sides)
    }

    fn casualties(&self, c: &GedColumns, row: &Row<'_>) -> Result<Option<Casualties>, RowProblem> {
        let best = count(row, c.best, "the best estimate of deaths")?;
        let low = count(row, c.low, "the low estimate of deaths")?;
        let high = count(row, c.high, "the high estimate of deaths")?;
        let civilians = count(row, c.deaths_civilians, "the number of civilian deaths")?;
        let Some(best) = best else {
            return Ok(None);
        };
        // A triple out of order is kept as a range over all three numbers, with
        // a warning (see `warning`).
        Ok(Some(Casualties::from_estimates(best, low, high, civilians)))
    }
}
