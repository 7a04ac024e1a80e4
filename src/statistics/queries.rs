//! Reads of the statistics: the overview of a filter, the agency ranking, the monthly series.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{NaiveTime, TimeZone};
use uuid::Uuid;

use super::model::{DecisionFacts, Figures, Months, ReportFacts, aggregate, month_of, subtree};
use super::store;
use crate::db::Timestamp;
use crate::error::{AppError, AppResult};
use crate::feedback::model::due_on;
use crate::kernel::time::{china, day_in_china};
use crate::state::AppState;
use crate::t;

/// Which consultations the figures are over.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// This agency and its sub-agencies.
    pub agency_id: Option<Uuid>,
    pub policy_area_id: Option<Uuid>,
    /// Months (China) the window opened in.
    pub months: Option<Months>,
}

/// The facts of every consultation a filter selects, with the agency names.
#[derive(Clone)]
pub struct Facts {
    pub decisions: Vec<DecisionFacts>,
    pub names: HashMap<Uuid, String>,
}

/// The facts for a filter, from this node's cache when they were read within
/// `WENJI_STATISTICS_CACHE_MS` (figures for dashboards; a few seconds old at most).
pub async fn facts(state: &AppState, filter: &Filter) -> AppResult<Arc<Facts>> {
    let key = format!("{filter:?}");
    if let Some(found) = state.statistics.get(&key) {
        return Ok(found);
    }
    let fresh = Arc::new(read_facts(state, filter).await?);
    state.statistics.put(key, fresh.clone());
    Ok(fresh)
}

async fn read_facts(state: &AppState, filter: &Filter) -> AppResult<Facts> {
    let db = state.db.conn();
    let agencies = crate::agencies::store::all(db).await?;
    let names: HashMap<Uuid, String> = agencies.iter().map(|a| (a.id, a.name.clone())).collect();
    let scope = match filter.agency_id {
        Some(root) => {
            if !names.contains_key(&root) {
                return Err(AppError::NotFound(t!("找不到该机关单位。", "Agency not found.")));
            }
            let tree: Vec<(Uuid, Option<Uuid>)> = agencies.iter().map(|a| (a.id, a.parent_id)).collect();
            Some(subtree(root, &tree))
        }
        None => None,
    };
    let opened = filter.months.map(|m| {
        let at = |day: chrono::NaiveDate| {
            china().from_local_datetime(&day.and_time(NaiveTime::MIN)).single().map(|t| t.to_utc())
        };
        let from = at(m.from).unwrap_or(chrono::DateTime::<chrono::Utc>::MIN_UTC);
        let until = at(m.until).unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC);
        (from, until)
    });
    let rows = store::consultations(db, scope.as_deref(), filter.policy_area_id, opened).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.0).collect();
    let keys = store::pivot_keys();
    let mut counts: HashMap<Uuid, Vec<i64>> =
        store::pivoted_counts(db, &ids).await?.into_iter().map(|p| (p.decision_id, p.values)).collect();
    let mut latest: HashMap<Uuid, store::ReportRow> = HashMap::new();
    for r in store::reports(db, &ids).await? {
        if latest.get(&r.0).is_none_or(|l| l.1 < r.1) {
            latest.insert(r.0, r);
        }
    }
    let now = Timestamp::now();
    let n = |v: i64| v.max(0) as u64;
    let decisions = rows
        .into_iter()
        .filter_map(|(id, agency_id, policy_area_id, opens, closes, first_report)| {
            let (opens, closes) = (opens?, closes?);
            let mut f = DecisionFacts {
                decision_id: id,
                agency_id,
                policy_area_id,
                opened_on: day_in_china(opens),
                closes_on: day_in_china(closes),
                window_days: (closes - opens).num_days(),
                closed: closes <= now,
                due_on: due_on(closes, state.config.feedback_due_days),
                comments: 0,
                by_channel: BTreeMap::new(),
                by_category: BTreeMap::new(),
                satisfaction: BTreeMap::new(),
                report: None,
            };
            if let Some(values) = counts.remove(&id) {
                for ((dimension, key), v) in keys.iter().zip(values) {
                    if v <= 0 {
                        continue;
                    }
                    let target = match *dimension {
                        "all" => {
                            f.comments = n(v);
                            continue;
                        }
                        "channel" => &mut f.by_channel,
                        "category" => &mut f.by_category,
                        _ => &mut f.satisfaction,
                    };
                    target.insert((*key).to_string(), n(v));
                }
            }
            if let (Some(r), Some(first)) = (latest.remove(&id), first_report) {
                f.report = Some(ReportFacts {
                    participants: n(r.2),
                    adopted: n(r.3),
                    partly_adopted: n(r.4),
                    not_adopted: n(r.5),
                    not_applicable: n(r.6),
                    first_published_on: day_in_china(first),
                });
            }
            Some(f)
        })
        .collect();
    Ok(Facts { decisions, names })
}

pub async fn overview(state: &AppState, filter: &Filter) -> AppResult<Figures> {
    let facts = facts(state, filter).await?;
    Ok(aggregate(&facts.decisions, day_in_china(Timestamp::now())))
}

/// One agency's own consultations (sub-agencies have their own rows).
pub struct AgencyRow {
    pub agency_id: Uuid,
    pub agency_name: String,
    pub figures: Figures,
}

/// Agencies with consultations in the filter, most consultations first, then by name.
pub async fn ranking(state: &AppState, filter: &Filter) -> AppResult<Vec<AgencyRow>> {
    let facts = facts(state, filter).await?;
    let names = &facts.names;
    let today = day_in_china(Timestamp::now());
    let mut by_agency: BTreeMap<Uuid, Vec<&DecisionFacts>> = BTreeMap::new();
    for f in &facts.decisions {
        by_agency.entry(f.agency_id).or_default().push(f);
    }
    let mut rows: Vec<AgencyRow> = by_agency
        .into_iter()
        .map(|(agency_id, fs)| AgencyRow {
            agency_name: names.get(&agency_id).cloned().unwrap_or_default(),
            agency_id,
            figures: aggregate(fs, today),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.figures.consultations.cmp(&a.figures.consultations).then_with(|| a.agency_name.cmp(&b.agency_name))
    });
    Ok(rows)
}

/// The figures month by month (the month the window opened), oldest first.
pub async fn monthly(state: &AppState, filter: &Filter) -> AppResult<Vec<(String, Figures)>> {
    let facts = facts(state, filter).await?;
    let today = day_in_china(Timestamp::now());
    let mut by_month: BTreeMap<String, Vec<&DecisionFacts>> = BTreeMap::new();
    for f in &facts.decisions {
        by_month.entry(month_of(f.opened_on)).or_default().push(f);
    }
    Ok(by_month.into_iter().map(|(m, fs)| (m, aggregate(fs, today))).collect())
}
