//! cty values in JSON: `RawState.json` (UpgradeResourceState, MoveResourceState) and JSON
//! `DynamicValue`s (object-wire-format.md, "JSON Serialization Rules"; go-cty `cty/json`).
//!
//! Unknown has no JSON form. Numbers decode from JSON numbers or from numeric strings.
//! serde_json is built without `arbitrary_precision`, so a JSON *number* beyond u64/i64
//! whose digits exceed f64 precision is rounded; a numeric *string* stays exact.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value as J;

use super::error::CodecError;
use super::number::{integral_i64, is_decimal, is_json_number, parse_number_text};
use super::path::Trail;
use super::types::Type;
use super::values::{Number, Value};

/// How strict JSON decoding is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DecodeOptions {
    /// Skip object attributes the type does not declare instead of failing. For stored
    /// state (`RawState.json`) written by a schema that has since dropped attributes.
    pub(crate) ignore_undeclared_attributes: bool,
}

impl DecodeOptions {
    /// Strict: an undeclared attribute is an error (the default).
    pub(crate) const STRICT: DecodeOptions = DecodeOptions {
        ignore_undeclared_attributes: false,
    };
    /// Lenient: undeclared attributes, at any depth, are dropped.
    pub const PRUNING: DecodeOptions = DecodeOptions {
        ignore_undeclared_attributes: true,
    };
}

/// Decodes JSON bytes as type `ty`. `null` is null at any depth; objects tolerate missing
/// attributes (null) and reject undeclared ones.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, CodecError> {
    decode_with(bytes, ty, DecodeOptions::STRICT)
}

/// As [`decode`], with options (e.g. [`DecodeOptions::PRUNING`] for old stored state).
pub fn decode_with(bytes: &[u8], ty: &Type, opts: DecodeOptions) -> Result<Value, CodecError> {
    super::json_de::decode(bytes, ty, opts)
}

/// Converts an already parsed JSON document as type `ty`.
pub fn from_json(j: &J, ty: &Type) -> Result<Value, CodecError> {
    from_json_with(j, ty, DecodeOptions::STRICT)
}

/// As [`from_json`], with options.
pub(crate) fn from_json_with(j: &J, ty: &Type, opts: DecodeOptions) -> Result<Value, CodecError> {
    read(j, ty, &Trail::ROOT, opts)
}

pub(crate) fn from_json_at(
    j: &J,
    ty: &Type,
    at: &Trail<'_>,
    opts: DecodeOptions,
) -> Result<Value, CodecError> {
    read(j, ty, at, opts)
}

/// Encodes `value` as compact JSON of type `ty`; objects carry every attribute of the type.
/// An unknown anywhere is an error.
pub fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, CodecError> {
    let mut out = Vec::with_capacity(64);
    write(&mut out, value, ty, &Trail::ROOT)?;
    Ok(out)
}

fn json_kind(j: &J) -> &'static str {
    match j {
        J::Null => "null",
        J::Bool(_) => "bool",
        J::Number(_) => "number",
        J::String(_) => "string",
        J::Array(_) => "array",
        J::Object(_) => "object",
    }
}

fn read(j: &J, ty: &Type, at: &Trail<'_>, opts: DecodeOptions) -> Result<Value, CodecError> {
    let mismatch = || CodecError::TypeMismatch {
        path: at.to_path(),
        expected: ty.friendly_name(),
        found: format!("JSON {}", json_kind(j)),
    };
    if j.is_null() {
        return Ok(Value::Null);
    }
    match ty {
        Type::String => j
            .as_str()
            .map(|s| Value::String(s.to_owned()))
            .ok_or_else(mismatch),
        Type::Bool => j.as_bool().map(Value::Bool).ok_or_else(mismatch),
        Type::Number => {
            match j {
                J::Number(n) => {
                    let n = if let Some(i) = n.as_i64() {
                        Number::Int(i)
                    } else if let Some(u) = n.as_u64() {
                        Number::Uint(u)
                    } else {
                        Number::Float(n.as_f64().ok_or_else(mismatch)?)
                    };
                    Ok(Value::Number(n))
                }
                J::String(s) => parse_number_text(s).map(Value::Number).ok_or_else(|| {
                    CodecError::InvalidNumber {
                        path: at.to_path(),
                        text: s.clone(),
                    }
                }),
                _ => Err(mismatch()),
            }
        }
        Type::List(et) | Type::Set(et) => {
            let arr = j.as_array().ok_or_else(mismatch)?;
            let elems = arr
                .iter()
                .enumerate()
                .map(|(i, e)| read(e, et, &at.index(i), opts))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(if matches!(ty, Type::List(_)) {
                Value::List(elems)
            } else {
                Value::Set(elems)
            })
        }
        Type::Tuple(ets) => {
            let arr = j.as_array().ok_or_else(mismatch)?;
            if arr.len() != ets.len() {
                return Err(CodecError::TupleLength {
                    path: at.to_path(),
                    expected: ets.len(),
                    found: arr.len(),
                });
            }
            let elems = arr
                .iter()
                .zip(ets)
                .enumerate()
                .map(|(i, (e, et))| read(e, et, &at.index(i), opts))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Value::Tuple(elems))
        }
        Type::Map(et) => {
            let obj = j.as_object().ok_or_else(mismatch)?;
            let map = obj
                .iter()
                .map(|(k, e)| Ok((k.clone(), read(e, et, &at.key(k), opts)?)))
                .collect::<Result<BTreeMap<_, _>, CodecError>>()?;
            Ok(Value::Map(map))
        }
        Type::Object { attrs, .. } => {
            let obj = j.as_object().ok_or_else(mismatch)?;
            if !opts.ignore_undeclared_attributes
                && let Some(extra) = obj.keys().find(|k| !attrs.contains_key(*k))
            {
                return Err(CodecError::UnsupportedAttribute {
                    path: at.to_path(),
                    name: extra.clone(),
                });
            }
            let map = attrs
                .iter()
                .map(|(name, aty)| {
                    let v = match obj.get(name) {
                        Some(e) => read(e, aty, &at.attr(name), opts)?,
                        None => Value::Null,
                    };
                    Ok((name.clone(), v))
                })
                .collect::<Result<BTreeMap<_, _>, CodecError>>()?;
            Ok(Value::Object(map))
        }
        Type::Dynamic => {
            let obj = j.as_object().ok_or_else(mismatch)?;
            let (Some(tj), Some(vj), 2) = (obj.get("type"), obj.get("value"), obj.len()) else {
                return Err(CodecError::Malformed {
                    path: at.to_path(),
                    message: "a dynamic value is an object with exactly \"type\" and \"value\""
                        .to_owned(),
                });
            };
            let inner = Type::from_json(tj).map_err(|e| CodecError::Malformed {
                path: at.to_path(),
                message: format!("bad type of a dynamic value: {e}"),
            })?;
            let v = read(vj, &inner, at, opts)?;
            Ok(Value::Dynamic(Box::new(inner), Box::new(v)))
        }
    }
}

/// Writes a JSON string literal with the escapes JSON requires.
pub(crate) fn write_json_string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if esc.is_empty() {
            out.extend_from_slice(format!("\\u{b:04x}").as_bytes());
        } else {
            out.extend_from_slice(esc);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

fn write_number(out: &mut Vec<u8>, n: &Number, at: &Trail<'_>) -> Result<(), CodecError> {
    let mut s = String::new();
    match n {
        Number::Int(i) => {
            let _ = write!(s, "{i}");
        }
        Number::Uint(u) => {
            let _ = write!(s, "{u}");
        }
        Number::Float(f) if !f.is_finite() => {
            return Err(CodecError::InvalidNumber {
                path: at.to_path(),
                text: f.to_string(),
            });
        }
        // Debug is the shortest text that parses back to the same f64, with an exponent
        // for large and small magnitudes (Display would spell out 300 zeros).
        Number::Float(f) => match integral_i64(*f) {
            Some(i) => {
                let _ = write!(s, "{i}");
            }
            None => {
                let _ = write!(s, "{f:?}");
            }
        },
        // A bare JSON number only if it reads back as the same number: serde_json parses
        // numbers as f64, refusing one beyond its range (`2e11101`) and rounding an integer
        // beyond its precision, so our decoder could not read back what we wrote.
        Number::Decimal(d) if is_json_number(d) && reads_back_as_f64(d, n) => s.push_str(d),
        // Valid for cty but not JSON number syntax (`+1`, `.5`), or beyond f64: a
        // numeric string, which the decoders (ours and cty's) accept.
        Number::Decimal(d) if is_decimal(d) => {
            write_json_string(out, d);
            return Ok(());
        }
        Number::Decimal(d) => {
            return Err(CodecError::InvalidNumber {
                path: at.to_path(),
                text: d.clone(),
            });
        }
    }
    out.extend_from_slice(s.as_bytes());
    Ok(())
}

/// True if the decimal text, parsed as f64 (as serde_json does), is still the number `n`.
fn reads_back_as_f64(d: &str, n: &Number) -> bool {
    d.parse::<f64>()
        .is_ok_and(|f| f.is_finite() && Number::Float(f) == *n)
}

fn write(out: &mut Vec<u8>, v: &Value, ty: &Type, at: &Trail<'_>) -> Result<(), CodecError> {
    match (ty, v) {
        (_, Value::Null) => out.extend_from_slice(b"null"),
        (_, Value::Unknown) => {
            return Err(CodecError::UnknownInJson { path: at.to_path() });
        }
        (Type::String, Value::String(s)) => write_json_string(out, s),
        (Type::Bool, Value::Bool(b)) => {
            out.extend_from_slice(if *b { b"true" } else { b"false" });
        }
        (Type::Number, Value::Number(n)) => write_number(out, n, at)?,
        (Type::List(et), Value::List(es)) | (Type::Set(et), Value::Set(es)) => {
            out.push(b'[');
            for (i, e) in es.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(out, e, et, &at.index(i))?;
            }
            out.push(b']');
        }
        (Type::Tuple(ets), Value::Tuple(es)) => {
            if ets.len() != es.len() {
                return Err(CodecError::TupleLength {
                    path: at.to_path(),
                    expected: ets.len(),
                    found: es.len(),
                });
            }
            out.push(b'[');
            for (i, (e, et)) in es.iter().zip(ets).enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(out, e, et, &at.index(i))?;
            }
            out.push(b']');
        }
        (Type::Map(et), Value::Map(m)) => {
            out.push(b'{');
            for (i, (k, e)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_json_string(out, k);
                out.push(b':');
                write(out, e, et, &at.key(k))?;
            }
            out.push(b'}');
        }
        (Type::Object { attrs, .. }, Value::Object(m)) => {
            if let Some(extra) = m.keys().find(|k| !attrs.contains_key(*k)) {
                return Err(CodecError::UnsupportedAttribute {
                    path: at.to_path(),
                    name: extra.clone(),
                });
            }
            out.push(b'{');
            for (i, (name, aty)) in attrs.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_json_string(out, name);
                out.push(b':');
                write(
                    out,
                    m.get(name).unwrap_or(&Value::Null),
                    aty,
                    &at.attr(name),
                )?;
            }
            out.push(b'}');
        }
        (Type::Dynamic, Value::Dynamic(inner_ty, inner)) => {
            out.extend_from_slice(b"{\"type\":");
            inner_ty.write_json(out);
            out.extend_from_slice(b",\"value\":");
            write(out, inner, inner_ty, at)?;
            out.push(b'}');
        }
        _ => {
            return Err(CodecError::TypeMismatch {
                path: at.to_path(),
                expected: ty.friendly_name(),
                found: v.kind_name().to_owned(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(v: &Value, t: &Type) -> Option<String> {
        encode(v, t).ok().and_then(|b| String::from_utf8(b).ok())
    }

    #[test]
    fn primitives_and_null() {
        assert_eq!(enc(&Value::Null, &Type::String).as_deref(), Some("null"));
        assert_eq!(
            enc(&Value::string("a\"\n\u{1}"), &Type::String).as_deref(),
            Some(r#""a\"\n\u0001""#)
        );
        assert_eq!(
            decode(br#""a\"\n\u0001""#, &Type::String).ok(),
            Some(Value::string("a\"\n\u{1}"))
        );
        assert_eq!(
            enc(&Value::Bool(false), &Type::Bool).as_deref(),
            Some("false")
        );
        assert_eq!(
            decode(b"null", &Type::map(Type::Bool)).ok(),
            Some(Value::Null)
        );
    }

    #[test]
    fn numbers_as_json_numbers_or_strings() {
        assert_eq!(
            enc(&Value::number(3.0), &Type::Number).as_deref(),
            Some("3")
        );
        assert_eq!(
            enc(&Value::number(0.1), &Type::Number).as_deref(),
            Some("0.1")
        );
        assert_eq!(
            enc(&Value::number(1e300), &Type::Number).as_deref(),
            Some("1e300")
        );
        let big = "123456789012345678901234567890";
        let d = Value::Number(Number::Decimal(big.into()));
        // Beyond f64 precision: quoted, as a bare number would be read back rounded.
        assert_eq!(enc(&d, &Type::Number), Some(format!("\"{big}\"")));
        assert_eq!(
            enc(&Value::Number(Number::Decimal(".5".into())), &Type::Number).as_deref(),
            Some("\".5\"")
        );
        // Beyond f64 range or precision: a numeric string, which our decoder reads back exactly.
        let long = Value::Number(Number::Decimal("-111111110009457087888323093".into()));
        let text = enc(&long, &Type::Number).expect("encodes");
        assert_eq!(text, "\"-111111110009457087888323093\"");
        assert_eq!(decode(text.as_bytes(), &Type::Number).ok(), Some(long));
        let huge = Value::Number(Number::Decimal("2e11101".into()));
        assert_eq!(enc(&huge, &Type::Number).as_deref(), Some("\"2e11101\""));
        assert_eq!(decode(b"\"2e11101\"", &Type::Number).ok(), Some(huge));
        // A numeric string keeps every digit.
        assert_eq!(
            decode(format!("\"{big}\"").as_bytes(), &Type::Number).ok(),
            Some(d)
        );
        assert_eq!(
            decode(b"18446744073709551615", &Type::Number).ok(),
            Some(Value::number(u64::MAX))
        );
        assert_eq!(
            decode(b"-2.5", &Type::Number).ok(),
            Some(Value::number(-2.5))
        );
        assert!(matches!(
            decode(b"\"x\"", &Type::Number),
            Err(CodecError::InvalidNumber { .. })
        ));
        assert!(encode(&Value::number(f64::INFINITY), &Type::Number).is_err());
    }

    #[test]
    fn unknown_cannot_be_json() {
        let t = Type::object([("a", Type::list(Type::String))]);
        let v = Value::object([("a", Value::List(vec![Value::Unknown]))]);
        let err = encode(&v, &t).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("at a[0]: an unknown value cannot be encoded as JSON")
        );
    }

    #[test]
    fn objects_carry_every_attribute_and_reject_unknown_ones() {
        let t = Type::object([("a", Type::String), ("b", Type::Number)]);
        assert_eq!(
            enc(&Value::object([("b", Value::number(1))]), &t).as_deref(),
            Some(r#"{"a":null,"b":1}"#)
        );
        assert_eq!(
            decode(br#"{"a":"x"}"#, &t).ok(),
            Some(Value::object([
                ("a", Value::string("x")),
                ("b", Value::Null)
            ]))
        );
        let err = decode(br#"{"a":"x","c":1}"#, &t)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("at (root): unsupported attribute \"c\" (not in the object type)")
        );
    }

    #[test]
    fn pruning_drops_undeclared_attributes_at_every_depth() {
        let inner = Type::object([("a", Type::String)]);
        let t = Type::object([
            ("l", Type::list(inner.clone())),
            ("t", Type::tuple([inner])),
        ]);
        let raw = br#"{"old":1,"l":[{"a":"x","gone":true}],"t":[{"a":"y","z":null}]}"#;
        assert!(decode(raw, &t).is_err());
        let want = Value::object([
            (
                "l",
                Value::List(vec![Value::object([("a", Value::string("x"))])]),
            ),
            (
                "t",
                Value::Tuple(vec![Value::object([("a", Value::string("y"))])]),
            ),
        ]);
        assert_eq!(
            decode_with(raw, &t, DecodeOptions::PRUNING).ok(),
            Some(want)
        );
    }

    #[test]
    fn collections_tuples_and_dynamic() {
        let t = Type::map(Type::tuple([Type::String, Type::set(Type::Bool)]));
        let v = Value::Map(BTreeMap::from([(
            "k".to_owned(),
            Value::Tuple(vec![
                Value::string("s"),
                Value::Set(vec![Value::Bool(true)]),
            ]),
        )]));
        assert_eq!(enc(&v, &t).as_deref(), Some(r#"{"k":["s",[true]]}"#));
        assert_eq!(decode(br#"{"k":["s",[true]]}"#, &t).ok(), Some(v));
        let d = Value::Dynamic(
            Box::new(Type::list(Type::Number)),
            Box::new(Value::List(vec![Value::number(1)])),
        );
        assert_eq!(
            enc(&d, &Type::Dynamic).as_deref(),
            Some(r#"{"type":["list","number"],"value":[1]}"#)
        );
        assert_eq!(
            decode(br#"{"value":[1],"type":["list","number"]}"#, &Type::Dynamic).ok(),
            Some(d)
        );
        assert!(decode(br#"{"value":[1]}"#, &Type::Dynamic).is_err());
        let err = decode(br#"{"k":["s",[1]]}"#, &t)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("at [\"k\"][1][0]: expected bool, found JSON number")
        );
    }
}
