# Docker Hub, anonymous pulls: no url for the public default sources.
# create_before_destroy lets a registry that lists this proxy follow a rename or removal in
# one apply (see "Changing a linked proxy" below); give it to every proxy a registry lists.
resource "har_upstream_proxy" "dockerhub" {
  identifier   = "docker-hub"
  package_type = "DOCKER"
  source       = "Dockerhub"
  auth_type    = "Anonymous"

  lifecycle {
    create_before_destroy = true
  }
}

# A private AWS ECR registry; the secret key is a Harness secret reference.
resource "har_upstream_proxy" "ecr" {
  identifier   = "ecr-private"
  package_type = "DOCKER"
  source       = "AwsEcr"
  url          = "https://123456789012.dkr.ecr.us-east-1.amazonaws.com"
  auth_type    = "AccessKeySecretKey"
  access_key_secret_key = {
    access_key_secret_identifier = "aws_access_key_id"
    secret_key_identifier        = "aws_secret_access_key"
  }
}

# A Helm chart repository (HELM only takes Custom, so url is required).
resource "har_upstream_proxy" "bitnami" {
  identifier   = "bitnami"
  package_type = "HELM"
  source       = "Custom"
  url          = "https://charts.bitnami.com/bitnami"
  auth_type    = "Anonymous"
}

# Maven Central in an org, behind credentials.
resource "har_upstream_proxy" "central" {
  identifier   = "maven-central"
  package_type = "MAVEN"
  org_id       = "platform"
  source       = "MavenCentral"
  auth_type    = "UserPassword"
  user_password = {
    user_name         = "ci"
    secret_identifier = "central_token"
    secret_space_path = "acct/platform"
  }
}

# Maven Central behind the dependency firewall, with its cache TTLs (MAVEN only).
resource "har_upstream_proxy" "central_firewalled" {
  identifier         = "maven-central-fw"
  package_type       = "MAVEN"
  source             = "MavenCentral"
  auth_type          = "Anonymous"
  firewall_mode      = "QUARANTINE"
  metadata_cache_ttl = 3600
  negative_cache_ttl = 300
  remote_url_suffix  = "maven2"
  metadata = {
    team = "platform"
  }
}
