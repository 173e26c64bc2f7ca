# What an on-call engineer opens: the newest 20 failed recording callbacks of
# the week, while summary still counts every callback read.
data "live_record_notify_records" "failures" {
  domain_name      = "live.example.com"
  lookback         = "168h"
  keep_records     = "failed"
  max_kept_records = 20
}

output "recent_recording_failures" {
  value = [for r in data.live_record_notify_records.failures.callback_list : {
    time   = r.notify_time
    type   = r.notify_type
    stream = "${r.app_name}/${r.stream_name}"
    error  = r.description
  }]
}

output "recording_failure_ratio" {
  value = data.live_record_notify_records.failures.summary.failure_ratio
}
