//! Test support: the real `har-local` binary on a free loopback port with a temporary SQLite
//! file, and a tiny blocking HTTP/1.1 client (keep-alive) to talk to it.
//!
//! ```ignore
//! let server = HarLocal::start();                 // account "acct", key "test-key"
//! let mut c = server.client();
//! let r = c.post("/api/v1/registry", &json!({...}));
//! assert_eq!(r.status, 201, "{}", r.text());
//! server.kill9();                                 // SIGKILL, no goodbye
//! let server = server.restart();                  // same database file, new port
//! ```
//!
//! The process is killed when the `HarLocal` is dropped; the temp dir goes with it (unless the
//! database path was given by the caller).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const ACCOUNT: &str = "acct";
pub const API_KEY: &str = "test-key";

/// How to start har-local.
#[derive(Debug, Clone)]
pub struct Options {
    pub account: String,
    pub api_key: String,
    /// `None`: a fresh file in a temp dir owned by the `HarLocal`.
    pub db: Option<PathBuf>,
    pub extra_args: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            account: ACCOUNT.into(),
            api_key: API_KEY.into(),
            db: None,
            extra_args: Vec::new(),
        }
    }
}

pub struct HarLocal {
    child: Option<Child>,
    addr: SocketAddr,
    options: Options,
    db: PathBuf,
    stderr_path: PathBuf,
    // Keeps the temp dir (database, stderr log) alive as long as the server.
    dir: Option<tempfile::TempDir>,
}

impl HarLocal {
    /// A fresh server: account `acct`, API key `test-key`, empty temp database.
    pub fn start() -> HarLocal {
        Self::start_with(Options::default())
    }

    pub fn start_with(options: Options) -> HarLocal {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = options
            .db
            .clone()
            .unwrap_or_else(|| dir.path().join("har-local.db"));
        Self::spawn(options, db, dir)
    }

    fn spawn(options: Options, db: PathBuf, dir: tempfile::TempDir) -> HarLocal {
        let stderr_path = dir.path().join(format!("stderr-{}.log", unique()));
        let stderr = std::fs::File::create(&stderr_path).expect("stderr log");
        let mut child = Command::new(env!("CARGO_BIN_EXE_har-local"))
            .args(["--listen", "127.0.0.1:0", "--db"])
            .arg(&db)
            .args(["--api-key", &options.api_key, "--account", &options.account])
            .args(&options.extra_args)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(stderr))
            .spawn()
            .expect("start har-local");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        // Blocks until har-local prints its one line, or exits (EOF).
        let n = BufReader::new(stdout).read_line(&mut line).unwrap_or(0);
        let addr = line
            .trim()
            .strip_prefix("har-local listening on http://")
            .and_then(|a| a.parse().ok());
        let Some(addr) = addr.filter(|_| n > 0) else {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "har-local did not start (stdout {line:?}); stderr:\n{}",
                std::fs::read_to_string(&stderr_path).unwrap_or_default()
            );
        };
        HarLocal {
            child: Some(child),
            addr,
            options,
            db,
            stderr_path,
            dir: Some(dir),
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The provider's `endpoint` for this server: `http://127.0.0.1:PORT/gateway`.
    pub fn endpoint(&self) -> String {
        format!("http://{}/gateway", self.addr)
    }

    pub fn api_key(&self) -> &str {
        &self.options.api_key
    }

    pub fn account(&self) -> &str {
        &self.options.account
    }

    pub fn db_path(&self) -> &Path {
        &self.db
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// What har-local wrote on stderr so far (for failure messages).
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }

    /// A client sending the right API key.
    pub fn client(&self) -> Client {
        Client::new(self.addr, Some(self.options.api_key.clone()))
    }

    /// A client sending no API key at all.
    pub fn client_without_key(&self) -> Client {
        Client::new(self.addr, None)
    }

    /// SIGKILL: the process gets no chance to flush or close anything.
    /// The calls har-local answered so far, by route (`GET /_har-local/stats`).
    pub fn stats(&self) -> Stats {
        Stats::from_json(&self.client_without_key().get("/_har-local/stats").json())
    }

    /// Like [`stats`](Self::stats), and starts counting again from zero.
    pub fn take_stats(&self) -> Stats {
        Stats::from_json(&self.client_without_key().delete("/_har-local/stats").json())
    }

    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// SIGTERM and wait for a clean exit; returns the exit status success.
    pub fn terminate(&mut self) -> bool {
        let Some(mut c) = self.child.take() else {
            return false;
        };
        let sent = Command::new("kill")
            .args(["-TERM", &c.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        if !sent {
            let _ = c.kill();
        }
        c.wait().is_ok_and(|s| s.success())
    }

    /// Stops this server (SIGKILL if still running) and starts a new one on the same database
    /// file, with the same account and key; the port changes.
    pub fn restart(mut self) -> HarLocal {
        self.kill9();
        let dir = self.dir.take().expect("temp dir");
        let options = self.options.clone();
        let db = self.db.clone();
        Self::spawn(options, db, dir)
    }
}

impl Drop for HarLocal {
    fn drop(&mut self) {
        self.kill9();
    }
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// Calls counted by har-local: `total`, and per `"<METHOD> <route>"` (e.g.
/// `"GET /registry/{ref}"`, `"GET /spaces/{scope}/registries"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub total: u64,
    pub calls: std::collections::BTreeMap<String, u64>,
}

impl Stats {
    fn from_json(v: &serde_json::Value) -> Stats {
        let calls = v["calls"]
            .as_object()
            .unwrap_or_else(|| panic!("stats answer without calls: {v}"))
            .iter()
            .map(|(k, n)| (k.clone(), n.as_u64().expect("count")))
            .collect();
        Stats {
            total: v["total"].as_u64().expect("total"),
            calls,
        }
    }

    /// The calls of one route, e.g. `count("POST /registry")`; 0 if none.
    pub fn count(&self, route: &str) -> u64 {
        self.calls.get(route).copied().unwrap_or(0)
    }
}

/// An HTTP answer.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON; panics with the body if it is not JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.text()))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `data` of a success envelope.
    pub fn data(&self) -> serde_json::Value {
        self.json()["data"].clone()
    }

    /// `message` of an error body.
    pub fn message(&self) -> String {
        self.json()["message"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

/// A minimal blocking HTTP/1.1 client with keep-alive; one per thread.
pub struct Client {
    addr: SocketAddr,
    api_key: Option<String>,
    conn: Option<BufReader<TcpStream>>,
}

impl Client {
    pub fn new(addr: SocketAddr, api_key: Option<String>) -> Client {
        Client {
            addr,
            api_key,
            conn: None,
        }
    }

    pub fn get(&mut self, path: &str) -> Response {
        self.send("GET", path, &[], None)
    }

    pub fn delete(&mut self, path: &str) -> Response {
        self.send("DELETE", path, &[], None)
    }

    pub fn post(&mut self, path: &str, body: &serde_json::Value) -> Response {
        self.send("POST", path, &[], Some(body.to_string().as_bytes()))
    }

    pub fn put(&mut self, path: &str, body: &serde_json::Value) -> Response {
        self.send("PUT", path, &[], Some(body.to_string().as_bytes()))
    }

    /// Any request; `extra_headers` are sent as given (after the API key, if any). Panics on a
    /// transport error (use [`Client::try_send`] to see it).
    pub fn send(
        &mut self,
        method: &str,
        path: &str,
        extra_headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Response {
        self.try_send(method, path, extra_headers, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    pub fn try_send(
        &mut self,
        method: &str,
        path: &str,
        extra_headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> std::io::Result<Response> {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.addr);
        if let Some(k) = &self.api_key {
            head.push_str(&format!("x-api-key: {k}\r\n"));
        }
        for (k, v) in extra_headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if let Some(b) = body {
            head.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                b.len()
            ));
        }
        head.push_str("\r\n");
        let reused = self.conn.is_some();
        match self.round_trip(head.as_bytes(), body) {
            Ok(r) => Ok(r),
            // A kept-alive connection the server closed meanwhile: nothing was answered, so
            // sending again on a new connection is safe.
            Err(Failure::BeforeResponse(_)) if reused => {
                self.conn = None;
                self.round_trip(head.as_bytes(), body)
                    .map_err(Failure::into_io)
            }
            Err(f) => Err(f.into_io()),
        }
    }

    fn round_trip(&mut self, head: &[u8], body: Option<&[u8]>) -> Result<Response, Failure> {
        if self.conn.is_none() {
            let s = TcpStream::connect(self.addr).map_err(Failure::BeforeResponse)?;
            s.set_nodelay(true).map_err(Failure::BeforeResponse)?;
            s.set_read_timeout(Some(Duration::from_secs(60)))
                .map_err(Failure::BeforeResponse)?;
            self.conn = Some(BufReader::new(s));
        }
        let conn = self.conn.as_mut().expect("connection");
        let mut req = head.to_vec();
        if let Some(b) = body {
            req.extend_from_slice(b);
        }
        if let Err(e) = conn.get_mut().write_all(&req) {
            self.conn = None;
            return Err(Failure::BeforeResponse(e));
        }
        let result = read_response(conn);
        match &result {
            Ok(r)
                if r.header("connection")
                    .is_some_and(|v| v.eq_ignore_ascii_case("close")) =>
            {
                self.conn = None
            }
            Ok(_) => {}
            Err(_) => self.conn = None,
        }
        result
    }
}

enum Failure {
    BeforeResponse(std::io::Error),
    During(std::io::Error),
}

impl Failure {
    fn into_io(self) -> std::io::Error {
        match self {
            Failure::BeforeResponse(e) | Failure::During(e) => e,
        }
    }
}

fn bad(msg: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, msg.to_string())
}

fn read_response(conn: &mut BufReader<TcpStream>) -> Result<Response, Failure> {
    let mut line = String::new();
    match conn.read_line(&mut line) {
        Ok(0) => {
            return Err(Failure::BeforeResponse(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "connection closed before a response",
            )));
        }
        Ok(_) => {}
        Err(e) => return Err(Failure::BeforeResponse(e)),
    }
    let during = Failure::During;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| during(bad("bad status line")))?;
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        conn.read_line(&mut h).map_err(during)?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let find = |name: &str| {
        headers
            .iter()
            .find(|(k, _): &&(String, String)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let mut body = Vec::new();
    if let Some(len) = find("content-length") {
        let len: usize = len.parse().map_err(|_| during(bad("bad content-length")))?;
        body.resize(len, 0);
        conn.read_exact(&mut body).map_err(during)?;
    } else if find("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        loop {
            let mut size = String::new();
            conn.read_line(&mut size).map_err(during)?;
            let size = usize::from_str_radix(size.trim(), 16)
                .map_err(|_| during(bad("bad chunk size")))?;
            let mut chunk = vec![0; size + 2];
            conn.read_exact(&mut chunk).map_err(during)?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    }
    Ok(Response {
        status,
        headers,
        body,
    })
}

/// JSON bodies for the common cases.
pub mod bodies {
    use serde_json::{Value, json};

    /// A VIRTUAL registry in `scope` listing `upstreams`.
    pub fn virtual_registry(
        scope: &str,
        id: &str,
        package_type: &str,
        upstreams: &[&str],
    ) -> Value {
        json!({
            "identifier": id,
            "packageType": package_type,
            "parentRef": scope,
            "config": {"type": "VIRTUAL", "upstreamProxies": upstreams}
        })
    }

    /// An anonymous UPSTREAM with its package type's public default source (Custom + URL when
    /// there is none).
    pub fn upstream(scope: &str, id: &str, package_type: &str) -> Value {
        let (source, url) = match package_type {
            "DOCKER" => ("Dockerhub", ""),
            "MAVEN" => ("MavenCentral", ""),
            "NPM" => ("NpmJs", ""),
            "PYTHON" => ("PyPi", ""),
            _ => ("Custom", "https://upstream.example.com"),
        };
        json!({
            "identifier": id,
            "packageType": package_type,
            "parentRef": scope,
            "config": {"type": "UPSTREAM", "source": source, "url": url, "authType": "Anonymous"}
        })
    }
}
