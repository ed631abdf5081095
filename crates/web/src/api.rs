//! The JSON API under `/api/`, documented by the OpenAPI 3.1 document
//! `openapi.json` (served at `GET /api/openapi.json`, public). Authentication: an API
//! token (`Authorization: Bearer TOKEN`, from `delar token create USER`) or the session
//! cookie (then state-changing requests need the header `X-CSRF-Token`). Anonymous
//! requests get 401 with `{"error": "..."}`; every error is JSON.
//!
//! The router is built from [`routes`], and a test checks that exactly those paths and
//! methods are in the OpenAPI document.

use crate::admin::user_json;
use crate::audit_pages::{entry_json, AuditQuery};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::policy::{authorize, Action};
use crate::upload::read_body;
use crate::AppState;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Json, Router};
use delar_store::Role;
use serde::Deserialize;

/// The OpenAPI document.
pub const OPENAPI: &str = include_str!("openapi.json");

/// Every API route: (path under `/api`, method, handler).
pub fn routes() -> Vec<(&'static str, &'static str, MethodRouter<AppState>)> {
    vec![
        ("/openapi.json", "get", get(openapi)),
        ("/me", "get", get(me)),
        ("/packages", "get", get(packages)),
        ("/audit", "get", get(audit)),
        ("/import", "post", post(import)),
        ("/users", "get", get(users)),
        ("/users", "post", post(create_user)),
    ]
    .into_iter()
    .chain(crate::round_api::routes())
    .collect()
}

/// The router of `/api` (nested by [`crate::app`]).
pub fn router() -> Router<AppState> {
    let mut router = Router::new();
    for (path, _, handler) in routes() {
        router = router.route(path, handler);
    }
    router.fallback(|| async {
        AppError::NotFound("det finns ingen sådan API-adress; se /api/openapi.json".into())
    })
}

async fn openapi() -> Response {
    ([(CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn me(user: CurrentUser) -> Json<serde_json::Value> {
    Json(user.to_json())
}

async fn packages(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<serde_json::Value>, AppError> {
    let packages = crate::pages::visible_packages(&state, &user).await?;
    Ok(Json(serde_json::json!({ "packages": packages })))
}

/// The query of `GET /api/audit`.
#[derive(Debug, Deserialize)]
struct AuditApiQuery {
    #[serde(flatten)]
    filter: AuditQuery,
    limit: Option<i64>,
}

async fn audit(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<AuditApiQuery>,
) -> Result<Json<serde_json::Value>, AppError> {
    authorize(&user, &Action::ReadAudit)?;
    let limit = q.limit.unwrap_or(1000).clamp(1, 100_000);
    let entries = state
        .store
        .audit_query(&q.filter.filter(true, Some(limit)))
        .await?;
    let entries: Vec<_> = entries.iter().map(entry_json).collect();
    Ok(Json(serde_json::json!({ "entries": entries })))
}

async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    body: Body,
) -> Result<Response, AppError> {
    authorize(&user, &Action::OpenImport)?;
    let zip = read_body(body, state.config.max_upload_bytes).await?;
    let result = crate::import::import_zip(&state, &user, &zip, None).await?;
    let status = if result.outcome == "imported" {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(result)).into_response())
}

async fn users(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<serde_json::Value>, AppError> {
    authorize(&user, &Action::ManageUsers)?;
    let users: Vec<_> = state.store.users().await?.iter().map(user_json).collect();
    Ok(Json(serde_json::json!({ "users": users })))
}

/// The body of `POST /api/users`.
#[derive(Debug, Deserialize)]
struct NewUser {
    name: String,
    role: String,
    password: String,
    #[serde(default)]
    ansvar: Vec<String>,
    #[serde(default)]
    committees: Vec<String>,
}

async fn create_user(
    State(state): State<AppState>,
    user: CurrentUser,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    authorize(&user, &Action::ManageUsers)?;
    let new: NewUser = serde_json::from_slice(&body).map_err(|e| {
        AppError::Invalid(format!(
            "kroppen är inte en giltig användare i JSON ({{\"name\", \"role\", \"password\", \"ansvar\", \"committees\"}}): {e}"
        ))
    })?;
    let role = Role::parse(&new.role)?;
    let created = state
        .store
        .add_user_with_committees(
            &user.name,
            &new.name,
            role,
            &new.ansvar,
            &new.committees,
            &new.password,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(user_json(&created))).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Every route of the router is in the OpenAPI document, and every operation of the
    /// document is a route.
    #[test]
    fn openapi_matches_the_router() {
        let doc: serde_json::Value = serde_json::from_str(OPENAPI).expect("openapi.json is JSON");
        assert_eq!(doc["openapi"], "3.1.0");
        let mut documented = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for method in item.as_object().expect("path item").keys() {
                if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                    documented.insert((path.clone(), method.clone()));
                }
            }
        }
        let routed: BTreeSet<(String, String)> = routes()
            .into_iter()
            .map(|(p, m, _)| (format!("/api{p}"), m.to_string()))
            .collect();
        assert_eq!(documented, routed);
    }
}
