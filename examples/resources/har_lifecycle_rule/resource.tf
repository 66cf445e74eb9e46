resource "har_registry" "snapshots" {
  identifier   = "docker-snapshots"
  package_type = "DOCKER"
}

# Nightly cleanup: in the snapshot registry, delete app-* images beyond the newest 10 that are
# also older than 30 days.
resource "har_lifecycle_rule" "nightly_cleanup" {
  name         = "nightly-cleanup"
  description  = "Keep the last 10 snapshot images"
  action       = "DELETE"
  package_type = "DOCKER"

  apply_to = {
    mode       = "EXPLICIT"
    registries = [har_registry.snapshots.identifier]
  }

  criteria = {
    match = "ALL"
    rules = [
      { type = "KEEP_LAST_N", value = 10 },
      { type = "AGE_BASED", value = 30, unit = "DAYS" },
    ]
  }

  schedule = {
    expression = "0 2 * * *"
    timezone   = "Europe/Berlin"
  }

  filter_config = {
    package_name_patterns = ["app-*"]
    tag_name_patterns     = ["*-SNAPSHOT"]
  }
}

# Retention: release versions of every registry in the account are never deleted.
resource "har_lifecycle_rule" "keep_releases" {
  name   = "keep-releases"
  action = "PROTECT"

  apply_to = {
    mode = "ALL_IN_SCOPE"
  }

  filter_config = {
    version_name_patterns = ["v*.*.*"]
  }
}
