//! The domain's error type. Domain and store code return it; the HTTP layer maps it to
//! problem+json in exactly one place (`http::problem`).

use crate::i18n::Text;

/// One problem with one field of a request, for the form that sent it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldIssue {
    /// The field's name as the client sent it (`email`, `sections[2].text`).
    pub field: String,
    /// A stable machine-readable code (`too_short`, `taken`, …).
    pub code: &'static str,
    pub message: Text,
}

impl FieldIssue {
    pub fn new(field: impl Into<String>, code: &'static str, message: Text) -> Self {
        FieldIssue { field: field.into(), code, message }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request was understood but its content breaks a rule (422).
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldIssue>),
    /// No credentials, or credentials that are no longer valid (401).
    #[error("unauthenticated")]
    Unauthenticated(Text),
    /// Signed in, but not allowed to do this (403).
    #[error("forbidden")]
    Forbidden(Text),
    /// A change sent with the session cookie but without its CSRF token (403, code `csrf`).
    #[error("csrf token missing or wrong")]
    Csrf,
    /// Absent — or present but not to be revealed to this actor (404).
    #[error("not found")]
    NotFound(Text),
    /// The resource is in a state that does not allow this (409).
    #[error("conflict: {code}")]
    Conflict { code: &'static str, message: Text },
    /// Too many attempts; try again after `retry_after_secs` (429).
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64, message: Text },
    /// Our fault (500). The cause is logged, never shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn invalid(field: impl Into<String>, code: &'static str, message: Text) -> Self {
        AppError::Invalid(vec![FieldIssue::new(field, code, message)])
    }

    /// A database error that is a unique violation: a row that raced in under the same key,
    /// which each caller turns into its own conflict.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, AppError::Internal(e) if e.downcast_ref::<sea_orm::DbErr>().is_some_and(crate::db::is_unique_violation))
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(e: sea_orm::DbErr) -> Self {
        AppError::Internal(e.into())
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        AppError::Internal(e.into())
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// Collects field issues while parsing a request body, so the client sees all of them at once.
#[derive(Default)]
pub struct Issues(Vec<FieldIssue>);

impl Issues {
    /// Keeps the value of `r`, or records its issue.
    pub fn take<T>(&mut self, r: Result<T, FieldIssue>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(issue) => {
                self.0.push(issue);
                None
            }
        }
    }

    pub fn push(&mut self, issue: FieldIssue) {
        self.0.push(issue);
    }

    /// Whether an issue was recorded for `field` already.
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|i| i.field == field)
    }

    /// `Ok(())` when nothing was recorded.
    pub fn finish(self) -> AppResult<()> {
        if self.0.is_empty() { Ok(()) } else { Err(AppError::Invalid(self.0)) }
    }
}
