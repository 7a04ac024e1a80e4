//! The one place meeting responses are built from rows. The link rule lives here: a meeting
//! shows its stream only when some agenda item is streamed, and an item shows a replay link
//! only when it is streamed itself — so a closed item never carries one, in any response.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::dto::{
    AgendaItem, Attendance, DecisionAgendaItem, Meeting, MeetingSummary, OwnAttendanceRequest, StaffAttendanceRequest,
    Stream,
};
use super::model::{MeetingStatus, replay_link};
use crate::entities::{agenda_items, attendance_requests, meetings};

pub fn agenda_item(
    item: agenda_items::Model,
    replay_url: Option<&str>,
    decision_titles: &HashMap<Uuid, String>,
) -> AgendaItem {
    let streamed = item.openness.streamed();
    AgendaItem {
        id: item.id,
        position: item.position,
        decision_title: item.decision_id.and_then(|d| decision_titles.get(&d).cloned()),
        decision_id: item.decision_id,
        openness: item.openness,
        replay_offset_seconds: item.replay_offset_seconds.filter(|_| streamed),
        replay_link: replay_url.filter(|_| streamed).map(|u| replay_link(u, item.replay_offset_seconds)),
        title: item.title,
    }
}

fn stream(m: &meetings::Model, items: &[agenda_items::Model]) -> Option<Stream> {
    items.iter().any(|i| i.openness.streamed()).then(|| Stream {
        state: m.stream_state,
        watch_url: m.watch_url.clone(),
        embed_url: m.embed_url.clone(),
        hls_url: m.hls_url.clone(),
        replay_url: m.replay_url.clone(),
    })
}

/// When attendance requests close: the set time, or the meeting's start.
pub fn attendance_closes_at(m: &meetings::Model) -> DateTime<Utc> {
    m.attendance_closes_at.unwrap_or(m.starts_at)
}

fn attendance(m: &meetings::Model, now: DateTime<Utc>) -> Option<Attendance> {
    (m.attendance_capacity > 0).then(|| Attendance {
        capacity: m.attendance_capacity,
        approved: m.attendance_approved,
        places_left: (m.attendance_capacity - m.attendance_approved).max(0),
        closes_at: attendance_closes_at(m),
        open: m.status == MeetingStatus::Scheduled && now < attendance_closes_at(m),
    })
}

pub fn meeting(
    m: meetings::Model,
    mut items: Vec<agenda_items::Model>,
    agency_name: String,
    decision_titles: &HashMap<Uuid, String>,
    now: DateTime<Utc>,
) -> Meeting {
    items.sort_by_key(|i| i.position);
    let stream = stream(&m, &items);
    let attendance = attendance(&m, now);
    let replay = m.replay_url.clone();
    Meeting {
        id: m.id,
        agency_id: m.agency_id,
        agency_name,
        title: m.title,
        kind: m.kind,
        description: m.description,
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        venue: m.venue,
        status: m.status,
        cancel_reason: m.cancel_reason,
        summary: m.summary,
        attendance,
        stream,
        agenda: items.into_iter().map(|i| agenda_item(i, replay.as_deref(), decision_titles)).collect(),
        updated_at: m.updated_at,
    }
}

pub fn summary(m: meetings::Model, streamed: bool, agency_name: String) -> MeetingSummary {
    MeetingSummary {
        id: m.id,
        agency_id: m.agency_id,
        agency_name,
        title: m.title,
        kind: m.kind,
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        venue: m.venue,
        status: m.status,
        stream_state: streamed.then_some(m.stream_state),
        takes_attendance: m.attendance_capacity > 0,
    }
}

pub fn decision_item(
    m: &meetings::Model,
    item: agenda_items::Model,
    decision_title: &HashMap<Uuid, String>,
) -> DecisionAgendaItem {
    DecisionAgendaItem {
        meeting_id: m.id,
        meeting_title: m.title.clone(),
        meeting_kind: m.kind,
        meeting_status: m.status,
        starts_at: m.starts_at,
        item: agenda_item(item, m.replay_url.as_deref(), decision_title),
    }
}

pub fn own_request(r: attendance_requests::Model, m: &meetings::Model) -> OwnAttendanceRequest {
    OwnAttendanceRequest {
        id: r.id,
        meeting_id: m.id,
        meeting_title: m.title.clone(),
        starts_at: m.starts_at,
        venue: m.venue.clone(),
        name: r.name,
        status: r.status,
        decline_reason: r.decline_reason,
        created_at: r.created_at,
    }
}

pub fn staff_request(r: attendance_requests::Model) -> StaffAttendanceRequest {
    StaffAttendanceRequest {
        id: r.id,
        name: r.name,
        category: r.category,
        organisation: r.organisation,
        reason: r.reason,
        phone: r.phone,
        email: r.email,
        status: r.status,
        decline_reason: r.decline_reason,
        created_at: r.created_at,
        decided_at: r.decided_at,
    }
}
