//! The shapes of comments on the wire.

use chrono::{DateTime, Utc};
use poem_openapi::{Enum, Object};
use uuid::Uuid;

use crate::http::pagination::PageMeta;

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[oai(rename_all = "snake_case")]
pub enum CategoryDto {
    /// 个人
    Individual,
    /// 企业
    Company,
    /// 社会组织
    Organisation,
    /// 专家
    Expert,
    /// 其他
    Other,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[oai(rename_all = "snake_case")]
pub enum ChannelDto {
    /// 网上提交
    Online,
    /// 信函
    Letter,
    /// 电子邮件
    Email,
    /// 座谈会
    Symposium,
    /// 听证会
    Hearing,
    /// 问卷调查
    Survey,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[oai(rename_all = "snake_case")]
pub enum CommentStatusDto {
    /// Waiting for moderation (pre-moderated consultations).
    Received,
    Published,
    /// Hidden by moderation; the reason is public.
    Hidden,
    Withdrawn,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[oai(rename_all = "snake_case")]
pub enum HiddenReasonDto {
    /// 广告或无关推广
    Spam,
    /// 辱骂、攻击
    Abusive,
    /// 含个人信息
    PersonalData,
    /// 与本事项无关
    OffTopic,
    /// 重复提交
    Duplicate,
}

/// A new comment.
#[derive(Object)]
pub struct SubmitCommentRequest {
    /// 1 to 5,000 characters.
    #[oai(validator(max_length = 20000))]
    pub body: String,
    /// The article commented on; absent for the whole draft.
    pub section_id: Option<Uuid>,
    pub category: CategoryDto,
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
    pub category: CategoryDto,
    pub channel: ChannelDto,
    pub display_name: Option<String>,
    pub status: CommentStatusDto,
    /// Why it was hidden, when it was.
    pub hidden_reason: Option<HiddenReasonDto>,
    /// While the consultation is open.
    pub can_withdraw: bool,
    pub created_at: DateTime<Utc>,
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
    pub category: CategoryDto,
    pub channel: ChannelDto,
    /// The name given, or absent for an anonymous comment.
    pub display_name: Option<String>,
    /// `YYYY-MM-DD` (China time).
    pub received_on: String,
    pub duplicate_group_id: Option<Uuid>,
}

#[derive(Object)]
pub struct PublicCommentList {
    /// False when the consultation does not show comments publicly (counts still are).
    pub comments_public: bool,
    pub items: Vec<PublicComment>,
    pub meta: PageMeta,
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
    pub category: CategoryDto,
    pub channel: ChannelDto,
    pub display_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub signed_in: bool,
    pub status: CommentStatusDto,
    pub hidden_reason: Option<HiddenReasonDto>,
    /// Internal; never shown publicly.
    pub moderation_note: Option<String>,
    pub duplicate_group_id: Option<Uuid>,
    pub received_on: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Object)]
pub struct StaffCommentList {
    pub items: Vec<StaffComment>,
    pub meta: PageMeta,
}

/// Which comments a moderation action applies to: listed ids, or everything a filter matches.
#[derive(Object, Default, Clone)]
pub struct InboxFilterDto {
    pub status: Option<CommentStatusDto>,
    pub section_id: Option<Uuid>,
    pub category: Option<CategoryDto>,
    pub channel: Option<ChannelDto>,
    pub duplicate_group_id: Option<Uuid>,
    #[oai(validator(max_length = 200))]
    pub q: Option<String>,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[oai(rename_all = "snake_case")]
pub enum ModerationActionDto {
    Publish,
    Hide,
}

#[derive(Object)]
pub struct ModerationRequest {
    pub action: ModerationActionDto,
    /// Required to hide; shown publicly as a count and to the submitter.
    pub reason: Option<HiddenReasonDto>,
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
    pub channel: ChannelDto,
    /// `YYYY-MM-DD`, not in the future.
    #[oai(validator(max_length = 40))]
    pub received_on: String,
    pub section_id: Option<Uuid>,
    pub category: CategoryDto,
    #[oai(validator(max_length = 200))]
    pub display_name: Option<String>,
    #[oai(validator(max_length = 100))]
    pub contact_phone: Option<String>,
    #[oai(validator(max_length = 300))]
    pub contact_email: Option<String>,
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
