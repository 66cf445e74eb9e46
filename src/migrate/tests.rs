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
    // Managed since issue 13, so carried: no finding.
    values["is_public"] = json!(true);
    values["config"][0]["firewall_mode"] = json!("QUARANTINE");
    values["config"][0]["remote_url_suffix"] = json!("simple");
    // Not taken by a proxy: findings.
    values["allowed_pattern"] = json!(["a*"]);
    values["blocked_pattern"] = json!(["b*"]);
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
        "harness_platform_har_registry.py: allowed_pattern = (1 items): har_upstream_proxy does not manage it",
    );
    has("harness_platform_har_registry.py: blocked_pattern = (1 items)");
    assert!(
        !msgs
            .iter()
            .any(|m| m.contains("is_public") || m.contains("firewall_mode")),
        "{msgs:#?}"
    );
    has("data.harness_platform_har_registry.d: a data source");
    has("harness_platform_har_webhook.w: resource type harness_platform_har_webhook is not known");
    assert_eq!(msgs.len(), 4, "{msgs:#?}");
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

fn official_rule(address: &str, name: &str, index: Value, values: Value) -> Value {
    res(
        address,
        "managed",
        "harness_platform_har_lifecycle_rule",
        name,
        index,
        values,
    )
}

/// A lifecycle rule's state as the official provider writes it: `id` and `rule_id` the
/// server's id, scope in `account_id`/`org_id`/`project_id`, blocks as lists.
fn rule_values(rule_id: &str, org: &str, project: &str) -> Value {
    json!({"id": rule_id, "rule_id": rule_id, "account_id": "acct", "org_id": org,
           "project_id": project, "name": "cleanup", "description": "", "action": "DELETE",
           "package_type": "DOCKER", "enabled": true,
           "apply_to": [{"mode": "ALL_IN_SCOPE", "registries": []}],
           "criteria": [{"match": "ALL", "rules": [{"type": "KEEP_LAST_N", "value": 5,
                                                    "unit": ""}]}],
           "schedule": [{"expression": "0 2 * * *", "timezone": "UTC"}],
           "filter_config": [], "created_at": 1, "updated_at": 1, "last_run_at": 0,
           "next_run_at": 0})
}

#[test]
fn lifecycle_rules_become_har_lifecycle_rule_imports_in_each_scope() {
    let m = run(&doc(
        vec![
            official(
                "harness_platform_har_registry.cleanup",
                "cleanup",
                Value::Null,
                upstream("hub", "acct", json!({"auth_type": "Anonymous"})),
            ),
            official_rule(
                "harness_platform_har_lifecycle_rule.cleanup",
                "cleanup",
                Value::Null,
                rule_values("r-acct", "", ""),
            ),
            official_rule(
                "harness_platform_har_lifecycle_rule.per[\"o1\"]",
                "per",
                json!("o1"),
                rule_values("r-org", "o1", ""),
            ),
        ],
        vec![
            json!({"address": "module.team", "resources": [official_rule(
                "module.team.harness_platform_har_lifecycle_rule.keep",
                "keep",
                Value::Null,
                rule_values("r-proj", "o1", "p1"),
            )]}),
        ],
    ));
    assert!(m.covered(), "{:#?}", m.findings);
    let got: Vec<_> = m
        .imports
        .iter()
        .map(|i| (i.kind.resource_type(), i.name.as_str(), i.id.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("har_upstream_proxy", "cleanup", "acct/hub"),
            ("har_lifecycle_rule", "cleanup", "acct/r-acct"),
            ("har_lifecycle_rule", "per_o1", "acct/o1/r-org"),
            ("har_lifecycle_rule", "team_keep", "acct/o1/p1/r-proj"),
        ]
    );
    assert_eq!(
        m.removed,
        [
            "harness_platform_har_registry.cleanup",
            "harness_platform_har_lifecycle_rule.cleanup",
            "harness_platform_har_lifecycle_rule.per",
            "module.team.harness_platform_har_lifecycle_rule.keep",
        ]
    );
    let hcl = m.imports_hcl();
    assert!(
        hcl.contains(
            "import {\n  to = har_lifecycle_rule.team_keep\n  id = \"acct/o1/p1/r-proj\"\n}"
        ),
        "{hcl}"
    );
}

#[test]
fn a_lifecycle_rule_field_not_managed_is_listed_and_a_bad_one_refused() {
    let mut values = rule_values("r1", "", "");
    values["retention_days"] = json!(7);
    let m = run(&doc(
        vec![official_rule(
            "harness_platform_har_lifecycle_rule.r",
            "r",
            Value::Null,
            values,
        )],
        vec![],
    ));
    assert!(!m.covered());
    assert_eq!(m.imports.len(), 1);
    assert_eq!(m.findings.len(), 1, "{:#?}", m.findings);
    assert!(
        m.findings[0]
            .message
            .starts_with("retention_days = 7: har_lifecycle_rule does not manage it"),
        "{:#?}",
        m.findings
    );

    let mut values = rule_values("", "", "");
    values["id"] = json!("");
    let e = migrate(
        &doc(
            vec![official_rule(
                "harness_platform_har_lifecycle_rule.r",
                "r",
                Value::Null,
                values,
            )],
            vec![],
        ),
        &Options::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("harness_platform_har_lifecycle_rule.r"), "{e}");
    assert!(e.contains("has no rule_id"), "{e}");
}

#[test]
fn a_filter_of_another_package_type_is_a_note() {
    let mut values = rule_values("r1", "", "");
    values["package_type"] = json!("");
    values["filter_config"] = json!([{"package_type": "DOCKER",
                                      "tag_name_allowed_pattern": ["x"]}]);
    let m = run(&doc(
        vec![official_rule(
            "harness_platform_har_lifecycle_rule.r",
            "r",
            Value::Null,
            values,
        )],
        vec![],
    ));
    assert!(m.covered(), "a note is not a loss: {:#?}", m.findings);
    assert_eq!(m.findings.len(), 1, "{:#?}", m.findings);
    assert!(
        m.findings[0]
            .message
            .contains("filter_config[0].package_type = \"DOCKER\" but package_type = \"\""),
        "{:#?}",
        m.findings
    );
}
