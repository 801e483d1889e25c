//! Clauses, brackets, steps and entitlements: who must stop doing what, where, against whom, from when; the disputed terms; the steps and what each side gets once they are met.

use super::*;

impl Builder<'_, '_> {
    pub(super) fn clauses_(&mut self, root: Table<'_, '_>) {
        let mut seen = HashMap::new();
        for (value, i) in self.reader.array_of_tables(root, "clause") {
            let what = format!("clause #{}", i + 1);
            let Some(table) = self.reader.as_table(value, "clause", &what) else {
                continue;
            };
            self.reader.check_keys(
                table,
                &[
                    "id",
                    "text",
                    "kinds",
                    "by",
                    "against",
                    "zones",
                    "at_sites",
                    "from",
                    "until",
                    "from_step",
                    "exception",
                ],
            );
            let id = self.reader.req_string(table, "id");
            let text = self.reader.req_string(table, "text");
            if table.get("kinds").is_none() {
                self.reader.required(table, "kinds");
            }
            let kinds = self.kind_refs(table, "kinds");
            if table.get("by").is_none() {
                self.reader.required(table, "by");
            }
            let by = self.bound_refs(table, "by");
            let against = if table.get("against").is_some() {
                self.target_refs(table, "against")
            } else {
                vec![Target::Anyone]
            };
            let zones = self.zone_refs(table, "zones");
            let at_sites = self.site_selector(table, "at_sites");
            let from = table.get("from").and_then(|v| self.minute("from", v));
            let until = table.get("until").and_then(|v| self.minute("until", v));
            let from_step = self.reader.opt_string(table, "from_step");
            let window = Window::from_parts(
                from.as_ref().map(|f| f.value),
                until.as_ref().map(|u| u.value),
            );
            if let (Some(start), Some(end), Some(u)) = (window.start, window.end, &until)
                && end <= start
            {
                self.reader
                    .error(
                        Code::DatesOutOfOrder,
                        u.span.clone(),
                        format!("`until` ({}) is not after `from` ({start})", u.value.0),
                    )
                    .expected("an end after the start");
            }
            let mut exceptions = Vec::new();
            for (ev, j) in self.reader.array_of_tables(table, "exception") {
                let what = format!("exception #{} of clause #{}", j + 1, i + 1);
                let Some(et) = self.reader.as_table(ev, "exception", &what) else {
                    continue;
                };
                self.reader.check_keys(
                    et,
                    &["reason", "against", "kinds", "zones", "unless_at_sites"],
                );
                let reason = self.reader.req_string(et, "reason");
                let against = self.target_refs(et, "against");
                let kinds = self.kind_refs(et, "kinds");
                let zones = self.zone_refs(et, "zones");
                let unless = self.site_selector(et, "unless_at_sites");
                if let Some(reason) = reason {
                    exceptions.push(Exception {
                        reason: reason.value,
                        against,
                        kinds,
                        zones,
                        unless_at_sites: unless,
                    });
                }
            }
            let (Some(id), Some(text)) = (id, text) else {
                continue;
            };
            if seen.insert(id.value.clone(), ()).is_some() {
                continue; // reported by collect_ids
            }
            if let Some(step) = from_step {
                self.pending_from_steps
                    .push((self.agreement.clauses.len(), step));
            }
            self.agreement.clauses.push(Clause {
                id: id.value,
                text: text.value,
                kinds,
                by,
                against,
                zones,
                at_sites,
                window,
                exceptions,
                optional_in: None,
                from_step: None,
            });
        }
        // Keep the id map consistent with the clauses actually built.
        self.clauses = self
            .agreement
            .clauses
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
    }

    /// Each `[[bracket]]`: its keys read in the order `docs/agreement-format.md`
    /// gives them, each with its own diagnostic, and what each alternative
    /// stands for checked against the clauses and steps it names. One key after
    /// another (some 170 lines): splitting them would only move the list.
    pub(super) fn brackets_(&mut self, root: Table<'_, '_>) {
        let mut seen = HashMap::new();
        for (value, i) in self.reader.array_of_tables(root, "bracket") {
            let what = format!("bracket #{}", i + 1);
            let Some(table) = self.reader.as_table(value, "bracket", &what) else {
                continue;
            };
            self.reader.check_keys(
                table,
                &[
                    "id",
                    "text",
                    "alternatives",
                    "clauses",
                    "resolved",
                    "resolved_by",
                ],
            );
            let id = self.reader.req_string(table, "id");
            let text = self.reader.opt_string(table, "text");
            let clause_refs = self.string_list(table, "clauses");
            let mut signers: Vec<usize> = Vec::new();
            for party in self.string_list(table, "resolved_by") {
                if let Some(p) = self.resolve_in(&party, IdSpace::Party) {
                    if signers.contains(&p) {
                        self.reader.error(
                            Code::DuplicateId,
                            party.span.clone(),
                            format!("`resolved_by` names `{}` twice", party.value),
                        );
                    } else {
                        signers.push(p);
                    }
                }
            }
            let Some(id) = id else { continue };
            let mut clauses = Vec::new();
            for c in &clause_refs {
                if let Some(ci) = self.resolve_in(c, IdSpace::Clause) {
                    clauses.push(ci);
                }
            }
            let alternatives: Vec<Alternative> = match (
                table.get("alternatives"),
                clause_refs.is_empty(),
            ) {
                (Some(list), true) => {
                    let DeValue::Array(items) = list.get_ref() else {
                        self.reader.wrong_type(
                            "alternatives",
                            list,
                            "an array of numbers, such as [7, 10]",
                        );
                        continue;
                    };
                    let numbers: Vec<Located<f64>> = items
                        .iter()
                        .filter_map(|v| self.reader.number("alternatives", v))
                        .collect();
                    for n in numbers.iter().filter(|n| n.value < 0.0) {
                        self.reader
                            .error(
                                Code::BadBracket,
                                n.span.clone(),
                                format!("bracket `{}` has a negative alternative", id.value),
                            )
                            .found(verify_num(n.value))
                            .expected("counts, days and percentages of 0 or more");
                    }
                    if numbers.len() < 2 {
                        self.reader
                            .error(Code::BadBracket, list.span(), format!("bracket `{}` has {} alternative(s)", id.value, numbers.len()))
                            .expected("two or more alternatives; a term with one value is agreed, not bracketed");
                    }
                    for (k, n) in numbers.iter().enumerate() {
                        if numbers[..k].iter().any(|m| m.value == n.value) {
                            self.reader
                                .error(
                                    Code::BadBracket,
                                    n.span.clone(),
                                    format!("bracket `{}` lists {} twice", id.value, n.value),
                                )
                                .expected("distinct alternatives");
                        }
                    }
                    numbers
                        .into_iter()
                        .map(|n| Alternative::Number(n.value))
                        .collect()
                }
                (None, false) => vec![Alternative::Included(true), Alternative::Included(false)],
                (Some(list), false) => {
                    self.reader
                        .error(Code::BadBracket, list.span(), format!("bracket `{}` has both `alternatives` and `clauses`", id.value))
                        .expected("`alternatives` for a bracketed value, or `clauses` for bracketed clauses");
                    continue;
                }
                (None, true) => {
                    self.reader
                        .error(
                            Code::BadBracket,
                            id.span.clone(),
                            format!("bracket `{}` has no alternatives", id.value),
                        )
                        .expected("`alternatives = [a, b, …]` or `clauses = [\"clause-id\", …]`");
                    continue;
                }
            };
            let resolved = match table.get("resolved") {
                None => None,
                Some(v) => {
                    let wanted = match v.get_ref() {
                        DeValue::Boolean(b) if !clauses.is_empty() => {
                            Some(Alternative::Included(*b))
                        }
                        _ if clauses.is_empty() => self
                            .reader
                            .number("resolved", v)
                            .map(|n| Alternative::Number(n.value)),
                        _ => {
                            self.reader.wrong_type(
                                "resolved",
                                v,
                                "true (clauses included) or false (left out)",
                            );
                            None
                        }
                    };
                    let position = wanted
                        .as_ref()
                        .and_then(|w| alternatives.iter().position(|a| a == w));
                    if wanted.is_some() && position.is_none() {
                        self.reader
                            .error(Code::BadBracket, v.span(), format!("bracket `{}` is resolved to a value that is not one of its alternatives", id.value))
                            .expected(format!("one of {}", alternatives.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(", ")));
                    }
                    position
                }
            };
            if seen.insert(id.value.clone(), ()).is_some() {
                continue;
            }
            let index = self.agreement.brackets.len();
            for &c in &clauses {
                if let Some(clause) = self.agreement.clauses.get_mut(c) {
                    if clause.optional_in.is_some() {
                        self.reader.error(
                            Code::BadBracket,
                            id.span.clone(),
                            format!("clause `{}` is in two brackets", clause.id),
                        );
                    }
                    clause.optional_in = Some(index);
                }
            }
            self.agreement.brackets.push(Bracket {
                id: id.value,
                text: text.map_or_else(String::new, |t| t.value),
                alternatives,
                resolved,
                clauses,
                signers,
            });
        }
        self.brackets = self
            .agreement
            .brackets
            .iter()
            .enumerate()
            .map(|(i, b)| (b.id.clone(), i))
            .collect();
    }

    /// Each `[[step]]`: its keys read in the order `docs/agreement-format.md`
    /// gives them, each with its own diagnostic (the conditions are read by
    /// `condition`). One key after another (some 170 lines).
    pub(super) fn steps_(&mut self, root: Table<'_, '_>) {
        for (value, i) in self.reader.array_of_tables(root, "step") {
            let what = format!("step #{}", i + 1);
            let Some(table) = self.reader.as_table(value, "step", &what) else {
                continue;
            };
            let Some((id, name)) = self.named_item(
                table,
                &[
                    "id",
                    "name",
                    "text",
                    "requires",
                    "from",
                    "after",
                    "until",
                    "days",
                    "condition",
                ],
            ) else {
                continue;
            };
            let text = self.reader.opt_string(table, "text").map(|t| t.value);
            let this_index = self.agreement.steps.len();
            // Steps may only depend on steps written before them: this keeps the
            // order readable and makes a dependency cycle impossible.
            let mut requires = Vec::new();
            let dependency = |builder: &mut Self, reference: &Located<String>| -> Option<usize> {
                if reference.value == id.value {
                    builder
                        .reader
                        .error(
                            Code::BadDependency,
                            reference.span.clone(),
                            format!("step `{}` depends on itself", id.value),
                        )
                        .expected("a step defined earlier in the file");
                    return None;
                }
                match builder.steps.get(&reference.value) {
                    Some(&d) => Some(d),
                    None => {
                        let defined_later = builder.collect_later_step(root, &reference.value, i);
                        let message = if defined_later {
                            format!(
                                "step `{}` depends on `{}`, which comes later in the file",
                                id.value, reference.value
                            )
                        } else {
                            format!(
                                "step `{}` depends on unknown step `{}`",
                                id.value, reference.value
                            )
                        };
                        let d = builder
                            .reader
                            .error(Code::BadDependency, reference.span.clone(), message)
                            .found(format!("`{}`", reference.value));
                        d.expected = Some("a step defined earlier in the file".into());
                        if defined_later {
                            d.hint = Some("move the step it depends on above this one; a dependency on a later step could form a cycle".into());
                        }
                        None
                    }
                }
            };
            for r in self.string_list(table, "requires") {
                if let Some(d) = dependency(self, &r) {
                    requires.push(d);
                }
            }
            let after = self.reader.opt_string(table, "after");
            let from = table.get("from").and_then(|v| self.minute("from", v));
            let start = match (&after, &from) {
                (Some(a), None) => match dependency(self, a) {
                    Some(d) => {
                        if !requires.contains(&d) {
                            requires.push(d);
                        }
                        StepStart::AfterStep { step: d }
                    }
                    None => StepStart::At { minute: Minute(0) },
                },
                (None, Some(f)) => StepStart::At { minute: f.value.0 },
                (Some(a), Some(_)) => {
                    self.reader
                        .error(
                            Code::InvalidValue,
                            a.span.clone(),
                            format!("step `{}` has both `from` and `after`", id.value),
                        )
                        .expected("one start: a `from` date or `after` a step");
                    StepStart::At { minute: Minute(0) }
                }
                (None, None) => {
                    self.reader.required(table, "from");
                    StepStart::At { minute: Minute(0) }
                }
            };
            let until = table.get("until").and_then(|v| self.minute("until", v));
            let days = self.param(table, "days", false);
            let end = match (until, days) {
                (Some(u), None) => {
                    let end = if u.value.1 {
                        Minute(u.value.0.0 + MINUTES_PER_DAY)
                    } else {
                        u.value.0
                    };
                    if let StepStart::At { minute } = start
                        && end <= minute
                    {
                        self.reader
                            .error(
                                Code::DatesOutOfOrder,
                                u.span.clone(),
                                format!(
                                    "step `{}` ends ({}) before it starts ({minute})",
                                    id.value, u.value.0
                                ),
                            )
                            .expected("`until` after `from`");
                    }
                    StepEnd::At { minute: end }
                }
                (None, Some(d)) => StepEnd::Days { days: d },
                (None, None) => StepEnd::Open,
                (Some(u), Some(_)) => {
                    self.reader
                        .error(
                            Code::InvalidValue,
                            u.span.clone(),
                            format!("step `{}` has both `until` and `days`", id.value),
                        )
                        .expected("one end: an `until` date or a length in `days`");
                    StepEnd::Open
                }
            };
            let mut conditions = Vec::new();
            for (cv, j) in self.reader.array_of_tables(table, "condition") {
                let what = format!("condition #{} of step `{}`", j + 1, id.value);
                let Some(ct) = self.reader.as_table(cv, "condition", &what) else {
                    continue;
                };
                if let Some(c) = self.condition(ct) {
                    conditions.push(c);
                }
            }
            if conditions.is_empty() && table.get("condition").is_none() {
                self.reader
                    .error(
                        Code::MissingField,
                        id.span.clone(),
                        format!("step `{}` has no condition", id.value),
                    )
                    .expected("at least one [[step.condition]]");
            }
            if !self.define(IdSpace::Step, &id) {
                continue;
            }
            debug_assert_eq!(this_index, self.agreement.steps.len());
            self.agreement.steps.push(Step {
                id: id.value,
                name,
                text,
                requires,
                start,
                end,
                conditions,
            });
        }
    }

    /// True when a step with this id appears after position `current` in the file.
    pub(super) fn collect_later_step(&self, root: Table<'_, '_>, id: &str, current: usize) -> bool {
        let Some(DeValue::Array(items)) = root.get("step").map(|v| v.get_ref()) else {
            return false;
        };
        items.iter().skip(current + 1).any(|item| matches!(item.get_ref().get("id").map(|v| v.get_ref()), Some(DeValue::String(s)) if s == id))
    }

    pub(super) fn filter(&mut self, table: Table<'_, '_>) -> ViolationFilter {
        let parties = self.string_list(table, "parties");
        let parties = parties
            .iter()
            .filter_map(|p| self.resolve_in(p, IdSpace::Party))
            .collect();
        let zones = self.zone_refs(table, "zones");
        let kinds = self.kind_refs(table, "kinds");
        let clauses = self.string_list(table, "clauses");
        let clauses = clauses
            .iter()
            .filter_map(|c| self.resolve_in(c, IdSpace::Clause))
            .collect();
        let base = self.agreement.evidence.counting.clone();
        let counting = self.counting_filter(table, &base);
        ViolationFilter {
            parties,
            zones,
            kinds,
            clauses,
            counting,
        }
    }

    pub(super) fn condition(&mut self, table: Table<'_, '_>) -> Option<Condition> {
        let kind = self.reader.req_string(table, "type")?;
        const FILTER: [&str; 4] = ["parties", "zones", "kinds", "clauses"];
        let with_filter = |extra: &[&'static str]| -> Vec<&'static str> {
            let mut keys = vec!["type"];
            keys.extend_from_slice(extra);
            keys.extend_from_slice(&FILTER);
            keys.extend_from_slice(&terms::COUNTING_KEYS);
            keys
        };
        match kind.value.as_str() {
            "max-violations-per-day" => {
                self.reader
                    .check_keys(table, &with_filter(&["max", "days"]));
                let max = self.param(table, "max", true);
                let days = self.param(table, "days", true);
                let filter = self.filter(table);
                Some(Condition::MaxViolationsPerDay {
                    max: max?,
                    days: days?,
                    period_days: 1,
                    filter,
                })
            }
            "max-violations-per-period" => {
                self.reader
                    .check_keys(table, &with_filter(&["max", "period_days", "periods"]));
                let max = self.param(table, "max", true);
                if table.get("period_days").is_none() {
                    self.reader.required(table, "period_days");
                }
                let period_days = self.reader.opt_whole(table, "period_days", 1);
                let periods = self.param(table, "periods", true);
                let filter = self.filter(table);
                Some(Condition::MaxViolationsPerDay {
                    max: max?,
                    days: periods?,
                    period_days: period_days?.value as i32,
                    filter,
                })
            }
            "max-deaths" => {
                self.reader.check_keys(
                    table,
                    &with_filter(&["max", "days", "period_days", "periods"]),
                );
                let max = self.param(table, "max", true);
                let run = self.run_of_periods(table);
                let filter = self.filter(table);
                let (periods, period_days) = run?;
                Some(Condition::MaxDeaths {
                    max: max?,
                    periods,
                    period_days,
                    filter,
                })
            }
            "no-violation-at-sites" => {
                self.reader.check_keys(table, &with_filter(&["sites"]));
                let sites = self.site_selector(table, "sites").unwrap_or_default();
                let filter = self.filter(table);
                Some(Condition::NoViolationAtSites { sites, filter })
            }
            "min-events" => {
                let mut keys = vec!["type", "min", "kinds", "zones", "by"];
                keys.extend_from_slice(&terms::COUNTING_KEYS);
                self.reader.check_keys(table, &keys);
                let min = self.param(table, "min", true);
                if table.get("kinds").is_none() {
                    self.reader.required(table, "kinds");
                }
                let kinds = self.kind_refs(table, "kinds");
                let zones = self.zone_refs(table, "zones");
                let by = self.bound_refs(table, "by");
                let base = self.agreement.evidence.counting.clone();
                let counting = self.counting_filter(table, &base);
                Some(Condition::MinEvents {
                    min: min?,
                    kinds,
                    zones,
                    by,
                    counting,
                })
            }
            "falling-trend" => {
                self.reader
                    .check_keys(table, &with_filter(&["percent", "weeks", "baseline"]));
                let percent = self.param(table, "percent", true);
                let weeks = self
                    .param(table, "weeks", false)
                    .unwrap_or(Param::Fixed(1.0));
                let baseline = self.baseline(table);
                let filter = self.filter(table);
                if let Some(Param::Fixed(p)) = percent
                    && p > 100.0
                    && let Some(value) = table.get("percent")
                {
                    self.reader
                        .error(
                            Code::InvalidValue,
                            value.span(),
                            "a fall of more than 100 % cannot happen",
                        )
                        .expected("a percentage from 0 to 100");
                }
                Some(Condition::FallingTrend {
                    percent: percent?,
                    weeks,
                    baseline,
                    filter,
                })
            }
            other => {
                self.reader
                    .error(Code::InvalidValue, kind.span, "unknown condition type")
                    .found(format!("`{other}`"))
                    .expected("`max-violations-per-day`, `max-violations-per-period`, `max-deaths`, `no-violation-at-sites`, `min-events` or `falling-trend`");
                None
            }
        }
    }

    /// The run of periods a `max-deaths` condition counts over: `days` consecutive
    /// days, or `periods` consecutive periods of `period_days` days, as
    /// `max-violations-per-day` and `max-violations-per-period` take them.
    fn run_of_periods(&mut self, table: Table<'_, '_>) -> Option<(Param, i32)> {
        match (table.get("days"), table.get("periods")) {
            (Some(_), None) => {
                let days = self.param(table, "days", true);
                if let Some(value) = table.get("period_days") {
                    self.reader
                        .error(
                            Code::InvalidValue,
                            value.span(),
                            "`period_days` goes with `periods`, not with `days`",
                        )
                        .expected(
                            "`days` alone (consecutive days), or `periods` with `period_days`",
                        );
                    return None;
                }
                Some((days?, 1))
            }
            (None, Some(_)) => {
                if table.get("period_days").is_none() {
                    self.reader.required(table, "period_days");
                }
                let period_days = self.reader.opt_whole(table, "period_days", 1);
                let periods = self.param(table, "periods", true);
                Some((periods?, period_days?.value as i32))
            }
            (Some(days), Some(_)) => {
                self.reader
                    .error(
                        Code::InvalidValue,
                        days.span(),
                        format!("{} has both `days` and `periods`", table.what),
                    )
                    .expected("`days` (consecutive days), or `periods` with `period_days`");
                None
            }
            (None, None) => {
                let start = table.span().start;
                self.reader
                    .error(
                        Code::MissingField,
                        start..start + 1,
                        format!("missing field `days` or `periods` in {}", table.what),
                    )
                    .expected(
                        "`days` (consecutive days), or `periods` with `period_days` (7 for weeks)",
                    );
                None
            }
        }
    }

    pub(super) fn entitlements(&mut self, root: Table<'_, '_>) {
        let mut seen = HashMap::new();
        for (value, i) in self.reader.array_of_tables(root, "entitlement") {
            let what = format!("entitlement #{}", i + 1);
            let Some(table) = self.reader.as_table(value, "entitlement", &what) else {
                continue;
            };
            self.reader.check_keys(
                table,
                &[
                    "id",
                    "to",
                    "from",
                    "step",
                    "what",
                    "possible_violations_block",
                ],
            );
            let possible_violations_block = self
                .reader
                .opt_bool(table, "possible_violations_block")
                .is_none_or(|b| b.value);
            let id = self.reader.req_string(table, "id");
            let to = self
                .reader
                .req_string(table, "to")
                .and_then(|t| self.resolve_in(&t, IdSpace::Party));
            let from = self
                .reader
                .opt_string(table, "from")
                .and_then(|f| self.resolve_in(&f, IdSpace::Party));
            let step = self
                .reader
                .req_string(table, "step")
                .and_then(|s| self.resolve_in(&s, IdSpace::Step));
            let what_text = self.reader.req_string(table, "what");
            let (Some(id), Some(to), Some(step), Some(what_text)) = (id, to, step, what_text)
            else {
                continue;
            };
            self.check_id(&id, "entitlement");
            if seen.insert(id.value.clone(), ()).is_some() {
                self.reader.error(
                    Code::DuplicateId,
                    id.span,
                    format!("entitlement `{}` is defined twice", id.value),
                );
                continue;
            }
            self.agreement.entitlements.push(Entitlement {
                id: id.value,
                to,
                from,
                step,
                what: what_text.value,
                possible_violations_block,
            });
        }
    }

    /// Two actors answering to the same name at the same time would make attribution a guess.
    /// Names equal only up to transliteration count too, since evidence is matched that way.
    pub(super) fn check_aliases(&mut self) {
        let mut exact: HashMap<&str, Vec<(usize, &Alias)>> = HashMap::new();
        let mut folded: HashMap<&str, Vec<(usize, &Alias)>> = HashMap::new();
        for (a, actor) in self.agreement.actors.iter().enumerate() {
            for alias in &actor.aliases {
                exact
                    .entry(alias.exact_key.as_str())
                    .or_default()
                    .push((a, alias));
                if alias.exact_key.chars().count() >= MIN_FOLD_LENGTH {
                    folded
                        .entry(alias.fold_key.as_str())
                        .or_default()
                        .push((a, alias));
                }
            }
        }
        let mut problems = Vec::new();
        for (groups, up_to_transliteration) in [(&exact, false), (&folded, true)] {
            for entries in groups.values() {
                for (x, (a, alias_a)) in entries.iter().enumerate() {
                    for (b, alias_b) in &entries[x + 1..] {
                        if a == b || !alias_a.period.overlaps(&alias_b.period) {
                            continue;
                        }
                        // A clash of exact keys is reported once, not again as a transliteration clash.
                        if up_to_transliteration && alias_a.exact_key == alias_b.exact_key {
                            continue;
                        }
                        let (first, second) = if a < b { (*a, *b) } else { (*b, *a) };
                        problems.push((
                            first,
                            second,
                            alias_a.name.clone(),
                            alias_b.name.clone(),
                            up_to_transliteration,
                        ));
                    }
                }
            }
        }
        problems.sort();
        problems.dedup();
        for (a, b, name_a, name_b, up_to_transliteration) in problems {
            let (id_a, id_b) = (
                self.agreement.actors[a].id.clone(),
                self.agreement.actors[b].id.clone(),
            );
            let message = if up_to_transliteration {
                format!(
                    "the names \"{name_a}\" and \"{name_b}\" are the same up to transliteration, and belong to both `{id_a}` and `{id_b}` at the same time"
                )
            } else {
                format!(
                    "the name \"{name_a}\" belongs to both `{id_a}` and `{id_b}` at the same time"
                )
            };
            let span = self.actor_span(&id_b);
            self.reader
                .error(Code::AmbiguousAlias, span, message)
                .expected("each name to identify one actor on any date")
                .hint(
                    "give the alias a `from`/`until` period on each actor, or remove it from one",
                );
        }
    }

    pub(super) fn actor_span(&self, id: &str) -> Range<usize> {
        let written = self.source_find(&format!("id = \"{id}\""));
        if written.end > 0 {
            written
        } else {
            self.source_find(&format!("\"{id}\""))
        }
    }

    pub(super) fn source_find(&self, needle: &str) -> Range<usize> {
        self.reader
            .source()
            .find(needle)
            .map_or(0..0, |start| start..start + needle.len())
    }
}
