//! The worked module example, `examples/modules/docker-registry`, passes its own
//! `terraform test` suite against har-local: apply and assertions on outputs, a rename of a
//! linked mirror in one apply, and runs that expect a variable validation and a precondition
//! to fail. `terraform test` destroys what it created, so har-local ends empty.

use crate::support;

use std::path::Path;

use support::acc::{Acc, AssertSays};
use support::terraform::Terraform;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let path = entry.path();
        let name = entry.file_name();
        // A local `terraform init` of the example leaves these; the copy starts clean.
        if name == ".terraform" || name == ".terraform.lock.hcl" {
            continue;
        }
        if path.is_dir() {
            copy_dir(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).expect("copy file");
        }
    }
}

#[test]
fn module_example_passes_terraform_test() {
    let acc = Acc::start();
    // dev_overrides: the provider built for this run, started by terraform for each command.
    let tf = Terraform::new()
        .env("HARNESS_ENDPOINT", &acc.server.endpoint())
        .env("HARNESS_ACCOUNT_ID", acc.server.account())
        .env("HARNESS_PLATFORM_API_KEY", acc.server.api_key());
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/modules/docker-registry"),
        &tf.work_dir(),
    );
    let out = tf.run(&["test", "-no-color"]);
    out.assert_success()
        .assert_says("run \"docker_hub_then_the_mirrors\"... pass")
        .assert_says("run \"a_mirror_renamed_in_one_apply\"... pass")
        .assert_says("run \"a_bad_name_is_refused\"... pass")
        .assert_says("run \"a_registry_needs_an_upstream\"... pass")
        .assert_says("4 passed, 0 failed");
    assert!(
        acc.snapshot("tt-docker").is_empty(),
        "terraform test destroys everything it created"
    );
}
