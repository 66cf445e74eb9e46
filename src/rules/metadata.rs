//! Registry metadata: key/value pairs set through the v3 API (`docs/design/fields.md`).
//!
//! The official provider's rules, which the product shares: at most 49 entries; keys and values
//! made only of letters, digits and `_ . / = + - @` (its pattern `^[\p{L}\p{N}_./=+\-@]+$`, so
//! no spaces and not empty); keys are case-sensitive.

/// The most entries a registry's metadata holds.
pub const MAX_METADATA_ENTRIES: usize = 49;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetadataError {
    #[error("too many metadata entries ({0}); at most 49 are allowed")]
    TooMany(usize),
    #[error(
        "invalid metadata key {0:?}: only letters, digits and _ . / = + - @ are allowed (no spaces, not empty)"
    )]
    Key(String),
    #[error(
        "invalid metadata value {value:?} for key {key:?}: only letters, digits and _ . / = + - @ are allowed (no spaces, not empty)"
    )]
    Value { key: String, value: String },
}

/// `\p{L}`/`\p{N}` as Rust's Unicode `is_alphanumeric`, plus the six symbols.
fn allowed(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '/' | '=' | '+' | '-' | '@'))
}

pub fn check_metadata_key(key: &str) -> Result<(), MetadataError> {
    if allowed(key) {
        Ok(())
    } else {
        Err(MetadataError::Key(key.to_string()))
    }
}

pub fn check_metadata_value(key: &str, value: &str) -> Result<(), MetadataError> {
    if allowed(value) {
        Ok(())
    } else {
        Err(MetadataError::Value {
            key: key.to_string(),
            value: value.to_string(),
        })
    }
}

pub fn check_metadata_count(entries: usize) -> Result<(), MetadataError> {
    if entries > MAX_METADATA_ENTRIES {
        Err(MetadataError::TooMany(entries))
    } else {
        Ok(())
    }
}

/// Every rule over a whole set of entries; the first error.
pub fn check_metadata<'a>(
    entries: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<(), MetadataError> {
    let mut n = 0;
    for (k, v) in entries {
        check_metadata_key(k)?;
        check_metadata_value(k, v)?;
        n += 1;
    }
    check_metadata_count(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_values_and_the_limit() {
        assert!(check_metadata([("team", "platform"), ("owner", "a.b@example.com")]).is_ok());
        assert!(check_metadata([("größe", "é/1=2+3-4_5")]).is_ok());
        assert_eq!(
            check_metadata([("has space", "x")]),
            Err(MetadataError::Key("has space".into()))
        );
        assert!(matches!(
            check_metadata([("k", "")]),
            Err(MetadataError::Value { .. })
        ));
        assert!(check_metadata_key("a:b").is_err());
        assert!(check_metadata_count(49).is_ok());
        assert_eq!(check_metadata_count(50), Err(MetadataError::TooMany(50)));
    }
}
