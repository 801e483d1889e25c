//! The map's base: the agreement's own boundary files, and beneath them an
//! offline picture of the region — Natural Earth's countries and GeoNames' larger
//! places — so that a first look at the map says where it is without any tile
//! server. The data are embedded in the binary (`data/basemap/`, with their
//! sources and licences in its README); nothing is fetched from elsewhere.

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use geo::BoundingRect;
use serde::Serialize;
use serde_json::{Value, json};
use std::sync::{Arc, OnceLock};
use utoipa::ToSchema;

/// Natural Earth admin-0 countries at 1:50m (v4.1.0), as GeoJSON.
const COUNTRIES: &str = include_str!("../data/basemap/countries-50m.geojson");
/// GeoNames places of 20,000 people or more, in every country (TSV).
const PLACES: &str = include_str!("../data/basemap/places.tsv");
/// What the page must credit when it draws the base.
const ATTRIBUTION: &str =
    "Countries: Natural Earth (public domain). Places: GeoNames (geonames.org), CC BY 4.0.";
/// How far around the agreement's area countries are drawn, and places named, in degrees.
const COUNTRY_MARGIN: f64 = 4.0;
const PLACE_MARGIN: f64 = 1.0;
/// The most places named at once: the largest first.
const PLACES_AT_MOST: usize = 80;

/// A west, south, east, north box in degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Area {
    west: f64,
    south: f64,
    east: f64,
    north: f64,
}

impl Area {
    fn grown(self, degrees: f64) -> Area {
        Area {
            west: self.west - degrees,
            south: self.south - degrees,
            east: self.east + degrees,
            north: self.north + degrees,
        }
    }
    fn meets(&self, other: &Area) -> bool {
        self.west <= other.east
            && other.west <= self.east
            && self.south <= other.north
            && other.south <= self.north
    }
    fn contains(&self, lon: f64, lat: f64) -> bool {
        (self.west..=self.east).contains(&lon) && (self.south..=self.north).contains(&lat)
    }
    fn join(a: Option<Area>, b: Area) -> Area {
        match a {
            None => b,
            Some(a) => Area {
                west: a.west.min(b.west),
                south: a.south.min(b.south),
                east: a.east.max(b.east),
                north: a.north.max(b.north),
            },
        }
    }
}

/// A country's outline with its box, read once.
struct Country {
    area: Area,
    feature: Value,
}

/// A named place.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PlaceWire {
    pub name: String,
    /// Its name in Arabic, when GeoNames gives one.
    pub name_ar: Option<String>,
    pub lon: f64,
    pub lat: f64,
    pub population: u64,
}

/// The box of every coordinate pair in a GeoJSON geometry's `coordinates`.
fn area_of(coordinates: &Value, into: &mut Option<Area>) {
    match coordinates.as_array().map(Vec::as_slice) {
        Some([lon, lat]) if lon.is_number() && lat.is_number() => {
            let (lon, lat) = (lon.as_f64().unwrap_or(0.0), lat.as_f64().unwrap_or(0.0));
            *into = Some(Area::join(
                *into,
                Area {
                    west: lon,
                    south: lat,
                    east: lon,
                    north: lat,
                },
            ));
        }
        Some(items) => items.iter().for_each(|item| area_of(item, into)),
        None => {}
    }
}

fn countries() -> &'static [Country] {
    static COUNTRIES_READ: OnceLock<Vec<Country>> = OnceLock::new();
    COUNTRIES_READ.get_or_init(|| {
        let Ok(Value::Object(collection)) = serde_json::from_str::<Value>(COUNTRIES) else {
            return Vec::new();
        };
        let features = collection.get("features").and_then(Value::as_array);
        features
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .filter_map(|feature| {
                let mut area = None;
                area_of(&feature["geometry"]["coordinates"], &mut area);
                Some(Country {
                    area: area?,
                    feature: feature.clone(),
                })
            })
            .collect()
    })
}

fn places() -> &'static [PlaceWire] {
    static PLACES_READ: OnceLock<Vec<PlaceWire>> = OnceLock::new();
    PLACES_READ.get_or_init(|| {
        PLACES
            .lines()
            .skip(1)
            .filter_map(|line| {
                let fields: Vec<&str> = line.split('\t').collect();
                let [_, name, name_ar, lat, lon, _, population] = fields.as_slice() else {
                    return None;
                };
                Some(PlaceWire {
                    name: (*name).to_string(),
                    name_ar: (!name_ar.is_empty()).then(|| (*name_ar).to_string()),
                    lon: lon.parse().ok()?,
                    lat: lat.parse().ok()?,
                    population: population.parse().ok()?,
                })
            })
            .collect()
    })
}

/// The countries that meet `area` grown by a margin (every country without one).
fn countries_near(area: Option<Area>) -> Vec<Value> {
    let wide = area.map(|a| a.grown(COUNTRY_MARGIN));
    countries()
        .iter()
        .filter(|c| wide.is_none_or(|w| w.meets(&c.area)))
        .map(|c| c.feature.clone())
        .collect()
}

/// The largest places in `area` grown by a margin, largest first.
fn places_in(area: Option<Area>) -> Vec<PlaceWire> {
    let wide = area.map(|a| a.grown(PLACE_MARGIN));
    places()
        .iter()
        .filter(|p| wide.is_none_or(|w| w.contains(p.lon, p.lat)))
        .take(PLACES_AT_MOST)
        .cloned()
        .collect()
}

/// The base map: every boundary in the GeoJSON files the agreement reads (its
/// administrative units); the countries around the agreement's area and its larger
/// places, drawn beneath them from data in the binary; and the tile server to draw
/// beneath everything when the mission set one (`tile_url`).
#[derive(Serialize, ToSchema)]
pub struct BaseMap {
    /// An XYZ raster tile URL (`https://…/{z}/{x}/{y}.png`), when the mission set one.
    pub tile_url: Option<String>,
    /// `FeatureCollection` of the boundaries, each with its `name` when the file gives one.
    #[schema(value_type = Object)]
    pub boundaries: Value,
    /// The agreement's area, `[west, south, east, north]` in degrees: its zones and
    /// boundary files; absent when it has neither (the page then fits the incidents).
    pub area: Option<[f64; 4]>,
    /// `FeatureCollection` of the countries around the area (Natural Earth, 1:50m),
    /// each with its `name`.
    #[schema(value_type = Object)]
    pub countries: Value,
    /// The larger places in and near the area (GeoNames), largest first.
    pub places: Vec<PlaceWire>,
    /// The credit the page shows for the countries and places.
    pub attribution: String,
}

/// The base map: boundaries, countries and places, and the optional tile URL.
#[utoipa::path(get, path = "/api/v1/map/base", tag = "incidents",
    security((), ("bearer" = [])),
    responses((status = 200, body = BaseMap), (status = 401, body = ErrorBody)))]
pub async fn map_base(
    State(state): State<Arc<AppState>>,
    _caller: Caller,
) -> ApiResult<Json<BaseMap>> {
    let mission = state.mission();
    let base = mission
        .path
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let files: Vec<String> = mission
        .agreement
        .referenced_files
        .iter()
        .filter(|f| f.ends_with(".geojson") || f.ends_with(".json"))
        .cloned()
        .collect();
    let mut area = None;
    for zone in &mission.agreement.zones {
        if let Some(rect) = zone.geometry.bounding_rect() {
            let (min, max) = (rect.min(), rect.max());
            let zone_area = Area {
                west: min.x,
                south: min.y,
                east: max.x,
                north: max.y,
            };
            area = Some(Area::join(area, zone_area));
        }
    }
    let (features, area) = tokio::task::spawn_blocking(move || {
        let features = boundary_features(&base, &files);
        for feature in &features {
            area_of(&feature["geometry"]["coordinates"], &mut area);
        }
        (features, area)
    })
    .await?;
    Ok(Json(BaseMap {
        tile_url: state.settings.tile_url.clone(),
        boundaries: json!({"type": "FeatureCollection", "features": features}),
        area: area.map(|a| [a.west, a.south, a.east, a.north]),
        countries: json!({"type": "FeatureCollection", "features": countries_near(area)}),
        places: places_in(area),
        attribution: ATTRIBUTION.to_string(),
    }))
}

/// Every polygon in the agreement's GeoJSON `files` (relative to `base`), with its
/// name when the file gives one. The agreement loaded these files; one that cannot
/// be read now is left out.
fn boundary_features(base: &std::path::Path, files: &[String]) -> Vec<Value> {
    let mut features = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(base.join(file)) else {
            continue;
        };
        let Ok(Value::Object(collection)) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        for feature in collection
            .get("features")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[])
        {
            let geometry = feature.get("geometry").cloned().unwrap_or(Value::Null);
            let kind = geometry.get("type").and_then(Value::as_str).unwrap_or("");
            if kind != "Polygon" && kind != "MultiPolygon" {
                continue;
            }
            let properties = feature.get("properties");
            let name = ["name", "NAME", "name_en", "shapeName", "ADM1_EN", "ADM2_EN"]
                .iter()
                .find_map(|k| properties.and_then(|p| p.get(*k)).and_then(Value::as_str));
            features.push(json!({
                "type": "Feature",
                "geometry": geometry,
                "properties": {"name": name, "file": file},
            }));
        }
    }
    features
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_base_reads_and_finds_syrias_neighbours_and_places() {
        assert!(countries().len() > 200, "{}", countries().len());
        let syria = Area {
            west: 35.7,
            south: 32.3,
            east: 42.4,
            north: 37.3,
        };
        let near: Vec<String> = countries_near(Some(syria))
            .iter()
            .filter_map(|f| f["properties"]["name"].as_str().map(str::to_string))
            .collect();
        for neighbour in ["Syria", "Turkey", "Iraq", "Jordan", "Lebanon", "Israel"] {
            assert!(
                near.iter().any(|n| n == neighbour),
                "{neighbour} not in {near:?}"
            );
        }
        assert!(!near.iter().any(|n| n == "Brazil"), "{near:?}");
        let named = places_in(Some(syria));
        let aleppo = named.iter().find(|p| p.name == "Aleppo").expect("Aleppo");
        assert_eq!(aleppo.name_ar.as_deref(), Some("حلب"));
        // The neighbours' cities across the border are named too.
        for city in ["Amman", "Beirut", "Gaziantep"] {
            assert!(named.iter().any(|p| p.name == city), "{city} not named");
        }
        assert!(
            named
                .iter()
                .all(|p| syria.grown(PLACE_MARGIN).contains(p.lon, p.lat))
        );
        assert!(named.windows(2).all(|w| w[0].population >= w[1].population));
    }
}
