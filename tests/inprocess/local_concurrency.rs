//! 16 parallel writers against one har-local: every 201 is present afterwards, nothing is
//! duplicated, a contested name is created exactly once, and concurrent PUTs of one registry
//! each answer their own body and leave the last committed one.

use crate::support;

use std::collections::HashSet;
use std::thread;

use serde_json::json;
use support::har_local::HarLocal;
use support::har_local::bodies::{upstream, virtual_registry};

const WRITERS: usize = 16;
const PER_WRITER: usize = 40;

#[test]
fn sixteen_writers_lose_and_duplicate_nothing() {
    let server = HarLocal::start();
    let mut c = server.client();
    let r = c.post(
        "/api/v1/registry",
        &upstream("acct", "shared-hub", "DOCKER"),
    );
    assert_eq!(r.status, 201, "{}", r.text());

    let handles: Vec<_> = (0..WRITERS)
        .map(|w| {
            let mut c = server.client();
            thread::spawn(move || {
                let mut created = Vec::new();
                // Everyone also races for one contested name.
                let r = c.post(
                    "/api/v1/registry",
                    &virtual_registry("acct", "contested", "DOCKER", &[]),
                );
                let won = r.status == 201;
                assert!(
                    won || r.status == 400,
                    "contested: {} {}",
                    r.status,
                    r.text()
                );
                for i in 0..PER_WRITER {
                    let id = format!("w{w}-{i}");
                    let scope = if i % 2 == 0 { "acct/org" } else { "acct/org/p" };
                    let r = c.post(
                        "/api/v1/registry",
                        &virtual_registry(scope, &id, "DOCKER", &["shared-hub"]),
                    );
                    assert_eq!(r.status, 201, "{id}: {}", r.text());
                    assert_eq!(r.data()["config"]["upstreamProxies"], json!(["shared-hub"]));
                    created.push((scope.to_string(), id));
                }
                (won, created)
            })
        })
        .collect();
    let results: Vec<_> = handles
        .into_iter()
        .map(|h| h.join().expect("writer"))
        .collect();
    assert_eq!(
        results.iter().filter(|(won, _)| *won).count(),
        1,
        "contested name"
    );

    for (scope, id) in results.iter().flat_map(|(_, c)| c) {
        let r = c.get(&format!("/api/v1/registry/{scope}/{id}/+"));
        assert_eq!(r.status, 200, "{scope}/{id}: {}", r.text());
    }
    let r = c.get("/api/v1/spaces/acct/+/registries?scope=descendants&size=1000");
    let d = r.data();
    let ids: Vec<&str> = d["registries"]
        .as_array()
        .expect("registries")
        .iter()
        .map(|r| r["identifier"].as_str().unwrap_or(""))
        .collect();
    let unique: HashSet<&&str> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len(), "duplicates in the list");
    assert_eq!(
        ids.len(),
        WRITERS * PER_WRITER + 2,
        "shared-hub + contested + all"
    );
    assert_eq!(d["itemCount"], json!(WRITERS * PER_WRITER + 2));
    // All of them list shared-hub, so deleting it is refused.
    assert_eq!(c.delete("/api/v1/registry/acct/shared-hub/+").status, 400);
}

#[test]
fn concurrent_puts_of_one_registry_keep_every_acknowledged_body() {
    let server = HarLocal::start();
    let mut c = server.client();
    for id in ["hub-a", "hub-b"] {
        let r = c.post("/api/v1/registry", &upstream("acct", id, "DOCKER"));
        assert_eq!(r.status, 201, "{}", r.text());
    }
    let r = c.post(
        "/api/v1/registry",
        &virtual_registry("acct/o", "target", "DOCKER", &[]),
    );
    assert_eq!(r.status, 201);

    let handles: Vec<_> = (0..WRITERS)
        .map(|w| {
            let mut c = server.client();
            thread::spawn(move || {
                let mut last = None;
                for i in 0..20 {
                    let ups: &[&str] = if (w + i) % 2 == 0 {
                        &["hub-a", "hub-b"]
                    } else {
                        &["hub-b"]
                    };
                    let mut b = virtual_registry("acct/o", "target", "DOCKER", ups);
                    b["labels"] = json!([format!("w{w}"), format!("i{i}")]);
                    b["description"] = json!(format!("w{w}-i{i}"));
                    let r = c.put("/api/v1/registry/acct/o/target/+", &b);
                    assert_eq!(r.status, 200, "{}", r.text());
                    let d = r.data();
                    // The answer is exactly this PUT's body: nothing mixed in from another.
                    assert_eq!(d["labels"], b["labels"]);
                    assert_eq!(d["description"], b["description"]);
                    assert_eq!(d["config"]["upstreamProxies"], json!(ups));
                    last = Some((d["description"].clone(), d["modifiedAt"].clone()));
                }
                last.expect("at least one PUT")
            })
        })
        .collect();
    let lasts: Vec<_> = handles
        .into_iter()
        .map(|h| h.join().expect("writer"))
        .collect();
    let d = c.get("/api/v1/registry/acct/o/target/+").data();
    assert!(
        lasts.iter().any(|(desc, _)| *desc == d["description"]),
        "final state {} is no writer's last acknowledged PUT",
        d["description"]
    );
    let w = d["description"]
        .as_str()
        .unwrap_or("")
        .split('-')
        .next()
        .unwrap_or("")
        .to_string();
    assert_eq!(
        d["labels"][0],
        json!(w),
        "labels and description from the same PUT"
    );
}
