//! [`AppError`]: every way a request can fail, with a Swedish message. A handler returns
//! it; the response layer ([`crate::headers`]) turns it into a Swedish HTML error page
//! with the status, or `{"error": "..."}` for `/api/` paths.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use delar_store::StoreError;

/// Why a request failed. The message is shown to the user (Swedish).
#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    /// Not logged in (401; a page redirects to `/logga-in`).
    #[error("du är inte inloggad: logga in, eller skicka en API-token som \"Authorization: Bearer TOKEN\"")]
    Unauthenticated,
    /// Logged in but not allowed (403).
    #[error("{0}")]
    Forbidden(String),
    /// No such page or thing (404).
    #[error("{0}")]
    NotFound(String),
    /// The change conflicts with the current state (409).
    #[error("{0}")]
    Conflict(String),
    /// The request body is too large (413).
    #[error("{0}")]
    TooLarge(String),
    /// The input is not acceptable (422).
    #[error("{0}")]
    Invalid(String),
    /// Too many attempts (429); `retry_after` seconds.
    #[error("{message}")]
    Throttled {
        /// What to do, with when to try again.
        message: String,
        /// Seconds until a new attempt is looked at.
        retry_after: u64,
    },
    /// Something failed on the server (500); the detail is logged, not shown.
    #[error(
        "ett internt fel inträffade; försök igen, och kontakta administratören om felet består"
    )]
    Internal(String),
}

/// The message and status of an error response, carried in the response's extensions
/// so that the response layer can render it as a page or as JSON.
#[derive(Debug, Clone)]
pub struct ErrorMessage(pub String);

impl AppError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A 404 for a page that does not exist.
    pub fn not_found() -> AppError {
        AppError::NotFound("sidan finns inte; kontrollera adressen".into())
    }

    /// A 403 saying what is not allowed.
    pub fn forbidden(what: impl Into<String>) -> AppError {
        AppError::Forbidden(what.into())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let status = self.status();
        let message = self.to_string();
        let mut response = (status, message.clone()).into_response();
        if let AppError::Throttled { retry_after, .. } = &self {
            if let Ok(v) = retry_after.to_string().parse() {
                response.headers_mut().insert("retry-after", v);
            }
        }
        response.extensions_mut().insert(ErrorMessage(message));
        response
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::Invalid(_) | StoreError::Package(_) => AppError::Invalid(e.to_string()),
            StoreError::UserExists(_) | StoreError::Closed(_) => AppError::Conflict(e.to_string()),
            StoreError::NoSuchUser(_) => AppError::NotFound(e.to_string()),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<minijinja::Error> for AppError {
    fn from(e: minijinja::Error) -> AppError {
        AppError::Internal(format!("template: {e:#}"))
    }
}
