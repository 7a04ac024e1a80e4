use sea_orm::entity::prelude::*;

use crate::meetings::model::{AttendanceStatus, AttendeeCategory};

/// A request to attend a meeting (列席申请). The contact fields are personal data: staff of
/// the meeting's agency see them, nobody else.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attendance_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub name: String,
    pub category: AttendeeCategory,
    pub organisation: Option<String>,
    pub reason: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub status: AttendanceStatus,
    pub decline_reason: Option<String>,
    /// SHA-256 of the applicant's code (a high-entropy random code, so no slow hash).
    pub code_hash: String,
    pub account_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
