//! `metadataCacheTTL` and `negativeCacheTTL` of an upstream proxy: how long, in seconds, the
//! proxy caches a found (metadata) or a not-found (negative) answer of its remote.
//!
//! The SaaS API document: "Honoured only for UPSTREAM registries with package types that support
//! resource cache (currently Maven). Must be between 0 and 604800 (7 days). Rejected for
//! unsupported package types." The official provider allows them for MAVEN only, 0 to 604800.

use super::PackageType;

/// Seven days, in seconds: the largest TTL the API accepts.
pub const MAX_CACHE_TTL: i64 = 604_800;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CacheTtlError {
    #[error("{value} seconds is out of range: a cache TTL is 0 to 604800 seconds (7 days)")]
    Range { value: i64 },
    #[error("a cache TTL applies only to MAVEN upstream proxies (the API rejects it for {0})")]
    PackageType(PackageType),
}

/// The package types whose proxies take a cache TTL.
pub fn takes_cache_ttl(package_type: PackageType) -> bool {
    package_type == PackageType::Maven
}

pub fn check_cache_ttl(package_type: PackageType, value: i64) -> Result<(), CacheTtlError> {
    if !(0..=MAX_CACHE_TTL).contains(&value) {
        return Err(CacheTtlError::Range { value });
    }
    if !takes_cache_ttl(package_type) {
        return Err(CacheTtlError::PackageType(package_type));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maven_only_within_seven_days() {
        assert!(check_cache_ttl(PackageType::Maven, 0).is_ok());
        assert!(check_cache_ttl(PackageType::Maven, MAX_CACHE_TTL).is_ok());
        assert_eq!(
            check_cache_ttl(PackageType::Maven, MAX_CACHE_TTL + 1),
            Err(CacheTtlError::Range { value: 604_801 })
        );
        assert!(check_cache_ttl(PackageType::Maven, -1).is_err());
        assert_eq!(
            check_cache_ttl(PackageType::Npm, 60),
            Err(CacheTtlError::PackageType(PackageType::Npm))
        );
    }
}
