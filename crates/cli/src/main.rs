//! The `delar` binary: thin command-line layer over the library crates.

mod sie_cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// delar: budget follow-up and interim reports for Swedish municipalities.
#[derive(Parser)]
#[command(name = "delar", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read, check and convert SIE files.
    Sie(sie_cmd::SieArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Sie(args) => sie_cmd::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("delar: error: {err:#}");
            ExitCode::from(2)
        }
    }
}
