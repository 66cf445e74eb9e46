terraform {
  required_providers {
    har = {
      source = "tfhar/har"
    }
  }
}

# Credentials from the environment (HARNESS_ACCOUNT_ID, HARNESS_PLATFORM_API_KEY):
provider "har" {}

# Or explicitly, with a default scope for resources that set none:
provider "har" {
  alias      = "platform"
  endpoint   = "https://app.harness.io/gateway"
  account_id = var.harness_account_id
  api_key    = var.harness_api_key
  org_id     = "default"
  project_id = "platform"
}

variable "harness_account_id" {
  type = string
}

variable "harness_api_key" {
  type      = string
  sensitive = true
}
