//! Read and normalise stages: load a report package through [`SourceFiles`] into an
//! immutable [`Package`] (configuration, ledgers, budget, forecast, register, staff, goals,
//! texts), with progress reports for large ledgers.

use crate::config::{parse_config, Config, CONFIG_PATH};
use crate::error::LoadError;
use crate::ledger::{budget_from_sie, read_ledger_from, KeptObjects, Ledger};
use crate::report::GoalStatus;
use crate::sources::{
    open_file, parse_budget, parse_changes, parse_employments, parse_forecast, parse_register,
    parse_sick_spells, read_file, read_optional, utf8_text, BudgetLine, ChangeLine, Employee,
    ForecastLine, Project, SickSpell, SourceFiles,
};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A step of loading, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// Steps finished so far.
    pub step: usize,
    /// Steps in all.
    pub steps: usize,
    /// What the last step did (e.g. `huvudbok/huvudbok-2023.se: 120 000 poster`), or what
    /// the step under way does (e.g. `läser huvudbok/huvudbok-2023.se …`).
    pub message: String,
}

/// A progress callback.
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// A goal as written in the goals file (its text not yet filled).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalSource {
    /// Title.
    pub title: String,
    /// Status, when assessed.
    pub status: Option<GoalStatus>,
    /// Markdown template.
    pub text: String,
    /// Line in the goals file where the template's first line is.
    pub text_line: usize,
    /// Indicators: (name, target, outcome).
    pub indicators: Vec<(String, String, String)>,
}

/// A text template and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextSource {
    /// Path inside the package.
    pub path: String,
    /// The template.
    pub text: String,
}

/// Everything a report is computed from, read and normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// The package description.
    pub config: Config,
    /// Current year's ledger (shared, not copied, when several committees of a
    /// municipality read one ledger; see [`crate::kommun`]).
    pub current: Arc<Ledger>,
    /// Prior year's ledger.
    pub prior: Option<Arc<Ledger>>,
    /// Original budget lines.
    pub budget: Vec<BudgetLine>,
    /// Budget changes.
    pub changes: Vec<ChangeLine>,
    /// Forecast lines; `None` when the package has no forecast file.
    pub forecast: Option<Vec<ForecastLine>>,
    /// Investment register.
    pub register: Vec<Project>,
    /// Employees.
    pub employees: Vec<Employee>,
    /// Sick spells.
    pub spells: Vec<SickSpell>,
    /// Goals.
    pub goals: Vec<GoalSource>,
    /// Goals file path (for template errors).
    pub goals_path: String,
    /// Text templates by file name (the sections' and the memo's); missing files are
    /// absent.
    pub texts: BTreeMap<String, TextSource>,
    /// The Markdown files in `texts.dir` (sorted), when the folder could be listed.
    pub text_dir_files: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGoals {
    #[serde(default)]
    goal: Vec<RawGoal>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGoal {
    title: String,
    status: Option<String>,
    text: Option<toml::Spanned<String>>,
    #[serde(default)]
    indicator: Vec<RawIndicator>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    name: String,
    target: String,
    outcome: String,
}

/// Parses the goals file.
pub fn parse_goals(path: &str, bytes: &[u8]) -> Result<Vec<GoalSource>, LoadError> {
    let text = utf8_text(path, bytes)?;
    let raw: RawGoals = toml::from_str(&text).map_err(|e| {
        let (line, column) = crate::config::line_col(&text, e.span().map_or(0, |s| s.start));
        LoadError::Toml {
            path: path.to_string(),
            line,
            column,
            message: crate::config::toml_message(e.message()),
        }
    })?;
    raw.goal
        .into_iter()
        .map(|g| {
            let status = match g.status.as_deref().map(str::trim) {
                None | Some("") => None,
                Some("uppfyllt") => Some(GoalStatus::Uppfyllt),
                Some("delvis") => Some(GoalStatus::Delvis),
                Some("ej_uppfyllt") => Some(GoalStatus::EjUppfyllt),
                Some(other) => {
                    return Err(LoadError::Config {
                        path: path.to_string(),
                        message: format!(
                            "målet \"{}\": okänd status \"{other}\" (kända: uppfyllt, delvis, ej_uppfyllt)",
                            g.title
                        ),
                    })
                }
            };
            let (template, text_line) = match g.text {
                Some(t) => {
                    let start = t.span().start;
                    let (mut line, _) = crate::config::line_col(&text, start);
                    // A multi-line string that opens with a line break starts on the next line.
                    let raw = text.get(start..).unwrap_or("");
                    let opens_multiline = ["\"\"\"", "'''"].iter().any(|q| {
                        raw.strip_prefix(q)
                            .is_some_and(|r| r.starts_with('\n') || r.starts_with("\r\n"))
                    });
                    if opens_multiline {
                        line += 1;
                    }
                    (t.into_inner(), line)
                }
                None => (String::new(), 1),
            };
            Ok(GoalSource {
                title: g.title,
                status,
                text: template,
                text_line,
                indicators: g
                    .indicator
                    .into_iter()
                    .map(|i| (i.name, i.target, i.outcome))
                    .collect(),
            })
        })
        .collect()
}

fn is_sie_path(path: &str) -> bool {
    let lower = path.to_lowercase();
    [".se", ".si", ".sie", ".sie4", ".se4"]
        .iter()
        .any(|e| lower.ends_with(e))
}

fn join(dir: &str, file: &str) -> String {
    let dir = dir.trim_end_matches('/');
    if dir.is_empty() || dir == "." {
        file.to_string()
    } else {
        format!("{dir}/{file}")
    }
}

/// Reads `delar.toml` and every source it names. Missing or malformed files are errors
/// naming the path; the source checks run later (see [`crate::checks`]).
pub fn load_package(
    files: &dyn SourceFiles,
    progress: Option<&ProgressFn>,
) -> Result<Package, LoadError> {
    load_package_with(files, progress, &|_| None)
}

/// A ledger already read, by its path in the package (`None`: read it from the files).
pub type SharedLedgers<'a> = &'a dyn Fn(&str) -> Option<Arc<Ledger>>;

/// Up to this many bytes of SIE in all (as [`SourceFiles::size`] tells), the current and
/// the prior ledger are read at the same time, on two threads. Above it, or when a size is
/// unknown, one after the other: each ledger is read in pieces either way (never whole in
/// memory), but one after the other the first ledger's sums are compacted before the
/// second's grow, which keeps the peak of a ledger of ten million rows a year lower.
pub const PARALLEL_LEDGER_BYTES: usize = 256 << 20;

/// Reads the current and the prior ledger: in parallel when both files together are at
/// most [`PARALLEL_LEDGER_BYTES`], else one after the other. Errors come in the order of
/// reading them one after the other: the current file's first.
fn read_two_ledgers(
    files: &dyn SourceFiles,
    current: &str,
    prior: &str,
    keep: &KeptObjects,
) -> Result<(Ledger, Ledger), LoadError> {
    let (current_size, prior_size) = (files.size(current), files.size(prior));
    let parallel = match (current_size, prior_size) {
        (Some(c), Some(p)) => c.saturating_add(p) <= PARALLEL_LEDGER_BYTES as u64,
        _ => false,
    };
    let current_input = open_file(files, current)?;
    if !parallel {
        let c = read_ledger_from(current, current_input, current_size, keep)?;
        let p = read_ledger_from(prior, open_file(files, prior)?, prior_size, keep)?;
        return Ok((c, p));
    }
    let prior_input = match open_file(files, prior) {
        Ok(input) => input,
        Err(e) => {
            read_ledger_from(current, current_input, current_size, keep)?;
            return Err(e);
        }
    };
    let (c, p) = std::thread::scope(|s| {
        let other = s.spawn(|| read_ledger_from(prior, prior_input, prior_size, keep));
        let c = read_ledger_from(current, current_input, current_size, keep);
        let p = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (c, p)
    });
    Ok((c?, p?))
}

/// [`load_package`], taking the ledgers that `shared` has (by the path `delar.toml`
/// names) instead of reading them again: a municipality's committees share one parsed
/// ledger.
pub fn load_package_with(
    files: &dyn SourceFiles,
    progress: Option<&ProgressFn>,
    shared: SharedLedgers<'_>,
) -> Result<Package, LoadError> {
    let config = parse_config(&read_file(files, CONFIG_PATH)?)?;
    let keep = KeptObjects::for_config(&config);
    let ledger = |path: &str| -> Result<Arc<Ledger>, LoadError> {
        match shared(path) {
            Some(l) => Ok(l),
            None => Ok(Arc::new(read_ledger_from(
                path,
                open_file(files, path)?,
                files.size(path),
                &keep,
            )?)),
        }
    };
    let steps = 5 + usize::from(config.ledger.prior.is_some());
    // `step` counts finished steps; `announce` tells what the next (slow) step does.
    let step = std::cell::Cell::new(0);
    let notify = |message: String| {
        if let Some(p) = progress {
            p(&Progress {
                step: step.get(),
                steps,
                message,
            });
        }
    };
    let report = |message: String| {
        step.set(step.get() + 1);
        notify(message);
    };
    let announce = |path: &str| notify(format!("läser {path} …"));
    report(format!("{CONFIG_PATH} läst"));

    announce(&config.ledger.current);
    let (current, prior) = match &config.ledger.prior {
        // Two ledgers of the package's own: read together.
        Some(p) if shared(&config.ledger.current).is_none() && shared(p).is_none() => {
            let (c, l) = read_two_ledgers(files, &config.ledger.current, p, &keep)?;
            report(format!("{}: {} poster", c.path, c.row_count()));
            report(format!("{}: {} poster", l.path, l.row_count()));
            (Arc::new(c), Some(Arc::new(l)))
        }
        _ => {
            let current = ledger(&config.ledger.current)?;
            report(format!("{}: {} poster", current.path, current.row_count()));
            let prior = match &config.ledger.prior {
                Some(p) => {
                    announce(p);
                    let l = ledger(p)?;
                    report(format!("{}: {} poster", l.path, l.row_count()));
                    Some(l)
                }
                None => None,
            };
            (current, prior)
        }
    };

    let budget_bytes = read_file(files, &config.budget_file)?;
    let budget = if is_sie_path(&config.budget_file) {
        budget_from_sie(
            &config.budget_file,
            &budget_bytes,
            config.allocation.dimension,
        )?
    } else {
        parse_budget(&config.budget_file, &budget_bytes)?
    };
    let changes = match &config.budget_changes {
        Some(p) => parse_changes(p, &read_file(files, p)?)?,
        None => Vec::new(),
    };
    let forecast = match &config.forecast_file {
        Some(p) => Some(parse_forecast(p, &read_file(files, p)?)?),
        None => None,
    };
    if let Some(lines) = &forecast {
        for l in lines {
            if !config.rows.iter().any(|r| r.id == l.row) {
                return Err(LoadError::Csv {
                    path: l.origin.0.clone(),
                    line: l.origin.1,
                    column: Some("rad".into()),
                    message: format!(
                        "okänd rad \"{}\" (kända: {})",
                        l.row,
                        config
                            .rows
                            .iter()
                            .map(|r| r.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
        }
    }
    report("budget och prognos lästa".into());

    let register = match &config.investments {
        Some(i) => parse_register(&i.file, &read_file(files, &i.file)?)?,
        None => Vec::new(),
    };
    let (employees, spells) = match &config.staff {
        Some(s) => (
            parse_employments(&s.employments, &read_file(files, &s.employments)?)?,
            parse_sick_spells(&s.sick_spells, &read_file(files, &s.sick_spells)?)?,
        ),
        None => (Vec::new(), Vec::new()),
    };
    report("investeringar och personal lästa".into());

    let (goals, goals_path) = match &config.goals_file {
        Some(p) => (parse_goals(p, &read_file(files, p)?)?, p.clone()),
        None => (Vec::new(), String::new()),
    };
    let mut texts = BTreeMap::new();
    let mut text_dir_files = None;
    if let Some(dir) = &config.texts_dir {
        let names = config
            .sections
            .iter()
            .filter_map(|s| s.text.as_deref())
            .chain(crate::config::MEMO_TEXTS);
        for name in names {
            let path = join(dir, name);
            if let Some(bytes) = read_optional(files, &path)? {
                let text = utf8_text(&path, &bytes)?;
                texts.insert(name.to_string(), TextSource { path, text });
            }
        }
        text_dir_files = files.list(dir).map(|names| {
            names
                .into_iter()
                .filter(|n| n.to_lowercase().ends_with(".md"))
                .collect()
        });
    }
    report("mål och texter lästa".into());

    Ok(Package {
        config,
        current,
        prior,
        budget,
        changes,
        forecast,
        register,
        employees,
        spells,
        goals,
        goals_path,
        texts,
        text_dir_files,
    })
}
