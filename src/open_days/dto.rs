//! The wire shapes of open days and registrations.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use uuid::Uuid;

use super::model::{OpenDayStatus, PersonalField, RegistrationStatus};
use crate::http::pagination::PageMeta;

#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct OpenDayInput {
    /// The agency holding it; staff may leave it out (their own).
    pub agency_id: Option<Uuid>,
    #[oai(validator(max_length = 400))]
    pub title: String,
    #[oai(validator(max_length = 40000))]
    pub description: Option<String>,
    #[oai(validator(max_length = 400))]
    pub venue: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: i32,
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    /// Who may come (面向对象、条件).
    #[oai(validator(max_length = 4000))]
    pub eligibility: Option<String>,
    /// Personal fields a registration must give besides the name.
    #[oai(validator(max_items = 4))]
    pub required_fields: Vec<PersonalField>,
    /// When editing: the `updated_at` the edit is based on.
    pub expected_updated_at: Option<DateTime<Utc>>,
}

#[derive(Object, Clone, Debug, PartialEq, Eq)]
#[oai(skip_serializing_if_is_none)]
pub struct OpenDay {
    pub id: Uuid,
    pub agency_id: Uuid,
    pub agency_name: String,
    pub title: String,
    pub description: String,
    pub venue: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: i32,
    pub confirmed: i32,
    pub places_left: i32,
    /// People on the waiting list.
    pub waiting: i32,
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    /// Registration is open now.
    pub registration_open: bool,
    pub eligibility: String,
    pub required_fields: Vec<PersonalField>,
    pub status: OpenDayStatus,
    pub cancel_reason: Option<String>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct OpenDayPage {
    pub items: Vec<OpenDay>,
    pub meta: PageMeta,
}

#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct RegistrationInput {
    #[oai(validator(max_length = 100))]
    pub name: String,
    #[oai(validator(max_length = 80))]
    pub phone: Option<String>,
    #[oai(validator(max_length = 254))]
    pub email: Option<String>,
    #[oai(validator(max_length = 40))]
    pub id_number: Option<String>,
    #[oai(validator(max_length = 200))]
    pub organisation: Option<String>,
}

/// A registration as its holder sees it (through the code).
#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct OwnRegistration {
    pub id: Uuid,
    pub open_day_id: Uuid,
    pub open_day_title: String,
    pub venue: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub open_day_status: OpenDayStatus,
    pub name: String,
    pub status: RegistrationStatus,
    /// The place on the waiting list (1 = next), while waitlisted.
    pub waiting_position: Option<i64>,
    /// What the QR code holds (drawn by the page).
    pub qr_payload: String,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Answer to a registration: `confirmed` or `waitlisted`, and the code, shown once.
#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct RegistrationReceipt {
    pub code: String,
    pub registration: OwnRegistration,
}

#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct RegistrationCodeInput {
    /// The confirmation code as printed, or the QR code's content.
    #[oai(validator(max_length = 200))]
    pub code: String,
}

/// A registration as the agency sees it, personal fields included.
#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct StaffRegistration {
    pub id: Uuid,
    pub status: RegistrationStatus,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub id_number: Option<String>,
    pub organisation: Option<String>,
    pub waitlist_seq: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub checked_in_at: Option<DateTime<Utc>>,
}

#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct RegistrationPage {
    pub items: Vec<StaffRegistration>,
    pub meta: PageMeta,
    pub confirmed: i32,
    pub waiting: i32,
    pub checked_in: u64,
}

/// The answer at the door.
#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct CheckInResult {
    pub registration: StaffRegistration,
    /// False when the person was checked in before (the time is the first check-in's).
    pub first_time: bool,
}

#[derive(Object, Clone, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct OpenDayCancelInput {
    #[oai(validator(max_length = 4000))]
    pub reason: String,
}
