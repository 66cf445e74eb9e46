//! Schema types as Terraform sees them: plain data, converted to the wire in
//! `convert.rs`. The framework builds these from its attribute builders.

use super::value::Type;

#[derive(Clone, Debug, PartialEq)]
pub struct Schema {
    /// Bumped when the stored state shape changes (drives UpgradeResourceState).
    pub version: i64,
    pub block: Block,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Block {
    pub attributes: Vec<Attribute>,
    pub block_types: Vec<NestedBlock>,
    pub description: Description,
    pub deprecated: bool,
}

/// Plain and markdown forms. Terraform takes one string and a kind: markdown wins when
/// set, because the registry docs render it; the plain form feeds the CLI.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Description {
    pub plain: String,
    pub markdown: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum AttributeType {
    /// A plain cty type (`type` on the wire).
    Type(Type),
    /// A nested attribute (`nested_type` on the wire; `type` must then be empty, or
    /// Terraform rejects the schema: "Type and NestedType cannot both be set").
    Nested(NestedType),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub ty: AttributeType,
    pub description: Description,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    pub write_only: bool,
    pub deprecated: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nesting {
    Single,
    List,
    Set,
    Map,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NestedType {
    pub nesting: Nesting,
    pub attributes: Vec<Attribute>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockNesting {
    Single,
    List,
    Set,
    Map,
    Group,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NestedBlock {
    pub type_name: String,
    pub block: Block,
    pub nesting: BlockNesting,
    pub min_items: i64,
    pub max_items: i64,
}

impl Schema {
    /// The cty object type of a value conforming to this schema.
    pub fn value_type(&self) -> Type {
        self.block.value_type()
    }
}

impl Block {
    pub fn value_type(&self) -> Type {
        let mut attrs: Vec<(String, Type)> = self
            .attributes
            .iter()
            .map(|a| (a.name.clone(), a.value_type()))
            .collect();
        for b in &self.block_types {
            let inner = b.block.value_type();
            let ty = match b.nesting {
                BlockNesting::Single | BlockNesting::Group => inner,
                BlockNesting::List => Type::list(inner),
                BlockNesting::Set => Type::set(inner),
                BlockNesting::Map => Type::map(inner),
            };
            attrs.push((b.type_name.clone(), ty));
        }
        Type::object(attrs)
    }
}

impl Attribute {
    pub fn value_type(&self) -> Type {
        match &self.ty {
            AttributeType::Type(t) => t.clone(),
            AttributeType::Nested(n) => n.value_type(),
        }
    }
}

impl NestedType {
    pub fn value_type(&self) -> Type {
        let obj = Type::object(
            self.attributes
                .iter()
                .map(|a| (a.name.clone(), a.value_type())),
        );
        match self.nesting {
            Nesting::Single => obj,
            Nesting::List => Type::list(obj),
            Nesting::Set => Type::set(obj),
            Nesting::Map => Type::map(obj),
        }
    }
}
