//! The rules of a decision: its life cycle, its consultation window, the fields staff fill
//! in, and the search terms it is found by. Plain types and functions, tested without HTTP
//! or a database.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use crate::error::{AppError, FieldIssue, Issues};
use crate::t;

/// The normal minimum length of a consultation window; a shorter one needs a public reason.
pub const NORMAL_WINDOW_DAYS: i64 = 30;
pub const MAX_WINDOW_DAYS: i64 = 366;
/// Slack when measuring a window against 30 days: "30 days from now" entered in a form
/// reaches the server a little later than it was computed.
const LENGTH_TOLERANCE: TimeDelta = TimeDelta::hours(1);

fn shorter_than_normal(opens_at: DateTime<Utc>, closes_at: DateTime<Utc>) -> bool {
    closes_at - opens_at + LENGTH_TOLERANCE < TimeDelta::days(NORMAL_WINDOW_DAYS)
}

/// Whole days of a window, rounded to the nearest day.
pub fn length_days(opens_at: DateTime<Utc>, closes_at: DateTime<Utc>) -> i64 {
    ((closes_at - opens_at).num_seconds() + 43_200).div_euclid(86_400)
}

crate::vocabulary! {
    /// Where a decision stands.
    pub enum DecisionStatus {
        /// 草稿 — being prepared; visible to its agency only.
        Draft = "draft",
        /// 已发布，待开始征求意见 — published; the consultation window opens later.
        Scheduled = "scheduled",
        /// 征求意见中 — the window is open.
        Consulting = "consulting",
        /// 征求意见已结束 — the window has closed; the feedback report is due.
        Closed = "closed",
        /// 已公布意见采纳情况 — the feedback report is published.
        FeedbackPublished = "feedback_published",
        /// 已决策 — final text and interpretation recorded.
        Decided = "decided",
        /// 已撤回 — withdrawn, with a public reason.
        Withdrawn = "withdrawn",
    }
}

crate::vocabulary! {
    /// What staff can ask of a decision; each is allowed from some statuses only.
    pub enum DecisionStep {
        Edit = "edit",
        AddVersion = "add_version",
        OpenConsultation = "open_consultation",
        ExtendConsultation = "extend_consultation",
        Withdraw = "withdraw",
        RecordOutcome = "record_outcome",
    }
}

crate::vocabulary! {
    /// When comments become public: after moderation (pre) or at once, moderated afterwards (post).
    pub enum Moderation {
        /// 先审后发
        Pre = "pre",
        /// 先发后审
        Post = "post",
    }
}

impl DecisionStep {
    fn allowed_from(self, s: DecisionStatus) -> bool {
        use DecisionStatus::*;
        match self {
            DecisionStep::Edit | DecisionStep::OpenConsultation => s == Draft,
            DecisionStep::AddVersion => matches!(s, Draft | Closed | FeedbackPublished),
            DecisionStep::ExtendConsultation => matches!(s, Scheduled | Consulting),
            DecisionStep::Withdraw => !matches!(s, Decided | Withdrawn),
            // The outcome follows the published feedback report (采纳情况 before 决策).
            DecisionStep::RecordOutcome => s == FeedbackPublished,
        }
    }
}

impl DecisionStatus {
    fn zh(self) -> &'static str {
        match self {
            DecisionStatus::Draft => "草稿",
            DecisionStatus::Scheduled => "待开始征求意见",
            DecisionStatus::Consulting => "征求意见中",
            DecisionStatus::Closed => "征求意见已结束",
            DecisionStatus::FeedbackPublished => "已公布采纳情况",
            DecisionStatus::Decided => "已决策",
            DecisionStatus::Withdrawn => "已撤回",
        }
    }

    /// The status at `now`: the server's clock, not a person, opens and closes windows.
    pub fn effective(
        self,
        opens_at: Option<DateTime<Utc>>,
        closes_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> DecisionStatus {
        match (self, opens_at, closes_at) {
            (DecisionStatus::Scheduled | DecisionStatus::Consulting, _, Some(close)) if now >= close => {
                DecisionStatus::Closed
            }
            (DecisionStatus::Scheduled, Some(open), _) if now >= open => DecisionStatus::Consulting,
            (s, _, _) => s,
        }
    }

    /// The steps allowed in this status, for the decision page and for 409 answers.
    pub fn allowed_steps(self) -> Vec<DecisionStep> {
        DecisionStep::ALL.iter().copied().filter(|s| s.allowed_from(self)).collect()
    }

    /// `Ok` when `step` is allowed now; otherwise a 409 that says which steps are.
    pub fn check(self, step: DecisionStep) -> Result<(), AppError> {
        if step.allowed_from(self) {
            return Ok(());
        }
        let allowed: Vec<&str> = self.allowed_steps().into_iter().map(DecisionStep::as_str).collect();
        let list = if allowed.is_empty() { "（无）".to_string() } else { allowed.join(", ") };
        let list_en = if allowed.is_empty() { "none".to_string() } else { allowed.join(", ") };
        let (zh, en, step) = (self.zh(), self.as_str(), step.as_str());
        Err(AppError::Conflict {
            code: "invalid_transition",
            message: t!(
                "决策当前状态为“{zh}”，不能执行 {step}。当前允许的操作：{list}。",
                "The decision is {en}; {step} is not possible. Allowed now: {list_en}."
            ),
        })
    }
}

/// A consultation window that keeps its rules: it ends after it starts, lasts at most a
/// year, and a window shorter than 30 days carries the public reason for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsultationWindow {
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub short_window_reason: Option<String>,
}

fn reason_text(field: &str, raw: Option<&str>) -> Result<Option<String>, FieldIssue> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(None),
        Some(r) if r.chars().count() > 500 => Err(FieldIssue::new(
            field,
            "too_long",
            t!("说明不能超过 500 个字符。", "The reason can have at most 500 characters."),
        )),
        Some(r) => Ok(Some(r.to_string())),
    }
}

impl ConsultationWindow {
    pub fn new(
        opens_at: Option<DateTime<Utc>>,
        closes_at: DateTime<Utc>,
        short_window_reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Self, Vec<FieldIssue>> {
        let mut issues = Vec::new();
        let opens_at = opens_at.unwrap_or(now);
        // A minute of slack for clocks and typing; a window does not open in the past.
        if opens_at < now - TimeDelta::minutes(1) {
            issues.push(FieldIssue::new(
                "opens_at",
                "in_the_past",
                t!("开始时间不能早于现在。", "The window cannot open in the past."),
            ));
        }
        if closes_at <= opens_at {
            issues.push(FieldIssue::new(
                "closes_at",
                "before_opening",
                t!("结束时间必须晚于开始时间。", "The window must close after it opens."),
            ));
        } else if closes_at - opens_at > TimeDelta::days(MAX_WINDOW_DAYS) {
            issues.push(FieldIssue::new(
                "closes_at",
                "too_long",
                t!("征求意见期限不能超过一年。", "A consultation window lasts at most a year."),
            ));
        }
        let reason = match reason_text("short_window_reason", short_window_reason) {
            Ok(r) => r,
            Err(issue) => {
                issues.push(issue);
                None
            }
        };
        let short = shorter_than_normal(opens_at, closes_at);
        if short && reason.is_none() && issues.is_empty() {
            issues.push(FieldIssue::new(
                "short_window_reason",
                "required",
                t!(
                    "征求意见期限少于 30 日的，须说明理由，理由将向社会公开。",
                    "A window shorter than 30 days needs a reason, which is published with it."
                ),
            ));
        }
        if !issues.is_empty() {
            return Err(issues);
        }
        Ok(ConsultationWindow { opens_at, closes_at, short_window_reason: if short { reason } else { None } })
    }

    pub fn is_short(&self) -> bool {
        shorter_than_normal(self.opens_at, self.closes_at)
    }
}

/// A later closing time with the public note that explains it. Windows are extended, never
/// shortened, and only before they close.
pub fn check_extension(
    current_closes_at: DateTime<Utc>,
    opens_at: DateTime<Utc>,
    new_closes_at: DateTime<Utc>,
    note: &str,
) -> Result<String, Vec<FieldIssue>> {
    let mut issues = Vec::new();
    if new_closes_at <= current_closes_at {
        issues.push(FieldIssue::new(
            "closes_at",
            "not_later",
            t!(
                "延长后的结束时间必须晚于当前结束时间；征求意见期限不能缩短。",
                "The new closing time must be later than the current one; windows are never shortened."
            ),
        ));
    } else if new_closes_at - opens_at > TimeDelta::days(MAX_WINDOW_DAYS) {
        issues.push(FieldIssue::new(
            "closes_at",
            "too_long",
            t!("征求意见期限不能超过一年。", "A consultation window lasts at most a year."),
        ));
    }
    let note = note.trim();
    if note.is_empty() || note.chars().count() > 500 {
        issues.push(FieldIssue::new(
            "note",
            "required",
            t!(
                "请填写延长说明（500 字以内），说明将向社会公开。",
                "Give the public reason for the extension (at most 500 characters)."
            ),
        ));
    }
    if issues.is_empty() { Ok(note.to_string()) } else { Err(issues) }
}

fn text_field(issues: &mut Issues, field: &str, raw: &str, min: usize, max: usize) -> String {
    let s = raw.trim();
    let n = s.chars().count();
    if n < min || n > max {
        issues.push(FieldIssue::new(
            field,
            if n < min { "required" } else { "too_long" },
            t!("此项须为 {min} 至 {max} 个字符。", "This field needs {min} to {max} characters."),
        ));
    } else if s.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        issues.push(FieldIssue::new(
            field,
            "invalid_characters",
            t!("不能包含控制字符。", "Control characters are not allowed."),
        ));
    }
    s.to_string()
}

/// The fields of a decision that staff write, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecisionFields {
    pub title: String,
    pub summary: String,
    pub basis: String,
    pub explanation: String,
    pub catalogue_year: i32,
    pub planned_timing: Option<String>,
    pub listed_in_catalogue: bool,
}

pub struct RawDecisionFields<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub basis: &'a str,
    pub explanation: &'a str,
    pub catalogue_year: i32,
    pub planned_timing: Option<&'a str>,
    pub listed_in_catalogue: bool,
}

impl DecisionFields {
    pub fn parse(raw: RawDecisionFields<'_>) -> Result<Self, AppError> {
        let mut issues = Issues::default();
        let title = text_field(&mut issues, "title", raw.title, 2, 200);
        let summary = text_field(&mut issues, "summary", raw.summary, 0, 2000);
        let basis = text_field(&mut issues, "basis", raw.basis, 0, 20_000);
        let explanation = text_field(&mut issues, "explanation", raw.explanation, 0, 50_000);
        if !(2000..=2100).contains(&raw.catalogue_year) {
            issues.push(FieldIssue::new(
                "catalogue_year",
                "out_of_range",
                t!("目录年度须在 2000 至 2100 之间。", "The catalogue year must be between 2000 and 2100."),
            ));
        }
        let planned_timing =
            raw.planned_timing.map(|p| text_field(&mut issues, "planned_timing", p, 0, 50)).filter(|p| !p.is_empty());
        issues.finish()?;
        Ok(DecisionFields {
            title,
            summary,
            basis,
            explanation,
            catalogue_year: raw.catalogue_year,
            planned_timing,
            listed_in_catalogue: raw.listed_in_catalogue,
        })
    }
}

/// A link in the interpretation (解读) of a decision.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// The recorded outcome of a decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub decided_on: NaiveDate,
    pub final_version: i32,
    pub interpretation: String,
    pub links: Vec<Link>,
}

impl Outcome {
    pub fn parse(
        decided_on: &str,
        final_version: i32,
        latest_version: i32,
        interpretation: &str,
        links: Vec<Link>,
    ) -> Result<Self, AppError> {
        let mut issues = Issues::default();
        let date = NaiveDate::parse_from_str(decided_on.trim(), "%Y-%m-%d").ok();
        if date.is_none() {
            issues.push(FieldIssue::new(
                "decided_on",
                "invalid_date",
                t!("请输入日期，如 2026-12-31。", "Enter a date like 2026-12-31."),
            ));
        }
        if final_version < 1 || final_version > latest_version {
            issues.push(FieldIssue::new(
                "final_version",
                "unknown_version",
                t!("没有这个版本。", "There is no such version."),
            ));
        }
        let interpretation = text_field(&mut issues, "interpretation", interpretation, 1, 50_000);
        if links.len() > 20 {
            issues.push(FieldIssue::new("links", "too_many", t!("最多 20 个链接。", "At most 20 links.")));
        }
        for (i, l) in links.iter().enumerate() {
            let ok_url = (l.url.starts_with("https://") || l.url.starts_with("http://"))
                && l.url.len() <= 1000
                && !l.url.chars().any(|c| c.is_whitespace() || c.is_control());
            if !ok_url || l.title.trim().is_empty() || l.title.chars().count() > 200 {
                issues.push(FieldIssue::new(
                    format!("links[{i}]"),
                    "invalid_link",
                    t!(
                        "链接须有标题和以 http:// 或 https:// 开头的地址。",
                        "A link needs a title and an http:// or https:// address."
                    ),
                ));
            }
        }
        issues.finish()?;
        Ok(Outcome {
            decided_on: date.unwrap_or_default(),
            final_version,
            interpretation,
            links: links.into_iter().map(|l| Link { title: l.title.trim().to_string(), url: l.url }).collect(),
        })
    }
}

/// The reason given when a decision is withdrawn; it is published.
pub fn withdrawal_reason(raw: &str) -> Result<String, AppError> {
    let r = raw.trim();
    if r.chars().count() < 2 || r.chars().count() > 2000 {
        return Err(AppError::invalid(
            "reason",
            "required",
            t!(
                "请填写撤回理由（2 至 2000 字），理由将向社会公开。",
                "Give the public reason for the withdrawal (2 to 2000 characters)."
            ),
        ));
    }
    Ok(r.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(days: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + TimeDelta::days(days)
    }

    #[test]
    fn windows_close_and_open_by_the_clock() {
        let (open, close) = (Some(at(1)), Some(at(31)));
        assert_eq!(DecisionStatus::Scheduled.effective(open, close, at(0)), DecisionStatus::Scheduled);
        assert_eq!(DecisionStatus::Scheduled.effective(open, close, at(1)), DecisionStatus::Consulting);
        assert_eq!(DecisionStatus::Consulting.effective(open, close, at(30)), DecisionStatus::Consulting);
        assert_eq!(DecisionStatus::Consulting.effective(open, close, at(31)), DecisionStatus::Closed);
        assert_eq!(DecisionStatus::Scheduled.effective(open, close, at(40)), DecisionStatus::Closed);
        assert_eq!(DecisionStatus::Withdrawn.effective(open, close, at(40)), DecisionStatus::Withdrawn);
        assert_eq!(DecisionStatus::Draft.effective(None, None, at(40)), DecisionStatus::Draft);
    }

    #[test]
    fn transitions() {
        assert!(DecisionStatus::Draft.check(DecisionStep::OpenConsultation).is_ok());
        assert!(DecisionStatus::Consulting.check(DecisionStep::ExtendConsultation).is_ok());
        // The outcome follows the published feedback report, never straight from `closed`.
        assert!(DecisionStatus::Closed.check(DecisionStep::RecordOutcome).is_err());
        assert!(DecisionStatus::FeedbackPublished.check(DecisionStep::RecordOutcome).is_ok());
        assert!(DecisionStatus::Consulting.check(DecisionStep::Withdraw).is_ok());
        match DecisionStatus::Decided.check(DecisionStep::Withdraw) {
            Err(AppError::Conflict { code, message }) => {
                assert_eq!(code, "invalid_transition");
                assert!(message.en.contains("Allowed now: none"), "{}", message.en);
            }
            other => panic!("{other:?}"),
        }
        match DecisionStatus::Consulting.check(DecisionStep::Edit) {
            Err(AppError::Conflict { message, .. }) => {
                assert!(message.en.contains("extend_consultation, withdraw"), "{}", message.en)
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(DecisionStatus::Withdrawn.allowed_steps(), Vec::<DecisionStep>::new());
        assert_eq!(DecisionStatus::Closed.allowed_steps(), [DecisionStep::AddVersion, DecisionStep::Withdraw]);
        assert_eq!(
            DecisionStatus::FeedbackPublished.allowed_steps(),
            [DecisionStep::AddVersion, DecisionStep::Withdraw, DecisionStep::RecordOutcome]
        );
    }

    #[test]
    fn the_thirty_day_rule() {
        let now = at(0);
        let w = ConsultationWindow::new(None, at(30), None, now).unwrap();
        assert!(!w.is_short());
        // Thirty days computed a moment before the server's clock still count as thirty.
        let w = ConsultationWindow::new(Some(now + TimeDelta::seconds(5)), at(30), None, now).unwrap();
        assert_eq!(length_days(w.opens_at, w.closes_at), 30);
        assert!(ConsultationWindow::new(None, at(29), None, now).is_err());
        let issues = ConsultationWindow::new(None, at(10), None, now).unwrap_err();
        assert_eq!((issues[0].field.as_str(), issues[0].code), ("short_window_reason", "required"));
        let w = ConsultationWindow::new(None, at(10), Some(" 上级要求年内出台 "), now).unwrap();
        assert_eq!(w.short_window_reason.as_deref(), Some("上级要求年内出台"));
        // A reason given for a normal window is not published as if it were short.
        let w = ConsultationWindow::new(None, at(45), Some("无"), now).unwrap();
        assert_eq!(w.short_window_reason, None);
    }

    #[test]
    fn window_shape() {
        let now = at(0);
        let issues = ConsultationWindow::new(Some(at(5)), at(4), Some("x"), now).unwrap_err();
        assert_eq!(issues[0].code, "before_opening");
        let issues = ConsultationWindow::new(Some(at(-2)), at(40), None, now).unwrap_err();
        assert_eq!(issues[0].code, "in_the_past");
        let issues = ConsultationWindow::new(None, at(400), None, now).unwrap_err();
        assert_eq!(issues[0].code, "too_long");
        let w = ConsultationWindow::new(Some(at(3)), at(40), None, now).unwrap();
        assert_eq!(w.opens_at, at(3));
    }

    #[test]
    fn extensions_never_shorten() {
        assert_eq!(check_extension(at(30), at(0), at(40), " 应群众要求延长 ").unwrap(), "应群众要求延长");
        assert_eq!(check_extension(at(30), at(0), at(29), "x").unwrap_err()[0].code, "not_later");
        assert_eq!(check_extension(at(30), at(0), at(30), "x").unwrap_err()[0].code, "not_later");
        assert_eq!(check_extension(at(30), at(0), at(40), "  ").unwrap_err()[0].field, "note");
    }

    #[test]
    fn decision_fields() {
        let raw = |title: &'static str, year| RawDecisionFields {
            title,
            summary: "",
            basis: "",
            explanation: "",
            catalogue_year: year,
            planned_timing: Some("  "),
            listed_in_catalogue: true,
        };
        let f = DecisionFields::parse(raw(" 关于养老服务的办法 ", 2026)).unwrap();
        assert_eq!(f.title, "关于养老服务的办法");
        assert_eq!(f.planned_timing, None);
        match DecisionFields::parse(raw("x", 1900)) {
            Err(AppError::Invalid(issues)) => {
                assert_eq!(issues.iter().map(|i| i.field.as_str()).collect::<Vec<_>>(), ["title", "catalogue_year"])
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn outcomes() {
        let ok = Outcome::parse(
            "2026-12-20",
            2,
            2,
            "解读全文",
            vec![Link { title: "政策解读".into(), url: "https://example.gov.cn/jd".into() }],
        );
        assert_eq!(ok.unwrap().decided_on.to_string(), "2026-12-20");
        match Outcome::parse("20.12.2026", 3, 2, "", vec![Link { title: "".into(), url: "javascript:alert(1)".into() }])
        {
            Err(AppError::Invalid(issues)) => assert_eq!(
                issues.iter().map(|i| i.field.as_str()).collect::<Vec<_>>(),
                ["decided_on", "final_version", "interpretation", "links[0]"]
            ),
            other => panic!("{other:?}"),
        }
    }
}
