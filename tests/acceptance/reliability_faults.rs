//! Applies under injected faults: har-local fails 30% of requests (429 with Retry-After,
//! 500, 502, 503, dropped connections, answers delayed past the client's timeout), half of
//! them after the request took effect (a create whose answer is lost). For several seeds, an
//! apply of 100+ proxies and registries linking them must succeed, the next plan (still under
//! faults) must be empty, and the server must hold exactly what the state holds; the same
//! after an update of every object (PUTs retried after they took effect: idempotent); and a
//! destroy under faults (a DELETE retried after it took effect finds the registry gone:
//! success) must leave the server empty.
//!
//! The figures (faults by kind and before/after phase, retries and adoptions from the
//! provider's log) are printed: `cargo test --test reliability_faults -- --nocapture`.

use crate::support;

use support::reliability::{
    Work, assert_agree, counts, figures, fleet, server, server_objects, server_with, state_objects,
};

/// 4 package types x (20 proxies + 6 registries of 4 links) = 104 resources.
const PROXIES: usize = 20;
const REGISTRIES: usize = 6;
const SEEDS: [u64; 3] = [1, 2, 3];

fn run(seed: u64) -> String {
    let h = server(0.3, seed);
    let w = Work::new(&h);
    let prefix = format!("s{seed}");
    let total = 4 * (PROXIES + REGISTRIES);
    let mut lines = vec![format!("seed {seed}:")];
    // Create, then update everything (descriptions, shorter link lists), each followed by
    // an empty plan and server = state; then destroy.
    for (stage, links, desc) in [("create", 4, "faulted"), ("update", 3, "faulted-v2")] {
        w.tf.config(&fleet(&prefix, PROXIES, REGISTRIES, links, desc));
        w.apply(16).assert_success();
        w.plan_detailed(16).assert_no_changes();
        let n = assert_agree(&h, &w.tf);
        assert_eq!(n, total, "every resource is in state");
        lines.push(format!(
            "  {stage}: apply ok, next plan empty, server = state ({n}); cumulative {}",
            figures(&counts(&h))
        ));
    }
    w.tf.run(&[
        "destroy",
        "-input=false",
        "-no-color",
        "-auto-approve",
        "-parallelism=16",
    ])
    .assert_success();
    assert!(server_objects(&h).is_empty(), "destroy left objects behind");
    let c = counts(&h);
    assert!(
        c["faults"].as_u64().unwrap_or(0) > 100,
        "faults were injected: {c}"
    );
    lines.push(format!(
        "  destroy: ok, server empty; cumulative {}\n  provider: retries={} creates adopted \
         after a lost answer={} deletes that found the registry already gone={}",
        figures(&c),
        w.log_count("retrying HAR API call"),
        w.log_count("adopting it"),
        w.log_gone_deletes(),
    ));
    lines.join("\n")
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

/// Two proxies whose creates meet a server failing every write, with 3 attempts allowed.
fn two_proxies(prefix: &str) -> String {
    support::terraform::with_provider(&format!(
        "provider \"har\" {{}}\n\
         resource \"har_upstream_proxy\" \"d\" {{\n  identifier = \"{prefix}-d\"\n  package_type = \"DOCKER\"\n  source = \"Dockerhub\"\n  auth_type = \"Anonymous\"\n}}\n\
         resource \"har_upstream_proxy\" \"m\" {{\n  identifier = \"{prefix}-m\"\n  package_type = \"MAVEN\"\n  source = \"MavenCentral\"\n  auth_type = \"Anonymous\"\n}}\n"
    ))
}

const THREE_ATTEMPTS: [(&str, &str); 1] = [("HAR_CLIENT_MAX_ATTEMPTS", "3")];

/// Retries run out and no attempt took effect: the apply fails saying how many attempts
/// were made and that the object is not there; nothing is on the server or in state.
#[test]
fn spent_budget_before_the_effect_says_nothing_was_created() {
    let h = server_with(1.0, 9, &["--fault-writes-only", "--fault-phase", "before"]);
    let w = Work::with_env(&h, &[], &THREE_ATTEMPTS);
    w.tf.config(&two_proxies("nb"));
    let out = w.apply(4);
    out.assert_failure()
        .assert_mentions("gave up after 3 attempts");
    let flat = out
        .output()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for id in ["nb-d", "nb-m"] {
        assert!(
            flat.contains(&format!("acct/{id} does not exist, so nothing was created"))
                || flat.contains(&format!("creating upstream proxy {id}"))
                    && flat.contains("No attempt took effect"),
            "the diagnostic for {id} says what state it is in:\n{flat}"
        );
    }
    assert!(server_objects(&h).is_empty());
    assert_eq!(assert_agree(&h, &w.tf), 0);
    eprintln!(
        "retries ran out before the effect: {}",
        figures(&counts(&h))
    );
}

/// Retries run out but an attempt took effect each time (every answer lost): the provider
/// reads the registry back and returns it, so Terraform records it and the next plan is
/// empty, instead of an orphan that the next plan would call "identifier taken".
#[test]
fn spent_budget_after_the_effect_adopts_what_was_created() {
    let h = server_with(1.0, 9, &["--fault-writes-only", "--fault-phase", "after"]);
    let w = Work::with_env(&h, &[], &THREE_ATTEMPTS);
    w.tf.config(&two_proxies("na"));
    w.apply(4).assert_success();
    w.plan_detailed(4).assert_no_changes();
    assert_eq!(assert_agree(&h, &w.tf), 2);
    eprintln!(
        "retries ran out after the effect: {}; adopted={}",
        figures(&counts(&h)),
        w.log_count("adopting it")
    );
}

/// A create whose answer is lost is adopted only if what the read-back finds is what this
/// create sent. `mine`: the first POST took effect and its answer was lost (adopted; the
/// next plan is empty). `theirs`: the first POST failed and meanwhile someone else created
/// the same name (same type and package type, another description); the retry is told it
/// exists, the read-back shows it is not this create's, so the apply fails saying so, with
/// the import command, nothing goes to state, and a destroy leaves the other one alone.
#[test]
fn a_name_taken_meanwhile_is_not_adopted() {
    use support::front::{Front, Script};
    use support::har_local::HarLocal;

    let h = HarLocal::start();
    let (addr, key) = (h.addr(), h.api_key().to_string());
    let front = Front::start(addr, move |id| match id {
        "lost-mine" => Script::LoseAnswer,
        "lost-theirs" => {
            let key = key.clone();
            Script::FailAfter(Box::new(move || {
                let mut c = support::har_local::Client::new(addr, Some(key.clone()));
                let r = c.post(
                    "/api/v1/registry",
                    &serde_json::json!({"identifier": "lost-theirs", "packageType": "DOCKER",
                        "parentRef": "acct", "description": "another team's",
                        "config": {"type": "VIRTUAL"}}),
                );
                assert_eq!(r.status, 201, "{}", r.text());
            }))
        }
        _ => Script::Forward,
    });
    let endpoint = front.endpoint();
    let w = Work::with_env(&h, &[], &[("HARNESS_ENDPOINT", endpoint.as_str())]);
    w.tf.config(&support::terraform::with_provider(
        "provider \"har\" {}\n\
         resource \"har_registry\" \"mine\" {\n  identifier = \"lost-mine\"\n  package_type = \"DOCKER\"\n  description = \"ours\"\n}\n\
         resource \"har_registry\" \"theirs\" {\n  identifier = \"lost-theirs\"\n  package_type = \"DOCKER\"\n  description = \"ours\"\n}\n",
    ));
    let out = w.apply(2);
    out.assert_failure();
    let flat = out
        .output()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for phrase in [
        "taken by someone else meanwhile",
        "differs in: description",
        "terraform import har_registry.<name> acct/lost-theirs",
    ] {
        assert!(flat.contains(phrase), "{phrase:?} in:\n{flat}");
    }
    assert_eq!(w.log_count("adopting it"), 1, "only lost-mine is adopted");
    let state = state_objects(&w.tf);
    assert_eq!(
        state.keys().collect::<Vec<_>>(),
        ["acct/lost-mine"],
        "the other team's registry is not in state"
    );
    // The plan of a destroy still plans the configuration, whose `theirs` would now be
    // refused as taken: the user drops it (or imports the other one) first.
    w.tf.config(&support::terraform::with_provider(
        "provider \"har\" {}\n\
         resource \"har_registry\" \"mine\" {\n  identifier = \"lost-mine\"\n  package_type = \"DOCKER\"\n  description = \"ours\"\n}\n",
    ));
    w.tf.run(&["destroy", "-input=false", "-no-color", "-auto-approve"])
        .assert_success();
    let left = server_objects(&h);
    assert_eq!(left.keys().collect::<Vec<_>>(), ["acct/lost-theirs"]);
    assert_eq!(left["acct/lost-theirs"].description, "another team's");
}
