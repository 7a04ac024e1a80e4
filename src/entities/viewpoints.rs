use sea_orm::entity::prelude::*;

/// A main viewpoint (主要观点) that staff group comments under.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "viewpoints")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub decision_id: Uuid,
    pub title: String,
    pub summary: String,
    /// Inherited by its comments unless a comment has its own.
    pub disposition: Option<crate::feedback::model::Disposition>,
    /// Why not (or only partly) adopted; public once the report is published.
    pub reason: Option<String>,
    /// A public reply to the people who made this point.
    pub reply: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
