//! `delar report`, `delar check` and `delar init`: the report package commands.
//!
//! The engine never touches the file system; this module gives it the package folder
//! through [`DirFiles`], shows progress, and writes the outputs atomically.

use crate::output;
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use delar_core::report::{Check, CheckStatus, Report, Rounding};
use delar_core::{Options, Progress, SourceError, SourceFiles};
use indicatif::{ProgressBar, ProgressStyle};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// The package folder as the engine's [`SourceFiles`].
pub struct DirFiles {
    root: PathBuf,
}

impl DirFiles {
    /// A view of the folder `root`.
    pub fn new(root: &Path) -> DirFiles {
        DirFiles {
            root: root.to_path_buf(),
        }
    }
}

impl SourceFiles for DirFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, SourceError> {
        let full = self.root.join(path);
        match fs::read(&full) {
            Ok(bytes) => Ok(bytes),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(SourceError::NotFound),
            Err(e) => Err(SourceError::Other(format!("{}: {e}", full.display()))),
        }
    }

    fn open(&self, path: &str) -> Result<Box<dyn io::Read + Send + '_>, SourceError> {
        let full = self.root.join(path);
        match fs::File::open(&full) {
            Ok(file) => Ok(Box::new(file)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(SourceError::NotFound),
            Err(e) => Err(SourceError::Other(format!("{}: {e}", full.display()))),
        }
    }

    fn size(&self, path: &str) -> Option<u64> {
        fs::metadata(self.root.join(path)).ok().map(|m| m.len())
    }

    fn list(&self, dir: &str) -> Option<Vec<String>> {
        let mut names: Vec<String> = fs::read_dir(self.root.join(dir))
            .ok()?
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        names.sort();
        Some(names)
    }
}

/// How displayed figures are rounded.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RoundingArg {
    /// Largest-remainder rounding within every sum: tables add up as displayed (default).
    #[value(
        help = "avrundning med största rest inom varje summa: tabellerna summerar som de visas (standard)"
    )]
    AddsUp,
    /// Each cell rounded on its own, for comparison (sums may be off by rounding).
    #[value(
        help = "varje cell avrundas för sig, för jämförelse (summor kan avvika med avrundningen)"
    )]
    Independent,
}

/// An output document of `delar report`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// report.html: the report as one self-contained, print-ready HTML file.
    #[value(help = "report.html: rapporten som en fristående, utskriftsklar HTML-fil")]
    Html,
    /// report.md: the report as Markdown.
    #[value(help = "report.md: rapporten som Markdown")]
    Md,
    /// tjansteskrivelse.html and tjansteskrivelse.md: the cover memo.
    #[value(help = "tjansteskrivelse.html och tjansteskrivelse.md: tjänsteskrivelsen")]
    Memo,
    /// report.json: tables, texts and check results as JSON.
    #[value(help = "report.json: tabeller, texter och kontrollresultat som JSON")]
    Json,
    /// report.pdf and tjansteskrivelse.pdf: print-ready PDF/A documents.
    #[value(help = "report.pdf och tjansteskrivelse.pdf: utskriftsklara PDF/A-dokument")]
    Pdf,
    /// report.xlsx: one sheet per table with SUM formulas, and the check results.
    #[value(help = "report.xlsx: ett blad per tabell med SUMMA-formler, och kontrollresultaten")]
    Xlsx,
}

/// Arguments of `delar report`.
#[derive(Args)]
pub struct ReportArgs {
    /// The report package folder (with delar.toml), or a municipality folder (with
    /// kommun.toml listing the committees' packages).
    #[arg(
        value_name = "MAPP",
        help = "Rapportpaketets mapp (med delar.toml), eller en kommunmapp (med kommun.toml)"
    )]
    pub dir: PathBuf,
    /// Folder to write the outputs to (created if needed).
    #[arg(
        long,
        short,
        value_name = "MAPP",
        help = "Mapp att skriva utdata till (skapas vid behov)"
    )]
    pub out: Option<PathBuf>,
    /// Print the report's tables and check results as JSON on standard output.
    #[arg(
        long,
        help = "Skriv rapportens tabeller och kontrollresultat som JSON på standard ut"
    )]
    pub json: bool,
    /// Outputs to write into --out (default: all).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        help = "Utdata att skriva till --out (standard: alla)"
    )]
    pub format: Vec<Format>,
    /// How amounts are rounded to tkr.
    #[arg(
        long,
        value_enum,
        default_value = "adds-up",
        help = "Hur belopp avrundas till tkr"
    )]
    pub rounding: RoundingArg,
}

/// Arguments of `delar check`.
#[derive(Args)]
pub struct CheckArgs {
    /// The report package folder (with delar.toml), or a municipality folder (with
    /// kommun.toml listing the committees' packages).
    #[arg(
        value_name = "MAPP",
        help = "Rapportpaketets mapp (med delar.toml), eller en kommunmapp (med kommun.toml)"
    )]
    pub dir: PathBuf,
}

/// Arguments of `delar init`.
#[derive(Args)]
pub struct InitArgs {
    /// Folder to create the starter package in (must not exist or be empty).
    #[arg(
        value_name = "MAPP",
        help = "Mapp att skapa startpaketet i (får inte finnas eller måste vara tom)"
    )]
    pub dir: PathBuf,
    /// Write the form of a joint committee (several municipalities, one the host).
    #[arg(
        long,
        help = "Skriv formen för en gemensam nämnd (flera kommuner, en huvudman) i stället för en nämnd i en kommun"
    )]
    pub gemensam: bool,
}

fn options(rounding: RoundingArg, progress: Option<ProgressBar>) -> Options {
    let progress = progress.map(|bar| {
        let f: delar_core::ProgressFn = Arc::new(move |p: &Progress| {
            bar.set_length(p.steps as u64);
            bar.set_position(p.step as u64);
            bar.set_message(p.message.clone());
        });
        f
    });
    Options {
        rounding: match rounding {
            RoundingArg::AddsUp => Rounding::AddsUp,
            RoundingArg::Independent => Rounding::Independent,
        },
        progress,
    }
}

fn progress_bar() -> ProgressBar {
    // indicatif draws only when standard error is a terminal.
    let bar = ProgressBar::new(1);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// Whether the folder is a municipality folder (`kommun.toml` listing committee packages).
fn is_kommun(dir: &Path) -> bool {
    dir.join(delar_core::kommun::KOMMUN_PATH).is_file()
}

fn require_package(dir: &Path) -> Result<()> {
    if is_kommun(dir) {
        return Ok(());
    }
    if !dir.is_dir() {
        bail!(
            "{} finns inte eller är ingen mapp; ange mappen med delar.toml (skapa en med `delar init MAPP`)",
            dir.display()
        );
    }
    if !dir.join("delar.toml").is_file() {
        bail!(
            "{} saknar delar.toml (och kommun.toml); är det rätt mapp? (skapa ett nytt rapportpaket med `delar init MAPP`)",
            dir.display()
        );
    }
    Ok(())
}

/// Runs `delar report`.
pub fn report(args: ReportArgs) -> Result<ExitCode> {
    require_package(&args.dir)?;
    if args.out.is_none() && !args.json {
        bail!("ange var rapporten ska skrivas med --out MAPP (eller --json för att skriva JSON på standard ut)");
    }
    if is_kommun(&args.dir) {
        return report_kommun(&args);
    }
    let bar = progress_bar();
    let options = options(args.rounding, Some(bar.clone()));
    let built = delar_core::load_package(&DirFiles::new(&args.dir), options.progress.as_ref())
        .and_then(|pkg| {
            // The process ends once the report is written: the package's ledgers (up to
            // millions of postings) are left to the operating system rather than freed
            // one by one (3.5 % of a large report's instructions).
            let pkg = std::mem::ManuallyDrop::new(pkg);
            delar_core::report_from_package(&pkg, &options)
        });
    bar.finish_and_clear();
    let report = built.map_err(|e| anyhow::anyhow!("{e}"))?;

    let json = || delar_render::json::to_string_pretty(&report);
    let files = || documents(&report, selected(&args.format));
    finish(&args, files, json, &report.checks)
}

/// The end of `delar report`: writes the documents into --out (when given), prints the
/// JSON (with --json) and the check results; the exit code follows the checks.
fn finish(
    args: &ReportArgs,
    files: impl FnOnce() -> Result<Vec<(String, Vec<u8>)>>,
    json: impl FnOnce() -> String,
    checks: &[Check],
) -> Result<ExitCode> {
    // The process ends once the files are written: Typst's cache is left to the operating
    // system rather than cleared after each PDF (10-20 ms after a large report).
    delar_render::pdf::set_cache_policy(delar_render::pdf::CachePolicy::KeepUntilExit);
    if let Some(out) = &args.out {
        for path in output::write_all(out, &files()?)? {
            eprintln!("skrev {}", path.display());
        }
    }
    if args.json {
        let mut stdout = io::stdout().lock();
        stdout.write_all(json().as_bytes())?;
        stdout.write_all(b"\n")?;
    }
    print_checks(checks, args.json);
    Ok(exit_code(checks))
}

/// The formats asked for (all when none is named).
fn selected(formats: &[Format]) -> &[Format] {
    if formats.is_empty() {
        &[
            Format::Html,
            Format::Md,
            Format::Memo,
            Format::Json,
            Format::Pdf,
            Format::Xlsx,
        ]
    } else {
        formats
    }
}

/// `delar report` on a municipality folder: every committee's report in the subfolder
/// named by its id, the consolidated report at the top of --out; `--json` prints the
/// consolidated report's JSON.
fn report_kommun(args: &ReportArgs) -> Result<ExitCode> {
    let bar = progress_bar();
    let built = delar_core::kommun::build_kommun(
        &DirFiles::new(&args.dir),
        &options(args.rounding, Some(bar.clone())),
    );
    bar.finish_and_clear();
    let kommun = built.map_err(|e| anyhow::anyhow!("{e}"))?;
    let json = || delar_render::kommun::to_string_pretty(&kommun);
    let files = || {
        let formats = selected(&args.format);
        let mut files = Vec::new();
        for c in &kommun.committees {
            for (name, bytes) in documents(&c.report, formats)? {
                files.push((format!("{}/{name}", c.entry.id), bytes));
            }
        }
        // The consolidated report has no memo; its other outputs come from the
        // municipality's renderers.
        for format in formats {
            let file = match format {
                Format::Memo => continue,
                Format::Html => (
                    "report.html",
                    delar_render::kommun::html(&kommun).into_bytes(),
                ),
                Format::Md => (
                    "report.md",
                    delar_render::kommun::markdown(&kommun).into_bytes(),
                ),
                Format::Json => ("report.json", format!("{}\n", json()).into_bytes()),
                Format::Pdf => (
                    "report.pdf",
                    delar_render::kommun::pdf(&kommun).context("kan inte skapa report.pdf")?,
                ),
                Format::Xlsx => (
                    "report.xlsx",
                    delar_render::kommun::xlsx(&kommun).context("kan inte skapa report.xlsx")?,
                ),
            };
            files.push((file.0.to_string(), file.1));
        }
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files.dedup_by(|a, b| a.0 == b.0);
        Ok(files)
    };
    finish(args, files, json, &kommun.consolidated.checks)
}

fn documents(report: &Report, formats: &[Format]) -> Result<Vec<(String, Vec<u8>)>> {
    use delar_render::documents::Format as F;
    let formats: Vec<F> = formats
        .iter()
        .map(|f| match f {
            Format::Html => F::Html,
            Format::Md => F::Md,
            Format::Memo => F::Memo,
            Format::Json => F::Json,
            Format::Pdf => F::Pdf,
            Format::Xlsx => F::Xlsx,
        })
        .collect();
    Ok(delar_render::documents::documents(report, &formats)?)
}

/// Runs `delar check`.
pub fn check(args: CheckArgs) -> Result<ExitCode> {
    require_package(&args.dir)?;
    let bar = progress_bar();
    let files = DirFiles::new(&args.dir);
    let options = options(RoundingArg::AddsUp, Some(bar.clone()));
    let checks = if is_kommun(&args.dir) {
        delar_core::kommun::check_kommun(&files, &options)
    } else {
        delar_core::check_package(&files, &options)
    };
    bar.finish_and_clear();
    let checks = checks.map_err(|e| anyhow::anyhow!("{e}"))?;
    print_checks(&checks, false);
    Ok(exit_code(&checks))
}

fn exit_code(checks: &[Check]) -> ExitCode {
    if checks.iter().any(|c| c.status == CheckStatus::Fail) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints the check results, one line each, to standard error when standard output
/// carries JSON, else to standard output.
fn print_checks(checks: &[Check], to_stderr: bool) {
    let mut text = String::new();
    let (mut pass, mut warn, mut fail) = (0, 0, 0);
    for c in checks {
        let word = match c.status {
            CheckStatus::Pass => {
                pass += 1;
                "ok     "
            }
            CheckStatus::Warn => {
                warn += 1;
                "varning"
            }
            CheckStatus::Fail => {
                fail += 1;
                "FEL    "
            }
        };
        text.push_str(&format!("{word} {}: {}\n", c.id, c.message));
        for (label, value) in &c.figures {
            text.push_str(&format!("          {label}: {value}\n"));
        }
    }
    text.push_str(&format!(
        "kontroller: {pass} ok, {warn} varningar, {fail} fel\n"
    ));
    if to_stderr {
        eprint!("{text}");
    } else {
        print!("{text}");
    }
}

/// Runs `delar init`.
pub fn init(args: InitArgs) -> Result<ExitCode> {
    let dir = &args.dir;
    if dir.exists() {
        let empty = dir.is_dir()
            && fs::read_dir(dir)
                .with_context(|| format!("kan inte läsa {}", dir.display()))?
                .next()
                .is_none();
        if !empty {
            bail!(
                "{} finns redan och är inte tom; välj en ny mapp så att inget skrivs över",
                dir.display()
            );
        }
    }
    let starter = &crate::starter::FILES;
    let (toml, extra): (&[u8], &[(&str, &[u8])]) = if args.gemensam {
        (crate::starter::GEMENSAM_TOML, &[])
    } else {
        (crate::starter::KOMMUN_TOML, crate::starter::KOMMUN_ONLY)
    };
    let files: Vec<(String, Vec<u8>)> = std::iter::once(("delar.toml", toml))
        .chain(starter.iter().copied())
        .chain(extra.iter().copied())
        .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
        .collect();
    // Write into a sibling temporary folder, then rename it into place: nothing
    // half-written is left if a write fails.
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).with_context(|| format!("kan inte skapa {}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".delar-init.")
        .tempdir_in(&parent)
        .with_context(|| format!("kan inte skapa en tillfällig mapp i {}", parent.display()))?;
    for (name, bytes) in &files {
        let path = staging.path().join(name);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).with_context(|| format!("kan inte skapa {}", p.display()))?;
        }
        fs::write(&path, bytes).with_context(|| format!("kan inte skriva {}", path.display()))?;
    }
    if dir.exists() {
        fs::remove_dir(dir).with_context(|| format!("kan inte ersätta {}", dir.display()))?;
    }
    let staged = staging.keep();
    fs::rename(&staged, dir).with_context(|| format!("kan inte skapa {}", dir.display()))?;
    println!(
        "skapade ett rapportpaket i {} ({} filer)",
        dir.display(),
        files.len()
    );
    println!(
        "nästa steg: läs kommentarerna i {}, byt ut exempeldata mot era egna källor och kör",
        dir.join("delar.toml").display()
    );
    println!("  delar check {}", dir.display());
    println!("  delar report {} --out UT", dir.display());
    Ok(ExitCode::SUCCESS)
}
