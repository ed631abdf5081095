//! The audit log: who did what, when, with the old and the new value (JSON text). It is
//! append-only: the store only inserts into it (always in the transaction of the change
//! it records), and triggers on both databases refuse UPDATE and DELETE.

use crate::{error, on_db, Store, StoreError};

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditEntry {
    /// Sequence number (increasing).
    pub id: i64,
    /// When, in microseconds since 1970 UTC.
    pub at: i64,
    /// Who: a user name, or what ran the change (e.g. `cli:anna`).
    pub actor: String,
    /// What: e.g. `user.add`, `token.create`, `package.import`, `ledger.replace`.
    pub action: String,
    /// What it concerns, e.g. `user:anna` or `ledger:Servicenämnd IT/2023`.
    pub entity: String,
    /// The value before (JSON), if any.
    pub old_value: Option<String>,
    /// The value after (JSON), if any.
    pub new_value: Option<String>,
}

/// Appends an entry to the audit log inside the transaction `$tx`.
macro_rules! audit {
    ($tx:expr, $actor:expr, $action:expr, $entity:expr, $old:expr, $new:expr) => {
        sqlx::query(
            "INSERT INTO audit_log (at, actor, action, entity, old_value, new_value) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind($crate::now_micros())
        .bind($actor)
        .bind($action)
        .bind($entity)
        .bind($old)
        .bind($new)
        .execute(&mut *$tx)
        .await
        .map_err($crate::error::db("skriva i granskningsloggen"))
    };
}
pub(crate) use audit;

impl Store {
    /// The whole audit log, oldest first.
    pub async fn audit_log(&self) -> Result<Vec<AuditEntry>, StoreError> {
        let sql = "SELECT id, at, actor, action, entity, old_value, new_value \
                   FROM audit_log ORDER BY id";
        on_db!(self, p => sqlx::query_as(sql).fetch_all(p).await)
            .map_err(error::db("läsa granskningsloggen"))
    }
}

/// Which entries of the audit log to read ([`Store::audit_query`]); empty fields do not
/// filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Entries whose entity starts with this (e.g. `user:` for every user, `user:anna`).
    pub entity: Option<String>,
    /// Entries by exactly this actor.
    pub actor: Option<String>,
    /// Entries of exactly this action (e.g. `user.role`).
    pub action: Option<String>,
    /// At most this many entries (the newest when `newest_first`).
    pub limit: Option<i64>,
    /// Newest first (for pages); otherwise oldest first (for exports).
    pub newest_first: bool,
}

impl Store {
    /// The entries of the audit log that `filter` selects. The filter values are bound
    /// as parameters (never put into the SQL), and the entity is compared as a prefix
    /// without LIKE, so `%` and `_` in it mean themselves.
    pub async fn audit_query(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        let mut sql = String::from(
            "SELECT id, at, actor, action, entity, old_value, new_value FROM audit_log WHERE 1 = 1",
        );
        let mut binds: Vec<String> = Vec::new();
        let mut n = 0;
        let mut next = |binds: &mut Vec<String>, v: &str| {
            binds.push(v.to_string());
            n += 1;
            n
        };
        if let Some(e) = filter.entity.as_deref().filter(|e| !e.is_empty()) {
            let i = next(&mut binds, e);
            sql.push_str(&format!(" AND substr(entity, 1, length(${i})) = ${i}"));
        }
        if let Some(a) = filter.actor.as_deref().filter(|a| !a.is_empty()) {
            let i = next(&mut binds, a);
            sql.push_str(&format!(" AND actor = ${i}"));
        }
        if let Some(a) = filter.action.as_deref().filter(|a| !a.is_empty()) {
            let i = next(&mut binds, a);
            sql.push_str(&format!(" AND action = ${i}"));
        }
        sql.push_str(if filter.newest_first {
            " ORDER BY id DESC"
        } else {
            " ORDER BY id"
        });
        if let Some(limit) = filter.limit {
            sql.push_str(&format!(" LIMIT {}", limit.max(0)));
        }
        on_db!(self, p => {
            let mut q = sqlx::query_as::<_, AuditEntry>(&sql);
            for b in &binds {
                q = q.bind(b);
            }
            q.fetch_all(p).await
        })
        .map_err(error::db("läsa granskningsloggen"))
    }

    /// The distinct actors of the audit log, sorted (for the log page's filter).
    pub async fn audit_actors(&self) -> Result<Vec<String>, StoreError> {
        on_db!(self, p => sqlx::query_scalar("SELECT DISTINCT actor FROM audit_log ORDER BY actor")
            .fetch_all(p)
            .await)
        .map_err(error::db("läsa granskningsloggen"))
    }
}
