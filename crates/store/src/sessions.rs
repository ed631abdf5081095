//! Web sessions and login throttling.
//!
//! - A session id is 32 random bytes (64 hex characters in the cookie); only its
//!   SHA-256 is stored (`sessions.id_hash`), so a copy of the database does not give
//!   anyone a session. Each session has its own CSRF token.
//! - A session ends after [`SESSION_IDLE_MICROS`] (8 hours) without a request, and at
//!   the latest [`SESSION_ABSOLUTE_MICROS`] (12 hours) after the login, whichever comes
//!   first; logging out deletes it. A session of a deactivated user is not accepted.
//! - Throttling: after [`LOGIN_FAILURE_LIMIT`] failed logins for one user name within
//!   [`LOGIN_FAILURE_WINDOW_MICROS`] (15 minutes), further logins for that name are
//!   refused without looking at the password until the oldest of those failures is 15
//!   minutes old. Unknown names count the same way, and an unknown name costs the same
//!   password verification (against a dummy hash) as a known one.
//! - Failed logins are kept in `login_failures` (name and time; the throttle counts
//!   them there). Successful logins and logouts go into the audit log.

use crate::accounts::{hash_password, verify_password};
use crate::audit::audit;
use crate::{error, hex, on_db, sha256_hex, Store, StoreError, User};
use rand_core::{OsRng, RngCore};
use std::sync::OnceLock;

/// A session ends after this long without a request: 8 hours.
pub const SESSION_IDLE_MICROS: i64 = 8 * 3600 * 1_000_000;
/// A session ends at the latest this long after the login: 12 hours.
pub const SESSION_ABSOLUTE_MICROS: i64 = 12 * 3600 * 1_000_000;
/// Failed logins for one name within the window after which logins are refused.
pub const LOGIN_FAILURE_LIMIT: usize = 5;
/// The throttling window: 15 minutes.
pub const LOGIN_FAILURE_WINDOW_MICROS: i64 = 15 * 60 * 1_000_000;
/// The idle expiry is pushed forward at most once a minute (fewer writes).
const EXTEND_STEP_MICROS: i64 = 60 * 1_000_000;

/// A valid session with its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The logged-in user (active).
    pub user: User,
    /// The session's CSRF token (64 hex characters).
    pub csrf_token: String,
    /// When the session ends unless used again (microseconds since 1970 UTC).
    pub expires_at: i64,
}

/// What a login attempt gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginOutcome {
    /// Logged in: a new session.
    LoggedIn {
        /// The session id for the cookie (64 hex characters); only its hash is stored.
        session_id: String,
        /// The session's CSRF token.
        csrf_token: String,
        /// The user.
        user: User,
    },
    /// Wrong name or password, or an inactive account (the same answer for all three).
    Refused,
    /// Too many failures for this name: try again at `retry_at` (microseconds since
    /// 1970 UTC). The password was not checked.
    Throttled {
        /// When a new attempt will be looked at.
        retry_at: i64,
    },
}

/// 32 random bytes as 64 hex characters.
fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// A hash to verify against when the name is unknown, so that an unknown name takes
/// as long as a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        hash_password("delar: ingen användare har detta lösenord")
            .unwrap_or_else(|_| String::from("$argon2id$v=19$m=19456,t=2,p=1$invalid"))
    })
}

impl Store {
    /// When a login for `name` will be looked at again, if it is throttled now.
    pub async fn login_throttled_until(&self, name: &str) -> Result<Option<i64>, StoreError> {
        let now = crate::now_micros();
        let times: Vec<i64> = on_db!(self, p => sqlx::query_scalar(
            "SELECT at FROM login_failures WHERE name = $1 AND at > $2 ORDER BY at",
        )
        .bind(name)
        .bind(now - LOGIN_FAILURE_WINDOW_MICROS)
        .fetch_all(p)
        .await)
        .map_err(error::db("läsa misslyckade inloggningar"))?;
        if times.len() < LOGIN_FAILURE_LIMIT {
            return Ok(None);
        }
        // The attempt is looked at again when fewer than the limit are in the window.
        Ok(Some(
            times[times.len() - LOGIN_FAILURE_LIMIT] + LOGIN_FAILURE_WINDOW_MICROS,
        ))
    }

    /// Tries to log in `name` with `password`: throttled, refused (recorded as a
    /// failure), or a new session (recorded in the audit log).
    pub async fn login(&self, name: &str, password: &str) -> Result<LoginOutcome, StoreError> {
        let name = name.trim();
        if let Some(retry_at) = self.login_throttled_until(name).await? {
            return Ok(LoginOutcome::Throttled { retry_at });
        }
        let found = self.user_with_hash(name).await?;
        let hash = found.as_ref().map(|(_, h)| h.clone());
        let pw = password.to_string();
        // Argon2 takes tens of milliseconds of CPU: off the async workers.
        let matches = tokio::task::spawn_blocking(move || {
            verify_password(&pw, hash.as_deref().unwrap_or_else(|| dummy_hash()))
        })
        .await
        .unwrap_or(false);
        let user = match found {
            Some((user, _)) if matches && user.active => user,
            _ => {
                on_db!(self, p => sqlx::query("INSERT INTO login_failures (name, at) VALUES ($1, $2)")
                    .bind(name)
                    .bind(crate::now_micros())
                    .execute(p)
                    .await
                    .map(|_| ()))
                .map_err(error::db("anteckna den misslyckade inloggningen"))?;
                return Ok(LoginOutcome::Refused);
            }
        };
        let session_id = random_hex();
        let csrf_token = random_hex();
        let now = crate::now_micros();
        on_db!(self, p => {
            let mut tx = p.begin().await.map_err(error::db("börja en transaktion"))?;
            sqlx::query(
                "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(sha256_hex(session_id.as_bytes()))
            .bind(user.id)
            .bind(&csrf_token)
            .bind(now)
            .bind(now + SESSION_IDLE_MICROS)
            .execute(&mut *tx)
            .await
            .map_err(error::db("spara sessionen"))?;
            audit!(tx, &user.name, "session.login", format!("user:{}", user.name), None::<String>, None::<String>)?;
            tx.commit().await.map_err(error::db("spara sessionen"))?;
        });
        Ok(LoginOutcome::LoggedIn {
            session_id,
            csrf_token,
            user,
        })
    }

    /// The session with id `session_id` (from the cookie) if it is valid: known, not
    /// expired, and its user active. Using it pushes the idle expiry forward. An expired
    /// session is deleted.
    pub async fn session(&self, session_id: &str) -> Result<Option<Session>, StoreError> {
        if session_id.len() != 64 || !session_id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let id_hash = sha256_hex(session_id.as_bytes());
        let row: Option<(String, i64, i64, i64, String, String, i64)> =
            on_db!(self, p => sqlx::query_as(
            "SELECT s.csrf_token, s.created_at, s.expires_at, u.id, u.name, u.role, u.active \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1",
        )
        .bind(&id_hash)
        .fetch_optional(p)
        .await)
            .map_err(error::db("läsa sessionen"))?;
        let Some((csrf_token, created_at, expires_at, id, name, role, active)) = row else {
            return Ok(None);
        };
        let now = crate::now_micros();
        let end = created_at + SESSION_ABSOLUTE_MICROS;
        if expires_at <= now || end <= now {
            self.delete_session_hash(&id_hash).await?;
            return Ok(None);
        }
        if active == 0 {
            return Ok(None);
        }
        let mut expires_at = expires_at;
        let wanted = (now + SESSION_IDLE_MICROS).min(end);
        if wanted - expires_at >= EXTEND_STEP_MICROS {
            on_db!(self, p => sqlx::query("UPDATE sessions SET expires_at = $1 WHERE id_hash = $2")
                .bind(wanted)
                .bind(&id_hash)
                .execute(p)
                .await
                .map(|_| ()))
            .map_err(error::db("förlänga sessionen"))?;
            expires_at = wanted;
        }
        let user = self.user_from_row((id, name, role, active)).await?;
        Ok(Some(Session {
            user,
            csrf_token,
            expires_at,
        }))
    }

    async fn delete_session_hash(&self, id_hash: &str) -> Result<u64, StoreError> {
        on_db!(self, p => sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(p)
            .await
            .map(|r| r.rows_affected()))
        .map_err(error::db("ta bort sessionen"))
    }

    /// Logs out: deletes the session (recorded in the audit log). Whether there was one.
    pub async fn logout(&self, session_id: &str) -> Result<bool, StoreError> {
        let id_hash = sha256_hex(session_id.as_bytes());
        let done = on_db!(self, p => {
            let mut tx = p.begin().await.map_err(error::db("börja en transaktion"))?;
            let name: Option<String> = sqlx::query_scalar(
                "SELECT u.name FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1",
            )
            .bind(&id_hash)
            .fetch_optional(&mut *tx)
            .await
            .map_err(error::db("läsa sessionen"))?;
            if let Some(name) = &name {
                sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
                    .bind(&id_hash)
                    .execute(&mut *tx)
                    .await
                    .map_err(error::db("ta bort sessionen"))?;
                audit!(tx, name, "session.logout", format!("user:{name}"), None::<String>, None::<String>)?;
            }
            tx.commit().await.map_err(error::db("ta bort sessionen"))?;
            name.is_some()
        });
        Ok(done)
    }

    /// The number of sessions stored (valid or not yet cleaned up), for tests.
    pub async fn session_count(&self) -> Result<i64, StoreError> {
        on_db!(self, p => sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(p).await)
            .map_err(error::db("räkna sessioner"))
    }
}
