//! Schema builders that read like documentation:
//!
//! ```ignore
//! Attribute::string("identifier")
//!     .required()
//!     .description("Registry name.")
//!     .validate(one_of(["a", "b"]))
//!     .plan_modifier(RequiresReplace)
//! ```

use std::sync::Arc;

use super::config_validators::ConfigValidator;
use super::plan_modifiers::PlanModifier;
use super::validators::Validator;
use crate::protocol::schema as ps;
use crate::protocol::value::Type;

/// A resource, data source or provider schema: a version and a list of attributes.
#[derive(Clone, Default)]
pub struct Schema {
    pub(crate) version: i64,
    pub(crate) description: ps::Description,
    pub(crate) attributes: Vec<Attribute>,
    /// Rules across attributes, run after the attribute validators and listed in the docs.
    pub(crate) validators: Vec<Arc<dyn ConfigValidator>>,
}

impl Schema {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn version(mut self, v: i64) -> Self {
        self.version = v;
        self
    }

    pub(crate) fn description(mut self, d: impl Into<String>) -> Self {
        self.description.plain = d.into();
        self
    }

    pub fn attribute(mut self, a: Attribute) -> Self {
        self.attributes.push(a);
        self
    }

    pub(crate) fn attributes(mut self, attrs: impl IntoIterator<Item = Attribute>) -> Self {
        self.attributes.extend(attrs);
        self
    }

    /// Add a rule across attributes ("required when", "exactly one of", ...).
    pub fn validator(mut self, v: impl ConfigValidator + 'static) -> Self {
        self.validators.push(Arc::new(v));
        self
    }

    pub fn get(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// The cty object type of a value of this schema.
    pub fn value_type(&self) -> Type {
        Type::object(
            self.attributes
                .iter()
                .map(|a| (a.name.clone(), a.value_type())),
        )
    }

    /// The protocol form sent in GetProviderSchema.
    pub(crate) fn to_protocol(&self) -> ps::Schema {
        ps::Schema {
            version: self.version,
            block: ps::Block {
                attributes: self.attributes.iter().map(Attribute::to_protocol).collect(),
                description: self.description.clone(),
                deprecated: false,
            },
        }
    }
}

/// How an attribute's value is shaped.
#[derive(Clone)]
pub(crate) enum Kind {
    Type(Type),
    Nested(ps::Nesting, Vec<Attribute>),
}

/// One attribute, with the rules that apply to it.
#[derive(Clone)]
pub struct Attribute {
    pub(crate) name: String,
    pub(crate) kind: Kind,
    pub(crate) description: ps::Description,
    pub(crate) required: bool,
    pub(crate) optional: bool,
    pub(crate) computed: bool,
    pub(crate) sensitive: bool,
    pub(crate) write_only: bool,
    pub(crate) deprecated: bool,
    pub(crate) validators: Vec<Arc<dyn Validator>>,
    pub(crate) plan_modifiers: Vec<Arc<dyn PlanModifier>>,
}

impl Attribute {
    pub(crate) fn new(name: impl Into<String>, ty: Type) -> Self {
        Self::with_kind(name, Kind::Type(ty))
    }

    fn with_kind(name: impl Into<String>, kind: Kind) -> Self {
        Self {
            name: name.into(),
            kind,
            description: ps::Description::default(),
            required: false,
            optional: false,
            computed: false,
            sensitive: false,
            write_only: false,
            deprecated: false,
            validators: Vec::new(),
            plan_modifiers: Vec::new(),
        }
    }

    pub fn string(name: impl Into<String>) -> Self {
        Self::new(name, Type::String)
    }
    pub(crate) fn bool(name: impl Into<String>) -> Self {
        Self::new(name, Type::Bool)
    }
    /// A whole number; cty has a single number type, so this is `number` on the wire.
    pub(crate) fn int64(name: impl Into<String>) -> Self {
        Self::new(name, Type::Number)
    }
    pub(crate) fn map(name: impl Into<String>, element: Type) -> Self {
        Self::new(name, Type::map(element))
    }
    pub(crate) fn list(name: impl Into<String>, element: Type) -> Self {
        Self::new(name, Type::list(element))
    }
    /// `list(string)`, the most common collection.
    pub(crate) fn string_list(name: impl Into<String>) -> Self {
        Self::list(name, Type::String)
    }
    /// `attr = { ... }`
    pub fn single_nested(name: impl Into<String>, attrs: Vec<Attribute>) -> Self {
        Self::with_kind(name, Kind::Nested(ps::Nesting::Single, attrs))
    }
    /// `attr = [{ ... }, ...]`
    pub(crate) fn list_nested(name: impl Into<String>, attrs: Vec<Attribute>) -> Self {
        Self::with_kind(name, Kind::Nested(ps::Nesting::List, attrs))
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub fn optional(mut self) -> Self {
        self.optional = true;
        self
    }
    pub fn computed(mut self) -> Self {
        self.computed = true;
        self
    }
    pub(crate) fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
    /// Never stored in state or plan (Terraform 1.11+).
    pub fn write_only(mut self) -> Self {
        self.write_only = true;
        self
    }
    pub(crate) fn description(mut self, d: impl Into<String>) -> Self {
        self.description.plain = d.into();
        self
    }
    /// Run `v` on the attribute's known, non-null value at validate time.
    pub fn validate(mut self, v: impl Validator + 'static) -> Self {
        self.validators.push(Arc::new(v));
        self
    }
    pub fn plan_modifier(mut self, m: impl PlanModifier + 'static) -> Self {
        self.plan_modifiers.push(Arc::new(m));
        self
    }

    pub(crate) fn nested_attributes(&self) -> Option<(ps::Nesting, &[Attribute])> {
        match &self.kind {
            Kind::Nested(n, attrs) => Some((*n, attrs)),
            Kind::Type(_) => None,
        }
    }

    pub(crate) fn value_type(&self) -> Type {
        match &self.kind {
            Kind::Type(t) => t.clone(),
            Kind::Nested(n, attrs) => {
                let obj = Type::object(attrs.iter().map(|a| (a.name.clone(), a.value_type())));
                match n {
                    ps::Nesting::Single => obj,
                    ps::Nesting::List => Type::list(obj),
                }
            }
        }
    }

    pub(crate) fn to_protocol(&self) -> ps::Attribute {
        ps::Attribute {
            name: self.name.clone(),
            ty: match &self.kind {
                Kind::Type(t) => ps::AttributeType::Type(t.clone()),
                Kind::Nested(n, attrs) => ps::AttributeType::Nested(ps::NestedType {
                    nesting: *n,
                    attributes: attrs.iter().map(Attribute::to_protocol).collect(),
                }),
            },
            description: self.description.clone(),
            required: self.required,
            optional: self.optional,
            computed: self.computed,
            sensitive: self.sensitive,
            write_only: self.write_only,
            deprecated: self.deprecated,
        }
    }
}
