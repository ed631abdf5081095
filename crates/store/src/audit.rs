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
