//! Registry webhook rules: identifier, triggers, payload URL, extra headers. The server
//! (har-local) answers with them and the provider checks them at plan time.
//!
//! Sources: the registry API documents (`Trigger` enum: `ARTIFACT_CREATION`,
//! `ARTIFACT_DELETION`; `ExtraHeader {key, value, masked}`) and the product's webhook guide
//! (the payload URL "must start with http:// or https://"). A webhook belongs to a virtual
//! registry only: the open-source server refuses one on an upstream proxy.

use super::package::string_enum;

string_enum!(
    /// `triggers[]`: the artifact events a webhook fires on.
    Trigger, "webhook trigger", {
    ArtifactCreation = "ARTIFACT_CREATION",
    ArtifactDeletion = "ARTIFACT_DELETION",
});

/// Longest webhook identifier (the open-source server's identifier check allows 100).
pub const MAX_WEBHOOK_IDENTIFIER_LEN: usize = 100;

/// What the real service answers in place of a masked header's value. har-local answers the
/// same, so the provider's "keep the configured value" path is exercised offline.
pub const MASKED_PLACEHOLDER: &str = "*******";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error(
        "webhook identifier must start with a letter or `_` and contain only letters, digits, \
         `_`, `-` and `.` (at most {MAX_WEBHOOK_IDENTIFIER_LEN} characters), got {0:?}"
    )]
    Identifier(String),
    #[error("name must not be empty")]
    EmptyName,
    #[error(
        "url must be an absolute http:// or https:// URL with a host and no spaces, e.g. \
         https://hooks.example.com/har, got {0:?}"
    )]
    Url(String),
    #[error(
        "extra header key {0:?} is not a valid HTTP header name (letters, digits and \
         !#$%&'*+-.^_`|~ only, not empty)"
    )]
    HeaderKey(String),
    #[error("extra header {0:?} appears twice (keys are compared without regard to case)")]
    DuplicateHeader(String),
    #[error("extra header {0:?} has a value with a line break or another control character")]
    HeaderValue(String),
    #[error("secret_space_path needs secret_identifier: the path only says where the secret is")]
    SpaceWithoutSecret,
}

/// Webhook identifier: a letter or `_` first, then letters, digits, `_`, `-`, `.`.
pub fn check_webhook_identifier(s: &str) -> Result<(), WebhookError> {
    let mut chars = s.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if first_ok && rest_ok && s.len() <= MAX_WEBHOOK_IDENTIFIER_LEN {
        Ok(())
    } else {
        Err(WebhookError::Identifier(s.to_string()))
    }
}

/// The payload URL: absolute `http`/`https` with a host, no whitespace.
pub fn check_webhook_url(raw: &str) -> Result<(), WebhookError> {
    super::check_url(raw).map_err(|_| WebhookError::Url(raw.to_string()))
}

/// An extra header's key is an HTTP token (RFC 9110 §5.6.2); its value has no control
/// characters (a line break would split the request). Keys are unique, case-insensitively,
/// since HTTP header names are.
pub fn check_headers<'a>(
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<(), WebhookError> {
    let mut seen: Vec<String> = Vec::new();
    for (key, value) in headers {
        let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
        if key.is_empty() || !key.bytes().all(token) {
            return Err(WebhookError::HeaderKey(key.to_string()));
        }
        if value.chars().any(|c| c.is_control() && c != '\t') {
            return Err(WebhookError::HeaderValue(key.to_string()));
        }
        let lower = key.to_ascii_lowercase();
        if seen.contains(&lower) {
            return Err(WebhookError::DuplicateHeader(key.to_string()));
        }
        seen.push(lower);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        for ok in ["notify", "_ci", "ci-hook.v2", "A1"] {
            assert!(check_webhook_identifier(ok).is_ok(), "{ok}");
        }
        for bad in ["", "1st", "-x", "has space", "a/b", &"a".repeat(101)] {
            assert!(check_webhook_identifier(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn triggers_parse() {
        assert_eq!(
            Trigger::parse("ARTIFACT_CREATION"),
            Ok(Trigger::ArtifactCreation)
        );
        let e = Trigger::parse("artifact_creation").unwrap_err();
        assert!(e.to_string().contains("ARTIFACT_CREATION"), "{e}");
    }

    #[test]
    fn urls() {
        assert!(check_webhook_url("https://hooks.example.com/x?y=1").is_ok());
        for bad in ["hooks.example.com", "ftp://x", "https://", "https://a b"] {
            assert!(check_webhook_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn headers() {
        assert!(check_headers([("X-Token", "abc"), ("Authorization", "Bearer x")]).is_ok());
        assert_eq!(
            check_headers([("X-A", "1"), ("x-a", "2")]),
            Err(WebhookError::DuplicateHeader("x-a".into()))
        );
        assert!(matches!(
            check_headers([("bad key", "1")]),
            Err(WebhookError::HeaderKey(_))
        ));
        assert!(matches!(
            check_headers([("X", "a\r\nInjected: 1")]),
            Err(WebhookError::HeaderValue(_))
        ));
    }
}
