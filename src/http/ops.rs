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

/// Prometheus metrics: for the monitoring system only — a request with the configured token,
/// or, without one, a client on this machine (the trusted-proxy rule applies, so a proxy on
/// this machine does not make every client local).
#[handler]
pub fn metrics(req: &poem::Request, state: Data<&AppState>) -> Response {
    let allowed = match &state.config.metrics_token {
        Some(token) => {
            let given = req.headers().get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
            crate::kernel::digest::constant_time_eq(given, format!("Bearer {token}"))
        }
        None => super::client::client_address(req, &state).is_some_and(|c| c.0.is_loopback()),
    };
    if !allowed {
        let refused = crate::error::AppError::Forbidden(crate::t!(
            "指标仅供监控系统读取。",
            "Metrics are for the monitoring system only."
        ));
        return super::problem::ApiError::from(refused).into_response();
    }
    state
        .metrics
        .render(state.db.pool_state())
        .with_content_type("text/plain; version=0.0.4; charset=utf-8")
        .into_response()
}
