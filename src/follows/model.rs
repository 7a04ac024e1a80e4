//! What followers are told, and in which words: pure, without entities or HTTP.

use chrono::{DateTime, NaiveDate, Utc};

use crate::kernel::time::china_time_label;

/// How many decisions one account may follow: far more than a person follows, few enough
/// that "my follows" and an abusive script stay small.
pub const MAX_FOLLOWS: u64 = 500;

/// How many followers' addresses one query reads while telling them: the fan-out of a
/// decision with many followers runs in pages, in bounded memory.
pub const TELL_PAGE: u64 = 500;

/// A step in a followed decision's life that its followers hear of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// The consultation window was extended, with the agency's public note.
    Extended { closes_at: DateTime<Utc>, note: String },
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
    /// The outbox kind of the e-mail (at most 32 characters).
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Extended { .. } => "follow_extended",
            Event::Closed { .. } => "follow_closed",
            Event::FeedbackPublished { .. } => "follow_feedback",
            Event::Decided { .. } => "follow_decided",
            Event::Withdrawn { .. } => "follow_withdrawn",
        }
    }

    /// Subject and body of the e-mail about decision `title`, pointing at `link`.
    pub fn message(&self, title: &str, link: &str) -> (String, String) {
        let (tag, what) = match self {
            Event::Extended { closes_at, note } => {
                ("征求意见延期", format!("征求意见截止时间延长至{}。\n说明：{note}", china_time_label(*closes_at)))
            }
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
             不想再收到此事项的通知，可在“我的关注”中取消关注。本邮件由系统发送，请勿回复。"
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
            Event::FeedbackPublished { version: 1 },
            Event::FeedbackPublished { version: 2 },
            Event::Decided { decided_on: "2027-02-01".into() },
            Event::Withdrawn { reason: "上位法修订".into() },
        ]
    }

    #[test]
    fn every_message_names_the_decision_and_links_to_it() {
        for e in all() {
            let (subject, body) = e.message("示范区养老服务设施建设管理办法", "https://wenji.example/consultations/x");
            assert!(subject.ends_with("示范区养老服务设施建设管理办法"), "{subject}");
            assert!(body.contains("https://wenji.example/consultations/x"), "{body}");
            assert!(body.contains("取消关注"), "a way out in every message: {body}");
            assert!(e.kind().len() <= crate::outbox::model::MAX_KIND && e.kind().starts_with("follow_"));
        }
    }

    #[test]
    fn times_are_china_time_and_reasons_are_quoted() {
        let (_, body) = all()[0].message("t", "l");
        assert!(body.contains("2027年1月1日 00:00"), "16:00 UTC is midnight in Shanghai: {body}");
        assert!(all()[1].message("t", "l").1.contains("2027年1月30日前"));
        assert!(all()[5].message("t", "l").1.contains("理由：上位法修订"));
        let (first, _) = all()[2].message("t", "l");
        let (second, body) = all()[3].message("t", "l");
        assert_ne!(first, second, "a correction says it is one");
        assert!(body.contains("第2版"));
    }
}
