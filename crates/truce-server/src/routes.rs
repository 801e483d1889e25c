//! The routes of the API. Each handler says which roles may call it (through
//! [`Caller::require`]) and which view of the evidence it answers from
//! ([`Caller::view`]); `tests/server.rs` holds the matrix of every route × every
//! role, built from the OpenAPI document, so a route added here without a line
//! there fails the tests.

use crate::auth::{Caller, Role, View};
use crate::error::{ApiError, ApiResult, ErrorBody, ErrorCode};
use crate::language::Reader;
use crate::state::{AppState, Snapshot};
use crate::terms::StepStatusWire;
use crate::wire::{
    Disclose, FindingWire, IncidentDetail, IncidentWire, Point, ReportWire, Withheld, finding_wire,
    incident_wire,
};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::sync::Arc;
use truce_model::message::{Arg, Joiner, Message};
use truce_words::render;
use utoipa::{IntoParams, ToSchema};

type AppStateRef = State<Arc<AppState>>;

/// Runs store work off the async threads.
async fn blocking<T: Send + 'static>(
    state: &Arc<AppState>,
    work: impl FnOnce(&AppState) -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    let state = state.clone();
    tokio::task::spawn_blocking(move || work(&state)).await?
}

// ------------------------------------------------------------- operations

/// The server's health.
#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
    /// The snapshot of the evidence answers come from.
    pub generation: u64,
    /// True while a newer snapshot is being made.
    pub refreshing: bool,
}

/// Is the server up?
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "the server is up", body = Health)))]
pub async fn healthz(State(state): AppStateRef) -> Json<Health> {
    Json(Health {
        status: "ok",
        generation: state.snapshots().staff.generation,
        refreshing: state.is_dirty(),
    })
}

/// Counters in the Prometheus text format (mission admins).
#[utoipa::path(get, path = "/metrics", tag = "operations",
    security(("bearer" = [])),
    responses((status = 200, description = "Prometheus text exposition format", body = String, content_type = "text/plain"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn metrics(State(state): AppStateRef, caller: Caller) -> ApiResult<Response> {
    caller.require(&[Role::MissionAdmin])?;
    let snapshots = state.snapshots();
    let mut out = String::new();
    out.push_str("# HELP truce_http_requests_total Requests answered, by route and status.\n");
    out.push_str("# TYPE truce_http_requests_total counter\n");
    if let Ok(requests) = state.metrics.requests.lock() {
        let mut lines: Vec<_> = requests.iter().collect();
        lines.sort();
        for ((route, status), count) in lines {
            out.push_str(&format!(
                "truce_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {count}\n"
            ));
        }
    }
    let counter = |out: &mut String, name: &str, help: &str, value: u64| {
        out.push_str(&format!(
            "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n"
        ));
    };
    use std::sync::atomic::Ordering::Relaxed;
    counter(
        &mut out,
        "truce_monitor_reports_stored_total",
        "Monitors' reports stored.",
        state.metrics.reports_stored.load(Relaxed),
    );
    counter(
        &mut out,
        "truce_monitor_reports_repeated_total",
        "Submissions repeated under the same idempotency key (stored once).",
        state.metrics.reports_repeated.load(Relaxed),
    );
    counter(
        &mut out,
        "truce_snapshots_total",
        "Checks of the evidence made.",
        state.metrics.snapshots_made.load(Relaxed),
    );
    let seconds = state
        .metrics
        .last_snapshot_seconds
        .lock()
        .map(|s| *s)
        .unwrap_or(0.0);
    out.push_str(&format!(
        "# HELP truce_snapshot_seconds How long the last check took.\n# TYPE truce_snapshot_seconds gauge\ntruce_snapshot_seconds {seconds}\n"
    ));
    out.push_str(&format!(
        "# HELP truce_reports Current reports in the last check.\n# TYPE truce_reports gauge\ntruce_reports {}\n",
        snapshots.staff.reports.len()
    ));
    out.push_str(&format!(
        "# HELP truce_findings Findings of the last check.\n# TYPE truce_findings gauge\ntruce_findings {}\n",
        snapshots.staff.result.findings.len()
    ));
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response())
}

/// Who the caller is.
#[derive(Serialize, ToSchema)]
pub struct Me {
    pub name: String,
    pub role: Role,
    pub party: Option<String>,
}

/// The caller's own user.
#[utoipa::path(get, path = "/api/v1/me", tag = "users",
    security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn me(caller: Caller) -> ApiResult<Json<Me>> {
    let p = caller.require(&Role::ALL)?;
    Ok(Json(Me {
        name: p.name.clone(),
        role: p.role,
        party: p.party.clone(),
    }))
}

// --------------------------------------------------------------- agreement

/// A clause as written.
#[derive(Serialize, ToSchema)]
pub struct ClauseWire {
    pub id: String,
    pub text: String,
    pub bracket: Option<String>,
}

/// A party to the agreement.
#[derive(Serialize, ToSchema)]
pub struct PartyWire {
    pub id: String,
    pub name: String,
}

/// A kind of event in the agreement's tree, for choosing one and those under it.
#[derive(Serialize, ToSchema)]
pub struct KindWire {
    pub id: String,
    pub label: String,
    /// The kind it is under; absent for the root.
    pub parent: Option<String>,
    /// How deep it is in the tree (the root is 0).
    pub depth: usize,
}

/// A zone of the agreement.
#[derive(Serialize, ToSchema)]
pub struct ZoneWire {
    pub id: String,
    pub name: String,
}

/// The agreement the mission verifies.
#[derive(Serialize, ToSchema)]
pub struct AgreementWire {
    pub id: String,
    pub title: String,
    /// The sha256 of its canonical text (its version).
    pub sha256: String,
    pub parties: Vec<PartyWire>,
    pub clauses: Vec<ClauseWire>,
    /// The kinds of event it knows, parents before their children.
    pub kinds: Vec<KindWire>,
    pub zones: Vec<ZoneWire>,
    /// The whole file (not shown to the public: it places protected sites exactly).
    pub text: Option<String>,
}

/// The agreement: its clauses for everyone, its text for the mission and the parties.
#[utoipa::path(get, path = "/api/v1/agreement", tag = "agreement",
    security((), ("bearer" = [])),
    responses((status = 200, body = AgreementWire), (status = 401, body = ErrorBody)))]
pub async fn agreement(
    State(state): AppStateRef,
    caller: Caller,
) -> ApiResult<Json<AgreementWire>> {
    let mission = state.mission();
    let snapshot = state.snapshots().staff.clone();
    let text = match caller.view() {
        View::Staff | View::Party(_) => Some(mission.source.clone()),
        View::Public => None,
    };
    Ok(Json(AgreementWire {
        id: mission.agreement.id.clone(),
        title: mission.agreement.title.clone(),
        sha256: mission.sha256.clone(),
        parties: mission
            .agreement
            .parties
            .iter()
            .map(|p| PartyWire {
                id: p.id.clone(),
                name: p.name.clone(),
            })
            .collect(),
        clauses: snapshot
            .result
            .agreement
            .clauses
            .iter()
            .map(|c| ClauseWire {
                id: c.id.clone(),
                text: c.text.clone(),
                bracket: c.bracket.clone(),
            })
            .collect(),
        kinds: kind_tree(&mission.agreement.taxonomy),
        zones: mission
            .agreement
            .zones
            .iter()
            .map(|z| ZoneWire {
                id: z.id.clone(),
                name: z.name.clone(),
            })
            .collect(),
        text,
    }))
}

/// The kinds of `taxonomy`, parents first, each with its depth.
fn kind_tree(taxonomy: &truce_model::kind::Taxonomy) -> Vec<KindWire> {
    taxonomy
        .iter()
        .map(|(index, info)| KindWire {
            id: info.id.clone(),
            label: info.label.clone(),
            parent: info.parent.map(|p| taxonomy.id(p).to_string()),
            depth: taxonomy.path(index).len().saturating_sub(1),
        })
        .collect()
}

/// A recorded version of the agreement.
#[derive(Serialize, ToSchema)]
pub struct VersionWire {
    pub sha256: String,
    pub recorded: String,
}

/// Every recorded version of the agreement, oldest first (the mission and the parties).
#[utoipa::path(get, path = "/api/v1/agreement/versions", tag = "agreement",
    security(("bearer" = [])),
    responses((status = 200, body = [VersionWire]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn agreement_versions(
    State(state): AppStateRef,
    caller: Caller,
) -> ApiResult<Json<Vec<VersionWire>>> {
    caller.require(&[Role::MissionAdmin, Role::Analyst, Role::PartyLiaison])?;
    let versions = blocking(&state, |state| {
        Ok(state.store()?.agreement_versions(&state.mission().name)?)
    })
    .await?;
    Ok(Json(
        versions
            .into_iter()
            .map(|(sha256, _, recorded)| VersionWire { sha256, recorded })
            .collect(),
    ))
}

/// The outcome of a step under one alternative of a bracket.
#[derive(Serialize, ToSchema)]
pub struct StepBriefWire {
    pub id: String,
    pub status: StepStatusWire,
    pub met_on: Option<String>,
    pub summary: String,
}

/// One alternative of a bracketed term, with the steps' outcomes under it.
#[derive(Serialize, ToSchema)]
pub struct AlternativeWire {
    pub value: String,
    pub working: bool,
    pub steps: Vec<StepBriefWire>,
    pub violations_certain: u64,
    pub violations_certain_or_possible: u64,
}

/// A term still disputed, its alternatives side by side.
#[derive(Serialize, ToSchema)]
pub struct BracketWire {
    pub id: String,
    pub text: String,
    pub resolved: Option<String>,
    pub alternatives: Vec<AlternativeWire>,
}

/// The snapshot a caller's view reads.
fn snapshot_for(state: &AppState, view: &View) -> Arc<Snapshot> {
    let snapshots = state.snapshots();
    match view {
        View::Staff => snapshots.staff.clone(),
        View::Party(_) | View::Public => snapshots.public.clone(),
    }
}

/// The brackets and how each alternative would turn out.
#[utoipa::path(get, path = "/api/v1/brackets", tag = "agreement",
    security((), ("bearer" = [])),
    responses((status = 200, body = [BracketWire]), (status = 401, body = ErrorBody)))]
pub async fn brackets(
    State(state): AppStateRef,
    caller: Caller,
    Reader(language): Reader,
) -> ApiResult<Json<Vec<BracketWire>>> {
    let snapshot = snapshot_for(&state, &caller.view());
    Ok(Json(
        snapshot
            .result
            .brackets
            .iter()
            .map(|b| BracketWire {
                id: b.id.clone(),
                text: b.text.clone(),
                resolved: b.resolved.clone(),
                alternatives: b
                    .alternatives
                    .iter()
                    .map(|a| AlternativeWire {
                        value: a.value.clone(),
                        working: a.working,
                        steps: a
                            .steps
                            .iter()
                            .map(|s| StepBriefWire {
                                id: s.id.clone(),
                                status: StepStatusWire::from(s.status),
                                met_on: s.met_on.map(|d| d.to_string()),
                                summary: render(&s.summary, language),
                            })
                            .collect(),
                        violations_certain: a.violations.certain,
                        violations_certain_or_possible: a.violations.certain_or_possible,
                    })
                    .collect(),
            })
            .collect(),
    ))
}

// ------------------------------------------------------------------ steps

/// A condition of a step, on both bounds of the evidence.
#[derive(Serialize, ToSchema)]
pub struct ConditionWire {
    pub description: String,
    pub status_on_certain: StepStatusWire,
    pub status_with_possible: StepStatusWire,
    pub detail_on_certain: String,
    pub detail_with_possible: String,
    pub count_on_certain: u64,
    pub count_with_possible: u64,
    /// Incidents behind the outcome (at most 50), as the caller may name them.
    pub incidents: Vec<String>,
}

/// One step of the agreement and its outcome.
#[derive(Serialize, ToSchema)]
pub struct StepWire {
    pub id: String,
    pub name: String,
    pub status: StepStatusWire,
    pub met_on: Option<String>,
    pub summary: String,
    pub window_first: Option<String>,
    pub window_last: Option<String>,
    pub requires: Vec<String>,
    pub status_on_certain: StepStatusWire,
    pub status_with_possible: StepStatusWire,
    pub conditions: Vec<ConditionWire>,
    /// The entitlements this step gates.
    pub gates: Vec<String>,
}

/// The steps board.
#[derive(Serialize, ToSchema)]
pub struct StepsBoard {
    pub as_of: String,
    pub generation: u64,
    pub steps: Vec<StepWire>,
}

/// Each step with its status, numbers, met date or reason, and what it gates.
#[utoipa::path(get, path = "/api/v1/steps", tag = "steps",
    security((), ("bearer" = [])),
    responses((status = 200, body = StepsBoard), (status = 401, body = ErrorBody)))]
pub async fn steps(
    State(state): AppStateRef,
    caller: Caller,
    Reader(language): Reader,
) -> ApiResult<Json<StepsBoard>> {
    let view = caller.view();
    let snapshot = snapshot_for(&state, &view);
    let disclose = disclose_for(&state, &view);
    let result = &snapshot.result;
    Ok(Json(StepsBoard {
        as_of: result.as_of.to_string(),
        generation: snapshot.generation,
        steps: result
            .steps
            .iter()
            .map(|s| StepWire {
                id: s.id.clone(),
                name: s.name.clone(),
                status: StepStatusWire::from(s.status),
                met_on: s.met_on.map(|d| d.to_string()),
                summary: render(&s.summary, language),
                window_first: s.window_first.map(|d| d.to_string()),
                window_last: s.window_last.map(|d| d.to_string()),
                requires: s.requires.clone(),
                status_on_certain: StepStatusWire::from(s.on_certain.status),
                status_with_possible: StepStatusWire::from(s.with_possible.status),
                conditions: s
                    .conditions
                    .iter()
                    .map(|c| ConditionWire {
                        description: render(&c.description, language),
                        status_on_certain: StepStatusWire::from(c.on_certain.status),
                        status_with_possible: StepStatusWire::from(c.with_possible.status),
                        detail_on_certain: render(&c.on_certain.detail, language),
                        detail_with_possible: render(&c.with_possible.detail, language),
                        count_on_certain: c.on_certain.count,
                        count_with_possible: c.with_possible.count,
                        incidents: c
                            .with_possible
                            .incidents
                            .iter()
                            .map(|id| disclose.incident_id(id))
                            .collect(),
                    })
                    .collect(),
                gates: result
                    .entitlements
                    .iter()
                    .filter(|e| e.step == s.id)
                    .map(|e| e.id.clone())
                    .collect(),
            })
            .collect(),
    }))
}

fn disclose_for<'a>(state: &'a AppState, view: &View) -> Disclose<'a> {
    match view {
        View::Staff => Disclose::Full,
        _ => Disclose::Public(&state.settings.public, &state.public_id_key),
    }
}

// ------------------------------------------------------- findings, incidents

/// Filters and paging of findings and incidents.
#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct EvidenceQuery {
    /// Only those on or after this day (YYYY-MM-DD).
    pub from: Option<String>,
    /// Only those on or before this day (YYYY-MM-DD).
    pub to: Option<String>,
    /// Only findings whose responsible party is this one (incidents: with such a finding).
    pub party: Option<String>,
    /// Only findings under this clause.
    pub clause: Option<String>,
    /// Only incidents of this kind (or a kind under it).
    pub kind: Option<String>,
    /// Only incidents certainly in this zone.
    pub zone: Option<String>,
    /// `single-source`, `corroborated` or `contested`.
    pub grade: Option<String>,
    /// `certain` or `possible`: with `party`, whether that party is certainly
    /// responsible; without, whether the clause was certainly broken, whoever did it.
    pub certainty: Option<String>,
    /// `true`: only incidents every report of which was read from news text or
    /// posts; `false`: only those a dataset or a monitor has too.
    pub text_only: Option<bool>,
    /// Where the previous page ended (`next_cursor`).
    pub cursor: Option<String>,
    /// Items per page (1–1000, default 100).
    pub limit: Option<u32>,
}

struct Filter {
    from: Option<truce_model::time::Day>,
    to: Option<truce_model::time::Day>,
    query: EvidenceQuery,
    /// `kind`, found in the agreement's kind tree.
    kind: Option<truce_model::kind::KindIndex>,
    /// The agreement's kind tree, to tell a kind under `kind` (shared, not copied).
    mission: Arc<crate::state::MissionAgreement>,
    limit: usize,
    after: Option<String>,
}

/// `value` is one of `allowed`, or the answer is a 400 that lists them: an unknown
/// value never silently gives an empty or a whole list.
fn one_of<'a>(
    name: &str,
    value: Option<&str>,
    allowed: impl Iterator<Item = &'a str>,
) -> ApiResult<()> {
    let Some(value) = value else {
        return Ok(());
    };
    let allowed: Vec<&str> = allowed.collect();
    if allowed.contains(&value) {
        return Ok(());
    }
    Err(ApiError::bad_request(
        Message::new("api-parameter-one-of")
            .with("parameter", Arg::code(name))
            .with("value", Arg::code(value))
            .with(
                "allowed",
                Arg::list(allowed.into_iter().map(Arg::from).collect(), Joiner::Comma),
            ),
    ))
}

fn parse_day(name: &str, text: &Option<String>) -> ApiResult<Option<truce_model::time::Day>> {
    text.as_deref()
        .map(|t| {
            truce_model::time::Day::parse_iso(t).ok_or_else(|| {
                ApiError::bad_request(
                    Message::new("api-parameter-date")
                        .with("parameter", Arg::code(name))
                        .with("value", Arg::code(t))
                        .with("form", "YYYY-MM-DD"),
                )
            })
        })
        .transpose()
}

fn decode_cursor(cursor: &Option<String>) -> ApiResult<Option<String>> {
    use base64::Engine;
    cursor
        .as_deref()
        .map(|c| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(c)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .ok_or_else(|| ApiError::of(ErrorCode::BadCursor, Message::new("api-bad-cursor")))
        })
        .transpose()
}

fn encode_cursor(id: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(id.as_bytes())
}

/// The `limit` of a page of a list: 1 to 1,000 items, 100 when not given.
pub(crate) fn page_limit(limit: Option<u32>) -> ApiResult<u32> {
    let limit = limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::bad_request(
            Message::new("api-limit-thousand")
                .with("parameter", Arg::code("limit"))
                .with("limit", Arg::number(limit)),
        ));
    }
    Ok(limit)
}

impl Filter {
    /// Reads and checks the query against the agreement the mission verifies:
    /// every named party, clause, zone and kind must be one of its own.
    fn new(query: EvidenceQuery, state: &AppState) -> ApiResult<Filter> {
        let from = parse_day("from", &query.from)?;
        let to = parse_day("to", &query.to)?;
        let limit = page_limit(query.limit)?;
        one_of(
            "grade",
            query.grade.as_deref(),
            ["single-source", "corroborated", "contested"].into_iter(),
        )?;
        one_of(
            "certainty",
            query.certainty.as_deref(),
            ["certain", "possible"].into_iter(),
        )?;
        let mission = state.mission();
        let agreement = &mission.agreement;
        one_of(
            "party",
            query.party.as_deref(),
            agreement.parties.iter().map(|p| p.id.as_str()),
        )?;
        one_of(
            "clause",
            query.clause.as_deref(),
            agreement.clauses.iter().map(|c| c.id.as_str()),
        )?;
        one_of(
            "zone",
            query.zone.as_deref(),
            agreement.zones.iter().map(|z| z.id.as_str()),
        )?;
        let kind = match query.kind.as_deref() {
            None => None,
            Some(kind) => {
                let taxonomy = &agreement.taxonomy;
                one_of(
                    "kind",
                    Some(kind),
                    taxonomy.iter().map(|(i, _)| taxonomy.id(i)),
                )?;
                taxonomy.find(kind)
            }
        };
        let after = decode_cursor(&query.cursor)?;
        Ok(Filter {
            from,
            to,
            query,
            kind,
            mission,
            limit: limit as usize,
            after,
        })
    }

    fn dates(&self, span: &truce_model::time::DateSpan) -> bool {
        self.from.is_none_or(|from| span.last >= from) && self.to.is_none_or(|to| span.first <= to)
    }

    /// A finding passes on its own terms (dates, party, clause, certainty) and
    /// on its incident's (kind, zone, grade).
    fn finding(&self, snapshot: &Snapshot, f: &truce_model::finding::Finding) -> bool {
        self.finding_alone(f)
            && (self.kind.is_none()
                && self.query.zone.is_none()
                && self.query.grade.is_none()
                && self.query.text_only.is_none()
                || snapshot
                    .incident_index
                    .get(&*f.incident)
                    .is_some_and(|&i| self.incident_alone(&snapshot.result.incidents[i])))
    }

    fn finding_alone(&self, f: &truce_model::finding::Finding) -> bool {
        self.dates(&f.date)
            && self
                .query
                .party
                .as_deref()
                .is_none_or(|p| f.party.as_deref() == Some(p))
            && self.query.clause.as_deref().is_none_or(|c| &*f.clause == c)
            && self.query.certainty.as_deref().is_none_or(|c| {
                // With a party: certainly by that party; without: the clause certainly
                // broken, whoever did it (as the check's counts read it).
                let sure = if self.query.party.is_some() {
                    f.certainty
                } else {
                    f.breach
                };
                sure.as_str() == c
            })
    }

    /// The incident's own terms: dates, kind (or a kind under it, in the
    /// agreement's kind tree), zone (certainly in it) and grade.
    fn incident_alone(&self, i: &truce_engine::result::IncidentSummary) -> bool {
        let taxonomy = &self.mission.agreement.taxonomy;
        self.dates(&i.date)
            && self.kind.is_none_or(|wanted| {
                taxonomy
                    .find(&i.kind)
                    .is_some_and(|kind| taxonomy.is_within(kind, wanted))
            })
            && self
                .query
                .zone
                .as_deref()
                .is_none_or(|z| i.zones.iter().any(|x| x == z))
            && self
                .query
                .grade
                .as_deref()
                .is_none_or(|g| truce_report::grade_word(i.grade) == g)
            && self.query.text_only.is_none_or(|t| i.text_only == t)
    }

    /// An incident passes on its own terms and, when a finding's term is
    /// given, with at least one finding that passes.
    fn incident(&self, snapshot: &Snapshot, i: &truce_engine::result::IncidentSummary) -> bool {
        self.incident_alone(i)
            && (self.query.party.is_none()
                && self.query.clause.is_none()
                && self.query.certainty.is_none()
                || snapshot.findings_of_incident.get(&i.id).is_some_and(|fs| {
                    fs.iter()
                        .any(|&f| self.finding_alone(&snapshot.result.findings[f]))
                }))
    }
}

/// A page of findings.
#[derive(Serialize, ToSchema)]
pub struct FindingPage {
    pub items: Vec<FindingWire>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
    pub generation: u64,
}

/// A page of incidents.
#[derive(Serialize, ToSchema)]
pub struct IncidentPage {
    pub items: Vec<IncidentWire>,
    pub next_cursor: Option<String>,
    pub generation: u64,
}

/// Whether a liaison sees an incident in full: when one of its findings is against
/// their party, or a party theirs guarantees.
fn full_for_party(state: &AppState, snapshot: &Snapshot, incident: &str, party: &str) -> bool {
    let agreement = &state.mission().agreement;
    snapshot
        .findings_of_incident
        .get(incident)
        .is_some_and(|fs| {
            fs.iter().any(|&f| {
                snapshot.result.findings[f]
                    .party
                    .as_deref()
                    .is_some_and(|p| agreement.answers_for(party, p))
            })
        })
}

fn disclose_incident<'a>(
    state: &'a AppState,
    view: &View,
    snapshot: &Snapshot,
    incident: &str,
) -> Disclose<'a> {
    match view {
        View::Staff => Disclose::Full,
        // Its own party's incidents in more detail, as `[liaison]` allows.
        View::Party(party) if full_for_party(state, snapshot, incident, party) => {
            Disclose::Public(&state.liaison_view, &state.public_id_key)
        }
        _ => Disclose::Public(&state.settings.public, &state.public_id_key),
    }
}

fn site_names(state: &AppState) -> Vec<String> {
    state
        .mission()
        .agreement
        .sites
        .iter()
        .map(|s| s.name.clone())
        .filter(|n| !n.is_empty())
        .collect()
}

/// Findings, ordered by id, filtered and paged; for a party's liaison in full on
/// the findings against its party, as published otherwise.
#[utoipa::path(get, path = "/api/v1/findings", tag = "findings",
    security((), ("bearer" = [])),
    params(EvidenceQuery),
    responses((status = 200, body = FindingPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn findings(
    State(state): AppStateRef,
    caller: Caller,
    Reader(language): Reader,
    Query(query): Query<EvidenceQuery>,
) -> ApiResult<Json<FindingPage>> {
    let filter = Filter::new(query, &state)?;
    let view = caller.view();
    let snapshot = snapshot_for(&state, &view);
    let names = site_names(&state);
    let withheld = Withheld { site_names: &names };
    let findings = &snapshot.result.findings;
    // Pages follow the ids the caller sees (opaque ones for the public), so the
    // order is by the staff's ids and the cursor names the last one served.
    let start = match &filter.after {
        Some(after) => snapshot
            .findings_by_id
            .partition_point(|&i| *findings[i].id <= **after),
        None => 0,
    };
    let mut items = Vec::new();
    let mut last = None;
    let mut more = false;
    for &i in &snapshot.findings_by_id[start..] {
        let f = &findings[i];
        if !filter.finding(&snapshot, f) {
            continue;
        }
        if items.len() == filter.limit {
            more = true;
            break;
        }
        let disclose = disclose_incident(&state, &view, &snapshot, &f.incident);
        items.push(finding_wire(f, disclose, &withheld, language));
        last = Some(f.id.clone());
    }
    Ok(Json(FindingPage {
        items,
        next_cursor: last.filter(|_| more).map(|id| encode_cursor(&id)),
        generation: snapshot.generation,
    }))
}

/// Incidents with at least one finding, ordered by id, filtered and paged.
#[utoipa::path(get, path = "/api/v1/incidents", tag = "incidents",
    security((), ("bearer" = [])),
    params(EvidenceQuery),
    responses((status = 200, body = IncidentPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn incidents(
    State(state): AppStateRef,
    caller: Caller,
    Query(query): Query<EvidenceQuery>,
) -> ApiResult<Json<IncidentPage>> {
    let filter = Filter::new(query, &state)?;
    let view = caller.view();
    let snapshot = snapshot_for(&state, &view);
    let list = &snapshot.result.incidents;
    let start = match &filter.after {
        Some(after) => snapshot
            .incidents_by_id
            .partition_point(|&i| list[i].id.as_str() <= after.as_str()),
        None => 0,
    };
    let mut items = Vec::new();
    let mut last = None;
    let mut more = false;
    for &i in &snapshot.incidents_by_id[start..] {
        let incident = &list[i];
        if !filter.incident(&snapshot, incident) {
            continue;
        }
        if items.len() == filter.limit {
            more = true;
            break;
        }
        let disclose = disclose_incident(&state, &view, &snapshot, &incident.id);
        items.push(incident_wire(&snapshot, incident, disclose));
        last = Some(incident.id.clone());
    }
    Ok(Json(IncidentPage {
        items,
        next_cursor: last.filter(|_| more).map(|id| encode_cursor(&id)),
        generation: snapshot.generation,
    }))
}

/// Finds an incident by the id the caller was shown.
fn find_incident(state: &AppState, view: &View, snapshot: &Snapshot, id: &str) -> Option<usize> {
    if let Some(&i) = snapshot.incident_index.get(id) {
        // A staff id: served to whoever was shown it (staff, a liaison in full,
        // or the public when the policy shows sources).
        let incident = &snapshot.result.incidents[i];
        let disclose = disclose_incident(state, view, snapshot, &incident.id);
        if disclose.incident_id(&incident.id) == id {
            return Some(i);
        }
    }
    if id.starts_with("incident-") {
        return snapshot.result.incidents.iter().position(|incident| {
            let disclose = disclose_incident(state, view, snapshot, &incident.id);
            disclose.incident_id(&incident.id) == id
        });
    }
    None
}

/// One incident with its findings (each with its reason chain) and, where the
/// caller may see them, the reports behind it.
#[utoipa::path(get, path = "/api/v1/incidents/{id}", tag = "incidents",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "the incident's id as listed")),
    responses((status = 200, body = IncidentDetail), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn incident(
    State(state): AppStateRef,
    caller: Caller,
    Reader(language): Reader,
    Path(id): Path<String>,
) -> ApiResult<Json<IncidentDetail>> {
    let view = caller.view();
    let snapshot = snapshot_for(&state, &view);
    let i = find_incident(&state, &view, &snapshot, &id).ok_or_else(|| {
        ApiError::not_found(Message::new("api-no-incident").with("id", Arg::code(&id)))
    })?;
    let incident = &snapshot.result.incidents[i];
    let disclose = disclose_incident(&state, &view, &snapshot, &incident.id);
    let names = site_names(&state);
    let withheld = Withheld { site_names: &names };
    let findings = snapshot
        .findings_of_incident
        .get(&incident.id)
        .map(|fs| {
            fs.iter()
                .map(|&f| finding_wire(&snapshot.result.findings[f], disclose, &withheld, language))
                .collect()
        })
        .unwrap_or_default();
    let reports = match disclose {
        Disclose::Full => incident
            .reports
            .iter()
            .filter_map(|r| snapshot.report_index.get(r))
            .map(|&r| ReportWire::full(&snapshot.reports[r]))
            .collect(),
        Disclose::Public(..) => Vec::new(),
    };
    Ok(Json(IncidentDetail {
        incident: incident_wire(&snapshot, incident, disclose),
        findings,
        reports,
    }))
}

/// A GeoJSON feature collection of incidents.
#[derive(Serialize, ToSchema)]
pub struct FeatureCollection {
    /// `FeatureCollection`.
    #[serde(rename = "type")]
    pub kind: String,
    pub features: Vec<Feature>,
}

/// A GeoJSON feature: an incident at its (possibly coarsened) point.
#[derive(Serialize, ToSchema)]
pub struct Feature {
    /// `Feature`.
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    #[schema(value_type = Object)]
    pub geometry: Value,
    pub properties: IncidentWire,
}

/// Incidents as GeoJSON (the map), filtered like `/api/v1/incidents`, not paged
/// (`limit` up to 1,000,000, default 100,000); incidents without a point the
/// caller may see are left out.
#[utoipa::path(get, path = "/api/v1/map/incidents", tag = "incidents",
    security((), ("bearer" = [])),
    params(EvidenceQuery),
    responses((status = 200, body = FeatureCollection, content_type = "application/geo+json"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn map_incidents(
    State(state): AppStateRef,
    caller: Caller,
    Query(mut query): Query<EvidenceQuery>,
) -> ApiResult<Response> {
    let limit = query.limit.take().unwrap_or(100_000);
    if !(1..=1_000_000).contains(&limit) {
        return Err(ApiError::bad_request(
            Message::new("api-limit-million")
                .with("parameter", Arg::code("limit"))
                .with("limit", Arg::number(limit)),
        ));
    }
    let filter = Filter::new(query, &state)?;
    let view = caller.view();
    let snapshot = snapshot_for(&state, &view);
    let mut features = Vec::new();
    for &i in &snapshot.incidents_by_id {
        let incident = &snapshot.result.incidents[i];
        if features.len() == limit as usize {
            break;
        }
        if !filter.incident(&snapshot, incident) {
            continue;
        }
        let disclose = disclose_incident(&state, &view, &snapshot, &incident.id);
        let wire = incident_wire(&snapshot, incident, disclose);
        let Some(Point { lon, lat }) = wire.point else {
            continue;
        };
        features.push(Feature {
            kind: "Feature".into(),
            id: wire.id.clone(),
            geometry: json!({"type": "Point", "coordinates": [lon, lat]}),
            properties: wire,
        });
    }
    let body = serde_json::to_vec(&FeatureCollection {
        kind: "FeatureCollection".into(),
        features,
    })
    .map_err(ApiError::internal)?;
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], body).into_response())
}

/// A GeoJSON feature collection of the agreement's zones.
#[derive(Serialize, ToSchema)]
pub struct ZoneCollection {
    /// `FeatureCollection`.
    #[serde(rename = "type")]
    pub kind: String,
    #[schema(value_type = Vec<Object>)]
    pub features: Vec<Value>,
}

/// A GeoJSON `FeatureCollection` of `features`, as `application/geo+json`.
fn geojson_collection(features: Vec<Value>) -> ApiResult<Response> {
    let body = serde_json::to_vec(&ZoneCollection {
        kind: "FeatureCollection".into(),
        features,
    })
    .map_err(ApiError::internal)?;
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], body).into_response())
}

/// The agreement's zones as GeoJSON (the map's areas): each a `MultiPolygon`
/// with its id and name. Zones are part of the agreement, which every party signed.
#[utoipa::path(get, path = "/api/v1/map/zones", tag = "incidents",
    security((), ("bearer" = [])),
    responses((status = 200, body = ZoneCollection, content_type = "application/geo+json"),
        (status = 401, body = ErrorBody)))]
pub async fn map_zones(State(state): State<Arc<AppState>>, _caller: Caller) -> ApiResult<Response> {
    let mission = state.mission();
    let features: Vec<Value> = mission
        .agreement
        .zones
        .iter()
        .map(|zone| {
            let polygons: Vec<Value> = zone
                .geometry
                .0
                .iter()
                .map(|polygon| {
                    let ring = |r: &geo::LineString<f64>| -> Value {
                        Value::Array(r.0.iter().map(|c| json!([c.x, c.y])).collect())
                    };
                    let mut rings = vec![ring(polygon.exterior())];
                    rings.extend(polygon.interiors().iter().map(ring));
                    Value::Array(rings)
                })
                .collect();
            json!({
                "type": "Feature",
                "id": zone.id,
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
                "properties": {"id": zone.id, "name": zone.name},
            })
        })
        .collect();
    geojson_collection(features)
}

/// The agreement's protected sites as GeoJSON points, each with its kind, its
/// protection radius and how far its true position may be. For the mission's
/// staff and the parties' liaisons; the public's answer is empty, as the
/// disclosure policy withholds facility names and places.
#[utoipa::path(get, path = "/api/v1/map/sites", tag = "incidents",
    security((), ("bearer" = [])),
    responses((status = 200, body = ZoneCollection, content_type = "application/geo+json"),
        (status = 401, body = ErrorBody)))]
pub async fn map_sites(State(state): State<Arc<AppState>>, caller: Caller) -> ApiResult<Response> {
    let mission = state.mission();
    let features: Vec<Value> = match caller.view() {
        View::Public => Vec::new(),
        View::Staff | View::Party(_) => mission
            .agreement
            .sites
            .iter()
            .map(|site| {
                json!({
                    "type": "Feature",
                    "id": site.id,
                    "geometry": {"type": "Point", "coordinates": [site.point.lon, site.point.lat]},
                    "properties": {
                        "id": site.id,
                        "name": site.name,
                        "kind": site.kind,
                        "protection_radius_km": site.protection_radius_km,
                        "location_uncertainty_km": site.location_uncertainty_km,
                    },
                })
            })
            .collect(),
    };
    geojson_collection(features)
}

// ------------------------------------------------------------------ timeline

/// Violations on one day by one party.
#[derive(Serialize, ToSchema)]
pub struct DailyWire {
    pub day: String,
    pub party: String,
    pub certain: u64,
    pub certain_or_possible: u64,
}

/// Violations on one day, whoever did them: `certain` when the agreement was
/// certainly broken (two bound parties fought, though who fired may be unknown).
#[derive(Serialize, ToSchema)]
pub struct DailyWhoeverWire {
    pub day: String,
    pub certain: u64,
    pub certain_or_possible: u64,
}

/// One entry of the agreement's chronology.
#[derive(Serialize, ToSchema)]
pub struct ChronologyWire {
    pub day: String,
    /// `clause-in-force`, `clause-ends`, `step-window`, `step-met`, `step-ends`,
    /// `incident`; and from the ledger `agreement-version`, `bracket-resolution`,
    /// `entitlement-release`, `entitlement-suspension`, `entitlement-handover`.
    pub what: String,
    pub text: String,
}

/// One week for one party: incidents with a certain violation, and deaths in them
/// since the first week (low, best, high).
#[derive(Serialize, ToSchema)]
pub struct WeeklyWire {
    /// The week's Monday.
    pub week: String,
    pub party: String,
    pub incidents_certain: u64,
    pub cumulative_deaths_certain: [u64; 3],
}

/// The war's arithmetic over time.
#[derive(Serialize, ToSchema)]
pub struct TimelineWire {
    pub parties: Vec<String>,
    /// Incident entries are for the mission and the parties; the public reads the series.
    pub chronology: Vec<ChronologyWire>,
    pub daily: Vec<DailyWire>,
    /// Violations per day whoever did them, counted as the steps count them.
    pub daily_whoever: Vec<DailyWhoeverWire>,
    pub weekly: Vec<WeeklyWire>,
}

/// The chronology of the agreement's life and violations per day per party.
#[utoipa::path(get, path = "/api/v1/timeline", tag = "timeline",
    security((), ("bearer" = [])),
    responses((status = 200, body = TimelineWire), (status = 401, body = ErrorBody)))]
pub async fn timeline(
    State(state): AppStateRef,
    caller: Caller,
    Reader(language): Reader,
) -> ApiResult<Json<TimelineWire>> {
    let view = caller.view();
    let snapshot = snapshot_for(&state, &view);
    let mission = state.mission();
    let mut timeline = truce_engine::timeline::timeline(&mission.agreement, &snapshot.result, &[]);
    // The agreement's life as the ledger records it: versions, resolutions, releases.
    let life = tokio::task::spawn_blocking({
        let state = state.clone();
        let mission = mission.clone();
        let audience = crate::ledger::audience(&view);
        move || -> ApiResult<_> {
            let mut store = state.store()?;
            truce_mission::life::life_entries(store.as_mut(), &mission.agreement, &audience)
                .map_err(ApiError::internal)
        }
    })
    .await??;
    timeline.add_to_chronology(life);
    Ok(Json(TimelineWire {
        parties: timeline.parties,
        chronology: timeline
            .chronology
            .into_iter()
            // Incident entries name places and sources as the staff see them.
            .filter(|e| view == View::Staff || e.what != "incident")
            .map(|e| ChronologyWire {
                day: e.day.to_string(),
                what: e.what,
                text: render(&e.text, language),
            })
            .collect(),
        daily: timeline
            .daily
            .into_iter()
            .map(|d| DailyWire {
                day: d.day.to_string(),
                party: d.party,
                certain: d.certain,
                certain_or_possible: d.certain_or_possible,
            })
            .collect(),
        daily_whoever: timeline
            .daily_all
            .iter()
            .filter(|d| d.zone.is_empty())
            .map(|d| DailyWhoeverWire {
                day: d.day.to_string(),
                certain: d.certain,
                certain_or_possible: d.certain_or_possible,
            })
            .collect(),
        weekly: timeline
            .weekly
            .into_iter()
            .map(|w| WeeklyWire {
                week: w.week.to_string(),
                party: w.party,
                incidents_certain: w.totals.incidents_certain,
                cumulative_deaths_certain: w.totals.cumulative_deaths_certain,
            })
            .collect(),
    }))
}
