//! Streaming JSON decoding: the schema type drives a serde visitor over the bytes, so no
//! serde_json tree is built first (about half the allocations of parse-then-convert).
//!
//! Our own errors (type mismatch, undeclared attribute...) are parked in a cell and a
//! placeholder serde error unwinds the parser; the caller then returns the parked one, so
//! errors keep their structure and attribute path.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::error::CodecError;
use super::json::{DecodeOptions, from_json_at};
use super::number::parse_number_text;
use super::path::Trail;
use super::types::Type;
use super::values::{Number, Value};

pub(crate) fn decode(bytes: &[u8], ty: &Type, opts: DecodeOptions) -> Result<Value, CodecError> {
    let parked = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let seed = Seed {
        ty,
        at: &Trail::ROOT,
        opts,
        parked: &parked,
    };
    let result = seed.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    match result {
        Ok(v) => Ok(v),
        Err(e) => Err(parked
            .into_inner()
            .unwrap_or_else(|| CodecError::Malformed {
                path: Trail::ROOT.to_path(),
                message: format!("invalid JSON: {e}"),
            })),
    }
}

struct Seed<'a> {
    ty: &'a Type,
    at: &'a Trail<'a>,
    opts: DecodeOptions,
    parked: &'a RefCell<Option<CodecError>>,
}

impl Seed<'_> {
    fn fail<E: de::Error>(&self, err: CodecError) -> E {
        *self.parked.borrow_mut() = Some(err);
        E::custom("value does not match its type")
    }

    fn mismatch<E: de::Error>(&self, found: &str) -> E {
        self.fail(CodecError::TypeMismatch {
            path: self.at.to_path(),
            expected: self.ty.friendly_name(),
            found: format!("JSON {found}"),
        })
    }

    fn number<E: de::Error>(&self, n: Number) -> Result<Value, E> {
        match self.ty {
            Type::Number => Ok(Value::Number(n)),
            _ => Err(self.mismatch("number")),
        }
    }

    fn child<'c>(&'c self, ty: &'c Type, at: &'c Trail<'c>) -> Seed<'c> {
        Seed {
            ty,
            at,
            opts: self.opts,
            parked: self.parked,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON {}", self.ty.friendly_name())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        match self.ty {
            Type::Bool => Ok(Value::Bool(b)),
            _ => Err(self.mismatch("bool")),
        }
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Value, E> {
        self.number(Number::Int(i))
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value, E> {
        self.number(Number::from(u))
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value, E> {
        self.number(Number::Float(f))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        match self.ty {
            Type::String => Ok(Value::String(s.to_owned())),
            Type::Number => match parse_number_text(s) {
                Some(n) => Ok(Value::Number(n)),
                None => Err(self.fail(CodecError::InvalidNumber {
                    path: self.at.to_path(),
                    text: s.to_owned(),
                })),
            },
            _ => Err(self.mismatch("string")),
        }
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        match self.ty {
            Type::String => Ok(Value::String(s)),
            _ => self.visit_str(&s),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        match self.ty {
            Type::List(et) | Type::Set(et) => {
                let mut elems = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
                loop {
                    let at = self.at.index(elems.len());
                    match seq.next_element_seed(self.child(et, &at))? {
                        Some(v) => elems.push(v),
                        None => break,
                    }
                }
                Ok(if matches!(self.ty, Type::List(_)) {
                    Value::List(elems)
                } else {
                    Value::Set(elems)
                })
            }
            Type::Tuple(ets) => {
                let mut elems = Vec::with_capacity(ets.len());
                loop {
                    let i = elems.len();
                    let Some(et) = ets.get(i) else {
                        // One element too many: count the rest for the message.
                        let mut found = i;
                        while seq.next_element::<IgnoredAny>()?.is_some() {
                            found += 1;
                        }
                        if found == i {
                            break;
                        }
                        return Err(self.fail(CodecError::TupleLength {
                            path: self.at.to_path(),
                            expected: ets.len(),
                            found,
                        }));
                    };
                    let at = self.at.index(i);
                    match seq.next_element_seed(self.child(et, &at))? {
                        Some(v) => elems.push(v),
                        None => {
                            return Err(self.fail(CodecError::TupleLength {
                                path: self.at.to_path(),
                                expected: ets.len(),
                                found: i,
                            }));
                        }
                    }
                }
                Ok(Value::Tuple(elems))
            }
            _ => Err(self.mismatch("array")),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        match self.ty {
            Type::Map(et) => {
                let mut out = BTreeMap::new();
                while let Some(k) = map.next_key::<String>()? {
                    let at = self.at.key(&k);
                    let v = map.next_value_seed(self.child(et, &at))?;
                    out.insert(k, v);
                }
                Ok(Value::Map(out))
            }
            Type::Object { attrs, .. } => {
                let mut out = BTreeMap::new();
                while let Some(k) = map.next_key::<String>()? {
                    let Some((name, aty)) = attrs.get_key_value(k.as_str()) else {
                        if self.opts.ignore_undeclared_attributes {
                            map.next_value::<IgnoredAny>()?;
                            continue;
                        }
                        return Err(self.fail(CodecError::UnsupportedAttribute {
                            path: self.at.to_path(),
                            name: k,
                        }));
                    };
                    let at = self.at.attr(name);
                    let v = map.next_value_seed(self.child(aty, &at))?;
                    out.insert(k, v);
                }
                if out.len() < attrs.len() {
                    for name in attrs.keys() {
                        if !out.contains_key(name) {
                            out.insert(name.clone(), Value::Null);
                        }
                    }
                }
                Ok(Value::Object(out))
            }
            Type::Dynamic => self.dynamic(map),
            _ => Err(self.mismatch("object")),
        }
    }
}

impl Seed<'_> {
    /// `{"type": T, "value": V}`. cty writes "value" first, so the value is usually read
    /// before its type is known: it is buffered as a serde_json tree and converted after.
    fn dynamic<'de, A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut ty: Option<Type> = None;
        let mut value: Option<Value> = None;
        let mut raw: Option<serde_json::Value> = None;
        let mut count: usize = 0;
        while let Some(k) = map.next_key::<String>()? {
            count = count.saturating_add(1);
            match k.as_str() {
                "type" => {
                    let tj = map.next_value::<serde_json::Value>()?;
                    let t = Type::from_json(&tj).map_err(|e| {
                        self.fail::<A::Error>(CodecError::Malformed {
                            path: self.at.to_path(),
                            message: format!("bad type of a dynamic value: {e}"),
                        })
                    })?;
                    ty = Some(t);
                }
                "value" => match &ty {
                    Some(t) => value = Some(map.next_value_seed(self.child(t, self.at))?),
                    None => raw = Some(map.next_value::<serde_json::Value>()?),
                },
                _ => {
                    // Any other key makes the shape invalid.
                    count = usize::MAX;
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let shape_error = || CodecError::Malformed {
            path: self.at.to_path(),
            message: "a dynamic value is an object with exactly \"type\" and \"value\"".to_owned(),
        };
        let (Some(t), 2) = (ty, count) else {
            return Err(self.fail(shape_error()));
        };
        let v = match (value, raw) {
            (Some(v), _) => v,
            (None, Some(raw)) => {
                from_json_at(&raw, &t, self.at, self.opts).map_err(|e| self.fail::<A::Error>(e))?
            }
            (None, None) => return Err(self.fail(shape_error())),
        };
        Ok(Value::Dynamic(Box::new(t), Box::new(v)))
    }
}
