//! Distances on the Earth: great-circle ([`haversine_km`]) between points, and
//! a local equirectangular projection ([`LocalProjection`]) for distances from
//! a point to polygon edges.

use truce_model::report::LonLat;

/// Mean Earth radius (IUGG R1), km.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;
/// Kilometres per degree of longitude at the equator (WGS 84).
pub const KM_PER_DEG_LON: f64 = 111.320;
/// Kilometres per degree of latitude (WGS 84 meridian degree at the equator).
pub const KM_PER_DEG_LAT: f64 = 110.574;

/// Great-circle distance between two points on a sphere of radius
/// [`EARTH_RADIUS_KM`]; NaN when a coordinate is NaN.
pub fn haversine_km(a: LonLat, b: LonLat) -> f64 {
    let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
    let dphi = p2 - p1;
    let dl = (b.lon - a.lon).to_radians();
    let h = (dphi / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.clamp(0.0, 1.0).sqrt().asin()
}

/// Plane coordinates in km around an origin:
/// `x = Δlon · cos(lat₀) · 111.320`, `y = Δlat · 110.574`.
///
/// # Error
///
/// The scale along a meridian is the WGS 84 degree at the equator (110.574 km;
/// the true degree grows to 111.694 km at the poles: at most 1 % short). The
/// scale along a parallel is exact at the origin's latitude and drifts by
/// about `tan(lat₀) · Δlat` (Δlat in radians) away from it: at 35° N a point
/// 100 km north or south is off by about 0.6 % east–west, 300 km by about
/// 1.9 %. For the distances truce uses (under 300 km) the error is therefore
/// within about 2–3 % of the distance, far below the uncertainty of the
/// locations it is applied to. Longitudes are not wrapped: geometry that
/// crosses the antimeridian must be split there (as RFC 7946 asks).
#[derive(Copy, Clone, Debug)]
pub struct LocalProjection {
    pub origin: LonLat,
    /// km per degree of longitude at the origin.
    pub kx: f64,
    /// km per degree of latitude.
    pub ky: f64,
}

impl LocalProjection {
    pub fn new(origin: LonLat) -> LocalProjection {
        LocalProjection {
            origin,
            kx: origin.lat.to_radians().cos().abs() * KM_PER_DEG_LON,
            ky: KM_PER_DEG_LAT,
        }
    }

    /// (x, y) in km of a point given in degrees.
    #[inline]
    pub fn project(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            (lon - self.origin.lon) * self.kx,
            (lat - self.origin.lat) * self.ky,
        )
    }

    /// Half-widths in degrees (lon, lat) of a box that holds every point
    /// within `km` of the origin in this projection (infinite when unbounded).
    pub fn degree_box(&self, km: f64) -> (f64, f64) {
        let dlon = if self.kx > 0.0 {
            km / self.kx
        } else {
            f64::INFINITY
        };
        (dlon, km / self.ky)
    }

    /// Squared distance in km² from the origin to the segment between two
    /// points given in degrees.
    #[inline]
    pub fn segment_distance_sq(&self, a: (f64, f64), b: (f64, f64)) -> f64 {
        let (ax, ay) = self.project(a.0, a.1);
        let (bx, by) = self.project(b.0, b.1);
        segment_distance_sq_to_origin(ax, ay, bx, by)
    }
}

/// Squared distance from (0, 0) to the segment (ax, ay)–(bx, by).
#[inline]
pub(crate) fn segment_distance_sq_to_origin(ax: f64, ay: f64, bx: f64, by: f64) -> f64 {
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (x, y) = (ax + t * dx, ay + t * dy);
    x * x + y * y
}
