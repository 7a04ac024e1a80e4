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

/// The metrics label of a method: the standard ones by name, anything a client invents as
/// "other", so that labels stay a small fixed set whatever clients send.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

pub async fn around<E: Endpoint>(next: E, req: Request) -> poem::Result<Response> {
    let started = Instant::now();
    let id = request_id(&req);
    let lang = Lang::from_accept_language(req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let sent_session_cookie =
        req.headers().get(header::COOKIE).and_then(|v| v.to_str().ok()).is_some_and(|c| c.contains("wenji_session="));
    let carries_credentials = req.headers().contains_key(header::AUTHORIZATION)
        || sent_session_cookie
        || req.headers().contains_key("x-receipt-secret")
        || path.starts_with("/api/v1/auth/");
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
        tracing::error!(status = status.as_u16(), elapsed_ms = elapsed.as_millis() as u64, "request failed");
    } else {
        tracing::info!(status = status.as_u16(), elapsed_ms = elapsed.as_millis() as u64, "request");
    }
    let csp = match &state {
        Some(state) => {
            state.metrics.record(operation_label(&path, op.as_ref()), method_label(&method), status.as_u16(), elapsed);
            state.csp.as_str()
        }
        None => DOCS_CSP,
    };
    let csp = if path.starts_with("/docs") { DOCS_CSP } else { csp };
    let https = state.as_ref().is_some_and(|s| s.config.public_url.starts_with("https://"));
    // A session cookie that did not sign anyone in is cleared, so the browser stops sending it.
    if resp.status() == poem::http::StatusCode::UNAUTHORIZED && sent_session_cookie {
        resp.headers_mut().append(
            header::SET_COOKIE,
            HeaderValue::from_static("wenji_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"),
        );
    }
    set_headers(&mut resp, &id, &path, &method, carries_credentials, csp);
    let h = resp.headers_mut();
    // The camera only for our own pages (the check-in screen scans QR codes); no microphone,
    // location or payment, and nothing embedded may use any of them.
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(self), microphone=(), geolocation=(), payment=()"),
    );
    if https {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    Ok(resp)
}

/// The API docs page is the one page that runs inline scripts (Swagger UI's bootstrap).
const DOCS_CSP: &str = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/// The policy for the frontend and the API: our own scripts only, livestream players from the
/// configured hosts only, and no framing of our pages by anyone.
pub fn content_security_policy(embed_hosts: &[String]) -> String {
    let frames = if embed_hosts.is_empty() { "'none'".to_string() } else { embed_hosts.join(" ") };
    // Livestreams: players from the allowed hosts in frames, and HLS played in the page
    // (hls.js fetches the playlist and segments from those hosts and feeds a blob: media
    // source to the <video>).
    let hosts = embed_hosts.join(" ");
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
         connect-src 'self' {hosts}; media-src 'self' blob: {hosts}; worker-src 'self' blob:; font-src 'self'; \
         object-src 'none'; frame-src {frames}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )
}

fn set_headers(resp: &mut Response, id: &str, path: &str, method: &Method, carries_credentials: bool, csp: &str) {
    let ok = resp.status().is_success();
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(id) {
        h.insert(REQUEST_ID, v);
    }
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("referrer-policy", HeaderValue::from_static("strict-origin-when-cross-origin"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    if let Ok(v) = HeaderValue::from_str(csp) {
        h.insert("content-security-policy", v);
    }
    if carries_credentials || method != Method::GET {
        // Responses to signed-in requests may carry personal data or tokens: never cache them.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    } else if ok && path.starts_with("/assets/") {
        // Built frontend assets have content hashes in their names.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    } else if ok && !path.starts_with("/api/") && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_labels_are_a_fixed_set() {
        assert_eq!(method_label(&Method::POST), "POST");
        for invented in ["FOO", "X-CUSTOM-METHOD", "get"] {
            assert_eq!(method_label(&Method::from_bytes(invented.as_bytes()).unwrap()), "other", "{invented}");
        }
    }
}
