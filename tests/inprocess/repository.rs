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

/// The files a clone has: sources, tests, scripts, docs, examples (not `target/` or `.git/`).
fn repository_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.expect("directory entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_dir() {
                if name != "target" && name != ".git" && name != ".terraform" {
                    walk(&path, out);
                }
            } else {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(root(), &mut out);
    out
}

#[test]
fn nothing_points_outside_the_repository() {
    // Built at run time so this file does not match itself.
    let outside = [format!("..{}shared", '/'), format!("/work{}shared", '/')];
    let mut found = Vec::new();
    for file in repository_files() {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue; // binary files
        };
        for (n, line) in text.lines().enumerate() {
            if outside.iter().any(|o| line.contains(o.as_str())) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "files point outside the repository; write what is relied on under docs/design/:\n{}",
        found.join("\n")
    );
}

/// `docs/design/NAME.md` and, when it follows, `§N.N`.
fn design_citations(line: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("docs/design/") {
        let tail = &rest[i..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || "/._-".contains(c)))
            .unwrap_or(tail.len());
        let path = tail[..end].trim_end_matches('.').to_string();
        let after = tail[end..].trim_start();
        let section = after.strip_prefix('§').map(|s| {
            s.chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect::<String>()
                .trim_end_matches('.')
                .to_string()
        });
        out.push((path, section.filter(|s| !s.is_empty())));
        rest = &tail[end..];
    }
    out
}

#[test]
fn design_citations_name_files_and_sections_that_exist() {
    let mut broken = Vec::new();
    let mut count = 0;
    let this_file = root().join(file!());
    for file in repository_files() {
        if file == this_file {
            continue; // its own doc comments are examples
        }
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            for (path, section) in design_citations(line) {
                if path.ends_with('/') {
                    continue; // the directory itself
                }
                count += 1;
                let target = root().join(&path);
                let Ok(doc) = std::fs::read_to_string(&target) else {
                    broken.push(format!("{}:{}: no file {path}", file.display(), n + 1));
                    continue;
                };
                if let Some(section) = section {
                    // A section is a heading `## 2.` / `### 2.5 ...` (or a range `5.1 – 5.3`
                    // covering it).
                    let has = doc.lines().any(|l| {
                        let h = l.trim_start_matches('#').trim_start();
                        l.starts_with('#')
                            && (h.starts_with(&format!("{section} "))
                                || h.starts_with(&format!("{section}. "))
                                || h.starts_with(&format!("{section} –")))
                    });
                    if !has {
                        broken.push(format!(
                            "{}:{}: {path} has no section §{section}",
                            file.display(),
                            n + 1
                        ));
                    }
                }
            }
        }
    }
    assert!(count > 20, "expected the code's citations, found {count}");
    assert!(
        broken.is_empty(),
        "broken citations:\n{}",
        broken.join("\n")
    );
}
