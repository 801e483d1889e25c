//! `truce-bench replicate GED_CSV COPIES OUT_CSV`: many incidents from real ones,
//! for the dashboard's frame-time test (scripts/e2e.sh). Each copy of every row of
//! a UCDP GED file gets an id of its own and its point moved by a fixed step, so
//! the copies are distinct events (one source: corroboration does not merge them)
//! spread like the real ones. Deterministic: the same input gives the same file.

use anyhow::{Context, Result, bail};

/// How far each copy is moved from the one before, in degrees (about 3 km).
const STEP_DEGREES: f64 = 0.027;

pub fn main(args: &[String]) -> Result<()> {
    let [input, copies, output] = args else {
        bail!("usage: truce-bench replicate GED_CSV COPIES OUT_CSV");
    };
    let copies: u64 = copies
        .parse()
        .with_context(|| format!("COPIES is `{copies}`: expected a whole number"))?;
    let mut reader =
        csv::Reader::from_path(input).with_context(|| format!("cannot read `{input}`"))?;
    let headers = reader.headers()?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("`{input}` has no `{name}` column (a UCDP GED file has)"))
    };
    let (id, latitude, longitude) = (column("id")?, column("latitude")?, column("longitude")?);
    let wkt = headers.iter().position(|h| h == "geom_wkt");
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>()?;
    let mut writer =
        csv::Writer::from_path(output).with_context(|| format!("cannot write `{output}`"))?;
    writer.write_record(&headers)?;
    let largest_id = rows
        .iter()
        .filter_map(|r| r.get(id)?.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    let mut written = 0u64;
    for copy in 0..copies {
        // A copy's step: a small spiral, so no copy lands on another.
        let (dx, dy) = (
            STEP_DEGREES * ((copy % 5) as f64 - 2.0),
            STEP_DEGREES * ((copy / 5 % 5) as f64 - 2.0),
        );
        for row in &rows {
            let mut fields: Vec<String> = row.iter().map(str::to_string).collect();
            let (Ok(lat), Ok(lon)) = (
                fields[latitude].parse::<f64>(),
                fields[longitude].parse::<f64>(),
            ) else {
                continue;
            };
            let (lat, lon) = (lat + dy, lon + dx);
            if let Ok(original) = fields[id].parse::<u64>() {
                fields[id] = (original + copy * (largest_id + 1)).to_string();
            }
            fields[latitude] = format!("{lat:.6}");
            fields[longitude] = format!("{lon:.6}");
            if let Some(wkt) = wkt {
                fields[wkt] = format!("POINT ({lon:.6} {lat:.6})");
            }
            writer.write_record(&fields)?;
            written += 1;
        }
    }
    writer.flush()?;
    eprintln!(
        "{written} events written to {output} ({copies} copies of {} rows)",
        rows.len()
    );
    Ok(())
}
