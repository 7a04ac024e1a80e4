//! Writes and reads of meetings: scheduling with the agenda, cancelling, the summary, the
//! livestream and its replay. Each write is one transaction with its audit entry, authorized
//! as `ActFor` the meeting's agency and conditioned on the state it read.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use super::dto::{DecisionAgendaItem, Meeting, MeetingPage};
use super::model::{MeetingDraft, MeetingStatus, StreamState, stream_url};
use super::{store, views};
use crate::audit::{self, Entry};
use crate::authz::{Action, Actor};
use crate::db::{Timestamp, new_id};
use crate::entities::{agenda_items, decisions, meetings};
use crate::error::{AppError, AppResult, FieldIssue, Issues};
use crate::kernel::pagination::PageRequest;
use crate::kernel::time::china_time_label;
use crate::outbox::Message;
use crate::state::AppState;
use crate::t;

pub fn not_found() -> AppError {
    AppError::NotFound(t!("找不到该会议。", "Meeting not found."))
}

fn changed_meanwhile() -> AppError {
    AppError::Conflict {
        code: "meeting_changed",
        message: t!("该会议刚被他人修改，请刷新后重试。", "The meeting changed meanwhile; reload and try again."),
    }
}

fn not_scheduled() -> AppError {
    AppError::Conflict {
        code: "meeting_not_scheduled",
        message: t!(
            "会议已取消或已举行，不能再修改安排。",
            "The meeting is cancelled or held; its plan can no longer change."
        ),
    }
}

/// A meeting, for staff of its agency (others: 403; signed out: 401).
pub async fn staff_meeting(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<meetings::Model> {
    actor.principal()?;
    let m = store::find(state.db.conn(), id).await?.ok_or_else(not_found)?;
    actor.authorize(Action::ActFor(m.agency_id))?;
    Ok(m)
}

async fn record(
    tx: &impl ConnectionTrait,
    actor: &Actor,
    m: &meetings::Model,
    action: &'static str,
    details: serde_json::Value,
) -> AppResult<()> {
    audit::record(
        tx,
        Entry {
            actor_id: actor.account_id(),
            agency_id: Some(m.agency_id),
            entity_type: "meeting",
            entity_id: m.id,
            action,
            details,
        },
    )
    .await
}

/// Titles of the published decisions among `ids`.
pub async fn decision_titles(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> AppResult<HashMap<Uuid, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(decisions::Entity::find()
        .filter(decisions::Column::Id.is_in(ids))
        .filter(decisions::Column::PublishedAt.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.title))
        .collect())
}

/// An agenda links only published decisions: the public must be able to follow the link.
async fn check_decisions(state: &AppState, draft: &MeetingDraft) -> AppResult<()> {
    let ids: Vec<Uuid> = draft.agenda.iter().filter_map(|a| a.decision_id).collect();
    let known = decision_titles(state.db.conn(), ids).await?;
    let mut issues = Issues::default();
    for (i, a) in draft.agenda.iter().enumerate() {
        if let Some(d) = a.decision_id
            && !known.contains_key(&d)
        {
            issues.push(FieldIssue::new(
                format!("agenda[{i}].decision_id"),
                "unknown_decision",
                t!("只能关联已公开的决策事项。", "Only published decisions can be linked."),
            ));
        }
    }
    issues.finish()
}

pub async fn view(state: &AppState, m: meetings::Model) -> AppResult<Meeting> {
    let db = state.db.conn();
    let items = store::items_of(db, m.id).await?;
    let titles = decision_titles(db, items.iter().filter_map(|i| i.decision_id).collect()).await?;
    let agency = crate::agencies::store::find(db, m.agency_id).await?.map(|a| a.name).unwrap_or_default();
    Ok(views::meeting(m, items, agency, &titles, Timestamp::now()))
}

fn items_for(meeting: Uuid, draft: &MeetingDraft, old: &[agenda_items::Model]) -> AppResult<Vec<agenda_items::Model>> {
    let mut out = Vec::new();
    for (i, a) in draft.agenda.iter().enumerate() {
        let previous = match a.id {
            Some(id) => Some(old.iter().find(|o| o.id == id).ok_or_else(|| {
                AppError::invalid(
                    format!("agenda[{i}].id"),
                    "unknown_item",
                    t!("该议程项不属于此会议。", "This agenda item is not part of the meeting."),
                )
            })?),
            None => None,
        };
        // A replay offset belongs to a streamed item; an item made closed loses it.
        let offset = previous.and_then(|p| p.replay_offset_seconds).filter(|_| a.openness.streamed());
        out.push(agenda_items::Model {
            id: a.id.unwrap_or_else(new_id),
            meeting_id: meeting,
            position: i as i32 + 1,
            title: a.title.clone(),
            decision_id: a.decision_id,
            openness: a.openness,
            replay_offset_seconds: offset,
        });
    }
    Ok(out)
}

pub async fn create(state: &AppState, actor: &Actor, agency: Option<Uuid>, draft: MeetingDraft) -> AppResult<Meeting> {
    let agency = actor.acting_agency(agency)?;
    check_decisions(state, &draft).await?;
    let now = Timestamp::now();
    let id = new_id();
    let m = meetings::Model {
        id,
        agency_id: agency,
        title: draft.title.clone(),
        kind: draft.kind,
        description: draft.description.clone(),
        starts_at: draft.schedule.starts_at,
        ends_at: draft.schedule.ends_at,
        venue: draft.venue.name.clone(),
        venue_key: draft.venue.key.clone(),
        status: MeetingStatus::Scheduled,
        cancel_reason: None,
        summary: None,
        attendance_capacity: draft.attendance_capacity,
        attendance_approved: 0,
        attendance_closes_at: draft.attendance_closes_at,
        stream_state: StreamState::Scheduled,
        watch_url: None,
        embed_url: None,
        hls_url: None,
        replay_url: None,
        created_by: actor.account_id().unwrap_or_default(),
        created_at: now,
        updated_at: now,
    };
    let items = items_for(id, &draft, &[])?;
    let tx = state.db.write().await?;
    crate::venues::claim(&tx, &draft.venue, &draft.schedule, None).await?;
    store::insert(&tx, m.clone()).await?;
    store::insert_items(&tx, items).await?;
    record(&tx, actor, &m, "meeting_scheduled", json!({ "title": m.title, "starts_at": m.starts_at })).await?;
    tx.commit().await?;
    view(state, m).await
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    draft: MeetingDraft,
    expected: Option<DateTime<Utc>>,
) -> AppResult<Meeting> {
    let read = staff_meeting(state, actor, id).await?;
    if read.status != MeetingStatus::Scheduled {
        return Err(not_scheduled());
    }
    if expected.is_some_and(|e| e != read.updated_at) {
        return Err(changed_meanwhile());
    }
    if draft.attendance_capacity < read.attendance_approved {
        let n = read.attendance_approved;
        return Err(AppError::invalid(
            "attendance_capacity",
            "below_approved",
            t!("已批准 {n} 人列席，名额不能少于此数。", "{n} requests are approved already; places cannot be fewer."),
        ));
    }
    check_decisions(state, &draft).await?;
    let old = store::items_of(state.db.conn(), id).await?;
    let items = items_for(id, &draft, &old)?;
    let mut next = read.clone();
    next.title = draft.title.clone();
    next.kind = draft.kind;
    next.description = draft.description.clone();
    next.starts_at = draft.schedule.starts_at;
    next.ends_at = draft.schedule.ends_at;
    next.venue = draft.venue.name.clone();
    next.venue_key = draft.venue.key.clone();
    next.attendance_capacity = draft.attendance_capacity;
    next.attendance_closes_at = draft.attendance_closes_at;
    next.updated_at = Timestamp::now();
    if !items.iter().any(|i| i.openness.streamed()) {
        // Nothing is streamed any more: no link may stay behind.
        (next.watch_url, next.embed_url, next.hls_url, next.replay_url) = (None, None, None, None);
    }
    let tx = state.db.write().await?;
    crate::venues::claim(&tx, &draft.venue, &draft.schedule, Some(id)).await?;
    if !store::save_if_unchanged(&tx, read.updated_at, &next).await? {
        return Err(changed_meanwhile());
    }
    let keep: Vec<Uuid> = items.iter().filter(|i| old.iter().any(|o| o.id == i.id)).map(|i| i.id).collect();
    store::delete_items_except(&tx, id, &keep).await?;
    for item in items.iter().filter(|i| keep.contains(&i.id)) {
        store::update_item(&tx, item).await?;
    }
    store::insert_items(&tx, items.into_iter().filter(|i| !keep.contains(&i.id)).collect()).await?;
    record(&tx, actor, &next, "meeting_updated", json!({ "title": next.title, "starts_at": next.starts_at })).await?;
    tx.commit().await?;
    view(state, next).await
}

/// Applies `change` to the meeting as read and saves it if nobody changed it meanwhile.
async fn change(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    action: &'static str,
    change: impl FnOnce(&mut meetings::Model) -> AppResult<serde_json::Value>,
) -> AppResult<(meetings::Model, sea_orm::DatabaseTransaction)> {
    let read = staff_meeting(state, actor, id).await?;
    let mut next = read.clone();
    let details = change(&mut next)?;
    next.updated_at = Timestamp::now();
    let tx = state.db.write().await?;
    if !store::save_if_unchanged(&tx, read.updated_at, &next).await? {
        return Err(changed_meanwhile());
    }
    record(&tx, actor, &next, action, details).await?;
    Ok((next, tx))
}

async fn tell_attendees(
    tx: &impl ConnectionTrait,
    m: &meetings::Model,
    kind: &'static str,
    subject: String,
    body: String,
) -> AppResult<()> {
    for to in store::approved_emails(tx, m.id).await? {
        let message = Message { kind, to, subject: subject.clone(), body: body.clone() };
        crate::outbox::service::enqueue(tx, message).await?;
    }
    Ok(())
}

pub async fn cancel(state: &AppState, actor: &Actor, id: Uuid, reason: String) -> AppResult<Meeting> {
    let reason =
        crate::kernel::fields::required_text("reason", Some(&reason), 2000).map_err(|i| AppError::Invalid(vec![i]))?;
    let (m, tx) = change(state, actor, id, "meeting_cancelled", |m| {
        if m.status != MeetingStatus::Scheduled {
            return Err(not_scheduled());
        }
        m.status = MeetingStatus::Cancelled;
        m.cancel_reason = Some(reason.clone());
        if matches!(m.stream_state, StreamState::Scheduled | StreamState::Live) {
            m.stream_state = StreamState::Cancelled;
        }
        Ok(json!({ "reason": reason }))
    })
    .await?;
    let when = china_time_label(m.starts_at);
    let subject = format!("会议取消通知：{}", m.title);
    let body = format!("您申请列席的会议「{}」（原定 {when}）已取消。\n原因：{reason}\n", m.title);
    tell_attendees(&tx, &m, "meeting_cancelled", subject, body).await?;
    tx.commit().await?;
    view(state, m).await
}

pub async fn set_summary(state: &AppState, actor: &Actor, id: Uuid, summary: String) -> AppResult<Meeting> {
    let summary = crate::kernel::fields::required_text("summary", Some(&summary), 20_000)
        .map_err(|i| AppError::Invalid(vec![i]))?;
    let now = Timestamp::now();
    let (m, tx) = change(state, actor, id, "meeting_summary", |m| {
        if m.status == MeetingStatus::Cancelled {
            return Err(not_scheduled());
        }
        if m.starts_at > now {
            return Err(AppError::Conflict {
                code: "meeting_not_started",
                message: t!("会议尚未开始，不能发布会议摘要。", "The meeting has not started; no summary yet."),
            });
        }
        m.status = MeetingStatus::Held;
        m.summary = Some(summary.clone());
        Ok(json!({ "summary_chars": summary.chars().count() }))
    })
    .await?;
    tx.commit().await?;
    view(state, m).await
}

fn nothing_streamed() -> AppError {
    AppError::invalid(
        "agenda",
        "nothing_streamed",
        t!("没有设为直播的议程项，不能设置直播或回放链接。", "No agenda item is streamed; there is nothing to link."),
    )
}

pub async fn set_stream(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    watch: Option<&str>,
    embed: Option<&str>,
    hls: Option<&str>,
) -> AppResult<Meeting> {
    let hosts = &state.config.embed_hosts;
    let mut issues = Issues::default();
    let watch = issues.take(stream_url("watch_url", watch, hosts)).flatten();
    let embed = issues.take(stream_url("embed_url", embed, hosts)).flatten();
    let hls = issues.take(stream_url("hls_url", hls, hosts)).flatten();
    issues.finish()?;
    let items = store::items_of(state.db.conn(), id).await?;
    let streamed = items.iter().any(|i| i.openness.streamed());
    let (m, tx) = change(state, actor, id, "stream_links_set", |m| {
        if !streamed {
            return Err(nothing_streamed());
        }
        if matches!(m.stream_state, StreamState::Cancelled) {
            return Err(not_scheduled());
        }
        (m.watch_url, m.embed_url, m.hls_url) = (watch.clone(), embed.clone(), hls.clone());
        Ok(json!({ "watch_url": watch, "embed_url": embed, "hls_url": hls }))
    })
    .await?;
    tx.commit().await?;
    view(state, m).await
}

fn bad_transition(from: StreamState, to: StreamState) -> AppError {
    AppError::Conflict {
        code: "stream_transition",
        message: t!("直播状态不能从 {from} 变为 {to}。", "The stream cannot go from {from} to {to}."),
    }
}

/// Moves the livestream on (scheduled → live → ended, or cancelled), conditioned on the state
/// read; going live tells approved attendees.
pub async fn move_stream(state: &AppState, actor: &Actor, id: Uuid, to: StreamState) -> AppResult<Meeting> {
    let m = staff_meeting(state, actor, id).await?;
    let from = m.stream_state;
    if !from.may_become(to) {
        return Err(bad_transition(from, to));
    }
    if to == StreamState::Live {
        if m.status == MeetingStatus::Cancelled {
            return Err(not_scheduled());
        }
        let items = store::items_of(state.db.conn(), id).await?;
        if !items.iter().any(|i| i.openness.streamed()) {
            return Err(nothing_streamed());
        }
        if m.watch_url.is_none() && m.embed_url.is_none() && m.hls_url.is_none() {
            return Err(AppError::Conflict {
                code: "stream_without_link",
                message: t!("请先设置直播链接。", "Set a stream link first."),
            });
        }
    }
    let tx = state.db.write().await?;
    if !store::move_stream(&tx, id, from, to).await? {
        return Err(bad_transition(from, to));
    }
    record(&tx, actor, &m, "stream_state", json!({ "from": from.as_str(), "to": to.as_str() })).await?;
    if to == StreamState::Live {
        let url = format!("{}/meetings/{}", state.config.public_url.trim_end_matches('/'), m.id);
        let subject = format!("直播开始：{}", m.title);
        let body = format!("会议「{}」的网络直播已经开始。\n观看：{url}\n", m.title);
        tell_attendees(&tx, &m, "stream_live", subject, body).await?;
    }
    tx.commit().await?;
    let saved = store::find(state.db.conn(), id).await?.ok_or_else(not_found)?;
    view(state, saved).await
}

/// Sets the replay and where each streamed item starts in it. A closed (or attendance-only)
/// item cannot have an offset: the replay never opens at something the public did not see.
pub async fn set_replay(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    replay: Option<&str>,
    offsets: Vec<(Uuid, Option<u32>)>,
) -> AppResult<Meeting> {
    let replay = stream_url("replay_url", replay, &state.config.embed_hosts).map_err(|i| AppError::Invalid(vec![i]))?;
    let items = store::items_of(state.db.conn(), id).await?;
    let mut issues = Issues::default();
    let mut changed = Vec::new();
    for (i, (item_id, offset)) in offsets.into_iter().enumerate() {
        let field = format!("offsets[{i}].item_id");
        match items.iter().find(|it| it.id == item_id) {
            None => issues.push(FieldIssue::new(
                field,
                "unknown_item",
                t!("该议程项不属于此会议。", "This agenda item is not part of the meeting."),
            )),
            Some(it) if !it.openness.streamed() && offset.is_some() => issues.push(FieldIssue::new(
                field,
                "not_streamed",
                t!("不公开或仅列席的议程项没有回放。", "Only streamed items have a place in the replay."),
            )),
            Some(_) if offset.is_some_and(|o| o > super::model::MAX_REPLAY_OFFSET) => issues.push(FieldIssue::new(
                format!("offsets[{i}].offset_seconds"),
                "out_of_range",
                t!("时间点不能超过 24 小时。", "At most 24 hours into the replay."),
            )),
            Some(it) => {
                let mut it = it.clone();
                it.replay_offset_seconds = offset.map(|o| o as i32);
                changed.push(it);
            }
        }
    }
    issues.finish()?;
    let streamed = items.iter().any(|i| i.openness.streamed());
    let (m, tx) = change(state, actor, id, "replay_set", |m| {
        if !streamed && replay.is_some() {
            return Err(nothing_streamed());
        }
        m.replay_url = replay.clone();
        Ok(json!({ "replay_url": replay, "offsets": changed.len() }))
    })
    .await?;
    for item in &changed {
        store::update_item(&tx, item).await?;
    }
    tx.commit().await?;
    view(state, m).await
}

// Reads.

pub async fn get(state: &AppState, id: Uuid) -> AppResult<Meeting> {
    let m = store::find(state.db.conn(), id).await?.ok_or_else(not_found)?;
    view(state, m).await
}

pub struct ListQuery {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub agency_id: Option<Uuid>,
    pub status: Option<MeetingStatus>,
}

pub async fn list(state: &AppState, q: ListQuery, page: PageRequest) -> AppResult<MeetingPage> {
    let db = state.db.conn();
    let (rows, total) = store::list(db, q.from, q.to, q.agency_id, q.status, page.offset(), page.per_page).await?;
    let streamed = store::streamed_among(db, &rows.iter().map(|m| m.id).collect::<Vec<_>>()).await?;
    let names = crate::agencies::service::names(state).await?;
    let summaries = rows
        .into_iter()
        .map(|m| {
            let name = names.get(&m.agency_id).cloned().unwrap_or_default();
            let s = streamed.contains(&m.id);
            views::summary(m, s, name)
        })
        .collect();
    let (items, meta) = crate::http::pagination::items_and_meta(page.page(summaries, total), |s| s);
    Ok(MeetingPage { items, meta })
}

/// The agenda items that concern a decision, with their meetings (a decision's page).
pub async fn for_decision(state: &AppState, actor: &Actor, decision: Uuid) -> AppResult<Vec<DecisionAgendaItem>> {
    let d = crate::decisions::queries::load_visible(state, actor, decision).await?;
    let db = state.db.conn();
    let items = store::items_of_decision(db, d.id).await?;
    let meetings = store::find_many(db, items.iter().map(|i| i.meeting_id).collect()).await?;
    let titles = HashMap::from([(d.id, d.title.clone())]);
    let mut out = Vec::new();
    for m in &meetings {
        for item in items.iter().filter(|i| i.meeting_id == m.id) {
            out.push(views::decision_item(m, item.clone(), &titles));
        }
    }
    Ok(out)
}
