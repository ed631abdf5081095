//! Storage of delar: one [`Store`] over an embedded SQLite file (the default,
//! `delar.db` in the working folder) or a PostgreSQL server, with the same schema.
//!
//! - [`Store::open`] connects and applies the versioned migrations (each in a
//!   transaction; sqlx keeps the applied versions in `_sqlx_migrations`).
//! - [`accounts`]: users (argon2id passwords, roles, ansvar) and API tokens.
//! - [`import`]: a report package and its SIE ledgers into the database in one
//!   transaction, all or nothing.
//! - [`sessions`]: web sessions (only the SHA-256 of the id stored) and login
//!   throttling.
//! - [`audit`]: the append-only audit log; triggers on both databases refuse UPDATE and
//!   DELETE of it.
//!
//! Money is integer öre; times are microseconds since 1970 UTC.
#![deny(missing_docs)]

pub mod accounts;
pub mod audit;
pub mod error;
pub mod import;
pub mod rounds;
pub mod sessions;

pub use accounts::{Assignment, Committee, Role, User};
pub use audit::{AuditEntry, AuditFilter};
pub use error::StoreError;
pub use import::{
    prepare_import, prepare_import_with, ImportOutcome, ImportProgress, LedgerInfo, LedgerRow,
    PackageInfo, PreparedImport,
};
pub use sessions::{LoginOutcome, Session};

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use std::str::FromStr;
use std::time::Duration;

/// The database used when none is named: `delar.db` in the working folder.
pub const DEFAULT_DATABASE: &str = "sqlite://delar.db";

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The two databases behind a [`Store`].
#[derive(Debug, Clone)]
pub(crate) enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the pool of whichever database the store uses. The
/// body is compiled once per database; the SQL in it must be valid in both (`$1`
/// placeholders work in both).
macro_rules! on_db {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_db;

/// The database: SQLite or PostgreSQL, with the schema applied.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) db: Db,
}

/// Which database a [`Store`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite (a file or in memory).
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

impl Store {
    /// Connects to `url` and applies the migrations not yet applied. `sqlite://PATH`
    /// (created if missing), `sqlite::memory:` (one connection, gone when the store is
    /// dropped) or `postgres://…` / `postgresql://…`.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let connect = |source| StoreError::Connect {
            url: url.to_string(),
            source,
        };
        let db = if url == "sqlite::memory:" {
            let options = SqliteConnectOptions::from_str(url).map_err(connect)?;
            // One connection that lives as long as the pool: the memory database is that
            // connection's.
            let pool = SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
                .connect_with(options)
                .await
                .map_err(connect)?;
            Db::Sqlite(pool)
        } else if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(StoreError::BadUrl {
                    url: url.to_string(),
                });
            }
            let options = SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                .foreign_keys(true)
                .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sqlx::sqlite::SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(30));
            let pool = SqlitePoolOptions::new()
                .max_connections(4)
                .connect_with(options)
                .await
                .map_err(connect)?;
            Db::Sqlite(pool)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(30))
                .connect(url)
                .await
                .map_err(connect)?;
            Db::Postgres(pool)
        } else {
            return Err(StoreError::BadUrl {
                url: url.to_string(),
            });
        };
        let store = Store { db };
        store.migrate().await?;
        Ok(store)
    }

    /// Applies the migrations not yet applied (each in its own transaction). Running it
    /// again changes nothing.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.db {
            Db::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await?,
            Db::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        Ok(())
    }

    /// The versions of the applied migrations, in order.
    pub async fn schema_versions(&self) -> Result<Vec<i64>, StoreError> {
        let sql = "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version";
        on_db!(self, p => sqlx::query_scalar(sql).fetch_all(p).await)
            .map_err(error::db("läsa schemats versioner"))
    }

    /// The number of migrations this program knows (the newest schema version).
    pub fn known_schema_versions(&self) -> Vec<i64> {
        let migrator = match &self.db {
            Db::Sqlite(_) => &SQLITE_MIGRATIONS,
            Db::Postgres(_) => &POSTGRES_MIGRATIONS,
        };
        migrator.iter().map(|m| m.version).collect()
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        match &self.db {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Runs one SQL statement as given, outside the store's rules, and returns the rows
    /// it changed. For maintenance and tests (e.g. to show that the audit log refuses
    /// UPDATE); the application never calls it.
    pub async fn execute_unchecked(&self, sql: &str) -> Result<u64, StoreError> {
        on_db!(self, p => sqlx::raw_sql(sql).execute(p).await.map(|r| r.rows_affected()))
            .map_err(error::db("köra SQL"))
    }

    /// Counts the rows of a table (for tests and `delar` summaries).
    pub async fn count(&self, table: Table) -> Result<i64, StoreError> {
        let sql = format!("SELECT COUNT(*) FROM {}", table.name());
        on_db!(self, p => sqlx::query_scalar(&sql).fetch_one(p).await)
            .map_err(error::db("räkna rader"))
    }

    /// Closes the connections.
    pub async fn close(&self) {
        on_db!(self, p => p.close().await)
    }
}

/// The tables, for [`Store::count`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// Users.
    Users,
    /// Ansvar assignments.
    UserAnsvar,
    /// Committee assignments.
    UserCommittees,
    /// Web sessions.
    Sessions,
    /// Failed logins.
    LoginFailures,
    /// API tokens.
    ApiTokens,
    /// Committees.
    Committees,
    /// Imported packages.
    Packages,
    /// Files of imported packages.
    PackageFiles,
    /// File contents by hash.
    FileContents,
    /// Ledgers.
    Ledgers,
    /// Ledger rows.
    LedgerRows,
    /// The audit log.
    AuditLog,
}

impl Table {
    /// Every table, for comparing whole databases.
    pub const ALL: [Table; 13] = [
        Table::Users,
        Table::UserAnsvar,
        Table::UserCommittees,
        Table::Sessions,
        Table::LoginFailures,
        Table::ApiTokens,
        Table::Committees,
        Table::Packages,
        Table::PackageFiles,
        Table::FileContents,
        Table::Ledgers,
        Table::LedgerRows,
        Table::AuditLog,
    ];

    fn name(self) -> &'static str {
        match self {
            Table::Users => "users",
            Table::UserAnsvar => "user_ansvar",
            Table::UserCommittees => "user_committees",
            Table::Sessions => "sessions",
            Table::LoginFailures => "login_failures",
            Table::ApiTokens => "api_tokens",
            Table::Committees => "committees",
            Table::Packages => "packages",
            Table::PackageFiles => "package_files",
            Table::FileContents => "file_contents",
            Table::Ledgers => "ledgers",
            Table::LedgerRows => "ledger_rows",
            Table::AuditLog => "audit_log",
        }
    }
}

/// Now, in microseconds since 1970 UTC (stored with audit entries and imports).
pub(crate) fn now_micros() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
}

/// SHA-256 of `bytes` as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

/// Bytes as lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        use std::fmt::Write;
        let _ = write!(s, "{b:02x}");
    }
    s
}
