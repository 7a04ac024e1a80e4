//! Account use-cases: register, sign in and out, resolve a bearer token, create staff.

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use crate::authz::{Actor, Principal, Role};
use crate::db::{Db, Timestamp};
use crate::error::{AppError, AppResult, Issues};
use crate::kernel::client_address::ClientAddress;
use crate::kernel::rate_limit::{self, Key, Purpose, Rule};
use crate::kernel::time::span;
use crate::state::AppState;
use crate::t;

use super::model::{Account, DisplayName, Email, Password};
use super::throttle::Throttle;
use super::{password, store, token};

/// The fields of a new account, parsed.
pub struct NewAccountInput {
    pub email: Email,
    pub password: Password,
    pub display_name: DisplayName,
}

impl NewAccountInput {
    pub fn parse(email: &str, password: &str, display_name: &str) -> AppResult<Self> {
        let mut issues = Issues::default();
        let email = issues.take(Email::parse("email", email));
        let password = issues.take(Password::parse("password", password));
        let display_name = issues.take(DisplayName::parse("display_name", display_name));
        issues.finish()?;
        // All three are Some when there were no issues.
        match (email, password, display_name) {
            (Some(email), Some(password), Some(display_name)) => Ok(NewAccountInput { email, password, display_name }),
            _ => Err(AppError::Internal(anyhow::anyhow!("parsed input without issues is incomplete"))),
        }
    }
}

/// Registers a resident. The answer is the same whether the address was new or taken, so
/// registration cannot be used to find out who has an account; the person signs in next.
/// Limited per client address, and the password is hashed only for an address that is new
/// (a taken one costs a verification of the same price, so timing does not tell either).
pub async fn register_resident(
    state: &AppState,
    input: NewAccountInput,
    address: Option<ClientAddress>,
) -> AppResult<()> {
    if let Some(a) = address {
        let key = Key::new(Purpose::RegisterAddress, a.limit_key());
        let rule = Rule { max: state.config.register_max_per_address, window: span(state.config.register_window) };
        let now = Timestamp::now();
        let counter = rate_limit::count(state.db.conn(), &key, rule, now).await?;
        if let Some(wait) = rule.exceeded(&counter, now) {
            let secs = wait.num_seconds().max(1) as u64;
            let minutes = secs.div_ceil(60);
            return Err(AppError::TooManyRequests {
                retry_after_secs: secs,
                message: t!(
                    "注册过于频繁，请 {minutes} 分钟后再试。",
                    "Too many registrations from this network; try again in {minutes} minute(s)."
                ),
            });
        }
    }
    if store::find_by_email(state.db.conn(), input.email.as_str()).await?.is_some() {
        password::verify(input.password.expose(), None).await?;
        return Ok(());
    }
    match create_account(&state.db, input, Role::Resident, None).await {
        // Registered at the same moment by someone else: the same answer.
        Err(AppError::Invalid(issues)) if issues.iter().any(|i| i.code == "taken") => Ok(()),
        other => other.map(|_| ()),
    }
}

/// Creates an account of any role; the caller has authorized it (the command line, the demo
/// loader, or a service that asked `authz`).
pub async fn create_account(
    db: &Db,
    input: NewAccountInput,
    role: Role,
    agency_id: Option<Uuid>,
) -> AppResult<Account> {
    let password_hash = password::hash(input.password.expose()).await?;
    store::insert_account(
        db.conn(),
        store::NewAccount { email: &input.email, display_name: &input.display_name, password_hash, role, agency_id },
    )
    .await
}

pub struct SignedIn {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub account: Account,
}

impl SignedIn {
    /// Seconds until the session ends at the latest (a session cookie's Max-Age).
    pub fn seconds_left(&self) -> i64 {
        (self.expires_at - Timestamp::now()).num_seconds().max(0)
    }
}

pub async fn sign_in(
    state: &AppState,
    email: &str,
    password_attempt: &str,
    address: Option<ClientAddress>,
) -> AppResult<SignedIn> {
    let (db, config) = (&state.db, &state.config);
    // An e-mail that doesn't parse is treated like an unknown account: same answer, same cost.
    // It is never looked up: no account has one, and PostgreSQL refuses some (a NUL) outright.
    let parsed = Email::parse("email", email).ok();
    let email = parsed.as_ref().map_or_else(|| email.trim().to_lowercase(), |e| e.as_str().to_string());
    let now = Timestamp::now();
    let account = match &parsed {
        Some(e) => store::find_by_email(db.conn(), e.as_str()).await?.filter(|a| a.disabled_at.is_none()),
        None => None,
    };
    let client = address.map(|a| a.limit_key());
    let known_client = match (&account, &client) {
        (Some(a), Some(c)) => store::known_client(db.conn(), a.id, c).await?,
        _ => false,
    };
    let throttle = Throttle::new(config, &email, client.as_deref(), known_client);
    throttle.admit(db, now).await?;

    let ok = password::verify(password_attempt, account.as_ref().map(|a| a.password_hash.clone())).await?;
    let Some(account) = account.filter(|_| ok) else {
        return Err(AppError::Unauthenticated(t!(
            "邮箱或密码不正确。",
            "The e-mail address or password is not correct."
        )));
    };
    let token = token::generate();
    let expires_at = now + span(config.session_ttl);
    let tx = db.write().await?;
    throttle.succeeded(&tx).await?;
    store::insert_session(&tx, account.id, token::hash(&token), expires_at, client).await?;
    tx.commit().await?;
    Ok(SignedIn { token, expires_at, account: store::account(account) })
}

/// Why a presented token does not sign anyone in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionProblem {
    Unknown,
    Expired,
    Revoked,
}

/// Turns a bearer token into the principal it signs in, refreshing the idle clock at most
/// once a minute so that reads stay reads.
pub async fn resolve_token(state: &AppState, token: &str) -> AppResult<Result<Principal, SessionProblem>> {
    let (db, config) = (&state.db, &state.config);
    if !token::looks_valid(token) {
        return Ok(Err(SessionProblem::Unknown));
    }
    let Some((session, account)) = store::find_session(db.conn(), &token::hash(token)).await? else {
        return Ok(Err(SessionProblem::Unknown));
    };
    let now = Timestamp::now();
    let idle = span(config.session_idle_timeout);
    if session.revoked_at.is_some() || account.disabled_at.is_some() {
        return Ok(Err(SessionProblem::Revoked));
    }
    if session.expires_at <= now || session.last_seen_at + idle <= now {
        return Ok(Err(SessionProblem::Expired));
    }
    if now - session.last_seen_at > TimeDelta::minutes(1) {
        store::touch_session(db.conn(), session.id, now).await?;
    }
    Ok(Ok(Principal {
        account_id: account.id,
        session_id: session.id,
        role: account.role,
        agency_id: account.agency_id,
    }))
}

pub async fn sign_out(state: &AppState, actor: &Actor) -> AppResult<()> {
    store::revoke_session(state.db.conn(), actor.principal()?.session_id, Timestamp::now()).await
}

pub async fn me(state: &AppState, actor: &Actor) -> AppResult<Account> {
    store::find_by_id(state.db.conn(), actor.principal()?.account_id)
        .await?
        .ok_or_else(|| AppError::Unauthenticated(t!("账号不存在。", "The account no longer exists.")))
}

/// Creates or resets the platform admin named by `email` (command line only).
pub async fn ensure_platform_admin(db: &Db, email: &str, password: &str, display_name: &str) -> AppResult<Account> {
    let input = NewAccountInput::parse(email, password, display_name)?;
    if let Some(existing) = store::find_by_email(db.conn(), input.email.as_str()).await? {
        if existing.role != Role::PlatformAdmin {
            return Err(AppError::invalid(
                "email",
                "taken",
                t!("该邮箱已用于其他角色的账号。", "This e-mail address belongs to an account with another role."),
            ));
        }
        let hash = password::hash(input.password.expose()).await?;
        store::set_password(db.conn(), existing.id, hash).await?;
        return Ok(store::account(existing));
    }
    create_account(db, input, Role::PlatformAdmin, None).await
}
