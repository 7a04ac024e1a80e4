//! `/agencies`: the agency tree (public) and each agency's staff (its admins only).

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

use super::dto::*;
use super::model::NewAgency;
use super::service;
use crate::accounts::auth::SessionAuth;
use crate::accounts::service::NewAccountInput;
use crate::error::AppError;
use crate::http::ApiTags;
use crate::http::pagination::items_and_meta;
use crate::http::problem::ApiError;
use crate::kernel::pagination::PageRequest;
use crate::state::AppState;

pub struct AgenciesApi;

#[derive(ApiResponse)]
pub enum AgencyCreated {
    #[oai(status = 201)]
    Created(Json<Agency>),
}

#[derive(ApiResponse)]
pub enum StaffCreated {
    #[oai(status = 201)]
    Created(Json<StaffMember>),
}

fn staff_member(a: crate::accounts::model::Account) -> Result<StaffMember, AppError> {
    StaffMember::of(a)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("a staff list holds an account that is not staff")))
}

#[OpenApi(prefix_path = "/agencies", tag = "ApiTags::Agencies")]
impl AgenciesApi {
    /// List agencies
    ///
    /// The whole tree, parents first, each with its depth.
    #[oai(path = "/", method = "get", operation_id = "list_agencies")]
    async fn list(
        &self,
        state: Data<&AppState>,
        /// Page number, from 1.
        #[oai(validator(minimum(value = "1"), maximum(value = "1000000")))]
        page: Query<Option<u64>>,
        /// Items per page (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        per_page: Query<Option<u64>>,
    ) -> Result<Json<AgencyList>, ApiError> {
        let found = service::list(&state, PageRequest::new(page.0, per_page.0)).await?;
        let (items, meta) = items_and_meta(found, Agency::from);
        Ok(Json(AgencyList { items, meta }))
    }

    /// Create an agency
    ///
    /// Platform admin only.
    #[oai(path = "/", method = "post", operation_id = "create_agency")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        body: Json<CreateAgencyRequest>,
    ) -> Result<AgencyCreated, ApiError> {
        let actor = auth.actor()?;
        let new =
            NewAgency::parse(&body.name, body.kind, body.parent_id, body.sort_order).map_err(AppError::Invalid)?;
        let created = service::create(&state, &actor, new).await?;
        Ok(AgencyCreated::Created(Json(created.into())))
    }

    /// One agency
    #[oai(path = "/:agency_id", method = "get", operation_id = "get_agency")]
    async fn get(&self, state: Data<&AppState>, agency_id: Path<Uuid>) -> Result<Json<Agency>, ApiError> {
        Ok(Json(service::get(&state, agency_id.0).await?.into()))
    }

    /// List an agency's staff
    ///
    /// The agency's admins and the platform admin only.
    #[oai(path = "/:agency_id/staff", method = "get", operation_id = "list_staff")]
    async fn list_staff(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        agency_id: Path<Uuid>,
        /// Page number, from 1.
        #[oai(validator(minimum(value = "1"), maximum(value = "1000000")))]
        page: Query<Option<u64>>,
        /// Items per page (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        per_page: Query<Option<u64>>,
    ) -> Result<Json<StaffList>, ApiError> {
        let found =
            service::list_staff(&state, &auth.actor()?, agency_id.0, PageRequest::new(page.0, per_page.0)).await?;
        let (items, meta) = items_and_meta(found, staff_member);
        Ok(Json(StaffList { items: items.into_iter().collect::<Result<_, _>>()?, meta }))
    }

    /// Create a staff account
    ///
    /// The agency's admins and the platform admin only.
    #[oai(path = "/:agency_id/staff", method = "post", operation_id = "create_staff")]
    async fn create_staff(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        agency_id: Path<Uuid>,
        body: Json<CreateStaffRequest>,
    ) -> Result<StaffCreated, ApiError> {
        let actor = auth.actor()?;
        let input = NewAccountInput::parse(&body.email, &body.password, &body.display_name)?;
        let created = service::create_staff(&state, &actor, agency_id.0, input, body.role).await?;
        Ok(StaffCreated::Created(Json(staff_member(created)?)))
    }
}
