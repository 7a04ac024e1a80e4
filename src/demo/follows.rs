//! The demo resident (张伟) follows three decisions at different steps — one open for comment,
//! one closed and waiting for its report, one answered — so "我的关注" shows what following
//! is for on a first visit. Idempotent: following again changes nothing.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::db::Timestamp;
use crate::decisions::model::DecisionStatus;
use crate::decisions::views::status_now;
use crate::entities::decisions;
use crate::error::AppResult;
use crate::state::AppState;

/// The demo resident who follows.
const FOLLOWER: &str = "zhang.wei@wenji.demo";

/// Answers how many decisions the demo resident follows now (0 without the demo accounts).
pub async fn follow_demo_decisions(state: &AppState) -> AppResult<usize> {
    let db = state.db.conn();
    let Some(account) = crate::accounts::store::find_by_email(db, FOLLOWER).await? else {
        return Ok(0);
    };
    let now = Timestamp::now();
    let published = decisions::Entity::find()
        .filter(decisions::Column::PublishedAt.is_not_null())
        .order_by_asc(decisions::Column::PublishedAt)
        .all(db)
        .await?;
    let mut chosen = Vec::new();
    for wanted in [DecisionStatus::Consulting, DecisionStatus::Closed, DecisionStatus::FeedbackPublished] {
        if let Some(d) = published.iter().find(|d| status_now(d, now) == wanted) {
            chosen.push(d.id);
        }
    }
    let tx = state.db.write().await?;
    for id in &chosen {
        crate::follows::store::insert(&tx, account.id, *id, now).await?;
    }
    tx.commit().await?;
    Ok(chosen.len())
}
