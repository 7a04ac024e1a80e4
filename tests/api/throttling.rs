//! Sign-in throttling under pressure: attempts are counted before the password is checked,
//! the guesser is held back more than the account, and odd input never gets through.

use serde_json::json;

use crate::helpers::*;

async fn login_from(app: &TestApp, email: &str, password: &str, client: &str) -> Answer {
    app.send(
        app.client
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", client)
            .json(&json!({ "email": email, "password": password })),
    )
    .await
}

/// Thirty guesses at once at an account allowed five failures: five reach the password
/// check, the others are refused before it, however they interleave.
#[tokio::test]
async fn parallel_guesses_are_counted_before_the_password_check() {
    let app = TestApp::spawn_with(|c| {
        c.sign_in_max_failures_per_account = 5;
        c.sign_in_max_failures_per_address = 1000;
    })
    .await;
    wenji::demo::load(&app.db).await.unwrap();
    let answers = join_all((0..30).map(|i| {
        let app = &app;
        async move {
            app.post("/api/v1/auth/login", None, json!({ "email": RESIDENT, "password": format!("guess-{i}-wrong") }))
                .await
        }
    }))
    .await;
    let statuses: Vec<u16> = answers.iter().map(|a| a.status.as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 401).count(), 5, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 25, "{statuses:?}");
}

/// A guesser failing at the platform admin's account from elsewhere cannot lock the admin
/// out: a client the admin has signed in from before still gets in with the right password;
/// a new client does not while the account is throttled.
#[tokio::test]
async fn the_owner_is_not_locked_out_by_a_guesser_elsewhere() {
    let app = TestApp::spawn_with(|c| {
        c.sign_in_max_failures_per_account = 5;
        c.sign_in_max_failures_per_address = 1000;
        c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    wenji::demo::load(&app.db).await.unwrap();
    let office = "198.51.100.10";
    login_from(&app, PLATFORM_ADMIN, DEMO_PASSWORD, office).await.ok(200);
    for i in 0..5 {
        login_from(&app, PLATFORM_ADMIN, &format!("guess-{i}"), "203.0.113.66").await.problem(401);
    }
    login_from(&app, PLATFORM_ADMIN, "guess-9", "203.0.113.66").await.problem(429);
    login_from(&app, PLATFORM_ADMIN, DEMO_PASSWORD, "192.0.2.44").await.problem(429);
    login_from(&app, PLATFORM_ADMIN, DEMO_PASSWORD, office).await.ok(200);
    // The guesser is still held back after the owner's success…
    login_from(&app, PLATFORM_ADMIN, "guess-10", "203.0.113.66").await.problem(429);
}

/// An e-mail that grows when lower-cased, at the longest length accepted, is throttled like
/// any other: a clean 401 and then 429, never a server error (the counters' keys are hashes
/// of fixed length).
#[tokio::test]
async fn odd_and_long_e_mails_are_throttled_cleanly() {
    let app = TestApp::spawn_with(|c| c.sign_in_max_failures_per_account = 2).await;
    let email = "İ".repeat(254);
    for _ in 0..2 {
        app.post("/api/v1/auth/login", None, json!({ "email": email, "password": "wrong-password" }))
            .await
            .problem(401);
    }
    app.post("/api/v1/auth/login", None, json!({ "email": email, "password": "wrong-password" })).await.problem(429);
}
