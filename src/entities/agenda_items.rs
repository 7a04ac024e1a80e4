use sea_orm::entity::prelude::*;

use crate::meetings::model::Openness;

/// One item of a meeting's agenda.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agenda_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub position: i32,
    pub title: String,
    /// The decision this item concerns, if any.
    pub decision_id: Option<Uuid>,
    pub openness: Openness,
    /// Where in the replay this item starts; only for streamed items.
    pub replay_offset_seconds: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
