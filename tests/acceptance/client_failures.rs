//! What a user sees when the provider cannot do its job, with the real terraform against a
//! real har-local: a server that is not running fails within a few attempts and names the
//! URL; an endpoint without `/gateway` gets the URL tried and the endpoint to use; a wrong
//! account and a wrong key are told apart; and an error page echoing the request (headers
//! and body) never puts the API key or an inline access key into Terraform's output or log.

use crate::support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use support::acc::AssertSays;
use support::har_local::{Client as HttpClient, HarLocal, Options};
use support::terraform::{Terraform, with_provider};

const REGISTRY: &str = r#"resource "har_registry" "r" {
  identifier   = "docker-fail"
  package_type = "DOCKER"
}"#;

/// The output, line breaks and runs of spaces made one space (Terraform wraps its
/// diagnostics), does not contain `text`.
#[track_caller]
fn does_not_say(out: &support::terraform::TfOutput, text: &str) {
    let flat = out
        .output()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        !flat.contains(text),
        "the output says {text:?}:\n{}",
        out.output()
    );
}

/// A terraform working directory whose provider (started by terraform, dev_overrides) talks
/// to `endpoint` with `account` and `key`.
fn terraform(endpoint: &str, account: &str, key: &str) -> Terraform {
    Terraform::new()
        .env("HARNESS_ENDPOINT", endpoint)
        .env("HARNESS_ACCOUNT_ID", account)
        .env("HARNESS_PLATFORM_API_KEY", key)
}

#[test]
fn a_stopped_server_fails_in_a_few_attempts_naming_the_url() {
    let mut server = HarLocal::start();
    let endpoint = server.endpoint();
    server.kill9();
    // Default client settings: the retry budget is 120 s and 10 attempts, of which only
    // the connect attempts (3) are spent on a refused connection.
    let tf = terraform(&endpoint, "acct", "test-key");
    tf.config(&with_provider(REGISTRY));
    let out = tf.apply();
    out.assert_failure()
        .assert_says(&format!(
            "could not connect to the HAR API at {endpoint}/har/api/v1/"
        ))
        .assert_says("connection refused: nothing is listening")
        .assert_says("gave up after 3 attempts");
    does_not_say(&out, "10 attempts");

    // The documented setting reaches the provider process.
    let tf = terraform(&endpoint, "acct", "test-key").env("HAR_CLIENT_CONNECT_ATTEMPTS", "1");
    tf.config(&with_provider(REGISTRY));
    tf.apply()
        .assert_failure()
        .assert_says("gave up after 1 attempt in")
        .assert_says("connection refused");
}

#[test]
fn an_endpoint_without_gateway_names_the_url_and_the_endpoint_to_use() {
    let server = HarLocal::start();
    let origin = server.base_url();
    let tf = terraform(&origin, server.account(), server.api_key());
    tf.config(&with_provider(REGISTRY));
    tf.apply()
        .assert_failure()
        .assert_says(&format!("not found (HTTP 404) at {origin}/har/api/v1/"))
        .assert_says(&format!("try endpoint = \"{origin}/gateway\""));
    assert_eq!(
        server
            .client()
            .get("/api/v1/registry/acct/docker-fail/+")
            .status,
        404,
        "nothing was created"
    );
}

#[test]
fn a_wrong_account_is_named_and_a_wrong_key_is_called_so() {
    let server = HarLocal::start();
    let tf = terraform(&server.endpoint(), "other_acct", server.api_key());
    tf.config(&with_provider(REGISTRY));
    let out = tf.apply();
    out.assert_failure()
        .assert_says("denied access (HTTP 403) for account \"other_acct\"")
        .assert_says("may lack access to this account");
    does_not_say(&out, "refused the API key");

    let tf = terraform(&server.endpoint(), server.account(), "not-the-key");
    tf.config(&with_provider(REGISTRY));
    let out = tf.apply();
    out.assert_failure()
        .assert_says("refused the API key (HTTP 401)");
    does_not_say(&out, "may lack access to this account");
}

// ---------------------------------------------------------------- an echoing front

const API_KEY: &str = "acc-echo-key-5Tz9";
const ACCESS_KEY: &str = "AKIAECHOTEST4X2Y";

const PROXY: &str = r#"resource "har_upstream_proxy" "ecr" {
  identifier   = "ecr-echo"
  package_type = "DOCKER"
  source       = "AwsEcr"
  url          = "https://123456789012.dkr.ecr.us-east-1.amazonaws.com"
  auth_type    = "AccessKeySecretKey"
  access_key_secret_key = {
    access_key            = "AKIAECHOTEST4X2Y"
    secret_key_identifier = "aws_secret_key"
  }
}"#;

/// In front of har-local: every write is answered 400 with an error whose message echoes
/// the request line, headers and body (as some gateways' error pages do; a JSON message is
/// shown whole, where an HTML page would be cut to an excerpt); every read is passed to
/// har-local.
struct EchoFront {
    addr: SocketAddr,
    echoed: Arc<AtomicUsize>,
}

impl EchoFront {
    fn start(upstream: SocketAddr) -> EchoFront {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the front");
        let addr = listener.local_addr().expect("front address");
        let echoed = Arc::new(AtomicUsize::new(0));
        let count = echoed.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let count = count.clone();
                std::thread::spawn(move || serve(stream, upstream, &count));
            }
        });
        EchoFront { addr, echoed }
    }
}

fn serve(stream: TcpStream, upstream: SocketAddr, echoed: &AtomicUsize) {
    let mut writer = stream.try_clone().expect("clone the stream");
    let mut reader = BufReader::new(stream);
    let mut forward = HttpClient::new(upstream, None);
    while let Some((line, headers, body)) = read_request(&mut reader) {
        let mut parts = line.split_whitespace();
        let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let (status, content_type, answer) = if method == "GET" {
            let key: Vec<(&str, &str)> = headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("x-api-key"))
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            let r = forward.send(method, target, &key, None);
            (r.status, "application/json", r.body)
        } else {
            echoed.fetch_add(1, Ordering::SeqCst);
            let mut echo = format!("bad request: {line}; ");
            for (n, v) in &headers {
                echo.push_str(&format!("{n}: {v}; "));
            }
            echo.push_str(&format!("body: {}", String::from_utf8_lossy(&body)));
            let page = serde_json::json!({"code": "400", "message": echo});
            (400, "application/json", page.to_string().into_bytes())
        };
        let head = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\r\n",
            answer.len()
        );
        if writer.write_all(head.as_bytes()).is_err() || writer.write_all(&answer).is_err() {
            return;
        }
    }
}

type Request = (String, Vec<(String, String)>, Vec<u8>);

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (n, v) = h.split_once(':')?;
        headers.push((n.trim().to_string(), v.trim().to_string()));
    }
    let len: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    Some((line.trim_end().to_string(), headers, body))
}

#[test]
fn an_error_page_echoing_the_request_shows_no_secret_in_output_or_log() {
    let server = HarLocal::start_with(Options {
        api_key: API_KEY.into(),
        ..Options::default()
    });
    let front = EchoFront::start(server.addr());
    let log = tempfile::NamedTempFile::new().expect("log file");
    let log_path = log.path().to_string_lossy().into_owned();
    let tf = terraform(&format!("http://{}/gateway", front.addr), "acct", API_KEY)
        .env("TF_LOG", "DEBUG")
        .env("TF_LOG_PATH", &log_path);
    tf.config(&with_provider(PROXY));
    let out = tf.apply();
    // The page did reach the user, with both secrets masked.
    out.assert_failure()
        .assert_says("HTTP 400")
        .assert_says("x-api-key: ***")
        .assert_says(r#""accessKey":"***""#);
    assert!(
        front.echoed.load(Ordering::SeqCst) >= 1,
        "nothing was echoed"
    );
    let log = std::fs::read_to_string(log.path()).expect("read the DEBUG log");
    assert!(
        log.contains("HAR API call failed"),
        "the failed call is not in the log"
    );
    for (what, secret) in [("API key", API_KEY), ("access key", ACCESS_KEY)] {
        assert!(
            !out.output().contains(secret),
            "the {what} appears in terraform's output:\n{}",
            out.output()
        );
        let leaks: Vec<&str> = log.lines().filter(|l| l.contains(secret)).collect();
        assert!(
            leaks.is_empty(),
            "the {what} appears in the log:\n{}",
            leaks.join("\n")
        );
    }
}
