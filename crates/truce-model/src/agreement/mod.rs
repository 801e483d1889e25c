//! An agreement as truce checks it: parties, actors with dated aliases and
//! designations, zones, protected sites, clauses, brackets, steps and
//! entitlements, all cross-referenced by index after loading.
//!
//! The file format (TOML, `format = 1`) is described in `docs/agreement-format.md`;
//! [`load`] turns a file into an [`Agreement`] plus every problem found.

mod load;

pub use crate::toml_reader::Located;
pub use load::{Files, Loaded, load};

use crate::kind::{KindIndex, Taxonomy};
use crate::report::{LocationPrecision, LonLat};
use crate::time::{DateSpan, Day, Minute, Window};
use geo::MultiPolygon;
use serde::Serialize;

/// The only version of the agreement file format this truce reads.
pub const FORMAT_VERSION: i64 = 1;

#[derive(Clone, Debug)]
pub struct Agreement {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    /// Offset of the agreement's local time from UTC, in minutes.
    pub utc_offset_minutes: i32,
    pub parties: Vec<Party>,
    pub actors: Vec<Actor>,
    pub zones: Vec<Zone>,
    pub sites: Vec<Site>,
    pub taxonomy: Taxonomy,
    pub clauses: Vec<Clause>,
    pub brackets: Vec<Bracket>,
    pub steps: Vec<Step>,
    pub entitlements: Vec<Entitlement>,
    pub evidence: EvidenceSettings,
    /// Who keeps the agreement's ledger and signs its checkpoints (`[ledger]`).
    pub ledger: LedgerSettings,
    /// Every file the agreement names, relative to the agreement file, in the order read.
    pub referenced_files: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Party {
    pub id: String,
    pub name: String,
    /// The public keys that sign for the party (bracket resolutions, witnessed
    /// checkpoints), as signed-note verifier keys `name+hex id+base64 key`. Several
    /// when a key is rotated: the old one stays listed for what it signed.
    pub keys: Vec<String>,
    /// The `age` X25519 recipients (`age1…`) entitlement payloads for the party are
    /// encrypted to.
    pub recipients: Vec<String>,
    /// The parties whose compliance this party guarantees (`guarantees = [...]`:
    /// Russia for the government side, Turkey for the opposition in Idlib 2018). A
    /// guarantor answers for their violations in the findings and tallies, and its
    /// liaison sees what theirs see.
    pub guarantees: Vec<usize>,
}

/// Who keeps the ledger of the agreement and signs its checkpoints.
#[derive(Clone, Debug, Default, Serialize)]
pub struct LedgerSettings {
    /// The checkpoints' origin line: names the log (`truce.example/syria-2016`).
    /// Default: `truce/<agreement id>`.
    pub origin: Option<String>,
    /// The mission's verifier keys, which sign the checkpoints.
    pub mission_keys: Vec<String>,
}

/// A stretch of days, both ends included; `None` is open.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default, Serialize)]
pub struct Period {
    pub from: Option<Day>,
    pub until: Option<Day>,
}

/// Whether a period holds over an event's date span.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PeriodMatch {
    Whole,
    Part,
    None,
}

impl Period {
    pub const ALWAYS: Period = Period {
        from: None,
        until: None,
    };

    pub fn contains(&self, day: Day) -> bool {
        self.from.is_none_or(|f| day >= f) && self.until.is_none_or(|u| day <= u)
    }

    pub fn relate(&self, span: &DateSpan) -> PeriodMatch {
        let starts_in = self.contains(span.first);
        let ends_in = self.contains(span.last);
        if starts_in && ends_in {
            PeriodMatch::Whole
        } else if starts_in
            || ends_in
            || (self.from.is_some_and(|f| f > span.first)
                && self.until.is_some_and(|u| u < span.last))
        {
            PeriodMatch::Part
        } else {
            PeriodMatch::None
        }
    }

    pub fn overlaps(&self, other: &Period) -> bool {
        let start = self.from.max(other.from);
        let end = match (self.until, other.until) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        match (start, end) {
            (Some(s), Some(e)) => s <= e,
            _ => true,
        }
    }

    pub fn is_always(&self) -> bool {
        self.from.is_none() && self.until.is_none()
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.from, self.until) {
            (None, None) => write!(f, "always"),
            (Some(a), None) => write!(f, "from {a}"),
            (None, Some(b)) => write!(f, "until {b}"),
            (Some(a), Some(b)) => write!(f, "{a} to {b}"),
        }
    }
}

/// A value that holds for a period.
#[derive(Clone, Debug, Serialize)]
pub struct Dated<T> {
    pub period: Period,
    pub value: T,
}

/// Whether the ceasefire protects an actor.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Designation {
    /// Party to the ceasefire: attacking it is a violation.
    Covered,
    /// Outside the ceasefire and a legitimate target (e.g. groups the UN Security Council designates).
    Excluded,
    /// Neither bound nor protected (e.g. a foreign army not party to the deal).
    Outside,
}

impl Designation {
    pub fn as_str(self) -> &'static str {
        match self {
            Designation::Covered => "covered",
            Designation::Excluded => "excluded",
            Designation::Outside => "outside",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Alias {
    pub name: String,
    /// [`crate::names::exact_key`] of the name.
    pub exact_key: String,
    /// [`crate::names::fold_key`] of the exact key.
    pub fold_key: String,
    pub period: Period,
}

#[derive(Clone, Debug, Serialize)]
pub struct Actor {
    pub id: String,
    pub name: String,
    /// Includes the actor's own name (for all time) and every listed alias.
    pub aliases: Vec<Alias>,
    /// The party the actor answers to, by period; `None` = answers to no party.
    pub parties: Vec<Dated<Option<usize>>>,
    pub designations: Vec<Dated<Designation>>,
    /// True for actors that stand for civilians (attacks on them are attacks on civilians).
    pub civilian: bool,
}

impl Actor {
    /// The party on `day`, if any.
    pub fn party_on(&self, day: Day) -> Option<usize> {
        self.parties
            .iter()
            .find(|d| d.period.contains(day))
            .and_then(|d| d.value)
    }

    pub fn designation_on(&self, day: Day) -> Option<Designation> {
        self.designations
            .iter()
            .find(|d| d.period.contains(day))
            .map(|d| d.value)
    }
}

#[derive(Clone, Debug)]
pub struct Zone {
    pub id: String,
    pub name: String,
    pub geometry: MultiPolygon<f64>,
    /// Where the geometry came from, for the reason chain ("admin unit SY-HL in …").
    pub origin: String,
    /// For a zone that is an administrative unit of a boundaries file: its names and
    /// codes, so that a report whose source names the unit is placed in it for
    /// certain (and certainly not in the file's other units), whatever its radius.
    pub admin: Option<AdminUnit>,
}

/// An administrative unit as sources name it.
#[derive(Clone, Debug, PartialEq)]
pub struct AdminUnit {
    /// The file the unit comes from (a `[[boundaries]]` file, or the file of a zone
    /// that selects one feature), as the agreement names it: the units of one file
    /// do not overlap.
    pub file: String,
    /// [`admin_key`]s of every name and code the file gives the unit (English,
    /// Arabic, alternative spellings, ISO 3166-2), and their transliteration keys.
    pub keys: Vec<String>,
    /// 1 for a first-order unit (governorate, oblast), 2 for a second-order one
    /// (district): a source's `admin1` names only the first, its `admin2` only the
    /// second, so a district that shares its governorate's name is not mistaken for it.
    pub level: u8,
}

/// Words that say what sort of unit a name is ("Aleppo governorate", "Donetsk oblast",
/// "Muhafazat Halab", "محافظة حلب"): left out when names of units are compared.
const UNIT_WORDS: &[&str] = &[
    "governorate",
    "governorat",
    "province",
    "oblast",
    "region",
    "district",
    "muhafazat",
    "muhafazah",
    "muhafaza",
    "raion",
    "rayon",
    "county",
    "state",
    "محافظه",
    "محافظة",
];

/// The key under which an administrative unit's name is compared: the exact key of
/// [`crate::names`] without the words that name the sort of unit. Empty when nothing
/// is left.
pub fn admin_key(name: &str) -> String {
    static UNIT_KEYS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let unit_words = UNIT_KEYS.get_or_init(|| {
        UNIT_WORDS
            .iter()
            .map(|w| crate::names::exact_key(w))
            .collect()
    });
    let exact = crate::names::exact_key(name);
    exact
        .split(' ')
        .filter(|w| !w.is_empty() && !unit_words.iter().any(|u| u == w))
        .collect::<Vec<_>>()
        .join(" ")
}

impl AdminUnit {
    /// Whether a name a source gives (GED `adm_1`, ACLED `admin1`) names this unit.
    pub fn named_by(&self, name: &str) -> bool {
        let key = admin_key(name);
        let fold = crate::names::fold_key(&key);
        self.named_by_keys(&key, &fold)
    }

    /// [`AdminUnit::named_by`] for a name whose [`admin_key`] and its transliteration
    /// key are already made (one name, many units).
    pub fn named_by_keys(&self, key: &str, fold: &str) -> bool {
        !key.is_empty() && self.keys.iter().any(|k| k == key || k == fold)
    }
}

/// How precisely a protected site's own position is known.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SitePrecision {
    /// The facility's own coordinates.
    Exact,
    /// Only the town or city it is in.
    Settlement,
}

#[derive(Clone, Debug, Serialize)]
pub struct Site {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub point: LonLat,
    pub precision: SitePrecision,
    /// How far the true position may be from `point`.
    pub location_uncertainty_km: f64,
    /// A strike within this distance of the site counts as a strike on it.
    pub protection_radius_km: f64,
    pub origin: String,
}

/// Which protected sites a clause, exception or condition means.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SiteSelector {
    /// Site kinds (`hospital`); empty with empty `sites` = every site.
    pub kinds: Vec<String>,
    pub sites: Vec<usize>,
}

impl SiteSelector {
    pub fn selects(&self, index: usize, site: &Site) -> bool {
        (self.kinds.is_empty() && self.sites.is_empty())
            || self.sites.contains(&index)
            || self.kinds.contains(&site.kind)
    }
}

/// Who a clause binds.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "type", content = "index")]
pub enum Bound {
    /// Every actor that answers to a party on the event's date.
    AnyParty,
    Party(usize),
    Actor(usize),
}

/// Whom a clause protects (or an exception releases).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "type", content = "index")]
pub enum Target {
    /// Actors designated covered on the event's date.
    Covered,
    /// Actors designated excluded on the event's date.
    Excluded,
    /// Civilians (sources say so, or an actor marked `civilian = true`).
    Civilians,
    /// Anyone at all, including unidentified targets.
    Anyone,
    Party(usize),
    Actor(usize),
}

/// A case in which an act the clause forbids is allowed.
#[derive(Clone, Debug, Serialize)]
pub struct Exception {
    pub reason: String,
    /// The exception applies when the target is one of these.
    pub against: Vec<Target>,
    /// …and the event is of one of these kinds (empty = any).
    pub kinds: Vec<KindIndex>,
    /// …and in one of these zones (empty = anywhere).
    pub zones: Vec<usize>,
    /// …unless the event is at one of these protected sites.
    pub unless_at_sites: Option<SiteSelector>,
}

#[derive(Clone, Debug)]
pub struct Clause {
    pub id: String,
    pub text: String,
    pub kinds: Vec<KindIndex>,
    pub by: Vec<Bound>,
    pub against: Vec<Target>,
    /// Empty = anywhere.
    pub zones: Vec<usize>,
    /// When set, the clause only concerns events at these protected sites.
    pub at_sites: Option<SiteSelector>,
    pub window: Window,
    pub exceptions: Vec<Exception>,
    /// The bracket that makes this whole clause optional, if any.
    pub optional_in: Option<usize>,
    /// The step whose being met starts the clause (`from_step`): it binds from the
    /// day after that step is met, and not at all while the step is not met.
    pub from_step: Option<usize>,
}

/// One alternative of a bracket.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Alternative {
    Number(f64),
    /// For a bracket around whole clauses: are they part of the agreement?
    Included(bool),
}

impl std::fmt::Display for Alternative {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Alternative::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
                write!(f, "{}", *n as i64)
            }
            Alternative::Number(n) => write!(f, "{n}"),
            Alternative::Included(true) => write!(f, "included"),
            Alternative::Included(false) => write!(f, "left out"),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Bracket {
    pub id: String,
    pub text: String,
    pub alternatives: Vec<Alternative>,
    /// The alternative the parties settled on, if resolved.
    pub resolved: Option<usize>,
    /// Clauses the bracket makes optional (empty for a parameter bracket).
    pub clauses: Vec<usize>,
    /// The parties that must all sign a resolution of the bracket (`resolved_by`);
    /// empty when the agreement names none (then it cannot be resolved by signature).
    pub signers: Vec<usize>,
}

impl Bracket {
    /// The alternative used when the bracket is not varied: the resolved one, else the first.
    pub fn working_alternative(&self) -> usize {
        self.resolved.unwrap_or(0)
    }
}

/// A number in a condition: fixed, or taken from a bracket.
#[derive(Copy, Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Param {
    Fixed(f64),
    Bracket(usize),
}

/// Which violations a step condition counts.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ViolationFilter {
    /// Responsible parties (empty = all).
    pub parties: Vec<usize>,
    pub zones: Vec<usize>,
    pub kinds: Vec<KindIndex>,
    pub clauses: Vec<usize>,
    /// The condition's own counting filter; `None` takes the agreement's `[evidence]` one.
    pub counting: Option<CountingFilter>,
}

/// Which reports a count over days may take as one event (`[evidence]`, or a
/// condition's own keys). The others are kept and shown, each listed with why, but
/// never spread over every day and zone of a window.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CountingFilter {
    /// Reports dated to a longer span than this many days are not counted (default 7:
    /// UCDP GED's `date_prec` 1–3, the day to the week).
    pub longest_span_days: i32,
    /// Reports located less precisely than this are not counted (default `province`:
    /// only country-wide and unlocated reports are set aside).
    pub coarsest_location: LocationPrecision,
    /// Whether reports the source marks as aggregates of many events are counted
    /// (default false).
    pub aggregates: bool,
    /// Only reports of these sources are counted (empty: every source).
    pub sources: Vec<String>,
}

impl Default for CountingFilter {
    fn default() -> Self {
        CountingFilter {
            longest_span_days: 7,
            coarsest_location: LocationPrecision::Province,
            aggregates: false,
            sources: Vec::new(),
        }
    }
}

/// Why a report is not counted over days.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum SetAside {
    /// The source says it sums up many events.
    Aggregate,
    /// Dated to a longer span than `longest_span_days`.
    LongSpan,
    /// Located less precisely than `coarsest_location`.
    CoarsePlace,
    /// From a source the filter does not take.
    OtherSource,
}

impl SetAside {
    pub const ALL: [SetAside; 4] = [
        SetAside::Aggregate,
        SetAside::LongSpan,
        SetAside::CoarsePlace,
        SetAside::OtherSource,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SetAside::Aggregate => "aggregate reports (the source sums up many events)",
            SetAside::LongSpan => "reports dated to a span longer than the filter allows",
            SetAside::CoarsePlace => "reports located less precisely than the filter allows",
            SetAside::OtherSource => "reports of sources the filter does not take",
        }
    }
}

/// How coarse a location is, for [`CountingFilter::coarsest_location`]: a line along a
/// road (±50 km) is finer than a province, unlike the order of [`LocationPrecision`].
fn coarseness(precision: LocationPrecision) -> u8 {
    match precision {
        LocationPrecision::Exact => 0,
        LocationPrecision::Near => 1,
        LocationPrecision::District | LocationPrecision::Linear => 2,
        LocationPrecision::Province => 3,
        LocationPrecision::Country => 4,
        LocationPrecision::Unknown => 5,
    }
}

impl CountingFilter {
    /// Why a report is not counted over days, or `None` when it is. The first reason
    /// in [`SetAside::ALL`]'s order is given.
    pub fn set_aside(&self, report: &crate::report::Report) -> Option<SetAside> {
        if report.aggregate && !self.aggregates {
            return Some(SetAside::Aggregate);
        }
        if i64::from(report.date.last.0) - i64::from(report.date.first.0)
            >= i64::from(self.longest_span_days)
        {
            return Some(SetAside::LongSpan);
        }
        if coarseness(report.location.precision) > coarseness(self.coarsest_location) {
            return Some(SetAside::CoarsePlace);
        }
        if !self.sources.is_empty() && !self.sources.contains(&report.provenance.source) {
            return Some(SetAside::OtherSource);
        }
        None
    }
}

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Condition {
    /// At most `max` violations per period of `period_days` days (1: a day, 7: a
    /// week), on `days` consecutive periods.
    MaxViolationsPerDay {
        max: Param,
        /// How many consecutive periods (days when `period_days` is 1).
        days: Param,
        period_days: i32,
        filter: ViolationFilter,
    },
    /// At most `max` people killed in violations per period of `period_days` days
    /// (1: a day, 7: a week), on `periods` consecutive periods. The lower count of a
    /// period adds the low estimates of the violations that certainly count; the upper
    /// count the high estimates of every violation that may count, and rests on nothing
    /// when one of them has no death count.
    MaxDeaths {
        max: Param,
        /// How many consecutive periods (days when `period_days` is 1).
        periods: Param,
        period_days: i32,
        filter: ViolationFilter,
    },
    /// No violation at a protected site during the window.
    NoViolationAtSites {
        sites: SiteSelector,
        filter: ViolationFilter,
    },
    /// At least `min` events of the given (positive) kinds.
    MinEvents {
        min: Param,
        kinds: Vec<KindIndex>,
        zones: Vec<usize>,
        by: Vec<Bound>,
        /// The condition's own counting filter; `None` takes the agreement's.
        counting: Option<CountingFilter>,
    },
    /// Violations fall by at least `percent` % week over week, `weeks` times in a row;
    /// or, with a `baseline`, every one of `weeks` weeks in a row is at least
    /// `percent` % below the baseline's weekly average.
    FallingTrend {
        percent: Param,
        weeks: Param,
        baseline: Option<Baseline>,
        filter: ViolationFilter,
    },
}

/// A stretch of days before the agreement whose hostilities a trend is measured
/// against: events of the condition's kinds, in its zones, with a side of its
/// parties, counted per week as violations would have been counted.
#[derive(Copy, Clone, Debug, PartialEq, Serialize)]
pub struct Baseline {
    pub first: Day,
    pub last: Day,
}

impl Condition {
    /// Which violations the condition counts; `None` for one that counts events.
    pub fn filter(&self) -> Option<&ViolationFilter> {
        match self {
            Condition::MaxViolationsPerDay { filter, .. }
            | Condition::MaxDeaths { filter, .. }
            | Condition::NoViolationAtSites { filter, .. }
            | Condition::FallingTrend { filter, .. } => Some(filter),
            Condition::MinEvents { .. } => None,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum StepStart {
    At {
        minute: Minute,
    },
    /// The day after the step `step` was met.
    AfterStep {
        step: usize,
    },
}

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum StepEnd {
    /// The window ends before this minute.
    At {
        minute: Minute,
    },
    /// The window lasts this many days.
    Days {
        days: Param,
    },
    Open,
}

#[derive(Clone, Debug, Serialize)]
pub struct Step {
    pub id: String,
    pub name: String,
    pub text: Option<String>,
    /// Steps that must be met before this one can be.
    pub requires: Vec<usize>,
    pub start: StepStart,
    pub end: StepEnd,
    pub conditions: Vec<Condition>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Entitlement {
    pub id: String,
    pub to: usize,
    pub from: Option<usize>,
    pub step: usize,
    pub what: String,
    /// Whether possible violations block the release: then the step must be met on
    /// both bounds of the evidence, else on certain evidence only. Default true.
    pub possible_violations_block: bool,
}

/// How evidence precision turns into distances.
#[derive(Clone, Debug, Serialize)]
pub struct EvidenceSettings {
    /// Radius of the area an event may be in around its point, per location precision.
    pub location_uncertainty_km: Vec<(LocationPrecision, f64)>,
    /// Treat the first side a source names (ACLED `actor1`, GED `side_a`) as the one
    /// who acted when the source does not say who attacked whom. Off by default:
    /// it is an assumption the agreement's authors must choose to make.
    pub first_side_acted: bool,
    /// When reports are of the same incident (`[evidence.corroboration]`).
    pub corroboration: CorroborationSettings,
    /// Which reports counts over days take (`longest_span_days`, `coarsest_location`,
    /// `aggregates`, `sources` in `[evidence]`).
    pub counting: CountingFilter,
}

/// When two reports are taken to be of the same incident (see `docs/corroboration.md`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CorroborationSettings {
    /// Most days between the reports' first days.
    pub max_days: i32,
    /// Most kilometres between their points.
    pub max_km: f64,
    /// Reports located less precisely than this are never merged.
    pub coarsest: LocationPrecision,
    /// Reports dated to a longer span than this are never merged.
    pub longest_span_days: i64,
    /// Whether two reports of one source with different ids may be merged.
    pub merge_within_source: bool,
}

impl Default for CorroborationSettings {
    fn default() -> Self {
        CorroborationSettings {
            max_days: 1,
            max_km: 2.0,
            coarsest: LocationPrecision::Near,
            longest_span_days: 2,
            merge_within_source: false,
        }
    }
}

impl Default for EvidenceSettings {
    fn default() -> Self {
        EvidenceSettings {
            location_uncertainty_km: vec![
                (LocationPrecision::Exact, 2.0),
                (LocationPrecision::Near, 25.0),
                (LocationPrecision::District, 50.0),
                (LocationPrecision::Province, 150.0),
                (LocationPrecision::Linear, 50.0),
                (LocationPrecision::Country, f64::INFINITY),
                (LocationPrecision::Unknown, f64::INFINITY),
            ],
            first_side_acted: false,
            corroboration: CorroborationSettings::default(),
            counting: CountingFilter::default(),
        }
    }
}

impl EvidenceSettings {
    pub fn uncertainty_km(&self, precision: LocationPrecision) -> f64 {
        self.location_uncertainty_km
            .iter()
            .find(|(p, _)| *p == precision)
            .map_or(f64::INFINITY, |(_, km)| *km)
    }
}

/// Default distance around a protected site that counts as "at" it.
pub const DEFAULT_PROTECTION_RADIUS_KM: f64 = 0.5;
/// Default uncertainty of a site known to the facility.
pub const EXACT_SITE_UNCERTAINTY_KM: f64 = 0.1;
/// Default uncertainty of a site known only by its town.
pub const SETTLEMENT_SITE_UNCERTAINTY_KM: f64 = 5.0;

impl Agreement {
    pub fn party_index(&self, id: &str) -> Option<usize> {
        self.parties.iter().position(|p| p.id == id)
    }

    /// Whether the liaison of party `reader` reads what concerns party `party`: its
    /// own, and that of every party it guarantees (`guarantees`).
    pub fn answers_for(&self, reader: &str, party: &str) -> bool {
        reader == party
            || self.parties.iter().any(|g| {
                g.id == reader && g.guarantees.iter().any(|&p| self.parties[p].id == party)
            })
    }

    pub fn step_index(&self, id: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.id == id)
    }

    pub fn clause_index(&self, id: &str) -> Option<usize> {
        self.clauses.iter().position(|c| c.id == id)
    }

    /// The value of a parameter under a choice of bracket alternatives
    /// (`choice[b]` is the alternative taken for bracket `b`).
    pub fn param(&self, param: Param, choice: &[usize]) -> f64 {
        match param {
            Param::Fixed(v) => v,
            Param::Bracket(b) => {
                let bracket = &self.brackets[b];
                let alternative = choice
                    .get(b)
                    .copied()
                    .unwrap_or_else(|| bracket.working_alternative());
                match bracket.alternatives.get(alternative) {
                    Some(Alternative::Number(n)) => *n,
                    _ => f64::NAN,
                }
            }
        }
    }

    /// Whether a clause is part of the agreement under a choice of bracket alternatives.
    pub fn clause_in_force(&self, clause: usize, choice: &[usize]) -> bool {
        match self.clauses[clause].optional_in {
            None => true,
            Some(b) => {
                let bracket = &self.brackets[b];
                let alternative = choice
                    .get(b)
                    .copied()
                    .unwrap_or_else(|| bracket.working_alternative());
                !matches!(
                    bracket.alternatives.get(alternative),
                    Some(Alternative::Included(false))
                )
            }
        }
    }

    /// The choice that takes each bracket's working alternative.
    pub fn working_choice(&self) -> Vec<usize> {
        self.brackets
            .iter()
            .map(Bracket::working_alternative)
            .collect()
    }
}
