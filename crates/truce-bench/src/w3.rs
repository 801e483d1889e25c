//! W3 through truce: per party (5) × zone (300), count the violations per day
//! and find the longest run of consecutive days with at most `threshold`, over
//! 2012-01-01 .. 2021-12-31 (the peers: pandas, polars, DuckDB, PostgreSQL).
//!
//! The peers' rule becomes an agreement (written by [`agreement_toml`], loaded by
//! truce's own loader): one actor per party with the rule's actor names as
//! aliases, the 300 zones selected by `zone_id` from `zones.geojson`, one clause
//! forbidding `armed-conflict` and `violence-against-civilians` (ACLED's Battles,
//! Explosions/Remote violence and Violence against civilians) by any party
//! against anyone, exact locations (uncertainty 0 km, so "in the zone" is the
//! point-in-polygon test) and `first_side_acted = true` (the rule counts
//! `actor1`). Then:
//!
//! - untimed set-up: import `events.csv` with truce's ACLED reader, load the agreement;
//! - `adjudicate` (reported; in the total of the `w3-full` job only): every
//!   incident against the clause — name resolution, kind, zones, attribution;
//! - `verify`: [`truce_engine::Adjudication::longest_calm_runs`], the lower-bound
//!   count of a `max-violations-per-day` condition for all 1,500 pairs at once.
//!
//! The peers start from the W2 matches already computed, so the `w3` job's total
//! is `verify` alone; the `w3-full` job adds `adjudicate` (which includes the
//! point-in-zone work the peers were given).

use crate::{Args, Phases};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use truce_model::agreement::{Agreement, Files};
use truce_model::report::Report;
use truce_model::time::Day;

pub struct DataFiles {
    pub dir: PathBuf,
}

impl Files for DataFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        std::fs::read(self.dir.join(path)).map_err(|e| e.to_string())
    }
}

/// The peers' rules.json, the parts W3 uses.
pub struct Rule {
    pub parties: Vec<(String, String, Vec<String>)>,
    pub event_types_ok: bool,
    pub threshold: u32,
    pub min_run_days: u32,
    pub start: Day,
    pub end: Day,
}

pub fn read_rule(data: &Path) -> Result<Rule> {
    let text = std::fs::read_to_string(data.join("rules.json")).context("reading rules.json")?;
    let json: serde_json::Value = serde_json::from_str(&text).context("parsing rules.json")?;
    let w3 = &json["w3"];
    let mut parties = Vec::new();
    if let Some(map) = w3["parties"].as_object() {
        for (key, party) in map {
            let name = party["name"].as_str().unwrap_or(key).to_string();
            let actors = party["actors"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            parties.push((key.clone(), name, actors));
        }
    }
    let types: Vec<&str> = w3["event_types"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
        .unwrap_or_default();
    let expected = [
        "Battles",
        "Explosions/Remote violence",
        "Violence against civilians",
    ];
    let day = |key: &str| {
        w3[key]
            .as_str()
            .and_then(Day::parse_iso)
            .with_context(|| format!("rules.json w3.{key}"))
    };
    Ok(Rule {
        parties,
        event_types_ok: types.len() == expected.len() && expected.iter().all(|t| types.contains(t)),
        threshold: w3["threshold"].as_u64().unwrap_or(0) as u32,
        min_run_days: w3["min_run_days"].as_u64().unwrap_or(7) as u32,
        start: day("start")?,
        end: day("end")?,
    })
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The zone ids of zones.geojson, in feature order.
pub fn zone_ids(data: &Path) -> Result<Vec<String>> {
    let text =
        std::fs::read_to_string(data.join("zones.geojson")).context("reading zones.geojson")?;
    let json: serde_json::Value = serde_json::from_str(&text).context("parsing zones.geojson")?;
    Ok(json["features"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|x| x["properties"]["zone_id"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default())
}

/// Parties, actors and zones shared by the W3 and check agreements.
pub fn common_toml(rule: &Rule, zones: &[String]) -> String {
    let mut t = String::new();
    t.push_str("[evidence]\nfirst_side_acted = true\n[evidence.location_uncertainty_km]\nexact = 0\nnear = 0\ndistrict = 0\nprovince = 0\nlinear = 0\n\n");
    for (key, name, actors) in &rule.parties {
        t.push_str(&format!(
            "[[party]]\nid = {}\nname = {}\n\n",
            quote(key),
            quote(name)
        ));
        let aliases: Vec<String> = actors.iter().map(|a| quote(a)).collect();
        let designation = if key == "islamic_state" || key == "nusra" {
            "\ndesignation = \"excluded\""
        } else {
            ""
        };
        t.push_str(&format!(
            "[[actor]]\nid = {}\nname = {}\naliases = [{}]\nparty = {}{designation}\n\n",
            quote(&format!("{key}-forces")),
            quote(&format!("{name} forces")),
            aliases.join(", "),
            quote(key)
        ));
    }
    for zone in zones {
        t.push_str(&format!(
            "[[zone]]\nid = {}\nfile = \"zones.geojson\"\nfeature = {{ property = \"zone_id\", value = {} }}\n\n",
            quote(zone),
            quote(zone)
        ));
    }
    t
}

pub fn agreement_toml(rule: &Rule, zones: &[String]) -> String {
    let mut t = String::from(
        "format = 1\nid = \"bench-w3\"\ntitle = \"W3: calm runs per party and zone\"\n\n",
    );
    t.push_str(&common_toml(rule, zones));
    t.push_str(
        "[[clause]]\nid = \"no-violence\"\ntext = \"No battles, explosions or violence against civilians.\"\n\
         kinds = [\"armed-conflict\", \"violence-against-civilians\"]\nby = [\"any-party\"]\nagainst = [\"anyone\"]\n",
    );
    t
}

pub fn load_agreement(data: &Path, source: &str) -> Result<Agreement> {
    let loaded = truce_model::agreement::load(
        "bench.toml",
        source,
        &DataFiles {
            dir: data.to_path_buf(),
        },
    );
    if let Some(agreement) = loaded.agreement {
        return Ok(agreement);
    }
    let problems: Vec<String> = loaded
        .diagnostics
        .iter()
        .take(5)
        .map(|d| d.to_string())
        .collect();
    bail!(
        "the generated agreement does not load: {}",
        problems.join("; ")
    )
}

pub fn import_events(path: &Path) -> Result<Vec<Report>> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let imported = truce_ingest::import_reader(
        &path.display().to_string(),
        std::io::BufReader::with_capacity(1 << 20, file),
        Some(truce_ingest::Format::Acled),
        &truce_ingest::ImportOptions { keep_raw: false },
    )
    .with_context(|| format!("importing {}", path.display()))?;
    if !imported.quarantined.is_empty() {
        bail!(
            "{} rows quarantined, e.g. {}",
            imported.quarantined.len(),
            imported.quarantined[0]
        );
    }
    Ok(imported.reports)
}

pub fn main(args: &[String]) -> Result<()> {
    let args = Args::parse(args, &["threads", "full"])?;
    let [events_csv, data_dir] = args.positional.as_slice() else {
        bail!("usage: truce-bench w3 EVENTS_CSV DATA_DIR [--threads N] [--full yes]");
    };
    if let Some(threads) = args.option::<usize>("threads")? {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()
            .context("thread pool")?;
    }
    let full = args.option::<String>("full")?.is_some_and(|v| v == "yes");
    let data = Path::new(data_dir);
    let rule = read_rule(data)?;
    if !rule.event_types_ok {
        bail!("rules.json names other event types than the three this agreement maps");
    }
    let zones = zone_ids(data)?;
    let agreement = load_agreement(data, &agreement_toml(&rule, &zones))?;
    let reports = import_events(Path::new(events_csv))?;
    let mut phases = Phases::new();
    let adjudication = phases.time("adjudicate", || {
        truce_engine::adjudicate(&agreement, &reports, false)
    });
    let runs = phases.time("verify", || {
        adjudication.longest_calm_runs(rule.start, rule.end, rule.threshold)
    });
    let sum_runs: u64 = runs.iter().map(|r| u64::from(r.days)).sum();
    let n_ge_min = runs.iter().filter(|r| r.days >= rule.min_run_days).count();
    let sum_start: i64 = runs.iter().map(|r| i64::from(r.first_day.0)).sum();
    let timed: &[&str] = if full {
        &["adjudicate", "verify"]
    } else {
        &["verify"]
    };
    phases.emit(
        if full { "truce (adjudicate + verify)" } else { "truce (verify)" },
        "W3",
        timed,
        serde_json::json!({ "pairs": runs.len(), "sum_runs": sum_runs, "n_ge_min": n_ge_min, "sum_start": sum_start }),
        serde_json::json!({ "events": reports.len(), "findings": adjudication.finding_count(), "threads": rayon::current_num_threads() }),
    );
    Ok(())
}
