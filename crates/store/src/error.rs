//! The store's errors, in Swedish (they are shown to users), with what was being done.

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database address is not one the store knows.
    #[error("databasadressen \"{url}\" känns inte igen: ange sqlite://SÖKVÄG (till exempel sqlite://delar.db), sqlite::memory: eller postgres://ANVÄNDARE@VÄRD/DATABAS")]
    BadUrl {
        /// The address given.
        url: String,
    },
    /// The database could not be reached or opened.
    #[error("kan inte öppna databasen {url}: {source} (kontrollera adressen och att databasservern är igång)")]
    Connect {
        /// The address given.
        url: String,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// The schema could not be brought up to date.
    #[error("databasens schema kunde inte uppdateras: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("databasfel när delar skulle {doing}: {source}")]
    Db {
        /// What was being done.
        doing: &'static str,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// The package could not be read; nothing was written.
    #[error("paketet importerades inte: {0}")]
    Package(#[from] delar_core::LoadError),
    /// A user name is taken.
    #[error("användaren \"{0}\" finns redan")]
    UserExists(String),
    /// No user has that name.
    #[error("användaren \"{0}\" finns inte")]
    NoSuchUser(String),
    /// A value given is not acceptable.
    #[error("{0}")]
    Invalid(String),
    /// The change needs an open round, and the round is locked, approved or missing.
    #[error("{0}")]
    Closed(String),
    /// Password hashing failed.
    #[error("lösenordet kunde inte hashas: {0}")]
    Hash(String),
}

/// Maps a driver error to [`StoreError::Db`] saying what was being done.
pub(crate) fn db(doing: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |source| StoreError::Db { doing, source }
}
