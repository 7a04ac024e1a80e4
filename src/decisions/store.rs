//! Queries for decisions, versions, sections, consultations and the search index.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::model::{DecisionFields, DecisionStatus};
use super::splitter::ParsedSection;
use crate::authz::DecisionScope;
use crate::db::{Timestamp, new_id};
use crate::entities::{
    consultation_extensions, consultations, decision_search_terms, decisions, draft_versions, sections,
};
use crate::error::AppResult;
use crate::kernel::text::{index_terms, query_terms};

use decisions::Column as D;

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<decisions::Model>> {
    Ok(decisions::Entity::find_by_id(id).one(db).await?)
}

pub async fn insert(
    db: &impl ConnectionTrait,
    fields: DecisionFields,
    agency_id: Uuid,
    policy_area_id: Uuid,
    created_by: Uuid,
) -> AppResult<decisions::Model> {
    let now = Timestamp::now();
    let row = decisions::ActiveModel {
        id: Set(new_id()),
        agency_id: Set(agency_id),
        policy_area_id: Set(policy_area_id),
        title: Set(fields.title),
        summary: Set(fields.summary),
        basis: Set(fields.basis),
        explanation: Set(fields.explanation),
        catalogue_year: Set(fields.catalogue_year),
        planned_timing: Set(fields.planned_timing),
        listed_in_catalogue: Set(fields.listed_in_catalogue),
        status: Set(DecisionStatus::Draft),
        published_at: Set(None),
        window_opens_at: Set(None),
        window_closes_at: Set(None),
        withdrawn_reason: Set(None),
        withdrawn_at: Set(None),
        final_version: Set(None),
        interpretation: Set(None),
        interpretation_links: Set(None),
        decided_on: Set(None),
        latest_version: Set(0),
        feedback_published_at: Set(None),
        feedback_version: Set(0),
        created_by: Set(created_by),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let model = decisions::Entity::insert(row).exec_with_returning(db).await?;
    index(db, &model).await?;
    Ok(model)
}

/// Saves a changed model (all columns), stamping `updated_at`.
pub async fn save(db: &impl ConnectionTrait, model: decisions::Model) -> AppResult<decisions::Model> {
    use sea_orm::{ActiveModelTrait, IntoActiveModel};
    let mut active = model.into_active_model().reset_all();
    active.updated_at = Set(Timestamp::now());
    Ok(active.update(db).await?)
}

/// Rewrites the search terms of a decision from its title and summary.
pub async fn index(db: &impl ConnectionTrait, d: &decisions::Model) -> AppResult<()> {
    decision_search_terms::Entity::delete_many()
        .filter(decision_search_terms::Column::DecisionId.eq(d.id))
        .exec(db)
        .await?;
    let terms = index_terms(&format!("{} {}", d.title, d.summary));
    let rows: Vec<_> = terms
        .into_iter()
        .filter(|t| t.len() <= 16)
        .map(|term| decision_search_terms::ActiveModel { term: Set(term), decision_id: Set(d.id) })
        .collect();
    for chunk in rows.chunks(300) {
        decision_search_terms::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}

#[derive(Default)]
pub struct Filter {
    pub status: Option<DecisionStatus>,
    pub agency_ids: Option<Vec<Uuid>>,
    pub policy_area_id: Option<Uuid>,
    pub year: Option<i32>,
    pub open_now: bool,
    pub closing_before: Option<DateTime<Utc>>,
    pub text: Option<String>,
}

fn status_condition(status: DecisionStatus, now: DateTime<Utc>) -> Condition {
    let in_window = || D::Status.is_in([DecisionStatus::Scheduled, DecisionStatus::Consulting]);
    match status {
        DecisionStatus::Scheduled => {
            Condition::all().add(D::Status.eq(DecisionStatus::Scheduled)).add(D::WindowOpensAt.gt(now))
        }
        DecisionStatus::Consulting => consulting_condition(now),
        DecisionStatus::Closed => Condition::any()
            .add(D::Status.eq(DecisionStatus::Closed))
            .add(Condition::all().add(in_window()).add(D::WindowClosesAt.lte(now))),
        other => Condition::all().add(D::Status.eq(other)),
    }
}

fn consulting_condition(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(D::Status.is_in([DecisionStatus::Scheduled, DecisionStatus::Consulting]))
        .add(D::WindowOpensAt.lte(now))
        .add(D::WindowClosesAt.gt(now))
}

pub async fn list(
    db: &impl ConnectionTrait,
    scope: DecisionScope,
    filter: &Filter,
    now: DateTime<Utc>,
    offset: u64,
    limit: u64,
) -> AppResult<(Vec<decisions::Model>, u64)> {
    let mut cond = Condition::all();
    cond = match scope {
        DecisionScope::Public => cond.add(D::PublishedAt.is_not_null()),
        DecisionScope::PublicAndAgency(agency) => {
            cond.add(Condition::any().add(D::PublishedAt.is_not_null()).add(D::AgencyId.eq(agency)))
        }
        DecisionScope::Everything => cond,
    };
    if let Some(status) = filter.status {
        cond = cond.add(status_condition(status, now));
    }
    if let Some(ids) = &filter.agency_ids {
        cond = cond.add(D::AgencyId.is_in(ids.clone()));
    }
    if let Some(area) = filter.policy_area_id {
        cond = cond.add(D::PolicyAreaId.eq(area));
    }
    if let Some(year) = filter.year {
        cond = cond.add(D::CatalogueYear.eq(year));
    }
    if filter.open_now || filter.closing_before.is_some() {
        cond = cond.add(consulting_condition(now));
    }
    if let Some(before) = filter.closing_before {
        cond = cond.add(D::WindowClosesAt.lte(before));
    }
    if let Some(text) = &filter.text {
        let terms = query_terms(text);
        if !terms.is_empty() {
            use decision_search_terms::Column as T;
            let k = terms.len() as i64;
            let matching = Query::select()
                .column(T::DecisionId)
                .from(decision_search_terms::Entity)
                .and_where(Expr::col(T::Term).is_in(terms))
                .group_by_col(T::DecisionId)
                .and_having(Expr::expr(Func::count(Expr::col(T::Term))).eq(k))
                .to_owned();
            cond = cond.add(D::Id.in_subquery(matching));
        }
    }
    let query = decisions::Entity::find().filter(cond);
    let total = query.clone().count(db).await?;
    let items = query.order_by_desc(D::Id).offset(offset).limit(limit).all(db).await?;
    Ok((items, total))
}

pub async fn catalogue(db: &impl ConnectionTrait, agency_ids: &[Uuid], year: i32) -> AppResult<Vec<decisions::Model>> {
    Ok(decisions::Entity::find()
        .filter(D::AgencyId.is_in(agency_ids.to_vec()))
        .filter(D::CatalogueYear.eq(year))
        .filter(Condition::any().add(D::PublishedAt.is_not_null()).add(D::ListedInCatalogue.eq(true)))
        .order_by_asc(D::AgencyId)
        .order_by_asc(D::Id)
        .all(db)
        .await?)
}

pub async fn recently_published(db: &impl ConnectionTrait, limit: u64) -> AppResult<Vec<decisions::Model>> {
    Ok(decisions::Entity::find()
        .filter(D::PublishedAt.is_not_null())
        .order_by_desc(D::PublishedAt)
        .limit(limit)
        .all(db)
        .await?)
}

pub async fn insert_version(
    db: &impl ConnectionTrait,
    decision_id: Uuid,
    number: i32,
    note: String,
    new_sections: Vec<ParsedSection>,
    created_by: Uuid,
) -> AppResult<draft_versions::Model> {
    let version = draft_versions::ActiveModel {
        id: Set(new_id()),
        decision_id: Set(decision_id),
        number: Set(number),
        note: Set(note),
        section_count: Set(new_sections.len() as i32),
        published: Set(false),
        created_by: Set(created_by),
        created_at: Set(Timestamp::now()),
    };
    let version = draft_versions::Entity::insert(version).exec_with_returning(db).await?;
    let ids: Vec<Uuid> = new_sections.iter().map(|_| new_id()).collect();
    let rows: Vec<sections::ActiveModel> = new_sections
        .into_iter()
        .enumerate()
        .map(|(i, s)| sections::ActiveModel {
            id: Set(ids[i]),
            version_id: Set(version.id),
            decision_id: Set(decision_id),
            position: Set(i as i32),
            kind: Set(s.kind),
            number: Set(s.number.map(|n| n as i32)),
            label: Set(s.label),
            heading: Set(s.heading),
            body: Set(s.text),
            parent_id: Set(s.parent.and_then(|p| ids.get(p).copied())),
            key: Set(s.key),
        })
        .collect();
    for chunk in rows.chunks(200) {
        sections::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(version)
}

pub async fn versions(db: &impl ConnectionTrait, decision_id: Uuid) -> AppResult<Vec<draft_versions::Model>> {
    Ok(draft_versions::Entity::find()
        .filter(draft_versions::Column::DecisionId.eq(decision_id))
        .order_by_asc(draft_versions::Column::Number)
        .all(db)
        .await?)
}

pub async fn version(
    db: &impl ConnectionTrait,
    decision_id: Uuid,
    number: i32,
) -> AppResult<Option<draft_versions::Model>> {
    Ok(draft_versions::Entity::find()
        .filter(draft_versions::Column::DecisionId.eq(decision_id))
        .filter(draft_versions::Column::Number.eq(number))
        .one(db)
        .await?)
}

pub async fn publish_version(db: &impl ConnectionTrait, decision_id: Uuid, number: i32) -> AppResult<()> {
    draft_versions::Entity::update_many()
        .col_expr(draft_versions::Column::Published, Expr::value(true))
        .filter(draft_versions::Column::DecisionId.eq(decision_id))
        .filter(draft_versions::Column::Number.eq(number))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn sections_of(db: &impl ConnectionTrait, version_id: Uuid) -> AppResult<Vec<sections::Model>> {
    Ok(sections::Entity::find()
        .filter(sections::Column::VersionId.eq(version_id))
        .order_by_asc(sections::Column::Position)
        .all(db)
        .await?)
}

pub async fn consultation(db: &impl ConnectionTrait, decision_id: Uuid) -> AppResult<Option<consultations::Model>> {
    Ok(consultations::Entity::find().filter(consultations::Column::DecisionId.eq(decision_id)).one(db).await?)
}

pub async fn insert_consultation(db: &impl ConnectionTrait, row: consultations::Model) -> AppResult<()> {
    use sea_orm::IntoActiveModel;
    consultations::Entity::insert(row.into_active_model()).exec_without_returning(db).await?;
    Ok(())
}

pub async fn extensions(
    db: &impl ConnectionTrait,
    consultation_id: Uuid,
) -> AppResult<Vec<consultation_extensions::Model>> {
    Ok(consultation_extensions::Entity::find()
        .filter(consultation_extensions::Column::ConsultationId.eq(consultation_id))
        .order_by_asc(consultation_extensions::Column::Id)
        .all(db)
        .await?)
}

pub async fn extend(
    db: &impl ConnectionTrait,
    consultation: &consultations::Model,
    new_closes_at: DateTime<Utc>,
    note: String,
    by: Uuid,
) -> AppResult<()> {
    let row = consultation_extensions::ActiveModel {
        id: Set(new_id()),
        consultation_id: Set(consultation.id),
        previous_closes_at: Set(consultation.closes_at),
        new_closes_at: Set(new_closes_at),
        note: Set(note),
        created_by: Set(by),
        created_at: Set(Timestamp::now()),
    };
    consultation_extensions::Entity::insert(row).exec_without_returning(db).await?;
    consultations::Entity::update_many()
        .col_expr(consultations::Column::ClosesAt, Expr::value(new_closes_at))
        .filter(consultations::Column::Id.eq(consultation.id))
        .exec(db)
        .await?;
    decisions::Entity::update_many()
        .col_expr(D::WindowClosesAt, Expr::value(new_closes_at))
        .col_expr(D::UpdatedAt, Expr::value(Timestamp::now()))
        .filter(D::Id.eq(consultation.decision_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Decisions whose stored status lags behind the clock: (id, agency, stored status).
pub async fn due_for_transition(db: &impl ConnectionTrait, now: DateTime<Utc>) -> AppResult<Vec<decisions::Model>> {
    Ok(decisions::Entity::find()
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(D::Status.is_in([DecisionStatus::Scheduled, DecisionStatus::Consulting]))
                        .add(D::WindowClosesAt.lte(now)),
                )
                .add(Condition::all().add(D::Status.eq(DecisionStatus::Scheduled)).add(D::WindowOpensAt.lte(now))),
        )
        .limit(500)
        .all(db)
        .await?)
}

/// Moves decision `read` to `to` if it is still as it was read — in the same status, with
/// the same window; answers whether it moved. Of several API nodes sweeping at once exactly
/// one records the change, and a window extended since it was read is not closed.
pub async fn move_status(db: &impl ConnectionTrait, read: &decisions::Model, to: DecisionStatus) -> AppResult<bool> {
    let same_window = |col: D, at: Option<DateTime<Utc>>| match at {
        Some(at) => col.eq(at),
        None => col.is_null(),
    };
    let result = decisions::Entity::update_many()
        .col_expr(D::Status, Expr::value(to))
        .col_expr(D::UpdatedAt, Expr::value(Timestamp::now()))
        .filter(D::Id.eq(read.id))
        .filter(D::Status.eq(read.status))
        .filter(same_window(D::WindowOpensAt, read.window_opens_at))
        .filter(same_window(D::WindowClosesAt, read.window_closes_at))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Reads a decision inside a write transaction, locking its row on PostgreSQL (SQLite's
/// `BEGIN IMMEDIATE` already serialises writers), so concurrent steps see each other.
pub async fn find_for_update(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<decisions::Model>> {
    Ok(decisions::Entity::find_by_id(id).lock_exclusive().one(db).await?)
}

pub async fn insert_attachment(db: &impl ConnectionTrait, row: crate::entities::attachments::Model) -> AppResult<()> {
    use sea_orm::IntoActiveModel;
    crate::entities::attachments::Entity::insert(row.into_active_model()).exec_without_returning(db).await?;
    Ok(())
}

/// Stores an attachment's bytes unless identical bytes are already stored (content-addressed).
pub async fn insert_attachment_content(db: &impl ConnectionTrait, sha256: &str, content: Vec<u8>) -> AppResult<()> {
    use crate::entities::attachment_contents::{ActiveModel, Column, Entity};
    use sea_orm::Set;
    Entity::insert(ActiveModel { sha256: Set(sha256.to_string()), content: Set(content) })
        .on_conflict_do_nothing_on([Column::Sha256])
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// `len` bytes of what is stored under `sha256`, from byte `offset` (0-based): fewer at the
/// end, empty past it; `None` when nothing is stored under that hash. Downloads read one such
/// piece at a time, so a large file never sits whole in memory.
pub async fn attachment_piece(
    db: &impl ConnectionTrait,
    sha256: &str,
    offset: i32,
    len: i32,
) -> AppResult<Option<Vec<u8>>> {
    // Both databases count from 1, in bytes, for a BLOB / bytea.
    let sql = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            "SELECT substring(content from $1 for $2) AS piece FROM attachment_contents WHERE sha256 = $3"
        }
        _ => "SELECT substr(content, $1, $2) AS piece FROM attachment_contents WHERE sha256 = $3",
    };
    let values = vec![(offset + 1).into(), len.into(), sha256.into()];
    let row = db.query_one_raw(crate::db::statement(db.get_database_backend(), sql, values)).await?;
    Ok(match row {
        Some(r) => Some(r.try_get::<Option<Vec<u8>>>("", "piece")?.unwrap_or_default()),
        None => None,
    })
}

/// Hashes of attachments whose bytes are not in the database (stored as files before).
pub async fn attachments_without_content(db: &impl ConnectionTrait) -> AppResult<Vec<String>> {
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT DISTINCT a.sha256 FROM attachments a \
             LEFT JOIN attachment_contents c ON c.sha256 = a.sha256 WHERE c.sha256 IS NULL",
        ))
        .await?;
    rows.iter().map(|r| r.try_get::<String>("", "sha256").map_err(Into::into)).collect()
}

pub async fn attachments(
    db: &impl ConnectionTrait,
    decision_id: Uuid,
) -> AppResult<Vec<crate::entities::attachments::Model>> {
    use crate::entities::attachments::{Column, Entity};
    Ok(Entity::find().filter(Column::DecisionId.eq(decision_id)).order_by_asc(Column::Id).all(db).await?)
}

/// How a section is named to readers: its label (第三条), or its heading when it has none.
fn label_of(s: sections::Model) -> String {
    if s.label.is_empty() { s.heading } else { s.label }
}

/// The labels of the sections of one version of a decision, by section id.
pub async fn section_labels(
    db: &impl ConnectionTrait,
    decision_id: Uuid,
    number: i32,
) -> AppResult<std::collections::HashMap<Uuid, String>> {
    let Some(v) = version(db, decision_id, number).await? else { return Ok(Default::default()) };
    Ok(sections_of(db, v.id).await?.into_iter().map(|s| (s.id, label_of(s))).collect())
}

pub async fn section_label(db: &impl ConnectionTrait, section_id: Uuid) -> AppResult<Option<String>> {
    Ok(sections::Entity::find_by_id(section_id).one(db).await?.map(label_of))
}
