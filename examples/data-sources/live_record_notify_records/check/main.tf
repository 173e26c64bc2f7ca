# Warns while any recording event type or webhook is still failing, judged on
# its own, and when the day held no recording callbacks at all.
check "recording_callbacks" {
  data "live_record_notify_records" "last_day" {
    domain_name  = "live.example.com"
    lookback     = "24h"
    keep_records = "none"
  }

  assert {
    condition     = data.live_record_notify_records.last_day.summary.total > 0
    error_message = "No recording callbacks of live.example.com in the last 24h: is anything being recorded?"
  }

  assert {
    condition = alltrue([
      for h in concat(
        values(data.live_record_notify_records.last_day.summary.by_notify_type),
        values(data.live_record_notify_records.last_day.summary.by_notify_url),
      ) : h.consecutive_failures == 0
    ])
    error_message = "Recording callbacks are still failing: ${join("; ", concat(
      [for t, h in data.live_record_notify_records.last_day.summary.by_notify_type : "${t} (the last ${h.consecutive_failures}, at ${h.latest_failure_time}: ${h.latest_failure_description})" if h.consecutive_failures > 0],
      [for u, h in data.live_record_notify_records.last_day.summary.by_notify_url : "${u} (the last ${h.consecutive_failures})" if h.consecutive_failures > 0],
    ))}."
  }
}
