//! "Keep the user's form": wherever the server answers something *equivalent* to what the
//! user wrote (`""` for a null description, `null` for `[]`, a URL without its trailing `/`,
//! an empty secret space path), the state keeps the user's form, so equivalent values never
//! show up as a diff. `prior` is the prior state or the planned value, `None` on import.

use crate::framework::Field;
use crate::rules;

/// A `list(string)` attribute as a model holds it (the list and each element may be null or
/// unknown in a config).
pub(crate) type StringList = Field<Vec<Field<String>>>;

/// The list's elements when the list and every element are known; `None` otherwise.
pub(crate) fn known_strings(list: &StringList) -> Option<Vec<String>> {
    match list {
        Field::Known(items) => items.iter().map(|i| i.clone().known()).collect(),
        _ => None,
    }
}

pub(crate) fn string_list(items: &[String]) -> StringList {
    Field::Known(items.iter().cloned().map(Field::Known).collect())
}

/// A description: the server's `""` is the user's null.
pub(crate) fn description(prior: Option<&Field<String>>, server: &str) -> Field<String> {
    match prior {
        Some(Field::Known(p)) if p == server => Field::Known(p.clone()),
        _ if server.is_empty() => Field::Null,
        _ => Field::Known(server.to_string()),
    }
}

/// A list: the server's `null` and `[]` are the same thing; keep the user's form.
pub(crate) fn list(prior: Option<&StringList>, server: &[String]) -> StringList {
    if server.is_empty() {
        let prior_empty = prior.and_then(known_strings).is_some_and(|v| v.is_empty());
        return if prior_empty {
            Field::Known(vec![])
        } else {
            Field::Null
        };
    }
    string_list(server)
}

/// A URL: a trailing `/` (and surrounding blanks) is not a change; `""` is null.
pub(crate) fn url(prior: Option<&Field<String>>, server: &str) -> Field<String> {
    if let Some(Field::Known(p)) = prior
        && rules::normalize_url(p) == rules::normalize_url(server)
    {
        return Field::Known(p.clone());
    }
    if server.trim().is_empty() {
        Field::Null
    } else {
        Field::Known(server.to_string())
    }
}

/// A secret space path: `""` is null, and a path that differs only by a surrounding `/` is
/// the same path. (The server answers `""` when none was given.)
pub(crate) fn space_path(prior: Option<&Field<String>>, server: Option<&str>) -> Field<String> {
    let server = server.unwrap_or("").trim();
    let norm = |s: &str| s.trim().trim_matches('/').to_string();
    match prior {
        Some(Field::Known(p)) if norm(p) == norm(server) => Field::Known(p.clone()),
        _ if server.is_empty() => Field::Null,
        _ => Field::Known(server.to_string()),
    }
}

/// A value the API treats as unset when it is its empty form (`""`, `false`, `0`, the
/// default firewall mode): the user's null stays null, the user's explicit empty form stays.
pub(crate) fn unset_if<T: Clone + PartialEq>(
    prior: Option<&Field<T>>,
    server: Option<T>,
    is_unset: impl Fn(&T) -> bool,
) -> Field<T> {
    match (prior, server) {
        (Some(Field::Known(p)), Some(s)) if *p == s => Field::Known(p.clone()),
        (Some(Field::Known(p)), None) if is_unset(p) => Field::Known(p.clone()),
        (_, None) => Field::Null,
        (Some(Field::Known(p)), Some(s)) if is_unset(p) && is_unset(&s) => Field::Known(p.clone()),
        (_, Some(s)) if is_unset(&s) => Field::Null,
        (_, Some(s)) => Field::Known(s),
    }
}

/// A path suffix: surrounding `/` and blanks are not a change; `""` is null.
pub(crate) fn suffix(prior: Option<&Field<String>>, server: Option<&str>) -> Field<String> {
    let norm = |s: &str| s.trim().trim_matches('/').to_string();
    let server = server.map(norm).unwrap_or_default();
    match prior {
        Some(Field::Known(p)) if norm(p) == server => Field::Known(p.clone()),
        _ if server.is_empty() => Field::Null,
        _ => Field::Known(server),
    }
}

/// Epoch milliseconds (the API's `createdAt`, a string) as RFC 3339 UTC; anything else is
/// kept as the server sent it.
pub(crate) fn created_at(ms: &str) -> String {
    match ms.trim().parse::<i64>() {
        Ok(ms) => crate::rules::rfc3339_utc(ms.div_euclid(1000), None),
        Err(_) => ms.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millis_to_rfc3339() {
        assert_eq!(created_at("0"), "1970-01-01T00:00:00Z");
        assert_eq!(created_at("1724251211000"), "2024-08-21T14:40:11Z");
        assert_eq!(created_at("951782400000"), "2000-02-29T00:00:00Z");
        assert_eq!(created_at("soon"), "soon");
    }
}
