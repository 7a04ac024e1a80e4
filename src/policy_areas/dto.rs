//! The shapes of policy areas on the wire.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use uuid::Uuid;

use super::model;
use crate::http::pagination::PageMeta;

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

impl From<model::PolicyArea> for PolicyArea {
    fn from(p: model::PolicyArea) -> Self {
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
