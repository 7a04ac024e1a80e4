//! Bearer-token authentication: turns the `Authorization` header into an `Actor`.

use poem::Request;
use poem_openapi::SecurityScheme;
use poem_openapi::auth::Bearer;

use super::service::{self, SessionProblem};
use crate::authz::Actor;
use crate::error::AppError;
use crate::state::AppState;
use crate::t;

/// What a presented token turned out to be.
#[derive(Clone, Debug)]
pub enum TokenCheck {
    Valid(Actor),
    Invalid(SessionProblem),
}

/// A session token from `POST /api/v1/auth/login`, sent as `Authorization: Bearer <token>`.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", rename = "session", checker = "check_token")]
pub struct SessionAuth(TokenCheck);

async fn check_token(req: &Request, bearer: Bearer) -> poem::Result<TokenCheck> {
    let state = req
        .data::<AppState>()
        .ok_or_else(|| poem::Error::from_string("state missing", poem::http::StatusCode::INTERNAL_SERVER_ERROR))?;
    match service::resolve_token(state, &bearer.token).await {
        Ok(Ok(principal)) => Ok(TokenCheck::Valid(Actor::SignedIn(principal))),
        Ok(Err(problem)) => Ok(TokenCheck::Invalid(problem)),
        Err(e) => Err(poem::Error::from(crate::http::problem::ApiError::from(e))),
    }
}

fn session_error(problem: SessionProblem) -> AppError {
    AppError::Unauthenticated(match problem {
        SessionProblem::Expired => t!("登录已过期，请重新登录。", "Your session has expired; sign in again."),
        SessionProblem::Revoked => t!("您已退出登录，请重新登录。", "You have signed out; sign in again."),
        SessionProblem::Unknown => t!("登录凭证无效，请重新登录。", "The session token is not valid; sign in again."),
    })
}

impl SessionAuth {
    /// The signed-in actor; 401 when the token has expired, was revoked or is unknown.
    pub fn actor(&self) -> Result<Actor, AppError> {
        match &self.0 {
            TokenCheck::Valid(actor) => Ok(actor.clone()),
            TokenCheck::Invalid(p) => Err(session_error(*p)),
        }
    }
}

/// Optional sign-in: anonymous visitors are welcome, a presented token must be valid.
#[derive(SecurityScheme)]
pub enum MaybeSession {
    Session(SessionAuth),
    #[oai(fallback)]
    Anonymous,
}

impl MaybeSession {
    pub fn actor(&self) -> Result<Actor, AppError> {
        match self {
            MaybeSession::Session(s) => s.actor(),
            MaybeSession::Anonymous => Ok(Actor::Anonymous),
        }
    }
}
