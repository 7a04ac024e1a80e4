use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "comments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub decision_id: Uuid,
    pub version_number: i32,
    pub section_id: Option<Uuid>,
    pub body: String,
    pub category: crate::comments::model::Category,
    /// Shown publicly when given.
    pub display_name: Option<String>,
    /// Private: never in a public response.
    pub contact_phone: Option<String>,
    /// Private: never in a public response.
    pub contact_email: Option<String>,
    pub account_id: Option<Uuid>,
    pub channel: crate::comments::model::Channel,
    /// `YYYY-MM-DD` (China time) the comment was received.
    pub received_on: String,
    pub status: crate::comments::model::CommentStatus,
    pub hidden_reason: Option<crate::comments::model::HiddenReason>,
    /// Internal: never in a public response.
    pub moderation_note: Option<String>,
    #[sea_orm(unique)]
    pub tracking_number: String,
    /// SHA-256 of the receipt secret.
    pub secret_hash: String,
    /// The receipt key the secret was derived with (`None`: the key once kept in the database).
    pub receipt_key_id: Option<String>,
    pub idempotency_key: Option<String>,
    pub duplicate_group_id: Option<Uuid>,
    /// Staff member who entered an offline comment.
    pub entered_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
