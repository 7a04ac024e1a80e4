//! Statistics against a hand-counted set: agencies in a tree, consultations in two policy
//! areas and two years, dispositions at viewpoint and comment level, a report on time, a late
//! one and a missing one.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

/// 00:00 China time on a day, as UTC.
fn china(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    chrono::FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .from_local_datetime(&NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(10, 0, 0).unwrap())
        .unwrap()
        .to_utc()
}

/// Moves a decision into the past (or to another agency or area), as if it had happened then.
async fn rewrite(
    app: &TestApp,
    id: &str,
    agency: Option<&str>,
    area: &str,
    opens: DateTime<Utc>,
    closes: DateTime<Utc>,
    reported: Option<DateTime<Utc>>,
) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    use wenji::entities::decisions::{Column as D, Entity};
    let mut q = Entity::update_many()
        .col_expr(D::PolicyAreaId, Expr::value(area.parse::<uuid::Uuid>().unwrap()))
        .col_expr(D::WindowOpensAt, Expr::value(opens))
        .col_expr(D::WindowClosesAt, Expr::value(closes))
        .col_expr(D::FeedbackPublishedAt, Expr::value(reported));
    if let Some(a) = agency {
        q = q.col_expr(D::AgencyId, Expr::value(a.parse::<uuid::Uuid>().unwrap()));
    }
    q.filter(D::Id.eq(id.parse::<uuid::Uuid>().unwrap())).exec(app.db.conn()).await.unwrap();
}

struct Receipted {
    id: String,
    tracking: String,
    secret: String,
}

async fn say(app: &TestApp, id: &str, text: &str, category: &str) -> Receipted {
    let b = comment(app, id, None, json!({ "body": text, "category": category })).await;
    let b = b.ok(201);
    Receipted {
        id: b["comment"]["id"].as_str().unwrap().into(),
        tracking: b["receipt"]["tracking_number"].as_str().unwrap().into(),
        secret: b["receipt"]["secret"].as_str().unwrap().into(),
    }
}

async fn rate(app: &TestApp, r: &Receipted, satisfaction: &str) {
    let url = app.url(&format!("/api/v1/receipts/{}/rating", r.tracking));
    let req = app.client.post(url).header("x-receipt-secret", &r.secret).json(&json!({ "satisfaction": satisfaction }));
    app.send(req).await.ok(200);
}

fn pick<'a>(v: &'a Value, keys: &[&str]) -> Vec<&'a Value> {
    keys.iter().map(|k| &v[*k]).collect()
}

#[tokio::test]
async fn statistics_match_a_hand_count() {
    let app = spawn_demo_without_comment_limits().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let admin = app.login_demo(PLATFORM_ADMIN).await;
    let fgw = app.agency_id(FGW).await;
    let zjj = app.agency_id(ZJJ).await;
    let body = json!({ "name": "示范区价格监测中心", "kind": "department", "parent_id": fgw });
    let centre = app.post("/api/v1/agencies", Some(&admin), body).await.ok(201)["id"].as_str().unwrap().to_string();
    let areas = app.get("/api/v1/policy-areas", None).await;
    let areas: Vec<String> =
        areas.ok(200)["items"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_string()).collect();
    let (area_a, area_b) = (areas[0].clone(), areas[1].clone());

    // D1 (FGW, area A, March 2025, 20 days: short): three comments; viewpoint adopted (2),
    // one comment not adopted; report 11 days after closing, on time.
    let (d1, _) = published_decision(&app, "示范区价格调节基金管理办法").await;
    let c11 = say(&app, &d1, "建议公开基金收支。", "individual").await;
    let c12 = say(&app, &d1, "基金使用应接受审计。", "individual").await;
    let c13 = say(&app, &d1, "企业缴费标准过高。", "company").await;
    let v =
        app.post(&format!("/api/v1/decisions/{d1}/viewpoints"), Some(&staff), json!({ "title": "公开与监督" })).await;
    let v = v.ok(201)["id"].as_str().unwrap().to_string();
    let assign = json!({ "viewpoint_id": v, "comment_ids": [c11.id, c12.id] });
    app.post(&format!("/api/v1/decisions/{d1}/viewpoint-assignments"), Some(&staff), assign).await.ok(200);
    let adopted = json!({ "disposition": "adopted" });
    app.request(Method::PUT, &format!("/api/v1/viewpoints/{v}/disposition"), Some(&staff), Some(adopted)).await.ok(200);
    let refused = json!({ "disposition": "not_adopted", "reason": "缴费标准由上级规定。" });
    app.request(Method::PUT, &format!("/api/v1/comments/{}/disposition", c13.id), Some(&staff), Some(refused))
        .await
        .ok(204);
    close_window_now(&app, &d1).await;
    app.post(&format!("/api/v1/decisions/{d1}/feedback-reports"), Some(&staff), json!({})).await.ok(201);
    rewrite(&app, &d1, None, &area_a, china(2025, 3, 10), china(2025, 3, 30), Some(china(2025, 4, 10))).await;
    rate(&app, &c11, "satisfied").await;

    // D2 (the centre under FGW, area B, June 2025, 44 days): one comment, adopted on its own;
    // report 48 days after closing (due after 30): late.
    let (d2, _) = published_decision(&app, "示范区重要商品价格监测办法").await;
    let c21 = say(&app, &d2, "建议增加监测品种。", "expert").await;
    app.request(
        Method::PUT,
        &format!("/api/v1/comments/{}/disposition", c21.id),
        Some(&staff),
        Some(json!({ "disposition": "adopted" })),
    )
    .await
    .ok(204);
    close_window_now(&app, &d2).await;
    app.post(&format!("/api/v1/decisions/{d2}/feedback-reports"), Some(&staff), json!({})).await.ok(201);
    rewrite(&app, &d2, Some(&centre), &area_b, china(2025, 6, 1), china(2025, 7, 15), Some(china(2025, 9, 1))).await;
    rate(&app, &c21, "dissatisfied").await;

    // D3 (ZJJ, area A, January 2026, 20 days: short): two comments, no report: missing.
    let (d3, _) = published_decision(&app, "示范区物业服务收费管理办法").await;
    say(&app, &d3, "物业费应明码标价。", "individual").await;
    say(&app, &d3, "建议设立物业纠纷调解机制。", "organisation").await;
    rewrite(&app, &d3, Some(&zjj), &area_a, china(2026, 1, 5), china(2026, 1, 25), None).await;

    // D4 (FGW, area B): open now, no comments.
    let (d4, _) = published_decision(&app, "示范区停车收费管理办法").await;
    let now = Utc::now();
    rewrite(&app, &d4, None, &area_b, now - chrono::TimeDelta::hours(1), now + chrono::TimeDelta::days(30), None).await;

    // Everything.
    let all = app.get("/api/v1/statistics/overview", None).await;
    let all = all.ok(200).clone();
    assert_eq!(
        pick(
            &all,
            &[
                "consultations",
                "comments",
                "participants",
                "adopted",
                "partly_adopted",
                "not_adopted",
                "not_applicable"
            ]
        ),
        [&json!(4), &json!(6), &json!(4), &json!(3), &json!(0), &json!(1), &json!(0)]
    );
    assert_eq!(
        pick(&all, &["adoption_rate", "short_windows", "short_window_share"]),
        [&json!(0.75), &json!(2), &json!(0.5)]
    );
    assert_eq!(
        pick(&all, &["reports_on_time", "reports_late", "reports_missing", "reports_pending"]),
        [&json!(1), &json!(1), &json!(1), &json!(0)]
    );
    assert_eq!(pick(&all, &["median_days_to_report", "comments_per_consultation"]), [&json!(29.5), &json!(1.5)]);
    assert_eq!(
        pick(&all, &["satisfied", "basically_satisfied", "dissatisfied", "satisfaction_rate"]),
        [&json!(1), &json!(0), &json!(1), &json!(0.5)]
    );
    assert_eq!(
        all["by_category"],
        json!([
            { "key": "company", "count": 1 }, { "key": "expert", "count": 1 },
            { "key": "individual", "count": 3 }, { "key": "organisation", "count": 1 }
        ])
    );
    assert_eq!(all["by_channel"], json!([{ "key": "online", "count": 6 }]));

    // FGW with its sub-agency: D1, D2, D4. The centre alone: D2.
    let fgw_all = app.get(&format!("/api/v1/statistics/overview?agency_id={fgw}"), None).await;
    let fgw_all = fgw_all.ok(200).clone();
    assert_eq!(
        pick(&fgw_all, &["consultations", "comments", "reports_on_time", "reports_late", "reports_missing"]),
        [&json!(3), &json!(4), &json!(1), &json!(1), &json!(0)]
    );
    let centre_only = app.get(&format!("/api/v1/statistics/overview?agency_id={centre}"), None).await;
    assert_eq!(
        pick(centre_only.ok(200), &["consultations", "comments", "median_days_to_report"]),
        [&json!(1), &json!(1), &json!(48.0)]
    );

    // A policy area; a year; a month range.
    let area = app.get(&format!("/api/v1/statistics/overview?policy_area_id={area_a}"), None).await;
    assert_eq!(pick(area.ok(200), &["consultations", "comments", "short_windows"]), [&json!(2), &json!(5), &json!(2)]);
    let year = app.get("/api/v1/statistics/overview?year=2025", None).await;
    assert_eq!(
        pick(year.ok(200), &["consultations", "comments", "adoption_rate"]),
        [&json!(2), &json!(4), &json!(0.75)]
    );
    let january = app.get("/api/v1/statistics/overview?from=2026-01&to=2026-01", None).await;
    assert_eq!(pick(january.ok(200), &["consultations", "reports_missing"]), [&json!(1), &json!(1)]);
    let bad = app.get("/api/v1/statistics/overview?from=2026-13", None).await;
    assert_eq!(bad.error_fields(), vec!["from"]);
    let both = app.get("/api/v1/statistics/overview?year=2026&from=2026-01", None).await;
    assert_eq!(both.error_fields(), vec!["year"]);

    // The ranking: each agency's own; most consultations first, then by name.
    let ranking = app.get("/api/v1/statistics/agencies", None).await;
    let rows: Vec<(String, u64)> = ranking.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["agency_name"].as_str().unwrap().to_string(), r["figures"]["consultations"].as_u64().unwrap()))
        .collect();
    assert_eq!(rows, vec![(FGW.to_string(), 2), ("示范区价格监测中心".to_string(), 1), (ZJJ.to_string(), 1)]);

    // The monthly series, by the month a window opened (China).
    let series = app.get("/api/v1/statistics/monthly", None).await;
    let months: Vec<(String, u64)> = series.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["month"].as_str().unwrap().to_string(), m["figures"]["consultations"].as_u64().unwrap()))
        .collect();
    let this_month = (now + chrono::TimeDelta::hours(7)).format("%Y-%m").to_string();
    assert_eq!(months, vec![("2025-03".into(), 1), ("2025-06".into(), 1), ("2026-01".into(), 1), (this_month, 1)]);

    // Exports: the same rows, as CSV and as an XLSX workbook.
    let csv = app.get("/api/v1/statistics/agencies.csv", None).await;
    assert_eq!(csv.status.as_u16(), 200);
    let lines: Vec<&str> = csv.text.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with("机关单位,征求意见事项,收到意见"), "{}", lines[0]);
    assert_eq!(lines.len(), 4);
    assert!(
        lines[1].starts_with(&format!("{FGW},2,3,3,2,0,1,0,66.7%,1,1,0,0,0,11.0,1.5,1,0,0,100.0%")),
        "{}",
        lines[1]
    );
    let xlsx = app.send(app.client.get(app.url("/api/v1/statistics/monthly.xlsx"))).await;
    assert_eq!(xlsx.status.as_u16(), 200);
    assert!(xlsx.text.starts_with("PK"), "an XLSX file is a zip archive");
}
