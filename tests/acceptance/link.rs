//! The link between a registry and its upstream proxies: plan-time online checks (a proxy of
//! another package type, not a proxy, in a scope the registry cannot see; an identifier taken
//! elsewhere in the account, with the import command to adopt it), and the check after every
//! write that fails loudly when the server silently drops a proxy.

use crate::support;

use serde_json::json;
use support::acc::{Acc, AssertSays, Scenario, apply_clean, attrs, run_all};

const SCENARIOS: &[Scenario] = &[
    ("plan_time_link_errors", plan_time_link_errors),
    ("identifier_taken", identifier_taken),
    ("silent_drop_of_missing_proxy", silent_drop_of_missing_proxy),
    (
        "silent_drop_of_other_package_type",
        silent_drop_of_other_package_type,
    ),
    (
        "saved_plan_rechecked_at_apply",
        saved_plan_rechecked_at_apply,
    ),
    (
        "proxies_planned_in_the_same_run",
        proxies_planned_in_the_same_run,
    ),
];

#[test]
fn links() {
    let acc = Acc::start();
    run_all(&acc, SCENARIOS, 3);
}

fn plan_time_link_errors(acc: &Acc) {
    acc.create_proxy("acct", "ln-helm", "HELM");
    acc.create_proxy("acct/other", "ln-hidden", "DOCKER");
    let r = acc.post(&json!({"identifier": "ln-virtual", "packageType": "DOCKER",
        "parentRef": "acct", "config": {"type": "VIRTUAL"}}));
    assert_eq!(r.status, 201, "{}", r.text());
    let tf = acc.tf();
    tf.config(&acc.config(
        r#"resource "har_registry" "r" {
  identifier       = "ln-reg"
  package_type     = "DOCKER"
  org_id           = "team"
  upstream_proxies = ["ln-not-yet", "ln-helm", "ln-virtual", "ln-hidden"]
}"#,
    ));
    let before = acc.snapshot("ln-reg");
    let out = tf.plan();
    out.assert_failure()
        .assert_says("Upstream proxy cannot be linked")
        .assert_says("upstream_proxies[1]: upstream proxy \"ln-helm\" has package type HELM")
        .assert_says("upstream_proxies[2]: \"ln-virtual\" is a registry (VIRTUAL)")
        .assert_says("upstream_proxies[3]: upstream proxy \"ln-hidden\" lives in acct/other")
        .assert_does_not_mention("upstream_proxies[0]");
    assert_eq!(
        acc.snapshot("ln-reg"),
        before,
        "a failed plan must not write"
    );
    assert!(before.is_empty() && !acc.exists("acct/team/ln-reg"));
}

fn identifier_taken(acc: &Acc) {
    acc.create_proxy("acct/elsewhere", "ln-taken", "DOCKER");
    let r = acc.post(&json!({"identifier": "ln-taken-reg", "packageType": "HELM",
        "parentRef": "acct", "config": {"type": "VIRTUAL"}}));
    assert_eq!(r.status, 201, "{}", r.text());
    let tf = acc.tf();
    // Same type, another scope: the import command, and the scope to set.
    tf.config(&acc.config(
        r#"resource "har_upstream_proxy" "p" {
  identifier   = "ln-taken"
  package_type = "DOCKER"
  source       = "Dockerhub"
  auth_type    = "Anonymous"
}"#,
    ));
    tf.plan()
        .assert_failure()
        .assert_says("Identifier already taken")
        .assert_says("terraform import har_upstream_proxy.<name> acct/elsewhere/ln-taken")
        .assert_says("set org_id/project_id to match");
    // Same scope: the import command works as printed.
    tf.config(&acc.config(
        r#"resource "har_registry" "r" {
  identifier   = "ln-taken-reg"
  package_type = "HELM"
}"#,
    ));
    tf.plan()
        .assert_failure()
        .assert_says("terraform import har_registry.<name> acct/ln-taken-reg");
    support::acc::import(&tf, "har_registry.r", "acct/ln-taken-reg").assert_success();
    tf.plan_detailed().assert_no_changes();
    // Taken by the other kind: says which resource type manages it.
    let tf2 = acc.tf();
    tf2.config(&acc.config(
        r#"resource "har_registry" "r" {
  identifier   = "ln-taken"
  package_type = "DOCKER"
}"#,
    ));
    tf2.plan()
        .assert_failure()
        .assert_says("is managed with the har_upstream_proxy resource");
}

fn silent_drop_of_missing_proxy(acc: &Acc) {
    let tf = acc.tf();
    tf.config(&acc.config(
        r#"resource "har_upstream_proxy" "real" {
  identifier   = "ln-real"
  package_type = "NPM"
  source       = "NpmJs"
  auth_type    = "Anonymous"
}
resource "har_registry" "r" {
  identifier       = "ln-drop"
  package_type     = "NPM"
  upstream_proxies = [har_upstream_proxy.real.identifier, "ln-ghost"]
}"#,
    ));
    // Plan is fine: a proxy that does not exist yet may be created by the same apply.
    tf.plan().assert_success();
    tf.apply()
        .assert_failure()
        .assert_says("Upstream proxies dropped by the server")
        .assert_says("ln-ghost: no registry or proxy named \"ln-ghost\" exists")
        .assert_says("The registry now holds [\"ln-real\"]");
    // The created registry is not lost: it is in state, with what the server holds.
    assert_eq!(
        acc.registry("acct/ln-drop")["config"]["upstreamProxies"],
        json!(["ln-real"])
    );
    let s = attrs(&tf, "har_registry.r");
    assert_eq!(s["upstream_proxies"], json!(["ln-real"]));
    // And the next plan shows the difference instead of hiding it.
    tf.plan_detailed().assert_changes();
    tf.destroy().assert_success();
}

fn silent_drop_of_other_package_type(acc: &Acc) {
    let tf = acc.tf();
    let cfg = |description: &str| {
        acc.config(&format!(
            r#"resource "har_registry" "r" {{
  identifier       = "ln-stale"
  package_type     = "DOCKER"
  description      = "{description}"
  upstream_proxies = ["ln-swapped"]
}}"#
        ))
    };
    acc.create_proxy("acct", "ln-swapped", "DOCKER");
    tf.config(&cfg("one"));
    apply_clean(&tf);
    // Behind Terraform's back: the proxy is unlinked, deleted and re-created as HELM.
    acc.modify("acct/ln-stale", |d| {
        d["config"]["upstreamProxies"] = json!([])
    });
    assert_eq!(acc.delete("acct/ln-swapped").status, 200);
    acc.create_proxy("acct", "ln-swapped", "HELM");
    // With a stale state (-refresh=false) the plan sees no link change to check; the server
    // drops the proxy on PUT, and the apply says so, with the reason.
    tf.config(&cfg("two"));
    tf.run(&[
        "apply",
        "-input=false",
        "-no-color",
        "-auto-approve",
        "-refresh=false",
    ])
    .assert_failure()
    .assert_says("Upstream proxies dropped by the server")
    .assert_says(
        "ln-swapped: upstream proxy \"ln-swapped\" has package type HELM, this registry is DOCKER",
    );
    assert_eq!(acc.registry("acct/ln-stale")["description"], "two");
    assert_eq!(
        attrs(&tf, "har_registry.r")["upstream_proxies"],
        json!(null)
    );
    // A normal plan now refuses the link before any write.
    tf.plan()
        .assert_failure()
        .assert_says("has package type HELM");
}

fn saved_plan_rechecked_at_apply(acc: &Acc) {
    let tf = acc.tf();
    tf.config(&acc.config(
        r#"resource "har_registry" "r" {
  identifier       = "ln-saved"
  package_type     = "CARGO"
  upstream_proxies = ["ln-late"]
}"#,
    ));
    tf.run(&["plan", "-input=false", "-no-color", "-out=tfplan"])
        .assert_success();
    // Between plan and apply, someone creates the proxy with another package type.
    acc.create_proxy("acct", "ln-late", "GO");
    let before = acc.snapshot("ln-late");
    tf.run(&["apply", "-input=false", "-no-color", "tfplan"])
        .assert_failure()
        .assert_says("upstream proxy \"ln-late\" has package type GO");
    assert!(!acc.exists("acct/ln-saved"));
    assert_eq!(acc.snapshot("ln-late"), before);
}

fn proxies_planned_in_the_same_run(acc: &Acc) {
    let tf = acc.tf();
    let cfg = |proxy_pt: &str, registry_pt: &str| {
        acc.config(&format!(
            r#"resource "har_upstream_proxy" "p" {{
  identifier   = "ln-pair-proxy"
  package_type = "{proxy_pt}"
  source       = "Custom"
  url          = "https://artifacts.example.com"
  auth_type    = "Anonymous"
}}
resource "har_registry" "r" {{
  identifier       = "ln-pair"
  package_type     = "{registry_pt}"
  upstream_proxies = [har_upstream_proxy.p.identifier]
}}"#
        ))
    };
    // A proxy to be created with another package type is caught at plan, not by the server.
    tf.config(&cfg("HELM", "DOCKER"));
    tf.plan().assert_failure().assert_says(
        "upstream proxy \"ln-pair-proxy\" has package type HELM, this registry is DOCKER",
    );
    assert!(!acc.exists("acct/ln-pair-proxy"));
    tf.config(&cfg("DOCKER", "DOCKER"));
    apply_clean(&tf);
    // Both change package type together: the registry is judged against the proxy as planned.
    tf.config(&cfg("HELM", "HELM"));
    tf.plan()
        .assert_success()
        .assert_replaces("har_registry.r")
        .assert_replaces("har_upstream_proxy.p");
    apply_clean(&tf);
    assert_eq!(
        acc.registry("acct/ln-pair")["config"]["upstreamProxies"],
        json!(["ln-pair-proxy"])
    );
    tf.destroy().assert_success();
}
