# `terraform test` for the module, against har-local (or any HAR endpoint): the provider reads
# HARNESS_ENDPOINT, HARNESS_ACCOUNT_ID and HARNESS_PLATFORM_API_KEY from the environment.
# Each run applies (unless it says command = plan); everything is destroyed at the end.

variables {
  name = "tt-docker"
  mirrors = [
    { name = "quay", url = "https://quay.io" },
  ]
}

run "docker_hub_then_the_mirrors" {
  assert {
    condition     = join(",", output.upstream_proxies) == "tt-docker-dockerhub,tt-docker-quay"
    error_message = "upstream order: ${join(",", output.upstream_proxies)}"
  }

  assert {
    condition     = endswith(output.registry_url, "/tt-docker")
    error_message = "registry_url: ${output.registry_url}"
  }
}

run "a_mirror_renamed_in_one_apply" {
  variables {
    mirrors = [
      { name = "quay-io", url = "https://quay.io" },
    ]
  }

  assert {
    condition     = join(",", output.upstream_proxies) == "tt-docker-dockerhub,tt-docker-quay-io"
    error_message = "upstream order: ${join(",", output.upstream_proxies)}"
  }
}

run "a_bad_name_is_refused" {
  command = plan

  variables {
    name = "9-lives"
  }

  expect_failures = [var.name]
}

run "a_registry_needs_an_upstream" {
  command = plan

  variables {
    dockerhub = false
    mirrors   = []
  }

  expect_failures = [har_registry.this]
}
