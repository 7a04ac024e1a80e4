//! The wire shapes of adoption feedback.

use chrono::{DateTime, NaiveDate, Utc};
use poem_openapi::Object;
use uuid::Uuid;

use super::model::{Disposition, Satisfaction, Timeliness};
use super::report;
use super::views;
use crate::comments::dto::InboxFilterDto;

#[derive(Object)]
pub struct NewViewpoint {
    #[oai(validator(max_length = 400))]
    pub title: String,
    #[oai(validator(max_length = 8000))]
    pub summary: Option<String>,
}

#[derive(Object)]
pub struct DispositionRequest {
    pub disposition: Disposition,
    /// Required for `partly_adopted` and `not_adopted`; public once the report is published.
    #[oai(validator(max_length = 8000))]
    pub reason: Option<String>,
    /// A public reply to the people who made the point.
    #[oai(validator(max_length = 8000))]
    pub reply: Option<String>,
}

#[derive(Object)]
pub struct MergeRequest {
    /// The viewpoint that receives the comments; the merged one is removed.
    pub into: Uuid,
}

#[derive(Object)]
pub struct AssignmentRequest {
    /// The viewpoint to put the comments under; absent or null takes them out of any.
    pub viewpoint_id: Option<Uuid>,
    /// The comments to assign…
    #[oai(validator(max_items = 5000))]
    pub comment_ids: Option<Vec<Uuid>>,
    /// …or every comment this inbox filter matches (a duplicate group, for instance), at
    /// most 5,000.
    pub filter: Option<InboxFilterDto>,
}

#[derive(Object)]
pub struct AssignmentResult {
    /// Comments whose viewpoint changed.
    pub changed: u64,
}

#[derive(Object)]
pub struct ReportRequest {
    /// The report's introduction: how the consultation ran, what happens next.
    #[oai(validator(max_length = 20000))]
    pub introduction: Option<String>,
    /// What a correction changes (required from the second version on).
    #[oai(validator(max_length = 8000))]
    pub note: Option<String>,
}

#[derive(Object)]
pub struct RatingRequest {
    pub satisfaction: Satisfaction,
    /// Seen by the agency only.
    #[oai(validator(max_length = 2000))]
    pub remark: Option<String>,
}

#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Viewpoint {
    pub id: Uuid,
    pub decision_id: Uuid,
    pub title: String,
    pub summary: String,
    pub disposition: Option<Disposition>,
    pub reason: Option<String>,
    pub reply: Option<String>,
    /// Comments under it (not withdrawn or hidden).
    pub comments: u64,
    pub updated_at: DateTime<Utc>,
}

impl From<views::Viewpoint> for Viewpoint {
    fn from(v: views::Viewpoint) -> Self {
        Viewpoint {
            id: v.id,
            decision_id: v.decision_id,
            title: v.title,
            summary: v.summary,
            disposition: v.disposition,
            reason: v.reason,
            reply: v.reply,
            comments: v.comments,
            updated_at: v.updated_at,
        }
    }
}

/// Comments by disposition (a comment's own, else its viewpoint's).
#[derive(Object, Clone)]
pub struct DispositionTally {
    pub adopted: u64,
    pub partly_adopted: u64,
    pub not_adopted: u64,
    pub not_applicable: u64,
    /// Neither the comment nor its viewpoint has a disposition.
    pub undecided: u64,
}

impl From<report::Tally> for DispositionTally {
    fn from(t: report::Tally) -> Self {
        DispositionTally {
            adopted: t.adopted,
            partly_adopted: t.partly_adopted,
            not_adopted: t.not_adopted,
            not_applicable: t.not_applicable,
            undecided: t.undecided,
        }
    }
}

#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct FeedbackWorkbench {
    pub viewpoints: Vec<Viewpoint>,
    /// Comments under no viewpoint (not withdrawn or hidden).
    pub unassigned: u64,
    pub tally: DispositionTally,
    /// `YYYY-MM-DD` (China): when the report is due.
    pub due_on: Option<NaiveDate>,
    /// The latest published version (0: none yet).
    pub published_version: i32,
}

impl From<views::Workbench> for FeedbackWorkbench {
    fn from(w: views::Workbench) -> Self {
        FeedbackWorkbench {
            viewpoints: w.viewpoints.into_iter().map(Into::into).collect(),
            unassigned: w.unassigned,
            tally: w.tally.into(),
            due_on: w.due_on,
            published_version: w.published_version,
        }
    }
}

#[derive(Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct ReportCount {
    pub key: String,
    pub label: Option<String>,
    pub count: u64,
}

#[derive(Object, Clone)]
pub struct ReportTotals {
    /// Comments received (not withdrawn), hidden ones included.
    pub received: u64,
    pub hidden: u64,
    /// Comments considered (received, not hidden); dispositions are counted over these.
    pub comments: u64,
    /// Distinct people: an account, else a contact address, else each anonymous comment.
    pub participants: u64,
    pub by_channel: Vec<ReportCount>,
    pub by_category: Vec<ReportCount>,
    pub by_section: Vec<ReportCount>,
    pub duplicate_groups: u64,
    pub comments_in_groups: u64,
    /// Comments under no viewpoint.
    pub unassigned: u64,
}

#[derive(Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct ReportViewpoint {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub comments: u64,
    /// Absent in a preview while undecided.
    pub disposition: Option<Disposition>,
    pub reason: Option<String>,
    pub reply: Option<String>,
}

/// A feedback report's content: exactly what its hash is over.
#[derive(Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct FeedbackReportContent {
    pub decision_id: String,
    pub decision_title: String,
    pub agency_name: String,
    pub version: i32,
    /// RFC 3339, UTC (in a preview: now).
    pub published_at: String,
    pub previous_hash: Option<String>,
    pub note: Option<String>,
    pub introduction: String,
    pub totals: ReportTotals,
    pub tally: DispositionTally,
    pub viewpoints: Vec<ReportViewpoint>,
}

fn counts(items: Vec<report::Count>) -> Vec<ReportCount> {
    items.into_iter().map(|c| ReportCount { key: c.key, label: c.label, count: c.count }).collect()
}

impl From<report::ReportContent> for FeedbackReportContent {
    fn from(c: report::ReportContent) -> Self {
        let t = c.totals;
        FeedbackReportContent {
            decision_id: c.decision_id,
            decision_title: c.decision_title,
            agency_name: c.agency_name,
            version: c.version,
            published_at: c.published_at,
            previous_hash: c.previous_hash,
            note: c.note,
            introduction: c.introduction,
            totals: ReportTotals {
                received: t.received,
                hidden: t.hidden,
                comments: t.comments,
                participants: t.participants,
                by_channel: counts(t.by_channel),
                by_category: counts(t.by_category),
                by_section: counts(t.by_section),
                duplicate_groups: t.duplicate_groups,
                comments_in_groups: t.comments_in_groups,
                unassigned: t.unassigned,
            },
            tally: c.tally.into(),
            viewpoints: c
                .viewpoints
                .into_iter()
                .map(|v| ReportViewpoint {
                    id: v.id,
                    title: v.title,
                    summary: v.summary,
                    comments: v.comments,
                    disposition: Disposition::parse(&v.disposition),
                    reason: v.reason,
                    reply: v.reply,
                })
                .collect(),
        }
    }
}

#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct FeedbackReport {
    pub version: i32,
    /// SHA-256 (hex) of the canonical text (`…/canonical`).
    pub hash: String,
    pub previous_hash: Option<String>,
    /// What this correction changed.
    pub note: Option<String>,
    pub published_at: DateTime<Utc>,
    pub content: FeedbackReportContent,
}

impl From<views::ReportVersion> for FeedbackReport {
    fn from(v: views::ReportVersion) -> Self {
        FeedbackReport {
            version: v.version,
            hash: v.hash,
            previous_hash: v.previous_hash,
            note: v.note,
            published_at: v.published_at,
            content: v.content.into(),
        }
    }
}

#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct FeedbackReportHistory {
    /// Every published version, oldest first; the last is current.
    pub versions: Vec<FeedbackReport>,
    /// `YYYY-MM-DD` (China): when the first version was due.
    pub due_on: Option<NaiveDate>,
}

impl From<views::ReportHistory> for FeedbackReportHistory {
    fn from(h: views::ReportHistory) -> Self {
        FeedbackReportHistory { versions: h.versions.into_iter().map(Into::into).collect(), due_on: h.due_on }
    }
}

#[derive(Object)]
pub struct VersionCheck {
    pub version: i32,
    pub stored_hash: String,
    pub computed_hash: String,
    /// The canonical text hashes to the stored hash.
    pub hash_matches: bool,
    /// The text names the previous version's hash and its own number, in canonical form.
    pub chain_matches: bool,
}

#[derive(Object)]
pub struct FeedbackVerification {
    /// Every version's hash and link check out.
    pub valid: bool,
    pub versions: Vec<VersionCheck>,
    /// How to check it yourself.
    pub how_to_verify: String,
}

impl From<views::Verification> for FeedbackVerification {
    fn from(v: views::Verification) -> Self {
        FeedbackVerification {
            valid: v.valid,
            versions: v
                .checks
                .into_iter()
                .map(|c| VersionCheck {
                    version: c.version,
                    stored_hash: c.stored_hash,
                    computed_hash: c.computed_hash,
                    hash_matches: c.hash_matches,
                    chain_matches: c.chain_matches,
                })
                .collect(),
            how_to_verify: "Download each version's canonical text (GET /api/v1/decisions/{id}/feedback-reports/{version}/canonical) \
                and run `sha256sum` on it: the result is the version's hash. Each version's text contains the previous version's \
                hash as \"previous_hash\", so no earlier version can change without breaking the later ones."
                .into(),
        }
    }
}

/// What became of a comment, for its submitter.
#[derive(Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct CommentAnswer {
    pub disposition: Option<Disposition>,
    pub reason: Option<String>,
    pub reply: Option<String>,
    /// The main viewpoint it was counted under.
    pub viewpoint_title: Option<String>,
    pub satisfaction: Option<Satisfaction>,
    /// The submitter has not rated the answer yet.
    pub can_rate: bool,
}

impl From<views::CommentAnswer> for CommentAnswer {
    fn from(a: views::CommentAnswer) -> Self {
        CommentAnswer {
            disposition: a.disposition,
            reason: a.reason,
            reply: a.reply,
            viewpoint_title: a.viewpoint_title,
            satisfaction: a.satisfaction,
            can_rate: a.can_rate,
        }
    }
}

#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct FeedbackDeadline {
    pub decision_id: Uuid,
    pub title: String,
    pub agency_id: Uuid,
    pub closed_at: DateTime<Utc>,
    /// `YYYY-MM-DD` (China).
    pub due_on: NaiveDate,
    pub timeliness: Timeliness,
    pub published_at: Option<DateTime<Utc>>,
}

impl From<views::Deadline> for FeedbackDeadline {
    fn from(d: views::Deadline) -> Self {
        FeedbackDeadline {
            decision_id: d.decision_id,
            title: d.title,
            agency_id: d.agency_id,
            closed_at: d.closed_at,
            due_on: d.due_on,
            timeliness: d.timeliness,
            published_at: d.published_at,
        }
    }
}

#[derive(Object)]
pub struct FeedbackDeadlines {
    pub items: Vec<FeedbackDeadline>,
}
