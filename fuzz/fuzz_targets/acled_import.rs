//! Fuzzes the ACLED reader: whatever the bytes, `import_reader` must not panic,
//! and every row read must be either a report or a quarantined problem.

#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_ingest::{Format, ImportOptions, import_reader};

fuzz_target!(|data: &[u8]| {
    let options = ImportOptions { keep_raw: true };
    if let Ok(imported) = import_reader("fuzz.csv", data, Some(Format::Acled), &options) {
        assert_eq!(imported.rows_read, (imported.reports.len() + imported.quarantined.len() + imported.skipped.len()) as u64);
        for report in &imported.reports {
            assert!(report.date.first <= report.date.last);
            assert!(report.location.point.is_none_or(|p| p.is_valid()));
        }
    }
});
