//! har-local counts the calls it answers by route (`/_har-local/stats`), the figure the
//! provider's call-count tests and scripts/bench.sh read, and `--latency-ms` holds every
//! answer back. Real HTTP against the real binary with a real SQLite file.

use std::time::{Duration, Instant};

use crate::support;

use support::har_local::bodies::{upstream, virtual_registry};
use support::har_local::{HarLocal, Options};

const V1: &str = "/gateway/har/api/v1";

#[test]
fn every_call_is_counted_by_method_and_route() {
    let s = HarLocal::start();
    assert_eq!(s.stats().total, 0);
    let mut c = s.client();
    let r = c.post(
        &format!("{V1}/registry"),
        &upstream("acct", "up1", "DOCKER"),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let r = c.post(
        &format!("{V1}/registry"),
        &virtual_registry("acct", "reg1", "DOCKER", &["up1"]),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    for _ in 0..3 {
        assert_eq!(c.get(&format!("{V1}/registry/acct/reg1/+")).status, 200);
    }
    let r = c.get(&format!(
        "{V1}/spaces/acct/+/registries?search_term=reg&scope=descendants"
    ));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        c.get(&format!("{V1}/registry/acct/reg1/+/webhooks")).status,
        200
    );
    assert_eq!(c.delete(&format!("{V1}/registry/acct/reg1/+")).status, 200);
    // Refused calls are calls too: a missing key, an unknown route.
    assert_eq!(
        s.client_without_key()
            .get(&format!("{V1}/registry/acct/reg1/+"))
            .status,
        401
    );
    assert_eq!(c.get("/nowhere").status, 404);
    let faults_route = c.get("/_har-local/faults");
    assert_eq!(faults_route.status, 404, "{}", faults_route.text());

    let stats = s.stats();
    assert_eq!(stats.count("POST /registry"), 2, "{stats:?}");
    assert_eq!(stats.count("GET /registry/{ref}"), 4, "{stats:?}");
    assert_eq!(
        stats.count("GET /spaces/{scope}/registries"),
        1,
        "{stats:?}"
    );
    assert_eq!(stats.count("GET /registry/{ref}/webhooks"), 1, "{stats:?}");
    assert_eq!(stats.count("DELETE /registry/{ref}"), 1, "{stats:?}");
    assert_eq!(stats.count("GET other"), 1, "{stats:?}");
    assert_eq!(
        stats.total, 10,
        "har-local's own routes are not counted: {stats:?}"
    );
    // Reading the counts changes nothing.
    assert_eq!(s.stats(), stats);
}

#[test]
fn taking_the_counts_starts_again_from_zero() {
    let s = HarLocal::start();
    let mut c = s.client();
    assert_eq!(c.get(&format!("{V1}/spaces/acct/+/registries")).status, 200);
    let taken = s.take_stats();
    assert_eq!(taken.count("GET /spaces/{scope}/registries"), 1);
    assert_eq!(s.stats().total, 0);
    assert_eq!(c.get(&format!("{V1}/spaces/acct/+/registries")).status, 200);
    assert_eq!(s.stats().total, 1);
    let r = c.put("/_har-local/stats", &serde_json::json!({}));
    assert_eq!(r.status, 405, "{}", r.text());
}

#[test]
fn latency_holds_every_answer_back_and_is_counted_as_usual() {
    let s = HarLocal::start_with(Options {
        extra_args: vec!["--latency-ms".into(), "300".into()],
        ..Options::default()
    });
    let mut c = s.client();
    let started = Instant::now();
    let r = c.post(&format!("{V1}/registry"), &upstream("acct", "far", "NPM"));
    assert_eq!(r.status, 201, "{}", r.text());
    // A lower bound only: the delay is a sleep, so the answer cannot come sooner.
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(s.stats().count("POST /registry"), 1);
}

#[test]
fn a_latency_out_of_range_is_refused_naming_the_flag() {
    for bad in ["-5", "1.5", "60001", "fast"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_har-local"))
            .args(["--db", ":memory:"])
            .arg(format!("--latency-ms={bad}"))
            .output()
            .expect("run har-local");
        assert!(!out.status.success(), "{bad} accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("--latency-ms") && err.contains("0 to 60000"),
            "{bad}: {err}"
        );
    }
}
