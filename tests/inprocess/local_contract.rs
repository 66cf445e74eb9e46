//! har-local's contract (docs/design/har-api.md §6, issue 3), checked over real HTTP against the real
//! binary with a real SQLite file.

use crate::support;

use serde_json::json;
use support::har_local::bodies::{upstream, virtual_registry};
use support::har_local::{Client, HarLocal};

const API: &str = "/api/v1";
const GW: &str = "/gateway/har/api/v1";

fn create(c: &mut Client, body: serde_json::Value) -> serde_json::Value {
    let r = c.post(&format!("{API}/registry"), &body);
    assert_eq!(r.status, 201, "create {body}: {}", r.text());
    assert_eq!(r.json()["status"], "SUCCESS");
    r.data()
}

fn proxies(data: &serde_json::Value) -> Vec<String> {
    data["config"]["upstreamProxies"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().unwrap_or("?").to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn create_get_update_delete_under_both_prefixes_and_ref_forms() {
    let s = HarLocal::start();
    let mut c = s.client();
    let up = create(&mut c, upstream("acct/org", "hub", "DOCKER"));
    assert_eq!(
        up["url"], "",
        "Dockerhub upstream url is the (empty) remote URL"
    );
    assert_eq!(up["config"]["auth"], serde_json::Value::Null);
    assert_eq!(up["config"]["authType"], "Anonymous");
    assert_eq!(up["labels"], serde_json::Value::Null);

    let r = c.post(
        &format!("{GW}/registry"),
        &virtual_registry("acct/org/proj", "docker-main", "DOCKER", &["hub"]),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let v = r.data();
    assert_eq!(v["url"], "http://pkg.har-local.test/acct/docker-main");
    assert_eq!(proxies(&v), ["hub"]);
    let created: i64 = v["createdAt"].as_str().unwrap().parse().unwrap();
    assert!(created > 1_600_000_000_000, "millisecond string: {v}");
    assert!(!v["uuid"].as_str().unwrap().is_empty());

    for path in [
        format!("{API}/registry/acct/org/proj/docker-main/+"),
        format!("{GW}/registry/acct/org/proj/docker-main/+"),
        format!("{API}/registry/acct%2Forg%2Fproj%2Fdocker-main"),
        format!("{GW}/registry/acct%2Forg%2Fproj%2Fdocker-main"),
    ] {
        let r = c.get(&path);
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        assert_eq!(r.data(), v, "{path}");
    }

    // PUT under the encoded form, DELETE under the gateway prefix.
    let mut body = virtual_registry("ignored/on/put", "docker-main", "DOCKER", &[]);
    body["description"] = json!("changed");
    let r = c.put(
        &format!("{API}/registry/acct%2Forg%2Fproj%2Fdocker-main"),
        &body,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.data()["description"], "changed");
    assert_eq!(r.data()["createdAt"], v["createdAt"]);
    let r = c.delete(&format!("{GW}/registry/acct/org/proj/docker-main/+"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), json!({"status": "SUCCESS"}));
    let r = c.get(&format!("{API}/registry/acct/org/proj/docker-main/+"));
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["code"], "404");
}

#[test]
fn create_falls_back_to_the_space_ref_query() {
    let s = HarLocal::start();
    let mut c = s.client();
    let mut body = virtual_registry("x", "from-query", "NPM", &[]);
    body.as_object_mut().unwrap().remove("parentRef");
    let r = c.post(&format!("{GW}/registry?space_ref=acct%2Forg"), &body);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        c.get(&format!("{API}/registry/acct/org/from-query/+"))
            .status,
        200
    );
    // parentRef wins over the query.
    let body = virtual_registry("acct", "from-body", "NPM", &[]);
    assert_eq!(
        c.post(&format!("{API}/registry?space_ref=acct%2Fother"), &body)
            .status,
        201
    );
    assert_eq!(
        c.get(&format!("{API}/registry/acct/from-body/+")).status,
        200
    );
    // Neither: 400 naming what is missing.
    let mut body = virtual_registry("x", "nowhere", "NPM", &[]);
    body.as_object_mut().unwrap().remove("parentRef");
    let r = c.post(&format!("{API}/registry"), &body);
    assert_eq!(r.status, 400);
    assert!(
        r.message().contains("parent reference is required"),
        "{}",
        r.text()
    );
}

#[test]
fn api_key_is_required_everywhere_and_duplicates_are_tolerated() {
    let s = HarLocal::start();
    let mut anon = s.client_without_key();
    for (m, p) in [
        ("GET", format!("{API}/registry/acct/x/+")),
        ("POST", format!("{API}/registry")),
        ("GET", format!("{GW}/spaces/acct/+/registries")),
        ("GET", "/nowhere".to_string()),
    ] {
        let r = anon.send(m, &p, &[], None);
        assert_eq!(r.status, 401, "{m} {p}");
        assert_eq!(r.json()["code"], "401");
    }
    let r = anon.send(
        "GET",
        &format!("{API}/registry/acct/x/+"),
        &[("x-api-key", "wrong")],
        None,
    );
    assert_eq!(r.status, 401);
    let r = anon.send(
        "GET",
        &format!("{API}/registry/acct/x/+"),
        &[("x-api-key", "")],
        None,
    );
    assert_eq!(r.status, 401);
    // The official provider sends the key twice (x-api-key and X-Api-Key).
    let key = s.api_key().to_string();
    let r = anon.send(
        "GET",
        &format!("{API}/spaces/acct/+/registries"),
        &[("x-api-key", &key), ("X-Api-Key", &key)],
        None,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let r = anon.send(
        "GET",
        &format!("{API}/spaces/acct/+/registries"),
        &[("x-api-key", &key), ("X-Api-Key", "other")],
        None,
    );
    assert_eq!(r.status, 401);
}

#[test]
fn bad_bodies_are_json_errors() {
    let s = HarLocal::start();
    let mut c = s.client();
    let r = c.send("POST", &format!("{API}/registry"), &[], Some(b"{not json"));
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["code"], "400");
    assert!(r.message().contains("JSON"), "{}", r.text());
    let big = vec![b' '; 1024 * 1024 + 1];
    let r = c.send("POST", &format!("{API}/registry"), &[], Some(&big));
    assert_eq!(r.status, 413, "{}", r.text());
    assert_eq!(r.json()["code"], "413");
    let r = c.send("PATCH", &format!("{API}/registry/acct/x/+"), &[], None);
    assert_eq!(r.status, 405);
    assert_eq!(r.json()["code"], "405");
    let r = c.get("/api/v2/whatever");
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["code"], "404");
    // Unknown fields are ignored, and so are the SDK's stray keys.
    let body = json!({"identifier": "tolerant", "packageType": "DOCKER", "parentRef": "acct",
        "somethingNew": {"x": 1},
        "config": {"type": "VIRTUAL", "upstreamProxies": null, "authType": null, "url": ""}});
    create(&mut c, body);
    let body = json!({"identifier": "tolerant-up", "packageType": "DOCKER", "parentRef": "acct",
        "config": {"type": "UPSTREAM", "source": "Dockerhub", "url": "", "authType": "UserPassword",
          "auth": {"userName": "bob", "secretIdentifier": "pwd", "secretSpacePath": "acct/org",
                   "secretKeyIdentifier": "", "authType": "UserPassword"}}});
    let d = create(&mut c, body);
    assert_eq!(
        d["config"]["auth"],
        json!({"userName": "bob", "secretIdentifier": "pwd", "secretSpacePath": "acct/org"})
    );
    // A body without config is a 400 naming it.
    let r = c.post(
        &format!("{API}/registry"),
        &json!({"identifier": "noconf", "packageType": "DOCKER", "parentRef": "acct"}),
    );
    assert_eq!(r.status, 400);
    assert!(r.message().contains("config"), "{}", r.text());
}

#[test]
fn identifiers_package_types_and_upstream_rules() {
    let s = HarLocal::start();
    let mut c = s.client();
    let post = |c: &mut Client, b: serde_json::Value| c.post(&format!("{API}/registry"), &b);
    for bad in [
        "Upper",
        "a--b",
        "trailing-",
        "-lead",
        "sp ace",
        &"a".repeat(256),
    ] {
        let r = post(&mut c, virtual_registry("acct", bad, "DOCKER", &[]));
        assert_eq!(r.status, 400, "{bad}");
        assert!(
            r.message().starts_with("registry name should be"),
            "{}",
            r.text()
        );
    }
    // The real API accepts a leading digit (the product rule does not; that is the provider's).
    create(&mut c, virtual_registry("acct", "1st", "DOCKER", &[]));
    create(
        &mut c,
        virtual_registry("acct", &"a".repeat(255), "DOCKER", &[]),
    );

    let r = post(&mut c, virtual_registry("acct", "pt", "Docker", &[]));
    assert_eq!(r.status, 400);
    assert!(
        r.message().contains("did you mean \"DOCKER\""),
        "{}",
        r.text()
    );

    let up = |pt: &str, source: &str, url: &str, auth: serde_json::Value| {
        let mut cfg = json!({"type": "UPSTREAM", "source": source, "url": url});
        for (k, v) in auth.as_object().unwrap() {
            cfg[k] = v.clone();
        }
        json!({"identifier": "u", "packageType": pt, "parentRef": "acct", "config": cfg})
    };
    let anon = json!({"authType": "Anonymous"});
    let cases = [
        (
            up("DOCKER", "DockerHub", "", anon.clone()),
            "did you mean \"Dockerhub\"",
        ),
        (up("HELM", "Dockerhub", "", anon.clone()), "allowed: Custom"),
        (up("DOCKER", "Custom", "", anon.clone()), "URL is required"),
        (up("DOCKER", "AwsEcr", " ", anon.clone()), "URL is required"),
        (
            up("DOCKER", "Dockerhub", "", json!({})),
            "Upstream auth type must be one of",
        ),
        (
            up("DOCKER", "Dockerhub", "", json!({"authType": "Basic"})),
            "Upstream auth type must be one of",
        ),
        (
            up(
                "DOCKER",
                "Dockerhub",
                "",
                json!({"authType": "UserPassword", "auth": {"userName": "u"}}),
            ),
            "secret_identifier missing",
        ),
        (
            up(
                "DOCKER",
                "AwsEcr",
                "https://1.dkr.ecr",
                json!({"authType": "AccessKeySecretKey",
            "auth": {"secretKeyIdentifier": "sk"}}),
            ),
            "access_key_secret_identifier missing",
        ),
        (
            up(
                "DOCKER",
                "AwsEcr",
                "https://1.dkr.ecr",
                json!({"authType": "AccessKeySecretKey",
            "auth": {"accessKey": "AKIA"}}),
            ),
            "secret_key_identifier missing",
        ),
        (
            up(
                "DOCKER",
                "Dockerhub",
                "",
                json!({"authType": "UserPassword",
            "auth": {"userName": "u", "secretIdentifier": "s", "secretSpacePath": "other/org"}}),
            ),
            "secret space path not found",
        ),
    ];
    for (body, want) in cases {
        let r = post(&mut c, body.clone());
        assert_eq!(r.status, 400, "{body}: {}", r.text());
        assert!(
            r.message().contains(want),
            "{body}: want {want:?}, got {}",
            r.text()
        );
    }
    // Custom: url kept, trailing / trimmed; AccessKeySecretKey answers every key.
    let d = create(
        &mut c,
        up(
            "DOCKER",
            "AwsEcr",
            "https://123456789012.dkr.ecr.us-east-1.amazonaws.com/",
            json!({"authType": "AccessKeySecretKey", "auth": {"accessKey": "AKIA", "secretKeyIdentifier": "sk"}}),
        ),
    );
    assert_eq!(
        d["url"],
        "https://123456789012.dkr.ecr.us-east-1.amazonaws.com"
    );
    assert_eq!(d["config"]["url"], d["url"]);
    assert_eq!(
        d["config"]["auth"],
        json!({"accessKey": "AKIA", "accessKeySecretIdentifier": "",
        "accessKeySecretSpacePath": "", "secretKeyIdentifier": "sk", "secretKeySpacePath": ""})
    );
    // A public default source has no URL: a given one is cleared.
    let mut b = up(
        "MAVEN",
        "MavenCentral",
        "https://repo1.maven.org/",
        anon.clone(),
    );
    b["identifier"] = json!("mc");
    assert_eq!(create(&mut c, b)["url"], "");
}

#[test]
fn identifiers_are_unique_across_the_account_and_immutable() {
    let s = HarLocal::start();
    let mut c = s.client();
    create(&mut c, virtual_registry("acct/org", "dup", "DOCKER", &[]));
    let r = c.post(
        &format!("{API}/registry"),
        &virtual_registry("acct/other/p", "dup", "NPM", &[]),
    );
    assert_eq!(r.status, 400);
    assert!(
        r.message().contains("already defined under 'acct/org'"),
        "{}",
        r.text()
    );

    let path = format!("{API}/registry/acct/org/dup/+");
    let r = c.put(
        &path,
        &virtual_registry("acct/org", "renamed", "DOCKER", &[]),
    );
    assert_eq!(r.status, 400);
    assert!(
        r.message().contains("identifier change is not allowed"),
        "{}",
        r.text()
    );
    let r = c.put(&path, &virtual_registry("acct/org", "dup", "NPM", &[]));
    assert!(
        r.message().contains("package type change is not allowed"),
        "{}",
        r.text()
    );
    let r = c.put(&path, &upstream("acct/org", "dup", "DOCKER"));
    assert!(
        r.message().contains("registry type change is not allowed"),
        "{}",
        r.text()
    );
    // The registry lives in exactly one scope: another scope's ref does not find it.
    assert_eq!(c.get(&format!("{API}/registry/acct/dup/+")).status, 404);
}

#[test]
fn put_replaces_everything() {
    let s = HarLocal::start();
    let mut c = s.client();
    create(&mut c, upstream("acct", "hub", "DOCKER"));
    let mut full = virtual_registry("acct/o", "v", "DOCKER", &["hub"]);
    full["description"] = json!("d");
    full["labels"] = json!(["l1", "l2"]);
    full["allowedPattern"] = json!(["a*"]);
    full["blockedPattern"] = json!(["b*"]);
    full["isPublic"] = json!(true);
    let d = create(&mut c, full.clone());
    assert_eq!(d["labels"], json!(["l1", "l2"]));
    assert_eq!(d["isPublic"], true);
    let r = c.put(
        &format!("{API}/registry/acct/o/v/+"),
        &json!({
        "identifier": "v", "packageType": "DOCKER", "config": {"type": "VIRTUAL"}}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let d = c.get(&format!("{API}/registry/acct/o/v/+")).data();
    assert_eq!(d["description"], "");
    for k in ["labels", "allowedPattern", "blockedPattern"] {
        assert_eq!(d[k], serde_json::Value::Null, "{k}");
    }
    assert_eq!(d["isPublic"], false);
    assert!(proxies(&d).is_empty());
    // Upstream PUT rewrites the auth: UserPassword → Anonymous clears it.
    let mut u = upstream("acct", "creds", "NPM");
    u["config"]["authType"] = json!("UserPassword");
    u["config"]["auth"] = json!({"userName": "u", "secretIdentifier": "s"});
    create(&mut c, u);
    let r = c.put(
        &format!("{API}/registry/acct/creds/+"),
        &upstream("acct", "creds", "NPM"),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.data()["config"]["auth"], serde_json::Value::Null);
    assert_eq!(r.data()["config"]["authType"], "Anonymous");
}

#[test]
fn upstreams_keep_order_and_mismatches_are_silently_dropped() {
    let s = HarLocal::start();
    let mut c = s.client();
    create(&mut c, upstream("acct", "root-hub", "DOCKER"));
    create(&mut c, upstream("acct/org", "org-hub", "DOCKER"));
    create(&mut c, upstream("acct/org/proj", "proj-hub", "DOCKER"));
    create(
        &mut c,
        upstream("acct/org/sibling", "sibling-hub", "DOCKER"),
    );
    create(&mut c, upstream("acct/org", "npm-up", "NPM"));
    let d = create(
        &mut c,
        virtual_registry(
            "acct/org/proj",
            "v",
            "DOCKER",
            &[
                "proj-hub",
                "npm-up",
                "root-hub",
                "nope",
                "sibling-hub",
                "org-hub",
            ],
        ),
    );
    assert_eq!(proxies(&d), ["proj-hub", "root-hub", "org-hub"]);
    assert_eq!(
        proxies(&c.get(&format!("{API}/registry/acct/org/proj/v/+")).data()),
        ["proj-hub", "root-hub", "org-hub"]
    );
    // A registry in an org cannot see a project's proxy.
    let d = create(
        &mut c,
        virtual_registry("acct/org", "v-org", "DOCKER", &["proj-hub", "org-hub"]),
    );
    assert_eq!(proxies(&d), ["org-hub"]);
    // PUT reorders.
    let r = c.put(
        &format!("{API}/registry/acct/org/proj/v/+"),
        &virtual_registry("acct/org/proj", "v", "DOCKER", &["org-hub", "proj-hub"]),
    );
    assert_eq!(proxies(&r.data()), ["org-hub", "proj-hub"]);
}

#[test]
fn delete_while_referenced_is_refused_and_cycles_too() {
    let s = HarLocal::start();
    let mut c = s.client();
    create(&mut c, upstream("acct", "hub", "DOCKER"));
    create(
        &mut c,
        virtual_registry("acct/o/p", "v1", "DOCKER", &["hub"]),
    );
    let r = c.delete(&format!("{API}/registry/acct/hub/+"));
    assert_eq!(r.status, 400);
    assert_eq!(
        r.message(),
        "upstream Proxy: [hub] is being used inside Registry: [v1 (acct/o/p)]"
    );
    assert_eq!(c.get(&format!("{API}/registry/acct/hub/+")).status, 200);

    // Virtual chaining: a → b allowed, then b → a is a cycle.
    create(&mut c, virtual_registry("acct", "a", "DOCKER", &[]));
    create(&mut c, virtual_registry("acct", "b", "DOCKER", &["a"]));
    let r = c.put(
        &format!("{API}/registry/acct/a/+"),
        &virtual_registry("acct", "a", "DOCKER", &["b"]),
    );
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.message().contains("cycle detected"), "{}", r.text());
    let r = c.put(
        &format!("{API}/registry/acct/a/+"),
        &virtual_registry("acct", "a", "DOCKER", &["a"]),
    );
    assert!(r.message().contains("cycle detected"), "{}", r.text());

    // After unlinking, the delete goes through.
    let r = c.put(
        &format!("{API}/registry/acct/o/p/v1/+"),
        &virtual_registry("acct/o/p", "v1", "DOCKER", &[]),
    );
    assert_eq!(r.status, 200);
    assert_eq!(c.delete(&format!("{API}/registry/acct/hub/+")).status, 200);
}

#[test]
fn unknown_registries_and_other_accounts() {
    let s = HarLocal::start();
    let mut c = s.client();
    // Documented choice: 404 for GET, PUT and DELETE of an unknown registry.
    assert_eq!(c.get(&format!("{API}/registry/acct/ghost/+")).status, 404);
    let r = c.put(
        &format!("{API}/registry/acct/ghost/+"),
        &virtual_registry("acct", "ghost", "DOCKER", &[]),
    );
    assert_eq!(r.status, 404);
    assert!(
        r.message().starts_with("registry not found"),
        "{}",
        r.text()
    );
    assert_eq!(
        c.delete(&format!("{API}/registry/acct/ghost/+")).status,
        404
    );
    // Another account is refused, on every route.
    let r = c.post(
        &format!("{API}/registry"),
        &virtual_registry("other", "x", "DOCKER", &[]),
    );
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(
        r.message().contains("serves account 'acct'"),
        "{}",
        r.text()
    );
    assert_eq!(c.get(&format!("{API}/registry/other/x/+")).status, 403);
    assert_eq!(
        c.get(&format!("{API}/spaces/other/+/registries")).status,
        403
    );
    // Scopes exist on first use, at every depth.
    create(
        &mut c,
        virtual_registry("acct/new_org/new_proj", "deep", "DOCKER", &[]),
    );
    let r = c.post(
        &format!("{API}/registry"),
        &virtual_registry("acct/a/b/c", "too-deep", "DOCKER", &[]),
    );
    assert_eq!(r.status, 400);
}

#[test]
fn list_filters_scopes_and_pages() {
    let s = HarLocal::start();
    let mut c = s.client();
    create(&mut c, upstream("acct", "root-hub", "DOCKER"));
    create(&mut c, upstream("acct/org", "org-npm", "NPM"));
    create(
        &mut c,
        virtual_registry("acct/org", "org-docker", "DOCKER", &["root-hub"]),
    );
    create(
        &mut c,
        virtual_registry("acct/org/p", "p-docker", "DOCKER", &[]),
    );
    create(
        &mut c,
        virtual_registry("acct/org/p", "p-helm", "HELM", &[]),
    );
    let list = |c: &mut Client, q: &str| {
        let r = c.get(&format!("{GW}/spaces/acct/org/+/registries{q}"));
        assert_eq!(r.status, 200, "{q}: {}", r.text());
        let d = r.data();
        let mut ids: Vec<String> = d["registries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["identifier"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        (ids, d)
    };
    assert_eq!(list(&mut c, "").0, ["org-docker", "org-npm"]);
    assert_eq!(
        list(&mut c, "?scope=ancestors").0,
        ["org-docker", "org-npm", "root-hub"]
    );
    assert_eq!(
        list(&mut c, "?scope=descendants").0,
        ["org-docker", "org-npm", "p-docker", "p-helm"]
    );
    assert_eq!(
        list(
            &mut c,
            "?scope=descendants&package_type=HELM&package_type=NPM"
        )
        .0,
        ["org-npm", "p-helm"]
    );
    assert_eq!(
        list(&mut c, "?scope=ancestors&type=UPSTREAM").0,
        ["org-npm", "root-hub"]
    );
    assert_eq!(
        list(&mut c, "?scope=descendants&search_term=DOCK").0,
        ["org-docker", "p-docker"]
    );
    let (ids, d) = list(
        &mut c,
        "?scope=descendants&size=3&page=1&sort_field=identifier",
    );
    assert_eq!(ids, ["p-helm"]);
    assert_eq!(
        (
            d["itemCount"].as_i64(),
            d["pageCount"].as_i64(),
            d["pageIndex"].as_i64(),
            d["pageSize"].as_i64()
        ),
        (Some(4), Some(2), Some(1), Some(3))
    );
    let (_, d) = list(&mut c, "?search_term=org-docker");
    let m = &d["registries"][0];
    assert_eq!(m["path"], "acct/org/org-docker");
    assert_eq!(m["type"], "VIRTUAL");
    assert_eq!(m["url"], "http://pkg.har-local.test/acct/org-docker");
    // The encoded form, and the OSS prefix.
    let r = c.get(&format!(
        "{API}/spaces/acct%2Forg/registries?accountIdentifier=acct"
    ));
    assert_eq!(r.data()["itemCount"], 2);
    for q in [
        "?scope=sideways",
        "?package_type=DOCKR",
        "?type=BOTH",
        "?page=-1",
        "?size=0",
        "?size=x",
    ] {
        let r = c.get(&format!("{API}/spaces/acct/+/registries{q}"));
        assert_eq!(r.status, 400, "{q}: {}", r.text());
    }
}

#[test]
fn cleanup_policies_are_kept_on_put_only() {
    let s = HarLocal::start();
    let mut c = s.client();
    let mut b = virtual_registry("acct", "cp", "MAVEN", &[]);
    let policy = json!([{"name": "old", "expireDays": 30, "versionPrefix": ["1."], "packagePrefix": ["com."]}]);
    b["cleanupPolicy"] = policy.clone();
    assert!(create(&mut c, b.clone())["cleanupPolicy"].is_null());
    let r = c.put(&format!("{API}/registry/acct/cp/+"), &b);
    assert_eq!(r.data()["cleanupPolicy"], policy);
    b["cleanupPolicy"] = json!([{"name": "x"}]);
    let r = c.put(&format!("{API}/registry/acct/cp/+"), &b);
    assert_eq!(r.status, 400);
    assert!(
        r.message()
            .contains("expireDays is required for cleanup policy"),
        "{}",
        r.text()
    );
}

#[test]
fn data_survives_a_clean_restart_and_sigterm_exits_cleanly() {
    let mut s = HarLocal::start();
    let mut c = s.client();
    let d = create(&mut c, upstream("acct", "kept", "DOCKER"));
    assert!(
        s.terminate(),
        "SIGTERM must exit 0; stderr:\n{}",
        s.stderr()
    );
    let s = s.restart();
    let r = s.client().get(&format!("{API}/registry/acct/kept/+"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.data(), d);
}

#[test]
fn cli_memory_db_generated_key_and_exactly_one_stdout_line() {
    use std::io::{BufRead, BufReader, Read};
    use std::process::{Command, Stdio};

    let help = Command::new(env!("CARGO_BIN_EXE_har-local"))
        .arg("--help")
        .output()
        .expect("--help");
    assert!(help.status.success());
    let help = String::from_utf8_lossy(&help.stdout);
    for flag in ["--listen", "--db", "--api-key", "--account"] {
        assert!(help.contains(flag), "--help lacks {flag}:\n{help}");
    }

    let dir = tempfile::tempdir().expect("temp dir");
    let stderr_path = dir.path().join("stderr");
    let mut child = Command::new(env!("CARGO_BIN_EXE_har-local"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--db",
            ":memory:",
            "--account",
            "mem",
        ])
        .env_remove("HAR_LOCAL_API_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::from(
            std::fs::File::create(&stderr_path).expect("stderr"),
        ))
        .spawn()
        .expect("start");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    out.read_line(&mut line).expect("stdout line");
    let addr: std::net::SocketAddr = line
        .trim()
        .strip_prefix("har-local listening on http://")
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("first stdout line: {line:?}"));
    assert!(addr.ip().is_loopback());
    let stderr = std::fs::read_to_string(&stderr_path).expect("stderr");
    let key = stderr
        .lines()
        .find_map(|l| l.split("x-api-key): ").nth(1))
        .unwrap_or_else(|| panic!("no generated key on stderr:\n{stderr}"))
        .trim()
        .to_string();
    let mut c = Client::new(addr, Some(key.clone()));
    let r = c.post(
        &format!("{API}/registry"),
        &virtual_registry("mem/o", "m", "GO", &[]),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        c.get(&format!("{API}/registry/mem/o/m/+")).status,
        200,
        "memory reads"
    );
    drop(c);
    let term = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(term.success());
    assert!(child.wait().expect("wait").success(), "SIGTERM exits 0");
    let mut rest = String::new();
    out.read_to_string(&mut rest).expect("rest of stdout");
    assert_eq!(rest, "", "exactly one stdout line");
    let stderr = std::fs::read_to_string(&stderr_path).expect("stderr");
    assert_eq!(
        stderr.matches(&key).count(),
        1,
        "the key appears once (the generation notice), never in logs:\n{stderr}"
    );
}
