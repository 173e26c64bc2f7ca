check "recording_callbacks" {
  data "live_record_notify_records" "last_day" {
    domain_name  = "live.example.com"
    lookback     = "24h"
    keep_records = "none"
  }

  assert {
    condition     = data.live_record_notify_records.last_day.summary.failed == 0
    error_message = "${data.live_record_notify_records.last_day.summary.failed} recording callbacks failed in the last 24h (by type: ${jsonencode(data.live_record_notify_records.last_day.summary.failed_by_notify_type)}); newest failure at ${coalesce(data.live_record_notify_records.last_day.summary.latest_failure_time, "-")}: ${coalesce(data.live_record_notify_records.last_day.summary.latest_failure_description, "-")}."
  }
}
