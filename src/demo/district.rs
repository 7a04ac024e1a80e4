//! Writes the living district: each demo decision, its versions, consultation window,
//! comments and attachments, in one transaction per decision, through the domain stores.
//!
//! The public use-cases refuse the past (a window does not open in the past, comments come
//! only while a window is open, addresses are rate-limited), so the loader writes what the
//! use-cases would have written at the time: the same rows, the same receipts, the same
//! near-duplicate groups and the same maintained counts (`comment_counts`).

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use super::comments::{plan_comments, write_comments};
use super::plan::{DemoDecision, Stage};
use crate::audit::{self, Entry};
use crate::db::{Db, Timestamp};
use crate::decisions::model::{
    ConsultationWindow, DecisionFields, DecisionStatus, Link, Moderation, RawDecisionFields, check_extension,
};
use crate::decisions::sections::split_text;
use crate::decisions::store;
use crate::entities::{attachments, consultations, decisions};
use crate::error::{AppError, AppResult};
use crate::kernel::receipts::ReceiptKeys;
use crate::kernel::time::{china, day_in_china, year_in_china};

/// What `load_district` did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct DistrictReport {
    pub decisions_created: usize,
    /// Demo decisions already there (matched by title), left as they are.
    pub decisions_present: usize,
    pub comments_created: usize,
    pub attachments_created: usize,
}

/// Who the district's rows belong to, looked up once.
pub(super) struct Cast {
    agencies: HashMap<String, Uuid>,
    areas: HashMap<String, Uuid>,
    /// Staff account per agency name; decisions of agencies without demo staff are entered
    /// by the platform admin (区政务公开办).
    staff: HashMap<String, Uuid>,
    admin: Uuid,
    /// Demo residents who comment while signed in: (account, display name).
    pub(super) residents: Vec<(Uuid, &'static str)>,
    pub(super) receipt_keys: ReceiptKeys,
}

fn missing(what: String) -> AppError {
    AppError::Internal(anyhow::anyhow!("demo district: {what} is missing; load the base demo data first"))
}

pub(super) fn content_error(title: &str, what: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("demo district content of 《{title}》: {what}"))
}

impl Cast {
    async fn look_up(db: &Db, keys: &ReceiptKeys) -> AppResult<Cast> {
        let conn = db.conn();
        let agencies = crate::agencies::store::all(conn).await?.into_iter().map(|a| (a.name, a.id)).collect();
        let areas = crate::policy_areas::store::all(conn).await?.into_iter().map(|p| (p.code, p.id)).collect();
        let account = |email: &'static str| async move {
            crate::accounts::store::find_by_email(conn, email)
                .await?
                .map(|a| a.id)
                .ok_or_else(|| missing(format!("the account {email}")))
        };
        let mut staff = HashMap::new();
        staff.insert("示范区发展和改革委员会".to_string(), account("fgw.staff@wenji.demo").await?);
        staff.insert("示范区住房和城乡建设局".to_string(), account("zjj.staff@wenji.demo").await?);
        Ok(Cast {
            agencies,
            areas,
            staff,
            admin: account("admin@wenji.demo").await?,
            residents: vec![
                (account("liu.yang@wenji.demo").await?, "刘洋"),
                (account("chen.jing@wenji.demo").await?, "陈静"),
            ],
            receipt_keys: keys.clone(),
        })
    }
}

/// The instant at `hour:minute` China time, `days` from today (China time).
fn at(now: DateTime<Utc>, days: i64, hour: u32, minute: u32) -> DateTime<Utc> {
    let day = day_in_china(now) + TimeDelta::days(days);
    let local = day.and_hms_opt(hour, minute, 0).unwrap_or_default();
    china().from_local_datetime(&local).single().map(|t| t.with_timezone(&Utc)).unwrap_or(now)
}

/// A UUIDv7 for an instant in the past, so that rows sort by when they happened.
pub(super) fn id_at(t: DateTime<Utc>) -> Uuid {
    let ts = uuid::Timestamp::from_unix(uuid::NoContext, t.timestamp().max(0) as u64, t.timestamp_subsec_nanos());
    Uuid::new_v7(ts)
}

/// A small deterministic generator, so the demo looks the same every time it is loaded.
pub(super) struct Dice(u64);

impl Dice {
    pub(super) fn new(seed: &str) -> Dice {
        Dice(seed.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3)) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub(super) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Loads the district into `db` (attachments included); receipt secrets are
/// derived with `keys` (the server's, so that the demo's receipts work).
pub async fn load_district(db: &Db, keys: &ReceiptKeys) -> AppResult<DistrictReport> {
    let cast = Cast::look_up(db, keys).await?;
    let now = Timestamp::now();
    let mut report = DistrictReport::default();
    for plan in super::content::decisions() {
        let tx = db.write().await?;
        let present = decisions::Entity::find().filter(decisions::Column::Title.eq(plan.title)).one(&tx).await?;
        if present.is_some() {
            report.decisions_present += 1;
            continue;
        }
        let (comments, files) = write_decision(&tx, &cast, plan, now).await?;
        tx.commit().await?;
        report.decisions_created += 1;
        report.comments_created += comments;
        report.attachments_created += files;
    }
    Ok(report)
}

/// The window of a published decision, its stored status and when it was published.
pub(super) struct Published {
    pub(super) opens_at: DateTime<Utc>,
    pub(super) closes_at: DateTime<Utc>,
    pub(super) original_closes_at: DateTime<Utc>,
    pub(super) extension_note: Option<&'static str>,
    pub(super) short_reason: Option<&'static str>,
    pub(super) anonymous_allowed: bool,
    pub(super) moderation: Moderation,
    pub(super) status: DecisionStatus,
    /// Comments arrive until then.
    pub(super) comments_until: DateTime<Utc>,
}

fn published(plan: &DemoDecision, now: DateTime<Utc>) -> AppResult<Option<Published>> {
    let base = |opens_at, closes_at, status| Published {
        opens_at,
        closes_at,
        original_closes_at: closes_at,
        extension_note: None,
        short_reason: None,
        anonymous_allowed: true,
        moderation: Moderation::Post,
        status,
        comments_until: closes_at.min(now - TimeDelta::minutes(20)),
    };
    let p = match &plan.stage {
        Stage::Planned | Stage::Draft => return Ok(None),
        Stage::Scheduled { opens_in, closes_in } => {
            base(at(now, *opens_in, 9, 0), at(now, *closes_in, 17, 0), DecisionStatus::Scheduled)
        }
        Stage::Open { opened_ago, closes_in, short_reason, extended_from, anonymous_allowed, pre_moderation } => {
            let mut p = base(at(now, -opened_ago, 9, 0), at(now, *closes_in, 17, 0), DecisionStatus::Consulting);
            p.short_reason = *short_reason;
            p.anonymous_allowed = *anonymous_allowed;
            p.moderation = if *pre_moderation { Moderation::Pre } else { Moderation::Post };
            if let Some((first_closes_in, note)) = extended_from {
                p.original_closes_at = at(now, *first_closes_in, 17, 0);
                p.extension_note = Some(note);
            }
            p
        }
        Stage::Closed { opened_ago, closed_ago } | Stage::Decided { opened_ago, closed_ago, .. } => {
            base(at(now, -opened_ago, 9, 0), at(now, -closed_ago, 17, 0), DecisionStatus::Closed)
        }
        Stage::Withdrawn { opened_ago, closes_in, withdrawn_ago, .. } => {
            let mut p = base(at(now, -opened_ago, 9, 0), at(now, *closes_in, 17, 0), DecisionStatus::Withdrawn);
            p.comments_until = at(now, -withdrawn_ago, 11, 0);
            p
        }
    };
    // The rules a window keeps (30 days or a public reason; never shortened), as if it had
    // been opened through the console on the day it opened.
    let first = ConsultationWindow::new(
        Some(p.opens_at),
        p.original_closes_at,
        p.short_reason,
        p.opens_at - TimeDelta::hours(1),
    )
    .map_err(|issues| content_error(plan.title, format!("window: {}", issues[0].message.en)))?;
    if first.is_short() != p.short_reason.is_some() {
        return Err(content_error(plan.title, "a short-window reason is given exactly when the window is short"));
    }
    if let Some(note) = p.extension_note {
        check_extension(p.original_closes_at, p.opens_at, p.closes_at, note)
            .map_err(|issues| content_error(plan.title, format!("extension: {}", issues[0].message.en)))?;
    }
    Ok(Some(p))
}

async fn write_decision(
    tx: &impl ConnectionTrait,
    cast: &Cast,
    plan: &DemoDecision,
    now: DateTime<Utc>,
) -> AppResult<(usize, usize)> {
    let agency = *cast.agencies.get(plan.agency).ok_or_else(|| missing(format!("the agency {}", plan.agency)))?;
    let area = *cast.areas.get(plan.area).ok_or_else(|| missing(format!("the policy area {}", plan.area)))?;
    let author = cast.staff.get(plan.agency).copied().unwrap_or(cast.admin);
    let year = year_in_china(now);
    let timing = plan.planned_timing.map(|t| t.replace("{year}", &year.to_string()));
    let fields = DecisionFields::parse(RawDecisionFields {
        title: plan.title,
        summary: plan.summary,
        basis: plan.basis,
        explanation: plan.explanation,
        catalogue_year: year,
        planned_timing: timing.as_deref(),
        listed_in_catalogue: true,
    })
    .map_err(|e| content_error(plan.title, e))?;
    let window = published(plan, now)?;
    let mut d = store::insert(tx, fields, agency, area, author).await?;
    d.created_at = window.as_ref().map_or(now - TimeDelta::days(3), |w| w.opens_at.min(now) - TimeDelta::days(6));

    let mut version = None;
    if !matches!(plan.stage, Stage::Planned) {
        let sections = split_text(plan.draft).map_err(|e| content_error(plan.title, e))?;
        version = Some(store::insert_version(tx, d.id, 1, "征求意见稿".into(), sections, author).await?);
        d.latest_version = 1;
    }
    let (Some(w), Some(version)) = (window, version) else {
        store::save(tx, d.clone()).await?;
        record(tx, author, &d, json!({ "status": d.status.as_str() })).await?;
        return Ok((0, 0));
    };

    let consultation = consultations::Model {
        id: id_at(w.opens_at - TimeDelta::days(1)),
        decision_id: d.id,
        version_number: 1,
        opens_at: w.opens_at,
        closes_at: w.original_closes_at,
        original_closes_at: w.original_closes_at,
        short_window_reason: w.short_reason.map(str::to_string),
        anonymous_allowed: w.anonymous_allowed,
        comments_public: true,
        moderation: w.moderation,
        created_by: author,
        created_at: (w.opens_at - TimeDelta::days(1)).min(now),
    };
    store::insert_consultation(tx, consultation.clone()).await?;
    store::publish_version(tx, d.id, 1).await?;
    if let Some(note) = w.extension_note {
        store::extend(tx, &consultation, w.closes_at, note.to_string(), author).await?;
    }
    d.status = w.status;
    d.published_at = Some((w.opens_at - TimeDelta::days(1)).min(now - TimeDelta::hours(2)));
    d.window_opens_at = Some(w.opens_at);
    d.window_closes_at = Some(w.closes_at);
    match &plan.stage {
        Stage::Decided { decided_ago, outcome, .. } => {
            let sections = split_text(outcome.final_draft).map_err(|e| content_error(plan.title, e))?;
            store::insert_version(tx, d.id, 2, outcome.final_note.into(), sections, author).await?;
            store::publish_version(tx, d.id, 2).await?;
            let links: Vec<Link> =
                outcome.links.iter().map(|(t, u)| Link { title: t.to_string(), url: u.to_string() }).collect();
            d.latest_version = 2;
            d.status = DecisionStatus::Decided;
            d.final_version = Some(2);
            d.decided_on = Some(day_in_china(now - TimeDelta::days(*decided_ago)).to_string());
            d.interpretation = Some(outcome.interpretation.to_string());
            d.interpretation_links = Some(serde_json::to_string(&links).map_err(anyhow::Error::from)?);
        }
        Stage::Withdrawn { withdrawn_ago, reason, .. } => {
            d.withdrawn_reason = Some(reason.to_string());
            d.withdrawn_at = Some(at(now, -withdrawn_ago, 15, 30));
        }
        _ => {}
    }
    let d = store::save(tx, d).await?;

    let sections: HashMap<String, Uuid> =
        store::sections_of(tx, version.id).await?.into_iter().map(|s| (s.label, s.id)).collect();
    let planned = plan_comments(plan, &plan.comments, &sections, cast, author, &w)?;
    let count = planned.len();
    write_comments(tx, cast, &d, planned).await?;

    let mut files = 0;
    for name in plan.attachments {
        attach(tx, &d, name, author, w.opens_at - TimeDelta::days(1)).await?;
        files += 1;
    }
    record(tx, author, &d, json!({ "status": d.status.as_str(), "comments": count, "attachments": files })).await?;
    Ok((count, files))
}

async fn record(
    tx: &impl ConnectionTrait,
    actor: Uuid,
    d: &decisions::Model,
    details: serde_json::Value,
) -> AppResult<()> {
    audit::record(
        tx,
        Entry {
            actor_id: Some(actor),
            agency_id: Some(d.agency_id),
            entity_type: "decision",
            entity_id: d.id,
            action: "demo_data_loaded",
            details,
        },
    )
    .await
}

/// A small, well-formed one-page PDF naming the decision (in ASCII: the PDF core fonts have
/// no Chinese glyphs).
fn demo_pdf(seed: &str) -> Vec<u8> {
    let text = format!("Wenji demo attachment {}", &crate::kernel::digest::sha256_hex(seed)[..12]);
    let stream = format!("BT /F1 12 Tf 40 100 Td ({text}) Tj ET");
    format!(
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n\
         3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 420 200]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n\
         4 0 obj<</Length {}>>stream\n{stream}\nendstream endobj\n\
         5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
        stream.len()
    )
    .into_bytes()
}

async fn attach(
    tx: &impl ConnectionTrait,
    d: &decisions::Model,
    name: &str,
    by: Uuid,
    when: DateTime<Utc>,
) -> AppResult<()> {
    let content = demo_pdf(&format!("{}/{name}", d.title));
    let (file_name, kind) = crate::decisions::attachments::check(name, &content, usize::MAX)
        .map_err(|i| content_error(&d.title, i.message.en))?;
    let sha = crate::kernel::digest::sha256_hex(&content);
    store::insert_attachment_content(tx, &sha, content.clone()).await?;
    let row = attachments::Model {
        id: id_at(when),
        decision_id: d.id,
        file_name,
        content_type: kind.content_type.to_string(),
        size_bytes: content.len() as i64,
        sha256: sha,
        created_by: by,
        created_at: when,
    };
    store::insert_attachment(tx, row).await
}
