# Warn on every plan when the stream-ingest callbacks of the last hour fail
# too often. A check block never blocks the plan: it prints a warning (and
# HCP Terraform / OpenTofu runners surface it), so it suits a health signal
# that should not stop unrelated infrastructure changes.
#
#   tofu plan -var domain_name=push.example.com
terraform {
  required_version = ">= 1.5"
  required_providers {
    live = {
      source = "callbackwatch/live"
    }
  }
}

# Credentials and endpoint come from the environment
# (ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET, ...).
provider "live" {}

variable "domain_name" {
  description = "The ingest domain whose callbacks to watch."
  type        = string
}

variable "max_failure_ratio" {
  description = "The share of failed callbacks (0 to 1) above which the check warns."
  type        = number
  default     = 0.05
}

check "stream_callbacks_healthy" {
  data "live_stream_notify_records" "last_hour" {
    domain_name  = var.domain_name
    lookback     = "1h"
    keep_records = "none"
  }

  assert {
    condition = data.live_stream_notify_records.last_hour.summary.failure_ratio <= var.max_failure_ratio
    error_message = format(
      "Stream-ingest callbacks of %s are unhealthy: %d of %d failed in the last hour (%.1f%%, threshold %.1f%%). Failing webhooks: %s. Latest failure at %s: %s",
      var.domain_name,
      data.live_stream_notify_records.last_hour.summary.failed,
      data.live_stream_notify_records.last_hour.summary.total,
      data.live_stream_notify_records.last_hour.summary.failure_ratio * 100,
      var.max_failure_ratio * 100,
      join(", ", data.live_stream_notify_records.last_hour.summary.failed_notify_urls),
      coalesce(data.live_stream_notify_records.last_hour.summary.latest_failure_time, "-"),
      coalesce(data.live_stream_notify_records.last_hour.summary.latest_failure_description, "-"),
    )
  }
}
