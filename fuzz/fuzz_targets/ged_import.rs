//! Fuzzes the UCDP GED reader: whatever the bytes, `import_reader` must not
//! panic, and every row read must be either a report or a quarantined problem.
//!
//! Inputs that start with a real GED header reach the row mapping quickly; seed
//! the corpus with `crates/truce-ingest/tests/data/ged*.csv` (see README.md).

#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_ingest::{Format, ImportOptions, import_reader};

fuzz_target!(|data: &[u8]| {
    for keep_raw in [false, true] {
        let options = ImportOptions { keep_raw };
        if let Ok(imported) = import_reader("fuzz.csv", data, Some(Format::UcdpGed), &options) {
            assert_eq!(imported.rows_read, (imported.reports.len() + imported.quarantined.len() + imported.skipped.len()) as u64);
            for report in &imported.reports {
                assert!(report.date.first <= report.date.last);
                assert!(report.location.point.is_none_or(|p| p.is_valid()));
                if let Some(c) = report.casualties {
                    assert!(c.low <= c.best && c.best <= c.high);
                }
            }
        }
    }
});
