//! The rules of the statistics: what each figure counts, from per-decision facts. Plain Rust,
//! no entities, DTOs or HTTP.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use uuid::Uuid;

use crate::feedback::model::{Timeliness, timeliness_on};

/// A window shorter than this many days is counted as short (the rules ask for 30 in general).
pub const SHORT_WINDOW_DAYS: i64 = 30;

/// What the latest published feedback report of a decision says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportFacts {
    pub participants: u64,
    pub adopted: u64,
    pub partly_adopted: u64,
    pub not_adopted: u64,
    pub not_applicable: u64,
    /// Day (China) the first version was published.
    pub first_published_on: NaiveDate,
}

/// One published consultation, as the statistics see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecisionFacts {
    pub decision_id: Uuid,
    pub agency_id: Uuid,
    pub policy_area_id: Uuid,
    /// Day (China) the window opened.
    pub opened_on: NaiveDate,
    /// Day (China) the window closes or closed.
    pub closes_on: NaiveDate,
    /// Whole days the window was open (closing minus opening instant).
    pub window_days: i64,
    /// The window has closed (the report is owed).
    pub closed: bool,
    pub due_on: NaiveDate,
    /// Comments received (not withdrawn), all channels.
    pub comments: u64,
    pub by_channel: BTreeMap<String, u64>,
    pub by_category: BTreeMap<String, u64>,
    pub satisfaction: BTreeMap<String, u64>,
    pub report: Option<ReportFacts>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    pub consultations: u64,
    pub comments: u64,
    pub by_channel: BTreeMap<String, u64>,
    pub by_category: BTreeMap<String, u64>,
    /// Distinct people per consultation, summed, from the published reports.
    pub participants: u64,
    pub adopted: u64,
    pub partly_adopted: u64,
    pub not_adopted: u64,
    pub not_applicable: u64,
    /// (adopted + partly adopted) / (adopted + partly adopted + not adopted); points that
    /// were not applicable do not count either way.
    pub adoption_rate: Option<f64>,
    pub short_windows: u64,
    pub short_window_share: Option<f64>,
    pub reports_on_time: u64,
    pub reports_late: u64,
    pub reports_missing: u64,
    /// Closed, not yet due.
    pub reports_pending: u64,
    /// Median whole days from the window's closing day to the report's first publication.
    pub median_days_to_report: Option<f64>,
    pub comments_per_consultation: Option<f64>,
    pub satisfied: u64,
    pub basically_satisfied: u64,
    pub dissatisfied: u64,
    /// (satisfied + basically satisfied) / ratings.
    pub satisfaction_rate: Option<f64>,
}

fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The median of some numbers (the mean of the middle two for an even count).
pub fn median(mut values: Vec<i64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 { values[mid] as f64 } else { (values[mid - 1] + values[mid]) as f64 / 2.0 })
}

/// The figures of a set of consultations, on `today` (China).
pub fn aggregate<'a>(facts: impl IntoIterator<Item = &'a DecisionFacts>, today: NaiveDate) -> Figures {
    let mut f = Figures::default();
    let mut days_to_report = Vec::new();
    for d in facts {
        f.consultations += 1;
        f.comments += d.comments;
        for (k, n) in &d.by_channel {
            *f.by_channel.entry(k.clone()).or_default() += n;
        }
        for (k, n) in &d.by_category {
            *f.by_category.entry(k.clone()).or_default() += n;
        }
        f.satisfied += d.satisfaction.get("satisfied").copied().unwrap_or(0);
        f.basically_satisfied += d.satisfaction.get("basically_satisfied").copied().unwrap_or(0);
        f.dissatisfied += d.satisfaction.get("dissatisfied").copied().unwrap_or(0);
        if d.window_days < SHORT_WINDOW_DAYS {
            f.short_windows += 1;
        }
        if let Some(r) = &d.report {
            f.participants += r.participants;
            f.adopted += r.adopted;
            f.partly_adopted += r.partly_adopted;
            f.not_adopted += r.not_adopted;
            f.not_applicable += r.not_applicable;
            days_to_report.push((r.first_published_on - d.closes_on).num_days());
        }
        if d.closed {
            match timeliness_on(d.due_on, d.report.as_ref().map(|r| r.first_published_on), today) {
                Timeliness::OnTime => f.reports_on_time += 1,
                Timeliness::Late => f.reports_late += 1,
                Timeliness::Missing => f.reports_missing += 1,
                Timeliness::Pending => f.reports_pending += 1,
            }
        }
    }
    f.adoption_rate = share(f.adopted + f.partly_adopted, f.adopted + f.partly_adopted + f.not_adopted);
    f.short_window_share = share(f.short_windows, f.consultations);
    f.median_days_to_report = median(days_to_report);
    f.comments_per_consultation = share(f.comments, f.consultations);
    let ratings = f.satisfied + f.basically_satisfied + f.dissatisfied;
    f.satisfaction_rate = share(f.satisfied + f.basically_satisfied, ratings);
    f
}

/// An agency and every agency below it.
pub fn subtree(root: Uuid, parents: &[(Uuid, Option<Uuid>)]) -> Vec<Uuid> {
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        let at = out[i];
        out.extend(parents.iter().filter(|(_, p)| *p == Some(at)).map(|(id, _)| *id));
        i += 1;
    }
    out
}

/// A period of whole months, inclusive, as `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Months {
    pub from: NaiveDate,
    /// The first day after the period.
    pub until: NaiveDate,
}

impl Months {
    /// `from` and `to` as `YYYY-MM`; either may be absent (unbounded).
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Option<Months>, &'static str> {
        let month = |s: &str| NaiveDate::parse_from_str(&format!("{}-01", s.trim()), "%Y-%m-%d").ok();
        let from = match from {
            Some(s) => Some(month(s).ok_or("from")?),
            None => None,
        };
        let to = match to {
            Some(s) => Some(month(s).ok_or("to")?),
            None => None,
        };
        if from.is_none() && to.is_none() {
            return Ok(None);
        }
        let from = from.unwrap_or(NaiveDate::MIN);
        let until = match to {
            Some(t) => t.checked_add_months(chrono::Months::new(1)).ok_or("to")?,
            None => NaiveDate::MAX,
        };
        if until <= from {
            return Err("to");
        }
        Ok(Some(Months { from, until }))
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day < self.until
    }
}

/// `YYYY-MM` of a day.
pub fn month_of(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![9, 1, 5]), Some(5.0));
        assert_eq!(median(vec![10, 1, 4, 30]), Some(7.0));
    }

    #[test]
    fn a_subtree_includes_grandchildren_only_under_the_root() {
        let (a, b, c, d) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3), Uuid::from_u128(4));
        let tree = [(a, None), (b, Some(a)), (c, Some(b)), (d, None)];
        let mut got = subtree(b, &tree);
        got.sort();
        assert_eq!(got, vec![b, c]);
    }

    #[test]
    fn months_are_inclusive_and_checked() {
        let m = Months::parse(Some("2026-01"), Some("2026-03")).unwrap().unwrap();
        assert!(m.contains(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()));
        assert!(!m.contains(NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()));
        assert_eq!(Months::parse(Some("2026-13"), None), Err("from"));
        assert_eq!(Months::parse(Some("2026-05"), Some("2026-04")), Err("to"));
        assert_eq!(Months::parse(None, None), Ok(None));
    }
}
