//! Import in the browser (`/import`, multipart upload of a zip) and by the API
//! (`POST /api/import`, the zip as the body): unpacked in memory
//! ([`crate::upload`]), read and checked by `delar_store::prepare_import` (a malformed
//! SIE gives the reader's `file:line:column` error and nothing is written), authorized
//! for the package's committee, then stored by `Store::import` in one transaction.
//!
//! An upload in the browser runs as a job ([`ImportJobs`]) that goes on by itself: the
//! request waits for it up to `Config::import_wait` and shows the outcome on the import
//! page; a longer import answers with `/import/{id}`, a page that shows the job's stage
//! and the rows written so far and refreshes itself (no JavaScript) until the outcome is
//! there. Jobs live in the server process that runs them; the outcome stays readable
//! for an hour. The API's import answers when the import is done.

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::policy::{authorize, Action};
use crate::templates::{render, FlashIn};
use crate::upload::{read_body, unzip};
use crate::AppState;
use axum::body::Body;
use axum::extract::{FromRequest, Path, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use delar_core::money::{format_thousands, group_thousands};
use delar_store::{ImportOutcome, ImportProgress};
use minijinja::context;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long the outcome of a finished browser import stays readable.
const KEEP_FINISHED: Duration = Duration::from_secs(3600);

/// Imports started in the browser, by id: their stage while they run, their outcome
/// when done.
#[derive(Debug, Default)]
pub(crate) struct ImportJobs {
    next: AtomicU64,
    jobs: Mutex<BTreeMap<u64, Job>>,
}

/// One import started in the browser.
#[derive(Debug, Clone)]
struct Job {
    /// The user who started it (only they see it).
    owner: i64,
    started: Instant,
    /// Size of the upload in bytes.
    upload_bytes: usize,
    stage: Stage,
    finished: Option<Instant>,
    outcome: Option<Result<ImportResult, AppError>>,
}

/// Where a running import is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Stage {
    /// Unpacking the zip and reading and checking the package (no rows written yet):
    /// the loader's last message ("läser huvudbok/huvudbok-2023.se …").
    Reading(Option<String>),
    /// Writing the rows of a ledger.
    Writing {
        /// The ledger's path in the package.
        path: String,
        /// Rows of it written.
        done: u64,
        /// Rows of it in all.
        total: u64,
        /// The ledgers written before it: path and rows.
        written: Vec<(String, u64)>,
    },
}

impl ImportJobs {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, Job>> {
        // A panic while holding the lock leaves plain data behind: keep using it.
        self.jobs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Registers a new job of `owner`, and forgets finished jobs older than an hour.
    fn start(&self, owner: i64, upload_bytes: usize) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let mut jobs = self.lock();
        jobs.retain(|_, j| j.finished.is_none_or(|t| t.elapsed() < KEEP_FINISHED));
        jobs.insert(
            id,
            Job {
                owner,
                started: Instant::now(),
                upload_bytes,
                stage: Stage::Reading(None),
                finished: None,
                outcome: None,
            },
        );
        id
    }

    fn progress(&self, id: u64, p: &ImportProgress) {
        if let Some(job) = self.lock().get_mut(&id) {
            let written = match std::mem::replace(&mut job.stage, Stage::Reading(None)) {
                Stage::Writing {
                    path,
                    total,
                    mut written,
                    ..
                } => {
                    if path != p.path {
                        written.push((path, total));
                    }
                    written
                }
                Stage::Reading(_) => Vec::new(),
            };
            job.stage = Stage::Writing {
                path: p.path.clone(),
                done: p.rows_done,
                total: p.rows_total,
                written,
            };
        }
    }

    /// What reading and checking the package is doing now.
    fn reading(&self, id: u64, message: &str) {
        if let Some(job) = self.lock().get_mut(&id) {
            if let Stage::Reading(m) = &mut job.stage {
                *m = Some(message.to_string());
            }
        }
    }

    fn finish(&self, id: u64, outcome: Result<ImportResult, AppError>) {
        if let Some(job) = self.lock().get_mut(&id) {
            job.finished = Some(Instant::now());
            job.outcome = Some(outcome);
        }
    }

    /// The job `id` if `user` started it.
    fn get(&self, id: u64, user: i64) -> Option<Job> {
        self.lock().get(&id).filter(|j| j.owner == user).cloned()
    }

    /// Removes and returns the outcome of a finished job.
    fn take(&self, id: u64) -> Option<Result<ImportResult, AppError>> {
        self.lock().remove(&id).and_then(|j| j.outcome)
    }
}

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
    job: Option<u64>,
) -> Result<ImportResult, AppError> {
    authorize(user, &Action::OpenImport)?;
    let limits = state.config.upload_limits();
    let zip = zip.to_vec();
    // Unpacking and parsing the ledgers is CPU work: off the async workers. What the
    // loader reads goes to the browser job.
    let reading: Option<delar_core::ProgressFn> = job.map(|id| {
        let jobs = state.imports.clone();
        std::sync::Arc::new(move |p: &delar_core::Progress| jobs.reading(id, &p.message))
            as delar_core::ProgressFn
    });
    let prepared = tokio::task::spawn_blocking(move || {
        let files = unzip(&zip, &limits)?;
        delar_store::prepare_import_with(&files, reading.as_ref()).map_err(AppError::from)
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
    // Progress of a large ledger goes to the server's log and to the browser job.
    let progress = |p: &ImportProgress| {
        if let Some(id) = job {
            state.imports.progress(id, p);
        }
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
    let id = state.imports.start(user.id, zip.len());
    let task = tokio::spawn({
        let (state, user) = (state.clone(), user.clone());
        async move {
            let outcome = import_zip(&state, &user, &zip, Some(id)).await;
            state.imports.finish(id, outcome);
        }
    });
    match tokio::time::timeout(state.config.import_wait, task).await {
        Ok(joined) => {
            let outcome = state.imports.take(id);
            let outcome = match (joined, outcome) {
                (Ok(()), Some(outcome)) => outcome,
                (Err(e), _) => Err(AppError::Internal(format!("import task: {e}"))),
                (Ok(()), None) => Err(AppError::Internal("import job without outcome".into())),
            };
            outcome_page(&state, &user, outcome)
        }
        // Still running: follow it on its page.
        Err(_) => Ok(Redirect::to(&format!("/import/{id}")).into_response()),
    }
}

/// The import page with an import's outcome: the result, or the error above the form
/// for bad input (any other error is the error page).
fn outcome_page(
    state: &AppState,
    user: &CurrentUser,
    outcome: Result<ImportResult, AppError>,
) -> Result<Response, AppError> {
    let max_mb = state.config.max_upload_bytes / (1024 * 1024);
    match outcome {
        Ok(result) => render(
            state,
            Some(user),
            Vec::new(),
            "/import",
            "import.html",
            context! { max_mb, result },
        ),
        // Bad input is shown on the import page itself, with the form to try again.
        Err(e @ (AppError::Invalid(_) | AppError::TooLarge(_))) => {
            let mut r = render(
                state,
                Some(user),
                vec![crate::templates::Flash::error(e.to_string())],
                "/import",
                "import.html",
                context! { max_mb, failed => true },
            )?;
            *r.status_mut() = e.status();
            Ok(r)
        }
        Err(e) => Err(e),
    }
}

/// GET /import/{id}: a browser import's progress (the page refreshes itself every
/// second while it runs), then its outcome as on the import page.
pub(crate) async fn job_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<u64>,
) -> Result<Response, AppError> {
    authorize(&user, &Action::OpenImport)?;
    let job = state.imports.get(id, user.id).ok_or_else(|| {
        AppError::NotFound(format!(
            "import {id} finns inte här: den startades av någon annan, på en annan server, \
             eller blev klar för mer än en timme sedan (se paketen och granskningsloggen)"
        ))
    })?;
    if let Some(outcome) = job.outcome {
        return outcome_page(&state, &user, outcome);
    }
    let seconds = job.started.elapsed().as_secs();
    let stage = match &job.stage {
        Stage::Reading(message) => context! {
            reading => true,
            message,
            upload_mb => {
                let tenths = job.upload_bytes as u64 * 10 / (1024 * 1024);
                format!("{},{}", group_thousands(tenths / 10, ' '), tenths % 10)
            },
        },
        Stage::Writing {
            path,
            done,
            total,
            written,
        } => context! {
            path,
            written => written
                .iter()
                .map(|(path, rows)| context! { path, rows => format_thousands(*rows as i64) })
                .collect::<Vec<_>>(),
            done => format_thousands(*done as i64),
            total => format_thousands(*total as i64),
            done_raw => done,
            total_raw => total,
            committing => done == total,
        },
    };
    render(
        &state,
        Some(&user),
        Vec::new(),
        "/import",
        "import_progress.html",
        context! { id, seconds, ..stage },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_goes_from_reading_to_writing_and_only_its_owner_sees_it() {
        let jobs = ImportJobs::default();
        let id = jobs.start(7, 1024);
        assert_eq!(jobs.get(id, 7).unwrap().stage, Stage::Reading(None));
        assert!(jobs.get(id, 8).is_none());
        jobs.reading(id, "läser huvudbok/a.se …");
        assert_eq!(
            jobs.get(id, 7).unwrap().stage,
            Stage::Reading(Some("läser huvudbok/a.se …".into()))
        );
        let p = |path: &str, done, total| ImportProgress {
            path: path.into(),
            rows_done: done,
            rows_total: total,
        };
        jobs.progress(id, &p("a.se", 10, 20));
        jobs.progress(id, &p("a.se", 20, 20));
        // A late reading message does not take the job back.
        jobs.reading(id, "läser b.se …");
        jobs.progress(id, &p("b.se", 5, 9));
        assert_eq!(
            jobs.get(id, 7).unwrap().stage,
            Stage::Writing {
                path: "b.se".into(),
                done: 5,
                total: 9,
                written: vec![("a.se".into(), 20)],
            }
        );
        jobs.finish(id, Err(AppError::Invalid("nej".into())));
        assert!(jobs.get(id, 7).unwrap().outcome.is_some());
        assert!(jobs.take(id).is_some());
        assert!(jobs.get(id, 7).is_none());
    }
}
