use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn the_tree_is_public_and_in_tree_order() {
    let app = TestApp::spawn_demo().await;
    let a = app.get("/api/v1/agencies?per_page=200", None).await;
    let items = a.ok(200)["items"].as_array().unwrap().clone();
    assert_eq!(items[0]["name"], "示范区人民政府");
    assert_eq!(items[0]["depth"], 0);
    assert!(items[1..].iter().all(|i| i["depth"] == 1 && i["parent_id"] == items[0]["id"]));
    assert_eq!(a.body["meta"]["total"], 12);

    let page = app.get("/api/v1/agencies?page=2&per_page=5", None).await;
    let page = page.ok(200);
    assert_eq!(page["items"].as_array().unwrap().len(), 5);
    assert_eq!(page["items"][0]["id"], items[5]["id"]);
    assert_eq!(page["meta"]["total_pages"], 3);

    let one = app.get(&format!("/api/v1/agencies/{}", items[2]["id"].as_str().unwrap()), None).await;
    assert_eq!(one.ok(200)["name"], items[2]["name"]);
}

#[tokio::test]
async fn only_the_platform_admin_creates_agencies() {
    let app = TestApp::spawn_demo().await;
    let root = app.agency_id("示范区人民政府").await;
    let body = json!({ "name": "示范区审计局", "kind": "department", "parent_id": root });
    app.post("/api/v1/agencies", None, body.clone()).await.problem(401);
    for who in [RESIDENT, FGW_STAFF, FGW_ADMIN] {
        let token = app.login_demo(who).await;
        app.post("/api/v1/agencies", Some(&token), body.clone()).await.problem(403);
    }
    let admin = app.login_demo(PLATFORM_ADMIN).await;
    let created = app.post("/api/v1/agencies", Some(&admin), body.clone()).await;
    assert_eq!(created.ok(201)["depth"], 1);
    assert_eq!(created.body["kind"], "department");

    let dup = app.post("/api/v1/agencies", Some(&admin), body).await;
    dup.problem(422);
    assert_eq!(dup.body["errors"][0]["code"], "taken");

    let orphan = app
        .post(
            "/api/v1/agencies",
            Some(&admin),
            json!({ "name": "无上级", "kind": "township", "parent_id": uuid::Uuid::now_v7() }),
        )
        .await;
    orphan.problem(422);
    assert_eq!(orphan.error_fields(), vec!["parent_id"]);
}

/// Every role against the staff endpoints of agency FGW.
#[tokio::test]
async fn staff_accounts_are_managed_within_the_agency_only() {
    let app = TestApp::spawn_demo().await;
    let fgw = app.agency_id(FGW).await;
    let path = format!("/api/v1/agencies/{fgw}/staff");
    let new_staff = |n: u32| json!({ "email": format!("new{n}@wenji.demo"), "display_name": "新同事", "password": "a-decent-password", "role": "agency_staff" });

    app.get(&path, None).await.problem(401);
    app.post(&path, None, new_staff(0)).await.problem(401);
    for (who, status) in [(RESIDENT, 403), (FGW_STAFF, 403), (ZJJ_STAFF, 403), (ZJJ_ADMIN, 403)] {
        let token = app.login_demo(who).await;
        app.get(&path, Some(&token)).await.problem(status);
        app.post(&path, Some(&token), new_staff(1)).await.problem(status);
    }

    let fgw_admin = app.login_demo(FGW_ADMIN).await;
    let listed = app.get(&path, Some(&fgw_admin)).await;
    assert_eq!(listed.ok(200)["meta"]["total"], 2);
    let created = app.post(&path, Some(&fgw_admin), new_staff(2)).await;
    assert_eq!(created.ok(201)["agency_id"], json!(fgw));
    assert_eq!(created.body["role"], "agency_staff");

    let admin = app.login_demo(PLATFORM_ADMIN).await;
    app.post(&path, Some(&admin), new_staff(3)).await.ok(201);
    assert_eq!(app.get(&path, Some(&admin)).await.ok(200)["meta"]["total"], 4);

    // The new staff member signs in and belongs to FGW.
    let token = app.login("new2@wenji.demo", "a-decent-password").await;
    assert_eq!(app.get("/api/v1/auth/me", Some(&token)).await.ok(200)["agency_id"], json!(fgw));

    // Unknown agency: 404 for the platform admin, 403 for an agency admin (who may not even ask).
    let ghost = format!("/api/v1/agencies/{}/staff", uuid::Uuid::now_v7());
    app.get(&ghost, Some(&admin)).await.problem(404);
    app.get(&ghost, Some(&fgw_admin)).await.problem(403);
}

/// The public views of agencies (the list and each one) answer the agency and nothing about
/// its staff, although the staff list of the same agency does carry their e-mail addresses.
#[tokio::test]
async fn staff_lists_never_reach_the_public_agency_views() {
    let app = TestApp::spawn_demo().await;
    // Exactly the public fields; the top of the tree has no parent_id.
    let check = |agency: &serde_json::Value| {
        let mut keys: Vec<&str> = agency.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut want = vec!["created_at", "depth", "id", "kind", "name", "sort_order"];
        if agency["depth"] != 0 {
            want.insert(5, "parent_id");
        }
        assert_eq!(keys, want, "{agency}");
    };
    let list = app.get("/api/v1/agencies?per_page=200", None).await;
    let items = list.ok(200)["items"].as_array().unwrap();
    assert_eq!((items.len(), &list.body["meta"]["total"]), (12, &json!(12)));
    items.iter().for_each(check);
    let fgw = items.iter().find(|a| a["name"] == FGW).unwrap()["id"].as_str().unwrap();
    let one = app.get(&format!("/api/v1/agencies/{fgw}"), None).await;
    assert_eq!((&one.ok(200)["id"], &one.body["name"]), (&json!(fgw), &json!(FGW)));
    check(&one.body);
    for a in [&list, &one] {
        assert!(!a.text.contains("@wenji.demo") && !a.text.contains("email"), "leaks staff: {}", a.text);
    }

    // For comparison: the same agency's staff list, for its admin, does carry the addresses.
    let admin = app.login_demo(FGW_ADMIN).await;
    let staff = app.get(&format!("/api/v1/agencies/{fgw}/staff"), Some(&admin)).await;
    let mut emails: Vec<&str> =
        staff.ok(200)["items"].as_array().unwrap().iter().filter_map(|s| s["email"].as_str()).collect();
    emails.sort_unstable();
    assert_eq!(emails, [FGW_ADMIN, FGW_STAFF]);
}
