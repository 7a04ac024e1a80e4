use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "decisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub agency_id: Uuid,
    pub policy_area_id: Uuid,
    pub title: String,
    pub summary: String,
    /// 决策依据
    pub basis: String,
    /// 起草说明
    pub explanation: String,
    pub catalogue_year: i32,
    pub planned_timing: Option<String>,
    /// Listed in the public yearly catalogue (重大决策事项目录) even before its draft is published.
    pub listed_in_catalogue: bool,
    /// As last written; see `decisions::model::Status::effective` for the status at a given instant.
    pub status: crate::decisions::model::DecisionStatus,
    pub published_at: Option<DateTimeUtc>,
    pub window_opens_at: Option<DateTimeUtc>,
    pub window_closes_at: Option<DateTimeUtc>,
    pub withdrawn_reason: Option<String>,
    pub withdrawn_at: Option<DateTimeUtc>,
    pub final_version: Option<i32>,
    pub interpretation: Option<String>,
    /// JSON array of `{title, url}`.
    pub interpretation_links: Option<String>,
    /// `YYYY-MM-DD`
    pub decided_on: Option<String>,
    pub latest_version: i32,
    /// When the first feedback report was published (the deadline is measured to it).
    pub feedback_published_at: Option<DateTimeUtc>,
    /// The latest published feedback report version (0: none yet).
    pub feedback_version: i32,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
