//! `/auth/*`: register, sign in, sign out, the current account.

use poem::Request;
use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};

use super::dto::*;
use super::service::{self, NewAccountInput};
use crate::accounts::auth::SessionAuth;
use crate::http::ApiTags;
use crate::http::client::client_address;
use crate::http::problem::ApiError;
use crate::state::AppState;

pub struct AccountsApi;

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

#[OpenApi(prefix_path = "/auth", tag = "ApiTags::Accounts")]
impl AccountsApi {
    /// Register a resident account
    ///
    /// Staff accounts are not self-registered: an agency admin creates them.
    #[oai(path = "/register", method = "post", operation_id = "register")]
    async fn register(&self, state: Data<&AppState>, body: Json<RegisterRequest>) -> Result<Registered, ApiError> {
        let input = NewAccountInput::parse(&body.email, &body.password, &body.display_name)?;
        let account = service::register_resident(&state, input).await?;
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
        let address = client_address(req, &state);
        let signed_in = service::sign_in(&state, &body.email, &body.password, address).await?;
        Ok(Json(signed_in.into()))
    }

    /// Sign out
    ///
    /// Ends the session whose token is presented.
    #[oai(path = "/logout", method = "post", operation_id = "logout")]
    async fn logout(&self, state: Data<&AppState>, auth: SessionAuth) -> Result<SignedOut, ApiError> {
        service::sign_out(&state, &auth.actor()?).await?;
        Ok(SignedOut::Done)
    }

    /// The current account
    #[oai(path = "/me", method = "get", operation_id = "me")]
    async fn me(&self, state: Data<&AppState>, auth: SessionAuth) -> Result<Json<Me>, ApiError> {
        Ok(Json(service::me(&state, &auth.actor()?).await?.into()))
    }
}
