//! Queries of open days and registrations. The counting statements are the capacity rule:
//! every transaction that confirms or frees a place starts by updating the open day's row
//! (`take_place`, `join_waitlist`, `lock`), so on PostgreSQL they queue on its row lock on
//! every node, and `confirmed_count < capacity` is decided by the database, never by a read.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::model::RegistrationStatus;
use crate::db::{Timestamp, statement};
use crate::entities::{open_day_registrations, open_days};
use crate::error::AppResult;

use open_day_registrations::Column as R;
use open_days::Column as D;

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<open_days::Model>> {
    Ok(open_days::Entity::find_by_id(id).one(db).await?)
}

pub async fn insert(db: &impl ConnectionTrait, d: open_days::Model) -> AppResult<()> {
    open_days::Entity::insert(d.into_active_model()).exec_without_returning(db).await?;
    Ok(())
}

/// Saves what staff edit if the open day is still as read (`updated_at`) and the capacity
/// still holds every confirmed registration.
pub async fn save_if_unchanged(
    db: &impl ConnectionTrait,
    read: DateTime<Utc>,
    next: &open_days::Model,
) -> AppResult<bool> {
    let r = open_days::Entity::update_many()
        .col_expr(D::Title, Expr::value(next.title.clone()))
        .col_expr(D::Description, Expr::value(next.description.clone()))
        .col_expr(D::Venue, Expr::value(next.venue.clone()))
        .col_expr(D::VenueKey, Expr::value(next.venue_key.clone()))
        .col_expr(D::StartsAt, Expr::value(next.starts_at))
        .col_expr(D::EndsAt, Expr::value(next.ends_at))
        .col_expr(D::Capacity, Expr::value(next.capacity))
        .col_expr(D::RegistrationOpensAt, Expr::value(next.registration_opens_at))
        .col_expr(D::RegistrationClosesAt, Expr::value(next.registration_closes_at))
        .col_expr(D::Eligibility, Expr::value(next.eligibility.clone()))
        .col_expr(D::RequiredFields, Expr::value(next.required_fields.clone()))
        .col_expr(D::Status, Expr::value(next.status.as_str()))
        .col_expr(D::CancelReason, Expr::value(next.cancel_reason.clone()))
        .col_expr(D::UpdatedAt, Expr::value(next.updated_at))
        .filter(D::Id.eq(next.id))
        .filter(D::UpdatedAt.eq(read))
        .filter(D::ConfirmedCount.lte(next.capacity))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Takes a place if one is left (and nobody is waiting for it: the waiting list is served
/// first, so with people waiting `confirmed_count = capacity`). True when taken.
pub async fn take_place(db: &impl ConnectionTrait, id: Uuid) -> AppResult<bool> {
    let r = open_days::Entity::update_many()
        .col_expr(D::ConfirmedCount, Expr::col(D::ConfirmedCount).add(1))
        .filter(D::Id.eq(id))
        .filter(D::Status.eq("scheduled"))
        .filter(Expr::col(D::ConfirmedCount).lt(Expr::col(D::Capacity)))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Joins the waiting list: the next number and the place in the list (the last, so the
/// number waiting), or `None` when the day was cancelled meanwhile.
pub async fn join_waitlist(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<(i64, i64)>> {
    let sql = "UPDATE open_days SET waitlist_seq = waitlist_seq + 1, waiting_count = waiting_count + 1 \
               WHERE id = $1 AND status = 'scheduled' RETURNING waitlist_seq, waiting_count";
    let row = db.query_one_raw(statement(db.get_database_backend(), sql, vec![id.into()])).await?;
    Ok(match row {
        Some(r) => Some((r.try_get::<i64>("", "waitlist_seq")?, i64::from(r.try_get::<i32>("", "waiting_count")?))),
        None => None,
    })
}

/// Locks the open day's row for a transaction that moves registrations between states.
pub async fn lock(db: &impl ConnectionTrait, id: Uuid) -> AppResult<()> {
    let sql = "UPDATE open_days SET confirmed_count = confirmed_count WHERE id = $1";
    db.execute_raw(statement(db.get_database_backend(), sql, vec![id.into()])).await?;
    Ok(())
}

/// Moves the counts by the given amounts (under the lock taken by [`lock`]).
pub async fn add_counts(db: &impl ConnectionTrait, id: Uuid, confirmed: i32, waiting: i32) -> AppResult<()> {
    open_days::Entity::update_many()
        .col_expr(D::ConfirmedCount, Expr::col(D::ConfirmedCount).add(confirmed))
        .col_expr(D::WaitingCount, Expr::col(D::WaitingCount).add(waiting))
        .filter(D::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn insert_registration(db: &impl ConnectionTrait, r: open_day_registrations::Model) -> AppResult<()> {
    open_day_registrations::Entity::insert(r.into_active_model()).exec_without_returning(db).await?;
    Ok(())
}

pub async fn registration(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<open_day_registrations::Model>> {
    Ok(open_day_registrations::Entity::find_by_id(id).one(db).await?)
}

pub async fn by_code(db: &impl ConnectionTrait, code_hash: &str) -> AppResult<Option<open_day_registrations::Model>> {
    Ok(open_day_registrations::Entity::find().filter(R::CodeHash.eq(code_hash)).one(db).await?)
}

/// Moves a registration from `from` to `to`; false when it was no longer in `from`.
pub async fn move_registration(
    db: &impl ConnectionTrait,
    id: Uuid,
    from: RegistrationStatus,
    to: RegistrationStatus,
) -> AppResult<bool> {
    let now = Timestamp::now();
    let mut q = open_day_registrations::Entity::update_many().col_expr(R::Status, Expr::value(to.as_str()));
    q = match to {
        RegistrationStatus::Confirmed => q.col_expr(R::ConfirmedAt, Expr::value(Some(now))),
        RegistrationStatus::Cancelled => q.col_expr(R::CancelledAt, Expr::value(Some(now))),
        RegistrationStatus::Waitlisted => q,
    };
    let r = q.filter(R::Id.eq(id)).filter(R::Status.eq(from.as_str())).exec(db).await?;
    Ok(r.rows_affected == 1)
}

/// The first registration on the waiting list.
pub async fn first_waiting(db: &impl ConnectionTrait, day: Uuid) -> AppResult<Option<open_day_registrations::Model>> {
    Ok(open_day_registrations::Entity::find()
        .filter(R::OpenDayId.eq(day))
        .filter(R::Status.eq(RegistrationStatus::Waitlisted.as_str()))
        .order_by_asc(R::WaitlistSeq)
        .one(db)
        .await?)
}

/// How many wait before the one with number `seq`.
pub async fn waiting_before(db: &impl ConnectionTrait, day: Uuid, seq: i64) -> AppResult<u64> {
    Ok(open_day_registrations::Entity::find()
        .filter(R::OpenDayId.eq(day))
        .filter(R::Status.eq(RegistrationStatus::Waitlisted.as_str()))
        .filter(R::WaitlistSeq.lt(seq))
        .count(db)
        .await?)
}

/// Checks a confirmed registration in, once. False when it was not confirmed or already in.
pub async fn check_in(db: &impl ConnectionTrait, id: Uuid, by: Option<Uuid>) -> AppResult<bool> {
    let r = open_day_registrations::Entity::update_many()
        .col_expr(R::CheckedInAt, Expr::value(Some(Timestamp::now())))
        .col_expr(R::CheckedInBy, Expr::value(by))
        .filter(R::Id.eq(id))
        .filter(R::Status.eq(RegistrationStatus::Confirmed.as_str()))
        .filter(R::CheckedInAt.is_null())
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

pub async fn list(
    db: &impl ConnectionTrait,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    agency: Option<Uuid>,
    offset: u64,
    limit: u64,
) -> AppResult<(Vec<open_days::Model>, u64)> {
    let cond = crate::venues::period_filter([D::StartsAt, D::EndsAt, D::AgencyId], from, to, agency);
    let q = open_days::Entity::find().filter(cond);
    let total = q.clone().count(db).await?;
    let rows = q.order_by_asc(D::StartsAt).order_by_asc(D::Id).offset(offset).limit(limit).all(db).await?;
    Ok((rows, total))
}

fn registrations_query(
    day: Uuid,
    status: Option<RegistrationStatus>,
) -> sea_orm::Select<open_day_registrations::Entity> {
    let mut q = open_day_registrations::Entity::find().filter(R::OpenDayId.eq(day));
    if let Some(s) = status {
        q = q.filter(R::Status.eq(s.as_str()));
    }
    // Confirmed first in the order they came, then the waiting list in its order.
    q.order_by_asc(R::Status).order_by_asc(R::WaitlistSeq).order_by_asc(R::CreatedAt).order_by_asc(R::Id)
}

pub async fn registrations(
    db: &impl ConnectionTrait,
    day: Uuid,
    status: Option<RegistrationStatus>,
    offset: u64,
    limit: u64,
) -> AppResult<(Vec<open_day_registrations::Model>, u64)> {
    let q = registrations_query(day, status);
    let total = q.clone().count(db).await?;
    Ok((q.offset(offset).limit(limit).all(db).await?, total))
}

pub async fn checked_in_count(db: &impl ConnectionTrait, day: Uuid) -> AppResult<u64> {
    Ok(open_day_registrations::Entity::find()
        .filter(R::OpenDayId.eq(day))
        .filter(R::CheckedInAt.is_not_null())
        .count(db)
        .await?)
}

/// E-mail addresses of live registrations, to tell them the day is cancelled.
pub async fn live_emails(db: &impl ConnectionTrait, day: Uuid) -> AppResult<Vec<String>> {
    Ok(open_day_registrations::Entity::find()
        .select_only()
        .column(R::Email)
        .filter(R::OpenDayId.eq(day))
        .filter(R::Status.ne(RegistrationStatus::Cancelled.as_str()))
        .filter(R::Email.is_not_null())
        .into_tuple::<Option<String>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect())
}
