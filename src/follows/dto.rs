//! The shapes of follows on the wire.

use chrono::{DateTime, NaiveDate, Utc};
use poem_openapi::Object;

use super::service::{FollowState, Followed, UnfollowedByLink};
use crate::decisions::dto::DecisionSummary;
use crate::http::pagination::PageMeta;

/// Whether you follow a decision.
#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct FollowStatus {
    pub following: bool,
    /// Since when, while you do.
    pub since: Option<DateTime<Utc>>,
}

impl From<FollowState> for FollowStatus {
    fn from(s: FollowState) -> Self {
        FollowStatus { following: s.following, since: s.since }
    }
}

/// A decision you follow, with where it stands now.
#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct FollowedDecision {
    pub decision: DecisionSummary,
    pub followed_at: DateTime<Utc>,
    /// The published version of its feedback report; 0 while there is none.
    pub feedback_version: i32,
    /// Set while the window has closed and no report is out: the day the report is due
    /// (China time).
    pub report_due_on: Option<NaiveDate>,
}

impl From<Followed> for FollowedDecision {
    fn from(f: Followed) -> Self {
        FollowedDecision {
            decision: f.decision.into(),
            followed_at: f.followed_at,
            feedback_version: f.feedback_version,
            report_due_on: f.report_due_on,
        }
    }
}

#[derive(Object)]
pub struct FollowedDecisionList {
    pub items: Vec<FollowedDecision>,
    pub meta: PageMeta,
}

/// An unfollow link from a follow e-mail (its `account`, `decision` and `token` parameters).
#[derive(Object)]
pub struct UnfollowLink {
    pub account_id: uuid::Uuid,
    pub decision_id: uuid::Uuid,
    #[oai(validator(max_length = 64))]
    pub token: String,
}

/// What an unfollow link undid.
#[derive(Object)]
pub struct UnfollowedDecision {
    pub decision_id: uuid::Uuid,
    pub title: String,
    pub following: bool,
}

impl From<UnfollowedByLink> for UnfollowedDecision {
    fn from(u: UnfollowedByLink) -> Self {
        UnfollowedDecision { decision_id: u.decision_id, title: u.title, following: false }
    }
}
