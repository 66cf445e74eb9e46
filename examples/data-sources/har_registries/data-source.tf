# Every Docker upstream proxy of the account scope.
data "har_registries" "docker_proxies" {
  package_type = "DOCKER"
  type         = "UPSTREAM"
}

output "docker_proxy_ids" {
  value = [for r in data.har_registries.docker_proxies.registries : r.id]
}
