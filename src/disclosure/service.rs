//! Writes and reads of catalogue items: create, change, remove and restore (each a version
//! with its field-by-field changes, conditioned on the version read), the public list and
//! search, history, channels, export and coverage. Every write is one transaction with its
//! audit entry, authorized as `ActFor` the item's agency.

use std::collections::HashMap;

use sea_orm::ConnectionTrait;
use serde_json::json;
use uuid::Uuid;

use super::dto::{Coverage, CoverageAgency, CoverageArea, DisclosureItem, FieldChangeView, ItemHistory, ItemVersion};
use super::model::{ChangeKind, FieldChange, Filter, ItemFields, TimeLimit};
use super::store;
use crate::audit::{self, Entry};
use crate::authz::{Action, Actor};
use crate::db::{Timestamp, new_id};
use crate::entities::{disclosure_item_changes, disclosure_items};
use crate::error::{AppError, AppResult};
use crate::kernel::pagination::{Page, PageRequest};
use crate::state::AppState;
use crate::t;

pub fn not_found() -> AppError {
    AppError::NotFound(t!("找不到该公开事项。", "Catalogue item not found."))
}

fn changed_meanwhile() -> AppError {
    AppError::Conflict {
        code: "item_changed",
        message: t!("该事项刚被他人修改，请刷新后重试。", "The item changed meanwhile; reload and try again."),
    }
}

fn taken() -> AppError {
    AppError::Conflict {
        code: "item_exists",
        message: t!(
            "本单位目录中已有同一领域、同名的一级和二级事项。",
            "The catalogue has an item with this area, item and sub-item already."
        ),
    }
}

/// Names the views need: agencies and policy areas by id (both small tables).
pub struct Names {
    pub agencies: HashMap<Uuid, String>,
    pub areas: HashMap<Uuid, String>,
}

impl Names {
    pub async fn load(db: &impl ConnectionTrait) -> AppResult<Names> {
        let agencies = crate::agencies::store::all(db).await?.into_iter().map(|a| (a.id, a.name)).collect();
        let areas = crate::policy_areas::store::all(db).await?.into_iter().map(|a| (a.id, a.name)).collect();
        Ok(Names { agencies, areas })
    }

    pub fn area(&self, id: Uuid) -> String {
        self.areas.get(&id).cloned().unwrap_or_default()
    }

    pub fn agency(&self, id: Uuid) -> String {
        self.agencies.get(&id).cloned().unwrap_or_default()
    }
}

/// The fields of a stored item. A stored channel list that is not a JSON array of names is
/// an error, not an empty list.
pub fn fields_of(m: &disclosure_items::Model) -> AppResult<ItemFields> {
    let channels: Vec<String> = serde_json::from_str(&m.channels)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("disclosure item {} channels: {e}", m.id)))?;
    Ok(ItemFields {
        policy_area_id: m.policy_area_id,
        item: m.item.clone(),
        sub_item: m.sub_item.clone(),
        basis: m.basis.clone(),
        content: m.content.clone(),
        responsible_body: m.responsible_body.clone(),
        time_limit: TimeLimit {
            text: m.time_limit.clone(),
            days: m.time_limit_days,
            working_days: m.time_limit_working_days,
        },
        channels,
        attribute: m.attribute,
        audience: m.audience,
        level: m.level,
    })
}

/// `base` with `f` written over it.
pub fn with_fields(base: disclosure_items::Model, f: &ItemFields) -> disclosure_items::Model {
    disclosure_items::Model {
        policy_area_id: f.policy_area_id,
        item_key: f.key(),
        item: f.item.clone(),
        sub_item: f.sub_item.clone(),
        basis: f.basis.clone(),
        content: f.content.clone(),
        responsible_body: f.responsible_body.clone(),
        time_limit: f.time_limit.text.clone(),
        time_limit_days: f.time_limit.days,
        time_limit_working_days: f.time_limit.working_days,
        channels: serde_json::to_string(&f.channels).unwrap_or_else(|_| "[]".into()),
        attribute: f.attribute,
        audience: f.audience,
        level: f.level,
        ..base
    }
}

/// A new item of `agency`, at version 1.
pub fn new_item(agency: Uuid, f: &ItemFields, now: chrono::DateTime<chrono::Utc>) -> disclosure_items::Model {
    let base = disclosure_items::Model {
        id: new_id(),
        agency_id: agency,
        policy_area_id: f.policy_area_id,
        item_key: String::new(),
        item: String::new(),
        sub_item: String::new(),
        basis: String::new(),
        content: String::new(),
        responsible_body: String::new(),
        time_limit: String::new(),
        time_limit_days: None,
        time_limit_working_days: false,
        channels: "[]".into(),
        attribute: f.attribute,
        audience: f.audience,
        level: f.level,
        open_reports: 0,
        answered_reports: 0,
        version: 1,
        removed_at: None,
        created_at: now,
        updated_at: now,
    };
    with_fields(base, f)
}

/// The version row recording `changes` to `item` (at its new version).
pub fn version_row(
    item: &disclosure_items::Model,
    kind: ChangeKind,
    by: Option<Uuid>,
    changes: &[FieldChange],
) -> disclosure_item_changes::Model {
    disclosure_item_changes::Model {
        item_id: item.id,
        version: item.version,
        kind,
        changed_by: by,
        changed_at: item.updated_at,
        changes: serde_json::to_string(changes).unwrap_or_else(|_| "[]".into()),
    }
}

/// What a newly created item records as its first version: every field, from nothing.
pub fn creation_changes(f: &ItemFields, names: &Names) -> Vec<FieldChange> {
    let empty = ItemFields {
        policy_area_id: Uuid::nil(),
        item: String::new(),
        sub_item: String::new(),
        basis: String::new(),
        content: String::new(),
        responsible_body: String::new(),
        time_limit: TimeLimit { text: String::new(), days: None, working_days: false },
        channels: vec![],
        attribute: f.attribute,
        audience: f.audience,
        level: f.level,
    };
    let mut changes = f.changes_from(&empty, |id| names.area(id));
    for (field, label) in
        [("attribute", f.attribute.label()), ("audience", f.audience.label()), ("level", f.level.label())]
    {
        changes.push(FieldChange { field: field.into(), before: String::new(), after: label.into() });
    }
    changes
}

pub fn view(m: disclosure_items::Model, names: &Names) -> AppResult<DisclosureItem> {
    let channels = fields_of(&m)?.channels;
    Ok(DisclosureItem {
        id: m.id,
        agency_id: m.agency_id,
        agency_name: names.agency(m.agency_id),
        policy_area_id: m.policy_area_id,
        policy_area_name: names.area(m.policy_area_id),
        item: m.item,
        sub_item: m.sub_item,
        basis: m.basis,
        content: m.content,
        responsible_body: m.responsible_body,
        time_limit: m.time_limit,
        time_limit_days: m.time_limit_days,
        time_limit_working_days: m.time_limit_working_days,
        channels,
        attribute: m.attribute,
        audience: m.audience,
        level: m.level,
        open_reports: m.open_reports,
        answered_reports: m.answered_reports,
        version: m.version,
        removed_at: m.removed_at,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

async fn record(
    tx: &impl ConnectionTrait,
    actor: &Actor,
    m: &disclosure_items::Model,
    action: &'static str,
    details: serde_json::Value,
) -> AppResult<()> {
    audit::record(
        tx,
        Entry {
            actor_id: actor.account_id(),
            agency_id: Some(m.agency_id),
            entity_type: "disclosure_item",
            entity_id: m.id,
            action,
            details,
        },
    )
    .await
}

/// An item as `actor` may see it: removed items exist only for their agency's staff.
async fn visible(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<disclosure_items::Model> {
    let m = store::find(state.db.conn(), id).await?.ok_or_else(not_found)?;
    if m.removed_at.is_some() && !actor.sees_unpublished_of(m.agency_id) {
        return Err(not_found());
    }
    Ok(m)
}

/// An item for its agency's staff (others: 403; signed out: 401).
async fn staff_item(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<disclosure_items::Model> {
    actor.principal()?;
    let m = store::find(state.db.conn(), id).await?.ok_or_else(not_found)?;
    actor.authorize(Action::ActFor(m.agency_id))?;
    Ok(m)
}

pub async fn get(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<DisclosureItem> {
    let m = visible(state, actor, id).await?;
    view(m, &Names::load(state.db.conn()).await?)
}

/// The public list; staff asking for their own agency's catalogue may include removed items.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    mut filter: Filter,
    page: PageRequest,
) -> AppResult<Page<DisclosureItem>> {
    if filter.include_removed {
        let only_own = filter.agencies.as_ref().is_some_and(|a| a.iter().all(|a| actor.sees_unpublished_of(*a)));
        filter.include_removed = only_own;
    }
    let db = state.db.conn();
    let (items, total) = store::list(db, &filter, page.offset(), page.per_page).await?;
    let names = Names::load(db).await?;
    let items = items.into_iter().map(|m| view(m, &names)).collect::<AppResult<Vec<_>>>()?;
    Ok(page.page(items, total))
}

fn unique_violation(e: AppError) -> AppError {
    match e {
        e if e.is_unique_violation() => taken(),
        other => other,
    }
}

/// A form's fields parsed against the platform's channels and the agency's name (the
/// default responsible body): given by the handler, run once the agency is known.
pub type ParseForm<'a> = Box<dyn FnOnce(&[String], &str) -> AppResult<ItemFields> + Send + 'a>;

pub async fn create(
    state: &AppState,
    actor: &Actor,
    agency: Option<Uuid>,
    parse: ParseForm<'_>,
) -> AppResult<DisclosureItem> {
    let agency = actor.acting_agency(agency)?;
    let (channels, name) = form_context(state, Some(agency)).await?;
    let f = parse(&channels, &name)?;
    let db = state.db.conn();
    let names = Names::load(db).await?;
    check_area(&names, f.policy_area_id)?;
    let m = new_item(agency, &f, Timestamp::now());
    let tx = state.db.write().await?;
    store::insert_items(&tx, vec![m.clone()]).await.map_err(unique_violation)?;
    store::insert_changes(
        &tx,
        vec![version_row(&m, ChangeKind::Created, actor.account_id(), &creation_changes(&f, &names))],
    )
    .await?;
    store::index(&tx, &[&m], true).await?;
    record(&tx, actor, &m, "create", json!({ "item": m.item, "sub_item": m.sub_item })).await?;
    tx.commit().await?;
    view(m, &names)
}

fn check_area(names: &Names, area: Uuid) -> AppResult<()> {
    if names.areas.contains_key(&area) {
        Ok(())
    } else {
        Err(AppError::invalid(
            "policy_area_id",
            "unknown_policy_area",
            t!("没有这个政策领域。", "No such policy area."),
        ))
    }
}

/// Changes an item made on `expected` (its version); a change that changes nothing answers
/// the item as it is, without a new version.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    parse: ParseForm<'_>,
    expected: Option<i32>,
) -> AppResult<DisclosureItem> {
    let old = staff_item(state, actor, id).await?;
    let (channels, name) = form_context(state, Some(old.agency_id)).await?;
    let f = parse(&channels, &name)?;
    let names = Names::load(state.db.conn()).await?;
    check_area(&names, f.policy_area_id)?;
    if expected.is_some_and(|v| v != old.version) {
        return Err(changed_meanwhile());
    }
    let changes = f.changes_from(&fields_of(&old)?, |a| names.area(a));
    if changes.is_empty() {
        return view(old, &names);
    }
    let read = old.version;
    let mut next = with_fields(old, &f);
    next.version = read + 1;
    next.updated_at = Timestamp::now();
    let tx = state.db.write().await?;
    if !store::save_if_version(&tx, read, &next).await.map_err(unique_violation)? {
        return Err(changed_meanwhile());
    }
    store::insert_changes(&tx, vec![version_row(&next, ChangeKind::Changed, actor.account_id(), &changes)]).await?;
    store::index(&tx, &[&next], false).await?;
    let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
    record(&tx, actor, &next, "update", json!({ "fields": fields, "version": next.version })).await?;
    tx.commit().await?;
    view(next, &names)
}

/// Removes an item from the public catalogue (`remove`), or puts it back; a version either way.
pub async fn set_removed(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    remove: bool,
    expected: Option<i32>,
) -> AppResult<DisclosureItem> {
    let old = staff_item(state, actor, id).await?;
    let names = Names::load(state.db.conn()).await?;
    if expected.is_some_and(|v| v != old.version) {
        return Err(changed_meanwhile());
    }
    if old.removed_at.is_some() == remove {
        return view(old, &names);
    }
    let now = Timestamp::now();
    let read = old.version;
    let next = disclosure_items::Model { version: read + 1, updated_at: now, removed_at: remove.then_some(now), ..old };
    let (kind, action) = if remove { (ChangeKind::Removed, "remove") } else { (ChangeKind::Restored, "restore") };
    let tx = state.db.write().await?;
    if !store::save_if_version(&tx, read, &next).await? {
        return Err(changed_meanwhile());
    }
    store::insert_changes(&tx, vec![version_row(&next, kind, actor.account_id(), &[])]).await?;
    record(&tx, actor, &next, action, json!({ "version": next.version })).await?;
    tx.commit().await?;
    view(next, &names)
}

/// Every version of an item, newest first; who made each is shown to its agency's staff.
pub async fn history(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<ItemHistory> {
    let m = visible(state, actor, id).await?;
    let db = state.db.conn();
    let rows = store::history(db, id).await?;
    let staff = actor.sees_unpublished_of(m.agency_id);
    let who: HashMap<Uuid, String> = if staff {
        let ids: Vec<Uuid> = rows.iter().filter_map(|r| r.changed_by).collect();
        crate::accounts::store::display_names(db, ids).await?
    } else {
        HashMap::new()
    };
    let versions = rows
        .into_iter()
        .map(|r| {
            let changes: Vec<FieldChange> = serde_json::from_str(&r.changes)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("item {id} version {}: {e}", r.version)))?;
            Ok(ItemVersion {
                version: r.version,
                kind: r.kind,
                changed_at: r.changed_at,
                changed_by_name: r.changed_by.and_then(|a| who.get(&a).cloned()),
                changes: changes
                    .into_iter()
                    .map(|c| FieldChangeView { field: c.field, before: c.before, after: c.after })
                    .collect(),
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(ItemHistory { item_id: id, versions })
}

pub async fn channels(state: &AppState) -> AppResult<Vec<String>> {
    store::channels(state.db.conn()).await
}

/// Adds a channel to the platform's list (the platform admin).
pub async fn add_channel(state: &AppState, actor: &Actor, name: &str) -> AppResult<Vec<String>> {
    actor.authorize(Action::ManageDisclosureChannels)?;
    let name = crate::kernel::fields::line("name", Some(name), 40).map_err(|i| AppError::Invalid(vec![i]))?;
    if name.contains(['、', ',', '，', ';', '；', '/', '|']) {
        return Err(AppError::invalid(
            "name",
            "separator",
            t!("渠道名称不能包含顿号、逗号、分号或斜杠。", "A channel's name cannot hold 、 , ; or /."),
        ));
    }
    let existing = store::channels(state.db.conn()).await?;
    use crate::kernel::text::folded;
    if existing.iter().any(|c| folded(c) == folded(&name)) {
        return Err(AppError::Conflict {
            code: "channel_exists",
            message: t!("已有同名的公开渠道。", "A channel with this name exists."),
        });
    }
    let tx = state.db.write().await?;
    store::add_channel(&tx, &name, existing.len() as i32, Timestamp::now()).await.map_err(|e| match e {
        e if e.is_unique_violation() => AppError::Conflict {
            code: "channel_exists",
            message: t!("已有同名的公开渠道。", "A channel with this name exists."),
        },
        other => other,
    })?;
    tx.commit().await?;
    store::channels(state.db.conn()).await
}

/// Rows of the export layout for the live items matching `filter`, in catalogue order.
pub async fn export_rows(state: &AppState, filter: &Filter) -> AppResult<Vec<Vec<String>>> {
    let db = state.db.conn();
    let names = Names::load(db).await?;
    let items = store::all(db, filter).await?;
    items
        .iter()
        .enumerate()
        .map(|(i, m)| Ok(super::import::export_row(i + 1, &fields_of(m)?, &names.area(m.policy_area_id))))
        .collect()
}

/// Per agency and policy area, the live items and the last change; agencies without any
/// flagged first (the platform admin).
pub async fn coverage(state: &AppState, actor: &Actor) -> AppResult<Coverage> {
    actor.authorize(Action::ReadCatalogueCoverage)?;
    let db = state.db.conn();
    let names = Names::load(db).await?;
    let rows = store::coverage(db).await?;
    let mut by_agency: HashMap<Uuid, Vec<CoverageArea>> = HashMap::new();
    for r in rows {
        by_agency.entry(r.agency_id).or_default().push(CoverageArea {
            policy_area_id: r.policy_area_id,
            policy_area_name: names.area(r.policy_area_id),
            items: r.items.max(0) as u64,
            last_changed_at: r.last_changed_at,
        });
    }
    let mut agencies: Vec<CoverageAgency> = names
        .agencies
        .iter()
        .map(|(id, name)| {
            let mut areas = by_agency.remove(id).unwrap_or_default();
            areas.sort_by(|a, b| a.policy_area_name.cmp(&b.policy_area_name));
            let items = areas.iter().map(|a| a.items).sum();
            CoverageAgency {
                agency_id: *id,
                agency_name: name.clone(),
                items,
                last_changed_at: areas.iter().filter_map(|a| a.last_changed_at).max(),
                flagged: items == 0,
                areas,
            }
        })
        .collect();
    agencies.sort_by(|a, b| b.flagged.cmp(&a.flagged).then_with(|| a.agency_name.cmp(&b.agency_name)));
    Ok(Coverage {
        agencies_without_items: agencies.iter().filter(|a| a.flagged).count() as u64,
        items: agencies.iter().map(|a| a.items).sum(),
        agencies,
    })
}

/// The channel list and the agency's name a form is parsed against.
async fn form_context(state: &AppState, agency: Option<Uuid>) -> AppResult<(Vec<String>, String)> {
    let channels = channels(state).await?;
    let name = match agency {
        Some(a) => crate::agencies::store::find(state.db.conn(), a).await?.map(|a| a.name).unwrap_or_default(),
        None => String::new(),
    };
    Ok((channels, name))
}
