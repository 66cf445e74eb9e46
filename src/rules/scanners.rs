//! Registry settings the SaaS API document alone has: `scanners` (`[{name}]`, AQUA_TRIVY or
//! GRYPE) and the Debian index settings of a VIRTUAL DEBIAN registry (`config.debianConfig`).

use super::package::string_enum;
use super::{PackageType, RegistryType};

string_enum!(
    /// `scanners[].name`.
    ScannerName, "scanner", {
    AquaTrivy = "AQUA_TRIVY",
    Grype = "GRYPE",
});

string_enum!(
    /// `config.debianConfig.optionalIndexCompressionFormats[]`: extra index compressions on
    /// top of the `.gz` the server always writes.
    IndexCompression, "index compression format", {
    Xz = ".xz",
});

/// What the server fills in when `remoteIndexedArchitectures` is not given (SaaS document
/// default; the product docs say the same).
pub const DEFAULT_DEBIAN_ARCHITECTURES: &[&str] = &["amd64", "i386", "arm64"];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "debian_config applies only to DEBIAN registries (VIRTUAL), not to {registry_type} {package_type}"
)]
pub struct DebianConfigError {
    pub package_type: PackageType,
    pub registry_type: RegistryType,
}

/// `debianConfig` is allowed on a VIRTUAL DEBIAN registry only.
pub fn check_debian_config_allowed(
    package_type: PackageType,
    registry_type: RegistryType,
) -> Result<(), DebianConfigError> {
    if package_type == PackageType::Debian && registry_type == RegistryType::Virtual {
        Ok(())
    } else {
        Err(DebianConfigError {
            package_type,
            registry_type,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanners_and_debian() {
        assert_eq!(ScannerName::parse("GRYPE"), Ok(ScannerName::Grype));
        let e = ScannerName::parse("aqua_trivy").unwrap_err();
        assert_eq!(e.suggestion, Some("AQUA_TRIVY"));
        assert_eq!(IndexCompression::parse(".xz"), Ok(IndexCompression::Xz));
        assert!(IndexCompression::parse(".bz2").is_err());
        assert!(check_debian_config_allowed(PackageType::Debian, RegistryType::Virtual).is_ok());
        assert!(check_debian_config_allowed(PackageType::Docker, RegistryType::Virtual).is_err());
        assert!(check_debian_config_allowed(PackageType::Debian, RegistryType::Upstream).is_err());
    }
}
