//! Parquet and Arrow IPC files of real rows (`tests/data/columnar/`, written from the CSV
//! fixtures by pandas, polars, DuckDB, GeoPandas and pyarrow with `write_columnar.py`): each
//! gives the reports, quarantined rows and warnings of the CSV its rows came from.

use super::{assert_counts_add_up, data};
use truce_ingest::{Format, ImportOptions, Imported, IngestError, RowProblem, import_reader};
use truce_model::report::Report;

fn read(name: &str, format: Option<Format>) -> Result<Imported, IngestError> {
    let options = ImportOptions { keep_raw: false };
    import_reader(name, &data(name)[..], format, &options)
}

fn columnar(name: &str) -> Imported {
    let imported =
        read(&format!("columnar/{name}"), None).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_counts_add_up(&imported);
    imported
}

fn csv(name: &str) -> Imported {
    read(name, None).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A report without where it stands in its file: what the container cannot change.
fn content(report: &Report) -> Report {
    let mut report = report.clone();
    report.provenance.file.clear();
    report.provenance.line = 0;
    report
}

/// A problem by the field and the reason: the value's text and the line depend on the container.
fn said(problem: &RowProblem) -> (Option<String>, String) {
    (problem.field.clone(), problem.reason.clone())
}

fn assert_same_rows(columnar: &Imported, csv: &Imported, name: &str) {
    assert_eq!(columnar.format, csv.format, "{name}");
    assert_eq!(columnar.rows_read, csv.rows_read, "{name}");
    assert_eq!(columnar.reports.len(), csv.reports.len(), "{name}");
    for (a, b) in columnar.reports.iter().zip(&csv.reports) {
        assert_eq!(content(a), content(b), "{name}: report {}", b.id());
    }
    let problems = |i: &Imported| i.quarantined.iter().map(said).collect::<Vec<_>>();
    assert_eq!(problems(columnar), problems(csv), "{name}: quarantined");
    let warnings = |i: &Imported| i.warnings.iter().map(said).collect::<Vec<_>>();
    assert_eq!(warnings(columnar), warnings(csv), "{name}: warnings");
}

#[test]
fn ged_rows_written_to_parquet_by_pandas_polars_and_duckdb_read_as_the_csv_does() {
    let syria = csv("ged191_syria_subset.csv");
    let ukraine = csv("ged_ukraine_subset.csv");
    assert!(syria.reports.len() > 250 && !syria.warnings.is_empty());
    for (file, csv) in [
        ("ged_syria_pandas.parquet", &syria),
        ("ged_syria_duckdb.parquet", &syria),
        ("ged_ukraine_polars.parquet", &ukraine),
    ] {
        assert_same_rows(&columnar(file), csv, file);
    }
}

#[test]
fn arrow_ipc_files_and_streams_read_as_the_csv_does() {
    let ukraine = csv("ged_ukraine_subset.csv");
    for file in ["ged_ukraine.feather", "ged_ukraine.arrows"] {
        assert_same_rows(&columnar(file), &ukraine, file);
    }
}

#[test]
fn a_geoparquet_point_stands_for_the_latitude_and_longitude_it_replaced() {
    let syria = csv("ged191_syria_subset.csv");
    let geo = columnar("ged_syria_geopandas.parquet");
    assert_same_rows(&geo, &syria, "ged_syria_geopandas.parquet");
    assert!(geo.reports.iter().all(|r| r.location.point.is_some()));
}

#[test]
fn gdelt_rows_under_the_codebook_names_read_as_the_export_does() {
    let export = csv("gdelt2_events_20170701234500_sample.tsv");
    let parquet = columnar("gdelt2_sample.parquet");
    assert_same_rows(&parquet, &export, "gdelt2_sample.parquet");
    let skipped = |i: &Imported| i.skipped.iter().map(said).collect::<Vec<_>>();
    assert_eq!(skipped(&parquet), skipped(&export));
}

#[test]
fn a_row_is_numbered_by_its_place_in_the_table() {
    let syria = columnar("ged_syria_pandas.parquet");
    let lines: Vec<u64> = syria.reports.iter().map(|r| r.provenance.line).collect();
    let mut expected: Vec<u64> = (1..=syria.rows_read).collect();
    let problems: Vec<u64> = syria.quarantined.iter().map(|p| p.line).collect();
    expected.retain(|n| !problems.contains(n));
    assert_eq!(lines, expected);
}

#[test]
fn a_table_asked_for_as_a_format_without_columns_or_cut_short_is_refused() {
    let error = read("columnar/ged_ukraine.feather", Some(Format::TruceJsonl))
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        error.as_deref(),
        Some(
            "`columnar/ged_ukraine.feather` (Arrow IPC): a table cannot be read as truce-jsonl; \
             expected `ucdp-ged`, `acled` or `gdelt` columns"
        )
    );
    let cut = &data("columnar/ged_syria_pandas.parquet")[..4000];
    let error = import_reader("cut.parquet", cut, None, &ImportOptions::default())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        error.starts_with("`cut.parquet` (Parquet) cannot be read: "),
        "{error}"
    );
}

/// An Arrow IPC stream of one table, written here: the columns are the test's own.
fn stream(columns: Vec<(&str, arrow_array::ArrayRef)>) -> Vec<u8> {
    let batch = arrow_array::RecordBatch::try_from_iter(columns).expect("a table");
    let mut bytes = Vec::new();
    let mut writer =
        arrow_ipc::writer::StreamWriter::try_new(&mut bytes, &batch.schema()).expect("a writer");
    writer.write(&batch).expect("written");
    writer.finish().expect("finished");
    drop(writer);
    bytes
}

fn texts(values: &[Option<&str>]) -> arrow_array::ArrayRef {
    std::sync::Arc::new(arrow_array::StringArray::from(values.to_vec()))
}

#[test]
fn a_table_whose_columns_no_reader_knows_is_refused_with_its_columns() {
    let bytes = stream(vec![
        ("when", texts(&[Some("2016-09-12")])),
        ("where", texts(&[None])),
    ]);
    let error = import_reader("t.arrows", &bytes[..], None, &ImportOptions::default())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert_eq!(
        error,
        "`t.arrows`: unknown columns `when`, `where`; expected a UCDP GED layout (with `id`, \
         `side_a`, `where_prec`, …), an ACLED layout (with `event_id_cnty`, `actor1`, …) or \
         GDELT 2.0's codebook names (`GLOBALEVENTID`, `SQLDATE`, …); or name the format"
    );
}

/// Three rows in ACLED's layout, their dates as given.
fn acled(dates: [Option<&'static str>; 3]) -> Vec<(&'static str, arrow_array::ArrayRef)> {
    vec![
        (
            "event_id_cnty",
            texts(&[Some("SYR1"), Some("SYR2"), Some("SYR3")]),
        ),
        ("event_date", texts(&dates)),
        ("event_type", texts(&[Some("Battles"); 3])),
        ("sub_event_type", texts(&[Some("Armed clash"); 3])),
        ("actor1", texts(&[Some("Opposition Rebels (Syria)"); 3])),
        (
            "latitude",
            std::sync::Arc::new(arrow_array::Float64Array::from(vec![36.2, 36.2, 36.2])) as _,
        ),
        (
            "longitude",
            std::sync::Arc::new(arrow_array::Float32Array::from(vec![37.1f32; 3])) as _,
        ),
        (
            "geo_precision",
            std::sync::Arc::new(arrow_array::Int8Array::from(vec![1i8; 3])) as _,
        ),
    ]
}

#[test]
fn a_bad_cell_is_quarantined_with_its_row_field_and_value() {
    let bytes = stream(acled([Some("2016-09-12"), Some("2016-09-31"), None]));
    let imported = import_reader("t.arrows", &bytes[..], None, &ImportOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported.format, Format::Acled);
    assert_eq!(imported.reports.len(), 1);
    // A float32 is written as its shortest decimal, as a CSV would hold it.
    let raw = &imported.reports[0].provenance.raw;
    assert!(
        raw.contains(&("longitude".to_string(), "37.1".to_string())),
        "{raw:?}"
    );
    let problems: Vec<String> = imported
        .quarantined
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(problems.len(), 2);
    assert!(
        problems[0]
            .starts_with("t.arrows:2: field `event_date`: found `2016-09-31`, expected a date"),
        "{problems:?}"
    );
    assert!(
        problems[1].starts_with("t.arrows:3: field `event_date`: found an empty value"),
        "{problems:?}"
    );
}

#[test]
fn a_column_of_lists_is_refused_by_name_and_type() {
    let lists = arrow_array::ListArray::from_iter_primitive::<arrow_array::types::Int32Type, _, _>(
        vec![Some(vec![Some(1)]); 3],
    );
    let mut columns = acled([Some("2016-09-12"); 3]);
    columns.push(("tags", std::sync::Arc::new(lists) as _));
    let bytes = stream(columns);
    let error = import_reader("t.arrows", &bytes[..], None, &ImportOptions::default())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        error.starts_with("`t.arrows`: column `tags` is of type List("),
        "{error}"
    );
    assert!(
        error.ends_with(
            "expected text, a number, a boolean, a date, a timestamp or binary (one value per row)"
        ),
        "{error}"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// A damaged file (bytes changed, or cut short) is read or refused, never a panic.
    #[test]
    fn a_damaged_parquet_or_arrow_file_never_panics(
        file in 0usize..3,
        cut in 0.0f64..1.0,
        flips in proptest::collection::vec((0.0f64..1.0, proptest::prelude::any::<u8>()), 0..8),
    ) {
        let name = ["ged_syria_duckdb.parquet", "ged_ukraine.feather", "ged_ukraine.arrows"][file];
        let mut bytes = data(&format!("columnar/{name}"));
        for (at, byte) in flips {
            let at = (at * bytes.len() as f64) as usize;
            if let Some(b) = bytes.get_mut(at) {
                *b ^= byte;
            }
        }
        bytes.truncate(((cut * 1.2).min(1.0) * bytes.len() as f64) as usize);
        let _ = import_reader(name, &bytes[..], None, &ImportOptions::default());
    }
}
