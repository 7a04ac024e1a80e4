use sea_orm::entity::prelude::*;

/// The feedback side of one comment: its viewpoint, its own disposition (overriding the
/// viewpoint's), and the submitter's rating of the answer.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "comment_feedback")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub comment_id: Uuid,
    pub decision_id: Uuid,
    pub viewpoint_id: Option<Uuid>,
    pub disposition: Option<crate::feedback::model::Disposition>,
    pub reason: Option<String>,
    pub reply: Option<String>,
    pub satisfaction: Option<crate::feedback::model::Satisfaction>,
    /// The submitter's remark with the rating; shown to the agency, never publicly.
    pub remark: Option<String>,
    pub rated_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
