//! W1: load `events.csv` (1M ACLED-layout rows) into memory with parsed dates and
//! numbers (the peers: the Rust `csv` floor, pandas, polars, DuckDB, PostgreSQL
//! `COPY`), through truce's ACLED importer into truce's report model: every row
//! becomes a `Report` with its kind, date span and precision, location with
//! precision, sides and casualties, or a quarantined row.
//!
//! `read_csv` (timed) is the whole import (`import_streaming` into an
//! [`truce_ingest::Imported`], which is what `import_reader` returns, with its
//! report vector reserved from the file's size); the check is the peers' `rows` and
//! `sum_lat` (the sum of latitudes, rounded to 2 decimals).

use crate::{Args, Phases};
use anyhow::{Context, Result, bail};

pub fn main(args: &[String]) -> Result<()> {
    let args = Args::parse(args, &["threads"])?;
    let [events_csv] = args.positional.as_slice() else {
        bail!("usage: truce-bench w1 EVENTS_CSV");
    };
    let mut phases = Phases::new();
    let imported = phases.time("read_csv", || -> Result<truce_ingest::Imported> {
        let file =
            std::fs::File::open(events_csv).with_context(|| format!("opening {events_csv}"))?;
        // Room for the reports, reserved from the file's size as any caller that
        // knows it can (one report per 64 bytes at most: only what is used is touched).
        let size = file.metadata().map_or(0, |m| m.len());
        let mut imported = truce_ingest::Imported {
            format: truce_ingest::Format::Acled,
            reports: Vec::with_capacity((size / 64).min(1 << 26) as usize),
            quarantined: Vec::new(),
            skipped: Vec::new(),
            warnings: Vec::new(),
            rows_read: 0,
        };
        let streamed = truce_ingest::import_streaming(
            events_csv,
            std::io::BufReader::with_capacity(1 << 20, file),
            Some(truce_ingest::Format::Acled),
            &truce_ingest::ImportOptions { keep_raw: false },
            &mut imported,
        )
        .with_context(|| format!("importing {events_csv}"))?;
        imported.rows_read = streamed.rows_read;
        Ok(imported)
    })?;
    let sum_lat: f64 = imported
        .reports
        .iter()
        .filter_map(|r| r.location.point)
        .map(|p| p.lat)
        .sum();
    phases.emit(
        "truce (to the report model)",
        "W1",
        &["read_csv"],
        serde_json::json!({ "rows": imported.reports.len(), "sum_lat": (sum_lat * 100.0).round() / 100.0 }),
        serde_json::json!({ "quarantined": imported.quarantined.len() }),
    );
    Ok(())
}
