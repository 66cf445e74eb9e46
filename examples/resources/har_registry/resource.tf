# A Docker registry that resolves misses through Docker Hub first, then a private mirror.
# The proxies it lists set create_before_destroy, so renaming or removing one is one apply.
resource "har_upstream_proxy" "dockerhub" {
  identifier   = "dockerhub"
  package_type = "DOCKER"
  source       = "Dockerhub"
  auth_type    = "Anonymous"

  lifecycle {
    create_before_destroy = true
  }
}

resource "har_upstream_proxy" "mirror" {
  identifier   = "docker-mirror"
  package_type = "DOCKER"
  source       = "Custom"
  url          = "https://mirror.example.com"
  auth_type    = "UserPassword"
  user_password = {
    user_name         = "robot"
    secret_identifier = "mirror_password" # a Harness secret, never the password itself
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "har_registry" "docker" {
  identifier   = "docker-main"
  package_type = "DOCKER"
  description  = "Images for every team"
  labels       = ["platform"]

  # Resolution order: a reorder is an in-place update.
  upstream_proxies = [
    har_upstream_proxy.dockerhub.identifier,
    har_upstream_proxy.mirror.identifier,
  ]
}

# A Helm registry in an org, with no upstream.
resource "har_registry" "charts" {
  identifier      = "charts"
  package_type    = "HELM"
  org_id          = "platform"
  allowed_pattern = ["platform-*"]
}

# A Debian registry with every setting the API has: public, scanned, cleaned up, with its own
# index settings and key/value metadata (user entries only; system entries are left alone).
resource "har_registry" "debian" {
  identifier   = "debian-main"
  package_type = "DEBIAN"
  is_public    = true
  scanners     = ["AQUA_TRIVY"]
  policy_refs  = ["account.security_baseline"]

  cleanup_policy = [{
    name           = "old-builds"
    expire_days    = 30
    package_prefix = ["nightly-"]
    version_prefix = ["0."]
  }]

  debian_config = {
    remote_indexed_architectures       = ["amd64", "arm64"]
    optional_index_compression_formats = [".xz"]
  }

  metadata = {
    team  = "platform"
    owner = "platform@example.com"
  }
}
