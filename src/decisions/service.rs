//! Decision use-cases: each checks who may act, checks the life cycle, writes in one
//! transaction, and records what it did in the audit log.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, EntityTrait};
use serde_json::json;
use uuid::Uuid;

use super::model::{ConsultationWindow, DecisionFields, Outcome, Status, Step, check_extension, withdrawal_reason};
use super::splitter::{self, SectionKind};
use super::store::{self, NewSection};
use crate::audit::{self, Entry};
use crate::authz::{Action, Actor};
use crate::db::{Db, Timestamp, new_id};
use crate::entities::{agencies, consultations, decisions, draft_versions, policy_areas};
use crate::error::{AppError, AppResult, FieldIssue, Issues};
use crate::t;

pub fn not_found() -> AppError {
    AppError::NotFound(t!("找不到该决策事项。", "No such decision."))
}

/// Published decisions are everyone's; unpublished ones exist only for their agency.
pub fn visible_to(actor: &Actor, d: &decisions::Model) -> bool {
    d.published_at.is_some() || actor.sees_unpublished_of(d.agency_id)
}

pub fn status_now(d: &decisions::Model, now: DateTime<Utc>) -> Status {
    Status::parse(&d.status).unwrap_or(Status::Draft).effective(d.window_opens_at, d.window_closes_at, now)
}

pub async fn load_visible(db: &Db, actor: &Actor, id: Uuid) -> AppResult<decisions::Model> {
    store::find(db.conn(), id).await?.filter(|d| visible_to(actor, d)).ok_or_else(not_found)
}

/// Loads a decision for a change by `actor` inside `tx`: 404 when the actor may not know it
/// exists, 403 when they may see it but not act for its agency, 409 when `step` is not
/// allowed in its status now.
async fn load_for_step(
    tx: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
    step: Step,
) -> AppResult<(decisions::Model, Status)> {
    let d = store::find_for_update(tx, id).await?.filter(|d| visible_to(actor, d)).ok_or_else(not_found)?;
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
    let actor_id = actor.principal().ok().map(|p| p.account_id);
    audit::record(
        tx,
        Entry { actor_id, agency_id: Some(d.agency_id), entity_type: "decision", entity_id: d.id, action, details },
    )
    .await
}

async fn check_policy_area(db: &impl ConnectionTrait, id: Uuid) -> AppResult<()> {
    if policy_areas::Entity::find_by_id(id).one(db).await?.is_none() {
        return Err(AppError::invalid(
            "policy_area_id",
            "unknown",
            t!("没有这个领域。", "There is no such policy area."),
        ));
    }
    Ok(())
}

pub async fn create(
    db: &Db,
    actor: &Actor,
    agency_id: Option<Uuid>,
    policy_area_id: Uuid,
    fields: DecisionFields,
) -> AppResult<decisions::Model> {
    let principal = actor.principal()?;
    let agency_id = agency_id.or(actor.agency_id()).ok_or_else(|| {
        AppError::invalid(
            "agency_id",
            "required",
            t!("请选择决策机关。", "Choose the agency that makes this decision."),
        )
    })?;
    actor.authorize(Action::ActFor(agency_id))?;
    let tx = db.write().await?;
    if agencies::Entity::find_by_id(agency_id).one(&tx).await?.is_none() {
        return Err(AppError::invalid("agency_id", "unknown", t!("没有这个机关。", "There is no such agency.")));
    }
    check_policy_area(&tx, policy_area_id).await?;
    let d = store::insert(&tx, fields, agency_id, policy_area_id, principal.account_id).await?;
    audit(&tx, actor, &d, "created", json!({ "title": d.title })).await?;
    tx.commit().await?;
    Ok(d)
}

pub async fn update(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    policy_area_id: Uuid,
    fields: DecisionFields,
) -> AppResult<decisions::Model> {
    let tx = db.write().await?;
    let (mut d, _) = load_for_step(&tx, actor, id, Step::Edit).await?;
    check_policy_area(&tx, policy_area_id).await?;
    let mut changed = Vec::new();
    macro_rules! set {
        ($field:ident, $value:expr) => {
            if d.$field != $value {
                changed.push(stringify!($field));
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
    audit(&tx, actor, &d, "edited", json!({ "changed": changed })).await?;
    tx.commit().await?;
    Ok(d)
}

/// One section of a draft as staff entered it.
pub struct SectionInput {
    pub kind: String,
    pub label: String,
    pub heading: String,
    pub text: String,
}

pub enum VersionContent {
    /// The plain text of the draft, split by its own headings.
    Text(String),
    /// Sections already structured by the client.
    Sections(Vec<SectionInput>),
}

const MAX_SECTIONS: usize = 3000;

fn rank(kind: SectionKind) -> u8 {
    match kind {
        SectionKind::Preamble => 0,
        SectionKind::Chapter => 1,
        SectionKind::Part => 2,
        SectionKind::Article | SectionKind::Item => 3,
        SectionKind::SubItem => 4,
        SectionKind::Point => 5,
    }
}

/// Turns the content of a new version into sections, or says exactly what is wrong.
pub fn parse_content(content: VersionContent) -> AppResult<Vec<NewSection>> {
    match content {
        VersionContent::Text(text) => {
            let parsed = splitter::split(&text)
                .map_err(|e| AppError::invalid("text", e.code, crate::i18n::Text::new(e.zh, e.en)))?;
            Ok(parsed
                .into_iter()
                .map(|s| NewSection {
                    kind: s.kind.as_str(),
                    number: s.number.map(|n| n as i32),
                    label: s.label,
                    heading: s.heading,
                    body: s.text,
                    parent: s.parent,
                    key: s.key,
                })
                .collect())
        }
        VersionContent::Sections(input) => structured(input),
    }
}

fn structured(input: Vec<SectionInput>) -> AppResult<Vec<NewSection>> {
    if input.is_empty() || input.len() > MAX_SECTIONS {
        return Err(AppError::invalid(
            "sections",
            "count",
            t!("草案须有 1 至 {MAX_SECTIONS} 个条款。", "A draft needs 1 to {MAX_SECTIONS} sections."),
        ));
    }
    let mut issues = Issues::default();
    let mut out: Vec<NewSection> = Vec::with_capacity(input.len());
    let mut kinds: Vec<SectionKind> = Vec::with_capacity(input.len());
    let mut keys = std::collections::HashSet::new();
    for (i, s) in input.into_iter().enumerate() {
        let Some(kind) = SectionKind::parse(&s.kind) else {
            issues.push(FieldIssue::new(
                format!("sections[{i}].kind"),
                "invalid_kind",
                t!("条款类型无效。", "Unknown section kind."),
            ));
            continue;
        };
        let label = s.label.trim().to_string();
        let text = s.text.trim().to_string();
        let heading = s.heading.trim().to_string();
        if (label.is_empty() && kind != SectionKind::Preamble) || label.chars().count() > 32 {
            issues.push(FieldIssue::new(
                format!("sections[{i}].label"),
                "invalid_label",
                t!(
                    "请填写条款编号（32 字以内），如“第三条”。",
                    "Give the section's number label (at most 32 characters), e.g. 第三条."
                ),
            ));
        }
        if text.chars().count() > 20_000 || heading.chars().count() > 200 || (text.is_empty() && heading.is_empty()) {
            issues.push(FieldIssue::new(
                format!("sections[{i}].text"),
                "invalid_text",
                t!("条款内容不能为空，且不超过 20000 字。", "A section needs text, at most 20,000 characters."),
            ));
        }
        let parent = (0..out.len()).rev().find(|&j| rank(kinds[j]) < rank(kind) && kinds[j] != SectionKind::Preamble);
        let key = match parent {
            Some(p) => format!("{}/{}", out[p].key, label),
            None if kind == SectionKind::Preamble => "preamble".to_string(),
            None => label.clone(),
        };
        if !keys.insert(key.clone()) {
            issues.push(FieldIssue::new(
                format!("sections[{i}].label"),
                "duplicate",
                t!("条款编号重复：{key}", "Duplicate section number: {key}"),
            ));
        }
        kinds.push(kind);
        out.push(NewSection { kind: kind.as_str(), number: None, label, heading, body: text, parent, key });
    }
    issues.finish()?;
    Ok(out)
}

pub async fn add_version(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    content: VersionContent,
    note: &str,
) -> AppResult<draft_versions::Model> {
    let note = note.trim().to_string();
    if note.chars().count() > 2000 {
        return Err(AppError::invalid(
            "note",
            "too_long",
            t!("说明不能超过 2000 字。", "The note can have at most 2000 characters."),
        ));
    }
    let sections = parse_content(content)?;
    let tx = db.write().await?;
    let (mut d, _) = load_for_step(&tx, actor, id, Step::AddVersion).await?;
    let principal = actor.principal()?;
    let number = d.latest_version + 1;
    let count = sections.len();
    let version = store::insert_version(&tx, d.id, number, note, sections, principal.account_id).await?;
    d.latest_version = number;
    let d = store::save(&tx, d).await?;
    audit(&tx, actor, &d, "version_added", json!({ "version": number, "sections": count })).await?;
    tx.commit().await?;
    Ok(version)
}

pub struct ConsultationRules {
    pub anonymous_allowed: bool,
    pub comments_public: bool,
    pub pre_moderation: bool,
}

pub async fn open_consultation(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    version: Option<i32>,
    window: ConsultationWindow,
    rules: ConsultationRules,
) -> AppResult<decisions::Model> {
    let tx = db.write().await?;
    let (mut d, _) = load_for_step(&tx, actor, id, Step::OpenConsultation).await?;
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
            moderation: if rules.pre_moderation { "pre" } else { "post" }.into(),
            created_by: principal.account_id,
            created_at: now,
        },
    )
    .await?;
    store::publish_version(&tx, d.id, number).await?;
    let status = if window.opens_at <= now { Status::Consulting } else { Status::Scheduled };
    d.status = status.as_str().into();
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
    Ok(d)
}

pub async fn extend(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    closes_at: DateTime<Utc>,
    note: &str,
) -> AppResult<decisions::Model> {
    let tx = db.write().await?;
    let (d, _) = load_for_step(&tx, actor, id, Step::ExtendConsultation).await?;
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
    tx.commit().await?;
    Ok(d)
}

pub async fn withdraw(db: &Db, actor: &Actor, id: Uuid, reason: &str) -> AppResult<decisions::Model> {
    let reason = withdrawal_reason(reason)?;
    let tx = db.write().await?;
    let (mut d, from) = load_for_step(&tx, actor, id, Step::Withdraw).await?;
    d.status = Status::Withdrawn.as_str().into();
    d.withdrawn_reason = Some(reason.clone());
    d.withdrawn_at = Some(Timestamp::now());
    let d = store::save(&tx, d).await?;
    audit(&tx, actor, &d, "withdrawn", json!({ "from": from.as_str(), "reason": reason })).await?;
    tx.commit().await?;
    Ok(d)
}

pub async fn record_outcome(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    parse: impl FnOnce(i32) -> AppResult<Outcome>,
) -> AppResult<decisions::Model> {
    let tx = db.write().await?;
    let (mut d, from) = load_for_step(&tx, actor, id, Step::RecordOutcome).await?;
    let outcome = parse(d.latest_version)?;
    store::publish_version(&tx, d.id, outcome.final_version).await?;
    d.status = Status::Decided.as_str().into();
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
    tx.commit().await?;
    Ok(d)
}

/// Writes down the transitions the clock has made (windows that opened or closed), each
/// once, with an audit entry by the system. Reads never depend on this having run.
pub async fn sweep_windows(db: &Db) -> AppResult<usize> {
    let now = Timestamp::now();
    let due = store::due_for_transition(db.conn(), now).await?;
    let mut moved = 0;
    for d in due {
        let Some(stored) = Status::parse(&d.status) else { continue };
        let target = stored.effective(d.window_opens_at, d.window_closes_at, now);
        if target == stored {
            continue;
        }
        let tx = db.write().await?;
        if store::move_status(&tx, d.id, stored, target).await? {
            audit(
                &tx,
                &Actor::Anonymous,
                &d,
                "status_changed_by_clock",
                json!({ "from": stored.as_str(), "to": target.as_str() }),
            )
            .await?;
            moved += 1;
        }
        tx.commit().await?;
    }
    Ok(moved)
}
