//! People's logins: a name and password give a session cookie (HttpOnly,
//! SameSite=Strict, `Secure` behind TLS) and a CSRF token that every request
//! changing anything must echo in `x-csrf-token`. Programs use API tokens instead.

use crate::auth::{
    CSRF_HEADER, Role, SESSION_COOKIE, cookie, new_session_secrets, session_digest, verify_secret,
};
use crate::error::{ApiError, ApiResult, ErrorBody, ErrorCode};
use crate::state::{AppState, now};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, OnceLock};
use truce_model::message::{Arg, Message};
use utoipa::ToSchema;

/// A login.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Login {
    pub name: String,
    pub password: String,
}

/// A session just opened.
#[derive(Serialize, ToSchema)]
pub struct LoggedIn {
    pub name: String,
    pub role: Role,
    pub party: Option<String>,
    /// Send it as `x-csrf-token` with every request that changes anything.
    pub csrf_token: String,
    /// When the session ends (RFC 3339).
    pub expires: String,
}

/// An argon2 hash of nothing anyone knows, checked when the name is unknown, so
/// an unknown name takes as long to refuse as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| crate::auth::hash_secret("truce decoy password").unwrap_or_default())
}

fn session_cookie(state: &AppState, value: &str, max_age_seconds: u64) -> ApiResult<HeaderValue> {
    let secure = if state.settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_seconds}{secure}"
    ))
    .map_err(ApiError::internal)
}

/// Log in with a name and password: sets the session cookie.
#[utoipa::path(post, path = "/api/v1/login", tag = "users",
    request_body = Login,
    responses((status = 200, body = LoggedIn, headers(("set-cookie" = String, description = "the session cookie"))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn login(
    State(state): State<Arc<AppState>>,
    address: crate::limits::ClientAddress,
    Json(login): Json<Login>,
) -> ApiResult<Response> {
    let hours = state.settings.session_hours.max(1);
    // Refused before any password is looked at: an address or an account past
    // its allowance, or an account backing off after wrong passwords.
    state
        .limits
        .login(address.0, &login.name)
        .map_err(|retry| ApiError::rate_limited(Message::new("api-too-many-logins"), retry))?;
    let opened = tokio::task::spawn_blocking({
        let state = state.clone();
        move || -> ApiResult<(LoggedIn, String)> {
            let refused =
                || ApiError::of(ErrorCode::InvalidLogin, Message::new("api-login-refused"));
            let stored = state.store()?.principal_by_name(&login.name)?;
            let hash = stored
                .as_ref()
                .and_then(|p| p.password_hash.clone())
                .unwrap_or_else(|| decoy_hash().to_string());
            let right = verify_secret(&login.password, &hash);
            let Some(stored) =
                stored.filter(|p| right && p.password_hash.is_some() && p.disabled.is_none())
            else {
                state.limits.login_failed(&login.name);
                return Err(refused());
            };
            state.limits.login_succeeded(&login.name);
            let principal = crate::auth::Principal::from_stored(&stored)?;
            let (id, csrf) = new_session_secrets()?;
            let created = now();
            let expires = jiff::Timestamp::now()
                .checked_add(jiff::SignedDuration::from_hours(i64::from(hours)))
                .map_err(ApiError::internal)?
                .to_string();
            state.store()?.add_session(&truce_store::Session {
                id_sha256: session_digest(&id),
                principal: principal.id,
                csrf: csrf.clone(),
                created,
                expires: expires.clone(),
                ended: None,
            })?;
            Ok((
                LoggedIn {
                    name: principal.name,
                    role: principal.role,
                    party: principal.party,
                    csrf_token: csrf,
                    expires,
                },
                id,
            ))
        }
    })
    .await??;
    let (answer, id) = opened;
    let cookie = session_cookie(&state, &id, u64::from(hours) * 3600)?;
    let mut response = Json(answer).into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(response)
}

/// Log out: ends the session (its cookie stops working at once) and clears the cookie.
#[utoipa::path(post, path = "/api/v1/logout", tag = "users",
    params(("x-csrf-token" = String, Header, description = "the session's CSRF token")),
    responses((status = 204, description = "logged out"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn logout(State(state): State<Arc<AppState>>, headers: HeaderMap) -> ApiResult<Response> {
    let Some(session) = cookie(&headers, SESSION_COOKIE).map(str::to_string) else {
        return Err(ApiError::of(
            ErrorCode::Unauthenticated,
            Message::new("api-logout-needs-cookie"),
        ));
    };
    let sent = headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    tokio::task::spawn_blocking({
        let state = state.clone();
        move || -> ApiResult<()> {
            let mut store = state.store()?;
            let remembered = crate::auth::session_principal(store.as_mut(), &session)?;
            if sent.as_deref() != remembered.csrf.as_deref() {
                return Err(ApiError::of(
                    ErrorCode::Csrf,
                    Message::new("api-logout-needs-csrf").with("header", Arg::code("x-csrf-token")),
                ));
            }
            store.end_session(&session_digest(&session), &now())?;
            Ok(())
        }
    })
    .await??;
    state.forget_tokens();
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&state, "", 0)?);
    Ok(response)
}
