//! Conversions between our protocol types and the generated wire types.

use super::diagnostics::{Diagnostic, Diagnostics, Severity};
use super::proto::tfplugin6 as pb;
use super::schema::{Attribute, AttributeType, Block, Description, Nesting, Schema};
use super::value::{AttributePath, PathStep, Type, Value, json, msgpack};

pub(crate) fn schema_to_proto(s: &Schema) -> pb::Schema {
    pb::Schema {
        version: s.version,
        block: Some(block_to_proto(&s.block, s.version)),
    }
}

fn description(d: &Description) -> (String, i32) {
    match &d.markdown {
        Some(md) => (md.clone(), pb::StringKind::Markdown as i32),
        None => (d.plain.clone(), pb::StringKind::Plain as i32),
    }
}

fn block_to_proto(b: &Block, version: i64) -> pb::schema::Block {
    let (description, description_kind) = description(&b.description);
    pb::schema::Block {
        version,
        attributes: b.attributes.iter().map(attribute_to_proto).collect(),
        block_types: Vec::new(),
        description,
        description_kind,
        deprecated: b.deprecated,
        deprecation_message: String::new(),
    }
}

fn attribute_to_proto(a: &Attribute) -> pb::schema::Attribute {
    let (description, description_kind) = description(&a.description);
    let (ty, nested_type) = match &a.ty {
        AttributeType::Type(t) => (t.to_json_bytes(), None),
        AttributeType::Nested(n) => (
            Vec::new(),
            Some(pb::schema::Object {
                attributes: n.attributes.iter().map(attribute_to_proto).collect(),
                nesting: match n.nesting {
                    Nesting::Single => pb::schema::object::NestingMode::Single,
                    Nesting::List => pb::schema::object::NestingMode::List,
                } as i32,
                #[allow(deprecated)]
                min_items: 0,
                #[allow(deprecated)]
                max_items: 0,
            }),
        ),
    };
    pb::schema::Attribute {
        name: a.name.clone(),
        r#type: ty,
        nested_type,
        description,
        required: a.required,
        optional: a.optional,
        computed: a.computed,
        sensitive: a.sensitive,
        description_kind,
        deprecated: a.deprecated,
        write_only: a.write_only,
        deprecation_message: String::new(),
    }
}

pub(crate) fn path_to_proto(p: &AttributePath) -> pb::AttributePath {
    use pb::attribute_path::step::Selector;
    pb::AttributePath {
        steps: p
            .steps
            .iter()
            .map(|s| pb::attribute_path::Step {
                selector: Some(match s {
                    PathStep::Attribute(n) => Selector::AttributeName(n.clone()),
                    PathStep::ElementKeyString(k) => Selector::ElementKeyString(k.clone()),
                    PathStep::ElementKeyInt(i) => Selector::ElementKeyInt(*i),
                }),
            })
            .collect(),
    }
}

pub(crate) fn diagnostic_to_proto(d: &Diagnostic) -> pb::Diagnostic {
    pb::Diagnostic {
        severity: match d.severity {
            Severity::Error => pb::diagnostic::Severity::Error,
            Severity::Warning => pb::diagnostic::Severity::Warning,
        } as i32,
        summary: d.summary.clone(),
        detail: d.detail.clone(),
        attribute: d.attribute.as_ref().map(path_to_proto),
    }
}

pub(crate) fn diagnostics_to_proto(d: &Diagnostics) -> Vec<pb::Diagnostic> {
    d.iter().map(diagnostic_to_proto).collect()
}

/// Decode a `DynamicValue` (msgpack preferred, JSON accepted). A missing or empty value is
/// null, as Terraform itself treats it.
pub(crate) fn decode_dynamic(
    dv: Option<&pb::DynamicValue>,
    ty: &Type,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let Some(dv) = dv else {
        return Some(Value::Null);
    };
    let res = if !dv.msgpack.is_empty() {
        msgpack::decode(&dv.msgpack, ty)
    } else if !dv.json.is_empty() {
        json::decode(&dv.json, ty)
    } else {
        return Some(Value::Null);
    };
    match res {
        Ok(v) => Some(v),
        Err(e) => {
            diags.codec_error(what, &e);
            None
        }
    }
}

/// Encode a value as a msgpack `DynamicValue` (responses are always msgpack).
pub(crate) fn encode_dynamic(
    v: &Value,
    ty: &Type,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<pb::DynamicValue> {
    match msgpack::encode(v, ty) {
        Ok(bytes) => Some(pb::DynamicValue {
            msgpack: bytes,
            json: Vec::new(),
        }),
        Err(e) => {
            diags.codec_error(what, &e);
            None
        }
    }
}
