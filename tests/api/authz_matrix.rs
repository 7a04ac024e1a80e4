//! The authorization matrix: every operation in the spec, called by every kind of actor on
//! resources of a known agency, with the outcome each cell must have. An operation in the
//! spec without a row fails the test, so whoever adds an operation adds its row.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// 2xx
    Ok,
    /// 401
    U,
    /// 403
    F,
    /// 404: existence itself is not revealed
    N,
}
use Outcome::*;

/// Columns of the matrix, in order.
const ACTORS: [(&str, Option<&str>); 6] = [
    ("anonymous", None),
    ("resident", Some(RESIDENT)),
    ("staff of the owning agency", Some(FGW_STAFF)),
    ("staff of another agency", Some(ZJJ_STAFF)),
    ("admin of the owning agency", Some(FGW_ADMIN)),
    ("platform admin", Some(PLATFORM_ADMIN)),
];

/// What a cell needs to build its request.
struct Fixture {
    /// The owning agency (示范区发展和改革委员会).
    agency: String,
    root: String,
    area: String,
}

/// A fresh staff account of the owning agency, made by its admin; with a reset started when
/// `reset` is set.
async fn staff_account(app: &TestApp, reset: bool) -> Prepared {
    let admin = app.login_demo(FGW_ADMIN).await;
    let agency = app.agency_id(FGW).await;
    let email = format!("m{}@example.cn", uuid::Uuid::now_v7().simple());
    let body =
        json!({ "email": email, "display_name": "矩阵员工", "password": "a-long-enough-pass", "role": "agency_staff" });
    let created = app.post(&format!("/api/v1/agencies/{agency}/staff"), Some(&admin), body).await;
    let account = created.ok(201)["id"].as_str().unwrap().to_string();
    let code = if reset {
        let started = app.post(&format!("/api/v1/accounts/{account}/password-reset"), Some(&admin), json!({})).await;
        started.ok(201)["code"].as_str().unwrap().to_string()
    } else {
        String::new()
    };
    Prepared { account, email, code, ..Default::default() }
}

/// A catalogue item of the owning agency (a fresh name each time) with an open report.
async fn disclosure_item(app: &TestApp) -> Prepared {
    let staff = app.login_demo(FGW_STAFF).await;
    let body =
        disclosure_body(&app.agency_id(FGW).await, &area_id(app).await, &uuid::Uuid::now_v7().simple().to_string());
    let item = app.post("/api/v1/disclosure-items", Some(&staff), body).await;
    let item = item.ok(201)["id"].as_str().unwrap().to_string();
    let report = json!({ "kind": "missing", "body": "矩阵反馈", "contact": "13900000000" });
    let report = app.post(&format!("/api/v1/disclosure-items/{item}/reports"), None, report).await;
    let report = report.ok(201)["id"].as_str().unwrap().to_string();
    Prepared { disclosure_item: item, disclosure_report: report, ..Default::default() }
}

fn disclosure_body(agency: &str, area: &str, name: &str) -> Value {
    json!({ "agency_id": agency, "policy_area_id": area, "item": format!("矩阵事项{name}"), "basis": "《条例》",
        "content": "名称、地址", "time_limit": "20个工作日内", "channels": ["政府网站"], "attribute": "proactive" })
}

/// One valid catalogue row (the same each time: later imports find it unchanged).
const CATALOGUE_CSV: &[u8] = "政策领域,一级事项,公开依据,公开内容,公开时限,公开渠道,公开属性\n\
    养老服务,矩阵导入事项,《养老机构管理办法》,名称,20个工作日内,政府网站,主动公开\n"
    .as_bytes();

async fn prepare(app: &TestApp, prep: Prep) -> Prepared {
    match prep {
        Prep::None => return Prepared::default(),
        Prep::StaffAccount => return staff_account(app, false).await,
        Prep::ResetStarted => return staff_account(app, true).await,
        Prep::Meeting | Prep::MeetingStarted | Prep::AttendanceRequested => return meeting(app, prep).await,
        Prep::OpenDay => return open_day(app).await,
        Prep::DisclosureItem => return disclosure_item(app).await,
        _ => {}
    }
    let staff = app.login_demo(FGW_STAFF).await;
    let id = create_decision(app, &staff, "矩阵用决策").await;
    add_text_version(app, &staff, &id, DRAFT).await;
    if prep == Prep::Draft {
        return Prepared { decision: id, ..Default::default() };
    }
    open(app, &staff, &id, json!({ "closes_at": in_days(30) })).await;
    if prep == Prep::Closed {
        close_window_now(app, &id).await;
    }
    if prep == Prep::Attached {
        let a = upload(app, Some(&staff), &id, "矩阵.pdf", PDF).await;
        let attachment = a.ok(201)["id"].as_str().unwrap().to_string();
        return Prepared { decision: id, attachment, ..Default::default() };
    }
    if !matches!(prep, Prep::Commented | Prep::Viewpoints | Prep::Reported) {
        return Prepared { decision: id, ..Default::default() };
    }
    let resident = app.login_demo(RESIDENT).await;
    let c = comment(app, &id, Some(&resident), simple("矩阵用意见")).await;
    let c = c.ok(201);
    let mut prepared = Prepared {
        comment: c["comment"]["id"].as_str().unwrap().into(),
        tracking: c["receipt"]["tracking_number"].as_str().unwrap().into(),
        secret: c["receipt"]["secret"].as_str().unwrap().into(),
        decision: id.clone(),
        ..Default::default()
    };
    if prep == Prep::Viewpoints {
        for title in ["矩阵观点一", "矩阵观点二"] {
            let v =
                app.post(&format!("/api/v1/decisions/{id}/viewpoints"), Some(&staff), json!({ "title": title })).await;
            let v = v.ok(201)["id"].as_str().unwrap().to_string();
            if prepared.viewpoint.is_empty() {
                prepared.viewpoint = v;
            } else {
                prepared.other_viewpoint = v;
            }
        }
    }
    if prep == Prep::Reported {
        close_window_now(app, &id).await;
        let r = app.post(&format!("/api/v1/decisions/{id}/feedback-reports"), Some(&staff), json!({})).await;
        r.ok(201);
    }
    prepared
}

fn hours(h: i64) -> String {
    (chrono::Utc::now() + chrono::TimeDelta::hours(h)).to_rfc3339()
}

/// A venue no other cell uses.
fn fresh_venue() -> String {
    format!("矩阵会议室{}", uuid::Uuid::now_v7().simple())
}

fn meeting_body(venue: &str, started: bool) -> Value {
    let (s, e) = if started { (-1, 1) } else { (30, 32) };
    json!({ "title": "矩阵会议", "kind": "forum", "starts_at": hours(s), "ends_at": hours(e), "venue": venue,
        "attendance_capacity": if started { 0 } else { 50 },
        "agenda": [{ "title": "公开议题", "openness": "both" }, { "title": "内部议题", "openness": "closed" }] })
}

/// A meeting of the owning agency with a streamed and a closed item and a stream link; with a
/// pending attendance request for `AttendanceRequested`.
async fn meeting(app: &TestApp, prep: Prep) -> Prepared {
    let staff = app.login_demo(FGW_STAFF).await;
    let venue = fresh_venue();
    let m = app.post("/api/v1/meetings", Some(&staff), meeting_body(&venue, prep == Prep::MeetingStarted)).await;
    let m = m.ok(201).clone();
    let id = m["id"].as_str().unwrap().to_string();
    let links = json!({ "hls_url": "https://live.example.cn/live/m.m3u8" });
    app.request(Method::PUT, &format!("/api/v1/meetings/{id}/stream"), Some(&staff), Some(links)).await.ok(200);
    let mut p = Prepared {
        meeting: id.clone(),
        item: m["agenda"][0]["id"].as_str().unwrap().into(),
        venue,
        ..Default::default()
    };
    if prep == Prep::AttendanceRequested {
        let body = json!({ "name": "矩阵申请人", "category": "resident", "reason": "旁听", "phone": "13800000000" });
        let r = app.post(&format!("/api/v1/meetings/{id}/attendance-requests"), None, body).await;
        let r = r.ok(201).clone();
        p.request = r["request"]["id"].as_str().unwrap().into();
        p.code = r["code"].as_str().unwrap().into();
    }
    p
}

fn open_day_body(venue: &str) -> Value {
    json!({ "title": "矩阵开放日", "venue": venue, "starts_at": hours(-1), "ends_at": hours(2), "capacity": 100,
        "registration_opens_at": hours(-2), "registration_closes_at": hours(1), "required_fields": [] })
}

/// An open day of the owning agency happening now, with one confirmed registration.
async fn open_day(app: &TestApp) -> Prepared {
    let staff = app.login_demo(FGW_STAFF).await;
    let venue = fresh_venue();
    let d = app.post("/api/v1/open-days", Some(&staff), open_day_body(&venue)).await;
    let id = d.ok(201)["id"].as_str().unwrap().to_string();
    let r = app
        .post(
            &format!("/api/v1/open-days/{id}/registrations"),
            None,
            json!({ "name": "矩阵报名者", "phone": "13700000000" }),
        )
        .await;
    let code = r.ok(201)["code"].as_str().unwrap().to_string();
    Prepared { open_day: id, code, venue, ..Default::default() }
}

/// The decision a cell works on, prepared afresh by its owning agency's staff.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prep {
    None,
    /// A draft with one version.
    Draft,
    /// Published, consultation open.
    Consulting,
    /// Published, consultation closed.
    Closed,
    /// Consulting, with a comment by the demo resident.
    Commented,
    /// Consulting, with an attachment.
    Attached,
    /// Commented, with two viewpoints.
    Viewpoints,
    /// Commented, closed, and its feedback report published.
    Reported,
    /// A staff account of the owning agency.
    StaffAccount,
    /// A staff account of the owning agency whose password reset was started.
    ResetStarted,
    /// A scheduled meeting of the owning agency (a streamed and a closed item, 50 places, a
    /// stream link).
    Meeting,
    /// The same, started an hour ago.
    MeetingStarted,
    /// A meeting with a pending attendance request (its code in `code`).
    AttendanceRequested,
    /// An open day of the owning agency happening now, with a confirmed registration (its code
    /// in `code`).
    OpenDay,
    /// A disclosure catalogue item of the owning agency with an open public report.
    DisclosureItem,
}

/// What a cell's preparation made.
#[derive(Default)]
struct Prepared {
    decision: String,
    comment: String,
    tracking: String,
    secret: String,
    attachment: String,
    viewpoint: String,
    other_viewpoint: String,
    account: String,
    email: String,
    code: String,
    meeting: String,
    item: String,
    venue: String,
    request: String,
    open_day: String,
    disclosure_item: String,
    disclosure_report: String,
}

struct Row {
    op: &'static str,
    method: Method,
    prep: Prep,
    /// Builds the path from what was prepared.
    path: fn(&Fixture, &Prepared) -> String,
    /// Send the prepared receipt's secret.
    secret: bool,
    /// Send this file (name, content) as a multipart upload instead of a JSON body.
    upload: Option<(&'static str, &'static [u8])>,
    /// A valid body, unique per cell (`n`), so that only authorization decides.
    body: fn(&Fixture, &Prepared, usize) -> Option<Value>,
    expect: [Outcome; 6],
}

fn rows() -> Vec<Row> {
    vec![
        Row {
            op: "register",
            method: Method::POST,
            prep: Prep::None,
            path: |_, _| "/api/v1/auth/register".into(),
            secret: false,
            upload: None,
            body: |_, _p, n| {
                Some(
                    json!({ "email": format!("matrix{n}@example.cn"), "password": "a-long-enough-pass", "display_name": "矩阵" }),
                )
            },
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "login",
            method: Method::POST,
            prep: Prep::None,
            path: |_, _| "/api/v1/auth/login".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| Some(json!({ "email": "chen.jing@wenji.demo", "password": DEMO_PASSWORD })),
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "logout",
            method: Method::POST,
            prep: Prep::None,
            path: |_, _| "/api/v1/auth/logout".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "me",
            method: Method::GET,
            prep: Prep::None,
            path: |_, _| "/api/v1/auth/me".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "change_password",
            method: Method::POST,
            prep: Prep::None,
            path: |_, _| "/api/v1/auth/password".into(),
            secret: false,
            upload: None,
            // The same password again, so that later cells still sign in with it.
            body: |_, _p, _| Some(json!({ "current_password": DEMO_PASSWORD, "new_password": DEMO_PASSWORD })),
            expect: [U, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "logout_everywhere",
            method: Method::POST,
            prep: Prep::None,
            path: |_, _| "/api/v1/auth/logout-everywhere".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "complete_password_reset",
            method: Method::POST,
            prep: Prep::ResetStarted,
            path: |_, _| "/api/v1/auth/password-reset".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "start_password_reset",
            method: Method::POST,
            prep: Prep::StaffAccount,
            path: |_, p| format!("/api/v1/accounts/{}/password-reset", p.account),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, F, F, F, Ok, Ok],
        },
        Row {
            op: "disable_account",
            method: Method::POST,
            prep: Prep::StaffAccount,
            path: |_, p| format!("/api/v1/accounts/{}/disable", p.account),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, F, F, F, Ok, Ok],
        },
        Row {
            op: "enable_account",
            method: Method::POST,
            prep: Prep::StaffAccount,
            path: |_, p| format!("/api/v1/accounts/{}/enable", p.account),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, F, F, F, Ok, Ok],
        },
        Row {
            op: "list_agencies",
            method: Method::GET,
            prep: Prep::None,
            path: |_, _| "/api/v1/agencies".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "create_agency",
            method: Method::POST,
            prep: Prep::None,
            path: |_, _| "/api/v1/agencies".into(),
            secret: false,
            upload: None,
            body: |f, _p, n| {
                Some(json!({ "name": format!("矩阵测试局{n}"), "kind": "department", "parent_id": f.root }))
            },
            expect: [U, F, F, F, F, Ok],
        },
        Row {
            op: "get_agency",
            method: Method::GET,
            prep: Prep::None,
            path: |f, _| format!("/api/v1/agencies/{}", f.agency),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "list_staff",
            method: Method::GET,
            prep: Prep::None,
            path: |f, _| format!("/api/v1/agencies/{}/staff", f.agency),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, F, F, F, Ok, Ok],
        },
        Row {
            op: "create_staff",
            method: Method::POST,
            prep: Prep::None,
            path: |f, _| format!("/api/v1/agencies/{}/staff", f.agency),
            secret: false,
            upload: None,
            body: |_, _p, n| {
                Some(
                    json!({ "email": format!("staff{n}@example.cn"), "display_name": "新同事", "password": "a-long-enough-pass", "role": "agency_staff" }),
                )
            },
            expect: [U, F, F, F, Ok, Ok],
        },
        Row {
            op: "list_policy_areas",
            method: Method::GET,
            prep: Prep::None,
            path: |_, _| "/api/v1/policy-areas".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "create_policy_area",
            method: Method::POST,
            prep: Prep::None,
            path: |_, _| "/api/v1/policy-areas".into(),
            secret: false,
            upload: None,
            body: |_, _p, n| {
                Some(json!({ "code": format!("matrix_{n}"), "name": format!("矩阵领域{n}"), "name_en": "Matrix" }))
            },
            expect: [U, F, F, F, F, Ok],
        },
        Row {
            op: "list_decisions",
            method: Method::GET,
            prep: Prep::Consulting,
            path: |_, _| "/api/v1/decisions".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "create_decision",
            method: Method::POST,
            prep: Prep::None,
            path: |_, _| "/api/v1/decisions".into(),
            secret: false,
            upload: None,
            body: |f, _p, n| {
                Some(
                    json!({ "agency_id": f.agency, "policy_area_id": f.area, "title": format!("矩阵决策{n}"), "catalogue_year": 2026 }),
                )
            },
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "get_decision",
            method: Method::GET,
            prep: Prep::Consulting,
            path: |_, p| format!("/api/v1/decisions/{}", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "get_decision",
            method: Method::GET,
            prep: Prep::Draft,
            path: |_, p| format!("/api/v1/decisions/{}", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [N, N, Ok, N, Ok, Ok],
        },
        Row {
            op: "update_decision",
            method: Method::PUT,
            prep: Prep::Draft,
            path: |_, p| format!("/api/v1/decisions/{}", p.decision),
            secret: false,
            upload: None,
            body: |f, _p, _| Some(json!({ "policy_area_id": f.area, "title": "修改后的标题", "catalogue_year": 2026 })),
            expect: [U, N, Ok, N, Ok, Ok],
        },
        Row {
            op: "preview_split",
            method: Method::POST,
            prep: Prep::None,
            path: |_, _| "/api/v1/drafts/split".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| Some(json!({ "text": "第一条 甲。\n第二条 乙。" })),
            expect: [U, F, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "create_version",
            method: Method::POST,
            prep: Prep::Draft,
            path: |_, p| format!("/api/v1/decisions/{}/versions", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| Some(json!({ "text": "第一条 甲。\n第二条 乙。" })),
            expect: [U, N, Ok, N, Ok, Ok],
        },
        Row {
            op: "list_versions",
            method: Method::GET,
            prep: Prep::Consulting,
            path: |_, p| format!("/api/v1/decisions/{}/versions", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "get_version",
            method: Method::GET,
            prep: Prep::Consulting,
            path: |_, p| format!("/api/v1/decisions/{}/versions/1", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "get_version",
            method: Method::GET,
            prep: Prep::Draft,
            path: |_, p| format!("/api/v1/decisions/{}/versions/1", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [N, N, Ok, N, Ok, Ok],
        },
        Row {
            op: "diff_versions",
            method: Method::GET,
            prep: Prep::Consulting,
            path: |_, p| format!("/api/v1/decisions/{}/versions/1/diff/1", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "open_consultation",
            method: Method::POST,
            prep: Prep::Draft,
            path: |_, p| format!("/api/v1/decisions/{}/consultation", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| Some(json!({ "closes_at": in_days(30) })),
            expect: [U, N, Ok, N, Ok, Ok],
        },
        Row {
            op: "extend_consultation",
            method: Method::POST,
            prep: Prep::Consulting,
            path: |_, p| format!("/api/v1/decisions/{}/consultation/extensions", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| Some(json!({ "closes_at": in_days(45), "note": "延长" })),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "withdraw_decision",
            method: Method::POST,
            prep: Prep::Consulting,
            path: |_, p| format!("/api/v1/decisions/{}/withdraw", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| Some(json!({ "reason": "矩阵测试撤回" })),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "record_outcome",
            method: Method::POST,
            prep: Prep::Reported,
            path: |_, p| format!("/api/v1/decisions/{}/outcome", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| Some(json!({ "decided_on": "2026-12-01", "interpretation": "解读" })),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "feedback_workbench",
            method: Method::GET,
            prep: Prep::Consulting,
            path: |_, p| format!("/api/v1/decisions/{}/feedback/workbench", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "create_viewpoint",
            method: Method::POST,
            prep: Prep::Consulting,
            path: |_, p| format!("/api/v1/decisions/{}/viewpoints", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| Some(json!({ "title": "矩阵观点", "summary": "摘要" })),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "update_viewpoint",
            method: Method::PUT,
            prep: Prep::Viewpoints,
            path: |_, p| format!("/api/v1/viewpoints/{}", p.viewpoint),
            secret: false,
            upload: None,
            body: |_, _p, _| Some(json!({ "title": "改过的观点" })),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "delete_viewpoint",
            method: Method::DELETE,
            prep: Prep::Viewpoints,
            path: |_, p| format!("/api/v1/viewpoints/{}", p.viewpoint),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "set_viewpoint_disposition",
            method: Method::PUT,
            prep: Prep::Viewpoints,
            path: |_, p| format!("/api/v1/viewpoints/{}/disposition", p.viewpoint),
            secret: false,
            upload: None,
            body: |_, _p, _| Some(json!({ "disposition": "not_adopted", "reason": "与上位法不符" })),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "merge_viewpoint",
            method: Method::POST,
            prep: Prep::Viewpoints,
            path: |_, p| format!("/api/v1/viewpoints/{}/merge", p.viewpoint),
            secret: false,
            upload: None,
            body: |_, p, _| Some(json!({ "into": p.other_viewpoint })),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "assign_comments",
            method: Method::POST,
            prep: Prep::Viewpoints,
            path: |_, p| format!("/api/v1/decisions/{}/viewpoint-assignments", p.decision),
            secret: false,
            upload: None,
            body: |_, p, _| Some(json!({ "viewpoint_id": p.viewpoint, "comment_ids": [p.comment] })),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "set_comment_disposition",
            method: Method::PUT,
            prep: Prep::Commented,
            path: |_, p| format!("/api/v1/comments/{}/disposition", p.comment),
            secret: false,
            upload: None,
            body: |_, _p, _| Some(json!({ "disposition": "adopted" })),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "clear_comment_disposition",
            method: Method::DELETE,
            prep: Prep::Commented,
            path: |_, p| format!("/api/v1/comments/{}/disposition", p.comment),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "preview_feedback_report",
            method: Method::POST,
            prep: Prep::Closed,
            path: |_, p| format!("/api/v1/decisions/{}/feedback-report/preview", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| Some(json!({ "introduction": "说明" })),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "publish_feedback_report",
            method: Method::POST,
            prep: Prep::Closed,
            path: |_, p| format!("/api/v1/decisions/{}/feedback-reports", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| Some(json!({ "introduction": "说明" })),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "list_feedback_reports",
            method: Method::GET,
            prep: Prep::Reported,
            path: |_, p| format!("/api/v1/decisions/{}/feedback-reports", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "get_feedback_report",
            method: Method::GET,
            prep: Prep::Reported,
            path: |_, p| format!("/api/v1/decisions/{}/feedback-reports/1", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "feedback_report_canonical",
            method: Method::GET,
            prep: Prep::Reported,
            path: |_, p| format!("/api/v1/decisions/{}/feedback-reports/1/canonical", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "verify_feedback_reports",
            method: Method::GET,
            prep: Prep::Reported,
            path: |_, p| format!("/api/v1/decisions/{}/feedback-verification", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "feedback_deadlines",
            method: Method::GET,
            prep: Prep::None,
            path: |_, _| "/api/v1/feedback/deadlines".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, F, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "rate_by_receipt",
            method: Method::POST,
            prep: Prep::Reported,
            path: |_, p| format!("/api/v1/receipts/{}/rating", p.tracking),
            secret: true,
            upload: None,
            body: |_, _p, _| Some(json!({ "satisfaction": "satisfied" })),
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "rate_own_comment",
            method: Method::POST,
            prep: Prep::Reported,
            path: |_, p| format!("/api/v1/comments/{}/rating", p.comment),
            secret: false,
            upload: None,
            body: |_, _p, _| Some(json!({ "satisfaction": "basically_satisfied", "remark": "还行" })),
            expect: [U, Ok, N, N, N, N],
        },
        Row {
            op: "statistics_overview",
            method: Method::GET,
            prep: Prep::Reported,
            path: |_, _| "/api/v1/statistics/overview".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "statistics_by_agency",
            method: Method::GET,
            prep: Prep::Reported,
            path: |_, _| "/api/v1/statistics/agencies".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "statistics_monthly",
            method: Method::GET,
            prep: Prep::Reported,
            path: |_, _| "/api/v1/statistics/monthly".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "export_statistics_by_agency_xlsx",
            method: Method::GET,
            prep: Prep::Reported,
            path: |_, _| "/api/v1/statistics/agencies.xlsx".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "export_statistics_monthly_csv",
            method: Method::GET,
            prep: Prep::Reported,
            path: |_, _| "/api/v1/statistics/monthly.csv".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "export_statistics_by_agency_csv",
            method: Method::GET,
            prep: Prep::Reported,
            path: |_, _| "/api/v1/statistics/agencies.csv".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "export_statistics_monthly_xlsx",
            method: Method::GET,
            prep: Prep::Reported,
            path: |_, _| "/api/v1/statistics/monthly.xlsx".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "decision_audit_log",
            method: Method::GET,
            prep: Prep::Consulting,
            path: |_, p| format!("/api/v1/decisions/{}/audit-log", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, F, F, F, F, Ok],
        },
        Row {
            op: "decision_catalogue",
            method: Method::GET,
            prep: Prep::None,
            path: |f, _| format!("/api/v1/decision-catalogue?agency_id={}&year=2026", f.agency),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "consultations_feed",
            method: Method::GET,
            prep: Prep::None,
            path: |_, _| "/api/v1/feeds/consultations.atom".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "submit_comment",
            method: Method::POST,
            prep: Prep::Consulting,
            path: |_, p| format!("/api/v1/decisions/{}/comments", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, n| Some(json!({ "body": format!("矩阵意见{n}"), "category": "individual" })),
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "list_comments",
            method: Method::GET,
            prep: Prep::Commented,
            path: |_, p| format!("/api/v1/decisions/{}/comments", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "comment_stats",
            method: Method::GET,
            prep: Prep::Commented,
            path: |_, p| format!("/api/v1/decisions/{}/comment-stats", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "export_comments",
            method: Method::GET,
            prep: Prep::Commented,
            path: |_, p| format!("/api/v1/decisions/{}/comments.csv", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "get_receipt",
            method: Method::GET,
            prep: Prep::Commented,
            path: |_, p| format!("/api/v1/receipts/{}", p.tracking),
            secret: true,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "withdraw_by_receipt",
            method: Method::POST,
            prep: Prep::Commented,
            path: |_, p| format!("/api/v1/receipts/{}/withdraw", p.tracking),
            secret: true,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "my_comments",
            method: Method::GET,
            prep: Prep::None,
            path: |_, _| "/api/v1/me/comments".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "get_follow",
            method: Method::GET,
            prep: Prep::Consulting,
            path: |_, p| format!("/api/v1/decisions/{}/follow", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "get_follow",
            method: Method::GET,
            prep: Prep::Draft,
            path: |_, p| format!("/api/v1/decisions/{}/follow", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, N, Ok, N, Ok, Ok],
        },
        Row {
            op: "follow_decision",
            method: Method::PUT,
            prep: Prep::Consulting,
            path: |_, p| format!("/api/v1/decisions/{}/follow", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "unfollow_decision",
            method: Method::DELETE,
            prep: Prep::Draft,
            path: |_, p| format!("/api/v1/decisions/{}/follow", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, N, Ok, N, Ok, Ok],
        },
        Row {
            op: "unfollow_by_link",
            method: Method::POST,
            prep: Prep::Consulting,
            path: |_, _| "/api/v1/follows/unsubscribe".into(),
            secret: false,
            upload: None,
            body: |_, p, _| {
                Some(json!({ "account_id": p.decision, "decision_id": p.decision, "token": "0".repeat(32) }))
            },
            expect: [N, N, N, N, N, N],
        },
        Row {
            op: "my_follows",
            method: Method::GET,
            prep: Prep::None,
            path: |_, _| "/api/v1/me/follows".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "withdraw_comment",
            method: Method::POST,
            prep: Prep::Commented,
            path: |_, p| format!("/api/v1/comments/{}/withdraw", p.comment),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, Ok, N, N, N, N],
        },
        Row {
            op: "moderation_inbox",
            method: Method::GET,
            prep: Prep::Commented,
            path: |_, p| format!("/api/v1/decisions/{}/moderation/comments", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "moderate_comments",
            method: Method::POST,
            prep: Prep::Commented,
            path: |_, p| format!("/api/v1/decisions/{}/moderation/actions", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| Some(json!({ "action": "hide", "reason": "spam", "filter": {} })),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "enter_offline_comment",
            method: Method::POST,
            prep: Prep::Consulting,
            path: |_, p| format!("/api/v1/decisions/{}/offline-comments", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| {
                Some(
                    json!({ "body": "来信意见", "channel": "letter", "received_on": "2026-01-05", "category": "individual", "outside_window_reason": "窗口前收到" }),
                )
            },
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "duplicate_groups",
            method: Method::GET,
            prep: Prep::Commented,
            path: |_, p| format!("/api/v1/decisions/{}/duplicate-groups", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "export_comments_staff",
            method: Method::GET,
            prep: Prep::Commented,
            path: |_, p| format!("/api/v1/decisions/{}/moderation/comments.csv", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "upload_attachment",
            method: Method::POST,
            prep: Prep::Consulting,
            path: |_, p| format!("/api/v1/decisions/{}/attachments", p.decision),
            secret: false,
            upload: Some(("矩阵.pdf", PDF)),
            body: |_, _p, _| None,
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "list_attachments",
            method: Method::GET,
            prep: Prep::Attached,
            path: |_, p| format!("/api/v1/decisions/{}/attachments", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "download_attachment",
            method: Method::GET,
            prep: Prep::Attached,
            path: |_, p| format!("/api/v1/decisions/{}/attachments/{}", p.decision, p.attachment),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "list_meetings",
            method: Method::GET,
            prep: Prep::None,
            path: |_, _| "/api/v1/meetings".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "create_meeting",
            method: Method::POST,
            prep: Prep::None,
            path: |_, _| "/api/v1/meetings".into(),
            secret: false,
            upload: None,
            body: |f, _p, _| {
                let mut b = meeting_body(&fresh_venue(), false);
                b["agency_id"] = json!(f.agency);
                Some(b)
            },
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "get_meeting",
            method: Method::GET,
            prep: Prep::Meeting,
            path: |_, p| format!("/api/v1/meetings/{}", p.meeting),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "update_meeting",
            method: Method::PUT,
            prep: Prep::Meeting,
            path: |_, p| format!("/api/v1/meetings/{}", p.meeting),
            secret: false,
            upload: None,
            body: |_, p, _| Some(meeting_body(&p.venue, false)),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "cancel_meeting",
            method: Method::POST,
            prep: Prep::Meeting,
            path: |_, p| format!("/api/v1/meetings/{}/cancel", p.meeting),
            secret: false,
            upload: None,
            body: |_, _p, _| Some(json!({ "reason": "改期" })),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "set_meeting_summary",
            method: Method::PUT,
            prep: Prep::MeetingStarted,
            path: |_, p| format!("/api/v1/meetings/{}/summary", p.meeting),
            secret: false,
            upload: None,
            body: |_, _p, _| Some(json!({ "summary": "会议审议通过。" })),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "set_meeting_stream",
            method: Method::PUT,
            prep: Prep::Meeting,
            path: |_, p| format!("/api/v1/meetings/{}/stream", p.meeting),
            secret: false,
            upload: None,
            body: |_, _p, _| Some(json!({ "watch_url": "https://live.example.cn/w" })),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "set_stream_state",
            method: Method::PUT,
            prep: Prep::Meeting,
            path: |_, p| format!("/api/v1/meetings/{}/stream/state", p.meeting),
            secret: false,
            upload: None,
            body: |_, _p, _| Some(json!({ "state": "live" })),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "set_meeting_replay",
            method: Method::PUT,
            prep: Prep::Meeting,
            path: |_, p| format!("/api/v1/meetings/{}/replay", p.meeting),
            secret: false,
            upload: None,
            body: |_, p, _| {
                Some(
                    json!({ "replay_url": "https://live.example.cn/r.mp4", "offsets": [{ "item_id": p.item, "offset_seconds": 60 }] }),
                )
            },
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "decision_agenda_items",
            method: Method::GET,
            prep: Prep::Consulting,
            path: |_, p| format!("/api/v1/decisions/{}/agenda-items", p.decision),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "request_attendance",
            method: Method::POST,
            prep: Prep::Meeting,
            path: |_, p| format!("/api/v1/meetings/{}/attendance-requests", p.meeting),
            secret: false,
            upload: None,
            body: |_, _p, n| {
                Some(
                    json!({ "name": format!("申请人{n}"), "category": "resident", "reason": "旁听", "email": format!("a{n}@example.cn") }),
                )
            },
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "list_attendance_requests",
            method: Method::GET,
            prep: Prep::AttendanceRequested,
            path: |_, p| format!("/api/v1/meetings/{}/attendance-requests", p.meeting),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "decide_attendance_request",
            method: Method::POST,
            prep: Prep::AttendanceRequested,
            path: |_, p| format!("/api/v1/attendance-requests/{}/decision", p.request),
            secret: false,
            upload: None,
            body: |_, _p, _| Some(json!({ "approve": true })),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "lookup_attendance_request",
            method: Method::POST,
            prep: Prep::AttendanceRequested,
            path: |_, _| "/api/v1/attendance-requests/lookup".into(),
            secret: false,
            upload: None,
            body: |_, p, _| Some(json!({ "code": p.code })),
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "withdraw_attendance_request",
            method: Method::POST,
            prep: Prep::AttendanceRequested,
            path: |_, _| "/api/v1/attendance-requests/withdraw".into(),
            secret: false,
            upload: None,
            body: |_, p, _| Some(json!({ "code": p.code })),
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "list_open_days",
            method: Method::GET,
            prep: Prep::None,
            path: |_, _| "/api/v1/open-days".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "create_open_day",
            method: Method::POST,
            prep: Prep::None,
            path: |_, _| "/api/v1/open-days".into(),
            secret: false,
            upload: None,
            body: |f, _p, _| {
                let mut b = open_day_body(&fresh_venue());
                b["agency_id"] = json!(f.agency);
                Some(b)
            },
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "get_open_day",
            method: Method::GET,
            prep: Prep::OpenDay,
            path: |_, p| format!("/api/v1/open-days/{}", p.open_day),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "update_open_day",
            method: Method::PUT,
            prep: Prep::OpenDay,
            path: |_, p| format!("/api/v1/open-days/{}", p.open_day),
            secret: false,
            upload: None,
            body: |_, p, _| Some(open_day_body(&p.venue)),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "cancel_open_day",
            method: Method::POST,
            prep: Prep::OpenDay,
            path: |_, p| format!("/api/v1/open-days/{}/cancel", p.open_day),
            secret: false,
            upload: None,
            body: |_, _p, _| Some(json!({ "reason": "场馆检修" })),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "register_for_open_day",
            method: Method::POST,
            prep: Prep::OpenDay,
            path: |_, p| format!("/api/v1/open-days/{}/registrations", p.open_day),
            secret: false,
            upload: None,
            body: |_, _p, n| Some(json!({ "name": "报名者", "email": format!("r{n}@example.cn") })),
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "list_open_day_registrations",
            method: Method::GET,
            prep: Prep::OpenDay,
            path: |_, p| format!("/api/v1/open-days/{}/registrations", p.open_day),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "export_open_day_registrations",
            method: Method::GET,
            prep: Prep::OpenDay,
            path: |_, p| format!("/api/v1/open-days/{}/registrations.csv", p.open_day),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "check_in",
            method: Method::POST,
            prep: Prep::OpenDay,
            path: |_, p| format!("/api/v1/open-days/{}/check-ins", p.open_day),
            secret: false,
            upload: None,
            body: |_, p, _| Some(json!({ "code": p.code })),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "lookup_registration",
            method: Method::POST,
            prep: Prep::OpenDay,
            path: |_, _| "/api/v1/open-day-registrations/lookup".into(),
            secret: false,
            upload: None,
            body: |_, p, _| Some(json!({ "code": p.code })),
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "cancel_registration",
            method: Method::POST,
            prep: Prep::OpenDay,
            path: |_, _| "/api/v1/open-day-registrations/cancel".into(),
            secret: false,
            upload: None,
            body: |_, p, _| Some(json!({ "code": p.code })),
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "calendar_events",
            method: Method::GET,
            prep: Prep::None,
            path: |_, _| "/api/v1/calendar".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "calendar_ics",
            method: Method::GET,
            prep: Prep::None,
            path: |_, _| "/api/v1/calendar.ics".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "meeting_ics",
            method: Method::GET,
            prep: Prep::Meeting,
            path: |_, p| format!("/api/v1/meetings/{}/calendar.ics", p.meeting),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "open_day_ics",
            method: Method::GET,
            prep: Prep::OpenDay,
            path: |_, p| format!("/api/v1/open-days/{}/calendar.ics", p.open_day),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "list_disclosure_items",
            method: Method::GET,
            prep: Prep::None,
            path: |_, _| "/api/v1/disclosure-items".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "create_disclosure_item",
            method: Method::POST,
            prep: Prep::None,
            path: |_, _| "/api/v1/disclosure-items".into(),
            secret: false,
            upload: None,
            body: |f, _p, n| Some(disclosure_body(&f.agency, &f.area, &n.to_string())),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "get_disclosure_item",
            method: Method::GET,
            prep: Prep::DisclosureItem,
            path: |_, p| format!("/api/v1/disclosure-items/{}", p.disclosure_item),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "update_disclosure_item",
            method: Method::PUT,
            prep: Prep::DisclosureItem,
            path: |_, p| format!("/api/v1/disclosure-items/{}", p.disclosure_item),
            secret: false,
            upload: None,
            body: |f, _p, n| Some(disclosure_body(&f.agency, &f.area, &format!("改{n}"))),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "remove_disclosure_item",
            method: Method::POST,
            prep: Prep::DisclosureItem,
            path: |_, p| format!("/api/v1/disclosure-items/{}/remove", p.disclosure_item),
            secret: false,
            upload: None,
            body: |_, _p, _| Some(json!({})),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "restore_disclosure_item",
            method: Method::POST,
            prep: Prep::DisclosureItem,
            path: |_, p| format!("/api/v1/disclosure-items/{}/restore", p.disclosure_item),
            secret: false,
            upload: None,
            body: |_, _p, _| Some(json!({})),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "get_disclosure_item_history",
            method: Method::GET,
            prep: Prep::DisclosureItem,
            path: |_, p| format!("/api/v1/disclosure-items/{}/history", p.disclosure_item),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "list_disclosure_item_reports",
            method: Method::GET,
            prep: Prep::DisclosureItem,
            path: |_, p| format!("/api/v1/disclosure-items/{}/reports", p.disclosure_item),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "report_disclosure_item",
            method: Method::POST,
            prep: Prep::DisclosureItem,
            path: |_, p| format!("/api/v1/disclosure-items/{}/reports", p.disclosure_item),
            secret: false,
            upload: None,
            body: |_, _p, n| Some(json!({ "kind": "outdated", "body": format!("矩阵反馈{n}") })),
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "list_disclosure_reports",
            method: Method::GET,
            prep: Prep::None,
            path: |f, _| format!("/api/v1/disclosure-reports?agency_id={}", f.agency),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "answer_disclosure_report",
            method: Method::POST,
            prep: Prep::DisclosureItem,
            path: |_, p| format!("/api/v1/disclosure-reports/{}/answer", p.disclosure_report),
            secret: false,
            upload: None,
            body: |_, _p, _| Some(json!({ "answer": "已处理。" })),
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "import_disclosure_catalogue",
            method: Method::POST,
            prep: Prep::None,
            path: |f, _| format!("/api/v1/disclosure-imports?agency_id={}", f.agency),
            secret: false,
            upload: Some(("目录.csv", CATALOGUE_CSV)),
            body: |_, _p, _| None,
            expect: [U, F, Ok, F, Ok, Ok],
        },
        Row {
            op: "export_disclosure_catalogue_csv",
            method: Method::GET,
            prep: Prep::None,
            path: |f, _| format!("/api/v1/disclosure-catalogue.csv?agency_id={}", f.agency),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "export_disclosure_catalogue_xlsx",
            method: Method::GET,
            prep: Prep::None,
            path: |_, _| "/api/v1/disclosure-catalogue.xlsx".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "list_disclosure_channels",
            method: Method::GET,
            prep: Prep::None,
            path: |_, _| "/api/v1/disclosure-channels".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [Ok, Ok, Ok, Ok, Ok, Ok],
        },
        Row {
            op: "add_disclosure_channel",
            method: Method::POST,
            prep: Prep::None,
            path: |_, _| "/api/v1/disclosure-channels".into(),
            secret: false,
            upload: None,
            body: |_, _p, n| Some(json!({ "name": format!("矩阵渠道{n}") })),
            expect: [U, F, F, F, F, Ok],
        },
        Row {
            op: "get_disclosure_coverage",
            method: Method::GET,
            prep: Prep::None,
            path: |_, _| "/api/v1/disclosure-coverage".into(),
            secret: false,
            upload: None,
            body: |_, _p, _| None,
            expect: [U, F, F, F, F, Ok],
        },
    ]
}

#[test]
fn every_operation_in_the_spec_has_a_row() {
    let in_spec: BTreeSet<String> = spec_operations().into_iter().map(|(id, _, _)| id).collect();
    let in_table: BTreeSet<String> = rows().iter().map(|r| r.op.to_string()).collect();
    let missing: Vec<_> = in_spec.difference(&in_table).collect();
    let stale: Vec<_> = in_table.difference(&in_spec).collect();
    assert!(missing.is_empty(), "operations without an authorization row: {missing:?}");
    assert!(stale.is_empty(), "rows for operations that no longer exist: {stale:?}");
    // Rows agree with the spec on method.
    for (id, method, _) in spec_operations() {
        for row in rows().into_iter().filter(|r| r.op == id) {
            assert_eq!(row.method.as_str(), method, "{id}");
        }
    }
}

#[tokio::test]
async fn every_cell_of_the_matrix() {
    let app = spawn_demo_without_comment_limits().await;
    let fixture = Fixture {
        agency: app.agency_id(FGW).await,
        root: app.agency_id("示范区人民政府").await,
        area: area_id(&app).await,
    };
    let mut failures = Vec::new();
    let mut cells = 0;
    for (r, row) in rows().iter().enumerate() {
        for (a, (actor, email)) in ACTORS.iter().enumerate() {
            // A fresh session per cell, so that `logout` in one cell cannot affect another.
            let token = match email {
                Some(e) => Some(app.login_demo(e).await),
                None => None,
            };
            let n = r * 10 + a;
            let prepared = prepare(&app, row.prep).await;
            let path = (row.path)(&fixture, &prepared);
            let mut request = app.client.request(row.method.clone(), app.url(&path));
            if let Some(t) = &token {
                request = request.bearer_auth(t);
            }
            if row.secret {
                request = request.header("x-receipt-secret", &prepared.secret);
            }
            if let Some((name, content)) = row.upload {
                let (content_type, body) = multipart(name, content);
                request = request.header("content-type", content_type).body(body);
            } else if row.prep == Prep::ResetStarted {
                let b =
                    json!({ "email": prepared.email, "code": prepared.code, "new_password": "a-brand-new-passphrase" });
                request = request.json(&b);
            } else if let Some(b) = (row.body)(&fixture, &prepared, n) {
                request = request.json(&b);
            }
            let answer = app.send(request).await;
            let got = match answer.status.as_u16() {
                200..=299 => Ok,
                401 => U,
                403 => F,
                404 => N,
                other => {
                    failures.push(format!("{} as {actor}: unexpected {other}: {}", row.op, answer.text));
                    continue;
                }
            };
            if got != Ok {
                answer.problem(answer.status.as_u16());
            }
            if got != row.expect[a] {
                failures.push(format!(
                    "{} as {actor}: expected {:?}, got {got:?} ({})",
                    row.op, row.expect[a], answer.text
                ));
            }
            cells += 1;
        }
    }
    assert!(failures.is_empty(), "authorization matrix failures:\n{}", failures.join("\n"));
    assert_eq!(cells, rows().len() * ACTORS.len());
    eprintln!("authorization matrix: {cells} cells checked, 0 failures");
}
