//! The whole municipality: a folder whose `kommun.toml` lists the committee packages of
//! one municipality and year, usually on one shared ledger. Builds every committee's
//! report and the consolidated report (table `driftredovisning`: each committee's Summa
//! nettokostnader exactly as its own report shows it, then `summa`), and checks that no
//! amount of the shared ledger falls between the committees or is claimed by two.

use crate::build::{report_from_package, Options};
use crate::config::{is_result_account, line_col, toml_message, Config, Lookups, RowKindConfig};
use crate::error::LoadError;
use crate::ledger::{read_ledger_from, KeptObjects, Ledger};
use crate::money::{format_kronor, format_thousands, month_name, ore_to_tkr};
use crate::package::{load_package_with, Package, ProgressFn};
use crate::report::{
    Block, Cell, Check, CheckStatus, Memo, Report, Rounding, Row, RowKind, Section, Table, Term,
    Unit,
};
use crate::sources::{open_file, read_file, read_optional, utf8_text, SourceFiles};
use crate::SourceError;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Path of the municipality description inside the municipality folder.
pub const KOMMUN_PATH: &str = "kommun.toml";
/// Id of the consolidated table.
pub const TABLE_ID: &str = "driftredovisning";
/// Row key of the consolidated table's total.
pub const SUMMA: &str = "summa";
/// Row key, in each committee's income statement, of the figure the consolidation takes.
pub const NET_COST_ROW: &str = "summa_nettokostnader";
/// Id of the check that the shared ledger's amounts are neither lost nor claimed twice.
pub const COVERAGE_CHECK: &str = "kommun_huvudbok_fordelad";
/// Id of the check that the consolidated table shows the committees' own figures.
pub const FIGURES_CHECK: &str = "kommun_samma_siffror";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKommun {
    kommun: RawHead,
    ledger: Option<RawShared>,
    #[serde(default, rename = "committee")]
    committees: Vec<RawCommittee>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHead {
    name: String,
    year: i32,
    through_month: u32,
    title: Option<String>,
    text: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawShared {
    current: String,
    prior: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCommittee {
    id: String,
    dir: String,
}

/// The validated `kommun.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KommunConfig {
    /// The municipality's name as printed, e.g. "Herrljunga kommun".
    pub name: String,
    /// Financial year; every committee reports the same year.
    pub year: i32,
    /// Last month of the period; every committee reports the same period.
    pub through_month: u32,
    /// Title of the consolidated report (default "Driftredovisning per nämnd ÅÅÅÅ-MM-DD").
    pub title: Option<String>,
    /// A Markdown file with the controller's text for the consolidated report, if any.
    pub text: Option<String>,
    /// The shared ledger of the current year, if the committees share one.
    pub current: Option<String>,
    /// The shared ledger of the prior year, if any.
    pub prior: Option<String>,
    /// The committees in display order.
    pub committees: Vec<CommitteeEntry>,
}

/// A committee of the municipality: its row key and its package folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitteeEntry {
    /// Row key in `driftredovisning` (and the subfolder of its outputs).
    pub id: String,
    /// Package folder (with `delar.toml`), relative to the municipality folder.
    pub dir: String,
}

fn kommun_err(message: String) -> LoadError {
    LoadError::Config {
        path: KOMMUN_PATH.into(),
        message,
    }
}

/// Parses and validates `kommun.toml`.
pub fn parse_kommun_config(bytes: &[u8]) -> Result<KommunConfig, LoadError> {
    let text = utf8_text(KOMMUN_PATH, bytes)?;
    let raw: RawKommun = toml::from_str(&text).map_err(|e| {
        let (line, column) = e.span().map(|s| line_col(&text, s.start)).unwrap_or((0, 0));
        LoadError::Toml {
            path: KOMMUN_PATH.into(),
            line,
            column,
            message: toml_message(e.message()),
        }
    })?;
    let head = raw.kommun;
    if head.name.trim().is_empty() {
        return Err(kommun_err("kommun.name saknas".into()));
    }
    if !(1..=12).contains(&head.through_month) {
        return Err(kommun_err(format!(
            "kommun.through_month = {} ligger utanför året (1–12)",
            head.through_month
        )));
    }
    if raw.committees.is_empty() {
        return Err(kommun_err(
            "minst en [[committee]] behövs (id och dir = nämndens paketmapp)".into(),
        ));
    }
    let mut committees: Vec<CommitteeEntry> = Vec::new();
    for c in raw.committees {
        if !crate::config::is_valid_key(&c.id) {
            return Err(kommun_err(format!(
                "nämnden \"{}\": id får bara innehålla a–z, 0–9 och _ och ska börja med en bokstav",
                c.id
            )));
        }
        let dir = normalize(&c.dir).ok_or_else(|| {
            kommun_err(format!(
                "nämnden \"{}\": dir = \"{}\" ska vara en mapp inom kommunmappen",
                c.id, c.dir
            ))
        })?;
        if committees.iter().any(|x| x.id == c.id) {
            return Err(kommun_err(format!("nämnden \"{}\" finns två gånger", c.id)));
        }
        if let Some(other) = committees.iter().find(|x| x.dir == dir) {
            return Err(kommun_err(format!(
                "nämnderna \"{}\" och \"{}\" har samma mapp \"{dir}\"",
                other.id, c.id
            )));
        }
        committees.push(CommitteeEntry { id: c.id, dir });
    }
    let path = |p: &str, what: &str| {
        normalize(p).ok_or_else(|| {
            kommun_err(format!(
                "{what} = \"{p}\" ska vara en fil inom kommunmappen"
            ))
        })
    };
    let (current, prior) = match &raw.ledger {
        Some(l) => (
            Some(path(&l.current, "ledger.current")?),
            l.prior
                .as_deref()
                .map(|p| path(p, "ledger.prior"))
                .transpose()?,
        ),
        None => (None, None),
    };
    Ok(KommunConfig {
        name: head.name.trim().to_string(),
        year: head.year,
        through_month: head.through_month,
        title: head.title.filter(|t| !t.trim().is_empty()),
        text: head
            .text
            .as_deref()
            .map(|p| path(p, "kommun.text"))
            .transpose()?,
        current,
        prior,
        committees,
    })
}

/// A `/`-separated relative path with `.` and `..` resolved; `None` when it is empty or
/// leaves the folder it is relative to.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.trim().split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// `path` of a committee package as a path of the municipality folder.
fn in_committee(dir: &str, path: &str) -> Option<String> {
    normalize(&format!("{dir}/{path}"))
}

/// A committee package folder inside the municipality folder, as its own [`SourceFiles`].
struct CommitteeFiles<'a> {
    files: &'a dyn SourceFiles,
    dir: &'a str,
}

impl CommitteeFiles<'_> {
    fn path(&self, path: &str) -> Result<String, SourceError> {
        in_committee(self.dir, path).ok_or_else(|| {
            SourceError::Other(format!("sökvägen \"{path}\" leder ut ur kommunmappen"))
        })
    }
}

impl SourceFiles for CommitteeFiles<'_> {
    fn read(&self, path: &str) -> Result<Vec<u8>, SourceError> {
        self.files.read(&self.path(path)?)
    }

    fn open(&self, path: &str) -> Result<Box<dyn std::io::Read + Send + '_>, SourceError> {
        self.files.open(&self.path(path)?)
    }

    fn size(&self, path: &str) -> Option<u64> {
        self.files.size(&self.path(path).ok()?)
    }
}

/// A committee's package, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitteePackage {
    /// Its entry in `kommun.toml`.
    pub entry: CommitteeEntry,
    /// The package.
    pub package: Package,
    /// Whether its current ledger is the municipality's shared one.
    pub shares_ledger: bool,
}

/// A municipality folder, read: the shared ledgers (parsed once) and every committee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kommun {
    /// `kommun.toml`.
    pub config: KommunConfig,
    /// The shared ledger of the current year.
    pub current: Option<Arc<Ledger>>,
    /// The shared ledger of the prior year.
    pub prior: Option<Arc<Ledger>>,
    /// The committees, in `kommun.toml` order.
    pub committees: Vec<CommitteePackage>,
    /// The controller's text for the consolidated report (Markdown), if any.
    pub text: Option<String>,
}

/// Whether the folder is a municipality folder (has `kommun.toml`).
pub fn is_kommun(files: &dyn SourceFiles) -> Result<bool, LoadError> {
    Ok(read_optional(files, KOMMUN_PATH)?.is_some())
}

fn committee_err(entry: &CommitteeEntry, error: LoadError) -> LoadError {
    LoadError::Committee {
        id: entry.id.clone(),
        dir: entry.dir.clone(),
        source: Box::new(error),
    }
}

/// The objects the shared ledgers keep: what every committee's report reads (their
/// `delar.toml`, read here ahead of the packages). When one cannot be read, every object
/// is kept; its error is then reported where it was before, when the package is read.
fn kept_objects(files: &dyn SourceFiles, config: &KommunConfig) -> KeptObjects {
    let mut keep: Option<KeptObjects> = None;
    for entry in &config.committees {
        let view = CommitteeFiles {
            files,
            dir: &entry.dir,
        };
        let parsed = read_file(&view, crate::config::CONFIG_PATH)
            .ok()
            .and_then(|bytes| crate::config::parse_config(&bytes).ok());
        let Some(c) = parsed else {
            return KeptObjects::all();
        };
        let k = KeptObjects::for_config(&c);
        keep = Some(match keep {
            Some(prev) => prev.union(&k),
            None => k,
        });
    }
    keep.unwrap_or_else(KeptObjects::all)
}

/// Reads `kommun.toml`, the shared ledgers (once) and every committee's package; a
/// committee whose `delar.toml` names a shared ledger gets the parsed one.
pub fn load_kommun(
    files: &dyn SourceFiles,
    progress: Option<&ProgressFn>,
) -> Result<Kommun, LoadError> {
    let config = parse_kommun_config(&read_file(files, KOMMUN_PATH)?)?;
    let keep = kept_objects(files, &config);
    let read = |path: &Option<String>| -> Result<Option<Arc<Ledger>>, LoadError> {
        path.as_deref()
            .map(|p| {
                let input = open_file(files, p)?;
                Ok(Arc::new(read_ledger_from(p, input, files.size(p), &keep)?))
            })
            .transpose()
    };
    let current = read(&config.current)?;
    let prior = read(&config.prior)?;
    let shared: Vec<Arc<Ledger>> = current.iter().chain(&prior).cloned().collect();
    let mut committees = Vec::new();
    for entry in &config.committees {
        let view = CommitteeFiles {
            files,
            dir: &entry.dir,
        };
        let lookup = |path: &str| {
            let p = in_committee(&entry.dir, path)?;
            shared.iter().find(|l| l.path == p).cloned()
        };
        let package =
            load_package_with(&view, progress, &lookup).map_err(|e| committee_err(entry, e))?;
        let c = &package.config;
        if c.year != config.year || c.through_month != config.through_month {
            return Err(committee_err(
                entry,
                LoadError::Config {
                    path: crate::config::CONFIG_PATH.into(),
                    message: format!(
                        "nämnden redovisar {} t.o.m. månad {}, kommunen {} t.o.m. månad {}; alla nämnder ska ha samma period som kommun.toml",
                        c.year, c.through_month, config.year, config.through_month
                    ),
                },
            ));
        }
        let shares_ledger = current
            .as_ref()
            .is_some_and(|l| Arc::ptr_eq(l, &package.current));
        committees.push(CommitteePackage {
            entry: entry.clone(),
            package,
            shares_ledger,
        });
    }
    let text = match &config.text {
        Some(p) => Some(utf8_text(p, &read_file(files, p)?)?),
        None => None,
    };
    Ok(Kommun {
        config,
        current,
        prior,
        committees,
        text,
    })
}

/// A committee's report within the municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitteeReport {
    /// Its entry in `kommun.toml` (the id names its output folder).
    pub entry: CommitteeEntry,
    /// The report, as `delar report` on its package alone gives it.
    pub report: Report,
}

/// How the shared ledger's result amounts of one year fall on the committees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// The ledger file.
    pub path: String,
    /// The year of the postings counted (months 1..=through_month).
    pub year: i32,
    /// Sum of every result amount (accounts 3–8) in the period.
    pub total: i64,
    /// Per committee sharing the ledger (id): net cost found within its scope (income and
    /// cost rows), and its contribution rows (kommunbidrag), ledger sign.
    pub committees: Vec<(String, i64, i64)>,
    /// Within no committee's scope, by object on the first committee's scope dimension
    /// (`None`: the posting has no object there), with the number of postings.
    pub outside: Vec<(Option<String>, i64, usize)>,
    /// Within the scope of two or more committees: (committee ids, amount, postings).
    pub overlap: Vec<(Vec<String>, i64, usize)>,
}

impl Coverage {
    /// Sum of what lies outside every scope.
    pub fn outside_total(&self) -> i64 {
        self.outside.iter().map(|o| o.1).sum()
    }

    /// Sum of what two or more committees claim.
    pub fn overlap_total(&self) -> i64 {
        self.overlap.iter().map(|o| o.1).sum()
    }
}

/// Splits the result amounts of `ledger` in months 1..=`through_month` of `year` on the
/// scopes of `committees` (their configurations).
pub fn coverage(
    ledger: &Ledger,
    year: i32,
    through_month: u32,
    committees: &[(&str, &Config)],
) -> Coverage {
    let mut total = 0;
    let mut per: Vec<(String, i64, i64)> = committees
        .iter()
        .map(|(id, _)| (id.to_string(), 0, 0))
        .collect();
    let mut outside: BTreeMap<Option<String>, (i64, usize)> = BTreeMap::new();
    let mut overlap: BTreeMap<Vec<String>, (i64, usize)> = BTreeMap::new();
    let first_dim = committees
        .first()
        .map_or(1, |(_, c)| c.ledger.scope_dimension);
    let mut looks: Vec<Lookups<'_, '_>> = committees.iter().map(|(_, c)| Lookups::new(c)).collect();
    for p in &ledger.postings {
        if p.year != year
            || !(1..=through_month).contains(&p.month)
            || !is_result_account(p.account)
        {
            continue;
        }
        total += p.amount;
        let claiming: smallvec::SmallVec<[usize; 2]> = looks
            .iter_mut()
            .enumerate()
            .filter_map(|(i, look)| {
                let dim = look.config().ledger.scope_dimension;
                look.in_scope(p.object(dim)).then_some(i)
            })
            .collect();
        match claiming.as_slice() {
            [] => {
                let e = outside
                    .entry(p.object(first_dim).map(str::to_string))
                    .or_insert((0, 0));
                e.0 += p.amount;
                e.1 += p.rows as usize;
            }
            [one] => {
                let config = committees[*one].1;
                let contribution = matches!(
                    looks[*one].sole_row_for_account(p.account),
                    Ok(r) if config.rows[r].kind == RowKindConfig::Contribution
                );
                if contribution {
                    per[*one].2 += p.amount;
                } else {
                    per[*one].1 += p.amount;
                }
            }
            many => {
                let ids = many.iter().map(|i| committees[*i].0.to_string()).collect();
                let e = overlap.entry(ids).or_insert((0, 0));
                e.0 += p.amount;
                e.1 += p.rows as usize;
            }
        }
    }
    Coverage {
        path: ledger.path.clone(),
        year,
        total,
        committees: per,
        outside: outside.into_iter().map(|(k, (a, n))| (k, a, n)).collect(),
        overlap: overlap.into_iter().map(|(k, (a, n))| (k, a, n)).collect(),
    }
}

/// The municipality's reports: every committee's and the consolidated one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KommunReport {
    /// The consolidated report: sections, the table `driftredovisning`, the checks.
    pub consolidated: Report,
    /// Every committee's report, in `kommun.toml` order.
    pub committees: Vec<CommitteeReport>,
    /// How the shared ledger falls on the committees: current year, then prior year.
    pub coverage: Vec<Coverage>,
}

/// Reads the municipality folder and builds every report.
pub fn build_kommun(files: &dyn SourceFiles, options: &Options) -> Result<KommunReport, LoadError> {
    let kommun = load_kommun(files, options.progress.as_ref())?;
    kommun_report(&kommun, options)
}

/// Reads the municipality folder and runs every check: each committee's (the id prefixed
/// with `<committee id>/`) and the municipality's. A committee whose report cannot be
/// built fails the municipality's checks instead of stopping them.
pub fn check_kommun(files: &dyn SourceFiles, options: &Options) -> Result<Vec<Check>, LoadError> {
    let kommun = load_kommun(files, options.progress.as_ref())?;
    let mut out = Vec::new();
    for c in &kommun.committees {
        let checks = crate::build::checks_of_package(&c.package, options);
        out.extend(checks.into_iter().map(|mut ch| {
            ch.id = format!("{}/{}", c.entry.id, ch.id);
            ch
        }));
    }
    match kommun_report(&kommun, options) {
        Ok(r) => out.extend(
            r.consolidated
                .checks
                .into_iter()
                .filter(|c| c.id.starts_with("kommun_")),
        ),
        Err(e) => out.push(Check {
            id: "kommun_rapport".into(),
            status: CheckStatus::Fail,
            message: format!("Kommunens sammanställning kan inte byggas: {e}"),
            figures: vec![],
        }),
    }
    Ok(out)
}

/// Pass when `ok`, else fail.
fn pass_if(ok: bool) -> CheckStatus {
    if ok {
        CheckStatus::Pass
    } else {
        CheckStatus::Fail
    }
}

fn kr(ore: i64) -> String {
    format!("{} kr", format_kronor(ore))
}

fn amount_of(cell: &Cell) -> Option<(i64, i64)> {
    match cell {
        Cell::Amount {
            exact_ore,
            shown_tkr,
        } => Some((*exact_ore, *shown_tkr)),
        _ => None,
    }
}

/// Builds every committee's report and the consolidated report from a read municipality.
pub fn kommun_report(kommun: &Kommun, options: &Options) -> Result<KommunReport, LoadError> {
    let mut committees = Vec::new();
    for c in &kommun.committees {
        let report =
            report_from_package(&c.package, options).map_err(|e| committee_err(&c.entry, e))?;
        committees.push(CommitteeReport {
            entry: c.entry.clone(),
            report,
        });
    }
    let net_rows: Vec<(&CommitteeReport, &Table, &Row)> = committees
        .iter()
        .map(|c| {
            let table = c.report.table("resultatrakning");
            let row = table.and_then(|t| t.row(NET_COST_ROW));
            match (table, row) {
                (Some(t), Some(r)) => Ok((c, t, r)),
                _ => Err(committee_err(
                    &c.entry,
                    LoadError::Config {
                        path: crate::config::CONFIG_PATH.into(),
                        message: "rapporten saknar resultaträkningens rad Summa nettokostnader"
                            .into(),
                    },
                )),
            }
        })
        .collect::<Result<_, _>>()?;
    let first = net_rows
        .first()
        .ok_or_else(|| kommun_err("minst en [[committee]] behövs".into()))?;
    let columns = first.1.columns.clone();
    for (c, t, _) in &net_rows {
        if t.columns
            .iter()
            .map(|x| &x.id)
            .ne(columns.iter().map(|x| &x.id))
        {
            return Err(committee_err(
                &c.entry,
                LoadError::Config {
                    path: crate::config::CONFIG_PATH.into(),
                    message: "resultaträkningens kolumner skiljer sig från de andra nämndernas"
                        .into(),
                },
            ));
        }
    }
    let rounding = options.rounding;

    // Rows: each committee's Summa nettokostnader as its own report shows it.
    let mut rows: Vec<Row> = net_rows
        .iter()
        .map(|(c, _, r)| Row {
            key: c.entry.id.clone(),
            label: c.report.meta.committee.clone(),
            kind: RowKind::Item,
            note: None,
            cells: r.cells.clone(),
            sum_of: Vec::new(),
        })
        .collect();
    let summa_cells: Vec<Cell> = (0..columns.len())
        .map(|col| {
            let parts: Vec<(i64, i64)> = rows
                .iter()
                .filter_map(|r| r.cells.get(col).and_then(amount_of))
                .collect();
            if parts.is_empty() {
                return Cell::Empty;
            }
            let exact: i64 = parts.iter().map(|p| p.0).sum();
            let shown = match rounding {
                Rounding::AddsUp => parts.iter().map(|p| p.1).sum(),
                Rounding::Independent => ore_to_tkr(exact),
            };
            Cell::Amount {
                exact_ore: exact,
                shown_tkr: shown,
            }
        })
        .collect();
    rows.push(Row {
        key: SUMMA.into(),
        label: format!("Summa {}", kommun.config.name),
        kind: RowKind::Total,
        note: None,
        cells: summa_cells,
        sum_of: committees.iter().map(|c| Term::plus(&c.entry.id)).collect(),
    });
    let table = Table {
        id: TABLE_ID.into(),
        title: "DRIFTREDOVISNING PER NÄMND (tkr)".into(),
        unit: Unit::Tkr,
        columns,
        rows,
        notes: vec![
            "Nettokostnad per nämnd i tkr med huvudbokens tecken (kostnader positiva, intäkter negativa), utan kommunbidrag. Avvikelse helår = budget − prognos: positiv avvikelse är bättre än budget.".into(),
            match rounding {
                Rounding::AddsUp => "Varje nämnds rad är Summa nettokostnader exakt som den visas i nämndens egen rapport; summaraden är summan av de visade beloppen.".into(),
                Rounding::Independent => "Varje nämnds rad är Summa nettokostnader som den visas i nämndens egen rapport; summaraden är den exakta summan avrundad för sig och kan avvika från de visade raderna med avrundning.".into(),
            },
        ],
    };

    // Coverage of the shared ledgers.
    let sharing: Vec<(&str, &Config)> = kommun
        .committees
        .iter()
        .filter(|c| c.shares_ledger)
        .map(|c| (c.entry.id.as_str(), &c.package.config))
        .collect();
    let year = kommun.config.year;
    let month = kommun.config.through_month;
    let mut cov = Vec::new();
    if let Some(l) = &kommun.current {
        cov.push(coverage(l, year, month, &sharing));
    }
    if let Some(l) = &kommun.prior {
        let sharing_prior: Vec<(&str, &Config)> = kommun
            .committees
            .iter()
            .filter(|c| c.package.prior.as_ref().is_some_and(|p| Arc::ptr_eq(p, l)))
            .map(|c| (c.entry.id.as_str(), &c.package.config))
            .collect();
        cov.push(coverage(l, year - 1, month, &sharing_prior));
    }

    let mut checks = vec![figures_check(&table, &net_rows)];
    checks.extend(cov.iter().map(|c| coverage_check(c, &table, kommun)));
    let mismatches = table.sum_mismatches();
    checks.push(Check {
        id: "kommun_summerar".into(),
        status: pass_if(mismatches.is_empty()),
        message: if mismatches.is_empty() {
            "Driftredovisningens summarad är summan av nämndernas visade belopp.".into()
        } else {
            "Driftredovisningen summerar inte som den visas.".into()
        },
        figures: mismatches
            .into_iter()
            .map(|m| ("fel".to_string(), m))
            .collect(),
    });
    for c in &committees {
        let count = |s: CheckStatus| c.report.checks.iter().filter(|x| x.status == s).count();
        let worst = c
            .report
            .checks
            .iter()
            .map(|x| x.status)
            .max()
            .unwrap_or(CheckStatus::Pass);
        checks.push(Check {
            id: format!("namnd_{}", c.entry.id),
            status: worst,
            message: format!(
                "{}: {} godkända, {} varningar, {} fel i nämndens egna kontroller (se nämndens rapport i mappen {}/).",
                c.report.meta.committee,
                count(CheckStatus::Pass),
                count(CheckStatus::Warn),
                count(CheckStatus::Fail),
                c.entry.id
            ),
            figures: vec![],
        });
    }

    let consolidated = consolidated_report(kommun, &committees, table, checks, &cov, rounding);
    Ok(KommunReport {
        consolidated,
        committees,
        coverage: cov,
    })
}

/// Compares each committee's row with its own report's Summa nettokostnader, cell by cell.
fn figures_check(table: &Table, net_rows: &[(&CommitteeReport, &Table, &Row)]) -> Check {
    let mut differ = Vec::new();
    for (c, _, own) in net_rows {
        match table.row(&c.entry.id) {
            Some(r) if r.cells == own.cells => {}
            _ => differ.push(c.entry.id.clone()),
        }
    }
    let figures = net_rows
        .iter()
        .map(|(c, t, own)| {
            let utfall = t
                .column_index("utfall")
                .and_then(|i| own.cells.get(i))
                .and_then(amount_of)
                .map_or("–".to_string(), |(e, s)| {
                    format!("{} tkr ({})", format_thousands(s), kr(e))
                });
            (
                format!("{}: Summa nettokostnader utfall", c.entry.id),
                utfall,
            )
        })
        .collect();
    Check {
        id: FIGURES_CHECK.into(),
        status: pass_if(differ.is_empty()),
        message: if differ.is_empty() {
            "Varje nämnds rad i driftredovisningen är lika med Summa nettokostnader i nämndens egen rapport, exakt och som visat, i alla kolumner.".into()
        } else {
            format!(
                "Driftredovisningens rad skiljer sig från nämndens egen rapport: {}.",
                differ.join(", ")
            )
        },
        figures,
    }
}

fn object_label(object: &Option<String>) -> String {
    match object {
        Some(o) => format!("utanför alla nämnder: objekt {o}"),
        None => "utanför alla nämnder: utan objekt".into(),
    }
}

/// States how the shared ledger's result amounts fall on the committees: the net cost
/// found within each scope must equal the committee's own figure, none may be claimed by
/// two, and what lies outside every scope is listed.
fn coverage_check(cov: &Coverage, table: &Table, kommun: &Kommun) -> Check {
    let current = cov.year == kommun.config.year;
    let col = if current { "utfall" } else { "utfall_fg" };
    let own = |id: &str| {
        table
            .column_index(col)
            .and_then(|i| table.row(id)?.cells.get(i))
            .and_then(amount_of)
            .map_or(0, |a| a.0)
    };
    let mut problems = Vec::new();
    let mut figures = vec![(
        format!(
            "resultatkonton januari–{} {}",
            month_name(kommun.config.through_month),
            cov.year
        ),
        kr(cov.total),
    )];
    let mut found_total = 0;
    for (id, net, contribution) in &cov.committees {
        found_total += net + contribution;
        figures.push((format!("{id}: nettokostnad inom ansvaret"), kr(*net)));
        if *contribution != 0 {
            figures.push((
                format!("{id}: kommunbidrag inom ansvaret"),
                kr(*contribution),
            ));
        }
        if *net != own(id) {
            problems.push(format!(
                "{id}: huvudboken ger {} inom ansvaret, nämndens rapport {}",
                kr(*net),
                kr(own(id))
            ));
        }
    }
    for (ids, amount, n) in &cov.overlap {
        figures.push((
            format!(
                "inom flera nämnders ansvar ({}), {n} poster",
                ids.join(", ")
            ),
            kr(*amount),
        ));
        problems.push(format!(
            "{n} poster ({}) ligger inom ansvaret för både {}",
            kr(*amount),
            ids.join(" och ")
        ));
    }
    for (object, amount, n) in &cov.outside {
        figures.push((format!("{}, {n} poster", object_label(object)), kr(*amount)));
    }
    let outside = cov.outside_total();
    let balance = cov.total - found_total - outside - cov.overlap_total();
    if balance != 0 {
        problems.push(format!("{} är inte fördelat", kr(balance)));
    }
    let net_sum: i64 = cov.committees.iter().map(|c| c.1).sum();
    let not_sharing: Vec<&str> = kommun
        .committees
        .iter()
        .filter(|c| !cov.committees.iter().any(|x| x.0 == c.entry.id))
        .map(|c| c.entry.id.as_str())
        .collect();
    let mut message = if problems.is_empty() {
        format!(
            "{} {}: varje belopp på resultatkonton hör till högst en nämnd. Nämndernas nettokostnader i huvudboken summerar till {}, lika med driftredovisningens rader; {} ligger utanför alla nämnders ansvar.",
            cov.path,
            cov.year,
            kr(net_sum),
            kr(outside)
        )
    } else {
        format!("{} {}: {}.", cov.path, cov.year, problems.join("; "))
    };
    if !not_sharing.is_empty() {
        message.push_str(&format!(
            " Nämnder med egen huvudbok ingår inte i kontrollen: {}.",
            not_sharing.join(", ")
        ));
    }
    Check {
        id: COVERAGE_CHECK.into(),
        status: pass_if(problems.is_empty()),
        message,
        figures,
    }
}

fn tkr_text(v: i64) -> String {
    format!("{} tkr", format_thousands(v))
}

/// The consolidated report: a short summary, the table and what the ledger holds outside
/// the committees.
fn consolidated_report(
    kommun: &Kommun,
    committees: &[CommitteeReport],
    table: Table,
    checks: Vec<Check>,
    cov: &[Coverage],
    rounding: Rounding,
) -> Report {
    let k = &kommun.config;
    let first = &committees[0].report;
    let period_end = first.meta.period_end.clone();
    let title = k
        .title
        .clone()
        .unwrap_or_else(|| format!("Driftredovisning per nämnd {period_end}"));
    let shown = |row: &str, col: &str| {
        table
            .column_index(col)
            .and_then(|i| table.row(row)?.cells.get(i))
            .and_then(amount_of)
            .map_or(0, |a| a.1)
    };
    let month = month_name(k.through_month);
    let deviation = shown(SUMMA, "avvikelse");
    let direction = match deviation {
        0 => "i nivå med budget".to_string(),
        d if d > 0 => format!("en positiv avvikelse mot budget på {}", tkr_text(d)),
        d => format!("en negativ avvikelse mot budget på {}", tkr_text(-d)),
    };
    let count = match committees.len() {
        n @ 1..=12 => [
            "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv",
        ][n - 1]
            .to_string(),
        n => n.to_string(),
    };
    let mut summary = format!(
        "{}s {count} nämnder har per {period_end} en nettokostnad på {} för januari–{month} {}. För helåret är budgeten {} och prognosen {}, {direction}.",
        k.name.trim_end_matches('s'),
        tkr_text(shown(SUMMA, "utfall")),
        k.year,
        tkr_text(shown(SUMMA, "budget")),
        tkr_text(shown(SUMMA, "prognos")),
    );
    let worst: Vec<String> = committees
        .iter()
        .filter(|c| shown(&c.entry.id, "avvikelse") < 0)
        .map(|c| {
            format!(
                "{} ({})",
                c.report.meta.committee,
                tkr_text(shown(&c.entry.id, "avvikelse"))
            )
        })
        .collect();
    if worst.is_empty() {
        summary.push_str(" Ingen nämnd har en negativ avvikelse i prognosen.");
    } else {
        let names = match worst.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} och {last}", rest.join(", ")),
            _ => worst.join(""),
        };
        summary.push_str(&format!(" Negativ avvikelse i prognosen har {names}."));
    }
    let mut blocks = vec![Block::Markdown { text: summary }];
    if let Some(t) = &kommun.text {
        if !t.trim().is_empty() {
            blocks.push(Block::Markdown {
                text: t.trim_end().to_string(),
            });
        }
    }
    let list = committees
        .iter()
        .map(|c| {
            format!(
                "- {} (rad `{}`): nämndens rapport i mappen `{}/`",
                c.report.meta.committee, c.entry.id, c.entry.id
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut ledger_text = format!(
        "Tabellen visar varje nämnds Summa nettokostnader ur nämndens egen delårsrapport. Nämnderna:\n\n{list}"
    );
    for c in cov {
        let outside: Vec<String> = c
            .outside
            .iter()
            .map(|(o, a, _)| {
                format!(
                    "{} {}",
                    match o {
                        Some(o) => format!("objekt {o}"),
                        None => "utan objekt".into(),
                    },
                    kr(*a)
                )
            })
            .collect();
        let net: i64 = c.committees.iter().map(|x| x.1).sum();
        let contribution: i64 = c.committees.iter().map(|x| x.2).sum();
        ledger_text.push_str(&format!(
            "\n\nHuvudboken {} ({}), resultatkonton januari–{month}: {} i allt. Inom nämndernas ansvar ligger nettokostnader på {} (lika med tabellens summarad för {}) och kommunbidrag på {}; utanför alla nämnders ansvar ligger {}{}.",
            c.path,
            c.year,
            kr(c.total),
            kr(net),
            c.year,
            kr(contribution),
            kr(c.outside_total()),
            if outside.is_empty() {
                String::new()
            } else {
                format!(" ({})", outside.join(", "))
            }
        ));
        if c.overlap.is_empty() {
            ledger_text.push_str(" Inget belopp ligger inom två nämnders ansvar.");
        }
        if !c.overlap.is_empty() {
            ledger_text.push_str(&format!(
                " {} ligger inom flera nämnders ansvar och ingår i ingen rad; se kontrollerna.",
                kr(c.overlap_total())
            ));
        }
    }
    let sections = vec![
        Section {
            id: "sammanfattning".into(),
            heading: "Sammanfattning".into(),
            level: 1,
            blocks,
        },
        Section {
            id: "drift".into(),
            heading: "Driftredovisning per nämnd".into(),
            level: 1,
            blocks: vec![
                Block::Table {
                    id: TABLE_ID.into(),
                },
                Block::Markdown { text: ledger_text },
            ],
        },
    ];
    let mut text_figures = BTreeMap::new();
    text_figures.insert(
        "nettokostnad_utfall_tkr".to_string(),
        shown(SUMMA, "utfall"),
    );
    text_figures.insert("prognos_avvikelse_tkr".to_string(), deviation);
    let meta = crate::report::Meta {
        committee: k.name.clone(),
        title: title.clone(),
        municipalities: Vec::new(),
        sign_convention: "Belopp i tkr med huvudbokens tecken: intäkter negativa, kostnader positiva. Nettokostnad = kostnader + intäkter, utan kommunbidrag.".into(),
        rounding,
        ..first.meta.clone()
    };
    Report {
        meta,
        sections,
        tables: vec![table],
        memo: Memo {
            title,
            date: period_end,
            summary: String::new(),
            background: String::new(),
            basis: Vec::new(),
            decision: String::new(),
            author: String::new(),
            author_title: String::new(),
            distribution: Vec::new(),
            for_information: Vec::new(),
        },
        checks,
        monthly: None,
        text_figures,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_paths() {
        assert_eq!(normalize("a/./b/../c").as_deref(), Some("a/c"));
        assert_eq!(
            in_committee("kultur", "../huvudbok/h.se").as_deref(),
            Some("huvudbok/h.se")
        );
        assert_eq!(normalize("../x"), None);
        assert_eq!(normalize(""), None);
        assert_eq!(normalize("a\\b").as_deref(), Some("a/b"));
    }

    #[test]
    fn config_errors_name_the_problem() {
        let err = |text: &str| {
            parse_kommun_config(text.as_bytes())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err("[kommun]\nname = \"K\"\nyear = 2023\nthrough_month = 8\n"),
            "kommun.toml: minst en [[committee]] behövs (id och dir = nämndens paketmapp)"
        );
        assert_eq!(
            err("[kommun]\nname = \"K\"\nyear = 2023\nthrough_month = 8\n[[committee]]\nid = \"A\"\ndir = \"a\"\n"),
            "kommun.toml: nämnden \"A\": id får bara innehålla a–z, 0–9 och _ och ska börja med en bokstav"
        );
        assert_eq!(
            err("[kommun]\nname = \"K\"\nyear = 2023\nthrough_month = 8\n[[committee]]\nid = \"a\"\ndir = \"../a\"\n"),
            "kommun.toml: nämnden \"a\": dir = \"../a\" ska vara en mapp inom kommunmappen"
        );
        assert!(err("[kommun]\nnamn = 1\n").starts_with("kommun.toml:2:1: okänd nyckel"));
    }
}
