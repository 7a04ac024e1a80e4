//! Adoption feedback: viewpoints, dispositions, the published report and its hash chain, the
//! submitter's answer and rating — against a hand-counted consultation.

use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{Value, json};
use sha2::Digest;

use crate::helpers::*;

fn id_of(a: Answer) -> String {
    a.ok(201)["comment"]["id"].as_str().unwrap().to_string()
}

async fn put(app: &TestApp, path: &str, token: &str, body: Value) -> Answer {
    app.request(Method::PUT, path, Some(token), Some(body)).await
}

/// The hand count (online unless said otherwise):
/// c1, c2 by the demo resident's account; c3, c4 anonymous with one e-mail address; c5, c6
/// anonymous, identical (a duplicate group); c7 hidden as spam; c8 withdrawn; c9 a letter
/// with a phone number. Considered: c1–c6 and c9 = 7; received (not withdrawn) = 8.
/// People: one account + two contact addresses + two anonymous comments = 5.
/// Viewpoints: A ← c1 (adopted); B ← c3, c4 and, merged from C, the group c5, c6
/// (not adopted; c4 overridden to partly adopted); c9 not applicable on its own; c2 none.
#[tokio::test]
async fn a_feedback_report_from_viewpoints_to_verified_versions() {
    let app = spawn_demo_without_comment_limits().await;
    let (id, staff, _) = {
        let staff = app.login_demo(FGW_STAFF).await;
        let id = create_decision(&app, &staff, "示范区机动车停车收费管理办法").await;
        add_text_version(&app, &staff, &id, DRAFT).await;
        open(&app, &staff, &id, json!({ "closes_at": in_days(30) })).await;
        (id, staff, ())
    };
    let resident = app.login_demo(RESIDENT).await;
    let other = app.login_demo("liu.yang@wenji.demo").await;
    let with_email =
        |text: &str| json!({ "body": text, "category": "individual", "contact_email": "a.person@example.cn" });
    let c1 = id_of(comment(&app, &id, Some(&resident), simple("建议在老旧小区周边增加停车位。")).await);
    let c2 = id_of(comment(&app, &id, Some(&resident), simple("建议延长夜间免费停车的时段。")).await);
    let c3 = comment(&app, &id, None, with_email("停车收费标准应当经过价格听证。")).await;
    let (c3, c3_tracking, c3_secret) = {
        let b = c3.ok(201);
        (
            b["comment"]["id"].as_str().unwrap().to_string(),
            b["receipt"]["tracking_number"].as_str().unwrap().to_string(),
            b["receipt"]["secret"].as_str().unwrap().to_string(),
        )
    };
    let c4 = id_of(comment(&app, &id, None, with_email("医院周边的临时停车应有优惠。")).await);
    let campaign = "坚决反对在居民区道路上设置收费停车泊位。";
    let c5 = id_of(comment(&app, &id, None, simple(campaign)).await);
    comment(&app, &id, None, simple(campaign)).await.ok(201);
    let c7 = id_of(comment(&app, &id, None, simple("优惠代办各类证件，请加微信。")).await);
    let c8 = id_of(comment(&app, &id, Some(&other), simple("整体赞成。")).await);
    let today = (chrono::Utc::now() + chrono::TimeDelta::hours(8)).format("%Y-%m-%d").to_string();
    let letter = json!({ "body": "来信：请说明收费资金的用途。", "channel": "letter", "received_on": today, "category": "individual", "contact_phone": "13900000000" });
    let c9 = id_of(app.post(&format!("/api/v1/decisions/{id}/offline-comments"), Some(&staff), letter).await);
    let hide = json!({ "action": "hide", "reason": "spam", "comment_ids": [c7] });
    app.post(&format!("/api/v1/decisions/{id}/moderation/actions"), Some(&staff), hide).await.ok(200);
    app.request(Method::POST, &format!("/api/v1/comments/{c8}/withdraw"), Some(&other), None).await.ok(200);

    // Viewpoints, and comments assigned by id, by duplicate group, and by merging.
    let new_viewpoint = |title: &'static str| {
        let app = &app;
        let staff = &staff;
        let id = &id;
        async move {
            let v =
                app.post(&format!("/api/v1/decisions/{id}/viewpoints"), Some(staff), json!({ "title": title })).await;
            v.ok(201)["id"].as_str().unwrap().to_string()
        }
    };
    let a = new_viewpoint("增加停车供给").await;
    let b = new_viewpoint("收费标准与听证").await;
    let c = new_viewpoint("反对道路收费").await;
    let assignments = format!("/api/v1/decisions/{id}/viewpoint-assignments");
    let assigned = app.post(&assignments, Some(&staff), json!({ "viewpoint_id": a, "comment_ids": [c1] })).await;
    assert_eq!(assigned.ok(200)["changed"], 1);
    let assigned = app.post(&assignments, Some(&staff), json!({ "viewpoint_id": b, "comment_ids": [c3, c4] })).await;
    assert_eq!(assigned.ok(200)["changed"], 2);
    let group = {
        use sea_orm::EntityTrait;
        let row = wenji::entities::comments::Entity::find_by_id(c5.parse::<uuid::Uuid>().unwrap())
            .one(app.db.conn())
            .await
            .unwrap()
            .unwrap();
        row.duplicate_group_id.expect("identical comments form a duplicate group")
    };
    let by_group = json!({ "viewpoint_id": c, "filter": { "duplicate_group_id": group } });
    assert_eq!(app.post(&assignments, Some(&staff), by_group.clone()).await.ok(200)["changed"], 2);
    assert_eq!(app.post(&assignments, Some(&staff), by_group).await.ok(200)["changed"], 0, "nothing moved twice");
    let merged = app.post(&format!("/api/v1/viewpoints/{c}/merge"), Some(&staff), json!({ "into": b })).await;
    assert_eq!(merged.ok(200)["comments"], 4);

    // Dispositions: a reason is required to turn a point down.
    let no_reason =
        put(&app, &format!("/api/v1/viewpoints/{b}/disposition"), &staff, json!({ "disposition": "not_adopted" }))
            .await;
    assert_eq!(no_reason.error_fields(), vec!["reason"]);
    let reason = "收费标准已按价格法规定另行听证，本办法不作规定。";
    let answer = json!({ "disposition": "not_adopted", "reason": reason, "reply": "感谢您的意见。" });
    put(&app, &format!("/api/v1/viewpoints/{b}/disposition"), &staff, answer).await.ok(200);
    let partly = json!({ "disposition": "partly_adopted", "reason": "医院周边增设限时免费泊位，不设专门优惠。" });
    put(&app, &format!("/api/v1/comments/{c4}/disposition"), &staff, partly).await.ok(204);
    put(&app, &format!("/api/v1/comments/{c9}/disposition"), &staff, json!({ "disposition": "not_applicable" }))
        .await
        .ok(204);

    // The inbox shows each comment's viewpoint and own disposition, and filters by them.
    let inbox = format!("/api/v1/decisions/{id}/moderation/comments");
    let under_b = app.get(&format!("{inbox}?viewpoint_id={b}"), Some(&staff)).await;
    assert_eq!(under_b.ok(200)["meta"]["total"], 4);
    let own = under_b.body["items"].as_array().unwrap().iter().find(|c| c["id"] == c4.as_str()).unwrap().clone();
    assert_eq!((&own["viewpoint_id"], &own["disposition"]), (&json!(b), &json!("partly_adopted")));
    let loose = app.get(&format!("{inbox}?unassigned=true&status=published"), Some(&staff)).await;
    let mut loose_ids: Vec<String> =
        loose.ok(200)["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_string()).collect();
    loose_ids.sort();
    let mut expected = vec![c2.clone(), c9.clone()];
    expected.sort();
    assert_eq!(loose_ids, expected);

    // Not before the window closes; not while a viewpoint is undecided.
    let reports = format!("/api/v1/decisions/{id}/feedback-reports");
    let early = app.post(&reports, Some(&staff), json!({})).await;
    early.problem(409);
    assert_eq!(early.body["code"], "not_closed");
    close_window_now(&app, &id).await;
    let undecided = app.post(&reports, Some(&staff), json!({})).await;
    assert_eq!(undecided.error_fields(), vec!["viewpoints"]);
    assert!(undecided.text.contains("增加停车供给"), "{}", undecided.text);
    put(&app, &format!("/api/v1/viewpoints/{a}/disposition"), &staff, json!({ "disposition": "adopted" }))
        .await
        .ok(200);

    // The workbench and the preview count what the report will say.
    let bench = app.get(&format!("/api/v1/decisions/{id}/feedback/workbench"), Some(&staff)).await;
    let bench = bench.ok(200);
    assert_eq!(bench["unassigned"], 2, "c2 and c9");
    let tally = json!({ "adopted": 1, "partly_adopted": 1, "not_adopted": 3, "not_applicable": 1, "undecided": 1 });
    assert_eq!(bench["tally"], tally);
    let intro = "本次征求意见共收到意见 9 条。";
    let preview = app
        .post(
            &format!("/api/v1/decisions/{id}/feedback-report/preview"),
            Some(&staff),
            json!({ "introduction": intro }),
        )
        .await;
    let preview = preview.ok(200).clone();
    let totals = &preview["totals"];
    assert_eq!(
        [&totals["received"], &totals["hidden"], &totals["comments"], &totals["participants"], &totals["unassigned"]],
        [&json!(8), &json!(1), &json!(7), &json!(5), &json!(2)]
    );
    assert_eq!(totals["duplicate_groups"], 1);

    // Publish: version 1, the decision's status moves on.
    let v1 = app.post(&reports, Some(&staff), json!({ "introduction": intro })).await;
    let v1 = v1.ok(201).clone();
    assert_eq!((&v1["version"], &v1["content"]["tally"]), (&json!(1), &tally));
    assert!(v1.get("previous_hash").is_none());
    let viewpoints: Vec<(&str, u64, &str)> = v1["content"]["viewpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["title"].as_str().unwrap(), v["comments"].as_u64().unwrap(), v["disposition"].as_str().unwrap()))
        .collect();
    assert_eq!(viewpoints, vec![("增加停车供给", 1, "adopted"), ("收费标准与听证", 4, "not_adopted")]);
    let public = app.get(&format!("/api/v1/decisions/{id}"), None).await;
    assert_eq!(public.ok(200)["status"], "feedback_published");
    // One e-mail per address that left one (c3 and c4 share theirs), naming both receipts.
    let mails = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        use wenji::entities::outbox::{Column as O, Entity};
        Entity::find().filter(O::Kind.eq("feedback_published")).all(app.db.conn()).await.unwrap()
    };
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].recipient, "a.person@example.cn");
    assert!(mails[0].body.contains(&c3_tracking) && mails[0].subject.contains("示范区机动车停车收费管理办法"));

    // Anyone can recompute the hash from the canonical text.
    let canonical = app.get(&format!("{reports}/1/canonical"), None).await;
    let digest = hex::encode(sha2::Sha256::digest(canonical.text.as_bytes()));
    assert_eq!(digest, v1["hash"].as_str().unwrap());

    // The submitter sees the answer with their receipt, and rates it once.
    let mine = app
        .send(
            app.client.get(app.url(&format!("/api/v1/receipts/{c3_tracking}"))).header("x-receipt-secret", &c3_secret),
        )
        .await;
    let answer = &mine.ok(200)["answer"];
    assert_eq!(
        (&answer["disposition"], &answer["reason"], &answer["viewpoint_title"], &answer["can_rate"]),
        (&json!("not_adopted"), &json!(reason), &json!("收费标准与听证"), &json!(true))
    );
    let rating = format!("/api/v1/receipts/{c3_tracking}/rating");
    let rate =
        |body: Value| app.send(app.client.post(app.url(&rating)).header("x-receipt-secret", &c3_secret).json(&body));
    let rated = rate(json!({ "satisfaction": "dissatisfied", "remark": "希望再考虑" })).await;
    assert_eq!((&rated.ok(200)["satisfaction"], &rated.body["can_rate"]), (&json!("dissatisfied"), &json!(false)));
    let again = rate(json!({ "satisfaction": "satisfied" })).await;
    again.problem(409);
    assert_eq!(again.body["code"], "already_rated");
    let own = app
        .post(&format!("/api/v1/comments/{c1}/rating"), Some(&resident), json!({ "satisfaction": "satisfied" }))
        .await;
    assert_eq!(own.ok(200)["disposition"], "adopted");
    app.post(&format!("/api/v1/comments/{c2}/rating"), Some(&other), json!({ "satisfaction": "satisfied" }))
        .await
        .problem(404);
    let mine = app.get("/api/v1/me/comments", Some(&resident)).await;
    let by_id: Vec<(&str, &Value)> =
        mine.ok(200)["items"].as_array().unwrap().iter().map(|c| (c["id"].as_str().unwrap(), &c["answer"])).collect();
    assert!(by_id.iter().any(|(i, a)| *i == c2 && a["can_rate"] == true && a.get("disposition").is_none()));
    let satisfied = wenji::comments::store::count_of(app.db.conn(), id.parse().unwrap(), "satisfaction", "satisfied");
    assert_eq!(satisfied.await.unwrap(), 1);

    // A correction is a new version with a note, chained to the first; the first is unchanged.
    put(&app, &format!("/api/v1/viewpoints/{a}"), &staff, json!({ "title": "增加停车供给（含立体停车库）" }))
        .await
        .ok(200);
    let no_note = app.post(&reports, Some(&staff), json!({ "introduction": intro })).await;
    assert_eq!(no_note.error_fields(), vec!["note"]);
    let v2 = app.post(&reports, Some(&staff), json!({ "introduction": intro, "note": "更正观点一的标题。" })).await;
    let v2 = v2.ok(201).clone();
    assert_eq!((&v2["version"], &v2["previous_hash"]), (&json!(2), &v1["hash"]));
    let first = app.get(&format!("{reports}/1"), None).await;
    assert_eq!(first.ok(200)["content"], v1["content"], "a published version never changes");
    let history = app.get(&reports, None).await;
    assert_eq!(history.ok(200)["versions"].as_array().unwrap().len(), 2);
    let verified = app.get(&format!("/api/v1/decisions/{id}/feedback-verification"), None).await;
    assert_eq!(verified.ok(200)["valid"], true);

    // A row changed behind the platform's back fails verification.
    {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        use wenji::entities::feedback_reports::{Column as R, Entity};
        let tampered = canonical.text.replace("\"adopted\":1", "\"adopted\":2");
        assert_ne!(tampered, canonical.text);
        Entity::update_many()
            .col_expr(R::Content, Expr::value(tampered))
            .filter(R::DecisionId.eq(id.parse::<uuid::Uuid>().unwrap()))
            .filter(R::Version.eq(1))
            .exec(app.db.conn())
            .await
            .unwrap();
    }
    let broken = app.get(&format!("/api/v1/decisions/{id}/feedback-verification"), None).await;
    let broken = broken.ok(200);
    assert_eq!(broken["valid"], false);
    assert_eq!(
        (&broken["versions"][0]["hash_matches"], &broken["versions"][1]["hash_matches"]),
        (&json!(false), &json!(true))
    );

    // The audit log has every step.
    let admin = app.login_demo(PLATFORM_ADMIN).await;
    let log = app.get(&format!("/api/v1/decisions/{id}/audit-log"), Some(&admin)).await;
    for action in [
        "viewpoint_created",
        "comments_assigned",
        "viewpoints_merged",
        "viewpoint_answered",
        "comment_answered",
        "feedback_report_published",
    ] {
        assert!(log.text.contains(action), "{action} missing");
    }
}

/// Publishing the same version from several places at once: exactly one wins, the others are
/// told to reload — on PostgreSQL too, where the requests really run in parallel.
#[tokio::test]
async fn parallel_publications_make_one_version() {
    let app = spawn_demo_without_comment_limits().await;
    let (id, staff) = published_decision(&app, "示范区共享单车停放管理办法").await;
    comment(&app, &id, None, simple("建议增加停放点。")).await.ok(201);
    close_window_now(&app, &id).await;
    let reports = format!("/api/v1/decisions/{id}/feedback-reports");
    let answers =
        join_all((0..6).map(|_| app.post(&reports, Some(&staff), json!({ "introduction": "同时公布" })))).await;
    let created = answers.iter().filter(|a| a.status.as_u16() == 201).count();
    // The others lost the race (409), or arrived once version 1 was out and so were read as a
    // correction without a note (422): none made a second version.
    let refused = answers
        .iter()
        .filter(|a| {
            (a.status.as_u16() == 409 && a.body["code"] == "report_changed")
                || (a.status.as_u16() == 422 && a.error_fields() == vec!["note"])
        })
        .count();
    assert_eq!((created, refused), (1, 5), "{:?}", answers.iter().map(|a| &a.text).collect::<Vec<_>>());
    let history = app.get(&reports, None).await;
    assert_eq!(history.ok(200)["versions"].as_array().unwrap().len(), 1);
}

/// The deadline list: a closed consultation without a report past its due day is missing.
#[tokio::test]
async fn overdue_reports_are_listed_as_missing() {
    let app = TestApp::spawn_with(|c| c.feedback_due_days = 0).await;
    wenji::demo::load(&app.db).await.unwrap();
    let (id, staff) = published_decision(&app, "示范区道路挖掘管理办法").await;
    {
        // Closed two days ago: due (0 days after) the day it closed, so missing now.
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        use wenji::entities::decisions;
        let past = chrono::Utc::now() - chrono::TimeDelta::days(2);
        decisions::Entity::update_many()
            .col_expr(decisions::Column::WindowClosesAt, Expr::value(past))
            .filter(decisions::Column::Id.eq(id.parse::<uuid::Uuid>().unwrap()))
            .exec(app.db.conn())
            .await
            .unwrap();
    }
    let list = app.get("/api/v1/feedback/deadlines", Some(&staff)).await;
    let item = list.ok(200)["items"].as_array().unwrap().iter().find(|d| d["decision_id"] == id.as_str()).cloned();
    assert_eq!(item.expect("listed")["timeliness"], "missing");
    let other = app.login_demo(ZJJ_STAFF).await;
    let theirs = app.get("/api/v1/feedback/deadlines", Some(&other)).await;
    assert!(!theirs.ok(200).to_string().contains(&id), "another agency's deadlines are not listed");
}
