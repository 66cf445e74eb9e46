# One webhook of a registry.
data "har_webhook" "ci" {
  registry   = "acct/docker-releases"
  identifier = "notify_ci"
}

output "ci_webhook_url" {
  value = data.har_webhook.ci.url
}
