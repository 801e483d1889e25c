//! The reader's language: the API writes its sentences (reason chains, and what
//! stands in for a withheld reason) in the language the caller's
//! `Accept-Language` prefers among those truce speaks; English otherwise.

use axum::extract::FromRequestParts;
use axum::http::header::ACCEPT_LANGUAGE;
use axum::http::request::Parts;
use truce_words::Language;

/// The language the caller reads.
#[derive(Clone, Copy, Debug)]
pub struct Reader(pub Language);

impl<S: Send + Sync> FromRequestParts<S> for Reader {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Reader, Self::Rejection> {
        let header = parts
            .headers
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        Ok(Reader(Language::from_accept_language(header)))
    }
}
