//! The demo district (`wenji demo-data`): loading it twice duplicates nothing, its maintained
//! comment counts equal its rows, and through the API it shows every state of a decision.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait, Statement};
use serde_json::Value;
use uuid::Uuid;
use wenji::entities::{
    attachments, audit_log, comment_buckets, comment_counts, comments, consultation_extensions, consultations,
    decision_search_terms, decisions, draft_versions, duplicate_groups, sections,
};

use crate::helpers::*;

/// The app with its own data directory and the whole demo loaded.
async fn spawn_district() -> (TestApp, tempfile::TempDir, wenji::demo::DistrictReport) {
    let files = tempfile::tempdir().unwrap();
    let dir = files.path().to_path_buf();
    let app = TestApp::spawn_with(|c| c.data_dir = dir).await;
    wenji::demo::load(&app.db).await.unwrap();
    let report = wenji::demo::load_district(&app.db, &app.keys).await.expect("the district loads");
    (app, files, report)
}

async fn rows<E: EntityTrait>(app: &TestApp, _: E) -> u64
where
    E::Model: Sync,
{
    E::find().count(app.db.conn()).await.unwrap()
}

/// How many rows each table of the district has.
async fn census(app: &TestApp) -> Vec<(&'static str, u64)> {
    vec![
        ("decisions", rows(app, decisions::Entity).await),
        ("draft_versions", rows(app, draft_versions::Entity).await),
        ("sections", rows(app, sections::Entity).await),
        ("consultations", rows(app, consultations::Entity).await),
        ("consultation_extensions", rows(app, consultation_extensions::Entity).await),
        ("comments", rows(app, comments::Entity).await),
        ("comment_counts", rows(app, comment_counts::Entity).await),
        ("comment_buckets", rows(app, comment_buckets::Entity).await),
        ("duplicate_groups", rows(app, duplicate_groups::Entity).await),
        ("attachments", rows(app, attachments::Entity).await),
        ("decision_search_terms", rows(app, decision_search_terms::Entity).await),
        ("audit_log", rows(app, audit_log::Entity).await),
    ]
}

/// `(key, count)` pairs of a grouping query, on either database.
async fn grouped(app: &TestApp, sql: &str, decision: Uuid) -> HashMap<String, i64> {
    query(app, sql, decision)
        .await
        .into_iter()
        .map(|r| {
            let key: Option<String> = r.try_get_by_index(0).unwrap();
            let count: i64 = r.try_get_by_index(1).unwrap();
            (key.unwrap_or_else(|| "whole".into()), count)
        })
        .collect()
}

async fn query(app: &TestApp, sql: &str, decision: Uuid) -> Vec<sea_orm::QueryResult> {
    let db = app.db.conn();
    let backend = db.get_database_backend();
    let sql = if backend == sea_orm::DbBackend::Postgres { sql.replace('?', "$1") } else { sql.to_string() };
    db.query_all_raw(Statement::from_sql_and_values(backend, sql, [decision.into()])).await.unwrap()
}

/// The maintained counts of one dimension (zeros left out, as no rows would be).
async fn kept(app: &TestApp, decision: Uuid, dimension: &str) -> HashMap<String, i64> {
    wenji::comments::store::counts(app.db.conn(), decision)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.dimension == dimension && c.count != 0)
        .map(|c| (c.key, c.count))
        .collect()
}

#[tokio::test]
async fn loading_the_district_twice_duplicates_nothing() {
    let (app, _files, first) = spawn_district().await;
    assert!(first.decisions_created >= 12, "{first:?}");
    assert!(first.comments_created >= 300, "{first:?}");
    assert!(first.attachments_created >= 2, "{first:?}");
    assert_eq!(first.decisions_present, 0);
    let before = census(&app).await;
    let contents = rows(&app, wenji::entities::attachment_contents::Entity).await;
    assert!(contents >= 1 && contents <= first.attachments_created as u64, "{contents} {first:?}");
    assert_eq!(before[0], ("decisions", first.decisions_created as u64));
    assert_eq!(before[5], ("comments", first.comments_created as u64));

    let again = wenji::demo::load_district(&app.db, &app.keys).await.unwrap();
    assert_eq!(again, wenji::demo::DistrictReport { decisions_present: first.decisions_created, ..Default::default() });
    assert_eq!(census(&app).await, before);
    assert_eq!(rows(&app, wenji::entities::attachment_contents::Entity).await, contents);
    let base_again = wenji::demo::load(&app.db).await.unwrap();
    assert_eq!(base_again, wenji::demo::DemoReport::default());

    let titles: Vec<String> =
        decisions::Entity::find().all(app.db.conn()).await.unwrap().into_iter().map(|d| d.title).collect();
    let mut unique = titles.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), titles.len(), "{titles:?}");
}

#[tokio::test]
async fn the_maintained_counts_equal_the_rows() {
    let (app, _files, _) = spawn_district().await;
    let all = decisions::Entity::find().all(app.db.conn()).await.unwrap();
    let mut checked = 0;
    for d in all {
        let by_status =
            grouped(&app, "SELECT status, COUNT(*) FROM comments WHERE decision_id = ? GROUP BY status", d.id).await;
        assert_eq!(kept(&app, d.id, "status").await, by_status, "status counts of 《{}》", d.title);
        let live = "FROM comments WHERE decision_id = ? AND status <> 'withdrawn'";
        let total: i64 = by_status.iter().filter(|(k, _)| *k != "withdrawn").map(|(_, v)| v).sum();
        let all_count = kept(&app, d.id, "all").await;
        assert_eq!(all_count.get("all").copied().unwrap_or(0), total, "all of 《{}》", d.title);
        for (dimension, column) in [("channel", "channel"), ("category", "category"), ("day", "received_on")] {
            let sql = format!("SELECT {column}, COUNT(*) {live} GROUP BY {column}");
            assert_eq!(
                kept(&app, d.id, dimension).await,
                grouped(&app, &sql, d.id).await,
                "{dimension} of 《{}》",
                d.title
            );
        }
        // Published per section: section ids are blobs on SQLite, so compare the counts.
        let sql = "SELECT COUNT(*) FROM comments WHERE decision_id = ? AND status = 'published' GROUP BY section_id";
        let mut per_section: Vec<i64> =
            query(&app, sql, d.id).await.into_iter().map(|r| r.try_get_by_index(0).unwrap()).collect();
        let mut published: Vec<i64> = kept(&app, d.id, "published").await.into_values().collect();
        per_section.sort();
        published.sort();
        assert_eq!(published, per_section, "published per section of 《{}》", d.title);
        let hidden = grouped(
            &app,
            "SELECT hidden_reason, COUNT(*) FROM comments WHERE decision_id = ? AND status = 'hidden' GROUP BY hidden_reason",
            d.id,
        )
        .await;
        assert_eq!(kept(&app, d.id, "hidden").await, hidden, "hidden of 《{}》", d.title);
        checked += by_status.values().sum::<i64>();
    }
    assert!(checked >= 300, "{checked} comments checked");

    // A group's size is its members that were not withdrawn; the campaign is one big group.
    let groups = duplicate_groups::Entity::find().all(app.db.conn()).await.unwrap();
    assert!(groups.iter().any(|g| g.size >= 20), "{groups:?}");
    for g in groups {
        let members = comments::Entity::find()
            .all(app.db.conn())
            .await
            .unwrap()
            .into_iter()
            .filter(|c| c.duplicate_group_id == Some(g.id) && c.status.as_str() != "withdrawn")
            .count();
        assert_eq!(g.size as usize, members, "group {}", g.id);
    }
}

async fn list(app: &TestApp, query: &str, token: Option<&str>) -> Vec<Value> {
    let a = app.get(&format!("/api/v1/decisions?per_page=200&{query}"), token).await;
    a.ok(200)["items"].as_array().unwrap().clone()
}

async fn detail(app: &TestApp, id: &Value, token: Option<&str>) -> Value {
    app.get(&format!("/api/v1/decisions/{}", id.as_str().unwrap()), token).await.ok(200).clone()
}

#[tokio::test]
async fn the_public_sees_a_living_district() {
    let (app, _files, _) = spawn_district().await;
    let open = list(&app, "open_now=true", None).await;
    assert!(open.len() >= 3, "{open:?}");
    assert!(!list(&app, "closing_within_days=7", None).await.is_empty());
    assert!(!list(&app, "status=scheduled", None).await.is_empty());
    assert!(list(&app, "status=draft", None).await.is_empty(), "drafts stay with their agency");
    assert!(!list(&app, "q=老旧小区", None).await.is_empty(), "found by a Chinese word");

    let mut seen = (false, false, false, false);
    for d in &open {
        let c = detail(&app, &d["id"], None).await["consultation"].clone();
        if let Some(reason) = c["short_window_reason"].as_str() {
            assert!(c["length_days"].as_i64().unwrap() < 30 && !reason.is_empty());
            seen.0 = true;
        }
        if c["extensions"].as_array().is_some_and(|e| !e.is_empty()) {
            assert!(c["closes_at"] != c["original_closes_at"]);
            seen.1 = true;
        }
        seen.2 |= c["anonymous_allowed"] == false;
        seen.3 |= c["moderation"] == "pre";
    }
    assert_eq!(seen, (true, true, true, true), "short, extended, sign-in and pre-moderated windows are open");

    let closed = list(&app, "status=closed", None).await;
    assert!(!closed.is_empty());
    let mut letters_and_symposia = false;
    for d in &closed {
        let id = d["id"].as_str().unwrap();
        let stats = app.get(&format!("/api/v1/decisions/{id}/comment-stats"), None).await.ok(200).clone();
        let channels: Vec<&str> =
            stats["by_channel"].as_array().unwrap().iter().map(|c| c["key"].as_str().unwrap()).collect();
        letters_and_symposia |= channels.contains(&"letter") && channels.contains(&"symposium");
        assert!(stats["total"].as_u64().unwrap() >= 50, "{stats}");
        assert!(!stats["hidden_by_reason"].as_array().unwrap().is_empty(), "{stats}");
        assert!(stats["withdrawn"].as_u64().unwrap() > 0, "{stats}");
        let page = app.get(&format!("/api/v1/decisions/{id}/comments?per_page=5"), None).await.ok(200).clone();
        assert_eq!(page["items"].as_array().unwrap().len(), 5);
        assert!(!page.to_string().contains("@example.cn"), "no contact details in public");
    }
    assert!(letters_and_symposia);

    let decided = list(&app, "status=decided", None).await;
    let outcome = detail(&app, &decided[0]["id"], None).await["outcome"].clone();
    assert!(!outcome["links"].as_array().unwrap().is_empty() && outcome["final_version"] == 2, "{outcome}");
    let withdrawn = list(&app, "status=withdrawn", None).await;
    assert!(detail(&app, &withdrawn[0]["id"], None).await["withdrawn_reason"].as_str().is_some_and(|r| r.len() > 20));

    // Attachments download whole from the database; receipts of demo comments work.
    let mut downloaded = false;
    for d in &open {
        let id = d["id"].as_str().unwrap();
        let files = app.get(&format!("/api/v1/decisions/{id}/attachments"), None).await.ok(200).clone();
        if let Some(f) = files["items"].as_array().and_then(|a| a.first()) {
            let a = app.get(&format!("/api/v1/decisions/{id}/attachments/{}", f["id"].as_str().unwrap()), None).await;
            assert_eq!(a.status, 200);
            assert!(a.text.starts_with("%PDF-"));
            downloaded = true;
        }
    }
    assert!(downloaded);
    let c = comments::Entity::find().one(app.db.conn()).await.unwrap().unwrap();
    let secret = app.keys.secret_under(c.receipt_key_id.as_deref(), c.id).expect("the server's key");
    let req =
        app.client.get(app.url(&format!("/api/v1/receipts/{}", c.tracking_number))).header("X-Receipt-Secret", secret);
    assert_eq!(app.send(req).await.ok(200)["tracking_number"], c.tracking_number.as_str());
}

#[tokio::test]
async fn each_demo_account_finds_work_waiting() {
    let (app, _files, _) = spawn_district().await;
    for (email, agency) in [(FGW_STAFF, FGW), (ZJJ_STAFF, ZJJ)] {
        let token = app.login_demo(email).await;
        let agency_id = app.agency_id(agency).await;
        let mut with_text = 0;
        for d in list(&app, &format!("status=draft&agency_id={agency_id}"), Some(&token)).await {
            let d = detail(&app, &d["id"], Some(&token)).await;
            if !d["versions"].as_array().unwrap().is_empty()
                && d["allowed_steps"].to_string().contains("open_consultation")
            {
                with_text += 1;
            }
        }
        assert!(with_text >= 1, "{email} has a draft ready to publish");
        let year = wenji::kernel::time::year_in_china(chrono::Utc::now());
        let catalogue = app.get(&format!("/api/v1/decision-catalogue?agency_id={agency_id}&year={year}"), None).await;
        assert!(catalogue.ok(200)["items"].as_array().unwrap().len() >= 3);
    }
    // FGW's pre-moderated consultation has comments waiting in the inbox.
    let fgw = app.login_demo(FGW_STAFF).await;
    let fgw_id = app.agency_id(FGW).await;
    let mut waiting = 0;
    for d in list(&app, &format!("open_now=true&agency_id={fgw_id}"), None).await {
        let id = d["id"].as_str().unwrap();
        let inbox = app.get(&format!("/api/v1/decisions/{id}/moderation/comments?status=received"), Some(&fgw)).await;
        waiting += inbox.ok(200)["meta"]["total"].as_u64().unwrap();
        let public = app.get(&format!("/api/v1/decisions/{id}/comments?per_page=200"), None).await;
        assert!(
            public.ok(200)["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["status"].is_null() || c["status"] == "published")
        );
    }
    assert!(waiting >= 5, "{waiting} comments waiting for FGW");
    // ZJJ's closed consultation has the campaign as a duplicate group.
    let zjj = app.login_demo(ZJJ_STAFF).await;
    let zjj_id = app.agency_id(ZJJ).await;
    let closed = list(&app, &format!("status=closed&agency_id={zjj_id}"), None).await;
    let id = closed[0]["id"].as_str().unwrap();
    let groups = app.get(&format!("/api/v1/decisions/{id}/duplicate-groups"), Some(&zjj)).await;
    assert!(groups.ok(200)["items"].as_array().unwrap().iter().any(|g| g["size"].as_i64().unwrap() >= 20));
    // A resident finds their own comments.
    let liu = app.login_demo("liu.yang@wenji.demo").await;
    assert!(app.get("/api/v1/me/comments", Some(&liu)).await.ok(200)["meta"]["total"].as_u64().unwrap() >= 3);
}

/// The demo publishes one feedback report, through the staff use-cases: its decision shows
/// `feedback_published`, every viewpoint has comments, the hash chain verifies, and the
/// statistics count it as on time. Loading again publishes nothing more.
#[tokio::test]
async fn the_demo_publishes_a_verified_feedback_report() {
    use sea_orm::{ColumnTrait, QueryFilter};
    let (app, _files, _) = spawn_district().await;
    let state = wenji::state::AppState::new(app.db.clone(), app.config.clone(), app.keys.clone());
    assert!(wenji::demo::publish_demo_report(&state).await.unwrap());
    assert!(!wenji::demo::publish_demo_report(&state).await.unwrap(), "a second load publishes nothing");
    let d = decisions::Entity::find()
        .filter(decisions::Column::Title.eq("示范区公共资源交易管理办法（征求意见稿）"))
        .one(app.db.conn())
        .await
        .unwrap()
        .unwrap();
    let public = app.get(&format!("/api/v1/decisions/{}", d.id), None).await;
    assert_eq!(public.ok(200)["status"], "feedback_published");
    let reports = app.get(&format!("/api/v1/decisions/{}/feedback-reports", d.id), None).await;
    let versions = reports.ok(200)["versions"].as_array().unwrap().clone();
    assert_eq!(versions.len(), 1);
    let viewpoints = versions[0]["content"]["viewpoints"].as_array().unwrap();
    assert_eq!(viewpoints.len(), 7);
    assert!(viewpoints.iter().all(|v| v["comments"].as_u64().unwrap() > 0), "{viewpoints:?}");
    let tally = &versions[0]["content"]["tally"];
    assert!(tally["adopted"].as_u64().unwrap() > 0 && tally["not_adopted"].as_u64().unwrap() > 0, "{tally}");
    let verified = app.get(&format!("/api/v1/decisions/{}/feedback-verification", d.id), None).await;
    assert_eq!(verified.ok(200)["valid"], true);
    let stats = app.get("/api/v1/statistics/overview", None).await;
    assert!(stats.ok(200)["reports_on_time"].as_u64().unwrap() >= 1, "{}", stats.text);
}

/// The demo resident follows three decisions at different steps — open, closed and waiting
/// for its report (with the day it is due), answered — and loading again adds nothing.
#[tokio::test]
async fn the_demo_resident_follows_decisions_at_three_steps() {
    let (app, _files, _) = spawn_district().await;
    let state = wenji::state::AppState::new(app.db.clone(), app.config.clone(), app.keys.clone());
    wenji::demo::publish_demo_report(&state).await.unwrap();
    assert_eq!(wenji::demo::follow_demo_decisions(&state).await.unwrap(), 3);
    assert_eq!(wenji::demo::follow_demo_decisions(&state).await.unwrap(), 3, "again: the same three");
    let zhang = app.login_demo(RESIDENT).await;
    let page = app.get("/api/v1/me/follows", Some(&zhang)).await;
    assert_eq!(page.ok(200)["meta"]["total"], 3, "{}", page.text);
    let items = page.body["items"].as_array().unwrap();
    let mut statuses: Vec<&str> = items.iter().map(|i| i["decision"]["status"].as_str().unwrap()).collect();
    statuses.sort();
    assert_eq!(statuses, ["closed", "consulting", "feedback_published"]);
    let closed = items.iter().find(|i| i["decision"]["status"] == "closed").unwrap();
    assert!(closed["report_due_on"].is_string(), "{closed}");
    let answered = items.iter().find(|i| i["decision"]["status"] == "feedback_published").unwrap();
    assert_eq!(answered["feedback_version"], 1);
}

/// The demo schedules meetings and open days through the staff use-cases: the calendar shows
/// upcoming meetings, a livestream that is live (its host allowed), an open day with places
/// left and one with registrations; loading again schedules nothing more.
#[tokio::test]
async fn the_demo_schedules_meetings_a_live_stream_and_open_days() {
    let (mut app, _files, _) = spawn_district().await;
    app.config.embed_hosts = vec!["https://test-streams.mux.dev".into()];
    let state = wenji::state::AppState::new(app.db.clone(), app.config.clone(), app.keys.clone());
    assert_eq!(wenji::demo::schedule_demo_events(&state).await.unwrap(), 5);
    assert_eq!(wenji::demo::schedule_demo_events(&state).await.unwrap(), 0, "a second load schedules nothing");
    let events = app.get("/api/v1/calendar", None).await.ok(200).as_array().unwrap().clone();
    let meetings: Vec<_> = events.iter().filter(|e| e["kind"] == "meeting").collect();
    let days: Vec<_> = events.iter().filter(|e| e["kind"] == "open_day").collect();
    assert_eq!((meetings.len(), days.len()), (3, 2), "{events:?}");
    let live = meetings.iter().find(|e| e["live"] == true).expect("a live stream");
    let m = app.get(&format!("/api/v1/meetings/{}", live["id"].as_str().unwrap()), None).await.ok(200).clone();
    assert_eq!(m["stream"]["hls_url"], wenji::demo::DEMO_STREAM);
    assert!(
        meetings.iter().filter(|e| e["starts_at"].as_str().unwrap() > chrono::Utc::now().to_rfc3339().as_str()).count()
            >= 2
    );
    assert!(days.iter().all(|d| d["places_left"].as_i64().unwrap() > 0));
    let registered = days.iter().find(|d| d["places_left"] == 37).expect("the open day with three registrations");
    let d = app.get(&format!("/api/v1/open-days/{}", registered["id"].as_str().unwrap()), None).await.ok(200).clone();
    assert_eq!((d["confirmed"].as_i64(), d["registration_open"].as_bool()), (Some(3), Some(true)));
    // The executive meeting links the published decision it discusses.
    let executive = meetings.iter().find(|e| e["title"].as_str().unwrap().contains("常务会议")).unwrap();
    let m = app.get(&format!("/api/v1/meetings/{}", executive["id"].as_str().unwrap()), None).await.ok(200).clone();
    assert!(m["agenda"][0]["decision_title"].as_str().unwrap().contains("民营经济"), "{m}");
    assert_eq!(m["agenda"][2]["openness"], "closed");
}
