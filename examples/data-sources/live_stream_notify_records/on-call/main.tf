# What an on-call engineer opens: the newest 20 failed stream-ingest
# callbacks of the week, while summary still counts every callback read.
data "live_stream_notify_records" "failures" {
  domain_name      = "push.example.com"
  lookback         = "168h"
  keep_records     = "failed"
  max_kept_records = 20
}

output "recent_ingest_failures" {
  value = [for r in data.live_stream_notify_records.failures.notify_records_info : {
    time   = r.notify_time
    type   = r.notify_type
    stream = "${r.app_name}/${r.stream_name}"
    url    = r.notify_url
    error  = r.description
  }]
}

output "ingest_consecutive_failures" {
  value = data.live_stream_notify_records.failures.summary.consecutive_failures
}
