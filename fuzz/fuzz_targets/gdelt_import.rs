//! Fuzzes the GDELT 2.0 reader: whatever the bytes (tab-separated rows, a zip
//! archive, UTF-16…), `import_reader` must not panic, and every row read must be
//! a report, a quarantined problem or a row skipped out of scope.
//!
//! Seed the corpus with `crates/truce-ingest/tests/data/gdelt2_*.tsv` (see README.md).

#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_ingest::{Format, ImportOptions, import_reader};

fuzz_target!(|data: &[u8]| {
    for keep_raw in [false, true] {
        let options = ImportOptions { keep_raw };
        if let Ok(imported) = import_reader("fuzz.tsv", data, Some(Format::Gdelt), &options) {
            assert_eq!(
                imported.rows_read,
                (imported.reports.len() + imported.quarantined.len() + imported.skipped.len()) as u64
            );
            for report in &imported.reports {
                assert_eq!(report.provenance.source, "gdelt");
                assert!(report.date.first == report.date.last);
                assert!(report.location.point.is_none_or(|p| p.is_valid()));
                assert!(report.casualties.is_none());
            }
        }
    }
});
