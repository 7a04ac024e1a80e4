//! The shapes of decisions on the wire.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use uuid::Uuid;

use super::diff::{TextOp, TextOpKind};
use super::model::{DecisionStatus, DecisionStep, Link, Moderation};
use super::splitter::{ParsedSection, SectionKind};
use super::views::{self, SectionChangeKind};
use crate::http::pagination::PageMeta;

/// A decision in a list.
#[derive(Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct DecisionSummary {
    pub id: Uuid,
    pub title: String,
    pub summary: String,
    pub agency_id: Uuid,
    pub agency_name: String,
    pub policy_area_id: Uuid,
    pub status: DecisionStatus,
    pub catalogue_year: i32,
    /// When the draft was first made public.
    pub published_at: Option<DateTime<Utc>>,
    pub window_opens_at: Option<DateTime<Utc>>,
    pub window_closes_at: Option<DateTime<Utc>>,
}

#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct DecisionList {
    pub items: Vec<DecisionSummary>,
    pub meta: PageMeta,
}

/// A change of a consultation's closing time, with its public note.
#[derive(Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct Extension {
    pub previous_closes_at: DateTime<Utc>,
    pub new_closes_at: DateTime<Utc>,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

/// The consultation window and its rules.
#[derive(Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct Consultation {
    /// The draft version under consultation.
    pub version: i32,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// The closing time first announced (before any extension).
    pub original_closes_at: DateTime<Utc>,
    /// Full days from opening to closing.
    pub length_days: i64,
    /// Why the window is shorter than 30 days (published when it is).
    pub short_window_reason: Option<String>,
    /// Comments without signing in are accepted.
    pub anonymous_allowed: bool,
    /// Published comments are shown to the public.
    pub comments_public: bool,
    pub moderation: Moderation,
    pub extensions: Vec<Extension>,
}

/// A link in an interpretation (解读).
#[derive(Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct LinkDto {
    #[oai(validator(max_length = 400))]
    pub title: String,
    #[oai(validator(max_length = 2000))]
    pub url: String,
}

/// What was decided.
#[derive(Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct DecisionOutcome {
    /// `YYYY-MM-DD`
    pub decided_on: String,
    pub final_version: i32,
    /// 政策解读
    pub interpretation: String,
    pub links: Vec<LinkDto>,
}

/// A draft version in a list.
#[derive(Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct VersionSummary {
    pub number: i32,
    /// What changed in this version.
    pub note: String,
    pub section_count: i32,
    /// Public (consulted on, or the final text).
    pub published: bool,
    pub created_at: DateTime<Utc>,
}

/// A decision with everything the public (or its agency) may know of it.
#[derive(Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct Decision {
    pub id: Uuid,
    pub title: String,
    pub summary: String,
    /// 决策依据
    pub basis: String,
    /// 起草说明
    pub explanation: String,
    pub agency_id: Uuid,
    pub agency_name: String,
    pub policy_area_id: Uuid,
    pub catalogue_year: i32,
    pub planned_timing: Option<String>,
    pub listed_in_catalogue: bool,
    pub status: DecisionStatus,
    pub published_at: Option<DateTime<Utc>>,
    pub consultation: Option<Consultation>,
    pub versions: Vec<VersionSummary>,
    pub withdrawn_reason: Option<String>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub outcome: Option<DecisionOutcome>,
    /// What the signed-in staff member may do next (empty for everyone else).
    pub allowed_steps: Vec<DecisionStep>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The fields staff write (all of them, each time).
#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct DecisionFieldsDto {
    /// Only the platform admin chooses; staff create decisions of their own agency.
    pub agency_id: Option<Uuid>,
    pub policy_area_id: Uuid,
    #[oai(validator(max_length = 1000))]
    pub title: String,
    #[oai(default, validator(max_length = 10000))]
    pub summary: String,
    /// 决策依据
    #[oai(default, validator(max_length = 100000))]
    pub basis: String,
    /// 起草说明
    #[oai(default, validator(max_length = 200000))]
    pub explanation: String,
    #[oai(validator(minimum(value = "1900"), maximum(value = "2200")))]
    pub catalogue_year: i32,
    /// e.g. 2026年第三季度
    #[oai(validator(max_length = 200))]
    pub planned_timing: Option<String>,
    /// List it in the public yearly catalogue before its draft is published.
    #[oai(default)]
    pub listed_in_catalogue: bool,
}

/// One section as entered.
#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SectionInputDto {
    pub kind: SectionKind,
    /// e.g. 第三条
    #[oai(default, validator(max_length = 100))]
    pub label: String,
    #[oai(default, validator(max_length = 1000))]
    pub heading: String,
    #[oai(default, validator(max_length = 100000))]
    pub text: String,
}

/// A new draft version: either the plain text to split, or structured sections.
#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct NewVersionRequest {
    /// The draft's plain text; split by its own headings (第一章…, 第一条…, 一、…, （一）…).
    #[oai(validator(max_length = 400000))]
    pub text: Option<String>,
    /// At most 3,000 (the most a draft may have).
    #[oai(validator(max_items = 3000))]
    pub sections: Option<Vec<SectionInputDto>>,
    /// What changed compared with the previous version.
    #[oai(default, validator(max_length = 5000))]
    pub note: String,
}

/// A section of a draft version. Its id is stable: comments point at it.
#[derive(Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct Section {
    pub id: Uuid,
    pub position: i32,
    pub kind: SectionKind,
    pub number: Option<i32>,
    /// e.g. 第三条
    pub label: String,
    pub heading: String,
    pub text: String,
    pub parent_id: Option<Uuid>,
    /// Path of labels, e.g. `第二章/第五条`.
    pub key: String,
}

#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Version {
    pub number: i32,
    pub note: String,
    pub published: bool,
    pub created_at: DateTime<Utc>,
    pub sections: Vec<Section>,
}

#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct VersionList {
    pub items: Vec<VersionSummary>,
}

/// The text to split, for a preview before saving.
#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SplitRequest {
    #[oai(validator(max_length = 400000))]
    pub text: String,
}

/// A section as the splitter found it (not yet saved).
#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SplitSection {
    pub kind: SectionKind,
    pub number: Option<i32>,
    pub label: String,
    pub heading: String,
    pub text: String,
    /// Index of the parent in this list.
    pub parent: Option<i32>,
    pub key: String,
}

#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SplitPreview {
    pub sections: Vec<SplitSection>,
}

#[derive(Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct TextOpDto {
    pub op: TextOpKind,
    pub text: String,
}

/// How one section differs between two versions.
#[derive(Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct SectionChange {
    /// The section's key in the newer version (or in the older one, if removed).
    pub key: String,
    /// Its key in the older version (differs from `to_key` when renumbered).
    pub from_key: Option<String>,
    pub to_key: Option<String>,
    pub change: SectionChangeKind,
    pub from_section_id: Option<Uuid>,
    pub to_section_id: Option<Uuid>,
    /// Character-level difference of heading and text.
    pub text_diff: Vec<TextOpDto>,
}

#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct VersionDiff {
    pub from: i32,
    pub to: i32,
    pub added: u32,
    pub removed: u32,
    pub changed: u32,
    pub unchanged: u32,
    pub changes: Vec<SectionChange>,
}

#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct OpenConsultationRequest {
    /// The version to consult on (default: the latest).
    pub version: Option<i32>,
    /// Default: now. A later time schedules the consultation.
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: DateTime<Utc>,
    /// Required when the window is shorter than 30 days; published.
    #[oai(validator(max_length = 2000))]
    pub short_window_reason: Option<String>,
    #[oai(default = "default_true")]
    pub anonymous_allowed: bool,
    #[oai(default = "default_true")]
    pub comments_public: bool,
    #[oai(default)]
    pub pre_moderation: bool,
}

fn default_true() -> bool {
    true
}

#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ExtendRequest {
    pub closes_at: DateTime<Utc>,
    /// Why; published.
    #[oai(validator(max_length = 2000))]
    pub note: String,
}

#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct WithdrawRequest {
    /// Why; published.
    #[oai(validator(max_length = 8000))]
    pub reason: String,
}

#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct OutcomeRequest {
    /// `YYYY-MM-DD`
    #[oai(validator(max_length = 40))]
    pub decided_on: String,
    /// Default: the latest version.
    pub final_version: Option<i32>,
    #[oai(validator(max_length = 200000))]
    pub interpretation: String,
    #[oai(default, validator(max_items = 50))]
    pub links: Vec<LinkDto>,
}

/// An entry of the yearly catalogue of major decisions (重大决策事项目录).
#[derive(Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct CatalogueEntry {
    pub id: Uuid,
    pub title: String,
    pub agency_id: Uuid,
    pub agency_name: String,
    pub policy_area_id: Uuid,
    pub planned_timing: Option<String>,
    /// `draft` here means planned: listed, its draft not yet published.
    pub status: DecisionStatus,
    /// Whether the decision page is public.
    pub published: bool,
}

#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Catalogue {
    pub year: i32,
    pub items: Vec<CatalogueEntry>,
}

/// One recorded action.
#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AuditEntry {
    pub id: Uuid,
    /// Absent when the system acted (e.g. a window closing on its own).
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub details: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AuditLog {
    pub items: Vec<AuditEntry>,
}

// From the read models to the wire.

impl From<views::DecisionSummary> for DecisionSummary {
    fn from(d: views::DecisionSummary) -> Self {
        DecisionSummary {
            id: d.id,
            title: d.title,
            summary: d.summary,
            agency_id: d.agency_id,
            agency_name: d.agency_name,
            policy_area_id: d.policy_area_id,
            status: d.status,
            catalogue_year: d.catalogue_year,
            published_at: d.published_at,
            window_opens_at: d.window_opens_at,
            window_closes_at: d.window_closes_at,
        }
    }
}

impl From<views::VersionSummary> for VersionSummary {
    fn from(v: views::VersionSummary) -> Self {
        VersionSummary {
            number: v.number,
            note: v.note,
            section_count: v.section_count,
            published: v.published,
            created_at: v.created_at,
        }
    }
}

impl From<views::Extension> for Extension {
    fn from(e: views::Extension) -> Self {
        Extension {
            previous_closes_at: e.previous_closes_at,
            new_closes_at: e.new_closes_at,
            note: e.note,
            created_at: e.created_at,
        }
    }
}

impl From<views::Consultation> for Consultation {
    fn from(c: views::Consultation) -> Self {
        Consultation {
            version: c.version,
            opens_at: c.opens_at,
            closes_at: c.closes_at,
            original_closes_at: c.original_closes_at,
            length_days: c.length_days,
            short_window_reason: c.short_window_reason,
            anonymous_allowed: c.anonymous_allowed,
            comments_public: c.comments_public,
            moderation: c.moderation,
            extensions: c.extensions.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<Link> for LinkDto {
    fn from(l: Link) -> Self {
        LinkDto { title: l.title, url: l.url }
    }
}

impl From<LinkDto> for Link {
    fn from(l: LinkDto) -> Self {
        Link { title: l.title, url: l.url }
    }
}

impl From<views::DecisionOutcome> for DecisionOutcome {
    fn from(o: views::DecisionOutcome) -> Self {
        DecisionOutcome {
            decided_on: o.decided_on,
            final_version: o.final_version,
            interpretation: o.interpretation,
            links: o.links.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<views::Decision> for Decision {
    fn from(d: views::Decision) -> Self {
        Decision {
            id: d.id,
            title: d.title,
            summary: d.summary,
            basis: d.basis,
            explanation: d.explanation,
            agency_id: d.agency_id,
            agency_name: d.agency_name,
            policy_area_id: d.policy_area_id,
            catalogue_year: d.catalogue_year,
            planned_timing: d.planned_timing,
            listed_in_catalogue: d.listed_in_catalogue,
            status: d.status,
            published_at: d.published_at,
            consultation: d.consultation.map(Into::into),
            versions: d.versions.into_iter().map(Into::into).collect(),
            withdrawn_reason: d.withdrawn_reason,
            withdrawn_at: d.withdrawn_at,
            outcome: d.outcome.map(Into::into),
            allowed_steps: d.allowed_steps,
            created_at: d.created_at,
            updated_at: d.updated_at,
        }
    }
}

impl From<views::Section> for Section {
    fn from(s: views::Section) -> Self {
        Section {
            id: s.id,
            position: s.position,
            kind: s.kind,
            number: s.number,
            label: s.label,
            heading: s.heading,
            text: s.text,
            parent_id: s.parent_id,
            key: s.key,
        }
    }
}

impl From<views::Version> for Version {
    fn from(v: views::Version) -> Self {
        Version {
            number: v.number,
            note: v.note,
            published: v.published,
            created_at: v.created_at,
            sections: v.sections.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<ParsedSection> for SplitSection {
    fn from(s: ParsedSection) -> Self {
        SplitSection {
            kind: s.kind,
            number: s.number.map(|n| n as i32),
            label: s.label,
            heading: s.heading,
            text: s.text,
            parent: s.parent.map(|p| p as i32),
            key: s.key,
        }
    }
}

impl From<TextOp> for TextOpDto {
    fn from(t: TextOp) -> Self {
        TextOpDto { op: t.op, text: t.text }
    }
}

impl From<views::SectionChange> for SectionChange {
    fn from(c: views::SectionChange) -> Self {
        SectionChange {
            key: c.key,
            from_key: c.from_key,
            to_key: c.to_key,
            change: c.change,
            from_section_id: c.from_section_id,
            to_section_id: c.to_section_id,
            text_diff: c.text_diff.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<views::VersionDiff> for VersionDiff {
    fn from(d: views::VersionDiff) -> Self {
        VersionDiff {
            from: d.from,
            to: d.to,
            added: d.added,
            removed: d.removed,
            changed: d.changed,
            unchanged: d.unchanged,
            changes: d.changes.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<views::CatalogueEntry> for CatalogueEntry {
    fn from(e: views::CatalogueEntry) -> Self {
        CatalogueEntry {
            id: e.id,
            title: e.title,
            agency_id: e.agency_id,
            agency_name: e.agency_name,
            policy_area_id: e.policy_area_id,
            planned_timing: e.planned_timing,
            status: e.status,
            published: e.published,
        }
    }
}

impl From<views::AuditEntry> for AuditEntry {
    fn from(e: views::AuditEntry) -> Self {
        AuditEntry { id: e.id, actor_id: e.actor_id, action: e.action, details: e.details, created_at: e.created_at }
    }
}

/// A file attached to a decision.
#[derive(Object, Clone)]
pub struct AttachmentInfo {
    pub id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

impl From<views::Attachment> for AttachmentInfo {
    fn from(a: views::Attachment) -> Self {
        AttachmentInfo {
            id: a.id,
            file_name: a.file_name,
            content_type: a.content_type,
            size_bytes: a.size_bytes,
            sha256: a.sha256,
            created_at: a.created_at,
        }
    }
}

#[derive(Object)]
pub struct AttachmentList {
    pub items: Vec<AttachmentInfo>,
}
