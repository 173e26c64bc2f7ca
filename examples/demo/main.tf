# The demo `make demo` plans against the built-in emulator: both data sources,
# their health summaries, and a check block that warns on unhealthy callbacks.
# Pointed at a real account (credentials in the environment), it works the
# same with your own domain names.
terraform {
  required_version = ">= 1.5"
  required_providers {
    live = {
      source = "callbackwatch/live"
    }
  }
}

# Endpoint and credentials come from the environment; scripts/demo.sh sets
# ALIBABA_CLOUD_LIVE_ENDPOINT to the emulator and its demo key pair.
provider "live" {}

variable "domain_name" {
  description = "Ingest and streaming domain to read."
  type        = string
  default     = "live2.example.com"
}

variable "watched_domain_name" {
  description = "Domain whose callbacks of the last 6 hours the check block judges: the emulator's publish-done-down.example.com, where every publish succeeds and the newest publish_done callbacks fail. The emulator's case domains (outage.example.com, blip.example.com, ...) show the other verdicts."
  type        = string
  default     = "publish-done-down.example.com"
}

# summary covers every callback read; only the three newest go into state.
data "live_stream_notify_records" "ingest" {
  domain_name      = var.domain_name
  lookback         = "48h"
  max_kept_records = 3
}

# Only the failed recording callbacks are read (status), and only the newest
# of them is kept.
data "live_record_notify_records" "recording" {
  domain_name      = var.domain_name
  lookback         = "48h"
  status           = "failed"
  max_kept_records = 1
}

# The burn-rate gate of the callback-gate module, as a check block: each event
# type and webhook is judged on its own. The watched domain's newest callback
# succeeded, but its publish_done callbacks are still failing.
#
# The error budget of a 99% SLO is 1% of callbacks failed; a window's burn
# rate is its failure ratio over that budget. The pairs are the SRE workbook's
# paging alerts: 2% of a 30-day budget gone in an hour (burn rate 14.4, over
# 1h and 5m) and 5% in 6 hours (burn rate 6, over 6h and 30m), each window
# judged from 10 callbacks of a type or webhook.
locals {
  error_budget = 1 - 0.99
  burn_pairs = [
    { long = "1h", short = "5m", threshold = 14.4 },
    { long = "6h", short = "30m", threshold = 6 },
  ]
}

check "ingest_callbacks_healthy" {
  data "live_stream_notify_records" "watched" {
    domain_name  = var.watched_domain_name
    lookback     = "6h"
    windows      = ["5m", "30m", "1h", "6h"]
    keep_records = "none"
  }

  assert {
    condition     = data.live_stream_notify_records.watched.summary.total > 0
    error_message = "No stream-ingest callbacks of ${var.watched_domain_name} in the last 6h: nothing vouches for its webhooks. Is the domain live, and are its callbacks configured?"
  }

  # Each event type and each webhook on its own, in both windows of a pair.
  assert {
    condition = alltrue(flatten([
      for h in concat(values(data.live_stream_notify_records.watched.summary.by_notify_type), values(data.live_stream_notify_records.watched.summary.by_notify_url)) : [
        for p in local.burn_pairs : !(
          h.windows[p.long].total >= 10 && h.windows[p.short].total >= 10 &&
          h.windows[p.long].failure_ratio / local.error_budget > p.threshold && h.windows[p.short].failure_ratio / local.error_budget > p.threshold
        )
      ]
    ]))
    error_message = "Stream-ingest callbacks of ${var.watched_domain_name} burn their error budget too fast: ${join("; ", flatten([
      for name, h in merge(
        { for t, h in data.live_stream_notify_records.watched.summary.by_notify_type : "event type ${t}" => h },
        { for u, h in data.live_stream_notify_records.watched.summary.by_notify_url : "webhook ${u}" => h },
        ) : [
        for p in local.burn_pairs : format(
          "%s: burn rate %.1f over %s (%d of %d failed) and %.1f over %s (%d of %d failed), above %.1f; at that rate the 30-day budget lasts %.1f hours",
          name, h.windows[p.long].failure_ratio / local.error_budget, p.long, h.windows[p.long].failed, h.windows[p.long].total,
          h.windows[p.short].failure_ratio / local.error_budget, p.short, h.windows[p.short].failed, h.windows[p.short].total,
          p.threshold, 720 / (h.windows[p.long].failure_ratio / local.error_budget),
        )
        if h.windows[p.long].total >= 10 && h.windows[p.short].total >= 10 &&
        h.windows[p.long].failure_ratio / local.error_budget > p.threshold && h.windows[p.short].failure_ratio / local.error_budget > p.threshold
      ]
    ]))}."
  }

  assert {
    condition = alltrue([
      for h in concat(values(data.live_stream_notify_records.watched.summary.by_notify_type), values(data.live_stream_notify_records.watched.summary.by_notify_url)) : h.consecutive_failures <= 2
    ])
    error_message = "Stream-ingest callbacks of ${var.watched_domain_name} are still failing: ${join("; ", concat(
      [for t, h in data.live_stream_notify_records.watched.summary.by_notify_type : "event type ${t}: the last ${h.consecutive_failures} failed, latest at ${h.latest_failure_time}: ${h.latest_failure_description}" if h.consecutive_failures > 2],
      [for u, h in data.live_stream_notify_records.watched.summary.by_notify_url : "webhook ${u}: the last ${h.consecutive_failures} failed, latest at ${h.latest_failure_time}: ${h.latest_failure_description}" if h.consecutive_failures > 2],
    ))}."
  }
}

output "ingest_window" {
  description = "The window the lookback resolved to."
  value       = "${data.live_stream_notify_records.ingest.start_time} .. ${data.live_stream_notify_records.ingest.end_time}"
}

output "ingest_summary" {
  value = data.live_stream_notify_records.ingest.summary
}

output "ingest_latest_records" {
  description = "The three newest stream-ingest callbacks."
  value = [for r in data.live_stream_notify_records.ingest.notify_records_info : {
    time   = r.notify_time
    type   = r.notify_type
    result = r.notify_result
    stream = "${r.app_name}/${r.stream_name}"
    url    = r.notify_url
  }]
}

output "recording_summary" {
  description = "The health of the failed recording callbacks read (status = \"failed\": every one is a failure)."
  value       = data.live_record_notify_records.recording.summary
}

output "recording_failures" {
  description = "Failed recording callbacks of the window: how many, and the newest."
  value = {
    total_num = data.live_record_notify_records.recording.total_num
    newest    = try(data.live_record_notify_records.recording.callback_list[0], null)
  }
}
