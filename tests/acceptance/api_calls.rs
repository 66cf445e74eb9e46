//! How many API calls each terraform command makes, counted by har-local
//! (`GET /_har-local/stats`), against the table in docs/design/product.md "API calls per
//! operation": a first apply of N resources makes N creates and at most 2·(T + pages) name
//! checks (T = 8 searches by name, then one shared listing of the account, per provider
//! process), a no-change plan one GET per resource, an update one PUT and one GET beyond the
//! refresh, a destroy one DELETE per resource after its refresh. Call counts are behaviour:
//! the numbers are exact where the provider makes them exact.
//!
//! And the checks stay as strict: a name taken by another client between `plan -out` and
//! `apply` fails that resource's apply with a clear error, leaves it out of state and the
//! other client's registry as it was.
//!
//! Each test has its own har-local and runs its steps in order, so the counts are its own.

use std::collections::BTreeMap;

use crate::support;

use serde_json::json;
use support::acc::{Acc, AssertSays, apply_clean, attrs};
use support::har_local::Stats;

/// The directory's searches by name before it lists the account
/// (`src/provider/directory.rs`, `SEARCHES_BEFORE_LISTING`).
const T: u64 = 8;
const LIST: &str = "GET /spaces/{scope}/registries";
const GET: &str = "GET /registry/{ref}";

/// `pairs` upstream proxies `<prefix>p<i>` and as many DOCKER registries `<prefix>r<i>`, each
/// listing its proxy by reference (so Terraform plans the proxy first).
fn pairs_config(prefix: &str, pairs: usize, description: &str) -> String {
    let mut hcl = String::new();
    for i in 0..pairs {
        hcl.push_str(&format!(
            r#"
resource "har_upstream_proxy" "p{i}" {{
  identifier   = "{prefix}p{i}"
  package_type = "DOCKER"
  source       = "Dockerhub"
  auth_type    = "Anonymous"
}}
resource "har_registry" "r{i}" {{
  identifier      = "{prefix}r{i}"
  package_type    = "DOCKER"
  description     = "{d}"
  upstream_proxies = [har_upstream_proxy.p{i}.identifier]
}}
"#,
            d = if i == 0 { description } else { "" },
        ));
    }
    hcl
}

/// The calls of `stats` other than those on `routes`, for a readable failure.
fn others(stats: &Stats, routes: &[&str]) -> BTreeMap<String, u64> {
    stats
        .calls
        .iter()
        .filter(|(k, _)| !routes.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), *v))
        .collect()
}

#[test]
fn calls_per_command() {
    let acc = Acc::start();
    // One registry already in the account, so the listing has something to page (M' > 0).
    acc.create_proxy("acct", "ac-before", "DOCKER");
    let tf = acc.tf();
    let pairs = 6;
    let n = 2 * pairs as u64;
    tf.config(&acc.config(&pairs_config("ac-", pairs, "one")));

    // A first apply: N POSTs, and in each of its two provider walks (plan, then apply) T
    // searches plus one listing of a single page (M' ≤ 13 < 100). Nothing else: no GET of a
    // single registry, no follow-up PUT (DOCKER stores its upstream list on create), no v3
    // metadata call (no metadata set).
    acc.server.take_stats();
    tf.apply().assert_success();
    let s = acc.server.take_stats();
    assert_eq!(s.count("POST /registry"), n, "{s:?}");
    assert_eq!(s.count(LIST), 2 * (T + 1), "{s:?}");
    assert_eq!(others(&s, &["POST /registry", LIST]), BTreeMap::new());
    assert_eq!(s.total, n + 2 * (T + 1), "{s:?}");
    assert_eq!(
        acc.registry("acct/ac-r3")["config"]["upstreamProxies"],
        json!(["ac-p3"])
    );

    // A no-change plan: the refresh, one GET per resource, nothing else.
    acc.server.take_stats();
    tf.plan_detailed().assert_no_changes();
    let s = acc.server.take_stats();
    assert_eq!(s.count(GET), n, "{s:?}");
    assert_eq!(s.total, n, "{s:?}");

    // An update of one registry: its PUT and the one GET it starts from, beyond the refresh.
    tf.config(&acc.config(&pairs_config("ac-", pairs, "two")));
    tf.apply().assert_success();
    let s = acc.server.take_stats();
    assert_eq!(s.count("PUT /registry/{ref}"), 1, "{s:?}");
    assert_eq!(s.count(GET), n + 1, "{s:?}");
    assert_eq!(s.total, n + 2, "{s:?}");
    assert_eq!(acc.registry("acct/ac-r0")["description"], "two");
    acc.server.take_stats();

    // A destroy: the refresh, then one DELETE per resource, no GET before a DELETE.
    tf.destroy().assert_success();
    let s = acc.server.take_stats();
    assert_eq!(s.count(GET), n, "{s:?}");
    assert_eq!(s.count("DELETE /registry/{ref}"), n, "{s:?}");
    assert_eq!(s.total, 2 * n, "{s:?}");
    assert!(!acc.exists("acct/ac-r0") && acc.exists("acct/ac-before"));
}

/// A plan of a few creates is charged a search per name, never a listing of the account.
#[test]
fn few_creates_make_no_listing() {
    let acc = Acc::start();
    let tf = acc.tf();
    tf.config(&acc.config(&pairs_config("af-", 2, "")));
    acc.server.take_stats();
    tf.plan().assert_success();
    let s = acc.server.take_stats();
    // 2 identifier checks for the proxies, 2 for the registries; their links are to proxies
    // planned in the same run, judged as planned.
    assert_eq!(s.count(LIST), 4, "{s:?}");
    assert_eq!(s.total, 4, "{s:?}");
}

/// The name `late` is taken by another client after `plan -out`: the apply of the saved plan
/// fails for that resource, names it, records nothing for it, and leaves the other client's
/// registry untouched, while the rest of the plan is applied. `late` depends on more than T
/// others, so its check in the apply walk comes after the directory switched to its listing:
/// the listing (taken after the other client's create) sees it. `small` checks the same with
/// the search by name (a plan of one resource).
#[test]
fn a_name_taken_between_plan_and_apply_fails_that_resource() {
    let acc = Acc::start();
    for (prefix, pairs) in [("at-", 5), ("as-", 0)] {
        let tf = acc.tf();
        let late = format!("{prefix}late");
        let after: Vec<String> = (0..pairs)
            .flat_map(|i| {
                [
                    format!("har_upstream_proxy.p{i}"),
                    format!("har_registry.r{i}"),
                ]
            })
            .collect();
        let hcl = format!(
            r#"{}
resource "har_registry" "late" {{
  identifier   = "{late}"
  package_type = "HELM"
  depends_on   = [{}]
}}
"#,
            pairs_config(prefix, pairs, ""),
            after.join(", ")
        );
        tf.config(&acc.config(&hcl));
        tf.run(&["plan", "-input=false", "-no-color", "-out=tfplan"])
            .assert_success();
        // Another client takes the name: an upstream proxy of another package type.
        acc.create_proxy("acct", &late, "NPM");
        let theirs = acc.registry(&format!("acct/{late}"));
        acc.server.take_stats();
        let out = tf.run(&["apply", "-input=false", "-no-color", "tfplan"]);
        let s = acc.server.take_stats();
        out.assert_failure()
            .assert_says("Identifier already taken")
            .assert_says(&format!(
                "an upstream proxy named \"{late}\" already exists"
            ));
        assert_eq!(s.count("POST /registry"), 2 * pairs as u64, "{s:?}");
        // The apply walk asked 2·pairs + 1 questions: with pairs = 5, T searches and then the
        // listing, which answered `late`'s (it comes last); with none, one search.
        let expected = if pairs > 0 { T + 1 } else { 1 };
        assert_eq!(s.count(LIST), expected, "{s:?}");
        assert_eq!(
            acc.registry(&format!("acct/{late}")),
            theirs,
            "the other client's registry is untouched"
        );
        let state = tf.state_json();
        let addresses: Vec<String> = state["values"]["root_module"]["resources"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|r| r["address"].as_str().unwrap_or_default().to_string())
            .collect();
        assert!(
            !addresses.contains(&"har_registry.late".to_string()),
            "{addresses:?}"
        );
        assert_eq!(addresses.len(), 2 * pairs, "{addresses:?}");
        if pairs > 0 {
            assert_eq!(
                attrs(&tf, "har_registry.r0")["id"],
                format!("acct/{prefix}r0")
            );
        }
        // Without the taken name the configuration converges, and destroying it leaves the
        // other client's registry alone.
        tf.config(&acc.config(&pairs_config(prefix, pairs, "")));
        apply_clean(&tf);
        tf.destroy().assert_success();
        assert_eq!(acc.registry(&format!("acct/{late}")), theirs);
    }
}

fn metadata_webhook_rule(team: &str, hook_name: &str, rule_description: &str) -> String {
    format!(
        r#"
resource "har_registry" "m" {{
  identifier   = "am-reg"
  package_type = "DOCKER"
  metadata     = {{ team = "{team}" }}
}}
resource "har_webhook" "w" {{
  registry   = har_registry.m.id
  identifier = "notify"
  name       = "{hook_name}"
  url        = "https://hooks.example.com/a"
  triggers   = ["ARTIFACT_CREATION"]
}}
resource "har_lifecycle_rule" "r" {{
  name         = "cleanup"
  description  = "{rule_description}"
  action       = "DELETE"
  package_type = "DOCKER"
  apply_to = {{
    mode       = "EXPLICIT"
    registries = [har_registry.m.identifier]
  }}
  criteria = {{
    match = "ALL"
    rules = [{{ type = "KEEP_LAST_N", value = 10 }}]
  }}
  schedule = {{
    expression = "0 2 * * *"
    timezone   = "UTC"
  }}
}}
"#
    )
}

/// The calls a configuration needs beyond the registry itself, only where it uses them: a
/// registry with `metadata` (the v3 metadata GET and PUT), a webhook and a lifecycle rule
/// (one call each per operation; the rule's registries are checked in the directory).
#[test]
fn calls_of_metadata_webhooks_and_rules() {
    let acc = Acc::start();
    let tf = acc.tf();
    tf.config(&acc.config(&metadata_webhook_rule("a", "Notify", "one")));
    const META_GET: &str = "GET /v3/registries/{uuid}/metadata";
    const META_PUT: &str = "PUT /v3/registries/{uuid}/metadata";
    const HOOK: &str = "/registry/{ref}/webhooks";
    const HOOK_ID: &str = "/registry/{ref}/webhooks/{id}";
    const RULES: &str = "/v3/lifecycle/rules";
    const RULE_ID: &str = "/v3/lifecycle/rules/{id}";

    // Create: in each walk, a search for the registry's name and one for the rule's
    // registry; the registry's POST and its metadata (read, then written); the webhook's and
    // the rule's POST.
    acc.server.take_stats();
    tf.apply().assert_success();
    let s = acc.server.take_stats();
    let want = |pairs: &[(&str, u64)]| -> BTreeMap<String, u64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    };
    assert_eq!(
        s.calls,
        want(&[
            (LIST, 4),
            ("POST /registry", 1),
            (META_GET, 1),
            (META_PUT, 1),
            (&format!("POST {HOOK}"), 1),
            (&format!("POST {RULES}"), 1),
        ])
    );

    // No change: each refresh is one GET, and the registry's metadata one more.
    tf.plan_detailed().assert_no_changes();
    let s = acc.server.take_stats();
    let refresh = [
        (GET, 1),
        (META_GET, 1),
        (&format!("GET {HOOK_ID}") as &str, 1),
        (&format!("GET {RULE_ID}"), 1),
    ];
    assert_eq!(s.calls, want(&refresh));

    // Update of all three: only the metadata changes on the registry (no GET or PUT of the
    // registry itself), the webhook and the rule are one PUT each; the rule's registries did
    // not change, so no check.
    tf.config(&acc.config(&metadata_webhook_rule("b", "Notify CI", "two")));
    tf.apply().assert_success();
    let s = acc.server.take_stats();
    assert_eq!(
        s.calls,
        want(&[
            (GET, 1),
            (META_GET, 2),
            (META_PUT, 1),
            (&format!("GET {HOOK_ID}"), 1),
            (&format!("PUT {HOOK_ID}"), 1),
            (&format!("GET {RULE_ID}"), 1),
            (&format!("PUT {RULE_ID}"), 1),
        ])
    );
    tf.plan_detailed().assert_no_changes();
    acc.server.take_stats();

    // Destroy: the refresh, then one DELETE each.
    tf.destroy().assert_success();
    let s = acc.server.take_stats();
    let mut deletes = want(&refresh);
    for route in [
        "DELETE /registry/{ref}".to_string(),
        format!("DELETE {HOOK_ID}"),
        format!("DELETE {RULE_ID}"),
    ] {
        deletes.insert(route, 1);
    }
    assert_eq!(s.calls, deletes);
}

/// A name taken by another client after this apply's own check of it, just before its
/// create (the scripted front runs the other client's create, then forwards this provider's
/// POST): the create's answer ("already defined") fails that resource with the server's
/// message, nothing of it goes to state, the other registry stays as it was, and the rest of
/// the configuration is applied. Terraform starts the provider itself here, so the plan and
/// apply walks run in provider processes of their own, as in real use.
#[test]
fn a_name_taken_just_before_the_create_is_refused_by_the_create() {
    use support::front::{Front, Script};
    use support::har_local::{Client, HarLocal};
    use support::reliability::{Work, server_objects, state_objects};

    let h = HarLocal::start();
    let (addr, key) = (h.addr(), h.api_key().to_string());
    let front = Front::start(addr, move |id| {
        if id == "ar-race" {
            let r = Client::new(addr, Some(key.clone())).post(
                "/api/v1/registry",
                &json!({"identifier": "ar-race", "packageType": "NPM", "parentRef": "acct",
                    "description": "another team's", "config": {"type": "VIRTUAL"}}),
            );
            assert_eq!(r.status, 201, "{}", r.text());
        }
        Script::Forward
    });
    let endpoint = front.endpoint();
    let w = Work::with_env(&h, &[], &[("HARNESS_ENDPOINT", endpoint.as_str())]);
    let ours = "resource \"har_registry\" \"ok\" {\n  identifier = \"ar-ok\"\n  package_type = \"DOCKER\"\n}\n";
    w.tf.config(&support::terraform::with_provider(&format!(
        "provider \"har\" {{}}\n{ours}\
         resource \"har_registry\" \"race\" {{\n  identifier = \"ar-race\"\n  package_type = \"DOCKER\"\n  description = \"ours\"\n}}\n"
    )));
    let out = w.apply(2);
    out.assert_failure()
        .assert_says("Error creating registry ar-race")
        .assert_says("registry 'ar-race' is already defined");
    assert_eq!(
        state_objects(&w.tf).keys().collect::<Vec<_>>(),
        ["acct/ar-ok"],
        "nothing of ar-race in state"
    );
    let theirs = h.client().get("/api/v1/registry/acct/ar-race/+").data();
    assert_eq!(
        (&theirs["packageType"], &theirs["description"]),
        (&json!("NPM"), &json!("another team's"))
    );
    // Dropping it from the configuration, a destroy leaves the other registry alone.
    w.tf.config(&support::terraform::with_provider(&format!(
        "provider \"har\" {{}}\n{ours}"
    )));
    w.tf.run(&["destroy", "-input=false", "-no-color", "-auto-approve"])
        .assert_success();
    assert_eq!(
        server_objects(&h).keys().collect::<Vec<_>>(),
        ["acct/ar-race"]
    );
}
