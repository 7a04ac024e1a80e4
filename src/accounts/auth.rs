//! Authentication: turns a session token into an `Actor`. API clients send it as
//! `Authorization: Bearer <token>`; the browser app keeps it in an HttpOnly, SameSite=Strict
//! cookie that scripts cannot read, and proves each change it sends with the session's CSRF
//! token in `X-CSRF-Token` (a page elsewhere cannot read it, so cannot send it).

use poem::Request;
use poem::http::Method;
use poem_openapi::SecurityScheme;
use poem_openapi::auth::{ApiKey, Bearer};

use super::service::{self, SessionProblem};
use crate::authz::Actor;
use crate::error::AppError;
use crate::kernel::digest::{constant_time_eq, sha256_hex};
use crate::state::AppState;
use crate::t;

/// The cookie the browser app's session lives in.
pub const SESSION_COOKIE: &str = "wenji_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The CSRF token of a session: derived from its secret token, so it needs no storage and
/// nobody without the token can compute it.
pub fn csrf_token(session_token: &str) -> String {
    sha256_hex(format!("csrf\n{session_token}"))
}

/// What a presented token turned out to be.
#[derive(Clone, Debug)]
pub enum TokenCheck {
    Valid(Actor),
    Invalid(SessionProblem),
    /// The cookie was sent with a change but without the session's CSRF token.
    CsrfRejected,
}

impl TokenCheck {
    fn actor(&self) -> Result<Actor, AppError> {
        match self {
            TokenCheck::Valid(actor) => Ok(actor.clone()),
            TokenCheck::Invalid(p) => Err(session_error(*p)),
            TokenCheck::CsrfRejected => Err(AppError::Csrf),
        }
    }
}

async fn resolve(req: &Request, token: &str) -> poem::Result<TokenCheck> {
    let state = req
        .data::<AppState>()
        .ok_or_else(|| poem::Error::from_string("state missing", poem::http::StatusCode::INTERNAL_SERVER_ERROR))?;
    match service::resolve_token(state, token).await {
        Ok(Ok(principal)) => Ok(TokenCheck::Valid(Actor::SignedIn(principal))),
        Ok(Err(problem)) => Ok(TokenCheck::Invalid(problem)),
        Err(e) => Err(poem::Error::from(crate::http::problem::ApiError::from(e))),
    }
}

/// A session token from `POST /api/v1/auth/login`, sent as `Authorization: Bearer <token>`.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", rename = "session", checker = "check_bearer")]
pub struct BearerSession(TokenCheck);

async fn check_bearer(req: &Request, bearer: Bearer) -> poem::Result<TokenCheck> {
    resolve(req, &bearer.token).await
}

/// The browser app's session cookie (`POST /api/v1/auth/login` with `"cookie": true`).
/// Changes (POST, PUT, PATCH, DELETE) must carry the session's `X-CSRF-Token`.
#[derive(SecurityScheme)]
#[oai(
    ty = "api_key",
    key_name = "wenji_session",
    key_in = "cookie",
    rename = "cookie_session",
    checker = "check_cookie"
)]
pub struct CookieSession(CookieCheck);

pub struct CookieCheck {
    check: TokenCheck,
    csrf: String,
}

async fn check_cookie(req: &Request, key: ApiKey) -> poem::Result<CookieCheck> {
    let check = resolve(req, &key.key).await?;
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    // A cookie whose session has ended (expired, signed out elsewhere, password changed,
    // account disabled): a read answers 401, which tells the app the session is over and
    // clears the cookie; a change goes on as anonymous where that is allowed (a comment on
    // an open consultation), instead of being refused until the cookie expires.
    if matches!(check, TokenCheck::Invalid(_)) && !safe {
        return Err(poem_openapi::error::AuthorizationError.into());
    }
    let csrf = csrf_token(&key.key);
    let presented = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
    let check = if safe || constant_time_eq(presented, &csrf) { check } else { TokenCheck::CsrfRejected };
    Ok(CookieCheck { check, csrf })
}

fn session_error(problem: SessionProblem) -> AppError {
    AppError::Unauthenticated(match problem {
        SessionProblem::Expired => t!("登录已过期，请重新登录。", "Your session has expired; sign in again."),
        SessionProblem::Revoked => t!("您已退出登录，请重新登录。", "You have signed out; sign in again."),
        SessionProblem::Unknown => t!("登录凭证无效，请重新登录。", "The session token is not valid; sign in again."),
    })
}

/// A signed-in session: a bearer token, or the browser app's cookie.
#[derive(SecurityScheme)]
pub enum SessionAuth {
    Bearer(BearerSession),
    Cookie(CookieSession),
}

impl SessionAuth {
    /// The signed-in actor; 401 when the token has expired, was revoked or is unknown, 403
    /// when a cookie came with a change but without its CSRF token.
    pub fn actor(&self) -> Result<Actor, AppError> {
        match self {
            SessionAuth::Bearer(b) => b.0.actor(),
            SessionAuth::Cookie(c) => c.0.check.actor(),
        }
    }

    /// The CSRF token, when the session came as the cookie.
    pub fn csrf_token(&self) -> Option<String> {
        match self {
            SessionAuth::Bearer(_) => None,
            SessionAuth::Cookie(c) => Some(c.0.csrf.clone()),
        }
    }

    pub fn via_cookie(&self) -> bool {
        matches!(self, SessionAuth::Cookie(_))
    }
}

/// Optional sign-in: anonymous visitors are welcome, a presented session must be valid.
#[derive(SecurityScheme)]
pub enum MaybeSession {
    Bearer(BearerSession),
    Cookie(CookieSession),
    #[oai(fallback)]
    Anonymous,
}

impl MaybeSession {
    pub fn actor(&self) -> Result<Actor, AppError> {
        match self {
            MaybeSession::Bearer(b) => b.0.actor(),
            MaybeSession::Cookie(c) => c.0.check.actor(),
            MaybeSession::Anonymous => Ok(Actor::Anonymous),
        }
    }
}
