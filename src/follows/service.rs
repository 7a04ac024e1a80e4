//! Following and unfollowing, and what an account follows.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::model::{MAX_FOLLOWS, UNFOLLOW_LINK, unfollow_link_message};
use super::store;
use crate::authz::Actor;
use crate::db::Timestamp;
use crate::decisions::model::DecisionStatus;
use crate::decisions::{queries as decisions, views};
use crate::error::{AppError, AppResult};
use crate::kernel::pagination::{Page, PageRequest};
use crate::state::AppState;
use crate::t;

/// Whether the account follows a decision, and since when.
#[derive(Clone, Debug)]
pub struct FollowState {
    pub following: bool,
    pub since: Option<DateTime<Utc>>,
}

/// A followed decision as its follower sees it.
#[derive(Clone, Debug)]
pub struct Followed {
    pub decision: views::DecisionSummary,
    pub followed_at: DateTime<Utc>,
    /// The feedback report's published version (0: none yet).
    pub feedback_version: i32,
    /// When the window has closed and no report is out yet: the day it is due.
    pub report_due_on: Option<NaiveDate>,
}

/// Whether `actor` follows decision `id` (one they may see).
pub async fn state_of(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<FollowState> {
    let account = actor.principal()?.account_id;
    let d = decisions::load_visible(state, actor, id).await?;
    let row = store::find(state.db.conn(), account, d.id).await?;
    Ok(FollowState { following: row.is_some(), since: row.map(|r| r.created_at) })
}

/// `actor` follows decision `id`: a published decision they may see (a draft has no
/// public life to follow yet: 409 `not_published`). Following again changes nothing.
pub async fn follow(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<FollowState> {
    let account = actor.principal()?.account_id;
    let d = decisions::load_visible(state, actor, id).await?;
    if d.published_at.is_none() {
        return Err(AppError::Conflict {
            code: "not_published",
            message: t!("事项公开后才能关注。", "A decision can be followed once it is published."),
        });
    }
    let tx = state.db.write().await?;
    if let Some(existing) = store::find(&tx, account, d.id).await? {
        return Ok(FollowState { following: true, since: Some(existing.created_at) });
    }
    if store::count_of(&tx, account).await? >= MAX_FOLLOWS {
        return Err(AppError::Conflict {
            code: "too_many_follows",
            message: t!(
                "关注的事项已达上限，请先取消一些关注。",
                "You follow as many decisions as one account may; unfollow some first."
            ),
        });
    }
    let now = Timestamp::now();
    // A parallel follow that got in first (PostgreSQL) keeps its time: read it back then only.
    let since = if store::insert(&tx, account, d.id, now).await? {
        now
    } else {
        store::find(&tx, account, d.id).await?.map_or(now, |r| r.created_at)
    };
    tx.commit().await?;
    Ok(FollowState { following: true, since: Some(since) })
}

/// `actor` stops following decision `id`; not following it already is no error.
pub async fn unfollow(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<FollowState> {
    let account = actor.principal()?.account_id;
    let d = decisions::load_visible(state, actor, id).await?;
    let tx = state.db.write().await?;
    store::delete(&tx, account, d.id).await?;
    tx.commit().await?;
    Ok(FollowState { following: false, since: None })
}

/// What `actor` follows, most recently followed first, each with where it stands now.
pub async fn mine(state: &AppState, actor: &Actor, page: PageRequest) -> AppResult<Page<Followed>> {
    let account = actor.principal()?.account_id;
    let (rows, total) = store::of_account(state.db.conn(), account, page.offset(), page.per_page).await?;
    let names = crate::agencies::service::names(state).await?;
    let now = Timestamp::now();
    // Only published decisions can be followed, and what was published stays published.
    let items = rows
        .into_iter()
        .map(|(f, d)| {
            let feedback_version = d.feedback_version;
            let due = crate::feedback::queries::due(state, &d);
            let decision = views::summary(d, &names, now);
            let report_due_on = due.filter(|_| decision.status == DecisionStatus::Closed);
            Followed { decision, followed_at: f.created_at, feedback_version, report_due_on }
        })
        .collect();
    Ok(page.page(items, total))
}

/// What an unfollow link undid.
#[derive(Clone, Debug)]
pub struct UnfollowedByLink {
    pub decision_id: Uuid,
    pub title: String,
}

/// Unfollows with the signed link of a follow e-mail, without a sign-in: the link names the
/// account and the decision and is signed for both. A link that does not verify (or names a
/// decision that is not public) answers 404 and changes nothing; using it again is no error.
pub async fn unfollow_by_link(state: &AppState, account: Uuid, id: Uuid, token: &str) -> AppResult<UnfollowedByLink> {
    let invalid = || {
        AppError::NotFound(t!(
            "取消关注的链接无效。请使用邮件中的完整链接，或登录后在“我的关注”中取消。",
            "This unfollow link is not valid. Use the whole link from the e-mail, or sign in and unfollow in My follows."
        ))
    };
    if !state.receipt_keys.verify(UNFOLLOW_LINK, &unfollow_link_message(account, id), token) {
        return Err(invalid());
    }
    let d = decisions::load_visible(state, &Actor::Anonymous, id).await.map_err(|_| invalid())?;
    let tx = state.db.write().await?;
    store::delete(&tx, account, d.id).await?;
    tx.commit().await?;
    Ok(UnfollowedByLink { decision_id: d.id, title: d.title })
}
