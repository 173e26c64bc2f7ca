# A deployment gate on the stream-ingest callbacks of one ApsaraVideo Live
# domain: the plan fails (a data-source postcondition) when too many callbacks
# failed in the window, or when the newest ones are still failing.
terraform {
  # Data-source postconditions need Terraform 1.2 (every OpenTofu has them).
  required_version = ">= 1.2"
  required_providers {
    live = {
      source = "callbackwatch/live"
    }
  }
}

data "live_stream_notify_records" "this" {
  domain_name = var.domain_name
  app_name    = var.app_name
  stream_name = var.stream_name
  lookback    = var.lookback

  lifecycle {
    postcondition {
      condition = !var.enforce || self.summary.failure_ratio <= var.max_failure_ratio
      error_message = format(
        "Callback gate: %d of %d stream-ingest callbacks of %s failed in the last %s (%.1f%%, more than max_failure_ratio %.1f%%). Failing webhooks: %s. Latest failure at %s: %s",
        self.summary.failed, self.summary.total, var.domain_name, var.lookback,
        self.summary.failure_ratio * 100, var.max_failure_ratio * 100,
        join(", ", self.summary.failed_notify_urls),
        coalesce(self.summary.latest_failure_time, "-"),
        coalesce(self.summary.latest_failure_description, "-"),
      )
    }
    postcondition {
      condition = !var.enforce || self.summary.consecutive_failures <= var.max_consecutive_failures
      error_message = format(
        "Callback gate: the last %d stream-ingest callbacks of %s failed (more than max_consecutive_failures %d in a row): the failure is still going on. Failing webhooks: %s. Latest failure at %s: %s",
        self.summary.consecutive_failures, var.domain_name, var.max_consecutive_failures,
        join(", ", self.summary.failed_notify_urls),
        coalesce(self.summary.latest_failure_time, "-"),
        coalesce(self.summary.latest_failure_description, "-"),
      )
    }
  }
}

locals {
  summary = data.live_stream_notify_records.this.summary
  problems = compact([
    local.summary.failure_ratio > var.max_failure_ratio ? format("%d of %d callbacks failed (%.1f%%, more than %.1f%%)", local.summary.failed, local.summary.total, local.summary.failure_ratio * 100, var.max_failure_ratio * 100) : "",
    local.summary.consecutive_failures > var.max_consecutive_failures ? format("the last %d callbacks failed (more than %d in a row)", local.summary.consecutive_failures, var.max_consecutive_failures) : "",
  ])
}
