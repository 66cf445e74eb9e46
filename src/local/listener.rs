//! har-local's own accept loop, so that idle, slow and half-sent connections cannot hold
//! the server: header, body and idle timeouts, a cap on open connections (at the cap the
//! oldest connection not running a handler is closed), and URI/header limits answered with
//! the JSON error body. Requests are then routed through the axum router.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, watch};
use tower::ServiceExt;

use super::error::ApiError;
use super::limits::{
    HYPER_MAX_BUF_BYTES, HYPER_MAX_HEADERS, Limits, MAX_HEADER_BYTES, MAX_HEADERS, MAX_URI_BYTES,
};
use super::routes::MAX_BODY_BYTES;

/// One open connection, as the cap and the idle sweep see it.
struct Conn {
    /// Requests started and not yet answered.
    active: usize,
    /// Of those, requests whose handler runs (the body has been read): not evictable.
    busy: usize,
    /// When `active` last dropped to 0 (or the connection was accepted).
    idle_since: Instant,
    close: Arc<Notify>,
}

/// The open connections, by accept order (the smallest id is the oldest).
#[derive(Default)]
struct Table {
    conns: Mutex<BTreeMap<u64, Conn>>,
}

impl Table {
    fn lock(&self) -> MutexGuard<'_, BTreeMap<u64, Conn>> {
        match self.conns.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Register connection `id`, first closing the oldest evictable one if at the cap.
    /// `false`: at the cap and every connection runs a handler; the new one is refused.
    fn admit(&self, id: u64, max: usize) -> Option<Arc<Notify>> {
        let mut conns = self.lock();
        if conns.len() >= max {
            let oldest = conns.iter().find(|(_, c)| c.busy == 0).map(|(id, _)| *id)?;
            if let Some(c) = conns.remove(&oldest) {
                c.close.notify_one();
            }
        }
        let close = Arc::new(Notify::new());
        conns.insert(
            id,
            Conn {
                active: 0,
                busy: 0,
                idle_since: Instant::now(),
                close: Arc::clone(&close),
            },
        );
        Some(close)
    }

    fn update(&self, id: u64, f: impl FnOnce(&mut Conn)) {
        if let Some(c) = self.lock().get_mut(&id) {
            f(c);
        }
    }

    fn remove(&self, id: u64) {
        self.lock().remove(&id);
    }

    /// Close connections with no request in progress for longer than `idle`.
    fn sweep(&self, idle: Duration) {
        let now = Instant::now();
        self.lock().retain(|_, c| {
            let expired = c.active == 0 && now.duration_since(c.idle_since) >= idle;
            if expired {
                c.close.notify_one();
            }
            !expired
        });
    }

    fn len(&self) -> usize {
        self.lock().len()
    }
}

/// Serve `app` on `listener` under `limits` until `shutdown` resolves; then stop accepting,
/// close idle connections and let requests in progress finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let table = Arc::new(Table::default());
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_headers(HYPER_MAX_HEADERS)
        .max_buf_size(HYPER_MAX_BUF_BYTES);
    builder.http2().timer(TokioTimer::new());
    let builder = Arc::new(builder);

    let sweeper = {
        let table = Arc::clone(&table);
        let every =
            (limits.idle_timeout / 4).clamp(Duration::from_millis(50), Duration::from_secs(1));
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                table.sweep(limits.idle_timeout);
            }
        })
    };

    // One permit per open socket, held by its connection task until the socket is dropped:
    // an eviction only asks the oldest connection to close, so without this the loop could
    // accept faster than evicted tasks let go, and descriptors would pass the cap under load.
    let sockets = Arc::new(Semaphore::new(limits.max_connections));
    tokio::pin!(shutdown);
    let mut next_id = 0u64;
    loop {
        let tcp = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((tcp, _)) => tcp,
                Err(e) => {
                    // Out of descriptors and the like: wait a little rather than spin.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
        };
        next_id += 1;
        let id = next_id;
        let Some(close) = table.admit(id, limits.max_connections) else {
            tracing::warn!(
                max = limits.max_connections,
                "connection refused: every open connection is running a request"
            );
            continue;
        };
        let socket = tokio::select! {
            () = &mut shutdown => None,
            permit = Arc::clone(&sockets).acquire_owned() => permit.ok(),
        };
        let Some(socket) = socket else {
            // Admitted but never served: out of the table, or the drain below never ends.
            table.remove(id);
            break;
        };
        // Small request/response pairs: don't let Nagle hold them back.
        let _ = tcp.set_nodelay(true);
        tokio::spawn(connection(
            tcp,
            socket,
            id,
            close,
            Arc::clone(&builder),
            app.clone(),
            Arc::clone(&table),
            limits,
            stop_rx.clone(),
        ));
    }
    sweeper.abort();
    drop(listener);
    let _ = stop_tx.send(true);
    // Requests in progress finish; idle connections close at once (connection()).
    while table.len() > 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn connection(
    tcp: TcpStream,
    // Dropped after `tcp` (parameters outlive the body's locals): frees the slot once the
    // socket is really closed.
    _socket: OwnedSemaphorePermit,
    id: u64,
    close: Arc<Notify>,
    builder: Arc<auto::Builder<TokioExecutor>>,
    app: Router,
    table: Arc<Table>,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) {
    let svc_table = Arc::clone(&table);
    let service = hyper::service::service_fn(move |req: Request<Incoming>| {
        let (app, table) = (app.clone(), Arc::clone(&svc_table));
        async move { Ok::<_, std::convert::Infallible>(handle(req, app, &table, id, limits).await) }
    });
    let conn = builder.serve_connection(TokioIo::new(tcp), service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        () = close.notified() => {}
        () = async { let _ = stop.wait_for(|s| *s).await; } => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
    table.remove(id);
}

async fn handle(
    req: Request<Incoming>,
    app: Router,
    table: &Table,
    id: u64,
    limits: Limits,
) -> Response {
    table.update(id, |c| c.active += 1);
    let answer = answer(req, app, table, id, limits).await;
    table.update(id, |c| {
        c.active -= 1;
        c.busy = c.busy.saturating_sub(1);
        if c.active == 0 {
            c.idle_since = Instant::now();
        }
    });
    answer
}

async fn answer(
    req: Request<Incoming>,
    app: Router,
    table: &Table,
    id: u64,
    limits: Limits,
) -> Response {
    if let Err(e) = check_head(&req) {
        return closing(e);
    }
    let (parts, body) = req.into_parts();
    let bytes = match tokio::time::timeout(
        limits.body_timeout,
        Limited::new(body, MAX_BODY_BYTES).collect(),
    )
    .await
    {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => {
            return closing(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("request body is larger than {MAX_BODY_BYTES} bytes"),
            ));
        }
        Ok(Err(e)) => {
            return closing(ApiError::bad_request(format!(
                "cannot read the request body: {e}"
            )));
        }
        Err(_) => {
            return closing(ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "the request body did not arrive within {} ms",
                    limits.body_timeout.as_millis()
                ),
            ));
        }
    };
    table.update(id, |c| c.busy += 1);
    match app
        .oneshot(Request::from_parts(parts, Body::from(bytes)))
        .await
    {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// URI and header limits, below hyper's.
fn check_head(req: &Request<Incoming>) -> Result<(), ApiError> {
    let uri_len = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if uri_len > MAX_URI_BYTES {
        return Err(ApiError::new(
            StatusCode::URI_TOO_LONG,
            format!("request URI is longer than {MAX_URI_BYTES} bytes"),
        ));
    }
    let headers = req.headers();
    let bytes: usize = headers
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len())
        .sum();
    if headers.len() > MAX_HEADERS || bytes > MAX_HEADER_BYTES {
        return Err(ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!("request headers exceed {MAX_HEADERS} fields or {MAX_HEADER_BYTES} bytes"),
        ));
    }
    Ok(())
}

/// The JSON error, and the connection closed after it (the rest of the request is not
/// read).
fn closing(e: ApiError) -> Response {
    let mut response = e.into_response();
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}
