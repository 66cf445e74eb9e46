//! har-local serves the registry and proxy fields beyond the basics as the real service does
//! (docs/design/fields.md): cleanup policies stored only by PUT, and deleted by a PUT without
//! them; scanners, policyRefs, isPublic, debianConfig with its defaults; the SaaS firewall mode
//! and cache TTLs with their rules; and the v3 metadata routes with MANUAL and AUTO entries.
//! Real HTTP against the real binary with a real SQLite file.

use crate::support;

use serde_json::{Value, json};
use support::har_local::bodies::{upstream, virtual_registry};
use support::har_local::{Client, HarLocal};

const API: &str = "/api/v1";
const V3: &str = "/gateway/har/api/v3";

fn create(c: &mut Client, body: &Value) -> Value {
    let r = c.post(&format!("{API}/registry"), body);
    assert_eq!(r.status, 201, "create {body}: {}", r.text());
    r.data()
}

fn put(c: &mut Client, reference: &str, body: &Value) -> Value {
    let r = c.put(&format!("{API}/registry/{reference}/+"), body);
    assert_eq!(r.status, 200, "put {body}: {}", r.text());
    r.data()
}

fn policy() -> Value {
    json!([{"name": "old", "expireDays": 30, "packagePrefix": ["app"], "versionPrefix": ["1."]}])
}

#[test]
fn cleanup_policies_are_stored_by_put_only_and_a_put_without_them_deletes_them() {
    let s = HarLocal::start();
    let mut c = s.client();
    let mut body = virtual_registry("acct", "docker-main", "DOCKER", &[]);
    body["cleanupPolicy"] = policy();
    let created = create(&mut c, &body);
    assert!(
        created["cleanupPolicy"]
            .as_array()
            .is_none_or(Vec::is_empty),
        "create must not store cleanup policies: {created}"
    );
    let stored = put(&mut c, "acct/docker-main", &body);
    assert_eq!(stored["cleanupPolicy"], policy());
    assert_eq!(
        c.get(&format!("{API}/registry/acct/docker-main/+")).data()["cleanupPolicy"],
        policy()
    );

    body.as_object_mut().unwrap().remove("cleanupPolicy");
    let after = put(&mut c, "acct/docker-main", &body);
    assert!(
        after["cleanupPolicy"].as_array().is_none_or(Vec::is_empty),
        "a PUT without cleanupPolicy deletes every policy: {after}"
    );

    // Every field of every entry is required, with the real service's message.
    body["cleanupPolicy"] = json!([{"name": "x", "packagePrefix": ["a"], "versionPrefix": ["b"]}]);
    let r = c.put(&format!("{API}/registry/acct/docker-main/+"), &body);
    assert_eq!(r.status, 400);
    assert_eq!(r.message(), "expireDays is required for cleanup policy");
}

#[test]
fn scanners_policy_refs_and_is_public_round_trip_and_put_replaces_them() {
    let s = HarLocal::start();
    let mut c = s.client();
    let mut body = virtual_registry("acct", "helm-main", "HELM", &[]);
    body["isPublic"] = json!(true);
    body["scanners"] = json!([{"name": "AQUA_TRIVY"}, {"name": "GRYPE"}]);
    body["policyRefs"] = json!(["acct.policy-a"]);
    let created = create(&mut c, &body);
    assert_eq!(created["isPublic"], true);
    assert_eq!(created["scanners"], body["scanners"]);
    assert_eq!(created["policyRefs"], body["policyRefs"]);

    // isPublic false turns it off again; omitted lists are cleared (PUT replaces all).
    let off = put(
        &mut c,
        "acct/helm-main",
        &json!({
            "identifier": "helm-main", "packageType": "HELM", "isPublic": false,
            "config": {"type": "VIRTUAL"}
        }),
    );
    assert_eq!(off["isPublic"], false);
    assert!(off.get("scanners").is_none_or(Value::is_null), "{off}");
    assert!(off.get("policyRefs").is_none_or(Value::is_null), "{off}");

    body["scanners"] = json!([{"name": "grype"}]);
    let r = c.put(&format!("{API}/registry/acct/helm-main/+"), &body);
    assert_eq!(r.status, 400);
    assert!(
        r.message().contains("did you mean \"GRYPE\""),
        "{}",
        r.text()
    );
}

#[test]
fn debian_config_gets_defaults_on_debian_and_is_refused_elsewhere() {
    let s = HarLocal::start();
    let mut c = s.client();
    let deb = create(&mut c, &virtual_registry("acct", "deb-main", "DEBIAN", &[]));
    assert_eq!(
        deb["config"]["debianConfig"],
        json!({"remoteIndexedArchitectures": ["amd64", "i386", "arm64"],
               "optionalIndexCompressionFormats": []})
    );
    let mut body = virtual_registry("acct", "deb-main", "DEBIAN", &[]);
    body["config"]["debianConfig"] = json!({"remoteIndexedArchitectures": ["arm64"], "optionalIndexCompressionFormats": [".xz"]});
    let changed = put(&mut c, "acct/deb-main", &body);
    assert_eq!(
        changed["config"]["debianConfig"],
        body["config"]["debianConfig"]
    );

    body["config"]["debianConfig"]["optionalIndexCompressionFormats"] = json!([".bz2"]);
    assert_eq!(
        c.put(&format!("{API}/registry/acct/deb-main/+"), &body)
            .status,
        400
    );

    let mut npm = virtual_registry("acct", "npm-main", "NPM", &[]);
    npm["config"]["debianConfig"] = json!({"remoteIndexedArchitectures": ["amd64"]});
    let r = c.post(&format!("{API}/registry"), &npm);
    assert_eq!(r.status, 400);
    assert!(r.message().contains("DEBIAN"), "{}", r.text());
}

#[test]
fn firewall_mode_and_cache_ttls_follow_the_saas_rules() {
    let s = HarLocal::start();
    let mut c = s.client();
    let mut maven = upstream("acct", "central", "MAVEN");
    maven["config"]["firewallMode"] = json!("QUARANTINE");
    maven["config"]["metadataCacheTTL"] = json!(3600);
    maven["config"]["negativeCacheTTL"] = json!(0);
    maven["config"]["remoteUrlSuffix"] = json!("simple");
    let created = create(&mut c, &maven);
    assert_eq!(created["config"]["firewallMode"], "QUARANTINE");
    assert_eq!(created["config"]["metadataCacheTTL"], 3600);
    assert_eq!(created["config"]["negativeCacheTTL"], 0);
    assert_eq!(created["config"]["remoteUrlSuffix"], "simple");

    // PUT replaces the upstream config: what it omits is cleared.
    let cleared = put(
        &mut c,
        "acct/central",
        &upstream("acct", "central", "MAVEN"),
    );
    for key in [
        "firewallMode",
        "metadataCacheTTL",
        "negativeCacheTTL",
        "remoteUrlSuffix",
    ] {
        assert!(
            cleared["config"].get(key).is_none_or(Value::is_null),
            "{key}: {cleared}"
        );
    }

    let refused = [
        (
            "MAVEN",
            "firewallMode",
            json!("BLOCK"),
            "allowed: ALLOW, ENABLED, QUARANTINE",
        ),
        (
            "MAVEN",
            "firewallMode",
            json!("enabled"),
            "did you mean \"ENABLED\"",
        ),
        ("DOCKER", "firewallMode", json!("ALLOW"), "DOCKER"),
        ("MAVEN", "metadataCacheTTL", json!(604_801), "0 to 604800"),
        ("NPM", "negativeCacheTTL", json!(60), "only to MAVEN"),
    ];
    for (i, (pt, key, value, says)) in refused.into_iter().enumerate() {
        let mut body = upstream("acct", &format!("bad-{i}"), pt);
        body["config"][key] = value;
        let r = c.post(&format!("{API}/registry"), &body);
        assert_eq!(r.status, 400, "{body}");
        assert!(r.message().contains(says), "{key}: {}", r.text());
    }
}

fn metadata_path(uuid: &str) -> String {
    format!("{V3}/registries/{uuid}/metadata?account_identifier=acct")
}

fn entries(r: &Value) -> Vec<(String, String, String)> {
    let mut out: Vec<_> = r["data"]
        .as_array()
        .unwrap_or(&vec![])
        .iter()
        .map(|e| {
            (
                e["key"].as_str().unwrap_or("?").to_string(),
                e["value"].as_str().unwrap_or("?").to_string(),
                e["type"].as_str().unwrap_or("?").to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn kv(k: &str, v: &str, t: &str) -> (String, String, String) {
    (k.into(), v.into(), t.into())
}

#[test]
fn metadata_v3_routes_keep_auto_entries_a_put_omits() {
    let s = HarLocal::start();
    let mut c = s.client();
    let reg = create(
        &mut c,
        &virtual_registry("acct/org", "meta", "GENERIC", &[]),
    );
    let uuid = reg["uuid"].as_str().unwrap().to_string();
    let path = metadata_path(&uuid);

    let r = c.get(&path);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), json!({"data": []}));

    // The system's entry (har-local takes "type":"AUTO" on POST to stand in for it).
    let r = c.post(
        &path,
        &json!({"metadata": [{"key": "scanned", "value": "yes", "type": "AUTO"}]}),
    );
    assert_eq!(r.status, 200, "{}", r.text());

    let r = c.put(
        &path,
        &json!({"metadata": [{"key": "team", "value": "platform"}]}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        entries(&r.json()),
        [
            kv("scanned", "yes", "AUTO"),
            kv("team", "platform", "MANUAL")
        ],
        "a PUT keeps the AUTO entry it omits"
    );
    assert!(
        r.json()["data"][0]["id"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );

    // A PUT carrying the AUTO entry unchanged leaves it AUTO; omitted MANUAL entries go.
    let r = c.put(
        &path,
        &json!({"metadata": [
            {"key": "scanned", "value": "yes"}, {"key": "owner", "value": "a.b@example.com"}
        ]}),
    );
    assert_eq!(
        entries(&r.json()),
        [
            kv("owner", "a.b@example.com", "MANUAL"),
            kv("scanned", "yes", "AUTO")
        ]
    );
    assert_eq!(entries(&c.get(&path).json()), entries(&r.json()));

    // POST adds without removing.
    let r = c.post(
        &path,
        &json!({"metadata": [{"key": "env", "value": "prod"}]}),
    );
    assert_eq!(entries(&r.json()).len(), 3);

    // The rules: key/value characters and at most 49 entries.
    let r = c.put(
        &path,
        &json!({"metadata": [{"key": "has space", "value": "x"}]}),
    );
    assert_eq!(r.status, 400);
    assert!(r.message().contains("invalid metadata key"), "{}", r.text());
    let fifty: Vec<Value> = (0..50)
        .map(|i| json!({"key": format!("k{i}"), "value": "v"}))
        .collect();
    let r = c.put(&path, &json!({"metadata": fifty}));
    assert_eq!(r.status, 400);
    assert!(r.message().contains("at most 49"), "{}", r.text());

    // Unknown uuid: 404; another account: 403; the entries go with their registry.
    assert_eq!(c.get(&metadata_path("no-such-uuid")).status, 404);
    let r = c.get(&format!(
        "{V3}/registries/{uuid}/metadata?account_identifier=other"
    ));
    assert_eq!(r.status, 403);
    assert_eq!(
        c.get(&format!("/api/v3/registries/{uuid}/metadata")).status,
        200
    );
    assert_eq!(
        c.delete(&format!("{API}/registry/acct/org/meta/+")).status,
        200
    );
    assert_eq!(c.get(&path).status, 404);
}
