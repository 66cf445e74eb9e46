//! Property and byte-vector tests of the cty value codec (`protocol::value`): random values
//! of random types round-trip through msgpack (with nulls and unknowns at every depth) and
//! JSON (nulls only: unknown has no JSON form), and the byte forms Terraform sends decode.

use std::collections::BTreeMap;

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::strategy::Union;

use terraform_provider_har::protocol::value::{CodecError, Number, Type, Value, json, msgpack};

// ---------------------------------------------------------------------------------------
// Strategies

fn attr_name() -> impl Strategy<Value = String> {
    "[a-z_][a-z0-9_]{0,8}"
}

fn primitive_type() -> impl Strategy<Value = Type> {
    prop_oneof![Just(Type::String), Just(Type::Number), Just(Type::Bool)]
}

/// Random types up to a few levels deep; `dynamic` allows `Type::Dynamic` leaves.
fn arb_type(dynamic: bool) -> BoxedStrategy<Type> {
    let leaf = if dynamic {
        prop_oneof![4 => primitive_type(), 1 => Just(Type::Dynamic)].boxed()
    } else {
        primitive_type().boxed()
    };
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(Type::list),
            inner.clone().prop_map(Type::set),
            inner.clone().prop_map(Type::map),
            vec(inner.clone(), 0..4).prop_map(Type::Tuple),
            (btree_map(attr_name(), inner, 0..5), any::<u64>()).prop_map(|(attrs, mask)| {
                // A random subset of the attributes is optional.
                let optional = attrs
                    .keys()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << (i % 64)) != 0)
                    .map(|(_, k)| k.clone())
                    .collect();
                Type::Object { attrs, optional }
            }),
        ]
    })
    .boxed()
}

/// Which encoding a value is generated for: JSON has no unknowns, and rounds JSON numbers
/// beyond f64 precision (serde_json without arbitrary_precision), so its decimals are
/// limited to forms that survive.
#[derive(Clone, Copy, PartialEq)]
enum Wire {
    Msgpack,
    Json,
}

fn arb_number(wire: Wire) -> BoxedStrategy<Number> {
    let finite = any::<f64>().prop_filter("finite", |f| f.is_finite());
    let common = prop_oneof![
        any::<i64>().prop_map(Number::Int),
        (i64::MAX as u64 + 1..=u64::MAX).prop_map(Number::Uint),
        finite.prop_map(Number::Float),
        (-1000i64..1000).prop_map(|i| Number::Float(i as f64 / 8.0)),
    ];
    match wire {
        Wire::Msgpack => prop_oneof![
            4 => common,
            1 => Just(Number::Float(f64::INFINITY)),
            1 => "[1-9][0-9]{20,40}".prop_map(Number::Decimal),
            1 => "-?[0-9]{1,3}\\.[0-9]{20,30}".prop_map(Number::Decimal),
            1 => "-?[1-9]\\.[0-9]{1,12}e[+-]?[4-9][0-9]{2,3}".prop_map(Number::Decimal),
        ]
        .boxed(),
        // Written as a JSON string (not JSON number syntax), so it stays exact.
        Wire::Json => {
            prop_oneof![4 => common, 1 => "\\.[0-9]{20,30}".prop_map(Number::Decimal)].boxed()
        }
    }
}

/// A value of `ty`: null, unknown (msgpack only) or known, at every depth.
fn arb_value(ty: &Type, wire: Wire) -> BoxedStrategy<Value> {
    let mut options = vec![(6, known_value(ty, wire)), (1, Just(Value::Null).boxed())];
    if wire == Wire::Msgpack {
        options.push((1, Just(Value::Unknown).boxed()));
    }
    Union::new_weighted(options).boxed()
}

fn known_value(ty: &Type, wire: Wire) -> BoxedStrategy<Value> {
    match ty {
        Type::String => any::<String>().prop_map(Value::String).boxed(),
        Type::Number => arb_number(wire).prop_map(Value::Number).boxed(),
        Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Type::List(et) => vec(arb_value(et, wire), 0..4).prop_map(Value::List).boxed(),
        Type::Set(et) => vec(arb_value(et, wire), 0..4).prop_map(Value::Set).boxed(),
        Type::Map(et) => btree_map("\\PC{0,6}", arb_value(et, wire), 0..4)
            .prop_map(Value::Map)
            .boxed(),
        Type::Tuple(ets) => ets
            .iter()
            .map(|t| arb_value(t, wire))
            .collect::<Vec<_>>()
            .prop_map(Value::Tuple)
            .boxed(),
        Type::Object { attrs, .. } => attrs
            .iter()
            .map(|(k, t)| {
                let k = k.clone();
                arb_value(t, wire).prop_map(move |v| (k.clone(), v))
            })
            .collect::<Vec<_>>()
            .prop_map(|kvs| Value::Object(kvs.into_iter().collect()))
            .boxed(),
        // A known dynamic value carries a concrete type; its inner value may itself be a
        // typed null or unknown, as cty sends `[type, nil]`.
        Type::Dynamic => arb_type(false)
            .prop_flat_map(move |t| {
                let boxed = Box::new(t.clone());
                arb_value(&t, wire).prop_map(move |v| Value::Dynamic(boxed.clone(), Box::new(v)))
            })
            .boxed(),
    }
}

fn typed_value(wire: Wire) -> impl Strategy<Value = (Type, Value)> {
    arb_type(true).prop_flat_map(move |t| {
        let v = arb_value(&t, wire);
        (Just(t), v)
    })
}

/// Removes every other attribute of every object, at every depth.
fn drop_attributes(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .enumerate()
                .filter(|(i, _)| i % 2 == 1)
                .map(|(_, (k, v))| (k.clone(), drop_attributes(v)))
                .collect(),
        ),
        Value::List(es) => Value::List(es.iter().map(drop_attributes).collect()),
        Value::Set(es) => Value::Set(es.iter().map(drop_attributes).collect()),
        Value::Tuple(es) => Value::Tuple(es.iter().map(drop_attributes).collect()),
        Value::Map(m) => Value::Map(
            m.iter()
                .map(|(k, v)| (k.clone(), drop_attributes(v)))
                .collect(),
        ),
        Value::Dynamic(t, v) => Value::Dynamic(t.clone(), Box::new(drop_attributes(v))),
        other => other.clone(),
    }
}

/// What decoding makes of a value with dropped attributes: every dropped one is null.
fn refill(v: &Value, ty: &Type) -> Value {
    match (v, ty) {
        (Value::Object(m), Type::Object { attrs, .. }) => Value::Object(
            attrs
                .iter()
                .map(|(k, t)| (k.clone(), m.get(k).map_or(Value::Null, |v| refill(v, t))))
                .collect(),
        ),
        (Value::List(es), Type::List(t)) => Value::List(es.iter().map(|e| refill(e, t)).collect()),
        (Value::Set(es), Type::Set(t)) => Value::Set(es.iter().map(|e| refill(e, t)).collect()),
        (Value::Map(m), Type::Map(t)) => {
            Value::Map(m.iter().map(|(k, e)| (k.clone(), refill(e, t))).collect())
        }
        (Value::Tuple(es), Type::Tuple(ts)) => {
            Value::Tuple(es.iter().zip(ts).map(|(e, t)| refill(e, t)).collect())
        }
        (Value::Dynamic(t, v), Type::Dynamic) => Value::Dynamic(t.clone(), Box::new(refill(v, t))),
        (other, _) => other.clone(),
    }
}

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value as J;
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        any::<i64>().prop_map(J::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(J::from),
        prop_oneof![
            Just("string".to_owned()),
            Just("number".to_owned()),
            Just("12".to_owned()),
            ".{0,4}".prop_map(|s: String| s)
        ]
        .prop_map(J::String),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(J::Array),
            btree_map(
                prop_oneof![
                    Just("type".to_owned()),
                    Just("value".to_owned()),
                    attr_name()
                ],
                inner,
                0..4
            )
            .prop_map(|m| J::Object(m.into_iter().collect())),
        ]
    })
}

/// Adds an attribute `zz_removed` to every object in `j` that `ty` says is an object.
fn inject_extra(j: &mut serde_json::Value, ty: &Type) -> bool {
    use serde_json::Value as J;
    match (j, ty) {
        (J::Object(m), Type::Object { attrs, .. }) => {
            for (k, t) in attrs {
                if let Some(e) = m.get_mut(k) {
                    inject_extra(e, t);
                }
            }
            m.insert("zz_removed".to_owned(), serde_json::json!({"old": [1, 2]}));
            true
        }
        (J::Array(es), Type::List(t) | Type::Set(t)) => {
            es.iter_mut().fold(false, |acc, e| inject_extra(e, t) | acc)
        }
        (J::Array(es), Type::Tuple(ts)) => es
            .iter_mut()
            .zip(ts)
            .fold(false, |acc, (e, t)| inject_extra(e, t) | acc),
        (J::Object(m), Type::Map(t)) => m
            .values_mut()
            .fold(false, |acc, e| inject_extra(e, t) | acc),
        (J::Object(m), Type::Dynamic) => {
            let inner = m.get("type").and_then(|tj| Type::from_json(tj).ok());
            match (m.get_mut("value"), inner) {
                (Some(e), Some(t)) => inject_extra(e, &t),
                _ => false,
            }
        }
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn msgpack_round_trips((ty, v) in typed_value(Wire::Msgpack)) {
        let bytes = msgpack::encode(&v, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back = msgpack::decode(&bytes, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&back, &v);
        // Encoding is canonical: the decoded value encodes to the same bytes.
        prop_assert_eq!(msgpack::encode(&back, &ty).ok(), Some(bytes));
    }

    #[test]
    fn json_round_trips((ty, v) in typed_value(Wire::Json)) {
        let bytes = json::encode(&v, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(serde_json::from_slice::<serde_json::Value>(&bytes).is_ok(), "not JSON");
        let back = json::decode(&bytes, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&back, &v);
    }

    /// The streaming decoder and the tree walk (`from_json`) agree, on values of the right
    /// type and on values of some other type.
    #[test]
    fn json_streaming_and_tree_decoding_agree(
        (ty, v) in typed_value(Wire::Json),
        other in arb_type(true),
    ) {
        let bytes = json::encode(&v, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let tree: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(json::decode(&bytes, &ty).ok(), json::from_json(&tree, &ty).ok());
        let streamed = json::decode(&bytes, &other);
        let walked = json::from_json(&tree, &other);
        prop_assert_eq!(streamed.is_ok(), walked.is_ok(), "{:?} vs {:?}", streamed, walked);
        prop_assert_eq!(streamed.ok(), walked.ok());
    }

    /// Stored state from an older schema: extra attributes anywhere are dropped by PRUNING
    /// and named by the strict decoder.
    #[test]
    fn pruning_ignores_extra_attributes((ty, v) in typed_value(Wire::Json)) {
        let bytes = json::encode(&v, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut tree: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let injected = inject_extra(&mut tree, &ty);
        let bytes = serde_json::to_vec(&tree).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let pruned = json::decode_with(&bytes, &ty, json::DecodeOptions::PRUNING);
        prop_assert_eq!(pruned.ok(), Some(v));
        let strict = json::decode(&bytes, &ty);
        if injected {
            let named = matches!(&strict, Err(CodecError::UnsupportedAttribute { name, .. }) if name == "zz_removed");
            prop_assert!(named, "{:?}", strict);
        } else {
            prop_assert!(strict.is_ok());
        }
    }

    #[test]
    fn type_notation_round_trips(ty in arb_type(true)) {
        let bytes = ty.to_json_bytes();
        prop_assert_eq!(serde_json::from_slice::<serde_json::Value>(&bytes).ok(), Some(ty.to_json()));
        prop_assert_eq!(Type::from_json_bytes(&bytes).ok(), Some(ty));
    }

    #[test]
    fn missing_attributes_encode_as_null((ty, v) in typed_value(Wire::Msgpack)) {
        let sparse = drop_attributes(&v);
        let want = refill(&sparse, &ty);
        let bytes = msgpack::encode(&sparse, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(msgpack::decode(&bytes, &ty).ok(), Some(want));
    }

    #[test]
    fn json_and_msgpack_agree((ty, v) in typed_value(Wire::Json)) {
        let from_json = json::decode(&json::encode(&v, &ty).unwrap_or_default(), &ty).ok();
        let from_msgpack = msgpack::decode(&msgpack::encode(&v, &ty).unwrap_or_default(), &ty).ok();
        prop_assert!(from_json.is_some());
        prop_assert_eq!(from_json, from_msgpack);
    }

    #[test]
    fn unknown_anywhere_is_refused_by_json((ty, v) in typed_value(Wire::Msgpack)) {
        let r = json::encode(&v, &ty);
        if v.is_wholly_known() {
            let refused = matches!(r, Err(CodecError::UnknownInJson { .. }));
            prop_assert!(!refused);
        } else {
            // The first problem met wins: an infinity before the unknown is refused too.
            let refused = matches!(&r, Err(CodecError::UnknownInJson { .. }))
                || matches!(&r, Err(CodecError::InvalidNumber { text, .. }) if text.ends_with("inf"));
            prop_assert!(refused, "{:?}", r);
        }
    }

    /// Hostile or truncated input is an error, never a panic or a huge allocation.
    #[test]
    fn garbage_never_panics(ty in arb_type(true), bytes in vec(any::<u8>(), 0..64)) {
        let _ = msgpack::decode(&bytes, &ty);
        let _ = json::decode(&bytes, &ty);
    }

    /// Arbitrary JSON documents read as arbitrary types: never a panic, and the streaming
    /// decoder accepts exactly what the tree walk accepts.
    #[test]
    fn arbitrary_json_never_panics(j in arb_json(), ty in arb_type(true)) {
        let bytes = serde_json::to_vec(&j).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let streamed = json::decode(&bytes, &ty);
        let walked = json::from_json(&j, &ty);
        prop_assert_eq!(streamed.is_ok(), walked.is_ok(), "{:?} vs {:?}", streamed, walked);
        prop_assert_eq!(streamed.ok(), walked.ok());
    }

    #[test]
    fn truncated_encodings_are_errors((ty, v) in typed_value(Wire::Msgpack), cut in any::<prop::sample::Index>()) {
        let bytes = msgpack::encode(&v, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let cut = cut.index(bytes.len());
        prop_assert!(msgpack::decode(&bytes[..cut], &ty).is_err());
    }

    #[test]
    fn integers_decode_in_every_msgpack_width(i in any::<i64>()) {
        // rmp's compact writer picks the smallest width; also force the widest forms.
        let mut compact = Vec::new();
        rmp::encode::write_sint(&mut compact, i).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut wide = Vec::new();
        rmp::encode::write_i64(&mut wide, i).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for bytes in [compact, wide] {
            prop_assert_eq!(msgpack::decode(&bytes, &Type::Number).ok(), Some(Value::number(i)));
        }
        if let Ok(u) = u64::try_from(i) {
            let mut as_u64 = Vec::new();
            rmp::encode::write_u64(&mut as_u64, u).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(msgpack::decode(&as_u64, &Type::Number).ok(), Some(Value::number(i)));
        }
    }

    #[test]
    fn floats_decode_from_float32_and_float64(f in any::<f32>().prop_filter("finite", |f| f.is_finite())) {
        let mut b32 = Vec::new();
        rmp::encode::write_f32(&mut b32, f).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut b64 = Vec::new();
        rmp::encode::write_f64(&mut b64, f64::from(f)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let want = Some(Value::number(f64::from(f)));
        prop_assert_eq!(msgpack::decode(&b32, &Type::Number).ok(), want.clone());
        prop_assert_eq!(msgpack::decode(&b64, &Type::Number).ok(), want);
    }

    #[test]
    fn decimal_strings_decode_exactly(digits in "[1-9][0-9]{19,60}", frac in "[0-9]{0,30}") {
        let text = if frac.is_empty() { digits } else { format!("{digits}.{frac}") };
        let mut bytes = Vec::new();
        rmp::encode::write_str(&mut bytes, &text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        match msgpack::decode(&bytes, &Type::Number) {
            // Fits u64: normalised.
            Ok(Value::Number(Number::Uint(u))) => prop_assert_eq!(u.to_string(), text),
            Ok(Value::Number(Number::Decimal(d))) => prop_assert_eq!(d, text),
            other => prop_assert!(false, "{:?}", other),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Fixed byte vectors, as Terraform sends them

fn msgpack_str(s: &str) -> Vec<u8> {
    let mut b = Vec::new();
    let _ = rmp::encode::write_str(&mut b, s);
    b
}

fn registry_type() -> Type {
    Type::object_with_optional(
        [
            ("identifier", Type::String),
            ("upstream_proxies", Type::list(Type::String)),
            ("labels", Type::map(Type::String)),
            ("size", Type::Number),
        ],
        ["labels"],
    )
}

#[test]
fn unknown_ext0_is_unknown() {
    assert_eq!(
        msgpack::decode(&[0xd4, 0x00, 0x00], &Type::String).ok(),
        Some(Value::Unknown)
    );
    assert_eq!(
        msgpack::encode(&Value::Unknown, &registry_type()).ok(),
        Some(vec![0xd4, 0x00, 0x00])
    );
}

#[test]
fn refined_unknowns_are_unknown() {
    // ext 12 payload: {1: false (not null), 2: "har-" (string prefix)}.
    let mut payload = Vec::new();
    let _ = rmp::encode::write_map_len(&mut payload, 2);
    let _ = rmp::encode::write_uint(&mut payload, 1);
    let _ = rmp::encode::write_bool(&mut payload, false);
    let _ = rmp::encode::write_uint(&mut payload, 2);
    let _ = rmp::encode::write_str(&mut payload, "har-");
    let mut ext8 = vec![0xc7, payload.len() as u8, 12];
    ext8.extend_from_slice(&payload);
    assert_eq!(
        msgpack::decode(&ext8, &Type::String).ok(),
        Some(Value::Unknown)
    );

    // Number bounds {3: [0, true], 4: [10, false]} inside a list, with ext16 framing.
    let mut payload = Vec::new();
    let _ = rmp::encode::write_map_len(&mut payload, 2);
    for (key, bound, inclusive) in [(3u64, 0i64, true), (4, 10, false)] {
        let _ = rmp::encode::write_uint(&mut payload, key);
        let _ = rmp::encode::write_array_len(&mut payload, 2);
        let _ = rmp::encode::write_sint(&mut payload, bound);
        let _ = rmp::encode::write_bool(&mut payload, inclusive);
    }
    let mut list = vec![0x92, 0x05, 0xc8, 0x00, payload.len() as u8, 12];
    list.extend_from_slice(&payload);
    assert_eq!(
        msgpack::decode(&list, &Type::list(Type::Number)).ok(),
        Some(Value::List(vec![Value::number(5), Value::Unknown]))
    );

    // A collection length refinement {5: 1} padded into a fixext4, {6: 3} as ext8, and
    // ext codes Terraform may define later, in every ext framing.
    for bytes in [
        &[0xd6, 12, 0x81, 0x05, 0x01, 0xc0][..],
        &[0xc7, 0x03, 12, 0x81, 0x06, 0x03][..],
        &[0xd4, 0x07, 0xff][..],
        &[0xd7, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0][..],
        &[0xd8, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0][..],
        &[0xc9, 0x00, 0x00, 0x00, 0x01, 0x20, 0x00][..],
    ] {
        let got = msgpack::decode(bytes, &Type::set(Type::String));
        assert_eq!(got.ok(), Some(Value::Unknown), "{bytes:x?}");
    }
    // The payload is skipped by its length, so what follows still decodes.
    let tuple = Type::tuple([Type::String, Type::Bool]);
    let bytes = [0x92, 0xd6, 12, 0x81, 0x05, 0x01, 0xc0, 0xc3];
    assert_eq!(
        msgpack::decode(&bytes, &tuple).ok(),
        Some(Value::Tuple(vec![Value::Unknown, Value::Bool(true)]))
    );
}

#[test]
fn nil_is_null_at_every_level() {
    let ty = registry_type();
    assert_eq!(msgpack::decode(&[0xc0], &ty).ok(), Some(Value::Null));
    let mut bytes = vec![0x84];
    for k in ["identifier", "labels", "size", "upstream_proxies"] {
        bytes.extend(msgpack_str(k));
        bytes.push(0xc0);
    }
    assert_eq!(
        msgpack::decode(&bytes, &ty).ok(),
        Some(Value::null_object(&ty))
    );
    assert_eq!(
        msgpack::encode(&Value::null_object(&ty), &ty).ok(),
        Some(bytes)
    );
}

#[test]
fn dynamic_pairs_decode() {
    // ["object",{"a":"string"}] as bin8, then {"a": "x"}.
    let type_json = br#"["object",{"a":"string"}]"#;
    let mut bytes = vec![0x92, 0xc4, type_json.len() as u8];
    bytes.extend_from_slice(type_json);
    bytes.push(0x81);
    bytes.extend(msgpack_str("a"));
    bytes.extend(msgpack_str("x"));
    let want = Value::Dynamic(
        Box::new(Type::object([("a", Type::String)])),
        Box::new(Value::object([("a", Value::string("x"))])),
    );
    assert_eq!(
        msgpack::decode(&bytes, &Type::Dynamic).ok(),
        Some(want.clone())
    );
    assert_eq!(msgpack::encode(&want, &Type::Dynamic).ok(), Some(bytes));
    // Unknown inside the pair, unknown and null as the whole dynamic.
    let mut bytes = vec![0x92, 0xc4, 8];
    bytes.extend_from_slice(b"\"number\"");
    bytes.extend_from_slice(&[0xd4, 0, 0]);
    assert_eq!(
        msgpack::decode(&bytes, &Type::Dynamic).ok(),
        Some(Value::Dynamic(
            Box::new(Type::Number),
            Box::new(Value::Unknown)
        ))
    );
    assert_eq!(
        msgpack::decode(&[0xd4, 0, 0], &Type::Dynamic).ok(),
        Some(Value::Unknown)
    );
    assert_eq!(
        msgpack::decode(&[0xc0], &Type::Dynamic).ok(),
        Some(Value::Null)
    );
    // A bad type inside is an error, not a panic.
    let mut bytes = vec![0x92, 0xc4, 5];
    bytes.extend_from_slice(b"\"str\"");
    bytes.push(0xc0);
    assert!(msgpack::decode(&bytes, &Type::Dynamic).is_err());
}

#[test]
fn object_missing_a_key_decodes_leniently_and_encodes_nil() {
    let ty = registry_type();
    let mut bytes = vec![0x81];
    bytes.extend(msgpack_str("identifier"));
    bytes.extend(msgpack_str("docker-main"));
    let v = msgpack::decode(&bytes, &ty).ok();
    let want = Value::object([
        ("identifier", Value::string("docker-main")),
        ("labels", Value::Null),
        ("size", Value::Null),
        ("upstream_proxies", Value::Null),
    ]);
    assert_eq!(v, Some(want.clone()));
    let sparse = Value::object([("identifier", Value::string("docker-main"))]);
    assert_eq!(
        msgpack::encode(&sparse, &ty).ok(),
        msgpack::encode(&want, &ty).ok()
    );
    let out = msgpack::encode(&sparse, &ty).unwrap_or_default();
    assert_eq!(out.first(), Some(&0x84), "all four keys are written");
}

#[test]
fn object_with_an_unknown_key_is_an_error_naming_it() {
    let ty = Type::object([("proxies", Type::list(registry_type()))]);
    let mut bytes = vec![0x81];
    bytes.extend(msgpack_str("proxies"));
    bytes.push(0x91);
    bytes.push(0x81);
    bytes.extend(msgpack_str("colour"));
    bytes.extend(msgpack_str("blue"));
    let err = msgpack::decode(&bytes, &ty).err();
    let msg = err.as_ref().map(ToString::to_string).unwrap_or_default();
    assert_eq!(
        msg,
        "at proxies[0]: unsupported attribute \"colour\" (not in the object type)"
    );
    assert_eq!(
        err.and_then(|e| e.path().cloned()).map(|p| p.to_string()),
        Some("proxies[0]".to_owned())
    );
}

#[test]
fn terraform_number_forms_decode() {
    let cases: Vec<(Vec<u8>, Number)> = vec![
        (vec![0x2a], Number::Int(42)),
        (vec![0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0], Number::Int(i64::MIN)),
        (vec![0xcf, 0x80, 0, 0, 0, 0, 0, 0, 0], Number::Uint(1 << 63)),
        (
            [vec![0xca], 1.5f32.to_be_bytes().to_vec()].concat(),
            Number::Float(1.5),
        ),
        (
            [vec![0xcb], 0.1f64.to_be_bytes().to_vec()].concat(),
            Number::Float(0.1),
        ),
        (
            msgpack_str("3.14159265358979323846264338327950288"),
            Number::Decimal("3.14159265358979323846264338327950288".into()),
        ),
        (msgpack_str("1e1000"), Number::Decimal("1e1000".into())),
        (
            msgpack_str("-98765432109876543210987654321"),
            Number::Decimal("-98765432109876543210987654321".into()),
        ),
        (msgpack_str("123"), Number::Int(123)),
    ];
    for (bytes, want) in cases {
        match msgpack::decode(&bytes, &Type::Number) {
            Ok(Value::Number(got)) => {
                assert_eq!(got, want, "{bytes:x?}");
                // And the decoded form encodes back to something that decodes equal.
                let again = msgpack::encode(&Value::Number(got), &Type::Number).unwrap_or_default();
                assert_eq!(
                    msgpack::decode(&again, &Type::Number).ok(),
                    Some(Value::Number(want))
                );
            }
            other => panic!("{bytes:x?}: {other:?}"),
        }
    }
}

#[test]
fn json_raw_state_decodes() {
    let ty = registry_type();
    let raw = br#"{"identifier":"docker-main","upstream_proxies":["quay","dockerhub"],"labels":{"env":"prod"},"size":"12345678901234567890123"}"#;
    let got = json::decode(raw, &ty).ok();
    let want = Value::object([
        ("identifier", Value::string("docker-main")),
        (
            "upstream_proxies",
            Value::List(vec![Value::string("quay"), Value::string("dockerhub")]),
        ),
        (
            "labels",
            Value::Map(BTreeMap::from([("env".to_owned(), Value::string("prod"))])),
        ),
        (
            "size",
            Value::Number(Number::Decimal("12345678901234567890123".into())),
        ),
    ]);
    assert_eq!(got, Some(want));
    let err = json::decode(br#"{"identifier":1}"#, &ty)
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("at identifier: expected string, found JSON number")
    );
}
