//! Reads of adoption feedback: the staff workbench, the report as it would be published,
//! the published versions and their check, each submitter's answer, and deadlines.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::model::{Disposition, due_on, timeliness};
use super::report::{self, Count, ReportContent, ReportViewpoint, Stored, Tally, Totals};
use super::store;
use super::views::{self, CommentAnswer, Deadline, ReportHistory, ReportVersion, Verification, Workbench};
use crate::authz::Actor;
use crate::comments::queries::for_staff;
use crate::db::Timestamp;
use crate::entities::{decisions, feedback_reports};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::t;

pub(super) fn report_not_found() -> AppError {
    AppError::NotFound(t!(
        "该决策事项还没有公布意见采纳情况。",
        "No feedback report has been published for this decision."
    ))
}

/// The day the report is due, once the window has a closing time.
pub fn due(state: &AppState, d: &decisions::Model) -> Option<chrono::NaiveDate> {
    d.window_closes_at.map(|at| due_on(at, state.config.feedback_due_days))
}

fn tally_of(rows: Vec<(Option<String>, u64)>) -> AppResult<Tally> {
    let mut t = Tally::default();
    for (key, n) in rows {
        match key.as_deref().map(|k| Disposition::parse(k).ok_or(k)) {
            None => t.undecided += n,
            Some(Ok(Disposition::Adopted)) => t.adopted += n,
            Some(Ok(Disposition::PartlyAdopted)) => t.partly_adopted += n,
            Some(Ok(Disposition::NotAdopted)) => t.not_adopted += n,
            Some(Ok(Disposition::NotApplicable)) => t.not_applicable += n,
            Some(Err(unknown)) => return Err(anyhow::anyhow!("unknown stored disposition {unknown:?}").into()),
        }
    }
    Ok(t)
}

async fn viewpoints_with_counts(db: &impl ConnectionTrait, decision: Uuid) -> AppResult<Vec<views::Viewpoint>> {
    let counts: HashMap<Uuid, u64> = store::viewpoint_counts(db, decision).await?.into_iter().collect();
    Ok(store::viewpoints_of(db, decision)
        .await?
        .into_iter()
        .map(|v| {
            let n = counts.get(&v.id).copied().unwrap_or(0);
            views::viewpoint(v, n)
        })
        .collect())
}

pub async fn workbench(state: &AppState, actor: &Actor, decision_id: Uuid) -> AppResult<Workbench> {
    let (d, _) = for_staff(state, actor, decision_id).await?;
    let db = state.db.conn();
    let viewpoints = viewpoints_with_counts(db, d.id).await?;
    let (considered, _) = store::comments_and_participants(db, d.id).await?;
    let assigned: u64 = viewpoints.iter().map(|v| v.comments).sum();
    Ok(Workbench {
        unassigned: considered.saturating_sub(assigned),
        tally: tally_of(store::tally(db, d.id).await?)?,
        due_on: due(state, &d),
        published_version: d.feedback_version,
        viewpoints,
    })
}

/// What publishing now would publish, built from the current data.
pub(super) struct Draft {
    pub content: ReportContent,
    /// Viewpoints still without a disposition (publishing is refused while there are any).
    pub undecided_viewpoints: Vec<String>,
}

pub(super) async fn draft(
    state: &AppState,
    actor: &Actor,
    d: &decisions::Model,
    introduction: String,
    note: Option<String>,
    now: DateTime<Utc>,
) -> AppResult<Draft> {
    let db = state.db.conn();
    let stats = crate::comments::queries::stats(state, actor, d.id).await?;
    let (comments, participants) = store::comments_and_participants(db, d.id).await?;
    let viewpoints = viewpoints_with_counts(db, d.id).await?;
    let assigned: u64 = viewpoints.iter().map(|v| v.comments).sum();
    let previous = store::reports(db, d.id).await?.pop();
    let agency_name = crate::agencies::store::find(db, d.agency_id).await?.map(|a| a.name).unwrap_or_default();
    let counts = |items: Vec<crate::comments::views::CountByKey>| {
        items.into_iter().map(|c| Count { key: c.key, label: c.label, count: c.count }).collect::<Vec<_>>()
    };
    let undecided_viewpoints =
        viewpoints.iter().filter(|v| v.disposition.is_none()).map(|v| v.title.clone()).collect::<Vec<_>>();
    let content = ReportContent {
        decision_id: d.id.to_string(),
        decision_title: d.title.clone(),
        agency_name,
        version: previous.as_ref().map_or(1, |p| p.version + 1),
        published_at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        previous_hash: previous.map(|p| p.hash),
        note,
        introduction,
        totals: Totals {
            received: stats.total,
            hidden: stats.hidden,
            comments,
            participants,
            by_channel: counts(stats.by_channel),
            by_category: counts(stats.by_category),
            by_section: counts(stats.by_section),
            duplicate_groups: stats.duplicate_groups,
            comments_in_groups: stats.comments_in_groups,
            unassigned: comments.saturating_sub(assigned),
        },
        tally: tally_of(store::tally(db, d.id).await?)?,
        viewpoints: viewpoints
            .into_iter()
            .map(|v| ReportViewpoint {
                id: v.id.to_string(),
                title: v.title,
                summary: v.summary,
                comments: v.comments,
                disposition: v.disposition.map(|d| d.as_str().to_string()).unwrap_or_default(),
                reason: v.reason,
                reply: v.reply,
            })
            .collect(),
    };
    Ok(Draft { content, undecided_viewpoints })
}

/// The report as publishing it now would publish it (staff).
pub async fn preview(
    state: &AppState,
    actor: &Actor,
    decision_id: Uuid,
    introduction: String,
) -> AppResult<ReportContent> {
    let (d, _) = for_staff(state, actor, decision_id).await?;
    Ok(draft(state, actor, &d, introduction, None, Timestamp::now()).await?.content)
}

fn version_of(r: feedback_reports::Model) -> AppResult<ReportVersion> {
    let content: ReportContent = serde_json::from_str(&r.content).map_err(|e| {
        anyhow::anyhow!("feedback report {} v{}: stored content unreadable: {e}", r.decision_id, r.version)
    })?;
    Ok(ReportVersion {
        version: r.version,
        hash: r.hash,
        previous_hash: r.previous_hash,
        note: r.note,
        published_at: r.published_at,
        content,
    })
}

async fn visible(state: &AppState, actor: &Actor, decision_id: Uuid) -> AppResult<decisions::Model> {
    crate::decisions::queries::load_visible(state, actor, decision_id).await
}

/// Every published version, oldest first (public).
pub async fn history(state: &AppState, actor: &Actor, decision_id: Uuid) -> AppResult<ReportHistory> {
    let d = visible(state, actor, decision_id).await?;
    let versions =
        store::reports(state.db.conn(), d.id).await?.into_iter().map(version_of).collect::<AppResult<_>>()?;
    Ok(ReportHistory { versions, due_on: due(state, &d) })
}

async fn stored_version(
    state: &AppState,
    actor: &Actor,
    decision_id: Uuid,
    version: i32,
) -> AppResult<feedback_reports::Model> {
    let d = visible(state, actor, decision_id).await?;
    store::report(state.db.conn(), d.id, version).await?.ok_or_else(report_not_found)
}

pub async fn version(state: &AppState, actor: &Actor, decision_id: Uuid, version: i32) -> AppResult<ReportVersion> {
    version_of(stored_version(state, actor, decision_id, version).await?)
}

/// The exact text a version's hash is over.
pub async fn canonical(state: &AppState, actor: &Actor, decision_id: Uuid, version: i32) -> AppResult<String> {
    Ok(stored_version(state, actor, decision_id, version).await?.content)
}

/// Recomputes every version's hash and link (public).
pub async fn verify(state: &AppState, actor: &Actor, decision_id: Uuid) -> AppResult<Verification> {
    let d = visible(state, actor, decision_id).await?;
    let rows = store::reports(state.db.conn(), d.id).await?;
    if rows.is_empty() {
        return Err(report_not_found());
    }
    let stored: Vec<Stored<'_>> =
        rows.iter().map(|r| Stored { version: r.version, content: &r.content, hash: &r.hash }).collect();
    let checks = report::verify(&stored);
    let valid = checks.iter().all(|c| c.hash_matches && c.chain_matches);
    Ok(Verification { valid, checks })
}

/// The answers to some comments of decisions whose report is published, by comment id.
pub async fn answers(db: &impl ConnectionTrait, comment_ids: &[Uuid]) -> AppResult<HashMap<Uuid, CommentAnswer>> {
    let rows = store::feedback_of(db, comment_ids).await?;
    let mut titles: HashMap<Uuid, Option<crate::entities::viewpoints::Model>> = HashMap::new();
    let mut out = HashMap::with_capacity(rows.len());
    for f in rows {
        let v = match f.viewpoint_id {
            Some(id) => match titles.get(&id) {
                Some(v) => v.clone(),
                None => {
                    let v = store::viewpoint(db, id).await?;
                    titles.insert(id, v.clone());
                    v
                }
            },
            None => None,
        };
        // The comment's own disposition wins over its viewpoint's, with its reason and reply.
        let (disposition, reason, reply) = match (f.disposition, &v) {
            (Some(d), _) => (Some(d), f.reason, f.reply),
            (None, Some(v)) => (v.disposition, v.reason.clone(), v.reply.clone()),
            (None, None) => (None, None, None),
        };
        out.insert(
            f.comment_id,
            CommentAnswer {
                disposition,
                reason,
                reply,
                viewpoint_title: v.map(|v| v.title),
                can_rate: f.satisfaction.is_none(),
                satisfaction: f.satisfaction,
            },
        );
    }
    Ok(out)
}

/// The answer shown with one comment: none until the decision's report is published.
pub async fn answer_for(
    db: &impl ConnectionTrait,
    d: &decisions::Model,
    comment_id: Uuid,
) -> AppResult<Option<CommentAnswer>> {
    if d.feedback_version == 0 {
        return Ok(None);
    }
    let found = answers(db, &[comment_id]).await?.remove(&comment_id);
    Ok(Some(found.unwrap_or(CommentAnswer {
        disposition: None,
        reason: None,
        reply: None,
        viewpoint_title: None,
        satisfaction: None,
        can_rate: true,
    })))
}

/// Consultations of the actor's agency (every agency, for the platform admin) whose window
/// has closed: when each report is due and where it stands, most urgent first.
pub async fn deadlines(state: &AppState, actor: &Actor) -> AppResult<Vec<Deadline>> {
    let p = actor.principal()?;
    let agency = match p.role {
        crate::authz::Role::PlatformAdmin => None,
        _ => Some(p.agency_id.ok_or_else(|| {
            AppError::Forbidden(t!("您的账号无权进行此操作。", "Your account is not allowed to do this."))
        })?),
    };
    let now = Timestamp::now();
    let rows = store::closed_consultations(state.db.conn(), agency, now).await?;
    let mut out: Vec<Deadline> = rows
        .into_iter()
        .filter_map(|d| {
            let closed_at = d.window_closes_at?;
            let due_on = due_on(closed_at, state.config.feedback_due_days);
            Some(Deadline {
                decision_id: d.id,
                title: d.title,
                agency_id: d.agency_id,
                closed_at,
                due_on,
                timeliness: timeliness(due_on, d.feedback_published_at, now),
                published_at: d.feedback_published_at,
            })
        })
        .collect();
    out.sort_by_key(|d| (d.published_at.is_some(), d.due_on));
    Ok(out)
}
