//! What har-local tolerates from a client before it stops listening to it: how long the
//! headers, the body and an idle keep-alive may take, how many connections may be open, and
//! how long a URI or the headers may be. Chosen well below hyper's own limits, so an
//! over-long request gets the JSON error body every other error has.

use std::time::Duration;

/// Longest request target (path and query), in bytes: 414 above.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// Most header fields in one request: 431 above.
pub const MAX_HEADERS: usize = 64;
/// Most bytes of header names and values in one request: 431 above.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// hyper's own limits, set above ours so ours answer first (hyper answers with no body).
pub const HYPER_MAX_HEADERS: usize = 4 * MAX_HEADERS;
pub const HYPER_MAX_BUF_BYTES: usize = 4 * (MAX_URI_BYTES + MAX_HEADER_BYTES);

/// Longest a timeout may be configured (the flags refuse more).
pub const MAX_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// From accepting a connection (or the end of the last answer) to the end of the
    /// request headers.
    pub header_timeout: Duration,
    /// From the end of the headers to the end of the body.
    pub body_timeout: Duration,
    /// How long a connection may sit with no request in progress.
    pub idle_timeout: Duration,
    /// Open connections at most; at the cap, the oldest connection not running a handler
    /// is closed to make room.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(30),
            max_connections: 512,
        }
    }
}

/// A `--*-timeout` flag: whole seconds (or `NNNms`), more than 0 and at most 30 s.
pub fn parse_timeout(s: &str) -> Result<Duration, String> {
    let d = match s.strip_suffix("ms") {
        Some(ms) => ms.trim().parse().ok().map(Duration::from_millis),
        None => s
            .trim()
            .strip_suffix('s')
            .unwrap_or(s.trim())
            .parse()
            .ok()
            .map(Duration::from_secs),
    };
    d.filter(|d| !d.is_zero() && *d <= MAX_TIMEOUT)
        .ok_or_else(|| {
            format!("takes a duration from 1ms to 30s, like 10 or 10s or 500ms, got {s:?}")
        })
}

/// `--max-connections`: at least 1.
pub fn parse_max_connections(s: &str) -> Result<usize, String> {
    s.trim()
        .parse()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| format!("takes a whole number of connections, at least 1, got {s:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_are_bounded() {
        assert_eq!(parse_timeout("10"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_timeout("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_timeout("250ms"), Ok(Duration::from_millis(250)));
        for bad in ["0", "31", "31s", "30001ms", "x", ""] {
            assert!(parse_timeout(bad).is_err(), "{bad}");
        }
        assert!(parse_max_connections("0").is_err());
        assert_eq!(parse_max_connections("7"), Ok(7));
    }
}
