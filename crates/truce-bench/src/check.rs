//! The whole `truce check` of the 1M synthetic events against an agreement with
//! the 5 parties of the peers' rule, 300 zones, 20 protected sites, 50 clauses,
//! 3 brackets and 6 steps (written by [`agreement_toml`]).
//!
//! - untimed set-up: load the agreement (truce's loader) and read nothing else;
//! - `import` (reported, not in the total): truce's ACLED reader over `events.csv`;
//! - `adjudicate`: every incident against every clause (with `--explain yes`, with
//!   every reason sentence, as `truce check --format json` does);
//! - `verify`: steps on both bounds under the working alternatives, every bracket
//!   alternative and every combination, tallies, entitlements — the rest of
//!   `truce check` but the rendering.
//!
//! `total_s` = `adjudicate` + `verify`; `events_per_s` = events / total.

use crate::w3::{common_toml, import_events, load_agreement, read_rule, zone_ids};
use crate::{Args, Phases};
use anyhow::{Context, Result, bail};
use std::path::Path;

const KINDS: [&str; 6] = [
    "political-violence",
    "air-strike",
    "shelling",
    "armed-clash",
    "violence-against-civilians",
    "remote-violence",
];

fn agreement_toml(parties: &[String], zones: &[String], common: &str) -> String {
    let mut t = String::from(
        "format = 1\nid = \"bench-check\"\ntitle = \"Benchmark: 50 clauses, 300 zones\"\ntimezone = \"+03:00\"\n\n",
    );
    t.push_str(common);
    // 20 protected sites spread over the area of the synthetic events.
    for i in 0..20 {
        let lon = 35.8 + (i % 5) as f64 * 1.3;
        let lat = 32.5 + (i / 5) as f64 * 1.2;
        let precision = if i % 2 == 0 { "exact" } else { "settlement" };
        t.push_str(&format!(
            "[[site]]\nid = \"site-{i}\"\nkind = \"{}\"\npoint = [{lon:.3}, {lat:.3}]\nprecision = \"{precision}\"\nprotection_radius_km = 1.0\n\n",
            if i % 3 == 0 { "school" } else { "hospital" }
        ));
    }
    for c in 0..50 {
        let kind = KINDS[c % KINDS.len()];
        let by = if c % 4 == 0 {
            "\"any-party\"".to_string()
        } else {
            format!("\"{}\"", parties[c % parties.len()])
        };
        let against = match c % 3 {
            0 => "\"anyone\"",
            1 => "\"covered\", \"civilians\"",
            _ => "\"civilians\"",
        };
        let zone_list = if c % 5 == 0 {
            String::new()
        } else {
            let picked: Vec<String> = (0..6)
                .map(|k| format!("\"{}\"", zones[(c * 37 + k * 53) % zones.len()]))
                .collect();
            format!("zones = [{}]\n", picked.join(", "))
        };
        let year = 2012 + (c % 9);
        let (who, whom) = (by.replace('"', ""), against.replace('"', ""));
        let sites = if c % 10 == 7 {
            "at_sites = [\"hospital\"]\n"
        } else {
            ""
        };
        t.push_str(&format!(
            "[[clause]]\nid = \"clause-{c:02}\"\ntext = \"Clause {c}: no {kind} by {who} against {whom}.\"\nkinds = [\"{kind}\"]\nby = [{by}]\nagainst = [{against}]\n{zone_list}{sites}from = {year}-01-01\nuntil = {}-12-31\n",
            year + 2
        ));
        if c % 2 == 0 {
            t.push_str("[[clause.exception]]\nreason = \"excluded groups remain targets\"\nagainst = [\"excluded\"]\nunless_at_sites = [\"hospital\"]\n");
        }
        t.push('\n');
    }
    t.push_str(
        "[[bracket]]\nid = \"calm-days\"\ntext = \"days of calm\"\nalternatives = [7, 10]\n\n",
    );
    t.push_str(
        "[[bracket]]\nid = \"max-per-day\"\ntext = \"violations a day\"\nalternatives = [0, 2]\n\n",
    );
    t.push_str(
        "[[bracket]]\nid = \"optional\"\ntext = \"clause 49\"\nclauses = [\"clause-49\"]\n\n",
    );
    for (i, party) in parties.iter().enumerate() {
        t.push_str(&format!(
            "[[step]]\nid = \"calm-{party}\"\nfrom = 2016-02-27\ndays = 45\n[[step.condition]]\ntype = \"max-violations-per-day\"\nmax = \"[max-per-day]\"\ndays = \"[calm-days]\"\nparties = [\"{party}\"]\nzones = [\"{}\"]\n\n",
            zones[i * 7 % zones.len()]
        ));
    }
    t.push_str("[[step]]\nid = \"sites\"\nafter = \"calm-government\"\ndays = 30\n[[step.condition]]\ntype = \"no-violation-at-sites\"\nsites = [\"hospital\"]\n[[step.condition]]\ntype = \"falling-trend\"\npercent = 10\nweeks = 2\n\n");
    t.push_str("[[entitlement]]\nid = \"intel\"\nto = \"russia\"\nstep = \"sites\"\nwhat = \"intelligence\"\n");
    t
}

/// `truce-bench agreement DATA_DIR`: prints the check's agreement (TOML), for
/// the server's load benchmark (`bench/server.sh`), which writes it into DATA_DIR
/// so the zone file it names is found beside it.
pub fn print_agreement(args: &[String]) -> Result<()> {
    let [data_dir] = args else {
        bail!("usage: truce-bench agreement DATA_DIR");
    };
    let data = Path::new(data_dir);
    let rule = read_rule(data)?;
    let zones = zone_ids(data)?;
    let parties: Vec<String> = rule.parties.iter().map(|(k, _, _)| k.clone()).collect();
    let toml = agreement_toml(&parties, &zones, &common_toml(&rule, &zones));
    // Loaded once here, so a broken agreement fails now, not in the server.
    load_agreement(data, &toml)?;
    print!("{toml}");
    Ok(())
}

pub fn main(args: &[String]) -> Result<()> {
    let args = Args::parse(args, &["threads", "explain"])?;
    let [events_csv, data_dir] = args.positional.as_slice() else {
        bail!("usage: truce-bench check EVENTS_CSV DATA_DIR [--threads N] [--explain yes]");
    };
    if let Some(threads) = args.option::<usize>("threads")? {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()
            .context("thread pool")?;
    }
    let explain = args
        .option::<String>("explain")?
        .is_some_and(|v| v == "yes");
    let data = Path::new(data_dir);
    let rule = read_rule(data)?;
    let zones = zone_ids(data)?;
    let parties: Vec<String> = rule.parties.iter().map(|(k, _, _)| k.clone()).collect();
    if !parties.iter().any(|p| p == "government") || !parties.iter().any(|p| p == "russia") {
        bail!("rules.json lacks the `government` and `russia` parties this agreement names");
    }
    let agreement = load_agreement(
        data,
        &agreement_toml(&parties, &zones, &common_toml(&rule, &zones)),
    )?;
    let mut phases = Phases::new();
    let reports = phases.time("import", || import_events(Path::new(events_csv)))?;
    let adjudication = phases.time("adjudicate", || {
        truce_engine::adjudicate(&agreement, &reports, explain)
    });
    let findings = adjudication.finding_count();
    let result = phases.time("verify", || adjudication.result(None));
    let total: f64 = phases.total(&["adjudicate", "verify"]);
    let steps: Vec<String> = result
        .steps
        .iter()
        .map(|s| format!("{}={}", s.id, s.status.label()))
        .collect();
    let certain: u64 = result.violations_by_clause.iter().map(|t| t.certain).sum();
    let possible: u64 = result
        .violations_by_clause
        .iter()
        .map(|t| t.certain_or_possible)
        .sum();
    phases.emit(
        if explain { "truce check (with reasons)" } else { "truce check" },
        "check",
        &["adjudicate", "verify"],
        serde_json::json!({ "events": reports.len(), "findings": findings, "violations_certain": certain, "violations_with_possible": possible, "steps": steps }),
        serde_json::json!({
            "events_per_s": if total > 0.0 { (reports.len() as f64 / total).round() } else { 0.0 },
            "clauses": agreement.clauses.len(), "zones": agreement.zones.len(), "threads": rayon::current_num_threads()
        }),
    );
    Ok(())
}
