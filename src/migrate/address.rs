//! Old addresses, taken apart: the new resource's name (module path and instance keys folded
//! into one valid Terraform name) and the `removed` block's `from` (the same address without
//! instance keys, which `removed` does not allow).

use std::collections::HashSet;

use serde_json::Value;

use super::state::Instance;

/// One `module.NAME[KEY]` step of a module address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleStep {
    pub name: String,
    pub key: Option<String>,
}

/// `module.a["k"].module.b[0]` → `[a "k"] [b 0]`; `""` (the root module) → `[]`.
pub fn module_steps(address: &str) -> Result<Vec<ModuleStep>, String> {
    let mut steps = Vec::new();
    let mut rest = address;
    while !rest.is_empty() {
        rest = rest
            .strip_prefix("module.")
            .ok_or_else(|| format!("module address {address:?}: expected `module.` at {rest:?}"))?;
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        if end == 0 {
            return Err(format!(
                "module address {address:?}: a module name is empty"
            ));
        }
        let name = rest[..end].to_string();
        rest = &rest[end..];
        let mut key = None;
        if let Some(after) = rest.strip_prefix('[') {
            let (k, tail) = instance_key(after)
                .ok_or_else(|| format!("module address {address:?}: bad instance key"))?;
            key = Some(k);
            rest = tail;
        }
        steps.push(ModuleStep { name, key });
        if let Some(tail) = rest.strip_prefix('.') {
            rest = tail;
        } else if !rest.is_empty() {
            return Err(format!("module address {address:?}: unexpected {rest:?}"));
        }
    }
    Ok(steps)
}

/// After `[`: a number or a quoted string (backslash escapes), then `]`.
fn instance_key(s: &str) -> Option<(String, &str)> {
    if let Some(body) = s.strip_prefix('"') {
        let mut key = String::new();
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => key.push(chars.next()?.1),
                '"' => return body[i + 1..].strip_prefix(']').map(|t| (key, t)),
                c => key.push(c),
            }
        }
        None
    } else {
        let end = s.find(']')?;
        let n = &s[..end];
        (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            .then(|| (n.to_string(), &s[end + 1..]))
    }
}

/// The address `removed { from = ... }` takes: module names and the resource, no keys. Every
/// instance of a `count`/`for_each` resource has the same one.
pub fn removed_from(instance: &Instance) -> Result<String, String> {
    let mut parts: Vec<String> = module_steps(&instance.module)?
        .into_iter()
        .map(|s| format!("module.{}", s.name))
        .collect();
    parts.push(format!("{}.{}", instance.resource_type, instance.name));
    Ok(parts.join("."))
}

/// The parts a new name is made of: each module's name and key, the resource's name and
/// its instance key.
pub fn name_parts(instance: &Instance) -> Result<Vec<String>, String> {
    let mut parts = Vec::new();
    for step in module_steps(&instance.module)? {
        parts.push(step.name);
        parts.extend(step.key);
    }
    parts.push(instance.name.clone());
    match &instance.index {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => parts.push(s.clone()),
        Some(other) => parts.push(other.to_string()),
    }
    Ok(parts)
}

/// Hands out valid, unique Terraform resource names.
#[derive(Debug, Default)]
pub struct Names {
    taken: HashSet<String>,
}

impl Names {
    /// `["apps", "eu west", "docker", "0"]` → `apps_eu_west_docker_0`: letters, digits, `_`
    /// and `-` only, starting with a letter or `_`; `_2`, `_3`, ... when already taken.
    pub fn assign(&mut self, parts: &[String]) -> String {
        let base = flatten(parts);
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

fn flatten(parts: &[String]) -> String {
    let cleaned: Vec<String> = parts
        .iter()
        .map(|p| {
            let mut s = String::new();
            for c in p.chars() {
                let c = if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '_'
                };
                // One `_` for a run of folded characters.
                if !(c == '_' && s.ends_with('_')) {
                    s.push(c);
                }
            }
            s.trim_matches('_').to_string()
        })
        .filter(|s| !s.is_empty())
        .collect();
    let joined = cleaned.join("_");
    match joined.chars().next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => joined,
        Some(_) => format!("r_{joined}"),
        None => "registry".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::state::Mode;

    fn instance(module: &str, name: &str, index: Option<Value>) -> Instance {
        Instance {
            address: String::new(),
            module: module.into(),
            mode: Mode::Managed,
            resource_type: "harness_platform_har_registry".into(),
            name: name.into(),
            index,
            values: Default::default(),
        }
    }

    #[test]
    fn parses_module_addresses_with_keys() {
        assert_eq!(module_steps("").unwrap(), vec![]);
        let steps = module_steps(r#"module.a["x.y]\"z"].module.b[12].module.c"#).unwrap();
        let got: Vec<_> = steps
            .iter()
            .map(|s| (s.name.as_str(), s.key.as_deref()))
            .collect();
        assert_eq!(
            got,
            [("a", Some(r#"x.y]"z"#)), ("b", Some("12")), ("c", None)]
        );
        assert!(module_steps("module.").is_err());
        assert!(module_steps("module.a[x]").is_err());
        assert!(module_steps("module.a[\"x").is_err());
        assert!(module_steps("aws_instance.x").is_err());
    }

    #[test]
    fn removed_from_drops_every_instance_key() {
        let i = instance(r#"module.a["k"].module.b[0]"#, "reg", Some(Value::from(3)));
        assert_eq!(
            removed_from(&i).unwrap(),
            "module.a.module.b.harness_platform_har_registry.reg"
        );
        let root = instance("", "reg", None);
        assert_eq!(
            removed_from(&root).unwrap(),
            "harness_platform_har_registry.reg"
        );
    }

    #[test]
    fn names_fold_module_path_and_keys() {
        let mut names = Names::default();
        let i = instance(r#"module.apps["eu west"]"#, "docker", Some(Value::from(0)));
        assert_eq!(
            names.assign(&name_parts(&i).unwrap()),
            "apps_eu_west_docker_0"
        );
        let keyed = instance("", "reg", Some(Value::from("ab/c")));
        assert_eq!(names.assign(&name_parts(&keyed).unwrap()), "reg_ab_c");
        let plain = instance("", "docker", None);
        assert_eq!(names.assign(&name_parts(&plain).unwrap()), "docker");
    }

    #[test]
    fn names_are_valid_and_unique() {
        let mut names = Names::default();
        let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(names.assign(&p(&["a", "b_c"])), "a_b_c");
        assert_eq!(names.assign(&p(&["a_b", "c"])), "a_b_c_2");
        assert_eq!(names.assign(&p(&["a", "b", "c"])), "a_b_c_3");
        assert_eq!(names.assign(&p(&["7", "x"])), "r_7_x");
        assert_eq!(names.assign(&p(&["--", "é!"])), "r_--");
        assert_eq!(names.assign(&p(&["!!"])), "registry");
    }
}
