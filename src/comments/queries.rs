//! Reading comments: the public list and figures, a comment by its receipt, my comments,
//! the staff inbox and duplicate groups, and the exports.

use std::collections::HashMap;

use serde_json::json;
use uuid::Uuid;

use super::model::{CommentOrder, CommentStatus, InboxFilter};
use super::store;
use super::views::{
    self, CommentStats, CountByKey, CsvFile, DuplicateGroup, OwnComment, PublishedComments, StaffComment,
};
use crate::audit::{self, Entry};
use crate::authz::{Action, Actor};
use crate::db::Timestamp;
use crate::decisions::model::DecisionStatus;
use crate::decisions::queries::load_visible;
use crate::decisions::views::status_now;
use crate::entities::{comment_counts, comments, consultations, decisions};
use crate::error::{AppError, AppResult};
use crate::kernel::csv;
use crate::kernel::pagination::{Page, PageRequest};
use crate::state::AppState;
use crate::t;

pub fn comment_not_found() -> AppError {
    AppError::NotFound(t!("找不到该意见。", "No such comment."))
}

/// A decision `actor` may see, with its consultation. The public's reads come from this
/// node's short-lived cache; submissions check the window against the database itself.
pub async fn consultation_of(
    state: &AppState,
    actor: &Actor,
    decision_id: Uuid,
) -> AppResult<(decisions::Model, consultations::Model)> {
    let d = load_visible(state, actor, decision_id).await?;
    let c = crate::decisions::store::consultation(state.db.conn(), d.id)
        .await?
        .ok_or_else(|| AppError::NotFound(t!("该决策事项没有征求意见。", "This decision has no consultation.")))?;
    Ok((d, c))
}

pub(super) async fn published_consultation(
    state: &AppState,
    actor: &Actor,
    decision_id: Uuid,
) -> AppResult<(decisions::Model, consultations::Model)> {
    if let Some(found) = state.consultations.get(&decision_id) {
        return Ok(found);
    }
    let found = consultation_of(state, actor, decision_id).await?;
    if found.0.published_at.is_some() {
        state.consultations.put(decision_id, found.clone());
    }
    Ok(found)
}

/// The labels of the sections of the text under consultation (第三条), by id. Versions never
/// change, so this node keeps them (`AppState::section_labels`).
pub(super) async fn section_labels(
    state: &AppState,
    c: &consultations::Model,
) -> AppResult<std::sync::Arc<HashMap<Uuid, String>>> {
    let key = (c.decision_id, c.version_number);
    if let Some(found) = state.section_labels.get(&key) {
        return Ok(found);
    }
    let labels = std::sync::Arc::new(
        crate::decisions::store::section_labels(state.db.conn(), c.decision_id, c.version_number).await?,
    );
    state.section_labels.put(key, labels.clone());
    Ok(labels)
}

/// A decision whose comments `actor` may moderate.
pub async fn for_staff(
    state: &AppState,
    actor: &Actor,
    decision_id: Uuid,
) -> AppResult<(decisions::Model, consultations::Model)> {
    let (d, c) = consultation_of(state, actor, decision_id).await?;
    actor.authorize(Action::ActFor(d.agency_id))?;
    Ok((d, c))
}

/// A comment as its submitter sees it.
pub async fn own_view(state: &AppState, c: comments::Model) -> AppResult<OwnComment> {
    let db = state.db.conn();
    let d = crate::decisions::store::find(db, c.decision_id).await?.ok_or_else(comment_not_found)?;
    let section_label = match c.section_id {
        Some(s) => crate::decisions::store::section_label(db, s).await?,
        None => None,
    };
    let open = status_now(&d, Timestamp::now()) == DecisionStatus::Consulting;
    let answer = crate::feedback::queries::answer_for(db, &d, c.id).await?;
    let comment = views::comment(c);
    let can_withdraw = open && comment.status != CommentStatus::Withdrawn;
    Ok(OwnComment { comment, decision_title: d.title, section_label, can_withdraw, answer })
}

/// Published comments, one page, when the consultation shows them publicly: the decision
/// and its consultation from this node's cache, the page and its total in one query.
/// `after` (a comment id) reads on from there, in the same order, whatever the page.
pub async fn published(
    state: &AppState,
    actor: &Actor,
    decision_id: Uuid,
    section_id: Option<Uuid>,
    order: CommentOrder,
    page: PageRequest,
    after: Option<Uuid>,
) -> AppResult<PublishedComments> {
    let (d, c) = published_consultation(state, actor, decision_id).await?;
    if !actor.may_list_published_comments(c.comments_public) {
        return Ok(PublishedComments { comments_public: false, page: page.page(vec![], 0), next_after: None });
    }
    let start = match after {
        Some(a) => store::PageStart::After(a),
        None => store::PageStart::Offset(page.offset()),
    };
    let (total, rows) = store::published_page(state.db.conn(), d.id, section_id, order, start, page.per_page).await?;
    let next_after = (rows.len() as u64 == page.per_page).then(|| rows.last().map(|r| r.id)).flatten();
    Ok(PublishedComments { comments_public: true, page: page.page(rows, total), next_after })
}

fn counts_by(counts: &[comment_counts::Model], dim: &str, labels: Option<&HashMap<Uuid, String>>) -> Vec<CountByKey> {
    let mut out: Vec<CountByKey> = counts
        .iter()
        .filter(|c| c.dimension == dim && c.count > 0)
        .map(|c| CountByKey {
            label: labels.and_then(|l| c.key.parse::<Uuid>().ok().and_then(|id| l.get(&id).cloned())),
            key: c.key.clone(),
            count: c.count as u64,
        })
        .collect();
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out
}

/// The figures of a consultation, from the maintained counts: two queries (the counts, the
/// groups' sum), kept by this node for the public cache's second, so a crowd watching the
/// figures during a campaign costs one computation per second.
pub async fn stats(state: &AppState, actor: &Actor, decision_id: Uuid) -> AppResult<CommentStats> {
    let (d, c) = published_consultation(state, actor, decision_id).await?;
    if let Some(found) = state.comment_stats.get(&d.id) {
        return Ok(found);
    }
    let db = state.db.conn();
    let counts = store::counts(db, d.id).await?;
    let labels = section_labels(state, &c).await?;
    let get = |dim: &str, key: &str| {
        counts.iter().find(|c| c.dimension == dim && c.key == key).map(|c| c.count.max(0) as u64).unwrap_or(0)
    };
    let (groups, in_groups) = store::group_totals(db, d.id, 2).await?;
    let stats = CommentStats {
        total: get("all", "all"),
        published: get("status", "published"),
        awaiting_moderation: get("status", "received"),
        hidden: get("status", "hidden"),
        withdrawn: get("status", "withdrawn"),
        by_section: counts_by(&counts, "section", Some(&labels)),
        published_by_section: counts_by(&counts, "published", Some(&labels)),
        by_category: counts_by(&counts, "category", None),
        by_channel: counts_by(&counts, "channel", None),
        by_day: counts_by(&counts, "day", None),
        hidden_by_reason: counts_by(&counts, "hidden", None),
        duplicate_groups: groups,
        comments_in_groups: in_groups,
    };
    if d.published_at.is_some() {
        state.comment_stats.put(d.id, stats.clone());
    }
    Ok(stats)
}

fn section_name(labels: &HashMap<Uuid, String>, section: Option<Uuid>) -> String {
    section.and_then(|s| labels.get(&s).cloned()).unwrap_or_else(|| "全文".into())
}

/// How many comments an export reads at a time.
const EXPORT_PAGE: u64 = 500;

/// One row of an export from a stored comment (its number in the file, the section labels).
type ExportRow = fn(usize, comments::Model, &HashMap<Uuid, String>) -> Vec<String>;

/// Streams the comments a filter matches as CSV, page by page through the primary key, so
/// that a consultation of any size costs one page of memory. At most two exports run at a
/// time on a node; a third is asked to come back.
fn export(
    state: &AppState,
    decision: Uuid,
    filter: Option<InboxFilter>,
    labels: std::sync::Arc<HashMap<Uuid, String>>,
    header: &'static [&'static str],
    row: ExportRow,
) -> AppResult<futures_util::stream::BoxStream<'static, AppResult<Vec<u8>>>> {
    use futures_util::StreamExt;
    let permit = state.export_slots.clone().try_acquire_owned().map_err(|_| AppError::TooManyRequests {
        retry_after_secs: 5,
        message: t!("导出任务较多，请稍后再试。", "Other exports are running; try again in a moment."),
    })?;
    struct Cursor {
        state: AppState,
        filter: Option<InboxFilter>,
        after: Option<Uuid>,
        written: usize,
        started: bool,
        _permit: tokio::sync::OwnedSemaphorePermit,
    }
    let cursor = Cursor { state: state.clone(), filter, after: None, written: 0, started: false, _permit: permit };
    let stream = futures_util::stream::unfold(Some(cursor), move |cursor| {
        let labels = labels.clone();
        async move {
            let mut c = cursor?;
            let mut out = if c.started { String::new() } else { csv::header_line(header) };
            c.started = true;
            // No filter: nothing to show (the consultation does not publish its comments).
            let Some(filter) = &c.filter else {
                return Some((Ok(out.into_bytes()), None));
            };
            let page = match store::matching_after(c.state.db.conn(), decision, filter, c.after, EXPORT_PAGE).await {
                Ok(page) => page,
                Err(e) => return Some((Err(e), None)),
            };
            if page.is_empty() {
                return (!out.is_empty()).then(|| (Ok(out.into_bytes()), None));
            }
            c.after = page.last().map(|r| r.id);
            for r in page {
                c.written += 1;
                csv::push_row(&mut out, &row(c.written, r, &labels));
            }
            Some((Ok(out.into_bytes()), Some(c)))
        }
    });
    Ok(stream.boxed())
}

fn public_row(n: usize, r: comments::Model, labels: &HashMap<Uuid, String>) -> Vec<String> {
    vec![
        n.to_string(),
        r.received_on,
        section_name(labels, r.section_id),
        r.category.as_str().into(),
        r.channel.as_str().into(),
        r.display_name.unwrap_or_else(|| "匿名".into()),
        r.body,
    ]
}

fn staff_row(n: usize, r: comments::Model, labels: &HashMap<Uuid, String>) -> Vec<String> {
    vec![
        n.to_string(),
        r.tracking_number,
        r.received_on,
        section_name(labels, r.section_id),
        r.category.as_str().into(),
        r.channel.as_str().into(),
        r.status.as_str().into(),
        r.hidden_reason.map(|h| h.as_str().to_string()).unwrap_or_default(),
        r.display_name.unwrap_or_default(),
        r.contact_phone.unwrap_or_default(),
        r.contact_email.unwrap_or_default(),
        r.body,
        r.moderation_note.unwrap_or_default(),
    ]
}

/// The published comments as CSV (empty when the consultation does not show comments).
pub async fn export_published(state: &AppState, actor: &Actor, decision_id: Uuid) -> AppResult<CsvFile> {
    let (d, c) = consultation_of(state, actor, decision_id).await?;
    let filter = actor
        .may_list_published_comments(c.comments_public)
        .then(|| InboxFilter { status: Some(CommentStatus::Published), ..Default::default() });
    let labels = section_labels(state, &c).await?;
    const HEADER: &[&str] = &["序号", "收到日期", "条款", "类别", "渠道", "署名", "意见内容"];
    let chunks = export(state, d.id, filter, labels, HEADER, public_row)?;
    Ok(CsvFile { file_name: format!("comments-{}.csv", d.id), chunks })
}

/// The comment a receipt names (tracking number and secret).
pub async fn by_receipt(state: &AppState, tracking_number: &str, secret: &str) -> AppResult<OwnComment> {
    let c = super::service::by_receipt(state, tracking_number, secret).await?;
    own_view(state, c).await
}

/// The signed-in account's comments, newest first.
pub async fn mine(state: &AppState, actor: &Actor, page: PageRequest) -> AppResult<Page<OwnComment>> {
    let account = actor.principal()?.account_id;
    let (rows, total) = store::of_account(state.db.conn(), account, page.offset(), page.per_page).await?;
    let mut items = Vec::with_capacity(rows.len());
    for c in rows {
        items.push(own_view(state, c).await?);
    }
    Ok(page.page(items, total))
}

/// The staff inbox: every comment with what only the agency may see.
pub async fn inbox(
    state: &AppState,
    actor: &Actor,
    decision_id: Uuid,
    filter: InboxFilter,
    page: PageRequest,
) -> AppResult<Page<StaffComment>> {
    let (d, c) = for_staff(state, actor, decision_id).await?;
    let db = state.db.conn();
    let (rows, total) = store::inbox(db, d.id, &filter, page.offset(), page.per_page).await?;
    // The inbox shows contact details: who looked at whose is on record, as for exports.
    let with_contacts = rows.iter().filter(|r| r.contact_phone.is_some() || r.contact_email.is_some()).count();
    if with_contacts > 0 {
        audit::record(
            db,
            Entry {
                actor_id: actor.account_id(),
                agency_id: Some(d.agency_id),
                entity_type: "decision",
                entity_id: d.id,
                action: "comments_viewed_with_contacts",
                details: json!({ "page": page.page, "comments_with_contacts": with_contacts }),
            },
        )
        .await?;
    }
    let labels = section_labels(state, &c).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let feedback: HashMap<Uuid, _> =
        crate::feedback::store::feedback_of(db, &ids).await?.into_iter().map(|f| (f.comment_id, f)).collect();
    let items = rows
        .into_iter()
        .map(|r| {
            let f = feedback.get(&r.id);
            StaffComment {
                section_label: r.section_id.and_then(|s| labels.get(&s).cloned()),
                viewpoint_id: f.and_then(|f| f.viewpoint_id),
                disposition: f.and_then(|f| f.disposition),
                comment: views::comment(r),
            }
        })
        .collect();
    Ok(page.page(items, total))
}

pub async fn duplicate_groups(state: &AppState, actor: &Actor, decision_id: Uuid) -> AppResult<Vec<DuplicateGroup>> {
    let (d, _) = for_staff(state, actor, decision_id).await?;
    let db = state.db.conn();
    let mut items = Vec::new();
    for g in store::groups(db, d.id, 2).await? {
        let sample = store::find(db, g.first_comment_id).await?.map(|c| c.body).unwrap_or_default();
        items.push(DuplicateGroup { id: g.id, size: g.size, sample, first_comment_id: g.first_comment_id });
    }
    Ok(items)
}

/// Every comment with contact details, as CSV, for the agency. Recorded in the audit log.
pub async fn export_for_staff(state: &AppState, actor: &Actor, decision_id: Uuid) -> AppResult<CsvFile> {
    let (d, c) = for_staff(state, actor, decision_id).await?;
    let db = state.db.conn();
    let all = InboxFilter::default();
    let rows = store::count_matching(db, d.id, &all).await?;
    let labels = section_labels(state, &c).await?;
    const HEADER: &[&str] = &[
        "序号",
        "跟踪号",
        "收到日期",
        "条款",
        "类别",
        "渠道",
        "状态",
        "隐藏原因",
        "署名",
        "联系电话",
        "电子邮箱",
        "意见内容",
        "内部备注",
    ];
    let chunks = export(state, d.id, Some(all), labels, HEADER, staff_row)?;
    audit::record(
        db,
        Entry {
            actor_id: actor.account_id(),
            agency_id: Some(d.agency_id),
            entity_type: "decision",
            entity_id: d.id,
            action: "comments_exported_with_contacts",
            details: json!({ "rows": rows }),
        },
    )
    .await?;
    Ok(CsvFile { file_name: format!("comments-{}-staff.csv", d.id), chunks })
}
