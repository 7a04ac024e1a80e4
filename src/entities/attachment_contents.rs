use sea_orm::entity::prelude::*;

/// The bytes of attachments, by content: identical uploads share one row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachment_contents")]
pub struct Model {
    /// Hex SHA-256 of `content`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub sha256: String,
    pub content: Vec<u8>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
