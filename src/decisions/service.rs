//! Decision use-cases: each checks who may act, checks the life cycle, writes in one
//! transaction, and records what it did in the audit log.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde_json::json;
use uuid::Uuid;

use super::attachments::check;
use super::model::{
    ConsultationWindow, DecisionFields, DecisionStatus, DecisionStep, Moderation, Outcome, check_extension,
    withdrawal_reason,
};
use super::queries::not_found;
use super::sections::{VersionContent, parse_content};
use super::store;
use super::views::{self, status_now};
use crate::audit::{self, Entry};
use crate::authz::{Action, Actor};
use crate::db::{Timestamp, new_id};
use crate::entities::{attachments as attachment_rows, consultations, decisions};
use crate::error::{AppError, AppResult};
use crate::follows::model::Event;
use crate::follows::notify;
use crate::state::AppState;
use crate::t;

/// After a change: this node forgets what it kept of the decision, and the actor gets the
/// decision as they may now see it.
async fn changed(state: &AppState, actor: &Actor, d: decisions::Model) -> AppResult<views::Decision> {
    state.forget_decision(d.id);
    views::detail(&state.db, actor, d, Timestamp::now()).await
}

/// Tells the decision's followers of `event`, inside the transaction of the change.
async fn tell_followers(
    state: &AppState,
    tx: &impl ConnectionTrait,
    d: &decisions::Model,
    event: Event,
) -> AppResult<usize> {
    notify::tell_followers(state, tx, d.id, &d.title, &event, &Default::default()).await
}

/// Loads a decision for a change by `actor` inside `tx`: 404 when the actor may not know it
/// exists, 403 when they may see it but not act for its agency, 409 when `step` is not
/// allowed in its status now.
async fn load_for_step(
    tx: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
    step: DecisionStep,
) -> AppResult<(decisions::Model, DecisionStatus)> {
    let d = store::find_for_update(tx, id)
        .await?
        .filter(|d| actor.may_see_decision(d.agency_id, d.published_at.is_some()))
        .ok_or_else(not_found)?;
    actor.authorize(Action::ActFor(d.agency_id))?;
    let status = status_now(&d, Timestamp::now());
    status.check(step)?;
    Ok((d, status))
}

async fn audit(
    tx: &impl ConnectionTrait,
    actor: &Actor,
    d: &decisions::Model,
    action: &str,
    details: serde_json::Value,
) -> AppResult<()> {
    let actor_id = actor.account_id();
    audit::record(
        tx,
        Entry { actor_id, agency_id: Some(d.agency_id), entity_type: "decision", entity_id: d.id, action, details },
    )
    .await
}

async fn check_policy_area(db: &impl ConnectionTrait, id: Uuid) -> AppResult<()> {
    if !crate::policy_areas::store::exists(db, id).await? {
        return Err(AppError::invalid(
            "policy_area_id",
            "unknown",
            t!("没有这个领域。", "There is no such policy area."),
        ));
    }
    Ok(())
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    agency_id: Option<Uuid>,
    policy_area_id: Uuid,
    fields: DecisionFields,
) -> AppResult<views::Decision> {
    let principal = actor.principal()?;
    let agency_id = agency_id.or(actor.agency_id()).ok_or_else(|| {
        AppError::invalid(
            "agency_id",
            "required",
            t!("请选择决策机关。", "Choose the agency that makes this decision."),
        )
    })?;
    actor.authorize(Action::ActFor(agency_id))?;
    let tx = state.db.write().await?;
    if crate::agencies::store::find(&tx, agency_id).await?.is_none() {
        return Err(AppError::invalid("agency_id", "unknown", t!("没有这个机关。", "There is no such agency.")));
    }
    check_policy_area(&tx, policy_area_id).await?;
    let d = store::insert(&tx, fields, agency_id, policy_area_id, principal.account_id).await?;
    audit(&tx, actor, &d, "created", json!({ "title": d.title })).await?;
    tx.commit().await?;
    changed(state, actor, d).await
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    policy_area_id: Uuid,
    fields: DecisionFields,
) -> AppResult<views::Decision> {
    let tx = state.db.write().await?;
    let (mut d, _) = load_for_step(&tx, actor, id, DecisionStep::Edit).await?;
    check_policy_area(&tx, policy_area_id).await?;
    let mut fields_changed = Vec::new();
    macro_rules! set {
        ($field:ident, $value:expr) => {
            if d.$field != $value {
                fields_changed.push(stringify!($field));
                d.$field = $value;
            }
        };
    }
    set!(title, fields.title);
    set!(summary, fields.summary);
    set!(basis, fields.basis);
    set!(explanation, fields.explanation);
    set!(catalogue_year, fields.catalogue_year);
    set!(planned_timing, fields.planned_timing);
    set!(listed_in_catalogue, fields.listed_in_catalogue);
    set!(policy_area_id, policy_area_id);
    let d = store::save(&tx, d).await?;
    store::index(&tx, &d).await?;
    audit(&tx, actor, &d, "edited", json!({ "changed": fields_changed })).await?;
    tx.commit().await?;
    changed(state, actor, d).await
}

pub async fn add_version(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    content: VersionContent,
    note: &str,
) -> AppResult<views::Version> {
    let note = note.trim().to_string();
    if note.chars().count() > 2000 {
        return Err(AppError::invalid(
            "note",
            "too_long",
            t!("说明不能超过 2000 字。", "The note can have at most 2000 characters."),
        ));
    }
    let sections = parse_content(content)?;
    let tx = state.db.write().await?;
    let (mut d, _) = load_for_step(&tx, actor, id, DecisionStep::AddVersion).await?;
    let principal = actor.principal()?;
    let number = d.latest_version + 1;
    let count = sections.len();
    let version = store::insert_version(&tx, d.id, number, note, sections, principal.account_id).await?;
    d.latest_version = number;
    let d = store::save(&tx, d).await?;
    audit(&tx, actor, &d, "version_added", json!({ "version": number, "sections": count })).await?;
    let stored = store::sections_of(&tx, version.id).await?;
    tx.commit().await?;
    state.forget_decision(d.id);
    Ok(views::version(version, stored))
}

pub struct ConsultationRules {
    pub anonymous_allowed: bool,
    pub comments_public: bool,
    pub pre_moderation: bool,
}

pub async fn open_consultation(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    version: Option<i32>,
    window: ConsultationWindow,
    rules: ConsultationRules,
) -> AppResult<views::Decision> {
    let tx = state.db.write().await?;
    let (mut d, _) = load_for_step(&tx, actor, id, DecisionStep::OpenConsultation).await?;
    let number = version.unwrap_or(d.latest_version);
    if d.latest_version == 0 || store::version(&tx, d.id, number).await?.is_none() {
        return Err(AppError::invalid(
            "version",
            "unknown_version",
            t!("请先添加征求意见稿，再开启征求意见。", "Add a draft version before opening the consultation."),
        ));
    }
    let now = Timestamp::now();
    let principal = actor.principal()?;
    store::insert_consultation(
        &tx,
        consultations::Model {
            id: new_id(),
            decision_id: d.id,
            version_number: number,
            opens_at: window.opens_at,
            closes_at: window.closes_at,
            original_closes_at: window.closes_at,
            short_window_reason: window.short_window_reason.clone(),
            anonymous_allowed: rules.anonymous_allowed,
            comments_public: rules.comments_public,
            moderation: if rules.pre_moderation { Moderation::Pre } else { Moderation::Post },
            created_by: principal.account_id,
            created_at: now,
        },
    )
    .await?;
    store::publish_version(&tx, d.id, number).await?;
    d.status = if window.opens_at <= now { DecisionStatus::Consulting } else { DecisionStatus::Scheduled };
    d.published_at = Some(now);
    d.window_opens_at = Some(window.opens_at);
    d.window_closes_at = Some(window.closes_at);
    let d = store::save(&tx, d).await?;
    audit(
        &tx,
        actor,
        &d,
        "consultation_opened",
        json!({
            "version": number, "opens_at": window.opens_at, "closes_at": window.closes_at,
            "short_window_reason": window.short_window_reason, "anonymous_allowed": rules.anonymous_allowed,
            "comments_public": rules.comments_public, "pre_moderation": rules.pre_moderation,
        }),
    )
    .await?;
    tx.commit().await?;
    changed(state, actor, d).await
}

pub async fn extend(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    closes_at: DateTime<Utc>,
    note: &str,
) -> AppResult<views::Decision> {
    let tx = state.db.write().await?;
    let (d, _) = load_for_step(&tx, actor, id, DecisionStep::ExtendConsultation).await?;
    let consultation = store::consultation(&tx, d.id).await?.ok_or_else(not_found)?;
    let note =
        check_extension(consultation.closes_at, consultation.opens_at, closes_at, note).map_err(AppError::Invalid)?;
    let principal = actor.principal()?;
    store::extend(&tx, &consultation, closes_at, note.clone(), principal.account_id).await?;
    audit(
        &tx,
        actor,
        &d,
        "consultation_extended",
        json!({ "from": consultation.closes_at, "to": closes_at, "note": note }),
    )
    .await?;
    let d = store::find(&tx, d.id).await?.ok_or_else(not_found)?;
    tell_followers(state, &tx, &d, Event::Extended { closes_at, note }).await?;
    tx.commit().await?;
    changed(state, actor, d).await
}

pub async fn withdraw(state: &AppState, actor: &Actor, id: Uuid, reason: &str) -> AppResult<views::Decision> {
    let reason = withdrawal_reason(reason)?;
    let tx = state.db.write().await?;
    let (mut d, from) = load_for_step(&tx, actor, id, DecisionStep::Withdraw).await?;
    d.status = DecisionStatus::Withdrawn;
    d.withdrawn_reason = Some(reason.clone());
    d.withdrawn_at = Some(Timestamp::now());
    let d = store::save(&tx, d).await?;
    audit(&tx, actor, &d, "withdrawn", json!({ "from": from.as_str(), "reason": reason })).await?;
    tell_followers(state, &tx, &d, Event::Withdrawn { reason }).await?;
    tx.commit().await?;
    changed(state, actor, d).await
}

pub async fn record_outcome(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    parse: impl FnOnce(i32) -> AppResult<Outcome>,
) -> AppResult<views::Decision> {
    let tx = state.db.write().await?;
    let (mut d, from) = load_for_step(&tx, actor, id, DecisionStep::RecordOutcome).await?;
    let outcome = parse(d.latest_version)?;
    store::publish_version(&tx, d.id, outcome.final_version).await?;
    d.status = DecisionStatus::Decided;
    d.final_version = Some(outcome.final_version);
    d.decided_on = Some(outcome.decided_on.to_string());
    d.interpretation = Some(outcome.interpretation);
    d.interpretation_links = Some(serde_json::to_string(&outcome.links).map_err(anyhow::Error::from)?);
    let d = store::save(&tx, d).await?;
    audit(
        &tx,
        actor,
        &d,
        "outcome_recorded",
        json!({ "from": from.as_str(), "final_version": outcome.final_version, "decided_on": d.decided_on }),
    )
    .await?;
    let decided_on = d.decided_on.clone().unwrap_or_default();
    tell_followers(state, &tx, &d, Event::Decided { decided_on }).await?;
    tx.commit().await?;
    changed(state, actor, d).await
}

/// Writes down the transitions the clock has made (windows that opened or closed), each
/// once, with an audit entry by the system. Reads never depend on this having run.
pub async fn sweep_windows(state: &AppState) -> AppResult<usize> {
    let db = &state.db;
    let now = Timestamp::now();
    let due = store::due_for_transition(db.conn(), now).await?;
    let mut moved = 0;
    for d in due {
        let stored = d.status;
        let target = stored.effective(d.window_opens_at, d.window_closes_at, now);
        if target == stored {
            continue;
        }
        let tx = db.write().await?;
        if store::move_status(&tx, &d, target).await? {
            audit(
                &tx,
                &Actor::Anonymous,
                &d,
                "status_changed_by_clock",
                json!({ "from": stored.as_str(), "to": target.as_str() }),
            )
            .await?;
            if let (DecisionStatus::Closed, Some(report_due)) = (target, crate::feedback::queries::due(state, &d)) {
                tell_followers(state, &tx, &d, Event::Closed { report_due }).await?;
            }
            moved += 1;
        }
        tx.commit().await?;
        state.forget_decision(d.id);
    }
    Ok(moved)
}

/// Attaches a file to a decision: staff of its agency, until it is decided or withdrawn.
/// The file's `content` is read only once the upload is allowed; it is checked by content
/// as well as by name, and stored by its hash.
pub async fn attach(
    state: &AppState,
    actor: &Actor,
    decision_id: Uuid,
    file_name: &str,
    content: impl std::future::Future<Output = AppResult<Vec<u8>>>,
) -> AppResult<views::Attachment> {
    let d = super::queries::load_visible(state, actor, decision_id).await?;
    actor.authorize(Action::ActFor(d.agency_id))?;
    if matches!(status_now(&d, Timestamp::now()), DecisionStatus::Decided | DecisionStatus::Withdrawn) {
        return Err(AppError::Conflict {
            code: "invalid_transition",
            message: t!(
                "已决策或已撤回的事项不能再添加附件。",
                "Attachments cannot be added once a decision is decided or withdrawn."
            ),
        });
    }
    let content = content.await?;
    let (name, kind) =
        check(file_name, &content, state.config.attachment_limit).map_err(|i| AppError::Invalid(vec![i]))?;
    let sha = crate::kernel::digest::sha256_hex(&content);
    let principal = actor.principal()?;
    let row = attachment_rows::Model {
        id: new_id(),
        decision_id: d.id,
        file_name: name,
        content_type: kind.content_type.to_string(),
        size_bytes: content.len() as i64,
        sha256: sha,
        created_by: principal.account_id,
        created_at: Timestamp::now(),
    };
    let tx = state.db.write().await?;
    store::insert_attachment_content(&tx, &row.sha256, content).await?;
    store::insert_attachment(&tx, row.clone()).await?;
    audit(
        &tx,
        actor,
        &d,
        "attachment_added",
        json!({ "file_name": row.file_name, "sha256": row.sha256, "size_bytes": row.size_bytes }),
    )
    .await?;
    tx.commit().await?;
    state.forget_decision(d.id);
    Ok(views::attachment(row))
}

/// Moves attachments stored as files under `data_dir/attachments` (before their bytes were
/// kept in the database) into the database, once, at start-up. A missing file is reported,
/// not fatal: the rest of the service works, and that download answers 500 as it did.
pub async fn adopt_attachment_files(db: &impl ConnectionTrait, data_dir: &std::path::Path) -> anyhow::Result<usize> {
    let mut adopted = 0;
    for sha in store::attachments_without_content(db).await? {
        let path = data_dir.join("attachments").join(sha.get(..2).unwrap_or_default()).join(&sha);
        match tokio::fs::read(&path).await {
            Ok(content) if crate::kernel::digest::sha256_hex(&content) == sha => {
                store::insert_attachment_content(db, &sha, content).await?;
                adopted += 1;
            }
            Ok(_) => tracing::error!(file = %path.display(), "attachment file does not match its hash; not adopted"),
            Err(e) => tracing::error!(file = %path.display(), "attachment file unreadable: {e}"),
        }
    }
    Ok(adopted)
}
