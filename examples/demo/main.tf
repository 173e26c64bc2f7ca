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
  description = "Domain whose last-day callbacks the check block judges: the emulator's publish-done-down.example.com, where every publish succeeds and the newest publish_done callbacks fail."
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

# Each event type and webhook is judged on its own: the watched domain's
# newest callback succeeded, but its publish_done callbacks are still failing.
check "ingest_callbacks_healthy" {
  data "live_stream_notify_records" "watched" {
    domain_name  = var.watched_domain_name
    lookback     = "24h"
    keep_records = "none"
  }

  assert {
    condition     = data.live_stream_notify_records.watched.summary.total > 0
    error_message = "No stream-ingest callbacks of ${var.watched_domain_name} in the last 24h: nothing vouches for its webhooks."
  }

  assert {
    condition = alltrue([
      for h in concat(
        values(data.live_stream_notify_records.watched.summary.by_notify_type),
        values(data.live_stream_notify_records.watched.summary.by_notify_url),
      ) : h.consecutive_failures <= 2
    ])
    error_message = "${var.watched_domain_name}: stream-ingest callbacks are still failing: ${join("; ", concat(
      [for t, h in data.live_stream_notify_records.watched.summary.by_notify_type : "event type ${t}, the last ${h.consecutive_failures} (${h.latest_failure_description})" if h.consecutive_failures > 2],
      [for u, h in data.live_stream_notify_records.watched.summary.by_notify_url : "webhook ${u}, the last ${h.consecutive_failures}" if h.consecutive_failures > 2],
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
