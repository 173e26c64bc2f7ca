terraform {
  required_providers {
    live = {
      source = "callbackwatch/live"
    }
  }
}

# Credentials come from the environment (ALIBABA_CLOUD_ACCESS_KEY_ID and
# ALIBABA_CLOUD_ACCESS_KEY_SECRET) or the default credential chain, so the
# block itself holds no secret.
provider "live" {
  region = "cn-shanghai"

  # Leave room under the account's 100 requests per second for other tools.
  max_qps = 20
}
