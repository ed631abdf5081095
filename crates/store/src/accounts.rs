//! Accounts without the web: users with argon2id password hashes, roles and ansvar, and
//! API tokens (only their SHA-256 is stored). Every change is in the audit log.

use crate::audit::audit;
use crate::{error, hex, on_db, sha256_hex, Store, StoreError};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand_core::{OsRng, RngCore};

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Manages users.
    Admin,
    /// All ansvar of a committee.
    Controller,
    /// Only the ansvar assigned.
    Manager,
    /// Reads only (politicians, auditors).
    Reader,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Controller, Role::Manager, Role::Reader];

    /// The name stored and typed: `admin`, `controller`, `manager`, `reader`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Controller => "controller",
            Role::Manager => "manager",
            Role::Reader => "reader",
        }
    }

    /// The role named `name`.
    pub fn parse(name: &str) -> Result<Role, StoreError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == name)
            .ok_or_else(|| {
                StoreError::Invalid(format!(
                    "okänd roll \"{name}\" (kända: admin, controller, manager, reader)"
                ))
            })
    }
}

/// A user as stored (without the password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Login name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Assigned ansvar, sorted.
    pub ansvar: Vec<String>,
    /// Whether the account may log in.
    pub active: bool,
}

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Hashes a password with argon2id (the `argon2` crate's defaults: argon2id v19,
/// 19 MiB, 2 passes) and a random salt, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, StoreError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Hash(e.to_string()))
}

/// Whether `password` matches the PHC string `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

type UserRow = (i64, String, String, i64);

impl Store {
    /// Creates a user with a password (hashed with argon2id) and the ansvar given, and
    /// records it in the audit log as done by `actor`.
    pub async fn add_user(
        &self,
        actor: &str,
        name: &str,
        role: Role,
        ansvar: &[String],
        password: &str,
    ) -> Result<User, StoreError> {
        let name = name.trim();
        if name.is_empty() || name.chars().any(char::is_control) {
            return Err(StoreError::Invalid(
                "användarnamnet får inte vara tomt eller innehålla styrtecken".into(),
            ));
        }
        if password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(StoreError::Invalid(format!(
                "lösenordet måste ha minst {MIN_PASSWORD_CHARS} tecken"
            )));
        }
        let mut ansvar: Vec<String> = ansvar.iter().map(|a| a.trim().to_string()).collect();
        ansvar.sort();
        ansvar.dedup();
        if ansvar.iter().any(String::is_empty) {
            return Err(StoreError::Invalid("ett ansvar får inte vara tomt".into()));
        }
        let hash = hash_password(password)?;
        let new_value =
            serde_json::json!({"name": name, "role": role.as_str(), "ansvar": ansvar}).to_string();
        let id: i64 = on_db!(self, p => {
            let mut tx = p.begin().await.map_err(error::db("börja en transaktion"))?;
            let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE name = $1")
                .bind(name)
                .fetch_optional(&mut *tx)
                .await
                .map_err(error::db("läsa användare"))?;
            if taken.is_some() {
                return Err(StoreError::UserExists(name.to_string()));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (name, role, password_hash, created_at) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(name)
            .bind(role.as_str())
            .bind(&hash)
            .bind(crate::now_micros())
            .fetch_one(&mut *tx)
            .await
            .map_err(error::db("spara användaren"))?;
            for a in &ansvar {
                sqlx::query("INSERT INTO user_ansvar (user_id, ansvar) VALUES ($1, $2)")
                    .bind(id)
                    .bind(a)
                    .execute(&mut *tx)
                    .await
                    .map_err(error::db("spara användarens ansvar"))?;
            }
            audit!(tx, actor, "user.add", format!("user:{name}"), None::<String>, Some(new_value))?;
            tx.commit().await.map_err(error::db("spara användaren"))?;
            id
        });
        Ok(User {
            id,
            name: name.to_string(),
            role,
            ansvar,
            active: true,
        })
    }

    /// The user named `name`.
    pub async fn user(&self, name: &str) -> Result<Option<User>, StoreError> {
        Ok(self.user_with_hash(name).await?.map(|(u, _)| u))
    }

    async fn user_with_hash(&self, name: &str) -> Result<Option<(User, String)>, StoreError> {
        let row: Option<(i64, String, String, i64, String)> = on_db!(self, p => sqlx::query_as(
            "SELECT id, name, role, active, password_hash FROM users WHERE name = $1",
        )
        .bind(name)
        .fetch_optional(p)
        .await)
        .map_err(error::db("läsa användare"))?;
        match row {
            Some((id, name, role, active, hash)) => Ok(Some((
                self.user_from_row((id, name, role, active)).await?,
                hash,
            ))),
            None => Ok(None),
        }
    }

    async fn user_from_row(&self, (id, name, role, active): UserRow) -> Result<User, StoreError> {
        let ansvar: Vec<String> = on_db!(self, p => sqlx::query_scalar(
            "SELECT ansvar FROM user_ansvar WHERE user_id = $1 ORDER BY ansvar",
        )
        .bind(id)
        .fetch_all(p)
        .await)
        .map_err(error::db("läsa användarens ansvar"))?;
        Ok(User {
            id,
            name,
            role: Role::parse(&role)?,
            ansvar,
            active: active != 0,
        })
    }

    /// The active user named `name` if `password` is theirs.
    pub async fn check_password(
        &self,
        name: &str,
        password: &str,
    ) -> Result<Option<User>, StoreError> {
        Ok(self
            .user_with_hash(name)
            .await?
            .filter(|(u, hash)| u.active && verify_password(password, hash))
            .map(|(u, _)| u))
    }

    /// The stored password hash of `name` (a PHC string), to show that it is argon2id.
    pub async fn password_hash(&self, name: &str) -> Result<Option<String>, StoreError> {
        Ok(self.user_with_hash(name).await?.map(|(_, h)| h))
    }

    /// Creates an API token for `user` and returns it; only its SHA-256 is stored, so
    /// this is the only time it can be seen. Recorded in the audit log.
    pub async fn create_token(&self, actor: &str, user: &str) -> Result<String, StoreError> {
        let u = self
            .user(user)
            .await?
            .ok_or_else(|| StoreError::NoSuchUser(user.to_string()))?;
        let mut secret = [0u8; 32];
        OsRng.fill_bytes(&mut secret);
        let token = format!("delar_{}", hex(&secret));
        let hash = sha256_hex(token.as_bytes());
        on_db!(self, p => {
            let mut tx = p.begin().await.map_err(error::db("börja en transaktion"))?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO api_tokens (user_id, token_hash, created_at) \
                 VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(u.id)
            .bind(&hash)
            .bind(crate::now_micros())
            .fetch_one(&mut *tx)
            .await
            .map_err(error::db("spara token"))?;
            let new_value = serde_json::json!({"user": u.name, "token_id": id}).to_string();
            audit!(tx, actor, "token.create", format!("user:{}", u.name), None::<String>, Some(new_value))?;
            tx.commit().await.map_err(error::db("spara token"))?;
        });
        Ok(token)
    }

    /// The active user a token belongs to, if the token is known and not revoked.
    pub async fn user_for_token(&self, token: &str) -> Result<Option<User>, StoreError> {
        let hash = sha256_hex(token.as_bytes());
        let row: Option<UserRow> = on_db!(self, p => sqlx::query_as(
            "SELECT u.id, u.name, u.role, u.active FROM api_tokens t \
             JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = 1",
        )
        .bind(hash)
        .fetch_optional(p)
        .await)
        .map_err(error::db("läsa token"))?;
        match row {
            Some(r) => Ok(Some(self.user_from_row(r).await?)),
            None => Ok(None),
        }
    }
}
