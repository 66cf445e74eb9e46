//! har-local: an offline, HAR-compatible registry API server with SQLite inside.
//!
//! Prints exactly one stdout line, `har-local listening on http://ADDR`, once it accepts
//! connections (scripts wait for it); everything else goes to stderr. The API key never
//! appears in a log line (only once, on stderr, when har-local generated it).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use terraform_provider_har::local::{self, Config, DbLocation};

#[derive(Parser, Debug)]
#[command(
    name = "har-local",
    version,
    about = "An offline, HAR-compatible registry API server with SQLite inside",
    long_about = "An offline, HAR-compatible registry API server with SQLite inside.\n\n\
        Serves the Harness Artifact Registry registry API under /api/v1 and /gateway/har/api/v1, \
        so a provider configured with endpoint = \"http://ADDR/gateway\" works unchanged."
)]
struct Args {
    /// Address to listen on; port 0 picks a free port. Binds loopback unless told otherwise.
    #[arg(long, default_value = "127.0.0.1:8787", value_parser = local::parse_listen)]
    listen: std::net::SocketAddr,
    /// SQLite database file (created if missing), or `:memory:` for a throwaway database.
    #[arg(long, default_value = "har-local.db")]
    db: String,
    /// `normal`: synced at checkpoints (every acknowledged write survives kill -9, not an OS
    /// crash or power cut); `full`: every commit is fsynced (survives both), slower on slow disks.
    #[arg(long, default_value = "normal", value_parser = ["full", "normal"])]
    durability: String,
    /// API key clients must send as `x-api-key`; generated (and printed on stderr) if absent.
    /// No commas or whitespace (a comma separates repeated header values).
    #[arg(long, env = "HAR_LOCAL_API_KEY", hide_env_values = true, value_parser = api_key)]
    api_key: Option<String>,
    /// How long a client may take to send the request headers (e.g. 10, 10s, 500ms; at most 30s).
    #[arg(long, default_value = "10s", value_parser = local::limits::parse_timeout)]
    header_timeout: std::time::Duration,
    /// How long a client may take to send the request body after the headers (at most 30s).
    #[arg(long, default_value = "30s", value_parser = local::limits::parse_timeout)]
    body_timeout: std::time::Duration,
    /// How long a connection may stay open with no request in progress (at most 30s).
    #[arg(long, default_value = "30s", value_parser = local::limits::parse_timeout)]
    idle_timeout: std::time::Duration,
    /// Open connections at most; at the cap the oldest connection not running a request is
    /// closed. Keep it well below the open-file limit (ulimit -n).
    #[arg(long, default_value_t = 512, value_parser = local::limits::parse_max_connections)]
    max_connections: usize,
    /// The account served; scopes `ACCOUNT[/org[/project]]` exist on first use.
    #[arg(long, default_value = "default")]
    account: String,
    /// Base of virtual registries' pull URLs (`<base>/<account>/<identifier>`).
    #[arg(long, default_value = local::DEFAULT_PKG_BASE_URL)]
    pkg_base_url: String,
    /// Simulated distance to the API: every answer takes this many milliseconds longer (half
    /// before the request is handled, half after), as if the server were far away. Calls are
    /// counted either way: `GET /_har-local/stats` answers the counts by route, `DELETE` on it
    /// answers them and starts again from zero.
    #[arg(long, default_value = "0", value_parser = local::latency::parse_millis)]
    latency_ms: std::time::Duration,
    /// Adds a random 0..N ms, drawn per request, to `--latency-ms`.
    #[arg(long, default_value = "0", value_parser = local::latency::parse_millis)]
    latency_jitter_ms: std::time::Duration,
    /// Fault injection (for tests of clients): the share of requests, 0..1, that fail with a
    /// random choice of 429 (with Retry-After), 500, 502, 503, a dropped connection or a
    /// delayed answer, injected before the request takes effect or after it (answer lost).
    /// Given at all (even 0), requests are counted: `GET /_har-local/faults` answers the
    /// counts (requests, writes, faults by kind and phase).
    #[arg(long, value_parser = fault_rate)]
    fault_rate: Option<f64>,
    /// Seed of the fault sequence: the same seed gives the same faults for the same
    /// sequence of requests.
    #[arg(long, default_value_t = 0)]
    fault_seed: u64,
    /// How long a delay fault holds the answer back (make it longer than the client's
    /// request timeout).
    #[arg(long, default_value_t = 35_000)]
    fault_delay_ms: u64,
    /// The Retry-After (seconds) of an injected 429.
    #[arg(long, default_value_t = 1)]
    fault_retry_after: u64,
    /// Fault only writes (POST, PUT, DELETE); reads always pass.
    #[arg(long)]
    fault_writes_only: bool,
    /// Inject faults only before the request takes effect, or only after (answer lost).
    #[arg(long, value_parser = ["before", "after"])]
    fault_phase: Option<String>,
}

/// Empty means "generate one", as when the flag is absent.
fn api_key(s: &str) -> Result<String, String> {
    if s.is_empty() {
        return Ok(String::new());
    }
    local::check_api_key(s).map(|()| s.to_string())
}

fn fault_rate(s: &str) -> Result<f64, String> {
    s.parse::<f64>()
        .ok()
        .filter(|r| (0.0..=1.0).contains(r))
        .ok_or_else(|| format!("--fault-rate takes a number from 0 to 1, got {s:?}"))
}

fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("har-local: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("har-local: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let api_key = match args.api_key.filter(|k| !k.is_empty()) {
        Some(k) => k,
        None => {
            let k = uuid::Uuid::new_v4().simple().to_string();
            eprintln!("har-local: generated API key (send it as x-api-key): {k}");
            k
        }
    };
    let db = if args.db == ":memory:" {
        DbLocation::Memory
    } else {
        DbLocation::File(PathBuf::from(&args.db))
    };
    let durability = if args.durability == "full" {
        local::Durability::Full
    } else {
        local::Durability::Normal
    };
    let config = Config {
        db,
        durability,
        api_key,
        account: args.account,
        pkg_base_url: args.pkg_base_url,
        latency: local::Latency {
            base: args.latency_ms,
            jitter: args.latency_jitter_ms,
        },
    };
    let limits = local::Limits {
        header_timeout: args.header_timeout,
        body_timeout: args.body_timeout,
        idle_timeout: args.idle_timeout,
        max_connections: args.max_connections,
    };
    let state =
        local::open(&config).map_err(|e| format!("cannot open database {}: {e}", args.db))?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the bound address: {e}"))?;
    tracing::info!(%addr, db = %args.db, account = %config.account, "har-local started");
    if !config.latency.is_zero() {
        tracing::warn!(latency = ?config.latency.base, jitter = ?config.latency.jitter, "simulated latency on");
    }
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "har-local listening on http://{addr}")
            .and_then(|()| out.flush())
            .map_err(|e| format!("cannot write to stdout: {e}"))?;
    }
    if let Some(rate) = args.fault_rate {
        let faults = local::faults::Faults::new(local::faults::FaultConfig {
            rate,
            seed: args.fault_seed,
            delay: std::time::Duration::from_millis(args.fault_delay_ms),
            retry_after_secs: args.fault_retry_after,
            writes_only: args.fault_writes_only,
            phase: match args.fault_phase.as_deref() {
                Some("before") => Some(local::faults::Phase::Before),
                Some("after") => Some(local::faults::Phase::After),
                _ => None,
            },
        });
        tracing::warn!(rate, seed = args.fault_seed, "fault injection on");
        let app = faults.wrap(local::router(state.clone()));
        let result = local::serve_app(listener, app, &state, limits, shutdown_signal()).await;
        // Plain stderr, whatever RUST_LOG says: tests and users read the figures here.
        eprintln!("har-local: faults injected: {}", faults.counts());
        result.map_err(|e| format!("server error: {e}"))?;
    } else {
        local::serve(listener, state, limits, shutdown_signal())
            .await
            .map_err(|e| format!("server error: {e}"))?;
    }
    tracing::info!("har-local stopped");
    Ok(())
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    tracing::info!("shutting down");
}
