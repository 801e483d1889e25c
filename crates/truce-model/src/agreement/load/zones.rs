//! Zones: inline polygons, GeoJSON files and boundary sets, each geometry checked, and the sources zones are read from.

use super::*;

impl Builder<'_, '_> {
    pub(super) fn boundaries(&mut self, root: Table<'_, '_>) -> Vec<BoundarySet> {
        let mut sets = Vec::new();
        let mut seen: HashMap<String, ()> = HashMap::new();
        for (value, i) in self.reader.array_of_tables(root, "boundaries") {
            let what = format!("boundaries #{}", i + 1);
            let Some(table) = self.reader.as_table(value, "boundaries", &what) else {
                continue;
            };
            self.reader
                .check_keys(table, &["id", "file", "name_properties", "code_properties"]);
            let id = self.reader.req_string(table, "id");
            let file = self.reader.req_string(table, "file");
            let mut name_properties: Vec<String> = self
                .string_list(table, "name_properties")
                .into_iter()
                .map(|l| l.value)
                .collect();
            if name_properties.is_empty() {
                name_properties = terms::DEFAULT_NAME_PROPERTIES.map(String::from).to_vec();
            }
            let mut code_properties: Vec<String> = self
                .string_list(table, "code_properties")
                .into_iter()
                .map(|l| l.value)
                .collect();
            if code_properties.is_empty() {
                code_properties = terms::DEFAULT_CODE_PROPERTIES.map(String::from).to_vec();
            }
            let (Some(id), Some(file)) = (id, file) else {
                continue;
            };
            self.check_id(&id, "boundaries");
            if seen.insert(id.value.clone(), ()).is_some() {
                self.reader.error(
                    Code::DuplicateId,
                    id.span.clone(),
                    format!("boundaries `{}` is defined twice", id.value),
                );
                continue;
            }
            let features = self.read_geojson_features(&file);
            sets.push(BoundarySet {
                id,
                file,
                name_properties,
                code_properties,
                features,
            });
        }
        sets
    }

    pub(super) fn read_geojson_features(
        &mut self,
        file: &Located<String>,
    ) -> Option<std::rc::Rc<Vec<geojson::Feature>>> {
        if let Some(cached) = self.geojson_cache.get(&file.value) {
            if cached.is_none() {
                // The file's problem was reported where it was first named; point here too.
                self.reader.error(
                    Code::BadReferencedFile,
                    file.span.clone(),
                    format!("`{}` could not be read as GeoJSON (see above)", file.value),
                );
            }
            return cached.clone();
        }
        let features = self.parse_geojson_features(file).map(std::rc::Rc::new);
        self.geojson_cache
            .insert(file.value.clone(), features.clone());
        features
    }

    pub(super) fn parse_geojson_features(
        &mut self,
        file: &Located<String>,
    ) -> Option<Vec<geojson::Feature>> {
        let bytes = self.read_file(file)?;
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                self.reader
                    .error(
                        Code::BadReferencedFile,
                        file.span.clone(),
                        format!("`{}` is not UTF-8 text", file.value),
                    )
                    .expected("a GeoJSON file (UTF-8 JSON)");
                return None;
            }
        };
        match text.parse::<geojson::GeoJson>() {
            Ok(geojson::GeoJson::FeatureCollection(fc)) => Some(fc.features),
            Ok(geojson::GeoJson::Feature(f)) => Some(vec![f]),
            Ok(geojson::GeoJson::Geometry(g)) => Some(vec![geojson::Feature {
                bbox: None,
                geometry: Some(g),
                id: None,
                properties: None,
                foreign_members: None,
            }]),
            Err(e) => {
                self.reader
                    .error(
                        Code::BadReferencedFile,
                        file.span.clone(),
                        format!("`{}` is not valid GeoJSON: {e}", file.value),
                    )
                    .expected("a GeoJSON FeatureCollection, Feature or Geometry");
                None
            }
        }
    }

    pub(super) fn read_file(&mut self, file: &Located<String>) -> Option<Vec<u8>> {
        if !self.agreement.referenced_files.contains(&file.value) {
            self.agreement.referenced_files.push(file.value.clone());
        }
        match self.files.read(&file.value) {
            Ok(bytes) => Some(bytes),
            Err(why) => {
                self.reader
                    .error(
                        Code::FileNotFound,
                        file.span.clone(),
                        format!("cannot read `{}`: {why}", file.value),
                    )
                    .expected("a path relative to the agreement file");
                None
            }
        }
    }

    pub(super) fn zones(&mut self, root: Table<'_, '_>, boundaries: &[BoundarySet]) {
        for (value, i) in self.reader.array_of_tables(root, "zone") {
            let what = format!("zone #{}", i + 1);
            let Some(table) = self.reader.as_table(value, "zone", &what) else {
                continue;
            };
            let Some((id, name)) = self.named_item(
                table,
                &[
                    "id",
                    "name",
                    "polygon",
                    "holes",
                    "file",
                    "feature",
                    "admin",
                    "boundaries",
                ],
            ) else {
                continue;
            };
            let sources = ["polygon", "file", "admin"]
                .iter()
                .filter(|k| table.get(k).is_some())
                .count();
            if sources != 1 {
                let message = if sources == 0 {
                    format!("zone `{}` has no geometry", id.value)
                } else {
                    format!("zone `{}` has more than one geometry", id.value)
                };
                self.reader
                    .error(Code::InvalidValue, id.span.clone(), message)
                    .expected("exactly one of `polygon`, `file` (with `feature`) or `admin` (with `boundaries`)");
                self.define(IdSpace::Zone, &id);
                continue;
            }
            let geometry = if let Some(polygon) = table.get("polygon") {
                self.inline_polygon(&id.value, polygon, table.get("holes"))
                    .map(|(g, o)| (g, o, None))
            } else if let Some(file) = table.get("file") {
                self.zone_from_file(&id.value, table, file)
            } else if let Some(admin) = table.get("admin") {
                self.zone_from_admin(&id.value, table, admin, boundaries)
            } else {
                None
            };
            if !self.define(IdSpace::Zone, &id) {
                continue;
            }
            if let Some((geometry, origin, admin)) = geometry {
                self.agreement.zones.push(Zone {
                    id: id.value,
                    name,
                    geometry,
                    origin,
                    admin,
                });
            } else {
                // Keep indices aligned with ids; the error is already recorded.
                self.agreement.zones.push(Zone {
                    id: id.value,
                    name,
                    geometry: MultiPolygon::new(vec![]),
                    origin: String::new(),
                    admin: None,
                });
            }
        }
    }

    pub(super) fn ring(
        &mut self,
        id: &str,
        value: &Value<'_>,
        role: &str,
    ) -> Option<LineString<f64>> {
        let DeValue::Array(points) = value.get_ref() else {
            self.reader
                .wrong_type("polygon", value, "an array of [longitude, latitude] pairs");
            return None;
        };
        let mut coords = Vec::with_capacity(points.len());
        for point in points.iter() {
            let pair: Option<Vec<f64>> = match point.get_ref() {
                DeValue::Array(xy) if xy.len() == 2 => xy
                    .iter()
                    .map(|v| self.reader.number("polygon", v).map(|n| n.value))
                    .collect(),
                _ => {
                    self.reader
                        .wrong_type("polygon", point, "a [longitude, latitude] pair");
                    None
                }
            };
            let pair = pair?;
            if !(-180.0..=180.0).contains(&pair[0]) || !(-90.0..=90.0).contains(&pair[1]) {
                self.reader
                    .error(
                        Code::InvalidPolygon,
                        point.span(),
                        format!("zone `{id}`: a point is outside the globe"),
                    )
                    .found(format!("[{}, {}]", pair[0], pair[1]))
                    .expected(
                        "[longitude, latitude] with longitude in -180..180 and latitude in -90..90",
                    )
                    .hint = Some("coordinates are written longitude first, as in GeoJSON".into());
                return None;
            }
            coords.push(Coord {
                x: pair[0],
                y: pair[1],
            });
        }
        if coords.len() < 4 || coords.first() != coords.last() {
            let found = if coords.len() < 4 {
                format!("{} points", coords.len())
            } else {
                "a ring whose last point differs from its first".into()
            };
            self.reader
                .error(
                    Code::InvalidPolygon,
                    value.span(),
                    format!("zone `{id}`: the {role} ring is not closed"),
                )
                .found(found)
                .expected("at least 4 points, the last equal to the first");
            return None;
        }
        Some(LineString::new(coords))
    }

    pub(super) fn inline_polygon(
        &mut self,
        id: &str,
        polygon: &Value<'_>,
        holes: Option<&Value<'_>>,
    ) -> Option<(MultiPolygon<f64>, String)> {
        let span = polygon.span();
        let exterior = self.ring(id, polygon, "outer")?;
        let mut interiors = Vec::new();
        if let Some(holes) = holes {
            match holes.get_ref() {
                DeValue::Array(list) => {
                    for hole in list.iter() {
                        interiors.push(self.ring(id, hole, "hole")?);
                    }
                }
                _ => self.reader.wrong_type("holes", holes, "an array of rings"),
            }
        }
        let polygon = Polygon::new(exterior, interiors);
        let multi = MultiPolygon::new(vec![polygon]);
        let _ = self.validate_geometry(id, &multi, span);
        Some((multi, "inline polygon".into()))
    }

    pub(super) fn zone_from_file(
        &mut self,
        id: &str,
        table: Table<'_, '_>,
        file: &Value<'_>,
    ) -> Option<(MultiPolygon<f64>, String, Option<AdminUnit>)> {
        let file = self.reader.string("file", file)?;
        let features = self.read_geojson_features(&file)?;
        let selector = match table.get("feature") {
            None => None,
            Some(value) => {
                let sel = self.reader.as_table(value, "feature", "`feature`")?;
                self.reader.check_keys(sel, &["property", "value"]);
                let property = self.reader.req_string(sel, "property")?;
                let wanted = self.reader.required(sel, "value")?;
                let wanted_text = match wanted.get_ref() {
                    DeValue::String(s) => s.to_string(),
                    DeValue::Integer(i) => i.as_str().to_string(),
                    other => {
                        self.reader
                            .wrong_type("value", wanted, "a string or an integer");
                        let _ = other;
                        return None;
                    }
                };
                Some((property.value, wanted_text, value.span()))
            }
        };
        let chosen: Vec<&geojson::Feature> = match &selector {
            None => features.iter().collect(),
            Some((property, wanted, _)) => features
                .iter()
                .filter(|f| {
                    f.properties
                        .as_ref()
                        .and_then(|p| p.get(property))
                        .is_some_and(|v| json_text(v) == *wanted)
                })
                .collect(),
        };
        if chosen.is_empty() {
            let span = selector
                .as_ref()
                .map_or(file.span.clone(), |(_, _, s)| s.clone());
            let (property, wanted) = selector
                .as_ref()
                .map_or(("", ""), |(p, w, _)| (p.as_str(), w.as_str()));
            let examples: Vec<String> = features
                .iter()
                .filter_map(|f| {
                    f.properties
                        .as_ref()
                        .and_then(|p| p.get(property))
                        .map(json_text)
                })
                .take(8)
                .collect();
            self.reader
                .error(
                    Code::FeatureNotFound,
                    span,
                    format!(
                        "zone `{id}`: no feature of `{}` has {property} = \"{wanted}\"",
                        file.value
                    ),
                )
                .expected(if examples.is_empty() {
                    format!("a feature with a `{property}` property")
                } else {
                    format!("one of: {}", examples.join(", "))
                });
            return None;
        }
        if selector.is_none() && chosen.len() > 1 {
            self.reader
                .error(
                    Code::InvalidValue,
                    file.span.clone(),
                    format!(
                        "zone `{id}`: `{}` holds {} features; say which",
                        file.value,
                        chosen.len()
                    ),
                )
                .expected("a `feature = { property = \"…\", value = \"…\" }` selector");
            return None;
        }
        let features = chosen.len();
        // One feature selected by an administrative code (an oblast by its ISO
        // 3166-2 code, a district by its p-code) is a unit sources may name; a
        // feature selected by any other property (a sector's id) is a drawn zone.
        let by_code = selector
            .as_ref()
            .is_some_and(|(p, _, _)| terms::DEFAULT_CODE_PROPERTIES.contains(&p.as_str()));
        let unit = (features == 1 && by_code).then(|| {
            terms::admin_unit(
                &file.value,
                chosen[0],
                &terms::DEFAULT_NAME_PROPERTIES.map(String::from),
                &terms::DEFAULT_CODE_PROPERTIES.map(String::from),
            )
        });
        let mut polygons = Vec::new();
        for feature in chosen {
            polygons.extend(self.feature_polygons(id, feature, &file)?);
        }
        let multi = MultiPolygon::new(polygons);
        let valid = self.validate_geometry(id, &multi, file.span.clone());
        // Several features (all governorates of a country) make one zone: merge them, or the
        // borders between them would count as the zone's edge, and events near those borders
        // would only possibly be in the zone.
        let multi = if features > 1 && valid {
            geo::unary_union(&multi.0)
        } else {
            multi
        };
        let origin = match &selector {
            Some((p, w, _)) => format!("{} where {p} = \"{w}\"", file.value),
            None => file.value.clone(),
        };
        Some((multi, origin, unit))
    }

    pub(super) fn zone_from_admin(
        &mut self,
        id: &str,
        table: Table<'_, '_>,
        admin: &Value<'_>,
        boundaries: &[BoundarySet],
    ) -> Option<(MultiPolygon<f64>, String, Option<AdminUnit>)> {
        let admin = self.reader.string("admin", admin)?;
        let set_ref = self.reader.opt_string(table, "boundaries");
        let set = match &set_ref {
            Some(name) => match boundaries.iter().find(|b| b.id.value == name.value) {
                Some(s) => s,
                None => {
                    let known = boundaries.iter().map(|b| b.id.value.clone()).collect();
                    self.unknown(name, "boundaries", known);
                    return None;
                }
            },
            None if boundaries.len() == 1 => &boundaries[0],
            None => {
                self.reader
                    .error(
                        Code::MissingField,
                        admin.span.clone(),
                        format!(
                            "zone `{id}`: which boundaries file holds `{}`?",
                            admin.value
                        ),
                    )
                    .expected(if boundaries.is_empty() {
                        "a [[boundaries]] table naming an administrative boundaries file"
                            .to_string()
                    } else {
                        "a `boundaries = \"…\"` field, since several [[boundaries]] are defined"
                            .to_string()
                    });
                return None;
            }
        };
        let features = set.features.as_ref()?;
        let wanted_key = exact_key(&admin.value);
        let wanted_code = admin.value.to_ascii_uppercase();
        let matches: Vec<&geojson::Feature> = features
            .iter()
            .filter(|f| {
                let Some(props) = f.properties.as_ref() else {
                    return false;
                };
                set.code_properties.iter().any(|p| {
                    props
                        .get(p)
                        .is_some_and(|v| json_text(v).to_ascii_uppercase() == wanted_code)
                }) || set.name_properties.iter().any(|p| {
                    props
                        .get(p)
                        .is_some_and(|v| exact_key(&json_text(v)) == wanted_key)
                })
            })
            .collect();
        match matches.len() {
            0 => {
                let examples: Vec<String> = features
                    .iter()
                    .filter_map(|f| {
                        f.properties
                            .as_ref()
                            .and_then(|p| set.name_properties.iter().find_map(|n| p.get(n)))
                            .map(json_text)
                    })
                    .take(20)
                    .collect();
                self.reader
                    .error(
                        Code::FeatureNotFound,
                        admin.span.clone(),
                        format!(
                            "zone `{id}`: no administrative unit `{}` in `{}`",
                            admin.value, set.file.value
                        ),
                    )
                    .expected(format!("a name or code such as: {}", examples.join(", ")));
                None
            }
            1 => {
                let file = set.file.clone();
                let polygons = self.feature_polygons(id, matches[0], &file)?;
                let multi = MultiPolygon::new(polygons);
                let _ = self.validate_geometry(id, &multi, admin.span.clone());
                let unit = terms::admin_unit(
                    &set.file.value,
                    matches[0],
                    &set.name_properties,
                    &set.code_properties,
                );
                Some((
                    multi,
                    format!(
                        "administrative unit \"{}\" in {}",
                        admin.value, set.file.value
                    ),
                    Some(unit),
                ))
            }
            n => {
                self.reader
                    .error(
                        Code::FeatureNotFound,
                        admin.span.clone(),
                        format!(
                            "zone `{id}`: `{}` names {n} units in `{}`",
                            admin.value, set.file.value
                        ),
                    )
                    .expected("a name or code that names exactly one unit")
                    .hint = Some(
                    "use the unit's code (e.g. its ISO 3166-2 code) instead of its name".into(),
                );
                None
            }
        }
    }

    pub(super) fn feature_polygons(
        &mut self,
        id: &str,
        feature: &geojson::Feature,
        file: &Located<String>,
    ) -> Option<Vec<Polygon<f64>>> {
        let Some(geometry) = &feature.geometry else {
            self.reader.error(
                Code::BadReferencedFile,
                file.span.clone(),
                format!(
                    "zone `{id}`: the feature in `{}` has no geometry",
                    file.value
                ),
            );
            return None;
        };
        let rings_list: Vec<&Vec<Vec<geojson::Position>>> = match &geometry.value {
            geojson::GeometryValue::Polygon { coordinates } => vec![coordinates],
            geojson::GeometryValue::MultiPolygon { coordinates } => coordinates.iter().collect(),
            _ => {
                self.reader
                    .error(
                        Code::BadReferencedFile,
                        file.span.clone(),
                        format!(
                            "zone `{id}`: the feature in `{}` is not a polygon",
                            file.value
                        ),
                    )
                    .expected("a Polygon or MultiPolygon geometry");
                return None;
            }
        };
        let mut polygons = Vec::new();
        for rings in rings_list {
            let mut converted = Vec::new();
            for (r, ring) in rings.iter().enumerate() {
                let coords: Vec<Coord<f64>> = ring
                    .iter()
                    .filter(|p| p.len() >= 2)
                    .map(|p| Coord {
                        x: p.as_slice()[0],
                        y: p.as_slice()[1],
                    })
                    .collect();
                if coords.len() < 4 || coords.first() != coords.last() {
                    let role = if r == 0 { "outer" } else { "hole" };
                    self.reader
                        .error(
                            Code::InvalidPolygon,
                            file.span.clone(),
                            format!(
                                "zone `{id}`: a {role} ring in `{}` is not closed",
                                file.value
                            ),
                        )
                        .found(format!(
                            "{} points, first {:?}, last {:?}",
                            coords.len(),
                            coords.first().map(|c| (c.x, c.y)),
                            coords.last().map(|c| (c.x, c.y))
                        ))
                        .expected("at least 4 points, the last equal to the first (RFC 7946)");
                    return None;
                }
                converted.push(LineString::new(coords));
            }
            if converted.is_empty() {
                continue;
            }
            let exterior = converted.remove(0);
            polygons.push(Polygon::new(exterior, converted));
        }
        Some(polygons)
    }

    /// Reports every problem of the zone's polygons; true when there is none.
    pub(super) fn validate_geometry(
        &mut self,
        id: &str,
        multi: &MultiPolygon<f64>,
        span: Range<usize>,
    ) -> bool {
        let mut problems = Vec::new();
        for (i, polygon) in multi.0.iter().enumerate() {
            for error in polygon.validation_errors() {
                if multi.0.len() > 1 {
                    problems.push(format!("polygon {}: {error}", i + 1));
                } else {
                    problems.push(error.to_string());
                }
            }
        }
        if !problems.is_empty() {
            problems.truncate(5);
            self.reader
                .error(
                    Code::InvalidPolygon,
                    span,
                    format!("zone `{id}`: invalid polygon"),
                )
                .found(problems.join("; "))
                .expected("simple rings that do not cross themselves or each other");
        }
        problems.is_empty()
    }
}
