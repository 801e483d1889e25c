//! GeoParquet exports of a check's incidents and findings, for analysts who load
//! them in DuckDB, GeoPandas, QGIS or Spark.
//!
//! The files follow GeoParquet 1.1: a Parquet file whose `geo` key-value metadata
//! names the geometry column (`geometry`, WKB-encoded points, longitude/latitude
//! in WGS 84 — the default CRS, OGC:CRS84, so no `crs` is written) and the
//! bounding box of the points. Dates are Parquet `DATE`s, counts `INT64`, text
//! `STRING`; an incident without a point has a null geometry rather than being
//! left out. Columns are those of the CSV exports (`docs/check-output.md`).

use crate::export::{enum_text, reasons_line, violations_by_incident};
use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use std::io::Write;
use std::sync::Arc;
use truce_engine::CheckResult;
use truce_model::finding::Certainty;
use truce_model::report::LonLat;
use truce_model::time::Day;

/// Writing the Parquet file failed (the writer's own error, or the output's).
#[derive(Debug, thiserror::Error)]
#[error("cannot write the GeoParquet file: {0}")]
pub struct GeoParquetError(String);

impl From<parquet::errors::ParquetError> for GeoParquetError {
    fn from(e: parquet::errors::ParquetError) -> Self {
        GeoParquetError(e.to_string())
    }
}

/// The values of one column, in row order.
enum Values {
    Text(Vec<Option<String>>),
    Date(Vec<Option<Day>>),
    Whole(Vec<Option<i64>>),
    Real(Vec<Option<f64>>),
    Point(Vec<Option<LonLat>>),
}

struct Column {
    name: &'static str,
    values: Values,
}

impl Column {
    fn schema(&self) -> String {
        let name = self.name;
        match self.values {
            Values::Text(_) => format!("OPTIONAL BYTE_ARRAY {name} (STRING);"),
            Values::Date(_) => format!("OPTIONAL INT32 {name} (DATE);"),
            Values::Whole(_) => format!("OPTIONAL INT64 {name};"),
            Values::Real(_) => format!("OPTIONAL DOUBLE {name};"),
            Values::Point(_) => format!("OPTIONAL BYTE_ARRAY {name};"),
        }
    }
}

/// A point as WKB (ISO/OGC well-known binary): little-endian byte-order mark,
/// geometry type 1 (Point), then x (longitude) and y (latitude) as f64.
fn point_wkb(point: LonLat) -> ByteArray {
    let mut bytes = Vec::with_capacity(21);
    bytes.push(1u8);
    bytes.extend_from_slice(&1u32.to_le_bytes());
    bytes.extend_from_slice(&point.lon.to_le_bytes());
    bytes.extend_from_slice(&point.lat.to_le_bytes());
    ByteArray::from(bytes)
}

/// Splits optional values into the present ones and Parquet definition levels.
fn levels<T, U>(values: &[Option<T>], convert: impl Fn(&T) -> U) -> (Vec<U>, Vec<i16>) {
    let mut present = Vec::with_capacity(values.len());
    let mut definition = Vec::with_capacity(values.len());
    for value in values {
        match value {
            Some(v) => {
                present.push(convert(v));
                definition.push(1);
            }
            None => definition.push(0),
        }
    }
    (present, definition)
}

/// The `geo` metadata of GeoParquet 1.1 for one point column and its bounding box.
fn geo_metadata(points: &[Option<LonLat>]) -> String {
    let located: Vec<&LonLat> = points.iter().flatten().collect();
    let mut columns = serde_json::Map::new();
    let mut geometry = serde_json::Map::new();
    geometry.insert("encoding".into(), "WKB".into());
    geometry.insert("geometry_types".into(), serde_json::json!(["Point"]));
    if !located.is_empty() {
        let fold = |f: fn(f64, f64) -> f64, start: f64, get: fn(&LonLat) -> f64| {
            located.iter().map(|p| get(p)).fold(start, f)
        };
        geometry.insert(
            "bbox".into(),
            serde_json::json!([
                fold(f64::min, f64::INFINITY, |p| p.lon),
                fold(f64::min, f64::INFINITY, |p| p.lat),
                fold(f64::max, f64::NEG_INFINITY, |p| p.lon),
                fold(f64::max, f64::NEG_INFINITY, |p| p.lat),
            ]),
        );
    }
    columns.insert("geometry".into(), geometry.into());
    serde_json::json!({
        "version": "1.1.0",
        "primary_column": "geometry",
        "columns": columns,
    })
    .to_string()
}

/// Writes the columns as one row group of a GeoParquet file.
fn write_columns<W: Write + Send>(
    output: W,
    table: &str,
    columns: Vec<Column>,
    extra_metadata: Vec<KeyValue>,
) -> Result<(), GeoParquetError> {
    let message = format!(
        "message {table} {{ {} }}",
        columns
            .iter()
            .map(Column::schema)
            .collect::<Vec<_>>()
            .join(" ")
    );
    let schema = Arc::new(parse_message_type(&message)?);
    let mut metadata = extra_metadata;
    if let Some(Values::Point(points)) = columns
        .iter()
        .find(|c| c.name == "geometry")
        .map(|c| &c.values)
    {
        metadata.push(KeyValue::new("geo".to_string(), geo_metadata(points)));
    }
    let properties = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_key_value_metadata(Some(metadata))
            .build(),
    );
    let mut writer = SerializedFileWriter::new(output, schema, properties)?;
    let mut group = writer.next_row_group()?;
    let mut index = 0;
    while let Some(mut column) = group.next_column()? {
        let Some(spec) = columns.get(index) else {
            return Err(GeoParquetError(
                "the schema has more columns than values".into(),
            ));
        };
        match &spec.values {
            Values::Text(values) => {
                let (present, definition) =
                    levels(values, |s: &String| ByteArray::from(s.as_str()));
                column
                    .typed::<ByteArrayType>()
                    .write_batch(&present, Some(&definition), None)?;
            }
            Values::Point(values) => {
                let (present, definition) = levels(values, |p: &LonLat| point_wkb(*p));
                column
                    .typed::<ByteArrayType>()
                    .write_batch(&present, Some(&definition), None)?;
            }
            Values::Date(values) => {
                let (present, definition) = levels(values, |d: &Day| d.0);
                column
                    .typed::<Int32Type>()
                    .write_batch(&present, Some(&definition), None)?;
            }
            Values::Whole(values) => {
                let (present, definition) = levels(values, |n: &i64| *n);
                column
                    .typed::<Int64Type>()
                    .write_batch(&present, Some(&definition), None)?;
            }
            Values::Real(values) => {
                let (present, definition) = levels(values, |n: &f64| *n);
                column
                    .typed::<DoubleType>()
                    .write_batch(&present, Some(&definition), None)?;
            }
        }
        column.close()?;
        index += 1;
    }
    group.close()?;
    writer.close()?;
    Ok(())
}

fn text(value: impl Into<String>) -> Option<String> {
    Some(value.into())
}

fn result_metadata(result: &CheckResult) -> Vec<KeyValue> {
    vec![
        KeyValue::new("truce:agreement".into(), result.agreement.id.clone()),
        KeyValue::new("truce:as_of".into(), result.as_of.to_string()),
        KeyValue::new("truce:schema".into(), truce_engine::SCHEMA.to_string()),
    ]
}

/// The incidents with findings, one row each, as GeoParquet (the columns of
/// `export incidents-csv`, with dates as dates and the point as the geometry).
pub fn incidents_geoparquet<W: Write + Send>(
    result: &CheckResult,
    output: W,
) -> Result<(), GeoParquetError> {
    let violations = violations_by_incident(result);
    let incidents = &result.incidents;
    let texts = |get: &dyn Fn(&truce_engine::IncidentSummary) -> Option<String>| {
        Values::Text(incidents.iter().map(get).collect())
    };
    let strongest = |i: &truce_engine::IncidentSummary| {
        violations
            .get(i.id.as_str())
            .and_then(|v| v.1)
            .map_or("none", Certainty::as_str)
            .to_string()
    };
    let columns = vec![
        Column {
            name: "incident",
            values: texts(&|i| text(i.id.clone())),
        },
        Column {
            name: "date_first",
            values: Values::Date(incidents.iter().map(|i| Some(i.date.first)).collect()),
        },
        Column {
            name: "date_last",
            values: Values::Date(incidents.iter().map(|i| Some(i.date.last)).collect()),
        },
        Column {
            name: "date_precision",
            values: texts(&|i| text(enum_text(&i.date.precision))),
        },
        Column {
            name: "place",
            values: texts(&|i| text(i.place.clone())),
        },
        Column {
            name: "location_precision",
            values: texts(&|i| text(enum_text(&i.location_precision))),
        },
        Column {
            name: "kind",
            values: texts(&|i| text(i.kind.clone())),
        },
        Column {
            name: "grade",
            values: texts(&|i| text(enum_text(&i.grade))),
        },
        Column {
            name: "reports",
            values: texts(&|i| text(i.reports.join("; "))),
        },
        Column {
            name: "deaths_low",
            values: Values::Whole(
                incidents
                    .iter()
                    .map(|i| i.casualties.map(|c| i64::from(c.low)))
                    .collect(),
            ),
        },
        Column {
            name: "deaths_best",
            values: Values::Whole(
                incidents
                    .iter()
                    .map(|i| i.casualties.map(|c| i64::from(c.best)))
                    .collect(),
            ),
        },
        Column {
            name: "deaths_high",
            values: Values::Whole(
                incidents
                    .iter()
                    .map(|i| i.casualties.map(|c| i64::from(c.high)))
                    .collect(),
            ),
        },
        Column {
            name: "violation",
            values: texts(&|i| text(strongest(i))),
        },
        Column {
            name: "violations",
            values: texts(&|i| {
                text(
                    violations
                        .get(i.id.as_str())
                        .map(|v| v.0.join("; "))
                        .unwrap_or_default(),
                )
            }),
        },
        Column {
            name: "geometry",
            values: Values::Point(incidents.iter().map(|i| i.point).collect()),
        },
    ];
    write_columns(output, "incidents", columns, result_metadata(result))
}

/// Every finding, one row each, as GeoParquet: the columns of `export
/// findings-csv`, with its incident's point as the geometry.
pub fn findings_geoparquet<W: Write + Send>(
    result: &CheckResult,
    output: W,
) -> Result<(), GeoParquetError> {
    let points: std::collections::HashMap<&str, Option<LonLat>> = result
        .incidents
        .iter()
        .map(|i| (i.id.as_str(), i.point))
        .collect();
    let findings = &result.findings;
    let texts = |get: &dyn Fn(&truce_model::finding::Finding) -> Option<String>| {
        Values::Text(findings.iter().map(get).collect())
    };
    let columns = vec![
        Column {
            name: "finding",
            values: texts(&|f| text(f.id.clone())),
        },
        Column {
            name: "incident",
            values: texts(&|f| text(&*f.incident)),
        },
        Column {
            name: "clause",
            values: texts(&|f| text(&*f.clause)),
        },
        Column {
            name: "party",
            values: texts(&|f| f.party.as_deref().map(str::to_string)),
        },
        Column {
            name: "actor",
            values: texts(&|f| text(&*f.actor)),
        },
        Column {
            name: "verdict",
            values: texts(&|f| text(enum_text(&f.verdict))),
        },
        Column {
            name: "certainty",
            values: texts(&|f| text(f.certainty.as_str())),
        },
        Column {
            name: "confidence",
            values: Values::Real(findings.iter().map(|f| Some(f.confidence)).collect()),
        },
        Column {
            name: "date_first",
            values: Values::Date(findings.iter().map(|f| Some(f.date.first)).collect()),
        },
        Column {
            name: "date_last",
            values: Values::Date(findings.iter().map(|f| Some(f.date.last)).collect()),
        },
        Column {
            name: "reasons",
            values: texts(&|f| text(reasons_line(f))),
        },
        Column {
            name: "geometry",
            values: Values::Point(
                findings
                    .iter()
                    .map(|f| points.get(&*f.incident).copied().flatten())
                    .collect(),
            ),
        },
    ];
    write_columns(output, "findings", columns, result_metadata(result))
}
