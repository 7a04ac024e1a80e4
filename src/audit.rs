//! The audit log: who did what to which record, when. Written in the same transaction as
//! the change it records, so one never exists without the other.

use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::db::{Timestamp, new_id};
use crate::entities::audit_log;
use crate::error::AppResult;

pub struct Entry<'a> {
    /// `None` for the system (e.g. a window closing on its own).
    pub actor_id: Option<Uuid>,
    pub agency_id: Option<Uuid>,
    pub entity_type: &'a str,
    pub entity_id: Uuid,
    pub action: &'a str,
    pub details: serde_json::Value,
}

pub async fn record(db: &impl ConnectionTrait, entry: Entry<'_>) -> AppResult<()> {
    let row = audit_log::ActiveModel {
        id: Set(new_id()),
        actor_id: Set(entry.actor_id),
        agency_id: Set(entry.agency_id),
        entity_type: Set(entry.entity_type.to_string()),
        entity_id: Set(entry.entity_id),
        action: Set(entry.action.to_string()),
        details: Set(entry.details.to_string()),
        created_at: Set(Timestamp::now()),
    };
    audit_log::Entity::insert(row).exec_without_returning(db).await?;
    Ok(())
}

pub async fn for_entity(db: &impl ConnectionTrait, entity_id: Uuid) -> AppResult<Vec<audit_log::Model>> {
    Ok(audit_log::Entity::find()
        .filter(audit_log::Column::EntityId.eq(entity_id))
        .order_by_asc(audit_log::Column::Id)
        .all(db)
        .await?)
}
