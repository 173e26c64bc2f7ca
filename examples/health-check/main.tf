# Warn on every plan when the stream-ingest callbacks of a domain burn their
# error budget too fast, or are still failing, or when 6 hours held none at
# all: each event type and each webhook is judged on its own. A check block
# never blocks the plan: it prints a warning (and HCP Terraform / OpenTofu
# runners surface it), so it suits a health signal that should not stop
# unrelated infrastructure changes. The rules and defaults are those of the
# callback-gate module (examples/modules/callback-gate), which explains them.
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

variable "slo_target" {
  description = "The share of callbacks that must succeed, for each event type and each webhook: 0.99 leaves an error budget of 1% over 30 days."
  type        = number
  default     = 0.99
}

variable "min_window_callbacks" {
  description = "The fewest callbacks (of one event type or webhook) a window must hold to be judged."
  type        = number
  default     = 10
}

variable "max_consecutive_failures" {
  description = "The most failures in a row, after the newest success, of any event type or webhook before the check warns."
  type        = number
  default     = 2
}

# The SRE workbook's paging pairs for a 30-day budget: 2% of it gone in an
# hour (burn rate 14.4, over 1h and 5m) and 5% in 6 hours (burn rate 6, over
# 6h and 30m). A pair warns when both its windows burn above the threshold.
locals {
  burn_pairs = [
    { long = "1h", short = "5m", threshold = 14.4 },
    { long = "6h", short = "30m", threshold = 6 },
  ]
}

check "stream_callbacks_healthy" {
  data "live_stream_notify_records" "recent" {
    domain_name  = var.domain_name
    lookback     = "6h"
    windows      = ["5m", "30m", "1h", "6h"]
    keep_records = "none"
  }

  assert {
    condition     = data.live_stream_notify_records.recent.summary.total > 0
    error_message = "No stream-ingest callbacks of ${var.domain_name} in the last 6h: nothing vouches for its webhooks. Is the domain live, and are its callbacks configured?"
  }

  # Each event type and each webhook on its own, in both windows of a pair.
  assert {
    condition = alltrue(flatten([
      for h in concat(values(data.live_stream_notify_records.recent.summary.by_notify_type), values(data.live_stream_notify_records.recent.summary.by_notify_url)) : [
        for p in local.burn_pairs : !(
          h.windows[p.long].total >= var.min_window_callbacks && h.windows[p.short].total >= var.min_window_callbacks &&
          h.windows[p.long].failure_ratio / (1 - var.slo_target) > p.threshold && h.windows[p.short].failure_ratio / (1 - var.slo_target) > p.threshold
        )
      ]
    ]))
    error_message = "Stream-ingest callbacks of ${var.domain_name} burn their error budget too fast: ${join("; ", flatten([
      for name, h in merge(
        { for t, h in data.live_stream_notify_records.recent.summary.by_notify_type : "event type ${t}" => h },
        { for u, h in data.live_stream_notify_records.recent.summary.by_notify_url : "webhook ${u}" => h },
        ) : [
        for p in local.burn_pairs : format(
          "%s: burn rate %.1f over %s (%d of %d failed) and %.1f over %s (%d of %d failed), above %.1f; at that rate the 30-day budget lasts %.1f hours",
          name, h.windows[p.long].failure_ratio / (1 - var.slo_target), p.long, h.windows[p.long].failed, h.windows[p.long].total,
          h.windows[p.short].failure_ratio / (1 - var.slo_target), p.short, h.windows[p.short].failed, h.windows[p.short].total,
          p.threshold, 720 / (h.windows[p.long].failure_ratio / (1 - var.slo_target)),
        )
        if h.windows[p.long].total >= var.min_window_callbacks && h.windows[p.short].total >= var.min_window_callbacks &&
        h.windows[p.long].failure_ratio / (1 - var.slo_target) > p.threshold && h.windows[p.short].failure_ratio / (1 - var.slo_target) > p.threshold
      ]
    ]))}."
  }

  assert {
    condition = alltrue([
      for h in concat(values(data.live_stream_notify_records.recent.summary.by_notify_type), values(data.live_stream_notify_records.recent.summary.by_notify_url)) : h.consecutive_failures <= var.max_consecutive_failures
    ])
    error_message = "Stream-ingest callbacks of ${var.domain_name} are still failing: ${join("; ", concat(
      [for t, h in data.live_stream_notify_records.recent.summary.by_notify_type : "event type ${t}: the last ${h.consecutive_failures} failed, latest at ${h.latest_failure_time}: ${h.latest_failure_description}" if h.consecutive_failures > var.max_consecutive_failures],
      [for u, h in data.live_stream_notify_records.recent.summary.by_notify_url : "webhook ${u}: the last ${h.consecutive_failures} failed, latest at ${h.latest_failure_time}: ${h.latest_failure_description}" if h.consecutive_failures > var.max_consecutive_failures],
    ))}."
  }
}
