//! Fills a database for the statistics benchmark (`scripts/bench-statistics`): 100 agencies
//! in a tree, 1,000 published consultations over three years with their windows, maintained
//! counts and (for most) a published feedback report, and 1,000,000 comment rows — written
//! in multi-row INSERTs, so that it takes minutes, not hours. The statistics must answer
//! from decisions, counts and reports; the comment rows are there to show they never scan
//! them.
//!
//! Usage: WENJI_DATABASE_URL=… wenji-fill [decisions] [comments]

use chrono::{TimeDelta, TimeZone, Utc};
use sea_orm::{ActiveValue::Set, EntityTrait};
use uuid::Uuid;
use wenji::comments::model::{Category, Channel, CommentStatus};
use wenji::decisions::model::DecisionStatus;
use wenji::entities::{agencies, comment_counts, comments, decisions, feedback_reports};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let n_decisions: usize = args.get(1).map_or(Ok(1000), |s| s.parse())?;
    let n_comments: usize = args.get(2).map_or(Ok(1_000_000), |s| s.parse())?;
    let config = wenji::config::Config::from_env()?;
    let db = wenji::app::connect(&config).await?;
    wenji::app::migrate(&db).await?;
    wenji::demo::load(&db).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let conn = db.conn();
    let started = std::time::Instant::now();

    // 100 agencies: 10 departments under the district, 9 offices under each.
    let root = wenji::agencies::store::all(conn).await?.into_iter().find(|a| a.parent_id.is_none()).expect("a root");
    let now = Utc::now();
    let mut agency_ids = Vec::new();
    let agency = |id: Uuid, parent: Uuid, name: String, order: i32| agencies::ActiveModel {
        id: Set(id),
        parent_id: Set(Some(parent)),
        name: Set(name),
        kind: Set(wenji::agencies::model::AgencyKind::Department),
        sort_order: Set(order),
        created_at: Set(now),
    };
    for p in 0..10 {
        let parent = Uuid::now_v7();
        agencies::Entity::insert(agency(parent, root.id, format!("测试部门{p:02}"), 100 + p))
            .exec_without_returning(conn)
            .await?;
        agency_ids.push(parent);
        for c in 0..9 {
            let child = Uuid::now_v7();
            agencies::Entity::insert(agency(child, parent, format!("测试部门{p:02}-科室{c}"), c))
                .exec_without_returning(conn)
                .await?;
            agency_ids.push(child);
        }
    }
    let areas: Vec<Uuid> = wenji::policy_areas::store::all(conn).await?.into_iter().map(|a| a.id).collect();
    let author = wenji::accounts::store::find_by_email(conn, "admin@wenji.demo").await?.expect("the demo admin").id;

    let per_decision = n_comments / n_decisions.max(1);
    let channels = [Channel::Online, Channel::Online, Channel::Online, Channel::Letter, Channel::Symposium];
    let categories =
        [Category::Individual, Category::Individual, Category::Company, Category::Expert, Category::Organisation];
    let mut written = 0usize;
    for i in 0..n_decisions {
        let id = Uuid::now_v7();
        let opens =
            Utc.with_ymd_and_hms(2024, 1, 1, 1, 0, 0).unwrap() + TimeDelta::hours((i as i64 * 24_000) % (33 * 30 * 24));
        let days = if i % 5 == 0 { 20 } else { 30 + (i % 15) as i64 };
        let closes = opens + TimeDelta::days(days);
        let reported = (i % 10 < 7).then(|| closes + TimeDelta::days((i % 45) as i64));
        let status = if reported.is_some() { DecisionStatus::FeedbackPublished } else { DecisionStatus::Closed };
        decisions::Entity::insert(decisions::ActiveModel {
            id: Set(id),
            agency_id: Set(agency_ids[i % agency_ids.len()]),
            policy_area_id: Set(areas[i % areas.len()]),
            title: Set(format!("基准测试决策事项{i:04}")),
            summary: Set("基准测试".into()),
            basis: Set(String::new()),
            explanation: Set(String::new()),
            catalogue_year: Set(2024 + (i % 3) as i32),
            planned_timing: Set(None),
            listed_in_catalogue: Set(true),
            status: Set(status),
            published_at: Set(Some(opens)),
            window_opens_at: Set(Some(opens)),
            window_closes_at: Set(Some(closes)),
            withdrawn_reason: Set(None),
            withdrawn_at: Set(None),
            final_version: Set(None),
            interpretation: Set(None),
            interpretation_links: Set(None),
            decided_on: Set(None),
            latest_version: Set(1),
            feedback_published_at: Set(reported),
            feedback_version: Set(i32::from(reported.is_some())),
            created_by: Set(author),
            created_at: Set(opens),
            updated_at: Set(opens),
        })
        .exec_without_returning(conn)
        .await?;

        let mut by_channel = [0i64; 5];
        let mut by_category = [0i64; 5];
        let rows: Vec<comments::ActiveModel> = (0..per_decision)
            .map(|n| {
                let (ch, ca) = ((i + n) % 5, (i * 7 + n) % 5);
                by_channel[ch] += 1;
                by_category[ca] += 1;
                comments::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    decision_id: Set(id),
                    version_number: Set(1),
                    section_id: Set(None),
                    body: Set(format!("基准测试意见第{n}条：建议完善相关条款，加强监督检查。")),
                    category: Set(categories[ca]),
                    display_name: Set(None),
                    contact_phone: Set(None),
                    contact_email: Set(None),
                    account_id: Set(None),
                    channel: Set(channels[ch]),
                    received_on: Set(wenji::kernel::time::day_in_china(opens).to_string()),
                    status: Set(CommentStatus::Published),
                    hidden_reason: Set(None),
                    moderation_note: Set(None),
                    tracking_number: Set(format!("WJB{i:04}{n:07}")),
                    secret_hash: Set("0".repeat(64)),
                    receipt_key_id: Set(None),
                    idempotency_key: Set(None),
                    duplicate_group_id: Set(None),
                    entered_by: Set(None),
                    created_at: Set(opens),
                    updated_at: Set(opens),
                }
            })
            .collect();
        let tx = db.write().await?;
        for chunk in rows.chunks(500) {
            comments::Entity::insert_many(chunk.to_vec()).exec_without_returning(&tx).await?;
        }
        let mut counts =
            vec![("all", "all".to_string(), per_decision as i64), ("status", "published".into(), per_decision as i64)];
        for (k, n) in channels.iter().zip(by_channel) {
            if n > 0 && !counts.iter().any(|(d, key, _)| *d == "channel" && key == k.as_str()) {
                counts.push(("channel", k.as_str().into(), 0));
            }
            if let Some(c) = counts.iter_mut().find(|(d, key, _)| *d == "channel" && key == k.as_str()) {
                c.2 += n;
            }
        }
        for (k, n) in categories.iter().zip(by_category) {
            if n > 0 && !counts.iter().any(|(d, key, _)| *d == "category" && key == k.as_str()) {
                counts.push(("category", k.as_str().into(), 0));
            }
            if let Some(c) = counts.iter_mut().find(|(d, key, _)| *d == "category" && key == k.as_str()) {
                c.2 += n;
            }
        }
        if reported.is_some() {
            counts.push(("satisfaction", "satisfied".into(), (per_decision / 20) as i64));
            counts.push(("satisfaction", "dissatisfied".into(), (per_decision / 50) as i64));
        }
        let count_rows = counts.into_iter().map(|(dim, key, n)| comment_counts::ActiveModel {
            decision_id: Set(id),
            dimension: Set(dim.into()),
            key: Set(key),
            count: Set(n),
        });
        comment_counts::Entity::insert_many(count_rows).exec_without_returning(&tx).await?;
        if let Some(at) = reported {
            let p = per_decision as i64;
            let content = format!("{{\"decision_id\":\"{id}\",\"version\":1}}");
            feedback_reports::Entity::insert(feedback_reports::ActiveModel {
                id: Set(Uuid::now_v7()),
                decision_id: Set(id),
                version: Set(1),
                hash: Set(wenji::kernel::digest::sha256_hex(&content)),
                content: Set(content),
                previous_hash: Set(None),
                note: Set(None),
                comments: Set(p),
                participants: Set(p * 9 / 10),
                adopted: Set(p / 4),
                partly_adopted: Set(p / 8),
                not_adopted: Set(p / 3),
                not_applicable: Set(p - p / 4 - p / 8 - p / 3),
                published_by: Set(author),
                published_at: Set(at),
            })
            .exec_without_returning(&tx)
            .await?;
        }
        tx.commit().await?;
        written += per_decision;
        if (i + 1) % 100 == 0 {
            eprintln!("{} decisions, {written} comments, {:.0} s", i + 1, started.elapsed().as_secs_f64());
        }
    }
    println!(
        "filled: 100 agencies, {n_decisions} decisions, {written} comments in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
