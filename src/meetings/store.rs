//! Queries of meetings, agenda items and attendance requests.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::model::{AttendanceStatus, MeetingStatus, StreamState};
use crate::db::Timestamp;
use crate::entities::{agenda_items, attendance_requests, meetings};
use crate::error::AppResult;

use agenda_items::Column as I;
use attendance_requests::Column as R;
use meetings::Column as M;

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<meetings::Model>> {
    Ok(meetings::Entity::find_by_id(id).one(db).await?)
}

pub async fn items_of(db: &impl ConnectionTrait, meeting: Uuid) -> AppResult<Vec<agenda_items::Model>> {
    Ok(agenda_items::Entity::find().filter(I::MeetingId.eq(meeting)).order_by_asc(I::Position).all(db).await?)
}

pub async fn insert(db: &impl ConnectionTrait, m: meetings::Model) -> AppResult<()> {
    meetings::Entity::insert(m.into_active_model()).exec_without_returning(db).await?;
    Ok(())
}

pub async fn insert_items(db: &impl ConnectionTrait, items: Vec<agenda_items::Model>) -> AppResult<()> {
    if !items.is_empty() {
        agenda_items::Entity::insert_many(items.into_iter().map(IntoActiveModel::into_active_model))
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

pub async fn delete_items_except(db: &impl ConnectionTrait, meeting: Uuid, keep: &[Uuid]) -> AppResult<()> {
    let mut q = agenda_items::Entity::delete_many().filter(I::MeetingId.eq(meeting));
    if !keep.is_empty() {
        q = q.filter(I::Id.is_not_in(keep.to_vec()));
    }
    q.exec(db).await?;
    Ok(())
}

pub async fn update_item(db: &impl ConnectionTrait, item: &agenda_items::Model) -> AppResult<()> {
    agenda_items::Entity::update_many()
        .col_expr(I::Position, Expr::value(item.position))
        .col_expr(I::Title, Expr::value(item.title.clone()))
        .col_expr(I::DecisionId, Expr::value(item.decision_id))
        .col_expr(I::Openness, Expr::value(item.openness.as_str()))
        .col_expr(I::ReplayOffsetSeconds, Expr::value(item.replay_offset_seconds))
        .filter(I::Id.eq(item.id))
        .filter(I::MeetingId.eq(item.meeting_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Saves a meeting if it is still as read (`updated_at`), stamping a new version.
pub async fn save_if_unchanged(
    db: &impl ConnectionTrait,
    read: DateTime<Utc>,
    next: &meetings::Model,
) -> AppResult<bool> {
    let r = meetings::Entity::update_many()
        .col_expr(M::Title, Expr::value(next.title.clone()))
        .col_expr(M::Kind, Expr::value(next.kind.as_str()))
        .col_expr(M::Description, Expr::value(next.description.clone()))
        .col_expr(M::StartsAt, Expr::value(next.starts_at))
        .col_expr(M::EndsAt, Expr::value(next.ends_at))
        .col_expr(M::Venue, Expr::value(next.venue.clone()))
        .col_expr(M::VenueKey, Expr::value(next.venue_key.clone()))
        .col_expr(M::Status, Expr::value(next.status.as_str()))
        .col_expr(M::CancelReason, Expr::value(next.cancel_reason.clone()))
        .col_expr(M::Summary, Expr::value(next.summary.clone()))
        .col_expr(M::AttendanceCapacity, Expr::value(next.attendance_capacity))
        .col_expr(M::AttendanceClosesAt, Expr::value(next.attendance_closes_at))
        .col_expr(M::StreamState, Expr::value(next.stream_state.as_str()))
        .col_expr(M::WatchUrl, Expr::value(next.watch_url.clone()))
        .col_expr(M::EmbedUrl, Expr::value(next.embed_url.clone()))
        .col_expr(M::HlsUrl, Expr::value(next.hls_url.clone()))
        .col_expr(M::ReplayUrl, Expr::value(next.replay_url.clone()))
        .col_expr(M::UpdatedAt, Expr::value(next.updated_at))
        .filter(M::Id.eq(next.id))
        .filter(M::UpdatedAt.eq(read))
        .filter(M::AttendanceApproved.lte(next.attendance_capacity))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Moves the stream from `from` to `to`; false when it was no longer in `from`.
pub async fn move_stream(db: &impl ConnectionTrait, id: Uuid, from: StreamState, to: StreamState) -> AppResult<bool> {
    let r = meetings::Entity::update_many()
        .col_expr(M::StreamState, Expr::value(to.as_str()))
        .col_expr(M::UpdatedAt, Expr::value(Timestamp::now()))
        .filter(M::Id.eq(id))
        .filter(M::StreamState.eq(from.as_str()))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Meetings in a period, newest first or soonest first; with the total.
pub async fn list(
    db: &impl ConnectionTrait,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    agency: Option<Uuid>,
    status: Option<MeetingStatus>,
    offset: u64,
    limit: u64,
) -> AppResult<(Vec<meetings::Model>, u64)> {
    let mut cond = crate::venues::period_filter([M::StartsAt, M::EndsAt, M::AgencyId], from, to, agency);
    if let Some(s) = status {
        cond = cond.add(M::Status.eq(s.as_str()));
    }
    let q = meetings::Entity::find().filter(cond);
    let total = q.clone().count(db).await?;
    let rows = q.order_by_asc(M::StartsAt).order_by_asc(M::Id).offset(offset).limit(limit).all(db).await?;
    Ok((rows, total))
}

/// The meetings among `ids` that have a streamed item.
pub async fn streamed_among(db: &impl ConnectionTrait, ids: &[Uuid]) -> AppResult<Vec<Uuid>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(agenda_items::Entity::find()
        .select_only()
        .column(I::MeetingId)
        .distinct()
        .filter(I::MeetingId.is_in(ids.to_vec()))
        .filter(I::Openness.is_in(["livestream", "both"]))
        .into_tuple::<Uuid>()
        .all(db)
        .await?)
}

pub async fn items_of_decision(db: &impl ConnectionTrait, decision: Uuid) -> AppResult<Vec<agenda_items::Model>> {
    Ok(agenda_items::Entity::find().filter(I::DecisionId.eq(decision)).limit(200).all(db).await?)
}

pub async fn find_many(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> AppResult<Vec<meetings::Model>> {
    Ok(meetings::Entity::find().filter(M::Id.is_in(ids)).order_by_asc(M::StartsAt).all(db).await?)
}

// Attendance requests.

pub async fn insert_request(db: &impl ConnectionTrait, r: attendance_requests::Model) -> AppResult<()> {
    attendance_requests::Entity::insert(r.into_active_model()).exec_without_returning(db).await?;
    Ok(())
}

pub async fn request_by_code(
    db: &impl ConnectionTrait,
    code_hash: &str,
) -> AppResult<Option<attendance_requests::Model>> {
    Ok(attendance_requests::Entity::find().filter(R::CodeHash.eq(code_hash)).one(db).await?)
}

pub async fn request(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<attendance_requests::Model>> {
    Ok(attendance_requests::Entity::find_by_id(id).one(db).await?)
}

pub async fn requests_of(db: &impl ConnectionTrait, meeting: Uuid) -> AppResult<Vec<attendance_requests::Model>> {
    Ok(attendance_requests::Entity::find()
        .filter(R::MeetingId.eq(meeting))
        .order_by_asc(R::CreatedAt)
        .limit(5000)
        .all(db)
        .await?)
}

/// Approved requests with an e-mail address, to tell them about the meeting.
pub async fn approved_emails(db: &impl ConnectionTrait, meeting: Uuid) -> AppResult<Vec<String>> {
    Ok(attendance_requests::Entity::find()
        .select_only()
        .column(R::Email)
        .filter(R::MeetingId.eq(meeting))
        .filter(R::Status.eq(AttendanceStatus::Approved.as_str()))
        .filter(R::Email.is_not_null())
        .into_tuple::<Option<String>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect())
}

/// Takes one attendance place; false when none is left. Locks the meeting's row, so
/// approvals on every node queue here.
pub async fn take_place(db: &impl ConnectionTrait, meeting: Uuid) -> AppResult<bool> {
    let r = meetings::Entity::update_many()
        .col_expr(M::AttendanceApproved, Expr::col(M::AttendanceApproved).add(1))
        .filter(M::Id.eq(meeting))
        .filter(Expr::col(M::AttendanceApproved).lt(Expr::col(M::AttendanceCapacity)))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

pub async fn free_place(db: &impl ConnectionTrait, meeting: Uuid) -> AppResult<()> {
    meetings::Entity::update_many()
        .col_expr(M::AttendanceApproved, Expr::col(M::AttendanceApproved).sub(1))
        .filter(M::Id.eq(meeting))
        .filter(M::AttendanceApproved.gt(0))
        .exec(db)
        .await?;
    Ok(())
}

/// Moves a request from `from` to `to`; false when it was no longer in `from`.
pub async fn decide(
    db: &impl ConnectionTrait,
    id: Uuid,
    from: AttendanceStatus,
    to: AttendanceStatus,
    reason: Option<String>,
    by: Option<Uuid>,
) -> AppResult<bool> {
    let now = Timestamp::now();
    let r = attendance_requests::Entity::update_many()
        .col_expr(R::Status, Expr::value(to.as_str()))
        .col_expr(R::DeclineReason, Expr::value(reason))
        .col_expr(R::DecidedAt, Expr::value(Some(now)))
        .col_expr(R::DecidedBy, Expr::value(by))
        .filter(R::Id.eq(id))
        .filter(R::Status.eq(from.as_str()))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}
