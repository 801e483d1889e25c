//! Any bytes through every text reader (plain, HTML, feed, posts) and the
//! extractor: an error or reports, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use truce_extract::read::{ReadOptions, TextFormat, read};
use truce_extract::{Extractor, Gazetteer};

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new(Gazetteer::builtin(), None))
}

fuzz_target!(|data: &[u8]| {
    let published = truce_model::time::Day::parse_iso("2016-09-19");
    for format in [TextFormat::Plain, TextFormat::Html, TextFormat::Feed, TextFormat::Posts] {
        let options = ReadOptions { format: Some(format), published, ..ReadOptions::default() };
        let _ = read("fuzz", data, &options, &mut |document| {
            let _ = extractor().extract(&document);
        });
    }
});
