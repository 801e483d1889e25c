//! Fuzzes the HXL reader and writer: whatever the bytes, `import_reader` and
//! `read_hxl_figures` must not panic; every row read must be a report, a
//! quarantined problem or a skipped row; and the reports read, written back
//! with `write_hxl` and read again, must come back the same (raw rows aside).
//!
//! Seed the corpus with `crates/truce-ingest/tests/data/*_hxl.csv` (see README.md).

#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_ingest::{Format, ImportOptions, import_reader, read_hxl_figures, write_hxl};

fuzz_target!(|data: &[u8]| {
    let _ = read_hxl_figures("fuzz.csv", data);
    let options = ImportOptions { keep_raw: false };
    let Ok(imported) = import_reader("fuzz.csv", data, Some(Format::Hxl), &options) else {
        return;
    };
    assert_eq!(
        imported.rows_read,
        (imported.reports.len() + imported.quarantined.len() + imported.skipped.len()) as u64
    );
    let mut out = Vec::new();
    if write_hxl(&imported.reports, &mut out).is_err() {
        return; // a side name with `;`, or more sides than the export writes
    }
    let back = import_reader("back.csv", &out[..], Some(Format::Hxl), &options)
        .expect("an HXL export reads back");
    assert!(back.quarantined.is_empty(), "{:?}", back.quarantined.first());
    assert_eq!(back.reports.len(), imported.reports.len());
});
