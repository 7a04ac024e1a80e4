//! Queries for viewpoints, the feedback side of comments, and published report versions.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::model::{Disposition, Satisfaction};
use crate::db::{Timestamp, statement};
use crate::entities::{comment_feedback, feedback_reports, viewpoints};
use crate::error::AppResult;

use comment_feedback::Column as F;
use viewpoints::Column as V;

/// Comments a report considers: received or published (not withdrawn, not hidden).
const CONSIDERED: &str = "c.status IN ('received', 'published')";

pub async fn insert_viewpoint(db: &impl ConnectionTrait, row: viewpoints::Model) -> AppResult<viewpoints::Model> {
    Ok(viewpoints::Entity::insert(row.into_active_model()).exec_with_returning(db).await?)
}

pub async fn viewpoint(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<viewpoints::Model>> {
    Ok(viewpoints::Entity::find_by_id(id).one(db).await?)
}

pub async fn viewpoints_of(db: &impl ConnectionTrait, decision: Uuid) -> AppResult<Vec<viewpoints::Model>> {
    Ok(viewpoints::Entity::find()
        .filter(V::DecisionId.eq(decision))
        .order_by_asc(V::CreatedAt)
        .order_by_asc(V::Id)
        .all(db)
        .await?)
}

/// Saves a viewpoint if it is still as read (`updated_at`): two staff editing at once do
/// not overwrite each other silently.
pub async fn save_viewpoint_if_unchanged(
    db: &impl ConnectionTrait,
    read: &viewpoints::Model,
    next: viewpoints::Model,
) -> AppResult<bool> {
    let result = viewpoints::Entity::update_many()
        .col_expr(V::Title, Expr::value(next.title))
        .col_expr(V::Summary, Expr::value(next.summary))
        .col_expr(V::Disposition, Expr::value(next.disposition.map(|d| d.as_str().to_string())))
        .col_expr(V::Reason, Expr::value(next.reason))
        .col_expr(V::Reply, Expr::value(next.reply))
        .col_expr(V::UpdatedAt, Expr::value(Timestamp::now()))
        .filter(V::Id.eq(read.id))
        .filter(V::UpdatedAt.eq(read.updated_at))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn delete_viewpoint(db: &impl ConnectionTrait, id: Uuid) -> AppResult<()> {
    viewpoints::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// Moves every comment of viewpoint `from` to `to` (`None`: no viewpoint); how many moved.
pub async fn move_comments(db: &impl ConnectionTrait, from: Uuid, to: Option<Uuid>) -> AppResult<u64> {
    let result = comment_feedback::Entity::update_many()
        .col_expr(F::ViewpointId, Expr::value(to))
        .col_expr(F::UpdatedAt, Expr::value(Timestamp::now()))
        .filter(F::ViewpointId.eq(from))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// The feedback rows of some comments.
pub async fn feedback_of(db: &impl ConnectionTrait, ids: &[Uuid]) -> AppResult<Vec<comment_feedback::Model>> {
    let mut rows = Vec::new();
    for chunk in ids.chunks(500) {
        rows.extend(comment_feedback::Entity::find().filter(F::CommentId.is_in(chunk.to_vec())).all(db).await?);
    }
    Ok(rows)
}

/// Makes sure each comment has a feedback row (without touching existing ones).
pub async fn ensure_rows(db: &impl ConnectionTrait, decision: Uuid, ids: &[Uuid]) -> AppResult<()> {
    let now = Timestamp::now();
    for chunk in ids.chunks(500) {
        let rows = chunk.iter().map(|id| comment_feedback::ActiveModel {
            comment_id: Set(*id),
            decision_id: Set(decision),
            viewpoint_id: Set(None),
            disposition: Set(None),
            reason: Set(None),
            reply: Set(None),
            satisfaction: Set(None),
            remark: Set(None),
            rated_at: Set(None),
            updated_at: Set(now),
        });
        comment_feedback::Entity::insert_many(rows)
            .on_conflict_do_nothing_on([F::CommentId])
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Puts the comments under viewpoint `to` (`None`: none); how many changed.
pub async fn assign(db: &impl ConnectionTrait, decision: Uuid, ids: &[Uuid], to: Option<Uuid>) -> AppResult<u64> {
    ensure_rows(db, decision, ids).await?;
    let mut changed = 0;
    for chunk in ids.chunks(500) {
        let mut q = comment_feedback::Entity::update_many()
            .col_expr(F::ViewpointId, Expr::value(to))
            .col_expr(F::UpdatedAt, Expr::value(Timestamp::now()))
            .filter(F::CommentId.is_in(chunk.to_vec()));
        // Only rows that change, so the answer counts what moved.
        q = match to {
            Some(v) => q.filter(sea_orm::Condition::any().add(F::ViewpointId.is_null()).add(F::ViewpointId.ne(v))),
            None => q.filter(F::ViewpointId.is_not_null()),
        };
        changed += q.exec(db).await?.rows_affected;
    }
    Ok(changed)
}

/// Sets (or clears) one comment's own disposition.
pub async fn set_comment_answer(
    db: &impl ConnectionTrait,
    decision: Uuid,
    comment: Uuid,
    disposition: Option<Disposition>,
    reason: Option<String>,
    reply: Option<String>,
) -> AppResult<()> {
    ensure_rows(db, decision, &[comment]).await?;
    comment_feedback::Entity::update_many()
        .col_expr(F::Disposition, Expr::value(disposition.map(|d| d.as_str().to_string())))
        .col_expr(F::Reason, Expr::value(reason))
        .col_expr(F::Reply, Expr::value(reply))
        .col_expr(F::UpdatedAt, Expr::value(Timestamp::now()))
        .filter(F::CommentId.eq(comment))
        .exec(db)
        .await?;
    Ok(())
}

/// Records a rating unless the comment was rated already; whether it was recorded.
pub async fn rate(
    db: &impl ConnectionTrait,
    decision: Uuid,
    comment: Uuid,
    satisfaction: Satisfaction,
    remark: Option<String>,
) -> AppResult<bool> {
    ensure_rows(db, decision, &[comment]).await?;
    let now = Timestamp::now();
    let result = comment_feedback::Entity::update_many()
        .col_expr(F::Satisfaction, Expr::value(satisfaction.as_str()))
        .col_expr(F::Remark, Expr::value(remark))
        .col_expr(F::RatedAt, Expr::value(now))
        .col_expr(F::UpdatedAt, Expr::value(now))
        .filter(F::CommentId.eq(comment))
        .filter(F::Satisfaction.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Considered comments per viewpoint.
pub async fn viewpoint_counts(db: &impl ConnectionTrait, decision: Uuid) -> AppResult<Vec<(Uuid, u64)>> {
    let sql = format!(
        "SELECT f.viewpoint_id, COUNT(*) FROM comment_feedback f JOIN comments c ON c.id = f.comment_id \
         WHERE f.decision_id = $1 AND f.viewpoint_id IS NOT NULL AND {CONSIDERED} GROUP BY f.viewpoint_id"
    );
    let rows = db.query_all_raw(statement(db.get_database_backend(), &sql, vec![decision.into()])).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push((r.try_get_by_index::<Uuid>(0)?, r.try_get_by_index::<i64>(1)?.max(0) as u64));
    }
    Ok(out)
}

/// Considered comments by effective disposition (their own, else their viewpoint's; `None`:
/// undecided).
pub async fn tally(db: &impl ConnectionTrait, decision: Uuid) -> AppResult<Vec<(Option<String>, u64)>> {
    let sql = format!(
        "SELECT COALESCE(f.disposition, v.disposition) AS d, COUNT(*) FROM comments c \
         LEFT JOIN comment_feedback f ON f.comment_id = c.id \
         LEFT JOIN viewpoints v ON v.id = f.viewpoint_id \
         WHERE c.decision_id = $1 AND {CONSIDERED} GROUP BY COALESCE(f.disposition, v.disposition)"
    );
    let rows = db.query_all_raw(statement(db.get_database_backend(), &sql, vec![decision.into()])).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push((r.try_get_by_index::<Option<String>>(0)?, r.try_get_by_index::<i64>(1)?.max(0) as u64));
    }
    Ok(out)
}

/// Considered comments, and distinct people among them: an account, else a contact address
/// (e-mail, else phone), else each anonymous comment on its own.
pub async fn comments_and_participants(db: &impl ConnectionTrait, decision: Uuid) -> AppResult<(u64, u64)> {
    let sql = format!(
        "SELECT COUNT(*), COUNT(DISTINCT c.account_id), \
         COUNT(DISTINCT CASE WHEN c.account_id IS NULL THEN COALESCE(c.contact_email, c.contact_phone) END), \
         COUNT(CASE WHEN c.account_id IS NULL AND c.contact_email IS NULL AND c.contact_phone IS NULL THEN 1 END) \
         FROM comments c WHERE c.decision_id = $1 AND {CONSIDERED}"
    );
    let row = db.query_one_raw(statement(db.get_database_backend(), &sql, vec![decision.into()])).await?;
    let Some(r) = row else { return Ok((0, 0)) };
    let n = |i: usize| r.try_get_by_index::<i64>(i).map(|v| v.max(0) as u64);
    Ok((n(0)?, n(1)? + n(2)? + n(3)?))
}

/// Comments with an e-mail address to tell about a published report.
pub async fn contacts_to_notify(db: &impl ConnectionTrait, decision: Uuid) -> AppResult<Vec<(String, String)>> {
    let sql = format!(
        "SELECT c.contact_email, c.tracking_number FROM comments c \
         WHERE c.decision_id = $1 AND c.contact_email IS NOT NULL AND {CONSIDERED} ORDER BY c.id"
    );
    let rows = db.query_all_raw(statement(db.get_database_backend(), &sql, vec![decision.into()])).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push((r.try_get_by_index::<String>(0)?, r.try_get_by_index::<String>(1)?));
    }
    Ok(out)
}

pub async fn reports(db: &impl ConnectionTrait, decision: Uuid) -> AppResult<Vec<feedback_reports::Model>> {
    use feedback_reports::Column as R;
    Ok(feedback_reports::Entity::find().filter(R::DecisionId.eq(decision)).order_by_asc(R::Version).all(db).await?)
}

pub async fn report(
    db: &impl ConnectionTrait,
    decision: Uuid,
    version: i32,
) -> AppResult<Option<feedback_reports::Model>> {
    use feedback_reports::Column as R;
    Ok(feedback_reports::Entity::find()
        .filter(R::DecisionId.eq(decision))
        .filter(R::Version.eq(version))
        .one(db)
        .await?)
}

pub async fn insert_report(db: &impl ConnectionTrait, row: feedback_reports::Model) -> AppResult<()> {
    feedback_reports::Entity::insert(row.into_active_model()).exec_without_returning(db).await?;
    Ok(())
}

/// Decisions whose window closed before `now` and that are not withdrawn (of one agency,
/// or all): the consultations a feedback report is owed for.
pub async fn closed_consultations(
    db: &impl ConnectionTrait,
    agency: Option<Uuid>,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<Vec<crate::entities::decisions::Model>> {
    use crate::decisions::model::DecisionStatus;
    use crate::entities::decisions::{Column as D, Entity};
    let mut q = Entity::find()
        .filter(D::WindowClosesAt.lt(now))
        .filter(D::PublishedAt.is_not_null())
        .filter(D::Status.ne(DecisionStatus::Withdrawn));
    if let Some(a) = agency {
        q = q.filter(D::AgencyId.eq(a));
    }
    Ok(q.order_by_asc(D::WindowClosesAt).limit(500).all(db).await?)
}
