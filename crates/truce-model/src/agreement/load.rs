//! Turning an agreement file into an [`Agreement`], with every problem located.
//!
//! Loading reads the TOML, the GeoJSON and CSV files it references (through
//! [`Files`], so this crate does no IO itself), resolves every cross-reference
//! to an index, and checks the whole: unknown references, duplicate ids, invalid
//! polygons, step dependencies, brackets, overlapping periods, dates in the wrong
//! order. It never stops at the first problem.

use super::reader::{Located, Reader, Table, Value, type_name};
use super::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::kind::Taxonomy;
use crate::names::{MIN_FOLD_LENGTH, exact_key, fold_key};
use crate::report::{LocationPrecision, LonLat};
use crate::time::{Day, MINUTES_PER_DAY, Minute, Window};
use geo::{Coord, LineString, MultiPolygon, Polygon, Validation};
use std::collections::HashMap;
use std::ops::Range;
use toml::de::{DeTable, DeValue};

mod terms;

/// Reads the files an agreement references, by the path written in the agreement.
pub trait Files {
    /// The bytes of `path` (relative to the agreement file), or why they cannot be read.
    fn read(&self, path: &str) -> Result<Vec<u8>, String>;
}

/// The result of loading: the agreement when there was no error, and every problem found.
#[derive(Debug)]
pub struct Loaded {
    pub agreement: Option<Agreement>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

const TOP_KEYS: &[&str] = &[
    "format",
    "id",
    "title",
    "description",
    "timezone",
    "evidence",
    "kind",
    "party",
    "actor",
    "boundaries",
    "zone",
    "site",
    "site_list",
    "clause",
    "bracket",
    "step",
    "entitlement",
    "ledger",
];

/// Loads and checks an agreement. `file` names the agreement in messages.
pub fn load(file: &str, source: &str, files: &dyn Files) -> Loaded {
    let mut reader = Reader::new(file, source);
    let (root, errors) = DeTable::parse_recoverable(source);
    for error in errors {
        let span = error.span().unwrap_or(0..0);
        let message = error.message().trim().to_string();
        reader
            .error(Code::TomlSyntax, span, format!("invalid TOML: {message}"))
            .expected("valid TOML 1.0");
    }
    let root_span = root.span();
    let root_table = Table {
        table: root.get_ref(),
        span: (root_span.start, root_span.end),
        what: "the agreement",
    };
    let mut builder = Builder::new(reader, files);
    let agreement = builder.build(root_table);
    let mut diagnostics = builder.reader.diagnostics;
    diagnostics.sort_by(|a, b| {
        (a.file != file, &a.file, a.line, a.column).cmp(&(
            b.file != file,
            &b.file,
            b.line,
            b.column,
        ))
    });
    let has_errors = diagnostics.iter().any(Diagnostic::is_error);
    Loaded {
        agreement: if has_errors { None } else { Some(agreement) },
        diagnostics,
    }
}

struct Builder<'s, 'f> {
    reader: Reader<'s>,
    files: &'f dyn Files,
    utc_offset_minutes: i32,
    parties: HashMap<String, usize>,
    actors: HashMap<String, usize>,
    zones: HashMap<String, usize>,
    sites: HashMap<String, usize>,
    clauses: HashMap<String, usize>,
    brackets: HashMap<String, usize>,
    steps: HashMap<String, usize>,
    /// Clauses' `from_step` references, resolved once the steps are read.
    pending_from_steps: Vec<(usize, Located<String>)>,
    agreement: Agreement,
    /// Parsed GeoJSON files by path: many zones may select features of one file.
    geojson_cache: HashMap<String, Option<std::rc::Rc<Vec<geojson::Feature>>>>,
}

fn empty_agreement() -> Agreement {
    Agreement {
        id: String::new(),
        title: String::new(),
        description: None,
        utc_offset_minutes: 0,
        parties: Vec::new(),
        actors: Vec::new(),
        zones: Vec::new(),
        sites: Vec::new(),
        taxonomy: Taxonomy::built_in(),
        clauses: Vec::new(),
        brackets: Vec::new(),
        steps: Vec::new(),
        entitlements: Vec::new(),
        evidence: EvidenceSettings::default(),
        ledger: LedgerSettings::default(),
        referenced_files: Vec::new(),
    }
}

/// Whether `text` has the shape of a signed-note verifier key for Ed25519:
/// `name+8 hex digits+base64 of 0x01 followed by the 32-byte key` (44 characters,
/// the first `A`). The ledger checks the key id itself.
pub fn looks_like_verifier_key(text: &str) -> bool {
    // The base64 key may itself hold `+`: only the first two split.
    let mut parts = text.splitn(3, '+');
    let (Some(name), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !name.is_empty()
        && !name.chars().any(|c| c.is_whitespace() || c.is_control())
        && id.len() == 8
        && id.bytes().all(|b| b.is_ascii_hexdigit())
        && key.len() == 44
        && key.starts_with('A')
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

/// Whether `text` has the shape of an `age` X25519 recipient: `age1` and 58
/// lower-case bech32 characters.
pub fn looks_like_age_recipient(text: &str) -> bool {
    const BECH32: &str = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    text.len() == 62 && text.starts_with("age1") && text[4..].chars().all(|c| BECH32.contains(c))
}

/// Ids are used in finding ids and on the command line: keep them plain.
fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && id.len() <= 80
}

impl<'s, 'f> Builder<'s, 'f> {
    fn new(reader: Reader<'s>, files: &'f dyn Files) -> Self {
        Builder {
            reader,
            files,
            utc_offset_minutes: 0,
            parties: HashMap::new(),
            actors: HashMap::new(),
            zones: HashMap::new(),
            sites: HashMap::new(),
            clauses: HashMap::new(),
            brackets: HashMap::new(),
            steps: HashMap::new(),
            pending_from_steps: Vec::new(),
            agreement: empty_agreement(),
            geojson_cache: HashMap::new(),
        }
    }

    fn build(&mut self, root: Table<'_, '_>) -> Agreement {
        self.reader.check_keys(root, TOP_KEYS);
        self.header(root);
        self.evidence(root);
        self.kinds(root);
        self.parties(root);
        self.ledger(root);
        self.actors(root);
        let boundaries = self.boundaries(root);
        self.zones(root, &boundaries);
        self.sites(root);
        self.site_lists(root);
        // Clauses, brackets and steps refer to one another: learn their ids first.
        self.collect_ids(root, "clause", IdSpace::Clause);
        self.collect_ids(root, "bracket", IdSpace::Bracket);
        self.clauses_(root);
        self.brackets_(root);
        self.steps_(root);
        let pending = std::mem::take(&mut self.pending_from_steps);
        self.resolve_from_steps(pending);
        self.entitlements(root);
        self.check_aliases();
        std::mem::replace(&mut self.agreement, empty_agreement())
    }

    // ----------------------------------------------------------------- header

    fn header(&mut self, root: Table<'_, '_>) {
        match root.get("format") {
            None => {
                self.reader
                    .error(
                        Code::UnsupportedFormat,
                        0..0,
                        "missing `format` at the top of the agreement",
                    )
                    .expected(format!("`format = {FORMAT_VERSION}`"));
            }
            Some(value) => match value.get_ref() {
                DeValue::Integer(i) if i.as_str() == FORMAT_VERSION.to_string() => {}
                other => {
                    let found = match other {
                        DeValue::Integer(i) => i.as_str().to_string(),
                        other => type_name(other).to_string(),
                    };
                    self.reader
                        .error(
                            Code::UnsupportedFormat,
                            value.span(),
                            "unsupported agreement format",
                        )
                        .found(found)
                        .expected(format!("`format = {FORMAT_VERSION}`"))
                        .hint =
                        Some("this truce reads format 1; a newer file needs a newer truce".into());
                }
            },
        }
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

    fn evidence(&mut self, root: Table<'_, '_>) {
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

    fn kinds(&mut self, root: Table<'_, '_>) {
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

    // ----------------------------------------------------------------- parties and actors

    fn parties(&mut self, root: Table<'_, '_>) {
        let mut guaranteed = Vec::new();
        for (value, i) in self.reader.array_of_tables(root, "party") {
            let what = format!("party #{}", i + 1);
            let Some(table) = self.reader.as_table(value, "party", &what) else {
                continue;
            };
            self.reader
                .check_keys(table, &["id", "name", "keys", "recipients", "guarantees"]);
            let id = self.reader.req_string(table, "id");
            let guarantees = self.reader.string_list(table, "guarantees");
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
    fn verifier_keys(&mut self, table: Table<'_, '_>, key: &str) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        for k in self.reader.string_list(table, key) {
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
    fn age_recipients(&mut self, table: Table<'_, '_>) -> Vec<String> {
        let mut recipients = Vec::new();
        for r in self.reader.string_list(table, "recipients") {
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

    fn ledger(&mut self, root: Table<'_, '_>) {
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

    fn actors(&mut self, root: Table<'_, '_>) {
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

    fn aliases(&mut self, list: &Value<'_>) -> Vec<Alias> {
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
                    let table = Table {
                        table: t,
                        span: (item.span().start, item.span().end),
                        what: "an alias",
                    };
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
    fn dated_list<T: Clone>(
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
                    let table = Table {
                        table: t,
                        span: (item.span().start, item.span().end),
                        what: "a dated value",
                    };
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
                                    self.reader.source,
                                    earlier_span.start,
                                );
                                let (this_line, _) = crate::diagnostic::line_column(
                                    self.reader.source,
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

    fn party_ref(&mut self, value: &Value<'_>) -> Option<Option<usize>> {
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

    fn designation(&mut self, value: &Value<'_>) -> Option<Designation> {
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
    fn period(&mut self, table: Table<'_, '_>) -> Option<Period> {
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

    fn day(&mut self, key: &str, value: &Value<'_>) -> Option<Located<Day>> {
        let minute = self.minute(key, value)?;
        Some(Located {
            value: minute.value.0.day(),
            span: minute.span,
        })
    }

    /// A date or date-time, as a minute of local time; the flag says whether only a date was given.
    fn minute(&mut self, key: &str, value: &Value<'_>) -> Option<Located<(Minute, bool)>> {
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

    // ----------------------------------------------------------------- zones

    fn boundaries(&mut self, root: Table<'_, '_>) -> Vec<BoundarySet> {
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
                .reader
                .string_list(table, "name_properties")
                .into_iter()
                .map(|l| l.value)
                .collect();
            if name_properties.is_empty() {
                name_properties = terms::DEFAULT_NAME_PROPERTIES.map(String::from).to_vec();
            }
            let mut code_properties: Vec<String> = self
                .reader
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

    fn read_geojson_features(
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

    fn parse_geojson_features(&mut self, file: &Located<String>) -> Option<Vec<geojson::Feature>> {
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

    fn read_file(&mut self, file: &Located<String>) -> Option<Vec<u8>> {
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

    fn zones(&mut self, root: Table<'_, '_>, boundaries: &[BoundarySet]) {
        for (value, i) in self.reader.array_of_tables(root, "zone") {
            let what = format!("zone #{}", i + 1);
            let Some(table) = self.reader.as_table(value, "zone", &what) else {
                continue;
            };
            self.reader.check_keys(
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
            );
            let Some(id) = self.reader.req_string(table, "id") else {
                continue;
            };
            let name = self
                .reader
                .opt_string(table, "name")
                .map_or_else(|| id.value.clone(), |n| n.value);
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

    fn ring(&mut self, id: &str, value: &Value<'_>, role: &str) -> Option<LineString<f64>> {
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

    fn inline_polygon(
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
}

struct BoundarySet {
    id: Located<String>,
    file: Located<String>,
    name_properties: Vec<String>,
    code_properties: Vec<String>,
    features: Option<std::rc::Rc<Vec<geojson::Feature>>>,
}

#[derive(Copy, Clone, PartialEq, Eq)]
enum IdSpace {
    Party,
    Actor,
    Zone,
    Site,
    Clause,
    Bracket,
    Step,
}

fn make_alias(name: &str, period: Period) -> Alias {
    let exact = exact_key(name);
    let fold = fold_key(&exact);
    Alias {
        name: name.to_string(),
        exact_key: exact,
        fold_key: fold,
        period,
    }
}

fn parse_utc_offset(text: &str) -> Option<i32> {
    if text == "Z" || text == "UTC" || text == "+00:00" {
        return Some(0);
    }
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest = &text[1..];
    let (h, m) = rest.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    if h > 14 || m > 59 {
        return None;
    }
    Some(sign * (h * 60 + m))
}

/// Converts a TOML date or date-time to a minute of the agreement's local time.
/// Returns the minute and whether only a date was written.
fn datetime_to_minute(
    dt: &toml::value::Datetime,
    utc_offset_minutes: i32,
) -> Option<(Minute, bool)> {
    let date = dt.date?;
    let day = Day::from_ymd(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )?;
    let mut minute = i64::from(day.0) * MINUTES_PER_DAY;
    let date_only = dt.time.is_none();
    if let Some(time) = dt.time {
        if time.hour > 23 || time.minute > 59 {
            return None;
        }
        minute += i64::from(time.hour) * 60 + i64::from(time.minute);
    }
    if let Some(offset) = dt.offset {
        let written_offset = match offset {
            toml::value::Offset::Z => 0,
            toml::value::Offset::Custom { minutes } => i64::from(minutes),
        };
        // To UTC, then to the agreement's local time.
        minute = minute - written_offset + i64::from(utc_offset_minutes);
    }
    Some((Minute(minute), date_only))
}

impl Window {
    /// Builds a window from a `from` minute and an `until` value: a bare date
    /// as `until` includes that whole day.
    pub(crate) fn from_parts(
        from: Option<(Minute, bool)>,
        until: Option<(Minute, bool)>,
    ) -> Window {
        let end = until.map(|(m, date_only)| {
            if date_only {
                Minute(m.0 + MINUTES_PER_DAY)
            } else {
                m
            }
        });
        Window {
            start: from.map(|(m, _)| m),
            end,
        }
    }
}

/// Column names of a protected-site list, with their defaults.
struct SiteColumns {
    /// The keys of `columns = { … }` the author wrote: those columns must exist.
    explicit: Vec<&'static str>,
    id: String,
    name: String,
    latitude: String,
    longitude: String,
    kind: String,
    precision: String,
}

impl<'s, 'f> Builder<'s, 'f> {
    fn corroboration(&mut self, table: Table<'_, '_>) {
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

    // ----------------------------------------------------------------- ids and references

    /// Records an id in its namespace; false (with a diagnostic) when it is a duplicate or malformed.
    fn define(&mut self, space: IdSpace, id: &Located<String>) -> bool {
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

    fn check_id(&mut self, id: &Located<String>, noun: &str) {
        if !valid_id(&id.value) {
            self.reader
                .error(Code::InvalidValue, id.span.clone(), format!("malformed {noun} id"))
                .found(format!("`{}`", id.value))
                .expected("letters, digits, `-`, `_` or `.`, starting with a letter or digit, at most 80 characters");
        }
    }

    fn unknown(&mut self, reference: &Located<String>, noun: &str, known: Vec<String>) {
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

    fn collect_ids(&mut self, root: Table<'_, '_>, key: &str, space: IdSpace) {
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

    fn resolve_in(&mut self, reference: &Located<String>, space: IdSpace) -> Option<usize> {
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

    fn zone_refs(&mut self, table: Table<'_, '_>, key: &str) -> Vec<usize> {
        let list = self.reader.string_list(table, key);
        list.iter()
            .filter_map(|z| self.resolve_in(z, IdSpace::Zone))
            .collect()
    }

    fn kind_refs(&mut self, table: Table<'_, '_>, key: &str) -> Vec<KindIndex> {
        let list = self.reader.string_list(table, key);
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

    fn bound_refs(&mut self, table: Table<'_, '_>, key: &str) -> Vec<Bound> {
        let list = self.reader.string_list(table, key);
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

    fn target_refs(&mut self, table: Table<'_, '_>, key: &str) -> Vec<Target> {
        let list = self.reader.string_list(table, key);
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

    fn site_selector(&mut self, table: Table<'_, '_>, key: &str) -> Option<SiteSelector> {
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
        let list = self.reader.string_list(table, key);
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
    fn param(&mut self, table: Table<'_, '_>, key: &str, required: bool) -> Option<Param> {
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

    // ----------------------------------------------------------------- zone sources

    fn zone_from_file(
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

    fn zone_from_admin(
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

    fn feature_polygons(
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
    fn validate_geometry(
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

    // ----------------------------------------------------------------- protected sites

    fn sites(&mut self, root: Table<'_, '_>) {
        for (value, i) in self.reader.array_of_tables(root, "site") {
            let what = format!("site #{}", i + 1);
            let Some(table) = self.reader.as_table(value, "site", &what) else {
                continue;
            };
            self.reader.check_keys(
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
            );
            let Some(id) = self.reader.req_string(table, "id") else {
                continue;
            };
            let name = self
                .reader
                .opt_string(table, "name")
                .map_or_else(|| id.value.clone(), |n| n.value);
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

    fn site_precision(&mut self, table: Table<'_, '_>) -> Option<SitePrecision> {
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

    fn point(&mut self, value: &Value<'_>) -> Option<LonLat> {
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

    fn site_lists(&mut self, root: Table<'_, '_>) {
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

    fn site_rows_from_csv(
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

    fn site_rows_from_geojson(
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

    // ----------------------------------------------------------------- clauses, brackets, steps

    fn clauses_(&mut self, root: Table<'_, '_>) {
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

    fn brackets_(&mut self, root: Table<'_, '_>) {
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
            let clause_refs = self.reader.string_list(table, "clauses");
            let mut signers: Vec<usize> = Vec::new();
            for party in self.reader.string_list(table, "resolved_by") {
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

    fn steps_(&mut self, root: Table<'_, '_>) {
        for (value, i) in self.reader.array_of_tables(root, "step") {
            let what = format!("step #{}", i + 1);
            let Some(table) = self.reader.as_table(value, "step", &what) else {
                continue;
            };
            self.reader.check_keys(
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
            );
            let Some(id) = self.reader.req_string(table, "id") else {
                continue;
            };
            let name = self
                .reader
                .opt_string(table, "name")
                .map_or_else(|| id.value.clone(), |n| n.value);
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
            for r in self.reader.string_list(table, "requires") {
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
    fn collect_later_step(&self, root: Table<'_, '_>, id: &str, current: usize) -> bool {
        let Some(DeValue::Array(items)) = root.get("step").map(|v| v.get_ref()) else {
            return false;
        };
        items.iter().skip(current + 1).any(|item| matches!(item.get_ref().get("id").map(|v| v.get_ref()), Some(DeValue::String(s)) if s == id))
    }

    fn filter(&mut self, table: Table<'_, '_>) -> ViolationFilter {
        let parties = self.reader.string_list(table, "parties");
        let parties = parties
            .iter()
            .filter_map(|p| self.resolve_in(p, IdSpace::Party))
            .collect();
        let zones = self.zone_refs(table, "zones");
        let kinds = self.kind_refs(table, "kinds");
        let clauses = self.reader.string_list(table, "clauses");
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

    fn condition(&mut self, table: Table<'_, '_>) -> Option<Condition> {
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
                    .expected("`max-violations-per-day`, `max-violations-per-period`, `no-violation-at-sites`, `min-events` or `falling-trend`");
                None
            }
        }
    }

    fn entitlements(&mut self, root: Table<'_, '_>) {
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
    fn check_aliases(&mut self) {
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

    fn actor_span(&self, id: &str) -> Range<usize> {
        let written = self.source_find(&format!("id = \"{id}\""));
        if written.end > 0 {
            written
        } else {
            self.source_find(&format!("\"{id}\""))
        }
    }

    fn source_find(&self, needle: &str) -> Range<usize> {
        self.reader
            .source
            .find(needle)
            .map_or(0..0, |start| start..start + needle.len())
    }
}

struct SiteRow {
    id: String,
    name: String,
    point: LonLat,
    kind: Option<String>,
    precision: Option<String>,
    line: usize,
}

fn parse_site_precision(text: &str) -> Option<SitePrecision> {
    match text.trim().to_ascii_lowercase().as_str() {
        "exact" | "facility" => Some(SitePrecision::Exact),
        "settlement" | "town" | "city" => Some(SitePrecision::Settlement),
        _ => None,
    }
}

fn default_uncertainty(precision: SitePrecision) -> f64 {
    match precision {
        SitePrecision::Exact => EXACT_SITE_UNCERTAINTY_KM,
        SitePrecision::Settlement => SETTLEMENT_SITE_UNCERTAINTY_KM,
    }
}

fn json_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn plural(noun: &str) -> String {
    match noun {
        "party" => "parties".into(),
        "boundaries" => "boundaries".into(),
        "party or actor" => "parties and actors".into(),
        "site or site kind" => "sites and site kinds".into(),
        other => format!("{other}s"),
    }
}

fn verify_num(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}
