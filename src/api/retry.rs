//! The retry policy: which failures are worth another attempt, how long to wait before it
//! (exponential backoff with full jitter, or the server's `Retry-After`), and when to stop
//! (attempt limit, total time budget). The loop that applies it lives in `client.rs`; the
//! decisions live here as small pure functions so they can be tested one by one.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant, SystemTime};

use crate::api::error::Error;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included. 1 disables retries.
    pub max_attempts: u32,
    /// Attempts that may fail to connect (refused, unknown host, connect timeout) before
    /// the operation gives up, even with attempts and budget left: nothing listening there
    /// rarely changes within the budget, and the user should learn it in seconds, not
    /// minutes. Connections that break after the request went out are not counted here.
    pub max_connect_attempts: u32,
    /// Upper bound of the first backoff; doubled for each further attempt.
    pub initial_backoff: Duration,
    /// Upper bound of any single backoff.
    pub max_backoff: Duration,
    /// Wall time for one operation, all attempts and waits included. No attempt starts, and
    /// no wait is begun, that would end past it.
    pub budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            // With 10 attempts a server failing 30% of requests at random loses one
            // operation in ~170 000; the budget still bounds the wall time.
            max_attempts: 10,
            // With the backoff below, three connect attempts end within about 1.5 s of
            // waiting; enough to ride over a server (or har-local) that is restarting.
            max_connect_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(20),
            budget: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// The ceiling of the backoff before attempt `next_attempt` (2 for the first retry):
    /// `min(max_backoff, initial_backoff * 2^(next_attempt - 2))`.
    pub fn backoff_ceiling(&self, next_attempt: u32) -> Duration {
        let exp = next_attempt.saturating_sub(2).min(31);
        self.initial_backoff
            .checked_mul(1u32 << exp)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff)
    }

    /// Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): a uniform
    /// draw in `[0, ceiling]`, so many clients retrying together spread out. `jitter` is
    /// the draw in `[0, 1)`, passed in so the math is testable.
    pub fn backoff(&self, next_attempt: u32, jitter: f64) -> Duration {
        self.backoff_ceiling(next_attempt)
            .mul_f64(jitter.clamp(0.0, 1.0))
    }

    /// How long to wait before attempt `next_attempt`, or `None` to give up: the attempt
    /// limit is reached, or the wait (the server's `Retry-After` when given, else the
    /// jittered backoff) would end past the budget.
    pub fn delay_before(
        &self,
        next_attempt: u32,
        elapsed: Duration,
        retry_after: Option<Duration>,
        jitter: f64,
    ) -> Option<Duration> {
        if next_attempt > self.max_attempts {
            return None;
        }
        let delay = retry_after.unwrap_or_else(|| self.backoff(next_attempt, jitter));
        if elapsed.saturating_add(delay) >= self.budget {
            return None;
        }
        Some(delay)
    }
}

/// Is a failed attempt worth another one? 429, 500, 502, 503, 504, connection errors and
/// timeouts are (connect failures only [`RetryPolicy::max_connect_attempts`] times); a 4xx
/// is the request's fault, and a decode error, a refused redirect or an oversized body
/// would repeat.
pub fn is_retryable(err: &Error) -> bool {
    match err {
        Error::Throttled { .. }
        | Error::Connect { .. }
        | Error::Transport { .. }
        | Error::Timeout { .. } => true,
        Error::Server { status, .. } => matches!(status, 500 | 502 | 503 | 504),
        _ => false,
    }
}

/// Could the server have acted on a request whose attempt failed this way? A timeout, a
/// connection that broke after the request went out, a 5xx (a gateway may answer 502/504
/// after the backend wrote), or an answer too large to read (it may say "created") leave
/// the outcome unknown; a 429, a failed connect, a redirect not followed or a 4xx do not.
pub fn outcome_unknown(err: &Error) -> bool {
    matches!(
        err,
        Error::Timeout { .. }
            | Error::Server { .. }
            | Error::Transport { .. }
            | Error::TooLarge { .. }
    )
}

/// Parses `Retry-After`: delta-seconds or an HTTP date (RFC 9110 §10.2.3). A date in the
/// past means "now".
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Time and waiting, injectable so tests run the retry loop without real sleeps.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> Instant;
    fn sleep(&self, d: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

/// The real clock: `Instant::now` and `tokio::time::sleep`.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
    fn sleep(&self, d: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(tokio::time::sleep(d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 6,
            max_connect_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(1000),
            budget: Duration::from_secs(10),
        }
    }

    #[test]
    fn ceiling_doubles_then_caps() {
        let p = policy();
        let ms: Vec<u128> = (2..=8).map(|a| p.backoff_ceiling(a).as_millis()).collect();
        assert_eq!(ms, [100, 200, 400, 800, 1000, 1000, 1000]);
        // No overflow for absurd attempt numbers.
        assert_eq!(p.backoff_ceiling(u32::MAX), Duration::from_millis(1000));
    }

    #[test]
    fn full_jitter_spans_zero_to_ceiling() {
        let p = policy();
        assert_eq!(p.backoff(4, 0.0), Duration::ZERO);
        assert_eq!(p.backoff(4, 0.5), Duration::from_millis(200));
        assert_eq!(p.backoff(4, 1.0), Duration::from_millis(400));
        assert_eq!(p.backoff(4, 7.0), Duration::from_millis(400));
    }

    #[test]
    fn gives_up_at_the_attempt_limit() {
        let p = policy();
        assert!(p.delay_before(6, Duration::ZERO, None, 0.5).is_some());
        assert_eq!(p.delay_before(7, Duration::ZERO, None, 0.5), None);
    }

    #[test]
    fn retry_after_wins_over_backoff_but_not_over_the_budget() {
        let p = policy();
        assert_eq!(
            p.delay_before(2, Duration::ZERO, Some(Duration::from_secs(3)), 0.5),
            Some(Duration::from_secs(3))
        );
        // 8 s spent + 3 s asked > 10 s budget: give up rather than sleep past it.
        assert_eq!(
            p.delay_before(2, Duration::from_secs(8), Some(Duration::from_secs(3)), 0.5),
            None
        );
        assert_eq!(
            p.delay_before(2, Duration::from_secs(10), None, 0.0),
            None,
            "no attempt starts once the budget is spent"
        );
    }

    #[test]
    fn retry_after_parses_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(30))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(parse_retry_after(&earlier, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }

    #[test]
    fn retryable_and_unknown_outcomes() {
        let server = |status| Error::Server {
            status,
            message: String::new(),
        };
        let refused = Error::Connect {
            url: "http://127.0.0.1:1/gateway/har/api/v1/registry".into(),
            message: "connection refused".into(),
        };
        let reset = Error::Transport {
            message: "reset".into(),
        };
        let throttled = Error::Throttled {
            message: String::new(),
        };
        let rejected = Error::Rejected {
            status: 400,
            message: String::new(),
        };
        for e in [&server(500), &server(503), &refused, &reset, &throttled] {
            assert!(is_retryable(e), "{e:?}");
        }
        for e in [&server(501), &rejected] {
            assert!(!is_retryable(e), "{e:?}");
        }
        assert!(outcome_unknown(&server(502)));
        assert!(outcome_unknown(&reset));
        assert!(outcome_unknown(&Error::Timeout {
            after: Duration::from_secs(1)
        }));
        assert!(outcome_unknown(&Error::TooLarge {
            status: 201,
            limit: 16
        }));
        let redirect = Error::Redirect {
            status: 307,
            url: "http://a/".into(),
            location: "http://b/".into(),
            reason: String::new(),
        };
        assert!(!is_retryable(&redirect));
        assert!(!outcome_unknown(&redirect));
        assert!(!outcome_unknown(&refused));
        assert!(!outcome_unknown(&throttled));
        assert!(!outcome_unknown(&rejected));
    }
}
