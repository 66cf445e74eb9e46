//! Upstream sources: which ones a package type allows, and whether each needs a `url`.
//!
//! This is the one home of the source matrix. Every pair, the evidence for it and the pairs
//! left out are in `docs/design/sources.md`; keep the two in step (a unit test below checks
//! that the page lists every pair).

use super::package::string_enum;
use super::{EnumError, PackageType};

string_enum!(
    /// `config.source` of an UPSTREAM registry. OSS values, then the SaaS additions.
    Source, "upstream source", {
    Dockerhub = "Dockerhub",
    Custom = "Custom",
    AwsEcr = "AwsEcr",
    MavenCentral = "MavenCentral",
    PyPi = "PyPi",
    NpmJs = "NpmJs",
    NugetOrg = "NugetOrg",
    Crates = "Crates",
    GoProxy = "GoProxy",
    HuggingFace = "HuggingFace",
    Anaconda = "Anaconda",
    Pubdev = "Pubdev",
    Packagist = "Packagist",
    PuppetForge = "PuppetForge",
    HelmChartRepo = "HelmChartRepo",
    ConanCenter = "ConanCenter",
    Cran = "CRAN",
    Alpine = "ALPINE",
    Wolfi = "WOLFI",
    RubyGems = "RubyGems",
});

/// Whether an upstream source takes a `url`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UrlRule {
    /// `Custom`, `AwsEcr`: the remote is whatever the user says.
    Required,
    /// Public default sources (`Dockerhub`, `MavenCentral`, ...): the remote is implied. The real
    /// service clears a URL sent with them on PUT; the product refuses it.
    NotAllowed,
}

impl Source {
    pub(crate) fn url_rule(self) -> UrlRule {
        match self {
            // HelmChartRepo: the product's Helm HTTP proxy always asks for the chart repository
            // URL, and there is no one public Helm HTTP repository it could imply.
            Source::Custom | Source::AwsEcr | Source::HelmChartRepo => UrlRule::Required,
            _ => UrlRule::NotAllowed,
        }
    }

    /// The sources a package type allows, `Custom` always among them.
    pub(crate) fn allowed_for(package_type: PackageType) -> &'static [Source] {
        use PackageType as P;
        use Source as S;
        match package_type {
            P::Docker => &[S::Dockerhub, S::Custom, S::AwsEcr],
            P::Maven => &[S::MavenCentral, S::Custom],
            P::Npm => &[S::NpmJs, S::Custom],
            P::Python => &[S::PyPi, S::Custom],
            P::Nuget => &[S::NugetOrg, S::Custom],
            P::Cargo => &[S::Crates, S::Custom],
            P::Go => &[S::GoProxy, S::Custom],
            // The product docs: "Hugging Face registries do not proxy to the public Hub", and the
            // open-source server's helper allows only `Custom`; so no `HuggingFace` source.
            P::Huggingface => &[S::Custom],
            P::Conda => &[S::Anaconda, S::Custom],
            P::Dart => &[S::Pubdev, S::Custom],
            P::Composer => &[S::Packagist, S::Custom],
            P::Puppet => &[S::PuppetForge, S::Custom],
            P::HelmHttp => &[S::HelmChartRepo, S::Custom],
            P::Conan => &[S::ConanCenter, S::Custom],
            P::Cran => &[S::Cran, S::Custom],
            P::Alpine => &[S::Alpine, S::Custom],
            P::Wolfi => &[S::Wolfi, S::Custom],
            P::Ruby => &[S::RubyGems, S::Custom],
            P::Helm | P::Generic | P::Rpm | P::Swift | P::Raw | P::Debian | P::Terraform => {
                &[S::Custom]
            }
        }
    }
}

/// Parses `source` and checks that `package_type` allows it. The error lists the sources that
/// package type allows.
pub(crate) fn check_source_for(
    package_type: PackageType,
    source: &str,
) -> Result<Source, EnumError> {
    let allowed = Source::allowed_for(package_type);
    let names: Vec<&'static str> = allowed.iter().map(|s| s.as_str()).collect();
    match Source::parse(source) {
        Ok(s) if allowed.contains(&s) => Ok(s),
        _ => Err(EnumError::new("upstream source", source, &names)),
    }
}

/// Every package type with its sources, for descriptions: `DOCKER Dockerhub/Custom/AwsEcr;
/// HELM Custom; ...` in the API's order of package types.
pub fn matrix_summary() -> String {
    PackageType::NAMES
        .iter()
        .filter_map(|n| PackageType::parse(n).ok())
        .map(|p| {
            let names: Vec<&str> = Source::allowed_for(p).iter().map(|s| s.as_str()).collect();
            format!("{p} {}", names.join("/"))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `url` presence for a source: `Ok(())` or a message naming the rule. `url` is the raw
/// attribute value; empty or whitespace-only counts as absent.
pub(crate) fn check_url_for_source(source: Source, url: Option<&str>) -> Result<(), String> {
    let present = url.is_some_and(|u| !u.trim().is_empty());
    match (source.url_rule(), present) {
        (UrlRule::Required, false) => Err(format!(
            "URL is required for upstream repository with source {source} (required for Custom, AwsEcr and HelmChartRepo)"
        )),
        (UrlRule::NotAllowed, true) => Err(format!(
            "url is not allowed with source {source}: its remote is implied; url is only for Custom, AwsEcr and HelmChartRepo"
        )),
        _ => Ok(()),
    }
}

/// The URL the real service stores for an upstream of `source`, given the (normalised) `url`
/// that was sent: a required URL must be there; the remote of a public default source is
/// implied, so the service clears a URL sent with it (on PUT; har-local on create too, so the
/// two agree). The product refuses the latter instead ([`check_url_for_source`]).
pub(crate) fn stored_url_for_source(source: Source, url: String) -> Result<String, String> {
    match source.url_rule() {
        UrlRule::Required if url.is_empty() => Err(format!(
            "URL is required for upstream repository (source {source})"
        )),
        UrlRule::NotAllowed => Ok(String::new()),
        UrlRule::Required => Ok(url),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_matrix_from_design() {
        assert_eq!(
            check_source_for(PackageType::Docker, "AwsEcr"),
            Ok(Source::AwsEcr)
        );
        let e = check_source_for(PackageType::Helm, "Dockerhub").unwrap_err();
        assert!(e.to_string().contains("allowed: Custom"), "{e}");
        let e = check_source_for(PackageType::Docker, "DockerHub").unwrap_err();
        assert_eq!(e.suggestion, Some("Dockerhub"));
        for p in PackageType::ALL {
            assert!(Source::allowed_for(*p).contains(&Source::Custom));
        }
        assert!(check_url_for_source(Source::Custom, None).is_err());
        assert!(check_url_for_source(Source::Custom, Some(" ")).is_err());
        assert!(check_url_for_source(Source::Dockerhub, Some("https://x")).is_err());
        assert!(check_url_for_source(Source::Dockerhub, Some("")).is_ok());
        assert!(check_url_for_source(Source::AwsEcr, Some("https://x")).is_ok());
        assert!(check_url_for_source(Source::HelmChartRepo, None).is_err());
        assert!(check_source_for(PackageType::Huggingface, "HuggingFace").is_err());
        assert!(stored_url_for_source(Source::Custom, String::new()).is_err());
        assert_eq!(
            stored_url_for_source(Source::Dockerhub, "https://x".into()),
            Ok(String::new())
        );
    }

    #[test]
    fn summary_names_every_package_type() {
        let s = matrix_summary();
        for p in PackageType::ALL {
            assert!(s.contains(&format!("{p} ")), "{p} missing from {s}");
        }
        assert!(
            s.starts_with("DOCKER Dockerhub/Custom/AwsEcr; MAVEN MavenCentral/Custom"),
            "{s}"
        );
    }

    /// docs/design/sources.md lists every pair of the matrix, so the two cannot drift apart.
    #[test]
    fn the_design_page_lists_every_pair() {
        let page = include_str!("../../docs/design/sources.md");
        for p in PackageType::ALL {
            for s in Source::allowed_for(*p) {
                let row = format!("| `{p}` | `{s}` |");
                assert!(
                    page.contains(&row),
                    "docs/design/sources.md lacks the row {row}"
                );
            }
        }
    }
}
