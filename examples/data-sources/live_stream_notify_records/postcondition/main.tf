data "live_stream_notify_records" "gate" {
  domain_name  = "push.example.com"
  lookback     = "24h"
  keep_records = "none"

  lifecycle {
    postcondition {
      condition     = self.summary.failure_ratio <= 0.05
      error_message = "More than 5% of the stream-ingest callbacks of push.example.com failed in the last 24h."
    }
  }
}
