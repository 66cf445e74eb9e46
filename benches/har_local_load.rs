//! Load benchmark of the release har-local binary on loopback: creates/s, GET/s, identifier
//! searches/s, their p50/p99 latencies and har-local's CPU time per request, bounded in count
//! and time.
//!
//!     cargo bench --bench har_local_load
//!
//! Env: `CONNECTIONS` (default 8), `CREATES` (default 20000), `GETS` (default 200000),
//! `SEARCHES` (default 20000: account-wide `search_term=<an existing identifier>` listings, the
//! provider's plan-time search by name), `PHASE_SECONDS` (default 20, a phase
//! stops early when it is spent), `DURABILITY` (`normal`, the default, or `full`: har-local's
//! `--durability`). A phase with a count of 0 is skipped.
//! Goals (docs/performance.md): >= 10,000 GET/s, >= 2,000 creates/s, p99 < 10 ms.

#[path = "../tests/support/har_local.rs"]
mod har_local;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use har_local::HarLocal;
use har_local::bodies::{upstream, virtual_registry};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct PhaseResult {
    name: &'static str,
    count: usize,
    errors: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
    /// har-local's user + system CPU time during the phase, when /proc tells.
    server_cpu: Option<Duration>,
}

/// User + system CPU time of process `pid` so far (Linux /proc; `None` elsewhere).
fn cpu_time(pid: Option<u32>) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid?)).ok()?;
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_secs_f64(
        ticks as f64 / clock_ticks_per_second(),
    ))
}

fn clock_ticks_per_second() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

impl PhaseResult {
    fn print(&mut self) {
        self.latencies.sort();
        let pct = |p: f64| {
            let i = ((self.latencies.len() as f64 * p).ceil() as usize).saturating_sub(1);
            self.latencies
                .get(i)
                .map(|d| d.as_secs_f64() * 1000.0)
                .unwrap_or(f64::NAN)
        };
        println!(
            "{:<8} {:>8} requests in {:>6.2} s = {:>9.0} req/s   p50 {:>6.3} ms   p99 {:>6.3} ms   max {:>7.3} ms   errors {}",
            self.name,
            self.count,
            self.elapsed.as_secs_f64(),
            self.count as f64 / self.elapsed.as_secs_f64(),
            pct(0.50),
            pct(0.99),
            pct(1.0),
            self.errors,
        );
        if let Some(cpu) = self.server_cpu {
            println!(
                "{:<8} har-local CPU {:.2} s = {:.3} ms per request ({:.0}% of one core)",
                "",
                cpu.as_secs_f64(),
                cpu.as_secs_f64() * 1000.0 / self.count.max(1) as f64,
                cpu.as_secs_f64() * 100.0 / self.elapsed.as_secs_f64(),
            );
        }
    }
}

/// Runs `op(client, i)` for i in 0..total over `connections` keep-alive connections, until
/// `total` is reached or `budget` is spent. `op` returns whether the answer was the expected one.
fn phase(
    name: &'static str,
    server: &HarLocal,
    connections: usize,
    total: usize,
    budget: Duration,
    op: impl Fn(&mut har_local::Client, usize) -> bool + Send + Sync + 'static,
) -> PhaseResult {
    let next = Arc::new(AtomicUsize::new(0));
    let op = Arc::new(op);
    let cpu_before = cpu_time(server.pid());
    let start = Instant::now();
    let handles: Vec<_> = (0..connections)
        .map(|_| {
            let mut c = server.client();
            let next = Arc::clone(&next);
            let op = Arc::clone(&op);
            thread::spawn(move || {
                let mut lat = Vec::with_capacity(total / connections + 1);
                let mut errors = 0;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total || start.elapsed() > budget {
                        break;
                    }
                    let t = Instant::now();
                    let ok = op(&mut c, i);
                    lat.push(t.elapsed());
                    errors += usize::from(!ok);
                }
                (lat, errors)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for h in handles {
        let (l, e) = h.join().expect("load thread");
        latencies.extend(l);
        errors += e;
    }
    let elapsed = start.elapsed();
    let server_cpu = cpu_time(server.pid())
        .zip(cpu_before)
        .map(|(after, before)| after.saturating_sub(before));
    PhaseResult {
        name,
        count: latencies.len(),
        errors,
        elapsed,
        latencies,
        server_cpu,
    }
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument is a filter we don't need.
    let connections = env("CONNECTIONS", 8);
    let creates = env("CREATES", 20_000);
    let gets = env("GETS", 200_000);
    let searches = env("SEARCHES", 20_000);
    let budget = Duration::from_secs(env("PHASE_SECONDS", 20) as u64);

    let durability = std::env::var("DURABILITY").unwrap_or_else(|_| "normal".into());
    let server = HarLocal::start_with(har_local::Options {
        extra_args: vec!["--durability".into(), durability.clone()],
        ..Default::default()
    });
    println!(
        "har-local (release) at {}, database {}, --durability {durability}, {connections} keep-alive connections",
        server.base_url(),
        server.db_path().display()
    );
    let mut c = server.client();
    let r = c.post("/api/v1/registry", &upstream("acct", "hub", "DOCKER"));
    assert_eq!(r.status, 201, "{}", r.text());

    let mut create = phase("create", &server, connections, creates, budget, |c, i| {
        let id = format!("reg-{i}");
        let body = virtual_registry("acct/org/proj", &id, "DOCKER", &["hub"]).to_string();
        c.try_send("POST", "/api/v1/registry", &[], Some(body.as_bytes()))
            .is_ok_and(|r| r.status == 201)
    });
    create.print();
    let existing = create.count.max(1);

    let mut get = phase("get", &server, connections, gets, budget, move |c, i| {
        // A spread of registries, none cached by the client side.
        let id = (i.wrapping_mul(7919)) % existing;
        c.try_send(
            "GET",
            &format!("/gateway/har/api/v1/registry/acct/org/proj/reg-{id}/+"),
            &[],
            None,
        )
        .is_ok_and(|r| r.status == 200)
    });
    if gets > 0 {
        get.print();
    }

    // The provider's search by name: account-wide, the first page of 100.
    const SEARCH: &str =
        "/gateway/har/api/v1/spaces/acct/+/registries?page=0&size=100&scope=descendants";
    let mut search = phase(
        "search",
        &server,
        connections,
        searches,
        budget,
        move |c, i| {
            // An existing identifier, spread over the account; the answer must list it.
            let id = format!("reg-{}", (i.wrapping_mul(7919)) % existing);
            let path = format!("{SEARCH}&search_term={id}");
            c.try_send("GET", &path, &[], None)
                .is_ok_and(|r| r.status == 200 && r.text().contains(&format!("\"{id}\"")))
        },
    );
    if searches > 0 {
        search.print();
    }
}
