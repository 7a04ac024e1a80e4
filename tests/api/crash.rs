//! Proofs under failure: a real `wenji serve` process killed with SIGKILL in the middle of a
//! burst. Open-day registrations: every registration answered 201 is stored with the status
//! it was answered with, the day's counts equal its rows, and no place is oversold. (Comments:
//! `group_commit::a_kill_right_after_a_201_loses_nothing`.) A catalogue import killed while it
//! writes leaves all or nothing. Runs on SQLite and, with
//! WENJI_TEST_POSTGRES_URL, on PostgreSQL.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;
use wenji::entities::{open_day_registrations, open_days};
use wenji::open_days::model::RegistrationStatus;

use crate::helpers::*;
use crate::nodes::Node;

#[tokio::test]
async fn a_kill_during_an_open_day_burst_loses_no_acknowledged_registration() {
    let app = spawn_demo_without_comment_limits().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let soon = |h: i64| (chrono::Utc::now() + chrono::TimeDelta::hours(h)).to_rfc3339();
    let day = json!({ "title": "政务开放日：压力", "venue": "区政务服务中心一楼", "starts_at": soon(50), "ends_at": soon(53),
        "capacity": 40, "registration_opens_at": soon(-1), "registration_closes_at": soon(49), "required_fields": [] });
    let day = app.post("/api/v1/open-days", Some(&staff), day).await.ok(201)["id"].as_str().unwrap().to_string();

    let dir = tempfile::tempdir().unwrap();
    let limits = [("WENJI_SIGNUP_MAX_PER_ADDRESS", "1000000")];
    let mut node = Node::start_with(&app, dir.path(), &limits);
    let client = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    node.ready(&client).await;
    let url = format!("{}/api/v1/open-days/{day}/registrations", node.base);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let senders: Vec<_> = (0..16)
        .map(|t| {
            let (client, url, stop) = (client.clone(), url.clone(), stop.clone());
            tokio::spawn(async move {
                let mut acknowledged: Vec<(Uuid, String)> = Vec::new();
                let mut i = 0u32;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    i += 1;
                    let phone = format!("139{t:02}{i:06}");
                    let body = json!({ "name": format!("报名人{t}-{i}"), "phone": phone });
                    let Ok(r) = client.post(&url).json(&body).send().await else { break };
                    if r.status().as_u16() != 201 {
                        continue;
                    }
                    let Ok(v) = r.json::<Value>().await else { break };
                    let reg = &v["registration"];
                    acknowledged
                        .push((reg["id"].as_str().unwrap().parse().unwrap(), reg["status"].as_str().unwrap().into()));
                }
                acknowledged
            })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    node.child.kill().expect("SIGKILL");
    node.child.wait().unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut acknowledged = Vec::new();
    for s in senders {
        acknowledged.extend(s.await.unwrap());
    }
    assert!(acknowledged.len() >= 20, "the burst was answered before the kill: {}", acknowledged.len());

    let day: Uuid = day.parse().unwrap();
    let rows = open_day_registrations::Entity::find()
        .filter(open_day_registrations::Column::OpenDayId.eq(day))
        .all(app.db.conn())
        .await
        .unwrap();
    let stored: HashMap<Uuid, RegistrationStatus> = rows.iter().map(|r| (r.id, r.status)).collect();
    let lost: Vec<_> = acknowledged
        .iter()
        .filter(|(id, status)| stored.get(id).map(|s| s.as_str()) != Some(status.as_str()))
        .collect();
    eprintln!(
        "kill -9: {} registrations acknowledged before the kill, {} stored, {} lost",
        acknowledged.len(),
        stored.len(),
        lost.len()
    );
    assert!(lost.is_empty(), "acknowledged registrations missing or changed: {:?}", &lost[..lost.len().min(3)]);
    let d = open_days::Entity::find_by_id(day).one(app.db.conn()).await.unwrap().unwrap();
    let confirmed = rows.iter().filter(|r| r.status == RegistrationStatus::Confirmed).count() as i32;
    let waiting = rows.iter().filter(|r| r.status == RegistrationStatus::Waitlisted).count() as i32;
    assert_eq!((d.confirmed_count, d.waiting_count), (confirmed, waiting), "the day's counts equal its rows");
    assert!(confirmed <= d.capacity, "oversold: {confirmed} of {}", d.capacity);

    // A restarted node goes on from where the killed one stopped.
    let mut again = Node::start_with(&app, dir.path(), &limits);
    again.ready(&client).await;
    let more = client
        .post(url.replace(&node.base, &again.base))
        .json(&json!({ "name": "重启后报名", "phone": "13700000001" }));
    let more = more.send().await.unwrap();
    assert_eq!(more.status(), 201);
}

/// A catalogue import is one transaction: a node killed while it writes thousands of rows
/// leaves none of them (or, had it finished, all), never a part, and no version or search
/// term without its item; a restarted node serves the catalogue as it is.
#[tokio::test]
async fn a_kill_during_a_catalogue_import_leaves_all_or_nothing() {
    use sea_orm::PaginatorTrait;
    use wenji::entities::{disclosure_item_changes, disclosure_items, disclosure_search_terms};
    let app = TestApp::spawn_demo().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let base = wenji::demo::demo_catalogue_rows(FGW);
    let mut rows = Vec::new();
    for batch in 0..30 {
        for row in &base {
            let mut row = row.clone();
            row[0] = (rows.len() + 1).to_string();
            row[3] = format!("{}（第{batch}批）", row[3]);
            rows.push(row);
        }
    }
    let n = rows.len() as u64;
    let file = wenji::disclosure::sheet::write_csv(rows.into_iter());

    let dir = tempfile::tempdir().unwrap();
    let mut node = Node::start(&app, dir.path());
    let client = reqwest::Client::new();
    node.ready(&client).await;
    let (content_type, form) = multipart("目录.csv", &file);
    let request = client
        .post(format!("{}/api/v1/disclosure-imports", node.base))
        .bearer_auth(&staff)
        .header("content-type", content_type)
        .body(form);
    let wal_before = wal_size(&app);
    let started = std::time::Instant::now();
    let import = tokio::spawn(async move { request.send().await.map(|r| r.status().as_u16()) });
    // Killed once the write transaction is under way (not while the file is still read).
    while !writing_catalogue(&app, wal_before).await {
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "the import never started writing");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    node.child.kill().expect("SIGKILL");
    node.child.wait().unwrap();
    let answered = import.await.unwrap().ok();

    let db = app.db.conn();
    let items = disclosure_items::Entity::find().count(db).await.unwrap();
    let versions = disclosure_item_changes::Entity::find().count(db).await.unwrap();
    let terms = disclosure_search_terms::Entity::find().count(db).await.unwrap();
    eprintln!(
        "kill -9 during a {n}-row import, {} ms in (answered: {answered:?}): {items} items, {versions} versions, \
         {terms} search terms stored",
        started.elapsed().as_millis()
    );
    assert!(items == 0 || (items == n && answered == Some(200)), "all or nothing: {items} of {n} items");
    assert_eq!(versions, items, "one first version per item, none without");
    assert_eq!(terms == 0, items == 0, "search terms only with their items");

    let mut again = Node::start(&app, dir.path());
    again.ready(&client).await;
    let listed: Value = client
        .get(format!("{}/api/v1/disclosure-items?per_page=1", again.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["meta"]["total"].as_u64(), Some(items), "{listed}");
}

/// SQLite: the size of the write-ahead log, which grows while a large transaction writes.
fn wal_size(app: &TestApp) -> u64 {
    let url = app.config.database_url.trim_start_matches("sqlite://");
    let file = url.split('?').next().unwrap_or(url);
    std::fs::metadata(format!("{file}-wal")).map(|m| m.len()).unwrap_or(0)
}

/// Is another connection inside a transaction that writes catalogue rows?
async fn writing_catalogue(app: &TestApp, wal_before: u64) -> bool {
    use sea_orm::{ConnectionTrait, Statement};
    if app.config.is_sqlite() {
        return wal_size(app) > wal_before + 512 * 1024;
    }
    let sql = "SELECT count(*) AS n FROM pg_stat_activity WHERE pid <> pg_backend_pid() \
               AND xact_start IS NOT NULL AND query LIKE '%disclosure_%' AND query LIKE 'INSERT%'";
    let db = app.db.conn();
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get::<i64>("", "n").unwrap() > 0
}
