# Fail the plan when any stream-ingest callback of the last 24 hours failed,
# or when the day held none. A postcondition on the data source stops the
# plan with an error, so it gates a pipeline: nothing is applied while
# callbacks are failing, or while nothing vouches for them.
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

provider "live" {}

variable "domain_name" {
  description = "The ingest domain whose callbacks must all have succeeded."
  type        = string
}

# Every callback is read, not only the failed ones (status = "failed"): a
# gate must tell "no failures" from "no callbacks at all".
data "live_stream_notify_records" "last_day" {
  domain_name  = var.domain_name
  lookback     = "24h"
  keep_records = "none"

  lifecycle {
    postcondition {
      condition     = self.summary.total > 0
      error_message = "No stream-ingest callbacks since ${self.start_time}: nothing vouches for the webhooks. Check that the domain is live and its callbacks are configured."
    }
    postcondition {
      condition     = self.summary.failed == 0
      error_message = "Stream-ingest callbacks failed since ${self.start_time}: ${join("; ", [for t, h in self.summary.by_notify_type : "${h.failed} of ${h.total} ${t} callbacks" if h.failed > 0])}, to ${join(", ", self.summary.failed_notify_urls)}; the latest at ${coalesce(self.summary.latest_failure_time, "-")} (${coalesce(self.summary.latest_failure_description, "-")}). Fix the webhook, then plan again."
    }
  }
}

output "failed_streams" {
  description = "The streams with a failed callback, and how many of their newest failed in a row."
  value       = { for s, h in data.live_stream_notify_records.last_day.summary.failed_streams : s => h.consecutive_failures }
}
