# Warns while any event type or webhook is still failing, judged on its own:
# publish_done callbacks can be failing while every publish succeeds. A
# second assertion warns when the hour held no callbacks at all, since an
# idle domain and a dead webhook look the same.
check "ingest_callbacks" {
  data "live_stream_notify_records" "last_hour" {
    domain_name  = "push.example.com"
    lookback     = "1h"
    keep_records = "none"
  }

  assert {
    condition     = data.live_stream_notify_records.last_hour.summary.total > 0
    error_message = "No stream-ingest callbacks of push.example.com in the last hour: is the domain live, and are its callbacks configured?"
  }

  assert {
    condition = alltrue([
      for h in concat(
        values(data.live_stream_notify_records.last_hour.summary.by_notify_type),
        values(data.live_stream_notify_records.last_hour.summary.by_notify_url),
      ) : h.consecutive_failures == 0
    ])
    error_message = "Stream-ingest callbacks are still failing: ${join("; ", concat(
      [for t, h in data.live_stream_notify_records.last_hour.summary.by_notify_type : "${t} (the last ${h.consecutive_failures}: ${h.latest_failure_description})" if h.consecutive_failures > 0],
      [for u, h in data.live_stream_notify_records.last_hour.summary.by_notify_url : "${u} (the last ${h.consecutive_failures})" if h.consecutive_failures > 0],
    ))}."
  }
}
