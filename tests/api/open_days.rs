//! Open days: register → waitlist → cancel → promote → check in, with the error cases; more
//! places promote people waiting; personal data only for the agency; the export is audited;
//! and a burst of 1,000 registrations through two server processes on one database.

use std::collections::HashSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::meetings::{at, open_day_body, spawn_events_app};
use crate::nodes::Node;

fn person(i: usize) -> Value {
    json!({ "name": format!("报名者{i}"), "phone": format!("139{i:08}"), "email": format!("p{i}@example.cn") })
}

async fn register(app: &TestApp, day: &str, body: Value) -> Answer {
    app.post(&format!("/api/v1/open-days/{day}/registrations"), None, body).await
}

/// An open day happening now (so check-in is open), registration open, `capacity` places.
async fn day_now(app: &TestApp, staff: &str, venue: &str, capacity: i32) -> String {
    let mut body = open_day_body(venue, -1, 2, capacity);
    body["registration_closes_at"] = json!(at(1));
    app.post("/api/v1/open-days", Some(staff), body).await.ok(201)["id"].as_str().unwrap().to_string()
}

fn code_of(a: &Answer) -> String {
    a.body["code"].as_str().expect("a code").to_string()
}

#[tokio::test]
async fn register_waitlist_cancel_promote_and_check_in() {
    let app = spawn_events_app().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let day = day_now(&app, &staff, "区政务服务中心", 2).await;

    // The required phone; a valid ID number when one is given.
    let a = register(&app, &day, json!({ "name": "张三", "email": "z@example.cn" })).await;
    assert_eq!(a.error_fields(), ["phone"]);
    let a = register(&app, &day, json!({ "name": "张三", "phone": "13900000000", "id_number": "110105194912310021" }))
        .await;
    assert_eq!(a.problem(422)["errors"][0]["code"], "invalid_id_number");

    let first = register(&app, &day, person(1)).await;
    assert_eq!(first.ok(201)["registration"]["status"], "confirmed");
    let qr = first.body["registration"]["qr_payload"].as_str().unwrap().to_string();
    assert!(qr.starts_with("WJOD:"));
    let second = register(&app, &day, person(2)).await;
    assert_eq!(second.ok(201)["registration"]["status"], "confirmed");
    let third = register(&app, &day, person(3)).await;
    assert_eq!(third.ok(201)["registration"]["status"], "waitlisted");
    assert_eq!(third.body["registration"]["waiting_position"], 1);
    let fourth = register(&app, &day, person(4)).await;
    assert_eq!(fourth.ok(201)["registration"]["waiting_position"], 2);
    // One live registration per person: the same phone written differently.
    let again = register(&app, &day, json!({ "name": "报名者1", "phone": "139 0000 0001" })).await;
    assert_eq!(again.problem(409)["code"], "already_registered");

    let d = app.get(&format!("/api/v1/open-days/{day}"), None).await.ok(200).clone();
    assert_eq!(
        (d["confirmed"].as_i64(), d["places_left"].as_i64(), d["waiting"].as_i64()),
        (Some(2), Some(0), Some(2))
    );
    // Nothing personal in public.
    let public =
        app.get(&format!("/api/v1/open-days/{day}"), None).await.text + &app.get("/api/v1/open-days", None).await.text;
    assert!(!public.contains("13900000001") && !public.contains("p1@example.cn") && !public.contains("报名者"));

    // Check-in: by the QR payload, once; a second scan says when.
    let path = format!("/api/v1/open-days/{day}/check-ins");
    let c = app.post(&path, Some(&staff), json!({ "code": qr })).await;
    assert_eq!(c.ok(200)["first_time"], true);
    assert_eq!(c.body["registration"]["name"], "报名者1");
    let typed = code_of(&first).to_lowercase().replace('-', " ");
    let c2 = app.post(&path, Some(&staff), json!({ "code": typed })).await;
    assert_eq!(c2.ok(200)["first_time"], false);
    assert_eq!(c2.body["registration"]["checked_in_at"], c.body["registration"]["checked_in_at"]);
    // Waitlisted: no entry. Another agency's staff: no check-in.
    let w = app.post(&path, Some(&staff), json!({ "code": code_of(&third) })).await;
    assert_eq!(w.problem(409)["code"], "not_confirmed");
    assert_eq!(app.post(&path, Some(&app.login_demo(ZJJ_STAFF).await), json!({ "code": qr })).await.status, 403);
    assert_eq!(app.post(&path, Some(&staff), json!({ "code": "AAAAA-BBBBB" })).await.status, 404);

    // The second cancels: the first waiting (third) is promoted, the fourth moves up.
    let cancel = |code: String| app.post("/api/v1/open-day-registrations/cancel", None, json!({ "code": code }));
    assert_eq!(cancel(code_of(&second)).await.ok(200)["status"], "cancelled");
    let look = |code: String| app.post("/api/v1/open-day-registrations/lookup", None, json!({ "code": code }));
    assert_eq!(look(code_of(&third)).await.ok(200)["status"], "confirmed");
    assert_eq!(look(code_of(&fourth)).await.ok(200)["waiting_position"], 1);
    // Cancelling again changes nothing; a cancelled code is refused at the door.
    assert_eq!(cancel(code_of(&second)).await.ok(200)["status"], "cancelled");
    let c = app.post(&path, Some(&staff), json!({ "code": code_of(&second) })).await;
    assert_eq!(c.problem(409)["code"], "registration_cancelled");
    let d = app.get(&format!("/api/v1/open-days/{day}"), None).await.ok(200).clone();
    assert_eq!((d["confirmed"].as_i64(), d["waiting"].as_i64()), (Some(2), Some(1)));
    // Cancelled, the person may register again (to the waiting list now).
    assert_eq!(register(&app, &day, person(2)).await.ok(201)["registration"]["status"], "waitlisted");

    // More places promote people waiting, in order.
    let mut more = open_day_body("区政务服务中心", -1, 2, 4);
    more["registration_closes_at"] = json!(at(1));
    let d = app.request(Method::PUT, &format!("/api/v1/open-days/{day}"), Some(&staff), Some(more.clone())).await;
    assert_eq!((d.ok(200)["confirmed"].as_i64(), d.body["waiting"].as_i64()), (Some(4), Some(0)));
    assert_eq!(look(code_of(&fourth)).await.ok(200)["status"], "confirmed");
    // Everyone with an e-mail address was told: five registrations, three promotions.
    assert_eq!(outbox_count(&app, "open_day_registration").await, 5);
    assert_eq!(outbox_count(&app, "open_day_promoted").await, 3);
    // Fewer places than confirmed is refused.
    more["capacity"] = json!(3);
    let a = app.request(Method::PUT, &format!("/api/v1/open-days/{day}"), Some(&staff), Some(more)).await;
    assert_eq!(a.problem(422)["errors"][0]["code"], "below_confirmed");

    // The agency's list and export hold the personal data; the export is audited.
    let list = app.get(&format!("/api/v1/open-days/{day}/registrations?status=confirmed"), Some(&staff)).await;
    assert_eq!(list.ok(200)["meta"]["total"], 4);
    assert_eq!(list.body["checked_in"], 1);
    let csv = app.get(&format!("/api/v1/open-days/{day}/registrations.csv"), Some(&staff)).await;
    assert_eq!(csv.status, 200);
    assert!(csv.text.starts_with('\u{feff}') && csv.text.contains("13900000001") && csv.text.contains("已取消"));
    assert_eq!(csv.text.lines().count(), 1 + 5, "a header and five registrations");
    let id = uuid::Uuid::parse_str(&day).unwrap();
    let audit = wenji::audit::for_entity(app.db.conn(), id).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "registrations_exported"));
    assert_eq!(app.get(&format!("/api/v1/open-days/{day}/registrations.csv"), None).await.status, 401);
    let resident = app.login_demo(RESIDENT).await;
    assert_eq!(app.get(&format!("/api/v1/open-days/{day}/registrations"), Some(&resident)).await.status, 403);
}

#[tokio::test]
async fn check_in_only_on_the_day_and_registration_only_in_its_window() {
    let app = spawn_events_app().await;
    let staff = app.login_demo(FGW_STAFF).await;
    // In three days: registration open, check-in not yet.
    let later = app.post("/api/v1/open-days", Some(&staff), open_day_body("区档案馆", 72, 74, 5)).await.ok(201)["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = register(&app, &later, person(1)).await;
    let code = code_of(&r);
    let c = app.post(&format!("/api/v1/open-days/{later}/check-ins"), Some(&staff), json!({ "code": code })).await;
    assert_eq!(c.problem(409)["code"], "not_today");
    // A code of another open day is not found at this one.
    let today = day_now(&app, &staff, "区图书馆", 5).await;
    let c = app.post(&format!("/api/v1/open-days/{today}/check-ins"), Some(&staff), json!({ "code": code })).await;
    assert_eq!(c.status, 404);
    // Registration not open yet, or closed.
    let mut body = open_day_body("区文化馆", 72, 74, 5);
    body["registration_opens_at"] = json!(at(24));
    body["registration_closes_at"] = json!(at(48));
    let closed = app.post("/api/v1/open-days", Some(&staff), body).await.ok(201)["id"].as_str().unwrap().to_string();
    assert_eq!(register(&app, &closed, person(9)).await.problem(409)["code"], "registration_closed");
    // A cancelled open day takes no registration, and its registrants are told.
    let a = app.post(&format!("/api/v1/open-days/{later}/cancel"), Some(&staff), json!({ "reason": "场馆检修" })).await;
    assert_eq!(a.ok(200)["status"], "cancelled");
    assert_eq!(register(&app, &later, person(2)).await.problem(409)["code"], "open_day_cancelled");
    let told: i64 = outbox_count(&app, "open_day_cancelled").await;
    assert_eq!(told, 1);
    // Bad input: an end before the start, no places, registration closing after the day.
    let mut bad = open_day_body("区文化馆", 72, 70, 0);
    bad["registration_closes_at"] = json!(at(80));
    let a = app.post("/api/v1/open-days", Some(&staff), bad).await;
    let mut fields = a.error_fields();
    fields.sort();
    assert_eq!(fields, ["capacity", "ends_at", "registration_closes_at"]);
}

async fn outbox_count(app: &TestApp, kind: &str) -> i64 {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    wenji::entities::outbox::Entity::find()
        .filter(wenji::entities::outbox::Column::Kind.eq(kind))
        .count(app.db.conn())
        .await
        .unwrap() as i64
}

/// 1,000 registrations at once for 100 places, alternating between two server processes on
/// the test's database: exactly 100 confirmed, 900 waitlisted with 900 different numbers,
/// every answer a clean 201, and the stored counts equal to the rows.
#[tokio::test]
async fn a_thousand_simultaneous_registrations_through_two_processes_never_oversell() {
    let app = spawn_events_app().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let day = day_now(&app, &staff, "区政务服务中心大厅", 100).await;
    let dir = tempfile::tempdir().unwrap();
    let mut nodes = [Node::start(&app, dir.path()), Node::start(&app, dir.path())];
    let client = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    for n in &mut nodes {
        n.ready(&client).await;
    }
    let started = std::time::Instant::now();
    let answers = join_all((0..1000).map(|i| {
        let url = format!("{}/api/v1/open-days/{day}/registrations", nodes[i % 2].base);
        let client = client.clone();
        async move {
            let r = client.post(url).json(&person(i)).send().await.expect("answer");
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    }))
    .await;
    let elapsed = started.elapsed();
    let unclean: Vec<_> = answers.iter().filter(|(s, _)| *s != 201).collect();
    assert!(unclean.is_empty(), "every answer is 201: {:?}", &unclean[..unclean.len().min(3)]);
    let status = |s: &str| answers.iter().filter(|(_, b)| b["registration"]["status"] == s).count();
    let (confirmed, waitlisted) = (status("confirmed"), status("waitlisted"));
    let codes: HashSet<&str> = answers.iter().filter_map(|(_, b)| b["code"].as_str()).collect();
    eprintln!(
        "open-day burst: 1000 registrations through 2 processes in {:.2} s: {confirmed} confirmed, {waitlisted} waitlisted, {} codes",
        elapsed.as_secs_f64(),
        codes.len()
    );
    assert_eq!((confirmed, waitlisted), (100, 900));
    assert_eq!(codes.len(), 1000, "no two registrations share a code");

    // The stored truth: rows, counts and waiting-list numbers.
    let d = app.get(&format!("/api/v1/open-days/{day}"), None).await.ok(200).clone();
    assert_eq!(
        (d["confirmed"].as_i64(), d["waiting"].as_i64(), d["places_left"].as_i64()),
        (Some(100), Some(900), Some(0))
    );
    let list = |status: &str, page: u32| {
        let path = format!("/api/v1/open-days/{day}/registrations?status={status}&per_page=200&page={page}");
        let (app, staff) = (&app, staff.clone());
        async move { app.get(&path, Some(&staff)).await }
    };
    assert_eq!(list("confirmed", 1).await.ok(200)["meta"]["total"], 100);
    let mut seqs = HashSet::new();
    for page in 1..=5 {
        for r in list("waitlisted", page).await.ok(200)["items"].as_array().unwrap() {
            seqs.insert(r["waitlist_seq"].as_i64().unwrap());
        }
    }
    assert_eq!(seqs.len(), 900, "900 different places in the waiting list");
    assert_eq!(seqs.iter().copied().max(), Some(900));
}
