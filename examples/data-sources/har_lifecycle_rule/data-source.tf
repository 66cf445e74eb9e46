# One lifecycle rule, by the id Harness gave it, in the provider's default scope.
variable "rule_id" {
  type = string
}

data "har_lifecycle_rule" "cleanup" {
  rule_id = var.rule_id
}

output "cleanup_schedule" {
  value = data.har_lifecycle_rule.cleanup.schedule
}
