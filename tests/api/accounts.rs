use std::time::Duration;

use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn register_sign_in_me_sign_out() {
    let app = TestApp::spawn().await;
    let a = app.register(" Li.Hua@Example.CN ", "长城内外惟余莽莽", "李华").await;
    assert_eq!(a.ok(202), &json!({ "email": "li.hua@example.cn", "next": "/api/v1/auth/login" }));

    let token = app.login("li.hua@example.cn", "长城内外惟余莽莽").await;
    let me = app.get("/api/v1/auth/me", Some(&token)).await;
    assert_eq!(me.ok(200)["display_name"], "李华");
    assert_eq!(me.body["role"], "resident");
    assert!(me.body.get("password_hash").is_none());
    assert_eq!(me.headers["cache-control"], "no-store");

    app.request(reqwest::Method::POST, "/api/v1/auth/logout", Some(&token), None).await.ok(204);
    let after = app.get("/api/v1/auth/me", Some(&token)).await;
    after.problem(401);
    assert_eq!(after.body["detail"], "您已退出登录，请重新登录。");
}

#[tokio::test]
async fn registration_rules_answer_field_errors_in_the_request_language() {
    let app = TestApp::spawn().await;
    let a = app
        .send(
            app.client
                .post(app.url("/api/v1/auth/register"))
                .header("accept-language", "en-GB,en;q=0.9")
                .json(&json!({ "email": "not-an-email", "password": "12345678", "display_name": " " })),
        )
        .await;
    a.problem(422);
    assert_eq!(a.error_fields(), vec!["email", "password", "display_name"]);
    assert_eq!(a.body["errors"][1]["code"], "too_common");
    assert_eq!(a.body["errors"][0]["message"], "Enter a valid e-mail address.");

    let first = app.register("wang@example.cn", "a-long-enough-pass", "王").await;
    // A taken address gets exactly the answer a new one gets: registration tells nobody who
    // has an account. Only the first password signs in.
    let dup = app.register("WANG@example.cn", "another-long-pass", "王二").await;
    assert_eq!(dup.ok(202), first.ok(202));
    app.login("wang@example.cn", "a-long-enough-pass").await;
    app.post("/api/v1/auth/login", None, json!({ "email": "wang@example.cn", "password": "another-long-pass" }))
        .await
        .problem(401);

    let short = app.register("x@example.cn", "short", "x").await;
    short.problem(422);
    assert_eq!(short.body["errors"][0]["code"], "too_short");
}

#[tokio::test]
async fn registration_is_limited_per_client_address() {
    let app = TestApp::spawn_with(|c| {
        c.register_max_per_address = 3;
        c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    let register = |i: u32, client: &'static str| {
        app.send(app.client.post(app.url("/api/v1/auth/register")).header("x-forwarded-for", client).json(
            &json!({ "email": format!("r{i}@example.cn"), "password": "a-long-enough-pass", "display_name": "居民" }),
        ))
    };
    for i in 0..3 {
        register(i, "203.0.113.5").await.ok(202);
    }
    let refused = register(3, "203.0.113.5").await;
    refused.problem(429);
    assert!(refused.headers.contains_key("retry-after"));
    // The refused registration made no account; another network is not held back.
    app.post("/api/v1/auth/login", None, json!({ "email": "r3@example.cn", "password": "a-long-enough-pass" }))
        .await
        .problem(401);
    register(4, "198.51.100.5").await.ok(202);
    app.login("r4@example.cn", "a-long-enough-pass").await;
}

#[tokio::test]
async fn wrong_password_and_unknown_account_get_the_same_answer() {
    let app = TestApp::spawn_demo().await;
    let wrong =
        app.post("/api/v1/auth/login", None, json!({ "email": RESIDENT, "password": "not-the-password" })).await;
    let unknown = app
        .post("/api/v1/auth/login", None, json!({ "email": "nobody@wenji.demo", "password": "not-the-password" }))
        .await;
    wrong.problem(401);
    unknown.problem(401);
    assert_eq!(wrong.body["detail"], unknown.body["detail"]);
    assert_eq!(wrong.body["code"], unknown.body["code"]);
}

#[tokio::test]
async fn sign_in_is_throttled_per_account() {
    let app = TestApp::spawn_with(|c| c.sign_in_max_failures_per_account = 3).await;
    wenji::demo::load(&app.db).await.unwrap();
    for _ in 0..3 {
        app.post("/api/v1/auth/login", None, json!({ "email": RESIDENT, "password": "wrong-password" }))
            .await
            .problem(401);
    }
    // Even the right password is refused while the account is throttled.
    let refused = app.post("/api/v1/auth/login", None, json!({ "email": RESIDENT, "password": DEMO_PASSWORD })).await;
    refused.problem(429);
    let retry: u64 = refused.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= 15 * 60, "retry-after {retry}");
    // Other accounts are not affected.
    app.login_demo(FGW_STAFF).await;
}

#[tokio::test]
async fn sign_in_is_throttled_per_client_address() {
    let app = TestApp::spawn_with(|c| {
        c.sign_in_max_failures_per_address = 4;
        c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    wenji::demo::load(&app.db).await.unwrap();
    let attempt = |email: String, ip: &'static str| {
        app.send(
            app.client
                .post(app.url("/api/v1/auth/login"))
                .header("x-forwarded-for", ip)
                .json(&json!({ "email": email, "password": "wrong-password" })),
        )
    };
    for i in 0..4 {
        attempt(format!("guess{i}@example.cn"), "203.0.113.7").await.problem(401);
    }
    attempt("guess9@example.cn".into(), "203.0.113.7").await.problem(429);
    attempt("guess9@example.cn".into(), "198.51.100.1").await.problem(401);
    // What the client itself wrote left of the proxy's entry changes nothing.
    attempt("guess9@example.cn".into(), "198.51.100.9, 203.0.113.7").await.problem(429);
}

/// A forwarding header from a peer that is not a configured proxy is the client's own
/// invention: it must not open a new throttling bucket.
#[tokio::test]
async fn forwarding_headers_from_untrusted_peers_are_ignored() {
    let app = TestApp::spawn_with(|c| c.sign_in_max_failures_per_address = 3).await;
    wenji::demo::load(&app.db).await.unwrap();
    for i in 0..3 {
        app.send(
            app.client
                .post(app.url("/api/v1/auth/login"))
                .header("x-forwarded-for", format!("203.0.113.{i}"))
                .json(&json!({ "email": format!("guess{i}@example.cn"), "password": "wrong-password" })),
        )
        .await
        .problem(401);
    }
    let refused = app
        .send(
            app.client
                .post(app.url("/api/v1/auth/login"))
                .header("x-forwarded-for", "198.51.100.77")
                .json(&json!({ "email": "another@example.cn", "password": "wrong-password" })),
        )
        .await;
    refused.problem(429);
}

#[tokio::test]
async fn a_successful_sign_in_resets_the_account_counter() {
    let app = TestApp::spawn_with(|c| c.sign_in_max_failures_per_account = 3).await;
    wenji::demo::load(&app.db).await.unwrap();
    for _ in 0..2 {
        app.post("/api/v1/auth/login", None, json!({ "email": RESIDENT, "password": "wrong-password" }))
            .await
            .problem(401);
    }
    app.login_demo(RESIDENT).await;
    for _ in 0..2 {
        app.post("/api/v1/auth/login", None, json!({ "email": RESIDENT, "password": "wrong-password" }))
            .await
            .problem(401);
    }
    app.login_demo(RESIDENT).await;
}

#[tokio::test]
async fn sessions_expire() {
    let app = TestApp::spawn_with(|c| c.session_ttl = Duration::from_secs(1)).await;
    wenji::demo::load(&app.db).await.unwrap();
    let token = app.login_demo(RESIDENT).await;
    app.get("/api/v1/auth/me", Some(&token)).await.ok(200);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let a = app.get("/api/v1/auth/me", Some(&token)).await;
    a.problem(401);
    assert_eq!(a.body["detail"], "登录已过期，请重新登录。");
}

#[tokio::test]
async fn idle_sessions_expire() {
    let app = TestApp::spawn_with(|c| c.session_idle_timeout = Duration::from_secs(1)).await;
    wenji::demo::load(&app.db).await.unwrap();
    let token = app.login_demo(RESIDENT).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    app.get("/api/v1/auth/me", Some(&token)).await.problem(401);
}

#[tokio::test]
async fn tokens_are_stored_only_as_hashes() {
    use sea_orm::EntityTrait;
    let app = TestApp::spawn_demo().await;
    let token = app.login_demo(RESIDENT).await;
    let sessions = wenji::entities::sessions::Entity::find().all(app.db.conn()).await.unwrap();
    assert_eq!(sessions.len(), 1);
    assert_ne!(sessions[0].token_hash, token);
    assert!(!sessions[0].token_hash.contains(&token[4..]));
    assert_eq!(sessions[0].token_hash, wenji::accounts::token::hash(&token));
    let accounts = wenji::entities::accounts::Entity::find().all(app.db.conn()).await.unwrap();
    assert!(accounts.iter().all(|a| a.password_hash.starts_with("$argon2id$")));
}

#[tokio::test]
async fn malformed_and_unknown_tokens_are_refused() {
    let app = TestApp::spawn_demo().await;
    app.get("/api/v1/auth/me", Some("garbage")).await.problem(401);
    app.get("/api/v1/auth/me", Some(&wenji::accounts::token::generate())).await.problem(401);
    app.get("/api/v1/auth/me", None).await.problem(401);
}
