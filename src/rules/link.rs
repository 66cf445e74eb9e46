//! Which upstream proxies a registry can list (the real service resolves each listed name
//! and silently drops what does not fit, har-local does the same, and the provider refuses
//! it at plan time and explains it after an apply).
//!
//! Two levels, like names: the server links any registry of the same package type in the
//! registry's scope or a parent scope ([`LinkLevel::Api`]); the product's rule also wants
//! the target to be an upstream proxy ([`LinkLevel::Product`]).

use crate::api::refs::{RegistryRef, Scope};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkLevel {
    Api,
    Product,
}

/// A registry a name resolves to: where it lives and what it is (wire spellings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LinkTarget {
    pub reference: RegistryRef,
    /// `VIRTUAL` or `UPSTREAM`.
    pub registry_type: String,
    pub package_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum LinkError {
    #[error("{name:?} is a registry ({registry_type}), not an upstream proxy (it lives at {at})")]
    NotUpstream {
        name: String,
        registry_type: String,
        at: Box<RegistryRef>,
    },
    #[error(
        "upstream proxy {name:?} has package type {theirs}, this registry is {ours}; a registry only resolves proxies of its own package type"
    )]
    PackageType {
        name: String,
        theirs: String,
        ours: String,
    },
    #[error(
        "upstream proxy {name:?} lives in {theirs}, which a registry in {ours} cannot see; a registry resolves proxies in its own scope or a parent scope"
    )]
    Scope {
        name: String,
        theirs: Box<Scope>,
        ours: Box<Scope>,
    },
}

/// Whether a registry of `package_type` in `scope` can list `target` as an upstream.
pub(crate) fn check_link(
    target: &LinkTarget,
    package_type: &str,
    scope: &Scope,
    level: LinkLevel,
) -> Result<(), LinkError> {
    let name = target.reference.identifier.clone();
    if level == LinkLevel::Product && target.registry_type != super::RegistryType::Upstream.as_str()
    {
        return Err(LinkError::NotUpstream {
            name,
            registry_type: target.registry_type.clone(),
            at: Box::new(target.reference.clone()),
        });
    }
    if target.package_type != package_type {
        return Err(LinkError::PackageType {
            name,
            theirs: target.package_type.clone(),
            ours: package_type.to_string(),
        });
    }
    if !target.reference.scope.is_visible_from(scope) {
        return Err(LinkError::Scope {
            name,
            theirs: Box::new(target.reference.scope.clone()),
            ours: Box::new(scope.clone()),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(path: &str, ty: &str, pt: &str) -> LinkTarget {
        LinkTarget {
            reference: RegistryRef::parse(path).unwrap(),
            registry_type: ty.into(),
            package_type: pt.into(),
        }
    }

    #[test]
    fn link_rules() {
        let proj = Scope::parse("a/o/p").unwrap();
        let check = |t: &LinkTarget| check_link(t, "DOCKER", &proj, LinkLevel::Product);
        assert_eq!(check(&target("a/o/x", "UPSTREAM", "DOCKER")), Ok(()));
        assert_eq!(check(&target("a/x", "UPSTREAM", "DOCKER")), Ok(()));
        let p = check(&target("a/x", "UPSTREAM", "HELM"))
            .unwrap_err()
            .to_string();
        assert!(p.contains("package type HELM"), "{p}");
        let virt = target("a/x", "VIRTUAL", "DOCKER");
        let p = check(&virt).unwrap_err().to_string();
        assert!(p.contains("not an upstream proxy"), "{p}");
        assert_eq!(check_link(&virt, "DOCKER", &proj, LinkLevel::Api), Ok(()));
        let p = check(&target("a/o2/x", "UPSTREAM", "DOCKER"))
            .unwrap_err()
            .to_string();
        assert!(p.contains("cannot see"), "{p}");
    }
}
