//! Typed models: a resource reads config, plan and state into a plain struct and writes
//! state from one, one conversion per direction ([`decode`], [`encode`]). Fields are
//! [`Field<T>`], so null, unknown and known stay apart; the [`model!`] macro declares the
//! struct and its attribute names together, so the schema is built from the same names and
//! cannot disagree with the model.

mod de;
mod field;
mod ser;

pub use de::{DecodeError, decode};
pub use field::Field;
pub use ser::encode;

use crate::protocol::value::{PathStep, Value};

/// Reads `value` into `T` even when some attributes hold values `T` cannot take (an enum
/// spelled wrong): each such attribute is read as unknown instead, and its error returned
/// with its path. Config validation uses it so one bad attribute does not hide the checks of
/// the others; an attribute-level validator has already reported the bad value. A field the
/// value lacks altogether is a provider bug and still fails.
pub fn decode_lenient<T: serde::de::DeserializeOwned>(
    value: &Value,
) -> Result<(T, Vec<DecodeError>), DecodeError> {
    let mut work = value.clone();
    let mut errors = Vec::new();
    loop {
        match decode::<T>(&work) {
            Ok(model) => return Ok((model, errors)),
            Err(e) if e.missing || e.path.is_empty() => return Err(e),
            Err(e) => {
                if !replace_at(&mut work, &e.path.steps, Value::Unknown) {
                    return Err(e);
                }
                errors.push(e);
            }
        }
    }
}

/// Replaces the value at `steps`; false if there is none (or it is unknown already).
fn replace_at(v: &mut Value, steps: &[PathStep], new: Value) -> bool {
    let Some((step, rest)) = steps.split_first() else {
        if v.is_unknown() {
            return false;
        }
        *v = new;
        return true;
    };
    let next = match (step, v) {
        (PathStep::Attribute(k), Value::Object(m))
        | (PathStep::ElementKeyString(k), Value::Map(m)) => m.get_mut(k),
        (
            PathStep::ElementKeyInt(i),
            Value::List(items) | Value::Set(items) | Value::Tuple(items),
        ) => usize::try_from(*i).ok().and_then(|i| items.get_mut(i)),
        _ => None,
    };
    next.is_some_and(|n| replace_at(n, rest, new))
}

/// Declares a model struct (fields are usually [`Field<T>`]) together with a names struct
/// that holds each field's attribute name, and the constants `ATTR` (the names) and
/// `ATTR_NAMES` (all of them, in field order). The schema builds its attributes from `ATTR`,
/// so a misspelt name does not compile, and [`check_model`] (run in a unit test) proves that
/// the schema and the model have the same attributes.
///
/// ```ignore
/// model! {
///     #[derive(Debug, Clone, PartialEq)]
///     pub(crate) struct RegistryModel / RegistryAttrs {
///         pub(crate) identifier: Field<String>,
///     }
/// }
/// Attribute::string(RegistryModel::ATTR.identifier)
/// ```
#[allow(unused_macros)] // used by the provider's models
macro_rules! model {
    (
        $(#[$m:meta])*
        $vis:vis struct $name:ident / $names:ident {
            $($(#[$fm:meta])* $fvis:vis $field:ident : $ty:ty),* $(,)?
        }
    ) => {
        $(#[$m])*
        #[derive(serde::Serialize, serde::Deserialize)]
        $vis struct $name {
            $($(#[$fm])* $fvis $field: $ty),*
        }

        /// The attribute name of each field of the model beside it.
        #[derive(Debug, Clone, Copy)]
        #[allow(dead_code)]
        $vis struct $names {
            $(pub(crate) $field: &'static str),*
        }

        #[allow(dead_code)]
        impl $name {
            pub(crate) const ATTR: $names = $names {
                $($field: $crate::framework::model::attr_name(stringify!($field))),*
            };
            pub(crate) const ATTR_NAMES: &'static [&'static str] =
                &[$($crate::framework::model::attr_name(stringify!($field))),*];
        }
    };
}
#[allow(unused_imports)]
pub(crate) use model;

/// The attribute name of a field: its name without the raw-identifier prefix (`r#type` is
/// `type`, as serde names it).
pub const fn attr_name(field: &'static str) -> &'static str {
    match field.as_bytes() {
        [b'r', b'#', ..] => field.split_at(2).1,
        _ => field,
    }
}

/// The attributes of `schema` and the names of a model (its `ATTR_NAMES`) are the same set:
/// `Err` names the differences. For unit tests of each resource.
#[cfg(test)]
pub fn check_model(
    schema: &crate::framework::schema::Schema,
    names: &[&str],
) -> Result<(), String> {
    let in_schema: Vec<&str> = schema.attributes.iter().map(|a| a.name.as_str()).collect();
    let only_schema: Vec<&&str> = in_schema.iter().filter(|n| !names.contains(n)).collect();
    let only_model: Vec<&&str> = names.iter().filter(|n| !in_schema.contains(n)).collect();
    if only_schema.is_empty() && only_model.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "only in the schema: {only_schema:?}; only in the model: {only_model:?}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::value::{AttributePath, Type};

    model! {
        #[derive(Debug, Clone, PartialEq)]
        struct Inner / InnerAttrs {
            name: Field<String>,
        }
    }

    #[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
    enum Colour {
        Red,
        Blue,
    }

    model! {
        #[derive(Debug, Clone, PartialEq)]
        struct Thing / ThingAttrs {
            id: Field<String>,
            count: Field<i64>,
            on: Field<bool>,
            tags: Field<Vec<Field<String>>>,
            colour: Field<Colour>,
            inner: Field<Inner>,
            plain: Option<String>,
        }
    }

    fn ty() -> Type {
        Type::object([
            ("id", Type::String),
            ("count", Type::Number),
            ("on", Type::Bool),
            ("tags", Type::set(Type::String)),
            ("colour", Type::String),
            ("inner", Type::object([("name", Type::String)])),
            ("plain", Type::String),
        ])
    }

    fn value(colour: &str) -> Value {
        Value::object([
            ("id", Value::Unknown),
            ("count", Value::from(3_i64)),
            ("on", Value::Null),
            (
                "tags",
                Value::Set(vec![Value::string("a"), Value::Unknown, Value::Null]),
            ),
            ("colour", Value::string(colour)),
            ("inner", Value::object([("name", Value::string("n"))])),
            ("plain", Value::string("p")),
        ])
    }

    #[test]
    fn null_unknown_and_known_survive_both_directions() {
        let v = value("Red");
        let m: Thing = decode(&v).unwrap();
        assert_eq!(m.id, Field::Unknown);
        assert_eq!(m.count, Field::Known(3));
        assert_eq!(m.on, Field::Null);
        assert_eq!(
            m.tags,
            Field::Known(vec![Field::Known("a".into()), Field::Unknown, Field::Null])
        );
        assert_eq!(m.colour, Field::Known(Colour::Red));
        assert_eq!(
            m.inner,
            Field::Known(Inner {
                name: Field::Known("n".into())
            })
        );
        assert_eq!(encode(&m, &ty()).unwrap(), v);
        assert_eq!(Thing::ATTR.colour, "colour");
        assert_eq!(Thing::ATTR_NAMES.len(), 7);
    }

    #[test]
    fn errors_name_the_attribute() {
        let e = decode::<Thing>(&value("Green")).unwrap_err();
        assert_eq!(e.path, AttributePath::root("colour"));
        assert!(!e.missing);
        let mut v = value("Red");
        if let Value::Object(m) = &mut v {
            m.remove("on");
        }
        let e = decode::<Thing>(&v).unwrap_err();
        assert!(e.missing && e.message.contains("`on`"), "{e}");
        let mut v = value("Red");
        if let Value::Object(m) = &mut v {
            m.insert("plain".into(), Value::Unknown);
        }
        assert_eq!(
            decode::<Thing>(&v).unwrap_err().path,
            AttributePath::root("plain")
        );
    }

    #[test]
    fn lenient_reads_a_bad_value_as_unknown() {
        let (m, errors) = decode_lenient::<Thing>(&value("Green")).unwrap();
        assert_eq!(m.colour, Field::Unknown);
        assert_eq!(m.count, Field::Known(3));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].path, AttributePath::root("colour"));
    }

    #[test]
    fn encode_refuses_a_model_that_is_not_the_schema() {
        let m: Thing = decode(&value("Blue")).unwrap();
        let mut t = ty();
        if let Type::Object { attrs, .. } = &mut t {
            attrs.insert("extra".into(), Type::String);
        }
        let e = encode(&m, &t).unwrap_err();
        assert!(e.to_string().contains("no field `extra`"), "{e}");
    }
}
