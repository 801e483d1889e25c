//! Parquet and Arrow IPC files (the file format, also called Feather v2, and
//! the stream format): event tables written by pandas, polars, DuckDB,
//! GeoPandas or UCDP's and ACLED's own tools, read by column name with the
//! same readers as the CSV layouts.
//!
//! Each row's cells are written as the text a CSV export of the same table
//! would hold (a date as `YYYY-MM-DD`, a number as its shortest exact
//! decimal), then mapped by the format's own [`RowReader`]: so a row means
//! the same in either container, and a bad cell is quarantined with the same
//! field, value and reason. A row's number in a problem is its place in the
//! file counted from 1 (there is no header line). A GeoParquet file whose
//! table has no `latitude` and `longitude` columns gets them from its primary
//! geometry column, when that holds WKB points.

use crate::error::IngestError;
use crate::table::{Header, Mapped, RowReader, map_row};
use crate::{Format, ImportOptions, Sink};
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Decimal128Type, Float16Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type,
    Int64Type, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{ArrowError, DataType, SchemaRef, TimeUnit};
use bytes::Bytes;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use truce_model::time::Day;

/// Rows read and mapped at a time.
const BATCH: usize = 8192;

/// The containers of columns truce reads, told apart by their first bytes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Container {
    /// Apache Parquet (starts with `PAR1`).
    Parquet,
    /// The Arrow IPC file format, also called Feather v2 (starts with `ARROW1`).
    ArrowFile,
    /// The Arrow IPC stream format (starts with the continuation marker `FFFFFFFF`).
    ArrowStream,
}

impl Container {
    /// The container a file's first bytes announce, if any.
    pub fn of(first_bytes: &[u8]) -> Option<Container> {
        if first_bytes.starts_with(b"PAR1") {
            Some(Container::Parquet)
        } else if first_bytes.starts_with(b"ARROW1") {
            Some(Container::ArrowFile)
        } else if first_bytes.starts_with(&[0xFF; 4]) {
            Some(Container::ArrowStream)
        } else {
            None
        }
    }

    /// Its name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Container::Parquet => "Parquet",
            Container::ArrowFile | Container::ArrowStream => "Arrow IPC",
        }
    }
}

/// A file's record batches and their schema.
struct Batches {
    schema: SchemaRef,
    batches: Box<dyn Iterator<Item = Result<RecordBatch, ArrowError>>>,
}

/// Runs a step of the Parquet or Arrow reader on bytes that may be damaged.
///
/// The readers return errors for most damage, but some of their checks are
/// assertions (seen: a dictionary page that is missing): such a file must be
/// refused like any other damaged file, not end the import or the server. The
/// reader's state is dropped with the file, so nothing it half-built is used.
fn guarded<T>(
    file: &str,
    container: Container,
    step: impl FnOnce() -> Result<T, IngestError>,
) -> Result<T, IngestError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(step)).unwrap_or_else(|panic| {
        let said = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(IngestError::Columnar {
            file: file.to_string(),
            container: container.name(),
            reason: format!("the file is damaged (the reader stopped: {said})"),
        })
    })
}

/// Opens `bytes` as `container`.
fn open(file: &str, container: Container, bytes: Bytes) -> Result<Batches, IngestError> {
    guarded(file, container, || open_unguarded(file, container, bytes))
}

fn open_unguarded(file: &str, container: Container, bytes: Bytes) -> Result<Batches, IngestError> {
    let fail = |reason: String| IngestError::Columnar {
        file: file.to_string(),
        container: container.name(),
        reason,
    };
    match container {
        Container::Parquet => {
            let builder =
                parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(bytes)
                    .map_err(|e| fail(e.to_string()))?;
            let schema = builder.schema().clone();
            let reader = builder
                .with_batch_size(BATCH)
                .build()
                .map_err(|e| fail(e.to_string()))?;
            Ok(Batches {
                schema,
                batches: Box::new(reader),
            })
        }
        Container::ArrowFile => {
            let reader = arrow_ipc::reader::FileReader::try_new(std::io::Cursor::new(bytes), None)
                .map_err(|e| fail(e.to_string()))?;
            Ok(Batches {
                schema: reader.schema(),
                batches: Box::new(reader),
            })
        }
        Container::ArrowStream => {
            let reader =
                arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(bytes), None)
                    .map_err(|e| fail(e.to_string()))?;
            Ok(Batches {
                schema: reader.schema(),
                batches: Box::new(reader),
            })
        }
    }
}

/// The table's columns as the readers see them: the file's own, then
/// `latitude` and `longitude` taken from a GeoParquet point geometry when the
/// table has neither.
struct Layout {
    header: Header,
    names: Vec<String>,
    /// The index of the WKB geometry column the two added columns come from.
    geometry: Option<usize>,
}

fn layout(schema: &SchemaRef) -> Layout {
    let mut names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let has = |name: &str| names.iter().any(|n| n.eq_ignore_ascii_case(name));
    let geometry = if has("latitude") || has("longitude") {
        None
    } else {
        wkb_geometry_column(schema)
    };
    if geometry.is_some() {
        names.push("latitude".to_string());
        names.push("longitude".to_string());
    }
    Layout {
        header: Header::named(&names),
        names,
        geometry,
    }
}

/// The index of the primary geometry column a GeoParquet file's `geo`
/// metadata names, when it is WKB-encoded binary.
fn wkb_geometry_column(schema: &SchemaRef) -> Option<usize> {
    let geo: serde_json::Value = serde_json::from_str(schema.metadata().get("geo")?).ok()?;
    let primary = geo.get("primary_column")?.as_str()?;
    let encoding = geo
        .get("columns")?
        .get(primary)?
        .get("encoding")?
        .as_str()?;
    if !encoding.eq_ignore_ascii_case("wkb") {
        return None;
    }
    let (index, field) = schema.column_with_name(primary)?;
    matches!(
        field.data_type(),
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView
    )
    .then_some(index)
}

/// The format a table's column names say, as [`crate::detect_format`] tells
/// it from a CSV header; GDELT by its codebook's first two names.
fn detect(names: &[String]) -> Option<Format> {
    let lower: Vec<String> = names
        .iter()
        .map(|n| n.trim().to_ascii_lowercase())
        .collect();
    let has = |name: &str| lower.iter().any(|n| n == name);
    if crate::ged::GED_MARKERS.iter().all(|m| has(m)) {
        Some(Format::UcdpGed)
    } else if crate::acled::ACLED_MARKERS.iter().all(|m| has(m)) {
        Some(Format::Acled)
    } else if has("globaleventid") && has("sqldate") {
        Some(Format::Gdelt)
    } else {
        None
    }
}

/// Reads every row of a Parquet or Arrow IPC file (`bytes`, whole) as
/// `format`, or as the format its column names say. Returns the number of rows.
pub(crate) fn import(
    file: &str,
    container: Container,
    bytes: Bytes,
    format: Option<Format>,
    options: &ImportOptions,
    sink: &mut dyn Sink,
) -> Result<(Format, u64), IngestError> {
    let batches = open(file, container, bytes)?;
    let layout = layout(&batches.schema);
    let format = match format {
        Some(format) => format,
        None => detect(&layout.names).ok_or_else(|| IngestError::UnknownColumns {
            file: file.to_string(),
            found: layout.names.iter().take(50).cloned().collect(),
        })?,
    };
    let rows = match format {
        Format::UcdpGed => run(
            file,
            container,
            batches,
            &layout,
            &crate::ged::GedReader,
            options,
            sink,
        )?,
        Format::Acled => run(
            file,
            container,
            batches,
            &layout,
            &crate::acled::AcledReader,
            options,
            sink,
        )?,
        Format::Gdelt => run(
            file,
            container,
            batches,
            &layout,
            &crate::gdelt::GdeltReader,
            options,
            sink,
        )?,
        Format::TruceJsonl | Format::Hxl | Format::Mapped => {
            return Err(IngestError::NotColumnar {
                file: file.to_string(),
                container: container.name(),
                format,
            });
        }
    };
    Ok((format, rows))
}

/// Maps the rows of every batch with `source`, a batch at a time on every core,
/// and hands them to `sink` in file order.
fn run<S: RowReader>(
    file: &str,
    container: Container,
    batches: Batches,
    layout: &Layout,
    source: &S,
    options: &ImportOptions,
    sink: &mut dyn Sink,
) -> Result<u64, IngestError> {
    use rayon::prelude::*;
    let columns = source.columns_of(file, &layout.header)?;
    let mut rows_read = 0u64;
    let mut batches = batches.batches;
    while let Some(batch) = guarded(file, container, || Ok(batches.next()))? {
        let batch = batch.map_err(|e| IngestError::Columnar {
            file: file.to_string(),
            container: container.name(),
            reason: e.to_string(),
        })?;
        let cells = batch_cells(file, &batch, layout)?;
        let first = rows_read + 1;
        let mapped: Vec<Mapped> = (0..batch.num_rows())
            .into_par_iter()
            .with_min_len(256)
            .map_init(
                || (csv::StringRecord::new(), String::new()),
                |(record, cell), row| {
                    fill(record, cell, &cells, row);
                    let number = first + row as u64;
                    map_row(
                        file,
                        number,
                        record,
                        &layout.header,
                        source,
                        &columns,
                        options,
                    )
                },
            )
            .collect();
        for outcome in mapped {
            outcome.send(sink);
        }
        rows_read += batch.num_rows() as u64;
    }
    Ok(rows_read)
}

/// Writes one cell's text into a buffer.
type Cell<'a> = Box<dyn Fn(usize, &mut String) + Send + Sync + 'a>;

/// The cells of a batch's columns, in the layout's order.
fn batch_cells<'a>(
    file: &str,
    batch: &'a RecordBatch,
    layout: &Layout,
) -> Result<Vec<Cell<'a>>, IngestError> {
    let mut cells = Vec::with_capacity(layout.names.len());
    for (index, column) in batch.columns().iter().enumerate() {
        let name = layout.names.get(index).map_or("", String::as_str);
        cells.push(cell(file, name, column.as_ref())?);
    }
    if let Some(index) = layout.geometry {
        let geometry = batch.column(index).as_ref();
        cells.push(point_cell(geometry, |(_, latitude)| latitude));
        cells.push(point_cell(geometry, |(longitude, _)| longitude));
    }
    Ok(cells)
}

/// The record of row `row`: one field per cell.
fn fill(record: &mut csv::StringRecord, buffer: &mut String, cells: &[Cell<'_>], row: usize) {
    record.clear();
    for cell in cells {
        buffer.clear();
        cell(row, buffer);
        record.push_field(buffer);
    }
}

/// How a column's value is written as text; an empty cell where it is null.
fn cell<'a>(file: &str, name: &str, array: &'a dyn Array) -> Result<Cell<'a>, IngestError> {
    let text = match array.data_type() {
        DataType::Null => return Ok(Box::new(|_, _| {})),
        DataType::Utf8 => accessed(array.as_string::<i32>(), |v, out| out.push_str(v)),
        DataType::LargeUtf8 => accessed(array.as_string::<i64>(), |v, out| out.push_str(v)),
        DataType::Utf8View => accessed(array.as_string_view(), |v, out| out.push_str(v)),
        DataType::Binary => accessed(array.as_binary::<i32>(), hex),
        DataType::LargeBinary => accessed(array.as_binary::<i64>(), hex),
        DataType::BinaryView => accessed(array.as_binary_view(), hex),
        DataType::Boolean => {
            let a = array.as_boolean();
            Box::new(move |row: usize, out: &mut String| {
                out.push_str(if a.value(row) { "true" } else { "false" });
            })
        }
        DataType::Int8 => number(array.as_primitive::<Int8Type>()),
        DataType::Int16 => number(array.as_primitive::<Int16Type>()),
        DataType::Int32 => number(array.as_primitive::<Int32Type>()),
        DataType::Int64 => number(array.as_primitive::<Int64Type>()),
        DataType::UInt8 => number(array.as_primitive::<UInt8Type>()),
        DataType::UInt16 => number(array.as_primitive::<UInt16Type>()),
        DataType::UInt32 => number(array.as_primitive::<UInt32Type>()),
        DataType::UInt64 => number(array.as_primitive::<UInt64Type>()),
        DataType::Float16 => number(array.as_primitive::<Float16Type>()),
        DataType::Float32 => number(array.as_primitive::<Float32Type>()),
        DataType::Float64 => number(array.as_primitive::<Float64Type>()),
        DataType::Decimal128(_, _) => {
            let a = array.as_primitive::<Decimal128Type>();
            Box::new(move |row: usize, out: &mut String| out.push_str(&a.value_as_string(row)))
        }
        DataType::Date32 => {
            let a = array.as_primitive::<arrow_array::types::Date32Type>();
            Box::new(move |row: usize, out: &mut String| {
                let _ = write!(out, "{}", Day(a.value(row)));
            })
        }
        DataType::Date64 => {
            let a = array.as_primitive::<arrow_array::types::Date64Type>();
            Box::new(move |row: usize, out: &mut String| {
                instant(a.value(row).div_euclid(1_000), out);
            })
        }
        DataType::Timestamp(unit, _) => timestamp(array, *unit),
        DataType::Dictionary(_, _) => {
            let Some(dictionary) = array.as_any_dictionary_opt() else {
                return Err(unreadable(file, name, array));
            };
            let keys = dictionary.normalized_keys();
            let values = cell(file, name, dictionary.values().as_ref())?;
            Box::new(move |row: usize, out: &mut String| {
                if let Some(&key) = keys.get(row) {
                    values(key, out);
                }
            })
        }
        _ => return Err(unreadable(file, name, array)),
    };
    Ok(Box::new(move |row, out| {
        if array.is_valid(row) {
            text(row, out);
        }
    }))
}

/// A column whose values `write` writes as they are (text, or bytes as hex).
fn accessed<'a, A>(array: A, write: fn(A::Item, &mut String)) -> Cell<'a>
where
    A: arrow_array::ArrayAccessor + Send + Sync + 'a,
{
    Box::new(move |row: usize, out: &mut String| write(array.value(row), out))
}

fn unreadable(file: &str, name: &str, array: &dyn Array) -> IngestError {
    IngestError::ColumnType {
        file: file.to_string(),
        column: name.to_string(),
        found: array.data_type().to_string(),
    }
}

/// A number as its shortest exact decimal (`36.2`, `1`, `-0.5`), as Rust's
/// `Display` writes it.
fn number<'a, T>(array: &'a arrow_array::PrimitiveArray<T>) -> Cell<'a>
where
    T: arrow_array::ArrowPrimitiveType,
    T::Native: std::fmt::Display,
{
    Box::new(move |row: usize, out: &mut String| {
        let _ = write!(out, "{}", array.value(row));
    })
}

/// A timestamp as `YYYY-MM-DD HH:MM:SS` (UTC when the column has a time
/// zone), or only the date at midnight, as a date exported by pandas reads.
fn timestamp(array: &dyn Array, unit: TimeUnit) -> Cell<'_> {
    use arrow_array::types::{
        TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
        TimestampSecondType,
    };
    match unit {
        TimeUnit::Second => {
            let a = array.as_primitive::<TimestampSecondType>();
            Box::new(move |row: usize, out: &mut String| instant(a.value(row), out))
        }
        TimeUnit::Millisecond => {
            let a = array.as_primitive::<TimestampMillisecondType>();
            Box::new(move |row: usize, out: &mut String| {
                instant(a.value(row).div_euclid(1_000), out);
            })
        }
        TimeUnit::Microsecond => {
            let a = array.as_primitive::<TimestampMicrosecondType>();
            Box::new(move |row: usize, out: &mut String| {
                instant(a.value(row).div_euclid(1_000_000), out);
            })
        }
        TimeUnit::Nanosecond => {
            let a = array.as_primitive::<TimestampNanosecondType>();
            Box::new(move |row: usize, out: &mut String| {
                instant(a.value(row).div_euclid(1_000_000_000), out);
            })
        }
    }
}

/// Seconds since 1970-01-01 00:00 as `YYYY-MM-DD`, with ` HH:MM:SS` unless midnight.
fn instant(seconds: i64, out: &mut String) {
    let days = seconds.div_euclid(86_400);
    let Ok(day) = i32::try_from(days) else {
        // Beyond any calendar a reader takes: written as the number it is.
        let _ = write!(out, "{seconds}");
        return;
    };
    let _ = write!(out, "{}", Day(day));
    let time = seconds.rem_euclid(86_400);
    if time != 0 {
        let _ = write!(
            out,
            " {:02}:{:02}:{:02}",
            time / 3600,
            time / 60 % 60,
            time % 60
        );
    }
}

fn hex(bytes: &[u8], out: &mut String) {
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
}

/// One coordinate of a WKB point geometry, empty when the geometry is not a
/// point (or is an empty one).
fn point_cell<'a>(array: &'a dyn Array, pick: fn((f64, f64)) -> f64) -> Cell<'a> {
    let value = move |row: usize| -> Option<&'a [u8]> {
        if array.is_null(row) {
            return None;
        }
        match array.data_type() {
            DataType::Binary => Some(array.as_binary::<i32>().value(row)),
            DataType::LargeBinary => Some(array.as_binary::<i64>().value(row)),
            DataType::BinaryView => Some(array.as_binary_view().value(row)),
            _ => None,
        }
    };
    Box::new(move |row: usize, out: &mut String| {
        if let Some(coordinate) = value(row).and_then(wkb_point).map(pick) {
            let _ = write!(out, "{coordinate}");
        }
    })
}

/// `(x, y)` of a WKB (or EWKB) point: longitude and latitude in GeoParquet's
/// default coordinate system. `None` for any other geometry, or an empty point.
fn wkb_point(wkb: &[u8]) -> Option<(f64, f64)> {
    let little = match wkb.first()? {
        0 => false,
        1 => true,
        _ => return None,
    };
    let word = |at: usize| -> Option<[u8; 4]> { wkb.get(at..at + 4)?.try_into().ok() };
    let float = |at: usize| -> Option<f64> {
        let bytes: [u8; 8] = wkb.get(at..at + 8)?.try_into().ok()?;
        Some(if little {
            f64::from_le_bytes(bytes)
        } else {
            f64::from_be_bytes(bytes)
        })
    };
    let kind = word(1).map(|w| {
        if little {
            u32::from_le_bytes(w)
        } else {
            u32::from_be_bytes(w)
        }
    })?;
    // EWKB carries flags in the high bits (an SRID follows the type when 0x20000000
    // is set); ISO WKB numbers a point with Z, M or both 1001, 2001, 3001.
    let has_srid = kind & 0x2000_0000 != 0;
    if (kind & 0x0FFF_FFFF) % 1000 != 1 {
        return None;
    }
    let at = if has_srid { 9 } else { 5 };
    let (x, y) = (float(at)?, float(at + 8)?);
    (x.is_finite() && y.is_finite()).then_some((x, y))
}

/// The text of each row in `wanted` (numbered from 1), its cells as one CSV
/// record in the table's column order: what a store keeps of a quarantined row.
/// Empty when the file cannot be read again.
pub fn row_texts(
    container: Container,
    bytes: Bytes,
    wanted: &BTreeSet<u64>,
) -> BTreeMap<u64, String> {
    let mut texts = BTreeMap::new();
    let Ok(batches) = open("", container, bytes) else {
        return texts;
    };
    let layout = layout(&batches.schema);
    let mut first = 1u64;
    let (mut record, mut buffer) = (csv::StringRecord::new(), String::new());
    let mut batches = batches.batches;
    while let Ok(Some(Ok(batch))) = guarded("", container, || Ok(batches.next())) {
        let rows = batch.num_rows() as u64;
        if wanted.range(first..first + rows).next().is_some() {
            let Ok(cells) = batch_cells("", &batch, &layout) else {
                break;
            };
            for &number in wanted.range(first..first + rows) {
                fill(&mut record, &mut buffer, &cells, (number - first) as usize);
                let mut writer = csv::Writer::from_writer(Vec::new());
                let written = writer
                    .write_record(&record)
                    .ok()
                    .and(writer.into_inner().ok());
                if let Some(line) = written {
                    let text = String::from_utf8_lossy(&line);
                    texts.insert(number, text.trim_end_matches(['\r', '\n']).to_string());
                }
            }
        }
        first += rows;
    }
    texts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wkb_point_gives_its_coordinates_in_either_byte_order() {
        let mut little = vec![1u8];
        little.extend(1u32.to_le_bytes());
        little.extend(37.1f64.to_le_bytes());
        little.extend(36.2f64.to_le_bytes());
        assert_eq!(wkb_point(&little), Some((37.1, 36.2)));
        let mut big = vec![0u8];
        big.extend(1u32.to_be_bytes());
        big.extend(37.1f64.to_be_bytes());
        big.extend(36.2f64.to_be_bytes());
        assert_eq!(wkb_point(&big), Some((37.1, 36.2)));
        // A line string is not a point; an empty point has NaN coordinates.
        let mut line = vec![1u8];
        line.extend(2u32.to_le_bytes());
        line.extend([0u8; 36]);
        assert_eq!(wkb_point(&line), None);
        let mut empty = vec![1u8];
        empty.extend(1u32.to_le_bytes());
        empty.extend(f64::NAN.to_le_bytes());
        empty.extend(f64::NAN.to_le_bytes());
        assert_eq!(wkb_point(&empty), None);
        assert_eq!(wkb_point(&[1, 1, 0]), None);
    }

    #[test]
    fn instants_are_written_as_a_csv_export_would_hold_them() {
        let mut out = String::new();
        instant(1_473_638_400, &mut out); // 2016-09-12 00:00:00
        assert_eq!(out, "2016-09-12");
        out.clear();
        instant(1_473_638_400 + 3_723, &mut out);
        assert_eq!(out, "2016-09-12 01:02:03");
        out.clear();
        instant(-1, &mut out);
        assert_eq!(out, "1969-12-31 23:59:59");
    }
}
