//! Serving the provider the way go-plugin expects: the handshake, AutoMTLS, the helper
//! services, health, and the `--debug` reattach mode. Knows the protocol, not HAR.

pub mod handshake;
mod incoming;
pub(crate) mod logging;
pub(crate) mod services;
pub(crate) mod tls;

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tonic::transport::Server;

use crate::framework::Provider;
use crate::framework::server::FrameworkServer;
use crate::protocol::proto::plugin as pb;
use crate::protocol::proto::tfplugin6::provider_server::ProviderServer;
use handshake::PluginEnv;
pub use services::ShutdownSignal;
pub use tls::{PluginTls, server_tls};

/// 256 MiB, as terraform-plugin-go: large states must not hit tonic's 4 MiB default.
const MAX_MESSAGE_SIZE: usize = 256 << 20;

/// Serve every service on `listener` until `shutdown` is triggered (by the caller or by
/// GRPCController/Shutdown). Used by the plugin, by `--debug`, and by in-process tests.
/// With `tls`, only a client presenting the pinned certificate is served (see [`tls`]).
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    provider: Arc<dyn Provider>,
    tls: Option<Arc<PluginTls>>,
    shutdown: ShutdownSignal,
) -> Result<(), tonic::transport::Error> {
    let (health, health_service) = tonic_health::server::health_reporter();
    // go-plugin's health check asks for the service named "plugin".
    health
        .set_service_status("plugin", tonic_health::ServingStatus::Serving)
        .await;

    // TLS is terminated by us (incoming.rs): tonic's ServerTlsConfig has no hook for a
    // client check that pins one certificate.
    let router = Server::builder()
        .add_service(
            ProviderServer::new(FrameworkServer::new(provider))
                .max_decoding_message_size(MAX_MESSAGE_SIZE)
                .max_encoding_message_size(MAX_MESSAGE_SIZE),
        )
        .add_service(pb::grpc_controller_server::GrpcControllerServer::new(
            services::Controller {
                shutdown: shutdown.clone(),
            },
        ))
        .add_service(pb::grpc_stdio_server::GrpcStdioServer::new(
            services::Stdio {
                shutdown: shutdown.clone(),
            },
        ))
        .add_service(pb::grpc_broker_server::GrpcBrokerServer::new(
            services::Broker {
                shutdown: shutdown.clone(),
            },
        ))
        .add_service(health_service);
    let signal = shutdown.clone();
    let stop = async move { signal.wait().await };
    match tls {
        Some(tls) => {
            let conns = incoming::tls(listener, tls.acceptor.clone(), Arc::clone(&tls.refused));
            router.serve_with_incoming_shutdown(conns, stop).await
        }
        None => {
            router
                .serve_with_incoming_shutdown(incoming::plain(listener), stop)
                .await
        }
    }
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}

/// Run as a plugin started by Terraform: check the environment, bind, print the handshake
/// line, serve until Shutdown.
pub fn run_plugin(provider: Arc<dyn Provider>) -> ExitCode {
    let env = match PluginEnv::from_env(|k| std::env::var(k).ok()) {
        Ok(env) => env,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    logging::init();
    match run_plugin_env(provider, env) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("terraform-provider-har: {e}");
            ExitCode::from(1)
        }
    }
}

fn run_plugin_env(provider: Arc<dyn Provider>, env: PluginEnv) -> Result<(), String> {
    let listener = handshake::bind(&env).map_err(|e| e.to_string())?;
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let tls = match &env.client_cert {
        Some(pem) => Some(tls::server_tls(pem).map_err(|e| e.to_string())?),
        None => {
            // go-plugin's client sets no PLUGIN_CLIENT_CERT only when TLS is off on its side
            // (TF_DISABLE_PLUGIN_TLS): it then speaks plaintext, and so must we.
            tracing::warn!(
                "PLUGIN_CLIENT_CERT is not set (TF_DISABLE_PLUGIN_TLS?): serving without TLS \
                 and without client authentication; any local process can call this provider"
            );
            None
        }
    };
    let line = handshake::handshake_line(addr, tls.as_ref().map(|c| c.der.as_slice()));
    // The socket is bound and listening, so Terraform's connection waits in the kernel's
    // backlog: the line can go out before the runtime exists (start-up time matters,
    // Terraform starts the provider for every command).
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{line}").map_err(|e| e.to_string())?;
        out.flush().map_err(|e| e.to_string())?;
    }
    let rt = runtime().map_err(|e| e.to_string())?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| e.to_string())?;
        // Ctrl-C reaches the whole process group, this plugin included. Terraform handles
        // it (StopProvider, waits for running operations, saves state, then Shutdown); dying
        // here would lose the answer of a create in flight and leave an object Terraform
        // never records. go-plugin plugins ignore SIGINT for the same reason.
        tokio::spawn(async {
            while tokio::signal::ctrl_c().await.is_ok() {
                tracing::debug!("interrupt received: left to Terraform to stop the provider");
            }
        });
        let shutdown = ShutdownSignal::new();
        let fallback = shutdown.clone();
        // If a stream refuses to end, do not hang: go-plugin kills us after ~2 s anyway.
        tokio::spawn(async move {
            fallback.wait().await;
            tokio::time::sleep(Duration::from_millis(1500)).await;
            std::process::exit(0);
        });
        // A Terraform that dies without Close (a crash, kill -9) must not leave us running:
        // the orphan would keep Terraform's inherited stdout/stderr open, so whatever ran
        // terraform waits forever (seen with Terraform 1.0.3's crash on null nested
        // attributes). Being re-parented means the parent is gone.
        #[cfg(unix)]
        {
            let parent = std::os::unix::process::parent_id();
            let orphaned = shutdown.clone();
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    if std::os::unix::process::parent_id() != parent {
                        tracing::debug!("terraform went away without closing the plugin");
                        orphaned.trigger();
                        break;
                    }
                }
            });
        }
        serve_on(listener, provider, tls.map(Arc::new), shutdown)
            .await
            .map_err(|e| e.to_string())
    })?;
    tracing::debug!("plugin stopped");
    Ok(())
}

/// `--debug`: serve plaintext on 127.0.0.1 without the handshake, print the
/// TF_REATTACH_PROVIDERS line, and serve until interrupted.
pub fn run_debug(provider: Arc<dyn Provider>, provider_address: &str) -> ExitCode {
    logging::init();
    let result: Result<(), String> = (|| {
        let rt = runtime().map_err(|e| e.to_string())?;
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
                .await
                .map_err(|e| e.to_string())?;
            let addr = listener.local_addr().map_err(|e| e.to_string())?;
            let json = handshake::reattach_json(provider_address, addr);
            // TF_REATTACH_PROVIDERS carries no certificate, so Terraform can only attach in
            // plaintext: debug mode is for a developer's own machine.
            eprintln!(
                "Provider started in debug mode on {addr}: plaintext, no client \
                 authentication; any local process can call it. Use it on your own machine \
                 only.\n\nTo attach Terraform, run in your shell:\n"
            );
            {
                let mut out = std::io::stdout().lock();
                writeln!(out, "TF_REATTACH_PROVIDERS='{json}'").map_err(|e| e.to_string())?;
                out.flush().map_err(|e| e.to_string())?;
            }
            let shutdown = ShutdownSignal::new();
            let on_ctrl_c = shutdown.clone();
            tokio::spawn(async move {
                let _ = tokio::signal::ctrl_c().await;
                on_ctrl_c.trigger();
            });
            serve_on(listener, provider, None, shutdown)
                .await
                .map_err(|e| e.to_string())
        })
    })();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("terraform-provider-har: {e}");
            ExitCode::from(1)
        }
    }
}
