//! Fuzzes the agreement loader: whatever the bytes, `load` must not panic, must
//! return an agreement only when it reports no error, and every diagnostic located
//! in the agreement file must point inside it.
//!
//! Referenced files (zones, boundaries, site lists) are answered with the same
//! input, so GeoJSON and CSV parsing paths are reached too. Seed the corpus with
//! the example agreements (see README.md).

#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_model::agreement::{Files, load};

struct Echo<'a>(&'a [u8]);

impl Files for Echo<'_> {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        if path.len() % 3 == 0 { Err("no such file".into()) } else { Ok(self.0.to_vec()) }
    }
}

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data);
    let loaded = load("fuzz.toml", &source, &Echo(data));
    assert_eq!(loaded.agreement.is_some(), !loaded.has_errors());
    for diagnostic in &loaded.diagnostics {
        if diagnostic.file == "fuzz.toml" {
            if let Some(span) = &diagnostic.span {
                assert!(span.start <= source.len() && span.end <= source.len() + 1);
            }
        }
    }
});
