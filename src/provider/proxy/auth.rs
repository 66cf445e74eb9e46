//! The credentials of an upstream proxy: the object `auth_type` asks for is required and the
//! other forbidden (schema rules), and the object is complete ([`check`], the product's rule
//! from `rules::check_auth`).

use super::model::{AccessKeys, ProxyModel, UserPassword};
use crate::framework::config_validators::{allowed_only_when, required_when};
use crate::framework::{AttributePath, Diagnostic, Field, Schema};
use crate::provider::diag::error_at;
use crate::rules::{AuthError, AuthRefs, AuthType, check_auth};

/// `user_password` and `access_key_secret_key`: each required with its auth type and
/// forbidden with the others.
pub(super) fn rules(schema: Schema) -> Schema {
    let a = ProxyModel::ATTR;
    let (auth_type, up, ak) = (
        AttributePath::root(a.auth_type),
        AttributePath::root(a.user_password),
        AttributePath::root(a.access_key_secret_key),
    );
    let up_type = AuthType::UserPassword.as_str();
    let ak_type = AuthType::AccessKeySecretKey.as_str();
    schema
        .validator(
            required_when(up.clone(), auth_type.clone(), up_type)
                .example("user_password = { user_name = \"...\", secret_identifier = \"...\" }"),
        )
        .validator(allowed_only_when(up, auth_type.clone(), up_type))
        .validator(
            required_when(ak.clone(), auth_type.clone(), ak_type).example(
                "access_key_secret_key = { access_key = \"...\" (or access_key_secret_identifier = \"...\"), secret_key_identifier = \"...\" }",
            ),
        )
        .validator(allowed_only_when(ak, auth_type, ak_type))
}

/// The credential object `auth_type` asks for, when given, has what it needs.
pub(super) fn check(config: &ProxyModel, out: &mut Vec<Diagnostic>) {
    match (
        config.auth_type.known(),
        &config.user_password,
        &config.access_key_secret_key,
    ) {
        (Some(AuthType::UserPassword), Field::Known(up), _) => check_user_password(up, out),
        (Some(AuthType::AccessKeySecretKey), _, Field::Known(ak)) => check_access_keys(ak, out),
        _ => {}
    }
}

fn check_user_password(up: &UserPassword, out: &mut Vec<Diagnostic>) {
    let a = UserPassword::ATTR;
    if up.user_name.is_unknown() || up.secret_identifier.is_unknown() {
        return;
    }
    let refs = AuthRefs {
        user_name: up.user_name.as_deref().known(),
        secret_identifier: up.secret_identifier.as_deref().known(),
        ..AuthRefs::default()
    };
    if let Err(e) = check_auth(AuthType::UserPassword, &refs, true) {
        let at = match e {
            AuthError::UserNameMissing => a.user_name,
            _ => a.secret_identifier,
        };
        out.push(error_at(
            AttributePath::root(ProxyModel::ATTR.user_password).attr(at),
            "Incomplete user_password",
            e.to_string(),
        ));
    }
}

fn check_access_keys(ak: &AccessKeys, out: &mut Vec<Diagnostic>) {
    let a = AccessKeys::ATTR;
    let here = |name: &str| AttributePath::root(ProxyModel::ATTR.access_key_secret_key).attr(name);
    if [
        &ak.access_key,
        &ak.access_key_secret_identifier,
        &ak.secret_key_identifier,
    ]
    .iter()
    .any(|f| f.is_unknown())
    {
        return;
    }
    let key_ref = ak.access_key_secret_identifier.as_deref().known();
    let refs = AuthRefs {
        access_key: ak.access_key.as_deref().known(),
        access_key_secret_identifier: key_ref,
        secret_key_identifier: ak.secret_key_identifier.as_deref().known(),
        ..AuthRefs::default()
    };
    match check_auth(AuthType::AccessKeySecretKey, &refs, true) {
        Err(AuthError::AccessKeyTwice) => out.push(error_at(
            here(a.access_key_secret_identifier),
            "Access key given twice",
            "access_key and access_key_secret_identifier are both set: give the access key \
             exactly once, either inline (access_key) or as a secret reference \
             (access_key_secret_identifier)",
        )),
        Err(AuthError::AccessKeyMissing) => out.push(error_at(
            here(a.access_key),
            "Missing access key",
            "give the access key exactly once: access_key (inline) or \
             access_key_secret_identifier (a Harness secret). (A configuration written by \
             `terraform plan -generate-config-out` has the sensitive access_key as \
             `null # sensitive`: put the key there.)",
        )),
        Err(other) => out.push(error_at(
            here(a.secret_key_identifier),
            "Incomplete access_key_secret_key",
            other.to_string(),
        )),
        Ok(()) if ak.access_key_secret_space_path.is_known() && key_ref.is_none() => {
            out.push(error_at(
                here(a.access_key_secret_space_path),
                "access_key_secret_space_path without access_key_secret_identifier",
                "access_key_secret_space_path is the scope of access_key_secret_identifier; it \
                 has no meaning with an inline access_key",
            ))
        }
        Ok(()) => {}
    }
}
