//! Fault injection for har-local: a share of requests fails the way a real API behind a
//! gateway fails (429 with `Retry-After`, 500, 502, 503, a dropped connection, an answer
//! slower than the client's timeout), either **before** the request takes effect or
//! **after** it took effect but before its answer reaches the client (the hard case: a
//! create that succeeded and whose answer was lost).
//!
//! Decisions come from one seeded RNG drawn the same number of times per request, so a
//! seed gives the same fault sequence for the same sequence of requests. Counts by kind and
//! phase are kept for the tests' figures: `GET /_har-local/faults` answers them (that route
//! is never faulted and needs no key) and the binary prints them at shutdown.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::error::ApiError;

/// The route answering the counts; not faulted, not counted.
pub(crate) const COUNTS_PATH: &str = "/_har-local/faults";

/// A request carrying this header with the value `off` is neither faulted nor counted, and
/// draws nothing from the RNG: tests inspect the server's state through it without
/// changing the fault sequence the client under test sees.
pub(crate) const BYPASS_HEADER: &str = "x-har-local-faults";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Kind {
    /// 429 with `Retry-After`.
    Throttled,
    Internal500,
    BadGateway502,
    Unavailable503,
    /// The connection is closed without an answer.
    Drop,
    /// No answer before `delay` (past the client's timeout), then the connection is closed
    /// (before) or the real answer is sent to a client that has given up (after).
    Delay,
}

impl Kind {
    pub(crate) const ALL: [Kind; 6] = [
        Kind::Throttled,
        Kind::Internal500,
        Kind::BadGateway502,
        Kind::Unavailable503,
        Kind::Drop,
        Kind::Delay,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Throttled => "429",
            Kind::Internal500 => "500",
            Kind::BadGateway502 => "502",
            Kind::Unavailable503 => "503",
            Kind::Drop => "drop",
            Kind::Delay => "delay",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Phase {
    /// The request never reaches the service.
    Before,
    /// The service acted on it (a write is committed); only its answer is lost.
    After,
}

impl Phase {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Phase::Before => "before",
            Phase::After => "after",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FaultConfig {
    /// Share of requests that fail, 0..=1.
    pub rate: f64,
    pub seed: u64,
    /// How long a `Delay` fault holds the answer back.
    pub delay: Duration,
    /// The `Retry-After` of a 429, in seconds.
    pub retry_after_secs: u64,
    /// Fault only POST, PUT, PATCH and DELETE (reads pass and draw nothing).
    pub writes_only: bool,
    /// Inject only in this phase (`After` then never picks a 429); `None`: either.
    pub phase: Option<Phase>,
}

impl Default for FaultConfig {
    fn default() -> Self {
        FaultConfig {
            rate: 0.0,
            seed: 0,
            delay: Duration::from_secs(35),
            retry_after_secs: 1,
            writes_only: false,
            phase: None,
        }
    }
}

/// What was injected so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Requests seen (the counts route and bypassing requests excluded).
    pub(crate) requests: u64,
    /// Of those, POST, PUT, PATCH and DELETE requests (faulted or not).
    pub(crate) writes: u64,
    /// `[kind][phase]`, in the order of [`Kind::ALL`] and (before, after).
    pub(crate) faults: [[u64; 2]; 6],
}

impl Counts {
    pub(crate) fn total_faults(&self) -> u64 {
        self.faults.iter().flatten().sum()
    }

    pub(crate) fn get(&self, kind: Kind, phase: Phase) -> u64 {
        self.faults[kind_index(kind)][phase as usize]
    }

    pub(crate) fn to_json(&self) -> serde_json::Value {
        let mut by = serde_json::Map::new();
        for k in Kind::ALL {
            by.insert(
                k.name().to_string(),
                serde_json::json!({
                    "before": self.get(k, Phase::Before),
                    "after": self.get(k, Phase::After),
                }),
            );
        }
        serde_json::json!({
            "requests": self.requests,
            "writes": self.writes,
            "faults": self.total_faults(),
            "by_kind": by,
        })
    }
}

impl fmt::Display for Counts {
    /// `requests=N faults=M 429=b/a 500=b/a ...` (b = before, a = after the effect).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "requests={} faults={}",
            self.requests,
            self.total_faults()
        )?;
        for k in Kind::ALL {
            write!(
                f,
                " {}={}/{}",
                k.name(),
                self.get(k, Phase::Before),
                self.get(k, Phase::After)
            )?;
        }
        Ok(())
    }
}

fn kind_index(kind: Kind) -> usize {
    Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

struct Inner {
    config: FaultConfig,
    state: Mutex<(StdRng, Counts)>,
}

/// The fault injector; cloning shares the RNG and the counts.
#[derive(Clone)]
pub struct Faults {
    inner: Arc<Inner>,
}

impl Faults {
    /// `rate` is clamped to 0..=1.
    pub fn new(mut config: FaultConfig) -> Faults {
        config.rate = if config.rate.is_finite() {
            config.rate.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let rng = StdRng::seed_from_u64(config.seed);
        Faults {
            inner: Arc::new(Inner {
                config,
                state: Mutex::new((rng, Counts::default())),
            }),
        }
    }

    pub(crate) fn config(&self) -> &FaultConfig {
        &self.inner.config
    }

    /// The fate of the next request. Always three draws, so decision `n` depends only on
    /// the seed and `n`.
    #[cfg(test)]
    fn decide(&self) -> Option<(Kind, Phase)> {
        self.decide_for(false)
    }

    fn decide_for(&self, write: bool) -> Option<(Kind, Phase)> {
        let mut guard = match self.inner.state.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        let (rng, counts) = &mut *guard;
        if self.inner.config.writes_only && !write {
            counts.requests += 1;
            return None;
        }
        let x: f64 = rng.random();
        let k = rng.random_range(0..Kind::ALL.len());
        let after = rng.random_bool(0.5);
        counts.requests += 1;
        counts.writes += u64::from(write);
        // `x < 1.0` always, so rate 1 faults every request and rate 0 none.
        if x >= self.inner.config.rate {
            return None;
        }
        let (kind, phase) = match self.inner.config.phase {
            Some(Phase::Before) => (Kind::ALL[k], Phase::Before),
            // Every kind but 429, which is never sent after the effect (below).
            Some(Phase::After) => {
                let k = 1 + k % (Kind::ALL.len() - 1);
                (Kind::ALL[k], Phase::After)
            }
            None => {
                let kind = Kind::ALL[k];
                // A 429 says "not processed" (RFC 6585): clients rightly trust that
                // nothing happened, so one sent after the effect would be a server
                // lying, not a fault.
                let phase = if after && kind != Kind::Throttled {
                    Phase::After
                } else {
                    Phase::Before
                };
                (kind, phase)
            }
        };
        let k = kind_index(kind);
        counts.faults[k][phase as usize] += 1;
        Some((kind, phase))
    }

    pub fn counts(&self) -> Counts {
        match self.inner.state.lock() {
            Ok(g) => g.1.clone(),
            Err(p) => p.into_inner().1.clone(),
        }
    }

    /// `router` with this injector around it (outermost, so every route is subject to it,
    /// API key check included).
    pub fn wrap(&self, router: axum::Router) -> axum::Router {
        router.layer(axum::middleware::from_fn_with_state(self.clone(), inject))
    }
}

/// The middleware: decides, then fails before the service, or after it, or not at all.
pub(crate) async fn inject(State(faults): State<Faults>, req: Request, next: Next) -> Response {
    if req.uri().path() == COUNTS_PATH {
        return axum::Json(faults.counts().to_json()).into_response();
    }
    let bypass = req
        .headers()
        .get(BYPASS_HEADER)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"off"));
    if bypass {
        return next.run(req).await;
    }
    let write = matches!(
        *req.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    let Some((kind, phase)) = faults.decide_for(write) else {
        return next.run(req).await;
    };
    tracing::info!(
        kind = kind.name(),
        phase = phase.name(),
        method = %req.method(),
        path = %req.uri().path(),
        "fault injected"
    );
    let config = faults.config();
    match phase {
        Phase::Before => match kind {
            // Held past the client's timeout, then closed: the service never saw it.
            Kind::Delay => {
                tokio::time::sleep(config.delay).await;
                dropped()
            }
            _ => failure(kind, config),
        },
        Phase::After => {
            let answer = next.run(req).await;
            match kind {
                Kind::Delay => {
                    tokio::time::sleep(config.delay).await;
                    answer
                }
                _ => failure(kind, config),
            }
        }
    }
}

fn failure(kind: Kind, config: &FaultConfig) -> Response {
    let error = |status, message: &str| ApiError::new(status, message).into_response();
    match kind {
        Kind::Throttled => {
            let mut r = error(
                StatusCode::TOO_MANY_REQUESTS,
                "rate limit exceeded (injected fault)",
            );
            r.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(config.retry_after_secs),
            );
            r
        }
        Kind::Internal500 => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error (injected fault)",
        ),
        Kind::BadGateway502 => error(StatusCode::BAD_GATEWAY, "bad gateway (injected fault)"),
        Kind::Unavailable503 => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "service unavailable (injected fault)",
        ),
        Kind::Drop | Kind::Delay => dropped(),
    }
}

/// An answer whose body fails before its first byte: hyper then closes the connection
/// without writing the status line (the head is only buffered until the body's first
/// chunk), so the client sees the connection close with no answer.
fn dropped() -> Response {
    let body = Body::from_stream(futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "injected fault: connection dropped",
        ))
    }));
    let mut r = Response::new(body);
    // A length makes hyper wait for the body before flushing anything.
    r.headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from_static("64"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn faults(rate: f64, seed: u64) -> Faults {
        Faults::new(FaultConfig {
            rate,
            seed,
            ..FaultConfig::default()
        })
    }

    fn sequence(f: &Faults, n: usize) -> Vec<Option<(Kind, Phase)>> {
        (0..n).map(|_| f.decide()).collect()
    }

    #[test]
    fn a_seed_gives_the_same_sequence() {
        let a = sequence(&faults(0.3, 7), 2000);
        let b = sequence(&faults(0.3, 7), 2000);
        assert_eq!(a, b);
        let c = sequence(&faults(0.3, 8), 2000);
        assert_ne!(a, c, "another seed, another sequence");
    }

    #[test]
    fn rate_zero_never_and_rate_one_always() {
        let f = faults(0.0, 1);
        assert!(sequence(&f, 1000).iter().all(Option::is_none));
        assert_eq!(f.counts().total_faults(), 0);
        assert_eq!(f.counts().requests, 1000);
        let f = faults(1.0, 1);
        assert!(sequence(&f, 1000).iter().all(Option::is_some));
        assert_eq!(f.counts().total_faults(), 1000);
    }

    #[test]
    fn the_rate_is_the_share_and_every_kind_and_phase_occurs() {
        let f = faults(0.3, 42);
        let seq = sequence(&f, 10_000);
        let n = seq.iter().filter(|d| d.is_some()).count();
        assert!((2700..3300).contains(&n), "{n} faults in 10000 at 0.3");
        let c = f.counts();
        assert_eq!(c.total_faults(), n as u64);
        for k in Kind::ALL {
            for p in [Phase::Before, Phase::After] {
                if k == Kind::Throttled && p == Phase::After {
                    assert_eq!(c.get(k, p), 0, "a 429 is never sent after the effect");
                } else {
                    assert!(c.get(k, p) > 100, "{k:?} {p:?}: {c}");
                }
            }
        }
    }

    #[test]
    fn writes_only_and_a_fixed_phase() {
        let f = Faults::new(FaultConfig {
            rate: 1.0,
            writes_only: true,
            phase: Some(Phase::After),
            ..FaultConfig::default()
        });
        for i in 0..600 {
            let write = i % 2 == 0;
            match f.decide_for(write) {
                None => assert!(!write),
                Some((kind, phase)) => {
                    assert!(write);
                    assert_eq!(phase, Phase::After);
                    assert_ne!(kind, Kind::Throttled);
                }
            }
        }
        let c = f.counts();
        assert_eq!((c.requests, c.writes, c.total_faults()), (600, 300, 300));
    }

    #[test]
    fn out_of_range_rates_are_clamped() {
        assert_eq!(faults(7.0, 0).config().rate, 1.0);
        assert_eq!(faults(-1.0, 0).config().rate, 0.0);
        assert_eq!(faults(f64::NAN, 0).config().rate, 0.0);
    }

    #[test]
    fn counts_print_by_kind_and_phase() {
        let mut c = Counts {
            requests: 10,
            ..Counts::default()
        };
        c.faults[0] = [2, 1];
        assert_eq!(
            c.to_string(),
            "requests=10 faults=3 429=2/1 500=0/0 502=0/0 503=0/0 drop=0/0 delay=0/0"
        );
        assert_eq!(c.to_json()["by_kind"]["429"]["after"], 1);
    }

    /// Served for real: the kinds answer as they should and `after` faults take effect.
    #[tokio::test]
    async fn served_faults_answer_as_named() {
        use std::sync::atomic::{AtomicU64, Ordering};
        use tokio::io::{AsyncReadExt, AsyncWriteExt};

        let hits = Arc::new(AtomicU64::new(0));
        let h = Arc::clone(&hits);
        let app = axum::Router::new().route(
            "/x",
            axum::routing::get(move || {
                let h = Arc::clone(&h);
                async move {
                    h.fetch_add(1, Ordering::SeqCst);
                    "ok"
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let f = Faults::new(FaultConfig {
            rate: 1.0,
            seed: 3,
            delay: Duration::from_millis(50),
            retry_after_secs: 2,
            ..FaultConfig::default()
        });
        // The same seed, to know what each request will get.
        let expected = sequence(&f.clone_fresh(), 60);
        let app = f.wrap(app);
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        for (i, fate) in expected.iter().enumerate() {
            let (kind, phase) = fate.expect("rate 1");
            let before = hits.load(Ordering::SeqCst);
            let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
            s.write_all(b"GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .await
                .unwrap();
            let mut buf = Vec::new();
            let _ = s.read_to_end(&mut buf).await;
            let text = String::from_utf8_lossy(&buf);
            let ran = hits.load(Ordering::SeqCst) - before;
            assert_eq!(
                ran,
                u64::from(phase == Phase::After),
                "request {i} {kind:?} {phase:?}"
            );
            match (kind, phase) {
                (Kind::Drop, _) | (Kind::Delay, Phase::Before) => {
                    assert!(buf.is_empty(), "request {i} {kind:?}: {text}")
                }
                (Kind::Delay, Phase::After) => {
                    assert!(text.starts_with("HTTP/1.1 200"), "{text}")
                }
                (Kind::Throttled, _) => {
                    assert!(text.starts_with("HTTP/1.1 429"), "{text}");
                    assert!(
                        text.to_ascii_lowercase().contains("retry-after: 2"),
                        "{text}"
                    );
                }
                (k, _) => assert!(
                    text.starts_with(&format!("HTTP/1.1 {}", k.name())),
                    "{text}"
                ),
            }
        }
        // The counts route is neither faulted nor counted.
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(
            format!("GET {COUNTS_PATH} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .await
        .unwrap();
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).await.unwrap();
        let text = String::from_utf8_lossy(&buf);
        assert!(text.starts_with("HTTP/1.1 200"), "{text}");
        assert!(text.contains("\"requests\":60"), "{text}");
    }

    impl Faults {
        /// A new injector with the same configuration and a fresh RNG.
        fn clone_fresh(&self) -> Faults {
            Faults::new(self.config().clone())
        }
    }
}
