//! HTTP handlers of meetings, their livestream and attendance requests. Each parses into
//! domain types, calls one service function and maps the result.

use chrono::{DateTime, Utc};
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

use super::attendance::{self, RequestForm};
use super::dto::*;
use super::model::{MeetingDraft, MeetingForm, MeetingStatus};
use super::service::{self, ListQuery};
use crate::accounts::auth::{MaybeSession, SessionAuth};
use crate::http::ApiTags;
use crate::http::client::client_address;
use crate::http::problem::ApiError;
use crate::kernel::pagination::PageRequest;
use crate::state::AppState;

pub struct MeetingsApi;

#[derive(ApiResponse)]
pub enum MeetingCreated {
    #[oai(status = 201)]
    Created(Json<Meeting>),
}

#[derive(ApiResponse)]
pub enum RequestReceived {
    /// Received; keep the code (shown once) to see the outcome or withdraw.
    #[oai(status = 201)]
    Created(Json<AttendanceReceipt>),
}

fn draft(body: &MeetingInput) -> Result<MeetingDraft, crate::error::AppError> {
    MeetingDraft::parse(MeetingForm {
        title: &body.title,
        kind: body.kind,
        description: body.description.as_deref(),
        starts_at: body.starts_at,
        ends_at: body.ends_at,
        venue: &body.venue,
        attendance_capacity: body.attendance_capacity,
        attendance_closes_at: body.attendance_closes_at,
        agenda: body.agenda.iter().map(|a| (a.id, a.title.as_str(), a.decision_id, a.openness)).collect(),
    })
}

#[OpenApi(tag = "ApiTags::Meetings")]
impl MeetingsApi {
    /// Meetings
    ///
    /// Soonest first, those ending after `from` and starting before `to`.
    #[oai(path = "/meetings", method = "get", operation_id = "list_meetings")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        state: Data<&AppState>,
        from: Query<Option<DateTime<Utc>>>,
        to: Query<Option<DateTime<Utc>>>,
        agency_id: Query<Option<Uuid>>,
        status: Query<Option<MeetingStatus>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100000")))] page: Query<Option<u64>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] per_page: Query<Option<u64>>,
    ) -> Result<Json<MeetingPage>, ApiError> {
        let q = ListQuery { from: from.0, to: to.0, agency_id: agency_id.0, status: status.0 };
        Ok(Json(service::list(&state, q, PageRequest::new(page.0, per_page.0)).await?))
    }

    /// Schedule a meeting
    ///
    /// With its agenda; each item says whether it is closed, open to attendance, streamed or
    /// both. A venue already taken at an overlapping time answers 409 `venue_clash`.
    #[oai(path = "/meetings", method = "post", operation_id = "create_meeting")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        body: Json<MeetingInput>,
    ) -> Result<MeetingCreated, ApiError> {
        let actor = auth.actor()?;
        let d = draft(&body)?;
        Ok(MeetingCreated::Created(Json(service::create(&state, &actor, body.agency_id, d).await?)))
    }

    /// A meeting
    ///
    /// With its agenda, attendance and stream. Closed items carry no links.
    #[oai(path = "/meetings/:meeting_id", method = "get", operation_id = "get_meeting")]
    async fn get(&self, state: Data<&AppState>, meeting_id: Path<Uuid>) -> Result<Json<Meeting>, ApiError> {
        Ok(Json(service::get(&state, meeting_id.0).await?))
    }

    /// Change a meeting's plan and agenda
    ///
    /// While it is scheduled. Items sent with their `id` keep it (and their replay offset).
    #[oai(path = "/meetings/:meeting_id", method = "put", operation_id = "update_meeting")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        meeting_id: Path<Uuid>,
        body: Json<MeetingInput>,
    ) -> Result<Json<Meeting>, ApiError> {
        let actor = auth.actor()?;
        let d = draft(&body)?;
        Ok(Json(service::update(&state, &actor, meeting_id.0, d, body.expected_updated_at).await?))
    }

    /// Cancel a meeting
    ///
    /// With a public reason; approved attendees are told.
    #[oai(path = "/meetings/:meeting_id/cancel", method = "post", operation_id = "cancel_meeting")]
    async fn cancel(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        meeting_id: Path<Uuid>,
        body: Json<CancelInput>,
    ) -> Result<Json<Meeting>, ApiError> {
        Ok(Json(service::cancel(&state, &auth.actor()?, meeting_id.0, body.0.reason).await?))
    }

    /// Publish the summary
    ///
    /// Once the meeting has started; marks it held.
    #[oai(path = "/meetings/:meeting_id/summary", method = "put", operation_id = "set_meeting_summary")]
    async fn summary(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        meeting_id: Path<Uuid>,
        body: Json<SummaryInput>,
    ) -> Result<Json<Meeting>, ApiError> {
        Ok(Json(service::set_summary(&state, &auth.actor()?, meeting_id.0, body.0.summary).await?))
    }

    /// Set the livestream's links
    ///
    /// https only, on the hosts the platform allows to be embedded. Only for a meeting with a
    /// streamed item.
    #[oai(path = "/meetings/:meeting_id/stream", method = "put", operation_id = "set_meeting_stream")]
    async fn stream(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        meeting_id: Path<Uuid>,
        body: Json<StreamInput>,
    ) -> Result<Json<Meeting>, ApiError> {
        let actor = auth.actor()?;
        let b = body.0;
        let m = service::set_stream(
            &state,
            &actor,
            meeting_id.0,
            b.watch_url.as_deref(),
            b.embed_url.as_deref(),
            b.hls_url.as_deref(),
        )
        .await?;
        Ok(Json(m))
    }

    /// Move the livestream on
    ///
    /// scheduled → live → ended, or cancelled; anything else answers 409 `stream_transition`.
    /// Going live tells approved attendees.
    #[oai(path = "/meetings/:meeting_id/stream/state", method = "put", operation_id = "set_stream_state")]
    async fn stream_state(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        meeting_id: Path<Uuid>,
        body: Json<StreamStateInput>,
    ) -> Result<Json<Meeting>, ApiError> {
        Ok(Json(service::move_stream(&state, &auth.actor()?, meeting_id.0, body.0.state).await?))
    }

    /// Set the replay and where each item starts in it
    #[oai(path = "/meetings/:meeting_id/replay", method = "put", operation_id = "set_meeting_replay")]
    async fn replay(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        meeting_id: Path<Uuid>,
        body: Json<ReplayInput>,
    ) -> Result<Json<Meeting>, ApiError> {
        let actor = auth.actor()?;
        let b = body.0;
        let offsets = b.offsets.into_iter().map(|o| (o.item_id, o.offset_seconds)).collect();
        Ok(Json(service::set_replay(&state, &actor, meeting_id.0, b.replay_url.as_deref(), offsets).await?))
    }

    /// Agenda items concerning a decision
    ///
    /// For the decision's page: when it is discussed, how openly, and the replay of that item.
    #[oai(path = "/decisions/:decision_id/agenda-items", method = "get", operation_id = "decision_agenda_items")]
    async fn for_decision(
        &self,
        state: Data<&AppState>,
        auth: MaybeSession,
        decision_id: Path<Uuid>,
    ) -> Result<Json<Vec<DecisionAgendaItem>>, ApiError> {
        Ok(Json(service::for_decision(&state, &auth.actor()?, decision_id.0).await?))
    }

    /// Apply to attend (列席申请)
    ///
    /// The contact is private. Answers a code, shown once, to see the outcome or withdraw.
    #[oai(path = "/meetings/:meeting_id/attendance-requests", method = "post", operation_id = "request_attendance")]
    async fn apply(
        &self,
        state: Data<&AppState>,
        req: &Request,
        auth: MaybeSession,
        meeting_id: Path<Uuid>,
        body: Json<AttendanceRequestInput>,
    ) -> Result<RequestReceived, ApiError> {
        let actor = auth.actor()?;
        let b = &body.0;
        let form = RequestForm::parse(
            &b.name,
            b.category,
            b.organisation.as_deref(),
            &b.reason,
            b.phone.as_deref(),
            b.email.as_deref(),
        )?;
        let address = client_address(req, &state);
        Ok(RequestReceived::Created(Json(attendance::apply(&state, &actor, meeting_id.0, form, address).await?)))
    }

    /// Attendance requests of a meeting
    ///
    /// Contacts included: staff of the meeting's agency.
    #[oai(
        path = "/meetings/:meeting_id/attendance-requests",
        method = "get",
        operation_id = "list_attendance_requests"
    )]
    async fn requests(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        meeting_id: Path<Uuid>,
    ) -> Result<Json<AttendanceList>, ApiError> {
        Ok(Json(attendance::list(&state, &auth.actor()?, meeting_id.0).await?))
    }

    /// Approve or decline an attendance request
    ///
    /// Approving takes a place (409 `attendance_full` when none is left); declining needs a
    /// reason.
    #[oai(
        path = "/attendance-requests/:request_id/decision",
        method = "post",
        operation_id = "decide_attendance_request"
    )]
    async fn decide(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        request_id: Path<Uuid>,
        body: Json<AttendanceDecisionInput>,
    ) -> Result<Json<StaffAttendanceRequest>, ApiError> {
        let actor = auth.actor()?;
        let b = body.0;
        Ok(Json(attendance::decide(&state, &actor, request_id.0, b.approve, b.reason.as_deref()).await?))
    }

    /// Look up one's attendance request by its code
    #[oai(path = "/attendance-requests/lookup", method = "post", operation_id = "lookup_attendance_request")]
    async fn lookup(
        &self,
        state: Data<&AppState>,
        body: Json<CodeInput>,
    ) -> Result<Json<OwnAttendanceRequest>, ApiError> {
        Ok(Json(attendance::lookup(&state, &body.code).await?))
    }

    /// Withdraw one's attendance request by its code
    #[oai(path = "/attendance-requests/withdraw", method = "post", operation_id = "withdraw_attendance_request")]
    async fn withdraw(
        &self,
        state: Data<&AppState>,
        body: Json<CodeInput>,
    ) -> Result<Json<OwnAttendanceRequest>, ApiError> {
        Ok(Json(attendance::withdraw(&state, &body.code).await?))
    }
}
