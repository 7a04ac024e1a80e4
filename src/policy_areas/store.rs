use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, QueryOrder};

use uuid::Uuid;

use super::model::{NewPolicyArea, PolicyArea};
use crate::db::{Timestamp, is_unique_violation, new_id};
use crate::entities::policy_areas;
use crate::error::{AppError, AppResult};
use crate::t;

fn area(p: policy_areas::Model) -> PolicyArea {
    PolicyArea {
        id: p.id,
        code: p.code,
        name: p.name,
        name_en: p.name_en,
        sort_order: p.sort_order,
        created_at: p.created_at,
    }
}

pub async fn all(db: &impl ConnectionTrait) -> AppResult<Vec<PolicyArea>> {
    Ok(policy_areas::Entity::find()
        .order_by_asc(policy_areas::Column::SortOrder)
        .order_by_asc(policy_areas::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(area)
        .collect())
}

pub async fn exists(db: &impl ConnectionTrait, id: Uuid) -> AppResult<bool> {
    Ok(policy_areas::Entity::find_by_id(id).one(db).await?.is_some())
}

pub async fn insert(db: &impl ConnectionTrait, new: NewPolicyArea) -> AppResult<PolicyArea> {
    let model = policy_areas::ActiveModel {
        id: Set(new_id()),
        code: Set(new.code),
        name: Set(new.name),
        name_en: Set(new.name_en),
        sort_order: Set(new.sort_order),
        created_at: Set(Timestamp::now()),
    };
    policy_areas::Entity::insert(model).exec_with_returning(db).await.map(area).map_err(|e| {
        if is_unique_violation(&e) {
            AppError::invalid(
                "code",
                "taken",
                t!("已有相同代码或名称的领域。", "A policy area with this code or name already exists."),
            )
        } else {
            e.into()
        }
    })
}
