//! The shapes of agencies and their staff on the wire.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use uuid::Uuid;

use super::model::{self, AgencyKind, StaffRole};
use crate::accounts::model::Account;
use crate::http::pagination::PageMeta;

/// A government body.
#[derive(Object, Clone)]
pub struct Agency {
    pub id: Uuid,
    pub name: String,
    pub kind: AgencyKind,
    /// The agency above this one; absent for the top of the tree.
    #[oai(skip_serializing_if_is_none)]
    pub parent_id: Option<Uuid>,
    /// Depth in the tree: 0 for the district government.
    pub depth: u32,
    pub sort_order: i32,
    pub created_at: DateTime<Utc>,
}

impl From<(model::Agency, u32)> for Agency {
    fn from((a, depth): (model::Agency, u32)) -> Self {
        Agency {
            id: a.id,
            name: a.name,
            kind: a.kind,
            parent_id: a.parent_id,
            depth,
            sort_order: a.sort_order,
            created_at: a.created_at,
        }
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
    pub kind: AgencyKind,
    /// Required except for a district government.
    pub parent_id: Option<Uuid>,
    /// Position among its siblings (smaller first).
    #[oai(validator(minimum(value = "-100000"), maximum(value = "100000")))]
    pub sort_order: Option<i32>,
}

/// A staff account of an agency (visible to its admins only).
#[derive(Object, Clone)]
pub struct StaffMember {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: StaffRole,
    pub agency_id: Uuid,
    /// Cannot sign in (see `POST /accounts/{id}/enable`).
    pub disabled: bool,
    /// A password reset is waiting for the staff member.
    pub reset_pending: bool,
    pub created_at: DateTime<Utc>,
}

impl StaffMember {
    /// A staff member's view of an account; `None` for an account that is not staff.
    pub fn of(a: Account) -> Option<Self> {
        Some(StaffMember {
            id: a.id,
            role: StaffRole::of(a.role)?,
            agency_id: a.agency_id?,
            email: a.email,
            display_name: a.display_name,
            disabled: a.disabled,
            reset_pending: a.reset_pending,
            created_at: a.created_at,
        })
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
