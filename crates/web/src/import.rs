//! Import in the browser (`/import`, multipart upload of a zip) and by the API
//! (`POST /api/import`, the zip as the body): unpacked in memory
//! ([`crate::upload`]), read and checked by `delar_store::prepare_import` (a malformed
//! SIE gives the reader's `file:line:column` error and nothing is written), authorized
//! for the package's committee, then stored by `Store::import` in one transaction.

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::policy::{authorize, Action};
use crate::templates::{render, FlashIn};
use crate::upload::{read_body, unzip};
use crate::AppState;
use axum::body::Body;
use axum::extract::{FromRequest, Request, State};
use axum::response::Response;
use delar_store::ImportOutcome;
use minijinja::context;

/// What an import did, for the page and the API.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportResult {
    /// `imported` or `unchanged`.
    pub outcome: &'static str,
    /// The package's id.
    pub package_id: i64,
    /// The committee.
    pub committee: String,
    /// The year.
    pub year: i32,
    /// Files in the package.
    pub files: usize,
    /// The ledgers: (path, rows).
    pub ledgers: Vec<(String, usize)>,
    /// Ledger rows written now (0 when unchanged).
    pub rows_written: u64,
    /// The package of the same committee and year that this one replaced.
    pub replaced: Option<i64>,
}

/// Unpacks, checks, authorizes and imports a zip.
pub(crate) async fn import_zip(
    state: &AppState,
    user: &CurrentUser,
    zip: &[u8],
) -> Result<ImportResult, AppError> {
    authorize(user, &Action::OpenImport)?;
    let limits = state.config.upload_limits();
    let zip = zip.to_vec();
    // Unpacking and parsing the ledgers is CPU work: off the async workers.
    let prepared = tokio::task::spawn_blocking(move || {
        let files = unzip(&zip, &limits)?;
        delar_store::prepare_import(&files).map_err(AppError::from)
    })
    .await
    .map_err(|e| AppError::Internal(format!("import task: {e}")))??;
    let committee = state
        .store
        .committee_by_name(&prepared.committee)
        .await?
        .map(|c| c.id);
    authorize(user, &Action::ImportPackage { committee })?;
    let actor = user.name.clone();
    // Progress of a large ledger goes to the server's log (the request waits for the
    // one transaction to commit).
    let progress = |p: &delar_store::ImportProgress| {
        tracing::info!(
            "import av {}: {}: {} av {} rader skrivna",
            prepared.committee,
            p.path,
            p.rows_done,
            p.rows_total
        );
    };
    let outcome = state
        .store
        .import(&actor, &prepared, Some(&progress))
        .await?;
    let ledgers = prepared
        .ledgers
        .iter()
        .map(|l| (l.path.clone(), l.rows.len()))
        .collect();
    let (outcome, package_id, rows_written, replaced) = match outcome {
        ImportOutcome::Unchanged { package_id } => ("unchanged", package_id, 0, None),
        ImportOutcome::Imported {
            package_id,
            replaced,
            rows_written,
        } => ("imported", package_id, rows_written, replaced),
    };
    Ok(ImportResult {
        outcome,
        package_id,
        committee: prepared.committee.clone(),
        year: prepared.year,
        files: prepared.files.len(),
        ledgers,
        rows_written,
        replaced,
    })
}

/// GET /import: the upload form.
pub(crate) async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    flash: FlashIn,
) -> Result<Response, AppError> {
    authorize(&user, &Action::OpenImport)?;
    render(
        &state,
        Some(&user),
        flash.0,
        "/import",
        "import.html",
        context! { max_mb => state.config.max_upload_bytes / (1024 * 1024) },
    )
}

/// POST /import: the upload (multipart: `csrf` first, then `package`, a zip).
pub(crate) async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    req: Request,
) -> Result<Response, AppError> {
    authorize(&user, &Action::OpenImport)?;
    let (parts, body) = req.into_parts();
    let bytes = read_body(body, state.config.max_upload_bytes).await?;
    let req = Request::from_parts(parts, Body::from(bytes));
    let mut multipart = axum::extract::Multipart::from_request(req, &())
        .await
        .map_err(|_| {
            AppError::Invalid(
                "uppladdningen är inget formulär med en fil (multipart/form-data)".into(),
            )
        })?;
    let mut zip = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::Invalid(format!("uppladdningen kunde inte läsas: {e}")))?
    {
        if field.name() == Some("package") {
            let data = field
                .bytes()
                .await
                .map_err(|e| AppError::Invalid(format!("filen kunde inte läsas: {e}")))?;
            zip = Some(data);
        }
    }
    let zip = zip
        .filter(|z| !z.is_empty())
        .ok_or_else(|| AppError::Invalid("välj en zip-fil med paketet".into()))?;
    let (result, status) = match import_zip(&state, &user, &zip).await {
        Ok(r) => (Some(r), axum::http::StatusCode::OK),
        // Bad input is shown on the import page itself, with the form to try again.
        Err(e @ (AppError::Invalid(_) | AppError::TooLarge(_))) => {
            let status = e.status();
            let mut r = render(
                &state,
                Some(&user),
                vec![crate::templates::Flash::error(e.to_string())],
                "/import",
                "import.html",
                context! { max_mb => state.config.max_upload_bytes / (1024 * 1024), failed => true },
            )?;
            *r.status_mut() = status;
            return Ok(r);
        }
        Err(e) => return Err(e),
    };
    let mut r = render(
        &state,
        Some(&user),
        Vec::new(),
        "/import",
        "import.html",
        context! { max_mb => state.config.max_upload_bytes / (1024 * 1024), result => result },
    )?;
    *r.status_mut() = status;
    Ok(r)
}
