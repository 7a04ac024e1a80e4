//! `/agencies`: the agency tree (public) and each agency's staff (its admins only).

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Enum, Object, OpenApi};
use uuid::Uuid;

use super::model::{AgencyKind, NewAgency, tree_order};
use super::store;
use crate::accounts::service::{self as accounts, NewAccountInput};
use crate::accounts::store as account_store;
use crate::authz::{Action, Role};
use crate::entities::{accounts as account_entity, agencies};
use crate::error::AppError;
use crate::http::ApiTags;
use crate::http::auth::SessionAuth;
use crate::http::pagination::{PageMeta, PageRequest};
use crate::http::problem::ApiError;
use crate::state::AppState;
use crate::t;

pub struct AgenciesApi;

/// What kind of government body an agency is.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[oai(rename_all = "snake_case")]
pub enum AgencyKindDto {
    /// 区人民政府 (district government)
    District,
    /// 政府工作部门 (department)
    Department,
    /// 街道办事处 (sub-district office)
    SubDistrict,
    /// 乡镇人民政府 (township government)
    Township,
}

impl From<AgencyKindDto> for AgencyKind {
    fn from(k: AgencyKindDto) -> Self {
        match k {
            AgencyKindDto::District => AgencyKind::District,
            AgencyKindDto::Department => AgencyKind::Department,
            AgencyKindDto::SubDistrict => AgencyKind::SubDistrict,
            AgencyKindDto::Township => AgencyKind::Township,
        }
    }
}

impl From<AgencyKind> for AgencyKindDto {
    fn from(k: AgencyKind) -> Self {
        match k {
            AgencyKind::District => AgencyKindDto::District,
            AgencyKind::Department => AgencyKindDto::Department,
            AgencyKind::SubDistrict => AgencyKindDto::SubDistrict,
            AgencyKind::Township => AgencyKindDto::Township,
        }
    }
}

/// A government body.
#[derive(Object, Clone)]
pub struct Agency {
    pub id: Uuid,
    pub name: String,
    pub kind: AgencyKindDto,
    /// The agency above this one; absent for the top of the tree.
    #[oai(skip_serializing_if_is_none)]
    pub parent_id: Option<Uuid>,
    /// Depth in the tree: 0 for the district government.
    pub depth: u32,
    pub sort_order: i32,
    pub created_at: DateTime<Utc>,
}

fn to_dto(a: agencies::Model, depth: u32) -> Agency {
    Agency {
        id: a.id,
        kind: AgencyKind::parse(&a.kind).unwrap_or(AgencyKind::Department).into(),
        name: a.name,
        parent_id: a.parent_id,
        depth,
        sort_order: a.sort_order,
        created_at: a.created_at,
    }
}

/// Agencies in tree order (parents before their children).
#[derive(Object)]
pub struct AgencyList {
    pub items: Vec<Agency>,
    pub meta: PageMeta,
}

#[derive(Object)]
pub struct CreateAgencyRequest {
    /// Official name, e.g. 区发展和改革委员会; unique.
    #[oai(validator(max_length = 400))]
    pub name: String,
    pub kind: AgencyKindDto,
    /// Required except for a district government.
    pub parent_id: Option<Uuid>,
    /// Position among its siblings (smaller first).
    #[oai(validator(minimum(value = "-100000"), maximum(value = "100000")))]
    pub sort_order: Option<i32>,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[oai(rename_all = "snake_case")]
pub enum StaffRole {
    /// 工作人员: the agency's work (drafts, moderation, reports, meetings).
    AgencyStaff,
    /// 单位管理员: the above, plus the agency's staff accounts.
    AgencyAdmin,
}

/// A staff account of an agency (visible to its admins only).
#[derive(Object, Clone)]
pub struct StaffMember {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: StaffRole,
    pub agency_id: Uuid,
    pub created_at: DateTime<Utc>,
}

fn staff_dto(a: account_entity::Model, agency_id: Uuid) -> StaffMember {
    StaffMember {
        id: a.id,
        role: if a.role == Role::AgencyAdmin.as_str() { StaffRole::AgencyAdmin } else { StaffRole::AgencyStaff },
        email: a.email,
        display_name: a.display_name,
        agency_id,
        created_at: a.created_at,
    }
}

#[derive(Object)]
pub struct StaffList {
    pub items: Vec<StaffMember>,
    pub meta: PageMeta,
}

#[derive(Object)]
pub struct CreateStaffRequest {
    #[oai(validator(max_length = 254))]
    pub email: String,
    #[oai(validator(max_length = 200))]
    pub display_name: String,
    /// The initial password, 8 to 128 characters; give it to the person over a safe channel.
    #[oai(validator(max_length = 1024))]
    pub password: String,
    pub role: StaffRole,
}

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

fn agency_not_found() -> AppError {
    AppError::NotFound(t!("找不到该机关。", "No such agency."))
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
        let ordered: Vec<Agency> =
            tree_order(store::all(state.db.conn()).await?).into_iter().map(|(a, d)| to_dto(a, d)).collect();
        let (items, meta) = PageRequest::new(page.0, per_page.0).slice(&ordered);
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
        auth.actor()?.authorize(Action::ManageAgencies)?;
        let new = NewAgency::parse(&body.name, body.kind.into(), body.parent_id, body.sort_order)
            .map_err(AppError::Invalid)?;
        let tx = state.db.write().await.map_err(AppError::from)?;
        if let Some(parent) = new.parent_id
            && store::find(&tx, parent).await?.is_none()
        {
            return Err(AppError::invalid(
                "parent_id",
                "unknown_agency",
                t!("上级机关不存在。", "The parent agency does not exist."),
            )
            .into());
        }
        let created = store::insert(&tx, new).await?;
        tx.commit().await.map_err(AppError::from)?;
        let depth = depth_of(&state, created.id).await?;
        Ok(AgencyCreated::Created(Json(to_dto(created, depth))))
    }

    /// One agency
    #[oai(path = "/:agency_id", method = "get", operation_id = "get_agency")]
    async fn get(&self, state: Data<&AppState>, agency_id: Path<Uuid>) -> Result<Json<Agency>, ApiError> {
        let ordered = tree_order(store::all(state.db.conn()).await?);
        let (agency, depth) = ordered.into_iter().find(|(a, _)| a.id == agency_id.0).ok_or_else(agency_not_found)?;
        Ok(Json(to_dto(agency, depth)))
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
        auth.actor()?.authorize(Action::ManageStaffOf(agency_id.0))?;
        store::find(state.db.conn(), agency_id.0).await?.ok_or_else(agency_not_found)?;
        let staff: Vec<StaffMember> = account_store::list_by_agency(state.db.conn(), agency_id.0)
            .await?
            .into_iter()
            .map(|a| staff_dto(a, agency_id.0))
            .collect();
        let (items, meta) = PageRequest::new(page.0, per_page.0).slice(&staff);
        Ok(Json(StaffList { items, meta }))
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
        actor.authorize(Action::ManageStaffOf(agency_id.0))?;
        store::find(state.db.conn(), agency_id.0).await?.ok_or_else(agency_not_found)?;
        let input = NewAccountInput::parse(&body.email, &body.password, &body.display_name)?;
        let role = match body.role {
            StaffRole::AgencyStaff => Role::AgencyStaff,
            StaffRole::AgencyAdmin => Role::AgencyAdmin,
        };
        let created = accounts::create_staff(&state.db, &actor, agency_id.0, input, role).await?;
        Ok(StaffCreated::Created(Json(staff_dto(created, agency_id.0))))
    }
}

async fn depth_of(state: &AppState, id: Uuid) -> Result<u32, AppError> {
    Ok(tree_order(store::all(state.db.conn()).await?)
        .into_iter()
        .find(|(a, _)| a.id == id)
        .map(|(_, d)| d)
        .unwrap_or(0))
}
