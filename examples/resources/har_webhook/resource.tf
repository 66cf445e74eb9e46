# Tell CI about every image pushed to (or deleted from) a registry.
resource "har_registry" "releases" {
  identifier   = "docker-releases"
  package_type = "DOCKER"
}

resource "har_webhook" "ci" {
  registry    = har_registry.releases.id
  identifier  = "notify_ci"
  name        = "Notify CI"
  description = "Starts the deploy pipeline"
  url         = "https://ci.example.com/hooks/har"
  triggers    = ["ARTIFACT_CREATION", "ARTIFACT_DELETION"]

  # Signs each payload with a Harness secret (a reference, never the secret itself).
  secret_identifier = "ci_webhook_signing_key"

  extra_headers = [
    { key = "X-Team", value = "platform" },
    # Masked: Harness never shows the value again; Terraform keeps the configured one.
    { key = "Authorization", value = "Bearer example-token", masked = true },
  ]
}
