//! Following decisions: who may follow what, that a follower hears of every step once (and
//! an unfollower, a disabled account or a submitter already told does not), that the page of
//! follows says where each stands, and that parallel follows make one row on either database.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use wenji::entities::{follows, outbox};

use crate::helpers::*;

/// (kind, recipient) → how many e-mails of that kind went to that address.
async fn mail(app: &TestApp) -> BTreeMap<(String, String), usize> {
    let mut seen = BTreeMap::new();
    for m in outbox::Entity::find().all(app.db.conn()).await.unwrap() {
        *seen.entry((m.kind, m.recipient)).or_insert(0) += 1;
    }
    seen
}

async fn mails_to(app: &TestApp, to: &str, kind: &str) -> Vec<outbox::Model> {
    outbox::Entity::find()
        .filter(outbox::Column::Recipient.eq(to))
        .filter(outbox::Column::Kind.eq(kind))
        .all(app.db.conn())
        .await
        .unwrap()
}

async fn resident(app: &TestApp, name: &str) -> (String, String, String) {
    let email = format!("{name}@example.cn");
    app.register(&email, "a-long-enough-pass", name).await.ok(202);
    let token = app.login(&email, "a-long-enough-pass").await;
    let id = app.get("/api/v1/auth/me", Some(&token)).await.ok(200)["id"].as_str().unwrap().to_string();
    (email, token, id)
}

#[tokio::test]
async fn a_follower_hears_of_each_step_once() {
    let app = TestApp::spawn_with(|c| c.window_sweep_interval = Duration::from_millis(200)).await;
    wenji::demo::load(&app.db).await.unwrap();
    let (id, staff) = published_decision(&app, "示范区电动自行车集中充电设施管理办法").await;
    let follow = format!("/api/v1/decisions/{id}/follow");

    // 张伟 follows; again changes nothing (the first time stays on record).
    let zhang = app.login_demo(RESIDENT).await;
    let first = app.request(reqwest::Method::PUT, &follow, Some(&zhang), None).await;
    assert_eq!(first.ok(200)["following"], true);
    let since = first.body["since"].clone();
    assert!(since.is_string(), "{}", first.text);
    let again = app.request(reqwest::Method::PUT, &follow, Some(&zhang), None).await;
    assert_eq!(again.ok(200)["since"], since);
    assert_eq!(app.get(&follow, Some(&zhang)).await.ok(200)["following"], true);

    // Others: one unfollows, one is disabled, one also comments with their address.
    let (left_email, left, _) = resident(&app, "li.left").await;
    app.request(reqwest::Method::PUT, &follow, Some(&left), None).await.ok(200);
    let gone = app.request(reqwest::Method::DELETE, &follow, Some(&left), None).await;
    assert_eq!(gone.ok(200)["following"], false);
    assert_eq!(app.get("/api/v1/me/follows", Some(&left)).await.ok(200)["meta"]["total"], 0);
    let (off_email, off, off_id) = resident(&app, "wang.off").await;
    app.request(reqwest::Method::PUT, &follow, Some(&off), None).await.ok(200);
    let admin = app.login_demo(PLATFORM_ADMIN).await;
    app.post(&format!("/api/v1/accounts/{off_id}/disable"), Some(&admin), json!({})).await.ok(200);
    let (both_email, both, _) = resident(&app, "zhao.both").await;
    app.request(reqwest::Method::PUT, &follow, Some(&both), None).await.ok(200);
    let body = json!({ "body": "建议充电设施远离楼道出口。", "category": "individual", "contact_email": both_email });
    comment(&app, &id, Some(&both), body).await.ok(201);
    let zhang_email = RESIDENT.to_string();

    // The window is extended: followers hear it with the new time and the note.
    let later = (Utc::now() + TimeDelta::days(40)).to_rfc3339();
    let extension = json!({ "closes_at": later, "note": "应群众要求延长征求意见期" });
    app.post(&format!("/api/v1/decisions/{id}/consultation/extensions"), Some(&staff), extension).await.ok(200);
    let extended = mails_to(&app, &zhang_email, "follow_extended").await;
    assert_eq!(extended.len(), 1);
    assert!(extended[0].subject.contains("示范区电动自行车集中充电设施管理办法"), "{}", extended[0].subject);
    assert!(
        extended[0].body.contains("应群众要求延长征求意见期") && extended[0].body.contains(&id),
        "{}",
        extended[0].body
    );

    // The clock closes it: followers hear when the report is due; the page says so too.
    set_window_closing(&app, &id, Utc::now() - TimeDelta::seconds(1)).await;
    for _ in 0..100 {
        if !mails_to(&app, &zhang_email, "follow_closed").await.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let closed = mails_to(&app, &zhang_email, "follow_closed").await;
    assert_eq!(closed.len(), 1, "told once that the window closed");
    let page = app.get("/api/v1/me/follows", Some(&zhang)).await;
    let item = &page.ok(200)["items"][0];
    assert_eq!(
        (item["decision"]["id"].as_str(), item["decision"]["status"].as_str()),
        (Some(id.as_str()), Some("closed"))
    );
    let due = item["report_due_on"].as_str().expect("a closed window without a report has a due day").to_string();
    let due_label = chrono::NaiveDate::parse_from_str(&due, "%Y-%m-%d").unwrap().format("%Y年%-m月%-d日").to_string();
    assert!(closed[0].body.contains(&due_label), "{due_label}: {}", closed[0].body);
    assert_eq!(item["feedback_version"], 0);

    // The report: followers hear of it; the follower who commented hears once (as a submitter).
    app.post(&format!("/api/v1/decisions/{id}/feedback-reports"), Some(&staff), json!({})).await.ok(201);
    assert_eq!(mails_to(&app, &zhang_email, "follow_feedback").await.len(), 1);
    assert_eq!(mails_to(&app, &both_email, "follow_feedback").await.len(), 0, "already told as a submitter");
    assert_eq!(mails_to(&app, &both_email, "feedback_published").await.len(), 1);
    let item = &app.get("/api/v1/me/follows", Some(&zhang)).await.ok(200)["items"][0].clone();
    assert_eq!((item["feedback_version"].as_i64(), item.get("report_due_on")), (Some(1), None));

    // Decided.
    let outcome = json!({ "decided_on": "2026-12-20", "interpretation": "一图读懂" });
    app.post(&format!("/api/v1/decisions/{id}/outcome"), Some(&staff), outcome).await.ok(200);
    let decided = mails_to(&app, &zhang_email, "follow_decided").await;
    assert_eq!(decided.len(), 1);
    assert!(decided[0].body.contains("2026-12-20"), "{}", decided[0].body);

    // Every step once to each current follower; nothing to the one who left or the disabled one.
    let all = mail(&app).await;
    for kind in ["follow_extended", "follow_closed", "follow_feedback", "follow_decided"] {
        assert_eq!(all.get(&(kind.to_string(), zhang_email.clone())), Some(&1), "{kind}: {all:?}");
        for nobody in [&left_email, &off_email] {
            assert_eq!(all.get(&(kind.to_string(), nobody.clone())), None, "{kind} to {nobody}: {all:?}");
        }
    }
    for kind in ["follow_extended", "follow_closed", "follow_decided"] {
        assert_eq!(all.get(&(kind.to_string(), both_email.clone())), Some(&1), "{kind}: {all:?}");
    }

    // Nobody else learns whom they follow: not the public decision, not the agency's views.
    for (path, token) in [
        (format!("/api/v1/decisions/{id}"), None),
        (format!("/api/v1/decisions/{id}"), Some(staff.as_str())),
        (format!("/api/v1/decisions/{id}/audit-log"), Some(staff.as_str())),
    ] {
        let a = app.get(&path, token).await;
        assert!(!a.text.contains(RESIDENT) && !a.text.contains("li.left"), "{path}: {}", a.text);
    }
}

#[tokio::test]
async fn following_needs_a_session_and_a_published_decision() {
    let app = TestApp::spawn_demo().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let draft = create_decision(&app, &staff, "示范区尚未公开的草案").await;
    add_text_version(&app, &staff, &draft, DRAFT).await;
    let zhang = app.login_demo(RESIDENT).await;
    let put = |path: String, token: Option<String>| {
        let app = &app;
        async move { app.request(reqwest::Method::PUT, &path, token.as_deref(), None).await }
    };

    let refused = put(format!("/api/v1/decisions/{draft}/follow"), Some(staff.clone())).await;
    assert_eq!(refused.problem(409)["code"], "not_published");
    put(format!("/api/v1/decisions/{draft}/follow"), Some(zhang.clone())).await.problem(404);
    put(format!("/api/v1/decisions/{}/follow", uuid::Uuid::now_v7()), Some(zhang.clone())).await.problem(404);
    let (id, _) = published_decision(&app, "示范区公开的草案").await;
    put(format!("/api/v1/decisions/{id}/follow"), None).await.problem(401);
    put(format!("/api/v1/decisions/{id}/follow"), Some("not-a-session".into())).await.problem(401);
    app.get("/api/v1/me/follows", None).await.problem(401);
    let page_too_big = app.get("/api/v1/me/follows?per_page=201", Some(&zhang)).await;
    page_too_big.problem(400);

    // Withdrawn: followers hear why.
    put(format!("/api/v1/decisions/{id}/follow"), Some(zhang.clone())).await.ok(200);
    let reason = "上位法已修订，本办法不再制定。";
    app.post(&format!("/api/v1/decisions/{id}/withdraw"), Some(&staff), json!({ "reason": reason })).await.ok(200);
    let told = mails_to(&app, RESIDENT, "follow_withdrawn").await;
    assert_eq!(told.len(), 1);
    assert!(told[0].body.contains(reason), "{}", told[0].body);
}

#[tokio::test]
async fn parallel_follows_make_one_row_and_a_page_lists_the_newest_first() {
    let app = TestApp::spawn_demo().await;
    let zhang = app.login_demo(RESIDENT).await;
    let (a, _) = published_decision(&app, "示范区第一件事项").await;
    let (b, _) = published_decision(&app, "示范区第二件事项").await;
    for id in [&a, &b] {
        let path = format!("/api/v1/decisions/{id}/follow");
        let answers = join_all((0..12).map(|_| app.request(reqwest::Method::PUT, &path, Some(&zhang), None))).await;
        assert!(
            answers.iter().all(|x| x.status.as_u16() == 200),
            "{:?}",
            answers.iter().map(|x| &x.text).collect::<Vec<_>>()
        );
        let id: uuid::Uuid = id.parse().unwrap();
        let rows =
            follows::Entity::find().filter(follows::Column::DecisionId.eq(id)).count(app.db.conn()).await.unwrap();
        assert_eq!(rows, 1, "twelve parallel follows, one row");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let page = app.get("/api/v1/me/follows?per_page=1", Some(&zhang)).await;
    assert_eq!(page.ok(200)["meta"]["total"], 2);
    assert_eq!(page.body["items"][0]["decision"]["id"], b.as_str(), "the newest follow first");
    let second = app.get("/api/v1/me/follows?per_page=1&page=2", Some(&zhang)).await;
    assert_eq!(second.ok(200)["items"][0]["decision"]["id"], a.as_str());
}

/// The fan-out reads followers in pages (of 500): more than two pages of followers each get
/// exactly one e-mail.
#[tokio::test]
async fn a_decision_with_many_followers_tells_each_once() {
    use sea_orm::ActiveValue::Set;
    use wenji::entities::accounts;
    let app = TestApp::spawn_demo().await;
    let (id, staff) = published_decision(&app, "示范区垃圾分类管理办法").await;
    let decision: uuid::Uuid = id.parse().unwrap();
    let n = 1_234;
    let now = Utc::now();
    let people: Vec<uuid::Uuid> = (0..n).map(|_| uuid::Uuid::now_v7()).collect();
    for chunk in people.chunks(200) {
        let rows = chunk.iter().enumerate().map(|(i, a)| accounts::ActiveModel {
            id: Set(*a),
            email: Set(format!("f{}-{i}@example.cn", a.simple())),
            display_name: Set("关注者".into()),
            password_hash: Set("not-a-usable-hash".into()),
            role: Set(wenji::authz::Role::Resident),
            agency_id: Set(None),
            created_at: Set(now),
            disabled_at: Set(None),
            reset_code_hash: Set(None),
            reset_expires_at: Set(None),
        });
        accounts::Entity::insert_many(rows).exec_without_returning(app.db.conn()).await.unwrap();
        let rows = chunk.iter().map(|a| follows::ActiveModel {
            account_id: Set(*a),
            decision_id: Set(decision),
            created_at: Set(now),
        });
        follows::Entity::insert_many(rows).exec_without_returning(app.db.conn()).await.unwrap();
    }
    let later = (Utc::now() + TimeDelta::days(40)).to_rfc3339();
    let extension = json!({ "closes_at": later, "note": "延长" });
    app.post(&format!("/api/v1/decisions/{id}/consultation/extensions"), Some(&staff), extension).await.ok(200);
    let all = mail(&app).await;
    let told: Vec<_> = all.iter().filter(|((kind, _), _)| kind == "follow_extended").collect();
    assert_eq!(told.len(), n, "every follower told");
    assert!(told.iter().all(|(_, count)| **count == 1), "each once");
}

/// Moves a decision's window opening into the past, as if it had opened `days` ago.
async fn opened_days_ago(app: &TestApp, id: &str, days: i64) {
    use sea_orm::sea_query::Expr;
    use wenji::entities::decisions;
    let id: uuid::Uuid = id.parse().unwrap();
    decisions::Entity::update_many()
        .col_expr(decisions::Column::WindowOpensAt, Expr::value(Utc::now() - TimeDelta::days(days)))
        .filter(decisions::Column::Id.eq(id))
        .exec(app.db.conn())
        .await
        .unwrap();
}

/// Three days before a window closes, followers who have not commented are reminded, once
/// however many sweeps run at once; an extension's new closing time is reminded of again; a
/// window too short for a reminder gets none.
#[tokio::test]
async fn followers_who_have_not_commented_are_reminded_once_before_the_close() {
    use wenji::follows::notify::remind_closing;
    let app = TestApp::spawn_demo().await;
    let state = wenji::state::AppState::new(app.db.clone(), app.config.clone(), app.keys.clone());
    let (id, staff) = published_decision(&app, "示范区老旧小区加装电梯指导意见").await;
    let follow = format!("/api/v1/decisions/{id}/follow");
    let zhang = app.login_demo(RESIDENT).await;
    app.request(reqwest::Method::PUT, &follow, Some(&zhang), None).await.ok(200);
    let (said_email, said, _) = resident(&app, "sun.said").await;
    app.request(reqwest::Method::PUT, &follow, Some(&said), None).await.ok(200);
    comment(&app, &id, Some(&said), simple("建议低层住户补偿标准公开。")).await.ok(201);

    // Four weeks in, two days to go: four sweeps at once remind once.
    opened_days_ago(&app, &id, 28).await;
    set_window_closing(&app, &id, Utc::now() + TimeDelta::days(2)).await;
    let runs = join_all((0..4).map(|_| remind_closing(&state))).await;
    assert!(runs.iter().all(|r| r.is_ok()), "{runs:?}");
    let reminded = mails_to(&app, RESIDENT, "follow_closing_soon").await;
    assert_eq!(reminded.len(), 1, "once, however many sweeps: {runs:?}");
    assert!(reminded[0].body.contains("您还没有提出意见"), "{}", reminded[0].body);
    assert!(mails_to(&app, &said_email, "follow_closing_soon").await.is_empty(), "who commented is not reminded");
    assert_eq!(remind_closing(&state).await.unwrap(), 0, "nothing more on the next tick");

    // Extended by five weeks: no reminder now; two days before the new close, one more.
    let later = (Utc::now() + TimeDelta::days(35)).to_rfc3339();
    let extension = json!({ "closes_at": later, "note": "延长" });
    app.post(&format!("/api/v1/decisions/{id}/consultation/extensions"), Some(&staff), extension).await.ok(200);
    assert_eq!(remind_closing(&state).await.unwrap(), 0);
    set_window_closing(&app, &id, Utc::now() + TimeDelta::days(1)).await;
    // (The node's own clock loop may be the one that sends it: count the e-mails.)
    remind_closing(&state).await.unwrap();
    assert_eq!(mails_to(&app, RESIDENT, "follow_closing_soon").await.len(), 2);

    // A two-day window: its followers hear of the close, not of a reminder.
    let (short, _) = published_decision(&app, "示范区临时交通管制方案").await;
    app.request(reqwest::Method::PUT, &format!("/api/v1/decisions/{short}/follow"), Some(&zhang), None).await.ok(200);
    opened_days_ago(&app, &short, 1).await;
    set_window_closing(&app, &short, Utc::now() + TimeDelta::days(1)).await;
    assert_eq!(remind_closing(&state).await.unwrap(), 0);
    assert_eq!(mails_to(&app, RESIDENT, "follow_closing_soon").await.len(), 2);
}

/// The (account, decision, token) of the unfollow link in an e-mail body.
fn unfollow_link(body: &str) -> (String, String, String) {
    let line = body.lines().find(|l| l.contains("/unfollow?")).unwrap_or_else(|| panic!("no link: {body}"));
    let url = reqwest::Url::parse(&line[line.find("http").unwrap()..]).unwrap();
    let q: std::collections::HashMap<String, String> = url.query_pairs().into_owned().collect();
    (q["account"].clone(), q["decision"].clone(), q["token"].clone())
}

/// Every follow e-mail carries its recipient's own link that unfollows without a sign-in; a
/// link altered in any part changes nothing.
#[tokio::test]
async fn the_link_in_a_follow_e_mail_unfollows_without_a_sign_in() {
    let app = TestApp::spawn_demo().await;
    let (id, staff) = published_decision(&app, "示范区公园绿地开放共享实施方案").await;
    let (other_id, _) = published_decision(&app, "示范区口袋公园建设导则").await;
    let follow = format!("/api/v1/decisions/{id}/follow");
    let zhang = app.login_demo(RESIDENT).await;
    let zhang_id = app.get("/api/v1/auth/me", Some(&zhang)).await.ok(200)["id"].as_str().unwrap().to_string();
    app.request(reqwest::Method::PUT, &follow, Some(&zhang), None).await.ok(200);
    let (qian_email, qian, _) = resident(&app, "qian.other").await;
    app.request(reqwest::Method::PUT, &follow, Some(&qian), None).await.ok(200);
    let extension = json!({ "closes_at": (Utc::now() + TimeDelta::days(40)).to_rfc3339(), "note": "延长" });
    app.post(&format!("/api/v1/decisions/{id}/consultation/extensions"), Some(&staff), extension).await.ok(200);
    let (account, decision, token) = unfollow_link(&mails_to(&app, RESIDENT, "follow_extended").await[0].body);
    assert_eq!((account.as_str(), decision.as_str()), (zhang_id.as_str(), id.as_str()));
    let (_, _, qian_token) = unfollow_link(&mails_to(&app, &qian_email, "follow_extended").await[0].body);
    assert_ne!(token, qian_token, "each recipient has their own link");

    let post = |account: &str, decision: &str, token: &str| {
        let body = json!({ "account_id": account, "decision_id": decision, "token": token });
        let app = &app;
        async move { app.post("/api/v1/follows/unsubscribe", None, body).await }
    };
    let mut altered = token.clone().into_bytes();
    altered[31] = if altered[31] == b'0' { b'1' } else { b'0' };
    let altered = String::from_utf8(altered).unwrap();
    for (a, d, t) in [
        (account.as_str(), decision.as_str(), altered.as_str()),
        (account.as_str(), decision.as_str(), qian_token.as_str()),
        (account.as_str(), other_id.as_str(), token.as_str()),
        (account.as_str(), decision.as_str(), ""),
    ] {
        post(a, d, t).await.problem(404);
    }
    assert_eq!(app.get(&follow, Some(&zhang)).await.ok(200)["following"], true, "nothing changed");

    let done = post(&account, &decision, &token).await;
    assert_eq!(done.ok(200)["title"], "示范区公园绿地开放共享实施方案");
    assert_eq!(done.body["following"], false);
    assert_eq!(app.get(&follow, Some(&zhang)).await.ok(200)["following"], false);
    assert_eq!(app.get(&follow, Some(&qian)).await.ok(200)["following"], true, "only the link's account");
    post(&account, &decision, &token).await.ok(200);
}
