//! Applies under injected faults: har-local fails 30% of requests (429 with Retry-After,
//! 500, 502, 503, dropped connections, answers delayed past the client's timeout), half of
//! them after the request took effect (a create whose answer is lost). For several seeds, an
//! apply of 100+ proxies and registries linking them must succeed, the next plan (still under
//! faults) must be empty, and the server must hold exactly what the state holds.
//!
//! The figures (faults by kind and before/after phase, retries and adoptions from the
//! provider's log) are printed: `cargo test --test reliability_faults -- --nocapture`.

mod support;

use support::reliability::{Work, assert_agree, counts, figures, fleet, server};

/// 4 package types x (20 proxies + 6 registries of 4 links) = 104 resources.
const PROXIES: usize = 20;
const REGISTRIES: usize = 6;
const SEEDS: [u64; 3] = [1, 2, 3];

fn run(seed: u64) -> String {
    let h = server(0.3, seed);
    let w = Work::new(&h);
    w.tf.config(&fleet(
        &format!("s{seed}"),
        PROXIES,
        REGISTRIES,
        4,
        "faulted",
    ));
    let apply = w.apply(16);
    apply.succeeds();
    let after_apply = counts(&h);
    w.plan_detailed(16).is_empty();
    let n = assert_agree(&h, &w.tf);
    assert_eq!(n, 4 * (PROXIES + REGISTRIES), "every resource is in state");
    let c = counts(&h);
    assert!(
        c["faults"].as_u64().unwrap_or(0) > 30,
        "faults were injected: {c}"
    );
    format!(
        "seed {seed}: apply ok, next plan empty, server = state ({n} objects); apply: {}; \
         apply+plan: {}; provider retries={} creates adopted after a lost answer={}",
        figures(&after_apply),
        figures(&c),
        w.log_count("retrying HAR API call"),
        w.log_count("adopting it"),
    )
}

#[test]
fn applies_under_faults_converge_for_several_seeds() {
    // Seeds run side by side: most of a faulted run is waiting (backoff, delays).
    let lines: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = SEEDS
            .iter()
            .map(|&seed| s.spawn(move || run(seed)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    for l in lines {
        eprintln!("{l}");
    }
}
