//! Draft-decision pre-disclosure: decisions, versions, consultations, life cycle, search.

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn a_draft_is_visible_to_its_agency_only() {
    let app = TestApp::spawn_demo().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let id = create_decision(&app, &staff, "关于调整公交线路的决定").await;
    let path = format!("/api/v1/decisions/{id}");
    assert_eq!(app.get(&path, Some(&staff)).await.ok(200)["status"], "draft");
    app.get(&path, None).await.problem(404);
    for who in [RESIDENT, ZJJ_STAFF, ZJJ_ADMIN] {
        let t = app.login_demo(who).await;
        app.get(&path, Some(&t)).await.problem(404);
    }
    let admin = app.login_demo(PLATFORM_ADMIN).await;
    app.get(&path, Some(&admin)).await.ok(200);
    // And in lists.
    let public = app.get("/api/v1/decisions", None).await;
    assert_eq!(public.ok(200)["meta"]["total"], 0);
    let own = app.get("/api/v1/decisions", Some(&staff)).await;
    assert_eq!(own.ok(200)["meta"]["total"], 1);
    let other = app.login_demo(ZJJ_STAFF).await;
    assert_eq!(app.get("/api/v1/decisions", Some(&other)).await.ok(200)["meta"]["total"], 0);
}

#[tokio::test]
async fn a_chinese_draft_splits_into_chapters_articles_and_items() {
    let app = TestApp::spawn_demo().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let id = create_decision(&app, &staff, "示范区养老服务设施建设管理办法").await;
    let v = add_text_version(&app, &staff, &id, DRAFT).await;
    assert_eq!(v["number"], 1);
    let sections = v["sections"].as_array().unwrap();
    let labels: Vec<&str> = sections.iter().map(|s| s["label"].as_str().unwrap()).collect();
    assert_eq!(
        labels,
        [
            "",
            "第一章",
            "第一条",
            "第二条",
            "第二章",
            "第三条",
            "第四条",
            "（一）",
            "（二）",
            "（三）",
            "第三章",
            "第五条"
        ]
    );
    let third = &sections[5];
    assert_eq!(third["kind"], "article");
    assert_eq!(third["key"], "第二章/第三条");
    assert!(third["text"].as_str().unwrap().contains("\n配套设施应当与住宅同步规划"), "second paragraph (款) kept");
    assert_eq!(third["parent_id"], sections[4]["id"]);
    assert_eq!(sections[7]["kind"], "sub_item");
    assert_eq!(sections[7]["parent_id"], sections[6]["id"]);
    assert_eq!(sections[1]["heading"], "总则");

    // The preview answers the same without saving.
    let preview = app.post("/api/v1/drafts/split", Some(&staff), json!({ "text": DRAFT })).await;
    assert_eq!(preview.ok(200)["sections"].as_array().unwrap().len(), sections.len());

    // A numbering gap is an error with the line, never a guess.
    let bad = app
        .post(
            &format!("/api/v1/decisions/{id}/versions"),
            Some(&staff),
            json!({ "text": "第一条 甲。\n第二条 乙。\n第四条 丁。" }),
        )
        .await;
    bad.problem(422);
    assert_eq!(
        bad.body["errors"],
        json!([{ "field": "text", "code": "numbering_gap", "message": "第3行：第二条之后应为第三条，但出现了第四条。" }])
    );
    let bad_en = app
        .send(
            app.client
                .post(app.url("/api/v1/drafts/split"))
                .bearer_auth(&staff)
                .header("accept-language", "en")
                .json(&json!({ "text": "第一条 甲。\n第二条 乙。\n第四条 丁。" })),
        )
        .await;
    bad_en.problem(422);
    assert_eq!(
        bad_en.body["errors"],
        json!([{ "field": "text", "code": "numbering_gap", "message": "Line 3: 第四条 follows 第二条; expected 第三条." }])
    );
    let nothing = app.post("/api/v1/drafts/split", Some(&staff), json!({ "text": "没有任何编号的一段话。" })).await;
    nothing.problem(422);
    assert_eq!(nothing.body["errors"][0]["code"], "no_structure");
}

#[tokio::test]
async fn structured_sections_are_accepted_and_checked() {
    let app = TestApp::spawn_demo().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let id = create_decision(&app, &staff, "结构化草案").await;
    let ok = app
        .post(
            &format!("/api/v1/decisions/{id}/versions"),
            Some(&staff),
            json!({ "sections": [
                { "kind": "chapter", "label": "第一章", "heading": "总则" },
                { "kind": "article", "label": "第一条", "text": "为了……" },
                { "kind": "sub_item", "label": "（一）", "text": "甲" }
            ] }),
        )
        .await;
    let v = ok.ok(201);
    assert_eq!(v["sections"][2]["key"], "第一章/第一条/（一）");
    let dup = app
        .post(
            &format!("/api/v1/decisions/{id}/versions"),
            Some(&staff),
            json!({ "sections": [ { "kind": "article", "label": "第一条", "text": "a" }, { "kind": "article", "label": "第一条", "text": "b" } ] }),
        )
        .await;
    dup.problem(422);
    assert_eq!(dup.error_fields(), vec!["sections[1].label"]);
    let both = app.post(&format!("/api/v1/decisions/{id}/versions"), Some(&staff), json!({})).await;
    both.problem(422);
}

#[tokio::test]
async fn versions_differ_section_by_section() {
    let app = TestApp::spawn_demo().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let id = create_decision(&app, &staff, "养老服务设施办法").await;
    add_text_version(&app, &staff, &id, DRAFT).await;
    let v2 = DRAFT
        .replace("每百户不少于二十平方米", "每百户不少于三十平方米")
        .replace("（三）组织开展服务质量评估。\n", "（三）组织开展服务质量评估；\n（四）公布设施名录。\n")
        .replace("第二条 本办法适用于本区行政区域内养老服务设施的规划、建设和管理。\n", "");
    // Removing 第二条 renumbers the rest, which the splitter rejects; renumber by hand.
    let v2 = v2.replace("第三条", "第二条").replace("第四条", "第三条").replace("第五条", "第四条");
    add_text_version(&app, &staff, &id, &v2).await;
    let d = app.get(&format!("/api/v1/decisions/{id}/versions/1/diff/2"), Some(&staff)).await;
    let d = d.ok(200);
    assert!(d["changed"].as_u64().unwrap() >= 1, "{d}");
    let changed: Vec<&Value> = d["changes"].as_array().unwrap().iter().filter(|c| c["change"] == "changed").collect();
    let ops: Vec<(String, String)> = changed
        .iter()
        .flat_map(|c| c["text_diff"].as_array().unwrap().iter())
        .map(|o| (o["op"].as_str().unwrap().to_string(), o["text"].as_str().unwrap().to_string()))
        .collect();
    assert!(ops.contains(&("delete".into(), "二".into())) && ops.contains(&("insert".into(), "三".into())), "{ops:?}");
    let changes = d["changes"].as_array().unwrap();
    assert!(changes.iter().any(|c| c["change"] == "added" && c["key"].as_str().unwrap().ends_with("（四）")), "{d}");
    assert!(changes.iter().any(|c| c["change"] == "removed" && c["key"] == "第一章/第二条"), "{d}");
    // Renumbered but unchanged: 第五条 became 第四条.
    assert!(
        changes
            .iter()
            .any(|c| c["change"] == "unchanged" && c["from_key"] == "第三章/第五条" && c["to_key"] == "第三章/第四条"),
        "{d}"
    );
    // A draft version is not public, so neither is the difference.
    app.get(&format!("/api/v1/decisions/{id}/versions/1/diff/2"), None).await.problem(404);
}

#[tokio::test]
async fn the_full_life_cycle_for_the_owning_agency() {
    let app = TestApp::spawn_with(|c| c.window_sweep_interval = Duration::from_millis(200)).await;
    wenji::demo::load(&app.db).await.unwrap();
    let staff = app.login_demo(FGW_STAFF).await;
    let id = create_decision(&app, &staff, "关于示范区养老服务设施的决定").await;
    add_text_version(&app, &staff, &id, DRAFT).await;

    // A short window needs a public reason.
    let closes = (Utc::now() + TimeDelta::seconds(3)).to_rfc3339();
    let refused =
        app.post(&format!("/api/v1/decisions/{id}/consultation"), Some(&staff), json!({ "closes_at": closes })).await;
    refused.problem(422);
    assert_eq!(refused.error_fields(), vec!["short_window_reason"]);
    let d = open(&app, &staff, &id, json!({ "closes_at": closes, "short_window_reason": "上级要求限期出台" })).await;
    assert_eq!(d["status"], "consulting");
    assert_eq!(d["consultation"]["short_window_reason"], "上级要求限期出台");

    // Everyone sees it now; editing the published text is refused with the allowed steps.
    let public = app.get(&format!("/api/v1/decisions/{id}"), None).await;
    assert_eq!(public.ok(200)["consultation"]["version"], 1);
    assert_eq!(public.body["allowed_steps"], json!([]));
    let edit = app.post(&format!("/api/v1/decisions/{id}/versions"), Some(&staff), json!({ "text": DRAFT })).await;
    edit.problem(409);
    assert!(edit.body["detail"].as_str().unwrap().contains("extend_consultation"), "{}", edit.text);

    // Extend by two seconds, never shorten.
    let later = (Utc::now() + TimeDelta::seconds(4)).to_rfc3339();
    let shorter = (Utc::now() + TimeDelta::seconds(1)).to_rfc3339();
    let e = app
        .post(
            &format!("/api/v1/decisions/{id}/consultation/extensions"),
            Some(&staff),
            json!({ "closes_at": shorter, "note": "缩短" }),
        )
        .await;
    e.problem(422);
    assert_eq!(e.body["errors"][0]["code"], "not_later");
    let e = app
        .post(
            &format!("/api/v1/decisions/{id}/consultation/extensions"),
            Some(&staff),
            json!({ "closes_at": later, "note": "应群众要求延长" }),
        )
        .await;
    assert_eq!(e.ok(200)["consultation"]["extensions"][0]["note"], "应群众要求延长");

    // The window closes while the server runs; the clock, not a person, closes it.
    tokio::time::sleep(Duration::from_millis(4600)).await;
    let closed = app.get(&format!("/api/v1/decisions/{id}"), None).await;
    assert_eq!(closed.ok(200)["status"], "closed");
    use sea_orm::EntityTrait;
    let stored = wenji::entities::decisions::Entity::find_by_id(id.parse::<uuid::Uuid>().unwrap())
        .one(app.db.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status.as_str(), "closed", "the sweeper wrote the transition down");

    // The outcome follows the feedback report: refused before it, accepted after.
    let early = app
        .post(
            &format!("/api/v1/decisions/{id}/outcome"),
            Some(&staff),
            json!({ "decided_on": "2026-12-20", "interpretation": "x" }),
        )
        .await;
    early.problem(409);
    let report = app.post(&format!("/api/v1/decisions/{id}/feedback-reports"), Some(&staff), json!({})).await;
    assert_eq!(report.ok(201)["version"], 1);
    // Conclude: the outcome is answered, and read back by anyone, as recorded (titles trimmed).
    let outcome = app
        .post(
            &format!("/api/v1/decisions/{id}/outcome"),
            Some(&staff),
            json!({ "decided_on": "2026-12-20", "interpretation": "一图读懂养老服务设施办法", "links": [
                { "title": " 政策解读 ", "url": "https://example.gov.cn/jd/1" },
                { "title": "新闻发布会实录", "url": "http://example.gov.cn/fbh/2026-12.html" }
            ] }),
        )
        .await;
    let recorded = json!({
        "decided_on": "2026-12-20",
        "final_version": 1,
        "interpretation": "一图读懂养老服务设施办法",
        "links": [
            { "title": "政策解读", "url": "https://example.gov.cn/jd/1" },
            { "title": "新闻发布会实录", "url": "http://example.gov.cn/fbh/2026-12.html" }
        ]
    });
    assert_eq!((&outcome.ok(200)["status"], &outcome.body["outcome"]), (&json!("decided"), &recorded));
    let public = app.get(&format!("/api/v1/decisions/{id}"), None).await;
    assert_eq!((&public.ok(200)["status"], &public.body["outcome"]), (&json!("decided"), &recorded));
    let w = app.post(&format!("/api/v1/decisions/{id}/withdraw"), Some(&staff), json!({ "reason": "不再需要" })).await;
    w.problem(409);
    assert!(w.body["detail"].as_str().unwrap().contains("none") || w.body["detail"].as_str().unwrap().contains("无"));

    // The platform admin reads who did what.
    let admin = app.login_demo(PLATFORM_ADMIN).await;
    let log = app.get(&format!("/api/v1/decisions/{id}/audit-log"), Some(&admin)).await;
    let actions: Vec<&str> =
        log.ok(200)["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "created",
            "version_added",
            "consultation_opened",
            "consultation_extended",
            "status_changed_by_clock",
            "feedback_report_published",
            "outcome_recorded"
        ]
    );
    app.get(&format!("/api/v1/decisions/{id}/audit-log"), Some(&staff)).await.problem(403);
}

#[tokio::test]
async fn scheduled_consultations_and_withdrawal() {
    let app = TestApp::spawn_demo().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let id = create_decision(&app, &staff, "关于公共文化服务的实施意见").await;
    add_text_version(&app, &staff, &id, DRAFT).await;
    let d =
        open(&app, &staff, &id, json!({ "opens_at": in_days(2), "closes_at": in_days(40), "pre_moderation": true }))
            .await;
    assert_eq!(d["status"], "scheduled");
    assert_eq!(d["consultation"]["moderation"], "pre");
    let listed = app.get("/api/v1/decisions?status=scheduled", None).await;
    assert_eq!(listed.ok(200)["meta"]["total"], 1);
    app.get("/api/v1/decisions?open_now=true", None).await.ok(200);
    assert_eq!(app.get("/api/v1/decisions?open_now=true", None).await.body["meta"]["total"], 0);

    let w = app.post(&format!("/api/v1/decisions/{id}/withdraw"), Some(&staff), json!({ "reason": " " })).await;
    w.problem(422);
    let w = app
        .post(&format!("/api/v1/decisions/{id}/withdraw"), Some(&staff), json!({ "reason": "上位政策调整，暂缓出台" }))
        .await;
    assert_eq!(w.ok(200)["status"], "withdrawn");
    let public = app.get(&format!("/api/v1/decisions/{id}"), None).await;
    assert_eq!(public.ok(200)["withdrawn_reason"], "上位政策调整，暂缓出台");
    app.post(&format!("/api/v1/decisions/{id}/withdraw"), Some(&staff), json!({ "reason": "再次撤回" }))
        .await
        .problem(409);
}

/// Staff of agency B, a resident and an anonymous visitor can do nothing to agency A's decision.
#[tokio::test]
async fn only_the_owning_agency_acts_on_a_decision() {
    let app = TestApp::spawn_demo().await;
    let owner = app.login_demo(FGW_STAFF).await;
    let draft = create_decision(&app, &owner, "内部草稿").await;
    add_text_version(&app, &owner, &draft, DRAFT).await;
    let (published, _) = published_decision(&app, "已发布的决策").await;
    let steps = |id: &str| -> Vec<(Method, String, Value)> {
        vec![
            (
                Method::PUT,
                format!("/api/v1/decisions/{id}"),
                json!({ "policy_area_id": uuid::Uuid::nil(), "title": "修改后的标题", "catalogue_year": 2026 }),
            ),
            (Method::POST, format!("/api/v1/decisions/{id}/versions"), json!({ "text": DRAFT })),
            (Method::POST, format!("/api/v1/decisions/{id}/consultation"), json!({ "closes_at": in_days(30) })),
            (
                Method::POST,
                format!("/api/v1/decisions/{id}/consultation/extensions"),
                json!({ "closes_at": in_days(60), "note": "延长" }),
            ),
            (Method::POST, format!("/api/v1/decisions/{id}/withdraw"), json!({ "reason": "撤回理由" })),
            (
                Method::POST,
                format!("/api/v1/decisions/{id}/outcome"),
                json!({ "decided_on": "2026-12-01", "interpretation": "解读" }),
            ),
        ]
    };
    let others = [
        ("zjj staff", Some(app.login_demo(ZJJ_STAFF).await)),
        ("resident", Some(app.login_demo(RESIDENT).await)),
        ("anonymous", None),
    ];
    for (who, token) in &others {
        for (method, path, body) in steps(&draft) {
            let a = app.request(method, &path, token.as_deref(), Some(body)).await;
            let want = if token.is_some() { 404 } else { 401 };
            assert_eq!(a.status.as_u16(), want, "{who} {path} on a draft: {}", a.text);
        }
        for (method, path, body) in steps(&published) {
            let a = app.request(method, &path, token.as_deref(), Some(body)).await;
            let want = if token.is_some() { 403 } else { 401 };
            assert_eq!(a.status.as_u16(), want, "{who} {path} on a published decision: {}", a.text);
        }
    }
    // Nothing changed.
    let d = app.get(&format!("/api/v1/decisions/{published}"), None).await;
    assert_eq!(d.ok(200)["status"], "consulting");
    assert!(d.body["consultation"]["extensions"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn search_finds_a_two_character_word_from_the_middle_of_a_title() {
    let app = TestApp::spawn_demo().await;
    published_decision(&app, "示范区养老服务设施建设管理办法").await;
    published_decision(&app, "关于调整公交线路的决定").await;
    let staff = app.login_demo(FGW_STAFF).await;
    create_decision(&app, &staff, "未公开的设施改造计划").await;
    let titles = |a: &Answer| -> Vec<String> {
        a.body["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap().to_string()).collect()
    };
    let q = |s: &str| format!("/api/v1/decisions?q={}", urlencode(s));
    let a = app.get(&q("设施"), None).await;
    a.ok(200);
    assert_eq!(titles(&a), vec!["示范区养老服务设施建设管理办法"]);
    assert_eq!(titles(&app.get(&q("公交"), None).await), vec!["关于调整公交线路的决定"]);
    assert_eq!(titles(&app.get(&q("服务 设施"), None).await), vec!["示范区养老服务设施建设管理办法"]);
    assert!(titles(&app.get(&q("地铁"), None).await).is_empty());
    // Staff also find their drafts.
    assert_eq!(app.get(&q("设施"), Some(&staff)).await.body["meta"]["total"], 2);
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

#[tokio::test]
async fn filters_by_agency_subtree_area_year_and_closing_soon() {
    let app = TestApp::spawn_demo().await;
    let (id, _) = published_decision(&app, "养老服务设施办法").await;
    let root = app.agency_id("示范区人民政府").await;
    let fgw = app.agency_id(FGW).await;
    let zjj = app.agency_id(ZJJ).await;
    let area = area_id(&app).await;
    let total = |a: Answer| a.body["meta"]["total"].as_u64().unwrap();
    assert_eq!(total(app.get(&format!("/api/v1/decisions?agency_id={root}"), None).await), 1);
    assert_eq!(total(app.get(&format!("/api/v1/decisions?agency_id={fgw}"), None).await), 1);
    assert_eq!(total(app.get(&format!("/api/v1/decisions?agency_id={zjj}"), None).await), 0);
    assert_eq!(total(app.get(&format!("/api/v1/decisions?policy_area_id={area}&year=2026"), None).await), 1);
    assert_eq!(total(app.get("/api/v1/decisions?year=2025", None).await), 0);
    assert_eq!(total(app.get("/api/v1/decisions?closing_within_days=31", None).await), 1);
    assert_eq!(total(app.get("/api/v1/decisions?closing_within_days=7", None).await), 0);
    assert_eq!(total(app.get("/api/v1/decisions?status=consulting", None).await), 1);
    let listed = app.get("/api/v1/decisions", None).await;
    assert_eq!(listed.body["items"][0]["id"], json!(id));
    assert_eq!(listed.body["items"][0]["agency_name"], FGW);
}

#[tokio::test]
async fn the_yearly_catalogue_lists_planned_decisions_without_their_drafts() {
    let app = TestApp::spawn_demo().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let area = area_id(&app).await;
    let planned = app
        .post(
            "/api/v1/decisions",
            Some(&staff),
            json!({ "policy_area_id": area, "title": "计划中的养老服务条例", "basis": "SECRET-BASIS-MARKER", "catalogue_year": 2026, "listed_in_catalogue": true, "planned_timing": "2026年第四季度" }),
        )
        .await;
    planned.ok(201);
    create_decision(&app, &staff, "未列入目录的草稿").await;
    published_decision(&app, "已公开征求意见的办法").await;
    let root = app.agency_id("示范区人民政府").await;
    let c = app.get(&format!("/api/v1/decision-catalogue?agency_id={root}&year=2026"), None).await;
    let items = c.ok(200)["items"].as_array().unwrap().clone();
    let titles: Vec<&str> = items.iter().map(|i| i["title"].as_str().unwrap()).collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(titles.contains(&"计划中的养老服务条例") && titles.contains(&"已公开征求意见的办法"));
    assert!(!c.text.contains("SECRET-BASIS-MARKER"));
    let planned = items.iter().find(|i| i["title"] == "计划中的养老服务条例").unwrap();
    assert_eq!((planned["status"].as_str(), planned["published"].as_bool()), (Some("draft"), Some(false)));
    assert_eq!(planned["planned_timing"], "2026年第四季度");
}

#[tokio::test]
async fn the_atom_feed_lists_new_consultations() {
    let app = TestApp::spawn_demo().await;
    published_decision(&app, "关于调整公交线路的决定").await;
    let staff = app.login_demo(FGW_STAFF).await;
    create_decision(&app, &staff, "不公开的<草稿>").await;
    let feed = app.get("/api/v1/feeds/consultations.atom", None).await;
    feed.ok(200);
    assert!(feed.content_type().starts_with("application/atom+xml"));
    assert!(feed.text.contains("<title>关于调整公交线路的决定</title>"));
    assert!(!feed.text.contains("草稿"));
    assert_eq!(feed.text.matches("<entry>").count(), 1);
}

/// The node's short-lived cache of public views: a change made here shows at once, and the
/// agency's staff never get the public view (which lacks their steps and drafts).
#[tokio::test]
async fn public_reads_reflect_changes_at_once_and_staff_get_their_own_view() {
    let app = TestApp::spawn_demo().await;
    let (id, staff) = published_decision(&app, "缓存检验").await;
    let before = app.get(&format!("/api/v1/decisions/{id}"), None).await;
    assert!(before.ok(200)["consultation"]["extensions"].as_array().unwrap().is_empty());
    let own = app.get(&format!("/api/v1/decisions/{id}"), Some(&staff)).await;
    assert_eq!(own.ok(200)["allowed_steps"], json!(["extend_consultation", "withdraw"]));
    app.post(
        &format!("/api/v1/decisions/{id}/consultation/extensions"),
        Some(&staff),
        json!({ "closes_at": in_days(45), "note": "延长" }),
    )
    .await
    .ok(200);
    let after = app.get(&format!("/api/v1/decisions/{id}"), None).await;
    assert_eq!(after.ok(200)["consultation"]["extensions"][0]["note"], "延长");
    app.post(&format!("/api/v1/decisions/{id}/withdraw"), Some(&staff), json!({ "reason": "测试撤回" })).await.ok(200);
    assert_eq!(app.get(&format!("/api/v1/decisions/{id}"), None).await.body["status"], "withdrawn");
}

/// A rewrite of a whole draft makes a costly comparison: it is bounded, runs off the async
/// runtime (the node keeps answering meanwhile), and is kept once computed.
#[tokio::test]
async fn a_costly_diff_does_not_stall_the_node() {
    let app = TestApp::spawn_demo().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let id = create_decision(&app, &staff, "示范区全面修订的办法").await;
    let text = |version: u32, article: u32| -> String {
        (0..400u32)
            .map(|k| char::from_u32(0x4E00 + (version * 7919 + article * 104_729 + k * 31) % 20_000).unwrap())
            .collect()
    };
    for version in 0..2u32 {
        let sections: Vec<Value> = (1..=120u32)
            .map(|n| json!({ "kind": "article", "label": format!("第{n}条"), "text": text(version, n) }))
            .collect();
        app.post(&format!("/api/v1/decisions/{id}/versions"), Some(&staff), json!({ "sections": sections }))
            .await
            .ok(201);
    }
    let path = format!("/api/v1/decisions/{id}/versions/1/diff/2");
    let started = std::time::Instant::now();
    let (diff, health) = tokio::join!(
        async {
            let d = app.get(&path, Some(&staff)).await;
            (d, started.elapsed())
        },
        async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            app.get("/healthz", None).await.ok(200);
            started.elapsed()
        }
    );
    let (diff, diff_took) = diff;
    let d = diff.ok(200);
    let count = |k: &str| d[k].as_u64().unwrap();
    assert_eq!(
        (count("removed") + count("changed"), count("added") + count("changed"), count("unchanged")),
        (120, 120, 0)
    );
    assert!(health < diff_took, "the node answered /healthz ({health:?}) while the diff ran ({diff_took:?})");
    // Asked again, it comes from what the node kept.
    let again = std::time::Instant::now();
    assert_eq!(app.get(&path, Some(&staff)).await.ok(200), d);
    assert!(again.elapsed() < diff_took, "kept: {:?} vs {diff_took:?}", again.elapsed());
}
