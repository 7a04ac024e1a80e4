//! Telling a decision's followers of a step in its life: called by the decision and feedback
//! services inside the transaction of the change, so the e-mails exist exactly when the
//! change does. Depends on no other domain (the decision services call it, not the reverse).

use std::collections::BTreeSet;

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::model::{Event, TELL_PAGE};
use super::store;
use crate::error::AppResult;
use crate::outbox::{Message, enqueue};
use crate::state::AppState;

/// Writes one e-mail about `event` to every enabled follower of decision `id` (titled
/// `title`) whose address is not in `told` (already told of it by another message, e.g. as a
/// submitter); answers how many. Reads followers in pages of `TELL_PAGE`.
pub async fn tell_followers(
    state: &AppState,
    tx: &impl ConnectionTrait,
    id: Uuid,
    title: &str,
    event: &Event,
    told: &BTreeSet<String>,
) -> AppResult<usize> {
    let link = format!("{}/consultations/{id}", state.config.public_url.trim_end_matches('/'));
    let (subject, body) = event.message(title, &link);
    let mut after = Uuid::nil();
    let mut sent = 0;
    loop {
        let page = store::followers(tx, id, after, TELL_PAGE).await?;
        let Some((last, _)) = page.last() else { break };
        after = *last;
        let full = page.len() as u64 == TELL_PAGE;
        for (_, to) in page {
            if told.contains(&to) {
                continue;
            }
            enqueue(tx, Message { kind: event.kind(), to, subject: subject.clone(), body: body.clone() }).await?;
            sent += 1;
        }
        if !full {
            break;
        }
    }
    Ok(sent)
}
