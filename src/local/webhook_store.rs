//! SQLite storage of registry webhooks. A webhook row points at its registry's row id, with
//! `ON DELETE CASCADE`: deleting a registry (by the API or out of band) takes its webhooks
//! with it, as on the real service. Runs inside `Store::read` / `Store::write`.

use rusqlite::{Connection, params};

use super::store::{self, StoreError, StoredRegistry, now_ms};
use crate::api::model::webhook::ExtraHeader;
use crate::api::refs::RegistryRef;

/// Schema migration 2 (appended to `store::MIGRATIONS`).
pub const SCHEMA: &str = "CREATE TABLE webhooks (
        id                      INTEGER PRIMARY KEY,
        registry_id             INTEGER NOT NULL REFERENCES registries(id) ON DELETE CASCADE,
        identifier              TEXT NOT NULL,
        name                    TEXT NOT NULL,
        description             TEXT NOT NULL,
        url                     TEXT NOT NULL,
        enabled                 INTEGER NOT NULL,
        insecure                INTEGER NOT NULL,
        secret_identifier       TEXT,
        secret_space_path       TEXT,
        triggers                TEXT NOT NULL,
        extra_headers           TEXT NOT NULL,
        latest_execution_result TEXT,
        version                 INTEGER NOT NULL,
        created_at              INTEGER NOT NULL,
        modified_at             INTEGER NOT NULL,
        UNIQUE (registry_id, identifier)
    );";

/// A webhook as stored. Masked headers keep their real value here; the service masks them
/// in answers.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredWebhook {
    pub identifier: String,
    pub name: String,
    pub description: String,
    pub url: String,
    pub enabled: bool,
    pub insecure: bool,
    pub secret_identifier: Option<String>,
    pub secret_space_path: Option<String>,
    pub triggers: Vec<String>,
    pub extra_headers: Vec<ExtraHeader>,
    pub latest_execution_result: Option<String>,
    pub version: i64,
    pub created_at: i64,
    pub modified_at: i64,
}

/// What a create or PUT writes, after the rules passed.
#[derive(Debug, Clone)]
pub struct NewWebhook {
    pub identifier: String,
    pub name: String,
    pub description: String,
    pub url: String,
    pub enabled: bool,
    pub insecure: bool,
    pub secret_identifier: Option<String>,
    pub secret_space_path: Option<String>,
    pub triggers: Vec<String>,
    pub extra_headers: Vec<ExtraHeader>,
}

/// Why a webhook operation was refused (the store's own failures are `StoreError`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("registry not found: {0}")]
    RegistryNotFound(String),
    #[error("webhook not found: {identifier} (registry {registry})")]
    NotFound {
        registry: String,
        identifier: String,
    },
    #[error("failed to store webhook, Webhook with identifier {0} already exists")]
    Duplicate(String),
    #[error("not allowed to create webhook for {0} registry")]
    NotVirtual(&'static str),
}

type Outcome<T> = Result<Result<T, Refusal>, StoreError>;

fn json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The registry at exactly `reference`, or the refusal to answer.
pub fn registry(conn: &Connection, reference: &RegistryRef) -> Outcome<StoredRegistry> {
    match store::get(conn, reference) {
        Ok(r) => Ok(Ok(r)),
        Err(StoreError::NotFound(_)) => Ok(Err(Refusal::RegistryNotFound(reference.to_string()))),
        Err(e) => Err(e),
    }
}

const COLUMNS: &str = "identifier, name, description, url, enabled, insecure, secret_identifier, \
     secret_space_path, triggers, extra_headers, latest_execution_result, version, created_at, \
     modified_at";

fn row(r: &rusqlite::Row<'_>) -> Result<StoredWebhook, StoreError> {
    Ok(StoredWebhook {
        identifier: r.get(0)?,
        name: r.get(1)?,
        description: r.get(2)?,
        url: r.get(3)?,
        enabled: r.get(4)?,
        insecure: r.get(5)?,
        secret_identifier: r.get(6)?,
        secret_space_path: r.get(7)?,
        triggers: json(&r.get::<_, String>(8)?)?,
        extra_headers: json(&r.get::<_, String>(9)?)?,
        latest_execution_result: r.get(10)?,
        version: r.get(11)?,
        created_at: r.get(12)?,
        modified_at: r.get(13)?,
    })
}

fn find(
    conn: &Connection,
    registry_id: i64,
    identifier: &str,
) -> Result<Option<StoredWebhook>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM webhooks WHERE registry_id = ?1 AND identifier = ?2");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![registry_id, identifier])?;
    match rows.next()? {
        Some(r) => Ok(Some(row(r)?)),
        None => Ok(None),
    }
}

fn not_found(reference: &RegistryRef, identifier: &str) -> Refusal {
    Refusal::NotFound {
        registry: reference.to_string(),
        identifier: identifier.to_string(),
    }
}

pub fn get(conn: &Connection, reference: &RegistryRef, identifier: &str) -> Outcome<StoredWebhook> {
    let reg = match registry(conn, reference)? {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    Ok(find(conn, reg.id, identifier)?.ok_or_else(|| not_found(reference, identifier)))
}

/// Every webhook of the registry, in creation order (the service filters, sorts and pages).
pub fn list(conn: &Connection, reference: &RegistryRef) -> Outcome<Vec<StoredWebhook>> {
    let reg = match registry(conn, reference)? {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    let sql = format!("SELECT {COLUMNS} FROM webhooks WHERE registry_id = ?1 ORDER BY id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query([reg.id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(row(r)?);
    }
    Ok(Ok(out))
}

/// Create: only on a virtual registry; the identifier is unique within the registry.
pub fn create(
    conn: &Connection,
    reference: &RegistryRef,
    new: NewWebhook,
) -> Outcome<StoredWebhook> {
    let reg = match registry(conn, reference)? {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    if reg.registry_type != crate::rules::RegistryType::Virtual {
        return Ok(Err(Refusal::NotVirtual(reg.registry_type.as_str())));
    }
    if find(conn, reg.id, &new.identifier)?.is_some() {
        return Ok(Err(Refusal::Duplicate(new.identifier)));
    }
    let now = now_ms();
    conn.prepare_cached(
        "INSERT INTO webhooks (registry_id, identifier, name, description, url, enabled, insecure, \
         secret_identifier, secret_space_path, triggers, extra_headers, latest_execution_result, \
         version, created_at, modified_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, NULL, 1, ?12, ?12)",
    )?
    .execute(params![
        reg.id,
        new.identifier,
        new.name,
        new.description,
        new.url,
        new.enabled,
        new.insecure,
        new.secret_identifier,
        new.secret_space_path,
        to_json(&new.triggers)?,
        to_json(&new.extra_headers)?,
        now,
    ])?;
    Ok(find(conn, reg.id, &new.identifier)?.ok_or_else(|| not_found(reference, &new.identifier)))
}

/// PUT: replaces everything but the identifier and `createdAt`; `version` counts the changes.
/// `keep` decides, header by header, whether a masked header sent back with the placeholder
/// keeps its stored value (see the service).
pub fn update(
    conn: &Connection,
    reference: &RegistryRef,
    identifier: &str,
    mut new: NewWebhook,
    keep: fn(&ExtraHeader, &[ExtraHeader]) -> Option<String>,
) -> Outcome<StoredWebhook> {
    let reg = match registry(conn, reference)? {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    let Some(current) = find(conn, reg.id, identifier)? else {
        return Ok(Err(not_found(reference, identifier)));
    };
    for h in &mut new.extra_headers {
        if let Some(v) = keep(h, &current.extra_headers) {
            h.value = v;
        }
    }
    conn.prepare_cached(
        "UPDATE webhooks SET name = ?3, description = ?4, url = ?5, enabled = ?6, insecure = ?7, \
         secret_identifier = ?8, secret_space_path = ?9, triggers = ?10, extra_headers = ?11, \
         version = version + 1, modified_at = max(?12, created_at) \
         WHERE registry_id = ?1 AND identifier = ?2",
    )?
    .execute(params![
        reg.id,
        identifier,
        new.name,
        new.description,
        new.url,
        new.enabled,
        new.insecure,
        new.secret_identifier,
        new.secret_space_path,
        to_json(&new.triggers)?,
        to_json(&new.extra_headers)?,
        now_ms(),
    ])?;
    Ok(find(conn, reg.id, identifier)?.ok_or_else(|| not_found(reference, identifier)))
}

pub fn delete(conn: &Connection, reference: &RegistryRef, identifier: &str) -> Outcome<()> {
    let reg = match registry(conn, reference)? {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    let n = conn
        .prepare_cached("DELETE FROM webhooks WHERE registry_id = ?1 AND identifier = ?2")?
        .execute(params![reg.id, identifier])?;
    Ok(if n == 0 {
        Err(not_found(reference, identifier))
    } else {
        Ok(())
    })
}
