//! Comment use-cases that change something: submitting (with receipts, idempotency, rate
//! limits and duplicate grouping as comments arrive), withdrawing, moderating and entering
//! offline comments. Every write is one transaction that also keeps the counts. None of
//! them changes what the per-node caches hold (a decision and its consultation, not its
//! comments or counts), so none forgets them: the public's reads stay cached under a flood
//! of submissions.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use sea_orm::ConnectionTrait;
use serde_json::json;
use uuid::Uuid;

use super::grouping;
use super::intake::{self, Prepared};
use super::model::*;
use super::queries::{comment_not_found, for_staff, own_view, published_consultation, section_labels};
use super::store;
use super::views::{OwnComment, Receipted};
use crate::audit::{self, Entry};
use crate::authz::Actor;
use crate::db::{Timestamp, new_id};
use crate::decisions::model::{DecisionStatus, Moderation};
use crate::decisions::views::status_now;
use crate::entities::{comments, consultations, decisions};
use crate::error::{AppError, AppResult};
use crate::kernel::client_address::ClientAddress;
use crate::kernel::digest::sha256_hex;
use crate::kernel::rate_limit::{Key, Purpose, Rule};
use crate::kernel::time::{china_time_label, day_in_china, parse_day_not_after, span, year_in_china};
use crate::kernel::{codes, receipts};
use crate::state::AppState;
use crate::t;

/// Refuses comments outside the window, saying when it opens or when it closed.
pub(super) fn check_open(d: &decisions::Model, now: DateTime<Utc>) -> AppResult<()> {
    let label = |at: Option<DateTime<Utc>>| at.map(china_time_label).unwrap_or_default();
    let rfc = |at: Option<DateTime<Utc>>| at.map(|a| a.to_rfc3339()).unwrap_or_default();
    match status_now(d, now) {
        DecisionStatus::Consulting => Ok(()),
        DecisionStatus::Scheduled => {
            let at = label(d.window_opens_at);
            let at_en = rfc(d.window_opens_at);
            Err(AppError::Conflict {
                code: "consultation_not_open_yet",
                message: t!(
                    "征求意见尚未开始，将于 {at} 开始。",
                    "The consultation has not opened yet; it opens at {at_en}."
                ),
            })
        }
        _ => {
            let at = label(d.window_closes_at);
            let at_en = rfc(d.window_closes_at);
            Err(AppError::Conflict {
                code: "consultation_closed",
                message: t!(
                    "征求意见已于 {at} 结束，不再接收意见。",
                    "The consultation closed at {at_en}; comments are no longer accepted."
                ),
            })
        }
    }
}

fn unknown_section() -> AppError {
    AppError::invalid(
        "section_id",
        "unknown_section",
        t!("所选条款不属于正在征求意见的文本。", "That section is not part of the text under consultation."),
    )
}

async fn check_section(state: &AppState, c: &consultations::Model, section: Option<Uuid>) -> AppResult<()> {
    match section {
        Some(id) if !section_labels(state, c).await?.contains_key(&id) => Err(unknown_section()),
        _ => Ok(()),
    }
}

/// The rate limits a submission counts against: its client address (or /64) and its account.
fn limits(state: &AppState, actor: &Actor, address: Option<ClientAddress>) -> Vec<(Key, Rule)> {
    let window = span(state.config.comment_window);
    let mut keys = Vec::new();
    if let Some(a) = address {
        keys.push((
            Key::new(Purpose::CommentAddress, a.limit_key()),
            Rule { max: state.config.comment_max_per_address, window },
        ));
    }
    if let Some(account) = actor.account_id() {
        keys.push((
            Key::new(Purpose::CommentAccount, account),
            Rule { max: state.config.comment_max_per_account, window },
        ));
    }
    keys
}

pub(super) fn too_many(wait: TimeDelta) -> AppError {
    let secs = wait.num_seconds().max(1) as u64;
    let minutes = secs.div_ceil(60);
    AppError::TooManyRequests {
        retry_after_secs: secs,
        message: t!(
            "提交过于频繁，请 {minutes} 分钟后再试。",
            "Too many comments in a short time; try again in {minutes} minute(s)."
        ),
    }
}

/// Writes a comment with its group, buckets and counts within `tx` (offline entries and the
/// demo's history; public submissions go through the writer's batches). Reads its group
/// in the same transaction, since it is the only comment written.
pub(crate) async fn insert_counted(tx: &impl ConnectionTrait, comment: comments::Model) -> AppResult<comments::Model> {
    let grouping = grouping::find(tx, comment.decision_id, &comment.body).await?;
    let item = Prepared { comment, grouping, limits: vec![], check_window: false };
    let now = item.comment.created_at;
    intake::write(tx, std::slice::from_ref(&item), now).await?.0.pop().unwrap_or_else(|| Err(comment_not_found()))
}

/// A submission from the public form.
pub struct Submission {
    pub decision_id: Uuid,
    pub section_id: Option<Uuid>,
    pub comment: NewComment,
    pub address: Option<ClientAddress>,
    /// Makes retries safe: the same key (from the same person) answers the first receipt.
    pub idempotency_key: Option<String>,
}

async fn receipted(state: &AppState, c: comments::Model, replayed: bool) -> AppResult<Receipted> {
    let secret = state.receipt_keys.secret_under(c.receipt_key_id.as_deref(), c.id).ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!(
            "comment {}: receipt key {:?} is no longer configured; keep old keys when rotating",
            c.id,
            c.receipt_key_id
        ))
    })?;
    Ok(Receipted { comment: own_view(state, c).await?, secret, replayed })
}

/// Takes a submission: everything that can be decided by reading is decided here, on the
/// read pool and this node's caches (window, section, replay, refusals, near-duplicates);
/// the write joins this node's next batch (`intake`), which checks the window and limits
/// again against the database and answers once the batch is committed.
pub async fn submit(state: &AppState, actor: &Actor, s: Submission) -> AppResult<Receipted> {
    let db = &state.db;
    let (d, c) = published_consultation(state, actor, s.decision_id).await?;
    let now = Timestamp::now();
    check_open(&d, now)?;
    if !c.anonymous_allowed && actor.account_id().is_none() {
        return Err(AppError::Unauthenticated(t!(
            "本次征求意见要求登录后提交意见。",
            "This consultation accepts comments from signed-in users only."
        )));
    }
    let labels = section_labels(state, &c).await?;
    let section_label = match s.section_id {
        None => None,
        Some(id) => Some(labels.get(&id).cloned().ok_or_else(unknown_section)?),
    };
    // Keys are scoped to the account, or the client address, so one person cannot replay
    // another's submission by guessing a key.
    let idempotency = s.idempotency_key.as_deref().map(str::trim).filter(|k| !k.is_empty()).map(|k| {
        let scope = match actor.account_id() {
            Some(account) => account.to_string(),
            None => s.address.map(|a| a.to_string()).unwrap_or_default(),
        };
        sha256_hex(format!("{scope}\n{k}"))
    });
    if let Some(key) = &idempotency
        && let Some(first) = store::find_by_idempotency_key(db.conn(), d.id, key).await?
    {
        return receipted(state, first, true).await;
    }
    let status = if c.moderation == Moderation::Pre { CommentStatus::Received } else { CommentStatus::Published };
    let limits = limits(state, actor, s.address);
    if let Some(wait) = state.intake.refused(&limits, now) {
        return Err(too_many(wait));
    }
    let grouping = grouping::find(db.conn(), d.id, &s.comment.body).await?;
    let new = &s.comment;
    let row = |tracking_number: String| {
        let id = new_id();
        comments::Model {
            id,
            decision_id: d.id,
            version_number: c.version_number,
            section_id: s.section_id,
            body: new.body.clone(),
            category: new.category,
            display_name: new.display_name.clone(),
            contact_phone: new.contact_phone.clone(),
            contact_email: new.contact_email.clone(),
            account_id: actor.account_id(),
            channel: Channel::Online,
            received_on: day_in_china(now).to_string(),
            status,
            hidden_reason: None,
            moderation_note: None,
            tracking_number,
            secret_hash: receipts::secret_hash(&state.receipt_keys.current_secret(id)),
            receipt_key_id: Some(state.receipt_keys.current_id().to_string()),
            idempotency_key: idempotency.clone(),
            duplicate_group_id: None,
            entered_by: None,
            created_at: now,
            updated_at: now,
        }
    };
    for _ in 0..5 {
        let comment = row(codes::tracking_number(year_in_china(now)));
        let item = Prepared { comment, grouping: grouping.clone(), limits: limits.clone(), check_window: true };
        match state.intake.submit(db, item).await {
            Ok(comment) => {
                let secret = state.receipt_keys.current_secret(comment.id);
                let comment = OwnComment {
                    comment: super::views::comment(comment),
                    decision_title: d.title.clone(),
                    section_label,
                    can_withdraw: true,
                    answer: None,
                };
                return Ok(Receipted { comment, secret, replayed: false });
            }
            Err(e) if e.is_unique_violation() => {
                // Same idempotency key raced in: answer the first one.
                if let Some(key) = &idempotency
                    && let Some(first) = store::find_by_idempotency_key(db.conn(), d.id, key).await?
                {
                    return receipted(state, first, true).await;
                }
                continue; // a tracking number collision: draw another
            }
            Err(e) => return Err(e),
        }
    }
    Err(AppError::Internal(anyhow::anyhow!("could not draw a free tracking number")))
}

/// The comment a receipt names, if the secret is right. A wrong secret and an unknown
/// number get the same answer, so receipts cannot be probed.
pub async fn by_receipt(state: &AppState, tracking_number: &str, secret: &str) -> AppResult<comments::Model> {
    let tn = codes::parse_tracking_number(tracking_number).ok_or_else(comment_not_found)?;
    match store::find_by_tracking_number(state.db.conn(), &tn).await? {
        Some(c) if receipts::secret_matches(&c.secret_hash, secret) => Ok(c),
        _ => Err(comment_not_found()),
    }
}

/// Withdraws a comment while its consultation is open. Conditioned on the status read in
/// the same transaction, so a parallel moderation cannot undo it and counts move once.
async fn withdraw(state: &AppState, comment_id: Uuid) -> AppResult<OwnComment> {
    let tx = state.db.write().await?;
    let current = store::find_for_update(&tx, comment_id).await?.ok_or_else(comment_not_found)?;
    if current.status == CommentStatus::Withdrawn {
        return Err(AppError::Conflict {
            code: "already_withdrawn",
            message: t!("该意见已撤回。", "This comment was already withdrawn."),
        });
    }
    let d = crate::decisions::store::find(&tx, current.decision_id).await?.ok_or_else(comment_not_found)?;
    check_open(&d, Timestamp::now()).map_err(|_| AppError::Conflict {
        code: "consultation_closed",
        message: t!(
            "征求意见已结束，意见不能再撤回。",
            "The consultation has closed; comments can no longer be withdrawn."
        ),
    })?;
    let mut changed = current.clone();
    changed.status = CommentStatus::Withdrawn;
    if !store::save_if_status(&tx, &changed, current.status).await? {
        return Err(AppError::Conflict {
            code: "changed_meanwhile",
            message: t!("该意见刚被修改，请刷新后重试。", "The comment changed meanwhile; reload and try again."),
        });
    }
    store::apply_deltas(&tx, d.id, &count_deltas(Some(&intake::facts(&current)), Some(&intake::facts(&changed))))
        .await?;
    if let Some(g) = current.duplicate_group_id {
        store::grow_group(&tx, g, -1).await?;
    }
    tx.commit().await?;
    state.comment_stats.forget(&d.id);
    own_view(state, changed).await
}

pub async fn withdraw_by_receipt(state: &AppState, tracking_number: &str, secret: &str) -> AppResult<OwnComment> {
    let c = by_receipt(state, tracking_number, secret).await?;
    withdraw(state, c.id).await
}

pub async fn withdraw_own(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<OwnComment> {
    actor.principal()?;
    let c = store::find(state.db.conn(), id)
        .await?
        .filter(|c| actor.is_author(c.account_id))
        .ok_or_else(comment_not_found)?;
    withdraw(state, c.id).await
}

pub enum Moderate {
    Publish,
    Hide { reason: HiddenReason, note: Option<String> },
}

pub enum Target {
    Ids(Vec<Uuid>),
    Filter(InboxFilter),
}

impl Target {
    /// Comments named by id or by a filter: exactly one of the two (moderation, assignment).
    pub fn one_of(ids: Option<Vec<Uuid>>, filter: Option<InboxFilter>) -> AppResult<Target> {
        match (ids, filter) {
            (Some(ids), None) => Ok(Target::Ids(ids)),
            (None, Some(f)) => Ok(Target::Filter(f)),
            _ => Err(AppError::invalid(
                "comment_ids",
                "one_of",
                t!(
                    "请指定意见编号（comment_ids）或筛选条件（filter），二选一。",
                    "Send either comment_ids or a filter."
                ),
            )),
        }
    }
}

pub const MAX_BULK: u64 = 5000;

/// Publishes or hides the chosen comments. Each change is conditioned on the status that
/// was read, so a comment withdrawn meanwhile stays withdrawn, and counts move only for the
/// rows that changed.
pub async fn moderate(
    state: &AppState,
    actor: &Actor,
    decision_id: Uuid,
    target: Target,
    action: Moderate,
) -> AppResult<usize> {
    let (d, _) = for_staff(state, actor, decision_id).await?;
    let tx = state.db.write().await?;
    let chosen = match target {
        Target::Ids(ids) => store::by_ids(&tx, d.id, ids).await?,
        Target::Filter(f) => store::matching(&tx, d.id, &f, MAX_BULK).await?,
    };
    let mut deltas: Vec<Delta> = Vec::new();
    let mut changed = 0;
    for c in chosen.into_iter().filter(|c| c.status != CommentStatus::Withdrawn) {
        let mut next = c.clone();
        match &action {
            Moderate::Publish => {
                next.status = CommentStatus::Published;
                next.hidden_reason = None;
            }
            Moderate::Hide { reason, note } => {
                next.status = CommentStatus::Hidden;
                next.hidden_reason = Some(*reason);
                if note.is_some() {
                    next.moderation_note = note.clone();
                }
            }
        }
        if next == c || !store::save_if_status(&tx, &next, c.status).await? {
            continue;
        }
        deltas.extend(count_deltas(Some(&intake::facts(&c)), Some(&intake::facts(&next))));
        changed += 1;
    }
    store::apply_deltas(&tx, d.id, &merge_deltas(deltas)).await?;
    let (action_name, reason) = match &action {
        Moderate::Publish => ("published", None),
        Moderate::Hide { reason, .. } => ("hidden", Some(reason.as_str())),
    };
    audit::record(
        &tx,
        Entry {
            actor_id: actor.account_id(),
            agency_id: Some(d.agency_id),
            entity_type: "decision",
            entity_id: d.id,
            action: "comments_moderated",
            details: json!({ "action": action_name, "reason": reason, "comments": changed }),
        },
    )
    .await?;
    tx.commit().await?;
    state.comment_stats.forget(&d.id);
    Ok(changed)
}

/// A comment received by letter, e-mail, symposium, hearing or survey.
pub struct Offline {
    pub comment: NewComment,
    pub channel: Channel,
    /// `YYYY-MM-DD`, not in the future.
    pub received_on: String,
    pub section_id: Option<Uuid>,
    /// Why a date outside the window is accepted; without it such a date is refused.
    pub outside_window_reason: Option<String>,
    /// Publish (or hold for moderation) against the consultation's rule.
    pub publish_now: Option<bool>,
}

/// Offline comments are entered while the consultation runs and until its feedback report
/// is published: the report counts them, so a later entry would change published figures.
fn check_accepts_offline(d: &decisions::Model, now: DateTime<Utc>) -> AppResult<()> {
    match status_now(d, now) {
        DecisionStatus::Scheduled | DecisionStatus::Consulting | DecisionStatus::Closed => Ok(()),
        _ => Err(AppError::Conflict {
            code: "consultation_concluded",
            message: t!(
                "该事项的征求意见已结束并公布结果，不能再录入线下意见。",
                "This consultation has concluded; offline comments can no longer be entered."
            ),
        }),
    }
}

/// The day received must fall within the window (days in China) unless a reason is given.
fn check_received_in_window(c: &consultations::Model, received: NaiveDate, reason: Option<&str>) -> AppResult<()> {
    let (opens_on, closes_on) = (day_in_china(c.opens_at), day_in_china(c.closes_at));
    if reason.is_some() || (opens_on..=closes_on).contains(&received) {
        return Ok(());
    }
    Err(AppError::invalid(
        "received_on",
        "outside_window",
        t!(
            "收到日期不在征求意见期（{opens_on} 至 {closes_on}）内；如确需录入，请填写例外理由。",
            "The date received is outside the consultation window ({opens_on} to {closes_on}); give a reason to accept it anyway."
        ),
    ))
}

pub async fn enter_offline(state: &AppState, actor: &Actor, decision_id: Uuid, o: Offline) -> AppResult<Receipted> {
    let (d, c) = for_staff(state, actor, decision_id).await?;
    if o.channel == Channel::Online {
        return Err(AppError::invalid(
            "channel",
            "online",
            t!("线上意见请由提交人直接提交。", "Online comments are submitted by their authors."),
        ));
    }
    let now = Timestamp::now();
    check_accepts_offline(&d, now)?;
    let received = parse_day_not_after(&o.received_on, day_in_china(now)).ok_or_else(|| {
        AppError::invalid(
            "received_on",
            "invalid_date",
            t!(
                "请填写收到日期（不晚于今天），如 2026-11-20。",
                "Give the date received (not in the future), e.g. 2026-11-20."
            ),
        )
    })?;
    check_received_in_window(&c, received, o.outside_window_reason.as_deref())?;
    check_section(state, &c, o.section_id).await?;
    let status = offline_status(c.moderation == Moderation::Pre, o.publish_now);
    let p = actor.principal()?;
    let id = new_id();
    let year = chrono::Datelike::year(&received);
    let comment = comments::Model {
        id,
        decision_id: d.id,
        version_number: c.version_number,
        section_id: o.section_id,
        body: o.comment.body,
        category: o.comment.category,
        display_name: o.comment.display_name,
        contact_phone: o.comment.contact_phone,
        contact_email: o.comment.contact_email,
        account_id: None,
        channel: o.channel,
        received_on: received.to_string(),
        status,
        hidden_reason: None,
        moderation_note: None,
        tracking_number: codes::tracking_number(year),
        secret_hash: receipts::secret_hash(&state.receipt_keys.current_secret(id)),
        receipt_key_id: Some(state.receipt_keys.current_id().to_string()),
        idempotency_key: None,
        duplicate_group_id: None,
        entered_by: Some(p.account_id),
        created_at: now,
        updated_at: now,
    };
    let tx = state.db.write().await?;
    let comment = insert_counted(&tx, comment).await?;
    audit::record(
        &tx,
        Entry {
            actor_id: Some(p.account_id),
            agency_id: Some(d.agency_id),
            entity_type: "decision",
            entity_id: d.id,
            action: "offline_comment_entered",
            details: json!({
                "comment_id": comment.id,
                "channel": comment.channel.as_str(),
                "received_on": comment.received_on,
                "status": comment.status.as_str(),
                "moderation_overridden": o.publish_now.is_some_and(|p| p != (c.moderation == Moderation::Post)),
                "outside_window_reason": o.outside_window_reason,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    state.comment_stats.forget(&d.id);
    receipted(state, comment, false).await
}
