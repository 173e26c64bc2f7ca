data "live_record_notify_records" "gate" {
  domain_name  = "live.example.com"
  lookback     = "6h"
  keep_records = "none"

  lifecycle {
    postcondition {
      condition     = lookup(self.summary.failed_by_notify_type, "file_created", 0) == 0
      error_message = "file_created callbacks of live.example.com failed in the last 6h: check ${join(", ", self.summary.failed_notify_urls)}."
    }
  }
}
