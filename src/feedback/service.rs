//! Writes of adoption feedback. Each is one transaction with its audit entry; authorization
//! is `ActFor` the decision's agency (see `authz.rs`), and every change is conditioned on
//! the state it read.

use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

use super::model::{Answer, Satisfaction, ViewpointText, correction_note};
use super::queries::{self, answer_for, draft};
use super::report::seal;
use super::store;
use super::views::{self, CommentAnswer, ReportVersion};
use crate::audit::{self, Entry};
use crate::authz::Actor;
use crate::comments::queries::for_staff;
use crate::comments::service::{MAX_BULK, Target};
use crate::db::{Timestamp, new_id};
use crate::decisions::model::DecisionStatus;
use crate::decisions::views::status_now;
use crate::entities::{comments, decisions, feedback_reports, viewpoints};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::t;

/// Viewpoints and dispositions are worked on from the time comments come in until the
/// decision is taken (corrections to a published report included).
fn check_workable(d: &decisions::Model, now: DateTime<Utc>) -> AppResult<()> {
    match status_now(d, now) {
        DecisionStatus::Consulting | DecisionStatus::Closed | DecisionStatus::FeedbackPublished => Ok(()),
        _ => Err(AppError::Conflict {
            code: "feedback_closed",
            message: t!(
                "该事项当前状态下不能再整理意见采纳情况。",
                "Feedback can no longer be worked on for this decision in its current state."
            ),
        }),
    }
}

async fn staff_decision(state: &AppState, actor: &Actor, decision_id: Uuid) -> AppResult<decisions::Model> {
    let (d, _) = for_staff(state, actor, decision_id).await?;
    check_workable(&d, Timestamp::now())?;
    Ok(d)
}

fn viewpoint_not_found() -> AppError {
    AppError::NotFound(t!("找不到该观点。", "Viewpoint not found."))
}

/// A viewpoint and its decision, for staff of the decision's agency (others: 404).
async fn staff_viewpoint(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
) -> AppResult<(decisions::Model, viewpoints::Model)> {
    let v = store::viewpoint(state.db.conn(), id).await?.ok_or_else(viewpoint_not_found)?;
    let d = staff_decision(state, actor, v.decision_id).await?;
    Ok((d, v))
}

async fn audit(
    tx: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    d: &decisions::Model,
    action: &'static str,
    details: serde_json::Value,
) -> AppResult<()> {
    audit::record(
        tx,
        Entry {
            actor_id: actor.account_id(),
            agency_id: Some(d.agency_id),
            entity_type: "decision",
            entity_id: d.id,
            action,
            details,
        },
    )
    .await
}

async fn viewpoint_view(state: &AppState, v: viewpoints::Model) -> AppResult<views::Viewpoint> {
    let counts = store::viewpoint_counts(state.db.conn(), v.decision_id).await?;
    let n = counts.iter().find(|(id, _)| *id == v.id).map_or(0, |(_, n)| *n);
    Ok(views::viewpoint(v, n))
}

pub async fn create_viewpoint(
    state: &AppState,
    actor: &Actor,
    decision_id: Uuid,
    text: ViewpointText,
) -> AppResult<views::Viewpoint> {
    let d = staff_decision(state, actor, decision_id).await?;
    let now = Timestamp::now();
    let tx = state.db.write().await?;
    let v = store::insert_viewpoint(
        &tx,
        viewpoints::Model {
            id: new_id(),
            decision_id: d.id,
            title: text.title,
            summary: text.summary,
            disposition: None,
            reason: None,
            reply: None,
            created_at: now,
            updated_at: now,
        },
    )
    .await?;
    audit(&tx, actor, &d, "viewpoint_created", json!({ "viewpoint_id": v.id, "title": v.title })).await?;
    tx.commit().await?;
    Ok(views::viewpoint(v, 0))
}

fn changed_meanwhile() -> AppError {
    AppError::Conflict {
        code: "viewpoint_changed",
        message: t!("该观点刚被他人修改，请刷新后重试。", "The viewpoint changed meanwhile; reload and try again."),
    }
}

/// Changes a viewpoint's text and (when given) its disposition. `answer: Some(None)` clears
/// the disposition.
pub async fn update_viewpoint(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    text: Option<ViewpointText>,
    answer: Option<Option<Answer>>,
) -> AppResult<views::Viewpoint> {
    let (d, read) = staff_viewpoint(state, actor, id).await?;
    let mut next = read.clone();
    if let Some(t) = &text {
        next.title = t.title.clone();
        next.summary = t.summary.clone();
    }
    if let Some(a) = &answer {
        next.disposition = a.as_ref().map(|a| a.disposition);
        next.reason = a.as_ref().and_then(|a| a.reason.clone());
        next.reply = a.as_ref().and_then(|a| a.reply.clone());
    }
    let tx = state.db.write().await?;
    if !store::save_viewpoint_if_unchanged(&tx, &read, next.clone()).await? {
        return Err(changed_meanwhile());
    }
    let action = if answer.is_some() { "viewpoint_answered" } else { "viewpoint_updated" };
    let details = json!({
        "viewpoint_id": id,
        "title": next.title,
        "disposition": next.disposition.map(|d| d.as_str()),
        "reason": next.reason,
    });
    audit(&tx, actor, &d, action, details).await?;
    tx.commit().await?;
    let saved = store::viewpoint(state.db.conn(), id).await?.ok_or_else(viewpoint_not_found)?;
    viewpoint_view(state, saved).await
}

/// Moves every comment of `from` to `into` and removes `from`.
pub async fn merge(state: &AppState, actor: &Actor, from: Uuid, into: Uuid) -> AppResult<views::Viewpoint> {
    let (d, source) = staff_viewpoint(state, actor, from).await?;
    let target = store::viewpoint(state.db.conn(), into).await?.filter(|t| t.decision_id == d.id);
    let Some(target) = target else {
        return Err(AppError::invalid(
            "into",
            "unknown_viewpoint",
            t!("要合并到的观点不属于同一事项。", "The viewpoint to merge into belongs to another decision."),
        ));
    };
    if target.id == source.id {
        return Err(AppError::invalid(
            "into",
            "same_viewpoint",
            t!("不能把观点合并到它自己。", "A viewpoint cannot be merged into itself."),
        ));
    }
    let tx = state.db.write().await?;
    let moved = store::move_comments(&tx, source.id, Some(target.id)).await?;
    store::delete_viewpoint(&tx, source.id).await?;
    let details = json!({ "from": source.id, "from_title": source.title, "into": target.id, "comments": moved });
    audit(&tx, actor, &d, "viewpoints_merged", details).await?;
    tx.commit().await?;
    viewpoint_view(state, target).await
}

/// Removes a viewpoint; its comments are left under none.
pub async fn delete_viewpoint(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<()> {
    let (d, v) = staff_viewpoint(state, actor, id).await?;
    let tx = state.db.write().await?;
    let moved = store::move_comments(&tx, v.id, None).await?;
    store::delete_viewpoint(&tx, v.id).await?;
    audit(&tx, actor, &d, "viewpoint_deleted", json!({ "viewpoint_id": v.id, "title": v.title, "comments": moved }))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Puts the chosen comments (by id, by inbox filter, or a duplicate group through the
/// filter) under a viewpoint, or under none; how many changed.
pub async fn assign(
    state: &AppState,
    actor: &Actor,
    decision_id: Uuid,
    target: Target,
    viewpoint: Option<Uuid>,
) -> AppResult<u64> {
    let d = staff_decision(state, actor, decision_id).await?;
    if let Some(v) = viewpoint
        && store::viewpoint(state.db.conn(), v).await?.is_none_or(|v| v.decision_id != d.id)
    {
        return Err(AppError::invalid(
            "viewpoint_id",
            "unknown_viewpoint",
            t!("该观点不属于这个事项。", "That viewpoint does not belong to this decision."),
        ));
    }
    let tx = state.db.write().await?;
    let chosen: Vec<comments::Model> = match target {
        Target::Ids(ids) => crate::comments::store::by_ids(&tx, d.id, ids).await?,
        Target::Filter(f) => crate::comments::store::matching(&tx, d.id, &f, MAX_BULK).await?,
    };
    let ids: Vec<Uuid> = chosen.iter().map(|c| c.id).collect();
    let changed = store::assign(&tx, d.id, &ids, viewpoint).await?;
    audit(&tx, actor, &d, "comments_assigned", json!({ "viewpoint_id": viewpoint, "comments": changed })).await?;
    tx.commit().await?;
    Ok(changed)
}

/// Gives one comment its own disposition (overriding its viewpoint's), or clears it.
pub async fn answer_comment(
    state: &AppState,
    actor: &Actor,
    comment_id: Uuid,
    answer: Option<Answer>,
) -> AppResult<()> {
    let c = crate::comments::store::find(state.db.conn(), comment_id)
        .await?
        .ok_or_else(crate::comments::queries::comment_not_found)?;
    let d = staff_decision(state, actor, c.decision_id).await?;
    let tx = state.db.write().await?;
    let (disposition, reason, reply) = match answer {
        Some(a) => (Some(a.disposition), a.reason, a.reply),
        None => (None, None, None),
    };
    store::set_comment_answer(&tx, d.id, c.id, disposition, reason.clone(), reply).await?;
    let details = json!({ "comment_id": c.id, "disposition": disposition.map(|d| d.as_str()), "reason": reason });
    audit(&tx, actor, &d, "comment_answered", details).await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes the report as it stands: the first version moves the decision to
/// `feedback_published`; later ones are corrections with a note. Published versions are
/// never changed. Refused while a viewpoint has no disposition.
pub async fn publish(
    state: &AppState,
    actor: &Actor,
    decision_id: Uuid,
    introduction: String,
    note: Option<String>,
) -> AppResult<ReportVersion> {
    let (d, _) = for_staff(state, actor, decision_id).await?;
    let now = Timestamp::now();
    let status = status_now(&d, now);
    if !matches!(status, DecisionStatus::Closed | DecisionStatus::FeedbackPublished) {
        return Err(AppError::Conflict {
            code: "not_closed",
            message: t!(
                "征求意见结束后才能公布意见采纳情况。",
                "The feedback report is published after the consultation has closed."
            ),
        });
    }
    let note = correction_note(note.as_deref(), d.feedback_version == 0)?;
    let draft = draft(state, actor, &d, introduction, note.clone(), now).await?;
    if !draft.undecided_viewpoints.is_empty() {
        let titles = draft.undecided_viewpoints.join("、");
        return Err(AppError::invalid(
            "viewpoints",
            "undecided",
            t!("以下观点尚未确定采纳情况：{titles}", "These viewpoints have no disposition yet: {titles}"),
        ));
    }
    let content = draft.content;
    let (text, hash) = seal(&content);
    let tx = state.db.write().await?;
    // Conditioned on what was read: a parallel publication of the same version loses.
    let current = crate::decisions::store::find_for_update(&tx, d.id).await?.ok_or_else(queries::report_not_found)?;
    // The version was read with the decision (which decided whether a note is needed) and
    // again while drafting: both must still be the stored one.
    if current.feedback_version != d.feedback_version || content.version != d.feedback_version + 1 {
        return Err(AppError::Conflict {
            code: "report_changed",
            message: t!(
                "反馈报告刚被他人公布，请刷新后重试。",
                "The report was published meanwhile; reload and try again."
            ),
        });
    }
    store::insert_report(
        &tx,
        feedback_reports::Model {
            id: new_id(),
            decision_id: d.id,
            version: content.version,
            content: text,
            hash: hash.clone(),
            previous_hash: content.previous_hash.clone(),
            note: note.clone(),
            comments: content.totals.comments as i64,
            participants: content.totals.participants as i64,
            adopted: content.tally.adopted as i64,
            partly_adopted: content.tally.partly_adopted as i64,
            not_adopted: content.tally.not_adopted as i64,
            not_applicable: content.tally.not_applicable as i64,
            published_by: actor.principal()?.account_id,
            published_at: now,
        },
    )
    .await?;
    let mut next = current.clone();
    next.feedback_version = content.version;
    if next.feedback_published_at.is_none() {
        next.feedback_published_at = Some(now);
    }
    if status == DecisionStatus::Closed {
        next.status = DecisionStatus::FeedbackPublished;
    }
    crate::decisions::store::save(&tx, next).await?;
    let submitters = notify_submitters(state, &tx, &d, content.version).await?;
    // A follower who also left their address on a comment has just been told: once is enough.
    let event = crate::follows::model::Event::FeedbackPublished { version: content.version };
    let followers = crate::follows::notify::tell_followers(state, &tx, d.id, &d.title, &event, &submitters).await?;
    let details = json!({
        "version": content.version, "hash": hash, "note": note,
        "submitters_told": submitters.len(), "followers_told": followers,
    });
    audit(&tx, actor, &d, "feedback_report_published", details).await?;
    tx.commit().await?;
    state.forget_decision(d.id);
    Ok(ReportVersion {
        version: content.version,
        hash,
        previous_hash: content.previous_hash.clone(),
        note,
        published_at: now,
        content,
    })
}

/// Tells each submitter who left an e-mail address (once per address, naming their receipts)
/// that the agency has answered, through the outbox: written in the publishing transaction,
/// delivered after it commits, kept until delivered. Answers the addresses told.
async fn notify_submitters(
    state: &AppState,
    tx: &impl sea_orm::ConnectionTrait,
    d: &decisions::Model,
    version: i32,
) -> AppResult<std::collections::BTreeSet<String>> {
    let mut by_address: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
    for (email, tracking) in store::contacts_to_notify(tx, d.id).await? {
        by_address.entry(email).or_default().push(tracking);
    }
    let link = format!("{}/consultations/{}", state.config.public_url.trim_end_matches('/'), d.id);
    let (subject, opening) = if version == 1 {
        (format!("【意见采纳情况】{}", d.title), "您提出意见的事项已公布意见采纳情况。")
    } else {
        (format!("【意见采纳情况更正】{}", d.title), "您提出意见的事项更正了已公布的意见采纳情况。")
    };
    for (to, receipts) in &by_address {
        let body = format!(
            "您好：\n\n{opening}\n\n事项：{}\n您的回执编号：{}\n\n查看反馈报告：{link}\n用回执编号和查询码可查看对您意见的答复并进行评价。\n\n本邮件由系统发送，请勿回复。",
            d.title,
            receipts.join("、"),
        );
        crate::outbox::enqueue(
            tx,
            crate::outbox::Message { kind: "feedback_published", to: to.clone(), subject: subject.clone(), body },
        )
        .await?;
    }
    Ok(by_address.into_keys().collect())
}

/// Records the submitter's rating of the answer to their comment, once, after the report is
/// published; the counts by satisfaction move in the same transaction.
async fn rate(
    state: &AppState,
    c: comments::Model,
    satisfaction: Satisfaction,
    remark: Option<String>,
) -> AppResult<CommentAnswer> {
    let d = crate::decisions::store::find(state.db.conn(), c.decision_id)
        .await?
        .ok_or_else(crate::comments::queries::comment_not_found)?;
    if d.feedback_version == 0 {
        return Err(AppError::Conflict {
            code: "no_answer_yet",
            message: t!(
                "意见采纳情况公布后才能评价。",
                "You can rate the answer once the feedback report is published."
            ),
        });
    }
    let tx = state.db.write().await?;
    if !store::rate(&tx, d.id, c.id, satisfaction, remark).await? {
        return Err(AppError::Conflict {
            code: "already_rated",
            message: t!("您已经评价过了。", "You have rated this answer already."),
        });
    }
    crate::comments::store::apply_deltas(&tx, d.id, &[("satisfaction", satisfaction.as_str().to_string(), 1)]).await?;
    tx.commit().await?;
    answer_for(state.db.conn(), &d, c.id).await?.ok_or_else(crate::comments::queries::comment_not_found)
}

pub async fn rate_by_receipt(
    state: &AppState,
    tracking_number: &str,
    secret: &str,
    satisfaction: Satisfaction,
    remark: Option<String>,
) -> AppResult<CommentAnswer> {
    let c = crate::comments::service::by_receipt(state, tracking_number, secret).await?;
    rate(state, c, satisfaction, remark).await
}

pub async fn rate_own(
    state: &AppState,
    actor: &Actor,
    comment_id: Uuid,
    satisfaction: Satisfaction,
    remark: Option<String>,
) -> AppResult<CommentAnswer> {
    actor.principal()?;
    let c = crate::comments::store::find(state.db.conn(), comment_id)
        .await?
        .filter(|c| actor.is_author(c.account_id))
        .ok_or_else(crate::comments::queries::comment_not_found)?;
    rate(state, c, satisfaction, remark).await
}
