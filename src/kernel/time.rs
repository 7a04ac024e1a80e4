//! China time (Asia/Shanghai, UTC+8 all year, no daylight saving): instants are stored in
//! UTC, and days, years and the times shown to people are China's.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeDelta, Utc};

/// UTC+8.
pub fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC offset"))
}

/// The calendar day in China at `t`.
pub fn day_in_china(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&china()).date_naive()
}

/// The year in China at `t` (a comment sent at 23:30 UTC on 31 December is next year's).
pub fn year_in_china(t: DateTime<Utc>) -> i32 {
    day_in_china(t).year()
}

/// A time as people read it in messages: `2026年11月30日 08:05`.
pub fn china_time_label(t: DateTime<Utc>) -> String {
    t.with_timezone(&china()).format("%Y年%-m月%-d日 %H:%M").to_string()
}

/// A day written `YYYY-MM-DD`, not after `latest`.
pub fn parse_day_not_after(raw: &str, latest: NaiveDate) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok().filter(|d| *d <= latest)
}

/// A `chrono` span from a configured `std` duration, saturating instead of failing.
pub fn span(d: std::time::Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn days_and_years_turn_at_china_midnight() {
        assert_eq!(day_in_china(utc("2026-11-30T15:59:59Z")).to_string(), "2026-11-30");
        assert_eq!(day_in_china(utc("2026-11-30T16:00:00Z")).to_string(), "2026-12-01");
        assert_eq!(year_in_china(utc("2026-12-31T16:30:00Z")), 2027);
        assert_eq!(year_in_china(utc("2026-12-31T15:30:00Z")), 2026);
    }

    #[test]
    fn labels_are_in_china_time() {
        assert_eq!(china_time_label(utc("2026-11-30T00:05:00Z")), "2026年11月30日 08:05");
    }

    #[test]
    fn days_in_the_future_are_refused() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(parse_day_not_after(" 2026-11-29 ", today), NaiveDate::from_ymd_opt(2026, 11, 29));
        assert_eq!(parse_day_not_after("2026-11-30", today), Some(today));
        assert_eq!(parse_day_not_after("2026-12-01", today), None);
        assert_eq!(parse_day_not_after("2026/11/29", today), None);
    }

    #[test]
    fn spans_saturate() {
        assert_eq!(span(std::time::Duration::from_secs(60)), TimeDelta::minutes(1));
        assert_eq!(span(std::time::Duration::MAX), TimeDelta::MAX);
    }
}
