//! The report of a follow-up round: the committee's stored package with the round's
//! forecasts in place of its forecast file ([`delar_core::followup::with_forecasts`]),
//! built by the same engine and renderers as `delar report`, and the SHA-256 of those
//! inputs. Loaded packages and built reports are cached in memory: a report is rebuilt
//! only when its inputs (package and forecasts) change, so readers of a busy round share
//! one build.

use crate::error::AppError;
use crate::AppState;
use delar_core::followup::{self, RoundForecast};
use delar_core::report::{Report, Rounding, RowKind};
use delar_core::{MemoryFiles, Options, Package};
use delar_store::rounds::{Forecast, Round};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A stored package, read and normalised.
pub struct LoadedPackage {
    /// Package id in the store.
    pub id: i64,
    /// SHA-256 of the package (as stored).
    pub sha256: String,
    /// The package.
    pub package: Arc<Package>,
    /// Its files, by path (the ledgers are read again for the rows behind a figure).
    pub files: Arc<MemoryFiles>,
}

/// How current a round's report must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness<'a> {
    /// Of the forecasts as they are now (locking, downloads, the API).
    Exact,
    /// For a reader of the report page, named: while another request rebuilds the
    /// report, the last build may be shown, unless this user changed a forecast since
    /// that build's inputs were read (everyone sees their own changes at once; others'
    /// changes of the last moment may lag by one build).
    ForReader(&'a str),
}

/// A round's report, built.
pub struct RoundReport {
    /// SHA-256 of the inputs: the package and the round's forecasts.
    pub inputs_sha256: String,
    /// The latest change time among the forecasts it was built from (0 without any).
    pub forecasts_as_of: i64,
    /// The report.
    pub report: Arc<Report>,
    /// Its HTML with the outcome figures linked to the ledger rows behind them.
    pub html: Arc<String>,
}

/// Packages and reports built, shared by every request of the process.
#[derive(Default)]
pub struct ReportCache {
    packages: Mutex<HashMap<i64, Arc<LoadedPackage>>>,
    reports: Mutex<HashMap<i64, Arc<RoundReport>>>,
    /// One build at a time per round: readers arriving while the report is rebuilt wait
    /// for that build instead of each starting their own.
    building: Mutex<HashMap<i64, Arc<tokio::sync::Mutex<()>>>>,
}

/// At most this many packages are kept loaded; beyond it the cache starts over.
const MAX_PACKAGES: usize = 16;

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The current package of a round's committee and year, loaded (once per package).
pub async fn package_of(
    state: &AppState,
    committee_id: i64,
    year: i32,
) -> Result<Arc<LoadedPackage>, AppError> {
    let id = state
        .store
        .current_package(committee_id, year)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "nämnden har inget importerat paket för {year}; importera paketet först"
            ))
        })?;
    if let Some(p) = lock(&state.reports.packages).get(&id) {
        return Ok(p.clone());
    }
    let sha256 = state
        .store
        .packages()
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .map(|p| p.sha256)
        .unwrap_or_default();
    let mut files = MemoryFiles::new();
    for (path, _, bytes) in state.store.package_files(id).await? {
        files.files.insert(path, bytes);
    }
    let files = Arc::new(files);
    let for_load = files.clone();
    let package = tokio::task::spawn_blocking(move || delar_core::load_package(&*for_load, None))
        .await
        .map_err(|e| AppError::Internal(format!("package load task: {e}")))?
        .map_err(|e| AppError::Invalid(format!("det importerade paketet kan inte läsas: {e}")))?;
    let loaded = Arc::new(LoadedPackage {
        id,
        sha256,
        package: Arc::new(package),
        files,
    });
    let mut cache = lock(&state.reports.packages);
    if cache.len() >= MAX_PACKAGES {
        cache.clear();
    }
    cache.insert(id, loaded.clone());
    Ok(loaded)
}

/// The round's forecasts as the engine takes them.
pub fn round_forecasts(forecasts: &[Forecast]) -> Vec<RoundForecast> {
    forecasts
        .iter()
        .map(|f| RoundForecast {
            row: f.row_id.clone(),
            ansvar: f.ansvar.clone(),
            amount: f.amount_ore,
            comment: f.comment.clone(),
        })
        .collect()
}

/// SHA-256 of a round's inputs: the package's hash and every forecast (row, ansvar,
/// amount, comment) in a fixed order. The same inputs give the same report bytes.
pub fn inputs_sha256(package_sha256: &str, forecasts: &[Forecast]) -> String {
    let mut sorted: Vec<&Forecast> = forecasts.iter().collect();
    sorted.sort_by(|a, b| (&a.row_id, &a.ansvar).cmp(&(&b.row_id, &b.ansvar)));
    let mut text = format!("delar round inputs v1\npackage {package_sha256}\n");
    for f in sorted {
        text.push_str(&format!(
            "forecast {}:{} {}:{} {} {}:{}\n",
            f.row_id.len(),
            f.row_id,
            f.ansvar.len(),
            f.ansvar,
            f.amount_ore,
            f.comment.len(),
            f.comment
        ));
    }
    delar_store::sha256_hex(text.as_bytes())
}

/// The address of the ledger rows behind an outcome figure of the round's report.
pub fn drill_href(round_id: i64, row: &str, ansvar: Option<&str>, prior: bool) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("rad", row);
    if let Some(a) = ansvar {
        q.append_pair("ansvar", a);
    }
    if prior {
        q.append_pair("ar", "fg");
    }
    format!("/rundor/{round_id}/utfall?{}", q.finish())
}

/// The report of a round as it stands (built once per set of inputs).
pub async fn round_report(
    state: &AppState,
    round: &Round,
    freshness: Freshness<'_>,
) -> Result<Arc<RoundReport>, AppError> {
    let loaded = package_of(state, round.committee_id, round.year).await?;
    let cached = |key: &str| {
        lock(&state.reports.reports)
            .get(&round.id)
            .filter(|r| r.inputs_sha256 == key)
            .cloned()
    };
    let forecasts = state.store.forecasts(round.id).await?;
    if let Some(r) = cached(&inputs_sha256(&loaded.sha256, &forecasts)) {
        return Ok(r);
    }
    // A miss: wait for any build of this round in progress, then read the forecasts again
    // (they may have changed meanwhile) and build only if that build is not this one.
    let gate = lock(&state.reports.building)
        .entry(round.id)
        .or_default()
        .clone();
    let _building = match gate.try_lock() {
        Ok(building) => building,
        Err(_) => {
            // Another request is building: a reader may take the last build.
            if let Freshness::ForReader(user) = freshness {
                let last = lock(&state.reports.reports).get(&round.id).cloned();
                if let Some(last) = last {
                    let own_change = forecasts
                        .iter()
                        .any(|f| f.updated_by == user && f.updated_at > last.forecasts_as_of);
                    if !own_change {
                        return Ok(last);
                    }
                }
            }
            gate.lock().await
        }
    };
    let forecasts = state.store.forecasts(round.id).await?;
    let key = inputs_sha256(&loaded.sha256, &forecasts);
    if let Some(r) = cached(&key) {
        return Ok(r);
    }
    let package = loaded.package.clone();
    let round_id = round.id;
    let name = round.name.clone();
    let inputs = key.clone();
    let forecasts_as_of = forecasts.iter().map(|f| f.updated_at).max().unwrap_or(0);
    let built = tokio::task::spawn_blocking(move || {
        let with = followup::with_forecasts(&package, &round_forecasts(&forecasts), &name);
        let options = Options {
            rounding: Rounding::AddsUp,
            progress: None,
        };
        let report = delar_core::report_from_package(&with, &options)?;
        let html = delar_render::html::report_with_links(&report, &|table, row, column| {
            let col = table.columns.get(column)?;
            let prior = match col.id.as_str() {
                "utfall" => false,
                "utfall_fg" => true,
                _ => return None,
            };
            (table.id == "resultatrakning" && row.kind == RowKind::Item)
                .then(|| drill_href(round_id, &row.key, None, prior))
        });
        Ok::<_, delar_core::LoadError>(RoundReport {
            inputs_sha256: inputs,
            forecasts_as_of,
            report: Arc::new(report),
            html: Arc::new(html),
        })
    })
    .await
    .map_err(|e| AppError::Internal(format!("report task: {e}")))?
    .map_err(|e| AppError::Invalid(format!("rapporten kan inte byggas: {e}")))?;
    let built = Arc::new(built);
    lock(&state.reports.reports).insert(round.id, built.clone());
    Ok(built)
}

/// Every document of a report (what `delar report` writes), made off the request thread.
pub async fn documents(report: Arc<Report>) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    tokio::task::spawn_blocking(move || {
        delar_render::documents::documents(&report, &delar_render::documents::Format::ALL)
    })
    .await
    .map_err(|e| AppError::Internal(format!("document task: {e}")))?
    .map_err(|e| AppError::Internal(e.to_string()))
}
