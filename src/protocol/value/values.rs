//! cty values.

use std::collections::BTreeMap;

use super::path::{AttributePath, PathStep};
use super::types::Type;

/// A cty value. Unknown carries no refinements (they are accepted on decode and dropped).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Unknown,
    Bool(bool),
    Number(Number),
    String(String),
    List(Vec<Value>),
    Set(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Tuple(Vec<Value>),
    Object(BTreeMap<String, Value>),
    /// A known, non-null value of an attribute whose schema type is `Dynamic`: the concrete
    /// type travels with it (msgpack `[type-json-bytes, value]`, JSON `{"type":..,"value":..}`).
    /// The inner value may itself be null or unknown: cty encodes a typed null in a dynamic
    /// attribute as `[type, nil]`.
    Dynamic(Box<Type>, Box<Value>),
}

/// A cty number. Terraform sends an int if it fits i64, else a float64 if exact, else a
/// decimal string; uint is accepted too. Equality is numeric where it can be
/// (`Int(2) == Float(2.0) == Decimal("2")`).
#[derive(Clone, Debug)]
pub enum Number {
    Int(i64),
    Uint(u64),
    Float(f64),
    /// Exact decimal text, for values beyond i64/u64/f64 precision.
    Decimal(String),
}

impl Number {
    /// The value as i64 if it is an integer in range (a float only if integral).
    pub fn as_i64(&self) -> Option<i64> {
        self.as_i128().and_then(|i| i64::try_from(i).ok())
    }

    pub fn as_u64(&self) -> Option<u64> {
        self.as_i128().and_then(|i| u64::try_from(i).ok())
    }

    /// The value as f64, rounded if it is a decimal beyond f64 precision.
    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self {
            Number::Int(i) => Some(*i as f64),
            Number::Uint(u) => Some(*u as f64),
            Number::Float(f) => Some(*f),
            Number::Decimal(s) => s.parse().ok(),
        }
    }

    /// The exact integer value, if the number is integral and fits i128.
    fn as_i128(&self) -> Option<i128> {
        match self {
            Number::Int(i) => Some(i128::from(*i)),
            Number::Uint(u) => Some(i128::from(*u)),
            // 2^127: every integral f64 below it converts exactly.
            Number::Float(f) if f.fract() == 0.0 && f.abs() < 1.7014118346046923e38 => {
                Some(*f as i128)
            }
            Number::Float(_) => None,
            Number::Decimal(s) => s.parse().ok(),
        }
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        if let (Number::Decimal(a), Number::Decimal(b)) = (self, other)
            && a == b
        {
            return true;
        }
        match (self.as_i128(), other.as_i128()) {
            (Some(a), Some(b)) => a == b,
            // Beyond i128 or fractional: compare as f64 (may conflate decimals that differ
            // only beyond f64 precision; exact text equality was checked above).
            _ => matches!((self.as_f64(), other.as_f64()), (Some(a), Some(b)) if a == b),
        }
    }
}

impl From<i64> for Number {
    fn from(i: i64) -> Self {
        Number::Int(i)
    }
}

impl From<i32> for Number {
    fn from(i: i32) -> Self {
        Number::Int(i64::from(i))
    }
}

impl From<u32> for Number {
    fn from(u: u32) -> Self {
        Number::Int(i64::from(u))
    }
}

impl From<u64> for Number {
    fn from(u: u64) -> Self {
        i64::try_from(u).map_or(Number::Uint(u), Number::Int)
    }
}

impl From<f64> for Number {
    fn from(f: f64) -> Self {
        Number::Float(f)
    }
}

impl Value {
    pub(crate) fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }

    /// True if no Unknown anywhere inside.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown => false,
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => true,
            Value::List(es) | Value::Set(es) | Value::Tuple(es) => {
                es.iter().all(Value::is_wholly_known)
            }
            Value::Map(m) | Value::Object(m) => m.values().all(Value::is_wholly_known),
            Value::Dynamic(_, v) => v.is_wholly_known(),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_object(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// List, set or tuple elements.
    pub(crate) fn as_elements(&self) -> Option<&[Value]> {
        match self {
            Value::List(es) | Value::Set(es) | Value::Tuple(es) => Some(es),
            _ => None,
        }
    }

    /// Object attribute lookup: None for non-objects (and undeclared attributes);
    /// Some(&Value::Null) is a real null.
    pub fn get(&self, attr: &str) -> Option<&Value> {
        self.as_object().and_then(|m| m.get(attr))
    }

    /// The value at `path` (attribute, map key, list/set/tuple index; a dynamic value is
    /// looked through). None if a step does not apply or leads nowhere.
    pub fn at_path(&self, path: &AttributePath) -> Option<&Value> {
        let mut v = self;
        for step in &path.steps {
            while let Value::Dynamic(_, inner) = v {
                v = inner;
            }
            v = match (step, v) {
                (PathStep::Attribute(name), Value::Object(m)) => m.get(name)?,
                (PathStep::ElementKeyString(k), Value::Map(m)) => m.get(k)?,
                (PathStep::ElementKeyInt(i), _) => {
                    v.as_elements()?.get(usize::try_from(*i).ok()?)?
                }
                _ => return None,
            };
        }
        Some(v)
    }

    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    pub fn number(n: impl Into<Number>) -> Value {
        Value::Number(n.into())
    }

    pub fn object(attrs: impl IntoIterator<Item = (impl Into<String>, Value)>) -> Value {
        Value::Object(attrs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// An object of `ty` with every attribute null (Terraform requires every key present).
    /// For a non-object type this is just `Null`.
    pub fn null_object(ty: &Type) -> Value {
        match ty {
            Type::Object { attrs, .. } => {
                Value::Object(attrs.keys().map(|k| (k.clone(), Value::Null)).collect())
            }
            _ => Value::Null,
        }
    }

    /// The kind of value, for error messages.
    pub(crate) fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Unknown => "unknown",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Set(_) => "set",
            Value::Map(_) => "map",
            Value::Tuple(_) => "tuple",
            Value::Object(_) => "object",
            Value::Dynamic(..) => "dynamic value",
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Number(Number::Int(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_numerically() {
        assert_eq!(Number::Int(2), Number::Float(2.0));
        assert_eq!(Number::Uint(5), Number::Int(5));
        assert_eq!(Number::Decimal("12".into()), Number::Int(12));
        assert_eq!(Number::Decimal("1.5".into()), Number::Float(1.5));
        assert_eq!(
            Number::Decimal("100000000000000000000".into()),
            Number::Float(1e20)
        );
        assert_ne!(Number::Int(i64::MAX), Number::Float(i64::MAX as f64));
        assert_ne!(Number::Int(1), Number::Float(1.5));
        assert_ne!(
            Number::Decimal("123456789012345678901234567890".into()),
            Number::Decimal("123456789012345678901234567891".into())
        );
    }

    #[test]
    fn integer_accessors_accept_integral_floats_only() {
        assert_eq!(Number::Float(3.0).as_i64(), Some(3));
        assert_eq!(Number::Float(3.5).as_i64(), None);
        assert_eq!(Number::Uint(u64::MAX).as_i64(), None);
        assert_eq!(Number::from(7u64), Number::Int(7));
        assert!(matches!(Number::from(u64::MAX), Number::Uint(_)));
    }

    #[test]
    fn wholly_known_looks_at_every_depth() {
        let v = Value::object([(
            "a",
            Value::List(vec![
                Value::Null,
                Value::Map(BTreeMap::from([("k".into(), Value::Unknown)])),
            ]),
        )]);
        assert!(!v.is_wholly_known());
        let v = Value::object([("a", Value::List(vec![Value::Null]))]);
        assert!(v.is_wholly_known());
        let d = Value::Dynamic(Box::new(Type::String), Box::new(Value::Unknown));
        assert!(!d.is_wholly_known());
    }

    #[test]
    fn at_path_follows_attributes_keys_and_indexes() {
        let v = Value::object([(
            "proxies",
            Value::List(vec![Value::Map(BTreeMap::from([(
                "k".to_owned(),
                Value::Dynamic(Box::new(Type::Bool), Box::new(Value::Bool(true))),
            )]))]),
        )]);
        let p = AttributePath::root("proxies").index(0).key("k");
        assert!(matches!(v.at_path(&p), Some(Value::Dynamic(..))));
        assert_eq!(v.at_path(&AttributePath::new()), Some(&v));
        assert_eq!(v.at_path(&AttributePath::root("proxies").index(1)), None);
        assert_eq!(v.at_path(&AttributePath::root("proxies").attr("x")), None);
    }

    #[test]
    fn null_object_has_every_attribute() {
        let t = Type::object([("a", Type::String), ("b", Type::list(Type::Number))]);
        let v = Value::null_object(&t);
        assert_eq!(v.get("a"), Some(&Value::Null));
        assert_eq!(v.get("b"), Some(&Value::Null));
        assert_eq!(v.get("c"), None);
        assert_eq!(Value::null_object(&Type::String), Value::Null);
    }
}
