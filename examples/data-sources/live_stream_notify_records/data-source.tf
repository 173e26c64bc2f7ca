# Stream-ingest callbacks (publish / publish_done) of the last 24 hours.
data "live_stream_notify_records" "ingest" {
  domain_name = "push.example.com"
  lookback    = "24h"

  # Only the summary is needed: keep a busy domain's records out of state.
  keep_records = "none"
}

output "ingest_callback_health" {
  value = {
    total                = data.live_stream_notify_records.ingest.summary.total
    failed               = data.live_stream_notify_records.ingest.summary.failed
    failure_ratio        = data.live_stream_notify_records.ingest.summary.failure_ratio
    consecutive_failures = data.live_stream_notify_records.ingest.summary.consecutive_failures
    failed_notify_urls   = data.live_stream_notify_records.ingest.summary.failed_notify_urls
  }
}
