//! Agency use-cases: the tree (public), new agencies (platform admin), each agency's staff
//! (its admins), and the lookups other domains make of the tree.

use std::collections::HashMap;

use serde_json::json;
use uuid::Uuid;

use super::model::{Agency, NewAgency, StaffRole, subtree, tree_order};
use super::store;
use crate::accounts::model::Account;
use crate::accounts::password;
use crate::accounts::service::NewAccountInput;
use crate::accounts::store::{self as accounts, NewAccount};
use crate::audit::{self, Entry};
use crate::authz::{Action, Actor};
use crate::error::{AppError, AppResult};
use crate::kernel::pagination::{Page, PageRequest};
use crate::state::AppState;
use crate::t;

pub fn not_found() -> AppError {
    AppError::NotFound(t!("找不到该机关。", "No such agency."))
}

/// An agency with its depth in the tree (0 for the district government).
pub type Placed = (Agency, u32);

/// The whole tree, parents first.
pub async fn list(state: &AppState, page: PageRequest) -> AppResult<Page<Placed>> {
    Ok(page.slice(tree_order(store::all(state.db.conn()).await?)))
}

pub async fn get(state: &AppState, id: Uuid) -> AppResult<Placed> {
    tree_order(store::all(state.db.conn()).await?).into_iter().find(|(a, _)| a.id == id).ok_or_else(not_found)
}

pub async fn create(state: &AppState, actor: &Actor, new: NewAgency) -> AppResult<Placed> {
    actor.authorize(Action::ManageAgencies)?;
    let tx = state.db.write().await?;
    if let Some(parent) = new.parent_id
        && store::find(&tx, parent).await?.is_none()
    {
        return Err(AppError::invalid(
            "parent_id",
            "unknown_agency",
            t!("上级机关不存在。", "The parent agency does not exist."),
        ));
    }
    let created = store::insert(&tx, new).await?;
    audit::record(
        &tx,
        Entry {
            actor_id: actor.account_id(),
            agency_id: Some(created.id),
            entity_type: "agency",
            entity_id: created.id,
            action: "created",
            details: json!({ "name": created.name, "kind": created.kind.as_str(), "parent_id": created.parent_id }),
        },
    )
    .await?;
    tx.commit().await?;
    get(state, created.id).await
}

pub async fn list_staff(state: &AppState, actor: &Actor, agency: Uuid, page: PageRequest) -> AppResult<Page<Account>> {
    actor.authorize(Action::ManageStaffOf(agency))?;
    store::find(state.db.conn(), agency).await?.ok_or_else(not_found)?;
    Ok(page.slice(accounts::list_by_agency(state.db.conn(), agency).await?))
}

pub async fn create_staff(
    state: &AppState,
    actor: &Actor,
    agency: Uuid,
    input: NewAccountInput,
    role: StaffRole,
) -> AppResult<Account> {
    actor.authorize(Action::ManageStaffOf(agency))?;
    store::find(state.db.conn(), agency).await?.ok_or_else(not_found)?;
    // Hashing is slow: it happens before the transaction, never inside it.
    let password_hash = password::hash(input.password.expose()).await?;
    let tx = state.db.write().await?;
    let new = NewAccount {
        email: &input.email,
        display_name: &input.display_name,
        password_hash,
        role: role.role(),
        agency_id: Some(agency),
    };
    let created = accounts::insert_account(&tx, new).await?;
    audit::record(
        &tx,
        Entry {
            actor_id: actor.account_id(),
            agency_id: Some(agency),
            entity_type: "account",
            entity_id: created.id,
            action: "staff_created",
            details: json!({ "role": role.as_str() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

/// `root` and every agency below it; 404 when `root` does not exist.
pub async fn subtree_of(state: &AppState, root: Uuid) -> AppResult<Vec<Uuid>> {
    let all = store::all(state.db.conn()).await?;
    if !all.iter().any(|a| a.id == root) {
        return Err(not_found());
    }
    Ok(subtree(&all, root))
}

/// Every agency's name, for lists that show them.
pub async fn names(state: &AppState) -> AppResult<HashMap<Uuid, String>> {
    Ok(store::all(state.db.conn()).await?.into_iter().map(|a| (a.id, a.name)).collect())
}
