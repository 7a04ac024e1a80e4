//! HEAD answers every GET route with the GET's status and headers and no body: the API, the
//! docs, the spec, the operations endpoints and the frontend's pages.

use reqwest::Method;

use crate::helpers::*;

/// Headers that differ between any two answers.
const PER_REQUEST: &[&str] = &["x-request-id", "date"];

async fn same_as_get(app: &TestApp, path: &str) -> (u16, usize) {
    let get = app.send(app.client.get(app.url(path))).await;
    let head = app.send(app.client.request(Method::HEAD, app.url(path))).await;
    assert_eq!(head.status, get.status, "HEAD {path}");
    assert_eq!(head.text, "", "HEAD {path} has no body");
    let strip = |h: &reqwest::header::HeaderMap| {
        let mut v: Vec<(String, String)> = h
            .iter()
            .filter(|(k, _)| !PER_REQUEST.contains(&k.as_str()))
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        v.sort();
        v
    };
    let mut get_headers = strip(&get.headers);
    if !get_headers.iter().any(|(k, _)| k == "content-length") {
        get_headers.push(("content-length".into(), get.text.len().to_string()));
        get_headers.sort();
    }
    assert_eq!(strip(&head.headers), get_headers, "HEAD {path} has the GET's headers");
    assert_eq!(
        head.headers.get("content-length").and_then(|v| v.to_str().ok()),
        Some(get.text.len().to_string().as_str()),
        "HEAD {path} announces the GET's length"
    );
    (get.status.as_u16(), get.text.len())
}

#[tokio::test]
async fn head_answers_like_get_without_the_body() {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(site.path().join("index.html"), "<!doctype html><title>问计</title><div id=app></div>").unwrap();
    std::fs::create_dir(site.path().join("assets")).unwrap();
    std::fs::write(site.path().join("assets").join("app-1a2b.js"), "console.log('问计')").unwrap();
    let dir = site.path().to_path_buf();
    let app = TestApp::spawn_with(|c| c.frontend_dir = Some(dir)).await;
    wenji::demo::load(&app.db).await.unwrap();

    for (path, status) in [
        ("/", 200),
        ("/consultations/0196a1b2-0000-7000-8000-000000000000", 200),
        ("/assets/app-1a2b.js", 200),
        ("/api/v1/decisions", 200),
        ("/api/v1/policy-areas", 200),
        ("/api/v1/decisions/0196a1b2-0000-7000-8000-000000000000", 404),
        ("/api/v1/nothing-here", 404),
        ("/api/v1/auth/me", 401),
        ("/docs", 200),
        ("/openapi.json", 200),
        ("/openapi.yaml", 200),
        ("/healthz", 200),
        ("/readyz", 200),
    ] {
        let (got, length) = same_as_get(&app, path).await;
        assert_eq!(got, status, "GET {path}");
        assert!(length > 0, "GET {path} has a body for HEAD to leave out");
    }
    // A route that has no GET answers HEAD as it answers GET: 405, with no body.
    let (got, _) = same_as_get(&app, "/api/v1/auth/login").await;
    assert_eq!(got, 405);
}
