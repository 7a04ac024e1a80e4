use sea_orm::entity::prelude::*;

use crate::disclosure::model::ChangeKind;

/// One version of a catalogue item: who changed what, field by field.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "disclosure_item_changes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub item_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub version: i32,
    pub kind: ChangeKind,
    pub changed_by: Option<Uuid>,
    pub changed_at: DateTimeUtc,
    /// JSON array of `{field, before, after}`.
    pub changes: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
