//! `-parallelism=32` over 252 resources: per package type (DOCKER, MAVEN) 100 upstream
//! proxies all linked, in order, into one hub registry, and 25 registries of 3 links each.
//! Then every object changes at once (descriptions, the hub's order reversed, the small
//! registries' links shifted). No update may be lost: each apply is followed by an empty plan,
//! the server holds exactly the state, and the hubs list exactly the configured order.

use crate::support;

use support::reliability::{
    Work, assert_agree, counts, figures, proxy_block, server, server_objects,
};
use support::terraform::with_provider;

const PROXIES: usize = 100;
const SMALL: usize = 25;
const TYPES: [(&str, &str); 2] = [("DOCKER", "Dockerhub"), ("MAVEN", "MavenCentral")];

/// The configuration of version `v` (1 or 2).
fn config(v: u32) -> String {
    let mut hcl = String::from("provider \"har\" {}\n");
    for (pt, source) in TYPES {
        let t = pt.to_ascii_lowercase();
        for i in 0..PROXIES {
            hcl.push_str(&proxy_block("par", pt, source, i, &format!("v{v}")));
        }
        let hub: Vec<String> = hub_order(v)
            .iter()
            .map(|i| format!("har_upstream_proxy.{t}_{i}.identifier"))
            .collect();
        hcl.push_str(&format!(
            "resource \"har_registry\" \"{t}_hub\" {{\n  identifier       = \"par-{t}-hub\"\n  package_type     = \"{pt}\"\n  description      = \"v{v}\"\n  upstream_proxies = [{}]\n}}\n",
            hub.join(", ")
        ));
        for j in 0..SMALL {
            let links: Vec<String> = (0..3)
                .map(|k| {
                    format!(
                        "har_upstream_proxy.{t}_{}.identifier",
                        (j * 4 + k + v as usize) % PROXIES
                    )
                })
                .collect();
            hcl.push_str(&format!(
                "resource \"har_registry\" \"{t}_{j}\" {{\n  identifier       = \"par-{t}-r{j}\"\n  package_type     = \"{pt}\"\n  description      = \"v{v}\"\n  upstream_proxies = [{}]\n}}\n",
                links.join(", ")
            ));
        }
    }
    with_provider(&hcl)
}

fn hub_order(v: u32) -> Vec<usize> {
    let mut order: Vec<usize> = (0..PROXIES).collect();
    if v == 2 {
        order.reverse();
    }
    order
}

#[test]
fn parallel_applies_lose_no_update() {
    let h = server(0.0, 0);
    let w = Work::new(&h);
    for v in [1, 2] {
        w.tf.config(&config(v));
        w.apply(32).assert_success();
        w.plan_detailed(32).assert_no_changes();
        let n = assert_agree(&h, &w.tf);
        assert_eq!(n, TYPES.len() * (PROXIES + 1 + SMALL));
        let objects = server_objects(&h);
        for (k, o) in &objects {
            assert_eq!(
                o.description,
                format!("v{v}"),
                "{k} kept an old description"
            );
        }
        for (pt, _) in TYPES {
            let t = pt.to_ascii_lowercase();
            let want: Vec<String> = hub_order(v)
                .iter()
                .map(|i| format!("par-{t}-p{i}"))
                .collect();
            assert_eq!(
                objects[&format!("acct/par-{t}-hub")].upstreams,
                want,
                "hub {t} v{v}"
            );
        }
        eprintln!(
            "v{v}: apply -parallelism=32 ok, plan empty, server = state ({n} objects); {}",
            figures(&counts(&h))
        );
    }
}
