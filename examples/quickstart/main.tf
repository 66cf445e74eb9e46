# The quickstart: a Docker registry that pulls through Docker Hub, a private AWS ECR and a
# custom registry, in that order, and a Helm registry with a Helm chart proxy.
#
# The provider reads its endpoint, account and API key from HARNESS_ENDPOINT,
# HARNESS_ACCOUNT_ID and HARNESS_PLATFORM_API_KEY (scripts/quickstart.sh points them at a
# har-local it starts).
#
# Every proxy a registry lists has `lifecycle { create_before_destroy = true }`: HAR refuses
# to delete a proxy a registry still lists, and with it Terraform renames or removes a linked
# proxy in one apply (new proxy, registry update, old proxy deleted last).

terraform {
  required_providers {
    har = {
      source = "tfhar/har"
    }
  }
}

provider "har" {}

resource "har_upstream_proxy" "dockerhub" {
  identifier   = "dockerhub"
  package_type = "DOCKER"
  description  = "Docker Hub, anonymous pulls"
  source       = "Dockerhub"
  auth_type    = "Anonymous"

  lifecycle {
    create_before_destroy = true
  }
}

resource "har_upstream_proxy" "ecr" {
  identifier   = "ecr-private"
  package_type = "DOCKER"
  source       = "AwsEcr"
  url          = "https://123456789012.dkr.ecr.us-east-1.amazonaws.com"
  auth_type    = "AccessKeySecretKey"
  access_key_secret_key = {
    access_key            = "AKIAEXAMPLE"
    secret_key_identifier = "aws_secret_key"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "har_upstream_proxy" "quay" {
  identifier   = "quay"
  package_type = "DOCKER"
  source       = "Custom"
  url          = "https://quay.io"
  auth_type    = "UserPassword"
  user_password = {
    user_name         = "robot"
    secret_identifier = "quay_password"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "har_registry" "docker" {
  identifier   = "docker-main"
  package_type = "DOCKER"
  description  = "Images for every team"
  labels       = ["quickstart"]
  upstream_proxies = [
    har_upstream_proxy.dockerhub.identifier,
    har_upstream_proxy.ecr.identifier,
    har_upstream_proxy.quay.identifier,
  ]
}

resource "har_upstream_proxy" "bitnami" {
  identifier   = "bitnami-charts"
  package_type = "HELM"
  source       = "Custom"
  url          = "https://charts.bitnami.com/bitnami"
  auth_type    = "Anonymous"

  lifecycle {
    create_before_destroy = true
  }
}

resource "har_registry" "helm" {
  identifier       = "helm-main"
  package_type     = "HELM"
  description      = "Charts for every team"
  upstream_proxies = [har_upstream_proxy.bitnami.identifier]
}

output "docker_registry_url" {
  value = har_registry.docker.url
}

output "docker_upstream_order" {
  value = har_registry.docker.upstream_proxies
}

output "helm_registry_url" {
  value = har_registry.helm.url
}
