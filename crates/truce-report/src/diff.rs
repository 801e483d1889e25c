//! What changed between two recorded check runs, and why (`truce diff`).
//!
//! The runs are compared as their recorded documents (`truce-check/2` JSON, as
//! the store keeps them), so a run made by an older truce can still be
//! compared. Findings are matched by id (`incident/clause/actor`), steps,
//! entitlements and tallies by id. Each change is explained by what changed
//! underneath it: a report behind the incident revised, added or withdrawn by
//! its source (with the fields that changed), the incident's reports merged
//! differently, a new agreement version, another as-of day, or an analyst's
//! decision. The explanation is only ever drawn from those recorded facts.

use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use truce_model::report::Report;

/// The version of the JSON document [`render_json`] writes.
pub const DIFF_SCHEMA: &str = "truce-diff/1";

/// Most fields listed for one revised report.
const MAX_FIELDS: usize = 12;
/// Most evidence changes, findings or reasons listed in the text rendering.
const MAX_LISTED: usize = 50;

/// One check run as the diff names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunRef {
    pub id: i64,
    pub started: String,
    pub agreement: String,
    pub agreement_sha256: String,
    /// The `--as-of` day as given; `None` when the check took the evidence's last day.
    pub as_of_given: Option<String>,
    pub reports: u64,
    /// Decisions to keep reports apart that were in force.
    pub kept_apart: Vec<i64>,
    /// Events files read beside the store: (name, sha256).
    pub files: Vec<(String, String)>,
}

/// How a stored report changed between the two runs.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceChangeKind {
    /// Not in the store at the first run.
    Added,
    /// A new revision from its source.
    Revised,
    /// Withdrawn by its source (a recorded deletion).
    Deleted,
}

/// One field of a report, before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// A dotted path into the report (`location.precision`, `casualties.best`).
    pub field: String,
    pub before: String,
    pub after: String,
}

/// A stored report that changed between the runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EvidenceChange {
    /// `source:id`.
    pub report: String,
    pub change: EvidenceChangeKind,
    /// For a revision: the fields that differ.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
    /// For a deletion: the note recorded with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Describes how a report stood before and after: `None` for not stored or deleted.
/// `None` when it did not change.
pub fn evidence_change(
    before: Option<&Report>,
    after: Option<&Report>,
    deletion_note: Option<&str>,
) -> Option<EvidenceChange> {
    let report = after.or(before)?.id();
    let (change, fields) = match (before, after) {
        (None, Some(_)) => (EvidenceChangeKind::Added, Vec::new()),
        (Some(_), None) => (EvidenceChangeKind::Deleted, Vec::new()),
        (Some(b), Some(a)) => {
            let fields = report_fields_changed(b, a);
            if fields.is_empty() {
                return None;
            }
            (EvidenceChangeKind::Revised, fields)
        }
        (None, None) => return None,
    };
    Some(EvidenceChange {
        report,
        change,
        fields,
        note: (change == EvidenceChangeKind::Deleted)
            .then(|| deletion_note.map(str::to_string))
            .flatten(),
    })
}

/// The fields of two revisions of a report that differ, as dotted paths.
/// Where the report was read (file, line, raw row) is not content and is left out.
fn report_fields_changed(before: &Report, after: &Report) -> Vec<FieldChange> {
    let flat = |report: &Report| {
        let mut leaves = BTreeMap::new();
        if let Ok(mut value) = serde_json::to_value(report) {
            // Sides read better as "initiator: Government of Syria (state-forces)"
            // than as the JSON they are stored as.
            if let Some(sides) = value.get_mut("sides") {
                *sides = Value::String(sides_text(sides));
            }
            flatten("", &value, &mut leaves);
        }
        for where_read in ["provenance.file", "provenance.line"] {
            leaves.remove(where_read);
        }
        leaves.retain(|k, _| !k.starts_with("provenance.raw"));
        leaves
    };
    let (b, a) = (flat(before), flat(after));
    let keys: BTreeSet<&String> = b.keys().chain(a.keys()).collect();
    keys.into_iter()
        .filter_map(|k| {
            let (x, y) = (b.get(k), a.get(k));
            (x != y).then(|| FieldChange {
                field: k.clone(),
                before: x.cloned().unwrap_or_else(|| "(none)".into()),
                after: y.cloned().unwrap_or_else(|| "(none)".into()),
            })
        })
        .take(MAX_FIELDS)
        .collect()
}

/// `initiator: A / B (state-forces); target: C (civilians)`.
fn sides_text(sides: &Value) -> String {
    let sides: Vec<String> = sides
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .map(|side| {
            let names: Vec<&str> = list(side, "names")
                .iter()
                .filter_map(Value::as_str)
                .collect();
            let mut text = format!("{}: {}", str_at(side, "role"), names.join(" / "));
            if let Some(category) = side.get("category").and_then(Value::as_str) {
                let _ = write!(text, " ({category})");
            }
            text
        })
        .collect();
    sides.join("; ")
}

/// Objects become dotted paths; arrays and scalars are leaves (arrays as compact JSON).
fn flatten(prefix: &str, value: &Value, out: &mut BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&path, v, out);
            }
        }
        Value::Null => {}
        Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

/// A finding's verdict as the diff compares it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FindingState {
    pub verdict: String,
    pub certainty: String,
    pub party: Option<String>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// Only in the second run.
    New,
    /// Only in the first run.
    Gone,
    /// In both, different.
    Changed,
}

impl Change {
    fn label(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Gone => "gone",
            Change::Changed => "changed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FindingChange {
    pub id: String,
    pub incident: String,
    pub clause: String,
    pub change: Change,
    pub before: Option<FindingState>,
    pub after: Option<FindingState>,
    /// Why, from what changed beneath it.
    pub because: Vec<String>,
}

/// A step's outcome as the diff compares it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StepState {
    pub status: String,
    pub met_on: Option<String>,
    pub on_certain: String,
    pub with_possible: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StepChange {
    /// The step's id; for a bracket alternative's outcome, `step (if bracket = value)`.
    pub id: String,
    pub name: String,
    pub before: Option<StepState>,
    pub after: Option<StepState>,
    pub because: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntitlementChange {
    pub id: String,
    pub before_releasable: Option<bool>,
    pub after_releasable: Option<bool>,
    /// The reason the second run gives (or the first, when it is gone).
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TallyChange {
    /// `party` or `clause`.
    pub by: &'static str,
    pub id: String,
    /// (certain, certain or possible) in each run.
    pub before: (u64, u64),
    pub after: (u64, u64),
}

/// Everything that differs between two check runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub schema: &'static str,
    pub from: RunRef,
    pub to: RunRef,
    pub agreement_changed: bool,
    /// The as-of days the runs were judged on (from their results).
    pub as_of: (String, String),
    pub evidence: Vec<EvidenceChange>,
    pub kept_apart_added: Vec<i64>,
    pub kept_apart_withdrawn: Vec<i64>,
    /// Events files read beside the store that differ (by name and content).
    pub files_changed: Vec<String>,
    pub tallies: Vec<TallyChange>,
    pub findings: Vec<FindingChange>,
    pub steps: Vec<StepChange>,
    pub entitlements: Vec<EntitlementChange>,
}

impl Diff {
    /// True when no finding, step, entitlement or tally differs.
    pub fn same_outcome(&self) -> bool {
        self.findings.is_empty()
            && self.steps.is_empty()
            && self.entitlements.is_empty()
            && self.tallies.is_empty()
    }
}

fn str_at<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

fn list<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn by_id<'a>(value: &'a Value, key: &str) -> BTreeMap<String, &'a Value> {
    list(value, key)
        .iter()
        .map(|item| (str_at(item, "id").to_string(), item))
        .collect()
}

fn finding_state(finding: &Value) -> FindingState {
    FindingState {
        verdict: str_at(finding, "verdict").to_string(),
        certainty: str_at(finding, "certainty").to_string(),
        party: finding
            .get("party")
            .and_then(Value::as_str)
            .map(str::to_string),
    }
}

fn step_state(step: &Value) -> StepState {
    let status_of = |outcome: Option<&Value>| {
        outcome
            .map(|o| str_at(o, "status").to_string())
            .unwrap_or_default()
    };
    StepState {
        status: str_at(step, "status").to_string(),
        met_on: step
            .get("met_on")
            .and_then(Value::as_str)
            .map(str::to_string),
        on_certain: status_of(step.get("on_certain")),
        with_possible: status_of(step.get("with_possible")),
    }
}

/// The reports behind each incident of a result.
fn incident_reports(result: &Value) -> BTreeMap<String, Vec<String>> {
    list(result, "incidents")
        .iter()
        .map(|incident| {
            let reports = list(incident, "reports")
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            (str_at(incident, "id").to_string(), reports)
        })
        .collect()
}

/// Compares two recorded check results. `evidence` is what changed in the store
/// between them (see [`evidence_change`]).
pub fn diff(
    from: RunRef,
    from_result: &Value,
    to: RunRef,
    to_result: &Value,
    evidence: Vec<EvidenceChange>,
) -> Diff {
    let agreement_changed = from.agreement_sha256 != to.agreement_sha256;
    let as_of = (
        str_at(from_result, "as_of").to_string(),
        str_at(to_result, "as_of").to_string(),
    );
    let kept_apart_added: Vec<i64> = to
        .kept_apart
        .iter()
        .filter(|k| !from.kept_apart.contains(k))
        .copied()
        .collect();
    let kept_apart_withdrawn: Vec<i64> = from
        .kept_apart
        .iter()
        .filter(|k| !to.kept_apart.contains(k))
        .copied()
        .collect();
    let files_changed: Vec<String> = from
        .files
        .iter()
        .filter(|f| !to.files.contains(f))
        .chain(to.files.iter().filter(|f| !from.files.contains(f)))
        .map(|(name, _)| name.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let context = Context {
        agreement_changed,
        as_of_changed: as_of.0 != as_of.1,
        as_of: &as_of,
        evidence: evidence.iter().map(|e| (e.report.as_str(), e)).collect(),
        reports_before: incident_reports(from_result),
        reports_after: incident_reports(to_result),
        kept_apart_changed: !kept_apart_added.is_empty() || !kept_apart_withdrawn.is_empty(),
        files_changed: !files_changed.is_empty(),
    };
    let findings = finding_changes(&context, from_result, to_result);
    let steps = step_changes(from_result, to_result, &findings);
    let entitlements = entitlement_changes(from_result, to_result);
    let tallies = tally_changes(from_result, to_result);
    Diff {
        schema: DIFF_SCHEMA,
        agreement_changed,
        as_of: as_of.clone(),
        from,
        to,
        evidence,
        kept_apart_added,
        kept_apart_withdrawn,
        files_changed,
        tallies,
        findings,
        steps,
        entitlements,
    }
}

struct Context<'a> {
    agreement_changed: bool,
    as_of_changed: bool,
    as_of: &'a (String, String),
    evidence: BTreeMap<&'a str, &'a EvidenceChange>,
    reports_before: BTreeMap<String, Vec<String>>,
    reports_after: BTreeMap<String, Vec<String>>,
    kept_apart_changed: bool,
    files_changed: bool,
}

impl Context<'_> {
    /// Why a finding of `incident` differs: the changes beneath it, most direct first.
    fn because(&self, incident: &str) -> Vec<String> {
        let before = self.reports_before.get(incident);
        let after = self.reports_after.get(incident);
        // An incident with no finding is not listed in a result: fall back to
        // the incident's id itself, which is its representative report's.
        let fallback = vec![incident.to_string()];
        let mut behind: BTreeSet<&String> = BTreeSet::new();
        behind.extend(before.unwrap_or(&fallback));
        behind.extend(after.unwrap_or(&fallback));
        let mut reasons: Vec<String> = behind
            .iter()
            .filter_map(|report| self.evidence.get(report.as_str()))
            .map(|change| describe_evidence(change))
            .collect();
        if let (Some(b), Some(a)) = (before, after)
            && b != a
        {
            reasons.push(format!(
                "the incident's reports changed: {} (was {})",
                a.join(", "),
                b.join(", ")
            ));
        }
        if self.agreement_changed {
            reasons.push("the agreement changed (another version was checked)".into());
        }
        if self.as_of_changed {
            reasons.push(format!(
                "judged as of {} instead of {}",
                self.as_of.1, self.as_of.0
            ));
        }
        if reasons.is_empty() && self.kept_apart_changed {
            reasons.push("an analyst's decision on which reports are one incident changed".into());
        }
        if reasons.is_empty() && self.files_changed {
            reasons.push("an events file read beside the store changed".into());
        }
        if reasons.is_empty() {
            reasons.push(
                "no report behind it changed: other evidence changed how its reports were merged"
                    .into(),
            );
        }
        reasons
    }
}

/// One line for a change in the evidence: `ucdp-ged:1 revised: kind `a` → `b``.
fn describe_evidence(change: &EvidenceChange) -> String {
    match change.change {
        EvidenceChangeKind::Added => format!("{} was added to the evidence", change.report),
        EvidenceChangeKind::Deleted => match &change.note {
            Some(note) => format!("{} was withdrawn by its source ({note})", change.report),
            None => format!("{} was withdrawn by its source", change.report),
        },
        EvidenceChangeKind::Revised => {
            let fields: Vec<String> = change
                .fields
                .iter()
                .map(|f| format!("{} `{}` → `{}`", f.field, f.before, f.after))
                .collect();
            format!("{} was revised: {}", change.report, fields.join("; "))
        }
    }
}

fn finding_changes(context: &Context<'_>, from: &Value, to: &Value) -> Vec<FindingChange> {
    let before = by_id(from, "findings");
    let after = by_id(to, "findings");
    let ids: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let mut changes = Vec::new();
    for id in ids {
        let (b, a) = (before.get(id), after.get(id));
        let (bs, a_s) = (b.map(|f| finding_state(f)), a.map(|f| finding_state(f)));
        let change = match (&bs, &a_s) {
            (Some(x), Some(y)) if x == y => continue,
            (Some(_), Some(_)) => Change::Changed,
            (None, Some(_)) => Change::New,
            (Some(_), None) => Change::Gone,
            (None, None) => continue,
        };
        let finding = a.or(b).copied().unwrap_or(&Value::Null);
        let incident = str_at(finding, "incident").to_string();
        changes.push(FindingChange {
            id: id.clone(),
            clause: str_at(finding, "clause").to_string(),
            because: context.because(&incident),
            incident,
            change,
            before: bs,
            after: a_s,
        });
    }
    changes
}

fn step_changes(from: &Value, to: &Value, findings: &[FindingChange]) -> Vec<StepChange> {
    let changed_incidents: BTreeSet<&str> = findings.iter().map(|f| f.incident.as_str()).collect();
    let mut changes = Vec::new();
    let before = by_id(from, "steps");
    let after = by_id(to, "steps");
    let ids: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for id in ids {
        let (b, a) = (before.get(id).copied(), after.get(id).copied());
        let (bs, a_s) = (b.map(step_state), a.map(step_state));
        let conditions_same = b.map(condition_counts) == a.map(condition_counts);
        if bs == a_s && conditions_same {
            continue;
        }
        let step = a.or(b).unwrap_or(&Value::Null);
        let mut because = Vec::new();
        if let (Some(b), Some(a)) = (b, a) {
            let (cb, ca) = (list(b, "conditions"), list(a, "conditions"));
            for (n, (x, y)) in cb.iter().zip(ca).enumerate() {
                for bound in ["on_certain", "with_possible"] {
                    let count = |c: &Value| c.get(bound).and_then(|o| o.get("count")).cloned();
                    let (p, q) = (count(x), count(y));
                    if p != q {
                        because.push(format!(
                            "condition {} ({}): counted {} → {} {}",
                            n + 1,
                            str_at(y, "description"),
                            p.unwrap_or(Value::Null),
                            q.unwrap_or(Value::Null),
                            if bound == "on_certain" {
                                "on certain evidence"
                            } else {
                                "with possible evidence"
                            }
                        ));
                    }
                }
                let incidents = |c: &Value| -> BTreeSet<String> {
                    ["on_certain", "with_possible"]
                        .iter()
                        .flat_map(|bound| {
                            c.get(*bound)
                                .map(|o| list(o, "incidents"))
                                .unwrap_or(&[])
                                .iter()
                                .filter_map(Value::as_str)
                                .map(str::to_string)
                        })
                        .collect()
                };
                let touched: Vec<String> = incidents(x)
                    .union(&incidents(y))
                    .filter(|i| changed_incidents.contains(i.as_str()))
                    .cloned()
                    .collect();
                if !touched.is_empty() {
                    because.push(format!(
                        "condition {}: findings changed on incident(s) {}",
                        n + 1,
                        touched.join(", ")
                    ));
                }
            }
            let required: Vec<&str> = list(a, "requires")
                .iter()
                .filter_map(Value::as_str)
                .collect();
            for dependency in required {
                let (x, y) = (before.get(dependency), after.get(dependency));
                if x.map(|s| step_state(s)) != y.map(|s| step_state(s)) {
                    because.push(format!("it requires step {dependency}, which changed"));
                }
            }
        }
        if because.is_empty() && b.is_some() && a.is_some() {
            because.push("its window or the as-of day changed".into());
        }
        changes.push(StepChange {
            id: id.clone(),
            name: str_at(step, "name").to_string(),
            before: bs,
            after: a_s,
            because,
        });
    }
    // The same steps under each bracket alternative.
    let alternatives = |result: &Value| -> BTreeMap<String, (String, StepState)> {
        let mut out = BTreeMap::new();
        for bracket in list(result, "brackets") {
            for alternative in list(bracket, "alternatives") {
                for step in list(alternative, "steps") {
                    let key = format!(
                        "{} (if {} = {})",
                        str_at(step, "id"),
                        str_at(bracket, "id"),
                        str_at(alternative, "value")
                    );
                    out.insert(
                        key,
                        (
                            str_at(step, "id").to_string(),
                            StepState {
                                status: str_at(step, "status").to_string(),
                                met_on: step
                                    .get("met_on")
                                    .and_then(Value::as_str)
                                    .map(str::to_string),
                                on_certain: String::new(),
                                with_possible: String::new(),
                            },
                        ),
                    );
                }
            }
        }
        out
    };
    let (before_alternatives, after_alternatives) = (alternatives(from), alternatives(to));
    let keys: BTreeSet<&String> = before_alternatives
        .keys()
        .chain(after_alternatives.keys())
        .collect();
    for key in keys {
        let (b, a) = (before_alternatives.get(key), after_alternatives.get(key));
        if b.map(|x| &x.1) == a.map(|x| &x.1) {
            continue;
        }
        let step = a.or(b).map(|x| x.0.clone()).unwrap_or_default();
        let name = after
            .get(&step)
            .or(before.get(&step))
            .map(|s| str_at(s, "name").to_string())
            .unwrap_or_default();
        changes.push(StepChange {
            id: key.clone(),
            name,
            before: b.map(|x| x.1.clone()),
            after: a.map(|x| x.1.clone()),
            because: vec!["the findings it counts changed under this alternative".into()],
        });
    }
    changes
}

fn condition_counts(step: &Value) -> Vec<(Option<Value>, Option<Value>)> {
    list(step, "conditions")
        .iter()
        .map(|c| {
            let count = |bound: &str| c.get(bound).and_then(|o| o.get("count")).cloned();
            (count("on_certain"), count("with_possible"))
        })
        .collect()
}

fn entitlement_changes(from: &Value, to: &Value) -> Vec<EntitlementChange> {
    let before = by_id(from, "entitlements");
    let after = by_id(to, "entitlements");
    let ids: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    ids.into_iter()
        .filter_map(|id| {
            let releasable =
                |e: Option<&&Value>| e.and_then(|e| e.get("releasable")).and_then(Value::as_bool);
            let (b, a) = (releasable(before.get(id)), releasable(after.get(id)));
            (b != a).then(|| EntitlementChange {
                id: id.clone(),
                before_releasable: b,
                after_releasable: a,
                reason: after
                    .get(id)
                    .or(before.get(id))
                    .map(|e| str_at(e, "reason").to_string())
                    .unwrap_or_default(),
            })
        })
        .collect()
}

fn tally_changes(from: &Value, to: &Value) -> Vec<TallyChange> {
    let mut changes = Vec::new();
    for (by, key) in [
        ("party", "violations_by_party"),
        ("clause", "violations_by_clause"),
    ] {
        let counts = |result: &Value| -> BTreeMap<String, (u64, u64)> {
            list(result, key)
                .iter()
                .map(|t| {
                    let n = |k: &str| t.get(k).and_then(Value::as_u64).unwrap_or(0);
                    (
                        str_at(t, "id").to_string(),
                        (n("certain"), n("certain_or_possible")),
                    )
                })
                .collect()
        };
        let (before, after) = (counts(from), counts(to));
        let ids: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        for id in ids {
            let (b, a) = (
                before.get(id).copied().unwrap_or((0, 0)),
                after.get(id).copied().unwrap_or((0, 0)),
            );
            if b != a {
                changes.push(TallyChange {
                    by,
                    id: id.clone(),
                    before: b,
                    after: a,
                });
            }
        }
    }
    changes
}

/// The diff as pretty JSON (`truce-diff/1`), with a trailing newline.
pub fn render_json(diff: &Diff) -> String {
    match serde_json::to_string_pretty(diff) {
        Ok(mut text) => {
            text.push('\n');
            text
        }
        Err(e) => format!("{{\"error\": \"cannot serialize the diff: {e}\"}}\n"),
    }
}

fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

fn finding_state_text(state: &Option<FindingState>) -> String {
    match state {
        None => "none".into(),
        Some(s) => {
            let mut text = format!("{}, {}", s.verdict, s.certainty);
            if let Some(party) = &s.party {
                let _ = write!(text, ", party {party}");
            }
            text
        }
    }
}

fn step_state_text(state: &Option<StepState>) -> String {
    match state {
        None => "absent".into(),
        Some(s) => {
            let mut text = s.status.replace('-', " ");
            if let Some(day) = &s.met_on {
                let _ = write!(text, " on {day}");
            }
            if !s.on_certain.is_empty() && s.on_certain != s.with_possible {
                let _ = write!(
                    text,
                    " ({} on certain evidence, {} with possible)",
                    s.on_certain.replace('-', " "),
                    s.with_possible.replace('-', " ")
                );
            }
            text
        }
    }
}

/// The diff for people: what the runs read, then what changed in the evidence,
/// the tallies, the findings, the steps and the entitlements, each with why.
pub fn render_text(diff: &Diff) -> String {
    let mut out = String::new();
    let run = |r: &RunRef| format!("check run {} ({})", r.id, r.started);
    let _ = writeln!(out, "{} → {}", run(&diff.from), run(&diff.to));
    if diff.agreement_changed {
        let _ = writeln!(
            out,
            "  agreement: {} {} → {} {}",
            diff.from.agreement,
            short(&diff.from.agreement_sha256),
            diff.to.agreement,
            short(&diff.to.agreement_sha256)
        );
    } else {
        let _ = writeln!(
            out,
            "  agreement: {} {} (same in both)",
            diff.to.agreement,
            short(&diff.to.agreement_sha256)
        );
    }
    if diff.as_of.0 == diff.as_of.1 {
        let _ = writeln!(out, "  as of: {} (same in both)", diff.as_of.1);
    } else {
        let _ = writeln!(out, "  as of: {} → {}", diff.as_of.0, diff.as_of.1);
    }
    let count =
        |kind: EvidenceChangeKind| diff.evidence.iter().filter(|e| e.change == kind).count();
    let _ = writeln!(
        out,
        "  evidence: {} → {} reports; {} added, {} revised, {} withdrawn in the store",
        diff.from.reports,
        diff.to.reports,
        count(EvidenceChangeKind::Added),
        count(EvidenceChangeKind::Revised),
        count(EvidenceChangeKind::Deleted)
    );
    for change in diff.evidence.iter().take(MAX_LISTED) {
        let _ = writeln!(out, "    {}", describe_evidence(change));
    }
    if diff.evidence.len() > MAX_LISTED {
        let _ = writeln!(
            out,
            "    … and {} more (--format json lists them all)",
            diff.evidence.len() - MAX_LISTED
        );
    }
    for id in &diff.kept_apart_added {
        let _ = writeln!(out, "  analyst's decision {id}: new");
    }
    for id in &diff.kept_apart_withdrawn {
        let _ = writeln!(out, "  analyst's decision {id}: withdrawn");
    }
    for file in &diff.files_changed {
        let _ = writeln!(out, "  events file beside the store differs: {file}");
    }
    if diff.same_outcome() {
        let _ = writeln!(
            out,
            "\nSame outcome: no finding, step, entitlement or tally differs."
        );
        return out;
    }
    if !diff.tallies.is_empty() {
        let _ = writeln!(out, "\nViolations (certain / with possible)");
        for t in &diff.tallies {
            let _ = writeln!(
                out,
                "  {} {}: {} / {} → {} / {}",
                t.by, t.id, t.before.0, t.before.1, t.after.0, t.after.1
            );
        }
    }
    if !diff.findings.is_empty() {
        let n = |c: Change| diff.findings.iter().filter(|f| f.change == c).count();
        let _ = writeln!(
            out,
            "\nFindings: {} new, {} gone, {} changed",
            n(Change::New),
            n(Change::Gone),
            n(Change::Changed)
        );
        for f in diff.findings.iter().take(MAX_LISTED) {
            let _ = writeln!(
                out,
                "  {:<7} {}: {} → {}",
                f.change.label(),
                f.id,
                finding_state_text(&f.before),
                finding_state_text(&f.after)
            );
            for reason in &f.because {
                let _ = writeln!(out, "          because {reason}");
            }
        }
        if diff.findings.len() > MAX_LISTED {
            let _ = writeln!(
                out,
                "  … and {} more (--format json lists them all)",
                diff.findings.len() - MAX_LISTED
            );
        }
    }
    if !diff.steps.is_empty() {
        let _ = writeln!(out, "\nSteps");
        for s in &diff.steps {
            let _ = writeln!(
                out,
                "  {} \"{}\": {} → {}",
                s.id,
                s.name,
                step_state_text(&s.before),
                step_state_text(&s.after)
            );
            for reason in &s.because {
                let _ = writeln!(out, "      because {reason}");
            }
        }
    }
    if !diff.entitlements.is_empty() {
        let _ = writeln!(out, "\nEntitlements");
        let state = |r: Option<bool>| match r {
            Some(true) => "releasable",
            Some(false) => "not releasable",
            None => "absent",
        };
        for e in &diff.entitlements {
            let _ = writeln!(
                out,
                "  {}: {} → {} ({})",
                e.id,
                state(e.before_releasable),
                state(e.after_releasable),
                e.reason
            );
        }
    }
    out
}
