//! Typed errors of the HAR client. They stay types until the provider turns them into a
//! diagnostic, so each one carries what a user needs to read there: the HTTP status, the
//! URL where it helps, and the server's own `message` (docs/design/har-api.md §2.5), never a header or a
//! request body. Server text is masked (`redact.rs`) before it is put into an error, since a
//! server may echo the API key or the body it was sent.

use std::time::Duration;

/// Longest piece of a response body kept in an error (a gateway's HTML page can be huge).
pub(crate) const EXCERPT_CHARS: usize = 300;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// 404, or the 400 "registry not found: ..." that the OSS server answers to a PUT or
    /// DELETE of an unknown registry (docs/design/har-api.md §2.5). `url` is the URL tried: a 404 is
    /// also what a wrong endpoint gets, and the text then says where the API usually is.
    #[error("not found (HTTP {status}) at {url}: {message}{}", gateway_hint(.url))]
    NotFound {
        status: u16,
        message: String,
        url: String,
    },

    /// 401: the API key is missing, wrong or expired.
    #[error(
        "the HAR API refused the API key (HTTP {status}): {message}. Check `api_key` (or \
         HARNESS_PLATFORM_API_KEY): it may be wrong or expired"
    )]
    Unauthorized { status: u16, message: String },

    /// 403: the key was accepted but may not act on the account (or the object) asked for;
    /// most often `account_id` names an account the key does not belong to.
    #[error(
        "the HAR API denied access (HTTP 403) for account {account:?}: {message}. The API key \
         may lack access to this account: check that `account_id` (or HARNESS_ACCOUNT_ID) is \
         the account the key belongs to, and the key's permissions"
    )]
    Forbidden { account: String, message: String },

    /// A 3xx the client did not follow: it leads to another scheme, host or port (which
    /// would receive the API key and the body), turns the request into a GET (301, 302,
    /// 303), or is one redirect too many. `location` is the server's, secrets masked.
    #[error(
        "the HAR API at {url} answered HTTP {status} redirecting to {location:?}, which the \
         provider does not follow: {reason}. Set `endpoint` to the address the API is served \
         at"
    )]
    Redirect {
        status: u16,
        url: String,
        location: String,
        reason: String,
    },

    /// An answer whose body is larger than the client reads (see `client.rs`); nothing the
    /// API documents comes close.
    #[error(
        "the HAR API answered HTTP {status} with a body larger than {} MiB; it was not read",
        .limit / (1024 * 1024)
    )]
    TooLarge { status: u16, limit: u64 },

    /// Any other 4xx except 429: the request itself is wrong; retrying cannot help.
    #[error("the HAR API rejected the request (HTTP {status}): {message}")]
    Rejected { status: u16, message: String },

    /// A DELETE refused because a registry still lists the upstream proxy in its
    /// upstream list (the server answers 400 "... is being used inside Registry: ...").
    #[error("the HAR API refused to delete it while it is in use (HTTP {status}): {message}")]
    InUse { status: u16, message: String },

    /// A create refused because the identifier is taken, after an earlier attempt whose
    /// answer was lost: that attempt may have created it, or someone else may have. Only a
    /// read-back that compares what is there with what was sent can tell.
    #[error(
        "the HAR API says it already exists (HTTP {status}): {message}; an earlier attempt \
         whose answer was lost may have created it"
    )]
    ExistsAfterLostAnswer { status: u16, message: String },

    /// 429. Only seen inside [`Error::BudgetSpent`] once retries ran out.
    #[error("the HAR API is throttling requests (HTTP 429): {message}")]
    Throttled { message: String },

    /// 5xx.
    #[error("the HAR API failed (HTTP {status}): {message}")]
    Server { status: u16, message: String },

    /// The connection could not be made (refused, unknown host, no answer to the connect):
    /// nothing was sent, so the server cannot have acted. Retried only a few times
    /// (`RetryPolicy::max_connect_attempts`): a server that is not there rarely appears
    /// within the retry budget, and the user should hear so at once.
    #[error("could not connect to the HAR API at {url}: {message}")]
    Connect { url: String, message: String },

    /// The connection broke after the request went out, before an answer arrived: the
    /// server may have acted on it.
    #[error("could not talk to the HAR API: {message}")]
    Transport { message: String },

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
            | Error::Forbidden { message, .. }
            | Error::Rejected { message, .. }
            | Error::InUse { message, .. }
            | Error::ExistsAfterLostAnswer { message, .. }
            | Error::Throttled { message }
            | Error::Server { message, .. }
            | Error::Connect { message, .. }
            | Error::Transport { message } => Some(message),
            Error::BudgetSpent { last, .. } | Error::Stopped { last, .. } => last.message(),
            Error::Redirect { .. }
            | Error::TooLarge { .. }
            | Error::Timeout { .. }
            | Error::Decode { .. }
            | Error::Invalid(_) => None,
        }
    }

    /// The HTTP status of the (last) answer, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::NotFound { status, .. }
            | Error::Unauthorized { status, .. }
            | Error::Rejected { status, .. }
            | Error::InUse { status, .. }
            | Error::ExistsAfterLostAnswer { status, .. }
            | Error::Server { status, .. }
            | Error::Redirect { status, .. }
            | Error::TooLarge { status, .. }
            | Error::Decode { status, .. } => Some(*status),
            Error::Forbidden { .. } => Some(403),
            Error::Throttled { .. } => Some(429),
            Error::BudgetSpent { last, .. } | Error::Stopped { last, .. } => last.status(),
            Error::Connect { .. }
            | Error::Transport { .. }
            | Error::Timeout { .. }
            | Error::Invalid(_) => None,
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
            Error::ExistsAfterLostAnswer { .. } => true,
            other => crate::api::retry::outcome_unknown(other),
        }
    }
}

/// Where the API base sits below the endpoint (`{endpoint}/har/api/v1`).
const API_BASE_PATH: &str = "/har/api/v1";

/// For a 404 from an endpoint without `/gateway`: the API of app.harness.io and of
/// har-local is at `{origin}/gateway/har/api/v1`, so a missing `/gateway` is the likeliest
/// reason a route is not found at all. Empty when the endpoint has it.
fn gateway_hint(url: &str) -> String {
    let Ok(parsed) = url::Url::parse(url) else {
        return String::new();
    };
    let Some((endpoint_path, _)) = parsed.path().split_once(API_BASE_PATH) else {
        return String::new();
    };
    if endpoint_path.split('/').any(|s| s == "gateway") {
        return String::new();
    }
    let origin = parsed.origin().ascii_serialization();
    format!(
        ". If the endpoint is wrong: Harness (app.harness.io) and har-local serve the HAR API \
         under the `/gateway` path, so try endpoint = \"{origin}{endpoint_path}/gateway\""
    )
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
    fn a_404_without_gateway_suggests_it() {
        let e = Error::NotFound {
            status: 404,
            message: "no such route".into(),
            url: "http://127.0.0.1:8787/har/api/v1/registry?space_ref=acct".into(),
        };
        let text = e.to_string();
        assert!(
            text.contains("at http://127.0.0.1:8787/har/api/v1/registry?space_ref=acct"),
            "{text}"
        );
        assert!(
            text.contains("try endpoint = \"http://127.0.0.1:8787/gateway\""),
            "{text}"
        );
        let with_gateway = Error::NotFound {
            status: 404,
            message: "Registry not found".into(),
            url: "https://app.harness.io/gateway/har/api/v1/registry/a/r/+".into(),
        };
        assert!(!with_gateway.to_string().contains("try endpoint"));
        let sub_path = gateway_hint("http://h:1/proxy/har/api/v1/spaces/a/+/registries");
        assert!(
            sub_path.contains("endpoint = \"http://h:1/proxy/gateway\""),
            "{sub_path}"
        );
    }

    #[test]
    fn a_403_names_the_account() {
        let e = Error::Forbidden {
            account: "other".into(),
            message: "not permitted".into(),
        };
        let text = e.to_string();
        assert!(text.contains("HTTP 403"), "{text}");
        assert!(text.contains("account \"other\""), "{text}");
        assert!(text.contains("may lack access to this account"), "{text}");
        assert_eq!(e.status(), Some(403));
    }

    #[test]
    fn excerpt_is_short() {
        let long = "x".repeat(1000);
        let e = excerpt(long.as_bytes());
        assert_eq!(e.chars().count(), EXCERPT_CHARS + 1);
    }
}
