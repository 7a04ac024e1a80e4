//! No personal data in public: plant unique markers in every private field, then crawl every
//! public GET operation of the spec — every page of every list — anonymously and as a
//! resident, and fail if any marker appears. New public operations are crawled
//! automatically; a new path parameter needs a way to enumerate its values below.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::authz_matrix::spec_operations;
use crate::helpers::*;

/// Public GET operations: no security requirement, or an optional one.
fn public_get_operations() -> Vec<(String, String)> {
    let spec: Value = serde_json::from_str(&wenji::http::api_service().spec()).unwrap();
    spec_operations()
        .into_iter()
        .filter(|(_, method, _)| method == "GET")
        .filter(|(_, _, path)| {
            let security = &spec["paths"][path]["get"]["security"];
            security.is_null()
                || security.as_array().is_some_and(|s| s.iter().any(|r| r.as_object().is_some_and(|o| o.is_empty())))
        })
        .map(|(id, _, path)| (id, path))
        .collect()
}

#[tokio::test]
async fn no_public_response_carries_personal_data() {
    let app = TestApp::spawn_demo().await;
    let marker = format!("leakmark{}", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let secret_password = format!("{marker}-password");

    // Plant: a resident and staff accounts whose e-mail addresses and passwords carry the marker.
    app.register(&format!("{marker}.resident@example.cn"), &secret_password, "公开昵称").await.ok(201);
    let admin = app.login_demo(PLATFORM_ADMIN).await;
    let fgw = app.agency_id(FGW).await;
    app.post(
        &format!("/api/v1/agencies/{fgw}/staff"),
        Some(&admin),
        json!({ "email": format!("{marker}.staff@example.cn"), "display_name": "工作人员", "password": secret_password, "role": "agency_staff" }),
    )
    .await
    .ok(201);
    let resident_token = app.login(&format!("{marker}.resident@example.cn"), &secret_password).await;
    let tokens = [admin.clone(), resident_token.clone()];

    let mut markers: Vec<String> = vec![marker.clone(), "@wenji.demo".into(), "$argon2".into()];
    markers.extend(tokens.iter().cloned());

    // Values for path parameters.
    let agencies = app.get("/api/v1/agencies?per_page=200", None).await;
    let mut params: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    params.insert(
        "agency_id",
        agencies.ok(200)["items"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_string()).collect(),
    );

    let mut crawled = 0;
    let mut operations = 0;
    for (op, template) in public_get_operations() {
        operations += 1;
        let mut paths = vec![template.clone()];
        for (name, values) in &params {
            let placeholder = format!("{{{name}}}");
            if template.contains(&placeholder) {
                let placeholder = &placeholder;
                paths = paths.iter().flat_map(|p| values.iter().map(move |v| p.replace(placeholder, v))).collect();
            }
        }
        assert!(!paths.iter().any(|p| p.contains('{')), "{op}: no values known for a parameter of {template}");
        for path in paths {
            for token in [None, Some(resident_token.as_str())] {
                let mut page = 1;
                loop {
                    let sep = if path.contains('?') { '&' } else { '?' };
                    let url = format!("/api/v1{path}{sep}page={page}&per_page=3");
                    let a = app.get(&url, token).await;
                    crawled += 1;
                    assert!(a.status.is_success(), "{op} {url}: {}", a.status);
                    let haystack = format!("{:?}{}", a.headers, a.text);
                    for m in &markers {
                        assert!(!haystack.contains(m.as_str()), "{op} {url} leaks {m:?}: {}", a.text);
                    }
                    match a.body["meta"]["total_pages"].as_u64() {
                        Some(total) if page < total => page += 1,
                        _ => break,
                    }
                }
            }
        }
    }
    for path in ["/healthz", "/readyz", "/metrics", "/openapi.json"] {
        let a = app.get(path, None).await;
        crawled += 1;
        for m in &markers {
            assert!(!a.text.contains(m.as_str()), "{path} leaks {m:?}");
        }
    }
    assert!(operations >= 3, "expected the public operations, found {operations}");
    eprintln!("leak crawl: {operations} public operations, {crawled} responses, {} markers, 0 leaks", markers.len());
}
