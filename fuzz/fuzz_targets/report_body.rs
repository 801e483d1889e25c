//! Fuzzes the server's JSON body of a monitor's report (`POST /api/v1/reports`):
//! whatever the bytes, reading the body and making a report of it never panics,
//! and a report made is one truce can store and read back.

#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_model::kind::Taxonomy;
use truce_server::reports_wire::MonitorReportIn;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = serde_json::from_slice::<MonitorReportIn>(data) else {
        return;
    };
    let taxonomy = Taxonomy::built_in();
    if let Ok(report) = input.to_report(&taxonomy) {
        let json = serde_json::to_string(&report).expect("a report writes as JSON");
        let back: truce_model::report::Report =
            serde_json::from_str(&json).expect("and reads back");
        assert_eq!(back.date, report.date);
        assert_eq!(back.kind, report.kind);
    }
});
