//! What followers are told, and in which words: pure, without entities or HTTP.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use crate::kernel::time::china_time_label;

/// How many decisions one account may follow: far more than a person follows, few enough
/// that "my follows" and an abusive script stay small.
pub const MAX_FOLLOWS: u64 = 500;

/// What an unfollow link's signature is for (see `kernel::receipts::ReceiptKeys::sign`).
pub const UNFOLLOW_LINK: &str = "unfollow";

/// What an unfollow link signs: the account and the decision.
pub fn unfollow_link_message(account: uuid::Uuid, decision: uuid::Uuid) -> [u8; 32] {
    let mut m = [0u8; 32];
    m[..16].copy_from_slice(account.as_bytes());
    m[16..].copy_from_slice(decision.as_bytes());
    m
}

/// How long before a window closes its followers are reminded (those who have not commented).
pub const REMIND_BEFORE: TimeDelta = TimeDelta::days(3);

/// Is a reminder due now that a window opened at `opens_at` closes at `closes_at`? Within
/// `REMIND_BEFORE` of the close, and only for windows longer than that (a short window's
/// followers heard of it when they followed).
pub fn reminder_due(opens_at: Option<DateTime<Utc>>, closes_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    let long_enough = opens_at.is_some_and(|o| closes_at - o > REMIND_BEFORE);
    long_enough && now < closes_at && closes_at - now <= REMIND_BEFORE
}

/// How many followers' addresses one query reads while telling them: the fan-out of a
/// decision with many followers runs in pages, in bounded memory.
pub const TELL_PAGE: u64 = 500;

/// A step in a followed decision's life that its followers hear of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// The consultation window was extended, with the agency's public note.
    Extended { closes_at: DateTime<Utc>, note: String },
    /// The window closes within `REMIND_BEFORE`: a reminder to those who have not commented.
    ClosingSoon { closes_at: DateTime<Utc> },
    /// The window closed (by the clock); the report is due on this day.
    Closed { report_due: NaiveDate },
    /// Feedback report `version` was published (1) or corrected (2 and on).
    FeedbackPublished { version: i32 },
    /// The decision was taken, on this day.
    Decided { decided_on: String },
    /// The decision was withdrawn, with its public reason.
    Withdrawn { reason: String },
}

impl Event {
    /// Is this only for followers who have not commented on the decision?
    pub fn for_those_who_have_not_commented(&self) -> bool {
        matches!(self, Event::ClosingSoon { .. })
    }

    /// The outbox kind of the e-mail (at most 32 characters).
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Extended { .. } => "follow_extended",
            Event::ClosingSoon { .. } => "follow_closing_soon",
            Event::Closed { .. } => "follow_closed",
            Event::FeedbackPublished { .. } => "follow_feedback",
            Event::Decided { .. } => "follow_decided",
            Event::Withdrawn { .. } => "follow_withdrawn",
        }
    }

    /// Subject and body of the e-mail about decision `title`, pointing at `link`, with the
    /// recipient's own `unfollow` link (signed: it works without signing in).
    pub fn message(&self, title: &str, link: &str, unfollow: &str) -> (String, String) {
        let (tag, what) = match self {
            Event::Extended { closes_at, note } => {
                ("征求意见延期", format!("征求意见截止时间延长至{}。\n说明：{note}", china_time_label(*closes_at)))
            }
            Event::ClosingSoon { closes_at } => (
                "征求意见即将结束",
                format!(
                    "征求意见将于{}截止。您还没有提出意见，如有意见建议，请在截止前提交。",
                    china_time_label(*closes_at)
                ),
            ),
            Event::Closed { report_due } => (
                "征求意见结束",
                format!(
                    "意见征集已结束。机关应于{}前公布意见采纳情况，届时我们会再通知您。",
                    report_due.format("%Y年%-m月%-d日")
                ),
            ),
            Event::FeedbackPublished { version: 1 } => {
                ("意见采纳情况", "机关已公布意见采纳情况：收到的主要意见、采纳了多少、未采纳的理由。".to_string())
            }
            Event::FeedbackPublished { version } => {
                ("意见采纳情况更正", format!("机关更正了已公布的意见采纳情况（第{version}版），并说明了改动之处。"))
            }
            Event::Decided { decided_on } => {
                ("决策结果公布", format!("该事项已于{decided_on}作出决定，可查看最终文本和政策解读。"))
            }
            Event::Withdrawn { reason } => ("事项撤回", format!("该事项已撤回。\n理由：{reason}")),
        };
        let subject = format!("【{tag}】{title}");
        let body = format!(
            "您好：\n\n您关注的事项有新进展。\n\n事项：{title}\n{what}\n\n查看详情：{link}\n\n\
             不想再收到此事项的通知，可点此取消关注（无需登录）：{unfollow}\n本邮件由系统发送，请勿回复。"
        );
        (subject, body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<Event> {
        vec![
            Event::Extended { closes_at: "2026-12-31T16:00:00Z".parse().unwrap(), note: "收到较多意见".into() },
            Event::Closed { report_due: NaiveDate::from_ymd_opt(2027, 1, 30).unwrap() },
            Event::ClosingSoon { closes_at: "2027-01-05T08:00:00Z".parse().unwrap() },
            Event::FeedbackPublished { version: 1 },
            Event::FeedbackPublished { version: 2 },
            Event::Decided { decided_on: "2027-02-01".into() },
            Event::Withdrawn { reason: "上位法修订".into() },
        ]
    }

    #[test]
    fn every_message_names_the_decision_and_links_to_it() {
        for e in all() {
            let (subject, body) = e.message(
                "示范区养老服务设施建设管理办法",
                "https://wenji.example/consultations/x",
                "https://wenji.example/unfollow?t=1",
            );
            assert!(subject.ends_with("示范区养老服务设施建设管理办法"), "{subject}");
            assert!(body.contains("https://wenji.example/consultations/x"), "{body}");
            assert!(
                body.contains("取消关注（无需登录）：https://wenji.example/unfollow?t=1"),
                "a way out in every message: {body}"
            );
            assert!(e.kind().len() <= crate::outbox::model::MAX_KIND && e.kind().starts_with("follow_"));
        }
    }

    #[test]
    fn a_reminder_is_due_in_the_last_days_of_a_long_window_only() {
        let at =
            |d: i64| -> DateTime<Utc> { "2027-01-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap() + TimeDelta::days(d) };
        let (opens, closes) = (Some(at(0)), at(30));
        assert!(!reminder_due(opens, closes, at(26)), "four days before: not yet");
        assert!(reminder_due(opens, closes, at(27)), "three days before");
        assert!(reminder_due(opens, closes, at(30) - TimeDelta::seconds(1)));
        assert!(!reminder_due(opens, closes, at(30)), "closed: too late");
        assert!(!reminder_due(Some(at(0)), at(3), at(1)), "a three-day window: no reminder");
        assert!(reminder_due(Some(at(0)), at(4), at(1)));
        assert!(!reminder_due(None, closes, at(28)), "never opened");
    }

    #[test]
    fn times_are_china_time_and_reasons_are_quoted() {
        let (_, body) = all()[0].message("t", "l", "https://s/u");
        assert!(body.contains("2027年1月1日 00:00"), "16:00 UTC is midnight in Shanghai: {body}");
        assert!(all()[1].message("t", "l", "https://s/u").1.contains("2027年1月30日前"));
        assert!(all()[6].message("t", "l", "https://s/u").1.contains("理由：上位法修订"));
        assert!(all()[2].message("t", "l", "https://s/u").1.contains("2027年1月5日 16:00截止"));
        let (first, _) = all()[3].message("t", "l", "https://s/u");
        let (second, body) = all()[4].message("t", "l", "https://s/u");
        assert_ne!(first, second, "a correction says it is one");
        assert!(body.contains("第2版"));
    }
}
