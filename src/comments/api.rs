//! Comment operations: submitting and receipts for residents, public lists and figures,
//! and the staff inbox, moderation, offline entry and exports.

use std::collections::HashMap;

use chrono::TimeDelta;
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiResponse, Enum, OpenApi};
use uuid::Uuid;

use super::dto::*;
use super::model::{CommentStatus, NewComment};
use super::service::{self, Moderation, Offline, RateLimits, Submission, Target};
use super::{store, views};
use crate::accounts::api::client_address;
use crate::db::{Db, Timestamp};
use crate::decisions::model::Status;
use crate::decisions::service::status_now;
use crate::entities::{comments, decisions, draft_versions, sections};
use crate::error::AppError;
use crate::http::ApiTags;
use crate::http::auth::{MaybeSession, SessionAuth};
use crate::http::pagination::PageRequest;
use crate::http::problem::ApiError;
use crate::state::AppState;
use crate::t;

pub struct CommentsApi;

#[derive(ApiResponse)]
pub enum Submitted {
    /// The comment was received; keep the receipt.
    #[oai(status = 201)]
    Created(Json<SubmittedComment>),
    /// A retry with the same `Idempotency-Key`: the first answer again.
    #[oai(status = 200)]
    Replayed(Json<SubmittedComment>),
}

#[derive(ApiResponse)]
pub enum Csv {
    /// UTF-8 with a byte-order mark (opens in Excel).
    #[oai(status = 200, content_type = "text/csv; charset=utf-8")]
    Ok(Binary<Vec<u8>>, #[oai(header = "Content-Disposition")] String),
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[oai(rename_all = "snake_case")]
pub enum SortOrder {
    Newest,
    Oldest,
}

async fn labels(db: &Db, decision: Uuid, version_number: i32) -> Result<HashMap<Uuid, String>, AppError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let Some(v) = draft_versions::Entity::find()
        .filter(draft_versions::Column::DecisionId.eq(decision))
        .filter(draft_versions::Column::Number.eq(version_number))
        .one(db.conn())
        .await?
    else {
        return Ok(HashMap::new());
    };
    Ok(sections::Entity::find()
        .filter(sections::Column::VersionId.eq(v.id))
        .all(db.conn())
        .await?
        .into_iter()
        .map(|s| (s.id, if s.label.is_empty() { s.heading } else { s.label }))
        .collect())
}

/// A published decision and its consultation, from this node's short-lived cache when it
/// has them. For reads only: submissions check the window against the database itself.
async fn published_consultation(
    state: &AppState,
    actor: &crate::authz::Actor,
    decision_id: Uuid,
) -> Result<(decisions::Model, crate::entities::consultations::Model), AppError> {
    if let Some(found) = state.consultations.get(decision_id) {
        return Ok(found);
    }
    let found = service::consultation_of(&state.db, actor, decision_id).await?;
    if found.0.published_at.is_some() {
        state.consultations.put(decision_id, found.clone());
    }
    Ok(found)
}

fn open_now(d: &decisions::Model) -> bool {
    status_now(d, Timestamp::now()) == Status::Consulting
}

async fn own_view(db: &Db, c: comments::Model) -> Result<OwnComment, AppError> {
    use sea_orm::EntityTrait;
    let d = crate::decisions::store::find(db.conn(), c.decision_id).await?.ok_or_else(service::comment_not_found)?;
    let label = match c.section_id {
        Some(s) => sections::Entity::find_by_id(s)
            .one(db.conn())
            .await?
            .map(|s| if s.label.is_empty() { s.heading } else { s.label }),
        None => None,
    };
    let open = open_now(&d);
    Ok(views::own(c, d.title, label, open))
}

async fn receipted(db: &Db, r: service::Receipted) -> Result<Submitted, ApiError> {
    let replayed = r.replayed;
    let answer = SubmittedComment {
        receipt: Receipt { tracking_number: r.comment.tracking_number.clone(), secret: r.secret },
        replayed,
        comment: own_view(db, r.comment).await?,
    };
    Ok(if replayed { Submitted::Replayed(Json(answer)) } else { Submitted::Created(Json(answer)) })
}

fn filter(f: InboxFilterDto) -> store::InboxFilter {
    store::InboxFilter {
        status: f.status.map(|s| views::status_in(s).as_str().to_string()),
        section_id: f.section_id,
        category: f.category.map(|c| views::category_in(c).as_str().to_string()),
        channel: f.channel.map(|c| views::channel_in(c).as_str().to_string()),
        duplicate_group_id: f.duplicate_group_id,
        text: f.q,
    }
}

fn disposition(decision: Uuid, suffix: &str) -> String {
    format!("attachment; filename=\"comments-{decision}{suffix}.csv\"")
}

fn counts_by(
    counts: &[crate::entities::comment_counts::Model],
    dim: &str,
    labels: Option<&HashMap<Uuid, String>>,
) -> Vec<CountByKey> {
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

#[OpenApi(tag = "ApiTags::Comments")]
impl CommentsApi {
    /// Submit a comment
    ///
    /// On the whole draft or one article, while the consultation is open. Answers a receipt
    /// (tracking number and a secret shown once). Send an `Idempotency-Key` to make retries safe.
    #[oai(path = "/decisions/:decision_id/comments", method = "post", operation_id = "submit_comment")]
    async fn submit(
        &self,
        state: Data<&AppState>,
        req: &Request,
        auth: MaybeSession,
        decision_id: Path<Uuid>,
        /// Any unique string per submission (e.g. a UUID made by the form); a retry with the same
        /// key returns the first result instead of a second comment.
        #[oai(name = "Idempotency-Key", validator(max_length = 200))]
        idempotency_key: Header<Option<String>>,
        body: Json<SubmitCommentRequest>,
    ) -> Result<Submitted, ApiError> {
        let actor = auth.actor()?;
        let new = NewComment::parse(
            &body.body,
            views::category_in(body.category),
            body.display_name.as_deref(),
            body.contact_phone.as_deref(),
            body.contact_email.as_deref(),
        )?;
        let limits = RateLimits {
            per_address: state.config.comment_max_per_address,
            per_account: state.config.comment_max_per_account,
            window: TimeDelta::from_std(state.config.comment_window).unwrap_or(TimeDelta::minutes(10)),
        };
        let submission = Submission {
            actor: &actor,
            address: client_address(req, state.config.trust_proxy),
            idempotency_key: idempotency_key.0.as_deref().map(str::trim).filter(|k| !k.is_empty()),
            receipt_key: &state.receipt_key,
            limits: &limits,
        };
        let r = service::submit(&state.db, submission, decision_id.0, body.section_id, new).await?;
        receipted(&state.db, r).await
    }

    /// Published comments
    ///
    /// When the consultation shows comments publicly. No personal data.
    #[oai(path = "/decisions/:decision_id/comments", method = "get", operation_id = "list_comments")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: MaybeSession,
        decision_id: Path<Uuid>,
        /// Only comments on this article.
        section_id: Query<Option<Uuid>>,
        sort: Query<Option<SortOrder>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "1000000")))] page: Query<Option<u64>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<Option<u64>>,
    ) -> Result<Json<PublicCommentList>, ApiError> {
        let actor = auth.actor()?;
        let (d, c) = published_consultation(&state, &actor, decision_id.0).await?;
        let page = PageRequest::new(page.0, per_page.0);
        if !c.comments_public {
            return Ok(Json(PublicCommentList { comments_public: false, items: vec![], meta: page.meta(0) }));
        }
        let key = section_id.0.map(|s| s.to_string()).unwrap_or_else(|| "all".into());
        let total = if section_id.0.is_some() {
            store::count_of(state.db.conn(), d.id, "published", &key).await?
        } else {
            store::count_of(state.db.conn(), d.id, "status", CommentStatus::Published.as_str()).await?
        };
        let order = match sort.0 {
            Some(SortOrder::Oldest) => store::Order::Oldest,
            _ => store::Order::Newest,
        };
        let rows = store::published(state.db.conn(), d.id, section_id.0, order, page.offset(), page.per_page).await?;
        Ok(Json(PublicCommentList {
            comments_public: true,
            items: rows.into_iter().map(views::public).collect(),
            meta: page.meta(total),
        }))
    }

    /// Comment figures
    ///
    /// Counts per article, category, channel and day; hidden comments per reason (the
    /// public moderation log); groups of identical or near-identical comments.
    #[oai(path = "/decisions/:decision_id/comment-stats", method = "get", operation_id = "comment_stats")]
    async fn stats(
        &self,
        state: Data<&AppState>,
        auth: MaybeSession,
        decision_id: Path<Uuid>,
    ) -> Result<Json<CommentStats>, ApiError> {
        let actor = auth.actor()?;
        let (d, c) = published_consultation(&state, &actor, decision_id.0).await?;
        let counts = store::counts(state.db.conn(), d.id).await?;
        let labels = labels(&state.db, d.id, c.version_number).await?;
        let get = |dim: &str, key: &str| {
            counts.iter().find(|c| c.dimension == dim && c.key == key).map(|c| c.count.max(0) as u64).unwrap_or(0)
        };
        let groups = store::groups(state.db.conn(), d.id, 2).await?;
        Ok(Json(CommentStats {
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
            duplicates: DuplicateSummary {
                groups: groups.len() as u64,
                comments_in_groups: groups.iter().map(|g| g.size.max(0) as u64).sum(),
            },
        }))
    }

    /// Published comments as CSV
    #[oai(path = "/decisions/:decision_id/comments.csv", method = "get", operation_id = "export_comments")]
    async fn export(
        &self,
        state: Data<&AppState>,
        auth: MaybeSession,
        decision_id: Path<Uuid>,
    ) -> Result<Csv, ApiError> {
        let actor = auth.actor()?;
        let (d, c) = service::consultation_of(&state.db, &actor, decision_id.0).await?;
        let rows = if c.comments_public {
            store::matching(
                state.db.conn(),
                d.id,
                &store::InboxFilter { status: Some("published".into()), ..Default::default() },
                1_000_000,
            )
            .await?
        } else {
            vec![]
        };
        let labels = labels(&state.db, d.id, c.version_number).await?;
        let header = ["序号", "收到日期", "条款", "类别", "渠道", "署名", "意见内容"];
        let body = views::csv(
            &header,
            rows.into_iter().enumerate().map(|(i, r)| {
                vec![
                    (i + 1).to_string(),
                    r.received_on,
                    r.section_id.and_then(|s| labels.get(&s).cloned()).unwrap_or_else(|| "全文".into()),
                    r.category,
                    r.channel,
                    r.display_name.unwrap_or_else(|| "匿名".into()),
                    r.body,
                ]
            }),
        );
        Ok(Csv::Ok(Binary(body), disposition(d.id, "")))
    }

    /// Look a comment up by its receipt
    ///
    /// The tracking number and the secret (in the `X-Receipt-Secret` header). A wrong secret
    /// answers exactly like an unknown number.
    #[oai(path = "/receipts/:tracking_number", method = "get", operation_id = "get_receipt")]
    async fn receipt(
        &self,
        state: Data<&AppState>,
        #[oai(validator(max_length = 64))] tracking_number: Path<String>,
        #[oai(name = "X-Receipt-Secret", validator(max_length = 100))] secret: Header<String>,
    ) -> Result<Json<OwnComment>, ApiError> {
        let c = service::by_receipt(&state.db, &tracking_number.0, &secret.0).await?;
        Ok(Json(own_view(&state.db, c).await?))
    }

    /// Withdraw a comment by its receipt
    ///
    /// While the consultation is open.
    #[oai(path = "/receipts/:tracking_number/withdraw", method = "post", operation_id = "withdraw_by_receipt")]
    async fn withdraw_by_receipt(
        &self,
        state: Data<&AppState>,
        #[oai(validator(max_length = 64))] tracking_number: Path<String>,
        #[oai(name = "X-Receipt-Secret", validator(max_length = 100))] secret: Header<String>,
    ) -> Result<Json<OwnComment>, ApiError> {
        let c = service::withdraw_by_receipt(&state.db, &tracking_number.0, &secret.0).await?;
        Ok(Json(own_view(&state.db, c).await?))
    }

    /// My comments
    #[oai(path = "/me/comments", method = "get", operation_id = "my_comments")]
    async fn mine(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        #[oai(validator(minimum(value = "1"), maximum(value = "1000000")))] page: Query<Option<u64>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<Option<u64>>,
    ) -> Result<Json<OwnCommentList>, ApiError> {
        let actor = auth.actor()?;
        let p = actor.principal()?;
        let page = PageRequest::new(page.0, per_page.0);
        let (rows, total) = store::of_account(state.db.conn(), p.account_id, page.offset(), page.per_page).await?;
        let mut items = Vec::with_capacity(rows.len());
        for c in rows {
            items.push(own_view(&state.db, c).await?);
        }
        Ok(Json(OwnCommentList { items, meta: page.meta(total) }))
    }

    /// Withdraw one of my comments
    #[oai(path = "/comments/:comment_id/withdraw", method = "post", operation_id = "withdraw_comment")]
    async fn withdraw_own(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        comment_id: Path<Uuid>,
    ) -> Result<Json<OwnComment>, ApiError> {
        let actor = auth.actor()?;
        let c = service::withdraw_own(&state.db, &actor, comment_id.0).await?;
        Ok(Json(own_view(&state.db, c).await?))
    }

    /// The moderation inbox
    ///
    /// Staff of the decision's agency. Includes contact details and internal notes.
    #[oai(path = "/decisions/:decision_id/moderation/comments", method = "get", operation_id = "moderation_inbox")]
    #[allow(clippy::too_many_arguments)]
    async fn inbox(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        decision_id: Path<Uuid>,
        status: Query<Option<CommentStatusDto>>,
        section_id: Query<Option<Uuid>>,
        category: Query<Option<CategoryDto>>,
        channel: Query<Option<ChannelDto>>,
        duplicate_group_id: Query<Option<Uuid>>,
        #[oai(validator(max_length = 200))] q: Query<Option<String>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "1000000")))] page: Query<Option<u64>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<Option<u64>>,
    ) -> Result<Json<StaffCommentList>, ApiError> {
        let actor = auth.actor()?;
        let (d, c) = service::for_staff(&state.db, &actor, decision_id.0).await?;
        let f = filter(InboxFilterDto {
            status: status.0,
            section_id: section_id.0,
            category: category.0,
            channel: channel.0,
            duplicate_group_id: duplicate_group_id.0,
            q: q.0,
        });
        let page = PageRequest::new(page.0, per_page.0);
        let (rows, total) = store::inbox(state.db.conn(), d.id, &f, page.offset(), page.per_page).await?;
        let labels = labels(&state.db, d.id, c.version_number).await?;
        Ok(Json(StaffCommentList {
            items: rows.into_iter().map(|r| views::staff(r, &labels)).collect(),
            meta: page.meta(total),
        }))
    }

    /// Publish or hide comments
    ///
    /// Listed comments, or all that a filter matches. Hiding needs a reason (shown publicly
    /// as a count, and to the submitter); the note stays internal. Audited.
    #[oai(path = "/decisions/:decision_id/moderation/actions", method = "post", operation_id = "moderate_comments")]
    async fn moderate(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        decision_id: Path<Uuid>,
        body: Json<ModerationRequest>,
    ) -> Result<Json<ModerationResult>, ApiError> {
        let actor = auth.actor()?;
        let body = body.0;
        let action = match (body.action, body.reason) {
            (ModerationActionDto::Publish, _) => Moderation::Publish,
            (ModerationActionDto::Hide, Some(r)) => Moderation::Hide {
                reason: views::reason_in(r),
                note: body.note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
            },
            (ModerationActionDto::Hide, None) => {
                return Err(AppError::invalid(
                    "reason",
                    "required",
                    t!("隐藏意见须选择原因。", "Choose why the comments are hidden."),
                )
                .into());
            }
        };
        let target = match (body.comment_ids, body.filter) {
            (Some(ids), None) => Target::Ids(ids),
            (None, Some(f)) => Target::Filter(filter(f)),
            _ => {
                return Err(AppError::invalid(
                    "comment_ids",
                    "one_of",
                    t!(
                        "请指定意见编号（comment_ids）或筛选条件（filter），二选一。",
                        "Send either comment_ids or a filter."
                    ),
                )
                .into());
            }
        };
        let changed = service::moderate(&state.db, &actor, decision_id.0, target, action).await?;
        Ok(Json(ModerationResult { changed: changed as u64 }))
    }

    /// Enter a comment received offline
    ///
    /// By letter, e-mail, symposium (座谈会), hearing (听证会) or survey, with the date received.
    #[oai(path = "/decisions/:decision_id/offline-comments", method = "post", operation_id = "enter_offline_comment")]
    async fn offline(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        decision_id: Path<Uuid>,
        body: Json<OfflineCommentRequest>,
    ) -> Result<Submitted, ApiError> {
        let actor = auth.actor()?;
        let body = body.0;
        let new = NewComment::parse(
            &body.body,
            views::category_in(body.category),
            body.display_name.as_deref(),
            body.contact_phone.as_deref(),
            body.contact_email.as_deref(),
        )?;
        let offline = Offline {
            new,
            channel: views::channel_in(body.channel),
            received_on: body.received_on,
            section_id: body.section_id,
        };
        let r = service::enter_offline(&state.db, &actor, decision_id.0, offline, &state.receipt_key).await?;
        receipted(&state.db, r).await
    }

    /// Groups of identical or near-identical comments
    #[oai(path = "/decisions/:decision_id/duplicate-groups", method = "get", operation_id = "duplicate_groups")]
    async fn groups(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        decision_id: Path<Uuid>,
    ) -> Result<Json<DuplicateGroupList>, ApiError> {
        let actor = auth.actor()?;
        let (d, _) = service::for_staff(&state.db, &actor, decision_id.0).await?;
        let mut items = Vec::new();
        for g in store::groups(state.db.conn(), d.id, 2).await? {
            let sample = store::find(state.db.conn(), g.first_comment_id).await?.map(|c| c.body).unwrap_or_default();
            items.push(DuplicateGroup { id: g.id, size: g.size, sample, first_comment_id: g.first_comment_id });
        }
        Ok(Json(DuplicateGroupList { items }))
    }

    /// All comments with contact details, as CSV
    ///
    /// Staff of the decision's agency. Every export is recorded in the audit log.
    #[oai(
        path = "/decisions/:decision_id/moderation/comments.csv",
        method = "get",
        operation_id = "export_comments_staff"
    )]
    async fn export_staff(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        decision_id: Path<Uuid>,
    ) -> Result<Csv, ApiError> {
        let actor = auth.actor()?;
        let (d, c) = service::for_staff(&state.db, &actor, decision_id.0).await?;
        let rows = store::matching(state.db.conn(), d.id, &store::InboxFilter::default(), 1_000_000).await?;
        let labels = labels(&state.db, d.id, c.version_number).await?;
        service::audit_export(&state.db, &actor, &d, rows.len()).await?;
        let header = [
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
        let body = views::csv(
            &header,
            rows.into_iter().enumerate().map(|(i, r)| {
                vec![
                    (i + 1).to_string(),
                    r.tracking_number,
                    r.received_on,
                    r.section_id.and_then(|s| labels.get(&s).cloned()).unwrap_or_else(|| "全文".into()),
                    r.category,
                    r.channel,
                    r.status,
                    r.hidden_reason.unwrap_or_default(),
                    r.display_name.unwrap_or_default(),
                    r.contact_phone.unwrap_or_default(),
                    r.contact_email.unwrap_or_default(),
                    r.body,
                    r.moderation_note.unwrap_or_default(),
                ]
            }),
        );
        Ok(Csv::Ok(Binary(body), disposition(d.id, "-staff")))
    }
}
