//! cty types and their JSON type notation (Schema.Attribute.type, dynamic values).

use std::collections::{BTreeMap, BTreeSet};

use super::error::CodecError;
use super::json::write_json_string;

/// A cty type. Object attribute order is irrelevant (BTreeMap), as in cty.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    String,
    Number,
    Bool,
    /// cty.DynamicPseudoType: the concrete type travels with each known value.
    Dynamic,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Tuple(Vec<Type>),
    /// `optional` names the attributes declared optional (cty optional attributes, used by
    /// Terraform only in type constraints; the wire form always carries every attribute).
    Object {
        attrs: BTreeMap<String, Type>,
        optional: BTreeSet<String>,
    },
}

impl Type {
    /// An object type with no optional attributes.
    pub fn object(attrs: impl IntoIterator<Item = (impl Into<String>, Type)>) -> Type {
        Type::Object {
            attrs: attrs.into_iter().map(|(k, t)| (k.into(), t)).collect(),
            optional: BTreeSet::new(),
        }
    }

    /// An object type whose attributes named in `optional` are optional.
    pub fn object_with_optional(
        attrs: impl IntoIterator<Item = (impl Into<String>, Type)>,
        optional: impl IntoIterator<Item = impl Into<String>>,
    ) -> Type {
        Type::Object {
            attrs: attrs.into_iter().map(|(k, t)| (k.into(), t)).collect(),
            optional: optional.into_iter().map(Into::into).collect(),
        }
    }

    pub fn list(t: Type) -> Type {
        Type::List(Box::new(t))
    }

    pub fn set(t: Type) -> Type {
        Type::Set(Box::new(t))
    }

    pub fn map(t: Type) -> Type {
        Type::Map(Box::new(t))
    }

    pub fn tuple(elems: impl IntoIterator<Item = Type>) -> Type {
        Type::Tuple(elems.into_iter().collect())
    }

    /// A short human name, as cty's FriendlyName: "string", "list of string", "object".
    pub(crate) fn friendly_name(&self) -> String {
        match self {
            Type::String => "string".into(),
            Type::Number => "number".into(),
            Type::Bool => "bool".into(),
            Type::Dynamic => "dynamic value".into(),
            Type::List(t) => format!("list of {}", t.friendly_name()),
            Type::Set(t) => format!("set of {}", t.friendly_name()),
            Type::Map(t) => format!("map of {}", t.friendly_name()),
            Type::Tuple(_) => "tuple".into(),
            Type::Object { .. } => "object".into(),
        }
    }

    /// cty's JSON type notation: "string", ["list","string"], ["object",{"a":"number"}],
    /// ["object",{...},["opt"]], "dynamic", ["tuple",[...]].
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Type::String => J::from("string"),
            Type::Number => J::from("number"),
            Type::Bool => J::from("bool"),
            Type::Dynamic => J::from("dynamic"),
            Type::List(t) => J::Array(vec![J::from("list"), t.to_json()]),
            Type::Set(t) => J::Array(vec![J::from("set"), t.to_json()]),
            Type::Map(t) => J::Array(vec![J::from("map"), t.to_json()]),
            Type::Tuple(ts) => J::Array(vec![
                J::from("tuple"),
                J::Array(ts.iter().map(Type::to_json).collect()),
            ]),
            Type::Object { attrs, optional } => {
                let attrs = attrs
                    .iter()
                    .map(|(k, t)| (k.clone(), t.to_json()))
                    .collect::<serde_json::Map<_, _>>();
                let mut v = vec![J::from("object"), J::Object(attrs)];
                if !optional.is_empty() {
                    v.push(J::Array(
                        optional.iter().map(|s| J::from(s.as_str())).collect(),
                    ));
                }
                J::Array(v)
            }
        }
    }

    /// The compact JSON notation as bytes (Schema.Attribute.type, dynamic values).
    pub fn to_json_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16);
        self.write_json(&mut out);
        out
    }

    /// Writes the compact JSON notation (no intermediate serde_json tree).
    pub(crate) fn write_json(&self, out: &mut Vec<u8>) {
        match self {
            Type::String => out.extend_from_slice(b"\"string\""),
            Type::Number => out.extend_from_slice(b"\"number\""),
            Type::Bool => out.extend_from_slice(b"\"bool\""),
            Type::Dynamic => out.extend_from_slice(b"\"dynamic\""),
            Type::List(t) => {
                out.extend_from_slice(b"[\"list\",");
                t.write_json(out);
                out.push(b']');
            }
            Type::Set(t) => {
                out.extend_from_slice(b"[\"set\",");
                t.write_json(out);
                out.push(b']');
            }
            Type::Map(t) => {
                out.extend_from_slice(b"[\"map\",");
                t.write_json(out);
                out.push(b']');
            }
            Type::Tuple(ts) => {
                out.extend_from_slice(b"[\"tuple\",[");
                for (i, t) in ts.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    t.write_json(out);
                }
                out.extend_from_slice(b"]]");
            }
            Type::Object { attrs, optional } => {
                out.extend_from_slice(b"[\"object\",{");
                for (i, (k, t)) in attrs.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write_json_string(out, k);
                    out.push(b':');
                    t.write_json(out);
                }
                out.push(b'}');
                if !optional.is_empty() {
                    out.extend_from_slice(b",[");
                    for (i, k) in optional.iter().enumerate() {
                        if i > 0 {
                            out.push(b',');
                        }
                        write_json_string(out, k);
                    }
                    out.push(b']');
                }
                out.push(b']');
            }
        }
    }

    /// Parses the JSON type notation.
    pub fn from_json(v: &serde_json::Value) -> Result<Type, CodecError> {
        use serde_json::Value as J;
        let bad = |message: &str| CodecError::InvalidType {
            json: truncated(v),
            message: message.to_owned(),
        };
        match v {
            J::String(s) => match s.as_str() {
                "string" => Ok(Type::String),
                "number" => Ok(Type::Number),
                "bool" => Ok(Type::Bool),
                "dynamic" => Ok(Type::Dynamic),
                _ => Err(bad("unknown primitive type")),
            },
            J::Array(parts) => {
                let kind = parts
                    .first()
                    .and_then(J::as_str)
                    .ok_or_else(|| bad("expected [kind, argument]"))?;
                let arg = parts.get(1).ok_or_else(|| bad("missing type argument"))?;
                let max_len = if kind == "object" { 3 } else { 2 };
                if parts.len() > max_len {
                    return Err(bad("too many elements"));
                }
                match kind {
                    "list" => Ok(Type::list(Type::from_json(arg)?)),
                    "set" => Ok(Type::set(Type::from_json(arg)?)),
                    "map" => Ok(Type::map(Type::from_json(arg)?)),
                    "tuple" => {
                        let elems = arg
                            .as_array()
                            .ok_or_else(|| bad("tuple needs an array of types"))?;
                        Ok(Type::Tuple(
                            elems
                                .iter()
                                .map(Type::from_json)
                                .collect::<Result<_, _>>()?,
                        ))
                    }
                    "object" => {
                        let attrs = arg
                            .as_object()
                            .ok_or_else(|| bad("object needs a map of attribute types"))?
                            .iter()
                            .map(|(k, t)| Ok((k.clone(), Type::from_json(t)?)))
                            .collect::<Result<BTreeMap<_, _>, CodecError>>()?;
                        let mut optional = BTreeSet::new();
                        if let Some(opt) = parts.get(2) {
                            let names = opt
                                .as_array()
                                .ok_or_else(|| bad("optional attributes must be an array"))?;
                            for name in names {
                                let name = name
                                    .as_str()
                                    .ok_or_else(|| bad("optional attribute names are strings"))?;
                                if !attrs.contains_key(name) {
                                    return Err(bad("optional attribute is not declared"));
                                }
                                optional.insert(name.to_owned());
                            }
                        }
                        Ok(Type::Object { attrs, optional })
                    }
                    _ => Err(bad("unknown type kind")),
                }
            }
            _ => Err(bad("expected a string or an array")),
        }
    }

    /// Parses the JSON type notation from bytes.
    pub fn from_json_bytes(bytes: &[u8]) -> Result<Type, CodecError> {
        let v: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| CodecError::InvalidType {
                json: String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned(),
                message: e.to_string(),
            })?;
        Type::from_json(&v)
    }
}

fn truncated(v: &serde_json::Value) -> String {
    let mut s = v.to_string();
    if s.len() > 200 {
        let mut cut = 200;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push_str("...");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn primitives_are_strings() {
        assert_eq!(Type::String.to_json(), json!("string"));
        assert_eq!(Type::Number.to_json_bytes(), b"\"number\"");
        assert_eq!(Type::Dynamic.to_json(), json!("dynamic"));
        assert_eq!(Type::from_json(&json!("bool")).ok(), Some(Type::Bool));
    }

    #[test]
    fn collections_are_kind_argument_pairs() {
        let t = Type::map(Type::list(Type::set(Type::String)));
        assert_eq!(t.to_json(), json!(["map", ["list", ["set", "string"]]]));
        assert_eq!(t.to_json_bytes(), br#"["map",["list",["set","string"]]]"#);
        assert_eq!(Type::from_json(&t.to_json()).ok(), Some(t));
        let t = Type::tuple([Type::String, Type::Number]);
        assert_eq!(t.to_json_bytes(), br#"["tuple",["string","number"]]"#);
        assert_eq!(Type::from_json(&t.to_json()).ok(), Some(t));
    }

    #[test]
    fn objects_list_optional_attributes_third() {
        let t = Type::object([("a", Type::Number), ("b", Type::String)]);
        assert_eq!(
            t.to_json_bytes(),
            br#"["object",{"a":"number","b":"string"}]"#
        );
        let t = Type::object_with_optional([("a", Type::Number), ("b", Type::String)], ["b"]);
        assert_eq!(
            t.to_json_bytes(),
            br#"["object",{"a":"number","b":"string"},["b"]]"#
        );
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&t.to_json_bytes()).ok(),
            Some(t.to_json())
        );
        assert_eq!(Type::from_json_bytes(&t.to_json_bytes()).ok(), Some(t));
    }

    #[test]
    fn bad_notations_are_errors() {
        for bad in [
            json!("str"),
            json!(["list"]),
            json!(["list", "string", "x"]),
            json!(["object", {"a": "string"}, ["b"]]),
            json!(["frob", "string"]),
            json!(3),
        ] {
            assert!(Type::from_json(&bad).is_err(), "{bad} accepted");
        }
        assert!(Type::from_json_bytes(b"[\"list\"").is_err());
    }
}
