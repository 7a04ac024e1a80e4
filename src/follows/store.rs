//! Queries of follows.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::db::statement;
use crate::entities::{decisions, follow_reminders, follows};
use crate::error::AppResult;

use follows::Column as F;

/// Records that `account` follows `decision`; false when it already did (the first time
/// stays the one on record).
pub async fn insert(db: &impl ConnectionTrait, account: Uuid, decision: Uuid, now: DateTime<Utc>) -> AppResult<bool> {
    let row = follows::ActiveModel { account_id: Set(account), decision_id: Set(decision), created_at: Set(now) };
    let inserted = follows::Entity::insert(row)
        .on_conflict_do_nothing_on([F::AccountId, F::DecisionId])
        .exec_without_returning(db)
        .await?;
    Ok(matches!(inserted, sea_orm::TryInsertResult::Inserted(1)))
}

/// False when `account` did not follow `decision`.
pub async fn delete(db: &impl ConnectionTrait, account: Uuid, decision: Uuid) -> AppResult<bool> {
    let gone = follows::Entity::delete_many()
        .filter(F::AccountId.eq(account))
        .filter(F::DecisionId.eq(decision))
        .exec(db)
        .await?;
    Ok(gone.rows_affected == 1)
}

pub async fn find(db: &impl ConnectionTrait, account: Uuid, decision: Uuid) -> AppResult<Option<follows::Model>> {
    Ok(follows::Entity::find_by_id((account, decision)).one(db).await?)
}

/// One page of what `account` follows, newest first, with the decisions, and the total.
pub async fn of_account(
    db: &impl ConnectionTrait,
    account: Uuid,
    offset: u64,
    limit: u64,
) -> AppResult<(Vec<(follows::Model, decisions::Model)>, u64)> {
    let total = follows::Entity::find().filter(F::AccountId.eq(account)).count(db).await?;
    let rows = follows::Entity::find()
        .filter(F::AccountId.eq(account))
        .order_by_desc(F::CreatedAt)
        .order_by_asc(F::DecisionId)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|f| f.decision_id).collect();
    let mut found: std::collections::HashMap<Uuid, decisions::Model> = decisions::Entity::find()
        .filter(decisions::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    // A follow always has its decision (foreign key); a row without one is skipped, not a 500.
    Ok((rows.into_iter().filter_map(|f| found.remove(&f.decision_id).map(|d| (f, d))).collect(), total))
}

/// Up to `limit` followers of `decision` after account `after`, in account order, as
/// (account, e-mail address): enabled accounts only (a disabled account hears nothing), and
/// with `uncommented` only those who have not commented on it while signed in.
pub async fn followers(
    db: &impl ConnectionTrait,
    decision: Uuid,
    after: Uuid,
    limit: u64,
    uncommented: bool,
) -> AppResult<Vec<(Uuid, String)>> {
    let not_commented = if uncommented {
        "AND NOT EXISTS (SELECT 1 FROM comments c WHERE c.account_id = f.account_id AND c.decision_id = f.decision_id)"
    } else {
        ""
    };
    let sql = format!(
        "SELECT a.id, a.email FROM follows f JOIN accounts a ON a.id = f.account_id \
         WHERE f.decision_id = $1 AND f.account_id > $2 AND a.disabled_at IS NULL {not_commented} \
         ORDER BY f.account_id LIMIT $3"
    );
    let sql = sql.as_str();
    let values = vec![decision.into(), after.into(), (limit as i64).into()];
    let rows = db.query_all_raw(statement(db.get_database_backend(), sql, values)).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push((r.try_get_by_index::<Uuid>(0)?, r.try_get_by_index::<String>(1)?));
    }
    Ok(out)
}

/// How many decisions `account` follows.
pub async fn count_of(db: &impl ConnectionTrait, account: Uuid) -> AppResult<u64> {
    Ok(follows::Entity::find().filter(F::AccountId.eq(account)).count(db).await?)
}

/// Decisions whose window closes in `(now, until]`, that have followers and whose followers
/// were not yet reminded of this closing time; at most `limit`.
pub async fn closing_unreminded(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: u64,
) -> AppResult<Vec<decisions::Model>> {
    let sql = "SELECT d.* FROM decisions d WHERE d.status = 'consulting' \
               AND d.window_closes_at > $1 AND d.window_closes_at <= $2 \
               AND EXISTS (SELECT 1 FROM follows f WHERE f.decision_id = d.id) \
               AND NOT EXISTS (SELECT 1 FROM follow_reminders r \
                               WHERE r.decision_id = d.id AND r.closes_at = d.window_closes_at) \
               ORDER BY d.window_closes_at LIMIT $3";
    let values = vec![now.into(), until.into(), (limit as i64).into()];
    Ok(decisions::Entity::find().from_raw_sql(statement(db.get_database_backend(), sql, values)).all(db).await?)
}

/// Records that the followers of `decision` are reminded of closing time `closes_at`; false
/// when that was done already (by another node, or an earlier tick).
pub async fn insert_reminder(
    db: &impl ConnectionTrait,
    decision: Uuid,
    closes_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    use follow_reminders::Column as R;
    let row =
        follow_reminders::ActiveModel { decision_id: Set(decision), closes_at: Set(closes_at), sent_at: Set(now) };
    let inserted = follow_reminders::Entity::insert(row)
        .on_conflict_do_nothing_on([R::DecisionId, R::ClosesAt])
        .exec_without_returning(db)
        .await?;
    Ok(matches!(inserted, sea_orm::TryInsertResult::Inserted(1)))
}
