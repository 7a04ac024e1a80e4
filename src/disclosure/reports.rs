//! The public's reports on catalogue items (接受社会监督): anyone reports an item as
//! missing, outdated or not honoured, rate-limited per client address; the item's agency
//! answers; the public sees the counts and the answered reports. Counts live on the item
//! and move in the transaction that changes a report, only when the report changed.

use std::collections::HashMap;

use serde_json::json;
use uuid::Uuid;

use super::dto::{DisclosureReport, DisclosureReportReceipt, PublicDisclosureReport, PublicDisclosureReportList};
use super::model::{ReportDraft, ReportStatus, parse_answer};
use super::service::not_found;
use super::store;
use crate::audit::{self, Entry};
use crate::authz::{Action, Actor};
use crate::db::{Timestamp, new_id};
use crate::entities::disclosure_reports;
use crate::error::{AppError, AppResult};
use crate::kernel::client_address::ClientAddress;
use crate::kernel::pagination::{Page, PageRequest};
use crate::state::AppState;
use crate::t;

fn report_not_found() -> AppError {
    AppError::NotFound(t!("找不到该反馈。", "Report not found."))
}

pub async fn submit(
    state: &AppState,
    actor: &Actor,
    item_id: Uuid,
    draft: ReportDraft,
    address: Option<ClientAddress>,
) -> AppResult<DisclosureReportReceipt> {
    let item = store::find(state.db.conn(), item_id).await?.filter(|i| i.removed_at.is_none()).ok_or_else(not_found)?;
    let now = Timestamp::now();
    let limit = state.config.disclosure_report_limit();
    limit.check(state.db.conn(), address.as_ref(), now).await?;
    let row = disclosure_reports::Model {
        id: new_id(),
        item_id: item.id,
        agency_id: item.agency_id,
        kind: draft.kind,
        body: draft.body,
        contact: draft.contact,
        status: ReportStatus::Open,
        answer: None,
        answered_by: None,
        answered_at: None,
        account_id: actor.account_id(),
        created_at: now,
    };
    let tx = state.db.write().await?;
    limit.count(&tx, address.as_ref(), now).await?;
    store::insert_report(&tx, row.clone()).await?;
    store::move_report_counts(&tx, item.id, 1, 0).await?;
    tx.commit().await?;
    Ok(DisclosureReportReceipt { id: row.id, status: row.status })
}

/// The counts and the answered reports of a live item.
pub async fn public(state: &AppState, item_id: Uuid) -> AppResult<PublicDisclosureReportList> {
    let db = state.db.conn();
    let item = store::find(db, item_id).await?.filter(|i| i.removed_at.is_none()).ok_or_else(not_found)?;
    let items = store::answered_reports(db, item_id)
        .await?
        .into_iter()
        .map(|r| PublicDisclosureReport {
            id: r.id,
            kind: r.kind,
            body: r.body,
            created_at: r.created_at,
            answer: r.answer,
            answered_at: r.answered_at,
        })
        .collect();
    Ok(PublicDisclosureReportList { open: item.open_reports, answered: item.answered_reports, items })
}

/// Reports for staff: their agency's (the platform admin: one agency's, or every agency's).
pub async fn for_staff(
    state: &AppState,
    actor: &Actor,
    agency: Option<Uuid>,
    status: Option<ReportStatus>,
    page: PageRequest,
) -> AppResult<Page<DisclosureReport>> {
    let p = actor.principal()?;
    let agencies = match (agency, p.agency_id) {
        (Some(a), _) => {
            actor.authorize(Action::ActFor(a))?;
            Some(vec![a])
        }
        (None, Some(own)) => Some(vec![own]),
        (None, None) => {
            actor.authorize(Action::ReadCatalogueCoverage)?;
            None
        }
    };
    let db = state.db.conn();
    let (rows, total) = store::reports(db, agencies, status, page.offset(), page.per_page).await?;
    let titles: HashMap<Uuid, String> = store::items_by_ids(db, rows.iter().map(|r| r.item_id).collect())
        .await?
        .into_iter()
        .map(|i| (i.id, if i.sub_item.is_empty() { i.item } else { format!("{} / {}", i.item, i.sub_item) }))
        .collect();
    let items = rows
        .into_iter()
        .map(|r| DisclosureReport {
            id: r.id,
            item_id: r.item_id,
            item_title: titles.get(&r.item_id).cloned().unwrap_or_default(),
            kind: r.kind,
            body: r.body,
            contact: r.contact,
            status: r.status,
            answer: r.answer,
            answered_at: r.answered_at,
            created_at: r.created_at,
        })
        .collect();
    Ok(page.page(items, total))
}

/// Answers an open report (staff of the item's agency); 409 `already_answered` otherwise.
pub async fn answer(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    raw: Option<&str>,
) -> AppResult<DisclosureReportReceipt> {
    actor.principal()?;
    let text = parse_answer(raw).map_err(|i| AppError::Invalid(vec![i]))?;
    let r = store::find_report(state.db.conn(), id).await?.ok_or_else(report_not_found)?;
    actor.authorize(Action::ActFor(r.agency_id))?;
    let by = actor.account_id().unwrap_or_default();
    let tx = state.db.write().await?;
    if !store::answer_if_open(&tx, id, &text, by, Timestamp::now()).await? {
        return Err(AppError::Conflict {
            code: "already_answered",
            message: t!("该反馈已答复。", "This report has been answered already."),
        });
    }
    store::move_report_counts(&tx, r.item_id, -1, 1).await?;
    audit::record(
        &tx,
        Entry {
            actor_id: actor.account_id(),
            agency_id: Some(r.agency_id),
            entity_type: "disclosure_report",
            entity_id: id,
            action: "answer",
            details: json!({ "item_id": r.item_id }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(DisclosureReportReceipt { id, status: ReportStatus::Answered })
}
