//! har-local under abuse: idle, slow and half-sent connections are cut off by timeouts and
//! a connection cap, so they neither exhaust file descriptors nor stop a valid request;
//! over-long URIs and headers get the JSON error body; space refs follow Harness's
//! identifier rule; an API key har-local could never match is refused at start.

use crate::support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use support::har_local::bodies::virtual_registry;
use support::har_local::{API_KEY, Client, HarLocal, Options};

const LIST: &str = "/api/v1/spaces/acct/+/registries";

fn start(args: &[&str]) -> HarLocal {
    HarLocal::start_with(Options {
        extra_args: args.iter().map(|s| s.to_string()).collect(),
        ..Options::default()
    })
}

/// Raise this process's open-file limit to its hard limit: the test holds thousands of
/// client sockets.
fn raise_nofile() -> libc::rlim_t {
    // SAFETY: getrlimit/setrlimit with a valid, owned struct.
    unsafe {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim), 0);
        lim.rlim_cur = lim.rlim_max;
        assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &lim), 0);
        lim.rlim_cur
    }
}

/// Open descriptors of a process (Linux).
fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|d| d.count())
        .unwrap_or(0)
}

fn valid_request(addr: SocketAddr) -> u16 {
    let mut c = Client::new(addr, Some(API_KEY.to_string()));
    c.get(LIST).status
}

/// What each flooding connection does after connecting.
fn abuse_bytes(i: usize) -> &'static [u8] {
    match i % 3 {
        0 => b"",                                                     // idle
        1 => b"GET /api/v1/spaces/acct/+/registries HTTP/1.1\r\nHos", // half-sent headers
        _ => b"POST /api/v1/registry HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"a\"", // half-sent body
    }
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_thousand_idle_or_half_sent_connections_neither_exhaust_fds_nor_block_requests() {
    const TOTAL: usize = 20_000;
    const CAP: usize = 200;
    let limit = raise_nofile();
    let server = start(&["--max-connections", &CAP.to_string()]);
    let (addr, pid) = (server.addr(), server.pid().expect("pid"));
    let baseline = open_fds(pid);
    // Client sockets held at once: the server closes the oldest at its cap, and each task
    // lets go of its socket when it sees that close. Kept below the cap plus the listen
    // backlog: beyond it the kernel drops handshakes, and the flood only measures
    // SYN retransmits.
    let held = Arc::new(tokio::sync::Semaphore::new(
        (limit as usize).saturating_sub(500).min(CAP + 600),
    ));
    let opened = Arc::new(AtomicUsize::new(0));
    let closed_by_server = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::with_capacity(TOTAL);
    for i in 0..TOTAL {
        let permit = Arc::clone(&held).acquire_owned().await.expect("permit");
        let (opened, closed) = (Arc::clone(&opened), Arc::clone(&closed_by_server));
        tasks.push(tokio::spawn(async move {
            let _permit = permit;
            let Ok(mut s) = tokio::net::TcpStream::connect(addr).await else {
                return;
            };
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let _ = s.write_all(abuse_bytes(i)).await;
            opened.fetch_add(1, Ordering::SeqCst);
            let mut buf = [0u8; 512];
            // Until the server closes it (an answer, if any, is read and ignored).
            while let Ok(n) = s.read(&mut buf).await {
                if n == 0 {
                    break;
                }
            }
            closed.fetch_add(1, Ordering::SeqCst);
        }));
        if i == TOTAL / 2 {
            let status = tokio::task::spawn_blocking(move || valid_request(addr))
                .await
                .expect("request");
            assert_eq!(status, 200, "valid request in the middle of the flood");
        }
    }
    let mut max_fds = 0;
    let deadline = Instant::now() + Duration::from_secs(120);
    // Every connection but the last CAP (still open at the server) was closed by it.
    while closed_by_server.load(Ordering::SeqCst) < TOTAL - CAP
        || opened.load(Ordering::SeqCst) < TOTAL
    {
        max_fds = max_fds.max(open_fds(pid));
        assert!(
            Instant::now() < deadline,
            "opened {} closed {}",
            opened.load(Ordering::SeqCst),
            closed_by_server.load(Ordering::SeqCst)
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    max_fds = max_fds.max(open_fds(pid));
    let status = tokio::task::spawn_blocking(move || valid_request(addr))
        .await
        .expect("request");
    assert_eq!(status, 200, "valid request after the flood");
    assert!(
        max_fds <= baseline + CAP + 16,
        "har-local held {max_fds} descriptors (baseline {baseline}, cap {CAP})"
    );
    for t in tasks {
        t.abort();
    }
}

/// Read until the server closes the connection; a generous bound only so a missing
/// timeout fails the test instead of hanging it.
fn read_to_close(s: &mut TcpStream) -> String {
    s.set_read_timeout(Some(Duration::from_secs(25)))
        .expect("timeout");
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("the server did not close the connection: {e}"),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn slow_and_idle_connections_are_closed_by_the_timeouts() {
    let server = start(&[
        "--header-timeout",
        "1s",
        "--body-timeout",
        "1s",
        "--idle-timeout",
        "1s",
    ]);
    let addr = server.addr();

    let mut idle = TcpStream::connect(addr).expect("connect");
    assert_eq!(read_to_close(&mut idle), "", "idle connection closed");

    let mut half_head = TcpStream::connect(addr).expect("connect");
    half_head
        .write_all(b"GET /api/v1/spaces/acct/+/registries HTTP/1.1\r\nHost: x\r\n")
        .expect("write");
    read_to_close(&mut half_head);

    let mut half_body = TcpStream::connect(addr).expect("connect");
    half_body
        .write_all(
            format!(
                "POST /api/v1/registry HTTP/1.1\r\nHost: x\r\nx-api-key: {API_KEY}\r\n\
                 Content-Length: 100\r\n\r\n{{\"identifier\""
            )
            .as_bytes(),
        )
        .expect("write");
    let answer = read_to_close(&mut half_body);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    let body = &answer[answer.find("\r\n\r\n").expect("body") + 4..];
    let json: serde_json::Value = serde_json::from_str(body).expect("JSON error body");
    assert_eq!(json["code"], "408", "{json}");

    // Keep-alive: answered, then closed once idle.
    let mut kept = TcpStream::connect(addr).expect("connect");
    kept.write_all(
        format!("GET {LIST} HTTP/1.1\r\nHost: x\r\nx-api-key: {API_KEY}\r\n\r\n").as_bytes(),
    )
    .expect("write");
    let answer = read_to_close(&mut kept);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    assert_eq!(valid_request(addr), 200, "still serving");
}

#[test]
fn over_long_uris_and_headers_get_the_json_error_body() {
    let server = start(&[]);
    let mut c = server.client();
    let long_uri = format!("{LIST}?search_term={}", "a".repeat(9 * 1024));
    let r = c.get(&long_uri);
    assert_eq!(r.status, 414, "{}", r.text());
    assert_eq!(r.json()["code"], "414");

    let many: Vec<(String, String)> = (0..70).map(|i| (format!("x-h{i}"), "v".into())).collect();
    let many: Vec<(&str, &str)> = many.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut c = server.client();
    let r = c.send("GET", LIST, &many, None);
    assert_eq!(r.status, 431, "{}", r.text());
    assert_eq!(r.json()["code"], "431");

    let big = "b".repeat(40 * 1024);
    let mut c = server.client();
    let r = c.send("GET", LIST, &[("x-big", big.as_str())], None);
    assert_eq!(r.status, 431, "{}", r.text());
    assert!(r.message().contains("headers"), "{}", r.text());

    let mut c = server.client();
    assert_eq!(c.get(LIST).status, 200, "normal requests still pass");
}

#[test]
fn org_and_project_segments_follow_the_harness_identifier_rule() {
    let server = start(&[]);
    let mut c = server.client();
    for (parent, expect) in [
        ("acct/my-org", "invalid org identifier"),
        ("acct/org/1proj", "invalid project identifier"),
        ("acct/o.rg", "invalid org identifier"),
    ] {
        let r = c.post(
            "/api/v1/registry",
            &virtual_registry(parent, "reg", "DOCKER", &[]),
        );
        assert_eq!(r.status, 400, "{parent}: {}", r.text());
        assert!(r.message().contains(expect), "{parent}: {}", r.text());
    }
    let long = "o".repeat(129);
    let r = c.get(&format!("/api/v1/spaces/acct/{long}/+/registries"));
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.message().contains("at most 128"), "{}", r.text());
    let r = c.get("/api/v1/registry/acct/bad-org/reg/+");
    assert_eq!(r.status, 400, "{}", r.text());

    // The rule's own alphabet passes, up to the cap.
    let ok = format!("acct/_Org$1/{}", "p".repeat(128));
    let r = c.post(
        "/api/v1/registry",
        &virtual_registry(&ok, "reg", "DOCKER", &[]),
    );
    assert_eq!(r.status, 201, "{}", r.text());
}

#[test]
fn an_api_key_with_a_comma_or_whitespace_is_refused_at_start() {
    for key in ["a,b", "a b", "key\t"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_har-local"))
            .args([
                "--listen",
                "127.0.0.1:0",
                "--db",
                ":memory:",
                "--api-key",
                key,
            ])
            .env_remove("HAR_LOCAL_API_KEY")
            .output()
            .expect("run har-local");
        assert!(!out.status.success(), "{key:?} accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("commas or whitespace"), "{key:?}: {err}");
        assert!(out.stdout.is_empty(), "never listened");
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_har-local"))
        .args(["--listen", "127.0.0.1:0", "--db", ":memory:"])
        .env("HAR_LOCAL_API_KEY", "x,y")
        .output()
        .expect("run har-local");
    assert!(
        !out.status.success(),
        "HAR_LOCAL_API_KEY with a comma accepted"
    );
}
