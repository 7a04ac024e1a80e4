//! The yardstick for `scripts/bench`: a bare poem + sqlx server that does, for each hot path,
//! only the one SQL statement at its core (an INSERT, a SELECT of one row, a SELECT of a page)
//! and answers JSON. Wenji's own endpoints are measured against it in the same run.
//!
//! Usage: wenji-baseline <database-url> <listen-address>

use std::time::{SystemTime, UNIX_EPOCH};

use poem::listener::TcpListener;
use poem::web::{Data, Json};
use poem::{EndpointExt, Route, Server, get, handler, post};
use sea_orm::sqlx::{self, PgPool, Row, SqlitePool};
use serde_json::{Value, json};

#[derive(Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

const DECISION: &str = "00000000-0000-7000-8000-000000000001";

fn now() -> String {
    let t = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    format!("{}.{:06}", t.as_secs(), t.subsec_micros())
}

#[handler]
async fn insert(pool: Data<&Pool>, body: Json<Value>) -> poem::Result<Json<Value>> {
    let id = uuid::Uuid::now_v7().to_string();
    let text = body.0["body"].as_str().unwrap_or_default().to_string();
    let result = match pool.0 {
        Pool::Sqlite(p) => {
            sqlx::query("INSERT INTO bench_comments (id, decision_id, body, created_at) VALUES (?, ?, ?, ?)")
                .bind(&id)
                .bind(DECISION)
                .bind(&text)
                .bind(now())
                .execute(p)
                .await
                .map(|_| ())
        }
        Pool::Postgres(p) => {
            sqlx::query("INSERT INTO bench_comments (id, decision_id, body, created_at) VALUES ($1, $2, $3, $4)")
                .bind(&id)
                .bind(DECISION)
                .bind(&text)
                .bind(now())
                .execute(p)
                .await
                .map(|_| ())
        }
    };
    result.map_err(poem::error::InternalServerError)?;
    Ok(Json(json!({ "id": id })))
}

fn rows_json(rows: Vec<(String, String, String)>) -> Vec<Value> {
    rows.into_iter().map(|(id, body, at)| json!({ "id": id, "body": body, "created_at": at })).collect()
}

async fn select(pool: &Pool, limit: i64) -> poem::Result<Vec<Value>> {
    let sql_sqlite = "SELECT id, body, created_at FROM bench_comments WHERE decision_id = ? ORDER BY id DESC LIMIT ?";
    let sql_pg = "SELECT id, body, created_at FROM bench_comments WHERE decision_id = $1 ORDER BY id DESC LIMIT $2";
    let map = |r: &dyn Fn(usize) -> String| (r(0), r(1), r(2));
    let rows = match pool {
        Pool::Sqlite(p) => sqlx::query(sql_sqlite)
            .bind(DECISION)
            .bind(limit)
            .fetch_all(p)
            .await
            .map(|rows| rows.iter().map(|r| map(&|i| r.get::<String, _>(i))).collect()),
        Pool::Postgres(p) => sqlx::query(sql_pg)
            .bind(DECISION)
            .bind(limit)
            .fetch_all(p)
            .await
            .map(|rows| rows.iter().map(|r| map(&|i| r.get::<String, _>(i))).collect()),
    };
    Ok(rows_json(rows.map_err(poem::error::InternalServerError)?))
}

#[handler]
async fn one(pool: Data<&Pool>) -> poem::Result<Json<Value>> {
    Ok(Json(select(pool.0, 1).await?.into_iter().next().unwrap_or(Value::Null)))
}

#[handler]
async fn page(pool: Data<&Pool>) -> poem::Result<Json<Value>> {
    Ok(Json(json!({ "items": select(pool.0, 20).await? })))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (url, listen) = match (args.get(1), args.get(2)) {
        (Some(u), Some(l)) => (u.clone(), l.clone()),
        _ => return Err("usage: wenji-baseline <database-url> <listen-address>".into()),
    };
    let create = "CREATE TABLE IF NOT EXISTS bench_comments (id TEXT PRIMARY KEY, decision_id TEXT NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL)";
    let index = "CREATE INDEX IF NOT EXISTS idx_bench_decision ON bench_comments (decision_id, id)";
    let pool = if url.starts_with("sqlite:") {
        let opts: sqlx::sqlite::SqliteConnectOptions = url.parse()?;
        let opts = opts
            .create_if_missing(true)
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
            .busy_timeout(std::time::Duration::from_secs(10));
        let p = sqlx::sqlite::SqlitePoolOptions::new().max_connections(8).connect_with(opts).await?;
        sqlx::query(create).execute(&p).await?;
        sqlx::query(index).execute(&p).await?;
        Pool::Sqlite(p)
    } else {
        let p = sqlx::postgres::PgPoolOptions::new().max_connections(8).connect(&url).await?;
        sqlx::query(create).execute(&p).await?;
        sqlx::query(index).execute(&p).await?;
        Pool::Postgres(p)
    };
    let app = Route::new().at("/comments", post(insert).get(page)).at("/decision", get(one)).data(pool);
    Server::new(TcpListener::bind(listen)).run(app).await?;
    Ok(())
}
