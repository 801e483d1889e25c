//! Geometry for truce: which zones contain a point, which zones a point known
//! only to within a radius may be in, and which protected sites are near a
//! point.
//!
//! - [`ZoneIndex`]: zones (lon/lat multipolygons) in an R-tree of polygon
//!   envelopes, each polygon prepared with a grid for fast, exact
//!   point-in-polygon tests (strict interior, like shapely's `within`).
//!   [`ZoneIndex::containing`] answers for a point,
//!   [`ZoneIndex::relate`] for an uncertain location.
//! - [`SiteIndex`]: protected sites in an R-tree, [`SiteIndex::within`] by
//!   great-circle distance ([`haversine_km`]).
//! - [`LocalProjection`]: the equirectangular projection used for distances
//!   to zone boundaries, with its error documented.
//!
//! This crate is pure: no IO, no clock, and no panic on user data (non-finite
//! coordinates are answered, not trusted). Coordinates are WGS 84 degrees
//! taken as a plane for containment, so zones that cross the antimeridian must
//! be split there (as RFC 7946 asks).

mod distance;
mod polygon;
mod site;
mod zone;

pub use distance::{
    EARTH_RADIUS_KM, KM_PER_DEG_LAT, KM_PER_DEG_LON, LocalProjection, haversine_km,
};
pub use polygon::{DEFAULT_CELLS_PER_EDGE, Location};
pub use site::SiteIndex;
pub use zone::{IndexOptions, ZoneIndex, ZoneRelation};

#[cfg(test)]
mod tests;
