//! Users and API tokens (mission admins), every change recorded in the ledger.

use crate::auth::{Caller, Principal, Role, hash_secret, new_token};
use crate::error::{ApiError, ApiResult, ErrorBody, ErrorCode};
use crate::state::{AppState, now};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use truce_mission::record::{Actor, Record, TokenIssued, TokenRevoked, UserAdded};
use truce_model::message::{Arg, Joiner, Message};
use utoipa::ToSchema;

/// A user as the admins see it (never a hash).
#[derive(Serialize, ToSchema)]
pub struct UserWire {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub party: Option<String>,
    pub created: String,
    pub disabled: Option<String>,
    pub can_log_in: bool,
}

/// A new user.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub name: String,
    pub role: Role,
    /// Required for a party's liaison: the agreement's id of the party.
    pub party: Option<String>,
    /// For people who log in (at least 12 characters); programs use tokens.
    pub password: Option<String>,
}

fn user_wire(p: &truce_store::Principal) -> ApiResult<UserWire> {
    Ok(UserWire {
        id: p.id,
        name: p.name.clone(),
        role: Principal::from_stored(p)?.role,
        party: p.party.clone(),
        created: p.created.clone(),
        disabled: p.disabled.clone(),
        can_log_in: p.password_hash.is_some(),
    })
}

/// Every user.
#[utoipa::path(get, path = "/api/v1/users", tag = "users",
    security(("bearer" = [])),
    responses((status = 200, body = [UserWire]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn users(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> ApiResult<Json<Vec<UserWire>>> {
    caller.require(&[Role::MissionAdmin])?;
    let list = tokio::task::spawn_blocking({
        let state = state.clone();
        move || -> ApiResult<_> { Ok(state.store()?.principals()?) }
    })
    .await??;
    Ok(Json(list.iter().map(user_wire).collect::<ApiResult<_>>()?))
}

/// Checks a new user's fields against the agreement; shared with `truce users add`.
pub fn check_new_user(
    agreement: &truce_model::agreement::Agreement,
    name: &str,
    role: Role,
    party: Option<&str>,
    password: Option<&str>,
) -> ApiResult<()> {
    if name.trim().is_empty() || name.len() > 100 || name.chars().any(char::is_control) {
        return Err(ApiError::bad_request(
            Message::new("api-field-name-length").with("field", Arg::code("name")),
        ));
    }
    match (role, party) {
        (Role::PartyLiaison, None) => {
            return Err(ApiError::bad_request(
                Message::new("api-liaison-needs-party").with("field", Arg::code("party")),
            ));
        }
        (Role::PartyLiaison, Some(party)) => {
            if !agreement.parties.iter().any(|p| p.id == party) {
                let ids = agreement.parties.iter().map(|p| Arg::from(&p.id)).collect();
                return Err(ApiError::bad_request(
                    Message::new("api-not-a-party")
                        .with("field", Arg::code("party"))
                        .with("party", Arg::code(party))
                        .with("parties", Arg::list(ids, Joiner::Comma)),
                ));
            }
        }
        (_, Some(_)) => {
            return Err(ApiError::bad_request(
                Message::new("api-party-only-for-liaison").with("field", Arg::code("party")),
            ));
        }
        (_, None) => {}
    }
    if password.is_some_and(|p| p.chars().count() < 12) {
        return Err(ApiError::bad_request(
            Message::new("api-password-length").with("field", Arg::code("password")),
        ));
    }
    Ok(())
}

/// Add a user.
#[utoipa::path(post, path = "/api/v1/users", tag = "users",
    security(("bearer" = [])),
    request_body = NewUser,
    responses((status = 201, body = UserWire), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn add_user(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Json(new): Json<NewUser>,
) -> ApiResult<(StatusCode, Json<UserWire>)> {
    let admin = caller.require(&[Role::MissionAdmin])?.clone();
    check_new_user(
        &state.mission().agreement,
        &new.name,
        new.role,
        new.party.as_deref(),
        new.password.as_deref(),
    )?;
    let actor = state.ledger_actor(&admin);
    let user = tokio::task::spawn_blocking({
        let state = state.clone();
        move || -> ApiResult<truce_store::Principal> {
            let hash = new.password.as_deref().map(hash_secret).transpose()?;
            let at = now();
            let mut store = state.store()?;
            let id = store
                .add_principal(
                    &new.name,
                    new.role.as_str(),
                    new.party.as_deref(),
                    hash.as_deref(),
                    &at,
                )?
                .ok_or_else(|| {
                    ApiError::of(
                        ErrorCode::Conflict,
                        Message::new("api-user-exists").with("name", Arg::code(&new.name)),
                    )
                })?;
            // A monitor's name is never written in the ledger: the ledger reaches the parties.
            let user = Principal {
                id,
                name: new.name.clone(),
                role: new.role,
                party: new.party.clone(),
            };
            let added = UserAdded {
                at: at.clone(),
                user: state.account_actor(&user),
                party: new.party.clone(),
                by: actor,
            };
            truce_mission::append(store.as_mut(), &Record::UserAdded(added), &at)
                .map_err(ApiError::internal)?;
            store
                .principal(id)?
                .ok_or_else(|| ApiError::internal("the user just added is missing"))
        }
    })
    .await??;
    Ok((StatusCode::CREATED, Json(user_wire(&user)?)))
}

/// A token as listed (never its secret).
#[derive(Serialize, ToSchema)]
pub struct TokenWire {
    pub id: i64,
    pub user: i64,
    pub label: Option<String>,
    pub created: String,
    pub revoked: Option<String>,
}

/// A new token for a user.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTokenIn {
    /// The user's name.
    pub user: String,
    pub label: Option<String>,
}

/// A token just made: `token` is shown this once and never again.
#[derive(Serialize, ToSchema)]
pub struct IssuedToken {
    pub id: i64,
    pub token: String,
}

/// Every token.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "users",
    security(("bearer" = [])),
    responses((status = 200, body = [TokenWire]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn tokens(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> ApiResult<Json<Vec<TokenWire>>> {
    caller.require(&[Role::MissionAdmin])?;
    let list = tokio::task::spawn_blocking({
        let state = state.clone();
        move || -> ApiResult<_> { Ok(state.store()?.tokens()?) }
    })
    .await??;
    Ok(Json(
        list.into_iter()
            .map(|t| TokenWire {
                id: t.id,
                user: t.principal,
                label: t.label,
                created: t.created,
                revoked: t.revoked,
            })
            .collect(),
    ))
}

/// Makes a token for a user and records it; shared with `truce tokens create`.
pub fn issue_token(
    state_store: &mut dyn truce_store::Storage,
    user: &truce_store::Principal,
    label: Option<&str>,
    by: Actor,
    user_in_ledger: Actor,
) -> ApiResult<IssuedToken> {
    if user.disabled.is_some() {
        return Err(ApiError::bad_request(
            Message::new("api-user-disabled").with("name", Arg::code(&user.name)),
        ));
    }
    let token = new_token()?;
    let at = now();
    let id = state_store.add_token(user.id, &token.lookup, &token.hash, label, &at)?;
    truce_mission::append(
        state_store,
        &Record::TokenIssued(TokenIssued {
            at: at.clone(),
            token: id,
            user: user_in_ledger,
            by,
        }),
        &at,
    )
    .map_err(ApiError::internal)?;
    Ok(IssuedToken {
        id,
        token: token.token,
    })
}

/// Make a token for a user (shown once).
#[utoipa::path(post, path = "/api/v1/tokens", tag = "users",
    security(("bearer" = [])),
    request_body = NewTokenIn,
    responses((status = 201, body = IssuedToken), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn add_token(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Json(new): Json<NewTokenIn>,
) -> ApiResult<(StatusCode, Json<IssuedToken>)> {
    let admin = caller.require(&[Role::MissionAdmin])?.clone();
    let issued = tokio::task::spawn_blocking({
        let state = state.clone();
        move || -> ApiResult<IssuedToken> {
            let mut store = state.store()?;
            let user = store.principal_by_name(&new.user)?.ok_or_else(|| {
                ApiError::not_found(
                    Message::new("api-no-such-user").with("name", Arg::code(&new.user)),
                )
            })?;
            let in_ledger = state.account_actor(&Principal::from_stored(&user)?);
            issue_token(
                store.as_mut(),
                &user,
                new.label.as_deref(),
                state.ledger_actor(&admin),
                in_ledger,
            )
        }
    })
    .await??;
    Ok((StatusCode::CREATED, Json(issued)))
}

/// Revoke a token: it stops working at once.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "users",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "the token's number")),
    responses((status = 204, description = "revoked"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let admin = caller.require(&[Role::MissionAdmin])?.clone();
    tokio::task::spawn_blocking({
        let state = state.clone();
        move || -> ApiResult<()> {
            let at = now();
            let mut store = state.store()?;
            if !store.revoke_token(id, &at)? {
                return Err(ApiError::not_found(
                    Message::new("api-no-token-in-force").with("id", crate::error::verbatim(id)),
                ));
            }
            truce_mission::append(
                store.as_mut(),
                &Record::TokenRevoked(TokenRevoked {
                    at: at.clone(),
                    token: id,
                    by: state.ledger_actor(&admin),
                }),
                &at,
            )
            .map_err(ApiError::internal)?;
            Ok(())
        }
    })
    .await??;
    state.forget_tokens();
    Ok(StatusCode::NO_CONTENT)
}
