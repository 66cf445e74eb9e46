//! har-local's contract for registry webhooks and lifecycle rules (issue 14), over real HTTP
//! against the real binary with a real SQLite file.

use crate::support;

use serde_json::{Value, json};
use support::har_local::bodies::{upstream, virtual_registry};
use support::har_local::{Client, HarLocal};

const API: &str = "/api/v1";
const GW: &str = "/gateway/har/api/v1";

fn create_registry(c: &mut Client, body: Value) {
    let r = c.post(&format!("{API}/registry"), &body);
    assert_eq!(r.status, 201, "create {body}: {}", r.text());
}

fn hook(id: &str) -> Value {
    json!({
        "identifier": id,
        "name": format!("{id} hook"),
        "url": "https://hooks.example.com/har",
        "enabled": true,
        "insecure": false,
        "triggers": ["ARTIFACT_CREATION"],
        "extraHeaders": [{"key": "X-Team", "value": "platform"}]
    })
}

#[test]
fn webhook_crud_under_both_path_forms_and_prefixes() {
    let s = HarLocal::start();
    let mut c = s.client();
    create_registry(
        &mut c,
        virtual_registry("acct/org", "docker-main", "DOCKER", &[]),
    );

    let r = c.post(
        &format!("{GW}/registry/acct/org/docker-main/+/webhooks"),
        &hook("notify"),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["status"], "SUCCESS");
    let created = r.data();
    assert_eq!(created["identifier"], "notify");
    assert_eq!(created["triggers"], json!(["ARTIFACT_CREATION"]));
    assert_eq!(
        created["extraHeaders"],
        json!([{"key": "X-Team", "value": "platform", "masked": false}])
    );
    assert_eq!(created["enabled"], true);
    assert_eq!(created["internal"], false);
    assert_eq!(created["version"], 1);
    let at: i64 = created["createdAt"].as_str().unwrap().parse().unwrap();
    assert!(at > 1_600_000_000_000, "millisecond string: {created}");

    for path in [
        format!("{API}/registry/acct/org/docker-main/+/webhooks/notify"),
        format!("{GW}/registry/acct/org/docker-main/+/webhooks/notify"),
        format!("{API}/registry/acct%2Forg%2Fdocker-main/webhooks/notify"),
        format!("{GW}/registry/acct%2Forg%2Fdocker-main/webhooks/notify"),
    ] {
        let r = c.get(&path);
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        assert_eq!(r.data(), created, "{path}");
    }
    // The registry itself is still served on the same route.
    let r = c.get(&format!("{API}/registry/acct/org/docker-main/+"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.data()["identifier"], "docker-main");

    // PUT (OSS form) replaces everything and answers 201, as the API documents.
    let mut body = hook("notify");
    body["url"] = json!("https://other.example.com/x");
    body["triggers"] = json!([
        "ARTIFACT_DELETION",
        "ARTIFACT_CREATION",
        "ARTIFACT_DELETION"
    ]);
    body["enabled"] = json!(false);
    body["insecure"] = json!(true);
    body["description"] = json!("changed");
    body["extraHeaders"] = json!([]);
    let r = c.put(
        &format!("{API}/registry/acct%2Forg%2Fdocker-main/webhooks/notify"),
        &body,
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let updated = r.data();
    assert_eq!(updated["url"], "https://other.example.com/x");
    assert_eq!(
        updated["triggers"],
        json!(["ARTIFACT_DELETION", "ARTIFACT_CREATION"]),
        "duplicate triggers are dropped"
    );
    assert_eq!(updated["enabled"], false);
    assert_eq!(updated["insecure"], true);
    assert_eq!(updated["description"], "changed");
    assert_eq!(updated["extraHeaders"], json!([]));
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["createdAt"], created["createdAt"]);

    let r = c.delete(&format!(
        "{GW}/registry/acct/org/docker-main/+/webhooks/notify"
    ));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), json!({"status": "SUCCESS"}));
    for path in [
        format!("{API}/registry/acct/org/docker-main/+/webhooks/notify"),
        format!("{API}/registry/acct%2Forg%2Fdocker-main/webhooks/notify"),
    ] {
        let r = c.get(&path);
        assert_eq!(r.status, 404, "{}", r.text());
        assert_eq!(r.json()["code"], "404");
        assert!(r.message().contains("webhook not found"), "{}", r.text());
    }
    let r = c.delete(&format!(
        "{API}/registry/acct/org/docker-main/+/webhooks/notify"
    ));
    assert_eq!(r.status, 404, "{}", r.text());
}

#[test]
fn webhook_refusals_name_the_problem() {
    let s = HarLocal::start();
    let mut c = s.client();
    create_registry(
        &mut c,
        virtual_registry("acct", "docker-main", "DOCKER", &[]),
    );
    create_registry(&mut c, upstream("acct", "hub", "DOCKER"));
    let base = format!("{API}/registry/acct/docker-main/+/webhooks");

    let r = c.post(&format!("{API}/registry/acct/hub/+/webhooks"), &hook("x"));
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.message().contains("UPSTREAM"), "{}", r.text());

    let r = c.post(&format!("{API}/registry/acct/nope/+/webhooks"), &hook("x"));
    assert_eq!(r.status, 404, "{}", r.text());
    assert!(r.message().contains("registry not found"), "{}", r.text());

    let r = c.post(
        &format!("{API}/registry/other/docker-main/+/webhooks"),
        &hook("x"),
    );
    assert_eq!(r.status, 403, "{}", r.text());

    let r = c.post(&base, &hook("dup"));
    assert_eq!(r.status, 201, "{}", r.text());
    let r = c.post(&base, &hook("dup"));
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.message().contains("already exists"), "{}", r.text());

    for (field, value, says) in [
        (
            "triggers",
            json!(["ARTIFACT_PUSHED"]),
            "ARTIFACT_CREATION, ARTIFACT_DELETION",
        ),
        ("url", json!("hooks.example.com"), "http://"),
        ("identifier", json!("1bad"), "identifier"),
        ("name", json!(""), "name"),
        (
            "extraHeaders",
            json!([{"key": "bad key", "value": "v"}]),
            "header",
        ),
        (
            "extraHeaders",
            json!([{"key": "A", "value": "1"}, {"key": "a", "value": "2"}]),
            "twice",
        ),
        (
            "secretSpacePath",
            json!("elsewhere/org"),
            "secret space path",
        ),
    ] {
        let mut body = hook("fresh");
        body[field] = value.clone();
        let r = c.post(&base, &body);
        assert_eq!(r.status, 400, "{field}={value}: {}", r.text());
        assert_eq!(r.json()["code"], "400");
        assert!(r.message().contains(says), "{field}={value}: {}", r.text());
    }

    let r = c.put(&format!("{base}/dup"), &hook("renamed"));
    assert_eq!(r.status, 400, "{}", r.text());
    let r = c.put(&format!("{base}/missing"), &hook("missing"));
    assert_eq!(r.status, 404, "{}", r.text());
    let r = c.put(&base, &hook("x"));
    assert_eq!(r.status, 405, "{}", r.text());
    let r = s.client_without_key().get(&base);
    assert_eq!(r.status, 401, "{}", r.text());
}

#[test]
fn masked_headers_are_never_answered_and_the_placeholder_keeps_the_value() {
    let s = HarLocal::start();
    let mut c = s.client();
    create_registry(
        &mut c,
        virtual_registry("acct", "docker-main", "DOCKER", &[]),
    );
    let path = format!("{API}/registry/acct/docker-main/+/webhooks");
    let mut body = hook("signed");
    body["extraHeaders"] = json!([
        {"key": "Authorization", "value": "Bearer s3cret", "masked": true},
        {"key": "X-Team", "value": "platform"}
    ]);
    let r = c.post(&path, &body);
    assert_eq!(r.status, 201, "{}", r.text());
    assert!(!r.text().contains("s3cret"), "{}", r.text());
    let placeholder = r.data()["extraHeaders"][0]["value"].clone();
    assert_eq!(placeholder, "*******");
    assert_eq!(r.data()["extraHeaders"][0]["masked"], true);
    assert_eq!(r.data()["extraHeaders"][1]["value"], "platform");
    let r = c.get(&format!("{path}/signed"));
    assert!(!r.text().contains("s3cret"), "{}", r.text());
    let r = c.get(&path);
    assert!(!r.text().contains("s3cret"), "{}", r.text());

    let stored = |s: &HarLocal| -> String {
        let db = rusqlite::Connection::open(s.db_path()).unwrap();
        db.query_row(
            "SELECT extra_headers FROM webhooks WHERE identifier = 'signed'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert!(stored(&s).contains("Bearer s3cret"));

    // Sending the placeholder back (what a client that read the webhook would do) keeps it.
    body["extraHeaders"][0]["value"] = placeholder;
    body["description"] = json!("touched");
    let r = c.put(&format!("{path}/signed"), &body);
    assert_eq!(r.status, 201, "{}", r.text());
    assert!(stored(&s).contains("Bearer s3cret"), "{}", stored(&s));
    // A new value replaces it.
    body["extraHeaders"][0]["value"] = json!("Bearer n3w");
    let r = c.put(&format!("{path}/signed"), &body);
    assert_eq!(r.status, 201, "{}", r.text());
    let now = stored(&s);
    assert!(
        now.contains("Bearer n3w") && !now.contains("s3cret"),
        "{now}"
    );
}

#[test]
fn a_deleted_registry_takes_its_webhooks_with_it() {
    let s = HarLocal::start();
    let mut c = s.client();
    create_registry(
        &mut c,
        virtual_registry("acct/org/proj", "docker-main", "DOCKER", &[]),
    );
    let path = format!("{API}/registry/acct/org/proj/docker-main/+/webhooks");
    for id in ["a", "b"] {
        assert_eq!(c.post(&path, &hook(id)).status, 201);
    }
    let r = c.delete(&format!("{API}/registry/acct/org/proj/docker-main/+"));
    assert_eq!(r.status, 200, "{}", r.text());
    let r = c.get(&path);
    assert_eq!(r.status, 404, "{}", r.text());
    assert!(r.message().contains("registry not found"), "{}", r.text());

    // A registry created again under the same name starts with none.
    create_registry(
        &mut c,
        virtual_registry("acct/org/proj", "docker-main", "DOCKER", &[]),
    );
    let r = c.get(&path);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.data()["webhooks"], json!([]));
    assert_eq!(r.data()["itemCount"], 0);
    let r = c.get(&format!("{path}/a"));
    assert_eq!(r.status, 404, "{}", r.text());
}

#[test]
fn webhook_list_pages_searches_and_survives_a_restart() {
    let s = HarLocal::start();
    let mut c = s.client();
    create_registry(
        &mut c,
        virtual_registry("acct", "docker-main", "DOCKER", &[]),
    );
    let path = format!("{API}/registry/acct/docker-main/+/webhooks");
    for id in ["c-hook", "a-hook", "b-hook", "zeta"] {
        assert_eq!(c.post(&path, &hook(id)).status, 201);
    }
    let s = s.restart();
    let mut c = s.client();
    let r = c.get(&format!(
        "{path}?page=0&size=2&sort_field=identifier&sort_order=ASC"
    ));
    assert_eq!(r.status, 200, "{}", r.text());
    let d = r.data();
    assert_eq!(d["itemCount"], 4);
    assert_eq!(d["pageCount"], 2);
    assert_eq!(d["pageIndex"], 0);
    assert_eq!(d["pageSize"], 2);
    let ids = |d: &Value| -> Vec<String> {
        d["webhooks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["identifier"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&d), ["a-hook", "b-hook"]);
    let r = c.get(&format!("{path}?page=1&size=2&sort_field=identifier"));
    assert_eq!(ids(&r.data()), ["c-hook", "zeta"]);
    let r = c.get(&format!(
        "{path}?search_term=-HOOK&sort_field=identifier&sort_order=DESC"
    ));
    assert_eq!(ids(&r.data()), ["c-hook", "b-hook", "a-hook"]);
    let r = c.get(&format!("{path}?size=0"));
    assert_eq!(r.status, 400, "{}", r.text());
}

const V3: &str = "/api/v3";
const GW3: &str = "/gateway/har/api/v3";

fn cleanup_rule(registries: &[&str]) -> Value {
    json!({
        "name": "nightly",
        "description": "keep ten",
        "action": "DELETE",
        "packageType": "DOCKER",
        "applyTo": {"mode": "EXPLICIT", "registries": registries},
        "criteria": {"match": "ALL", "rules": [
            {"type": "KEEP_LAST_N", "config": {"value": 10}},
            {"type": "AGE_BASED", "config": {"value": 30, "unit": "DAYS"}}
        ]},
        "schedule": {"expression": "0 2 * * *", "timezone": "Europe/Berlin"},
        "filterConfig": {"packageNameAllowedPattern": ["app-*"], "tagNameAllowedPattern": ["*-rc"]}
    })
}

#[test]
fn lifecycle_rule_crud_with_scope_in_the_query_and_bare_answers() {
    let s = HarLocal::start();
    let mut c = s.client();
    create_registry(
        &mut c,
        virtual_registry("acct/org/proj", "docker-main", "DOCKER", &[]),
    );
    let scope = "account_identifier=acct&org_identifier=org";

    // A rule in the org applies to a registry in a project below it.
    let r = c.post(
        &format!("{GW3}/lifecycle/rules?{scope}"),
        &cleanup_rule(&["docker-main"]),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let rule = r.json();
    assert!(
        rule.get("status").is_none(),
        "bare object, no envelope: {rule}"
    );
    let id = rule["id"].as_str().unwrap().to_string();
    assert!(!id.is_empty());
    assert_eq!(rule["enabled"], true);
    assert_eq!(rule["orgIdentifier"], "org");
    assert!(rule.get("projectIdentifier").is_none(), "{rule}");
    assert_eq!(
        rule["filterConfig"]["tagNameAllowedPattern"],
        json!(["*-rc"])
    );
    assert_eq!(
        rule["criteria"]["rules"][1]["config"],
        json!({"value": 30, "unit": "DAYS"})
    );
    assert!(rule["createdAt"].as_i64().unwrap() > 1_600_000_000_000);

    let r = c.get(&format!("{V3}/lifecycle/rules/{id}?{scope}"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), rule);
    // Seen from another scope, it is not there.
    let r = c.get(&format!(
        "{V3}/lifecycle/rules/{id}?account_identifier=acct"
    ));
    assert_eq!(r.status, 404, "{}", r.text());
    assert_eq!(r.json()["code"], "404");

    let mut body = cleanup_rule(&[]);
    body["applyTo"] = json!({"mode": "ALL_IN_SCOPE"});
    body["action"] = json!("PROTECT");
    body["criteria"] = Value::Null;
    body["schedule"] = Value::Null;
    body["filterConfig"] = json!({"packageNameAllowedPattern": ["core-*"]});
    let r = c.put(&format!("{V3}/lifecycle/rules/{id}?{scope}"), &body);
    assert_eq!(r.status, 200, "{}", r.text());
    let updated = r.json();
    assert_eq!(updated["action"], "PROTECT");
    assert_eq!(updated["applyTo"], json!({"mode": "ALL_IN_SCOPE"}));
    assert!(
        updated.get("criteria").is_none() && updated.get("schedule").is_none(),
        "{updated}"
    );
    assert_eq!(updated["createdAt"], rule["createdAt"]);

    for n in 0..3 {
        let mut b = cleanup_rule(&["docker-main"]);
        b["name"] = json!(format!("extra-{n}"));
        assert_eq!(
            c.post(&format!("{V3}/lifecycle/rules?{scope}"), &b).status,
            201
        );
    }
    let r = c.get(&format!("{V3}/lifecycle/rules?{scope}&page=0&size=3"));
    assert_eq!(r.status, 200, "{}", r.text());
    let l = r.json();
    assert_eq!(l["hasMore"], true);
    assert_eq!(l["items"].as_array().unwrap().len(), 3);
    let r = c.get(&format!("{V3}/lifecycle/rules?{scope}&page=1&size=3"));
    assert_eq!(r.json()["hasMore"], false);
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 1);
    let r = c.get(&format!("{V3}/lifecycle/rules?{scope}&searchTerm=EXTRA-1"));
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 1);
    let r = c.get(&format!("{V3}/lifecycle/rules?account_identifier=acct"));
    assert_eq!(
        r.json()["items"],
        json!([]),
        "only the exact scope is listed"
    );

    // Delete is addressed by account alone.
    let r = c.delete(&format!(
        "{V3}/lifecycle/rules/{id}?account_identifier=acct"
    ));
    assert_eq!(r.status, 204, "{}", r.text());
    let r = c.get(&format!("{V3}/lifecycle/rules/{id}?{scope}"));
    assert_eq!(r.status, 404, "{}", r.text());
    assert!(
        r.message().contains("lifecycle rule not found"),
        "{}",
        r.text()
    );
    let r = c.delete(&format!(
        "{V3}/lifecycle/rules/{id}?account_identifier=acct"
    ));
    assert_eq!(r.status, 404, "{}", r.text());
}

#[test]
fn lifecycle_rule_refusals_name_the_problem() {
    let s = HarLocal::start();
    let mut c = s.client();
    create_registry(
        &mut c,
        virtual_registry("acct", "docker-main", "DOCKER", &[]),
    );
    create_registry(&mut c, virtual_registry("acct", "npm-main", "NPM", &[]));
    let url = format!("{V3}/lifecycle/rules?account_identifier=acct");

    let r = c.post(
        &format!("{V3}/lifecycle/rules"),
        &cleanup_rule(&["docker-main"]),
    );
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.message().contains("account_identifier"), "{}", r.text());
    let r = c.post(
        &format!("{V3}/lifecycle/rules?account_identifier=other"),
        &cleanup_rule(&["docker-main"]),
    );
    assert_eq!(r.status, 403, "{}", r.text());

    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "/applyTo",
            json!({"mode": "EXPLICIT"}),
            "required when apply_to.mode is EXPLICIT",
        ),
        (
            "/applyTo",
            json!({"mode": "ALL_IN_SCOPE", "registries": ["docker-main"]}),
            "must not be set",
        ),
        (
            "/applyTo",
            json!({"mode": "SOME"}),
            "ALL_IN_SCOPE, EXPLICIT",
        ),
        (
            "/applyTo",
            json!({"mode": "EXPLICIT", "registries": ["nope"]}),
            "registry not found: nope",
        ),
        (
            "/applyTo",
            json!({"mode": "EXPLICIT", "registries": ["npm-main"]}),
            "is a NPM registry, but this rule is for package_type DOCKER",
        ),
        ("/action", json!("ARCHIVE"), "DELETE, PROTECT"),
        (
            "/criteria",
            json!({"match": "ALL", "rules": [{"type": "KEEP_LAST_N", "config": {"value": 3, "unit": "DAYS"}}]}),
            "takes no unit",
        ),
        (
            "/criteria",
            json!({"match": "ALL", "rules": [{"type": "UNUSED_FOR", "config": {"value": 3}}]}),
            "needs a unit",
        ),
        (
            "/criteria",
            json!({"match": "ALL", "rules": []}),
            "at least one rule",
        ),
        (
            "/criteria",
            json!({"match": "SOME", "rules": []}),
            "ALL, ANY",
        ),
        (
            "/schedule",
            json!({"expression": "0 25 * * *", "timezone": "UTC"}),
            "hour",
        ),
        (
            "/schedule",
            json!({"expression": "0 2 * * *", "timezone": "Europe/Berln"}),
            "Europe/Berlin",
        ),
        (
            "/filterConfig",
            json!({"versionNameAllowedPattern": ["1.*"]}),
            "version_name_patterns",
        ),
        ("/packageType", json!("CHEESE"), "package type"),
    ];
    for (pointer, value, says) in cases {
        let mut body = cleanup_rule(&["docker-main"]);
        *body.pointer_mut(pointer).unwrap() = value.clone();
        let r = c.post(&url, &body);
        assert_eq!(r.status, 400, "{pointer}={value}: {}", r.text());
        assert_eq!(r.json()["code"], "400");
        assert!(
            r.message().contains(says),
            "{pointer}={value}: {}",
            r.text()
        );
    }
    let mut body = cleanup_rule(&["docker-main"]);
    body["action"] = json!("PROTECT");
    body["criteria"] = Value::Null;
    let r = c.post(&url, &body);
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.message().contains("schedule"), "{}", r.text());

    let r = c.put(
        &format!("{V3}/lifecycle/rules/nope?account_identifier=acct"),
        &cleanup_rule(&["docker-main"]),
    );
    assert_eq!(r.status, 404, "{}", r.text());
    let r = c.send(
        "PATCH",
        &format!("{V3}/lifecycle/rules/nope?account_identifier=acct"),
        &[],
        None,
    );
    assert_eq!(r.status, 405, "{}", r.text());
    assert_eq!(r.json()["code"], "405");
}
