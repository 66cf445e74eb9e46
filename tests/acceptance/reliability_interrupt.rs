//! Interrupted applies: an apply of 104 resources is interrupted like Ctrl-C in a terminal
//! (SIGINT to terraform's whole process group, so the provider plugin gets it too) at a
//! random point (after a random number of the apply's writes reached the server, so the
//! point falls inside the apply however fast the machine or the provider is), with 10% of requests faulted so some calls are mid-retry. Right after the
//! interrupt the server must hold exactly what the state holds (what was created was
//! returned and recorded, nothing half-done is left unrecorded); the next apply completes,
//! the plan after it is empty and server and state still agree, each registry once. And
//! against a server failing every write, an interrupt ends the retry waits at once
//! (StopProvider), instead of leaving Terraform waiting out each call's retry budget.
//!
//! Terraform runs in dev_overrides mode (it starts the provider as a real plugin), because
//! a reattached `--debug` provider is not in terraform's process group and would not see
//! the signal a user's terminal sends.

use crate::support;

use rand::{Rng, SeedableRng};
use support::reliability::{
    TYPES, Work, assert_agree, counts, figures, fleet, server, server_with,
};

const RUNS: u64 = 4;

/// Interrupts the apply once `writes` writes (faulted ones included) reached the server.
fn run(i: u64, writes: u64) -> String {
    let h = server(0.1, 100 + i);
    let w = Work::new(&h);
    w.tf.config(&fleet(&format!("i{i}"), 20, 6, 4, "interrupted"));
    let first =
        w.apply_interrupted_when(16, || counts(&h)["writes"].as_u64().unwrap_or(0) >= writes);
    let interrupted = first.output().contains("Interrupt received");
    // Whatever the point of interruption: what exists is in state, and only that.
    let recorded = assert_agree(&h, &w.tf);
    w.apply(16).assert_success();
    w.plan_detailed(16).assert_no_changes();
    let n = assert_agree(&h, &w.tf);
    assert_eq!(n, 104);
    format!(
        "run {i}: SIGINT after {writes} writes, {} (exit {}), {recorded} objects recorded and \
         on the server; re-apply ok, plan empty, server = state ({n}); {}",
        if interrupted {
            "interrupted mid-apply"
        } else {
            "apply had finished"
        },
        first.code,
        figures(&counts(&h)),
    )
}

#[test]
fn interrupted_applies_leave_state_honest_and_converge() {
    // Printed, so a failing point can be replayed: HAR_INTERRUPT_SEED=<seed>.
    let seed: u64 = std::env::var("HAR_INTERRUPT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::random::<u16>().into());
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    // Of the 104 creates (and their retried writes): early, middle and late points.
    let points: Vec<u64> = (0..RUNS).map(|_| rng.random_range(5..95)).collect();
    eprintln!("interrupts after these numbers of writes, from seed {seed}: {points:?}");
    let lines: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = points
            .iter()
            .enumerate()
            .map(|(i, &n)| s.spawn(move || run(i as u64, n)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    for l in &lines {
        eprintln!("{l}");
    }
    assert!(
        lines.iter().any(|l| l.contains("interrupted mid-apply")),
        "at least one run must have been interrupted while applying"
    );
}

/// Every write fails, so each create would go on retrying for its whole budget (ten minutes
/// here). Ctrl-C makes Terraform send StopProvider: each create stops waiting to retry, says
/// why, reads its registry back (there is none: every fault struck before the write), and
/// Terraform exits with the server and the state both empty.
#[test]
fn an_interrupt_ends_the_retry_waits() {
    let h = server_with(1.0, 7, &["--fault-writes-only", "--fault-phase", "before"]);
    let w = Work::with_env(
        &h,
        &[],
        &[
            ("HAR_CLIENT_RETRY_BUDGET", "600"),
            ("HAR_CLIENT_MAX_ATTEMPTS", "100000"),
        ],
    );
    // One proxy per package type, every create failing.
    w.tf.config(&fleet("stop", 1, 0, 0, "never created"));
    let creates = TYPES.len();
    let faults = || counts(&h)["faults"].as_u64().unwrap_or(0) as usize;
    // Interrupted once the creates have failed about twice each, so they wait to retry.
    let out = w.apply_interrupted_when(16, || faults() >= 2 * creates);
    let text = out.output();
    assert_ne!(out.code, 0, "{text}");
    assert!(text.contains("Interrupt received"), "{text}");
    // Terraform wraps diagnostics at 78 columns: compare with the line breaks taken out.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let stopped = flat.matches("Terraform asked the provider to stop").count();
    assert!(
        stopped >= creates,
        "{stopped} of {creates} creates said they were stopped (did retries run on?):\n{text}"
    );
    assert_eq!(assert_agree(&h, &w.tf), 0, "nothing was created");
    eprintln!(
        "{stopped} create(s) stopped waiting to retry; {}",
        figures(&counts(&h))
    );
}
