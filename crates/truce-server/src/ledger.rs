//! The ledger over HTTP: the latest signed checkpoint and the proofs that let a
//! party check, from hashes alone, that a record is in the log and that the log
//! only grew (`docs/trust.md`); and the entitlements each party may see.

use crate::auth::{Caller, Role, View};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use truce_audit::{Hash, Tree};
use utoipa::{IntoParams, ToSchema};

/// The latest checkpoint the mission signed.
#[derive(Serialize, ToSchema)]
pub struct CheckpointWire {
    /// The tree size it commits to.
    pub size: u64,
    /// The signed note (C2SP tlog-checkpoint), as `truce ledger check-proof` reads it.
    pub note: String,
    pub recorded: String,
    /// Entries in the log now (may be more than `size`).
    pub log_size: u64,
}

/// The latest signed checkpoint.
#[utoipa::path(get, path = "/api/v1/ledger/checkpoint", tag = "ledger",
    security((), ("bearer" = [])),
    responses((status = 200, body = CheckpointWire), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn checkpoint(
    State(state): State<Arc<AppState>>,
    _caller: Caller,
) -> ApiResult<Json<CheckpointWire>> {
    let (latest, log_size) = tokio::task::spawn_blocking({
        let state = state.clone();
        move || -> ApiResult<_> {
            let mut store = state.store()?;
            Ok((store.latest_checkpoint()?, store.ledger_len()?))
        }
    })
    .await??;
    let latest = latest.ok_or_else(|| {
        ApiError::not_found("no checkpoint signed yet (`truce ledger checkpoint` signs one)")
    })?;
    Ok(Json(CheckpointWire {
        size: latest.size,
        note: latest.note,
        recorded: latest.recorded,
        log_size,
    }))
}

/// The leaf and tree sizes of an inclusion proof.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InclusionQuery {
    /// The entry's position (from 0).
    pub index: u64,
    /// The tree size (a checkpoint's); by default the whole log.
    pub size: Option<u64>,
}

/// An RFC 9162 inclusion proof.
#[derive(Serialize, ToSchema)]
pub struct InclusionProof {
    pub index: u64,
    pub size: u64,
    /// The entry's leaf hash (hex).
    pub leaf_hash: String,
    /// The root of the tree of `size` entries (hex).
    pub root: String,
    /// The audit path, leaf to root (hex).
    pub path: Vec<String>,
}

fn tree(state: &AppState) -> ApiResult<Tree> {
    let leaves = state.store()?.ledger_leaf_hashes()?;
    Ok(Tree::from_leaf_hashes(leaves.into_iter().map(Hash)))
}

fn hexes(hashes: &[Hash]) -> Vec<String> {
    hashes.iter().map(Hash::to_hex).collect()
}

/// Proof that entry `index` is in the tree of `size` entries.
#[utoipa::path(get, path = "/api/v1/ledger/proof/inclusion", tag = "ledger",
    security((), ("bearer" = [])),
    params(InclusionQuery),
    responses((status = 200, body = InclusionProof), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn inclusion(
    State(state): State<Arc<AppState>>,
    _caller: Caller,
    Query(query): Query<InclusionQuery>,
) -> ApiResult<Json<InclusionProof>> {
    let tree = tokio::task::spawn_blocking({
        let state = state.clone();
        move || tree(&state)
    })
    .await??;
    let size = query.size.unwrap_or(tree.size());
    let out_of_range = || {
        ApiError::bad_request(format!(
            "expected `index` < `size` ≤ {} (the log's size); found index {} and size {size}",
            tree.size(),
            query.index
        ))
    };
    let path = tree
        .inclusion_proof(query.index, size)
        .map_err(|_| out_of_range())?;
    let leaf = tree.leaf_hash_at(query.index).ok_or_else(out_of_range)?;
    let root = tree.root_at(size).map_err(|_| out_of_range())?;
    Ok(Json(InclusionProof {
        index: query.index,
        size,
        leaf_hash: leaf.to_hex(),
        root: root.to_hex(),
        path: hexes(&path),
    }))
}

/// The two tree sizes of a consistency proof.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConsistencyQuery {
    /// The older size.
    pub from: u64,
    /// The newer size; by default the whole log.
    pub to: Option<u64>,
}

/// An RFC 9162 consistency proof.
#[derive(Serialize, ToSchema)]
pub struct ConsistencyProof {
    pub from: u64,
    pub to: u64,
    pub old_root: String,
    pub new_root: String,
    pub path: Vec<String>,
}

/// Proof that the tree of `to` entries extends the tree of `from` entries.
#[utoipa::path(get, path = "/api/v1/ledger/proof/consistency", tag = "ledger",
    security((), ("bearer" = [])),
    params(ConsistencyQuery),
    responses((status = 200, body = ConsistencyProof), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn consistency(
    State(state): State<Arc<AppState>>,
    _caller: Caller,
    Query(query): Query<ConsistencyQuery>,
) -> ApiResult<Json<ConsistencyProof>> {
    let tree = tokio::task::spawn_blocking({
        let state = state.clone();
        move || tree(&state)
    })
    .await??;
    let to = query.to.unwrap_or(tree.size());
    let out_of_range = || {
        ApiError::bad_request(format!(
            "expected 0 < `from` ≤ `to` ≤ {} (the log's size); found from {} and to {to}",
            tree.size(),
            query.from
        ))
    };
    if query.from == 0 {
        return Err(out_of_range());
    }
    let path = tree
        .consistency_proof(query.from, to)
        .map_err(|_| out_of_range())?;
    Ok(Json(ConsistencyProof {
        from: query.from,
        to,
        old_root: tree
            .root_at(query.from)
            .map_err(|_| out_of_range())?
            .to_hex(),
        new_root: tree.root_at(to).map_err(|_| out_of_range())?.to_hex(),
        path: hexes(&path),
    }))
}

/// What a party receives when a step is verified, and whether it may be released.
#[derive(Serialize, ToSchema)]
pub struct EntitlementWire {
    pub id: String,
    /// The receiving party.
    pub to: String,
    pub from: Option<String>,
    pub what: String,
    pub step: String,
    pub releasable: bool,
    pub reason: String,
}

/// Entitlements: the mission's staff see all, a party's liaison only its party's.
#[utoipa::path(get, path = "/api/v1/entitlements", tag = "entitlements",
    security(("bearer" = [])),
    responses((status = 200, body = [EntitlementWire]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn entitlements(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> ApiResult<Json<Vec<EntitlementWire>>> {
    caller.require(&[Role::MissionAdmin, Role::Analyst, Role::PartyLiaison])?;
    let view = caller.view();
    let snapshots = state.snapshots();
    let snapshot = match view {
        View::Staff => &snapshots.staff,
        _ => &snapshots.public,
    };
    Ok(Json(
        snapshot
            .result
            .entitlements
            .iter()
            .filter(|e| match &view {
                View::Staff => true,
                View::Party(party) => &e.to == party,
                View::Public => false,
            })
            .map(|e| EntitlementWire {
                id: e.id.clone(),
                to: e.to.clone(),
                from: e.from.clone(),
                what: e.what.clone(),
                step: e.step.clone(),
                releasable: e.releasable,
                reason: e.reason.clone(),
            })
            .collect(),
    ))
}
