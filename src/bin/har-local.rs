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
    /// `full`: every acknowledged write is fsynced (survives kill -9 and power loss);
    /// `normal`: synced at checkpoints only (survives kill -9, not an OS crash), faster.
    #[arg(long, default_value = "full", value_parser = ["full", "normal"])]
    durability: String,
    /// API key clients must send as `x-api-key`; generated (and printed on stderr) if absent.
    #[arg(long, env = "HAR_LOCAL_API_KEY", hide_env_values = true)]
    api_key: Option<String>,
    /// The account served; scopes `ACCOUNT[/org[/project]]` exist on first use.
    #[arg(long, default_value = "default")]
    account: String,
    /// Base of virtual registries' pull URLs (`<base>/<account>/<identifier>`).
    #[arg(long, default_value = local::DEFAULT_PKG_BASE_URL)]
    pkg_base_url: String,
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
    let durability = if args.durability == "normal" {
        local::Durability::Normal
    } else {
        local::Durability::Full
    };
    let config = Config {
        db,
        durability,
        api_key,
        account: args.account,
        pkg_base_url: args.pkg_base_url,
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
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "har-local listening on http://{addr}")
            .and_then(|()| out.flush())
            .map_err(|e| format!("cannot write to stdout: {e}"))?;
    }
    local::serve(listener, state, shutdown_signal())
        .await
        .map_err(|e| format!("server error: {e}"))?;
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
