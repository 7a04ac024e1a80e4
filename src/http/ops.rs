//! Operations endpoints for load balancers and monitoring (outside the versioned API).

use poem::http::StatusCode;
use poem::web::{Data, Json};
use poem::{IntoResponse, Response, handler};

use crate::state::AppState;

/// Liveness: the process is up.
#[handler]
pub fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// Readiness: the database answers.
#[handler]
pub async fn readyz(state: Data<&AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => Json(serde_json::json!({ "status": "ready", "database": "ok" })).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "readiness check failed");
            let body = serde_json::json!({
                "type": "https://wenji.gov.cn/problems/not-ready",
                "title": "Service unavailable",
                "status": 503,
                "detail": "The database does not answer.",
                "code": "not_ready",
            });
            body.to_string()
                .with_status(StatusCode::SERVICE_UNAVAILABLE)
                .with_content_type(super::problem::PROBLEM_JSON)
                .into_response()
        }
    }
}

#[handler]
pub fn metrics(state: Data<&AppState>) -> Response {
    state
        .metrics
        .render(state.db.pool_state())
        .with_content_type("text/plain; version=0.0.4; charset=utf-8")
        .into_response()
}
