//! The examples under `examples/` (the ones the docs show) and the quickstart apply against
//! har-local, plan empty afterwards, and the commands in each `import.sh` import what
//! `resource.tf` created with an empty plan after.

use crate::support;

use std::path::Path;

use support::acc::{Acc, AssertSays, Workdir, apply_clean, import};
use support::terraform::Terraform;

fn example(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A working directory with the provider block in main.tf and the example beside it.
fn workdir(acc: &Acc, example_file: &str) -> Workdir {
    let tf = acc.tf();
    tf.config(&acc.config(""));
    std::fs::write(tf.work_dir().join("example.tf"), example(example_file)).expect("write example");
    tf
}

/// Forget every address `import.sh` names, then run its `terraform import` lines.
fn reimport(tf: &Terraform, import_sh: &str) {
    for line in example(import_sh).lines() {
        let Some(args) = line.strip_prefix("terraform import ") else {
            continue;
        };
        let mut parts = args.split_whitespace();
        let (Some(address), Some(id)) = (parts.next(), parts.next()) else {
            panic!("bad import line {line:?}");
        };
        tf.run(&["state", "rm", "-no-color", address])
            .assert_success();
        import(tf, address, id).assert_success();
    }
    tf.plan_detailed().assert_no_changes();
}

#[test]
fn examples_apply_and_import() {
    let acc = Acc::start();
    let registry = workdir(&acc, "examples/resources/har_registry/resource.tf");
    let proxy = workdir(&acc, "examples/resources/har_upstream_proxy/resource.tf");
    apply_clean(&registry);
    apply_clean(&proxy);
    reimport(&registry, "examples/resources/har_registry/import.sh");
    reimport(&proxy, "examples/resources/har_upstream_proxy/import.sh");

    for ds in ["har_registry", "har_upstream_proxy", "har_registries"] {
        let tf = workdir(&acc, &format!("examples/data-sources/{ds}/data-source.tf"));
        tf.apply().assert_success();
        tf.plan_detailed().assert_no_changes();
        if ds == "har_registry" {
            tf.run(&["output", "-no-color", "docker_upstream_order"])
                .assert_success()
                .assert_says(r#""dockerhub", "docker-mirror","#);
        }
        if ds == "har_registries" {
            tf.run(&["output", "-no-color", "docker_proxy_ids"])
                .assert_success()
                .assert_says(r#""acct/docker-hub","#)
                .assert_says(r#""acct/ecr-private","#);
        }
    }
    registry.destroy().assert_success();
    proxy.destroy().assert_success();

    // The quickstart, as the newcomer runs it (its own provider block, env from the provider).
    let quick = acc.tf();
    quick.config(&example("examples/quickstart/main.tf"));
    quick
        .apply()
        .assert_success()
        .assert_says(r#"docker_upstream_order = tolist([ "dockerhub", "ecr-private", "quay", ])"#);
    quick.plan_detailed().assert_no_changes();
    quick.destroy().assert_success();
    assert!(acc.snapshot("").is_empty(), "everything destroyed");
}
