//! Registering for an open day, the waiting list, cancelling with the code, check-in at the
//! door, and the agency's list and export.
//!
//! Never more confirmed registrations than places, and no lost registration, with any number
//! of API nodes on one database: the place is taken by a conditional UPDATE of the open
//! day's row (`confirmed_count < capacity`), which also locks the row until commit; every
//! transaction that frees or moves a place locks the same row first. A CHECK keeps
//! `confirmed_count <= capacity` even against a bug here, and a partial unique index keeps
//! one live registration per person and day.

use sea_orm::ConnectionTrait;
use serde_json::json;
use uuid::Uuid;

use super::dto::{CheckInResult, OwnRegistration, RegistrationPage, RegistrationReceipt, StaffRegistration};
use super::model::{
    OpenDayStatus, RegistrationForm, RegistrationStatus, Schedule, check_in_open, fields_from_text, qr_payload,
    scanned_code,
};
use super::service::{cancelled, not_found as day_not_found, record, staff_day};
use super::store;
use crate::authz::Actor;
use crate::db::{Timestamp, new_id};
use crate::entities::{open_day_registrations, open_days};
use crate::error::{AppError, AppResult};
use crate::http::pagination::items_and_meta;
use crate::kernel::client_address::ClientAddress;
use crate::kernel::codes::one_time_code;
use crate::kernel::digest::sha256_hex;
use crate::kernel::pagination::PageRequest;
use crate::kernel::time::china_time_label;
use crate::outbox::Message;
use crate::state::AppState;
use crate::t;

fn registration_not_found() -> AppError {
    AppError::NotFound(t!("找不到与该编码对应的报名。", "No registration has this code."))
}

fn code_hash(code: &str) -> String {
    sha256_hex(scanned_code(code))
}

fn page_url(state: &AppState, d: &open_days::Model) -> String {
    format!("{}/open-days/{}", state.config.public_url.trim_end_matches('/'), d.id)
}

/// The holder's view. `position`: the place on the waiting list when known (just joined: the
/// last), else counted.
async fn own(
    state: &AppState,
    r: open_day_registrations::Model,
    d: &open_days::Model,
    code: Option<&str>,
    position: Option<i64>,
) -> AppResult<OwnRegistration> {
    let waiting_position = match (r.status, r.waitlist_seq, position) {
        (RegistrationStatus::Waitlisted, _, Some(p)) => Some(p),
        (RegistrationStatus::Waitlisted, Some(seq), None) => {
            Some(store::waiting_before(state.db.conn(), d.id, seq).await? as i64 + 1)
        }
        _ => None,
    };
    Ok(OwnRegistration {
        id: r.id,
        open_day_id: d.id,
        open_day_title: d.title.clone(),
        venue: d.venue.clone(),
        starts_at: d.starts_at,
        ends_at: d.ends_at,
        open_day_status: d.status,
        name: r.name,
        status: r.status,
        waiting_position,
        // The stored hash cannot give the code back; the holder's page keeps the payload it
        // was first given, and lookups by code rebuild it from the code sent.
        qr_payload: code.map(qr_payload).unwrap_or_default(),
        checked_in_at: r.checked_in_at,
        created_at: r.created_at,
    })
}

fn staff(r: open_day_registrations::Model) -> StaffRegistration {
    StaffRegistration {
        id: r.id,
        status: r.status,
        name: r.name,
        phone: r.phone,
        email: r.email,
        id_number: r.id_number,
        organisation: r.organisation,
        waitlist_seq: r.waitlist_seq,
        created_at: r.created_at,
        confirmed_at: r.confirmed_at,
        cancelled_at: r.cancelled_at,
        checked_in_at: r.checked_in_at,
    }
}

fn already_registered() -> AppError {
    AppError::Conflict {
        code: "already_registered",
        message: t!(
            "您已报名该活动（同一证件号、电话或邮箱只能报名一次）；如需更改，请先用确认码取消。",
            "You are registered for this open day already (one registration per ID number, phone or e-mail); cancel it with its code first."
        ),
    }
}

/// Registers a person: `confirmed` while places are left, else `waitlisted`. The code is
/// answered once.
pub async fn register(
    state: &AppState,
    actor: &Actor,
    day_id: Uuid,
    form: RegistrationForm,
    address: Option<ClientAddress>,
) -> AppResult<RegistrationReceipt> {
    let d = store::find(state.db.conn(), day_id).await?.ok_or_else(day_not_found)?;
    let now = Timestamp::now();
    if d.status == OpenDayStatus::Cancelled {
        return Err(cancelled());
    }
    form.check_required(&fields_from_text(&d.required_fields)?)?;
    if now < d.registration_opens_at || now >= d.registration_closes_at {
        let (opens, closes) = (china_time_label(d.registration_opens_at), china_time_label(d.registration_closes_at));
        return Err(AppError::Conflict {
            code: "registration_closed",
            message: t!("报名时间为 {opens} 至 {closes}。", "Registration runs from {opens} to {closes}."),
        });
    }
    let limit = state.config.signup_limit();
    limit.check(state.db.conn(), address.as_ref(), now).await?;
    let code = one_time_code(4);
    let mut row = open_day_registrations::Model {
        id: new_id(),
        open_day_id: d.id,
        status: RegistrationStatus::Confirmed,
        name: form.name,
        phone: form.phone,
        email: form.email,
        id_number: form.id_number,
        organisation: form.organisation,
        person_key: form.person_key,
        code_hash: code_hash(&code),
        waitlist_seq: None,
        account_id: actor.account_id(),
        created_at: now,
        confirmed_at: Some(now),
        cancelled_at: None,
        checked_in_at: None,
        checked_in_by: None,
    };
    let tx = state.db.write().await?;
    // The open day's row first: this is where registrations queue.
    let mut position = None;
    if !store::take_place(&tx, d.id).await? {
        let Some((seq, place)) = store::join_waitlist(&tx, d.id).await? else { return Err(cancelled()) };
        row.status = RegistrationStatus::Waitlisted;
        row.waitlist_seq = Some(seq);
        row.confirmed_at = None;
        position = Some(place);
    }
    limit.count(&tx, address.as_ref(), now).await?;
    match store::insert_registration(&tx, row.clone()).await {
        Err(e) if e.is_unique_violation() => {
            return Err(already_registered());
        }
        other => other?,
    }
    if let Some(to) = row.email.clone() {
        let message = confirmation(state, &d, &row, &code, to);
        crate::outbox::service::enqueue(&tx, message).await?;
    }
    tx.commit().await?;
    let registration = own(state, row, &d, Some(&code), position).await?;
    Ok(RegistrationReceipt { code, registration })
}

fn confirmation(
    state: &AppState,
    d: &open_days::Model,
    r: &open_day_registrations::Model,
    code: &str,
    to: String,
) -> Message {
    let when = china_time_label(d.starts_at);
    let url = page_url(state, d);
    let (subject, status) = match r.status {
        RegistrationStatus::Confirmed => (format!("报名成功：{}", d.title), "报名成功，请凭确认码或二维码入场。"),
        _ => (format!("已进入候补名单：{}", d.title), "名额已满，您已进入候补名单；有人取消时将按顺序递补并通知您。"),
    };
    let body = format!(
        "{}，您好：\n\n您报名的「{}」{status}\n时间：{when}\n地点：{}\n确认码：{code}\n\n查看或取消报名：{url}\n",
        r.name, d.title, d.venue
    );
    Message { kind: "open_day_registration", to, subject, body }
}

/// Promotes people from the waiting list, in order, while places are left. In the caller's
/// transaction, which holds the open day's row lock. How many were promoted.
pub async fn promote_waiting(state: &AppState, tx: &impl ConnectionTrait, day: Uuid) -> AppResult<u32> {
    let mut promoted = 0;
    loop {
        let d = store::find(tx, day).await?.ok_or_else(day_not_found)?;
        if d.status != OpenDayStatus::Scheduled || d.confirmed_count >= d.capacity {
            return Ok(promoted);
        }
        let Some(next) = store::first_waiting(tx, day).await? else { return Ok(promoted) };
        if !store::move_registration(tx, next.id, RegistrationStatus::Waitlisted, RegistrationStatus::Confirmed).await?
        {
            return Ok(promoted);
        }
        store::add_counts(tx, day, 1, -1).await?;
        promoted += 1;
        if let Some(to) = next.email.clone() {
            let when = china_time_label(d.starts_at);
            let subject = format!("候补成功：{}", d.title);
            let body = format!(
                "{}，您好：\n\n有人取消了报名，您已从候补名单递补为正式报名。\n活动：{}\n时间：{when}\n地点：{}\n请凭报名时收到的确认码或二维码入场。\n\n{}\n",
                next.name,
                d.title,
                d.venue,
                page_url(state, &d)
            );
            crate::outbox::service::enqueue(tx, Message { kind: "open_day_promoted", to, subject, body }).await?;
        }
    }
}

async fn by_code(state: &AppState, code: &str) -> AppResult<(open_day_registrations::Model, open_days::Model)> {
    let r = store::by_code(state.db.conn(), &code_hash(code)).await?.ok_or_else(registration_not_found)?;
    let d = store::find(state.db.conn(), r.open_day_id).await?.ok_or_else(registration_not_found)?;
    Ok((r, d))
}

pub async fn lookup(state: &AppState, code: &str) -> AppResult<OwnRegistration> {
    let (r, d) = by_code(state, code).await?;
    own(state, r, &d, Some(code), None).await
}

/// Cancels with the code: a confirmed place goes to the first person waiting, in the same
/// transaction. Cancelling twice answers the cancelled registration again.
pub async fn cancel(state: &AppState, code: &str) -> AppResult<OwnRegistration> {
    let (r, d) = by_code(state, code).await?;
    if r.status == RegistrationStatus::Cancelled {
        return own(state, r, &d, Some(code), None).await;
    }
    let tx = state.db.write().await?;
    store::lock(&tx, d.id).await?;
    // Read again under the lock: a promotion may have moved it meanwhile.
    let now = store::registration(&tx, r.id).await?.ok_or_else(registration_not_found)?;
    match now.status {
        RegistrationStatus::Cancelled => {}
        RegistrationStatus::Confirmed => {
            store::move_registration(&tx, r.id, RegistrationStatus::Confirmed, RegistrationStatus::Cancelled).await?;
            store::add_counts(&tx, d.id, -1, 0).await?;
            promote_waiting(state, &tx, d.id).await?;
        }
        RegistrationStatus::Waitlisted => {
            store::move_registration(&tx, r.id, RegistrationStatus::Waitlisted, RegistrationStatus::Cancelled).await?;
            store::add_counts(&tx, d.id, 0, -1).await?;
        }
    }
    tx.commit().await?;
    let r = store::registration(state.db.conn(), r.id).await?.ok_or_else(registration_not_found)?;
    let d = store::find(state.db.conn(), d.id).await?.ok_or_else(day_not_found)?;
    own(state, r, &d, Some(code), None).await
}

/// Checks a person in by the code typed or the QR code scanned: only a confirmed
/// registration of this open day, only on the day, and once (a second scan answers the first
/// check-in with `first_time: false`).
pub async fn check_in(state: &AppState, actor: &Actor, day_id: Uuid, code: &str) -> AppResult<CheckInResult> {
    let d = staff_day(state, actor, day_id).await?;
    let r = store::by_code(state.db.conn(), &code_hash(code)).await?.filter(|r| r.open_day_id == d.id).ok_or_else(
        || AppError::NotFound(t!("本活动没有与该编码对应的报名。", "No registration for this open day has this code.")),
    )?;
    let schedule = Schedule { starts_at: d.starts_at, ends_at: d.ends_at };
    if d.status == OpenDayStatus::Cancelled {
        return Err(cancelled());
    }
    if !check_in_open(&schedule, Timestamp::now()) {
        return Err(AppError::Conflict {
            code: "not_today",
            message: t!("只能在活动当天签到。", "Check-in is open on the day of the open day only."),
        });
    }
    match r.status {
        RegistrationStatus::Cancelled => {
            return Err(AppError::Conflict {
                code: "registration_cancelled",
                message: t!("该报名已取消，不能签到。", "This registration was cancelled."),
            });
        }
        RegistrationStatus::Waitlisted => {
            return Err(AppError::Conflict {
                code: "not_confirmed",
                message: t!(
                    "该报名仍在候补名单中，尚未获得名额。",
                    "This registration is on the waiting list, without a place."
                ),
            });
        }
        RegistrationStatus::Confirmed => {}
    }
    let tx = state.db.write().await?;
    let first_time = store::check_in(&tx, r.id, actor.account_id()).await?;
    if first_time {
        record(&tx, actor, &d, "checked_in", json!({ "registration_id": r.id })).await?;
    }
    tx.commit().await?;
    let saved = store::registration(state.db.conn(), r.id).await?.ok_or_else(registration_not_found)?;
    if !first_time && saved.checked_in_at.is_none() {
        // Cancelled between the read and the check-in.
        return Err(AppError::Conflict {
            code: "registration_cancelled",
            message: t!("该报名已取消，不能签到。", "This registration was cancelled."),
        });
    }
    Ok(CheckInResult { registration: staff(saved), first_time })
}

pub async fn list(
    state: &AppState,
    actor: &Actor,
    day_id: Uuid,
    status: Option<RegistrationStatus>,
    page: PageRequest,
) -> AppResult<RegistrationPage> {
    let d = staff_day(state, actor, day_id).await?;
    let db = state.db.conn();
    let (rows, total) = store::registrations(db, d.id, status, page.offset(), page.per_page).await?;
    let checked_in = store::checked_in_count(db, d.id).await?;
    let (items, meta) = items_and_meta(page.page(rows, total), staff);
    Ok(RegistrationPage { items, meta, confirmed: d.confirmed_count, waiting: d.waiting_count, checked_in })
}

const EXPORT_HEADER: &[&str] = &[
    "状态",
    "姓名",
    "电话",
    "电子邮箱",
    "身份证号",
    "单位",
    "候补序号",
    "报名时间",
    "确认时间",
    "取消时间",
    "签到时间",
];

/// Every registration as CSV (UTF-8 with BOM), read in pages; the export is audited since it
/// holds personal data.
pub async fn export(state: &AppState, actor: &Actor, day_id: Uuid) -> AppResult<(String, Vec<u8>)> {
    let d = staff_day(state, actor, day_id).await?;
    let _slot = state.export_slots.acquire().await.map_err(|e| AppError::Internal(e.into()))?;
    let mut out = String::from("\u{feff}");
    out.push_str(&crate::kernel::csv::header_line(EXPORT_HEADER));
    let label = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(china_time_label).unwrap_or_default();
    let mut offset = 0;
    let mut rows_written = 0u64;
    loop {
        let (rows, _) = store::registrations(state.db.conn(), d.id, None, offset, 500).await?;
        if rows.is_empty() {
            break;
        }
        offset += rows.len() as u64;
        for r in rows {
            let status = match r.status {
                RegistrationStatus::Confirmed => "已确认",
                RegistrationStatus::Waitlisted => "候补",
                RegistrationStatus::Cancelled => "已取消",
            };
            crate::kernel::csv::push_row(
                &mut out,
                &[
                    status.to_string(),
                    r.name,
                    r.phone.unwrap_or_default(),
                    r.email.unwrap_or_default(),
                    r.id_number.unwrap_or_default(),
                    r.organisation.unwrap_or_default(),
                    r.waitlist_seq.map(|s| s.to_string()).unwrap_or_default(),
                    china_time_label(r.created_at),
                    label(r.confirmed_at),
                    label(r.cancelled_at),
                    label(r.checked_in_at),
                ],
            );
            rows_written += 1;
        }
    }
    let tx = state.db.write().await?;
    record(&tx, actor, &d, "registrations_exported", json!({ "rows": rows_written })).await?;
    tx.commit().await?;
    let name = format!("open-day-{}-registrations.csv", d.id);
    Ok((name, out.into_bytes()))
}
