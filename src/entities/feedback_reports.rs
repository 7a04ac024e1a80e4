use sea_orm::entity::prelude::*;

/// One published version of a decision's feedback report. Never updated: a correction is
/// a new version whose content includes this one's hash.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "feedback_reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub decision_id: Uuid,
    pub version: i32,
    /// The canonical serialisation (JSON, keys sorted, no spaces) that `hash` is over.
    pub content: String,
    /// SHA-256 of `content`, hex.
    pub hash: String,
    pub previous_hash: Option<String>,
    /// What a correction changed.
    pub note: Option<String>,
    // The figures below are copies of the content's, kept as columns for the statistics.
    pub comments: i64,
    pub participants: i64,
    pub adopted: i64,
    pub partly_adopted: i64,
    pub not_adopted: i64,
    pub not_applicable: i64,
    pub published_by: Uuid,
    pub published_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
