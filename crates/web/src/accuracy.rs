//! Forecast accuracy (prognossäkerhet): each closed round's forecasts against the year's
//! outcome per row and ansvar ([`delar_core::followup::accuracy`]), as a table and a
//! chart (an SVG drawn by the template from the bar geometry computed here, so every
//! label is escaped like any other text). The outcome is that of the year's current
//! package: the whole year once the year-end package (period through December) is
//! imported, until then the months so far, and the page says which.
//!
//! Pages: `/prognossakerhet` (every closed round the user may read, with its weighted
//! deviation and a chart of them), `/rundor/{id}/prognossakerhet` (one round, per row
//! and ansvar); API: `/api/rounds/{id}/accuracy`.

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::policy::{authorize, Action};
use crate::round::{round_json, round_or_404, row_label, visible_rounds};
use crate::round_report::{self, LoadedPackage};
use crate::templates::{render, FlashIn};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use delar_core::followup::{self, Accuracy, RoundForecast};
use delar_core::money::{format_decimal, format_thousands, month_name, ore_to_tkr};
use delar_core::report::Rounding;
use delar_core::tables::split;
use delar_store::rounds::{Round, RoundStatus};
use minijinja::context;
use serde_json::{json, Value};
use std::sync::Arc;

/// Tenths of a percent as Swedish text ("12,3 %").
fn pct(tenths: Option<i64>) -> String {
    tenths.map_or("–".to_string(), |t| format!("{} %", format_decimal(t, 1)))
}

/// A round's accuracy, or an error when the round is still open.
async fn compute(
    state: &AppState,
    round: &Round,
) -> Result<(Accuracy, Arc<LoadedPackage>), AppError> {
    if round.status == RoundStatus::Open {
        return Err(AppError::Conflict(
            "rundan är öppen: prognossäkerheten jämför låsta rundors prognoser med årets utfall"
                .into(),
        ));
    }
    let loaded = round_report::package_of(state, round.committee_id, round.year).await?;
    let sheet = followup::sheet(&loaded.package);
    let forecasts: Vec<RoundForecast> = state
        .store
        .forecasts(round.id)
        .await?
        .into_iter()
        .map(|f| RoundForecast {
            row: f.row_id,
            ansvar: f.ansvar,
            amount: f.amount_ore,
            comment: f.comment,
        })
        .collect();
    Ok((followup::accuracy(&sheet, &forecasts), loaded))
}

/// One bar of the chart: `x`, `width` in the SVG's units (the zero line at `zero`).
fn bar(value: i64, max: i64, zero: i64, half: i64) -> (i64, i64) {
    if max == 0 {
        return (zero, 0);
    }
    let len = (i128::from(value.abs()) * i128::from(half) / i128::from(max)) as i64;
    if value < 0 {
        (zero - len, len)
    } else {
        (zero, len)
    }
}

/// The data of a round's accuracy for the page and the API: cells with labels and
/// formatted figures, totals, and the chart (forecast and outcome per row, in tkr,
/// summed over ansvar).
pub(crate) async fn round_accuracy(
    state: &AppState,
    user: &CurrentUser,
    round: &Round,
) -> Result<Value, AppError> {
    authorize(
        user,
        &Action::ReadReport {
            committee: round.committee_id,
        },
    )?;
    let (acc, loaded) = compute(state, round).await?;
    let label = |id: &str| row_label(&loaded.package.config, id);
    // Displayed in tkr so that the table adds up as displayed: each column's cells by
    // largest remainder inside its rounded total, the deviation as the displayed
    // difference.
    let forecast_exact: Vec<i64> = acc.cells.iter().map(|c| c.forecast).collect();
    let outcome_exact: Vec<i64> = acc.cells.iter().map(|c| c.outcome).collect();
    let total_forecast_tkr = ore_to_tkr(acc.total_forecast);
    let total_outcome_tkr = ore_to_tkr(acc.total_outcome);
    let forecast_tkr = split(Rounding::AddsUp, total_forecast_tkr, &forecast_exact);
    let outcome_tkr = split(Rounding::AddsUp, total_outcome_tkr, &outcome_exact);
    let cells: Vec<Value> = acc
        .cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            json!({
                "row": c.row,
                "label": label(&c.row),
                "ansvar": c.ansvar,
                "forecast_ore": c.forecast,
                "outcome_ore": c.outcome,
                "deviation_ore": c.deviation,
                "deviation_tenths_pct": c.deviation_tenths_pct,
                "forecast": format_thousands(forecast_tkr[i]),
                "outcome": format_thousands(outcome_tkr[i]),
                "deviation": format_thousands(forecast_tkr[i] - outcome_tkr[i]),
                "deviation_pct": pct(c.deviation_tenths_pct),
            })
        })
        .collect();
    // The chart: per row, forecast and outcome summed over ansvar, in the rows' order.
    let mut per_row: Vec<(String, i64, i64)> = Vec::new();
    for c in &acc.cells {
        match per_row.iter_mut().find(|(r, _, _)| *r == c.row) {
            Some(e) => {
                e.1 += c.forecast;
                e.2 += c.outcome;
            }
            None => per_row.push((c.row.clone(), c.forecast, c.outcome)),
        }
    }
    let max = per_row
        .iter()
        .map(|(_, f, o)| f.abs().max(o.abs()))
        .max()
        .unwrap_or(0);
    const ROW_HEIGHT: i64 = 44;
    const LEFT: i64 = 220;
    const WIDTH: i64 = 440;
    let zero = LEFT + WIDTH / 2;
    let bars: Vec<Value> = per_row
        .iter()
        .enumerate()
        .map(|(i, (row, f, o))| {
            let y = 10 + i as i64 * ROW_HEIGHT;
            let (fx, fw) = bar(*f, max, zero, WIDTH / 2);
            let (ox, ow) = bar(*o, max, zero, WIDTH / 2);
            json!({
                "label": label(row),
                "y": y, "label_y": y + 20,
                "forecast_x": fx, "forecast_w": fw, "forecast_y": y + 4,
                "outcome_x": ox, "outcome_w": ow, "outcome_y": y + 20,
                "forecast": format_thousands(ore_to_tkr(*f)),
                "outcome": format_thousands(ore_to_tkr(*o)),
            })
        })
        .collect();
    let height = 20 + per_row.len() as i64 * ROW_HEIGHT;
    Ok(json!({
        "round": round_json(round),
        "final": acc.is_final(),
        "through_month": acc.through_month,
        "through_month_name": month_name(acc.through_month),
        "cells": cells,
        "total_forecast_ore": acc.total_forecast,
        "total_outcome_ore": acc.total_outcome,
        "total_abs_deviation_ore": acc.total_abs_deviation,
        "total_abs_outcome_ore": acc.total_abs_outcome,
        "weighted_deviation_tenths_pct": acc.weighted_deviation_tenths_pct(),
        "total_forecast": format_thousands(total_forecast_tkr),
        "total_outcome": format_thousands(total_outcome_tkr),
        "total_deviation": format_thousands(total_forecast_tkr - total_outcome_tkr),
        "total_deviation_pct": pct(followup::tenths_pct(
            acc.total_forecast - acc.total_outcome,
            acc.total_outcome.abs()
        )),
        "weighted_deviation": pct(acc.weighted_deviation_tenths_pct()),
        "chart": {
            "width": LEFT + WIDTH + 20, "height": height, "zero": zero,
            "bars": bars, "bottom": height - 10,
        },
    }))
}

/// GET /rundor/{id}/prognossakerhet.
pub(crate) async fn round_page(
    State(state): State<AppState>,
    user: CurrentUser,
    flash: FlashIn,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let round = round_or_404(&state, id).await?;
    let data = round_accuracy(&state, &user, &round).await?;
    render(
        &state,
        Some(&user),
        flash.0,
        "/prognossakerhet",
        "round/accuracy.html",
        context! { d => data },
    )
}

/// GET /api/rounds/{id}/accuracy.
pub(crate) async fn round_api(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let round = round_or_404(&state, id).await?;
    Ok(Json(round_accuracy(&state, &user, &round).await?))
}

/// GET /prognossakerhet: every closed round the user may read, oldest first, with its
/// weighted deviation, and a chart of those.
pub(crate) async fn overview(
    State(state): State<AppState>,
    user: CurrentUser,
    flash: FlashIn,
) -> Result<Response, AppError> {
    let mut rounds = visible_rounds(&state, &user).await?;
    rounds.retain(|r| r.status != RoundStatus::Open);
    rounds.sort_by_key(|r| (r.committee.clone(), r.year, r.through_month, r.id));
    let mut out = Vec::new();
    for r in &rounds {
        let (acc, _) = compute(&state, r).await?;
        out.push((r, acc));
    }
    let max = out
        .iter()
        .filter_map(|(_, a)| a.weighted_deviation_tenths_pct())
        .max()
        .unwrap_or(0);
    const ROW_HEIGHT: i64 = 30;
    const LEFT: i64 = 300;
    const WIDTH: i64 = 360;
    let rows: Vec<Value> = out
        .iter()
        .enumerate()
        .map(|(i, (r, a))| {
            let tenths = a.weighted_deviation_tenths_pct();
            let w = match (tenths, max) {
                (Some(t), m) if m > 0 => t * WIDTH / m,
                _ => 0,
            };
            let y = 10 + i as i64 * ROW_HEIGHT;
            json!({
                "round": round_json(r),
                "final": a.is_final(),
                "through_month_name": month_name(a.through_month),
                "cells": a.cells.len(),
                "total_forecast": format_thousands(ore_to_tkr(a.total_forecast)),
                "total_outcome": format_thousands(ore_to_tkr(a.total_outcome)),
                "weighted_deviation": pct(tenths),
                "bar": {"y": y, "text_y": y + 15, "x": LEFT, "w": w, "end": LEFT + w + 6},
            })
        })
        .collect();
    let height = 20 + rows.len() as i64 * ROW_HEIGHT;
    render(
        &state,
        Some(&user),
        flash.0,
        "/prognossakerhet",
        "round/accuracy_list.html",
        context! {
            rows => rows,
            chart => context! { width => LEFT + WIDTH + 80, height => height, left => LEFT },
        },
    )
}
