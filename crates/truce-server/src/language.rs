//! The reader's language: the API writes its sentences (reason chains, what
//! stands in for a withheld reason, and error messages) in the language the
//! caller's `Accept-Language` prefers among those truce speaks; English otherwise.
//!
//! Handlers read it with the [`Reader`] extractor. Errors need no handler to
//! know it: an [`ApiError`]'s answer is written in English and carries the
//! error, and [`errors_in_the_readers_language`], a layer around every route,
//! writes the body again in the caller's language.

use crate::error::ApiError;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request};
use axum::http::header::{ACCEPT_LANGUAGE, CONTENT_LENGTH, VARY};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use truce_words::Language;

/// The language the caller reads.
#[derive(Clone, Copy, Debug)]
pub struct Reader(pub Language);

impl Reader {
    fn of(headers: &HeaderMap) -> Reader {
        let header = headers
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        Reader(Language::from_accept_language(header))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Reader {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Reader, Self::Rejection> {
        Ok(Reader::of(&parts.headers))
    }
}

/// Writes an error answer's message in the caller's language: the status, the
/// headers (`retry-after` among them), the code and the diagnostics stay as
/// they are, the body is made again from the error the answer carries, and
/// `content-length` says its new length. English answers are left as written.
/// Every error answer says that it depends on `Accept-Language`.
pub async fn errors_in_the_readers_language(request: Request, next: Next) -> Response {
    let Reader(language) = Reader::of(request.headers());
    let mut response = next.run(request).await;
    let Some(error) = response.extensions_mut().remove::<ApiError>() else {
        return response;
    };
    let headers = response.headers_mut();
    let varies = headers.get_all(VARY).iter().any(|v| {
        v.to_str()
            .is_ok_and(|v| v.to_ascii_lowercase().contains("accept-language"))
    });
    if !varies {
        headers.append(VARY, HeaderValue::from_static("Accept-Language"));
    }
    if language == Language::English {
        return response;
    }
    let Ok(body) = serde_json::to_vec(&error.body(language)) else {
        return response;
    };
    let (mut parts, _) = response.into_parts();
    parts
        .headers
        .insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::limits::RetryAfter;
    use axum::Router;
    use axum::http::{Request, StatusCode, header};
    use axum::response::IntoResponse;
    use axum::routing::get;
    use http_body_util::BodyExt;
    use std::time::Duration;
    use tower::ServiceExt;
    use truce_model::message::{Arg, Message};

    /// A router whose routes fail as the API's do.
    fn router() -> Router {
        Router::new()
            .route(
                "/limited",
                get(|| async {
                    ApiError::rate_limited(
                        Message::new("api-too-many-requests").with("limit", Arg::number(120)),
                        RetryAfter(Duration::from_secs(17)),
                    )
                }),
            )
            .route(
                "/field",
                get(|| async {
                    ApiError::bad_request(
                        Message::new("api-idempotency-key-missing")
                            .with("header", Arg::code("idempotency-key")),
                    )
                }),
            )
            .route("/fine", get(|| async { "fine" }))
            .layer(axum::middleware::from_fn(errors_in_the_readers_language))
    }

    async fn ask(uri: &str, language: Option<&str>) -> (StatusCode, HeaderMap, Vec<u8>) {
        let mut request = Request::get(uri);
        if let Some(language) = language {
            request = request.header(ACCEPT_LANGUAGE, language);
        }
        let response = router()
            .oneshot(request.body(Body::empty()).expect("a request"))
            .await
            .expect("an answer");
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.expect("the body").to_bytes().to_vec();
        (parts.status, parts.headers, bytes)
    }

    #[tokio::test]
    async fn an_error_is_written_again_in_arabic_with_its_status_code_and_headers() {
        let (status, headers, body) = ask("/limited", Some("ar-SY,ar;q=0.9,en;q=0.5")).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(headers[header::RETRY_AFTER], "17");
        assert_eq!(headers[header::CONTENT_TYPE], "application/json");
        assert_eq!(headers[CONTENT_LENGTH], body.len().to_string().as_str());
        assert!(headers.get_all(VARY).iter().any(|v| v == "Accept-Language"));
        let json: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        assert_eq!(json["code"], "rate-limited");
        let message = json["message"].as_str().expect("a message");
        assert!(message.contains("١٢٠"), "Arabic digits: {message}");
        let words = truce_words::own_words(message);
        assert!(
            words
                .chars()
                .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
            "{message}"
        );
        assert!(!words.chars().any(|c| c.is_ascii_alphabetic()), "{message}");

        let (status, _, body) = ask("/field", Some("ar")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let json: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        assert_eq!(json["code"], ErrorCode::BadRequest.as_str());
        let message = json["message"].as_str().expect("a message");
        assert!(
            message.contains("`\u{2068}idempotency-key\u{2069}`"),
            "{message}"
        );
        assert!(
            !truce_words::own_words(message)
                .chars()
                .any(|c| c.is_ascii_alphabetic())
        );
    }

    #[tokio::test]
    async fn english_is_left_as_the_error_wrote_it() {
        let written = ApiError::bad_request(
            Message::new("api-idempotency-key-missing")
                .with("header", Arg::code("idempotency-key")),
        )
        .into_response();
        let written = written
            .into_body()
            .collect()
            .await
            .expect("the body")
            .to_bytes()
            .to_vec();
        for language in [None, Some("en-GB"), Some("fr-FR, de;q=0.5")] {
            let (status, headers, body) = ask("/field", language).await;
            assert_eq!(status, StatusCode::BAD_REQUEST);
            assert_eq!(body, written, "{language:?}");
            assert!(headers.get_all(VARY).iter().any(|v| v == "Accept-Language"));
        }
        let json: serde_json::Value = serde_json::from_slice(&written).expect("JSON");
        assert_eq!(
            json["message"],
            "the header `idempotency-key` is missing: expected a key unique to this report (a UUID, say), the same on every retry"
        );
        // An answer that is not an error is not touched.
        let (status, headers, body) = ask("/fine", Some("ar")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, b"fine");
        assert!(headers.get(VARY).is_none());
    }
}
