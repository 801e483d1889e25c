//! Who a caller is, as every part of the server names it: the roles, an
//! authenticated principal and the session cookie's name. A leaf: it depends on
//! no other module of the server but its errors.

use crate::error::{ApiError, ApiResult};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a principal may do (`docs/api.md`, "Roles").
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Runs the mission's server: users, tokens, agreement versions, entitlements.
    MissionAdmin,
    /// Adjudicates: sees all evidence, publishes monitors' reports, reruns checks.
    Analyst,
    /// Files reports from the field; sees their own.
    Monitor,
    /// A party's liaison officer: findings against their party, their entitlements, what is published.
    PartyLiaison,
    /// The public: what the disclosure policy publishes.
    Observer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::MissionAdmin,
        Role::Analyst,
        Role::Monitor,
        Role::PartyLiaison,
        Role::Observer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::MissionAdmin => "mission-admin",
            Role::Analyst => "analyst",
            Role::Monitor => "monitor",
            Role::PartyLiaison => "party-liaison",
            Role::Observer => "observer",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// The mission's own staff, who see all evidence and every monitor's report.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::MissionAdmin | Role::Analyst)
    }
}

/// An authenticated principal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub id: i64,
    pub name: String,
    pub role: Role,
    /// The party a liaison is bound to.
    pub party: Option<String>,
}

impl Principal {
    pub fn from_stored(stored: &truce_store::Principal) -> ApiResult<Principal> {
        let role = Role::parse(&stored.role).ok_or_else(|| {
            ApiError::internal(format!(
                "user {} has an unknown role `{}`",
                stored.id, stored.role
            ))
        })?;
        Ok(Principal {
            id: stored.id,
            name: stored.name.clone(),
            role,
            party: stored.party.clone(),
        })
    }
}

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "truce_session";
