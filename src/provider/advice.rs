//! The advice two errors give about Terraform's ordering of a linked upstream proxy's
//! replacement or removal. The provider cannot fix that order itself (a delete carries only
//! the proxy's own state, and the registry is updated after the proxy is destroyed), so the
//! errors name the setting that does: `lifecycle { create_before_destroy = true }`.

/// The lifecycle block, as users paste it.
const CREATE_BEFORE_DESTROY: &str = "lifecycle {\n    create_before_destroy = true\n  }";

/// The registries a server refusal names ("upstream Proxy: [x] is being used inside
/// Registry: [a, b]"), or none if the message has another shape.
pub fn registries_listing(server_message: &str) -> Vec<String> {
    let Some((_, rest)) = server_message.split_once("Registry: [") else {
        return Vec::new();
    };
    let Some((list, _)) = rest.split_once(']') else {
        return Vec::new();
    };
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Summary and detail of the error when the server refuses to delete a proxy that
/// registries still list. `doing_and_error` is "deleting upstream proxy x: <server error>".
pub fn delete_refused(
    noun: &str,
    identifier: &str,
    registries: &[String],
    doing_and_error: &str,
) -> (String, String) {
    let listed_by = match registries {
        [] => "a registry".to_string(),
        [one] => format!("registry {one}"),
        many => format!("registries {}", many.join(", ")),
    };
    let summary = format!("Cannot delete {noun} {identifier}: still listed by {listed_by}");
    let detail = format!(
        "{doing_and_error}\n\n\
         The server refuses to delete a proxy while {listed_by} still lists it in \
         upstream_proxies. When this apply renames the proxy or removes it together with its \
         link, Terraform destroys the old proxy before it updates the registry. Add this to \
         the har_upstream_proxy resource, apply it, and apply the change again:\n\n  \
         {CREATE_BEFORE_DESTROY}\n\n\
         With it Terraform creates the replacement and updates the registry first, and \
         destroys the old proxy last (for a removed proxy, the setting already recorded in \
         state decides, so add it while the proxy is still in the configuration). If the \
         registry is not managed in this configuration, remove the proxy from its upstream \
         list there first."
    );
    (summary, detail)
}

/// Why a replacement that keeps its identifier cannot create first, and the way out.
fn keeping_identifier(kind: &str) -> String {
    format!(
        "Names are unique in the account, so with `create_before_destroy = true` the new \
         {kind} cannot be created while the old one exists, and the apply stops (the old \
         object stays, recorded as deposed). The way out: give it a new identifier in the \
         same change (create first, destroy last then works, and a later rename back works \
         the same way), or, before the first apply, remove create_before_destroy for this one \
         change if no registry lists it."
    )
}

/// Added to the plan-time "identifier already taken" error when the identifier is taken by
/// an object of the same type: during apply, the create half of a create-before-destroy
/// replacement that keeps its identifier lands here, and importing is then the wrong advice.
pub fn replacement_keeping_identifier(kind: &str) -> String {
    format!(
        "\n\nIf this is the replacement of a {kind} that keeps its identifier (a new \
         package_type, org_id or project_id) and the resource sets create_before_destroy: {}",
        keeping_identifier(kind)
    )
}

/// Summary and detail of the plan-time warning for a replacement that keeps its identifier
/// (the provider cannot see whether the resource sets create_before_destroy).
pub fn replacing_in_place(kind: &str, reference: &str) -> (String, String) {
    (
        format!("{kind} {reference} is replaced keeping its identifier"),
        format!(
            "This works when Terraform destroys the old object first, which is the default. {}",
            keeping_identifier(kind)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_registries_in_the_server_message() {
        assert_eq!(
            registries_listing("upstream Proxy: [p] is being used inside Registry: [a, b]"),
            vec!["a".to_string(), "b".to_string()]
        );
        assert!(registries_listing("registry not found").is_empty());
        assert!(registries_listing("Registry: [unterminated").is_empty());
    }

    #[test]
    fn delete_refused_names_registries_and_the_lifecycle_setting() {
        let (summary, detail) = delete_refused(
            "upstream proxy",
            "p",
            &["a".into(), "b".into()],
            "deleting: x",
        );
        assert_eq!(
            summary,
            "Cannot delete upstream proxy p: still listed by registries a, b"
        );
        assert!(detail.contains("create_before_destroy = true"), "{detail}");
        assert!(!detail.contains("-target"), "{detail}");
        let (summary, _) = delete_refused("upstream proxy", "p", &[], "x");
        assert!(summary.ends_with("still listed by a registry"), "{summary}");
    }
}
