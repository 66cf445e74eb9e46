//! The `metadata` attribute of both resources: key/value pairs kept through the v3 metadata
//! API (`docs/design/fields.md`, "Metadata"). Only a state that holds `metadata` (set, even to
//! `{}`) reads it on refresh: a registry that does not set it costs no v3 call
//! (docs/design/product.md "API calls per operation").
//!
//! The map holds the `MANUAL` entries only. `AUTO` entries (the system's) are never shown and
//! never changed: the API does not say what a PUT does to the `AUTO` entries it omits, so every
//! PUT carries the `AUTO` entries read back, unchanged.

use std::collections::BTreeMap;

use crate::api::model::{MetadataEntry, MetadataItem};
use crate::api::{self, Client};
use crate::framework::{Attribute, AttributePath, Diagnostic, Field, PathStep, Type};
use crate::provider::diag::error_at;
use crate::rules;

/// `metadata` as a model holds it.
pub(crate) type Metadata = Field<BTreeMap<String, Field<String>>>;

/// `metadata` of the data sources, which always read it.
pub(crate) const READ_DESCRIPTION: &str = "Key/value metadata of the object (the v3 metadata \
     API): the entries set by users (MANUAL); entries the system sets (AUTO) are not shown.";

pub(crate) fn attribute(name: &str) -> Attribute {
    Attribute::map(name, Type::String).optional().description(
        "Key/value metadata of the object (the v3 metadata API). Keys and values: letters, \
         digits and `_ . / = + - @`, no spaces; keys are case-sensitive; at most 49 entries. \
         Only entries set by users (MANUAL) are managed; entries the system sets (AUTO) are \
         neither shown nor changed. `{}` manages the object as having no user entries (one \
         added elsewhere shows as drift); unset leaves its entries unmanaged, and costs no \
         metadata API call (removing the attribute removes the entries it had set).",
    )
}

/// Whether `m` asks for at least one entry (or may: unknown).
pub(crate) fn has_entries(m: &Metadata) -> bool {
    match m {
        Field::Known(items) => !items.is_empty(),
        Field::Null => false,
        Field::Unknown => true,
    }
}

/// The known entries, when the map and every value are known.
fn known(m: &Metadata) -> Option<BTreeMap<String, String>> {
    match m {
        Field::Known(items) => items
            .iter()
            .map(|(k, v)| v.clone().known().map(|v| (k.clone(), v)))
            .collect(),
        Field::Null => Some(BTreeMap::new()),
        Field::Unknown => None,
    }
}

/// The state's map from the entries read back: MANUAL ones only; none is the user's null, or
/// the user's `{}`.
pub(crate) fn state(prior: Option<&Metadata>, entries: &[MetadataEntry]) -> Metadata {
    let manual: BTreeMap<String, Field<String>> = entries
        .iter()
        .filter(|e| !e.is_auto())
        .map(|e| (e.key.clone(), Field::Known(e.value.clone())))
        .collect();
    if manual.is_empty() {
        return match prior {
            Some(Field::Known(p)) if p.is_empty() => Field::Known(BTreeMap::new()),
            _ => Field::Null,
        };
    }
    Field::Known(manual)
}

/// The PUT body that makes the MANUAL entries `planned`, carrying the AUTO entries of
/// `current` unchanged; `None` when the MANUAL entries already are `planned`.
pub(crate) fn put_items(
    planned: &Metadata,
    current: &[MetadataEntry],
) -> Option<Vec<MetadataItem>> {
    let wanted = known(planned)?;
    let manual: BTreeMap<String, String> = current
        .iter()
        .filter(|e| !e.is_auto())
        .map(|e| (e.key.clone(), e.value.clone()))
        .collect();
    if manual == wanted {
        return None;
    }
    let auto = current
        .iter()
        .filter(|e| e.is_auto() && !wanted.contains_key(&e.key))
        .map(|e| (e.key.clone(), e.value.clone()));
    Some(
        wanted
            .clone()
            .into_iter()
            .chain(auto)
            .map(|(key, value)| MetadataItem {
                key,
                value,
                entry_type: None,
            })
            .collect(),
    )
}

/// Reads the entries and, if the MANUAL ones are not `planned`, PUTs them: the entries after.
pub(crate) async fn sync(
    client: &Client,
    uuid: &str,
    planned: &Metadata,
) -> Result<Vec<MetadataEntry>, api::Error> {
    let current = client.get_metadata(uuid).await?;
    match put_items(planned, &current) {
        Some(items) => client.put_metadata(uuid, items).await,
        None => Ok(current),
    }
}

/// Plan-time: each key and value, and the entry count (rules/metadata.rs).
pub(crate) fn validate(name: &str, m: &Metadata, out: &mut Vec<Diagnostic>) {
    let Field::Known(items) = m else { return };
    for (k, v) in items {
        let at = AttributePath {
            steps: vec![
                PathStep::Attribute(name.to_string()),
                PathStep::ElementKeyString(k.clone()),
            ],
        };
        let err = rules::check_metadata_key(k).err().or_else(|| match v {
            Field::Known(v) => rules::check_metadata_value(k, v).err(),
            _ => None,
        });
        if let Some(e) = err {
            out.push(error_at(
                at,
                format!("Invalid {name}"),
                format!("{name}: {e}"),
            ));
        }
    }
    if let Err(e) = rules::check_metadata_count(items.len()) {
        out.push(error_at(
            AttributePath::root(name),
            format!("Invalid {name}"),
            format!("{name}: {e}"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(k: &str, v: &str, t: &str) -> MetadataEntry {
        MetadataEntry {
            id: None,
            key: k.into(),
            value: v.into(),
            entry_type: t.into(),
        }
    }

    #[test]
    fn manual_only_and_auto_carried() {
        let current = vec![
            entry("scanned", "yes", "AUTO"),
            entry("team", "a", "MANUAL"),
        ];
        let s = state(None, &current);
        assert_eq!(
            s,
            Field::Known(BTreeMap::from([("team".into(), Field::Known("a".into()))]))
        );
        assert_eq!(put_items(&s, &current), None);
        let planned = Field::Known(BTreeMap::from([("team".into(), Field::Known("b".into()))]));
        let items = put_items(&planned, &current).unwrap();
        let pairs: Vec<_> = items
            .iter()
            .map(|i| (i.key.as_str(), i.value.as_str()))
            .collect();
        assert_eq!(pairs, [("team", "b"), ("scanned", "yes")]);
        // Unset removes the MANUAL entries, keeps the AUTO one.
        let items = put_items(&Field::Null, &current).unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].key, "scanned");
        assert_eq!(state(None, &[entry("scanned", "yes", "AUTO")]), Field::Null);
    }
}
