//! A corpus of hostile requests, each with the clear answer it must get: an RFC 9457 problem
//! with the right status (and, where a field is to blame, that field), never a 500, and
//! nothing already stored lost or changed. Payloads that are merely unpleasant (script, HTML,
//! SQL) are stored and shown back as the text they are.

use reqwest::Method;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use wenji::entities::{accounts, attachments, comments, decisions, disclosure_items, open_day_registrations};

use crate::helpers::*;

/// What a request carries.
enum Body {
    None,
    Json(Value),
    /// Bytes sent as they are, with this content type.
    Raw(&'static str, Vec<u8>),
    /// A multipart upload: the file's name and bytes.
    File(String, Vec<u8>),
}

/// Who sends it.
#[derive(Clone, Copy)]
enum Who {
    Anyone,
    Staff,
}

struct Case {
    name: &'static str,
    method: Method,
    path: String,
    who: Who,
    body: Body,
    status: u16,
    /// The field a 400/422 problem must name, if one is to blame.
    field: Option<&'static str>,
    header: Option<(&'static str, &'static str)>,
}

fn case(name: &'static str, method: Method, path: impl Into<String>, body: Body, status: u16) -> Case {
    Case { name, method, path: path.into(), who: Who::Anyone, body, status, field: None, header: None }
}

impl Case {
    fn by(mut self, who: Who) -> Self {
        self.who = who;
        self
    }

    /// A receipt's secret, so that the number itself is what is judged.
    fn with_secret(mut self) -> Self {
        self.header = Some(("x-receipt-secret", "ABCDE-FGHJK"));
        self
    }

    fn field(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }
}

fn raw_json(bytes: &[u8]) -> Body {
    Body::Raw("application/json", bytes.to_vec())
}

/// `[[[…]]]` nested `depth` deep.
fn nested(depth: usize) -> Vec<u8> {
    let mut v = vec![b'['; depth];
    v.extend(std::iter::repeat_n(b']', depth));
    v
}

/// What the database holds, to show that no refused request changed it.
async fn census(app: &TestApp) -> [u64; 6] {
    let db = app.db.conn();
    [
        comments::Entity::find().count(db).await.unwrap(),
        decisions::Entity::find().count(db).await.unwrap(),
        accounts::Entity::find().count(db).await.unwrap(),
        attachments::Entity::find().count(db).await.unwrap(),
        disclosure_items::Entity::find().count(db).await.unwrap(),
        open_day_registrations::Entity::find().count(db).await.unwrap(),
    ]
}

fn corpus(decision: &str, draft: &str) -> Vec<Case> {
    use Method as M;
    let comments = format!("/api/v1/decisions/{decision}/comments");
    let consultation = format!("/api/v1/decisions/{draft}/consultation");
    let uploads = format!("/api/v1/decisions/{decision}/attachments");
    let comment = |body: &str| Body::Json(json!({ "body": body, "category": "individual" }));
    let pdf = PDF.to_vec();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde".to_vec();
    vec![
        // Bodies over the limit, malformed, nested, not UTF-8.
        case("body over the limit with Content-Length", M::POST, &comments, comment(&"长".repeat(400_000)), 413),
        case("a 1 MB line", M::POST, &comments, comment(&"a".repeat(1024 * 1024)), 413),
        case("a comment of 5,001 characters", M::POST, &comments, comment(&"意".repeat(5001)), 422).field("body"),
        case("JSON nested 100,000 deep", M::POST, &comments, raw_json(&nested(100_000)), 400),
        case(
            "JSON nested 200 deep in a field",
            M::POST,
            &comments,
            {
                let mut b = b"{\"body\":".to_vec();
                b.extend(nested(200));
                b.extend(b",\"category\":\"individual\"}");
                raw_json(&b)
            },
            400,
        ),
        case(
            "invalid UTF-8 in a JSON string",
            M::POST,
            &comments,
            raw_json(b"{\"body\":\"\xff\xfe\xfd\",\"category\":\"individual\"}"),
            400,
        ),
        case(
            "a lone surrogate escape",
            M::POST,
            &comments,
            raw_json(br#"{"body":"\ud800","category":"individual"}"#),
            400,
        ),
        case("a number beyond f64", M::POST, &comments, raw_json(br#"{"body":1e400,"category":"individual"}"#), 400),
        case("truncated JSON", M::POST, &comments, raw_json("{\"body\":\"未完".as_bytes()), 400),
        case("empty body", M::POST, &comments, raw_json(b""), 400),
        case(
            "JSON with a BOM",
            M::POST,
            &comments,
            raw_json("\u{feff}{\"body\":\"有BOM\",\"category\":\"individual\"}".as_bytes()),
            400,
        ),
        case(
            "form data where JSON is expected",
            M::POST,
            &comments,
            Body::Raw("application/x-www-form-urlencoded", b"body=x".to_vec()),
            415,
        ),
        case(
            "XML where JSON is expected",
            M::POST,
            &comments,
            Body::Raw(
                "application/xml",
                b"<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>".to_vec(),
            ),
            415,
        ),
        // NUL and control characters, wherever text goes in.
        case("NUL in a comment", M::POST, &comments, comment("建议\u{0}增加"), 422).field("body"),
        case("a bell in a comment", M::POST, &comments, comment("建议\u{7}增加"), 422).field("body"),
        case("an escape sequence in a comment", M::POST, &comments, comment("\u{1b}[2J清屏"), 422).field("body"),
        case(
            "NUL in the e-mail of a sign-in",
            M::POST,
            "/api/v1/auth/login",
            Body::Json(json!({ "email": "a\u{0}@b.cn", "password": "x" })),
            401,
        ),
        case(
            "NUL in the e-mail of a registration",
            M::POST,
            "/api/v1/auth/register",
            Body::Json(
                json!({ "email": "new\u{0}@b.cn", "password": "a-long-password-2026", "display_name": "新用户" }),
            ),
            422,
        )
        .field("email"),
        case(
            "NUL in a display name",
            M::POST,
            "/api/v1/auth/register",
            Body::Json(
                json!({ "email": "nul@b.cn", "password": "a-long-password-2026", "display_name": "新\u{0}用户" }),
            ),
            422,
        )
        .field("display_name"),
        case(
            "NUL in a password reset",
            M::POST,
            "/api/v1/auth/password-reset",
            Body::Json(json!({ "email": "a\u{0}@b.cn", "code": "ABCDE", "new_password": "a-long-password-2026" })),
            422,
        )
        .field("email"),
        case(
            "NUL in an open-day code",
            M::POST,
            "/api/v1/open-day-registrations/lookup",
            Body::Json(json!({ "code": "AB\u{0}CD" })),
            404,
        ),
        case(
            "NUL in an attendance code",
            M::POST,
            "/api/v1/attendance-requests/lookup",
            Body::Json(json!({ "code": "\u{0}" })),
            404,
        ),
        case("NUL in a search", M::GET, "/api/v1/decisions?q=%E5%85%BB%00%E8%80%81", Body::None, 200),
        case("NUL in a catalogue search", M::GET, "/api/v1/disclosure-items?q=%00%00", Body::None, 200),
        case("NUL in a tracking number", M::GET, "/api/v1/receipts/WJ-2026-%00", Body::None, 404).with_secret(),
        case(
            "NUL in a comment category",
            M::POST,
            &comments,
            Body::Json(json!({ "body": "正常", "category": "individual\u{0}" })),
            400,
        ),
        // SQL metacharacters are text.
        case(
            "SQL in a search",
            M::GET,
            "/api/v1/decisions?q=%27%20OR%201%3D1%3B%20DROP%20TABLE%20comments%3B--",
            Body::None,
            200,
        ),
        case("LIKE wildcards in a search", M::GET, "/api/v1/disclosure-items?q=%25%25%5F%5F", Body::None, 200),
        case("SQL in a tracking number", M::GET, "/api/v1/receipts/WJ'%20OR%20'1'%3D'1", Body::None, 404).with_secret(),
        // Paths and names.
        case("path traversal in the route", M::GET, "/api/v1/decisions/..%2F..%2Fetc%2Fpasswd", Body::None, 400),
        case("a file that claims PDF but is PNG", M::POST, &uploads, Body::File("说明.pdf".into(), png.clone()), 422)
            .by(Who::Staff)
            .field("file"),
        case(
            "a program named as a picture",
            M::POST,
            &uploads,
            Body::File("照片.png".into(), b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff".to_vec()),
            422,
        )
        .by(Who::Staff)
        .field("file"),
        case(
            "HTML named as a spreadsheet",
            M::POST,
            &uploads,
            Body::File("表格.xlsx".into(), b"<html><script>alert(1)</script></html>".to_vec()),
            422,
        )
        .by(Who::Staff)
        .field("file"),
        case(
            "an SVG with script",
            M::POST,
            &uploads,
            Body::File("图.svg".into(), b"<svg onload=alert(1)></svg>".to_vec()),
            422,
        )
        .by(Who::Staff)
        .field("file"),
        case("a name with no extension", M::POST, &uploads, Body::File("/etc/passwd".into(), pdf.clone()), 422)
            .by(Who::Staff)
            .field("file"),
        case("an empty file", M::POST, &uploads, Body::File("空.pdf".into(), Vec::new()), 422)
            .by(Who::Staff)
            .field("file"),
        // Pagination.
        case("page 0", M::GET, format!("{comments}?page=0"), Body::None, 400).field("page"),
        case("page -1", M::GET, format!("{comments}?page=-1"), Body::None, 400).field("page"),
        case("page beyond u64", M::GET, format!("{comments}?page=99999999999999999999999"), Body::None, 400)
            .field("page"),
        case("per_page 100000", M::GET, format!("{comments}?per_page=100000"), Body::None, 400).field("per_page"),
        case("per_page as text", M::GET, "/api/v1/decisions?per_page=all", Body::None, 400).field("per_page"),
        case("a far page of a catalogue", M::GET, "/api/v1/disclosure-items?page=100000&per_page=100", Body::None, 200),
        case("the last page allowed, far past the end", M::GET, format!("{comments}?page=1000000"), Body::None, 200),
        case("a page beyond the last allowed", M::GET, format!("{comments}?page=1000001"), Body::None, 400)
            .field("page"),
        // Dates.
        case(
            "closing in the year 9999",
            M::POST,
            &consultation,
            Body::Json(json!({ "closes_at": "9999-12-31T23:59:59Z" })),
            422,
        )
        .by(Who::Staff)
        .field("closes_at"),
        case(
            "closing beyond chrono's range",
            M::POST,
            &consultation,
            Body::Json(json!({ "closes_at": "+275760-09-13T00:00:00Z" })),
            400,
        )
        .by(Who::Staff),
        case(
            "closing on 30 February",
            M::POST,
            &consultation,
            Body::Json(json!({ "closes_at": "2027-02-30T00:00:00+08:00" })),
            400,
        )
        .by(Who::Staff),
        case(
            "closing in 1900",
            M::POST,
            &consultation,
            Body::Json(json!({ "closes_at": "1900-01-01T00:00:00Z" })),
            422,
        )
        .by(Who::Staff)
        .field("closes_at"),
        case(
            "closing before opening",
            M::POST,
            &consultation,
            Body::Json(json!({ "opens_at": in_days(40), "closes_at": in_days(10) })),
            422,
        )
        .by(Who::Staff)
        .field("closes_at"),
        case(
            "a date without a zone",
            M::POST,
            &consultation,
            Body::Json(json!({ "closes_at": "2027-01-31T00:00:00" })),
            400,
        )
        .by(Who::Staff),
        case("an open day on 2027-13-01", M::GET, "/api/v1/open-days?from=2027-13-01", Body::None, 400),
        // Headers and ids.
        case(
            "a tracking number of 10,000 characters",
            M::GET,
            format!("/api/v1/receipts/{}", "W".repeat(10_000)),
            Body::None,
            400,
        )
        .with_secret(),
        case("a receipt without its secret", M::GET, "/api/v1/receipts/WJ-2026-0000-0000", Body::None, 400),
        case("an unknown decision", M::GET, format!("/api/v1/decisions/{}", uuid::Uuid::nil()), Body::None, 404),
        case("a decision id that is not a UUID", M::GET, "/api/v1/decisions/%E5%85%BB%E8%80%81", Body::None, 400),
        case(
            "a search of 2,000 characters",
            M::GET,
            format!("/api/v1/disclosure-items?q={}", "养".repeat(2_000)),
            Body::None,
            400,
        )
        .field("q"),
    ]
}

async fn send(app: &TestApp, staff: &str, c: &Case) -> Answer {
    let mut req = app.client.request(c.method.clone(), app.url(&c.path));
    if let Who::Staff = c.who {
        req = req.bearer_auth(staff);
    }
    if let Some((name, value)) = c.header {
        req = req.header(name, value);
    }
    req = match &c.body {
        Body::None => req,
        Body::Json(v) => req.json(v),
        Body::Raw(content_type, bytes) => req.header("content-type", *content_type).body(bytes.clone()),
        Body::File(name, bytes) => {
            let (content_type, form) = multipart(name, bytes);
            req.header("content-type", content_type).body(form)
        }
    };
    app.send(req).await
}

#[tokio::test]
async fn every_hostile_request_gets_a_clear_answer_and_changes_nothing() {
    let app = TestApp::spawn_demo().await;
    let (decision, staff) = published_decision(&app, "示范区养老服务设施建设管理办法").await;
    let draft = create_decision(&app, &staff, "未公开的草案").await;
    add_text_version(&app, &staff, &draft, DRAFT).await;
    let before = census(&app).await;

    let cases = corpus(&decision, &draft);
    let mut wrong = Vec::new();
    for c in &cases {
        let a = send(&app, &staff, c).await;
        let status = a.status.as_u16();
        let problem_ok = status < 400
            || (a.content_type().starts_with("application/problem+json")
                && a.body["status"] == json!(status)
                && a.body["title"].is_string()
                && a.body["detail"].is_string());
        let field_ok = c.field.is_none_or(|f| a.error_fields().iter().any(|e| e == f));
        if status != c.status || !problem_ok || !field_ok {
            wrong.push(format!(
                "{}: expected {} {:?}, got {status} {}",
                c.name,
                c.status,
                c.field,
                a.text.chars().take(300).collect::<String>()
            ));
        }
    }
    // Chunked bodies (no Content-Length) are measured as they arrive.
    let chunked =
        raw_chunked_post(&app, &format!("/api/v1/decisions/{decision}/comments"), &vec![b'a'; 2 * 1024 * 1024]).await;
    if !chunked.starts_with("HTTP/1.1 413") || !chunked.to_ascii_lowercase().contains("application/problem+json") {
        wrong.push(format!("chunked body over the limit: {}", chunked.lines().next().unwrap_or("")));
    }
    // An Idempotency-Key over its 200 characters.
    let odd_key = app
        .send(
            app.client
                .post(app.url(&format!("/api/v1/decisions/{decision}/comments")))
                .header("idempotency-key", "k".repeat(201))
                .json(&json!({ "body": "键太长", "category": "individual" })),
        )
        .await;
    if odd_key.status.as_u16() != 400 {
        wrong.push(format!("an Idempotency-Key of 201 characters: {} {}", odd_key.status, odd_key.text));
    }
    eprintln!("hostile corpus: {} requests tried, {} answered wrongly", cases.len() + 2, wrong.len());
    assert!(
        wrong.is_empty(),
        "{} of {} hostile requests answered wrongly:\n{}",
        wrong.len(),
        cases.len() + 2,
        wrong.join("\n")
    );
    assert_eq!(census(&app).await, before, "no refused request stored or changed anything");
}

/// Script, HTML and SQL in a comment are stored as the text they are and sent back as JSON
/// text (bidi overrides dropped); the pages that show them are served with a policy that runs no inline script.
#[tokio::test]
async fn script_html_and_sql_are_stored_and_shown_as_text() {
    let app = TestApp::spawn_demo().await;
    let (decision, _) = published_decision(&app, "示范区养老服务设施建设管理办法").await;
    let payloads = [
        "<script>alert('问计')</script>",
        "<img src=x onerror=alert(1)>建议增加助餐点",
        "'); DROP TABLE comments; --",
        "\" OR \"\"=\"",
        "{{constructor.constructor('alert(1)')()}}",
        "=HYPERLINK(\"http://evil.example\",\"点我\")",
        "\u{202e}建议反向文字\u{202c} and 𠀀𪚥 and 👩‍👩‍👧",
    ];
    for p in payloads {
        let a = comment(&app, &decision, None, json!({ "body": p, "category": "individual" })).await;
        a.ok(201);
        let receipt = a.body["receipt"]["tracking_number"].as_str().unwrap().to_string();
        let secret = a.body["receipt"]["secret"].as_str().unwrap().to_string();
        let back = app
            .send(app.client.get(app.url(&format!("/api/v1/receipts/{receipt}"))).header("x-receipt-secret", secret))
            .await;
        assert!(back.content_type().starts_with("application/json"), "{}", back.content_type());
        // Verbatim, but for invisible format characters (bidi overrides, zero-width joiners),
        // which the platform drops so that no comment can disguise its text.
        let expected = wenji::kernel::text::without_invisible(p);
        assert_eq!(back.ok(200)["body"].as_str(), Some(expected.trim()), "stored as text: {}", back.text);
    }
    let page = app.send(app.client.get(app.url("/"))).await;
    let csp = page.headers.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline' 'unsafe-eval"), "{csp}");
    assert_eq!(page.headers.get("x-content-type-options").and_then(|v| v.to_str().ok()), Some("nosniff"));
    assert_eq!(comments::Entity::find().count(app.db.conn()).await.unwrap(), payloads.len() as u64);
}

/// A window "closing on the 31st" closes at 00:00 Asia/Shanghai, which is 16:00 UTC the day
/// before: sent in +08:00 it is kept as that instant, read back as 00:00 in Shanghai, and
/// comments are taken until that instant and refused from it, whatever the server's zone.
#[tokio::test]
async fn a_window_closing_at_midnight_in_shanghai() {
    use chrono::{Duration, FixedOffset, TimeZone, Utc};
    let app = TestApp::spawn_with(|c| c.public_cache_ttl = std::time::Duration::ZERO).await;
    wenji::demo::load(&app.db).await.unwrap();
    let staff = app.login_demo(FGW_STAFF).await;
    let id = create_decision(&app, &staff, "午夜截止的征求意见").await;
    add_text_version(&app, &staff, &id, DRAFT).await;
    let shanghai = FixedOffset::east_opt(8 * 3600).unwrap();
    let in_40_days = (Utc::now() + Duration::days(40)).with_timezone(&shanghai).date_naive();
    let midnight = shanghai.from_local_datetime(&in_40_days.and_hms_opt(0, 0, 0).unwrap()).unwrap();
    let sent = midnight.to_rfc3339();
    assert!(sent.ends_with("T00:00:00+08:00"), "{sent}");
    let d = open(&app, &staff, &id, json!({ "closes_at": sent })).await;
    let kept: chrono::DateTime<Utc> = d["consultation"]["closes_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(kept, midnight.with_timezone(&Utc), "the same instant: 16:00 UTC the day before");
    assert_eq!(kept.format("%H:%M").to_string(), "16:00");

    // Before the closing instant: taken. At it: refused.
    let next_midnight = {
        let today = Utc::now().with_timezone(&shanghai).date_naive() + Duration::days(1);
        shanghai.from_local_datetime(&today.and_hms_opt(0, 0, 0).unwrap()).unwrap().with_timezone(&Utc)
    };
    let now = Utc::now();
    set_window_closing(&app, &id, now + Duration::seconds(30)).await;
    comment(&app, &id, None, json!({ "body": "最后一天的意见", "category": "individual" })).await.ok(201);
    set_window_closing(&app, &id, now).await;
    let late = comment(&app, &id, None, json!({ "body": "零点之后的意见", "category": "individual" })).await;
    late.problem(409);
    // Stored as the instant, not as a local date: midnight in Shanghai is 16:00 UTC.
    set_window_closing(&app, &id, next_midnight).await;
    let d = app.get(&format!("/api/v1/decisions/{id}"), None).await;
    let shown: chrono::DateTime<chrono::FixedOffset> =
        chrono::DateTime::parse_from_rfc3339(d.ok(200)["consultation"]["closes_at"].as_str().unwrap()).unwrap();
    assert_eq!(shown.with_timezone(&shanghai).format("%H:%M:%S").to_string(), "00:00:00");
    assert_eq!(shown.with_timezone(&Utc).format("%H:%M:%S").to_string(), "16:00:00");
}
