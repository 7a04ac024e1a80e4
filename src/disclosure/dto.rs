//! The wire shapes of the disclosure catalogue.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use uuid::Uuid;

use super::model::{Attribute, Audience, ChangeKind, Level, ReportKind, ReportStatus};
use crate::http::pagination::PageMeta;

/// A catalogue item (公开事项标准) as everyone sees it.
#[derive(Object, Clone, Debug, PartialEq, Eq)]
#[oai(skip_serializing_if_is_none)]
pub struct DisclosureItem {
    pub id: Uuid,
    /// The agency whose catalogue this is.
    pub agency_id: Uuid,
    pub agency_name: String,
    pub policy_area_id: Uuid,
    pub policy_area_name: String,
    /// 一级事项.
    pub item: String,
    /// 二级事项 (empty when there is none).
    pub sub_item: String,
    /// 公开依据: laws and regulations.
    pub basis: String,
    /// 公开内容（要素）.
    pub content: String,
    /// 责任主体.
    pub responsible_body: String,
    /// 公开时限 as written.
    pub time_limit: String,
    /// The time limit in days, where the text gives one.
    pub time_limit_days: Option<i32>,
    /// Whether those days are working days.
    pub time_limit_working_days: bool,
    /// 公开渠道, from the platform's list.
    pub channels: Vec<String>,
    pub attribute: Attribute,
    pub audience: Audience,
    pub level: Level,
    /// Public reports not answered yet.
    pub open_reports: i32,
    /// Public reports the agency answered.
    pub answered_reports: i32,
    /// Moves by one with every change; send it back to change the item.
    pub version: i32,
    /// Set once the agency removed the item (only its staff see removed items).
    pub removed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The last change.
    pub updated_at: DateTime<Utc>,
}

#[derive(Object, Clone, Debug, PartialEq, Eq)]
pub struct DisclosureItemPage {
    pub items: Vec<DisclosureItem>,
    pub meta: PageMeta,
}

/// An item as staff write it.
#[derive(Object, Clone, Debug)]
pub struct DisclosureItemInput {
    /// The agency whose catalogue it joins (the platform admin names one; staff default to
    /// their own). Ignored when changing an item.
    pub agency_id: Option<Uuid>,
    pub policy_area_id: Option<Uuid>,
    #[oai(validator(max_length = 2000))]
    pub item: Option<String>,
    #[oai(validator(max_length = 2000))]
    pub sub_item: Option<String>,
    #[oai(validator(max_length = 20000))]
    pub basis: Option<String>,
    #[oai(validator(max_length = 20000))]
    pub content: Option<String>,
    /// Blank: the agency's name.
    #[oai(validator(max_length = 2000))]
    pub responsible_body: Option<String>,
    #[oai(validator(max_length = 2000))]
    pub time_limit: Option<String>,
    #[oai(default, validator(max_items = 40))]
    pub channels: Vec<String>,
    pub attribute: Option<Attribute>,
    pub audience: Option<Audience>,
    pub level: Option<Level>,
    /// When changing: the `version` the change was made on (409 `item_changed` if it moved).
    pub expected_version: Option<i32>,
}

/// One field of one version.
#[derive(Object, Clone, Debug, PartialEq, Eq)]
pub struct FieldChangeView {
    /// The field's API name (`time_limit`, `channels`, …).
    pub field: String,
    pub before: String,
    pub after: String,
}

/// One version of an item: when, what kind of change, and field by field what changed.
#[derive(Object, Clone, Debug, PartialEq, Eq)]
#[oai(skip_serializing_if_is_none)]
pub struct ItemVersion {
    pub version: i32,
    pub kind: ChangeKind,
    pub changed_at: DateTime<Utc>,
    /// Who made it: shown to the agency's staff only.
    pub changed_by_name: Option<String>,
    pub changes: Vec<FieldChangeView>,
}

#[derive(Object, Clone, Debug, PartialEq, Eq)]
pub struct ItemHistory {
    pub item_id: Uuid,
    /// Newest first.
    pub versions: Vec<ItemVersion>,
}

/// A channel items can be published through.
#[derive(Object, Clone, Debug, PartialEq, Eq)]
pub struct DisclosureChannel {
    pub name: String,
}

#[derive(Object, Clone, Debug, PartialEq, Eq)]
pub struct DisclosureChannelList {
    pub items: Vec<DisclosureChannel>,
}

#[derive(Object, Clone, Debug)]
pub struct DisclosureChannelInput {
    #[oai(validator(max_length = 200))]
    pub name: String,
}

/// A report on an item, from anyone.
#[derive(Object, Clone, Debug)]
pub struct DisclosureReportInput {
    pub kind: ReportKind,
    #[oai(validator(max_length = 10000))]
    pub body: Option<String>,
    /// A phone or e-mail for the agency only; never shown publicly.
    #[oai(validator(max_length = 500))]
    pub contact: Option<String>,
}

/// A report as the public sees it (answered reports only, without the contact).
#[derive(Object, Clone, Debug, PartialEq, Eq)]
#[oai(skip_serializing_if_is_none)]
pub struct PublicDisclosureReport {
    pub id: Uuid,
    pub kind: ReportKind,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

#[derive(Object, Clone, Debug, PartialEq, Eq)]
pub struct PublicDisclosureReportList {
    pub open: i32,
    pub answered: i32,
    /// The answered reports, newest first.
    pub items: Vec<PublicDisclosureReport>,
}

/// A report as the responsible agency's staff see it.
#[derive(Object, Clone, Debug, PartialEq, Eq)]
#[oai(skip_serializing_if_is_none)]
pub struct DisclosureReport {
    pub id: Uuid,
    pub item_id: Uuid,
    /// The item's name (一级事项 / 二级事项).
    pub item_title: String,
    pub kind: ReportKind,
    pub body: String,
    pub contact: Option<String>,
    pub status: ReportStatus,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Object, Clone, Debug, PartialEq, Eq)]
pub struct DisclosureReportPage {
    pub items: Vec<DisclosureReport>,
    pub meta: PageMeta,
}

/// Received: the report's id; the public sees it once answered.
#[derive(Object, Clone, Debug, PartialEq, Eq)]
pub struct DisclosureReportReceipt {
    pub id: Uuid,
    pub status: ReportStatus,
}

#[derive(Object, Clone, Debug)]
pub struct DisclosureAnswerInput {
    #[oai(validator(max_length = 10000))]
    pub answer: Option<String>,
}

/// One policy area of one agency's catalogue.
#[derive(Object, Clone, Debug, PartialEq, Eq)]
#[oai(skip_serializing_if_is_none)]
pub struct CoverageArea {
    pub policy_area_id: Uuid,
    pub policy_area_name: String,
    pub items: u64,
    pub last_changed_at: Option<DateTime<Utc>>,
}

/// One agency: its catalogue's size, last change and areas; `flagged` when it has no items.
#[derive(Object, Clone, Debug, PartialEq, Eq)]
#[oai(skip_serializing_if_is_none)]
pub struct CoverageAgency {
    pub agency_id: Uuid,
    pub agency_name: String,
    pub items: u64,
    pub last_changed_at: Option<DateTime<Utc>>,
    pub flagged: bool,
    pub areas: Vec<CoverageArea>,
}

#[derive(Object, Clone, Debug, PartialEq, Eq)]
pub struct Coverage {
    /// Agencies without a catalogue first, then by name.
    pub agencies: Vec<CoverageAgency>,
    pub agencies_without_items: u64,
    pub items: u64,
}

/// What the import made of one row.
#[derive(Object, Clone, Debug, PartialEq, Eq)]
#[oai(skip_serializing_if_is_none)]
pub struct ImportRowIssue {
    /// The API field (`time_limit`, …).
    pub field: String,
    /// The file's column header for that field, when the file has one.
    pub column: Option<String>,
    pub code: String,
    pub message: String,
}

crate::vocabulary! {
    /// What became of a row.
    pub enum RowOutcome {
        /// A new item.
        Created = "created",
        /// An item already in the catalogue, changed.
        Changed = "changed",
        /// An item already in the catalogue as the row says.
        Unchanged = "unchanged",
        /// Refused; see its issues.
        Refused = "refused",
    }
}

#[derive(Object, Clone, Debug, PartialEq, Eq)]
pub struct ImportRow {
    /// The row's number in the file (the header is row 1).
    pub row: u64,
    /// 一级事项 / 二级事项 as the row gives them.
    pub title: String,
    pub outcome: RowOutcome,
    pub issues: Vec<ImportRowIssue>,
}

crate::vocabulary! {
    /// What an import writes.
    pub enum ImportMode {
        /// Nothing unless every row is accepted (the default).
        AllOrNothing = "all_or_nothing",
        /// The accepted rows; refused rows are reported and left out.
        ValidRows = "valid_rows",
    }
}

/// The per-row report of an import.
#[derive(Object, Clone, Debug, PartialEq, Eq)]
pub struct ImportReport {
    /// Whether anything was written (false for a preview or a refused all-or-nothing file).
    pub applied: bool,
    pub mode: ImportMode,
    /// How the file was read: `xlsx`, `utf-8` or `gb18030`.
    pub encoding: String,
    /// The file's columns understood, as `header → field`.
    pub columns: Vec<ImportColumn>,
    /// Columns not understood (ignored).
    pub unknown_columns: Vec<String>,
    pub rows_total: u64,
    pub created: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub refused: u64,
    pub rows: Vec<ImportRow>,
}

#[derive(Object, Clone, Debug, PartialEq, Eq)]
pub struct ImportColumn {
    pub header: String,
    pub field: String,
}
