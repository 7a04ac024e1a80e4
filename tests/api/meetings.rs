//! Meetings: the agenda's openness rules (no link for a closed item in any response), venue
//! clashes with meetings and open days, livestream transitions, replay offsets, attendance
//! requests within the places, and the calendar feed read by a real iCalendar parser.

use chrono::{TimeDelta, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

pub const HOST: &str = "https://live.example.cn";

pub fn at(hours_from_now: i64) -> String {
    (Utc::now() + TimeDelta::hours(hours_from_now)).to_rfc3339()
}

pub async fn spawn_events_app() -> TestApp {
    let app = TestApp::spawn_with(|c| {
        c.embed_hosts = vec![HOST.to_string()];
        c.signup_max_per_address = 10_000;
    })
    .await;
    wenji::demo::load(&app.db).await.expect("demo data loads");
    app
}

pub fn meeting_body(venue: &str, starts: i64, ends: i64, agenda: Value) -> Value {
    json!({
        "title": "区政府常务会议",
        "kind": "executive",
        "starts_at": at(starts),
        "ends_at": at(ends),
        "venue": venue,
        "attendance_capacity": 2,
        "agenda": agenda,
    })
}

fn open_and_closed() -> Value {
    json!([
        { "title": "审议《养老服务设施建设管理办法》", "openness": "both" },
        { "title": "人事任免事项", "openness": "closed" },
    ])
}

async fn put(app: &TestApp, path: &str, token: &str, body: Value) -> Answer {
    app.request(Method::PUT, path, Some(token), Some(body)).await
}

async fn schedule(app: &TestApp, staff: &str, venue: &str) -> Value {
    app.post("/api/v1/meetings", Some(staff), meeting_body(venue, 48, 50, open_and_closed())).await.ok(201).clone()
}

/// Every string in a JSON value.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

#[tokio::test]
async fn a_closed_item_never_carries_a_stream_or_replay_link() {
    let app = spawn_events_app().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let (decision, _) = published_decision(&app, "示范区养老服务设施建设管理办法").await;
    let mut body = meeting_body("区政府第一会议室", 48, 50, open_and_closed());
    body["agenda"][0]["decision_id"] = json!(decision);
    body["agenda"][1]["decision_id"] = json!(decision);
    let m = app.post("/api/v1/meetings", Some(&staff), body).await.ok(201).clone();
    let id = m["id"].as_str().unwrap();
    let (open_item, closed_item) = (m["agenda"][0]["id"].clone(), m["agenda"][1]["id"].clone());
    put(&app, &format!("/api/v1/meetings/{id}/stream"), &staff, json!({ "hls_url": format!("{HOST}/live/a.m3u8") }))
        .await
        .ok(200);
    put(&app, &format!("/api/v1/meetings/{id}/stream/state"), &staff, json!({ "state": "live" })).await.ok(200);
    // A closed item cannot be given a place in the replay.
    let bad =
        json!({ "replay_url": format!("{HOST}/r.mp4"), "offsets": [{ "item_id": closed_item, "offset_seconds": 60 }] });
    let a = put(&app, &format!("/api/v1/meetings/{id}/replay"), &staff, bad).await;
    assert_eq!(a.problem(422)["errors"][0]["code"], "not_streamed");
    let good =
        json!({ "replay_url": format!("{HOST}/r.mp4"), "offsets": [{ "item_id": open_item, "offset_seconds": 754 }] });
    put(&app, &format!("/api/v1/meetings/{id}/replay"), &staff, good).await.ok(200);

    // Every response that shows the agenda: the meeting (public and staff), the decision's
    // agenda items, the list, the calendar.
    let public = app.get(&format!("/api/v1/meetings/{id}"), None).await.ok(200).clone();
    let as_staff = app.get(&format!("/api/v1/meetings/{id}"), Some(&staff)).await.ok(200).clone();
    let for_decision = app.get(&format!("/api/v1/decisions/{decision}/agenda-items"), None).await.ok(200).clone();
    for meeting in [&public, &as_staff] {
        assert_eq!(meeting["agenda"][0]["replay_link"], format!("{HOST}/r.mp4#t=754"));
        assert_eq!(meeting["agenda"][1]["replay_link"], Value::Null);
        assert_eq!(meeting["agenda"][1]["replay_offset_seconds"], Value::Null);
        assert_eq!(meeting["stream"]["state"], "live");
    }
    let items = for_decision.as_array().unwrap();
    assert_eq!(items.len(), 2);
    let closed = items.iter().find(|i| i["item"]["openness"] == "closed").unwrap();
    let mut texts = vec![];
    strings(closed, &mut texts);
    assert!(texts.iter().all(|s| !s.contains(HOST)), "a closed item shows no link: {closed}");
    let open = items.iter().find(|i| i["item"]["openness"] == "both").unwrap();
    assert_eq!(open["item"]["replay_link"], format!("{HOST}/r.mp4#t=754"));
    assert_eq!(open["item"]["decision_title"], "示范区养老服务设施建设管理办法");

    // Made closed, the streamed item loses its place in the replay; with nothing streamed
    // the meeting shows no stream at all.
    let mut edit = meeting_body("区政府第一会议室", 48, 50, open_and_closed());
    edit["agenda"] = json!([
        { "id": open_item, "title": "审议《养老服务设施建设管理办法》", "openness": "closed" },
        { "id": closed_item, "title": "人事任免事项", "openness": "closed" },
    ]);
    edit["attendance_capacity"] = json!(0);
    let a = put(&app, &format!("/api/v1/meetings/{id}"), &staff, edit).await;
    let m = a.ok(200);
    assert_eq!(m["stream"], Value::Null);
    let mut texts = vec![];
    strings(m, &mut texts);
    assert!(texts.iter().all(|s| !s.contains(HOST)), "no link left anywhere: {m}");
    let listed = app.get("/api/v1/meetings", None).await.ok(200).to_string();
    let calendar = app.get(&format!("/api/v1/calendar?from={}&to={}", enc(&at(-1)), enc(&at(24 * 30))), None).await;
    for text in [listed, calendar.text.clone(), app.get("/api/v1/calendar.ics", None).await.text] {
        assert!(!text.contains(HOST), "{text}");
    }
}

pub fn enc(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

#[tokio::test]
async fn a_venue_cannot_hold_two_events_at_overlapping_times() {
    let app = spawn_events_app().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let other_agency = app.login_demo(ZJJ_STAFF).await;
    let first = schedule(&app, &staff, "区政府第一会议室").await;
    // Another agency, another spelling of the same room, an overlapping hour: 409 naming it.
    let clash = meeting_body("区政府 第一会议室", 49, 51, open_and_closed());
    let a = app.post("/api/v1/meetings", Some(&other_agency), clash).await;
    let p = a.problem(409);
    assert_eq!(p["code"], "venue_clash");
    assert!(p["detail"].as_str().unwrap().contains("区政府常务会议"), "{p}");
    // Back to back is no clash; another room is none either.
    app.post("/api/v1/meetings", Some(&other_agency), meeting_body("区政府第一会议室", 50, 51, open_and_closed()))
        .await
        .ok(201);
    app.post("/api/v1/meetings", Some(&other_agency), meeting_body("区政府第二会议室", 48, 50, open_and_closed()))
        .await
        .ok(201);
    // An open day clashes with a meeting too.
    let day = open_day_body("区政府第一会议室", 47, 49, 10);
    assert_eq!(app.post("/api/v1/open-days", Some(&staff), day).await.problem(409)["code"], "venue_clash");
    // A cancelled meeting frees its venue.
    let id = first["id"].as_str().unwrap();
    app.post(&format!("/api/v1/meetings/{id}/cancel"), Some(&staff), json!({ "reason": "改期" })).await.ok(200);
    app.post("/api/v1/open-days", Some(&staff), open_day_body("区政府第一会议室", 47, 49, 10)).await.ok(201);
    // Moving a meeting onto a taken slot is refused as well, and nothing changes.
    let second = schedule(&app, &staff, "区政府第三会议室").await;
    let moved = meeting_body("区政府第一会议室", 48, 49, open_and_closed());
    let sid = second["id"].as_str().unwrap();
    assert_eq!(put(&app, &format!("/api/v1/meetings/{sid}"), &staff, moved).await.problem(409)["code"], "venue_clash");
    assert_eq!(app.get(&format!("/api/v1/meetings/{sid}"), None).await.ok(200)["venue"], "区政府第三会议室");
}

pub fn open_day_body(venue: &str, starts: i64, ends: i64, capacity: i32) -> Value {
    json!({
        "title": "政务开放日：走进区政务服务中心",
        "description": "参观政务服务中心，体验“一网通办”。",
        "venue": venue,
        "starts_at": at(starts),
        "ends_at": at(ends),
        "capacity": capacity,
        "registration_opens_at": at(-2),
        "registration_closes_at": at(starts),
        "eligibility": "年满 18 周岁的本区居民和企业代表",
        "required_fields": ["phone"],
    })
}

#[tokio::test]
async fn the_livestream_moves_forward_only_and_needs_https_links_on_allowed_hosts() {
    let app = spawn_events_app().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let m = schedule(&app, &staff, "区政府第一会议室").await;
    let id = m["id"].as_str().unwrap();
    let state = |s: &str| json!({ "state": s });
    let path = format!("/api/v1/meetings/{id}/stream/state");
    // No link yet: cannot go live.
    assert_eq!(put(&app, &path, &staff, state("live")).await.problem(409)["code"], "stream_without_link");
    let links = format!("/api/v1/meetings/{id}/stream");
    for (body, field, code) in [
        (json!({ "hls_url": "http://live.example.cn/a.m3u8" }), "hls_url", "not_https"),
        (json!({ "embed_url": "https://evil.example.com/player" }), "embed_url", "host_not_allowed"),
        (json!({ "watch_url": "https://live.example.cn@evil.example.com/" }), "watch_url", "invalid_url"),
    ] {
        let a = put(&app, &links, &staff, body).await;
        assert_eq!(a.problem(422)["errors"][0]["field"], field);
        assert_eq!(a.problem(422)["errors"][0]["code"], code);
    }
    put(&app, &links, &staff, json!({ "embed_url": format!("{HOST}/player?id=1") })).await.ok(200);
    // Another agency's staff may not touch it; residents neither.
    let other = app.login_demo(ZJJ_STAFF).await;
    assert_eq!(put(&app, &path, &other, state("live")).await.status, 403);
    let resident = app.login_demo(RESIDENT).await;
    assert_eq!(put(&app, &path, &resident, state("live")).await.status, 403);
    assert_eq!(app.request(Method::PUT, &path, None, Some(state("live"))).await.status, 401);
    // scheduled → ended is not a step; → live → ended is; nothing leaves ended.
    assert_eq!(put(&app, &path, &staff, state("ended")).await.problem(409)["code"], "stream_transition");
    assert_eq!(put(&app, &path, &staff, state("live")).await.ok(200)["stream"]["state"], "live");
    assert_eq!(put(&app, &path, &staff, state("live")).await.problem(409)["code"], "stream_transition");
    assert_eq!(put(&app, &path, &staff, state("ended")).await.ok(200)["stream"]["state"], "ended");
    for next in ["live", "scheduled", "cancelled"] {
        assert_eq!(put(&app, &path, &staff, state(next)).await.problem(409)["code"], "stream_transition", "{next}");
    }
    // Parallel "go live" on a fresh meeting: exactly one wins.
    let m2 = schedule(&app, &staff, "区政府第二会议室").await;
    let id2 = m2["id"].as_str().unwrap();
    put(&app, &format!("/api/v1/meetings/{id2}/stream"), &staff, json!({ "watch_url": format!("{HOST}/w") }))
        .await
        .ok(200);
    let path2 = format!("/api/v1/meetings/{id2}/stream/state");
    let answers = join_all((0..8).map(|_| put(&app, &path2, &staff, state("live")))).await;
    assert_eq!(answers.iter().filter(|a| a.status == 200).count(), 1);
    assert!(answers.iter().all(|a| a.status == 200 || a.status == 409));
    let id2 = uuid::Uuid::parse_str(id2).unwrap();
    let audit = wenji::audit::for_entity(app.db.conn(), id2).await.unwrap();
    assert_eq!(audit.iter().filter(|e| e.action == "stream_state").count(), 1, "one audited transition");
}

#[tokio::test]
async fn attendance_requests_are_approved_within_the_places_and_contacts_stay_private() {
    let app = spawn_events_app().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let m = schedule(&app, &staff, "区政府第一会议室").await; // 2 places
    let id = m["id"].as_str().unwrap();
    let apply = |name: &str| json!({ "name": name, "category": "resident", "reason": "关心养老服务设施建设。", "phone": "13800000001", "email": "a@example.cn" });
    let path = format!("/api/v1/meetings/{id}/attendance-requests");
    // A contact is required; an organisation for organisations.
    let a = app.post(&path, None, json!({ "name": "王五", "category": "company", "reason": "了解政策" })).await;
    let mut fields = a.error_fields();
    fields.sort();
    assert_eq!(fields, ["organisation", "phone"]);
    let mut codes = vec![];
    for name in ["甲", "乙", "丙"] {
        let a = app.post(&path, None, apply(name)).await;
        let b = a.ok(201);
        assert_eq!(b["request"]["status"], "pending");
        codes.push(b["code"].as_str().unwrap().to_string());
    }
    // The public meeting shows places, never the applicants.
    let public = app.get(&format!("/api/v1/meetings/{id}"), None).await.text;
    assert!(!public.contains("13800000001") && !public.contains("a@example.cn") && !public.contains("关心养老"));
    let list = app.get(&path, Some(&staff)).await.ok(200).clone();
    assert_eq!(list["items"][0]["phone"], "13800000001");
    assert_eq!(app.get(&path, Some(&app.login_demo(ZJJ_STAFF).await)).await.status, 403);
    let ids: Vec<String> =
        list["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()).collect();
    let decide = |rid: &str, approve: bool| {
        let body = if approve { json!({ "approve": true }) } else { json!({ "approve": false }) };
        let path = format!("/api/v1/attendance-requests/{rid}/decision");
        let (app, staff) = (&app, staff.clone());
        async move { app.post(&path, Some(&staff), body).await }
    };
    // Declining needs a reason.
    assert_eq!(decide(&ids[2], false).await.error_fields(), ["reason"]);
    // Three approvals at once for two places: two succeed, one is told it is full.
    let answers = join_all(ids.iter().map(|rid| decide(rid, true))).await;
    assert_eq!(answers.iter().filter(|a| a.status == 200).count(), 2);
    let refused: Vec<_> = answers.iter().filter(|a| a.status != 200).collect();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].problem(409)["code"], "attendance_full");
    let m = app.get(&format!("/api/v1/meetings/{id}"), None).await.ok(200).clone();
    assert_eq!(m["attendance"]["approved"], 2);
    assert_eq!(m["attendance"]["places_left"], 0);
    // The applicant sees the outcome with the code; withdrawing frees the place.
    let mut approved_code = None;
    for code in &codes {
        let own = app.post("/api/v1/attendance-requests/lookup", None, json!({ "code": code })).await.ok(200).clone();
        if own["status"] == "approved" {
            approved_code = Some(code.clone());
        }
    }
    let code = approved_code.expect("an approved request");
    let own = app.post("/api/v1/attendance-requests/withdraw", None, json!({ "code": code })).await.ok(200).clone();
    assert_eq!(own["status"], "withdrawn");
    assert_eq!(app.get(&format!("/api/v1/meetings/{id}"), None).await.ok(200)["attendance"]["approved"], 1);
    let wrong =
        app.post("/api/v1/attendance-requests/lookup", None, json!({ "code": "AAAAA-BBBBB-CCCCC-DDDDD" })).await;
    assert_eq!(wrong.status, 404);
    // Fewer places than approved requests is refused.
    let mut fewer = meeting_body("区政府第一会议室", 48, 50, open_and_closed());
    fewer["attendance_capacity"] = json!(0);
    let a = put(&app, &format!("/api/v1/meetings/{id}"), &staff, fewer).await;
    assert_eq!(a.problem(422)["errors"][0]["code"], "below_approved");
}

#[tokio::test]
async fn the_calendar_feed_is_valid_icalendar_with_stable_uids() {
    let app = spawn_events_app().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let m = schedule(&app, &staff, "区政府第一会议室").await;
    let day =
        app.post("/api/v1/open-days", Some(&staff), open_day_body("区政务服务中心", 72, 75, 30)).await.ok(201).clone();
    let feed = app.get("/api/v1/calendar.ics", None).await;
    assert_eq!(feed.status, 200);
    assert!(feed.content_type().starts_with("text/calendar"), "{}", feed.content_type());
    let script = r#"
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
out = {"tz": str(cal.get("X-WR-TIMEZONE")), "events": []}
for e in cal.walk("VEVENT"):
    out["events"].append({k: str(e.get(k)) for k in ["UID", "SUMMARY", "URL", "LOCATION", "STATUS"]} | {
        "start": e.decoded("DTSTART").isoformat(), "stamp": e.decoded("DTSTAMP").isoformat()})
print(json.dumps(out))
"#;
    let parse = |text: String| {
        let mut child = std::process::Command::new("/usr/bin/python3")
            .args(["-c", script])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("python3 runs");
        use std::io::Write;
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "the parser refused the feed: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let parsed = parse(feed.text.clone());
    assert_eq!(parsed["tz"], "Asia/Shanghai");
    let events = parsed["events"].as_array().unwrap();
    let mid = m["id"].as_str().unwrap();
    let meeting = events.iter().find(|e| e["UID"] == format!("meeting-{mid}@wenji")).expect("the meeting");
    assert_eq!(meeting["SUMMARY"], "区政府常务会议");
    assert!(meeting["URL"].as_str().unwrap().ends_with(&format!("/meetings/{mid}")));
    let starts = chrono::DateTime::parse_from_rfc3339(meeting["start"].as_str().unwrap()).unwrap();
    assert_eq!(
        starts.timestamp(),
        chrono::DateTime::parse_from_rfc3339(m["starts_at"].as_str().unwrap()).unwrap().timestamp()
    );
    let did = day["id"].as_str().unwrap();
    assert!(events.iter().any(|e| e["UID"] == format!("open_day-{did}@wenji") && e["LOCATION"] == "区政务服务中心"));
    // Same UID after a change; a cancelled meeting stays, marked cancelled.
    app.post(&format!("/api/v1/meetings/{mid}/cancel"), Some(&staff), json!({ "reason": "改期" })).await.ok(200);
    let again = parse(app.get("/api/v1/calendar.ics", None).await.text);
    let cancelled = again["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["UID"] == format!("meeting-{mid}@wenji"))
        .unwrap()
        .clone();
    assert_eq!(cancelled["STATUS"], "CANCELLED");
    // One event, for "add to my calendar"; per agency.
    let one = parse(app.get(&format!("/api/v1/open-days/{did}/calendar.ics"), None).await.text);
    assert_eq!(one["events"].as_array().unwrap().len(), 1);
    let zjj = app.agency_id(ZJJ).await;
    let theirs = parse(app.get(&format!("/api/v1/calendar.ics?agency_id={zjj}"), None).await.text);
    assert!(theirs["events"].as_array().unwrap().is_empty());
    assert_eq!(app.get(&format!("/api/v1/meetings/{}/calendar.ics", uuid::Uuid::nil()), None).await.status, 404);
}
