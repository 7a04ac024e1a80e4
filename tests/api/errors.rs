//! Every error class answers RFC 9457 problem+json, never a 500 for a client mistake.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn unknown_routes_are_404_problems() {
    let app = TestApp::spawn().await;
    let a = app.get("/api/v1/no-such-thing", None).await;
    a.problem(404);
    assert_eq!(a.body["code"], "not_found");
    app.get(&format!("/api/v1/agencies/{}", uuid::Uuid::now_v7()), None).await.problem(404);
}

#[tokio::test]
async fn wrong_methods_are_405_problems() {
    let app = TestApp::spawn().await;
    let a = app.request(Method::DELETE, "/api/v1/agencies", None, None).await;
    a.problem(405);
    assert_eq!(a.body["code"], "method_not_allowed");
    app.request(Method::PUT, "/api/v1/auth/login", None, Some(json!({}))).await.problem(405);
}

#[tokio::test]
async fn malformed_bodies_and_parameters_are_400_problems() {
    let app = TestApp::spawn().await;
    let a = app
        .send(
            app.client.post(app.url("/api/v1/auth/login")).header("content-type", "application/json").body("{not json"),
        )
        .await;
    a.problem(400);
    app.post("/api/v1/auth/register", None, json!({ "email": 5 })).await.problem(400);
    app.post("/api/v1/auth/register", None, json!([1, 2])).await.problem(400);
    let p = app.get("/api/v1/agencies?page=0", None).await;
    p.problem(400);
    assert_eq!(p.error_fields(), vec!["page"]);
    app.get("/api/v1/agencies?per_page=abc", None).await.problem(400);
    app.get("/api/v1/agencies/not-a-uuid", None).await.problem(400);
}

#[tokio::test]
async fn unsupported_media_types_are_415_problems() {
    let app = TestApp::spawn().await;
    let a = app
        .send(app.client.post(app.url("/api/v1/auth/login")).header("content-type", "text/plain").body("hello"))
        .await;
    a.problem(415);
    assert_eq!(a.body["code"], "unsupported_media_type");
}

#[tokio::test]
async fn bodies_over_the_limit_are_413_problems() {
    let app = TestApp::spawn_with(|c| c.body_limit = 1024).await;
    let big = json!({ "email": "a@b.cn", "password": "x".repeat(5000), "display_name": "x" });
    app.post("/api/v1/auth/register", None, big).await.problem(413);
    // A chunked body without Content-Length is measured too.
    let raw = raw_chunked_post(&app, "/api/v1/auth/login", &[b'a'; 4096]).await;
    assert!(raw.starts_with("HTTP/1.1 413"), "{raw}");
    // So is an HTTP/2 body, which has neither Content-Length nor chunked framing: it is
    // counted as the handler reads it.
    let h2 = reqwest::Client::builder().http2_prior_knowledge().build().unwrap();
    let chunks =
        (0..64).map(|i| Ok::<_, std::io::Error>(if i == 0 { b"{\"email\":\"".to_vec() } else { vec![b'a'; 512] }));
    let answer = h2
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(chunks)))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.version(), reqwest::Version::HTTP_2);
    assert_eq!(answer.status().as_u16(), 413);
    // Under the limit, the same kind of body goes through to the handler.
    let small = h2
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter([Ok::<_, std::io::Error>(
            br#"{"email":"nobody@example.cn","password":"wrong-password"}"#.to_vec(),
        )])))
        .send()
        .await
        .unwrap();
    assert_eq!(small.status().as_u16(), 401);
    assert!(raw.to_ascii_lowercase().contains("content-type: application/problem+json"), "{raw}");
}

#[tokio::test]
async fn unauthenticated_and_forbidden_are_problems_in_both_languages() {
    let app = TestApp::spawn_demo().await;
    let zh = app.post("/api/v1/policy-areas", None, json!({ "code": "x1", "name": "x", "name_en": "x" })).await;
    zh.problem(401);
    let en = app
        .send(
            app.client
                .post(app.url("/api/v1/policy-areas"))
                .header("accept-language", "en")
                .json(&json!({ "code": "x1", "name": "x", "name_en": "x" })),
        )
        .await;
    en.problem(401);
    assert_ne!(zh.body["title"], en.body["title"]);
    assert_eq!(en.body["title"], "Sign-in required");
    let token = app.login_demo(RESIDENT).await;
    let f = app.post("/api/v1/policy-areas", Some(&token), json!({ "code": "x1", "name": "x", "name_en": "x" })).await;
    f.problem(403);
    assert_eq!(f.body["code"], "forbidden");
}

#[tokio::test]
async fn problems_carry_the_request_id_of_the_response() {
    let app = TestApp::spawn().await;
    let a = app.send(app.client.get(app.url("/api/v1/nowhere")).header("x-request-id", "trace-abc-123")).await;
    a.problem(404);
    assert_eq!(a.headers["x-request-id"], "trace-abc-123");
    assert_eq!(a.body["request_id"], "trace-abc-123");
    // A hostile request id is replaced, not echoed.
    let b = app.send(app.client.get(app.url("/api/v1/nowhere")).header("x-request-id", "<script>")).await;
    assert_ne!(b.headers["x-request-id"], "<script>");
}
