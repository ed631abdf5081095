//! The audit log in the browser: `/logg` (newest first, at most 500 entries, filtered
//! by entity prefix, actor and action) and `/logg.csv` (every selected entry, oldest
//! first). Who may read it is decided by `Action::ReadAudit` (admin, controller, reader).
//!
//! The CSV is RFC 4180 (fields with `;`, `"`, or line breaks quoted, quotes doubled,
//! CRLF line ends), UTF-8 with a byte-order mark and `;` as separator, which is what
//! Excel with Swedish settings opens directly (it uses `,` as the decimal mark). A cell
//! that would start with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
//! `'`, so a spreadsheet shows it as text instead of running it as a formula (CSV
//! injection); nothing else is changed.

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::policy::{authorize, Action};
use crate::templates::{format_time, render, FlashIn};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use delar_store::{AuditEntry, AuditFilter};
use minijinja::context;
use serde::Deserialize;

/// The most entries shown on the page.
pub const PAGE_LIMIT: i64 = 500;

/// The filter fields of the page, the CSV and the API.
#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    /// Entity prefix.
    #[serde(default)]
    pub entity: String,
    /// Actor.
    #[serde(default)]
    pub actor: String,
    /// Action.
    #[serde(default)]
    pub action: String,
}

impl AuditQuery {
    /// As a store filter.
    pub fn filter(&self, newest_first: bool, limit: Option<i64>) -> AuditFilter {
        let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        AuditFilter {
            entity: some(&self.entity),
            actor: some(&self.actor),
            action: some(&self.action),
            limit,
            newest_first,
        }
    }
}

/// An entry for pages and the API.
pub(crate) fn entry_json(e: &AuditEntry) -> serde_json::Value {
    serde_json::json!({
        "id": e.id,
        "at": e.at,
        "time": format_time(e.at),
        "actor": e.actor,
        "action": e.action,
        "entity": e.entity,
        "old_value": e.old_value,
        "new_value": e.new_value,
    })
}

/// GET /logg.
pub(crate) async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<AuditQuery>,
    flash: FlashIn,
) -> Result<Response, AppError> {
    authorize(&user, &Action::ReadAudit)?;
    let entries = state
        .store
        .audit_query(&q.filter(true, Some(PAGE_LIMIT + 1)))
        .await?;
    let more = entries.len() as i64 > PAGE_LIMIT;
    let entries: Vec<_> = entries
        .iter()
        .take(PAGE_LIMIT as usize)
        .map(entry_json)
        .collect();
    let actors = state.store.audit_actors().await?;
    let csv_query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("entity", q.entity.trim())
        .append_pair("actor", q.actor.trim())
        .append_pair("action", q.action.trim())
        .finish();
    render(
        &state,
        Some(&user),
        flash.0,
        "/logg",
        "audit.html",
        context! {
            entries => entries,
            more => more,
            limit => PAGE_LIMIT,
            actors => actors,
            q => context! { entity => q.entity.trim(), actor => q.actor.trim(), action => q.action.trim() },
            csv_query => csv_query,
        },
    )
}

/// A cell that a spreadsheet would not run as a formula.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The entries as CSV (see the module documentation).
pub fn audit_csv(entries: &[AuditEntry]) -> Result<Vec<u8>, AppError> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let fail = |e: csv::Error| AppError::Internal(format!("csv: {e}"));
        w.write_record([
            "nr",
            "tid",
            "tid_utc_mikrosekunder",
            "vem",
            "händelse",
            "gäller",
            "före",
            "efter",
        ])
        .map_err(fail)?;
        for e in entries {
            w.write_record([
                e.id.to_string(),
                format_time(e.at),
                e.at.to_string(),
                cell(&e.actor),
                cell(&e.action),
                cell(&e.entity),
                cell(e.old_value.as_deref().unwrap_or("")),
                cell(e.new_value.as_deref().unwrap_or("")),
            ])
            .map_err(fail)?;
        }
        w.flush()
            .map_err(|e| AppError::Internal(format!("csv: {e}")))?;
    }
    Ok(out)
}

/// GET /logg.csv.
pub(crate) async fn csv_export(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AppError> {
    authorize(&user, &Action::ReadAudit)?;
    let entries = state.store.audit_query(&q.filter(false, None)).await?;
    let body = audit_csv(&entries)?;
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                CONTENT_DISPOSITION,
                "attachment; filename=\"granskningslogg.csv\"",
            ),
            (CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_is_excel_friendly_and_safe() {
        let e = AuditEntry {
            id: 1,
            at: 1_693_915_200_000_000,
            actor: "=SUM(A1)".into(),
            action: "user.add".into(),
            entity: "user:a;b".into(),
            old_value: None,
            new_value: Some("{\"name\":\"x\"}".into()),
        };
        let text = String::from_utf8(audit_csv(&[e]).unwrap()).unwrap();
        assert!(text.starts_with('\u{feff}'));
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(
            lines[0],
            "nr;tid;tid_utc_mikrosekunder;vem;händelse;gäller;före;efter"
        );
        assert_eq!(
            lines[1],
            "1;2023-09-05 14:00;1693915200000000;'=SUM(A1);user.add;\"user:a;b\";;\"{\"\"name\"\":\"\"x\"\"}\""
        );
    }
}
