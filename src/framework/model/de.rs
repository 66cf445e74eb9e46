//! A serde `Deserializer` over a cty [`Value`], so a resource reads config, plan or state
//! into a typed model in one call. It tracks the attribute path, so an error names the
//! attribute it is about.

use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};

use super::field::FIELD_TOKEN;
use crate::protocol::value::{AttributePath, Number, Value};

/// Why a value could not be read into a model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", .path.describe())]
pub struct DecodeError {
    /// The attribute the error is about.
    pub path: AttributePath,
    pub message: String,
    /// True when the model has a field the value lacks: a provider bug, not bad input.
    pub missing: bool,
    /// Set once the path is final (errors travel up through every enclosing attribute).
    located: bool,
}

impl DecodeError {
    fn at(mut self, path: &AttributePath) -> Self {
        if !self.located {
            self.path = path.clone();
            self.located = true;
        }
        self
    }
}

impl de::Error for DecodeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DecodeError {
            path: AttributePath::new(),
            message: msg.to_string(),
            missing: false,
            located: false,
        }
    }

    fn missing_field(field: &'static str) -> Self {
        DecodeError {
            path: AttributePath::new(),
            message: format!("the value has no attribute `{field}`"),
            missing: true,
            located: false,
        }
    }
}

/// Reads `value` into `T`.
pub fn decode<'a, T: de::Deserialize<'a>>(value: &'a Value) -> Result<T, DecodeError> {
    let root = AttributePath::new();
    T::deserialize(De { value, path: &root }).map_err(|e| e.at(&root))
}

#[derive(Clone, Copy)]
struct De<'a, 'p> {
    value: &'a Value,
    path: &'p AttributePath,
}

impl<'a> De<'a, '_> {
    fn unknown(&self) -> DecodeError {
        de::Error::custom("the value is not known yet")
    }

    fn number(&self, n: &Number) -> Option<i128> {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    }
}

macro_rules! forward_to_any {
    ($($m:ident)*) => {
        $(fn $m<V: Visitor<'a>>(self, v: V) -> Result<V::Value, DecodeError> {
            self.deserialize_any(v)
        })*
    };
}

impl<'a> de::Deserializer<'a> for De<'a, '_> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'a>>(self, v: V) -> Result<V::Value, DecodeError> {
        match self.value {
            Value::Null => v.visit_none(),
            Value::Unknown => Err(self.unknown()),
            Value::Bool(b) => v.visit_bool(*b),
            Value::Number(n) => match (self.number(n), n.as_f64()) {
                (Some(i), _) if i >= 0 => v.visit_u64(i as u64),
                (Some(i), _) => v.visit_i64(i as i64),
                (None, Some(f)) => v.visit_f64(f),
                (None, None) => Err(de::Error::custom(format!("{n:?} is not a number"))),
            },
            Value::String(s) => v.visit_borrowed_str(s),
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => v.visit_seq(Seq {
                items: items.iter(),
                index: 0,
                path: self.path,
            }),
            Value::Map(m) | Value::Object(m) => v.visit_map(Map {
                entries: m.iter(),
                pending: None,
                path: self.path,
                object: matches!(self.value, Value::Object(_)),
            }),
            Value::Dynamic(_, inner) => De {
                value: inner,
                path: self.path,
            }
            .deserialize_any(v),
        }
    }

    fn deserialize_option<V: Visitor<'a>>(self, v: V) -> Result<V::Value, DecodeError> {
        match self.value {
            Value::Null => v.visit_none(),
            Value::Unknown => Err(self.unknown()),
            _ => v.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        name: &'static str,
        v: V,
    ) -> Result<V::Value, DecodeError> {
        if name != FIELD_TOKEN {
            return v.visit_newtype_struct(self);
        }
        match self.value {
            Value::Null => v.visit_none(),
            Value::Unknown => v.visit_unit(),
            _ => v.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, DecodeError> {
        match self.value {
            Value::String(s) => v.visit_enum(s.as_str().into_deserializer()),
            Value::Unknown => Err(self.unknown()),
            other => Err(de::Error::custom(format!(
                "expected a string, got {}",
                other.kind_name()
            ))),
        }
    }

    forward_to_any! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32
        deserialize_f64 deserialize_char deserialize_str deserialize_string deserialize_bytes
        deserialize_byte_buf deserialize_unit deserialize_seq deserialize_map
        deserialize_identifier deserialize_ignored_any
    }

    fn deserialize_unit_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, DecodeError> {
        self.deserialize_any(v)
    }

    fn deserialize_tuple<V: Visitor<'a>>(self, _len: usize, v: V) -> Result<V::Value, DecodeError> {
        self.deserialize_any(v)
    }

    fn deserialize_tuple_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _len: usize,
        v: V,
    ) -> Result<V::Value, DecodeError> {
        self.deserialize_any(v)
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, DecodeError> {
        self.deserialize_any(v)
    }
}

struct Seq<'a, 'p> {
    items: std::slice::Iter<'a, Value>,
    index: i64,
    path: &'p AttributePath,
}

impl<'a> SeqAccess<'a> for Seq<'a, '_> {
    type Error = DecodeError;

    fn next_element_seed<T: DeserializeSeed<'a>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DecodeError> {
        let Some(item) = self.items.next() else {
            return Ok(None);
        };
        let path = self.path.clone().index(self.index);
        self.index += 1;
        seed.deserialize(De {
            value: item,
            path: &path,
        })
        .map(Some)
        .map_err(|e| e.at(&path))
    }
}

struct Map<'a, 'p> {
    entries: std::collections::btree_map::Iter<'a, String, Value>,
    pending: Option<(&'a String, &'a Value)>,
    path: &'p AttributePath,
    /// Object attributes and map keys make different path steps.
    object: bool,
}

impl<'a> MapAccess<'a> for Map<'a, '_> {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'a>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DecodeError> {
        let Some(entry) = self.entries.next() else {
            return Ok(None);
        };
        self.pending = Some(entry);
        seed.deserialize(entry.0.as_str().into_deserializer())
            .map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'a>>(
        &mut self,
        seed: T,
    ) -> Result<T::Value, DecodeError> {
        let (key, value) = self
            .pending
            .take()
            .ok_or_else(|| <DecodeError as de::Error>::custom("a value without a key"))?;
        let path = if self.object {
            self.path.clone().attr(key.clone())
        } else {
            self.path.clone().key(key.clone())
        };
        seed.deserialize(De { value, path: &path })
            .map_err(|e| e.at(&path))
    }
}
