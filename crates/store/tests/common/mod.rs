//! Throwaway databases for the tests: a temporary SQLite file, SQLite in memory, and a
//! uniquely named PostgreSQL database on 127.0.0.1:5432 (user postgres), dropped at the
//! end. PostgreSQL being unreachable fails the test unless `DELAR_SKIP_POSTGRES=1`.
#![allow(dead_code)]

use delar_store::Store;
use std::sync::atomic::{AtomicU32, Ordering};

/// The PostgreSQL server the tests use.
pub const POSTGRES_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A SQLite file in a temporary folder.
    SqliteFile,
    /// SQLite in memory.
    SqliteMemory,
    /// A throwaway PostgreSQL database.
    Postgres,
}

/// A throwaway database; dropped (PostgreSQL) or deleted (SQLite) with the value.
pub struct TestDb {
    /// The address to open it with.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Whether PostgreSQL tests are to be skipped (`DELAR_SKIP_POSTGRES=1`).
pub fn skip_postgres() -> bool {
    std::env::var("DELAR_SKIP_POSTGRES").is_ok_and(|v| v == "1")
}

async fn admin_execute(sql: &str) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(POSTGRES_ADMIN_URL).await?;
    sqlx::raw_sql(sql).execute(&mut conn).await?;
    conn.close().await
}

impl TestDb {
    /// A new empty database of `kind`, or `None` for PostgreSQL when
    /// `DELAR_SKIP_POSTGRES=1`. Panics with what to do when PostgreSQL is unreachable.
    pub async fn new(kind: Kind) -> Option<TestDb> {
        match kind {
            Kind::SqliteFile => {
                let dir = tempfile::tempdir().expect("temporary folder");
                let url = format!("sqlite://{}", dir.path().join("delar.db").display());
                Some(TestDb {
                    url,
                    _dir: Some(dir),
                    pg_name: None,
                })
            }
            Kind::SqliteMemory => Some(TestDb {
                url: "sqlite::memory:".into(),
                _dir: None,
                pg_name: None,
            }),
            Kind::Postgres => {
                if skip_postgres() {
                    eprintln!("PostgreSQL skipped: DELAR_SKIP_POSTGRES=1");
                    return None;
                }
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.subsec_nanos());
                let name = format!(
                    "delar_test_{}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::Relaxed),
                    nanos
                );
                if let Err(e) = admin_execute(&format!("CREATE DATABASE {name}")).await {
                    panic!(
                        "PostgreSQL at 127.0.0.1:5432 (user postgres) is needed by this test and \
                         could not be used: {e}. Start it (`pg_ctlcluster --skip-systemctl-redirect \
                         $(ls /etc/postgresql) main start`), or set DELAR_SKIP_POSTGRES=1 to skip \
                         the PostgreSQL tests."
                    );
                }
                Some(TestDb {
                    url: format!("postgres://postgres@127.0.0.1:5432/{name}"),
                    _dir: None,
                    pg_name: Some(name),
                })
            }
        }
    }

    /// Opens the store (applying the migrations).
    pub async fn open(&self) -> Store {
        Store::open(&self.url).await.expect("open the store")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = self.pg_name.take() {
            // Drop runs outside async; a thread of its own with a runtime of its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(admin_execute(&format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
            })
            .join();
        }
    }
}

/// The bundled example package, read into memory.
pub fn example() -> delar_core::MemoryFiles {
    read_dir(&std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/servicenamnd-it-2023"
    )))
}

/// Every file under `root`, by `/`-separated relative path.
pub fn read_dir(root: &std::path::Path) -> delar_core::MemoryFiles {
    fn walk(root: &std::path::Path, dir: &std::path::Path, files: &mut delar_core::MemoryFiles) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("read folder")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(root, &path, files);
            } else {
                let rel = path.strip_prefix(root).expect("inside root");
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                files
                    .files
                    .insert(rel, std::fs::read(&path).expect("read file"));
            }
        }
    }
    let mut files = delar_core::MemoryFiles::new();
    walk(root, root, &mut files);
    files
}
