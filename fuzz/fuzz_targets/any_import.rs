//! Fuzzes format detection and every reader (`None` lets the first lines decide,
//! which reaches the GED, ACLED, GDELT, HXL and JSON Lines readers and zip archives).

#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_ingest::{Format, ImportOptions, detect_format, import_reader};

fuzz_target!(|data: &[u8]| {
    let _ = detect_format(data);
    let options = ImportOptions::default();
    for format in [None, Some(Format::TruceJsonl)] {
        if let Ok(imported) = import_reader("fuzz.in", data, format, &options) {
            assert_eq!(
                imported.rows_read,
                (imported.reports.len() + imported.quarantined.len() + imported.skipped.len()) as u64
            );
        }
    }
});
