//! The account life cycle: changing one's password, signing out everywhere, admin resets
//! (the admin never learns the password), disabling and enabling — each audited.

use serde_json::json;

use crate::helpers::*;

/// A staff account of FGW made by its admin: (id, e-mail, its own session).
async fn fgw_staff_member(app: &TestApp, admin: &str, name: &str) -> (String, String, String) {
    let agency = app.agency_id(FGW).await;
    let email = format!("{name}@example.cn");
    let body =
        json!({ "email": email, "display_name": name, "password": "first-long-password", "role": "agency_staff" });
    let created = app.post(&format!("/api/v1/agencies/{agency}/staff"), Some(admin), body).await;
    let id = created.ok(201)["id"].as_str().unwrap().to_string();
    let token = app.login(&email, "first-long-password").await;
    (id, email, token)
}

async fn audit_actions(app: &TestApp, account: &str) -> Vec<String> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    use wenji::entities::audit_log::{Column, Entity};
    let id: uuid::Uuid = account.parse().unwrap();
    Entity::find()
        .filter(Column::EntityId.eq(id))
        .order_by_asc(Column::Id)
        .all(app.db.conn())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

#[tokio::test]
async fn changing_my_password_ends_my_other_sessions() {
    let app = TestApp::spawn_demo().await;
    let here = app.login_demo(RESIDENT).await;
    let elsewhere = app.login_demo(RESIDENT).await;
    let wrong = app
        .post(
            "/api/v1/auth/password",
            Some(&here),
            json!({ "current_password": "not-it", "new_password": "a-new-long-passphrase" }),
        )
        .await;
    wrong.problem(422);
    assert_eq!(wrong.error_fields(), ["current_password"]);
    let common = app
        .post(
            "/api/v1/auth/password",
            Some(&here),
            json!({ "current_password": DEMO_PASSWORD, "new_password": "password1" }),
        )
        .await;
    assert_eq!(common.problem(422)["errors"][0]["code"], "too_common");
    app.post(
        "/api/v1/auth/password",
        Some(&here),
        json!({ "current_password": DEMO_PASSWORD, "new_password": "a-new-long-passphrase" }),
    )
    .await
    .ok(204);
    app.get("/api/v1/auth/me", Some(&here)).await.ok(200);
    app.get("/api/v1/auth/me", Some(&elsewhere)).await.problem(401);
    app.post("/api/v1/auth/login", None, json!({ "email": RESIDENT, "password": DEMO_PASSWORD })).await.problem(401);
    app.login(RESIDENT, "a-new-long-passphrase").await;
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session() {
    let app = TestApp::spawn_demo().await;
    let a = app.login_demo(RESIDENT).await;
    let b = app.login_demo(RESIDENT).await;
    let other = app.login_demo("liu.yang@wenji.demo").await;
    app.request(reqwest::Method::POST, "/api/v1/auth/logout-everywhere", Some(&a), None).await.ok(204);
    app.get("/api/v1/auth/me", Some(&a)).await.problem(401);
    app.get("/api/v1/auth/me", Some(&b)).await.problem(401);
    app.get("/api/v1/auth/me", Some(&other)).await.ok(200);
}

/// The admin starts a reset and hands over a code; the old password and every session stop
/// at once; the owner chooses a new password with the code, once.
#[tokio::test]
async fn an_admin_reset_lets_the_owner_choose_a_new_password() {
    let app = TestApp::spawn_demo().await;
    let admin = app.login_demo(FGW_ADMIN).await;
    let (id, email, session) = fgw_staff_member(&app, &admin, "reset.me").await;
    let started = app.post(&format!("/api/v1/accounts/{id}/password-reset"), Some(&admin), json!({})).await;
    let code = started.ok(201)["code"].as_str().unwrap().to_string();
    app.get("/api/v1/auth/me", Some(&session)).await.problem(401);
    app.post("/api/v1/auth/login", None, json!({ "email": email, "password": "first-long-password" }))
        .await
        .problem(401);
    let staff_list = app.get(&format!("/api/v1/agencies/{}/staff", app.agency_id(FGW).await), Some(&admin)).await;
    let listed =
        staff_list.ok(200)["items"].as_array().unwrap().iter().find(|s| s["id"] == id.as_str()).unwrap().clone();
    assert_eq!(listed["reset_pending"], true);

    let complete = |code: String, password: &'static str| {
        let (app, email) = (&app, email.clone());
        async move {
            app.post(
                "/api/v1/auth/password-reset",
                None,
                json!({ "email": email, "code": code, "new_password": password }),
            )
            .await
        }
    };
    let wrong = complete("AAAAA-BBBBB-CCCCC-DDDDD".into(), "chosen-by-the-owner").await;
    assert_eq!(wrong.problem(422)["errors"][0]["code"], "invalid_code");
    // Typed in lower case with spaces: the same code.
    complete(code.to_lowercase().replace('-', " "), "chosen-by-the-owner").await.ok(204);
    app.login(&email, "chosen-by-the-owner").await;
    // Used once.
    complete(code.clone(), "another-long-password").await.problem(422);
    assert_eq!(audit_actions(&app, &id).await, ["staff_created", "password_reset_started", "password_reset_finished"]);
}

#[tokio::test]
async fn a_disabled_account_is_signed_out_at_once_and_cannot_sign_in() {
    let app = TestApp::spawn_demo().await;
    let admin = app.login_demo(FGW_ADMIN).await;
    let (id, email, session) = fgw_staff_member(&app, &admin, "leaving").await;
    let disabled = app.post(&format!("/api/v1/accounts/{id}/disable"), Some(&admin), json!({})).await;
    assert_eq!(disabled.ok(200)["disabled"], true);
    app.get("/api/v1/auth/me", Some(&session)).await.problem(401);
    let refused =
        app.post("/api/v1/auth/login", None, json!({ "email": email, "password": "first-long-password" })).await;
    refused.problem(401);
    assert_eq!(refused.body["detail"], "邮箱或密码不正确。", "the same answer as a wrong password");
    app.post(&format!("/api/v1/accounts/{id}/enable"), Some(&admin), json!({})).await.ok(200);
    app.login(&email, "first-long-password").await;
    assert_eq!(audit_actions(&app, &id).await, ["staff_created", "disabled", "enabled"]);
}

/// Agency admins manage their own agency's staff only; residents are the platform admin's;
/// nobody disables or resets themselves, and the platform admin is managed from the command
/// line.
#[tokio::test]
async fn who_may_manage_which_account() {
    let app = TestApp::spawn_demo().await;
    let fgw_admin = app.login_demo(FGW_ADMIN).await;
    let zjj_admin = app.login_demo(ZJJ_ADMIN).await;
    let platform = app.login_demo(PLATFORM_ADMIN).await;
    let (staff, _, _) = fgw_staff_member(&app, &fgw_admin, "managed").await;
    let me = |token: &str| {
        let (app, token) = (&app, token.to_string());
        async move { app.get("/api/v1/auth/me", Some(&token)).await.ok(200)["id"].as_str().unwrap().to_string() }
    };
    let resident = me(&app.login_demo(RESIDENT).await).await;
    let fgw_admin_id = me(&fgw_admin).await;
    let platform_id = me(&platform).await;

    app.post(&format!("/api/v1/accounts/{staff}/disable"), Some(&zjj_admin), json!({})).await.problem(403);
    app.post(&format!("/api/v1/accounts/{resident}/disable"), Some(&fgw_admin), json!({})).await.problem(403);
    let own = app.post(&format!("/api/v1/accounts/{fgw_admin_id}/disable"), Some(&fgw_admin), json!({})).await;
    assert_eq!(own.problem(409)["code"], "own_account");
    let top = app.post(&format!("/api/v1/accounts/{platform_id}/password-reset"), Some(&fgw_admin), json!({})).await;
    top.problem(403);
    app.post(&format!("/api/v1/accounts/{resident}/disable"), Some(&platform), json!({})).await.ok(200);
    app.post("/api/v1/auth/login", None, json!({ "email": RESIDENT, "password": DEMO_PASSWORD })).await.problem(401);
    let unknown = uuid::Uuid::now_v7();
    app.post(&format!("/api/v1/accounts/{unknown}/disable"), Some(&platform), json!({})).await.problem(404);
}
