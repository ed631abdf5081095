//! The follow-up round in the JSON API (`/api/rounds…`): the same actions as the pages,
//! through the same functions of [`crate::round`] and so the same access layer. A forecast
//! changed by someone else since the version sent gives 409 with their value.

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::policy::{authorize, Action};
use crate::round::{self, forecast_json, readable_round, round_json, round_or_404, DrillQuery};
use crate::round_report;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Json;
use delar_core::followup;
use delar_store::rounds::{ForecastInput, Saved};
use serde::Deserialize;
use serde_json::{json, Value};

/// The round routes under `/api` (path, method, handler), listed with the others by
/// [`crate::api::routes`].
pub fn routes() -> Vec<(&'static str, &'static str, MethodRouter<AppState>)> {
    vec![
        ("/rounds", "get", get(list)),
        ("/rounds", "post", post(open)),
        ("/rounds/{id}", "get", get(show)),
        ("/rounds/{id}/forecasts", "get", get(forecasts)),
        ("/rounds/{id}/forecasts", "put", axum::routing::put(save)),
        ("/rounds/{id}/status", "post", post(status)),
        ("/rounds/{id}/comments", "post", post(comment)),
        ("/rounds/{id}/lock", "post", post(lock)),
        ("/rounds/{id}/decision", "post", post(decision)),
        ("/rounds/{id}/report", "get", get(report)),
        ("/rounds/{id}/files/{file}", "get", get(file)),
        ("/rounds/{id}/ledger", "get", get(ledger)),
        ("/rounds/{id}/audit", "get", get(audit)),
        (
            "/rounds/{id}/accuracy",
            "get",
            get(crate::accuracy::round_api),
        ),
    ]
}

async fn list(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Value>, AppError> {
    let rounds: Vec<Value> = round::visible_rounds(&state, &user)
        .await?
        .iter()
        .map(round_json)
        .collect();
    Ok(Json(json!({ "rounds": rounds })))
}

#[derive(Debug, Deserialize)]
struct OpenBody {
    package: i64,
    #[serde(default)]
    name: String,
}

async fn open(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(body): Json<OpenBody>,
) -> Result<Response, AppError> {
    let r = round::open_round(&state, &user, body.package, &body.name).await?;
    Ok((StatusCode::CREATED, Json(round_json(&r))).into_response())
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let r = readable_round(&state, &user, id).await?;
    let loaded = round_report::package_of(&state, r.committee_id, r.year).await?;
    let sheet = followup::sheet(&loaded.package);
    let forecasts = state.store.forecasts(id).await?;
    let mut body = round_json(&r);
    body["ansvar"] = Value::from(round::overview(&user, &r, &sheet, &forecasts));
    Ok(Json(body))
}

#[derive(Debug, Deserialize)]
struct AnsvarFilter {
    #[serde(default)]
    ansvar: Option<String>,
}

async fn forecasts(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<AnsvarFilter>,
) -> Result<Json<Value>, AppError> {
    let r = readable_round(&state, &user, id).await?;
    let loaded = round_report::package_of(&state, r.committee_id, r.year).await?;
    let sheet = followup::sheet(&loaded.package);
    let stored = state.store.forecasts(id).await?;
    let cells: Vec<Value> = sheet
        .cells
        .iter()
        .filter(|c| q.ansvar.as_ref().is_none_or(|a| *a == c.ansvar))
        .map(|c| {
            let f = stored
                .iter()
                .find(|f| f.row_id == c.row && f.ansvar == c.ansvar);
            json!({
                "row": c.row,
                "ansvar": c.ansvar,
                "outcome_ore": c.outcome,
                "budget_ore": c.budget,
                "package_forecast_ore": c.package_forecast,
                "run_rate_ore": c.run_rate,
                "pattern_ore": c.pattern,
                "forecast": f.map(forecast_json),
            })
        })
        .collect();
    Ok(Json(json!({ "round": round_json(&r), "cells": cells })))
}

#[derive(Debug, Deserialize)]
struct ForecastBody {
    row: String,
    #[serde(default)]
    ansvar: String,
    amount_ore: i64,
    #[serde(default)]
    comment: String,
    /// The version the change was made from; absent or null for a new forecast.
    #[serde(default)]
    version: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct SaveBody {
    forecasts: Vec<ForecastBody>,
}

async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<SaveBody>,
) -> Result<Response, AppError> {
    let r = round_or_404(&state, id).await?;
    let loaded = round_report::package_of(&state, r.committee_id, r.year).await?;
    let sheet = followup::sheet(&loaded.package);
    let mut inputs = Vec::new();
    for f in &body.forecasts {
        authorize(
            &user,
            &Action::EditForecast {
                committee: r.committee_id,
                ansvar: f.ansvar.clone(),
            },
        )?;
        if sheet.cell(&f.row, &f.ansvar).is_none() {
            return Err(AppError::Invalid(format!(
                "raden \u{201d}{}\u{201d} finns inte för ansvar \u{201d}{}\u{201d}",
                f.row, f.ansvar
            )));
        }
        inputs.push(ForecastInput {
            row_id: f.row.clone(),
            ansvar: f.ansvar.clone(),
            amount_ore: f.amount_ore,
            comment: f.comment.trim().to_string(),
            expected_version: f.version,
        });
    }
    let actor = round::store_user(&state, &user).await?;
    let saved = state.store.save_forecasts(&actor, id, &inputs).await?;
    let mut ok = Vec::new();
    let mut conflicts = Vec::new();
    let mut refused = Vec::new();
    for s in &saved {
        match s {
            Saved::Saved(f) => ok.push(forecast_json(f)),
            Saved::Conflict { mine, theirs } => conflicts.push(json!({
                "row": mine.row_id, "ansvar": mine.ansvar, "yours": {"amount_ore": mine.amount_ore, "comment": mine.comment, "version": mine.expected_version},
                "theirs": forecast_json(theirs),
            })),
            Saved::NotEditable(f) => refused.push(forecast_json(f)),
        }
    }
    let status = if !conflicts.is_empty() {
        StatusCode::CONFLICT
    } else if !refused.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut out = json!({ "saved": ok, "conflicts": conflicts, "not_editable": refused });
    if status == StatusCode::CONFLICT {
        out["error"] = Value::from(
            "någon annan har ändrat prognosen sedan den version du skickade; se \"theirs\", och skicka igen med deras version för att ersätta värdet",
        );
    } else if status == StatusCode::UNPROCESSABLE_ENTITY {
        out["error"] = Value::from(
            "prognosen är inskickad eller godkänd och kan inte ändras förrän controllern lämnar tillbaka den",
        );
    }
    Ok((status, Json(out)).into_response())
}

#[derive(Debug, Deserialize)]
struct StatusBody {
    #[serde(default)]
    ansvar: String,
    /// `submit`, `return` or `accept`.
    action: String,
    #[serde(default)]
    comment: String,
}

async fn status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<StatusBody>,
) -> Result<Json<Value>, AppError> {
    let r = round_or_404(&state, id).await?;
    if body.action == "submit" {
        // The same rules as the page: every cell has a forecast, deviations explained.
        let loaded = round_report::package_of(&state, r.committee_id, r.year).await?;
        let sheet = followup::sheet(&loaded.package);
        let stored = state.store.forecasts(id).await?;
        let problems: Vec<String> = round::submit_problems(&sheet, &stored, &body.ansvar)
            .into_iter()
            .map(|(row, p)| format!("{row}: {p}"))
            .collect();
        if !problems.is_empty() {
            authorize(
                &user,
                &Action::EditForecast {
                    committee: r.committee_id,
                    ansvar: body.ansvar.clone(),
                },
            )?;
            return Err(AppError::Invalid(format!(
                "kan inte skickas in: {}",
                problems.join("; ")
            )));
        }
    }
    let (n, done) =
        round::review(&state, &user, &r, &body.ansvar, &body.action, &body.comment).await?;
    Ok(Json(json!({ "changed": n, "result": done })))
}

#[derive(Debug, Deserialize)]
struct CommentBody {
    #[serde(default)]
    row: Option<String>,
    #[serde(default)]
    ansvar: Option<String>,
    body: String,
}

async fn comment(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<CommentBody>,
) -> Result<Response, AppError> {
    let r = round_or_404(&state, id).await?;
    round::comment(
        &state,
        &user,
        &r,
        body.row.as_deref(),
        body.ansvar.as_deref(),
        &body.body,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!({ "saved": true }))).into_response())
}

#[derive(Debug, Deserialize)]
struct VersionBody {
    version: i64,
}

async fn lock(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<VersionBody>,
) -> Result<Json<Value>, AppError> {
    let r = round_or_404(&state, id).await?;
    let locked = round::lock(&state, &user, &r, body.version).await?;
    let archives: Vec<Value> = state
        .store
        .archives(id)
        .await?
        .into_iter()
        .map(|a| json!({"file": a.format, "sha256": a.sha256, "inputs_sha256": a.inputs_sha256, "size": a.size}))
        .collect();
    let mut out = round_json(&locked);
    out["archive"] = Value::from(archives);
    Ok(Json(out))
}

#[derive(Debug, Deserialize)]
struct DecisionBody {
    version: i64,
    date: String,
    paragraph: String,
}

async fn decision(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<DecisionBody>,
) -> Result<Json<Value>, AppError> {
    let r = round_or_404(&state, id).await?;
    let done = round::decide(&state, &user, &r, body.version, &body.date, &body.paragraph).await?;
    Ok(Json(round_json(&done)))
}

async fn report(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let r = readable_round(&state, &user, id).await?;
    let bytes = round::document_bytes(&state, &r, "report.json").await?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        bytes,
    )
        .into_response())
}

async fn file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, file)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let r = readable_round(&state, &user, id).await?;
    let bytes = round::document_bytes(&state, &r, &file).await?;
    Ok(round::file_response(&file, bytes))
}

async fn ledger(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<DrillQuery>,
) -> Result<Json<Value>, AppError> {
    let r = round_or_404(&state, id).await?;
    Ok(Json(round::drill(&state, &user, &r, &q).await?))
}

async fn audit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let r = round_or_404(&state, id).await?;
    authorize(&user, &Action::ReadAudit)?;
    authorize(
        &user,
        &Action::ReadReport {
            committee: r.committee_id,
        },
    )?;
    let mut entries = Vec::new();
    for prefix in [
        format!("round:{id}"),
        format!("forecast:{id}/"),
        format!("ansvar:{id}/"),
    ] {
        let found = state
            .store
            .audit_query(&delar_store::audit::AuditFilter {
                entity: Some(prefix.clone()),
                ..Default::default()
            })
            .await?;
        // `round:1` is also a prefix of `round:12`.
        entries.extend(
            found
                .into_iter()
                .filter(|e| e.entity == prefix || prefix.ends_with('/')),
        );
    }
    entries.sort_by_key(|e| e.id);
    let entries: Vec<Value> = entries.iter().map(crate::audit_pages::entry_json).collect();
    Ok(Json(json!({ "entries": entries })))
}
