//! The shapes of comments on the wire.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use uuid::Uuid;

use super::model::{Category, Channel, CommentStatus, HiddenReason, InboxFilter, ModerationAction};
use super::views::{self, Receipted};
use crate::http::pagination::PageMeta;

/// A new comment.
#[derive(Object)]
pub struct SubmitCommentRequest {
    /// 1 to 5,000 characters.
    #[oai(validator(max_length = 20000))]
    pub body: String,
    /// The article commented on; absent for the whole draft.
    pub section_id: Option<Uuid>,
    pub category: Category,
    /// Shown with the comment when given; otherwise it is shown as anonymous.
    #[oai(validator(max_length = 200))]
    pub display_name: Option<String>,
    /// Private: seen only by the agency, never published.
    #[oai(validator(max_length = 100))]
    pub contact_phone: Option<String>,
    /// Private: seen only by the agency, never published.
    #[oai(validator(max_length = 300))]
    pub contact_email: Option<String>,
}

/// What lets a submitter come back without an account.
#[derive(Object)]
pub struct Receipt {
    /// e.g. `WJ-2026-7K3M-9QX5`; readable aloud, with a check symbol.
    pub tracking_number: String,
    /// Shown once here; with the tracking number it opens the comment. Keep it safe.
    pub secret: String,
}

/// A comment as its submitter sees it (through a receipt or their account).
#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct OwnComment {
    pub id: Uuid,
    pub decision_id: Uuid,
    pub decision_title: String,
    pub tracking_number: String,
    pub body: String,
    pub section_id: Option<Uuid>,
    pub section_label: Option<String>,
    pub category: Category,
    pub channel: Channel,
    pub display_name: Option<String>,
    pub status: CommentStatus,
    /// Why it was hidden, when it was.
    pub hidden_reason: Option<HiddenReason>,
    /// While the consultation is open.
    pub can_withdraw: bool,
    pub created_at: DateTime<Utc>,
    /// What became of it, once the agency has published its feedback report.
    pub answer: Option<crate::feedback::dto::CommentAnswer>,
}

#[derive(Object)]
pub struct SubmittedComment {
    pub receipt: Receipt,
    pub comment: OwnComment,
    /// True when this answers an earlier submission with the same idempotency key.
    pub replayed: bool,
}

/// A published comment, as everyone sees it (no personal data).
#[derive(Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct PublicComment {
    pub id: Uuid,
    pub body: String,
    /// The article commented on (see the version's sections for its label).
    pub section_id: Option<Uuid>,
    pub category: Category,
    pub channel: Channel,
    /// The name given, or absent for an anonymous comment.
    pub display_name: Option<String>,
    /// `YYYY-MM-DD` (China time).
    pub received_on: String,
    pub duplicate_group_id: Option<Uuid>,
}

#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct PublicCommentList {
    /// False when the consultation does not show comments publicly (counts still are).
    pub comments_public: bool,
    pub items: Vec<PublicComment>,
    pub meta: PageMeta,
    /// The last comment of a full page: pass it as `after` for the next one.
    pub next_after: Option<Uuid>,
}

/// A comment in the staff inbox, with what only the agency may see.
#[derive(Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct StaffComment {
    pub id: Uuid,
    pub tracking_number: String,
    pub body: String,
    pub section_id: Option<Uuid>,
    pub section_label: Option<String>,
    pub category: Category,
    pub channel: Channel,
    pub display_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub signed_in: bool,
    pub status: CommentStatus,
    pub hidden_reason: Option<HiddenReason>,
    /// Internal; never shown publicly.
    pub moderation_note: Option<String>,
    pub duplicate_group_id: Option<Uuid>,
    pub received_on: String,
    pub created_at: DateTime<Utc>,
    /// The viewpoint it is grouped under (adoption feedback).
    pub viewpoint_id: Option<Uuid>,
    /// Its own disposition, overriding its viewpoint's.
    pub disposition: Option<crate::feedback::model::Disposition>,
}

#[derive(Object)]
pub struct StaffCommentList {
    pub items: Vec<StaffComment>,
    pub meta: PageMeta,
}

/// Which comments a moderation action applies to: listed ids, or everything a filter matches.
#[derive(Object, Default, Clone)]
pub struct InboxFilterDto {
    pub status: Option<CommentStatus>,
    pub section_id: Option<Uuid>,
    pub category: Option<Category>,
    pub channel: Option<Channel>,
    pub duplicate_group_id: Option<Uuid>,
    #[oai(validator(max_length = 200))]
    pub q: Option<String>,
    /// Comments under this viewpoint.
    pub viewpoint_id: Option<Uuid>,
    /// Only comments under no viewpoint.
    pub unassigned: Option<bool>,
}

#[derive(Object)]
pub struct ModerationRequest {
    pub action: ModerationAction,
    /// Required to hide; shown publicly as a count and to the submitter.
    pub reason: Option<HiddenReason>,
    /// Internal note for colleagues.
    #[oai(validator(max_length = 4000))]
    pub note: Option<String>,
    /// The comments to act on…
    #[oai(validator(max_items = 5000))]
    pub comment_ids: Option<Vec<Uuid>>,
    /// …or every comment this filter matches (at most 5,000).
    pub filter: Option<InboxFilterDto>,
}

#[derive(Object)]
pub struct ModerationResult {
    /// Comments whose status changed.
    pub changed: u64,
}

#[derive(Object)]
pub struct OfflineCommentRequest {
    #[oai(validator(max_length = 20000))]
    pub body: String,
    /// Letter, e-mail, symposium, hearing or survey.
    pub channel: Channel,
    /// `YYYY-MM-DD`, not in the future.
    #[oai(validator(max_length = 40))]
    pub received_on: String,
    pub section_id: Option<Uuid>,
    pub category: Category,
    #[oai(validator(max_length = 200))]
    pub display_name: Option<String>,
    #[oai(validator(max_length = 100))]
    pub contact_phone: Option<String>,
    #[oai(validator(max_length = 300))]
    pub contact_email: Option<String>,
    /// Required when `received_on` falls outside the consultation window (a symposium held
    /// before it opened, a letter that arrived late); recorded in the audit log.
    #[oai(validator(max_length = 2000))]
    pub outside_window_reason: Option<String>,
    /// Publish at once (`true`) or hold for moderation (`false`) against the consultation's
    /// moderation rule; absent follows the rule. An override is recorded in the audit log.
    pub publish_now: Option<bool>,
}

#[derive(Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct CountByKey {
    /// The section id, category, channel, day or reason.
    pub key: String,
    /// For sections: the label (第三条); absent for the whole draft.
    pub label: Option<String>,
    pub count: u64,
}

#[derive(Object)]
pub struct DuplicateSummary {
    /// Groups of identical or near-identical comments (two or more comments each).
    pub groups: u64,
    /// Comments in those groups.
    pub comments_in_groups: u64,
}

/// The figures of a consultation, kept as they change (never counted on request).
#[derive(Object)]
pub struct CommentStats {
    /// Comments received (not withdrawn), all channels.
    pub total: u64,
    pub published: u64,
    /// Waiting for moderation.
    pub awaiting_moderation: u64,
    pub hidden: u64,
    pub withdrawn: u64,
    pub by_section: Vec<CountByKey>,
    /// Published comments per section (what the public list shows).
    pub published_by_section: Vec<CountByKey>,
    pub by_category: Vec<CountByKey>,
    pub by_channel: Vec<CountByKey>,
    pub by_day: Vec<CountByKey>,
    /// The public moderation log: hidden comments per reason.
    pub hidden_by_reason: Vec<CountByKey>,
    pub duplicates: DuplicateSummary,
}

#[derive(Object)]
pub struct DuplicateGroup {
    pub id: Uuid,
    pub size: i32,
    /// The text of the first comment of the group.
    pub sample: String,
    pub first_comment_id: Uuid,
}

#[derive(Object)]
pub struct DuplicateGroupList {
    pub items: Vec<DuplicateGroup>,
}

#[derive(Object)]
pub struct OwnCommentList {
    pub items: Vec<OwnComment>,
    pub meta: PageMeta,
}

// From the read models to the wire: one comment, three audiences.

impl From<views::PublishedComment> for PublicComment {
    fn from(c: views::PublishedComment) -> Self {
        PublicComment {
            id: c.id,
            body: c.body,
            section_id: c.section_id,
            category: c.category,
            channel: c.channel,
            display_name: c.display_name,
            received_on: c.received_on,
            duplicate_group_id: c.duplicate_group_id,
        }
    }
}

impl From<views::OwnComment> for OwnComment {
    fn from(o: views::OwnComment) -> Self {
        let c = o.comment;
        OwnComment {
            id: c.id,
            decision_id: c.decision_id,
            decision_title: o.decision_title,
            tracking_number: c.tracking_number,
            body: c.body,
            section_id: c.section_id,
            section_label: o.section_label,
            category: c.category,
            channel: c.channel,
            display_name: c.display_name,
            status: c.status,
            hidden_reason: c.hidden_reason,
            can_withdraw: o.can_withdraw,
            created_at: c.created_at,
            answer: o.answer.map(Into::into),
        }
    }
}

impl From<views::StaffComment> for StaffComment {
    fn from(s: views::StaffComment) -> Self {
        let c = s.comment;
        StaffComment {
            id: c.id,
            tracking_number: c.tracking_number,
            body: c.body,
            section_id: c.section_id,
            section_label: s.section_label,
            category: c.category,
            channel: c.channel,
            display_name: c.display_name,
            contact_phone: c.contact_phone,
            contact_email: c.contact_email,
            signed_in: c.account_id.is_some(),
            status: c.status,
            hidden_reason: c.hidden_reason,
            moderation_note: c.moderation_note,
            duplicate_group_id: c.duplicate_group_id,
            received_on: c.received_on,
            created_at: c.created_at,
            viewpoint_id: s.viewpoint_id,
            disposition: s.disposition,
        }
    }
}

impl From<Receipted> for SubmittedComment {
    fn from(r: Receipted) -> Self {
        SubmittedComment {
            receipt: Receipt { tracking_number: r.comment.comment.tracking_number.clone(), secret: r.secret },
            replayed: r.replayed,
            comment: r.comment.into(),
        }
    }
}

impl From<views::CountByKey> for CountByKey {
    fn from(c: views::CountByKey) -> Self {
        CountByKey { key: c.key, label: c.label, count: c.count }
    }
}

fn counts(v: Vec<views::CountByKey>) -> Vec<CountByKey> {
    v.into_iter().map(Into::into).collect()
}

impl From<views::CommentStats> for CommentStats {
    fn from(s: views::CommentStats) -> Self {
        CommentStats {
            total: s.total,
            published: s.published,
            awaiting_moderation: s.awaiting_moderation,
            hidden: s.hidden,
            withdrawn: s.withdrawn,
            by_section: counts(s.by_section),
            published_by_section: counts(s.published_by_section),
            by_category: counts(s.by_category),
            by_channel: counts(s.by_channel),
            by_day: counts(s.by_day),
            hidden_by_reason: counts(s.hidden_by_reason),
            duplicates: DuplicateSummary { groups: s.duplicate_groups, comments_in_groups: s.comments_in_groups },
        }
    }
}

impl From<views::DuplicateGroup> for DuplicateGroup {
    fn from(g: views::DuplicateGroup) -> Self {
        DuplicateGroup { id: g.id, size: g.size, sample: g.sample, first_comment_id: g.first_comment_id }
    }
}

impl From<InboxFilterDto> for InboxFilter {
    fn from(f: InboxFilterDto) -> Self {
        InboxFilter {
            status: f.status,
            section_id: f.section_id,
            category: f.category,
            channel: f.channel,
            duplicate_group_id: f.duplicate_group_id,
            text: f.q,
            viewpoint_id: f.viewpoint_id,
            unassigned: f.unassigned.unwrap_or(false),
        }
    }
}
