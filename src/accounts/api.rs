//! `/auth/*`: register, sign in, sign out, the current account.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use poem::Request;
use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::service::{self, NewAccountInput};
use crate::entities::accounts;
use crate::http::ApiTags;
use crate::http::auth::SessionAuth;
use crate::http::problem::ApiError;
use crate::state::AppState;

pub struct AccountsApi;

/// A new resident account.
#[derive(Object)]
pub struct RegisterRequest {
    /// E-mail address, used to sign in. Never shown publicly.
    #[oai(validator(max_length = 254))]
    pub email: String,
    /// 8 to 128 characters; not one of the commonly used passwords.
    #[oai(validator(max_length = 1024))]
    pub password: String,
    /// The name shown with your comments, 1 to 50 characters.
    #[oai(validator(max_length = 200))]
    pub display_name: String,
}

#[derive(Object)]
pub struct LoginRequest {
    #[oai(validator(max_length = 254))]
    pub email: String,
    #[oai(validator(max_length = 1024))]
    pub password: String,
}

/// The signed-in account, as its owner sees it (contains personal data; never cached).
#[derive(Object)]
pub struct Me {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    /// `resident`, `agency_staff`, `agency_admin` or `platform_admin`.
    pub role: String,
    /// The agency of a staff account.
    #[oai(skip_serializing_if_is_none)]
    pub agency_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl From<accounts::Model> for Me {
    fn from(a: accounts::Model) -> Self {
        Me {
            id: a.id,
            email: a.email,
            display_name: a.display_name,
            role: a.role,
            agency_id: a.agency_id,
            created_at: a.created_at,
        }
    }
}

/// A new session.
#[derive(Object)]
pub struct Session {
    /// Send as `Authorization: Bearer <token>`. Shown once; store it safely.
    pub token: String,
    /// When the session ends at the latest (it also ends after a period of inactivity).
    pub expires_at: DateTime<Utc>,
    pub account: Me,
}

#[derive(ApiResponse)]
pub enum Registered {
    /// The account was created; sign in to use it.
    #[oai(status = 201)]
    Created(Json<Me>),
}

#[derive(ApiResponse)]
pub enum SignedOut {
    /// The session has ended.
    #[oai(status = 204)]
    Done,
}

/// The client's address: the socket peer, or the first `X-Forwarded-For` hop when the
/// service is configured to sit behind a trusted proxy.
pub fn client_address(req: &Request, trust_proxy: bool) -> Option<IpAddr> {
    if trust_proxy
        && let Some(ip) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok())
    {
        return Some(ip);
    }
    req.remote_addr().as_socket_addr().map(|a| a.ip())
}

#[OpenApi(prefix_path = "/auth", tag = "ApiTags::Accounts")]
impl AccountsApi {
    /// Register a resident account
    ///
    /// Staff accounts are not self-registered: an agency admin creates them.
    #[oai(path = "/register", method = "post", operation_id = "register")]
    async fn register(&self, state: Data<&AppState>, body: Json<RegisterRequest>) -> Result<Registered, ApiError> {
        let input = NewAccountInput::parse(&body.email, &body.password, &body.display_name)?;
        let account = service::register_resident(&state.db, input).await?;
        Ok(Registered::Created(Json(account.into())))
    }

    /// Sign in
    ///
    /// Answers a session token. Repeated failures for one account or from one address are
    /// refused for a while with 429 and `Retry-After`.
    #[oai(path = "/login", method = "post", operation_id = "login")]
    async fn login(
        &self,
        state: Data<&AppState>,
        req: &Request,
        body: Json<LoginRequest>,
    ) -> Result<Json<Session>, ApiError> {
        let address = client_address(req, state.config.trust_proxy);
        let signed_in = service::sign_in(&state.db, &state.config, &body.email, &body.password, address).await?;
        Ok(Json(Session {
            token: signed_in.token,
            expires_at: signed_in.expires_at,
            account: signed_in.account.into(),
        }))
    }

    /// Sign out
    ///
    /// Ends the session whose token is presented.
    #[oai(path = "/logout", method = "post", operation_id = "logout")]
    async fn logout(&self, state: Data<&AppState>, auth: SessionAuth) -> Result<SignedOut, ApiError> {
        let actor = auth.actor()?;
        service::sign_out(&state.db, actor.principal()?).await?;
        Ok(SignedOut::Done)
    }

    /// The current account
    #[oai(path = "/me", method = "get", operation_id = "me")]
    async fn me(&self, state: Data<&AppState>, auth: SessionAuth) -> Result<Json<Me>, ApiError> {
        let actor = auth.actor()?;
        Ok(Json(service::me(&state.db, actor.principal()?).await?.into()))
    }
}
