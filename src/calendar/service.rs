//! The events of the calendar, from meetings and open days.

use chrono::{DateTime, TimeDelta, Utc};
use poem_openapi::Object;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::meetings::model::{MeetingStatus, StreamState};
use crate::open_days::model::OpenDayStatus;
use crate::state::AppState;
use crate::t;

crate::vocabulary! {
    /// What a calendar event is.
    pub enum EventKind {
        Meeting = "meeting",
        OpenDay = "open_day",
    }
}

/// The longest period one calendar request covers.
pub const MAX_PERIOD: TimeDelta = TimeDelta::days(400);
/// At most this many events of each kind in one answer.
const MAX_EVENTS: u64 = 1000;

/// One event of the calendar.
#[derive(Object, Clone, Debug, PartialEq, Eq)]
#[oai(skip_serializing_if_is_none)]
pub struct CalendarEvent {
    pub kind: EventKind,
    pub id: Uuid,
    pub title: String,
    pub agency_id: Uuid,
    pub agency_name: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub venue: String,
    pub cancelled: bool,
    /// A meeting whose livestream is live now.
    pub live: bool,
    /// A meeting with a streamed agenda item.
    pub streamed: bool,
    /// An open day's places left.
    pub places_left: Option<i32>,
    /// The description shown in calendar apps (a meeting's kind, an open day's text).
    pub description: String,
    pub updated_at: DateTime<Utc>,
}

pub struct Period {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl Period {
    pub fn parse(from: DateTime<Utc>, to: DateTime<Utc>) -> AppResult<Self> {
        if to <= from || to - from > MAX_PERIOD {
            return Err(AppError::invalid(
                "to",
                "bad_period",
                t!("时间范围应为 1 秒到 400 天。", "The period must be longer than zero and at most 400 days."),
            ));
        }
        Ok(Period { from, to })
    }
}

/// Meetings and open days in the period, soonest first.
pub async fn events(state: &AppState, period: &Period, agency: Option<Uuid>) -> AppResult<Vec<CalendarEvent>> {
    let db = state.db.conn();
    let names = crate::agencies::service::names(state).await?;
    let name = |id: &Uuid| names.get(id).cloned().unwrap_or_default();
    let (meetings, _) =
        crate::meetings::store::list(db, Some(period.from), Some(period.to), agency, None, 0, MAX_EVENTS).await?;
    let ids: Vec<Uuid> = meetings.iter().map(|m| m.id).collect();
    let streamed = crate::meetings::store::streamed_among(db, &ids).await?;
    let mut out: Vec<CalendarEvent> = meetings
        .into_iter()
        .map(|m| {
            let s = streamed.contains(&m.id);
            CalendarEvent {
                kind: EventKind::Meeting,
                id: m.id,
                agency_name: name(&m.agency_id),
                agency_id: m.agency_id,
                starts_at: m.starts_at,
                ends_at: m.ends_at,
                cancelled: m.status == MeetingStatus::Cancelled,
                live: s && m.stream_state == StreamState::Live,
                streamed: s,
                places_left: None,
                description: m.description.chars().take(500).collect(),
                updated_at: m.updated_at,
                title: m.title,
                venue: m.venue,
            }
        })
        .collect();
    let (days, _) =
        crate::open_days::store::list(db, Some(period.from), Some(period.to), agency, 0, MAX_EVENTS).await?;
    out.extend(days.into_iter().map(|d| CalendarEvent {
        kind: EventKind::OpenDay,
        id: d.id,
        agency_name: name(&d.agency_id),
        agency_id: d.agency_id,
        starts_at: d.starts_at,
        ends_at: d.ends_at,
        cancelled: d.status == OpenDayStatus::Cancelled,
        live: false,
        streamed: false,
        places_left: Some((d.capacity - d.confirmed_count).max(0)),
        description: d.description.chars().take(500).collect(),
        updated_at: d.updated_at,
        title: d.title,
        venue: d.venue,
    }));
    out.sort_by_key(|e| (e.starts_at, e.id));
    Ok(out)
}

/// One event, for "add to my calendar".
pub async fn event(state: &AppState, kind: EventKind, id: Uuid) -> AppResult<CalendarEvent> {
    let (starts, ends) = match kind {
        EventKind::Meeting => {
            let m = crate::meetings::store::find(state.db.conn(), id)
                .await?
                .ok_or_else(crate::meetings::service::not_found)?;
            (m.starts_at, m.ends_at)
        }
        EventKind::OpenDay => {
            let d = crate::open_days::store::find(state.db.conn(), id)
                .await?
                .ok_or_else(crate::open_days::service::not_found)?;
            (d.starts_at, d.ends_at)
        }
    };
    let period = Period { from: starts - TimeDelta::seconds(1), to: ends };
    events(state, &period, None)
        .await?
        .into_iter()
        .find(|e| e.kind == kind && e.id == id)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("calendar: event {id} not found in its own period")))
}
