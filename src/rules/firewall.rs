//! The dependency firewall mode of an upstream proxy.
//!
//! The two API documents disagree, and the provider follows the SaaS one:
//!
//! | document | field | values |
//! | --- | --- | --- |
//! | SaaS (`UpstreamConfig.firewallMode`, what the product and the official provider use) | `firewallMode` | `ALLOW`, `ENABLED`, `QUARANTINE` |
//! | open-source server (`upstreamProxyConfigFirewallMode`) | `upstreamProxyConfigFirewallMode` | `ALLOW`, `WARN`, `BLOCK` |
//!
//! har-local copies SaaS. The official provider refuses a firewall mode on DOCKER and HELM
//! proxies (its plan check); so do we, so that a configuration moves between the two unchanged.
//! Older backends drop the mode on create; the official provider follows up with a PUT
//! (`docs/design/fields.md`).

use super::package::string_enum;
use super::{EnumError, PackageType};

string_enum!(
    /// `config.firewallMode` (SaaS). `ALLOW`: no policy evaluation (the default); `ENABLED`:
    /// artifacts are evaluated against policies; `QUARANTINE`: artifacts that fail are blocked.
    FirewallMode, "firewall mode", {
    Allow = "ALLOW",
    Enabled = "ENABLED",
    Quarantine = "QUARANTINE",
});

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FirewallError {
    #[error(transparent)]
    Value(#[from] EnumError),
    #[error(
        "a firewall mode is not supported for {0} upstream proxies (only for package types other than DOCKER and HELM)"
    )]
    PackageType(PackageType),
}

/// Parses a firewall mode and checks that `package_type` takes one.
pub fn check_firewall_mode(
    package_type: PackageType,
    value: &str,
) -> Result<FirewallMode, FirewallError> {
    let mode = FirewallMode::parse(value)?;
    if matches!(package_type, PackageType::Docker | PackageType::Helm) {
        return Err(FirewallError::PackageType(package_type));
    }
    Ok(mode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saas_values_with_suggestions() {
        assert_eq!(
            check_firewall_mode(PackageType::Maven, "QUARANTINE"),
            Ok(FirewallMode::Quarantine)
        );
        let e = check_firewall_mode(PackageType::Npm, "enabled").unwrap_err();
        assert!(e.to_string().contains("did you mean \"ENABLED\""), "{e}");
        // The OSS document's values are not the SaaS ones.
        assert!(check_firewall_mode(PackageType::Npm, "BLOCK").is_err());
        assert!(matches!(
            check_firewall_mode(PackageType::Docker, "ALLOW"),
            Err(FirewallError::PackageType(PackageType::Docker))
        ));
    }
}
