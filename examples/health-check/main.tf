# Warn on every plan when the stream-ingest callbacks of the last hour fail:
# when any event type or webhook, judged on its own, failed too often or is
# still failing, or when the hour held no callbacks at all. A check block
# never blocks the plan: it prints a warning (and HCP Terraform / OpenTofu
# runners surface it), so it suits a health signal that should not stop
# unrelated infrastructure changes.
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
  description = "The share of failed callbacks (0 to 1) of any event type or webhook above which the check warns."
  type        = number
  default     = 0.05
}

variable "max_consecutive_failures" {
  description = "The most failures in a row, after the newest success, of any event type or webhook before the check warns."
  type        = number
  default     = 2
}

check "stream_callbacks_healthy" {
  data "live_stream_notify_records" "last_hour" {
    domain_name  = var.domain_name
    lookback     = "1h"
    keep_records = "none"
  }

  assert {
    condition     = data.live_stream_notify_records.last_hour.summary.total > 0
    error_message = "No stream-ingest callbacks of ${var.domain_name} in the last hour: nothing vouches for its webhooks. Is the domain live, and are its callbacks configured?"
  }

  assert {
    condition = alltrue([
      for h in concat(
        values(data.live_stream_notify_records.last_hour.summary.by_notify_type),
        values(data.live_stream_notify_records.last_hour.summary.by_notify_url),
      ) : h.failure_ratio <= var.max_failure_ratio
    ])
    error_message = "Stream-ingest callbacks of ${var.domain_name} fail too often (more than ${format("%.1f", var.max_failure_ratio * 100)}% in the last hour): ${join("; ", concat(
      [for t, h in data.live_stream_notify_records.last_hour.summary.by_notify_type : format("event type %s: %d of %d failed (%.1f%%)", t, h.failed, h.total, h.failure_ratio * 100) if h.failure_ratio > var.max_failure_ratio],
      [for u, h in data.live_stream_notify_records.last_hour.summary.by_notify_url : format("webhook %s: %d of %d failed (%.1f%%)", u, h.failed, h.total, h.failure_ratio * 100) if h.failure_ratio > var.max_failure_ratio],
    ))}."
  }

  assert {
    condition = alltrue([
      for h in concat(
        values(data.live_stream_notify_records.last_hour.summary.by_notify_type),
        values(data.live_stream_notify_records.last_hour.summary.by_notify_url),
      ) : h.consecutive_failures <= var.max_consecutive_failures
    ])
    error_message = "Stream-ingest callbacks of ${var.domain_name} are still failing: ${join("; ", concat(
      [for t, h in data.live_stream_notify_records.last_hour.summary.by_notify_type : format("event type %s: the last %d failed, latest at %s: %s", t, h.consecutive_failures, h.latest_failure_time, h.latest_failure_description) if h.consecutive_failures > var.max_consecutive_failures],
      [for u, h in data.live_stream_notify_records.last_hour.summary.by_notify_url : format("webhook %s: the last %d failed, latest at %s: %s", u, h.consecutive_failures, h.latest_failure_time, h.latest_failure_description) if h.consecutive_failures > var.max_consecutive_failures],
    ))}."
  }
}
