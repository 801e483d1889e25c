//! Import into the store: `truce import events.csv --db NEW.sqlite`, the real
//! command (streaming reader, batches of 10,000 rows per transaction, revisions
//! and duplicates checked), timed from the outside as one process; the check is
//! the number of reports the store then holds, read back with `truce-store`.

use crate::Phases;
use anyhow::{Context, Result, bail};

pub fn main(args: &[String]) -> Result<()> {
    let [truce, events_csv] = args else {
        bail!("usage: truce-bench store-import TRUCE_BINARY EVENTS_CSV");
    };
    let dir = std::env::temp_dir().join(format!("truce-bench-store-{}", std::process::id()));
    std::fs::create_dir_all(&dir).context("temporary folder")?;
    let db = dir.join("events.sqlite");
    let mut phases = Phases::new();
    let status = phases.time("import", || {
        std::process::Command::new(truce)
            .arg("import")
            .arg(events_csv)
            .arg("--db")
            .arg(&db)
            .status()
    });
    let status = status.with_context(|| format!("running {truce}"))?;
    if !matches!(status.code(), Some(0 | 1)) {
        bail!("truce import failed: {status}");
    }
    let store = truce_store::Store::open(&db).context("opening the store")?;
    let rows = store
        .reports(&truce_store::ReportFilter::default())
        .context("reading back")?
        .len();
    let bytes = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
    phases.emit(
        "truce import (store)",
        "W1store",
        &["import"],
        serde_json::json!({ "rows": rows }),
        serde_json::json!({ "store_mb": (bytes as f64 / 1e6).round() }),
    );
    Ok(())
}
