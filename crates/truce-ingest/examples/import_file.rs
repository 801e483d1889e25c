//! Imports one file and prints what was read and how fast.
//!
//! ```text
//! cargo run --release -p truce-ingest --example import_file -- FILE [--format F] [--no-raw] [--problems N]
//! ```

use std::time::Instant;
use truce_ingest::{Format, ImportOptions, import_reader};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let mut format = None;
    let mut options = ImportOptions::default();
    let mut shown = 5usize;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--format" => format = Some(args.next().unwrap_or_default().parse::<Format>()?),
            "--no-raw" => options.keep_raw = false,
            "--problems" => shown = args.next().unwrap_or_default().parse()?,
            _ => path = Some(arg),
        }
    }
    let path = path.ok_or("usage: import_file FILE [--format F] [--no-raw] [--problems N]")?;
    let file = std::fs::File::open(&path)?;
    let bytes = file.metadata()?.len();
    let start = Instant::now();
    let imported = import_reader(&path, file, format, &options)?;
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{path}: {} as {}: {} reports, {} quarantined, {} skipped in {seconds:.2} s ({:.0} rows/s, {:.0} MB/s)",
        imported.rows_read,
        imported.format,
        imported.reports.len(),
        imported.quarantined.len(),
        imported.skipped.len(),
        imported.rows_read as f64 / seconds,
        bytes as f64 / seconds / 1e6,
    );
    for problem in imported.quarantined.iter().take(shown) {
        println!("  {problem}");
    }
    Ok(())
}
