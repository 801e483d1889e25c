//! W2: assign each event's point to every zone whose interior contains it and
//! count per zone (the peers: GeoPandas `sjoin(predicate="within")`, shapely
//! `STRtree.query`, DuckDB `ST_Contains`, PostGIS).
//!
//! Timed like the peers (they start from the events already in memory):
//! - untimed set-up: read the `longitude` and `latitude` columns of
//!   `events.csv` (found by header name) into two `Vec<f64>`, start rayon's
//!   thread pool;
//! - `load_zones` (reported, not in the total, as for the peers): read and
//!   parse `zones.geojson` into `geo::MultiPolygon`s, zone index = feature order;
//! - `make_points`: the columns into a `Vec<LonLat>`;
//! - `build_index`: [`ZoneIndex::new`] (R-tree + per-polygon grids; the
//!   peers build their STRtree / spatial index inside their join phase);
//! - `join_count`: [`ZoneIndex::containing`] for every point, in parallel
//!   over chunks of points (rayon), counts per zone.
//!
//! `total_s` = `make_points` + `build_index` + `join_count`.

use crate::{Args, Phases, rss_mb};
use anyhow::{Context, Result, bail};
use geo::{Coord, LineString, MultiPolygon, Polygon};
use rayon::prelude::*;
use truce_geo::{IndexOptions, ZoneIndex};
use truce_model::report::LonLat;

const CHUNK: usize = 8192;

pub fn main(args: &[String]) -> Result<()> {
    let args = Args::parse(args, &["threads", "density", "candidates"])?;
    let [events_csv, zones_geojson] = args.positional.as_slice() else {
        bail!("w2 needs EVENTS_CSV and ZONES_GEOJSON\n{}", crate::USAGE);
    };
    let threads: usize = args.option("threads")?.unwrap_or(0);
    let mut options = IndexOptions::default();
    if let Some(d) = args.option("density")? {
        options.cells_per_edge = d;
    }
    match args.option::<String>("candidates")?.as_deref() {
        None | Some("grid") => options.candidate_grid = true,
        Some("rtree") => options.candidate_grid = false,
        Some(other) => bail!("--candidates is `grid` or `rtree`, not `{other}`"),
    }

    // ---- untimed set-up
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .context("starting the thread pool")?;
    rayon::broadcast(|_| ());
    let (lon, lat, bad_rows) = read_lonlat(events_csv)?;
    let rss_after_setup = rss_mb();

    let mut ph = Phases::new();
    let (zones, not_polygons) = ph.time("load_zones", || read_zones(zones_geojson))?;
    let points: Vec<LonLat> = ph.time("make_points", || {
        lon.iter()
            .zip(&lat)
            .map(|(&lon, &lat)| LonLat { lon, lat })
            .collect()
    });
    let index = ph.time("build_index", || ZoneIndex::with_options(&zones, options));
    let n = zones.len();
    let counts = ph.time("join_count", || {
        points
            .par_chunks(CHUNK)
            .fold(
                || (vec![0u64; n], Vec::with_capacity(8)),
                |(mut counts, mut out), chunk| {
                    for &p in chunk {
                        index.containing(p, &mut out);
                        for &z in &out {
                            counts[z] += 1;
                        }
                    }
                    (counts, out)
                },
            )
            .map(|(counts, _)| counts)
            .reduce(
                || vec![0u64; n],
                |mut a, b| {
                    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                    a
                },
            )
    });

    let matches: u64 = counts.iter().sum();
    let zones_hit = counts.iter().filter(|&&c| c > 0).count();
    let weighted: u64 = counts.iter().enumerate().map(|(z, &c)| z as u64 * c).sum();
    // "truce" with the defaults (one thread per core, candidate grid), else what differs
    let mut variant = Vec::new();
    match threads {
        0 => {}
        1 => variant.push("1 thread".to_string()),
        n => variant.push(format!("{n} threads")),
    }
    if !options.candidate_grid {
        variant.push("R-tree candidates".to_string());
    }
    if options.cells_per_edge != IndexOptions::default().cells_per_edge {
        variant.push(format!("{} cells per edge", options.cells_per_edge));
    }
    let peer = if variant.is_empty() {
        "truce".to_string()
    } else {
        format!("truce ({})", variant.join(", "))
    };
    ph.emit(
        &peer,
        "W2",
        &["make_points", "build_index", "join_count"],
        serde_json::json!({"matches": matches, "zones_hit": zones_hit, "weighted": weighted}),
        serde_json::json!({
            "threads": rayon::current_num_threads(),
            "points": points.len(),
            "bad_rows": bad_rows,
            "zones": n,
            "zones_not_polygons": not_polygons,
            "grid_cells_per_edge": options.cells_per_edge,
            "candidates": if options.candidate_grid { "grid" } else { "rtree" },
            "index_heap_mb": (index.heap_bytes() as f64 / 1048576.0 * 100.0).round() / 100.0,
            "rss_after_setup_mb": rss_after_setup,
        }),
    );
    Ok(())
}

/// The `longitude` and `latitude` columns (by header name); a cell that does
/// not parse becomes NaN (a point in no zone) and is counted.
fn read_lonlat(path: &str) -> Result<(Vec<f64>, Vec<f64>, u64)> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("opening {path}"))?;
    let headers = rdr
        .byte_headers()
        .with_context(|| format!("reading the header of {path}"))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name.as_bytes())
            .with_context(|| format!("{path} has no `{name}` column"))
    };
    let (ilon, ilat) = (col("longitude")?, col("latitude")?);
    let (mut lon, mut lat) = (Vec::new(), Vec::new());
    let mut bad = 0u64;
    let mut rec = csv::ByteRecord::new();
    let parse = |b: Option<&[u8]>| {
        b.and_then(|b| std::str::from_utf8(b).ok())
            .and_then(|s| s.trim().parse::<f64>().ok())
    };
    while rdr
        .read_byte_record(&mut rec)
        .with_context(|| format!("reading {path}"))?
    {
        let (x, y) = (parse(rec.get(ilon)), parse(rec.get(ilat)));
        if x.is_none() || y.is_none() {
            bad += 1;
        }
        lon.push(x.unwrap_or(f64::NAN));
        lat.push(y.unwrap_or(f64::NAN));
    }
    Ok((lon, lat, bad))
}

/// Every feature's (Multi)Polygon, in feature order; a feature without one
/// becomes an empty zone (counted).
fn read_zones(path: &str) -> Result<(Vec<MultiPolygon<f64>>, usize)> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?;
    let features = match text
        .parse::<geojson::GeoJson>()
        .with_context(|| format!("parsing {path}"))?
    {
        geojson::GeoJson::FeatureCollection(fc) => fc.features,
        geojson::GeoJson::Feature(f) => vec![f],
        geojson::GeoJson::Geometry(g) => vec![geojson::Feature {
            bbox: None,
            geometry: Some(g),
            id: None,
            properties: None,
            foreign_members: None,
        }],
    };
    let mut zones = Vec::with_capacity(features.len());
    let mut not_polygons = 0;
    for f in &features {
        let polys: Vec<&Vec<Vec<geojson::Position>>> = match f.geometry.as_ref().map(|g| &g.value) {
            Some(geojson::GeometryValue::Polygon { coordinates }) => vec![coordinates],
            Some(geojson::GeometryValue::MultiPolygon { coordinates }) => {
                coordinates.iter().collect()
            }
            _ => {
                not_polygons += 1;
                vec![]
            }
        };
        let polygons = polys
            .into_iter()
            .filter_map(|rings| {
                let mut rings = rings.iter().map(|ring| {
                    LineString::new(
                        ring.iter()
                            .filter(|p| p.as_slice().len() >= 2)
                            .map(|p| Coord {
                                x: p.as_slice()[0],
                                y: p.as_slice()[1],
                            })
                            .collect(),
                    )
                });
                let exterior = rings.next()?;
                Some(Polygon::new(exterior, rings.collect()))
            })
            .collect();
        zones.push(MultiPolygon::new(polygons));
    }
    Ok((zones, not_polygons))
}
