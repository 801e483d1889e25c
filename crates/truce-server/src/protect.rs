//! What every answer carries to protect the people reading it: a strict
//! Content-Security-Policy for the dashboard, no sniffing, no framing, no
//! referrer, and no caching of what an authenticated caller was shown.
//!
//! The policy allows scripts from the server only (the dashboard has no inline
//! script), map tiles only from the origin of the configured `tile_url`, and
//! the map library's worker from a `blob:` URL (MapLibre builds its worker
//! that way). Styles may be set inline because the map library positions its
//! elements through their `style`; no script can be injected through a style.

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

/// Adds the protective headers to every answer.
pub async fn headers(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let authenticated = request.headers().contains_key(header::AUTHORIZATION)
        || request.headers().get(header::COOKIE).is_some_and(|c| {
            c.to_str()
                .is_ok_and(|c| c.contains(crate::identity::SESSION_COOKIE))
        });
    let api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Ok(policy) = HeaderValue::from_str(&state.content_security_policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    // What a signed-in caller was shown must not stay in a shared cache or on
    // a borrowed machine's disk.
    // Reason chains are written in the caller's language.
    if api {
        headers.append(header::VARY, HeaderValue::from_static("Accept-Language"));
    }
    if api && authenticated {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.append(
            header::VARY,
            HeaderValue::from_static("Authorization, Cookie"),
        );
    }
    response
}
