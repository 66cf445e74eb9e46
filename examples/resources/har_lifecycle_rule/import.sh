# The import ID is the rule's id: <account>[/<org>[/<project>]]/<rule id>, where the rule id
# is the one Harness gave the rule (the `rule_id` attribute).
terraform import har_lifecycle_rule.nightly_cleanup acct/0f8e2c7d9b6a4e31a5c4d3b2e1f0a9b8
