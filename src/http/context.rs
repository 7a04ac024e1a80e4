//! The middleware every request passes through: request id, language, tracing span,
//! metrics, problem+json for every error, panics caught, and the security headers.

use std::time::Instant;

use poem::http::{HeaderValue, Method, header};
use poem::{Endpoint, IntoResponse, Request, Response};
use poem_openapi::OperationId;
use tracing::Instrument;
use uuid::Uuid;

use super::problem;
use crate::i18n::{self, Lang};
use crate::state::AppState;

const REQUEST_ID: &str = "x-request-id";

/// Accepts a caller's request id when it is short and plain; otherwise makes one.
fn request_id(req: &Request) -> String {
    req.headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_string)
        .unwrap_or_else(|| Uuid::new_v4().to_string())
}

/// The metrics label of a request: its operation id, or one of a few fixed names.
fn operation_label(path: &str, op: Option<&OperationId>) -> &'static str {
    if let Some(op) = op {
        return op.0;
    }
    match path {
        "/healthz" => "healthz",
        "/readyz" => "readyz",
        "/metrics" => "metrics",
        "/openapi.json" | "/openapi.yaml" => "openapi",
        p if p.starts_with("/docs") => "docs",
        p if p.starts_with("/api/") => "unmatched",
        _ => "static",
    }
}

pub async fn around<E: Endpoint>(next: E, req: Request) -> poem::Result<Response> {
    let started = Instant::now();
    let id = request_id(&req);
    let lang = Lang::from_accept_language(req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let carries_credentials = req.headers().contains_key(header::AUTHORIZATION) || path.starts_with("/api/v1/auth/");
    let state = req.data::<AppState>().cloned();
    let span = tracing::info_span!("request", request_id = %id, %method, %path);

    let response = i18n::with_lang(
        lang,
        problem::with_request_id(id.clone(), async move {
            let (mut resp, op) = match next.call(req).await {
                Ok(r) => {
                    let r = r.into_response();
                    let op = r.data::<OperationId>().copied();
                    (r, op)
                }
                Err(e) => {
                    let op = e.data::<OperationId>().copied();
                    (problem::from_poem_error(e), op)
                }
            };
            // Framework answers that are errors but not yet problems (e.g. a caught panic).
            if resp.status().as_u16() >= 400 && !problem::is_problem(&resp) {
                let status = resp.status();
                resp = problem::from_poem_error(poem::Error::from_status(status));
            }
            (resp, op)
        })
        .instrument(span.clone()),
    )
    .await;
    let (mut resp, op) = response;

    let status = resp.status();
    let elapsed = started.elapsed();
    let _enter = span.enter();
    if status.is_server_error() {
        tracing::error!(
            status = status.as_u16(),
            elapsed_ms = elapsed.as_millis() as u64,
            "request failed"
        );
    } else {
        tracing::info!(
            status = status.as_u16(),
            elapsed_ms = elapsed.as_millis() as u64,
            "request"
        );
    }
    if let Some(state) = state {
        state.metrics.record(
            operation_label(&path, op.as_ref()),
            method.as_str(),
            status.as_u16(),
            elapsed,
        );
    }
    set_headers(&mut resp, &id, &path, &method, carries_credentials);
    Ok(resp)
}

fn set_headers(resp: &mut Response, id: &str, path: &str, method: &Method, carries_credentials: bool) {
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(id) {
        h.insert(REQUEST_ID, v);
    }
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert(
        "referrer-policy",
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    // The API docs page is the one page that runs inline scripts (Swagger UI's bootstrap).
    let csp = if path.starts_with("/docs") {
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    } else {
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    };
    h.insert("content-security-policy", HeaderValue::from_static(csp));
    // Responses to signed-in requests may carry personal data or tokens: never cache them.
    if carries_credentials || method != Method::GET {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}
