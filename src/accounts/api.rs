//! `/auth/*`: register, sign in, sign out, the current account.

use poem::Request;
use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};

use super::dto::*;
use super::lifecycle;
use super::model::Password;
use super::service::{self, NewAccountInput};
use crate::accounts::auth::{SESSION_COOKIE, SessionAuth};
use crate::error::AppError;
use crate::http::ApiTags;
use crate::http::client::client_address;
use crate::http::problem::ApiError;
use crate::state::AppState;

pub struct AccountsApi;

#[derive(ApiResponse)]
pub enum Registered {
    /// Received: sign in next. The same answer whether the address was new or taken.
    #[oai(status = 202)]
    Accepted(Json<RegistrationReceived>),
}

#[derive(ApiResponse)]
pub enum SignedInAnswer {
    /// Signed in. For a cookie session, `Set-Cookie` holds the session.
    #[oai(status = 200)]
    Ok(Json<Session>, #[oai(header = "Set-Cookie")] Option<String>),
}

#[derive(ApiResponse)]
pub enum SessionEnded {
    /// Signed out; a session cookie is cleared.
    #[oai(status = 204)]
    Done(#[oai(header = "Set-Cookie")] Option<String>),
}

/// The session cookie: HttpOnly (scripts cannot read it), SameSite=Strict (other sites'
/// pages cannot send it), Secure when the platform is served over https.
fn session_cookie(state: &AppState, value: &str, max_age_secs: i64) -> String {
    let secure = if state.config.public_url.starts_with("https://") { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={value}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite=Strict{secure}")
}

fn cleared_cookie(state: &AppState, auth: &SessionAuth) -> Option<String> {
    auth.via_cookie().then(|| session_cookie(state, "", 0))
}

#[derive(ApiResponse)]
pub enum SignedOut {
    /// Done.
    #[oai(status = 204)]
    Done,
}

#[OpenApi(prefix_path = "/auth", tag = "ApiTags::Accounts")]
impl AccountsApi {
    /// Register a resident account
    ///
    /// Staff accounts are not self-registered: an agency admin creates them. The answer does
    /// not say whether the address was registered already; sign in next. Limited per client
    /// address (429 with `Retry-After`).
    #[oai(path = "/register", method = "post", operation_id = "register")]
    async fn register(
        &self,
        state: Data<&AppState>,
        req: &Request,
        body: Json<RegisterRequest>,
    ) -> Result<Registered, ApiError> {
        let input = NewAccountInput::parse(&body.email, &body.password, &body.display_name)?;
        let email = input.email.as_str().to_string();
        service::register_resident(&state, input, client_address(req, &state)).await?;
        Ok(Registered::Accepted(Json(RegistrationReceived { email, next: "/api/v1/auth/login".into() })))
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
    ) -> Result<SignedInAnswer, ApiError> {
        let address = client_address(req, &state);
        let signed_in = service::sign_in(&state, &body.email, &body.password, address).await?;
        if body.cookie {
            let cookie = session_cookie(&state, &signed_in.token, signed_in.seconds_left());
            Ok(SignedInAnswer::Ok(Json(Session::cookie(signed_in)), Some(cookie)))
        } else {
            Ok(SignedInAnswer::Ok(Json(Session::bearer(signed_in)), None))
        }
    }

    /// Sign out
    ///
    /// Ends the session whose token is presented.
    #[oai(path = "/logout", method = "post", operation_id = "logout")]
    async fn logout(&self, state: Data<&AppState>, auth: SessionAuth) -> Result<SessionEnded, ApiError> {
        service::sign_out(&state, &auth.actor()?).await?;
        Ok(SessionEnded::Done(cleared_cookie(&state, &auth)))
    }

    /// Change my password
    ///
    /// With the current password. Every other session of the account ends; this one stays.
    #[oai(path = "/password", method = "post", operation_id = "change_password")]
    async fn change_password(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        body: Json<ChangePasswordRequest>,
    ) -> Result<SignedOut, ApiError> {
        let new = Password::parse("new_password", &body.new_password).map_err(|i| AppError::Invalid(vec![i]))?;
        lifecycle::change_password(&state, &auth.actor()?, &body.current_password, new).await?;
        Ok(SignedOut::Done)
    }

    /// Sign out everywhere
    ///
    /// Ends every session of the account, this one included.
    #[oai(path = "/logout-everywhere", method = "post", operation_id = "logout_everywhere")]
    async fn logout_everywhere(&self, state: Data<&AppState>, auth: SessionAuth) -> Result<SessionEnded, ApiError> {
        lifecycle::sign_out_everywhere(&state, &auth.actor()?).await?;
        Ok(SessionEnded::Done(cleared_cookie(&state, &auth)))
    }

    /// Choose a new password with a reset code
    ///
    /// The one-time code an admin handed over after resetting the password. A wrong or
    /// expired code and an unknown address get the same answer; tries are limited.
    #[oai(path = "/password-reset", method = "post", operation_id = "complete_password_reset")]
    async fn complete_password_reset(
        &self,
        state: Data<&AppState>,
        req: &Request,
        body: Json<CompletePasswordResetRequest>,
    ) -> Result<SignedOut, ApiError> {
        let new = Password::parse("new_password", &body.new_password).map_err(|i| AppError::Invalid(vec![i]))?;
        lifecycle::finish_reset(&state, &body.email, &body.code, new, client_address(req, &state)).await?;
        Ok(SignedOut::Done)
    }

    /// The current account
    #[oai(path = "/me", method = "get", operation_id = "me")]
    async fn me(&self, state: Data<&AppState>, auth: SessionAuth) -> Result<Json<Me>, ApiError> {
        let mut me: Me = service::me(&state, &auth.actor()?).await?.into();
        me.csrf_token = auth.csrf_token();
        Ok(Json(me))
    }
}
