use sea_orm::entity::prelude::*;

use crate::open_days::model::RegistrationStatus;

/// One person's registration for an open day. Name, phone, e-mail, ID number and
/// organisation are personal data: the registrant (through the code) and the agency's staff
/// see them, nobody else.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "open_day_registrations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub open_day_id: Uuid,
    pub status: RegistrationStatus,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub id_number: Option<String>,
    pub organisation: Option<String>,
    /// SHA-256 of what identifies the person (ID number, else phone, else e-mail): one live
    /// registration per person and day (a partial unique index).
    pub person_key: String,
    /// SHA-256 of the confirmation code.
    pub code_hash: String,
    /// The place in the waiting list, for registrations that joined it.
    pub waitlist_seq: Option<i64>,
    pub account_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub confirmed_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub checked_in_at: Option<DateTimeUtc>,
    pub checked_in_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
