//! Reading a mission's data file with its mapping: CSV rows or JSON Lines
//! objects become cells, one per mapped column, and one function turns the
//! cells of a row into a report or says why it cannot.

use super::{Attribution, MappedInput, Mapping, PrecisionRule};
use crate::error::{IngestError, MissingMappedColumn, RowProblem};
use crate::table::{self, Dialect, Header, NotReport, Row, RowReader};
use crate::{Format, ImportOptions, Sink, parse};
use serde_json::Value as Json;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::io::Read;
use truce_model::report::{Casualties, Location, LonLat, Provenance, Report, Role, Side};
use truce_model::time::{DatePrecision, DateSpan};

/// Reads a whole data file with `mapping`; returns the number of data rows read.
pub(crate) fn import<R: Read>(
    file: &str,
    reader: R,
    mapping: &Mapping,
    options: &ImportOptions,
    sink: &mut dyn Sink,
) -> Result<u64, IngestError> {
    let input = crate::prepare(file, reader)?;
    match mapping.input {
        MappedInput::Csv { delimiter } => {
            import_csv(file, input, delimiter, mapping, options, sink)
        }
        MappedInput::JsonLines => import_jsonl(file, input, mapping, options, sink),
    }
}

// ------------------------------------------------------------------ cells

/// One mapped column's value in one row.
#[derive(Debug)]
enum Cell<'a> {
    /// The JSON object has no such key (a CSV row always has every column).
    Absent,
    /// Text, or a JSON number or boolean as written; `null` is empty text.
    Text(Cow<'a, str>),
    /// A JSON value that is not text (`an object`), which no field can take.
    Nested(&'static str),
}

/// The cells of one row, the names to quarantine them under, and where the row is.
struct Cells<'a> {
    file: &'a str,
    line: u64,
    values: Vec<Cell<'a>>,
    /// The name of each mapped column in this file (the header's spelling for CSV).
    fields: &'a [String],
}

impl<'a> Cells<'a> {
    fn field(&self, column: usize) -> &str {
        self.fields.get(column).map_or("", String::as_str)
    }

    /// A problem with a mapped column's value.
    fn problem(&self, column: usize, reason: impl Into<String>) -> RowProblem {
        match self.values.get(column) {
            Some(Cell::Text(text)) => RowProblem::field(
                self.file,
                self.line,
                self.field(column),
                text.trim(),
                reason,
            ),
            _ => RowProblem {
                file: self.file.to_string(),
                line: self.line,
                field: Some(self.field(column).to_string()),
                value: None,
                reason: reason.into(),
            },
        }
    }

    /// The trimmed text of a mapped column; `None` when a JSON object lacks the
    /// key; an error when the JSON value is an object or such.
    fn get(&self, column: usize) -> Result<Option<&str>, RowProblem> {
        match self.values.get(column) {
            Some(Cell::Text(text)) => Ok(Some(text.trim())),
            Some(Cell::Nested(what)) => {
                Err(self.problem(column, format!("found {what}, expected text or a number")))
            }
            Some(Cell::Absent) | None => Ok(None),
        }
    }

    /// The trimmed text of an optional column: `""` when unmapped, absent or empty.
    fn text(&self, column: Option<usize>) -> Result<&str, RowProblem> {
        match column {
            Some(column) => Ok(self.get(column)?.unwrap_or("")),
            None => Ok(""),
        }
    }

    /// The text of a column the report cannot do without: a problem when it is
    /// absent or empty, saying what was `expected`.
    fn required(&self, column: usize, expected: &str) -> Result<&str, RowProblem> {
        match self.get(column)? {
            Some(text) if !text.is_empty() => Ok(text),
            Some(_) => Err(self.problem(column, expected)),
            None => Err(self.problem(
                column,
                format!("the object has no key `{}`; {expected}", self.field(column)),
            )),
        }
    }
}

/// The id of a row without an id column: a hash of its content, so that the
/// same row read again is recognised as the same report (and an edited row is
/// a new one: only an id column lets the store see revisions).
fn content_id<'x>(parts: impl Iterator<Item = &'x str>) -> String {
    let mut hasher = Sha256::new();
    for (i, part) in parts.enumerate() {
        if i > 0 {
            // The unit separator keeps `a,bc` and `ab,c` apart.
            hasher.update([0x1f]);
        }
        hasher.update(part.as_bytes());
    }
    let digest = hasher.finalize();
    let mut id = String::from("sha256-");
    for byte in &digest[..8] {
        id.push_str(&format!("{byte:02x}"));
    }
    id
}

// ------------------------------------------------------------------ one row

/// Days in a span → its precision, as the HXL reader derives it.
fn span_precision(days: i64) -> DatePrecision {
    match days {
        1 => DatePrecision::Day,
        2..=6 => DatePrecision::Days,
        7 => DatePrecision::Week,
        8..=31 => DatePrecision::Month,
        _ => DatePrecision::Year,
    }
}

/// Turns the cells of one row into a report, or the first problem found.
fn report(
    mapping: &Mapping,
    cells: &Cells<'_>,
    content: impl FnOnce() -> String,
) -> Result<Report, RowProblem> {
    let source_id = match mapping.id {
        Some(column) => cells
            .required(column, "expected the report's id")?
            .to_string(),
        None => content(),
    };

    let date_expected = format!(
        "expected a date that exists, written {}",
        mapping.date_format.describe()
    );
    let first_text = cells.required(mapping.date_column, &date_expected)?;
    let first = mapping
        .date_format
        .read(first_text)
        .ok_or_else(|| cells.problem(mapping.date_column, date_expected.clone()))?;
    let last = match mapping.date_end_column {
        None => first.last,
        Some(column) => match cells.get(column)? {
            None | Some("") => first.last,
            Some(text) => {
                let end = mapping
                    .date_format
                    .read(text)
                    .ok_or_else(|| cells.problem(column, date_expected.clone()))?;
                if end.last < first.first {
                    return Err(cells.problem(
                        column,
                        format!("expected a date on or after the start ({})", first.first),
                    ));
                }
                end.last
            }
        },
    };
    let date = DateSpan {
        first: first.first,
        last,
        precision: span_precision(i64::from(last.0) - i64::from(first.first.0) + 1),
    };

    let location = location(mapping, cells)?;
    let (kind, kind_label) = kind(mapping, cells)?;
    let sides = sides(mapping, cells)?;
    let casualties = casualties(mapping, cells)?;

    Ok(Report {
        provenance: Provenance {
            source: mapping.source.clone(),
            source_id,
            file: cells.file.to_string(),
            line: cells.line,
            revision: parse::non_blank(cells.text(mapping.revision)?),
            raw: Vec::new(),
        },
        date,
        location,
        kind,
        kind_label,
        sides,
        casualties,
        summary: parse::non_blank(cells.text(mapping.summary)?),
        source_count: None,
        urls: parse::evidence_list(cells.text(mapping.urls)?),
        media: match mapping.media {
            Some(column) => parse::media_hashes(cells.text(Some(column))?)
                .map_err(|found| cells.problem(column, parse::media_expected(&found)))?,
            None => Vec::new(),
        },
        text: None,
        aggregate: false,
    })
}

fn location(mapping: &Mapping, cells: &Cells<'_>) -> Result<Location, RowProblem> {
    let (lat_text, lon_text) = (
        cells.text(mapping.latitude)?,
        cells.text(mapping.longitude)?,
    );
    let point = match (mapping.latitude, mapping.longitude) {
        (Some(lat_column), Some(lon_column)) if !(lat_text.is_empty() && lon_text.is_empty()) => {
            let lat = parse::degrees(lat_text, 90.0).ok_or_else(|| {
                cells.problem(
                    lat_column,
                    "expected a latitude in decimal degrees between -90 and 90",
                )
            })?;
            let lon = parse::degrees(lon_text, 180.0).ok_or_else(|| {
                cells.problem(
                    lon_column,
                    "expected a longitude in decimal degrees between -180 and 180",
                )
            })?;
            Some(LonLat { lon, lat })
        }
        _ => None,
    };
    let precision = match &mapping.precision {
        PrecisionRule::Fixed(precision) => *precision,
        PrecisionRule::Column {
            column,
            map,
            values,
        } => {
            let text = cells.text(Some(*column))?;
            let lower = text.to_lowercase();
            match map.iter().find(|(value, _)| *value == lower) {
                Some((_, precision)) => *precision,
                None => {
                    let known: Vec<String> = values
                        .iter()
                        .zip(map)
                        .map(|(value, (_, p))| format!("`{value}` ({})", p.key()))
                        .collect();
                    return Err(cells.problem(
                        *column,
                        format!(
                            "expected a location precision the mapping `{}` knows: {}",
                            mapping.file,
                            known.join(", ")
                        ),
                    ));
                }
            }
        }
    };
    Ok(Location {
        point,
        precision,
        place: parse::non_blank(cells.text(mapping.place_name)?),
        admin1: parse::non_blank(cells.text(mapping.admin1)?),
        admin2: parse::non_blank(cells.text(mapping.admin2)?),
        country: parse::non_blank(cells.text(mapping.country)?),
    })
}

fn kind(mapping: &Mapping, cells: &Cells<'_>) -> Result<(String, String), RowProblem> {
    let column = mapping.kind_column;
    let text = cells.text(Some(column))?;
    let lower = text.to_lowercase();
    if let Some((_, kind)) = mapping.kind_map.iter().find(|(value, _)| *value == lower) {
        return Ok((kind.clone(), text.to_string()));
    }
    if let Some(default) = &mapping.kind_default {
        let label = if text.is_empty() {
            format!("{}: no `{}` given", mapping.source, cells.field(column))
        } else {
            text.to_string()
        };
        return Ok((default.clone(), label));
    }
    let known: Vec<String> = mapping
        .kind_values
        .iter()
        .map(|value| format!("`{value}`"))
        .collect();
    Err(cells.problem(
        column,
        format!(
            "expected a value the mapping `{}` maps to a kind: {} (add it to `[kind] map`, or \
             set `[kind] default`)",
            mapping.file,
            known.join(", ")
        ),
    ))
}

fn sides(mapping: &Mapping, cells: &Cells<'_>) -> Result<Vec<Side>, RowProblem> {
    let mut sides = Vec::with_capacity(2);
    let (actor_role, target_role) = match mapping.attribution {
        Attribution::Stated => (Role::Initiator, Role::Target),
        Attribution::Unstated => (Role::Unknown, Role::Unknown),
    };
    for (column, role) in [(mapping.actor, actor_role), (mapping.target, target_role)] {
        let Some(column) = column else { continue };
        let mut names = Vec::new();
        parse::names(
            cells.text(Some(column))?,
            &mapping.name_separator,
            &mut names,
        );
        // "Unknown" in a perpetrator column is what the form does not know, not an actor.
        names.retain(|name| !mapping.unknown_names.contains(&name.to_lowercase()));
        if names.is_empty() {
            continue;
        }
        sides.push(Side {
            field: cells.field(column).to_string(),
            names,
            role,
            category: None,
        });
    }
    Ok(sides)
}

fn casualties(mapping: &Mapping, cells: &Cells<'_>) -> Result<Option<Casualties>, RowProblem> {
    let count = |column: Option<usize>, what: &str| -> Result<Option<u32>, RowProblem> {
        let Some(column) = column else {
            return Ok(None);
        };
        match cells.text(Some(column))? {
            "" => Ok(None),
            text => parse::count(text).map(Some).ok_or_else(|| {
                cells.problem(column, format!("expected {what} (a whole number ≥ 0)"))
            }),
        }
    };
    let best = count(mapping.killed, "the number killed")?;
    let low = count(mapping.killed_low, "the low estimate of the number killed")?;
    let high = count(
        mapping.killed_high,
        "the high estimate of the number killed",
    )?;
    let civilians = count(mapping.killed_civilians, "the number of civilians killed")?;
    let Some(best) = best else {
        // A range or a civilian count without the number killed would be
        // silently lost: say so rather than keep a report without them.
        if let (Some(column), true) = (
            mapping.killed,
            low.is_some() || high.is_some() || civilians.is_some(),
        ) {
            return Err(cells.problem(
                column,
                "expected the number killed (best estimate) when a low or high estimate or a \
                 civilian count is given",
            ));
        }
        return Ok(None);
    };
    Ok(Some(Casualties::from_estimates(best, low, high, civilians)))
}

// ------------------------------------------------------------------ CSV

/// The mapping as a [`RowReader`], so that CSV rows go through the shared
/// machinery (line counting, width checks, raw rows, batches in parallel).
struct CsvRows<'m> {
    mapping: &'m Mapping,
    /// The header index of each mapped column.
    indexes: Vec<usize>,
    /// The header's spelling of each mapped column, for problems.
    fields: Vec<String>,
}

impl RowReader for CsvRows<'_> {
    type Columns = ();

    fn format(&self) -> Format {
        Format::Mapped
    }

    fn columns(&self, _: &Header) -> Result<(), &'static str> {
        // Found (or reported missing, with the mapping's key) before the rows are read.
        Ok(())
    }

    fn report(&self, _: &(), row: &Row<'_>) -> Result<Report, NotReport> {
        let cells = Cells {
            file: row.file,
            line: row.line,
            values: self
                .indexes
                .iter()
                .map(|&i| Cell::Text(Cow::Borrowed(row.get(i))))
                .collect(),
            fields: &self.fields,
        };
        report(self.mapping, &cells, || content_id(row.cells())).map_err(NotReport::Quarantine)
    }
}

fn import_csv<R: Read>(
    file: &str,
    input: R,
    delimiter: u8,
    mapping: &Mapping,
    options: &ImportOptions,
    sink: &mut dyn Sink,
) -> Result<u64, IngestError> {
    let dialect = Dialect {
        delimiter,
        quoting: true,
        fixed: None,
        // A mission's form has no HXL row; a second line of `#…` cells is data.
        hashtags: false,
    };
    let opened = table::open(file, input, dialect)?;
    let mut indexes = Vec::with_capacity(mapping.columns.len());
    let mut fields = Vec::with_capacity(mapping.columns.len());
    let mut missing = Vec::new();
    for column in &mapping.columns {
        match opened.header.find(&column.name.to_ascii_lowercase()) {
            Some(index) => {
                indexes.push(index);
                fields.push(
                    opened
                        .header_names()
                        .get(index)
                        .cloned()
                        .unwrap_or_else(|| column.name.clone()),
                );
            }
            None => missing.push(column),
        }
    }
    // Every missing column at once: the author fixes the header (or the mapping) in one go.
    if let Some((first, others)) = missing.split_first() {
        let found = opened.header_names().to_vec();
        let names: Vec<&str> = found.iter().map(String::as_str).collect();
        let near = truce_model::names::closest(&first.name, &names).map(str::to_string);
        return Err(IngestError::MappedColumnMissing(Box::new(
            MissingMappedColumn {
                file: file.to_string(),
                mapping: mapping.file.clone(),
                mapping_line: first.line,
                key: first.key.clone(),
                column: first.name.clone(),
                found: found.into_iter().take(50).collect(),
                near,
                also_missing: others.iter().map(|c| c.name.clone()).collect(),
            },
        )));
    }
    let rows = CsvRows {
        mapping,
        indexes,
        fields,
    };
    table::run(file, opened, &rows, options, sink)
}

// ------------------------------------------------------------------ JSON Lines

/// A JSON value as a cell: text as is, numbers and booleans as written, `null`
/// empty, a list of texts joined with the name separator (a list of actors).
fn json_cell<'a>(value: &'a Json, separator: &str) -> Cell<'a> {
    match value {
        Json::Null => Cell::Text(Cow::Borrowed("")),
        Json::String(text) => Cell::Text(Cow::Borrowed(text)),
        Json::Bool(b) => Cell::Text(Cow::Borrowed(if *b { "true" } else { "false" })),
        Json::Number(n) => Cell::Text(Cow::Owned(number_text(n))),
        Json::Array(items) => {
            let mut parts = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Json::String(text) => parts.push(Cow::Borrowed(text.as_str())),
                    Json::Number(n) => parts.push(Cow::Owned(number_text(n))),
                    Json::Bool(b) => parts.push(Cow::Borrowed(if *b { "true" } else { "false" })),
                    Json::Null => {}
                    Json::Array(_) | Json::Object(_) => return Cell::Nested("a nested list"),
                }
            }
            Cell::Text(Cow::Owned(parts.join(separator)))
        }
        Json::Object(_) => Cell::Nested("an object"),
    }
}

/// A JSON number as plain decimal digits: never `1e-5`, which no field reads.
fn number_text(number: &serde_json::Number) -> String {
    if number.is_i64() || number.is_u64() {
        number.to_string()
    } else {
        number
            .as_f64()
            .map_or_else(|| number.to_string(), |f| f.to_string())
    }
}

/// The value at a column's key: the key as written (it may hold a dot), else
/// the dotted path into nested objects; keys matched exactly, else without case.
fn lookup<'a>(object: &'a serde_json::Map<String, Json>, path: &str) -> Option<&'a Json> {
    let key = |object: &'a serde_json::Map<String, Json>, key: &str| -> Option<&'a Json> {
        object.get(key).or_else(|| {
            object
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v)
        })
    };
    if let Some(value) = key(object, path) {
        return Some(value);
    }
    let mut parts = path.split('.');
    let mut value = key(object, parts.next()?)?;
    for part in parts {
        value = match value {
            Json::Object(inner) => key(inner, part)?,
            _ => return None,
        };
    }
    Some(value)
}

/// The object as `(dotted key, value)` pairs, nested objects flattened, lists as JSON.
fn flatten(prefix: &str, object: &serde_json::Map<String, Json>, out: &mut Vec<(String, String)>) {
    for (key, value) in object {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Json::Object(inner) => flatten(&path, inner, out),
            Json::String(text) => out.push((path, text.clone())),
            Json::Null => out.push((path, String::new())),
            other => out.push((path, other.to_string())),
        }
    }
}

fn import_jsonl<R: Read>(
    file: &str,
    input: R,
    mapping: &Mapping,
    options: &ImportOptions,
    sink: &mut dyn Sink,
) -> Result<u64, IngestError> {
    let fields: Vec<String> = mapping.columns.iter().map(|c| c.name.clone()).collect();
    crate::jsonl::for_each_line(file, input, |line, text| {
        let text = match text {
            Ok(text) => text,
            Err(reason) => return sink.quarantine(RowProblem::row(file, line, reason)),
        };
        let object = match serde_json::from_str::<Json>(text) {
            Ok(Json::Object(object)) => object,
            Ok(other) => {
                let found = match other {
                    Json::Array(_) => "an array",
                    Json::String(_) => "a string",
                    Json::Number(_) => "a number",
                    Json::Bool(_) => "a boolean",
                    _ => "null",
                };
                sink.quarantine(RowProblem::row(
                    file,
                    line,
                    format!("found {found}, expected one JSON object per line"),
                ));
                return;
            }
            Err(e) => {
                sink.quarantine(RowProblem::row(
                    file,
                    line,
                    format!("expected one JSON object per line: {e}"),
                ));
                return;
            }
        };
        let cells = Cells {
            file,
            line,
            values: mapping
                .columns
                .iter()
                .map(|c| match lookup(&object, &c.name) {
                    Some(value) => json_cell(value, &mapping.name_separator),
                    None => Cell::Absent,
                })
                .collect(),
            fields: &fields,
        };
        match report(mapping, &cells, || content_id(std::iter::once(text))) {
            Ok(mut report) => {
                if options.keep_raw {
                    flatten("", &object, &mut report.provenance.raw);
                }
                sink.report(report);
            }
            Err(problem) => sink.quarantine(problem),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ids_are_stable_and_keep_cells_apart() {
        let a = content_id(["a", "bc"].into_iter());
        assert_eq!(a, content_id(["a", "bc"].into_iter()));
        assert_ne!(a, content_id(["ab", "c"].into_iter()));
        assert!(a.starts_with("sha256-") && a.len() == 7 + 16, "{a}");
    }

    #[test]
    fn json_values_become_cells() {
        let value: Json = serde_json::from_str(
            r#"{"a": 1, "b": 0.00001, "c": null, "d": ["x", "y"], "e": {"f": {"g": "deep"}},
                "h.i": "dotted", "Case": true, "n": [{"x": 1}]}"#,
        )
        .expect("valid JSON");
        let Json::Object(object) = &value else {
            panic!("an object")
        };
        let text = |path: &str| match lookup(object, path).map(|v| json_cell(v, "; ")) {
            Some(Cell::Text(t)) => Some(t.into_owned()),
            Some(Cell::Nested(what)) => Some(format!("<{what}>")),
            Some(Cell::Absent) | None => None,
        };
        assert_eq!(text("a").as_deref(), Some("1"));
        assert_eq!(text("b").as_deref(), Some("0.00001"));
        assert_eq!(text("c").as_deref(), Some(""));
        assert_eq!(text("d").as_deref(), Some("x; y"));
        assert_eq!(text("e.f.g").as_deref(), Some("deep"));
        assert_eq!(text("e.f").as_deref(), Some("<an object>"));
        assert_eq!(text("e.x"), None);
        assert_eq!(text("a.b"), None);
        assert_eq!(text("h.i").as_deref(), Some("dotted"));
        assert_eq!(text("case").as_deref(), Some("true"));
        assert_eq!(text("n").as_deref(), Some("<a nested list>"));
        let mut raw = Vec::new();
        flatten("", object, &mut raw);
        assert!(raw.contains(&("e.f.g".to_string(), "deep".to_string())));
        assert!(raw.contains(&("d".to_string(), "[\"x\",\"y\"]".to_string())));
    }
}
