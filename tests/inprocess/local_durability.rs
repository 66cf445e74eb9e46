//! Every write har-local acknowledged (2xx) is still there after `kill -9` and a restart on the
//! same SQLite file: creates by four writers under load, and sequential PUTs whose last
//! acknowledged value must never go backwards.

use crate::support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use serde_json::json;
use support::har_local::bodies::virtual_registry;
use support::har_local::{Client, HarLocal};

const WRITERS: usize = 4;
/// Kill once this many writes were acknowledged in a round (writers keep going meanwhile).
const KILL_AFTER: usize = 300;

struct Acked {
    created: Vec<String>,
    /// Highest `description` counter acknowledged for the writer's own PUT target.
    put_counter: Option<u64>,
}

fn writer(mut c: Client, round: usize, w: usize, acked: Arc<AtomicUsize>) -> Acked {
    let target = format!("put-r{round}-w{w}");
    let mut out = Acked {
        created: Vec::new(),
        put_counter: None,
    };
    let path = "/api/v1/registry";
    let b = virtual_registry("acct/org", &target, "DOCKER", &[]);
    match c.try_send("POST", path, &[], Some(b.to_string().as_bytes())) {
        Ok(r) if r.status == 201 => out.created.push(target.clone()),
        _ => return out,
    }
    for i in 0u64.. {
        // Alternate a create and a PUT; stop at the first transport error (the kill).
        let id = format!("r{round}-w{w}-{i}");
        let body = virtual_registry("acct/org/p", &id, "NPM", &[]).to_string();
        match c.try_send("POST", path, &[], Some(body.as_bytes())) {
            Ok(r) if r.status == 201 => out.created.push(id),
            Ok(r) => panic!("create {id}: {} {}", r.status, r.text()),
            Err(_) => break,
        }
        let mut b = virtual_registry("acct/org", &target, "DOCKER", &[]);
        b["description"] = json!(i.to_string());
        match c.try_send(
            "PUT",
            &format!("{path}/acct/org/{target}/+"),
            &[],
            Some(b.to_string().as_bytes()),
        ) {
            Ok(r) if r.status == 200 => out.put_counter = Some(i),
            Ok(r) => panic!("put {target}: {} {}", r.status, r.text()),
            Err(_) => break,
        }
        acked.fetch_add(2, Ordering::SeqCst);
    }
    out
}

#[test]
fn acknowledged_writes_survive_kill_9() {
    let mut server = HarLocal::start();
    let mut all: Vec<(String, Option<(String, u64)>)> = Vec::new();
    for round in 0..2 {
        let acked = Arc::new(AtomicUsize::new(0));
        let handles: Vec<_> = (0..WRITERS)
            .map(|w| {
                let c = server.client();
                let acked = Arc::clone(&acked);
                thread::spawn(move || writer(c, round, w, acked))
            })
            .collect();
        // (A writer that failed stops early: don't wait for it forever.)
        while acked.load(Ordering::SeqCst) < KILL_AFTER && !handles.iter().all(|h| h.is_finished())
        {
            thread::sleep(std::time::Duration::from_millis(1));
        }
        server.kill9();
        for (w, h) in handles.into_iter().enumerate() {
            let a = h.join().expect("writer thread");
            let target = format!("put-r{round}-w{w}");
            all.extend(a.created.into_iter().map(|id| (id, None)));
            if let Some(n) = a.put_counter {
                all.push((target.clone(), Some((target, n))));
            }
        }
        server = server.restart();
        let mut c = server.client();
        for (id, put) in &all {
            let scope = if put.is_some() || id.starts_with("put-") {
                "acct/org"
            } else {
                "acct/org/p"
            };
            let r = c.get(&format!("/api/v1/registry/{scope}/{id}/+"));
            assert_eq!(r.status, 200, "acknowledged {id} lost: {}", r.text());
            if let Some((_, n)) = put {
                let stored: u64 = r.data()["description"]
                    .as_str()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or_else(|| panic!("{id}: no counter in {}", r.text()));
                assert!(
                    stored >= *n,
                    "{id}: acknowledged PUT {n} lost, found {stored}"
                );
            }
        }
    }
    assert!(
        all.len() >= 2 * KILL_AFTER / 2,
        "only {} writes checked",
        all.len()
    );
}
