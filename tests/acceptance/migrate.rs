//! `tfhar migrate-from-harness`, end to end: objects made in har-local the way the official
//! provider makes them, a `terraform show -json` state of the official provider describing
//! them (account, org and project scopes, `count`, a child module under `for_each`, UPSTREAM
//! with each auth type, VIRTUAL with an ordered upstream list, and the newer `org_id`/
//! `project_id` form), the import blocks tfhar writes, `terraform plan
//! -generate-config-out`, `terraform apply`: the next plan is empty and the objects on the
//! server are exactly as they were (same uuid, same fields, not even `modifiedAt` moved).
//! And bad input: a clear error, exit code 2, nothing on stdout.

use crate::support;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};
use support::acc::{Acc, AssertSays, attrs};
use terraform_provider_har::migrate::coverage::{self, Fate};

/// Runs the tfhar binary cargo built for this test run, in `dir`.
fn tfhar(dir: &Path, args: &[&str], account_env: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tfhar"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("HARNESS_ACCOUNT_ID");
    if let Some(a) = account_env {
        cmd.env("HARNESS_ACCOUNT_ID", a);
    }
    cmd.output().expect("run tfhar")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[track_caller]
fn post(acc: &Acc, body: Value) {
    let r = acc.post(&body);
    assert_eq!(r.status, 201, "{body}: {}", r.text());
}

/// The official provider's state values of one registry, as its `readRegistry` writes them
/// (SDKv2: unset strings are "", unset lists []).
fn official_values(identifier: &str, package_type: &str, scope: Value, config: Value) -> Value {
    let mut v = json!({
        "id": identifier, "identifier": identifier, "package_type": package_type,
        "description": "", "url": "", "created_at": "1733000000000",
        "allowed_pattern": [], "blocked_pattern": [], "is_public": false, "metadata": {},
        "parent_ref": "", "space_ref": "",
        "config": [config],
    });
    for (k, val) in scope.as_object().expect("scope object") {
        v[k] = val.clone();
    }
    v
}

fn upstream_config(source: &str, url: &str, auth: Value) -> Value {
    json!({"type": "UPSTREAM", "source": source, "url": url,
           "auth_type": auth["auth_type"], "auth": [auth], "upstream_proxies": [],
           "firewall_mode": "ALLOW", "remote_url_suffix": "",
           "metadata_cache_ttl": 0, "negative_cache_ttl": 0})
}

fn auth(auth_type: &str, fields: Value) -> Value {
    let mut a = json!({"auth_type": auth_type, "user_name": "", "secret_identifier": "",
        "secret_space_path": "", "access_key": "", "access_key_identifier": "",
        "access_key_secret_path": "", "secret_key_identifier": "", "secret_key_secret_path": ""});
    for (k, v) in fields.as_object().expect("fields") {
        a[k] = v.clone();
    }
    a
}

fn instance(address: &str, name: &str, index: Value, values: Value) -> Value {
    json!({"address": address, "mode": "managed", "type": "harness_platform_har_registry",
           "name": name, "index": index,
           "provider_name": "registry.terraform.io/harness/harness", "schema_version": 0,
           "values": values, "sensitive_values": {"config": [{"auth": [{}]}]}})
}

/// The registries in har-local, made as the official provider makes them (POST with
/// `parentRef` and the nested `config`), and the state that provider would hold for them.
fn seed(acc: &Acc) -> Value {
    // count = 2: a Dockerhub proxy at the account, another in an org.
    post(
        acc,
        json!({"identifier": "mg-hub", "packageType": "DOCKER", "parentRef": "acct",
        "config": {"type": "UPSTREAM", "source": "Dockerhub", "url": "",
                   "authType": "Anonymous", "auth": {"authType": "Anonymous"}}}),
    );
    post(
        acc,
        json!({"identifier": "mg-hub-org", "packageType": "DOCKER", "parentRef": "acct/mgo",
        "description": "second of two",
        "config": {"type": "UPSTREAM", "source": "Dockerhub", "authType": "Anonymous"}}),
    );
    post(
        acc,
        json!({"identifier": "mg-user", "packageType": "DOCKER", "parentRef": "acct/mgo",
        "config": {"type": "UPSTREAM", "source": "Custom", "url": "https://registry.example.com",
                   "authType": "UserPassword",
                   "auth": {"authType": "UserPassword", "userName": "bot",
                            "secretIdentifier": "pw"}}}),
    );
    post(
        acc,
        json!({"identifier": "mg-ecr", "packageType": "DOCKER", "parentRef": "acct/mgo/mgp",
        "config": {"type": "UPSTREAM", "source": "AwsEcr",
                   "url": "https://123456789012.dkr.ecr.us-east-1.amazonaws.com",
                   "authType": "AccessKeySecretKey",
                   "auth": {"authType": "AccessKeySecretKey",
                            "accessKeySecretIdentifier": "aws_ak",
                            "accessKeySecretSpacePath": "acct/mgo",
                            "secretKeyIdentifier": "aws_sk", "secretKeySpacePath": "acct"}}}),
    );
    // VIRTUAL in the project, resolving through all four in this (non-alphabetical) order.
    post(
        acc,
        json!({"identifier": "mg-main", "packageType": "DOCKER", "parentRef": "acct/mgo/mgp",
        "description": "all images", "allowedPattern": ["team/*"], "blockedPattern": ["*:latest"],
        "config": {"type": "VIRTUAL",
                   "upstreamProxies": ["mg-user", "mg-ecr", "mg-hub-org", "mg-hub"]}}),
    );
    // In a child module under for_each, written with the newer org_id (no parent_ref).
    post(
        acc,
        json!({"identifier": "mg-npm", "packageType": "NPM", "parentRef": "acct/mgo",
        "config": {"type": "VIRTUAL", "upstreamProxies": []}}),
    );

    let hub = |id: &str, parent: &str| {
        official_values(
            id,
            "DOCKER",
            json!({"parent_ref": parent, "space_ref": parent}),
            upstream_config("Dockerhub", "", auth("Anonymous", json!({}))),
        )
    };
    let mut hub_org = hub("mg-hub-org", "acct/mgo");
    hub_org["description"] = json!("second of two");
    let user = official_values(
        "mg-user",
        "DOCKER",
        json!({"parent_ref": "acct/mgo", "space_ref": "acct/mgo"}),
        upstream_config(
            "Custom",
            "https://registry.example.com",
            auth(
                "UserPassword",
                json!({"user_name": "bot", "secret_identifier": "pw"}),
            ),
        ),
    );
    let ecr = official_values(
        "mg-ecr",
        "DOCKER",
        json!({"parent_ref": "acct/mgo/mgp", "space_ref": "acct/mgo/mgp"}),
        upstream_config(
            "AwsEcr",
            "https://123456789012.dkr.ecr.us-east-1.amazonaws.com",
            auth(
                "AccessKeySecretKey",
                json!({"access_key_identifier": "aws_ak", "access_key_secret_path": "acct/mgo",
                       "secret_key_identifier": "aws_sk", "secret_key_secret_path": "acct"}),
            ),
        ),
    );
    let mut main = official_values(
        "mg-main",
        "DOCKER",
        json!({"parent_ref": "acct/mgo/mgp", "space_ref": "acct/mgo/mgp"}),
        json!({"type": "VIRTUAL",
               "upstream_proxies": ["mg-user", "mg-ecr", "mg-hub-org", "mg-hub"],
               "source": "", "url": "", "auth_type": "", "auth": [], "firewall_mode": "",
               "remote_url_suffix": "", "metadata_cache_ttl": 0, "negative_cache_ttl": 0}),
    );
    main["description"] = json!("all images");
    main["allowed_pattern"] = json!(["team/*"]);
    main["blocked_pattern"] = json!(["*:latest"]);
    let npm = official_values(
        "mg-npm",
        "NPM",
        json!({"org_id": "mgo", "project_id": ""}),
        json!({"type": "VIRTUAL", "upstream_proxies": []}),
    );
    json!({
        "format_version": "1.0",
        "terraform_version": "1.11.4",
        "values": {"root_module": {
            "resources": [
                instance("harness_platform_har_registry.hub[0]", "hub", json!(0), hub("mg-hub", "acct")),
                instance("harness_platform_har_registry.hub[1]", "hub", json!(1), hub_org),
                instance("harness_platform_har_registry.user", "user", Value::Null, user),
                instance("harness_platform_har_registry.ecr", "ecr", Value::Null, ecr),
                instance("harness_platform_har_registry.main", "main", Value::Null, main),
                {"address": "harness_platform_organization.o", "mode": "managed",
                 "type": "harness_platform_organization", "name": "o",
                 "provider_name": "registry.terraform.io/harness/harness",
                 "values": {"identifier": "mgo"}},
            ],
            "child_modules": [{
                "address": "module.team[\"eu-west\"]",
                "resources": [instance(
                    "module.team[\"eu-west\"].harness_platform_har_registry.npm",
                    "npm",
                    Value::Null,
                    npm,
                )],
            }],
        }},
    })
}

const REFS: &[&str] = &[
    "acct/mg-hub",
    "acct/mgo/mg-hub-org",
    "acct/mgo/mg-user",
    "acct/mgo/mgp/mg-ecr",
    "acct/mgo/mgp/mg-main",
    "acct/mgo/mg-npm",
];

#[test]
fn migrated_registries_plan_clean_and_stay_untouched() {
    let acc = Acc::start();
    let state = seed(&acc);
    let before: Vec<Value> = REFS.iter().map(|r| acc.registry(r)).collect();

    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("state.json"), state.to_string()).expect("write state");
    let out = tfhar(
        dir.path(),
        &[
            "migrate-from-harness",
            "state.json",
            "--removed",
            "removed.tf",
        ],
        Some("acct"),
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stderr.contains("6 import block(s)"), "{stderr}");
    assert!(stderr.contains("everything carried over"), "{stderr}");
    for (to, id) in [
        ("har_upstream_proxy.hub_0", "acct/mg-hub"),
        ("har_upstream_proxy.hub_1", "acct/mgo/mg-hub-org"),
        ("har_upstream_proxy.user", "acct/mgo/mg-user"),
        ("har_upstream_proxy.ecr", "acct/mgo/mgp/mg-ecr"),
        ("har_registry.main", "acct/mgo/mgp/mg-main"),
        ("har_registry.team_eu-west_npm", "acct/mgo/mg-npm"),
    ] {
        assert!(
            stdout.contains(&format!("import {{\n  to = {to}\n  id = \"{id}\"\n}}")),
            "no import of {id} to {to}:\n{stdout}"
        );
    }
    let removed = std::fs::read_to_string(dir.path().join("removed.tf")).expect("removed.tf");
    for from in [
        "harness_platform_har_registry.hub",
        "harness_platform_har_registry.user",
        "harness_platform_har_registry.ecr",
        "harness_platform_har_registry.main",
        "module.team.harness_platform_har_registry.npm",
    ] {
        assert!(
            removed.contains(&format!(
                "removed {{\n  from = {from}\n\n  lifecycle {{\n    destroy = false\n  }}\n}}"
            )),
            "no removed block for {from}:\n{removed}"
        );
    }
    assert_eq!(removed.matches("removed {").count(), 5, "{removed}");

    let tf = acc.tf();
    tf.config(&acc.config(&stdout));
    // Both files are as `terraform fmt` would write them.
    std::fs::write(tf.work_dir().join("check_removed.tf"), &removed).expect("write");
    tf.run(&[
        "fmt",
        "-check",
        "-diff",
        "-no-color",
        "check_removed.tf",
        "main.tf",
    ])
    .assert_success();
    std::fs::remove_file(tf.work_dir().join("check_removed.tf")).expect("rm");

    tf.run(&[
        "plan",
        "-input=false",
        "-no-color",
        "-generate-config-out=generated.tf",
    ])
    .assert_success()
    .assert_says("Plan: 6 to import, 0 to add, 0 to change, 0 to destroy.");
    let generated =
        std::fs::read_to_string(tf.work_dir().join("generated.tf")).expect("generated.tf");
    assert!(
        generated.contains(r#"upstream_proxies = ["mg-user", "mg-ecr", "mg-hub-org", "mg-hub"]"#),
        "the order of the upstream list is kept:\n{generated}"
    );
    tf.apply()
        .assert_success()
        .assert_says("6 imported, 0 added, 0 changed, 0 destroyed");
    tf.plan_detailed().assert_no_changes();

    let after: Vec<Value> = REFS.iter().map(|r| acc.registry(r)).collect();
    for ((r, b), a) in REFS.iter().zip(&before).zip(&after) {
        assert_eq!(b, a, "{r} changed on the server");
    }
    let proxy = attrs(&tf, "har_upstream_proxy.ecr");
    assert_eq!(proxy["uuid"], before[3]["uuid"]);
    assert_eq!(proxy["project_id"], "mgp");
    assert_eq!(
        proxy["access_key_secret_key"]["access_key_secret_identifier"],
        "aws_ak"
    );
    assert_eq!(attrs(&tf, "har_registry.team_eu-west_npm")["org_id"], "mgo");

    coverage_matches_the_schema(&tf.providers_schema());
}

/// Creates one lifecycle rule in har-local through the v3 API, as the official provider does;
/// its server-assigned id.
#[track_caller]
fn post_rule(acc: &Acc, scope_query: &str, body: Value) -> String {
    let r = acc.v3_post(&format!("/api/v3/lifecycle/rules?{scope_query}"), &body);
    assert_eq!(r.status, 201, "{body}: {}", r.text());
    r.json()["id"].as_str().expect("rule id").to_string()
}

fn rule_path(id: &str, scope_query: &str) -> String {
    format!("/api/v3/lifecycle/rules/{id}?{scope_query}")
}

/// The official provider's state values of one lifecycle rule, as its `readLifecycleRule`
/// writes them: `id` and `rule_id` the server's id, the scope in `account_id`/`org_id`/
/// `project_id`, each nested block a list of one, unset strings "" and unset lists [];
/// `filter_config` as configured (that provider does not read it back).
fn official_rule(id: &str, org: &str, project: &str, fields: Value) -> Value {
    let mut v = json!({
        "id": id, "rule_id": id, "account_id": "acct", "org_id": org, "project_id": project,
        "description": "", "package_type": "", "enabled": true, "criteria": [], "schedule": [],
        "filter_config": [], "created_at": 1733000000000u64, "updated_at": 1733000000000u64,
        "last_run_at": 0, "next_run_at": 0,
    });
    for (k, val) in fields.as_object().expect("fields") {
        v[k] = val.clone();
    }
    v
}

fn rule_instance(address: &str, name: &str, index: Value, values: Value) -> Value {
    json!({"address": address, "mode": "managed", "type": "harness_platform_har_lifecycle_rule",
           "name": name, "index": index,
           "provider_name": "registry.terraform.io/harness/harness", "schema_version": 0,
           "values": values, "sensitive_values": {}})
}

#[test]
fn migrated_lifecycle_rules_plan_clean_and_stay_untouched() {
    let acc = Acc::start();
    post(
        &acc,
        json!({"identifier": "mgl-snap", "packageType": "DOCKER", "parentRef": "acct/mglo",
        "config": {"type": "VIRTUAL", "upstreamProxies": []}}),
    );
    // A retention rule at the account, a cleanup rule in an org with every part set, and a
    // cleanup rule in a project (a child module under count).
    let acct_q = "account_identifier=acct";
    let org_q = "account_identifier=acct&org_identifier=mglo";
    let proj_q = "account_identifier=acct&org_identifier=mglo&project_identifier=mglp";
    let keep = post_rule(
        &acc,
        acct_q,
        json!({"name": "keep-releases", "action": "PROTECT", "applyTo": {"mode": "ALL_IN_SCOPE"},
               "filterConfig": {"versionNameAllowedPattern": ["v*.*.*"]}}),
    );
    let cleanup = post_rule(
        &acc,
        org_q,
        json!({"name": "nightly", "description": "keep the last 10", "action": "DELETE",
               "packageType": "DOCKER",
               "applyTo": {"mode": "EXPLICIT", "registries": ["mgl-snap"]},
               "criteria": {"match": "ALL", "rules": [
                   {"type": "KEEP_LAST_N", "config": {"value": 10}},
                   {"type": "AGE_BASED", "config": {"value": 30, "unit": "DAYS"}}]},
               "schedule": {"expression": "0 2 * * *", "timezone": "Europe/Berlin"},
               "filterConfig": {"packageType": "DOCKER", "packageNameAllowedPattern": ["app-*"],
                                "tagNameAllowedPattern": ["*-SNAPSHOT"]}}),
    );
    let unused = post_rule(
        &acc,
        proj_q,
        json!({"name": "unused", "action": "DELETE", "applyTo": {"mode": "ALL_IN_SCOPE"},
               "criteria": {"match": "ANY", "rules": [
                   {"type": "UNUSED_FOR", "config": {"value": 6, "unit": "MONTHS"}}]}}),
    );
    let rules = [
        (keep.as_str(), acct_q),
        (cleanup.as_str(), org_q),
        (unused.as_str(), proj_q),
    ];
    let read = |id: &str, q: &str| {
        let r = acc.v3_get(&rule_path(id, q));
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()
    };
    let before: Vec<Value> = rules.iter().map(|(id, q)| read(id, q)).collect();

    let keep_values = official_rule(
        &keep,
        "",
        "",
        json!({"name": "keep-releases", "action": "PROTECT",
               "apply_to": [{"mode": "ALL_IN_SCOPE", "registries": []}],
               "filter_config": [{"package_type": "", "package_name_allowed_pattern": [],
                   "version_name_allowed_pattern": ["v*.*.*"], "tag_name_allowed_pattern": [],
                   "group_id_allowed_pattern": [], "model_allowed_pattern": [],
                   "dataset_allowed_pattern": []}]}),
    );
    let cleanup_values = official_rule(
        &cleanup,
        "mglo",
        "",
        json!({"name": "nightly", "description": "keep the last 10", "action": "DELETE",
               "package_type": "DOCKER",
               "apply_to": [{"mode": "EXPLICIT", "registries": ["mgl-snap"]}],
               "criteria": [{"match": "ALL", "rules": [
                   {"type": "KEEP_LAST_N", "value": 10, "unit": ""},
                   {"type": "AGE_BASED", "value": 30, "unit": "DAYS"}]}],
               "schedule": [{"expression": "0 2 * * *", "timezone": "Europe/Berlin"}],
               "filter_config": [{"package_type": "DOCKER",
                   "package_name_allowed_pattern": ["app-*"], "version_name_allowed_pattern": [],
                   "tag_name_allowed_pattern": ["*-SNAPSHOT"], "group_id_allowed_pattern": [],
                   "model_allowed_pattern": [], "dataset_allowed_pattern": []}]}),
    );
    let unused_values = official_rule(
        &unused,
        "mglo",
        "mglp",
        json!({"name": "unused", "action": "DELETE",
               "apply_to": [{"mode": "ALL_IN_SCOPE", "registries": []}],
               "criteria": [{"match": "ANY", "rules": [
                   {"type": "UNUSED_FOR", "value": 6, "unit": "MONTHS"}]}]}),
    );
    let state = json!({
        "format_version": "1.0",
        "terraform_version": "1.11.4",
        "values": {"root_module": {
            "resources": [
                rule_instance("harness_platform_har_lifecycle_rule.keep", "keep", Value::Null,
                              keep_values),
                rule_instance("harness_platform_har_lifecycle_rule.cleanup", "cleanup",
                              Value::Null, cleanup_values),
            ],
            "child_modules": [{
                "address": "module.proj",
                "resources": [rule_instance(
                    "module.proj.harness_platform_har_lifecycle_rule.unused[0]",
                    "unused",
                    json!(0),
                    unused_values,
                )],
            }],
        }},
    });

    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("state.json"), state.to_string()).expect("write state");
    // No --account: each rule's state has its account_id.
    let out = tfhar(
        dir.path(),
        &[
            "migrate-from-harness",
            "state.json",
            "--removed",
            "removed.tf",
        ],
        None,
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stderr.contains("3 import block(s)"), "{stderr}");
    assert!(stderr.contains("everything carried over"), "{stderr}");
    for (to, id) in [
        ("har_lifecycle_rule.keep", format!("acct/{keep}")),
        ("har_lifecycle_rule.cleanup", format!("acct/mglo/{cleanup}")),
        (
            "har_lifecycle_rule.proj_unused_0",
            format!("acct/mglo/mglp/{unused}"),
        ),
    ] {
        assert!(
            stdout.contains(&format!("import {{\n  to = {to}\n  id = \"{id}\"\n}}")),
            "no import of {id} to {to}:\n{stdout}"
        );
    }
    let removed = std::fs::read_to_string(dir.path().join("removed.tf")).expect("removed.tf");
    for from in [
        "harness_platform_har_lifecycle_rule.keep",
        "harness_platform_har_lifecycle_rule.cleanup",
        "module.proj.harness_platform_har_lifecycle_rule.unused",
    ] {
        assert!(
            removed.contains(&format!(
                "removed {{\n  from = {from}\n\n  lifecycle {{\n    destroy = false\n  }}\n}}"
            )),
            "no removed block for {from}:\n{removed}"
        );
    }
    assert_eq!(removed.matches("removed {").count(), 3, "{removed}");

    let tf = acc.tf();
    tf.config(&acc.config(&stdout));
    tf.run(&[
        "plan",
        "-input=false",
        "-no-color",
        "-generate-config-out=generated.tf",
    ])
    .assert_success()
    .assert_says("Plan: 3 to import, 0 to add, 0 to change, 0 to destroy.");
    let generated =
        std::fs::read_to_string(tf.work_dir().join("generated.tf")).expect("generated.tf");
    for want in [
        r#"resource "har_lifecycle_rule" "proj_unused_0""#,
        r#"registries = ["mgl-snap"]"#,
        r#""*-SNAPSHOT""#,
    ] {
        assert!(generated.contains(want), "no {want} in:\n{generated}");
    }
    tf.apply()
        .assert_success()
        .assert_says("3 imported, 0 added, 0 changed, 0 destroyed");
    tf.plan_detailed().assert_no_changes();

    let after: Vec<Value> = rules.iter().map(|(id, q)| read(id, q)).collect();
    for (((id, _), b), a) in rules.iter().zip(&before).zip(&after) {
        assert_eq!(b, a, "rule {id} changed on the server");
    }
    let s = attrs(&tf, "har_lifecycle_rule.cleanup");
    assert_eq!(s["rule_id"], cleanup.as_str());
    assert_eq!(s["org_id"], "mglo");
    assert_eq!(s["criteria"]["rules"][1]["unit"], "DAYS");
    assert_eq!(
        s["filter_config"]["tag_name_patterns"],
        json!(["*-SNAPSHOT"])
    );
    assert_eq!(
        attrs(&tf, "har_lifecycle_rule.proj_unused_0")["project_id"],
        "mglp"
    );
}

/// coverage.rs names attributes of this provider: each one it says is carried exists in the
/// schema, and none it says is not managed has appeared there (else tfhar would report a field
/// as lost that the provider now manages: mark it carried in coverage.rs).
fn coverage_matches_the_schema(schema: &Value) {
    let resources =
        &schema["provider_schemas"]["registry.terraform.io/tfhar/har"]["resource_schemas"];
    let has = |ty: &str, path: &str| {
        let mut attrs = &resources[ty]["block"]["attributes"];
        let mut found = true;
        for (i, part) in path.split('.').enumerate() {
            if i > 0 {
                attrs = &attrs["nested_type"]["attributes"];
            }
            attrs = &attrs[part];
            found &= attrs.is_object();
        }
        found
    };
    use coverage::Kind;
    let tables = [
        (coverage::FIELDS, &[Kind::Registry, Kind::UpstreamProxy][..]),
        (coverage::LIFECYCLE_FIELDS, &[Kind::LifecycleRule][..]),
    ];
    for (table, kinds) in tables {
        for f in table {
            match f.fate {
                Fate::Carried { .. } => {
                    for kind in kinds {
                        let ty = kind.resource_type();
                        if let Some(a) = f.fate.carried_to(*kind) {
                            assert!(
                                has(ty, a),
                                "coverage.rs: {} → {ty}.{a}, which the schema does not have",
                                f.official
                            );
                        }
                    }
                }
                Fate::NotManaged { .. } => {
                    let name = f.official.rsplit('.').next().unwrap_or(f.official);
                    for kind in kinds {
                        let ty = kind.resource_type();
                        assert!(
                            !has(ty, name),
                            "{ty} now has `{name}`: mark {} carried in src/migrate/coverage.rs",
                            f.official
                        );
                    }
                }
                Fate::Structure | Fate::Computed => {}
            }
        }
    }
}

#[test]
fn partial_coverage_is_listed_and_exit_code_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut values = official_values(
        "py",
        "PYTHON",
        json!({"parent_ref": "acct"}),
        upstream_config(
            "Custom",
            "https://pypi.example.com",
            auth("Anonymous", json!({})),
        ),
    );
    values["is_public"] = json!(true);
    values["config"][0]["firewall_mode"] = json!("QUARANTINE");
    values["config"][0]["remote_url_suffix"] = json!("simple");
    // A proxy does not take allowed_pattern (a registry does).
    values["allowed_pattern"] = json!(["a*"]);
    let state = json!({"format_version": "1.0", "values": {"root_module": {"resources": [
        instance("harness_platform_har_registry.py", "py", Value::Null, values),
        {"address": "data.harness_platform_har_registry.d", "mode": "data",
         "type": "harness_platform_har_registry", "name": "d", "values": {"identifier": "x"}},
        {"address": "harness_platform_har_webhook.hook", "mode": "managed",
         "type": "harness_platform_har_webhook", "name": "hook", "values": {}},
    ]}}});
    std::fs::write(dir.path().join("s.json"), state.to_string()).expect("write");
    let out = tfhar(dir.path(), &["migrate-from-harness", "s.json"], None);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(
        out.status.code(),
        Some(1),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(
        stdout.contains("to = har_upstream_proxy.py\n  id = \"acct/py\""),
        "{stdout}"
    );
    for line in [
        "tfhar: not carried over: harness_platform_har_registry.py: allowed_pattern = (1 items)",
        "tfhar: not carried over: data.harness_platform_har_registry.d: a data source",
        "tfhar: not carried over: harness_platform_har_webhook.hook: resource type harness_platform_har_webhook is not known",
        "3 thing(s) not carried over",
    ] {
        assert!(stderr.contains(line), "no {line:?} in:\n{stderr}");
    }
    // Managed since issue 13 (is_public, firewall_mode, remote_url_suffix): carried.
    for field in ["is_public", "firewall_mode", "remote_url_suffix"] {
        assert!(!stderr.contains(field), "{field} reported in:\n{stderr}");
    }
}

#[test]
fn reads_the_state_from_stdin() {
    use std::io::Write;
    let state = json!({"format_version": "1.0", "values": {"root_module": {"resources": [
        instance("harness_platform_har_registry.r", "r", json!("a/b"),
                 json!({"identifier": "r", "parent_ref": "acct/o/p", "config": [{"type": "VIRTUAL"}]})),
    ]}}});
    let mut child = Command::new(env!("CARGO_BIN_EXE_tfhar"))
        .args(["migrate-from-harness", "-"])
        .env_remove("HARNESS_ACCOUNT_ID")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start tfhar");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(state.to_string().as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("tfhar output");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("import {\n  to = har_registry.r_a_b\n  id = \"acct/o/p/r\"\n}"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn bad_input_is_a_clear_error_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let write =
        |name: &str, body: &str| std::fs::write(dir.path().join(name), body).expect("write");
    write("notjson.json", "terraform { }");
    write("array.json", "[1, 2]");
    write(
        "raw.json",
        r#"{"version": 4, "terraform_version": "1.11.4", "serial": 3, "resources": []}"#,
    );
    write(
        "plan.json",
        r#"{"format_version": "1.2", "planned_values": {}, "resource_changes": []}"#,
    );
    let unknown_kind = json!({"format_version": "1.0", "values": {"root_module": {"resources": [
        instance("harness_platform_har_registry.x", "x", Value::Null,
                 json!({"identifier": "x", "parent_ref": "acct", "config": [{"type": "HOSTED"}]})),
        instance("harness_platform_har_registry.y", "y", Value::Null,
                 json!({"identifier": "y", "org_id": "o", "config": [{"type": "VIRTUAL"}]})),
    ]}}});
    write("unknown.json", &unknown_kind.to_string());
    let cases: &[(&[&str], &str)] = &[
        (&["notjson.json"], "tfhar: error: not JSON"),
        (
            &["array.json"],
            "not a state document: expected the JSON object that `terraform show -json` prints",
        ),
        (
            &["raw.json"],
            "this is a raw state file (terraform.tfstate, \"version\": 4)",
        ),
        (
            &["plan.json"],
            "this is a plan (it has \"planned_values\"), not a state",
        ),
        (&["missing.json"], "tfhar: error: cannot read missing.json"),
        (
            &["unknown.json"],
            "tfhar: error: harness_platform_har_registry.x: config[0].type = \"HOSTED\" is not known to tfhar",
        ),
        (
            &["unknown.json"],
            "harness_platform_har_registry.y: the state has no parent_ref or space_ref",
        ),
        (
            &["unknown.json", "--removed", "r.tf"],
            "tfhar: nothing written",
        ),
    ];
    for (args, says) in cases {
        let mut all = vec!["migrate-from-harness"];
        all.extend_from_slice(args);
        let out = tfhar(dir.path(), &all, None);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(says),
            "{args:?}: expected {says:?} in:\n{stderr}"
        );
        assert!(
            out.stdout.is_empty(),
            "{args:?} wrote on stdout: {}",
            text(&out.stdout)
        );
    }
    assert!(
        !dir.path().join("r.tf").exists(),
        "no removed file on bad input"
    );
    // --account (here the flag, above the environment) refuses a ref in another account.
    let other = json!({"format_version": "1.0", "values": {"root_module": {"resources": [
        instance("harness_platform_har_registry.z", "z", Value::Null,
                 json!({"identifier": "z", "parent_ref": "acct/o", "config": [{"type": "VIRTUAL"}]})),
    ]}}});
    write("other.json", &other.to_string());
    let out = tfhar(
        dir.path(),
        &[
            "migrate-from-harness",
            "other.json",
            "--account",
            "elsewhere",
        ],
        Some("acct"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(
            "harness_platform_har_registry.z: parent_ref = \"acct/o\" is in account \"acct\", not in --account \"elsewhere\""
        ),
        "{}",
        text(&out.stderr)
    );
    // Usage errors share the code.
    let out = tfhar(dir.path(), &["migrate-from-harness"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("<STATE_JSON>"));
}
