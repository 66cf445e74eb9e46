//! SQLite storage for har-local.
//!
//! * One writer thread owns the only read-write connection. Writes queue on a channel; the
//!   thread takes every queued write into one transaction (each write inside its own
//!   SAVEPOINT, so one refused write does not undo the others), commits, and only then answers
//!   them: group commit. With WAL and `synchronous=FULL` the commit is on disk before any
//!   client sees a 2xx, so every acknowledged write survives `kill -9`, and the fsync is paid
//!   once per batch rather than once per request.
//! * Reads run on a small pool of read-only connections (WAL lets them read while the writer
//!   writes) on tokio's blocking threads. `:memory:` has no file to share, so there the writer
//!   thread serves reads too.
//! * The schema is versioned with `PRAGMA user_version` from the first release.
//! * Every statement is a constant string with bound parameters (`prepare_cached`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use tokio::sync::oneshot;

use crate::api::model::{CleanupPolicy, DebianConfig, Scanner, UpstreamConfig};
use crate::api::model::{MetadataEntry, MetadataItem};
use crate::api::refs::{RegistryRef, Scope};
use crate::rules::{LinkLevel, LinkTarget, RegistryType, check_link};

/// The columns `row_to_registry` reads, in its order, each prefixed with `$t` (a table alias
/// such as `"r."`, or `""`), for every statement that reads whole registries.
macro_rules! registry_columns {
    ($t:literal) => {
        concat!(
            $t,
            "id, ",
            $t,
            "uuid, ",
            $t,
            "scope, ",
            $t,
            "identifier, ",
            $t,
            "registry_type, ",
            $t,
            "package_type, ",
            $t,
            "description, ",
            $t,
            "labels, ",
            $t,
            "allowed_pattern, ",
            $t,
            "blocked_pattern, ",
            $t,
            "is_public, ",
            $t,
            "cleanup_policy, ",
            $t,
            "upstream_config, ",
            $t,
            "created_at, ",
            $t,
            "modified_at, ",
            $t,
            "extras"
        )
    };
}

mod identifier_search;

/// The schema, one entry per version; never edit a released entry, append a new one.
const MIGRATIONS: &[&str] = &[
    // 1: registries and their ordered upstream links (stored by row id, as the real service
    // stores registry ids, so a link follows the registry and not its name).
    "CREATE TABLE registries (
        id              INTEGER PRIMARY KEY,
        uuid            TEXT NOT NULL UNIQUE,
        account         TEXT NOT NULL,
        scope           TEXT NOT NULL,
        identifier      TEXT NOT NULL,
        registry_type   TEXT NOT NULL,
        package_type    TEXT NOT NULL,
        description     TEXT NOT NULL,
        labels          TEXT NOT NULL,
        allowed_pattern TEXT NOT NULL,
        blocked_pattern TEXT NOT NULL,
        is_public       INTEGER NOT NULL,
        cleanup_policy  TEXT,
        upstream_config TEXT,
        created_at      INTEGER NOT NULL,
        modified_at     INTEGER NOT NULL,
        UNIQUE (account, identifier)
    );
    CREATE TABLE upstream_links (
        registry_id INTEGER NOT NULL REFERENCES registries(id) ON DELETE CASCADE,
        position    INTEGER NOT NULL,
        target_id   INTEGER NOT NULL REFERENCES registries(id),
        PRIMARY KEY (registry_id, position)
    );
    CREATE INDEX upstream_links_target ON upstream_links(target_id);",
    // 2: the SaaS registry fields (scanners, policyRefs, debianConfig) as one JSON column, and
    // the v3 metadata entries (MANUAL or AUTO) of each registry.
    "ALTER TABLE registries ADD COLUMN extras TEXT;
    CREATE TABLE registry_metadata (
        id          INTEGER PRIMARY KEY,
        registry_id INTEGER NOT NULL REFERENCES registries(id) ON DELETE CASCADE,
        key         TEXT NOT NULL,
        value       TEXT NOT NULL,
        entry_type  TEXT NOT NULL,
        UNIQUE (registry_id, key)
    );",
    // 3: registry webhooks; they go with their registry (local/webhook_store.rs).
    crate::local::webhook_store::SCHEMA,
    // 4: lifecycle rules (local/lifecycle_store.rs).
    crate::local::lifecycle_store::SCHEMA,
    // 5: the trigram index that serves identifier searches (store/identifier_search.rs).
    identifier_search::SCHEMA,
];

const READERS: usize = 4;
const MAX_BATCH: usize = 512;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("registry not found: {0}")]
    NotFound(String),
    #[error(
        "registry '{identifier}' is already defined under '{scope}'. Please choose a different name or check existing registries"
    )]
    Duplicate { identifier: String, scope: String },
    #[error("{0}")]
    Immutable(&'static str),
    #[error("cycle detected while setting up the upstream proxy for registry: [{0}]")]
    Cycle(String),
    #[error("upstream Proxy: [{identifier}] is being used inside Registry: [{}]", .users.join(", "))]
    InUse {
        identifier: String,
        users: Vec<String>,
    },
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    #[error("the store is shut down")]
    Closed,
}

/// A registry as stored, with its resolved upstream list (identifiers, in order).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StoredRegistry {
    pub(crate) id: i64,
    pub(crate) uuid: String,
    pub(crate) scope: Scope,
    pub(crate) identifier: String,
    pub(crate) registry_type: RegistryType,
    pub(crate) package_type: String,
    pub(crate) description: String,
    pub(crate) labels: Vec<String>,
    pub(crate) allowed_pattern: Vec<String>,
    pub(crate) blocked_pattern: Vec<String>,
    pub(crate) is_public: bool,
    pub(crate) cleanup_policy: Vec<CleanupPolicy>,
    pub(crate) upstream: Option<UpstreamConfig>,
    pub(crate) upstream_proxies: Vec<String>,
    pub(crate) extras: Extras,
    pub(crate) created_at: i64,
    pub(crate) modified_at: i64,
}

/// What a create or a PUT writes: everything but the identity and the timestamps. Built by
/// the service after the rules passed.
#[derive(Debug, Clone)]
pub(crate) struct NewRegistry {
    pub(crate) scope: Scope,
    pub(crate) identifier: String,
    pub(crate) registry_type: RegistryType,
    pub(crate) package_type: String,
    pub(crate) description: String,
    pub(crate) labels: Vec<String>,
    pub(crate) allowed_pattern: Vec<String>,
    pub(crate) blocked_pattern: Vec<String>,
    pub(crate) is_public: bool,
    /// Empty on create: the real service stores cleanup policies on PUT only.
    pub(crate) cleanup_policy: Vec<CleanupPolicy>,
    pub(crate) upstream: Option<UpstreamConfig>,
    /// Requested upstream identifiers; the store resolves and silently drops.
    pub(crate) upstream_proxies: Vec<String>,
    pub(crate) extras: Extras,
}

/// The SaaS-only registry fields, stored together as JSON (`extras`).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Extras {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) scanners: Vec<Scanner>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) policy_refs: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) debian_config: Option<DebianConfig>,
}

type ReadJob = Box<dyn FnOnce(&Connection) + Send>;

trait WriteJob: Send {
    fn run(&mut self, conn: &Connection);
    fn finish(self: Box<Self>, commit: Result<(), String>);
}

struct TypedWrite<T, F> {
    f: Option<F>,
    result: Option<Result<T, StoreError>>,
    tx: oneshot::Sender<Result<T, StoreError>>,
}

impl<T: Send, F: FnOnce(&Connection) -> Result<T, StoreError> + Send> WriteJob
    for TypedWrite<T, F>
{
    fn run(&mut self, conn: &Connection) {
        let Some(f) = self.f.take() else { return };
        if let Err(e) = conn.execute_batch("SAVEPOINT w") {
            self.result = Some(Err(e.into()));
            return;
        }
        let r = f(conn);
        let end = if r.is_ok() {
            conn.execute_batch("RELEASE w")
        } else {
            conn.execute_batch("ROLLBACK TO w; RELEASE w")
        };
        self.result = Some(match end {
            Ok(()) => r,
            Err(e) => Err(e.into()),
        });
    }

    fn finish(self: Box<Self>, commit: Result<(), String>) {
        let r = match (self.result, commit) {
            (Some(Ok(_)), Err(e)) => Err(StoreError::Corrupt(format!("commit failed: {e}"))),
            (Some(r), _) => r,
            (None, Err(e)) => Err(StoreError::Corrupt(format!("transaction failed: {e}"))),
            (None, Ok(())) => Err(StoreError::Closed),
        };
        // The client may have gone away; its write stands either way.
        let _ = self.tx.send(r);
    }
}

enum Job {
    Read(ReadJob),
    Write(Box<dyn WriteJob>),
}

pub struct Store {
    tx: Mutex<Option<mpsc::Sender<Job>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    /// Dropping the sender stops the checkpointer (after a final checkpoint).
    checkpoint_stop: Mutex<Option<mpsc::Sender<()>>>,
    checkpointer: Mutex<Option<JoinHandle<()>>>,
    readers: Arc<Vec<Mutex<Connection>>>,
    next_reader: AtomicUsize,
}

/// How hard a commit syncs (SQLite `PRAGMA synchronous`, in WAL mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// Every commit fsyncs the WAL: an acknowledged write survives `kill -9`, an OS crash and a
    /// power cut.
    Full,
    /// Commits reach the OS but are synced only at checkpoints: an acknowledged write survives
    /// `kill -9` (the WAL is in the page cache), but an OS crash or power cut may lose the last
    /// ones. Faster on slow disks; the default, since har-local stands in for a service in
    /// tests and CI, where a process kill is the failure that matters.
    #[default]
    Normal,
}

/// Where the database lives.
#[derive(Debug, Clone)]
pub enum DbLocation {
    File(PathBuf),
    Memory,
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "busy_timeout", 5000)?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    migrate_through(conn, MIGRATIONS)
}

/// Brings the schema to `migrations.len()`; tests pass a prefix of [`MIGRATIONS`] to build
/// the database an older har-local left.
fn migrate_through(conn: &mut Connection, migrations: &[&str]) -> Result<(), StoreError> {
    let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > MIGRATIONS.len() {
        return Err(StoreError::Corrupt(format!(
            "database schema version {version} is newer than this har-local knows ({})",
            MIGRATIONS.len()
        )));
    }
    for (i, sql) in migrations.iter().enumerate().skip(version) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i + 1)?;
        tx.commit()?;
    }
    Ok(())
}

impl Store {
    pub(crate) fn open(location: &DbLocation, durability: Durability) -> Result<Self, StoreError> {
        let mut writer = match location {
            DbLocation::File(p) => Connection::open(p)?,
            DbLocation::Memory => Connection::open_in_memory()?,
        };
        if let DbLocation::File(_) = location {
            let mode: String =
                writer.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StoreError::Corrupt(format!(
                    "cannot switch to WAL (got {mode})"
                )));
            }
            // FULL (default): the WAL is synced on every commit, so an acknowledged write is on
            // disk. NORMAL: synced at checkpoints; still survives kill -9 (see `Durability`).
            let sync = match durability {
                Durability::Full => "FULL",
                Durability::Normal => "NORMAL",
            };
            writer.pragma_update(None, "synchronous", sync)?;
            // Checkpoints run on their own thread (below), not inside a client's commit: an
            // automatic checkpoint would add its fsyncs to whichever write crossed the limit.
            writer.pragma_update(None, "wal_autocheckpoint", 0)?;
        }
        configure(&writer)?;
        migrate(&mut writer)?;

        let mut readers = Vec::new();
        if let DbLocation::File(p) = location {
            for _ in 0..READERS {
                readers.push(Mutex::new(open_reader(p)?));
            }
        }

        let (checkpoint_stop, checkpointer) = match location {
            DbLocation::File(p) => {
                let conn = Connection::open(p)?;
                configure(&conn)?;
                let (stop_tx, stop_rx) = mpsc::channel::<()>();
                let handle = std::thread::Builder::new()
                    .name("har-local-checkpoint".into())
                    .spawn(move || checkpoint_loop(conn, stop_rx))
                    .map_err(|e| {
                        StoreError::Corrupt(format!("cannot start the checkpointer: {e}"))
                    })?;
                (Some(stop_tx), Some(handle))
            }
            DbLocation::Memory => (None, None),
        };

        let (tx, rx) = mpsc::channel::<Job>();
        let handle = std::thread::Builder::new()
            .name("har-local-writer".into())
            .spawn(move || writer_loop(writer, rx))
            .map_err(|e| StoreError::Corrupt(format!("cannot start the writer thread: {e}")))?;
        Ok(Store {
            tx: Mutex::new(Some(tx)),
            writer: Mutex::new(Some(handle)),
            checkpoint_stop: Mutex::new(checkpoint_stop),
            checkpointer: Mutex::new(checkpointer),
            readers: Arc::new(readers),
            next_reader: AtomicUsize::new(0),
        })
    }

    fn send(&self, job: Job) -> Result<(), StoreError> {
        let guard = self.tx.lock().map_err(|_| StoreError::Closed)?;
        guard
            .as_ref()
            .ok_or(StoreError::Closed)?
            .send(job)
            .map_err(|_| StoreError::Closed)
    }

    /// Runs `f` in the next write batch; answers after the batch is committed.
    pub(crate) async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        self.send(Job::Write(Box::new(TypedWrite {
            f: Some(f),
            result: None,
            tx,
        })))?;
        rx.await.map_err(|_| StoreError::Closed)?
    }

    /// Runs `f` on a read connection, off the async executor.
    pub(crate) async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        if self.readers.is_empty() {
            let (tx, rx) = oneshot::channel();
            self.send(Job::Read(Box::new(move |c| {
                let _ = tx.send(f(c));
            })))?;
            return rx.await.map_err(|_| StoreError::Closed)?;
        }
        let readers = Arc::clone(&self.readers);
        let i = self.next_reader.fetch_add(1, Ordering::Relaxed) % readers.len();
        tokio::task::spawn_blocking(move || {
            let conn = readers[i].lock().map_err(|_| StoreError::Closed)?;
            f(&conn)
        })
        .await
        .map_err(|_| StoreError::Closed)?
    }

    /// Stops the writer after the queued writes and closes every connection. Idempotent.
    pub(crate) fn shutdown(&self) {
        if let Ok(mut tx) = self.tx.lock() {
            tx.take();
        }
        let handle = self.writer.lock().ok().and_then(|mut h| h.take());
        if let Some(h) = handle {
            let _ = h.join();
        }
        if let Ok(mut stop) = self.checkpoint_stop.lock() {
            stop.take();
        }
        let handle = self.checkpointer.lock().ok().and_then(|mut h| h.take());
        if let Some(h) = handle {
            let _ = h.join();
        }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn open_reader(p: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(
        p,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    configure(&conn)?;
    Ok(conn)
}

/// Copies the WAL back into the database file every 200 ms, off the write path. PASSIVE never
/// blocks the writer or the readers; the writer restarts the WAL from its start once a
/// checkpoint has caught up, so it does not grow without bound.
fn checkpoint_loop(conn: Connection, stop: mpsc::Receiver<()>) {
    let checkpoint = |mode: &str| {
        let sql = match mode {
            "TRUNCATE" => "PRAGMA wal_checkpoint(TRUNCATE)",
            _ => "PRAGMA wal_checkpoint(PASSIVE)",
        };
        if let Err(e) = conn.query_row(sql, [], |_| Ok(())) {
            tracing::warn!(error = %e, "WAL checkpoint failed");
        }
    };
    while let Err(mpsc::RecvTimeoutError::Timeout) =
        stop.recv_timeout(std::time::Duration::from_millis(200))
    {
        checkpoint("PASSIVE");
    }
    checkpoint("TRUNCATE");
}

fn writer_loop(conn: Connection, rx: mpsc::Receiver<Job>) {
    while let Ok(first) = rx.recv() {
        let mut writes: Vec<Box<dyn WriteJob>> = Vec::new();
        let mut reads: Vec<ReadJob> = Vec::new();
        let mut push = |j: Job| match j {
            Job::Read(r) => reads.push(r),
            Job::Write(w) => writes.push(w),
        };
        push(first);
        for _ in 1..MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => push(j),
                Err(_) => break,
            }
        }
        if !writes.is_empty() {
            let commit = match conn.execute_batch("BEGIN IMMEDIATE") {
                Ok(()) => {
                    for w in writes.iter_mut() {
                        w.run(&conn);
                    }
                    conn.execute_batch("COMMIT").map_err(|e| {
                        let _ = conn.execute_batch("ROLLBACK");
                        e.to_string()
                    })
                }
                Err(e) => Err(e.to_string()),
            };
            for w in writes {
                w.finish(commit.clone());
            }
        }
        for r in reads {
            r(&conn);
        }
    }
    // Dropping the connection here closes it (and checkpoints the WAL).
    drop(conn);
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

// ---- operations (run inside `read` / `write`) ----

fn json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn row_to_registry(r: &rusqlite::Row<'_>) -> Result<StoredRegistry, StoreError> {
    let scope: String = r.get(2)?;
    let rtype: String = r.get(4)?;
    let cleanup: Option<String> = r.get(11)?;
    let upstream: Option<String> = r.get(12)?;
    let extras: Option<String> = r.get(15)?;
    Ok(StoredRegistry {
        id: r.get(0)?,
        uuid: r.get(1)?,
        scope: Scope::parse(&scope).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        identifier: r.get(3)?,
        registry_type: RegistryType::parse(&rtype)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        package_type: r.get(5)?,
        description: r.get(6)?,
        labels: json(&r.get::<_, String>(7)?)?,
        allowed_pattern: json(&r.get::<_, String>(8)?)?,
        blocked_pattern: json(&r.get::<_, String>(9)?)?,
        is_public: r.get(10)?,
        cleanup_policy: cleanup
            .as_deref()
            .map(json)
            .transpose()?
            .unwrap_or_default(),
        upstream: upstream.as_deref().map(json).transpose()?,
        upstream_proxies: Vec::new(),
        extras: extras.as_deref().map(json).transpose()?.unwrap_or_default(),
        created_at: r.get(13)?,
        modified_at: r.get(14)?,
    })
}

/// The registry named `identifier` anywhere in `account` (names are account-wide unique).
fn find_by_name(
    conn: &Connection,
    account: &str,
    identifier: &str,
) -> Result<Option<StoredRegistry>, StoreError> {
    let mut stmt = conn.prepare_cached(concat!(
        "SELECT ",
        registry_columns!(""),
        " FROM registries WHERE account = ?1 AND identifier = ?2"
    ))?;
    let mut rows = stmt.query(params![account, identifier])?;
    match rows.next()? {
        Some(r) => Ok(Some(row_to_registry(r)?)),
        None => Ok(None),
    }
}

fn load_links(conn: &Connection, id: i64) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.identifier FROM upstream_links l JOIN registries r ON r.id = l.target_id \
         WHERE l.registry_id = ?1 ORDER BY l.position",
    )?;
    let names = stmt
        .query_map([id], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(names)
}

/// The registry at exactly `reference` (a registry in another scope is not found, as in the
/// real service), with its upstream list.
pub(crate) fn get(
    conn: &Connection,
    reference: &RegistryRef,
) -> Result<StoredRegistry, StoreError> {
    match find_by_name(conn, &reference.scope.account, &reference.identifier)? {
        Some(mut reg) if reg.scope == reference.scope => {
            if reg.registry_type == RegistryType::Virtual {
                reg.upstream_proxies = load_links(conn, reg.id)?;
            }
            Ok(reg)
        }
        _ => Err(StoreError::NotFound(reference.to_string())),
    }
}

/// The registries of an account whose identifier contains `search` (ASCII case-insensitive;
/// every one if `None`), without upstream lists: the list endpoint filters by scope and
/// type, sorts and pages in memory. The search runs in SQL because the provider's plan-time
/// name checks search by name (provider/directory.rs), each account-wide: a term of three
/// characters or more goes through the trigram index (store/identifier_search.rs) and reads
/// only the rows that contain it; a shorter one tests every identifier of the account on the
/// (account, identifier) index. Both give the same rows.
pub(crate) fn list_account(
    conn: &Connection,
    account: &str,
    search: Option<&str>,
) -> Result<Vec<StoredRegistry>, StoreError> {
    let indexed = search.and_then(|term| Some((term, identifier_search::match_phrase(term)?)));
    if let Some((term, phrase)) = indexed {
        let mut stmt = conn.prepare_cached(identifier_search::SEARCH)?;
        return registries(stmt.query(params![account, term, phrase])?);
    }
    let mut stmt = conn.prepare_cached(concat!(
        "SELECT ",
        registry_columns!(""),
        " FROM registries WHERE account = ?1 AND (?2 IS NULL OR instr(lower(identifier), lower(?2)) > 0) \
         ORDER BY id"
    ))?;
    registries(stmt.query(params![account, search])?)
}

fn registries(mut rows: rusqlite::Rows<'_>) -> Result<Vec<StoredRegistry>, StoreError> {
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(row_to_registry(r)?);
    }
    Ok(out)
}

/// Resolves requested upstream names the way the real service does ([`check_link`] at the
/// API's level: same package type, same or ancestor scope); anything else is dropped without
/// a word. Order and
/// duplicates are kept.
fn resolve_upstreams(
    conn: &Connection,
    reg: &NewRegistry,
) -> Result<Vec<(i64, String)>, StoreError> {
    let mut out = Vec::new();
    for name in &reg.upstream_proxies {
        if let Some(t) = find_by_name(conn, &reg.scope.account, name)? {
            let target = LinkTarget {
                reference: RegistryRef::new(t.scope.clone(), t.identifier.clone()),
                registry_type: t.registry_type.as_str().to_string(),
                package_type: t.package_type.clone(),
            };
            if check_link(&target, &reg.package_type, &reg.scope, LinkLevel::Api).is_ok() {
                out.push((t.id, t.identifier));
            }
        }
    }
    Ok(out)
}

fn write_links(conn: &Connection, id: i64, targets: &[(i64, String)]) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM upstream_links WHERE registry_id = ?1")?
        .execute([id])?;
    let mut ins = conn.prepare_cached(
        "INSERT INTO upstream_links (registry_id, position, target_id) VALUES (?1, ?2, ?3)",
    )?;
    for (pos, (target, _)) in targets.iter().enumerate() {
        ins.execute(params![id, pos as i64, target])?;
    }
    Ok(())
}

/// True if `start` reaches `id` by following upstream links.
fn reaches(conn: &Connection, start: i64, id: i64) -> Result<bool, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT target_id FROM upstream_links WHERE registry_id = ?1")?;
    let mut seen = std::collections::HashSet::new();
    let mut todo = vec![start];
    while let Some(n) = todo.pop() {
        if n == id {
            return Ok(true);
        }
        if !seen.insert(n) {
            continue;
        }
        let next = stmt
            .query_map([n], |r| r.get::<_, i64>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        todo.extend(next);
    }
    Ok(false)
}

pub(crate) fn create(conn: &Connection, reg: NewRegistry) -> Result<StoredRegistry, StoreError> {
    let account = reg.scope.account.clone();
    if let Some(existing) = find_by_name(conn, &account, &reg.identifier)? {
        return Err(StoreError::Duplicate {
            identifier: reg.identifier,
            scope: existing.scope.to_string(),
        });
    }
    let now = now_ms();
    let uuid = uuid::Uuid::new_v4().to_string();
    let upstream = reg.upstream.as_ref().map(to_json).transpose()?;
    conn.prepare_cached(
        "INSERT INTO registries (uuid, account, scope, identifier, registry_type, package_type, \
         description, labels, allowed_pattern, blocked_pattern, is_public, cleanup_policy, \
         upstream_config, created_at, modified_at, extras) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, NULL, ?12, ?13, ?13, ?14)",
    )?
    .execute(params![
        uuid,
        account,
        reg.scope.to_string(),
        reg.identifier,
        reg.registry_type.as_str(),
        reg.package_type,
        reg.description,
        to_json(&reg.labels)?,
        to_json(&reg.allowed_pattern)?,
        to_json(&reg.blocked_pattern)?,
        reg.is_public,
        upstream,
        now,
        to_json(&reg.extras)?,
    ])?;
    let id = conn.last_insert_rowid();
    if reg.registry_type == RegistryType::Virtual {
        // A new registry cannot be listed by anyone yet, so no cycle is possible here.
        let targets = resolve_upstreams(conn, &reg)?;
        write_links(conn, id, &targets)?;
    }
    get(conn, &RegistryRef::new(reg.scope, reg.identifier))
}

/// PUT: replaces everything but the identity (identifier, package type, registry type and
/// scope are immutable) and `createdAt`.
pub(crate) fn update(
    conn: &Connection,
    reference: &RegistryRef,
    reg: NewRegistry,
) -> Result<StoredRegistry, StoreError> {
    let current = get(conn, reference)?;
    if reg.identifier != current.identifier {
        return Err(StoreError::Immutable(
            "registry identifier change is not allowed",
        ));
    }
    if reg.package_type != current.package_type {
        return Err(StoreError::Immutable("package type change is not allowed"));
    }
    if reg.registry_type != current.registry_type {
        return Err(StoreError::Immutable("registry type change is not allowed"));
    }
    let targets = if reg.registry_type == RegistryType::Virtual {
        let targets = resolve_upstreams(conn, &reg)?;
        for (t, _) in &targets {
            if reaches(conn, *t, current.id)? {
                return Err(StoreError::Cycle(current.identifier));
            }
        }
        targets
    } else {
        Vec::new()
    };
    let cleanup = if reg.cleanup_policy.is_empty() {
        None
    } else {
        Some(to_json(&reg.cleanup_policy)?)
    };
    let upstream = reg.upstream.as_ref().map(to_json).transpose()?;
    conn.prepare_cached(
        "UPDATE registries SET description = ?2, labels = ?3, allowed_pattern = ?4, \
         blocked_pattern = ?5, is_public = ?6, cleanup_policy = ?7, upstream_config = ?8, \
         modified_at = max(?9, created_at), extras = ?10 WHERE id = ?1",
    )?
    .execute(params![
        current.id,
        reg.description,
        to_json(&reg.labels)?,
        to_json(&reg.allowed_pattern)?,
        to_json(&reg.blocked_pattern)?,
        reg.is_public,
        cleanup,
        upstream,
        now_ms(),
        to_json(&reg.extras)?,
    ])?;
    if reg.registry_type == RegistryType::Virtual {
        write_links(conn, current.id, &targets)?;
    }
    get(conn, reference)
}

/// DELETE: refused while another registry lists this one.
pub(crate) fn delete(conn: &Connection, reference: &RegistryRef) -> Result<(), StoreError> {
    let current = get(conn, reference)?;
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT r.identifier, r.scope FROM upstream_links l \
         JOIN registries r ON r.id = l.registry_id WHERE l.target_id = ?1 ORDER BY r.identifier",
    )?;
    let users = stmt
        .query_map([current.id], |r| {
            Ok(format!(
                "{} ({})",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    if !users.is_empty() {
        return Err(StoreError::InUse {
            identifier: current.identifier,
            users,
        });
    }
    conn.prepare_cached("DELETE FROM registries WHERE id = ?1")?
        .execute([current.id])?;
    Ok(())
}

// ---- v3 metadata ----

/// The row id of the registry with `uuid` in `account`.
fn registry_id_by_uuid(conn: &Connection, account: &str, uuid: &str) -> Result<i64, StoreError> {
    conn.prepare_cached("SELECT id FROM registries WHERE account = ?1 AND uuid = ?2")?
        .query_row(params![account, uuid], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(uuid.to_string()))
}

fn load_metadata(conn: &Connection, registry_id: i64) -> Result<Vec<MetadataEntry>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, key, value, entry_type FROM registry_metadata WHERE registry_id = ?1 ORDER BY key",
    )?;
    let rows = stmt
        .query_map([registry_id], |r| {
            Ok(MetadataEntry {
                id: Some(r.get::<_, i64>(0)?.to_string()),
                key: r.get(1)?,
                value: r.get(2)?,
                entry_type: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The entries of the registry with `uuid`, ordered by key.
pub fn get_metadata(
    conn: &Connection,
    account: &str,
    uuid: &str,
) -> Result<Vec<MetadataEntry>, StoreError> {
    let id = registry_id_by_uuid(conn, account, uuid)?;
    load_metadata(conn, id)
}

/// How a write treats the entries it does not name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetadataWrite {
    /// PUT: `MANUAL` entries it omits are deleted; `AUTO` entries it omits are kept (the API
    /// does not say; keeping them is what a PUT that carries them back expects either way).
    Replace,
    /// POST: adds or changes the named entries, leaves the others.
    Upsert,
}

/// Writes `items`. An item equal to an `AUTO` entry (same key and value) leaves it `AUTO`;
/// an item that changes one makes it `MANUAL`. On POST an item may say `"type":"AUTO"`
/// (har-local's stand-in for the system setting an entry).
pub fn write_metadata(
    conn: &Connection,
    account: &str,
    uuid: &str,
    items: Vec<MetadataItem>,
    mode: MetadataWrite,
) -> Result<Vec<MetadataEntry>, StoreError> {
    let id = registry_id_by_uuid(conn, account, uuid)?;
    let current = load_metadata(conn, id)?;
    if mode == MetadataWrite::Replace {
        let named: std::collections::HashSet<&str> = items.iter().map(|i| i.key.as_str()).collect();
        let mut del = conn
            .prepare_cached("DELETE FROM registry_metadata WHERE registry_id = ?1 AND key = ?2")?;
        for e in current
            .iter()
            .filter(|e| !e.is_auto() && !named.contains(e.key.as_str()))
        {
            del.execute(params![id, e.key])?;
        }
    }
    let mut upsert = conn.prepare_cached(
        "INSERT INTO registry_metadata (registry_id, key, value, entry_type) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (registry_id, key) DO UPDATE SET value = excluded.value, entry_type = excluded.entry_type",
    )?;
    for item in items {
        let unchanged_auto = current
            .iter()
            .any(|e| e.key == item.key && e.is_auto() && e.value == item.value);
        let asks_auto = mode == MetadataWrite::Upsert
            && item
                .entry_type
                .as_deref()
                .is_some_and(|t| t.eq_ignore_ascii_case("AUTO"));
        let entry_type = if unchanged_auto || asks_auto {
            "AUTO"
        } else {
            "MANUAL"
        };
        upsert.execute(params![id, item.key, item.value, entry_type])?;
    }
    load_metadata(conn, id)
}
