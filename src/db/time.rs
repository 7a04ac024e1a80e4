use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use uuid::Uuid;

/// Instants are UTC with microsecond precision: PostgreSQL keeps microseconds, so a value
/// truncated here reads back equal from either database.
pub struct Timestamp;

impl Timestamp {
    pub fn now() -> DateTime<Utc> {
        Self::truncate(Utc::now())
    }

    pub fn truncate(t: DateTime<Utc>) -> DateTime<Utc> {
        t.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(t)
    }
}

/// UUIDv7: unique across API nodes without coordination, and sorted by creation time in
/// both databases, so ids double as stable pagination keys.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}
