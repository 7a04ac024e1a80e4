//! Loads a campaign-sized consultation for `scripts/bench`: N comments into one open
//! consultation, a third of them near-duplicates of a few campaign texts, spread over its
//! articles, through the same grouping and batch writer as live submissions (so duplicate
//! groups, buckets and maintained counts are what a real campaign leaves), 500 per
//! transaction. A twentieth wait for moderation, so the inbox has work in it.
//!
//! Usage: WENJI_DATABASE_URL=… wenji-campaign <decision-id> <comments>

use uuid::Uuid;
use wenji::comments::grouping;
use wenji::comments::intake::{self, Prepared};
use wenji::comments::model::{Category, Channel, CommentStatus};
use wenji::entities::comments;

const CAMPAIGN: [&str; 5] = [
    "强烈建议在每个社区增设养老服务站，方便老年人就近获得助餐、助浴、助医等服务，同时加强专业护理人员配备。",
    "反对将社区公园改建为停车场，公园是居民休闲健身的重要场所，请保留现有绿地并增加健身设施。",
    "建议延长社区食堂的营业时间至晚上八点，方便上班族和独居老人就餐，并公开菜品价格接受监督。",
    "希望规范物业收费标准，公开收支明细，业主有权查询每一笔公共收益的使用情况。",
    "建议在学校周边设置限速和护学岗，上下学时段禁止大货车通行，保障孩子们的交通安全。",
];
const TOPICS: [&str; 12] = [
    "充电桩",
    "垃圾分类",
    "无障碍通道",
    "老旧小区加装电梯",
    "社区医院",
    "公交线路",
    "菜市场",
    "停车位",
    "路灯照明",
    "噪声扰民",
    "儿童托管",
    "图书馆开放时间",
];
const ASKS: [&str; 8] = [
    "数量不足，建议增加",
    "管理不到位，建议加强监督",
    "收费不透明，建议公开标准",
    "位置不合理，建议重新规划",
    "开放时间太短，建议延长",
    "维护不及时，建议明确责任单位",
    "信息不公开，建议定期公示",
    "标准不统一，建议细化条款",
];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(decision), Some(n)) = (args.get(1), args.get(2)) else {
        anyhow::bail!("usage: wenji-campaign <decision-id> <comments>");
    };
    let decision: Uuid = decision.parse()?;
    let n: usize = n.parse()?;
    let config = wenji::config::Config::from_env()?;
    let db = wenji::app::connect(&config).await?;
    let consultation = wenji::decisions::store::consultation(db.conn(), decision)
        .await?
        .ok_or_else(|| anyhow::anyhow!("decision {decision} has no consultation"))?;
    let sections: Vec<Uuid> = wenji::decisions::store::section_labels(db.conn(), decision, consultation.version_number)
        .await?
        .into_keys()
        .collect();
    let started = std::time::Instant::now();
    let now = chrono::Utc::now();
    let day = wenji::kernel::time::day_in_china(now).to_string();
    let categories =
        [Category::Individual, Category::Individual, Category::Company, Category::Expert, Category::Organisation];
    let known = wenji::kernel::rate_limit::Known::default();
    let mut written = 0;
    while written < n {
        let mut batch = Vec::with_capacity(500);
        for i in written..(written + 500).min(n) {
            let body = if i % 3 == 0 {
                // Near-duplicates: the campaign text with a signature or a changed ending.
                let text = CAMPAIGN[i % CAMPAIGN.len()];
                match i % 4 {
                    0 => text.to_string(),
                    1 => format!("{text}（居民{}）", i % 997),
                    2 => text.replace('，', ",").replace('。', "!"),
                    _ => format!("{}同意。", text.trim_end_matches('。')),
                }
            } else {
                let topic = TOPICS[i % TOPICS.len()];
                let ask = ASKS[(i / TOPICS.len()) % ASKS.len()];
                format!("关于{topic}：我们小区{ask}，第{i}号意见，涉及{}户居民。", (i * 37) % 900 + 10)
            };
            let id = Uuid::now_v7();
            let section = (i % 4 != 0 && !sections.is_empty()).then(|| sections[i % sections.len()]);
            let comment = comments::Model {
                id,
                decision_id: decision,
                version_number: consultation.version_number,
                section_id: section,
                body,
                category: categories[i % categories.len()],
                display_name: (i % 2 == 0).then(|| format!("居民{}", i % 5000)),
                contact_phone: None,
                contact_email: None,
                account_id: None,
                channel: Channel::Online,
                received_on: day.clone(),
                status: if i % 20 == 7 { CommentStatus::Received } else { CommentStatus::Published },
                hidden_reason: None,
                moderation_note: None,
                tracking_number: wenji::kernel::codes::tracking_number(2026),
                secret_hash: "0".repeat(64),
                receipt_key_id: None,
                idempotency_key: None,
                duplicate_group_id: None,
                entered_by: None,
                created_at: now,
                updated_at: now,
            };
            let grouping = grouping::find(db.conn(), decision, &comment.body).await?;
            batch.push(Prepared { comment, grouping, limits: vec![], check_window: false });
        }
        for outcome in intake::write_batch(&db, &batch, &known).await {
            outcome.map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        written += batch.len();
        // A synthetic load this fast outruns autovacuum (which looks at most once a minute):
        // on PostgreSQL, rows not yet marked visible to all make the planner's estimates walk
        // them (87 comments/s before a VACUUM, 1,450/s after, measured). A real campaign
        // arrives over hours; the migration tunes autovacuum for these tables (000012).
        if db.backend() == sea_orm::DbBackend::Postgres && written % 10_000 == 0 {
            use sea_orm::ConnectionTrait;
            db.conn().execute_unprepared("VACUUM ANALYZE comments").await?;
            db.conn().execute_unprepared("VACUUM ANALYZE comment_buckets").await?;
        }
    }
    println!("campaign: {written} comments in one consultation in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}
