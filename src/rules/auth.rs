//! Upstream auth types and the secret references each requires (docs/design/har-api.md §4, §2.5).
//! Secrets are never values: only references to Harness secrets travel.

use super::package::string_enum;

string_enum!(
    /// `config.authType`.
    AuthType, "auth type", {
    UserPassword = "UserPassword",
    AccessKeySecretKey = "AccessKeySecretKey",
    Anonymous = "Anonymous",
});

/// The auth fields as given (empty strings count as absent), whatever their source: the wire
/// `auth` object or the provider's nested attributes.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct AuthRefs<'a> {
    pub user_name: Option<&'a str>,
    pub secret_identifier: Option<&'a str>,
    pub access_key: Option<&'a str>,
    pub access_key_secret_identifier: Option<&'a str>,
    pub secret_key_identifier: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum AuthError {
    /// The real service's wording (`create_registry.go`).
    #[error(
        "failed to create upstream proxy: secret_identifier missing (UserPassword needs userName and secretIdentifier)"
    )]
    SecretIdentifierMissing,
    #[error(
        "UserPassword needs userName (the user name) and secretIdentifier (the secret holding the password)"
    )]
    UserNameMissing,
    #[error(
        "failed to create upstream proxy: access_key_secret_identifier missing (AccessKeySecretKey needs accessKey or accessKeySecretIdentifier, and secretKeyIdentifier)"
    )]
    AccessKeyMissing,
    #[error("AccessKeySecretKey needs accessKey or accessKeySecretIdentifier, not both")]
    AccessKeyTwice,
    #[error(
        "failed to create upstream proxy: secret_key_identifier missing (AccessKeySecretKey needs secretKeyIdentifier)"
    )]
    SecretKeyMissing,
}

fn given(v: Option<&str>) -> bool {
    v.is_some_and(|s| !s.is_empty())
}

/// Checks that the references `auth_type` requires are present.
///
/// `strict` adds the product's rules on top of the real service's: UserPassword also needs a
/// user name, and AccessKeySecretKey takes exactly one of the inline access key or its secret
/// reference. har-local calls it with `strict = false`, the provider with `true`.
pub(crate) fn check_auth(
    auth_type: AuthType,
    refs: &AuthRefs<'_>,
    strict: bool,
) -> Result<(), AuthError> {
    match auth_type {
        AuthType::Anonymous => Ok(()),
        AuthType::UserPassword => {
            if strict && !given(refs.user_name) {
                return Err(AuthError::UserNameMissing);
            }
            if !given(refs.secret_identifier) {
                return Err(AuthError::SecretIdentifierMissing);
            }
            Ok(())
        }
        AuthType::AccessKeySecretKey => {
            let (inline, by_ref) = (
                given(refs.access_key),
                given(refs.access_key_secret_identifier),
            );
            if !inline && !by_ref {
                return Err(AuthError::AccessKeyMissing);
            }
            if strict && inline && by_ref {
                return Err(AuthError::AccessKeyTwice);
            }
            if !given(refs.secret_key_identifier) {
                return Err(AuthError::SecretKeyMissing);
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_references() {
        let none = AuthRefs::default();
        assert_eq!(check_auth(AuthType::Anonymous, &none, true), Ok(()));
        assert_eq!(
            check_auth(AuthType::UserPassword, &none, false),
            Err(AuthError::SecretIdentifierMissing)
        );
        let up = AuthRefs {
            secret_identifier: Some("pwd"),
            ..none
        };
        assert_eq!(check_auth(AuthType::UserPassword, &up, false), Ok(()));
        assert_eq!(
            check_auth(AuthType::UserPassword, &up, true),
            Err(AuthError::UserNameMissing)
        );
        let ak = AuthRefs {
            access_key: Some("AKIA"),
            secret_key_identifier: Some("sk"),
            ..none
        };
        assert_eq!(check_auth(AuthType::AccessKeySecretKey, &ak, true), Ok(()));
        let both = AuthRefs {
            access_key_secret_identifier: Some("ak"),
            ..ak
        };
        assert_eq!(
            check_auth(AuthType::AccessKeySecretKey, &both, false),
            Ok(())
        );
        assert_eq!(
            check_auth(AuthType::AccessKeySecretKey, &both, true),
            Err(AuthError::AccessKeyTwice)
        );
        assert!(
            AuthType::parse("userpassword")
                .unwrap_err()
                .to_string()
                .contains("UserPassword")
        );
    }
}
