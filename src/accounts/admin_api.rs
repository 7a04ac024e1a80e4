//! `/accounts/{id}/…`: disabling, enabling and resetting the password of an account — an
//! agency's admins for its staff, the platform admin for everyone.

use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

use super::auth::SessionAuth;
use super::dto::{ManagedAccount, PasswordResetStarted};
use super::lifecycle;
use crate::http::ApiTags;
use crate::http::problem::ApiError;
use crate::state::AppState;

pub struct AccountAdminApi;

#[derive(ApiResponse)]
pub enum ResetStarted {
    /// The reset code, shown once.
    #[oai(status = 201)]
    Created(Json<PasswordResetStarted>),
}

#[OpenApi(prefix_path = "/accounts", tag = "ApiTags::Accounts")]
impl AccountAdminApi {
    /// Reset an account's password
    ///
    /// Its password stops working and its sessions end. The answer holds a one-time code for
    /// its owner to choose a new password (`POST /auth/password-reset`) within 24 hours; the
    /// admin never learns the password. Audited.
    #[oai(path = "/:account_id/password-reset", method = "post", operation_id = "start_password_reset")]
    async fn start_reset(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        account_id: Path<Uuid>,
    ) -> Result<ResetStarted, ApiError> {
        let started = lifecycle::start_reset(&state, &auth.actor()?, account_id.0).await?;
        Ok(ResetStarted::Created(Json(started.into())))
    }

    /// Disable an account
    ///
    /// It cannot sign in, and its sessions end at once. Audited.
    #[oai(path = "/:account_id/disable", method = "post", operation_id = "disable_account")]
    async fn disable(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        account_id: Path<Uuid>,
    ) -> Result<Json<ManagedAccount>, ApiError> {
        Ok(Json(lifecycle::set_disabled(&state, &auth.actor()?, account_id.0, true).await?.into()))
    }

    /// Enable an account again
    #[oai(path = "/:account_id/enable", method = "post", operation_id = "enable_account")]
    async fn enable(
        &self,
        state: Data<&AppState>,
        auth: SessionAuth,
        account_id: Path<Uuid>,
    ) -> Result<Json<ManagedAccount>, ApiError> {
        Ok(Json(lifecycle::set_disabled(&state, &auth.actor()?, account_id.0, false).await?.into()))
    }
}
