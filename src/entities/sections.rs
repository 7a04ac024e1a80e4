use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sections")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub version_id: Uuid,
    pub decision_id: Uuid,
    pub position: i32,
    pub kind: crate::decisions::splitter::SectionKind,
    pub number: Option<i32>,
    pub label: String,
    pub heading: String,
    pub body: String,
    pub parent_id: Option<Uuid>,
    /// Path of labels, e.g. `第二章/第五条`; matches sections across versions.
    pub key: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
