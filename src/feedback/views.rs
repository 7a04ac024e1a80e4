//! Read models of adoption feedback, built from stored rows.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::model::{Disposition, Satisfaction, Timeliness};
use super::report::{Check, ReportContent, Tally};
use crate::entities::viewpoints;

#[derive(Clone, Debug)]
pub struct Viewpoint {
    pub id: Uuid,
    pub decision_id: Uuid,
    pub title: String,
    pub summary: String,
    pub disposition: Option<Disposition>,
    pub reason: Option<String>,
    pub reply: Option<String>,
    /// Considered comments (not withdrawn or hidden) under it.
    pub comments: u64,
    pub updated_at: DateTime<Utc>,
}

pub fn viewpoint(v: viewpoints::Model, comments: u64) -> Viewpoint {
    Viewpoint {
        id: v.id,
        decision_id: v.decision_id,
        title: v.title,
        summary: v.summary,
        disposition: v.disposition,
        reason: v.reason,
        reply: v.reply,
        comments,
        updated_at: v.updated_at,
    }
}

/// The staff's view of a consultation's feedback work.
#[derive(Clone, Debug)]
pub struct Workbench {
    pub viewpoints: Vec<Viewpoint>,
    /// Considered comments under no viewpoint.
    pub unassigned: u64,
    pub tally: Tally,
    /// When the report is due (none while the window is open).
    pub due_on: Option<NaiveDate>,
    /// Published versions so far.
    pub published_version: i32,
}

#[derive(Clone, Debug)]
pub struct ReportVersion {
    pub version: i32,
    pub hash: String,
    pub previous_hash: Option<String>,
    pub note: Option<String>,
    pub published_at: DateTime<Utc>,
    pub content: ReportContent,
}

#[derive(Clone, Debug)]
pub struct ReportHistory {
    pub versions: Vec<ReportVersion>,
    pub due_on: Option<NaiveDate>,
}

#[derive(Clone, Debug)]
pub struct Verification {
    pub valid: bool,
    pub checks: Vec<Check>,
}

/// What became of one comment, for its submitter (after a report is published).
#[derive(Clone, Debug)]
pub struct CommentAnswer {
    pub disposition: Option<Disposition>,
    pub reason: Option<String>,
    pub reply: Option<String>,
    pub viewpoint_title: Option<String>,
    pub satisfaction: Option<Satisfaction>,
    /// Not rated yet.
    pub can_rate: bool,
}

/// A consultation whose report is due, late or missing.
#[derive(Clone, Debug)]
pub struct Deadline {
    pub decision_id: Uuid,
    pub title: String,
    pub agency_id: Uuid,
    pub closed_at: DateTime<Utc>,
    pub due_on: NaiveDate,
    pub timeliness: Timeliness,
    pub published_at: Option<DateTime<Utc>>,
}
