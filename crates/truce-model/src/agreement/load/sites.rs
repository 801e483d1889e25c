//! Protected sites: inline, from CSV or GeoJSON lists, with their precision and uncertainty.

use super::*;

impl Builder<'_, '_> {
    pub(super) fn sites(&mut self, root: Table<'_, '_>) {
        for (value, i) in self.reader.array_of_tables(root, "site") {
            let what = format!("site #{}", i + 1);
            let Some(table) = self.reader.as_table(value, "site", &what) else {
                continue;
            };
            let Some((id, name)) = self.named_item(
                table,
                &[
                    "id",
                    "name",
                    "kind",
                    "point",
                    "precision",
                    "location_uncertainty_km",
                    "protection_radius_km",
                ],
            ) else {
                continue;
            };
            let kind = self.reader.req_string(table, "kind");
            let point = self
                .reader
                .required(table, "point")
                .and_then(|p| self.point(p));
            let precision = self.site_precision(table);
            let uncertainty = self.reader.opt_number(table, "location_uncertainty_km");
            let radius = self.reader.opt_number(table, "protection_radius_km");
            let (Some(kind), Some(point), Some(precision)) = (kind, point, precision) else {
                continue;
            };
            if !self.define(IdSpace::Site, &id) {
                continue;
            }
            let site = Site {
                id: id.value,
                name,
                kind: kind.value,
                point,
                precision,
                location_uncertainty_km: uncertainty
                    .map_or(default_uncertainty(precision), |u| u.value.max(0.0)),
                protection_radius_km: radius
                    .map_or(DEFAULT_PROTECTION_RADIUS_KM, |r| r.value.max(0.0)),
                origin: "inline".into(),
            };
            self.agreement.sites.push(site);
        }
    }

    pub(super) fn site_precision(&mut self, table: Table<'_, '_>) -> Option<SitePrecision> {
        let Some(p) = self.reader.opt_string(table, "precision") else {
            return Some(SitePrecision::Exact);
        };
        match parse_site_precision(&p.value) {
            Some(p) => Some(p),
            None => {
                self.reader
                    .error(Code::InvalidValue, p.span, "unknown site precision")
                    .found(format!("`{}`", p.value))
                    .expected("`exact` or `settlement`");
                None
            }
        }
    }

    pub(super) fn point(&mut self, value: &Value<'_>) -> Option<LonLat> {
        let pair: Option<Vec<f64>> = match value.get_ref() {
            DeValue::Array(xy) if xy.len() == 2 => xy
                .iter()
                .map(|v| self.reader.number("point", v).map(|n| n.value))
                .collect(),
            _ => {
                self.reader
                    .wrong_type("point", value, "a [longitude, latitude] pair");
                None
            }
        };
        let pair = pair?;
        let point = LonLat {
            lon: pair[0],
            lat: pair[1],
        };
        if !point.is_valid() {
            self.reader
                .error(
                    Code::InvalidValue,
                    value.span(),
                    "the point is outside the globe",
                )
                .found(format!("[{}, {}]", pair[0], pair[1]))
                .expected(
                    "[longitude, latitude] with longitude in -180..180 and latitude in -90..90",
                );
            return None;
        }
        Some(point)
    }

    pub(super) fn site_lists(&mut self, root: Table<'_, '_>) {
        for (value, i) in self.reader.array_of_tables(root, "site_list") {
            let what = format!("site_list #{}", i + 1);
            let Some(table) = self.reader.as_table(value, "site_list", &what) else {
                continue;
            };
            self.reader.check_keys(
                table,
                &[
                    "file",
                    "kind",
                    "precision",
                    "location_uncertainty_km",
                    "protection_radius_km",
                    "columns",
                ],
            );
            let Some(file) = self.reader.req_string(table, "file") else {
                continue;
            };
            let default_kind = self.reader.opt_string(table, "kind").map(|k| k.value);
            let default_precision = match table.get("precision") {
                Some(_) => self.site_precision(table),
                None => None,
            };
            let uncertainty = self
                .reader
                .opt_number(table, "location_uncertainty_km")
                .map(|u| u.value.max(0.0));
            let radius = self
                .reader
                .opt_number(table, "protection_radius_km")
                .map_or(DEFAULT_PROTECTION_RADIUS_KM, |r| r.value.max(0.0));
            let mut columns = SiteColumns {
                explicit: Vec::new(),
                id: "id".into(),
                name: "name".into(),
                latitude: "latitude".into(),
                longitude: "longitude".into(),
                kind: "kind".into(),
                precision: "precision".into(),
            };
            if let Some(c) = table.get("columns")
                && let Some(ct) = self.reader.as_table(c, "columns", "`columns`")
            {
                self.reader.check_keys(
                    ct,
                    &["id", "name", "latitude", "longitude", "kind", "precision"],
                );
                let mut explicit = Vec::new();
                for (key, slot) in [
                    ("id", &mut columns.id),
                    ("name", &mut columns.name),
                    ("latitude", &mut columns.latitude),
                    ("longitude", &mut columns.longitude),
                    ("kind", &mut columns.kind),
                    ("precision", &mut columns.precision),
                ] {
                    if let Some(v) = self.reader.opt_string(ct, key) {
                        *slot = v.value;
                        explicit.push(key);
                    }
                }
                columns.explicit = explicit;
            }
            let Some(bytes) = self.read_file(&file) else {
                continue;
            };
            let rows = if file.value.to_ascii_lowercase().ends_with(".csv") {
                self.site_rows_from_csv(&file, &bytes, &columns)
            } else {
                self.site_rows_from_geojson(&file, &bytes, &columns)
            };
            if default_precision.is_none()
                && !rows.is_empty()
                && rows.iter().all(|r| r.precision.is_none())
            {
                self.reader
                    .push(
                        Diagnostic::warning(Code::MissingField, format!("the sites of `{}` do not say how precisely they are located", file.value))
                            .with_expected(format!("a `{}` column, or `precision = \"exact\"` or `\"settlement\"` in the [[site_list]]", columns.precision))
                            .with_hint("they are taken as exact (±0.1 km), which can make findings at them certain"),
                        file.span.clone(),
                    );
            }
            for row in rows {
                let kind = row.kind.clone().or_else(|| default_kind.clone());
                let Some(kind) = kind else {
                    self.reader.push(
                        Diagnostic::error(
                            Code::MissingField,
                            format!("site `{}` has no kind", row.id),
                        )
                        .with_expected(format!(
                            "a `{}` column, or `kind = \"…\"` in the [[site_list]]",
                            columns.kind
                        )),
                        file.span.clone(),
                    );
                    continue;
                };
                let precision = match row.precision.as_deref().map(parse_site_precision) {
                    Some(Some(p)) => p,
                    Some(None) => {
                        let mut d = Diagnostic::error(
                            Code::InvalidValue,
                            format!(
                                "site `{}`: unknown precision `{}`",
                                row.id,
                                row.precision.unwrap_or_default()
                            ),
                        )
                        .with_expected("`exact` or `settlement`");
                        d = d.at_line(file.value.clone(), row.line);
                        self.reader.diagnostics.push(d);
                        continue;
                    }
                    None => default_precision.unwrap_or(SitePrecision::Exact),
                };
                let located = Located {
                    value: row.id.clone(),
                    span: file.span.clone(),
                };
                if !self.define(IdSpace::Site, &located) {
                    continue;
                }
                self.agreement.sites.push(Site {
                    id: row.id,
                    name: row.name,
                    kind,
                    point: row.point,
                    precision,
                    location_uncertainty_km: uncertainty.unwrap_or(default_uncertainty(precision)),
                    protection_radius_km: radius,
                    origin: format!("{} line {}", file.value, row.line),
                });
            }
        }
    }

    /// The sites of a CSV file, row by row, each column's problem named with its
    /// line (some 150 lines: one short block a column).
    pub(super) fn site_rows_from_csv(
        &mut self,
        file: &Located<String>,
        bytes: &[u8],
        columns: &SiteColumns,
    ) -> Vec<SiteRow> {
        let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
        let headers = match reader.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                self.reader.error(
                    Code::BadReferencedFile,
                    file.span.clone(),
                    format!("`{}` is not a readable CSV file: {e}", file.value),
                );
                return Vec::new();
            }
        };
        let find = |name: &str| headers.iter().position(|h| h.trim() == name);
        let mut missing = Vec::new();
        let (id_col, lat_col, lon_col) = (
            find(&columns.id),
            find(&columns.latitude),
            find(&columns.longitude),
        );
        for (col, name) in [
            (id_col, &columns.id),
            (lat_col, &columns.latitude),
            (lon_col, &columns.longitude),
        ] {
            if col.is_none() {
                missing.push(format!("`{name}`"));
            }
        }
        if !missing.is_empty() {
            self.reader
                .error(Code::BadReferencedFile, file.span.clone(), format!("`{}` lacks the column(s) {}", file.value, missing.join(", ")))
                .found(format!("columns {}", headers.iter().collect::<Vec<_>>().join(", ")))
                .expected("map the columns with `columns = { id = \"…\", latitude = \"…\", longitude = \"…\" }`");
            return Vec::new();
        }
        let (Some(id_col), Some(lat_col), Some(lon_col)) = (id_col, lat_col, lon_col) else {
            return Vec::new();
        };
        let absent: Vec<String> = [
            ("name", &columns.name),
            ("kind", &columns.kind),
            ("precision", &columns.precision),
        ]
        .into_iter()
        .filter(|(key, name)| columns.explicit.contains(key) && find(name).is_none())
        .map(|(_, name)| format!("`{name}`"))
        .collect();
        if !absent.is_empty() {
            // A mistyped column would otherwise be ignored silently, e.g. every site taken as exact.
            self.reader
                .error(
                    Code::BadReferencedFile,
                    file.span.clone(),
                    format!(
                        "`{}` lacks the mapped column(s) {}",
                        file.value,
                        absent.join(", ")
                    ),
                )
                .found(format!(
                    "columns {}",
                    headers.iter().collect::<Vec<_>>().join(", ")
                ))
                .expected("the column names given in `columns = { … }`");
            return Vec::new();
        }
        let name_col = find(&columns.name);
        let kind_col = find(&columns.kind);
        let precision_col = find(&columns.precision);
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line() as usize);
                    self.reader.diagnostics.push(
                        Diagnostic::error(Code::BadReferencedFile, format!("unreadable row: {e}"))
                            .at_line(file.value.clone(), line),
                    );
                    continue;
                }
            };
            let line = record.position().map_or(0, |p| p.line() as usize);
            let get = |c: Option<usize>| {
                c.and_then(|c| record.get(c))
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
            };
            let id = get(Some(id_col)).unwrap_or_default();
            let lat = get(Some(lat_col)).and_then(|s| s.parse::<f64>().ok());
            let lon = get(Some(lon_col)).and_then(|s| s.parse::<f64>().ok());
            let (Some(lat), Some(lon)) = (lat, lon) else {
                self.reader.diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("site `{id}` has no usable coordinates"),
                    )
                    .with_found(format!(
                        "{} = `{}`, {} = `{}`",
                        columns.latitude,
                        record.get(lat_col).unwrap_or(""),
                        columns.longitude,
                        record.get(lon_col).unwrap_or("")
                    ))
                    .with_expected("decimal degrees")
                    .at_line(file.value.clone(), line),
                );
                continue;
            };
            let point = LonLat { lon, lat };
            if id.is_empty() {
                self.reader.diagnostics.push(
                    Diagnostic::error(
                        Code::MissingField,
                        format!("a site has no id (column `{}`)", columns.id),
                    )
                    .with_expected("an id on every row")
                    .at_line(file.value.clone(), line),
                );
                continue;
            }
            if !point.is_valid() {
                self.reader.diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("site `{id}` is outside the globe"),
                    )
                    .with_found(format!("latitude {lat}, longitude {lon}"))
                    .with_expected(
                        "decimal degrees, latitude within -90..90 and longitude within -180..180",
                    )
                    .at_line(file.value.clone(), line),
                );
                continue;
            }
            rows.push(SiteRow {
                name: get(name_col).unwrap_or_else(|| id.clone()),
                id,
                point,
                kind: get(kind_col),
                precision: get(precision_col),
                line,
            });
        }
        rows
    }

    pub(super) fn site_rows_from_geojson(
        &mut self,
        file: &Located<String>,
        bytes: &[u8],
        columns: &SiteColumns,
    ) -> Vec<SiteRow> {
        let text = String::from_utf8_lossy(bytes);
        let features = match text.parse::<geojson::GeoJson>() {
            Ok(geojson::GeoJson::FeatureCollection(fc)) => fc.features,
            Ok(geojson::GeoJson::Feature(f)) => vec![f],
            Ok(_) | Err(_) => {
                self.reader
                    .error(
                        Code::BadReferencedFile,
                        file.span.clone(),
                        format!(
                            "`{}` is neither a CSV file nor a GeoJSON feature collection",
                            file.value
                        ),
                    )
                    .expected("a .csv file with a header row, or GeoJSON Point features");
                return Vec::new();
            }
        };
        let mut rows = Vec::new();
        for (i, feature) in features.iter().enumerate() {
            let props = feature.properties.clone().unwrap_or_default();
            let get = |k: &str| props.get(k).map(json_text).filter(|s| !s.is_empty());
            let id = get(&columns.id).unwrap_or_else(|| {
                format!(
                    "{}-{}",
                    file.value.rsplit('/').next().unwrap_or("site"),
                    i + 1
                )
            });
            let point = match feature.geometry.as_ref().map(|g| &g.value) {
                Some(geojson::GeometryValue::Point { coordinates }) if coordinates.len() >= 2 => {
                    LonLat {
                        lon: coordinates.as_slice()[0],
                        lat: coordinates.as_slice()[1],
                    }
                }
                _ => {
                    self.reader
                        .error(
                            Code::BadReferencedFile,
                            file.span.clone(),
                            format!("site `{id}` in `{}` is not a Point", file.value),
                        )
                        .expected("Point features");
                    continue;
                }
            };
            rows.push(SiteRow {
                name: get(&columns.name).unwrap_or_else(|| id.clone()),
                id,
                point,
                kind: get(&columns.kind),
                precision: get(&columns.precision),
                line: i + 1,
            });
        }
        rows
    }
}
