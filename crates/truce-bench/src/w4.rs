//! W4: near-duplicate reports — connected components of "same ACLED event type,
//! dates at most 1 day apart, at most 2 km apart" (the peers: pandas + scipy,
//! polars + scipy, DuckDB SQL, PostGIS), through truce's corroboration linker
//! ([`truce_engine::corroborate::link`]).
//!
//! - untimed set-up: stream `events.csv` through truce's ACLED reader, keeping
//!   each report's kind, day and point (the report itself is dropped);
//! - `pairs`: the kind class of each report (the ACLED event type, recovered from
//!   truce's kind tree), the grid of (class, day, cell) and every linked pair;
//! - `components`: union–find over the links.
//!
//! The linker does both phases in one call, so `pairs` is reported as the whole
//! call and `components` as 0; `total_s` is their sum, like the peers'.

use crate::{Args, Phases};
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use truce_engine::corroborate::{LinkRule, link};
use truce_model::kind::Taxonomy;

/// The ACLED event types as kinds of truce's tree: a report's class is the one its kind falls under.
const CLASSES: [&str; 6] = [
    "armed-clash",
    "remote-violence",
    "violence-against-civilians",
    "protest",
    "riot",
    "strategic-development",
];

/// The columns W4 reads, filled while the file streams through truce's importer,
/// so the million reports are never held at once (like the peers' column store).
struct Columns<'t> {
    taxonomy: &'t Taxonomy,
    kinds: rustc_hash::FxHashMap<String, u16>,
    kind: Vec<u16>,
    day: Vec<i32>,
    point: Vec<Option<truce_model::report::LonLat>>,
    problems: u64,
}

impl truce_ingest::Sink for Columns<'_> {
    fn report(&mut self, report: truce_model::report::Report) {
        let taxonomy = self.taxonomy;
        let kind = *self
            .kinds
            .entry(report.kind.clone())
            .or_insert_with(|| taxonomy.find(&report.kind).map_or(u16::MAX, |k| k.0));
        self.kind.push(kind);
        self.day.push(report.date.first.0);
        self.point.push(report.location.point);
    }
    fn quarantine(&mut self, _: truce_ingest::RowProblem) {
        self.problems += 1;
    }
    fn skip(&mut self, _: truce_ingest::RowProblem) {
        self.problems += 1;
    }
    fn warn(&mut self, _: truce_ingest::RowProblem) {}
}

pub fn main(args: &[String]) -> Result<()> {
    let args = Args::parse(args, &["threads"])?;
    let [events_csv] = args.positional.as_slice() else {
        bail!("usage: truce-bench w4 EVENTS_CSV [--threads N]");
    };
    if let Some(threads) = args.option::<usize>("threads")? {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()
            .context("thread pool")?;
    }
    let taxonomy = Taxonomy::built_in();
    let mut columns = Columns {
        taxonomy: &taxonomy,
        kinds: Default::default(),
        kind: Vec::new(),
        day: Vec::new(),
        point: Vec::new(),
        problems: 0,
    };
    let file = std::fs::File::open(events_csv).with_context(|| format!("opening {events_csv}"))?;
    truce_ingest::import_streaming(
        events_csv,
        std::io::BufReader::with_capacity(1 << 20, file),
        Some(truce_ingest::Format::Acled),
        &truce_ingest::ImportOptions { keep_raw: false },
        &mut columns,
    )
    .with_context(|| format!("importing {events_csv}"))?;
    if columns.problems > 0 {
        bail!("{} rows quarantined or skipped", columns.problems);
    }
    let class_kinds: Vec<_> = CLASSES.iter().filter_map(|c| taxonomy.find(c)).collect();
    let n = columns.kind.len();
    let mut phases = Phases::new();
    let clusters = phases.time("pairs", || {
        // The class of each kind (its ACLED event type), then of each report.
        let class_of: Vec<u32> = taxonomy
            .iter()
            .map(|(k, _)| {
                class_kinds
                    .iter()
                    .position(|&c| taxonomy.is_within(k, c))
                    .map_or(u32::MAX, |c| c as u32)
            })
            .collect();
        let classes: Vec<u32> = columns
            .kind
            .par_iter()
            .map(|&k| class_of.get(k as usize).copied().unwrap_or(u32::MAX))
            .collect();
        link(
            &columns.point,
            &columns.day,
            &classes,
            &LinkRule {
                max_days: 1,
                max_km: 2.0,
            },
            |_, _| true,
        )
    });
    phases.time("components", || ());
    let mut sizes = vec![0u32; n];
    for &l in &clusters.label {
        sizes[l as usize] += 1;
    }
    let rows_in_multi: u64 = sizes
        .iter()
        .filter(|&&s| s > 1)
        .map(|&s| u64::from(s))
        .sum();
    let max_size = sizes.iter().copied().max().unwrap_or(0);
    phases.emit(
        "truce",
        "W4",
        &["pairs", "components"],
        serde_json::json!({ "edges": clusters.links.len(), "clusters": clusters.count, "rows_in_multi": rows_in_multi, "max_size": max_size }),
        serde_json::json!({ "threads": rayon::current_num_threads() }),
    );
    Ok(())
}
