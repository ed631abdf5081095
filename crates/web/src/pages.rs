//! The start page, the package list and the static style sheet.

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::policy::{allowed, authorize, Action};
use crate::templates::{render, FlashIn};
use crate::AppState;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use minijinja::context;

/// The one style sheet of the application's pages.
pub const CSS: &str = include_str!("../static/delar.css");

/// GET /static/delar.css.
pub(crate) async fn stylesheet() -> Response {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

/// GET /: what the user can do.
pub(crate) async fn home(
    State(state): State<AppState>,
    user: CurrentUser,
    flash: FlashIn,
) -> Result<Response, AppError> {
    authorize(&user, &Action::ListPackages)?;
    let can = context! {
        manage_users => allowed(&user, &Action::ManageUsers),
        import => allowed(&user, &Action::OpenImport),
        audit => allowed(&user, &Action::ReadAudit),
    };
    render(
        &state,
        Some(&user),
        flash.0,
        "/",
        "home.html",
        context! { can => can },
    )
}

/// The packages `user` may see (each by `ReadReport` of its committee), as JSON
/// values for pages and the API.
pub(crate) async fn visible_packages(
    state: &AppState,
    user: &CurrentUser,
) -> Result<Vec<serde_json::Value>, AppError> {
    authorize(user, &Action::ListPackages)?;
    let committees = state.store.committees().await?;
    let id_of = |name: &str| committees.iter().find(|c| c.name == name).map(|c| c.id);
    let mut out = Vec::new();
    for p in state.store.packages().await?.into_iter().rev() {
        let Some(committee) = id_of(&p.committee) else {
            continue;
        };
        if !allowed(user, &Action::ReadReport { committee }) {
            continue;
        }
        out.push(serde_json::json!({
            "id": p.id,
            "committee": p.committee,
            "year": p.year,
            "sha256": p.sha256,
            "replaces": p.replaces,
            "replaced": p.replaced,
            "files": p.files.len(),
        }));
    }
    Ok(out)
}

/// GET /paket: the imported packages the user may see, newest first.
pub(crate) async fn packages(
    State(state): State<AppState>,
    user: CurrentUser,
    flash: FlashIn,
) -> Result<Response, AppError> {
    let packages = visible_packages(&state, &user).await?;
    render(
        &state,
        Some(&user),
        flash.0,
        "/paket",
        "packages.html",
        context! { packages => packages, can_import => allowed(&user, &Action::OpenImport) },
    )
}
