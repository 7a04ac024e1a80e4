//! The import service: reads a spreadsheet off the async runtime (one at a time per node),
//! plans each row against the agency's catalogue, and writes the outcome in one transaction:
//! every row or nothing (`all_or_nothing`), or the accepted rows (`valid_rows`). A preview
//! writes nothing. A row that changes nothing writes nothing, so importing an export is a
//! no-op.

use std::collections::HashMap;

use serde_json::json;
use uuid::Uuid;

use super::dto::{ImportColumn, ImportMode, ImportReport, ImportRow, ImportRowIssue, RowOutcome};
use super::import::{self, Context, Existing, Plan};
use super::model::ChangeKind;
use super::service::{Names, creation_changes, fields_of, new_item, version_row, with_fields};
use super::sheet::{self, SheetError};
use super::store;
use crate::audit::{self, Entry};
use crate::authz::Actor;
use crate::db::Timestamp;
use crate::error::{AppError, AppResult};
use crate::kernel::text::folded;
use crate::state::AppState;
use crate::t;

/// What the caller asks of an import.
pub struct ImportRequest {
    pub agency: Option<Uuid>,
    pub mode: ImportMode,
    pub dry_run: bool,
}

fn unreadable(e: SheetError) -> AppError {
    let message = match e {
        SheetError::Empty => t!("文件是空的，或没有表头。", "The file is empty or has no header."),
        SheetError::NotText => t!(
            "无法识别文件：请上传 XLSX，或 UTF-8 / GB18030 编码的 CSV。",
            "Unrecognised file: upload XLSX, or CSV in UTF-8 or GB18030."
        ),
        SheetError::Unreadable(why) => t!("无法读取该 XLSX 文件：{why}", "This XLSX file cannot be read: {why}"),
        SheetError::TooManyRows => {
            let max = sheet::MAX_ROWS;
            t!("一次最多导入 {max} 行。", "At most {max} rows per import.")
        }
        SheetError::TooManyColumns => {
            let max = sheet::MAX_COLUMNS;
            t!("表格最多 {max} 列。", "At most {max} columns.")
        }
        SheetError::TooLarge => t!("该 XLSX 文件解压后过大。", "This XLSX file unpacks to too much data."),
    };
    AppError::invalid("file", "unreadable", message)
}

pub async fn import(state: &AppState, actor: &Actor, req: ImportRequest, bytes: Vec<u8>) -> AppResult<ImportReport> {
    let agency = actor.acting_agency(req.agency)?;
    // Reading a workbook is CPU work: off the runtime, one import at a time per node.
    let _slot = state.import_slots.acquire().await.map_err(|e| AppError::Internal(e.into()))?;
    let sheet = tokio::task::spawn_blocking(move || sheet::read(&bytes)).await?.map_err(unreadable)?;
    let header = import::map_header(&sheet.header).map_err(|i| AppError::Invalid(vec![i]))?;

    let db = state.db.conn();
    let names = Names::load(db).await?;
    let mut areas: HashMap<String, Uuid> = HashMap::new();
    for a in crate::policy_areas::store::all(db).await? {
        areas.insert(folded(&a.code), a.id);
        areas.insert(folded(&a.name_en), a.id);
        areas.insert(folded(&a.name), a.id);
    }
    let channels = store::channels(db).await?;
    let current = store::of_agency(db, agency).await?;
    let existing: HashMap<String, Existing> = current
        .iter()
        .map(|m| {
            let fields = fields_of(m)?;
            Ok((m.item_key.clone(), Existing { id: m.id, fields, version: m.version, removed: m.removed_at.is_some() }))
        })
        .collect::<AppResult<_>>()?;
    let agency_name = names.agency(agency);
    let cx = Context { areas: &areas, channels: &channels, agency_name: &agency_name, existing: &existing };
    let planned = import::plan(&sheet, &header, &cx);

    let refused_rows = planned.iter().filter(|p| matches!(p.plan, Plan::Refused(_))).count();
    let refused = req.mode == ImportMode::AllOrNothing && refused_rows > 0;
    let applies = !req.dry_run && !refused;
    if applies {
        write(state, actor, agency, &planned, &current, &names).await?;
    }

    let mut report = ImportReport {
        applied: applies,
        mode: req.mode,
        encoding: sheet.encoding.as_str().into(),
        columns: header
            .columns
            .iter()
            .map(|(_, h, f)| ImportColumn { header: h.clone(), field: f.api_name().into() })
            .collect(),
        unknown_columns: header.unknown.clone(),
        rows_total: planned.len() as u64,
        created: 0,
        changed: 0,
        unchanged: 0,
        refused: refused_rows as u64,
        rows: Vec::with_capacity(planned.len()),
    };
    for p in planned {
        let (outcome, issues) = match p.plan {
            Plan::Create(_) => (RowOutcome::Created, vec![]),
            Plan::Change { .. } => (RowOutcome::Changed, vec![]),
            Plan::Unchanged => (RowOutcome::Unchanged, vec![]),
            Plan::Refused(issues) => (
                RowOutcome::Refused,
                issues
                    .into_iter()
                    .map(|i| ImportRowIssue {
                        field: i.field.into(),
                        column: i.column,
                        code: i.issue.code.into(),
                        message: i.issue.message.to_string(),
                    })
                    .collect(),
            ),
        };
        match outcome {
            RowOutcome::Created => report.created += 1,
            RowOutcome::Changed => report.changed += 1,
            RowOutcome::Unchanged => report.unchanged += 1,
            RowOutcome::Refused => {}
        }
        report.rows.push(ImportRow { row: p.row as u64, title: p.title, outcome, issues });
    }
    Ok(report)
}

/// Writes the accepted rows in one transaction; a row changed since it was read fails the
/// whole import with 409 (nothing written), so a retry plans against what is there.
async fn write(
    state: &AppState,
    actor: &Actor,
    agency: Uuid,
    planned: &[import::PlannedRow],
    current: &[crate::entities::disclosure_items::Model],
    names: &Names,
) -> AppResult<()> {
    let now = Timestamp::now();
    let by = actor.account_id();
    let by_id: HashMap<Uuid, &crate::entities::disclosure_items::Model> = current.iter().map(|m| (m.id, m)).collect();
    let mut created = Vec::new();
    let mut changed = Vec::new();
    let mut versions = Vec::new();
    for p in planned {
        match &p.plan {
            Plan::Create(f) => {
                let m = new_item(agency, f, now);
                versions.push(version_row(&m, ChangeKind::Created, by, &creation_changes(f, names)));
                created.push(m);
            }
            Plan::Change { id, version, fields, restore } => {
                let Some(old) = by_id.get(id) else { continue };
                let changes = fields.changes_from(&fields_of(old)?, |a| names.area(a));
                let mut next = with_fields((*old).clone(), fields);
                next.version = version + 1;
                next.updated_at = now;
                next.removed_at = None;
                let kind = if *restore { ChangeKind::Restored } else { ChangeKind::Changed };
                versions.push(version_row(&next, kind, by, &changes));
                changed.push((*version, next));
            }
            Plan::Unchanged | Plan::Refused(_) => {}
        }
    }
    if created.is_empty() && changed.is_empty() {
        return Ok(());
    }
    let changed_meanwhile = || AppError::Conflict {
        code: "item_changed",
        message: t!(
            "导入期间目录被他人修改，未写入任何内容；请重新导入。",
            "The catalogue changed during the import; nothing was written. Import again."
        ),
    };
    let tx = state.db.write().await?;
    // An item another import or form added meanwhile under the same key: refused whole.
    store::insert_items(&tx, created.clone()).await.map_err(|e| match e {
        e if e.is_unique_violation() => changed_meanwhile(),
        other => other,
    })?;
    for (read, next) in &changed {
        if !store::save_if_version(&tx, *read, next).await? {
            return Err(changed_meanwhile());
        }
    }
    store::insert_changes(&tx, versions).await?;
    store::index(&tx, &created.iter().collect::<Vec<_>>(), true).await?;
    store::index(&tx, &changed.iter().map(|(_, m)| m).collect::<Vec<_>>(), false).await?;
    audit::record(
        &tx,
        Entry {
            actor_id: by,
            agency_id: Some(agency),
            entity_type: "disclosure_catalogue",
            entity_id: agency,
            action: "import",
            details: json!({ "created": created.len(), "changed": changed.len() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
