//! truce's mission server: the HTTP API a whole mission uses at once, with roles
//! and party scopes, monitors' reports, the disclosure policy and an OpenAPI
//! document made from the code (`docs/api.md`).
//!
//! The server holds no domain logic: it loads the agreement as `truce check`
//! does, keeps the store (`truce-store`), checks the evidence with
//! `truce-engine`, records every write in the ledger (`truce-mission`), and
//! turns the results into wire types (`wire.rs`), applying who may see what on
//! the way out.

pub mod admin;
pub mod auth;
pub mod basemap;
pub mod csp;
pub mod error;
pub mod identity;
pub mod language;
pub mod ledger;
pub mod limits;
pub mod protect;
pub mod public_id;
pub mod reports;
pub mod reports_wire;
pub mod routes;
pub mod session;
pub mod settings;
pub mod state;
pub mod terms;
pub mod uploads;
pub mod web;
pub mod wire;

pub use settings::Settings;
pub use state::{AppState, MissionAgreement};

use crate::error::{ApiError, ErrorCode};
use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use truce_model::message::{Arg, Message};
use utoipa::OpenApi;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Store(#[from] truce_store::StoreError),
    #[error(transparent)]
    Mission(#[from] truce_mission::MissionError),
    #[error("{0}")]
    Settings(String),
    #[error("cannot listen on {address}")]
    Bind {
        address: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("the server stopped")]
    Serve(#[source] std::io::Error),
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "truce",
        description = "The mission server of truce: agreements, evidence, monitors' reports, findings with their reasons, the steps board, the ledger and entitlements, each shown as the caller's role and party may see it. Error codes: docs/api-errors.md."
    ),
    modifiers(&BearerToken),
    tags(
        (name = "operations", description = "health, metrics and this document"),
        (name = "agreement", description = "the agreement, its versions and its brackets"),
        (name = "steps", description = "the steps board"),
        (name = "findings", description = "findings with their reason chains"),
        (name = "incidents", description = "incidents, as a list, one by one and on the map"),
        (name = "timeline", description = "the chronology and violations per day"),
        (name = "reports", description = "monitors' reports"),
        (name = "evidence", description = "evidence files, their import runs and quarantine"),
        (name = "ledger", description = "checkpoints and proofs"),
        (name = "entitlements", description = "what each party receives"),
        (name = "users", description = "users and tokens")
    )
)]
struct ApiDoc;

struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The OpenAPI document, served at `/openapi.json`.
#[utoipa::path(get, path = "/openapi.json", tag = "operations",
    responses((status = 200, description = "the OpenAPI 3.1 document of this API", content_type = "application/json")))]
async fn openapi_json(State(state): State<Arc<AppState>>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        state.openapi_json.get().cloned().unwrap_or_default(),
    )
        .into_response()
}

/// The routes with their OpenAPI description.
fn api() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(routes::healthz))
        .routes(routes!(routes::metrics))
        .routes(routes!(openapi_json))
        .routes(routes!(session::login))
        .routes(routes!(session::logout))
        .routes(routes!(routes::me))
        .routes(routes!(routes::agreement, uploads::upload_agreement))
        .routes(routes!(routes::agreement_versions))
        .routes(routes!(routes::brackets))
        .routes(routes!(routes::steps))
        .routes(routes!(routes::findings))
        .routes(routes!(routes::incidents))
        .routes(routes!(routes::incident))
        .routes(routes!(routes::map_incidents))
        .routes(routes!(routes::map_zones))
        .routes(routes!(routes::map_sites))
        .routes(routes!(basemap::map_base))
        .routes(routes!(routes::timeline))
        .routes(routes!(reports::submit, reports::list))
        .routes(routes!(reports::publish))
        .routes(routes!(reports::reject))
        .routes(routes!(reports::refresh))
        .routes(routes!(uploads::upload_evidence))
        .routes(routes!(uploads::imports))
        .routes(routes!(uploads::quarantine))
        .routes(routes!(ledger::ledger))
        .routes(routes!(ledger::checkpoint, ledger::sign_checkpoint))
        .routes(routes!(ledger::inclusion))
        .routes(routes!(ledger::consistency))
        .routes(routes!(ledger::bundle))
        .routes(routes!(ledger::entries))
        .routes(routes!(ledger::entitlements))
        .routes(routes!(ledger::release))
        .routes(routes!(ledger::suspend))
        .routes(routes!(ledger::payloads))
        .routes(routes!(ledger::payload))
        .routes(routes!(admin::users, admin::add_user))
        .routes(routes!(admin::tokens, admin::add_token))
        .routes(routes!(admin::revoke_token))
}

/// The OpenAPI document of the API, as JSON.
pub fn openapi_document() -> String {
    let (_, api) = api().split_for_parts();
    api.to_pretty_json().unwrap_or_default()
}

/// The whole application: routes, limits and the layers every request passes.
pub fn app(state: Arc<AppState>) -> Router {
    let (router, api) = api().split_for_parts();
    let _ = state
        .openapi_json
        .set(api.to_pretty_json().unwrap_or_default());
    let timeout = Duration::from_secs(state.settings.request_timeout_seconds.max(1));
    router
        .fallback(web::file)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            rate_limit,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(
            state.settings.max_body_bytes,
        ))
        .layer(
            tower::ServiceBuilder::new()
                .layer(HandleErrorLayer::new(|_: tower::BoxError| async {
                    ApiError::of(ErrorCode::Timeout, Message::new("api-timeout"))
                }))
                .layer(tower::timeout::TimeoutLayer::new(timeout)),
        )
        .layer(axum::middleware::from_fn_with_state(state.clone(), observe))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            protect::headers,
        ))
        // Every error answer above (the routes', the limits', the timeout's,
        // the fallbacks') in the caller's language; inside the compression, so
        // it writes a body not yet compressed.
        .layer(axum::middleware::from_fn(
            language::errors_in_the_readers_language,
        ))
        // gzip or brotli, as the client accepts: the public map's incidents
        // shrink twentyfold, which a field link on a satellite phone feels.
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// Counts every answer by route and status, and gives every error the API's
/// JSON shape (axum's own rejections are plain text).
async fn observe(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let response = next.run(request).await;
    let status = response.status();
    if let Ok(mut requests) = state.metrics.requests.lock() {
        *requests.entry((route, status.as_u16())).or_default() += 1;
    }
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let code = match status.as_u16() {
        404 => ErrorCode::NotFound,
        405 => ErrorCode::MethodNotAllowed,
        408 | 504 => ErrorCode::Timeout,
        413 => ErrorCode::PayloadTooLarge,
        415 => ErrorCode::UnsupportedMediaType,
        422 => ErrorCode::InvalidBody,
        400..=499 => ErrorCode::BadRequest,
        _ => ErrorCode::Internal,
    };
    let body = axum::body::to_bytes(response.into_body(), 64 << 10)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&body).trim().to_string();
    let detail = if code == ErrorCode::Internal || text.is_empty() {
        status
            .canonical_reason()
            .unwrap_or("the request failed")
            .to_lowercase()
    } else {
        text
    };
    let mut error = ApiError::of(code, rejected(code, detail)).into_response();
    *error.status_mut() = status;
    error
}

/// The sentence for an answer axum or a layer wrote as plain text: `detail` is
/// that text (a library's English) or the status's own name, placed as written
/// in a sentence of the reader's language that says what kind of failure it is.
fn rejected(code: ErrorCode, detail: String) -> Message {
    let key = match code {
        ErrorCode::NotFound => "api-rejected-not-found",
        ErrorCode::MethodNotAllowed => "api-rejected-method-not-allowed",
        ErrorCode::Timeout => "api-rejected-timeout",
        ErrorCode::PayloadTooLarge => "api-rejected-payload-too-large",
        ErrorCode::UnsupportedMediaType => "api-rejected-unsupported-media-type",
        ErrorCode::InvalidBody => "api-rejected-invalid-body",
        ErrorCode::BadRequest => "api-rejected-bad-request",
        _ => "api-rejected-internal",
    };
    Message::new(key).with("detail", detail)
}

/// At most `rate_limit_per_minute` requests per client address (`limits.rs`);
/// beyond that `429` with the seconds to wait.
async fn rate_limit(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let address = limits::ClientAddress::of(request.extensions());
    if let Err(retry) = state.limits.request(address.0) {
        let limit = state.settings.rate_limit_per_minute;
        return ApiError::rate_limited(
            Message::new("api-too-many-requests").with("limit", Arg::number(limit)),
            retry,
        )
        .into_response();
    }
    next.run(request).await
}

/// Loads the agreement named in settings, as `truce check` does; the files it
/// names must be in its folder unless `anywhere`.
pub fn load_agreement(path: &Path, anywhere: bool) -> Result<MissionAgreement, ServerError> {
    let name = path.display().to_string();
    let source = std::fs::read_to_string(path)
        .map_err(|e| ServerError::Settings(format!("cannot read the agreement `{name}`: {e}")))?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let files = FilesBeside { base, anywhere };
    let loaded = truce_model::agreement::load(&name, &source, &files);
    let Some(agreement) = loaded.agreement else {
        let errors: Vec<String> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.message.clone())
            .collect();
        return Err(ServerError::Settings(format!(
            "the agreement `{name}` has {} error(s) (`truce lint` shows them): {}",
            errors.len(),
            errors.join("; ")
        )));
    };
    let sha256 = truce_mission::sha256_hex(source.replace("\r\n", "\n").as_bytes());
    Ok(MissionAgreement {
        agreement,
        name,
        path: path.to_path_buf(),
        source,
        sha256,
    })
}

/// The files an agreement names, read beside it. Unless the mission's admin
/// allows more (`agreement_files_anywhere`), only files inside the agreement's
/// folder: an uploaded agreement must not make the server read, hash and
/// record `/etc/shadow` or another mission's files.
pub(crate) struct FilesBeside {
    pub(crate) base: std::path::PathBuf,
    pub(crate) anywhere: bool,
}

/// Whether `path` (as an agreement writes it) stays inside the agreement's folder:
/// relative, with no `..`.
pub fn inside_the_folder(path: &str) -> bool {
    use std::path::Component;
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

impl truce_model::agreement::Files for FilesBeside {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        if !self.anywhere && !inside_the_folder(path) {
            return Err(format!(
                "`{path}` is outside the agreement's folder: the server reads only files in it \
                 (a mission admin may allow more with `agreement_files_anywhere = true`)"
            ));
        }
        let full = self.base.join(path);
        // The server's own folders are not named back to the caller.
        std::fs::read(&full).map_err(|e| format!("{e} (`{path}` beside the agreement)"))
    }
}

/// Remakes the snapshots after writes, coalescing a burst into one check.
async fn refresher(state: Arc<AppState>) {
    loop {
        state.snapshot_wanted.notified().await;
        tokio::time::sleep(Duration::from_millis(250)).await;
        if !state.is_dirty() {
            continue;
        }
        let worker = state.clone();
        match tokio::task::spawn_blocking(move || worker.refresh()).await {
            Ok(Ok(generation)) => tracing::info!(generation, "evidence checked again"),
            Ok(Err(error)) => {
                tracing::error!(
                    code = error.code.as_str(),
                    message = %error.message,
                    "check failed"
                )
            }
            Err(error) => tracing::error!(%error, "check panicked"),
        }
    }
}

/// Runs the server until ctrl-c or SIGTERM, then finishes the requests in flight.
/// `ready` is told the address once it listens.
pub async fn serve(
    state: Arc<AppState>,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServerError> {
    let address = state.settings.listen;
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|source| ServerError::Bind { address, source })?;
    let bound = listener
        .local_addr()
        .map_err(|source| ServerError::Bind { address, source })?;
    tokio::spawn(refresher(state.clone()));
    ready(bound);
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(ServerError::Serve)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}
