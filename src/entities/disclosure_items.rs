use sea_orm::entity::prelude::*;

use crate::disclosure::model::{Attribute, Audience, Level};

/// One entry of an agency's disclosure standard catalogue (公开事项标准).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "disclosure_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The agency whose catalogue this is; its staff keep it.
    pub agency_id: Uuid,
    pub policy_area_id: Uuid,
    /// Policy area, item and sub-item, folded: unique within the agency's catalogue.
    pub item_key: String,
    /// 一级事项.
    pub item: String,
    /// 二级事项; empty when the item has none.
    pub sub_item: String,
    pub basis: String,
    pub content: String,
    pub responsible_body: String,
    pub time_limit: String,
    pub time_limit_days: Option<i32>,
    pub time_limit_working_days: bool,
    /// JSON array of channel names.
    pub channels: String,
    pub attribute: Attribute,
    pub audience: Audience,
    pub level: Level,
    pub open_reports: i32,
    pub answered_reports: i32,
    /// Moves by one with every change; changes are conditioned on it.
    pub version: i32,
    pub removed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
