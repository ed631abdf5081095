//! The `delar` binary: thin command-line layer over the library crates.

mod output;
mod package_cmd;
mod sie_cmd;
mod starter;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// delar: budget follow-up and interim reports (delårsrapporter) for Swedish municipalities.
#[derive(Parser)]
#[command(name = "delar", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the interim report of a package: HTML, Markdown, memo and JSON.
    Report(package_cmd::ReportArgs),
    /// Check a package's sources without writing a report (exit 1 on a failed check).
    Check(package_cmd::CheckArgs),
    /// Create a commented starter package in a new folder.
    Init(package_cmd::InitArgs),
    /// Read, check and convert SIE files.
    Sie(sie_cmd::SieArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Report(args) => package_cmd::report(args),
        Command::Check(args) => package_cmd::check(args),
        Command::Init(args) => package_cmd::init(args),
        Command::Sie(args) => sie_cmd::run(args),
    };
    match result {
        Ok(code) => code,
        // The reader of our output went away (`delar sie balances … | head`): not an error.
        Err(err)
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("delar: fel: {err:#}");
            ExitCode::from(2)
        }
    }
}
