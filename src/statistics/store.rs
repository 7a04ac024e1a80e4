//! Queries for the statistics: published consultations by filter, their maintained counts
//! pivoted to one row per consultation, and their latest reports — only the columns the
//! figures need, one row per consultation, never a row per comment.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::comments::model::{Category, Channel};
use crate::db::statement;
use crate::decisions::model::DecisionStatus;
use crate::entities::{decisions, feedback_reports};
use crate::error::AppResult;

/// (id, agency, policy area, window opens, window closes, first report published)
pub type ConsultationRow = (Uuid, Uuid, Uuid, Option<DateTime<Utc>>, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// Published consultations (not withdrawn) of some agencies (all: `None`), in one policy
/// area (or all), whose window opened within `[from, until)`.
pub async fn consultations(
    db: &impl ConnectionTrait,
    agencies: Option<&[Uuid]>,
    policy_area: Option<Uuid>,
    opened: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> AppResult<Vec<ConsultationRow>> {
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
    Ok(decisions::Entity::find()
        .select_only()
        .columns([D::Id, D::AgencyId, D::PolicyAreaId, D::WindowOpensAt, D::WindowClosesAt, D::FeedbackPublishedAt])
        .filter(cond)
        .into_tuple()
        .all(db)
        .await?)
}

/// The keys of the pivoted counts, in the order of `Pivot::values`.
pub fn pivot_keys() -> Vec<(&'static str, &'static str)> {
    let mut keys = vec![("all", "all")];
    keys.extend(Channel::ALL.iter().map(|c| ("channel", c.as_str())));
    keys.extend(Category::ALL.iter().map(|c| ("category", c.as_str())));
    keys.extend(["satisfied", "basically_satisfied", "dissatisfied"].map(|k| ("satisfaction", k)));
    keys
}

/// One consultation's counts, in the order of `pivot_keys`.
pub struct Pivot {
    pub decision_id: Uuid,
    pub values: Vec<i64>,
}

/// The counts the statistics use, one row per consultation: a grouped read of the
/// maintained counts (a dozen rows per consultation, by its primary key).
pub async fn pivoted_counts(db: &impl ConnectionTrait, ids: &[Uuid]) -> AppResult<Vec<Pivot>> {
    let keys = pivot_keys();
    // Keys come from our own vocabularies, never from a request.
    let columns: Vec<String> = keys
        .iter()
        .map(|(d, k)| format!("CAST(SUM(CASE WHEN dimension = '{d}' AND key = '{k}' THEN count ELSE 0 END) AS BIGINT)"))
        .collect();
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT decision_id, {} FROM comment_counts WHERE decision_id IN ({}) \
             AND dimension IN ('all', 'channel', 'category', 'satisfaction') GROUP BY decision_id",
            columns.join(", "),
            placeholders.join(", ")
        );
        let values = chunk.iter().map(|id| (*id).into()).collect();
        for r in db.query_all_raw(statement(db.get_database_backend(), &sql, values)).await? {
            let decision_id = r.try_get_by_index::<Uuid>(0)?;
            let values = (1..=keys.len()).map(|i| r.try_get_by_index::<i64>(i)).collect::<Result<_, _>>()?;
            out.push(Pivot { decision_id, values });
        }
    }
    Ok(out)
}

/// (decision, version, participants, adopted, partly adopted, not adopted, not applicable)
pub type ReportRow = (Uuid, i32, i64, i64, i64, i64, i64);

/// The published report versions of some decisions, their figures only (the caller keeps
/// the latest).
pub async fn reports(db: &impl ConnectionTrait, ids: &[Uuid]) -> AppResult<Vec<ReportRow>> {
    use feedback_reports::Column as R;
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        out.extend(
            feedback_reports::Entity::find()
                .select_only()
                .columns([
                    R::DecisionId,
                    R::Version,
                    R::Participants,
                    R::Adopted,
                    R::PartlyAdopted,
                    R::NotAdopted,
                    R::NotApplicable,
                ])
                .filter(R::DecisionId.is_in(chunk.to_vec()))
                .into_tuple::<ReportRow>()
                .all(db)
                .await?,
        );
    }
    Ok(out)
}
