//! Why a state document cannot be migrated at all (exit code 2): nothing is written then, so a
//! half-made set of import blocks never reaches a configuration.

/// The input is not what `terraform show -json` prints for a state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("not JSON: {0}")]
    NotJson(String),
    #[error(
        "not a state document: expected the JSON object that `terraform show -json` prints \
         (with \"format_version\" and \"values\"); {0}"
    )]
    NotState(String),
    #[error(
        "this is a raw state file (terraform.tfstate, \"version\": {0}), not `terraform show -json` \
         output: run `terraform show -json > state.json` in the workspace and pass state.json"
    )]
    RawStateFile(String),
    #[error(
        "this is a plan (it has \"planned_values\"), not a state: run `terraform show -json` \
         without a plan file"
    )]
    Plan,
    #[error("not a state document: {0}")]
    Malformed(String),
}

/// One `harness_platform_har_registry` instance that tfhar cannot turn into an import block.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{address}: {problem}")]
pub struct InstanceError {
    pub address: String,
    pub problem: String,
}

/// Everything that stops a migration, every instance's problem at once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MigrateError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("{}", list(.0))]
    Instances(Vec<InstanceError>),
}

fn list(errors: &[InstanceError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}
