//! The web application of delar: server-rendered pages in Swedish (minijinja templates
//! embedded in the binary, autoescaped, no JavaScript needed, one static style sheet),
//! sessions and login, the access layer, user administration, import by upload, the
//! audit log and a JSON API under `/api/`.
//!
//! - [`AppState`]: the store and the configuration; [`app`] builds the router;
//!   [`serve`] runs it until Ctrl-C or SIGTERM.
//! - [`policy`]: THE access layer (`Action`, `authorize`); every handler calls it.
//! - [`auth`]: [`auth::CurrentUser`] (session cookie or API token), login and logout.
//! - [`csrf`]: the request layer resolving the user and checking the CSRF token of
//!   every state-changing request made with the session cookie.
//! - [`headers`]: the security headers layer (CSP with the report style's hash).
//! - [`templates`]: rendering a page with `user`, `csrf_token`, `nav` and flashes.
//! - [`error`]: [`error::AppError`], a Swedish page or `{"error": …}` under `/api/`.
//! - [`upload`]: reading an upload within its limits and unpacking a zip safely.
//! - [`api`]: the JSON API and its OpenAPI document.
//! - [`round`]: the follow-up round's pages (rounds, forecasts per ansvar, review, lock,
//!   decision, the report with the ledger rows behind each figure, history);
//!   [`round_api`]: the same under `/api/rounds`; [`round_report`]: the round's report
//!   (package plus the round's forecasts), cached per set of inputs; `accuracy`: the
//!   forecast accuracy of closed rounds (prognossäkerhet).
#![deny(missing_docs)]

mod accuracy;
mod admin;
pub mod api;
pub mod audit_pages;
pub mod auth;
pub mod csrf;
pub mod error;
pub mod headers;
mod import;
mod pages;
pub mod policy;
pub mod round;
pub mod round_api;
pub mod round_report;
pub mod templates;
pub mod upload;

pub use auth::CurrentUser;
pub use error::AppError;
pub use import::ImportResult;
pub use policy::{authorize, Action};

use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::HeaderValue;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;
use delar_store::Store;
use std::sync::Arc;

/// Settings of the web application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Whether cookies carry `Secure` (only sent over HTTPS; browsers also treat
    /// `http://localhost` as secure). Off only with `delar serve --cookie-insecure`.
    pub cookie_secure: bool,
    /// The largest upload (request body) in bytes; default 200 MB.
    pub max_upload_bytes: usize,
    /// The most files in an uploaded zip; default 10 000.
    pub max_zip_files: usize,
    /// The most bytes an uploaded zip may unpack to; default five times the upload
    /// limit.
    pub max_unzipped_bytes: u64,
    /// How long an upload in the browser waits for its import before it answers with
    /// the import's progress page (`/import/{id}`, which refreshes itself until the
    /// import is done); default 2 s. The import goes on either way.
    pub import_wait: std::time::Duration,
}

impl Config {
    /// The default settings with an upload limit of `mb` megabytes (MiB), and an
    /// unpacked limit of five times that.
    pub fn with_upload_mb(mb: usize) -> Config {
        let bytes = mb.saturating_mul(1024 * 1024);
        Config {
            cookie_secure: true,
            max_upload_bytes: bytes,
            max_zip_files: 10_000,
            max_unzipped_bytes: (bytes as u64).saturating_mul(5),
            import_wait: std::time::Duration::from_secs(2),
        }
    }

    /// The limits of an upload.
    pub fn upload_limits(&self) -> upload::UploadLimits {
        upload::UploadLimits {
            max_body: self.max_upload_bytes,
            max_files: self.max_zip_files,
            max_unzipped: self.max_unzipped_bytes,
        }
    }
}

impl Default for Config {
    fn default() -> Config {
        Config::with_upload_mb(200)
    }
}

/// What every handler has: the store, the settings and the templates.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// The settings.
    pub config: Arc<Config>,
    templates: Arc<minijinja::Environment<'static>>,
    /// Loaded packages and built round reports.
    pub(crate) reports: Arc<round_report::ReportCache>,
    /// Imports started in the browser, followed on `/import/{id}`.
    pub(crate) imports: Arc<import::ImportJobs>,
}

impl AppState {
    /// The state for `store` with `config`.
    pub fn new(store: Store, config: Config) -> AppState {
        AppState {
            store,
            config: Arc::new(config),
            templates: Arc::new(templates::environment()),
            reports: Arc::new(round_report::ReportCache::default()),
            imports: Arc::new(import::ImportJobs::default()),
        }
    }
}

/// The application's router, with the request layer (user, CSRF, error pages) and the
/// security headers on every route.
pub fn app(state: AppState) -> Router {
    let csp = HeaderValue::from_str(&headers::content_security_policy())
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"));
    Router::new()
        .route("/", get(pages::home))
        .route("/logga-in", get(auth::login_page).post(auth::login_submit))
        .route("/logga-ut", post(auth::logout))
        .route("/paket", get(pages::packages))
        // The upload reads its body itself, within `max_upload_bytes`; the form limit
        // below must not cut its multipart fields at 2 MB.
        .route(
            "/import",
            get(import::page).post(import::upload.layer(DefaultBodyLimit::disable())),
        )
        .route("/import/{id}", get(import::job_page))
        .route("/logg", get(audit_pages::page))
        .route("/logg.csv", get(audit_pages::csv_export))
        .route("/admin/anvandare", get(admin::list).post(admin::create))
        .route(
            "/admin/anvandare/{id}",
            get(admin::show).post(admin::change),
        )
        .route("/rundor", get(round::list).post(round::open))
        .route("/rundor/{id}", get(round::show))
        .route(
            "/rundor/{id}/ansvar",
            get(round::ansvar).post(round::save_ansvar),
        )
        .route("/rundor/{id}/granska", post(round::review_ansvar))
        .route("/rundor/{id}/kommentar", post(round::add_comment))
        .route("/rundor/{id}/las", post(round::lock_page))
        .route("/rundor/{id}/beslut", post(round::decision_page))
        .route("/rundor/{id}/rapport", get(round::report_page))
        .route("/rundor/{id}/filer/{file}", get(round::download))
        .route("/rundor/{id}/utfall", get(round::drill_page))
        .route("/rundor/{id}/historik", get(round::history_page))
        .route("/rundor/{id}/prognossakerhet", get(accuracy::round_page))
        .route("/prognossakerhet", get(accuracy::overview))
        .route("/static/delar.css", get(pages::stylesheet))
        .nest("/api", api::router())
        .fallback(|| async { AppError::not_found() })
        // Forms and JSON bodies; uploads read their body themselves within the limit.
        .layer(DefaultBodyLimit::max(2 * 1024 * 1024))
        .layer(from_fn_with_state(state.clone(), csrf::session_layer))
        .layer(from_fn_with_state(csp, headers::security_headers))
        .with_state(state)
}

/// Serves the application on `listener` until Ctrl-C or SIGTERM, then finishes the
/// requests in flight and returns.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
}

/// Completes on Ctrl-C (SIGINT) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
