//! Queries of the disclosure catalogue: items, their versions and search terms, channels,
//! reports, and the coverage aggregate.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::model::{Filter, ReportStatus};
use crate::entities::{
    disclosure_channels, disclosure_item_changes, disclosure_items, disclosure_reports, disclosure_search_terms,
};
use crate::error::AppResult;
use crate::kernel::text::{index_terms, query_terms};

use disclosure_items::Column as I;
use disclosure_reports::Column as R;

/// Rows per multi-row INSERT: well under both databases' limits on bound values.
const ITEM_CHUNK: usize = 400;
const TERM_CHUNK: usize = 2000;

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<disclosure_items::Model>> {
    Ok(disclosure_items::Entity::find_by_id(id).one(db).await?)
}

/// Every item of an agency's catalogue, removed ones too (an import may restore them).
pub async fn of_agency(db: &impl ConnectionTrait, agency: Uuid) -> AppResult<Vec<disclosure_items::Model>> {
    Ok(disclosure_items::Entity::find().filter(I::AgencyId.eq(agency)).all(db).await?)
}

pub async fn insert_items(db: &impl ConnectionTrait, items: Vec<disclosure_items::Model>) -> AppResult<()> {
    for chunk in items.chunks(ITEM_CHUNK) {
        disclosure_items::Entity::insert_many(chunk.iter().cloned().map(IntoActiveModel::into_active_model))
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Saves an item if it is still at `read_version`; false when someone changed it meanwhile.
pub async fn save_if_version(
    db: &impl ConnectionTrait,
    read_version: i32,
    next: &disclosure_items::Model,
) -> AppResult<bool> {
    let r = disclosure_items::Entity::update_many()
        .col_expr(I::PolicyAreaId, Expr::value(next.policy_area_id))
        .col_expr(I::ItemKey, Expr::value(next.item_key.clone()))
        .col_expr(I::Item, Expr::value(next.item.clone()))
        .col_expr(I::SubItem, Expr::value(next.sub_item.clone()))
        .col_expr(I::Basis, Expr::value(next.basis.clone()))
        .col_expr(I::Content, Expr::value(next.content.clone()))
        .col_expr(I::ResponsibleBody, Expr::value(next.responsible_body.clone()))
        .col_expr(I::TimeLimit, Expr::value(next.time_limit.clone()))
        .col_expr(I::TimeLimitDays, Expr::value(next.time_limit_days))
        .col_expr(I::TimeLimitWorkingDays, Expr::value(next.time_limit_working_days))
        .col_expr(I::Channels, Expr::value(next.channels.clone()))
        .col_expr(I::Attribute, Expr::value(next.attribute.as_str()))
        .col_expr(I::Audience, Expr::value(next.audience.as_str()))
        .col_expr(I::Level, Expr::value(next.level.as_str()))
        .col_expr(I::Version, Expr::value(next.version))
        .col_expr(I::RemovedAt, Expr::value(next.removed_at))
        .col_expr(I::UpdatedAt, Expr::value(next.updated_at))
        .filter(I::Id.eq(next.id))
        .filter(I::Version.eq(read_version))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

pub async fn insert_changes(db: &impl ConnectionTrait, rows: Vec<disclosure_item_changes::Model>) -> AppResult<()> {
    for chunk in rows.chunks(ITEM_CHUNK) {
        disclosure_item_changes::Entity::insert_many(chunk.iter().cloned().map(IntoActiveModel::into_active_model))
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

pub async fn history(db: &impl ConnectionTrait, item: Uuid) -> AppResult<Vec<disclosure_item_changes::Model>> {
    use disclosure_item_changes::Column as C;
    Ok(disclosure_item_changes::Entity::find().filter(C::ItemId.eq(item)).order_by_desc(C::Version).all(db).await?)
}

/// The terms an item is found by: every character and pair of its names (so a one-character
/// query finds names), and every pair of what it discloses (a query of two characters or
/// more needs only pairs; single characters of long contents would cost rows for nothing).
fn terms(i: &disclosure_items::Model) -> std::collections::BTreeSet<String> {
    let mut terms = index_terms(&format!("{} {}", i.item, i.sub_item));
    let content = crate::kernel::text::fold(&i.content);
    terms.extend(content.windows(2).map(|w| w.iter().collect::<String>()));
    terms
}

/// Rewrites the search terms of `items` (`fresh`: they had none yet).
pub async fn index(db: &impl ConnectionTrait, items: &[&disclosure_items::Model], fresh: bool) -> AppResult<()> {
    if !fresh && !items.is_empty() {
        for chunk in items.chunks(ITEM_CHUNK) {
            disclosure_search_terms::Entity::delete_many()
                .filter(disclosure_search_terms::Column::ItemId.is_in(chunk.iter().map(|i| i.id)))
                .exec(db)
                .await?;
        }
    }
    let rows: Vec<disclosure_search_terms::ActiveModel> = items
        .iter()
        .flat_map(|i| {
            terms(i)
                .into_iter()
                .filter(|t| t.len() <= 16)
                .map(|term| disclosure_search_terms::ActiveModel { term: Set(term), item_id: Set(i.id) })
        })
        .collect();
    for chunk in rows.chunks(TERM_CHUNK) {
        disclosure_search_terms::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}

fn condition(filter: &Filter) -> Condition {
    let mut cond = Condition::all();
    if let Some(agencies) = &filter.agencies {
        cond = cond.add(I::AgencyId.is_in(agencies.clone()));
    }
    if let Some(a) = filter.policy_area {
        cond = cond.add(I::PolicyAreaId.eq(a));
    }
    if let Some(a) = filter.attribute {
        cond = cond.add(I::Attribute.eq(a.as_str()));
    }
    if let Some(l) = filter.level {
        cond = cond.add(I::Level.eq(l.as_str()));
    }
    if !filter.include_removed {
        cond = cond.add(I::RemovedAt.is_null());
    }
    if let Some(text) = &filter.text {
        let terms = query_terms(text);
        if !terms.is_empty() {
            use disclosure_search_terms::Column as T;
            let k = terms.len() as i64;
            let matching = Query::select()
                .column(T::ItemId)
                .from(disclosure_search_terms::Entity)
                .and_where(Expr::col(T::Term).is_in(terms))
                .group_by_col(T::ItemId)
                .and_having(Expr::expr(Func::count(Expr::col(T::Term))).eq(k))
                .to_owned();
            cond = cond.add(I::Id.in_subquery(matching));
        }
    }
    cond
}

/// A page of items in catalogue order (area, item, sub-item), with the total.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &Filter,
    offset: u64,
    limit: u64,
) -> AppResult<(Vec<disclosure_items::Model>, u64)> {
    let query = disclosure_items::Entity::find().filter(condition(filter));
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_asc(I::PolicyAreaId)
        .order_by_asc(I::Item)
        .order_by_asc(I::SubItem)
        .order_by_asc(I::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    Ok((items, total))
}

/// Every item matching, for an export (bounded by the catalogue's size).
pub async fn all(db: &impl ConnectionTrait, filter: &Filter) -> AppResult<Vec<disclosure_items::Model>> {
    Ok(disclosure_items::Entity::find()
        .filter(condition(filter))
        .order_by_asc(I::AgencyId)
        .order_by_asc(I::PolicyAreaId)
        .order_by_asc(I::Item)
        .order_by_asc(I::SubItem)
        .all(db)
        .await?)
}

pub async fn channels(db: &impl ConnectionTrait) -> AppResult<Vec<String>> {
    use disclosure_channels::Column as C;
    Ok(disclosure_channels::Entity::find()
        .order_by_asc(C::Position)
        .order_by_asc(C::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.name)
        .collect())
}

pub async fn add_channel(db: &impl ConnectionTrait, name: &str, position: i32, now: DateTime<Utc>) -> AppResult<()> {
    disclosure_channels::Entity::insert(
        disclosure_channels::Model { name: name.to_string(), position, created_at: now }.into_active_model(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

pub async fn insert_report(db: &impl ConnectionTrait, r: disclosure_reports::Model) -> AppResult<()> {
    disclosure_reports::Entity::insert(r.into_active_model()).exec_without_returning(db).await?;
    Ok(())
}

pub async fn find_report(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<disclosure_reports::Model>> {
    Ok(disclosure_reports::Entity::find_by_id(id).one(db).await?)
}

/// Moves an item's report counts (`open` and `answered` by the given amounts).
pub async fn move_report_counts(db: &impl ConnectionTrait, item: Uuid, open: i32, answered: i32) -> AppResult<()> {
    disclosure_items::Entity::update_many()
        .col_expr(I::OpenReports, Expr::col(I::OpenReports).add(open))
        .col_expr(I::AnsweredReports, Expr::col(I::AnsweredReports).add(answered))
        .filter(I::Id.eq(item))
        .exec(db)
        .await?;
    Ok(())
}

/// Answers a report if it is still open; false when it was answered meanwhile.
pub async fn answer_if_open(
    db: &impl ConnectionTrait,
    id: Uuid,
    answer: &str,
    by: Uuid,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let r = disclosure_reports::Entity::update_many()
        .col_expr(R::Status, Expr::value(ReportStatus::Answered.as_str()))
        .col_expr(R::Answer, Expr::value(answer))
        .col_expr(R::AnsweredBy, Expr::value(by))
        .col_expr(R::AnsweredAt, Expr::value(now))
        .filter(R::Id.eq(id))
        .filter(R::Status.eq(ReportStatus::Open.as_str()))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// The answered reports of an item, newest first (at most 100).
pub async fn answered_reports(db: &impl ConnectionTrait, item: Uuid) -> AppResult<Vec<disclosure_reports::Model>> {
    Ok(disclosure_reports::Entity::find()
        .filter(R::ItemId.eq(item))
        .filter(R::Status.eq(ReportStatus::Answered.as_str()))
        .order_by_desc(R::Id)
        .limit(100)
        .all(db)
        .await?)
}

/// Reports on the items of `agencies`, newest first, with the total.
pub async fn reports(
    db: &impl ConnectionTrait,
    agencies: Option<Vec<Uuid>>,
    status: Option<ReportStatus>,
    offset: u64,
    limit: u64,
) -> AppResult<(Vec<disclosure_reports::Model>, u64)> {
    let mut q = disclosure_reports::Entity::find();
    if let Some(a) = agencies {
        q = q.filter(R::AgencyId.is_in(a));
    }
    if let Some(s) = status {
        q = q.filter(R::Status.eq(s.as_str()));
    }
    let total = q.clone().count(db).await?;
    Ok((q.order_by_desc(R::Id).offset(offset).limit(limit).all(db).await?, total))
}

pub async fn items_by_ids(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> AppResult<Vec<disclosure_items::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(disclosure_items::Entity::find().filter(I::Id.is_in(ids)).all(db).await?)
}

/// One agency's items in one policy area: how many, and the last change.
#[derive(Debug, FromQueryResult)]
pub struct CoverageRow {
    pub agency_id: Uuid,
    pub policy_area_id: Uuid,
    pub items: i64,
    pub last_changed_at: Option<DateTime<Utc>>,
}

pub async fn coverage(db: &impl ConnectionTrait) -> AppResult<Vec<CoverageRow>> {
    Ok(disclosure_items::Entity::find()
        .select_only()
        .column(I::AgencyId)
        .column(I::PolicyAreaId)
        .column_as(Expr::col(I::Id).count(), "items")
        .column_as(Expr::col(I::UpdatedAt).max(), "last_changed_at")
        .filter(I::RemovedAt.is_null())
        .group_by(I::AgencyId)
        .group_by(I::PolicyAreaId)
        .into_model::<CoverageRow>()
        .all(db)
        .await?)
}
