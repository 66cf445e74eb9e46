//! `har_lifecycle_rule` and the `har_lifecycle_rule` / `har_lifecycle_rules` data sources
//! against the real terraform and har-local: create, update of every attribute, drift (also in
//! `filter_config`), out-of-band delete, import, `-generate-config-out`, plan-time errors,
//! destroy, and the examples.

use crate::support;

use std::path::Path;

use serde_json::{Value as Json, json};
use support::acc::{Acc, AssertSays, Scenario, apply_clean, attrs, import, run_all};

const SCENARIOS: &[Scenario] = &[
    ("every_attribute", every_attribute),
    ("drift_and_out_of_band_delete", drift_and_out_of_band_delete),
    ("import_and_generated_config", import_and_generated_config),
    ("plan_time_errors", plan_time_errors),
    ("data_sources", data_sources),
    ("examples", examples),
];

#[test]
fn lifecycle_rule_lifecycle() {
    let acc = Acc::start();
    run_all(&acc, SCENARIOS, 3);
}

fn rule_url(scope_query: &str, id: &str) -> String {
    format!("/api/v3/lifecycle/rules/{id}?{scope_query}")
}

/// The rule as har-local answers it, or `None`.
fn server_rule(acc: &Acc, scope_query: &str, id: &str) -> Option<Json> {
    let r = acc.server.client().get(&rule_url(scope_query, id));
    match r.status {
        200 => Some(r.json()),
        404 => None,
        s => panic!("GET rule {id}: {s} {}", r.text()),
    }
}

fn registry(name: &str, package_type: &str) -> String {
    format!(
        r#"resource "har_registry" "{name}" {{
  identifier   = "{name}"
  package_type = "{package_type}"
}}
"#
    )
}

fn every_attribute(acc: &Acc) {
    let tf = acc.tf();
    let regs = format!(
        "{}{}",
        registry("lc-a", "DOCKER"),
        registry("lc-b", "DOCKER")
    );
    let first = format!(
        r#"{regs}
resource "har_lifecycle_rule" "r" {{
  name         = "cleanup"
  action       = "DELETE"
  package_type = "DOCKER"
  apply_to = {{
    mode       = "EXPLICIT"
    registries = [har_registry.lc-a.identifier]
  }}
  criteria = {{
    match = "ALL"
    rules = [{{ type = "KEEP_LAST_N", value = 10 }}]
  }}
  schedule = {{
    expression = "0 2 * * *"
    timezone   = "UTC"
  }}
  filter_config = {{
    package_name_patterns = ["app-*"]
  }}
}}"#
    );
    tf.config(&acc.config(&first));
    apply_clean(&tf);
    let s = attrs(&tf, "har_lifecycle_rule.r");
    let id = s["rule_id"].as_str().unwrap().to_string();
    assert_eq!(s["id"], format!("acct/{id}"));
    assert_eq!(s["enabled"], true);
    assert_eq!(s["org_id"], Json::Null);
    assert!(
        s["created_at"].as_str().is_some_and(|c| c.ends_with('Z')),
        "{s}"
    );
    assert_eq!(s["last_run_at"], Json::Null);
    let server = server_rule(acc, "account_identifier=acct", &id).expect("created");
    assert_eq!(
        server["applyTo"],
        json!({"mode": "EXPLICIT", "registries": ["lc-a"]})
    );
    assert_eq!(
        server["criteria"]["rules"][0],
        json!({"type": "KEEP_LAST_N", "config": {"value": 10}})
    );

    // Every updatable attribute at once.
    tf.config(&acc.config(&format!(
        r#"{regs}
resource "har_lifecycle_rule" "r" {{
  name         = "cleanup-v2"
  description  = "older and unused"
  action       = "DELETE"
  package_type = "DOCKER"
  apply_to = {{
    mode       = "EXPLICIT"
    registries = [har_registry.lc-a.identifier, har_registry.lc-b.identifier]
  }}
  criteria = {{
    match = "ANY"
    rules = [
      {{ type = "AGE_BASED", value = 90, unit = "DAYS" }},
      {{ type = "UNUSED_FOR", value = 6, unit = "MONTHS" }},
    ]
  }}
  schedule = {{
    expression = "30 3 * * MON-FRI"
    timezone   = "Europe/Berlin"
  }}
  filter_config = {{
    package_name_patterns = ["svc-*", "app-*"]
    tag_name_patterns     = ["*-rc"]
  }}
}}"#
    )));
    tf.plan()
        .assert_success()
        .assert_updates("har_lifecycle_rule.r");
    apply_clean(&tf);
    let server = server_rule(acc, "account_identifier=acct", &id).unwrap();
    assert_eq!(server["name"], "cleanup-v2");
    assert_eq!(server["description"], "older and unused");
    assert_eq!(server["applyTo"]["registries"], json!(["lc-a", "lc-b"]));
    assert_eq!(server["criteria"]["match"], "ANY");
    assert_eq!(
        server["criteria"]["rules"][1]["config"],
        json!({"value": 6, "unit": "MONTHS"})
    );
    assert_eq!(
        server["schedule"],
        json!({"expression": "30 3 * * MON-FRI", "timezone": "Europe/Berlin"})
    );
    assert_eq!(
        server["filterConfig"]["tagNameAllowedPattern"],
        json!(["*-rc"])
    );
    assert_eq!(
        attrs(&tf, "har_lifecycle_rule.r")["rule_id"],
        id.as_str(),
        "updated in place"
    );

    // A retention rule for the whole scope: criteria and schedule go away.
    tf.config(&acc.config(&format!(
        r#"{regs}
resource "har_lifecycle_rule" "r" {{
  name   = "keep"
  action = "PROTECT"
  apply_to = {{
    mode = "ALL_IN_SCOPE"
  }}
}}"#
    )));
    tf.plan()
        .assert_success()
        .assert_updates("har_lifecycle_rule.r");
    apply_clean(&tf);
    let server = server_rule(acc, "account_identifier=acct", &id).unwrap();
    assert_eq!(server["action"], "PROTECT");
    assert!(
        server.get("criteria").is_none() && server.get("schedule").is_none(),
        "{server}"
    );
    assert!(server.get("packageType").is_none(), "{server}");

    tf.destroy().assert_success();
    assert!(server_rule(acc, "account_identifier=acct", &id).is_none());
}

fn drift_and_out_of_band_delete(acc: &Acc) {
    let tf = acc.tf();
    tf.config(&acc.config(&format!(
        r#"{}
resource "har_lifecycle_rule" "r" {{
  name         = "drifty"
  action       = "DELETE"
  package_type = "DOCKER"
  org_id       = "lcorg"
  apply_to = {{
    mode       = "EXPLICIT"
    registries = [har_registry.lc-d.identifier]
  }}
  criteria = {{
    match = "ALL"
    rules = [{{ type = "KEEP_LAST_N", value = 5 }}]
  }}
  schedule = {{
    expression = "0 1 * * *"
    timezone   = "UTC"
  }}
  filter_config = {{
    package_name_patterns = ["a-*"]
  }}
}}"#,
        registry("lc-d", "DOCKER").replace(
            "package_type = \"DOCKER\"",
            "package_type = \"DOCKER\"\n  org_id       = \"lcorg\""
        )
    )));
    apply_clean(&tf);
    let s = attrs(&tf, "har_lifecycle_rule.r");
    let id = s["rule_id"].as_str().unwrap().to_string();
    assert_eq!(s["id"], format!("acct/lcorg/{id}"));
    let q = "account_identifier=acct&org_identifier=lcorg";

    // Changed in the UI: filter_config and schedule. The plan shows it and puts it back.
    let mut body = server_rule(acc, q, &id).unwrap();
    body["filterConfig"] = json!({"packageNameAllowedPattern": ["b-*"]});
    body["schedule"] = json!({"expression": "0 5 * * *", "timezone": "UTC"});
    let r = acc.server.client().put(&rule_url(q, &id), &body);
    assert_eq!(r.status, 200, "{}", r.text());
    tf.plan_detailed()
        .assert_changes()
        .assert_updates("har_lifecycle_rule.r")
        .assert_says("b-*");
    apply_clean(&tf);
    let server = server_rule(acc, q, &id).unwrap();
    assert_eq!(
        server["filterConfig"]["packageNameAllowedPattern"],
        json!(["a-*"])
    );
    assert_eq!(server["schedule"]["expression"], "0 1 * * *");

    // Deleted out of band: planned again.
    let r = acc
        .server
        .client()
        .delete(&rule_url("account_identifier=acct", &id));
    assert_eq!(r.status, 204, "{}", r.text());
    tf.plan_detailed()
        .assert_changes()
        .assert_creates("har_lifecycle_rule.r");
    apply_clean(&tf);
    tf.destroy().assert_success();
}

fn import_and_generated_config(acc: &Acc) {
    let r = acc.post(&json!({"identifier": "lc-imp", "packageType": "MAVEN",
        "parentRef": "acct/lcimp", "config": {"type": "VIRTUAL"}}));
    assert_eq!(r.status, 201, "{}", r.text());
    let body = json!({"name": "imported", "description": "from the UI", "action": "DELETE",
        "packageType": "MAVEN",
        "applyTo": {"mode": "EXPLICIT", "registries": ["lc-imp"]},
        "criteria": {"match": "ALL", "rules": [{"type": "UNUSED_FOR", "config": {"value": 1, "unit": "YEARS"}}]},
        "schedule": {"expression": "0 0 1 * *", "timezone": "America/New_York"},
        "filterConfig": {"groupIdAllowedPattern": ["com.example.*"]}});
    let r = acc.server.client().post(
        "/api/v3/lifecycle/rules?account_identifier=acct&org_identifier=lcimp",
        &body,
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_string();

    let tf = acc.tf();
    tf.config(&acc.config(
        r#"resource "har_lifecycle_rule" "r" {
  name         = "imported"
  description  = "from the UI"
  action       = "DELETE"
  package_type = "MAVEN"
  org_id       = "lcimp"
  apply_to = {
    mode       = "EXPLICIT"
    registries = ["lc-imp"]
  }
  criteria = {
    match = "ALL"
    rules = [{ type = "UNUSED_FOR", value = 1, unit = "YEARS" }]
  }
  schedule = {
    expression = "0 0 1 * *"
    timezone   = "America/New_York"
  }
  filter_config = {
    group_id_patterns = ["com.example.*"]
  }
}"#,
    ));
    import(&tf, "har_lifecycle_rule.r", &format!("acct/lcimp/{id}")).assert_success();
    tf.plan_detailed().assert_no_changes();
    assert_eq!(
        attrs(&tf, "har_lifecycle_rule.r")["id"],
        format!("acct/lcimp/{id}")
    );
    tf.run(&["state", "rm", "-no-color", "har_lifecycle_rule.r"])
        .assert_success();
    import(&tf, "har_lifecycle_rule.r", "no-slash")
        .assert_failure()
        .assert_says("lifecycle rule id");
    // In the wrong scope it is not there.
    import(&tf, "har_lifecycle_rule.r", &format!("acct/{id}"))
        .assert_failure()
        .assert_says("Cannot import non-existent remote object");

    let tf = acc.tf();
    tf.config(&acc.config(&format!(
        r#"import {{
  to = har_lifecycle_rule.g
  id = "acct/lcimp/{id}"
}}
"#
    )));
    tf.run(&[
        "plan",
        "-input=false",
        "-no-color",
        "-generate-config-out=generated.tf",
    ])
    .assert_success()
    .assert_says("Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.");
    let generated = std::fs::read_to_string(tf.work_dir().join("generated.tf")).unwrap();
    assert!(
        generated.contains(r#"resource "har_lifecycle_rule" "g""#),
        "{generated}"
    );
    tf.apply()
        .assert_success()
        .assert_says("1 imported, 0 added, 0 changed, 0 destroyed");
    tf.plan_detailed().assert_no_changes();
}

fn plan_time_errors(acc: &Acc) {
    let r = acc.post(&json!({"identifier": "lc-npm", "packageType": "NPM",
        "parentRef": "acct", "config": {"type": "VIRTUAL"}}));
    assert_eq!(r.status, 201, "{}", r.text());
    let tf = acc.tf();
    let base = |apply: &str, criteria: &str, schedule: &str, extra: &str| {
        format!(
            r#"resource "har_lifecycle_rule" "r" {{
  name         = "bad"
  action       = "DELETE"
  package_type = "DOCKER"
  apply_to     = {apply}
  criteria     = {criteria}
  schedule     = {schedule}
  {extra}
}}"#
        )
    };
    let ok_apply = r#"{ mode = "ALL_IN_SCOPE" }"#;
    let ok_criteria = r#"{ match = "ALL", rules = [{ type = "KEEP_LAST_N", value = 3 }] }"#;
    let ok_schedule = r#"{ expression = "0 2 * * *", timezone = "UTC" }"#;
    let cases: Vec<(String, &str, &str)> = vec![
        (
            base(
                ok_apply,
                r#"{ match = "ALL", rules = [{ type = "KEEP_LAST_N", value = 3, unit = "DAYS" }] }"#,
                ok_schedule,
                "",
            ),
            "takes no unit",
            "unit",
        ),
        (
            base(
                ok_apply,
                r#"{ match = "ALL", rules = [{ type = "AGE_BASED", value = 3 }] }"#,
                ok_schedule,
                "",
            ),
            "needs a unit",
            "unit",
        ),
        (
            base(
                ok_apply,
                r#"{ match = "ALL", rules = [{ type = "UNUSED_FOR", unit = "DAYS" }] }"#,
                ok_schedule,
                "",
            ),
            "needs a value",
            "value",
        ),
        (
            base(
                ok_apply,
                r#"{ match = "ALL", rules = [{ type = "KEEP_LAST_N", value = 1 }, { type = "KEEP_LAST_N", value = 2 }] }"#,
                ok_schedule,
                "",
            ),
            "each type may appear once",
            "rules",
        ),
        (
            base(
                ok_apply,
                r#"{ match = "ALL", rules = [{ type = "OLDEST", value = 1 }] }"#,
                ok_schedule,
                "",
            ),
            "KEEP_LAST_N, AGE_BASED, UNUSED_FOR",
            "type",
        ),
        (
            base(r#"{ mode = "EXPLICIT" }"#, ok_criteria, ok_schedule, ""),
            "required when apply_to.mode is EXPLICIT",
            "registries",
        ),
        (
            base(
                r#"{ mode = "ALL_IN_SCOPE", registries = ["x"] }"#,
                ok_criteria,
                ok_schedule,
                "",
            ),
            "must not be set",
            "registries",
        ),
        (
            base(
                r#"{ mode = "EXPLICIT", registries = ["lc-npm"] }"#,
                ok_criteria,
                ok_schedule,
                "",
            ),
            "is a NPM registry",
            "registries",
        ),
        (
            base(
                ok_apply,
                ok_criteria,
                r#"{ expression = "0 2 * *", timezone = "UTC" }"#,
                "",
            ),
            "five fields",
            "expression",
        ),
        (
            base(
                ok_apply,
                ok_criteria,
                r#"{ expression = "61 2 * * *", timezone = "UTC" }"#,
                "",
            ),
            "minute field",
            "expression",
        ),
        (
            base(
                ok_apply,
                ok_criteria,
                r#"{ expression = "0 2 * * *", timezone = "Europe/Berln" }"#,
                "",
            ),
            "Europe/Berlin",
            "timezone",
        ),
        (
            base(
                ok_apply,
                ok_criteria,
                ok_schedule,
                r#"filter_config = { version_name_patterns = ["1.*"] }"#,
            ),
            "not a pattern list of DOCKER",
            "filter_config",
        ),
        (
            base(ok_apply, "null", ok_schedule, ""),
            "needs criteria",
            "criteria",
        ),
        (
            base(ok_apply, ok_criteria, ok_schedule, "")
                .replace(r#"action       = "DELETE""#, r#"action       = "ARCHIVE""#),
            "DELETE, PROTECT",
            "action",
        ),
        (
            base(ok_apply, "null", ok_schedule, "")
                .replace(r#"action       = "DELETE""#, r#"action       = "PROTECT""#),
            "has no schedule",
            "schedule",
        ),
        (
            base(ok_apply, ok_criteria, ok_schedule, r#"project_id = "p""#),
            "needs org_id",
            "project_id",
        ),
    ];
    for (hcl, says, attr) in cases {
        tf.config(&acc.config(&hcl));
        tf.plan()
            .assert_failure()
            .assert_says(says)
            .assert_says(attr);
    }
    // A registry that does not exist (yet) is a warning, not an error: the run may create it.
    tf.config(&acc.config(&base(
        r#"{ mode = "EXPLICIT", registries = ["lc-later"] }"#,
        ok_criteria,
        ok_schedule,
        "",
    )));
    tf.plan().assert_success().assert_says("Registry not found");
}

fn data_sources(acc: &Acc) {
    let tf = acc.tf();
    tf.config(&acc.config(
        r#"resource "har_lifecycle_rule" "a" {
  name    = "ds-a"
  action  = "PROTECT"
  org_id  = "lcds"
  apply_to = { mode = "ALL_IN_SCOPE" }
  filter_config = { package_name_patterns = ["core-*"] }
}

resource "har_lifecycle_rule" "b" {
  name    = "ds-b"
  action  = "DELETE"
  org_id  = "lcds"
  apply_to = { mode = "ALL_IN_SCOPE" }
  criteria = { match = "ALL", rules = [{ type = "KEEP_LAST_N", value = 2 }] }
}

data "har_lifecycle_rule" "a" {
  rule_id = har_lifecycle_rule.a.rule_id
  org_id  = "lcds"
}

data "har_lifecycle_rules" "all" {
  org_id     = "lcds"
  depends_on = [har_lifecycle_rule.a, har_lifecycle_rule.b]
}

output "a_patterns" { value = data.har_lifecycle_rule.a.filter_config.package_name_patterns }
output "names" { value = [for r in data.har_lifecycle_rules.all.rules : r.name] }
output "enabled" { value = data.har_lifecycle_rule.a.enabled }"#,
    ));
    tf.apply().assert_success();
    tf.plan_detailed().assert_no_changes();
    tf.run(&["output", "-no-color", "a_patterns"])
        .assert_success()
        .assert_says(r#""core-*","#);
    tf.run(&["output", "-no-color", "names"])
        .assert_success()
        .assert_says(r#""ds-a", "ds-b","#);
    tf.run(&["output", "-no-color", "enabled"])
        .assert_success()
        .assert_says("true");
    tf.config(&acc.config(
        r#"data "har_lifecycle_rule" "missing" {
  rule_id = "nope"
}"#,
    ));
    tf.plan()
        .assert_failure()
        .assert_says("Lifecycle rule not found");
}

fn example(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The documented examples apply and plan empty; `import.sh`'s command (with the id of the
/// rule the example made) imports it with an empty plan after.
fn examples(acc: &Acc) {
    let tf = acc.tf();
    tf.config(&acc.config(""));
    std::fs::write(
        tf.work_dir().join("example.tf"),
        example("examples/resources/har_lifecycle_rule/resource.tf"),
    )
    .unwrap();
    apply_clean(&tf);
    let address = "har_lifecycle_rule.nightly_cleanup";
    let rule_id = attrs(&tf, address)["rule_id"].as_str().unwrap().to_string();
    let line = example("examples/resources/har_lifecycle_rule/import.sh")
        .lines()
        .find_map(|l| l.strip_prefix("terraform import ").map(str::to_string))
        .expect("an import line");
    let (addr, documented_id) = line.split_once(' ').unwrap();
    assert_eq!(addr, address);
    let (scope, _) = documented_id.rsplit_once('/').unwrap();
    tf.run(&["state", "rm", "-no-color", address])
        .assert_success();
    import(&tf, address, &format!("{scope}/{rule_id}")).assert_success();
    tf.plan_detailed().assert_no_changes();

    let d = acc.tf();
    d.config(&acc.config(""));
    std::fs::write(
        d.work_dir().join("example.tf"),
        example("examples/data-sources/har_lifecycle_rule/data-source.tf"),
    )
    .unwrap();
    d.run(&[
        "apply",
        "-input=false",
        "-no-color",
        "-auto-approve",
        &format!("-var=rule_id={rule_id}"),
    ])
    .assert_success();
    let d = acc.tf();
    d.config(&acc.config(""));
    std::fs::write(
        d.work_dir().join("example.tf"),
        example("examples/data-sources/har_lifecycle_rules/data-source.tf"),
    )
    .unwrap();
    d.apply().assert_success();
    d.run(&["output", "-no-color", "cleanup_rules"])
        .assert_success()
        .assert_says("nightly-cleanup");
    tf.destroy().assert_success();
}
