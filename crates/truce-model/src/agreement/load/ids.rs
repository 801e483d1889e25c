//! Ids and references: one namespace per kind of thing, every id defined once and every reference resolved, with the nearest known id suggested.

use super::*;

impl Builder<'_, '_> {
    /// Records an id in its namespace; false (with a diagnostic) when it is a duplicate or malformed.
    pub(super) fn define(&mut self, space: IdSpace, id: &Located<String>) -> bool {
        let (clause_count, bracket_count) = (self.clauses.len(), self.brackets.len());
        let (map, noun, next) = match space {
            IdSpace::Party => (&mut self.parties, "party", self.agreement.parties.len()),
            IdSpace::Actor => (&mut self.actors, "actor", self.agreement.actors.len()),
            IdSpace::Zone => (&mut self.zones, "zone", self.agreement.zones.len()),
            IdSpace::Site => (&mut self.sites, "site", self.agreement.sites.len()),
            IdSpace::Clause => (&mut self.clauses, "clause", clause_count),
            IdSpace::Bracket => (&mut self.brackets, "bracket", bracket_count),
            IdSpace::Step => (&mut self.steps, "step", self.agreement.steps.len()),
        };
        if map.contains_key(&id.value) {
            self.reader
                .error(
                    Code::DuplicateId,
                    id.span.clone(),
                    format!("{noun} `{}` is defined twice", id.value),
                )
                .expected(format!("a unique {noun} id"));
            return false;
        }
        map.insert(id.value.clone(), next);
        self.check_id(id, noun);
        // Words that `by`, `against`, `party` and `at_sites` give a meaning of their own.
        let reserved: &[&str] = match space {
            // (`civilians` is not reserved: an actor named so is what the word means anyway.)
            IdSpace::Party | IdSpace::Actor => {
                &["none", "any-party", "covered", "excluded", "anyone"]
            }
            IdSpace::Site => &["any"],
            _ => &[],
        };
        if reserved.contains(&id.value.as_str()) {
            self.reader
                .error(
                    Code::InvalidValue,
                    id.span.clone(),
                    format!(
                        "`{}` is a reserved word and cannot be {} {noun} id",
                        id.value,
                        if noun.starts_with('a') { "an" } else { "a" }
                    ),
                )
                .expected(format!(
                    "an id other than {}",
                    reserved
                        .iter()
                        .map(|r| format!("`{r}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
        }
        true
    }

    pub(super) fn check_id(&mut self, id: &Located<String>, noun: &str) {
        if !valid_id(&id.value) {
            self.reader
                .error(Code::InvalidValue, id.span.clone(), format!("malformed {noun} id"))
                .found(format!("`{}`", id.value))
                .expected("letters, digits, `-`, `_` or `.`, starting with a letter or digit, at most 80 characters");
        }
    }

    pub(super) fn unknown(&mut self, reference: &Located<String>, noun: &str, known: Vec<String>) {
        let mut known = known;
        known.sort();
        let suggestion = known
            .iter()
            .map(|k| (crate::names::edit_distance(&reference.value, k), k))
            .filter(|(d, k)| *d <= 2.max(k.len() / 4))
            .min_by_key(|(d, _)| *d)
            .map(|(_, k)| k.clone());
        let expected = if known.is_empty() {
            format!("a {noun} defined in this agreement (there are none)")
        } else {
            let shown: Vec<String> = known.iter().take(12).map(|k| format!("`{k}`")).collect();
            let more = if known.len() > 12 {
                format!(" and {} more", known.len() - 12)
            } else {
                String::new()
            };
            format!(
                "one of the {} defined: {}{more}",
                plural(noun),
                shown.join(", ")
            )
        };
        let d = self
            .reader
            .error(
                Code::UnknownReference,
                reference.span.clone(),
                format!("unknown {noun} `{}`", reference.value),
            )
            .found(format!("`{}`", reference.value))
            .expected(expected);
        if let Some(s) = suggestion {
            d.hint = Some(format!("did you mean `{s}`?"));
        }
    }

    pub(super) fn collect_ids(&mut self, root: Table<'_, '_>, key: &str, space: IdSpace) {
        let Some(DeValue::Array(items)) = root.get(key).map(|v| v.get_ref()) else {
            return;
        };
        for item in items.iter() {
            let Some(DeValue::String(id)) = item.get_ref().get("id").map(|v| v.get_ref()) else {
                continue;
            };
            let span = item.get_ref().get("id").map_or(item.span(), |v| v.span());
            let located = Located {
                value: id.to_string(),
                span,
            };
            self.define(space, &located);
        }
    }

    pub(super) fn resolve_in(
        &mut self,
        reference: &Located<String>,
        space: IdSpace,
    ) -> Option<usize> {
        let (map, noun) = match space {
            IdSpace::Party => (&self.parties, "party"),
            IdSpace::Actor => (&self.actors, "actor"),
            IdSpace::Zone => (&self.zones, "zone"),
            IdSpace::Site => (&self.sites, "site"),
            IdSpace::Clause => (&self.clauses, "clause"),
            IdSpace::Bracket => (&self.brackets, "bracket"),
            IdSpace::Step => (&self.steps, "step"),
        };
        match map.get(&reference.value) {
            Some(i) => Some(*i),
            None => {
                let known = map.keys().cloned().collect();
                self.unknown(reference, noun, known);
                None
            }
        }
    }

    pub(super) fn zone_refs(&mut self, table: Table<'_, '_>, key: &str) -> Vec<usize> {
        let list = self.string_list(table, key);
        list.iter()
            .filter_map(|z| self.resolve_in(z, IdSpace::Zone))
            .collect()
    }

    pub(super) fn kind_refs(&mut self, table: Table<'_, '_>, key: &str) -> Vec<KindIndex> {
        let list = self.string_list(table, key);
        let mut out = Vec::new();
        for kind in list {
            match self.agreement.taxonomy.find(&kind.value) {
                Some(k) => out.push(k),
                None => {
                    let known = self
                        .agreement
                        .taxonomy
                        .iter()
                        .map(|(_, k)| k.id.clone())
                        .collect();
                    self.unknown(&kind, "kind", known);
                }
            }
        }
        out
    }

    pub(super) fn bound_refs(&mut self, table: Table<'_, '_>, key: &str) -> Vec<Bound> {
        let list = self.string_list(table, key);
        let mut out = Vec::new();
        for item in list {
            if item.value == "any-party" {
                out.push(Bound::AnyParty);
            } else if let Some(p) = self.parties.get(&item.value) {
                out.push(Bound::Party(*p));
            } else if let Some(a) = self.actors.get(&item.value) {
                out.push(Bound::Actor(*a));
            } else {
                let mut known: Vec<String> = self
                    .parties
                    .keys()
                    .chain(self.actors.keys())
                    .cloned()
                    .collect();
                known.push("any-party".into());
                self.unknown(&item, "party or actor", known);
            }
        }
        out
    }

    pub(super) fn target_refs(&mut self, table: Table<'_, '_>, key: &str) -> Vec<Target> {
        let list = self.string_list(table, key);
        let mut out = Vec::new();
        for item in list {
            let target = match item.value.as_str() {
                "covered" => Some(Target::Covered),
                "excluded" => Some(Target::Excluded),
                "civilians" => Some(Target::Civilians),
                "anyone" => Some(Target::Anyone),
                other => self
                    .parties
                    .get(other)
                    .map(|p| Target::Party(*p))
                    .or_else(|| self.actors.get(other).map(|a| Target::Actor(*a))),
            };
            match target {
                Some(t) => out.push(t),
                None => {
                    let mut known: Vec<String> = self
                        .parties
                        .keys()
                        .chain(self.actors.keys())
                        .cloned()
                        .collect();
                    known.extend(["covered", "excluded", "civilians", "anyone"].map(String::from));
                    // An actor may be called `civilians` too: name each choice once.
                    known.sort();
                    known.dedup();
                    self.unknown(&item, "target", known);
                }
            }
        }
        out
    }

    pub(super) fn site_selector(
        &mut self,
        table: Table<'_, '_>,
        key: &str,
    ) -> Option<SiteSelector> {
        let value = table.get(key)?;
        if let DeValue::Boolean(false) = value.get_ref() {
            self.reader
                .error(Code::InvalidValue, value.span(), format!("`{key} = false` says nothing"))
                .expected(format!("`{key} = true` for every protected site, a list of sites or site kinds, or no `{key}` at all"));
            return None;
        }
        if self.agreement.sites.is_empty() {
            self.reader
                .error(
                    Code::UnknownReference,
                    value.span(),
                    format!("`{key}` names protected sites, but none are defined"),
                )
                .expected("[[site]] or [[site_list]] tables defining the protected sites");
            return None;
        }
        if matches!(value.get_ref(), DeValue::Boolean(true)) {
            return Some(SiteSelector::default());
        }
        let list = self.string_list(table, key);
        let mut selector = SiteSelector::default();
        let kinds: Vec<String> = self
            .agreement
            .sites
            .iter()
            .map(|s| s.kind.clone())
            .collect();
        for item in list {
            if item.value == "any" {
                continue;
            }
            if let Some(i) = self.sites.get(&item.value) {
                selector.sites.push(*i);
            } else if kinds.contains(&item.value) {
                selector.kinds.push(item.value);
            } else {
                let mut known: Vec<String> = self.sites.keys().cloned().collect();
                known.extend(kinds.iter().cloned());
                known.push("any".into());
                known.dedup();
                self.unknown(&item, "site or site kind", known);
            }
        }
        Some(selector)
    }

    /// A number, or `"[bracket-id]"` naming a parameter bracket.
    pub(super) fn param(
        &mut self,
        table: Table<'_, '_>,
        key: &str,
        required: bool,
    ) -> Option<Param> {
        let value = if required {
            self.reader.required(table, key)?
        } else {
            table.get(key)?
        };
        match value.get_ref() {
            DeValue::String(s) => {
                let Some(inner) = s.strip_prefix('[').and_then(|r| r.strip_suffix(']')) else {
                    self.reader
                        .error(
                            Code::InvalidValue,
                            value.span(),
                            format!("`{key}` is neither a number nor a bracket reference"),
                        )
                        .found(format!("\"{s}\""))
                        .expected("a number, or \"[bracket-id]\" to take the value from a bracket");
                    return None;
                };
                let reference = Located {
                    value: inner.to_string(),
                    span: value.span(),
                };
                let index = self.resolve_in(&reference, IdSpace::Bracket)?;
                if self
                    .agreement
                    .brackets
                    .get(index)
                    .is_some_and(|b| !b.clauses.is_empty())
                {
                    self.reader
                        .error(
                            Code::BadBracket,
                            value.span(),
                            format!("bracket `{}` is around clauses, not a number", inner),
                        )
                        .expected("a bracket with numeric `alternatives`");
                    return None;
                }
                Some(Param::Bracket(index))
            }
            _ => {
                let n = self.reader.number(key, value)?;
                if n.value < 0.0 {
                    self.reader
                        .error(
                            Code::InvalidValue,
                            n.span,
                            format!("`{key}` cannot be negative"),
                        )
                        .expected("0 or more");
                    return None;
                }
                Some(Param::Fixed(n.value))
            }
        }
    }
}
