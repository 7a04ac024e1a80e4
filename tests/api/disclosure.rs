//! The disclosure standard catalogue: realistic imports (GB18030 CSV and XLSX), per-row
//! reports, all-or-nothing, export round trips, history, reports and answers, coverage, and
//! who may change what. Runs on SQLite and, with WENJI_TEST_POSTGRES_URL, on PostgreSQL.

use reqwest::Method;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::helpers::*;

/// Uploads `content` to the import with `query` (`mode=…&dry_run=…`).
async fn import(app: &TestApp, token: Option<&str>, query: &str, name: &str, content: &[u8]) -> Answer {
    let (content_type, body) = multipart(name, content);
    let mut req = app
        .client
        .request(Method::POST, app.url(&format!("/api/v1/disclosure-imports?{query}")))
        .header("content-type", content_type)
        .body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    app.send(req).await
}

fn gb18030_csv(rows: Vec<Vec<String>>) -> Vec<u8> {
    let utf8 = String::from_utf8(wenji::disclosure::sheet::write_csv(rows.into_iter())).unwrap();
    let text = utf8.trim_start_matches('\u{feff}');
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "the file must really be GB18030, not UTF-8");
    bytes.into_owned()
}

async fn count_items(app: &TestApp) -> u64 {
    wenji::entities::disclosure_items::Entity::find().count(app.db.conn()).await.unwrap()
}

async fn count_versions(app: &TestApp) -> u64 {
    wenji::entities::disclosure_item_changes::Entity::find().count(app.db.conn()).await.unwrap()
}

async fn download(app: &TestApp, path: &str) -> Vec<u8> {
    let resp = app.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(resp.status(), 200, "{path}");
    resp.bytes().await.unwrap().to_vec()
}

#[tokio::test]
async fn a_realistic_catalogue_imports_from_gb18030_and_xlsx_and_exports_round_trip() {
    let app = TestApp::spawn_demo().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let fgw = app.agency_id(FGW).await;
    let rows = wenji::demo::demo_catalogue_rows(FGW);
    let areas: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert!(rows.len() >= 200 && areas.len() >= 8, "{} rows in {} areas", rows.len(), areas.len());
    let n = rows.len() as u64;

    let report = import(&app, Some(&staff), "", "目录.csv", &gb18030_csv(rows.clone())).await;
    let report = report.ok(200);
    assert_eq!(report["encoding"], "gb18030");
    assert_eq!(report["applied"], true);
    assert_eq!((report["created"].as_u64(), report["refused"].as_u64()), (Some(n), Some(0)), "{report}");
    assert_eq!(report["unknown_columns"], json!([]));
    assert_eq!(count_items(&app).await, n);
    assert_eq!(count_versions(&app).await, n, "one version per new item");
    let listed = app.get(&format!("/api/v1/disclosure-items?agency_id={fgw}&per_page=1"), None).await;
    assert_eq!(listed.ok(200)["meta"]["total"].as_u64(), Some(n));

    // Export then import, both formats: a no-op.
    for format in ["csv", "xlsx"] {
        let file = download(&app, &format!("/api/v1/disclosure-catalogue.{format}?agency_id={fgw}")).await;
        let again = import(&app, Some(&staff), "", &format!("export.{format}"), &file).await;
        let again = again.ok(200);
        assert_eq!(
            (again["created"].as_u64(), again["changed"].as_u64(), again["unchanged"].as_u64()),
            (Some(0), Some(0), Some(n)),
            "{format}: {again}"
        );
    }
    assert_eq!(count_versions(&app).await, n, "a round trip writes no version");

    // The same catalogue as XLSX into another agency's catalogue.
    let zjj = app.login_demo(ZJJ_STAFF).await;
    let xlsx = wenji::disclosure::sheet::write_xlsx(wenji::demo::demo_catalogue_rows(ZJJ).into_iter()).unwrap();
    let report = import(&app, Some(&zjj), "", "目录.xlsx", &xlsx).await;
    let report = report.ok(200);
    assert_eq!((report["encoding"].as_str(), report["created"].as_u64()), (Some("xlsx"), Some(n)));
    assert_eq!(count_items(&app).await, 2 * n);

    // Search by a two-character word, across agencies, and within one.
    let found = app.get("/api/v1/disclosure-items?q=%E5%8A%A9%E9%A4%90&per_page=100", None).await; // 助餐
    let found = found.ok(200);
    assert_eq!(found["meta"]["total"], 2, "{found}");
    assert!(found["items"].as_array().unwrap().iter().all(|i| i["sub_item"] == "老年助餐点"));
    let one = app.get(&format!("/api/v1/disclosure-items?q=%E5%8A%A9%E9%A4%90&agency_id={fgw}"), None).await;
    assert_eq!(one.ok(200)["meta"]["total"], 1);
}

#[tokio::test]
async fn a_file_with_errors_is_reported_row_by_row_and_all_or_nothing_writes_nothing() {
    let app = TestApp::spawn_demo().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let csv = "序号,领域,一级事项,二级事项,公开依据,公开内容（要素）,公开时限,公开渠道,公开属性,备注\n\
        1,养老服务,养老机构管理,养老机构名录,《养老机构管理办法》,名称、地址,20个工作日内,政府网站、公示栏,主动公开,\n\
        2,不存在的领域,某事项,,依据,内容,实时,政府网站,主动公开,\n\
        3,社会救助,最低生活保障,低保标准,《社会救助暂行办法》,,每季度,政府网站,主动公开,\n\
        4,社会救助,临时救助,临时救助标准,《社会救助暂行办法》,标准,实时,政府网站；抖音,依申请,\n\
        5,养老服务,养老机构管理,养老机构名录,《办法》,重复,20个工作日内,政府网站,主动公开,\n";

    let refused = import(&app, Some(&staff), "mode=all_or_nothing", "errors.csv", csv.as_bytes()).await;
    let report = refused.ok(200);
    assert_eq!(report["applied"], false);
    assert_eq!((report["created"].as_u64(), report["refused"].as_u64()), (Some(1), Some(4)));
    assert_eq!(report["unknown_columns"], json!(["备注"]));
    assert_eq!(count_items(&app).await, 0, "a refused all-or-nothing import writes nothing");
    assert_eq!(count_versions(&app).await, 0);
    let issues = |row: u64| -> Vec<(String, String, String)> {
        let r = report["rows"].as_array().unwrap().iter().find(|r| r["row"] == row).unwrap();
        r["issues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["field"].as_str().unwrap().into(),
                    i["column"].as_str().unwrap().into(),
                    i["code"].as_str().unwrap().into(),
                )
            })
            .collect()
    };
    assert_eq!(issues(3), [("policy_area".into(), "领域".into(), "unknown_policy_area".into())]);
    assert_eq!(issues(4), [("content".into(), "公开内容（要素）".into(), "required".into())]);
    assert_eq!(issues(5), [("channels".into(), "公开渠道".into(), "unknown_channel".into())]);
    assert_eq!(issues(6), [("item".into(), "一级事项".into(), "duplicate_row".into())]);

    // The same in English.
    let (content_type, body) = multipart("errors.csv", csv.as_bytes());
    let en = app
        .client
        .post(app.url("/api/v1/disclosure-imports?dry_run=true"))
        .bearer_auth(&staff)
        .header("accept-language", "en")
        .header("content-type", content_type)
        .body(body);
    let en = app.send(en).await;
    let message = en.ok(200)["rows"][1]["issues"][0]["message"].as_str().unwrap().to_string();
    assert!(message.contains("No policy area"), "{message}");

    // A preview of a good file writes nothing; valid rows only writes the accepted one.
    let preview = import(&app, Some(&staff), "dry_run=true&mode=valid_rows", "errors.csv", csv.as_bytes()).await;
    assert_eq!(preview.ok(200)["applied"], false);
    assert_eq!(count_items(&app).await, 0);
    let valid = import(&app, Some(&staff), "mode=valid_rows", "errors.csv", csv.as_bytes()).await;
    let valid = valid.ok(200);
    assert_eq!((valid["applied"].as_bool(), valid["created"].as_u64()), (Some(true), Some(1)));
    assert_eq!(count_items(&app).await, 1);

    // Files that cannot be read at all.
    let missing = import(&app, Some(&staff), "", "a.csv", "事项,内容\n一,二\n".as_bytes()).await;
    assert_eq!(missing.problem(422)["errors"][0]["code"], "missing_columns");
    let garbage = import(&app, Some(&staff), "", "a.csv", &[0x81, 0x20, 0xff, 0xfe, 0x00, 0x01]).await;
    assert_eq!(garbage.error_fields(), ["file"]);
    let broken_zip = import(&app, Some(&staff), "", "a.xlsx", b"PK\x03\x04not really a zip").await;
    assert_eq!(broken_zip.problem(422)["errors"][0]["field"], "file");
    assert_eq!(count_items(&app).await, 1, "nothing already stored was lost");
}

fn item_body(agency: &str, area: &str, item: &str) -> Value {
    json!({ "agency_id": agency, "policy_area_id": area, "item": item, "sub_item": "名录",
        "basis": "《养老机构管理办法》", "content": "名称、地址", "time_limit": "20个工作日内",
        "channels": ["政府网站"], "attribute": "proactive" })
}

async fn area(app: &TestApp) -> String {
    let areas = app.get("/api/v1/policy-areas?per_page=100", None).await;
    areas.ok(200)["items"].as_array().unwrap().iter().find(|a| a["name"] == "养老服务").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn every_change_is_kept_field_by_field_and_only_the_agency_changes_its_items() {
    let app = TestApp::spawn_demo().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let other = app.login_demo(ZJJ_STAFF).await;
    let fgw = app.agency_id(FGW).await;
    let area = area(&app).await;
    let created = app.post("/api/v1/disclosure-items", Some(&staff), item_body(&fgw, &area, "养老机构")).await;
    let created = created.ok(201).clone();
    let id = created["id"].as_str().unwrap();
    assert_eq!((created["version"].as_i64(), created["time_limit_days"].as_i64()), (Some(1), Some(20)));
    assert_eq!(created["time_limit_working_days"], true);
    assert_eq!(created["responsible_body"], FGW, "a blank responsible body is the agency");
    let again = app.post("/api/v1/disclosure-items", Some(&staff), item_body(&fgw, &area, "养老 机构")).await;
    assert_eq!(again.problem(409)["code"], "item_exists");

    // Another agency's staff, a resident, nobody: refused; nothing changes.
    let mut change = item_body(&fgw, &area, "养老机构");
    change["time_limit"] = json!("10个工作日内");
    change["channels"] = json!(["政府网站", "公示栏"]);
    change["expected_version"] = json!(1);
    let path = format!("/api/v1/disclosure-items/{id}");
    assert_eq!(app.request(Method::PUT, &path, Some(&other), Some(change.clone())).await.status, 403);
    let resident = app.login_demo(RESIDENT).await;
    assert_eq!(app.request(Method::PUT, &path, Some(&resident), Some(change.clone())).await.status, 403);
    assert_eq!(app.request(Method::PUT, &path, None, Some(change.clone())).await.status, 401);
    let taken = import(&app, Some(&other), &format!("agency_id={fgw}"), "a.csv", b"x").await;
    assert_eq!(taken.status, 403, "another agency cannot import into this catalogue");
    let removed = app.post(&format!("{path}/remove"), Some(&other), json!({})).await;
    assert_eq!(removed.status, 403);

    let changed = app.request(Method::PUT, &path, Some(&staff), Some(change.clone())).await;
    assert_eq!(changed.ok(200)["version"], 2);
    let stale = app.request(Method::PUT, &path, Some(&staff), Some(change.clone())).await;
    assert_eq!(stale.problem(409)["code"], "item_changed", "a change made on version 1 after version 2");
    change["expected_version"] = json!(2);
    let same = app.request(Method::PUT, &path, Some(&staff), Some(change.clone())).await;
    assert_eq!(same.ok(200)["version"], 2, "a change that changes nothing makes no version");

    app.post(&format!("{path}/remove"), Some(&staff), json!({ "expected_version": 2 })).await.ok(200);
    assert_eq!(app.get(&path, None).await.status, 404, "a removed item is out of the public catalogue");
    assert_eq!(app.get(&path, Some(&staff)).await.ok(200)["version"], 3);
    let listed = app.get(&format!("/api/v1/disclosure-items?agency_id={fgw}&include_removed=true"), None).await;
    assert_eq!(listed.ok(200)["meta"]["total"], 0, "include_removed is for the agency's staff");
    let listed = app.get(&format!("/api/v1/disclosure-items?agency_id={fgw}&include_removed=true"), Some(&staff)).await;
    assert_eq!(listed.ok(200)["meta"]["total"], 1);
    app.post(&format!("{path}/restore"), Some(&staff), json!({})).await.ok(200);

    let public = app.get(&format!("{path}/history"), None).await;
    let versions = public.ok(200)["versions"].as_array().unwrap().clone();
    let kinds: Vec<&str> = versions.iter().map(|v| v["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["restored", "removed", "changed", "created"]);
    let fields: Vec<&str> =
        versions[2]["changes"].as_array().unwrap().iter().map(|c| c["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["time_limit", "channels"]);
    assert_eq!(
        versions[2]["changes"][1],
        json!({ "field": "channels", "before": "政府网站", "after": "政府网站、公示栏" })
    );
    assert!(versions.iter().all(|v| v.get("changed_by_name").is_none()), "the public does not see who");
    let staff_view = app.get(&format!("{path}/history"), Some(&staff)).await;
    assert_eq!(staff_view.ok(200)["versions"][2]["changed_by_name"], "发改委 李明");

    // A changed row in an import is a version too, with its fields.
    let rows = vec![vec![
        "1".into(),
        "养老服务".into(),
        "养老机构".into(),
        "名录".into(),
        "《养老机构管理办法》".into(),
        "名称、地址、床位数".into(),
        FGW.into(),
        "10个工作日内".into(),
        "政府网站、公示栏".into(),
        "主动公开".into(),
        "全社会".into(),
        "区级".into(),
    ]];
    let r = import(&app, Some(&staff), "", "a.csv", &wenji::disclosure::sheet::write_csv(rows.into_iter())).await;
    assert_eq!(r.ok(200)["changed"], 1);
    let h = app.get(&format!("{path}/history"), None).await;
    assert_eq!(h.ok(200)["versions"][0]["changes"][0]["field"], "content");
}

#[tokio::test]
async fn reports_are_answered_once_and_their_contact_stays_private() {
    let app = TestApp::spawn_with(|c| c.comment_max_per_address = 3).await;
    wenji::demo::load(&app.db).await.unwrap();
    let staff = app.login_demo(FGW_STAFF).await;
    let fgw = app.agency_id(FGW).await;
    let area = area(&app).await;
    let item = app.post("/api/v1/disclosure-items", Some(&staff), item_body(&fgw, &area, "养老机构")).await;
    let item = item.ok(201)["id"].as_str().unwrap().to_string();
    let reports = format!("/api/v1/disclosure-items/{item}/reports");

    let report = json!({ "kind": "outdated", "body": "名单是去年的。", "contact": "13912345678" });
    let receipt = app.post(&reports, None, report.clone()).await;
    let id = receipt.ok(201)["id"].as_str().unwrap().to_string();
    let blank = app.post(&reports, None, json!({ "kind": "missing", "body": "  " })).await;
    assert_eq!(blank.error_fields(), ["body"]);
    let public = app.get(&reports, None).await;
    assert_eq!((public.body["open"].as_i64(), public.body["answered"].as_i64()), (Some(1), Some(0)));
    assert_eq!(public.body["items"], json!([]), "open reports are counted, not shown");
    let staff_list = app.get("/api/v1/disclosure-reports?status=open", Some(&staff)).await;
    assert_eq!(staff_list.ok(200)["items"][0]["contact"], "13912345678");
    let other = app.login_demo(ZJJ_STAFF).await;
    let theirs = app.get(&format!("/api/v1/disclosure-reports?agency_id={fgw}"), Some(&other)).await;
    assert_eq!(theirs.status, 403);
    let own = app.get("/api/v1/disclosure-reports", Some(&other)).await;
    assert_eq!(own.ok(200)["meta"]["total"], 0, "another agency's staff see only their own reports");

    let answer = format!("/api/v1/disclosure-reports/{id}/answer");
    let body = json!({ "answer": "已更新名单。" });
    assert_eq!(app.post(&answer, Some(&other), body.clone()).await.status, 403);
    // Two staff answer at once: one wins, the counts move once.
    let (a, b) =
        tokio::join!(app.post(&answer, Some(&staff), body.clone()), app.post(&answer, Some(&staff), body.clone()));
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    let public = app.get(&reports, None).await;
    assert_eq!((public.body["open"].as_i64(), public.body["answered"].as_i64()), (Some(0), Some(1)));
    assert_eq!(public.body["items"][0]["answer"], "已更新名单。");
    for path in [reports.clone(), format!("/api/v1/disclosure-items/{item}")] {
        let a = app.get(&path, None).await;
        assert!(!a.text.contains("13912345678"), "{path} shows the contact");
    }

    // Limited per client address like comments (3 per window here).
    for _ in 0..2 {
        app.post(&reports, None, json!({ "kind": "missing", "body": "还缺少收费标准。" })).await.ok(201);
    }
    let limited = app.post(&reports, None, json!({ "kind": "missing", "body": "还缺少收费标准。" })).await;
    limited.problem(429);
    assert!(limited.headers.get("retry-after").is_some());
    let counted = app.get(&reports, None).await;
    assert_eq!(counted.body["open"], 2, "the refused report is not counted");
}

#[tokio::test]
async fn coverage_flags_agencies_without_a_catalogue() {
    let app = TestApp::spawn_demo().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let fgw = app.agency_id(FGW).await;
    let area = area(&app).await;
    app.post("/api/v1/disclosure-items", Some(&staff), item_body(&fgw, &area, "养老机构")).await.ok(201);
    app.post("/api/v1/disclosure-items", Some(&staff), item_body(&fgw, &area, "养老补贴")).await.ok(201);
    assert_eq!(app.get("/api/v1/disclosure-coverage", Some(&staff)).await.status, 403);
    let admin = app.login_demo(PLATFORM_ADMIN).await;
    let coverage = app.get("/api/v1/disclosure-coverage", Some(&admin)).await;
    let coverage = coverage.ok(200);
    let agencies = coverage["agencies"].as_array().unwrap();
    let total = agencies.len() as u64;
    assert_eq!(coverage["agencies_without_items"].as_u64(), Some(total - 1));
    assert_eq!(coverage["items"], 2);
    assert_eq!(agencies.last().unwrap()["agency_name"], FGW, "agencies without items come first");
    let fgw_row = agencies.last().unwrap();
    assert_eq!((fgw_row["items"].as_u64(), fgw_row["flagged"].as_bool()), (Some(2), Some(false)));
    assert_eq!(fgw_row["areas"][0]["policy_area_name"], "养老服务");
    assert!(fgw_row["last_changed_at"].is_string());
    assert!(agencies[0]["flagged"].as_bool().unwrap());

    // Channels: the admin's list decides what items may name.
    let added = app.post("/api/v1/disclosure-channels", Some(&admin), json!({ "name": "社区微信群" })).await;
    assert!(added.ok(200)["items"].as_array().unwrap().iter().any(|c| c["name"] == "社区微信群"));
    let twice = app.post("/api/v1/disclosure-channels", Some(&admin), json!({ "name": "社区微信群" })).await;
    assert_eq!(twice.problem(409)["code"], "channel_exists");
    assert_eq!(app.post("/api/v1/disclosure-channels", Some(&staff), json!({ "name": "x" })).await.status, 403);
    let mut body = item_body(&fgw, &area, "养老服务热线");
    body["channels"] = json!(["社区微信群"]);
    app.post("/api/v1/disclosure-items", Some(&staff), body).await.ok(201);
}

#[tokio::test]
async fn two_nodes_importing_the_same_catalogue_at_once_write_it_once() {
    let app = TestApp::spawn_demo().await;
    let other = app.another_node(|_| {}).await;
    let staff = app.login_demo(FGW_STAFF).await;
    let rows = wenji::demo::demo_catalogue_rows(FGW);
    let n = rows.len() as u64;
    let file = wenji::disclosure::sheet::write_csv(rows.into_iter());
    let (a, b) =
        tokio::join!(import(&app, Some(&staff), "", "a.csv", &file), import(&other, Some(&staff), "", "a.csv", &file));
    let outcomes: Vec<(u16, Option<u64>)> =
        [&a, &b].iter().map(|x| (x.status.as_u16(), x.body["created"].as_u64().filter(|_| x.status == 200))).collect();
    // One creates every item; the other either found them all there (it planned after the
    // first committed) or was refused whole (it planned before), never a half.
    assert!(outcomes.contains(&(200, Some(n))), "{outcomes:?}");
    assert!(outcomes.contains(&(200, Some(0))) || outcomes.iter().any(|(s, _)| *s == 409), "{outcomes:?}");
    assert_eq!(count_items(&app).await, n);
    assert_eq!(count_versions(&app).await, n);
}
