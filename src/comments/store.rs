//! Queries for comments, their maintained counts, buckets and duplicate groups.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, LikeExpr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::model::{CommentOrder, CommentStatus, InboxFilter};
use crate::db::{Timestamp, new_id};
use crate::entities::{comment_buckets, comment_counts, comments, duplicate_groups};
use crate::error::AppResult;

use comments::Column as C;

pub async fn insert(db: &impl ConnectionTrait, row: comments::Model) -> AppResult<()> {
    comments::Entity::insert(row.into_active_model()).exec_without_returning(db).await?;
    Ok(())
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<comments::Model>> {
    Ok(comments::Entity::find_by_id(id).one(db).await?)
}

pub async fn find_by_tracking_number(db: &impl ConnectionTrait, tn: &str) -> AppResult<Option<comments::Model>> {
    Ok(comments::Entity::find().filter(C::TrackingNumber.eq(tn)).one(db).await?)
}

pub async fn find_by_idempotency_key(
    db: &impl ConnectionTrait,
    decision: Uuid,
    key: &str,
) -> AppResult<Option<comments::Model>> {
    Ok(comments::Entity::find().filter(C::DecisionId.eq(decision)).filter(C::IdempotencyKey.eq(key)).one(db).await?)
}

/// Reads a comment inside a write transaction, locking its row on PostgreSQL (SQLite's
/// `BEGIN IMMEDIATE` already serialises writers).
pub async fn find_for_update(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<comments::Model>> {
    Ok(comments::Entity::find_by_id(id).lock_exclusive().one(db).await?)
}

/// Writes a changed comment only if its status is still `read_status`; answers whether it
/// did. A change decided on what was read never overwrites a change made meanwhile (an
/// acknowledged withdrawal stays withdrawn whatever a parallel bulk action does).
pub async fn save_if_status(
    db: &impl ConnectionTrait,
    changed: &comments::Model,
    read_status: CommentStatus,
) -> AppResult<bool> {
    let result = comments::Entity::update_many()
        .col_expr(C::Status, Expr::value(changed.status))
        .col_expr(C::HiddenReason, Expr::value(changed.hidden_reason))
        .col_expr(C::ModerationNote, Expr::value(changed.moderation_note.clone()))
        .col_expr(C::UpdatedAt, Expr::value(Timestamp::now()))
        .filter(C::Id.eq(changed.id))
        .filter(C::Status.eq(read_status))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Adds `deltas` to the maintained counts in one statement.
pub async fn apply_deltas(
    db: &impl ConnectionTrait,
    decision: Uuid,
    deltas: &[(&'static str, String, i64)],
) -> AppResult<()> {
    if deltas.is_empty() {
        return Ok(());
    }
    use comment_counts::Column as K;
    let rows = deltas.iter().map(|(dim, key, d)| comment_counts::ActiveModel {
        decision_id: Set(decision),
        dimension: Set(dim.to_string()),
        key: Set(key.clone()),
        count: Set(*d),
    });
    comment_counts::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([K::DecisionId, K::Dimension, K::Key])
                .value(
                    K::Count,
                    Expr::col((comment_counts::Entity, K::Count)).add(Expr::col((Alias::new("excluded"), K::Count))),
                )
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn counts(db: &impl ConnectionTrait, decision: Uuid) -> AppResult<Vec<comment_counts::Model>> {
    Ok(comment_counts::Entity::find().filter(comment_counts::Column::DecisionId.eq(decision)).all(db).await?)
}

pub async fn count_of(db: &impl ConnectionTrait, decision: Uuid, dimension: &str, key: &str) -> AppResult<u64> {
    Ok(comment_counts::Entity::find_by_id((decision, dimension.to_string(), key.to_string()))
        .one(db)
        .await?
        .map(|c| Ord::max(c.count, 0) as u64)
        .unwrap_or(0))
}

pub async fn insert_buckets(
    db: &impl ConnectionTrait,
    decision: Uuid,
    comment: Uuid,
    buckets: &[i64],
) -> AppResult<()> {
    let mut unique = buckets.to_vec();
    unique.sort_unstable();
    unique.dedup();
    let rows = unique.into_iter().map(|b| comment_buckets::ActiveModel {
        decision_id: Set(decision),
        bucket: Set(b),
        comment_id: Set(comment),
    });
    comment_buckets::Entity::insert_many(rows).exec_without_returning(db).await?;
    Ok(())
}

/// Earlier comments sharing a bucket with `buckets`, with their text and group. Reads at
/// most `limit` bucket entries through the primary key, so a campaign of thousands of
/// identical comments costs the same as two.
pub async fn candidates(
    db: &impl ConnectionTrait,
    decision: Uuid,
    buckets: &[i64],
    limit: u64,
) -> AppResult<Vec<comments::Model>> {
    let mut ids: Vec<Uuid> = comment_buckets::Entity::find()
        .select_only()
        .column(comment_buckets::Column::CommentId)
        .filter(comment_buckets::Column::DecisionId.eq(decision))
        .filter(comment_buckets::Column::Bucket.is_in(buckets.to_vec()))
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(comments::Entity::find().filter(C::Id.is_in(ids)).filter(C::Status.ne(CommentStatus::Withdrawn)).all(db).await?)
}

/// Starts a group with `first` in it (size 1; the caller adds the newcomer).
pub async fn new_group(db: &impl ConnectionTrait, decision: Uuid, first: Uuid) -> AppResult<Uuid> {
    let id = new_id();
    let row = duplicate_groups::ActiveModel {
        id: Set(id),
        decision_id: Set(decision),
        first_comment_id: Set(first),
        size: Set(1),
        created_at: Set(Timestamp::now()),
    };
    duplicate_groups::Entity::insert(row).exec_without_returning(db).await?;
    comments::Entity::update_many()
        .col_expr(C::DuplicateGroupId, Expr::value(id))
        .filter(C::Id.eq(first))
        .exec(db)
        .await?;
    Ok(id)
}

pub async fn grow_group(db: &impl ConnectionTrait, group: Uuid, by: i32) -> AppResult<()> {
    use duplicate_groups::Column as G;
    duplicate_groups::Entity::update_many()
        .col_expr(G::Size, Expr::col(G::Size).add(by))
        .filter(G::Id.eq(group))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn groups(
    db: &impl ConnectionTrait,
    decision: Uuid,
    min_size: i32,
) -> AppResult<Vec<duplicate_groups::Model>> {
    use duplicate_groups::Column as G;
    Ok(duplicate_groups::Entity::find()
        .filter(G::DecisionId.eq(decision))
        .filter(G::Size.gte(min_size))
        .order_by_desc(G::Size)
        .order_by_asc(G::Id)
        .limit(1000)
        .all(db)
        .await?)
}

/// Published comments of a consultation, one page.
pub async fn published(
    db: &impl ConnectionTrait,
    decision: Uuid,
    section: Option<Uuid>,
    order: CommentOrder,
    offset: u64,
    limit: u64,
) -> AppResult<Vec<comments::Model>> {
    let mut q =
        comments::Entity::find().filter(C::DecisionId.eq(decision)).filter(C::Status.eq(CommentStatus::Published));
    if let Some(s) = section {
        q = q.filter(C::SectionId.eq(s));
    }
    q = match order {
        CommentOrder::Newest => q.order_by_desc(C::Id),
        CommentOrder::Oldest => q.order_by_asc(C::Id),
    };
    Ok(q.offset(offset).limit(limit).all(db).await?)
}

/// Comments under viewpoint `v` (`None`: under any viewpoint), as a subquery.
fn grouped(v: Option<Uuid>) -> sea_orm::sea_query::SelectStatement {
    use crate::entities::comment_feedback::{Column as F, Entity};
    let mut q = sea_orm::sea_query::Query::select();
    q.column(F::CommentId).from(Entity);
    match v {
        Some(v) => q.and_where(Expr::col(F::ViewpointId).eq(v)),
        None => q.and_where(Expr::col(F::ViewpointId).is_not_null()),
    };
    q
}

fn inbox_condition(decision: Uuid, f: &InboxFilter) -> Condition {
    let mut c = Condition::all().add(C::DecisionId.eq(decision));
    if let Some(s) = f.status {
        c = c.add(C::Status.eq(s));
    }
    if let Some(s) = f.section_id {
        c = c.add(C::SectionId.eq(s));
    }
    if let Some(s) = f.category {
        c = c.add(C::Category.eq(s));
    }
    if let Some(s) = f.channel {
        c = c.add(C::Channel.eq(s));
    }
    if let Some(g) = f.duplicate_group_id {
        c = c.add(C::DuplicateGroupId.eq(g));
    }
    if let Some(v) = f.viewpoint_id {
        c = c.add(C::Id.in_subquery(grouped(Some(v))));
    }
    if f.unassigned {
        c = c.add(C::Id.not_in_subquery(grouped(None)));
    }
    if let Some(t) = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        // `%` and `_` in what staff type are text, not wildcards.
        let escaped = t.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        c = c.add(C::Body.like(LikeExpr::new(format!("%{escaped}%")).escape('\\')));
    }
    c
}

pub async fn inbox(
    db: &impl ConnectionTrait,
    decision: Uuid,
    filter: &InboxFilter,
    offset: u64,
    limit: u64,
) -> AppResult<(Vec<comments::Model>, u64)> {
    let q = comments::Entity::find().filter(inbox_condition(decision, filter));
    let total = q.clone().count(db).await?;
    Ok((q.order_by_asc(C::Id).offset(offset).limit(limit).all(db).await?, total))
}

/// Every comment matching a filter (bulk moderation, exports), in order, at most `limit`.
pub async fn matching(
    db: &impl ConnectionTrait,
    decision: Uuid,
    filter: &InboxFilter,
    limit: u64,
) -> AppResult<Vec<comments::Model>> {
    Ok(comments::Entity::find()
        .filter(inbox_condition(decision, filter))
        .order_by_asc(C::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// The next `limit` comments matching a filter after the comment `after`, in order: exports
/// read a consultation page by page through the primary key, whatever its size.
pub async fn matching_after(
    db: &impl ConnectionTrait,
    decision: Uuid,
    filter: &InboxFilter,
    after: Option<Uuid>,
    limit: u64,
) -> AppResult<Vec<comments::Model>> {
    let mut q = comments::Entity::find().filter(inbox_condition(decision, filter));
    if let Some(after) = after {
        q = q.filter(C::Id.gt(after));
    }
    Ok(q.order_by_asc(C::Id).limit(limit).all(db).await?)
}

pub async fn count_matching(db: &impl ConnectionTrait, decision: Uuid, filter: &InboxFilter) -> AppResult<u64> {
    Ok(comments::Entity::find().filter(inbox_condition(decision, filter)).count(db).await?)
}

pub async fn by_ids(db: &impl ConnectionTrait, decision: Uuid, ids: Vec<Uuid>) -> AppResult<Vec<comments::Model>> {
    Ok(comments::Entity::find()
        .filter(C::DecisionId.eq(decision))
        .filter(C::Id.is_in(ids))
        .order_by_asc(C::Id)
        .all(db)
        .await?)
}

pub async fn of_account(
    db: &impl ConnectionTrait,
    account: Uuid,
    offset: u64,
    limit: u64,
) -> AppResult<(Vec<comments::Model>, u64)> {
    let q = comments::Entity::find().filter(C::AccountId.eq(account));
    let total = q.clone().count(db).await?;
    Ok((q.order_by_desc(C::Id).offset(offset).limit(limit).all(db).await?, total))
}
