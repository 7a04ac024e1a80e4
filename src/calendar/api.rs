//! HTTP handlers of the calendar: JSON for the pages, iCalendar for calendar apps.

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

use super::service::{self, CalendarEvent, EventKind, Period};
use crate::db::Timestamp;
use crate::http::ApiTags;
use crate::http::problem::ApiError;
use crate::state::AppState;

pub struct CalendarApi;

#[derive(ApiResponse)]
pub enum Ics {
    /// iCalendar (RFC 5545).
    #[oai(status = 200, content_type = "text/calendar; charset=utf-8")]
    Ok(Binary<Vec<u8>>, #[oai(header = "Content-Disposition")] String),
}

fn ics(file: &str, body: String) -> Ics {
    Ics::Ok(Binary(body.into_bytes()), format!("inline; filename=\"{file}\""))
}

#[OpenApi(tag = "ApiTags::Calendar")]
impl CalendarApi {
    /// Calendar events
    ///
    /// Meetings and open days between `from` and `to` (at most 400 days; by default from a
    /// month ago to three months ahead), soonest first.
    #[oai(path = "/calendar", method = "get", operation_id = "calendar_events")]
    async fn events(
        &self,
        state: Data<&AppState>,
        from: Query<Option<DateTime<Utc>>>,
        to: Query<Option<DateTime<Utc>>>,
        agency_id: Query<Option<Uuid>>,
    ) -> Result<Json<Vec<CalendarEvent>>, ApiError> {
        let now = Timestamp::now();
        let from = from.0.unwrap_or(now - chrono::TimeDelta::days(31));
        let period = Period::parse(from, to.0.unwrap_or(from + chrono::TimeDelta::days(124)))?;
        Ok(Json(service::events(&state, &period, agency_id.0).await?))
    }

    /// Subscribe to the calendar (iCalendar)
    ///
    /// Every meeting and open day from 90 days ago to a year ahead; `agency_id` for one agency.
    #[oai(path = "/calendar.ics", method = "get", operation_id = "calendar_ics")]
    async fn feed(&self, state: Data<&AppState>, agency_id: Query<Option<Uuid>>) -> Result<Ics, ApiError> {
        let now = Timestamp::now();
        let period = Period { from: now - chrono::TimeDelta::days(90), to: now + chrono::TimeDelta::days(365) };
        let events = service::events(&state, &period, agency_id.0).await?;
        let name = match agency_id.0.and_then(|a| events.iter().find(|e| e.agency_id == a)) {
            Some(e) => format!("问计 · {}", e.agency_name),
            None => "问计 · 会议与开放日".to_string(),
        };
        Ok(ics("wenji.ics", super::ics::write(&name, &events, &state.config.public_url)))
    }

    /// One meeting as iCalendar (add to my calendar)
    #[oai(path = "/meetings/:meeting_id/calendar.ics", method = "get", operation_id = "meeting_ics")]
    async fn meeting(&self, state: Data<&AppState>, meeting_id: Path<Uuid>) -> Result<Ics, ApiError> {
        let e = service::event(&state, EventKind::Meeting, meeting_id.0).await?;
        let body = super::ics::write(&e.title, std::slice::from_ref(&e), &state.config.public_url);
        Ok(ics("meeting.ics", body))
    }

    /// One open day as iCalendar (add to my calendar)
    #[oai(path = "/open-days/:open_day_id/calendar.ics", method = "get", operation_id = "open_day_ics")]
    async fn open_day(&self, state: Data<&AppState>, open_day_id: Path<Uuid>) -> Result<Ics, ApiError> {
        let e = service::event(&state, EventKind::OpenDay, open_day_id.0).await?;
        let body = super::ics::write(&e.title, std::slice::from_ref(&e), &state.config.public_url);
        Ok(ics("open-day.ics", body))
    }
}
