//! Storage: migrations on an empty database, demo data, concurrency, ordering of ids and times.

use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::{EntityTrait, QueryOrder};

use crate::helpers::*;

#[tokio::test]
async fn migrations_run_on_an_empty_database_and_again_as_a_no_op() {
    let app = TestApp::spawn().await;
    assert!(Migrator::get_pending_migrations(app.db.conn()).await.unwrap().is_empty());
    let applied = Migrator::get_applied_migrations(app.db.conn()).await.unwrap();
    assert_eq!(applied.len(), Migrator::migrations().len());
    Migrator::up(app.db.conn(), None).await.expect("a second run is a no-op");
    assert_eq!(wenji::entities::accounts::Entity::find().all(app.db.conn()).await.unwrap().len(), 0);
}

#[tokio::test]
async fn demo_data_is_idempotent() {
    let app = TestApp::spawn().await;
    let first = wenji::demo::load(&app.db).await.unwrap();
    assert_eq!((first.agencies_created, first.policy_areas_created, first.accounts_created), (12, 25, 8));
    let second = wenji::demo::load(&app.db).await.unwrap();
    assert_eq!(second, wenji::demo::DemoReport::default());
}

/// Many writers at once through a small pool: all finish (no deadlock, no SQLITE_BUSY).
#[tokio::test]
async fn concurrent_writes_through_a_small_pool_all_succeed() {
    let app = TestApp::spawn_with(|c| {
        c.max_db_connections = 2;
        c.sign_in_max_failures_per_address = 1000;
        c.register_max_per_address = 1000;
    })
    .await;
    wenji::demo::load(&app.db).await.unwrap();
    // Password hashing is bounded per node: a request that finds every hashing slot busy for
    // two seconds is told to come back (429 with Retry-After), as a well-behaved client does.
    async fn patiently(app: &TestApp, path: &str, body: serde_json::Value) -> Answer {
        loop {
            let answer = app.post(path, None, body.clone()).await;
            if answer.status.as_u16() != 429 {
                return answer;
            }
            let wait: u64 = answer.headers["retry-after"].to_str().unwrap().parse().unwrap();
            tokio::time::sleep(Duration::from_secs(wait)).await;
        }
    }
    let work = (0..40).map(|i| {
        let app = &app;
        async move {
            let email = format!("r{i}@example.cn");
            let body = serde_json::json!({ "email": email, "password": "a-long-enough-pass", "display_name": "居民" });
            patiently(app, "/api/v1/auth/register", body).await.ok(202);
            let wrong = serde_json::json!({ "email": email, "password": "wrong-password" });
            patiently(app, "/api/v1/auth/login", wrong).await.problem(401);
            let right = serde_json::json!({ "email": email, "password": "a-long-enough-pass" });
            let session = patiently(app, "/api/v1/auth/login", right).await;
            let token = session.ok(200)["token"].as_str().unwrap().to_string();
            app.get("/api/v1/auth/me", Some(&token)).await.ok(200);
        }
    });
    tokio::time::timeout(Duration::from_secs(120), join_all(work)).await.expect("no deadlock");
    let sessions = wenji::entities::sessions::Entity::find().all(app.db.conn()).await.unwrap();
    assert_eq!(sessions.len(), 40);
}

/// Ids (UUIDv7) and timestamps sort in creation order in the database itself.
#[tokio::test]
async fn ids_and_timestamps_sort_in_creation_order() {
    let app = TestApp::spawn_demo().await;
    use wenji::entities::accounts::{Column, Entity};
    let by_id = Entity::find().order_by_asc(Column::Id).all(app.db.conn()).await.unwrap();
    let by_time = Entity::find().order_by_asc(Column::CreatedAt).all(app.db.conn()).await.unwrap();
    let ids: Vec<_> = by_id.iter().map(|a| a.id).collect();
    let times: Vec<_> = by_time.iter().map(|a| a.id).collect();
    assert_eq!(ids, times);
    assert_eq!(by_id.first().unwrap().email, "admin@wenji.demo", "first created first");
    let stamps: Vec<_> = by_time.iter().map(|a| a.created_at).collect();
    assert!(stamps.windows(2).all(|w| w[0] <= w[1]));
    // Round trip keeps microseconds on both backends.
    let again = Entity::find_by_id(by_id[0].id).one(app.db.conn()).await.unwrap().unwrap();
    assert_eq!(again.created_at, by_id[0].created_at);
}
