//! `truce-bench`: truce's side of the peer benchmarks in `bench/` (the peers
//! live in the shared `bench/peers` folder). Each subcommand runs one workload
//! once and prints ONE JSON line like the peers' `common.Phases.emit`:
//! `peer`, `workload`, `total_s` (the sum of the phases listed in `timed`),
//! `phases_s`, `timed`, `peak_rss_mb` (VmHWM) and `check`.
//!
//! ```text
//! truce-bench w2 EVENTS_CSV ZONES_GEOJSON [--threads N] [--density CELLS_PER_EDGE] [--candidates grid|rtree]
//! truce-bench w3 EVENTS_CSV DATA_DIR [--threads N] [--full yes]
//! truce-bench check EVENTS_CSV DATA_DIR [--threads N] [--explain yes]
//! truce-bench w4 EVENTS_CSV [--threads N]
//! truce-bench w1 EVENTS_CSV
//! truce-bench store-import TRUCE_BINARY EVENTS_CSV
//! truce-bench agreement DATA_DIR        (prints the check's agreement, for bench/server.sh)
//! truce-bench replicate GED_CSV COPIES OUT_CSV   (many distinct events from real ones, for scripts/e2e.sh)
//! ```
//!
//! `DATA_DIR` holds the peers' `rules.json` and `zones.geojson`.

mod check;
mod replicate;
mod store_import;
mod w1;
mod w2;
mod w3;
mod w4;

use anyhow::{Result, bail};
use std::process::ExitCode;

const USAGE: &str = "usage: truce-bench w2 EVENTS_CSV ZONES_GEOJSON [--threads N] [--density CELLS_PER_EDGE] [--candidates grid|rtree]
       truce-bench w3 EVENTS_CSV DATA_DIR [--threads N] [--full yes]
       truce-bench check EVENTS_CSV DATA_DIR [--threads N] [--explain yes]
       truce-bench w4 EVENTS_CSV [--threads N]
       truce-bench w1 EVENTS_CSV
       truce-bench store-import TRUCE_BINARY EVENTS_CSV
       truce-bench agreement DATA_DIR
       truce-bench replicate GED_CSV COPIES OUT_CSV";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("truce-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<()> {
    let Some((command, rest)) = args.split_first() else {
        bail!("{USAGE}");
    };
    match command.as_str() {
        "w2" => w2::main(rest),
        "w3" => w3::main(rest),
        "check" => check::main(rest),
        "agreement" => check::print_agreement(rest),
        "replicate" => replicate::main(rest),
        "w4" => w4::main(rest),
        "w1" => w1::main(rest),
        "store-import" => store_import::main(rest),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown subcommand `{other}`\n{USAGE}"),
    }
}

/// Positional arguments and `--name value` options.
pub(crate) struct Args {
    pub positional: Vec<String>,
    pub options: Vec<(String, String)>,
}

impl Args {
    pub fn parse(args: &[String], known: &[&str]) -> Result<Args> {
        let mut positional = Vec::new();
        let mut options = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if let Some(name) = a.strip_prefix("--") {
                if !known.contains(&name) {
                    bail!("unknown option `{a}`\n{USAGE}");
                }
                let Some(value) = it.next() else {
                    bail!("option `{a}` needs a value")
                };
                options.push((name.to_string(), value.clone()));
            } else {
                positional.push(a.clone());
            }
        }
        Ok(Args {
            positional,
            options,
        })
    }

    pub fn option<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>> {
        match self.options.iter().rev().find(|(n, _)| n == name) {
            None => Ok(None),
            Some((_, v)) => match v.parse() {
                Ok(x) => Ok(Some(x)),
                Err(_) => bail!("bad value `{v}` for --{name}"),
            },
        }
    }
}

/// Named timings; `total` is the sum of the timed ones (like the peers' `Phases`).
pub(crate) struct Phases {
    phases: Vec<(&'static str, f64)>,
}

impl Phases {
    pub fn new() -> Phases {
        Phases { phases: Vec::new() }
    }

    pub fn time<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let t0 = std::time::Instant::now();
        let out = f();
        self.phases.push((name, t0.elapsed().as_secs_f64()));
        out
    }

    /// Sum of the named phases.
    pub fn total(&self, names: &[&str]) -> f64 {
        self.phases
            .iter()
            .filter(|(n, _)| names.contains(n))
            .map(|(_, t)| t)
            .sum()
    }

    pub fn emit(
        &self,
        peer: &str,
        workload: &str,
        timed: &[&str],
        check: serde_json::Value,
        extra: serde_json::Value,
    ) {
        let round = |v: f64| (v * 1e4).round() / 1e4;
        let total: f64 = self
            .phases
            .iter()
            .filter(|(n, _)| timed.contains(n))
            .map(|(_, t)| t)
            .sum();
        let mut phases = serde_json::Map::new();
        for (n, t) in &self.phases {
            phases.insert((*n).to_string(), serde_json::json!(round(*t)));
        }
        let mut rec = serde_json::json!({
            "peer": peer,
            "workload": workload,
            "total_s": round(total),
            "phases_s": phases,
            "timed": timed,
            "peak_rss_mb": peak_rss_mb(),
            "check": check,
        });
        if let (Some(r), serde_json::Value::Object(e)) = (rec.as_object_mut(), extra) {
            r.extend(e);
        }
        println!("{rec}");
    }
}

/// The process's peak resident set (VmHWM) in MB, from /proc/self/status.
pub(crate) fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some((kb / 1024.0 * 10.0).round() / 10.0)
}

/// Current resident set (VmRSS) in MB.
pub(crate) fn rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some((kb / 1024.0 * 10.0).round() / 10.0)
}
