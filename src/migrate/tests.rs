//! The mapping, from state documents shaped like the official provider's.

use serde_json::{Value, json};

use super::*;

fn res(address: &str, mode: &str, ty: &str, name: &str, index: Value, values: Value) -> Value {
    json!({"address": address, "mode": mode, "type": ty, "name": name, "index": index,
           "provider_name": "registry.terraform.io/harness/harness", "schema_version": 0,
           "values": values, "sensitive_values": {}})
}

fn official(address: &str, name: &str, index: Value, values: Value) -> Value {
    res(
        address,
        "managed",
        "harness_platform_har_registry",
        name,
        index,
        values,
    )
}

fn doc(root: Vec<Value>, children: Vec<Value>) -> String {
    json!({"format_version": "1.0", "terraform_version": "1.11.4",
           "values": {"root_module": {"resources": root, "child_modules": children}}})
    .to_string()
}

fn upstream(id: &str, parent: &str, auth: Value) -> Value {
    json!({"identifier": id, "package_type": "DOCKER", "parent_ref": parent, "space_ref": parent,
           "description": "", "allowed_pattern": [], "blocked_pattern": [], "id": id,
           "url": "", "created_at": "1", "config": [{"type": "UPSTREAM", "source": "Custom",
           "url": "https://r.example.com", "auth_type": auth["auth_type"], "upstream_proxies": [],
           "auth": [auth]}]})
}

fn run(state: &str) -> Migration {
    migrate(state, &Options::default()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn maps_scopes_kinds_count_and_modules() {
    let state = doc(
        vec![
            official(
                "harness_platform_har_registry.hub[0]",
                "hub",
                json!(0),
                upstream("hub0", "acct", json!({"auth_type": "Anonymous"})),
            ),
            official(
                "harness_platform_har_registry.hub[1]",
                "hub",
                json!(1),
                upstream("hub1", "acct/o1", json!({"auth_type": "Anonymous"})),
            ),
            official(
                "harness_platform_har_registry.main",
                "main",
                Value::Null,
                json!({"identifier": "main", "package_type": "DOCKER",
                       "parent_ref": "acct/o1/p1", "space_ref": "acct/o1/p1",
                       "config": [{"type": "VIRTUAL", "upstream_proxies": ["hub1", "hub0"]}]}),
            ),
            res(
                "aws_s3_bucket.b",
                "managed",
                "aws_s3_bucket",
                "b",
                Value::Null,
                json!({}),
            ),
        ],
        vec![
            json!({"address": "module.team[\"a b\"]", "resources": [official(
                "module.team[\"a b\"].harness_platform_har_registry.up",
                "up",
                Value::Null,
                upstream("up", "acct/o2", json!({"auth_type": "UserPassword", "user_name": "u",
                         "secret_identifier": "s", "secret_space_path": "acct"})),
            )]}),
        ],
    );
    let m = run(&state);
    let got: Vec<_> = m
        .imports
        .iter()
        .map(|i| (i.kind.resource_type(), i.name.as_str(), i.id.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("har_upstream_proxy", "hub_0", "acct/hub0"),
            ("har_upstream_proxy", "hub_1", "acct/o1/hub1"),
            ("har_registry", "main", "acct/o1/p1/main"),
            ("har_upstream_proxy", "team_a_b_up", "acct/o2/up"),
        ]
    );
    assert_eq!(
        m.removed,
        [
            "harness_platform_har_registry.hub",
            "harness_platform_har_registry.main",
            "module.team.harness_platform_har_registry.up",
        ]
    );
    assert!(m.findings.is_empty(), "{:?}", m.findings);
    assert!(m.covered());
    let hcl = m.imports_hcl();
    assert!(
        hcl.contains(
            "# module.team[\"a b\"].harness_platform_har_registry.up\nimport {\n  to = har_upstream_proxy.team_a_b_up\n  id = \"acct/o2/up\"\n}\n"
        ),
        "{hcl}"
    );
    assert_eq!(hcl.matches("import {").count(), 4);
    let removed = m.removed_hcl();
    assert_eq!(removed.matches("removed {").count(), 3);
    assert!(
        removed.contains("  from = harness_platform_har_registry.hub\n"),
        "{removed}"
    );
}

#[test]
fn access_key_auth_maps_and_an_inline_key_is_a_hand_step() {
    let by_ref = upstream(
        "ecr",
        "acct",
        json!({"auth_type": "AccessKeySecretKey", "access_key": "",
               "access_key_identifier": "ak", "access_key_secret_path": "acct",
               "secret_key_identifier": "sk", "secret_key_secret_path": "acct"}),
    );
    let inline = upstream(
        "ecr2",
        "acct",
        json!({"auth_type": "AccessKeySecretKey", "access_key": "AKIA",
               "secret_key_identifier": "sk"}),
    );
    let m = run(&doc(
        vec![
            official(
                "harness_platform_har_registry.ecr",
                "ecr",
                Value::Null,
                by_ref,
            ),
            official(
                "harness_platform_har_registry.ecr2",
                "ecr2",
                Value::Null,
                inline,
            ),
        ],
        vec![],
    ));
    assert_eq!(m.imports.len(), 2);
    assert_eq!(m.findings.len(), 1, "{:?}", m.findings);
    let f = &m.findings[0];
    assert_eq!(f.address, "harness_platform_har_registry.ecr2");
    assert!(!f.lost);
    assert!(f.message.contains("null # sensitive"), "{}", f.message);
    assert!(
        !f.message.contains("AKIA"),
        "never print the key: {}",
        f.message
    );
    assert!(m.covered());
}

#[test]
fn reports_what_it_cannot_carry_over() {
    let mut values = upstream("py", "acct", json!({"auth_type": "Anonymous"}));
    values["is_public"] = json!(true);
    values["config"][0]["firewall_mode"] = json!("QUARANTINE");
    values["config"][0]["remote_url_suffix"] = json!("simple");
    let m = run(&doc(
        vec![
            official(
                "harness_platform_har_registry.py",
                "py",
                Value::Null,
                values,
            ),
            res(
                "data.harness_platform_har_registry.d",
                "data",
                "harness_platform_har_registry",
                "d",
                Value::Null,
                json!({"identifier": "x"}),
            ),
            res(
                "harness_platform_har_lifecycle_rule.r",
                "managed",
                "harness_platform_har_lifecycle_rule",
                "r",
                Value::Null,
                json!({}),
            ),
            res(
                "harness_platform_har_webhook.w",
                "managed",
                "harness_platform_har_webhook",
                "w",
                Value::Null,
                json!({}),
            ),
        ],
        vec![],
    ));
    assert!(!m.covered());
    assert_eq!(m.imports.len(), 1);
    let msgs: Vec<String> = m
        .findings
        .iter()
        .map(|f| format!("{}: {}", f.address, f.message))
        .collect();
    let has = |s: &str| assert!(msgs.iter().any(|m| m.contains(s)), "no {s:?} in {msgs:#?}");
    has(
        "harness_platform_har_registry.py: is_public = true: har_upstream_proxy does not manage it",
    );
    has("harness_platform_har_registry.py: config[0].firewall_mode = \"QUARANTINE\"");
    has("harness_platform_har_registry.py: config[0].remote_url_suffix = \"simple\"");
    has("data.harness_platform_har_registry.d: a data source");
    has("harness_platform_har_lifecycle_rule.r: a lifecycle rule");
    has("harness_platform_har_webhook.w: resource type harness_platform_har_webhook is not known");
    assert_eq!(msgs.len(), 6, "{msgs:#?}");
    // Only the registry is imported, so only it is removed from the old state.
    assert_eq!(m.removed, ["harness_platform_har_registry.py"]);
}

#[test]
fn org_and_project_ids_take_the_account_from_the_option() {
    let values = json!({"identifier": "r", "package_type": "NPM", "org_id": "o",
                        "project_id": "p", "parent_ref": "", "space_ref": "",
                        "config": [{"type": "VIRTUAL"}]});
    let state = doc(
        vec![official(
            "harness_platform_har_registry.r",
            "r",
            Value::Null,
            values,
        )],
        vec![],
    );
    let e = migrate(&state, &Options::default())
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("harness_platform_har_registry.r: "), "{e}");
    assert!(e.contains("--account"), "{e}");
    let m = migrate(
        &state,
        &Options {
            account: Some("acct".into()),
        },
    )
    .unwrap();
    assert_eq!(m.imports[0].id, "acct/o/p/r");
}

#[test]
fn instances_it_cannot_map_are_errors_naming_each() {
    let state = doc(
        vec![
            official(
                "harness_platform_har_registry.a",
                "a",
                Value::Null,
                json!({"identifier": "a", "parent_ref": "acct", "config": [{"type": "HOSTED"}]}),
            ),
            official(
                "harness_platform_har_registry.b",
                "b",
                Value::Null,
                json!({"parent_ref": "acct"}),
            ),
            official(
                "harness_platform_har_registry.c",
                "c",
                Value::Null,
                json!({"identifier": "c", "parent_ref": "acct/o/p/q"}),
            ),
        ],
        vec![],
    );
    let MigrateError::Instances(errors) = migrate(&state, &Options::default()).unwrap_err() else {
        panic!("expected instance errors");
    };
    let msgs: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(msgs.len(), 3, "{msgs:#?}");
    assert!(
        msgs[0].contains("config[0].type = \"HOSTED\" is not known to tfhar"),
        "{}",
        msgs[0]
    );
    assert!(
        msgs[1].ends_with("has no identifier in its values"),
        "{}",
        msgs[1]
    );
    assert!(
        msgs[2].contains("parent_ref = \"acct/o/p/q\""),
        "{}",
        msgs[2]
    );
}

#[test]
fn no_config_is_a_registry_and_an_empty_state_is_covered() {
    let m = run(&doc(
        vec![official(
            "harness_platform_har_registry.x",
            "x",
            Value::Null,
            json!({"identifier": "x", "parent_ref": "acct", "config": []}),
        )],
        vec![],
    ));
    assert_eq!(m.imports[0].kind, Kind::Registry);
    let empty = run(r#"{"format_version":"1.0"}"#);
    assert!(empty.imports.is_empty() && empty.covered());
}
