//! HTTP handlers of open days: scheduling, registering, the waiting list, cancelling with the
//! code, check-in and the agency's list and export. Each parses into domain types, calls one
//! service function and maps the result.

use chrono::{DateTime, Utc};
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

use super::dto::*;
use super::model::{OpenDayDraft, OpenDayForm, RegistrationForm, RegistrationStatus};
use super::{registration, service};
use crate::accounts::auth::{MaybeSession, SessionAuth};
use crate::error::AppError;
use crate::http::ApiTags;
use crate::http::client::client_address;
use crate::http::problem::ApiError;
use crate::kernel::pagination::PageRequest;
use crate::state::AppState;

pub struct OpenDaysApi;

#[derive(ApiResponse)]
pub enum OpenDayCreated {
    #[oai(status = 201)]
    Created(Json<OpenDay>),
}

#[derive(ApiResponse)]
pub enum Registered {
    /// `registration.status` says `confirmed` or `waitlisted`; keep the code (shown once).
    #[oai(status = 201)]
    Created(Json<RegistrationReceipt>),
}

#[derive(ApiResponse)]
pub enum RegistrationsCsv {
    /// UTF-8 with a byte-order mark (opens in Excel). Personal data: the export is audited.
    #[oai(status = 200, content_type = "text/csv; charset=utf-8")]
    Ok(Binary<Vec<u8>>, #[oai(header = "Content-Disposition")] String),
}

fn draft(b: &OpenDayInput) -> Result<OpenDayDraft, AppError> {
    OpenDayDraft::parse(OpenDayForm {
        title: &b.title,
        description: b.description.as_deref(),
        venue: &b.venue,
        starts_at: b.starts_at,
        ends_at: b.ends_at,
        capacity: b.capacity,
        registration_opens_at: b.registration_opens_at,
        registration_closes_at: b.registration_closes_at,
        eligibility: b.eligibility.as_deref(),
        required_fields: b.required_fields.clone(),
    })
}

#[OpenApi(tag = "ApiTags::OpenDays")]
impl OpenDaysApi {
    /// Open days (政务开放日)
    ///
    /// Soonest first, those ending after `from` and starting before `to`.
    #[oai(path = "/open-days", method = "get", operation_id = "list_open_days")]
    async fn list(
        &self,
        state: Data<&AppState>,
        from: Query<Option<DateTime<Utc>>>,
        to: Query<Option<DateTime<Utc>>>,
        agency_id: Query<Option<Uuid>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100000")))] page: Query<Option<u64>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] per_page: Query<Option<u64>>,
    ) -> Result<Json<OpenDayPage>, ApiError> {
        let page = PageRequest::new(page.0, per_page.0);
        Ok(Json(service::list(&state, from.0, to.0, agency_id.0, page).await?))
    }

    /// Schedule an open day
    ///
    /// A venue already taken at an overlapping time answers 409 `venue_clash`.
    #[oai(path = "/open-days", method = "post", operation_id = "create_open_day")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        body: Json<OpenDayInput>,
    ) -> Result<OpenDayCreated, ApiError> {
        let actor = auth.actor()?;
        let d = draft(&body)?;
        Ok(OpenDayCreated::Created(Json(service::create(&state, &actor, body.agency_id, d).await?)))
    }

    /// An open day
    ///
    /// With the places left and the length of the waiting list.
    #[oai(path = "/open-days/:open_day_id", method = "get", operation_id = "get_open_day")]
    async fn get(&self, state: Data<&AppState>, open_day_id: Path<Uuid>) -> Result<Json<OpenDay>, ApiError> {
        Ok(Json(service::get(&state, open_day_id.0).await?))
    }

    /// Change an open day
    ///
    /// More places promote people from the waiting list; fewer than the confirmed
    /// registrations are refused.
    #[oai(path = "/open-days/:open_day_id", method = "put", operation_id = "update_open_day")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        open_day_id: Path<Uuid>,
        body: Json<OpenDayInput>,
    ) -> Result<Json<OpenDay>, ApiError> {
        let actor = auth.actor()?;
        let d = draft(&body)?;
        Ok(Json(service::update(&state, &actor, open_day_id.0, d, body.expected_updated_at).await?))
    }

    /// Cancel an open day
    ///
    /// With a public reason; everyone registered is told.
    #[oai(path = "/open-days/:open_day_id/cancel", method = "post", operation_id = "cancel_open_day")]
    async fn cancel(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        open_day_id: Path<Uuid>,
        body: Json<OpenDayCancelInput>,
    ) -> Result<Json<OpenDay>, ApiError> {
        Ok(Json(service::cancel(&state, &auth.actor()?, open_day_id.0, &body.reason).await?))
    }

    /// Register for an open day
    ///
    /// `confirmed` while places are left, else `waitlisted`. One live registration per person
    /// (ID number, else phone, else e-mail): a second answers 409 `already_registered`.
    #[oai(path = "/open-days/:open_day_id/registrations", method = "post", operation_id = "register_for_open_day")]
    async fn register(
        &self,
        state: Data<&AppState>,
        req: &Request,
        auth: MaybeSession,
        open_day_id: Path<Uuid>,
        body: Json<RegistrationInput>,
    ) -> Result<Registered, ApiError> {
        let actor = auth.actor()?;
        let b = &body.0;
        let form = RegistrationForm::parse(
            &b.name,
            b.phone.as_deref(),
            b.email.as_deref(),
            b.id_number.as_deref(),
            b.organisation.as_deref(),
        )?;
        let address = client_address(req, &state);
        Ok(Registered::Created(Json(registration::register(&state, &actor, open_day_id.0, form, address).await?)))
    }

    /// Registrations of an open day
    ///
    /// Personal data: staff of the open day's agency.
    #[oai(path = "/open-days/:open_day_id/registrations", method = "get", operation_id = "list_open_day_registrations")]
    async fn registrations(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        open_day_id: Path<Uuid>,
        status: Query<Option<RegistrationStatus>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100000")))] page: Query<Option<u64>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] per_page: Query<Option<u64>>,
    ) -> Result<Json<RegistrationPage>, ApiError> {
        let actor = auth.actor()?;
        let page = PageRequest::new(page.0, per_page.0);
        Ok(Json(registration::list(&state, &actor, open_day_id.0, status.0, page).await?))
    }

    /// Export the registrations (CSV)
    #[oai(
        path = "/open-days/:open_day_id/registrations.csv",
        method = "get",
        operation_id = "export_open_day_registrations"
    )]
    async fn export(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        open_day_id: Path<Uuid>,
    ) -> Result<RegistrationsCsv, ApiError> {
        let (name, bytes) = registration::export(&state, &auth.actor()?, open_day_id.0).await?;
        Ok(RegistrationsCsv::Ok(Binary(bytes), format!("attachment; filename=\"{name}\"")))
    }

    /// Check a person in
    ///
    /// By the code typed or the QR code's content; only on the day, only a confirmed
    /// registration of this open day. Checking in twice answers `first_time: false`.
    #[oai(path = "/open-days/:open_day_id/check-ins", method = "post", operation_id = "check_in")]
    async fn check_in(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        open_day_id: Path<Uuid>,
        body: Json<RegistrationCodeInput>,
    ) -> Result<Json<CheckInResult>, ApiError> {
        Ok(Json(registration::check_in(&state, &auth.actor()?, open_day_id.0, &body.code).await?))
    }

    /// Look up one's registration by its code
    #[oai(path = "/open-day-registrations/lookup", method = "post", operation_id = "lookup_registration")]
    async fn lookup(
        &self,
        state: Data<&AppState>,
        body: Json<RegistrationCodeInput>,
    ) -> Result<Json<OwnRegistration>, ApiError> {
        Ok(Json(registration::lookup(&state, &body.code).await?))
    }

    /// Cancel one's registration by its code
    ///
    /// A confirmed place goes to the first person waiting.
    #[oai(path = "/open-day-registrations/cancel", method = "post", operation_id = "cancel_registration")]
    async fn cancel_registration(
        &self,
        state: Data<&AppState>,
        body: Json<RegistrationCodeInput>,
    ) -> Result<Json<OwnRegistration>, ApiError> {
        Ok(Json(registration::cancel(&state, &body.code).await?))
    }
}
