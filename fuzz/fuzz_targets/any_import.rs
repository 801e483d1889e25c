//! Fuzzes format detection and all three readers (`None` lets the header decide,
//! which also reaches the JSON Lines reader).

#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_ingest::{Format, ImportOptions, detect_format, import_reader};

fuzz_target!(|data: &[u8]| {
    let _ = detect_format(data);
    let options = ImportOptions::default();
    for format in [None, Some(Format::TruceJsonl)] {
        if let Ok(imported) = import_reader("fuzz.in", data, format, &options) {
            assert_eq!(imported.rows_read, (imported.reports.len() + imported.quarantined.len()) as u64);
        }
    }
});
