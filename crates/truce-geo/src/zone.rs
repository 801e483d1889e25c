//! [`ZoneIndex`]: which zones contain a point, and which may contain a point
//! known only to within a radius.

use crate::distance::LocalProjection;
use crate::polygon::{Axis, DEFAULT_CELLS_PER_EDGE, Location, PreparedPolygon};
use geo::MultiPolygon;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use truce_model::report::LonLat;

type Entry = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// How a zone stands to a point known only to within a radius (see
/// [`ZoneIndex::relate`]).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct ZoneRelation {
    /// Index of the zone in the slice given to [`ZoneIndex::new`].
    pub zone: usize,
    /// The point itself is in the zone's interior.
    pub inside: bool,
    /// When `inside`: distance from the point to the zone's boundary (a disc
    /// of this radius around the point lies in the zone). Otherwise: distance
    /// from the point to the zone (0 on its boundary). In km, see
    /// [`LocalProjection`] for the error; `INFINITY` when unknown.
    pub distance_km: f64,
}

impl ZoneRelation {
    /// The whole disc of `radius_km` around the point lies in the zone.
    pub fn certainly_inside(&self, radius_km: f64) -> bool {
        self.inside && self.distance_km >= radius_km
    }
}

/// Tuning of a [`ZoneIndex`] (the defaults are what `ZoneIndex::new` uses).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct IndexOptions {
    /// About how many grid cells each polygon's own grid gets per edge
    /// (0 = no grid: every point in a polygon's envelope is tested against
    /// the edges of its row band).
    pub cells_per_edge: f64,
    /// Find a point's candidate polygons with a uniform grid of envelope
    /// lists instead of the R-tree (faster for bulk [`ZoneIndex::containing`];
    /// the R-tree still serves [`ZoneIndex::relate`] and [`ZoneIndex::locate`]).
    pub candidate_grid: bool,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            cells_per_edge: DEFAULT_CELLS_PER_EDGE,
            candidate_grid: true,
        }
    }
}

/// Polygon envelopes bucketed in a uniform grid over all of them: for a point,
/// the polygons (ascending) whose envelope may contain it.
#[derive(Clone, Debug)]
struct CandidateGrid {
    min_x: f64,
    min_y: f64,
    max_x: f64,
    max_y: f64,
    xs: Axis,
    ys: Axis,
    start: Vec<u32>,
    items: Vec<u32>,
}

/// Cells per polygon in the candidate grid, and the most entries it may hold.
const CANDIDATE_CELLS_PER_POLYGON: f64 = 16.0;
const MAX_CANDIDATE_CELLS: f64 = (1 << 20) as f64;
const MAX_CANDIDATE_ENTRIES: usize = 1 << 23;

impl CandidateGrid {
    fn new(polygons: &[PreparedPolygon]) -> Option<CandidateGrid> {
        let first = polygons.first()?;
        let (mut min_x, mut min_y, mut max_x, mut max_y) =
            (first.min_x, first.min_y, first.max_x, first.max_y);
        for p in polygons {
            min_x = min_x.min(p.min_x);
            min_y = min_y.min(p.min_y);
            max_x = max_x.max(p.max_x);
            max_y = max_y.max(p.max_y);
        }
        let target =
            (polygons.len() as f64 * CANDIDATE_CELLS_PER_POLYGON).clamp(1.0, MAX_CANDIDATE_CELLS);
        let (w, h) = (max_x - min_x, max_y - min_y);
        let (mut nx, mut ny) = if w > 0.0 && h > 0.0 {
            (
                ((target * w / h).sqrt().ceil() as usize).clamp(1, 4096),
                ((target * h / w).sqrt().ceil() as usize).clamp(1, 4096),
            )
        } else if w > 0.0 {
            ((target as usize).clamp(1, 4096), 1)
        } else if h > 0.0 {
            (1, (target as usize).clamp(1, 4096))
        } else {
            (1, 1)
        };
        loop {
            let xs = Axis::new(min_x, max_x, nx);
            let ys = Axis::new(min_y, max_y, ny);
            let span = |p: &PreparedPolygon| {
                (
                    xs.index(p.min_x),
                    xs.index(p.max_x),
                    ys.index(p.min_y),
                    ys.index(p.max_y),
                )
            };
            let entries: usize = polygons
                .iter()
                .map(|p| {
                    let (c0, c1, r0, r1) = span(p);
                    (c1 - c0 + 1) * (r1 - r0 + 1)
                })
                .sum();
            if entries > MAX_CANDIDATE_ENTRIES && (nx > 1 || ny > 1) {
                nx = nx.div_ceil(2);
                ny = ny.div_ceil(2);
                continue;
            }
            let mut counts = vec![0u32; nx * ny];
            for p in polygons {
                let (c0, c1, r0, r1) = span(p);
                for r in r0..=r1 {
                    for c in &mut counts[r * nx + c0..=r * nx + c1] {
                        *c += 1;
                    }
                }
            }
            let mut start = Vec::with_capacity(nx * ny + 1);
            let mut acc = 0u32;
            for c in &counts {
                start.push(acc);
                acc += c;
            }
            start.push(acc);
            let mut fill = start[..nx * ny].to_vec();
            let mut items = vec![0u32; acc as usize];
            for (i, p) in polygons.iter().enumerate() {
                let (c0, c1, r0, r1) = span(p);
                for r in r0..=r1 {
                    for f in &mut fill[r * nx + c0..=r * nx + c1] {
                        items[*f as usize] = i as u32;
                        *f += 1;
                    }
                }
            }
            return Some(CandidateGrid {
                min_x,
                min_y,
                max_x,
                max_y,
                xs,
                ys,
                start,
                items,
            });
        }
    }

    /// Polygons (ascending) whose envelope may contain (x, y).
    #[inline]
    fn candidates(&self, x: f64, y: f64) -> &[u32] {
        if !(x >= self.min_x && x <= self.max_x && y >= self.min_y && y <= self.max_y) {
            return &[];
        }
        let cell = self.ys.index(y) * self.xs.n + self.xs.index(x);
        &self.items[self.start[cell] as usize..self.start[cell + 1] as usize]
    }

    fn heap_bytes(&self) -> usize {
        (self.start.len() + self.items.len()) * 4
    }
}

/// Zones (multipolygons in lon/lat degrees) prepared for point queries.
///
/// Built on an R-tree ([`rstar`]) of the envelopes of every polygon of every
/// zone, and for each polygon a grid that answers most points without looking
/// at an edge (see the `polygon` module). Point-in-zone is the strict interior
/// (like shapely's `within` / GEOS `ST_Contains`): a point exactly on an edge
/// or vertex is in no zone. Polygons are tested with the even–odd rule over
/// all their rings, so holes work; a zone contains a point when any of its
/// polygons does (a union, even if the polygons overlap).
///
/// Coordinates are planar lon/lat: a zone that crosses the antimeridian must
/// be split there. A polygon with a non-finite coordinate is left out (it
/// contains nothing; see [`ZoneIndex::ignored`]).
#[derive(Clone, Debug)]
pub struct ZoneIndex {
    zones: usize,
    polygons: Vec<PreparedPolygon>,
    polygon_zone: Vec<u32>,
    tree: RTree<Entry>,
    grid: Option<CandidateGrid>,
    ignored: Vec<(usize, usize)>,
}

impl ZoneIndex {
    pub fn new(zones: &[MultiPolygon<f64>]) -> ZoneIndex {
        ZoneIndex::with_options(zones, IndexOptions::default())
    }

    /// Like [`ZoneIndex::new`] with other [`IndexOptions`] (for tuning and
    /// measuring; answers are the same).
    pub fn with_options(zones: &[MultiPolygon<f64>], options: IndexOptions) -> ZoneIndex {
        let cells_per_edge = options.cells_per_edge;
        let mut polygons = Vec::new();
        let mut polygon_zone = Vec::new();
        let mut ignored = Vec::new();
        for (z, multi) in zones.iter().enumerate() {
            for (k, polygon) in multi.0.iter().enumerate() {
                match PreparedPolygon::new(polygon, cells_per_edge) {
                    Some(p) => {
                        polygons.push(p);
                        polygon_zone.push(z as u32);
                    }
                    None => ignored.push((z, k)),
                }
            }
        }
        let entries = polygons
            .iter()
            .enumerate()
            .map(|(i, p)| {
                GeomWithData::new(
                    Rectangle::from_corners([p.min_x, p.min_y], [p.max_x, p.max_y]),
                    i as u32,
                )
            })
            .collect();
        let grid = if options.candidate_grid {
            CandidateGrid::new(&polygons)
        } else {
            None
        };
        ZoneIndex {
            zones: zones.len(),
            polygons,
            polygon_zone,
            tree: RTree::bulk_load(entries),
            grid,
            ignored,
        }
    }

    /// Number of zones (as given, including zones without usable geometry).
    pub fn len(&self) -> usize {
        self.zones
    }

    pub fn is_empty(&self) -> bool {
        self.zones == 0
    }

    /// Polygons left out as `(zone, polygon within the zone)`: those with a
    /// non-finite coordinate or without a single edge.
    pub fn ignored(&self) -> &[(usize, usize)] {
        &self.ignored
    }

    /// Approximate heap bytes of the prepared polygons (grids and edges).
    pub fn heap_bytes(&self) -> usize {
        self.polygons
            .iter()
            .map(PreparedPolygon::heap_bytes)
            .sum::<usize>()
            + self.polygons.len() * 48
            + self.grid.as_ref().map_or(0, CandidateGrid::heap_bytes)
    }

    /// The zones whose interior contains `p`, ascending, into `out` (cleared
    /// first). A non-finite point is in no zone.
    pub fn containing(&self, p: LonLat, out: &mut Vec<usize>) {
        out.clear();
        let (x, y) = (p.lon, p.lat);
        if !(x.is_finite() && y.is_finite()) {
            return;
        }
        match &self.grid {
            Some(grid) => {
                // candidates come ascending by polygon, hence by zone
                for &i in grid.candidates(x, y) {
                    let i = i as usize;
                    if self.polygons[i].locate(x, y) == Location::Inside {
                        let zone = self.polygon_zone[i] as usize;
                        if out.last() != Some(&zone) {
                            out.push(zone);
                        }
                    }
                }
            }
            None => {
                for entry in self.tree.locate_all_at_point(&[x, y]) {
                    let i = entry.data as usize;
                    if self.polygons[i].locate(x, y) == Location::Inside {
                        out.push(self.polygon_zone[i] as usize);
                    }
                }
                if out.len() > 1 {
                    out.sort_unstable();
                    out.dedup();
                }
            }
        }
    }

    /// Where `p` is relative to zone `zone`: inside when the interior of one
    /// of its polygons holds it, on the boundary when it is on an edge of one
    /// (and inside none), else outside (also for an unknown zone or a
    /// non-finite point).
    pub fn locate(&self, zone: usize, p: LonLat) -> Location {
        let mut result = Location::Outside;
        if !(p.lon.is_finite() && p.lat.is_finite()) {
            return result;
        }
        for e in self.tree.locate_all_at_point(&[p.lon, p.lat]) {
            let i = e.data as usize;
            if self.polygon_zone[i] as usize != zone {
                continue;
            }
            match self.polygons[i].locate(p.lon, p.lat) {
                Location::Inside => return Location::Inside,
                Location::Boundary => result = Location::Boundary,
                Location::Outside => {}
            }
        }
        result
    }

    /// The zones a point known only to within `radius_km` of `p` may be in,
    /// ascending by zone, into `out` (cleared first):
    ///
    /// - every zone containing `p`, with `inside` and the distance from `p` to
    ///   the zone's boundary;
    /// - every zone not containing `p` whose boundary is within `radius_km`,
    ///   with the distance from `p` to the zone.
    ///
    /// The caller decides: `inside && distance_km >= radius_km` means certainly
    /// in the zone ([`ZoneRelation::certainly_inside`]); any other relation
    /// means possibly. `radius_km = INFINITY` (a country-level or unknown
    /// location; also NaN) gives every zone, all of them possibly; a negative
    /// radius counts as 0. A non-finite `p` relates to nothing, except with an
    /// infinite radius, where every zone is possible at an unknown
    /// (`INFINITY`) distance.
    ///
    /// Distances are computed in a [`LocalProjection`] around `p`: good to a
    /// few percent under 300 km, rougher beyond (which only matters for
    /// radii that large).
    pub fn relate(&self, p: LonLat, radius_km: f64, out: &mut Vec<ZoneRelation>) {
        out.clear();
        let radius = if radius_km.is_nan() {
            f64::INFINITY
        } else {
            radius_km.max(0.0)
        };
        let unbounded = radius == f64::INFINITY;
        if !(p.lon.is_finite() && p.lat.is_finite()) {
            if unbounded {
                out.extend((0..self.zones).map(|zone| ZoneRelation {
                    zone,
                    inside: false,
                    distance_km: f64::INFINITY,
                }));
            }
            return;
        }
        let proj = LocalProjection::new(p);
        // (zone, location, distance) per candidate polygon
        let mut hits: Vec<(usize, Location, f64)> = Vec::new();
        let mut consider = |i: usize| {
            let poly = &self.polygons[i];
            let location = poly.locate(p.lon, p.lat);
            if location == Location::Outside && !unbounded {
                // cheap rejection on the envelope
                let (x0, y0) = proj.project(poly.min_x, poly.min_y);
                let (x1, y1) = proj.project(poly.max_x, poly.max_y);
                let dx = if x0 > 0.0 {
                    x0
                } else if x1 < 0.0 {
                    -x1
                } else {
                    0.0
                };
                let dy = if y0 > 0.0 {
                    y0
                } else if y1 < 0.0 {
                    -y1
                } else {
                    0.0
                };
                if dx * dx + dy * dy > radius * radius {
                    return;
                }
            }
            let distance = if location == Location::Boundary {
                0.0
            } else {
                polygon_distance(poly, &proj)
            };
            hits.push((self.polygon_zone[i] as usize, location, distance));
        };
        if unbounded {
            (0..self.polygons.len()).for_each(&mut consider);
        } else {
            let (dlon, dlat) = proj.degree_box(radius);
            let envelope =
                AABB::from_corners([p.lon - dlon, p.lat - dlat], [p.lon + dlon, p.lat + dlat]);
            for e in self.tree.locate_in_envelope_intersecting(&envelope) {
                consider(e.data as usize);
            }
        }
        hits.sort_unstable_by_key(|h| h.0);
        let mut next_zone = 0;
        let mut i = 0;
        while i < hits.len() {
            let zone = hits[i].0;
            let mut j = i;
            let mut inside_distance: Option<f64> = None;
            let mut outside_distance = f64::INFINITY;
            while j < hits.len() && hits[j].0 == zone {
                let (_, location, d) = hits[j];
                if location == Location::Inside {
                    inside_distance = Some(inside_distance.map_or(d, |m: f64| m.max(d)));
                } else {
                    outside_distance = outside_distance.min(d);
                }
                j += 1;
            }
            if unbounded {
                out.extend((next_zone..zone).map(|zone| ZoneRelation {
                    zone,
                    inside: false,
                    distance_km: f64::INFINITY,
                }));
            }
            match inside_distance {
                Some(d) => out.push(ZoneRelation {
                    zone,
                    inside: true,
                    distance_km: d,
                }),
                None if outside_distance <= radius => out.push(ZoneRelation {
                    zone,
                    inside: false,
                    distance_km: outside_distance,
                }),
                None => {}
            }
            next_zone = zone + 1;
            i = j;
        }
        if unbounded {
            out.extend((next_zone..self.zones).map(|zone| ZoneRelation {
                zone,
                inside: false,
                distance_km: f64::INFINITY,
            }));
        }
    }
}

/// Distance in km from the projection's origin to the polygon's boundary.
fn polygon_distance(poly: &PreparedPolygon, proj: &LocalProjection) -> f64 {
    let mut best = f64::INFINITY;
    for e in &poly.edges {
        let d = proj.segment_distance_sq((e.ax, e.ay), (e.bx, e.by));
        if d < best {
            best = d;
        }
    }
    best.sqrt()
}
