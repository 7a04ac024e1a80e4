//! Comment collection: windows, rules, receipts, moderation, duplicates, offline channels.

use std::collections::HashSet;

use chrono::{TimeDelta, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

/// A decision of FGW open for comment with `rules` merged into a 30-day window.
async fn consultation(app: &TestApp, rules: Value) -> (String, String, Value) {
    let staff = app.login_demo(FGW_STAFF).await;
    let id = create_decision(app, &staff, "示范区养老服务设施建设管理办法").await;
    let version = add_text_version(app, &staff, &id, DRAFT).await;
    let mut body = json!({ "closes_at": in_days(30) });
    body.as_object_mut().unwrap().extend(rules.as_object().unwrap().clone());
    open(app, &staff, &id, body).await;
    (id, staff, version)
}

async fn receipt(app: &TestApp, tracking: &str, secret: &str) -> Answer {
    app.send(app.client.get(app.url(&format!("/api/v1/receipts/{tracking}"))).header("x-receipt-secret", secret)).await
}

#[tokio::test]
async fn comments_are_accepted_only_while_the_window_is_open() {
    let app = spawn_demo_without_comment_limits().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let draft = create_decision(&app, &staff, "草稿").await;
    comment(&app, &draft, None, simple("意见")).await.problem(404);

    let later = create_decision(&app, &staff, "稍后开始").await;
    add_text_version(&app, &staff, &later, DRAFT).await;
    open(&app, &staff, &later, json!({ "opens_at": in_days(3), "closes_at": in_days(40) })).await;
    let early = comment(&app, &later, None, simple("提前提交的意见")).await;
    early.problem(409);
    assert_eq!(early.body["code"], "consultation_not_open_yet");

    let (id, _, _) = consultation(&app, json!({})).await;
    comment(&app, &id, None, simple("及时提交的意见")).await.ok(201);
    close_window_now(&app, &id).await;
    let late = comment(&app, &id, None, simple("逾期提交的意见")).await;
    late.problem(409);
    assert_eq!(late.body["code"], "consultation_closed");
    assert!(late.body["detail"].as_str().unwrap().contains("结束"));
}

#[tokio::test]
async fn sign_in_rules_sections_and_text_rules() {
    let app = spawn_demo_without_comment_limits().await;
    let (id, _, version) = consultation(&app, json!({ "anonymous_allowed": false })).await;
    comment(&app, &id, None, simple("匿名意见")).await.problem(401);
    let resident = app.login_demo(RESIDENT).await;
    let article3 =
        version["sections"].as_array().unwrap().iter().find(|s| s["label"] == "第三条").unwrap()["id"].clone();
    let ok = comment(
        &app,
        &id,
        Some(&resident),
        json!({ "body": "建议提高配建标准。", "category": "individual", "section_id": article3 }),
    )
    .await;
    assert_eq!(ok.ok(201)["comment"]["section_label"], "第三条");

    let bad_section = comment(
        &app,
        &id,
        Some(&resident),
        json!({ "body": "x", "category": "individual", "section_id": uuid::Uuid::now_v7() }),
    )
    .await;
    bad_section.problem(422);
    assert_eq!(bad_section.error_fields(), vec!["section_id"]);
    let empty = comment(&app, &id, Some(&resident), simple("   ")).await;
    empty.problem(422);
    assert_eq!(empty.body["errors"][0]["code"], "required");
    let long = comment(&app, &id, Some(&resident), simple(&"长".repeat(5001))).await;
    long.problem(422);
    assert_eq!(long.body["errors"][0]["code"], "too_long");
    comment(&app, &id, Some(&resident), simple(&"长".repeat(5000))).await.ok(201);
    let control = comment(&app, &id, Some(&resident), simple("坏\u{0007}字符")).await;
    assert_eq!(control.body["errors"][0]["code"], "invalid_characters");
    let phone =
        comment(&app, &id, Some(&resident), json!({ "body": "x", "category": "company", "contact_phone": "call me" }))
            .await;
    assert_eq!(phone.error_fields(), vec!["contact_phone"]);
}

#[tokio::test]
async fn a_retried_submission_returns_the_first_receipt() {
    let app = spawn_demo_without_comment_limits().await;
    let (id, _, _) = consultation(&app, json!({})).await;
    let send = || {
        app.send(
            app.client
                .post(app.url(&format!("/api/v1/decisions/{id}/comments")))
                .header("idempotency-key", "form-7f3a")
                .json(&simple("网络不好时重复提交的意见")),
        )
    };
    let first = send().await;
    first.ok(201);
    let again = send().await;
    again.ok(200);
    assert_eq!(again.body["replayed"], true);
    assert_eq!(first.body["receipt"], again.body["receipt"], "same tracking number and secret");
    let stats = app.get(&format!("/api/v1/decisions/{id}/comment-stats"), None).await;
    assert_eq!(stats.ok(200)["total"], 1);
}

#[tokio::test]
async fn receipts_open_a_comment_and_a_wrong_secret_reveals_nothing() {
    let app = spawn_demo_without_comment_limits().await;
    let (id, _, _) = consultation(&app, json!({})).await;
    let r = comment(
        &app,
        &id,
        None,
        json!({ "body": "建议增加助餐点。", "category": "individual", "contact_phone": "13800138000" }),
    )
    .await;
    let tracking = r.ok(201)["receipt"]["tracking_number"].as_str().unwrap().to_string();
    let secret = r.body["receipt"]["secret"].as_str().unwrap().to_string();
    assert!(tracking.starts_with("WJ-") && tracking.len() == 17, "{tracking}");

    let found = receipt(&app, &tracking, &secret).await;
    assert_eq!(found.ok(200)["status"], "published");
    assert_eq!(found.body["can_withdraw"], true);
    assert_eq!(found.headers["cache-control"], "no-store");
    // Typed by hand: lower case, spaces instead of dashes.
    receipt(&app, &tracking.to_lowercase().replace('-', " "), &secret.to_lowercase()).await.ok(200);

    let wrong = receipt(&app, &tracking, "AAAAAAAAAAAAAAAAAAAAAAAAAA").await;
    let unknown = receipt(&app, "WJ-2026-0000-0000", &secret).await;
    wrong.problem(404);
    unknown.problem(404);
    assert_eq!(
        (wrong.body["code"].clone(), wrong.body["detail"].clone()),
        (unknown.body["code"].clone(), unknown.body["detail"].clone())
    );
    assert!(!wrong.text.contains("13800138000"));
}

#[tokio::test]
async fn withdrawing_while_open_only() {
    let app = spawn_demo_without_comment_limits().await;
    let (id, _, _) = consultation(&app, json!({})).await;
    let resident = app.login_demo(RESIDENT).await;
    let mine = comment(&app, &id, Some(&resident), simple("我要撤回的意见")).await;
    let mine_id = mine.ok(201)["comment"]["id"].as_str().unwrap().to_string();
    let other = app.login_demo("liu.yang@wenji.demo").await;
    app.request(Method::POST, &format!("/api/v1/comments/{mine_id}/withdraw"), Some(&other), None).await.problem(404);
    let w = app.request(Method::POST, &format!("/api/v1/comments/{mine_id}/withdraw"), Some(&resident), None).await;
    assert_eq!(w.ok(200)["status"], "withdrawn");
    app.request(Method::POST, &format!("/api/v1/comments/{mine_id}/withdraw"), Some(&resident), None)
        .await
        .problem(409);
    let listed = app.get("/api/v1/me/comments", Some(&resident)).await;
    assert_eq!(listed.ok(200)["items"][0]["status"], "withdrawn");

    let r = comment(&app, &id, None, simple("匿名意见，稍后试图撤回")).await;
    let (tn, secret) = (
        r.body["receipt"]["tracking_number"].as_str().unwrap().to_string(),
        r.body["receipt"]["secret"].as_str().unwrap().to_string(),
    );
    close_window_now(&app, &id).await;
    let late = app
        .send(app.client.post(app.url(&format!("/api/v1/receipts/{tn}/withdraw"))).header("x-receipt-secret", &secret))
        .await;
    late.problem(409);
    let stats = app.get(&format!("/api/v1/decisions/{id}/comment-stats"), None).await;
    assert_eq!((stats.body["total"].as_u64(), stats.body["withdrawn"].as_u64()), (Some(1), Some(1)));
}

#[tokio::test]
async fn pre_moderation_holds_comments_until_published() {
    let app = spawn_demo_without_comment_limits().await;
    let (id, staff, _) = consultation(&app, json!({ "pre_moderation": true })).await;
    let r = comment(&app, &id, None, simple("先审后发的意见")).await;
    assert_eq!(r.ok(201)["comment"]["status"], "received");
    let cid = r.body["comment"]["id"].as_str().unwrap().to_string();
    assert_eq!(app.get(&format!("/api/v1/decisions/{id}/comments"), None).await.ok(200)["meta"]["total"], 0);
    let inbox = app.get(&format!("/api/v1/decisions/{id}/moderation/comments?status=received"), Some(&staff)).await;
    assert_eq!(inbox.ok(200)["meta"]["total"], 1);
    let m = app
        .post(
            &format!("/api/v1/decisions/{id}/moderation/actions"),
            Some(&staff),
            json!({ "action": "publish", "comment_ids": [cid] }),
        )
        .await;
    assert_eq!(m.ok(200)["changed"], 1);
    let public = app.get(&format!("/api/v1/decisions/{id}/comments"), None).await;
    assert_eq!(public.ok(200)["meta"]["total"], 1);
    assert_eq!(public.body["items"][0]["body"], "先审后发的意见");
}

#[tokio::test]
async fn hidden_comments_are_counted_by_reason_and_the_note_stays_internal() {
    let app = spawn_demo_without_comment_limits().await;
    let (id, staff, _) = consultation(&app, json!({})).await;
    let r = comment(&app, &id, None, simple("买药请加微信 abc123")).await;
    let (tn, secret) = (
        r.body["receipt"]["tracking_number"].as_str().unwrap().to_string(),
        r.body["receipt"]["secret"].as_str().unwrap().to_string(),
    );
    let cid = r.body["comment"]["id"].as_str().unwrap().to_string();
    comment(&app, &id, None, simple("支持这个办法")).await.ok(201);
    app.post(
        &format!("/api/v1/decisions/{id}/moderation/actions"),
        Some(&staff),
        json!({ "action": "hide", "comment_ids": [cid] }),
    )
    .await
    .problem(422);
    let m = app
        .post(
            &format!("/api/v1/decisions/{id}/moderation/actions"),
            Some(&staff),
            json!({ "action": "hide", "reason": "spam", "note": "INTERNAL-NOTE-推广广告", "comment_ids": [cid] }),
        )
        .await;
    assert_eq!(m.ok(200)["changed"], 1);
    let public = app.get(&format!("/api/v1/decisions/{id}/comments"), None).await;
    assert_eq!(public.ok(200)["meta"]["total"], 1);
    assert!(!public.text.contains("微信"));
    let stats = app.get(&format!("/api/v1/decisions/{id}/comment-stats"), None).await;
    assert_eq!(stats.ok(200)["hidden_by_reason"], json!([{ "key": "spam", "count": 1 }]));
    let mine = receipt(&app, &tn, &secret).await;
    assert_eq!((mine.body["status"].as_str(), mine.body["hidden_reason"].as_str()), (Some("hidden"), Some("spam")));
    assert!(!mine.text.contains("INTERNAL-NOTE"));
    let admin = app.login_demo(PLATFORM_ADMIN).await;
    let log = app.get(&format!("/api/v1/decisions/{id}/audit-log"), Some(&admin)).await;
    assert!(log.text.contains("comments_moderated"));
}

#[tokio::test]
async fn submissions_are_rate_limited_per_address() {
    let app = TestApp::spawn_with(|c| c.comment_max_per_address = 3).await;
    wenji::demo::load(&app.db).await.unwrap();
    let (id, _, _) = consultation(&app, json!({})).await;
    for i in 0..3 {
        comment(&app, &id, None, simple(&format!("第{i}条意见"))).await.ok(201);
    }
    let refused = comment(&app, &id, None, simple("第四条意见")).await;
    refused.problem(429);
    assert!(refused.headers.contains_key("retry-after"));
    assert_eq!(app.get(&format!("/api/v1/decisions/{id}/comment-stats"), None).await.body["total"], 3);
}

/// Past the per-account limit a signed-in resident is refused (the count includes the
/// submission being made, so `limit` are accepted); other accounts and anonymous visitors at
/// the same address are not.
#[tokio::test]
async fn submissions_are_rate_limited_per_account() {
    let app = TestApp::spawn_with(|c| {
        c.comment_max_per_account = 3;
        c.comment_max_per_address = 100;
        c.comment_window = std::time::Duration::from_secs(600);
    })
    .await;
    wenji::demo::load(&app.db).await.unwrap();
    let (id, _, _) = consultation(&app, json!({})).await;
    let resident = app.login_demo(RESIDENT).await;
    for i in 1..=3 {
        comment(&app, &id, Some(&resident), simple(&format!("张伟的第{i}条意见"))).await.ok(201);
    }
    let refused = comment(&app, &id, Some(&resident), simple("张伟的第4条意见")).await;
    assert_eq!(refused.problem(429)["code"], "too_many_requests");
    let retry_after: u64 = refused.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((540..=600).contains(&retry_after), "the rest of the 10-minute window: {retry_after}");
    assert!(refused.body["detail"].as_str().unwrap().contains("分钟后再试"), "{}", refused.text);
    // Still refused on a second try; neither refusal is stored (see the counts below).
    comment(&app, &id, Some(&resident), simple("张伟的第5条意见")).await.problem(429);

    let other = app.login_demo("liu.yang@wenji.demo").await;
    comment(&app, &id, Some(&other), simple("刘洋的意见")).await.ok(201);
    comment(&app, &id, None, simple("同一地址的匿名意见")).await.ok(201);
    let mine = app.get("/api/v1/me/comments", Some(&resident)).await;
    assert_eq!(mine.ok(200)["meta"]["total"], 3);
    assert_eq!(app.get(&format!("/api/v1/decisions/{id}/comment-stats"), None).await.ok(200)["total"], 5);
}

#[tokio::test]
async fn a_campaign_of_near_identical_comments_lands_in_one_group() {
    let app = spawn_demo_without_comment_limits().await;
    let (id, staff, _) = consultation(&app, json!({})).await;
    let campaign = [
        "建议在小区周边增设养老服务站，方便老年人就近获得助餐、助浴等服务，同时加强专业护理人员配备。",
        "建议在小区周边增设养老服务站,方便老年人就近获得助餐、助浴等服务。同时加强专业护理人员配备!",
        "建议在小区周边增设养老服务站，方便老人就近获得助餐、助浴等服务，同时加强专业护理人员的配备。",
        "建议在小区周边增设养老服务站，方便老年人就近获得助餐、助浴等服务，同时加强专业护理人员配备。",
        "建议在小区周边增设养老服务站　方便老年人就近获得助餐　助浴等服务　同时加强专业护理人员配备",
    ];
    let mut groups = HashSet::new();
    for text in campaign {
        let r = comment(&app, &id, None, simple(text)).await;
        r.ok(201);
    }
    comment(&app, &id, None, simple("公交线路调整后，早高峰班次明显不足，希望增加班次并延长末班车时间。"))
        .await
        .ok(201);
    comment(&app, &id, None, simple("第三条的配建标准偏低，建议参照周边城区提高到每百户三十平方米。")).await.ok(201);
    let inbox = app.get(&format!("/api/v1/decisions/{id}/moderation/comments?per_page=50"), Some(&staff)).await;
    for c in inbox.ok(200)["items"].as_array().unwrap() {
        groups.insert(c["duplicate_group_id"].as_str().map(String::from));
    }
    let group_ids: Vec<_> = groups.iter().flatten().collect();
    assert_eq!(group_ids.len(), 1, "one group for the campaign: {}", inbox.text);
    let stats = app.get(&format!("/api/v1/decisions/{id}/comment-stats"), None).await;
    assert_eq!(stats.ok(200)["duplicates"], json!({ "groups": 1, "comments_in_groups": 5 }));
    let listed = app.get(&format!("/api/v1/decisions/{id}/duplicate-groups"), Some(&staff)).await;
    assert_eq!(listed.ok(200)["items"][0]["size"], 5);
    // Moderate the whole group at once.
    let m = app
        .post(
            &format!("/api/v1/decisions/{id}/moderation/actions"),
            Some(&staff),
            json!({ "action": "hide", "reason": "duplicate", "filter": { "duplicate_group_id": group_ids[0] } }),
        )
        .await;
    assert_eq!(m.ok(200)["changed"], 5);
    assert_eq!(app.get(&format!("/api/v1/decisions/{id}/comments"), None).await.body["meta"]["total"], 2);
}

#[tokio::test]
async fn offline_comments_count_by_channel() {
    let app = spawn_demo_without_comment_limits().await;
    let (id, staff, _) = consultation(&app, json!({})).await;
    let today = (Utc::now() + TimeDelta::hours(8)).format("%Y-%m-%d").to_string();
    let letter = app
        .post(
            &format!("/api/v1/decisions/{id}/offline-comments"),
            Some(&staff),
            json!({ "body": "来信：建议增加社区食堂。", "channel": "letter", "received_on": today, "category": "individual", "display_name": "王大爷" }),
        )
        .await;
    assert_eq!(letter.ok(201)["comment"]["channel"], "letter");
    app.post(
        &format!("/api/v1/decisions/{id}/offline-comments"),
        Some(&staff),
        json!({ "body": "座谈会意见", "channel": "symposium", "received_on": today, "category": "expert" }),
    )
    .await
    .ok(201);
    let future = app
        .post(
            &format!("/api/v1/decisions/{id}/offline-comments"),
            Some(&staff),
            json!({ "body": "x", "channel": "letter", "received_on": "2099-01-01", "category": "individual" }),
        )
        .await;
    assert_eq!(future.error_fields(), vec!["received_on"]);
    comment(&app, &id, None, simple("网上意见")).await.ok(201);
    let stats = app.get(&format!("/api/v1/decisions/{id}/comment-stats"), None).await;
    assert_eq!(stats.ok(200)["total"], 3);
    let by_channel: Vec<(String, u64)> = stats.body["by_channel"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["key"].as_str().unwrap().to_string(), c["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(by_channel, vec![("letter".to_string(), 1), ("online".into(), 1), ("symposium".into(), 1)]);
    app.post(
        &format!("/api/v1/decisions/{id}/offline-comments"),
        Some(&app.login_demo(ZJJ_STAFF).await),
        json!({ "body": "x", "channel": "letter", "received_on": today, "category": "individual" }),
    )
    .await
    .problem(403);
}

/// Offline entries follow the consultation's window and moderation like online ones; staff
/// may depart from either, and the audit log says who did and why.
#[tokio::test]
async fn offline_comments_follow_the_window_and_moderation_unless_staff_say_otherwise() {
    let app = spawn_demo_without_comment_limits().await;
    let (id, staff, _) = consultation(&app, json!({ "pre_moderation": true })).await;
    let offline = format!("/api/v1/decisions/{id}/offline-comments");
    let today = (Utc::now() + TimeDelta::hours(8)).date_naive();
    let day = |ago: i64| (today - TimeDelta::days(ago)).format("%Y-%m-%d").to_string();
    let entry = |received_on: String, extra: Value| {
        let mut body = json!({ "body": "来信：建议增加社区食堂。", "channel": "letter", "received_on": received_on, "category": "individual" });
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    // Pre-moderated: held for moderation like an online comment, unless staff publish it.
    let held = app.post(&offline, Some(&staff), entry(day(0), json!({}))).await;
    assert_eq!(held.ok(201)["comment"]["status"], "received");
    let published = app.post(&offline, Some(&staff), entry(day(0), json!({ "publish_now": true }))).await;
    assert_eq!(published.ok(201)["comment"]["status"], "published");
    let stats = app.get(&format!("/api/v1/decisions/{id}/comment-stats"), None).await;
    assert_eq!((&stats.ok(200)["total"], &stats.body["published"]), (&json!(2), &json!(1)));

    // Before the window opened (today): refused, saying how to accept it anyway.
    let early = app.post(&offline, Some(&staff), entry(day(3), json!({}))).await;
    assert_eq!(early.error_fields(), vec!["received_on"]);
    assert_eq!(early.body["errors"][0]["code"], "outside_window");
    let blank = app.post(&offline, Some(&staff), entry(day(3), json!({ "outside_window_reason": "  " }))).await;
    assert_eq!(blank.error_fields(), vec!["received_on"], "a blank reason is no reason");
    let reason = "征求意见开始前召开的座谈会";
    let accepted = app.post(&offline, Some(&staff), entry(day(3), json!({ "outside_window_reason": reason }))).await;
    accepted.ok(201);
    let stats = app.get(&format!("/api/v1/decisions/{id}/comment-stats"), None).await;
    assert_eq!(stats.ok(200)["total"], 3, "the two refused entries stored nothing");

    // Closed: letters still arriving are entered until the result is published.
    close_window_now(&app, &id).await;
    app.post(&offline, Some(&staff), entry(day(0), json!({}))).await.ok(201);
    app.post(&format!("/api/v1/decisions/{id}/feedback-reports"), Some(&staff), json!({})).await.ok(201);
    app.post(
        &format!("/api/v1/decisions/{id}/outcome"),
        Some(&staff),
        json!({ "decided_on": day(0), "interpretation": "解读", "links": [] }),
    )
    .await
    .ok(200);
    let late = app.post(&offline, Some(&staff), entry(day(0), json!({}))).await;
    late.problem(409);
    assert_eq!(late.body["code"], "consultation_concluded");

    // Who departed from the rules, and why, is in the audit log.
    let admin = app.login_demo(PLATFORM_ADMIN).await;
    let log = app.get(&format!("/api/v1/decisions/{id}/audit-log"), Some(&admin)).await;
    let entries: Vec<&Value> =
        log.ok(200)["items"].as_array().unwrap().iter().filter(|e| e["action"] == "offline_comment_entered").collect();
    assert_eq!(entries.len(), 4);
    let overridden = entries.iter().filter(|e| e["details"]["moderation_overridden"] == true).count();
    assert_eq!(overridden, 1);
    assert!(entries.iter().any(|e| e["details"]["outside_window_reason"] == reason));
}

/// The public figures, count by count: online comments on two articles and on the whole
/// draft, offline ones received on earlier days, one hidden and one withdrawn.
#[tokio::test]
async fn comment_figures_count_by_section_category_channel_day_and_reason() {
    let app = spawn_demo_without_comment_limits().await;
    let (id, staff, version) = consultation(&app, json!({})).await;
    let section = |label: &str| -> String {
        let sections = version["sections"].as_array().unwrap();
        sections.iter().find(|s| s["label"] == label).unwrap()["id"].as_str().unwrap().to_string()
    };
    let (first, third) = (section("第一条"), section("第三条"));
    // Days are counted in China time (UTC+8), as YYYY-MM-DD.
    let today = (Utc::now() + TimeDelta::hours(8)).date_naive();
    let day = |ago: i64| (today - TimeDelta::days(ago)).format("%Y-%m-%d").to_string();
    let resident = app.login_demo(RESIDENT).await;
    let other = app.login_demo("liu.yang@wenji.demo").await;

    let id_of = |a: Answer| a.ok(201)["comment"]["id"].as_str().unwrap().to_string();
    let body = json!({ "body": "第一条应写明适用的法规名称。", "category": "individual", "section_id": first });
    comment(&app, &id, Some(&resident), body).await.ok(201);
    let body = json!({ "body": "建议在第一条中增加社会资本参与的表述。", "category": "company", "section_id": first });
    comment(&app, &id, None, body).await.ok(201);
    let body = json!({ "body": "小区门口的路灯坏了很久。", "category": "expert", "section_id": third });
    let off_topic = id_of(comment(&app, &id, None, body).await);
    let withdrawn = id_of(comment(&app, &id, Some(&other), simple("整体上赞成，细节再议。")).await);
    let offline = format!("/api/v1/decisions/{id}/offline-comments");
    // Received before the window opened (today): accepted with a reason, as staff may.
    let early = "征求意见前召开的座谈会及来信";
    let body = json!({ "body": "来信：配建面积标准应提高。", "channel": "letter", "received_on": day(2), "category": "organisation", "section_id": third, "outside_window_reason": early });
    app.post(&offline, Some(&staff), body).await.ok(201);
    let body = json!({ "body": "座谈会纪要：总体赞成。", "channel": "symposium", "received_on": day(5), "category": "expert", "outside_window_reason": early });
    app.post(&offline, Some(&staff), body).await.ok(201);
    let body = json!({ "body": "来信：第一条的依据不全。", "channel": "letter", "received_on": day(2), "category": "individual", "section_id": first, "outside_window_reason": early });
    app.post(&offline, Some(&staff), body).await.ok(201);

    let hide = json!({ "action": "hide", "reason": "off_topic", "comment_ids": [off_topic] });
    let m = app.post(&format!("/api/v1/decisions/{id}/moderation/actions"), Some(&staff), hide).await;
    assert_eq!(m.ok(200)["changed"], 1);
    let w = app.request(Method::POST, &format!("/api/v1/comments/{withdrawn}/withdraw"), Some(&other), None).await;
    assert_eq!(w.ok(200)["status"], "withdrawn");

    let stats = app.get(&format!("/api/v1/decisions/{id}/comment-stats"), None).await;
    let stats = stats.ok(200);
    // Keys are sorted; section ids sort as text, and "whole" (the whole draft) has no label.
    let mut by_section = vec![
        json!({ "key": first, "label": "第一条", "count": 3 }),
        json!({ "key": third, "label": "第三条", "count": 2 }),
        json!({ "key": "whole", "count": 1 }),
    ];
    by_section.sort_by(|a, b| a["key"].as_str().cmp(&b["key"].as_str()));
    let mut published_by_section = vec![
        json!({ "key": first, "label": "第一条", "count": 3 }),
        json!({ "key": third, "label": "第三条", "count": 1 }),
        json!({ "key": "whole", "count": 1 }),
    ];
    published_by_section.sort_by(|a, b| a["key"].as_str().cmp(&b["key"].as_str()));
    let counts = |pairs: &[(&str, u64)]| -> Value {
        pairs.iter().map(|(key, count)| json!({ "key": key, "count": count })).collect()
    };
    let expected = json!({
        "total": 6,
        "published": 5,
        "awaiting_moderation": 0,
        "hidden": 1,
        "withdrawn": 1,
        "by_section": by_section,
        "published_by_section": published_by_section,
        "by_category": counts(&[("company", 1), ("expert", 2), ("individual", 2), ("organisation", 1)]),
        "by_channel": counts(&[("letter", 2), ("online", 3), ("symposium", 1)]),
        "by_day": counts(&[(&day(5), 1), (&day(2), 2), (&day(0), 3)]),
        "hidden_by_reason": counts(&[("off_topic", 1)]),
        "duplicates": { "groups": 0, "comments_in_groups": 0 }
    });
    for (field, want) in expected.as_object().unwrap() {
        assert_eq!(&stats[field], want, "{field}");
    }
    assert_eq!(stats, &expected, "no other figures");
}

#[tokio::test]
async fn exports_are_excel_friendly_and_only_staff_see_contacts() {
    let app = spawn_demo_without_comment_limits().await;
    let (id, staff, _) = consultation(&app, json!({})).await;
    comment(
        &app,
        &id,
        None,
        json!({ "body": "=1+1 建议", "category": "company", "display_name": "某公司", "contact_phone": "13900001111" }),
    )
    .await
    .ok(201);
    let public = app.get(&format!("/api/v1/decisions/{id}/comments.csv"), None).await;
    public.ok(200);
    assert!(public.content_type().starts_with("text/csv"));
    assert!(public.text.starts_with('\u{feff}'));
    assert!(public.text.contains("'=1+1 建议"));
    assert!(!public.text.contains("13900001111"));
    let internal = app.get(&format!("/api/v1/decisions/{id}/moderation/comments.csv"), Some(&staff)).await;
    assert!(internal.ok(200).is_null() && internal.text.contains("13900001111"));
    let admin = app.login_demo(PLATFORM_ADMIN).await;
    assert!(
        app.get(&format!("/api/v1/decisions/{id}/audit-log"), Some(&admin))
            .await
            .text
            .contains("comments_exported_with_contacts")
    );
}

/// 500 submissions at once: all succeed, each with its own tracking number, and the counts agree.
#[tokio::test]
async fn five_hundred_concurrent_submissions() {
    let app = spawn_demo_without_comment_limits().await;
    let (id, _, _) = consultation(&app, json!({})).await;
    let app = &app;
    let id = &id;
    let mut tasks = Vec::new();
    for i in 0..500 {
        tasks.push(async move {
            comment(app, id, None, simple(&format!("并发测试意见第{i}号：建议{}", i * 7919 % 1000))).await
        });
    }
    let answers = join_all(tasks).await;
    let mut tracking = HashSet::new();
    for a in &answers {
        a.ok(201);
        tracking.insert(a.body["receipt"]["tracking_number"].as_str().unwrap().to_string());
    }
    assert_eq!(tracking.len(), 500);
    let stats = app.get(&format!("/api/v1/decisions/{id}/comment-stats"), None).await;
    assert_eq!((stats.body["total"].as_u64(), stats.body["published"].as_u64()), (Some(500), Some(500)));
    let listed = app.get(&format!("/api/v1/decisions/{id}/comments?per_page=200"), None).await;
    assert_eq!(listed.body["meta"]["total"], 500);
}

/// What staff type in the inbox search is text: `%` and `_` are not wildcards.
#[tokio::test]
async fn inbox_search_treats_percent_and_underscore_as_text() {
    let app = spawn_demo_without_comment_limits().await;
    let (id, staff, _) = consultation(&app, json!({})).await;
    for text in ["满意度达到100%以上", "收费100元太贵", "编号A_1的设施", "编号AB1的设施"] {
        comment(&app, &id, None, simple(text)).await.ok(201);
    }
    let search = |q: &'static str| {
        let (app, id, staff) = (&app, &id, &staff);
        async move {
            let page =
                app.get(&format!("/api/v1/decisions/{id}/moderation/comments?q={}", urlencode(q)), Some(staff)).await;
            page.ok(200)["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["body"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(search("100%").await, ["满意度达到100%以上"]);
    assert_eq!(search("A_1").await, ["编号A_1的设施"]);
    assert_eq!(search("100").await.len(), 2);
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// Staff reading comments with contact details in the inbox is on record, as exports are.
#[tokio::test]
async fn viewing_contact_details_in_the_inbox_is_audited() {
    let app = spawn_demo_without_comment_limits().await;
    let (id, staff, _) = consultation(&app, json!({})).await;
    comment(&app, &id, None, simple("没有留联系方式")).await.ok(201);
    let admin = app.login_demo(PLATFORM_ADMIN).await;
    async fn actions(app: &TestApp, admin: String, id: String) -> Vec<String> {
        let log = app.get(&format!("/api/v1/decisions/{id}/audit-log"), Some(&admin)).await;
        log.ok(200)["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_string()).collect()
    }
    app.get(&format!("/api/v1/decisions/{id}/moderation/comments"), Some(&staff)).await.ok(200);
    assert!(!actions(&app, admin.clone(), id.clone()).await.contains(&"comments_viewed_with_contacts".to_string()));
    let with_phone = json!({ "body": "请联系我", "category": "individual", "contact_phone": "13800138000" });
    comment(&app, &id, None, with_phone).await.ok(201);
    app.get(&format!("/api/v1/decisions/{id}/moderation/comments"), Some(&staff)).await.ok(200);
    let log = actions(&app, admin, id).await;
    assert_eq!(log.iter().filter(|a| *a == "comments_viewed_with_contacts").count(), 1, "{log:?}");
}

/// Exports are streamed page by page (no whole file in memory): every comment arrives, in
/// order, across page boundaries, and the answer has no precomputed length.
#[tokio::test]
async fn exports_stream_every_comment_in_order() {
    let app = spawn_demo_without_comment_limits().await;
    let (id, staff, _) = consultation(&app, json!({})).await;
    let submitted = join_all((0..520).map(|i| {
        let (app, id) = (&app, &id);
        async move { comment(app, id, None, simple(&format!("第{i}号意见，内容各不相同：{}", i * 7919))).await }
    }))
    .await;
    assert!(submitted.iter().all(|a| a.status.as_u16() == 201));
    for path in
        [format!("/api/v1/decisions/{id}/comments.csv"), format!("/api/v1/decisions/{id}/moderation/comments.csv")]
    {
        let csv = app.get(&path, Some(&staff)).await;
        assert_eq!(csv.status.as_u16(), 200, "{path}");
        assert!(!csv.headers.contains_key("content-length"), "streamed: {:?}", csv.headers);
        let lines: Vec<&str> = csv.text.trim_end().split("\r\n").collect();
        assert_eq!(lines.len(), 521, "{path}: header and every comment");
        let numbers: Vec<usize> = lines[1..].iter().map(|l| l.split(',').next().unwrap().parse().unwrap()).collect();
        assert_eq!(numbers, (1..=520).collect::<Vec<_>>(), "{path}");
    }
}
