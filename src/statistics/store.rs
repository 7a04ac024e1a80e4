//! Queries for the statistics: published consultations by filter, their maintained counts
//! and their latest reports — indexed reads per decision, never per comment.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::decisions::model::DecisionStatus;
use crate::entities::{comment_counts, decisions, feedback_reports};
use crate::error::AppResult;

/// Published consultations (not withdrawn) of some agencies (all: `None`), in one policy
/// area (or all), whose window opened within `[from, until)`.
pub async fn consultations(
    db: &impl ConnectionTrait,
    agencies: Option<&[Uuid]>,
    policy_area: Option<Uuid>,
    opened: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> AppResult<Vec<decisions::Model>> {
    use decisions::Column as D;
    let mut cond = Condition::all()
        .add(D::PublishedAt.is_not_null())
        .add(D::WindowOpensAt.is_not_null())
        .add(D::WindowClosesAt.is_not_null())
        .add(D::Status.ne(DecisionStatus::Withdrawn));
    if let Some(ids) = agencies {
        cond = cond.add(D::AgencyId.is_in(ids.to_vec()));
    }
    if let Some(area) = policy_area {
        cond = cond.add(D::PolicyAreaId.eq(area));
    }
    if let Some((from, until)) = opened {
        cond = cond.add(D::WindowOpensAt.gte(from)).add(D::WindowOpensAt.lt(until));
    }
    Ok(decisions::Entity::find().filter(cond).all(db).await?)
}

/// The maintained counts the statistics use, for some decisions.
pub async fn counts(db: &impl ConnectionTrait, ids: &[Uuid]) -> AppResult<Vec<comment_counts::Model>> {
    use comment_counts::Column as K;
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        out.extend(
            comment_counts::Entity::find()
                .filter(K::DecisionId.is_in(chunk.to_vec()))
                .filter(K::Dimension.is_in(["all", "channel", "category", "satisfaction"]))
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

/// The published report versions of some decisions (the caller keeps the latest).
pub async fn reports(db: &impl ConnectionTrait, ids: &[Uuid]) -> AppResult<Vec<feedback_reports::Model>> {
    use feedback_reports::Column as R;
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        out.extend(feedback_reports::Entity::find().filter(R::DecisionId.is_in(chunk.to_vec())).all(db).await?);
    }
    Ok(out)
}
