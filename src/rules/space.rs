//! Org and project segments of a space ref (`account/org/project`): Harness identifiers,
//! `[A-Za-z_][A-Za-z0-9_$]*`, at most [`MAX_SPACE_SEGMENT_LEN`] characters. The account
//! segment is not checked here: it is an account ID (which may hold `-`), and har-local
//! compares it with the one account it serves.

/// Longest org or project identifier accepted (Harness documents 128 for identifiers).
pub const MAX_SPACE_SEGMENT_LEN: usize = 128;

/// Which segment of a space ref.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpaceLevel {
    Org,
    Project,
}

impl SpaceLevel {
    fn name(self) -> &'static str {
        match self {
            SpaceLevel::Org => "org",
            SpaceLevel::Project => "project",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpaceError {
    #[error(
        "invalid {} identifier {value:?}: use a letter or `_` first, then letters, digits, `_` or `$`",
        .level.name()
    )]
    Charset { level: SpaceLevel, value: String },
    #[error(
        "invalid {} identifier: {len} characters, at most {MAX_SPACE_SEGMENT_LEN} allowed",
        .level.name()
    )]
    TooLong { level: SpaceLevel, len: usize },
}

/// Check one org or project segment.
pub fn check_space_segment(level: SpaceLevel, value: &str) -> Result<(), SpaceError> {
    let len = value.chars().count();
    if len > MAX_SPACE_SEGMENT_LEN {
        return Err(SpaceError::TooLong { level, len });
    }
    let mut chars = value.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
        return Err(SpaceError::Charset {
            level,
            value: value.to_string(),
        });
    }
    Ok(())
}

/// Check the org and project segments a space ref has.
pub fn check_space(org: Option<&str>, project: Option<&str>) -> Result<(), SpaceError> {
    if let Some(org) = org {
        check_space_segment(SpaceLevel::Org, org)?;
    }
    if let Some(project) = project {
        check_space_segment(SpaceLevel::Project, project)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn harness_identifiers_pass() {
        for ok in ["default", "_x", "Org_1", "p$1", &"a".repeat(128)] {
            assert_eq!(check_space_segment(SpaceLevel::Org, ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn other_segments_are_refused_naming_the_rule() {
        for bad in ["", "1org", "my-org", "a b", "é", "a.b", "$x", "org%2F"] {
            let e = check_space_segment(SpaceLevel::Project, bad).unwrap_err();
            assert!(e.to_string().contains("invalid project identifier"), "{e}");
        }
        let e = check_space_segment(SpaceLevel::Org, &"a".repeat(129)).unwrap_err();
        assert_eq!(
            e,
            SpaceError::TooLong {
                level: SpaceLevel::Org,
                len: 129
            }
        );
        assert!(check_space(Some("ok"), Some("no-dash")).is_err());
    }
}
