//! Cleanup policies of a registry (`cleanupPolicy`): VIRTUAL registries only, every field of
//! every entry required (OSS `cleanuppolicy_mapper.go`: `<field> is required for cleanup
//! policy`). The real service does not store them on create; a PUT stores them, and a PUT
//! without them deletes every policy (`docs/design/fields.md`).

/// A field of a cleanup policy entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CleanupField {
    Name,
    ExpireDays,
    PackagePrefix,
    VersionPrefix,
}

impl CleanupField {
    /// The JSON name, as the server's message uses it.
    pub fn api_name(self) -> &'static str {
        match self {
            CleanupField::Name => "name",
            CleanupField::ExpireDays => "expireDays",
            CleanupField::PackagePrefix => "packagePrefix",
            CleanupField::VersionPrefix => "versionPrefix",
        }
    }

    /// The Terraform attribute name.
    pub fn attribute(self) -> &'static str {
        match self {
            CleanupField::Name => "name",
            CleanupField::ExpireDays => "expire_days",
            CleanupField::PackagePrefix => "package_prefix",
            CleanupField::VersionPrefix => "version_prefix",
        }
    }
}

/// The fields of one entry as given (a list counts as present when it has an element).
#[derive(Debug, Clone, Copy, Default)]
pub struct CleanupEntry<'a> {
    pub name: Option<&'a str>,
    pub expire_days: Option<i64>,
    pub package_prefix: &'a [String],
    pub version_prefix: &'a [String],
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CleanupError {
    /// The real service's wording.
    #[error("{} is required for cleanup policy", .0.api_name())]
    Missing(CleanupField),
    #[error("expireDays must be a positive number of days, got {0}")]
    ExpireDays(i64),
}

/// The first missing or wrong field of an entry.
pub fn check_cleanup_entry(e: &CleanupEntry<'_>) -> Result<(), CleanupError> {
    use CleanupField as F;
    if e.name.is_none_or(str::is_empty) {
        return Err(CleanupError::Missing(F::Name));
    }
    let Some(days) = e.expire_days else {
        return Err(CleanupError::Missing(F::ExpireDays));
    };
    if e.version_prefix.is_empty() {
        return Err(CleanupError::Missing(F::VersionPrefix));
    }
    if e.package_prefix.is_empty() {
        return Err(CleanupError::Missing(F::PackagePrefix));
    }
    if days <= 0 {
        return Err(CleanupError::ExpireDays(days));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_required() {
        let p = vec!["v".to_string()];
        let full = CleanupEntry {
            name: Some("old"),
            expire_days: Some(30),
            package_prefix: &p,
            version_prefix: &p,
        };
        assert!(check_cleanup_entry(&full).is_ok());
        let e = check_cleanup_entry(&CleanupEntry {
            expire_days: None,
            ..full
        })
        .unwrap_err();
        assert_eq!(e.to_string(), "expireDays is required for cleanup policy");
        assert_eq!(
            check_cleanup_entry(&CleanupEntry {
                package_prefix: &[],
                ..full
            }),
            Err(CleanupError::Missing(CleanupField::PackagePrefix))
        );
        assert!(
            check_cleanup_entry(&CleanupEntry {
                name: Some(""),
                ..full
            })
            .is_err()
        );
        assert_eq!(
            check_cleanup_entry(&CleanupEntry {
                expire_days: Some(0),
                ..full
            }),
            Err(CleanupError::ExpireDays(0))
        );
    }
}
