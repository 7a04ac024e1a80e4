//! The demo district's comments: planned from the content (who, when, about which article,
//! where each ended up), then written as the submission use-case writes them — receipts,
//! near-duplicate groups formed as comments arrive, and the maintained counts.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::district::{Cast, Dice, Published, content_error, id_at};
use super::plan::{DemoComments, DemoDecision};
use crate::comments::model::{Category, Channel, CommentStatus, HiddenReason};
use crate::db::Timestamp;
use crate::decisions::model::Moderation;
use crate::entities::{comments, decisions};
use crate::error::AppResult;
use crate::kernel::time::{day_in_china, year_in_china};
use crate::kernel::{codes, receipts};

/// A comment as it will be written; its status is where it ended up.
pub(super) struct Planned {
    at: DateTime<Utc>,
    body: String,
    section: Option<Uuid>,
    category: Category,
    display_name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    account: Option<Uuid>,
    channel: Channel,
    status: CommentStatus,
    hidden: Option<(HiddenReason, &'static str)>,
    entered_by: Option<Uuid>,
}

pub(super) fn plan_comments(
    plan: &DemoDecision,
    c: &DemoComments,
    sections: &HashMap<String, Uuid>,
    cast: &Cast,
    staff: Uuid,
    w: &Published,
) -> AppResult<Vec<Planned>> {
    let section = |label: &str| -> AppResult<Option<Uuid>> {
        if label.is_empty() {
            return Ok(None);
        }
        sections.get(label).copied().map(Some).ok_or_else(|| content_error(plan.title, format!("no section {label}")))
    };
    let mut dice = Dice::new(plan.title);
    let start = w.opens_at + TimeDelta::minutes(40);
    let span = (w.comments_until - start).num_seconds().max(3600) as f64;
    let when = |fraction: f64| start + TimeDelta::seconds((span * fraction.clamp(0.0, 0.999)) as i64);
    let fresh = if w.moderation == Moderation::Pre { CommentStatus::Received } else { CommentStatus::Published };
    let mut out = Vec::new();

    // Ordinary comments: two points each, never the same pair twice.
    let n = c.points.len();
    let mut pairs: Vec<(usize, usize)> = (0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b))).collect();
    if pairs.len() < c.ordinary {
        return Err(content_error(plan.title, format!("{} points make fewer than {} comments", n, c.ordinary)));
    }
    for i in (1..pairs.len()).rev() {
        pairs.swap(i, dice.below(i + 1));
    }
    let openers = super::content::OPENERS;
    for (i, &(a, b)) in pairs.iter().take(c.ordinary).enumerate() {
        let (a, b) = if dice.below(2) == 0 { (a, b) } else { (b, a) };
        let (category, opener, name) = openers[dice.below(openers.len())];
        let join = ["另外，", "此外，", "同时，", "还有，"][dice.below(4)];
        let body = format!("{opener}{}{join}{}", c.points[a].1, c.points[b].1);
        let label = if c.points[a].0.is_empty() { c.points[b].0 } else { c.points[a].0 };
        let signed = !w.anonymous_allowed || (category == Category::Individual && i % 9 == 4);
        let (account, display_name) = if signed {
            let (id, resident) = cast.residents[i % cast.residents.len()];
            (Some(id), Some(resident.to_string()))
        } else {
            (None, (!name.is_empty() && i % 3 != 0).then(|| name.to_string()))
        };
        let status = if c.withdraw_every > 0 && i % c.withdraw_every == c.withdraw_every - 1 {
            CommentStatus::Withdrawn
        } else if i < c.published_first {
            CommentStatus::Published
        } else {
            fresh
        };
        out.push(Planned {
            at: when((i as f64 + dice.unit()) / c.ordinary as f64),
            body,
            section: section(label)?,
            category,
            display_name,
            phone: (i % 4 == 1).then(|| format!("138{:08}", 20_260_000 + i)),
            email: (i % 6 == 2).then(|| format!("commenter{i}@example.cn")),
            account,
            channel: Channel::Online,
            status,
            hidden: None,
            entered_by: None,
        });
    }

    // A campaign: the same text sent by many, over three days.
    if let Some(campaign) = &c.campaign {
        let names = super::content::CAMPAIGN_NAMES;
        for j in 0..campaign.copies {
            let variant = campaign.variants[j % campaign.variants.len()];
            let hidden = j >= campaign.copies - campaign.hidden_as_duplicates;
            out.push(Planned {
                at: when(0.55 + 0.1 * (j as f64 + dice.unit()) / campaign.copies as f64),
                body: variant.to_string(),
                section: section(campaign.section)?,
                category: Category::Individual,
                display_name: Some(names[j % names.len()].to_string()),
                phone: (j % 3 == 0).then(|| format!("139{:08}", 10_000_000 + j)),
                email: None,
                account: None,
                channel: Channel::Online,
                status: if hidden { CommentStatus::Hidden } else { fresh },
                hidden: hidden.then_some((HiddenReason::Duplicate, "同一联系电话重复提交，保留首次提交的一条。")),
                entered_by: None,
            });
        }
    }

    for (k, h) in c.hidden.iter().enumerate() {
        out.push(Planned {
            at: when((k as f64 + dice.unit()) / c.hidden.len() as f64),
            body: h.body.to_string(),
            section: None,
            category: Category::Other,
            display_name: None,
            phone: None,
            email: None,
            account: None,
            channel: Channel::Online,
            status: CommentStatus::Hidden,
            hidden: Some((h.reason, h.note)),
            entered_by: None,
        });
    }

    for (k, o) in c.offline.iter().enumerate() {
        out.push(Planned {
            at: when(0.3 + 0.6 * (k as f64 + dice.unit()) / c.offline.len() as f64),
            body: o.body.to_string(),
            section: section(o.section)?,
            category: o.category,
            display_name: Some(o.display_name.to_string()),
            phone: None,
            email: None,
            account: None,
            channel: o.channel,
            status: CommentStatus::Published,
            hidden: None,
            entered_by: Some(staff),
        });
    }
    out.sort_by_key(|p| p.at);
    Ok(out)
}

/// Inserts comments in the order they arrived, through the submission use-case's own insert
/// (near-duplicate groups formed as they arrive, maintained counts).
pub(super) async fn write_comments(
    tx: &impl ConnectionTrait,
    cast: &Cast,
    d: &decisions::Model,
    planned: Vec<Planned>,
) -> AppResult<()> {
    for p in planned {
        let at = Timestamp::truncate(p.at);
        let id = id_at(at);
        let received_on: NaiveDate = day_in_china(at);
        let (hidden_reason, moderation_note) = match p.hidden {
            Some((reason, note)) => (Some(reason), Some(note.to_string())),
            None => (None, None),
        };
        let row = comments::Model {
            id,
            decision_id: d.id,
            version_number: 1,
            section_id: p.section,
            body: p.body,
            category: p.category,
            display_name: p.display_name,
            contact_phone: p.phone,
            contact_email: p.email,
            account_id: p.account,
            channel: p.channel,
            received_on: received_on.to_string(),
            status: p.status,
            hidden_reason,
            moderation_note,
            tracking_number: codes::tracking_number(year_in_china(at)),
            secret_hash: receipts::secret_hash(&cast.receipt_keys.current_secret(id)),
            receipt_key_id: Some(cast.receipt_keys.current_id().to_string()),
            idempotency_key: None,
            duplicate_group_id: None,
            entered_by: p.entered_by,
            created_at: at,
            updated_at: at,
        };
        crate::comments::service::insert_counted(tx, row).await?;
    }
    Ok(())
}
