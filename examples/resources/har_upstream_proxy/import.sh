# The import ID is the proxy's registry ref: <account>[/<org>[/<project>]]/<identifier>.
terraform import har_upstream_proxy.dockerhub acct/docker-hub
terraform import har_upstream_proxy.central acct/platform/maven-central
