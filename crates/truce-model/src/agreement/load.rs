//! Turning an agreement file into an [`Agreement`], with every problem located.
//!
//! Loading reads the TOML, the GeoJSON and CSV files it references (through
//! [`Files`], so this crate does no IO itself), resolves every cross-reference
//! to an index, and checks the whole: unknown references, duplicate ids, invalid
//! polygons, step dependencies, brackets, overlapping periods, dates in the wrong
//! order. It never stops at the first problem.

use super::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::kind::Taxonomy;
use crate::names::{MIN_FOLD_LENGTH, exact_key, fold_key};
use crate::report::{LocationPrecision, LonLat};
use crate::time::{Day, MINUTES_PER_DAY, Minute, Window};
use crate::toml_reader::{Located, Reader, Table, Value};
use geo::{Coord, LineString, MultiPolygon, Polygon, Validation};
use std::collections::HashMap;
use std::ops::Range;
use toml::de::DeValue;

mod clauses;
mod header;
mod ids;
mod parties;
mod sites;
mod terms;
mod zones;

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
    let root = reader.parse();
    let root_table = Table::root(&root, "the agreement");
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

    /// An item of a list (a zone, a site, a step…): its keys checked against
    /// `keys`, its required `id`, and its `name` (the id when it has none).
    /// `None` when it has no id (reported).
    fn named_item(
        &mut self,
        table: Table<'_, '_>,
        keys: &[&str],
    ) -> Option<(Located<String>, String)> {
        self.reader.check_keys(table, keys);
        let id = self.reader.req_string(table, "id")?;
        let name = self
            .reader
            .opt_string(table, "name")
            .map_or_else(|| id.value.clone(), |n| n.value);
        Some((id, name))
    }

    /// A string or an array of strings, as the agreement format takes lists.
    fn string_list(&mut self, table: Table<'_, '_>, key: &str) -> Vec<Located<String>> {
        if let Some(value) = table.get(key)
            && matches!(value.get_ref(), DeValue::Array(items) if items.is_empty())
            && key != "requires"
        {
            // An empty list would silently mean "nothing" (or "everything"): make the author say which.
            self.reader
                .error(
                    Code::InvalidValue,
                    value.span(),
                    format!("`{key}` is an empty list"),
                )
                .expected(format!(
                    "at least one value; leave `{key}` out to take its default"
                ));
            return Vec::new();
        }
        self.reader
            .string_list(table, key, "a string or an array of strings")
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
