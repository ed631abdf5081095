//! `delar serve`: opens the database (creating `delar.db` on first start and applying
//! the migrations), starts the web application and runs until Ctrl-C or SIGTERM.

use anyhow::{Context, Result};
use clap::Args;
use delar_store::{Store, DEFAULT_DATABASE};
use std::process::ExitCode;

/// `delar serve`.
#[derive(Args)]
pub struct ServeArgs {
    #[arg(
        long,
        value_name = "ADRESS",
        default_value = "127.0.0.1:8080",
        help = "adress och port att lyssna på"
    )]
    listen: String,
    #[arg(
        long,
        value_name = "URL",
        default_value = DEFAULT_DATABASE,
        help = "databasen: sqlite://SÖKVÄG (skapas vid behov) eller postgres://ANVÄNDARE@VÄRD/DATABAS; standard är delar.db i arbetsmappen"
    )]
    database: String,
    #[arg(
        long = "cookie-insecure",
        help = "sätt inte Secure på kakorna (bara för http på annat än localhost; bakom TLS ska de vara Secure)"
    )]
    cookie_insecure: bool,
    #[arg(
        long = "max-upload-mb",
        value_name = "MB",
        default_value_t = 200,
        help = "största uppladdning i MB; ett paket får packas upp till fem gånger så mycket"
    )]
    max_upload_mb: usize,
}

/// Runs `delar serve`.
pub fn serve(args: ServeArgs) -> Result<ExitCode> {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("kan inte starta den asynkrona körmiljön")?;
    rt.block_on(async {
        let store = Store::open(&args.database).await?;
        let users = store.count(delar_store::Table::Users).await?;
        let mut config = delar_web::Config::with_upload_mb(args.max_upload_mb.max(1));
        config.cookie_secure = !args.cookie_insecure;
        let state = delar_web::AppState::new(store.clone(), config);
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .with_context(|| format!("kan inte lyssna på {}", args.listen))?;
        let addr = listener.local_addr().context("lyssnaradressen")?;
        println!("delar lyssnar på http://{addr}/ (databas {})", args.database);
        if users == 0 {
            println!(
                "Databasen har inga användare ännu: skapa den första med \"delar user add admin --role admin\" (med samma --database)."
            );
        }
        println!("Avsluta med Ctrl-C.");
        delar_web::serve(listener, state)
            .await
            .context("webbservern avbröts")?;
        store.close().await;
        println!("delar har stängt.");
        Ok(ExitCode::SUCCESS)
    })
}
