//! W4: near-duplicate reports — connected components of "same ACLED event type,
//! dates at most 1 day apart, at most 2 km apart" (the peers: pandas + scipy,
//! polars + scipy, DuckDB SQL, PostGIS), through truce's corroboration linker
//! ([`truce_engine::corroborate::link`]).
//!
//! - untimed set-up: import `events.csv` with truce's ACLED reader (reports with
//!   their kind, day and point);
//! - `pairs`: the kind class of each report (the ACLED event type, recovered from
//!   truce's kind tree), the grid of (class, day, cell) and every linked pair;
//! - `components`: union–find over the links.
//!
//! The linker does both phases in one call, so `pairs` is reported as the whole
//! call and `components` as 0; `total_s` is their sum, like the peers'.

use crate::w3::import_events;
use crate::{Args, Phases};
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::path::Path;
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
    let reports = import_events(Path::new(events_csv))?;
    let taxonomy = Taxonomy::built_in();
    let class_kinds: Vec<_> = CLASSES.iter().filter_map(|c| taxonomy.find(c)).collect();
    let mut phases = Phases::new();
    let clusters = phases.time("pairs", || {
        let class_of: rustc_hash::FxHashMap<&str, u32> = taxonomy
            .iter()
            .map(|(k, info)| {
                (
                    info.id.as_str(),
                    class_kinds
                        .iter()
                        .position(|&c| taxonomy.is_within(k, c))
                        .map_or(u32::MAX, |c| c as u32),
                )
            })
            .collect();
        // One pass over the reports for the three columns the linker reads.
        let (classes, (days, points)): (Vec<u32>, (Vec<i32>, Vec<_>)) = reports
            .par_iter()
            .map(|r| {
                (
                    class_of.get(r.kind.as_str()).copied().unwrap_or(u32::MAX),
                    (r.date.first.0, r.location.point),
                )
            })
            .unzip();
        link(
            &points,
            &days,
            &classes,
            &LinkRule {
                max_days: 1,
                max_km: 2.0,
            },
            |_, _| true,
        )
    });
    phases.time("components", || ());
    let mut sizes = vec![0u32; reports.len()];
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
