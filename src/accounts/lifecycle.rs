//! The account life cycle: changing one's own password, signing out everywhere, an
//! admin-initiated reset (the admin never learns a password: they hand over a one-time code
//! and the person chooses the new password), disabling and enabling accounts. All audited.

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::json;
use uuid::Uuid;

use super::model::{Account, Email, Password};
use super::{password, store};
use crate::audit::{self, Entry};
use crate::authz::{Action, Actor, Role};
use crate::db::Timestamp;
use crate::error::{AppError, AppResult};
use crate::kernel::client_address::ClientAddress;
use crate::kernel::codes::{normalise_code, one_time_code};
use crate::kernel::digest::{constant_time_eq, sha256_hex};
use crate::kernel::rate_limit::{self, Key, Purpose, Rule};
use crate::state::AppState;
use crate::t;

/// How long a reset code works.
const RESET_VALID_FOR: TimeDelta = TimeDelta::hours(24);
/// Reset codes tried per client address per hour.
const RESET_TRIES_PER_ADDRESS: u32 = 10;

fn account_not_found() -> AppError {
    AppError::NotFound(t!("找不到该账号。", "No such account."))
}

async fn record(
    tx: &impl sea_orm::ConnectionTrait,
    actor: Option<Uuid>,
    account: &Account,
    action: &str,
    details: serde_json::Value,
) -> AppResult<()> {
    audit::record(
        tx,
        Entry {
            actor_id: actor,
            agency_id: account.agency_id,
            entity_type: "account",
            entity_id: account.id,
            action,
            details,
        },
    )
    .await
}

/// Changes the signed-in account's password; every other session of the account ends.
pub async fn change_password(state: &AppState, actor: &Actor, current: &str, new: Password) -> AppResult<()> {
    let p = actor.principal()?;
    let row = store::find_row(state.db.conn(), p.account_id).await?.ok_or_else(account_not_found)?;
    if !password::verify(current, Some(row.password_hash.clone())).await? {
        return Err(AppError::invalid(
            "current_password",
            "wrong_password",
            t!("当前密码不正确。", "The current password is not correct."),
        ));
    }
    let hash = password::hash(new.expose()).await?;
    let tx = state.db.write().await?;
    store::set_password(&tx, p.account_id, hash).await?;
    let ended = store::revoke_sessions(&tx, p.account_id, Some(p.session_id), Timestamp::now()).await?;
    let account = store::account(row);
    record(&tx, Some(p.account_id), &account, "password_changed", json!({ "other_sessions_ended": ended })).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends every session of the signed-in account, this one included.
pub async fn sign_out_everywhere(state: &AppState, actor: &Actor) -> AppResult<()> {
    let p = actor.principal()?;
    let row = store::find_row(state.db.conn(), p.account_id).await?.ok_or_else(account_not_found)?;
    let tx = state.db.write().await?;
    let ended = store::revoke_sessions(&tx, p.account_id, None, Timestamp::now()).await?;
    record(&tx, Some(p.account_id), &store::account(row), "signed_out_everywhere", json!({ "sessions": ended }))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// An account `actor` may manage, loaded with its row; never one's own (an admin who
/// disables or resets themselves by mistake would be locked out).
async fn managed(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<crate::entities::accounts::Model> {
    let p = actor.principal()?;
    let row = store::find_row(state.db.conn(), id).await?;
    // Who may not manage an account is not told whether it exists.
    let Some(row) = row else {
        actor.authorize(Action::ManageAccount { agency: p.agency_id })?;
        return Err(account_not_found());
    };
    actor.authorize(Action::ManageAccount { agency: row.agency_id })?;
    if row.id == p.account_id {
        return Err(AppError::Conflict {
            code: "own_account",
            message: t!(
                "不能对自己的账号执行此操作，请在“我的账号”中修改密码或退出登录。",
                "You cannot do this to your own account; change your password or sign out from your account page."
            ),
        });
    }
    if row.role == Role::PlatformAdmin {
        return Err(AppError::Conflict {
            code: "platform_admin",
            message: t!(
                "平台管理员账号只能通过命令行管理。",
                "The platform admin's account is managed from the command line only."
            ),
        });
    }
    Ok(row)
}

/// A reset started: the code to hand over, and until when it works.
pub struct ResetStarted {
    pub code: String,
    pub expires_at: DateTime<Utc>,
}

/// Starts a password reset for an account: its password stops working, its sessions end,
/// and a one-time code (shown to the admin once, stored as a hash) lets its owner choose a
/// new password within 24 hours.
pub async fn start_reset(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<ResetStarted> {
    let row = managed(state, actor, id).await?;
    let code = one_time_code(4);
    let now = Timestamp::now();
    let expires_at = now + RESET_VALID_FOR;
    let tx = state.db.write().await?;
    store::start_reset(&tx, row.id, sha256_hex(normalise_code(&code)), expires_at).await?;
    let ended = store::revoke_sessions(&tx, row.id, None, now).await?;
    record(&tx, actor.account_id(), &store::account(row), "password_reset_started", json!({ "sessions_ended": ended }))
        .await?;
    tx.commit().await?;
    Ok(ResetStarted { code, expires_at })
}

fn bad_code() -> AppError {
    AppError::invalid(
        "code",
        "invalid_code",
        t!(
            "重置码不正确或已过期，请向单位管理员重新获取。",
            "The reset code is wrong or has expired; ask your admin for a new one."
        ),
    )
}

/// Finishes a reset: the e-mail, the code and the new password. A wrong code, an expired one
/// and an unknown address get the same answer; tries are limited per client address.
pub async fn finish_reset(
    state: &AppState,
    email: &str,
    code: &str,
    new: Password,
    address: Option<ClientAddress>,
) -> AppResult<()> {
    let now = Timestamp::now();
    if let Some(a) = address {
        let key = Key::new(Purpose::PasswordResetAddress, a.limit_key());
        let rule = Rule { max: RESET_TRIES_PER_ADDRESS, window: TimeDelta::hours(1) };
        let counter = rate_limit::count(state.db.conn(), &key, rule, now).await?;
        if let Some(wait) = rule.exceeded(&counter, now) {
            return Err(AppError::TooManyRequests {
                retry_after_secs: wait.num_seconds().max(1) as u64,
                message: t!("尝试次数过多，请稍后再试。", "Too many attempts; try again later."),
            });
        }
    }
    let email = Email::parse("email", email).map_err(|i| AppError::Invalid(vec![i]))?;
    let row = store::find_by_email(state.db.conn(), email.as_str()).await?;
    let given = sha256_hex(normalise_code(code));
    let row = row
        .filter(|r| r.reset_expires_at.is_some_and(|at| at > now))
        .filter(|r| r.reset_code_hash.as_deref().is_some_and(|h| constant_time_eq(h, &given)))
        .ok_or_else(bad_code)?;
    let hash = password::hash(new.expose()).await?;
    let tx = state.db.write().await?;
    store::set_password(&tx, row.id, hash).await?;
    record(&tx, Some(row.id), &store::account(row), "password_reset_finished", json!({})).await?;
    tx.commit().await?;
    Ok(())
}

/// Disables or enables an account. A disabled account's sessions end at once and it cannot
/// sign in (it is told what anyone with a wrong password is told).
pub async fn set_disabled(state: &AppState, actor: &Actor, id: Uuid, disabled: bool) -> AppResult<Account> {
    let row = managed(state, actor, id).await?;
    let now = Timestamp::now();
    let tx = state.db.write().await?;
    store::set_disabled(&tx, row.id, disabled.then_some(now)).await?;
    let ended = if disabled { store::revoke_sessions(&tx, row.id, None, now).await? } else { 0 };
    let action = if disabled { "disabled" } else { "enabled" };
    let mut account = store::account(row);
    record(&tx, actor.account_id(), &account, action, json!({ "sessions_ended": ended })).await?;
    tx.commit().await?;
    account.disabled = disabled;
    Ok(account)
}
