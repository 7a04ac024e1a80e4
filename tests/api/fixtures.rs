//! Fixtures shared by several test files: a draft and the steps to publish it, comments,
//! attachments, moving a window into the past, and reading the spec. Test files reach them
//! through `crate::helpers::*`; no test file imports another.

use chrono::{TimeDelta, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use super::{Answer, FGW_STAFF, TestApp};

// ----- Decisions -----

/// A draft in the usual Chinese form: chapters, articles, a second paragraph and sub-items.
pub const DRAFT: &str = "示范区养老服务设施建设管理办法（征求意见稿）
第一章 总则
第一条 为规范本区养老服务设施建设管理，根据有关法律法规，结合本区实际，制定本办法。
第二条 本办法适用于本区行政区域内养老服务设施的规划、建设和管理。
第二章 规划与建设
第三条 新建住宅小区应当按照每百户不少于二十平方米的标准配套建设养老服务设施。
配套设施应当与住宅同步规划、同步建设、同步验收、同步交付。
第四条 区民政局负责下列工作：
（一）编制养老服务设施布局规划；
（二）指导街道、镇开展设施运营；
（三）组织开展服务质量评估。
第三章 附则
第五条 本办法自发布之日起施行。
";

/// The id of the demo policy area `elderly_care`.
pub async fn area_id(app: &TestApp) -> String {
    let a = app.get("/api/v1/policy-areas?per_page=200", None).await;
    a.ok(200)["items"].as_array().unwrap().iter().find(|p| p["code"] == "elderly_care").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Creates a draft decision as `token` and answers its id.
pub async fn create_decision(app: &TestApp, token: &str, title: &str) -> String {
    let area = area_id(app).await;
    let a = app
        .post(
            "/api/v1/decisions",
            Some(token),
            json!({
                "policy_area_id": area, "title": title, "summary": format!("{title}的摘要"),
                "basis": "《中华人民共和国老年人权益保障法》", "explanation": "起草说明全文", "catalogue_year": 2026,
                "planned_timing": "2026年第四季度"
            }),
        )
        .await;
    a.ok(201)["id"].as_str().unwrap().to_string()
}

/// Adds a version from plain text and answers it (with its sections).
pub async fn add_text_version(app: &TestApp, token: &str, id: &str, text: &str) -> Value {
    let a = app
        .post(&format!("/api/v1/decisions/{id}/versions"), Some(token), json!({ "text": text, "note": "初稿" }))
        .await;
    a.ok(201).clone()
}

/// `days` from now, RFC 3339.
pub fn in_days(days: i64) -> String {
    (Utc::now() + TimeDelta::days(days)).to_rfc3339()
}

/// Opens the consultation with `body` and answers the decision.
pub async fn open(app: &TestApp, token: &str, id: &str, body: Value) -> Value {
    let a = app.post(&format!("/api/v1/decisions/{id}/consultation"), Some(token), body).await;
    a.ok(200).clone()
}

/// A decision of FGW, published with a 30-day window; answers its id and the staff token.
pub async fn published_decision(app: &TestApp, title: &str) -> (String, String) {
    let staff = app.login_demo(FGW_STAFF).await;
    let id = create_decision(app, &staff, title).await;
    add_text_version(app, &staff, &id, DRAFT).await;
    open(app, &staff, &id, json!({ "closes_at": in_days(30) })).await;
    (id, staff)
}

/// Moves a consultation's window into the past, as if 30 days had gone by.
pub async fn close_window_now(app: &TestApp, id: &str) {
    set_window_closing(app, id, Utc::now() - TimeDelta::seconds(1)).await;
}

/// Moves a consultation's closing time to `at`, as the clock would find it.
pub async fn set_window_closing(app: &TestApp, id: &str, at: chrono::DateTime<Utc>) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    use wenji::entities::{consultations, decisions};
    let id: uuid::Uuid = id.parse().unwrap();
    decisions::Entity::update_many()
        .col_expr(decisions::Column::WindowClosesAt, Expr::value(at))
        .filter(decisions::Column::Id.eq(id))
        .exec(app.db.conn())
        .await
        .unwrap();
    consultations::Entity::update_many()
        .col_expr(consultations::Column::ClosesAt, Expr::value(at))
        .filter(consultations::Column::DecisionId.eq(id))
        .exec(app.db.conn())
        .await
        .unwrap();
}

/// Sends a POST of JSON with `Transfer-Encoding: chunked` (no Content-Length) over a plain
/// socket and returns the raw answer, also when the server answers before the body ends.
pub async fn raw_chunked_post(app: &TestApp, path: &str, body: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.base.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    for chunk in body.chunks(16 * 1024) {
        let mut frame = format!("{:x}\r\n", chunk.len()).into_bytes();
        frame.extend_from_slice(chunk);
        frame.extend_from_slice(b"\r\n");
        if s.write_all(&frame).await.is_err() {
            break; // the server answered and closed: what it said is still readable
        }
    }
    let _ = s.write_all(b"0\r\n\r\n").await;
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out).await;
    String::from_utf8_lossy(&out).into_owned()
}

// ----- Comments -----

/// A demo app whose comment rate limits do not get in the way.
pub async fn spawn_demo_without_comment_limits() -> TestApp {
    let app = TestApp::spawn_with(|c| {
        c.comment_max_per_address = 100_000;
        c.comment_max_per_account = 100_000;
        c.signup_max_per_address = 100_000;
        c.embed_hosts = vec!["https://live.example.cn".to_string()];
    })
    .await;
    wenji::demo::load(&app.db).await.unwrap();
    app
}

/// Submits a comment on decision `id`.
pub async fn comment(app: &TestApp, id: &str, token: Option<&str>, body: Value) -> Answer {
    app.request(Method::POST, &format!("/api/v1/decisions/{id}/comments"), token, Some(body)).await
}

/// A comment on the whole draft by an individual.
pub fn simple(text: &str) -> Value {
    json!({ "body": text, "category": "individual" })
}

// ----- Attachments -----

pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// A multipart/form-data body with one file field.
pub fn multipart(name: &str, content: &[u8]) -> (String, Vec<u8>) {
    let boundary = "wenjiboundary7MA4YWxkTrZu0gW";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Uploads `content` as an attachment of `decision`.
pub async fn upload(app: &TestApp, token: Option<&str>, decision: &str, name: &str, content: &[u8]) -> Answer {
    let (content_type, body) = multipart(name, content);
    let mut req = app
        .client
        .request(Method::POST, app.url(&format!("/api/v1/decisions/{decision}/attachments")))
        .header("content-type", content_type)
        .body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    app.send(req).await
}

// ----- The spec and concurrency -----

/// Operation ids in the spec, with their method and path.
pub fn spec_operations() -> Vec<(String, String, String)> {
    let spec: Value = serde_json::from_str(&wenji::routes::api_service().spec()).unwrap();
    let mut ops = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            ops.push((op["operationId"].as_str().unwrap().to_string(), method.to_uppercase(), path.clone()));
        }
    }
    ops
}

/// Runs futures concurrently on this task and collects their outputs in order.
pub async fn join_all<F: std::future::Future>(futs: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    let mut pending: Vec<_> = futs.into_iter().map(|f| Some(Box::pin(f))).collect();
    let mut out: Vec<Option<F::Output>> = pending.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut all_done = true;
        for (slot, result) in pending.iter_mut().zip(out.iter_mut()) {
            if let Some(f) = slot {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => {
                        *result = Some(v);
                        *slot = None;
                    }
                    std::task::Poll::Pending => all_done = false,
                }
            }
        }
        if all_done { std::task::Poll::Ready(()) } else { std::task::Poll::Pending }
    })
    .await;
    out.into_iter().flatten().collect()
}
