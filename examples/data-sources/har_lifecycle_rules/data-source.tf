# Every lifecycle rule of the account (the provider's default scope), and which ones delete.
data "har_lifecycle_rules" "all" {}

output "cleanup_rules" {
  value = [for r in data.har_lifecycle_rules.all.rules : r.name if r.action == "DELETE"]
}
