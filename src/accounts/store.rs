//! Queries for accounts, sessions and sign-in throttling.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::authz::Role;
use crate::db::{Timestamp, is_unique_violation, new_id};
use crate::entities::{accounts, sessions};
use crate::error::{AppError, AppResult};
use crate::t;

use super::model::{Account, DisplayName, Email};

/// An account row as the domain sees it (without its password hash).
pub fn account(a: accounts::Model) -> Account {
    Account {
        id: a.id,
        email: a.email,
        display_name: a.display_name,
        role: a.role,
        agency_id: a.agency_id,
        created_at: a.created_at,
        disabled: a.disabled_at.is_some(),
        reset_pending: a.reset_code_hash.is_some(),
    }
}

pub struct NewAccount<'a> {
    pub email: &'a Email,
    pub display_name: &'a DisplayName,
    pub password_hash: String,
    pub role: Role,
    pub agency_id: Option<Uuid>,
}

pub async fn insert_account(db: &impl ConnectionTrait, new: NewAccount<'_>) -> AppResult<Account> {
    let model = accounts::ActiveModel {
        id: Set(new_id()),
        email: Set(new.email.as_str().to_string()),
        display_name: Set(new.display_name.as_str().to_string()),
        password_hash: Set(new.password_hash),
        role: Set(new.role),
        agency_id: Set(new.agency_id),
        created_at: Set(Timestamp::now()),
        disabled_at: Set(None),
        reset_code_hash: Set(None),
        reset_expires_at: Set(None),
    };
    accounts::Entity::insert(model).exec_with_returning(db).await.map(account).map_err(|e| {
        if is_unique_violation(&e) {
            AppError::invalid(
                "email",
                "taken",
                t!("该邮箱已注册。", "An account with this e-mail address already exists."),
            )
        } else {
            e.into()
        }
    })
}

pub async fn find_by_email(db: &impl ConnectionTrait, email: &str) -> AppResult<Option<accounts::Model>> {
    Ok(accounts::Entity::find().filter(accounts::Column::Email.eq(email)).one(db).await?)
}

pub async fn find_by_id(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<Account>> {
    Ok(accounts::Entity::find_by_id(id).one(db).await?.map(account))
}

pub async fn list_by_agency(db: &impl ConnectionTrait, agency_id: Uuid) -> AppResult<Vec<Account>> {
    Ok(accounts::Entity::find()
        .filter(accounts::Column::AgencyId.eq(agency_id))
        .order_by_asc(accounts::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(account)
        .collect())
}

/// Sets a new password hash and ends any pending reset.
pub async fn set_password(db: &impl ConnectionTrait, id: Uuid, password_hash: String) -> AppResult<()> {
    accounts::Entity::update_many()
        .col_expr(accounts::Column::PasswordHash, Expr::value(password_hash))
        .col_expr(accounts::Column::ResetCodeHash, Expr::value(Option::<String>::None))
        .col_expr(accounts::Column::ResetExpiresAt, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(accounts::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Starts a password reset: the old password stops working (its hash is replaced by one no
/// password matches) and the code's hash waits until `expires_at`.
pub async fn start_reset(
    db: &impl ConnectionTrait,
    id: Uuid,
    code_hash: String,
    expires_at: DateTime<Utc>,
) -> AppResult<()> {
    accounts::Entity::update_many()
        .col_expr(accounts::Column::PasswordHash, Expr::value("!reset"))
        .col_expr(accounts::Column::ResetCodeHash, Expr::value(code_hash))
        .col_expr(accounts::Column::ResetExpiresAt, Expr::value(expires_at))
        .filter(accounts::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn set_disabled(db: &impl ConnectionTrait, id: Uuid, at: Option<DateTime<Utc>>) -> AppResult<()> {
    accounts::Entity::update_many()
        .col_expr(accounts::Column::DisabledAt, Expr::value(at))
        .filter(accounts::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of an account but `keep`.
pub async fn revoke_sessions(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    keep: Option<Uuid>,
    now: DateTime<Utc>,
) -> AppResult<u64> {
    let mut q = sessions::Entity::update_many()
        .col_expr(sessions::Column::RevokedAt, Expr::value(now))
        .filter(sessions::Column::AccountId.eq(account_id))
        .filter(sessions::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        q = q.filter(sessions::Column::Id.ne(keep));
    }
    Ok(q.exec(db).await?.rows_affected)
}

/// An account row with its password hash, for the use-cases that check or change it.
pub async fn find_row(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<accounts::Model>> {
    Ok(accounts::Entity::find_by_id(id).one(db).await?)
}

pub async fn insert_session(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    token_hash: String,
    expires_at: DateTime<Utc>,
    client_key: Option<String>,
) -> AppResult<sessions::Model> {
    let now = Timestamp::now();
    let model = sessions::ActiveModel {
        id: Set(new_id()),
        account_id: Set(account_id),
        token_hash: Set(token_hash),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        client_key: Set(client_key),
    };
    Ok(sessions::Entity::insert(model).exec_with_returning(db).await?)
}

pub async fn find_session(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> AppResult<Option<(sessions::Model, accounts::Model)>> {
    let found = sessions::Entity::find()
        .filter(sessions::Column::TokenHash.eq(token_hash))
        .find_also_related(accounts::Entity)
        .one(db)
        .await?;
    Ok(found.and_then(|(s, a)| a.map(|a| (s, a))))
}

pub async fn touch_session(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> AppResult<()> {
    sessions::Entity::update_many()
        .col_expr(sessions::Column::LastSeenAt, Expr::value(now))
        .filter(sessions::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn revoke_session(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> AppResult<()> {
    sessions::Entity::update_many()
        .col_expr(sessions::Column::RevokedAt, Expr::value(now))
        .filter(sessions::Column::Id.eq(id))
        .filter(sessions::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Has this account signed in from this client before?
pub async fn known_client(db: &impl ConnectionTrait, account_id: Uuid, client_key: &str) -> AppResult<bool> {
    Ok(sessions::Entity::find()
        .filter(sessions::Column::AccountId.eq(account_id))
        .filter(sessions::Column::ClientKey.eq(client_key))
        .one(db)
        .await?
        .is_some())
}

/// Forgets sessions that ended long ago (kept a while so their clients stay known).
pub async fn purge_sessions(db: &impl ConnectionTrait, ended_before: DateTime<Utc>) -> AppResult<u64> {
    Ok(sessions::Entity::delete_many()
        .filter(sessions::Column::ExpiresAt.lt(ended_before))
        .exec(db)
        .await?
        .rows_affected)
}

/// Display names of the accounts among `ids` (for histories shown to staff).
pub async fn display_names(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> AppResult<std::collections::HashMap<Uuid, String>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(accounts::Entity::find()
        .filter(accounts::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect())
}
