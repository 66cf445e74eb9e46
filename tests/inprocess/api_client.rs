//! The HAR client against a scripted fake HTTP server on 127.0.0.1: retries (429 with
//! Retry-After, 503, dropped and reset connections, slow answers), the lost-answer create
//! adoption, the time budget, not-found handling, error messages, headers, ref paths and
//! paging. The fake clock skips the retry waits (and records them), so the file runs in
//! about a second.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use terraform_provider_har::api::model::{
    RegistryConfig, RegistryRequest, UpstreamConfig, VirtualConfig,
};
use terraform_provider_har::api::refs::{RegistryRef, Scope};
use terraform_provider_har::api::retry::Clock;
use terraform_provider_har::api::{
    Client, Config, Deleted, Error, ListQuery, ListScope, RetryPolicy, StopSignal,
};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

const KEY: &str = "pat.test.secret";

// ---------------------------------------------------------------- the fake server

#[derive(Debug, Clone)]
enum Action {
    /// Answer with this status, extra headers and body.
    Respond {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: String,
    },
    /// Read the request, then close the connection without answering: the server may have
    /// acted, the client cannot know.
    Drop,
    /// Read the request, then reset the connection (RST).
    Reset,
    /// Wait, then act.
    Delay(Duration, Box<Action>),
    /// Answer with this status and an HTML page echoing the request's headers and body,
    /// as some gateways' error pages do.
    Echo(u16),
    /// Answer 200 with `total` bytes of JSON-ish filler in 64 KiB writes (declaring the
    /// length when `declared`, else until the connection closes); `written` counts the
    /// bytes the client took before it stopped reading.
    Stream {
        total: u64,
        declared: bool,
        written: Arc<std::sync::atomic::AtomicU64>,
    },
}

fn respond(status: u16, body: Value) -> Action {
    Action::Respond {
        status,
        headers: vec![],
        body: body.to_string(),
    }
}

fn respond_text(status: u16, body: &str) -> Action {
    Action::Respond {
        status,
        headers: vec![("content-type", "text/plain".into())],
        body: body.into(),
    }
}

fn error(status: u16, message: &str) -> Action {
    respond(
        status,
        json!({"code": status.to_string(), "message": message}),
    )
}

#[derive(Debug, Clone)]
struct Seen {
    method: String,
    /// Path and query, exactly as sent.
    target: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
    fn line(&self) -> String {
        format!("{} {}", self.method, self.target)
    }
}

struct Fake {
    endpoint: String,
    script: Arc<Mutex<VecDeque<Action>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Fake {
    async fn start(script: Vec<Action>) -> Fake {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (s, l) = (script.clone(), seen.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve_connection(stream, s.clone(), l.clone()));
            }
        });
        Fake {
            endpoint: format!("http://{addr}/gateway"),
            script,
            seen,
        }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn lines(&self) -> Vec<String> {
        self.seen().iter().map(Seen::line).collect()
    }

    /// Every request carried the key and the user agent, and the whole script was used.
    fn check_common(&self) {
        let seen = self.seen();
        assert!(!seen.is_empty());
        for s in &seen {
            assert_eq!(s.header("x-api-key"), [KEY], "{}", s.line());
            let ua = s.header("user-agent");
            assert_eq!(ua.len(), 1, "{}", s.line());
            assert!(
                ua[0].starts_with("terraform-provider-har/"),
                "{}: {ua:?}",
                s.line()
            );
        }
        assert!(
            self.script.lock().unwrap().is_empty(),
            "script not used up; requests: {:?}",
            self.lines()
        );
    }
}

async fn serve_connection(
    stream: TcpStream,
    script: Arc<Mutex<VecDeque<Action>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
) {
    let mut reader = BufReader::new(stream);
    loop {
        let Some(request) = read_request(&mut reader).await else {
            return;
        };
        seen.lock().unwrap().push(request.clone());
        let action = script
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| error(500, "the test script has no more answers"));
        if !act(action, &request, &mut reader).await {
            return;
        }
    }
}

/// Performs an action; false when the connection is finished.
fn act<'a>(
    action: Action,
    request: &'a Seen,
    reader: &'a mut BufReader<TcpStream>,
) -> Pin<Box<dyn Future<Output = bool> + Send + 'a>> {
    Box::pin(async move {
        match action {
            Action::Respond {
                status,
                headers,
                body,
            } => {
                let mut head = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
                if !headers.iter().any(|(n, _)| *n == "content-type") {
                    head.push_str("content-type: application/json\r\n");
                }
                for (n, v) in headers {
                    head.push_str(&format!("{n}: {v}\r\n"));
                }
                head.push_str("\r\n");
                let stream = reader.get_mut();
                stream.write_all(head.as_bytes()).await.is_ok()
                    && stream.write_all(body.as_bytes()).await.is_ok()
            }
            Action::Drop => false,
            Action::Reset => {
                let _ = reader.get_ref().set_zero_linger();
                false
            }
            Action::Delay(d, then) => {
                tokio::time::sleep(d).await;
                act(*then, request, reader).await
            }
            Action::Echo(status) => {
                let mut page = format!(
                    "<html><body><h1>Bad request</h1><pre>{} {}\n",
                    request.method, request.target
                );
                for (n, v) in &request.headers {
                    page.push_str(&format!("{n}: {v}\n"));
                }
                page.push_str(&format!("\n{}</pre></body></html>", request.body));
                let answer = Action::Respond {
                    status,
                    headers: vec![("content-type", "text/html".into())],
                    body: page,
                };
                act(answer, request, reader).await
            }
            Action::Stream {
                total,
                declared,
                written,
            } => {
                let length = if declared {
                    format!("content-length: {total}\r\n")
                } else {
                    "connection: close\r\n".to_string()
                };
                let head =
                    format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{length}\r\n");
                let stream = reader.get_mut();
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return false;
                }
                let chunk = vec![b' '; 64 * 1024];
                let mut sent = 0u64;
                while sent < total {
                    let n = chunk.len().min((total - sent) as usize);
                    if stream.write_all(&chunk[..n]).await.is_err() {
                        break;
                    }
                    sent += n as u64;
                    written.store(sent, std::sync::atomic::Ordering::SeqCst);
                }
                false
            }
        }
    })
}

async fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Seen> {
    let mut line = String::new();
    if reader.read_line(&mut line).await.ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).await.ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (n, v) = h.split_once(':')?;
        headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
    }
    let len: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).await.ok()?;
    Some(Seen {
        method,
        target,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

// ---------------------------------------------------------------- client set-up

/// Time that jumps forward on `sleep` instead of waiting; the waits are recorded.
#[derive(Debug, Default)]
struct FakeClock {
    skipped: Mutex<Duration>,
    sleeps: Mutex<Vec<Duration>>,
}

impl Clock for FakeClock {
    fn now(&self) -> Instant {
        Instant::now() + *self.skipped.lock().unwrap()
    }
    fn sleep(&self, d: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        *self.skipped.lock().unwrap() += d;
        self.sleeps.lock().unwrap().push(d);
        Box::pin(async {})
    }
}

impl FakeClock {
    fn sleeps(&self) -> Vec<Duration> {
        self.sleeps.lock().unwrap().clone()
    }
}

fn config(fake: &Fake, clock: &Arc<FakeClock>) -> Config {
    let mut c = Config::new(&fake.endpoint, KEY, "acct");
    c.request_timeout = Duration::from_millis(400);
    c.connect_timeout = Duration::from_millis(400);
    c.retry = RetryPolicy {
        max_attempts: 5,
        max_connect_attempts: 3,
        initial_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_secs(2),
        budget: Duration::from_secs(60),
    };
    c.clock = clock.clone();
    c
}

async fn setup(script: Vec<Action>) -> (Fake, Client, Arc<FakeClock>) {
    let fake = Fake::start(script).await;
    let clock = Arc::new(FakeClock::default());
    let client = Client::new(config(&fake, &clock)).unwrap();
    (fake, client, clock)
}

fn reg_ref(s: &str) -> RegistryRef {
    RegistryRef::parse(s).unwrap()
}

fn registry_json(identifier: &str, package_type: &str, kind: &str) -> Value {
    let config = if kind == "VIRTUAL" {
        json!({"type": "VIRTUAL", "upstreamProxies": []})
    } else {
        json!({"type": "UPSTREAM", "authType": "Anonymous", "auth": null,
               "source": "Dockerhub", "url": ""})
    };
    json!({"status": "SUCCESS", "data": {
        "identifier": identifier, "uuid": "u-1", "packageType": package_type,
        "description": "", "url": "", "labels": null, "allowedPattern": null,
        "blockedPattern": null, "createdAt": "1724251211000", "modifiedAt": "1724251211000",
        "isPublic": false, "config": config}})
}

fn ok_registry(identifier: &str) -> Action {
    respond(200, registry_json(identifier, "DOCKER", "VIRTUAL"))
}

fn virtual_request(identifier: &str, parent: &str) -> RegistryRequest {
    RegistryRequest {
        identifier: identifier.into(),
        package_type: "DOCKER".into(),
        parent_ref: Some(parent.into()),
        description: Some("images".into()),
        config: Some(RegistryConfig::Virtual(VirtualConfig {
            upstream_proxies: vec!["dockerhub".into()],
            ..Default::default()
        })),
        ..Default::default()
    }
}

const GET_DOCKER: &str = "GET /gateway/har/api/v1/registry/acct/docker/+";

// ---------------------------------------------------------------- retries

#[tokio::test]
async fn throttled_429_waits_what_retry_after_says_then_succeeds() {
    let throttled = Action::Respond {
        status: 429,
        headers: vec![("retry-after", "3".into())],
        body: json!({"code": "429", "message": "slow down"}).to_string(),
    };
    let (fake, client, clock) = setup(vec![throttled, ok_registry("docker")]).await;
    let reg = client.get_registry(&reg_ref("acct/docker")).await.unwrap();
    assert_eq!(reg.unwrap().identifier, "docker");
    assert_eq!(clock.sleeps(), [Duration::from_secs(3)]);
    assert_eq!(fake.lines(), [GET_DOCKER, GET_DOCKER]);
    fake.check_common();
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let when = std::time::SystemTime::now() + Duration::from_secs(30);
    let throttled = Action::Respond {
        status: 503,
        headers: vec![("retry-after", httpdate::fmt_http_date(when))],
        body: String::new(),
    };
    let (fake, client, clock) = setup(vec![throttled, ok_registry("docker")]).await;
    client.get_registry(&reg_ref("acct/docker")).await.unwrap();
    let sleeps = clock.sleeps();
    assert_eq!(sleeps.len(), 1);
    // The date has a one-second resolution and some time passed since it was made.
    assert!(
        sleeps[0] >= Duration::from_secs(27) && sleeps[0] <= Duration::from_secs(30),
        "{sleeps:?}"
    );
    fake.check_common();
}

#[tokio::test]
async fn two_503s_then_success_backs_off_within_the_ceilings() {
    let (fake, client, clock) = setup(vec![
        error(503, "unavailable"),
        error(503, "unavailable"),
        ok_registry("docker"),
    ])
    .await;
    let reg = client.get_registry(&reg_ref("acct/docker")).await.unwrap();
    assert!(reg.is_some());
    let sleeps = clock.sleeps();
    assert_eq!(sleeps.len(), 2);
    assert!(sleeps[0] <= Duration::from_millis(100), "{sleeps:?}");
    assert!(sleeps[1] <= Duration::from_millis(200), "{sleeps:?}");
    assert_eq!(fake.lines().len(), 3);
    fake.check_common();
}

#[tokio::test]
async fn dropped_and_reset_connections_are_retried() {
    let (fake, client, _) = setup(vec![Action::Drop, Action::Reset, ok_registry("docker")]).await;
    let reg = client.get_registry(&reg_ref("acct/docker")).await.unwrap();
    assert!(reg.is_some());
    assert_eq!(fake.lines(), [GET_DOCKER, GET_DOCKER, GET_DOCKER]);
    fake.check_common();
}

#[tokio::test]
async fn a_slow_answer_times_out_and_is_retried() {
    let slow = Action::Delay(Duration::from_secs(5), Box::new(ok_registry("docker")));
    let (fake, client, _) = setup(vec![slow, ok_registry("docker")]).await;
    let reg = client.get_registry(&reg_ref("acct/docker")).await.unwrap();
    assert!(reg.is_some());
    assert_eq!(fake.lines().len(), 2);
    fake.check_common();
}

#[tokio::test]
async fn an_idempotent_update_is_retried_after_a_lost_answer() {
    let (fake, client, _) = setup(vec![Action::Drop, ok_registry("docker")]).await;
    let req = virtual_request("docker", "acct");
    let reg = client
        .update_registry(&reg_ref("acct/docker"), &req)
        .await
        .unwrap();
    assert_eq!(reg.identifier, "docker");
    let seen = fake.seen();
    assert_eq!(seen.len(), 2);
    for s in &seen {
        assert_eq!(s.line(), "PUT /gateway/har/api/v1/registry/acct/docker/+");
        assert_eq!(s.header("content-type"), ["application/json"]);
        let body: Value = serde_json::from_str(&s.body).unwrap();
        assert_eq!(body["config"]["upstreamProxies"], json!(["dockerhub"]));
        assert_eq!(body["description"], "images");
    }
    fake.check_common();
}

// ---------------------------------------------------------------- budget

#[tokio::test]
async fn attempts_run_out_as_budget_spent_with_the_count_and_last_error() {
    let script = vec![error(503, "backend down"); 5];
    let (fake, client, clock) = setup(script).await;
    let err = client
        .delete_registry(&reg_ref("acct/docker"))
        .await
        .unwrap_err();
    match &err {
        Error::BudgetSpent {
            attempts,
            outcome_unknown,
            last,
            ..
        } => {
            assert_eq!(*attempts, 5);
            assert!(*outcome_unknown, "a 503 may come after the write");
            assert_eq!(
                **last,
                Error::Server {
                    status: 503,
                    message: "backend down".into()
                }
            );
        }
        other => panic!("expected BudgetSpent, got {other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("DELETE /registry/acct/docker/+"), "{text}");
    assert!(text.contains("5 attempts"), "{text}");
    assert!(text.contains("backend down"), "{text}");
    assert!(text.contains("may or may not have been applied"), "{text}");
    assert_eq!(clock.sleeps().len(), 4);
    assert_eq!(fake.lines().len(), 5);
    fake.check_common();
}

#[tokio::test]
async fn a_retry_after_past_the_budget_gives_up_at_once() {
    let throttled = Action::Respond {
        status: 429,
        headers: vec![("retry-after", "3600".into())],
        body: json!({"code": "429", "message": "quota exhausted"}).to_string(),
    };
    let (fake, client, clock) = setup(vec![throttled]).await;
    let err = client
        .create_registry(&virtual_request("docker", "acct"))
        .await
        .unwrap_err();
    match &err {
        Error::BudgetSpent {
            attempts,
            outcome_unknown,
            last,
            ..
        } => {
            assert_eq!(*attempts, 1);
            assert!(!outcome_unknown, "a 429 did not write");
            assert_eq!(
                **last,
                Error::Throttled {
                    message: "quota exhausted".into()
                }
            );
        }
        other => panic!("expected BudgetSpent, got {other:?}"),
    }
    assert!(err.to_string().contains("registry is unchanged"), "{err}");
    assert!(clock.sleeps().is_empty(), "never sleeps past the budget");
    fake.check_common();
}

#[tokio::test]
async fn the_time_budget_stops_retries_before_the_attempt_limit() {
    // Retry-After pins each wait to 10 s: attempts at 0 s, 10 s, 20 s; a fourth at 30 s
    // would be past the 25 s budget.
    let bad_gateway = Action::Respond {
        status: 502,
        headers: vec![("retry-after", "10".into())],
        body: "bad gateway".into(),
    };
    let fake = Fake::start(vec![bad_gateway; 3]).await;
    let clock = Arc::new(FakeClock::default());
    let mut c = config(&fake, &clock);
    c.retry = RetryPolicy {
        max_attempts: 100,
        max_connect_attempts: 3,
        initial_backoff: Duration::from_secs(10),
        max_backoff: Duration::from_secs(10),
        budget: Duration::from_secs(25),
    };
    let client = Client::new(c).unwrap();
    let err = client
        .get_registry(&reg_ref("acct/docker"))
        .await
        .unwrap_err();
    match &err {
        Error::BudgetSpent {
            attempts, elapsed, ..
        } => {
            assert_eq!(*attempts, 3);
            assert!(*elapsed >= Duration::from_secs(20), "{elapsed:?}");
        }
        other => panic!("expected BudgetSpent, got {other:?}"),
    }
    assert_eq!(err.message(), Some("bad gateway"));
    assert_eq!(clock.sleeps(), [Duration::from_secs(10); 2]);
    fake.check_common();
}

// ---------------------------------------------------------------- stop

/// Time whose waits never end: only a stop can end a retry wait.
#[derive(Debug)]
struct StuckClock;

impl Clock for StuckClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
    fn sleep(&self, _: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(std::future::pending())
    }
}

#[tokio::test]
async fn a_stop_ends_the_retry_wait_and_says_why() {
    let fake = Fake::start(vec![error(503, "backend down"); 5]).await;
    let mut c = config(&fake, &Arc::new(FakeClock::default()));
    c.clock = Arc::new(StuckClock);
    let stop = StopSignal::new();
    c.stop = stop.clone();
    let client = Client::new(c).unwrap();
    let call = tokio::spawn(async move {
        client
            .create_registry(&virtual_request("docker", "acct"))
            .await
    });
    tokio::time::timeout(Duration::from_secs(10), async {
        while fake.seen().is_empty() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("the first attempt reached the fake server");
    stop.raise();
    let err = tokio::time::timeout(Duration::from_secs(10), call)
        .await
        .expect("the stop ended the retry wait")
        .unwrap()
        .unwrap_err();
    match &err {
        Error::Stopped {
            attempts,
            outcome_unknown,
            ..
        } => {
            assert_eq!(*attempts, 1);
            assert!(*outcome_unknown, "a 503 may come after the write");
        }
        other => panic!("expected Stopped, got {other:?}"),
    }
    assert!(err.outcome_unknown());
    assert_eq!(err.message(), Some("backend down"));
    let text = err.to_string();
    assert!(text.contains("POST /registry"), "{text}");
    assert!(
        text.contains("Terraform asked the provider to stop"),
        "{text}"
    );
    assert!(text.contains("may or may not"), "{text}");
    assert_eq!(fake.seen().len(), 1, "an attempt was sent after the stop");
}

/// A client for `fake` whose stop signal is already raised.
fn stopped_client(fake: &Fake) -> Client {
    let c = config(fake, &Arc::new(FakeClock::default()));
    c.stop.raise();
    Client::new(c).unwrap()
}

#[tokio::test]
async fn after_a_stop_a_first_attempt_still_runs() {
    // Stop ends waits, not work: the read-back after an interrupted create must still go out.
    let fake = Fake::start(vec![ok_registry("docker")]).await;
    let client = stopped_client(&fake);
    let reg = client.get_registry(&reg_ref("acct/docker")).await.unwrap();
    assert_eq!(reg.map(|r| r.identifier).as_deref(), Some("docker"));
    fake.check_common();
}

#[tokio::test]
async fn a_client_ignoring_the_stop_still_retries_its_read_back() {
    // After an interrupted create the read-back decides what goes to state: a stop must not
    // end it at its first failed attempt.
    let fake = Fake::start(vec![error(503, "busy"), ok_registry("docker")]).await;
    let stopped = stopped_client(&fake);
    let reg = stopped
        .ignoring_stop()
        .get_registry(&reg_ref("acct/docker"))
        .await
        .unwrap();
    assert_eq!(reg.map(|r| r.identifier).as_deref(), Some("docker"));
    assert_eq!(fake.seen().len(), 2);
    // The stopped client itself gives up after the first attempt.
    let fake = Fake::start(vec![error(503, "busy"), ok_registry("docker")]).await;
    let err = stopped_client(&fake)
        .get_registry(&reg_ref("acct/docker"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Stopped { attempts: 1, .. }), "{err:?}");
}

// ---------------------------------------------------------------- create

const ALREADY: &str = "registry 'docker' is already defined under 'acct/org'. Please choose a \
                       different name or check existing registries";

#[tokio::test]
async fn create_sends_scope_in_query_and_body() {
    let (fake, client, _) = setup(vec![respond(
        201,
        registry_json("docker", "DOCKER", "VIRTUAL"),
    )])
    .await;
    let reg = client
        .create_registry(&virtual_request("docker", "acct/org/proj"))
        .await
        .unwrap();
    assert_eq!(reg.identifier, "docker");
    let seen = fake.seen();
    assert_eq!(
        seen[0].line(),
        "POST /gateway/har/api/v1/registry?space_ref=acct%2Forg%2Fproj"
    );
    let body: Value = serde_json::from_str(&seen[0].body).unwrap();
    assert_eq!(body["parentRef"], "acct/org/proj");
    assert_eq!(body["identifier"], "docker");
    assert_eq!(body["config"]["type"], "VIRTUAL");
    fake.check_common();
}

#[tokio::test]
async fn create_without_parent_ref_uses_the_account() {
    let (fake, client, _) = setup(vec![respond(
        201,
        registry_json("docker", "DOCKER", "VIRTUAL"),
    )])
    .await;
    let mut req = virtual_request("docker", "x");
    req.parent_ref = None;
    client.create_registry(&req).await.unwrap();
    let seen = fake.seen();
    assert_eq!(
        seen[0].line(),
        "POST /gateway/har/api/v1/registry?space_ref=acct"
    );
    let body: Value = serde_json::from_str(&seen[0].body).unwrap();
    assert_eq!(body["parentRef"], "acct");
    fake.check_common();
}

/// After an attempt whose answer was lost, "already defined" may mean that attempt created
/// it or that someone else took the name: the client says which case it is and leaves the
/// read-back and the comparison with what was sent to the provider (one home for that rule).
#[tokio::test]
async fn already_defined_after_a_lost_answer_is_its_own_case() {
    let slow = Action::Delay(Duration::from_secs(5), Box::new(ok_registry("docker")));
    for lost in [Action::Drop, Action::Reset, error(502, "bad gateway"), slow] {
        let (fake, client, _) = setup(vec![lost, error(400, ALREADY)]).await;
        let err = client
            .create_registry(&virtual_request("docker", "acct/org"))
            .await
            .unwrap_err();
        assert_eq!(
            err,
            Error::ExistsAfterLostAnswer {
                status: 400,
                message: ALREADY.into()
            }
        );
        assert!(err.outcome_unknown());
        assert_eq!(err.message(), Some(ALREADY));
        let post = "POST /gateway/har/api/v1/registry?space_ref=acct%2Forg";
        assert_eq!(fake.lines(), [post, post], "no read-back in the client");
        fake.check_common();
    }
}

#[tokio::test]
async fn already_defined_on_the_first_attempt_is_a_plain_rejection() {
    let (fake, client, _) = setup(vec![error(400, ALREADY)]).await;
    let err = client
        .create_registry(&virtual_request("docker", "acct/org"))
        .await
        .unwrap_err();
    assert_eq!(err.message(), Some(ALREADY));
    assert_eq!(err.status(), Some(400));
    assert!(matches!(err, Error::Rejected { .. }), "{err:?}");
    assert_eq!(fake.lines().len(), 1, "no read-back without a lost answer");
    fake.check_common();
}

#[tokio::test]
async fn a_throttled_create_then_already_defined_is_a_plain_rejection() {
    // A 429 did not write, so "already defined" afterwards is somebody else's registry.
    let (fake, client, _) = setup(vec![error(429, "slow down"), error(400, ALREADY)]).await;
    let err = client
        .create_registry(&virtual_request("docker", "acct/org"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Rejected { status: 400, .. }),
        "{err:?}"
    );
    assert_eq!(fake.lines().len(), 2);
    fake.check_common();
}

// ---------------------------------------------------------------- not found, errors

#[tokio::test]
async fn gone_registries_read_as_none_and_delete_as_already_gone() {
    let (fake, client, _) = setup(vec![
        error(404, "Registry not found"),
        error(404, "Registry not found"),
        error(400, "registry not found: acct/docker"),
        respond(200, json!({"status": "SUCCESS"})),
    ])
    .await;
    let r = reg_ref("acct/docker");
    assert_eq!(client.get_registry(&r).await.unwrap(), None);
    assert_eq!(
        client.delete_registry(&r).await.unwrap(),
        Deleted::AlreadyGone
    );
    assert_eq!(
        client.delete_registry(&r).await.unwrap(),
        Deleted::AlreadyGone
    );
    assert_eq!(client.delete_registry(&r).await.unwrap(), Deleted::Now);
    fake.check_common();
}

#[tokio::test]
async fn a_delete_whose_answer_was_lost_ends_already_gone() {
    let (fake, client, _) = setup(vec![Action::Drop, error(404, "Registry not found")]).await;
    let got = client
        .delete_registry(&reg_ref("acct/docker"))
        .await
        .unwrap();
    assert_eq!(got, Deleted::AlreadyGone);
    assert_eq!(fake.lines().len(), 2);
    fake.check_common();
}

#[tokio::test]
async fn update_of_a_missing_registry_is_not_found() {
    let (fake, client, _) = setup(vec![error(400, "registry not found: acct/docker")]).await;
    let err = client
        .update_registry(&reg_ref("acct/docker"), &virtual_request("docker", "acct"))
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.message(), Some("registry not found: acct/docker"));
    fake.check_common();
}

#[tokio::test]
async fn server_messages_reach_the_errors() {
    let in_use = "upstream Proxy: [dockerhub] is being used inside Registry: [v1 (acct)]";
    let (fake, client, _) = setup(vec![
        error(400, in_use),
        error(401, "token expired"),
        error(403, "not permitted"),
        respond_text(400, "can't decode JSON body: unexpected EOF\n"),
        respond(
            200,
            json!({"status": "SUCCESS", "data": {"unexpected": true}}),
        ),
    ])
    .await;
    let r = reg_ref("acct/dockerhub");
    let e = client.delete_registry(&r).await.unwrap_err();
    // A proxy a registry still lists is its own case, not text to match.
    assert_eq!(
        e,
        Error::InUse {
            status: 400,
            message: in_use.into()
        }
    );
    assert!(e.to_string().contains(in_use), "{e}");
    let e = client.get_registry(&r).await.unwrap_err();
    assert_eq!(
        e,
        Error::Unauthorized {
            status: 401,
            message: "token expired".into()
        }
    );
    let e = client.get_registry(&r).await.unwrap_err();
    assert_eq!(e.status(), Some(403));
    assert_eq!(e.message(), Some("not permitted"));
    let e = client
        .create_registry(&virtual_request("dockerhub", "acct"))
        .await
        .unwrap_err();
    assert_eq!(e.message(), Some("can't decode JSON body: unexpected EOF"));
    let e = client.get_registry(&r).await.unwrap_err();
    match e {
        Error::Decode {
            status, excerpt, ..
        } => {
            assert_eq!(status, 200);
            assert!(excerpt.contains("unexpected"), "{excerpt}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    // None of these were retried.
    assert_eq!(fake.lines().len(), 5);
    fake.check_common();
}

// ---------------------------------------------------------------- paths, lists

#[tokio::test]
async fn ref_paths_use_the_plus_form_with_encoded_segments() {
    let (fake, client, _) = setup(vec![
        ok_registry("docker"),
        ok_registry("docker"),
        respond(
            200,
            json!({"status": "SUCCESS", "data": {"registries": []}}),
        ),
    ])
    .await;
    client
        .get_registry(&reg_ref("acct/org/proj/docker"))
        .await
        .unwrap();
    // Not valid names, but the client must never let a segment break the path.
    let odd = RegistryRef::new(
        Scope::new("ac ct", Some("o%g".into()), Some("p?j".into())).unwrap(),
        "a#b",
    );
    client.get_registry(&odd).await.unwrap();
    client
        .list_registries(&Scope::parse("acct/org").unwrap(), &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(
        fake.lines(),
        [
            "GET /gateway/har/api/v1/registry/acct/org/proj/docker/+",
            "GET /gateway/har/api/v1/registry/ac%20ct/o%25g/p%3Fj/a%23b/+",
            "GET /gateway/har/api/v1/spaces/acct/org/+/registries",
        ]
    );
    fake.check_common();
}

#[tokio::test]
async fn an_endpoint_with_a_trailing_slash_works() {
    let fake = Fake::start(vec![ok_registry("docker")]).await;
    let clock = Arc::new(FakeClock::default());
    let mut c = config(&fake, &clock);
    c.endpoint.push('/');
    let client = Client::new(c).unwrap();
    client.get_registry(&reg_ref("acct/docker")).await.unwrap();
    assert_eq!(fake.lines(), [GET_DOCKER]);
    fake.check_common();
}

fn page(ids: &[&str], page_index: i64, page_count: i64) -> Action {
    let registries: Vec<Value> = ids
        .iter()
        .map(|id| {
            json!({"identifier": id, "uuid": "u", "type": "UPSTREAM", "packageType": "DOCKER",
                   "description": null, "url": "", "labels": null, "lastModified": "1",
                   "path": format!("acct/{id}"), "isPublic": false})
        })
        .collect();
    respond(
        200,
        json!({"status": "SUCCESS", "data": {"itemCount": 5, "pageCount": page_count,
               "pageIndex": page_index, "pageSize": 2, "registries": registries}}),
    )
}

#[tokio::test]
async fn list_all_follows_every_page_with_the_filters() {
    let (fake, client, _) = setup(vec![
        page(&["a", "b"], 0, 3),
        error(503, "blip"),
        page(&["c", "d"], 1, 3),
        page(&["e"], 2, 3),
    ])
    .await;
    let query = ListQuery {
        package_types: vec!["DOCKER".into(), "HELM".into()],
        registry_type: Some("UPSTREAM".into()),
        size: Some(2),
        search_term: Some("a b".into()),
        scope: Some(ListScope::Ancestors),
        ..Default::default()
    };
    let all = client
        .list_all_registries(&Scope::parse("acct/org").unwrap(), &query)
        .await
        .unwrap();
    let ids: Vec<&str> = all.iter().map(|r| r.identifier.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    let q = |p: u32| {
        format!(
            "GET /gateway/har/api/v1/spaces/acct/org/+/registries?package_type=DOCKER&\
             package_type=HELM&type=UPSTREAM&page={p}&size=2&search_term=a+b&scope=ancestors&\
             sort_field=identifier&sort_order=ASC"
        )
    };
    assert_eq!(fake.lines(), [q(0), q(1), q(1), q(2)]);
    fake.check_common();
}

#[tokio::test]
async fn list_all_stops_on_a_short_page_when_the_server_gives_no_page_count() {
    let (fake, client, _) = setup(vec![page(&["a", "b"], 0, 0), page(&["c"], 1, 0)]).await;
    let query = ListQuery {
        size: Some(2),
        ..Default::default()
    };
    let all = client
        .list_all_registries(&Scope::account("acct"), &query)
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(fake.lines().len(), 2);
    fake.check_common();
}

#[tokio::test]
async fn a_client_is_cheap_to_clone_and_shared_across_tasks() {
    let script = (0..8).map(|_| ok_registry("docker")).collect();
    let (fake, client, _) = setup(script).await;
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.get_registry(&reg_ref("acct/docker")).await })
        })
        .collect();
    for t in tasks {
        assert!(t.await.unwrap().unwrap().is_some());
    }
    assert_eq!(fake.lines().len(), 8);
    fake.check_common();
}

#[test]
fn bad_endpoints_and_keys_are_refused_before_any_request() {
    let bad_endpoint = Client::new(Config::new("app.harness.io/gateway", KEY, "acct"));
    assert!(matches!(bad_endpoint, Err(Error::Invalid(_))));
    let bad_key = Client::new(Config::new("http://127.0.0.1:9/gateway", "a\nb", "acct"));
    match bad_key {
        Err(Error::Invalid(m)) => assert!(!m.contains("a\nb")),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

// ---------------------------------------------------------------- logging

thread_local! {
    static CAPTURE: std::cell::RefCell<Option<Arc<Mutex<Vec<u8>>>>> =
        const { std::cell::RefCell::new(None) };
}

/// Writes a log line into the current thread's capture buffer, if it has one.
struct ThreadWriter;

impl std::io::Write for ThreadWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        CAPTURE.with(|c| {
            if let Some(b) = &*c.borrow() {
                b.lock().unwrap().extend_from_slice(buf);
            }
        });
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Captures this thread's log lines. A global subscriber (not a scoped one) because
/// tracing caches each call site's interest process-wide: a scoped subscriber can miss
/// events whose call site another test thread registered first.
fn capture_logs() -> Arc<Mutex<Vec<u8>>> {
    static INIT: std::sync::Once = std::sync::Once::new();
    INIT.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_writer(|| ThreadWriter)
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
    });
    let buf = Arc::new(Mutex::new(Vec::new()));
    CAPTURE.with(|c| *c.borrow_mut() = Some(buf.clone()));
    buf
}

#[tokio::test]
async fn every_call_is_logged_at_debug_without_the_key_or_the_body() {
    // The test runtime is single-threaded, so every event of this test is on this thread.
    let logs = capture_logs();
    let (fake, client, _) = setup(vec![
        error(503, "unavailable"),
        respond(201, registry_json("docker", "DOCKER", "VIRTUAL")),
    ])
    .await;
    let mut req = virtual_request("docker", "acct");
    req.description = Some("top-secret-description".into());
    client.create_registry(&req).await.unwrap();
    let text = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    let calls: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("HAR API call") && l.contains("status="))
        .collect();
    assert_eq!(calls.len(), 2, "{text}");
    for (line, (status, attempt)) in calls.iter().zip([("503", "1"), ("201", "2")]) {
        assert!(line.contains("DEBUG"), "{line}");
        assert!(line.contains("method=POST"), "{line}");
        assert!(line.contains("path=/registry"), "{line}");
        assert!(line.contains(&format!("status={status}")), "{line}");
        assert!(line.contains(&format!("attempt={attempt}")), "{line}");
        assert!(line.contains("duration_ms="), "{line}");
    }
    assert!(text.contains("retrying HAR API call"), "{text}");
    assert!(
        !text.contains(KEY),
        "the API key leaked into the logs:\n{text}"
    );
    assert!(
        !text.contains("top-secret-description"),
        "a body leaked:\n{text}"
    );
    fake.check_common();
}

// ---------------------------------------------------------------- trust boundaries

/// An upstream create carrying an inline access key: what a redirect or an echo must not
/// give away.
const ACCESS_KEY: &str = "AKIA-INLINE-ACCESS-KEY";

fn upstream_request_with_access_key(identifier: &str) -> RegistryRequest {
    RegistryRequest {
        identifier: identifier.into(),
        package_type: "GENERIC".into(),
        parent_ref: Some("acct".into()),
        config: Some(RegistryConfig::Upstream(UpstreamConfig {
            auth_type: Some("AccessKeySecretKey".into()),
            auth: Some(terraform_provider_har::api::model::UpstreamAuth {
                access_key: Some(ACCESS_KEY.into()),
                secret_key_identifier: Some("aws-secret".into()),
                ..Default::default()
            }),
            source: Some("Custom".into()),
            url: Some("https://s3.example.com/bucket".into()),
            ..Default::default()
        })),
        ..Default::default()
    }
}

fn redirect(status: u16, location: &str) -> Action {
    Action::Respond {
        status,
        headers: vec![("location", location.into())],
        body: String::new(),
    }
}

#[tokio::test]
async fn a_redirect_to_another_port_is_not_followed_and_names_the_location() {
    // The second listener records whatever reaches it; nothing may.
    let elsewhere = Fake::start(vec![]).await;
    let location = format!("{}/har/api/v1/registry?space_ref=acct", elsewhere.endpoint);
    let (fake, client, _) = setup(vec![redirect(307, &location)]).await;
    let err = client
        .create_registry(&upstream_request_with_access_key("s3"))
        .await
        .unwrap_err();
    assert!(elsewhere.seen().is_empty(), "{:?}", elsewhere.lines());
    match &err {
        Error::Redirect {
            status,
            location: l,
            reason,
            ..
        } => {
            assert_eq!(*status, 307);
            assert_eq!(l, &location);
            assert!(reason.contains("another scheme, host or port"), "{reason}");
        }
        other => panic!("expected Redirect, got {other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains(&location), "{text}");
    assert!(text.contains("endpoint"), "{text}");
    // Not retried: it would redirect again.
    assert_eq!(fake.lines().len(), 1);
    // The first server did get the key and body: it is the endpoint the user configured.
    assert!(fake.seen()[0].body.contains(ACCESS_KEY));
    fake.check_common();
}

#[tokio::test]
async fn a_same_origin_307_is_followed_with_the_same_request() {
    let (fake, client, _) = setup(vec![
        redirect(307, "/gateway/har/api/v1/registry/acct/moved/+"),
        ok_registry("moved"),
    ])
    .await;
    let reg = client.get_registry(&reg_ref("acct/docker")).await.unwrap();
    assert_eq!(reg.unwrap().identifier, "moved");
    assert_eq!(
        fake.lines(),
        [GET_DOCKER, "GET /gateway/har/api/v1/registry/acct/moved/+"]
    );
    fake.check_common();
}

#[tokio::test]
async fn a_same_origin_302_is_not_followed_because_it_would_drop_the_body() {
    let (fake, client, _) = setup(vec![redirect(302, "/gateway/har/api/v1/registry")]).await;
    let err = client
        .create_registry(&virtual_request("docker", "acct"))
        .await
        .unwrap_err();
    match &err {
        Error::Redirect { status, reason, .. } => {
            assert_eq!(*status, 302);
            assert!(reason.contains("GET"), "{reason}");
        }
        other => panic!("expected Redirect, got {other:?}"),
    }
    assert_eq!(fake.lines().len(), 1);
    fake.check_common();
}

#[tokio::test]
async fn a_redirect_location_echoing_the_key_is_masked() {
    let (_fake, client, _) = setup(vec![redirect(
        301,
        &format!("https://evil.example/?k={KEY}"),
    )])
    .await;
    let err = client
        .get_registry(&reg_ref("acct/docker"))
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(!text.contains(KEY), "{text}");
    assert!(text.contains("https://evil.example/?k=***"), "{text}");
}

const MIB: u64 = 1024 * 1024;

#[tokio::test]
async fn a_streamed_body_over_16_mib_is_refused_without_reading_it_all() {
    let written = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let total = 256 * MIB;
    let (fake, client, _) = setup(vec![Action::Stream {
        total,
        declared: false,
        written: written.clone(),
    }])
    .await;
    let err = client
        .get_registry(&reg_ref("acct/docker"))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        Error::TooLarge {
            status: 200,
            limit: 16 * MIB
        }
    );
    assert!(err.to_string().contains("larger than 16 MiB"), "{err}");
    // The client stopped at the cap: the server could not hand over much more than 16 MiB
    // (loopback socket buffers hold a few MiB at most), far from the 256 MiB it offered.
    // Wait for the server task to see the closed connection.
    let mut seen = written.load(std::sync::atomic::Ordering::SeqCst);
    for _ in 0..200 {
        tokio::time::sleep(Duration::from_millis(10)).await;
        let now = written.load(std::sync::atomic::Ordering::SeqCst);
        if now == seen {
            break;
        }
        seen = now;
    }
    assert!(seen >= 16 * MIB, "the client read {seen} bytes");
    assert!(seen < 64 * MIB, "the client kept reading: {seen} bytes");
    // A body that would repeat is not retried.
    assert_eq!(fake.lines().len(), 1);
}

#[tokio::test]
async fn a_declared_length_over_16_mib_is_refused_unread() {
    let written = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let (fake, client, _) = setup(vec![Action::Stream {
        total: 17 * MIB,
        declared: true,
        written,
    }])
    .await;
    let err = client
        .get_registry(&reg_ref("acct/docker"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::TooLarge { status: 200, .. }),
        "{err:?}"
    );
    assert_eq!(fake.lines().len(), 1);
}

#[tokio::test]
async fn error_pages_echoing_the_request_show_no_secret_in_errors_or_logs() {
    let logs = capture_logs();
    // A 400 page echoing everything, then a 502 one that is retried (and logged each time).
    let (fake, client, _) = setup(vec![Action::Echo(400)]).await;
    let err = client
        .create_registry(&upstream_request_with_access_key("s3"))
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(fake.seen()[0].body.contains(ACCESS_KEY), "the test sent it");
    assert!(text.contains("x-api-key: ***"), "{text}");
    assert!(!text.contains(KEY), "{text}");
    assert!(!text.contains(ACCESS_KEY), "{text}");

    let (fake, client, _) = setup(vec![Action::Echo(502), Action::Echo(502)]).await;
    let mut c = config(&fake, &Arc::new(FakeClock::default()));
    c.retry.max_attempts = 2;
    let client2 = Client::new(c).unwrap();
    drop(client);
    let err = client2
        .create_registry(&upstream_request_with_access_key("s3"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::BudgetSpent { attempts: 2, .. }),
        "{err:?}"
    );
    let text = format!("{err} {err:?}");
    assert!(!text.contains(KEY), "{text}");
    assert!(!text.contains(ACCESS_KEY), "{text}");
    let logged = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    assert!(logged.contains("HAR API call failed"), "{logged}");
    assert!(logged.contains("***"), "{logged}");
    assert!(
        !logged.contains(KEY),
        "the key leaked into the logs:\n{logged}"
    );
    assert!(
        !logged.contains(ACCESS_KEY),
        "the access key leaked into the logs:\n{logged}"
    );
}

#[tokio::test]
async fn a_decode_excerpt_echoing_the_key_is_masked() {
    let (_fake, client, _) = setup(vec![respond_text(200, &format!("hello {KEY}"))]).await;
    let err = client
        .get_registry(&reg_ref("acct/docker"))
        .await
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(!text.contains(KEY), "{text}");
    assert!(text.contains("hello ***"), "{text}");
}

// ---------------------------------------------------------------- failing fast, saying why

/// An endpoint on a port nothing listens on: bound, then closed.
async fn closed_endpoint() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}/gateway")
}

#[tokio::test]
async fn connection_refused_gives_up_after_the_connect_attempts_naming_the_url() {
    let endpoint = closed_endpoint().await;
    let clock = Arc::new(FakeClock::default());
    let mut c = Config::new(&endpoint, KEY, "acct");
    c.retry = RetryPolicy {
        max_attempts: 10,
        max_connect_attempts: 3,
        initial_backoff: Duration::from_millis(500),
        max_backoff: Duration::from_secs(20),
        budget: Duration::from_secs(120),
    };
    c.clock = clock.clone();
    let client = Client::new(c).unwrap();
    let err = client
        .create_registry(&virtual_request("docker", "acct"))
        .await
        .unwrap_err();
    match &err {
        Error::BudgetSpent {
            attempts,
            outcome_unknown,
            last,
            ..
        } => {
            assert_eq!(*attempts, 3, "only the connect attempts, not all 10");
            assert!(!outcome_unknown, "nothing was sent");
            match &**last {
                Error::Connect { url, message } => {
                    assert_eq!(
                        url,
                        &format!("{endpoint}/har/api/v1/registry?space_ref=acct")
                    );
                    assert!(message.starts_with("connection refused"), "{message}");
                }
                other => panic!("expected Connect, got {other:?}"),
            }
        }
        other => panic!("expected BudgetSpent, got {other:?}"),
    }
    // Two waits between three attempts, each within the backoff ceilings (0.5 s, 1 s).
    let sleeps = clock.sleeps();
    assert_eq!(sleeps.len(), 2, "{sleeps:?}");
    assert!(sleeps[0] <= Duration::from_millis(500) && sleeps[1] <= Duration::from_secs(1));
    let text = err.to_string();
    assert!(text.contains("3 attempts"), "{text}");
    assert!(text.contains(&endpoint), "{text}");
    assert!(text.contains("connection refused"), "{text}");
    assert!(text.contains("No attempt took effect"), "{text}");
}

#[tokio::test]
async fn connections_dropped_mid_request_keep_their_retries() {
    // More broken connections than connect attempts: they are not connect failures.
    let (fake, client, _) = setup(vec![
        Action::Drop,
        Action::Reset,
        Action::Drop,
        Action::Drop,
        ok_registry("docker"),
    ])
    .await;
    let reg = client.get_registry(&reg_ref("acct/docker")).await.unwrap();
    assert!(reg.is_some());
    assert_eq!(fake.lines().len(), 5);
    fake.check_common();
}

#[tokio::test]
async fn a_404_on_an_endpoint_without_gateway_names_the_url_and_suggests_it() {
    let fake = Fake::start(vec![error(404, "no such route")]).await;
    let clock = Arc::new(FakeClock::default());
    let mut c = config(&fake, &clock);
    let origin = fake.endpoint.trim_end_matches("/gateway").to_string();
    c.endpoint = origin.clone();
    let client = Client::new(c).unwrap();
    let err = client
        .create_registry(&virtual_request("docker", "acct"))
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(&format!("at {origin}/har/api/v1/registry?space_ref=acct")),
        "{text}"
    );
    assert!(text.contains("no such route"), "{text}");
    assert!(
        text.contains(&format!("try endpoint = \"{origin}/gateway\"")),
        "{text}"
    );
    assert_eq!(fake.lines(), ["POST /har/api/v1/registry?space_ref=acct"]);
}

#[tokio::test]
async fn a_403_names_the_account_and_a_401_the_key() {
    let (fake, client, _) = setup(vec![
        error(403, "account 'acct' is not served here"),
        error(401, "missing or wrong x-api-key header"),
    ])
    .await;
    let r = reg_ref("acct/docker");
    let err = client.get_registry(&r).await.unwrap_err();
    assert_eq!(
        err,
        Error::Forbidden {
            account: "acct".into(),
            message: "account 'acct' is not served here".into()
        }
    );
    let text = err.to_string();
    assert!(text.contains("account \"acct\""), "{text}");
    assert!(text.contains("may lack access to this account"), "{text}");
    let text = client.get_registry(&r).await.unwrap_err().to_string();
    assert!(text.contains("refused the API key (HTTP 401)"), "{text}");
    assert!(text.contains("wrong or expired"), "{text}");
    assert_eq!(fake.lines().len(), 2, "neither is retried");
    fake.check_common();
}

#[tokio::test]
async fn a_same_origin_redirect_then_one_elsewhere_stops_there() {
    let elsewhere = Fake::start(vec![]).await;
    let location = format!("{}/har/api/v1/registry/acct/docker/+", elsewhere.endpoint);
    let (fake, client, _) = setup(vec![
        redirect(308, "/gateway/har/api/v1/registry/acct/moved/+"),
        redirect(307, &location),
    ])
    .await;
    let err = client
        .get_registry(&reg_ref("acct/docker"))
        .await
        .unwrap_err();
    assert!(elsewhere.seen().is_empty(), "{:?}", elsewhere.lines());
    match &err {
        Error::Redirect {
            url, location: l, ..
        } => {
            assert!(url.ends_with("/registry/acct/moved/+"), "{url}");
            assert_eq!(l, &location);
        }
        other => panic!("expected Redirect, got {other:?}"),
    }
    assert_eq!(fake.lines().len(), 2);
    fake.check_common();
}
