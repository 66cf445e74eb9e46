//! cty values in msgpack, Terraform's `DynamicValue.msgpack` (object-wire-format.md;
//! zclconf/go-cty `cty/msgpack`). Decoding reads straight from the byte slice, guided by
//! the schema type, with no intermediate msgpack tree.

use std::collections::BTreeMap;
use std::io;

use rmp::Marker;
use rmp::encode as enc;

use super::error::CodecError;
use super::number::{integral_i64, is_decimal, parse_number_text};
use super::path::Trail;
use super::types::Type;
use super::values::{Number, Value};

/// Decodes a msgpack value of type `ty`. Nil is null at any depth; any ext type is an
/// unknown (ext 12 carries refinements, which are dropped). Objects tolerate missing
/// attributes (null) and reject undeclared ones.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, CodecError> {
    let mut r = Reader {
        buf: bytes,
        pos: 0,
        depth: 0,
    };
    let v = r.value(ty, &Trail::ROOT)?;
    if r.pos != bytes.len() {
        return Err(CodecError::TrailingBytes {
            count: bytes.len() - r.pos,
        });
    }
    Ok(v)
}

/// Encodes `value` as type `ty`. Unknown is fixext1 ext 0 (`d4 00 00`); objects carry every
/// attribute of the type (nil for one missing from the map), because Terraform rejects an
/// object with missing keys.
pub fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, CodecError> {
    let mut out = Vec::with_capacity(64);
    encode_into(&mut out, value, ty)?;
    Ok(out)
}

/// As [`encode`], appending to `out`.
pub(crate) fn encode_into(out: &mut Vec<u8>, value: &Value, ty: &Type) -> Result<(), CodecError> {
    write_value(out, value, ty, &Trail::ROOT)
}

/// The encoding of an unrefined unknown: fixext1, ext type 0, one zero byte.
pub(crate) const UNKNOWN: [u8; 3] = [0xd4, 0x00, 0x00];

/// Nesting deeper than this is refused. The type bounds the depth, except that a dynamic
/// value brings its own type, and a chain of dynamics could otherwise exhaust the stack.
const MAX_DEPTH: usize = 128;

struct Reader<'b> {
    buf: &'b [u8],
    pos: usize,
    depth: usize,
}

impl<'b> Reader<'b> {
    fn malformed(&self, at: &Trail<'_>, message: impl Into<String>) -> CodecError {
        CodecError::Malformed {
            path: at.to_path(),
            message: message.into(),
        }
    }

    fn take(&mut self, n: usize, at: &Trail<'_>) -> Result<&'b [u8], CodecError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len());
        match end {
            Some(end) => {
                let s = &self.buf[self.pos..end];
                self.pos = end;
                Ok(s)
            }
            None => Err(self.malformed(
                at,
                format!("truncated: {n} more bytes needed at offset {}", self.pos),
            )),
        }
    }

    fn array<const N: usize>(&mut self, at: &Trail<'_>) -> Result<[u8; N], CodecError> {
        let s = self.take(N, at)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    fn u8(&mut self, at: &Trail<'_>) -> Result<u8, CodecError> {
        Ok(self.array::<1>(at)?[0])
    }

    fn u16(&mut self, at: &Trail<'_>) -> Result<usize, CodecError> {
        Ok(usize::from(u16::from_be_bytes(self.array(at)?)))
    }

    fn u32(&mut self, at: &Trail<'_>) -> Result<usize, CodecError> {
        let n = u32::from_be_bytes(self.array(at)?);
        usize::try_from(n).map_err(|_| self.malformed(at, "length exceeds the address space"))
    }

    fn peek(&self, at: &Trail<'_>) -> Result<Marker, CodecError> {
        match self.buf.get(self.pos) {
            Some(&b) => Ok(Marker::from_u8(b)),
            None => Err(self.malformed(at, "truncated: a value was expected")),
        }
    }

    fn mismatch(&self, at: &Trail<'_>, expected: &Type, found: Marker) -> CodecError {
        CodecError::TypeMismatch {
            path: at.to_path(),
            expected: expected.friendly_name(),
            found: marker_name(found).to_owned(),
        }
    }

    /// Skips an ext value's type byte and payload (after the marker).
    fn skip_ext(&mut self, marker: Marker, at: &Trail<'_>) -> Result<(), CodecError> {
        let len = match marker {
            Marker::FixExt1 => 1,
            Marker::FixExt2 => 2,
            Marker::FixExt4 => 4,
            Marker::FixExt8 => 8,
            Marker::FixExt16 => 16,
            Marker::Ext8 => usize::from(self.u8(at)?),
            Marker::Ext16 => self.u16(at)?,
            Marker::Ext32 => self.u32(at)?,
            _ => return Err(self.malformed(at, "internal: not an ext marker")),
        };
        // The ext type byte, then the payload. Refinements (ext 12) are not needed: an
        // unrefined unknown is always a valid reading of a refined one.
        self.take(1, at)?;
        self.take(len, at)?;
        Ok(())
    }

    fn str_len(&mut self, marker: Marker, at: &Trail<'_>) -> Result<Option<usize>, CodecError> {
        Ok(Some(match marker {
            Marker::FixStr(n) => usize::from(n),
            Marker::Str8 => usize::from(self.u8(at)?),
            Marker::Str16 => self.u16(at)?,
            Marker::Str32 => self.u32(at)?,
            _ => return Ok(None),
        }))
    }

    /// Reads a string (after its marker), borrowed from the input.
    fn str_body(&mut self, len: usize, at: &Trail<'_>) -> Result<&'b str, CodecError> {
        let bytes = self.take(len, at)?;
        std::str::from_utf8(bytes).map_err(|_| self.malformed(at, "string is not valid UTF-8"))
    }

    /// Reads a map key, which must be a string.
    fn key(&mut self, at: &Trail<'_>) -> Result<&'b str, CodecError> {
        let marker = self.peek(at)?;
        self.pos += 1;
        match self.str_len(marker, at)? {
            Some(len) => self.str_body(len, at),
            None => Err(CodecError::TypeMismatch {
                path: at.to_path(),
                expected: "a string map key".to_owned(),
                found: marker_name(marker).to_owned(),
            }),
        }
    }

    fn array_len(&mut self, marker: Marker, at: &Trail<'_>) -> Result<Option<usize>, CodecError> {
        Ok(Some(match marker {
            Marker::FixArray(n) => usize::from(n),
            Marker::Array16 => self.u16(at)?,
            Marker::Array32 => self.u32(at)?,
            _ => return Ok(None),
        }))
    }

    fn map_len(&mut self, marker: Marker, at: &Trail<'_>) -> Result<Option<usize>, CodecError> {
        Ok(Some(match marker {
            Marker::FixMap(n) => usize::from(n),
            Marker::Map16 => self.u16(at)?,
            Marker::Map32 => self.u32(at)?,
            _ => return Ok(None),
        }))
    }

    /// A capacity hint that a hostile length cannot turn into a huge allocation:
    /// every element takes at least one byte.
    fn capacity(&self, len: usize) -> usize {
        len.min(self.buf.len() - self.pos)
    }

    fn value(&mut self, ty: &Type, at: &Trail<'_>) -> Result<Value, CodecError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.malformed(at, format!("nested deeper than {MAX_DEPTH} levels")));
        }
        self.depth += 1;
        let v = self.value_at_depth(ty, at);
        self.depth -= 1;
        v
    }

    fn value_at_depth(&mut self, ty: &Type, at: &Trail<'_>) -> Result<Value, CodecError> {
        let marker = self.peek(at)?;
        self.pos += 1;
        match marker {
            Marker::Null => return Ok(Value::Null),
            Marker::FixExt1
            | Marker::FixExt2
            | Marker::FixExt4
            | Marker::FixExt8
            | Marker::FixExt16
            | Marker::Ext8
            | Marker::Ext16
            | Marker::Ext32 => {
                self.skip_ext(marker, at)?;
                return Ok(Value::Unknown);
            }
            _ => {}
        }
        match ty {
            Type::String => match self.str_len(marker, at)? {
                Some(len) => Ok(Value::String(self.str_body(len, at)?.to_owned())),
                None => Err(self.mismatch(at, ty, marker)),
            },
            Type::Bool => match marker {
                Marker::True => Ok(Value::Bool(true)),
                Marker::False => Ok(Value::Bool(false)),
                _ => Err(self.mismatch(at, ty, marker)),
            },
            Type::Number => self.number(marker, at).map(Value::Number),
            Type::List(et) | Type::Set(et) => {
                let len = self
                    .array_len(marker, at)?
                    .ok_or_else(|| self.mismatch(at, ty, marker))?;
                let mut elems = Vec::with_capacity(self.capacity(len));
                for i in 0..len {
                    elems.push(self.value(et, &at.index(i))?);
                }
                Ok(if matches!(ty, Type::List(_)) {
                    Value::List(elems)
                } else {
                    Value::Set(elems)
                })
            }
            Type::Tuple(ets) => {
                let len = self
                    .array_len(marker, at)?
                    .ok_or_else(|| self.mismatch(at, ty, marker))?;
                if len != ets.len() {
                    return Err(CodecError::TupleLength {
                        path: at.to_path(),
                        expected: ets.len(),
                        found: len,
                    });
                }
                let mut elems = Vec::with_capacity(len);
                for (i, et) in ets.iter().enumerate() {
                    elems.push(self.value(et, &at.index(i))?);
                }
                Ok(Value::Tuple(elems))
            }
            Type::Map(et) => {
                let len = self
                    .map_len(marker, at)?
                    .ok_or_else(|| self.mismatch(at, ty, marker))?;
                let mut map = BTreeMap::new();
                for _ in 0..len {
                    let k = self.key(at)?;
                    let v = self.value(et, &at.key(k))?;
                    map.insert(k.to_owned(), v);
                }
                Ok(Value::Map(map))
            }
            Type::Object { attrs, .. } => {
                let len = self
                    .map_len(marker, at)?
                    .ok_or_else(|| self.mismatch(at, ty, marker))?;
                let mut map = BTreeMap::new();
                for _ in 0..len {
                    let k = self.key(at)?;
                    let Some((name, aty)) = attrs.get_key_value(k) else {
                        return Err(CodecError::UnsupportedAttribute {
                            path: at.to_path(),
                            name: k.to_owned(),
                        });
                    };
                    let v = self.value(aty, &at.attr(k))?;
                    map.insert(name.clone(), v);
                }
                // Terraform always sends every attribute; be lenient and fill in nulls so
                // the decoded object still has every key of its type.
                if map.len() < attrs.len() {
                    for name in attrs.keys() {
                        if !map.contains_key(name) {
                            map.insert(name.clone(), Value::Null);
                        }
                    }
                }
                Ok(Value::Object(map))
            }
            Type::Dynamic => {
                // cty: `[type-json, value]`, type as bin (accept str too).
                match self.array_len(marker, at)? {
                    Some(2) => {}
                    Some(n) => {
                        return Err(self.malformed(
                            at,
                            format!("a dynamic value is a [type, value] array; found {n} elements"),
                        ));
                    }
                    None => return Err(self.mismatch(at, ty, marker)),
                }
                let tm = self.peek(at)?;
                self.pos += 1;
                let len = match tm {
                    Marker::Bin8 => usize::from(self.u8(at)?),
                    Marker::Bin16 => self.u16(at)?,
                    Marker::Bin32 => self.u32(at)?,
                    _ => match self.str_len(tm, at)? {
                        Some(len) => len,
                        None => {
                            return Err(CodecError::TypeMismatch {
                                path: at.to_path(),
                                expected: "the JSON type of a dynamic value (bytes)".to_owned(),
                                found: marker_name(tm).to_owned(),
                            });
                        }
                    },
                };
                let type_json = self.take(len, at)?;
                let inner = Type::from_json_bytes(type_json)
                    .map_err(|e| self.malformed(at, format!("bad type of a dynamic value: {e}")))?;
                let v = self.value(&inner, at)?;
                Ok(Value::Dynamic(Box::new(inner), Box::new(v)))
            }
        }
    }

    fn number(&mut self, marker: Marker, at: &Trail<'_>) -> Result<Number, CodecError> {
        let n = self.number_any(marker, at)?;
        if matches!(n, Number::Float(f) if f.is_nan()) {
            return Err(CodecError::InvalidNumber {
                path: at.to_path(),
                text: "NaN".to_owned(),
            });
        }
        Ok(n)
    }

    fn number_any(&mut self, marker: Marker, at: &Trail<'_>) -> Result<Number, CodecError> {
        Ok(match marker {
            Marker::FixPos(n) => Number::Int(i64::from(n)),
            Marker::FixNeg(n) => Number::Int(i64::from(n)),
            Marker::U8 => Number::Int(i64::from(self.u8(at)?)),
            Marker::U16 => Number::Int(i64::from(u16::from_be_bytes(self.array(at)?))),
            Marker::U32 => Number::Int(i64::from(u32::from_be_bytes(self.array(at)?))),
            Marker::U64 => Number::from(u64::from_be_bytes(self.array(at)?)),
            Marker::I8 => Number::Int(i64::from(i8::from_be_bytes(self.array(at)?))),
            Marker::I16 => Number::Int(i64::from(i16::from_be_bytes(self.array(at)?))),
            Marker::I32 => Number::Int(i64::from(i32::from_be_bytes(self.array(at)?))),
            Marker::I64 => Number::Int(i64::from_be_bytes(self.array(at)?)),
            Marker::F32 => Number::Float(f64::from(f32::from_be_bytes(self.array(at)?))),
            Marker::F64 => Number::Float(f64::from_be_bytes(self.array(at)?)),
            _ => match self.str_len(marker, at)? {
                Some(len) => {
                    let text = self.str_body(len, at)?;
                    parse_number_text(text).ok_or_else(|| CodecError::InvalidNumber {
                        path: at.to_path(),
                        text: text.to_owned(),
                    })?
                }
                None => return Err(self.mismatch(at, &Type::Number, marker)),
            },
        })
    }
}

fn marker_name(m: Marker) -> &'static str {
    match m {
        Marker::Null => "nil",
        Marker::True | Marker::False => "bool",
        Marker::FixPos(_)
        | Marker::FixNeg(_)
        | Marker::U8
        | Marker::U16
        | Marker::U32
        | Marker::U64
        | Marker::I8
        | Marker::I16
        | Marker::I32
        | Marker::I64 => "integer",
        Marker::F32 | Marker::F64 => "float",
        Marker::FixStr(_) | Marker::Str8 | Marker::Str16 | Marker::Str32 => "string",
        Marker::Bin8 | Marker::Bin16 | Marker::Bin32 => "binary",
        Marker::FixArray(_) | Marker::Array16 | Marker::Array32 => "array",
        Marker::FixMap(_) | Marker::Map16 | Marker::Map32 => "map",
        Marker::FixExt1
        | Marker::FixExt2
        | Marker::FixExt4
        | Marker::FixExt8
        | Marker::FixExt16
        | Marker::Ext8
        | Marker::Ext16
        | Marker::Ext32 => "extension (unknown)",
        Marker::Reserved => "reserved byte 0xc1",
    }
}

/// Writing to a Vec cannot fail; rmp's signatures still return io errors.
fn io<T, E: Into<io::Error>>(r: Result<T, E>, at: &Trail<'_>) -> Result<(), CodecError> {
    r.map(|_| ()).map_err(|e| CodecError::Malformed {
        path: at.to_path(),
        message: format!("write failed: {}", e.into()),
    })
}

fn len_u32(len: usize, at: &Trail<'_>) -> Result<u32, CodecError> {
    u32::try_from(len).map_err(|_| CodecError::TooLong {
        path: at.to_path(),
        len,
    })
}

fn mismatch(at: &Trail<'_>, ty: &Type, v: &Value) -> CodecError {
    CodecError::TypeMismatch {
        path: at.to_path(),
        expected: ty.friendly_name(),
        found: v.kind_name().to_owned(),
    }
}

fn write_value(out: &mut Vec<u8>, v: &Value, ty: &Type, at: &Trail<'_>) -> Result<(), CodecError> {
    match (ty, v) {
        (_, Value::Null) => io(enc::write_nil(out), at),
        (_, Value::Unknown) => {
            out.extend_from_slice(&UNKNOWN);
            Ok(())
        }
        (Type::String, Value::String(s)) => {
            io(enc::write_str_len(out, len_u32(s.len(), at)?), at)?;
            out.extend_from_slice(s.as_bytes());
            Ok(())
        }
        (Type::Bool, Value::Bool(b)) => io(enc::write_bool(out, *b), at),
        (Type::Number, Value::Number(n)) => write_number(out, n, at),
        (Type::List(et), Value::List(es)) | (Type::Set(et), Value::Set(es)) => {
            io(enc::write_array_len(out, len_u32(es.len(), at)?), at)?;
            for (i, e) in es.iter().enumerate() {
                write_value(out, e, et, &at.index(i))?;
            }
            Ok(())
        }
        (Type::Tuple(ets), Value::Tuple(es)) => {
            if ets.len() != es.len() {
                return Err(CodecError::TupleLength {
                    path: at.to_path(),
                    expected: ets.len(),
                    found: es.len(),
                });
            }
            io(enc::write_array_len(out, len_u32(es.len(), at)?), at)?;
            for (i, (e, et)) in es.iter().zip(ets).enumerate() {
                write_value(out, e, et, &at.index(i))?;
            }
            Ok(())
        }
        (Type::Map(et), Value::Map(m)) => {
            io(enc::write_map_len(out, len_u32(m.len(), at)?), at)?;
            for (k, e) in m {
                io(enc::write_str(out, k), at)?;
                write_value(out, e, et, &at.key(k))?;
            }
            Ok(())
        }
        (Type::Object { attrs, .. }, Value::Object(m)) => {
            if let Some(extra) = m.keys().find(|k| !attrs.contains_key(*k)) {
                return Err(CodecError::UnsupportedAttribute {
                    path: at.to_path(),
                    name: extra.clone(),
                });
            }
            io(enc::write_map_len(out, len_u32(attrs.len(), at)?), at)?;
            for (name, aty) in attrs {
                io(enc::write_str(out, name), at)?;
                let av = m.get(name).unwrap_or(&Value::Null);
                write_value(out, av, aty, &at.attr(name))?;
            }
            Ok(())
        }
        (Type::Dynamic, Value::Dynamic(inner_ty, inner)) => {
            io(enc::write_array_len(out, 2), at)?;
            let mut type_json = Vec::with_capacity(16);
            inner_ty.write_json(&mut type_json);
            io(enc::write_bin(out, &type_json), at)?;
            write_value(out, inner, inner_ty, at)
        }
        _ => Err(mismatch(at, ty, v)),
    }
}

fn write_number(out: &mut Vec<u8>, n: &Number, at: &Trail<'_>) -> Result<(), CodecError> {
    match n {
        Number::Int(i) => io(enc::write_sint(out, *i), at),
        Number::Uint(u) => io(enc::write_uint(out, *u), at),
        // As cty: integral values that fit i64 go as ints.
        // cty has no NaN (its NumberFloatVal panics on one): never send it to Terraform.
        Number::Float(f) if f.is_nan() => Err(CodecError::InvalidNumber {
            path: at.to_path(),
            text: "NaN".to_owned(),
        }),
        Number::Float(f) => match integral_i64(*f) {
            Some(i) => io(enc::write_sint(out, i), at),
            None => io(enc::write_f64(out, *f), at),
        },
        Number::Decimal(s) => {
            if !is_decimal(s) {
                return Err(CodecError::InvalidNumber {
                    path: at.to_path(),
                    text: s.clone(),
                });
            }
            io(enc::write_str(out, s), at)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(attrs: &[(&str, Type)]) -> Type {
        Type::object(attrs.iter().cloned())
    }

    #[test]
    fn null_is_nil_for_every_type() {
        for ty in [
            Type::String,
            Type::list(Type::Number),
            obj(&[("a", Type::Bool)]),
            Type::Dynamic,
        ] {
            assert_eq!(encode(&Value::Null, &ty).ok(), Some(vec![0xc0]));
            assert_eq!(decode(&[0xc0], &ty).ok(), Some(Value::Null));
        }
    }

    #[test]
    fn unknown_is_written_as_ext0_and_read_from_any_ext() {
        assert_eq!(
            encode(&Value::Unknown, &Type::String).ok(),
            Some(UNKNOWN.to_vec())
        );
        let forms: [&[u8]; 6] = [
            &[0xd4, 0x00, 0x00],
            &[0xd4, 0x0c, 0x80],
            &[0xd5, 0x05, 0x01, 0x02],
            &[0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc2],
            &[0xc8, 0x00, 0x01, 0x0c, 0x80],
            &[0xc9, 0x00, 0x00, 0x00, 0x00, 0x63],
        ];
        for bytes in forms {
            assert_eq!(
                decode(bytes, &Type::Number).ok(),
                Some(Value::Unknown),
                "{bytes:x?}"
            );
        }
    }

    #[test]
    fn strings_bools_and_numbers() {
        assert_eq!(
            encode(&Value::string("ab"), &Type::String).ok(),
            Some(vec![0xa2, b'a', b'b'])
        );
        assert_eq!(
            decode(&[0xa2, b'a', b'b'], &Type::String).ok(),
            Some(Value::string("ab"))
        );
        assert_eq!(
            encode(&Value::Bool(true), &Type::Bool).ok(),
            Some(vec![0xc3])
        );
        assert_eq!(decode(&[0xc2], &Type::Bool).ok(), Some(Value::Bool(false)));
        assert_eq!(
            encode(&Value::number(-1), &Type::Number).ok(),
            Some(vec![0xff])
        );
        // Integral floats go as ints; others as float64; decimals as strings.
        assert_eq!(
            encode(&Value::number(2.0), &Type::Number).ok(),
            Some(vec![0x02])
        );
        let mut f = vec![0xcb];
        f.extend_from_slice(&1.5f64.to_be_bytes());
        assert_eq!(
            encode(&Value::number(1.5), &Type::Number).ok(),
            Some(f.clone())
        );
        assert_eq!(decode(&f, &Type::Number).ok(), Some(Value::number(1.5)));
        let d = Value::Number(Number::Decimal("1e400".into()));
        assert_eq!(encode(&d, &Type::Number).ok(), Some(b"\xa51e400".to_vec()));
        assert_eq!(decode(b"\xa51e400", &Type::Number).ok(), Some(d));
        let bad = Value::Number(Number::Decimal("ten".into()));
        assert!(matches!(
            encode(&bad, &Type::Number),
            Err(CodecError::InvalidNumber { .. })
        ));
    }

    #[test]
    fn nan_is_refused_both_ways() {
        assert!(matches!(
            encode(&Value::number(f64::NAN), &Type::Number),
            Err(CodecError::InvalidNumber { .. })
        ));
        let mut b = vec![0xcb];
        b.extend_from_slice(&f64::NAN.to_be_bytes());
        assert!(matches!(
            decode(&b, &Type::Number),
            Err(CodecError::InvalidNumber { .. })
        ));
    }

    #[test]
    fn every_integer_width_decodes() {
        let cases: [(&[u8], Number); 10] = [
            (&[0x7f], Number::Int(127)),
            (&[0xe0], Number::Int(-32)),
            (&[0xcc, 0xff], Number::Int(255)),
            (&[0xcd, 0x01, 0x00], Number::Int(256)),
            (&[0xce, 0, 1, 0, 0], Number::Int(65536)),
            (
                &[0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
                Number::Uint(u64::MAX),
            ),
            (&[0xd0, 0x80], Number::Int(-128)),
            (&[0xd1, 0x80, 0x00], Number::Int(-32768)),
            (&[0xd2, 0x80, 0, 0, 0], Number::Int(i64::from(i32::MIN))),
            (&[0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0], Number::Int(i64::MIN)),
        ];
        for (bytes, n) in cases {
            match decode(bytes, &Type::Number) {
                Ok(Value::Number(got)) => assert_eq!(got, n, "{bytes:x?}"),
                other => panic!("{bytes:x?}: {other:?}"),
            }
        }
        let mut f32 = vec![0xca];
        f32.extend_from_slice(&0.5f32.to_be_bytes());
        assert_eq!(decode(&f32, &Type::Number).ok(), Some(Value::number(0.5)));
        assert!(matches!(
            decode(b"\xa3abc", &Type::Number),
            Err(CodecError::InvalidNumber { ref text, .. }) if text == "abc"
        ));
    }

    #[test]
    fn collections_are_arrays_and_maps() {
        let l = Value::List(vec![Value::string("a"), Value::Null]);
        let bytes = encode(&l, &Type::list(Type::String)).ok();
        assert_eq!(bytes, Some(vec![0x92, 0xa1, b'a', 0xc0]));
        assert_eq!(
            decode(&[0x92, 0xa1, b'a', 0xc0], &Type::list(Type::String)).ok(),
            Some(l)
        );
        let s = decode(&[0x91, 0x01], &Type::set(Type::Number)).ok();
        assert_eq!(s, Some(Value::Set(vec![Value::number(1)])));
        let m = Value::Map(BTreeMap::from([("k".to_owned(), Value::Bool(true))]));
        assert_eq!(
            encode(&m, &Type::map(Type::Bool)).ok(),
            Some(vec![0x81, 0xa1, b'k', 0xc3])
        );
        let t = Type::tuple([Type::String, Type::Bool]);
        assert!(matches!(
            decode(&[0x91, 0xc0], &t),
            Err(CodecError::TupleLength {
                expected: 2,
                found: 1,
                ..
            })
        ));
        assert!(matches!(
            decode(&[0x81, 0x01, 0xc3], &Type::map(Type::Bool)),
            Err(CodecError::TypeMismatch { .. })
        ));
    }

    #[test]
    fn objects_carry_every_attribute() {
        let t = obj(&[("a", Type::String), ("b", Type::Number)]);
        let v = Value::object([("a", Value::string("x"))]);
        // `b` is missing from the value: written as nil, keys sorted.
        assert_eq!(
            encode(&v, &t).ok(),
            Some(vec![0x82, 0xa1, b'a', 0xa1, b'x', 0xa1, b'b', 0xc0])
        );
        // A missing key on the wire decodes as null.
        let got = decode(&[0x81, 0xa1, b'a', 0xa1, b'x'], &t).ok();
        assert_eq!(
            got,
            Some(Value::object([
                ("a", Value::string("x")),
                ("b", Value::Null)
            ]))
        );
    }

    #[test]
    fn unknown_attribute_is_an_error_naming_it_and_its_path() {
        let t = obj(&[("inner", obj(&[("a", Type::String)]))]);
        let bytes = [
            0x81, 0xa5, b'i', b'n', b'n', b'e', b'r', 0x81, 0xa1, b'z', 0xc0,
        ];
        match decode(&bytes, &t) {
            Err(e @ CodecError::UnsupportedAttribute { .. }) => {
                let msg = e.to_string();
                assert!(msg.contains("\"z\"") && msg.contains("at inner"), "{msg}");
            }
            other => panic!("{other:?}"),
        }
        let v = Value::object([("nope", Value::Null)]);
        assert!(
            matches!(encode(&v, &t), Err(CodecError::UnsupportedAttribute { ref name, .. }) if name == "nope")
        );
    }

    #[test]
    fn mismatch_names_expected_type_and_path() {
        let t = obj(&[("ports", Type::list(Type::Number))]);
        let bytes = [
            0x81, 0xa5, b'p', b'o', b'r', b't', b's', 0x92, 0x01, 0xa1, b'x',
        ];
        let err = decode(&bytes, &t).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("at ports[1]: expected a number, found \"x\"")
        );
        let bytes = [0x81, 0xa5, b'p', b'o', b'r', b't', b's', 0xc3];
        let err = decode(&bytes, &t).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("at ports: expected list of number, found bool")
        );
        let v = Value::object([("ports", Value::string("x"))]);
        let err = encode(&v, &t).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("at ports: expected list of number, found string")
        );
    }

    #[test]
    fn dynamic_is_a_type_value_pair() {
        let v = Value::Dynamic(Box::new(Type::String), Box::new(Value::string("x")));
        let bytes = encode(&v, &Type::Dynamic).ok();
        let mut want = vec![0x92, 0xc4, 8];
        want.extend_from_slice(b"\"string\"");
        want.extend_from_slice(&[0xa1, b'x']);
        assert_eq!(bytes, Some(want.clone()));
        assert_eq!(decode(&want, &Type::Dynamic).ok(), Some(v));
        // The type may also come as a str; a typed null inside is kept.
        let mut s = vec![0x92, 0xa8];
        s.extend_from_slice(b"\"number\"");
        s.push(0xc0);
        assert_eq!(
            decode(&s, &Type::Dynamic).ok(),
            Some(Value::Dynamic(
                Box::new(Type::Number),
                Box::new(Value::Null)
            ))
        );
        assert!(decode(&[0x91, 0xc0], &Type::Dynamic).is_err());
        assert!(encode(&Value::string("x"), &Type::Dynamic).is_err());
    }

    #[test]
    fn a_chain_of_dynamics_is_refused_before_the_stack_runs_out() {
        let mut bytes = Vec::new();
        for _ in 0..100_000 {
            bytes.extend_from_slice(&[0x92, 0xc4, 9]);
            bytes.extend_from_slice(b"\"dynamic\"");
        }
        bytes.push(0xc0);
        let err = decode(&bytes, &Type::Dynamic).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("nested deeper than 128")));
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        let t = obj(&[("a", Type::list(Type::String))]);
        for bytes in [
            &[][..],
            &[0x81, 0xa1],
            &[0x81, 0xa1, b'a', 0xdd, 0xff, 0xff, 0xff, 0xff],
            &[0x81, 0xa1, b'a', 0x91, 0xa3, b'x'],
            &[0x81, 0xa1, b'a', 0x91, 0xa1, 0xff],
            &[0xc7, 0xff, 0x00],
            &[0xc1],
        ] {
            assert!(decode(bytes, &t).is_err(), "{bytes:x?}");
        }
        assert!(matches!(
            decode(&[0xc0, 0xc0], &t),
            Err(CodecError::TrailingBytes { count: 1 })
        ));
    }
}
