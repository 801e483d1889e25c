//! Parties and their actors: ids, names and aliases over time, keys and age recipients, the ledger's settings.

use super::*;

impl Builder<'_, '_> {
    pub(super) fn parties(&mut self, root: Table<'_, '_>) {
        let mut guaranteed = Vec::new();
        for (value, i) in self.reader.array_of_tables(root, "party") {
            let what = format!("party #{}", i + 1);
            let Some(table) = self.reader.as_table(value, "party", &what) else {
                continue;
            };
            self.reader
                .check_keys(table, &["id", "name", "keys", "recipients", "guarantees"]);
            let id = self.reader.req_string(table, "id");
            let guarantees = self.string_list(table, "guarantees");
            let name = self.reader.opt_string(table, "name");
            let keys = self.verifier_keys(table, "keys");
            let recipients = self.age_recipients(table);
            let Some(id) = id else { continue };
            if !self.define(IdSpace::Party, &id) {
                continue;
            }
            let name = name.map_or_else(|| id.value.clone(), |n| n.value);
            guaranteed.push((self.agreement.parties.len(), guarantees));
            self.agreement.parties.push(Party {
                id: id.value,
                name,
                keys,
                recipients,
                guarantees: Vec::new(),
            });
        }
        // A party may guarantee one written after it.
        for (party, list) in guaranteed {
            self.guarantees(party, list);
        }
    }

    /// A list of signed-note verifier keys; each malformed one is an error, located.
    pub(super) fn verifier_keys(&mut self, table: Table<'_, '_>, key: &str) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        for k in self.string_list(table, key) {
            if !looks_like_verifier_key(&k.value) {
                self.reader
                    .error(Code::InvalidValue, k.span.clone(), format!("`{key}` holds a value that is not a public key"))
                    .found(format!("`{}`", k.value))
                    .expected("a verifier key as `truce keys generate` prints it: `name+8 hex digits+base64` (e.g. `usa-fm+1a2b3c4d+AT…`)");
            } else if keys.contains(&k.value) {
                self.reader
                    .error(
                        Code::DuplicateId,
                        k.span.clone(),
                        format!("`{key}` lists the same key twice"),
                    )
                    .found(format!("`{}`", k.value));
            } else {
                keys.push(k.value);
            }
        }
        keys
    }

    /// A party's `age` recipients; each malformed one is an error, located.
    pub(super) fn age_recipients(&mut self, table: Table<'_, '_>) -> Vec<String> {
        let mut recipients = Vec::new();
        for r in self.string_list(table, "recipients") {
            if looks_like_age_recipient(&r.value) {
                recipients.push(r.value);
            } else {
                self.reader
                    .error(Code::InvalidValue, r.span.clone(), "`recipients` holds a value that is not an age recipient")
                    .found(format!("`{}`", r.value))
                    .expected("an age X25519 recipient: `age1` and 58 lower-case letters and digits, as `truce keys generate` prints it");
            }
        }
        recipients
    }

    pub(super) fn ledger(&mut self, root: Table<'_, '_>) {
        let Some(value) = root.get("ledger") else {
            return;
        };
        let Some(table) = self.reader.as_table(value, "ledger", "[ledger]") else {
            return;
        };
        self.reader.check_keys(table, &["origin", "mission_keys"]);
        if let Some(origin) = self.reader.opt_string(table, "origin") {
            // The origin is the first line of every checkpoint: one line, printable.
            if origin.value.is_empty()
                || origin.value.chars().any(|c| c.is_control())
                || origin.value.trim() != origin.value
            {
                self.reader
                    .error(Code::InvalidValue, origin.span.clone(), "`origin` cannot be a checkpoint's first line")
                    .found(format!("`{}`", origin.value))
                    .expected("one line of text without surrounding blanks, e.g. \"truce.example/syria-2016\"");
            } else {
                self.agreement.ledger.origin = Some(origin.value);
            }
        }
        self.agreement.ledger.mission_keys = self.verifier_keys(table, "mission_keys");
    }

    pub(super) fn actors(&mut self, root: Table<'_, '_>) {
        for (value, i) in self.reader.array_of_tables(root, "actor") {
            let what = format!("actor #{}", i + 1);
            let Some(table) = self.reader.as_table(value, "actor", &what) else {
                continue;
            };
            self.reader.check_keys(
                table,
                &["id", "name", "aliases", "party", "designation", "civilian"],
            );
            let id = self.reader.req_string(table, "id");
            let name = self.reader.opt_string(table, "name");
            let Some(id) = id else { continue };
            if self.parties.contains_key(&id.value) {
                self.reader
                    .error(
                        Code::DuplicateId,
                        id.span.clone(),
                        format!("actor `{}` has the id of a party", id.value),
                    )
                    .hint = Some(
                    "parties and actors share one namespace in `by` and `against`; rename one"
                        .into(),
                );
                continue;
            }
            if !self.define(IdSpace::Actor, &id) {
                continue;
            }
            let name = name.map_or_else(|| id.value.clone(), |n| n.value);
            let mut aliases = vec![make_alias(&name, Period::ALWAYS)];
            if let Some(list) = table.get("aliases") {
                aliases.extend(self.aliases(list));
            }
            let civilian = self
                .reader
                .opt_bool(table, "civilian")
                .is_some_and(|b| b.value);
            let parties = match table.get("party") {
                Some(value) => self.dated_list(value, "party", |builder, v| builder.party_ref(v)),
                None => vec![Dated {
                    period: Period::ALWAYS,
                    value: None,
                }],
            };
            let designations = match table.get("designation") {
                Some(value) => {
                    self.dated_list(value, "designation", |builder, v| builder.designation(v))
                }
                None => {
                    // By default an actor is covered while it answers to a party and outside otherwise,
                    // period by period.
                    parties
                        .iter()
                        .map(|p| Dated {
                            period: p.period,
                            value: if p.value.is_some() {
                                Designation::Covered
                            } else {
                                Designation::Outside
                            },
                        })
                        .collect()
                }
            };
            self.agreement.actors.push(Actor {
                id: id.value,
                name,
                aliases,
                parties,
                designations,
                civilian,
            });
        }
    }

    pub(super) fn aliases(&mut self, list: &Value<'_>) -> Vec<Alias> {
        let items: Vec<&Value<'_>> = match list.get_ref() {
            DeValue::Array(items) => items.iter().collect(),
            DeValue::String(_) => vec![list],
            _ => {
                self.reader.wrong_type(
                    "aliases",
                    list,
                    "an array of names or of { name, from, until } tables",
                );
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for item in items {
            match item.get_ref() {
                DeValue::String(s) => out.push(make_alias(s, Period::ALWAYS)),
                DeValue::Table(t) => {
                    let table = Table::new(t, item.span(), "an alias");
                    self.reader.check_keys(table, &["name", "from", "until"]);
                    let name = self.reader.req_string(table, "name");
                    let period = self.period(table);
                    if let (Some(name), Some(period)) = (name, period) {
                        out.push(make_alias(&name.value, period));
                    }
                }
                _ => self.reader.wrong_type(
                    "aliases",
                    item,
                    "a name or a { name, from, until } table",
                ),
            }
        }
        out
    }

    /// A value that is either plain (holds always) or an array of `{ value, from, until }`.
    pub(super) fn dated_list<T: Clone>(
        &mut self,
        value: &Value<'_>,
        key: &str,
        mut parse: impl FnMut(&mut Self, &Value<'_>) -> Option<T>,
    ) -> Vec<Dated<T>> {
        match value.get_ref() {
            DeValue::Array(items) => {
                let mut out: Vec<(Dated<T>, Range<usize>)> = Vec::new();
                for item in items.iter() {
                    let DeValue::Table(t) = item.get_ref() else {
                        self.reader
                            .wrong_type(key, item, "a { value, from, until } table");
                        continue;
                    };
                    let table = Table::new(t, item.span(), "a dated value");
                    self.reader.check_keys(table, &["value", "from", "until"]);
                    let parsed = self
                        .reader
                        .required(table, "value")
                        .and_then(|v| parse(self, v));
                    let period = self.period(table);
                    if let (Some(parsed), Some(period)) = (parsed, period) {
                        for (earlier, earlier_span) in &out {
                            if earlier.period.overlaps(&period) {
                                let message = format!(
                                    "two `{key}` periods overlap: {} and {}",
                                    earlier.period, period
                                );
                                let (line, _) = crate::diagnostic::line_column(
                                    self.reader.source(),
                                    earlier_span.start,
                                );
                                let (this_line, _) = crate::diagnostic::line_column(
                                    self.reader.source(),
                                    item.span().start,
                                );
                                let d = self
                                    .reader
                                    .error(Code::OverlappingPeriods, item.span(), message)
                                    .expected("periods that do not overlap, so one value holds on each date");
                                if line != this_line {
                                    d.hint(format!("the other period is on line {line}"));
                                }
                            }
                        }
                        out.push((
                            Dated {
                                period,
                                value: parsed,
                            },
                            item.span(),
                        ));
                    }
                }
                out.into_iter().map(|(d, _)| d).collect()
            }
            _ => parse(self, value)
                .map(|v| {
                    vec![Dated {
                        period: Period::ALWAYS,
                        value: v,
                    }]
                })
                .unwrap_or_default(),
        }
    }

    pub(super) fn party_ref(&mut self, value: &Value<'_>) -> Option<Option<usize>> {
        let name = self.reader.string("party", value)?;
        if name.value == "none" {
            return Some(None);
        }
        match self.parties.get(&name.value) {
            Some(i) => Some(Some(*i)),
            None => {
                let mut known: Vec<String> = self.parties.keys().cloned().collect();
                known.push("none".into());
                self.unknown(&name, "party", known);
                None
            }
        }
    }

    pub(super) fn designation(&mut self, value: &Value<'_>) -> Option<Designation> {
        let name = self.reader.string("designation", value)?;
        match name.value.as_str() {
            "covered" => Some(Designation::Covered),
            "excluded" => Some(Designation::Excluded),
            "outside" => Some(Designation::Outside),
            other => {
                self.reader
                    .error(Code::InvalidValue, name.span, "unknown designation")
                    .found(format!("`{other}`"))
                    .expected("`covered`, `excluded` or `outside`");
                None
            }
        }
    }

    /// `from` and `until` (both optional, both included) of a table.
    pub(super) fn period(&mut self, table: Table<'_, '_>) -> Option<Period> {
        let from = table.get("from").and_then(|v| self.day("from", v));
        let until = table.get("until").and_then(|v| self.day("until", v));
        if (table.get("from").is_some() && from.is_none())
            || (table.get("until").is_some() && until.is_none())
        {
            return None;
        }
        if let (Some(f), Some(u)) = (&from, &until)
            && f.value > u.value
        {
            self.reader
                .error(
                    Code::DatesOutOfOrder,
                    u.span.clone(),
                    format!("`until` ({}) is before `from` ({})", u.value, f.value),
                )
                .expected("`until` on or after `from`");
            return None;
        }
        Some(Period {
            from: from.map(|d| d.value),
            until: until.map(|d| d.value),
        })
    }

    pub(super) fn day(&mut self, key: &str, value: &Value<'_>) -> Option<Located<Day>> {
        let minute = self.minute(key, value)?;
        Some(Located {
            value: minute.value.0.day(),
            span: minute.span,
        })
    }

    /// A date or date-time, as a minute of local time; the flag says whether only a date was given.
    pub(super) fn minute(
        &mut self,
        key: &str,
        value: &Value<'_>,
    ) -> Option<Located<(Minute, bool)>> {
        let parsed = match value.get_ref() {
            DeValue::Datetime(dt) => datetime_to_minute(dt, self.utc_offset_minutes),
            DeValue::String(s) => s
                .parse::<toml::value::Datetime>()
                .ok()
                .and_then(|dt| datetime_to_minute(&dt, self.utc_offset_minutes)),
            _ => {
                self.reader.wrong_type(
                    key,
                    value,
                    "a date such as 2016-02-27 or a date-time such as 2016-09-12T19:00:00+03:00",
                );
                return None;
            }
        };
        match parsed {
            Some(m) => Some(Located {
                value: m,
                span: value.span(),
            }),
            None => {
                self.reader
                    .error(Code::InvalidValue, value.span(), format!("`{key}` is not a valid date"))
                    .expected("a date such as 2016-02-27 or a date-time such as 2016-09-12T19:00:00+03:00");
                None
            }
        }
    }
}
