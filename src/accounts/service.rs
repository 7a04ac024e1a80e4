//! Account use-cases: register, sign in and out, resolve a bearer token, create staff.

use std::net::IpAddr;

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use crate::authz::{Action, Actor, Principal, Role};
use crate::config::Config;
use crate::db::{Db, Timestamp};
use crate::entities::accounts;
use crate::error::{AppError, AppResult, Issues};
use crate::t;

use super::model::{DisplayName, Email, Password};
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

pub async fn register_resident(db: &Db, input: NewAccountInput) -> AppResult<accounts::Model> {
    create_account(db, input, Role::Resident, None).await
}

/// Creates an account of any role; the caller has authorized it.
pub async fn create_account(
    db: &Db,
    input: NewAccountInput,
    role: Role,
    agency_id: Option<Uuid>,
) -> AppResult<accounts::Model> {
    let password_hash = password::hash(input.password.expose()).await?;
    store::insert_account(
        db.conn(),
        store::NewAccount { email: &input.email, display_name: &input.display_name, password_hash, role, agency_id },
    )
    .await
}

/// Creates a staff account of `agency_id`, if `actor` manages that agency's staff.
pub async fn create_staff(
    db: &Db,
    actor: &Actor,
    agency_id: Uuid,
    input: NewAccountInput,
    role: Role,
) -> AppResult<accounts::Model> {
    actor.authorize(Action::ManageStaffOf(agency_id))?;
    if !matches!(role, Role::AgencyStaff | Role::AgencyAdmin) {
        return Err(AppError::invalid(
            "role",
            "invalid_role",
            t!("工作人员角色只能是 agency_staff 或 agency_admin。", "A staff role is agency_staff or agency_admin."),
        ));
    }
    create_account(db, input, role, Some(agency_id)).await
}

pub struct SignedIn {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub account: accounts::Model,
}

fn throttle_keys(email: &str, address: Option<IpAddr>) -> Vec<String> {
    let mut keys = vec![format!("account:{email}")];
    if let Some(ip) = address {
        keys.push(format!("address:{ip}"));
    }
    keys
}

fn window(config: &Config) -> TimeDelta {
    TimeDelta::from_std(config.sign_in_window).unwrap_or(TimeDelta::minutes(15))
}

fn session_ttl(config: &Config) -> TimeDelta {
    TimeDelta::from_std(config.session_ttl).unwrap_or(TimeDelta::hours(12))
}

/// Refuses the attempt when the account or the client address has failed too often in
/// the current window, answering when to try again.
async fn check_throttle(db: &Db, config: &Config, keys: &[String], now: DateTime<Utc>) -> AppResult<()> {
    let window = window(config);
    let mut retry_after: Option<TimeDelta> = None;
    for row in store::throttle_rows(db.conn(), keys).await? {
        let limit = if row.key.starts_with("account:") {
            config.sign_in_max_failures_per_account
        } else {
            config.sign_in_max_failures_per_address
        };
        let ends = row.window_started_at + window;
        if ends > now && row.failures.max(0) as u32 >= limit {
            let wait = ends - now;
            retry_after = Some(retry_after.map_or(wait, |w| w.max(wait)));
        }
    }
    match retry_after {
        None => Ok(()),
        Some(wait) => {
            let secs = (wait.num_seconds() + 1).max(1) as u64;
            let minutes = secs.div_ceil(60);
            Err(AppError::TooManyRequests {
                retry_after_secs: secs,
                message: t!(
                    "登录失败次数过多，请 {minutes} 分钟后再试。",
                    "Too many failed sign-in attempts; try again in {minutes} minute(s)."
                ),
            })
        }
    }
}

pub async fn sign_in(
    db: &Db,
    config: &Config,
    email: &str,
    password_attempt: &str,
    address: Option<IpAddr>,
) -> AppResult<SignedIn> {
    // An e-mail that doesn't parse is treated like an unknown account: same answer, same cost.
    let email =
        Email::parse("email", email).map(|e| e.as_str().to_string()).unwrap_or_else(|_| email.trim().to_lowercase());
    let keys = throttle_keys(&email, address);
    let now = Timestamp::now();
    check_throttle(db, config, &keys, now).await?;

    let account = store::find_by_email(db.conn(), &email).await?.filter(|a| a.disabled_at.is_none());
    let ok = password::verify(password_attempt, account.as_ref().map(|a| a.password_hash.clone())).await?;
    let account = match (ok, account) {
        (true, Some(account)) => account,
        _ => {
            let tx = db.write().await?;
            for key in &keys {
                store::count_attempt(&tx, key, now, now - window(config)).await?;
            }
            tx.commit().await?;
            return Err(AppError::Unauthenticated(t!(
                "邮箱或密码不正确。",
                "The e-mail address or password is not correct."
            )));
        }
    };

    let token = token::generate();
    let expires_at = now + session_ttl(config);
    let tx = db.write().await?;
    store::clear_throttle(&tx, &keys[0]).await?;
    store::insert_session(&tx, account.id, token::hash(&token), expires_at).await?;
    tx.commit().await?;
    Ok(SignedIn { token, expires_at, account })
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
pub async fn resolve_token(db: &Db, config: &Config, token: &str) -> AppResult<Result<Principal, SessionProblem>> {
    if !token::looks_valid(token) {
        return Ok(Err(SessionProblem::Unknown));
    }
    let Some((session, account)) = store::find_session(db.conn(), &token::hash(token)).await? else {
        return Ok(Err(SessionProblem::Unknown));
    };
    let now = Timestamp::now();
    let idle = TimeDelta::from_std(config.session_idle_timeout).unwrap_or(TimeDelta::hours(2));
    if session.revoked_at.is_some() || account.disabled_at.is_some() {
        return Ok(Err(SessionProblem::Revoked));
    }
    if session.expires_at <= now || session.last_seen_at + idle <= now {
        return Ok(Err(SessionProblem::Expired));
    }
    if now - session.last_seen_at > TimeDelta::minutes(1) {
        store::touch_session(db.conn(), session.id, now).await?;
    }
    let role = Role::parse(&account.role).ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!("account {} has unknown role {}", account.id, account.role))
    })?;
    Ok(Ok(Principal { account_id: account.id, session_id: session.id, role, agency_id: account.agency_id }))
}

pub async fn sign_out(db: &Db, principal: &Principal) -> AppResult<()> {
    store::revoke_session(db.conn(), principal.session_id, Timestamp::now()).await
}

pub async fn me(db: &Db, principal: &Principal) -> AppResult<accounts::Model> {
    store::find_by_id(db.conn(), principal.account_id)
        .await?
        .ok_or_else(|| AppError::Unauthenticated(t!("账号不存在。", "The account no longer exists.")))
}

/// Creates or resets the platform admin named by `email` (command line only).
pub async fn ensure_platform_admin(
    db: &Db,
    email: &str,
    password: &str,
    display_name: &str,
) -> AppResult<accounts::Model> {
    let input = NewAccountInput::parse(email, password, display_name)?;
    if let Some(existing) = store::find_by_email(db.conn(), input.email.as_str()).await? {
        if existing.role != Role::PlatformAdmin.as_str() {
            return Err(AppError::invalid(
                "email",
                "taken",
                t!("该邮箱已用于其他角色的账号。", "This e-mail address belongs to an account with another role."),
            ));
        }
        let hash = password::hash(input.password.expose()).await?;
        store::set_password(db.conn(), existing.id, hash).await?;
        return Ok(existing);
    }
    create_account(db, input, Role::PlatformAdmin, None).await
}
