//! Reading decisions: lists and search, one decision (from this node's short-lived cache
//! when the public asks), versions and their differences, the yearly catalogue, the feed,
//! the audit log and attachments. Each answer is a read model from `views`.

use chrono::TimeDelta;
use uuid::Uuid;

use super::model::DecisionStatus;
use super::splitter::ParsedSection;
use super::store::{self, Filter};
use super::views;
use crate::agencies::service as agencies;
use crate::authz::{Action, Actor};
use crate::db::Timestamp;
use crate::entities::{decisions, draft_versions};
use crate::error::{AppError, AppResult};
use crate::kernel::pagination::{Page, PageRequest};
use crate::state::AppState;
use crate::t;

pub fn not_found() -> AppError {
    AppError::NotFound(t!("找不到该决策事项。", "No such decision."))
}

/// A decision `actor` may know exists; 404 otherwise (never 403: unpublished drafts do not
/// exist for outsiders).
pub async fn load_visible(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<decisions::Model> {
    store::find(state.db.conn(), id)
        .await?
        .filter(|d| actor.may_see_decision(d.agency_id, d.published_at.is_some()))
        .ok_or_else(not_found)
}

/// What a list of decisions asks for.
#[derive(Clone, Debug, Default)]
pub struct ListQuery {
    pub status: Option<DecisionStatus>,
    /// An agency; its sub-agencies are included.
    pub agency_id: Option<Uuid>,
    pub policy_area_id: Option<Uuid>,
    pub year: Option<i32>,
    pub open_now: bool,
    pub closing_within_days: Option<i64>,
    pub text: Option<String>,
}

pub async fn list(
    state: &AppState,
    actor: &Actor,
    query: ListQuery,
    page: PageRequest,
) -> AppResult<Page<views::DecisionSummary>> {
    let now = Timestamp::now();
    let agency_ids = match query.agency_id {
        Some(root) => Some(agencies::subtree_of(state, root).await.or_else(|e| match e {
            // An unknown agency has no decisions: an empty list, as before any were made.
            AppError::NotFound(_) => Ok(vec![root]),
            e => Err(e),
        })?),
        None => None,
    };
    let filter = Filter {
        status: query.status,
        agency_ids,
        policy_area_id: query.policy_area_id,
        year: query.year,
        open_now: query.open_now,
        closing_before: query.closing_within_days.map(|d| now + TimeDelta::days(d)),
        text: query.text,
    };
    let (rows, total) =
        store::list(state.db.conn(), actor.decision_scope(), &filter, now, page.offset(), page.per_page).await?;
    let names = agencies::names(state).await?;
    Ok(page.page(rows.into_iter().map(|d| views::summary(d, &names, now)).collect(), total))
}

/// One decision as `actor` may see it, and whether that is its public view (the same for
/// everyone outside its agency): the handler keeps that one, written, for a moment
/// (`AppState::public_decisions`); every change on the node forgets it.
pub async fn get(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<(views::Decision, bool)> {
    let d = load_visible(state, actor, id).await?;
    let public_view = d.published_at.is_some() && !actor.sees_unpublished_of(d.agency_id);
    let view = views::detail(&state.db, actor, d, Timestamp::now()).await?;
    Ok((view, public_view))
}

pub async fn versions(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<Vec<views::VersionSummary>> {
    let d = load_visible(state, actor, id).await?;
    let versions = views::visible_versions(actor, &d, store::versions(state.db.conn(), d.id).await?);
    Ok(versions.iter().map(views::version_summary).collect())
}

async fn visible_version(
    state: &AppState,
    actor: &Actor,
    decision_id: Uuid,
    number: i32,
) -> AppResult<draft_versions::Model> {
    let d = load_visible(state, actor, decision_id).await?;
    store::version(state.db.conn(), d.id, number)
        .await?
        .filter(|v| actor.may_see_version(d.agency_id, v.published))
        .ok_or_else(|| AppError::NotFound(t!("没有这个版本。", "No such version.")))
}

pub async fn version(state: &AppState, actor: &Actor, id: Uuid, number: i32) -> AppResult<views::Version> {
    let v = visible_version(state, actor, id, number).await?;
    let sections = store::sections_of(state.db.conn(), v.id).await?;
    Ok(views::version(v, sections))
}

/// How many differences a node keeps.
const KEPT_DIFFS: usize = 256;

/// What changed between two versions. The work is bounded (cells per text, pairings per
/// diff), runs off the async runtime two at a time, and is kept per version pair.
pub async fn diff(state: &AppState, actor: &Actor, id: Uuid, from: i32, to: i32) -> AppResult<views::VersionDiff> {
    let a = visible_version(state, actor, id, from).await?;
    let b = visible_version(state, actor, id, to).await?;
    let key = (a.id, b.id);
    if let Some(kept) = state.diffs.lock().ok().and_then(|d| d.get(&key).cloned()) {
        return Ok(kept);
    }
    let sa = store::sections_of(state.db.conn(), a.id).await?;
    let sb = store::sections_of(state.db.conn(), b.id).await?;
    let _slot = state.diff_slots.acquire().await.map_err(|e| AppError::Internal(e.into()))?;
    let computed = tokio::task::spawn_blocking(move || views::diff(from, to, &sa, &sb)).await?;
    if let Ok(mut kept) = state.diffs.lock() {
        if kept.len() >= KEPT_DIFFS {
            kept.clear();
        }
        kept.insert(key, computed.clone());
    }
    Ok(computed)
}

/// How a draft text would split, for staff trying it out; nothing is saved.
pub fn preview_split(actor: &Actor, text: &str) -> AppResult<Vec<ParsedSection>> {
    actor.authorize(Action::PreviewDrafts)?;
    super::sections::split_text(text)
}

pub async fn audit_log(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<Vec<views::AuditEntry>> {
    actor.authorize(Action::ReadAuditLog)?;
    store::find(state.db.conn(), id).await?.ok_or_else(not_found)?;
    crate::audit::for_entity(state.db.conn(), id).await?.into_iter().map(views::audit_entry).collect()
}

/// An agency's (and its sub-agencies') major decisions of a year, including those planned
/// but not yet drafted.
pub async fn catalogue(state: &AppState, agency_id: Uuid, year: i32) -> AppResult<Vec<views::CatalogueEntry>> {
    let ids = agencies::subtree_of(state, agency_id).await?;
    let names = agencies::names(state).await?;
    let now = Timestamp::now();
    Ok(store::catalogue(state.db.conn(), &ids, year)
        .await?
        .into_iter()
        .map(|d| views::catalogue_entry(d, &names, now))
        .collect())
}

/// The Atom feed of newly published consultations.
pub async fn feed(state: &AppState) -> AppResult<String> {
    let items = store::recently_published(state.db.conn(), 50).await?;
    let names = agencies::names(state).await?;
    Ok(views::atom_feed(&state.config.public_url, &items, &names))
}

pub async fn attachments(state: &AppState, actor: &Actor, decision_id: Uuid) -> AppResult<Vec<views::Attachment>> {
    let d = load_visible(state, actor, decision_id).await?;
    Ok(store::attachments(state.db.conn(), d.id).await?.into_iter().map(views::attachment).collect())
}

/// Bytes of an attachment read from the database per download: enough to stream without
/// keeping a whole file (up to the attachment limit) in memory for every slow reader.
const DOWNLOAD_PIECE: i32 = 256 * 1024;

/// An attachment's bytes, if its decision is visible to `actor`: streamed in pieces, the first
/// read before answering (so a missing file is an error, not a cut-off download).
pub async fn attachment_file(
    state: &AppState,
    actor: &Actor,
    decision_id: Uuid,
    attachment_id: Uuid,
) -> AppResult<(views::Attachment, futures_util::stream::BoxStream<'static, AppResult<Vec<u8>>>)> {
    use futures_util::StreamExt;
    let a = attachments(state, actor, decision_id)
        .await?
        .into_iter()
        .find(|a| a.id == attachment_id)
        .ok_or_else(|| AppError::NotFound(t!("找不到该附件。", "No such attachment.")))?;
    let first = store::attachment_piece(state.db.conn(), &a.sha256, 0, DOWNLOAD_PIECE)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("attachment content {} missing", a.sha256)))?;
    let size = i32::try_from(a.size_bytes).map_err(|e| AppError::Internal(e.into()))?;
    let (state, sha) = (state.clone(), a.sha256.clone());
    let rest = futures_util::stream::unfold(DOWNLOAD_PIECE, move |offset| {
        let (state, sha) = (state.clone(), sha.clone());
        async move {
            if offset >= size {
                return None;
            }
            let piece = store::attachment_piece(state.db.conn(), &sha, offset, DOWNLOAD_PIECE).await;
            match piece {
                Ok(Some(bytes)) if !bytes.is_empty() => Some((Ok(bytes), offset.saturating_add(DOWNLOAD_PIECE))),
                Ok(_) => {
                    Some((Err(AppError::Internal(anyhow::anyhow!("attachment {sha} shorter than recorded"))), size))
                }
                Err(e) => Some((Err(e), size)),
            }
        }
    });
    Ok((a, futures_util::stream::once(async move { Ok(first) }).chain(rest).boxed()))
}
