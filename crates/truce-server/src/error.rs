//! One error type for every route, with a stable code per kind of failure.
//!
//! Codes are part of the API: a program reacts to `code`, never to `message`.
//! [`ErrorCode`] names every code with its HTTP status and meaning, and
//! [`ERROR_CODES`] is the table made from it that `docs/api-errors.md` documents
//! (a test keeps the two equal). Internal failures say only that something
//! failed and log the cause: a response never carries a path, a query or a stack.
//!
//! A message is a catalogue [`Message`] (`api-…` keys in `truce-words`'
//! `errors.ftl`), never finished English: [`ApiError`]'s response is written in
//! English and carries the error itself in its extensions, and
//! [`crate::language::errors_in_the_readers_language`] writes it again in the
//! language of the caller's `Accept-Language`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use truce_model::message::{Arg, Message};
use truce_words::Language;
use utoipa::ToSchema;

/// Every error code the API answers with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    BadRequest,
    BadCursor,
    InvalidReport,
    InvalidEvidence,
    InvalidAgreement,
    Unauthenticated,
    InvalidToken,
    RevokedToken,
    InvalidLogin,
    Forbidden,
    Csrf,
    NotFound,
    MethodNotAllowed,
    IdempotencyKeyReused,
    Conflict,
    NotReleasable,
    NoMissionKey,
    PayloadTooLarge,
    UnsupportedMediaType,
    InvalidBody,
    RateLimited,
    Internal,
    Unavailable,
    Timeout,
}

impl ErrorCode {
    /// Every code, in the order `docs/api-errors.md` lists them.
    pub const ALL: [ErrorCode; 24] = [
        ErrorCode::BadRequest,
        ErrorCode::BadCursor,
        ErrorCode::InvalidReport,
        ErrorCode::InvalidEvidence,
        ErrorCode::InvalidAgreement,
        ErrorCode::Unauthenticated,
        ErrorCode::InvalidToken,
        ErrorCode::RevokedToken,
        ErrorCode::InvalidLogin,
        ErrorCode::Forbidden,
        ErrorCode::Csrf,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::IdempotencyKeyReused,
        ErrorCode::Conflict,
        ErrorCode::NotReleasable,
        ErrorCode::NoMissionKey,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::InvalidBody,
        ErrorCode::RateLimited,
        ErrorCode::Internal,
        ErrorCode::Unavailable,
        ErrorCode::Timeout,
    ];

    /// The code as the API writes it (`invalid-report`): never translated.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "bad-request",
            ErrorCode::BadCursor => "bad-cursor",
            ErrorCode::InvalidReport => "invalid-report",
            ErrorCode::InvalidEvidence => "invalid-evidence",
            ErrorCode::InvalidAgreement => "invalid-agreement",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::InvalidToken => "invalid-token",
            ErrorCode::RevokedToken => "revoked-token",
            ErrorCode::InvalidLogin => "invalid-login",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::Csrf => "csrf",
            ErrorCode::NotFound => "not-found",
            ErrorCode::MethodNotAllowed => "method-not-allowed",
            ErrorCode::IdempotencyKeyReused => "idempotency-key-reused",
            ErrorCode::Conflict => "conflict",
            ErrorCode::NotReleasable => "not-releasable",
            ErrorCode::NoMissionKey => "no-mission-key",
            ErrorCode::PayloadTooLarge => "payload-too-large",
            ErrorCode::UnsupportedMediaType => "unsupported-media-type",
            ErrorCode::InvalidBody => "invalid-body",
            ErrorCode::RateLimited => "rate-limited",
            ErrorCode::Internal => "internal",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::Timeout => "timeout",
        }
    }

    /// The HTTP status the code is answered with.
    pub const fn status_code(self) -> u16 {
        match self {
            ErrorCode::BadRequest | ErrorCode::BadCursor => 400,
            ErrorCode::Unauthenticated
            | ErrorCode::InvalidToken
            | ErrorCode::RevokedToken
            | ErrorCode::InvalidLogin => 401,
            ErrorCode::Forbidden | ErrorCode::Csrf => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::IdempotencyKeyReused
            | ErrorCode::Conflict
            | ErrorCode::NotReleasable
            | ErrorCode::NoMissionKey => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::InvalidReport
            | ErrorCode::InvalidEvidence
            | ErrorCode::InvalidAgreement
            | ErrorCode::InvalidBody => 422,
            ErrorCode::RateLimited => 429,
            ErrorCode::Internal => 500,
            ErrorCode::Unavailable => 503,
            ErrorCode::Timeout => 504,
        }
    }

    /// The HTTP status the code is answered with.
    pub fn status(self) -> StatusCode {
        StatusCode::from_u16(self.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// What the code means, as `docs/api-errors.md` says it.
    pub const fn meaning(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => {
                "the request is malformed: a parameter, header or body field is missing or not what the route expects (the message names it)"
            }
            ErrorCode::BadCursor => "the `cursor` parameter is not one this server gave out",
            ErrorCode::InvalidReport => {
                "a submitted report is well-formed JSON but not a valid report (the message names the field and what was expected)"
            }
            ErrorCode::InvalidEvidence => {
                "an uploaded evidence file cannot be read as a whole (wrong encoding, a header of no known format); bad rows are quarantined instead"
            }
            ErrorCode::InvalidAgreement => {
                "an uploaded agreement has errors; the body lists every problem as `truce lint` would"
            }
            ErrorCode::Unauthenticated => {
                "the route needs a token or a session and the request has none"
            }
            ErrorCode::InvalidToken => {
                "the token is not one this server issued, or its secret does not match"
            }
            ErrorCode::RevokedToken => "the token was revoked",
            ErrorCode::InvalidLogin => {
                "the user name or password is wrong, or the user is disabled"
            }
            ErrorCode::Forbidden => {
                "the caller's role may not use this route, or the resource belongs to another party"
            }
            ErrorCode::Csrf => {
                "a request made with a session cookie lacks the `x-csrf-token` header matching the session"
            }
            ErrorCode::NotFound => "no such resource, or none the caller may see",
            ErrorCode::MethodNotAllowed => "the route exists but not with this HTTP method",
            ErrorCode::IdempotencyKeyReused => {
                "the `idempotency-key` was used before by the same caller for a different report"
            }
            ErrorCode::Conflict => {
                "the resource exists already, or the change was made already (a user name taken, an entitlement released)"
            }
            ErrorCode::NotReleasable => {
                "the entitlement's step is not verified on the evidence (the message gives the reason), or it is not released so its payload is not handed over"
            }
            ErrorCode::NoMissionKey => {
                "the server's settings name no mission key (`mission_key`), or one the agreement does not list: the checkpoint is signed with `truce ledger checkpoint --key`"
            }
            ErrorCode::PayloadTooLarge => "the request body is larger than the server's limit",
            ErrorCode::UnsupportedMediaType => {
                "the body is not `application/json` where the route reads JSON"
            }
            ErrorCode::InvalidBody => {
                "the JSON body is well-formed but a field is missing or of the wrong type (the message names it)"
            }
            ErrorCode::RateLimited => {
                "too many requests from this address, too many logins, or an account or token backing off after wrong tries; retry after the `retry-after` seconds"
            }
            ErrorCode::Internal => {
                "the server failed; the cause is in its log, never in the response"
            }
            ErrorCode::Unavailable => {
                "the server is starting or shutting down, or the store is busy; retry"
            }
            ErrorCode::Timeout => "the request took longer than the server's limit",
        }
    }
}

/// [`ERROR_CODES`]' rows, made from [`ErrorCode`] at compile time.
const TABLE: [(&str, u16, &str); ErrorCode::ALL.len()] = {
    let mut table = [("", 0, ""); ErrorCode::ALL.len()];
    let mut i = 0;
    while i < table.len() {
        let code = ErrorCode::ALL[i];
        table[i] = (code.as_str(), code.status_code(), code.meaning());
        i += 1;
    }
    table
};

/// Every error code the API returns, its HTTP status and its meaning: the
/// table of `docs/api-errors.md`, made from [`ErrorCode`].
pub const ERROR_CODES: &[(&str, u16, &str)] = &TABLE;

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
    /// A sentence for people, in the language the request's `Accept-Language`
    /// prefers among those truce speaks (English otherwise); may change between versions.
    pub message: String,
    /// Every problem found, for `invalid-agreement`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<DiagnosticWire>,
}

/// What went wrong, as a sentence of the catalogue (`api-…`): written in the
/// reader's language when the answer leaves the server, and in English where
/// no reader's language is known (`Display`: the log, the command line).
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorMessage(pub Message);

impl std::fmt::Display for ErrorMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&truce_words::english(&self.0))
    }
}

/// An error a route returns.
#[derive(Clone, Debug)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: ErrorMessage,
    pub diagnostics: Vec<DiagnosticWire>,
    /// For `rate-limited`: when to try again, in seconds.
    pub retry_after_seconds: Option<u64>,
}

impl ApiError {
    /// An error of a code.
    pub fn of(code: ErrorCode, message: Message) -> ApiError {
        ApiError {
            code,
            message: ErrorMessage(message),
            diagnostics: Vec::new(),
            retry_after_seconds: None,
        }
    }

    /// `429 rate-limited`, to be tried again after `retry`.
    pub fn rate_limited(message: Message, retry: crate::limits::RetryAfter) -> ApiError {
        ApiError {
            retry_after_seconds: Some(retry.seconds()),
            ..ApiError::of(ErrorCode::RateLimited, message)
        }
    }

    pub fn bad_request(message: Message) -> ApiError {
        ApiError::of(ErrorCode::BadRequest, message)
    }

    pub fn forbidden(message: Message) -> ApiError {
        ApiError::of(ErrorCode::Forbidden, message)
    }

    pub fn not_found(message: Message) -> ApiError {
        ApiError::of(ErrorCode::NotFound, message)
    }

    /// A failure of the server itself: logged with its cause, answered without it.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %cause, "request failed");
        ApiError::of(ErrorCode::Internal, Message::new("api-internal"))
    }

    pub fn status(&self) -> StatusCode {
        self.code.status()
    }

    /// The answer's body, its message written in `language`.
    pub fn body(&self, language: Language) -> ErrorBody {
        ErrorBody {
            code: self.code.as_str(),
            message: truce_words::render(&self.message.0, language),
            diagnostics: self.diagnostics.clone(),
        }
    }
}

/// A text from elsewhere (a library's English, a cause), placed in a message as written.
pub fn verbatim(text: impl std::fmt::Display) -> Arg {
    Arg::from(text.to_string())
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
            return ApiError::of(ErrorCode::Unavailable, Message::new("api-store-busy"));
        }
        ApiError::internal(text)
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(error: tokio::task::JoinError) -> ApiError {
        ApiError::internal(error)
    }
}

/// The answer is written in English, as a caller without `Accept-Language`
/// reads it; the error itself rides in the answer's extensions, for
/// [`crate::language::errors_in_the_readers_language`] to write it again in
/// another language.
impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status(), Json(self.body(Language::English))).into_response();
        if self.code == ErrorCode::RateLimited {
            let seconds = self.retry_after_seconds.unwrap_or(60);
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(seconds),
            );
        }
        response.extensions_mut().insert(self);
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_status_and_meaning() {
        let expected: [(&str, u16); 24] = [
            ("bad-request", 400),
            ("bad-cursor", 400),
            ("invalid-report", 422),
            ("invalid-evidence", 422),
            ("invalid-agreement", 422),
            ("unauthenticated", 401),
            ("invalid-token", 401),
            ("revoked-token", 401),
            ("invalid-login", 401),
            ("forbidden", 403),
            ("csrf", 403),
            ("not-found", 404),
            ("method-not-allowed", 405),
            ("idempotency-key-reused", 409),
            ("conflict", 409),
            ("not-releasable", 409),
            ("no-mission-key", 409),
            ("payload-too-large", 413),
            ("unsupported-media-type", 415),
            ("invalid-body", 422),
            ("rate-limited", 429),
            ("internal", 500),
            ("unavailable", 503),
            ("timeout", 504),
        ];
        assert_eq!(ErrorCode::ALL.len(), expected.len());
        for (code, (name, status)) in ErrorCode::ALL.into_iter().zip(expected) {
            assert_eq!(code.as_str(), name);
            assert_eq!(code.status_code(), status, "{name}");
            assert_eq!(code.status().as_u16(), status, "{name}");
            let meaning = code.meaning();
            assert!(
                !meaning.is_empty()
                    && meaning.starts_with(|c: char| c.is_lowercase())
                    && !meaning.ends_with('.'),
                "{name}: {meaning}"
            );
        }
        let names: std::collections::BTreeSet<&str> =
            ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), ErrorCode::ALL.len(), "every name once");
    }

    /// docs/api-errors.md's table is ERROR_CODES row for row, the meanings included.
    #[test]
    fn the_table_is_made_from_the_codes_and_documented_whole() {
        assert_eq!(ERROR_CODES.len(), ErrorCode::ALL.len());
        for (row, code) in ERROR_CODES.iter().zip(ErrorCode::ALL) {
            assert_eq!(*row, (code.as_str(), code.status_code(), code.meaning()));
        }
        let doc = include_str!("../../../docs/api-errors.md");
        let rows: Vec<&str> = doc.lines().filter(|l| l.starts_with("| `")).collect();
        let expected: Vec<String> = ERROR_CODES
            .iter()
            .map(|(code, status, meaning)| format!("| `{code}` | {status} | {meaning} |"))
            .collect();
        assert_eq!(rows, expected);
    }

    #[test]
    fn the_english_answer_carries_the_error_for_the_reader_s_language() {
        let error = ApiError::rate_limited(
            Message::new("api-store-busy"),
            crate::limits::RetryAfter(std::time::Duration::from_secs(7)),
        );
        let response = error.into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[axum::http::header::RETRY_AFTER], "7");
        let carried = response.extensions().get::<ApiError>().expect("the error");
        assert_eq!(carried.code, ErrorCode::RateLimited);
        assert_eq!(carried.message.0.key, "api-store-busy");
    }
}
