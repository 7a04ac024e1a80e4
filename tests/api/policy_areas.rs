use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn policy_areas_are_public_and_added_by_the_platform_admin() {
    let app = TestApp::spawn_demo().await;
    let list = app.get("/api/v1/policy-areas?per_page=200", None).await;
    let names: Vec<&str> =
        list.ok(200)["items"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 25);
    assert_eq!(names[0], "城乡规划");
    assert!(names.contains(&"义务教育"));

    let body = json!({ "code": "ancient_buildings", "name": "文物保护", "name_en": "Heritage protection" });
    app.post("/api/v1/policy-areas", None, body.clone()).await.problem(401);
    let staff = app.login_demo(FGW_ADMIN).await;
    app.post("/api/v1/policy-areas", Some(&staff), body.clone()).await.problem(403);
    let admin = app.login_demo(PLATFORM_ADMIN).await;
    assert_eq!(app.post("/api/v1/policy-areas", Some(&admin), body.clone()).await.ok(201)["code"], "ancient_buildings");
    app.post("/api/v1/policy-areas", Some(&admin), body).await.problem(422);
    let bad =
        app.post("/api/v1/policy-areas", Some(&admin), json!({ "code": "Bad Code", "name": "", "name_en": "x" })).await;
    bad.problem(422);
    assert_eq!(bad.error_fields(), vec!["code", "name"]);
}
