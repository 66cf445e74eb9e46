//! The parts of `terraform show -json` (a state, not a plan) that a migration reads:
//! `values.root_module`, its `resources` and `child_modules` (recursively), and for each
//! resource instance its `address`, `mode`, `type`, `name`, `index` and `values`.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::error::InputError;

#[derive(Debug, Deserialize)]
struct ShowJson {
    values: Option<Values>,
}

#[derive(Debug, Deserialize)]
struct Values {
    root_module: Module,
}

#[derive(Debug, Deserialize)]
struct Module {
    /// Absent on the root module; `module.a["k"].module.b` on a child.
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    resources: Vec<Resource>,
    #[serde(default)]
    child_modules: Vec<Module>,
}

#[derive(Debug, Deserialize)]
struct Resource {
    address: String,
    mode: String,
    #[serde(rename = "type")]
    resource_type: String,
    name: String,
    #[serde(default)]
    index: Option<Value>,
    #[serde(default)]
    values: Option<Map<String, Value>>,
}

/// Managed resource or data source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Managed,
    Data,
}

/// One resource instance of the state, wherever it lives.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    /// The full address, as Terraform prints it.
    pub address: String,
    /// The containing module's address (`""` for the root module).
    pub module: String,
    pub mode: Mode,
    pub resource_type: String,
    pub name: String,
    /// The `count` index (a number) or `for_each` key (a string), if any.
    pub index: Option<Value>,
    pub values: Map<String, Value>,
}

/// Every resource instance of a `terraform show -json` state document, root module first,
/// then child modules depth first, each in the order the document lists them.
pub fn instances(text: &str) -> Result<Vec<Instance>, InputError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| InputError::NotJson(e.to_string()))?;
    let Some(obj) = doc.as_object() else {
        return Err(InputError::NotState(format!("got {}", kind_of(&doc))));
    };
    if !obj.contains_key("format_version") {
        if let (Some(v), Some(Value::Array(_))) = (obj.get("version"), obj.get("resources")) {
            return Err(InputError::RawStateFile(v.to_string()));
        }
        return Err(InputError::NotState(
            "this object has no \"format_version\"".into(),
        ));
    }
    if obj.contains_key("planned_values") || obj.contains_key("resource_changes") {
        return Err(InputError::Plan);
    }
    let show: ShowJson =
        serde_json::from_value(doc).map_err(|e| InputError::Malformed(e.to_string()))?;
    let mut out = Vec::new();
    // An empty state has no "values" at all.
    if let Some(values) = show.values {
        walk(values.root_module, &mut out)?;
    }
    Ok(out)
}

fn walk(module: Module, out: &mut Vec<Instance>) -> Result<(), InputError> {
    let module_address = module.address.unwrap_or_default();
    for r in module.resources {
        let mode = match r.mode.as_str() {
            "managed" => Mode::Managed,
            "data" => Mode::Data,
            other => {
                return Err(InputError::Malformed(format!(
                    "{}: \"mode\" is {other:?}; expected \"managed\" or \"data\"",
                    r.address
                )));
            }
        };
        out.push(Instance {
            address: r.address,
            module: module_address.clone(),
            mode,
            resource_type: r.resource_type,
            name: r.name,
            index: r.index,
            values: r.values.unwrap_or_default(),
        });
    }
    for child in module.child_modules {
        walk(child, out)?;
    }
    Ok(())
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_root_and_nested_child_modules_in_order() {
        let doc = r#"{"format_version":"1.0","values":{"root_module":{
            "resources":[{"address":"a.x","mode":"managed","type":"a","name":"x","values":{}}],
            "child_modules":[{"address":"module.m","resources":[
                {"address":"module.m.data.a.y","mode":"data","type":"a","name":"y","values":{"k":1}}],
              "child_modules":[{"address":"module.m.module.n[\"k\"]","resources":[
                {"address":"module.m.module.n[\"k\"].a.z[0]","mode":"managed","type":"a","name":"z","index":0}]}]}]}}}"#;
        let got = instances(doc).expect("a state");
        let addrs: Vec<_> = got.iter().map(|i| i.address.as_str()).collect();
        assert_eq!(
            addrs,
            [
                "a.x",
                "module.m.data.a.y",
                "module.m.module.n[\"k\"].a.z[0]"
            ]
        );
        assert_eq!(got[1].mode, Mode::Data);
        assert_eq!(got[1].module, "module.m");
        assert_eq!(got[2].index, Some(Value::from(0)));
        assert!(got[2].values.is_empty());
        assert_eq!(got[0].module, "");
    }

    #[test]
    fn an_empty_state_has_no_instances() {
        assert_eq!(
            instances(r#"{"format_version":"1.0"}"#).expect("empty"),
            vec![]
        );
    }

    #[test]
    fn names_what_the_input_is_instead() {
        assert!(matches!(instances("nope"), Err(InputError::NotJson(_))));
        assert!(matches!(instances("[1]"), Err(InputError::NotState(_))));
        assert!(matches!(
            instances(r#"{"hello":1}"#),
            Err(InputError::NotState(_))
        ));
        assert!(matches!(
            instances(r#"{"version":4,"terraform_version":"1.11.4","resources":[]}"#),
            Err(InputError::RawStateFile(_))
        ));
        assert!(matches!(
            instances(r#"{"format_version":"1.2","planned_values":{},"prior_state":{}}"#),
            Err(InputError::Plan)
        ));
        assert!(matches!(
            instances(
                r#"{"format_version":"1.0","values":{"root_module":{"resources":[{"mode":"managed"}]}}}"#
            ),
            Err(InputError::Malformed(_))
        ));
    }
}
