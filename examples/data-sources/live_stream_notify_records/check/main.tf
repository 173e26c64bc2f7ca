check "ingest_callbacks" {
  data "live_stream_notify_records" "last_hour" {
    domain_name  = "push.example.com"
    lookback     = "1h"
    keep_records = "none"
  }

  assert {
    condition     = data.live_stream_notify_records.last_hour.summary.consecutive_failures == 0
    error_message = "Stream-ingest callbacks are failing: ${data.live_stream_notify_records.last_hour.summary.consecutive_failures} in a row, last error: ${coalesce(data.live_stream_notify_records.last_hour.summary.latest_failure_description, "none")}. Failing webhooks: ${join(", ", data.live_stream_notify_records.last_hour.summary.failed_notify_urls)}."
  }
}
