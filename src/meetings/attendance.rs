//! Attendance requests (列席申请): a resident or organisation applies with a private contact,
//! keeps a code, and staff approve within the meeting's places or decline with a reason.
//! Places are counted on the meeting's row (`attendance_approved`, never above the capacity
//! by a CHECK), in the transaction that approves.

use serde_json::json;
use uuid::Uuid;

use super::dto::{AttendanceList, AttendanceReceipt, OwnAttendanceRequest};
use super::model::{AttendanceStatus, AttendeeCategory, MeetingStatus};
use super::service::{not_found as meeting_not_found, staff_meeting};
use super::{store, views};
use crate::audit::{self, Entry};
use crate::authz::Actor;
use crate::db::{Timestamp, new_id};
use crate::entities::{attendance_requests, meetings};
use crate::error::{AppError, AppResult, FieldIssue, Issues};
use crate::kernel::client_address::ClientAddress;
use crate::kernel::codes::{normalise_code, one_time_code};
use crate::kernel::digest::sha256_hex;
use crate::kernel::fields::{email, line, phone, required_text, text};
use crate::outbox::Message;
use crate::state::AppState;
use crate::t;

/// A request as the applicant writes it.
pub struct RequestForm {
    pub name: String,
    pub category: AttendeeCategory,
    pub organisation: Option<String>,
    pub reason: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl RequestForm {
    pub fn parse(
        name: &str,
        category: AttendeeCategory,
        organisation: Option<&str>,
        reason: &str,
        phone_raw: Option<&str>,
        email_raw: Option<&str>,
    ) -> AppResult<Self> {
        let mut issues = Issues::default();
        let name = issues.take(line("name", Some(name), 50));
        let organisation = issues.take(text("organisation", organisation, 100)).flatten();
        let reason = issues.take(required_text("reason", Some(reason), 1000));
        let phone = issues.take(phone("phone", phone_raw)).flatten();
        let email = issues.take(email("email", email_raw)).flatten();
        if phone.is_none() && email.is_none() && !issues.has("phone") && !issues.has("email") {
            issues.push(FieldIssue::new(
                "phone",
                "contact_required",
                t!(
                    "请留下电话或电子邮箱，以便通知审核结果。",
                    "Leave a phone number or an e-mail address for the outcome."
                ),
            ));
        }
        if category != AttendeeCategory::Resident && organisation.is_none() && !issues.has("organisation") {
            issues.push(FieldIssue::new(
                "organisation",
                "required",
                t!("请填写单位名称。", "Give the organisation's name."),
            ));
        }
        issues.finish()?;
        Ok(RequestForm {
            name: name.unwrap_or_default(),
            category,
            organisation,
            reason: reason.unwrap_or_default(),
            phone,
            email,
        })
    }
}

fn request_not_found() -> AppError {
    AppError::NotFound(t!("找不到与该编码对应的列席申请。", "No attendance request has this code."))
}

fn code_hash(code: &str) -> String {
    sha256_hex(normalise_code(code))
}

/// Applies to attend. Answers the code once; the applicant looks the request up with it.
pub async fn apply(
    state: &AppState,
    actor: &Actor,
    meeting_id: Uuid,
    form: RequestForm,
    address: Option<ClientAddress>,
) -> AppResult<AttendanceReceipt> {
    let m = store::find(state.db.conn(), meeting_id).await?.ok_or_else(meeting_not_found)?;
    let now = Timestamp::now();
    if m.attendance_capacity == 0 || m.status != MeetingStatus::Scheduled || now >= views::attendance_closes_at(&m) {
        return Err(AppError::Conflict {
            code: "attendance_closed",
            message: t!("该会议现在不接受列席申请。", "This meeting is not taking attendance requests now."),
        });
    }
    state.config.signup_limit().check(state.db.conn(), address.as_ref(), now).await?;
    let code = one_time_code(4);
    let row = attendance_requests::Model {
        id: new_id(),
        meeting_id,
        name: form.name,
        category: form.category,
        organisation: form.organisation,
        reason: form.reason,
        phone: form.phone,
        email: form.email,
        status: AttendanceStatus::Pending,
        decline_reason: None,
        code_hash: code_hash(&code),
        account_id: actor.account_id(),
        created_at: now,
        decided_at: None,
        decided_by: None,
    };
    let tx = state.db.write().await?;
    state.config.signup_limit().count(&tx, address.as_ref(), now).await?;
    store::insert_request(&tx, row.clone()).await?;
    tx.commit().await?;
    Ok(AttendanceReceipt { code, request: views::own_request(row, &m) })
}

async fn by_code(state: &AppState, code: &str) -> AppResult<(attendance_requests::Model, meetings::Model)> {
    let r = store::request_by_code(state.db.conn(), &code_hash(code)).await?.ok_or_else(request_not_found)?;
    let m = store::find(state.db.conn(), r.meeting_id).await?.ok_or_else(request_not_found)?;
    Ok((r, m))
}

pub async fn lookup(state: &AppState, code: &str) -> AppResult<OwnAttendanceRequest> {
    let (r, m) = by_code(state, code).await?;
    Ok(views::own_request(r, &m))
}

/// The applicant withdraws (pending or approved); an approved place is freed.
pub async fn withdraw(state: &AppState, code: &str) -> AppResult<OwnAttendanceRequest> {
    let (r, m) = by_code(state, code).await?;
    if !matches!(r.status, AttendanceStatus::Pending | AttendanceStatus::Approved) {
        return Ok(views::own_request(r, &m));
    }
    let tx = state.db.write().await?;
    if !store::decide(&tx, r.id, r.status, AttendanceStatus::Withdrawn, None, None).await? {
        return Err(changed());
    }
    if r.status == AttendanceStatus::Approved {
        store::free_place(&tx, m.id).await?;
    }
    tx.commit().await?;
    let r = store::request(state.db.conn(), r.id).await?.ok_or_else(request_not_found)?;
    Ok(views::own_request(r, &m))
}

fn changed() -> AppError {
    AppError::Conflict {
        code: "request_changed",
        message: t!("该申请刚被处理或撤回，请刷新。", "The request was decided or withdrawn meanwhile; reload."),
    }
}

pub async fn list(state: &AppState, actor: &Actor, meeting_id: Uuid) -> AppResult<AttendanceList> {
    let m = staff_meeting(state, actor, meeting_id).await?;
    let items = store::requests_of(state.db.conn(), m.id).await?.into_iter().map(views::staff_request).collect();
    Ok(AttendanceList { items, capacity: m.attendance_capacity, approved: m.attendance_approved })
}

/// Approves within the places left (409 `attendance_full` otherwise) or declines with a
/// reason. Only a pending request is decided; the applicant is told by e-mail if they left
/// an address.
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    request_id: Uuid,
    approve: bool,
    reason: Option<&str>,
) -> AppResult<crate::meetings::dto::StaffAttendanceRequest> {
    let r = store::request(state.db.conn(), request_id).await?.ok_or_else(request_not_found)?;
    let m = staff_meeting(state, actor, r.meeting_id).await?;
    let reason = text("reason", reason, 1000).map_err(|i| AppError::Invalid(vec![i]))?;
    if !approve && reason.is_none() {
        return Err(AppError::invalid(
            "reason",
            "required",
            t!("请说明不予批准的理由。", "Give the reason for declining."),
        ));
    }
    if r.status != AttendanceStatus::Pending {
        return Err(changed());
    }
    let to = if approve { AttendanceStatus::Approved } else { AttendanceStatus::Declined };
    let tx = state.db.write().await?;
    // The place first: it locks the meeting's row, so approvals queue and never overfill.
    if approve && !store::take_place(&tx, m.id).await? {
        return Err(AppError::Conflict {
            code: "attendance_full",
            message: t!("列席名额已满。", "All attendance places are taken."),
        });
    }
    if !store::decide(&tx, r.id, AttendanceStatus::Pending, to, reason.clone(), actor.account_id()).await? {
        return Err(changed());
    }
    audit::record(
        &tx,
        Entry {
            actor_id: actor.account_id(),
            agency_id: Some(m.agency_id),
            entity_type: "meeting",
            entity_id: m.id,
            action: if approve { "attendance_approved" } else { "attendance_declined" },
            details: json!({ "request_id": r.id, "reason": reason }),
        },
    )
    .await?;
    if let Some(to_address) = r.email.clone() {
        let when = crate::kernel::time::china_time_label(m.starts_at);
        let (subject, body) = if approve {
            (
                format!("列席申请已批准：{}", m.title),
                format!(
                    "您申请列席的会议「{}」已批准。\n时间：{when}\n地点：{}\n请携带身份证件准时到场。\n",
                    m.title, m.venue
                ),
            )
        } else {
            (
                format!("列席申请未获批准：{}", m.title),
                format!("您申请列席的会议「{}」未获批准。\n理由：{}\n", m.title, reason.clone().unwrap_or_default()),
            )
        };
        let kind = if approve { "attendance_approved" } else { "attendance_declined" };
        crate::outbox::service::enqueue(&tx, Message { kind, to: to_address, subject, body }).await?;
    }
    tx.commit().await?;
    let saved = store::request(state.db.conn(), r.id).await?.ok_or_else(request_not_found)?;
    Ok(views::staff_request(saved))
}
