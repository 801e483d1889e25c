//! Fuzzes a mission's own report forms: the mapping loader and the mapped reader.
//!
//! The input is split at its first NUL byte: the part before is a mapping file,
//! loaded with `load_mapping` (which must not panic, must give a mapping only
//! when it reports no error, and must locate every diagnostic inside the file);
//! the part after is a data file, read with that mapping when it loaded, and
//! always with the example patrol form's CSV and JSON Lines mappings, so the row
//! mapping is reached even when the fuzzed mapping is wrong. Every row read must
//! be a report or a quarantined row (`rows_read == reports + quarantined`).
//!
//! Seed the corpus with `examples/mission-form/` (see README.md).

#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_ingest::{ImportOptions, Mapping, import_mapped, load_mapping};

const CSV_MAPPING: &str = include_str!("../../examples/mission-form/mapping.toml");
const JSONL_MAPPING: &str = include_str!("../../examples/mission-form/mapping-jsonl.toml");

fn read(data: &[u8], mapping: &Mapping) {
    let options = ImportOptions { keep_raw: data.len() % 2 == 0 };
    if let Ok(imported) = import_mapped("fuzz.in", data, mapping, &options) {
        assert_eq!(
            imported.rows_read,
            (imported.reports.len() + imported.quarantined.len()) as u64
        );
        assert!(imported.skipped.is_empty());
        for report in &imported.reports {
            assert!(report.date.first <= report.date.last);
            assert!(report.location.point.is_none_or(|p| p.is_valid()));
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let (mapping_bytes, rows) = match data.iter().position(|b| *b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, data),
    };
    let text = String::from_utf8_lossy(mapping_bytes);
    let loaded = load_mapping("fuzz.toml", &text);
    assert_eq!(
        loaded.mapping.is_some(),
        !loaded.diagnostics.iter().any(|d| d.is_error())
    );
    for diagnostic in &loaded.diagnostics {
        if let Some(span) = &diagnostic.span {
            assert!(span.start <= span.end && span.end <= text.len());
        }
    }
    if let Some(mapping) = &loaded.mapping {
        read(rows, mapping);
    }
    for example in [CSV_MAPPING, JSONL_MAPPING] {
        if let Some(mapping) = load_mapping("example.toml", example).mapping {
            read(rows, &mapping);
        }
    }
});
