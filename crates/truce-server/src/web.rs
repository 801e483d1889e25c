//! The dashboard's files, embedded at build time (`build.rs`), served at `/`.
//! A path that is not a file gets the page itself, so the page's own routes
//! (`/steps`, `/map`) reload; nothing under `/api` is ever answered with it.

use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "webmanifest" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "pbf" => "application/x-protobuf",
        _ => "application/octet-stream",
    }
}

/// Answers a request for a file of the dashboard.
pub async fn file(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path.starts_with("api/") {
        return crate::error::ApiError::not_found(
            truce_model::message::Message::new("api-no-route")
                .with("path", truce_model::message::Arg::code(format!("/{path}"))),
        )
        .into_response();
    }
    let wanted = if path.is_empty() { "index.html" } else { path };
    let found = ASSETS
        .iter()
        .find(|(name, _)| *name == wanted)
        .or_else(|| ASSETS.iter().find(|(name, _)| *name == "index.html"));
    let Some((name, bytes)) = found else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut response = (*bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(name)),
    );
    // Hashed asset names never change; the page itself is always asked again.
    let cache = if name.starts_with("assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}
