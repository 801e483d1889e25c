//! The terms real agreements use beyond clauses and steps (issue 14): which reports
//! counts over days take, guarantors, clauses that start when a step is met, trends
//! against a baseline, and administrative units as sources name them.

use super::{Builder, IdSpace};
use crate::agreement::{AdminUnit, Baseline, CountingFilter, admin_key};
use crate::diagnostic::Code;
use crate::names::fold_key;
use crate::report::LocationPrecision;
use crate::toml_reader::{Located, Table};

/// The properties that name a unit of a boundaries file, unless `name_properties` says.
pub(super) const DEFAULT_NAME_PROPERTIES: [&str; 6] =
    ["name", "name_en", "NAME", "shapeName", "ADM1_EN", "ADM2_EN"];

/// The properties that hold a unit's code, unless `code_properties` says.
pub(super) const DEFAULT_CODE_PROPERTIES: [&str; 6] = [
    "iso_3166_2",
    "code",
    "adm1_code",
    "ADM1_PCODE",
    "ADM2_PCODE",
    "shapeISO",
];

/// The keys of a counting filter, in `[evidence]` and in a step condition.
pub(super) const COUNTING_KEYS: [&str; 4] = [
    "longest_span_days",
    "coarsest_location",
    "aggregates",
    "sources",
];

impl Builder<'_, '_> {
    /// Reads the counting-filter keys of `table` over `base`; `None` when the table
    /// has none of them.
    pub(super) fn counting_filter(
        &mut self,
        table: Table<'_, '_>,
        base: &CountingFilter,
    ) -> Option<CountingFilter> {
        if COUNTING_KEYS.iter().all(|k| table.get(k).is_none()) {
            return None;
        }
        let mut filter = base.clone();
        if let Some(days) = self.reader.opt_whole(table, "longest_span_days", 1) {
            filter.longest_span_days = days.value as i32;
        }
        if let Some(text) = self.reader.opt_string(table, "coarsest_location") {
            match LocationPrecision::ALL
                .iter()
                .find(|p| p.key() == text.value)
            {
                Some(&precision) => filter.coarsest_location = precision,
                None => {
                    let keys: Vec<String> = LocationPrecision::ALL
                        .iter()
                        .map(|p| format!("`{}`", p.key()))
                        .collect();
                    self.reader
                        .error(
                            Code::InvalidValue,
                            text.span.clone(),
                            "unknown location precision",
                        )
                        .found(format!("`{}`", text.value))
                        .expected(format!("one of {}", keys.join(", ")));
                }
            }
        }
        if let Some(flag) = self.reader.opt_bool(table, "aggregates") {
            filter.aggregates = flag.value;
        }
        if table.get("sources").is_some() {
            filter.sources = self
                .string_list(table, "sources")
                .into_iter()
                .map(|s| s.value)
                .collect();
        }
        Some(filter)
    }

    /// `guarantees = ["party", …]` of one party, resolved once every party is known.
    pub(super) fn guarantees(&mut self, party: usize, list: Vec<Located<String>>) {
        for reference in list {
            let Some(guaranteed) = self.resolve_in(&reference, IdSpace::Party) else {
                continue;
            };
            if guaranteed == party {
                self.reader
                    .error(
                        Code::InvalidValue,
                        reference.span.clone(),
                        format!(
                            "party `{}` cannot guarantee itself",
                            self.agreement.parties[party].id
                        ),
                    )
                    .expected("another party's id");
                continue;
            }
            let list = &mut self.agreement.parties[party].guarantees;
            if !list.contains(&guaranteed) {
                list.push(guaranteed);
            }
        }
    }

    /// Resolves each clause's `from_step` once the steps are known, and refuses a
    /// condition that counts a clause by name before the step that starts it: the
    /// clause cannot bind before its step is met, so such a condition would count it
    /// never.
    pub(super) fn resolve_from_steps(&mut self, pending: Vec<(usize, Located<String>)>) {
        for (clause, reference) in pending {
            let Some(&step) = self.steps.get(&reference.value) else {
                let known = self.agreement.steps.iter().map(|s| s.id.clone()).collect();
                self.unknown(&reference, "step", known);
                continue;
            };
            self.agreement.clauses[clause].from_step = Some(step);
            for (index, later) in self.agreement.steps.iter().enumerate().take(step + 1) {
                let names_it = later
                    .conditions
                    .iter()
                    .any(|c| c.filter().is_some_and(|f| f.clauses.contains(&clause)));
                if names_it {
                    let message = format!(
                        "step `{}` counts clause `{}`, which only starts when step `{}` is met",
                        later.id, self.agreement.clauses[clause].id, reference.value
                    );
                    let d = self
                        .reader
                        .error(Code::BadDependency, reference.span.clone(), message);
                    d.expected = Some(format!(
                        "a step written after `{}` to count the clause",
                        reference.value
                    ));
                    d.hint = Some(if index == step {
                        "a step cannot wait for violations of a clause it starts itself".into()
                    } else {
                        "move the counting step below the step that starts the clause".into()
                    });
                }
            }
        }
    }

    /// `baseline = { from = DATE, until = DATE }` of a trend condition.
    pub(super) fn baseline(&mut self, table: Table<'_, '_>) -> Option<Baseline> {
        let value = table.get("baseline")?;
        let inner = self
            .reader
            .as_table(value, "baseline", "the condition's `baseline`")?;
        self.reader.check_keys(inner, &["from", "until"]);
        let first = self
            .reader
            .required(inner, "from")
            .and_then(|v| self.day("from", v));
        let last = self
            .reader
            .required(inner, "until")
            .and_then(|v| self.day("until", v));
        let (first, last) = (first?, last?);
        if last.value < first.value {
            self.reader
                .error(
                    Code::DatesOutOfOrder,
                    last.span.clone(),
                    format!(
                        "the baseline ends ({}) before it starts ({})",
                        last.value, first.value
                    ),
                )
                .expected("`until` on or after `from`");
            return None;
        }
        if last.value.0 - first.value.0 + 1 < 7 {
            self.reader
                .error(
                    Code::InvalidValue,
                    last.span.clone(),
                    "a baseline shorter than a week has no weekly average",
                )
                .expected("at least 7 days from `from` to `until`");
            return None;
        }
        Some(Baseline {
            first: first.value,
            last: last.value,
        })
    }
}

/// The names and codes a boundaries file gives one unit, as keys a source's name is
/// compared with (see [`AdminUnit::named_by`]).
pub(super) fn admin_unit(
    file: &str,
    feature: &geojson::Feature,
    name_properties: &[String],
    code_properties: &[String],
) -> AdminUnit {
    let mut keys: Vec<String> = Vec::new();
    let mut add = |text: &str| {
        for part in text.split('|') {
            let key = admin_key(part);
            if key.is_empty() {
                continue;
            }
            let fold = fold_key(&key);
            for k in [key, fold] {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
    };
    if let Some(props) = feature.properties.as_ref() {
        // Besides the properties that select the unit, the spellings and codes
        // sources use: Natural Earth's alternative, GeoNames and Arabic names, and
        // the FIPS code GDELT gives as `ADM1Code` ("SY09").
        let extra = [
            "name_alt",
            "gn_name",
            "woe_name",
            "name_ar",
            "name_local",
            "fips",
            "code_hasc",
        ];
        for property in name_properties
            .iter()
            .chain(code_properties)
            .map(String::as_str)
            .chain(extra)
        {
            if let Some(serde_json::Value::String(text)) = props.get(property) {
                add(text);
            }
        }
    }
    keys.sort();
    // A file of second-order units says so in its properties (OCHA's `ADM2_PCODE`,
    // geoBoundaries' ADM2 names); Natural Earth's admin-1 files and ISO 3166-2 codes are
    // first-order.
    let second_order = feature.properties.as_ref().is_some_and(|props| {
        ["ADM2_PCODE", "ADM2_EN", "adm2_code", "ADM2_REF"]
            .iter()
            .any(|p| props.contains_key(*p))
    });
    AdminUnit {
        file: file.to_string(),
        keys,
        level: if second_order { 2 } else { 1 },
    }
}
