//! Queries of the outbox.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::model::{MAX_ATTEMPTS, Message};
use crate::entities::outbox;
use crate::error::AppResult;

use outbox::Column as C;

/// Adds a message, due at once.
pub async fn insert(db: &impl ConnectionTrait, id: Uuid, m: Message, now: DateTime<Utc>) -> AppResult<()> {
    let row = outbox::ActiveModel {
        id: Set(id),
        kind: Set(m.kind.to_string()),
        recipient: Set(m.to),
        subject: Set(m.subject),
        body: Set(m.body),
        created_at: Set(now),
        attempts: Set(0),
        next_attempt_at: Set(now),
        claimed_until: Set(None),
        sent_at: Set(None),
        last_error: Set(None),
    };
    outbox::Entity::insert(row).exec_without_returning(db).await?;
    Ok(())
}

/// No node holds a claim on the message.
fn unclaimed(now: DateTime<Utc>) -> Condition {
    Condition::any().add(C::ClaimedUntil.is_null()).add(C::ClaimedUntil.lt(now))
}

/// Up to `limit` unsent messages due at `now` that nobody is sending, oldest first.
pub async fn due(db: &impl ConnectionTrait, now: DateTime<Utc>, limit: u64) -> AppResult<Vec<outbox::Model>> {
    Ok(outbox::Entity::find()
        .filter(C::SentAt.is_null())
        .filter(C::NextAttemptAt.lte(now))
        .filter(C::Attempts.lt(MAX_ATTEMPTS))
        .filter(unclaimed(now))
        .order_by_asc(C::NextAttemptAt)
        .order_by_asc(C::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// Claims a message for sending until `until`; answers whether this caller got it. One
/// conditioned update, so of several nodes racing for a message exactly one gets it, and
/// a message sent meanwhile or put off by another node's failure is not taken.
pub async fn claim(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>, until: DateTime<Utc>) -> AppResult<bool> {
    let done = outbox::Entity::update_many()
        .col_expr(C::ClaimedUntil, Expr::value(until))
        .filter(C::Id.eq(id))
        .filter(C::SentAt.is_null())
        .filter(C::NextAttemptAt.lte(now))
        .filter(unclaimed(now))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

pub async fn mark_sent(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> AppResult<()> {
    outbox::Entity::update_many()
        .col_expr(C::SentAt, Expr::value(now))
        .col_expr(C::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(C::Id.eq(id))
        .filter(C::SentAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Records a failed delivery: `attempts` failures so far, tried again at `next_attempt_at`.
pub async fn mark_failed(
    db: &impl ConnectionTrait,
    id: Uuid,
    attempts: i32,
    error: &str,
    next_attempt_at: DateTime<Utc>,
) -> AppResult<()> {
    outbox::Entity::update_many()
        .col_expr(C::Attempts, Expr::value(attempts))
        .col_expr(C::LastError, Expr::value(error))
        .col_expr(C::NextAttemptAt, Expr::value(next_attempt_at))
        .col_expr(C::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(C::Id.eq(id))
        .filter(C::SentAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
