use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, QueryOrder};

use super::model::NewPolicyArea;
use crate::db::{Timestamp, is_unique_violation, new_id};
use crate::entities::policy_areas;
use crate::error::{AppError, AppResult};
use crate::t;

pub async fn all(db: &impl ConnectionTrait) -> AppResult<Vec<policy_areas::Model>> {
    Ok(policy_areas::Entity::find()
        .order_by_asc(policy_areas::Column::SortOrder)
        .order_by_asc(policy_areas::Column::Code)
        .all(db)
        .await?)
}

pub async fn insert(db: &impl ConnectionTrait, new: NewPolicyArea) -> AppResult<policy_areas::Model> {
    let model = policy_areas::ActiveModel {
        id: Set(new_id()),
        code: Set(new.code),
        name: Set(new.name),
        name_en: Set(new.name_en),
        sort_order: Set(new.sort_order),
        created_at: Set(Timestamp::now()),
    };
    policy_areas::Entity::insert(model).exec_with_returning(db).await.map_err(|e| {
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
