//! Policy-area use-cases: the public list, and new areas by the platform admin.

use serde_json::json;

use super::model::{NewPolicyArea, PolicyArea};
use super::store;
use crate::audit::{self, Entry};
use crate::authz::{Action, Actor};
use crate::error::AppResult;
use crate::kernel::pagination::{Page, PageRequest};
use crate::state::AppState;

pub async fn list(state: &AppState, page: PageRequest) -> AppResult<Page<PolicyArea>> {
    Ok(page.slice(store::all(state.db.conn()).await?))
}

pub async fn create(state: &AppState, actor: &Actor, new: NewPolicyArea) -> AppResult<PolicyArea> {
    actor.authorize(Action::ManagePolicyAreas)?;
    let tx = state.db.write().await?;
    let created = store::insert(&tx, new).await?;
    audit::record(
        &tx,
        Entry {
            actor_id: actor.account_id(),
            agency_id: None,
            entity_type: "policy_area",
            entity_id: created.id,
            action: "created",
            details: json!({ "code": created.code, "name": created.name }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}
