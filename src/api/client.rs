//! The HAR registry API client: one pooled HTTP client per provider instance, the five
//! registry operations the provider needs, and the single retry loop they all go through.
//!
//! Works unchanged against the real service (`https://app.harness.io/gateway`) and
//! against har-local (`http://127.0.0.1:8787/gateway`): both serve `{endpoint}/har/api/v1`.

use std::fmt;
use std::sync::{Arc, Once};
use std::time::{Duration, Instant, SystemTime};

use reqwest::Method;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue, LOCATION, RETRY_AFTER};
use serde::de::DeserializeOwned;
use url::Url;

use crate::api::error::{Error, excerpt};
use crate::api::model::{
    Envelope, ErrorBody, ListRegistry, Registry, RegistryMetadata, RegistryRequest,
};
use crate::api::redact::Secrets;
use crate::api::refs::{RegistryRef, Scope};
use crate::api::retry::{self, Clock, RetryPolicy, SystemClock};
use crate::api::stop::StopSignal;

/// Sent on every request, so the service's logs can tell this provider apart.
pub const USER_AGENT: &str = concat!("terraform-provider-har/", env!("CARGO_PKG_VERSION"));

/// Where the API lives below the endpoint (docs/design/har-api.md §1.1).
const API_BASE: [&str; 3] = ["har", "api", "v1"];

/// Largest answer body read. A registry, or a page of 100 registries, is a few hundred KiB
/// at most; a body beyond this is not the API talking, and reading it whole would let a
/// server (or whatever sits at the endpoint) fill the provider's memory.
pub const MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

/// Redirects followed in one attempt (same origin, method-preserving only; see
/// [`redirect_policy`]).
const MAX_REDIRECTS: usize = 5;

/// What the client needs to talk to one HAR account.
#[derive(Clone)]
pub struct Config {
    /// e.g. `https://app.harness.io/gateway` or `http://127.0.0.1:8787/gateway`; a trailing
    /// `/` is fine.
    pub endpoint: String,
    /// Sent as `x-api-key`; never logged, redacted in `Debug`.
    pub api_key: String,
    /// The scope used when a create request names no `parentRef`.
    pub account_id: String,
    /// Time to establish a TCP (and TLS) connection.
    pub connect_timeout: Duration,
    /// Time for one attempt, from sending to the last byte of the answer.
    pub request_timeout: Duration,
    pub retry: RetryPolicy,
    /// Time and sleeping for the retry loop; tests replace it to skip real waits.
    pub clock: Arc<dyn Clock>,
    /// Raised on Terraform's StopProvider: no further retry waits (see `stop.rs`).
    pub stop: StopSignal,
}

impl Config {
    pub fn new(
        endpoint: impl Into<String>,
        api_key: impl Into<String>,
        account_id: impl Into<String>,
    ) -> Self {
        Config {
            endpoint: endpoint.into(),
            api_key: api_key.into(),
            account_id: account_id.into(),
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            clock: Arc::new(SystemClock),
            stop: StopSignal::new(),
        }
    }
}

/// Environment variables that tune the client without a provider attribute (CI runs and
/// fault tests want shorter waits than a user at a desk): durations in seconds, decimals
/// allowed.
pub const ENV_CONNECT_TIMEOUT: &str = "HAR_CLIENT_CONNECT_TIMEOUT";
pub const ENV_REQUEST_TIMEOUT: &str = "HAR_CLIENT_REQUEST_TIMEOUT";
pub const ENV_RETRY_BUDGET: &str = "HAR_CLIENT_RETRY_BUDGET";
pub const ENV_MAX_ATTEMPTS: &str = "HAR_CLIENT_MAX_ATTEMPTS";
pub const ENV_CONNECT_ATTEMPTS: &str = "HAR_CLIENT_CONNECT_ATTEMPTS";
/// Every `HAR_CLIENT_*` setting; each is documented in docs/index.md (a test checks).
pub const ENV_SETTINGS: [&str; 5] = [
    ENV_CONNECT_TIMEOUT,
    ENV_REQUEST_TIMEOUT,
    ENV_RETRY_BUDGET,
    ENV_MAX_ATTEMPTS,
    ENV_CONNECT_ATTEMPTS,
];

impl Config {
    /// Applies the `HAR_CLIENT_*` overrides found through `lookup` (normally
    /// `|k| std::env::var(k).ok()`); a value that does not parse is an error naming it.
    pub fn with_overrides(
        mut self,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, Error> {
        let seconds = |name: &str| -> Result<Option<Duration>, Error> {
            let Some(raw) = lookup(name) else {
                return Ok(None);
            };
            raw.trim()
                .parse::<f64>()
                .ok()
                .filter(|s| s.is_finite() && *s > 0.0 && *s < 1e9)
                .map(|s| Some(Duration::from_secs_f64(s)))
                .ok_or_else(|| {
                    Error::Invalid(format!(
                        "{name}={raw:?} is not a positive number of seconds"
                    ))
                })
        };
        if let Some(d) = seconds(ENV_CONNECT_TIMEOUT)? {
            self.connect_timeout = d;
        }
        if let Some(d) = seconds(ENV_REQUEST_TIMEOUT)? {
            self.request_timeout = d;
        }
        if let Some(d) = seconds(ENV_RETRY_BUDGET)? {
            self.retry.budget = d;
        }
        let attempts = |name: &str| -> Result<Option<u32>, Error> {
            let Some(raw) = lookup(name) else {
                return Ok(None);
            };
            raw.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n >= 1)
                .map(Some)
                .ok_or_else(|| {
                    Error::Invalid(format!(
                        "{name}={raw:?} is not a whole number of attempts (1 or more)"
                    ))
                })
        };
        if let Some(n) = attempts(ENV_MAX_ATTEMPTS)? {
            self.retry.max_attempts = n;
        }
        if let Some(n) = attempts(ENV_CONNECT_ATTEMPTS)? {
            self.retry.max_connect_attempts = n;
        }
        Ok(self)
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("endpoint", &self.endpoint)
            .field("api_key", &"<redacted>")
            .field("account_id", &self.account_id)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// How a delete ended; both are success for Terraform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deleted {
    /// This call deleted it.
    Now,
    /// It was not there (deleted out of band, or by an earlier attempt of this call whose
    /// answer was lost).
    AlreadyGone,
}

/// `scope` filter of the list call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListScope {
    /// Only the given scope (the server's default).
    None,
    /// The given scope and its parents.
    Ancestors,
    /// The given scope and its children.
    Descendants,
}

impl ListScope {
    pub fn as_str(self) -> &'static str {
        match self {
            ListScope::None => "none",
            ListScope::Ancestors => "ancestors",
            ListScope::Descendants => "descendants",
        }
    }
}

/// Filters and paging of `GET /spaces/{scope}/+/registries` (docs/design/har-api.md §2.4).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// Any of these package types (repeatable `package_type`).
    pub package_types: Vec<String>,
    /// `VIRTUAL` or `UPSTREAM`.
    pub registry_type: Option<String>,
    /// 0-based page.
    pub page: Option<u32>,
    pub size: Option<u32>,
    /// Substring of the identifier.
    pub search_term: Option<String>,
    pub scope: Option<ListScope>,
    /// `identifier`, `lastModified`, ...; `list_all_registries` defaults it to `identifier`
    /// so that paging is stable.
    pub sort_field: Option<String>,
    /// `ASC` or `DESC`.
    pub sort_order: Option<String>,
}

/// Page size `list_all_registries` asks for when the query names none.
const LIST_ALL_PAGE_SIZE: u32 = 100;
/// A server that never says "last page" must not keep us looping.
const LIST_ALL_MAX_PAGES: u32 = 10_000;

/// Every registry a listing query matches, one `page` call per page from `query.page`
/// (default 0): [`LIST_ALL_PAGE_SIZE`] a page and sorted by identifier unless the query says
/// otherwise, so that paging is stable. Shared by [`Client::list_all_registries`] and
/// callers that fetch pages through something else (the provider's account directory, whose
/// tests count pages).
pub async fn collect_registry_pages<F, Fut>(
    query: &ListQuery,
    mut page_of: F,
) -> Result<Vec<RegistryMetadata>, Error>
where
    F: FnMut(ListQuery) -> Fut,
    Fut: std::future::Future<Output = Result<ListRegistry, Error>>,
{
    let mut q = query.clone();
    let size = q.size.unwrap_or(LIST_ALL_PAGE_SIZE).max(1);
    q.size = Some(size);
    if q.sort_field.is_none() {
        q.sort_field = Some("identifier".into());
        q.sort_order.get_or_insert_with(|| "ASC".into());
    }
    let first = q.page.unwrap_or(0);
    let mut out = Vec::new();
    for page in first..first.saturating_add(LIST_ALL_MAX_PAGES) {
        q.page = Some(page);
        let list = page_of(q.clone()).await?;
        let n = list.registries.len();
        out.extend(list.registries);
        let last = if n == 0 {
            true
        } else if list.page_count > 0 {
            i64::from(page) + 1 >= list.page_count
        } else {
            n < size as usize
        };
        if last {
            break;
        }
    }
    Ok(out)
}

/// The HAR client. Cloning is cheap and shares the connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.inner.base.as_str())
            .field("account_id", &self.inner.account_id)
            .finish_non_exhaustive()
    }
}

#[derive(Clone)]
struct Inner {
    http: reqwest::Client,
    base: Url,
    /// Kept only to mask it in server text (`redact.rs`); sent through `http`'s headers.
    api_key: Arc<str>,
    account_id: String,
    request_timeout: Duration,
    retry: RetryPolicy,
    clock: Arc<dyn Clock>,
    stop: StopSignal,
}

/// A 2xx answer, body read in full, and the secrets to mask in any excerpt of it.
pub(super) struct Reply {
    pub(super) status: u16,
    pub(super) body: Vec<u8>,
    pub(super) secrets: Secrets,
}

/// What came back for one attempt, before it is judged.
struct Answer {
    status: u16,
    retry_after: Option<Duration>,
    /// `Location` of a redirect that was not followed, and the URL that answered it (not
    /// the one asked when a same-origin redirect was followed first).
    location: Option<String>,
    answered_by: Url,
    /// `None` when the body exceeded [`MAX_BODY_BYTES`] (the rest was not read).
    body: Option<Vec<u8>>,
}

/// A failed attempt and the server's `Retry-After`, if it gave one.
struct Failure {
    error: Error,
    retry_after: Option<Duration>,
}

/// What the retry loop learned besides the result.
pub(super) struct Trace {
    /// Some attempt's outcome is unknown: a write may have taken effect.
    pub(super) outcome_unknown: bool,
}

/// reqwest is built with `rustls-no-provider`, so a process-wide rustls crypto provider has
/// to exist before the first client is built. Another part of the process (tonic) may have
/// installed one already, which is just as good.
fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// `{endpoint}/har/api/v1`, tolerating a trailing `/`; only absolute http(s) URLs.
fn base_url(endpoint: &str) -> Result<Url, Error> {
    if let Some(problem) = crate::rules::http_url_problem(endpoint.trim()) {
        return Err(Error::Invalid(format!(
            "endpoint {endpoint:?} must be an http(s) URL with a host: {problem}"
        )));
    }
    let mut url = Url::parse(endpoint.trim())
        .map_err(|e| Error::Invalid(format!("endpoint {endpoint:?} is not a URL: {e}")))?;
    url.set_query(None);
    url.set_fragment(None);
    url.path_segments_mut()
        .map_err(|_| Error::Invalid(format!("endpoint {endpoint:?} cannot be a base URL")))?
        .pop_if_empty()
        .extend(API_BASE);
    Ok(url)
}

/// Redirects: follow a 307 or 308 that stays on the same origin (scheme, host and port);
/// stop at any other, so that [`classify`] turns it into [`Error::Redirect`] naming the
/// `Location`. Another origin would receive the `x-api-key` header (reqwest strips only
/// the standard credential headers) and the body with its inline access keys; a 301, 302
/// or 303 would turn a POST or PUT into a body-less GET. A same-origin 307/308 sends the
/// same request to the server that already has it, so following it costs nothing (a
/// reverse proxy normalising a path is the usual reason for one).
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .last()
            .is_some_and(|from| from.origin() == attempt.url().origin());
        let keeps_method = matches!(attempt.status().as_u16(), 307 | 308);
        // `previous` includes the first URL, so its length is the redirects taken plus one.
        if same_origin && keeps_method && attempt.previous().len() <= MAX_REDIRECTS {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

impl Client {
    /// The same client (and connection pool) with retries a stop does not cut short: for
    /// reading back what an interrupted write did, so that a registry it created is found
    /// and recorded rather than left on the server unknown to the state.
    pub fn ignoring_stop(&self) -> Client {
        Client {
            inner: Arc::new(Inner {
                stop: StopSignal::new(),
                ..(*self.inner).clone()
            }),
        }
    }

    pub fn new(config: Config) -> Result<Client, Error> {
        install_crypto_provider();
        let base = base_url(&config.endpoint)?;
        let mut key = HeaderValue::from_str(&config.api_key).map_err(|_| {
            Error::Invalid("the API key contains characters a header cannot carry".into())
        })?;
        // Keeps the key out of hyper's and reqwest's own debug output.
        key.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert("x-api-key", key);
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let mut builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .default_headers(headers)
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .redirect(redirect_policy());
        // `HTTPS_PROXY` and friends are honoured for the real service, but a local server
        // (har-local in CI) must never be sent through a proxy that cannot reach it.
        if is_loopback(&base) {
            builder = builder.no_proxy();
        }
        let http = builder
            .build()
            .map_err(|e| Error::Invalid(format!("could not build the HTTP client: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                api_key: config.api_key.into(),
                account_id: config.account_id,
                request_timeout: config.request_timeout,
                retry: config.retry,
                clock: config.clock,
                stop: config.stop,
            }),
        })
    }

    /// `{endpoint}/har/api/v1`.
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    pub fn account_id(&self) -> &str {
        &self.inner.account_id
    }

    /// `POST /registry?space_ref=<scope>`, the scope being `req.parent_ref` (the account
    /// when absent; it is also put into the body, which is what the OSS server reads).
    ///
    /// When an attempt's outcome was unknown (its answer was lost) and a later attempt is
    /// told the identifier is "already defined", the answer is
    /// [`Error::ExistsAfterLostAnswer`]: whether the earlier attempt created it is for the
    /// caller to decide, by reading it back and comparing it with what it sent.
    pub async fn create_registry(&self, req: &RegistryRequest) -> Result<Registry, Error> {
        let scope = match &req.parent_ref {
            Some(p) => {
                Scope::parse(p).map_err(|e| Error::Invalid(format!("parentRef {p:?}: {e}")))?
            }
            None => Scope::parse(&self.inner.account_id).map_err(|e| {
                Error::Invalid(format!("account id {:?}: {e}", self.inner.account_id))
            })?,
        };
        let mut body = req.clone();
        body.parent_ref = Some(scope.to_string());
        let mut url = self.url(&["registry"]);
        url.query_pairs_mut()
            .append_pair("space_ref", &scope.to_string());
        let json = to_json(&body)?;
        let (result, trace) = self.call(Method::POST, url, Some(json)).await;
        match result {
            Ok(reply) => decode(reply),
            // The identifier is taken, but an earlier attempt may have taken it: the caller
            // reads it back and compares it with what it sent.
            Err(Error::Rejected { status, message })
                if trace.outcome_unknown && is_already_defined_message(status, &message) =>
            {
                Err(Error::ExistsAfterLostAnswer { status, message })
            }
            Err(err) => Err(err),
        }
    }

    /// `GET /registry/{ref}/+`; `None` when the registry does not exist (404, or a 400
    /// saying "not found", e.g. for a scope that is gone).
    pub async fn get_registry(&self, reg: &RegistryRef) -> Result<Option<Registry>, Error> {
        let (result, _) = self.call(Method::GET, self.registry_url(reg), None).await;
        match result {
            Ok(reply) => decode(reply).map(Some),
            Err(err) if is_absent(&err) => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// `PUT /registry/{ref}/+` with the whole registry (PUT replaces, docs/design/har-api.md §3.4).
    /// A registry that does not exist is [`Error::NotFound`] (the OSS server answers 400
    /// "registry not found: ..." here, docs/design/har-api.md §2.5).
    pub async fn update_registry(
        &self,
        reg: &RegistryRef,
        req: &RegistryRequest,
    ) -> Result<Registry, Error> {
        let json = to_json(req)?;
        let url = self.registry_url(reg);
        let (result, _) = self.call(Method::PUT, url.clone(), Some(json)).await;
        match result {
            Ok(reply) => decode(reply),
            Err(err) => Err(as_not_found(err, &url)),
        }
    }

    /// `DELETE /registry/{ref}/+`. A registry that is not there counts as deleted (404, or
    /// the OSS server's 400 "registry not found: ..."; docs/design/har-api.md §2.5, §6); the answer says
    /// which case it was.
    pub async fn delete_registry(&self, reg: &RegistryRef) -> Result<Deleted, Error> {
        let (result, _) = self
            .call(Method::DELETE, self.registry_url(reg), None)
            .await;
        match result {
            Ok(_) => Ok(Deleted::Now),
            Err(err) if is_absent(&err) => Ok(Deleted::AlreadyGone),
            Err(err) => Err(as_in_use(err)),
        }
    }

    /// One page of `GET /spaces/{scope}/+/registries`.
    pub async fn list_registries(
        &self,
        scope: &Scope,
        query: &ListQuery,
    ) -> Result<ListRegistry, Error> {
        let mut url = self.scope_url(scope, "registries");
        {
            let mut q = url.query_pairs_mut();
            for pt in &query.package_types {
                q.append_pair("package_type", pt);
            }
            let optional = [
                ("type", query.registry_type.clone()),
                ("page", query.page.map(|p| p.to_string())),
                ("size", query.size.map(|s| s.to_string())),
                ("search_term", query.search_term.clone()),
                ("scope", query.scope.map(|s| s.as_str().to_string())),
                ("sort_field", query.sort_field.clone()),
                ("sort_order", query.sort_order.clone()),
            ];
            for (name, value) in optional {
                if let Some(v) = value {
                    q.append_pair(name, &v);
                }
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        let (result, _) = self.call(Method::GET, url, None).await;
        decode(result?)
    }

    /// Every registry the query matches, following pages from `query.page` (default 0).
    pub async fn list_all_registries(
        &self,
        scope: &Scope,
        query: &ListQuery,
    ) -> Result<Vec<RegistryMetadata>, Error> {
        collect_registry_pages(
            query,
            |q| async move { self.list_registries(scope, &q).await },
        )
        .await
    }

    /// One call through the retry loop, for the API's other modules (`metadata.rs`): the
    /// status and body of a 2xx answer, or the error.
    pub(super) async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<Vec<u8>>,
    ) -> Result<(u16, Vec<u8>), Error> {
        self.call(method, url, body)
            .await
            .0
            .map(|r| (r.status, r.body))
    }

    pub(super) fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.inner.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            // Each segment is percent-encoded, so a `/` inside one cannot add a level.
            path.extend(segments);
        }
        url
    }

    /// `/registry/<account>[/<org>[/<project>]]/<identifier>/+`: the form the official SDK
    /// uses (docs/design/har-api.md §1.4).
    fn registry_url(&self, reg: &RegistryRef) -> Url {
        let mut segments = vec!["registry"];
        segments.extend(scope_segments(&reg.scope));
        segments.push(&reg.identifier);
        segments.push("+");
        self.url(&segments)
    }

    /// `/spaces/<scope>/+/<tail>`.
    fn scope_url(&self, scope: &Scope, tail: &str) -> Url {
        let mut segments = vec!["spaces"];
        segments.extend(scope_segments(scope));
        segments.push("+");
        segments.push(tail);
        self.url(&segments)
    }

    /// The retry loop, the only one: sends `body` to `url` until an attempt succeeds, fails
    /// in a way retrying cannot fix, or the policy (attempts, budget) says stop.
    pub(super) async fn call(
        &self,
        method: Method,
        url: Url,
        body: Option<Vec<u8>>,
    ) -> (Result<Reply, Error>, Trace) {
        let inner = &self.inner;
        let path = url
            .path()
            .strip_prefix(inner.base.path())
            .unwrap_or(url.path())
            .to_string();
        let started = inner.clock.now();
        let mut trace = Trace {
            outcome_unknown: false,
        };
        let secrets = Secrets::new(&inner.api_key, body.as_deref());
        let mut connect_failures: u32 = 0;
        let mut attempt: u32 = 1;
        loop {
            let elapsed = inner.clock.now().saturating_duration_since(started);
            let timeout = inner
                .request_timeout
                .min(inner.retry.budget.saturating_sub(elapsed))
                .max(Duration::from_millis(1));
            let t0 = Instant::now();
            let result = self
                .attempt(&method, &url, body.as_deref(), timeout, &secrets)
                .await;
            let duration_ms = t0.elapsed().as_millis() as u64;
            let failure = match result {
                Ok(reply) => {
                    tracing::debug!(%method, %path, status = reply.status, duration_ms, attempt, "HAR API call");
                    return (Ok(reply), trace);
                }
                Err(failure) => failure,
            };
            tracing::debug!(
                %method, %path, status = failure.error.status(), duration_ms, attempt,
                error = %failure.error, "HAR API call failed"
            );
            trace.outcome_unknown |= retry::outcome_unknown(&failure.error);
            if !retry::is_retryable(&failure.error) {
                return (Err(failure.error), trace);
            }
            if matches!(failure.error, Error::Connect { .. }) {
                connect_failures += 1;
            }
            let elapsed = inner.clock.now().saturating_duration_since(started);
            let jitter: f64 = rand::random();
            let delay = if connect_failures >= inner.retry.max_connect_attempts {
                None
            } else {
                inner
                    .retry
                    .delay_before(attempt + 1, elapsed, failure.retry_after, jitter)
            };
            match delay {
                Some(delay) => {
                    tracing::debug!(%method, %path, attempt, delay_ms = delay.as_millis() as u64, "retrying HAR API call");
                    let stopped = tokio::select! {
                        // A stop already raised wins over a wait that is already over.
                        biased;
                        _ = inner.stop.raised() => true,
                        _ = inner.clock.sleep(delay) => false,
                    };
                    if stopped {
                        tracing::info!(%method, %path, attempt, "not retrying: Terraform asked the provider to stop");
                        let error = Error::Stopped {
                            operation: format!("{method} {path}"),
                            attempts: attempt,
                            outcome_unknown: trace.outcome_unknown,
                            last: Box::new(failure.error),
                        };
                        return (Err(error), trace);
                    }
                    attempt += 1;
                }
                None => {
                    let error = Error::BudgetSpent {
                        operation: format!("{method} {path}"),
                        attempts: attempt,
                        elapsed,
                        outcome_unknown: trace.outcome_unknown,
                        last: Box::new(failure.error),
                    };
                    return (Err(error), trace);
                }
            }
        }
    }

    /// One attempt: send, read the answer (up to [`MAX_BODY_BYTES`]) within `timeout`,
    /// classify it.
    async fn attempt(
        &self,
        method: &Method,
        url: &Url,
        body: Option<&[u8]>,
        timeout: Duration,
        secrets: &Secrets,
    ) -> Result<Reply, Failure> {
        let mut request = self
            .inner
            .http
            .request(method.clone(), url.clone())
            .timeout(timeout);
        if let Some(body) = body {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(body.to_vec());
        }
        let exchange = async {
            let mut response = request.send().await?;
            let status = response.status().as_u16();
            let header = |name| {
                response
                    .headers()
                    .get(name)
                    .map(|v: &HeaderValue| String::from_utf8_lossy(v.as_bytes()).into_owned())
            };
            let retry_after =
                header(RETRY_AFTER).and_then(|v| retry::parse_retry_after(&v, SystemTime::now()));
            let location = header(LOCATION);
            let answered_by = response.url().clone();
            let body = read_capped(&mut response).await?;
            Ok::<_, reqwest::Error>(Answer {
                status,
                retry_after,
                location,
                answered_by,
                body,
            })
        };
        let fail = |error| Failure {
            error,
            retry_after: None,
        };
        match tokio::time::timeout(timeout, exchange).await {
            Err(_) => Err(fail(Error::Timeout { after: timeout })),
            // Before the timeout check: a connect that timed out sent nothing.
            Ok(Err(e)) if e.is_connect() => Err(fail(Error::Connect {
                url: url.to_string(),
                message: secrets.redact(&connect_reason(e)),
            })),
            Ok(Err(e)) if e.is_timeout() => Err(fail(Error::Timeout { after: timeout })),
            Ok(Err(e)) => Err(fail(Error::Transport {
                message: secrets.redact(&error_chain(&e.without_url())),
            })),
            Ok(Ok(answer)) => classify(answer, url, &self.inner.account_id, secrets),
        }
    }
}

/// The body, or `None` once it exceeds [`MAX_BODY_BYTES`]: a declared length over the cap
/// is refused unread, and a streamed body is read chunk by chunk and dropped at the cap, so
/// memory stays bounded by the cap plus one chunk.
async fn read_capped(response: &mut reqwest::Response) -> Result<Option<Vec<u8>>, reqwest::Error> {
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BODY_BYTES)
    {
        return Ok(None);
    }
    let capacity = response.content_length().unwrap_or(0).min(MAX_BODY_BYTES);
    let mut body = Vec::with_capacity(capacity as usize);
    while let Some(chunk) = response.chunk().await? {
        if (body.len() + chunk.len()) as u64 > MAX_BODY_BYTES {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}

pub(super) fn scope_segments(scope: &Scope) -> Vec<&str> {
    let mut out = vec![scope.account.as_str()];
    out.extend(scope.org.as_deref());
    out.extend(scope.project.as_deref());
    out
}

/// Turns an answer into the reply or its error, keeping the server's message with the
/// request's secrets masked. `url` is the URL asked, `account` the client's account.
fn classify(answer: Answer, url: &Url, account: &str, secrets: &Secrets) -> Result<Reply, Failure> {
    let Answer {
        status,
        retry_after,
        location,
        answered_by,
        body,
    } = answer;
    let fail = |error| Err(Failure { error, retry_after });
    let Some(body) = body else {
        return fail(Error::TooLarge {
            status,
            limit: MAX_BODY_BYTES,
        });
    };
    if (200..300).contains(&status) {
        return Ok(Reply {
            status,
            body,
            secrets: secrets.clone(),
        });
    }
    if (300..400).contains(&status)
        && let Some(location) = location
    {
        return fail(Error::Redirect {
            status,
            url: answered_by.to_string(),
            reason: redirect_refusal(status, &answered_by, &location).into(),
            location: secrets.redact(&location),
        });
    }
    let message = error_message(status, &body, secrets);
    let error = match status {
        404 => Error::NotFound {
            status,
            message,
            url: url.to_string(),
        },
        401 => Error::Unauthorized { status, message },
        403 => Error::Forbidden {
            account: account.to_string(),
            message,
        },
        429 => Error::Throttled { message },
        500..=599 => Error::Server { status, message },
        _ => Error::Rejected { status, message },
    };
    fail(error)
}

/// Why a redirect was not followed (see [`redirect_policy`]).
fn redirect_refusal(status: u16, from: &Url, location: &str) -> &'static str {
    match from.join(location) {
        Ok(to) if to.origin() != from.origin() => {
            "it leads to another scheme, host or port, which would receive the API key and \
             the request body"
        }
        Ok(_) if matches!(status, 307 | 308) => "too many redirects",
        Ok(_) => "a 301, 302 or 303 would turn the request into a GET without its body",
        Err(_) => "the Location is not a URL",
    }
}

/// `{"code","message"}` when the body is one (docs/design/har-api.md §2.5), else the text of the body
/// (the OSS server answers some errors in text/plain), else the status's reason. Secrets
/// are masked before the text is cut short, so no part of one survives the cut.
fn error_message(status: u16, body: &[u8], secrets: &Secrets) -> String {
    if let Ok(err) = serde_json::from_slice::<ErrorBody>(body)
        && !err.message.trim().is_empty()
    {
        return secrets.redact(&err.message);
    }
    let text = excerpt(secrets.redact(&String::from_utf8_lossy(body)).as_bytes());
    if !text.is_empty() {
        return text;
    }
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("no message")
        .to_string()
}

/// What a failed connect means, in words a user can act on, with the transport's own
/// account after it.
fn connect_reason(e: reqwest::Error) -> String {
    let refused = {
        let mut source = std::error::Error::source(&e);
        let mut found = false;
        while let Some(s) = source {
            if let Some(io) = s.downcast_ref::<std::io::Error>() {
                found |= io.kind() == std::io::ErrorKind::ConnectionRefused;
            }
            source = s.source();
        }
        found
    };
    let timed_out = e.is_timeout();
    let detail = error_chain(&e.without_url());
    let summary = if refused {
        "connection refused: nothing is listening at that host and port (is the server running?)"
    } else if detail.contains("dns error") {
        "unknown host: the name did not resolve"
    } else if timed_out {
        "no answer to the connection attempt within the connect timeout"
    } else {
        "the connection could not be made"
    };
    format!("{summary} ({detail})")
}

/// reqwest's Display hides the cause ("error sending request"); the chain says what broke.
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

pub(super) fn to_json<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(value).map_err(|e| Error::Invalid(format!("could not encode the body: {e}")))
}

pub(super) fn decode<T: DeserializeOwned>(reply: Reply) -> Result<T, Error> {
    let bad = |reason: String| Error::Decode {
        status: reply.status,
        reason: reply.secrets.redact(&reason),
        excerpt: excerpt(
            reply
                .secrets
                .redact(&String::from_utf8_lossy(&reply.body))
                .as_bytes(),
        ),
    };
    let envelope: Envelope<T> =
        serde_json::from_slice(&reply.body).map_err(|e| bad(e.to_string()))?;
    envelope
        .data
        .ok_or_else(|| bad("the envelope has no `data`".into()))
}

/// The registry is not there: 404, or a 400 whose message says "not found" (the OSS
/// server's answer to PUT/DELETE of an unknown registry, and to a scope that is gone).
pub(super) fn is_absent(err: &Error) -> bool {
    match err {
        Error::NotFound { .. } => true,
        Error::Rejected { status, message } => says_not_found(*status, message),
        _ => false,
    }
}

fn says_not_found(status: u16, message: &str) -> bool {
    status == 400 && message.to_ascii_lowercase().contains("not found")
}

pub(super) fn as_not_found(err: Error, url: &Url) -> Error {
    match err {
        Error::Rejected { status, message } if says_not_found(status, &message) => {
            Error::NotFound {
                status,
                message,
                url: url.to_string(),
            }
        }
        other => other,
    }
}

/// The OSS server's refusal to delete an upstream proxy a registry still lists:
/// "upstream Proxy: [x] is being used inside Registry: [v]".
fn as_in_use(err: Error) -> Error {
    match err {
        Error::Rejected { status, message }
            if message.contains("is being used") || message.contains("used inside") =>
        {
            Error::InUse { status, message }
        }
        other => other,
    }
}

/// The answer to creating an identifier that is taken (400 "registry 'X' is already
/// defined under '...'"; a 409 "already exists" is accepted too).
fn is_already_defined_message(status: u16, message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    matches!(status, 400 | 409) && (m.contains("already defined") || m.contains("already exists"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_tolerates_a_trailing_slash() {
        for e in [
            "http://127.0.0.1:8787/gateway",
            "http://127.0.0.1:8787/gateway/",
        ] {
            assert_eq!(
                base_url(e).unwrap().as_str(),
                "http://127.0.0.1:8787/gateway/har/api/v1"
            );
        }
        assert_eq!(
            base_url("https://app.harness.io").unwrap().as_str(),
            "https://app.harness.io/har/api/v1"
        );
    }

    #[test]
    fn loopback_endpoints_are_recognised() {
        for (e, want) in [
            ("http://127.0.0.1:8787/gateway", true),
            ("http://localhost:8787/gateway", true),
            ("http://[::1]:8787/gateway", true),
            ("https://app.harness.io/gateway", false),
        ] {
            assert_eq!(is_loopback(&base_url(e).unwrap()), want, "{e}");
        }
    }

    #[test]
    fn base_url_refuses_what_is_not_http() {
        for e in [
            "ftp://x/gateway",
            "app.harness.io/gateway",
            "",
            "mailto:a@b",
        ] {
            assert!(matches!(base_url(e), Err(Error::Invalid(_))), "{e:?}");
        }
    }

    #[test]
    fn error_message_prefers_the_json_message() {
        let none = Secrets::default();
        let body = br#"{"code":"400","message":"invalid package type: FOO"}"#;
        assert_eq!(error_message(400, body, &none), "invalid package type: FOO");
        assert_eq!(
            error_message(400, b"can't decode JSON body: eof\n", &none),
            "can't decode JSON body: eof"
        );
        assert_eq!(error_message(503, b"", &none), "Service Unavailable");
    }

    #[test]
    fn error_messages_mask_the_secrets_before_cutting() {
        let key = "pat.secret.key";
        let secrets = Secrets::new(key, Some(br#"{"auth":{"accessKey":"AKIAINLINE"}}"#));
        let json = format!(r#"{{"code":"400","message":"bad key {key} for AKIAINLINE"}}"#);
        assert_eq!(
            error_message(400, json.as_bytes(), &secrets),
            "bad key *** for ***"
        );
        // The key straddles the excerpt's cut: masked first, nothing of it is left.
        let page = format!(
            "{}{key}",
            "x".repeat(super::super::error::EXCERPT_CHARS - 4)
        );
        let text = error_message(502, page.as_bytes(), &secrets);
        assert!(!text.contains("pat."), "{text}");
    }

    #[test]
    fn redirects_are_refused_for_a_reason() {
        let from = Url::parse("http://127.0.0.1:8787/gateway/har/api/v1/registry").unwrap();
        for (status, location, reason) in [
            (
                307,
                "http://127.0.0.1:9999/x",
                "another scheme, host or port",
            ),
            (
                308,
                "https://127.0.0.1:8787/x",
                "another scheme, host or port",
            ),
            (
                307,
                "http://localhost:8787/x",
                "another scheme, host or port",
            ),
            (302, "/gateway/other", "turn the request into a GET"),
            (307, "/gateway/loop", "too many redirects"),
        ] {
            let why = redirect_refusal(status, &from, location);
            assert!(why.contains(reason), "{status} {location}: {why}");
        }
    }

    #[test]
    fn not_found_400s_count_as_absent() {
        let rejected = |m: &str| Error::Rejected {
            status: 400,
            message: m.into(),
        };
        assert!(is_absent(&rejected("registry not found: acct/x")));
        assert!(!is_absent(&rejected(
            "upstream Proxy: [x] is being used inside Registry: [v]"
        )));
        assert!(matches!(
            as_not_found(
                rejected("registry not found: a/b"),
                &Url::parse("http://h/gateway/har/api/v1/registry/a/b/+").unwrap()
            ),
            Error::NotFound { status: 400, .. }
        ));
    }

    #[test]
    fn overrides_tune_timeouts_and_retries() {
        let env = |k: &str| match k {
            ENV_REQUEST_TIMEOUT => Some("0.5".to_string()),
            ENV_RETRY_BUDGET => Some("20".to_string()),
            ENV_MAX_ATTEMPTS => Some("3".to_string()),
            ENV_CONNECT_ATTEMPTS => Some("1".to_string()),
            _ => None,
        };
        let c = Config::new("http://x/gateway", "k", "a")
            .with_overrides(env)
            .unwrap();
        assert_eq!(c.request_timeout, Duration::from_millis(500));
        assert_eq!(c.connect_timeout, Duration::from_secs(10));
        assert_eq!(c.retry.budget, Duration::from_secs(20));
        assert_eq!(c.retry.max_attempts, 3);
        assert_eq!(c.retry.max_connect_attempts, 1);
        for (k, v) in [
            (ENV_CONNECT_TIMEOUT, "soon"),
            (ENV_REQUEST_TIMEOUT, "-1"),
            (ENV_MAX_ATTEMPTS, "0"),
            (ENV_CONNECT_ATTEMPTS, "two"),
        ] {
            let r = Config::new("http://x/gateway", "k", "a")
                .with_overrides(|name| (name == k).then(|| v.to_string()));
            match r {
                Err(Error::Invalid(m)) => assert!(m.contains(k), "{m}"),
                other => panic!("{k}={v}: {other:?}"),
            }
        }
    }

    #[test]
    fn every_setting_is_documented() {
        let docs = include_str!("../../docs/index.md");
        for name in ENV_SETTINGS {
            assert!(
                docs.contains(&format!("| `{name}` |")),
                "{name} is not in the docs/index.md table"
            );
        }
        let mentioned = docs.matches("| `HAR_CLIENT_").count();
        assert_eq!(
            mentioned,
            ENV_SETTINGS.len(),
            "a documented setting does not exist"
        );
    }

    #[test]
    fn config_debug_redacts_the_key() {
        let c = Config::new("http://127.0.0.1:1/gateway", "pat.secret.value", "acct");
        let text = format!("{c:?}");
        assert!(!text.contains("pat.secret.value"), "{text}");
        assert!(text.contains("<redacted>"));
    }
}
