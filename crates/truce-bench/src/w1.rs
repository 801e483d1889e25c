//! W1: load `events.csv` (1M ACLED-layout rows) into memory with parsed dates and
//! numbers (the peers: the Rust `csv` floor, pandas, polars, DuckDB, PostgreSQL
//! `COPY`), through truce's ACLED importer into truce's report model: every row
//! becomes a `Report` with its kind, date span and precision, location with
//! precision, sides and casualties, or a quarantined row.
//!
//! `read_csv` (timed) is the whole import; the check is the peers' `rows` and
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
        truce_ingest::import_reader(
            events_csv,
            std::io::BufReader::with_capacity(1 << 20, file),
            Some(truce_ingest::Format::Acled),
            &truce_ingest::ImportOptions { keep_raw: false },
        )
        .with_context(|| format!("importing {events_csv}"))
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
