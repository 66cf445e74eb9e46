//! The connections tonic serves: accepted on our own listener (TCP_NODELAY set), and with
//! AutoMTLS, only those that completed the TLS handshake with the pinned client
//! certificate. A refused client never reaches tonic, so no RPC of it runs.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::{Stream, StreamExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;
use tokio_stream::wrappers::{ReceiverStream, TcpListenerStream};

/// A client that has not finished its TLS handshake by then is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

// tonic's own TCP_NODELAY applies only to listeners it binds itself; ours must set it on
// every accepted socket, or Nagle + delayed ACKs slow each small RPC (measured 4x on a
// 1000-resource plan).
fn nodelay(conn: std::io::Result<TcpStream>) -> std::io::Result<TcpStream> {
    conn.and_then(|s| {
        s.set_nodelay(true)?;
        Ok(s)
    })
}

/// Plaintext connections (no PLUGIN_CLIENT_CERT, or `--debug`).
pub fn plain(listener: TcpListener) -> impl Stream<Item = std::io::Result<TcpStream>> {
    TcpListenerStream::new(listener).map(nodelay)
}

/// Connections that passed the TLS handshake; `refused` counts the others. Each handshake
/// runs in its own task, so a client that stalls mid-handshake does not hold up the others.
pub fn tls(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    refused: Arc<AtomicU64>,
) -> ReceiverStream<std::io::Result<TlsStream<TcpStream>>> {
    let (tx, rx) = tokio::sync::mpsc::channel(16);
    let acceptor = Arc::new(acceptor);
    tokio::spawn(async move {
        loop {
            let conn = match nodelay(listener.accept().await.map(|(s, _)| s)) {
                Ok(conn) => conn,
                Err(e) => {
                    // Out of descriptors and the like: transient, keep accepting.
                    tracing::warn!("plugin listener: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let (out, acceptor) = (tx.clone(), Arc::clone(&acceptor));
            let refused = Arc::clone(&refused);
            tokio::spawn(async move {
                let peer = conn.peer_addr().ok();
                match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(conn)).await {
                    Ok(Ok(stream)) => {
                        let _ = out.send(Ok(stream)).await;
                    }
                    Ok(Err(e)) => {
                        refused.fetch_add(1, Ordering::Relaxed);
                        tracing::warn!("plugin client {peer:?} refused: TLS handshake failed: {e}");
                    }
                    Err(_) => {
                        refused.fetch_add(1, Ordering::Relaxed);
                        tracing::warn!("plugin client {peer:?} refused: TLS handshake timed out");
                    }
                }
            });
            if tx.is_closed() {
                break;
            }
        }
    });
    ReceiverStream::new(rx)
}
