//! Who is calling: roles, API tokens and the caller extracted from each request.
//!
//! A token is `truce_<lookup>_<secret>`: the lookup finds its row, the secret is
//! checked against the argon2 hash kept there (the token itself is never
//! stored, and is shown once, when made). argon2 is slow by design, so a token
//! that checked out is remembered by its sha256 until any token is revoked or any
//! user disabled, when every remembered token is forgotten.

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::AppState;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use truce_model::message::{Arg, Message};

use sha2::{Digest, Sha256};
use std::sync::Arc;

pub use crate::identity::{Principal, Role, SESSION_COOKIE};

/// The caller of a request: a principal, or the public (no token).
#[derive(Clone, Debug)]
pub struct Caller {
    pub principal: Option<Principal>,
}

/// How much of the mission's knowledge a caller sees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum View {
    /// Everything (mission admin, analyst).
    Staff,
    /// What is published, plus full detail of the findings against this party.
    Party(String),
    /// What the disclosure policy publishes (observers, monitors and callers without a token).
    Public,
}

impl Caller {
    pub fn role(&self) -> Option<Role> {
        self.principal.as_ref().map(|p| p.role)
    }

    /// The principal, when its role is one of `roles`; else 401 without a
    /// principal and 403 with one.
    pub fn require(&self, roles: &[Role]) -> ApiResult<&Principal> {
        match &self.principal {
            None => Err(ApiError::of(
                ErrorCode::Unauthenticated,
                Message::new("api-needs-token")
                    .with("header", Arg::code("authorization: Bearer …")),
            )),
            Some(p) if roles.contains(&p.role) => Ok(p),
            Some(p) => Err(ApiError::forbidden(
                Message::new("api-role-may-not").with("role", p.role.as_str()),
            )),
        }
    }

    pub fn view(&self) -> View {
        match &self.principal {
            Some(p) if p.role.is_staff() => View::Staff,
            Some(Principal {
                role: Role::PartyLiaison,
                party: Some(party),
                ..
            }) => View::Party(party.clone()),
            _ => View::Public,
        }
    }
}

/// A new token: what to give the user once, and what to keep.
pub struct NewToken {
    /// The whole token, shown once.
    pub token: String,
    pub lookup: String,
    /// argon2 of the secret part.
    pub hash: String,
}

fn random_bytes<const N: usize>() -> ApiResult<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::internal(format!("no randomness: {e}")))?;
    Ok(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// argon2id (the crate's defaults) of `secret`, as a PHC string.
pub fn hash_secret(secret: &str) -> ApiResult<String> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?)
        .map_err(|e| ApiError::internal(format!("salt: {e}")))?;
    argon2::Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::internal(format!("argon2: {e}")))
}

/// True when `secret` matches the PHC string `hash`.
pub fn verify_secret(secret: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        argon2::Argon2::default()
            .verify_password(secret.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Makes a new token.
pub fn new_token() -> ApiResult<NewToken> {
    use base64::Engine;
    let lookup = hex(&random_bytes::<8>()?);
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>()?);
    let hash = hash_secret(&secret)?;
    Ok(NewToken {
        token: format!("truce_{lookup}_{secret}"),
        lookup,
        hash,
    })
}

/// The lookup and secret parts of a token, when it has the token's shape.
fn token_parts(token: &str) -> Option<(&str, &str)> {
    let rest = token.strip_prefix("truce_")?;
    let (lookup, secret) = rest.split_once('_')?;
    (lookup.len() == 16 && lookup.bytes().all(|b| b.is_ascii_hexdigit()) && !secret.is_empty())
        .then_some((lookup, secret))
}

/// The sha256 a checked token is remembered by.
pub fn token_digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// The principal a token names, its id and its stored hash. The argon2 check
/// of the secret is skipped when it was already made against the same stored
/// hash (`verified`), and is made without holding the store: a flood of wrong
/// secrets must not stall every other request. The token's revocation and its
/// user's state and role are read from the store every time.
pub fn authenticate(
    state: &AppState,
    token: &str,
    verified: Option<&str>,
) -> ApiResult<(Principal, i64, String)> {
    let invalid = || {
        ApiError::of(
            ErrorCode::InvalidToken,
            Message::new("api-token-not-issued"),
        )
    };
    let (lookup, secret) = token_parts(token).ok_or_else(invalid)?;
    let row = state
        .store()?
        .token_by_lookup(lookup)?
        .ok_or_else(invalid)?;
    let checked = verified.is_some_and(|hash| hash == row.hash);
    if !checked && !verify_secret(secret, &row.hash) {
        return Err(invalid());
    }
    if row.revoked.is_some() {
        return Err(ApiError::of(
            ErrorCode::RevokedToken,
            Message::new("api-token-revoked"),
        ));
    }
    let stored = state
        .store()?
        .principal(row.principal)?
        .ok_or_else(|| ApiError::internal(format!("token {} has no user", row.id)))?;
    if stored.disabled.is_some() {
        return Err(ApiError::of(
            ErrorCode::RevokedToken,
            Message::new("api-token-user-disabled"),
        ));
    }
    Ok((Principal::from_stored(&stored)?, row.id, row.hash))
}

impl FromRequestParts<Arc<AppState>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Caller, ApiError> {
        if let Some(caller) = parts.extensions.get::<Caller>() {
            return Ok(caller.clone());
        }
        let caller = caller_of(&parts.method, &parts.headers, state).await?;
        parts.extensions.insert(caller.clone());
        Ok(caller)
    }
}

/// The header a session's unsafe requests echo its CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The value of cookie `name` in a request's `cookie` headers.
pub fn cookie<'h>(headers: &'h axum::http::HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// The sha256 (hex) a session's cookie value is kept under.
pub fn session_digest(id: &str) -> String {
    Sha256::digest(id.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new session's cookie value and CSRF token.
pub fn new_session_secrets() -> ApiResult<(String, String)> {
    use base64::Engine;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    Ok((
        engine.encode(random_bytes::<32>()?),
        engine.encode(random_bytes::<24>()?),
    ))
}

/// The caller a request names: by its `authorization` header (a token), else
/// by its session cookie, else the public. A request made with a session
/// cookie that changes anything must echo the session's CSRF token.
pub async fn caller_of(
    method: &axum::http::Method,
    headers: &axum::http::HeaderMap,
    state: &Arc<AppState>,
) -> ApiResult<Caller> {
    if headers.get(axum::http::header::AUTHORIZATION).is_some() {
        return token_caller(headers, state).await;
    }
    let Some(session) = cookie(headers, SESSION_COOKIE).map(str::to_string) else {
        return Ok(Caller { principal: None });
    };
    // Read from the store on every request (no argon2 is involved): a session
    // ended, a user disabled or a role changed holds at once, on every server.
    let state_for_check = state.clone();
    let remembered = tokio::task::spawn_blocking(move || {
        let mut store = state_for_check.store()?;
        session_principal(store.as_mut(), &session)
    })
    .await??;
    let unsafe_method = !matches!(
        *method,
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
    );
    if unsafe_method {
        let sent = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
        let expected = remembered.csrf.as_deref();
        let matches = match (sent, expected) {
            (Some(sent), Some(expected)) => {
                // Compared whole, byte for byte, without an early exit.
                sent.len() == expected.len()
                    && sent
                        .bytes()
                        .zip(expected.bytes())
                        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                        == 0
            }
            _ => false,
        };
        if !matches {
            return Err(ApiError::of(
                ErrorCode::Csrf,
                Message::new("api-csrf-missing").with("header", Arg::code("x-csrf-token")),
            ));
        }
    }
    Ok(Caller {
        principal: Some(remembered.principal),
    })
}

/// The principal of a session, when it is open and not expired.
pub fn session_principal(
    store: &mut dyn truce_store::Storage,
    session: &str,
) -> ApiResult<crate::state::Remembered> {
    let ended = || {
        ApiError::of(
            ErrorCode::Unauthenticated,
            Message::new("api-session-ended"),
        )
    };
    let row = store.session(&session_digest(session))?.ok_or_else(ended)?;
    let expired = row
        .expires
        .parse::<jiff::Timestamp>()
        .map_or(true, |expires| expires <= jiff::Timestamp::now());
    if row.ended.is_some() || expired {
        return Err(ended());
    }
    let stored = store
        .principal(row.principal)?
        .ok_or_else(|| ApiError::internal(format!("a session has no user {}", row.principal)))?;
    if stored.disabled.is_some() {
        return Err(ended());
    }
    Ok(crate::state::Remembered {
        principal: Principal::from_stored(&stored)?,
        csrf: Some(row.csrf),
    })
}

/// The caller named by a request's `authorization` header.
async fn token_caller(headers: &axum::http::HeaderMap, state: &Arc<AppState>) -> ApiResult<Caller> {
    let token = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or_else(|| {
            ApiError::of(
                ErrorCode::InvalidToken,
                Message::new("api-authorization-form").with("form", Arg::code("Bearer <token>")),
            )
        })?
        .to_string();
    let digest = token_digest(&token);
    let verified = state.verified_token(&digest);
    // A token whose secret has been given wrong again and again is refused
    // cheaply, before any argon2 work (`limits.rs`).
    let lookup = token_parts(&token).map(|(lookup, _)| lookup.to_string());
    if verified.is_none()
        && let Some(lookup) = &lookup
    {
        state.limits.token(lookup).map_err(|retry| {
            ApiError::rate_limited(Message::new("api-token-backing-off"), retry)
        })?;
    }
    let state_for_check = state.clone();
    let first_time = verified.is_none();
    let checked = tokio::task::spawn_blocking(move || {
        authenticate(&state_for_check, &token, verified.as_deref())
    })
    .await?;
    let (principal, _, hash) = match checked {
        Ok(found) => found,
        Err(error) => {
            if error.code == ErrorCode::InvalidToken
                && let Some(lookup) = &lookup
            {
                state.limits.token_failed(lookup);
            }
            return Err(error);
        }
    };
    // Only a secret checked right ends a run of wrong ones: the owner's
    // requests with the remembered token must not reset a guesser's back-off.
    if first_time && let Some(lookup) = &lookup {
        state.limits.token_succeeded(lookup);
    }
    state.remember_verified_token(digest, hash);
    Ok(Caller {
        principal: Some(principal),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_one_shape() {
        let token = new_token().expect("token");
        let (lookup, secret) = token_parts(&token.token).expect("parts");
        assert_eq!(lookup, token.lookup);
        assert!(verify_secret(secret, &token.hash));
        assert!(!verify_secret("another secret", &token.hash));
        assert!(token_parts("truce_nothex_x").is_none());
        assert!(token_parts("bearer").is_none());
        assert!(token_parts("truce_0123456789abcdef_").is_none());
    }
}
