//! The shapes of accounts and sessions on the wire.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use uuid::Uuid;

use super::model::Account;
use super::service::SignedIn;
use crate::authz::Role;

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
    /// For the browser app: keep the session in an HttpOnly cookie instead of answering the
    /// token; the answer carries the CSRF token that every change must then send.
    #[oai(default)]
    pub cookie: bool,
}

/// A registration was received. Whether it made a new account or the address was taken
/// already is not said (that would tell anyone who has an account): sign in next.
#[derive(Object)]
pub struct RegistrationReceived {
    /// The address to sign in with.
    pub email: String,
    /// Where to go next: `POST /auth/login`.
    pub next: String,
}

/// The signed-in account, as its owner sees it (contains personal data; never cached).
#[derive(Object)]
pub struct Me {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// The agency of a staff account.
    #[oai(skip_serializing_if_is_none)]
    pub agency_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    /// When the request came with the session cookie: the token to send as `X-CSRF-Token`
    /// with every change.
    #[oai(skip_serializing_if_is_none)]
    pub csrf_token: Option<String>,
}

impl From<Account> for Me {
    fn from(a: Account) -> Self {
        Me {
            id: a.id,
            email: a.email,
            display_name: a.display_name,
            role: a.role,
            agency_id: a.agency_id,
            created_at: a.created_at,
            csrf_token: None,
        }
    }
}

/// A new session.
#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Session {
    /// Send as `Authorization: Bearer <token>`. Shown once; store it safely. Absent for a
    /// cookie session (the browser keeps the token where scripts cannot read it).
    pub token: Option<String>,
    /// For a cookie session: send as `X-CSRF-Token` with every change.
    pub csrf_token: Option<String>,
    /// When the session ends at the latest (it also ends after a period of inactivity).
    pub expires_at: DateTime<Utc>,
    pub account: Me,
}

impl Session {
    pub fn bearer(s: SignedIn) -> Self {
        Session { token: Some(s.token), csrf_token: None, expires_at: s.expires_at, account: s.account.into() }
    }

    pub fn cookie(s: SignedIn) -> Self {
        let csrf = super::auth::csrf_token(&s.token);
        Session { token: None, csrf_token: Some(csrf), expires_at: s.expires_at, account: s.account.into() }
    }
}

#[derive(Object)]
pub struct ChangePasswordRequest {
    #[oai(validator(max_length = 1024))]
    pub current_password: String,
    /// 8 to 128 characters; not one of the commonly used passwords.
    #[oai(validator(max_length = 1024))]
    pub new_password: String,
}

/// Choosing a new password with the one-time code an admin handed over.
#[derive(Object)]
pub struct CompletePasswordResetRequest {
    #[oai(validator(max_length = 254))]
    pub email: String,
    /// e.g. `7K3M9-QX5AB-…` (case, spaces and dashes do not matter).
    #[oai(validator(max_length = 100))]
    pub code: String,
    #[oai(validator(max_length = 1024))]
    pub new_password: String,
}

/// A reset was started. Give the code to the person over a safe channel; it is shown once.
#[derive(Object)]
pub struct PasswordResetStarted {
    pub code: String,
    pub expires_at: DateTime<Utc>,
}

impl From<super::lifecycle::ResetStarted> for PasswordResetStarted {
    fn from(r: super::lifecycle::ResetStarted) -> Self {
        PasswordResetStarted { code: r.code, expires_at: r.expires_at }
    }
}

/// An account as those who manage it see it.
#[derive(Object)]
pub struct ManagedAccount {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    #[oai(skip_serializing_if_is_none)]
    pub agency_id: Option<Uuid>,
    /// Cannot sign in; its sessions ended when it was disabled.
    pub disabled: bool,
    /// A password reset is waiting for its owner.
    pub reset_pending: bool,
    pub created_at: DateTime<Utc>,
}

impl From<Account> for ManagedAccount {
    fn from(a: Account) -> Self {
        ManagedAccount {
            id: a.id,
            email: a.email,
            display_name: a.display_name,
            role: a.role,
            agency_id: a.agency_id,
            disabled: a.disabled,
            reset_pending: a.reset_pending,
            created_at: a.created_at,
        }
    }
}
