//! Races on the same rows. Every state change is conditioned on the state it read, and the
//! maintained counts move only for rows that changed — proved here with parallel requests,
//! which matters on PostgreSQL (several writers at once); SQLite has one writer anyway.

use serde_json::{Value, json};

use crate::helpers::*;

async fn receipt_status(app: &TestApp, tracking: &str, secret: &str) -> String {
    let answer = app
        .send(app.client.get(app.url(&format!("/api/v1/receipts/{tracking}"))).header("x-receipt-secret", secret))
        .await;
    answer.ok(200)["status"].as_str().unwrap().to_string()
}

/// Comments per status as stored rows (the inbox counts rows), and as maintained counts.
async fn rows_and_counts(app: &TestApp, staff: &str, id: &str) -> (Vec<u64>, Vec<u64>) {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    use wenji::comments::model::CommentStatus;
    use wenji::entities::comments;
    let mut rows = Vec::new();
    for status in [CommentStatus::Received, CommentStatus::Published, CommentStatus::Hidden, CommentStatus::Withdrawn] {
        // Counted row by row: the inbox's own total comes from the maintained counts.
        let n = comments::Entity::find()
            .filter(comments::Column::DecisionId.eq(id.parse::<uuid::Uuid>().unwrap()))
            .filter(comments::Column::Status.eq(status))
            .count(app.db.conn())
            .await
            .unwrap();
        rows.push(n);
        // The inbox agrees with the rows.
        let page = app
            .get(
                &format!("/api/v1/decisions/{id}/moderation/comments?status={}&per_page=1", status.as_str()),
                Some(staff),
            )
            .await;
        assert_eq!(page.ok(200)["meta"]["total"].as_u64(), Some(n), "the inbox's total for {status:?}");
    }
    let stats = app.get(&format!("/api/v1/decisions/{id}/comment-stats"), None).await;
    let s = stats.ok(200);
    let counts = ["awaiting_moderation", "published", "hidden", "withdrawn"].map(|k| s[k].as_u64().unwrap()).to_vec();
    assert_eq!(s["total"].as_u64().unwrap(), counts[0] + counts[1] + counts[2], "total = all but withdrawn: {s}");
    (rows, counts)
}

/// A resident withdraws by receipt while staff publish everything waiting, several times at
/// once. Whatever the interleaving, a withdrawal that was acknowledged stays withdrawn, and
/// the figures equal the rows.
#[tokio::test]
async fn an_acknowledged_withdrawal_survives_parallel_bulk_publishing() {
    let app = spawn_demo_without_comment_limits().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let id = create_decision(&app, &staff, "示范区停车设施建设管理办法").await;
    add_text_version(&app, &staff, &id, DRAFT).await;
    open(&app, &staff, &id, json!({ "closes_at": in_days(30), "pre_moderation": true })).await;

    let mut acknowledged: Vec<(String, String)> = Vec::new();
    for round in 0..3 {
        let submitted = join_all((0..60).map(|i| {
            let app = &app;
            let id = &id;
            async move {
                comment(app, id, None, simple(&format!("第{round}轮第{i}条意见：停车位不足，建议增加。"))).await
            }
        }))
        .await;
        let receipts: Vec<(String, String)> = submitted
            .iter()
            .map(|a| {
                let r = &a.ok(201)["receipt"];
                (r["tracking_number"].as_str().unwrap().to_string(), r["secret"].as_str().unwrap().to_string())
            })
            .collect();
        let publish_all = json!({ "action": "publish", "filter": { "status": "received" } });
        let bulk = join_all((0..3).map(|_| {
            let (app, staff, id, body) = (&app, &staff, &id, publish_all.clone());
            async move { app.post(&format!("/api/v1/decisions/{id}/moderation/actions"), Some(staff), body).await }
        }));
        let withdrawals = join_all(receipts.iter().step_by(2).map(|(tracking, secret)| {
            let app = &app;
            async move {
                let answer = app
                    .send(
                        app.client
                            .post(app.url(&format!("/api/v1/receipts/{tracking}/withdraw")))
                            .header("x-receipt-secret", secret),
                    )
                    .await;
                (tracking.clone(), secret.clone(), answer)
            }
        }));
        let (bulk, withdrawals) = tokio::join!(bulk, withdrawals);
        for b in &bulk {
            b.ok(200);
        }
        for (tracking, secret, answer) in withdrawals {
            // A withdrawal either happened (200) or met a comment that changed meanwhile (409);
            // never a server error.
            match answer.status.as_u16() {
                200 => acknowledged.push((tracking, secret)),
                409 => {}
                other => panic!("withdrawal answered {other}: {}", answer.text),
            }
        }
    }
    assert!(acknowledged.len() >= 60, "most withdrawals go through: {}", acknowledged.len());
    for (tracking, secret) in &acknowledged {
        assert_eq!(receipt_status(&app, tracking, secret).await, "withdrawn", "{tracking} was acknowledged");
    }
    let (rows, counts) = rows_and_counts(&app, &staff, &id).await;
    assert_eq!(rows.iter().sum::<u64>(), 180);
    assert_eq!(rows[3], acknowledged.len() as u64, "withdrawn rows are exactly the acknowledged ones");
    assert_eq!(counts, rows, "maintained counts (received, published, hidden, withdrawn) equal the rows");
}

/// Two members of staff hide and publish the same comments at the same moment: each comment
/// ends in one state, and the counts follow the rows.
#[tokio::test]
async fn parallel_hide_and_publish_keep_the_counts_exact() {
    let app = spawn_demo_without_comment_limits().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let admin = app.login_demo(FGW_ADMIN).await;
    let id = create_decision(&app, &staff, "示范区公共充电设施规划").await;
    add_text_version(&app, &staff, &id, DRAFT).await;
    open(&app, &staff, &id, json!({ "closes_at": in_days(30) })).await;
    for i in 0..40 {
        comment(&app, &id, None, simple(&format!("意见{i}：充电桩太少。"))).await.ok(201);
    }
    let hide = json!({ "action": "hide", "reason": "off_topic", "filter": {} });
    let publish = json!({ "action": "publish", "filter": {} });
    let moves: Vec<Value> = (0..8).map(|i| if i % 2 == 0 { hide.clone() } else { publish.clone() }).collect();
    let answers = join_all(moves.into_iter().enumerate().map(|(i, body)| {
        let (app, id) = (&app, &id);
        let token = if i % 4 < 2 { staff.clone() } else { admin.clone() };
        async move { app.post(&format!("/api/v1/decisions/{id}/moderation/actions"), Some(&token), body).await }
    }))
    .await;
    for a in &answers {
        a.ok(200);
    }
    let (rows, counts) = rows_and_counts(&app, &staff, &id).await;
    assert_eq!(rows.iter().sum::<u64>(), 40);
    assert_eq!(counts, rows, "maintained counts (received, published, hidden, withdrawn) equal the rows");
    let stats = app.get(&format!("/api/v1/decisions/{id}/comment-stats"), None).await;
    let hidden_by_reason: u64 =
        stats.body["hidden_by_reason"].as_array().unwrap().iter().map(|c| c["count"].as_u64().unwrap()).sum();
    assert_eq!(hidden_by_reason, rows[2], "hidden per reason sums to the hidden rows");
}

/// A client over its limit is refused with a read: it never queues for the writer, so a
/// flood of refused submissions cannot starve everyone else's (SQLite has one writer).
#[tokio::test]
async fn a_client_over_its_limit_is_refused_without_waiting_for_the_writer() {
    let app = TestApp::spawn_with(|c| c.comment_max_per_address = 2).await;
    wenji::demo::load(&app.db).await.unwrap();
    let staff = app.login_demo(FGW_STAFF).await;
    let id = create_decision(&app, &staff, "示范区背街小巷整治方案").await;
    add_text_version(&app, &staff, &id, DRAFT).await;
    open(&app, &staff, &id, json!({ "closes_at": in_days(30) })).await;
    for i in 0..2 {
        comment(&app, &id, None, simple(&format!("意见{i}"))).await.ok(201);
    }
    // Someone else's long write transaction holds the writer.
    let held = app.db.write().await.unwrap();
    let refused = tokio::time::timeout(std::time::Duration::from_secs(3), comment(&app, &id, None, simple("第三条")))
        .await
        .expect("the refusal does not wait for the writer");
    refused.problem(429);
    drop(held);
    assert_eq!(app.get(&format!("/api/v1/decisions/{id}/comment-stats"), None).await.ok(200)["total"], 2);
}

/// The clock's sweeper decides from a decision it read; if the window was extended after
/// that read, the decision is not closed.
#[tokio::test]
async fn the_sweeper_does_not_close_a_window_extended_after_it_looked() {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    use wenji::decisions::model::DecisionStatus;
    use wenji::entities::decisions;
    let app = TestApp::spawn_demo().await;
    let staff = app.login_demo(FGW_STAFF).await;
    let id = create_decision(&app, &staff, "示范区夜间经济发展措施").await;
    add_text_version(&app, &staff, &id, DRAFT).await;
    open(&app, &staff, &id, json!({ "closes_at": in_days(30) })).await;
    close_window_now(&app, &id).await;
    let uuid: uuid::Uuid = id.parse().unwrap();
    let seen = decisions::Entity::find_by_id(uuid).one(app.db.conn()).await.unwrap().unwrap();
    assert_eq!(seen.status, DecisionStatus::Consulting, "stored status lags behind the clock");
    // An extension lands between the sweeper's read and its write.
    let later = chrono::Utc::now() + chrono::TimeDelta::days(10);
    decisions::Entity::update_many()
        .col_expr(decisions::Column::WindowClosesAt, Expr::value(later))
        .filter(decisions::Column::Id.eq(uuid))
        .exec(app.db.conn())
        .await
        .unwrap();
    let moved = wenji::decisions::store::move_status(app.db.conn(), &seen, DecisionStatus::Closed).await.unwrap();
    assert!(!moved, "a window that changed since it was read is left alone");
    let now = decisions::Entity::find_by_id(uuid).one(app.db.conn()).await.unwrap().unwrap();
    assert_eq!(now.status, DecisionStatus::Consulting);
    // Read afresh, the same write goes through: the condition is on what was read, nothing else.
    assert!(wenji::decisions::store::move_status(app.db.conn(), &now, DecisionStatus::Closed).await.unwrap());
}
