//! Where e-mails go: an SMTP server (`WENJI_SMTP_URL`) or, without one, the log.

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::model::{SEND_DEADLINE, SEND_TIMEOUT};
use crate::config::Config;
use crate::entities::outbox;
use crate::error::{AppError, AppResult};

pub enum Transport {
    /// An SMTP server, a new connection for each message.
    Smtp(Box<Smtp>),
    /// No SMTP server configured: the kind and recipient go to the log (never the body, which
    /// may quote what a resident wrote), and the message counts as sent.
    Log,
}

pub struct Smtp {
    mailer: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

/// Why a message was not sent.
#[derive(Debug)]
pub struct SendError {
    pub message: String,
    /// Trying again cannot help (the recipient is not an address).
    pub permanent: bool,
}

impl Transport {
    pub fn from_config(config: &Config) -> AppResult<Transport> {
        let Some(url) = &config.smtp_url else { return Ok(Transport::Log) };
        let mailer = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("WENJI_SMTP_URL: {e}")))?
            .timeout(Some(SEND_TIMEOUT))
            .build();
        let from = config
            .mail_from
            .parse()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("WENJI_MAIL_FROM {:?}: {e}", config.mail_from)))?;
        Ok(Transport::Smtp(Box::new(Smtp { mailer, from })))
    }

    pub async fn send(&self, row: &outbox::Model) -> Result<(), SendError> {
        match self {
            Transport::Log => {
                tracing::info!(id = %row.id, kind = %row.kind, recipient = %row.recipient, "e-mail (no WENJI_SMTP_URL, so logged instead of sent)");
                Ok(())
            }
            Transport::Smtp(smtp) => {
                let email = build(row, &smtp.from)?;
                match tokio::time::timeout(SEND_DEADLINE, smtp.mailer.send(email)).await {
                    Ok(Ok(_)) => Ok(()),
                    Ok(Err(e)) => Err(SendError { message: e.to_string(), permanent: false }),
                    Err(_) => Err(SendError {
                        message: format!("the SMTP server did not take the message within {SEND_DEADLINE:?}"),
                        permanent: false,
                    }),
                }
            }
        }
    }
}

/// The e-mail: UTF-8 plain text, its Message-ID made from the row's id, so that a message
/// sent twice (a node stopped between sending and recording it) reads as one to mail clients.
fn build(row: &outbox::Model, from: &Mailbox) -> Result<lettre::Message, SendError> {
    let to: Mailbox = row.recipient.parse().map_err(|e| SendError {
        message: format!("the recipient {:?} is not an e-mail address: {e}", row.recipient),
        permanent: true,
    })?;
    lettre::Message::builder()
        .from(from.clone())
        .to(to)
        .subject(row.subject.clone())
        .message_id(Some(format!("<{}@{}>", row.id, from.email.domain())))
        .header(ContentType::TEXT_PLAIN)
        .body(row.body.clone())
        .map_err(|e| SendError { message: format!("cannot build the e-mail: {e}"), permanent: true })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(to: &str) -> outbox::Model {
        let now = crate::db::Timestamp::now();
        outbox::Model {
            id: uuid::Uuid::nil(),
            kind: "test".into(),
            recipient: to.into(),
            subject: "关于意见采纳情况的反馈".into(),
            body: "您好：\n您提出的意见已收到答复。".into(),
            created_at: now,
            attempts: 0,
            next_attempt_at: now,
            claimed_until: None,
            sent_at: None,
            last_error: None,
        }
    }

    #[test]
    fn builds_utf8_plain_text() {
        let from: Mailbox = "问计 <noreply@wenji.local>".parse().unwrap();
        let email = build(&row("zhang.wei@example.cn"), &from).unwrap();
        let text = String::from_utf8(email.formatted()).unwrap();
        assert!(text.contains("Content-Type: text/plain; charset=utf-8"), "{text}");
        assert!(text.contains("Message-ID: <00000000-0000-0000-0000-000000000000@wenji.local>"), "{text}");
        assert!(text.contains("To: zhang.wei@example.cn"), "{text}");
        // Non-ASCII headers and body are encoded, never sent raw.
        assert!(text.is_ascii(), "{text}");
    }

    #[test]
    fn a_recipient_that_is_no_address_is_a_permanent_failure() {
        let from: Mailbox = "noreply@wenji.local".parse().unwrap();
        let e = build(&row("not an address"), &from).unwrap_err();
        assert!(e.permanent);
    }
}
