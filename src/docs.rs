//! Registry-layout documentation generated from the provider's schemas, in the style of
//! HashiCorp's tfplugindocs: `docs/index.md`, `docs/resources/<name>.md` and
//! `docs/data-sources/<name>.md`, each with front matter, the schema's description, the
//! example from `examples/`, the attribute lists (Required / Optional / Read-Only, nested
//! schemas) and, for resources, the import syntax.
//!
//! It renders any [`framework::Schema`](crate::framework::Schema) and knows nothing of the
//! provider beyond what [`pages_for`] is handed. Prose that is not in the schema lives in
//! templates (`templates/index.md.tmpl`, `templates/resources/<name>.md.tmpl`,
//! `templates/data-sources/<name>.md.tmpl`, same names as tfplugindocs); a page without a
//! template gets the default layout.
//!
//! Template directives (a small subset of tfplugindocs'): `{{ .Name }}`, `{{ .Type }}`,
//! `{{ .ProviderName }}`, `{{ .RenderedProviderName }}`, `{{ .Description }}`,
//! `{{ .SchemaMarkdown }}`, `{{ .ExampleUsage }}`, `{{ .Import }}`, the pipes
//! `| trimspace` and `| prefixlines "  "`, and the functions `{{ tffile "path" }}` and
//! `{{ codefile "lang" "path" }}` (paths relative to the repository root). An unknown
//! directive is an error, so a typo cannot silently vanish from a page.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::framework::{Attribute, Kind, PlanModifier, Provider, RequiresReplace, Schema};
use crate::protocol::schema::Nesting;
use crate::protocol::value::Type;

#[derive(Debug, thiserror::Error)]
pub enum DocsError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{template}: {message}")]
    Template { template: String, message: String },
}

fn read(path: &Path) -> Result<String, DocsError> {
    std::fs::read_to_string(path).map_err(|source| DocsError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn read_optional(path: &Path) -> Result<Option<String>, DocsError> {
    match std::fs::read_to_string(path) {
        Ok(s) => Ok(Some(s)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(DocsError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// What a page documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PageKind {
    Provider,
    Resource,
    DataSource,
}

impl PageKind {
    /// The word tfplugindocs uses in titles.
    pub(crate) fn label(self) -> &'static str {
        match self {
            PageKind::Provider => "Provider",
            PageKind::Resource => "Resource",
            PageKind::DataSource => "Data Source",
        }
    }

    fn dir(self) -> &'static str {
        match self {
            PageKind::Provider => "",
            PageKind::Resource => "resources",
            PageKind::DataSource => "data-sources",
        }
    }
}

/// One page to render: a schema and where its prose and examples live.
#[derive(Clone)]
pub struct PageSpec {
    pub(crate) kind: PageKind,
    /// The full type name (`har_registry`), or the provider's name for the index.
    pub(crate) name: String,
    pub(crate) schema: Schema,
}

/// The generator's settings: the provider's short name (the prefix of its type names)
/// and the repository root holding `examples/` and `templates/`.
#[derive(Clone, Debug)]
pub struct Generator {
    pub(crate) provider_name: String,
    pub(crate) root: PathBuf,
}

/// A rendered page: its path under `docs/` and its content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    pub path: PathBuf,
    pub content: String,
}

/// The index page, then every resource and data source the provider offers.
pub fn pages_for(provider: &dyn Provider, provider_name: &str) -> Vec<PageSpec> {
    let mut pages = vec![PageSpec {
        kind: PageKind::Provider,
        name: provider_name.to_string(),
        schema: provider.schema(),
    }];
    let mut resources: Vec<_> = provider
        .resources()
        .iter()
        .map(|r| PageSpec {
            kind: PageKind::Resource,
            name: r.type_name().to_string(),
            schema: r.schema(),
        })
        .collect();
    resources.sort_by(|a, b| a.name.cmp(&b.name));
    let mut data_sources: Vec<_> = provider
        .data_sources()
        .iter()
        .map(|d| PageSpec {
            kind: PageKind::DataSource,
            name: d.type_name().to_string(),
            schema: d.schema(),
        })
        .collect();
    data_sources.sort_by(|a, b| a.name.cmp(&b.name));
    pages.extend(resources);
    pages.extend(data_sources);
    pages
}

/// A difference between the rendered pages and the files in `docs/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Drift {
    Missing(PathBuf),
    Differs(PathBuf),
    /// A file in a generated directory that no schema produces (a removed type).
    Stale(PathBuf),
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Missing(p) => write!(f, "missing: docs/{}", p.display()),
            Drift::Differs(p) => write!(f, "differs from the schema: docs/{}", p.display()),
            Drift::Stale(p) => write!(f, "no longer generated: docs/{}", p.display()),
        }
    }
}

impl Generator {
    pub fn new(provider_name: impl Into<String>, root: impl Into<PathBuf>) -> Self {
        Self {
            provider_name: provider_name.into(),
            root: root.into(),
        }
    }

    /// `har_registry` → `registry`: the page's file name, as the Registry expects.
    pub(crate) fn short_name<'a>(&self, name: &'a str) -> &'a str {
        name.strip_prefix(&self.provider_name)
            .and_then(|s| s.strip_prefix('_'))
            .unwrap_or(name)
    }

    fn page_path(&self, spec: &PageSpec) -> PathBuf {
        match spec.kind {
            PageKind::Provider => PathBuf::from("index.md"),
            k => Path::new(k.dir()).join(format!("{}.md", self.short_name(&spec.name))),
        }
    }

    fn example_path(&self, spec: &PageSpec) -> PathBuf {
        let ex = self.root.join("examples");
        match spec.kind {
            PageKind::Provider => ex.join("provider/provider.tf"),
            PageKind::Resource => ex.join("resources").join(&spec.name).join("resource.tf"),
            PageKind::DataSource => ex
                .join("data-sources")
                .join(&spec.name)
                .join("data-source.tf"),
        }
    }

    fn template_path(&self, spec: &PageSpec) -> PathBuf {
        let t = self.root.join("templates");
        match spec.kind {
            PageKind::Provider => t.join("index.md.tmpl"),
            k => t
                .join(k.dir())
                .join(format!("{}.md.tmpl", self.short_name(&spec.name))),
        }
    }

    pub(crate) fn render(&self, spec: &PageSpec) -> Result<Page, DocsError> {
        let template_path = self.template_path(spec);
        let (template, origin) = match read_optional(&template_path)? {
            Some(t) => (t, template_path.display().to_string()),
            None => (DEFAULT_TEMPLATE.to_string(), "default template".to_string()),
        };
        let content = Expander {
            generator: self,
            spec,
            origin: &origin,
        }
        .expand(&template)?;
        Ok(Page {
            path: self.page_path(spec),
            content: tidy(&content),
        })
    }

    pub fn render_all(&self, specs: &[PageSpec]) -> Result<Vec<Page>, DocsError> {
        specs.iter().map(|s| self.render(s)).collect()
    }

    /// Compare rendered pages with `docs_dir`: missing or different files, and files in the
    /// generated directories (`resources/`, `data-sources/`) that nothing renders.
    pub fn check(&self, pages: &[Page], docs_dir: &Path) -> Result<Vec<Drift>, DocsError> {
        let mut drift = Vec::new();
        for page in pages {
            match read_optional(&docs_dir.join(&page.path))? {
                None => drift.push(Drift::Missing(page.path.clone())),
                Some(on_disk) if on_disk != page.content => {
                    drift.push(Drift::Differs(page.path.clone()))
                }
                Some(_) => {}
            }
        }
        let rendered: BTreeSet<_> = pages.iter().map(|p| p.path.clone()).collect();
        for stale in generated_files(docs_dir)? {
            if !rendered.contains(&stale) {
                drift.push(Drift::Stale(stale));
            }
        }
        Ok(drift)
    }

    /// Write the pages and delete stale files from the generated directories.
    pub fn write(&self, pages: &[Page], docs_dir: &Path) -> Result<(), DocsError> {
        let rendered: BTreeSet<_> = pages.iter().map(|p| p.path.clone()).collect();
        for stale in generated_files(docs_dir)? {
            if !rendered.contains(&stale) {
                let path = docs_dir.join(&stale);
                std::fs::remove_file(&path).map_err(|source| DocsError::Io { path, source })?;
            }
        }
        for page in pages {
            let path = docs_dir.join(&page.path);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|source| DocsError::Io {
                    path: dir.to_path_buf(),
                    source,
                })?;
            }
            std::fs::write(&path, &page.content)
                .map_err(|source| DocsError::Io { path, source })?;
        }
        Ok(())
    }
}

/// `resources/*.md` and `data-sources/*.md` under `docs_dir`, relative to it.
fn generated_files(docs_dir: &Path) -> Result<Vec<PathBuf>, DocsError> {
    let mut out = Vec::new();
    for dir in [PageKind::Resource.dir(), PageKind::DataSource.dir()] {
        let path = docs_dir.join(dir);
        let entries = match std::fs::read_dir(&path) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => return Err(DocsError::Io { path, source }),
        };
        for entry in entries {
            let entry = entry.map_err(|source| DocsError::Io {
                path: path.clone(),
                source,
            })?;
            let name = entry.file_name();
            if Path::new(&name).extension().is_some_and(|e| e == "md") {
                out.push(Path::new(dir).join(name));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// At most one blank line between blocks (templates leave gaps where a section is empty),
/// code blocks untouched, a single newline at the end.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = false;
    let mut in_code = false;
    for line in s.lines() {
        let line = line.trim_end();
        if in_code {
            out.push_str(line);
            out.push('\n');
            in_code = !line.starts_with("```");
            continue;
        }
        if line.is_empty() {
            blank = true;
            continue;
        }
        if blank && !out.is_empty() {
            out.push('\n');
        }
        blank = false;
        out.push_str(line);
        out.push('\n');
        in_code = line.starts_with("```");
    }
    out
}

const DEFAULT_TEMPLATE: &str = r#"---
page_title: "{{ .Name }} {{ .Type }} - {{ .RenderedProviderName }}"
subcategory: ""
description: |-
{{ .Description | trimspace | prefixlines "  " }}
---

# {{ .Name }} ({{ .Type }})

{{ .Description | trimspace }}

{{ .ExampleUsage }}

{{ .SchemaMarkdown }}

{{ .Import }}
"#;

struct Expander<'a> {
    generator: &'a Generator,
    spec: &'a PageSpec,
    origin: &'a str,
}

impl Expander<'_> {
    fn error(&self, message: impl Into<String>) -> DocsError {
        DocsError::Template {
            template: self.origin.to_string(),
            message: message.into(),
        }
    }

    fn expand(&self, template: &str) -> Result<String, DocsError> {
        let mut out = String::with_capacity(template.len() * 2);
        let mut rest = template;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let end = after
                .find("}}")
                .ok_or_else(|| self.error("`{{` without `}}`"))?;
            out.push_str(&self.directive(after[..end].trim())?);
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        Ok(out)
    }

    fn directive(&self, d: &str) -> Result<String, DocsError> {
        let mut stages = d.split('|').map(str::trim);
        let head = stages.next().unwrap_or_default();
        let mut value = self.value(head)?;
        for pipe in stages {
            let words = words(pipe).map_err(|m| self.error(format!("{{{{ {d} }}}}: {m}")))?;
            value = match words.as_slice() {
                [f] if f == "trimspace" => value.trim().to_string(),
                [f, prefix] if f == "prefixlines" => value
                    .lines()
                    .map(|l| format!("{prefix}{l}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
                _ => return Err(self.error(format!("unknown pipe `{pipe}` in {{{{ {d} }}}}"))),
            };
        }
        Ok(value)
    }

    fn value(&self, head: &str) -> Result<String, DocsError> {
        let g = self.generator;
        let spec = self.spec;
        Ok(match head {
            ".Name" => spec.name.clone(),
            ".Type" => spec.kind.label().to_string(),
            ".ProviderName" => g.provider_name.clone(),
            ".RenderedProviderName" => format!("terraform-provider-{}", g.provider_name),
            ".Description" => description(&spec.schema.description),
            ".SchemaMarkdown" => schema_markdown(&spec.schema, spec.kind),
            ".ExampleUsage" => match read_optional(&g.example_path(spec))? {
                Some(ex) => format!("## Example Usage\n\n{}", fenced("terraform", &ex)),
                None => String::new(),
            },
            ".Import" => self.import_section()?,
            _ => {
                let words =
                    words(head).map_err(|m| self.error(format!("{{{{ {head} }}}}: {m}")))?;
                match words.as_slice() {
                    [f, path] if f == "tffile" => fenced("terraform", &read(&g.root.join(path))?),
                    [f, lang, path] if f == "codefile" => fenced(lang, &read(&g.root.join(path))?),
                    _ => return Err(self.error(format!("unknown directive {{{{ {head} }}}}"))),
                }
            }
        })
    }

    /// `## Import` from `examples/resources/<type>/import.sh`, and the equivalent `import {}`
    /// block (from `import-by-string-id.tf` when present, else derived from the shell lines).
    fn import_section(&self) -> Result<String, DocsError> {
        if self.spec.kind != PageKind::Resource {
            return Ok(String::new());
        }
        let dir = self
            .generator
            .root
            .join("examples/resources")
            .join(&self.spec.name);
        let Some(shell) = read_optional(&dir.join("import.sh"))? else {
            return Ok(String::new());
        };
        let mut s =
            String::from("## Import\n\nImport is supported using the following syntax:\n\n");
        s.push_str(&fenced("shell", &shell));
        let block = match read_optional(&dir.join("import-by-string-id.tf"))? {
            Some(tf) => Some(tf),
            None => import_blocks(&shell),
        };
        if let Some(block) = block {
            s.push_str(
                "\nIn Terraform 1.5 and later, an [`import` block](https://developer.hashicorp.com/terraform/language/import) \
                 does the same as part of a plan:\n\n",
            );
            s.push_str(&fenced("terraform", &block));
        }
        Ok(s)
    }
}

/// Space-separated words, with `"double quoted"` ones.
fn words(s: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' {
            chars.next();
            let mut w = String::new();
            loop {
                match chars.next() {
                    Some('"') => break,
                    Some('\\') => w.extend(chars.next()),
                    Some(c) => w.push(c),
                    None => return Err("unterminated string".into()),
                }
            }
            out.push(w);
        } else {
            let mut w = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                w.push(c);
                chars.next();
            }
            out.push(w);
        }
    }
    Ok(out)
}

/// `terraform import ADDR ID` lines → `import { to = ADDR  id = "ID" }` blocks.
fn import_blocks(shell: &str) -> Option<String> {
    let blocks: Vec<String> = shell
        .lines()
        .filter_map(|line| {
            let w = words(line.trim()).ok()?;
            match w.as_slice() {
                [tf, import, addr, id] if tf == "terraform" && import == "import" => Some(format!(
                    "import {{\n  to = {addr}\n  id = \"{}\"\n}}\n",
                    id.replace('\\', "\\\\").replace('"', "\\\"")
                )),
                _ => None,
            }
        })
        .collect();
    (!blocks.is_empty()).then(|| blocks.join("\n"))
}

fn fenced(lang: &str, body: &str) -> String {
    format!("```{lang}\n{}\n```\n", body.trim_end())
}

fn description(d: &crate::protocol::schema::Description) -> String {
    d.markdown.clone().unwrap_or_else(|| d.plain.clone())
}

/// tfplugindocs' type names.
fn type_label(t: &Type) -> String {
    match t {
        Type::String => "String".into(),
        Type::Number => "Number".into(),
        Type::Bool => "Boolean".into(),
        Type::Dynamic => "Dynamic".into(),
        Type::List(e) => format!("List of {}", type_label(e)),
        Type::Set(e) => format!("Set of {}", type_label(e)),
        Type::Map(e) => format!("Map of {}", type_label(e)),
        Type::Tuple(_) => "Tuple".into(),
        Type::Object { .. } => "Object".into(),
    }
}

fn kind_label(a: &Attribute) -> String {
    match &a.kind {
        Kind::Type(t) => type_label(t),
        Kind::Nested(Nesting::Single, _) => "Attributes".into(),
        Kind::Nested(Nesting::List, _) => "Attributes List".into(),
    }
}

fn forces_replacement(a: &Attribute) -> bool {
    let marker = RequiresReplace.description();
    a.plan_modifiers.iter().any(|m| m.description() == marker)
}

/// The `## Schema` section: Required / Optional / Read-Only lists, then one section per
/// nested attribute (anchors as tfplugindocs names them, `nestedatt--a--b`).
pub(crate) fn schema_markdown(schema: &Schema, kind: PageKind) -> String {
    let mut out = String::from("## Schema\n");
    let mut nested = Vec::new();
    attribute_groups(&mut out, &schema.attributes, &[], kind, &mut nested, "###");
    if !schema.validators.is_empty() {
        out.push_str("\n### Rules\n\n");
        for v in &schema.validators {
            let _ = writeln!(out, "- {}", v.description());
        }
    }
    while !nested.is_empty() {
        let batch = std::mem::take(&mut nested);
        for (path, attrs) in batch {
            let _ = write!(
                out,
                "\n<a id=\"nestedatt--{}\"></a>\n### Nested Schema for `{}`\n",
                path.join("--"),
                path.join(".")
            );
            attribute_groups(&mut out, attrs, &path, kind, &mut nested, "");
        }
    }
    out
}

fn attribute_groups<'a>(
    out: &mut String,
    attrs: &'a [Attribute],
    path: &[String],
    kind: PageKind,
    nested: &mut Vec<(Vec<String>, &'a [Attribute])>,
    heading: &str,
) {
    type Pick = fn(&Attribute) -> bool;
    let groups: [(&str, Pick); 3] = [
        ("Required", |a| a.required),
        ("Optional", |a| a.optional),
        ("Read-Only", |a| a.computed && !a.optional && !a.required),
    ];
    for (title, pick) in groups {
        let mut members: Vec<&Attribute> = attrs.iter().filter(|a| pick(a)).collect();
        if members.is_empty() {
            continue;
        }
        members.sort_by(|a, b| a.name.cmp(&b.name));
        if heading.is_empty() {
            let _ = write!(out, "\n{title}:\n\n");
        } else {
            let _ = write!(out, "\n{heading} {title}\n\n");
        }
        for a in members {
            let mut child = path.to_vec();
            child.push(a.name.clone());
            let mut tags = vec![kind_label(a)];
            if a.sensitive {
                tags.push("Sensitive".into());
            }
            if a.write_only {
                tags.push("Write-only".into());
            }
            if a.deprecated {
                tags.push("Deprecated".into());
            }
            if kind == PageKind::Resource && forces_replacement(a) {
                tags.push("Forces replacement".into());
            }
            let _ = write!(out, "- `{}` ({})", a.name, tags.join(", "));
            let text = description(&a.description);
            if !text.trim().is_empty() {
                let _ = write!(out, " {}", text.trim());
            }
            if let Some((_, inner)) = a.nested_attributes() {
                let _ = write!(
                    out,
                    " (see [below for nested schema](#nestedatt--{}))",
                    child.join("--")
                );
                nested.push((child, inner));
            }
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::UseStateForUnknown;

    fn sample() -> Schema {
        Schema::new().description("A thing.").attributes([
            Attribute::string("name")
                .required()
                .description("Its name.")
                .plan_modifier(RequiresReplace),
            Attribute::string_list("tags")
                .optional()
                .description("Tags."),
            Attribute::string("id")
                .computed()
                .description("Its id.")
                .plan_modifier(UseStateForUnknown),
            Attribute::single_nested(
                "auth",
                vec![
                    Attribute::string("key")
                        .optional()
                        .sensitive()
                        .description("A key."),
                    Attribute::string("user").required(),
                ],
            )
            .optional()
            .description("Credentials."),
        ])
    }

    #[test]
    fn schema_lists_attributes_by_group_with_nested_sections() {
        let md = schema_markdown(&sample(), PageKind::Resource);
        assert_eq!(
            md,
            "## Schema\n\
             \n### Required\n\n\
             - `name` (String, Forces replacement) Its name.\n\
             \n### Optional\n\n\
             - `auth` (Attributes) Credentials. (see [below for nested schema](#nestedatt--auth))\n\
             - `tags` (List of String) Tags.\n\
             \n### Read-Only\n\n\
             - `id` (String) Its id.\n\
             \n<a id=\"nestedatt--auth\"></a>\n### Nested Schema for `auth`\n\
             \nRequired:\n\n\
             - `user` (String)\n\
             \nOptional:\n\n\
             - `key` (String, Sensitive) A key.\n"
        );
    }

    #[test]
    fn default_page_has_front_matter_example_and_import() {
        let root = tempfile::tempdir().unwrap();
        let ex = root.path().join("examples/resources/x_thing");
        std::fs::create_dir_all(&ex).unwrap();
        std::fs::write(ex.join("resource.tf"), "resource \"x_thing\" \"a\" {}\n").unwrap();
        std::fs::write(
            ex.join("import.sh"),
            "# by id\nterraform import x_thing.a \"acct/a\"\n",
        )
        .unwrap();
        let g = Generator::new("x", root.path());
        let page = g
            .render(&PageSpec {
                kind: PageKind::Resource,
                name: "x_thing".into(),
                schema: sample(),
            })
            .unwrap();
        assert_eq!(page.path, PathBuf::from("resources/thing.md"));
        let c = &page.content;
        assert!(c.starts_with(
            "---\npage_title: \"x_thing Resource - terraform-provider-x\"\nsubcategory: \"\"\ndescription: |-\n  A thing.\n---\n\n# x_thing (Resource)\n\nA thing.\n\n## Example Usage\n\n```terraform\nresource \"x_thing\" \"a\" {}\n```\n"
        ), "{c}");
        assert!(c.contains("```shell\n# by id\nterraform import x_thing.a \"acct/a\"\n```\n"));
        assert!(
            c.contains("```terraform\nimport {\n  to = x_thing.a\n  id = \"acct/a\"\n}\n```\n")
        );
        assert!(c.ends_with("```\n") && !c.ends_with("\n\n"));
    }

    #[test]
    fn templates_fill_directives_and_refuse_unknown_ones() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("templates")).unwrap();
        std::fs::write(root.path().join("notes.sh"), "echo hi\n").unwrap();
        let g = Generator::new("x", root.path());
        let spec = PageSpec {
            kind: PageKind::Provider,
            name: "x".into(),
            schema: sample(),
        };
        std::fs::write(
            root.path().join("templates/index.md.tmpl"),
            "# {{ .ProviderName }}\n{{ codefile \"sh\" \"notes.sh\" }}",
        )
        .unwrap();
        assert_eq!(
            g.render(&spec).unwrap().content,
            "# x\n```sh\necho hi\n```\n"
        );
        std::fs::write(root.path().join("templates/index.md.tmpl"), "{{ .Nmae }}").unwrap();
        let err = g.render(&spec).unwrap_err().to_string();
        assert!(err.contains("unknown directive {{ .Nmae }}"), "{err}");
    }

    #[test]
    fn check_reports_missing_different_and_stale_files() {
        let docs = tempfile::tempdir().unwrap();
        let g = Generator::new("x", docs.path());
        let pages = vec![
            Page {
                path: "index.md".into(),
                content: "a\n".into(),
            },
            Page {
                path: "resources/thing.md".into(),
                content: "b\n".into(),
            },
        ];
        assert_eq!(
            g.check(&pages, docs.path()).unwrap(),
            vec![
                Drift::Missing("index.md".into()),
                Drift::Missing("resources/thing.md".into())
            ]
        );
        g.write(&pages, docs.path()).unwrap();
        assert!(g.check(&pages, docs.path()).unwrap().is_empty());
        std::fs::write(docs.path().join("resources/old.md"), "x").unwrap();
        std::fs::write(docs.path().join("index.md"), "changed").unwrap();
        assert_eq!(
            g.check(&pages, docs.path()).unwrap(),
            vec![
                Drift::Differs("index.md".into()),
                Drift::Stale("resources/old.md".into())
            ]
        );
        g.write(&pages, docs.path()).unwrap();
        assert!(g.check(&pages, docs.path()).unwrap().is_empty());
    }
}
