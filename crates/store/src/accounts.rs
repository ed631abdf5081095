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
    /// Assigned committees (`user_committees`), by name.
    pub committees: Vec<Committee>,
    /// Whether the account may log in.
    pub active: bool,
}

/// A committee (nämnd), as created by an import or an assignment.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Committee {
    /// Id.
    pub id: i64,
    /// Name, as in the package's `delar.toml`.
    pub name: String,
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

pub(crate) type UserRow = (i64, String, String, i64);

/// `items` trimmed, sorted and without duplicates; an empty one is refused (`what` names
/// it in the message).
fn clean_list(items: &[String], what: &str) -> Result<Vec<String>, StoreError> {
    let mut items: Vec<String> = items.iter().map(|a| a.trim().to_string()).collect();
    items.sort();
    items.dedup();
    if items.iter().any(String::is_empty) {
        return Err(StoreError::Invalid(format!("{what} får inte vara tomt")));
    }
    if items.iter().any(|i| i.chars().any(char::is_control)) {
        return Err(StoreError::Invalid(format!(
            "{what} får inte innehålla styrtecken"
        )));
    }
    Ok(items)
}

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
        self.add_user_with_committees(actor, name, role, ansvar, &[], password)
            .await
    }

    /// Creates a user as [`Store::add_user`] does, also assigned to the committees named
    /// (created when not yet known), all in one transaction with its audit entry.
    pub async fn add_user_with_committees(
        &self,
        actor: &str,
        name: &str,
        role: Role,
        ansvar: &[String],
        committees: &[String],
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
        let committees = clean_list(committees, "en nämnd")?;
        let pw = password.to_string();
        let hash = tokio::task::spawn_blocking(move || hash_password(&pw))
            .await
            .map_err(|e| StoreError::Hash(e.to_string()))??;
        let new_value = serde_json::json!({
            "name": name, "role": role.as_str(), "ansvar": ansvar, "committees": committees,
        })
        .to_string();
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
            for c in &committees {
                sqlx::query("INSERT INTO committees (name) VALUES ($1) ON CONFLICT (name) DO NOTHING")
                    .bind(c)
                    .execute(&mut *tx)
                    .await
                    .map_err(error::db("spara nämnden"))?;
                sqlx::query(
                    "INSERT INTO user_committees (user_id, committee_id) \
                     SELECT $1, id FROM committees WHERE name = $2",
                )
                .bind(id)
                .bind(c)
                .execute(&mut *tx)
                .await
                .map_err(error::db("spara användarens nämnder"))?;
            }
            audit!(tx, actor, "user.add", format!("user:{name}"), None::<String>, Some(new_value))?;
            tx.commit().await.map_err(error::db("spara användaren"))?;
            id
        });
        let user = self.user_by_id(id).await?;
        user.ok_or_else(|| StoreError::NoSuchUser(name.to_string()))
    }

    /// The user named `name`.
    pub async fn user(&self, name: &str) -> Result<Option<User>, StoreError> {
        Ok(self.user_with_hash(name).await?.map(|(u, _)| u))
    }

    pub(crate) async fn user_with_hash(
        &self,
        name: &str,
    ) -> Result<Option<(User, String)>, StoreError> {
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

    pub(crate) async fn user_from_row(
        &self,
        (id, name, role, active): UserRow,
    ) -> Result<User, StoreError> {
        let ansvar: Vec<String> = on_db!(self, p => sqlx::query_scalar(
            "SELECT ansvar FROM user_ansvar WHERE user_id = $1 ORDER BY ansvar",
        )
        .bind(id)
        .fetch_all(p)
        .await)
        .map_err(error::db("läsa användarens ansvar"))?;
        let committees: Vec<(i64, String)> = on_db!(self, p => sqlx::query_as(
            "SELECT c.id, c.name FROM user_committees uc JOIN committees c ON c.id = uc.committee_id \
             WHERE uc.user_id = $1 ORDER BY c.name",
        )
        .bind(id)
        .fetch_all(p)
        .await)
        .map_err(error::db("läsa användarens nämnder"))?;
        // Sorted here, by bytes: the same order on both databases (collations differ).
        let mut ansvar = ansvar;
        ansvar.sort();
        let mut committees = committees;
        committees.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(User {
            id,
            name,
            role: Role::parse(&role)?,
            ansvar,
            committees: committees
                .into_iter()
                .map(|(id, name)| Committee { id, name })
                .collect(),
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

/// A change to a user's assignments, for [`Store::change_assignment`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assignment {
    /// Assign an ansvar.
    AddAnsvar(String),
    /// Take an ansvar away.
    RemoveAnsvar(String),
    /// Assign a committee by name (created when not yet known).
    AddCommittee(String),
    /// Take a committee away, by name.
    RemoveCommittee(String),
}

impl Store {
    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows: Vec<UserRow> = on_db!(self, p => sqlx::query_as(
            "SELECT id, name, role, active FROM users ORDER BY name",
        )
        .fetch_all(p)
        .await)
        .map_err(error::db("läsa användare"))?;
        let mut users = Vec::with_capacity(rows.len());
        for r in rows {
            users.push(self.user_from_row(r).await?);
        }
        Ok(users)
    }

    /// The user with id `id`.
    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>, StoreError> {
        let row: Option<UserRow> = on_db!(self, p => sqlx::query_as(
            "SELECT id, name, role, active FROM users WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(p)
        .await)
        .map_err(error::db("läsa användare"))?;
        match row {
            Some(r) => Ok(Some(self.user_from_row(r).await?)),
            None => Ok(None),
        }
    }

    /// Every committee, by name.
    pub async fn committees(&self) -> Result<Vec<Committee>, StoreError> {
        let rows: Vec<(i64, String)> = on_db!(self, p => sqlx::query_as(
            "SELECT id, name FROM committees ORDER BY name",
        )
        .fetch_all(p)
        .await)
        .map_err(error::db("läsa nämnder"))?;
        Ok(rows
            .into_iter()
            .map(|(id, name)| Committee { id, name })
            .collect())
    }

    /// The committee named `name`, if known.
    pub async fn committee_by_name(&self, name: &str) -> Result<Option<Committee>, StoreError> {
        let row: Option<(i64, String)> = on_db!(self, p => sqlx::query_as(
            "SELECT id, name FROM committees WHERE name = $1",
        )
        .bind(name)
        .fetch_optional(p)
        .await)
        .map_err(error::db("läsa nämnder"))?;
        Ok(row.map(|(id, name)| Committee { id, name }))
    }

    /// Gives user `user_id` the role `role`, in one transaction with its audit entry (old
    /// and new role). Setting the role it already has changes nothing.
    pub async fn set_role(
        &self,
        actor: &str,
        user_id: i64,
        role: Role,
    ) -> Result<User, StoreError> {
        on_db!(self, p => {
            let mut tx = p.begin().await.map_err(error::db("börja en transaktion"))?;
            let row: Option<(String, String)> =
                sqlx::query_as("SELECT name, role FROM users WHERE id = $1")
                    .bind(user_id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(error::db("läsa användare"))?;
            let (name, old) = row.ok_or_else(|| StoreError::NoSuchUser(user_id.to_string()))?;
            if old != role.as_str() {
                sqlx::query("UPDATE users SET role = $1, version = version + 1 WHERE id = $2")
                    .bind(role.as_str())
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(error::db("ändra rollen"))?;
                let old = serde_json::json!({"role": old}).to_string();
                let new = serde_json::json!({"role": role.as_str()}).to_string();
                audit!(tx, actor, "user.role", format!("user:{name}"), Some(old), Some(new))?;
            }
            tx.commit().await.map_err(error::db("ändra rollen"))?;
        });
        self.user_by_id(user_id)
            .await?
            .ok_or_else(|| StoreError::NoSuchUser(user_id.to_string()))
    }

    /// Activates or deactivates user `user_id`, in one transaction with its audit entry.
    /// A deactivated user cannot log in, their sessions are deleted and their API tokens
    /// are not accepted (until activated again).
    pub async fn set_active(
        &self,
        actor: &str,
        user_id: i64,
        active: bool,
    ) -> Result<User, StoreError> {
        on_db!(self, p => {
            let mut tx = p.begin().await.map_err(error::db("börja en transaktion"))?;
            let row: Option<(String, i64)> =
                sqlx::query_as("SELECT name, active FROM users WHERE id = $1")
                    .bind(user_id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(error::db("läsa användare"))?;
            let (name, old) = row.ok_or_else(|| StoreError::NoSuchUser(user_id.to_string()))?;
            if (old != 0) != active {
                sqlx::query("UPDATE users SET active = $1, version = version + 1 WHERE id = $2")
                    .bind(i64::from(active))
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(error::db("ändra kontots status"))?;
                if !active {
                    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                        .bind(user_id)
                        .execute(&mut *tx)
                        .await
                        .map_err(error::db("ta bort användarens sessioner"))?;
                }
                let old = serde_json::json!({"active": old != 0}).to_string();
                let new = serde_json::json!({"active": active}).to_string();
                let action = if active { "user.activate" } else { "user.deactivate" };
                audit!(tx, actor, action, format!("user:{name}"), Some(old), Some(new))?;
            }
            tx.commit().await.map_err(error::db("ändra kontots status"))?;
        });
        self.user_by_id(user_id)
            .await?
            .ok_or_else(|| StoreError::NoSuchUser(user_id.to_string()))
    }

    /// Assigns or takes away an ansvar or a committee of user `user_id`, in one
    /// transaction with its audit entry (the whole list before and after). A change that
    /// changes nothing (assigning what is assigned) writes nothing.
    pub async fn change_assignment(
        &self,
        actor: &str,
        user_id: i64,
        change: &Assignment,
    ) -> Result<User, StoreError> {
        let (value, what) = match change {
            Assignment::AddAnsvar(v) | Assignment::RemoveAnsvar(v) => (v, "ett ansvar"),
            Assignment::AddCommittee(v) | Assignment::RemoveCommittee(v) => (v, "en nämnd"),
        };
        let value = clean_list(std::slice::from_ref(value), what)?.remove(0);
        let committee = matches!(
            change,
            Assignment::AddCommittee(_) | Assignment::RemoveCommittee(_)
        );
        let (list_sql, field, action) = if committee {
            (
                "SELECT c.name FROM user_committees uc JOIN committees c ON c.id = uc.committee_id \
                 WHERE uc.user_id = $1 ORDER BY c.name",
                "committees",
                "user.committees",
            )
        } else {
            (
                "SELECT ansvar FROM user_ansvar WHERE user_id = $1 ORDER BY ansvar",
                "ansvar",
                "user.ansvar",
            )
        };
        on_db!(self, p => {
            let mut tx = p.begin().await.map_err(error::db("börja en transaktion"))?;
            let name: Option<String> = sqlx::query_scalar("SELECT name FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(error::db("läsa användare"))?;
            let name = name.ok_or_else(|| StoreError::NoSuchUser(user_id.to_string()))?;
            let old: Vec<String> = sqlx::query_scalar(list_sql)
                .bind(user_id)
                .fetch_all(&mut *tx)
                .await
                .map_err(error::db("läsa användarens tilldelningar"))?;
            // Sorted here, by bytes: the same order on both databases (collations differ).
            let mut old = old;
            old.sort();
            let adding = matches!(change, Assignment::AddAnsvar(_) | Assignment::AddCommittee(_));
            let has = old.contains(&value);
            if adding != has {
                let sql = match change {
                    Assignment::AddAnsvar(_) => {
                        "INSERT INTO user_ansvar (user_id, ansvar) VALUES ($1, $2)"
                    }
                    Assignment::RemoveAnsvar(_) => {
                        "DELETE FROM user_ansvar WHERE user_id = $1 AND ansvar = $2"
                    }
                    Assignment::AddCommittee(_) => {
                        sqlx::query("INSERT INTO committees (name) VALUES ($1) ON CONFLICT (name) DO NOTHING")
                            .bind(&value)
                            .execute(&mut *tx)
                            .await
                            .map_err(error::db("spara nämnden"))?;
                        "INSERT INTO user_committees (user_id, committee_id) \
                         SELECT $1, id FROM committees WHERE name = $2"
                    }
                    Assignment::RemoveCommittee(_) => {
                        "DELETE FROM user_committees WHERE user_id = $1 AND committee_id = \
                         (SELECT id FROM committees WHERE name = $2)"
                    }
                };
                sqlx::query(sql)
                    .bind(user_id)
                    .bind(&value)
                    .execute(&mut *tx)
                    .await
                    .map_err(error::db("ändra användarens tilldelningar"))?;
                let mut new = old.clone();
                if adding {
                    new.push(value.clone());
                    new.sort();
                } else {
                    new.retain(|v| v != &value);
                }
                sqlx::query("UPDATE users SET version = version + 1 WHERE id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(error::db("ändra användarens tilldelningar"))?;
                let old = serde_json::json!({ field: old }).to_string();
                let new = serde_json::json!({ field: new }).to_string();
                audit!(tx, actor, action, format!("user:{name}"), Some(old), Some(new))?;
            }
            tx.commit().await.map_err(error::db("ändra användarens tilldelningar"))?;
        });
        self.user_by_id(user_id)
            .await?
            .ok_or_else(|| StoreError::NoSuchUser(user_id.to_string()))
    }
}
