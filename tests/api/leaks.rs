//! No personal data in public: plant unique markers in every private field, then crawl every
//! public GET operation of the spec — every page of every list — anonymously and as a
//! resident, and fail if any marker appears. New public operations are crawled
//! automatically; a new path parameter needs a way to enumerate its values below.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::helpers::*;

/// Public GET operations: no security requirement, or an optional one.
fn public_get_operations() -> Vec<(String, String)> {
    let spec: Value = serde_json::from_str(&wenji::routes::api_service().spec()).unwrap();
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
    let app = spawn_demo_without_comment_limits().await;
    let marker = format!("leakmark{}", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let secret_password = format!("{marker}-password");

    // Plant: a resident and staff accounts whose e-mail addresses and passwords carry the marker.
    app.register(&format!("{marker}.resident@example.cn"), &secret_password, "公开昵称").await.ok(202);
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
    let draft = create_decision(&app, &staff, &format!("草稿{marker}")).await;
    add_text_version(&app, &staff, &draft, &format!("第一条 {marker}草案内容。")).await;
    let (published, _) = published_decision(&app, "已公开的决策").await;
    let closed = published_decision(&app, "已结束的决策").await.0;
    // A comment with contact details under a viewpoint, then the feedback report published:
    // the report, its versions, canonical text and check are crawled too.
    let answered =
        json!({ "body": "请增加停车位", "category": "individual", "contact_email": format!("{marker}.r@example.cn") });
    let answered = comment(&app, &closed, None, answered).await.ok(201)["comment"]["id"].clone();
    let v = app
        .post(&format!("/api/v1/decisions/{closed}/viewpoints"), Some(&staff), json!({ "title": "增加停车位" }))
        .await;
    let v = v.ok(201)["id"].as_str().unwrap().to_string();
    let assign = json!({ "viewpoint_id": v, "comment_ids": [answered] });
    app.post(&format!("/api/v1/decisions/{closed}/viewpoint-assignments"), Some(&staff), assign).await.ok(200);
    let adopted = json!({ "disposition": "adopted" });
    app.request(reqwest::Method::PUT, &format!("/api/v1/viewpoints/{v}/disposition"), Some(&staff), Some(adopted))
        .await
        .ok(200);
    close_window_now(&app, &closed).await;
    app.post(&format!("/api/v1/decisions/{closed}/feedback-reports"), Some(&staff), json!({})).await.ok(201);
    add_text_version(&app, &staff, &closed, &format!("第一条 修订稿{marker}。")).await;

    // Attachments: one of the draft (not public), one of the published decision.
    let secret_pdf = format!("%PDF-1.4 {marker} draft attachment");
    let hidden_attachment = upload(&app, Some(&staff), &draft, "内部.pdf", secret_pdf.as_bytes()).await;
    let hidden_attachment = hidden_attachment.ok(201)["id"].as_str().unwrap().to_string();
    let public_attachment = upload(&app, Some(&staff), &published, "公开.pdf", PDF).await;
    let public_attachment = public_attachment.ok(201)["id"].as_str().unwrap().to_string();

    // Comments: private contact details, an internal moderation note, and a hidden comment.
    let phone = format!("139{}", &uuid::Uuid::new_v4().as_u128().to_string()[..8]);
    let c = comment(
        &app,
        &published,
        None,
        json!({ "body": "公开的意见", "category": "individual", "display_name": "公开署名", "contact_phone": phone, "contact_email": format!("{marker}.c@example.cn") }),
    )
    .await;
    let tracking = c.ok(201)["receipt"]["tracking_number"].as_str().unwrap().to_string();
    let hidden = comment(&app, &published, None, simple(&format!("应被隐藏的意见{marker}"))).await;
    let hidden_id = hidden.ok(201)["comment"]["id"].clone();
    app.post(
        &format!("/api/v1/decisions/{published}/moderation/actions"),
        Some(&staff),
        json!({ "action": "hide", "reason": "abusive", "note": format!("内部备注{marker}"), "comment_ids": [hidden_id] }),
    )
    .await
    .ok(200);
    markers.push(phone);

    // Meetings and open days: an attendance request and a registration with marked private
    // fields, and a closed agenda item.
    let soon = |h: i64| (chrono::Utc::now() + chrono::TimeDelta::hours(h)).to_rfc3339();
    let meeting = json!({ "title": "公开会议", "kind": "hearing", "starts_at": soon(30), "ends_at": soon(32),
        "venue": "听证室", "attendance_capacity": 5,
        "agenda": [{ "title": "公开议题", "openness": "both" }, { "title": "内部议题", "openness": "closed" }] });
    let meeting = app.post("/api/v1/meetings", Some(&staff), meeting).await.ok(201)["id"].as_str().unwrap().to_string();
    let phone2 = format!("137{}", &uuid::Uuid::new_v4().as_u128().to_string()[..8]);
    let request = json!({ "name": format!("申请人{marker}"), "category": "resident", "reason": format!("理由{marker}"),
        "phone": phone2, "email": format!("{marker}.a@example.cn") });
    app.post(&format!("/api/v1/meetings/{meeting}/attendance-requests"), None, request).await.ok(201);
    let day = json!({ "title": "开放日", "venue": "区政务服务中心", "starts_at": soon(50), "ends_at": soon(53), "capacity": 1,
        "registration_opens_at": soon(-1), "registration_closes_at": soon(49), "required_fields": ["id_number"] });
    let day = app.post("/api/v1/open-days", Some(&staff), day).await.ok(201)["id"].as_str().unwrap().to_string();
    for (i, id_number) in ["11010519491231002X", "110101199003078515"].into_iter().enumerate() {
        let r = json!({ "name": format!("报名{marker}{i}"), "phone": phone2, "email": format!("{marker}.o{i}@example.cn"), "id_number": id_number, "organisation": format!("单位{marker}") });
        app.post(&format!("/api/v1/open-days/{day}/registrations"), None, r).await.ok(201);
        markers.push(id_number.to_string());
    }
    markers.push(phone2);

    // The disclosure catalogue: a report with a marked private contact, answered (so that it
    // is public), and a removed item whose marked name must not be public any more.
    let area = area_id(&app).await;
    let item = json!({ "policy_area_id": area, "item": "公开事项", "basis": "《条例》", "content": "名称",
        "time_limit": "实时", "channels": ["政府网站"], "attribute": "proactive" });
    let item =
        app.post("/api/v1/disclosure-items", Some(&staff), item).await.ok(201)["id"].as_str().unwrap().to_string();
    let phone3 = format!("136{}", &uuid::Uuid::new_v4().as_u128().to_string()[..8]);
    let report = json!({ "kind": "outdated", "body": "名单过时", "contact": phone3 });
    let report = app.post(&format!("/api/v1/disclosure-items/{item}/reports"), None, report).await;
    let report = report.ok(201)["id"].as_str().unwrap().to_string();
    app.post(&format!("/api/v1/disclosure-reports/{report}/answer"), Some(&staff), json!({ "answer": "已更新" }))
        .await
        .ok(200);
    let gone = json!({ "policy_area_id": area, "item": format!("撤下事项{marker}"), "basis": "《条例》", "content": "名称",
        "time_limit": "实时", "channels": ["政府网站"], "attribute": "proactive" });
    let gone =
        app.post("/api/v1/disclosure-items", Some(&staff), gone).await.ok(201)["id"].as_str().unwrap().to_string();
    app.post(&format!("/api/v1/disclosure-items/{gone}/remove"), Some(&staff), json!({})).await.ok(200);
    markers.push(phone3);

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
    params.insert("version", vec!["1".into(), "2".into()]);
    params.insert("tracking_number", vec![tracking]);
    params.insert("meeting_id", vec![meeting]);
    params.insert("open_day_id", vec![day]);
    params.insert("item_id", vec![item, gone]);
    params.insert("attachment_id", vec![hidden_attachment, public_attachment]);
    // Receipts are crawled with a wrong secret: they must not open.
    params.insert("X-Receipt-Secret", vec!["WRONGSECRETWRONGSECRETWRON".into()]);

    let spec: Value = serde_json::from_str(&wenji::routes::api_service().spec()).unwrap();
    let mut crawled = 0;
    let mut operations = 0;
    for (op, template) in public_get_operations() {
        operations += 1;
        let declared = spec["paths"][&template]["get"]["parameters"].as_array().cloned().unwrap_or_default();
        let mut urls = vec![(template.clone(), Vec::<String>::new())];
        let mut headers: Vec<(String, String)> = Vec::new();
        for p in declared {
            let (name, location) = (p["name"].as_str().unwrap(), p["in"].as_str().unwrap());
            let required = p["required"].as_bool().unwrap_or(false);
            if (location == "query" || location == "header") && !required {
                continue;
            }
            let values = params.get(name).unwrap_or_else(|| panic!("{op}: no values known for parameter {name}"));
            if location == "header" {
                headers.push((name.to_string(), values[0].clone()));
                continue;
            }
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
                    let mut request = app.client.get(app.url(&url));
                    if let Some(t) = token {
                        request = request.bearer_auth(t);
                    }
                    for (name, value) in &headers {
                        request = request.header(name.as_str(), value.as_str());
                    }
                    let a = app.send(request).await;
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
