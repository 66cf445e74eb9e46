//! A serde `Serializer` into a cty [`Value`], then shaped by the schema type (a Rust `Vec`
//! becomes a list or a set as the schema says), so a resource writes state from its model
//! in one call.

use std::collections::BTreeMap;
use std::fmt;

use serde::ser::{self, Serialize};

use super::field::UNKNOWN_TOKEN;
use crate::protocol::value::{Number, Type, Value};

/// Why a model could not be written as a value of the schema's type: a provider bug.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EncodeError(String);

impl ser::Error for EncodeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        EncodeError(msg.to_string())
    }
}

/// Writes `model` as a value of type `ty` (the schema's `value_type()`). Every attribute of
/// an object type must come from the model and nothing else may, so a model that drifts
/// from its schema fails loudly.
pub fn encode<T: Serialize>(model: &T, ty: &Type) -> Result<Value, EncodeError> {
    conform(model.serialize(Ser)?, ty, "")
}

fn conform(v: Value, ty: &Type, at: &str) -> Result<Value, EncodeError> {
    let bad = |what: &str| {
        EncodeError(format!(
            "{}: {what}",
            if at.is_empty() { "(root)" } else { at }
        ))
    };
    match (v, ty) {
        (v @ (Value::Null | Value::Unknown), _) => Ok(v),
        (v, Type::Dynamic) => Ok(v),
        (v @ Value::String(_), Type::String)
        | (v @ Value::Bool(_), Type::Bool)
        | (v @ Value::Number(_), Type::Number) => Ok(v),
        (Value::List(items), Type::List(e)) => Ok(Value::List(conform_all(items, e, at)?)),
        (Value::List(items), Type::Set(e)) => Ok(Value::Set(conform_all(items, e, at)?)),
        (Value::Object(m) | Value::Map(m), Type::Map(e)) => Ok(Value::Map(
            m.into_iter()
                .map(|(k, v)| {
                    let inner = conform(v, e, &format!("{at}[{k:?}]"))?;
                    Ok((k, inner))
                })
                .collect::<Result<_, EncodeError>>()?,
        )),
        (Value::Object(mut m), Type::Object { attrs, .. }) => {
            let mut out = BTreeMap::new();
            for (name, t) in attrs {
                let path = if at.is_empty() {
                    name.clone()
                } else {
                    format!("{at}.{name}")
                };
                let v = m
                    .remove(name)
                    .ok_or_else(|| bad(&format!("the model has no field `{name}`")))?;
                out.insert(name.clone(), conform(v, t, &path)?);
            }
            if let Some(extra) = m.keys().next() {
                return Err(bad(&format!("the schema has no attribute `{extra}`")));
            }
            Ok(Value::Object(out))
        }
        (v, t) => Err(bad(&format!(
            "a {} where the schema wants {}",
            v.kind_name(),
            t.friendly_name()
        ))),
    }
}

fn conform_all(items: Vec<Value>, e: &Type, at: &str) -> Result<Vec<Value>, EncodeError> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| conform(v, e, &format!("{at}[{i}]")))
        .collect()
}

struct Ser;

impl ser::Serializer for Ser {
    type Ok = Value;
    type Error = EncodeError;
    type SerializeSeq = SeqSer;
    type SerializeTuple = SeqSer;
    type SerializeTupleStruct = SeqSer;
    type SerializeTupleVariant = ser::Impossible<Value, EncodeError>;
    type SerializeMap = MapSer;
    type SerializeStruct = MapSer;
    type SerializeStructVariant = ser::Impossible<Value, EncodeError>;

    fn serialize_bool(self, v: bool) -> Result<Value, EncodeError> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, EncodeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<Value, EncodeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<Value, EncodeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<Value, EncodeError> {
        Ok(Value::Number(Number::from(v)))
    }
    fn serialize_u8(self, v: u8) -> Result<Value, EncodeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<Value, EncodeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<Value, EncodeError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<Value, EncodeError> {
        Ok(Value::Number(Number::from(v)))
    }
    fn serialize_f32(self, v: f32) -> Result<Value, EncodeError> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<Value, EncodeError> {
        Ok(Value::Number(Number::from(v)))
    }
    fn serialize_char(self, v: char) -> Result<Value, EncodeError> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, EncodeError> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<Value, EncodeError> {
        Err(ser::Error::custom("bytes have no cty form"))
    }
    fn serialize_none(self) -> Result<Value, EncodeError> {
        Ok(Value::Null)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<Value, EncodeError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, EncodeError> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<Value, EncodeError> {
        Ok(if name == UNKNOWN_TOKEN {
            Value::Unknown
        } else {
            Value::Null
        })
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Value, EncodeError> {
        Ok(Value::String(variant.to_string()))
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        v: &T,
    ) -> Result<Value, EncodeError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _v: &T,
    ) -> Result<Value, EncodeError> {
        Err(ser::Error::custom(format!(
            "{name}::{variant}: enum variants with data have no cty form"
        )))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqSer, EncodeError> {
        Ok(SeqSer(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqSer, EncodeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<SeqSer, EncodeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, EncodeError> {
        Err(ser::Error::custom(format!(
            "{name}::{variant} has no cty form"
        )))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<MapSer, EncodeError> {
        Ok(MapSer {
            map: BTreeMap::new(),
            key: None,
            object: false,
        })
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<MapSer, EncodeError> {
        Ok(MapSer {
            map: BTreeMap::new(),
            key: None,
            object: true,
        })
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, EncodeError> {
        Err(ser::Error::custom(format!(
            "{name}::{variant} has no cty form"
        )))
    }
}

struct SeqSer(Vec<Value>);

impl ser::SerializeSeq for SeqSer {
    type Ok = Value;
    type Error = EncodeError;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), EncodeError> {
        self.0.push(v.serialize(Ser)?);
        Ok(())
    }
    fn end(self) -> Result<Value, EncodeError> {
        Ok(Value::List(self.0))
    }
}

impl ser::SerializeTuple for SeqSer {
    type Ok = Value;
    type Error = EncodeError;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), EncodeError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<Value, EncodeError> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for SeqSer {
    type Ok = Value;
    type Error = EncodeError;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), EncodeError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<Value, EncodeError> {
        ser::SerializeSeq::end(self)
    }
}

struct MapSer {
    map: BTreeMap<String, Value>,
    key: Option<String>,
    /// A struct (an object) rather than a map.
    object: bool,
}

impl ser::SerializeMap for MapSer {
    type Ok = Value;
    type Error = EncodeError;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), EncodeError> {
        match key.serialize(Ser)? {
            Value::String(k) => {
                self.key = Some(k);
                Ok(())
            }
            other => Err(ser::Error::custom(format!(
                "a map key must be a string, got {}",
                other.kind_name()
            ))),
        }
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), EncodeError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| <EncodeError as ser::Error>::custom("a map value without a key"))?;
        self.map.insert(key, v.serialize(Ser)?);
        Ok(())
    }
    fn end(self) -> Result<Value, EncodeError> {
        Ok(if self.object {
            Value::Object(self.map)
        } else {
            Value::Map(self.map)
        })
    }
}

impl ser::SerializeStruct for MapSer {
    type Ok = Value;
    type Error = EncodeError;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), EncodeError> {
        self.map.insert(key.to_string(), v.serialize(Ser)?);
        Ok(())
    }
    fn end(self) -> Result<Value, EncodeError> {
        Ok(Value::Object(self.map))
    }
}
