//! HXL-tagged CSV (Humanitarian Exchange Language): reading events, reading
//! country-year figures, and writing truce's reports.
//!
//! An HXL file is a CSV file with a row of hashtags (`#date+start`,
//! `#geo+lat`, `#affected+killed`, …) under its header row or instead of it.
//! Columns are found by hashtag: the tag and its *set* of attributes
//! (`#affected+killed+min` is `#affected+min+killed`), case-insensitively, in
//! any column order. A column whose attribute set differs is a different
//! column (`#date+year+start` is not `#date+start`).
//!
//! What an HXL file holds decides how it is read (`docs/sources.md`):
//! - an HXL re-publication of a UCDP GED or ACLED file (HDX publishes GED so)
//!   keeps that source's header above the hashtags: it is read with that
//!   source's mapping, by column name, which says more than the hashtags (the
//!   precision codes, the type of violence and the id have no hashtag there);
//! - a file with event hashtags (`#event+id`, `#date+start` or `#date`) is read
//!   with the hashtags (truce's own export, [`write_hxl`], is such a file);
//! - a file of figures only (`#affected+idps…` by `#country` and `#date+year`,
//!   e.g. IDMC's displacement figures) holds no events: each row is skipped out
//!   of scope, and [`read_hxl_figures`] reads its figures.

use crate::error::{IngestError, RowProblem};
use crate::parse;
use crate::table::{self, Dialect, Header, NotReport, Row, RowReader};
use crate::{Format, ImportOptions};
use std::io::{Read, Write};
use truce_model::report::{
    ActorCategory, Casualties, Location, LocationPrecision, LonLat, Provenance, Report, Role, Side,
};
use truce_model::time::{DatePrecision, DateSpan};

/// The index of the first column tagged `#name` with exactly `attributes`.
fn find(header: &Header, name: &str, attributes: &[&str]) -> Option<usize> {
    header
        .tags
        .as_ref()?
        .iter()
        .position(|t| t.as_ref().is_some_and(|t| t.is(name, attributes)))
}

/// Tags whose numbers are figures (people affected, in need, …), not events.
const FIGURE_TAGS: [&str; 5] = ["affected", "inneed", "targeted", "reached", "population"];

/// Ordinal attributes of the sides, as truce writes them (HXL's `+first`, `+second`, …).
const ORDINALS: [&str; 6] = ["first", "second", "third", "fourth", "fifth", "sixth"];

/// Imports an HXL file: by its source's own mapping when it is a re-published
/// GED or ACLED file, by hashtags otherwise (see the module documentation).
pub(crate) fn import<R: Read>(
    file: &str,
    input: R,
    options: &ImportOptions,
    sink: &mut dyn crate::Sink,
) -> Result<u64, IngestError> {
    let opened = table::open(file, input, Dialect::CSV)?;
    let Some(tags) = opened.header.tags.as_ref() else {
        return Err(IngestError::NoHashtags {
            file: file.to_string(),
        });
    };
    let lower = opened.header.lower();
    let has = |name: &str| lower.iter().any(|c| c == name);
    let tagged = |name: &str, attributes: &[&str]| find(&opened.header, name, attributes).is_some();
    let figures = tags.iter().flatten().any(|t| {
        FIGURE_TAGS.contains(&t.name.as_str()) && !t.attributes.iter().any(|a| a == "killed")
    });
    let rows_read = if crate::ged::GED_MARKERS.iter().all(|m| has(m)) {
        table::run(file, opened, &crate::ged::GedReader, options, sink)?
    } else if crate::acled::ACLED_MARKERS.iter().all(|m| has(m)) {
        table::run(file, opened, &crate::acled::AcledReader, options, sink)?
    } else if tagged("event", &["id"]) || tagged("date", &["start"]) || tagged("date", &[]) {
        table::run(file, opened, &HxlReader, options, sink)?
    } else if figures {
        table::run(file, opened, &FigureRows, options, sink)?
    } else {
        return Err(IngestError::MissingColumn {
            file: file.to_string(),
            format: Format::Hxl,
            column: "#event+id".to_string(),
        });
    };
    Ok(rows_read)
}

/// Rows of a figures-only file: each one skipped out of scope.
struct FigureRows;

impl RowReader for FigureRows {
    type Columns = ();

    fn format(&self) -> Format {
        Format::Hxl
    }

    fn columns(&self, _: &Header) -> Result<(), &'static str> {
        Ok(())
    }

    fn report(&self, _: &(), row: &Row<'_>) -> Result<Report, NotReport> {
        Err(NotReport::Skip(row.row_problem(
            "out of scope: a row of figures (people affected by country and year), not an event; \
             read such files with `read_hxl_figures`",
        )))
    }
}

/// The HXL event reader (hashtags).
struct HxlReader;

/// One side's columns.
struct SideColumns {
    ordinal: &'static str,
    names: usize,
    field: Option<usize>,
    role: Option<usize>,
    category: Option<usize>,
}

struct HxlColumns {
    source: Option<usize>,
    source_id: usize,
    revision: Option<usize>,
    file: Option<usize>,
    line: Option<usize>,
    date_start: usize,
    date_end: Option<usize>,
    date_precision: Option<usize>,
    kind: Option<usize>,
    kind_label: Option<usize>,
    summary: Option<usize>,
    source_count: Option<usize>,
    urls: Option<usize>,
    media: Option<usize>,
    lat: Option<usize>,
    lon: Option<usize>,
    location_precision: Option<usize>,
    place: Option<usize>,
    admin1: Option<usize>,
    admin2: Option<usize>,
    country: Option<usize>,
    sides: Vec<SideColumns>,
    killed_low: Option<usize>,
    killed: Option<usize>,
    killed_high: Option<usize>,
    killed_civilians: Option<usize>,
    /// `#meta+aggregate`: `1` when the row sums up many events (truce's own export).
    aggregate: Option<usize>,
}

const DATE_EXPECTED: &str = "expected a date that exists (YYYY-MM-DD, optionally with a time)";

fn date_precision(word: &str) -> Option<DatePrecision> {
    match word.to_ascii_lowercase().as_str() {
        "day" => Some(DatePrecision::Day),
        "days" => Some(DatePrecision::Days),
        "week" => Some(DatePrecision::Week),
        "month" => Some(DatePrecision::Month),
        "year" => Some(DatePrecision::Year),
        _ => None,
    }
}

fn date_precision_word(precision: DatePrecision) -> &'static str {
    match precision {
        DatePrecision::Day => "day",
        DatePrecision::Days => "days",
        DatePrecision::Week => "week",
        DatePrecision::Month => "month",
        DatePrecision::Year => "year",
    }
}

fn role(word: &str) -> Option<Role> {
    match word.to_ascii_lowercase().as_str() {
        "initiator" => Some(Role::Initiator),
        "target" => Some(Role::Target),
        "unknown" | "" => Some(Role::Unknown),
        _ => None,
    }
}

fn role_word(role: Role) -> &'static str {
    match role {
        Role::Initiator => "initiator",
        Role::Target => "target",
        Role::Unknown => "unknown",
    }
}

const CATEGORIES: [(&str, ActorCategory); 7] = [
    ("state-forces", ActorCategory::StateForces),
    ("rebels", ActorCategory::Rebels),
    ("militia", ActorCategory::Militia),
    ("rioters", ActorCategory::Rioters),
    ("protesters", ActorCategory::Protesters),
    ("civilians", ActorCategory::Civilians),
    ("external", ActorCategory::External),
];

fn category_word(category: ActorCategory) -> &'static str {
    CATEGORIES
        .iter()
        .find(|(_, c)| *c == category)
        .map_or("", |(w, _)| w)
}

/// A kind from `#event+type`: a truce kind id as written (lower case, digits
/// and `-`; an agreement may add its own), an ACLED event type, or `event`.
fn kind_of(value: &str) -> String {
    let value = value.trim();
    if !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return value.to_string();
    }
    crate::acled::EVENT_TYPES
        .iter()
        .find(|(name, _, _)| name.eq_ignore_ascii_case(value))
        .map_or_else(|| "event".to_string(), |(_, kind, _)| kind.to_string())
}

impl RowReader for HxlReader {
    type Columns = HxlColumns;

    fn format(&self) -> Format {
        Format::Hxl
    }

    fn columns(&self, h: &Header) -> Result<HxlColumns, &'static str> {
        let mut sides = Vec::new();
        for (i, ordinal) in ORDINALS.into_iter().enumerate() {
            let names = find(h, "group", &["name", ordinal]).or_else(|| {
                // A file with one unnumbered actor column: `#group+name` or `#org+name`.
                (i == 0)
                    .then(|| find(h, "group", &["name"]).or_else(|| find(h, "org", &["name"])))
                    .flatten()
            });
            let Some(names) = names else { continue };
            sides.push(SideColumns {
                ordinal,
                names,
                field: find(h, "group", &[ordinal, "field"]),
                role: find(h, "group", &[ordinal, "role"]),
                category: find(h, "group", &[ordinal, "type"]),
            });
        }
        Ok(HxlColumns {
            source: find(h, "meta", &["dataset"]),
            source_id: find(h, "event", &["id"]).ok_or("#event+id")?,
            revision: find(h, "meta", &["revision"]),
            file: find(h, "meta", &["file"]),
            line: find(h, "meta", &["line"]),
            date_start: find(h, "date", &["start"])
                .or_else(|| find(h, "date", &[]))
                .ok_or("#date+start")?,
            date_end: find(h, "date", &["end"]),
            date_precision: find(h, "date", &["precision"]),
            kind: find(h, "event", &["type"]),
            kind_label: find(h, "event", &["label", "type"]),
            summary: find(h, "description", &[]),
            source_count: find(h, "meta", &["sources"]),
            urls: find(h, "meta", &["url"]),
            media: find(h, "meta", &["media"]),
            lat: find(h, "geo", &["lat"]),
            lon: find(h, "geo", &["lon"]),
            location_precision: find(h, "geo", &["precision"]),
            place: find(h, "loc", &["name"]),
            admin1: find(h, "adm1", &["name"]),
            admin2: find(h, "adm2", &["name"]),
            country: find(h, "country", &["name"]),
            sides,
            killed_low: find(h, "affected", &["killed", "min"]),
            killed: find(h, "affected", &["killed"]),
            killed_high: find(h, "affected", &["killed", "max"]),
            killed_civilians: find(h, "affected", &["civilians", "killed"]),
            aggregate: find(h, "meta", &["aggregate"]),
        })
    }

    /// One row as a report, field by field, each field's problem naming its
    /// column (some 155 lines: one short block a field).
    fn report(&self, c: &HxlColumns, row: &Row<'_>) -> Result<Report, NotReport> {
        let id = row.get_written(c.source_id);
        if id.is_empty() {
            return Err(row.problem(c.source_id, "expected the event's id").into());
        }
        let first = parse::iso_date(row.get_written(c.date_start))
            .ok_or_else(|| row.problem(c.date_start, DATE_EXPECTED))?;
        let last = match c.date_end.map(|col| (col, row.get_written(col))) {
            None | Some((_, "")) => first,
            Some((col, text)) => {
                let last = parse::iso_date(text).ok_or_else(|| row.problem(col, DATE_EXPECTED))?;
                if last < first {
                    return Err(row
                        .problem(
                            col,
                            format!("expected a date on or after the start ({first})"),
                        )
                        .into());
                }
                last
            }
        };
        let precision = match c.date_precision.map(|col| (col, row.get_written(col))) {
            None | Some((_, "")) => match (last.0 - first.0) + 1 {
                1 => DatePrecision::Day,
                2..=6 => DatePrecision::Days,
                7 => DatePrecision::Week,
                8..=31 => DatePrecision::Month,
                _ => DatePrecision::Year,
            },
            Some((col, text)) => date_precision(text).ok_or_else(|| {
                row.problem(
                    col,
                    "expected a date precision: day, days, week, month or year",
                )
            })?,
        };

        let kind_text = row.opt_written(c.kind);
        let kind = kind_of(kind_text);
        let kind_label = match row.opt_written(c.kind_label) {
            "" if kind_text.is_empty() => "HXL: no event type given".to_string(),
            "" => kind_text.to_string(),
            label => label.to_string(),
        };

        let location = self.location(c, row)?;
        let mut sides = Vec::with_capacity(c.sides.len());
        for s in &c.sides {
            let mut names = Vec::new();
            parse::names(row.get_written(s.names), ";", &mut names);
            if names.is_empty() {
                continue;
            }
            let role = match s.role {
                Some(col) => role(row.get_written(col)).ok_or_else(|| {
                    row.problem(col, "expected a role: initiator, target or unknown")
                })?,
                None => Role::Unknown,
            };
            let category = match s.category.map(|col| (col, row.get_written(col))) {
                None | Some((_, "")) => None,
                Some((col, text)) => Some(
                    CATEGORIES
                        .iter()
                        .find(|(w, _)| w.eq_ignore_ascii_case(text))
                        .map(|(_, c)| *c)
                        .ok_or_else(|| {
                            row.problem(
                                col,
                                "expected an actor category: state-forces, rebels, militia, \
                                 rioters, protesters, civilians or external",
                            )
                        })?,
                ),
            };
            let field = parse::non_blank(row.opt_written(s.field))
                .unwrap_or_else(|| format!("#group+name+{}", s.ordinal));
            sides.push(Side {
                field,
                names,
                role,
                category,
            });
        }

        let count = |col: Option<usize>, what: &str| -> Result<Option<u32>, RowProblem> {
            match col.map(|col| (col, row.get_written(col))) {
                None | Some((_, "")) => Ok(None),
                Some((col, text)) => parse::count(text).map(Some).ok_or_else(|| {
                    row.problem(col, format!("expected {what} (a whole number ≥ 0)"))
                }),
            }
        };
        let best = count(c.killed, "the number killed")?;
        let low = count(c.killed_low, "the low estimate of the number killed")?;
        let high = count(c.killed_high, "the high estimate of the number killed")?;
        let civilians = count(c.killed_civilians, "the number of civilians killed")?;
        let casualties = best.map(|best| Casualties::from_estimates(best, low, high, civilians));
        let line = match c.line.map(|col| (col, row.get_written(col))) {
            None | Some((_, "")) => row.line,
            Some((col, text)) => text.parse::<u64>().map_err(|_| {
                row.problem(col, "expected the original line number (a whole number)")
            })?,
        };

        Ok(Report {
            provenance: Provenance {
                source: parse::non_blank(row.opt_written(c.source))
                    .unwrap_or_else(|| "hxl".to_string()),
                source_id: id.to_string(),
                file: parse::non_blank(row.opt_written(c.file))
                    .unwrap_or_else(|| row.file.to_string()),
                line,
                revision: parse::non_blank(row.opt_written(c.revision)),
                raw: Vec::new(),
            },
            date: DateSpan {
                first,
                last,
                precision,
            },
            location,
            kind,
            kind_label,
            sides,
            casualties,
            summary: parse::non_blank(row.opt_written(c.summary)),
            source_count: count(c.source_count, "the number of sources")?,
            // Written separated by spaces (a URL holds none).
            urls: row
                .opt(c.urls)
                .split_whitespace()
                .map(str::to_string)
                .collect(),
            media: match c.media {
                Some(column) => parse::media_hashes(row.opt_written(Some(column)))
                    .map_err(|found| row.problem(column, parse::media_expected(&found)))?,
                None => Vec::new(),
            },
            text: None,
            aggregate: match c.aggregate.map(|col| (col, row.get_written(col))) {
                None | Some((_, "" | "0")) => false,
                Some((_, "1")) => true,
                Some((col, _)) => {
                    return Err(row
                        .problem(
                            col,
                            "expected 1 (the row sums up many events), 0 or nothing",
                        )
                        .into());
                }
            },
        })
    }
}

impl HxlReader {
    fn location(&self, c: &HxlColumns, row: &Row<'_>) -> Result<Location, RowProblem> {
        let (lat_text, lon_text) = (row.opt_written(c.lat), row.opt_written(c.lon));
        let point = if lat_text.is_empty() && lon_text.is_empty() {
            None
        } else {
            let lat = parse::degrees(lat_text, 90.0).ok_or_else(|| match c.lat {
                Some(col) => row.problem(
                    col,
                    "expected a latitude in decimal degrees between -90 and 90",
                ),
                None => row.row_problem("expected a `#geo+lat` column with the `#geo+lon` one"),
            })?;
            let lon = parse::degrees(lon_text, 180.0).ok_or_else(|| match c.lon {
                Some(col) => row.problem(
                    col,
                    "expected a longitude in decimal degrees between -180 and 180",
                ),
                None => row.row_problem("expected a `#geo+lon` column with the `#geo+lat` one"),
            })?;
            Some(LonLat { lon, lat })
        };
        let precision = match c.location_precision.map(|col| (col, row.get_written(col))) {
            None | Some((_, "")) => LocationPrecision::Unknown,
            Some((col, text)) => LocationPrecision::ALL
                .into_iter()
                .find(|p| p.key().eq_ignore_ascii_case(text))
                .ok_or_else(|| {
                    row.problem(
                        col,
                        "expected a location precision: exact, near, district, province, \
                         linear, country or unknown",
                    )
                })?,
        };
        Ok(Location {
            point,
            precision,
            place: parse::non_blank(row.opt_written(c.place)),
            admin1: parse::non_blank(row.opt_written(c.admin1)),
            admin2: parse::non_blank(row.opt_written(c.admin2)),
            country: parse::non_blank(row.opt_written(c.country)),
        })
    }
}

// ---------------------------------------------------------------- export

/// Writes reports as an HXL-tagged CSV file: a header row, a hashtag row, then
/// one row per report. Every field of a report except its raw row is written
/// (`provenance.raw` stays with the source file), so that importing the file
/// gives back the same reports: the original file and line are kept in
/// `#meta+file` and `#meta+line`. Side names are joined with `; `.
///
/// Errors: a write error, or a side name containing `;` (it could not be read back).
///
/// The header, the hashtag row and each row list the same columns in the same
/// order; they are written side by side (some 165 lines) so that order is seen
/// and kept in one place.
pub fn write_hxl<W: Write>(reports: &[Report], out: W) -> std::io::Result<()> {
    let sides = reports
        .iter()
        .map(|r| r.sides.len())
        .max()
        .unwrap_or(0)
        .max(2);
    if sides > ORDINALS.len() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "a report has {sides} sides; the HXL export writes at most {}",
                ORDINALS.len()
            ),
        ));
    }
    let mut header: Vec<String> = [
        "source",
        "source_id",
        "revision",
        "file",
        "line",
        "date_start",
        "date_end",
        "date_precision",
        "kind",
        "kind_label",
        "latitude",
        "longitude",
        "location_precision",
        "place",
        "admin1",
        "admin2",
        "country",
    ]
    .map(String::from)
    .to_vec();
    let mut tags: Vec<String> = [
        "#meta+dataset",
        "#event+id",
        "#meta+revision",
        "#meta+file",
        "#meta+line",
        "#date+start",
        "#date+end",
        "#date+precision",
        "#event+type",
        "#event+type+label",
        "#geo+lat",
        "#geo+lon",
        "#geo+precision",
        "#loc+name",
        "#adm1+name",
        "#adm2+name",
        "#country+name",
    ]
    .map(String::from)
    .to_vec();
    for ordinal in &ORDINALS[..sides] {
        for (name, tag) in [
            ("names", format!("#group+name+{ordinal}")),
            ("field", format!("#group+{ordinal}+field")),
            ("role", format!("#group+{ordinal}+role")),
            ("category", format!("#group+{ordinal}+type")),
        ] {
            header.push(format!("side_{ordinal}_{name}"));
            tags.push(tag);
        }
    }
    for (name, tag) in [
        ("killed_low", "#affected+killed+min"),
        ("killed_best", "#affected+killed"),
        ("killed_high", "#affected+killed+max"),
        ("killed_civilians", "#affected+killed+civilians"),
        ("summary", "#description"),
        ("source_count", "#meta+sources"),
        ("urls", "#meta+url"),
        ("media", "#meta+media"),
        ("aggregate", "#meta+aggregate"),
    ] {
        header.push(name.to_string());
        tags.push(tag.to_string());
    }

    let mut writer = csv::WriterBuilder::new().from_writer(out);
    let io = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    };
    writer.write_record(&header).map_err(io)?;
    writer.write_record(&tags).map_err(io)?;
    let mut row: Vec<String> = Vec::with_capacity(header.len());
    for r in reports {
        row.clear();
        let p = &r.provenance;
        let l = &r.location;
        row.extend([
            p.source.clone(),
            p.source_id.clone(),
            p.revision.clone().unwrap_or_default(),
            p.file.clone(),
            p.line.to_string(),
            r.date.first.to_string(),
            r.date.last.to_string(),
            date_precision_word(r.date.precision).to_string(),
            r.kind.clone(),
            r.kind_label.clone(),
            l.point.map(|p| p.lat.to_string()).unwrap_or_default(),
            l.point.map(|p| p.lon.to_string()).unwrap_or_default(),
            l.precision.key().to_string(),
            l.place.clone().unwrap_or_default(),
            l.admin1.clone().unwrap_or_default(),
            l.admin2.clone().unwrap_or_default(),
            l.country.clone().unwrap_or_default(),
        ]);
        for i in 0..sides {
            match r.sides.get(i) {
                Some(side) => {
                    if let Some(name) = side.names.iter().find(|n| n.contains(';')) {
                        return Err(std::io::Error::new(
                            std::io::ErrorKind::InvalidInput,
                            format!(
                                "report `{}`: the side name `{name}` contains `;`, which \
                                 separates names in the HXL export",
                                r.id()
                            ),
                        ));
                    }
                    row.extend([
                        side.names.join("; "),
                        side.field.clone(),
                        role_word(side.role).to_string(),
                        side.category
                            .map(category_word)
                            .unwrap_or_default()
                            .to_string(),
                    ]);
                }
                None => row.extend([String::new(), String::new(), String::new(), String::new()]),
            }
        }
        let c = r.casualties;
        row.extend([
            c.map(|c| c.low.to_string()).unwrap_or_default(),
            c.map(|c| c.best.to_string()).unwrap_or_default(),
            c.map(|c| c.high.to_string()).unwrap_or_default(),
            c.and_then(|c| c.civilians)
                .map(|n| n.to_string())
                .unwrap_or_default(),
            r.summary.clone().unwrap_or_default(),
            r.source_count.map(|n| n.to_string()).unwrap_or_default(),
            r.urls.join(" "),
            r.media.join(" "),
            if r.aggregate { "1" } else { "" }.to_string(),
        ]);
        // A spreadsheet must not run a cell as a formula (OWASP's CSV injection
        // advice); reading the file back takes the added quote off again.
        for cell in row.iter_mut() {
            if let std::borrow::Cow::Owned(quoted) = truce_model::spreadsheet::safe_cell(cell) {
                *cell = quoted;
            }
        }
        writer.write_record(&row).map_err(io)?;
    }
    writer.flush()
}

// ---------------------------------------------------------------- figures

/// One figure of an HXL figures file: a number of people for a country and a year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figure {
    /// The 1-based line of the row (the header is line 1).
    pub line: u64,
    /// The country code (`#country+code`), when the file has one.
    pub country_code: Option<String>,
    /// The country name (`#country+name`), when the file has one.
    pub country: Option<String>,
    /// The year (`#date+year`).
    pub year: i32,
    /// The column's hashtag as written, e.g. `#affected+idps+ind+stock+conflict`.
    pub kind: String,
    /// The column's header as written (`Conflict Stock Displacement`), or the hashtag.
    pub column: String,
    /// The figure.
    pub value: u64,
}

/// The figures of an HXL file, and the rows that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Figures {
    /// Every non-empty figure cell, in file order.
    pub figures: Vec<Figure>,
    /// Rows with a missing year or a cell that is not a whole number.
    pub quarantined: Vec<RowProblem>,
    /// Data rows read (hashtag and header rows not counted).
    pub rows_read: u64,
}

/// Reads the country-year figures of an HXL file (e.g. IDMC's displacement
/// figures): each non-empty cell of a column tagged `#affected`, `#inneed`,
/// `#targeted`, `#reached` or `#population` (any attributes) is one [`Figure`]
/// for the row's `#country+code` / `#country+name` and `#date+year`. An empty
/// cell is no figure. A row with no year, or a figure that is not a whole
/// number ≥ 0, is quarantined whole.
pub fn read_hxl_figures<R: Read>(file_name: &str, reader: R) -> Result<Figures, IngestError> {
    let input = crate::prepare(file_name, reader)?;
    let opened = table::open(file_name, input, Dialect::CSV)?;
    let header_names: Vec<String> = opened.header_names().to_vec();
    let Some(tags) = opened.header.tags.clone() else {
        return Err(IngestError::NoHashtags {
            file: file_name.to_string(),
        });
    };
    let year =
        find(&opened.header, "date", &["year"]).ok_or_else(|| IngestError::MissingColumn {
            file: file_name.to_string(),
            format: Format::Hxl,
            column: "#date+year".to_string(),
        })?;
    let code = find(&opened.header, "country", &["code"]);
    let name = find(&opened.header, "country", &["name"]);
    let columns: Vec<(usize, String, String)> = tags
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let t = t.as_ref()?;
            FIGURE_TAGS.contains(&t.name.as_str()).then(|| {
                let written = opened.hashtag_text(i).unwrap_or_default();
                let column = header_names.get(i).cloned().unwrap_or_default();
                (i, written, column)
            })
        })
        .collect();
    let mut out = Figures::default();
    table::each_row(file_name, opened, |row| {
        out.rows_read += 1;
        let row = match row {
            Ok(row) => row,
            Err(problem) => {
                out.quarantined.push(problem);
                return;
            }
        };
        let y = row.get_written(year);
        let Some(y) = (y.len() == 4).then(|| y.parse::<i32>().ok()).flatten() else {
            out.quarantined
                .push(row.problem(year, "expected a year (YYYY)"));
            return;
        };
        let mut figures = Vec::new();
        for (col, kind, column) in &columns {
            let text = row.get_written(*col);
            if text.is_empty() {
                continue;
            }
            let value = text
                .strip_suffix(".0")
                .unwrap_or(text)
                .parse::<u64>()
                .ok()
                .filter(|_| text.bytes().all(|b| b.is_ascii_digit() || b == b'.'));
            let Some(value) = value else {
                out.quarantined
                    .push(row.problem(*col, "expected a number of people (a whole number ≥ 0)"));
                return;
            };
            figures.push(Figure {
                line: row.line,
                country_code: parse::non_blank(row.opt_written(code)),
                country: parse::non_blank(row.opt_written(name)),
                year: y,
                kind: kind.clone(),
                column: column.clone(),
                value,
            });
        }
        out.figures.extend(figures);
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_event_type() {
        assert_eq!(kind_of("air-strike"), "air-strike");
        assert_eq!(kind_of("Battles"), "armed-clash");
        assert_eq!(kind_of("Something else"), "event");
        assert_eq!(kind_of(""), "event");
    }
}
