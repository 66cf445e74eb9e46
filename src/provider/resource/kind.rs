//! What makes `har_registry` and `har_upstream_proxy` different: their schema, their model
//! and its mapping to and from the wire. Everything else (planning, CRUD, links, import) is
//! shared and generic over [`RegistryKind`].

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::model::{Registry, RegistryRequest};
use crate::api::refs::Scope;
use crate::framework::model::DecodeError;
use crate::framework::{Diagnostic, Field, Schema, Value};
use crate::provider::keep::StringList;
use crate::rules::{PackageType, RegistryType};

/// The names of the attributes [`Identity`] reads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IdentityNames {
    pub(crate) identifier: &'static str,
    pub(crate) org_id: &'static str,
    pub(crate) project_id: &'static str,
}

/// The attributes both models have, to plan the object's place and name.
pub(crate) trait Identity {
    /// Filled by `identity!` from the very fields it reads, so they cannot disagree.
    const NAMES: IdentityNames;
    fn identifier(&self) -> &Field<String>;
    fn package_type(&self) -> &Field<PackageType>;
    fn id(&self) -> &Field<String>;
    fn org_id(&self) -> &Field<String>;
    fn project_id(&self) -> &Field<String>;
    /// Sets `id`, `org_id` and `project_id` (the plan's scope defaults).
    fn place(&mut self, id: Field<String>, org_id: Field<String>, project_id: Field<String>);
    fn set_identifier(&mut self, identifier: String);
    /// `metadata` (v3 API), kept apart from the registry body.
    fn metadata(&self) -> &crate::provider::metadata::Metadata;
    fn set_metadata(&mut self, m: crate::provider::metadata::Metadata);
    /// The object's uuid (the v3 metadata API addresses it by uuid).
    fn uuid(&self) -> &Field<String>;
}

macro_rules! identity {
    ($model:ty) => {
        impl $crate::provider::resource::kind::Identity for $model {
            const NAMES: $crate::provider::resource::kind::IdentityNames =
                $crate::provider::resource::kind::IdentityNames {
                    identifier: <$model>::ATTR.identifier,
                    org_id: <$model>::ATTR.org_id,
                    project_id: <$model>::ATTR.project_id,
                };
            fn identifier(&self) -> &$crate::framework::Field<String> {
                &self.identifier
            }
            fn package_type(&self) -> &$crate::framework::Field<$crate::rules::PackageType> {
                &self.package_type
            }
            fn id(&self) -> &$crate::framework::Field<String> {
                &self.id
            }
            fn org_id(&self) -> &$crate::framework::Field<String> {
                &self.org_id
            }
            fn project_id(&self) -> &$crate::framework::Field<String> {
                &self.project_id
            }
            fn place(
                &mut self,
                id: $crate::framework::Field<String>,
                org_id: $crate::framework::Field<String>,
                project_id: $crate::framework::Field<String>,
            ) {
                self.id = id;
                self.org_id = org_id;
                self.project_id = project_id;
            }
            fn set_identifier(&mut self, identifier: String) {
                self.identifier = $crate::framework::Field::Known(identifier);
            }
            fn metadata(&self) -> &$crate::provider::metadata::Metadata {
                &self.metadata
            }
            fn set_metadata(&mut self, m: $crate::provider::metadata::Metadata) {
                self.metadata = m;
            }
            fn uuid(&self) -> &$crate::framework::Field<String> {
                &self.uuid
            }
        }
    };
}
pub(crate) use identity;

pub(crate) trait RegistryKind: Send + Sync + 'static {
    type Model: Identity + Serialize + DeserializeOwned + Default + Clone + PartialEq + Send + Sync;
    /// `har_registry`, `har_upstream_proxy`.
    const TYPE_NAME: &'static str;
    /// `registry`, `upstream proxy`.
    const NOUN: &'static str;
    /// The HAR `config.type` this resource manages.
    const CONFIG_TYPE: RegistryType;

    fn schema() -> Schema;

    /// Config checks beyond the schema's validators. Attributes whose value could not be
    /// read (`errors`, an enum spelled wrong) are unknown in `config`; report them here
    /// (`raw` is the config as Terraform sent it).
    fn validate(
        config: &Self::Model,
        raw: &Value,
        errors: Vec<DecodeError>,
        out: &mut Vec<Diagnostic>,
    );

    /// The whole-registry POST/PUT body from a planned value. `current` is the registry as
    /// the server has it (on update): fields the resource does not manage are carried over,
    /// since PUT replaces everything.
    fn request(planned: &Self::Model, scope: &Scope, current: Option<&Registry>)
    -> RegistryRequest;

    /// The state from the server's answer; `prior` (prior state or planned value) gives the
    /// user's form of equivalent values. An error if the server's object is of the other
    /// type.
    fn state(
        reg: &Registry,
        scope: &Scope,
        prior: Option<&Self::Model>,
    ) -> Result<Self::Model, String>;

    /// After a create whose outcome is unknown: the attributes in which `found` (the server's
    /// object, mapped with [`RegistryKind::state`] against `sent`, so equivalent forms are
    /// equal) differs from what this create sent, on the fields the POST itself stores
    /// (not the upstream list: the server drops proxies it cannot link, and some servers
    /// store it only on a later PUT). Empty: the object is this create's.
    fn differences(sent: &Self::Model, found: &Self::Model) -> Vec<&'static str>;

    /// The ordered upstream list, for the resources that have one.
    fn upstream_proxies(_model: &Self::Model) -> Option<&StringList> {
        None
    }

    /// "a registry", "an upstream proxy".
    fn a_noun() -> String {
        let article = if Self::NOUN.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {}", Self::NOUN)
    }
}

/// Reports the attributes a config model could not read: `Invalid <attribute>` with the
/// reason, which names what is allowed (e.g. an enum's values and a "did you mean").
pub(crate) fn report_unreadable(errors: Vec<DecodeError>, out: &mut Vec<Diagnostic>) {
    for e in errors {
        let name = e.path.to_string();
        out.push(crate::provider::diag::error_at(
            e.path,
            format!("Invalid {name}"),
            e.message,
        ));
    }
}
