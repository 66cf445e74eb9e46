//! Registry names (identifiers) and proxy keys.
//!
//! Two levels, because the product and the API disagree on the first character:
//! * the API (OSS `utils.go RegexIdentifierPattern` `^[a-z0-9]+(?:[._-][a-z0-9]+)*$`, and the
//!   DB check `registry_name_len_check` ≤ 255) accepts a leading digit;
//! * the product (docs, UI: "must start with a letter") does not.
//!
//! har-local enforces [`NameLevel::Api`]; the provider enforces [`NameLevel::Product`].

/// Longest identifier the API stores (OSS migration 0067 `registry_name_len_check`).
pub(crate) const MAX_IDENTIFIER_LEN: usize = 255;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameLevel {
    /// What the real API accepts: lowercase letters and digits, single `.`, `_`, `-` between
    /// them, at most 255 characters.
    Api,
    /// The API's rule, plus: starts with a letter.
    Product,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum NameError {
    #[error("a registry name must not be empty")]
    Empty,
    #[error("registry name {0:?} is longer than 255 characters")]
    TooLong(String),
    #[error(
        "registry name {name:?} must start with a letter (allowed: lowercase letters, digits, `_`, `.` and `-`, starting with a letter)"
    )]
    MustStartWithLetter { name: String },
    #[error(
        "registry name {name:?} contains {ch:?}; allowed: lowercase letters a-z, digits 0-9, `_`, `.` and `-`"
    )]
    BadChar { name: String, ch: char },
    #[error(
        "registry name {name:?} must start and end with a lowercase letter or digit, and must not have two of `_`, `.`, `-` in a row"
    )]
    BadSeparator { name: String },
}

impl NameError {
    /// The message the real service gives for every invalid identifier (docs/design/har-api.md §2.5); har-local
    /// appends the precise reason after it.
    pub(crate) const API_MESSAGE: &'static str = "registry name should be 1~255 characters long with lower case characters, numbers and ._- and must be start with numbers or characters";
}

fn is_sep(c: char) -> bool {
    matches!(c, '.' | '_' | '-')
}

/// Checks a registry identifier at the given level.
pub(crate) fn check_identifier(name: &str, level: NameLevel) -> Result<(), NameError> {
    let Some(first) = name.chars().next() else {
        return Err(NameError::Empty);
    };
    if name.len() > MAX_IDENTIFIER_LEN {
        return Err(NameError::TooLong(name.to_string()));
    }
    if let Some(ch) = name
        .chars()
        .find(|&c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || is_sep(c)))
    {
        return Err(NameError::BadChar {
            name: name.to_string(),
            ch,
        });
    }
    if level == NameLevel::Product && !first.is_ascii_lowercase() {
        return Err(NameError::MustStartWithLetter {
            name: name.to_string(),
        });
    }
    let bytes = name.as_bytes();
    let doubled = bytes
        .windows(2)
        .any(|w| is_sep(w[0] as char) && is_sep(w[1] as char));
    if is_sep(first) || name.ends_with(is_sep) || doubled {
        return Err(NameError::BadSeparator {
            name: name.to_string(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn both_levels() {
        for ok in ["a", "docker-main", "a.b_c-d", "x1"] {
            assert_eq!(check_identifier(ok, NameLevel::Product), Ok(()), "{ok}");
            assert_eq!(check_identifier(ok, NameLevel::Api), Ok(()), "{ok}");
        }
        assert_eq!(check_identifier("1abc", NameLevel::Api), Ok(()));
        assert!(matches!(
            check_identifier("1abc", NameLevel::Product),
            Err(NameError::MustStartWithLetter { .. })
        ));
        for bad in ["", "A", "a--b", "a-", "-a", "a b", "a/b", "ä"] {
            assert!(check_identifier(bad, NameLevel::Api).is_err(), "{bad}");
        }
        assert!(check_identifier(&"a".repeat(255), NameLevel::Api).is_ok());
        assert!(matches!(
            check_identifier(&"a".repeat(256), NameLevel::Api),
            Err(NameError::TooLong(_))
        ));
    }

    fn api_regex(s: &str) -> bool {
        // ^[a-z0-9]+(?:[._-][a-z0-9]+)*$ written out by hand.
        let alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
        !s.is_empty()
            && s.split(is_sep)
                .all(|p| !p.is_empty() && p.chars().all(alnum))
            && s.chars().all(|c| alnum(c) || is_sep(c))
    }

    proptest! {
        #[test]
        fn api_level_is_the_services_regex(s in "[a-z0-9._A-Z -]{0,12}") {
            prop_assert_eq!(check_identifier(&s, NameLevel::Api).is_ok(), api_regex(&s));
        }
    }
}
