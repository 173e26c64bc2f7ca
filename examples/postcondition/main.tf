# Fail the plan when any stream-ingest callback of the last 24 hours failed.
# A postcondition on the data source stops the plan with an error, so it
# gates a pipeline: nothing is applied while callbacks are failing.
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

data "live_stream_notify_records" "last_day" {
  domain_name = var.domain_name
  lookback    = "24h"
  status      = "failed"

  lifecycle {
    postcondition {
      condition     = self.total_num == 0
      error_message = "Stream-ingest callbacks failed: ${self.total_num} failed callbacks to ${join(", ", self.summary.failed_notify_urls)} since ${self.start_time}, the latest at ${coalesce(self.summary.latest_failure_time, "-")} (${coalesce(self.summary.latest_failure_description, "-")}). Fix the webhook, then plan again."
    }
  }
}

output "failed_streams" {
  value = data.live_stream_notify_records.last_day.summary.failed_streams
}
