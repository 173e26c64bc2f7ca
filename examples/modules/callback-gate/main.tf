# A deployment gate on the stream-ingest callbacks of one ApsaraVideo Live
# domain: the plan fails (data-source postconditions) when the window holds
# fewer callbacks than min_callbacks, or when any event type or any webhook,
# judged on its own, failed too often or is still failing.
terraform {
  # Nested attributes in expressions need Terraform 1.5 here (1.0 cannot
  # refer to them; 1.1 to 1.4 are untested); every OpenTofu works.
  required_version = ">= 1.5"
  required_providers {
    live = {
      source = "callbackwatch/live"
    }
  }
}

data "live_stream_notify_records" "this" {
  domain_name  = var.domain_name
  app_name     = var.app_name
  stream_name  = var.stream_name
  lookback     = var.lookback
  keep_records = "none"

  # A postcondition may not refer to a local built from its own data source,
  # so these judge self the way local.problems judges the read for the
  # outputs.
  lifecycle {
    postcondition {
      condition = !var.enforce || self.summary.total >= var.min_callbacks
      error_message = format(
        "Callback gate: %d stream-ingest callbacks of %s in the last %s, fewer than min_callbacks %d. No callbacks is not a pass: check that the domain is live and its callbacks are configured, or set min_callbacks = 0.",
        self.summary.total, var.domain_name, var.lookback, var.min_callbacks,
      )
    }
    postcondition {
      condition = !var.enforce || alltrue([
        for h in concat(values(self.summary.by_notify_type), values(self.summary.by_notify_url)) : h.failure_ratio <= var.max_failure_ratio
      ])
      error_message = format(
        "Callback gate: stream-ingest callbacks of %s failed too often in the last %s (more than max_failure_ratio %.1f%%): %s.",
        var.domain_name, var.lookback, var.max_failure_ratio * 100, join("; ", [
          for name, h in merge(
            { for t, h in self.summary.by_notify_type : "event type ${t}" => h },
            { for u, h in self.summary.by_notify_url : "webhook ${u}" => h },
          ) : format("%s: %d of %d failed (%.1f%%), latest at %s: %s", name, h.failed, h.total, h.failure_ratio * 100, h.latest_failure_time, h.latest_failure_description)
          if h.failure_ratio > var.max_failure_ratio
        ]),
      )
    }
    postcondition {
      condition = !var.enforce || alltrue([
        for h in concat(values(self.summary.by_notify_type), values(self.summary.by_notify_url)) : h.consecutive_failures <= var.max_consecutive_failures
      ])
      error_message = format(
        "Callback gate: stream-ingest callbacks of %s are still failing (more than max_consecutive_failures %d in a row): %s.",
        var.domain_name, var.max_consecutive_failures, join("; ", [
          for name, h in merge(
            { for t, h in self.summary.by_notify_type : "event type ${t}" => h },
            { for u, h in self.summary.by_notify_url : "webhook ${u}" => h },
          ) : format("%s: the last %d failed, latest at %s: %s", name, h.consecutive_failures, h.latest_failure_time, h.latest_failure_description)
          if h.consecutive_failures > var.max_consecutive_failures
        ]),
      )
    }
  }
}

locals {
  summary = data.live_stream_notify_records.this.summary
  # Each event type and each webhook, judged on its own.
  judged = merge(
    { for t, h in local.summary.by_notify_type : "event type ${t}" => h },
    { for u, h in local.summary.by_notify_url : "webhook ${u}" => h },
  )
  problems = tolist(concat(
    local.summary.total < var.min_callbacks ? [format("%d callbacks in the last %s, fewer than %d", local.summary.total, var.lookback, var.min_callbacks)] : [],
    [for name, h in local.judged : format("%s: %d of %d callbacks failed (%.1f%%, more than %.1f%%)", name, h.failed, h.total, h.failure_ratio * 100, var.max_failure_ratio * 100) if h.failure_ratio > var.max_failure_ratio],
    [for name, h in local.judged : format("%s: the last %d callbacks failed (more than %d in a row)", name, h.consecutive_failures, var.max_consecutive_failures) if h.consecutive_failures > var.max_consecutive_failures],
  ))
}
