//! The yardstick for `scripts/bench`: a bare poem + sqlx server that does, for each hot path,
//! only the one thing at its core, so that Wenji's figures can be read as a fraction of what
//! this machine allows:
//!
//! - `POST /comments`: one INSERT of a row as large as Wenji's comment row (the same columns
//!   and sizes), with the same durability settings (SQLite WAL + `synchronous=NORMAL`;
//!   PostgreSQL's defaults), and a small JSON answer;
//! - `GET /decision/memory`: a fixed JSON body served from memory, the same bytes as Wenji's
//!   answer for the consultation (the limit for a cached read);
//! - `GET /decision`: one SELECT of that same document from the database, parsed and
//!   written out again as JSON (the limit for an uncached read);
//! - `GET /comments`: one SELECT of a page of 20 comment rows, as JSON, from a table holding
//!   as many rows as Wenji's consultation.
//!
//! Usage: wenji-baseline <database-url> <listen-address> [<rows to preload>] [<decision JSON file>]

use std::time::{SystemTime, UNIX_EPOCH};

use poem::listener::TcpListener;
use poem::web::{Data, Json};
use poem::{EndpointExt, Response, Route, Server, get, handler, post};
use sea_orm::sqlx::{self, PgPool, Row, SqlitePool};
use serde_json::{Value, json};

#[derive(Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[derive(Clone)]
struct Fixed(bytes::Bytes);

const DECISION: &str = "00000000-0000-7000-8000-000000000001";

/// The columns of Wenji's comment row, with values of the same sizes.
const COLUMNS: &str = "id, decision_id, version_number, section_id, body, category, display_name, contact_phone, \
    contact_email, account_id, channel, received_on, status, hidden_reason, moderation_note, tracking_number, \
    secret_hash, receipt_key_id, idempotency_key, duplicate_group_id, entered_by, created_at, updated_at";
const CREATE: &str = "CREATE TABLE IF NOT EXISTS bench_comments (id TEXT PRIMARY KEY, decision_id TEXT NOT NULL, \
    version_number INTEGER NOT NULL, section_id TEXT, body TEXT NOT NULL, category TEXT NOT NULL, display_name TEXT, \
    contact_phone TEXT, contact_email TEXT, account_id TEXT, channel TEXT NOT NULL, received_on TEXT NOT NULL, \
    status TEXT NOT NULL, hidden_reason TEXT, moderation_note TEXT, tracking_number TEXT NOT NULL, \
    secret_hash TEXT NOT NULL, receipt_key_id TEXT, idempotency_key TEXT, duplicate_group_id TEXT, entered_by TEXT, \
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL)";
const INDEX: &str = "CREATE INDEX IF NOT EXISTS idx_bench_decision ON bench_comments (decision_id, id)";
const DOCS: &str = "CREATE TABLE IF NOT EXISTS bench_decisions (id TEXT PRIMARY KEY, doc TEXT NOT NULL)";

fn now() -> String {
    let t = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    format!("{}.{:06}", t.as_secs(), t.subsec_micros())
}

fn insert_sql(postgres: bool) -> String {
    let marks: Vec<String> = (1..=23).map(|i| if postgres { format!("${i}") } else { "?".into() }).collect();
    format!("INSERT INTO bench_comments ({COLUMNS}) VALUES ({})", marks.join(", "))
}

/// Statements built once (sqlx wants dynamic SQL marked as audited: these take no input).
static INSERT_SQLITE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| insert_sql(false));
static INSERT_PG: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| insert_sql(true));
const PAGE_COLUMNS: &str = "id, section_id, body, category, channel, display_name, received_on, duplicate_group_id";
static PAGE_SQLITE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!("SELECT {PAGE_COLUMNS} FROM bench_comments WHERE decision_id = ? ORDER BY id DESC LIMIT 20")
});
static PAGE_PG: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!("SELECT {PAGE_COLUMNS} FROM bench_comments WHERE decision_id = $1 ORDER BY id DESC LIMIT 20")
});

fn audited(sql: &str) -> sqlx::AssertSqlSafe<&str> {
    sqlx::AssertSqlSafe(sql)
}

macro_rules! bind_row {
    ($q:expr, $id:expr, $body:expr, $at:expr) => {
        $q.bind($id)
            .bind(DECISION)
            .bind(1i32)
            .bind(Some("0190f5c2-1b7e-7a31-9b4e-3f2a1c5d6e7f"))
            .bind($body)
            .bind("individual")
            .bind(Option::<String>::None)
            .bind(Option::<String>::None)
            .bind(Option::<String>::None)
            .bind(Option::<String>::None)
            .bind("online")
            .bind("2026-11-30")
            .bind("published")
            .bind(Option::<String>::None)
            .bind(Option::<String>::None)
            .bind(format!("WJ-2026-{}", &$id[24..34]))
            .bind("8c1f0b4a9e2d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b")
            .bind(Some("k1"))
            .bind(Option::<String>::None)
            .bind(Option::<String>::None)
            .bind(Option::<String>::None)
            .bind($at)
            .bind($at)
    };
}

#[handler]
async fn insert(pool: Data<&Pool>, body: Json<Value>) -> poem::Result<Json<Value>> {
    let id = uuid::Uuid::now_v7().to_string();
    let text = body.0["body"].as_str().unwrap_or_default().to_string();
    let at = now();
    let result = match pool.0 {
        Pool::Sqlite(p) => {
            bind_row!(sqlx::query(audited(&INSERT_SQLITE)), &id, &text, &at).execute(p).await.map(|_| ())
        }
        Pool::Postgres(p) => bind_row!(sqlx::query(audited(&INSERT_PG)), &id, &text, &at).execute(p).await.map(|_| ()),
    };
    result.map_err(poem::error::InternalServerError)?;
    Ok(Json(json!({ "id": id, "tracking_number": format!("WJ-2026-{}", &id[24..34]) })))
}

async fn select_page(pool: &Pool) -> poem::Result<Vec<Value>> {
    let to_json = |get: &dyn Fn(usize) -> Option<String>| {
        json!({
            "id": get(0), "section_id": get(1), "body": get(2), "category": get(3), "channel": get(4),
            "display_name": get(5), "received_on": get(6), "duplicate_group_id": get(7),
        })
    };
    let rows = match pool {
        Pool::Sqlite(p) => sqlx::query(audited(&PAGE_SQLITE))
            .bind(DECISION)
            .fetch_all(p)
            .await
            .map(|rows| rows.iter().map(|r| to_json(&|i| r.get::<Option<String>, _>(i))).collect()),
        Pool::Postgres(p) => sqlx::query(audited(&PAGE_PG))
            .bind(DECISION)
            .fetch_all(p)
            .await
            .map(|rows| rows.iter().map(|r| to_json(&|i| r.get::<Option<String>, _>(i))).collect()),
    };
    rows.map_err(poem::error::InternalServerError)
}

#[handler]
async fn page(pool: Data<&Pool>) -> poem::Result<Json<Value>> {
    Ok(Json(json!({ "items": select_page(pool.0).await?, "meta": { "page": 1, "per_page": 20 } })))
}

#[handler]
async fn decision(pool: Data<&Pool>) -> poem::Result<Json<Value>> {
    let doc: String = match pool.0 {
        Pool::Sqlite(p) => {
            sqlx::query_scalar("SELECT doc FROM bench_decisions WHERE id = ?").bind(DECISION).fetch_one(p).await
        }
        Pool::Postgres(p) => {
            sqlx::query_scalar("SELECT doc FROM bench_decisions WHERE id = $1").bind(DECISION).fetch_one(p).await
        }
    }
    .map_err(poem::error::InternalServerError)?;
    Ok(Json(serde_json::from_str(&doc).map_err(poem::error::InternalServerError)?))
}

#[handler]
async fn memory(fixed: Data<&Fixed>) -> Response {
    Response::builder().content_type("application/json; charset=utf-8").body(fixed.0.0.clone())
}

/// Fills the table with `rows` rows in multi-row INSERTs (one transaction).
async fn preload(pool: &Pool, rows: usize) -> Result<(), sqlx::Error> {
    let body = "关于充电桩：我们小区数量不足，建议增加，第12345号意见，涉及100户居民。";
    let mut done = 0;
    while done < rows {
        let n = (rows - done).min(400);
        let postgres = matches!(pool, Pool::Postgres(_));
        let mut sql = format!("INSERT INTO bench_comments ({COLUMNS}) VALUES ");
        let mut k = 0;
        for r in 0..n {
            let marks: Vec<String> = (0..23)
                .map(|_| {
                    k += 1;
                    if postgres { format!("${k}") } else { "?".into() }
                })
                .collect();
            sql.push_str(&format!("{}({})", if r > 0 { ", " } else { "" }, marks.join(", ")));
        }
        let ids: Vec<String> = (0..n).map(|_| uuid::Uuid::now_v7().to_string()).collect();
        let at = now();
        let mut q = sqlx::query(audited(&sql));
        for id in &ids {
            q = bind_row!(q, id.as_str(), body, at.as_str());
        }
        match pool {
            Pool::Sqlite(p) => q.execute(p).await?,
            Pool::Postgres(p) => {
                // sqlx's query type differs per database: build it again for PostgreSQL.
                let mut q = sqlx::query::<sqlx::Postgres>(audited(&sql));
                for id in &ids {
                    q = bind_row!(q, id.as_str(), body, at.as_str());
                }
                q.execute(p).await?;
                done += n;
                continue;
            }
        };
        done += n;
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (url, listen) = match (args.get(1), args.get(2)) {
        (Some(u), Some(l)) => (u.clone(), l.clone()),
        _ => return Err("usage: wenji-baseline <database-url> <listen-address> [rows] [decision.json]".into()),
    };
    let rows: usize = args.get(3).map_or(Ok(0), |s| s.parse())?;
    let doc = match args.get(4) {
        Some(path) => std::fs::read_to_string(path)?,
        None => json!({ "id": DECISION, "title": "示范区养老服务设施建设管理办法" }).to_string(),
    };
    let pool = if url.starts_with("sqlite:") {
        let opts: sqlx::sqlite::SqliteConnectOptions = url.parse()?;
        let opts = opts
            .create_if_missing(true)
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
            .busy_timeout(std::time::Duration::from_secs(10));
        Pool::Sqlite(sqlx::sqlite::SqlitePoolOptions::new().max_connections(8).connect_with(opts).await?)
    } else {
        Pool::Postgres(sqlx::postgres::PgPoolOptions::new().max_connections(8).connect(&url).await?)
    };
    for sql in [CREATE, INDEX, DOCS] {
        match &pool {
            Pool::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ())?,
            Pool::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ())?,
        }
    }
    match &pool {
        Pool::Sqlite(p) => {
            sqlx::query(
                "INSERT INTO bench_decisions (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
            )
            .bind(DECISION)
            .bind(&doc)
            .execute(p)
            .await?;
        }
        Pool::Postgres(p) => {
            sqlx::query("INSERT INTO bench_decisions (id, doc) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc")
                .bind(DECISION)
                .bind(&doc)
                .execute(p)
                .await?;
        }
    }
    preload(&pool, rows).await?;
    let fixed = Fixed(bytes::Bytes::from(doc));
    let app = Route::new()
        .at("/comments", post(insert).get(page))
        .at("/decision", get(decision))
        .at("/decision/memory", get(memory))
        .data(pool)
        .data(fixed);
    Server::new(TcpListener::bind(listen)).run(app).await?;
    Ok(())
}
