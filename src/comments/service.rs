//! Comment use-cases: submitting (with receipts, idempotency, rate limits and duplicate
//! grouping as comments arrive), withdrawing, moderating and entering offline comments.
//! Every write is one transaction that also keeps the counts.

use std::net::IpAddr;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use super::model::*;
use super::store;
use crate::audit::{self, Entry};
use crate::authz::{Action, Actor};
use crate::db::{Db, Timestamp, is_unique_violation, new_id};
use crate::decisions::model::Status;
use crate::decisions::service::{load_visible, status_now};
use crate::entities::{comments, consultations, decisions, draft_versions, sections};
use crate::error::{AppError, AppResult};
use crate::t;

pub fn comment_not_found() -> AppError {
    AppError::NotFound(t!("找不到该意见。", "No such comment."))
}

fn china_time(t: DateTime<Utc>) -> String {
    (t + TimeDelta::hours(8)).format("%Y年%-m月%-d日 %H:%M").to_string()
}

fn facts(c: &comments::Model) -> Option<Facts> {
    Some(Facts {
        status: CommentStatus::parse(&c.status)?,
        section: c.section_id.map(|s| s.to_string()),
        category: Category::parse(&c.category)?,
        channel: Channel::parse(&c.channel)?,
        day: c.received_on.clone(),
        hidden_reason: c.hidden_reason.as_deref().and_then(HiddenReason::parse),
    })
}

/// A published decision and its consultation.
pub async fn consultation_of(
    db: &Db,
    actor: &Actor,
    decision_id: Uuid,
) -> AppResult<(decisions::Model, consultations::Model)> {
    let d = load_visible(db, actor, decision_id).await?;
    let c = crate::decisions::store::consultation(db.conn(), d.id)
        .await?
        .ok_or_else(|| AppError::NotFound(t!("该决策事项没有征求意见。", "This decision has no consultation.")))?;
    Ok((d, c))
}

/// Refuses comments outside the window, saying when it opens or when it closed.
fn check_open(d: &decisions::Model, c: &consultations::Model, now: DateTime<Utc>) -> AppResult<()> {
    match status_now(d, now) {
        Status::Consulting => Ok(()),
        Status::Scheduled => {
            let at = china_time(c.opens_at);
            let at_en = c.opens_at.to_rfc3339();
            Err(AppError::Conflict {
                code: "consultation_not_open_yet",
                message: t!(
                    "征求意见尚未开始，将于 {at} 开始。",
                    "The consultation has not opened yet; it opens at {at_en}."
                ),
            })
        }
        _ => {
            let at = china_time(c.closes_at);
            let at_en = c.closes_at.to_rfc3339();
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

async fn section_in_version(
    db: &impl ConnectionTrait,
    decision: Uuid,
    version_number: i32,
    section: Uuid,
) -> AppResult<()> {
    let version = draft_versions::Entity::find()
        .filter(draft_versions::Column::DecisionId.eq(decision))
        .filter(draft_versions::Column::Number.eq(version_number))
        .one(db)
        .await?;
    let found = match version {
        Some(v) => sections::Entity::find_by_id(section).one(db).await?.is_some_and(|s| s.version_id == v.id),
        None => false,
    };
    if found {
        Ok(())
    } else {
        Err(AppError::invalid(
            "section_id",
            "unknown_section",
            t!("所选条款不属于正在征求意见的文本。", "That section is not part of the text under consultation."),
        ))
    }
}

pub struct RateLimits {
    pub per_address: u32,
    pub per_account: u32,
    pub window: TimeDelta,
}

/// Counts this submission against its address and account; 429 when over the limit.
async fn rate_limit(
    tx: &impl ConnectionTrait,
    actor: &Actor,
    address: Option<IpAddr>,
    limits: &RateLimits,
) -> AppResult<()> {
    let now = Timestamp::now();
    let mut keys = Vec::new();
    if let Some(ip) = address {
        keys.push((format!("comment:address:{ip}"), limits.per_address));
    }
    if let Ok(p) = actor.principal() {
        keys.push((format!("comment:account:{}", p.account_id), limits.per_account));
    }
    for (key, limit) in &keys {
        let row = crate::accounts::store::count_attempt(tx, key, now, now - limits.window).await?;
        if row.failures.max(0) as u32 > *limit {
            let wait = (row.window_started_at + limits.window - now).num_seconds().max(1) as u64;
            let minutes = wait.div_ceil(60);
            return Err(AppError::TooManyRequests {
                retry_after_secs: wait,
                message: t!(
                    "提交过于频繁，请 {minutes} 分钟后再试。",
                    "Too many comments in a short time; try again in {minutes} minute(s)."
                ),
            });
        }
    }
    Ok(())
}

/// Where a new comment goes among near-duplicates, decided before it is inserted.
struct Grouping {
    group: Option<Uuid>,
    buckets: Vec<i64>,
    /// Nearly the same text as a grouped comment already there: its buckets add nothing.
    skip_buckets: bool,
}

/// Finds the group of the most alike earlier comment, if any is alike enough (creating the
/// group when that comment had none). Runs as the comment arrives, in its transaction.
async fn find_group(tx: &impl ConnectionTrait, decision: Uuid, body: &str) -> AppResult<Grouping> {
    let mine = shingles(body);
    let my_buckets = buckets(&mine);
    let candidates = store::candidates(tx, decision, &my_buckets, 40).await?;
    let best = candidates
        .iter()
        .map(|o| (jaccard(&mine, &shingles(&o.body)), o))
        .filter(|(j, _)| *j >= SAME_TEXT)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.id.cmp(&a.1.id)));
    let Some((similarity, other)) = best else {
        return Ok(Grouping { group: None, buckets: my_buckets, skip_buckets: false });
    };
    let group = match other.duplicate_group_id {
        Some(g) => g,
        None => store::new_group(tx, decision, other.id).await?,
    };
    store::grow_group(tx, group, 1).await?;
    Ok(Grouping { group: Some(group), buckets: my_buckets, skip_buckets: similarity >= 0.95 })
}

/// Inserts a comment with its group and buckets.
async fn insert_grouped(tx: &impl ConnectionTrait, mut comment: comments::Model) -> Result<comments::Model, AppError> {
    let grouping = find_group(tx, comment.decision_id, &comment.body).await?;
    comment.duplicate_group_id = grouping.group;
    store::insert(tx, comment.clone()).await?;
    if !grouping.skip_buckets {
        store::insert_buckets(tx, comment.decision_id, comment.id, &grouping.buckets).await?;
    }
    Ok(comment)
}

pub struct Submission<'a> {
    pub actor: &'a Actor,
    pub address: Option<IpAddr>,
    pub idempotency_key: Option<&'a str>,
    pub receipt_key: &'a [u8],
    pub limits: &'a RateLimits,
}

pub struct Receipted {
    pub comment: comments::Model,
    pub secret: String,
    /// An earlier submission with the same idempotency key, answered again.
    pub replayed: bool,
}

pub async fn submit(
    db: &Db,
    s: Submission<'_>,
    decision_id: Uuid,
    section_id: Option<Uuid>,
    new: NewComment,
) -> AppResult<Receipted> {
    let (d, c) = consultation_of(db, s.actor, decision_id).await?;
    let now = Timestamp::now();
    check_open(&d, &c, now)?;
    if !c.anonymous_allowed && s.actor.principal().is_err() {
        return Err(AppError::Unauthenticated(t!(
            "本次征求意见要求登录后提交意见。",
            "This consultation accepts comments from signed-in users only."
        )));
    }
    if let Some(section) = section_id {
        section_in_version(db.conn(), d.id, c.version_number, section).await?;
    }
    let idempotency = s.idempotency_key.map(|k| {
        let scope = match s.actor.principal() {
            Ok(p) => p.account_id.to_string(),
            Err(_) => s.address.map(|a| a.to_string()).unwrap_or_default(),
        };
        crate::digest::sha256_hex(format!("{scope}\n{k}"))
    });
    if let Some(key) = &idempotency
        && let Some(first) = store::find_by_idempotency_key(db.conn(), d.id, key).await?
    {
        let secret = receipt_secret(s.receipt_key, first.id);
        return Ok(Receipted { comment: first, secret, replayed: true });
    }
    let status = if c.moderation == "pre" { CommentStatus::Received } else { CommentStatus::Published };
    let row = |tracking_number: String| {
        let id = new_id();
        comments::Model {
            id,
            decision_id: d.id,
            version_number: c.version_number,
            section_id,
            body: new.body.clone(),
            category: new.category.as_str().into(),
            display_name: new.display_name.clone(),
            contact_phone: new.contact_phone.clone(),
            contact_email: new.contact_email.clone(),
            account_id: s.actor.principal().ok().map(|p| p.account_id),
            channel: Channel::Online.as_str().into(),
            received_on: store::day_in_china(now),
            status: status.as_str().into(),
            hidden_reason: None,
            moderation_note: None,
            tracking_number,
            secret_hash: crate::digest::sha256_hex(receipt_secret(s.receipt_key, id)),
            idempotency_key: idempotency.clone(),
            duplicate_group_id: None,
            entered_by: None,
            created_at: now,
            updated_at: now,
        }
    };
    let year = (now + TimeDelta::hours(8)).format("%Y").to_string().parse().unwrap_or(2026);
    for _ in 0..5 {
        let comment = row(tracking_number(year));
        let tx = db.write().await?;
        rate_limit(&tx, s.actor, s.address, s.limits).await?;
        let comment = match insert_grouped(&tx, comment).await {
            Ok(c) => c,
            Err(AppError::Internal(e)) if e.downcast_ref::<sea_orm::DbErr>().is_some_and(is_unique_violation) => {
                drop(tx);
                // Same idempotency key raced in: answer the first one.
                if let Some(key) = &idempotency
                    && let Some(first) = store::find_by_idempotency_key(db.conn(), d.id, key).await?
                {
                    let secret = receipt_secret(s.receipt_key, first.id);
                    return Ok(Receipted { comment: first, secret, replayed: true });
                }
                continue; // a tracking number collision: draw another
            }
            Err(e) => return Err(e),
        };
        store::apply_deltas(&tx, d.id, &count_deltas(None, facts(&comment).as_ref())).await?;
        tx.commit().await?;
        let secret = receipt_secret(s.receipt_key, comment.id);
        return Ok(Receipted { comment, secret, replayed: false });
    }
    Err(AppError::Internal(anyhow::anyhow!("could not draw a free tracking number")))
}

/// The comment a receipt names, if the secret is right. A wrong secret and an unknown
/// number get the same answer, so receipts cannot be probed.
pub async fn by_receipt(db: &Db, tracking_number: &str, secret: &str) -> AppResult<comments::Model> {
    let tn = parse_tracking_number(tracking_number).ok_or_else(comment_not_found)?;
    let comment = store::find_by_tracking_number(db.conn(), &tn).await?;
    let given = crate::digest::sha256_hex(secret.trim().to_ascii_uppercase().as_str());
    match comment {
        Some(c) if constant_time_eq(c.secret_hash.as_bytes(), given.as_bytes()) => Ok(c),
        _ => Err(comment_not_found()),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn withdraw(db: &Db, comment: comments::Model) -> AppResult<comments::Model> {
    let tx = db.write().await?;
    let current = store::find(&tx, comment.id).await?.ok_or_else(comment_not_found)?;
    if current.status == CommentStatus::Withdrawn.as_str() {
        return Err(AppError::Conflict {
            code: "already_withdrawn",
            message: t!("该意见已撤回。", "This comment was already withdrawn."),
        });
    }
    let d = crate::decisions::store::find(&tx, current.decision_id).await?.ok_or_else(comment_not_found)?;
    let c = crate::decisions::store::consultation(&tx, d.id).await?.ok_or_else(comment_not_found)?;
    check_open(&d, &c, Timestamp::now()).map_err(|_| AppError::Conflict {
        code: "consultation_closed",
        message: t!(
            "征求意见已结束，意见不能再撤回。",
            "The consultation has closed; comments can no longer be withdrawn."
        ),
    })?;
    let before = facts(&current);
    let mut changed = current.clone();
    changed.status = CommentStatus::Withdrawn.as_str().into();
    let changed = store::save(&tx, changed).await?;
    store::apply_deltas(&tx, d.id, &count_deltas(before.as_ref(), facts(&changed).as_ref())).await?;
    if let Some(g) = current.duplicate_group_id {
        store::grow_group(&tx, g, -1).await?;
    }
    tx.commit().await?;
    Ok(changed)
}

pub async fn withdraw_by_receipt(db: &Db, tracking_number: &str, secret: &str) -> AppResult<comments::Model> {
    let c = by_receipt(db, tracking_number, secret).await?;
    withdraw(db, c).await
}

pub async fn withdraw_own(db: &Db, actor: &Actor, id: Uuid) -> AppResult<comments::Model> {
    let p = actor.principal()?;
    let c = store::find(db.conn(), id)
        .await?
        .filter(|c| c.account_id == Some(p.account_id))
        .ok_or_else(comment_not_found)?;
    withdraw(db, c).await
}

/// A decision whose comments `actor` may moderate.
pub async fn for_staff(
    db: &Db,
    actor: &Actor,
    decision_id: Uuid,
) -> AppResult<(decisions::Model, consultations::Model)> {
    let (d, c) = consultation_of(db, actor, decision_id).await?;
    actor.authorize(Action::ActFor(d.agency_id))?;
    Ok((d, c))
}

pub enum Moderation {
    Publish,
    Hide { reason: HiddenReason, note: Option<String> },
}

pub enum Target {
    Ids(Vec<Uuid>),
    Filter(store::InboxFilter),
}

pub const MAX_BULK: u64 = 5000;

pub async fn moderate(
    db: &Db,
    actor: &Actor,
    decision_id: Uuid,
    target: Target,
    action: Moderation,
) -> AppResult<usize> {
    let (d, _) = for_staff(db, actor, decision_id).await?;
    let tx = db.write().await?;
    let chosen = match target {
        Target::Ids(ids) => store::by_ids(&tx, d.id, ids).await?,
        Target::Filter(f) => store::matching(&tx, d.id, &f, MAX_BULK).await?,
    };
    let mut deltas: Vec<Delta> = Vec::new();
    let mut changed = 0;
    for c in chosen.into_iter().filter(|c| c.status != CommentStatus::Withdrawn.as_str()) {
        let before = facts(&c);
        let mut next = c.clone();
        match &action {
            Moderation::Publish => {
                next.status = CommentStatus::Published.as_str().into();
                next.hidden_reason = None;
            }
            Moderation::Hide { reason, note } => {
                next.status = CommentStatus::Hidden.as_str().into();
                next.hidden_reason = Some(reason.as_str().into());
                if note.is_some() {
                    next.moderation_note = note.clone();
                }
            }
        }
        if next == c {
            continue;
        }
        let next = store::save(&tx, next).await?;
        deltas.extend(count_deltas(before.as_ref(), facts(&next).as_ref()));
        changed += 1;
    }
    store::apply_deltas(&tx, d.id, &merge_deltas(deltas)).await?;
    let (action_name, reason) = match &action {
        Moderation::Publish => ("published", None),
        Moderation::Hide { reason, .. } => ("hidden", Some(reason.as_str())),
    };
    audit::record(
        &tx,
        Entry {
            actor_id: actor.principal().ok().map(|p| p.account_id),
            agency_id: Some(d.agency_id),
            entity_type: "decision",
            entity_id: d.id,
            action: "comments_moderated",
            details: json!({ "action": action_name, "reason": reason, "comments": changed }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(changed)
}

pub struct Offline {
    pub new: NewComment,
    pub channel: Channel,
    pub received_on: String,
    pub section_id: Option<Uuid>,
}

/// Enters a comment received by letter, e-mail, symposium, hearing or survey.
pub async fn enter_offline(
    db: &Db,
    actor: &Actor,
    decision_id: Uuid,
    o: Offline,
    receipt_key: &[u8],
) -> AppResult<Receipted> {
    let (d, c) = for_staff(db, actor, decision_id).await?;
    if o.channel == Channel::Online {
        return Err(AppError::invalid(
            "channel",
            "online",
            t!("线上意见请由提交人直接提交。", "Online comments are submitted by their authors."),
        ));
    }
    let today = NaiveDate::parse_from_str(&store::day_in_china(Timestamp::now()), "%Y-%m-%d").unwrap_or_default();
    let received =
        NaiveDate::parse_from_str(o.received_on.trim(), "%Y-%m-%d").ok().filter(|r| *r <= today).ok_or_else(|| {
            AppError::invalid(
                "received_on",
                "invalid_date",
                t!(
                    "请填写收到日期（不晚于今天），如 2026-11-20。",
                    "Give the date received (not in the future), e.g. 2026-11-20."
                ),
            )
        })?;
    if let Some(section) = o.section_id {
        section_in_version(db.conn(), d.id, c.version_number, section).await?;
    }
    let p = actor.principal()?;
    let now = Timestamp::now();
    let id = new_id();
    let year = received.format("%Y").to_string().parse().unwrap_or(2026);
    let comment = comments::Model {
        id,
        decision_id: d.id,
        version_number: c.version_number,
        section_id: o.section_id,
        body: o.new.body,
        category: o.new.category.as_str().into(),
        display_name: o.new.display_name,
        contact_phone: o.new.contact_phone,
        contact_email: o.new.contact_email,
        account_id: None,
        channel: o.channel.as_str().into(),
        received_on: received.to_string(),
        status: CommentStatus::Published.as_str().into(),
        hidden_reason: None,
        moderation_note: None,
        tracking_number: tracking_number(year),
        secret_hash: crate::digest::sha256_hex(receipt_secret(receipt_key, id)),
        idempotency_key: None,
        duplicate_group_id: None,
        entered_by: Some(p.account_id),
        created_at: now,
        updated_at: now,
    };
    let tx = db.write().await?;
    let comment = insert_grouped(&tx, comment).await?;
    store::apply_deltas(&tx, d.id, &count_deltas(None, facts(&comment).as_ref())).await?;
    audit::record(
        &tx,
        Entry {
            actor_id: Some(p.account_id),
            agency_id: Some(d.agency_id),
            entity_type: "decision",
            entity_id: d.id,
            action: "offline_comment_entered",
            details: json!({ "channel": comment.channel, "received_on": comment.received_on }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Receipted { secret: receipt_secret(receipt_key, id), comment, replayed: false })
}

/// Records a staff export that includes contact details.
pub async fn audit_export(db: &Db, actor: &Actor, d: &decisions::Model, rows: usize) -> AppResult<()> {
    audit::record(
        db.conn(),
        Entry {
            actor_id: actor.principal().ok().map(|p| p.account_id),
            agency_id: Some(d.agency_id),
            entity_type: "decision",
            entity_id: d.id,
            action: "comments_exported_with_contacts",
            details: json!({ "rows": rows }),
        },
    )
    .await
}
