//! `/policy-areas`: public list; the platform admin adds areas.

use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};

use super::dto::*;
use super::model::NewPolicyArea;
use super::service;
use crate::accounts::auth::SessionAuth;
use crate::error::AppError;
use crate::http::ApiTags;
use crate::http::pagination::items_and_meta;
use crate::http::problem::ApiError;
use crate::kernel::pagination::PageRequest;
use crate::state::AppState;

pub struct PolicyAreasApi;

#[derive(ApiResponse)]
pub enum PolicyAreaCreated {
    #[oai(status = 201)]
    Created(Json<PolicyArea>),
}

#[OpenApi(prefix_path = "/policy-areas", tag = "ApiTags::PolicyAreas")]
impl PolicyAreasApi {
    /// List policy areas
    #[oai(path = "/", method = "get", operation_id = "list_policy_areas")]
    async fn list(
        &self,
        state: Data<&AppState>,
        /// Page number, from 1.
        #[oai(validator(minimum(value = "1"), maximum(value = "1000000")))]
        page: Query<Option<u64>>,
        /// Items per page (1–200, default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
        per_page: Query<Option<u64>>,
    ) -> Result<Json<PolicyAreaList>, ApiError> {
        let found = service::list(&state, PageRequest::new(page.0, per_page.0)).await?;
        let (items, meta) = items_and_meta(found, PolicyArea::from);
        Ok(Json(PolicyAreaList { items, meta }))
    }

    /// Add a policy area
    ///
    /// Platform admin only.
    #[oai(path = "/", method = "post", operation_id = "create_policy_area")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        body: Json<CreatePolicyAreaRequest>,
    ) -> Result<PolicyAreaCreated, ApiError> {
        let actor = auth.actor()?;
        let new =
            NewPolicyArea::parse(&body.code, &body.name, &body.name_en, body.sort_order).map_err(AppError::Invalid)?;
        let created = service::create(&state, &actor, new).await?;
        Ok(PolicyAreaCreated::Created(Json(created.into())))
    }
}
