//! `delar import`, `delar user add` and `delar token create`: the database commands
//! (storage, import and accounts without the web). The work is done by `delar-store`;
//! this module reads the package folder and the password, shows progress and prints the
//! outcome.

use crate::package_cmd::DirFiles;
use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use delar_store::{ImportOutcome, ImportProgress, Role, Store, StoreError, DEFAULT_DATABASE};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

/// Where the database is.
#[derive(Args)]
pub struct DatabaseArg {
    /// The database: sqlite://SÖKVÄG (skapas vid behov) eller postgres://… ; standard är
    /// delar.db i arbetsmappen.
    #[arg(
        long,
        value_name = "URL",
        default_value = DEFAULT_DATABASE,
        help = "databasen: sqlite://SÖKVÄG (skapas vid behov) eller postgres://ANVÄNDARE@VÄRD/DATABAS; standard är delar.db i arbetsmappen"
    )]
    database: String,
}

/// `delar import DIR`.
#[derive(Args)]
pub struct ImportArgs {
    #[arg(value_name = "MAPP", help = "paketets mapp (den med delar.toml)")]
    dir: PathBuf,
    #[command(flatten)]
    database: DatabaseArg,
}

/// `delar user …`.
#[derive(Args)]
pub struct UserArgs {
    #[command(subcommand)]
    command: UserCommand,
}

#[derive(Subcommand)]
enum UserCommand {
    #[command(
        about = "Skapa en användare (lösenordet läses från terminalen utan eko, eller med --password-stdin)"
    )]
    Add(UserAddArgs),
}

#[derive(Args)]
struct UserAddArgs {
    #[arg(value_name = "NAMN", help = "inloggningsnamnet")]
    name: String,
    #[arg(
        long,
        value_name = "ROLL",
        help = "admin (användare), controller (nämndens alla ansvar), manager (tilldelade ansvar) eller reader (läsa)"
    )]
    role: String,
    #[arg(
        long,
        value_name = "ANSVAR",
        num_args = 1..,
        help = "ansvar som användaren svarar för (flera går bra)"
    )]
    ansvar: Vec<String>,
    #[arg(
        long = "password-stdin",
        help = "läs lösenordet från standard in (första raden), för skript"
    )]
    password_stdin: bool,
    #[command(flatten)]
    database: DatabaseArg,
}

/// `delar token …`.
#[derive(Args)]
pub struct TokenArgs {
    #[command(subcommand)]
    command: TokenCommand,
}

#[derive(Subcommand)]
enum TokenCommand {
    #[command(
        about = "Skapa en API-token för en användare; den skrivs ut en gång, databasen sparar bara dess hash"
    )]
    Create(TokenCreateArgs),
}

#[derive(Args)]
struct TokenCreateArgs {
    #[arg(value_name = "ANVÄNDARE", help = "användaren som token ska gälla")]
    user: String,
    #[command(flatten)]
    database: DatabaseArg,
}

/// Who the audit log names for changes made from the command line.
fn actor() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "okänd".into());
    format!("cli:{user}")
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("kan inte starta den asynkrona körmiljön")
}

/// A store error: the user's mistake (exit 1, the message says what to do) or a failure
/// to run (exit 2).
fn finish(result: Result<ExitCode, StoreError>) -> Result<ExitCode> {
    match result {
        Ok(code) => Ok(code),
        Err(
            e @ (StoreError::Package(_)
            | StoreError::UserExists(_)
            | StoreError::NoSuchUser(_)
            | StoreError::Invalid(_)
            | StoreError::Closed(_)),
        ) => {
            eprintln!("delar: fel: {e}");
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(e.into()),
    }
}

/// Runs `delar import`.
pub fn import(args: ImportArgs) -> Result<ExitCode> {
    if !args.dir.is_dir() {
        bail!(
            "{} finns inte eller är ingen mapp; ange mappen med delar.toml",
            args.dir.display()
        );
    }
    let files = DirFiles::new(&args.dir);
    let prepared = match delar_store::prepare_import(&files) {
        Ok(p) => p,
        Err(e) => return finish(Err(e)),
    };
    let rt = runtime()?;
    let terminal = std::io::stderr().is_terminal();
    let bar = ProgressBar::new(prepared.row_count());
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} rader {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let done_before = std::sync::Mutex::new((String::new(), 0u64));
    let progress = |p: &ImportProgress| {
        if terminal {
            let mut state = done_before.lock().unwrap_or_else(|e| e.into_inner());
            if state.0 != p.path {
                *state = (p.path.clone(), bar.position());
                bar.set_message(p.path.clone());
            }
            bar.set_position(state.1 + p.rows_done);
        } else {
            // Not a terminal (a log, a test): one line per report.
            eprintln!(
                "delar: {}: {} av {} rader skrivna",
                p.path, p.rows_done, p.rows_total
            );
        }
    };
    let result = rt.block_on(async {
        let store = Store::open(&args.database.database).await?;
        let outcome = store.import(&actor(), &prepared, Some(&progress)).await;
        store.close().await;
        outcome
    });
    bar.finish_and_clear();
    finish(result.map(|outcome| {
        match outcome {
            ImportOutcome::Unchanged { package_id } => println!(
                "Oförändrat: paketet är redan importerat (paket {package_id}, {} {}).",
                prepared.committee, prepared.year
            ),
            ImportOutcome::Imported {
                package_id,
                replaced,
                rows_written,
            } => {
                println!(
                    "Importerat: paket {package_id} ({} {}), {} filer, {rows_written} huvudboksrader skrivna.",
                    prepared.committee,
                    prepared.year,
                    prepared.files.len()
                );
                if let Some(old) = replaced {
                    println!("Paket {old} för samma nämnd och år är ersatt (antecknat i granskningsloggen).");
                }
            }
        }
        ExitCode::SUCCESS
    }))
}

/// Reads the new user's password: from the terminal without echo (asked twice), or the
/// first line of standard input.
fn read_password(from_stdin: bool) -> Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("kan inte läsa lösenordet från standard in")?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    if !std::io::stdin().is_terminal() {
        bail!("standard in är ingen terminal: ange --password-stdin och skicka lösenordet på standard in");
    }
    let first = rpassword::prompt_password("Lösenord: ").context("kan inte läsa lösenordet")?;
    let second =
        rpassword::prompt_password("Lösenord igen: ").context("kan inte läsa lösenordet")?;
    if first != second {
        bail!("lösenorden är inte lika; försök igen");
    }
    Ok(first)
}

/// Runs `delar user …`.
pub fn user(args: UserArgs) -> Result<ExitCode> {
    match args.command {
        UserCommand::Add(a) => {
            let role = match Role::parse(&a.role) {
                Ok(r) => r,
                Err(e) => return finish(Err(e)),
            };
            let password = read_password(a.password_stdin)?;
            let result = runtime()?.block_on(async {
                let store = Store::open(&a.database.database).await?;
                let user = store
                    .add_user(&actor(), &a.name, role, &a.ansvar, &password)
                    .await;
                store.close().await;
                user
            });
            finish(result.map(|u| {
                let ansvar = if u.ansvar.is_empty() {
                    String::new()
                } else {
                    format!(", ansvar {}", u.ansvar.join(", "))
                };
                println!(
                    "Användaren {} är skapad (roll {}{ansvar}).",
                    u.name,
                    u.role.as_str()
                );
                ExitCode::SUCCESS
            }))
        }
    }
}

/// Runs `delar token …`.
pub fn token(args: TokenArgs) -> Result<ExitCode> {
    match args.command {
        TokenCommand::Create(a) => {
            let result = runtime()?.block_on(async {
                let store = Store::open(&a.database.database).await?;
                let token = store.create_token(&actor(), &a.user).await;
                store.close().await;
                token
            });
            finish(result.map(|token| {
                println!("{token}");
                eprintln!(
                    "Token för {} skapad. Spara den nu: den visas inte igen (databasen har bara dess hash). Skicka den som \"Authorization: Bearer TOKEN\".",
                    a.user
                );
                ExitCode::SUCCESS
            }))
        }
    }
}
