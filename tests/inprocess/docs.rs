//! docs/ must be what the provider's schemas give: every page is rendered from
//! `HarProvider` (schemas, `examples/`, `templates/`) and compared with the file on disk.
//! Regenerate with `UPDATE_DOCS=1 cargo test --test inprocess docs::`.

use std::path::Path;

use terraform_provider_har::docs::{Generator, pages_for};
use terraform_provider_har::provider::HarProvider;

const REGENERATE: &str = "UPDATE_DOCS=1 cargo test --test inprocess docs::";

#[test]
fn docs_match_the_provider_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let generator = Generator::new("har", root);
    let pages = generator
        .render_all(&pages_for(&HarProvider::new(), "har"))
        .unwrap_or_else(|e| panic!("rendering the docs: {e}"));
    let docs = root.join("docs");
    if std::env::var_os("UPDATE_DOCS").is_some_and(|v| v == "1") {
        generator
            .write(&pages, &docs)
            .unwrap_or_else(|e| panic!("writing the docs: {e}"));
        eprintln!("wrote {} pages under {}", pages.len(), docs.display());
        return;
    }
    let drift = generator
        .check(&pages, &docs)
        .unwrap_or_else(|e| panic!("reading docs/: {e}"));
    assert!(
        drift.is_empty(),
        "docs/ does not match the provider schema; run `{REGENERATE}` and commit the result:\n  {}",
        drift
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n  ")
    );
}

/// The pages the Registry needs exist: one per resource and data source type.
#[test]
fn every_type_has_a_page() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let generator = Generator::new("har", root);
    let pages = generator
        .render_all(&pages_for(&HarProvider::new(), "har"))
        .unwrap_or_else(|e| panic!("rendering the docs: {e}"));
    let paths: Vec<String> = pages.iter().map(|p| p.path.display().to_string()).collect();
    for expected in [
        "index.md",
        "resources/registry.md",
        "resources/upstream_proxy.md",
        "data-sources/registry.md",
        "data-sources/upstream_proxy.md",
        "data-sources/registries.md",
    ] {
        assert!(
            paths.iter().any(|p| p == expected),
            "no page {expected}: {paths:?}"
        );
    }
    for page in &pages {
        assert!(
            page.content.starts_with("---\npage_title: "),
            "{}: no front matter",
            page.path.display()
        );
        assert!(
            page.content.contains("## Schema\n"),
            "{}: no schema section",
            page.path.display()
        );
        if page.path.starts_with("resources") {
            assert!(
                page.content.contains("## Example Usage") && page.content.contains("## Import"),
                "{}: a resource page needs an example (examples/resources/<type>/resource.tf) \
                 and the import syntax (import.sh)",
                page.path.display()
            );
        }
        if page.path.starts_with("data-sources") {
            assert!(
                page.content.contains("## Example Usage"),
                "{}: a data source page needs examples/data-sources/<type>/data-source.tf",
                page.path.display()
            );
        }
    }
}

/// The examples the pages show are canonically formatted HCL (`terraform fmt`), so they
/// parse and read the way users will type them.
#[test]
fn examples_are_terraform_fmt_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("temp dir");
    let rc = tmp.path().join("terraform.tfrc");
    std::fs::write(&rc, "").expect("CLI config");
    let out = std::process::Command::new("terraform")
        .args([
            "fmt",
            "-check",
            "-recursive",
            "-diff",
            "-no-color",
            "examples",
        ])
        .current_dir(root)
        .env("TF_CLI_CONFIG_FILE", &rc)
        .env("CHECKPOINT_DISABLE", "1")
        .output()
        .expect("run terraform fmt (is terraform on PATH?)");
    assert!(
        out.status.success(),
        "examples/ is not terraform fmt clean (run `terraform fmt -recursive examples`):\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
