//! Writing messages to the outbox and delivering the ones that are due.

use sea_orm::ConnectionTrait;

use super::model::{self, BATCH, CLAIM, MAX_ATTEMPTS, Message};
use super::store;
use super::transport::Transport;
use crate::db::{Timestamp, new_id};
use crate::error::AppResult;
use crate::state::AppState;

/// Adds `m` to the outbox: one insert, meant to run inside the caller's write transaction so
/// that the e-mail exists exactly when the change it tells about does. Delivery happens
/// later, on whichever node claims it. Fails (and so rolls the caller back) only when the
/// database does or when the kind or recipient cannot be stored (see `Message::checked`).
pub async fn enqueue(db: &impl ConnectionTrait, m: Message) -> AppResult<()> {
    store::insert(db, new_id(), m.checked()?, Timestamp::now()).await
}

/// Delivers up to `model::BATCH` due messages and answers how many were sent. Each is
/// claimed first, so that when several nodes (or calls) run at once every message is sent
/// by one of them only. A failed delivery is recorded and tried again after a backoff;
/// after `MAX_ATTEMPTS` failures, or at once when retrying cannot help, it is given up
/// (the row stays, unsent, with its last error) and a warning is logged.
pub async fn deliver_due(state: &AppState) -> AppResult<usize> {
    let db = state.db.conn();
    let due = store::due(db, Timestamp::now(), BATCH).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let transport = Transport::from_config(&state.config)?;
    let mut sent = 0;
    for row in due {
        let now = Timestamp::now();
        if !store::claim(db, row.id, now, now + CLAIM).await? {
            continue;
        }
        match transport.send(&row).await {
            Ok(()) => {
                store::mark_sent(db, row.id, Timestamp::now()).await?;
                sent += 1;
            }
            Err(e) => {
                let attempts = if e.permanent { MAX_ATTEMPTS } else { (row.attempts + 1).min(MAX_ATTEMPTS) };
                let error = model::error_text(&e.message);
                let now = Timestamp::now();
                store::mark_failed(db, row.id, attempts, &error, now + model::backoff(attempts)).await?;
                if attempts >= MAX_ATTEMPTS {
                    tracing::warn!(id = %row.id, kind = %row.kind, recipient = %row.recipient, attempts, error = %error,
                        "e-mail given up: it stays in the outbox, unsent");
                } else {
                    tracing::info!(id = %row.id, kind = %row.kind, attempts, error = %error,
                        "e-mail not delivered; it will be tried again");
                }
            }
        }
    }
    Ok(sent)
}
