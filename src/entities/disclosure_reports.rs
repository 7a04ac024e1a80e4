use sea_orm::entity::prelude::*;

use crate::disclosure::model::{ReportKind, ReportStatus};

/// A member of the public's report on a catalogue item (接受社会监督).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "disclosure_reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub item_id: Uuid,
    /// The item's agency, which answers.
    pub agency_id: Uuid,
    pub kind: ReportKind,
    pub body: String,
    /// Private: only the agency's staff see it.
    pub contact: Option<String>,
    pub status: ReportStatus,
    pub answer: Option<String>,
    pub answered_by: Option<Uuid>,
    pub answered_at: Option<DateTimeUtc>,
    pub account_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
