//! Open days as staff keep them — scheduling, changing, cancelling — and as everyone reads
//! them. Registrations are in `registration.rs`.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde_json::json;
use uuid::Uuid;

use super::dto::{OpenDay, OpenDayPage};
use super::model::{OpenDayDraft, OpenDayStatus, fields_from_text, fields_to_text};
use super::registration::promote_waiting;
use super::store;
use crate::audit::{self, Entry};
use crate::authz::{Action, Actor};
use crate::db::{Timestamp, new_id};
use crate::entities::open_days;
use crate::error::{AppError, AppResult};
use crate::http::pagination::items_and_meta;
use crate::kernel::pagination::PageRequest;
use crate::outbox::Message;
use crate::state::AppState;
use crate::t;

pub fn not_found() -> AppError {
    AppError::NotFound(t!("找不到该开放日活动。", "Open day not found."))
}

fn changed_meanwhile() -> AppError {
    AppError::Conflict {
        code: "open_day_changed",
        message: t!("该活动刚被他人修改，请刷新后重试。", "The open day changed meanwhile; reload and try again."),
    }
}

pub fn cancelled() -> AppError {
    AppError::Conflict {
        code: "open_day_cancelled", message: t!("该活动已取消。", "The open day is cancelled.")
    }
}

pub async fn staff_day(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<open_days::Model> {
    actor.principal()?;
    let d = store::find(state.db.conn(), id).await?.ok_or_else(not_found)?;
    actor.authorize(Action::ActFor(d.agency_id))?;
    Ok(d)
}

pub async fn record(
    tx: &impl ConnectionTrait,
    actor: &Actor,
    d: &open_days::Model,
    action: &'static str,
    details: serde_json::Value,
) -> AppResult<()> {
    audit::record(
        tx,
        Entry {
            actor_id: actor.account_id(),
            agency_id: Some(d.agency_id),
            entity_type: "open_day",
            entity_id: d.id,
            action,
            details,
        },
    )
    .await
}

pub fn view(d: open_days::Model, agency_name: String, now: DateTime<Utc>) -> AppResult<OpenDay> {
    let required_fields = fields_from_text(&d.required_fields)?;
    let registration_open =
        d.status == OpenDayStatus::Scheduled && d.registration_opens_at <= now && now < d.registration_closes_at;
    Ok(OpenDay {
        id: d.id,
        agency_id: d.agency_id,
        agency_name,
        title: d.title,
        description: d.description,
        venue: d.venue,
        starts_at: d.starts_at,
        ends_at: d.ends_at,
        capacity: d.capacity,
        confirmed: d.confirmed_count,
        places_left: (d.capacity - d.confirmed_count).max(0),
        waiting: d.waiting_count,
        registration_opens_at: d.registration_opens_at,
        registration_closes_at: d.registration_closes_at,
        registration_open,
        eligibility: d.eligibility,
        required_fields,
        status: d.status,
        cancel_reason: d.cancel_reason,
        updated_at: d.updated_at,
    })
}

async fn view_of(state: &AppState, d: open_days::Model) -> AppResult<OpenDay> {
    let name = crate::agencies::store::find(state.db.conn(), d.agency_id).await?.map(|a| a.name).unwrap_or_default();
    view(d, name, Timestamp::now())
}

pub async fn create(state: &AppState, actor: &Actor, agency: Option<Uuid>, draft: OpenDayDraft) -> AppResult<OpenDay> {
    let agency = actor.acting_agency(agency)?;
    let now = Timestamp::now();
    let d = open_days::Model {
        id: new_id(),
        agency_id: agency,
        title: draft.title,
        description: draft.description,
        venue: draft.venue.name.clone(),
        venue_key: draft.venue.key.clone(),
        starts_at: draft.schedule.starts_at,
        ends_at: draft.schedule.ends_at,
        capacity: draft.capacity,
        registration_opens_at: draft.registration_opens_at,
        registration_closes_at: draft.registration_closes_at,
        eligibility: draft.eligibility,
        required_fields: fields_to_text(&draft.required_fields),
        status: OpenDayStatus::Scheduled,
        cancel_reason: None,
        confirmed_count: 0,
        waiting_count: 0,
        waitlist_seq: 0,
        created_by: actor.account_id().unwrap_or_default(),
        created_at: now,
        updated_at: now,
    };
    let tx = state.db.write().await?;
    crate::venues::claim(&tx, &draft.venue, &draft.schedule, None).await?;
    store::insert(&tx, d.clone()).await?;
    record(&tx, actor, &d, "open_day_scheduled", json!({ "title": d.title, "capacity": d.capacity })).await?;
    tx.commit().await?;
    view_of(state, d).await
}

/// Changes an open day. More places promote people from the waiting list in the same
/// transaction; fewer places than confirmed registrations are refused.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    draft: OpenDayDraft,
    expected: Option<DateTime<Utc>>,
) -> AppResult<OpenDay> {
    let read = staff_day(state, actor, id).await?;
    if read.status == OpenDayStatus::Cancelled {
        return Err(cancelled());
    }
    if expected.is_some_and(|e| e != read.updated_at) {
        return Err(changed_meanwhile());
    }
    let mut next = read.clone();
    next.title = draft.title;
    next.description = draft.description;
    next.venue = draft.venue.name.clone();
    next.venue_key = draft.venue.key.clone();
    next.starts_at = draft.schedule.starts_at;
    next.ends_at = draft.schedule.ends_at;
    next.capacity = draft.capacity;
    next.registration_opens_at = draft.registration_opens_at;
    next.registration_closes_at = draft.registration_closes_at;
    next.eligibility = draft.eligibility;
    next.required_fields = fields_to_text(&draft.required_fields);
    next.updated_at = Timestamp::now();
    let tx = state.db.write().await?;
    store::lock(&tx, id).await?;
    crate::venues::claim(&tx, &draft.venue, &draft.schedule, Some(id)).await?;
    if !store::save_if_unchanged(&tx, read.updated_at, &next).await? {
        let now = store::find(&tx, id).await?.ok_or_else(not_found)?;
        if now.confirmed_count > next.capacity {
            let n = now.confirmed_count;
            return Err(AppError::invalid(
                "capacity",
                "below_confirmed",
                t!("已确认 {n} 人，名额不能少于此数。", "{n} registrations are confirmed; places cannot be fewer."),
            ));
        }
        return Err(changed_meanwhile());
    }
    let promoted = promote_waiting(state, &tx, id).await?;
    record(
        &tx,
        actor,
        &next,
        "open_day_updated",
        json!({ "title": next.title, "capacity": next.capacity, "promoted": promoted }),
    )
    .await?;
    tx.commit().await?;
    let saved = store::find(state.db.conn(), id).await?.ok_or_else(not_found)?;
    view_of(state, saved).await
}

pub async fn cancel(state: &AppState, actor: &Actor, id: Uuid, reason: &str) -> AppResult<OpenDay> {
    let reason =
        crate::kernel::fields::required_text("reason", Some(reason), 2000).map_err(|i| AppError::Invalid(vec![i]))?;
    let read = staff_day(state, actor, id).await?;
    if read.status == OpenDayStatus::Cancelled {
        return Err(cancelled());
    }
    let mut next = read.clone();
    next.status = OpenDayStatus::Cancelled;
    next.cancel_reason = Some(reason.clone());
    next.updated_at = Timestamp::now();
    let tx = state.db.write().await?;
    if !store::save_if_unchanged(&tx, read.updated_at, &next).await? {
        return Err(changed_meanwhile());
    }
    record(&tx, actor, &next, "open_day_cancelled", json!({ "reason": reason })).await?;
    let when = crate::kernel::time::china_time_label(next.starts_at);
    for to in store::live_emails(&tx, id).await? {
        let subject = format!("活动取消通知：{}", next.title);
        let body = format!("您报名的「{}」（原定 {when}）已取消。\n原因：{reason}\n", next.title);
        crate::outbox::service::enqueue(&tx, Message { kind: "open_day_cancelled", to, subject, body }).await?;
    }
    tx.commit().await?;
    view_of(state, next).await
}

pub async fn get(state: &AppState, id: Uuid) -> AppResult<OpenDay> {
    let d = store::find(state.db.conn(), id).await?.ok_or_else(not_found)?;
    view_of(state, d).await
}

pub async fn list(
    state: &AppState,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    agency: Option<Uuid>,
    page: PageRequest,
) -> AppResult<OpenDayPage> {
    let (rows, total) = store::list(state.db.conn(), from, to, agency, page.offset(), page.per_page).await?;
    let names = crate::agencies::service::names(state).await?;
    let now = Timestamp::now();
    let views = rows
        .into_iter()
        .map(|d| {
            let name = names.get(&d.agency_id).cloned().unwrap_or_default();
            view(d, name, now)
        })
        .collect::<AppResult<Vec<_>>>()?;
    let (items, meta) = items_and_meta(page.page(views, total), |v| v);
    Ok(OpenDayPage { items, meta })
}
