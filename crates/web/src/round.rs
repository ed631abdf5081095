//! The follow-up round in the browser: the list of rounds and opening one, a round's
//! overview per ansvar (what is missing, submitted, returned, accepted), a manager's
//! forecast form per ansvar with proposals, the controller's review (return with a
//! comment, accept), the lock with the archived report, the committee's decision, the
//! round's report with the ledger rows behind each outcome figure, downloads and the
//! history of every cell. Every handler asks [`authorize`] first.

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::policy::{allowed, authorize, Action};
use crate::round_report::{self, drill_href, Freshness};
use crate::templates::{format_time, render, Flash, FlashIn};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use delar_core::followup::{self, Drill, Sheet};
use delar_core::money::{group_thousands, month_name, parse_ore};
use delar_store::audit::AuditFilter;
use delar_store::rounds::{
    forecast_entity, Forecast, ForecastInput, ForecastStatus, Round, RoundChange, RoundStatus,
    Saved,
};
use minijinja::context;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Kronor with two decimals and thin grouping, as entered and shown in forms.
pub fn kr(ore: i64) -> String {
    let abs = ore.unsigned_abs();
    let sign = if ore < 0 { "-" } else { "" };
    format!("{sign}{},{:02}", group_thousands(abs / 100, ' '), abs % 100)
}

/// The round, or 404.
pub(crate) async fn round_or_404(state: &AppState, id: i64) -> Result<Round, AppError> {
    state
        .store
        .round(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("uppföljningsrunda {id} finns inte")))
}

/// The round, if `user` may read its committee's report (else 403), or 404.
pub(crate) async fn readable_round(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<Round, AppError> {
    let round = round_or_404(state, id).await?;
    authorize(
        user,
        &Action::ReadReport {
            committee: round.committee_id,
        },
    )?;
    Ok(round)
}

/// The label of row `id` of the package (the id itself when the package has no such
/// row).
pub(crate) fn row_label(config: &delar_core::config::Config, id: &str) -> String {
    config
        .rows
        .iter()
        .find(|r| r.id == id)
        .map_or(id.to_string(), |r| r.label.clone())
}

/// The round's JSON for pages and the API.
pub(crate) fn round_json(r: &Round) -> Value {
    json!({
        "id": r.id,
        "committee_id": r.committee_id,
        "committee": r.committee,
        "year": r.year,
        "through_month": r.through_month,
        "period": format!("januari–{} {}", month_name(r.through_month), r.year),
        "name": r.name,
        "status": r.status.as_str(),
        "status_label": r.status.label(),
        "opened_by": r.opened_by,
        "opened_at": r.opened_at,
        "opened_time": format_time(r.opened_at),
        "locked_at": r.locked_at,
        "decision_date": r.decision_date,
        "decision_paragraph": r.decision_paragraph,
        "version": r.version,
    })
}

pub(crate) fn forecast_json(f: &Forecast) -> Value {
    json!({
        "row": f.row_id,
        "ansvar": f.ansvar,
        "amount_ore": f.amount_ore,
        "amount": kr(f.amount_ore),
        "comment": f.comment,
        "status": f.status.as_str(),
        "status_label": f.status.label(),
        "updated_by": f.updated_by,
        "updated_at": f.updated_at,
        "updated_time": format_time(f.updated_at),
        "version": f.version,
    })
}

/// What an ansvar of a round has come to: every cell's forecast status, or missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AnsvarState {
    /// No forecast yet.
    Missing,
    /// Some forecasts saved, not submitted.
    Draft,
    /// Returned by the controller.
    Returned,
    /// Every cell submitted (or accepted).
    Submitted,
    /// Every cell accepted.
    Accepted,
}

impl AnsvarState {
    fn as_str(self) -> &'static str {
        match self {
            AnsvarState::Missing => "missing",
            AnsvarState::Draft => "draft",
            AnsvarState::Returned => "returned",
            AnsvarState::Submitted => "submitted",
            AnsvarState::Accepted => "accepted",
        }
    }
    fn label(self) -> &'static str {
        match self {
            AnsvarState::Missing => "saknas",
            AnsvarState::Draft => "påbörjad",
            AnsvarState::Returned => "återlämnad",
            AnsvarState::Submitted => "inskickad",
            AnsvarState::Accepted => "godkänd",
        }
    }
}

pub(crate) fn ansvar_state(cells: usize, forecasts: &[&Forecast]) -> AnsvarState {
    if forecasts.is_empty() {
        return AnsvarState::Missing;
    }
    if forecasts
        .iter()
        .any(|f| f.status == ForecastStatus::Returned)
    {
        return AnsvarState::Returned;
    }
    if forecasts.len() >= cells {
        if forecasts
            .iter()
            .all(|f| f.status == ForecastStatus::Accepted)
        {
            return AnsvarState::Accepted;
        }
        if forecasts.iter().all(|f| {
            matches!(
                f.status,
                ForecastStatus::Submitted | ForecastStatus::Accepted
            )
        }) {
            return AnsvarState::Submitted;
        }
    }
    AnsvarState::Draft
}

/// The overview of a round per ansvar, for pages and the API.
pub(crate) fn overview(
    user: &CurrentUser,
    round: &Round,
    sheet: &Sheet,
    forecasts: &[Forecast],
) -> Vec<Value> {
    sheet
        .ansvar()
        .into_iter()
        .map(|a| {
            let cells = sheet.cells_of(&a).count();
            let mine: Vec<&Forecast> = forecasts.iter().filter(|f| f.ansvar == a).collect();
            let state = ansvar_state(cells, &mine);
            let last = mine.iter().max_by_key(|f| f.updated_at);
            json!({
                "ansvar": a,
                "label": if a.is_empty() { "(utan ansvar)".to_string() } else { a.clone() },
                "href": format!("/rundor/{}/ansvar?{}", round.id, ansvar_query(&a)),
                "query": ansvar_query(&a),
                "cells": cells,
                "entered": mine.len(),
                "state": state.as_str(),
                "state_label": state.label(),
                "last_change": last.map(|f| format!("{} {}", format_time(f.updated_at), f.updated_by)),
                "can_edit": allowed(user, &Action::EditForecast { committee: round.committee_id, ansvar: a.clone() }),
            })
        })
        .collect()
}

fn ansvar_query(a: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("a", a)
        .finish()
}

// ---------------------------------------------------------------------------------------
// The list of rounds and opening one.

/// GET /rundor.
pub(crate) async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    flash: FlashIn,
) -> Result<Response, AppError> {
    let rounds: Vec<Value> = visible_rounds(&state, &user)
        .await?
        .iter()
        .map(round_json)
        .collect();
    // Packages a round can be opened for: current packages of committees the user may
    // open rounds for.
    let committees = state.store.committees().await?;
    let mut can_open = Vec::new();
    for p in state.store.packages().await? {
        if p.replaced {
            continue;
        }
        let Some(c) = committees.iter().find(|c| c.name == p.committee) else {
            continue;
        };
        if !allowed(&user, &Action::OpenRound { committee: c.id }) {
            continue;
        }
        // A round of the package's committee, year and period exists already: offer the
        // package only when its period is another (a later package of the year).
        let month = match round_report::package_of(&state, c.id, p.year).await {
            Ok(loaded) => loaded.package.config.through_month,
            Err(_) => continue,
        };
        let taken = rounds.iter().any(|r| {
            r["committee_id"] == c.id && r["year"] == p.year && r["through_month"] == month
        });
        if !taken {
            can_open.push(json!({"id": p.id, "committee": p.committee, "year": p.year}));
        }
    }
    render(
        &state,
        Some(&user),
        flash.0,
        "/rundor",
        "round/list.html",
        context! { rounds => rounds, packages => can_open },
    )
}

/// The rounds `user` may read, newest first.
pub(crate) async fn visible_rounds(
    state: &AppState,
    user: &CurrentUser,
) -> Result<Vec<Round>, AppError> {
    Ok(state
        .store
        .rounds()
        .await?
        .into_iter()
        .filter(|r| {
            allowed(
                user,
                &Action::ReadReport {
                    committee: r.committee_id,
                },
            )
        })
        .collect())
}

/// The form to open a round.
#[derive(Debug, Deserialize)]
pub(crate) struct OpenForm {
    package: i64,
    #[serde(default)]
    name: String,
}

/// Opens a round for the package's committee and period; the shared part of the page
/// and the API.
pub(crate) async fn open_round(
    state: &AppState,
    user: &CurrentUser,
    package_id: i64,
    name: &str,
) -> Result<Round, AppError> {
    let package = state
        .store
        .packages()
        .await?
        .into_iter()
        .find(|p| p.id == package_id && !p.replaced)
        .ok_or_else(|| {
            AppError::NotFound(format!("paket {package_id} finns inte eller är ersatt"))
        })?;
    let committee = state
        .store
        .committees()
        .await?
        .into_iter()
        .find(|c| c.name == package.committee)
        .ok_or_else(|| AppError::NotFound("nämnden finns inte".into()))?;
    authorize(
        user,
        &Action::OpenRound {
            committee: committee.id,
        },
    )?;
    let loaded = round_report::package_of(state, committee.id, package.year).await?;
    let month = loaded.package.config.through_month;
    let name = if name.trim().is_empty() {
        format!(
            "{} {} {}",
            loaded.package.config.report_name,
            month_name(month),
            package.year
        )
    } else {
        name.trim().to_string()
    };
    let actor = store_user(state, user).await?;
    Ok(state
        .store
        .open_round(&actor, committee.id, package.year, month, &name)
        .await?)
}

/// The stored user behind the request (for the store's audit entries).
pub(crate) async fn store_user(
    state: &AppState,
    user: &CurrentUser,
) -> Result<delar_store::User, AppError> {
    state
        .store
        .user(&user.name)
        .await?
        .filter(|u| u.active)
        .ok_or(AppError::Unauthenticated)
}

/// POST /rundor.
pub(crate) async fn open(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<OpenForm>,
) -> Result<Response, AppError> {
    let round = open_round(&state, &user, form.package, &form.name).await?;
    Ok(crate::auth::redirect_with_flash(
        &state,
        &format!("/rundor/{}", round.id),
        Flash::info(format!("Rundan \u{201d}{}\u{201d} är öppnad.", round.name)),
    ))
}

// ---------------------------------------------------------------------------------------
// A round's overview.

/// GET /rundor/{id}.
pub(crate) async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    flash: FlashIn,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let round = round_or_404(&state, id).await?;
    let committee = round.committee_id;
    authorize(&user, &Action::ReadReport { committee })?;
    let loaded = round_report::package_of(&state, committee, round.year).await?;
    let sheet = followup::sheet(&loaded.package);
    let forecasts = state.store.forecasts(id).await?;
    let ansvar = overview(&user, &round, &sheet, &forecasts);
    let missing = ansvar
        .iter()
        .filter(|a| a["state"] != "submitted" && a["state"] != "accepted")
        .count();
    let comments: Vec<Value> = state
        .store
        .comments(id)
        .await?
        .into_iter()
        .map(|c| {
            json!({
                "row": c.row_id, "ansvar": c.ansvar, "author": c.author, "body": c.body,
                "time": format_time(c.created_at),
            })
        })
        .collect();
    let archives: Vec<Value> = state
        .store
        .archives(id)
        .await?
        .into_iter()
        .map(|a| json!({"format": a.format, "sha256": a.sha256, "inputs_sha256": a.inputs_sha256, "size": a.size}))
        .collect();
    let open = round.status == RoundStatus::Open;
    let can = context! {
        review => open && allowed(&user, &Action::ReviewRound { committee }),
        lock => open && allowed(&user, &Action::LockRound { committee }),
        approve => round.status == RoundStatus::Locked && allowed(&user, &Action::ApproveRound { committee }),
    };
    render(
        &state,
        Some(&user),
        flash.0,
        "/rundor",
        "round/show.html",
        context! {
            round => round_json(&round),
            ansvar => ansvar,
            missing => missing,
            comments => comments,
            archives => archives,
            documents => DOCUMENTS,
            can => can,
        },
    )
}

/// The documents of a round's report, as `delar report` names them.
pub const DOCUMENTS: [&str; 8] = [
    "report.pdf",
    "report.html",
    "report.md",
    "report.xlsx",
    "report.json",
    "tjansteskrivelse.pdf",
    "tjansteskrivelse.html",
    "tjansteskrivelse.md",
];

// ---------------------------------------------------------------------------------------
// The forecast form of an ansvar.

/// `?a=ANSVAR`.
#[derive(Debug, Deserialize)]
pub(crate) struct AnsvarQuery {
    #[serde(default)]
    a: String,
}

/// A row of the form as shown.
struct FormRow {
    row: String,
    amount: String,
    comment: String,
    version: Option<i64>,
}

/// A problem with a row, shown beside it.
#[derive(Default)]
struct RowProblems {
    by_row: BTreeMap<String, Vec<String>>,
    general: Vec<String>,
}

/// Renders the ansvar page with what was entered (after a refused save) or what is
/// stored.
#[allow(clippy::too_many_arguments)]
async fn ansvar_page(
    state: &AppState,
    user: &CurrentUser,
    flash: Vec<Flash>,
    round: &Round,
    ansvar: &str,
    entered: Option<&[FormRow]>,
    problems: &RowProblems,
    status: StatusCode,
) -> Result<Response, AppError> {
    let committee = round.committee_id;
    let loaded = round_report::package_of(state, committee, round.year).await?;
    let sheet = followup::sheet(&loaded.package);
    let cells: Vec<_> = sheet.cells_of(ansvar).collect();
    if cells.is_empty() {
        return Err(AppError::NotFound(format!(
            "ansvar \u{201d}{ansvar}\u{201d} har inga rader i rundan"
        )));
    }
    let forecasts = state.store.forecasts(round.id).await?;
    let previous = match state.store.previous_round(round).await? {
        Some(p) => state.store.forecasts(p.id).await?,
        None => Vec::new(),
    };
    let config = &loaded.package.config;
    let mine: Vec<&Forecast> = forecasts.iter().filter(|f| f.ansvar == ansvar).collect();
    let editable_status = mine.iter().all(|f| f.status.editable());
    let may_edit = allowed(
        user,
        &Action::EditForecast {
            committee,
            ansvar: ansvar.to_string(),
        },
    );
    let editable = round.status == RoundStatus::Open && may_edit && editable_status;
    let rows: Vec<Value> = cells
        .iter()
        .map(|c| {
            let label = row_label(config, &c.row);
            let stored = mine.iter().find(|f| f.row_id == c.row);
            let last = previous
                .iter()
                .find(|f| f.row_id == c.row && f.ansvar == ansvar)
                .map(|f| f.amount_ore)
                .or(c.package_forecast);
            let shown = entered.and_then(|e| e.iter().find(|r| r.row == c.row));
            // Without a forecast of its own the field shows what the report uses for the
            // cell now, so saving it unchanged changes nothing: the last forecast; else,
            // in a row the package forecasts for other ansvar, zero (the report sums the
            // row's lines); else the budget (the report's rule for rows without lines).
            let row_has_lines = sheet
                .cells
                .iter()
                .any(|x| x.row == c.row && x.package_forecast.is_some());
            let current = last.unwrap_or(if row_has_lines { 0 } else { c.budget });
            let (amount, comment, version) = match (shown, stored) {
                (Some(e), _) => (e.amount.clone(), e.comment.clone(), e.version),
                (None, Some(f)) => (kr(f.amount_ore), f.comment.clone(), Some(f.version)),
                (None, None) => (
                    kr(current),
                    if last.is_some() { c.package_comment.clone() } else { String::new() },
                    None,
                ),
            };
            json!({
                "row": c.row,
                "label": label,
                "outcome": kr(c.outcome),
                "outcome_href": drill_href(round.id, &c.row, Some(ansvar), false),
                "budget": kr(c.budget),
                "budget_ore": c.budget,
                "last": last.map(kr),
                "run_rate": kr(c.run_rate),
                "pattern": c.pattern.map(kr),
                "amount": amount,
                "comment": comment,
                "version": version,
                "status": stored.map(|f| f.status.label()),
                "updated": stored.map(|f| format!("{} {}", format_time(f.updated_at), f.updated_by)),
                "history_href": format!("/rundor/{}/historik?{}", round.id,
                    form_urlencoded::Serializer::new(String::new()).append_pair("rad", &c.row).append_pair("a", ansvar).finish()),
                "problems": problems.by_row.get(&c.row).cloned().unwrap_or_default(),
            })
        })
        .collect();
    let comments: Vec<Value> = state
        .store
        .comments(round.id)
        .await?
        .into_iter()
        .filter(|c| c.ansvar.as_deref() == Some(ansvar))
        .map(|c| json!({"row": c.row_id, "author": c.author, "body": c.body, "time": format_time(c.created_at)}))
        .collect();
    let state_now = ansvar_state(cells.len(), &mine);
    let can_review =
        round.status == RoundStatus::Open && allowed(user, &Action::ReviewRound { committee });
    let mut response = render(
        state,
        Some(user),
        flash,
        "/rundor",
        "round/ansvar.html",
        context! {
            round => round_json(round),
            ansvar => ansvar,
            ansvar_label => if ansvar.is_empty() { "(utan ansvar)" } else { ansvar },
            query => ansvar_query(ansvar),
            rows => rows,
            comments => comments,
            editable => editable,
            may_edit => may_edit,
            state => state_now.as_str(),
            state_label => state_now.label(),
            can_review => can_review,
            can_comment => round.status == RoundStatus::Open && (may_edit || can_review),
            problems => problems.general.clone(),
            month => month_name(round.through_month),
        },
    )?;
    *response.status_mut() = status;
    Ok(response)
}

/// GET /rundor/{id}/ansvar?a=ANSVAR.
pub(crate) async fn ansvar(
    State(state): State<AppState>,
    user: CurrentUser,
    flash: FlashIn,
    Path(id): Path<i64>,
    Query(q): Query<AnsvarQuery>,
) -> Result<Response, AppError> {
    let round = readable_round(&state, &user, id).await?;
    ansvar_page(
        &state,
        &user,
        flash.0,
        &round,
        &q.a,
        None,
        &RowProblems::default(),
        StatusCode::OK,
    )
    .await
}

/// POST /rundor/{id}/ansvar?a=ANSVAR: fields `row`, `amount`, `comment`, `version` per
/// row (in order, repeated), and `action` = `spara` or `skicka`.
pub(crate) async fn save_ansvar(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<AnsvarQuery>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let round = round_or_404(&state, id).await?;
    let ansvar = q.a;
    authorize(
        &user,
        &Action::EditForecast {
            committee: round.committee_id,
            ansvar: ansvar.clone(),
        },
    )?;
    // Rows in the order of the form: each starts with its `row` field.
    let mut rows: Vec<FormRow> = Vec::new();
    let mut action = String::new();
    for (k, v) in fields {
        match k.as_str() {
            "row" => rows.push(FormRow {
                row: v,
                amount: String::new(),
                comment: String::new(),
                version: None,
            }),
            "amount" | "comment" | "version" => {
                let Some(r) = rows.last_mut() else {
                    return Err(AppError::Invalid(
                        "formuläret är trasigt: ladda om sidan".into(),
                    ));
                };
                match k.as_str() {
                    "amount" => r.amount = v,
                    "comment" => r.comment = v,
                    _ => r.version = v.parse().ok(),
                }
            }
            "action" => action = v,
            _ => {}
        }
    }
    let submit = action == "skicka";
    let outcome = save_rows(&state, &user, &round, &ansvar, &rows, submit).await?;
    match outcome {
        SaveOutcome::Done(message) => Ok(crate::auth::redirect_with_flash(
            &state,
            &format!("/rundor/{id}/ansvar?{}", ansvar_query(&ansvar)),
            Flash::info(message),
        )),
        SaveOutcome::Refused {
            problems,
            status,
            rows,
        } => {
            ansvar_page(
                &state,
                &user,
                vec![Flash::error(
                    "Allt sparades inte: se meddelandena vid raderna nedan.",
                )],
                &round,
                &ansvar,
                Some(&rows),
                &problems,
                status,
            )
            .await
        }
    }
}

/// Why an ansvar's forecasts cannot be submitted, per row: every cell needs a forecast,
/// and a deviation from budget needs a comment. Shared by the form and the API.
pub(crate) fn submit_problems(
    sheet: &Sheet,
    stored: &[Forecast],
    ansvar: &str,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for c in sheet.cells_of(ansvar) {
        match stored
            .iter()
            .find(|f| f.row_id == c.row && f.ansvar == ansvar)
        {
            None => out.push((c.row.clone(), "prognos saknas: fyll i och spara".into())),
            Some(f) => {
                if let Some(p) = followup::forecast_problem(c.budget, f.amount_ore, &f.comment) {
                    out.push((c.row.clone(), p));
                }
            }
        }
    }
    out
}

enum SaveOutcome {
    Done(String),
    Refused {
        problems: RowProblems,
        status: StatusCode,
        rows: Vec<FormRow>,
    },
}

/// Saves the rows of an ansvar (and submits them when `submit`): amounts are parsed,
/// every row must be a cell of the ansvar, conflicts come back with the other's value.
async fn save_rows(
    state: &AppState,
    user: &CurrentUser,
    round: &Round,
    ansvar: &str,
    rows: &[FormRow],
    submit: bool,
) -> Result<SaveOutcome, AppError> {
    let loaded = round_report::package_of(state, round.committee_id, round.year).await?;
    let sheet = followup::sheet(&loaded.package);
    let mut problems = RowProblems::default();
    let mut inputs = Vec::new();
    for r in rows {
        if sheet.cell(&r.row, ansvar).is_none() {
            return Err(AppError::Invalid(format!(
                "raden \u{201d}{}\u{201d} finns inte för ansvar \u{201d}{ansvar}\u{201d}",
                r.row
            )));
        }
        match parse_ore(&r.amount) {
            Ok(amount) => inputs.push(ForecastInput {
                row_id: r.row.clone(),
                ansvar: ansvar.to_string(),
                amount_ore: amount,
                comment: r.comment.trim().to_string(),
                expected_version: r.version,
            }),
            Err(e) => problems.by_row.entry(r.row.clone()).or_default().push(format!(
                "prognosen kunde inte läsas: {e}; skriv kronor, till exempel 1 250 000 eller -1250000,50"
            )),
        }
    }
    let actor = store_user(state, user).await?;
    let saved = state
        .store
        .save_forecasts(&actor, round.id, &inputs)
        .await?;
    let mut rows_out: Vec<FormRow> = rows
        .iter()
        .map(|r| FormRow {
            row: r.row.clone(),
            amount: r.amount.clone(),
            comment: r.comment.clone(),
            version: r.version,
        })
        .collect();
    let mut conflict = false;
    for s in &saved {
        match s {
            Saved::Saved(f) => {
                if let Some(r) = rows_out.iter_mut().find(|r| r.row == f.row_id) {
                    r.version = Some(f.version);
                }
            }
            Saved::Conflict { mine, theirs } => {
                conflict = true;
                problems.by_row.entry(mine.row_id.clone()).or_default().push(format!(
                    "{} ändrade prognosen {} till {} kr{} medan du skrev; ditt värde ({} kr) sparades inte. \
                     Jämför, ändra vid behov och spara igen för att ersätta deras värde.",
                    theirs.updated_by,
                    format_time(theirs.updated_at),
                    kr(theirs.amount_ore),
                    if theirs.comment.is_empty() { String::new() } else { format!(" med kommentaren \u{201d}{}\u{201d}", theirs.comment) },
                    kr(mine.amount_ore),
                ));
                // Saving again replaces their value knowingly.
                if let Some(r) = rows_out.iter_mut().find(|r| r.row == mine.row_id) {
                    r.version = Some(theirs.version);
                }
            }
            Saved::NotEditable(f) => {
                problems
                    .by_row
                    .entry(f.row_id.clone())
                    .or_default()
                    .push(format!(
                        "prognosen är {} och kan inte ändras; be controllern lämna tillbaka den",
                        f.status.label()
                    ));
            }
        }
    }
    if !problems.by_row.is_empty() {
        return Ok(SaveOutcome::Refused {
            problems,
            status: if conflict {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            },
            rows: rows_out,
        });
    }
    if !submit {
        return Ok(SaveOutcome::Done("Prognoserna är sparade (utkast).".into()));
    }
    // Submitting: every cell has a forecast, and a deviation from budget is explained.
    let stored = state.store.forecasts(round.id).await?;
    for (row, p) in submit_problems(&sheet, &stored, ansvar) {
        problems.by_row.entry(row).or_default().push(p);
    }
    if !problems.by_row.is_empty() {
        problems
            .general
            .push("Prognoserna sparades som utkast men skickades inte in.".into());
        return Ok(SaveOutcome::Refused {
            problems,
            status: StatusCode::UNPROCESSABLE_ENTITY,
            rows: rows_out,
        });
    }
    use ForecastStatus::*;
    state
        .store
        .set_forecast_status(
            &actor,
            round.id,
            ansvar,
            &[Draft, Returned],
            Submitted,
            None,
        )
        .await?;
    Ok(SaveOutcome::Done(
        "Prognoserna är sparade och inskickade till controllern.".into(),
    ))
}

// ---------------------------------------------------------------------------------------
// Review, comments, lock, decision.

/// The controller's review of an ansvar.
#[derive(Debug, Deserialize)]
pub(crate) struct ReviewForm {
    action: String,
    #[serde(default)]
    comment: String,
}

/// Returns or accepts the submitted forecasts of an ansvar; shared by the page and the
/// API. Returns the number of forecasts changed.
pub(crate) async fn review(
    state: &AppState,
    user: &CurrentUser,
    round: &Round,
    ansvar: &str,
    action: &str,
    comment: &str,
) -> Result<(u64, &'static str), AppError> {
    use ForecastStatus::*;
    let committee = round.committee_id;
    let (from, to, done): (&[ForecastStatus], _, _) = match action {
        "submit" | "skicka" => {
            authorize(
                user,
                &Action::EditForecast {
                    committee,
                    ansvar: ansvar.to_string(),
                },
            )?;
            (&[Draft, Returned], Submitted, "inskickade")
        }
        "return" | "aterlamna" => {
            authorize(user, &Action::ReviewRound { committee })?;
            if comment.trim().is_empty() {
                return Err(AppError::Invalid(
                    "skriv en kommentar som säger vad som ska ändras när du lämnar tillbaka".into(),
                ));
            }
            (&[Submitted, Accepted], Returned, "återlämnade")
        }
        "accept" | "godkann" => {
            authorize(user, &Action::ReviewRound { committee })?;
            (&[Submitted], Accepted, "godkända")
        }
        other => {
            return Err(AppError::Invalid(format!(
                "okänd åtgärd \u{201d}{other}\u{201d}: submit, return eller accept"
            )))
        }
    };
    let actor = store_user(state, user).await?;
    let comment = Some(comment).filter(|c| !c.trim().is_empty());
    let n = state
        .store
        .set_forecast_status(&actor, round.id, ansvar, from, to, comment)
        .await?;
    if n == 0 {
        return Err(AppError::Conflict(format!(
            "inga prognoser för ansvar \u{201d}{ansvar}\u{201d} kunde bli {done}: status har ändrats; ladda om sidan"
        )));
    }
    Ok((n, done))
}

/// POST /rundor/{id}/granska?a=ANSVAR.
pub(crate) async fn review_ansvar(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<AnsvarQuery>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, AppError> {
    let round = round_or_404(&state, id).await?;
    let (n, done) = review(&state, &user, &round, &q.a, &form.action, &form.comment).await?;
    Ok(crate::auth::redirect_with_flash(
        &state,
        &format!("/rundor/{id}/ansvar?{}", ansvar_query(&q.a)),
        Flash::info(format!("{n} prognoser är {done}.")),
    ))
}

/// A comment.
#[derive(Debug, Deserialize)]
pub(crate) struct CommentForm {
    #[serde(default)]
    row: String,
    #[serde(default)]
    ansvar: Option<String>,
    body: String,
}

/// Adds a comment; shared by the page and the API.
pub(crate) async fn comment(
    state: &AppState,
    user: &CurrentUser,
    round: &Round,
    row: Option<&str>,
    ansvar: Option<&str>,
    body: &str,
) -> Result<(), AppError> {
    let committee = round.committee_id;
    let may = allowed(user, &Action::ReviewRound { committee })
        || ansvar.is_some_and(|a| {
            allowed(
                user,
                &Action::EditForecast {
                    committee,
                    ansvar: a.to_string(),
                },
            )
        });
    if !may {
        // The access layer's message for the action the user would need.
        authorize(user, &Action::ReviewRound { committee })?;
    }
    let actor = store_user(state, user).await?;
    state
        .store
        .add_comment(&actor, round.id, row, ansvar, body)
        .await?;
    Ok(())
}

/// POST /rundor/{id}/kommentar.
pub(crate) async fn add_comment(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<CommentForm>,
) -> Result<Response, AppError> {
    let round = round_or_404(&state, id).await?;
    let row = Some(form.row.as_str()).filter(|r| !r.is_empty());
    comment(
        &state,
        &user,
        &round,
        row,
        form.ansvar.as_deref(),
        &form.body,
    )
    .await?;
    let back = match &form.ansvar {
        Some(a) => format!("/rundor/{id}/ansvar?{}", ansvar_query(a)),
        None => format!("/rundor/{id}"),
    };
    Ok(crate::auth::redirect_with_flash(
        &state,
        &back,
        Flash::info("Kommentaren är sparad."),
    ))
}

/// A form carrying the round's version.
#[derive(Debug, Deserialize)]
pub(crate) struct VersionForm {
    version: i64,
}

/// Locks a round made from `version`: builds the report from the forecasts as they are,
/// makes every document and archives them with the inputs' SHA-256, in one transaction.
pub(crate) async fn lock(
    state: &AppState,
    user: &CurrentUser,
    round: &Round,
    version: i64,
) -> Result<Round, AppError> {
    authorize(
        user,
        &Action::LockRound {
            committee: round.committee_id,
        },
    )?;
    if round.status != RoundStatus::Open || round.version != version {
        return Err(lock_conflict(round));
    }
    let built = round_report::round_report(state, round, Freshness::Exact).await?;
    let files = round_report::documents(built.report.clone()).await?;
    let actor = store_user(state, user).await?;
    match state
        .store
        .lock_round(&actor, round.id, version, &files, &built.inputs_sha256)
        .await?
    {
        RoundChange::Done(r) => Ok(r),
        RoundChange::Conflict(now) => Err(lock_conflict(&now)),
    }
}

fn lock_conflict(now: &Round) -> AppError {
    AppError::Conflict(format!(
        "rundan ändrades medan sidan visades (den är nu {}, version {}): en prognos eller status \
         har ändrats. Ladda om sidan, se över ändringarna och lås igen.",
        now.status.label(),
        now.version
    ))
}

/// POST /rundor/{id}/las.
pub(crate) async fn lock_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<VersionForm>,
) -> Result<Response, AppError> {
    let round = round_or_404(&state, id).await?;
    let locked = lock(&state, &user, &round, form.version).await?;
    Ok(crate::auth::redirect_with_flash(
        &state,
        &format!("/rundor/{id}"),
        Flash::info(format!(
            "Rundan \u{201d}{}\u{201d} är låst och rapporten arkiverad.",
            locked.name
        )),
    ))
}

/// The committee's decision.
#[derive(Debug, Deserialize)]
pub(crate) struct DecisionForm {
    version: i64,
    date: String,
    paragraph: String,
}

/// Records the decision; shared by the page and the API.
pub(crate) async fn decide(
    state: &AppState,
    user: &CurrentUser,
    round: &Round,
    version: i64,
    date: &str,
    paragraph: &str,
) -> Result<Round, AppError> {
    authorize(
        user,
        &Action::ApproveRound {
            committee: round.committee_id,
        },
    )?;
    if round.status != RoundStatus::Locked {
        return Err(AppError::Conflict(format!(
            "rundan är {}; beslut registreras på en låst runda",
            round.status.label()
        )));
    }
    let actor = store_user(state, user).await?;
    match state
        .store
        .approve_round(&actor, round.id, version, date, paragraph)
        .await?
    {
        RoundChange::Done(r) => Ok(r),
        RoundChange::Conflict(now) => Err(AppError::Conflict(format!(
            "rundan ändrades medan sidan visades (den är nu {}); ladda om sidan",
            now.status.label()
        ))),
    }
}

/// POST /rundor/{id}/beslut.
pub(crate) async fn decision_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, AppError> {
    let round = round_or_404(&state, id).await?;
    decide(
        &state,
        &user,
        &round,
        form.version,
        &form.date,
        &form.paragraph,
    )
    .await?;
    Ok(crate::auth::redirect_with_flash(
        &state,
        &format!("/rundor/{id}"),
        Flash::info("Nämndens beslut är registrerat; rundan är godkänd."),
    ))
}

// ---------------------------------------------------------------------------------------
// The report, downloads, the rows behind a figure, history.

/// GET /rundor/{id}/rapport: the report as `delar report` writes it, live for an open
/// round, with each outcome figure linked to the ledger rows behind it.
pub(crate) async fn report_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let round = readable_round(&state, &user, id).await?;
    let built =
        round_report::round_report(&state, &round, Freshness::ForReader(&user.name)).await?;
    Ok((
        [
            (CONTENT_TYPE, "text/html; charset=utf-8"),
            (CACHE_CONTROL, "no-store"),
        ],
        axum::body::Body::from(axum::body::Bytes::copy_from_slice(built.html.as_bytes())),
    )
        .into_response())
}

/// The bytes of a document of a round: archived for a locked round, made now for an open
/// one.
pub(crate) async fn document_bytes(
    state: &AppState,
    round: &Round,
    file: &str,
) -> Result<Vec<u8>, AppError> {
    if !DOCUMENTS.contains(&file) {
        return Err(AppError::NotFound(format!(
            "rapporten har ingen fil \u{201d}{file}\u{201d}; filerna är {}",
            DOCUMENTS.join(", ")
        )));
    }
    if round.status != RoundStatus::Open {
        return state
            .store
            .archive_file(round.id, file)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("arkivet saknar {file}")));
    }
    let built = round_report::round_report(state, round, Freshness::Exact).await?;
    let report = built.report.clone();
    let name = file.to_string();
    tokio::task::spawn_blocking(move || {
        use delar_render::documents::{documents, Format};
        let format = match name.as_str() {
            "report.pdf" | "tjansteskrivelse.pdf" => Format::Pdf,
            "report.html" => Format::Html,
            "report.md" => Format::Md,
            "report.xlsx" => Format::Xlsx,
            "report.json" => Format::Json,
            _ => Format::Memo,
        };
        documents(&report, &[format]).map(|files| {
            files
                .into_iter()
                .find(|(n, _)| *n == name)
                .map(|(_, b)| b)
                .unwrap_or_default()
        })
    })
    .await
    .map_err(|e| AppError::Internal(format!("document task: {e}")))?
    .map_err(|e| AppError::Internal(e.to_string()))
}

/// GET /rundor/{id}/filer/{file}.
pub(crate) async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, file)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let round = readable_round(&state, &user, id).await?;
    let bytes = document_bytes(&state, &round, &file).await?;
    Ok(file_response(&file, bytes))
}

/// A download response.
pub(crate) fn file_response(file: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (
                CONTENT_TYPE,
                delar_render::documents::media_type(file).to_string(),
            ),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
            (CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// `?rad=ROW&ansvar=A&ar=fg`.
#[derive(Debug, Deserialize)]
pub(crate) struct DrillQuery {
    rad: String,
    #[serde(default)]
    ansvar: Option<String>,
    #[serde(default)]
    ar: String,
}

/// The ledger rows behind an outcome figure and their sum; shared by the page and the API.
pub(crate) async fn drill(
    state: &AppState,
    user: &CurrentUser,
    round: &Round,
    q: &DrillQuery,
) -> Result<Value, AppError> {
    authorize(
        user,
        &Action::ReadReport {
            committee: round.committee_id,
        },
    )?;
    let loaded = round_report::package_of(state, round.committee_id, round.year).await?;
    let config = &loaded.package.config;
    let Some(row) = config.rows.iter().find(|r| r.id == q.rad) else {
        return Err(AppError::NotFound(format!(
            "resultaträkningen har ingen rad \u{201d}{}\u{201d}",
            q.rad
        )));
    };
    let prior = q.ar == "fg";
    let path = if prior {
        config.ledger.prior.clone().ok_or_else(|| {
            AppError::NotFound("paketet har ingen huvudbok för föregående år".into())
        })?
    } else {
        config.ledger.current.clone()
    };
    let bytes = loaded
        .files
        .files
        .get(&path)
        .cloned()
        .ok_or_else(|| AppError::NotFound(format!("paketet saknar {path}")))?;
    let package = loaded.package.clone();
    let (row_id, ansvar) = (q.rad.clone(), q.ansvar.clone());
    let p2 = path.clone();
    let lines = tokio::task::spawn_blocking(move || {
        followup::ledger_lines(
            &package.config,
            &p2,
            &bytes,
            &Drill {
                row: &row_id,
                ansvar: ansvar.as_deref(),
                prior,
            },
        )
    })
    .await
    .map_err(|e| AppError::Internal(format!("ledger task: {e}")))?
    .map_err(|e| AppError::Invalid(e.to_string()))?;
    let total: i64 = lines.iter().map(|l| l.amount).sum();
    let year = if prior { round.year - 1 } else { round.year };
    Ok(json!({
        "round": round_json(round),
        "row": row.id,
        "label": row.label,
        "contribution": row.kind == delar_core::config::RowKindConfig::Contribution,
        "ansvar": q.ansvar,
        "year": year,
        "ledger": path,
        "period": format!("januari–{} {year}", month_name(round.through_month)),
        "total_ore": total,
        "total": kr(total),
        "total_tkr": delar_core::money::ore_to_tkr(total),
        "lines": lines.iter().map(|l| json!({
            "account": l.account, "ansvar": l.ansvar, "objects": l.objects, "voucher": l.voucher,
            "date": l.date, "text": l.text, "amount_ore": l.amount, "amount": kr(l.amount), "line": l.line,
        })).collect::<Vec<_>>(),
    }))
}

/// GET /rundor/{id}/utfall?rad=ROW[&ansvar=A][&ar=fg].
pub(crate) async fn drill_page(
    State(state): State<AppState>,
    user: CurrentUser,
    flash: FlashIn,
    Path(id): Path<i64>,
    Query(q): Query<DrillQuery>,
) -> Result<Response, AppError> {
    let round = round_or_404(&state, id).await?;
    let data = drill(&state, &user, &round, &q).await?;
    render(
        &state,
        Some(&user),
        flash.0,
        "/rundor",
        "round/drill.html",
        context! { d => data },
    )
}

/// `?rad=ROW&a=ANSVAR`.
#[derive(Debug, Deserialize)]
pub(crate) struct HistoryQuery {
    rad: String,
    #[serde(default)]
    a: String,
}

/// The audit entries of one cell, oldest first: its forecast and comments, and the
/// status changes and comments of its ansvar (submit, return, accept), each with the
/// values before and after in words.
pub(crate) async fn cell_history(
    state: &AppState,
    round: &Round,
    row: &str,
    ansvar: &str,
) -> Result<Vec<Value>, AppError> {
    let mut entries = Vec::new();
    for entity in [
        forecast_entity(round.id, row, ansvar),
        format!("ansvar:{}/{ansvar}", round.id),
    ] {
        let found = state
            .store
            .audit_query(&AuditFilter {
                entity: Some(entity.clone()),
                ..AuditFilter::default()
            })
            .await?;
        // The filter is a prefix; keep this entity only.
        entries.extend(found.into_iter().filter(|e| e.entity == entity));
    }
    entries.sort_by_key(|e| e.id);
    Ok(entries
        .iter()
        .map(|e| {
            let mut v = crate::audit_pages::entry_json(e);
            v["what"] = Value::from(action_label(&e.action));
            v["before"] = Value::from(describe_value(e.old_value.as_deref()));
            v["after"] = Value::from(describe_value(e.new_value.as_deref()));
            v
        })
        .collect())
}

/// An audit action of a round in Swedish.
fn action_label(action: &str) -> &str {
    match action {
        "forecast.create" => "prognos lämnad",
        "forecast.update" => "prognos ändrad",
        "ansvar.status" => "status för ansvaret",
        "comment.add" => "kommentar",
        other => other,
    }
}

/// A stored audit value (JSON) in words: amount, status and comment where present;
/// the raw text otherwise.
fn describe_value(raw: Option<&str>) -> String {
    let Some(raw) = raw else {
        return "–".into();
    };
    let Ok(v) = serde_json::from_str::<Value>(raw) else {
        return raw.to_string();
    };
    let mut parts = Vec::new();
    if let Some(amount) = v["amount_ore"].as_i64() {
        parts.push(format!("{} kr", kr(amount)));
    }
    match &v["status"] {
        Value::String(s) => parts.push(format!("status {}", status_word(s))),
        Value::Array(list) => parts.push(format!(
            "status {}",
            list.iter()
                .filter_map(Value::as_str)
                .map(status_word)
                .collect::<Vec<_>>()
                .join(" eller ")
        )),
        _ => {}
    }
    if let Some(n) = v["forecasts"].as_i64() {
        parts.push(format!("{n} prognoser"));
    }
    if let Some(c) = v["comment"].as_str().filter(|c| !c.is_empty()) {
        parts.push(format!("kommentar \u{201d}{c}\u{201d}"));
    }
    if let Some(n) = v["version"].as_i64() {
        parts.push(format!("version {n}"));
    }
    if parts.is_empty() {
        raw.to_string()
    } else {
        parts.join(", ")
    }
}

fn status_word(s: &str) -> String {
    ForecastStatus::parse(s).map_or(s.to_string(), |st| st.label().to_string())
}

/// GET /rundor/{id}/historik?rad=ROW&a=ANSVAR.
pub(crate) async fn history_page(
    State(state): State<AppState>,
    user: CurrentUser,
    flash: FlashIn,
    Path(id): Path<i64>,
    Query(q): Query<HistoryQuery>,
) -> Result<Response, AppError> {
    let round = readable_round(&state, &user, id).await?;
    let entries = cell_history(&state, &round, &q.rad, &q.a).await?;
    let label = match round_report::package_of(&state, round.committee_id, round.year).await {
        Ok(loaded) => row_label(&loaded.package.config, &q.rad),
        Err(_) => q.rad.clone(),
    };
    render(
        &state,
        Some(&user),
        flash.0,
        "/rundor",
        "round/history.html",
        context! {
            round => round_json(&round),
            row => label,
            ansvar => q.a,
            query => ansvar_query(&q.a),
            entries => entries,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kronor_are_grouped_with_two_decimals() {
        assert_eq!(kr(0), "0,00");
        assert_eq!(kr(-641_900_000), "-6 419 000,00");
        assert_eq!(kr(123_456_789), "1 234 567,89");
        assert_eq!(kr(99_999), "999,99");
        // What is shown parses back to the same öre.
        for v in [0, 1, -1, 99_999, -641_900_000, 123_456_789] {
            assert_eq!(parse_ore(&kr(v)).unwrap(), v);
        }
    }
}
