//! The agreement's header: its format, id, name, time zone and dates, the evidence settings (corroboration) and the kinds of event it names.

use super::*;

impl Builder<'_, '_> {
    pub(super) fn header(&mut self, root: Table<'_, '_>) {
        self.reader
            .format_version(root, FORMAT_VERSION, "agreement");
        if let Some(id) = self.reader.req_string(root, "id") {
            self.check_id(&id, "agreement");
            self.agreement.id = id.value;
        }
        if let Some(title) = self.reader.req_string(root, "title") {
            self.agreement.title = title.value;
        }
        self.agreement.description = self.reader.opt_string(root, "description").map(|d| d.value);
        if let Some(tz) = self.reader.opt_string(root, "timezone") {
            match parse_utc_offset(&tz.value) {
                Some(minutes) => self.utc_offset_minutes = minutes,
                None => {
                    self.reader
                        .error(
                            Code::InvalidValue,
                            tz.span,
                            "`timezone` is not a UTC offset",
                        )
                        .found(format!("`{}`", tz.value))
                        .expected("an offset such as \"+03:00\" or \"-05:00\"");
                }
            }
        }
        self.agreement.utc_offset_minutes = self.utc_offset_minutes;
    }

    pub(super) fn evidence(&mut self, root: Table<'_, '_>) {
        let Some(value) = root.get("evidence") else {
            return;
        };
        let Some(table) = self.reader.as_table(value, "evidence", "[evidence]") else {
            return;
        };
        self.reader.check_keys(
            table,
            &[
                "location_uncertainty_km",
                "first_side_acted",
                "corroboration",
                terms::COUNTING_KEYS[0],
                terms::COUNTING_KEYS[1],
                terms::COUNTING_KEYS[2],
                terms::COUNTING_KEYS[3],
            ],
        );
        if let Some(filter) = self.counting_filter(table, &CountingFilter::default()) {
            self.agreement.evidence.counting = filter;
        }
        if let Some(c) = table.get("corroboration")
            && let Some(ct) = self
                .reader
                .as_table(c, "corroboration", "[evidence.corroboration]")
        {
            self.corroboration(ct);
        }
        if let Some(flag) = self.reader.opt_bool(table, "first_side_acted") {
            self.agreement.evidence.first_side_acted = flag.value;
        }
        let Some(radii) = table.get("location_uncertainty_km") else {
            return;
        };
        let Some(radii) = self.reader.as_table(
            radii,
            "location_uncertainty_km",
            "`location_uncertainty_km`",
        ) else {
            return;
        };
        let keys: Vec<&str> = LocationPrecision::ALL.iter().map(|p| p.key()).collect();
        self.reader.check_keys(radii, &keys);
        for precision in LocationPrecision::ALL {
            if let Some(km) = self.reader.opt_number(radii, precision.key()) {
                if km.value < 0.0 {
                    self.reader
                        .error(Code::InvalidValue, km.span, "a distance cannot be negative")
                        .expected("a distance in km, 0 or more");
                    continue;
                }
                if let Some(entry) = self
                    .agreement
                    .evidence
                    .location_uncertainty_km
                    .iter_mut()
                    .find(|(p, _)| *p == precision)
                {
                    entry.1 = km.value;
                }
            }
        }
    }

    pub(super) fn kinds(&mut self, root: Table<'_, '_>) {
        for (value, i) in self.reader.array_of_tables(root, "kind") {
            let what = format!("kind #{}", i + 1);
            let Some(table) = self.reader.as_table(value, "kind", &what) else {
                continue;
            };
            self.reader.check_keys(table, &["id", "parent", "label"]);
            let id = self.reader.req_string(table, "id");
            let parent = self.reader.req_string(table, "parent");
            let label = self.reader.opt_string(table, "label");
            let (Some(id), Some(parent)) = (id, parent) else {
                continue;
            };
            self.check_id(&id, "kind");
            if self.agreement.taxonomy.find(&id.value).is_some() {
                self.reader
                    .error(
                        Code::DuplicateId,
                        id.span,
                        format!("kind `{}` is already defined", id.value),
                    )
                    .hint = Some("built-in kinds are listed in docs/event-kinds.md".into());
                continue;
            }
            let Some(parent_index) = self.agreement.taxonomy.find(&parent.value) else {
                self.unknown(
                    &parent,
                    "kind",
                    self.agreement
                        .taxonomy
                        .iter()
                        .map(|(_, k)| k.id.clone())
                        .collect(),
                );
                continue;
            };
            let label = label.map_or_else(|| id.value.replace('-', " "), |l| l.value);
            self.agreement
                .taxonomy
                .push(&id.value, Some(parent_index), &label);
        }
    }

    pub(super) fn corroboration(&mut self, table: Table<'_, '_>) {
        self.reader.check_keys(
            table,
            &[
                "max_days",
                "max_km",
                "coarsest",
                "longest_span_days",
                "merge_within_source",
            ],
        );
        if let Some(n) = self.reader.opt_whole(table, "max_days", 0) {
            self.agreement.evidence.corroboration.max_days = n.value as i32;
        }
        if let Some(n) = self.reader.opt_number(table, "max_km") {
            if n.value < 0.0 {
                self.reader
                    .error(Code::InvalidValue, n.span, "`max_km` cannot be negative")
                    .expected("a distance in km");
            } else {
                self.agreement.evidence.corroboration.max_km = n.value;
            }
        }
        if let Some(n) = self.reader.opt_whole(table, "longest_span_days", 1) {
            self.agreement.evidence.corroboration.longest_span_days = n.value;
        }
        if let Some(flag) = self.reader.opt_bool(table, "merge_within_source") {
            self.agreement.evidence.corroboration.merge_within_source = flag.value;
        }
        if let Some(p) = self.reader.opt_string(table, "coarsest") {
            match LocationPrecision::ALL.iter().find(|x| x.key() == p.value) {
                Some(found) => self.agreement.evidence.corroboration.coarsest = *found,
                None => {
                    let keys: Vec<String> = LocationPrecision::ALL
                        .iter()
                        .map(|x| format!("`{}`", x.key()))
                        .collect();
                    self.reader
                        .error(Code::InvalidValue, p.span, "unknown location precision")
                        .found(format!("`{}`", p.value))
                        .expected(format!("one of {}", keys.join(", ")));
                }
            }
        }
    }
}
