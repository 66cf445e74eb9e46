//! `tfhar migrate-from-harness`: from the state of a workspace that uses the official provider's
//! `harness_platform_har_registry` and `harness_platform_har_lifecycle_rule` (the JSON of
//! `terraform show -json`) to `import` blocks for this provider's `har_registry` /
//! `har_upstream_proxy` / `har_lifecycle_rule`, `removed` blocks that drop the old
//! addresses without destroying anything, and a list of what cannot be carried over.
//!
//! Nothing here knows the provider's internals: the resource types and the fields this
//! provider manages come from [`coverage`], the one place that names them.

pub mod address;
pub mod coverage;
pub mod error;
pub mod hcl;
pub mod scope;
pub mod state;

use serde_json::{Map, Value};

use address::{Names, name_parts, removed_from};
use coverage::Kind;
pub use error::{InputError, InstanceError, MigrateError};
use state::{Instance, Mode};

/// Exit codes of `tfhar migrate-from-harness`.
pub mod exit {
    /// Every object of the official provider found in the state is carried over.
    pub const COVERED: u8 = 0;
    /// The blocks were written, but something is not carried over (listed on stderr).
    pub const PARTIAL: u8 = 1;
    /// Bad input (not a state document, an instance tfhar cannot map) or usage: nothing written.
    pub const BAD_INPUT: u8 = 2;
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The Harness account, for states that hold only `org_id`/`project_id`; when given, a
    /// `parent_ref` in another account is refused.
    pub account: Option<String>,
}

/// One official object and the import that takes it over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    pub old_address: String,
    pub kind: Kind,
    /// The new resource's name (in the root module).
    pub name: String,
    /// `<account>[/<org>[/<project>]]/<identifier or rule id>`: the import ID.
    pub id: String,
}

/// Something the user must know about one old address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub address: String,
    pub message: String,
    /// `true`: not carried over (the exit code says so); `false`: carried over, with a step to
    /// do by hand.
    pub lost: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Migration {
    pub imports: Vec<Import>,
    /// `from` addresses for `removed` blocks, each once, in state order.
    pub removed: Vec<String>,
    pub findings: Vec<Finding>,
}

impl Migration {
    /// Everything found was carried over.
    pub fn covered(&self) -> bool {
        self.findings.iter().all(|f| !f.lost)
    }

    /// The `import` blocks, one per official object.
    pub fn imports_hcl(&self) -> String {
        let mut out = format!(
            "# Written by `tfhar migrate-from-harness`: {} object(s) of the official provider.\n\
             # Next: terraform plan -generate-config-out=generated.tf (see docs/guides/migrating-from-harness.md),\n\
             # with no org_id/project_id in the provider \"har\" block and HARNESS_ORG_ID/HARNESS_PROJECT_ID\n\
             # unset: a generated `org_id = null` means the provider's default org, which would replace\n\
             # account-level objects.\n",
            self.imports.len()
        );
        for i in &self.imports {
            out.push('\n');
            out.push_str(&hcl::import_block(
                &i.old_address,
                i.kind.resource_type(),
                &i.name,
                &i.id,
            ));
        }
        out
    }

    /// The `removed` blocks for the workspace that still has the official provider.
    pub fn removed_hcl(&self) -> String {
        let mut out = String::from(
            "# Written by `tfhar migrate-from-harness`: forget the official provider's objects\n\
             # without destroying them, once their resource blocks are deleted.\n",
        );
        for from in &self.removed {
            out.push('\n');
            out.push_str(&hcl::removed_block(from));
        }
        out
    }
}

/// Reads a `terraform show -json` state document and maps every official object in it.
pub fn migrate(state_json: &str, options: &Options) -> Result<Migration, MigrateError> {
    let instances = state::instances(state_json)?;
    let mut m = Migration::default();
    let mut names = Names::default();
    // A name is unique within its resource type: a rule named as a registry keeps its name.
    let mut rule_names = Names::default();
    let mut errors = Vec::new();
    for inst in &instances {
        if !inst.resource_type.starts_with(coverage::OFFICIAL_PREFIX) {
            continue;
        }
        if inst.mode == Mode::Data {
            let instead = if inst.resource_type == coverage::OFFICIAL_LIFECYCLE_RULE {
                "data \"har_lifecycle_rule\""
            } else {
                "data \"har_registry\" or data \"har_upstream_proxy\" (identifier, org_id, \
                 project_id)"
            };
            m.findings.push(lost(
                inst,
                &format!("a data source: read the object with {instead} instead, by hand"),
            ));
            continue;
        }
        let mapped = match inst.resource_type.as_str() {
            coverage::OFFICIAL_REGISTRY => registry(inst, options, &mut names),
            coverage::OFFICIAL_LIFECYCLE_RULE => lifecycle_rule(inst, options, &mut rule_names),
            other => {
                m.findings.push(lost(
                    inst,
                    &format!("resource type {other} is not known to tfhar"),
                ));
                continue;
            }
        };
        match mapped {
            Ok((import, findings)) => {
                match removed_from(inst).map_err(|p| instance_error(inst, p)) {
                    Ok(from) if !m.removed.contains(&from) => m.removed.push(from),
                    Ok(_) => {}
                    Err(e) => errors.push(e),
                }
                m.imports.push(import);
                m.findings.extend(findings);
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(m)
    } else {
        Err(MigrateError::Instances(errors))
    }
}

fn lost(inst: &Instance, message: &str) -> Finding {
    Finding {
        address: inst.address.clone(),
        message: message.to_string(),
        lost: true,
    }
}

fn instance_error(inst: &Instance, problem: impl Into<String>) -> InstanceError {
    InstanceError {
        address: inst.address.clone(),
        problem: problem.into(),
    }
}

/// The first (only) element of a max-one block: `config[0]`, `config[0].auth[0]`.
fn block<'a>(m: &'a Map<String, Value>, key: &str) -> Option<&'a Map<String, Value>> {
    m.get(key)?.as_array()?.first()?.as_object()
}

fn registry(
    inst: &Instance,
    options: &Options,
    names: &mut Names,
) -> Result<(Import, Vec<Finding>), InstanceError> {
    let values = &inst.values;
    let identifier = values
        .get("identifier")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| instance_error(inst, "has no identifier in its values"))?;
    if identifier.contains('/') {
        return Err(instance_error(
            inst,
            format!("identifier = {identifier:?} must not contain `/`"),
        ));
    }
    let config = block(values, "config");
    let kind = match config.and_then(|c| c.get("type")).and_then(Value::as_str) {
        Some("UPSTREAM") => Kind::UpstreamProxy,
        Some("VIRTUAL") | Some("") | None => Kind::Registry,
        Some(other) => {
            return Err(instance_error(
                inst,
                format!(
                    "config[0].type = {other:?} is not known to tfhar: VIRTUAL becomes \
                     har_registry, UPSTREAM har_upstream_proxy"
                ),
            ));
        }
    };
    let scope =
        scope::scope_of(values, options.account.as_deref()).map_err(|p| instance_error(inst, p))?;
    let parts = name_parts(inst).map_err(|p| instance_error(inst, p))?;
    let import = Import {
        old_address: inst.address.clone(),
        kind,
        name: names.assign(&parts),
        id: scope.registry_ref(identifier),
    };
    let target = kind.resource_type();
    let mut findings: Vec<Finding> = coverage::left_behind(values, kind)
        .into_iter()
        .map(|l| Finding {
            address: inst.address.clone(),
            message: if l.kept_on_update {
                format!(
                    "{} = {}: {target} does not manage it; the server keeps \
                     it (an update sends it back unchanged): change it in Harness, not in Terraform",
                    l.field, l.value
                )
            } else {
                format!(
                    "{} = {}: {target} does not manage it, and an update by \
                     {target} does not send it (PUT replaces the whole registry), which may reset \
                     it: check it in Harness after each change",
                    l.field, l.value
                )
            },
            lost: true,
        })
        .collect();
    let inline_key = config
        .and_then(|c| block(c, "auth"))
        .and_then(|a| a.get("access_key"))
        .and_then(Value::as_str)
        .is_some_and(|k| !k.is_empty());
    if inline_key {
        findings.push(Finding {
            address: inst.address.clone(),
            message: format!(
                "by hand: the AWS access key is inline (config[0].auth[0].access_key); \
                 -generate-config-out writes `access_key = null # sensitive` in \
                 {target}.{}: put the key there",
                import.name
            ),
            lost: false,
        });
    }
    Ok((import, findings))
}

fn lifecycle_rule(
    inst: &Instance,
    options: &Options,
    names: &mut Names,
) -> Result<(Import, Vec<Finding>), InstanceError> {
    let values = &inst.values;
    // `rule_id` and `id` both hold the server's id (the official import sets both).
    let rule_id = ["rule_id", "id"]
        .iter()
        .filter_map(|k| values.get(*k).and_then(Value::as_str))
        .find(|s| !s.is_empty())
        .ok_or_else(|| instance_error(inst, "has no rule_id (or id) in its values"))?;
    if rule_id.contains('/') {
        return Err(instance_error(
            inst,
            format!("rule_id = {rule_id:?} must not contain `/`"),
        ));
    }
    let scope = scope::rule_scope_of(values, options.account.as_deref())
        .map_err(|p| instance_error(inst, p))?;
    let parts = name_parts(inst).map_err(|p| instance_error(inst, p))?;
    let kind = Kind::LifecycleRule;
    let import = Import {
        old_address: inst.address.clone(),
        kind,
        name: names.assign(&parts),
        id: scope.registry_ref(rule_id),
    };
    let target = kind.resource_type();
    let mut findings: Vec<Finding> = coverage::left_behind(values, kind)
        .into_iter()
        .map(|l| Finding {
            address: inst.address.clone(),
            message: format!(
                "{} = {}: {target} does not manage it, and an update by {target} does not \
                 send it: check it in Harness after each change",
                l.field, l.value
            ),
            lost: true,
        })
        .collect();
    // Here the filter's package type is the rule's: lists of another type would not plan.
    let text = |m: &Map<String, Value>, k: &str| {
        m.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let rule_type = text(values, "package_type");
    if let Some(filter_type) = block(values, "filter_config")
        .map(|f| text(f, "package_type"))
        .filter(|t| !t.is_empty() && *t != rule_type)
    {
        findings.push(Finding {
            address: inst.address.clone(),
            message: format!(
                "by hand: filter_config[0].package_type = {filter_type:?} but package_type = \
                 {rule_type:?}; {target}.{} takes the pattern lists of its package_type only: \
                 check the generated filter_config",
                import.name
            ),
            lost: false,
        });
    }
    Ok((import, findings))
}

#[cfg(test)]
mod tests;
