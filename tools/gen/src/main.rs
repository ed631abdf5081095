//! `delar-gen`: writes benchmark data (a developer tool, so its help is in English):
//! SIE 4 ledgers per exporter profile, whole report packages, and hledger / ledger-cli
//! journals of a package's data, plus the per-account totals every reader must find.

use clap::{Parser, Subcommand, ValueEnum};
use delar_gen::journal::{write_journal, Flavour};
use delar_gen::model::{totals, Totals};
use delar_gen::package::{budget, ledger_specs, write_ledger_file, write_package, PackageSpec};
use delar_gen::{LedgerSpec, LineEnd, Profile};
use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "delar-gen",
    about = "Benchmark data for delar, deterministic by seed."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Eol {
    Crlf,
    Lf,
}

#[derive(Clone, Copy, ValueEnum)]
enum Flav {
    Hledger,
    Ledger,
}

#[derive(clap::Args)]
struct Common {
    /// Exporter profile: fortnox, visma, bl, unit4, raindance.
    #[arg(long)]
    profile: Profile,
    /// Voucher row records (#TRANS, #RTRANS, #BTRANS); for a package, of both years.
    #[arg(long)]
    rows: u64,
    /// Seed of the random draws.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The (report) year.
    #[arg(long, default_value_t = 2023)]
    year: i32,
}

#[derive(Subcommand)]
enum Command {
    /// One fiscal year as a SIE 4 file.
    Sie {
        #[command(flatten)]
        c: Common,
        /// Line ends (default: the profile's).
        #[arg(long)]
        eol: Option<Eol>,
        /// Write #KSUMMA (default: the profile's habit).
        #[arg(long)]
        ksumma: Option<bool>,
        /// Repeat the #RTRANS signature on its #TRANS copy (the form delar-sie writes);
        /// by default the copy has none, as Fortnox and BL write it.
        #[arg(long)]
        signed_copy: bool,
        /// Draw this many (account, ansvar) pairs for #PSALDO and #PBUDGET, 24 lines each
        /// (default: 300 in the municipal profiles, none in the others).
        #[arg(long)]
        period_pairs: Option<u32>,
        /// Output file.
        #[arg(long)]
        out: PathBuf,
    },
    /// A report package around two years (half the rows each).
    Package {
        #[command(flatten)]
        c: Common,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// The package's two years and its budget as an hledger or ledger-cli journal.
    Journal {
        #[command(flatten)]
        c: Common,
        /// Which program reads it.
        #[arg(long)]
        flavour: Flav,
        /// Output file.
        #[arg(long)]
        out: PathBuf,
    },
    /// The per-account totals (both years of the package, in öre) as `account;ore` lines.
    Totals {
        #[command(flatten)]
        c: Common,
    },
}

fn package_spec(c: &Common) -> PackageSpec {
    PackageSpec {
        profile: c.profile,
        rows: c.rows,
        seed: c.seed,
        year: c.year,
    }
}

fn sum_years(years: &[Totals]) -> BTreeMap<u32, i64> {
    let mut out = BTreeMap::new();
    for t in years {
        for (a, v) in t.by_account() {
            *out.entry(a).or_default() += v;
        }
    }
    out
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Sie {
            c,
            eol,
            ksumma,
            signed_copy,
            period_pairs,
            out,
        } => {
            let mut spec = LedgerSpec::new(c.profile, c.rows, c.seed, c.year);
            spec.line_end = eol.map(|e| match e {
                Eol::Crlf => LineEnd::Crlf,
                Eol::Lf => LineEnd::Lf,
            });
            spec.checksum = ksumma;
            spec.signed_copy = signed_copy;
            spec.period_pairs = period_pairs;
            let (t, bytes) = write_ledger_file(&out, &spec).map_err(|e| e.to_string())?;
            eprintln!(
                "{}: {} bytes, {} row records, {} vouchers",
                out.display(),
                bytes,
                t.records,
                t.vouchers
            );
        }
        Command::Package { c, out } => {
            let s = write_package(&out, &package_spec(&c)).map_err(|e| e.to_string())?;
            eprintln!(
                "{}: ledgers {} bytes, {} + {} row records",
                out.display(),
                s.ledger_bytes,
                s.prior.records,
                s.current.records
            );
        }
        Command::Journal { c, flavour, out } => {
            let spec = package_spec(&c);
            let (prior, current) = ledger_specs(&spec);
            let prior_totals = totals(&prior);
            let b = budget(&spec, &prior_totals).per_account;
            let file =
                std::fs::File::create(&out).map_err(|e| format!("{}: {e}", out.display()))?;
            let flavour = match flavour {
                Flav::Hledger => Flavour::Hledger,
                Flav::Ledger => Flavour::Ledger,
            };
            write_journal(
                &[prior, current],
                &b,
                c.year,
                flavour,
                BufWriter::with_capacity(1 << 20, file),
            )
            .map_err(|e| format!("{}: {e}", out.display()))?;
        }
        Command::Totals { c } => {
            let (prior, current) = ledger_specs(&package_spec(&c));
            let years = [totals(&prior), totals(&current)];
            let stdout = std::io::stdout();
            let mut w = BufWriter::new(stdout.lock());
            for (a, v) in sum_years(&years) {
                writeln!(w, "{a};{v}").map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("delar-gen: {e}");
            ExitCode::from(2)
        }
    }
}
