//! The shape of the demo district's content: what each decision is, where it stands in its
//! life cycle (in days relative to the moment of loading) and which comments it received.
//! The content itself is in `content_*.rs`; `district.rs` writes it.

use crate::comments::model::{Category, Channel, HiddenReason};

/// Where a demo decision stands, in whole days from today (China time). Windows open at
/// 09:00 and close at 17:00 China time on those days.
pub enum Stage {
    /// Listed in the yearly catalogue; no draft written yet.
    Planned,
    /// A draft version that is not published.
    Draft,
    /// Published; the window opens later.
    Scheduled { opens_in: i64, closes_in: i64 },
    /// The window is open now.
    Open {
        opened_ago: i64,
        closes_in: i64,
        /// The public reason of a window shorter than 30 days.
        short_reason: Option<&'static str>,
        /// Extended: the window first closed `closes_in` of this many days, with this public note.
        extended_from: Option<(i64, &'static str)>,
        anonymous_allowed: bool,
        pre_moderation: bool,
    },
    /// The window closed; the feedback report is due.
    Closed { opened_ago: i64, closed_ago: i64 },
    /// The window closed, a revised version became the final text, and the outcome is public.
    Decided { opened_ago: i64, closed_ago: i64, decided_ago: i64, outcome: &'static DemoOutcome },
    /// Withdrawn during its consultation, with the public reason.
    Withdrawn { opened_ago: i64, closes_in: i64, withdrawn_ago: i64, reason: &'static str },
}

pub struct DemoOutcome {
    /// The final text (version 2) and the note on what changed.
    pub final_draft: &'static str,
    pub final_note: &'static str,
    /// 政策解读.
    pub interpretation: &'static str,
    /// (title, url)
    pub links: &'static [(&'static str, &'static str)],
}

/// One decision of the demo district.
pub struct DemoDecision {
    pub title: &'static str,
    pub agency: &'static str,
    /// A policy area code (see `POLICY_AREAS`).
    pub area: &'static str,
    pub summary: &'static str,
    pub basis: &'static str,
    pub explanation: &'static str,
    /// The draft under consultation (version 1), split by its own headings. Empty when `Planned`.
    pub draft: &'static str,
    /// `{year}` stands for the catalogue year.
    pub planned_timing: Option<&'static str>,
    pub stage: Stage,
    pub comments: DemoComments,
    /// File names of attachments (small PDFs made by the loader).
    pub attachments: &'static [&'static str],
}

/// The comments a decision received. Ordinary comments are composed of two `points` each
/// (never the same pair twice, so they are not near-duplicates of one another), opened by one
/// of the shared self-descriptions.
pub struct DemoComments {
    /// (label of the section it is about, or "" for the whole draft; the point)
    pub points: &'static [(&'static str, &'static str)],
    /// How many ordinary comments to compose from the points.
    pub ordinary: usize,
    /// Of the ordinary comments, every n-th one is later withdrawn by its author (0: none).
    pub withdraw_every: usize,
    /// Pre-moderated consultations: of the ordinary comments, how many were already published
    /// (the rest wait in the staff inbox).
    pub published_first: usize,
    pub campaign: Option<Campaign>,
    pub hidden: &'static [Hidden],
    pub offline: &'static [Offline],
}

impl DemoComments {
    pub const NONE: DemoComments = DemoComments {
        points: &[],
        ordinary: 0,
        withdraw_every: 0,
        published_first: usize::MAX,
        campaign: None,
        hidden: &[],
        offline: &[],
    };
}

/// Near-identical comments sent by many people (a 联名 campaign): they form a duplicate group.
pub struct Campaign {
    pub section: &'static str,
    pub variants: &'static [&'static str],
    pub copies: usize,
    /// Of the copies, this many were hidden as duplicates (sent again by the same person).
    pub hidden_as_duplicates: usize,
}

/// A comment hidden by moderation, with its public reason and the internal note.
pub struct Hidden {
    pub reason: HiddenReason,
    pub body: &'static str,
    pub note: &'static str,
}

/// A comment received offline and entered by staff.
pub struct Offline {
    pub channel: Channel,
    pub category: Category,
    pub display_name: &'static str,
    pub section: &'static str,
    pub body: &'static str,
}
