//! Reads of the statistics: the overview of a filter, the agency ranking, the monthly series.

use std::collections::{BTreeMap, HashMap};

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

/// The facts of every consultation the filter selects, with the agency names.
pub async fn facts(state: &AppState, filter: &Filter) -> AppResult<(Vec<DecisionFacts>, HashMap<Uuid, String>)> {
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
    let ids: Vec<Uuid> = rows.iter().map(|d| d.id).collect();
    let mut counts: HashMap<Uuid, Vec<crate::entities::comment_counts::Model>> = HashMap::new();
    for c in store::counts(db, &ids).await? {
        counts.entry(c.decision_id).or_default().push(c);
    }
    let mut latest: HashMap<Uuid, crate::entities::feedback_reports::Model> = HashMap::new();
    for r in store::reports(db, &ids).await? {
        if latest.get(&r.decision_id).is_none_or(|l| l.version < r.version) {
            latest.insert(r.decision_id, r);
        }
    }
    let now = Timestamp::now();
    let facts = rows
        .into_iter()
        .filter_map(|d| {
            let (opens, closes) = (d.window_opens_at?, d.window_closes_at?);
            let mut f = DecisionFacts {
                decision_id: d.id,
                agency_id: d.agency_id,
                policy_area_id: d.policy_area_id,
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
            for c in counts.remove(&d.id).unwrap_or_default() {
                let n = c.count.max(0) as u64;
                match c.dimension.as_str() {
                    "all" => f.comments = n,
                    "channel" => drop(f.by_channel.insert(c.key, n)),
                    "category" => drop(f.by_category.insert(c.key, n)),
                    _ => drop(f.satisfaction.insert(c.key, n)),
                }
            }
            if let (Some(r), Some(first)) = (latest.remove(&d.id), d.feedback_published_at) {
                f.report = Some(ReportFacts {
                    participants: r.participants.max(0) as u64,
                    adopted: r.adopted.max(0) as u64,
                    partly_adopted: r.partly_adopted.max(0) as u64,
                    not_adopted: r.not_adopted.max(0) as u64,
                    not_applicable: r.not_applicable.max(0) as u64,
                    first_published_on: day_in_china(first),
                });
            }
            Some(f)
        })
        .collect();
    Ok((facts, names))
}

pub async fn overview(state: &AppState, filter: &Filter) -> AppResult<Figures> {
    let (facts, _) = facts(state, filter).await?;
    Ok(aggregate(&facts, day_in_china(Timestamp::now())))
}

/// One agency's own consultations (sub-agencies have their own rows).
pub struct AgencyRow {
    pub agency_id: Uuid,
    pub agency_name: String,
    pub figures: Figures,
}

/// Agencies with consultations in the filter, most consultations first, then by name.
pub async fn ranking(state: &AppState, filter: &Filter) -> AppResult<Vec<AgencyRow>> {
    let (facts, names) = facts(state, filter).await?;
    let today = day_in_china(Timestamp::now());
    let mut by_agency: BTreeMap<Uuid, Vec<&DecisionFacts>> = BTreeMap::new();
    for f in &facts {
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
    let (facts, _) = facts(state, filter).await?;
    let today = day_in_china(Timestamp::now());
    let mut by_month: BTreeMap<String, Vec<&DecisionFacts>> = BTreeMap::new();
    for f in &facts {
        by_month.entry(month_of(f.opened_on)).or_default().push(f);
    }
    Ok(by_month.into_iter().map(|(m, fs)| (m, aggregate(fs, today))).collect())
}
