//! The rules of meetings: their vocabularies, what a schedule, an agenda and a stream URL
//! must be, which stream states follow which, and which agenda items may show links. No
//! entities, DTOs or HTTP.

use chrono::{DateTime, SubsecRound, Utc};
use uuid::Uuid;

use crate::error::{AppError, FieldIssue, Issues};
use crate::kernel::fields::{line, text};
use crate::t;
pub use crate::venues::{Schedule, Venue};

crate::vocabulary! {
    /// What kind of meeting.
    pub enum MeetingKind {
        /// 常务会议
        Executive = "executive",
        /// 专题会议
        Thematic = "thematic",
        /// 听证会
        Hearing = "hearing",
        /// 座谈会
        Forum = "forum",
        /// 其他
        Other = "other",
    }
}

crate::vocabulary! {
    /// Where a meeting stands.
    pub enum MeetingStatus {
        Scheduled = "scheduled",
        /// Called off, with a public reason.
        Cancelled = "cancelled",
        /// Took place; may carry a summary.
        Held = "held",
    }
}

crate::vocabulary! {
    /// How an agenda item is open to the public.
    pub enum Openness {
        /// 不公开: no attendance, no stream, no replay, no link of any kind.
        Closed = "closed",
        /// 列席: the public may attend in person.
        Attendance = "attendance",
        /// 网络直播: streamed, with a replay.
        Livestream = "livestream",
        /// Both attendance and stream.
        Both = "both",
    }
}

impl Openness {
    /// Is this item streamed (and so shown in the replay)?
    pub fn streamed(self) -> bool {
        matches!(self, Openness::Livestream | Openness::Both)
    }

    /// May the public attend this item?
    pub fn attended(self) -> bool {
        matches!(self, Openness::Attendance | Openness::Both)
    }
}

crate::vocabulary! {
    /// The state of a meeting's livestream, set by staff.
    pub enum StreamState {
        Scheduled = "scheduled",
        Live = "live",
        Ended = "ended",
        Cancelled = "cancelled",
    }
}

impl StreamState {
    /// scheduled → live → ended; scheduled or live → cancelled. Nothing leaves ended or
    /// cancelled.
    pub fn may_become(self, next: StreamState) -> bool {
        use StreamState::*;
        matches!((self, next), (Scheduled, Live) | (Live, Ended) | (Scheduled | Live, Cancelled))
    }
}

crate::vocabulary! {
    /// Who asks to attend.
    pub enum AttendeeCategory {
        /// 居民
        Resident = "resident",
        /// 企业
        Company = "company",
        /// 社会组织
        Organisation = "organisation",
        /// 新闻媒体
        Media = "media",
        /// 人大代表、政协委员
        Deputy = "deputy",
    }
}

crate::vocabulary! {
    /// Where an attendance request stands.
    pub enum AttendanceStatus {
        Pending = "pending",
        Approved = "approved",
        Declined = "declined",
        /// Withdrawn by the applicant.
        Withdrawn = "withdrawn",
    }
}

pub const MAX_AGENDA_ITEMS: usize = 50;
const MAX_TEXT: usize = 20_000;
pub const MAX_CAPACITY: i32 = 100_000;
/// A replay is at most a day long.
pub const MAX_REPLAY_OFFSET: u32 = 24 * 3600;

/// One agenda item as staff write it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgendaDraft {
    /// The item's id when it already exists (so replay offsets survive an edit).
    pub id: Option<Uuid>,
    pub title: String,
    pub decision_id: Option<Uuid>,
    pub openness: Openness,
}

/// A meeting as staff write it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeetingDraft {
    pub title: String,
    pub kind: MeetingKind,
    pub description: String,
    pub schedule: Schedule,
    pub venue: Venue,
    pub attendance_capacity: i32,
    pub attendance_closes_at: Option<DateTime<Utc>>,
    pub agenda: Vec<AgendaDraft>,
}

/// What a meeting form sends, before parsing.
pub struct MeetingForm<'a> {
    pub title: &'a str,
    pub kind: MeetingKind,
    pub description: Option<&'a str>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub venue: &'a str,
    pub attendance_capacity: Option<i32>,
    pub attendance_closes_at: Option<DateTime<Utc>>,
    pub agenda: Vec<(Option<Uuid>, &'a str, Option<Uuid>, Openness)>,
}

impl MeetingDraft {
    pub fn parse(f: MeetingForm<'_>) -> Result<Self, AppError> {
        let mut issues = Issues::default();
        let title = issues.take(line("title", Some(f.title), 200));
        let description = issues.take(text("description", f.description, MAX_TEXT)).flatten();
        let schedule = issues.take(Schedule::parse(f.starts_at, f.ends_at));
        let venue = issues.take(Venue::parse(f.venue));
        let capacity = f.attendance_capacity.unwrap_or(0);
        if !(0..=MAX_CAPACITY).contains(&capacity) {
            issues.push(FieldIssue::new(
                "attendance_capacity",
                "out_of_range",
                t!("列席名额应在 0 到 100000 之间。", "Attendance places must be between 0 and 100,000."),
            ));
        }
        if f.agenda.is_empty() || f.agenda.len() > MAX_AGENDA_ITEMS {
            issues.push(FieldIssue::new(
                "agenda",
                "count",
                t!("议程应有 1 到 50 项。", "An agenda has 1 to 50 items."),
            ));
        }
        let mut agenda = Vec::new();
        for (i, (id, title, decision_id, openness)) in f.agenda.into_iter().enumerate() {
            if let Some(title) = issues.take(line(&format!("agenda[{i}].title"), Some(title), 300)) {
                agenda.push(AgendaDraft { id, title, decision_id, openness });
            }
        }
        let mut ids: Vec<Uuid> = agenda.iter().filter_map(|a| a.id).collect();
        ids.sort();
        if ids.windows(2).any(|w| w[0] == w[1]) {
            issues.push(FieldIssue::new(
                "agenda",
                "duplicate_item",
                t!("同一议程项出现了两次。", "An agenda item appears twice."),
            ));
        }
        if capacity > 0 && !agenda.iter().any(|a| a.openness.attended()) {
            issues.push(FieldIssue::new(
                "attendance_capacity",
                "nothing_to_attend",
                t!("没有允许列席的议程，不能设置列席名额。", "No agenda item is open to attendance."),
            ));
        }
        if let (Some(closes), Some(s)) = (f.attendance_closes_at, schedule)
            && closes > s.starts_at
        {
            issues.push(FieldIssue::new(
                "attendance_closes_at",
                "after_start",
                t!("列席申请截止时间不能晚于会议开始。", "Requests must close before the meeting starts."),
            ));
        }
        issues.finish()?;
        Ok(MeetingDraft {
            title: title.unwrap_or_default(),
            kind: f.kind,
            description: description.unwrap_or_default(),
            schedule: schedule.expect("parsed"),
            venue: venue.expect("parsed"),
            attendance_capacity: capacity,
            attendance_closes_at: f.attendance_closes_at.map(|t| t.trunc_subsecs(0)),
            agenda,
        })
    }
}

/// A stream URL: `https://` on one of the hosts pages may embed (the same list the
/// Content-Security-Policy allows), without credentials, spaces or control characters.
pub fn stream_url(field: &str, raw: Option<&str>, allowed: &[String]) -> Result<Option<String>, FieldIssue> {
    let Some(s) = raw.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    let bad = |code, message| Err(FieldIssue::new(field, code, message));
    if s.len() > 2000 || s.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '\'' || c == '<') {
        return bad("invalid_url", t!("链接格式不正确。", "The link is not a valid URL."));
    }
    let Some(rest) = s.strip_prefix("https://") else {
        return bad("not_https", t!("直播链接必须使用 https。", "Stream links must use https."));
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default().to_ascii_lowercase();
    if host.is_empty() || host.contains('@') {
        return bad("invalid_url", t!("链接格式不正确。", "The link is not a valid URL."));
    }
    let origin = format!("https://{host}");
    if !allowed.iter().any(|a| a.eq_ignore_ascii_case(&origin)) {
        return bad(
            "host_not_allowed",
            t!(
                "该直播平台不在允许嵌入的名单中（{origin}）。",
                "This host is not on the list of allowed stream hosts ({origin})."
            ),
        );
    }
    Ok(Some(s.to_string()))
}

/// A replay link that opens at an item: the replay URL with a media fragment (`#t=`,
/// W3C Media Fragments), which players and browsers understand.
pub fn replay_link(replay_url: &str, offset_seconds: Option<i32>) -> String {
    let base = replay_url.split('#').next().unwrap_or(replay_url);
    match offset_seconds {
        Some(s) if s > 0 => format!("{base}#t={s}"),
        _ => base.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts() -> Vec<String> {
        vec!["https://live.example.cn".to_string()]
    }

    #[test]
    fn stream_urls_must_be_https_on_an_allowed_host() {
        let ok = stream_url("u", Some("https://live.example.cn/a/b.m3u8"), &hosts()).unwrap();
        assert_eq!(ok.as_deref(), Some("https://live.example.cn/a/b.m3u8"));
        assert_eq!(stream_url("u", Some("http://live.example.cn/x"), &hosts()).unwrap_err().code, "not_https");
        assert_eq!(stream_url("u", Some("https://evil.cn/x"), &hosts()).unwrap_err().code, "host_not_allowed");
        let userinfo = stream_url("u", Some("https://live.example.cn@evil.cn/x"), &hosts());
        assert!(userinfo.is_err());
        assert_eq!(stream_url("u", Some("javascript:alert(1)"), &hosts()).unwrap_err().code, "not_https");
        assert_eq!(stream_url("u", Some(""), &hosts()).unwrap(), None);
    }

    #[test]
    fn stream_states_move_forward_only() {
        use StreamState::*;
        assert!(Scheduled.may_become(Live));
        assert!(Live.may_become(Ended));
        assert!(Live.may_become(Cancelled));
        assert!(!Ended.may_become(Live));
        assert!(!Scheduled.may_become(Ended));
        assert!(!Cancelled.may_become(Scheduled));
    }

    #[test]
    fn replay_links_open_at_the_item() {
        assert_eq!(replay_link("https://v.cn/r.mp4", Some(754)), "https://v.cn/r.mp4#t=754");
        assert_eq!(replay_link("https://v.cn/r.mp4#t=5", Some(0)), "https://v.cn/r.mp4");
    }
}
