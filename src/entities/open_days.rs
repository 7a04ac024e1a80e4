use sea_orm::entity::prelude::*;

use crate::open_days::model::OpenDayStatus;

/// An open government day (政务开放日) that people register for.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "open_days")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub agency_id: Uuid,
    pub title: String,
    pub description: String,
    pub venue: String,
    pub venue_key: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub capacity: i32,
    pub registration_opens_at: DateTimeUtc,
    pub registration_closes_at: DateTimeUtc,
    pub eligibility: String,
    /// Which personal fields a registration must give, comma-separated (`phone,id_number`).
    pub required_fields: String,
    pub status: OpenDayStatus,
    pub cancel_reason: Option<String>,
    /// Confirmed registrations; never above `capacity` (a CHECK).
    pub confirmed_count: i32,
    /// Registrations on the waiting list.
    pub waiting_count: i32,
    /// The last waiting-list number given out; the list is served in this order.
    pub waitlist_seq: i64,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    /// The version staff edits are conditioned on (registrations do not change it).
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
