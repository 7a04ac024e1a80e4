use sea_orm::entity::prelude::*;

/// An e-mail waiting to be sent, or sent (see `crate::outbox`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// What the message is about, e.g. `feedback_published`.
    pub kind: String,
    /// One e-mail address.
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: DateTimeUtc,
    /// Failed deliveries so far.
    pub attempts: i32,
    /// Not tried again before this.
    pub next_attempt_at: DateTimeUtc,
    /// A node is sending it until then; nobody else may.
    pub claimed_until: Option<DateTimeUtc>,
    pub sent_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
