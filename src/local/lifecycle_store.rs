//! SQLite storage of lifecycle rules. A rule is kept as its (validated) request body plus what
//! the server owns: id, scope, `enabled`, timestamps. Runs inside `Store::read` / `Store::write`.

use rusqlite::{Connection, params};

use super::store::{StoreError, now_ms};
use crate::api::model::lifecycle::LifecycleRuleRequest;
use crate::api::refs::Scope;

/// Schema migration 3 (appended to `store::MIGRATIONS`).
pub const SCHEMA: &str = "CREATE TABLE lifecycle_rules (
        seq        INTEGER PRIMARY KEY,
        id         TEXT NOT NULL UNIQUE,
        account    TEXT NOT NULL,
        scope      TEXT NOT NULL,
        body       TEXT NOT NULL,
        enabled    INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE INDEX lifecycle_rules_scope ON lifecycle_rules(account, scope);";

#[derive(Debug, Clone, PartialEq)]
pub struct StoredRule {
    pub id: String,
    pub scope: Scope,
    pub body: LifecycleRuleRequest,
    pub enabled: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

fn row(r: &rusqlite::Row<'_>) -> Result<StoredRule, StoreError> {
    let scope: String = r.get(1)?;
    let body: String = r.get(2)?;
    Ok(StoredRule {
        id: r.get(0)?,
        scope: Scope::parse(&scope).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        body: serde_json::from_str(&body).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        enabled: r.get(3)?,
        created_at: r.get(4)?,
        updated_at: r.get(5)?,
    })
}

/// The rule `id` of `account`, whatever its scope (the caller checks the scope).
pub fn get(conn: &Connection, account: &str, id: &str) -> Result<Option<StoredRule>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, scope, body, enabled, created_at, updated_at FROM lifecycle_rules \
         WHERE account = ?1 AND id = ?2",
    )?;
    let mut rows = stmt.query(params![account, id])?;
    match rows.next()? {
        Some(r) => Ok(Some(row(r)?)),
        None => Ok(None),
    }
}

/// The rules of exactly `scope`, in creation order.
pub fn list(conn: &Connection, scope: &Scope) -> Result<Vec<StoredRule>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, scope, body, enabled, created_at, updated_at FROM lifecycle_rules \
         WHERE account = ?1 AND scope = ?2 ORDER BY seq",
    )?;
    let mut rows = stmt.query(params![scope.account, scope.to_string()])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(row(r)?);
    }
    Ok(out)
}

fn body_json(body: &LifecycleRuleRequest) -> Result<String, StoreError> {
    serde_json::to_string(body).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A new rule, enabled, with a fresh id.
pub fn create(
    conn: &Connection,
    scope: &Scope,
    body: LifecycleRuleRequest,
) -> Result<StoredRule, StoreError> {
    let id = uuid::Uuid::new_v4().simple().to_string();
    let now = now_ms();
    conn.prepare_cached(
        "INSERT INTO lifecycle_rules (id, account, scope, body, enabled, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5)",
    )?
    .execute(params![
        id,
        scope.account,
        scope.to_string(),
        body_json(&body)?,
        now
    ])?;
    get(conn, &scope.account, &id)?.ok_or_else(|| StoreError::NotFound(id))
}

/// PUT: replaces the body; `None` when there is no such rule in `account`.
pub fn update(
    conn: &Connection,
    account: &str,
    id: &str,
    body: LifecycleRuleRequest,
) -> Result<Option<StoredRule>, StoreError> {
    conn.prepare_cached(
        "UPDATE lifecycle_rules SET body = ?3, updated_at = max(?4, created_at) \
         WHERE account = ?1 AND id = ?2",
    )?
    .execute(params![account, id, body_json(&body)?, now_ms()])?;
    get(conn, account, id)
}

/// True if a rule was deleted.
pub fn delete(conn: &Connection, account: &str, id: &str) -> Result<bool, StoreError> {
    let n = conn
        .prepare_cached("DELETE FROM lifecycle_rules WHERE account = ?1 AND id = ?2")?
        .execute(params![account, id])?;
    Ok(n > 0)
}
