use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consultations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub decision_id: Uuid,
    pub version_number: i32,
    pub opens_at: DateTimeUtc,
    pub closes_at: DateTimeUtc,
    pub original_closes_at: DateTimeUtc,
    pub short_window_reason: Option<String>,
    pub anonymous_allowed: bool,
    pub comments_public: bool,
    /// `post` or `pre`
    pub moderation: crate::decisions::model::Moderation,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
