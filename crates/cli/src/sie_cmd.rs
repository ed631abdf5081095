//! `delar sie …`: check, balances and convert SIE files (thin layer over `delar-sie`).

use anyhow::{bail, Context};
use clap::{Args, Subcommand, ValueEnum};
use delar_sie::{
    BalanceRow, BalanceSource, Diagnostic, ParseOptions, Parsed, RowKind, SieFile, SieReader,
    SieType, TransAggregator, VoucherRef,
};
use indicatif::{ProgressBar, ProgressStyle};
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Files at least this large get a progress bar (when stderr is a terminal).
const PROGRESS_BYTES: u64 = 32 * 1024 * 1024;

/// Arguments of `delar sie`.
#[derive(Args)]
pub struct SieArgs {
    #[command(subcommand)]
    command: SieCommand,
}

#[derive(Subcommand)]
enum SieCommand {
    /// Check SIE files: one summary line per file, then each problem as FILE:LINE:COL.
    /// Exit status 0 when every file is valid, 1 otherwise.
    #[command(
        about = "Kontrollera SIE-filer: en sammanfattande rad per fil, sedan varje problem som FIL:RAD:KOLUMN. Status 0 när alla filer är giltiga, annars 1"
    )]
    Check {
        /// SIE files (types 1, 2, 3, 4E, 4I).
        #[arg(
            required = true,
            value_name = "FILER",
            help = "SIE-filer (typ 1, 2, 3, 4E, 4I)"
        )]
        files: Vec<PathBuf>,
        /// Report data problems (unbalanced vouchers, checksum) as warnings, not errors.
        #[arg(
            long,
            help = "Rapportera datafel (obalanserade verifikationer, kontrollsumma) som varningar, inte fel"
        )]
        lenient: bool,
    },
    /// Print balances per account and month: from vouchers (#TRANS), else #PSALDO, else
    /// #RES and #UB. A row without object is the account's total; object rows come in addition.
    #[command(
        about = "Skriv saldon per konto och månad: från verifikationer (#TRANS), annars #PSALDO, annars #RES och #UB. En rad utan objekt är kontots summa; rader med objekt kommer därutöver"
    )]
    Balances {
        /// SIE file.
        #[arg(value_name = "FIL", help = "SIE-fil")]
        file: PathBuf,
        /// Year index: 0 the current year, -1 the prior one.
        #[arg(
            long,
            default_value_t = 0,
            allow_hyphen_values = true,
            value_name = "ÅR",
            help = "Årsnummer: 0 innevarande år, -1 föregående"
        )]
        year: i32,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Csv, help = "Utdataformat")]
        format: Format,
        /// Read on past data problems (they become warnings on stderr).
        #[arg(
            long,
            help = "Läs vidare förbi datafel (de blir varningar på standard fel)"
        )]
        lenient: bool,
    },
    /// Convert a SIE file to SIE type 1–4 (CP437 with #KSUMMA) or to JSON.
    #[command(
        about = "Konvertera en SIE-fil till SIE typ 1–4 (CP437 med #KSUMMA) eller till JSON"
    )]
    Convert {
        /// SIE file.
        #[arg(value_name = "FIL", help = "SIE-fil")]
        file: PathBuf,
        /// Target: 1, 2, 3, 4 (SIE type) or json.
        #[arg(
            long,
            value_name = "MÅL",
            help = "Mål: 1, 2, 3, 4 (SIE-typ) eller json"
        )]
        to: String,
        /// Output file (written to a temporary file beside it, then renamed).
        #[arg(
            long,
            value_name = "UTFIL",
            help = "Utfil (skrivs först till en tillfällig fil bredvid och döps sedan om)"
        )]
        out: PathBuf,
        /// Read on past data problems (they become warnings on stderr).
        #[arg(
            long,
            help = "Läs vidare förbi datafel (de blir varningar på standard fel)"
        )]
        lenient: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Csv,
    Json,
}

/// Runs `delar sie`.
pub fn run(args: SieArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        SieCommand::Check { files, lenient } => check(&files, lenient),
        SieCommand::Balances {
            file,
            year,
            format,
            lenient,
        } => balances(&file, year, format, lenient),
        SieCommand::Convert {
            file,
            to,
            out,
            lenient,
        } => convert(&file, &to, &out, lenient),
    }
}

fn options(path: &Path, lenient: bool) -> ParseOptions {
    let o = ParseOptions::new(path.display().to_string());
    if lenient {
        o.lenient()
    } else {
        o
    }
}

fn progress_bar(path: &Path) -> Option<ProgressBar> {
    let len = std::fs::metadata(path).ok()?.len();
    if len < PROGRESS_BYTES || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template(
        "{msg} [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(path.display().to_string());
    Some(bar)
}

/// A streaming reader over `path` with a progress bar on stderr (when it is a terminal).
fn open_reader(
    path: &Path,
    lenient: bool,
    texts: bool,
) -> anyhow::Result<(SieReader<BufReader<File>>, Option<ProgressBar>)> {
    let file = File::open(path).with_context(|| format!("kan inte öppna {}", path.display()))?;
    let bar = progress_bar(path);
    let mut options = options(path, lenient);
    options.texts = texts;
    let mut reader = SieReader::new(BufReader::with_capacity(1 << 20, file), &options);
    if let Some(bar) = bar.clone() {
        let mut last = 0u64;
        reader = reader.with_progress(move |pos| {
            if pos - last > 1 << 20 {
                bar.set_position(pos);
                last = pos;
            }
        });
    }
    Ok((reader, bar))
}

/// Streams `path`, passing each voucher to `each` with what was read of the rest of the
/// file so far; returns the rest of the file and the diagnostics. Memory stays bounded by
/// the largest voucher.
fn stream(
    path: &Path,
    lenient: bool,
    each: impl FnMut(&SieFile, VoucherRef<'_>),
) -> anyhow::Result<Parsed> {
    // `check` and `balances` count and sum: the vouchers' and rows' texts are read and
    // checked but not decoded (`ParseOptions::without_texts`; the diagnostics are the same).
    let (reader, bar) = open_reader(path, lenient, false)?;
    let parsed = reader.read_all_with_header(each);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(parsed?)
}

/// Reads the whole file into memory with vouchers.
fn read_whole(path: &Path, lenient: bool) -> anyhow::Result<Parsed> {
    let (reader, bar) = open_reader(path, lenient, true)?;
    let parsed = reader.into_parsed();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(parsed?)
}

fn print_diagnostics(out: &mut impl Write, diagnostics: &[Diagnostic]) -> std::io::Result<()> {
    for d in diagnostics {
        writeln!(out, "{d}")?;
    }
    Ok(())
}

/// What `check` counts of the vouchers.
#[derive(Default)]
struct Counts {
    vouchers: usize,
    /// Vouchers with `#RTRANS` or `#BTRANS` rows.
    corrected: usize,
    rows: usize,
}

/// The bytes of a file: mapped into memory when it is a regular file, else read.
enum Input {
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl std::ops::Deref for Input {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Input::Mapped(m) => m,
            Input::Read(v) => v,
        }
    }
}

/// Maps `path` into memory (read from the page cache in place, no copy), or reads it when
/// it cannot be mapped (an empty file, a pipe).
fn input(path: &Path) -> anyhow::Result<Input> {
    let mut file =
        File::open(path).with_context(|| format!("kan inte öppna {}", path.display()))?;
    let regular = file.metadata().is_ok_and(|m| m.is_file() && m.len() > 0);
    if regular {
        // SAFETY: the map is only read, and only while `check_one` runs. Another process
        // truncating the file in those moments would end delar with SIGBUS (as it would
        // ripgrep, which maps files the same way); exported SIE files are not written to
        // while they are checked.
        // Not populated ahead: `MAP_POPULATE` maps every page on this thread before the
        // reading starts (about 4 ms for 47 MB here, a tenth of the whole check), where
        // the reader's threads fault their own ranges in as they go, at the same time.
        if let Ok(map) = unsafe { memmap2::MmapOptions::new().map(&file) } {
            #[cfg(unix)]
            let _ = map.advise(memmap2::Advice::Sequential);
            return Ok(Input::Mapped(map));
        }
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut file, &mut bytes)
        .with_context(|| format!("kan inte läsa {}", path.display()))?;
    Ok(Input::Read(bytes))
}

/// Reads and checks one file on every core ([`delar_sie::parse_each_parallel`]: the same
/// diagnostics as a read in order), counting vouchers, corrected vouchers and rows.
fn check_one(path: &Path, lenient: bool) -> anyhow::Result<(Parsed, Counts)> {
    let bytes = input(path)?;
    let spinner = spinner(path, bytes.len() as u64);
    // `check` counts: the vouchers' and rows' texts are read and checked but not decoded
    // (`ParseOptions::without_texts`; the diagnostics are the same).
    let options = options(path, lenient).without_texts();
    let (parsed, counts) = delar_sie::parse_each_parallel(
        &bytes,
        &options,
        delar_sie::Parallel::default(),
        Counts::default,
        |c: &mut Counts, _, v| {
            c.vouchers += 1;
            c.rows += v.row_count();
            if v.rows().any(|r| r.kind() != RowKind::Normal) {
                c.corrected += 1;
            }
        },
    );
    if let Some(s) = spinner {
        s.finish_and_clear();
    }
    let total = counts.into_iter().fold(Counts::default(), |a, c| Counts {
        vouchers: a.vouchers + c.vouchers,
        corrected: a.corrected + c.corrected,
        rows: a.rows + c.rows,
    });
    Ok((parsed, total))
}

/// A spinner on stderr while a large file is checked (when stderr is a terminal): the
/// threads of the parallel reader report no position, and a file of a GB takes a second.
fn spinner(path: &Path, len: u64) -> Option<ProgressBar> {
    if len < PROGRESS_BYTES || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new_spinner();
    bar.set_message(format!(
        "kontrollerar {} ({} MB)",
        path.display(),
        len / 1_000_000
    ));
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(bar)
}

fn check(files: &[PathBuf], lenient: bool) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut all_valid = true;
    for path in files {
        let shown = path.display().to_string();
        let (
            parsed,
            Counts {
                vouchers,
                corrected,
                rows,
            },
        ) = match check_one(path, lenient) {
            Ok(p) => p,
            Err(e) => {
                all_valid = false;
                writeln!(out, "{shown}: kan inte läsas")?;
                writeln!(out, "{shown}:0:0: error: {e:#}")?;
                continue;
            }
        };
        let errors = parsed.diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = parsed.diagnostics.len() - errors;
        if errors > 0 {
            all_valid = false;
        }
        let is_sie = !parsed
            .diagnostics
            .iter()
            .any(|d| d.code == delar_sie::Code::NotSie);
        if is_sie {
            let f = &parsed.file;
            let ty = f
                .sie_type
                .map_or("?".to_string(), |t| t.number().to_string());
            let program =
                f.program
                    .as_ref()
                    .map_or("okänt program".to_string(), |p| match &p.version {
                        Some(v) => format!("{} {}", p.name, v),
                        None => p.name.clone(),
                    });
            // Vouchers changed after registration (#RTRANS/#BTRANS rows), so that a
            // controller sees that the corrections were applied.
            let corrections = if vouchers > 0 {
                format!(" (varav {corrected} rättade med #RTRANS/#BTRANS)")
            } else {
                String::new()
            };
            writeln!(
                out,
                "{shown}: SIE typ {ty}, {program}, {}: {} konton, {vouchers} verifikationer{corrections}, {rows} rader, {} periodsaldon, {} periodbudgetar: {}",
                parsed.encoding,
                f.accounts.len(),
                f.period_balances.len(),
                f.period_budgets.len(),
                verdict(errors, warnings)
            )?;
        } else {
            writeln!(out, "{shown}: ingen SIE-fil: {}", verdict(errors, warnings))?;
        }
        print_diagnostics(&mut out, &parsed.diagnostics)?;
    }
    Ok(if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn verdict(errors: usize, warnings: usize) -> String {
    let warnings_text = match warnings {
        1 => "1 varning".to_string(),
        w => format!("{w} varningar"),
    };
    match (errors, warnings) {
        (0, 0) => "giltig".to_string(),
        (0, _) => format!("giltig, {warnings_text}"),
        (e, _) => format!("OGILTIG, {e} fel, {warnings_text}"),
    }
}

/// Prints diagnostics to stderr; true when there are errors (the command must stop).
fn report_problems(parsed: &Parsed) -> bool {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let _ = print_diagnostics(&mut err, &parsed.diagnostics);
    if parsed.has_errors() {
        let _ = writeln!(
            err,
            "delar: {} har fel; rätta dem, eller läs vidare förbi datafel med --lenient",
            parsed
                .diagnostics
                .first()
                .map_or("filen".to_string(), |d| d.path.clone())
        );
        return true;
    }
    false
}

fn object_text(row: &BalanceRow) -> String {
    row.objects
        .iter()
        .map(|o| format!("{}:{}", o.dimension, o.id))
        .collect::<Vec<_>>()
        .join(" ")
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn balances(path: &Path, year: i32, format: Format, lenient: bool) -> anyhow::Result<ExitCode> {
    // Stream: aggregate vouchers of the year as they come (the #RAR records precede them).
    let mut agg: Option<Option<TransAggregator>> = None;
    let parsed = stream(path, lenient, |header, v| {
        let agg = agg.get_or_insert_with(|| {
            let range = header.fiscal_year(year).copied();
            // Without a #RAR for a prior year its vouchers cannot be told apart.
            (range.is_some() || year == 0).then(|| TransAggregator::new(range))
        });
        if let Some(agg) = agg {
            agg.add(&v);
        }
    })?;
    if report_problems(&parsed) {
        return Ok(ExitCode::from(1));
    }
    let result = match agg {
        Some(Some(a)) if a.voucher_count() > 0 => delar_sie::Balances {
            source: BalanceSource::Transactions,
            year,
            rows: a.into_rows(),
        },
        _ => delar_sie::balances::from_balances(&parsed.file, year),
    };
    let range = parsed
        .file
        .fiscal_year(year)
        .map(|y| format!("{} – {}", y.start, y.end))
        .unwrap_or_else(|| "ingen #RAR för året".to_string());
    let mut text = String::new();
    match format {
        Format::Csv => {
            writeln!(text, "# källa: {}; år {year} ({range})", result.source)?;
            writeln!(text, "account,period,object,amount")?;
            for r in &result.rows {
                writeln!(
                    text,
                    "{},{},{},{}",
                    csv_field(&r.account),
                    r.period.map(|p| p.to_string()).unwrap_or_default(),
                    csv_field(&object_text(r)),
                    r.amount
                )?;
            }
        }
        Format::Json => {
            let rows: Vec<serde_json::Value> = result
                .rows
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "account": &*r.account,
                        "period": r.period.map(|p| p.to_string()).unwrap_or_default(),
                        "object": object_text(r),
                        "amount": r.amount.to_string(),
                    })
                })
                .collect();
            let doc = serde_json::json!({
                "source": result.source,
                "source_description": result.source.to_string(),
                "year": year,
                "fiscal_year": range,
                "rows": rows,
            });
            text = serde_json::to_string_pretty(&doc)?;
            text.push('\n');
        }
    }
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn convert(path: &Path, to: &str, out: &Path, lenient: bool) -> anyhow::Result<ExitCode> {
    let target = match to {
        "json" | "JSON" => None,
        "1" | "2" | "3" | "4" | "4E" | "4e" | "4I" | "4i" => {
            let n = to.as_bytes()[0] - b'0';
            Some(SieType::from_number(n).context("SIE-typ")?)
        }
        other => bail!("--to {other}: ange 1, 2, 3, 4 eller json"),
    };
    let parsed = read_whole(path, lenient)?;
    if report_problems(&parsed) {
        return Ok(ExitCode::from(1));
    }
    let bytes = match target {
        Some(ty) => delar_sie::write(&parsed.file, ty),
        None => {
            let doc = serde_json::json!({
                "encoding": parsed.encoding,
                "file": parsed.file,
            });
            let mut v = serde_json::to_vec_pretty(&doc)?;
            v.push(b'\n');
            v
        }
    };
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)
        .with_context(|| format!("kan inte skapa en tillfällig fil i {}", dir.display()))?;
    tmp.write_all(&bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(out)
        .with_context(|| format!("kan inte skriva {}", out.display()))?;
    Ok(ExitCode::SUCCESS)
}
