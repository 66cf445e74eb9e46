# The import ID is the registry ref: <account>[/<org>[/<project>]]/<identifier>,
# the same value as the resource's `id`.
terraform import har_registry.docker acct/docker-main
terraform import har_registry.charts acct/platform/charts
