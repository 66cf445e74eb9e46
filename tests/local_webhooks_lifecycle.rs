//! har-local's contract for registry webhooks and lifecycle rules (issue 14), over real HTTP
//! against the real binary with a real SQLite file.

mod support;

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
