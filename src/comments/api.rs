//! Comment operations: submitting and receipts for residents, public lists and figures,
//! and the staff inbox, moderation, offline entry and exports. Each handler parses into
//! domain types, calls one use-case (`service` for changes, `queries` for reads) and turns
//! the answer into its wire shape.

use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

use super::dto::*;
use super::model::{
    Category, Channel, CommentOrder, CommentStatus, InboxFilter, ModerationAction, NewComment, window_exception,
};
use super::queries;
use super::service::{self, Moderate, Offline, Submission, Target};
use super::views::{CsvFile, Receipted};
use crate::accounts::auth::{MaybeSession, SessionAuth};
use crate::error::AppError;
use crate::http::ApiTags;
use crate::http::client::client_address;
use crate::http::pagination::items_and_meta;
use crate::http::problem::ApiError;
use crate::kernel::pagination::PageRequest;
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

impl From<Receipted> for Submitted {
    fn from(r: Receipted) -> Self {
        if r.replayed { Submitted::Replayed(Json(r.into())) } else { Submitted::Created(Json(r.into())) }
    }
}

#[derive(ApiResponse)]
pub enum Csv {
    /// UTF-8 with a byte-order mark (opens in Excel), streamed as it is read.
    #[oai(status = 200, content_type = "text/csv; charset=utf-8")]
    Ok(Binary<poem::Body>, #[oai(header = "Content-Disposition")] String),
}

impl From<CsvFile> for Csv {
    fn from(f: CsvFile) -> Self {
        use futures_util::StreamExt;
        let bytes = f.chunks.map(|chunk| chunk.map(bytes::Bytes::from).map_err(std::io::Error::other));
        Csv::Ok(Binary(poem::Body::from_bytes_stream(bytes)), format!("attachment; filename=\"{}\"", f.file_name))
    }
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
        let comment = NewComment::parse(
            &body.body,
            body.category,
            body.display_name.as_deref(),
            body.contact_phone.as_deref(),
            body.contact_email.as_deref(),
        )?;
        let submission = Submission {
            decision_id: decision_id.0,
            section_id: body.section_id,
            comment,
            address: client_address(req, &state),
            idempotency_key: idempotency_key.0,
        };
        Ok(service::submit(&state, &auth.actor()?, submission).await?.into())
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
        sort: Query<Option<CommentOrder>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "1000000")))] page: Query<Option<u64>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<Option<u64>>,
        /// Read on after this comment (the `next_after` of the page before), in the same
        /// order: faster than `page` deep into a long list. `page` is then only echoed.
        after: Query<Option<Uuid>>,
    ) -> Result<Json<PublicCommentList>, ApiError> {
        let page = PageRequest::new(page.0, per_page.0);
        let order = sort.0.unwrap_or(CommentOrder::Newest);
        let actor = auth.actor()?;
        let found = queries::published(&state, &actor, decision_id.0, section_id.0, order, page, after.0).await?;
        let (items, meta) = items_and_meta(found.page, PublicComment::from);
        Ok(Json(PublicCommentList {
            comments_public: found.comments_public,
            items,
            meta,
            next_after: found.next_after,
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
        Ok(Json(queries::stats(&state, &auth.actor()?, decision_id.0).await?.into()))
    }

    /// Published comments as CSV
    #[oai(path = "/decisions/:decision_id/comments.csv", method = "get", operation_id = "export_comments")]
    async fn export(
        &self,
        state: Data<&AppState>,
        auth: MaybeSession,
        decision_id: Path<Uuid>,
    ) -> Result<Csv, ApiError> {
        Ok(queries::export_published(&state, &auth.actor()?, decision_id.0).await?.into())
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
        Ok(Json(queries::by_receipt(&state, &tracking_number.0, &secret.0).await?.into()))
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
        Ok(Json(service::withdraw_by_receipt(&state, &tracking_number.0, &secret.0).await?.into()))
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
        let found = queries::mine(&state, &auth.actor()?, PageRequest::new(page.0, per_page.0)).await?;
        let (items, meta) = items_and_meta(found, OwnComment::from);
        Ok(Json(OwnCommentList { items, meta }))
    }

    /// Withdraw one of my comments
    #[oai(path = "/comments/:comment_id/withdraw", method = "post", operation_id = "withdraw_comment")]
    async fn withdraw_own(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        comment_id: Path<Uuid>,
    ) -> Result<Json<OwnComment>, ApiError> {
        Ok(Json(service::withdraw_own(&state, &auth.actor()?, comment_id.0).await?.into()))
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
        status: Query<Option<CommentStatus>>,
        section_id: Query<Option<Uuid>>,
        category: Query<Option<Category>>,
        channel: Query<Option<Channel>>,
        duplicate_group_id: Query<Option<Uuid>>,
        #[oai(validator(max_length = 200))] q: Query<Option<String>>,
        viewpoint_id: Query<Option<Uuid>>,
        unassigned: Query<Option<bool>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "1000000")))] page: Query<Option<u64>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<Option<u64>>,
    ) -> Result<Json<StaffCommentList>, ApiError> {
        let filter = InboxFilter {
            status: status.0,
            section_id: section_id.0,
            category: category.0,
            channel: channel.0,
            duplicate_group_id: duplicate_group_id.0,
            text: q.0,
            viewpoint_id: viewpoint_id.0,
            unassigned: unassigned.0.unwrap_or(false),
        };
        let page = PageRequest::new(page.0, per_page.0);
        let found = queries::inbox(&state, &auth.actor()?, decision_id.0, filter, page).await?;
        let (items, meta) = items_and_meta(found, StaffComment::from);
        Ok(Json(StaffCommentList { items, meta }))
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
            (ModerationAction::Publish, _) => Moderate::Publish,
            (ModerationAction::Hide, Some(reason)) => {
                Moderate::Hide { reason, note: body.note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()) }
            }
            (ModerationAction::Hide, None) => {
                return Err(AppError::invalid(
                    "reason",
                    "required",
                    t!("隐藏意见须选择原因。", "Choose why the comments are hidden."),
                )
                .into());
            }
        };
        let target = Target::one_of(body.comment_ids, body.filter.map(Into::into))?;
        let changed = service::moderate(&state, &actor, decision_id.0, target, action).await?;
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
        let comment = NewComment::parse(
            &body.body,
            body.category,
            body.display_name.as_deref(),
            body.contact_phone.as_deref(),
            body.contact_email.as_deref(),
        )?;
        let outside_window_reason =
            window_exception(body.outside_window_reason.as_deref()).map_err(|i| AppError::Invalid(vec![i]))?;
        let offline = Offline {
            comment,
            channel: body.channel,
            received_on: body.received_on,
            section_id: body.section_id,
            outside_window_reason,
            publish_now: body.publish_now,
        };
        Ok(service::enter_offline(&state, &actor, decision_id.0, offline).await?.into())
    }

    /// Groups of identical or near-identical comments
    #[oai(path = "/decisions/:decision_id/duplicate-groups", method = "get", operation_id = "duplicate_groups")]
    async fn groups(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        decision_id: Path<Uuid>,
    ) -> Result<Json<DuplicateGroupList>, ApiError> {
        let items = queries::duplicate_groups(&state, &auth.actor()?, decision_id.0).await?;
        Ok(Json(DuplicateGroupList { items: items.into_iter().map(Into::into).collect() }))
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
        Ok(queries::export_for_staff(&state, &auth.actor()?, decision_id.0).await?.into())
    }
}
