//! One calendar of meetings, livestreams and open days: as JSON for the month and list views,
//! and as iCalendar (RFC 5545) for people's own calendar apps, whole or per agency or event.

pub mod api;
pub mod ics;
pub mod service;
