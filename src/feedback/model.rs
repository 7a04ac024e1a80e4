//! The rules of adoption feedback: its vocabularies, what staff and submitters may write,
//! and when a report is due. No entities, DTOs or HTTP.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use crate::error::{AppError, FieldIssue, Issues};
use crate::kernel::fields::text;
use crate::kernel::time::day_in_china;
use crate::t;

crate::vocabulary! {
    /// What became of a viewpoint or a comment (采纳情况).
    pub enum Disposition {
        /// 采纳
        Adopted = "adopted",
        /// 部分采纳
        PartlyAdopted = "partly_adopted",
        /// 未采纳
        NotAdopted = "not_adopted",
        /// 不适用 — not a point on the draft (a question, a complaint about something else).
        NotApplicable = "not_applicable",
    }
}

crate::vocabulary! {
    /// How the submitter rates the answer to their comment.
    pub enum Satisfaction {
        /// 满意
        Satisfied = "satisfied",
        /// 基本满意
        BasicallySatisfied = "basically_satisfied",
        /// 不满意
        Dissatisfied = "dissatisfied",
    }
}

pub const MAX_TITLE_CHARS: usize = 100;
pub const MAX_TEXT_CHARS: usize = 2000;

/// A viewpoint's title and summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewpointText {
    pub title: String,
    pub summary: String,
}

impl ViewpointText {
    pub fn parse(title: &str, summary: Option<&str>) -> Result<Self, AppError> {
        let mut issues = Issues::default();
        let title = issues.take(text("title", Some(title), MAX_TITLE_CHARS)).flatten();
        if title.is_none() && !issues.has("title") {
            issues.push(FieldIssue::new("title", "required", t!("请填写观点标题。", "Give the viewpoint a title.")));
        }
        let summary = issues.take(text("summary", summary, MAX_TEXT_CHARS)).flatten();
        issues.finish()?;
        Ok(ViewpointText { title: title.unwrap_or_default(), summary: summary.unwrap_or_default() })
    }
}

/// A disposition with its reason and public reply. A reason is required when a point is
/// not, or only partly, adopted: the source documents ask for 未采纳意见理由.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub disposition: Disposition,
    pub reason: Option<String>,
    pub reply: Option<String>,
}

impl Answer {
    pub fn parse(disposition: Disposition, reason: Option<&str>, reply: Option<&str>) -> Result<Self, AppError> {
        let mut issues = Issues::default();
        let reason = issues.take(text("reason", reason, MAX_TEXT_CHARS)).flatten();
        let reply = issues.take(text("reply", reply, MAX_TEXT_CHARS)).flatten();
        let needs_reason = matches!(disposition, Disposition::PartlyAdopted | Disposition::NotAdopted);
        if needs_reason && reason.is_none() && !issues.has("reason") {
            issues.push(FieldIssue::new(
                "reason",
                "required",
                t!("未采纳或部分采纳时必须说明理由。", "Give the reason when a point is not, or only partly, adopted."),
            ));
        }
        issues.finish()?;
        Ok(Answer { disposition, reason, reply })
    }
}

/// The submitter's optional remark with a rating.
pub fn remark(raw: Option<&str>) -> Result<Option<String>, AppError> {
    text("remark", raw, 500).map_err(|i| AppError::Invalid(vec![i]))
}

/// A correction's note saying what changed: required from the second version on.
pub fn correction_note(raw: Option<&str>, first: bool) -> Result<Option<String>, AppError> {
    let note = text("note", raw, MAX_TEXT_CHARS).map_err(|i| AppError::Invalid(vec![i]))?;
    if !first && note.is_none() {
        return Err(AppError::invalid(
            "note",
            "required",
            t!("更正已公布的反馈报告时，请说明更正了什么。", "Say what a correction changes."),
        ));
    }
    Ok(note)
}

pub fn introduction(raw: Option<&str>) -> Result<String, AppError> {
    Ok(text("introduction", raw, 5000).map_err(|i| AppError::Invalid(vec![i]))?.unwrap_or_default())
}

/// The day a feedback report is due: `days` after the window closed, in China.
pub fn due_on(closes_at: DateTime<Utc>, days: u32) -> NaiveDate {
    day_in_china(closes_at) + TimeDelta::days(i64::from(days))
}

crate::vocabulary! {
    /// Where a closed consultation's report stands against its deadline.
    pub enum Timeliness {
        /// Published by the day it was due.
        OnTime = "on_time",
        /// Published after the day it was due.
        Late = "late",
        /// Not published, and the day it was due has passed.
        Missing = "missing",
        /// Not published, not yet due.
        Pending = "pending",
    }
}

pub fn timeliness(due: NaiveDate, published: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Timeliness {
    timeliness_on(due, published.map(day_in_china), day_in_china(now))
}

/// The same in days (China): published on `published`, looked at on `today`.
pub fn timeliness_on(due: NaiveDate, published: Option<NaiveDate>, today: NaiveDate) -> Timeliness {
    match published {
        Some(day) if day <= due => Timeliness::OnTime,
        Some(_) => Timeliness::Late,
        None if today > due => Timeliness::Missing,
        None => Timeliness::Pending,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_required_unless_adopted_or_not_applicable() {
        assert!(Answer::parse(Disposition::Adopted, None, None).is_ok());
        assert!(Answer::parse(Disposition::NotApplicable, None, None).is_ok());
        assert!(Answer::parse(Disposition::NotAdopted, Some("  "), None).is_err());
        assert!(Answer::parse(Disposition::PartlyAdopted, None, Some("谢谢")).is_err());
        let a = Answer::parse(Disposition::NotAdopted, Some(" 与上位法冲突 "), None).unwrap();
        assert_eq!(a.reason.as_deref(), Some("与上位法冲突"));
    }

    #[test]
    fn the_deadline_counts_days_in_china() {
        // 2026-03-31 17:00 UTC is 1 April in China.
        let closes = "2026-03-31T17:00:00Z".parse().unwrap();
        assert_eq!(due_on(closes, 30).to_string(), "2026-05-01");
        let due = due_on(closes, 30);
        let on_day = "2026-05-01T15:00:00Z".parse().unwrap(); // 23:00 in China
        let next_day = "2026-05-01T16:30:00Z".parse().unwrap(); // 00:30 on 2 May
        assert_eq!(timeliness(due, Some(on_day), next_day), Timeliness::OnTime);
        assert_eq!(timeliness(due, Some(next_day), next_day), Timeliness::Late);
        assert_eq!(timeliness(due, None, on_day), Timeliness::Pending);
        assert_eq!(timeliness(due, None, next_day), Timeliness::Missing);
    }
}
