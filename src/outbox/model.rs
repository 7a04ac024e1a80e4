//! What an outbox message is, and when a failed one is tried again.

use chrono::TimeDelta;

use crate::error::{AppError, AppResult};

/// Messages read per `deliver_due` call.
pub const BATCH: u64 = 50;

/// Failed deliveries after which a message is no longer tried: it stays in the table,
/// unsent, with its last error, for an operator to look at (setting `attempts` back to 0
/// sends it again). A failure that retrying cannot help sets `attempts` to this at once.
pub const MAX_ATTEMPTS: i32 = 10;

/// How long a claim keeps other nodes off a message: longer than a send may take
/// (`SEND_DEADLINE`), so a message is never sent by two nodes at once.
pub const CLAIM: TimeDelta = TimeDelta::minutes(5);

/// How long one SMTP command may take before the delivery counts as failed.
pub const SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// How long a whole delivery (connection, TLS, sign-in, the message) may take.
pub const SEND_DEADLINE: std::time::Duration = std::time::Duration::from_secs(120);

/// Lengths the table holds (characters).
pub const MAX_KIND: usize = 32;
pub const MAX_RECIPIENT: usize = 254;
pub const MAX_SUBJECT: usize = 300;
const MAX_ERROR: usize = 2000;

/// An e-mail to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// What it is about, for the log and for operators (`feedback_published`); at most 32
    /// characters.
    pub kind: &'static str,
    /// One e-mail address.
    pub to: String,
    /// One line; a longer subject is cut to 300 characters.
    pub subject: String,
    /// Plain text (UTF-8).
    pub body: String,
}

impl Message {
    /// The message as stored: the subject made one line of at most 300 characters. A kind or
    /// recipient that the table cannot hold is the caller's mistake (an error, which rolls
    /// back the caller's transaction).
    pub fn checked(self) -> AppResult<Message> {
        let kind = self.kind;
        if kind.is_empty() || kind.chars().count() > MAX_KIND {
            return Err(AppError::Internal(anyhow::anyhow!(
                "outbox: kind {kind:?} must have 1 to {MAX_KIND} characters"
            )));
        }
        let to = self.to.trim().to_string();
        if to.is_empty() || to.chars().count() > MAX_RECIPIENT || to.chars().any(char::is_control) {
            return Err(AppError::Internal(anyhow::anyhow!(
                "outbox: a {kind} message has no usable recipient (empty, longer than {MAX_RECIPIENT} or with control characters)"
            )));
        }
        let one_line: String =
            self.subject.split(char::is_control).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ");
        Ok(Message { kind, to, subject: cut(one_line.trim(), MAX_SUBJECT), body: self.body })
    }
}

/// How long to wait after the `attempts`-th failed delivery: 30 s, 1 min, 2 min, … at most
/// an hour.
pub fn backoff(attempts: i32) -> TimeDelta {
    let doublings = attempts.clamp(1, 16) - 1;
    Ord::min(TimeDelta::seconds(30 << doublings), TimeDelta::hours(1))
}

/// A delivery error as stored (bounded).
pub fn error_text(e: &str) -> String {
    cut(e, MAX_ERROR)
}

/// At most `max` characters, the last one `…` when cut.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(subject: &str) -> Message {
        Message { kind: "test", to: " a@example.cn ".into(), subject: subject.into(), body: "正文".into() }
    }

    #[test]
    fn a_claim_outlasts_a_send() {
        assert!(CLAIM.to_std().unwrap() > SEND_DEADLINE + SEND_TIMEOUT);
    }

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let secs: Vec<i64> = (0..=12).map(|a| backoff(a).num_seconds()).collect();
        assert_eq!(secs, [30, 30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600, 3600, 3600]);
        assert_eq!(backoff(i32::MAX), TimeDelta::hours(1));
    }

    #[test]
    fn subjects_are_one_bounded_line() {
        let m = message("关于《示范区停车管理办法》\r\n的反馈").checked().unwrap();
        assert_eq!((m.to.as_str(), m.subject.as_str()), ("a@example.cn", "关于《示范区停车管理办法》 的反馈"));
        let long = message(&"意".repeat(400)).checked().unwrap();
        assert_eq!(long.subject.chars().count(), MAX_SUBJECT);
        assert!(long.subject.ends_with('…'));
        assert_eq!(error_text(&"x".repeat(5000)).chars().count(), 2000);
    }

    #[test]
    fn unusable_kinds_and_recipients_are_refused() {
        assert!(Message { kind: "", ..message("s") }.checked().is_err());
        assert!(Message { kind: "a_kind_name_much_longer_than_32_chars", ..message("s") }.checked().is_err());
        assert!(Message { to: "  ".into(), ..message("s") }.checked().is_err());
        assert!(Message { to: format!("{}@example.cn", "a".repeat(250)), ..message("s") }.checked().is_err());
        assert!(Message { to: "a@example.cn\r\nBcc: b@example.cn".into(), ..message("s") }.checked().is_err());
    }
}
