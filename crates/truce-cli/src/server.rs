//! `truce serve`, and the users and tokens a mission admin makes from the command
//! line (the first admin's token, or any change made offline on the server's machine).

use anyhow::{Context, Result, bail};
use std::io::Read;
use std::path::{Path, PathBuf};
use truce_mission::record::{Actor, Record, TokenRevoked, UserAdded, UserDisabled};
use truce_server::auth::{Principal, Role};
use truce_server::settings::{Coordinates, LogFormat, Settings};

/// What `truce serve` is told on its command line (over the settings file and the environment).
pub struct ServeFlags {
    pub config: Option<PathBuf>,
    pub listen: Option<std::net::SocketAddr>,
    pub db: Option<PathBuf>,
    pub agreement: Option<PathBuf>,
    pub as_of: Option<String>,
    pub log_json: bool,
    pub public_coordinates: Option<String>,
}

pub fn serve(flags: ServeFlags) -> Result<u8> {
    let mut settings = match &flags.config {
        Some(path) => Settings::from_file(path)?,
        None => Settings::default(),
    };
    settings.apply_environment(|name| std::env::var(name).ok())?;
    if let Some(listen) = flags.listen {
        settings.listen = listen;
    }
    if let Some(db) = &flags.db {
        settings.database = db.display().to_string();
    }
    if let Some(agreement) = flags.agreement {
        settings.agreement = Some(agreement);
    }
    if let Some(as_of) = flags.as_of {
        settings.as_of = Some(as_of);
    }
    if flags.log_json {
        settings.log_format = LogFormat::Json;
    }
    if let Some(text) = &flags.public_coordinates {
        settings.public.coordinates = Coordinates::parse(text).with_context(|| {
            format!(
                "--public-coordinates is `{text}`: expected exact, district, province or withheld"
            )
        })?;
    }
    let filter = tracing_subscriber::EnvFilter::try_from_env("TRUCE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=info"));
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if settings.log_format == LogFormat::Json {
        subscriber.json().init();
    } else {
        subscriber.init();
    }
    let agreement_path = settings.agreement.clone().context(
        "no agreement: give --agreement FILE (or `agreement` in the settings file, or TRUCE_AGREEMENT)",
    )?;
    let mission = truce_server::load_agreement(&agreement_path, settings.agreement_files_anywhere)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(async move {
        let state =
            tokio::task::spawn_blocking(move || truce_server::AppState::open(settings, mission))
                .await
                .context("the server failed while starting")??;
        let database = state.settings.database.clone();
        truce_server::serve(state, |address| {
            eprintln!("truce serve: listening on http://{address} (store `{database}`)");
        })
        .await?;
        anyhow::Ok(())
    })?;
    Ok(0)
}

/// Who made a change from the command line, as the ledger records it.
fn command_line_actor() -> Actor {
    Actor::command_line(&std::env::var("USER").unwrap_or_else(|_| "unknown".to_string()))
}

fn principal_of(stored: &truce_store::Principal) -> Result<Principal> {
    truce_server::auth::Principal::from_stored(stored).map_err(|e| anyhow::anyhow!(e.message))
}

/// `truce users add`: a user with a role (and party), and a password read from
/// standard input when asked for.
pub fn users_add(
    db: &Path,
    agreement_path: &Path,
    name: &str,
    role: &str,
    party: Option<&str>,
    password_stdin: bool,
) -> Result<String> {
    let role = Role::parse(role).with_context(|| {
        format!("--role is `{role}`: expected mission-admin, analyst, monitor, party-liaison or observer")
    })?;
    // The admin's own command on their machine: the agreement may read any file.
    let mission = truce_server::load_agreement(agreement_path, true)?;
    let password = if password_stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read the password from standard input")?;
        Some(text.trim_end_matches(['\r', '\n']).to_string())
    } else {
        None
    };
    truce_server::admin::check_new_user(&mission.agreement, name, role, party, password.as_deref())
        .map_err(|e| anyhow::anyhow!(e.message))?;
    let hash = password
        .as_deref()
        .map(truce_server::auth::hash_secret)
        .transpose()
        .map_err(|e| anyhow::anyhow!(e.message))?;
    let mut store = crate::store::open(db)?;
    let at = crate::store::now();
    let Some(id) = store.add_principal(name, role.as_str(), party, hash.as_deref(), &at)? else {
        bail!("a user named `{name}` exists in `{}`", db.display());
    };
    let key = truce_server::state::pseudonym_key(store.as_mut())?;
    let user = Principal {
        id,
        name: name.to_string(),
        role,
        party: party.map(str::to_string),
    };
    truce_mission::append(
        store.as_mut(),
        &Record::UserAdded(UserAdded {
            at: at.clone(),
            // An account record is for the staff only: it names the user.
            user: truce_server::state::ledger_actor(&key, &user, true),
            party: party.map(str::to_string),
            by: command_line_actor(),
        }),
        &at,
    )?;
    Ok(format!("user {id} `{name}` added as {}\n", role.as_str()))
}

pub fn users_list(db: &Path) -> Result<String> {
    let mut store = crate::store::open(db)?;
    let mut out = String::new();
    for p in store.principals()? {
        out.push_str(&format!(
            "{:>4}  {:<24} {:<14} {:<20} {}{}\n",
            p.id,
            p.name,
            p.role,
            p.party.as_deref().unwrap_or("-"),
            p.created,
            p.disabled
                .as_deref()
                .map(|d| format!("  disabled {d}"))
                .unwrap_or_default()
        ));
    }
    if out.is_empty() {
        out.push_str("no users\n");
    }
    Ok(out)
}

/// `truce users disable`: the user's tokens are revoked and its sessions end (a
/// running server honours neither within 30 seconds); recorded in the ledger.
pub fn users_disable(db: &Path, name: &str) -> Result<String> {
    let mut store = crate::store::open(db)?;
    let stored = store.principal_by_name(name)?.with_context(|| {
        format!(
            "no user `{name}` in `{}` (`truce users list`)",
            db.display()
        )
    })?;
    let at = crate::store::now();
    if !store.disable_principal(stored.id, &at)? {
        bail!("the user `{name}` is disabled already; nothing was recorded");
    }
    let key = truce_server::state::pseudonym_key(store.as_mut())?;
    truce_mission::append(
        store.as_mut(),
        &Record::UserDisabled(UserDisabled {
            at: at.clone(),
            // An account record is for the staff only: it names the user.
            user: truce_server::state::ledger_actor(&key, &principal_of(&stored)?, true),
            by: command_line_actor(),
        }),
        &at,
    )?;
    Ok(format!(
        "user {} `{name}` disabled: its tokens are revoked and its sessions ended\n",
        stored.id
    ))
}

/// `truce tokens create`: prints the token once, on standard output.
pub fn tokens_create(db: &Path, user: &str, label: Option<&str>) -> Result<String> {
    let mut store = crate::store::open(db)?;
    let stored = store.principal_by_name(user)?.with_context(|| {
        format!(
            "no user `{user}` in `{}` (`truce users list`)",
            db.display()
        )
    })?;
    let key = truce_server::state::pseudonym_key(store.as_mut())?;
    // An account record is for the staff only: it names the user.
    let in_ledger = truce_server::state::ledger_actor(&key, &principal_of(&stored)?, true);
    let issued = truce_server::admin::issue_token(
        store.as_mut(),
        &stored,
        label,
        command_line_actor(),
        in_ledger,
    )
    .map_err(|e| anyhow::anyhow!(e.message))?;
    eprintln!(
        "token {} made for `{user}`; it is shown this once — keep it secret",
        issued.id
    );
    Ok(format!("{}\n", issued.token))
}

pub fn tokens_list(db: &Path) -> Result<String> {
    let mut store = crate::store::open(db)?;
    let mut out = String::new();
    for t in store.tokens()? {
        out.push_str(&format!(
            "{:>4}  user {:<4} {:<24} {}{}\n",
            t.id,
            t.principal,
            t.label.as_deref().unwrap_or("-"),
            t.created,
            t.revoked
                .as_deref()
                .map(|r| format!("  revoked {r}"))
                .unwrap_or_default()
        ));
    }
    if out.is_empty() {
        out.push_str("no tokens\n");
    }
    Ok(out)
}

pub fn tokens_revoke(db: &Path, id: i64) -> Result<String> {
    let mut store = crate::store::open(db)?;
    let at = crate::store::now();
    if !store.revoke_token(id, &at)? {
        bail!("no token {id} in force in `{}`", db.display());
    }
    truce_mission::append(
        store.as_mut(),
        &Record::TokenRevoked(TokenRevoked {
            at: at.clone(),
            token: id,
            by: command_line_actor(),
        }),
        &at,
    )?;
    Ok(format!(
        "token {id} revoked (a running server stops accepting it within 30 seconds)\n"
    ))
}
