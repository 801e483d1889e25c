//! Uploads: a new version of the agreement (linted, every problem located, and
//! only a clean one put in force), and evidence files (read by truce's importers,
//! imported as one run with its summary and quarantine); and the import runs and
//! their quarantined rows for the analysts.

use crate::auth::{Caller, Role};
use crate::error::{ApiError, ApiResult, DiagnosticWire, ErrorBody, ErrorCode, verbatim};
use crate::state::{AppState, MissionAgreement, now};
use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use truce_mission::record::{By, Record};
use truce_model::diagnostic::{Diagnostic, Severity};
use truce_model::message::{Arg, Message};
use utoipa::{IntoParams, ToSchema};

fn diagnostic_wire(d: &Diagnostic) -> DiagnosticWire {
    DiagnosticWire {
        severity: match d.severity {
            Severity::Error => "error".into(),
            Severity::Warning => "warning".into(),
        },
        code: d.code.as_str().to_string(),
        message: d.message.clone(),
        line: d.line,
        column: d.column,
        expected: d.expected.clone(),
        hint: d.hint.clone(),
    }
}

/// A version of the agreement put in force.
#[derive(Serialize, ToSchema)]
pub struct AgreementUploaded {
    pub sha256: String,
    /// False when this exact text was in force before.
    pub new_version: bool,
    /// Warnings `truce lint` gives (an agreement with errors is refused).
    pub warnings: Vec<DiagnosticWire>,
    /// The snapshot of the evidence checked under it.
    pub generation: u64,
}

/// Upload a new version of the agreement (mission admins): the TOML text as the
/// body. It is linted as `truce lint` would, the files it names read beside the
/// agreement in force; with any error it is refused with every problem located
/// (422 `invalid-agreement`). A clean one replaces the agreement file, is recorded
/// as a version in the store and the ledger, and the evidence is checked under it.
#[utoipa::path(post, path = "/api/v1/agreement", tag = "agreement",
    security(("bearer" = [])),
    request_body(content = String, content_type = "text/plain", description = "the agreement file (TOML text)"),
    responses((status = 200, body = AgreementUploaded), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload_agreement(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    body: Bytes,
) -> ApiResult<Json<AgreementUploaded>> {
    let admin = caller.require(&[Role::MissionAdmin])?.clone();
    let actor = state.ledger_actor(&admin);
    let text = String::from_utf8(body.to_vec()).map_err(|e| {
        ApiError::bad_request(
            Message::new("api-agreement-not-utf8")
                .with("encoding", "UTF-8")
                .with("offset", Arg::number(e.utf8_error().valid_up_to())),
        )
    })?;
    let uploaded = tokio::task::spawn_blocking({
        let state = state.clone();
        move || -> ApiResult<AgreementUploaded> {
            let current = state.mission();
            let base = current
                .path
                .parent()
                .map(std::path::Path::to_path_buf)
                .unwrap_or_default();
            let loaded = truce_model::agreement::load(
                &current.name,
                &text,
                &crate::FilesBeside {
                    base,
                    anywhere: state.settings.agreement_files_anywhere,
                },
            );
            let diagnostics: Vec<DiagnosticWire> =
                loaded.diagnostics.iter().map(diagnostic_wire).collect();
            let Some(agreement) = loaded.agreement else {
                let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
                let mut error = ApiError::of(
                    ErrorCode::InvalidAgreement,
                    Message::new("api-agreement-has-errors").with("errors", Arg::number(errors)),
                );
                error.diagnostics = diagnostics;
                return Err(error);
            };
            if agreement.id != current.agreement.id {
                return Err(ApiError::bad_request(
                    Message::new("api-agreement-other-id")
                        .with("uploaded", Arg::code(&agreement.id))
                        .with("current", Arg::code(&current.agreement.id)),
                ));
            }
            // The file first, written whole then renamed, so a restart reads this version.
            let temporary = current.path.with_extension("toml.uploading");
            std::fs::write(&temporary, &text)
                .and_then(|()| std::fs::rename(&temporary, &current.path))
                .map_err(|e| {
                    ApiError::internal(format!("cannot write {}: {e}", current.path.display()))
                })?;
            let at = now();
            let mut store = state.store()?;
            let version = store.record_agreement(&current.name, &text, &at)?;
            if version.new {
                truce_mission::record_agreement_version(
                    store.as_mut(),
                    &agreement,
                    &current.path,
                    &current.name,
                    &text,
                    &version.sha256,
                    Some(By::Actor(actor.clone())),
                    &at,
                )
                .map_err(ApiError::internal)?;
            }
            drop(store);
            state.set_mission(MissionAgreement {
                agreement,
                name: current.name.clone(),
                path: current.path.clone(),
                source: text,
                sha256: version.sha256.clone(),
            });
            let generation = state.refresh()?;
            Ok(AgreementUploaded {
                sha256: version.sha256,
                new_version: version.new,
                warnings: diagnostics,
                generation,
            })
        }
    })
    .await??;
    Ok(Json(uploaded))
}

/// How an evidence file is named and read.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EvidenceQuery {
    /// The file's name, as the import run and the quarantine show it.
    pub name: String,
    /// `ucdp-ged`, `acled`, `gdelt`, `hxl` or `truce-jsonl`; detected from the header when absent.
    pub format: Option<String>,
}

/// A row set aside, with where and why.
#[derive(Serialize, ToSchema)]
pub struct QuarantinedWire {
    pub line: u64,
    pub field: Option<String>,
    pub value: Option<String>,
    pub reason: String,
}

/// What a run did with the rows a reason is about.
#[derive(Serialize, ToSchema, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
pub enum RowOutcomeWire {
    /// Not read: to be fixed and imported again.
    Quarantined,
    /// Read and set aside as out of scope.
    Skipped,
    /// Kept as reports, with something the analyst should know.
    Warned,
}

impl From<truce_store::RowOutcome> for RowOutcomeWire {
    fn from(outcome: truce_store::RowOutcome) -> RowOutcomeWire {
        match outcome {
            truce_store::RowOutcome::Quarantined => RowOutcomeWire::Quarantined,
            truce_store::RowOutcome::Skipped => RowOutcomeWire::Skipped,
            truce_store::RowOutcome::Warned => RowOutcomeWire::Warned,
        }
    }
}

/// One reason of a run about its rows, and how many rows it concerns.
#[derive(Serialize, ToSchema)]
pub struct SetAsideReason {
    pub outcome: RowOutcomeWire,
    pub field: Option<String>,
    pub reason: String,
    pub count: u64,
}

/// An import run and what became of its rows: read = stored + duplicates + revised + quarantined + skipped.
#[derive(Serialize, ToSchema)]
pub struct ImportRunWire {
    pub run: i64,
    pub file: String,
    pub sha256: String,
    pub size: u64,
    pub format: String,
    pub started: String,
    pub finished: Option<String>,
    pub read: u64,
    pub stored: u64,
    pub duplicates: u64,
    pub revised: u64,
    pub quarantined: u64,
    pub skipped: u64,
    pub reasons: Vec<SetAsideReason>,
}

fn run_wire(run: &truce_store::RunInfo) -> ImportRunWire {
    let c = run.counts;
    ImportRunWire {
        run: run.id,
        file: run.file.name.clone(),
        sha256: run.file.sha256.clone(),
        size: run.file.size,
        format: run.file.format.clone(),
        started: run.started.clone(),
        finished: run.finished.clone(),
        read: c.read,
        stored: c.stored,
        duplicates: c.duplicates,
        revised: c.revised,
        quarantined: c.quarantined,
        skipped: c.skipped,
        reasons: run
            .reasons
            .iter()
            .map(|r| SetAsideReason {
                outcome: r.outcome.into(),
                field: r.field.clone(),
                reason: r.reason.clone(),
                count: r.count,
            })
            .collect(),
    }
}

/// An evidence file imported.
#[derive(Serialize, ToSchema)]
pub struct EvidenceImported {
    pub run: ImportRunWire,
    /// The rows set aside (the first 1,000; `GET /api/v1/imports/{run}/quarantine` has all).
    pub quarantine: Vec<QuarantinedWire>,
    /// The rows kept as reports with a warning (the first 1,000; the run's
    /// `reasons` count them all), e.g. a GED row whose low, best and high
    /// estimates of deaths are out of order.
    pub warnings: Vec<QuarantinedWire>,
}

/// An error and its causes, as one sentence.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Writes an upload's body to a temporary file as it arrives, so the server
/// holds a few chunks of it at a time, whatever its size; refuses a body over
/// `limit` bytes. The file is removed when dropped.
async fn spool(body: Body, limit: usize) -> ApiResult<tempfile::NamedTempFile> {
    use http_body_util::BodyExt;
    use std::io::Write;
    let too_large = || {
        ApiError::of(
            ErrorCode::PayloadTooLarge,
            Message::new("api-upload-too-large")
                .with("limit", Arg::number(limit))
                .with("command", Arg::code("truce import")),
        )
    };
    let file = tempfile::Builder::new()
        .prefix("truce-upload-")
        .tempfile()
        .map_err(|e| ApiError::internal(format!("cannot make a file for the upload: {e}")))?;
    // A thread writes the chunks the request hands over (a write may block).
    let (send, mut receive) = tokio::sync::mpsc::channel::<Bytes>(8);
    let writer =
        tokio::task::spawn_blocking(move || -> std::io::Result<tempfile::NamedTempFile> {
            let mut file = file;
            {
                let mut out = std::io::BufWriter::with_capacity(1 << 20, file.as_file_mut());
                while let Some(chunk) = receive.blocking_recv() {
                    out.write_all(&chunk)?;
                }
                out.flush()?;
            }
            Ok(file)
        });
    let mut body = body;
    let mut size = 0usize;
    let mut failed = None;
    while let Some(frame) = body.frame().await {
        let frame = match frame {
            Ok(frame) => frame,
            Err(e) => {
                // axum's body limit answers here when the body passes it.
                failed = Some(if e.to_string().contains("length limit") {
                    too_large()
                } else {
                    ApiError::bad_request(
                        Message::new("api-upload-cut-off").with("detail", verbatim(e)),
                    )
                });
                break;
            }
        };
        let Ok(chunk) = frame.into_data() else {
            continue;
        };
        size += chunk.len();
        if size > limit {
            failed = Some(too_large());
            break;
        }
        if send.send(chunk).await.is_err() {
            break;
        }
    }
    drop(send);
    let written = writer.await?;
    if let Some(error) = failed {
        return Err(error);
    }
    written.map_err(|e| ApiError::internal(format!("cannot write the upload to a file: {e}")))
}

/// Upload an evidence file (analysts, mission admins): the file's bytes as the
/// body, read by truce's importers (UCDP GED, ACLED, GDELT, HXL, truce JSON Lines)
/// and imported as one run: nothing stored twice, revisions kept, bad rows
/// quarantined with line, field and reason. The run goes into the ledger.
#[utoipa::path(post, path = "/api/v1/evidence", tag = "evidence",
    security(("bearer" = [])),
    params(EvidenceQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "the evidence file"),
    responses((status = 201, body = EvidenceImported), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload_evidence(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Query(query): Query<EvidenceQuery>,
    body: Body,
) -> ApiResult<(axum::http::StatusCode, Json<EvidenceImported>)> {
    let principal = caller
        .require(&[Role::Analyst, Role::MissionAdmin])?
        .clone();
    let name = query.name.trim().to_string();
    if name.is_empty() || name.len() > 300 || name.chars().any(char::is_control) {
        return Err(ApiError::bad_request(
            Message::new("api-upload-name").with("parameter", Arg::code("name")),
        ));
    }
    let format = query
        .format
        .as_deref()
        .map(|f| {
            f.parse::<truce_ingest::Format>().map_err(|e| {
                ApiError::bad_request(
                    Message::new("api-unknown-format")
                        .with("parameter", Arg::code("format"))
                        .with("value", Arg::code(f))
                        .with("detail", verbatim(e)),
                )
            })
        })
        .transpose()?;
    let spooled = spool(body, state.settings.max_upload_bytes).await?;
    let actor = state.ledger_actor(&principal);
    let imported = tokio::task::spawn_blocking({
        let state = state.clone();
        move || -> ApiResult<EvidenceImported> {
            let file = truce_mission::import::EvidenceFile {
                path: spooled.path(),
                name: &name,
                format,
                mapping: None,
            };
            let mut store = state.store()?;
            let imported = truce_mission::import::import_file(
                store.as_mut(),
                &file,
                truce_mission::import::DEFAULT_BATCH,
                &now,
                &truce_mission::import::Quietly,
            )
            .map_err(|error| match error {
                truce_mission::MissionError::Import { .. } => ApiError::of(
                    ErrorCode::InvalidEvidence,
                    Message::new("api-evidence-unreadable").with("detail", error_chain(&error)),
                ),
                other => ApiError::internal(error_chain(&other)),
            })?;
            let run = imported.run;
            let mut record = truce_mission::import_run_record(&run);
            record.by = Some(By::Actor(actor));
            truce_mission::append(store.as_mut(), &Record::ImportRun(record), &now())
                .map_err(ApiError::internal)?;
            let quarantine = store
                .quarantined(run.id)?
                .into_iter()
                .take(1000)
                .map(|row| QuarantinedWire {
                    line: row.line,
                    field: row.field,
                    value: row.value,
                    reason: row.reason,
                })
                .collect();
            let warnings = imported
                .warnings
                .into_iter()
                .map(|w| QuarantinedWire {
                    line: w.line,
                    field: w.field,
                    value: w.value,
                    reason: w.reason,
                })
                .collect();
            Ok(EvidenceImported {
                run: run_wire(&run),
                quarantine,
                warnings,
            })
        }
    })
    .await??;
    state.evidence_changed();
    Ok((axum::http::StatusCode::CREATED, Json(imported)))
}

/// The import runs of evidence files, oldest first (analysts, mission admins).
#[utoipa::path(get, path = "/api/v1/imports", tag = "evidence",
    security(("bearer" = [])),
    responses((status = 200, body = [ImportRunWire]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn imports(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> ApiResult<Json<Vec<ImportRunWire>>> {
    caller.require(&[Role::Analyst, Role::MissionAdmin])?;
    let runs = tokio::task::spawn_blocking({
        let state = state.clone();
        move || -> ApiResult<_> { Ok(state.store()?.file_runs()?) }
    })
    .await??;
    Ok(Json(runs.iter().map(run_wire).collect()))
}

/// The rows an import run set aside, with file, line, field, value and reason.
#[utoipa::path(get, path = "/api/v1/imports/{run}/quarantine", tag = "evidence",
    security(("bearer" = [])),
    params(("run" = i64, Path, description = "the import run's number")),
    responses((status = 200, body = [QuarantinedWire]), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn quarantine(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(run): Path<i64>,
) -> ApiResult<Json<Vec<QuarantinedWire>>> {
    caller.require(&[Role::Analyst, Role::MissionAdmin])?;
    let rows = tokio::task::spawn_blocking({
        let state = state.clone();
        move || -> ApiResult<_> { Ok(state.store()?.quarantined(run)?) }
    })
    .await??;
    Ok(Json(
        rows.into_iter()
            .map(|r| QuarantinedWire {
                line: r.line,
                field: r.field,
                value: r.value,
                reason: r.reason,
            })
            .collect(),
    ))
}
