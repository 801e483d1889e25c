//! One error type for every route, with a stable code per kind of failure.
//!
//! Codes are part of the API: a program reacts to `code`, never to `message`.
//! [`ERROR_CODES`] is the table `docs/api-errors.md` documents (a test keeps the
//! two equal). Internal failures say only that something failed and log the
//! cause: a response never carries a path, a query or a stack.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// Every error code the API returns, its HTTP status and its meaning.
pub const ERROR_CODES: &[(&str, u16, &str)] = &[
    (
        "bad-request",
        400,
        "the request is malformed: a parameter, header or body field is missing or not what the route expects (the message names it)",
    ),
    (
        "bad-cursor",
        400,
        "the `cursor` parameter is not one this server gave out",
    ),
    (
        "invalid-report",
        422,
        "a submitted report is well-formed JSON but not a valid report (the message names the field and what was expected)",
    ),
    (
        "invalid-evidence",
        422,
        "an uploaded evidence file cannot be read as a whole (wrong encoding, a header of no known format); bad rows are quarantined instead",
    ),
    (
        "invalid-agreement",
        422,
        "an uploaded agreement has errors; the body lists every problem as `truce lint` would",
    ),
    (
        "unauthenticated",
        401,
        "the route needs a token or a session and the request has none",
    ),
    (
        "invalid-token",
        401,
        "the token is not one this server issued, or its secret does not match",
    ),
    ("revoked-token", 401, "the token was revoked"),
    (
        "invalid-login",
        401,
        "the user name or password is wrong, or the user is disabled",
    ),
    (
        "forbidden",
        403,
        "the caller's role may not use this route, or the resource belongs to another party",
    ),
    (
        "csrf",
        403,
        "a request made with a session cookie lacks the `x-csrf-token` header matching the session",
    ),
    (
        "not-found",
        404,
        "no such resource, or none the caller may see",
    ),
    (
        "method-not-allowed",
        405,
        "the route exists but not with this HTTP method",
    ),
    (
        "idempotency-key-reused",
        409,
        "the `idempotency-key` was used before by the same caller for a different report",
    ),
    (
        "conflict",
        409,
        "the resource exists already, or the change was made already (a user name taken, an entitlement released)",
    ),
    (
        "not-releasable",
        409,
        "the entitlement's step is not verified on the evidence (the message gives the reason), or it is not released so its payload is not handed over",
    ),
    (
        "no-mission-key",
        409,
        "the server's settings name no mission key (`mission_key`), or one the agreement does not list: the checkpoint is signed with `truce ledger checkpoint --key`",
    ),
    (
        "payload-too-large",
        413,
        "the request body is larger than the server's limit",
    ),
    (
        "unsupported-media-type",
        415,
        "the body is not `application/json` where the route reads JSON",
    ),
    (
        "invalid-body",
        422,
        "the JSON body is well-formed but a field is missing or of the wrong type (the message names it)",
    ),
    (
        "rate-limited",
        429,
        "too many requests from this address, too many logins, or an account or token backing off after wrong tries; retry after the `retry-after` seconds",
    ),
    (
        "internal",
        500,
        "the server failed; the cause is in its log, never in the response",
    ),
    (
        "unavailable",
        503,
        "the server is starting or shutting down, or the store is busy; retry",
    ),
    (
        "timeout",
        504,
        "the request took longer than the server's limit",
    ),
];

/// One problem of an uploaded agreement, located as `truce lint` locates it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DiagnosticWire {
    /// `error` or `warning`.
    pub severity: String,
    /// The diagnostic's stable code (`docs/agreement-format.md`).
    pub code: String,
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub expected: Option<String>,
    pub hint: Option<String>,
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A stable code from `docs/api-errors.md`.
    pub code: &'static str,
    /// A sentence for people; may change between versions.
    pub message: String,
    /// Every problem found, for `invalid-agreement`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<DiagnosticWire>,
}

/// An error a route returns.
#[derive(Debug)]
pub struct ApiError {
    pub code: &'static str,
    pub message: String,
    pub diagnostics: Vec<DiagnosticWire>,
    /// For `rate-limited`: when to try again, in seconds.
    pub retry_after_seconds: Option<u64>,
}

impl ApiError {
    pub fn new(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
            diagnostics: Vec::new(),
            retry_after_seconds: None,
        }
    }

    /// `429 rate-limited`, to be tried again after `retry`.
    pub fn rate_limited(message: impl Into<String>, retry: crate::limits::RetryAfter) -> ApiError {
        ApiError {
            retry_after_seconds: Some(retry.seconds()),
            ..ApiError::new("rate-limited", message)
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new("bad-request", message)
    }

    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new("forbidden", message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new("not-found", message)
    }

    /// A failure of the server itself: logged with its cause, answered without it.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %cause, "request failed");
        ApiError::new("internal", "the server failed; its log has the cause")
    }

    pub fn status(&self) -> StatusCode {
        ERROR_CODES
            .iter()
            .find(|(code, _, _)| *code == self.code)
            .and_then(|(_, status, _)| StatusCode::from_u16(*status).ok())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl From<truce_store::StoreError> for ApiError {
    fn from(error: truce_store::StoreError) -> ApiError {
        let mut text = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        if text.contains("database is locked") || text.contains("busy") {
            tracing::warn!(error = %text, "store busy");
            return ApiError::new("unavailable", "the store is busy; retry");
        }
        ApiError::internal(text)
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(error: tokio::task::JoinError) -> ApiError {
        ApiError::internal(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut response = (
            status,
            Json(ErrorBody {
                code: self.code,
                message: self.message,
                diagnostics: self.diagnostics,
            }),
        )
            .into_response();
        if self.code == "rate-limited" {
            let seconds = self.retry_after_seconds.unwrap_or(60);
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(seconds),
            );
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
