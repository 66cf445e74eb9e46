//! Simulated distance: every API answer takes `base` (+ up to `jitter`) longer, half on the
//! way in (before the handler runs) and half on the way back, like a round trip to a
//! distant API. With it, one machine shows what the number of calls in a row costs against
//! Harness SaaS, tens to hundreds of milliseconds away. har-local's own routes
//! (`/_har-local/...`) are not delayed.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use rand::Rng;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Latency {
    pub base: Duration,
    /// Each request adds a uniform random share of this, drawn once per request.
    pub jitter: Duration,
}

impl Latency {
    pub fn is_zero(&self) -> bool {
        self.base.is_zero() && self.jitter.is_zero()
    }

    /// The round trip of one request.
    fn draw(&self) -> Duration {
        let extra = if self.jitter.is_zero() {
            Duration::ZERO
        } else {
            self.jitter.mul_f64(rand::rng().random::<f64>())
        };
        self.base + extra
    }

    /// Delays every request `router` sees; `router` unchanged when there is nothing to add.
    pub fn wrap(&self, router: axum::Router) -> axum::Router {
        if self.is_zero() {
            return router;
        }
        router.layer(axum::middleware::from_fn_with_state(*self, delay))
    }
}

async fn delay(State(latency): State<Latency>, req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/_har-local/") {
        return next.run(req).await;
    }
    let trip = latency.draw();
    let way_in = trip / 2;
    tokio::time::sleep(way_in).await;
    let response = next.run(req).await;
    tokio::time::sleep(trip - way_in).await;
    response
}

/// A `--latency-ms` / `--latency-jitter-ms` value: whole milliseconds, at most a minute.
pub fn parse_millis(s: &str) -> Result<Duration, String> {
    s.parse::<u64>()
        .ok()
        .filter(|ms| *ms <= 60_000)
        .map(Duration::from_millis)
        .ok_or_else(|| format!("takes whole milliseconds from 0 to 60000, got {s:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draw_stays_within_base_and_jitter() {
        let l = Latency {
            base: Duration::from_millis(50),
            jitter: Duration::from_millis(10),
        };
        for _ in 0..1000 {
            let d = l.draw();
            assert!(d >= l.base && d <= l.base + l.jitter, "{d:?}");
        }
        let fixed = Latency {
            base: Duration::from_millis(7),
            jitter: Duration::ZERO,
        };
        assert_eq!(fixed.draw(), Duration::from_millis(7));
    }

    #[test]
    fn millis_are_checked() {
        assert_eq!(parse_millis("50"), Ok(Duration::from_millis(50)));
        assert_eq!(parse_millis("0"), Ok(Duration::ZERO));
        assert!(parse_millis("-1").is_err());
        assert!(parse_millis("1.5").is_err());
        assert!(parse_millis("60001").is_err());
    }
}
