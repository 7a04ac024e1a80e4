//! Venues and schedules, shared by meetings and open days: a venue cannot hold two events
//! at overlapping times, whichever domain scheduled them.
//!
//! The check runs inside the scheduling transaction after updating the venue's row in
//! `venues`: on PostgreSQL two transactions scheduling at one venue queue on that row lock,
//! so the second sees the first's event and is refused; on SQLite writes are serialised.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::db::statement;
use crate::error::{AppError, AppResult, FieldIssue};
use crate::kernel::fields::line;
use crate::kernel::time::china_time_label;
use crate::t;

/// The longest event a schedule accepts: a hearing may run over several days, not weeks.
pub const MAX_SPAN: TimeDelta = TimeDelta::days(14);

/// When an event takes place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl Schedule {
    /// Times to the whole second (both databases then store exactly what was given).
    pub fn parse(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> Result<Self, FieldIssue> {
        use chrono::SubsecRound;
        let (starts_at, ends_at) = (starts_at.trunc_subsecs(0), ends_at.trunc_subsecs(0));
        if ends_at <= starts_at {
            return Err(FieldIssue::new(
                "ends_at",
                "ends_before_start",
                t!("结束时间必须晚于开始时间。", "The end must be after the start."),
            ));
        }
        if ends_at - starts_at > MAX_SPAN {
            return Err(FieldIssue::new(
                "ends_at",
                "too_long",
                t!("活动时长不能超过 14 天。", "An event can last at most 14 days."),
            ));
        }
        Ok(Schedule { starts_at, ends_at })
    }

    pub fn overlaps(&self, other: &Schedule) -> bool {
        self.starts_at < other.ends_at && other.starts_at < self.ends_at
    }
}

/// A place events are held in: its name as written, and the key two spellings of one place
/// share (width, case, spaces and punctuation folded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Venue {
    pub name: String,
    pub key: String,
}

impl Venue {
    pub fn parse(raw: &str) -> Result<Self, FieldIssue> {
        let name = line("venue", Some(raw), 200)?;
        let key = crate::kernel::text::folded(&name);
        if key.is_empty() {
            return Err(FieldIssue::new("venue", "required", t!("请填写地点。", "Give the venue.")));
        }
        Ok(Venue { name, key })
    }
}

/// Events (meetings or open days) that end after `from`, start before `to` and belong to
/// `agency`, each bound only when given: the filter of every event list and the calendar.
pub fn period_filter<C: sea_orm::ColumnTrait>(
    [starts, ends, agency_col]: [C; 3],
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    agency: Option<Uuid>,
) -> sea_orm::Condition {
    let mut cond = sea_orm::Condition::all();
    if let Some(f) = from {
        cond = cond.add(ends.gt(f));
    }
    if let Some(t) = to {
        cond = cond.add(starts.lt(t));
    }
    if let Some(a) = agency {
        cond = cond.add(agency_col.eq(a));
    }
    cond
}

/// Takes the venue for `schedule` in the caller's transaction, or answers 409
/// `venue_clash` naming the event already there. `except` is the event being changed.
pub async fn claim(
    tx: &impl ConnectionTrait,
    venue: &Venue,
    schedule: &Schedule,
    except: Option<Uuid>,
) -> AppResult<()> {
    let backend = tx.get_database_backend();
    tx.execute_raw(statement(
        backend,
        "INSERT INTO venues (key, name, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at",
        vec![venue.key.clone().into(), venue.name.clone().into(), crate::db::Timestamp::now().into()],
    ))
    .await?;
    let except = except.unwrap_or_else(Uuid::nil);
    // Placeholders in order of appearance, each once (`statement` turns them into `?` on
    // SQLite, which binds by position).
    let sql = "SELECT title, starts_at, ends_at FROM meetings \
               WHERE venue_key = $1 AND status <> 'cancelled' AND starts_at < $2 AND ends_at > $3 AND id <> $4 \
               UNION ALL SELECT title, starts_at, ends_at FROM open_days \
               WHERE venue_key = $5 AND status <> 'cancelled' AND starts_at < $6 AND ends_at > $7 AND id <> $8 \
               LIMIT 1";
    let one = [venue.key.clone().into(), schedule.ends_at.into(), schedule.starts_at.into(), except.into()];
    let values: Vec<sea_orm::Value> = one.iter().chain(one.iter()).cloned().collect();
    let Some(row) = tx.query_one_raw(statement(backend, sql, values)).await? else { return Ok(()) };
    let title: String = row.try_get("", "title")?;
    let starts: DateTime<Utc> = row.try_get("", "starts_at")?;
    let ends: DateTime<Utc> = row.try_get("", "ends_at")?;
    let (from, to, name) = (china_time_label(starts), china_time_label(ends), &venue.name);
    Err(AppError::Conflict {
        code: "venue_clash",
        message: t!(
            "{name}在 {from} 至 {to} 已安排「{title}」，时间冲突。",
            "{name} is taken from {from} to {to} by \"{title}\"."
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_end_after_they_start_and_overlap_by_half_open_intervals() {
        let t = |h: i64| DateTime::<Utc>::from_timestamp(h * 3600, 0).unwrap();
        assert_eq!(Schedule::parse(t(2), t(1)).unwrap_err().code, "ends_before_start");
        let a = Schedule::parse(t(1), t(3)).unwrap();
        assert!(a.overlaps(&Schedule::parse(t(2), t(4)).unwrap()));
        assert!(!a.overlaps(&Schedule::parse(t(3), t(4)).unwrap()), "back to back is no clash");
    }

    #[test]
    fn venues_fold_to_one_key() {
        assert_eq!(Venue::parse("区政府 第一会议室").unwrap().key, Venue::parse("区政府第一会议室").unwrap().key);
        assert_eq!(Venue::parse(" ， ").unwrap_err().code, "required");
    }
}
