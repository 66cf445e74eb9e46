//! Typed errors of the HAR client. They stay types until the provider turns them into a
//! diagnostic, so each one carries what a user needs to read there: the HTTP status and the
//! server's own `message` (har-api.md §2.5), never a header or a request body.

use std::time::Duration;

/// Longest piece of a response body kept in an error (a gateway's HTML page can be huge).
pub(crate) const EXCERPT_CHARS: usize = 300;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// 404, or the 400 "registry not found: ..." that the OSS server answers to a PUT or
    /// DELETE of an unknown registry (har-api.md §2.5).
    #[error("not found (HTTP {status}): {message}")]
    NotFound { status: u16, message: String },

    /// 401 or 403: the API key is missing, wrong, expired, or lacks the permission.
    #[error("the HAR API refused the API key (HTTP {status}): {message}")]
    Unauthorized { status: u16, message: String },

    /// Any other 4xx except 429: the request itself is wrong; retrying cannot help.
    #[error("the HAR API rejected the request (HTTP {status}): {message}")]
    Rejected { status: u16, message: String },

    /// A DELETE refused because a registry still lists the upstream proxy in its
    /// upstream list (the server answers 400 "... is being used inside Registry: ...").
    #[error("the HAR API refused to delete it while it is in use (HTTP {status}): {message}")]
    InUse { status: u16, message: String },

    /// 429. Only seen inside [`Error::BudgetSpent`] once retries ran out.
    #[error("the HAR API is throttling requests (HTTP 429): {message}")]
    Throttled { message: String },

    /// 5xx.
    #[error("the HAR API failed (HTTP {status}): {message}")]
    Server { status: u16, message: String },

    /// The connection could not be made, or broke before an answer arrived.
    /// `request_sent` is false only when the connection was never established, so the
    /// server cannot have acted on the request.
    #[error("could not talk to the HAR API: {message}")]
    Transport { message: String, request_sent: bool },

    /// No complete answer within the per-request timeout.
    #[error("the HAR API did not answer within {after:?}")]
    Timeout { after: Duration },

    /// A 2xx answer whose body is not what the API documents.
    #[error(
        "the HAR API answered HTTP {status} with a body that could not be read ({reason}); \
         body starts with: {excerpt:?}"
    )]
    Decode {
        status: u16,
        reason: String,
        excerpt: String,
    },

    /// Retries ran out (attempt limit or total time budget). `outcome_unknown` is true when
    /// at least one attempt of a write may have taken effect on the server (timeout, broken
    /// connection, 5xx), so the object's state must be read back to be known.
    #[error("{}", budget_spent_text(.operation, *.attempts, *.elapsed, *.outcome_unknown, .last))]
    BudgetSpent {
        operation: String,
        attempts: u32,
        elapsed: Duration,
        outcome_unknown: bool,
        last: Box<Error>,
    },

    /// A retry was due, but Terraform had asked the provider to stop (StopProvider, sent on
    /// Ctrl-C): the call ends with the last attempt's error instead of waiting for another.
    /// `outcome_unknown` as for [`Error::BudgetSpent`].
    #[error("{}", stopped_text(.operation, *.attempts, *.outcome_unknown, .last))]
    Stopped {
        operation: String,
        attempts: u32,
        outcome_unknown: bool,
        last: Box<Error>,
    },

    /// The client's configuration or an argument is unusable (bad endpoint URL, TLS set-up,
    /// a `parentRef` that is no scope). Nothing was sent.
    #[error("invalid HAR client input: {0}")]
    Invalid(String),
}

fn budget_spent_text(
    operation: &str,
    attempts: u32,
    elapsed: Duration,
    outcome_unknown: bool,
    last: &Error,
) -> String {
    let plural = if attempts == 1 { "" } else { "s" };
    let mut s = format!(
        "{operation} gave up after {attempts} attempt{plural} in {:.1}s; last error: {last}",
        elapsed.as_secs_f64()
    );
    push_outcome(&mut s, operation, outcome_unknown);
    s
}

fn stopped_text(operation: &str, attempts: u32, outcome_unknown: bool, last: &Error) -> String {
    let plural = if attempts == 1 { "" } else { "s" };
    let mut s = format!(
        "{operation} was not retried after {attempts} attempt{plural}, because Terraform asked \
         the provider to stop (interrupt); last error: {last}"
    );
    push_outcome(&mut s, operation, outcome_unknown);
    s
}

/// What a failed write did to the registry, as far as the attempts tell.
fn push_outcome(s: &mut String, operation: &str, outcome_unknown: bool) {
    if outcome_unknown {
        s.push_str(
            ". At least one attempt may have reached the server, so the change may or may not \
             have been applied: read the registry back to learn its state",
        );
    } else if !operation.starts_with("GET") {
        // Every failed attempt was refused before it could act (429, connect error), so
        // the diagnostic can say the object is as it was.
        s.push_str(". No attempt took effect: the registry is unchanged");
    }
}

impl Error {
    /// The server's own message (or the transport's), for a diagnostic's detail.
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::NotFound { message, .. }
            | Error::Unauthorized { message, .. }
            | Error::Rejected { message, .. }
            | Error::InUse { message, .. }
            | Error::Throttled { message }
            | Error::Server { message, .. }
            | Error::Transport { message, .. } => Some(message),
            Error::BudgetSpent { last, .. } | Error::Stopped { last, .. } => last.message(),
            Error::Timeout { .. } | Error::Decode { .. } | Error::Invalid(_) => None,
        }
    }

    /// The HTTP status of the (last) answer, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::NotFound { status, .. }
            | Error::Unauthorized { status, .. }
            | Error::Rejected { status, .. }
            | Error::InUse { status, .. }
            | Error::Server { status, .. }
            | Error::Decode { status, .. } => Some(*status),
            Error::Throttled { .. } => Some(429),
            Error::BudgetSpent { last, .. } | Error::Stopped { last, .. } => last.status(),
            Error::Transport { .. } | Error::Timeout { .. } | Error::Invalid(_) => None,
        }
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound { .. })
    }

    /// True when the request may have taken effect although no success was seen.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Error::BudgetSpent {
                outcome_unknown, ..
            }
            | Error::Stopped {
                outcome_unknown, ..
            } => *outcome_unknown,
            other => crate::api::retry::outcome_unknown(other),
        }
    }
}

/// The first [`EXCERPT_CHARS`] characters of a body, for an error message.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_spent_says_what_happened() {
        let e = Error::BudgetSpent {
            operation: "POST /registry".into(),
            attempts: 4,
            elapsed: Duration::from_millis(12_300),
            outcome_unknown: true,
            last: Box::new(Error::Server {
                status: 503,
                message: "unavailable".into(),
            }),
        };
        let text = e.to_string();
        assert!(text.contains("4 attempts"), "{text}");
        assert!(text.contains("12.3s"), "{text}");
        assert!(text.contains("HTTP 503"), "{text}");
        assert!(text.contains("unavailable"), "{text}");
        assert!(text.contains("may or may not have been applied"), "{text}");
        assert_eq!(e.message(), Some("unavailable"));
        assert_eq!(e.status(), Some(503));
    }

    #[test]
    fn excerpt_is_short() {
        let long = "x".repeat(1000);
        let e = excerpt(long.as_bytes());
        assert_eq!(e.chars().count(), EXCERPT_CHARS + 1);
    }
}
