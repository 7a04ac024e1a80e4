//! Read models of comments: what the services answer, built from stored rows. Plain Rust
//! types; `dto.rs` decides which of their fields each audience sees on the wire.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::model::{Category, Channel, CommentStatus, HiddenReason};
use crate::entities::comments;
use crate::kernel::pagination::Page;

/// A comment with everything stored about it. Which parts reach whom is decided by the
/// wire shapes: the public never gets contact details, notes or the account.
#[derive(Clone, Debug)]
pub struct Comment {
    pub id: Uuid,
    pub decision_id: Uuid,
    pub section_id: Option<Uuid>,
    pub body: String,
    pub category: Category,
    pub channel: Channel,
    pub display_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub account_id: Option<Uuid>,
    /// `YYYY-MM-DD` (China time).
    pub received_on: String,
    pub status: CommentStatus,
    pub hidden_reason: Option<HiddenReason>,
    pub moderation_note: Option<String>,
    pub tracking_number: String,
    pub duplicate_group_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

pub fn comment(c: comments::Model) -> Comment {
    Comment {
        id: c.id,
        decision_id: c.decision_id,
        section_id: c.section_id,
        body: c.body,
        category: c.category,
        channel: c.channel,
        display_name: c.display_name,
        contact_phone: c.contact_phone,
        contact_email: c.contact_email,
        account_id: c.account_id,
        received_on: c.received_on,
        status: c.status,
        hidden_reason: c.hidden_reason,
        moderation_note: c.moderation_note,
        tracking_number: c.tracking_number,
        duplicate_group_id: c.duplicate_group_id,
        created_at: c.created_at,
    }
}

/// A comment as its submitter sees it, with where it stands.
#[derive(Clone, Debug)]
pub struct OwnComment {
    pub comment: Comment,
    pub decision_title: String,
    pub section_label: Option<String>,
    /// While the consultation is open, and the comment not withdrawn already.
    pub can_withdraw: bool,
    /// What became of it, once the feedback report is published.
    pub answer: Option<crate::feedback::views::CommentAnswer>,
}

/// A new (or replayed) comment and its receipt.
#[derive(Clone, Debug)]
pub struct Receipted {
    pub comment: OwnComment,
    pub secret: String,
    /// An earlier submission with the same idempotency key, answered again.
    pub replayed: bool,
}

/// A comment in the staff inbox.
#[derive(Clone, Debug)]
pub struct StaffComment {
    pub comment: Comment,
    pub section_label: Option<String>,
    /// The viewpoint it is grouped under (adoption feedback).
    pub viewpoint_id: Option<Uuid>,
    /// Its own disposition, overriding its viewpoint's.
    pub disposition: Option<crate::feedback::model::Disposition>,
}

/// A published comment as the public list shows it: read with the columns it needs only.
#[derive(Clone, Debug)]
pub struct PublishedComment {
    pub id: Uuid,
    pub section_id: Option<Uuid>,
    pub body: String,
    pub category: Category,
    pub channel: Channel,
    pub display_name: Option<String>,
    pub received_on: String,
    pub duplicate_group_id: Option<Uuid>,
}

/// The public list of a consultation's comments.
#[derive(Clone, Debug)]
pub struct PublishedComments {
    /// False when the consultation does not show comments publicly (the page is empty).
    pub comments_public: bool,
    pub page: Page<PublishedComment>,
    /// The last comment of a full page: ask for `after` it to read on (keyset).
    pub next_after: Option<Uuid>,
}

/// One maintained count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountByKey {
    pub key: String,
    /// For sections: the label (第三条).
    pub label: Option<String>,
    pub count: u64,
}

/// The figures of a consultation, kept as they change (never counted on request).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentStats {
    pub total: u64,
    pub published: u64,
    pub awaiting_moderation: u64,
    pub hidden: u64,
    pub withdrawn: u64,
    pub by_section: Vec<CountByKey>,
    pub published_by_section: Vec<CountByKey>,
    pub by_category: Vec<CountByKey>,
    pub by_channel: Vec<CountByKey>,
    pub by_day: Vec<CountByKey>,
    pub hidden_by_reason: Vec<CountByKey>,
    pub duplicate_groups: u64,
    pub comments_in_groups: u64,
}

#[derive(Clone, Debug)]
pub struct DuplicateGroup {
    pub id: Uuid,
    pub size: i32,
    /// The text of the first comment of the group.
    pub sample: String,
    pub first_comment_id: Uuid,
}

/// A CSV file to download, produced page by page as it is sent.
pub struct CsvFile {
    pub file_name: String,
    pub chunks: futures_util::stream::BoxStream<'static, Result<Vec<u8>, crate::error::AppError>>,
}
