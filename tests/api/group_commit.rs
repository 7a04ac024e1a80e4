//! Group commit keeps every guarantee of a single submission: a 201 means the comment is
//! stored (a SIGKILL right after loses nothing), a retried key answers the first receipt,
//! limits hold, counts equal the rows, and one bad submission in a batch costs the others
//! nothing.

use std::collections::{HashMap, HashSet};

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;
use wenji::comments::grouping;
use wenji::comments::intake::{Prepared, write_batch};
use wenji::comments::model::{Category, Channel, CommentStatus};
use wenji::entities::{comment_counts, comments, duplicate_groups};
use wenji::kernel::rate_limit::Known;

use crate::helpers::*;
use crate::nodes::Node;

/// Stored comments of a decision by status, counted row by row, and the maintained counts
/// for the same statuses.
pub async fn rows_and_counts(
    db: &impl sea_orm::ConnectionTrait,
    id: Uuid,
) -> (HashMap<String, u64>, HashMap<String, u64>) {
    let mut rows = HashMap::new();
    let mut counts = HashMap::new();
    for status in [CommentStatus::Received, CommentStatus::Published, CommentStatus::Hidden, CommentStatus::Withdrawn] {
        let n = comments::Entity::find()
            .filter(comments::Column::DecisionId.eq(id))
            .filter(comments::Column::Status.eq(status))
            .count(db)
            .await
            .unwrap();
        rows.insert(status.as_str().to_string(), n);
        let kept = comment_counts::Entity::find_by_id((id, "status".to_string(), status.as_str().to_string()))
            .one(db)
            .await
            .unwrap()
            .map_or(0, |c| c.count as u64);
        counts.insert(status.as_str().to_string(), kept);
    }
    (rows, counts)
}

/// Every group's size equals its comments that are not withdrawn.
async fn group_sizes_match(app: &TestApp, id: Uuid) {
    let db = app.db.conn();
    for g in duplicate_groups::Entity::find().filter(duplicate_groups::Column::DecisionId.eq(id)).all(db).await.unwrap()
    {
        let members = comments::Entity::find()
            .filter(comments::Column::DuplicateGroupId.eq(g.id))
            .filter(comments::Column::Status.ne(CommentStatus::Withdrawn))
            .count(db)
            .await
            .unwrap();
        assert_eq!(g.size as u64, members, "group {} size", g.id);
    }
}

fn row(decision: Uuid, version: i32, body: &str, tracking: &str) -> comments::Model {
    let now = chrono::Utc::now();
    comments::Model {
        id: Uuid::now_v7(),
        decision_id: decision,
        version_number: version,
        section_id: None,
        body: body.to_string(),
        category: Category::Individual,
        display_name: None,
        contact_phone: None,
        contact_email: None,
        account_id: None,
        channel: Channel::Online,
        received_on: now.format("%Y-%m-%d").to_string(),
        status: CommentStatus::Published,
        hidden_reason: None,
        moderation_note: None,
        tracking_number: tracking.to_string(),
        secret_hash: "0".repeat(64),
        receipt_key_id: None,
        idempotency_key: None,
        duplicate_group_id: None,
        entered_by: None,
        created_at: now,
        updated_at: now,
    }
}

async fn prepared(app: &TestApp, c: comments::Model) -> Prepared {
    let grouping = grouping::find(app.db.conn(), c.decision_id, &c.body).await.unwrap();
    Prepared { comment: c, grouping, limits: vec![], check_window: true }
}

/// A batch holding a submission to a closed consultation and one whose tracking number is
/// taken (the database refuses the whole multi-row INSERT): the closed one is refused with
/// its own 409, the taken one fails alone, and the four others are written and counted.
#[tokio::test]
async fn a_batch_with_bad_submissions_answers_the_others_normally() {
    let app = spawn_demo_without_comment_limits().await;
    let (open_id, _) = published_decision(&app, "示范区养老服务设施建设管理办法").await;
    let (closed_id, _) = published_decision(&app, "示范区背街小巷整治方案").await;
    close_window_now(&app, &closed_id).await;
    let (open_id, closed_id): (Uuid, Uuid) = (open_id.parse().unwrap(), closed_id.parse().unwrap());
    let first = comment(&app, &open_id.to_string(), None, simple("已经提交的意见")).await;
    let taken = first.ok(201)["receipt"]["tracking_number"].as_str().unwrap().to_string();

    let mut items = Vec::new();
    for i in 0..4 {
        let text = format!("第{i}条：建议在社区增设助餐点，方便老年人就近用餐{i}{i}。");
        items.push(prepared(&app, row(open_id, 1, &text, &format!("WJ-2026-GC00000{i}"))).await);
    }
    items.insert(2, prepared(&app, row(open_id, 1, "跟踪号重复的意见", &taken)).await);
    items.insert(4, prepared(&app, row(closed_id, 1, "窗口已关闭后的意见", "WJ-2026-GC000009")).await);
    let outcomes = write_batch(&app.db, &items, &Known::default()).await;

    assert_eq!(outcomes.len(), 6, "one answer per submission");
    for (i, o) in outcomes.iter().enumerate() {
        match i {
            2 => assert!(
                matches!(o, Err(wenji::error::AppError::Internal(e))
                    if e.downcast_ref::<sea_orm::DbErr>().is_some_and(wenji::db::is_unique_violation)),
                "the taken tracking number fails alone: {o:?}"
            ),
            4 => assert!(
                matches!(o, Err(wenji::error::AppError::Conflict { code: "consultation_closed", .. })),
                "the closed consultation refuses: {o:?}"
            ),
            _ => assert_eq!(o.as_ref().expect("written").tracking_number, items[i].comment.tracking_number),
        }
    }
    let (rows, counts) = rows_and_counts(app.db.conn(), open_id).await;
    assert_eq!(rows["published"], 5, "the first comment and the four good ones");
    assert_eq!(rows, counts, "maintained counts equal the rows");
    let (rows, _) = rows_and_counts(app.db.conn(), closed_id).await;
    assert_eq!(rows.values().sum::<u64>(), 0, "nothing written for the closed consultation");
}

/// 120 submissions at once, 40 of them four tries each of 10 idempotency keys, from one
/// address allowed 75 comments: every key answers one receipt, exactly 75 comments are
/// stored, everything else is a clean 429, and the counts equal the rows.
#[tokio::test]
async fn parallel_submissions_keep_receipts_limits_and_counts() {
    let app = TestApp::spawn_with(|c| {
        c.comment_max_per_address = 75;
        c.comment_window = std::time::Duration::from_secs(600);
    })
    .await;
    wenji::demo::load(&app.db).await.unwrap();
    let (id, _) = published_decision(&app, "示范区养老服务设施建设管理办法").await;
    let campaign = "建议在小区周边增设养老服务站，方便老年人就近获得助餐、助浴等服务，同时加强专业护理人员配备";
    let answers = join_all((0..120).map(|i| {
        let (app, id) = (&app, &id);
        async move {
            let text = if i % 3 == 0 {
                format!("{campaign}{i}")
            } else {
                format!("意见{i}：充电桩太少，建议增加{i}个。")
            };
            let mut req = app.client.post(app.url(&format!("/api/v1/decisions/{id}/comments"))).json(&simple(&text));
            let key = (i < 40).then(|| format!("key-{}", i % 10));
            if let Some(k) = &key {
                req = req.header("idempotency-key", k);
            }
            (key, app.send(req).await)
        }
    }))
    .await;
    let mut by_key: HashMap<String, HashSet<String>> = HashMap::new();
    let mut stored = HashSet::new();
    let (mut created, mut refused) = (0, 0);
    for (key, a) in &answers {
        match a.status.as_u16() {
            200 | 201 => {
                let tn = a.body["receipt"]["tracking_number"].as_str().unwrap().to_string();
                if a.status.as_u16() == 201 {
                    created += 1;
                }
                stored.insert(tn.clone());
                if let Some(k) = key {
                    by_key.entry(k.clone()).or_default().insert(tn);
                }
            }
            429 => {
                assert_eq!(a.body["code"], "too_many_requests");
                assert!(a.headers.contains_key("retry-after"));
                refused += 1;
            }
            other => panic!("unexpected {other}: {}", a.text),
        }
    }
    for (k, numbers) in &by_key {
        assert_eq!(numbers.len(), 1, "key {k} answers one receipt: {numbers:?}");
    }
    assert_eq!(created, 75, "exactly the limit is let through ({refused} refused)");
    assert_eq!(stored.len(), 75);
    let id: Uuid = id.parse().unwrap();
    let (rows, counts) = rows_and_counts(app.db.conn(), id).await;
    assert_eq!(rows["published"], 75);
    assert_eq!(rows, counts, "maintained counts equal the rows");
    group_sizes_match(&app, id).await;
}

/// A stream of submissions to a real `wenji serve` process, killed with SIGKILL in the
/// middle: every comment that was answered 201 is stored, whole, and the counts equal the
/// rows; a restarted node serves the same consultation.
#[tokio::test]
async fn a_kill_right_after_a_201_loses_nothing() {
    let app = spawn_demo_without_comment_limits().await;
    let (id, _) = published_decision(&app, "示范区养老服务设施建设管理办法").await;
    let dir = tempfile::tempdir().unwrap();
    let limits = [("WENJI_COMMENT_MAX_PER_ADDRESS", "1000000")];
    let mut node = Node::start_with(&app, dir.path(), &limits);
    let client = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    node.ready(&client).await;
    let url = format!("{}/api/v1/decisions/{id}/comments", node.base);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let senders: Vec<_> = (0..16)
        .map(|t| {
            let (client, url, stop) = (client.clone(), url.clone(), stop.clone());
            tokio::spawn(async move {
                let mut acknowledged: Vec<(String, String)> = Vec::new();
                let mut i = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    i += 1;
                    let body = format!("第{t}组第{i}条：建议延长社区食堂的营业时间，方便上班族。");
                    let Ok(r) = client.post(&url).json(&json!({ "body": body, "category": "individual" })).send().await
                    else {
                        break; // the node is gone
                    };
                    if r.status().as_u16() != 201 {
                        continue;
                    }
                    let Ok(v) = r.json::<Value>().await else { break };
                    acknowledged.push((v["receipt"]["tracking_number"].as_str().unwrap().to_string(), body));
                }
                acknowledged
            })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    node.child.kill().expect("SIGKILL");
    node.child.wait().unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut acknowledged = Vec::new();
    for s in senders {
        acknowledged.extend(s.await.unwrap());
    }
    assert!(acknowledged.len() >= 20, "the stream was answered before the kill: {}", acknowledged.len());

    let id: Uuid = id.parse().unwrap();
    let stored: HashMap<String, String> = comments::Entity::find()
        .filter(comments::Column::DecisionId.eq(id))
        .all(app.db.conn())
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.tracking_number, c.body))
        .collect();
    let lost: Vec<_> = acknowledged.iter().filter(|(tn, body)| stored.get(tn) != Some(body)).collect();
    eprintln!(
        "kill -9: {} comments acknowledged before the kill, {} stored, {} lost",
        acknowledged.len(),
        stored.len(),
        lost.len()
    );
    assert!(lost.is_empty(), "acknowledged comments missing after the kill: {:?}", &lost[..lost.len().min(3)]);
    let (rows, counts) = rows_and_counts(app.db.conn(), id).await;
    assert_eq!(rows, counts, "maintained counts equal the rows after the kill");
    group_sizes_match(&app, id).await;

    let mut again = Node::start_with(&app, dir.path(), &limits);
    again.ready(&client).await;
    let list = client.get(format!("{}/api/v1/decisions/{id}/comments?per_page=1", again.base)).send().await.unwrap();
    let list: Value = list.json().await.unwrap();
    assert_eq!(list["meta"]["total"].as_u64(), Some(stored.len() as u64), "the restarted node serves every comment");
}
