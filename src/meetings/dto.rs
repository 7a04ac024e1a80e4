//! The wire shapes of meetings. Read shapes are built only in `views.rs`, so the rule that
//! a closed agenda item carries no stream or replay link holds for every response.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use uuid::Uuid;

use super::model::{AttendanceStatus, AttendeeCategory, MeetingKind, MeetingStatus, Openness, StreamState};
use crate::http::pagination::PageMeta;

#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct AgendaItemInput {
    /// The existing item's id when editing (keeps its replay offset); absent for a new item.
    pub id: Option<Uuid>,
    #[oai(validator(max_length = 600))]
    pub title: String,
    /// The decision this item concerns.
    pub decision_id: Option<Uuid>,
    pub openness: Openness,
}

#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct MeetingInput {
    /// The agency holding it; staff may leave it out (their own). The platform admin gives it.
    pub agency_id: Option<Uuid>,
    #[oai(validator(max_length = 400))]
    pub title: String,
    pub kind: MeetingKind,
    #[oai(validator(max_length = 40000))]
    pub description: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    #[oai(validator(max_length = 400))]
    pub venue: String,
    /// Places for attendance (列席); 0 or absent: no requests taken.
    pub attendance_capacity: Option<i32>,
    /// Requests close then (at the latest when the meeting starts).
    pub attendance_closes_at: Option<DateTime<Utc>>,
    #[oai(validator(max_items = 50))]
    pub agenda: Vec<AgendaItemInput>,
    /// When editing: the `updated_at` the edit is based on; a meeting changed since answers 409.
    pub expected_updated_at: Option<DateTime<Utc>>,
}

#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct CancelInput {
    /// Shown to the public.
    #[oai(validator(max_length = 4000))]
    pub reason: String,
}

#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct SummaryInput {
    /// What the meeting decided, public (会议纪要摘要).
    #[oai(validator(max_length = 40000))]
    pub summary: String,
}

#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct StreamInput {
    /// A page where the stream is watched (https, on an allowed host).
    #[oai(validator(max_length = 2000))]
    pub watch_url: Option<String>,
    /// A player to embed in an iframe (https, on an allowed host).
    #[oai(validator(max_length = 2000))]
    pub embed_url: Option<String>,
    /// An HLS playlist (`.m3u8`) played in the page (https, on an allowed host).
    #[oai(validator(max_length = 2000))]
    pub hls_url: Option<String>,
}

#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct StreamStateInput {
    pub state: StreamState,
}

#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct ReplayOffsetInput {
    pub item_id: Uuid,
    /// Seconds from the start of the replay; absent clears it.
    pub offset_seconds: Option<u32>,
}

#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct ReplayInput {
    /// The recording (https, on an allowed host); absent removes it.
    #[oai(validator(max_length = 2000))]
    pub replay_url: Option<String>,
    /// Where each streamed item starts in it. Closed items cannot have one.
    #[oai(validator(max_items = 50))]
    pub offsets: Vec<ReplayOffsetInput>,
}

/// One agenda item. `replay_link` is set only for streamed items of a meeting with a
/// replay; a closed item never carries a link.
#[derive(Object, Clone, Debug, PartialEq, Eq)]
#[oai(skip_serializing_if_is_none)]
pub struct AgendaItem {
    pub id: Uuid,
    pub position: i32,
    pub title: String,
    pub decision_id: Option<Uuid>,
    pub decision_title: Option<String>,
    pub openness: Openness,
    pub replay_offset_seconds: Option<i32>,
    /// The replay, opening at this item.
    pub replay_link: Option<String>,
}

/// The livestream, present only when some agenda item is streamed.
#[derive(Object, Clone, Debug, PartialEq, Eq)]
#[oai(skip_serializing_if_is_none)]
pub struct Stream {
    pub state: StreamState,
    pub watch_url: Option<String>,
    pub embed_url: Option<String>,
    pub hls_url: Option<String>,
    pub replay_url: Option<String>,
}

/// Attendance (列席), present when the meeting takes requests.
#[derive(Object, Clone, Debug, PartialEq, Eq)]
#[oai(skip_serializing_if_is_none)]
pub struct Attendance {
    pub capacity: i32,
    pub approved: i32,
    pub places_left: i32,
    pub closes_at: DateTime<Utc>,
    /// Requests are taken now.
    pub open: bool,
}

#[derive(Object, Clone, Debug, PartialEq, Eq)]
#[oai(skip_serializing_if_is_none)]
pub struct Meeting {
    pub id: Uuid,
    pub agency_id: Uuid,
    pub agency_name: String,
    pub title: String,
    pub kind: MeetingKind,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub venue: String,
    pub status: MeetingStatus,
    pub cancel_reason: Option<String>,
    pub summary: Option<String>,
    pub attendance: Option<Attendance>,
    pub stream: Option<Stream>,
    pub agenda: Vec<AgendaItem>,
    pub updated_at: DateTime<Utc>,
}

/// A meeting in a list.
#[derive(Object, Clone, Debug, PartialEq, Eq)]
#[oai(skip_serializing_if_is_none)]
pub struct MeetingSummary {
    pub id: Uuid,
    pub agency_id: Uuid,
    pub agency_name: String,
    pub title: String,
    pub kind: MeetingKind,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub venue: String,
    pub status: MeetingStatus,
    /// Set when some agenda item is streamed.
    pub stream_state: Option<StreamState>,
    pub takes_attendance: bool,
}

#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct MeetingPage {
    pub items: Vec<MeetingSummary>,
    pub meta: PageMeta,
}

/// An agenda item that concerns a decision, with its meeting.
#[derive(Object, Clone, Debug, PartialEq, Eq)]
#[oai(skip_serializing_if_is_none)]
pub struct DecisionAgendaItem {
    pub meeting_id: Uuid,
    pub meeting_title: String,
    pub meeting_kind: MeetingKind,
    pub meeting_status: MeetingStatus,
    pub starts_at: DateTime<Utc>,
    pub item: AgendaItem,
}

#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct AttendanceRequestInput {
    #[oai(validator(max_length = 200))]
    pub name: String,
    pub category: AttendeeCategory,
    #[oai(validator(max_length = 400))]
    pub organisation: Option<String>,
    /// Why the applicant wishes to attend.
    #[oai(validator(max_length = 4000))]
    pub reason: String,
    /// Private: only the meeting's agency sees it. A phone or an e-mail address is required.
    #[oai(validator(max_length = 80))]
    pub phone: Option<String>,
    /// Private; the outcome is sent here too.
    #[oai(validator(max_length = 254))]
    pub email: Option<String>,
}

/// An attendance request as the applicant sees it (through the code).
#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct OwnAttendanceRequest {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub meeting_title: String,
    pub starts_at: DateTime<Utc>,
    pub venue: String,
    pub name: String,
    pub status: AttendanceStatus,
    pub decline_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Answer to a new request: keep the code, it is shown once.
#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct AttendanceReceipt {
    pub code: String,
    pub request: OwnAttendanceRequest,
}

#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct CodeInput {
    #[oai(validator(max_length = 200))]
    pub code: String,
}

/// A request as the meeting's agency sees it, contact included.
#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct StaffAttendanceRequest {
    pub id: Uuid,
    pub name: String,
    pub category: AttendeeCategory,
    pub organisation: Option<String>,
    pub reason: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub status: AttendanceStatus,
    pub decline_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct AttendanceList {
    pub items: Vec<StaffAttendanceRequest>,
    pub capacity: i32,
    pub approved: i32,
}

#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct AttendanceDecisionInput {
    pub approve: bool,
    /// Required when declining; the applicant sees it.
    #[oai(validator(max_length = 4000))]
    pub reason: Option<String>,
}
