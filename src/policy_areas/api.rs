//! `/policy-areas`: public list; the platform admin adds areas.

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::model::NewPolicyArea;
use super::store;
use crate::authz::Action;
use crate::entities::policy_areas;
use crate::error::AppError;
use crate::http::ApiTags;
use crate::http::auth::SessionAuth;
use crate::http::pagination::{PageMeta, PageRequest};
use crate::http::problem::ApiError;
use crate::state::AppState;

pub struct PolicyAreasApi;

/// A policy area (领域), e.g. 城乡规划.
#[derive(Object, Clone)]
pub struct PolicyArea {
    pub id: Uuid,
    /// Stable code, e.g. `urban_planning`.
    pub code: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: String,
    pub sort_order: i32,
    pub created_at: DateTime<Utc>,
}

impl From<policy_areas::Model> for PolicyArea {
    fn from(p: policy_areas::Model) -> Self {
        PolicyArea {
            id: p.id,
            code: p.code,
            name: p.name,
            name_en: p.name_en,
            sort_order: p.sort_order,
            created_at: p.created_at,
        }
    }
}

#[derive(Object)]
pub struct PolicyAreaList {
    pub items: Vec<PolicyArea>,
    pub meta: PageMeta,
}

#[derive(Object)]
pub struct CreatePolicyAreaRequest {
    /// 2–64 lower-case letters, digits or underscores.
    #[oai(validator(max_length = 200))]
    pub code: String,
    #[oai(validator(max_length = 200))]
    pub name: String,
    #[oai(validator(max_length = 400))]
    pub name_en: String,
    #[oai(validator(minimum(value = "-100000"), maximum(value = "100000")))]
    pub sort_order: Option<i32>,
}

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
        let all: Vec<PolicyArea> = store::all(state.db.conn()).await?.into_iter().map(Into::into).collect();
        let (items, meta) = PageRequest::new(page.0, per_page.0).slice(&all);
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
        auth.actor()?.authorize(Action::ManagePolicyAreas)?;
        let new =
            NewPolicyArea::parse(&body.code, &body.name, &body.name_en, body.sort_order).map_err(AppError::Invalid)?;
        let created = store::insert(state.db.conn(), new).await?;
        Ok(PolicyAreaCreated::Created(Json(created.into())))
    }
}
