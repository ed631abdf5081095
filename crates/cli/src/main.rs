//! The `delar` binary: thin command-line layer over the library crates.

mod alloc;
mod output;
mod package_cmd;
mod serve_cmd;
mod sie_cmd;
mod starter;
mod store_cmd;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::process::ExitCode;

#[global_allocator]
static GLOBAL: alloc::Allocator = alloc::Allocator;

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
    #[command(
        about = "Importera ett paket (filer och huvudböcker) till databasen, allt eller inget"
    )]
    Import(store_cmd::ImportArgs),
    #[command(about = "Hantera användare i databasen")]
    User(store_cmd::UserArgs),
    #[command(about = "Hantera API-token i databasen")]
    Token(store_cmd::TokenArgs),
    #[command(about = "Starta webbapplikationen (avsluta med Ctrl-C)")]
    Serve(serve_cmd::ServeArgs),
}

/// A flag `-{short}, --{name}` under the Swedish options heading.
fn flag(name: &'static str, short: char, action: clap::ArgAction, help: &'static str) -> clap::Arg {
    clap::Arg::new(name)
        .short(short)
        .long(name)
        .action(action)
        .help(help)
        .help_heading("Flaggor")
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
        .arg(flag("help", 'h', clap::ArgAction::Help, "Visa hjälpen"));
    if has_version {
        command = command.arg(flag(
            "version",
            'V',
            clap::ArgAction::Version,
            "Visa versionen",
        ));
    }
    command.mut_subcommands(swedish)
}

/// A context value of a command-line error as text.
fn context_text(e: &clap::Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The message of a command-line usage error in Swedish, with the usage line; `None` for
/// help and version output and for the kinds of error without a Swedish text here (clap
/// prints those itself, in English).
fn swedish_usage_error(e: &clap::Error) -> Option<String> {
    let text = |kind| context_text(e, kind);
    let message = match e.kind() {
        ErrorKind::UnknownArgument => format!("okänt argument '{}'", text(ContextKind::InvalidArg)),
        ErrorKind::InvalidSubcommand => {
            format!("okänt kommando '{}'", text(ContextKind::InvalidSubcommand))
        }
        ErrorKind::InvalidValue => format!(
            "ogiltigt värde '{}' för {}; möjliga värden: {}",
            text(ContextKind::InvalidValue),
            text(ContextKind::InvalidArg),
            text(ContextKind::ValidValue)
        ),
        ErrorKind::ValueValidation => format!(
            "ogiltigt värde '{}' för {}",
            text(ContextKind::InvalidValue),
            text(ContextKind::InvalidArg)
        ),
        ErrorKind::MissingRequiredArgument => {
            format!(
                "obligatoriskt argument saknas: {}",
                text(ContextKind::InvalidArg)
            )
        }
        ErrorKind::ArgumentConflict => format!(
            "{} kan inte användas tillsammans med {}",
            text(ContextKind::InvalidArg),
            text(ContextKind::PriorArg)
        ),
        ErrorKind::MissingSubcommand => "ett kommando saknas".to_string(),
        _ => return None,
    };
    let usage = text(ContextKind::Usage).replacen("Usage:", "Användning:", 1);
    let usage = if usage.is_empty() {
        String::new()
    } else {
        format!("\n\n{usage}")
    };
    Some(format!(
        "delar: fel: {message}{usage}\n\nHjälp: lägg till --help efter kommandot."
    ))
}

fn main() -> ExitCode {
    let parsed = swedish(Cli::command())
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => match swedish_usage_error(&e) {
            Some(text) => {
                eprintln!("{text}");
                return ExitCode::from(2);
            }
            // Help and version (printed as asked), and errors without a Swedish text.
            None => e.exit(),
        },
    };
    let result = match cli.command {
        Command::Report(args) => package_cmd::report(args),
        Command::Check(args) => package_cmd::check(args),
        Command::Init(args) => package_cmd::init(args),
        Command::Sie(args) => sie_cmd::run(args),
        Command::Import(args) => store_cmd::import(args),
        Command::User(args) => store_cmd::user(args),
        Command::Token(args) => store_cmd::token(args),
        Command::Serve(args) => serve_cmd::serve(args),
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
