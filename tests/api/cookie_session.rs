//! The browser app's session: an HttpOnly, SameSite=Strict cookie that scripts cannot read,
//! and a CSRF token that every change sent with it must carry.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

/// Signs the demo resident in with a cookie session: (the cookie's `name=value`, the CSRF
/// token, the whole Set-Cookie header).
async fn cookie_login(app: &TestApp) -> (String, String, String) {
    let a = app
        .post("/api/v1/auth/login", None, json!({ "email": RESIDENT, "password": DEMO_PASSWORD, "cookie": true }))
        .await;
    let body = a.ok(200).clone();
    assert!(body.get("token").is_none(), "no token in the answer of a cookie session: {body}");
    let set_cookie = a.headers["set-cookie"].to_str().unwrap().to_string();
    let pair = set_cookie.split(';').next().unwrap().to_string();
    (pair, body["csrf_token"].as_str().unwrap().to_string(), set_cookie)
}

fn with_cookie(app: &TestApp, method: Method, path: &str, cookie: &str) -> reqwest::RequestBuilder {
    app.client.request(method, app.url(path)).header("cookie", cookie)
}

#[tokio::test]
async fn the_cookie_is_httponly_and_same_site_and_reads_need_no_csrf_token() {
    let app = TestApp::spawn_demo().await;
    let (cookie, csrf, set_cookie) = cookie_login(&app).await;
    assert!(cookie.starts_with("wenji_session="), "{set_cookie}");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age="] {
        assert!(set_cookie.contains(attribute), "{attribute} in {set_cookie}");
    }
    assert!(!set_cookie.contains("Secure"), "plain http here: {set_cookie}");
    let me = app.send(with_cookie(&app, Method::GET, "/api/v1/auth/me", &cookie)).await;
    assert_eq!(me.ok(200)["email"], RESIDENT);
    assert_eq!(me.body["csrf_token"], csrf.as_str(), "a new tab recovers the token from /auth/me");
    assert_eq!(me.headers["cache-control"], "no-store");
    // A bearer session has no CSRF token to show.
    let token = app.login_demo(RESIDENT).await;
    assert!(app.get("/api/v1/auth/me", Some(&token)).await.ok(200).get("csrf_token").is_none());
}

#[tokio::test]
async fn changes_sent_with_the_cookie_need_the_csrf_token() {
    let app = TestApp::spawn_demo().await;
    let (cookie, csrf, _) = cookie_login(&app).await;
    let change = json!({ "current_password": DEMO_PASSWORD, "new_password": DEMO_PASSWORD });
    let missing = app.send(with_cookie(&app, Method::POST, "/api/v1/auth/password", &cookie).json(&change)).await;
    assert_eq!(missing.problem(403)["code"], "csrf");
    let wrong = app
        .send(
            with_cookie(&app, Method::POST, "/api/v1/auth/password", &cookie)
                .header("x-csrf-token", "0".repeat(64))
                .json(&change),
        )
        .await;
    assert_eq!(wrong.problem(403)["code"], "csrf");
    app.send(
        with_cookie(&app, Method::POST, "/api/v1/auth/password", &cookie).header("x-csrf-token", &csrf).json(&change),
    )
    .await
    .ok(204);
    // Signing out clears the cookie, and the session is over.
    let out =
        app.send(with_cookie(&app, Method::POST, "/api/v1/auth/logout", &cookie).header("x-csrf-token", &csrf)).await;
    out.ok(204);
    assert!(out.headers["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    app.send(with_cookie(&app, Method::GET, "/api/v1/auth/me", &cookie)).await.problem(401);
}

#[tokio::test]
async fn over_https_the_cookie_is_secure() {
    let app = TestApp::spawn_with(|c| c.public_url = "https://wenji.example.gov.cn".into()).await;
    wenji::demo::load(&app.db).await.unwrap();
    let (_, _, set_cookie) = cookie_login(&app).await;
    assert!(set_cookie.contains("; Secure"), "{set_cookie}");
}
