use sea_orm::entity::prelude::*;

use crate::meetings::model::{MeetingKind, MeetingStatus, StreamState};

/// A meeting an agency holds on matters of public interest (常务会议, 听证会, …).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meetings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub agency_id: Uuid,
    pub title: String,
    pub kind: MeetingKind,
    pub description: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub venue: String,
    /// The venue's folded name: the key of its row in `venues`.
    pub venue_key: String,
    pub status: MeetingStatus,
    /// Public, once cancelled.
    pub cancel_reason: Option<String>,
    /// Public, once held.
    pub summary: Option<String>,
    /// Places for attendance (列席); 0 when the meeting takes no requests.
    pub attendance_capacity: i32,
    /// Approved requests; never above the capacity (a CHECK).
    pub attendance_approved: i32,
    pub attendance_closes_at: Option<DateTimeUtc>,
    pub stream_state: StreamState,
    pub watch_url: Option<String>,
    pub embed_url: Option<String>,
    pub hls_url: Option<String>,
    pub replay_url: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    /// The version staff edits are conditioned on.
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
