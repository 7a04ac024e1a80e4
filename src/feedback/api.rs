//! HTTP handlers of adoption feedback: viewpoints, dispositions, the feedback report and its
//! check, and the submitter's rating. Each parses into domain types, calls one service or
//! query function, and maps the result.

use poem::web::Data;
use poem_openapi::param::{Header, Path};
use poem_openapi::payload::{Json, PlainText};
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

use super::dto::*;
use super::model::{Answer, ViewpointText, correction_note, introduction, remark};
use super::{queries, service};
use crate::accounts::auth::{MaybeSession, SessionAuth};
use crate::comments::service::Target;
use crate::error::AppError;
use crate::http::ApiTags;
use crate::http::problem::ApiError;
use crate::state::AppState;

pub struct FeedbackApi;

#[derive(ApiResponse)]
pub enum ViewpointCreated {
    #[oai(status = 201)]
    Created(Json<Viewpoint>),
}

#[derive(ApiResponse)]
pub enum ReportPublished {
    /// Published; the decision's status is now `feedback_published`.
    #[oai(status = 201)]
    Created(Json<FeedbackReport>),
}

#[derive(ApiResponse)]
pub enum Removed {
    #[oai(status = 204)]
    NoContent,
}

fn answer(body: DispositionRequest) -> Result<Answer, AppError> {
    Answer::parse(body.disposition, body.reason.as_deref(), body.reply.as_deref())
}

#[OpenApi(tag = "ApiTags::Feedback")]
impl FeedbackApi {
    /// The feedback workbench of a consultation
    ///
    /// Viewpoints with their comment counts and dispositions, comments under none, the tally
    /// by disposition and the deadline. Staff of the decision's agency.
    #[oai(path = "/decisions/:decision_id/feedback/workbench", method = "get", operation_id = "feedback_workbench")]
    async fn workbench(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        decision_id: Path<Uuid>,
    ) -> Result<Json<FeedbackWorkbench>, ApiError> {
        Ok(Json(queries::workbench(&state, &auth.actor()?, decision_id.0).await?.into()))
    }

    /// Create a viewpoint (主要观点)
    #[oai(path = "/decisions/:decision_id/viewpoints", method = "post", operation_id = "create_viewpoint")]
    async fn create_viewpoint(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        decision_id: Path<Uuid>,
        body: Json<NewViewpoint>,
    ) -> Result<ViewpointCreated, ApiError> {
        let actor = auth.actor()?;
        let text = ViewpointText::parse(&body.title, body.summary.as_deref())?;
        let v = service::create_viewpoint(&state, &actor, decision_id.0, text).await?;
        Ok(ViewpointCreated::Created(Json(v.into())))
    }

    /// Change a viewpoint's title and summary
    #[oai(path = "/viewpoints/:viewpoint_id", method = "put", operation_id = "update_viewpoint")]
    async fn update_viewpoint(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        viewpoint_id: Path<Uuid>,
        body: Json<NewViewpoint>,
    ) -> Result<Json<Viewpoint>, ApiError> {
        let actor = auth.actor()?;
        let text = ViewpointText::parse(&body.title, body.summary.as_deref())?;
        Ok(Json(service::update_viewpoint(&state, &actor, viewpoint_id.0, Some(text), None).await?.into()))
    }

    /// Remove a viewpoint
    ///
    /// Its comments are left under no viewpoint.
    #[oai(path = "/viewpoints/:viewpoint_id", method = "delete", operation_id = "delete_viewpoint")]
    async fn delete_viewpoint(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        viewpoint_id: Path<Uuid>,
    ) -> Result<Removed, ApiError> {
        service::delete_viewpoint(&state, &auth.actor()?, viewpoint_id.0).await?;
        Ok(Removed::NoContent)
    }

    /// Set a viewpoint's disposition (采纳情况)
    ///
    /// Its comments inherit it unless they have their own. A reason is required for
    /// `partly_adopted` and `not_adopted`.
    #[oai(path = "/viewpoints/:viewpoint_id/disposition", method = "put", operation_id = "set_viewpoint_disposition")]
    async fn set_viewpoint_disposition(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        viewpoint_id: Path<Uuid>,
        body: Json<DispositionRequest>,
    ) -> Result<Json<Viewpoint>, ApiError> {
        let actor = auth.actor()?;
        let a = answer(body.0)?;
        Ok(Json(service::update_viewpoint(&state, &actor, viewpoint_id.0, None, Some(Some(a))).await?.into()))
    }

    /// Merge a viewpoint into another
    #[oai(path = "/viewpoints/:viewpoint_id/merge", method = "post", operation_id = "merge_viewpoint")]
    async fn merge(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        viewpoint_id: Path<Uuid>,
        body: Json<MergeRequest>,
    ) -> Result<Json<Viewpoint>, ApiError> {
        Ok(Json(service::merge(&state, &auth.actor()?, viewpoint_id.0, body.into).await?.into()))
    }

    /// Put comments under a viewpoint
    ///
    /// By id, or every comment an inbox filter matches (a whole duplicate group with
    /// `filter.duplicate_group_id`). A comment is under at most one viewpoint; a null
    /// `viewpoint_id` takes the comments out of theirs.
    #[oai(path = "/decisions/:decision_id/viewpoint-assignments", method = "post", operation_id = "assign_comments")]
    async fn assign(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        decision_id: Path<Uuid>,
        body: Json<AssignmentRequest>,
    ) -> Result<Json<AssignmentResult>, ApiError> {
        let actor = auth.actor()?;
        let body = body.0;
        let target = Target::one_of(body.comment_ids, body.filter.map(Into::into))?;
        let changed = service::assign(&state, &actor, decision_id.0, target, body.viewpoint_id).await?;
        Ok(Json(AssignmentResult { changed }))
    }

    /// Set one comment's own disposition
    ///
    /// Overrides its viewpoint's.
    #[oai(path = "/comments/:comment_id/disposition", method = "put", operation_id = "set_comment_disposition")]
    async fn set_comment_disposition(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        comment_id: Path<Uuid>,
        body: Json<DispositionRequest>,
    ) -> Result<Removed, ApiError> {
        let actor = auth.actor()?;
        let a = answer(body.0)?;
        service::answer_comment(&state, &actor, comment_id.0, Some(a)).await?;
        Ok(Removed::NoContent)
    }

    /// Clear one comment's own disposition
    ///
    /// It follows its viewpoint's again.
    #[oai(path = "/comments/:comment_id/disposition", method = "delete", operation_id = "clear_comment_disposition")]
    async fn clear_comment_disposition(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        comment_id: Path<Uuid>,
    ) -> Result<Removed, ApiError> {
        service::answer_comment(&state, &auth.actor()?, comment_id.0, None).await?;
        Ok(Removed::NoContent)
    }

    /// Preview the feedback report
    ///
    /// Built from the current data, exactly as publishing now would publish it. Staff.
    #[oai(
        path = "/decisions/:decision_id/feedback-report/preview",
        method = "post",
        operation_id = "preview_feedback_report"
    )]
    async fn preview(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        decision_id: Path<Uuid>,
        body: Json<ReportRequest>,
    ) -> Result<Json<FeedbackReportContent>, ApiError> {
        let actor = auth.actor()?;
        let intro = introduction(body.introduction.as_deref())?;
        Ok(Json(queries::preview(&state, &actor, decision_id.0, intro).await?.into()))
    }

    /// Publish the feedback report (公布意见采纳情况)
    ///
    /// After the window has closed. The first version moves the decision to
    /// `feedback_published`; later versions are corrections and need a `note`. Published
    /// versions never change; each carries the hash of the one before.
    #[oai(path = "/decisions/:decision_id/feedback-reports", method = "post", operation_id = "publish_feedback_report")]
    async fn publish(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        decision_id: Path<Uuid>,
        body: Json<ReportRequest>,
    ) -> Result<ReportPublished, ApiError> {
        let actor = auth.actor()?;
        let intro = introduction(body.introduction.as_deref())?;
        // Whether a note is required depends on the stored versions: checked again there.
        let note = correction_note(body.note.as_deref(), true)?;
        let v = service::publish(&state, &actor, decision_id.0, intro, note).await?;
        Ok(ReportPublished::Created(Json(v.into())))
    }

    /// The published feedback reports of a decision
    ///
    /// Every version, oldest first; the last is current.
    #[oai(path = "/decisions/:decision_id/feedback-reports", method = "get", operation_id = "list_feedback_reports")]
    async fn history(
        &self,
        state: Data<&AppState>,
        auth: MaybeSession,
        decision_id: Path<Uuid>,
    ) -> Result<Json<FeedbackReportHistory>, ApiError> {
        Ok(Json(queries::history(&state, &auth.actor()?, decision_id.0).await?.into()))
    }

    /// One version of a feedback report
    #[oai(
        path = "/decisions/:decision_id/feedback-reports/:version",
        method = "get",
        operation_id = "get_feedback_report"
    )]
    async fn version(
        &self,
        state: Data<&AppState>,
        auth: MaybeSession,
        decision_id: Path<Uuid>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100000")))] version: Path<i32>,
    ) -> Result<Json<FeedbackReport>, ApiError> {
        Ok(Json(queries::version(&state, &auth.actor()?, decision_id.0, version.0).await?.into()))
    }

    /// The canonical text of a version
    ///
    /// The exact bytes its SHA-256 hash is over: `sha256sum` of this text is the version's
    /// `hash`.
    #[oai(
        path = "/decisions/:decision_id/feedback-reports/:version/canonical",
        method = "get",
        operation_id = "feedback_report_canonical"
    )]
    async fn canonical(
        &self,
        state: Data<&AppState>,
        auth: MaybeSession,
        decision_id: Path<Uuid>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100000")))] version: Path<i32>,
    ) -> Result<PlainText<String>, ApiError> {
        Ok(PlainText(queries::canonical(&state, &auth.actor()?, decision_id.0, version.0).await?))
    }

    /// Verify a decision's feedback reports
    ///
    /// Recomputes every version's hash and its link to the version before.
    #[oai(
        path = "/decisions/:decision_id/feedback-verification",
        method = "get",
        operation_id = "verify_feedback_reports"
    )]
    async fn verify(
        &self,
        state: Data<&AppState>,
        auth: MaybeSession,
        decision_id: Path<Uuid>,
    ) -> Result<Json<FeedbackVerification>, ApiError> {
        Ok(Json(queries::verify(&state, &auth.actor()?, decision_id.0).await?.into()))
    }

    /// Feedback reports due
    ///
    /// Consultations of your agency (all, for the platform admin) whose window has closed:
    /// when each report is due and whether it is on time, late or missing.
    #[oai(path = "/feedback/deadlines", method = "get", operation_id = "feedback_deadlines")]
    async fn deadlines(&self, state: Data<&AppState>, auth: SessionAuth) -> Result<Json<FeedbackDeadlines>, ApiError> {
        let items = queries::deadlines(&state, &auth.actor()?).await?;
        Ok(Json(FeedbackDeadlines { items: items.into_iter().map(Into::into).collect() }))
    }

    /// Rate the answer to a comment, by its receipt
    ///
    /// Once, after the feedback report is published: 满意, 基本满意 or 不满意.
    #[oai(path = "/receipts/:tracking_number/rating", method = "post", operation_id = "rate_by_receipt")]
    async fn rate_by_receipt(
        &self,
        state: Data<&AppState>,
        #[oai(validator(max_length = 64))] tracking_number: Path<String>,
        #[oai(name = "X-Receipt-Secret", validator(max_length = 100))] secret: Header<String>,
        body: Json<RatingRequest>,
    ) -> Result<Json<CommentAnswer>, ApiError> {
        let remark = remark(body.remark.as_deref())?;
        let a = service::rate_by_receipt(&state, &tracking_number.0, &secret.0, body.satisfaction, remark).await?;
        Ok(Json(a.into()))
    }

    /// Rate the answer to one of my comments
    #[oai(path = "/comments/:comment_id/rating", method = "post", operation_id = "rate_own_comment")]
    async fn rate_own(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        comment_id: Path<Uuid>,
        body: Json<RatingRequest>,
    ) -> Result<Json<CommentAnswer>, ApiError> {
        let actor = auth.actor()?;
        let remark = remark(body.remark.as_deref())?;
        Ok(Json(service::rate_own(&state, &actor, comment_id.0, body.satisfaction, remark).await?.into()))
    }
}
