//! Monitors' reports: submitted once whatever the retries (an idempotency key
//! per report), validated field by field, stored with the ledger entry that
//! records them in one transaction, and kept from the parties and the public
//! until an analyst publishes them.

use crate::auth::{Caller, Role};
use crate::error::{ApiError, ApiResult, ErrorBody, ErrorCode, verbatim};
use crate::reports_wire::{MonitorReportIn, RejectIn, Submission, SubmissionPage, SubmissionWire};
use crate::state::{AppState, now};
use crate::terms::SubmissionOutcomeWire;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use truce_mission::record::{MonitorReport, Record, ReportPublished};
use truce_mission::withdraw::{Withdrawal, withdraw_report};
use truce_model::message::{Arg, Message};
use truce_store::{SubmissionFilter, Submitted};
use utoipa::IntoParams;

/// The header that names a submission.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

fn idempotency_key(headers: &HeaderMap) -> ApiResult<String> {
    let value = headers.get(IDEMPOTENCY_KEY).ok_or_else(|| {
        ApiError::bad_request(
            Message::new("api-idempotency-key-missing")
                .with("header", Arg::code("idempotency-key")),
        )
    })?;
    let key = value.to_str().unwrap_or_default().trim();
    if key.is_empty() || key.len() > 200 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::bad_request(
            Message::new("api-idempotency-key-form").with("header", Arg::code("idempotency-key")),
        ));
    }
    Ok(key.to_string())
}

/// File a report from the field. The same `idempotency-key` with the same body
/// stores nothing again (200, the first submission); with another body it is refused (409).
#[utoipa::path(post, path = "/api/v1/reports", tag = "reports",
    security(("bearer" = [])),
    params(("idempotency-key" = String, Header, description = "unique to this report, the same on every retry")),
    request_body = MonitorReportIn,
    responses((status = 201, description = "stored", body = Submission),
        (status = 200, description = "stored before under this key", body = Submission),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn submit(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Submission>)> {
    let principal = caller
        .require(&[Role::Monitor, Role::Analyst, Role::MissionAdmin])?
        .clone();
    let key = idempotency_key(&headers)?;
    // Read as JSON only when it says it is (as axum's `Json` does): a form post
    // or a `text/plain` body from another site is not a report.
    let is_json = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(ApiError::of(
            ErrorCode::UnsupportedMediaType,
            Message::new("api-report-as-json")
                .with("header", Arg::code("content-type: application/json")),
        ));
    }
    let input: MonitorReportIn = serde_json::from_slice(&body).map_err(|e| {
        ApiError::of(
            if e.is_data() {
                ErrorCode::InvalidReport
            } else {
                ErrorCode::BadRequest
            },
            Message::new("api-report-not-json").with("detail", verbatim(e)),
        )
    })?;
    let report = input.to_report(&state.mission().agreement.taxonomy)?;
    let request_sha256 = truce_mission::sha256_hex(&body);
    let actor = state.ledger_actor(&principal);
    let stored = tokio::task::spawn_blocking({
        let state = state.clone();
        move || -> ApiResult<Submitted> {
            let at = now();
            let mut store = state.store()?;
            let submitted = store.submit_monitor_report(
                principal.id,
                &key,
                &request_sha256,
                &report,
                &at,
                &mut |submission, report_sha256| {
                    let record = Record::MonitorReport(MonitorReport {
                        at: at.clone(),
                        report: format!("{}:{}", truce_store::MONITOR_SOURCE, submission.source_id),
                        report_sha256: report_sha256.to_string(),
                        by: actor.clone(),
                    });
                    truce_mission::ledger_record(&record).map_err(|e| e.to_string())
                },
            )?;
            Ok(submitted)
        }
    })
    .await??;
    let (status, submission, outcome) = match stored {
        Submitted::Stored(s) => {
            state.metrics.reports_stored.fetch_add(1, Ordering::Relaxed);
            state.evidence_changed();
            (StatusCode::CREATED, s, SubmissionOutcomeWire::Stored)
        }
        Submitted::Repeated(s) => {
            state
                .metrics
                .reports_repeated
                .fetch_add(1, Ordering::Relaxed);
            (StatusCode::OK, s, SubmissionOutcomeWire::Repeated)
        }
        Submitted::KeyReused(_) => {
            return Err(ApiError::of(
                ErrorCode::IdempotencyKeyReused,
                Message::new("api-idempotency-key-reused"),
            ));
        }
    };
    Ok((
        status,
        Json(Submission {
            id: format!("{}:{}", truce_store::MONITOR_SOURCE, submission.source_id),
            submission: submission.id,
            outcome,
            published: submission.published.is_some(),
        }),
    ))
}

/// Which submissions to list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubmissionQuery {
    /// `true`: published only; `false`: unpublished only.
    pub published: Option<bool>,
    /// Where the previous page ended (`next_cursor`).
    pub cursor: Option<i64>,
    /// Items per page (1–1000, default 100).
    pub limit: Option<u32>,
}

/// Monitors' reports: a monitor lists their own, the mission's staff all of them.
#[utoipa::path(get, path = "/api/v1/reports", tag = "reports",
    security(("bearer" = [])),
    params(SubmissionQuery),
    responses((status = 200, body = SubmissionPage), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Query(query): Query<SubmissionQuery>,
) -> ApiResult<Json<SubmissionPage>> {
    let principal = caller
        .require(&[Role::Monitor, Role::Analyst, Role::MissionAdmin])?
        .clone();
    let limit = crate::routes::page_limit(query.limit)?;
    let filter = SubmissionFilter {
        principal: (principal.role == Role::Monitor).then_some(principal.id),
        published: query.published,
        after: query.cursor,
        limit: Some(limit + 1),
    };
    let (mut rows, withdrawn) = tokio::task::spawn_blocking({
        let state = state.clone();
        move || -> ApiResult<_> {
            let mut store = state.store()?;
            let withdrawn: BTreeMap<String, (String, Option<String>)> = store
                .deletions()?
                .into_iter()
                .filter(|d| d.source == truce_store::MONITOR_SOURCE)
                .map(|d| (d.source_id, (d.recorded, d.note)))
                .collect();
            Ok((store.monitor_reports(&filter)?, withdrawn))
        }
    })
    .await??;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next_cursor = rows.last().map(|(s, _)| s.id).filter(|_| more);
    Ok(Json(SubmissionPage {
        items: rows
            .iter()
            .map(|(s, report)| {
                let withdrawal = withdrawn.get(&s.source_id);
                SubmissionWire {
                    submission: s.id,
                    id: format!("{}:{}", truce_store::MONITOR_SOURCE, s.source_id),
                    submitted: s.submitted.clone(),
                    published: s.published.clone(),
                    withdrawn: withdrawal.map(|w| w.0.clone()),
                    withdrawn_note: withdrawal.and_then(|w| w.1.clone()),
                    report: crate::wire::ReportWire::full(report),
                }
            })
            .collect(),
        next_cursor,
    }))
}

/// Submission `submission` while it waits for review: not published, not rejected.
fn pending_submission(
    store: &mut dyn truce_store::Storage,
    submission: i64,
) -> ApiResult<truce_store::MonitorSubmission> {
    let filter = SubmissionFilter {
        principal: None,
        published: Some(false),
        after: Some(submission - 1),
        limit: Some(1),
    };
    let found = store
        .monitor_reports(&filter)?
        .into_iter()
        .map(|(s, _)| s)
        .find(|s| s.id == submission);
    let Some(found) = found else {
        return Err(ApiError::not_found(
            Message::new("api-no-unpublished-submission").with("submission", verbatim(submission)),
        ));
    };
    if !store.has_report(truce_store::MONITOR_SOURCE, &found.source_id)? {
        return Err(ApiError::not_found(
            Message::new("api-submission-rejected").with("submission", verbatim(submission)),
        ));
    }
    Ok(found)
}

/// Publish a monitor's report (the mission's staff): from now on the parties'
/// and the public's findings may rest on it, as the disclosure policy shows them.
#[utoipa::path(post, path = "/api/v1/reports/{submission}/publish", tag = "reports",
    security(("bearer" = [])),
    params(("submission" = i64, Path, description = "the submission's number")),
    responses((status = 200, body = Submission), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn publish(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(submission): Path<i64>,
) -> ApiResult<Json<Submission>> {
    let principal = caller
        .require(&[Role::Analyst, Role::MissionAdmin])?
        .clone();
    let actor = state.ledger_actor(&principal);
    let published = tokio::task::spawn_blocking({
        let state = state.clone();
        move || -> ApiResult<Option<String>> {
            let at = now();
            let mut store = state.store()?;
            pending_submission(store.as_mut(), submission)?;
            let mut published_id = None;
            let changed = store.publish_monitor_report(
                submission,
                principal.id,
                &at,
                &mut |source_id: &str| {
                    published_id = Some(source_id.to_string());
                    let record = Record::ReportPublished(ReportPublished {
                        at: at.clone(),
                        report: format!("{}:{source_id}", truce_store::MONITOR_SOURCE),
                        by: actor.clone(),
                    });
                    truce_mission::ledger_record(&record).map_err(|e| e.to_string())
                },
            )?;
            Ok(published_id.filter(|_| changed))
        }
    })
    .await??;
    let source_id = published.ok_or_else(|| {
        ApiError::not_found(
            Message::new("api-no-unpublished-submission").with("submission", verbatim(submission)),
        )
    })?;
    state.evidence_changed();
    Ok(Json(Submission {
        id: format!("{}:{source_id}", truce_store::MONITOR_SOURCE),
        submission,
        outcome: SubmissionOutcomeWire::Published,
        published: true,
    }))
}

/// Reject a monitor's report (the mission's staff), for a reason: it is withdrawn
/// from the evidence (kept in the store, no longer checked), never published, and
/// the ledger records who rejected it and why (`report-rejected`).
#[utoipa::path(post, path = "/api/v1/reports/{submission}/reject", tag = "reports",
    security(("bearer" = [])),
    params(("submission" = i64, Path, description = "the submission's number")),
    request_body = RejectIn,
    responses((status = 200, body = Submission), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn reject(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(submission): Path<i64>,
    Json(body): Json<RejectIn>,
) -> ApiResult<Json<Submission>> {
    let principal = caller
        .require(&[Role::Analyst, Role::MissionAdmin])?
        .clone();
    let reason = body.reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(ApiError::bad_request(
            Message::new("api-reason-length").with("field", Arg::code("reason")),
        ));
    }
    let by = state.ledger_actor(&principal);
    let source_id = tokio::task::spawn_blocking({
        let state = state.clone();
        move || -> ApiResult<String> {
            let mut store = state.store()?;
            let found = pending_submission(store.as_mut(), submission)?;
            let why = Withdrawal::Rejected { by, reason };
            match withdraw_report(
                store.as_mut(),
                truce_store::MONITOR_SOURCE,
                &found.source_id,
                why,
                &now(),
            ) {
                Ok(_) => Ok(found.source_id),
                Err(truce_mission::MissionError::NoSuchReport { .. }) => Err(ApiError::not_found(
                    Message::new("api-submission-gone").with("submission", verbatim(submission)),
                )),
                Err(error) => Err(ApiError::internal(error)),
            }
        }
    })
    .await??;
    state.evidence_changed();
    Ok(Json(Submission {
        id: format!("{}:{source_id}", truce_store::MONITOR_SOURCE),
        submission,
        outcome: SubmissionOutcomeWire::Rejected,
        published: false,
    }))
}

/// The check a refresh made.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Refreshed {
    pub generation: u64,
}

/// Check the evidence again now (the mission's staff); answers once the new
/// snapshot is in place, so the next reads see every write made before.
#[utoipa::path(post, path = "/api/v1/check", tag = "findings",
    security(("bearer" = [])),
    responses((status = 200, body = Refreshed), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn refresh(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> ApiResult<Json<Refreshed>> {
    caller.require(&[Role::Analyst, Role::MissionAdmin])?;
    let generation = tokio::task::spawn_blocking({
        let state = state.clone();
        move || state.refresh()
    })
    .await??;
    Ok(Json(Refreshed { generation }))
}
