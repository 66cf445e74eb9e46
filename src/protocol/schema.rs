//! Schema types as Terraform sees them: plain data, converted to the wire in
//! `convert.rs`. The framework builds these from its attribute builders.

use super::value::Type;

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Schema {
    /// Bumped when the stored state shape changes (drives UpgradeResourceState).
    pub(crate) version: i64,
    pub(crate) block: Block,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Block {
    pub(crate) attributes: Vec<Attribute>,
    pub(crate) description: Description,
    pub(crate) deprecated: bool,
}

/// Plain and markdown forms. Terraform takes one string and a kind: markdown wins when
/// set, because the registry docs render it; the plain form feeds the CLI.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Description {
    pub(crate) plain: String,
    pub(crate) markdown: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum AttributeType {
    /// A plain cty type (`type` on the wire).
    Type(Type),
    /// A nested attribute (`nested_type` on the wire; `type` must then be empty, or
    /// Terraform rejects the schema: "Type and NestedType cannot both be set").
    Nested(NestedType),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Attribute {
    pub(crate) name: String,
    pub(crate) ty: AttributeType,
    pub(crate) description: Description,
    pub(crate) required: bool,
    pub(crate) optional: bool,
    pub(crate) computed: bool,
    pub(crate) sensitive: bool,
    pub(crate) write_only: bool,
    pub(crate) deprecated: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Nesting {
    Single,
    List,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct NestedType {
    pub(crate) nesting: Nesting,
    pub(crate) attributes: Vec<Attribute>,
}
