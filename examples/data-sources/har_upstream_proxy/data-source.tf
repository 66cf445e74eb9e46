# One upstream proxy, by identifier and scope.
data "har_upstream_proxy" "central" {
  identifier = "maven-central"
  org_id     = "platform"
}

output "central_source" {
  value = data.har_upstream_proxy.central.source
}
