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

    // Unpublished work of an agency, marked: a draft decision, and a second (unpublished)
    // version of a published one.
    let staff = app.login_demo(FGW_STAFF).await;
    let draft = crate::decisions::create_decision(&app, &staff, &format!("草稿{marker}")).await;
    crate::decisions::add_text_version(&app, &staff, &draft, &format!("第一条 {marker}草案内容。")).await;
    let (published, _) = crate::decisions::published_decision(&app, "已公开的决策").await;
    let closed = crate::decisions::published_decision(&app, "已结束的决策").await.0;
    crate::authz_matrix::close_window_now(&app, &closed).await;
    crate::decisions::add_text_version(&app, &staff, &closed, &format!("第一条 修订稿{marker}。")).await;

    // Values for parameters, by name.
    let agencies = app.get("/api/v1/agencies?per_page=200", None).await;
    let mut params: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    params.insert(
        "agency_id",
        agencies.ok(200)["items"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_string()).collect(),
    );
    params.insert("decision_id", vec![draft.clone(), published.clone(), closed.clone()]);
    for name in ["number", "from", "to"] {
        params.insert(name, vec!["1".into(), "2".into()]);
    }
    params.insert("year", vec!["2026".into()]);

    let spec: Value = serde_json::from_str(&wenji::http::api_service().spec()).unwrap();
    let mut crawled = 0;
    let mut operations = 0;
    for (op, template) in public_get_operations() {
        operations += 1;
        let declared = spec["paths"][&template]["get"]["parameters"].as_array().cloned().unwrap_or_default();
        let mut urls = vec![(template.clone(), Vec::<String>::new())];
        for p in declared {
            let (name, location) = (p["name"].as_str().unwrap(), p["in"].as_str().unwrap());
            let required = p["required"].as_bool().unwrap_or(false);
            if location == "query" && !required {
                continue;
            }
            let values = params.get(name).unwrap_or_else(|| panic!("{op}: no values known for parameter {name}"));
            urls = urls
                .into_iter()
                .flat_map(|(path, query)| {
                    values.iter().map(move |v| {
                        if location == "path" {
                            (path.replace(&format!("{{{name}}}"), v), query.clone())
                        } else {
                            let mut q = query.clone();
                            q.push(format!("{name}={v}"));
                            (path.clone(), q)
                        }
                    })
                })
                .collect();
        }
        for (path, query) in urls {
            for token in [None, Some(resident_token.as_str())] {
                let mut page = 1;
                loop {
                    let mut q = query.clone();
                    q.push(format!("page={page}&per_page=3"));
                    let url = format!("/api/v1{path}?{}", q.join("&"));
                    let a = app.get(&url, token).await;
                    crawled += 1;
                    assert!(a.status.is_success() || a.status == 404, "{op} {url}: {}", a.status);
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
    assert!(operations >= 10, "expected the public operations, found {operations}");
    eprintln!("leak crawl: {operations} public operations, {crawled} responses, {} markers, 0 leaks", markers.len());
}
