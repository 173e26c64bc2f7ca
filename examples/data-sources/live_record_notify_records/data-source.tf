# Recording callbacks (file_created, record_error, ...) of the last 24 hours.
data "live_record_notify_records" "recordings" {
  domain_name = "live.example.com"
  app_name    = "liveApp"
  lookback    = "24h"
}

output "recording_callback_health" {
  value = {
    total                 = data.live_record_notify_records.recordings.summary.total
    failed                = data.live_record_notify_records.recordings.summary.failed
    failed_by_notify_type = { for t, h in data.live_record_notify_records.recordings.summary.by_notify_type : t => h.failed }
    latest_failure_time   = data.live_record_notify_records.recordings.summary.latest_failure_time
    latest_failure        = data.live_record_notify_records.recordings.summary.latest_failure_description
  }
}
