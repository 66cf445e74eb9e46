# One registry, by identifier, in the provider's scope or the one given.
data "har_registry" "docker" {
  identifier = "docker-main"
}

output "docker_pull_url" {
  value = data.har_registry.docker.url
}

output "docker_upstream_order" {
  value = data.har_registry.docker.upstream_proxies
}
