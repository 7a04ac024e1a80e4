//! Operations endpoints, the docs page, the committed spec and the headers on every answer.

use crate::helpers::*;

#[tokio::test]
async fn health_readiness_and_metrics() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/healthz", None).await.ok(200)["status"], "ok");
    assert_eq!(app.get("/readyz", None).await.ok(200)["database"], "ok");
    app.get("/api/v1/agencies", None).await.ok(200);
    app.get("/api/v1/nowhere", None).await.problem(404);
    let m = app.get("/metrics", None).await;
    m.ok(200);
    assert!(m.content_type().starts_with("text/plain"));
    assert!(
        m.text.contains(r#"wenji_http_requests_total{operation="list_agencies",method="GET",status="200"} 1"#),
        "{}",
        m.text
    );
    assert!(m.text.contains(r#"wenji_http_requests_total{operation="unmatched",method="GET",status="404"} 1"#));
    assert!(m.text.contains("wenji_http_request_duration_seconds_bucket{operation=\"list_agencies\",le=\"+Inf\"} 1"));
    assert!(m.text.contains("wenji_db_pool_connections{state=\"open\"}"));
}

#[tokio::test]
async fn the_docs_page_and_the_live_spec() {
    let app = TestApp::spawn().await;
    let docs = app.get("/docs", None).await;
    docs.ok(200);
    assert!(docs.content_type().starts_with("text/html"));
    assert!(docs.text.contains("swagger"), "docs page is Swagger UI");
    let spec = app.get("/openapi.json", None).await;
    let spec = spec.ok(200);
    assert_eq!(spec["servers"][0]["url"], "/api/v1");
    assert_eq!(spec["components"]["securitySchemes"]["session"]["scheme"], "bearer");
    assert!(spec["paths"]["/auth/me"]["get"]["security"].is_array());
}

/// `openapi/openapi.yaml` is what the code generates. Regenerate with
/// `cargo run -q -- openapi > openapi/openapi.yaml`.
#[test]
fn committed_spec_matches_the_code() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.yaml"))
        .expect("openapi/openapi.yaml exists");
    let generated = wenji::routes::api_service().spec_yaml();
    assert!(
        committed == generated,
        "openapi/openapi.yaml is out of date: run `cargo run -q -- openapi > openapi/openapi.yaml`"
    );
}

#[test]
fn every_operation_is_documented_with_problem_errors() {
    let spec: serde_json::Value = serde_json::from_str(&wenji::routes::api_service().spec()).unwrap();
    let mut count = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            count += 1;
            let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            assert!(op["summary"].is_string(), "{id} has no summary");
            assert!(op["tags"].as_array().is_some_and(|t| !t.is_empty()), "{id} has no tag");
            for status in ["400", "422", "500"] {
                let content = &op["responses"][status]["content"];
                assert!(content.get("application/problem+json").is_some(), "{id} {status} is not problem+json");
            }
        }
    }
    assert!(count >= 9, "expected the foundation's operations, found {count}");
}

#[tokio::test]
async fn security_headers_on_every_answer() {
    let app = TestApp::spawn().await;
    for path in ["/api/v1/agencies", "/api/v1/nowhere", "/healthz", "/openapi.json"] {
        let a = app.get(path, None).await;
        assert_eq!(a.headers["x-content-type-options"], "nosniff", "{path}");
        assert!(a.headers["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"), "{path}");
        assert!(a.headers.contains_key("referrer-policy"), "{path}");
        assert!(a.headers.contains_key("x-request-id"), "{path}");
        assert_eq!(
            a.headers["permissions-policy"], "camera=(self), microphone=(), geolocation=(), payment=()",
            "{path}"
        );
        // Served over plain HTTP here, so no HSTS (it would be ignored or, behind a
        // misconfigured proxy, lock people out).
        assert!(!a.headers.contains_key("strict-transport-security"), "{path}");
    }
    // Public reads may be cached; anything signed in or any write is not.
    assert!(!app.get("/api/v1/agencies", None).await.headers.contains_key("cache-control"));
    let https = TestApp::spawn_with(|c| c.public_url = "https://wenji.example.gov.cn".into()).await;
    assert_eq!(https.get("/healthz", None).await.headers["strict-transport-security"], "max-age=31536000");
}

#[tokio::test]
async fn livestream_hosts_may_be_framed_and_nothing_else() {
    let app = TestApp::spawn_with(|c| c.embed_hosts = vec!["https://live.example.gov.cn".into()]).await;
    let csp = app.get("/api/v1/agencies", None).await.headers["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("frame-src https://live.example.gov.cn;"), "{csp}");
    assert!(csp.contains("script-src 'self';"), "{csp}");
    let plain = TestApp::spawn().await;
    let csp = plain.get("/healthz", None).await.headers["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("frame-src 'none'"), "{csp}");
}

#[tokio::test]
async fn cors_only_for_configured_origins() {
    let app = TestApp::spawn_with(|c| c.cors_origins = vec!["https://portal.example.gov.cn".into()]).await;
    let allowed =
        app.send(app.client.get(app.url("/api/v1/agencies")).header("origin", "https://portal.example.gov.cn")).await;
    allowed.ok(200);
    assert_eq!(allowed.headers["access-control-allow-origin"], "https://portal.example.gov.cn");
    let other =
        app.send(app.client.get(app.url("/api/v1/agencies")).header("origin", "https://evil.example.com")).await;
    assert!(!other.headers.contains_key("access-control-allow-origin"));
    // Without configuration, no origin is allowed.
    let plain = TestApp::spawn().await;
    let a = plain
        .send(plain.client.get(plain.url("/api/v1/agencies")).header("origin", "https://portal.example.gov.cn"))
        .await;
    assert!(!a.headers.contains_key("access-control-allow-origin"));
}

#[tokio::test]
async fn tokens_and_personal_data_are_never_cached() {
    let app = TestApp::spawn_demo().await;
    let login =
        app.post("/api/v1/auth/login", None, serde_json::json!({ "email": RESIDENT, "password": DEMO_PASSWORD })).await;
    assert_eq!(login.headers["cache-control"], "no-store");
    let token = login.body["token"].as_str().unwrap();
    assert_eq!(app.get("/api/v1/auth/me", Some(token)).await.headers["cache-control"], "no-store");
    assert_eq!(app.get("/api/v1/agencies", Some(token)).await.headers["cache-control"], "no-store");
}

/// Metrics labels come from fixed sets: a method a client invents is counted as "other",
/// so no client can grow the metrics without bound.
#[tokio::test]
async fn metrics_labels_are_bounded() {
    let app = TestApp::spawn().await;
    for invented in ["BREW", "X-HELLO-1", "X-HELLO-2"] {
        let method = reqwest::Method::from_bytes(invented.as_bytes()).unwrap();
        app.send(app.client.request(method, app.url("/api/v1/decisions"))).await;
    }
    let m = app.get("/metrics", None).await;
    assert_eq!(m.status.as_u16(), 200);
    assert!(!m.text.contains("BREW") && !m.text.contains("X-HELLO"), "{}", m.text);
    assert!(m.text.contains("method=\"other\""), "{}", m.text);
}

/// A client that opens a connection and sends nothing does not hold it for ever: the server
/// closes connections without traffic after the idle timeout.
#[tokio::test]
async fn silent_connections_are_closed() {
    use tokio::io::AsyncReadExt;
    let app = TestApp::spawn_with(|c| c.idle_timeout = std::time::Duration::from_millis(500)).await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let mut buf = [0u8; 256];
    let read = tokio::time::timeout(std::time::Duration::from_secs(5), stream.read(&mut buf)).await;
    // Closed by the server: end of stream (or a reset), well before the test gives up.
    assert!(matches!(read, Ok(Ok(0)) | Ok(Err(_))), "the connection was still open: {read:?}");
}

/// Reads what the server sends until it closes the connection or `limit` passes.
async fn read_until_closed(stream: &mut tokio::net::TcpStream, limit: std::time::Duration) -> (String, bool) {
    use tokio::io::AsyncReadExt;
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    let closed = tokio::time::timeout(limit, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await
    .is_ok();
    (String::from_utf8_lossy(&got).into_owned(), closed)
}

/// Slowloris: a client that keeps sending header lines, each well within the idle timeout,
/// is cut off when its request head has taken longer than the header-read timeout, while a
/// keep-alive connection may wait between requests as long as the idle timeout allows.
#[tokio::test]
async fn a_request_head_that_trickles_in_is_cut_off() {
    use std::time::{Duration, Instant};
    use tokio::io::AsyncWriteExt;
    let app = TestApp::spawn_with(|c| {
        c.idle_timeout = Duration::from_secs(10);
        c.header_read_timeout = Duration::from_secs(1);
    })
    .await;
    let addr = app.base.trim_start_matches("http://").to_string();

    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let started = Instant::now();
    let (mut reader, mut writer) = slow.into_split();
    let drip = tokio::spawn(async move {
        for i in 0..40 {
            tokio::time::sleep(Duration::from_millis(250)).await;
            if writer.write_all(format!("X-Drip-{i}: 1\r\n").as_bytes()).await.is_err() {
                return;
            }
        }
    });
    let mut buf = [0u8; 256];
    let read = tokio::time::timeout(Duration::from_secs(8), tokio::io::AsyncReadExt::read(&mut reader, &mut buf)).await;
    drip.abort();
    assert!(matches!(read, Ok(Ok(0)) | Ok(Err(_))), "the trickling request was still open: {read:?}");
    assert!(started.elapsed() < Duration::from_secs(4), "closed only after {:?}", started.elapsed());

    // Two requests on one connection, with a pause longer than the header timeout between.
    let mut kept = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let request = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    for _ in 0..2 {
        kept.write_all(request).await.unwrap();
        let mut got = Vec::new();
        while !String::from_utf8_lossy(&got).contains("\r\n\r\n") {
            let n = tokio::io::AsyncReadExt::read(&mut kept, &mut buf).await.unwrap();
            assert!(n > 0, "closed between requests");
            got.extend_from_slice(&buf[..n]);
        }
        assert!(String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200"), "{}", String::from_utf8_lossy(&got));
        tokio::time::sleep(Duration::from_millis(1500)).await;
    }
}

/// A request body that trickles in is answered 408 once it has taken longer than the
/// body-read timeout, instead of holding a handler (and its database connection) open.
#[tokio::test]
async fn a_request_body_that_trickles_in_answers_408() {
    use std::time::Duration;
    use tokio::io::AsyncWriteExt;
    let app = TestApp::spawn_with(|c| c.body_read_timeout = Duration::from_secs(1)).await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head =
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n";
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(b"{\"email\": \"slow").await.unwrap();
    let (answer, _) = read_until_closed(&mut stream, Duration::from_secs(6)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

/// Metrics are for the monitoring system: with a token configured, only requests carrying
/// it; without one, only clients on this machine — not a client behind a proxy here.
#[tokio::test]
async fn metrics_are_for_the_monitoring_system_only() {
    let open = TestApp::spawn_with(|c| c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
    assert_eq!(open.get("/metrics", None).await.status.as_u16(), 200, "a client on this machine");
    let outside = open.send(open.client.get(open.url("/metrics")).header("x-forwarded-for", "203.0.113.9")).await;
    outside.problem(403);
    let guarded = TestApp::spawn_with(|c| c.metrics_token = Some("scrape-secret-123".into())).await;
    guarded.get("/metrics", None).await.problem(403);
    guarded.get("/metrics", Some("wrong-token")).await.problem(403);
    assert_eq!(guarded.get("/metrics", Some("scrape-secret-123")).await.status.as_u16(), 200);
}
