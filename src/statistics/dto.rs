//! The wire shapes of the statistics.

use poem_openapi::Object;
use uuid::Uuid;

use super::model::Figures;

#[derive(Object, Clone)]
pub struct KeyCount {
    pub key: String,
    pub count: u64,
}

fn pairs(m: &std::collections::BTreeMap<String, u64>) -> Vec<KeyCount> {
    m.iter().map(|(k, v)| KeyCount { key: k.clone(), count: *v }).collect()
}

/// The figures of a set of consultations.
#[derive(Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct StatisticsFigures {
    /// Published consultations whose window opened in the period.
    pub consultations: u64,
    /// Comments received (not withdrawn), all channels.
    pub comments: u64,
    pub by_channel: Vec<KeyCount>,
    pub by_category: Vec<KeyCount>,
    /// Distinct people per consultation, summed, as the published reports count them.
    pub participants: u64,
    pub adopted: u64,
    pub partly_adopted: u64,
    pub not_adopted: u64,
    pub not_applicable: u64,
    /// (adopted + partly adopted) / (adopted + partly adopted + not adopted), 0–1.
    pub adoption_rate: Option<f64>,
    /// Windows shorter than 30 days.
    pub short_windows: u64,
    pub short_window_share: Option<f64>,
    pub reports_on_time: u64,
    pub reports_late: u64,
    /// Closed, past the due day, no report.
    pub reports_missing: u64,
    /// Closed, not yet due, no report.
    pub reports_pending: u64,
    /// Median days from the window's closing day to the report's first publication.
    pub median_days_to_report: Option<f64>,
    pub comments_per_consultation: Option<f64>,
    pub satisfied: u64,
    pub basically_satisfied: u64,
    pub dissatisfied: u64,
    /// (satisfied + basically satisfied) / ratings, 0–1.
    pub satisfaction_rate: Option<f64>,
}

impl From<&Figures> for StatisticsFigures {
    fn from(f: &Figures) -> Self {
        StatisticsFigures {
            consultations: f.consultations,
            comments: f.comments,
            by_channel: pairs(&f.by_channel),
            by_category: pairs(&f.by_category),
            participants: f.participants,
            adopted: f.adopted,
            partly_adopted: f.partly_adopted,
            not_adopted: f.not_adopted,
            not_applicable: f.not_applicable,
            adoption_rate: f.adoption_rate,
            short_windows: f.short_windows,
            short_window_share: f.short_window_share,
            reports_on_time: f.reports_on_time,
            reports_late: f.reports_late,
            reports_missing: f.reports_missing,
            reports_pending: f.reports_pending,
            median_days_to_report: f.median_days_to_report,
            comments_per_consultation: f.comments_per_consultation,
            satisfied: f.satisfied,
            basically_satisfied: f.basically_satisfied,
            dissatisfied: f.dissatisfied,
            satisfaction_rate: f.satisfaction_rate,
        }
    }
}

#[derive(Object)]
pub struct AgencyFigures {
    pub agency_id: Uuid,
    pub agency_name: String,
    pub figures: StatisticsFigures,
}

#[derive(Object)]
pub struct AgencyRanking {
    /// Agencies with consultations in the period (each its own; sub-agencies have their own
    /// rows), most consultations first.
    pub items: Vec<AgencyFigures>,
}

#[derive(Object)]
pub struct MonthFigures {
    /// `YYYY-MM` (China), the month the windows opened.
    pub month: String,
    pub figures: StatisticsFigures,
}

#[derive(Object)]
pub struct MonthlySeries {
    pub items: Vec<MonthFigures>,
}
