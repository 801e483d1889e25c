//! Places by name, in every spelling and script the gazetteer gives.
//!
//! Built in: GeoNames' places of Syria, Ukraine and Yemen with their alternate
//! names (Arabic and Cyrillic among them; CC BY 4.0), and the first-order units
//! (governorates, oblasts) of Natural Earth's boundaries (public domain), cut by
//! `data/cut.py`. More places come from any GeoNames file (`--gazetteer`).
//!
//! A name is looked up by its normalised words without the Arabic article, then
//! by a transliteration-insensitive key ("Deir Ezzor" = "Deir ez-Zor"). A name that
//! fits places far apart is ambiguous: the caller reports the candidates.

use crate::text::{normalize_phrase, tokens};
use std::collections::HashMap;

/// How precise a place is.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PlaceLevel {
    /// A town, village, neighbourhood or site.
    Point,
    /// A governorate, province or oblast.
    Admin1,
    /// A whole country.
    Country,
}

/// One place of the gazetteer.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub name: String,
    /// ISO 3166 two-letter code.
    pub country: String,
    /// The first-order unit's name, for a unit itself.
    pub admin1: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub level: PlaceLevel,
    pub population: u64,
    /// GeoNames id, when it comes from GeoNames.
    pub geonameid: Option<u64>,
}

/// Names to places.
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    places: Vec<Place>,
    by_key: HashMap<String, Vec<usize>>,
    by_fold: HashMap<String, Vec<usize>>,
    /// The most words any name has.
    longest: usize,
    /// First-order units by (country, GeoNames admin1 code), so a place knows its unit.
    units: HashMap<(String, String), usize>,
}

const BUILT_IN_PLACES: &[(&str, &str)] = &[
    ("SY", include_str!("../data/places_sy.tsv")),
    ("UA", include_str!("../data/places_ua.tsv")),
    ("YE", include_str!("../data/places_ye.tsv")),
];
const BUILT_IN_ADMIN1: &str = include_str!("../data/admin1.tsv");

/// Countries, with a representative point and their names.
const COUNTRIES: &[(&str, &str, f64, f64, &[&str])] = &[
    (
        "SY",
        "Syria",
        35.0,
        38.5,
        &["Syria", "Syrian Arab Republic", "سوريا", "سورية"],
    ),
    (
        "UA",
        "Ukraine",
        49.0,
        31.4,
        &["Ukraine", "أوكرانيا", "Україна", "Украина"],
    ),
    ("YE", "Yemen", 15.6, 48.0, &["Yemen", "اليمن"]),
];

// Words dropped from a name's key: the Arabic article in its romanisations.
use truce_model::names::{ARTICLES, without_arabic_article};

/// The key of a name's words: normalised, without articles, the Arabic `ال` off.
pub fn key_of(words: &[String]) -> String {
    let mut out = String::new();
    for word in words {
        if ARTICLES.contains(&word.as_str()) && words.len() > 1 {
            continue;
        }
        let word = without_arabic_article(word);
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The transliteration-insensitive key: the name's key without spaces, with the
/// letters romanisations disagree on folded, doubled letters once.
pub fn fold_of(key: &str) -> String {
    fold_with(key, 'a')
}

/// Arabic's short vowels are written e, i or a ("Jesr" = "Jisr", "Deir" = "Dayr"):
/// both readings of e give a key.
fn fold_with(key: &str, e: char) -> String {
    let mut out = String::with_capacity(key.len());
    for ch in key.chars().filter(|c| *c != ' ') {
        let mapped = match ch {
            'e' => e,
            'a' => 'a',
            'o' | 'u' | 'w' => 'u',
            'i' | 'y' => 'i',
            'q' | 'c' | 'k' => 'k',
            'h' => continue,
            _ => ch,
        };
        if !out.ends_with(mapped) {
            out.push(mapped);
        }
    }
    out
}

/// Folding is used only for keys this long, so short names never collide.
const MIN_FOLD: usize = 5;

impl Gazetteer {
    /// The built-in places and units.
    pub fn builtin() -> Gazetteer {
        let mut gazetteer = Gazetteer::default();
        for (code, name, lat, lon, names) in COUNTRIES {
            gazetteer.add(
                Place {
                    name: name.to_string(),
                    country: code.to_string(),
                    admin1: None,
                    lat: *lat,
                    lon: *lon,
                    level: PlaceLevel::Country,
                    population: u64::MAX,
                    geonameid: None,
                },
                names.iter().map(|n| n.to_string()),
            );
        }
        // The built-in files are ours and well formed; a bad row would only be skipped.
        let _ = gazetteer.add_admin1(BUILT_IN_ADMIN1);
        for (_, text) in BUILT_IN_PLACES {
            let _ = gazetteer.add_geonames(text);
        }
        gazetteer
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    pub fn place(&self, index: usize) -> &Place {
        &self.places[index]
    }

    /// The first-order unit named `name` in `country`.
    pub fn unit(&self, country: &str, name: &str) -> Option<&Place> {
        self.places
            .iter()
            .find(|p| p.level == PlaceLevel::Admin1 && p.country == country && p.name == name)
    }

    pub fn longest_name(&self) -> usize {
        self.longest
    }

    fn add(&mut self, place: Place, names: impl IntoIterator<Item = String>) {
        let index = self.places.len();
        let mut keys: Vec<String> = Vec::new();
        for name in std::iter::once(place.name.clone()).chain(names) {
            let words = normalize_phrase(&name);
            if words.is_empty() {
                continue;
            }
            self.longest = self.longest.max(words.len());
            let key = key_of(&words);
            if !key.is_empty() && !keys.contains(&key) {
                keys.push(key);
            }
        }
        for key in keys {
            let folds = [fold_with(&key, 'a'), fold_with(&key, 'i')];
            let entry = self.by_key.entry(key).or_default();
            if !entry.contains(&index) {
                entry.push(index);
            }
            for fold in folds {
                if fold.chars().count() >= MIN_FOLD {
                    let entry = self.by_fold.entry(fold).or_default();
                    if !entry.contains(&index) {
                        entry.push(index);
                    }
                }
            }
        }
        self.places.push(place);
    }

    /// Adds the rows of a GeoNames file (`geonameid, name, latitude, longitude,
    /// countrycode, admin1code, population, timezone, alternatenames`, with a
    /// header row, tab-separated, as `data/places_*.tsv`). Returns the number of
    /// rows added, or the first row that cannot be read.
    pub fn add_geonames(&mut self, text: &str) -> Result<usize, String> {
        let mut added = 0;
        for (n, line) in text.lines().enumerate() {
            if n == 0 && line.starts_with("geonameid") || line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let (Some(id), Some(name), Some(lat), Some(lon), Some(country)) = (
                fields.first().and_then(|f| f.parse::<u64>().ok()),
                fields.get(1),
                fields.get(2).and_then(|f| f.parse::<f64>().ok()),
                fields.get(3).and_then(|f| f.parse::<f64>().ok()),
                fields.get(4),
            ) else {
                return Err(format!(
                    "line {}: expected geonameid, name, latitude, longitude and country code, tab-separated",
                    n + 1
                ));
            };
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                return Err(format!(
                    "line {}: the latitude or longitude is out of range",
                    n + 1
                ));
            }
            let population = fields
                .get(6)
                .and_then(|f| f.parse::<u64>().ok())
                .unwrap_or(0);
            let admin1 = fields
                .get(5)
                .and_then(|code| self.units.get(&(country.to_string(), code.to_string())))
                .map(|&unit| self.places[unit].name.clone());
            let alternates: Vec<String> = fields
                .get(8)
                .map(|f| f.split(',').map(str::to_string).collect())
                .unwrap_or_default();
            self.add(
                Place {
                    name: name.to_string(),
                    country: country.to_string(),
                    admin1,
                    lat,
                    lon,
                    level: PlaceLevel::Point,
                    population,
                    geonameid: Some(id),
                },
                alternates,
            );
            added += 1;
        }
        Ok(added)
    }

    /// Adds first-order units: `country, name, alternatenames, latitude, longitude`.
    pub fn add_admin1(&mut self, text: &str) -> Result<usize, String> {
        let mut added = 0;
        for (n, line) in text.lines().enumerate().skip(1) {
            let fields: Vec<&str> = line.split('\t').collect();
            let (Some(country), Some(name), Some(lat), Some(lon)) = (
                fields.first(),
                fields.get(1),
                fields.get(3).and_then(|f| f.parse::<f64>().ok()),
                fields.get(4).and_then(|f| f.parse::<f64>().ok()),
            ) else {
                return Err(format!(
                    "line {}: expected country, name, alternatenames, latitude, longitude",
                    n + 1
                ));
            };
            let alternates: Vec<String> = fields
                .get(2)
                .map(|f| {
                    f.split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            if let Some(code) = fields.get(5).map(|c| c.trim()).filter(|c| !c.is_empty()) {
                self.units
                    .insert((country.to_string(), code.to_string()), self.places.len());
            }
            self.add(
                Place {
                    name: name.to_string(),
                    country: country.to_string(),
                    admin1: Some(name.to_string()),
                    lat,
                    lon,
                    level: PlaceLevel::Admin1,
                    population: 0,
                    geonameid: None,
                },
                alternates,
            );
            added += 1;
        }
        Ok(added)
    }

    /// The places a name (its normalised words) may be.
    pub fn lookup(&self, words: &[String]) -> Vec<usize> {
        let key = key_of(words);
        if key.is_empty() {
            return Vec::new();
        }
        if let Some(found) = self.by_key.get(&key) {
            return found.clone();
        }
        for e in ['a', 'i'] {
            let fold = fold_with(&key, e);
            if fold.chars().count() >= MIN_FOLD
                && let Some(found) = self.by_fold.get(&fold)
            {
                return found.clone();
            }
        }
        Vec::new()
    }

    /// Whether the name's own key (not only its transliteration key) is known.
    pub fn lookup_exact(&self, words: &[String]) -> bool {
        self.by_key.contains_key(&key_of(words))
    }

    /// Looks up a name as written.
    pub fn lookup_name(&self, name: &str) -> Vec<usize> {
        let words: Vec<String> = tokens(name).into_iter().map(|t| t.norm).collect();
        self.lookup(&words)
    }
}

/// Great-circle distance in km.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_and_english_names_are_the_same_place() {
        let g = Gazetteer::builtin();
        let english = g.lookup_name("Aleppo");
        let arabic = g.lookup_name("حلب");
        let halab = g.lookup_name("Halab");
        let city = |found: &[usize]| {
            found
                .iter()
                .copied()
                .find(|&i| g.place(i).level == PlaceLevel::Point)
        };
        assert!(city(&english).is_some());
        assert_eq!(city(&english), city(&arabic));
        assert_eq!(city(&english), city(&halab));
    }

    #[test]
    fn romanisations_meet_on_the_folded_key() {
        let g = Gazetteer::builtin();
        let a = g.lookup_name("Deir ez-Zor");
        let b = g.lookup_name("Deir Ezzor");
        assert!(!a.is_empty());
        assert_eq!(a, b);
    }
}
