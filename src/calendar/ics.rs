//! iCalendar (RFC 5545) written with the `icalendar` crate. Times are written in UTC
//! (`…Z`), which needs no VTIMEZONE and which every calendar app shows in its reader's zone;
//! the calendar names Asia/Shanghai as its zone (`X-WR-TIMEZONE`) and each description gives
//! the time in Beijing time as well. UIDs are the events' ids, so an updated feed updates the
//! events people subscribed to instead of adding copies; SEQUENCE and LAST-MODIFIED follow
//! `updated_at`, and a cancelled event stays in the feed with STATUS:CANCELLED.

use icalendar::{Calendar, Component, Event, EventLike, EventStatus};

use super::service::{CalendarEvent, EventKind};
use crate::kernel::time::china_time_label;

pub fn write(name: &str, events: &[CalendarEvent], public_url: &str) -> String {
    let mut cal = Calendar::new();
    cal.name(name).timezone("Asia/Shanghai");
    cal.append_property(icalendar::Property::new("X-PUBLISHED-TTL", "PT1H"));
    for e in events {
        cal.push(event(e, public_url));
    }
    cal.done().to_string()
}

fn event(e: &CalendarEvent, public_url: &str) -> Event {
    let (path, label) = match e.kind {
        EventKind::Meeting => ("meetings", "会议"),
        EventKind::OpenDay => ("open-days", "政务开放日"),
    };
    let url = format!("{}/{path}/{}", public_url.trim_end_matches('/'), e.id);
    let when = format!("{} – {}（北京时间）", china_time_label(e.starts_at), china_time_label(e.ends_at));
    let mut description = format!("{label} · {}\n时间：{when}\n地点：{}\n", e.agency_name, e.venue);
    if e.streamed {
        description.push_str("本会议有网络直播。\n");
    }
    if !e.description.is_empty() {
        description.push('\n');
        description.push_str(&e.description);
        description.push('\n');
    }
    description.push_str(&format!("\n{url}"));
    let mut ev = Event::new();
    ev.uid(&format!("{}-{}@wenji", e.kind.as_str(), e.id))
        .summary(&e.title)
        .description(&description)
        .location(&e.venue)
        .url(&url)
        .starts(e.starts_at)
        .ends(e.ends_at)
        .timestamp(e.updated_at)
        .last_modified(e.updated_at)
        .sequence(sequence(e))
        .status(if e.cancelled { EventStatus::Cancelled } else { EventStatus::Confirmed });
    ev.done()
}

/// SEQUENCE must grow with each change; the seconds since 2026 of the last change do.
fn sequence(e: &CalendarEvent) -> u32 {
    (e.updated_at.timestamp() - 1_767_225_600).clamp(0, i64::from(u32::MAX)) as u32
}
