# Every webhook of a registry, by identifier.
data "har_webhooks" "releases" {
  registry = "acct/docker-releases"
}

output "webhook_urls" {
  value = { for w in data.har_webhooks.releases.webhooks : w.identifier => w.url }
}
