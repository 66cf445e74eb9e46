# The import ID is the webhook's id: <registry id>/<webhook identifier>, where the registry id
# is <account>[/<org>[/<project>]]/<registry identifier>.
terraform import har_webhook.ci acct/docker-releases/notify_ci
