//! Telling a decision's followers of a step in its life: called by the decision and feedback
//! services inside the transaction of the change, so the e-mails exist exactly when the
//! change does. Of the decisions domain it uses only the store's locked read.

use std::collections::BTreeSet;

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::model::{Event, REMIND_BEFORE, TELL_PAGE, UNFOLLOW_LINK, reminder_due, unfollow_link_message};
use super::store;
use crate::db::Timestamp;
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
    let site = state.config.public_url.trim_end_matches('/');
    let link = format!("{site}/consultations/{id}");
    let mut after = Uuid::nil();
    let mut sent = 0;
    loop {
        let page = store::followers(tx, id, after, TELL_PAGE, event.for_those_who_have_not_commented()).await?;
        let Some((last, _)) = page.last() else { break };
        after = *last;
        let full = page.len() as u64 == TELL_PAGE;
        for (account, to) in page {
            if told.contains(&to) {
                continue;
            }
            let token = state.receipt_keys.sign(UNFOLLOW_LINK, &unfollow_link_message(account, id));
            let unfollow = format!("{site}/unfollow?account={account}&decision={id}&token={token}");
            let (subject, body) = event.message(title, &link, &unfollow);
            enqueue(tx, Message { kind: event.kind(), to, subject, body }).await?;
            sent += 1;
        }
        if !full {
            break;
        }
    }
    Ok(sent)
}

/// Reminds the followers (who have not commented) of decisions whose window closes within
/// `REMIND_BEFORE`; answers for how many decisions. Run by every node's clock loop: the
/// reminder row, inserted in the same transaction as the e-mails, makes each reminder go once.
pub async fn remind_closing(state: &AppState) -> AppResult<usize> {
    let now = Timestamp::now();
    let due = store::closing_unreminded(state.db.conn(), now, now + REMIND_BEFORE, 100).await?;
    let mut reminded = 0;
    for d in due {
        let Some(closes_at) = d.window_closes_at else { continue };
        let tx = state.db.write().await?;
        // Conditioned on what was read: a window extended or a decision withdrawn since is
        // left to the next tick (which sees the new closing time, or nothing to remind of).
        let now_stored = crate::decisions::store::find_for_update(&tx, d.id).await?;
        if now_stored.is_none_or(|s| s.status != d.status || s.window_closes_at != d.window_closes_at) {
            continue;
        }
        // A window too short for a reminder is recorded too, so it is not looked at again.
        if store::insert_reminder(&tx, d.id, closes_at, now).await? && reminder_due(d.window_opens_at, closes_at, now) {
            let event = Event::ClosingSoon { closes_at };
            tell_followers(state, &tx, d.id, &d.title, &event, &BTreeSet::new()).await?;
            reminded += 1;
        }
        tx.commit().await?;
    }
    Ok(reminded)
}
