//! Queries for comments, their maintained counts, buckets and duplicate groups.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, LikeExpr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::model::{CommentOrder, CommentStatus, InboxFilter};
use super::views::PublishedComment;
use crate::db::{Timestamp, new_id};
use crate::entities::{comment_buckets, comment_counts, comments, duplicate_groups};
use crate::error::AppResult;

use comments::Column as C;

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

/// Adds `deltas` to the maintained counts in one upsert (or a few of fixed sizes).
pub async fn apply_deltas(
    db: &impl ConnectionTrait,
    decision: Uuid,
    deltas: &[(&'static str, String, i64)],
) -> AppResult<()> {
    if deltas.is_empty() {
        return Ok(());
    }
    use comment_counts::Column as K;
    let mut rows = deltas.iter().map(|(dim, key, d)| comment_counts::ActiveModel {
        decision_id: Set(decision),
        dimension: Set(dim.to_string()),
        key: Set(key.clone()),
        count: Set(*d),
    });
    for size in crate::db::chunk_sizes(deltas.len(), 64) {
        comment_counts::Entity::insert_many(rows.by_ref().take(size))
            .on_conflict(
                OnConflict::columns([K::DecisionId, K::Dimension, K::Key])
                    .value(
                        K::Count,
                        Expr::col((comment_counts::Entity, K::Count))
                            .add(Expr::col((Alias::new("excluded"), K::Count))),
                    )
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
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

/// An earlier comment that may be a near-duplicate: its text and group.
pub struct Candidate {
    pub id: Uuid,
    pub body: String,
    pub group: Option<Uuid>,
}

/// Earlier comments (not withdrawn) sharing a bucket with `buckets`: at most `limit` bucket
/// entries read through the primary key, then those comments by id. Two statements, not one
/// join: on PostgreSQL, planning the join estimated the merge through the newest end of the
/// comments' primary key, which during a burst of inserts (before autovacuum) walks every
/// row not yet visible to all and took ~10 ms, against ~0.3 ms to run either query.
pub async fn candidates(
    db: &impl ConnectionTrait,
    decision: Uuid,
    buckets: &[i64],
    limit: u64,
) -> AppResult<Vec<Candidate>> {
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
    let Some(&last) = ids.last() else { return Ok(vec![]) };
    // A list of a few fixed lengths (repeating the last id), so the statement is prepared
    // once per length instead of once per count of candidates.
    ids.resize(ids.len().next_power_of_two(), last);
    let rows: Vec<(Uuid, String, Option<Uuid>)> = comments::Entity::find()
        .select_only()
        .columns([C::Id, C::Body, C::DuplicateGroupId])
        .filter(C::Id.is_in(ids))
        .filter(C::Status.ne(CommentStatus::Withdrawn))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(id, body, group)| Candidate { id, body, group }).collect())
}

/// The groups of `ids` as they are now (for the comments that have one).
pub async fn groups_of(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> AppResult<Vec<(Uuid, Option<Uuid>)>> {
    Ok(comments::Entity::find()
        .select_only()
        .columns([C::Id, C::DuplicateGroupId])
        .filter(C::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?)
}

/// Many comments in multi-row INSERTs of fixed sizes (within SQLite's limit on bound values).
pub async fn insert_many(db: &impl ConnectionTrait, rows: Vec<comments::Model>) -> AppResult<()> {
    let mut rows = rows.into_iter();
    for size in crate::db::chunk_sizes(rows.len(), 256) {
        let chunk: Vec<_> = rows.by_ref().take(size).map(IntoActiveModel::into_active_model).collect();
        comments::Entity::insert_many(chunk).exec_without_returning(db).await?;
    }
    Ok(())
}

/// Bucket entries `(comment, bucket)`, in multi-row INSERTs of fixed sizes.
pub async fn insert_bucket_rows(db: &impl ConnectionTrait, decision: Uuid, rows: Vec<(Uuid, i64)>) -> AppResult<()> {
    let mut rows = rows.into_iter();
    for size in crate::db::chunk_sizes(rows.len(), 4096) {
        let chunk: Vec<_> = rows
            .by_ref()
            .take(size)
            .map(|(comment, bucket)| comment_buckets::ActiveModel {
                decision_id: Set(decision),
                bucket: Set(bucket),
                comment_id: Set(comment),
            })
            .collect();
        comment_buckets::Entity::insert_many(chunk).exec_without_returning(db).await?;
    }
    Ok(())
}

/// Starts a group with `first` in it (size 1; the caller adds the newcomers), unless
/// `first` has a group by now: answers the group `first` is in. Conditioned on `first`
/// having none, so two writers never give it two groups.
pub async fn start_group(db: &impl ConnectionTrait, decision: Uuid, first: Uuid) -> AppResult<Option<Uuid>> {
    let id = new_id();
    let row = duplicate_groups::ActiveModel {
        id: Set(id),
        decision_id: Set(decision),
        first_comment_id: Set(first),
        size: Set(1),
        created_at: Set(Timestamp::now()),
    };
    duplicate_groups::Entity::insert(row).exec_without_returning(db).await?;
    let claimed = comments::Entity::update_many()
        .col_expr(C::DuplicateGroupId, Expr::value(id))
        .filter(C::Id.eq(first))
        .filter(C::DuplicateGroupId.is_null())
        .exec(db)
        .await?;
    if claimed.rows_affected == 1 {
        return Ok(Some(id));
    }
    duplicate_groups::Entity::delete_by_id(id).exec(db).await?;
    Ok(groups_of(db, vec![first]).await?.into_iter().next().and_then(|(_, g)| g))
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

/// How many groups of at least `min_size` a consultation has, and how many comments are in
/// them, in one aggregate query.
pub async fn group_totals(db: &impl ConnectionTrait, decision: Uuid, min_size: i32) -> AppResult<(u64, u64)> {
    use duplicate_groups::Column as G;
    let found: Option<(i64, Option<i64>)> = duplicate_groups::Entity::find()
        .select_only()
        .column_as(G::Id.count(), "groups")
        .column_as(Expr::col(G::Size).sum().cast_as(Alias::new("BIGINT")), "comments")
        .filter(G::DecisionId.eq(decision))
        .filter(G::Size.gte(min_size))
        .into_tuple()
        .one(db)
        .await?;
    let (groups, comments) = found.unwrap_or((0, None));
    Ok((Ord::max(groups, 0) as u64, Ord::max(comments.unwrap_or(0), 0) as u64))
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

#[derive(sea_orm::FromQueryResult)]
struct PageRow {
    total: i64,
    id: Option<Uuid>,
    section_id: Option<Uuid>,
    body: Option<String>,
    category: Option<super::model::Category>,
    channel: Option<super::model::Channel>,
    display_name: Option<String>,
    received_on: Option<String>,
    duplicate_group_id: Option<Uuid>,
}

/// Where a page of published comments starts: an offset, or after a comment (keyset, for
/// deep pages: the index is entered at that comment instead of stepping over the ones
/// before it).
#[derive(Clone, Copy, Debug)]
pub enum PageStart {
    Offset(u64),
    After(Uuid),
}

/// Published comments of a consultation, one page, with their total, in one query: the
/// total from the maintained counts, the page through `idx_comments_decision_status`
/// (whole text) or `idx_comments_published_section` (one article), in id order either way.
pub async fn published_page(
    db: &impl ConnectionTrait,
    decision: Uuid,
    section: Option<Uuid>,
    order: CommentOrder,
    from: PageStart,
    limit: u64,
) -> AppResult<(u64, Vec<PublishedComment>)> {
    use sea_orm::Value;
    let mut values: Vec<Value> = vec![decision.into(), CommentStatus::Published.as_str().into()];
    let mut sql = String::from(
        "SELECT k.count AS total, c.id, c.section_id, c.body, c.category, c.channel, c.display_name, \
         c.received_on, c.duplicate_group_id FROM comment_counts k LEFT JOIN (\
         SELECT id, section_id, body, category, channel, display_name, received_on, duplicate_group_id \
         FROM comments WHERE decision_id = $1 AND status = $2",
    );
    if let Some(s) = section {
        values.push(s.into());
        sql.push_str(&format!(" AND section_id = ${}", values.len()));
    }
    let (cmp, dir) = match order {
        CommentOrder::Newest => ("<", "DESC"),
        CommentOrder::Oldest => (">", "ASC"),
    };
    if let PageStart::After(after) = from {
        values.push(after.into());
        sql.push_str(&format!(" AND id {cmp} ${}", values.len()));
    }
    values.push((limit as i64).into());
    sql.push_str(&format!(" ORDER BY id {dir} LIMIT ${}", values.len()));
    if let PageStart::Offset(offset) = from {
        values.push((offset as i64).into());
        sql.push_str(&format!(" OFFSET ${}", values.len()));
    }
    let (dimension, key) = match section {
        Some(s) => ("published", s.to_string()),
        None => ("status", CommentStatus::Published.as_str().to_string()),
    };
    values.push(decision.into());
    values.push(dimension.into());
    values.push(key.into());
    let n = values.len();
    sql.push_str(&format!(
        ") c ON 1 = 1 WHERE k.decision_id = ${} AND k.dimension = ${} AND k.key = ${} ORDER BY c.id {dir}",
        n - 2,
        n - 1,
        n
    ));
    let rows =
        PageRow::find_by_statement(crate::db::statement(db.get_database_backend(), &sql, values)).all(db).await?;
    let total = rows.first().map_or(0, |r| Ord::max(r.total, 0) as u64);
    let items = rows
        .into_iter()
        .filter_map(|r| {
            Some(PublishedComment {
                id: r.id?,
                section_id: r.section_id,
                body: r.body?,
                category: r.category?,
                channel: r.channel?,
                display_name: r.display_name,
                received_on: r.received_on?,
                duplicate_group_id: r.duplicate_group_id,
            })
        })
        .collect();
    Ok((total, items))
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
    let total = match super::model::counts_matching(filter) {
        Some(counts) => sum_of(db, decision, &counts).await?,
        None => q.clone().count(db).await?,
    };
    Ok((q.order_by_asc(C::Id).offset(offset).limit(limit).all(db).await?, total))
}

/// The sum of some maintained counts, in one query.
async fn sum_of(db: &impl ConnectionTrait, decision: Uuid, counts: &[(&'static str, String)]) -> AppResult<u64> {
    use comment_counts::Column as K;
    let mut any = Condition::any();
    for (dim, key) in counts {
        any = any.add(Condition::all().add(K::Dimension.eq(*dim)).add(K::Key.eq(key.clone())));
    }
    let rows: Vec<i64> = comment_counts::Entity::find()
        .select_only()
        .column(K::Count)
        .filter(K::DecisionId.eq(decision))
        .filter(any)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|c| Ord::max(c, 0) as u64).sum())
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
