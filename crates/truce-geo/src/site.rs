//! [`SiteIndex`]: protected sites (points) near a point, by great-circle distance.

use crate::distance::{EARTH_RADIUS_KM, haversine_km};
use rstar::primitives::GeomWithData;
use rstar::{AABB, RTree};
use truce_model::report::LonLat;

type Entry = GeomWithData<[f64; 2], u32>;

/// Protected-site points in an R-tree, for "which sites are within d km".
///
/// Distances are great-circle ([`haversine_km`]); the search box accounts
/// for the convergence of meridians and wraps across the antimeridian. A
/// site with a non-finite or out-of-range coordinate is left out (see
/// [`SiteIndex::ignored`]).
#[derive(Clone, Debug)]
pub struct SiteIndex {
    points: Vec<LonLat>,
    tree: RTree<Entry>,
    ignored: Vec<usize>,
}

/// Longitude in [-180, 180).
fn wrap_lon(lon: f64) -> f64 {
    (lon + 180.0).rem_euclid(360.0) - 180.0
}

impl SiteIndex {
    pub fn new(sites: &[LonLat]) -> SiteIndex {
        let mut ignored = Vec::new();
        let mut entries = Vec::with_capacity(sites.len());
        for (i, s) in sites.iter().enumerate() {
            if s.lon.is_finite() && s.lat.is_finite() && (-90.0..=90.0).contains(&s.lat) {
                entries.push(GeomWithData::new([wrap_lon(s.lon), s.lat], i as u32));
            } else {
                ignored.push(i);
            }
        }
        SiteIndex {
            points: sites.to_vec(),
            tree: RTree::bulk_load(entries),
            ignored,
        }
    }

    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// Indices of the sites left out (non-finite coordinate or |lat| > 90).
    pub fn ignored(&self) -> &[usize] {
        &self.ignored
    }

    /// Every site within `km` of `p` (great-circle, boundary included) as
    /// `(site index, distance km)`, ascending by site index, into `out`
    /// (cleared first). Nothing for a non-finite `p` or one with |lat| > 90, a NaN or negative `km`.
    pub fn within(&self, p: LonLat, km: f64, out: &mut Vec<(usize, f64)>) {
        out.clear();
        if !(p.lon.is_finite() && (-90.0..=90.0).contains(&p.lat)) || km.is_nan() || km < 0.0 {
            return;
        }
        let lat = p.lat;
        let lon = wrap_lon(p.lon);
        let delta = km / EARTH_RADIUS_KM; // angular radius, radians
        let mut push = |e: &Entry| {
            let i = e.data as usize;
            let d = haversine_km(p, self.points[i]);
            if d <= km {
                out.push((i, d));
            }
        };
        let dlat = delta.to_degrees() * (1.0 + 1e-9) + 1e-9;
        let all_lons =
            delta >= std::f64::consts::PI || lat + dlat >= 90.0 || lat - dlat <= -90.0 || {
                let c = lat.to_radians().cos();
                delta.sin() >= c
            };
        let (lat0, lat1) = ((lat - dlat).max(-90.0), (lat + dlat).min(90.0));
        if all_lons {
            for e in self
                .tree
                .locate_in_envelope_intersecting(&AABB::from_corners([-180.0, lat0], [180.0, lat1]))
            {
                push(e);
            }
        } else {
            // widest longitude reach of a spherical cap: asin(sin δ / cos φ)
            let dlon =
                (delta.sin() / lat.to_radians().cos()).asin().to_degrees() * (1.0 + 1e-9) + 1e-9;
            let (lo, hi) = (lon - dlon, lon + dlon);
            if dlon >= 180.0 {
                for e in self
                    .tree
                    .locate_in_envelope_intersecting(&AABB::from_corners(
                        [-180.0, lat0],
                        [180.0, lat1],
                    ))
                {
                    push(e);
                }
            } else {
                for e in self
                    .tree
                    .locate_in_envelope_intersecting(&AABB::from_corners(
                        [lo.max(-180.0), lat0],
                        [hi.min(180.0), lat1],
                    ))
                {
                    push(e);
                }
                if lo < -180.0 {
                    for e in self
                        .tree
                        .locate_in_envelope_intersecting(&AABB::from_corners(
                            [lo + 360.0, lat0],
                            [180.0, lat1],
                        ))
                    {
                        push(e);
                    }
                }
                if hi >= 180.0 {
                    for e in self
                        .tree
                        .locate_in_envelope_intersecting(&AABB::from_corners(
                            [-180.0, lat0],
                            [hi - 360.0, lat1],
                        ))
                    {
                        push(e);
                    }
                }
            }
        }
        out.sort_unstable_by_key(|&(i, _)| i);
        out.dedup_by_key(|&mut (i, _)| i);
    }
}
