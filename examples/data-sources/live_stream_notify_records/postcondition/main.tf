# Stops the run when more than 5% of any event type's callbacks, or of any
# webhook's, failed in the last day, or when the day held none.
data "live_stream_notify_records" "gate" {
  domain_name  = "push.example.com"
  lookback     = "24h"
  keep_records = "none"

  lifecycle {
    postcondition {
      condition     = self.summary.total > 0
      error_message = "No stream-ingest callbacks of push.example.com in the last 24h: the gate cannot vouch for them."
    }
    postcondition {
      condition = alltrue([
        for h in concat(values(self.summary.by_notify_type), values(self.summary.by_notify_url)) : h.failure_ratio <= 0.05
      ])
      error_message = "More than 5% of these stream-ingest callbacks of push.example.com failed in the last 24h: ${join(", ", concat(
        [for t, h in self.summary.by_notify_type : "${t} ${h.failed}/${h.total}" if h.failure_ratio > 0.05],
        [for u, h in self.summary.by_notify_url : "${u} ${h.failed}/${h.total}" if h.failure_ratio > 0.05],
      ))}."
    }
  }
}
