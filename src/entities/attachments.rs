use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub decision_id: Uuid,
    /// Sanitised: no path, no control characters.
    pub file_name: String,
    /// Decided from the content, not from what the client claimed.
    pub content_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256; the bytes are the `attachment_contents` row with this key.
    pub sha256: String,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
