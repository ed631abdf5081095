//! The `delar` binary: thin command-line layer over the library crates.

mod output;
mod package_cmd;
mod sie_cmd;
mod starter;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::process::ExitCode;

/// The command line. Help texts are Swedish, as the rest of the interface; clap's own
/// headings and flags are made Swedish by [`swedish`].
#[derive(Parser)]
#[command(
    name = "delar",
    version,
    about = "delar: budgetuppföljning och delårsrapporter för kommuner och regioner."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    #[command(
        about = "Bygg delårsrapporten ur ett paket: HTML, Markdown, PDF, Excel, tjänsteskrivelse och JSON"
    )]
    Report(package_cmd::ReportArgs),
    #[command(
        about = "Kontrollera ett pakets källor utan att skriva rapporten (status 1 om en kontroll fallerar)"
    )]
    Check(package_cmd::CheckArgs),
    #[command(about = "Skapa ett kommenterat startpaket i en ny mapp")]
    Init(package_cmd::InitArgs),
    #[command(about = "Läs, kontrollera och konvertera SIE-filer")]
    Sie(sie_cmd::SieArgs),
}

/// `command` and its subcommands with Swedish headings, usage line and help and version
/// flags (clap writes English ones by default).
fn swedish(command: clap::Command) -> clap::Command {
    let has_version = command.get_version().is_some();
    let mut command = command
        .help_template("{about-with-newline}\nAnvändning: {usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("Kommandon")
        .subcommand_value_name("KOMMANDO")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .disable_version_flag(true)
        .mut_args(|a| {
            let heading = if a.is_positional() {
                "Argument"
            } else {
                "Flaggor"
            };
            a.help_heading(heading)
        })
        .arg(
            clap::Arg::new("help")
                .short('h')
                .long("help")
                .action(clap::ArgAction::Help)
                .help("Visa hjälpen")
                .help_heading("Flaggor"),
        );
    if has_version {
        command = command.arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(clap::ArgAction::Version)
                .help("Visa versionen")
                .help_heading("Flaggor"),
        );
    }
    command.mut_subcommands(swedish)
}

fn main() -> ExitCode {
    let matches = swedish(Cli::command()).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
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
