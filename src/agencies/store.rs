//! Queries for agencies.

use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use uuid::Uuid;

use super::model::{Agency, NewAgency};
use crate::db::{Timestamp, is_unique_violation, new_id};
use crate::entities::agencies;
use crate::error::{AppError, AppResult};
use crate::t;

fn agency(a: agencies::Model) -> Agency {
    Agency {
        id: a.id,
        parent_id: a.parent_id,
        name: a.name,
        kind: a.kind,
        sort_order: a.sort_order,
        created_at: a.created_at,
    }
}

pub async fn all(db: &impl ConnectionTrait) -> AppResult<Vec<Agency>> {
    Ok(agencies::Entity::find().all(db).await?.into_iter().map(agency).collect())
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<Agency>> {
    Ok(agencies::Entity::find_by_id(id).one(db).await?.map(agency))
}

pub async fn insert(db: &impl ConnectionTrait, new: NewAgency) -> AppResult<Agency> {
    let model = agencies::ActiveModel {
        id: Set(new_id()),
        parent_id: Set(new.parent_id),
        name: Set(new.name),
        kind: Set(new.kind),
        sort_order: Set(new.sort_order),
        created_at: Set(Timestamp::now()),
    };
    agencies::Entity::insert(model).exec_with_returning(db).await.map(agency).map_err(|e| {
        if is_unique_violation(&e) {
            AppError::invalid("name", "taken", t!("已有同名机关。", "An agency with this name already exists."))
        } else {
            e.into()
        }
    })
}
