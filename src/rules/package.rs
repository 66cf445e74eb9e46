//! Package types and registry types (docs/design/har-api.md §3.1).

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident, $what:literal, { $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub(crate) enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            /// Every value, in the order the API documents them.
            #[cfg(test)]
            #[allow(dead_code)] // some enums' tests do not walk every value
            pub(crate) const ALL: &'static [$name] = &[$($name::$v),+];
            /// The wire spellings of [`Self::ALL`].
            pub(crate) const NAMES: &'static [&'static str] = &[$($s),+];

            /// The exact wire spelling (case-sensitive, as the API is).
            pub(crate) fn parse(s: &str) -> Result<Self, $crate::rules::EnumError> {
                match s {
                    $($s => Ok($name::$v),)+
                    _ => Err($crate::rules::EnumError::new($what, s, Self::NAMES)),
                }
            }

            pub(crate) fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        // Models read and write the wire spelling; a value that does not parse is an error
        // naming what is allowed (the typed-model decoder attaches the attribute path).
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::rules::EnumError;
            fn from_str(s: &str) -> Result<Self, $crate::rules::EnumError> { Self::parse(s) }
        }
    };
}
pub(crate) use string_enum;

string_enum!(
    /// `packageType`. OSS values first (OSS `api.yaml` `PackageType`), then the SaaS additions
    /// (SDK swagger `PackageType`).
    PackageType, "package type", {
    Docker = "DOCKER",
    Maven = "MAVEN",
    Python = "PYTHON",
    Generic = "GENERIC",
    Helm = "HELM",
    Nuget = "NUGET",
    Npm = "NPM",
    Rpm = "RPM",
    Cargo = "CARGO",
    Go = "GO",
    Huggingface = "HUGGINGFACE",
    HelmHttp = "HELM_HTTP",
    Composer = "COMPOSER",
    Conda = "CONDA",
    Dart = "DART",
    Swift = "SWIFT",
    Puppet = "PUPPET",
    Raw = "RAW",
    Debian = "DEBIAN",
    Conan = "CONAN",
    Ruby = "RUBY",
    Terraform = "TERRAFORM",
    Cran = "CRAN",
    Alpine = "ALPINE",
    Wolfi = "WOLFI",
});

string_enum!(
    /// `config.type`, and the list filter `type`.
    RegistryType, "repository type", {
    Virtual = "VIRTUAL",
    Upstream = "UPSTREAM",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_round_trips_and_suggests() {
        for p in PackageType::ALL {
            assert_eq!(PackageType::parse(p.as_str()), Ok(*p));
        }
        let e = PackageType::parse("docker").unwrap_err();
        assert_eq!(e.suggestion, Some("DOCKER"));
        assert!(e.to_string().contains("did you mean \"DOCKER\""), "{e}");
        assert!(e.to_string().contains("HELM, NUGET"), "{e}");
        assert_eq!(RegistryType::parse("UPSTREAM"), Ok(RegistryType::Upstream));
    }
}
