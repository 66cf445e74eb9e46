//! [`Field`]: one attribute of a typed model, keeping Terraform's three states apart.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

/// The newtype name through which [`Field`] asks the cty deserializer for all three states.
pub(crate) const FIELD_TOKEN: &str = "$tf::Field";
/// The unit-struct name through which [`Field::Unknown`] reaches the cty serializer.
pub(crate) const UNKNOWN_TOKEN: &str = "$tf::Unknown";

/// An attribute as Terraform gives it: null (not set), unknown (known only after apply),
/// or a known value. A model field of this type cannot confuse "unset" with "not known yet",
/// which is the difference between "use the default" and "check again at apply".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Field<T> {
    #[default]
    Null,
    Unknown,
    Known(T),
}

impl<T> Field<T> {
    /// The known value, if there is one.
    pub fn known(self) -> Option<T> {
        match self {
            Field::Known(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_ref(&self) -> Field<&T> {
        match self {
            Field::Null => Field::Null,
            Field::Unknown => Field::Unknown,
            Field::Known(v) => Field::Known(v),
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        match self {
            Field::Null => Field::Null,
            Field::Unknown => Field::Unknown,
            Field::Known(v) => Field::Known(f(v)),
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Field::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Field::Unknown)
    }

    pub fn is_known(&self) -> bool {
        matches!(self, Field::Known(_))
    }

    /// Null for `None`, known for `Some`.
    pub fn from_option(v: Option<T>) -> Self {
        v.map_or(Field::Null, Field::Known)
    }
}

impl<T: std::ops::Deref> Field<T> {
    /// `Field<String>` → `Field<&str>`, and the like.
    pub fn as_deref(&self) -> Field<&T::Target> {
        self.as_ref().map(|v| &**v)
    }
}

impl<T> From<T> for Field<T> {
    fn from(v: T) -> Self {
        Field::Known(v)
    }
}

impl<T: Serialize> Serialize for Field<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Null => s.serialize_none(),
            Field::Unknown => s.serialize_unit_struct(UNKNOWN_TOKEN),
            Field::Known(v) => s.serialize_some(v),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_newtype_struct(FIELD_TOKEN, FieldVisitor(PhantomData))
    }
}

struct FieldVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for FieldVisitor<T> {
    type Value = Field<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Terraform value (null, unknown or known)")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Field::Null)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Field::Unknown)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        T::deserialize(d).map(Field::Known)
    }
}
