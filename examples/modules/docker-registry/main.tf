# A Docker registry for one team: Docker Hub first (unless turned off), then the team's own
# mirrors, in order. Every proxy sets create_before_destroy, so renaming or dropping a mirror
# is one apply.

terraform {
  required_version = ">= 1.6"
  required_providers {
    har = {
      source = "tfhar/har"
    }
  }
}

variable "name" {
  type        = string
  description = "The registry's identifier; its proxies are named <name>-dockerhub and <name>-<mirror>."

  validation {
    condition     = can(regex("^[a-z][a-z0-9_.-]{2,40}$", var.name))
    error_message = "name must start with a lowercase letter and have 3 to 41 lowercase letters, digits, '_', '.' or '-'."
  }
}

variable "dockerhub" {
  type        = bool
  description = "Resolve misses through Docker Hub (anonymous) before the mirrors."
  default     = true
}

variable "mirrors" {
  type = list(object({
    name = string
    url  = string
  }))
  description = "Custom Docker registries to pull through, in resolution order."
  default     = []

  validation {
    condition     = alltrue([for m in var.mirrors : startswith(m.url, "https://")])
    error_message = "every mirror url must start with https://."
  }
}

locals {
  mirrors = { for m in var.mirrors : m.name => m }
}

resource "har_upstream_proxy" "dockerhub" {
  count = var.dockerhub ? 1 : 0

  identifier   = "${var.name}-dockerhub"
  package_type = "DOCKER"
  source       = "Dockerhub"
  auth_type    = "Anonymous"

  lifecycle {
    create_before_destroy = true
  }
}

resource "har_upstream_proxy" "mirror" {
  for_each = local.mirrors

  identifier   = "${var.name}-${each.key}"
  package_type = "DOCKER"
  source       = "Custom"
  url          = each.value.url
  auth_type    = "Anonymous"

  lifecycle {
    create_before_destroy = true
  }
}

resource "har_registry" "this" {
  identifier   = var.name
  package_type = "DOCKER"
  description  = "Docker images of ${var.name}"
  upstream_proxies = concat(
    har_upstream_proxy.dockerhub[*].identifier,
    [for m in var.mirrors : har_upstream_proxy.mirror[m.name].identifier],
  )

  lifecycle {
    precondition {
      condition     = var.dockerhub || length(var.mirrors) > 0
      error_message = "A registry with neither Docker Hub nor a mirror resolves nothing: set dockerhub = true or add a mirror."
    }
  }
}

output "registry_id" {
  description = "The registry's ref: ACCOUNT/IDENTIFIER."
  value       = har_registry.this.id
}

output "registry_url" {
  description = "The URL clients pull from."
  value       = har_registry.this.url
}

output "upstream_proxies" {
  description = "The proxies the registry resolves through, in order."
  value       = har_registry.this.upstream_proxies
}
