//! Rules about the repository itself that the compiler cannot check: the layers point one
//! way (ARCHITECTURE.md), and the design the code cites lives in the repository.

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `crate::<module>` a layer's files name, with the file and line.
fn uses_of(layer: &str, forbidden: &[&str]) -> Vec<String> {
    let dir = root().join("src").join(layer);
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read source");
        for (n, line) in text.lines().enumerate() {
            for m in forbidden {
                if line.contains(&format!("crate::{m}::")) || line.contains(&format!("crate::{m};"))
                {
                    found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    found
}

fn assert_layer_imports_none_of(layer: &str, forbidden: &[&str]) {
    let found = uses_of(layer, forbidden);
    assert!(
        found.is_empty(),
        "src/{layer}/ must not import {forbidden:?} (see ARCHITECTURE.md, Layers):\n{}",
        found.join("\n")
    );
}

#[test]
fn protocol_imports_nothing_above_it() {
    assert_layer_imports_none_of(
        "protocol",
        &[
            "framework",
            "provider",
            "plugin",
            "api",
            "local",
            "rules",
            "docs",
            "migrate",
        ],
    );
}

#[test]
fn framework_knows_nothing_of_har_or_transport() {
    assert_layer_imports_none_of(
        "framework",
        &["provider", "plugin", "api", "local", "rules", "migrate"],
    );
}

#[test]
fn api_knows_nothing_of_terraform() {
    assert_layer_imports_none_of(
        "api",
        &[
            "protocol",
            "framework",
            "provider",
            "plugin",
            "local",
            "docs",
            "migrate",
        ],
    );
}

#[test]
fn local_uses_only_api_wire_models_and_rules() {
    assert_layer_imports_none_of(
        "local",
        &[
            "protocol",
            "framework",
            "provider",
            "plugin",
            "docs",
            "migrate",
        ],
    );
    let found: Vec<String> = uses_of("local", &["api"])
        .into_iter()
        .filter(|l| !l.contains("crate::api::model::") && !l.contains("crate::api::refs::"))
        .collect();
    assert!(
        found.is_empty(),
        "src/local/ may use only api::model and api::refs from the API layer:\n{}",
        found.join("\n")
    );
}
