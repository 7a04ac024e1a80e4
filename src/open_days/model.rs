//! The rules of open days: their vocabularies, what an open day and a registration must be,
//! who a person is for "one registration per person and day", the QR payload, and when
//! check-in is open. No entities, DTOs or HTTP.

use chrono::{DateTime, SubsecRound, Utc};

use crate::error::{AppError, FieldIssue, Issues};
use crate::kernel::codes::normalise_code;
use crate::kernel::digest::sha256_hex;
use crate::kernel::fields::{email, id_number, line, phone, text};
use crate::kernel::time::day_in_china;
use crate::t;
pub use crate::venues::{Schedule, Venue};

crate::vocabulary! {
    /// Where an open day stands.
    pub enum OpenDayStatus {
        Scheduled = "scheduled",
        /// Called off, with a public reason; registrants are told.
        Cancelled = "cancelled",
    }
}

crate::vocabulary! {
    /// Where a registration stands.
    pub enum RegistrationStatus {
        /// Has a place.
        Confirmed = "confirmed",
        /// On the waiting list; promoted in order when a place frees up.
        Waitlisted = "waitlisted",
        Cancelled = "cancelled",
    }
}

crate::vocabulary! {
    /// Personal fields an open day may require (the name is always required).
    pub enum PersonalField {
        Phone = "phone",
        Email = "email",
        /// 居民身份证号码, for sites that check identity at the door.
        IdNumber = "id_number",
        Organisation = "organisation",
    }
}

pub const MAX_CAPACITY: i32 = 100_000;
const QR_PREFIX: &str = "WJOD:";

/// An open day as staff write it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenDayDraft {
    pub title: String,
    pub description: String,
    pub venue: Venue,
    pub schedule: Schedule,
    pub capacity: i32,
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    pub eligibility: String,
    pub required_fields: Vec<PersonalField>,
}

pub struct OpenDayForm<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub venue: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: i32,
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    pub eligibility: Option<&'a str>,
    pub required_fields: Vec<PersonalField>,
}

impl OpenDayDraft {
    pub fn parse(f: OpenDayForm<'_>) -> Result<Self, AppError> {
        let mut issues = Issues::default();
        let title = issues.take(line("title", Some(f.title), 200));
        let description = issues.take(text("description", f.description, 20_000)).flatten();
        let venue = issues.take(Venue::parse(f.venue));
        let schedule = issues.take(Schedule::parse(f.starts_at, f.ends_at));
        let eligibility = issues.take(text("eligibility", f.eligibility, 2000)).flatten();
        if !(1..=MAX_CAPACITY).contains(&f.capacity) {
            issues.push(FieldIssue::new(
                "capacity",
                "out_of_range",
                t!("名额应在 1 到 100000 之间。", "Places must be between 1 and 100,000."),
            ));
        }
        if f.registration_closes_at <= f.registration_opens_at {
            issues.push(FieldIssue::new(
                "registration_closes_at",
                "closes_before_opens",
                t!("报名截止时间必须晚于开始时间。", "Registration must close after it opens."),
            ));
        }
        if f.registration_closes_at > f.ends_at {
            issues.push(FieldIssue::new(
                "registration_closes_at",
                "after_event",
                t!("报名截止时间不能晚于活动结束。", "Registration must close before the open day ends."),
            ));
        }
        let mut required = f.required_fields;
        required.sort();
        required.dedup();
        issues.finish()?;
        Ok(OpenDayDraft {
            title: title.unwrap_or_default(),
            description: description.unwrap_or_default(),
            venue: venue.expect("parsed"),
            schedule: schedule.expect("parsed"),
            capacity: f.capacity,
            registration_opens_at: f.registration_opens_at.trunc_subsecs(0),
            registration_closes_at: f.registration_closes_at.trunc_subsecs(0),
            eligibility: eligibility.unwrap_or_default(),
            required_fields: required,
        })
    }
}

/// The required fields as stored (`phone,id_number`), and back. An unknown stored name is
/// an error, never skipped.
pub fn fields_to_text(fields: &[PersonalField]) -> String {
    fields.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(",")
}

pub fn fields_from_text(stored: &str) -> Result<Vec<PersonalField>, AppError> {
    stored
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| {
            PersonalField::parse(s)
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("open_days.required_fields holds unknown {s:?}")))
        })
        .collect()
}

/// A registration as the person fills it in, parsed against the day's required fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistrationForm {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub id_number: Option<String>,
    pub organisation: Option<String>,
    /// Who the person is, hashed: the ID number when given, else the phone, else the e-mail.
    pub person_key: String,
}

impl RegistrationForm {
    pub fn parse(
        name: &str,
        phone_raw: Option<&str>,
        email_raw: Option<&str>,
        id_raw: Option<&str>,
        organisation_raw: Option<&str>,
    ) -> Result<Self, AppError> {
        let mut issues = Issues::default();
        let name = issues.take(line("name", Some(name), 50));
        let phone = issues.take(phone("phone", phone_raw)).flatten();
        let email = issues.take(email("email", email_raw)).flatten();
        let id_number = issues.take(id_number("id_number", id_raw)).flatten();
        let organisation = issues.take(text("organisation", organisation_raw, 100)).flatten();
        if phone.is_none() && email.is_none() && !issues.has("phone") && !issues.has("email") {
            issues.push(FieldIssue::new(
                "phone",
                "contact_required",
                t!("请留下电话或电子邮箱。", "Leave a phone number or an e-mail address."),
            ));
        }
        issues.finish()?;
        let person = match (&id_number, &phone, &email) {
            (Some(id), _, _) => format!("id:{id}"),
            (None, Some(p), _) => format!("phone:{}", p.chars().filter(char::is_ascii_digit).collect::<String>()),
            (None, None, Some(e)) => format!("email:{}", e.to_lowercase()),
            _ => unreachable!("a contact is required above"),
        };
        Ok(RegistrationForm {
            name: name.unwrap_or_default(),
            phone,
            email,
            id_number,
            organisation,
            person_key: sha256_hex(person),
        })
    }

    /// Refuses a registration without the fields the open day requires.
    pub fn check_required(&self, required: &[PersonalField]) -> Result<(), AppError> {
        let mut issues = Issues::default();
        for f in required {
            let (given, field) = match f {
                PersonalField::Phone => (self.phone.is_some(), "phone"),
                PersonalField::Email => (self.email.is_some(), "email"),
                PersonalField::IdNumber => (self.id_number.is_some(), "id_number"),
                PersonalField::Organisation => (self.organisation.is_some(), "organisation"),
            };
            if !given {
                issues.push(FieldIssue::new(field, "required", t!("此项必填。", "This is required.")));
            }
        }
        issues.finish()
    }
}

/// What the QR code on a confirmation holds: the code behind a prefix, so a scanner can tell
/// it from other codes.
pub fn qr_payload(code: &str) -> String {
    format!("{QR_PREFIX}{}", normalise_code(code))
}

/// A code as typed or scanned (with or without the QR prefix), normalised.
pub fn scanned_code(raw: &str) -> String {
    let raw = raw.trim();
    let code = raw.strip_prefix(QR_PREFIX).or_else(|| raw.strip_prefix("wjod:")).unwrap_or(raw);
    normalise_code(code)
}

/// Check-in is open on the day: from the China day it starts through the day it ends.
pub fn check_in_open(schedule: &Schedule, now: DateTime<Utc>) -> bool {
    let today = day_in_china(now);
    day_in_china(schedule.starts_at) <= today && today <= day_in_china(schedule.ends_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_is_their_id_number_else_phone_else_email() {
        let a = RegistrationForm::parse("张三", Some("138 0000 0000"), None, None, None).unwrap();
        let b = RegistrationForm::parse("张三", Some("13800000000"), Some("z@example.cn"), None, None).unwrap();
        assert_eq!(a.person_key, b.person_key, "the phone, however written");
        let c = RegistrationForm::parse("张三", Some("13800000000"), None, Some("11010519491231002X"), None).unwrap();
        assert_ne!(a.person_key, c.person_key);
    }

    #[test]
    fn required_fields_are_required_and_a_contact_always() {
        let f = RegistrationForm::parse("张三", Some("13800000000"), None, None, None).unwrap();
        let AppError::Invalid(issues) = f.check_required(&[PersonalField::IdNumber]).unwrap_err() else { panic!() };
        assert_eq!(issues[0].field, "id_number");
        let e = RegistrationForm::parse("张三", None, None, None, None);
        let AppError::Invalid(issues) = e.unwrap_err() else { panic!() };
        assert_eq!(issues[0].code, "contact_required");
    }

    #[test]
    fn scanned_and_typed_codes_are_one() {
        let code = "7k3m9-qx5ab";
        assert_eq!(scanned_code(&qr_payload(code)), scanned_code(code));
        assert_eq!(scanned_code(" 7K3M9QX5AB "), "7K3M9QX5AB");
    }

    #[test]
    fn stored_fields_round_trip_and_unknown_ones_are_errors() {
        let f = vec![PersonalField::Phone, PersonalField::IdNumber];
        assert_eq!(fields_from_text(&fields_to_text(&f)).unwrap(), f);
        assert!(fields_from_text("phone,shoe_size").is_err());
        assert_eq!(fields_from_text("").unwrap(), vec![]);
    }

    #[test]
    fn check_in_is_open_on_the_china_day() {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let s = Schedule::parse(t("2026-12-05T01:00:00Z"), t("2026-12-05T08:00:00Z")).unwrap();
        assert!(check_in_open(&s, t("2026-12-04T16:30:00Z")), "00:30 in Beijing on the 5th");
        assert!(!check_in_open(&s, t("2026-12-04T15:30:00Z")), "23:30 in Beijing on the 4th");
        assert!(!check_in_open(&s, t("2026-12-05T16:00:00Z")), "the 6th in Beijing");
    }
}
