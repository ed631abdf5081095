//! Who is asking: [`CurrentUser`] from the session cookie or an API token, the session
//! cookie itself, and the login and logout pages.
//!
//! The request layer ([`crate::csrf::session_layer`]) resolves the user once per request
//! (a `Authorization: Bearer TOKEN` header wins over the cookie and is never combined
//! with it) and puts it into the request's extensions; the extractors read it from there.

use crate::error::AppError;
use crate::templates::{Flash, FlashKind};
use crate::AppState;
use axum::extract::{FromRequestParts, State};
use axum::http::header::{HeaderMap, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use delar_store::{LoginOutcome, Role, User};
use serde::Deserialize;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "delar_session";
/// The name of the cookie carrying a flash message to the next page.
pub const FLASH_COOKIE: &str = "delar_flash";

/// How the current request is authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthKind {
    /// By the session cookie; state-changing requests need the CSRF token.
    Session {
        /// The session id from the cookie.
        session_id: String,
        /// The session's CSRF token.
        csrf_token: String,
    },
    /// By an API token (`Authorization: Bearer`); no cookie, no CSRF token needed.
    Bearer,
}

/// The logged-in user of a request. As an extractor it refuses an anonymous request
/// with [`AppError::Unauthenticated`] (a page then redirects to `/logga-in`, `/api/`
/// answers 401).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentUser {
    /// User id.
    pub id: i64,
    /// Login name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Assigned ansvar, sorted.
    pub ansvar: Vec<String>,
    /// Ids of the assigned committees.
    pub committees: Vec<i64>,
    /// Names of the assigned committees (same order as `committees`).
    pub committee_names: Vec<String>,
    /// How the request is authenticated.
    pub auth: AuthKind,
}

impl CurrentUser {
    /// The current user for a stored user.
    pub fn from_user(user: User, auth: AuthKind) -> CurrentUser {
        CurrentUser {
            id: user.id,
            name: user.name,
            role: user.role,
            ansvar: user.ansvar,
            committees: user.committees.iter().map(|c| c.id).collect(),
            committee_names: user.committees.into_iter().map(|c| c.name).collect(),
            auth,
        }
    }

    /// The session's CSRF token (empty for API-token requests).
    pub fn csrf_token(&self) -> &str {
        match &self.auth {
            AuthKind::Session { csrf_token, .. } => csrf_token,
            AuthKind::Bearer => "",
        }
    }

    /// For templates and `/api/me`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "id": self.id,
            "name": self.name,
            "role": self.role.as_str(),
            "role_name": crate::policy::role_name(self.role),
            "ansvar": self.ansvar,
            "committees": self.committees,
            "committee_names": self.committee_names,
        })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or(AppError::Unauthenticated)
    }
}

/// The user if logged in, for pages that also serve anonymous visitors.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<CurrentUser>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeUser(parts.extensions.get::<CurrentUser>().cloned()))
    }
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Path=/, Secure when `secure`.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text = format!(
        "{name}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age_secs}{secure}"
    );
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A 303 redirect to `to` carrying a flash message for the next page.
pub fn redirect_with_flash(state: &AppState, to: &str, flash: Flash) -> Response {
    let mut response = Redirect::to(to).into_response();
    let value: String = form_urlencoded::byte_serialize(flash.encode().as_bytes()).collect();
    response.headers_mut().append(
        SET_COOKIE,
        set_cookie(FLASH_COOKIE, &value, 60, state.config.cookie_secure),
    );
    response
}

#[derive(Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

/// GET /logga-in: the login form (a logged-in user goes to the start page).
pub(crate) async fn login_page(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    flash: crate::templates::FlashIn,
) -> Result<Response, AppError> {
    if user.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    crate::templates::render(
        &state,
        None,
        flash.0,
        "/logga-in",
        "login.html",
        minijinja::context! { name => "" },
    )
}

/// A Swedish time of day for a moment in microseconds since 1970 UTC.
fn clock(micros: i64) -> String {
    crate::templates::format_time(micros)
}

/// POST /logga-in: checks the name and password (throttled) and starts a session.
pub(crate) async fn login_submit(
    State(state): State<AppState>,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let outcome = state.store.login(&form.name, &form.password).await?;
    let again = |status: StatusCode, message: String| {
        let flash = vec![Flash {
            kind: FlashKind::Error,
            message,
        }];
        let mut r = crate::templates::render(
            &state,
            None,
            flash,
            "/logga-in",
            "login.html",
            minijinja::context! { name => form.name.trim() },
        )?;
        *r.status_mut() = status;
        Ok::<Response, AppError>(r)
    };
    match outcome {
        LoginOutcome::LoggedIn { session_id, .. } => {
            let mut response = Redirect::to("/").into_response();
            response.headers_mut().append(
                SET_COOKIE,
                set_cookie(
                    SESSION_COOKIE,
                    &session_id,
                    delar_store::sessions::SESSION_ABSOLUTE_MICROS / 1_000_000,
                    state.config.cookie_secure,
                ),
            );
            Ok(response)
        }
        LoginOutcome::Refused => again(
            StatusCode::UNAUTHORIZED,
            "Fel användarnamn eller lösenord (eller så är kontot avstängt). Försök igen.".into(),
        ),
        LoginOutcome::Throttled { retry_at } => {
            let secs = ((retry_at - now_micros()) / 1_000_000).max(1);
            let minutes = (secs + 59) / 60;
            let mut r = again(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "För många misslyckade inloggningar för det här användarnamnet. Försök igen \
                     klockan {} (om {minutes} min).",
                    clock(retry_at)
                ),
            )?;
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                r.headers_mut().insert("retry-after", v);
            }
            Ok(r)
        }
    }
}

/// POST /logga-ut: deletes the session (the CSRF token was checked by the layer).
pub(crate) async fn logout(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    if let AuthKind::Session { session_id, .. } = &user.auth {
        state.store.logout(session_id).await?;
    }
    let mut response = redirect_with_flash(
        &state,
        "/logga-in",
        Flash {
            kind: FlashKind::Info,
            message: "Du är utloggad.".into(),
        },
    );
    response.headers_mut().append(
        SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", 0, state.config.cookie_secure),
    );
    Ok(response)
}

/// Now in microseconds since 1970 UTC.
pub(crate) fn now_micros() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
}
